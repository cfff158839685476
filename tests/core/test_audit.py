"""The audit log is append-only, records who/what/which, and never the sensitive payload."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from pyithu.accounts import services
from pyithu.core import audit
from pyithu.core.models import AppendOnlyError, AuditEntry


def test_a_role_grant_is_audited_with_who_what_and_which(olivia: Any, alice: Any) -> None:
    # When an operator grants a role
    grant = services.grant_role(alice, "teacher", "education", by=olivia)
    # Then the log says who, what and which record, and nothing sealed
    entry = AuditEntry.objects.get(action="accounts.role_grant", target_id=str(grant.pk))
    assert (entry.actor_id, entry.actor_handle) == (olivia.pk, "operator-olivia")
    assert entry.target_type == "accounts.rolegrant"
    assert entry.summary == "teacher@education"


def test_audit_entries_cannot_be_changed_or_deleted_through_the_model(olivia: Any) -> None:
    entry = audit.record(olivia, "test.action", olivia)
    entry.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).summary == ""


def test_audit_entries_cannot_be_rewritten_with_raw_sql(olivia: Any) -> None:
    entry = audit.record(olivia, "test.action", olivia)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET summary = 'forged'")
    assert AuditEntry.objects.get(pk=entry.pk).summary == ""


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite keeps DELETE for test flushes"
)
def test_audit_entries_cannot_be_deleted_with_raw_sql_on_postgresql(olivia: Any) -> None:
    audit.record(olivia, "test.action", olivia)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry")
    assert AuditEntry.objects.filter(action="test.action").count() == 1


def test_audit_survives_the_actor_account_being_deleted(olivia: Any) -> None:
    entry = audit.record(olivia, "test.action", olivia)
    olivia.delete()
    kept = AuditEntry.objects.get(pk=entry.pk)
    assert kept.actor_handle == "operator-olivia"
