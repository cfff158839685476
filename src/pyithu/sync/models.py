"""Sync data: peers, the change log, record versions, conflicts kept, and hub requests.

Every table here is ``SYNC_POLICY = "local"`` (sync's own bookkeeping never travels as records)
except ``SyncRequest`` and ``RequestResult``, which are how a node asks the hub to do something
only the hub may do (move money) and how the answer comes back. ``SyncProbe`` and ``SyncNote``
are small fixtures of the engine (one append-only, one last-writer model) used by its tests,
the benchmark and the operator's smoke test; they hold no personal data.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from pyithu.core.fields import SealedTextField, sealed_storage
from pyithu.core.models import Record


class PlainPayload(str):
    """A change payload for a record with no sealed field: stored as it is (see ChangeLog)."""


class ChangePayloadField(SealedTextField):
    """Sealed like the record it copies: sealed unless the value is a ``PlainPayload``.

    Still a ``SealedTextField``, so ``pyithu rotate-keys`` re-seals the sealed payloads.
    """

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, PlainPayload):
            return str(value)
        return super().get_prep_value(value)


class Peer(Record):
    """Another site this one syncs with: the hub registers nodes, a node registers its hub."""

    SYNC_POLICY = "local"

    class Role(models.TextChoices):
        HUB = "hub", _("hub")
        NODE = "node", _("node")

    node_id = models.CharField(_("node id"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.NODE)
    verify_key = models.CharField(max_length=64)
    box_key = models.CharField(max_length=64)
    # {"townships": [pcode...], "schools": [...], "clinics": [...]}
    scope = models.JSONField(_("scope"), default=dict, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # What the peer told us it holds (its version vector), from its last bundle or request.
    known_vector = models.JSONField(default=dict, blank=True)
    # Counter ranges it holds beyond that vector (arrived ahead of a gap): not sent again.
    known_extra = models.JSONField(default=dict, blank=True)
    last_sync_at = models.DateTimeField(_("last sync"), null=True, blank=True)
    last_sync_changes = models.PositiveIntegerField(default=0)
    # Files the peer asked for in its last bundle ({name: digest}): sent with the next one.
    wanted_files = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sync peer")

    def __str__(self) -> str:
        return f"{self.name} ({self.node_id})"


class LocalState(models.Model):
    """One row: this site's node id and the last counter it gave to one of its changes.

    Counters are given at export time (``exchange.sign_own``), under a lock of this row, to
    committed changes in the order they were logged: saving a record never waits on it.
    """

    SYNC_POLICY = "local"

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    node_id = models.CharField(max_length=32, blank=True)
    counter = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.node_id or '-'} #{self.counter}"


class SignedSegment(models.Model):
    """An origin's Ed25519 signature over a set of its changes (up to 64, one priority).

    Signing changes in small segments rather than one by one keeps bundles near the size of the
    compressed records; the signature still travels with the changes over every hop, so a
    receiver checks relayed data against the node that made it (see decision 0052).
    """

    SYNC_POLICY = "local"

    id = models.BigAutoField(primary_key=True)
    origin = models.CharField(max_length=32)
    # Counter ranges covered, e.g. [[1, 40], [45, 60]].
    counters = models.JSONField()
    signature = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["origin", "signature"], name="one_row_per_segment")
        ]

    def __str__(self) -> str:
        return f"{self.origin} {self.counters}"


class ChangeLog(models.Model):
    """One change to one synced record, from any origin. ``(origin, counter)`` is its identity.

    ``payload`` (canonical JSON of the record's field values) is a second copy of the record:
    it is sealed at rest whenever the record has a sealed field (it then holds those values in
    clear inside), and left plain otherwise, so the log reveals no more than the records do.
    An empty ``origin`` means "made here before this site had an identity"; the first
    ``node init`` claims those rows. ``segment`` holds the origin's signature, added when the
    origin first exports the change and carried unchanged by every relay.
    """

    SYNC_POLICY = "local"

    id = models.BigAutoField(primary_key=True)
    model = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    origin = models.CharField(max_length=32)
    # Null until the change first leaves this site (see LocalState).
    counter = models.BigIntegerField(null=True, blank=True)
    hlc = models.BigIntegerField(db_index=True)
    base_hlc = models.BigIntegerField(null=True, blank=True)
    base_origin = models.CharField(max_length=32, blank=True)
    payload = ChangePayloadField()
    # A tombstone: the record was deleted (payload "null"); it travels like any change.
    deleted = models.BooleanField(default=False)
    segment = models.ForeignKey(
        SignedSegment, null=True, blank=True, on_delete=models.PROTECT, related_name="changes"
    )
    priority = models.PositiveSmallIntegerField(default=50)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["origin", "counter"], name="one_change_per_counter")
        ]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.origin}#{self.counter} {self.model} {self.object_id}"


class MissingFile(models.Model):
    """A file a record here names but whose bytes have not arrived yet (asked for again)."""

    SYNC_POLICY = "local"

    name = models.CharField(max_length=100, unique=True)
    digest = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.name


class RecordVersion(models.Model):
    """The version a last-writer record currently holds here: (hlc, origin) of its change."""

    SYNC_POLICY = "local"

    model = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    change = models.ForeignKey(ChangeLog, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "object_id"], name="one_version_per_record")
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id}"


class ConflictHistory(Record):
    """Two concurrent versions of one record met; ``loser`` is kept here, never dropped."""

    SYNC_POLICY = "local"

    model = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(_("record id"), max_length=64)
    winner = models.ForeignKey(ChangeLog, on_delete=models.PROTECT, related_name="+")
    loser = models.ForeignKey(ChangeLog, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sync conflict")
        constraints = [
            models.UniqueConstraint(fields=["winner", "loser"], name="one_conflict_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id}"


class SyncRequest(Record):
    """A signed request for the hub to act (e.g. move money), executed once on arrival."""

    SYNC_POLICY = "append_only"
    SYNC_PRIORITY = 0

    kind = models.CharField(_("kind"), max_length=64)
    idempotency_key = models.CharField(max_length=64, unique=True)
    params = SealedTextField()
    made_at = models.CharField(_("made at"), max_length=32, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("hub request")

    def __str__(self) -> str:
        return f"{self.kind} {self.idempotency_key}"


class RequestResult(Record):
    """The hub's answer to one request; it syncs back to the node that asked."""

    SYNC_POLICY = "append_only"
    SYNC_PRIORITY = 0

    class Status(models.TextChoices):
        DONE = "done", _("done")
        REFUSED = "refused", _("refused")

    request_id = models.UUIDField(unique=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    result = SealedTextField(blank=True)

    def __str__(self) -> str:
        return f"{self.request_id} {self.status}"


class SyncProbe(Record):
    """Engine fixture: an append-only entry (like a message or an answer)."""

    SYNC_POLICY = "append_only"
    SYNC_PRIORITY = 10

    topic = models.CharField(max_length=64)
    body = SealedTextField(blank=True)

    def __str__(self) -> str:
        return self.topic


class SyncNote(Record):
    """Engine fixture: a mutable record merged by last writer (like a booking's status), with a
    sealed file and many-to-many links."""

    SYNC_POLICY = "last_writer"
    SYNC_PRIORITY = 20

    title = models.CharField(max_length=100)
    body = SealedTextField(blank=True)
    status = models.CharField(max_length=16, blank=True)
    attachment = models.FileField(storage=sealed_storage, blank=True)
    probes = models.ManyToManyField(SyncProbe, blank=True, related_name="+")
    townships = models.ManyToManyField("geo.Township", blank=True, related_name="+")

    def __str__(self) -> str:
        return self.title


class SyncCase(Record):
    """Engine fixture: a booking-like record in a township's scope, merged field by owner: the
    hub (the doctor) owns the reply and status, the node (the patient) owns the text."""

    SYNC_POLICY = "field_owner"
    SYNC_PRIORITY = 5
    SYNC_SCOPE = {"townships": "township__pcode"}
    SYNC_FIELD_OWNERS = {"hub": ("reply", "status"), "node": ("text",)}

    township = models.ForeignKey(
        "geo.Township", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = SealedTextField(blank=True)
    reply = SealedTextField(blank=True)
    status = models.CharField(max_length=16, blank=True)
    label = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return self.label or str(self.pk)


class SyncReply(Record):
    """Engine fixture: an append-only entry that goes wherever its case goes."""

    SYNC_POLICY = "append_only"
    SYNC_PRIORITY = 10
    SYNC_SCOPE = {"townships": "case__township__pcode", "follows": "case"}

    case = models.ForeignKey(SyncCase, on_delete=models.CASCADE, related_name="replies")
    body = SealedTextField(blank=True)

    def __str__(self) -> str:
        return f"reply to {self.case_id}"
