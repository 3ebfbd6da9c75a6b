"""Sample customers and requests for tests of code built on portflow.

Schmiedeisen AG is the Zurich customer of seed 002's onboarding example: a
company with one signatory who signs alone and two who sign jointly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from portflow._core.contracts import DonorContract
from portflow._core.parties import Signatory, SigningRight, Subscriber
from portflow._core.requests import PortRequest, Service
from portflow._core.timing import Timing

SCHMIEDEISEN = Subscriber(
    "Schmiedeisen AG",
    address="Werkstrasse 1",
    city="8004 Zuerich",
    contact_person="Anna Muster",
    billing_email="rechnung@schmiedeisen.ch",
    phone="044 123 45 67",
    signatories=(
        Signatory("Anna Muster", SigningRight.SINGLE),
        Signatory("Beat Keller", SigningRight.COLLECTIVE),
        Signatory("Carla Frei", SigningRight.COLLECTIVE),
    ),
)
"""A Zurich company: Anna Muster signs alone, Beat Keller and Carla Frei jointly."""


def swiss_request(**changes: Any) -> PortRequest:  # noqa: ANN401 - any PortRequest field
    """Return a valid Swiss PBX request of Schmiedeisen AG with the given fields changed.

    By default: a single number and a DDI block, signed by Anna Muster, porting
    at 06:00 at the contract end (binding until 31 March 2027).
    """
    fields: dict[str, Any] = {
        "country": "CH",
        "service": Service.PBX,
        "numbers": ("0441234567", "04412346xx"),
        "subscriber": SCHMIEDEISEN,
        "signers": ("Anna Muster",),
        "timing": Timing.contract_end(at=dt.time(6, 0)),
        "contract": DonorContract(binding_end=dt.date(2027, 3, 31)),
        "reseller": "porting@reseller.example",
    }
    return PortRequest(**(fields | changes))
