"""Single telephone numbers: parsing, validation and the canonical E.164 form.

Parsing costs one ``phonenumbers.parse`` and one validation against the
expected country; everything else on a `PhoneNumber` (its type, its
national format) is worked out only when asked for.
"""

from __future__ import annotations

import enum
import functools
import re

import attrs
import phonenumbers

from portflow._core.errors import Code, InvalidInput
from portflow._core.profiles import CountryProfile, profile_for

# Digits (ASCII only: phonenumbers would also read other scripts' digits), one
# leading plus and the usual separators. Letters are refused rather than read as
# a vanity number, and "x" rather than read as an extension.
# Digits, a leading +, separators and ASCII blanks around: text pasted from a sheet
# or a form often ends in a newline; a Unicode space or a control character is refused.
_NUMBER_TEXT = re.compile(r"\s*\+?[0-9 \t\-./()]+\s*", re.ASCII)
_MAX_TEXT = 40
_BLOCK_LIKE = re.compile(r"\s*\+?[0-9 \t\-./()]*[0-9][ \t\-./()]*[xX][xX \t\-./()]*\s*", re.ASCII)
"""A number whose last digits are x: a DDI block, for `parse_block`."""
_PARSE_ERROR_KIND = re.compile(r"^\(\d+\)\s*")
"""phonenumbers prefixes its messages with the kind of error, ``(0) ``."""
ASCII_BLANKS = " \t\r\n\f\v"
"""What may surround a number's text, and a block's."""


class NumberType(enum.StrEnum):
    """What kind of line a number is, as the numbering plan says."""

    FIXED_LINE = "fixed_line"
    MOBILE = "mobile"
    FIXED_LINE_OR_MOBILE = "fixed_line_or_mobile"
    TOLL_FREE = "toll_free"
    PREMIUM_RATE = "premium_rate"
    SHARED_COST = "shared_cost"
    VOIP = "voip"
    PERSONAL_NUMBER = "personal_number"
    PAGER = "pager"
    UAN = "uan"
    VOICEMAIL = "voicemail"
    UNKNOWN = "unknown"


_TYPE_OF = {
    phonenumbers.PhoneNumberType.FIXED_LINE: NumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.MOBILE: NumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: NumberType.FIXED_LINE_OR_MOBILE,
    phonenumbers.PhoneNumberType.TOLL_FREE: NumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.PREMIUM_RATE: NumberType.PREMIUM_RATE,
    phonenumbers.PhoneNumberType.SHARED_COST: NumberType.SHARED_COST,
    phonenumbers.PhoneNumberType.VOIP: NumberType.VOIP,
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER: NumberType.PERSONAL_NUMBER,
    phonenumbers.PhoneNumberType.PAGER: NumberType.PAGER,
    phonenumbers.PhoneNumberType.UAN: NumberType.UAN,
    phonenumbers.PhoneNumberType.VOICEMAIL: NumberType.VOICEMAIL,
}


@attrs.frozen(order=True, weakref_slot=False)
class PhoneNumber:
    """A valid telephone number; equal, hashed and ordered by its E.164 form.

    Make one with `parse_number`.
    """

    e164: str
    """Canonical form, ``+41441234567``."""
    country: str = attrs.field(eq=False, order=False)
    """ISO code of the country the number belongs to."""

    @functools.cached_property
    def _parsed(self) -> phonenumbers.PhoneNumber:
        return phonenumbers.parse(self.e164)

    @property
    def type(self) -> NumberType:
        """Fixed line, mobile, VoIP, toll-free, ... as phonenumbers classifies it."""
        return _TYPE_OF.get(phonenumbers.number_type(self._parsed), NumberType.UNKNOWN)

    @property
    def national(self) -> str:
        """The number as people of its country write it, ``044 123 45 67``."""
        return phonenumbers.format_number(self._parsed, phonenumbers.PhoneNumberFormat.NATIONAL)

    def __str__(self) -> str:
        """Return the E.164 form."""
        return self.e164


def _invalid(text: object, country: str, why: str, of: str = "") -> InvalidInput:
    """Return ``number.invalid`` for a text read in ``country``; ``of`` names another owner."""
    national, international = example_texts(country)
    return InvalidInput(
        Code.NUMBER_INVALID,
        f"{text!r} is not a valid telephone number {of or 'of ' + country}: {why}. Expected "
        f"a national number with its prefix (such as {national} in {country}) or an "
        f"international one ({' or '.join(international)}).",
        "number",
    )


@functools.cache
def example_texts(country: str) -> tuple[str, tuple[str, ...]]:
    """Return a valid number of the country as written there: nationally, and internationally.

    The international forms are E.164 and, where the country dials abroad with
    one fixed prefix (00 in most of Europe, 011 in North America) that reads
    back as the same number (in Hong Kong 00852 reads as 008 and 52), that prefix.
    """
    example = phonenumbers.example_number_for_type(
        country, phonenumbers.PhoneNumberType.FIXED_LINE
    ) or phonenumbers.example_number(country)
    if example is None:  # never for a country with a profile: each has number metadata
        return "its national form", ("+ and its calling code",)
    national = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
    e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(country)
    prefixes = (
        []
        if metadata is None
        else [
            metadata.preferred_international_prefix,
            metadata.international_prefix,
        ]
    )
    dialled = next((p for p in prefixes if p is not None and p.isdigit()), None)
    if dialled is None or phonenumbers.parse(f"{dialled}{e164[1:]}", country) != example:
        return national, (e164,)
    return national, (e164, f"{dialled}{e164[1:]}")


def _owner(calling_code: int) -> str:
    """Return how a refusal names the numbers of a calling code not the country's own."""
    owner = phonenumbers.region_code_for_country_code(calling_code)
    if owner in (phonenumbers.UNKNOWN_REGION, phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY):
        return f"with the calling code +{calling_code}"
    return f"of {owner} (+{calling_code})"


def parse_number(text: str, country: str | CountryProfile) -> PhoneNumber:
    """Parse a telephone number written nationally or internationally.

    National numbers are read in ``country``; international ones (``+46…``,
    ``0046…``) keep their own country, which the returned number names. Spaces,
    ``-``, ``.``, ``/`` and parentheses are stripped.

    Raises:
        InvalidInput: ``number.invalid`` for anything that is not a valid number
            of a country (a non-geographic ``+800`` number is of none),
            ``country.unknown`` for an unknown country.
    """
    region = profile_for(country).country
    if not isinstance(text, str):
        raise _invalid(text, region, f"expected text, got {type(text).__name__}")
    trimmed = text.strip(ASCII_BLANKS)
    if not trimmed:
        raise _invalid(text, region, "it is empty")
    if len(trimmed) > _MAX_TEXT:
        raise _invalid(text, region, f"at most {_MAX_TEXT} characters")
    if not _NUMBER_TEXT.fullmatch(text):
        if _BLOCK_LIKE.fullmatch(text):
            why = "x stands for a block's last digits; read a DDI block with parse_block"
        else:
            why = "only digits, a leading + and the separators space - . / ( )"
        raise _invalid(text, region, why)
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise _invalid(text, region, _PARSE_ERROR_KIND.sub("", str(error)).rstrip(".")) from None
    number_country = region
    if not phonenumbers.is_valid_number_for_region(parsed, region):
        if not phonenumbers.is_valid_number(parsed):
            code = parsed.country_code or 0  # parse always sets it
            of = "" if code == phonenumbers.country_code_for_region(region) else _owner(code)
            raise _invalid(text, region, "no number of this length and prefix exists", of)
        number_country = phonenumbers.region_code_for_number(parsed) or region
        if number_country == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY:
            raise _invalid(
                text,
                region,
                f"it is a non-geographic number (+{parsed.country_code}, international "
                "freephone or satellite, say), which belongs to no country's numbering plan",
            )
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return PhoneNumber(e164, number_country)


def number_of(text: str, country: str) -> PhoneNumber | None:
    """Return the number ``text`` writes, or ``None`` unless it is valid and of ``country``.

    A number of a neighbour sharing the calling code (Canada for the US,
    Vatican City for Italy) is not one of the country's.
    """
    try:
        number = parse_number(text, country)
    except InvalidInput:
        return None
    return number if number.country == country else None
