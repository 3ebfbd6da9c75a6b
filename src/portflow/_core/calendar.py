"""Business days, cut-off times and calendar-month arithmetic of a country.

A business day is a day of the country's working week (Monday to Friday in
CH, SE and NO; Sunday to Thursday in Israel or Egypt) minus the country's
holidays, plus the weekend days it works instead of a bridge day (a Saturday in
Russia or China), all as the ``holidays`` package lists them for the profile's
subdivision and categories. A year's days off are built once into a
``frozenset``: a business day then costs a hash look-up, not a rebuild.
"""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
import functools
import re
import warnings
from collections.abc import Callable

import attrs
import holidays
import pendulum

from portflow._core.errors import Code, InvalidInput
from portflow._core.profiles import CountryProfile, profile_for

_ONE_DAY = dt.timedelta(days=1)
# How the holidays package says a calendar's data ends before its end_year.
_PARTIAL_DATA = re.compile(r"available only from \d+ to (\d+)")


def require_aware(instant: object, field: str = "instant") -> dt.datetime:
    """Return the instant if it is a timezone-aware datetime.

    Raises:
        InvalidInput: ``time.naive`` for a naive datetime or anything else.
    """
    if not isinstance(instant, dt.datetime) or instant.utcoffset() is None:
        raise _not_aware(instant, field)
    return instant


def _not_aware(instant: object, field: str) -> InvalidInput:
    if not isinstance(instant, dt.datetime):
        return InvalidInput(
            Code.TIME_NAIVE,
            f"{field} must be a timezone-aware datetime, got {type(instant).__name__} {instant!r}.",
            field,
        )
    return InvalidInput(
        Code.TIME_NAIVE,
        f"{field} {instant.isoformat()} has no time zone; give an aware datetime "
        "such as pendulum.datetime(..., tz='Europe/Zurich').",
        field,
    )


def utc(instant: object, field: str = "instant") -> dt.datetime:
    """Return an aware instant as a plain ``datetime`` in UTC (never a pendulum subclass).

    Orders keep their instants in UTC so that equal instants compare and hash
    equal, even in the hour a daylight-saving change repeats.

    Raises:
        InvalidInput: ``time.naive`` for a naive datetime or anything else.
    """
    if type(instant) is dt.datetime and instant.tzinfo is dt.UTC:
        return instant  # already what it would become; instants pass here many times an order
    if not isinstance(instant, dt.datetime) or (offset := instant.utcoffset()) is None:
        raise _not_aware(instant, field)
    # Field by field: pendulum's astimezone costs ~9 us and its zones' utcoffset ~1.5 us,
    # so the offset is asked for once. Exact, fold included.
    wall = dt.datetime(
        instant.year,
        instant.month,
        instant.day,
        instant.hour,
        instant.minute,
        instant.second,
        instant.microsecond,
        tzinfo=dt.UTC,
    )
    return wall - offset if offset else wall


@functools.lru_cache(maxsize=4096)
def _utc_of(instant: dt.datetime, _fold: int) -> dt.datetime:
    return utc(instant)


def shared_utc(instant: dt.datetime, field: str = "instant") -> dt.datetime:
    """Return `utc` of the instant, one object for all equal instants seen lately.

    Equal aware instants have one UTC form whatever their zone, so a cache keyed
    by the instant is exact, but for the hour a daylight-saving change repeats:
    Python compares two wall times of one zone without their ``fold``, so the
    fold is part of the key.

    Raises:
        InvalidInput: ``time.naive`` for a naive datetime or anything else.
    """
    if not isinstance(instant, dt.datetime) or instant.utcoffset() is None:
        return utc(instant, field)  # raises
    return _utc_of(instant, instant.fold)


def _whole_number(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            f"{field} must be a whole number, got {value!r}.",
            field,
        )
    return value


def plain_date(value: object, field: str) -> dt.date:
    """Return the value if it is a date and not a datetime, else raise ``argument.invalid``."""
    # A datetime is a date too, but taking its date silently would drop its zone.
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        kind = "a datetime" if isinstance(value, dt.datetime) else f"a {type(value).__name__}"
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            f"{field} must be a datetime.date such as date(2027, 3, 31); got {value!r}, {kind}.",
            field,
        )
    return value


def local_time_of_day(value: object, field: str) -> dt.time:
    """Return the value if it is a time of day without a zone, else raise ``argument.invalid``."""
    # A local time of day is read in the country's zone; a zone of its own would
    # either be ignored silently or contradict the country's.
    if not isinstance(value, dt.time) or value.tzinfo is not None:
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            f"{field} must be a local datetime.time without a zone, such as time(7, 0); "
            f"got {value!r}.",
            field,
        )
    return value


def add_months(day: dt.date, months: int) -> dt.date:
    """Add calendar months, clamping to the month's end: 31 Aug + 6 months = 28 Feb.

    Raises:
        InvalidInput: ``argument.invalid`` for a non-date or a non-integer count,
            or a result outside the years 1 to 9999.
    """
    day = plain_date(day, "day")
    count = _whole_number(months, "months")
    try:
        shifted = pendulum.Date(day.year, day.month, day.day).add(months=count)
    except (OverflowError, ValueError):
        raise _out_of_range(f"{day} plus {count} months") from None
    return dt.date(shifted.year, shifted.month, shifted.day)


def _out_of_range(what: str, field: str = "day") -> InvalidInput:
    return InvalidInput(
        Code.ARGUMENT_INVALID, f"{what} lies outside the calendar (years 1 to 9999).", field
    )


def end_of_month(day: dt.date) -> dt.date:
    """Return the last day of the day's month."""
    day = plain_date(day, "day")
    return day.replace(day=stdlib_calendar.monthrange(day.year, day.month)[1])


def _shifted(day: dt.date, by: dt.timedelta) -> dt.date:
    try:
        return day + by
    except OverflowError:
        raise _out_of_range(
            f"{day} {'+' if by > dt.timedelta(0) else '-'} {abs(by.days)} day(s)"
        ) from None


_CACHED_DAYS = 4096
"""Dates and instants each calendar remembers: years of daily traffic at a few offsets."""


@attrs.frozen(eq=False)
class BusinessCalendar:
    """The business days and local time of one country.

    Build it with `for_country` or `for_profile`; calendars are cached
    and shared, so building one is free after the first time.
    """

    profile: CountryProfile
    _years: dict[int, _Year] = attrs.field(factory=dict, init=False, repr=False)
    # pendulum reads a zone's file from disk each time it is named by string.
    _tz: pendulum.Timezone = attrs.field(init=False, repr=False)
    _last_year: int = attrs.field(init=False, repr=False)

    # Orders of one day ask for the same few dates and instants again and again.
    _moved: Callable[[dt.date, int], dt.date] = attrs.field(init=False, repr=False)
    _instant: Callable[[dt.date, dt.time], pendulum.DateTime] = attrs.field(init=False, repr=False)
    _utc_instant: Callable[[dt.date, dt.time], dt.datetime] = attrs.field(init=False, repr=False)

    @_tz.default
    def _load_zone(self) -> pendulum.Timezone:
        return pendulum.timezone(self.profile.zone)

    @_last_year.default
    def _load_last_year(self) -> int:
        end = int(self._listed_holidays().end_year)
        # Some calendars hold part of their holidays for fewer years (India's lunar
        # festivals end in 2035) and say so only in a warning when a later year loads.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            self._listed_holidays(end)
        for warning in caught:
            partial = _PARTIAL_DATA.search(str(warning.message))
            if partial is not None:
                end = min(end, int(partial.group(1)))
        return end

    @property
    def last_year(self) -> int:
        """The last year whose holidays the calendar knows (the holidays package's data).

        2100 for CH, SE and NO; earlier for some countries, and where the
        holidays package warns that part of a country's data ends earlier
        (India's lunar festivals, 2035). Business days after it are refused
        rather than counted without holidays.
        """
        return self._last_year

    def _listed_holidays(self, year: int | None = None) -> holidays.HolidayBase:
        return holidays.country_holidays(
            self.profile.country,
            subdiv=self.profile.holiday_subdivision,
            years=year,
            categories=self.profile.holiday_categories,
        )

    @_moved.default
    def _cache_moves(self) -> Callable[[dt.date, int], dt.date]:
        return functools.lru_cache(maxsize=_CACHED_DAYS)(self._move)

    @_instant.default
    def _cache_instants(self) -> Callable[[dt.date, dt.time], pendulum.DateTime]:
        return functools.lru_cache(maxsize=_CACHED_DAYS)(self._local_instant)

    @_utc_instant.default
    def _cache_utc_instants(self) -> Callable[[dt.date, dt.time], dt.datetime]:
        return functools.lru_cache(maxsize=_CACHED_DAYS)(self._local_instant_in_utc)

    @classmethod
    def for_country(cls, country: str) -> BusinessCalendar:
        """Return the calendar of a country (``"CH"``, ``"SE"``, ``"NO"``, ...).

        Raises:
            InvalidInput: ``country.unknown`` for an unknown country.
        """
        return _calendar_of(profile_for(country))

    @classmethod
    def for_profile(cls, profile: CountryProfile | str) -> BusinessCalendar:
        """Return the calendar of a (possibly customised) country profile, or of a country.

        Raises:
            InvalidInput: ``country.unknown`` for an unknown country.
        """
        return _calendar_of(
            profile if isinstance(profile, CountryProfile) else profile_for(profile)
        )

    @property
    def zone(self) -> str:
        """The IANA zone in which this calendar reads local dates and times."""
        return self.profile.zone

    def holidays_of(self, year: int) -> frozenset[dt.date]:
        """Return the dates of a year that are holidays (weekday or not).

        Years before the package's data (a few countries' start after 2000) have
        none listed; they are history, never planned.

        Raises:
            InvalidInput: ``argument.invalid`` for a year after `last_year`
                (business days would be counted without holidays), before year
                1, or that is not a whole number.
        """
        year = _whole_number(year, "year")
        if year < 1:
            raise _out_of_range(f"The year {year}", "year")
        return self._year(year).holiday_dates

    def _year(self, year: int) -> _Year:
        """Return what the calendar knows of a year of a date (1 to 9999)."""
        known = self._years.get(year)
        if known is None:
            if year > self._last_year:
                raise InvalidInput(
                    Code.ARGUMENT_INVALID,
                    f"The holidays of {self.profile.country} are known until "
                    f"{self._last_year}, not for {year}; business days after it cannot be "
                    "counted.",
                    "day",
                )
            known = _Year.of(self._listed_holidays(year), year)
            self._years[year] = known
        return known

    def is_business_day(self, day: dt.date) -> bool:
        """Whether the day is a working day of the country: neither a holiday nor a day off.

        A day off is a day of the weekend the country had on that day (the
        United Arab Emirates moved theirs in 2022), unless it is worked instead
        of a bridge day (Saturday 27 April 2024 in Russia).
        """
        day = plain_date(day, "day")
        return day not in self._year(day.year).days_off

    def next_business_day(self, day: dt.date) -> dt.date:
        """Return the first business day strictly after the day."""
        day = _shifted(plain_date(day, "day"), _ONE_DAY)
        while not self.is_business_day(day):
            day += _ONE_DAY
        return day

    def previous_business_day(self, day: dt.date) -> dt.date:
        """Return the last business day strictly before the day."""
        day = _shifted(plain_date(day, "day"), -_ONE_DAY)
        while not self.is_business_day(day):
            day -= _ONE_DAY
        return day

    def on_or_after(self, day: dt.date) -> dt.date:
        """Return the day itself if it is a business day, else the next one."""
        return day if self.is_business_day(day) else self.next_business_day(day)

    def on_or_before(self, day: dt.date) -> dt.date:
        """Return the day itself if it is a business day, else the previous one."""
        return day if self.is_business_day(day) else self.previous_business_day(day)

    def add_business_days(self, day: dt.date, count: int) -> dt.date:
        """Move ``count`` business days from the day, not counting the day itself.

        A positive count moves forward, a negative one back; zero returns the day
        if it is a business day, else the next business day. The result is always
        a business day and never decreases when the day or the count grows.

        Raises:
            InvalidInput: ``argument.invalid`` for a non-date or non-integer.
        """
        day = plain_date(day, "day")
        if type(day) is not dt.date:  # a pendulum Date is equal, so it would share the cache
            day = dt.date(day.year, day.month, day.day)
        return self._moved(day, _whole_number(count, "count"))

    def _move(self, day: dt.date, count: int) -> dt.date:
        if count == 0:
            return self.on_or_after(day)
        step = self.next_business_day if count > 0 else self.previous_business_day
        for _ in range(abs(count)):
            day = step(day)
        return day

    def business_days_between(self, start: dt.date, end: dt.date) -> int:
        """Count business days after ``start`` up to and including ``end``."""
        start = plain_date(start, "start")
        end = plain_date(end, "end")
        sign = 1 if end >= start else -1
        low, high = (start, end) if sign > 0 else (end, start)
        count = 0
        day = low + _ONE_DAY
        while day <= high:
            count += self.is_business_day(day)
            day += _ONE_DAY
        return sign * count

    def local(self, instant: dt.datetime) -> dt.datetime:
        """Return the instant as the wall-clock date and time in the country's zone.

        Raises:
            InvalidInput: ``time.naive`` for a naive datetime.
        """
        # pendulum's zones are zoneinfo zones: the standard conversion is exact and
        # ten times faster than going through pendulum.instance.
        try:
            return require_aware(instant).astimezone(self._tz)
        except OverflowError:
            raise _out_of_range(f"{instant.isoformat()} in {self.zone}") from None

    def local_date(self, instant: dt.datetime) -> dt.date:
        """Return the date of the instant in the country's zone.

        Raises:
            InvalidInput: ``time.naive`` for a naive datetime.
        """
        local = self.local(instant)
        return dt.date(local.year, local.month, local.day)

    def at(self, day: dt.date, time_of_day: dt.time) -> pendulum.DateTime:
        """Return the instant of a local date and time of day in the country's zone.

        A time that does not exist on a daylight-saving change (02:30 when clocks
        jump from 02:00 to 03:00) moves forward by the gap, as clocks do.
        """
        return self._instant(plain_date(day, "day"), local_time_of_day(time_of_day, "time_of_day"))

    def utc_at(self, day: dt.date, time_of_day: dt.time) -> dt.datetime:
        """Return `at` as a plain UTC instant, the form orders keep their instants in.

        Orders planned for one local instant share one object: ports cluster on a
        few contract ends and times of day.
        """
        return self._utc_instant(
            plain_date(day, "day"), local_time_of_day(time_of_day, "time_of_day")
        )

    def _local_instant_in_utc(self, day: dt.date, time_of_day: dt.time) -> dt.datetime:
        return utc(self._instant(day, time_of_day))

    def _local_instant(self, day: dt.date, time_of_day: dt.time) -> pendulum.DateTime:
        return pendulum.datetime(
            day.year,
            day.month,
            day.day,
            time_of_day.hour,
            time_of_day.minute,
            time_of_day.second,
            time_of_day.microsecond,
            tz=self._tz,
        )

    def receipt_day(self, instant: dt.datetime, cutoff: dt.time | None = None) -> dt.date:
        """Return the business day from which work received at the instant counts.

        Work received on a business day counts from that day, unless it arrives at
        or after the cut-off time; work received after the cut-off or on a day
        that is not a business day counts from the next business day.

        Raises:
            InvalidInput: ``time.naive`` for a naive datetime.
        """
        if cutoff is not None:
            cutoff = local_time_of_day(cutoff, "cutoff")
        local = self.local(instant)
        day = dt.date(local.year, local.month, local.day)
        after_cutoff = cutoff is not None and local.time() >= cutoff
        if self.is_business_day(day) and not after_cutoff:
            return day
        return self.next_business_day(day)

    def due_date(
        self, received: dt.datetime, business_days: int, cutoff: dt.time | None = None
    ) -> dt.date:
        """Return the business day that lies ``business_days`` after the receipt day.

        Seed 004: a replacement phone registered before 14:00 is delivered the
        next business day, ``due_date(received, 1, cutoff=time(14))``.
        """
        return self.add_business_days(self.receipt_day(received, cutoff), business_days)


@attrs.frozen
class _Year:
    """What a calendar knows of one year."""

    holiday_dates: frozenset[dt.date]
    """The holidays the holidays package lists, on any day of the week."""
    days_off: frozenset[dt.date]
    """Every day that is not a business day: holidays, and weekend days not worked."""

    @classmethod
    def of(cls, listed: holidays.HolidayBase, year: int) -> _Year:
        """Read a year from the holidays package's calendar of it."""
        first = dt.date(year, 1, 1)
        days = (first + dt.timedelta(days=offset) for offset in range(_days_in(year)))
        return cls(
            frozenset(listed), frozenset(day for day in days if not listed.is_working_day(day))
        )


def _days_in(year: int) -> int:
    return 366 if stdlib_calendar.isleap(year) else 365


@functools.lru_cache(maxsize=256)
def _calendar_of(profile: CountryProfile) -> BusinessCalendar:
    return BusinessCalendar(profile)
