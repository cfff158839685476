"""Photos of results: re-encoded without metadata, capped, sealed, shown to the case's doctors."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import ExifTags, Image

from pyithu.accounts.models import User
from pyithu.health.errors import HealthError
from pyithu.health.models import CasePhoto, Consultation
from pyithu.health.services import photos

GPS = ExifTags.IFD.GPSInfo


def lab_photo(size: tuple[int, int] = (640, 480), fmt: str = "JPEG") -> bytes:
    """A photo as a phone takes it: EXIF with the maker, the model and a GPS position."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Model X"
    exif.get_ifd(GPS).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (16.0, 47.0, 30.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (96.0, 9.0, 0.0),
        }
    )
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif, comment=b"taken at home")
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def case(book: Any) -> Consultation:
    return book()[0]


def _attach(case: Consultation, data: bytes) -> CasePhoto:
    return photos.attach_photo(case, io.BytesIO(data), len(data))


def test_a_photo_loses_its_gps_device_and_comment_and_is_sealed_on_disk(
    case: Consultation, tmp_path: Path
) -> None:
    # Given a phone photo that carries a GPS position and the phone's make and model
    original = lab_photo()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS)  # the position is there
    # When Mya attaches it to her case
    photo = _attach(case, original)
    # Then what is kept is a JPEG with no EXIF at all (no GPS, no device), no comment
    kept = Image.open(io.BytesIO(photos.photo_bytes(photo)))
    assert kept.format == "JPEG"
    assert dict(kept.getexif()) == {}
    assert "exif" not in kept.info and "comment" not in kept.info
    assert (kept.width, kept.height) == (640, 480) == (photo.width, photo.height)
    # And the file on disk is sealed: neither JPEG markers nor the maker's name
    on_disk = (tmp_path / "sealed" / photo.image.name).read_bytes()
    assert not on_disk.startswith(b"\xff\xd8") and b"PhoneMaker" not in on_disk


def test_a_large_photo_is_scaled_down(case: Consultation) -> None:
    photo = _attach(case, lab_photo((4000, 3000)))
    assert (photo.width, photo.height) == (1600, 1200)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4 not a picture at all", photos.NOT_AN_IMAGE),
        (lab_photo()[:200], photos.NOT_AN_IMAGE),  # cut off: malformed
        (b"", photos.NOT_AN_IMAGE),
    ],
)
def test_what_is_not_an_image_is_refused_and_nothing_stored(
    case: Consultation, tmp_path: Path, data: bytes, message: Any
) -> None:
    with pytest.raises(HealthError) as refused:
        _attach(case, data)
    assert refused.value.message == message and refused.value.field == "photo"
    assert CasePhoto.objects.count() == 0
    assert not list(tmp_path.rglob("*.sealed"))


def test_an_oversized_file_is_refused_before_it_is_read(case: Consultation) -> None:
    with pytest.raises(HealthError) as refused:
        photos.attach_photo(case, io.BytesIO(b"x"), photos.MAX_BYTES + 1)
    assert refused.value.message == photos.TOO_LARGE
    assert CasePhoto.objects.count() == 0


def test_a_decompression_bomb_is_refused_from_its_header(case: Consultation) -> None:
    # A PNG that declares 10,000 x 10,000 pixels in a few kilobytes
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG")
    assert len(out.getvalue()) < photos.MAX_BYTES
    with pytest.raises(HealthError) as refused:
        _attach(case, out.getvalue())
    assert refused.value.message == photos.TOO_MANY_PIXELS
    assert CasePhoto.objects.count() == 0


def test_at_most_three_photos_and_none_on_a_closed_case(case: Consultation) -> None:
    for _n in range(photos.MAX_PHOTOS):
        _attach(case, lab_photo())
    with pytest.raises(HealthError) as refused:
        _attach(case, lab_photo())
    assert refused.value.message == photos.TOO_MANY
    assert case.photos.count() == photos.MAX_PHOTOS
    Consultation.objects.filter(pk=case.pk).update(status="closed")
    case.photos.all()._raw_delete(case.photos.all().db)
    with pytest.raises(HealthError) as closed:
        _attach(case, lab_photo())
    assert closed.value.message == photos.CLOSED


def test_the_upload_page_refuses_a_text_file_in_burmese_and_keeps_nothing(
    case: Consultation, client_my: Client
) -> None:
    # Given Mya's case open on her phone
    session = client_my.session
    session["health_case"] = str(case.pk)
    session.save()
    # When she sends a text file as her "photo"
    upload = SimpleUploadedFile("result.jpg", b"hello, not a photo", content_type="image/jpeg")
    response = client_my.post("/health/case/photo/", {"photo": upload})
    # Then a 400 with the Burmese message beside the field, and nothing stored
    assert response.status_code == 400
    assert "ဓာတ်ပုံ" in response.content.decode()
    assert CasePhoto.objects.count() == 0
    # And a real photo goes through, back to her case
    good = SimpleUploadedFile("lab.jpg", lab_photo(), content_type="image/jpeg")
    assert client_my.post("/health/case/photo/", {"photo": good}).status_code == 302
    assert case.photos.count() == 1


def test_only_doctors_of_the_cases_clinic_see_the_photo(
    case: Consultation, thida: User, kyaw: User, alice: User
) -> None:
    photo = _attach(case, lab_photo())
    url = f"/health/staff/case/{case.pk}/photo/{photo.pk}/"
    # The general clinic's doctor gets the bare JPEG, never cached
    doctor = Client()
    doctor.force_login(thida)
    shown = doctor.get(url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert "no-store" in shown["Cache-Control"]
    assert dict(Image.open(io.BytesIO(shown.content)).getexif()) == {}
    # The cardiologist (another clinic) and a citizen: not found / refused
    other = Client()
    other.force_login(kyaw)
    assert other.get(url).status_code == 404
    citizen = Client()
    citizen.force_login(alice)
    assert citizen.get(url).status_code == 403
    # And the staff case page shows it
    assert url in doctor.get(f"/health/staff/case/{case.pk}/").content.decode()
