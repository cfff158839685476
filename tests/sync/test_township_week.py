"""A week at a township node with no link, then one USB bundle each way.

Two servers (hub and Lashio node), each its own process, database (SQLite, or PostgreSQL when
``DATABASE_URL`` names it), key ring and files (``township.py``). For seven days the node serves
agent cash-in/out and a remittance pay-out (``money.py``), bookings, a class (a lesson, hand-ins
with a file, attendance, marks), an admission by voucher and an exam sitting; then one bundle goes
to the hub, the hub's people act on what came, and one bundle comes back. Everything arrives once,
every rule holds, and the bundles' sizes are reported against the zstd-compressed size of their
content.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.money import money_settled, money_week
from tests.sync.township import PSEUDONYM, Site, federation

# "... can be used only at the place where your recommender gave it out ..." (the sites serve
# in Burmese by default)
ELSEWHERE_MY = "ထုတ်ပေးခဲ့သည့် နေရာတွင်သာ အသုံးပြုနိုင်ပြီး"


@pytest.fixture
def township(tmp_path: Path) -> Iterator[tuple[Site, Site, Path]]:
    hub, lashio, usb = federation(tmp_path)
    yield hub, lashio, usb
    for site in (hub, lashio):
        site.drop()


def test_a_week_at_a_township_then_one_bundle_each_way(
    township: tuple[Site, Site, Path],
) -> None:
    hub, lashio, usb = township
    # Given the hub prepared a class, a recommender and an exam, and sent them on the stick
    prepared = hub("prepare_hub")
    first = hub("export", path=str(usb / "1-to-lashio.bundle"), to="Lashio point")
    came = lashio("import", path=str(usb / "1-to-lashio.bundle"))
    assert came["new"] == first["changes"] > 0
    # the lesson's file travelled once, with the lesson
    assert came["files"] == 1
    # and the class of a school Lashio does not serve did not come
    assert lashio("counts")["courses"] == ["GEO10"]

    # When the node serves a week with no link at all: agent cash-in/out and a remittance
    # pay-out within the float the hub set aside (tests/sync/money.py, decision 0026), then
    # bookings, the class, an admission and an exam sitting
    money_week(hub, lashio)
    week = lashio("week_at_node", **prepared)
    assert week["lesson_file_ok"] is True
    assert len(week["bookings"]) == 14
    # the hub's voucher is refused at the node, with words the family can act on
    assert ELSEWHERE_MY in week["hub_voucher_refused"]

    # And the week goes to the hub on one USB stick
    up = lashio("export", path=str(usb / "2-lashio-week.bundle"), to="Naypyitaw hub")
    at_hub = hub("import", path=str(usb / "2-lashio-week.bundle"))
    assert at_hub["new"] == up["changes"]
    # the hand-in file and the supporting document, each once
    assert at_hub["files"] == at_hub["file_count"] == 2
    node_week = lashio("counts")
    assert hub("counts") | {"courses": node_week["courses"]} == node_week
    assert hub("counts")["courses"] == ["GEO10", "HIS10"]
    # every money operation applied once on the hub, the books balanced
    money_settled(hub, lashio)

    # Then at the hub: the school decides (the document goes), a teacher marks the work handed
    # in at the node, and the voucher spent at the node is refused here
    after = hub(
        "hub_after_week", application_code=week["application_code"], voucher=week["voucher"]
    )
    assert after["document_ok"] is True
    assert after["document_gone"] is True
    assert ELSEWHERE_MY in after["refused_again"]
    assert after["kyaw"] == [8, "Good map.", True]

    # And one bundle comes back
    down = hub("export", path=str(usb / "3-to-lashio.bundle"), to="Lashio point")
    at_node = lashio("import", path=str(usb / "3-to-lashio.bundle"))
    assert at_node["new"] == down["changes"]
    # files travel once: the hand-in and the document went up, none comes back down
    assert at_node["file_count"] == 0

    # Then both sites hold the same week
    final = lashio("counts")
    assert final == hub("counts") | {"courses": ["GEO10"]}
    assert final["consultations"] == 14
    assert final["users"] == 2
    assert final["enrolments"] == 2
    assert final["lessons"] == 2
    # a teacher at each end marked work handed in at the node
    assert final["submissions"] == [
        ["kyaw-student", 8, "Good map.", "teacher-moe"],
        ["mya-student", 6, "Name the towns next time.", "teacher-moe"],
    ]
    assert final["attendance"] == 2
    assert final["marks"] == 1
    assert final["answers"] == 2
    assert final["applications"] == [[PSEUDONYM, "admitted", False]]
    assert final["vouchers_spent"] == 1
    # the family sees the decision at the node with its code
    assert lashio("application", code=week["application_code"]) == {
        "status": "admitted",
        "document": "",
    }
    # And the supporting document is gone everywhere, file and log: no copy of it, and no old
    # version naming it or the applicant, is left on either site
    name = after["document_name"]
    for site in (hub, lashio):
        assert site("file_exists", name=name) is False
        assert site("log_mentions", words=[name]) == []
        assert site("versions", label="education.application") == 1
        assert site("invariants") == {"changes_twice": 0, "missing_files": 0}

    # And importing any bundle again changes nothing
    assert lashio("import", path=str(usb / "3-to-lashio.bundle"))["new"] == 0
    assert hub("import", path=str(usb / "2-lashio-week.bundle"))["new"] == 0
    assert lashio("counts") == final

    # The sizes, against the zstd-compressed size of what they carry
    for label, report in (("hub -> node", came), ("node -> hub", at_hub), ("back", at_node)):
        ratio = report["bytes"] / report["zstd_floor"]
        print(
            f"{label}: {report['records']} records, {report['file_count']} files, "
            f"{report['bytes']:,} bytes = {ratio:.2f}x zstd of content "
            f"({report['zstd_floor']:,})"
        )
        # signatures, keys and the envelope cost a fixed ~1.5 KB; the rest is near the floor
        assert report["bytes"] <= 1.3 * report["zstd_floor"] + 3000
