"""The ``portflow`` command: the README's simulation, a store's orders, one order, numbers."""

import contextlib
import datetime as dt
import json
import re
import sqlite3
import subprocess
import sys
from zoneinfo import ZoneInfo

import attrs
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from portflow import Engine, ManualClock, MemoryOrderStore, SqlOrderStore
from portflow._adapters.sql import sqlite_url
from portflow._cli import main
from portflow._cli.commands import portflow
from portflow._cli.simulation import simulate
from portflow._core.number_sets import entry_text
from tests_support import SCHMIEDEISEN, broadband, swiss_request

NOW = dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC)
"""Monday 23 November 2026, 09:00 in Zurich."""


PLAIN = {
    "COLUMNS": "250",
    "FORCE_COLOR": None,
    "NO_COLOR": None,
    "TTY_COMPATIBLE": None,
    "TTY_INTERACTIVE": None,
}
"""A wide terminal's width, and no colours whatever the environment running the tests asks."""


def run(*arguments, env=None):
    """Run the command; return its result. A crash is raised, never taken for a refusal."""
    result = CliRunner(env=PLAIN | (env or {})).invoke(portflow, list(arguments))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def rows(output, heading):
    """Return the (name, count) rows of the counts table whose first column is ``heading``."""
    table = output.split(f"┃ {heading}", 1)[1].split("└", 1)[0]
    return {
        cells[0]: int(cells[1].replace(",", ""))
        for line in table.splitlines()
        if line.startswith("│")
        for cells in [[cell.strip() for cell in line.strip("│").split("│")]]
    }


@pytest.fixture
def store_with_one_order(tmp_path):
    """A SQLite store holding one scheduled Swiss PBX port (a number and a block).

    The provider's advice went out; the order confirmation is still due.
    """
    path = tmp_path / "orders.db"
    engine = Engine.sqlite(path, clock=ManualClock(NOW))
    order_id = engine.submit(swiss_request()).id
    engine.approve(order_id)
    engine.donor_confirms(order_id)
    engine.advance()
    engine.store.close()
    return path


# --- simulate -----------------------------------------------------------------------------


def test_the_simulation_ends_every_order_and_repeats_itself_with_its_seed(tmp_path):
    """The README's main job: seeded traffic on SQLite, every order ended, reproducible."""
    outputs = []
    for run_name in ("first", "second"):
        db = tmp_path / f"{run_name}.db"
        result = run("simulate", "--orders", "12", "--db", str(db))
        assert result.exit_code == 0, result.output
        assert db.is_file()
        outputs.append(result.output.replace(str(db), "DB"))
    assert outputs[0] == outputs[1]
    assert "12 port orders in CH on DB, clock at" in outputs[0]
    assert "(Europe/Zurich)" in outputs[0]
    states = rows(outputs[0], "final state")
    assert set(states) <= {"completed", "cancelled", "rejected"}
    assert sum(states.values()) == 12
    assert set(rows(outputs[0], "final status")) <= {"deactivated", "promoted"}
    assert sum(rows(outputs[0], "service").values()) == 12
    # Seed 003: mobile ports are ordered in the app; a user without the right is refused.
    assert rows(outputs[0], "what happened")["refused in the app (auth.forbidden)"] >= 1


@pytest.mark.parametrize(
    ("country", "customer", "zone", "prefixes"),
    [
        ("se", "Berg & Son AB", "Europe/Stockholm", ("+46814", "+46701", "+46815")),
        ("NO", "Fjord Telecom AS", "Europe/Oslo", ("+4723", "+4741", "+4721")),
    ],
)
def test_the_simulation_runs_in_sweden_and_norway_too(tmp_path, country, customer, zone, prefixes):
    """SPEC 2, 12: the season runs in the country's numbers, business days and language."""
    db = tmp_path / "season.db"
    result = run("simulate", "--orders", "15", "--seed", "3", "--country", country, "--db", str(db))
    assert result.exit_code == 0, result.output
    assert f"15 port orders in {country.upper()} on {db}" in " ".join(result.output.split())
    assert f"({zone})" in result.output
    assert sum(rows(result.output, "final state").values()) == 15
    store = SqlOrderStore(sqlite_url(str(db)), read_only=True)
    try:
        orders = list(store.orders())
    finally:
        store.close()
    assert {order.valid.profile.country for order in orders} == {country.upper()}
    assert {order.valid.request.subscriber.name for order in orders} == {customer}
    assert all(entry_text(unit).startswith(prefixes) for o in orders for unit in o.valid.numbers)
    assert all(order.state.is_ended for order in orders)
    shown = run("show", orders[0].id, "--db", str(db))
    assert f"({zone}); subscriber {customer}" in shown.output


def test_the_simulation_runs_only_where_it_has_traffic():
    """A country without a season is a usage error naming the choices (exit 2)."""
    result = run("simulate", "--country", "DE")
    assert result.exit_code == 2
    assert "'ch', 'no', 'se'" in result.output.lower()


def test_the_simulation_summary_is_json_for_scripts(tmp_path):
    """--json prints what the tables show as one JSON object on standard output."""
    db = tmp_path / "season.db"
    tables = run("simulate", "--orders", "9", "--seed", "4", "--country", "SE")
    scripted = run("simulate", "--orders", "9", "--seed", "4", "--country", "SE", "--json")
    stored = run("simulate", "--orders", "9", "--seed", "4", "--db", str(db), "--json")
    assert tables.exit_code == scripted.exit_code == stored.exit_code == 0
    summary = json.loads(scripted.stdout)
    assert (summary["country"], summary["seed"], summary["orders"], summary["db"]) == (
        "SE",
        4,
        9,
        None,
    )
    assert json.loads(stored.stdout)["db"] == str(db)
    assert summary["states"] == rows(tables.output, "final state")
    assert summary["happened"] == rows(tables.output, "what happened")
    assert summary["notifications"] == rows(tables.output, "notification")
    clock = dt.datetime.fromisoformat(summary["clock"])
    assert clock.utcoffset() == dt.timedelta(0)
    assert f"clock at {clock.astimezone(ZoneInfo('Europe/Stockholm')):%Y-%m-%d %H:%M}" in (
        tables.output
    )


def test_another_seed_gives_another_run():
    """The seed drives the traffic: two seeds, two different seasons."""
    first = run("simulate", "--orders", "12", "--seed", "1")
    second = run("simulate", "--orders", "12", "--seed", "2")
    assert first.exit_code == second.exit_code == 0
    assert rows(first.output, "what happened") != rows(second.output, "what happened")


def test_the_simulation_reports_its_progress_day_by_day():
    """Each simulated day tells how many orders have ended, up to all of them."""
    ended = []
    summary = simulate(MemoryOrderStore(), 9, 7, ended.append)
    assert ended == sorted(ended)
    assert ended[-1] == summary.orders == 9
    assert ended[0] < 9
    assert sum(summary.states.values()) == 9


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        (["--orders", "0"], "0 is not in the range x>=1"),
        (["--orders", "-5"], "-5 is not in the range x>=1"),
        (["--orders", "many"], "'many' is not a valid integer"),
        (["--db", "{existing}"], "exists; name a new file"),
        (["--db", "{missing}"], "does not exist"),
        (["--db", "{fresh}/"], "names a directory; name a new file in it"),
    ],
    ids=["no-orders", "negative", "not-a-number", "existing-db", "missing-directory", "dir"],
)
def test_the_simulation_refuses_arguments_it_cannot_honour(tmp_path, arguments, complaint):
    """The main job says what is wrong with its arguments, runs nothing and exits 2."""
    existing = tmp_path / "old.db"
    existing.write_text("")
    paths = {
        "existing": existing,
        "missing": tmp_path / "nowhere" / "new.db",
        "fresh": tmp_path / "season",
    }
    result = run("simulate", *(argument.format(**paths) for argument in arguments))
    assert result.exit_code == 2
    assert complaint in " ".join(result.output.split())
    assert "port orders on" not in result.output
    assert existing.read_text() == ""
    assert not paths["missing"].parent.exists()
    assert not paths["fresh"].exists()


def test_the_progress_bar_goes_to_standard_error_and_leaves_the_summary_alone():
    """On a terminal the bar is drawn on stderr; the summary on stdout is the same each run."""
    forced = {"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1", "TERM": "xterm-256color"}
    runs = [run("simulate", "--orders", "12", env=forced) for _ in range(2)]
    assert runs[0].exit_code == runs[1].exit_code == 0
    assert runs[0].stdout == runs[1].stdout
    assert "orders ended" in runs[0].stderr
    assert "orders ended" not in runs[0].stdout
    assert "12/12" in runs[0].stderr


def test_the_summary_keeps_every_name_whole_on_a_narrow_terminal():
    """At 60 columns the longest names of the summary are still shown whole."""
    result = run("simulate", "--orders", "12", "--seed", "8", env={"COLUMNS": "60"})
    assert result.exit_code == 0
    assert "temporary_number.deactivated" in result.output
    assert "advice.review_donor_services" in result.output
    assert max(map(len, result.output.splitlines())) <= 60


# --- orders -------------------------------------------------------------------------------


def test_orders_lists_every_order_and_filters_by_state(tmp_path):
    """The store of a simulation lists its orders; --state keeps only those in the states."""
    db = tmp_path / "season.db"
    season = run("simulate", "--orders", "12", "--seed", "8", "--db", str(db))
    assert season.exit_code == 0
    listed = run("orders", "--db", str(db))
    assert listed.exit_code == 0, listed.output
    ids = re.findall(r"PO-\d{6}", listed.output)
    assert ids == [f"PO-{index:06d}" for index in range(1, 13)]
    counted = rows(season.output, "final state")
    assert counted == {"completed": 11, "cancelled": 1}  # seed 8 ends orders both ways
    for states in (["completed"], ["cancelled"], ["completed", "cancelled"]):
        chosen = run("orders", "--db", str(db), *(f"--state={state}" for state in states))
        assert chosen.exit_code == 0
        shown = re.findall(r"(PO-\d{6}) +│ \w+ +│ (\w+)", chosen.output)
        assert {state for _, state in shown} == set(states)
        assert len(shown) == sum(counted[state] for state in states)


def test_orders_leaves_the_port_instant_of_a_cancelled_order_blank(tmp_path):
    """A cancelled order never ported: no instant is shown as if it had."""
    path = tmp_path / "orders.db"
    engine = Engine.sqlite(path, clock=ManualClock(NOW))
    engine.cancel(engine.submit(swiss_request()).id)
    engine.store.close()
    listed = run("orders", "--db", str(path))
    assert re.search(r"PO-000001 +│ pbx +│ cancelled +│ [^│]+│ +│", listed.output)
    shown = run("show", "PO-000001", "--db", str(path))
    assert "cancelled; was to port at 2027-03-31 06:00 (Europe/Zurich)" in shown.output


def test_orders_shows_the_port_instant_in_the_countrys_time(store_with_one_order):
    """The port at the contract end, 31 March 2027 06:00 Zurich (04:00 UTC), reads as local."""
    listed = run("orders", "--db", str(store_with_one_order))
    assert listed.exit_code == 0
    line = next(line for line in listed.output.splitlines() if "PO-000001" in line)
    cells = [cell.strip() for cell in line.strip("│").split("│")]
    assert cells == [
        "PO-000001",
        "pbx",
        "scheduled",
        "+41441234567, +414412346xx",
        "2027-03-31 06:00",
        "",
    ]


def test_orders_says_so_when_none_is_in_the_state(store_with_one_order):
    """A filter that keeps nothing says there is nothing, not an empty table."""
    listed = run("orders", "--db", str(store_with_one_order), "--state", "rejected")
    assert listed.exit_code == 0
    assert listed.output.strip() == "No orders."


def test_orders_reads_the_store_named_by_the_environment(store_with_one_order):
    """Without --db the store is $PORTFLOW_DATABASE_URL's, as for Engine.open."""
    url = f"sqlite:///{store_with_one_order}"
    listed = run("orders", env={"PORTFLOW_DATABASE_URL": url})
    assert listed.exit_code == 0, listed.output
    assert "PO-000001" in listed.output


def test_orders_reads_a_postgresql_store(postgres_database):
    """A database URL names a PostgreSQL store shared by several workers."""
    engine = Engine.postgresql(postgres_database, clock=ManualClock(NOW))
    engine.submit(swiss_request(numbers=("0441234567",)))
    engine.store.close()
    listed = run("orders", "--db", postgres_database)
    assert listed.exit_code == 0, listed.output
    assert re.search(r"PO-000001 +│ pbx +│ submitted +│ \+41441234567", listed.output)


@pytest.mark.parametrize("named", ["path", "url"])
def test_a_store_that_is_not_there_is_refused_and_not_made(tmp_path, named):
    """A mistyped file name is refused (exit 1) rather than opened as a new, empty store."""
    missing = tmp_path / "typo.db"
    store_at = str(missing) if named == "path" else f"sqlite:///{missing}"
    for command in (["orders"], ["show", "PO-000001"]):
        result = run(*command, "--db", store_at)
        assert result.exit_code == 1
        assert result.stderr.startswith("argument.invalid: There is no portflow store to read at")
        assert f"{missing}: no such readable file" in result.stderr
        assert not missing.exists()


def sqlite_state(path):
    """Return a SQLite file's tables and journal mode, read without changing them."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as database:
        tables = database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        mode = database.execute("PRAGMA journal_mode").fetchone()[0]
        return sorted(name for (name,) in tables), mode


@pytest.mark.parametrize("command", [["orders"], ["show", "PO-000001"]])
def test_another_applications_database_is_refused_and_left_as_it_was(tmp_path, command):
    """Reading commands write nothing: a SQLite file without portflow's tables stays as it is."""
    path = tmp_path / "invoices.db"
    with contextlib.closing(sqlite3.connect(path)) as database:
        database.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
        database.commit()
    before = sqlite_state(path)
    result = run(*command, "--db", str(path))
    assert result.exit_code == 1
    assert "holds no portflow store (it has no portflow_orders table)" in result.stderr
    assert sqlite_state(path) == before == (["invoices"], "delete")


def test_an_empty_file_is_refused_and_stays_empty(tmp_path):
    """An empty file is no store, and is not made into one."""
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    result = run("orders", "--db", str(path))
    assert result.exit_code == 1
    assert "holds no portflow store" in result.stderr
    assert path.read_bytes() == b""


def test_a_postgresql_database_without_a_store_is_refused_and_gets_no_tables(postgres_database):
    """A PostgreSQL database portflow never used is refused and left without its tables."""
    result = run("orders", "--db", postgres_database)
    assert result.exit_code == 1
    assert "holds no portflow store" in result.stderr
    engine = sa.create_engine(sa.make_url(postgres_database).set(drivername="postgresql+psycopg"))
    try:
        assert sa.inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("store_at", "complaint"),
    [
        ("{text}", "The store {text} cannot be used: file is not a database"),
        ("://", "argument.invalid: '://' is not a database URL"),
        ("postgresql://postgres@127.0.0.1:abc/test", "is not a database URL"),
        ("{long}", "no such readable file"),
        (
            "postgresql+nosuchdriver://db/test",
            "The store postgresql+nosuchdriver://db/test cannot be used: Can't load plugin",
        ),
        ("postgresql+asyncpg://db/test", "driver asyncpg, which is not installed."),
    ],
    ids=["not-sqlite", "not-a-url", "bad-port", "name-too-long", "unknown-driver", "no-driver"],
)
def test_a_store_that_cannot_be_opened_is_reported_in_a_sentence(tmp_path, store_at, complaint):
    """Files and URLs that name no usable database end the command with a sentence, exit 1."""
    text = tmp_path / "notes.txt"
    text.write_text("not a database, only notes\n" * 100)
    result = run("orders", "--db", store_at.format(text=text, long=tmp_path / ("x" * 300)))
    assert result.exit_code == 1
    assert complaint.format(text=text) in " ".join(result.stderr.split())
    assert "pip install" not in result.stderr  # only psycopg comes with an extra
    assert text.read_text() == "not a database, only notes\n" * 100


def test_a_store_of_another_database_is_refused_with_its_code():
    """Portflow stores orders in SQLite or PostgreSQL only (argument.invalid, exit 1)."""
    result = run("orders", "--db", "mysql://localhost/orders")
    assert result.exit_code == 1
    assert "argument.invalid" in result.output
    assert "not 'mysql'" in result.output


def test_a_missing_postgresql_driver_is_named_with_the_extra_that_brings_it(monkeypatch):
    """psycopg, portflow's PostgreSQL driver, comes with the postgres extra; others do not."""
    monkeypatch.setitem(sys.modules, "psycopg", None)
    result = run("orders", "--db", "postgresql://postgres@127.0.0.1/test")
    assert result.exit_code == 1
    assert "driver psycopg, which is not installed (pip install 'portflow[postgres]')" in (
        result.stderr
    )


@pytest.mark.parametrize("command", [["orders"], ["show", "PO-000004"]])
def test_reading_a_simulated_store_changes_nothing_in_it(tmp_path, command):
    """Listing and showing open the store read-only: its file is the same byte for byte."""
    db = tmp_path / "season.db"
    assert run("simulate", "--orders", "6", "--db", str(db)).exit_code == 0
    before = db.read_bytes()
    result = run(*command, "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "PO-000004" in result.output
    assert db.read_bytes() == before


def test_a_store_that_cannot_be_reached_is_reported_in_a_sentence():
    """A PostgreSQL server that does not answer ends the command with a sentence, exit 1."""
    result = run("orders", "--db", "postgresql://postgres:secret@127.0.0.1:1/test")
    assert result.exit_code == 1
    assert " ".join(result.stderr.split()).startswith(
        "The store postgresql://postgres:***@127.0.0.1:1/test cannot be used: connection failed"
    )
    assert "secret" not in result.stderr


@pytest.mark.parametrize("command", [["orders"], ["show", "PO-000001"]])
def test_output_to_a_pipe_keeps_each_row_on_one_line(store_with_one_order, command):
    """Piped without $COLUMNS, rows are not folded at 80 columns: grep finds whole values."""
    result = run(*command, "--db", str(store_with_one_order), env={"COLUMNS": None})
    assert result.exit_code == 0, result.output
    assert max(map(len, result.output.splitlines())) > 80
    numbers = re.compile(r"\+41441234567, \+414412346xx")
    assert numbers.search(result.output)
    if command == ["orders"]:
        (row,) = [line for line in result.output.splitlines() if "PO-000001" in line]
        assert numbers.search(row)
        assert "2027-03-31 06:00" in row


# --- show ---------------------------------------------------------------------------------


def test_show_tells_the_whole_story_of_one_order(store_with_one_order):
    """Numbers, temporary numbers, timers, what was sent and what is due, and the history."""
    result = run("show", "PO-000001", "--db", str(store_with_one_order))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "PO-000001 pbx port, scheduled; ports at 2027-03-31 06:00 (Europe/Zurich)" in out
    assert "subscriber Schmiedeisen AG" in out
    assert "Numbers: +41441234567, +414412346xx" in out
    # SPEC 7: a temporary unit per porting unit, a block of 100 for the block; PBX: active.
    assert re.search(r"│ \+41441234567 +│ \+41\d{9} +│ active", out)
    assert re.search(r"│ \+414412346xx +│ \+41\d{7}xx +│ active", out)
    assert re.search(r"│ 2027-03-31 06:00 +│ execute", out)
    # The advice went out at approval; the confirmation is due two business days on.
    assert re.search(r"│ advice\.review_donor_services +│ email .*│ 2026-11-23 09:00 +│ sent", out)
    assert re.search(r"│ order\.confirmation +│ letter .*│ 2026-11-25 09:00 +│ pending", out)
    assert re.search(r"│ 2026-11-25 09:00 +│ deliver +│ order\.confirmation:[0-9a-f]{32}", out)
    history = re.findall(r"│ 2026-11-23 09:00 +│ (\w+) +│ (\w+) +│ (\w+) +│ (\w+)", out)
    assert history == [
        ("submit", "draft", "submitted", "reseller"),
        ("approve", "submitted", "requested", "provider"),
        ("confirm", "requested", "scheduled", "donor"),
    ]
    assert "port_at=2027-03-31T04:00:00+00:00" in out


def test_show_names_the_port_group_and_the_port_that_happened(tmp_path):
    """A member of a port group (SPEC 1.3) names its group; a completed order, when it ported."""
    path = tmp_path / "group.db"
    engine = Engine.sqlite(path, clock=ManualClock(NOW))
    numbers = tuple(f"044 123 45 {index:02d}" for index in range(11))
    members = engine.submit_group(swiss_request(numbers=numbers))
    for member in members:
        engine.approve(member.id)
        engine.donor_confirms(member.id)
    engine.advance(dt.datetime(2027, 4, 1, tzinfo=dt.UTC))
    engine.store.close()
    result = run("show", "PO-000002", "--db", str(path))
    assert result.exit_code == 0, result.output
    assert (
        "PO-000002 pbx port, completed; ported at 2027-03-31 06:00 (Europe/Zurich); "
        "subscriber Schmiedeisen AG; port group PO-000001"
    ) in result.output
    assert re.search(
        r"│ 2027-03-31 06:00 +│ execute +│ scheduled +│ completed +│ engine", result.output
    )


def test_show_calls_a_broadband_takeover_by_its_name(tmp_path):
    """Seed 000: a broadband line is taken over, not ported; show names the line as such."""
    path = tmp_path / "line.db"
    engine = Engine.sqlite(path, clock=ManualClock(NOW))
    engine.submit(broadband(dt.date(2027, 1, 31)))
    engine.store.close()
    result = run("show", "PO-000001", "--db", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("PO-000001 broadband takeover, submitted; moves at ")
    assert "Line: +41441234567" in result.output
    assert "Numbers:" not in result.output
    assert "Temporary numbers" not in result.output  # SPEC 7: a line gets none


def test_text_from_the_store_is_shown_as_it_is(tmp_path):
    """Brackets in a subscriber's name are the name, not formatting to apply or to choke on."""
    path = tmp_path / "orders.db"
    engine = Engine.sqlite(path, clock=ManualClock(NOW))
    name = "Müller [/] Partner [bold]AG :beer:"
    subscriber = attrs.evolve(SCHMIEDEISEN, name=name)
    engine.submit(swiss_request(subscriber=subscriber))
    engine.store.close()
    result = run("show", "PO-000001", "--db", str(path))
    assert result.exit_code == 0, result.output
    assert f"subscriber {name}" in result.output
    assert f"{name}, Werkstrasse 1" in " ".join(result.output.split())


def test_show_of_an_unknown_order_says_so(store_with_one_order):
    """An id the store does not hold ends the command with a sentence, exit 1."""
    result = run("show", "PO-000002", "--db", str(store_with_one_order))
    assert result.exit_code == 1
    assert "No order PO-000002 in the store." in result.output


# --- check --------------------------------------------------------------------------------


def test_check_lists_each_unit_as_given_with_its_size_and_type():
    """Each item as given, in order: a block of 100 (seed 002), a fixed and a mobile number."""
    result = run("check", "04412346xx", "044 123 45 67", "079 123 45 67")
    assert result.exit_code == 0, result.output
    found = re.findall(r"│ ([^│]+?) +│ (\S+) +│ +([\d,]+) │ ([\w ]+?) +│", result.output)
    assert found == [
        ("04412346xx", "+414412346xx", "100", "DDI block"),
        ("044 123 45 67", "+41441234567", "1", "fixed_line"),
        ("079 123 45 67", "+41791234567", "1", "mobile"),
    ]
    assert "102 numbers in 3 porting units." in result.output
    assert "too_many_singles" not in result.output


def test_check_reports_every_violation_at_once():
    """SPEC 11: a wrong number, a foreign one and an overlap are all reported, exit 1."""
    result = run("check", "044 123", "+46 8 123 456 78", "0441234600", "04412346xx")
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "number.invalid" in out
    assert "numbers.country_mismatch" in out
    assert "numbers.overlap" in out
    assert "numbers[0]" in out
    assert "numbers[1]" in out


@pytest.mark.parametrize("item", ["[/]", "044 123 45 67 [intern]", ":cat:", "044 :phone:"])
def test_check_shows_the_item_it_refuses_as_it_was_given(item):
    """Brackets in what a user typed are named in the refusal, not read as formatting."""
    result = run("check", item)
    assert result.exit_code == 1
    assert "number.invalid" in result.output
    assert repr(item) in " ".join(result.output.split())


def test_check_keeps_units_and_codes_whole_on_a_narrow_terminal():
    """At 50 columns the canonical units and the codes are not cut."""
    narrow = {"COLUMNS": "50"}
    listed = run("check", "044 123 45 67", "04412346xx", env=narrow)
    assert "+41441234567" in listed.output
    assert "+414412346xx" in listed.output
    refused = run("check", "0441234567", "04412345xxxx", env=narrow)
    assert "block.too_large" in refused.output
    assert max(map(len, (listed.output + refused.output).splitlines())) <= 50


def test_check_reads_national_numbers_in_the_given_country():
    """--country SE reads 08-numbers as Stockholm's."""
    result = run("check", "--country", "se", "08 123 456 78")
    assert result.exit_code == 0, result.output
    assert "+46812345678" in result.output
    assert "Numbers of one SE order" in result.output


def test_check_of_an_unknown_country_gives_its_code():
    """A country without a profile is refused with country.unknown, exit 1."""
    result = run("check", "--country", "XX", "0441234567")
    assert result.exit_code == 1
    assert "country.unknown" in result.output


@pytest.mark.parametrize(("singles", "too_many"), [(10, False), (11, True)])
def test_check_says_when_the_singles_need_a_port_group(singles, too_many):
    """SPEC 1.3, seed 002: 10 single numbers fit one order; the 11th needs a port group.

    The numbers are listed either way; one order refused is exit 1, as for any refusal.
    """
    numbers = [f"044 123 45 {index:02d}" for index in range(singles)]
    result = run("check", *numbers)
    assert result.exit_code == (1 if too_many else 0), result.output
    assert f"{singles} numbers in {singles} porting units." in result.output
    assert ("numbers.too_many_singles" in result.output) is too_many
    assert ("Split the request into a port group" in result.output) is too_many


def test_check_counts_only_single_numbers_against_the_limit():
    """Seed 002: blocks do not count; 10 singles and a block of 100 fit one order."""
    numbers = [f"044 123 45 {index:02d}" for index in range(10)]
    result = run("check", *numbers, "04412346xx")
    assert result.exit_code == 0, result.output
    assert "110 numbers in 11 porting units." in result.output
    assert "too_many_singles" not in result.output


def test_check_tells_the_limit_beside_the_other_violations():
    """SPEC 11: 11 singles, one listed twice, are refused for the repeat; the limit is told too."""
    numbers = [f"044 123 45 {index:02d}" for index in range(11)]
    result = run("check", *numbers, numbers[0])
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "numbers.overlap" in out
    assert "12 single numbers are listed; one port order takes at most 10" in out


def test_check_needs_at_least_one_item():
    """Nothing to check is a usage error (exit 2)."""
    result = run("check")
    assert result.exit_code == 2
    assert "Missing argument 'ITEMS...'" in result.output


# --- the command itself -------------------------------------------------------------------


def test_the_command_runs_as_a_module_and_names_its_commands():
    """``python -m portflow`` is the ``portflow`` command."""
    result = subprocess.run(
        [sys.executable, "-m", "portflow", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    for command in ("simulate", "orders", "show", "check"):
        assert re.search(rf"^  {command} ", result.stdout, re.MULTILINE)


@pytest.mark.parametrize("missing", ["click", "rich"])
def test_without_the_cli_extra_the_command_says_what_to_install(monkeypatch, missing):
    """A portflow installed without the cli extra names the extra instead of a traceback."""
    for name in list(sys.modules):
        if name == missing or name.startswith((f"{missing}.", "portflow._cli.commands")):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, missing, None)
    with pytest.raises(SystemExit) as stopped:
        main()
    assert (
        stopped.value.code == f"The portflow command needs {missing}: pip install 'portflow[cli]'"
    )
