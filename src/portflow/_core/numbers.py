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


def _invalid(text: object, country: str, why: str) -> InvalidInput:
    return InvalidInput(
        Code.NUMBER_INVALID,
        f"{text!r} is not a valid telephone number of {country}: {why}. Expected a "
        "national number with its prefix (such as 0441234567 in CH) or an "
        "international one (+41441234567 or 0041441234567).",
        "number",
    )


def parse_number(text: str, country: str | CountryProfile) -> PhoneNumber:
    """Parse a telephone number written nationally or internationally.

    National numbers are read in ``country``; international ones (``+46…``,
    ``0046…``) keep their own country, which the returned number names. Spaces,
    ``-``, ``.``, ``/`` and parentheses are stripped.

    Raises:
        InvalidInput: ``number.invalid`` for anything that is not a valid number,
            ``country.unknown`` for an unknown country.
    """
    region = profile_for(country).country
    if not isinstance(text, str):
        raise _invalid(text, region, f"expected text, got {type(text).__name__}")
    if len(text.strip(ASCII_BLANKS)) > _MAX_TEXT:
        raise _invalid(text, region, f"at most {_MAX_TEXT} characters")
    if not _NUMBER_TEXT.fullmatch(text):
        raise _invalid(text, region, "only digits, a leading + and the separators space - . / ( )")
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise _invalid(text, region, str(error)) from None
    number_country = region
    if not phonenumbers.is_valid_number_for_region(parsed, region):
        if not phonenumbers.is_valid_number(parsed):
            raise _invalid(text, region, "no number of this length and prefix exists")
        number_country = phonenumbers.region_code_for_number(parsed) or region
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
