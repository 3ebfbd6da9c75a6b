"""The donor contract, notice policies and written terminations: SPEC 3.1, seed 001.

Seed 001 (Phonect, NO): "Alle oppsigelser gjelder fra den forste i pafolgende
maned etter at vi har mottatt oppsigelsen. Oppsigelsestid er inneverende, pluss
1 maned" and "Alle oppsigelser ma sendes til oss skriftlig per epost eller per post".
"""

import calendar as stdlib_calendar
import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from portflow import (
    Code,
    DonorContract,
    InvalidInput,
    NoticeKind,
    NoticePolicy,
    PortflowError,
    Termination,
    TerminationChannel,
)
from portflow.testing import strategies as pst


def day(text):
    """Return the date written in ISO form."""
    return dt.date.fromisoformat(text)


def month_index(date):
    """Return a date's month counted from year 0, so month differences are subtractions."""
    return date.year * 12 + date.month - 1


def is_last_day_of_month(date):
    """Whether the date is the last day of its month, by the standard library's calendar."""
    return date.day == stdlib_calendar.monthrange(date.year, date.month)[1]


# --- Notice policies ----------------------------------------------------------------------


@pytest.mark.parametrize("received", ["2026-11-23", "2026-02-28", "2028-02-29", "2026-12-31"])
def test_without_a_notice_period_the_contract_ends_the_day_notice_is_received(received):
    """SPEC 3.1: under NoticePolicy.none() the contract can end any day."""
    assert NoticePolicy.none().contract_end(day(received)) == day(received)


@pytest.mark.parametrize(
    ("received", "months", "expected"),
    [
        ("2026-11-23", 1, "2026-12-23"),
        ("2026-11-23", 3, "2027-02-23"),  # over the year end
        ("2026-08-31", 6, "2027-02-28"),  # SPEC 2: clamped to February's end
        ("2027-08-31", 6, "2028-02-29"),  # in a leap year
        ("2026-01-31", 1, "2026-02-28"),
        ("2026-03-31", 1, "2026-04-30"),
        ("2028-02-29", 12, "2029-02-28"),
        ("2026-04-30", 1, "2026-05-30"),  # not moved up to 31 May
        ("2026-11-23", 0, "2026-11-23"),
    ],
)
def test_a_notice_period_in_months_ends_that_many_calendar_months_later(received, months, expected):
    """SPEC 3.1: months(n) ends n calendar months after the notice, clamped to the month end."""
    assert NoticePolicy.months(months).contract_end(day(received)) == day(expected)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("2026-11-23", "2026-12-31"),  # seed 001 / SPEC 3.1 example
        ("2026-12-01", "2027-01-31"),  # seed 001 / SPEC 3.1 example, over the year end
        ("2026-03-01", "2026-04-30"),  # received on the first of a month
        ("2026-03-31", "2026-04-30"),  # received on the last day of a month
        ("2026-12-31", "2027-01-31"),  # last day of December
        ("2026-01-31", "2026-02-28"),  # into a short February
        ("2028-01-15", "2028-02-29"),  # into a leap-year February
        ("2027-02-28", "2027-03-31"),
    ],
)
def test_notice_under_current_month_plus_one_ends_the_month_after_the_month_received(
    received, expected
):
    """SPEC 3.1, seed 001 (Phonect): the notice period is the current month plus 1 month."""
    assert NoticePolicy.current_month_plus(1).contract_end(day(received)) == day(expected)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("2026-11-01", "2026-11-30"),
        ("2026-11-23", "2026-11-30"),
        ("2026-11-30", "2026-11-30"),
        ("2028-02-02", "2028-02-29"),
    ],
)
def test_notice_under_current_month_plus_zero_ends_the_current_month(received, expected):
    """SPEC 3.1: current_month_plus(0) ends the contract on the last day of the month received."""
    assert NoticePolicy.current_month_plus(0).contract_end(day(received)) == day(expected)


@pytest.mark.parametrize(
    ("received", "count", "expected"),
    [
        ("2026-11-05", 3, "2027-02-28"),
        ("2026-12-31", 2, "2027-02-28"),
        ("2027-11-30", 3, "2028-02-29"),
        ("2026-01-01", 12, "2027-01-31"),
    ],
)
def test_notice_under_current_month_plus_n_ends_n_months_after_the_month_received(
    received, count, expected
):
    """SPEC 3.1: current_month_plus(n) ends on the last day of the n-th month after."""
    assert NoticePolicy.current_month_plus(count).contract_end(day(received)) == day(expected)


@given(received=pst.dates(), count=st.integers(0, 60))
def test_current_month_plus_always_ends_on_a_months_last_day_n_months_later(received, count):
    """SPEC 3.1, seed 001: the end is a month's last day, exactly n months after the month."""
    end = NoticePolicy.current_month_plus(count).contract_end(received)
    assert is_last_day_of_month(end)
    assert month_index(end) - month_index(received) == count
    assert end >= received


@given(received=pst.dates(), count=st.integers(0, 60))
def test_months_keeps_the_day_of_month_or_clamps_to_the_months_last_day(received, count):
    """SPEC 3.1, SPEC 2: months(n) moves n calendar months, clamping to the month's end."""
    end = NoticePolicy.months(count).contract_end(received)
    assert month_index(end) - month_index(received) == count
    assert end.day == min(received.day, stdlib_calendar.monthrange(end.year, end.month)[1])


@given(received=pst.dates())
def test_a_policy_without_notice_period_ends_on_any_day_it_is_given(received):
    """SPEC 3.1: none() ends the contract on the very day notice is received."""
    assert NoticePolicy.none().contract_end(received) == received


@pytest.mark.parametrize(
    "make",
    [
        lambda: NoticePolicy.months(-1),
        lambda: NoticePolicy.months(1.5),
        lambda: NoticePolicy.months(3.0),
        lambda: NoticePolicy.months("3"),
        lambda: NoticePolicy.months(None),
        lambda: NoticePolicy.months(True),  # noqa: FBT003 - a bool is no count
        lambda: NoticePolicy.current_month_plus(-1),
        lambda: NoticePolicy.current_month_plus(0.5),
        lambda: NoticePolicy(NoticeKind.MONTHS, -2),
    ],
    ids=[
        "months-negative",
        "months-fraction",
        "months-float",
        "months-text",
        "months-none",
        "months-bool",
        "current-month-plus-negative",
        "current-month-plus-fraction",
        "constructor-negative",
    ],
)
def test_a_negative_or_non_integer_notice_count_is_refused(make):
    """SPEC 3.1, SPEC 11: a notice period counts whole months, 0 or more: contract.invalid."""
    with pytest.raises(InvalidInput) as raised:
        make()
    assert raised.value.code == Code.CONTRACT_INVALID


def test_a_policy_spelled_with_the_kinds_text_behaves_like_the_policy_it_equals():
    """SPEC 3.1: NoticePolicy("months", 3) equals months(3), so it must end the same day."""
    spelled = NoticePolicy("months", 3)
    assert spelled == NoticePolicy.months(3)
    assert spelled.contract_end(day("2026-01-05")) == day("2026-04-05")


def test_a_notice_kind_that_does_not_exist_is_refused():
    """SPEC 3.1, SPEC 11: only none, months and current_month_plus exist: contract.invalid."""
    with pytest.raises(InvalidInput) as raised:
        NoticePolicy("weeks", 2)
    assert raised.value.code == Code.CONTRACT_INVALID


@pytest.mark.parametrize(
    "policy",
    [NoticePolicy.none(), NoticePolicy.months(1), NoticePolicy.current_month_plus(1)],
    ids=["none", "months", "current_month_plus"],
)
@pytest.mark.parametrize(
    "received",
    [dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC), "2026-11-23"],
    ids=["datetime", "text"],
)
def test_every_policy_refuses_a_received_value_that_is_not_a_date(policy, received):
    """SPEC 11: notice is received on a date; a datetime or text is argument.invalid."""
    with pytest.raises(InvalidInput) as raised:
        policy.contract_end(received)
    assert raised.value.code == Code.ARGUMENT_INVALID


# --- The donor contract -------------------------------------------------------------------

SEED_001 = NoticePolicy.current_month_plus(1)


@pytest.mark.parametrize(
    ("binding_end", "received", "expected", "case"),
    [
        ("2027-06-30", "2026-11-23", "2027-06-30", "binding ends later"),
        ("2026-12-15", "2026-11-23", "2026-12-31", "notice ends later"),
        ("2026-12-31", "2026-11-23", "2026-12-31", "both end the same day"),
        ("2025-01-31", "2026-11-23", "2026-12-31", "binding long over"),
        ("2027-01-01", "2026-11-23", "2027-01-01", "binding ends a day after the notice"),
    ],
)
def test_the_contract_ends_at_the_later_of_binding_end_and_notice_end(
    binding_end, received, expected, case
):
    """SPEC 3.1: contract end = the later of the binding end and the notice end."""
    contract = DonorContract(binding_end=day(binding_end), notice=SEED_001)
    assert contract.contract_end(day(received)) == day(expected), case


def test_a_contract_without_binding_ends_when_the_notice_ends():
    """SPEC 3.1: with no binding end, the notice policy alone decides the end."""
    contract = DonorContract(binding_end=None, notice=SEED_001)
    assert contract.contract_end(day("2026-12-01")) == day("2027-01-31")


def test_a_default_contract_has_no_binding_no_notice_period_and_no_internet():
    """SPEC 3.1: by default a contract binds nothing and can end the day notice arrives."""
    contract = DonorContract()
    assert contract.binding_end is None
    assert contract.binding_known
    assert not contract.bundles_internet
    assert contract.notice == NoticePolicy.none()
    assert contract.contract_end(day("2026-11-23")) == day("2026-11-23")


def test_an_unknown_binding_gives_no_contract_end():
    """SPEC 3.1, SPEC 3.2: when nobody knows the binding end, the contract end is unknown."""
    contract = DonorContract.unknown(SEED_001)
    assert not contract.binding_known
    assert contract.binding_end is None
    assert contract.notice == SEED_001
    assert contract.contract_end(day("2026-11-23")) is None


def test_an_unknown_contract_without_a_policy_has_no_notice_period():
    """SPEC 3.1: DonorContract.unknown() defaults its notice policy to none."""
    contract = DonorContract.unknown()
    assert contract.notice == NoticePolicy.none()
    assert contract.contract_end(day("2026-11-23")) is None


def test_a_binding_end_said_to_be_unknown_is_a_contradiction():
    """SPEC 3.1, SPEC 11: binding_known=False with a binding end given is contract.invalid."""
    with pytest.raises(InvalidInput) as raised:
        DonorContract(binding_end=day("2027-06-30"), binding_known=False)
    assert raised.value.code == Code.CONTRACT_INVALID
    assert "2027-06-30" in str(raised.value)


def test_evolving_an_unknown_contract_into_a_contradiction_is_refused():
    """SPEC 3.1: attrs.evolve validates too; an unknown binding cannot gain a date."""
    with pytest.raises(InvalidInput) as raised:
        attrs.evolve(DonorContract.unknown(), binding_end=day("2027-06-30"))
    assert raised.value.code == Code.CONTRACT_INVALID


@pytest.mark.parametrize(
    "binding_end",
    [dt.datetime(2027, 6, 30, tzinfo=dt.UTC), "2027-06-30"],
    ids=["datetime", "text"],
)
def test_a_binding_end_that_is_not_a_date_is_refused_when_the_contract_is_made(binding_end):
    """SPEC 3.1, SPEC 11: the binding end is a date, none or unknown; anything else is refused."""
    with pytest.raises(InvalidInput):
        DonorContract(binding_end=binding_end, notice=SEED_001)


@given(binding_end=pst.dates(), received=pst.dates(), count=st.integers(0, 24))
def test_the_contract_end_is_never_before_the_binding_end_nor_the_notice_end(
    binding_end, received, count
):
    """SPEC 3.1: the contract end is one of the two ends, and not before either."""
    notice = NoticePolicy.current_month_plus(count)
    end = DonorContract(binding_end=binding_end, notice=notice).contract_end(received)
    notice_end = notice.contract_end(received)
    assert end is not None
    assert end >= binding_end
    assert end >= notice_end
    assert end in {binding_end, notice_end}


# --- Terminations -------------------------------------------------------------------------


@pytest.mark.parametrize("channel", [TerminationChannel.PHONE, "phone"])
def test_a_termination_by_phone_is_refused(channel):
    """SPEC 3.1, seed 001: terminations must arrive in writing: termination.not_in_writing."""
    with pytest.raises(InvalidInput) as raised:
        Termination(channel, day("2026-11-23"))
    assert raised.value.code == Code.TERMINATION_NOT_IN_WRITING
    assert raised.value.field == "channel"


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        (TerminationChannel.EMAIL, TerminationChannel.EMAIL),
        ("email", TerminationChannel.EMAIL),
        (TerminationChannel.POST, TerminationChannel.POST),
        ("post", TerminationChannel.POST),
    ],
)
def test_a_termination_by_email_or_post_is_accepted(channel, expected):
    """SPEC 3.1, seed 001: a written termination, by e-mail or post, is accepted."""
    termination = Termination(channel, day("2026-11-23"))
    assert termination.channel is expected
    assert termination.received == day("2026-11-23")


@pytest.mark.parametrize("channel", ["fax", "sms", "", None])
def test_a_termination_by_an_unknown_channel_is_refused_as_invalid_input(channel):
    """SPEC 11: every error is a PortflowError with a code, also for an unknown channel."""
    with pytest.raises(PortflowError) as raised:
        Termination(channel, day("2026-11-23"))
    assert isinstance(raised.value, InvalidInput)


@pytest.mark.parametrize(
    ("received", "expected"),
    [("2026-11-23", "2026-12-31"), ("2026-12-01", "2027-01-31")],
)
def test_a_written_termination_ends_the_contract_under_its_notice_policy(received, expected):
    """SPEC 3.1, seed 001: ends_after applies the notice policy to the day received."""
    contract = DonorContract(notice=SEED_001)
    assert contract.ends_after(Termination("email", day(received))) == day(expected)


def test_a_written_termination_does_not_end_a_contract_before_its_binding_end():
    """SPEC 3.1: a termination during the binding time ends the contract at the binding end."""
    contract = DonorContract(binding_end=day("2027-06-30"), notice=SEED_001)
    assert contract.ends_after(Termination("post", day("2026-11-23"))) == day("2027-06-30")


def test_a_written_termination_of_an_unknown_contract_ends_it_at_an_unknown_date():
    """SPEC 3.1: the end of a contract with unknown binding stays unknown."""
    termination = Termination(TerminationChannel.EMAIL, day("2026-11-23"))
    assert DonorContract.unknown(SEED_001).ends_after(termination) is None


def test_a_contract_without_a_notice_policy_is_refused():
    """SPEC 3.1: a bare text or None would fail at the first order with an AttributeError."""
    for notice in ("months", None, 3):
        with pytest.raises(InvalidInput) as raised:
            DonorContract(notice=notice)
        assert raised.value.code == Code.CONTRACT_INVALID


def test_a_termination_by_e_mail_may_be_written_with_a_hyphen():
    """SPEC 3.1: "e-mail" is e-mail, which is in writing."""
    assert Termination("E-Mail", dt.date(2026, 11, 23)).channel is TerminationChannel.EMAIL
