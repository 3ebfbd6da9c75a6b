"""The port order lifecycle table: SPEC 6."""

import pytest
from transitions import Machine, MachineError

from portflow import Code
from portflow._core.errors import IllegalTransition
from portflow._core.lifecycle import (
    TRANSITIONS,
    OrderState,
    Trigger,
    _compiled,
    port_order_lifecycle,
)

S, T = OrderState, Trigger
EXPECTED = {
    (S.DRAFT, T.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, T.ASK): S.CLARIFICATION,
    (S.CLARIFICATION, T.ANSWER): S.SUBMITTED,
    (S.SUBMITTED, T.APPROVE): S.REQUESTED,
    (S.SUBMITTED, T.DEFER): S.DEFERRED,
    (S.DEFERRED, T.WAKE): S.REQUESTED,
    (S.REQUESTED, T.CONFIRM): S.SCHEDULED,
    (S.SCHEDULED, T.RESCHEDULE): S.SCHEDULED,
    (S.SCHEDULED, T.EXECUTE): S.COMPLETED,
    (S.REQUESTED, T.REJECT): S.REJECTED,
    (S.SCHEDULED, T.REJECT): S.REJECTED,
    (S.REJECTED, T.REVISE): S.DRAFT,
    **{
        (state, T.CANCEL): S.CANCELLED
        for state in (S.DRAFT, S.SUBMITTED, S.CLARIFICATION, S.DEFERRED, S.REQUESTED, S.SCHEDULED)
    },
}


@pytest.mark.parametrize("state", list(OrderState))
@pytest.mark.parametrize("trigger", list(Trigger))
def test_every_state_and_trigger_pair_follows_the_specification(state, trigger):
    """SPEC 6: allowed triggers lead where the table says; all others are illegal."""
    lifecycle = port_order_lifecycle()
    expected = EXPECTED.get((state, trigger))
    if expected is None:
        with pytest.raises(IllegalTransition) as raised:
            lifecycle.fire(state, trigger)
        assert raised.value.code == Code.ORDER_ILLEGAL_TRANSITION
        assert str(state) in str(raised.value)
        assert str(trigger) in str(raised.value)
        assert trigger not in lifecycle.allowed(state)
    else:
        assert lifecycle.fire(state, trigger) is expected
        assert trigger in lifecycle.allowed(state)


def test_ended_states_are_not_live_and_allow_only_revision_after_rejection():
    """SPEC 6: completed, rejected and cancelled orders no longer hold their numbers."""
    lifecycle = port_order_lifecycle()
    assert {s for s in OrderState if s.is_ended} == {S.COMPLETED, S.REJECTED, S.CANCELLED}
    assert {s for s in OrderState if not s.is_live} == {
        S.DRAFT,
        S.COMPLETED,
        S.REJECTED,
        S.CANCELLED,
    }
    assert lifecycle.allowed(S.COMPLETED) == frozenset()
    assert lifecycle.allowed(S.CANCELLED) == frozenset()
    assert lifecycle.allowed(S.REJECTED) == {T.REVISE}


def test_the_machine_is_built_once_and_shared():
    """STYLE 5: one machine per workflow, never one per order."""
    assert port_order_lifecycle() is port_order_lifecycle()


def test_the_mermaid_diagram_is_drawn_from_the_table():
    """Docs: state diagrams come from the machine, never drawn by hand."""
    diagram = port_order_lifecycle().mermaid()
    assert diagram.count("-->") == sum(len(row.sources) for row in TRANSITIONS) + 1
    assert "scheduled --> completed: execute" in diagram


@pytest.mark.parametrize("state", list(OrderState))
@pytest.mark.parametrize("trigger", list(Trigger))
def test_firing_agrees_with_the_machines_own_dispatch(state, trigger):
    """The compiled look-up gives what triggering the shared machine itself gives."""
    machine = port_order_lifecycle().machine

    class Cursor:
        def __init__(self):
            self.state = state.value

    cursor = Cursor()
    try:
        machine.events[trigger.value].trigger(cursor)
    except MachineError:
        with pytest.raises(IllegalTransition):
            port_order_lifecycle().fire(state, trigger)
    else:
        assert port_order_lifecycle().fire(state, trigger) is OrderState(cursor.state)


def test_a_table_row_with_a_condition_is_refused():
    """Conditions would need the machine's dispatch, which firing does not go through."""
    machine = Machine(
        model=None,
        states=["a", "b"],
        transitions=[{"trigger": "go", "source": "a", "dest": "b", "conditions": "ready"}],
        initial="a",
        auto_transitions=False,
    )
    with pytest.raises(ValueError, match="conditions"):
        _compiled(machine)
