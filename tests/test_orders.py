"""The port order record and its history: SPEC 6."""

import datetime as dt
from types import MappingProxyType

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from portflow import Code, InvalidInput, TemporaryNumber, TemporaryStatus, parse_number
from portflow._core.errors import IllegalTransition
from portflow._core.lifecycle import OrderState, Trigger
from portflow._core.orders import PortOrder, Rejection, RejectionReason
from portflow._core.requests import validate_request
from tests_support import swiss_request

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def draft():
    """Return a draft order of a valid Swiss PBX request."""
    return PortOrder.draft("PF-1", validate_request(swiss_request(), NOW.date()))


def test_a_draft_carries_its_plan_in_utc():
    """SPEC 6: the port instant is stored as an aware UTC instant."""
    order = draft()
    assert order.state is OrderState.DRAFT
    assert order.port_at == dt.datetime(2027, 3, 31, 4, 0, tzinfo=dt.UTC)
    assert order.port_at.utcoffset() == dt.timedelta(0)
    assert order.history == ()


def test_every_transition_appends_one_event_with_its_facts():
    """SPEC 6: instant, trigger, from, to, actor and details are recorded."""
    order = draft().apply(Trigger.SUBMIT, NOW, "reseller:acme", {"note": "first"})
    (event,) = order.history
    assert (event.at, event.trigger, event.source, event.dest, event.actor) == (
        NOW,
        Trigger.SUBMIT,
        OrderState.DRAFT,
        OrderState.SUBMITTED,
        "reseller:acme",
    )
    assert event.details == (("note", "first"),)


def test_a_refused_trigger_raises_and_leaves_the_order_unchanged():
    """SPEC 6/11: an illegal trigger changes nothing."""
    order = draft()
    with pytest.raises(IllegalTransition) as raised:
        order.apply(Trigger.EXECUTE, NOW, "clock")
    assert raised.value.code == Code.ORDER_ILLEGAL_TRANSITION
    assert order == draft()


@pytest.mark.parametrize(
    ("status", "to", "allowed"),
    [
        (TemporaryStatus.DEACTIVATED, TemporaryStatus.PROMOTED, ("reserved", "active")),
        (TemporaryStatus.ACTIVE, TemporaryStatus.RESERVED, ()),
    ],
)
def test_a_temporary_number_refuses_a_move_naming_the_statuses_that_allow_it(status, to, allowed):
    """SPEC 7: an ended temporary number never moves again; the refusal says from where it may."""
    number = parse_number("044 200 00 01", "CH")
    temporary = TemporaryNumber(number, parse_number("044 123 45 67", "CH"), status)
    with pytest.raises(IllegalTransition) as raised:
        temporary.moved_to(to)
    assert raised.value.code is Code.ORDER_ILLEGAL_TRANSITION
    assert tuple(map(str, raised.value.allowed_from)) == allowed
    assert number.e164 in raised.value.message
    assert all(state in raised.value.message for state in allowed)
    if not allowed:
        assert "in no state" in raised.value.message


def test_a_naive_instant_is_refused():
    """SPEC 2: every instant is timezone-aware."""
    with pytest.raises(InvalidInput) as raised:
        draft().apply(Trigger.SUBMIT, dt.datetime(2026, 11, 23, 9, 0), "reseller")  # noqa: DTZ001
    assert raised.value.code == Code.TIME_NAIVE


def test_a_rejection_carries_a_typed_reason_and_free_text():
    """SPEC 6: donor rejections have a typed reason plus the donor's words."""
    rejection = Rejection("number_mismatch", "0441234568 is not ours")
    assert rejection.reason is RejectionReason.NUMBER_MISMATCH
    with pytest.raises(ValueError, match="nonsense"):
        Rejection("nonsense")


@given(st.lists(st.sampled_from(list(Trigger)), max_size=25))
def test_history_only_grows_and_replays_to_the_current_state(triggers):
    """SPEC 6: history is append-only and consistent with the state."""
    order = draft()
    for step, trigger in enumerate(triggers):
        before = order
        try:
            order = order.apply(trigger, NOW + dt.timedelta(minutes=step), "test")
        except IllegalTransition:
            assert order is before
            continue
        assert order.history[: len(before.history)] == before.history
        assert len(order.history) == len(before.history) + 1
    state = OrderState.DRAFT
    for event in order.history:
        assert event.source is state
        state = event.dest
    assert state is order.state


_FIELD_VALUES = {
    "port_at": st.none() | st.just(NOW),
    "needs_arrangement": st.booleans(),
    "group_id": st.none() | st.just("PF-0"),
    "rejection": st.none() | st.just(Rejection("other", "no")),
    "lookup_failing_since": st.none() | st.just(NOW),
    "revision": st.integers(0, 10),
}


@given(st.fixed_dictionaries({}, optional=_FIELD_VALUES))
def test_a_changed_copy_is_what_attrs_evolve_makes(changes):
    """`PortOrder.changed` is `attrs.evolve` made cheaper: same fields, a new order."""
    order = draft()
    copy = order.changed(**changes)
    assert copy == attrs.evolve(order, **changes)
    assert copy is not order
    assert order == draft()  # the original is untouched


def test_a_changed_copy_refuses_a_field_the_order_does_not_have():
    """A misspelt field is an error, as with `attrs.evolve`, not a silently ignored name."""
    with pytest.raises(TypeError, match="porting_at"):
        draft().changed(porting_at=NOW)


@pytest.mark.parametrize("field", ["state", "history"])
def test_state_and_history_change_only_by_a_transition(field):
    """SPEC 6: history is append-only; a copy cannot set it, nor a state it would not record."""
    order = draft()
    value = OrderState.SUBMITTED if field == "state" else ()
    with pytest.raises(TypeError, match="apply"):
        order.changed(**{field: value})
    with pytest.raises(TypeError, match="apply"):
        order.apply(Trigger.SUBMIT, NOW, "reseller", **{field: value})


@pytest.mark.parametrize(
    "details",
    [
        {"b": "2", "a": "1"},
        MappingProxyType({"b": "2", "a": "1"}),
        (("a", "1"), ("b", "2")),
    ],
    ids=["dict", "mapping", "sorted pairs"],
)
def test_history_details_are_sorted_pairs_whatever_the_caller_gave(details):
    """SPEC 6: an event's details read the same however the workflow handed them over."""
    event = draft().apply(Trigger.SUBMIT, NOW, "reseller", details).history[-1]
    assert event.details == (("a", "1"), ("b", "2"))
