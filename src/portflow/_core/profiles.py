"""Country profiles: the values a country's porting rules are parameterised by.

Every value the specification marks as a *decision* lives here, never as a
constant in a rule, so a carrier can change it with `attrs.evolve`.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
from collections.abc import Iterable

import attrs
import holidays
import pendulum
import phonenumbers
from phonenumbers import timezone as phonenumber_zones

from portflow._core.errors import Code, InvalidInput, checked_instance


def _positive(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            f"{attribute.name} must be a whole number of at least 1, got {value!r}.",
            attribute.name,
        )


def _positive_duration(
    _instance: object, attribute: attrs.Attribute[dt.timedelta], value: object
) -> None:
    if not isinstance(value, dt.timedelta) or value <= dt.timedelta(0):
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            f"{attribute.name} must be a positive timedelta, got {value!r}.",
            attribute.name,
        )


def _known_country(_instance: object, _attribute: object, value: str) -> None:
    if normalise_country(value) != str(value):
        raise InvalidInput(
            Code.COUNTRY_UNKNOWN, f"Country codes are upper case: {value!r}.", "country"
        )


def _known_zone(_instance: object, _attribute: object, value: str) -> None:
    try:
        pendulum.timezone(str(value))
    except (pendulum.tz.exceptions.InvalidTimezone, ValueError):
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            f"Unknown time zone {value!r}; expected an IANA zone such as 'Europe/Zurich'.",
            "zone",
        ) from None


def _known_subdivision(instance: CountryProfile, _attribute: object, value: str | None) -> None:
    if value is not None and value not in _subdivisions(instance.country):
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            f"{instance.country} has no holiday subdivision {value!r}; expected one of "
            f"{', '.join(_subdivisions(instance.country))}.",
            "holiday_subdivision",
        )


def _categories(value: Iterable[str] | str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    try:
        return tuple(value)
    except TypeError:
        raise _bad_categories(value) from None


def _known_categories(instance: CountryProfile, _attribute: object, value: tuple[str, ...]) -> None:
    if not value or any(category not in _supported(instance.country) for category in value):
        raise _bad_categories(value, instance.country)


@functools.cache
def _supported(country: str) -> tuple[str, ...]:
    return tuple(holidays.country_holidays(country).supported_categories)


def _bad_categories(value: object, country: str = "") -> InvalidInput:
    known = f" ({', '.join(_supported(country))} for {country})" if country else ""
    return InvalidInput(
        Code.ARGUMENT_INVALID,
        f"holiday_categories must name categories of the holidays package{known}; got {value!r}.",
        "holiday_categories",
    )


def _locale(_instance: object, _attribute: object, value: str) -> None:
    checked_instance(value, str, "locale")


def _local_time(_instance: object, _attribute: object, value: dt.time) -> None:
    if not isinstance(value, dt.time) or value.tzinfo is not None:
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            f"default_port_time must be a local time without a zone, such as "
            f"time(7, 0); got {value!r}.",
            "default_port_time",
        )


# Profiles key the calendar and look-up caches, several times per command: the hash
# of all their fields is worked out once.
@attrs.frozen(weakref_slot=False, cache_hash=True)
class CountryProfile:
    """The rules of one country: its zone, calendar, limits and default timings.

    Build one with `profile_for`; change a value with ``attrs.evolve``.
    """

    country: str = attrs.field(validator=_known_country)
    """ISO 3166-1 alpha-2 code, upper case (``"CH"``)."""
    zone: str = attrs.field(validator=_known_zone)
    """IANA time zone in which local dates and times of the country are read."""
    locale: str = attrs.field(validator=_locale)
    """Default locale of notifications (``de``, ``sv``, ``nb``, ``en``)."""
    holiday_subdivision: str | None = attrs.field(default=None, validator=_known_subdivision)
    """Subdivision of the ``holidays`` package (a Swiss canton, say), or none."""
    holiday_categories: tuple[str, ...] = attrs.field(
        default=("public",), converter=_categories, validator=_known_categories
    )
    """Categories of the ``holidays`` package that are not business days."""
    max_singles: int = attrs.field(default=10, validator=_positive)
    """Most single numbers one port order may hold (seed 002: 10)."""
    max_block_wildcards: int = attrs.field(default=3, validator=_positive)
    """Most ``x`` wildcards a DDI block may have (decision: 3, 1,000 numbers)."""
    asap_lead_business_days: int = attrs.field(default=5, validator=_positive)
    """Business days between an ASAP request and its earliest port date (decision: 5)."""
    cancel_freeze_business_days: int = attrs.field(default=2, validator=_positive)
    """Business days before the port instant from which the order cannot be cancelled
    (decision: 2, as the Swiss freeze before a port)."""
    confirmation_business_days: int = attrs.field(default=2, validator=_positive)
    """Business days after the day an order counts as received that its order
    confirmation is due (seed 000: "a couple of days after signing"; decision: 2)."""
    default_port_time: dt.time = attrs.field(default=dt.time(7, 0), validator=_local_time)
    """Local time of day a port executes when the request names none (decision: 07:00)."""
    binding_threshold_months: int = attrs.field(default=6, validator=_positive)
    """Broadband takeover: a binding ending more than this many months after the look-up
    defers the order until binding end minus these months (seed 000: 6)."""
    modem_lead_business_days: int = attrs.field(default=5, validator=_positive)
    """Broadband: business days before the connection that the modem ships (decision: 5)."""
    equipment_reminder_business_days: int = attrs.field(default=2, validator=_positive)
    """IP telephony: business days before the port that the customer is reminded to
    connect the equipment (decision: 2)."""
    lookup_retry: dt.timedelta = attrs.field(
        default=dt.timedelta(hours=1), validator=_positive_duration
    )
    """How long after a failed binding look-up it is tried again (decision: 1 hour)."""
    lookup_patience: dt.timedelta = attrs.field(
        default=dt.timedelta(days=1), validator=_positive_duration
    )
    """How long failed binding look-ups are retried before the reseller is asked to
    check the order (decision: 1 day)."""
    delivery_retry: dt.timedelta = attrs.field(
        default=dt.timedelta(minutes=5), validator=_positive_duration
    )
    """The shortest wait before a notification the notifier refused is tried again
    (decision: 5 minutes); see `delivery_wait`."""
    delivery_retry_max: dt.timedelta = attrs.field(
        default=dt.timedelta(hours=1), validator=_positive_duration
    )
    """The longest wait before a refused notification is tried again (decision:
    1 hour); see `delivery_wait`. One below `delivery_retry` keeps every wait at
    `delivery_retry`."""

    def delivery_wait(self, waited: dt.timedelta) -> dt.timedelta:
        """Return the wait before retrying a notification refused at a try due ``waited`` after it.

        It waits as long as it had waited by that try, at least `delivery_retry`
        and at most `delivery_retry_max`. Refused at its due instant and at each
        retry, it waits 5, 5, 10, 20, 40 and then 60 minutes by default: a
        notifier back after a short outage gets the notification soon, and a
        recipient that never accepts is tried once per `delivery_retry_max`,
        not every few minutes for ever. A first try that comes late (no
        `Engine.advance` ran meanwhile) waits `delivery_retry`.

        Raises:
            InvalidInput: ``argument.invalid`` for a ``waited`` that is not a timedelta.
        """
        checked_instance(waited, dt.timedelta, "waited")
        return max(self.delivery_retry, min(self.delivery_retry_max, waited))

    @property
    def calling_code(self) -> int:
        """The country's international calling code (41 for CH)."""
        return phonenumbers.country_code_for_region(self.country)


_FIRST_CLASS_CODES = frozenset({"CH", "NO", "SE"})


def normalise_country(country: object) -> str:
    """Return the upper-case ISO code if both phonenumbers and holidays know it.

    Raises:
        InvalidInput: ``country.unknown`` for anything else.
    """
    if isinstance(country, str):
        code = country.strip().upper()
        if code in _FIRST_CLASS_CODES or code in _known_countries():
            return code
    raise InvalidInput(
        Code.COUNTRY_UNKNOWN,
        f"Unknown country {country!r}: expected an ISO 3166-1 alpha-2 code such as "
        "'CH', 'SE' or 'NO' that has number metadata and a holiday calendar.",
        "country",
    )


@functools.cache
def _holiday_countries() -> dict[str, list[str]]:
    return dict(holidays.list_supported_countries())


def _known_countries() -> frozenset[str]:
    return frozenset(phonenumbers.SUPPORTED_REGIONS) & frozenset(_holiday_countries())


def _subdivisions(country: str) -> tuple[str, ...]:
    return tuple(_holiday_countries().get(country, ()))


_FIRST_CLASS = {
    # Zurich: the federal list lacks Good Friday, Easter Monday, Whit Monday and
    # 26 December, which are kept almost everywhere (SPEC 2, decision).
    "CH": CountryProfile("CH", "Europe/Zurich", "de", holiday_subdivision="ZH"),
    # Midsummer Eve, Christmas Eve and New Year's Eve are de-facto holidays.
    "SE": CountryProfile("SE", "Europe/Stockholm", "sv", holiday_categories=("public", "de_facto")),
    "NO": CountryProfile("NO", "Europe/Oslo", "nb"),
}


@functools.cache
def _own_zones() -> dict[str, tuple[str, ...]]:
    """Return each country's own zones, as the tz database lists them (none if unreadable)."""
    try:
        table = (importlib.resources.files("tzdata.zoneinfo") / "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, OSError):
        return {}
    zones: dict[str, list[str]] = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            country, _coordinates, zone, *_comment = line.split("\t")
            zones.setdefault(country, []).append(zone)
    return {country: tuple(listed) for country, listed in zones.items()}


@functools.cache
def _zone_data(zone: str) -> bytes | None:
    """Return the compiled rules of a zone; an old name's are its current name's."""
    try:
        return (
            importlib.resources.files("tzdata.zoneinfo").joinpath(*zone.split("/"))
        ).read_bytes()
    except (ModuleNotFoundError, OSError):
        return None


@functools.cache
def _generic_profile(country: str) -> CountryProfile:
    # phonenumbers names the zones of the country's example number, sometimes by an
    # old name (Pacific/Ponape for Pohnpei), sometimes a neighbour's (Europe/Paris for
    # Algeria): the first that is one of the country's own zones, as the tz database
    # lists them, else the database's first zone of the country.
    example = phonenumbers.example_number(country)
    suggested = phonenumber_zones.time_zones_for_number(example) if example else ()
    known = [zone for zone in suggested if zone != phonenumber_zones.UNKNOWN_TIMEZONE]
    own = _own_zones().get(country, ())
    by_rules = {_zone_data(zone): zone for zone in own}
    by_rules.pop(None, None)
    zone = next((by_rules[data] for z in known if (data := _zone_data(z)) in by_rules), None)
    if zone is None:
        zone = own[0] if own else (known[0] if known else "UTC")
    return CountryProfile(country, zone, "en")


def profile_for(country: str | CountryProfile) -> CountryProfile:
    """Return the profile of a country: first-class for CH, SE and NO, generic otherwise.

    A profile passed in is returned as it is, so every function that takes a
    country also takes a customised profile.

    Raises:
        InvalidInput: ``country.unknown`` when the country is not known.
    """
    if isinstance(country, CountryProfile):
        return country
    code = normalise_country(country)
    return _FIRST_CLASS.get(code) or _generic_profile(code)
