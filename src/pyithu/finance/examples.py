"""Real examples for the citizen pages that take URL arguments (``@citizen_page(example=)``):
made through the services, by an example officer, only when none exists yet."""

from __future__ import annotations

from typing import Any

from pyithu.accounts import services as account_services
from pyithu.accounts.models import Role, User
from pyithu.finance.currencies import ensure_currencies
from pyithu.finance.models import Campaign, Lottery
from pyithu.finance.services import crowdfunding, lottery

EXAMPLE_OFFICER = "example-bank-officer"


def _officer() -> User:
    user = User.objects.filter(handle=EXAMPLE_OFFICER).first()
    if user is None:
        user = account_services.create_staff_account(EXAMPLE_OFFICER, "example officer 1988 tea")
    if not account_services.has_role(user, Role.BANK_OFFICER, "finance"):
        account_services.grant_role(user, Role.BANK_OFFICER, "finance")
    return user


def example_lottery() -> dict[str, Any]:
    found = Lottery.objects.first()
    if found is None:
        ensure_currencies()
        found = lottery.create_lottery(
            _officer(), "Example draw", "MMK", 1_000, [10_000], "drand quicknet round 1"
        )
    return {"lottery_id": found.pk}


def example_campaign() -> dict[str, Any]:
    found = Campaign.objects.first()
    if found is None:
        ensure_currencies()
        found = crowdfunding.create_campaign(
            _officer(), "example", "Example campaign", "ဥပမာ", "MMK", 1_000_000
        )
    return {"slug": found.slug}
