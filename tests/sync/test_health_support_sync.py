"""Photos of results travel with their case; facilities and hotline numbers reach every node;
call-back requests and the rota stay on the hub (decisions 0018, 0019)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from pyithu.geo.models import Township
from pyithu.health.models import CallbackRequest, Facility, HotlineNumber, HotlineSettings
from pyithu.health.services import booking, hotline, photos
from pyithu.sync import bundles, files
from pyithu.sync.exchange import export_bundle
from pyithu.sync.models import Peer


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (1, 2, 3)).save(out, format="JPEG")
    return out.getvalue()


def _book(pcode: str) -> Any:
    details = booking.Booking(
        symptoms="rash",
        age_band="18-39",
        sex="female",
        language="my",
        township=Township.objects.get(pcode=pcode),
    )
    return booking.book_consultation(details)[0]


def _sent_to(hub: Any, node: Any) -> dict[str, Any]:
    peer = Peer.objects.get(node_id=node.node_id)
    return bundles.open_body(bundles.read_envelope(export_bundle(hub, peer)[0]), node.identity)


def test_a_photo_goes_with_its_case_to_the_cases_node_with_its_bytes(hub, lashio) -> None:
    # Given a case in Lashio's township with a photo, and one elsewhere with a photo
    here = _book("MMR001001")
    photo = photos.attach_photo(here, io.BytesIO(_photo()), len(_photo()))
    elsewhere = _book(Township.objects.exclude(pcode="MMR001001").order_by("pcode")[0].pcode)
    other = photos.attach_photo(elsewhere, io.BytesIO(_photo()), len(_photo()))
    # When the hub sends Lashio its bundle
    body = _sent_to(hub, lashio)
    # Then Lashio's case photo is in it, record and bytes, and the other one is not
    sent = {
        bundles.object_id(c) for c in body["changes"] if c["m"] == "health.casephoto" and c.get("p")
    }
    assert str(photo.pk) in sent and str(other.pk) not in sent
    stored = photos.photo_bytes(photo)
    # (an index entry is [name, digest, size sent, compressed?]: the digest names these bytes)
    assert [photo.image.name, files.digest(stored)] in [entry[:2] for entry in body["files"]]


def test_facilities_and_numbers_reach_every_node_but_requests_stay(hub, lashio) -> None:
    township = Township.objects.exclude(pcode="MMR001001").order_by("pcode")[0]
    Facility.objects.create(
        slug="far-hospital",
        kind="hospital",
        name_en="Far",
        name_my="ဝေး",
        township=township,
        last_confirmed=date(2026, 11, 1),
    )
    HotlineNumber.objects.create(slug="zero", label_en="Z", label_my="ဇ", number="09-1")
    HotlineSettings.objects.create(coordinator_contact="+959000")
    hotline.request_callback(priority=1, language="my", contact_channel="phone", contact="+959111")
    models = {c["m"] for c in _sent_to(hub, lashio)["changes"] if c.get("p")}
    assert {"health.facility", "health.hotlinenumber"} <= models
    assert "health.callbackrequest" not in models and "health.hotlinesettings" not in models
    assert CallbackRequest.objects.count() == 1
