"""Parts of a text: GSM 7-bit 160/153, UCS-2 70/67, extension characters count twice."""

from __future__ import annotations

import pytest

from pyithu.sms.segments import GSM7, UCS2, measure


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (GSM7, 0, 1)),
        ("a" * 160, (GSM7, 160, 1)),
        ("a" * 161, (GSM7, 161, 2)),
        ("a" * 306, (GSM7, 306, 2)),
        ("a" * 307, (GSM7, 307, 3)),
        ("€" * 80, (GSM7, 160, 1)),  # each € is an escape pair: two units
        ("€" * 81, (GSM7, 162, 2)),
        ("Hello @ £5 ÄÖÜ ñ", (GSM7, 16, 1)),
        ("က" * 70, (UCS2, 70, 1)),
        ("က" * 71, (UCS2, 71, 2)),
        ("က" * 134, (UCS2, 134, 2)),
        ("က" * 135, (UCS2, 135, 3)),
        ("a" * 69 + "…", (UCS2, 70, 1)),  # one non-GSM character makes the whole text UCS-2
        ("😀" * 35, (UCS2, 70, 1)),  # outside the BMP: a surrogate pair each
    ],
)
def test_encoding_units_and_parts(text: str, expected: tuple[str, int, int]) -> None:
    m = measure(text)
    assert (m.encoding, m.units, m.segments) == expected


def test_a_part_never_splits_an_escape_or_a_surrogate_pair() -> None:
    # 152 plain characters then "€": 154 units, but "€" cannot straddle parts 1 and 2
    assert measure("a" * 152 + "€" + "a" * 152).segments == 3  # 152 | 2+151 | 1
    # 66 Burmese letters then an emoji: the pair moves whole to part 2
    assert measure("က" * 66 + "😀" + "က" * 66).segments == 3  # 66 | 2+65 | 1
