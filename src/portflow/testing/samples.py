"""Sample customers and requests for tests of code built on portflow.

Schmiedeisen AG is the Zurich customer of seed 002's onboarding example: a
company with one signatory who signs alone and two who sign jointly. Berg &
Son AB (Stockholm) and Fjord Telecom AS (Oslo) are their Swedish and Norwegian
counterparts, each with one signatory who signs alone.
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

BERG_AND_SON = Subscriber(
    "Berg & Son AB",
    address="Storgatan 12",
    city="111 22 Stockholm",
    contact_person="Lars Berg",
    billing_email="faktura@bergson.se",
    phone="08-123 456 78",
    signatories=(Signatory("Lars Berg", SigningRight.SINGLE),),
)
"""A Stockholm company: Lars Berg signs alone (firmatecknare)."""

FJORD_TELECOM = Subscriber(
    "Fjord Telecom AS",
    address="Kongens gate 3",
    city="0153 Oslo",
    contact_person="Kari Nordmann",
    billing_email="faktura@fjordtelecom.no",
    phone="22 12 34 56",
    signatories=(Signatory("Kari Nordmann", SigningRight.SINGLE),),
)
"""An Oslo company: Kari Nordmann signs alone (signaturrett)."""


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
