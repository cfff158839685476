from django.urls import URLPattern, path

from pyithu.finance.views import agent, giving, lottery, merchant, officer, products, wallet
from pyithu.finance.views import officer_campaigns as desk

app_name = "finance"
urlpatterns: list[URLPattern] = [
    path("", wallet.index, name="index"),
    path("wallet/", wallet.home, name="home"),
    path("open/", wallet.open_wallet, name="open_wallet"),
    path("send/", wallet.transfer, name="transfer"),
    path("send/done/", wallet.transfer_done, name="transfer_done"),
    path("statement/<str:currency>/", wallet.statement, name="statement"),
    path("statement/<str:currency>/csv/", wallet.statement_csv, name="statement_csv"),
    path("pay/", wallet.pay_request, name="pay"),
    path("cash-out/", products.cash_out, name="cash_out"),
    path("exchange/", products.exchange, name="exchange"),
    path("gold/", products.gold, name="gold"),
    path("deposits/", products.deposit_list, name="deposits"),
    path("lottery/", lottery.lotteries, name="lotteries"),
    path("lottery/<uuid:lottery_id>/", lottery.draw_page, name="draw"),
    path("give/", giving.campaigns, name="campaigns"),
    path("give/receipt/", giving.receipt, name="receipt"),
    path("give/receipt/json/", giving.receipt_json, name="receipt_json"),
    path("give/<slug:slug>/", giving.campaign, name="campaign"),
    path("log/", giving.log, name="log"),
    path("check-yourself/", giving.experts, name="experts"),
    path("merchant/", merchant.merchant, name="merchant"),
    path("agent/", agent.agent_home, name="agent_home"),
    path("agent/cash-in/", agent.agent_cash_in, name="agent_cash_in"),
    path("agent/cash-out/", agent.agent_cash_out, name="agent_cash_out"),
    path("agent/remit/", agent.agent_remit, name="agent_remit"),
    path("agent/remit/pay-out/", agent.agent_remit_pay, name="agent_remit_pay"),
    path("books/", officer.books, name="books"),
    path("officer/rates/", officer.rates, name="officer_rates"),
    path("officer/customers/", officer.customers, name="officer_customers"),
    path("officer/agents/", officer.agent_list, name="officer_agents"),
    path("officer/lottery/", lottery.officer_lotteries, name="officer_lotteries"),
    path("officer/campaigns/", desk.campaigns, name="officer_campaigns"),
    path("officer/merchants/", desk.merchants, name="officer_merchants"),
]
