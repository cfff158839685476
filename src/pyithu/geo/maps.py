"""A township dot map of Myanmar as a small server-rendered SVG (no JavaScript, no tiles).

Each township is a dot at its principal town (colours live in core/site.css: the CSP allows
no inline style). Dots with a value are shaded in four steps;
townships in ``overlay`` (e.g. an internet shutdown) get a ring. Values under the small-count
threshold are drawn like any low value and labelled "<5", so the map singles out no one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.utils.html import escape

from pyithu.core.digits import local_digits
from pyithu.core.reach import display_count
from pyithu.geo.models import Township

# Myanmar's extent (degrees), with a small margin.
WEST, EAST, SOUTH, NORTH = Decimal("92.0"), Decimal("101.4"), Decimal("9.5"), Decimal("28.7")
WIDTH = 240  # SVG user units; the page scales it
HEIGHT = int(WIDTH * (NORTH - SOUTH) / (EAST - WEST))
SHADES = 4


def _xy(township: Township) -> tuple[int, int]:
    x = (township.longitude - WEST) / (EAST - WEST) * WIDTH
    y = (NORTH - township.latitude) / (NORTH - SOUTH) * HEIGHT
    return int(x), int(y)


def _shade(value: int, top: int) -> int:
    """1..SHADES, on a square-root scale so one big city does not wash out the rest."""
    if value <= 0 or top <= 0:
        return 0
    return max(1, min(SHADES, round((value / top) ** 0.5 * SHADES)))


def township_dot_map(
    values: Mapping[str, int],
    *,
    overlay: Iterable[str] = (),
    title: str = "",
    townships: Iterable[Township] | None = None,
) -> str:
    """SVG markup: ``values`` maps township P-codes to counts; ``overlay`` P-codes get a ring."""
    rings = set(overlay)
    top = max(values.values(), default=0)
    units = townships if townships is not None else Township.objects.active()
    dots = []
    for township in units:
        if township.latitude is None or township.longitude is None:
            continue
        x, y = _xy(township)
        value = values.get(township.pcode, 0)
        css = f"s{_shade(value, top)}" + (" r" if township.pcode in rings else "")
        label = township.display_name()
        tip = escape(f"{label}: {local_digits(display_count(value))}" if value else label)
        dots.append(f'<circle class="{css}" cx="{x}" cy="{y}" r="2"><title>{tip}</title></circle>')
    return (
        f'<svg class="dotmap" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        + "".join(dots)
        + "</svg>"
    )
