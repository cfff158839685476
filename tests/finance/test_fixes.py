"""Sealed notes, the agent's limit on cash-out completion, the commission's account, and
every finance model's sync declaration."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from pyithu.accounts.models import Role
from pyithu.accounts.services import create_citizen_account
from pyithu.finance.models import AccountKind, CodedTransfer, LedgerAccount, Transfer
from pyithu.finance.services import agents, wallets
from pyithu.finance.services.checks import ledger_problems
from pyithu.finance.services.ledger import LedgerError


@pytest.fixture
def kyaw(make_staff, currencies):
    htet = make_staff("bankofficer-htet", Role.BANK_OFFICER, "finance")
    user = make_staff("agent-kyaw", Role.AGENT, "finance")
    agent = agents.register_agent(user, 100_000, by=htet)
    agents.fund_float(agent, "MMK", 1_000_000, "float-1", by=htet)
    return user


def raw_note_and_reference(transfer: Transfer) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT note, reference FROM finance_transfer WHERE id = %s",
            [transfer.pk.hex if connection.vendor == "sqlite" else transfer.pk],
        )
        return cursor.fetchone()


def test_a_payment_note_is_sealed_and_the_reference_stays_empty(alice, kyaw) -> None:
    bob = create_citizen_account("bob", "tea leaf salad 1988")[0]
    agents.cash_in(kyaw, alice, "MMK", 50_000, "ci")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(alice)
    data = {"recipient": "bob", "amount": "1500", "currency": "MMK", "note": "rent for Daw Mya"}
    assert (
        client.post("/finance/send/", {**data, "key": "a" * 32, "confirm": "1"}).status_code == 302
    )
    sent = Transfer.objects.get(kind="p2p")
    note, reference = raw_note_and_reference(sent)
    assert reference == "" and "Daw Mya" not in note and note != ""
    assert sent.note == "rent for Daw Mya"
    # Both statements still show it to the two people concerned
    assert "rent for Daw Mya" in client.get("/finance/statement/MMK/").content.decode()
    client.force_login(bob)
    assert "rent for Daw Mya" in client.get("/finance/statement/MMK/").content.decode()


def test_old_notes_in_the_reference_are_moved_into_the_sealed_field(alice, kyaw) -> None:
    agents.cash_in(kyaw, alice, "MMK", 50_000, "ci")
    bob = create_citizen_account("bob", "tea leaf salad 1988")[0]
    old = wallets.pay(alice, wallets.wallet_for(bob, "MMK"), "MMK", 1_000, "p", reference="rice")
    migration = importlib.import_module(
        "pyithu.finance.migrations.0003_sealed_notes_and_named_donors"
    )
    migration.seal_old_notes(apps, None)
    old.refresh_from_db()
    assert (old.note, old.reference) == ("rice", "")
    assert "rice" not in raw_note_and_reference(old)[0]
    cash_in = Transfer.objects.get(kind="cash_in")
    assert (cash_in.note, cash_in.reference) == ("", "")


def test_completing_a_cash_out_counts_against_the_agent_limit(alice, kyaw) -> None:
    # Given Kyaw (limit 100,000 a day) already paid 60,000 into Alice's wallet today
    agents.cash_in(kyaw, alice, "MMK", 60_000, "ci")
    _transfer, code = agents.start_cash_out(alice, "MMK", 50_000, "co-1")
    float_before = agents.float_for(kyaw.bank_agent, "MMK").balance
    # When he tries to pay out 50,000 more, it is refused
    with pytest.raises(LedgerError, match="agent's daily limit"):
        agents.complete_cash_out(kyaw, code, "done-1")
    # And nothing changed: the reservation stands, the code still works tomorrow or elsewhere
    wallet = wallets.wallet_for(alice, "MMK")
    assert (wallet.balance, wallet.pending_debits) == (60_000, 50_000)
    assert agents.float_for(kyaw.bank_agent, "MMK").balance == float_before
    assert CodedTransfer.objects.get().completed_by is None
    assert not Transfer.objects.filter(kind="commission").exists()
    # A 10,000 cash-out still fits under the limit (60,000 + 10,000)
    _t, small = agents.start_cash_out(alice, "MMK", 10_000, "co-2")
    agents.complete_cash_out(kyaw, small, "done-2")
    assert agents.float_for(kyaw.bank_agent, "MMK").balance == float_before + 10_000 + 50
    assert ledger_problems() == []


def test_the_commission_is_paid_from_the_commission_fee_account(alice, kyaw) -> None:
    agents.cash_in(kyaw, alice, "MMK", 60_000, "ci")
    _transfer, code = agents.start_cash_out(alice, "MMK", 40_000, "co-1")
    agents.complete_cash_out(kyaw, code, "done-1")
    commission = Transfer.objects.get(kind="commission")
    source = commission.debit_account
    assert (source.kind, source.label, source.owner_id) == (AccountKind.FEE, "commission", None)
    assert (commission.amount, LedgerAccount.objects.get(pk=source.pk).balance) == (200, -200)
    assert not LedgerAccount.objects.filter(kind=AccountKind.SETTLEMENT, label="commission")
    assert ledger_problems() == []


def test_every_finance_model_declares_how_it_syncs() -> None:
    declared = {
        m.__name__: (m.SYNC_POLICY, m.SYNC_PRIORITY)
        for m in apps.get_app_config("finance").get_models()
    }
    # The public log, and what a township node needs to serve money offline (0026).
    travelling = {
        "LogLeaf": "append_only",
        "TreeHead": "append_only",
        "FloatAllotment": "append_only",
        "NodePayout": "append_only",
        "NodeIntent": "append_only",
        "IntentOutcome": "append_only",
    }
    assert {n: p for n, (p, _prio) in declared.items() if n in travelling} == travelling
    assert {p for n, (p, _prio) in declared.items() if n not in travelling} == {"local"}
    assert len(declared) == 22
    assert all(isinstance(prio, int) and 0 <= prio <= 100 for _p, prio in declared.values())


def test_an_api_note_is_sealed_too(client_en, alice, kyaw) -> None:
    bob = create_citizen_account("bob", "tea leaf salad 1988")[0]
    agents.cash_in(kyaw, alice, "MMK", 50_000, "ci")
    client_en.force_login(alice)
    body = {"to": str(wallets.wallet_for(bob, "MMK").pk), "currency": "MMK", "amount": "500"}
    for key, extra in [("n-1", {"note": "for U Ba"}), ("n-2", {"reference": "for Daw Hla"})]:
        response = client_en.post(
            "/api/finance/transfers",
            {**body, **extra},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=key,
        )
        assert response.status_code == 200
        sent = Transfer.objects.get(pk=response.json()["id"])
        note, reference = raw_note_and_reference(sent)
        assert sent.note == next(iter(extra.values())) and reference == ""
        assert "for" not in note
