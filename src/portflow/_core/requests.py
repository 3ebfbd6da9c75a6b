"""Port requests and their validation: SPEC 1.3, 3.2, 4 and 5, seed 002.

Validation reports every violation of a request at once, errors and warnings;
warnings never block.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from portflow._core.blocks import NumberBlock
from portflow._core.calendar import BusinessCalendar
from portflow._core.contracts import DonorContract
from portflow._core.errors import (
    Code,
    InvalidInput,
    Severity,
    ValidationFailed,
    Violation,
    checked_instance,
    member_of,
    raise_if_errors,
)
from portflow._core.holdings import HeldBy, clashes
from portflow._core.number_sets import Entry, NumberSet, entry_text, parse_entry, parse_numbers
from portflow._core.numbers import PhoneNumber
from portflow._core.parties import (
    Orderer,
    Subscriber,
    authorization_violations,
    email_violations,
    purchase_violations,
    subscriber_violations,
)
from portflow._core.profiles import CountryProfile, profile_for
from portflow._core.sim import SimCard
from portflow._core.timing import PortPlan, Timing, TimingKind, plan_port


class Service(enum.StrEnum):
    """The telephony service the numbers move to."""

    PBX = "pbx"
    MOBILE = "mobile"
    IP_TELEPHONY = "ip_telephony"
    BROADBAND = "broadband"
    """A broadband (ADSL) line taken over from the previous operator (`BroadbandRequest`)."""

    @property
    def has_temporary_numbers(self) -> bool:
        """Whether the numbers get temporary ones until the port (SPEC 7: not a broadband line)."""
        return self is not Service.BROADBAND


class PortType(enum.StrEnum):
    """Whether the whole donor contract moves or only the listed numbers."""

    FULL = "full"
    """Vollportierung: every number moves; the donor contract ends on the port date."""
    PARTIAL = "partial"
    """Teilportierung: only the listed numbers move; the donor contract continues."""

    @classmethod
    def recommend(cls, contract: DonorContract) -> PortType:
        """Recommend partial porting when internet rides on the donor contract (seed 002)."""
        return cls.PARTIAL if contract.bundles_internet else cls.FULL


def _number_items(
    items: Iterable[str | PhoneNumber | NumberBlock],
) -> tuple[str | PhoneNumber | NumberBlock, ...]:
    # A lone string is one number, not a sequence of characters.
    return (items,) if isinstance(items, str) else tuple(items)


def _names(names: Iterable[str]) -> tuple[str, ...]:
    if isinstance(names, str):
        return (names,)
    listed = tuple(names) if isinstance(names, Iterable) else None
    if listed is None or not all(isinstance(name, str) for name in listed):
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            f"signers must be names as text, got {names!r}.",
            "signers",
        )
    return listed


def _of(*kinds: type) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    """Return a validator refusing a value of another kind with ``argument.invalid``."""

    def validate(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:  # noqa: ANN401 - any field's value
        checked_instance(value, kinds, attribute.name)

    return validate


def _service(value: object) -> Service:
    return member_of(Service, value, "service")


def _port_type(value: object) -> PortType:
    return member_of(PortType, value, "port_type")


@attrs.frozen(weakref_slot=False)
class PortRequest:
    """What a reseller asks for: which numbers move, when, and under whose signature."""

    country: str | CountryProfile
    """An ISO country code (``"CH"``), or a customised profile of the country's rules."""
    service: Service = attrs.field(converter=_service)
    numbers: tuple[str | PhoneNumber | NumberBlock, ...] = attrs.field(converter=_number_items)
    """Single numbers and ``x``-wildcard blocks, as text or parsed."""
    subscriber: Subscriber = attrs.field(validator=_of(Subscriber))
    signers: tuple[str, ...] = attrs.field(converter=_names)
    """Who signed the letter of authorization."""
    timing: Timing = attrs.field(validator=_of(Timing))
    port_type: PortType = attrs.field(default=PortType.PARTIAL, converter=_port_type)
    donor: str | None = attrs.field(default=None, validator=_of(str, type(None)))
    """The current operator, or ``None`` when unknown ("Unbekannt", seed 002)."""
    contract: DonorContract = attrs.field(factory=DonorContract, validator=_of(DonorContract))
    reseller: str = attrs.field(default="", validator=_of(str))
    """Where reseller notifications go (clarifications, advice)."""
    sim: SimCard | str | None = None
    """Mobile: the SIM card (its ICC) or eSIM sent to the customer; the temporary
    number works from its activation (seed 000, 003). An ICC given as text is read
    as a physical card's when the request is validated (``sim.invalid_icc`` with
    the request's other violations); `ValidRequest.sim` holds the card."""
    power_of_attorney: bool = attrs.field(default=False, validator=_of(bool))
    """Broadband: the customer allowed the binding look-up at the previous operator
    (required; `BroadbandRequest` sets it)."""
    orderer: Orderer | None = attrs.field(default=None, validator=_of(Orderer, type(None)))
    """The customer's user who placed the order in self-service, who must be allowed to
    buy subscriptions (seed 003); ``None`` when the reseller or provider placed it."""


@attrs.frozen(weakref_slot=False)
class BroadbandRequest:
    """A broadband (ADSL) line to be taken over from the previous operator (SPEC 8, seed 000).

    With the customer's power of attorney the new operator looks up the binding
    left at the previous operator when the order is approved; the 6-month rule
    then decides when the order is placed and when the line is connected.
    """

    country: str | CountryProfile
    """An ISO country code (``"CH"``), or a customised profile of the country's rules."""
    line: str | PhoneNumber = attrs.field(validator=_of(str, PhoneNumber))
    """The telephone number of the line taken over; no two live orders take the same line."""
    subscriber: Subscriber = attrs.field(validator=_of(Subscriber))
    signers: tuple[str, ...] = attrs.field(converter=_names)
    """Who signed the order and the power of attorney."""
    power_of_attorney: bool = attrs.field(validator=_of(bool))
    """Whether the customer allowed the binding look-up at the previous operator."""
    donor: str | None = attrs.field(default=None, validator=_of(str, type(None)))
    """The previous operator, or ``None`` when unknown."""
    contract: DonorContract = attrs.field(factory=DonorContract, validator=_of(DonorContract))
    """The contract at the previous operator as the customer declares it; the in-memory
    contract look-up answers from it."""
    reseller: str = attrs.field(default="", validator=_of(str))
    """Where reseller notifications go (clarifications, advice)."""
    orderer: Orderer | None = attrs.field(default=None, validator=_of(Orderer, type(None)))
    """The customer's user who placed the order in self-service, who must be allowed to
    buy subscriptions (seed 003); ``None`` when the reseller or provider placed it."""

    def as_port_request(self) -> PortRequest:
        """Return the port request the engine runs: the line, taken over as soon as the rule allows.

        The connection date is not asked for: the binding look-up at approval fixes
        it, so the request is ASAP and the whole line moves.
        """
        return PortRequest(
            country=self.country,
            service=Service.BROADBAND,
            numbers=(self.line,),
            subscriber=self.subscriber,
            signers=self.signers,
            timing=Timing.asap(),
            port_type=PortType.FULL,
            donor=self.donor,
            contract=self.contract,
            reseller=self.reseller,
            power_of_attorney=self.power_of_attorney,
            orderer=self.orderer,
        )


def _reseller_violations(reseller: str) -> list[Violation]:
    if reseller.strip():
        return list(email_violations(reseller, "reseller"))
    return [
        Violation(
            Code.CUSTOMER_MISSING_FIELD,
            "The reseller's contact (an e-mail address) is missing; clarifications "
            "and advice about the order go there.",
            "reseller",
        )
    ]


def binding_floor(request: PortRequest) -> dt.date | None:
    """Return the binding end no port of the request may precede: a mobile number's (SPEC 8)."""
    return request.contract.binding_end if request.service is Service.MOBILE else None


def _sim_card(sim: SimCard | str | None) -> tuple[SimCard | None, list[Violation]]:
    """Return the request's SIM card, an ICC given as text read as a physical card's."""
    if sim is None or isinstance(sim, SimCard):
        return sim, []
    try:
        return SimCard(sim), []
    except InvalidInput as error:
        return None, [error.violation]


def _binding_violations(request: PortRequest, plan: PortPlan | None) -> list[Violation]:
    """Seed 003: a mobile number is ported in only once no binding time is left."""
    binding_end = request.contract.binding_end
    fixed = request.timing.kind is TimingKind.FIXED
    if request.service is not Service.MOBILE or not fixed or plan is None or binding_end is None:
        return []
    port_day = plan.port_at.date()
    if port_day >= binding_end:
        return []
    return [
        Violation(
            Code.BINDING_REMAINING,
            f"The number is bound at the donor until {binding_end}; a port on {port_day} "
            "would leave binding time. Choose a date on or after the binding end, or ask "
            "for the contract end.",
            "timing",
        )
    ]


def _mobile_violations(request: PortRequest, numbers: NumberSet | None) -> list[Violation]:
    """A mobile number moves onto its own SIM (seed 000): single numbers, no DDI block."""
    if request.service is not Service.MOBILE or numbers is None or not numbers.blocks:
        return []
    blocks = ", ".join(block.text for block in numbers.blocks)
    return [
        Violation(
            Code.ARGUMENT_INVALID,
            f"A mobile port moves single numbers, each onto its SIM; got the block(s) {blocks}. "
            "Port DDI blocks with a PBX or IP-telephony request.",
            "numbers",
        )
    ]


def _line_violations(request: PortRequest, numbers: NumberSet | None) -> list[Violation]:
    """A broadband takeover moves one line: one single number, not a block."""
    if request.service is not Service.BROADBAND or numbers is None:
        return []
    if len(numbers.singles) == 1 and not numbers.blocks:
        return []
    given = ", ".join(entry_text(entry) for entry in numbers.entries)
    return [
        Violation(
            Code.ARGUMENT_INVALID,
            f"A broadband takeover moves one line, its single telephone number; got {given}. "
            "Port the other numbers with a PBX or IP-telephony request.",
            "numbers",
        )
    ]


def _power_of_attorney_violations(request: PortRequest) -> list[Violation]:
    if request.service is not Service.BROADBAND or request.power_of_attorney is True:
        return []
    return [
        Violation(
            Code.BINDING_NO_POWER_OF_ATTORNEY,
            "The customer gave no power of attorney, so the binding left at the previous "
            "operator may not be looked up; have the customer sign one and set "
            "power_of_attorney=True.",
            "power_of_attorney",
        )
    ]


@attrs.frozen(weakref_slot=False)
class ValidRequest:
    """A request that passed validation: its parsed numbers, its plan and its warnings."""

    request: PortRequest
    profile: CountryProfile
    numbers: NumberSet
    plan: PortPlan
    warnings: tuple[Violation, ...]
    sim: SimCard | None = None
    """The request's SIM card, read from its ICC when the request gave it as text."""


def _planned(
    request: PortRequest,
    timing: Timing,
    contract: DonorContract,
    profile: CountryProfile,
    today: dt.date,
) -> tuple[PortPlan | None, list[Violation]]:
    """Plan the port; a timing or contract that cannot be read is one more violation."""
    try:
        return plan_port(
            timing,
            contract,
            BusinessCalendar.for_profile(profile),
            today,
            bound_until=binding_floor(request),
        )
    except InvalidInput as error:
        return None, [attrs.evolve(error.violation, field=f"timing.{error.field}".rstrip("."))]


def _parsable(items: Iterable[object], profile: CountryProfile) -> list[Entry]:
    entries = []
    for item in items:
        try:
            entries.append(parse_entry(item, profile))
        except InvalidInput:
            continue
    return entries


def validate_request(
    request: PortRequest | BroadbandRequest,
    today: dt.date,
    *,
    within_group: bool = False,
    held_by: HeldBy | None = None,
    order_id: str = "",
) -> ValidRequest:
    """Check everything about a request made on ``today`` and report all violations.

    ``within_group`` lifts the single-number limit for a request that is about
    to be split into a port group. ``held_by`` looks up the numbers held by live
    orders other than ``order_id`` (``numbers.already_in_port``).

    Raises:
        ValidationFailed: with every error and warning, when there is an error.
    """
    violations: list[Violation] = []
    checked_instance(request, (PortRequest, BroadbandRequest), "request")
    if isinstance(request, BroadbandRequest):
        request = request.as_port_request()
    violations.extend(_power_of_attorney_violations(request))
    try:
        profile = profile_for(request.country)
    except InvalidInput as error:
        raise ValidationFailed([*violations, error.violation]) from None
    numbers: NumberSet | None = None
    try:
        numbers = parse_numbers(request.numbers, profile)
    except ValidationFailed as failed:
        violations.extend(failed.violations)
    violations.extend(_line_violations(request, numbers))
    violations.extend(_mobile_violations(request, numbers))
    if numbers is not None and not within_group:
        limit = numbers.single_limit_violation(profile.max_singles)
        if limit is not None:
            violations.append(limit)
    if held_by is not None:
        # Units that parse are checked even when others do not: all violations at once.
        entries = numbers.entries if numbers is not None else _parsable(request.numbers, profile)
        violations.extend(clashes(order_id, entries, held_by))
    sim, sim_violations = _sim_card(request.sim)
    violations.extend(sim_violations)
    violations.extend(_reseller_violations(request.reseller))
    violations.extend(subscriber_violations(request.subscriber, profile))
    violations.extend(authorization_violations(request.subscriber, request.signers))
    violations.extend(purchase_violations(request.orderer))
    # A takeover's dates come from the binding look-up at approval, not from the
    # request, so planning only finds the earliest feasible date.
    timing, contract = request.timing, request.contract
    if request.service is Service.BROADBAND:
        timing, contract = Timing.asap(timing.at), DonorContract()
    plan, timing_violations = _planned(request, timing, contract, profile, today)
    violations.extend(timing_violations)
    violations.extend(_binding_violations(request, plan))
    if request.port_type is PortType.FULL and request.contract.bundles_internet:
        violations.append(
            Violation(
                Code.PORT_FULL_CUTS_BUNDLED_SERVICES,
                "The donor contract bundles internet with telephony; a full port ends it on "
                "the port date and cuts the internet too. Partial porting is recommended.",
                "port_type",
                Severity.WARNING,
            )
        )
    warnings = raise_if_errors(violations)
    if numbers is None or plan is None:  # never: both cases are errors, raised above
        raise ValidationFailed(violations)
    return ValidRequest(request, profile, numbers, plan, warnings, sim)
