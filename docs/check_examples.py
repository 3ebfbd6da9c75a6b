"""Run every ``pycon`` example of the documentation and compare its output.

Each page runs top to bottom in one namespace, so a later example may use the
names an earlier one made. Output is compared as doctest does, with whitespace
normalised (long lines may wrap) and ``...`` matching anything.

Usage: ``.venv/bin/python docs/check_examples.py [PAGE.md ...]``; without
arguments every page under ``docs/`` is checked. Exits non-zero on a failure.
"""

from __future__ import annotations

import doctest
import pathlib
import re
import sys

DOCS = pathlib.Path(__file__).parent
_BLOCK = re.compile(r"^```pycon\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def check_page(path: pathlib.Path) -> tuple[int, int]:
    """Run the examples of one page; return (failures, examples run)."""
    text = path.read_text(encoding="utf-8")
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=_FLAGS)
    namespace: dict[str, object] = {"__name__": path.stem}
    for match in _BLOCK.finditer(text):
        line = text.count("\n", 0, match.start(1))
        test = parser.get_doctest(match.group(1), namespace, str(path), str(path), line)
        runner.run(test, clear_globs=False)
        namespace = test.globs  # the test ran in a copy; carry its names on
    result = runner.summarize(verbose=False)
    return result.failed, result.attempted


def main(arguments: list[str]) -> int:
    """Check the named pages, or every page; return the process exit status."""
    pages = [pathlib.Path(a) for a in arguments] or sorted(DOCS.rglob("*.md"))
    failed = attempted = 0
    for page in pages:
        page_failed, page_attempted = check_page(page)
        failed += page_failed
        attempted += page_attempted
    sys.stdout.write(f"{attempted} examples in {len(pages)} pages, {failed} failed.\n")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
