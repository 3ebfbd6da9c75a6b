"""Orders as JSON documents, through one ``cattrs`` converter.

Stores that keep an order as one document use `order_to_document` and
`order_from_document`; a round trip gives an equal order.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import attrs
import cattrs

from portflow._core.blocks import NumberBlock
from portflow._core.calendar import BusinessCalendar
from portflow._core.number_sets import Entry
from portflow._core.numbers import PhoneNumber
from portflow._core.orders import PortOrder
from portflow._core.profiles import CountryProfile
from portflow._core.requests import ValidRequest
from portflow._core.sim import SimCard

Document = dict[str, Any]


def _entry(value: Document, _type: object) -> Entry:
    if "e164" in value:
        return PhoneNumber(value["e164"], value["country"])
    return NumberBlock(value["prefix"], value["wildcards"], value["country"])


def _request_item(value: str | Document, _type: object) -> str | Entry:
    return value if isinstance(value, str) else _entry(value, None)


def _request_sim(value: str | Document | None, _type: object) -> SimCard | str | None:
    return value if value is None or isinstance(value, str) else SimCard(value["icc"])


@functools.cache
def _converter() -> cattrs.Converter:
    converter = cattrs.Converter()
    for kind in (dt.datetime, dt.date, dt.time):
        converter.register_unstructure_hook(kind, kind.isoformat)
    converter.register_structure_hook(dt.datetime, lambda v, _: dt.datetime.fromisoformat(v))
    converter.register_structure_hook(dt.date, lambda v, _: dt.date.fromisoformat(v))
    converter.register_structure_hook(dt.time, lambda v, _: dt.time.fromisoformat(v))
    converter.register_unstructure_hook(dt.timedelta, dt.timedelta.total_seconds)
    converter.register_structure_hook(dt.timedelta, lambda v, _: dt.timedelta(seconds=v))
    converter.register_structure_hook(PhoneNumber | NumberBlock, _entry)
    converter.register_structure_hook(str | PhoneNumber | NumberBlock, _request_item)
    converter.register_structure_hook(SimCard | str | None, _request_sim)
    converter.register_structure_hook(
        str | CountryProfile,
        lambda value, _: (
            value if isinstance(value, str) else converter.structure(value, CountryProfile)
        ),
    )
    return converter


def order_to_document(order: PortOrder) -> Document:
    """Return the order as plain JSON-ready data."""
    document: Document = _converter().unstructure(order)
    return document


def order_from_document(document: Document) -> PortOrder:
    """Return the order a document describes.

    Raises:
        cattrs.BaseValidationError: for a document that does not describe an order.
    """
    order: PortOrder = _converter().structure(document, PortOrder)
    return order.changed(valid=_in_local_zone(order.valid))


def _in_local_zone(valid: ValidRequest) -> ValidRequest:
    """Return the request with its plan back in the country's zone.

    A document keeps the plan's instant with its UTC offset only, and two
    offsets of one zone compare by their wall times: read back as it is, a plan
    in the hour a daylight-saving change repeats would not equal the one saved.
    """
    plan = valid.plan
    local = BusinessCalendar.for_profile(valid.profile).local(plan.port_at)
    return attrs.evolve(valid, plan=attrs.evolve(plan, port_at=local))
