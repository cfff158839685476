from __future__ import annotations

import re
from typing import Any

from django.utils import translation

from pyithu.core.reach import ReachCount, by_place, display_count
from pyithu.geo.maps import township_dot_map
from pyithu.geo.models import Township


def test_small_counts_are_never_shown_as_numbers() -> None:
    assert [display_count(n) for n in (0, 1, 4, 5, 120)] == ["0", "<5", "<5", "5", "120"]


def test_reach_counts_sum_by_place() -> None:
    from datetime import date

    rows = [
        ReachCount("MMR001001", date(2026, 1, 1), 3),
        ReachCount("MMR001001", date(2026, 2, 1), 4),
    ]
    assert by_place(rows) == {"MMR001001": 7}


def test_the_dot_map_shades_served_townships_and_rings_the_overlay(db: Any) -> None:
    with translation.override("en"):
        svg = township_dot_map({"MMR001001": 40, "MMR013001": 3}, overlay={"MMR001002"}, title="T")
    circles = re.findall(r'<circle class="([^"]+)"[^>]*><title>([^<]+)</title>', svg)
    labels = dict((tip.split(":")[0], (css, tip)) for css, tip in circles)
    located = Township.objects.active().filter(latitude__isnull=False).count()
    assert len(circles) == located > 340  # every township with coordinates
    assert labels["Myitkyina"] == ("s4", "Myitkyina: 40")
    assert labels["Waingmaw"][0] == "s0 r"
    small = [tip for css, tip in circles if tip.endswith("<5") or tip.endswith("&lt;5")]
    assert len(small) == 1
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
