"""Clocks: the system's, and a manual one that simulations and tests move by hand."""

from __future__ import annotations

import datetime as dt

from portflow._core.calendar import utc
from portflow._core.errors import Code, InvalidInput


class SystemClock:
    """The machine's clock, in UTC."""

    def now(self) -> dt.datetime:
        """Return the current instant in UTC."""
        return dt.datetime.now(dt.UTC)


class ManualClock:
    """A clock that stands still until it is set; time only moves forward.

    Raises:
        InvalidInput: ``time.naive`` for a naive start.
    """

    def __init__(self, now: dt.datetime) -> None:
        """Start the clock at ``now``."""
        self._now = utc(now, "now")

    def now(self) -> dt.datetime:
        """Return the instant the clock was last set to, in UTC."""
        return self._now

    def set(self, instant: dt.datetime) -> None:
        """Move the clock to ``instant``.

        Raises:
            InvalidInput: ``time.naive`` for a naive instant; ``argument.invalid``
                for an instant before the clock's.
        """
        instant = utc(instant, "instant")
        if instant < self._now:
            raise InvalidInput(
                Code.ARGUMENT_INVALID,
                f"The clock reads {self._now.isoformat()} and cannot go back to "
                f"{instant.isoformat()}.",
                "instant",
            )
        self._now = instant

    def advance(self, by: dt.timedelta) -> dt.datetime:
        """Move the clock forward by ``by`` and return the new instant."""
        self.set(self._now + by)
        return self._now
