"""Notifications as pure data, their templates and idempotency keys: SPEC 9, seeds 000 and 002."""

import datetime as dt
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from portflow import PhoneNumber
from portflow._core.errors import Code, InvalidInput
from portflow._core.notifications import (
    DATE_PARAMS,
    LOCALES,
    PARAMS,
    ROUTES,
    TEMPLATES,
    TIME_PARAMS,
    Audience,
    Channel,
    Notification,
    NotificationKind,
    Variant,
    audience_of,
    default_channel,
    notification_key,
    render,
    resolve_locale,
    trusted_notification,
)
from portflow.testing import strategies as pst

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DUE = dt.datetime(2026, 5, 4, 9, 0, tzinfo=STOCKHOLM)
PORT_AT = dt.datetime(2026, 5, 12, 6, 0, tzinfo=STOCKHOLM)
OLD_NUMBER = "+46701234567"
TEMPORARY_NUMBER = "+46739876543"
_DATED = {NotificationKind.PORT_DATE_ANNOUNCED, NotificationKind.CONNECTION_DATE}
SPEC_KINDS = {
    "order.confirmation",
    "sim.shipped",
    "port.date_announced",
    "port.completed",
    "equipment.connect_reminder",
    "port.deferred",
    "port.ordered_pending_binding",
    "modem.shipped",
    "connection.date",
    "clarification.requested",
    "advice.review_donor_services",
    "temporary_number.deactivated",
}


def sample_params(kind):
    """Return a distinct, brace-free value for every documented parameter of a kind."""
    return {name: f"<{name}-value>" for name in PARAMS[kind]}


def announcement(recipient=OLD_NUMBER, occasion=PORT_AT, **changes):
    """Return a port.date_announced SMS to a recipient for a port instant."""
    fields = {
        "kind": NotificationKind.PORT_DATE_ANNOUNCED,
        "channel": Channel.SMS,
        "recipient": recipient,
        "locale": "sv",
        "order_id": "order-1",
        "due": DUE,
        "params": {
            "number": "070-123 45 67",
            "port_date": "12 maj 2026",
            "port_time": "06:00",
            "temporary_number": "073-987 65 43",
        },
        "occasion": occasion,
    } | changes
    return Notification(**fields)


def test_the_kinds_are_exactly_those_of_the_specification():
    """SPEC 9: twelve kinds, from seeds 000 and 002, each routed and documented."""
    assert {kind.value for kind in NotificationKind} == SPEC_KINDS
    assert set(ROUTES) == set(NotificationKind)
    assert set(PARAMS) == set(NotificationKind)


def test_every_kind_has_a_template_in_every_locale():
    """SPEC 9: templates exist in sv, nb, de and en for every kind (seeds 000, 002)."""
    assert set(LOCALES) == {"sv", "nb", "de", "en"}
    for kind in NotificationKind:
        assert set(TEMPLATES[kind]) == set(LOCALES), kind


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", list(NotificationKind))
def test_every_template_renders_with_its_documented_params(kind, locale):
    """SPEC 9: each kind renders in each locale from exactly its documented params (seed 000)."""
    params = sample_params(kind)
    subject, body = render(kind, locale, params)
    assert subject.strip()
    assert body.strip()
    for value in params.values():
        assert value in subject + body, f"{kind} ({locale}) does not show {value}"
    assert "{" not in subject + body
    assert "}" not in subject + body


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", list(NotificationKind))
def test_every_template_uses_only_documented_params(kind, locale):
    """SPEC 9: no template needs a parameter that PARAMS does not document (seeds 000, 002)."""
    template = TEMPLATES[kind][locale]
    documented = set(PARAMS[kind])
    for text in (template.subject, template.body):
        used = {part.split("}")[0] for part in text.split("{")[1:]}
        assert used <= documented, f"{kind} ({locale}) uses {used - documented}"


def test_a_rendered_notification_contains_the_filled_values():
    """SPEC 9: the SMS of seed 000 names the number, date, time and temporary number."""
    subject, body = announcement().render()
    assert subject == "Datum för nummerflytt"
    for value in ("070-123 45 67", "12 maj 2026", "06:00", "073-987 65 43", "order-1"):
        assert value in body


def _announced(locale: str, port_date: str = "2027-03-31", port_time: str = "06:00") -> str:
    params = {
        "order_id": "order-1",
        "number": "+41791234567",
        "port_date": port_date,
        "port_time": port_time,
        "temporary_number": "+41799876543",
    }
    return render(NotificationKind.PORT_DATE_ANNOUNCED, locale, params).body


@pytest.mark.parametrize(
    ("locale", "written"),
    [
        ("sv", "den 31 mars 2027 kl. 06:00"),
        ("sv-SE", "den 31 mars 2027 kl. 06:00"),
        ("nb", "oss 31. mars 2027 kl. 06:00"),
        ("nn-NO", "oss 31. mars 2027 kl. 06:00"),
        ("de", "am 31.03.2027 um 06:00 Uhr"),
        ("de-CH", "am 31.03.2027 um 06:00 Uhr"),
        ("en", "on Mar 31, 2027 at 6:00 AM"),
        ("en-GB", "on 31 Mar 2027 at 06:00"),
        # No templates in French: English text, English dates, whatever the region.
        ("fr-CH", "on Mar 31, 2027 at 6:00 AM"),
        # A region babel does not know for the language is left out.
        ("de-XX", "am 31.03.2027 um 06:00 Uhr"),
    ],
)
def test_iso_dates_and_times_are_written_the_locales_way(locale, written):
    """SPEC 9: the customer reads the port date as their language writes it, not 2027-03-31."""
    assert written in _announced(locale)


def test_values_that_are_not_iso_are_shown_as_given():
    """SPEC 9: a caller that formatted a date itself gets its own text back."""
    body = _announced("de", port_date="Ende März", port_time="6 Uhr früh")
    assert "am Ende März um 6 Uhr früh Uhr" in body


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(
    "kind", [kind for kind in NotificationKind if set(PARAMS[kind]) & (DATE_PARAMS | TIME_PARAMS)]
)
@given(day=st.dates(dt.date(1900, 1, 1), dt.date(2199, 12, 31)), time=st.times())
def test_no_rendered_text_shows_an_iso_date(kind, locale, day, time):
    """SPEC 9: every dated kind writes every date in its locale's form, the year included."""
    params = (
        sample_params(kind)
        | {name: day.isoformat() for name in DATE_PARAMS & set(PARAMS[kind])}
        | {name: time.strftime("%H:%M") for name in TIME_PARAMS & set(PARAMS[kind])}
    )
    subject, body = render(kind, locale, params)
    assert day.isoformat() not in subject + body
    assert str(day.year) in body
    # No space outside the GSM 7-bit alphabet, which would halve an SMS part.
    assert "\u00a0" not in body
    assert "\u202f" not in body


def test_a_completed_mobile_port_adds_the_restart_advice():
    """SPEC 9: port.completed for mobile says to restart the phone if needed (seed 000)."""
    params = {"order_id": "order-1", "number": "070-123 45 67"}
    standard = render(NotificationKind.PORT_COMPLETED, "sv", params).body
    mobile = render(NotificationKind.PORT_COMPLETED, "sv", params, variant=Variant.MOBILE).body
    assert "starta om telefonen" not in standard
    assert mobile.startswith(standard)
    assert "Kontrollera SIM-kortet och starta om telefonen." in mobile
    for locale, words in {"nb": "start telefonen", "de": "neu starten", "en": "restart"}.items():
        assert words in render(NotificationKind.PORT_COMPLETED, locale, params, variant="mobile")[1]


def test_the_mobile_variant_leaves_other_kinds_unchanged():
    """SPEC 9: only port.completed has a mobile variant (seed 000)."""
    params = sample_params(NotificationKind.SIM_SHIPPED)
    assert render(NotificationKind.SIM_SHIPPED, "sv", params, variant=Variant.MOBILE) == render(
        NotificationKind.SIM_SHIPPED, "sv", params
    )


def test_a_missing_param_is_refused_with_a_code_when_rendering():
    """SPEC 9 and 11: a missing placeholder value raises InvalidInput, not KeyError (seed 000)."""
    with pytest.raises(InvalidInput) as caught:
        render(NotificationKind.PORT_DATE_ANNOUNCED, "sv", {"order_id": "order-1"})
    assert caught.value.code is Code.ARGUMENT_INVALID
    assert caught.value.field == "params"
    assert "port_date" in caught.value.message
    assert not isinstance(caught.value, KeyError)


def test_a_missing_param_is_refused_when_the_notification_is_built():
    """SPEC 9 and 11: an outbox never holds a notification it cannot render (seed 000)."""
    with pytest.raises(InvalidInput) as caught:
        Notification(
            kind=NotificationKind.PORT_COMPLETED,
            channel=Channel.SMS,
            recipient=OLD_NUMBER,
            locale="sv",
            order_id="order-1",
            due=DUE,
            params={},
        )
    assert caught.value.code is Code.ARGUMENT_INVALID
    assert "number" in caught.value.message


def test_the_order_id_of_the_texts_is_the_notifications_own():
    """SPEC 9: {order_id} is filled from the order the notification belongs to, not a param."""
    confirmation = Notification(
        kind=NotificationKind.ORDER_CONFIRMATION,
        channel=Channel.EMAIL,
        recipient="rechnung@schmiedeisen.ch",
        locale="de",
        order_id="PO-000007",
        due=DUE,
    )
    assert confirmation.params == ()
    assert confirmation.param_map == {"order_id": "PO-000007"}
    subject, body = confirmation.render()
    assert "PO-000007" in subject
    assert "PO-000007" in body
    written_by_an_earlier_version = attrs.evolve(confirmation, params={"order_id": "PO-000007"})
    assert written_by_an_earlier_version.render() == (subject, body)


@pytest.mark.parametrize("locale", ["fr", "", "pt-BR", "xx_YY"])
def test_an_unknown_locale_falls_back_to_english(locale):
    """SPEC 9: a locale without templates renders in English (seed 002)."""
    params = sample_params(NotificationKind.TEMPORARY_NUMBER_DEACTIVATED)
    kind = NotificationKind.TEMPORARY_NUMBER_DEACTIVATED
    assert resolve_locale(locale) == "en"
    assert render(kind, locale, params) == render(kind, "en", params)
    assert announcement(locale=locale).render().subject == "Your number transfer date"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("sv-SE", "sv"), ("NB_no", "nb"), ("no", "nb"), ("de-CH", "de"), ("en-GB", "en")],
)
def test_region_tags_resolve_to_their_language(tag, expected):
    """SPEC 9: the profile's locale may carry a region; the language decides (seeds 000, 002)."""
    assert resolve_locale(tag) == expected


def test_the_key_is_stable_for_equal_inputs():
    """SPEC 9: a replayed notification gets the same key, so it is delivered once (seed 000)."""
    assert announcement().key == announcement().key
    assert announcement() == announcement()
    assert announcement().key == notification_key(
        "order-1",
        NotificationKind.PORT_DATE_ANNOUNCED,
        OLD_NUMBER,
        PORT_AT,
        announcement().params,
    )
    assert announcement().key.startswith("port.date_announced:")


def test_the_two_port_date_sms_have_different_keys():
    """SPEC 9: one SMS to the old number and one to the temporary number (seed 000)."""
    assert announcement(OLD_NUMBER).key != announcement(TEMPORARY_NUMBER).key


def test_a_rescheduled_port_is_announced_under_a_new_key():
    """SPEC 9: a moved port instant announces again; a replay does not (seed 000)."""
    moved = announcement(occasion=PORT_AT + dt.timedelta(days=1))
    assert moved.key != announcement().key


def test_the_same_instant_in_another_zone_gives_the_same_key():
    """SPEC 2 and 9: the key depends on the instant, not on how it is written (seed 000)."""
    in_utc = announcement(occasion=PORT_AT.astimezone(dt.UTC))
    assert in_utc.key == announcement().key


def test_another_text_at_the_same_instant_is_another_message():
    """SPEC 9: two questions asked at one instant are both delivered (seed 002)."""
    first = announcement(params={**announcement().param_map, "port_time": "06:00"})
    second = announcement(params={**announcement().param_map, "port_time": "07:00"})
    assert first.key != second.key


def test_the_key_differs_between_orders_and_kinds():
    """SPEC 9: order id and kind are part of the key (seeds 000, 002)."""
    keys = {
        notification_key("order-1", NotificationKind.PORT_COMPLETED, OLD_NUMBER),
        notification_key("order-2", NotificationKind.PORT_COMPLETED, OLD_NUMBER),
        notification_key("order-1", NotificationKind.TEMPORARY_NUMBER_DEACTIVATED, OLD_NUMBER),
    }
    assert len(keys) == 3


def test_a_date_announcement_without_its_occasion_is_refused():
    """SPEC 9: port.date_announced is keyed by the port instant (seed 000)."""
    with pytest.raises(InvalidInput) as caught:
        announcement(occasion=None)
    assert caught.value.code is Code.ARGUMENT_INVALID
    assert caught.value.field == "occasion"


def test_a_naive_due_instant_is_refused():
    """SPEC 2 and 9: the due instant must be timezone-aware (seed 000)."""
    with pytest.raises(InvalidInput) as caught:
        announcement(due=dt.datetime(2026, 5, 4, 9, 0))  # noqa: DTZ001 - naive on purpose
    assert caught.value.code is Code.TIME_NAIVE
    assert caught.value.field == "due"


def test_a_naive_occasion_is_refused():
    """SPEC 2 and 9: the port instant in the key must be timezone-aware (seed 000)."""
    with pytest.raises(InvalidInput) as caught:
        announcement(occasion=dt.datetime(2026, 5, 12, 6, 0))  # noqa: DTZ001 - naive on purpose
    assert caught.value.code is Code.TIME_NAIVE


def test_an_sms_recipient_must_be_an_e164_number():
    """SPEC 9: SMS go to E.164 numbers, the old and the temporary one (seed 000)."""
    with pytest.raises(InvalidInput) as caught:
        announcement(recipient="070-123 45 67")
    assert caught.value.code is Code.ARGUMENT_INVALID
    assert caught.value.field == "recipient"


def test_params_are_kept_as_sorted_pairs_whatever_their_order():
    """SPEC 9: params are hashable data; a mapping and pairs give equal notifications (000)."""
    pairs = tuple(reversed(tuple(announcement().params)))
    assert announcement(params=pairs) == announcement()
    assert hash(announcement()) == hash(announcement(params=pairs))
    assert announcement().params == tuple(sorted(announcement().params))


def test_a_non_string_param_is_refused():
    """SPEC 9 and 11: values arrive formatted by the caller, so the core stays pure (seed 000)."""
    params = dict(announcement().params) | {"port_date": dt.date(2026, 5, 12)}
    with pytest.raises(InvalidInput) as caught:
        announcement(params=params)
    assert caught.value.code is Code.ARGUMENT_INVALID


def test_the_routes_follow_the_to_column_of_the_specification():
    """SPEC 9: reseller kinds go to the reseller; the port date goes by SMS (seeds 000, 002)."""
    reseller = {
        NotificationKind.CLARIFICATION_REQUESTED,
        NotificationKind.ADVICE_REVIEW_DONOR_SERVICES,
    }
    for kind in NotificationKind:
        expected = Audience.RESELLER if kind in reseller else Audience.CUSTOMER
        assert audience_of(kind) is expected
    assert default_channel(NotificationKind.PORT_DATE_ANNOUNCED) is Channel.SMS
    for kind in (
        NotificationKind.PORT_DEFERRED,
        NotificationKind.PORT_ORDERED_PENDING_BINDING,
        NotificationKind.CONNECTION_DATE,
    ):
        assert default_channel(kind) is Channel.LETTER
    assert default_channel(NotificationKind.ORDER_CONFIRMATION) in {Channel.LETTER, Channel.EMAIL}
    assert announcement().audience is Audience.CUSTOMER


@st.composite
def notification_fields(draw):
    """Draw the fields of any notification the workflow could build."""
    kind = draw(st.sampled_from(list(NotificationKind)))
    channel = draw(st.sampled_from([Channel.EMAIL, Channel.LETTER, Channel.SMS]))
    extra = st.dictionaries(st.sampled_from(["question", "announced_at", "note"]), st.text())
    dated = kind in _DATED or draw(st.booleans())
    return {
        "kind": kind,
        "channel": channel,
        "recipient": OLD_NUMBER if channel is Channel.SMS else "kund@example.se",
        "locale": draw(st.sampled_from([*LOCALES, "de-CH"])),
        "order_id": "order-1",
        "due": draw(st.datetimes(timezones=st.just(STOCKHOLM))),
        "params": sample_params(kind) | draw(extra),
        "occasion": PORT_AT if dated else None,
        "variant": draw(st.sampled_from(list(Variant))),
    }


@given(notification_fields())
def test_the_workflows_notifications_equal_the_checked_ones(fields):
    """What the workflow builds without checking is the notification the checks accept.

    Same fields, same sorted parameters, same key: the engine's shortcut changes
    nothing a notifier, an outbox or a test can see.
    """
    built = trusted_notification(**fields)
    checked = Notification(**fields)
    assert built == checked
    assert built.key == checked.key
    assert built.params == tuple(sorted(fields["params"].items()))


@pytest.mark.parametrize("locale", LOCALES)
def test_the_deferral_letter_does_not_fix_the_threshold_a_profile_may_change(locale):
    """SPEC 8: the 6-month threshold is a profile value; the letter must not say six.

    The dates it names (binding end, day the order is placed) say when, for any
    threshold.
    """
    rendered = render(
        NotificationKind.PORT_DEFERRED, locale, sample_params(NotificationKind.PORT_DEFERRED)
    )
    words = set(rendered.body.lower().replace(",", " ").replace(".", " ").split())
    assert words.isdisjoint({"six", "sex", "seks", "sechs", "6"})
    assert "<binding_end-value>" in rendered.body
    assert "<wake_date-value>" in rendered.body


def test_numbers_and_blocks_are_grouped_when_rendered():
    """SPEC 9: a customer reads +41 44 123 45 67, not +41441234567; the data keeps E.164."""
    params = {"order_id": "PO-000001", "number": "+41441234567, +414412346xx"}
    body = render(NotificationKind.PORT_COMPLETED, "de", params).body
    assert "+41 44 123 45 67, +41 44 123 46 xx" in body
    sv = {"order_id": "PO-000002", "number": "+46812345678", "temporary_number": "+4722123xxx"}
    assert "+46 8 123 456 78" in render(NotificationKind.PORT_COMPLETED, "sv", sv).body
    deactivated = render(NotificationKind.TEMPORARY_NUMBER_DEACTIVATED, "nb", sv).body
    assert "+47 22 12 3x xx" in deactivated


@pytest.mark.parametrize("written", ["070-123 45 67", "+41 44 123 45 67", "+999123", "PO-1"])
def test_a_number_not_in_e164_is_shown_as_given(written):
    """What the caller wrote its own way, or no number of any country, is left alone."""
    params = {"order_id": "PO-000001", "number": written}
    assert written in render(NotificationKind.PORT_COMPLETED, "en", params).body


@given(st.data())
def test_grouping_keeps_every_digit_and_wildcard_in_order(data):
    """Grouping only adds separators: the digits, and a block's x, stay as they were."""
    country = data.draw(pst.countries())
    unit = data.draw(pst.phone_numbers(country) | pst.number_blocks(country))
    text = unit.e164 if isinstance(unit, PhoneNumber) else unit.text
    params = {"order_id": "PO-000001", "number": text}
    body = render(NotificationKind.PORT_COMPLETED, "en", params).body
    grouped = body.split("The transfer of ", 1)[1].split(" to us", 1)[0]
    assert grouped != text
    assert "+" + "".join(char for char in grouped if char.isdigit() or char == "x") == text


@pytest.mark.parametrize(
    ("locale", "number"),
    [("sv", "+46701234567"), ("nb", "+4741234567"), ("de", "+41791234567"), ("en", "+41791234567")],
)
def test_the_mobile_completion_sms_is_one_part(locale, number):
    """Seed 000: the moved number hears of the port by SMS, in one part of 160 GSM-7 characters.

    Order ids of up to ten digits are allowed for.
    """
    params = {"order_id": "PO-0000000001", "number": number}
    body = render(NotificationKind.PORT_COMPLETED, locale, params, variant=Variant.MOBILE).body
    assert len(body) <= 160, (len(body), body)
