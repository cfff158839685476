from __future__ import annotations

import json

import pytest

from pyithu.core.ids import new_id
from pyithu.sync.exchange import import_bundle
from pyithu.sync.models import ChangeLog, RequestResult, SyncRequest
from pyithu.sync.requests import (
    RequestRefused,
    pending_requests,
    register_request_handler,
    submit_request,
    unregister_request_handler,
)

from .conftest import Remote

NOW = "2026-11-20T08:00:00+00:00"
executed: list[str] = []


def cash_in(request: SyncRequest, params: dict) -> dict:
    if params["amount"] <= 0:
        raise RequestRefused("the amount must be positive")
    executed.append(request.idempotency_key)
    return {"balance": 5000 + params["amount"]}


@pytest.fixture(autouse=True)
def handler():
    executed.clear()
    register_request_handler("test.cash_in", cash_in)
    yield
    unregister_request_handler("test.cash_in")


def request_change(node: Remote, key: str, amount: int) -> dict:
    return node.change(
        "sync.syncrequest",
        {
            "id": str(new_id()),
            "created_at": NOW,
            "updated_at": NOW,
            "kind": "test.cash_in",
            "idempotency_key": key,
            "params": json.dumps({"amount": amount}),
            "made_at": node.node_id,
        },
    )


def test_a_request_from_a_node_is_executed_once_on_arrival(hub, lashio) -> None:
    # Given a cash-in requested on the Lashio node
    blob = lashio.bundle(hub, [request_change(lashio, "lashio-cash-1", 2000)])
    # When the hub imports the bundle twice
    first = import_bundle(blob, hub)
    import_bundle(blob, hub)
    # Then the handler ran once, and its result is a change that will sync back
    assert executed == ["lashio-cash-1"]
    assert first.requests_executed == 1
    request = SyncRequest.objects.get(idempotency_key="lashio-cash-1")
    result = RequestResult.objects.get(request_id=request.pk)
    assert (result.status, json.loads(result.result)) == ("done", {"balance": 7000})
    assert ChangeLog.objects.filter(object_id=str(result.pk), origin=hub.node_id).count() == 1


def test_a_refused_request_is_answered_with_the_reason(hub, lashio) -> None:
    import_bundle(lashio.bundle(hub, [request_change(lashio, "lashio-cash-2", -5)]), hub)
    result = RequestResult.objects.get()
    assert (result.status, json.loads(result.result)) == (
        "refused",
        {"error": "the amount must be positive"},
    )
    assert executed == []


def test_a_request_of_unknown_kind_is_refused(hub, lashio) -> None:
    change = request_change(lashio, "lashio-x", 1)
    change["p"]["kind"] = "finance.unknown"
    import_bundle(lashio.bundle(hub, [change]), hub)
    assert json.loads(RequestResult.objects.get().result) == {
        "error": "no handler for finance.unknown"
    }


def test_a_node_shows_its_request_pending_until_the_result_arrives(db, monkeypatch) -> None:
    # Given this site is a node
    monkeypatch.setenv("PYITHU_SYNC_ROLE", "node")
    # When it submits a request twice with one idempotency key
    first = submit_request("test.cash_in", {"amount": 100}, "node-cash-1")
    again = submit_request("test.cash_in", {"amount": 100}, "node-cash-1")
    # Then there is one request, pending, and nothing was executed here
    assert first.pk == again.pk
    assert list(pending_requests()) == [first]
    assert executed == []
