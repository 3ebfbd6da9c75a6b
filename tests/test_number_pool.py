"""The in-memory number inventory: temporary units of the carrier's own ranges (SPEC 7).

Every unit is handed out at most once, blocks come aligned and of the size
asked for, and a mobile number gets a mobile temporary number (seed 000).
"""

import sys
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portflow import (
    Code,
    InvalidInput,
    InventoryExhausted,
    MemoryNumberPool,
    NumberBlock,
    PhoneNumber,
    TemporaryNumber,
    TemporaryStatus,
)
from portflow._core.number_sets import entry_text
from portflow._core.numbers import parse_number
from portflow._core.profiles import _known_countries

SWISS_FIXED = PhoneNumber("+41441234560", "CH")
SWISS_MOBILE = PhoneNumber("+41791234567", "CH")
SWISS_BLOCK = NumberBlock("+414412345", 2, "CH")


def test_units_are_handed_out_in_ascending_order_and_blocks_aligned():
    """SPEC 7: one unit per porting unit; a block of equal size, aligned on its size."""
    pool = MemoryNumberPool([NumberBlock("+41212345", 3, "CH")])
    first = pool.reserve("PO-1", SWISS_FIXED)
    block = pool.reserve("PO-1", SWISS_BLOCK)
    second = pool.reserve("PO-2", SWISS_FIXED)
    assert first == PhoneNumber("+41212345000", "CH")
    assert block == NumberBlock("+412123451", 2, "CH")
    assert second == PhoneNumber("+41212345200", "CH")
    assert pool.serving == {
        "+41212345000": "PO-1",
        "+412123451xx": "PO-1",
        "+41212345200": "PO-2",
    }
    assert set(pool.status.values()) == {TemporaryStatus.RESERVED}


def test_a_full_range_is_reported_as_exhausted():
    """SPEC 11: ``inventory.exhausted`` names the size that is missing."""
    pool = MemoryNumberPool([NumberBlock("+4121234567", 1, "CH")])
    for _ in range(10):
        pool.reserve("PO-1", SWISS_FIXED)
    with pytest.raises(InventoryExhausted) as exhausted:
        pool.reserve("PO-2", SWISS_FIXED)
    assert exhausted.value.code == Code.INVENTORY_EXHAUSTED
    assert str(exhausted.value).startswith("No temporary number of CH is free for order PO-2;")
    with pytest.raises(InventoryExhausted) as exhausted:
        pool.reserve("PO-3", SWISS_BLOCK)
    assert str(exhausted.value).startswith(
        "No temporary block of 100 numbers of CH is free for order PO-3;"
    )


def test_a_mobile_number_gets_a_mobile_unit_and_a_fixed_one_a_fixed_unit():
    """Seed 000: the temporary number works on the new SIM, so it is a mobile number."""
    pool = MemoryNumberPool.for_country("CH")
    assert pool.reserve("PO-1", SWISS_MOBILE).e164.startswith("+4178")
    assert pool.reserve("PO-1", SWISS_FIXED).e164.startswith("+4121")


def test_a_mobile_range_that_runs_out_does_not_fall_back_to_fixed_numbers():
    """Seed 000: a fixed-line temporary number would not work on the SIM; exhausted instead."""
    pool = MemoryNumberPool(
        [NumberBlock("+4121234567", 1, "CH"), NumberBlock("+4178123456", 1, "CH")]
    )
    for _ in range(10):
        pool.reserve("PO-1", SWISS_MOBILE)
    with pytest.raises(InventoryExhausted):
        pool.reserve("PO-2", SWISS_MOBILE)
    assert pool.reserve("PO-2", SWISS_FIXED) == PhoneNumber("+41212345670", "CH")


@pytest.mark.parametrize(("country", "number"), [("US", "+12015550123"), ("CA", "+15062345678")])
def test_where_fixed_and_mobile_numbers_look_alike_each_unit_is_handed_out_once(country, number):
    """SPEC 7: +1 fixed and mobile examples are one range; no unit is handed out twice.

    With one wildcard the range holds 10 numbers: the 11th request finds none
    rather than the first number again.
    """
    pool = MemoryNumberPool.for_country(country, wildcards=1)
    like = PhoneNumber(number, country)
    units = [entry_text(pool.reserve(f"PO-{i}", like)) for i in range(10)]
    assert len(set(units)) == 10
    with pytest.raises(InventoryExhausted):
        pool.reserve("PO-10", like)


def test_ranges_that_share_numbers_are_refused():
    """SPEC 7: a pool whose ranges overlap could hand one number to two orders."""
    with pytest.raises(InvalidInput) as refused:
        MemoryNumberPool([NumberBlock("+41212345", 3, "CH"), NumberBlock("+412123456", 2, "CH")])
    assert (refused.value.code, refused.value.field) == (Code.ARGUMENT_INVALID, "ranges")
    assert "+41212345xxx and +412123456xx" in str(refused.value)


def test_a_pool_without_ranges_is_refused():
    """SPEC 11: argument.invalid, named."""
    with pytest.raises(InvalidInput) as refused:
        MemoryNumberPool([])
    assert refused.value.field == "ranges"


def test_a_restarted_pool_continues_after_the_units_handed_out_before():
    """SPEC 7: a restarted process never hands a unit out twice; statuses are restored."""
    before = MemoryNumberPool.for_country("CH")
    handed = [
        (f"PO-{i}", TemporaryNumber(before.reserve(f"PO-{i}", like), like))
        for i, like in enumerate([SWISS_FIXED, SWISS_BLOCK, SWISS_MOBILE, SWISS_FIXED])
    ]
    before.deactivate(handed[0][1].number)
    after = MemoryNumberPool.for_country("CH")
    after.resume(
        (order_id, TemporaryNumber(t.number, t.stands_for, before.status[entry_text(t.number)]))
        for order_id, t in handed
    )
    assert after.status == before.status
    assert after.serving == before.serving
    for like in (SWISS_FIXED, SWISS_BLOCK, SWISS_MOBILE):
        assert after.reserve("PO-9", like) == before.reserve("PO-9", like)


def test_only_a_unit_handed_out_changes_status():
    """SPEC 11: the pool refuses to move a number it never handed out."""
    pool = MemoryNumberPool.for_country("CH")
    with pytest.raises(InvalidInput) as refused:
        pool.activate(SWISS_FIXED)
    assert refused.value.code == Code.ARGUMENT_INVALID


@given(sizes=st.lists(st.integers(0, 2), min_size=1, max_size=40))
def test_no_unit_shares_a_number_with_another(sizes):
    """SPEC 7 as a property: whatever sizes are asked for, no two units overlap."""
    pool = MemoryNumberPool([NumberBlock("+41212345", 3, "CH")])
    members: list[str] = []
    for wildcards in sizes:
        like = (
            SWISS_FIXED
            if wildcards == 0
            else NumberBlock("+41441234" + "4" * (3 - wildcards), wildcards, "CH")
        )
        try:
            unit = pool.reserve("PO-1", like)
        except InventoryExhausted:
            continue
        if isinstance(unit, PhoneNumber):
            members.append(unit.e164)
        else:
            members.extend(f"{unit.prefix}{i:0{unit.wildcards}d}" for i in range(unit.size))
    assert len(members) == len(set(members))


KNOWN_COUNTRIES = sorted(_known_countries())


@pytest.mark.parametrize("country", KNOWN_COUNTRIES)
def test_every_countrys_pool_hands_out_valid_numbers_of_the_country(country):
    """SPEC 7: a temporary number is a working number, so phonenumbers must accept it.

    In every country the engine runs in, the first units the pool hands out
    for a number of each of its ranges parse as numbers of the country; the
    property test below checks numbers anywhere inside the ranges.
    """
    pool = MemoryNumberPool.for_country(country)
    for block in pool.ranges:
        for order in range(3):
            unit = pool.reserve(f"PO-{order}", block.first)
            assert parse_number(unit.e164, country).country == country


@given(data=st.data())
def test_any_number_of_a_countrys_pool_is_a_valid_number_of_it(data):
    """SPEC 7: every number a generic country's pool may hand out parses as one of its own."""
    country = data.draw(st.sampled_from(KNOWN_COUNTRIES), label="country")
    block = data.draw(st.sampled_from(MemoryNumberPool.for_country(country).ranges))
    tail = data.draw(st.integers(0, 10**block.wildcards - 1), label="tail")
    number = parse_number(f"{block.prefix}{tail:0{block.wildcards}d}", country)
    assert number.country == country


@pytest.mark.parametrize("country", ["CH", "SE", "NO"])
def test_the_first_class_pools_keep_ranges_of_a_million_numbers(country):
    """SPEC 7: checking validity does not narrow the ranges of the countries portflow knows best."""
    assert [block.wildcards for block in MemoryNumberPool.for_country(country).ranges] == [6, 6]


def test_engines_in_threads_sharing_one_pool_never_get_one_unit_twice():
    """SPEC 7 and 10: workers in threads of one process share the pool; each unit goes once."""
    pool = MemoryNumberPool.for_country("CH")
    barrier = threading.Barrier(8)
    taken: list[list[str]] = [[] for _ in range(8)]

    def reserve(worker: int) -> None:
        barrier.wait()
        for order in range(500):
            unit = pool.reserve(f"PO-{worker}-{order}", SWISS_FIXED)
            taken[worker].append(entry_text(unit))

    threads = [threading.Thread(target=reserve, args=(worker,)) for worker in range(8)]
    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns often, as on a busy machine
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switching)
    units = [unit for worker in taken for unit in worker]
    assert len(units) == len(set(units)) == 4_000
    assert len(pool.serving) == 4_000
