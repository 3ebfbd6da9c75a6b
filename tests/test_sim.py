"""The SIM card of a mobile subscription: SPEC 13 and 8, seed 003.

Seed 003 (SE): "Ange SIM ICC (20 siffror, finns på baksidan av kortet) eller välj
eSIM" -- the ICC has 20 digits, the last a Luhn check digit (ITU-T E.118).
"""

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from portflow._core.errors import Code, InvalidInput, PortflowError
from portflow._core.sim import SimCard, parse_icc

DIGITS = "0123456789"
BODIES = [
    "8946200000000000000",
    "8946071234567890123",
    "8901260123456789012",
    "0000000000000000000",
    "9999999999999999999",
]

bodies = st.text(alphabet=DIGITS, min_size=19, max_size=19)


def icc(body):
    """Return the body followed by its Luhn check digit."""
    return body + luhn.calc_check_digit(body)


def invalid(text):
    """Return the InvalidInput that parse_icc raises for the text."""
    with pytest.raises(InvalidInput) as caught:
        parse_icc(text)
    return caught.value


def assert_sim_error(error):
    """The error carries the stable code and names the sim field."""
    assert error.code is Code.SIM_INVALID_ICC
    assert error.code == "sim.invalid_icc"
    assert error.field == "sim"
    assert error.violation.code is Code.SIM_INVALID_ICC
    assert error.violation.field == "sim"


# --- Valid ICCs ---------------------------------------------------------------------------


@pytest.mark.parametrize("body", BODIES)
def test_twenty_digits_with_their_luhn_check_digit_parse_to_themselves(body):
    """SPEC 13: an ICC is 20 digits, the last one the Luhn check digit of the first 19."""
    assert parse_icc(icc(body)) == icc(body)


def test_a_known_icc_parses():
    """A worked example: the Luhn check digit of 8946200000000000000 is 6."""
    assert parse_icc("89462000000000000006") == "89462000000000000006"


@pytest.mark.parametrize(
    "printed",
    [
        "8946 2000 0000 0000 0006",
        "8946-2000-0000-0000-0006",
        "89 46 20 00 00 00 00 00 00 06",
        "8946 - 2000 - 0000 - 0000 - 0006",
        " 89462000000000000006 ",
        "89462000000000000006-",
        "8-9-4-6-2-0-0-0-0-0-0-0-0-0-0-0-0-0-0-6",
    ],
)
def test_spaces_and_hyphens_are_removed(printed):
    """The ICC is typed as printed on the card, often grouped; separators are dropped."""
    assert parse_icc(printed) == "89462000000000000006"


@given(bodies)
def test_every_body_with_its_check_digit_parses_back_to_itself(body):
    """Any 19 digits followed by their Luhn check digit form a valid ICC."""
    assert parse_icc(icc(body)) == icc(body)


@given(bodies, st.data())
def test_separators_anywhere_do_not_change_the_icc(body, data):
    """Spaces and hyphens may stand between, before or after any digits."""
    separators = st.text(alphabet=" -", max_size=3)
    pieces = [data.draw(separators)]
    for digit in icc(body):
        pieces.extend([digit, data.draw(separators)])
    assert parse_icc("".join(pieces)) == icc(body)


# --- Invalid ICCs -------------------------------------------------------------------------


@pytest.mark.parametrize("length", [0, 1, 18, 19, 21, 22, 40])
def test_only_exactly_twenty_digits_are_accepted(length):
    """The 19- and 21-digit neighbours fail even with a valid Luhn check digit."""
    text = icc("8" * (length - 1)) if length else ""
    assert luhn.is_valid(text) or not text
    error = invalid(text)
    assert_sim_error(error)
    assert f"has {length} digits" in error.message
    assert "20 digits" in error.message
    assert repr(text) in error.message


def test_the_digit_count_ignores_separators():
    """A grouped 19-digit ICC reports the 19 digits it holds, not its characters."""
    error = invalid("8946 2000 0000 0000 000")
    assert "has 19 digits" in error.message


@pytest.mark.parametrize(
    ("text", "stray"),
    [
        ("8946200000000000000A", "'A'"),
        ("8946200000000000000a", "'a'"),
        ("89462000000000000006F", "'F'"),  # a trailing filler nibble as some readers show it
        ("8946.2000.0000.0000.0006", "'.'"),
        ("8946/2000/0000/0000/0006", "'/'"),
        ("8946\t2000000000000006", "'\\t'"),
        ("89462000000000000006\n", "'\\n'"),
        ("+89462000000000000006", "'+'"),
        ("8946200000000000000\u0666", "'\u0666'"),  # an Arabic-Indic six: a digit, not ASCII
        ("8946200000000000000\uff16", "'\uff16'"),  # a fullwidth six
        ("\u00b2" * 20, "'\u00b2'"),  # superscript two: str.isdigit() says yes
        ("ICC", "'C', 'I'"),
    ],
)
def test_anything_but_digits_spaces_and_hyphens_is_refused(text, stray):
    """Only ASCII digits count; the message names the characters that are not."""
    error = invalid(text)
    assert_sim_error(error)
    assert stray in error.message
    assert "not a digit" in error.message or "not digits" in error.message
    assert repr(text) in error.message


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("wrong", list(DIGITS))
def test_every_wrong_check_digit_is_refused_and_the_right_one_named(body, wrong):
    """Of the ten possible last digits only the Luhn one is accepted; the message names it."""
    expected = luhn.calc_check_digit(body)
    if wrong == expected:
        assert parse_icc(body + wrong) == body + wrong
        return
    error = invalid(body + wrong)
    assert_sim_error(error)
    assert f"check digit {wrong}" in error.message
    assert error.message.find(f"is {expected};") > 0
    assert repr(body + wrong) in error.message


@given(bodies, st.integers(min_value=0, max_value=19), st.integers(min_value=1, max_value=9))
def test_changing_any_single_digit_makes_a_valid_icc_invalid(body, position, shift):
    """Luhn detects every single-digit error, whichever digit is mistyped."""
    valid = icc(body)
    changed = str((int(valid[position]) + shift) % 10)
    mistyped = valid[:position] + changed + valid[position + 1 :]
    assert mistyped != valid
    error = invalid(mistyped)
    assert_sim_error(error)
    assert "check digit" in error.message


@pytest.mark.parametrize(
    "value",
    [None, 89462000000000000006, 8.9e19, b"89462000000000000006", ["8946"], True, object()],
)
def test_anything_but_a_string_is_refused(value):
    """An ICC is text: a number would drop leading zeros, bytes have no digits."""
    error = invalid(value)
    assert_sim_error(error)
    assert "must be text" in error.message
    assert type(value).__name__ in error.message


def test_the_error_is_a_portflow_value_error():
    """SPEC 11: the error is a PortflowError and, as bad input, a ValueError."""
    error = invalid("123")
    assert isinstance(error, PortflowError)
    assert isinstance(error, ValueError)


# --- SimCard ------------------------------------------------------------------------------


def test_a_physical_card_keeps_the_normalized_icc():
    """SimCard.physical stores the 20 digits without the separators as typed."""
    card = SimCard.physical("8946 2000 0000 0000 0006")
    assert card.icc == "89462000000000000006"
    assert not card.is_esim
    assert card == SimCard.physical("8946-2000-0000-0000-0006")
    assert str(card) == "SIM 89462000000000000006"


def test_an_esim_has_no_icc():
    """Seed 003: instead of an ICC the customer may choose eSIM."""
    card = SimCard.esim()
    assert card.icc is None
    assert card.is_esim
    assert card == SimCard(None)
    assert card != SimCard.physical("89462000000000000006")
    assert str(card) == "eSIM"


@pytest.mark.parametrize(
    "value", ["8946200000000000000", "89462000000000000007", "8946A000000000000006", 1]
)
def test_the_constructor_validates_too(value):
    """No invalid SimCard can exist: SimCard(icc=...) runs parse_icc."""
    with pytest.raises(InvalidInput) as caught:
        SimCard(icc=value)
    assert_sim_error(caught.value)


@pytest.mark.parametrize("value", ["89462000000000000007", "123", 42])
def test_physical_refuses_invalid_iccs(value):
    """SimCard.physical raises the same error as parse_icc."""
    with pytest.raises(InvalidInput) as caught:
        SimCard.physical(value)
    assert_sim_error(caught.value)
    assert caught.value.message == invalid(value).message


def test_physical_refuses_none():
    """None means eSIM only through SimCard.esim(); physical needs an ICC."""
    with pytest.raises(InvalidInput) as caught:
        SimCard.physical(None)
    assert_sim_error(caught.value)


def test_the_constructor_normalizes_like_physical():
    """SimCard(icc=...) stores the same 20 digits as SimCard.physical."""
    assert SimCard(icc="8946 2000 0000 0000 0006") == SimCard.physical("89462000000000000006")


def test_a_card_is_frozen_and_cannot_be_made_invalid():
    """The value is immutable; evolve re-runs the converter."""
    card = SimCard.physical("89462000000000000006")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        card.icc = "0"
    with pytest.raises(InvalidInput):
        attrs.evolve(card, icc="89462000000000000007")
    assert attrs.evolve(card, icc=None).is_esim
    assert hash(card) == hash(SimCard.physical("8946-2000-0000-0000-0006"))


@given(bodies)
def test_any_valid_icc_makes_a_physical_card_that_round_trips(body):
    """A card rebuilt from its stored ICC equals the original."""
    card = SimCard.physical(icc(body))
    assert card.icc == icc(body)
    assert SimCard(card.icc) == card
