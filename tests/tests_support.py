"""Shared builders for the tests: Schmiedeisen AG's Swiss requests (seeds 000, 002)."""

from __future__ import annotations

import datetime as dt

from portflow import BroadbandRequest, DonorContract
from portflow.testing.samples import SCHMIEDEISEN, swiss_request

__all__ = ["LINE", "RESELLER", "SCHMIEDEISEN", "broadband", "swiss_request"]

LINE = "0441234567"
"""Schmiedeisen AG's broadband line, as the customer writes it."""
RESELLER = "porting@reseller.example"


def broadband(
    binding_end: dt.date | None = None, *, contract: DonorContract | None = None, **changes
) -> BroadbandRequest:
    """Return Schmiedeisen AG's ADSL takeover of its line, bound until ``binding_end``."""
    fields = {
        "country": "CH",
        "line": LINE,
        "subscriber": SCHMIEDEISEN,
        "signers": ("Anna Muster",),
        "power_of_attorney": True,
        "donor": "Swisscom",
        "contract": contract or DonorContract(binding_end=binding_end),
        "reseller": RESELLER,
    }
    return BroadbandRequest(**(fields | changes))
