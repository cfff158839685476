"""The finance JSON API: accounts, transfers (Idempotency-Key header), agents, payments,
the lottery's public record and the transparency log (public, no login)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Header, Router, Schema
from ninja.security import django_auth

from pyithu.accounts.api_auth import ApiTokenAuth, SharedRateThrottle
from pyithu.accounts.models import User
from pyithu.core.schema import Code, Text
from pyithu.finance import keys
from pyithu.finance.currencies import CODES
from pyithu.finance.models import Currency, LedgerAccount, Lottery, TreeHead
from pyithu.finance.money import AmountError, format_amount, parse_amount
from pyithu.finance.services import agents, crowdfunding, lottery, payments, wallets
from pyithu.finance.services.ledger import LedgerError

router = Router(tags=["finance"])
MONEY_THROTTLE = [SharedRateThrottle("30/m", "money")]
# Citizens use their signed-in session (CSRF-checked); staff and integrations a bearer token.
AUTH = [ApiTokenAuth(), django_auth]
Key = Text(128)
# Sizes and positions in the public log: refused (422) outside these bounds, never a 500.
LOG_LIMIT = 2**40
Position = Annotated[int, Field(ge=0, lt=LOG_LIMIT)]
TreeSize = Annotated[int, Field(ge=1, le=LOG_LIMIT)]
PageSize = Annotated[int, Field(ge=1, le=500)]


class ErrorOut(Schema):
    code: str
    detail: str
    field: str | None = None


class AccountOut(Schema):
    id: uuid.UUID
    currency: str
    kind: str
    balance: str
    available: str


class TransferIn(Schema):
    to: uuid.UUID
    currency: Code
    amount: Text(32)  # type: ignore[valid-type]
    # The payer's words for the recipient: sealed at rest, shown on both statements.
    note: Text(200) = ""  # type: ignore[valid-type]
    # Older clients sent free text here; it is kept as the (sealed) note, never in plain.
    reference: Text(80) = ""  # type: ignore[valid-type]


class TransferOut(Schema):
    id: uuid.UUID
    state: str
    amount: int
    currency: str
    kind: str


class CashInIn(Schema):
    customer: Code
    currency: Code
    amount: Text(32)  # type: ignore[valid-type]


class QrPayIn(Schema):
    request: Text(600)  # type: ignore[valid-type]
    amount: Text(32) | None = None  # type: ignore[valid-type]


def _refused(exc: LedgerError | AmountError) -> tuple[int, dict[str, Any]]:
    code = getattr(exc, "code", "invalid_amount")
    return 400, {"code": code, "detail": str(exc.message), "field": getattr(exc, "field", None)}


def _minor(currency: str, text: str) -> int:
    if currency not in CODES:
        raise LedgerError("Unknown currency.", field="currency")
    return parse_amount(text, Currency.objects.get(code=currency).exponent)


def _transfer_out(t: Any) -> dict[str, Any]:
    return {
        "id": t.pk,
        "state": t.state,
        "amount": t.amount,
        "currency": t.currency_id,
        "kind": t.kind,
    }


def _account_out(a: LedgerAccount) -> dict[str, Any]:
    exp = a.currency.exponent
    return {
        "id": a.pk,
        "currency": a.currency_id,
        "kind": a.kind,
        "balance": format_amount(a.balance, exp),
        "available": format_amount(a.available, exp),
    }


@router.get("/accounts", response=list[AccountOut], auth=AUTH, summary="My accounts")
def my_accounts(request: HttpRequest) -> list[dict[str, Any]]:
    rows = LedgerAccount.objects.filter(owner=request.auth).select_related("currency")
    return [_account_out(a) for a in rows]


@router.post(
    "/transfers",
    response={200: TransferOut, 400: ErrorOut},
    auth=AUTH,
    throttle=MONEY_THROTTLE,
    summary="Pay another account (retry with the same Idempotency-Key)",
)
def create_transfer(
    request: HttpRequest,
    body: TransferIn,
    idempotency_key: Key = Header(alias="Idempotency-Key"),  # noqa: B008
) -> Any:
    try:
        to = wallets.account_by_id(body.to)
        amount = _minor(body.currency, body.amount)
        t = wallets.pay(
            request.auth,
            to,
            body.currency,
            amount,
            idempotency_key,
            note=body.note or body.reference,
        )
    except (LedgerError, AmountError) as exc:
        return _refused(exc)
    return 200, _transfer_out(t)


@router.post(
    "/agents/cash-in",
    response={200: TransferOut, 400: ErrorOut},
    auth=AUTH,
    throttle=MONEY_THROTTLE,
    summary="Agent: pay a customer's wallet from the float",
)
def cash_in(
    request: HttpRequest,
    body: CashInIn,
    idempotency_key: Key = Header(alias="Idempotency-Key"),  # noqa: B008
) -> Any:
    try:
        customer = User.objects.filter(handle=body.customer.lower()).first()
        if customer is None:
            raise LedgerError("Unknown customer.", field="customer")
        amount = _minor(body.currency, body.amount)
        t = agents.cash_in(request.auth, customer, body.currency, amount, idempotency_key)
    except (LedgerError, AmountError) as exc:
        return _refused(exc)
    return 200, _transfer_out(t)


@router.post(
    "/payments/qr",
    response={200: TransferOut, 400: ErrorOut},
    auth=AUTH,
    throttle=MONEY_THROTTLE,
    summary="Pay a merchant's signed payment request",
)
def pay_qr(
    request: HttpRequest,
    body: QrPayIn,
    idempotency_key: Key = Header(alias="Idempotency-Key"),  # noqa: B008
) -> Any:
    try:
        data = payments.read_request(body.request)
        amount = _minor(data["currency"], body.amount) if body.amount else None
        t = payments.pay_request(request.auth, body.request, amount, idempotency_key)
    except (LedgerError, AmountError) as exc:
        return _refused(exc)
    return 200, _transfer_out(t)


@router.get(
    "/lottery/{lottery_id}",
    response={200: dict, 404: ErrorOut},
    summary="A lottery's public record (commitment, tickets, seed, winners)",
)
def lottery_record(request: HttpRequest, lottery_id: uuid.UUID) -> Any:
    found = Lottery.objects.filter(pk=lottery_id).first()
    if found is None:
        return 404, {"code": "not_found", "detail": "No such lottery."}
    return 200, lottery.public_record(found)


class SthOut(Schema):
    tree_size: int
    root_hash: str
    timestamp: str
    signature: str
    public_key: str


class ProofOut(Schema):
    proof: list[str]


@router.get("/transparency/sth", response=SthOut, summary="The latest signed tree head")
def sth(request: HttpRequest) -> dict[str, Any]:
    head = TreeHead.objects.order_by("-tree_size").first() or crowdfunding.sign_tree_head()
    return {**crowdfunding.sth_dict(head), "public_key": keys.public_hex(keys.log_key())}


@router.get(
    "/transparency/inclusion",
    response={200: ProofOut, 400: ErrorOut},
    summary="RFC 6962 audit path for leaf `index` in the tree of `size`",
)
def inclusion(request: HttpRequest, index: Position, size: TreeSize) -> Any:
    try:
        return 200, {"proof": crowdfunding.inclusion(index, size)}
    except LedgerError as exc:
        return _refused(exc)


@router.get(
    "/transparency/consistency",
    response={200: ProofOut, 400: ErrorOut},
    summary="RFC 6962 consistency proof between tree sizes `first` and `second`",
)
def consistency(request: HttpRequest, first: TreeSize, second: TreeSize) -> Any:
    try:
        return 200, {"proof": crowdfunding.consistency(first, second)}
    except LedgerError as exc:
        return _refused(exc)


@router.get("/transparency/leaves", response=list[dict], summary="Leaves (public data)")
def leaves(
    request: HttpRequest, start: Position = 0, count: PageSize = 100
) -> list[dict[str, Any]]:
    from pyithu.finance.models import LogLeaf

    rows = LogLeaf.objects.filter(index__gte=start).order_by("index")[:count]
    return [{"index": r.index, "data": r.data, "leaf_hash": r.leaf_hash} for r in rows]
