"""The ``portflow`` commands: simulate traffic, list and show a store's orders, check numbers.

Each command prints with rich and exits 0 when it did what it was asked, 1 when
portflow refused the input (the codes and messages are printed) or the store
cannot be used, and 2 when the command line itself is wrong, as click does.
Text from users and stores is printed as it is, never read as rich markup.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import attrs
import click
import sqlalchemy as sa
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column, Table

from portflow._adapters.sql import URL_VARIABLE, SqlOrderStore, hidden_password, sqlite_url
from portflow._cli import simulation
from portflow._core.calendar import BusinessCalendar
from portflow._core.errors import InvalidInput, PortflowError, ValidationFailed, Violation
from portflow._core.lifecycle import OrderState
from portflow._core.number_sets import (
    Entry,
    entry_text,
    parse_entry,
    parse_numbers,
    too_many_singles,
)
from portflow._core.numbers import PhoneNumber
from portflow._core.orders import PortOrder
from portflow._core.profiles import CountryProfile, profile_for
from portflow._core.requests import Service

_NOT_PORTED = frozenset({OrderState.CANCELLED, OrderState.REJECTED})
"""Ended without a port: their port instant never came to pass."""
_PIPED_WIDTH = 1_000
"""Wider than any row: a table written to a pipe is as wide as its widest row."""
_STORE_HELP = (
    f"The store: a SQLite file, or a database URL such as postgresql://host/db. "
    f"Default: ${URL_VARIABLE}, else portflow.db."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="portflow")
def portflow() -> None:
    """Telephone-number porting: simulate traffic, look at a store's orders, check numbers."""


@portflow.command()
@click.option(
    "--orders",
    type=click.IntRange(min=1),
    default=30,
    show_default=True,
    help="Port orders to submit.",
)
@click.option(
    "--seed", type=int, default=7, show_default=True, help="Random seed; same seed, same run."
)
@click.option(
    "--db",
    "db_text",
    type=click.Path(dir_okay=False, writable=True),
    help="A new SQLite file to keep the orders in (default: a temporary one).",
)
@click.option(
    "--country",
    type=click.Choice(sorted(simulation.TRAFFIC), case_sensitive=False),
    default="CH",
    show_default=True,
    help="Where the traffic runs: its customer, numbers, business days and language.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the summary as one JSON object instead of tables, for scripts.",
)
def simulate(orders: int, seed: int, db_text: str | None, country: str, as_json: bool) -> None:  # noqa: FBT001 - a click flag
    """Run a seeded season of porting traffic on the embedded SQLite store.

    PBX, mobile and IP-telephony ports and broadband takeovers are submitted
    every business day, reviewed, answered by a seeded simulated donor (some
    rejected, revised and resubmitted, some moved, some cancelled) and executed
    as the clock moves day by day, until every order has ended.
    """
    country = country.upper()  # the choice is taken in either case
    if db_text is not None and db_text.endswith((os.sep, os.altsep or os.sep)):
        # A path would drop the separator and make a file of the directory's name.
        _usage_error(f"{db_text} names a directory; name a new file in it.", "--db")
    db = None if db_text is None else Path(db_text)
    # os.path, unlike pathlib on 3.11, answers False where it may not look.
    if db is not None and os.path.lexists(db):
        # Orders already there would join the summary and shift the ids: not the same run.
        _usage_error(f"{db} exists; name a new file, or delete it to start afresh.", "--db")
    if db is not None and not os.path.isdir(db.parent):  # noqa: PTH112
        _usage_error(f"{db}: the directory {db.parent} does not exist.", "--db")
    console = _console()
    with tempfile.TemporaryDirectory() as scratch:
        path = db or Path(scratch) / "portflow.db"
        with (
            _refusals(console, os.fspath(path)),
            _opened(sqlite_url(os.fspath(path))) as store,
            _progress(orders) as ended,
        ):
            summary = simulation.simulate(store, orders, seed, ended, country)
    where = "a temporary file" if db is None else str(db)
    calendar = simulation.TRAFFIC[country].calendar
    if as_json:
        document = {
            "country": country,
            "seed": seed,
            "db": None if db is None else str(db),
            **attrs.asdict(summary),
        }
        document["clock"] = summary.clock.isoformat()
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
        return
    console.print(
        f"{summary.orders} port orders in {country} on {where}, clock at "
        f"{calendar.local(summary.clock):%Y-%m-%d %H:%M} ({calendar.profile.zone})"
    )
    for counted, per, counts in [
        ("orders", "service", summary.services),
        ("orders", "final state", summary.states),
        ("times", "what happened", summary.happened),
        ("sent", "notification", summary.notifications),
        ("temporary numbers", "final status", summary.temporary_numbers),
    ]:
        console.print(_counts_table(per, counted, counts))


@portflow.command("orders")
@click.option("--db", "store_at", envvar=URL_VARIABLE, default="portflow.db", help=_STORE_HELP)
@click.option(
    "--state",
    "states",
    type=click.Choice([state.value for state in OrderState]),
    multiple=True,
    help="Only orders in this state (repeat for several).",
)
def list_orders(store_at: str, states: tuple[str, ...]) -> None:
    """List a store's orders: service, state, numbers and port instant."""
    console = _console()
    with _refusals(console, store_at), _opened(_store_url(store_at), read_only=True) as store:
        table = Table(
            "order",
            "service",
            "state",
            _folded("numbers"),
            _when("port (local)"),
            "group",
            title="Orders",
        )
        listed = 0
        for order in store.orders():
            if states and order.state.value not in states:
                continue
            listed += 1
            table.add_row(
                order.id,
                order.valid.request.service.value,
                order.state.value,
                ", ".join(entry_text(entry) for entry in order.valid.numbers),
                "" if order.state in _NOT_PORTED else _local(order, order.port_at),
                order.group_id or "",
            )
    console.print(table if listed else "No orders.")


@portflow.command()
@click.argument("order_id")
@click.option("--db", "store_at", envvar=URL_VARIABLE, default="portflow.db", help=_STORE_HELP)
def show(order_id: str, store_at: str) -> None:
    """Show one order: its numbers, temporary numbers, timers, notifications and history."""
    console = _console()
    with _refusals(console, store_at), _opened(_store_url(store_at), read_only=True) as store:
        order = store.get(order_id)
        if order is None:
            raise click.ClickException(f"No order {order_id} in the store.")
    request = order.valid.request
    takeover = request.service is Service.BROADBAND  # a line taken over, no numbers ported
    console.print(
        f"{order.id} {request.service.value} {'takeover' if takeover else 'port'}, "
        f"{order.state.value}; {_port_phrase(order, takeover=takeover)}; "
        f"subscriber {request.subscriber.name}"
        + (f"; port group {order.group_id}" if order.group_id else ""),
        style="bold",
    )
    units = ", ".join(entry_text(entry) for entry in order.valid.numbers)
    console.print(f"{'Line' if takeover else 'Numbers'}: {units}")
    temporaries = Table("number", "temporary number", "status", title="Temporary numbers")
    for temporary in order.temporary_numbers:
        temporaries.add_row(
            entry_text(temporary.stands_for), temporary.text, temporary.status.value
        )
    timers = Table(_when("due (local)"), "action", _folded("notification"), title="Timers")
    for timer in order.timers:
        timers.add_row(_local(order, timer.due), timer.action.value, timer.key)
    pending = order.pending_keys
    notices = Table(
        Column("kind", no_wrap=True),
        "channel",
        _folded("recipient"),
        _when("due (local)"),
        "status",
        title="Notifications",
    )
    for notice in order.notifications:
        notices.add_row(
            notice.kind.value,
            notice.channel.value,
            notice.recipient,
            _local(order, notice.due),
            "pending" if notice.key in pending else "sent",
        )
    history = Table(
        _when("at (local)"), "trigger", "from", "to", "actor", _folded("details"), title="History"
    )
    for event in order.history:
        history.add_row(
            _local(order, event.at),
            event.trigger.value,
            event.source.value,
            event.dest.value,
            event.actor,
            ", ".join(f"{name}={value}" for name, value in event.details),
        )
    for table in (temporaries, timers, notices, history):
        if table.row_count:
            console.print(table)


@portflow.command()
@click.argument("items", nargs=-1, required=True)
@click.option(
    "--country",
    default="CH",
    show_default=True,
    help="The country of the order (ISO 3166 code); national numbers are read in it.",
)
def check(items: tuple[str, ...], country: str) -> None:
    """Check the numbers of one port order: single numbers and x-wildcard DDI blocks.

    Quote each item that holds spaces: portflow check "044 123 45 67" 04412346xx
    """
    console = _console()
    with _refusals(console):
        profile = profile_for(country.upper())
        parsed = [_parsed(item, profile) for item in items]
        # More singles than one order takes is said beside any other violation.
        singles = sum(isinstance(entry, PhoneNumber) for entry in parsed)
        limit = too_many_singles(singles, profile.max_singles)
        try:
            numbers = parse_numbers(items, profile)
        except ValidationFailed as failed:
            raise ValidationFailed([*failed.violations, *filter(None, [limit])]) from None
    entries = [entry for entry in parsed if entry is not None]  # all of them: the set parsed
    table = Table(
        _folded("item"),
        Column("unit", no_wrap=True),
        Column("numbers", justify="right"),
        "type",
        title=f"Numbers of one {profile.country} order",
    )
    for item, entry in zip(items, entries, strict=True):
        kind = entry.type.value if isinstance(entry, PhoneNumber) else "DDI block"
        size = 1 if isinstance(entry, PhoneNumber) else entry.size
        table.add_row(item, entry_text(entry), f"{size:,}", kind)
    console.print(table)
    console.print(f"{numbers.total:,} numbers in {len(numbers)} porting units.")
    if limit is not None:  # each number is fine; one order cannot take them all
        console.print(_violations_table([limit], "One order cannot take them"))
        raise SystemExit(1)


def _parsed(item: str, profile: CountryProfile) -> Entry | None:
    try:
        return parse_entry(item, profile)
    except InvalidInput:
        return None


def _usage_error(message: str, option: str) -> NoReturn:
    raise click.BadParameter(message, param_hint=option)


def _store_url(store_at: str) -> str:
    """Return the URL of a store named by URL or by the path of a SQLite file."""
    return store_at if "://" in store_at else sqlite_url(store_at)


@contextmanager
def _opened(url: str, *, read_only: bool = False) -> Iterator[SqlOrderStore]:
    """Open the store at ``url``; ``read_only``, only one that is there, to write nothing."""
    try:
        store = SqlOrderStore(url, read_only=read_only)
    except ModuleNotFoundError as missing:
        extra = " (pip install 'portflow[postgres]')" if missing.name == "psycopg" else ""
        raise click.ClickException(
            f"The store needs the database driver {missing.name}, which is not installed{extra}."
        ) from None
    try:
        yield store
    finally:
        store.close()


@contextmanager
def _refusals(console: Console, store: str = "") -> Iterator[None]:
    """Print what portflow refused, every violation with its code, and exit 1.

    Violations of the input are the command's answer (standard output); a store
    that cannot be used is an error (standard error), named as ``store`` names it.
    """
    try:
        yield
    except ValidationFailed as failed:
        console.print(_violations_table(failed.violations, "Refused"))
        raise SystemExit(1) from None
    except PortflowError as error:
        _console(stderr=True).print(f"{error.code}: {error.message}", style="red")
        raise SystemExit(1) from None
    except sa.exc.SQLAlchemyError as error:
        cause = error.orig if isinstance(error, sa.exc.DBAPIError) else error
        named = f" {hidden_password(store)}" if store else ""
        _console(stderr=True).print(f"The store{named} cannot be used: {cause}", style="red")
        raise SystemExit(1) from None


def _console(*, stderr: bool = False) -> Console:
    """Return a console that prints text as it is: no markup, emoji codes or highlighting.

    Written to a pipe or a file, without ``$COLUMNS``, a row is one line however
    long, so that grep and cut find whole numbers and keys.
    """
    console = Console(stderr=stderr, markup=False, emoji=False, highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = _PIPED_WIDTH
    return console


@contextmanager
def _progress(orders: int) -> Iterator[Callable[[int], None]]:
    """Show a bar of the orders ended so far on standard error, where it leaves no trace.

    Yields what the simulation tells each day.
    """
    columns = (
        TextColumn("orders ended"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=_console(stderr=True), transient=True) as progress:
        task = progress.add_task("simulate", total=orders)
        yield lambda ended: progress.update(task, completed=ended)


def _violations_table(violations: Sequence[Violation], title: str) -> Table:
    table = Table(
        "severity",
        Column("code", no_wrap=True),
        Column("field", no_wrap=True),
        _folded("message"),
        title=title,
    )
    for violation in violations:
        table.add_row(
            violation.severity.value, violation.code.value, violation.field, violation.message
        )
    return table


def _counts_table(per: str, counted: str, counts: Mapping[str, int]) -> Table:
    table = Table(_folded(per), Column(counted, justify="right"))
    for name, count in counts.items():
        table.add_row(name, f"{count:,}")
    return table


def _when(header: str) -> Column:
    """Return a column of local instants, each kept on one line."""
    return Column(header, no_wrap=True)


def _folded(header: str) -> Column:
    """Return a column of text without spaces to break at (keys, addresses), folded to fit."""
    return Column(header, overflow="fold")


def _port_phrase(order: PortOrder, *, takeover: bool) -> str:
    """Say when the order's numbers (a takeover's line) move, moved, or were to move."""
    if order.port_at is None:
        return "no port instant planned"
    when = f"{_local(order, order.port_at)} ({order.valid.profile.zone})"
    past, present, verb = ("moved", "moves", "move") if takeover else ("ported", "ports", "port")
    if order.state is OrderState.COMPLETED:
        return f"{past} at {when}"
    if order.state in _NOT_PORTED:
        return f"was to {verb} at {when}"
    return f"{present} at {when}"


def _local(order: PortOrder, instant: dt.datetime | None) -> str:
    """Return an instant in the order's country, as its people read it; empty for none."""
    if instant is None:
        return ""
    return f"{BusinessCalendar.for_profile(order.valid.profile).local(instant):%Y-%m-%d %H:%M}"
