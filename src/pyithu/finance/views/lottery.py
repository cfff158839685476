"""The e-lottery: draws and tickets (citizens), the public draw record, the officer's desk."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from pyithu.core.ids import parse_id
from pyithu.core.pages import citizen_page
from pyithu.finance import draw
from pyithu.finance.examples import example_lottery
from pyithu.finance.forms import TicketForm, new_key
from pyithu.finance.forms.staff import DrawForm, LotteryForm
from pyithu.finance.models import Lottery, LotteryState, Ticket
from pyithu.finance.services import lottery as service
from pyithu.finance.services.ledger import LedgerError
from pyithu.finance.views.common import money, officer_page, refuse


def _my_tickets(user: Any) -> list[dict[str, Any]]:
    if not user.is_authenticated:
        return []
    rows = (
        Ticket.objects.filter(wallet__owner=user).select_related("lottery").order_by("-created_at")
    )
    out = []
    for t in rows[:50]:
        game, prize = t.lottery, ""
        if t.number in game.winners:
            prize = money(game.prizes[game.winners.index(t.number)], game.currency_id)
        out.append({"ticket": t, "lottery": game, "prize": prize})
    return out


@citizen_page
@never_cache
def lotteries(request: HttpRequest) -> HttpResponse:
    """Open draws with a form to buy tickets, past draws, and my tickets."""
    games = list(Lottery.objects.order_by("-created_at")[:20])
    forms = {
        g.pk: TicketForm(initial={"lottery": g.pk, "key": new_key(), "count": 1}) for g in games
    }
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        form, status = TicketForm(request.POST), 400
        game = Lottery.objects.filter(pk=parse_id(request.POST.get("lottery"))).first()
        if game is None:
            messages.error(request, _("This form is out of date. Please start again."))
        else:
            forms[game.pk] = form
        if game is not None and form.is_valid():
            d = form.cleaned_data
            try:
                bought = service.buy_tickets(request.user, game, d["count"], d["key"])
            except LedgerError as exc:
                refuse(form, exc)
            else:
                numbers = ", ".join(str(t.number) for t in bought)
                messages.success(request, _("Your ticket numbers: %(n)s") % {"n": numbers})
                return redirect("finance:lotteries")
    rows = [
        {
            "game": g,
            "price": money(g.ticket_price, g.currency_id),
            "prizes": [money(p, g.currency_id) for p in g.prizes],
            "form": forms[g.pk],
            "open": g.state == LotteryState.OPEN,
        }
        for g in games
    ]
    context = {"rows": rows, "tickets": _my_tickets(request.user)}
    return render(request, "finance/lotteries.html", context, status=status)


@citizen_page(example=example_lottery)
def draw_page(request: HttpRequest, lottery_id: uuid.UUID) -> HttpResponse:
    """The public record of one draw and how anyone re-runs it."""
    game = Lottery.objects.filter(pk=lottery_id).first()
    if game is None:
        raise Http404
    context = {
        "game": game,
        "prizes": [money(p, game.currency_id) for p in game.prizes],
        "winners": list(
            zip(game.winners, [money(p, game.currency_id) for p in game.prizes], strict=False)
        ),
    }
    if request.GET.get("check") and game.state == LotteryState.DRAWN:
        # The same check as `pyithu lottery verify`, run here on the published record.
        context["checked"] = True
        context["problems"] = draw.verify(service.public_record(game))
    return render(request, "finance/draw.html", context)


@officer_page
def officer_lotteries(request: HttpRequest) -> HttpResponse:
    """Create a draw (commitment published at once), close sales, enter the beacon and draw."""
    form, draw_form, status = LotteryForm(), None, 200
    if request.method == "POST":
        status = 400
        game = Lottery.objects.filter(pk=parse_id(request.POST.get("lottery"))).first()
        try:
            if "close" in request.POST and game is not None:
                service.close_sales(request.user, game)
                messages.success(request, _("Sales are closed and the ticket list is frozen."))
                return redirect("finance:officer_lotteries")
            if "draw" in request.POST and game is not None:
                draw_form = DrawForm(request.POST)
                if draw_form.is_valid():
                    service.run_draw(request.user, game, draw_form.cleaned_data["beacon_value"])
                    messages.success(request, _("The draw is done and the seed revealed."))
                    return redirect("finance:draw", lottery_id=game.pk)
            elif "create" in request.POST:
                form = LotteryForm(request.POST)
                if form.is_valid():
                    d = form.cleaned_data
                    game = service.create_lottery(
                        request.user,
                        d["name"],
                        d["currency"],
                        d["price_minor"],
                        d["prizes_minor"],
                        d["beacon_name"],
                    )
                    messages.success(request, _("The draw is open; its commitment is published."))
                    return redirect("finance:draw", lottery_id=game.pk)
        except LedgerError as exc:
            refuse(draw_form or form, exc)
    games = Lottery.objects.order_by("-created_at")[:20]
    context = {"form": form, "draw_form": draw_form, "games": games}
    return render(request, "finance/officer_lotteries.html", context, status=status)
