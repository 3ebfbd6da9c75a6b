"""Shared builders for the tests: a valid Swiss PBX request for Schmiedeisen AG (seed 002)."""

import datetime as dt

from portflow import DonorContract
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


def swiss_request(**changes: object) -> PortRequest:
    """Return a valid Swiss PBX request with the given fields changed."""
    fields: dict[str, object] = {
        "country": "CH",
        "service": Service.PBX,
        "numbers": ("0441234567", "04412346xx"),
        "subscriber": SCHMIEDEISEN,
        "signers": ("Anna Muster",),
        "timing": Timing.contract_end(at=dt.time(6, 0)),
        "contract": DonorContract(binding_end=dt.date(2027, 3, 31)),
        "reseller": "porting@reseller.example",
    }
    return PortRequest(**{**fields, **changes})  # type: ignore[arg-type]
