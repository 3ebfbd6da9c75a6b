"""The ``portflow`` command (the ``cli`` extra: ``pip install 'portflow[cli]'``)."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the ``portflow`` command; say which extra it needs when click or rich is missing."""
    try:
        from portflow._cli.commands import portflow  # noqa: PLC0415 - click and rich are optional
    except ModuleNotFoundError as missing:
        package = (missing.name or "").partition(".")[0]
        if package not in ("click", "rich"):
            raise
        sys.exit(f"The portflow command needs {package}: pip install 'portflow[cli]'")
    portflow()
