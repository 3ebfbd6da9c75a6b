"""DDI blocks with x wildcards: SPEC 1.2, seed 002 (blocks entered shortened, x = 0-9)."""

import attrs
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from portflow import (
    Code,
    InvalidInput,
    NumberBlock,
    PhoneNumber,
    parse_block,
    parse_number,
    profile_for,
)
from portflow.testing import strategies as pst


def test_two_wildcards_make_a_block_of_one_hundred_numbers():
    """SPEC 1.2: 04412345xx is +41441234500 ... +41441234599."""
    block = parse_block("04412345xx", "CH")
    assert block.size == len(block) == 100
    assert block.first == parse_number("+41441234500", "CH")
    assert block.last == parse_number("+41441234599", "CH")
    assert block.text == str(block) == "+414412345xx"


@pytest.mark.parametrize(("text", "size"), [("044123456x", 10), ("0441234xxx", 1000)])
def test_one_and_three_wildcards_are_the_smallest_and_largest_blocks(text, size):
    """SPEC 1.2: k >= 1 and k <= 3 by default (decision)."""
    assert parse_block(text, "CH").size == size


def test_four_wildcards_exceed_the_profile_maximum():
    """SPEC 1.2: at most 3 wildcards (1,000 numbers) by default -> block.too_large."""
    with pytest.raises(InvalidInput) as raised:
        parse_block("044123xxxx", "CH")
    assert raised.value.code == Code.BLOCK_TOO_LARGE
    assert "044123xxxx" in str(raised.value)


def test_a_profile_may_allow_larger_blocks():
    """SPEC 1.2: the maximum is a profile value, not a constant."""
    generous = attrs.evolve(profile_for("CH"), max_block_wildcards=4)
    assert parse_block("044123xxxx", generous).size == 10_000


@pytest.mark.parametrize("text", ["0441x34567", "x441234567", "04412x45xx"])
def test_a_wildcard_before_a_digit_is_refused(text):
    """SPEC 1.2: x may only appear as a trailing run."""
    with pytest.raises(InvalidInput) as raised:
        parse_block(text, "CH")
    assert raised.value.code == Code.BLOCK_WILDCARD_NOT_TRAILING


def test_a_block_without_wildcards_is_refused():
    """SPEC 1.2 (decision): a block has at least one wildcard -> block.no_wildcard."""
    with pytest.raises(InvalidInput) as raised:
        parse_block("0441234567", "CH")
    assert raised.value.code == Code.BLOCK_NO_WILDCARD


def test_wildcards_are_case_insensitive_and_separators_stripped():
    """SPEC 1.2: x in either case; the usual separators are stripped."""
    assert parse_block("044 123 45 XX", "CH") == parse_block("+41 44 123 45 xx", "CH")


def test_first_and_last_members_must_be_valid_numbers():
    """SPEC 1.2: a block whose members are not valid numbers -> number.invalid."""
    with pytest.raises(InvalidInput) as raised:
        parse_block("12345xx", "CH")
    assert raised.value.code == Code.NUMBER_INVALID


def test_membership_is_prefix_and_length_arithmetic():
    """SPEC 1.2: a number is a member when it shares the prefix and the length."""
    block = parse_block("04412345xx", "CH")
    assert parse_number("0441234567", "CH") in block
    assert parse_number("0441234667", "CH") not in block
    assert "+41441234567" not in block  # only parsed numbers are members


def test_nested_blocks_contain_and_overlap_each_other():
    """SPEC 1.2: containment and overlap of blocks."""
    outer = parse_block("0441234xxx", "CH")
    inner = parse_block("04412345xx", "CH")
    assert outer.contains(inner)
    assert inner in outer
    assert not inner.contains(outer)
    assert outer.overlaps(inner)
    assert inner.overlaps(outer)


def test_adjacent_blocks_do_not_overlap():
    """SPEC 1.2: +414412345xx and +414412346xx share no number."""
    left = parse_block("04412345xx", "CH")
    right = parse_block("04412346xx", "CH")
    assert not left.overlaps(right)
    assert not right.overlaps(left)
    assert left.last.e164 == "+41441234599"
    assert right.first.e164 == "+41441234600"


def test_blocks_of_different_number_lengths_never_overlap():
    """SE numbers vary in length: +468123xx and +4681234xx are different ranges."""
    short = NumberBlock("+468123", 2, "SE")
    long = NumberBlock("+4681234", 2, "SE")
    assert not short.overlaps(long)
    assert not long.overlaps(short)


def test_iteration_is_lazy_and_ascending():
    """SPEC 1.2: lazy iteration over the members."""
    members = iter(parse_block("0441234xxx", "CH"))
    assert next(members).e164 == "+41441234000"
    assert next(members).e164 == "+41441234001"
    assert [number.e164 for number in parse_block("044123456x", "CH")] == [
        f"+4144123456{digit}" for digit in range(10)
    ]


small_blocks = pst.countries().flatmap(lambda country: pst.number_blocks(country, max_wildcards=2))


@st.composite
def related_blocks(draw):
    """Draw two blocks near each other: nested, equal, adjacent, or of another length."""
    left = draw(small_blocks)
    total = left.length + draw(st.sampled_from((0, 0, 0, 1, -1)))
    wildcards = draw(st.integers(1, 2))
    kept = draw(st.one_of(st.just(total - wildcards), st.integers(4, total - wildcards)))
    varied = draw(st.text("0123456789", min_size=total, max_size=total))
    stem = (left.prefix + varied)[:kept] + varied[kept:]
    return left, NumberBlock(stem[: total - wildcards], wildcards, left.country)


@given(related_blocks())
def test_overlap_agrees_with_enumeration_and_is_symmetric(pair):
    """SPEC 1.2: for blocks up to 100 members, overlap equals a shared member."""
    left, right = pair
    event("overlap" if left.overlaps(right) else "apart")
    shares = bool({n.e164 for n in left} & {n.e164 for n in right})
    assert left.overlaps(right) == shares == right.overlaps(left)
    assert left.contains(right) == ({n.e164 for n in right} <= {n.e164 for n in left})


@given(small_blocks, st.integers(min_value=-150, max_value=150))
def test_membership_agrees_with_enumeration(block, offset):
    """SPEC 1.2: membership is prefix arithmetic yet agrees with listing the members."""
    candidate = PhoneNumber(f"+{int(block.first.e164[1:]) + offset}", block.country)
    assert (candidate in block) == (candidate in list(block)) == (0 <= offset < block.size)


@given(pst.malformed_inputs(), pst.countries())
def test_malformed_block_input_raises_a_coded_error(text, country):
    """SPEC 11: every parser fails on malformed input with a PortflowError and a code."""
    with pytest.raises(InvalidInput) as raised:
        parse_block(text, country)
    assert raised.value.code in {Code.NUMBER_INVALID, Code.BLOCK_NO_WILDCARD}
