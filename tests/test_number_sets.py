"""The numbers of one port order: SPEC 1.3, seed 002 (at most 10 single numbers)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portflow import (
    Code,
    InvalidInput,
    NumberBlock,
    PhoneNumber,
    ValidationFailed,
    find_overlaps,
    parse_block,
    parse_number,
    parse_numbers,
)
from portflow.testing import strategies as pst


def singles(count: int) -> list[str]:
    """Return ``count`` distinct Zurich numbers as typed by a reseller."""
    return [f"04412340{index:02d}" for index in range(count)]


def test_a_set_holds_singles_and_blocks_and_counts_every_number():
    """SPEC 1.3: singles and blocks; total counts every block member."""
    numbers = parse_numbers(["0441234567", "04412346xx", "0441235xxx"], "CH")
    assert [n.e164 for n in numbers.singles] == ["+41441234567"]
    assert [b.text for b in numbers.blocks] == ["+414412346xx", "+41441235xxx"]
    assert numbers.total == 1 + 100 + 1000
    assert len(numbers) == 3
    assert parse_number("0441235123", "CH") in numbers
    assert parse_number("0441239123", "CH") not in numbers


def test_an_empty_set_is_refused():
    """SPEC 1.3: at least one number -> numbers.empty."""
    with pytest.raises(ValidationFailed) as raised:
        parse_numbers([], "CH")
    assert raised.value.codes == {Code.NUMBERS_EMPTY}


def test_numbers_of_another_country_are_refused_by_item():
    """SPEC 1.3: all numbers of the order's country -> numbers.country_mismatch."""
    with pytest.raises(ValidationFailed) as raised:
        parse_numbers(["0441234567", "+46701234567"], "CH")
    (violation,) = raised.value.violations
    assert violation.code == Code.NUMBERS_COUNTRY_MISMATCH
    assert violation.field == "numbers[1]"
    assert "+46701234567" in violation.message


@pytest.mark.parametrize(
    ("items", "named"),
    [
        (["0441234567", "+41 44 123 45 67"], ("+41441234567",)),
        (["0441234567", "04412345xx"], ("+41441234567", "+414412345xx")),
        (["0441234xxx", "04412345xx"], ("+41441234xxx", "+414412345xx")),
        (["04412345xx", "04412345XX"], ("+414412345xx",)),
    ],
)
def test_duplicates_nested_numbers_and_overlapping_blocks_are_refused(items, named):
    """SPEC 1.3: duplicates, a single inside a block, overlapping blocks -> numbers.overlap."""
    with pytest.raises(ValidationFailed) as raised:
        parse_numbers(items, "CH")
    (violation,) = raised.value.violations
    assert violation.code == Code.NUMBERS_OVERLAP
    for text in named:
        assert text in violation.message


def test_adjacent_blocks_and_neighbouring_numbers_are_accepted():
    """SPEC 1.3: only a shared number is an overlap."""
    numbers = parse_numbers(["04412345xx", "04412346xx", "0441234700"], "CH")
    assert numbers.total == 201


def test_every_violation_is_reported_at_once():
    """SPEC 11: validation reports all violations, each naming its item."""
    with pytest.raises(ValidationFailed) as raised:
        parse_numbers(["abc", "1234567", "0441x34567", "044123xxxx", "+4722123456", None], "CH")
    assert [v.code for v in raised.value.violations] == [
        Code.NUMBER_INVALID,
        Code.NUMBER_INVALID,
        Code.BLOCK_WILDCARD_NOT_TRAILING,
        Code.BLOCK_TOO_LARGE,
        Code.NUMBERS_COUNTRY_MISMATCH,
        Code.NUMBER_INVALID,
    ]
    assert [v.field for v in raised.value.violations] == [f"numbers[{i}]" for i in range(6)]


def test_ten_single_numbers_are_within_the_limit():
    """SPEC 1.3, seed 002: 10 single numbers fit one port order."""
    numbers = parse_numbers(singles(10), "CH")
    assert numbers.single_limit_violation(10) is None
    assert numbers.split(10) == (numbers,)


def test_the_eleventh_single_number_breaks_the_limit_with_its_count():
    """SPEC 1.3, seed 002: 'Mehr als 10 Einzelnummern pro Portierung ...' -> too_many_singles."""
    numbers = parse_numbers(singles(11), "CH")
    violation = numbers.single_limit_violation(10)
    assert violation is not None
    assert violation.code == Code.NUMBERS_TOO_MANY_SINGLES
    assert "11" in violation.message


def test_blocks_do_not_count_toward_the_single_number_limit():
    """SPEC 1.3: blocks do not count toward the limit."""
    numbers = parse_numbers([*singles(10), "04412346xx", "04412347xx"], "CH")
    assert numbers.single_limit_violation(10) is None


def test_eleven_singles_split_into_a_group_of_two_with_the_blocks_in_the_first():
    """SPEC 1.3: the further numbers go to a further order of the same port group."""
    numbers = parse_numbers([*singles(11), "04412346xx"], "CH")
    first, second = numbers.split(10)
    assert len(first.singles) == 10
    assert first.blocks == numbers.blocks
    assert second.singles == numbers.singles[10:]
    assert second.blocks == ()


@pytest.mark.parametrize("limit", [0, -1, 2.5, "3", True])
def test_a_split_limit_that_is_not_a_count_of_at_least_one_is_refused(limit):
    """A port order takes at least one number, and numbers are counted whole."""
    with pytest.raises(InvalidInput) as raised:
        parse_numbers(singles(3), "CH").split(limit)
    assert raised.value.code == Code.ARGUMENT_INVALID


@given(pst.countries().flatmap(lambda c: pst.number_sets(c, max_singles=35)), st.integers(1, 12))
def test_a_split_keeps_every_number_exactly_once_within_the_limit(numbers, limit):
    """SPEC 1.3: the split loses nothing, duplicates nothing and respects the limit."""
    parts = numbers.split(limit)
    assert all(part.single_limit_violation(limit) is None for part in parts)
    assert all(len(part.singles) >= 1 or part.blocks for part in parts)
    listed = [entry for part in parts for entry in part]
    assert sorted(map(str, listed)) == sorted(map(str, numbers))
    assert sum(part.total for part in parts) == numbers.total
    assert {part.country for part in parts} == {numbers.country}


@given(pst.countries().flatmap(pst.number_sets))
def test_a_drawn_set_parses_again_from_its_canonical_texts(numbers):
    """SPEC 1.2/1.3: the canonical text forms parse back to the same set."""
    again = parse_numbers([str(entry) for entry in numbers], numbers.country)
    assert again == numbers


def _naive_overlaps(entries):
    found = set()
    for i, left in enumerate(entries):
        for right in entries[i + 1 :]:
            if {n.e164 for n in _members(left)} & {n.e164 for n in _members(right)}:
                found.add(frozenset((str(left), str(right))))
    return found


def _members(entry):
    return [entry] if isinstance(entry, PhoneNumber) else list(entry)


entries_near_each_other = st.lists(
    st.one_of(
        st.integers(0, 299).map(lambda i: PhoneNumber(f"+41441234{i:03d}", "CH")),
        st.tuples(st.integers(0, 29), st.integers(1, 2)).map(
            lambda t: NumberBlock(f"+41441234{t[0]:02d}"[: 12 - t[1]], t[1], "CH")
        ),
    ),
    max_size=12,
)


@given(entries_near_each_other)
def test_the_sweep_finds_an_overlap_exactly_when_enumeration_does(entries):
    """SPEC 1.3: O(n log n) overlap detection agrees with comparing every member."""
    pairs = find_overlaps(entries)
    overlapping = {str(entry) for pair in pairs for entry in pair}
    naive = _naive_overlaps(entries)
    assert overlapping == {text for pair in naive for text in pair}
    assert bool(pairs) == bool(naive)


def test_parsed_numbers_and_blocks_are_taken_as_they_are():
    """parse_numbers accepts already parsed values next to text."""
    number = parse_number("0441234567", "CH")
    block = parse_block("04412346xx", "CH")
    numbers = parse_numbers([number, block, "0441234568"], "CH")
    assert numbers.singles == (number, parse_number("0441234568", "CH"))
    assert numbers.blocks == (block,)


@pytest.mark.parametrize("items", [None, "0441234567", 42, b"0441234567"])
def test_something_other_than_a_list_is_refused_with_a_code(items):
    """SPEC 11: a single string is not a list of numbers; no foreign exception escapes.

    It is the argument that is wrong, not a number in it: ``argument.invalid``.
    """
    with pytest.raises(InvalidInput) as raised:
        parse_numbers(items, "CH")
    assert raised.value.code == Code.ARGUMENT_INVALID
    assert raised.value.field == "numbers"
    assert repr(items) in raised.value.message
