"""Server-rendered SVG bar charts for survey results: no script, no inline style (classes in
``static/portal/portal.css``), sized by attributes only."""

from __future__ import annotations

from django.utils.html import escape

from pyithu.portal.selectors.surveys import QuestionResult

WIDTH = 300
LABEL_ROW = 14
BAR = 10
GAP = 8
MAX_BARS = 12


def bar_chart(result: QuestionResult) -> str:
    """One horizontal bar per answer: its label above, the bar, then the percentage."""
    shares = result.shares[:MAX_BARS]
    step = LABEL_ROW + BAR + GAP
    height = max(step * len(shares), step)
    parts = [
        f'<svg class="bars" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(result.question.text)}</title>'
    ]
    for index, share in enumerate(shares):
        top = index * step
        width = round(float(share.percent) / 100 * (WIDTH - 50))
        parts.append(
            f'<text x="0" y="{top + 11}">{escape(share.label)}</text>'
            f'<rect x="0" y="{top + LABEL_ROW}" width="{max(width, 1)}" height="{BAR}"/>'
            f'<text class="n" x="{max(width, 1) + 4}" y="{top + LABEL_ROW + 9}">'
            f"{share.percent}%</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
