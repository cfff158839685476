"""``money_week(hub, node)``: a week of agent cash-in/out and a remittance pay-out at a
township node with no link (decision 0026), for any multi-site test (``test_sites.Site``)."""

from __future__ import annotations

from typing import Any

OPS = "tests.sync.money_ops"


def money_week(hub: Any, node: Any) -> dict[str, Any]:
    """Prepare on the hub, carry it to the node, then a week at the node with no link. The
    caller carries the node's bundle to the hub and checks with ``money_settled``."""
    prepared = hub("call", fn=f"{OPS}.hub_prepare", kwargs={"node_id": node.node_id})
    hub.send(node)
    shown = node(
        "call",
        fn=f"{OPS}.node_week",
        kwargs={"cash_out": prepared["cash_out"], "remittance": prepared["remittance"]},
    )
    assert shown["available"] == 30_000 + 20_000 + 15_000 - 7 * 5_000
    assert shown["operations"] == 9
    assert "float is too small" in shown["refused"] or "လည်ပတ်ငွေ" in shown["refused"]
    return shown


def money_settled(hub: Any, node: Any) -> None:
    """After the node's bundle reached the hub: every operation applied once, books balance."""
    state = hub("call", fn=f"{OPS}.money_state", kwargs={"node_id": node.node_id})
    assert state["problems"] == []
    assert state["outcomes"] == [[seq, "applied"] for seq in range(1, 10)]
    assert state["wallet"] == 100_000 - 20_000 + 7 * 5_000
    assert state["float"] == 30_000 + 20_000 + 15_000 - 7 * 5_000
