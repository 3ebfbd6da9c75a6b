"""When the engine plans a port: SPEC 2 and 3.2 through `portflow.Engine`, in CH, SE and NO.

Every expected instant is worked out by hand. The 2027 calendars used:

- all three: Good Friday 26 March, Easter Monday 29 March, Ascension 6 May,
  Christmas Day 25 (Saturday) and 26 December (Sunday), New Year 1 January
  (2028: a Saturday);
- CH (canton of Zurich, the profile's decision): Whit Monday 17 May; Christmas
  Eve and New Year's Eve are business days;
- SE: Midsummer Eve Friday 25 June, Christmas Eve Friday 24 December and New
  Year's Eve Friday 31 December are not business days (decision); Whit Monday is;
- NO: Maundy Thursday 25 March, Constitution Day and Whit Monday 17 May.

Summer time in all three zones runs from Sunday 28 March to Sunday 31 October
2027, so 07:00 local is 06:00 UTC before and after, 05:00 UTC in between.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from portflow import (
    Code,
    CommandRefused,
    DonorContract,
    Engine,
    NoticePolicy,
    OrderState,
    PortRequest,
    Service,
    TimerAction,
    Timing,
    ValidationFailed,
)
from portflow.testing.samples import BERG_AND_SON, FJORD_TELECOM
from tests_support import SCHMIEDEISEN

ZONES = {
    "CH": ZoneInfo("Europe/Zurich"),
    "SE": ZoneInfo("Europe/Stockholm"),
    "NO": ZoneInfo("Europe/Oslo"),
}
SEVEN = dt.time(7, 0)

CUSTOMERS = {
    "CH": (SCHMIEDEISEN, "Anna Muster", ("0441234567", "04412346xx")),
    "SE": (BERG_AND_SON, "Lars Berg", ("08-123 456 70", "08-1234561x")),
    "NO": (FJORD_TELECOM, "Kari Nordmann", ("22 12 34 50", "2212346x")),
}
"""Subscriber, who signs, and the numbers that move, per country; all valid there."""

COUNTRIES = tuple(CUSTOMERS)


def local(country: str, day: dt.date, at: dt.time = SEVEN) -> dt.datetime:
    """Return a wall-clock instant in the country's zone."""
    return dt.datetime.combine(day, at, ZONES[country])


def utc(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """Return an instant in UTC."""
    return dt.datetime.combine(day, dt.time(hour, minute), dt.UTC)


def port_request(
    country: str, timing: Timing, contract: DonorContract | None = None
) -> PortRequest:
    """Return a valid PBX request of the country's customer with the given timing."""
    subscriber, signer, numbers = CUSTOMERS[country]
    return PortRequest(
        country=country,
        service=Service.PBX,
        numbers=numbers,
        subscriber=subscriber,
        signers=(signer,),
        timing=timing,
        contract=DonorContract() if contract is None else contract,
        reseller="porting@reseller.example",
    )


def engine_on(country: str, day: dt.date, at: dt.time = dt.time(9, 0)) -> Engine:
    """Return an in-memory engine of the country whose clock reads a local date and time."""
    return Engine.in_memory(country=country, now=local(country, day, at))


def planned(
    country: str,
    timing: Timing,
    contract: DonorContract | None = None,
    submitted: dt.date = dt.date(2027, 1, 4),
):
    """Submit a request on a day (09:00 local) and return the stored order."""
    engine = engine_on(country, submitted)
    order = engine.submit(port_request(country, timing, contract))
    assert engine.get(order.id) == order
    return order


def refused(country: str, timing: Timing, submitted: dt.date) -> frozenset[Code]:
    """Submit a request that must fail; return its codes, having checked nothing was stored."""
    engine = engine_on(country, submitted)
    with pytest.raises(ValidationFailed) as raised:
        engine.submit(port_request(country, timing))
    assert list(engine.orders()) == []
    return raised.value.codes


# --- contract end (SPEC 3.2, seed 002) ---------------------------------------------------


@pytest.mark.parametrize("country", COUNTRIES)
@pytest.mark.parametrize(
    ("binding_end", "utc_hour"),
    [
        (dt.date(2027, 3, 31), 5),  # Wednesday after Easter, summer time
        (dt.date(2027, 4, 30), 5),  # a Friday month end
        (dt.date(2027, 11, 1), 6),  # Monday after the autumn change
        (dt.date(2027, 3, 23), 6),  # Tuesday of Holy Week, winter time
    ],
)
def test_a_contract_end_port_executes_on_the_contract_end_at_the_local_time(
    country, binding_end, utc_hour
):
    """SPEC 3.2, seed 002: the date is the contract end, the time the desired local time."""
    order = planned(country, Timing.contract_end(at=SEVEN), DonorContract(binding_end=binding_end))
    assert order.port_at == local(country, binding_end)
    assert order.port_at == utc(binding_end, utc_hour)
    assert order.needs_arrangement is False


CONTRACT_END_ON_A_DAY_OFF = [
    # Easter: Good Friday, Easter Sunday (the spring change) and Easter Monday go back
    # to Thursday 25 March, which Norway keeps as Maundy Thursday: Wednesday 24 there.
    ("CH", dt.date(2027, 3, 26), dt.date(2027, 3, 25), 6),
    ("SE", dt.date(2027, 3, 26), dt.date(2027, 3, 25), 6),
    ("NO", dt.date(2027, 3, 26), dt.date(2027, 3, 24), 6),
    ("CH", dt.date(2027, 3, 28), dt.date(2027, 3, 25), 6),
    ("CH", dt.date(2027, 3, 29), dt.date(2027, 3, 25), 6),
    ("SE", dt.date(2027, 3, 29), dt.date(2027, 3, 25), 6),
    ("NO", dt.date(2027, 3, 29), dt.date(2027, 3, 24), 6),
    # Ascension, Thursday 6 May.
    ("CH", dt.date(2027, 5, 6), dt.date(2027, 5, 5), 5),
    ("SE", dt.date(2027, 5, 6), dt.date(2027, 5, 5), 5),
    ("NO", dt.date(2027, 5, 6), dt.date(2027, 5, 5), 5),
    # Whit Monday 17 May: a holiday in Zurich and Norway, a business day in Sweden.
    ("CH", dt.date(2027, 5, 17), dt.date(2027, 5, 14), 5),
    ("NO", dt.date(2027, 5, 17), dt.date(2027, 5, 14), 5),
    ("SE", dt.date(2027, 5, 17), dt.date(2027, 5, 17), 5),
    # Midsummer Eve, Friday 25 June: not a business day in Sweden only.
    ("SE", dt.date(2027, 6, 25), dt.date(2027, 6, 24), 5),
    ("CH", dt.date(2027, 6, 25), dt.date(2027, 6, 25), 5),
    ("NO", dt.date(2027, 6, 25), dt.date(2027, 6, 25), 5),
    # Christmas: Sunday 26 December goes back over Saturday 25 to Friday 24, which
    # Sweden does not work either.
    ("CH", dt.date(2027, 12, 26), dt.date(2027, 12, 24), 6),
    ("SE", dt.date(2027, 12, 26), dt.date(2027, 12, 23), 6),
    ("NO", dt.date(2027, 12, 26), dt.date(2027, 12, 24), 6),
    # New Year's Eve (a Friday) and New Year's Day 2028 (a Saturday).
    ("CH", dt.date(2027, 12, 31), dt.date(2027, 12, 31), 6),
    ("SE", dt.date(2027, 12, 31), dt.date(2027, 12, 30), 6),
    ("NO", dt.date(2027, 12, 31), dt.date(2027, 12, 31), 6),
    ("CH", dt.date(2028, 1, 1), dt.date(2027, 12, 31), 6),
    ("SE", dt.date(2028, 1, 1), dt.date(2027, 12, 30), 6),
    # Month ends on a weekend; 31 October is also the autumn change.
    ("CH", dt.date(2027, 2, 28), dt.date(2027, 2, 26), 6),
    ("SE", dt.date(2027, 2, 28), dt.date(2027, 2, 26), 6),
    ("NO", dt.date(2027, 7, 31), dt.date(2027, 7, 30), 5),
    ("CH", dt.date(2027, 10, 31), dt.date(2027, 10, 29), 5),
    ("SE", dt.date(2027, 10, 31), dt.date(2027, 10, 29), 5),
    ("NO", dt.date(2027, 10, 31), dt.date(2027, 10, 29), 5),
    # Swiss National Day, Sunday 1 August, and the Saturday before it.
    ("CH", dt.date(2027, 8, 1), dt.date(2027, 7, 30), 5),
]


@pytest.mark.parametrize(
    ("country", "binding_end", "port_day", "utc_hour"),
    CONTRACT_END_ON_A_DAY_OFF,
    ids=[f"{c}-{b}" for c, b, _, _ in CONTRACT_END_ON_A_DAY_OFF],
)
def test_a_contract_end_on_a_day_off_ports_on_the_business_day_before(
    country, binding_end, port_day, utc_hour
):
    """SPEC 3.2 (decision), seed 002: the numbers leave while the donor contract still exists."""
    order = planned(country, Timing.contract_end(at=SEVEN), DonorContract(binding_end=binding_end))
    assert order.port_at == local(country, port_day)
    assert order.port_at == utc(port_day, utc_hour)


@pytest.mark.parametrize("country", COUNTRIES)
def test_the_port_time_defaults_to_seven_local(country):
    """SPEC 3.2 (decision), seed 002: without a desired time of day the port is at 07:00 local."""
    order = planned(country, Timing.contract_end(), DonorContract(binding_end=dt.date(2027, 6, 2)))
    assert order.port_at == local(country, dt.date(2027, 6, 2), SEVEN)


@pytest.mark.parametrize(
    ("notice", "binding_end", "submitted", "port_day", "utc_hour"),
    [
        # Seed 001: the current month plus one month. 15 Jan -> 28 Feb, a Sunday.
        (NoticePolicy.current_month_plus(1), None, dt.date(2027, 1, 15), dt.date(2027, 2, 26), 6),
        # One month after Sunday 31 January is clamped to 28 February, a Sunday.
        (NoticePolicy.months(1), None, dt.date(2027, 1, 31), dt.date(2027, 2, 26), 6),
        # The later of binding end and notice end: notice from 15 Jan ends 15 Apr.
        (
            NoticePolicy.months(3),
            dt.date(2027, 2, 10),
            dt.date(2027, 1, 15),
            dt.date(2027, 4, 15),
            5,
        ),
        (
            NoticePolicy.months(3),
            dt.date(2027, 6, 30),
            dt.date(2027, 1, 15),
            dt.date(2027, 6, 30),
            5,
        ),
        # Seed 001's own examples: received 23 Nov 2026 -> 31 Dec 2026 (a Thursday);
        # received 1 Dec 2026 -> 31 Jan 2027, a Sunday -> Friday 29 January.
        (NoticePolicy.current_month_plus(1), None, dt.date(2026, 11, 23), dt.date(2026, 12, 31), 6),
        (NoticePolicy.current_month_plus(1), None, dt.date(2026, 12, 1), dt.date(2027, 1, 29), 6),
    ],
)
def test_the_contract_end_follows_the_notice_received_on_the_submission_day(
    notice, binding_end, submitted, port_day, utc_hour
):
    """SPEC 3.1 and 3.2, seed 001: contract end = later of binding end and notice end."""
    contract = DonorContract(binding_end=binding_end, notice=notice)
    order = planned("CH", Timing.contract_end(at=SEVEN), contract, submitted=submitted)
    assert order.port_at == local("CH", port_day)
    assert order.port_at == utc(port_day, utc_hour)


@pytest.mark.parametrize(
    ("clock", "port_day", "utc_hour"),
    [
        # 23:30 UTC on 31 January is already 00:30 on 1 February in Zurich: notice
        # received in February ends the contract on 31 March (a Wednesday, summer time).
        (dt.datetime(2027, 1, 31, 23, 30, tzinfo=dt.UTC), dt.date(2027, 3, 31), 5),
        # 22:30 UTC is still 31 January in Zurich: the contract ends 28 February, a Sunday.
        (dt.datetime(2027, 1, 31, 22, 30, tzinfo=dt.UTC), dt.date(2027, 2, 26), 6),
    ],
)
def test_the_notice_day_is_the_local_date_of_the_submission(clock, port_day, utc_hour):
    """SPEC 2 and 3.1, seed 001: dates are read in the country's zone, not in UTC."""
    engine = Engine.in_memory(country="CH", now=clock)
    contract = DonorContract(notice=NoticePolicy.current_month_plus(1))
    order = engine.submit(port_request("CH", Timing.contract_end(at=SEVEN), contract))
    assert order.port_at == utc(port_day, utc_hour)


@pytest.mark.parametrize("country", COUNTRIES)
def test_a_contract_end_port_without_a_known_contract_end_is_refused(country):
    """SPEC 3.2, seed 002: timing.contract_end_unknown when nobody knows the binding end."""
    engine = engine_on(country, dt.date(2027, 1, 4))
    with pytest.raises(ValidationFailed) as raised:
        engine.submit(port_request(country, Timing.contract_end(), DonorContract.unknown()))
    assert Code.TIMING_CONTRACT_END_UNKNOWN in raised.value.codes
    assert list(engine.orders()) == []


# --- fixed dates across daylight saving time and holidays (SPEC 2, 3.2) -------------------


@pytest.mark.parametrize("country", COUNTRIES)
@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        # The spring change is Sunday 28 March; Monday 29 is Easter Monday, so Tuesday 30
        # is the first business day of summer time.
        (dt.date(2027, 3, 30), 5),
        # The autumn change is Sunday 31 October; Monday 1 November is winter time again.
        (dt.date(2027, 11, 1), 6),
        # The last business day of summer time.
        (dt.date(2027, 10, 29), 5),
    ],
)
def test_a_seven_oclock_port_follows_the_clock_change(country, day, utc_hour):
    """SPEC 2 and 3.2, seed 002: 07:00 local is 05:00 UTC in summer time, 06:00 UTC otherwise."""
    order = planned(country, Timing.on(day, at=SEVEN))
    assert order.port_at == utc(day, utc_hour)
    assert order.port_at == local(country, day)
    assert order.port_at.utcoffset() == dt.timedelta(0)


def test_the_thursday_before_easter_is_a_business_day_except_in_norway():
    """SPEC 2, seed 000: Maundy Thursday is a Norwegian holiday only."""
    day = dt.date(2027, 3, 25)
    for country in ("CH", "SE"):
        assert planned(country, Timing.on(day, at=SEVEN)).port_at == utc(day, 6)
    assert Code.TIMING_NOT_BUSINESS_DAY in refused("NO", Timing.on(day), dt.date(2027, 1, 4))


NOT_BUSINESS_DAYS = [
    ("CH", dt.date(2027, 3, 26)),  # Good Friday
    ("SE", dt.date(2027, 3, 26)),
    ("NO", dt.date(2027, 3, 26)),
    ("CH", dt.date(2027, 3, 29)),  # Easter Monday
    ("NO", dt.date(2027, 3, 29)),
    ("CH", dt.date(2027, 5, 6)),  # Ascension
    ("SE", dt.date(2027, 5, 6)),
    ("CH", dt.date(2027, 5, 17)),  # Whit Monday
    ("NO", dt.date(2027, 5, 17)),  # Constitution Day and Whit Monday
    ("SE", dt.date(2027, 6, 25)),  # Midsummer Eve (decision)
    ("SE", dt.date(2027, 12, 24)),  # Christmas Eve (decision)
    ("SE", dt.date(2027, 12, 31)),  # New Year's Eve (decision)
    ("CH", dt.date(2027, 8, 1)),  # National Day, a Sunday
    ("NO", dt.date(2027, 2, 20)),  # a Saturday
]


@pytest.mark.parametrize(("country", "day"), NOT_BUSINESS_DAYS)
def test_a_fixed_date_on_a_day_off_is_refused(country, day):
    """SPEC 3.2, seed 002: a fixed port date must be a business day (timing.not_business_day)."""
    assert Code.TIMING_NOT_BUSINESS_DAY in refused(country, Timing.on(day), dt.date(2027, 1, 4))


@pytest.mark.parametrize(
    ("country", "day"),
    [
        ("CH", dt.date(2027, 6, 25)),  # Midsummer Eve is a Swedish decision only
        ("NO", dt.date(2027, 6, 25)),
        ("CH", dt.date(2027, 12, 24)),  # Christmas Eve works in Zurich and Norway
        ("NO", dt.date(2027, 12, 24)),
        ("CH", dt.date(2027, 12, 31)),
        ("SE", dt.date(2027, 5, 17)),  # Whit Monday works in Sweden
    ],
)
def test_a_day_off_elsewhere_is_a_port_day_here(country, day):
    """SPEC 2, seed 000: each country's own calendar decides."""
    order = planned(country, Timing.on(day, at=SEVEN))
    assert order.port_at == local(country, day)


@pytest.mark.parametrize(
    ("country", "submitted", "too_early", "earliest"),
    [
        # From Monday 22 March: Tue 23, Wed 24, Thu 25, (Easter), Tue 30, Wed 31.
        ("CH", dt.date(2027, 3, 22), dt.date(2027, 3, 30), dt.date(2027, 3, 31)),
        ("SE", dt.date(2027, 3, 22), dt.date(2027, 3, 30), dt.date(2027, 3, 31)),
        # Norway also keeps Thursday 25: Tue 23, Wed 24, Tue 30, Wed 31, Thu 1 April.
        ("NO", dt.date(2027, 3, 22), dt.date(2027, 3, 31), dt.date(2027, 4, 1)),
        # From Monday 20 December: Tue 21, Wed 22, Thu 23, Fri 24, Mon 27 ...
        ("CH", dt.date(2027, 12, 20), dt.date(2027, 12, 24), dt.date(2027, 12, 27)),
        # ... without Christmas Eve in Sweden: Mon 27 is the fourth, Tue 28 the fifth.
        ("SE", dt.date(2027, 12, 20), dt.date(2027, 12, 27), dt.date(2027, 12, 28)),
    ],
)
def test_a_fixed_date_needs_five_business_days_of_lead_time(
    country, submitted, too_early, earliest
):
    """SPEC 3.2 (decision: 5 business days), seed 002: timing.too_early before the earliest date."""
    assert Code.TIMING_TOO_EARLY in refused(country, Timing.on(too_early), submitted)
    order = planned(country, Timing.on(earliest, at=SEVEN), submitted=submitted)
    assert order.port_at == local(country, earliest)


# --- as soon as possible (SPEC 3.2, seed 002) ------------------------------------------------

ASAP_PLANS = [
    ("CH", dt.date(2027, 3, 22), dt.date(2027, 3, 31), 5),
    ("SE", dt.date(2027, 3, 22), dt.date(2027, 3, 31), 5),
    ("NO", dt.date(2027, 3, 22), dt.date(2027, 4, 1), 5),
    ("CH", dt.date(2027, 12, 20), dt.date(2027, 12, 27), 6),
    ("SE", dt.date(2027, 12, 20), dt.date(2027, 12, 28), 6),
    ("NO", dt.date(2027, 12, 20), dt.date(2027, 12, 27), 6),
    # From Monday 27 December: Tue 28, Wed 29, Thu 30, Fri 31, Mon 3 January 2028;
    # Sweden skips New Year's Eve and reaches Tuesday 4 January.
    ("CH", dt.date(2027, 12, 27), dt.date(2028, 1, 3), 6),
    ("SE", dt.date(2027, 12, 27), dt.date(2028, 1, 4), 6),
    ("NO", dt.date(2027, 12, 27), dt.date(2028, 1, 3), 6),
    # From Friday 30 April: Mon 3, Tue 4, Wed 5, (Ascension), Fri 7, Mon 10 May.
    ("CH", dt.date(2027, 4, 30), dt.date(2027, 5, 10), 5),
    ("NO", dt.date(2027, 4, 30), dt.date(2027, 5, 10), 5),
]


@pytest.mark.parametrize(
    ("country", "submitted", "port_day", "utc_hour"),
    ASAP_PLANS,
    ids=[f"{c}-{s}" for c, s, _, _ in ASAP_PLANS],
)
def test_an_asap_port_is_planned_five_business_days_ahead_and_needs_arrangement(
    country, submitted, port_day, utc_hour
):
    """SPEC 3.2, seed 002: "so schnell als möglich" is agreed with the provider."""
    order = planned(country, Timing.asap(at=SEVEN), submitted=submitted)
    assert order.state is OrderState.SUBMITTED
    assert order.needs_arrangement is True
    assert order.port_at == local(country, port_day)
    assert order.port_at == utc(port_day, utc_hour)


@pytest.mark.parametrize(
    ("country", "approved", "port_day", "utc_hour"),
    [
        # Approved Friday 30 April: Mon 3, Tue 4, Wed 5, (Ascension), Fri 7, Mon 10 May.
        ("CH", dt.date(2027, 4, 30), dt.date(2027, 5, 10), 5),
        ("SE", dt.date(2027, 4, 30), dt.date(2027, 5, 10), 5),
        ("NO", dt.date(2027, 4, 30), dt.date(2027, 5, 10), 5),
        # Approved Monday 21 June: Tue 22, Wed 23, Thu 24, Fri 25, Mon 28; Sweden skips
        # Midsummer Eve and reaches Tuesday 29.
        ("CH", dt.date(2027, 6, 21), dt.date(2027, 6, 28), 5),
        ("SE", dt.date(2027, 6, 21), dt.date(2027, 6, 29), 5),
        ("NO", dt.date(2027, 6, 21), dt.date(2027, 6, 28), 5),
    ],
)
def test_approving_an_asap_order_fixes_its_date_from_the_approval_day(
    country, approved, port_day, utc_hour
):
    """SPEC 3.2, seed 002: the provider's approval fixes the ASAP date, counted from that day."""
    engine = engine_on(country, dt.date(2027, 3, 22))
    order = engine.submit(port_request(country, Timing.asap(at=SEVEN)))
    engine.advance(local(country, approved, dt.time(10, 0)))
    assert engine.get(order.id).state is OrderState.SUBMITTED
    fixed = engine.approve(order.id)
    assert fixed.state is OrderState.REQUESTED
    assert fixed.needs_arrangement is False
    assert fixed.port_at == local(country, port_day)
    assert fixed.port_at == utc(port_day, utc_hour)
    assert engine.donor.sent == [order.id]
    scheduled = engine.donor_confirms(order.id)
    assert scheduled.port_at == fixed.port_at
    engine.advance(fixed.port_at)
    done = engine.get(order.id)
    assert done.state is OrderState.COMPLETED
    assert done.history[-1].at == fixed.port_at


def test_an_asap_order_may_be_approved_for_an_agreed_instant():
    """SPEC 3.2, seed 002: the date agreed with the provider replaces the ASAP plan."""
    engine = engine_on("CH", dt.date(2027, 3, 22))
    order = engine.submit(port_request("CH", Timing.asap()))
    agreed = local("CH", dt.date(2027, 4, 14), dt.time(8, 30))
    approved = engine.approve(order.id, port_at=agreed)
    assert approved.port_at == agreed
    assert approved.port_at == utc(dt.date(2027, 4, 14), 6, 30)
    assert approved.needs_arrangement is False
    assert [
        t.due for t in engine.donor_confirms(order.id).timers if t.action is TimerAction.EXECUTE
    ] == [agreed]


def test_an_asap_order_keeps_its_desired_time_of_day_when_approved_later():
    """SPEC 3.2, seed 002: the reseller's desired time survives the provider's date."""
    engine = engine_on("SE", dt.date(2027, 3, 22))
    order = engine.submit(port_request("SE", Timing.asap(at=dt.time(22, 15))))
    assert order.port_at == local("SE", dt.date(2027, 3, 31), dt.time(22, 15))
    engine.advance(local("SE", dt.date(2027, 10, 25), dt.time(9, 0)))
    # From Monday 25 October: Tue 26, Wed 27, Thu 28, Fri 29, Mon 1 November (winter time).
    approved = engine.approve(order.id)
    assert approved.port_at == utc(dt.date(2027, 11, 1), 21, 15)


def test_an_asap_port_before_the_contract_end_warns_of_early_termination_costs():
    """SPEC 3.2, seed 002: timing.asap_before_contract_end is a warning and does not block."""
    contract = DonorContract(binding_end=dt.date(2027, 6, 30))
    order = planned("CH", Timing.asap(at=SEVEN), contract, submitted=dt.date(2027, 3, 22))
    assert order.state is OrderState.SUBMITTED
    assert [w.code for w in order.valid.warnings] == [Code.TIMING_ASAP_BEFORE_CONTRACT_END]
    assert order.port_at == utc(dt.date(2027, 3, 31), 5)


DATED_ON_14_APRIL = pytest.mark.parametrize(
    "timing",
    [
        Timing.on(dt.date(2027, 4, 14), at=SEVEN),
        Timing.contract_end(at=SEVEN),
    ],
    ids=["fixed", "contract-end"],
)
"""A port on Wednesday 14 April 2027 at 07:00: fixed, or the contract's end (binding to then)."""


@DATED_ON_14_APRIL
def test_approving_a_dated_order_later_keeps_its_port_instant(timing):
    """SPEC 3.2, seed 002: only ASAP is replanned at approval; a date already fixed stays."""
    engine = engine_on("CH", dt.date(2027, 3, 22))
    contract = DonorContract(binding_end=dt.date(2027, 4, 14))
    order = engine.submit(port_request("CH", timing, contract))
    assert order.needs_arrangement is False
    assert order.port_at == utc(dt.date(2027, 4, 14), 5)
    engine.advance(local("CH", dt.date(2027, 4, 1), dt.time(10, 0)))
    assert engine.approve(order.id).port_at == order.port_at


@DATED_ON_14_APRIL
def test_a_dated_order_approved_once_its_cancel_freeze_began_is_refused(timing):
    """SPEC 3.2 and 6: the donor must get a dated order before the freeze before its port.

    Submitted for Wednesday 14 April at 07:00, whose freeze starts two business
    days before, on Monday 12 April at 07:00: the provider may approve it up to
    a second before, even though that is inside the lead time the request was
    checked for (decision), and not from then on.
    """
    engine = engine_on("CH", dt.date(2027, 3, 22))
    contract = DonorContract(binding_end=dt.date(2027, 4, 14))
    order = engine.submit(port_request("CH", timing, contract))
    engine.advance(local("CH", dt.date(2027, 4, 12)))
    before = engine.get(order.id)
    with pytest.raises(CommandRefused) as refused:
        engine.approve(order.id)
    assert refused.value.code is Code.TIMING_TOO_EARLY
    assert "cancel freeze" in refused.value.message
    assert engine.get(order.id) == before
    later = local("CH", dt.date(2027, 4, 15))
    assert engine.approve(order.id, port_at=later).port_at == later

    in_time = engine_on("CH", dt.date(2027, 3, 22))
    order = in_time.submit(port_request("CH", timing, contract))
    in_time.advance(local("CH", dt.date(2027, 4, 12)) - dt.timedelta(seconds=1))
    assert in_time.approve(order.id).port_at == utc(dt.date(2027, 4, 14), 5)
