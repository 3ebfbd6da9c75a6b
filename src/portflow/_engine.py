"""The engine: the one place where the pure workflow meets the adapters (SPEC 10, 12).

Every command follows the same steps: load the orders it touches, let the pure
workflow compute their next versions, tell the adapters what changed (the
number inventory, the donor), save all changed orders at once, and only then
tell the event subscribers. Anything that fails before the save leaves the
store as it was.

Timers are data on the orders; `Engine.advance` fires whatever is due, in
instant order, each exactly once, however far it jumps.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import pickle
from collections.abc import Iterable, Iterator, Sequence
from typing import Self, TypedDict, Unpack

import attrs

from portflow._adapters.clocks import ManualClock, SystemClock
from portflow._adapters.contract_lookup import DeclaredContractLookup
from portflow._adapters.memory import MemoryOrderStore, RecordingDonorGateway, RecordingNotifier
from portflow._adapters.number_pool import MemoryNumberPool
from portflow._core import workflow
from portflow._core.calendar import BusinessCalendar, utc
from portflow._core.errors import (
    Code,
    ConcurrentChange,
    ContractLookupFailed,
    InvalidInput,
    OrderNotFound,
    PortflowError,
    ValidationFailed,
    checked_instance,
)
from portflow._core.lifecycle import OrderState, Trigger
from portflow._core.notifications import Notification
from portflow._core.orders import (
    PortOrder,
    Rejection,
    RejectionReason,
    Timer,
    TimerAction,
    merged_timers,
)
from portflow._core.profiles import profile_for
from portflow._core.requests import (
    BroadbandRequest,
    PortRequest,
    Service,
    ValidRequest,
    validate_request,
)
from portflow._core.temporaries import TemporaryNumber, TemporaryStatus
from portflow._ports import (
    Clock,
    ContractLookup,
    DonorGateway,
    EventSubscriber,
    Notifier,
    NumberInventory,
    OrderStore,
    SettableClock,
)

_DONOR_HAS_IT = frozenset({OrderState.REQUESTED, OrderState.SCHEDULED})
_APPROVED = frozenset({OrderState.DEFERRED, *_DONOR_HAS_IT})


class _OpenArguments(TypedDict, total=False):
    """`Engine.open`'s keyword arguments, which `Engine.sqlite` and `Engine.postgresql` take too."""

    country: str
    clock: Clock | None
    donor: DonorGateway | None
    contracts: ContractLookup | None
    inventory: NumberInventory | None
    notifier: Notifier | None


@attrs.frozen(weakref_slot=False)
class TimerFired:
    """One timer `Engine.advance` fired: when it was due, on which order, and what it did."""

    at: dt.datetime
    order_id: str
    action: TimerAction
    key: str = ""
    """The notification key, for a delivery."""


@attrs.frozen(weakref_slot=False)
class Undelivered:
    """A notification the notifier refused during `Engine.advance`, and why."""

    order_id: str
    key: str
    error: Exception
    """What the notifier raised."""
    retry_at: dt.datetime
    """When the notification is due again: the profile's `CountryProfile.delivery_wait`
    after the instant `Engine.advance` ran to (or the clock, if later)."""


class DeliveryFailed(PortflowError):
    """The notifier refused notifications during `Engine.advance`; everything else fired.

    The refused notifications stay pending, due again at their ``retry_at``; the
    first refusal is the exception's ``__cause__``.
    """

    def __init__(self, undelivered: Sequence[Undelivered], fired: Sequence[TimerFired]) -> None:
        """Name the refused notifications; keep what fired."""
        first = undelivered[0]
        super().__init__(
            Code.NOTIFICATION_UNDELIVERED,
            f"The notifier refused {len(undelivered)} notification(s), the first "
            f"{first.key} of order {first.order_id} ({first.error!r}); every other timer "
            f"due fired. They are tried again from {first.retry_at.isoformat()} on.",
        )
        self.undelivered = tuple(undelivered)
        """Each refused notification, in the order it was tried."""
        self.fired = tuple(fired)
        """The timers that fired, as `Engine.advance` returns them."""

    def _pickled_state(self) -> dict[str, object]:
        """Return the attributes, a notifier's exception that does not pickle as a stand-in."""
        refused = tuple(
            attrs.evolve(item, error=_portable(item.error)) for item in self.undelivered
        )
        return {**self.__dict__, "undelivered": refused}


def _portable(error: Exception) -> Exception:
    """Return the error if it survives pickling, else a `RuntimeError` naming it.

    A notifier's exceptions are the carrier's own: one that needs arguments
    its pickle does not hold, or holds a lock, would lose the whole
    `DeliveryFailed` on its way to another process.
    """
    try:
        pickle.loads(pickle.dumps(error))  # noqa: S301 - bytes made here from our own object
    except Exception:  # noqa: BLE001 - any failure to pickle is the case handled
        return RuntimeError(f"{type(error).__qualname__}: {error}")
    return error


class Engine:
    """Runs port orders: commands, queries and timers over pluggable adapters.

    Build one with `Engine.in_memory` for tests and simulations, or pass your
    own adapters. Every command returns the order as saved; a command that
    raises has changed nothing in the store (what adapters may already have
    been told is in the adapter guide), except `advance`, which keeps what it
    fired when it raises `DeliveryFailed`. Any command raises `ConcurrentChange`
    when another worker saved the order after the command loaded it; run it
    again.
    """

    def __init__(  # noqa: PLR0913 - one argument per port
        self,
        *,
        clock: Clock,
        store: OrderStore,
        inventory: NumberInventory,
        donor: DonorGateway,
        notifier: Notifier,
        contracts: ContractLookup | None = None,
        subscribers: Iterable[EventSubscriber] = (),
    ) -> None:
        """Wire the engine to its adapters.

        ``contracts`` answers the broadband binding look-up; by default it answers
        from the contract declared in the request (`DeclaredContractLookup`).
        """
        self.clock = clock
        self.store = store
        self.inventory = inventory
        self.donor = donor
        self.notifier = notifier
        self.contracts = contracts or DeclaredContractLookup()
        self._subscribers = list(subscribers)

    @classmethod
    def in_memory(
        cls,
        country: str = "CH",
        now: dt.datetime | None = None,
        *,
        contracts: ContractLookup | None = None,
    ) -> Self:
        """Return an engine of this class with every adapter in memory and a manual clock.

        ``InMemoryEngine.in_memory(...)`` returns the same engine with its
        adapters typed as the in-memory ones, so that typed tests read
        ``engine.notifier.delivered`` and call ``engine.clock.set``.

        Args:
            country: The country whose ranges the temporary-number pool draws
                from. An engine for several countries is built from a pool of
                their ranges (see the adapter guide).
            now: Where the clock starts; by default 1 January 2027, 00:00 UTC,
                so that a simulation gives the same result on any day.
            contracts: The broadband binding look-up; by default `DeclaredContractLookup`.
        """
        start = dt.datetime(2027, 1, 1, tzinfo=dt.UTC) if now is None else now
        return cls(
            clock=ManualClock(start),
            store=MemoryOrderStore(),
            inventory=MemoryNumberPool.for_country(country),
            donor=RecordingDonorGateway(),
            notifier=RecordingNotifier(),
            contracts=contracts,
        )

    @classmethod
    def sqlite(
        cls, path: str | os.PathLike[str] = "portflow.db", **arguments: Unpack[_OpenArguments]
    ) -> Engine:
        """Return an engine on the embedded SQLite store at ``path`` (``":memory:"`` for none).

        An in-memory store lives in the thread that opened it, until it is
        closed; it refuses any other use (``argument.invalid``) rather than
        answer from a new, empty database. The other arguments are `Engine.open`'s.
        """
        from portflow._adapters.sql import sqlite_url  # noqa: PLC0415 - SQLAlchemy only when asked for

        return cls.open(sqlite_url(os.fspath(path)), **arguments)

    @classmethod
    def postgresql(
        cls,
        url: str = "postgresql://postgres@127.0.0.1:5432/test",
        **arguments: Unpack[_OpenArguments],
    ) -> Engine:
        """Return an engine on a PostgreSQL store (needs the ``postgres`` extra).

        The other arguments are `Engine.open`'s; several workers on one store
        pass one shared ``inventory``.
        """
        return cls.open(url, **arguments)

    @classmethod
    def open(  # noqa: PLR0913 - one argument per adapter
        cls,
        url: str | None = None,
        *,
        country: str = "CH",
        clock: Clock | None = None,
        donor: DonorGateway | None = None,
        contracts: ContractLookup | None = None,
        inventory: NumberInventory | None = None,
        notifier: Notifier | None = None,
    ) -> Engine:
        """Return an engine on the SQL store named by ``url``, ``$PORTFLOW_DATABASE_URL`` or SQLite.

        Without a URL and without the variable, orders go to ``portflow.db`` in
        the working directory. The clock is the system's unless one is given.
        The number inventory is the one given, else a temporary-number pool of
        ``country`` that takes over the numbers the stored orders hold, so a
        restarted process never hands one out twice; several processes sharing
        a PostgreSQL store must pass one shared `NumberInventory` of the
        carrier's own, as a process's pool knows only what it handed out. The
        donor is the one given (a `SimulatedDonor` in a simulation, the
        carrier's gateway in production), else one that only records; so is the
        notifier, and the binding look-up, else `DeclaredContractLookup`.

        Raises:
            InvalidInput: ``argument.invalid`` for a URL of another database.
        """
        from portflow._adapters.sql import SqlOrderStore  # noqa: PLC0415 - SQLAlchemy only when asked for

        store = SqlOrderStore(url)
        if inventory is None:
            pool = MemoryNumberPool.for_country(country)
            pool.resume(
                (order.id, temporary)
                for order in store.orders()
                for temporary in order.temporary_numbers
            )
            inventory = pool
        return cls(
            clock=clock or SystemClock(),
            store=store,
            inventory=inventory,
            donor=donor or RecordingDonorGateway(),
            notifier=notifier or RecordingNotifier(),
            contracts=contracts,
        )

    def _now(self) -> dt.datetime:
        """Return the clock's instant, refusing one without a zone as the clock's fault."""
        now = self.clock.now()
        if not isinstance(now, dt.datetime) or now.utcoffset() is None:
            raise InvalidInput(
                Code.TIME_NAIVE,
                f"The engine's clock ({type(self.clock).__name__}) gave {now!r}, which is "
                "not an aware datetime; a Clock's now() returns one with a time zone, "
                "as datetime.now(datetime.UTC) does.",
                "clock",
            )
        return now

    def close(self) -> None:
        """Release what the store holds open (a SQL store's connections).

        A store without a ``close`` method (the memory store) holds nothing.
        ``with Engine.sqlite(path) as engine:`` closes the engine at the end.
        """
        close = getattr(self.store, "close", None)
        if callable(close):
            close()

    def __enter__(self) -> Self:
        """Return the engine, to be closed when the ``with`` block ends."""
        return self

    def __exit__(self, *_exception: object) -> None:
        """Close the engine."""
        self.close()

    def subscribe(self, subscriber: EventSubscriber) -> None:
        """Have ``subscriber`` called with every transition after it is saved."""
        self._subscribers.append(subscriber)

    # --- queries -------------------------------------------------------------------

    def get(self, order_id: str) -> PortOrder:
        """Return the order with the id.

        Raises:
            OrderNotFound: ``order.unknown``.
            InvalidInput: ``argument.invalid`` for an id that is not text.
        """
        checked_instance(order_id, str, "order_id")
        order = self.store.get(order_id)
        if order is None:
            raise OrderNotFound(order_id)
        return order

    def group(self, group_id: str) -> tuple[PortOrder, ...]:
        """Return the members of a port group.

        Raises:
            OrderNotFound: ``order.unknown`` when no group has the id.
            InvalidInput: ``argument.invalid`` for an id that is not text.
        """
        checked_instance(group_id, str, "group_id")
        members = tuple(self.store.group(group_id))
        if not members:
            raise OrderNotFound(group_id, group=True)
        return members

    def orders(self) -> Iterator[PortOrder]:
        """Yield every order the store holds."""
        return self.store.orders()

    def notifications(self, order_id: str | None = None) -> tuple[Notification, ...]:
        """Return the notifications of one order in the order they were produced, or of all.

        All orders' notifications come order by order, in the order the store
        lists the orders, each order's in the order they were produced.

        Raises:
            OrderNotFound: ``order.unknown`` for an unknown id.
            InvalidInput: ``argument.invalid`` for an id that is not text.
        """
        if order_id is not None:
            return self.get(order_id).notifications
        return tuple(n for order in self.store.orders() for n in order.notifications)

    # --- commands ------------------------------------------------------------------

    def submit(
        self,
        request: PortRequest | BroadbandRequest,
        *,
        order_id: str | None = None,
        actor: str = "reseller",
    ) -> PortOrder:
        """Validate a request and submit it as a new order, or resubmit a revised draft.

        Every violation is reported at once, ``numbers.already_in_port`` included;
        warnings ride on the order (``order.valid.warnings``). Each porting unit
        gets a temporary unit, reserved, except a broadband line (SPEC 7). A
        mobile order with a physical SIM tells the customer it was sent
        (``sim.shipped``).

        Raises:
            ValidationFailed: with every violation, when one is an error.
            InvalidInput: ``argument.invalid`` for a request that is not a
                `PortRequest` or `BroadbandRequest`.
            IllegalTransition: when ``order_id`` names an order that is not a draft.
            InventoryExhausted: when no temporary number is free.
        """
        now = self._now()
        draft = None
        if order_id is not None:
            draft = self.get(order_id)
            draft.ensure(Trigger.SUBMIT)
        valid = self._validate(request, now, order_id=order_id or "")
        order = draft or PortOrder.draft(self.store.new_id(), valid)
        return self._submit_all([(order, valid)], now, actor)[0]

    def submit_group(
        self, request: PortRequest, *, actor: str = "reseller"
    ) -> tuple[PortOrder, ...]:
        """Split a request with more single numbers than one order takes into a port group.

        The members share subscriber, donor, authorization and timing, each holds
        at most the profile's single-number limit (blocks go to the first), and
        they execute at the same instant (SPEC 1.3). The group id is the first
        member's id.

        Raises:
            ValidationFailed: with every violation, when one is an error.
            InvalidInput: ``argument.invalid`` for a request that is not a
                `PortRequest` (a broadband takeover moves one line: `submit` it).
            InventoryExhausted: when no temporary number is free.
        """
        if isinstance(request, BroadbandRequest):
            raise InvalidInput(
                Code.ARGUMENT_INVALID,
                f"A broadband takeover moves one line ({request.line!r}) and is never split "
                "into a port group; submit it with Engine.submit.",
                "request",
            )
        now = self._now()
        valid = self._validate(request, now, within_group=True)
        parts = valid.numbers.split(valid.profile.max_singles)
        ids = [self.store.new_id() for _ in parts]
        # Each member's request names only its own numbers, so that a member that is
        # rejected can be revised and submitted again on its own.
        members = [
            attrs.evolve(
                valid, numbers=part, request=attrs.evolve(valid.request, numbers=part.entries)
            )
            for part in parts
        ]
        drafts = [
            (PortOrder.draft(order_id, member, group_id=ids[0]), member)
            for order_id, member in zip(ids, members, strict=True)
        ]
        return tuple(self._submit_all(drafts, now, actor))

    def ask(self, order_id: str, question: str, *, actor: str = "provider") -> PortOrder:
        """The provider asks the reseller a question; the reseller is notified."""
        order = self.get(order_id)
        return self._commit([order], [workflow.ask(order, question, self._now(), actor)])[0]

    def answer(self, order_id: str, answer: str, *, actor: str = "reseller") -> PortOrder:
        """The reseller answers the provider's question."""
        order = self.get(order_id)
        return self._commit([order], [workflow.answer(order, answer, self._now(), actor)])[0]

    def approve(
        self,
        order_id: str,
        *,
        port_at: dt.datetime | None = None,
        defer_until: dt.datetime | None = None,
        actor: str = "provider",
    ) -> PortOrder:
        """The provider approves: the request goes to the donor, or waits until ``defer_until``.

        ``port_at`` fixes another port instant; an ASAP order without one gets
        the earliest feasible instant from today, or from the wake day when
        deferred. Both together defer the order and give the donor ``port_at``
        when it wakes. A broadband takeover without
        either is approved by the binding looked up now through the
        `ContractLookup` port and the 6-month rule (SPEC 8): placed now, or
        deferred until binding end minus the threshold. When the look-up fails,
        the order stays submitted and the look-up is retried every
        ``lookup_retry``; after ``lookup_patience`` the reseller is asked.

        Raises:
            IllegalTransition: unless the order is submitted.
            CommandRefused: ``timing.in_past`` for a port or wake instant already past;
                ``timing.too_early`` for a port the donor could not meet (its lead
                time) from the wake day of a deferral, or for a date fixed at
                submission whose cancel freeze has started.
        """
        order = self.get(order_id)
        if order.valid.request.service is Service.BROADBAND and port_at is defer_until is None:
            return self._approve_takeover(order, actor)
        group = None if order.group_id is None else self.store.group(order.group_id)
        now = self._now()
        if port_at is None and group is not None:
            port_at = _agreed_group_instant(order, group, now)
        approved = workflow.approve(order, now, actor, port_at=port_at, defer_until=defer_until)
        return self._commit_member(order, approved, group)

    def _approve_takeover(self, order: PortOrder, actor: str) -> PortOrder:
        """Approve a broadband takeover by the binding looked up now, or retry the look-up later."""
        now = self._now()
        order.ensure(Trigger.APPROVE)
        try:
            binding_end = self.contracts.binding_end(order)
        except ContractLookupFailed:
            return self._commit([order], [workflow.lookup_later(order, now, actor)])[0]
        return self._commit([order], [workflow.approve_takeover(order, binding_end, now, actor)])[0]

    def donor_confirms(
        self, order_id: str, port_at: dt.datetime | None = None, *, actor: str = "donor"
    ) -> PortOrder:
        """The donor confirms the port: at ``port_at``, or the planned instant when ``None``.

        Raises:
            IllegalTransition: unless the order is requested.
            CommandRefused: ``timing.in_past`` for a port instant already past.
        """
        order = self.get(order_id)
        confirmed = workflow.confirm(order, port_at, self._now(), actor)
        return self._commit_member(order, confirmed)

    def donor_rejects(
        self,
        order_id: str,
        reason: RejectionReason | str,
        text: str = "",
        *,
        actor: str = "donor",
    ) -> PortOrder:
        """The donor refuses with a typed reason; the order ends and its temporaries with it.

        Raises:
            IllegalTransition: unless the order is requested or scheduled.
            ValueError: for a reason that is not a `RejectionReason`.
        """
        order = self.get(order_id)
        rejected = workflow.reject(order, Rejection(reason, text), self._now(), actor)
        return self._commit_member(order, rejected)

    def reschedule(self, order_id: str, port_at: dt.datetime, *, actor: str = "donor") -> PortOrder:
        """The donor moves a scheduled port to another instant.

        Raises:
            IllegalTransition: unless the order is scheduled.
            CommandRefused: ``timing.in_past`` for a port instant already past.
        """
        order = self.get(order_id)
        moved = workflow.reschedule(order, port_at, self._now(), actor)
        return self._commit_member(order, moved)

    def cancel(
        self, order_id: str, *, keep_temporary: bool = False, actor: str = "reseller"
    ) -> PortOrder:
        """Stop an order before execution; its temporaries end, or the customer keeps them.

        Raises:
            IllegalTransition: for a completed, rejected or cancelled order.
            CommandRefused: ``order.cancel_too_late`` inside the freeze before the port.
        """
        order = self.get(order_id)
        cancelled = workflow.cancel(order, self._now(), actor, keep_temporary=keep_temporary)
        return self._commit_member(order, cancelled)

    def activate_sim(self, order_id: str) -> PortOrder:
        """The customer activated the SIM of a mobile order: its temporary numbers work now.

        Seed 000: the customer can call with the temporary number as soon as the
        SIM card has arrived.

        Raises:
            CommandRefused: ``argument.invalid`` unless the order is a live mobile order.
        """
        order = self.get(order_id)
        return self._commit([order], [workflow.activate_sim(order, self._now())])[0]

    def revise(self, order_id: str, *, actor: str = "reseller") -> PortOrder:
        """Take a rejected order back to draft; correct it and `submit` it with its id."""
        order = self.get(order_id)
        return self._commit([order], [workflow.revise(order, self._now(), actor)])[0]

    def advance(self, to: dt.datetime | None = None) -> tuple[TimerFired, ...]:
        """Fire every timer due at or before ``to`` (default: now), earliest first, once each.

        A settable clock is moved along: to each timer's instant as it fires,
        then to ``to``. A notification the notifier refuses (it raises) stays
        pending and is due again after ``to`` (after the clock, for a ``to``
        already past), waiting as long as it had waited by the refused try,
        from the profile's ``delivery_retry`` up to its ``delivery_retry_max``;
        the run goes on with every other timer, so that one message that cannot
        go out holds up no port, and then raises `DeliveryFailed`. Several
        workers may advance one shared store: when another worker saved an
        order while this one fired its timers, this one goes on with the order
        as now stored, so a timer fires once; a notification may then reach the
        notifiers more than once, always under its one key (delivery is at
        least once).

        Raises:
            DeliveryFailed: ``notification.undelivered`` after the run, naming
                the refused notifications and keeping what fired.
            InvalidInput: ``time.naive`` for a naive ``to``; ``argument.invalid``
                for a ``to`` after the clock when the clock cannot be set.
            ConcurrentChange: when the store refuses a save although no newer
                version of the order is stored (a database that kept refusing the
                transaction, or a store that breaks its contract).
        """
        settable = self.clock if isinstance(self.clock, SettableClock) else None
        now = self._now()
        until = utc(now) if to is None else utc(to, "to")
        if until > now and settable is None:
            raise InvalidInput(
                Code.ARGUMENT_INVALID,
                f"The clock reads {now.isoformat()} and cannot be set; advance "
                "to an instant that has passed.",
                "to",
            )
        fired: list[TimerFired] = []
        undelivered: list[Undelivered] = []
        retry_from = max(until, utc(now))  # a custom clock may give local time
        while (item := self.store.next_due(until)) is not None:
            due, order_id = item
            if settable is not None and due > self._now():
                settable.set(due)
            loaded = self.get(order_id)
            try:
                self._fire_due(loaded, due, retry_from, fired, undelivered)
            except ConcurrentChange as refused:
                # The refused order may be another member of the group that executes.
                stored = self.store.get(refused.order_id)
                if stored is None or stored.revision <= refused.loaded:
                    raise  # refused without a newer version stored: not another worker
                # Another worker saved the order meanwhile: go on with it as it is now.
        if settable is not None and until > self._now():
            settable.set(until)
        if undelivered:
            raise DeliveryFailed(undelivered, fired) from undelivered[0].error
        return tuple(fired)

    # --- the steps every command shares ------------------------------------------------

    def _validate(
        self,
        request: PortRequest | BroadbandRequest,
        now: dt.datetime,
        *,
        within_group: bool = False,
        order_id: str = "",
    ) -> ValidRequest:
        checked_instance(request, (PortRequest, BroadbandRequest), "request")
        try:
            profile = profile_for(request.country)
        except InvalidInput as error:
            raise ValidationFailed([error.violation]) from None
        today = BusinessCalendar.for_profile(profile).local_date(now)
        return validate_request(
            request,
            today,
            within_group=within_group,
            held_by=self.store.held_by,
            order_id=order_id,
        )

    def _submit_all(
        self, drafts: Sequence[tuple[PortOrder, ValidRequest]], now: dt.datetime, actor: str
    ) -> list[PortOrder]:
        reserved: list[TemporaryNumber] = []
        try:
            submitted = []
            for order, valid in drafts:
                temporaries = []
                for entry in valid.numbers if valid.request.service.has_temporary_numbers else ():
                    temporary = TemporaryNumber(self.inventory.reserve(order.id, entry), entry)
                    reserved.append(temporary)
                    temporaries.append(temporary)
                submitted.append(workflow.submit(order, valid, tuple(temporaries), now, actor))
            before = [self.store.get(order.id) for order, _ in drafts]
            (old, *others) = before
            if old is not None and not others and old.group_id is not None:
                # A revised member rejoins its group: the others wait for it again.
                return [self._commit_member(old, submitted[0])]
            return self._commit(before, submitted)
        except BaseException:
            # Released unless a saved order holds it: a subscriber may raise after the save.
            kept = {
                temporary.number
                for order, _ in drafts
                if (stored := self.store.get(order.id)) is not None
                for temporary in stored.temporary_numbers
            }
            for temporary in reserved:
                if temporary.number not in kept:
                    self.inventory.deactivate(temporary.number)
            raise

    def _commit_member(
        self, before: PortOrder, after: PortOrder, group: Sequence[PortOrder] | None = None
    ) -> PortOrder:
        """Commit one order's change, with its port group's execute timers brought in line.

        ``group`` is the group as the command read it to decide, else it is read now.
        """
        if after.group_id is None:
            return self._commit([before], [after])[0]
        stored = self.store.group(after.group_id) if group is None else list(group)
        members = [after if member.id == after.id else member for member in stored]
        committed = self._commit_synchronised(stored, members)
        return next(order for order in committed if order.id == after.id)

    def _commit_synchronised(
        self, stored: list[PortOrder], members: list[PortOrder]
    ) -> list[PortOrder]:
        """Commit a group's members with their execute timers in line: those that changed.

        The group's first member (whose id is the group's) is saved too, one
        revision further if it did not change. Two commands on two members at
        once would each decide on the other as it was (both confirm, neither
        sees the group ready); as both save the first member, the second is
        refused (`ConcurrentChange`) and runs again on the group as it is then.
        Only these commands change what they decide on, a member's state or port
        instant; a delivery or a wake does not, and saves its member alone.
        """
        synced = workflow.synchronised(members, self._now())
        saved = [
            (old, new)
            for old, new in zip(stored, synced, strict=True)
            if new is not old or old.id == old.group_id
        ]
        return self._commit([old for old, _ in saved], [new for _, new in saved])

    def _commit(
        self, before: Sequence[PortOrder | None], after: Sequence[PortOrder]
    ) -> list[PortOrder]:
        for old, new in zip(before, after, strict=True):
            self._sync_adapters(old, new)
        try:
            saved = self._save(after)
        except ConcurrentChange as refused:
            self._restore_adapters(before, after, refused)
            raise
        if self._subscribers:
            self._publish(before, saved)
        return saved

    def _publish(self, before: Sequence[PortOrder | None], saved: Sequence[PortOrder]) -> None:
        """Tell every subscriber each transition the saved orders made."""
        for old, new in zip(before, saved, strict=True):
            seen = len(old.history) if old is not None else 0
            for event in new.history[seen:]:
                for subscriber in self._subscribers:
                    subscriber(new, event)

    def _restore_adapters(
        self,
        before: Sequence[PortOrder | None],
        refused: Sequence[PortOrder],
        refusal: ConcurrentChange,
    ) -> None:
        """Tell the adapters the stored orders' statuses again, after a refused save.

        Another worker's version won; the inventory and the donor were told this
        one's first. The inventory hears each temporary number's stored status
        again; a number the store still has reserved cannot be told so (the port
        has no such call) and stays as it was told. A donor sent an order the
        store does not have at the donor (cancelled meanwhile) is told to
        withdraw it; a donor told to withdraw an order the store has at the donor
        (confirmed meanwhile) is sent it again. An adapter that raises here is
        not asked again: the refusal, which still reaches the caller, carries a
        note naming it, and the other orders are told all the same.
        """
        for old, new in zip(before, refused, strict=True):
            stored = self.store.get(new.id)
            if stored is None:
                continue
            try:
                self._sync_inventory(new, stored)
                at_donor = stored.state in _DONOR_HAS_IT
                told = _donor_change(old, new)
                if told is _DonorCall.SEND and not at_donor:
                    self.donor.withdraw(stored)
                elif told is _DonorCall.WITHDRAW and at_donor:
                    self.donor.send(stored)
            except Exception as error:  # noqa: BLE001 - the refusal is what the caller must get
                refusal.add_note(
                    f"The adapters could not be told order {stored.id}'s stored status "
                    f"({stored.state}) again: {error!r}"
                )

    def _save(self, orders: Sequence[PortOrder]) -> list[PortOrder]:
        """Save the orders one revision further; return them as saved.

        The store refuses the save with `ConcurrentChange` when another worker
        saved one of them since it was loaded.
        """
        saved = [order.next_revision() for order in orders]
        self.store.save(saved)
        return saved

    def _sync_adapters(self, old: PortOrder | None, new: PortOrder) -> None:
        self._sync_inventory(old, new)
        told = _donor_change(old, new)
        if told is _DonorCall.SEND:
            self.donor.send(new)
        elif told is _DonorCall.WITHDRAW:
            self.donor.withdraw(new)

    def _sync_inventory(self, old: PortOrder | None, new: PortOrder) -> None:
        """Tell the inventory each temporary number whose status differs from ``old``'s."""
        if old is not None and old.temporary_numbers is new.temporary_numbers:
            return  # the usual step: no temporary number moved
        previous = {t.number: t.status for t in old.temporary_numbers} if old else {}
        for temporary in new.temporary_numbers:
            status = temporary.status
            if previous.get(temporary.number, TemporaryStatus.RESERVED) is status:
                continue
            if status is TemporaryStatus.ACTIVE:
                self.inventory.activate(temporary.number)
            elif status is TemporaryStatus.DEACTIVATED:
                self.inventory.deactivate(temporary.number)
            elif status is TemporaryStatus.PROMOTED:
                self.inventory.promote(temporary.number)

    def _fire_due(
        self,
        order: PortOrder,
        due: dt.datetime,
        retry_from: dt.datetime,
        fired: list[TimerFired],
        undelivered: list[Undelivered],
    ) -> None:
        """Fire every timer of the order due at ``due``, saving the order once where it can.

        A port completes with two notices due at its instant; firing them with
        the execution changes and saves the order once instead of three times.
        Each timer is added to ``fired`` as it fires, so what fired before a
        later step raises is still reported; a refused delivery is added to
        ``undelivered`` and postponed by the profile's ``delivery_wait`` after
        ``retry_from``, the later of the clock and the run's end.
        """
        delivered = 0  # deliveries at the head of the order's timers, not saved yet
        try:
            while delivered < len(order.timers) and order.timers[delivered].due <= due:
                timer = order.timers[delivered]
                if timer.action is TimerAction.DELIVER:
                    notification = workflow.notification(order, timer.key)
                    try:
                        self.notifier.deliver(notification)
                    except Exception as error:  # noqa: BLE001 - reported once the run is done
                        waited = timer.due - notification.due
                        retry_at = retry_from + order.valid.profile.delivery_wait(waited)
                        order = self._postpone_delivery(order, delivered, retry_at)
                        delivered = 0
                        # Unless another worker withdrew or delivered it meanwhile.
                        if timer.key in order.pending_keys:
                            undelivered.append(Undelivered(order.id, timer.key, error, retry_at))
                        continue
                    delivered += 1
                    fired.append(TimerFired(timer.due, order.id, timer.action, timer.key))
                    continue
                if delivered:
                    order, delivered = self._save_delivered(order, delivered), 0
                order, alongside = self._run(order, timer)
                if alongside is None:
                    continue
                fired.append(TimerFired(timer.due, order.id, timer.action, timer.key))
                # A group executes together: its other members' execute timers fired too.
                fired.extend(TimerFired(timer.due, member, timer.action) for member in alongside)
        finally:
            # What was delivered stays delivered, even when a later delivery fails.
            if delivered:
                self._save_delivered(order, delivered)

    def _postpone_delivery(self, order: PortOrder, count: int, retry_at: dt.datetime) -> PortOrder:
        """Save the order without its first ``count`` timers, delivered, and the next one later.

        The next timer is the delivery the notifier refused: it stays pending,
        due again at ``retry_at``.
        """
        refused = order.timers[count]
        later = Timer(retry_at, TimerAction.DELIVER, refused.key)
        trimmed = order.changed(
            timers=merged_timers(order.timers[count + 1 :], (later,)), revision=order.revision + 1
        )
        return self._record_deliveries(order, trimmed, order.timers[:count], later)

    def _save_delivered(self, order: PortOrder, count: int) -> PortOrder:
        """Save the order without its first ``count`` timers, deliveries the notifier took."""
        # One copy for both changes: `_save` would copy the trimmed order again.
        trimmed = order.changed(timers=order.timers[count:], revision=order.revision + 1)
        return self._record_deliveries(order, trimmed, order.timers[:count])

    def _record_deliveries(
        self,
        loaded: PortOrder,
        trimmed: PortOrder,
        delivered: Sequence[Timer],
        postponed: Timer | None = None,
    ) -> PortOrder:
        """Save ``trimmed``, the loaded order with its deliveries recorded; return what is saved.

        When another worker saved the order meanwhile (it may have cancelled it
        and withdrawn what was pending), the deliveries are recorded on the order
        as it is now: what went out stays listed (SPEC 9: nothing lost).
        """
        try:
            self.store.save([trimmed])
        except ConcurrentChange as refused:
            notices = [workflow.notification(loaded, timer.key) for timer in delivered]
            current = self.store.get(loaded.id)
            while current is not None and current.revision > refused.loaded:
                recorded = workflow.with_deliveries(current, notices, postponed)
                if recorded is current:
                    return current
                saved = recorded.changed(revision=current.revision + 1)
                try:
                    self.store.save([saved])
                except ConcurrentChange:
                    current = self.store.get(loaded.id)
                    continue
                return saved
            raise  # refused without a newer version stored: not another worker
        return trimmed

    def _run(self, order: PortOrder, timer: Timer) -> tuple[PortOrder, list[str] | None]:
        """Wake, execute or look up the binding of the order.

        Returns the order as saved, and the ids of the other members of its port
        group that executed with it; ``None`` instead when the timer lapsed, its
        group member having ended meanwhile (another worker executed the group).
        """
        if timer.action is TimerAction.LOOKUP:
            if order.state is not OrderState.SUBMITTED:
                # Commands drop the retry when the order moves on, but a store written
                # otherwise may hold one: it lapses rather than block every later timer.
                return self._save([workflow.lookup_lapsed(order)])[0], []
            return self._approve_takeover(order, timer.key), []
        if timer.action is TimerAction.WAKE:
            return self._commit([order], [workflow.wake(order, timer.due)])[0], []
        if order.group_id is None:
            return self._commit([order], [workflow.execute(order, timer.due)])[0], []
        return self._execute_group(order, order.group_id, timer)

    def _execute_group(
        self, order: PortOrder, group_id: str, timer: Timer
    ) -> tuple[PortOrder, list[str] | None]:
        """Execute the order's port group, all members at once, as `_run` reports it."""
        stored = self.store.group(group_id)
        members = [m for m in stored if m.state.is_live]
        if all(m.id != order.id for m in members):
            # Another worker ended it: the timer lapses, and goes if a store still holds it.
            ended = self.get(order.id)
            if any(t.action is TimerAction.EXECUTE for t in ended.timers):
                ended = self._save([workflow.execution_lapsed(ended)])[0]
            return ended, None
        ready = all(m.state is OrderState.SCHEDULED and m.port_at == timer.due for m in members)
        if not ready:  # never with timers kept in line; if so, the timers are brought in line
            self._commit_synchronised(stored, stored)
            return self.get(order.id), []
        self._commit(members, [workflow.execute(m, timer.due) for m in members])
        return self.get(order.id), [m.id for m in members if m.id != order.id]


class _DonorCall(enum.Enum):
    SEND = enum.auto()
    WITHDRAW = enum.auto()


def _donor_change(old: PortOrder | None, new: PortOrder) -> _DonorCall | None:
    """Return what the donor is told of a step from ``old`` to ``new``, if anything."""
    was = old.state if old is not None else OrderState.DRAFT
    if new.state is OrderState.REQUESTED and was is not OrderState.REQUESTED:
        return _DonorCall.SEND
    if new.state is OrderState.CANCELLED and was in _DONOR_HAS_IT:
        return _DonorCall.WITHDRAW
    return None


def _agreed_group_instant(
    order: PortOrder, group: Sequence[PortOrder], now: dt.datetime
) -> dt.datetime | None:
    """Return the instant the group's earlier approved members were given, if any.

    A group executes together (SPEC 1.3), so members approved on later days
    take the instant the first one got, as the donor has it: not one counted
    from their own day, and without a lead time or freeze of their own, since
    the donor has known the port since the first member (decision).
    """
    return next(
        (
            member.port_at
            for member in group
            if member.id != order.id
            and member.state in _APPROVED
            and member.port_at is not None
            and member.port_at >= now
        ),
        None,
    )


class InMemoryEngine(Engine):
    """An `Engine` on in-memory adapters: ``InMemoryEngine.in_memory(...)`` builds one.

    The same engine as `Engine.in_memory` builds, its adapters typed as the
    in-memory ones they are, for tests and simulations under a type checker.
    """

    clock: ManualClock
    store: MemoryOrderStore
    inventory: MemoryNumberPool
    donor: RecordingDonorGateway
    notifier: RecordingNotifier
