"""Notifications: pure data the engine produces and notifier adapters deliver (SPEC 9).

A `Notification` names its kind, channel, recipient, locale, order, parameters
and due instant. Its `key` makes at-least-once delivery through an outbox
effectively once: the key is derived from the order, the kind, the recipient
and, for kinds that are announced again when a date moves, the instant the
notification is about (its ``occasion``). A replay of the same notification
gets the same key; a rescheduled port announces again under a new key.

The texts are data in `notification_texts`, one `Template` per kind and locale, in Swedish
(``sv``), Norwegian Bokmål (``nb``), German (``de``, Swiss usage) and English
(``en``). Parameter values are strings. The dates and times among them
(`DATE_PARAMS`, `TIME_PARAMS`) are kept in ISO 8601, as data and in the key, and
written the locale's way only when rendered (``31.03.2027`` in German,
``31. mars 2027`` in Norwegian); numbers and blocks (`NUMBER_PARAMS`) are kept
in E.164 and grouped when rendered (``+41 44 123 46 xx``); any other value is
shown as given.

Seed 000 (Phonera): an order confirmation a couple of days after signing; the
SIM card shipped separately; an SMS to both the old and the temporary number
when the port date is fixed; restart the phone if needed; connect the IP
equipment; letters about a deferred or pending broadband order, a preconfigured
modem and the connection date. Seed 002: provisional numbers are deactivated
automatically after the port; after approval, review which donor services are
still needed.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import hashlib
import itertools
import re
import string
from collections.abc import Iterable, Mapping
from typing import Final, NamedTuple

import attrs
import phonenumbers
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time

from portflow._core.calendar import require_aware
from portflow._core.errors import Code, InvalidInput, checked_text, member_of
from portflow._core.notification_texts import MOBILE_NOTES, TEMPLATES, Template

__all__ = [
    "DATE_PARAMS",
    "DEFAULT_LOCALE",
    "LOCALES",
    "NUMBER_PARAMS",
    "PARAMS",
    "ROUTES",
    "TEMPLATES",
    "TIME_PARAMS",
    "Audience",
    "Channel",
    "Notification",
    "NotificationKind",
    "Rendered",
    "Route",
    "Template",
    "Variant",
    "audience_of",
    "default_channel",
    "notification_key",
    "render",
    "resolve_locale",
]


class NotificationKind(enum.StrEnum):
    """Every kind of notification of SPEC 9."""

    ORDER_CONFIRMATION = "order.confirmation"
    SIM_SHIPPED = "sim.shipped"
    PORT_DATE_ANNOUNCED = "port.date_announced"
    PORT_COMPLETED = "port.completed"
    EQUIPMENT_CONNECT_REMINDER = "equipment.connect_reminder"
    PORT_DEFERRED = "port.deferred"
    PORT_ORDERED_PENDING_BINDING = "port.ordered_pending_binding"
    MODEM_SHIPPED = "modem.shipped"
    CONNECTION_DATE = "connection.date"
    CLARIFICATION_REQUESTED = "clarification.requested"
    ADVICE_REVIEW_DONOR_SERVICES = "advice.review_donor_services"
    TEMPORARY_NUMBER_DEACTIVATED = "temporary_number.deactivated"


class Channel(enum.StrEnum):
    """How a notification travels."""

    SMS = "sms"
    EMAIL = "email"
    LETTER = "letter"


class Audience(enum.StrEnum):
    """Who a notification is for: the end customer or the reseller who placed the order."""

    CUSTOMER = "customer"
    RESELLER = "reseller"


class Variant(enum.StrEnum):
    """Which variant of a kind's text to use.

    Only `port.completed` differs: its ``mobile`` variant adds that the phone may
    need a restart and must hold the new SIM card (seed 000). Every other kind
    renders the same text for both variants.
    """

    STANDARD = "standard"
    MOBILE = "mobile"


LOCALES: Final = ("sv", "nb", "de", "en")
"""The locales every template exists in."""
DEFAULT_LOCALE: Final = "en"
"""The locale an unknown locale falls back to."""

# Tags that are not a primary language of LOCALES but clearly mean one of them.
_LOCALE_ALIASES: Final = {"no": "nb", "nn": "nb"}
# E.164: a plus, a non-zero country code digit and at most 15 digits in all.
_E164: Final = re.compile(r"\+[1-9][0-9]{5,14}")


@attrs.frozen(weakref_slot=False)
class Route:
    """Who receives a kind of notification and through which channel by default."""

    audience: Audience
    channel: Channel


ROUTES: Final[Mapping[NotificationKind, Route]] = {
    NotificationKind.ORDER_CONFIRMATION: Route(Audience.CUSTOMER, Channel.LETTER),
    NotificationKind.SIM_SHIPPED: Route(Audience.CUSTOMER, Channel.EMAIL),
    NotificationKind.PORT_DATE_ANNOUNCED: Route(Audience.CUSTOMER, Channel.SMS),
    NotificationKind.PORT_COMPLETED: Route(Audience.CUSTOMER, Channel.SMS),
    NotificationKind.EQUIPMENT_CONNECT_REMINDER: Route(Audience.CUSTOMER, Channel.EMAIL),
    NotificationKind.PORT_DEFERRED: Route(Audience.CUSTOMER, Channel.LETTER),
    NotificationKind.PORT_ORDERED_PENDING_BINDING: Route(Audience.CUSTOMER, Channel.LETTER),
    NotificationKind.MODEM_SHIPPED: Route(Audience.CUSTOMER, Channel.EMAIL),
    NotificationKind.CONNECTION_DATE: Route(Audience.CUSTOMER, Channel.LETTER),
    NotificationKind.CLARIFICATION_REQUESTED: Route(Audience.RESELLER, Channel.EMAIL),
    NotificationKind.ADVICE_REVIEW_DONOR_SERVICES: Route(Audience.RESELLER, Channel.EMAIL),
    NotificationKind.TEMPORARY_NUMBER_DEACTIVATED: Route(Audience.CUSTOMER, Channel.EMAIL),
}
"""The SPEC 9 "to" column: audience and default channel of each kind.

`order.confirmation` may go by letter or e-mail; letter is the default because
the seed's confirmation carries the full price list. `port.date_announced` is
always an SMS, sent twice: to the old number and to the temporary number.
"""

PARAMS: Final[Mapping[NotificationKind, tuple[str, ...]]] = {
    NotificationKind.ORDER_CONFIRMATION: ("order_id",),
    NotificationKind.SIM_SHIPPED: ("order_id", "temporary_number"),
    NotificationKind.PORT_DATE_ANNOUNCED: (
        "order_id",
        "number",
        "port_date",
        "port_time",
        "temporary_number",
    ),
    NotificationKind.PORT_COMPLETED: ("order_id", "number"),
    NotificationKind.EQUIPMENT_CONNECT_REMINDER: ("order_id", "number", "port_date"),
    NotificationKind.PORT_DEFERRED: ("order_id", "binding_end", "wake_date"),
    NotificationKind.PORT_ORDERED_PENDING_BINDING: ("order_id", "binding_end"),
    NotificationKind.MODEM_SHIPPED: ("order_id", "connection_date"),
    NotificationKind.CONNECTION_DATE: ("order_id", "connection_date"),
    NotificationKind.CLARIFICATION_REQUESTED: ("order_id", "question"),
    NotificationKind.ADVICE_REVIEW_DONOR_SERVICES: ("order_id",),
    NotificationKind.TEMPORARY_NUMBER_DEACTIVATED: ("order_id", "temporary_number"),
}
"""The placeholders of each kind's texts. ``order_id`` comes from `Notification.order_id`;
a notification gives every other one in its `Notification.params`, and others are ignored."""
_REQUIRED_PARAMS: Final = {
    kind: tuple(name for name in names if name != "order_id") for kind, names in PARAMS.items()
}
DATE_PARAMS: Final = frozenset({"port_date", "wake_date", "connection_date", "binding_end"})
"""Parameters holding a date: ISO 8601 (``2027-03-31``) in the data, the locale's medium
date format when rendered (`render`)."""
TIME_PARAMS: Final = frozenset({"port_time"})
"""Parameters holding a local time: ``06:00`` in the data, the locale's short time format
when rendered (``6:00 AM`` in English)."""

NUMBER_PARAMS: Final = frozenset({"number", "temporary_number"})
"""Parameters holding numbers and blocks, comma-separated: E.164 (``+41441234567``,
``+414412346xx``) in the data, grouped the international way when rendered
(``+41 44 123 45 67``, ``+41 44 123 46 xx``)."""
_FORMATTED_PARAMS: Final = DATE_PARAMS | TIME_PARAMS | NUMBER_PARAMS
_E164_UNIT: Final = re.compile(r"\+[1-9][0-9]{2,14}(x*)")

# Kinds announced again when their date moves: their key includes the occasion.
_KEYED_BY_OCCASION: Final = frozenset(
    {NotificationKind.PORT_DATE_ANNOUNCED, NotificationKind.CONNECTION_DATE}
)


class Rendered(NamedTuple):
    """A rendered notification: its subject line and its body text."""

    subject: str
    body: str


def default_channel(kind: NotificationKind) -> Channel:
    """Return the channel a kind of notification travels by unless the caller chooses."""
    return ROUTES[NotificationKind(kind)].channel


def audience_of(kind: NotificationKind) -> Audience:
    """Return who a kind of notification is for: the customer or the reseller."""
    return ROUTES[NotificationKind(kind)].audience


def resolve_locale(locale: str) -> str:
    """Return the template locale for a language tag; unknown ones fall back to English.

    The primary subtag decides, case-insensitively: ``sv-SE`` → ``sv``,
    ``nb_NO`` → ``nb``; ``no`` and ``nn`` → ``nb``. Anything else, the empty
    string included, gives `DEFAULT_LOCALE` (``en``) rather than an error, so a
    customer with an unsupported language still hears from us.
    """
    primary = _language(locale)
    return primary if primary in LOCALES else DEFAULT_LOCALE


def _language(locale: str) -> str:
    primary = _subtags(locale)[0].lower()
    return _LOCALE_ALIASES.get(primary, primary)


def _subtags(locale: str) -> list[str]:
    return re.split(r"[-_]", locale.strip())


@functools.lru_cache(maxsize=256)
def _formatting_locale(locale: str, chosen: str) -> Locale:
    """Return the locale dates are written in: the template's language, in the tag's region.

    ``de-CH`` writes German dates the Swiss way and ``en-GB`` British ones. A tag
    whose language has no templates renders in English and writes English
    dates, whatever its region; a region babel does not know is left out.
    """
    subtags = _subtags(locale)
    if _language(locale) == chosen and len(subtags) > 1:
        try:
            return Locale.parse(f"{chosen}_{subtags[1]}")
        except (UnknownLocaleError, ValueError):
            pass
    return Locale.parse(chosen)


# CLDR puts no-break spaces in some forms ("6:00 AM"); a plain space keeps an SMS in
# the GSM 7-bit alphabet, which has no other space, and so at 160 characters a part.
_PLAIN_SPACES: Final = str.maketrans({"\u00a0": " ", "\u202f": " "})


def _localized(params: Mapping[str, str], locale: Locale) -> Mapping[str, str]:
    """Return the parameters with ISO dates and times written the locale's way, numbers grouped."""
    if _FORMATTED_PARAMS.isdisjoint(params):
        return params
    values = dict(params)
    for name, value in params.items():
        try:
            if name in NUMBER_PARAMS:
                values[name] = ", ".join(map(_grouped, value.split(", ")))
                continue
            if name in DATE_PARAMS:
                written = format_date(dt.date.fromisoformat(value), "medium", locale=locale)
            elif name in TIME_PARAMS:
                written = format_time(dt.time.fromisoformat(value), "short", locale=locale)
            else:
                continue
        except ValueError:
            continue  # not ISO 8601: the caller wrote it as it should read
        values[name] = written.translate(_PLAIN_SPACES)
    return values


@functools.lru_cache(maxsize=4096)
def _grouped(unit: str) -> str:
    """Return a number or block in E.164 grouped the international way; anything else as given.

    A block is grouped as its first member, whose last digits are then its ``x``.
    """
    match = _E164_UNIT.fullmatch(unit)
    if match is None:
        return unit
    wildcards = len(match.group(1))
    try:
        parsed = phonenumbers.parse(unit[: len(unit) - wildcards] + "0" * wildcards)
    except phonenumbers.NumberParseException:
        return unit
    if not phonenumbers.is_valid_number(parsed):
        return unit
    grouped = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return _with_wildcards(grouped, wildcards)


def _with_wildcards(grouped: str, wildcards: int) -> str:
    """Return ``grouped`` with its last ``wildcards`` digits written ``x``."""
    characters = list(grouped)
    for index in range(len(characters) - 1, -1, -1):
        if wildcards == 0:
            break
        if characters[index].isdigit():
            characters[index] = "x"
            wildcards -= 1
    return "".join(characters)


def _placeholders(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def _fill(text: str, values: Mapping[str, str], kind: NotificationKind, locale: str) -> str:
    missing = sorted({name for name in _placeholders(text) if name not in values})
    if missing:
        given = ", ".join(sorted(values)) or "none"
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            f"The {kind} template ({locale}) needs the parameter(s) {', '.join(missing)}; "
            f"given: {given}.",
            "params",
        )
    return text.format_map(values)


def render(
    kind: NotificationKind,
    locale: str,
    params: Mapping[str, str],
    *,
    variant: Variant = Variant.STANDARD,
) -> Rendered:
    """Render a kind's subject and body in a locale, filling the placeholders.

    Args:
        kind: The kind of notification.
        locale: A language tag; see `resolve_locale` for how it is matched.
        params: Values for the placeholders; extra ones are ignored. ISO 8601 dates
            and times of `DATE_PARAMS` and `TIME_PARAMS` are written the locale's
            way, and numbers and blocks of `NUMBER_PARAMS` in E.164 are grouped
            the international way (``+41 44 123 45 67``); every other value is
            shown as given.
        variant: `Variant.MOBILE` adds the restart-the-phone advice to `port.completed`.

    Returns:
        The subject line and the body text.

    Raises:
        InvalidInput: ``argument.invalid`` when a placeholder has no value.
    """
    kind = NotificationKind(kind)
    chosen = resolve_locale(locale)
    template = TEMPLATES[kind][chosen]
    values = _localized(params, _formatting_locale(locale, chosen))
    subject = _fill(template.subject, values, kind, chosen)
    body = _fill(template.body, values, kind, chosen)
    if Variant(variant) is Variant.MOBILE and kind in MOBILE_NOTES:
        body = f"{body} {MOBILE_NOTES[kind][chosen]}"
    return Rendered(subject, body)


def notification_key(
    order_id: str,
    kind: NotificationKind,
    recipient: str,
    occasion: dt.datetime | None = None,
    params: Iterable[tuple[str, str]] = (),
) -> str:
    """Return the idempotency key of a notification.

    The key is ``"<kind>:<digest>"``, the digest being the first 32 hexadecimal
    digits of the SHA-256 of order id, kind, recipient, occasion and the
    parameters (sorted ``name=value`` pairs), joined by the unit separator
    U+001F. The occasion enters as its UTC ISO form (the empty string when
    absent), so the same instant written in two time zones gives one key.
    Equal inputs always give the same key; a different recipient (the old and
    the temporary number of `port.date_announced`), a moved occasion (a
    rescheduled port) or another text (a second question) gives a different one.

    Raises:
        InvalidInput: ``time.naive`` when the occasion has no time zone.
    """
    if occasion is not None:
        require_aware(occasion, "occasion")
    return _key(order_id, NotificationKind(kind), recipient, occasion, sorted(params))


def _key(
    order_id: str,
    kind: NotificationKind,
    recipient: str,
    occasion: dt.datetime | None,
    params: Iterable[tuple[str, str]],
) -> str:
    """Return the key of checked values, the parameters sorted (see `notification_key`)."""
    instant = "" if occasion is None else _utc_iso(occasion)
    values = "\x1e".join(f"{name}={value}" for name, value in params)
    text = f"{order_id}\x1f{kind}\x1f{recipient}\x1f{instant}\x1f{values}"
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    return f"{kind}:{digest}"


def _utc_iso(instant: dt.datetime) -> str:
    return (instant if instant.tzinfo is dt.UTC else instant.astimezone(dt.UTC)).isoformat()


def _to_params(value: object) -> tuple[tuple[str, str], ...]:
    items: list[object]
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, Iterable) and not isinstance(value, str | bytes):
        items = list(value)
    else:
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            f"params must be a mapping or (name, value) pairs of strings, got {value!r}.",
            "params",
        )
    pairs: list[tuple[str, str]] = []
    for item in items:
        pair = tuple(item) if isinstance(item, Iterable) and not isinstance(item, str) else item
        if not (
            isinstance(pair, tuple)
            and len(pair) == 2
            and isinstance(pair[0], str)
            and isinstance(pair[1], str)
        ):
            raise InvalidInput(
                Code.ARGUMENT_INVALID,
                f"A parameter must be a (name, value) pair of strings, got {item!r}; "
                "format dates and numbers before passing them.",
                "params",
            )
        pairs.append(pair)
    pairs.sort()
    repeated = sorted({a for (a, _), (b, _) in itertools.pairwise(pairs) if a == b})
    if repeated:
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            f"The parameter(s) {', '.join(repeated)} are given more than once; "
            "give each name once.",
            "params",
        )
    return tuple(pairs)


def _text(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    checked_text(value, attribute.name, empty=True)


def _non_empty(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    checked_text(value, attribute.name)


def _aware(_instance: object, attribute: attrs.Attribute[dt.datetime], value: object) -> None:
    require_aware(value, attribute.name)


def _notification_kind(value: object) -> NotificationKind:
    return member_of(NotificationKind, value, "kind")


def _channel(value: object) -> Channel:
    return member_of(Channel, value, "channel")


def _variant(value: object) -> Variant:
    return member_of(Variant, value, "variant")


@attrs.frozen(weakref_slot=False)
class Notification:
    """One message to one recipient, due at one instant; pure data, delivered by a notifier.

    Build it with keyword arguments; `key` is derived, never given (see
    `notification_key`). Equal notifications have equal keys, so an outbox that
    stores each key once delivers a replayed notification only once.

    Raises:
        InvalidInput: ``time.naive`` for a naive ``due`` or ``occasion``;
            ``argument.invalid`` for an empty order id or recipient, an SMS
            recipient that is not E.164, a missing or malformed parameter, or a
            kind announced per date (`port.date_announced`, `connection.date`)
            without its ``occasion``.
    """

    kind: NotificationKind = attrs.field(converter=_notification_kind)
    """What the notification says."""
    channel: Channel = attrs.field(converter=_channel)
    """How it travels; `default_channel` gives the usual one."""
    recipient: str = attrs.field(validator=_non_empty)
    """An E.164 number for SMS; a postal or e-mail address otherwise."""
    locale: str = attrs.field(validator=_text)
    """A language tag; unknown ones render in English (see `resolve_locale`)."""
    order_id: str = attrs.field(validator=_non_empty)
    """The order the notification belongs to."""
    due: dt.datetime = attrs.field(validator=_aware)
    """When it should go out; timezone-aware."""
    params: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_to_params)
    """Ready-formatted placeholder values as sorted (name, value) pairs, ``order_id`` aside
    (the texts take it from the field); a mapping is accepted."""
    occasion: dt.datetime | None = attrs.field(
        default=None, validator=attrs.validators.optional(_aware)
    )
    """The instant the message is about (the port instant); part of the key."""
    variant: Variant = attrs.field(default=Variant.STANDARD, converter=_variant)
    """`Variant.MOBILE` for mobile ports; adds the restart advice to `port.completed`."""
    key: str = attrs.field(init=False)
    """The idempotency key; see `notification_key`."""

    def __attrs_post_init__(self) -> None:
        """Check what crosses fields and derive the key."""
        if self.channel is Channel.SMS and not _E164.fullmatch(self.recipient):
            raise InvalidInput(
                Code.ARGUMENT_INVALID,
                f"An SMS recipient must be an E.164 number such as +46701234567, "
                f"got {self.recipient!r}.",
                "recipient",
            )
        if self.kind in _KEYED_BY_OCCASION and self.occasion is None:
            raise InvalidInput(
                Code.ARGUMENT_INVALID,
                f"A {self.kind} notification needs its occasion (the announced instant), "
                "so that a moved date is announced again.",
                "occasion",
            )
        given = {name for name, _ in self.params}
        missing = [name for name in _REQUIRED_PARAMS[self.kind] if name not in given]
        if missing:
            raise InvalidInput(
                Code.ARGUMENT_INVALID,
                f"A {self.kind} notification needs the parameter(s) {', '.join(missing)}; "
                f"given: {', '.join(name for name, _ in self.params) or 'none'}.",
                "params",
            )
        # Fields are checked and the parameters sorted by now: no need to do it again.
        key = _key(self.order_id, self.kind, self.recipient, self.occasion, self.params)
        object.__setattr__(self, "key", key)

    @property
    def param_map(self) -> dict[str, str]:
        """Every placeholder value of the texts, ``order_id`` included, as a dictionary."""
        return {**dict(self.params), "order_id": self.order_id}

    @property
    def audience(self) -> Audience:
        """Who the notification is for."""
        return audience_of(self.kind)

    def render(self) -> Rendered:
        """Return the subject and body in the notification's locale (English if unknown).

        Raises:
            InvalidInput: ``argument.invalid`` when a placeholder has no value.
        """
        return render(self.kind, self.locale, self.param_map, variant=self.variant)


def trusted_notification(  # noqa: PLR0913 - one argument per field
    *,
    kind: NotificationKind,
    channel: Channel,
    recipient: str,
    locale: str,
    order_id: str,
    due: dt.datetime,
    params: Mapping[str, str],
    occasion: dt.datetime | None,
    variant: Variant = Variant.STANDARD,
) -> Notification:
    """Return a notification of values the workflow has checked already, not checked again.

    The workflow builds notifications from a validated request and its own UTC
    instants: the parameters of the kind, a non-empty recipient, an E.164 number
    for an SMS. Checking each field again would cost more than building the
    notification, at every step of every order. The caller answers for what the
    constructor would check; the key is derived as the constructor derives it.
    """
    pairs = tuple(sorted(params.items()))
    notification: Notification = object.__new__(Notification)
    settle = object.__setattr__  # how attrs sets the fields of a frozen instance
    settle(notification, "kind", kind)
    settle(notification, "channel", channel)
    settle(notification, "recipient", recipient)
    settle(notification, "locale", locale)
    settle(notification, "order_id", order_id)
    settle(notification, "due", due)
    settle(notification, "params", pairs)
    settle(notification, "occasion", occasion)
    settle(notification, "variant", variant)
    settle(notification, "key", _key(order_id, kind, recipient, occasion, pairs))
    return notification
