"""Subscribers and signing authority: SPEC 5, seed 002 (zefix, Einzel-/Kollektivunterschrift).

Who may order for the customer in self-service: seed 003 (kontoägare, behörigheten Konto).
"""

import unicodedata

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from portflow import Code, InvalidInput, Orderer, profile_for
from portflow._core.parties import (
    CustomerKind,
    Subscriber,
    authorization_violations,
    purchase_violations,
    subscriber_violations,
)
from tests_support import SCHMIEDEISEN

CH = profile_for("CH")


def codes(violations):
    """Return the codes of the violations, in order."""
    return [violation.code for violation in violations]


def test_a_complete_company_has_no_violation():
    """SPEC 5, seed 002: the checklist is complete."""
    assert list(subscriber_violations(SCHMIEDEISEN, CH)) == []


def test_every_missing_field_is_reported_by_name():
    """SPEC 5, seed 002: each missing field -> customer.missing_field, all at once."""
    violations = list(subscriber_violations(Subscriber("Schmiedeisen AG"), CH))
    assert codes(violations) == [Code.CUSTOMER_MISSING_FIELD] * 5
    assert [v.field for v in violations] == [
        "subscriber.address",
        "subscriber.city",
        "subscriber.contact_person",
        "subscriber.billing_email",
        "subscriber.phone",
    ]


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("name", "Schmiedeisen\nAG"),
        ("address", "Werkstrasse 1\r\n8004"),
        ("city", "8004\tZuerich"),
        ("contact_person", "Anna\x00Muster"),
        ("name", "Schmied\x1b[31meisen"),
        ("address", "Werkstrasse\u20281"),
        ("city", "Zue\x85rich"),
        ("name", "Schmiedeisen\x7fAG"),
    ],
)
def test_a_control_character_in_a_printed_field_is_refused(field, text):
    """SPEC 5: a malformed field -> customer.missing_field; letters and texts print these."""
    (violation,) = subscriber_violations(attrs.evolve(SCHMIEDEISEN, **{field: text}), CH)
    assert violation.code == Code.CUSTOMER_MISSING_FIELD
    assert violation.field == f"subscriber.{field}"
    assert repr(text) in violation.message
    assert "control character" in violation.message


def test_a_control_character_in_a_signatory_name_is_refused_with_its_place():
    """SPEC 5: the signatories are the customer's data too."""
    signatories = (
        *SCHMIEDEISEN.signatories[:2],
        attrs.evolve(SCHMIEDEISEN.signatories[2], name="Carla\nFrei"),
    )
    (violation,) = subscriber_violations(attrs.evolve(SCHMIEDEISEN, signatories=signatories), CH)
    assert (violation.code, violation.field) == (
        Code.CUSTOMER_MISSING_FIELD,
        "subscriber.signatories[2].name",
    )


@pytest.mark.parametrize("text", ["Schmiedeisen AG\n", "\tSchmiedeisen AG", "AG\u2028", "\x1e8004"])
def test_a_control_character_at_either_end_is_refused_too(text):
    """They would be printed as they are: the fields are kept as given, not trimmed."""
    (violation,) = subscriber_violations(attrs.evolve(SCHMIEDEISEN, name=text), CH)
    assert (violation.code, violation.field) == (Code.CUSTOMER_MISSING_FIELD, "subscriber.name")


@pytest.mark.parametrize(
    "text", [" Schmiedeisen AG ", "Zürich \u2013 Œrlikon ß", "Göteborg\u00a0Øst", "Москва"]
)
def test_spaces_and_letters_of_any_script_pass(text):
    """Spaces, no-break spaces, dashes and letters of any script are never refused."""
    assert list(subscriber_violations(attrs.evolve(SCHMIEDEISEN, name=text, city=text), CH)) == []


def test_a_field_of_blanks_only_is_missing_not_malformed():
    """One violation per field: what is missing is not also reported as malformed."""
    violations = list(subscriber_violations(attrs.evolve(SCHMIEDEISEN, city="\n\t"), CH))
    assert [(v.code, v.field) for v in violations] == [
        (Code.CUSTOMER_MISSING_FIELD, "subscriber.city")
    ]
    assert "missing" in violations[0].message


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=12))
def test_exactly_the_control_characters_and_separators_are_refused(text):
    """Unicode categories Cc (C0, DEL, C1), Zl and Zp, anywhere in a name, and nothing else.

    A name of blanks only is missing: one violation all the same.
    """
    missing = not text.strip()
    malformed = any(unicodedata.category(char) in {"Cc", "Zl", "Zp"} for char in text)
    violations = list(subscriber_violations(attrs.evolve(SCHMIEDEISEN, name=text), CH))
    assert [v.field for v in violations] == (["subscriber.name"] if missing or malformed else [])
    if violations:
        assert ("missing" in violations[0].message) is missing


@pytest.mark.parametrize("email", ["rechnung", "rechnung@", "a b@c.ch", "x@localhost"])
def test_a_malformed_billing_email_is_refused(email):
    """SPEC 5: a malformed billing e-mail -> customer.invalid_email."""
    subscriber = attrs.evolve(SCHMIEDEISEN, billing_email=email)
    assert codes(subscriber_violations(subscriber, CH)) == [Code.CUSTOMER_INVALID_EMAIL]


def test_a_malformed_phone_is_refused_as_an_invalid_number():
    """SPEC 5 and 1.1: the contact phone must be a valid number."""
    subscriber = attrs.evolve(SCHMIEDEISEN, phone="1234567")
    (violation,) = subscriber_violations(subscriber, CH)
    assert violation.code == Code.NUMBER_INVALID
    assert violation.field == "subscriber.phone"


def test_a_private_person_needs_a_name_and_one_way_to_be_reached():
    """SPEC 5 and 9: the company checklist does not apply, but notifications need an address."""
    se = profile_for("SE")
    person = Subscriber("Eva Lund", kind=CustomerKind.PRIVATE, phone="070-123 45 67")
    assert list(subscriber_violations(person, se)) == []
    (violation,) = subscriber_violations(attrs.evolve(person, phone=""), se)
    assert violation.code == Code.CUSTOMER_MISSING_FIELD
    assert violation.field == "subscriber.contact"


@pytest.mark.parametrize(
    ("signers", "expected"),
    [
        (("Anna Muster",), []),
        (("Beat Keller", "Carla Frei"), []),
        (("Anna Muster", "Beat Keller"), []),
        (("Beat Keller",), [Code.AUTH_INSUFFICIENT_SIGNATURES]),
        (("Beat Keller", "Beat Keller"), [Code.AUTH_INSUFFICIENT_SIGNATURES]),
        (("Dora Graf",), [Code.AUTH_UNKNOWN_SIGNATORY]),
        (
            ("Beat Keller", "Dora Graf"),
            [Code.AUTH_UNKNOWN_SIGNATORY, Code.AUTH_INSUFFICIENT_SIGNATURES],
        ),
        ((), [Code.AUTH_MISSING]),
        (("  ",), [Code.AUTH_MISSING]),
    ],
)
def test_authorization_needs_one_single_or_two_collective_signatories(signers, expected):
    """SPEC 5, seed 002: Einzelunterschrift alone, Kollektivunterschrift jointly by two."""
    assert codes(authorization_violations(SCHMIEDEISEN, signers)) == expected


def test_a_private_person_must_sign_themself():
    """SPEC 5: a private person signs for themself; anyone else is unknown."""
    person = Subscriber("Eva Lund", kind=CustomerKind.PRIVATE)
    assert codes(authorization_violations(person, ("Eva Lund",))) == []
    assert codes(authorization_violations(person, ("Olle Lund",))) == [Code.AUTH_UNKNOWN_SIGNATORY]


@given(
    name=st.sampled_from(["Anna Muster", "Lars Berg"]),
    account_owner=st.booleans(),
    account_permission=st.booleans(),
)
def test_only_the_account_owner_or_a_user_with_the_account_permission_may_order(
    name, account_owner, account_permission
):
    """SPEC 5, seed 003: "kontoägare eller ha behörigheten Konto", else auth.forbidden."""
    orderer = Orderer(name, account_owner=account_owner, account_permission=account_permission)
    violations = list(purchase_violations(orderer))
    if account_owner or account_permission:
        assert violations == []
    else:
        (forbidden,) = violations
        assert (forbidden.code, forbidden.field) == (Code.AUTH_FORBIDDEN, "orderer")
        assert forbidden.message.startswith(f"{name} may not order")
        assert "account permission" in forbidden.message


def test_the_rights_of_an_orderer_are_named_never_given_by_position():
    """``Orderer("Lars Berg", True)`` would not say which right it gives."""
    with pytest.raises(TypeError):
        Orderer("Lars Berg", True)  # type: ignore[misc]  # noqa: FBT003 - the mistake refused


def test_the_refusal_names_the_user_as_written_without_the_blanks_around():
    """SPEC 11: messages name the offending input."""
    (forbidden,) = purchase_violations(Orderer("  Lars Berg  "))
    assert forbidden.message.startswith("Lars Berg may not order")


def test_an_order_placed_by_the_reseller_names_no_orderer_and_needs_no_permission():
    """Decision: without an orderer the letter of authorization is the authority."""
    assert list(purchase_violations(None)) == []


@pytest.mark.parametrize(
    "make",
    [
        lambda: Orderer(""),
        lambda: Orderer("   "),
        lambda: Orderer(None),
        lambda: Orderer("Anna Muster", account_owner="yes"),
        lambda: Orderer("Anna Muster", account_permission=1),
    ],
    ids=["empty name", "blank name", "no name", "owner as text", "permission as a number"],
)
def test_an_orderer_of_the_wrong_kind_is_refused_with_a_code(make):
    """SPEC 11: a truthy "yes" must not pass for the permission."""
    with pytest.raises(InvalidInput) as raised:
        make()
    assert raised.value.code == Code.ARGUMENT_INVALID
