"""Which live order holds which numbers: SPEC 1.3, ``numbers.already_in_port``.

A live order holds each of its porting units under the unit's canonical text
(``+41441234567``, ``+414412346xx``). Whether a new unit overlaps a held one is
then a look-up of a few keys, which any store answers with an index: the unit
itself, every block of the same length that would contain it, and, for a
block, every smaller unit inside it (1,117 keys for a Swiss block of 1,000 numbers).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from typing import TypeAlias

from portflow._core.errors import Code, Violation
from portflow._core.number_sets import Entry, NumberSet, entry_text, find_overlaps
from portflow._core.numbers import PhoneNumber


def held_keys(numbers: Iterable[Entry], *, live: bool) -> tuple[str, ...]:
    """Return the keys a live order holds its units under; none when it is not live."""
    if not live:
        return ()
    if isinstance(numbers, NumberSet):  # what stores pass: an order's numbers, read directly
        singles = [single.e164 for single in numbers.singles]
        return (*singles, *[block.text for block in numbers.blocks])
    return tuple([entry_text(entry) for entry in numbers])


def overlap_keys(entry: Entry) -> Iterator[str]:
    """Yield every held key that would share a number with ``entry``."""
    if isinstance(entry, PhoneNumber):
        prefix, wildcards = entry.e164, 0
    else:
        prefix, wildcards = entry.prefix, entry.wildcards
    # "+" and the first digit of the country code never vary.
    for cut in range(len(prefix) - 2):
        yield prefix[: len(prefix) - cut] + "x" * (wildcards + cut)
    for fixed in range(1, wildcards + 1):
        for digits in range(10**fixed):
            yield f"{prefix}{digits:0{fixed}d}" + "x" * (wildcards - fixed)


HeldBy: TypeAlias = Callable[[list[str]], Mapping[str, str]]
"""Answers which live order holds each of the given keys (see `overlap_keys`)."""


def clashes(
    order_id: str, entries: Sequence[Entry], held_by: HeldBy, *, besides: Collection[str] = ()
) -> list[Violation]:
    """Return ``numbers.already_in_port`` for each unit that shares a number with a held one.

    ``held_by`` answers for the overlap keys of ``entries``; units held by
    ``order_id`` itself or by an order of ``besides`` (saved together with it)
    are no clash.
    """
    keys = [key for entry in entries for key in overlap_keys(entry)]
    holders = held_by(keys)
    if besides:
        holders = {key: holder for key, holder in holders.items() if holder not in besides}
    return already_in_port(order_id, entries, holders)


def clashes_within(units: Mapping[str, Sequence[Entry]]) -> list[Violation]:
    """Return ``numbers.already_in_port`` for units of two orders saved together that overlap.

    ``units`` maps each live order of one save to its units; an order's own
    units never overlap (its number set is checked when it is built).
    """
    owners = {id(entry): order_id for order_id, entries in units.items() for entry in entries}
    return [
        Violation(
            Code.NUMBERS_ALREADY_IN_PORT,
            f"{entry_text(inner)} of order {owners[id(inner)]} shares numbers with "
            f"{entry_text(outer)} of order {owners[id(outer)]}, saved with it; nothing was saved.",
            "numbers",
        )
        for outer, inner in find_overlaps(entry for entries in units.values() for entry in entries)
        if owners[id(outer)] != owners[id(inner)]
    ]


def already_in_port(
    order_id: str, numbers: Iterable[Entry], holders: Mapping[str, str]
) -> list[Violation]:
    """Return ``numbers.already_in_port`` for each unit a live order other than ``order_id`` holds.

    ``holders`` maps held keys to the order holding them, as a store answers
    for `overlap_keys`.
    """
    violations: list[Violation] = []
    if not holders:  # the usual case: nothing is held, no keys to walk again
        return violations
    for entry in numbers:
        clashes = sorted(
            (key, holder)
            for key in overlap_keys(entry)
            if (holder := holders.get(key, order_id)) != order_id
        )
        violations.extend(
            Violation(
                Code.NUMBERS_ALREADY_IN_PORT,
                f"{entry_text(entry)} is already being ported: {key} is in the live order "
                f"{holder}; cancel that order or wait until it has ended.",
                "numbers",
            )
            for key, holder in clashes
        )
    return violations
