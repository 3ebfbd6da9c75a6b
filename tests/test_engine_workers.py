"""Two workers on one store, their commands interleaved: SPEC 1.3, 6 and 10.

A hypothesis state machine drives two engines sharing a store, an inventory,
a donor gateway and a clock, as several processes share a PostgreSQL store.
Besides plain commands it races two: the second runs just before the first
saves, as another worker's command would; a command refused for that
(`ConcurrentChange`) runs again, as the caller is told to. After every step a
port group executes together exactly when all its live members are scheduled
for one instant, and the donor holds what the store says it holds.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, event, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from portflow import (
    ConcurrentChange,
    DonorContract,
    Engine,
    ManualClock,
    MemoryNumberPool,
    MemoryOrderStore,
    OrderState,
    PortflowError,
    PortOrder,
    RecordingNotifier,
    RejectionReason,
    TimerAction,
    Trigger,
)
from tests_support import swiss_request

START = dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC)
AT_DONOR = frozenset({OrderState.REQUESTED, OrderState.SCHEDULED})

Command = Callable[[Engine, PortOrder, int], object]
COMMANDS: dict[str, Command] = {
    "approve": lambda engine, order, _days: engine.approve(order.id),
    "confirm": lambda engine, order, days: engine.donor_confirms(order.id, _moved(order, days)),
    "reschedule": lambda engine, order, days: engine.reschedule(
        order.id, _moved(order, days) or order.port_at
    ),
    "reject": lambda engine, order, _days: engine.donor_rejects(
        order.id, RejectionReason.NOT_PORTABLE
    ),
    "cancel": lambda engine, order, _days: engine.cancel(order.id),
}
"""What a worker does to a member; ``days`` moves the donor's instant off the order's."""
Step = tuple[str, str, int]
"""A command's name, the member it is run on and its ``days``."""


def _moved(order: PortOrder, days: int) -> dt.datetime | None:
    """The order's port instant ``days`` later, or ``None`` (as planned) for none."""
    if not days or order.port_at is None:
        return None
    return order.port_at + dt.timedelta(days=days)


commands = st.sampled_from(sorted(COMMANDS))
picks = st.integers(0, 10_000)
shifts = st.sampled_from([0, 0, 0, 1, 2])


class OrderedDonor:
    """A donor gateway that records sends and withdrawals in the one order they came."""

    def __init__(self) -> None:
        """Start with no call."""
        self.calls: list[tuple[str, str]] = []

    def send(self, order: PortOrder) -> None:
        """Record that the donor was sent the order."""
        self.calls.append(("send", order.id))

    def withdraw(self, order: PortOrder) -> None:
        """Record that the order was withdrawn at the donor."""
        self.calls.append(("withdraw", order.id))


class TwoWorkers(RuleBasedStateMachine):
    """Two engines on one store, one inventory, one donor and one clock."""

    def __init__(self) -> None:
        """Wire two workers to the shared adapters."""
        super().__init__()
        self.store = MemoryOrderStore()
        self.clock = ManualClock(START)
        self.donor = OrderedDonor()
        inventory = MemoryNumberPool.for_country("CH")
        notifier = RecordingNotifier()
        self.workers = [
            Engine(
                clock=self.clock,
                store=self.store,
                inventory=inventory,
                donor=self.donor,
                notifier=notifier,
            )
            for _ in range(2)
        ]
        self.groups: list[str] = []

    def _member(self, pick: int) -> str | None:
        """The member ``pick`` names, of any group."""
        if not self.groups:
            return None
        members = self.store.group(self.groups[pick % len(self.groups)])
        return members[pick // len(self.groups) % len(members)].id

    def _run(self, worker: int, name: str, order_id: str, days: int) -> Any:
        """Run a command as its caller would: a refusal of the state or the input is an answer."""
        note(f"worker {worker}: {name} {order_id} (+{days} days)")
        try:
            return COMMANDS[name](self.workers[worker], self.store.get(order_id), days)
        except ConcurrentChange:
            raise
        except PortflowError as refused:
            note(f"  refused: {refused.code}")
            event(f"{name} refused: {refused.code}")
            return None

    @initialize(singles=st.integers(11, 25), binding_days=st.integers(20, 120))
    def submit_first_group(self, singles: int, binding_days: int) -> None:
        """Every run starts with a group."""
        self.submit_group(singles=singles, binding_days=binding_days)

    @rule(singles=st.integers(11, 25), binding_days=st.integers(20, 120))
    def submit_group(self, singles: int, binding_days: int) -> None:
        """The reseller submits a port of more single numbers than one order takes."""
        numbers = tuple(f"044 {200 + len(self.groups):03d} 45 {n:02d}" for n in range(singles))
        ends = self.clock.now().date() + dt.timedelta(days=binding_days)
        request = swiss_request(numbers=numbers, contract=DonorContract(binding_end=ends))
        members = self.workers[0].submit_group(request)
        self.groups.append(members[0].id)

    @rule(worker=st.integers(0, 1), name=commands, pick=picks, days=shifts)
    def command(self, worker: int, name: str, pick: int, days: int) -> None:
        """One worker runs one command on a member, alone."""
        order_id = self._member(pick)
        if order_id is not None:
            self._run(worker, name, order_id, days)

    @rule(
        first=commands,
        second=st.none() | commands,
        pick=picks,
        other=st.integers(1, 3),
        days=shifts,
        other_days=shifts,
    )
    def race(
        self,
        *,
        first: str,
        second: str | None,
        pick: int,
        other: int,
        days: int,
        other_days: int,
    ) -> None:
        """Worker 1's command runs just before worker 0's first save, as it may in production.

        The two commands are on two members of one group (``other`` members on),
        and the same command unless ``second`` names another.
        """
        order_id = self._member(pick)
        if order_id is None:
            return
        members = [m.id for m in self.store.group(self.store.get(order_id).group_id or "")]
        other_id = members[(members.index(order_id) + other) % len(members)]
        self._race((first, order_id, days), (second or first, other_id, other_days))

    def _race(self, mine: Step, theirs: Step) -> None:
        """Run ``mine`` on worker 0 with ``theirs`` on worker 1 just before its first save."""
        save = self.store.save
        raced = []

        def other_worker_first(orders: list[PortOrder]) -> None:
            self.store.save = save  # type: ignore[method-assign]
            raced.append(self._run(1, *theirs))
            save(orders)

        self.store.save = other_worker_first  # type: ignore[method-assign]
        try:
            self._run(0, *mine)
        except ConcurrentChange:
            event("a raced command was refused and ran again")
            note("  refused as a concurrent change: run again")
            self._run(0, *mine)
        finally:
            self.store.save = save  # type: ignore[method-assign]
        if not raced:  # the first command saved nothing: the other comes after
            self._run(1, *theirs)

    @rule(pick=picks, name=st.sampled_from(["approve", "confirm"]))
    def whole_group(self, pick: int, name: str) -> None:
        """Worker 0 approves every member of a group, or the donor confirms each as planned."""
        order_id = self._member(pick)
        if order_id is None:
            return
        for member in self.store.group(self.store.get(order_id).group_id or ""):
            self._run(0, name, member.id, 0)

    @rule(pick=picks, name=commands, second=st.none() | commands)
    def finish_a_group_in_a_race(self, pick: int, name: str, second: str | None) -> None:
        """Worker 0 runs a command on every member but the last, racing worker 1 on the last.

        The last two members are the ones whose step may make the group ready,
        or keep it from being so: where two workers deciding at once go wrong.
        """
        order_id = self._member(pick)
        if order_id is None:
            return
        members = [m.id for m in self.store.group(self.store.get(order_id).group_id or "")]
        for member_id in members[:-2]:
            self._run(0, name, member_id, 0)
        self._race((name, members[-2], 0), (second or name, members[-1], 0))

    @rule(worker=st.integers(0, 1), days=st.integers(1, 40))
    def advance(self, worker: int, days: int) -> None:
        """One worker fires what is due over the next days."""
        note(f"worker {worker}: advance {days} days")
        fired = self.workers[worker].advance(self.clock.now() + dt.timedelta(days=days))
        if any(timer.action is TimerAction.EXECUTE for timer in fired):
            event("a group executed")

    @invariant()
    def a_group_executes_exactly_when_all_its_live_members_are_scheduled_together(self) -> None:
        """SPEC 1.3, 6: execute timers on every live member at the common instant, or on none."""
        now = self.clock.now()
        for group_id in self.groups:
            members = self.store.group(group_id)
            live = [m for m in members if m.state.is_live]
            instants = {m.port_at for m in live}
            ready = (
                len(instants) == 1
                and all(m.state is OrderState.SCHEDULED for m in live)
                and (common := next(iter(instants))) is not None
                and common >= now
            )
            for member in members:
                executions = [t.due for t in member.timers if t.action is TimerAction.EXECUTE]
                if ready and member.state.is_live:
                    assert executions == [common], (group_id, member.id)
                for due in executions:
                    assert member.state.is_live, member.id
                    assert instants == {due}, (group_id, member.id)
                    assert all(m.state is OrderState.SCHEDULED for m in live), member.id

    @invariant()
    def a_group_completes_at_one_instant(self) -> None:
        """SPEC 1.3: the members that ported, ported together."""
        for group_id in self.groups:
            completed = {
                event.at
                for member in self.store.group(group_id)
                for event in member.history
                if event.trigger is Trigger.EXECUTE
            }
            assert len(completed) <= 1, group_id

    @invariant()
    def the_donor_holds_what_the_store_says_it_holds(self) -> None:
        """SPEC 6: sent when it reaches the donor, withdrawn when cancelled there, never crossed."""
        last = {order_id: call for call, order_id in self.donor.calls}
        for order in self.store.orders():
            if order.state in AT_DONOR:
                assert last.get(order.id) == "send", order.id
            cancel = order.history[-1] if order.history else None
            if (
                cancel is not None
                and cancel.trigger is Trigger.CANCEL
                and cancel.source in AT_DONOR
            ):
                assert last.get(order.id) == "withdraw", order.id


TwoWorkers.TestCase.settings = settings(
    max_examples=150,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestTwoWorkers = TwoWorkers.TestCase
