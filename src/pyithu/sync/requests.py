"""Hub requests: things only the hub may do (money stays central), asked for from anywhere.

A service app registers a handler at start-up::

    register_request_handler("finance.cash_in", handle_cash_in)

A node (or the hub itself) calls ``submit_request(kind, params, idempotency_key)``: this saves a
``SyncRequest`` (append-only, priority 0), which travels like any record, signed by the node
that made it. When it arrives at the hub, the handler runs once, inside the import transaction
in its own savepoint, and its answer is saved as a ``RequestResult`` that syncs back. Until then
the node shows the request as pending. The idempotency key makes a request unique everywhere:
submitting it twice, or importing it twice, executes it once.

A handler takes the request and its params and returns a JSON-able dict; raising
``RequestRefused`` (or any error) records a refusal with the message, never half an effect.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.db import transaction

from pyithu.sync import config
from pyithu.sync.models import ChangeLog, RequestResult, SyncRequest

Handler = Callable[[SyncRequest, dict[str, Any]], dict[str, Any]]
_handlers: dict[str, Handler] = {}
REQUEST_LABEL = SyncRequest._meta.label_lower


class RequestRefused(Exception):
    """A handler's clear refusal (insufficient funds, unknown account, ...)."""


def register_request_handler(kind: str, handler: Handler) -> None:
    if kind in _handlers and _handlers[kind] is not handler:
        raise ValueError(f"a handler for {kind!r} is already registered")
    _handlers[kind] = handler


def unregister_request_handler(kind: str) -> None:
    _handlers.pop(kind, None)


def submit_request(
    kind: str, params: dict[str, Any], idempotency_key: str, using: str = "default"
) -> SyncRequest:
    """Ask the hub to act. On the hub itself the request is executed at once."""
    from pyithu.sync.tracking import local_state

    with transaction.atomic(using=using):
        existing = SyncRequest.objects.using(using).filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
        request = SyncRequest(
            kind=kind,
            idempotency_key=idempotency_key[:64],
            params=json.dumps(params, sort_keys=True),
            made_at=local_state(using, lock=False).node_id,
        )
        request.save(using=using)
        if config.sync_role() == config.HUB:
            execute(request, using)
    return request


def execute(request: SyncRequest, using: str = "default") -> RequestResult:
    """Run the handler once for this request (a second call returns the first result)."""
    done = RequestResult.objects.using(using).filter(request_id=request.pk).first()
    if done is not None:
        return done
    handler = _handlers.get(request.kind)
    status, answer = RequestResult.Status.REFUSED, {"error": f"no handler for {request.kind}"}
    if handler is not None:
        try:
            with transaction.atomic(using=using):
                answer = handler(request, json.loads(request.params))
                status = RequestResult.Status.DONE
        except Exception as exc:
            status, answer = RequestResult.Status.REFUSED, {"error": str(exc)[:500]}
    result = RequestResult(request_id=request.pk, status=status, result=json.dumps(answer))
    result.save(using=using)
    return result


def execute_arrived(changes: list[ChangeLog], using: str = "default") -> int:
    """On the hub, execute requests that arrived in these changes."""
    if config.sync_role() != config.HUB:
        return 0
    ids = [c.object_id for c in changes if c.model == REQUEST_LABEL]
    executed = 0
    for request in SyncRequest.objects.using(using).filter(pk__in=ids).order_by("created_at"):
        execute(request, using)
        executed += 1
    return executed


def pending_requests(using: str = "default") -> Any:
    """Requests made here whose result has not come back yet."""
    answered = RequestResult.objects.using(using).values("request_id")
    return SyncRequest.objects.using(using).exclude(pk__in=answered)


def result_for(request: SyncRequest, using: str = "default") -> RequestResult | None:
    return RequestResult.objects.using(using).filter(request_id=request.pk).first()
