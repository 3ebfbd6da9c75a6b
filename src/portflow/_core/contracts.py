"""The donor contract: binding time, notice policy and written terminations.

Seed 001 (Phonect): terminations take effect from the first of the month after
they are received, the notice period being the current month plus one month,
and they must arrive in writing, by e-mail or post.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Final

import attrs

from portflow._core.calendar import add_months, end_of_month, plain_date
from portflow._core.errors import Code, InvalidInput, checked_instance


class NoticeKind(enum.StrEnum):
    """How a notice period is measured."""

    NONE = "none"
    MONTHS = "months"
    CURRENT_MONTH_PLUS = "current_month_plus"


def _notice_kind(value: str) -> NoticeKind:
    try:
        return NoticeKind(value)
    except ValueError:
        raise InvalidInput(
            Code.CONTRACT_INVALID,
            f"Unknown notice kind {value!r}; expected one of "
            f"{', '.join(kind.value for kind in NoticeKind)}.",
            "kind",
        ) from None


def _notice_count(instance: NoticePolicy, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(
            Code.CONTRACT_INVALID,
            f"A notice period counts whole months, 0 or more; got {attribute.name}={value!r}.",
            attribute.name,
        )
    if instance.kind is NoticeKind.NONE and value != 0:
        raise InvalidInput(
            Code.CONTRACT_INVALID,
            f"A contract without notice period has no month count; got {value}.",
            attribute.name,
        )


@attrs.frozen(weakref_slot=False)
class NoticePolicy:
    """When a contract ends, given the day its termination notice is received.

    Make one with `none`, `months` or `current_month_plus`.
    """

    kind: NoticeKind = attrs.field(converter=_notice_kind)
    count: int = attrs.field(default=0, validator=_notice_count)

    @classmethod
    def none(cls) -> NoticePolicy:
        """Return a policy under which the contract can end any day."""
        # One value for the default of every contract: a live order keeps its contract.
        return _NO_NOTICE

    @classmethod
    def months(cls, count: int) -> NoticePolicy:
        """Return a policy under which the contract ends ``count`` months after notice."""
        return cls(NoticeKind.MONTHS, count)

    @classmethod
    def current_month_plus(cls, count: int) -> NoticePolicy:
        """Return a policy ending on the last day of the month ``count`` after notice.

        Seed 001: notice received 2026-11-23 under ``current_month_plus(1)`` ends
        the contract on 2026-12-31.
        """
        return cls(NoticeKind.CURRENT_MONTH_PLUS, count)

    def contract_end(self, received: dt.date) -> dt.date:
        """Return the last day of the contract when notice is received on ``received``.

        Raises:
            InvalidInput: ``argument.invalid`` when ``received`` is not a date.
        """
        received = plain_date(received, "received")
        if self.kind is NoticeKind.MONTHS:
            return add_months(received, self.count)
        if self.kind is NoticeKind.CURRENT_MONTH_PLUS:
            return end_of_month(add_months(received.replace(day=1), self.count))
        return received


class TerminationChannel(enum.StrEnum):
    """How a termination reached the donor."""

    EMAIL = "email"
    POST = "post"
    PHONE = "phone"


def _written_channel(value: object) -> TerminationChannel:
    written = value.strip().lower().replace("-", "") if isinstance(value, str) else None
    if written in {"email", "post"}:
        return TerminationChannel(written)
    raise InvalidInput(
        Code.TERMINATION_NOT_IN_WRITING,
        f"A termination by {value!r} is not accepted; it must arrive in writing, "
        "by e-mail or post.",
        "channel",
    )


def _date_field(_instance: object, attribute: attrs.Attribute[dt.date], value: object) -> None:
    plain_date(value, attribute.name)


@attrs.frozen(weakref_slot=False)
class Termination:
    """A termination notice that reached the donor in writing on a given day."""

    channel: TerminationChannel = attrs.field(converter=_written_channel)
    received: dt.date = attrs.field(validator=_date_field)


def _binding_end(
    _instance: object, attribute: attrs.Attribute[dt.date | None], value: object
) -> None:
    if value is not None:
        plain_date(value, attribute.name)


def _binding_consistent(
    instance: DonorContract, attribute: attrs.Attribute[bool], value: object
) -> None:
    _flag(instance, attribute, value)
    if not instance.binding_known and instance.binding_end is not None:
        raise InvalidInput(
            Code.CONTRACT_INVALID,
            f"The binding end is said to be unknown but is given as {instance.binding_end}; "
            "give a date, or none with binding_known=False.",
            "binding_end",
        )


def _notice(_instance: object, _attribute: object, value: NoticePolicy) -> None:
    checked_instance(value, NoticePolicy, "notice", Code.CONTRACT_INVALID)


def _flag(_instance: object, attribute: attrs.Attribute[bool], value: object) -> None:
    checked_instance(value, bool, attribute.name, Code.CONTRACT_INVALID)


_NO_NOTICE: Final = NoticePolicy(NoticeKind.NONE)


@attrs.frozen(weakref_slot=False)
class DonorContract:
    """What is known of the contract at the current (donor) operator."""

    binding_end: dt.date | None = attrs.field(default=None, validator=_binding_end)
    """Last day of the minimum term, or ``None`` for no binding (or unknown binding)."""
    notice: NoticePolicy = attrs.field(factory=NoticePolicy.none, validator=_notice)
    """How the contract is terminated."""
    bundles_internet: bool = attrs.field(default=False, validator=_flag)
    """Whether non-voice services (internet) ride on the same contract."""
    binding_known: bool = attrs.field(default=True, validator=_binding_consistent)
    """``False`` when nobody knows whether or until when the contract binds."""

    @classmethod
    def unknown(cls, notice: NoticePolicy | None = None) -> DonorContract:
        """Return a contract whose binding end nobody knows."""
        return cls(notice=notice or NoticePolicy.none(), binding_known=False)

    def contract_end(self, notice_received: dt.date) -> dt.date | None:
        """Return the later of the binding end and the notice end, or ``None`` if unknown."""
        if not self.binding_known:
            return None
        notice_end = self.notice.contract_end(notice_received)
        if self.binding_end is None:
            return notice_end
        return max(self.binding_end, notice_end)

    def ends_after(self, termination: Termination) -> dt.date | None:
        """Return the contract end a written termination leads to, ``None`` if unknown."""
        return self.contract_end(termination.received)
