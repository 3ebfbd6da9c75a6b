"""Errors, violations and their stable codes.

The exception tree:

```text
PortflowError                    every error portflow raises; has a stable ``code``
├── InvalidInput (ValueError)    one input broke one rule; ``code`` names the rule
├── ValidationFailed (ValueError) a command's input broke rules; ``violations`` lists all
├── IllegalTransition            a trigger that the order's state does not allow
├── CommandRefused               a command the order's situation does not allow
│                                (``order.cancel_too_late``, ``timing.in_past``)
├── OrderNotFound (LookupError)  no order has the id (``order.unknown``)
└── InventoryExhausted           no free temporary number (``inventory.exhausted``)
```

Codes are stable, machine-readable strings (``"number.invalid"``): carriers map
them to their own user interfaces and languages, so a code never changes meaning.
Every code is a member of `Code` and described in `CODE_DOCS`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TypeVar

import attrs


class Code(enum.StrEnum):
    """Every stable error and warning code portflow reports."""

    NUMBER_INVALID = "number.invalid"
    COUNTRY_UNKNOWN = "country.unknown"
    BLOCK_WILDCARD_NOT_TRAILING = "block.wildcard_not_trailing"
    BLOCK_NO_WILDCARD = "block.no_wildcard"
    BLOCK_TOO_LARGE = "block.too_large"
    NUMBERS_EMPTY = "numbers.empty"
    NUMBERS_COUNTRY_MISMATCH = "numbers.country_mismatch"
    NUMBERS_OVERLAP = "numbers.overlap"
    NUMBERS_TOO_MANY_SINGLES = "numbers.too_many_singles"
    NUMBERS_ALREADY_IN_PORT = "numbers.already_in_port"
    TIME_NAIVE = "time.naive"
    ARGUMENT_INVALID = "argument.invalid"
    CONTRACT_INVALID = "contract.invalid"
    TERMINATION_NOT_IN_WRITING = "termination.not_in_writing"
    CUSTOMER_MISSING_FIELD = "customer.missing_field"
    CUSTOMER_INVALID_EMAIL = "customer.invalid_email"
    AUTH_MISSING = "auth.missing"
    AUTH_UNKNOWN_SIGNATORY = "auth.unknown_signatory"
    AUTH_INSUFFICIENT_SIGNATURES = "auth.insufficient_signatures"
    AUTH_FORBIDDEN = "auth.forbidden"
    TIMING_CONTRACT_END_UNKNOWN = "timing.contract_end_unknown"
    TIMING_NOT_BUSINESS_DAY = "timing.not_business_day"
    TIMING_TOO_EARLY = "timing.too_early"
    TIMING_ASAP_BEFORE_CONTRACT_END = "timing.asap_before_contract_end"
    TIMING_AFTER_CONTRACT_END = "timing.after_contract_end"
    PORT_FULL_CUTS_BUNDLED_SERVICES = "port.full_cuts_bundled_services"
    VALIDATION_FAILED = "validation.failed"
    ORDER_ILLEGAL_TRANSITION = "order.illegal_transition"
    ORDER_UNKNOWN = "order.unknown"
    ORDER_CANCEL_TOO_LATE = "order.cancel_too_late"
    ORDER_CHANGED_CONCURRENTLY = "order.changed_concurrently"
    TIMING_IN_PAST = "timing.in_past"
    INVENTORY_EXHAUSTED = "inventory.exhausted"
    NOTIFICATION_UNDELIVERED = "notification.undelivered"
    BINDING_NO_POWER_OF_ATTORNEY = "binding.no_power_of_attorney"
    BINDING_REMAINING = "binding.remaining"
    BINDING_LOOKUP_FAILED = "binding.lookup_failed"
    SIM_INVALID_ICC = "sim.invalid_icc"


class Severity(enum.StrEnum):
    """Whether a violation blocks a command (``error``) or only informs (``warning``)."""

    ERROR = "error"
    WARNING = "warning"


@attrs.frozen(weakref_slot=False)
class CodeDoc:
    """What a code means, which rule of the specification it enforces, and its seed."""

    summary: str
    rule: str
    seed: str


CODE_DOCS: dict[Code, CodeDoc] = {
    Code.NUMBER_INVALID: CodeDoc(
        "The text is not a valid telephone number of its country (or not text at all).",
        "SPEC 1.1: national or international format, usual separators stripped.",
        "002: numbers are entered with the national prefix.",
    ),
    Code.COUNTRY_UNKNOWN: CodeDoc(
        "The country code is not one that phonenumbers and holidays both know.",
        "SPEC 2: every country profile has a zone, a calendar and number metadata.",
        "-",
    ),
    Code.BLOCK_WILDCARD_NOT_TRAILING: CodeDoc(
        "An `x` wildcard stands before a digit; wildcards may only end the number.",
        "SPEC 1.2: `x` may only appear as a trailing run.",
        "002: DDI blocks are entered shortened, the last digits shown as x.",
    ),
    Code.BLOCK_NO_WILDCARD: CodeDoc(
        "A block was expected but the text has no `x` wildcard (decision: k >= 1).",
        "SPEC 1.2: a block has k >= 1 wildcards.",
        "002",
    ),
    Code.BLOCK_TOO_LARGE: CodeDoc(
        "The block has more wildcards than the country profile allows (default 3).",
        "SPEC 1.2: k <= the profile's maximum, 1,000 numbers by default.",
        "002",
    ),
    Code.NUMBERS_EMPTY: CodeDoc(
        "A set of numbers holds no number.",
        "SPEC 1.3: a port order holds at least one number.",
        "002",
    ),
    Code.NUMBERS_COUNTRY_MISMATCH: CodeDoc(
        "A number belongs to another country than the order.",
        "SPEC 1.3: all numbers of an order are of the order's country.",
        "002",
    ),
    Code.NUMBERS_OVERLAP: CodeDoc(
        "Two entries share a number: a duplicate, a single inside a block, or two blocks.",
        "SPEC 1.3: no number may be listed twice.",
        "002",
    ),
    Code.NUMBERS_TOO_MANY_SINGLES: CodeDoc(
        "More single numbers than the profile allows in one port order (default 10).",
        "SPEC 1.3: at most 10 single numbers per port order; blocks do not count.",
        "002: Mehr als 10 Einzelnummern pro Portierung sind technisch nicht möglich.",
    ),
    Code.NUMBERS_ALREADY_IN_PORT: CodeDoc(
        "A number is already in another live port order.",
        "SPEC 1.3: a number may be in only one live port order at a time.",
        "002",
    ),
    Code.TIME_NAIVE: CodeDoc(
        "A datetime without a time zone was given; portflow needs aware instants.",
        "SPEC 2: every instant is timezone-aware.",
        "-",
    ),
    Code.ARGUMENT_INVALID: CodeDoc(
        "An argument outside its domain: a non-integer count, a datetime for a date, "
        "a limit below 1.",
        "SPEC 11: messages name the offending input and what would be accepted.",
        "-",
    ),
    Code.CONTRACT_INVALID: CodeDoc(
        "A donor contract or notice policy contradicts itself.",
        "SPEC 3.1: a binding end is a date, none, or unknown.",
        "001",
    ),
    Code.TERMINATION_NOT_IN_WRITING: CodeDoc(
        "A termination arrived by phone; it must come by e-mail or post.",
        "SPEC 3.1: termination must arrive in writing.",
        "001: Alle oppsigelser må sendes til oss skriftlig per epost eller per post.",
    ),
    Code.CUSTOMER_MISSING_FIELD: CodeDoc(
        "A field the subscriber checklist requires is empty, or a name or the address "
        "holds a control character (SPEC 5's malformed field).",
        "SPEC 5: company name, address and city, contact person, billing e-mail, phone.",
        "002: Checkliste der benötigten Angaben.",
    ),
    Code.CUSTOMER_INVALID_EMAIL: CodeDoc(
        "The billing e-mail is not a syntactically valid address.",
        "SPEC 5: the billing e-mail receives the invoices.",
        "002: E-Mail (für Rechnungsversand).",
    ),
    Code.AUTH_MISSING: CodeDoc(
        "Nobody signed the letter of authorization.",
        "SPEC 5: a port needs a valid authorization.",
        "002",
    ),
    Code.AUTH_UNKNOWN_SIGNATORY: CodeDoc(
        "A signer is not among the company's registered signatories.",
        "SPEC 5: check the commercial register for who may sign.",
        "002: auf zefix.ch prüfen, wer zeichnungsberechtigt ist.",
    ),
    Code.AUTH_INSUFFICIENT_SIGNATURES: CodeDoc(
        "Only one signatory with collective right signed; a second one must sign too.",
        "SPEC 5: one single-right signatory or two distinct collective-right ones.",
        "002: Einzelunterschrift oder Kollektivunterschrift.",
    ),
    Code.AUTH_FORBIDDEN: CodeDoc(
        "The user who placed the order may not buy a subscription for the customer: "
        "neither the account owner nor a user with the account permission.",
        "SPEC 5: only the account owner or a user with the account permission may order "
        "a subscription.",
        "003: För att kunna köpa ett abonnemang i appen behöver du vara kontoägare eller "
        "ha behörigheten Konto.",
    ),
    Code.TIMING_CONTRACT_END_UNKNOWN: CodeDoc(
        "A contract-end port was asked for, but the contract end is unknown.",
        "SPEC 3.2: the date is set to the contract end, which must be known.",
        "002: das Datum wird automatisch auf das Vertragsende gesetzt.",
    ),
    Code.TIMING_NOT_BUSINESS_DAY: CodeDoc(
        "A fixed port date is a weekend day or a holiday of the country.",
        "SPEC 3.2: a fixed date must be a business day.",
        "-",
    ),
    Code.TIMING_TOO_EARLY: CodeDoc(
        "The port date is before the earliest feasible date (lead time, default 5 business "
        "days), counted from the request, or from the wake of a deferred approval; or a "
        "date fixed at submission is approved once its cancel freeze has begun.",
        "SPEC 3.2: not before the earliest feasible date.",
        "-",
    ),
    Code.TIMING_ASAP_BEFORE_CONTRACT_END: CodeDoc(
        "Warning: an ASAP port falls before the donor contract ends; early termination "
        "may cost fees.",
        "SPEC 3.2: ASAP must be agreed; check the donor's contract terms.",
        "002: Bei so schnell als möglich auf die Vertragsbedingungen achten.",
    ),
    Code.PORT_FULL_CUTS_BUNDLED_SERVICES: CodeDoc(
        "Warning: a full port ends a donor contract that also carries internet, which is "
        "then cut on the port date; partial porting is recommended.",
        "SPEC 4: full porting ends the donor contract with every service on it.",
        "002: Meist wird das Internet bei einer Vollportierung mit dem Portierungsdatum "
        "abgeschaltet.",
    ),
    Code.VALIDATION_FAILED: CodeDoc(
        "A command's input broke one or more rules; the violations list each.",
        "SPEC 11: validation reports all violations at once.",
        "-",
    ),
    Code.ORDER_ILLEGAL_TRANSITION: CodeDoc(
        "A trigger that the order's current state does not allow.",
        "SPEC 6: a forbidden trigger changes nothing.",
        "002",
    ),
    Code.ORDER_UNKNOWN: CodeDoc(
        "No order or port group has the given id in the engine's store.",
        "SPEC 12: commands and queries name an order by the id the engine gave it.",
        "-",
    ),
    Code.ORDER_CHANGED_CONCURRENTLY: CodeDoc(
        "Another worker saved the order after this command loaded it, or the database kept "
        "refusing the transaction for other transactions' locks; nothing was saved. Run the "
        "command again on the order as it is now.",
        "SPEC 10: several workers may share a PostgreSQL store; no change may be lost.",
        "-",
    ),
    Code.ORDER_CANCEL_TOO_LATE: CodeDoc(
        "The order can no longer be cancelled: the donor has it and the port instant is "
        "within the freeze (decision: 2 business days).",
        "SPEC 6: cancel is refused once the port instant is within the profile's freeze.",
        "002",
    ),
    Code.TIMING_IN_PAST: CodeDoc(
        "A port instant confirmed, rescheduled or approved lies before the engine's clock.",
        "SPEC 6: timers are data fired when the clock passes them; a past port cannot "
        "be scheduled (decision).",
        "-",
    ),
    Code.INVENTORY_EXHAUSTED: CodeDoc(
        "The number inventory has no free temporary number or block of the needed size "
        "for the country.",
        "SPEC 7: one temporary unit per porting unit, taken from the number inventory.",
        "000, 002",
    ),
    Code.NOTIFICATION_UNDELIVERED: CodeDoc(
        "The notifier refused notifications while the engine advanced; everything else "
        "due fired, and each refused notification is tried again a while later.",
        "SPEC 9 and 10: notifications leave through an outbox, at least once.",
        "000",
    ),
    Code.BINDING_NO_POWER_OF_ATTORNEY: CodeDoc(
        "A broadband takeover was requested without the customer's power of attorney, so "
        "the remaining binding time at the previous operator may not be looked up.",
        "SPEC 8: the binding look-up is made only with the customer's power of attorney.",
        "000: the contract gives the new operator the power to ask for the remaining term.",
    ),
    Code.BINDING_REMAINING: CodeDoc(
        "A mobile number would be ported on a date before its binding at the donor ends.",
        "SPEC 8: a mobile number must have no binding time left at the port date.",
        "003: make sure the number has no binding time left before porting it in.",
    ),
    Code.BINDING_LOOKUP_FAILED: CodeDoc(
        "The previous operator's binding could not be looked up (an error or a time-out); "
        "the approval stays pending and the look-up is tried again later.",
        "SPEC 8: the takeover's timing rests on the looked-up binding, never on a guess.",
        "000",
    ),
    Code.TIMING_AFTER_CONTRACT_END: CodeDoc(
        "Warning: a mobile contract-end port moves past the contract's end, because the "
        "business day before it would leave binding time.",
        "SPEC 8 over SPEC 3.2: no binding time may be left at a mobile port; make sure "
        "the donor keeps the number until the port.",
        "003: the number is ported in once no binding time is left.",
    ),
    Code.SIM_INVALID_ICC: CodeDoc(
        "The SIM card's ICC is not 20 digits with a valid (Luhn) check digit.",
        "SPEC 13 and 8: a SIM is an ICC of 20 digits with a check digit, or an eSIM.",
        "003: the ICC has 20 digits and is printed on the back of the card.",
    ),
}


@attrs.frozen(weakref_slot=False)
class Violation:
    """One broken rule: its code, a sentence naming the input, the field, the severity."""

    code: Code
    message: str
    field: str = ""
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        """Whether this violation blocks the command."""
        return self.severity is Severity.ERROR


class PortflowError(Exception):
    """The root of every error portflow raises; ``code`` is stable and machine-readable."""

    code: Code

    def __init__(self, code: Code, message: str) -> None:
        """Create the error with its stable code and a sentence for people."""
        super().__init__(message)
        self.code = code

    @property
    def message(self) -> str:
        """The sentence that explains the error."""
        return str(self.args[0])

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle the error as it is, so that it crosses to another process.

        An exception pickles as a call of its class with ``args``, the message
        alone here, which no subclass takes; a worker process's error would
        then never reach the process waiting for it.
        """
        return (_unpickled_error, (type(self), self.args, self._pickled_state()))

    def _pickled_state(self) -> dict[str, object]:
        """Return the attributes to pickle; an error holding foreign objects swaps them."""
        return self.__dict__


def _unpickled_error(
    kind: type[PortflowError], args: tuple[object, ...], state: dict[str, object]
) -> PortflowError:
    error = kind.__new__(kind)
    error.args = args
    error.__dict__.update(state)
    return error


class InvalidInput(PortflowError, ValueError):
    """One input broke one rule; ``code`` names the rule and ``field`` the input."""

    def __init__(self, code: Code, message: str, field: str = "") -> None:
        """Create the error for one broken rule of one input."""
        super().__init__(code, message)
        self.field = field

    @property
    def violation(self) -> Violation:
        """This error as a violation, for collecting into a `ValidationFailed`."""
        return Violation(self.code, self.message, self.field)


class ValidationFailed(PortflowError, ValueError):
    """A command's input broke rules; ``violations`` holds every one, warnings included."""

    violations: tuple[Violation, ...]

    def __init__(self, violations: Iterable[Violation]) -> None:
        """Collect the violations; at least one of them must be an error."""
        self.violations = tuple(violations)
        errors = [v for v in self.violations if v.is_error]
        lines = "\n".join(f"- [{v.code}] {v.message}" for v in errors)
        super().__init__(
            Code.VALIDATION_FAILED,
            f"{len(errors)} rule(s) broken:\n{lines}",
        )

    @property
    def errors(self) -> tuple[Violation, ...]:
        """The violations that block the command."""
        return tuple(v for v in self.violations if v.is_error)

    @property
    def codes(self) -> frozenset[Code]:
        """The codes of all violations, for quick membership tests."""
        return frozenset(v.code for v in self.violations)


class IllegalTransition(PortflowError):
    """A trigger the order's current state does not allow; nothing was changed."""

    def __init__(
        self, state: str, trigger: str, allowed_from: Iterable[str] = (), subject: str = "An order"
    ) -> None:
        """Name what is refused (an order by its id), its state, the trigger and its sources."""
        allowed = tuple(allowed_from)
        sources = [str(source) for source in allowed]
        if not sources:
            where = "in no state"
        elif len(sources) == 1:
            where = f"in state {sources[0]}"
        else:
            where = f"in states {', '.join(sources[:-1])} or {sources[-1]}"
        super().__init__(
            Code.ORDER_ILLEGAL_TRANSITION,
            f"{subject} is {state!s}, so it cannot {trigger!s} (allowed {where}). "
            "Nothing was changed.",
        )
        self.state = state
        self.trigger = trigger
        self.allowed_from = allowed
        """The states from which the trigger is allowed."""


class CommandRefused(PortflowError):
    """A command the order's state allows but its situation does not; nothing was changed."""


class OrderNotFound(PortflowError, LookupError):
    """No order (or port group) has the id; ``order_id`` names it."""

    def __init__(self, order_id: str, *, group: bool = False) -> None:
        """Name the unknown id, of a port group when ``group`` is true."""
        super().__init__(
            Code.ORDER_UNKNOWN,
            f"No port group has the id {order_id!r}; a group's id is its first member's, "
            "and only an order submit_group split has one."
            if group
            else f"No order has the id {order_id!r}; ids are the ones the engine returned.",
        )
        self.order_id = order_id


class ConcurrentChange(PortflowError):
    """Another worker saved the order after this command loaded it; nothing was saved.

    A SQL store raises it too when the database kept refusing the transaction
    for other transactions' locks (deadlocks, a busy SQLite file).

    The store refuses a save that does not follow the stored `PortOrder.revision`,
    so two workers that change one order at once never overwrite each other:
    the second is refused and may run its command again on the order as it is now.
    """

    def __init__(self, order_id: str, loaded: int, stored: int, *, why: str = "") -> None:
        """Name the order, the revision the refused version was made from, and the stored one.

        ``why`` replaces the usual reason, another worker's save, when the store
        refused for another one (a database that kept refusing the transaction).
        """
        reason = why or (
            "another worker saved the order after this command loaded it (or the save "
            "skipped a revision)"
        )
        super().__init__(
            Code.ORDER_CHANGED_CONCURRENTLY,
            f"Order {order_id} is at revision {stored} in the store, and this save was "
            f"made from revision {loaded}: {reason}; nothing was saved. Run the command "
            "again.",
        )
        self.order_id = order_id
        self.loaded = loaded
        """The revision the refused version was made from."""
        self.stored = stored
        """The revision in the store when the save was refused."""


class InventoryExhausted(PortflowError):
    """The number inventory has no free temporary number of the needed kind."""

    def __init__(self, message: str) -> None:
        """Explain what could not be found."""
        super().__init__(Code.INVENTORY_EXHAUSTED, message)


class ContractLookupFailed(PortflowError):
    """A contract look-up could not answer; raised by `ContractLookup` adapters.

    The engine leaves the order where it was and tries again after the profile's
    ``lookup_retry``: a binding is never guessed.
    """

    def __init__(self, message: str) -> None:
        """Explain what went wrong (the operator was unreachable, the answer timed out)."""
        super().__init__(Code.BINDING_LOOKUP_FAILED, message)


def raise_if_errors(violations: Iterable[Violation]) -> tuple[Violation, ...]:
    """Raise `ValidationFailed` if any violation is an error; else return the warnings.

    Raises:
        ValidationFailed: with every violation, warnings included, when one is an error.
    """
    collected = tuple(violations)
    if any(v.is_error for v in collected):
        raise ValidationFailed(collected)
    return collected


_Member = TypeVar("_Member", bound=enum.Enum)


def member_of(kind: type[_Member], value: object, field: str) -> _Member:
    """Return ``value`` as a member of ``kind``, given as a member or by its value.

    Converters of enumerated fields use it: the enumeration's own call raises a
    bare ``ValueError`` without a code.

    Raises:
        InvalidInput: ``argument.invalid``, naming the allowed values.
    """
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(str(member.value) for member in kind)
        raise InvalidInput(
            Code.ARGUMENT_INVALID, f"{field} must be one of {allowed}; got {value!r}.", field
        ) from None


def checked_text(value: object, field: str, *, empty: bool = False) -> str:
    """Return ``value`` if it is text, and not blank unless ``empty`` allows it.

    Raises:
        InvalidInput: ``argument.invalid`` otherwise.
    """
    if isinstance(value, str) and (empty or value.strip()):
        return value
    wanted = "text" if empty else "non-empty text"
    raise InvalidInput(Code.ARGUMENT_INVALID, f"{field} must be {wanted}, got {value!r}.", field)


def checked_flag(value: object, field: str) -> bool:
    """Return ``value`` if it is ``True`` or ``False``.

    Raises:
        InvalidInput: ``argument.invalid`` otherwise (``"false"`` is text, and true).
    """
    if isinstance(value, bool):
        return value
    raise InvalidInput(
        Code.ARGUMENT_INVALID, f"{field} must be True or False, got {value!r}.", field
    )


def checked_instance(
    value: object,
    kinds: type | tuple[type, ...],
    field: str,
    code: Code = Code.ARGUMENT_INVALID,
) -> None:
    """Check that ``value`` is of ``kinds``; an attrs validator calls it for a field.

    Raises:
        InvalidInput: with ``code`` (``argument.invalid`` unless given) otherwise,
            naming what was given.
    """
    if not isinstance(value, kinds):
        wanted = " or ".join(
            kind.__name__ for kind in (kinds if isinstance(kinds, tuple) else (kinds,))
        )
        raise InvalidInput(
            code,
            f"{field} must be a {wanted}, got {type(value).__name__} {value!r}.",
            field,
        )
