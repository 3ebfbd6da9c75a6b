"""Imports run one way: the pure core imports no adapter and does no I/O (STYLE 1)."""

import ast
import pathlib
import subprocess
import sys

import pytest

import portflow

SOURCE = pathlib.Path(portflow.__file__).parent
FORBIDDEN_IN_CORE = {
    "os",
    "socket",
    "sqlite3",
    "sqlalchemy",
    "psycopg",
    "smtplib",
    "subprocess",
    "time",
    "random",
    "hypothesis",
}


def imported_modules(path: pathlib.Path) -> set[str]:
    """Return the top-level modules and portflow modules a file imports."""
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_core_imports_only_the_core_and_domain_libraries():
    """STYLE 1: _core imports no adapter, engine or I/O module."""
    for path in (SOURCE / "_core").glob("*.py"):
        for module in imported_modules(path):
            top = module.split(".")[0]
            assert top not in FORBIDDEN_IN_CORE, f"{path.name} imports {module}"
            if top == "portflow":
                assert module.startswith("portflow._core"), f"{path.name} imports {module}"


def test_the_core_never_reads_the_clock():
    """STYLE 1: time enters only through ports; the core never asks for 'now'."""
    for path in (SOURCE / "_core").glob("*.py"):
        text = path.read_text()
        for call in ("datetime.now", "date.today", "pendulum.now", "pendulum.today", ".utcnow"):
            assert call not in text, f"{path.name} calls {call}"


def test_importing_portflow_does_not_import_test_libraries():
    """The runtime package must not need hypothesis; only portflow.testing does."""
    for path in SOURCE.rglob("*.py"):
        if "testing" in path.parts:
            continue
        assert "hypothesis" not in {m.split(".")[0] for m in imported_modules(path)}, path


def test_importing_portflow_does_not_import_the_commands_libraries():
    """The command is optional (the cli extra): the library runs without click and rich."""
    printed = _run_python(
        "import sys, portflow, portflow.testing.strategies;"
        "print(sorted({'click', 'rich'} & {name.split('.')[0] for name in sys.modules}))"
    )
    assert printed == "[]"


def test_the_command_and_the_samples_run_without_the_testing_extra():
    """``portflow simulate`` takes its customer from `portflow.testing.samples`, not hypothesis."""
    printed = _run_python(
        "import sys; sys.modules['hypothesis'] = None;"  # any import of it now fails
        "import portflow.testing, portflow.testing.samples, portflow._cli.simulation;"
        "print(sorted(name for name in sys.modules if name.startswith('portflow.testing')))"
    )
    assert printed == "['portflow.testing', 'portflow.testing.samples']"


def test_the_testing_modules_are_there_when_named():
    """`portflow.testing.strategies` is imported when first named, as the docs show it."""
    import portflow.testing  # noqa: PLC0415 - the import is what is tested

    assert portflow.testing.strategies.__name__ == "portflow.testing.strategies"
    with pytest.raises(AttributeError, match="no attribute 'strategy'"):
        _ = portflow.testing.strategy


def _run_python(code: str) -> str:
    """Run ``code`` in a fresh interpreter of this environment; return what it printed."""
    result = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()
