"""Timing of a port: SPEC 3.2, seed 002 (contract end, ASAP by arrangement, fixed date)."""

import datetime as dt
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given

from portflow import BusinessCalendar, Code, DonorContract, InvalidInput, NoticePolicy, Severity
from portflow._core.timing import PortPlan, Timing, plan_port
from portflow.testing import strategies as pst

CH = BusinessCalendar.for_country("CH")
SE = BusinessCalendar.for_country("SE")
TODAY = dt.date(2026, 11, 23)  # a Monday


def codes(violations):
    """Return the codes of the violations, in order."""
    return [violation.code for violation in violations]


def test_contract_end_on_a_business_day_ports_that_day_at_the_desired_time():
    """SPEC 3.2, seed 002: the date is set to the contract end, at the desired time."""
    contract = DonorContract(binding_end=dt.date(2026, 12, 31))
    plan, violations = plan_port(Timing.contract_end(at=dt.time(6, 30)), contract, CH, TODAY)
    assert violations == []
    assert plan is not None
    assert plan.port_at.isoformat() == "2026-12-31T06:30:00+01:00"
    assert not plan.needs_arrangement


def test_a_contract_ending_on_a_holiday_ports_the_business_day_before():
    """SPEC 3.2 (decision): the numbers leave while the donor contract still exists."""
    contract = DonorContract(binding_end=dt.date(2026, 12, 26))  # Saturday after Christmas
    plan, _ = plan_port(Timing.contract_end(), contract, CH, TODAY)
    assert plan is not None
    assert plan.port_at.date() == dt.date(2026, 12, 24)  # 25 Dec is a holiday in CH
    assert plan.port_at.time() == dt.time(7, 0)  # the profile's default time


def test_a_contract_ending_on_easter_monday_in_sweden_ports_on_maundy_thursday():
    """SPEC 3.2: Good Friday and Easter Monday are holidays in SE."""
    contract = DonorContract(binding_end=dt.date(2027, 3, 29))
    plan, _ = plan_port(Timing.contract_end(), contract, SE, TODAY)
    assert plan is not None
    assert plan.port_at.date() == dt.date(2027, 3, 25)


def test_an_unknown_contract_end_is_refused():
    """SPEC 3.2: unknown contract end -> timing.contract_end_unknown."""
    plan, violations = plan_port(Timing.contract_end(), DonorContract.unknown(), CH, TODAY)
    assert plan is None
    assert codes(violations) == [Code.TIMING_CONTRACT_END_UNKNOWN]


def test_the_notice_policy_decides_the_contract_end_without_binding():
    """SPEC 3.1/3.2, seed 001: current month plus one: notice on 23 Nov ends 31 Dec."""
    contract = DonorContract(notice=NoticePolicy.current_month_plus(1))
    plan, _ = plan_port(Timing.contract_end(), contract, CH, TODAY)
    assert plan is not None
    assert plan.port_at.date() == dt.date(2026, 12, 31)


def test_asap_is_five_business_days_ahead_and_needs_arrangement():
    """SPEC 3.2, seed 002: ASAP is agreed with the provider; lead time 5 business days."""
    plan, violations = plan_port(Timing.asap(), DonorContract(), CH, TODAY)
    assert plan is not None
    assert plan.needs_arrangement
    assert plan.port_at.date() == dt.date(2026, 11, 30)
    assert violations == []


def test_asap_over_christmas_skips_the_holidays():
    """SPEC 3.2: business days exclude 25 and 26 Dec and 1 Jan in CH (ZH)."""
    plan, _ = plan_port(Timing.asap(), DonorContract(), CH, dt.date(2026, 12, 22))
    assert plan is not None
    assert plan.port_at.date() == dt.date(2026, 12, 30)


def test_asap_before_the_contract_end_warns_of_early_termination_costs():
    """SPEC 3.2: ASAP before the contract end -> warning, never blocking."""
    contract = DonorContract(binding_end=dt.date(2027, 6, 30))
    plan, violations = plan_port(Timing.asap(), contract, CH, TODAY)
    assert plan is not None
    assert codes(violations) == [Code.TIMING_ASAP_BEFORE_CONTRACT_END]
    assert violations[0].severity is Severity.WARNING


def test_a_fixed_date_on_a_weekend_or_holiday_is_refused():
    """SPEC 3.2: a fixed date must be a business day."""
    for day in (dt.date(2026, 12, 5), dt.date(2026, 12, 25), dt.date(2027, 3, 29)):
        _, violations = plan_port(Timing.on(day), DonorContract(), CH, TODAY)
        assert codes(violations) == [Code.TIMING_NOT_BUSINESS_DAY], day


def test_a_fixed_date_before_the_lead_time_is_too_early_and_the_earliest_is_accepted():
    """SPEC 3.2: not before the earliest feasible date (boundary: day 4 and day 5)."""
    _, early = plan_port(Timing.on(dt.date(2026, 11, 27)), DonorContract(), CH, TODAY)
    plan, ok = plan_port(Timing.on(dt.date(2026, 11, 30)), DonorContract(), CH, TODAY)
    assert codes(early) == [Code.TIMING_TOO_EARLY]
    assert ok == []
    assert plan is not None


@pytest.mark.parametrize(
    ("day", "offset"),
    [
        (dt.date(2026, 3, 27), "+01:00"),  # Friday before the spring change
        (dt.date(2026, 3, 30), "+02:00"),  # Monday after it
        (dt.date(2026, 10, 23), "+02:00"),  # Friday before the autumn change
        (dt.date(2026, 10, 26), "+01:00"),  # Monday after it
    ],
)
def test_the_local_port_time_holds_across_daylight_saving_changes(day, offset):
    """SPEC 2/3.2: 07:00 local stays 07:00 local; only the UTC offset changes."""
    plan, _ = plan_port(Timing.on(day), DonorContract(), CH, dt.date(2026, 1, 5))
    assert plan is not None
    assert plan.port_at.isoformat() == f"{day.isoformat()}T07:00:00{offset}"


@given(pst.dates(dt.date(2025, 1, 1), dt.date(2040, 12, 31)), pst.countries())
def test_a_contract_end_port_is_a_business_day_never_after_the_contract_end(end, country):
    """SPEC 3.2 (decision): never after the contract end; always a business day."""
    calendar = BusinessCalendar.for_country(country)
    plan, _ = plan_port(
        Timing.contract_end(), DonorContract(binding_end=end), calendar, dt.date(2025, 1, 1)
    )
    assert plan is not None
    port_day = calendar.local_date(plan.port_at)
    assert port_day <= end
    assert calendar.is_business_day(port_day)
    assert calendar.next_business_day(port_day) > end or port_day == end


def test_a_plan_holds_its_instant_in_utc_as_well():
    """Orders keep instants in UTC: the plan hands its instant over as a plain UTC datetime."""
    plan, _ = plan_port(
        Timing.contract_end(at=dt.time(6, 30)),
        DonorContract(binding_end=dt.date(2027, 3, 31)),
        CH,
        TODAY,
    )
    assert plan is not None
    assert plan.port_at_utc == dt.datetime(2027, 3, 31, 4, 30, tzinfo=dt.UTC)
    assert type(plan.port_at_utc) is dt.datetime
    assert plan.port_at_utc.tzinfo is dt.UTC
    moved = attrs.evolve(plan, port_at=plan.port_at + dt.timedelta(days=1))
    assert moved.port_at_utc == dt.datetime(2027, 4, 1, 4, 30, tzinfo=dt.UTC)


def test_plans_in_the_hour_a_dst_change_repeats_keep_their_own_utc_instants():
    """02:30 on 25 October 2026 happens twice in Zurich; each plan keeps its own instant.

    Python compares the two wall times as equal, so a cache keyed by the instant
    alone would hand the second plan the first one's UTC instant.
    """
    zurich = ZoneInfo("Europe/Zurich")
    summer = dt.datetime(2026, 10, 25, 2, 30, tzinfo=zurich)
    winter = dt.datetime(2026, 10, 25, 2, 30, tzinfo=zurich, fold=1)
    in_utc = {0: dt.time(0, 30), 1: dt.time(1, 30)}  # by fold: equal wall times are one key
    for first, second in ((summer, winter), (winter, summer)):
        instants = [PortPlan(first).port_at_utc, PortPlan(second).port_at_utc]
        assert [instant.time() for instant in instants] == [in_utc[first.fold], in_utc[second.fold]]


def test_a_plan_without_a_time_zone_is_refused():
    """A plan is an instant; a naive datetime names none."""
    with pytest.raises(InvalidInput) as raised:
        PortPlan(dt.datetime(2027, 3, 31, 6, 0))  # noqa: DTZ001 - naive on purpose
    assert raised.value.code == Code.TIME_NAIVE
