"""portflow: telephone-number porting as pure domain objects and state machines.

Everything listed in ``__all__`` is public and documented; every other module
is private and may change without notice.
"""

from typing import TYPE_CHECKING

from portflow._adapters.clocks import ManualClock, SystemClock
from portflow._adapters.contract_lookup import DeclaredContractLookup
from portflow._adapters.memory import MemoryOrderStore, RecordingDonorGateway, RecordingNotifier
from portflow._adapters.notifiers import ConsoleNotifier, NotifierByChannel, SmtpNotifier
from portflow._adapters.number_pool import MemoryNumberPool
from portflow._adapters.simulated_donor import AnswerKind, DonorAnswer, SimulatedDonor
from portflow._core.blocks import NumberBlock, parse_block
from portflow._core.calendar import BusinessCalendar, add_months, end_of_month
from portflow._core.contracts import (
    DonorContract,
    NoticeKind,
    NoticePolicy,
    Termination,
    TerminationChannel,
)
from portflow._core.errors import (
    CODE_DOCS,
    Code,
    CommandRefused,
    ConcurrentChange,
    ContractLookupFailed,
    IllegalTransition,
    InvalidInput,
    InventoryExhausted,
    OrderNotFound,
    PortflowError,
    Severity,
    ValidationFailed,
    Violation,
)
from portflow._core.holdings import HeldBy, held_keys, overlap_keys
from portflow._core.lifecycle import OrderState, Trigger
from portflow._core.notifications import (
    Audience,
    Channel,
    Notification,
    NotificationKind,
    Rendered,
    Variant,
)
from portflow._core.number_sets import Entry, NumberSet, find_overlaps, parse_numbers
from portflow._core.numbers import NumberType, PhoneNumber, parse_number
from portflow._core.orders import (
    HistoryEvent,
    PortOrder,
    Rejection,
    RejectionReason,
    Timer,
    TimerAction,
)
from portflow._core.parties import CustomerKind, Orderer, Signatory, SigningRight, Subscriber
from portflow._core.profiles import CountryProfile, profile_for
from portflow._core.requests import (
    BroadbandRequest,
    PortRequest,
    PortType,
    Service,
    ValidRequest,
    validate_request,
)
from portflow._core.sim import SimCard, parse_icc
from portflow._core.temporaries import TemporaryNumber, TemporaryStatus
from portflow._core.timing import PortPlan, Timing, TimingKind
from portflow._engine import DeliveryFailed, Engine, InMemoryEngine, TimerFired, Undelivered
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

if TYPE_CHECKING:
    from portflow._adapters.sql import SqlOrderStore

__all__ = [
    "CODE_DOCS",
    "AnswerKind",
    "Audience",
    "BroadbandRequest",
    "BusinessCalendar",
    "Channel",
    "Clock",
    "Code",
    "CommandRefused",
    "ConcurrentChange",
    "ConsoleNotifier",
    "ContractLookup",
    "ContractLookupFailed",
    "CountryProfile",
    "CustomerKind",
    "DeclaredContractLookup",
    "DeliveryFailed",
    "DonorAnswer",
    "DonorContract",
    "DonorGateway",
    "Engine",
    "Entry",
    "EventSubscriber",
    "HeldBy",
    "HistoryEvent",
    "IllegalTransition",
    "InMemoryEngine",
    "InvalidInput",
    "InventoryExhausted",
    "ManualClock",
    "MemoryNumberPool",
    "MemoryOrderStore",
    "NoticeKind",
    "NoticePolicy",
    "Notification",
    "NotificationKind",
    "Notifier",
    "NotifierByChannel",
    "NumberBlock",
    "NumberInventory",
    "NumberSet",
    "NumberType",
    "OrderNotFound",
    "OrderState",
    "OrderStore",
    "Orderer",
    "PhoneNumber",
    "PortOrder",
    "PortPlan",
    "PortRequest",
    "PortType",
    "PortflowError",
    "RecordingDonorGateway",
    "RecordingNotifier",
    "Rejection",
    "RejectionReason",
    "Rendered",
    "Service",
    "SettableClock",
    "Severity",
    "Signatory",
    "SigningRight",
    "SimCard",
    "SimulatedDonor",
    "SmtpNotifier",
    "SqlOrderStore",
    "Subscriber",
    "SystemClock",
    "TemporaryNumber",
    "TemporaryStatus",
    "Termination",
    "TerminationChannel",
    "Timer",
    "TimerAction",
    "TimerFired",
    "Timing",
    "TimingKind",
    "Trigger",
    "Undelivered",
    "ValidRequest",
    "ValidationFailed",
    "Variant",
    "Violation",
    "add_months",
    "end_of_month",
    "find_overlaps",
    "held_keys",
    "overlap_keys",
    "parse_block",
    "parse_icc",
    "parse_number",
    "parse_numbers",
    "profile_for",
    "validate_request",
]


def __getattr__(name: str) -> object:
    # SQLAlchemy takes a third of a second to import: only when a SQL store is used.
    if name == "SqlOrderStore":
        from portflow._adapters.sql import SqlOrderStore  # noqa: PLC0415

        return SqlOrderStore
    raise AttributeError(f"module 'portflow' has no attribute {name!r}")
