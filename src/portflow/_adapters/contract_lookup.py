"""The in-memory contract look-up: it answers from the contract the customer declared."""

from __future__ import annotations

import datetime as dt

from portflow._core.errors import ContractLookupFailed
from portflow._core.orders import PortOrder


class DeclaredContractLookup:
    """Answers the binding look-up with the binding end declared in the order's request.

    Tests and simulations use it in place of the previous operator (SPEC 10).
    A contract whose binding nobody knows cannot be answered from the
    declaration, so the look-up fails and the engine tries again later.
    """

    def binding_end(self, order: PortOrder) -> dt.date | None:
        """Return the declared binding end, or ``None`` for a contract without binding.

        Raises:
            ContractLookupFailed: when the declared contract says the binding is unknown.
        """
        contract = order.valid.request.contract
        if not contract.binding_known:
            raise ContractLookupFailed(
                f"Order {order.id}: the declared contract does not say whether the line is "
                "bound; a carrier's own look-up adapter must ask the previous operator."
            )
        return contract.binding_end
