"""Photos of results a patient attaches to their case (decision 0018).

An upload is never stored as sent. It is refused before any decoding when it is larger than
``MAX_BYTES`` or declares more than ``MAX_PIXELS`` (a decompression bomb declares a huge size
in a tiny file); only JPEG, PNG and WebP are opened. The pixels are then copied into a brand-new
image (turned upright first, so nothing needs the orientation tag), scaled to at most
``MAX_SIDE`` pixels and written as a fresh JPEG: no EXIF (GPS, device, time), no ICC profile,
no comments, nothing of the original file but what the eye sees. The result is sealed on disk
(``sealed_storage``) and served only through a view that checks the doctor's clinic.
"""

from __future__ import annotations

import io
import warnings
from typing import IO

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from pyithu.health.errors import HealthError
from pyithu.health.models import CasePhoto, CaseStatus, Consultation

MAX_PHOTOS = 3
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 24_000_000
MAX_SIDE = 1600
QUALITY = 82
FORMATS = ("JPEG", "PNG", "WEBP")

NOT_AN_IMAGE = _("This file is not a photo we can read. Send a JPEG or PNG picture.")
TOO_LARGE = _("This photo is too large. Send a picture smaller than 5 MB.")
TOO_MANY_PIXELS = _("This picture is too large to open. Take the photo again at a lower size.")
TOO_MANY = _("A consultation can have at most 3 photos.")
CLOSED = _("This consultation is closed. Book a new one if you need more help.")


def clean_image(upload: IO[bytes], size: int) -> tuple[bytes, int, int]:
    """The picture re-encoded as a bare JPEG, or a ``HealthError`` naming what is wrong."""
    if size > MAX_BYTES:
        raise HealthError(TOO_LARGE, "photo")
    if size == 0:
        raise HealthError(NOT_AN_IMAGE, "photo")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(upload, formats=FORMATS) as original:
                width, height = original.size
                if width * height > MAX_PIXELS or width < 1 or height < 1:
                    raise HealthError(TOO_MANY_PIXELS, "photo")
                original.load()
                upright = ImageOps.exif_transpose(original)
                rgb = upright.convert("RGB")
        except HealthError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise HealthError(TOO_MANY_PIXELS, "photo") from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
            raise HealthError(NOT_AN_IMAGE, "photo") from None
    # A new image from the pixels alone: no info dict, no EXIF, no profile can follow.
    bare = Image.frombytes("RGB", rgb.size, rgb.tobytes())
    bare.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    bare.save(out, format="JPEG", quality=QUALITY, optimize=True)
    return out.getvalue(), bare.width, bare.height


@transaction.atomic
def attach_photo(case: Consultation, upload: IO[bytes], size: int) -> CasePhoto:
    """Attach one photo to an open case: at most ``MAX_PHOTOS``, nothing stored on refusal."""
    locked = Consultation.objects.select_for_update().get(pk=case.pk)
    if locked.status == CaseStatus.CLOSED:
        raise HealthError(CLOSED, "photo")
    if locked.photos.count() >= MAX_PHOTOS:
        raise HealthError(TOO_MANY, "photo")
    data, width, height = clean_image(upload, size)
    photo = CasePhoto(consultation=locked, width=width, height=height, size=len(data))
    photo.image.save("photo.jpg", ContentFile(data), save=False)
    try:
        photo.save()
    except Exception:
        photo.image.storage.delete(photo.image.name)
        raise
    return photo


def photo_bytes(photo: CasePhoto) -> bytes:
    with photo.image.open("rb") as fh:
        return fh.read()
