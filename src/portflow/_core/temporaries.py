"""Temporary numbers that bridge the gap until the port: SPEC 7, seeds 000 and 002.

Seed 000 (mobile): the customer gets a temporary number and can call as soon
as the SIM arrives; at the move the old number goes onto the new SIM and the
temporary number disappears. Seed 002 (PBX): ported numbers automatically get
provisional numbers, deactivated automatically after the port.

One temporary unit stands for one porting unit: a number for a single number,
a block of the same size for a DDI block.
"""

from __future__ import annotations

import enum
from typing import Final

import attrs

from portflow._core.errors import IllegalTransition
from portflow._core.number_sets import Entry, entry_text


class TemporaryStatus(enum.StrEnum):
    """Where a temporary number stands."""

    RESERVED = "reserved"
    """Taken from the inventory for an order; not yet working."""
    ACTIVE = "active"
    """Working: PBX from approval, mobile from SIM activation."""
    DEACTIVATED = "deactivated"
    """Ended: the port completed, or the order was cancelled or rejected."""
    PROMOTED = "promoted"
    """Kept by the customer as a permanent number after a cancelled port."""

    @property
    def is_ended(self) -> bool:
        """Whether the number no longer serves its order."""
        return self in (TemporaryStatus.DEACTIVATED, TemporaryStatus.PROMOTED)


_MOVES: Final = {
    TemporaryStatus.RESERVED: frozenset(
        {TemporaryStatus.ACTIVE, TemporaryStatus.DEACTIVATED, TemporaryStatus.PROMOTED}
    ),
    TemporaryStatus.ACTIVE: frozenset({TemporaryStatus.DEACTIVATED, TemporaryStatus.PROMOTED}),
}


@attrs.frozen(weakref_slot=False)
class TemporaryNumber:
    """A temporary number or block serving one order in place of one porting unit."""

    number: Entry
    """The temporary number, or the temporary block for a DDI block."""
    stands_for: Entry
    """The porting unit it bridges."""
    status: TemporaryStatus = TemporaryStatus.RESERVED

    @property
    def text(self) -> str:
        """The temporary number's canonical text."""
        return entry_text(self.number)

    def moved_to(self, status: TemporaryStatus) -> TemporaryNumber:
        """Return the number in a new status.

        Raises:
            IllegalTransition: for a move SPEC 7 does not allow (out of an ended status).
        """
        if status not in _MOVES.get(self.status, frozenset()):
            raise IllegalTransition(
                self.status,
                f"become {status}",
                (moving for moving, moves in _MOVES.items() if status in moves),
                f"Temporary number {self.text}",
            )
        return TemporaryNumber(self.number, self.stands_for, status)


def temporaries_moved(
    temporaries: tuple[TemporaryNumber, ...],
    status: TemporaryStatus,
    *,
    only: TemporaryStatus | None = None,
) -> tuple[TemporaryNumber, ...]:
    """Move every temporary number that has not ended (or only those in ``only``) to ``status``."""
    return tuple(
        temporary.moved_to(status)
        if not temporary.status.is_ended and (only is None or temporary.status is only)
        else temporary
        for temporary in temporaries
    )
