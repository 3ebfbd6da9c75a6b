"""Country profiles and the calendars built from them: SPEC 2, SPEC 3.2, SPEC 9, SPEC 11.

Every value the specification marks as a decision is a profile value: 10 single
numbers per order, 3 block wildcards, 5 business days of ASAP lead time, 07:00.
"""

import datetime as dt

import attrs
import pytest

from portflow import BusinessCalendar, Code, CountryProfile, InvalidInput, profile_for
from portflow._core.profiles import normalise_country


def day(text):
    """Return the date written in ISO form."""
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("country", "zone", "locale", "calling_code"),
    [
        ("CH", "Europe/Zurich", "de", 41),
        ("SE", "Europe/Stockholm", "sv", 46),
        ("NO", "Europe/Oslo", "nb", 47),
    ],
)
def test_first_class_countries_have_their_zone_locale_and_calling_code(
    country, zone, locale, calling_code
):
    """SPEC 2, SPEC 9: CH, SE and NO have their zone, default locale and calling code."""
    profile = profile_for(country)
    assert profile.country == country
    assert profile.zone == zone
    assert profile.locale == locale
    assert profile.calling_code == calling_code


@pytest.mark.parametrize("country", ["CH", "SE", "NO", "DE"])
def test_every_profile_starts_with_the_decided_defaults(country):
    """SPEC 1.2, 1.3, 3.2 (decisions): 10 singles, 3 wildcards, 5 days ASAP lead, 07:00."""
    profile = profile_for(country)
    assert profile.max_singles == 10
    assert profile.max_block_wildcards == 3
    assert profile.asap_lead_business_days == 5
    assert profile.default_port_time == dt.time(7, 0)


def test_the_swiss_profile_reads_holidays_of_the_canton_of_zurich():
    """SPEC 2 (decision): the CH profile's default subdivision is the canton of Zurich."""
    assert profile_for("CH").holiday_subdivision == "ZH"


@pytest.mark.parametrize("spelling", ["ch", "Ch", "cH", "CH"])
def test_a_country_code_is_read_case_insensitively(spelling):
    """SPEC 2: profile_for accepts the ISO code in any case and returns the same profile."""
    assert profile_for(spelling) == profile_for("CH")
    assert normalise_country(spelling) == "CH"


def test_a_country_without_first_class_profile_gets_a_generic_one():
    """SPEC 2: any country both phonenumbers and holidays know gets a generic profile."""
    profile = profile_for("DE")
    assert profile.country == "DE"
    assert profile.zone == "Europe/Berlin"
    assert profile.locale == "en"
    assert profile.calling_code == 49


def test_a_generic_profile_has_a_working_calendar():
    """SPEC 2: the generic DE calendar knows German Unity Day (3 October)."""
    calendar = BusinessCalendar.for_country("DE")
    assert day("2028-10-03").weekday() == 1  # a Tuesday
    assert not calendar.is_business_day(day("2028-10-03"))
    assert calendar.is_business_day(day("2028-10-04"))
    assert calendar.at(day("2028-10-04"), dt.time(7)).utcoffset() == dt.timedelta(hours=2)


@pytest.mark.parametrize(
    "country",
    ["XX", "", "   ", None, 42, "Switzerland", "CHE", "41", b"CH"],
    ids=["XX", "empty", "blank", "none", "int", "name", "alpha-3", "calling-code", "bytes"],
)
def test_an_unknown_country_is_refused_with_country_unknown(country):
    """SPEC 11: a country that is not a known ISO alpha-2 code is country.unknown."""
    with pytest.raises(InvalidInput) as raised:
        profile_for(country)
    assert raised.value.code == Code.COUNTRY_UNKNOWN
    assert repr(country) in str(raised.value)


@pytest.mark.parametrize("country", ["XX", None, "Switzerland"])
def test_a_calendar_of_an_unknown_country_is_refused_with_country_unknown(country):
    """SPEC 11: BusinessCalendar.for_country refuses an unknown country like profile_for."""
    with pytest.raises(InvalidInput) as raised:
        BusinessCalendar.for_country(country)
    assert raised.value.code == Code.COUNTRY_UNKNOWN


def test_a_profile_passed_to_profile_for_is_returned_as_it_is():
    """SPEC 2: a customised profile is accepted wherever a country is."""
    custom = attrs.evolve(profile_for("CH"), max_singles=20)
    assert profile_for(custom) is custom


def test_a_profile_value_can_be_overridden_without_touching_the_original():
    """SPEC 2: decisions are profile values a carrier changes with attrs.evolve."""
    original = profile_for("CH")
    custom = attrs.evolve(original, max_singles=20, asap_lead_business_days=3)
    assert custom.max_singles == 20
    assert custom.asap_lead_business_days == 3
    assert custom.zone == original.zone
    assert profile_for("CH").max_singles == 10


def test_a_geneva_calendar_differs_from_the_zurich_one_where_the_cantons_differ():
    """SPEC 2: the Swiss subdivision is configurable; Geneva keeps other holidays than Zurich."""
    zurich = BusinessCalendar.for_country("CH")
    geneva = BusinessCalendar.for_profile(attrs.evolve(profile_for("CH"), holiday_subdivision="GE"))
    # Jeune genevois: the Thursday after the first Sunday of September (6 Sep 2026).
    assert day("2026-09-10").weekday() == 3
    assert not geneva.is_business_day(day("2026-09-10"))
    assert zurich.is_business_day(day("2026-09-10"))
    # Restauration de la Republique, 31 December, a Thursday in 2026.
    assert not geneva.is_business_day(day("2026-12-31"))
    assert zurich.is_business_day(day("2026-12-31"))
    # Labour Day (Friday 1 May 2026) and St Stephen's Day (Friday 26 Dec 2025) are Zurich's.
    assert zurich.holidays_of(2026) != geneva.holidays_of(2026)
    assert not zurich.is_business_day(day("2026-05-01"))
    assert geneva.is_business_day(day("2026-05-01"))
    assert not zurich.is_business_day(day("2025-12-26"))
    assert geneva.is_business_day(day("2025-12-26"))
    # Both keep the federal and Easter days.
    for holiday in ("2026-04-03", "2026-04-06", "2026-05-14", "2026-05-25", "2026-12-25"):
        assert not geneva.is_business_day(day(holiday))


def test_a_swedish_calendar_with_public_holidays_only_works_on_the_eves():
    """SPEC 2 (decision, configurable): dropping the de-facto category makes the eves workdays."""
    public_only = BusinessCalendar.for_profile(
        attrs.evolve(profile_for("SE"), holiday_categories=("public",))
    )
    for eve in ("2026-06-19", "2026-12-24", "2026-12-31"):
        assert day(eve).weekday() < 5
        assert public_only.is_business_day(day(eve))
        assert not BusinessCalendar.for_country("SE").is_business_day(day(eve))
    # Epiphany is a public holiday, so it stays.
    assert not public_only.is_business_day(day("2026-01-06"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("max_singles", 0),
        ("max_singles", -1),
        ("max_singles", 1.5),
        ("max_singles", True),
        ("max_singles", "10"),
        ("max_block_wildcards", 0),
        ("asap_lead_business_days", -5),
    ],
)
def test_a_limit_below_one_or_not_a_whole_number_is_refused(field, value):
    """SPEC 11: profile limits are whole numbers of at least 1: argument.invalid, named."""
    with pytest.raises(InvalidInput) as raised:
        attrs.evolve(profile_for("CH"), **{field: value})
    assert raised.value.code == Code.ARGUMENT_INVALID
    assert raised.value.field == field


@pytest.mark.parametrize("field", ["lookup_retry", "lookup_patience"])
@pytest.mark.parametrize(
    "value", [dt.timedelta(0), dt.timedelta(seconds=-1), dt.timedelta(hours=-1), 3600, None]
)
def test_a_lookup_interval_must_be_a_positive_timedelta(field, value):
    """SPEC 11: a retry every 0 s would never let ``advance`` finish: argument.invalid, named."""
    with pytest.raises(InvalidInput) as raised:
        attrs.evolve(profile_for("CH"), **{field: value})
    assert (raised.value.code, raised.value.field) == (Code.ARGUMENT_INVALID, field)


def test_the_lookup_is_retried_hourly_for_a_day_by_default():
    """SPEC 8 (decisions): a failed binding look-up is retried every hour, for a day."""
    profile = profile_for("CH")
    assert profile.lookup_retry == dt.timedelta(hours=1)
    assert profile.lookup_patience == dt.timedelta(days=1)


def test_a_profile_built_directly_with_an_invalid_limit_is_refused():
    """SPEC 11: the constructor validates as attrs.evolve does."""
    with pytest.raises(InvalidInput) as raised:
        CountryProfile("CH", "Europe/Zurich", "de", max_singles=0)
    assert raised.value.code == Code.ARGUMENT_INVALID


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "Europe/Zurch"])
def test_a_profile_with_a_zone_that_does_not_exist_is_refused(zone):
    """SPEC 2, SPEC 11: each profile has an IANA zone; a misspelt one is refused when made."""
    with pytest.raises(InvalidInput):
        attrs.evolve(profile_for("CH"), zone=zone)


def test_a_profile_with_an_unknown_country_is_refused():
    """SPEC 11: a profile's country must be known, as profile_for requires: country.unknown."""
    with pytest.raises(InvalidInput) as raised:
        attrs.evolve(profile_for("CH"), country="XX")
    assert raised.value.code == Code.COUNTRY_UNKNOWN


def test_a_profile_with_a_subdivision_its_country_lacks_is_refused():
    """SPEC 2, SPEC 11: a canton that does not exist is refused as invalid input."""
    with pytest.raises(InvalidInput):
        BusinessCalendar.for_profile(
            attrs.evolve(profile_for("CH"), holiday_subdivision="XX")
        ).is_business_day(day("2026-03-09"))


def test_a_countrys_calendar_is_built_once_and_shared():
    """SPEC 12: BusinessCalendar.for_country returns the same cached calendar every time."""
    calendar = BusinessCalendar.for_country("CH")
    assert BusinessCalendar.for_country("CH") is calendar
    assert BusinessCalendar.for_country("ch") is calendar
    assert BusinessCalendar.for_profile(profile_for("CH")) is calendar
    assert calendar.profile == profile_for("CH")


def test_a_customised_profile_gets_its_own_calendar():
    """SPEC 2: a calendar follows its profile; an equal profile shares it, another does not."""
    geneva = attrs.evolve(profile_for("CH"), holiday_subdivision="GE")
    calendar = BusinessCalendar.for_profile(geneva)
    assert calendar is not BusinessCalendar.for_country("CH")
    assert BusinessCalendar.for_profile(attrs.evolve(geneva)) is calendar
    assert calendar.profile == geneva


@pytest.mark.parametrize(
    ("country", "zone"),
    [
        ("DZ", "Africa/Algiers"),
        ("LY", "Africa/Tripoli"),
        ("NI", "America/Managua"),
        ("SS", "Africa/Juba"),
        ("MA", "Africa/Casablanca"),
        ("IE", "Europe/Dublin"),
        ("US", "America/New_York"),
        ("FM", "Pacific/Pohnpei"),
    ],
)
def test_a_generic_profile_reads_times_in_a_zone_of_its_own_country(country, zone):
    """SPEC 2: local dates and times are the country's; a neighbour's zone is an hour off.

    phonenumbers lists Algeria's example number in Europe/Paris, Libya's in
    Europe/Bucharest, Nicaragua's in America/Chicago, and Micronesia's capital by
    the zone's old name, Pacific/Ponape.
    """
    assert profile_for(country).zone == zone


BAD_PROFILE_VALUES = {
    "unknown category": {"holiday_categories": ("bogus",)},
    "no category": {"holiday_categories": ()},
    "a category of another country": {"country": "NO", "zone": "Europe/Oslo"},
    "locale": {"locale": None},
    "port time as text": {"default_port_time": "07:00"},
    "port time with a zone": {"default_port_time": dt.time(7, 0, tzinfo=dt.UTC)},
}


@pytest.mark.parametrize("changes", BAD_PROFILE_VALUES.values(), ids=BAD_PROFILE_VALUES.keys())
def test_a_customised_profile_refuses_values_it_could_not_use(changes):
    """SPEC 2, 11: refused when the profile is made, not as a raw error at the first order.

    Sweden's de-facto holidays are no category of Norway's calendar.
    """
    with pytest.raises(InvalidInput) as raised:
        attrs.evolve(profile_for("SE"), **changes)
    assert raised.value.code == Code.ARGUMENT_INVALID


def test_holiday_categories_may_be_given_as_a_list():
    """The categories are kept as a tuple, so the profile stays hashable."""
    profile = attrs.evolve(profile_for("CH"), holiday_categories=["public", "half_day"])
    assert profile.holiday_categories == ("public", "half_day")
    assert hash(profile) == hash(attrs.evolve(profile))
