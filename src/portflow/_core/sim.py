"""The SIM card of a mobile subscription: a physical card's ICC, or an eSIM.

Seed 003 (mobile subscription order, SE): "Ange SIM ICC (20 siffror, finns på
baksidan av kortet) eller välj eSIM och följ instruktionerna" -- enter the SIM
ICC (20 digits, printed on the back of the card) or choose eSIM.

SPEC 13 (and 8, mobile in-porting): a SIM is an ICC of 20 digits whose last
digit is a Luhn check digit over the first 19 (ITU-T E.118), or an eSIM. The
ICC is typed as printed, so spaces and hyphens between digit groups are
removed; anything else is refused with ``sim.invalid_icc`` (SPEC 11: the
message names the input and says what would be accepted).
"""

from __future__ import annotations

import attrs
from stdnum import luhn

from portflow._core.errors import Code, InvalidInput

ICC_LENGTH = 20
"""How many digits an ICC has, its check digit included (seed 003)."""

_FIELD = "sim"
_DIGITS = frozenset("0123456789")
_SEPARATORS = str.maketrans("", "", " -")
_ACCEPTED = (
    f"an ICC is {ICC_LENGTH} digits, as printed on the back of the SIM card, "
    "optionally grouped with spaces or hyphens"
)


def parse_icc(text: object) -> str:
    """Return the SIM card's ICC as its 20 digits, separators removed.

    The ICC (ICCID) is read as printed on the back of the card: 20 digits,
    optionally grouped with spaces or hyphens, the last digit being the Luhn
    check digit over the first 19 (ITU-T E.118).

    Args:
        text: The ICC as entered, for example ``"8946 2000 0000 0000 0006"``.

    Returns:
        The 20 digits of the ICC, without separators.

    Raises:
        InvalidInput: ``sim.invalid_icc`` (field ``sim``) when ``text`` is not a
            string, does not hold exactly 20 digits once spaces and hyphens are
            removed, holds anything but digits (ASCII ``0``-``9``), or ends in
            a wrong check digit.
    """
    if not isinstance(text, str):
        raise _invalid(
            f"The SIM ICC must be text, got {type(text).__name__} {text!r}; {_ACCEPTED}."
        )
    digits = text.translate(_SEPARATORS)
    strays = sorted(set(digits) - _DIGITS)
    if strays:
        shown = ", ".join(repr(char) for char in strays)
        what = "which is not a digit" if len(strays) == 1 else "which are not digits"
        raise _invalid(f"The SIM ICC {text!r} contains {shown}, {what}; {_ACCEPTED}.")
    if len(digits) != ICC_LENGTH:
        raise _invalid(f"The SIM ICC {text!r} has {len(digits)} digits; {_ACCEPTED}.")
    body, check = digits[:-1], digits[-1]
    expected = luhn.calc_check_digit(body)
    if check != expected:
        raise _invalid(
            f"The SIM ICC {text!r} ends in check digit {check}, but the Luhn check digit "
            f"of its first {ICC_LENGTH - 1} digits is {expected}; check the digits against "
            "the back of the card."
        )
    return digits


def _invalid(message: str) -> InvalidInput:
    return InvalidInput(Code.SIM_INVALID_ICC, message, _FIELD)


def _icc_or_esim(value: object) -> str | None:
    return None if value is None else parse_icc(value)


@attrs.frozen(weakref_slot=False)
class SimCard:
    """The SIM card of a mobile subscription: a physical card with its ICC, or an eSIM.

    Every ``SimCard`` is valid: the constructor normalizes the ICC with
    `parse_icc`, so ``SimCard("8946-2000-0000-0000-0006")`` stores the 20 digits
    and an invalid ICC raises.

    Attributes:
        icc: The 20 digits of the card's ICC, or ``None`` for an eSIM.
    """

    icc: str | None = attrs.field(converter=_icc_or_esim)

    @classmethod
    def physical(cls, icc: str) -> SimCard:
        """Return a physical SIM card with the ICC printed on its back.

        Args:
            icc: The ICC as entered; spaces and hyphens between digits are removed.

        Returns:
            The card, holding the ICC's 20 digits.

        Raises:
            InvalidInput: ``sim.invalid_icc`` when the ICC is not valid (see `parse_icc`).
        """
        return cls(parse_icc(icc))

    @classmethod
    def esim(cls) -> SimCard:
        """Return an eSIM, which has no ICC to enter (seed 003: "välj eSIM").

        Returns:
            The eSIM.
        """
        return cls(None)

    @property
    def is_esim(self) -> bool:
        """Whether this is an eSIM rather than a physical card."""
        return self.icc is None

    def __str__(self) -> str:
        """Return ``eSIM``, or ``SIM`` followed by the ICC's 20 digits."""
        return "eSIM" if self.icc is None else f"SIM {self.icc}"
