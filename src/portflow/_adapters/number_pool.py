"""An in-memory number inventory: temporary numbers drawn from the carrier's own ranges."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable

import phonenumbers

from portflow._core.blocks import NumberBlock
from portflow._core.errors import Code, InvalidInput, InventoryExhausted
from portflow._core.number_sets import Entry, entry_text, find_overlaps
from portflow._core.numbers import PhoneNumber, number_of
from portflow._core.profiles import normalise_country
from portflow._core.temporaries import TemporaryNumber, TemporaryStatus

_DEFAULT_WILDCARDS = 6


def _is_mobile(number: PhoneNumber) -> bool:
    """Whether the numbering plan's mobile pattern covers the number.

    One regular expression of the country's metadata: ``PhoneNumber.type``
    tries every type of line in turn and costs twenty times more, on every
    reservation.
    """
    pattern = _mobile_pattern(number.country)
    national = number.e164[_national_start(number.country) :]
    return pattern is not None and pattern.fullmatch(national) is not None


@functools.cache
def _national_start(country: str) -> int:
    """Return where the national number starts in an E.164 text of the country."""
    return len(str(phonenumbers.country_code_for_region(country))) + 1


@functools.cache
def _mobile_pattern(country: str) -> re.Pattern[str] | None:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(country)
    mobile = metadata.mobile if metadata is not None else None
    if mobile is None or mobile.national_number_pattern is None:
        return None
    return re.compile(mobile.national_number_pattern)


@functools.cache
def _country_ranges(code: str, wildcards: int) -> tuple[NumberBlock, ...]:
    examples = [
        phonenumbers.example_number_for_type(code, kind)
        for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE)
    ]
    found = [example for example in examples if example is not None]
    if not found and (fallback := phonenumbers.example_number(code)) is not None:
        found = [fallback]
    if not found:
        raise InvalidInput(
            Code.COUNTRY_UNKNOWN, f"phonenumbers has no example number of {code}.", "country"
        )
    ranges: list[NumberBlock] = []
    for example in found:
        block = _widest_valid_block(example, code, wildcards)
        # Where fixed and mobile numbers look alike (+1), both examples give one range.
        if not find_overlaps([*ranges, block]):
            ranges.append(block)
    return tuple(ranges)


def _widest_valid_block(
    example: phonenumbers.PhoneNumber, code: str, wildcards: int
) -> NumberBlock:
    e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    shortest_prefix = len(str(example.country_code)) + 2
    for count in range(min(wildcards, len(e164) - shortest_prefix), 0, -1):
        block = NumberBlock(e164[:-count], count, code)
        if all(number_of(f"{block.prefix}{tail}", code) for tail in _probes(count)):
            return block
    raise InvalidInput(
        Code.ARGUMENT_INVALID,
        f"No block of the last {wildcards} digits of {code}'s example number {e164} holds "
        "only valid numbers; give the pool its ranges.",
        "country",
    )


def _probes(wildcards: int) -> list[str]:
    """Return the wildcard digits checked: all of a small block, else each hundredth's ends."""
    if wildcards <= 2:
        return [f"{tail:0{wildcards}d}" for tail in range(10**wildcards)]
    rest = wildcards - 2
    return [f"{head:02d}{digit * rest}" for head in range(100) for digit in "09"]


class MemoryNumberPool:
    """Hands out temporary numbers and blocks from ranges, and tracks their status.

    Units are taken in ascending order and never handed out twice: an ended
    temporary number stays retired, as operators quarantine numbers before
    they reuse them. A block is taken aligned, so ``+4121234xx`` and not
    ``+412123405`` to ``+412123504``. A mobile number gets a mobile temporary
    number when the pool has a mobile range of its country (seed 000: the
    customer calls with it from the new SIM), any other unit one from the other
    ranges; a pool without such a range serves every unit from what it has.
    """

    def __init__(self, ranges: Iterable[NumberBlock]) -> None:
        """Draw from the given blocks, first to last.

        Raises:
            InvalidInput: ``argument.invalid`` when no range is given, or when two
                ranges share a number (it could be handed out twice).
        """
        self._ranges = tuple(ranges)
        if not self._ranges:
            raise InvalidInput(
                Code.ARGUMENT_INVALID, "A number pool needs at least one range.", "ranges"
            )
        shared = find_overlaps(self._ranges)
        if shared:
            pairs = "; ".join(f"{entry_text(a)} and {entry_text(b)}" for a, b in shared)
            raise InvalidInput(
                Code.ARGUMENT_INVALID,
                f"The ranges of a number pool may not share numbers: {pairs}.",
                "ranges",
            )
        self._cursors = [0] * len(self._ranges)
        self._lock = threading.Lock()
        self._mobile = [_is_mobile(pool.first) for pool in self._ranges]
        # The ranges that serve a country's mobile or other units, worked out once.
        self._chosen: dict[tuple[str, bool], list[int]] = {}
        self.status: dict[str, TemporaryStatus] = {}
        """The status of every unit handed out, by its canonical text."""
        self.serving: dict[str, str] = {}
        """The order each unit handed out was reserved for, by its canonical text."""

    @classmethod
    def for_country(cls, country: str, wildcards: int = _DEFAULT_WILDCARDS) -> MemoryNumberPool:
        """Return a pool of the country's numbers around its example fixed and mobile numbers.

        Each range is the widest block of at most ``wildcards`` last digits of an
        example number whose numbers are valid numbers of the country, checked
        at the first and the last number of every hundredth of the block (its
        first two wildcard digits): ``+41212xxxxxx`` for CH. A block always
        keeps the country code and one more digit fixed.

        Raises:
            InvalidInput: ``country.unknown`` for an unknown country, or one without
                example numbers; ``argument.invalid`` when no block of one of them
                holds only valid numbers.
        """
        return cls(_country_ranges(normalise_country(country), wildcards))

    @property
    def ranges(self) -> tuple[NumberBlock, ...]:
        """The blocks the pool draws from, first to last."""
        return self._ranges

    def resume(self, temporaries: Iterable[tuple[str, TemporaryNumber]]) -> None:
        """Take over the units earlier runs handed out, as ``(order id, temporary)`` pairs.

        Their statuses are restored and every range continues after the highest
        unit taken from it, so a restarted process never hands a unit out twice.
        """
        with self._lock:
            for order_id, temporary in temporaries:
                text = entry_text(temporary.number)
                self.status[text] = temporary.status
                self.serving[text] = order_id
                self._skip_past(temporary.number)

    def _skip_past(self, unit: Entry) -> None:
        prefix, wildcards = (
            (unit.e164, 0) if isinstance(unit, PhoneNumber) else (unit.prefix, unit.wildcards)
        )
        for index, pool in enumerate(self._ranges):
            inside = len(prefix) + wildcards == pool.length and prefix.startswith(pool.prefix)
            if pool.country == unit.country and inside:
                offset = int(prefix[len(pool.prefix) :] or "0") * 10**wildcards
                self._cursors[index] = max(self._cursors[index], offset + 10**wildcards)

    def reserve(self, order_id: str, like: Entry) -> Entry:
        """Reserve the next free number, or block of ``like``'s size, of ``like``'s country.

        Several engines in threads of one process may share the pool: one
        reservation at a time moves its ranges on.

        Raises:
            InventoryExhausted: when no range of the country has one left.
        """
        with self._lock:
            wanted = 0 if isinstance(like, PhoneNumber) else like.wildcards
            for index in self._ranges_for(like):
                pool = self._ranges[index]
                if pool.wildcards < wanted:
                    continue
                step = 10**wanted
                start = -(-self._cursors[index] // step) * step  # aligned up
                if start + step > pool.size:
                    continue
                self._cursors[index] = start + step
                unit = self._unit(pool, start, wanted)
                self.status[entry_text(unit)] = TemporaryStatus.RESERVED
                self.serving[entry_text(unit)] = order_id
                return unit
            missing = "number" if wanted == 0 else f"block of {10**wanted:,} numbers"
            raise InventoryExhausted(
                f"No temporary {missing} of {like.country} is free for order {order_id}; "
                "add a range to the inventory."
            )

    def _ranges_for(self, like: Entry) -> list[int]:
        """Return the indexes of the ranges that may serve ``like``: those of its kind.

        A pool whose ranges of the country are all of one kind serves any unit from them.
        """
        mobile = isinstance(like, PhoneNumber) and _is_mobile(like)
        chosen = self._chosen.get((like.country, mobile))
        if chosen is None:
            own = [i for i, pool in enumerate(self._ranges) if pool.country == like.country]
            kinds = {self._mobile[i] for i in own}
            chosen = own if len(kinds) < 2 else [i for i in own if self._mobile[i] is mobile]
            self._chosen[like.country, mobile] = chosen
        return chosen

    @staticmethod
    def _unit(pool: NumberBlock, offset: int, wildcards: int) -> Entry:
        fixed = pool.wildcards - wildcards
        digits = f"{offset // 10**wildcards:0{fixed}d}" if fixed else ""
        if wildcards == 0:
            return PhoneNumber(pool.prefix + digits, pool.country)
        return NumberBlock(pool.prefix + digits, wildcards, pool.country)

    def activate(self, number: Entry) -> None:
        """Mark a reserved unit active."""
        self._move(number, TemporaryStatus.ACTIVE)

    def deactivate(self, number: Entry) -> None:
        """Mark a unit deactivated."""
        self._move(number, TemporaryStatus.DEACTIVATED)

    def promote(self, number: Entry) -> None:
        """Mark a unit promoted to a permanent number of the customer."""
        self._move(number, TemporaryStatus.PROMOTED)

    def _move(self, number: Entry, status: TemporaryStatus) -> None:
        text = entry_text(number)
        if text not in self.status:
            raise InvalidInput(
                Code.ARGUMENT_INVALID, f"{text} was never handed out by this pool.", "number"
            )
        self.status[text] = status
