"""Sync endpoints: bundles in and out over HTTP. Authenticated by signatures, not sessions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router

from pyithu.sync import transport
from pyithu.sync.bundles import BundleError
from pyithu.sync.exchange import import_bundle
from pyithu.sync.identity import IdentityError
from pyithu.sync.unlock import site_identity
from pyithu.sync.vectors import held_beyond, local_vector

router = Router(tags=["sync"])


def _refuse(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


@router.post("/pull", include_in_schema=True, summary="Pull a chunk of changes (signed)")
def pull(request: HttpRequest) -> HttpResponse:
    try:
        identity = site_identity()
    except IdentityError:
        return _refuse(404, "this site takes no sync requests: it has no unlocked sync identity")
    signature = request.headers.get("X-Pyithu-Signature", "")
    try:
        blob, count = transport.answer_pull(identity, request.body, signature)
    except BundleError as exc:
        return _refuse(403, str(exc))
    response = HttpResponse(blob, content_type="application/octet-stream")
    response["X-Pyithu-Changes"] = str(count)
    return response


@router.post("/push", summary="Push a bundle addressed to this site")
def push(request: HttpRequest) -> HttpResponse:
    try:
        identity = site_identity()
    except IdentityError:
        return _refuse(404, "this site takes no sync requests: it has no unlocked sync identity")
    try:
        report = import_bundle(request.body, identity)
    except BundleError as exc:
        return _refuse(400, str(exc))
    vector = local_vector()
    return JsonResponse({"new": report.new, "vector": vector, "extra": held_beyond(vector)})
