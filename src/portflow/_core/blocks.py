"""DDI blocks: runs of direct-dial-in numbers written with trailing ``x`` wildcards.

A block is its E.164 prefix and its count of wildcards, so membership,
containment and overlap are string-prefix arithmetic: a check against a
1,000-number block costs what it costs against a 10-number block.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs

from portflow._core.errors import Code, InvalidInput
from portflow._core.numbers import ASCII_BLANKS, PhoneNumber, parse_number
from portflow._core.profiles import CountryProfile, profile_for

_SEPARATORS = re.compile(r"[ \t\-./()]")


@attrs.frozen(order=True, weakref_slot=False)
class NumberBlock:
    """A block of 10**k numbers sharing an E.164 prefix; ``+414412345xx`` is 100 numbers.

    Make one with `parse_block`.
    """

    prefix: str
    """The E.164 digits the members share, ``+414412345``."""
    wildcards: int
    """How many trailing digits vary (k); the block holds 10**k numbers."""
    country: str = attrs.field(eq=False, order=False)
    """ISO code of the country the block belongs to."""

    @property
    def size(self) -> int:
        """How many numbers the block holds."""
        return int(10**self.wildcards)

    @property
    def text(self) -> str:
        """Canonical text form, E.164 with the wildcards: ``+414412345xx``."""
        return self.prefix + "x" * self.wildcards

    @property
    def first(self) -> PhoneNumber:
        """The lowest member, all wildcards 0."""
        return PhoneNumber(self.prefix + "0" * self.wildcards, self.country)

    @property
    def last(self) -> PhoneNumber:
        """The highest member, all wildcards 9."""
        return PhoneNumber(self.prefix + "9" * self.wildcards, self.country)

    @property
    def length(self) -> int:
        """How many characters each member's E.164 form has, the ``+`` included."""
        return len(self.prefix) + self.wildcards

    def contains(self, other: PhoneNumber | NumberBlock) -> bool:
        """Whether every number of ``other`` (a number or a block) is a member."""
        if isinstance(other, PhoneNumber):
            return len(other.e164) == self.length and other.e164.startswith(self.prefix)
        return other.length == self.length and other.prefix.startswith(self.prefix)

    def overlaps(self, other: PhoneNumber | NumberBlock) -> bool:
        """Whether this block and ``other`` (a number or a block) share a number."""
        if isinstance(other, PhoneNumber):
            return self.contains(other)
        return self.contains(other) or other.contains(self)

    def __contains__(self, item: object) -> bool:
        """Support ``number in block`` and ``block in block``."""
        return isinstance(item, PhoneNumber | NumberBlock) and self.contains(item)

    def __len__(self) -> int:
        """Return the size of the block."""
        return self.size

    def __iter__(self) -> Iterator[PhoneNumber]:
        """Yield the members in ascending order, one at a time."""
        width = self.wildcards
        for suffix in range(self.size):
            yield PhoneNumber(f"{self.prefix}{suffix:0{width}d}", self.country)

    def __str__(self) -> str:
        """Return the canonical text form."""
        return self.text


def _block_error(code: Code, text: str, why: str) -> InvalidInput:
    return InvalidInput(code, f"{text!r} is not a valid number block: {why}.", "block")


_BLOCK_TEXT = re.compile(r"\s*\+?[0-9xX \t\-./()]+\s*", re.ASCII)
"""Digits and x, a leading +, separators, ASCII blanks around: as a number's text."""


def parse_block(text: str, country: str | CountryProfile) -> NumberBlock:
    """Parse a DDI block written as a number whose last digits are ``x`` (either case).

    ``04412345xx`` in CH is ``+41441234500`` to ``+41441234599``. The first and
    the last member must be valid numbers; the interior is not enumerated.

    Raises:
        InvalidInput: ``block.wildcard_not_trailing`` when an ``x`` stands before a
            digit, ``block.no_wildcard`` without any ``x``, ``block.too_large`` with
            more wildcards than the profile allows, ``number.invalid`` when the
            first or last member is not a valid number, ``country.unknown``.
    """
    profile = profile_for(country)
    if not isinstance(text, str):
        raise _block_error(
            Code.NUMBER_INVALID, repr(text), f"expected text, got {type(text).__name__}"
        )
    if not text.strip(ASCII_BLANKS):
        raise _block_error(Code.NUMBER_INVALID, text, "it is empty")
    if not _BLOCK_TEXT.fullmatch(text):
        raise _block_error(
            Code.NUMBER_INVALID,
            text,
            "only digits, x, a leading + and the separators space - . / ( )",
        )
    compact = _SEPARATORS.sub("", text.strip(ASCII_BLANKS)).lower()
    digits = compact.rstrip("x")
    wildcards = len(compact) - len(digits)
    if "x" in digits:
        raise _block_error(
            Code.BLOCK_WILDCARD_NOT_TRAILING,
            text,
            "x may only replace the last digits, as in 04412345xx",
        )
    if wildcards == 0:
        raise _block_error(
            Code.BLOCK_NO_WILDCARD, text, "a block ends in at least one x, as in 04412345xx"
        )
    if wildcards > profile.max_block_wildcards:
        raise _block_error(
            Code.BLOCK_TOO_LARGE,
            text,
            f"{wildcards} wildcards make {10**wildcards:,} numbers; {profile.country} allows "
            f"at most {profile.max_block_wildcards} ({10**profile.max_block_wildcards:,} "
            "numbers)",
        )
    try:
        first = parse_number(digits + "0" * wildcards, profile)
        last = parse_number(digits + "9" * wildcards, profile)
    except InvalidInput as error:
        raise _block_error(Code.NUMBER_INVALID, text, error.message.rstrip(".")) from None
    prefix = first.e164[:-wildcards]
    if last.country != first.country or not last.e164.startswith(prefix):
        raise _block_error(
            Code.NUMBER_INVALID, text, "its first and last members belong to different ranges"
        )
    return NumberBlock(prefix, wildcards, first.country)
