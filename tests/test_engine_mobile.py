"""Mobile in-porting: the SIM, the temporary number from activation, the binding rule.

SPEC 7, 8 and 9; seed 000 (Phonera's mobile delivery routine) and seed 003
(the SIM ICC of 20 digits, no binding time left when a number is ported in).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from stdnum import luhn

from portflow import (
    Channel,
    Code,
    DonorContract,
    Engine,
    InvalidInput,
    ManualClock,
    NotificationKind,
    NumberType,
    OrderState,
    Service,
    TemporaryStatus,
    Timing,
    ValidationFailed,
)
from portflow._core.errors import CommandRefused
from portflow._core.sim import SimCard
from tests_support import SCHMIEDEISEN, swiss_request

ZURICH = ZoneInfo("Europe/Zurich")
START = dt.datetime(2027, 1, 4, 8, 0, tzinfo=dt.UTC)
"""Monday 4 January 2027, 09:00 in Zurich."""
OLD_NUMBER = "+41791234567"
BODY = "8941000012345678901"
ICC = BODY + luhn.calc_check_digit(BODY)


def mobile_request(**changes: object):
    """A Swiss mobile port of one number with a physical SIM card."""
    fields = {
        "service": Service.MOBILE,
        "numbers": ("079 123 45 67",),
        "sim": SimCard.physical(ICC),
    }
    return swiss_request(**(fields | changes))


def of_kind(engine: Engine, order_id: str, kind: NotificationKind):
    """Return the order's notifications of one kind."""
    return [n for n in engine.notifications(order_id) if n.kind is kind]


def test_the_sim_is_shipped_separately_when_the_order_is_submitted():
    """Seed 000: the SIM card is sent separately; the customer hears of it by e-mail."""
    engine = Engine.in_memory("CH", now=START)
    order = engine.submit(mobile_request())
    (shipped,) = of_kind(engine, order.id, NotificationKind.SIM_SHIPPED)
    (temporary,) = order.temporary_numbers
    assert shipped.channel is Channel.EMAIL
    assert shipped.recipient == SCHMIEDEISEN.billing_email
    assert shipped.due == START
    assert shipped.param_map["temporary_number"] == temporary.text
    engine.advance(START)
    assert shipped in engine.notifier.delivered


def test_no_sim_shipped_notice_without_a_sim_and_none_for_a_pbx_port():
    """SPEC 9: sim.shipped belongs to mobile orders that send a SIM card."""
    engine = Engine.in_memory("CH", now=START)
    without = engine.submit(mobile_request(sim=None))
    pbx = engine.submit(swiss_request(numbers=("044 555 11 22",)))
    assert of_kind(engine, without.id, NotificationKind.SIM_SHIPPED) == []
    assert of_kind(engine, pbx.id, NotificationKind.SIM_SHIPPED) == []


def test_the_temporary_number_works_from_sim_activation_not_from_approval():
    """SPEC 7: mobile temporaries are active from SIM activation; PBX ones from approval."""
    engine = Engine.in_memory("CH", now=START)
    order = engine.submit(mobile_request())
    approved = engine.approve(order.id)
    assert [t.status for t in approved.temporary_numbers] == [TemporaryStatus.RESERVED]
    activated = engine.activate_sim(order.id)
    assert [t.status for t in activated.temporary_numbers] == [TemporaryStatus.ACTIVE]
    assert activated.history == approved.history
    assert activated.state is OrderState.REQUESTED


def test_a_sim_activated_before_approval_keeps_its_temporary_active_through_approval():
    """SPEC 7: activation may come first; approval does not undo it."""
    engine = Engine.in_memory("CH", now=START)
    order = engine.submit(mobile_request())
    engine.activate_sim(order.id)
    approved = engine.approve(order.id)
    assert [t.status for t in approved.temporary_numbers] == [TemporaryStatus.ACTIVE]


def test_at_execution_the_old_number_moves_and_the_temporary_number_ends():
    """Seed 000: the temporary number disappears; the moved number hears it may need a restart."""
    engine = Engine.in_memory("CH", now=START)
    order = engine.submit(mobile_request())
    engine.activate_sim(order.id)
    engine.approve(order.id)
    scheduled = engine.donor_confirms(order.id)
    engine.advance(scheduled.port_at)
    done = engine.get(order.id)
    assert done.state is OrderState.COMPLETED
    assert [t.status for t in done.temporary_numbers] == [TemporaryStatus.DEACTIVATED]
    (completed,) = of_kind(engine, order.id, NotificationKind.PORT_COMPLETED)
    assert completed.due == scheduled.port_at
    assert (completed.channel, completed.recipient) == (Channel.SMS, OLD_NUMBER)
    assert "neu starten" in completed.render().body
    (gone,) = of_kind(engine, order.id, NotificationKind.TEMPORARY_NUMBER_DEACTIVATED)
    assert gone.param_map["temporary_number"] == done.temporary_numbers[0].text


@pytest.mark.parametrize("state", ["cancelled", "completed"])
def test_a_sim_of_an_ended_order_cannot_be_activated(state):
    """SPEC 7: no temporary number is active outside a live order."""
    engine = Engine.in_memory("CH", now=START)
    order = engine.submit(mobile_request())
    if state == "cancelled":
        engine.cancel(order.id)
    else:
        engine.approve(order.id)
        engine.advance(engine.donor_confirms(order.id).port_at)
    with pytest.raises(CommandRefused) as refused:
        engine.activate_sim(order.id)
    assert refused.value.code == Code.ARGUMENT_INVALID


def test_a_pbx_order_has_no_sim_to_activate():
    """SPEC 7: PBX temporaries start at approval; there is no SIM."""
    engine = Engine.in_memory("CH", now=START)
    order = engine.submit(swiss_request(numbers=("044 555 11 22",)))
    before = engine.get(order.id)
    with pytest.raises(CommandRefused):
        engine.activate_sim(order.id)
    assert engine.get(order.id) == before


# --- seed 003: no binding time left at the port date --------------------------------------

BINDING_END = dt.date(2027, 3, 31)
"""A Wednesday."""


@pytest.mark.parametrize(
    ("day", "refused"),
    [
        (dt.date(2027, 3, 30), True),  # the day before the binding ends
        (dt.date(2027, 3, 31), False),  # the binding's last day
        (dt.date(2027, 4, 1), False),  # the day after
    ],
)
def test_a_fixed_date_before_the_binding_end_is_refused(day, refused):
    """SPEC 8, seed 003: a fixed-date mobile port before the binding end is refused."""
    engine = Engine.in_memory("CH", now=START)
    request = mobile_request(
        timing=Timing.on(day, at=dt.time(7, 0)),
        contract=DonorContract(binding_end=BINDING_END),
    )
    if refused:
        with pytest.raises(ValidationFailed) as failed:
            engine.submit(request)
        assert Code.BINDING_REMAINING in {v.code for v in failed.value.violations}
    else:
        order = engine.submit(request)
        assert order.port_at.astimezone(ZURICH).date() == day


def test_the_binding_rule_is_reported_with_the_other_violations():
    """SPEC 11: validation reports every violation at once."""
    engine = Engine.in_memory("CH", now=START)
    request = mobile_request(
        timing=Timing.on(dt.date(2027, 3, 1), at=dt.time(7, 0)),
        contract=DonorContract(binding_end=BINDING_END),
        reseller="",
    )
    with pytest.raises(ValidationFailed) as failed:
        engine.submit(request)
    codes = {v.code for v in failed.value.violations}
    assert {Code.BINDING_REMAINING, Code.CUSTOMER_MISSING_FIELD} <= codes


def test_a_pbx_port_on_a_fixed_date_is_not_held_to_the_mobile_binding_rule():
    """Seed 003's rule is for mobile in-porting."""
    engine = Engine.in_memory("CH", now=START)
    request = swiss_request(
        numbers=("044 555 11 22",),
        timing=Timing.on(dt.date(2027, 3, 1), at=dt.time(7, 0)),
        contract=DonorContract(binding_end=BINDING_END),
    )
    assert engine.submit(request).state is OrderState.SUBMITTED


def test_a_contract_end_mobile_port_is_scheduled_at_the_binding_end():
    """SPEC 8: a contract-end request is scheduled at the binding end."""
    engine = Engine.in_memory("CH", now=START)
    order = engine.submit(
        mobile_request(
            timing=Timing.contract_end(at=dt.time(7, 0)),
            contract=DonorContract(binding_end=BINDING_END),
        )
    )
    engine.approve(order.id)
    scheduled = engine.donor_confirms(order.id)
    assert scheduled.port_at == dt.datetime(2027, 3, 31, 7, 0, tzinfo=ZURICH)
    sms = of_kind(engine, order.id, NotificationKind.PORT_DATE_ANNOUNCED)
    assert {n.recipient for n in sms} == {OLD_NUMBER, order.temporary_numbers[0].text}


SATURDAY_BINDING = dt.date(2027, 2, 13)
"""A binding (and, without notice period, the contract) ending on a Saturday."""


@pytest.mark.parametrize(
    ("binding_end", "mobile_day", "pbx_day"),
    [
        pytest.param(SATURDAY_BINDING, dt.date(2027, 2, 15), dt.date(2027, 2, 12), id="saturday"),
        # Easter Sunday; Good Friday (26) and Easter Monday (29) are holidays in Zurich.
        pytest.param(dt.date(2027, 3, 28), dt.date(2027, 3, 30), dt.date(2027, 3, 25), id="easter"),
    ],
)
def test_a_contract_end_mobile_port_never_rolls_back_into_the_binding(
    binding_end, mobile_day, pbx_day
):
    """SPEC 8 over SPEC 3.2: the roll-back to a business day stops at the binding end.

    The contract ends with the binding on a day off. A contract-end PBX port
    rolls back to the business day before (decision), without a warning. A
    mobile port may not leave binding time, so it moves to the first business
    day after the binding end, where a fixed date would be accepted too; that is
    after the contract's end, so the request carries ``timing.after_contract_end``
    and the reseller makes sure the donor keeps the number until then.
    """
    engine = Engine.in_memory("CH", now=START)
    contract = DonorContract(binding_end=binding_end)
    timing = Timing.contract_end(at=dt.time(7, 0))
    mobile = engine.submit(mobile_request(timing=timing, contract=contract))
    pbx = engine.submit(swiss_request(numbers=("044 555 11 22",), timing=timing, contract=contract))
    assert mobile.port_at == dt.datetime.combine(mobile_day, dt.time(7, 0), ZURICH)
    assert pbx.port_at == dt.datetime.combine(pbx_day, dt.time(7, 0), ZURICH)
    assert [(w.code, w.field) for w in mobile.valid.warnings] == [
        (Code.TIMING_AFTER_CONTRACT_END, "timing")
    ]
    assert f"{binding_end} ({binding_end:%A})" in mobile.valid.warnings[0].message
    assert pbx.valid.warnings == ()
    fixed = engine.submit(
        mobile_request(
            numbers=("079 123 45 68",),
            timing=Timing.on(mobile_day, at=dt.time(7, 0)),
            contract=contract,
        )
    )
    assert fixed.port_at == mobile.port_at


def test_an_asap_mobile_port_waits_for_the_binding_end():
    """Seed 003: no binding time left at the port date, so ASAP means from the binding end.

    Submitted Monday 4 January 2027 with a binding until Saturday 13 February:
    planned for Monday 15 February, and approved later that date stands. Without
    a binding the earliest feasible date is 11 January.
    """
    engine = Engine.in_memory("CH", now=START)
    bound = engine.submit(
        mobile_request(timing=Timing.asap(), contract=DonorContract(binding_end=SATURDAY_BINDING))
    )
    free = engine.submit(
        mobile_request(numbers=("079 123 45 68",), timing=Timing.asap(), contract=DonorContract())
    )
    assert bound.port_at == dt.datetime(2027, 2, 15, 7, 0, tzinfo=ZURICH)
    assert free.port_at == dt.datetime(2027, 1, 11, 7, 0, tzinfo=ZURICH)
    engine.advance(START + dt.timedelta(days=10))
    assert engine.approve(bound.id).port_at == dt.datetime(2027, 2, 15, 7, 0, tzinfo=ZURICH)


def test_a_sim_with_a_wrong_check_digit_is_refused_when_the_request_is_made():
    """Seed 003: the ICC has 20 digits with a check digit."""
    wrong = BODY + str((int(luhn.calc_check_digit(BODY)) + 1) % 10)
    with pytest.raises(InvalidInput) as refused:
        mobile_request(sim=SimCard.physical(wrong))
    assert refused.value.code == Code.SIM_INVALID_ICC


def test_an_esim_is_not_shipped_but_activates_the_temporary_number():
    """Seed 003: an eSIM instead of a card is not sent anywhere, so no ``sim.shipped``.

    Decision: its activation starts the temporary number like a card's.
    """
    engine = Engine.in_memory("CH", now=START)
    order = engine.submit(mobile_request(sim=SimCard.esim()))
    assert engine.get(order.id).valid.request.sim.is_esim
    assert of_kind(engine, order.id, NotificationKind.SIM_SHIPPED) == []
    activated = engine.activate_sim(order.id)
    assert [t.status for t in activated.temporary_numbers] == [TemporaryStatus.ACTIVE]


def test_a_mobile_order_without_a_sim_in_its_request_is_activated_too():
    """SPEC 7, decision: the SIM went out with other equipment; its activation still counts."""
    engine = Engine.in_memory("CH", now=START)
    order = engine.submit(mobile_request(sim=None))
    assert of_kind(engine, order.id, NotificationKind.SIM_SHIPPED) == []
    activated = engine.activate_sim(order.id)
    assert [t.status for t in activated.temporary_numbers] == [TemporaryStatus.ACTIVE]


@pytest.mark.parametrize("typed", [ICC, f"{ICC[:4]} {ICC[4:8]}-{ICC[8:12]} {ICC[12:]}"])
def test_an_icc_given_as_text_is_read_as_a_physical_card(typed):
    """Seed 003: the ICC as typed on the order form is a physical card's, checked and stored."""
    engine = Engine.sqlite(":memory:", clock=ManualClock(START))
    order = engine.submit(mobile_request(sim=typed))
    assert order.valid.sim == SimCard.physical(ICC)
    stored = engine.get(order.id)
    assert stored.valid.request.sim == typed
    assert stored.valid.sim == SimCard.physical(ICC)
    assert [n.kind for n in engine.notifications(order.id)].count(NotificationKind.SIM_SHIPPED) == 1


@pytest.mark.parametrize("typed", [ICC[:-1], BODY + "x", 89410000123456789010])
def test_an_icc_given_as_bad_text_is_reported_with_the_other_violations(typed):
    """Seed 003, SPEC 11: a bad ICC is one more violation of the request, all reported at once."""
    engine = Engine.in_memory("CH", now=START)
    with pytest.raises(ValidationFailed) as refused:
        engine.submit(mobile_request(sim=typed, numbers=("12",)))
    assert {(v.code, v.field) for v in refused.value.errors} >= {
        (Code.SIM_INVALID_ICC, "sim"),
        (Code.NUMBER_INVALID, "numbers[0]"),
    }
    assert list(engine.orders()) == []


def test_a_mobile_number_gets_a_mobile_temporary_number_and_a_fixed_one_a_fixed_one():
    """Seed 000: the temporary number works on the new SIM, so it is a mobile number."""
    engine = Engine.in_memory("CH", now=START)
    mobile = engine.submit(mobile_request()).temporary_numbers[0].number
    fixed = engine.submit(swiss_request(numbers=("044 555 11 22",))).temporary_numbers[0].number
    assert mobile.type is NumberType.MOBILE
    assert fixed.type is NumberType.FIXED_LINE


def test_a_mobile_port_of_a_ddi_block_is_refused_with_the_other_violations():
    """Seed 000: a mobile number moves onto its own SIM; its customer is told by SMS.

    A block would get no date SMS and no completion SMS, so it is refused.
    """
    engine = Engine.in_memory("CH", now=START)
    with pytest.raises(ValidationFailed) as refused:
        engine.submit(mobile_request(numbers=("079 123 45 67", "07912346xx"), reseller=""))
    assert refused.value.codes == {Code.ARGUMENT_INVALID, Code.CUSTOMER_MISSING_FIELD}
    (block,) = (v for v in refused.value.violations if v.code == Code.ARGUMENT_INVALID)
    assert block.field == "numbers"
    assert "+417912346xx" in block.message


def _rejected_and_revised(engine: Engine, *, activate: bool, deliver: bool) -> str:
    """Submit a mobile order, maybe activate its SIM and deliver its notices, have it rejected."""
    order = engine.submit(mobile_request())
    if activate:
        engine.activate_sim(order.id)
    if deliver:
        engine.advance(START)
    engine.approve(order.id)
    engine.donor_rejects(order.id, "subscriber_name_mismatch", "Schmiedeisen GmbH")
    engine.revise(order.id)
    return order.id


@pytest.mark.parametrize("deliver", [True, False], ids=["shipped-notice-out", "notice-pending"])
def test_a_resubmission_on_an_activated_sim_works_at_once_and_ships_nothing(deliver):
    """SPEC 7, seed 000 (decision): the customer has the SIM in the phone already.

    The new temporary number works from the resubmission, the inventory hears
    so, and no second sim.shipped goes out; the date SMS reaches the new number.
    """
    engine = Engine.in_memory("CH", now=START)
    order_id = _rejected_and_revised(engine, activate=True, deliver=deliver)
    shipped = of_kind(engine, order_id, NotificationKind.SIM_SHIPPED)
    resubmitted = engine.submit(mobile_request(), order_id=order_id)
    first, second = resubmitted.temporary_numbers
    assert first.status is TemporaryStatus.DEACTIVATED
    assert second.status is TemporaryStatus.ACTIVE
    assert engine.inventory.status[second.text] is TemporaryStatus.ACTIVE
    assert of_kind(engine, order_id, NotificationKind.SIM_SHIPPED) == shipped
    engine.approve(order_id)
    engine.donor_confirms(order_id)
    announced = {
        n.recipient for n in of_kind(engine, order_id, NotificationKind.PORT_DATE_ANNOUNCED)
    }
    assert announced == {OLD_NUMBER, second.text}


def test_a_resubmission_on_a_shipped_sim_not_yet_activated_waits_for_it_unshipped():
    """SPEC 7, seed 000 (decision): the SIM is on its way; the new number waits for activation."""
    engine = Engine.in_memory("CH", now=START)
    order_id = _rejected_and_revised(engine, activate=False, deliver=True)
    (shipped,) = of_kind(engine, order_id, NotificationKind.SIM_SHIPPED)
    resubmitted = engine.submit(mobile_request(), order_id=order_id)
    assert resubmitted.temporary_numbers[-1].status is TemporaryStatus.RESERVED
    assert of_kind(engine, order_id, NotificationKind.SIM_SHIPPED) == [shipped]
    activated = engine.activate_sim(order_id)
    assert activated.temporary_numbers[-1].status is TemporaryStatus.ACTIVE


def test_a_resubmission_whose_shipped_notice_never_went_out_ships_the_sim():
    """SPEC 9: a sim.shipped withdrawn unsent is sent with the resubmission's temporary number."""
    engine = Engine.in_memory("CH", now=START)
    order_id = _rejected_and_revised(engine, activate=False, deliver=False)
    assert of_kind(engine, order_id, NotificationKind.SIM_SHIPPED) == []
    resubmitted = engine.submit(mobile_request(), order_id=order_id)
    (shipped,) = of_kind(engine, order_id, NotificationKind.SIM_SHIPPED)
    assert shipped.param_map["temporary_number"] == resubmitted.temporary_numbers[-1].text
    assert resubmitted.temporary_numbers[-1].status is TemporaryStatus.RESERVED


def test_a_resubmission_on_another_sim_ships_it_and_waits_for_its_activation():
    """SPEC 7 (decision): a new ICC is a new card: shipped, and activated on its own."""
    engine = Engine.in_memory("CH", now=START)
    order_id = _rejected_and_revised(engine, activate=True, deliver=True)
    other = SimCard.physical("8941000012345678902" + luhn.calc_check_digit("8941000012345678902"))
    resubmitted = engine.submit(mobile_request(sim=other), order_id=order_id)
    assert resubmitted.temporary_numbers[-1].status is TemporaryStatus.RESERVED
    assert resubmitted.sim_active_since is None
    shipped = of_kind(engine, order_id, NotificationKind.SIM_SHIPPED)
    assert len(shipped) == 2
    assert shipped[-1].param_map["temporary_number"] == resubmitted.temporary_numbers[-1].text


def test_sim_activation_is_recorded_once_with_its_instant():
    """SPEC 7: the order records when its SIM was first reported active."""
    engine = Engine.in_memory("CH", now=START)
    order = engine.submit(mobile_request())
    assert order.sim_active_since is None
    assert engine.activate_sim(order.id).sim_active_since == START
    engine.clock.set(START + dt.timedelta(hours=1))
    assert engine.activate_sim(order.id).sim_active_since == START


def test_a_mobile_order_resubmitted_as_pbx_starts_afresh():
    """SPEC 7 (decision): a PBX order's temporary numbers work from approval, as always."""
    engine = Engine.in_memory("CH", now=START)
    order = engine.submit(mobile_request(sim=None))
    engine.activate_sim(order.id)
    engine.approve(order.id)
    engine.donor_rejects(order.id, "not_portable")
    engine.revise(order.id)
    resubmitted = engine.submit(
        swiss_request(numbers=("044 123 45 67",), service=Service.PBX), order_id=order.id
    )
    assert resubmitted.sim_active_since is None
    assert resubmitted.temporary_numbers[-1].status is TemporaryStatus.RESERVED
    approved = engine.approve(order.id)
    assert approved.temporary_numbers[-1].status is TemporaryStatus.ACTIVE


def test_a_card_given_up_and_named_again_is_shipped_again():
    """SPEC 7 (decision): the SIM kept is the last submission's; an earlier one is a new card."""
    engine = Engine.in_memory("CH", now=START)
    order_id = _rejected_and_revised(engine, activate=True, deliver=True)
    other = SimCard.physical("8941000012345678902" + luhn.calc_check_digit("8941000012345678902"))
    engine.submit(mobile_request(sim=other), order_id=order_id)
    engine.advance(START)  # the other card's sim.shipped goes out
    engine.approve(order_id)
    engine.donor_rejects(order_id, "other")
    engine.revise(order_id)
    again = engine.submit(mobile_request(), order_id=order_id)
    assert again.temporary_numbers[-1].status is TemporaryStatus.RESERVED
    assert len(of_kind(engine, order_id, NotificationKind.SIM_SHIPPED)) == 3
