"""Model fields and storage that keep sensitive data sealed at rest (see ``sealing``)."""

from __future__ import annotations

import os
from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Lookup

from pyithu.core import sealing
from pyithu.core.ids import new_id


class SealedTextField(models.TextField):
    """Text sealed before it reaches the database and unsealed when read.

    Sealed text cannot be searched or compared in SQL; only ``isnull`` lookups work.
    Empty strings are stored as they are (emptiness is not the secret).
    """

    description = "Text sealed at rest"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return sealing.seal_text(value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "" or not sealing.is_sealed_text(value):
            return value
        return sealing.unseal_text(value)

    def get_lookup(self, lookup_name: str) -> type[Lookup] | None:
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)

    def value_to_string(self, obj: models.Model) -> str:
        # Fixtures and dumpdata write sealed text, never plaintext.
        value = self.value_from_object(obj)
        return sealing.seal_text(value) if value else ""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and sealing.is_sealed_text(value):
            return sealing.unseal_text(value)
        return super().to_python(value)


class SealedFileStorage(FileSystemStorage):
    """Files sealed on disk under random names, so neither content nor name leaks."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("location", None)
        super().__init__(**kwargs)

    @property
    def base_location(self) -> str:  # type: ignore[override]
        from django.conf import settings

        return self._value_or_setting(self._location, str(settings.MEDIA_ROOT) + "/sealed")

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return f"{new_id().hex}.sealed"

    def _save(self, name: str, content: File) -> str:
        content.seek(0)
        return super()._save(name, ContentFile(sealing.seal_bytes(content.read())))

    def _open(self, name: str, mode: str = "rb") -> File:
        with super()._open(name, "rb") as fh:
            return ContentFile(sealing.unseal_bytes(fh.read()), name=name)

    def url(self, name: str | None) -> str:
        raise NotImplementedError("sealed files are served only through a view that checks access")

    def reseal(self, name: str) -> bool:
        """Re-seal one file under the current key; True when it changed."""
        path = self.path(name)
        with open(path, "rb") as fh:
            blob = fh.read()
        if sealing.sealed_bytes_version(blob) == sealing.keyring().current:
            return False
        fresh = sealing.seal_bytes(sealing.unseal_bytes(blob))
        tmp = f"{path}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(fresh)
        os.replace(tmp, path)
        return True


sealed_storage = SealedFileStorage()
