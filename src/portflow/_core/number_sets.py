"""The numbers of one port order: single numbers and DDI blocks of one country.

Overlap detection sorts the entries by (length, prefix) once and sweeps them
with a stack, O(n log n) in the number of entries whatever the blocks' sizes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TypeAlias

import attrs

from portflow._core.blocks import NumberBlock, parse_block
from portflow._core.errors import Code, InvalidInput, Violation, raise_if_errors
from portflow._core.numbers import PhoneNumber, parse_number
from portflow._core.profiles import CountryProfile, profile_for

Entry: TypeAlias = PhoneNumber | NumberBlock
"""A porting unit: a single number or a DDI block."""


def entry_text(entry: Entry) -> str:
    """Return the canonical text of a single number or a block."""
    return entry.e164 if isinstance(entry, PhoneNumber) else entry.text


def _sort_key(entry: Entry) -> str:
    # The member length as one leading character, then the prefix: a key starts
    # with another exactly when the two have equal lengths and nested prefixes,
    # and one string per entry sorts about twice as fast as tuples do.
    if isinstance(entry, PhoneNumber):
        return chr(len(entry.e164)) + entry.e164
    return chr(entry.length) + entry.prefix


def find_overlaps(entries: Iterable[Entry]) -> list[tuple[Entry, Entry]]:
    """Return pairs of entries that share at least one number, in O(n log n).

    Two entries overlap when their members have the same length and one prefix
    starts the other. Sorted by (length, prefix), every entry's containers come
    right before it, so a stack of open prefixes finds each overlap in one sweep.
    Each overlapping entry is reported once, with the innermost entry it overlaps.
    """
    listed = list(entries)
    keys = [_sort_key(entry) for entry in listed]
    pairs: list[tuple[Entry, Entry]] = []
    open_keys: list[int] = []
    for index in sorted(range(len(keys)), key=keys.__getitem__):
        key = keys[index]
        while open_keys and not key.startswith(keys[open_keys[-1]]):
            open_keys.pop()
        if open_keys:
            pairs.append((listed[open_keys[-1]], listed[index]))
        open_keys.append(index)
    return pairs


@attrs.frozen(weakref_slot=False)
class NumberSet:
    """Single numbers and blocks of one country, none overlapping another.

    Make one with `parse_numbers`.
    """

    country: str
    """ISO code of the country every number belongs to."""
    singles: tuple[PhoneNumber, ...]
    """The single numbers, in the order given."""
    blocks: tuple[NumberBlock, ...]
    """The DDI blocks, in the order given."""

    @property
    def total(self) -> int:
        """How many numbers the set holds, every block member counted."""
        return len(self.singles) + sum(block.size for block in self.blocks)

    @property
    def entries(self) -> tuple[Entry, ...]:
        """The porting units: the single numbers, then the blocks."""
        return (*self.singles, *self.blocks)

    def __iter__(self) -> Iterator[Entry]:
        """Yield the porting units: the single numbers, then the blocks."""
        return iter(self.entries)

    def __len__(self) -> int:
        """Return the count of porting units (single numbers and blocks)."""
        return len(self.singles) + len(self.blocks)

    def __contains__(self, item: object) -> bool:
        """Whether a number, or every number of a block, is in the set."""
        if not isinstance(item, PhoneNumber | NumberBlock):
            return False
        if item in self.singles:
            return True
        return any(block.contains(item) for block in self.blocks)

    def overlaps(self, entry: Entry) -> bool:
        """Whether any number of the entry is in the set."""
        return any(entry_overlaps(mine, entry) for mine in self.entries)

    def single_limit_violation(self, limit: int) -> Violation | None:
        """Return ``numbers.too_many_singles`` if more than ``limit`` singles are listed."""
        return too_many_singles(len(self.singles), limit)

    def split(self, limit: int) -> tuple[NumberSet, ...]:
        """Split into sets of at most ``limit`` singles each; the blocks stay in the first.

        Every number lands in exactly one part; a set within the limit is returned
        as the only part.
        """
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InvalidInput(
                Code.ARGUMENT_INVALID,
                f"limit must be a whole number of at least 1, got {limit!r}.",
                "limit",
            )
        chunks = [
            self.singles[start : start + limit] for start in range(0, len(self.singles), limit)
        ]
        if not chunks:
            return (self,)
        return tuple(
            NumberSet(self.country, chunk, self.blocks if index == 0 else ())
            for index, chunk in enumerate(chunks)
        )


def entry_overlaps(left: Entry, right: Entry) -> bool:
    """Whether two porting units share a number."""
    if isinstance(left, NumberBlock):
        return left.overlaps(right)
    if isinstance(right, NumberBlock):
        return right.overlaps(left)
    return left == right


def too_many_singles(singles: int, limit: int) -> Violation | None:
    """Return ``numbers.too_many_singles`` if ``singles`` single numbers exceed ``limit``."""
    if singles <= limit:
        return None
    return Violation(
        Code.NUMBERS_TOO_MANY_SINGLES,
        f"{singles} single numbers are listed; one port order takes at most "
        f"{limit} (blocks do not count). Split the request into a port group.",
        "numbers",
    )


def parse_entry(item: object, profile: CountryProfile) -> Entry:
    """Parse one single number or block of a port order.

    Raises:
        InvalidInput: ``number.invalid`` and the block codes.
    """
    if isinstance(item, PhoneNumber | NumberBlock):
        return item
    if not isinstance(item, str):
        raise InvalidInput(
            Code.NUMBER_INVALID,
            f"{item!r} is not a number: expected text or a parsed number or block, "
            f"got {type(item).__name__}.",
            "numbers",
        )
    if "x" in item.lower():
        return parse_block(item, profile)
    return parse_number(item, profile)


def parse_numbers(items: Iterable[str | Entry], country: str | CountryProfile) -> NumberSet:
    """Parse the numbers of one port order: single numbers and ``x``-wildcard blocks.

    Text with an ``x`` is read as a block, other text as a single number; parsed
    numbers and blocks are taken as they are. Every item is checked and every
    problem reported at once. The single-number limit is not checked here, since
    an oversized set can still be split into a port group (see
    `NumberSet.split`).

    Raises:
        ValidationFailed: with ``number.invalid``, ``block.*``,
            ``numbers.country_mismatch``, ``numbers.overlap`` or ``numbers.empty``
            violations, each naming its item.
        InvalidInput: ``country.unknown`` for an unknown country;
            ``argument.invalid`` for one text, or anything else that is not a
            list of numbers and blocks.
    """
    profile = profile_for(country)
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            f"Expected a list of numbers and blocks, got {type(items).__name__} {items!r}.",
            "numbers",
        )
    violations: list[Violation] = []
    entries: list[Entry] = []
    for index, item in enumerate(items):
        try:
            entry = parse_entry(item, profile)
        except InvalidInput as error:
            violations.append(attrs.evolve(error.violation, field=f"numbers[{index}]"))
            continue
        if entry.country != profile.country:
            violations.append(
                Violation(
                    Code.NUMBERS_COUNTRY_MISMATCH,
                    f"{entry_text(entry)} (item {index + 1}) is a number of {entry.country}; "
                    f"this order takes numbers of {profile.country} only.",
                    f"numbers[{index}]",
                )
            )
        entries.append(entry)
    if not entries and not violations:
        violations.append(
            Violation(Code.NUMBERS_EMPTY, "No number was given; list at least one.", "numbers")
        )
    if len(entries) > 1:  # one unit overlaps nothing
        violations.extend(_overlap_violations(entries))
    raise_if_errors(violations)
    return NumberSet(
        profile.country,
        tuple(e for e in entries if isinstance(e, PhoneNumber)),
        tuple(e for e in entries if isinstance(e, NumberBlock)),
    )


def _overlap_violations(entries: Sequence[Entry]) -> Iterator[Violation]:
    for first, second in find_overlaps(entries):
        what = "is listed twice" if first == second else "overlaps"
        yield Violation(
            Code.NUMBERS_OVERLAP,
            f"{entry_text(second)} {what}"
            + ("" if first == second else f" {entry_text(first)}")
            + "; list every number once.",
            "numbers",
        )
