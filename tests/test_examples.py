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
    assert "port.completed                 sms" in out


def test_the_simulation_ends_every_order_and_repeats_itself_with_its_seed(
    capsys, monkeypatch, tmp_path
):
    """The README's main job: seeded traffic on SQLite, every order ended, reproducible."""
    outputs = []
    for run in ("first", "second"):
        db = tmp_path / f"{run}.db"
        monkeypatch.setattr(sys, "argv", ["simulate", "--orders", "12", "--db", str(db)])
        runpy.run_path(str(EXAMPLES_DIR / "simulate_ports.py"), run_name="__main__")
        outputs.append(capsys.readouterr().out.replace(db.name, "DB"))
    assert outputs[0] == outputs[1]
    assert "12 port orders on DB" in outputs[0]
    states = re.search(r"final states:\n((?:  .*\n)+)", outputs[0])
    assert states is not None
    counted = dict(line.split() for line in states.group(1).splitlines())
    assert set(counted) <= {"completed", "cancelled", "rejected"}
    assert sum(map(int, counted.values())) == 12
    assert "reserved" not in outputs[0]
    assert "active " not in outputs[0]
