"""Reads for operators: states, channels, counts, segments and cost. Never an address or a body:
every query here names its columns, so a sealed field is not even loaded."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Sum

from pyithu.outbox.models import Message, MessageState

# The columns an operator may see.
VISIBLE = (
    "id",
    "created_at",
    "channel",
    "state",
    "attempts",
    "segments",
    "cost",
    "next_attempt_at",
    "expires_at",
    "sent_at",
    "last_error",
)


@dataclass
class ChannelSummary:
    channel: str
    by_state: dict[str, int] = field(default_factory=dict)
    segments: int = 0
    cost: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_state.values())


def messages(*, state: str = "", channel: str = "", limit: int = 100) -> QuerySet[Message]:
    """The latest messages, newest first, with only the columns an operator may see."""
    found = Message.objects.only(*VISIBLE)
    if state:
        found = found.filter(state=state)
    if channel:
        found = found.filter(channel=channel)
    return found.order_by("-created_at", "-id")[:limit]


def channels() -> list[str]:
    return sorted(Message.objects.values_list("channel", flat=True).distinct())


def summary() -> list[ChannelSummary]:
    """Per channel: how many messages in each state, and the segments and cost of them all."""
    rows: dict[str, ChannelSummary] = {}
    counted = (
        Message.objects.values("channel", "state")
        .annotate(n=Count("id"), segments=Sum("segments"), cost=Sum("cost"))
        .order_by("channel", "state")
    )
    for row in counted:
        item = rows.setdefault(
            row["channel"],
            ChannelSummary(row["channel"], dict.fromkeys(MessageState.values, 0)),
        )
        item.by_state[row["state"]] = row["n"]
        item.segments += row["segments"] or 0
        item.cost += row["cost"] or 0
    return [rows[name] for name in sorted(rows)]
