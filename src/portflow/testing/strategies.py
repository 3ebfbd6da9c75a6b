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
import functools
import zoneinfo
from typing import cast

import phonenumbers
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from portflow._core.blocks import NumberBlock, parse_block
from portflow._core.calendar import BusinessCalendar
from portflow._core.contracts import DonorContract
from portflow._core.errors import InvalidInput
from portflow._core.number_sets import NumberSet, find_overlaps, parse_numbers
from portflow._core.numbers import NumberType, PhoneNumber, number_of
from portflow._core.parties import Orderer, Signatory, SigningRight, Subscriber
from portflow._core.profiles import normalise_country, profile_for
from portflow._core.requests import PortRequest, Service
from portflow._core.sim import SimCard
from portflow._core.timing import Timing, TimingKind

FIRST_CLASS_COUNTRIES = ("CH", "NO", "SE")
"""The countries with a first-class profile."""

_DESCRIPTIONS = {
    NumberType.FIXED_LINE: "fixed_line",
    NumberType.MOBILE: "mobile",
    NumberType.TOLL_FREE: "toll_free",
    NumberType.PREMIUM_RATE: "premium_rate",
    NumberType.SHARED_COST: "shared_cost",
    NumberType.VOIP: "voip",
    NumberType.PERSONAL_NUMBER: "personal_number",
    NumberType.PAGER: "pager",
    NumberType.UAN: "uan",
    NumberType.VOICEMAIL: "voicemail",
}
"""The types a numbering plan describes, by the name of its description in phonenumbers."""
# Where fixed and mobile numbers share one pattern (+1), phonenumbers calls them both.
_EITHER = NumberType.FIXED_LINE_OR_MOBILE
_ACCEPTED = {
    NumberType.FIXED_LINE: {NumberType.FIXED_LINE, _EITHER},
    NumberType.MOBILE: {NumberType.MOBILE, _EITHER},
}
_SEPARATORS = (" ", "-", ".", "/")


def countries() -> st.SearchStrategy[str]:
    """Draw one of the first-class countries."""
    return st.sampled_from(FIRST_CLASS_COUNTRIES)


def phone_numbers(
    country: str = "CH",
    types: tuple[NumberType, ...] = (NumberType.FIXED_LINE, NumberType.MOBILE),
) -> st.SearchStrategy[PhoneNumber]:
    """Draw a valid number of the country of one of ``types``, fixed line or mobile by default.

    The national digits come from the numbering plan's own patterns in
    phonenumbers, so numbers spread over all the plan's ranges, in every
    country the engine runs in.

    Raises:
        hypothesis.errors.InvalidArgument: for a type that is not a kind of line
            a numbering plan describes, or that the country's plan has none of.
        InvalidInput: ``country.unknown`` for an unknown country.
    """
    code = normalise_country(country)
    unknown = [kind for kind in types if kind not in _DESCRIPTIONS]
    if unknown or not types:
        raise InvalidArgument(
            f"types must be some of {', '.join(_DESCRIPTIONS)}; got {list(map(str, types))}."
        )
    drawn = [strategy for kind in types if (strategy := _numbers_of(code, kind)) is not None]
    if not drawn:
        raise InvalidArgument(f"The numbering plan of {code} has no {list(map(str, types))}.")
    return st.one_of(drawn)


@functools.cache
def _numbers_of(country: str, kind: NumberType) -> st.SearchStrategy[PhoneNumber] | None:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(country)
    description = getattr(metadata, _DESCRIPTIONS[kind], None)
    if metadata is None or description is None or description.national_number_pattern is None:
        return None
    # phonenumbers' \d would also draw other scripts' digits, which no parser takes.
    pattern = description.national_number_pattern.replace("\\d", "[0-9]")
    general = metadata.general_desc
    lengths = set(description.possible_length or ()) or set(
        general.possible_length if general else ()
    )
    accepted = _ACCEPTED.get(kind, {kind})
    prefix = f"+{metadata.country_code}"

    def valid_number(digits: str) -> PhoneNumber | None:
        number = number_of(prefix + digits, country) if len(digits) in lengths else None
        return number if number is not None and number.type in accepted else None

    return (
        st.from_regex(pattern, fullmatch=True)
        .map(valid_number)
        .filter(lambda number: number is not None)
        .map(lambda number: cast("PhoneNumber", number))
    )


@st.composite
def number_texts(draw: st.DrawFn, country: str = "CH") -> tuple[str, PhoneNumber]:
    """Draw a number written as people write it, with the number it must parse to.

    The text is national as the country writes it, ``+`` international, or
    international after the country's own dialling prefix (``00``, ``011``,
    ``810``), with separators scattered between the digits.
    """
    country = normalise_country(country)
    number = draw(phone_numbers(country))
    parsed = phonenumbers.parse(number.e164)
    significant = phonenumbers.national_significant_number(parsed)
    national = "".join(
        c
        for c in phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        if c.isdigit()
    )
    forms = [national, f"+{parsed.country_code}{significant}"]
    dialled = _international_prefix(country)
    if dialled:
        forms.append(f"{dialled}{parsed.country_code}{significant}")
    form = draw(st.sampled_from([form for form in forms if number_of(form, country) == number]))
    head = "+" if form.startswith("+") else ""
    pieces = [head]
    for digit in form.removeprefix("+"):
        pieces.append(digit)
        pieces.append(draw(st.sampled_from(("", "", "", *_SEPARATORS))))
    text = "".join(pieces).rstrip("".join(_SEPARATORS))
    assume(number_of(text, country) == number)
    return text, number


def _international_prefix(country: str) -> str:
    """Return the digits dialled before a foreign country code, if the plan has plain ones."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(country)
    if metadata is None:
        return ""
    for prefix in (metadata.preferred_international_prefix, metadata.international_prefix):
        if prefix and prefix.isdigit():
            return prefix
    return ""


def number_blocks(
    country: str = "CH", max_wildcards: int | None = None
) -> st.SearchStrategy[NumberBlock]:
    """Draw a valid DDI block of the country with 1 to ``max_wildcards`` wildcards.

    ``max_wildcards`` defaults to the profile's limit, and may not exceed it.

    Raises:
        hypothesis.errors.InvalidArgument: for ``max_wildcards`` outside 1 to the limit.
    """
    limit = profile_for(country).max_block_wildcards
    most = limit if max_wildcards is None else max_wildcards
    if not isinstance(most, int) or not 1 <= most <= limit:
        raise InvalidArgument(
            f"max_wildcards must be from 1 to {limit} for {country}, got {most!r}."
        )

    def block_of(drawn: tuple[PhoneNumber, int]) -> NumberBlock | None:
        number, wildcards = drawn
        try:
            block = parse_block(number.e164[:-wildcards] + "x" * wildcards, country)
        except InvalidInput:
            return None
        # A wider block may reach into a neighbour sharing the calling code (VA in IT).
        return block if block.country == number.country else None

    return (
        st.tuples(phone_numbers(country, types=(NumberType.FIXED_LINE,)), st.integers(1, most))
        .map(block_of)
        .filter(lambda block: block is not None)
        .map(lambda block: cast("NumberBlock", block))
    )


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
    return parse_numbers(kept or [draw(phone_numbers(country))], country)


def dates(
    min_value: dt.date = dt.date(2000, 1, 1), max_value: dt.date = dt.date(2060, 12, 31)
) -> st.SearchStrategy[dt.date]:
    """Draw calendar dates; the defaults lie within the holiday data of CH, SE and NO."""
    return st.dates(min_value, max_value)


def business_days(
    calendar: BusinessCalendar,
    min_value: dt.date = dt.date(2000, 1, 1),
    max_value: dt.date = dt.date(2060, 12, 31),
) -> st.SearchStrategy[dt.date]:
    """Draw business days of the calendar from ``min_value`` to ``max_value``.

    None falls after the last year of the calendar's holiday data.

    Raises:
        hypothesis.errors.InvalidArgument: when ``min_value`` is after the last
            business day the calendar knows.
    """
    known = calendar.on_or_before(dt.date(calendar.last_year, 12, 31))
    if min_value > known:
        raise InvalidArgument(
            f"The holiday data of {calendar.profile.country} ends in {calendar.last_year}; "
            f"its last business day, {known}, is before min_value {min_value}."
        )
    last = min(max_value, known)  # on_or_after of a day up to it stays in the data
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
        # Three letters at least: two may be a country code ("de", "no").
        st.text("abcdefghijklmnopqrstuvwyz", min_size=3),
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


_ORDERING_RIGHTS = ((True, False), (False, True), (True, True))
"""(account owner, account permission) of the users who may order."""


def orderers(*, may_order: bool = True) -> st.SearchStrategy[Orderer]:
    """Draw a customer's self-service user who may order (seed 003), or one who may not.

    A user who may order owns the account, holds the account permission, or both.
    """
    rights = _ORDERING_RIGHTS if may_order else ((False, False),)
    return st.builds(
        lambda name, right: Orderer(name, account_owner=right[0], account_permission=right[1]),
        st.sampled_from(["Anna Muster", "Lars Berg", "Kari Nordmann"]),
        st.sampled_from(rights),
    )


@st.composite
def port_requests(draw: st.DrawFn, country: str = "CH", *, today: dt.date) -> PortRequest:
    """Draw a port request that validates when submitted on ``today``.

    PBX, IP-telephony or mobile (single numbers only, with an eSIM or none),
    within the country's single-number limit, signed by the subscriber's
    signatory, bound at the donor until a day at least two weeks after the
    earliest feasible date, and timed at the contract end, as soon as possible
    or on a business day it allows; placed by the reseller or by a
    self-service user who may order.
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
        orderer=draw(st.none() | orderers()),
    )
