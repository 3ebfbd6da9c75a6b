"""Every example runs: STYLE 11, examples are executed by the test suite."""

import pathlib
import re
import runpy
import sys

import pytest

EXAMPLES_DIR = pathlib.Path(__file__).parent.parent / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.py"))


def run_example(path, monkeypatch):
    """Run an example as a script with no arguments (not pytest's own)."""
    monkeypatch.setattr(sys, "argv", [str(path)])
    runpy.run_path(str(path), run_name="__main__")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_the_example_runs_and_prints_its_scenario(path, capsys, monkeypatch):
    """An example runs to its end and tells what it did."""
    run_example(path, monkeypatch)
    assert capsys.readouterr().out.strip()


def test_the_number_check_shows_the_limit_and_the_split(capsys, monkeypatch):
    """The README's scenario refuses 12 singles in one order and splits them (seed 002)."""
    run_example(EXAMPLES_DIR / "number_check.py", monkeypatch)
    out = capsys.readouterr().out
    assert "numbers.too_many_singles" in out
    assert "port group of 2 orders" in out
    assert "the contract ends 2026-12-31" in out


def test_the_swiss_pbx_port_completes_and_ends_its_temporary_numbers(capsys, monkeypatch):
    """Seed 002: the PBX port completes and its provisional numbers end, a block for the block."""
    run_example(EXAMPLES_DIR / "swiss_pbx_port.py", monkeypatch)
    out = capsys.readouterr().out
    assert "warning [port.full_cuts_bundled_services]" in out
    assert "Order PO-000001: completed" in out
    assert "ported at 2027-03-31 06:00 Zurich time" in out
    assert re.search(
        r"\+414412346xx \(100 numbers\) -> \+41\d+xx \(100 numbers\): deactivated", out
    )
    assert "execute    scheduled -> completed" in out
    # The company's phone is its landline, which is ported too: no SMS there (SPEC 9).
    assert "port.completed                 email  rechnung@schmiedeisen.ch" in out


def order_section(out, order_id):
    """Return the part of a report that starts at an order's heading, up to the next one."""
    match = re.search(rf"^{order_id} .*?(?=^PO-\d+ |\Z)", out, re.MULTILINE | re.DOTALL)
    assert match is not None, f"no section for {order_id}"
    return match.group(0)


def test_the_broadband_takeover_follows_the_six_month_rule(capsys, monkeypatch):
    """Seed 000 ADSL: placed at once up to exactly 6 months, deferred beyond, look-ups retried."""
    run_example(EXAMPLES_DIR / "broadband_takeover.py", monkeypatch)
    out = capsys.readouterr().out
    approval = out.split("\n\n", 1)[0]
    assert "requested: the line moves 2027-03-09 07:00" in approval  # no binding
    assert "requested: the line moves 2027-09-02 07:00" in approval  # exactly 6 months
    assert "deferred: wakes 2027-04-30 00:00, the line moves 2027-11-01 07:00" in approval
    assert "submitted: the look-up failed, retried at 2027-03-02 10:00" in approval

    exact = order_section(out, "PO-000002")
    assert "2027-03-02 09:00  approve  submitted -> requested" in exact
    assert "port.ordered_pending_binding   letter 2027-03-02 09:00  binding_end=2027-09-02" in exact
    assert "port.deferred" not in exact

    deferred = order_section(out, "PO-000003")
    assert "2027-03-02 09:00  defer    submitted -> deferred" in deferred
    assert "woke at 2027-04-30 00:00 and went to the donor" in deferred
    assert "2027-04-30 00:00  wake     deferred -> requested" in deferred
    assert "binding_end=2027-10-31, wake_date=2027-04-30" in deferred
    assert "modem.shipped                  email  2027-10-25 07:00" in deferred
    assert "completed; the line moved at 2027-11-01 07:00" in deferred

    retried = order_section(out, "PO-000004")
    assert retried.count("the operator does not answer") == 2
    assert "look-up 2027-03-02 11:00: binding ends 2027-06-30" in retried
    assert "2027-03-02 11:00  approve  submitted -> requested   (provider)" in retried
    assert "completed; the line moved at 2027-06-30 07:00" in retried

    unbound = order_section(out, "PO-000001")
    assert "port.ordered_pending_binding" not in unbound
    assert "port.deferred" not in unbound
    assert out.count("completed; the line moved at") == 4


def test_the_mobile_port_refuses_bad_input_and_announces_the_date_to_both_numbers(
    capsys, monkeypatch
):
    """Seeds 000/003: ICC check digit, binding rule, SIM activation, two SMS, restart advice."""
    run_example(EXAMPLES_DIR / "mobile_port.py", monkeypatch)
    out = capsys.readouterr().out
    assert "refused [sim.invalid_icc] (field sim)" in out
    assert "refused [binding.remaining] (field timing)" in out
    assert "planned port: 2027-03-31 07:00" in out
    assert "temporary number: +41799990000 reserved" in out
    assert "temporary number: +41799990000 active" in out
    assert "sim.shipped email to nina.keller@example.ch" in out
    assert "port.date_announced sms to +41791234567, due 2027-01-08 11:00" in out
    assert "port.date_announced sms to +41799990000, due 2027-01-08 11:00" in out
    assert "PO-000001: completed at 2027-03-31 07:00" in out
    assert "temporary number: +41799990000 deactivated" in out
    completed = out.split("port.completed sms to +41791234567", 1)[1]
    assert "Telefon neu starten." in " ".join(
        completed.split("temporary_number.deactivated", 1)[0].replace("|", " ").split()
    )
    assert "2027-01-05 18:30  the SIM card arrives" in out
    assert "execute  scheduled -> completed" in out


def test_the_ip_telephony_port_reminds_across_easter_and_replaces_the_reminder(capsys, monkeypatch):
    """Seed 000: the equipment reminder 2 business days before; a reschedule replaces it."""
    run_example(EXAMPLES_DIR / "ip_telephony_port.py", monkeypatch)
    out = capsys.readouterr().out
    before, after = out.split("the donor answers: reschedule", 1)
    assert "the donor answers: confirm 2027-03-31 06:00" in before
    assert "due 2027-03-25 06:00, for the port on 2027-03-31" in before
    assert "Fri 2027-03-26  holiday" in before
    assert "Mon 2027-03-29  holiday" in before
    assert "Thu 2027-03-25  business day 2" in before
    assert "the reminder due 2027-03-25 06:00 is withdrawn" in after
    assert "due 2027-04-05 06:00, for the port on 2027-04-07" in after
    assert "PO-000001: completed at 2027-04-07 06:00" in after
    delivered = out.split("Delivered", 1)[1]
    assert re.findall(r"equipment\.connect_reminder +email +(\S+ \S+)", delivered) == [
        "2027-04-05 06:00"
    ]
    assert "reschedule scheduled -> scheduled" in out
