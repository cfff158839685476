"""Staff API: the outbox at a glance for monitoring (operators' API tokens)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from pyithu.accounts.api_auth import ApiTokenAuth
from pyithu.accounts.models import Role
from pyithu.accounts.services import has_role
from pyithu.outbox import selectors

router = Router(tags=["sms"])


class ChannelCounts(Schema):
    channel: str
    by_state: dict[str, int]
    total: int
    segments: int
    cost: int


@router.get("/outbox", auth=ApiTokenAuth(), response=list[ChannelCounts])
def outbox_summary(request: HttpRequest) -> Any:
    """Messages per channel and state, with parts and cost: never an address or a text."""
    if not has_role(request.auth, Role.OPERATOR):
        raise HttpError(403, "operators only")
    return [
        ChannelCounts(
            channel=item.channel,
            by_state=item.by_state,
            total=item.total,
            segments=item.segments,
            cost=item.cost,
        )
        for item in selectors.summary()
    ]
