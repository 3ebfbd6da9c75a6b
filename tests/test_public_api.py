"""The public surface: SPEC 12 names import from portflow, and nothing else leaks."""

import importlib.resources
import inspect

import pytest

import portflow
from tests_support import swiss_request

SPEC_12_FOUNDATION = {
    "parse_number",
    "parse_block",
    "parse_numbers",
    "BusinessCalendar",
    "NoticePolicy",
    "DonorContract",
    "PortflowError",
    "ValidationFailed",
    "Violation",
}
SPEC_12_ENGINE = {
    "PortRequest",
    "Subscriber",
    "Signatory",
    "DonorContract",
    "Timing",
    "PortType",
    "Service",
    "Engine",
    "IllegalTransition",
}


def test_the_public_names_are_pinned():
    """STYLE 7: __all__ is the public surface (ruff RUF022 keeps it sorted)."""
    assert set(portflow.__all__) == {
        "HeldBy",
        "InMemoryEngine",
        "Rendered",
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
        "EventSubscriber",
        "HistoryEvent",
        "IllegalTransition",
        "InvalidInput",
        "InventoryExhausted",
        "ManualClock",
        "MemoryNumberPool",
        "MemoryOrderStore",
        "NoticeKind",
        "NoticePolicy",
        "NotifierByChannel",
        "Notification",
        "NotificationKind",
        "Notifier",
        "NumberBlock",
        "NumberInventory",
        "NumberSet",
        "Entry",
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
        "Service",
        "SettableClock",
        "SqlOrderStore",
        "Severity",
        "Signatory",
        "SigningRight",
        "SimCard",
        "SimulatedDonor",
        "SmtpNotifier",
        "Subscriber",
        "SystemClock",
        "TemporaryNumber",
        "TemporaryStatus",
        "Termination",
        "TerminationChannel",
        "Timer",
        "TimerAction",
        "TimerFired",
        "Undelivered",
        "Timing",
        "TimingKind",
        "Trigger",
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
    }


def test_the_spec_names_of_the_foundation_import_from_portflow():
    """SPEC 12: the facade names of numbers, calendars, contracts and errors exist."""
    assert set(portflow.__all__) >= SPEC_12_FOUNDATION


def test_the_spec_names_of_the_engine_import_from_portflow():
    """SPEC 12: the engine, its requests and its commands and queries exist."""
    assert set(portflow.__all__) >= SPEC_12_ENGINE
    commands = {"submit", "approve", "ask", "answer", "donor_confirms", "donor_rejects"}
    commands |= {"reschedule", "cancel", "advance", "get", "notifications", "in_memory"}
    assert all(callable(getattr(portflow.Engine, name)) for name in commands)


def test_every_public_name_is_documented():
    """Every exported class and function has a docstring."""
    for name in portflow.__all__:
        value = getattr(portflow, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), name


def test_every_code_is_documented_with_its_rule_and_seed():
    """SPEC 11: every code is stable and documented."""
    assert set(portflow.CODE_DOCS) == set(portflow.Code)
    for code, doc in portflow.CODE_DOCS.items():
        assert code.value.lower() == code.value
        assert "." in code.value
        assert doc.summary
        assert doc.rule
        assert doc.seed


def test_the_package_ships_its_type_information():
    """STYLE 8: py.typed marks the package as typed."""
    assert importlib.resources.files("portflow").joinpath("py.typed").is_file()


def _notification(**changes):
    fields = {
        "kind": "order.confirmation",
        "channel": "email",
        "recipient": "kund@example.ch",
        "locale": "de",
        "order_id": "PO-000001",
        "due": portflow.Engine.in_memory().clock.now(),
        "params": {"order_id": "PO-000001"},
    }
    return portflow.Notification(**(fields | changes))


ENUMERATED_FIELDS = {
    "service": lambda: swiss_request(service="voip"),
    "port_type": lambda: swiss_request(port_type="teil"),
    "kind": lambda: portflow.Subscriber("X AG", kind="company"),
    "right": lambda: portflow.Signatory("Anna Muster", "joint"),
    "reason": lambda: portflow.Rejection("subscriber_mismatch"),
    "timing kind": lambda: portflow.Timing("soon"),
    "notification kind": lambda: _notification(kind="bogus"),
    "channel": lambda: _notification(channel="fax"),
    "variant": lambda: _notification(variant="tablet"),
    "params": lambda: _notification(params=None),
    "a parameter": lambda: _notification(params=[("order_id", 1)]),
    "locale": lambda: _notification(locale=None),
}


@pytest.mark.parametrize("make", ENUMERATED_FIELDS.values(), ids=ENUMERATED_FIELDS.keys())
def test_a_value_outside_a_fields_choices_is_refused_with_a_code(make):
    """SPEC 11: every error is a PortflowError with a stable code, bad choices included.

    An enumeration's own call would raise a bare ValueError; the message names
    what is allowed. As bad input, the error is a ValueError too.
    """
    with pytest.raises(portflow.InvalidInput) as raised:
        make()
    assert raised.value.code == portflow.Code.ARGUMENT_INVALID
    assert isinstance(raised.value, ValueError)


def test_a_timing_given_by_its_kinds_value_plans_as_its_constructor_does():
    """SPEC 3.2: ``Timing("contract_end")`` is a contract-end timing, not a fixed date."""
    assert portflow.Timing("contract_end") == portflow.Timing.contract_end()
    assert portflow.Timing("asap").kind is portflow.TimingKind.ASAP
