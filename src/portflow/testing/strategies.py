"""Hypothesis strategies for portflow's domain: numbers, blocks, number sets, dates, requests.

Downstream rule suites import them to property-test their own rules:

```python
from hypothesis import given
from portflow.testing import strategies as pst

@given(pst.phone_numbers("CH"))
def test_my_rule(number): ...
```

Every strategy draws only values the library accepts (valid numbers of the
country, blocks within the profile's limit), unless its name says otherwise.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import cast

import phonenumbers
from hypothesis import assume, reject
from hypothesis import strategies as st

from portflow._core.blocks import NumberBlock, parse_block
from portflow._core.calendar import BusinessCalendar
from portflow._core.contracts import DonorContract
from portflow._core.errors import InvalidInput
from portflow._core.number_sets import NumberSet, find_overlaps, parse_numbers
from portflow._core.numbers import NumberType, PhoneNumber, parse_number
from portflow._core.parties import Signatory, SigningRight, Subscriber
from portflow._core.profiles import profile_for
from portflow._core.requests import PortRequest, Service
from portflow._core.sim import SimCard
from portflow._core.timing import Timing, TimingKind

FIRST_CLASS_COUNTRIES = ("CH", "NO", "SE")
"""The countries with a first-class profile."""

_TYPES = {
    NumberType.FIXED_LINE: phonenumbers.PhoneNumberType.FIXED_LINE,
    NumberType.MOBILE: phonenumbers.PhoneNumberType.MOBILE,
}
# Keeping the first two significant digits of an example number keeps drawn
# numbers inside a real range: almost all of them are valid, so little is filtered.
_KEPT_DIGITS = 2
_SEPARATORS = (" ", "-", ".", "/")


def countries() -> st.SearchStrategy[str]:
    """Draw one of the first-class countries."""
    return st.sampled_from(FIRST_CLASS_COUNTRIES)


def _try_number(text: str, country: str) -> PhoneNumber | None:
    try:
        number = parse_number(text, country)
    except InvalidInput:
        return None
    return number if number.country == country else None


@st.composite
def phone_numbers(
    draw: st.DrawFn,
    country: str = "CH",
    types: tuple[NumberType, ...] = (NumberType.FIXED_LINE, NumberType.MOBILE),
) -> PhoneNumber:
    """Draw a valid number of the country, fixed line or mobile by default."""
    kind = draw(st.sampled_from(types))
    example = phonenumbers.example_number_for_type(country, _TYPES[kind])
    if example is None:
        reject()
    significant = phonenumbers.national_significant_number(example)
    kept = significant[:_KEPT_DIGITS]
    size = len(significant) - _KEPT_DIGITS
    tail = draw(st.text("0123456789", min_size=size, max_size=size))
    number = _try_number(f"+{example.country_code}{kept}{tail}", country)
    assume(number is not None)
    return cast("PhoneNumber", number)


@st.composite
def number_texts(draw: st.DrawFn, country: str = "CH") -> tuple[str, PhoneNumber]:
    """Draw a number written as people write it, with the number it must parse to.

    The text is national with its prefix, ``+`` international or ``00``
    international, with separators scattered between the digits.
    """
    number = draw(phone_numbers(country))
    parsed = phonenumbers.parse(number.e164)
    significant = phonenumbers.national_significant_number(parsed)
    prefix = draw(
        st.sampled_from(
            (
                _national_prefix(country),
                f"+{parsed.country_code}",
                f"00{parsed.country_code}",
            )
        )
    )
    pieces = [prefix]
    for digit in significant:
        pieces.append(draw(st.sampled_from(("", "", "", *_SEPARATORS))))
        pieces.append(digit)
    return "".join(pieces), number


def _national_prefix(country: str) -> str:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(country)
    return (metadata.national_prefix if metadata else None) or ""


@st.composite
def number_blocks(
    draw: st.DrawFn, country: str = "CH", max_wildcards: int | None = None
) -> NumberBlock:
    """Draw a valid DDI block of the country with 1 to ``max_wildcards`` wildcards."""
    limit = max_wildcards or profile_for(country).max_block_wildcards
    number = draw(phone_numbers(country, types=(NumberType.FIXED_LINE,)))
    wildcards = draw(st.integers(1, limit))
    try:
        return parse_block(number.e164[:-wildcards] + "x" * wildcards, country)
    except InvalidInput:
        reject()


@st.composite
def number_sets(
    draw: st.DrawFn,
    country: str = "CH",
    max_singles: int = 25,
    max_blocks: int = 3,
) -> NumberSet:
    """Draw a non-empty, overlap-free set of singles and blocks of the country.

    ``max_singles`` may exceed the per-order limit, to exercise splitting.
    """
    singles = draw(st.lists(phone_numbers(country), max_size=max_singles))
    blocks = draw(st.lists(number_blocks(country), max_size=max_blocks))
    entries: list[PhoneNumber | NumberBlock] = [*blocks, *singles]
    clashing = {id(later) for _, later in find_overlaps(entries)}
    kept = [entry for entry in entries if id(entry) not in clashing]
    assume(kept)
    return parse_numbers(kept, country)


def dates(
    min_value: dt.date = dt.date(2000, 1, 1), max_value: dt.date = dt.date(2060, 12, 31)
) -> st.SearchStrategy[dt.date]:
    """Draw calendar dates; the defaults lie within the holiday data of CH, SE and NO."""
    return st.dates(min_value, max_value)


def business_days(
    calendar: BusinessCalendar,
    min_value: dt.date = dt.date(2000, 1, 1),
    max_value: dt.date = dt.date(2060, 12, 1),
) -> st.SearchStrategy[dt.date]:
    """Draw business days of the calendar from ``min_value`` to ``max_value``.

    None falls after the last year of the calendar's holiday data.
    """
    last = min(max_value, dt.date(calendar.last_year, 12, 1))  # on_or_after stays in the data
    return st.dates(min_value, last).map(calendar.on_or_after).filter(lambda day: day <= last)


def aware_datetimes(
    zone: str = "Europe/Zurich",
    min_value: dt.datetime = dt.datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
    max_value: dt.datetime = dt.datetime(2060, 12, 31),  # noqa: DTZ001 - as above
) -> st.SearchStrategy[dt.datetime]:
    """Draw timezone-aware instants, read in the given zone (DST gaps and folds included)."""
    return st.datetimes(min_value, max_value, timezones=st.just(zoneinfo.ZoneInfo(zone)))


def malformed_inputs() -> st.SearchStrategy[object]:
    """Draw inputs no parser may accept: empty, letters, emoji, 40 digits, None, non-text."""
    return st.one_of(
        st.just(""),
        st.just("   "),
        st.text("abcdefghijklmnopqrstuvwyz", min_size=1),
        st.just("📞📞📞"),
        st.just("4" * 40),
        st.just("+" + "9" * 40),
        st.none(),
        st.integers(),
        st.floats(allow_nan=True),
        st.lists(st.integers(), max_size=3),
        st.binary(max_size=12),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    )


_ONE_DAY = dt.timedelta(days=1)


@st.composite
def subscribers(draw: st.DrawFn, country: str = "CH") -> Subscriber:
    """Draw a company with every field a port request needs and one signatory signing alone."""
    contact = draw(st.sampled_from(["Anna Muster", "Lars Berg", "Kari Nordmann"]))
    phone = draw(phone_numbers(country)).e164
    return Subscriber(
        draw(st.sampled_from(["Schmiedeisen AG", "Berg & Son AB", "Fjord Telecom AS"])),
        address=draw(st.sampled_from(["Werkstrasse 1", "Storgatan 12", "Kongens gate 3"])),
        city=draw(st.sampled_from(["8004 Zuerich", "111 22 Stockholm", "0153 Oslo"])),
        contact_person=contact,
        billing_email="billing@reseller.example",
        phone=phone,
        signatories=(Signatory(contact, SigningRight.SINGLE),),
    )


@st.composite
def port_requests(draw: st.DrawFn, country: str = "CH", *, today: dt.date) -> PortRequest:
    """Draw a port request that validates when submitted on ``today``.

    PBX, IP-telephony or mobile (single numbers only, with an eSIM or none),
    within the country's single-number limit, signed by the subscriber's
    signatory, bound at the donor until a day at least two weeks after the
    earliest feasible date, and timed at the contract end, as soon as possible
    or on a business day it allows.
    """
    profile = profile_for(country)
    calendar = BusinessCalendar.for_profile(profile)
    service = draw(st.sampled_from([Service.PBX, Service.IP_TELEPHONY, Service.MOBILE]))
    mobile = service is Service.MOBILE
    numbers = draw(
        number_sets(country, max_singles=profile.max_singles, max_blocks=0 if mobile else 2)
    )
    earliest = calendar.add_business_days(today, profile.asap_lead_business_days)
    binding_end = draw(st.dates(earliest + 14 * _ONE_DAY, earliest + 400 * _ONE_DAY))
    at = draw(st.none() | st.sampled_from([dt.time(6, 0), dt.time(7, 30), dt.time(20, 0)]))
    kind = draw(st.sampled_from(list(TimingKind)))
    if kind is TimingKind.CONTRACT_END:
        timing = Timing.contract_end(at)
    elif kind is TimingKind.ASAP:
        timing = Timing.asap(at)
    else:
        # A mobile number is ported only once its binding is over (seed 003).
        first = binding_end if mobile else earliest
        timing = Timing.on(draw(business_days(calendar, first, first + 60 * _ONE_DAY)), at)
    subscriber = draw(subscribers(country))
    return PortRequest(
        country=country,
        service=service,
        numbers=numbers.entries,
        subscriber=subscriber,
        signers=(subscriber.contact_person,),
        timing=timing,
        contract=DonorContract(binding_end=binding_end),
        reseller="porting@reseller.example",
        sim=draw(st.none() | st.just(SimCard.esim())) if mobile else None,
    )
