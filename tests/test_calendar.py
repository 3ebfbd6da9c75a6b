"""Business calendars, cut-off times and calendar months: SPEC 2, seeds 000 and 004.

Holiday dates below are checked against the real calendars (Easter Sunday is
5 April 2026, 28 March 2027 and 16 April 2028), never copied from the code's output.
Each table row states the weekday, and the tests assert it, so a wrong row fails.
"""

import calendar as stdlib_calendar
import datetime as dt
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from portflow import BusinessCalendar, Code, InvalidInput, add_months, end_of_month
from portflow._core.calendar import require_aware
from portflow._core.profiles import _known_countries
from portflow.testing import strategies as pst

UTC = dt.UTC
ZURICH = ZoneInfo("Europe/Zurich")
STOCKHOLM = ZoneInfo("Europe/Stockholm")
COUNTRIES = ("CH", "SE", "NO")
ZONES = {"CH": "Europe/Zurich", "SE": "Europe/Stockholm", "NO": "Europe/Oslo"}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FOURTEEN = dt.time(14, 0)


def day(text):
    """Return the date written in ISO form."""
    return dt.date.fromisoformat(text)


def local(zone, text):
    """Return the aware instant of an ISO local date and time in a zone."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone)


def utc(text):
    """Return the aware UTC instant of an ISO date and time."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def weekday_of(text):
    """Return the English abbreviated weekday of an ISO date."""
    return WEEKDAYS[day(text).weekday()]


def calendar_of(country):
    """Return the first-class calendar of a country."""
    return BusinessCalendar.for_country(country)


# --- Holidays -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "date", "weekday", "name"),
    [
        # CH, canton of Zurich (SPEC 2 decision): federal days plus the cantonal ones.
        ("CH", "2026-01-01", "Thu", "New Year's Day"),
        ("CH", "2026-04-03", "Fri", "Good Friday"),
        ("CH", "2026-04-06", "Mon", "Easter Monday"),
        ("CH", "2026-05-14", "Thu", "Ascension"),
        ("CH", "2026-05-25", "Mon", "Whit Monday"),
        ("CH", "2026-12-25", "Fri", "Christmas Day"),
        ("CH", "2027-01-01", "Fri", "New Year's Day"),
        ("CH", "2027-03-26", "Fri", "Good Friday"),
        ("CH", "2027-03-29", "Mon", "Easter Monday"),
        ("CH", "2027-05-06", "Thu", "Ascension"),
        ("CH", "2027-05-17", "Mon", "Whit Monday"),
        ("CH", "2025-08-01", "Fri", "Swiss National Day"),
        ("CH", "2028-08-01", "Tue", "Swiss National Day"),
        ("CH", "2025-12-26", "Fri", "St Stephen's Day"),
        ("CH", "2028-12-26", "Tue", "St Stephen's Day"),
        # SE: public holidays plus the decided de-facto ones.
        ("SE", "2026-01-06", "Tue", "Epiphany"),
        ("SE", "2027-01-06", "Wed", "Epiphany"),
        ("SE", "2026-04-03", "Fri", "Good Friday"),
        ("SE", "2026-04-06", "Mon", "Easter Monday"),
        ("SE", "2026-05-14", "Thu", "Ascension"),
        ("SE", "2026-06-19", "Fri", "Midsummer Eve"),
        ("SE", "2027-06-25", "Fri", "Midsummer Eve"),
        ("SE", "2026-12-24", "Thu", "Christmas Eve"),
        ("SE", "2027-12-24", "Fri", "Christmas Eve"),
        ("SE", "2026-12-31", "Thu", "New Year's Eve"),
        ("SE", "2027-12-31", "Fri", "New Year's Eve"),
        # NO
        ("NO", "2026-04-02", "Thu", "Maundy Thursday"),
        ("NO", "2026-04-03", "Fri", "Good Friday"),
        ("NO", "2026-04-06", "Mon", "Easter Monday"),
        ("NO", "2027-03-25", "Thu", "Maundy Thursday"),
        ("NO", "2027-03-29", "Mon", "Easter Monday"),
        ("NO", "2026-05-01", "Fri", "Labour Day"),
        ("NO", "2026-05-14", "Thu", "Ascension"),
        ("NO", "2026-05-25", "Mon", "Whit Monday"),
        ("NO", "2027-05-17", "Mon", "Constitution Day and Whit Monday"),
        ("NO", "2028-05-17", "Wed", "Constitution Day"),
    ],
)
def test_a_public_holiday_on_a_weekday_is_not_a_business_day(country, date, weekday, name):
    """SPEC 2: business days are Monday to Friday minus the country's holidays."""
    assert weekday_of(date) == weekday, f"table row for {name} has the wrong weekday"
    assert day(date).weekday() < 5
    assert not calendar_of(country).is_business_day(day(date))


@pytest.mark.parametrize(
    ("country", "date", "name"),
    [
        ("CH", "2026-08-01", "Swiss National Day (Saturday)"),
        ("CH", "2027-08-01", "Swiss National Day (Sunday)"),
        ("CH", "2026-12-26", "St Stephen's Day (Saturday)"),
        ("CH", "2027-12-25", "Christmas Day (Saturday)"),
        ("CH", "2027-12-26", "St Stephen's Day (Sunday)"),
        ("SE", "2026-06-06", "National Day (Saturday)"),
        ("SE", "2027-06-06", "National Day (Sunday)"),
        ("NO", "2026-05-17", "Constitution Day (Sunday)"),
        ("NO", "2026-12-26", "St Stephen's Day (Saturday)"),
    ],
)
def test_a_holiday_on_a_weekend_is_listed_among_the_years_holidays(country, date, name):
    """SPEC 2: the calendar knows a holiday even when it falls on a weekend."""
    assert day(date).weekday() >= 5, f"{name} should fall on a weekend"
    assert day(date) in calendar_of(country).holidays_of(day(date).year)


@pytest.mark.parametrize(
    ("country", "date", "weekday", "why"),
    [
        ("CH", "2026-04-02", "Thu", "Maundy Thursday is no Swiss holiday"),
        ("CH", "2026-12-24", "Thu", "Christmas Eve is no Zurich holiday"),
        ("CH", "2026-12-31", "Thu", "New Year's Eve is no Zurich holiday"),
        ("SE", "2026-04-02", "Thu", "Maundy Thursday is no Swedish holiday"),
        ("SE", "2026-05-25", "Mon", "Whit Monday is no Swedish holiday since 2005"),
        ("SE", "2026-12-28", "Mon", "the Monday after Christmas"),
        ("NO", "2028-05-18", "Thu", "the day after Constitution Day"),
        ("NO", "2026-03-09", "Mon", "an ordinary Monday"),
        ("CH", "2026-03-13", "Fri", "an ordinary Friday"),
    ],
)
def test_an_ordinary_weekday_is_a_business_day(country, date, weekday, why):
    """SPEC 2: a weekday that is not a holiday of the country is a business day."""
    assert weekday_of(date) == weekday, why
    assert calendar_of(country).is_business_day(day(date))


@pytest.mark.parametrize("country", COUNTRIES)
@pytest.mark.parametrize("date", ["2026-03-14", "2026-03-15", "2027-01-02", "2027-01-03"])
def test_saturdays_and_sundays_are_never_business_days(country, date):
    """SPEC 2: only Monday to Friday can be business days."""
    assert day(date).weekday() >= 5
    assert not calendar_of(country).is_business_day(day(date))


@given(country=pst.countries(), date=pst.dates())
def test_a_weekend_day_is_never_a_business_day_in_any_year(country, date):
    """SPEC 2: Saturday and Sunday are never business days, whatever the year."""
    if date.weekday() >= 5:
        assert not calendar_of(country).is_business_day(date)


# --- Moving between business days ------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "start", "expected"),
    [
        ("CH", "2026-03-13", "2026-03-16"),  # Friday -> Monday
        ("CH", "2026-04-02", "2026-04-07"),  # Easter: Good Friday to Easter Monday
        ("SE", "2026-04-02", "2026-04-07"),
        ("NO", "2026-04-01", "2026-04-07"),  # Maundy Thursday too
        ("CH", "2026-12-24", "2026-12-28"),  # Christmas Day Friday, then the weekend
        ("SE", "2026-12-23", "2026-12-28"),  # Christmas Eve and Day, then the weekend
        ("SE", "2026-12-30", "2027-01-04"),  # New Year's Eve and Day, then the weekend
        ("SE", "2027-01-05", "2027-01-07"),  # Epiphany
        ("CH", "2026-12-31", "2027-01-04"),  # New Year's Day Friday, then the weekend
        ("SE", "2026-06-18", "2026-06-22"),  # Midsummer Eve
        ("NO", "2027-05-14", "2027-05-18"),  # Constitution Day and Whit Monday
    ],
)
def test_next_business_day_skips_weekends_and_holidays(country, start, expected):
    """SPEC 2: the next business day lies strictly after the day, over long weekends."""
    assert calendar_of(country).next_business_day(day(start)) == day(expected)


@pytest.mark.parametrize(
    ("country", "start", "expected"),
    [
        ("CH", "2026-03-16", "2026-03-13"),  # Monday -> Friday
        ("CH", "2026-04-07", "2026-04-02"),  # back over Easter
        ("NO", "2026-04-07", "2026-04-01"),  # back over Easter and Maundy Thursday
        ("SE", "2026-12-28", "2026-12-23"),  # back over Christmas
        ("SE", "2027-01-04", "2026-12-30"),  # back over the New Year
        ("CH", "2027-01-04", "2026-12-31"),
        ("SE", "2026-06-22", "2026-06-18"),  # back over Midsummer
    ],
)
def test_previous_business_day_skips_weekends_and_holidays(country, start, expected):
    """SPEC 2: the previous business day lies strictly before the day."""
    assert calendar_of(country).previous_business_day(day(start)) == day(expected)


def test_next_and_previous_business_day_of_a_business_day_are_other_days():
    """SPEC 2: next/previous are strict; a business day is not its own neighbour."""
    cal = calendar_of("CH")
    wednesday = day("2026-03-11")
    assert cal.next_business_day(wednesday) == day("2026-03-12")
    assert cal.previous_business_day(wednesday) == day("2026-03-10")


@pytest.mark.parametrize(
    ("country", "start", "on_or_after", "on_or_before"),
    [
        ("CH", "2026-03-11", "2026-03-11", "2026-03-11"),  # a business day stays
        ("CH", "2026-03-14", "2026-03-16", "2026-03-13"),  # Saturday
        ("CH", "2026-04-03", "2026-04-07", "2026-04-02"),  # Good Friday
        ("NO", "2026-04-06", "2026-04-07", "2026-04-01"),  # Easter Monday
        ("SE", "2026-12-24", "2026-12-28", "2026-12-23"),  # Christmas Eve
    ],
)
def test_on_or_after_and_on_or_before_keep_a_business_day_and_move_off_others(
    country, start, on_or_after, on_or_before
):
    """SPEC 2: the day itself if it is a business day, else the nearest in that direction."""
    cal = calendar_of(country)
    assert cal.on_or_after(day(start)) == day(on_or_after)
    assert cal.on_or_before(day(start)) == day(on_or_before)


@pytest.mark.parametrize(
    ("country", "start", "count", "expected"),
    [
        ("CH", "2026-03-11", 0, "2026-03-11"),  # zero on a business day: the day
        ("CH", "2026-03-14", 0, "2026-03-16"),  # zero on a Saturday: the next business day
        ("CH", "2026-12-26", 0, "2026-12-28"),
        ("CH", "2026-03-11", 1, "2026-03-12"),
        ("CH", "2026-03-13", 1, "2026-03-16"),  # over a weekend
        ("CH", "2026-03-09", 5, "2026-03-16"),  # a full week
        ("CH", "2026-03-14", 1, "2026-03-16"),  # from a Saturday
        ("CH", "2026-12-23", 5, "2026-12-31"),  # Zurich: 24, 28, 29, 30, 31 December
        ("CH", "2026-12-23", 6, "2027-01-04"),
        ("SE", "2026-12-23", 3, "2026-12-30"),  # Sweden: 28, 29, 30 December
        ("SE", "2026-12-23", 4, "2027-01-04"),
        ("SE", "2026-12-23", 6, "2027-01-07"),  # and over Epiphany
        ("NO", "2026-12-31", 1, "2027-01-04"),  # year end
        ("CH", "2026-01-30", 1, "2026-02-02"),  # month end
        ("CH", "2026-03-02", -1, "2026-02-27"),  # back over a month end
        ("SE", "2027-01-07", -3, "2026-12-30"),  # back over Epiphany and the year end
        ("CH", "2026-04-07", -1, "2026-04-02"),  # back over Easter
        ("CH", "2026-03-14", -1, "2026-03-13"),  # back from a Saturday
        ("NO", "2026-03-30", 5, "2026-04-09"),  # Holy Week in Norway: 31, 1, 7, 8, 9
    ],
)
def test_add_business_days_counts_only_business_days(country, start, count, expected):
    """SPEC 2: add_business_days moves over weekends, holidays, month and year ends."""
    assert calendar_of(country).add_business_days(day(start), count) == day(expected)


@pytest.mark.parametrize(
    ("country", "start", "end", "expected"),
    [
        ("CH", "2026-03-11", "2026-03-11", 0),
        ("CH", "2026-03-13", "2026-03-16", 1),  # Friday to Monday
        ("CH", "2026-03-13", "2026-03-14", 0),  # Friday to Saturday
        ("CH", "2026-03-09", "2026-03-16", 5),
        ("CH", "2026-12-23", "2027-01-04", 6),
        ("SE", "2026-12-23", "2027-01-04", 4),
        ("CH", "2027-01-04", "2026-12-23", -6),
        ("SE", "2026-03-30", "2026-04-07", 4),  # Mon-Thu, then Good Friday, Easter Monday
        ("NO", "2026-03-30", "2026-04-07", 3),  # and Maundy Thursday
    ],
)
def test_business_days_between_counts_after_the_start_up_to_the_end(country, start, end, expected):
    """SPEC 2: business days after start up to and including end, negative when reversed."""
    assert calendar_of(country).business_days_between(day(start), day(end)) == expected


# --- Cut-off times and receipt days (seeds 000 and 004) ---------------------------------


@pytest.mark.parametrize(
    ("registered", "receipt", "delivery"),
    [
        ("2026-03-09T09:00", "2026-03-09", "2026-03-10"),  # Monday morning
        ("2026-03-09T13:59", "2026-03-09", "2026-03-10"),  # a minute before the cut-off
        ("2026-03-09T13:59:59.999999", "2026-03-09", "2026-03-10"),
        ("2026-03-09T14:00", "2026-03-10", "2026-03-11"),  # at the cut-off: next day
        ("2026-03-09T23:59", "2026-03-10", "2026-03-11"),
        ("2026-03-13T15:00", "2026-03-16", "2026-03-17"),  # Friday after the cut-off
        ("2026-03-14T10:00", "2026-03-16", "2026-03-17"),  # Saturday, before 14:00 too
        ("2026-03-15T16:00", "2026-03-16", "2026-03-17"),  # Sunday
        ("2026-04-02T15:00", "2026-04-07", "2026-04-08"),  # Maundy Thursday, over Easter
        ("2026-06-18T14:30", "2026-06-22", "2026-06-23"),  # over Midsummer Eve
    ],
)
def test_a_replacement_phone_registered_before_14_is_delivered_the_next_business_day(
    registered, receipt, delivery
):
    """SPEC 2, seed 004 (Atea, SE): registered before 14:00, delivered the next business day."""
    cal = calendar_of("SE")
    instant = local(STOCKHOLM, registered)
    assert cal.receipt_day(instant, FOURTEEN) == day(receipt)
    assert cal.due_date(instant, 1, cutoff=FOURTEEN) == day(delivery)


@pytest.mark.parametrize(
    ("country", "ordered", "handled"),
    [
        ("SE", "2026-03-14T10:00", "2026-03-16"),  # Saturday -> Monday
        ("SE", "2026-03-15T23:59", "2026-03-16"),  # Sunday night -> Monday
        ("SE", "2026-04-04T12:00", "2026-04-07"),  # Easter Saturday -> after Easter Monday
        ("CH", "2026-04-04T12:00", "2026-04-07"),
        ("CH", "2026-04-03T12:00", "2026-04-07"),  # Good Friday is no business day either
        ("SE", "2026-03-13T23:00", "2026-03-13"),  # a weekday order counts from that day
        ("SE", "2026-03-09T00:00", "2026-03-09"),
    ],
)
def test_a_weekend_conference_order_is_handled_the_first_business_day_after(
    country, ordered, handled
):
    """SPEC 2, seed 000 (Phonera): weekend orders count from the first business day after."""
    cal = calendar_of(country)
    assert cal.receipt_day(local(ZoneInfo(ZONES[country]), ordered)) == day(handled)


@pytest.mark.parametrize(
    ("instant", "cutoff", "receipt"),
    [
        # 23:30 UTC on Sunday 8 March 2026 is Monday 00:30 in Zurich (CET, +01:00).
        ("2026-03-08T23:30", None, "2026-03-09"),
        # 23:30 UTC on Friday 13 March 2026 is already Saturday in Zurich.
        ("2026-03-13T23:30", None, "2026-03-16"),
        # 12:30 UTC is 13:30 in winter (before 14:00) but 14:30 in summer (after it).
        ("2026-03-09T12:30", FOURTEEN, "2026-03-09"),
        ("2026-06-22T12:30", FOURTEEN, "2026-06-23"),
        # 11:59 UTC on a summer Monday is 13:59 CEST: still before the cut-off.
        ("2026-06-22T11:59", FOURTEEN, "2026-06-22"),
    ],
)
def test_receipt_day_reads_the_instant_in_the_countrys_zone(instant, cutoff, receipt):
    """SPEC 2: dates and cut-offs are local to the profile's zone, not to the instant's."""
    assert calendar_of("CH").receipt_day(utc(instant), cutoff) == day(receipt)


def test_due_date_with_zero_business_days_is_the_receipt_day():
    """SPEC 2: due_date adds business days to the receipt day; zero adds none."""
    cal = calendar_of("SE")
    saturday = local(STOCKHOLM, "2026-03-14T10:00")
    assert cal.due_date(saturday, 0) == day("2026-03-16")
    assert cal.due_date(saturday, 3) == day("2026-03-19")


@given(country=pst.countries(), data=st.data())
def test_receipt_day_is_the_first_business_day_on_or_after_the_local_date(country, data):
    """SPEC 2: without a cut-off, work counts from its local day or the next business day."""
    cal = calendar_of(country)
    instant = data.draw(pst.aware_datetimes(ZONES[country]).map(lambda i: i.astimezone(UTC)))
    received = cal.receipt_day(instant)
    local_day = cal.local_date(instant)
    assert cal.is_business_day(received)
    assert received >= local_day
    between = (local_day + dt.timedelta(days=n) for n in range((received - local_day).days))
    assert not any(cal.is_business_day(d) for d in between)


@given(instant=pst.aware_datetimes("Europe/Zurich"), cutoff=st.none() | st.times())
def test_receipt_day_depends_on_the_instant_not_on_the_zone_it_is_written_in(instant, cutoff):
    """SPEC 2: the same instant written in UTC or Tokyo time is received on the same day."""
    cal = calendar_of("CH")
    expected = cal.receipt_day(instant, cutoff)
    assert cal.receipt_day(instant.astimezone(UTC), cutoff) == expected
    assert cal.receipt_day(instant.astimezone(ZoneInfo("Asia/Tokyo")), cutoff) == expected


@given(country=pst.countries(), data=st.data(), cutoff=st.times())
def test_a_cut_off_delays_the_receipt_day_by_at_most_one_business_day(country, data, cutoff):
    """SPEC 2: work received at or after the cut-off counts from the next business day."""
    cal = calendar_of(country)
    instant = data.draw(pst.aware_datetimes(ZONES[country]).map(lambda i: i.astimezone(UTC)))
    without = cal.receipt_day(instant)
    with_cutoff = cal.receipt_day(instant, cutoff)
    local_time = instant.astimezone(ZoneInfo(ZONES[country])).time()
    if cal.local_date(instant) == without and local_time >= cutoff:
        assert with_cutoff == cal.next_business_day(without)
    else:
        assert with_cutoff == without


@given(country=pst.countries(), data=st.data(), count=st.integers(1, 30))
def test_due_date_lies_the_given_number_of_business_days_after_the_receipt_day(
    country, data, count
):
    """SPEC 2: due_date counts business days from the receipt day."""
    cal = calendar_of(country)
    instant = data.draw(pst.aware_datetimes(ZONES[country]))
    received = cal.receipt_day(instant, FOURTEEN)
    due = cal.due_date(instant, count, cutoff=FOURTEEN)
    assert cal.is_business_day(due)
    assert cal.business_days_between(received, due) == count


# --- Local time and daylight saving ------------------------------------------------------


@pytest.mark.parametrize("country", COUNTRIES)
@pytest.mark.parametrize(
    ("date", "offset_hours"),
    [
        ("2026-03-27", 1),  # Friday before the spring change: CET
        ("2026-03-28", 1),  # Saturday before it
        ("2026-03-29", 2),  # the change itself happens at 02:00, before 07:00
        ("2026-03-30", 2),  # Monday after: CEST
        ("2026-10-23", 2),  # Friday before the autumn change: CEST
        ("2026-10-24", 2),
        ("2026-10-25", 1),  # the change happens at 03:00, before 07:00
        ("2026-10-26", 1),  # Monday after: CET
    ],
)
def test_at_builds_the_local_instant_with_the_offset_of_that_day(country, date, offset_hours):
    """SPEC 2: 07:00 local carries +01:00 in winter and +02:00 in summer, either side of DST."""
    instant = calendar_of(country).at(day(date), dt.time(7, 0))
    offset = dt.timedelta(hours=offset_hours)
    assert instant.utcoffset() == offset
    expected = dt.datetime.combine(day(date), dt.time(7, 0), tzinfo=UTC) - offset
    assert instant == expected
    assert instant.astimezone(ZoneInfo(ZONES[country])).time() == dt.time(7, 0)


@pytest.mark.parametrize(
    ("wall", "expected_utc"),
    [
        (dt.time(2, 30), "2026-03-29T01:30"),  # 02:30 does not exist; 03:30 CEST does
        (dt.time(2, 0), "2026-03-29T01:00"),
        (dt.time(1, 59), "2026-03-29T00:59"),  # still CET
        (dt.time(3, 0), "2026-03-29T01:00"),  # already CEST
    ],
)
def test_at_moves_a_time_in_the_spring_gap_forward_by_the_gap(wall, expected_utc):
    """SPEC 2: a local time skipped by the clock change moves forward, as clocks do."""
    instant = calendar_of("CH").at(day("2026-03-29"), wall)
    assert instant == utc(expected_utc)


def test_at_reads_an_ambiguous_autumn_time_as_one_of_its_two_instants():
    """SPEC 2: 02:30 on 25 October 2026 happens twice; at() returns one of them, at 02:30."""
    instant = calendar_of("CH").at(day("2026-10-25"), dt.time(2, 30))
    # Compared in UTC: Python never finds an instant in a fold equal to one in another zone.
    assert instant.astimezone(UTC) in {utc("2026-10-25T00:30"), utc("2026-10-25T01:30")}
    assert instant.astimezone(ZURICH).time() == dt.time(2, 30)


@pytest.mark.parametrize(
    ("instant", "local_day"),
    [
        ("2026-03-28T22:59", "2026-03-28"),  # 23:59 CET
        ("2026-03-28T23:30", "2026-03-29"),  # 00:30 CET on the change day
        ("2026-03-29T21:30", "2026-03-29"),  # 23:30 CEST
        ("2026-03-29T22:30", "2026-03-30"),  # 00:30 CEST
        ("2026-10-24T21:30", "2026-10-24"),  # 23:30 CEST
        ("2026-10-24T22:30", "2026-10-25"),  # 00:30 CEST on the change day
        ("2026-10-25T22:30", "2026-10-25"),  # 23:30 CET
        ("2026-10-25T23:00", "2026-10-26"),  # 00:00 CET
    ],
)
def test_local_date_of_an_instant_near_midnight_follows_the_daylight_saving_offset(
    instant, local_day
):
    """SPEC 2: the local date of an instant is its date in the profile's zone."""
    assert calendar_of("CH").local_date(utc(instant)) == day(local_day)


def test_local_date_accepts_any_zone_for_the_instant():
    """SPEC 2: the same instant written in another zone has the same local date."""
    tokyo = dt.datetime(2026, 3, 9, 8, 30, tzinfo=ZoneInfo("Asia/Tokyo"))  # Sunday 23:30 UTC
    assert calendar_of("CH").local_date(tokyo) == day("2026-03-09")
    assert calendar_of("CH").local_date(tokyo.astimezone(UTC)) == day("2026-03-09")


@pytest.mark.parametrize("country", COUNTRIES)
def test_a_calendars_zone_is_its_profiles_zone(country):
    """SPEC 2: each country profile has a zone, and its calendar reads time there."""
    assert calendar_of(country).zone == ZONES[country]


# --- Naive datetimes and bad arguments ----------------------------------------------------

NAIVE = dt.datetime(2026, 3, 9, 12, 0)  # noqa: DTZ001 - the point of the test


@pytest.mark.parametrize(
    "value",
    [NAIVE, dt.date(2026, 3, 9), "2026-03-09T12:00+01:00", None, 1_773_000_000],
    ids=["naive", "date", "text", "none", "timestamp"],
)
def test_require_aware_refuses_naive_datetimes_and_non_datetimes(value):
    """SPEC 2: every instant is timezone-aware; anything else is time.naive."""
    with pytest.raises(InvalidInput) as raised:
        require_aware(value)
    assert raised.value.code == Code.TIME_NAIVE


def test_require_aware_returns_an_aware_instant_unchanged():
    """SPEC 2: an aware datetime, any zone or fixed offset, is accepted as it is."""
    fixed = dt.datetime(2026, 3, 9, 12, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    assert require_aware(fixed) is fixed


@pytest.mark.parametrize(
    "call",
    [
        lambda cal: cal.local_date(NAIVE),
        lambda cal: cal.receipt_day(NAIVE),
        lambda cal: cal.receipt_day(NAIVE, FOURTEEN),
        lambda cal: cal.due_date(NAIVE, 1),
        lambda cal: cal.receipt_day(dt.date(2026, 3, 9)),
    ],
    ids=["local_date", "receipt_day", "receipt_day_cutoff", "due_date", "receipt_day_date"],
)
def test_calendar_functions_refuse_a_naive_instant_with_time_naive(call):
    """SPEC 2, SPEC 11: a naive datetime is rejected with the stable code time.naive."""
    with pytest.raises(InvalidInput) as raised:
        call(calendar_of("CH"))
    assert raised.value.code == Code.TIME_NAIVE


MONDAY = dt.date(2026, 3, 9)
AWARE_MONDAY = dt.datetime(2026, 3, 9, 12, tzinfo=ZURICH)


@pytest.mark.parametrize(
    "call",
    [
        lambda cal: cal.add_business_days(MONDAY, 1.0),
        lambda cal: cal.add_business_days(MONDAY, True),  # noqa: FBT003 - a bool is no count
        lambda cal: cal.add_business_days(MONDAY, "1"),
        lambda cal: cal.add_business_days(AWARE_MONDAY, 1),
        lambda cal: cal.add_business_days(AWARE_MONDAY, 0),
        lambda cal: cal.add_business_days(AWARE_MONDAY, -1),
        lambda cal: cal.is_business_day(AWARE_MONDAY),
        lambda cal: cal.is_business_day("2026-03-09"),
        lambda cal: cal.next_business_day(AWARE_MONDAY),
        lambda cal: cal.previous_business_day(AWARE_MONDAY),
        lambda cal: cal.on_or_after(AWARE_MONDAY),
        lambda cal: cal.on_or_before(AWARE_MONDAY),
        lambda cal: cal.business_days_between(AWARE_MONDAY, MONDAY),
        lambda cal: cal.business_days_between(MONDAY, AWARE_MONDAY),
        lambda cal: cal.at(AWARE_MONDAY, dt.time(7)),
        lambda cal: cal.due_date(AWARE_MONDAY, 1.5),
        lambda _cal: add_months(MONDAY, 1.0),
        lambda _cal: add_months(MONDAY, True),  # noqa: FBT003 - a bool is no count
        lambda _cal: add_months(AWARE_MONDAY, 1),
        lambda _cal: add_months("2026-03-09", 1),
        lambda _cal: end_of_month(AWARE_MONDAY),
        lambda _cal: end_of_month(None),
    ],
)
def test_bad_arguments_are_refused_with_argument_invalid(call):
    """SPEC 11: a float or bool count, or a datetime for a date, is argument.invalid."""
    with pytest.raises(InvalidInput) as raised:
        call(calendar_of("CH"))
    assert raised.value.code == Code.ARGUMENT_INVALID


@pytest.mark.parametrize("time_of_day", ["07:00", 7, None])
def test_at_refuses_a_time_of_day_that_is_not_a_time(time_of_day):
    """SPEC 11: a bad time of day is an InvalidInput naming it, not an AttributeError."""
    with pytest.raises(InvalidInput) as raised:
        calendar_of("CH").at(MONDAY, time_of_day)
    assert raised.value.code == Code.ARGUMENT_INVALID


@pytest.mark.parametrize("cutoff", ["14:00", 14])
def test_receipt_day_refuses_a_cut_off_that_is_not_a_time(cutoff):
    """SPEC 11: a bad cut-off is an InvalidInput naming it, not a TypeError."""
    with pytest.raises(InvalidInput) as raised:
        calendar_of("CH").receipt_day(AWARE_MONDAY, cutoff)
    assert raised.value.code == Code.ARGUMENT_INVALID


AWARE_TIME = dt.time(14, 0, tzinfo=UTC)


def test_receipt_day_refuses_a_cut_off_with_a_time_zone():
    """SPEC 2, SPEC 11: a cut-off is a local wall-clock time; an aware one is argument.invalid."""
    with pytest.raises(InvalidInput) as raised:
        calendar_of("CH").receipt_day(AWARE_MONDAY, AWARE_TIME)
    assert raised.value.code == Code.ARGUMENT_INVALID


def test_at_refuses_a_time_of_day_with_a_time_zone_rather_than_ignoring_it():
    """SPEC 2, SPEC 11: at() reads a local wall-clock time; a zone on it is argument.invalid."""
    with pytest.raises(InvalidInput) as raised:
        calendar_of("CH").at(MONDAY, AWARE_TIME)
    assert raised.value.code == Code.ARGUMENT_INVALID


# --- Calendar months ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2026-08-31", 6, "2027-02-28"),  # SPEC 2's own example
        ("2027-08-31", 6, "2028-02-29"),  # in a leap year
        ("2026-01-31", 1, "2026-02-28"),
        ("2028-01-31", 1, "2028-02-29"),
        ("2028-02-29", 12, "2029-02-28"),
        ("2026-04-30", 1, "2026-05-30"),  # clamping never moves a day up to the month's end
        ("2026-05-31", 1, "2026-06-30"),
        ("2026-12-31", 2, "2027-02-28"),  # over the year end
        ("2026-11-15", 3, "2027-02-15"),
        ("2026-03-09", 0, "2026-03-09"),
        ("2026-03-31", -1, "2026-02-28"),  # negative months clamp too
        ("2028-03-31", -1, "2028-02-29"),
        ("2026-01-15", -1, "2025-12-15"),
        ("2026-07-31", -5, "2026-02-28"),
        ("2026-05-31", -1, "2026-04-30"),
        ("2026-03-09", -24, "2024-03-09"),
        ("2100-01-31", 1, "2100-02-28"),  # 2100 is no leap year
        ("2000-01-31", 1, "2000-02-29"),  # 2000 is one
    ],
)
def test_add_months_moves_calendar_months_and_clamps_to_the_months_end(start, months, expected):
    """SPEC 2: months are calendar months with end-of-month clamping."""
    assert add_months(day(start), months) == day(expected)


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2026-02-01", "2026-02-28"),
        ("2028-02-10", "2028-02-29"),
        ("2026-04-30", "2026-04-30"),
        ("2026-12-01", "2026-12-31"),
        ("2026-01-31", "2026-01-31"),
        ("2100-02-01", "2100-02-28"),
    ],
)
def test_end_of_month_is_the_last_day_of_the_days_month(date, expected):
    """SPEC 2: the last day of a calendar month, leap years included."""
    assert end_of_month(day(date)) == day(expected)


def month_index(date):
    """Return a date's month counted from year 0, so month differences are subtractions."""
    return date.year * 12 + date.month - 1


@given(date=pst.dates(), months=st.integers(-240, 240))
def test_add_months_keeps_the_day_of_month_or_clamps_to_the_last_day(date, months):
    """SPEC 2: the month moves by exactly n; the day stays, or is the month's last day."""
    result = add_months(date, months)
    assert month_index(result) - month_index(date) == months
    last = stdlib_calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(date.day, last)


@given(date=pst.dates())
def test_end_of_month_is_in_the_same_month_and_followed_by_a_first(date):
    """SPEC 2: end_of_month stays in the month and the next day starts a new month."""
    last = end_of_month(date)
    assert (last.year, last.month) == (date.year, date.month)
    assert (last + dt.timedelta(days=1)).day == 1


# --- Properties of business days ----------------------------------------------------------

counts = st.integers(-40, 40)


@given(country=pst.countries(), date=pst.dates(), count=counts)
def test_add_business_days_always_lands_on_a_business_day(country, date, count):
    """SPEC 2: the result of add_business_days is a business day, for any start and count."""
    cal = calendar_of(country)
    assert cal.is_business_day(cal.add_business_days(date, count))


@given(country=pst.countries(), first=pst.dates(), second=pst.dates(), count=counts)
def test_add_business_days_is_monotonic_in_the_day(country, first, second, count):
    """SPEC 2: a later start never gives an earlier result."""
    cal = calendar_of(country)
    early, late = sorted((first, second))
    assert cal.add_business_days(early, count) <= cal.add_business_days(late, count)


@given(country=pst.countries(), date=pst.dates(), first=counts, second=counts)
def test_add_business_days_is_monotonic_in_the_count(country, date, first, second):
    """SPEC 2: a larger count never gives an earlier result."""
    cal = calendar_of(country)
    low, high = sorted((first, second))
    assert cal.add_business_days(date, low) <= cal.add_business_days(date, high)


@given(country=pst.countries(), date=pst.dates(), count=st.integers(1, 60))
def test_business_days_between_counts_back_what_add_business_days_added(country, date, count):
    """SPEC 2: add_business_days(d, n) lies exactly n business days after d, for n > 0."""
    cal = calendar_of(country)
    assert cal.business_days_between(date, cal.add_business_days(date, count)) == count


@given(data=st.data(), country=pst.countries(), count=st.integers(1, 60))
def test_moving_back_from_a_business_day_is_counted_as_negative(data, country, count):
    """SPEC 2: from a business day, n business days back count as -n."""
    cal = calendar_of(country)
    start = data.draw(pst.business_days(cal))
    assert cal.business_days_between(start, cal.add_business_days(start, -count)) == -count


@given(country=pst.countries(), first=pst.dates(), second=pst.dates())
def test_business_days_between_is_antisymmetric(country, first, second):
    """SPEC 2: counting from b to a gives the negative of counting from a to b."""
    cal = calendar_of(country)
    assert cal.business_days_between(first, second) == -cal.business_days_between(second, first)


def days_strictly_between(low, high):
    """Return the dates strictly between two dates."""
    return [low + dt.timedelta(days=n) for n in range(1, (high - low).days)]


@given(country=pst.countries(), date=pst.dates())
def test_next_business_day_is_the_first_business_day_strictly_after(country, date):
    """SPEC 2: next_business_day(d) > d, is a business day, and none lies in between."""
    cal = calendar_of(country)
    following = cal.next_business_day(date)
    assert following > date
    assert cal.is_business_day(following)
    assert not any(cal.is_business_day(d) for d in days_strictly_between(date, following))


@given(country=pst.countries(), date=pst.dates())
def test_previous_business_day_is_the_last_business_day_strictly_before(country, date):
    """SPEC 2: previous_business_day(d) < d, is a business day, and none lies in between."""
    cal = calendar_of(country)
    preceding = cal.previous_business_day(date)
    assert preceding < date
    assert cal.is_business_day(preceding)
    assert not any(cal.is_business_day(d) for d in days_strictly_between(preceding, date))


@given(country=pst.countries(), date=pst.dates())
def test_on_or_after_and_on_or_before_bracket_the_day(country, date):
    """SPEC 2: on_or_before(d) <= d <= on_or_after(d), equal exactly on a business day."""
    cal = calendar_of(country)
    before, after = cal.on_or_before(date), cal.on_or_after(date)
    assert before <= date <= after
    assert (before == date) is cal.is_business_day(date)
    assert (after == date) is cal.is_business_day(date)
    assert cal.is_business_day(before)
    assert cal.is_business_day(after)


@given(
    country=st.sampled_from(["CH", "SE", "NO"]),
    date=st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31)),
    time_of_day=st.times(),
)
@example(country="CH", date=dt.date(2027, 10, 31), time_of_day=dt.time(2, 0))
def test_utc_at_is_the_local_instant_in_utc(country, date, time_of_day):
    """`utc_at` is `at` in UTC, gaps and repeated hours of a DST change included.

    Compared as timestamps: Python never finds an instant of a repeated hour
    equal to one in another zone, though both are the same instant.
    """
    calendar = calendar_of(country)
    instant = calendar.utc_at(date, time_of_day)
    assert instant.timestamp() == calendar.at(date, time_of_day).timestamp()
    assert type(instant) is dt.datetime
    assert instant.tzinfo is dt.UTC


OUT_OF_RANGE = {
    "holidays after 2100": lambda: calendar_of("CH").is_business_day(dt.date(2101, 1, 3)),
    "months past year 9999": lambda: add_months(dt.date(2026, 1, 31), 10**6),
    "the day after the last": lambda: calendar_of("SE").next_business_day(dt.date.max),
    "the day before the first": lambda: calendar_of("NO").previous_business_day(dt.date.min),
    "the last instant in Zurich": lambda: calendar_of("CH").local_date(
        dt.datetime.max.replace(tzinfo=dt.UTC)
    ),
    "a year that is not a number": lambda: calendar_of("CH").holidays_of(None),
    "a year as a float, though that year is loaded": lambda: calendar_of("CH").holidays_of(2026.0),
    "year 0": lambda: calendar_of("CH").holidays_of(0),
    "a year before year 1": lambda: calendar_of("CH").holidays_of(-1),
}


@pytest.mark.parametrize(
    ("value", "named"),
    [("2027-03-31", ", a str."), (dt.datetime(2027, 3, 31, tzinfo=dt.UTC), ", a datetime.")],
)
def test_a_day_that_is_not_a_date_is_refused_saying_what_it_is(value, named):
    """SPEC 11: the message says what was given and what a date looks like."""
    with pytest.raises(InvalidInput) as raised:
        calendar_of("CH").is_business_day(value)
    assert raised.value.code is Code.ARGUMENT_INVALID
    assert named in raised.value.message
    assert "date(2027, 3, 31)" in raised.value.message


@pytest.mark.parametrize("call", OUT_OF_RANGE.values(), ids=OUT_OF_RANGE.keys())
def test_dates_the_calendar_cannot_know_are_refused_with_a_code(call):
    """SPEC 11: no OverflowError, and no business day counted without its holidays.

    The holidays package lists holidays up to 2100; after that, Christmas would
    silently count as a business day.
    """
    with pytest.raises(InvalidInput) as raised:
        call()
    assert raised.value.code is Code.ARGUMENT_INVALID


def test_the_end_of_the_last_month_of_the_calendar_is_known():
    """The month end of December 9999 is 31 December 9999, not an overflow."""
    assert end_of_month(dt.date(9999, 12, 5)) == dt.date(9999, 12, 31)


def test_a_calendar_is_found_by_country_code_too():
    """`for_profile` takes a country code as `for_country` does."""
    assert BusinessCalendar.for_profile("CH") is BusinessCalendar.for_country("CH")


def test_a_local_instant_keeps_the_fraction_of_its_second():
    """`at` and `utc_at` keep the microseconds of the time of day."""
    calendar = calendar_of("CH")
    time_of_day = dt.time(7, 0, 0, 123456)
    assert calendar.at(dt.date(2027, 3, 31), time_of_day).microsecond == 123456
    assert calendar.utc_at(dt.date(2027, 3, 31), time_of_day).microsecond == 123456


@pytest.mark.parametrize("country", ["IL", "EG"])
def test_a_country_working_sunday_to_thursday_has_its_own_business_days(country):
    """A generic profile takes the working week the holidays package gives its country."""
    calendar = BusinessCalendar.for_country(country)
    assert not calendar.is_business_day(dt.date(2027, 3, 5))  # a Friday
    assert not calendar.is_business_day(dt.date(2027, 3, 6))  # a Saturday
    assert calendar.is_business_day(dt.date(2027, 3, 7))  # a Sunday
    assert calendar.next_business_day(dt.date(2027, 3, 4)) == dt.date(2027, 3, 7)


@pytest.mark.parametrize(
    ("country", "date", "why"),
    [
        ("RU", "2024-04-27", "a Saturday worked for the May days off (29 and 30 April)"),
        ("RU", "2024-12-28", "a Saturday worked for 31 December"),
        ("CN", "2024-09-29", "a Sunday worked for the National Day week"),
        ("CN", "2024-10-12", "a Saturday worked for the National Day week"),
        ("BY", "2024-11-16", "a Saturday worked for 8 November"),
    ],
)
def test_a_weekend_day_worked_instead_of_a_bridge_day_is_a_business_day(country, date, why):
    """A country that moves a working day onto its weekend works that day, as holidays lists it."""
    assert day(date).weekday() >= 5, why
    calendar = BusinessCalendar.for_country(country)
    assert calendar.is_business_day(day(date)), why
    assert calendar.next_business_day(calendar.previous_business_day(day(date))) == day(date)


def test_the_day_off_a_worked_saturday_pays_for_is_no_business_day():
    """Russia 2024: Saturday 27 April worked, Monday 29 and Tuesday 30 April off."""
    calendar = BusinessCalendar.for_country("RU")
    assert calendar.next_business_day(dt.date(2024, 4, 26)) == dt.date(2024, 4, 27)
    assert calendar.next_business_day(dt.date(2024, 4, 27)) == dt.date(2024, 5, 2)


@pytest.mark.parametrize(
    ("date", "business"),
    [
        ("2021-06-04", False),  # Friday, the weekend until 2022
        ("2021-06-06", True),  # Sunday, a working day until 2022
        ("2023-06-02", True),  # Friday, a working day since 2022
        ("2023-06-04", False),  # Sunday, the weekend since 2022
    ],
)
def test_the_weekend_is_the_one_the_country_had_on_the_day(date, business):
    """A day is judged by the weekend of its own date.

    The United Arab Emirates moved their weekend from Friday-Saturday to
    Saturday-Sunday on 1 January 2022.
    """
    assert BusinessCalendar.for_country("AE").is_business_day(day(date)) is business


@given(
    country=st.sampled_from(["RU", "CN", "BY", "KZ", "UZ", "VN", "AE", "SA", "IL", "CH", "SE"]),
    date=st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
)
def test_business_days_are_the_working_days_the_holidays_package_lists(country, date):
    """SPEC 2: business days are the holidays package's working days of the profile."""
    calendar = BusinessCalendar.for_country(country)
    profile = calendar.profile
    listed = holidays.country_holidays(
        country,
        subdiv=profile.holiday_subdivision,
        years=date.year,
        categories=profile.holiday_categories,
    )
    assert calendar.is_business_day(date) is listed.is_working_day(date)


def test_dates_before_the_holiday_data_are_still_counted():
    """History before the holidays package's data is never planned, and is not refused."""
    assert calendar_of("NO").is_business_day(dt.date(1900, 1, 2))
    assert calendar_of("SE").business_days_between(dt.date(1950, 1, 2), dt.date(1950, 1, 9)) == 5


@pytest.mark.parametrize(("country", "last_year"), [("CH", 2100), ("SE", 2100), ("NO", 2100)])
def test_a_calendar_names_the_last_year_it_knows_the_holidays_of(country, last_year):
    """Business days are counted up to the end of the holiday data, refused after it."""
    calendar = calendar_of(country)
    assert calendar.last_year == last_year
    assert calendar.next_business_day(dt.date(last_year, 12, 1)).year == last_year
    with pytest.raises(InvalidInput):
        calendar.is_business_day(dt.date(last_year + 1, 12, 1))


@given(st.data())
def test_drawn_business_days_stay_within_the_holiday_data(data):
    """`testing.strategies.business_days` draws only days its calendar can judge."""
    calendar = BusinessCalendar.for_country(data.draw(st.sampled_from(["CH", "LK"])))
    day = data.draw(pst.business_days(calendar))
    assert day.year <= calendar.last_year
    assert calendar.is_business_day(day)


def test_drawing_business_days_after_the_holiday_data_is_refused_clearly():
    """A range that starts after the calendar's last business day is refused, naming it."""
    calendar = BusinessCalendar.for_country("LK")
    last = calendar.on_or_before(dt.date(calendar.last_year, 12, 31))
    with pytest.raises(InvalidArgument, match=str(last)):
        pst.business_days(calendar, last + dt.timedelta(days=1), last + dt.timedelta(days=60))


@given(st.data())
def test_drawn_business_days_reach_the_last_business_day_of_the_data(data):
    """Days after 1 December of the last year are drawn too, up to its last business day."""
    calendar = BusinessCalendar.for_country("LK")
    last = calendar.on_or_before(dt.date(calendar.last_year, 12, 31))
    low = last - dt.timedelta(days=data.draw(st.integers(0, 20)))
    day = data.draw(pst.business_days(calendar, low, last + dt.timedelta(days=30)))
    assert low <= day <= last
    assert calendar.is_business_day(day)


@given(st.data())
def test_drawn_business_days_stay_within_the_bounds_asked_for(data):
    """`testing.strategies.business_days` never rolls past ``max_value`` to a business day."""
    low = data.draw(st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 20)))
    high = low + dt.timedelta(days=data.draw(st.integers(5, 20)))  # 4 days off at Easter
    day = data.draw(pst.business_days(calendar_of("CH"), min_value=low, max_value=high))
    assert low <= day <= high


@pytest.mark.parametrize("country", sorted(_known_countries()))
def test_no_countrys_last_year_loads_with_a_warning_of_partial_data(country):
    """SPEC 3.1: where the holidays package says part of its data ends, the calendar ends.

    Loading the last year raises no warning of partial data (the test run turns
    warnings into errors), and the year after is refused. India's lunar
    festivals end in 2035, so its calendar does too, though its other holidays
    run to 2100.
    """
    calendar = BusinessCalendar.for_country(country)
    calendar.holidays_of(calendar.last_year)
    with pytest.raises(InvalidInput) as refused:
        calendar.holidays_of(calendar.last_year + 1)
    assert refused.value.code is Code.ARGUMENT_INVALID
