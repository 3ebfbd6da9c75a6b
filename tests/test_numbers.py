"""Single numbers: SPEC 1.1, seed 002 (numbers entered with the national prefix)."""

import phonenumbers
import pytest
from hypothesis import given

from portflow import Code, InvalidInput, NumberType, PhoneNumber, parse_block, parse_number
from portflow._core.numbers import example_texts
from portflow._core.profiles import _known_countries
from portflow.testing import strategies as pst


@pytest.mark.parametrize(
    ("text", "country", "e164"),
    [
        ("0441234567", "CH", "+41441234567"),
        ("044 123 45 67", "CH", "+41441234567"),
        ("044-123-45-67", "CH", "+41441234567"),
        ("044.123.45.67", "CH", "+41441234567"),
        ("044/123 45 67", "CH", "+41441234567"),
        ("(044) 123 45 67", "CH", "+41441234567"),
        ("+41 44 123 45 67", "CH", "+41441234567"),
        ("0041441234567", "CH", "+41441234567"),
        ("0701234567", "SE", "+46701234567"),
        ("070-123 45 67", "SE", "+46701234567"),
        ("22123456", "NO", "+4722123456"),
        ("+47 22 12 34 56", "NO", "+4722123456"),
    ],
)
def test_national_and_international_spellings_normalise_to_e164(text, country, e164):
    """SPEC 1.1: national (with prefix) and international forms, separators stripped."""
    number = parse_number(text, country)
    assert number.e164 == e164
    assert number.country == country


def test_a_number_without_area_code_is_invalid_and_named():
    """SPEC 1.1: 1234567 in CH has no area code and is rejected, naming the input."""
    with pytest.raises(InvalidInput) as raised:
        parse_number("1234567", "CH")
    assert raised.value.code == Code.NUMBER_INVALID
    assert "'1234567'" in str(raised.value)


@pytest.mark.parametrize(
    "text",
    ["0800-FLOWERS", "044 123 45 67 x12", "044 123 45 67 ext 12", "٠٤٤١٢٣٤٥٦٧", "+41+441234567"],
)
def test_letters_extensions_and_foreign_digits_are_refused_not_interpreted(text):
    """SPEC 1.1 (decision): vanity letters and extensions are refused, never read."""
    with pytest.raises(InvalidInput) as raised:
        parse_number(text, "CH")
    assert raised.value.code == Code.NUMBER_INVALID


def test_equality_and_hashing_use_the_e164_form():
    """SPEC 1.1: the canonical form is E.164; equality and hashing use it."""
    national = parse_number("044 123 45 67", "CH")
    international = parse_number("+41441234567", "SE")
    assert national == international
    assert len({national, international}) == 1
    assert str(national) == "+41441234567"


def test_an_international_number_keeps_its_own_country():
    """SPEC 1.1/1.3: +46 read with CH as the default is still a Swedish number."""
    assert parse_number("+46 70 123 45 67", "CH").country == "SE"


@pytest.mark.parametrize(
    ("text", "country", "kind"),
    [
        ("0441234567", "CH", NumberType.FIXED_LINE),
        ("0781234567", "CH", NumberType.MOBILE),
        ("0800123456", "CH", NumberType.TOLL_FREE),
        ("0701234567", "SE", NumberType.MOBILE),
        ("22123456", "NO", NumberType.FIXED_LINE),
    ],
)
def test_the_number_type_comes_from_the_numbering_plan(text, country, kind):
    """SPEC 1.1: fixed line, mobile, toll-free ... are known from phonenumbers."""
    assert parse_number(text, country).type is kind


def test_national_format_is_the_way_people_of_the_country_write_it():
    """A number prints nationally for letters and SMS texts."""
    assert parse_number("+41441234567", "CH").national == "044 123 45 67"


@given(pst.countries().flatmap(pst.number_texts))
def test_every_spelling_of_a_number_parses_to_that_number(case):
    """SPEC 1.1: separators and prefixes never change which number is meant."""
    text, expected = case
    number = parse_number(text, expected.country)
    assert number == expected
    assert number.country == expected.country


@given(pst.countries().flatmap(pst.phone_numbers))
def test_the_e164_form_round_trips_and_agrees_with_phonenumbers(number):
    """SPEC 1.1: parsing the canonical form gives the same number, valid by phonenumbers."""
    assert parse_number(number.e164, number.country) == number
    parsed = phonenumbers.parse(number.e164)
    assert phonenumbers.is_valid_number_for_region(parsed, number.country)


@given(pst.malformed_inputs(), pst.countries())
def test_malformed_input_raises_a_coded_error_never_another_exception(text, country):
    """SPEC 11: empty, letters, emoji, 40 digits, None and wrong types fail with a code."""
    with pytest.raises(InvalidInput) as raised:
        parse_number(text, country)
    assert raised.value.code == Code.NUMBER_INVALID
    assert raised.value.field == "number"


@pytest.mark.parametrize("country", ["XX", "", None, 41, "Switzerland"])
def test_an_unknown_country_is_refused_with_its_own_code(country):
    """A country must have number metadata and a holiday calendar."""
    with pytest.raises(InvalidInput) as raised:
        parse_number("0441234567", country)
    assert raised.value.code == Code.COUNTRY_UNKNOWN


def test_numbers_sort_by_their_e164_form():
    """Numbers order like their canonical text, for stable listings."""
    texts = ["0441234569", "0441234567", "0441234568"]
    ordered = sorted(parse_number(text, "CH") for text in texts)
    assert [number.e164 for number in ordered] == sorted(f"+41{t[1:]}" for t in texts)


def test_a_phone_number_is_a_frozen_value():
    """Domain values are immutable."""
    number = parse_number("0441234567", "CH")
    with pytest.raises(AttributeError):
        number.e164 = "+41441234568"  # type: ignore[misc]
    assert isinstance(number, PhoneNumber)


@pytest.mark.parametrize("text", ["044 123 45 67\n", " 044 123 45 67 ", "\t+41 44 123 45 67\r\n"])
def test_blanks_around_a_number_are_read_past(text):
    """SPEC 1.1: text pasted from a sheet or a form often ends in a newline."""
    assert parse_number(text, "CH").e164 == "+41441234567"


@pytest.mark.parametrize(
    "text", ["\u2003044 123 45 67", "\x1c0441234567", "044 123\n45 67", "044 123 45 67\u00a0"]
)
def test_unicode_blanks_and_control_characters_are_refused(text):
    """SPEC 1.1: digits, a leading + and the usual separators, nothing else."""
    with pytest.raises(InvalidInput) as raised:
        parse_number(text, "CH")
    assert raised.value.code == Code.NUMBER_INVALID


def test_a_block_is_read_past_blanks_around_it_too():
    """A block pasted with a trailing newline is the block, not a misplaced wildcard."""
    assert parse_block("04412345xx\n", "CH") == parse_block("04412345xx", "CH")


def test_blanks_around_a_number_do_not_count_toward_its_length():
    """The 40-character limit is on the number's text, as for a block."""
    assert parse_number(" " * 30 + "044 123 45 67" + " " * 30, "CH").e164 == "+41441234567"


@pytest.mark.parametrize("text", ["04412345xx\u00a0", "04412345xx\x1c", "\u200304412345xx"])
def test_a_block_with_a_unicode_blank_or_control_character_is_an_invalid_number(text):
    """Not a misplaced wildcard: the text holds a character no number has."""
    with pytest.raises(InvalidInput) as raised:
        parse_block(text, "CH")
    assert raised.value.code == Code.NUMBER_INVALID


def test_a_number_too_long_is_told_the_limit():
    """SPEC 11: the message says what would be accepted: at most 40 characters."""
    with pytest.raises(InvalidInput) as raised:
        parse_number("044 123 45 67".ljust(41, "-"), "CH")
    assert "at most 40 characters" in raised.value.message


@pytest.mark.parametrize(
    ("call", "names"),
    [
        (lambda: parse_number("+46 70 123", "CH"), "of SE (+46)"),
        (lambda: parse_block("+4670123456xx", "CH"), "of SE (+46)"),
        (lambda: parse_number("+1 201 555", "CH"), "of US (+1)"),
        (lambda: parse_number("1234567", "CH"), "of CH:"),
        (lambda: parse_number("123", "CA"), "of CA:"),
        (lambda: parse_number("+882 1234", "CH"), "with the calling code +882:"),
    ],
    ids=[
        "swedish-number-in-ch",
        "swedish-block-in-ch",
        "nanp-number-in-ch",
        "ch-number",
        "a-country-sharing-its-calling-code",
        "non-geographic-code",
    ],
)
def test_an_invalid_international_number_is_named_as_a_number_of_its_calling_code(call, names):
    """SPEC 11: the message names the country the text claims, not the one it was read in."""
    with pytest.raises(InvalidInput) as raised:
        call()
    assert raised.value.code is Code.NUMBER_INVALID
    assert names in raised.value.message


@pytest.mark.parametrize("country", sorted(_known_countries()))
def test_a_refusal_shows_valid_numbers_of_the_country_it_was_read_in(country):
    """SPEC 11: what would be accepted is shown with numbers of the country, in every form named.

    The international forms are E.164 and the country's own prefix for dialling
    abroad (00, 011, ...), where that prefix reads back as the same number.
    """
    with pytest.raises(InvalidInput) as raised:
        parse_number("12", country)
    national, international = example_texts(country)
    assert f"(such as {national} in {country})" in raised.value.message
    assert f"international one ({' or '.join(international)})" in raised.value.message
    for text in (national, *international):
        assert parse_number(text, country).country == country


def test_a_non_geographic_number_is_refused_as_belonging_to_no_country():
    """SPEC 1.1: a port order moves numbers of a country; +800 freephone is nobody's."""
    with pytest.raises(InvalidInput) as raised:
        parse_number("+800 1234 5678", "CH")
    assert raised.value.code is Code.NUMBER_INVALID
    assert "non-geographic" in raised.value.message


@pytest.mark.parametrize("text", ["0800 BOX", "+41 44 123 45 67 ext. 12"])
def test_letters_other_than_a_blocks_wildcards_are_not_sent_to_parse_block(text):
    """SPEC 11: only a text ending in x's looks like a block; an extension or a word does not."""
    with pytest.raises(InvalidInput) as raised:
        parse_number(text, "CH")
    assert "parse_block" not in raised.value.message


def test_a_number_with_wildcards_is_pointed_to_parse_block():
    """SPEC 1.2: an x is a block's wildcard; parse_number says where blocks are read."""
    with pytest.raises(InvalidInput) as raised:
        parse_number("04412345xx", "CH")
    assert raised.value.code is Code.NUMBER_INVALID
    assert "parse_block" in raised.value.message
    assert parse_block("04412345xx", "CH").size == 100


def test_a_refusal_by_phonenumbers_reads_without_its_error_kind():
    """SPEC 11: phonenumbers' own reason is passed on without its "(0)" prefix."""
    with pytest.raises(InvalidInput) as raised:
        parse_number("+999 1234", "CH")
    assert "(0)" not in raised.value.message
    assert "Could not interpret numbers after plus-sign. Expected" in raised.value.message
