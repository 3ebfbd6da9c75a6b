"""Every example runs: STYLE 11, examples are executed by the test suite."""

import pathlib
import runpy

import pytest

EXAMPLES = sorted((pathlib.Path(__file__).parent.parent / "examples").glob("*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_the_example_runs_and_prints_its_scenario(path, capsys):
    """An example runs to its end and tells what it did."""
    runpy.run_path(str(path), run_name="__main__")
    assert capsys.readouterr().out.strip()


def test_the_number_check_shows_the_limit_and_the_split(capsys):
    """The README's scenario refuses 12 singles in one order and splits them (seed 002)."""
    runpy.run_path(str(EXAMPLES[0].parent / "number_check.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "numbers.too_many_singles" in out
    assert "port group of 2 orders" in out
    assert "the contract ends 2026-12-31" in out
