"""When a port executes: SPEC 3.2, seed 002.

Seed 002: the reseller enters the desired time of day; the date is set to the
contract end automatically, or, for "as soon as possible", agreed with the
provider. The plan is worked out in the country's zone, so 07:00 stays 07:00
local on both sides of a daylight-saving change.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from portflow._core.calendar import BusinessCalendar, local_time_of_day, plain_date, shared_utc
from portflow._core.contracts import DonorContract
from portflow._core.errors import Code, Severity, Violation, member_of


class TimingKind(enum.StrEnum):
    """Which rule chooses the port date."""

    CONTRACT_END = "contract_end"
    ASAP = "asap"
    FIXED = "fixed"


def _timing_kind(value: object) -> TimingKind:
    return member_of(TimingKind, value, "kind")


@attrs.frozen(weakref_slot=False)
class Timing:
    """The port date the request asks for; make one with the class methods."""

    kind: TimingKind = attrs.field(converter=_timing_kind)
    day: dt.date | None = None
    """The requested date, for a fixed-date request only."""
    at: dt.time | None = None
    """The desired local time of day; ``None`` takes the profile's default."""

    @classmethod
    def contract_end(cls, at: dt.time | None = None) -> Timing:
        """Port on the donor contract's last day (or the business day before it)."""
        return cls(TimingKind.CONTRACT_END, at=at)

    @classmethod
    def asap(cls, at: dt.time | None = None) -> Timing:
        """Port as soon as possible; the date needs the provider's arrangement."""
        return cls(TimingKind.ASAP, at=at)

    @classmethod
    def on(cls, day: dt.date, at: dt.time | None = None) -> Timing:
        """Port on a fixed business day."""
        return cls(TimingKind.FIXED, day=day, at=at)


@attrs.frozen(weakref_slot=False)
class PortPlan:
    """The port instant a request leads to, and whether the provider must agree it."""

    port_at: dt.datetime
    """The planned instant, aware, in the country's zone."""
    needs_arrangement: bool = False
    """ASAP requests: the date is fixed only when the provider approves it."""
    port_at_utc: dt.datetime = attrs.field(init=False, eq=False, repr=False)
    """The same instant in UTC, as orders keep it; derived from `port_at`."""

    def __attrs_post_init__(self) -> None:
        """Derive the UTC instant; plans of one local instant share it (ports cluster)."""
        object.__setattr__(self, "port_at_utc", shared_utc(self.port_at, "port_at"))


def _violation(code: Code, message: str, severity: Severity = Severity.ERROR) -> Violation:
    return Violation(code, message, "timing", severity)


def _not_bound(day: dt.date, bound_until: dt.date | None, calendar: BusinessCalendar) -> dt.date:
    """Return ``day``, or the first business day on or after the binding end if that is later."""
    if bound_until is None or day >= bound_until:
        return day
    return calendar.on_or_after(bound_until)


def earliest_port_day(calendar: BusinessCalendar, placed: dt.date) -> dt.date:
    """Return the first day a donor can port an order it gets on ``placed`` (its lead time)."""
    return calendar.add_business_days(placed, calendar.profile.asap_lead_business_days)


def plan_port(
    timing: Timing,
    contract: DonorContract,
    calendar: BusinessCalendar,
    today: dt.date,
    *,
    bound_until: dt.date | None = None,
) -> tuple[PortPlan | None, list[Violation]]:
    """Work out the port instant of a request made on ``today``, with every violation.

    The earliest feasible date is ``today`` plus the profile's lead time in
    business days. A contract-end port that falls on a day off moves to the
    business day before it, so the numbers leave while the contract still
    exists (decision), unless that would port before ``bound_until``, the
    binding's last day, which no port may precede (SPEC 8, mobile): then it
    moves to the business day on or after it, with a warning when that is after
    the contract's end. An ASAP port is not planned before ``bound_until``
    either. Notice is taken as received ``today``.

    Returns:
        The plan (``None`` when no date could be worked out) and the violations:
        ``timing.contract_end_unknown``, ``timing.not_business_day``,
        ``timing.too_early`` (errors), ``timing.asap_before_contract_end`` and
        ``timing.after_contract_end`` (warnings).
    """
    profile = calendar.profile
    at = profile.default_port_time if timing.at is None else local_time_of_day(timing.at, "at")
    earliest = earliest_port_day(calendar, today)
    contract_end = contract.contract_end(today)
    violations: list[Violation] = []
    if timing.kind is TimingKind.ASAP:
        day = _not_bound(earliest, bound_until, calendar)
        if contract_end is not None and day < contract_end:
            violations.append(
                _violation(
                    Code.TIMING_ASAP_BEFORE_CONTRACT_END,
                    f"The earliest port date {day} is before the contract end "
                    f"{contract_end}; ending the donor contract early may cost fees.",
                    Severity.WARNING,
                )
            )
        return PortPlan(calendar.at(day, at), needs_arrangement=True), violations
    if timing.kind is TimingKind.CONTRACT_END:
        if contract_end is None:
            violations.append(
                _violation(
                    Code.TIMING_CONTRACT_END_UNKNOWN,
                    "The port is to happen at the contract end, but the donor contract's "
                    "binding end is unknown; give it, or ask for ASAP or a fixed date.",
                )
            )
            return None, violations
        day = _not_bound(calendar.on_or_before(contract_end), bound_until, calendar)
        if day > contract_end:
            violations.append(
                _violation(
                    Code.TIMING_AFTER_CONTRACT_END,
                    f"The contract ends on {contract_end} ({contract_end:%A}), not a business "
                    f"day; the business day before would leave binding time, so the port is "
                    f"planned for {day}, after the contract's end. Make sure the donor keeps "
                    "the number until then.",
                    Severity.WARNING,
                )
            )
    else:
        day = plain_date(timing.day, "day")  # a fixed timing without its date is no plan
        if not calendar.is_business_day(day):
            violations.append(
                _violation(
                    Code.TIMING_NOT_BUSINESS_DAY,
                    f"{day} ({day:%A}) is not a business day in {profile.country}; "
                    f"the nearest ones are {calendar.previous_business_day(day)} and "
                    f"{calendar.next_business_day(day)}.",
                )
            )
    if day < earliest:
        violations.append(
            _violation(
                Code.TIMING_TOO_EARLY,
                f"The port date {day} is too early; the earliest feasible date is "
                f"{earliest} ({profile.asap_lead_business_days} business days ahead).",
            )
        )
    return PortPlan(calendar.at(day, at)), violations
