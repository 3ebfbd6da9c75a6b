"""A simulated donor operator: it answers port requests by itself, reproducibly (SPEC 10).

Tests and scripted simulations need a donor that answers the way real ones do:
some business days after a request reaches it, during its working hours,
mostly confirming, sometimes refusing with a typed reason, now and then moving
a confirmed port. `SimulatedDonor` is a `DonorGateway` that decides each answer
when the engine sends it an order and keeps it pending until
`SimulatedDonor.answer` gives it to the engine at its instant.

Every decision comes from a pseudo-random stream seeded by the donor's seed,
the order id and how often that order was sent before, so a run with the same
seed and the same orders gives the same answers, whatever other orders do.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import heapq
import itertools
import math
import random
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from portflow._core.calendar import BusinessCalendar, utc
from portflow._core.errors import (
    Code,
    CommandRefused,
    IllegalTransition,
    InvalidInput,
    OrderNotFound,
)
from portflow._core.lifecycle import OrderState
from portflow._core.orders import PortOrder, RejectionReason

if TYPE_CHECKING:
    from portflow._engine import Engine


class AnswerKind(enum.StrEnum):
    """What a donor answer does to the order."""

    CONFIRM = "confirm"
    """The donor confirms the port at `DonorAnswer.port_at` (`Engine.donor_confirms`)."""
    REJECT = "reject"
    """The donor refuses with `DonorAnswer.reason` (`Engine.donor_rejects`)."""
    RESCHEDULE = "reschedule"
    """The donor moves a confirmed port to `DonorAnswer.port_at` (`Engine.reschedule`)."""


@attrs.frozen(weakref_slot=False)
class DonorAnswer:
    """One answer of the simulated donor: when it comes, for which order, and what it says."""

    at: dt.datetime
    """When the donor answers, in UTC."""
    order_id: str
    kind: AnswerKind
    port_at: dt.datetime | None = None
    """The port instant confirmed or rescheduled to, in UTC; ``None`` for a rejection."""
    reason: RejectionReason | None = None
    """Why the donor refuses; ``None`` unless the answer is a rejection."""
    text: str = ""
    """The donor's own words with a rejection."""


_ANSWERED_IN = {
    AnswerKind.CONFIRM: OrderState.REQUESTED,
    AnswerKind.REJECT: OrderState.REQUESTED,
    AnswerKind.RESCHEDULE: OrderState.SCHEDULED,
}
"""The state an order must still be in for an answer to apply: the one it was decided for."""

_REJECTION_TEXTS = {
    RejectionReason.SUBSCRIBER_NAME_MISMATCH: "The subscriber name differs from our records.",
    RejectionReason.ADDRESS_MISMATCH: "The subscriber address differs from our records.",
    RejectionReason.AUTHORIZED_PERSON_MISMATCH: "The signer is not authorized on this contract.",
    RejectionReason.NUMBER_MISMATCH: "A number does not belong to this contract.",
    RejectionReason.NOT_PORTABLE: "A number cannot be ported.",
    RejectionReason.MUST_SPLIT: "The numbers must be ported in separate orders.",
    RejectionReason.DONOR_UNRESPONSIVE: "The request could not be processed in time.",
    RejectionReason.OTHER: "The request was refused.",
}

_DEFAULT_HOURS = (dt.time(8, 0), dt.time(17, 0))


class SimulatedDonor:
    """A donor operator that answers port requests by itself, from a seeded random source.

    Each order the engine sends is answered ``answer_after_business_days``
    business days after it was received, at a random minute within the
    working hours: a rejection with a random reason of ``reject_reasons``
    (with probability ``reject_rate``), else a confirmation of the planned port
    instant (or, when that will have passed, of the country's ASAP date counted
    from the answer day). A confirmed order that is not in a port group is,
    with probability ``reschedule_rate``, later moved by
    ``reschedule_by_business_days``, if that answer can come before the port.
    A port group's member is confirmed at the instant the members confirmed
    before it are scheduled for, or, when its own is later, all are moved to
    its own: a group executes together. A reschedule is dropped with the
    confirmation it was decided with, when that could not be given.

    Build the engine with the donor, let the engine send it orders, and call
    `answer` to have the answers given as time goes by:

    ```python
    start = dt.datetime(2027, 1, 4, 8, 0, tzinfo=dt.UTC)
    donor = SimulatedDonor(seed=7, reject_rate=0.1)
    engine = Engine(
        clock=ManualClock(start),
        store=MemoryOrderStore(),
        inventory=MemoryNumberPool.for_country("CH"),
        donor=donor,
        notifier=RecordingNotifier(),
    )
    # submit and approve orders: each approval sends one to the donor
    donor.answer(engine, until=start + dt.timedelta(days=90))
    ```
    """

    def __init__(  # noqa: PLR0913 - one argument per behaviour a simulation tunes
        self,
        *,
        seed: int,
        calendar: BusinessCalendar | str | None = None,
        answer_after_business_days: int = 2,
        working_hours: tuple[dt.time, dt.time] = _DEFAULT_HOURS,
        reject_rate: float = 0.1,
        reschedule_rate: float = 0.1,
        reject_reasons: Iterable[RejectionReason | str] = tuple(RejectionReason),
        reschedule_by_business_days: int = 5,
    ) -> None:
        """Set how the donor answers.

        Args:
            seed: Seeds every random decision; the same seed gives the same answers.
            calendar: The business days and zone of the donor's working hours: a
                calendar, a country code, or ``None`` for each order's own country.
            answer_after_business_days: Business days between the day a request
                counts as received and the answer; 0 answers the same day.
            working_hours: Local opening and closing time (closing excluded). A
                request received after closing, or on a day that is not a
                business day, counts from the next business day.
            reject_rate: Share of requests refused, from 0 to 1.
            reschedule_rate: Share of confirmed ports later moved, from 0 to 1.
            reject_reasons: The reasons a refusal draws from, equally likely, in
                any order (a set gives the same run in every process).
            reschedule_by_business_days: How far a reschedule moves the port:
                business days, later when positive, earlier when negative.

        Raises:
            InvalidInput: ``argument.invalid`` for an argument outside its
                domain; ``country.unknown`` for an unknown country code.
        """
        self._seed = _whole(seed, "seed")
        self._calendar = _calendar(calendar)
        self._delay = _whole(answer_after_business_days, "answer_after_business_days", minimum=0)
        self._opens, self._closes = _hours(working_hours)
        self._reject_rate = _rate(reject_rate, "reject_rate")
        self._reschedule_rate = _rate(reschedule_rate, "reschedule_rate")
        self._reasons = _reasons(reject_reasons)
        self._shift = _whole(reschedule_by_business_days, "reschedule_by_business_days")
        if self._shift == 0:
            raise InvalidInput(
                Code.ARGUMENT_INVALID,
                "reschedule_by_business_days must move the port: give a non-zero whole "
                "number of business days, such as 5.",
                "reschedule_by_business_days",
            )
        self._sends: dict[str, int] = {}
        self._pending: dict[int, DonorAnswer] = {}
        self._by_order: dict[str, list[int]] = {}
        # Due instants with the sequence number of the answer; entries of answers
        # since withdrawn or replaced stay in the heap and are skipped when met.
        self._heap: list[tuple[dt.datetime, int]] = []
        self._sequence = itertools.count()
        self._dropped: list[DonorAnswer] = []

    # --- the DonorGateway port ------------------------------------------------------------

    def send(self, order: PortOrder) -> None:
        """Receive a port request and decide its answers, replacing any still pending for it.

        The request counts as received at the order's last move to
        ``requested`` (its approval, or the end of its deferral).

        Raises:
            InvalidInput: ``argument.invalid`` for an order that is not requested.
        """
        received = _received(order)
        sends = self._sends.get(order.id, 0)
        self._sends[order.id] = sends + 1
        # A stream of its own per order and sending: the answers to one order do
        # not shift when other orders are sent in another order or not at all.
        rng = random.Random(f"{self._seed}/{order.id}/{sends}")  # noqa: S311 - reproducible simulation, no secret
        self._forget(order.id)
        for answer in self._decide(order, received, rng):
            sequence = next(self._sequence)
            self._pending[sequence] = answer
            self._by_order.setdefault(order.id, []).append(sequence)
            heapq.heappush(self._heap, (answer.at, sequence))

    def withdraw(self, order: PortOrder) -> None:
        """Drop the pending answers of a cancelled order."""
        self._forget(order.id)

    # --- inspection -----------------------------------------------------------------------

    def pending(self) -> tuple[DonorAnswer, ...]:
        """Return every answer not yet given, earliest first (in sending order on ties)."""
        return tuple(self._pending[s] for _, s in sorted(self._live_entries()))

    def due(self, until: dt.datetime) -> tuple[DonorAnswer, ...]:
        """Return the pending answers due at or before ``until``, earliest first.

        Raises:
            InvalidInput: ``time.naive`` for a naive ``until``.
        """
        until = utc(until, "until")
        return tuple(answer for answer in self.pending() if answer.at <= until)

    @property
    def dropped(self) -> tuple[DonorAnswer, ...]:
        """The answers `answer` found impossible when due and did not give, in that order."""
        return tuple(self._dropped)

    # --- driving an engine ------------------------------------------------------------------

    def answer(self, engine: Engine, until: dt.datetime) -> tuple[DonorAnswer, ...]:
        """Give the engine every answer due up to ``until``, each at its instant.

        Time moves as in `Engine.advance`: the engine's timers fire in order and
        the clock stands at each answer's instant when it is given; at the end
        the engine is advanced to ``until``. Orders that a timer places with the
        donor on the way (a deferral ending) are answered in the same run if
        their answers fall before ``until``.

        An answer that became impossible is not given: its order is unknown,
        no longer in the state the answer was meant for (cancelled, rejected,
        answered by someone else, completed), or the engine refuses the port
        instant as past. It goes to `dropped` instead. Answers due before the
        engine's clock are given late, at the clock's instant.

        Args:
            engine: An engine built with this donor and a settable clock.
            until: Where time stops.

        Returns:
            The answers given, in the order they were given.

        Raises:
            InvalidInput: ``time.naive`` for a naive ``until``; ``argument.invalid``
                when the engine's clock cannot be set forward.
        """
        until = utc(until, "until")
        given: list[DonorAnswer] = []
        while True:
            upcoming = self._earliest(until)
            target = until if upcoming is None else upcoming.at
            # A timer before the target may end a deferral and send an order whose
            # answer comes before the target: step from timer to timer.
            timer = engine.store.next_due(target)
            if timer is not None and timer[0] < target and engine.advance(timer[0]):
                continue
            if upcoming is None:
                break
            engine.advance(upcoming.at)
            if self._earliest(until) is not upcoming:
                continue  # the advance withdrew it, or sent an order answered first
            self._remove(upcoming)
            if self._give(engine, upcoming):
                given.append(upcoming)
                continue
            self._dropped.append(upcoming)
            if upcoming.kind is AnswerKind.CONFIRM:
                # A reschedule decided with that confirmation moves a port it never set.
                self._dropped.extend(
                    self._pending[s] for s in self._by_order.get(upcoming.order_id, [])
                )
                self._forget(upcoming.order_id)
        engine.advance(until)
        return tuple(given)

    # --- deciding ---------------------------------------------------------------------

    def _decide(
        self, order: PortOrder, received: dt.datetime, rng: random.Random
    ) -> list[DonorAnswer]:
        # Every draw is made whatever the outcome, so changing one rate never
        # changes the instants or reasons drawn for the same order.
        verdict = rng.random()
        reason = self._reasons[_index(rng.random(), len(self._reasons))]
        answer_minute = rng.random()
        moves = rng.random()
        move_after = 1 + _index(rng.random(), max(1, self._delay))
        move_minute = rng.random()

        calendar = self._calendar or BusinessCalendar.for_profile(order.valid.profile)
        day = calendar.due_date(received, self._delay, cutoff=self._closes)
        # With no delay the answer falls on the receipt day, never before the receipt.
        at = max(received, self._within_hours(calendar, day, answer_minute))
        if verdict < self._reject_rate:
            text = _REJECTION_TEXTS.get(reason, "The request was refused.")
            return [DonorAnswer(at, order.id, AnswerKind.REJECT, reason=reason, text=text)]

        port_at = self._confirmed_instant(order, at)
        answers = [DonorAnswer(at, order.id, AnswerKind.CONFIRM, port_at=port_at)]
        # A port group executes only when all members are scheduled for the same
        # instant: moving one member alone would stop the whole group.
        if order.group_id is None and moves < self._reschedule_rate:
            move_day = calendar.add_business_days(calendar.local_date(at), move_after)
            move_at = self._within_hours(calendar, move_day, move_minute)
            moved_to = _shifted(order, port_at, self._shift)
            if move_at < port_at and move_at < moved_to:
                answers.append(
                    DonorAnswer(move_at, order.id, AnswerKind.RESCHEDULE, port_at=moved_to)
                )
        return answers

    def _within_hours(
        self, calendar: BusinessCalendar, day: dt.date, fraction: float
    ) -> dt.datetime:
        # Counted in real minutes between the two local instants, so a day on
        # which clocks change inside the working hours is one hour shorter or longer.
        opens = calendar.utc_at(day, self._opens)
        closes = calendar.utc_at(day, self._closes)
        minutes = max(1, math.floor((closes - opens).total_seconds() / 60))
        return opens + dt.timedelta(minutes=_index(fraction, minutes))

    def _confirmed_instant(self, order: PortOrder, at: dt.datetime) -> dt.datetime:
        """Return the planned port instant, or the earliest feasible one if it will have passed.

        A donor never confirms a port that lies before its answer: it offers the
        country's ASAP date counted from the answer day at the planned local time.
        """
        if order.port_at is not None and order.port_at > at:
            return order.port_at
        profile = order.valid.profile
        calendar = BusinessCalendar.for_profile(profile)
        time_of_day = (
            profile.default_port_time
            if order.port_at is None
            else calendar.local(order.port_at).time()
        )
        day = calendar.add_business_days(calendar.local_date(at), profile.asap_lead_business_days)
        return calendar.utc_at(day, time_of_day)

    # --- the pending answers -------------------------------------------------------------

    def _live_entries(self) -> list[tuple[dt.datetime, int]]:
        return [(answer.at, sequence) for sequence, answer in self._pending.items()]

    def _earliest(self, until: dt.datetime) -> DonorAnswer | None:
        heap = self._heap
        while heap:
            at, sequence = heap[0]
            if sequence not in self._pending:
                heapq.heappop(heap)
                continue
            return self._pending[sequence] if at <= until else None
        return None

    def _remove(self, answer: DonorAnswer) -> None:
        sequences = self._by_order.get(answer.order_id, [])
        for sequence in sequences:
            if self._pending.get(sequence) is answer:
                del self._pending[sequence]
                sequences.remove(sequence)
                break
        if not sequences:
            self._by_order.pop(answer.order_id, None)

    def _forget(self, order_id: str) -> None:
        for sequence in self._by_order.pop(order_id, []):
            self._pending.pop(sequence, None)

    @staticmethod
    def _give(engine: Engine, answer: DonorAnswer) -> bool:
        try:
            order = engine.get(answer.order_id)
        except OrderNotFound:  # sent by a command whose save then failed
            return False
        if order.state is not _ANSWERED_IN[answer.kind]:
            return False
        try:
            if answer.kind is AnswerKind.CONFIRM and order.group_id is not None:
                _confirm_member(engine, order, answer.port_at)
            elif answer.kind is AnswerKind.CONFIRM:
                engine.donor_confirms(answer.order_id, answer.port_at)
            elif answer.kind is AnswerKind.REJECT:
                reason = answer.reason or RejectionReason.OTHER
                engine.donor_rejects(answer.order_id, reason, answer.text)
            elif answer.port_at is not None:
                engine.reschedule(answer.order_id, answer.port_at)
            else:
                return False
        except (IllegalTransition, CommandRefused):
            return False
        return True


# --- helpers ------------------------------------------------------------------------------


def _confirm_member(engine: Engine, order: PortOrder, port_at: dt.datetime | None) -> None:
    """Confirm a port group's member at the group's instant, moving the others to it.

    A group executes together (SPEC 1.3). Members the donor confirmed earlier
    for an instant still to come keep the group on it, unless this member's
    instant is later (the agreed one passed while it was in review): then the
    donor moves them all to this member's instant, so that the group does not
    wait for a common instant forever.
    """
    now = engine.clock.now()
    members = [m for m in engine.group(order.group_id or "") if m.id != order.id]
    scheduled = [m for m in members if m.state is OrderState.SCHEDULED and m.port_at]
    ahead = [m.port_at for m in scheduled if m.port_at is not None and m.port_at > now]
    common = max([port_at, *ahead]) if port_at is not None else max(ahead, default=None)
    engine.donor_confirms(order.id, common)
    for member in scheduled:
        if member.port_at != common and common is not None:
            # The confirmation is given; a member that cannot be moved is left as it is.
            with contextlib.suppress(IllegalTransition, CommandRefused):
                engine.reschedule(member.id, common)


def _received(order: PortOrder) -> dt.datetime:
    if order.state is OrderState.REQUESTED:
        for event in reversed(order.history):
            if event.dest is OrderState.REQUESTED:
                return utc(event.at, "at")
    raise InvalidInput(
        Code.ARGUMENT_INVALID,
        f"Order {order.id} is {order.state.value}; the donor is sent only orders the "
        "engine moved to requested (on approval or when a deferral ends).",
        "order",
    )


def _index(fraction: float, count: int) -> int:
    """Return the index among ``count`` that a fraction from [0, 1) falls on."""
    # A fraction just below 1 times the count can round up to the count itself.
    return min(count - 1, math.floor(fraction * count))


def _shifted(order: PortOrder, port_at: dt.datetime, business_days: int) -> dt.datetime:
    """Return the port moved by business days of its country, at the same local time."""
    calendar = BusinessCalendar.for_profile(order.valid.profile)
    local = calendar.local(port_at)
    day = calendar.add_business_days(local.date(), business_days)
    return calendar.utc_at(day, local.time())


def _whole(value: object, field: str, minimum: int | None = None) -> int:
    # bool is an int subclass, but True days or a True seed is a mistake.
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            f"{field} must be a whole number, got {value!r}.",
            field,
        )
    if minimum is not None and value < minimum:
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            f"{field} must be at least {minimum}, got {value}.",
            field,
        )
    return value


def _rate(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            f"{field} must be a share from 0 to 1, such as 0.1; got {value!r}.",
            field,
        )
    return float(value)


def _hours(value: object) -> tuple[dt.time, dt.time]:
    if isinstance(value, tuple) and len(value) == 2:
        opens, closes = value
        # A zone of their own would contradict the calendar's, in which they are read.
        if (
            isinstance(opens, dt.time)
            and isinstance(closes, dt.time)
            and opens.tzinfo is None
            and closes.tzinfo is None
            and opens < closes
        ):
            return opens, closes
    raise InvalidInput(
        Code.ARGUMENT_INVALID,
        "working_hours must be a pair of local times without a zone, opening before "
        f"closing, such as (time(8, 0), time(17, 0)); got {value!r}.",
        "working_hours",
    )


def _reasons(values: object) -> tuple[RejectionReason, ...]:
    reasons: tuple[RejectionReason, ...] = ()
    # A lone reason is a string too: iterated, it would give letters.
    if isinstance(values, Iterable) and not isinstance(values, str):
        try:
            chosen = {RejectionReason(v) for v in values}
        except ValueError:
            chosen = set()
        # In the enumeration's order, not the caller's: a set of reasons iterates
        # differently in each process, and the run must not.
        reasons = tuple(reason for reason in RejectionReason if reason in chosen)
    if not reasons:
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            "reject_reasons must name at least one rejection reason, each one of "
            f"{', '.join(r.value for r in RejectionReason)}; got {values!r}.",
            "reject_reasons",
        )
    return reasons


def _calendar(value: object) -> BusinessCalendar | None:
    if value is None or isinstance(value, BusinessCalendar):
        return value
    if isinstance(value, str):
        return BusinessCalendar.for_country(value)
    raise InvalidInput(
        Code.ARGUMENT_INVALID,
        "calendar must be a BusinessCalendar, a country code such as 'CH', or None for "
        f"each order's own country; got {value!r}.",
        "calendar",
    )
