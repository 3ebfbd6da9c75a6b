"""Subscribers, who may sign for them and who may order for them: SPEC 5, seeds 002, 003.

Seed 002 asks the reseller to check the commercial register (zefix in CH) for
who may sign for a company, and whether alone (Einzelunterschrift) or jointly
(Kollektivunterschrift); a port fails without a valid signature. Seed 003 lets
only the account owner, or a user with the account permission, buy a
subscription in the customer's self-service.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable, Iterator

import attrs
from email_validator import EmailNotValidError, validate_email

from portflow._core.errors import (
    Code,
    InvalidInput,
    Violation,
    checked_instance,
    checked_text,
    member_of,
)
from portflow._core.numbers import PhoneNumber, parse_number
from portflow._core.profiles import CountryProfile


class SigningRight(enum.StrEnum):
    """How a registered signatory may sign for the company."""

    SINGLE = "single"
    """Einzelunterschrift: signs alone."""
    COLLECTIVE = "collective"
    """Kollektivunterschrift: signs jointly with a second signatory."""


class CustomerKind(enum.StrEnum):
    """Whether the subscriber is a company or a private person."""

    BUSINESS = "business"
    PRIVATE = "private"


def _signing_right(value: object) -> SigningRight:
    return member_of(SigningRight, value, "right")


@attrs.frozen(weakref_slot=False)
class Signatory:
    """A person the commercial register names as entitled to sign for the company."""

    name: str
    right: SigningRight = attrs.field(converter=_signing_right)


def _signatories(signatories: Iterable[Signatory]) -> tuple[Signatory, ...]:
    return tuple(signatories)


def _customer_kind(value: object) -> CustomerKind:
    return member_of(CustomerKind, value, "kind")


@attrs.frozen(weakref_slot=False)
class Subscriber:
    """The customer whose numbers move: a company with its signatories, or a person."""

    name: str
    """Company name, or the private person's full name."""
    kind: CustomerKind = attrs.field(
        default=CustomerKind.BUSINESS,
        converter=_customer_kind,
    )
    address: str = ""
    city: str = ""
    contact_person: str = ""
    billing_email: str = ""
    phone: str = ""
    signatories: tuple[Signatory, ...] = attrs.field(default=(), converter=_signatories)
    """Who may sign for a company, as the commercial register says."""


_BUSINESS_FIELDS = ("name", "address", "city", "contact_person", "billing_email", "phone")
_PRINTED_FIELDS = ("name", "address", "city", "contact_person")
# Unicode's control characters (C0, DEL, C1) and its line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def subscriber_violations(subscriber: Subscriber, profile: CountryProfile) -> Iterator[Violation]:
    """Yield every missing or malformed field of a subscriber (SPEC 5, seed 002 checklist).

    A company needs its name, address and city, a contact person, a billing
    e-mail and a phone number; a private person needs a name and one way to be
    reached (e-mail, postal address or phone), so that every notification of
    SPEC 9 has somewhere to go. The names and the postal address go onto
    letters and into texts, so a control character or a line break in one
    (SPEC 5's malformed field) is ``customer.missing_field`` too.
    """
    required = _BUSINESS_FIELDS if subscriber.kind is CustomerKind.BUSINESS else ("name",)
    missing = [name for name in required if not str(getattr(subscriber, name)).strip()]
    for name in missing:
        yield Violation(
            Code.CUSTOMER_MISSING_FIELD,
            f"The subscriber's {name.replace('_', ' ')} is missing; seed 002's "
            "checklist needs company name, address and city, contact person, "
            "billing e-mail and phone.",
            f"subscriber.{name}",
        )
    printed = [
        (
            f"subscriber.{name}",
            f"The subscriber's {name.replace('_', ' ')}",
            getattr(subscriber, name),
        )
        for name in _PRINTED_FIELDS
        if name not in missing
    ]
    printed.extend(
        (f"subscriber.signatories[{index}].name", "A signatory's name", signatory.name)
        for index, signatory in enumerate(subscriber.signatories)
    )
    for field, what, text in printed:
        if (control := _CONTROL.search(text)) is not None:
            yield Violation(
                Code.CUSTOMER_MISSING_FIELD,
                f"{what} {text!r} holds the control character {control.group()!r}; write "
                "it on one line, without control characters: letters and texts print it.",
                field,
            )
    reachable = (subscriber.billing_email, subscriber.address, subscriber.phone)
    if subscriber.kind is CustomerKind.PRIVATE and not any(part.strip() for part in reachable):
        yield Violation(
            Code.CUSTOMER_MISSING_FIELD,
            "The private subscriber gave no way to be reached; give an e-mail "
            "address, a postal address or a phone number.",
            "subscriber.contact",
        )
    if subscriber.billing_email.strip():
        yield from email_violations(subscriber.billing_email, "subscriber.billing_email")
    if subscriber.phone.strip():
        try:
            _contact_number(subscriber.phone, profile)
        except InvalidInput as error:
            yield attrs.evolve(error.violation, field="subscriber.phone")


@functools.lru_cache(maxsize=4096)
def _email_problem(address: str) -> str | None:
    # A customer's orders repeat the same addresses; checking each once is enough.
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        return str(error)
    return None


def email_violations(address: str, field: str) -> Iterator[Violation]:
    """Yield ``customer.invalid_email`` when ``address`` is not an e-mail address."""
    problem = _email_problem(address)
    if problem is not None:
        yield Violation(
            Code.CUSTOMER_INVALID_EMAIL, f"{address!r} is not an e-mail address: {problem}", field
        )


@functools.lru_cache(maxsize=4096)
def _contact_number(text: str, profile: CountryProfile) -> PhoneNumber:
    return parse_number(text, profile)


def contact_number(subscriber: Subscriber, profile: CountryProfile) -> PhoneNumber | None:
    """Return the subscriber's phone, or ``None`` when missing or invalid."""
    if not subscriber.phone.strip():
        return None
    try:
        return _contact_number(subscriber.phone, profile)
    except InvalidInput:
        return None


def authorization_violations(
    subscriber: Subscriber, signers: tuple[str, ...]
) -> Iterator[Violation]:
    """Yield why a letter of authorization signed by ``signers`` is not valid, if it is not.

    Valid is one registered signatory with the ``single`` right, or two distinct
    ones with the ``collective`` right; a private person signs for themself.
    """
    names = tuple(dict.fromkeys(name.strip() for name in signers if name.strip()))
    if not names:
        yield Violation(
            Code.AUTH_MISSING,
            "Nobody signed the letter of authorization; a port needs the subscriber's signature.",
            "signers",
        )
        return
    if subscriber.kind is CustomerKind.PRIVATE:
        for name in names:
            if name != subscriber.name.strip():
                yield _unknown_signatory(name, f"the private subscriber {subscriber.name!r}")
        return
    registered = {signatory.name.strip(): signatory.right for signatory in subscriber.signatories}
    rights = []
    for name in names:
        right = registered.get(name)
        if right is None:
            yield _unknown_signatory(name, "the registered signatories")
        else:
            rights.append(right)
    # Whatever the unknown names turn out to be, the registered ones alone must suffice.
    if rights and SigningRight.SINGLE not in rights and len(rights) < 2:
        signer = next(name for name in names if name in registered)
        yield Violation(
            Code.AUTH_INSUFFICIENT_SIGNATURES,
            f"{signer} has collective signing right only (Kollektivunterschrift); "
            "a second registered signatory must sign as well.",
            "signers",
        )


def _unknown_signatory(name: str, among: str) -> Violation:
    return Violation(
        Code.AUTH_UNKNOWN_SIGNATORY,
        f"{name!r} signed but is not among {among}; check the commercial register "
        "(zefix in CH) for who may sign.",
        "signers",
    )


def _name(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    checked_text(value, attribute.name)


def _flag(_instance: object, attribute: attrs.Attribute[bool], value: object) -> None:
    checked_instance(value, bool, attribute.name)


@attrs.frozen(weakref_slot=False)
class Orderer:
    """The customer's user who placed an order in self-service (seed 003).

    Only the account owner (kontoägare) or a user with the account permission
    (behörigheten Konto) may buy a subscription; a port request naming another
    user is refused with ``auth.forbidden``. A request placed by the reseller or
    the provider names no orderer: the letter of authorization is its authority.

    The rights are taken as given: the carrier sets them from its own account
    records when the user orders.
    """

    name: str = attrs.field(validator=_name)
    account_owner: bool = attrs.field(default=False, validator=_flag, kw_only=True)
    """Whether the user owns the customer's account."""
    account_permission: bool = attrs.field(default=False, validator=_flag, kw_only=True)
    """Whether the user holds the account permission, which allows buying subscriptions."""

    @property
    def may_order(self) -> bool:
        """Whether the user may buy a subscription for the customer."""
        return self.account_owner or self.account_permission


def purchase_violations(orderer: Orderer | None) -> Iterator[Violation]:
    """Yield ``auth.forbidden`` when the orderer may not buy a subscription (seed 003)."""
    if orderer is None or orderer.may_order:
        return
    yield Violation(
        Code.AUTH_FORBIDDEN,
        f"{orderer.name.strip()} may not order a subscription for the customer: only the account "
        "owner or a user with the account permission may. Have one of them place the "
        "order, or give the user the account permission.",
        "orderer",
    )
