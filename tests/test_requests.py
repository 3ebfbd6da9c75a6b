"""Validation of a port request: SPEC 1.3, 3.2, 4, 5 and 11, seed 002."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portflow import (
    Code,
    DonorContract,
    Engine,
    InvalidInput,
    Orderer,
    OrderState,
    Severity,
    ValidationFailed,
)
from portflow._core.parties import Subscriber
from portflow._core.requests import PortType, Service, validate_request
from portflow._core.timing import Timing
from portflow.testing import strategies as pst
from tests_support import broadband, swiss_request

TODAY = dt.date(2026, 11, 23)


def request(**changes):
    """Return the valid Swiss PBX request with the given fields changed."""
    return swiss_request(**changes)


def test_a_complete_request_validates_into_numbers_and_a_plan():
    """SPEC 3.2/1.3: a valid request yields its number set and its port instant."""
    valid = validate_request(request(), TODAY)
    assert valid.numbers.total == 101
    assert valid.plan.port_at.isoformat() == "2027-03-31T06:00:00+02:00"
    assert valid.warnings == ()


def test_every_violation_of_every_part_is_reported_at_once():
    """SPEC 11: numbers, customer, authorization and timing violations together."""
    with pytest.raises(ValidationFailed) as raised:
        validate_request(
            request(
                numbers=("1234567",),
                subscriber=Subscriber("Schmiedeisen AG"),
                signers=(),
                timing=Timing.on(dt.date(2026, 11, 28)),
            ),
            TODAY,
        )
    assert raised.value.codes == {
        Code.NUMBER_INVALID,
        Code.CUSTOMER_MISSING_FIELD,
        Code.AUTH_MISSING,
        Code.TIMING_NOT_BUSINESS_DAY,
        Code.TIMING_TOO_EARLY,
    }


def test_eleven_single_numbers_in_one_order_are_refused_but_allowed_for_a_group():
    """SPEC 1.3, seed 002: more than 10 singles need a port group."""
    eleven = tuple(f"04412340{i:02d}" for i in range(11))
    with pytest.raises(ValidationFailed) as raised:
        validate_request(request(numbers=eleven), TODAY)
    assert raised.value.codes == {Code.NUMBERS_TOO_MANY_SINGLES}
    assert len(validate_request(request(numbers=eleven), TODAY, within_group=True).numbers) == 11


def test_a_full_port_of_a_contract_with_internet_warns_without_blocking():
    """SPEC 4, seed 002: full porting cuts bundled internet; partial is recommended."""
    contract = DonorContract(binding_end=dt.date(2027, 3, 31), bundles_internet=True)
    valid = validate_request(request(port_type=PortType.FULL, contract=contract), TODAY)
    (warning,) = valid.warnings
    assert warning.code == Code.PORT_FULL_CUTS_BUNDLED_SERVICES
    assert warning.severity is Severity.WARNING
    assert PortType.recommend(contract) is PortType.PARTIAL
    assert PortType.recommend(DonorContract()) is PortType.FULL


def test_an_unknown_donor_is_allowed_and_recorded_as_unknown():
    """SPEC 5, seed 002: 'Ist der aktuelle Provider nicht bekannt, einfach Unbekannt'."""
    valid = validate_request(request(donor=None), TODAY)
    assert valid.request.donor is None


def test_an_unknown_country_is_one_violation_not_a_crash():
    """SPEC 11: a request for an unknown country fails validation with a code."""
    with pytest.raises(ValidationFailed) as raised:
        validate_request(request(country="XX"), TODAY)
    assert raised.value.codes == {Code.COUNTRY_UNKNOWN}


def test_warnings_ride_along_when_errors_block():
    """SPEC 11: the failure lists warnings too, marked as such."""
    contract = DonorContract(binding_end=dt.date(2027, 3, 31), bundles_internet=True)
    with pytest.raises(ValidationFailed) as raised:
        validate_request(request(port_type="full", contract=contract, signers=()), TODAY)
    severities = {v.code: v.severity for v in raised.value.violations}
    assert severities == {
        Code.AUTH_MISSING: Severity.ERROR,
        Code.PORT_FULL_CUTS_BUNDLED_SERVICES: Severity.WARNING,
    }


@pytest.mark.parametrize(
    "timing",
    [
        Timing.on(dt.date(2027, 2, 1), at=dt.time(7, 0, tzinfo=dt.UTC)),
        Timing.on(dt.datetime(2027, 2, 1, 7, 0, tzinfo=dt.UTC)),
        Timing.on("2027-02-01"),
        Timing.contract_end(at=dt.time(6, 0, tzinfo=dt.UTC)),
    ],
    ids=["time with a zone", "datetime for a date", "text for a date", "contract end"],
)
def test_a_timing_that_cannot_be_read_is_reported_with_the_other_violations(timing):
    """SPEC 11: a malformed timing is one more violation, not the only one reported."""
    with pytest.raises(ValidationFailed) as raised:
        validate_request(request(timing=timing, reseller="", signers=("Nobody",)), TODAY)
    assert raised.value.codes == {
        Code.ARGUMENT_INVALID,
        Code.CUSTOMER_MISSING_FIELD,
        Code.AUTH_UNKNOWN_SIGNATORY,
    }
    (timing_violation,) = (v for v in raised.value.violations if v.code == Code.ARGUMENT_INVALID)
    assert timing_violation.field.startswith("timing")


WRONG_KINDS = {
    "subscriber": lambda: request(subscriber="Schmiedeisen AG"),
    "timing": lambda: request(timing=None),
    "timing by name": lambda: request(timing="asap"),
    "contract": lambda: request(contract=None),
    "signers": lambda: request(signers=None),
    "a signer": lambda: request(signers=[1]),
    "reseller": lambda: request(reseller=None),
    "donor": lambda: request(donor=42),
    "power of attorney": lambda: request(power_of_attorney="yes"),
    "orderer": lambda: request(orderer="Anna Muster"),
    "orderer of a takeover": lambda: broadband(orderer="Anna Muster"),
    "a request": lambda: validate_request("0441234567", TODAY),
}


@pytest.mark.parametrize("make", WRONG_KINDS.values(), ids=WRONG_KINDS.keys())
def test_a_request_part_of_the_wrong_kind_is_refused_with_a_code(make):
    """SPEC 11: a bare AttributeError or TypeError came out of validation before."""
    with pytest.raises(InvalidInput) as raised:
        make()
    assert raised.value.code == Code.ARGUMENT_INVALID


def test_a_contract_bundling_internet_must_say_so_with_a_bool():
    """``bundles_internet="false"`` counted as true and warned of a full port's cut."""
    with pytest.raises(InvalidInput) as raised:
        DonorContract(bundles_internet="false")
    assert raised.value.code == Code.CONTRACT_INVALID


def test_a_fixed_timing_without_its_date_is_a_violation_not_the_earliest_date():
    """SPEC 3.2: ``Timing.on(None)`` was planned at the earliest date, without a word."""
    with pytest.raises(ValidationFailed) as raised:
        validate_request(request(timing=Timing.on(None)), TODAY)
    assert raised.value.codes == {Code.ARGUMENT_INVALID}


def test_an_orderer_without_the_permission_is_reported_with_every_other_violation():
    """SPEC 5, seed 003: auth.forbidden joins the signature's violations, all at once."""
    with pytest.raises(ValidationFailed) as raised:
        validate_request(request(signers=(), orderer=Orderer("Lars Berg")), TODAY)
    assert raised.value.codes == {Code.AUTH_MISSING, Code.AUTH_FORBIDDEN}
    (forbidden,) = (v for v in raised.value.violations if v.code == Code.AUTH_FORBIDDEN)
    assert (forbidden.field, forbidden.severity) == ("orderer", Severity.ERROR)


@pytest.mark.parametrize("service", [Service.PBX, Service.MOBILE, Service.IP_TELEPHONY])
def test_a_user_without_the_account_permission_orders_no_service(service):
    """Seed 003 is the mobile order form; every subscription bought needs the right (decision)."""
    mobile = service is Service.MOBILE
    ordered = request(
        service=service,
        numbers=("079 123 45 67",) if mobile else ("044 123 45 67",),
        orderer=Orderer("Lars Berg"),
    )
    with pytest.raises(ValidationFailed) as raised:
        validate_request(ordered, TODAY)
    assert raised.value.codes == {Code.AUTH_FORBIDDEN}


@pytest.mark.parametrize(
    "orderer",
    [
        None,
        Orderer("Anna Muster", account_owner=True),
        Orderer("Lars Berg", account_permission=True),
    ],
    ids=["the reseller", "the account owner", "a user with the account permission"],
)
def test_an_order_placed_by_someone_allowed_validates(orderer):
    """Seed 003: the account owner or a user with the account permission may order."""
    assert validate_request(request(orderer=orderer), TODAY).request.orderer == orderer


def test_a_broadband_takeover_keeps_its_orderer():
    """A broadband line is a subscription too: its orderer needs the permission."""
    takeover = broadband(orderer=Orderer("Lars Berg"))
    assert takeover.as_port_request().orderer == Orderer("Lars Berg")
    with pytest.raises(ValidationFailed) as raised:
        validate_request(takeover, TODAY)
    assert raised.value.codes == {Code.AUTH_FORBIDDEN}


def test_too_few_signatures_name_a_registered_signer():
    """The collective signatory is named, not the unknown one signing beside."""
    with pytest.raises(ValidationFailed) as raised:
        validate_request(request(signers=("Zoe Fremd", "Beat Keller")), TODAY)
    (insufficient,) = (
        v for v in raised.value.violations if v.code == Code.AUTH_INSUFFICIENT_SIGNATURES
    )
    assert insufficient.message.startswith("Beat Keller ")


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_every_drawn_request_validates_and_is_submitted(data):
    """SPEC 12: `portflow.testing` draws requests the library accepts, for rule suites."""
    country = data.draw(pst.countries())
    request = data.draw(pst.port_requests(country, today=TODAY))
    valid = validate_request(request, TODAY)
    assert valid.numbers.entries == request.numbers
    start = dt.datetime.combine(TODAY, dt.time(9, 0), tzinfo=dt.UTC)
    order = Engine.in_memory(country, now=start).submit(request)
    assert order.state is OrderState.SUBMITTED


@pytest.mark.parametrize("at", ["06:00", dt.time(6, 0, tzinfo=dt.UTC)])
def test_a_time_of_day_that_is_not_a_local_time_is_refused_under_the_name_it_was_given(at):
    """SPEC 11: Timing.contract_end(at=...) is refused as timing.at, saying what a time is."""
    request = swiss_request(timing=Timing.contract_end(at=at))
    with pytest.raises(ValidationFailed) as raised:
        validate_request(request, TODAY)
    (violation,) = raised.value.violations
    assert violation.code is Code.ARGUMENT_INVALID
    assert violation.field == "timing.at"
    assert "time(7, 0)" in violation.message
