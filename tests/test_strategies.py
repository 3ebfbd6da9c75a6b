"""The hypothesis strategies of `portflow.testing` (SPEC 12): valid values in every country.

Downstream rule suites draw numbers, blocks, number sets and texts of the
countries they serve; each strategy must draw only what the library accepts,
do what its arguments ask, and pass hypothesis's own health checks.
"""

import datetime as dt

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from portflow import InvalidInput, NumberType, parse_block, parse_number, profile_for
from portflow._core.profiles import _known_countries
from portflow.testing import strategies as pst

KNOWN_COUNTRIES = sorted(_known_countries())
A_FEW = settings(max_examples=4, deadline=None)


@pytest.mark.parametrize("country", KNOWN_COUNTRIES)
def test_every_countrys_numbers_blocks_sets_and_texts_are_valid(country):
    """SPEC 12: in every country the engine runs in, what is drawn parses as the country's.

    North America, the Crown dependencies and France's overseas departments share a
    calling code with neighbours, and Vatican numbers sit inside Italy's plan.
    """

    @A_FEW
    @given(
        pst.phone_numbers(country),
        pst.number_blocks(country),
        pst.number_sets(country, max_singles=3, max_blocks=1),
        pst.number_texts(country),
    )
    def drawn_values_are_the_countrys(number, block, number_set, written):
        assert parse_number(number.e164, country) == number
        assert number.country == country
        assert parse_block(block.text, country) == block
        assert {entry.country for entry in number_set} == {country}
        text, meant = written
        assert parse_number(text, country) == meant

    drawn_values_are_the_countrys()


@pytest.mark.parametrize("country", ["CH", "AT", "US", "DK"])
@pytest.mark.parametrize("kind", [NumberType.FIXED_LINE, NumberType.MOBILE])
@A_FEW
@given(data=st.data())
def test_a_number_of_the_type_asked_for_is_drawn(country, kind, data):
    """SPEC 12: mobile means mobile; where the plan does not tell them apart (+1), either."""
    number = data.draw(pst.phone_numbers(country, types=(kind,)))
    assert number.type in {kind, NumberType.FIXED_LINE_OR_MOBILE}


@A_FEW
@given(pst.phone_numbers("CH", types=(NumberType.PAGER, NumberType.TOLL_FREE)))
def test_other_kinds_of_line_the_plan_describes_are_drawn_too(number):
    """SPEC 12: a rule suite about pagers or toll-free numbers draws them."""
    assert number.type in {NumberType.PAGER, NumberType.TOLL_FREE}


@pytest.mark.parametrize(
    "build",
    [
        lambda: pst.phone_numbers("CH", types=(NumberType.UNKNOWN,)),
        lambda: pst.phone_numbers("CH", types=()),
        lambda: pst.phone_numbers("CH", types=(NumberType.VOIP,)),
        lambda: pst.number_blocks("CH", max_wildcards=0),
        lambda: pst.number_blocks("CH", max_wildcards=4),
    ],
    ids=["unknown-type", "no-type", "type-the-plan-lacks", "no-wildcard", "over-the-limit"],
)
def test_an_argument_a_strategy_cannot_honour_is_refused(build):
    """SPEC 12: a strategy refuses what it cannot draw rather than drawing something else."""
    with pytest.raises(InvalidArgument):
        build()


@A_FEW
@given(pst.number_texts("ch"), pst.number_sets("se"), pst.number_blocks("no"))
def test_a_country_code_in_lower_case_is_taken_as_the_library_takes_it(written, numbers, block):
    """SPEC 12: strategies take a country as `profile_for` does, whatever its case."""
    text, number = written
    assert parse_number(text, "CH") == number
    assert {entry.country for entry in numbers} == {"SE"}
    assert block.country == "NO"


@A_FEW
@given(pst.number_blocks("CH", max_wildcards=1))
def test_blocks_have_at_most_the_wildcards_asked_for(block):
    """SPEC 12: ``max_wildcards`` bounds the blocks drawn."""
    assert block.wildcards == 1


@given(pst.malformed_inputs())
def test_no_malformed_input_names_a_country_or_parses_as_a_number(value):
    """SPEC 12: malformed inputs are refused by every parser, the country's included."""
    with pytest.raises(InvalidInput):
        profile_for(value)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        parse_number(value, "CH")  # type: ignore[arg-type]


@given(st.booleans(), st.data())
def test_orderers_are_drawn_with_or_without_the_right_to_order(may_order, data):
    """Seed 003: a suite can draw users who may order and users refused auth.forbidden."""
    orderer = data.draw(pst.orderers(may_order=may_order))
    assert orderer.may_order is may_order


def test_drawn_requests_are_placed_by_the_reseller_or_by_a_user_who_may_order():
    """Rule suites meet both kinds of request; neither is refused (seed 003)."""
    today = dt.date(2026, 11, 23)
    by_reseller = find(pst.port_requests("CH", today=today), lambda r: r.orderer is None)
    in_the_app = find(pst.port_requests("CH", today=today), lambda r: r.orderer is not None)
    assert by_reseller.orderer is None
    assert in_the_app.orderer is not None
    assert in_the_app.orderer.may_order
