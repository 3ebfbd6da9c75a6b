"""Code in the documentation is executed (STYLE 11): every pycon example gives its output."""

import pathlib
import runpy

import pytest

DOCS = pathlib.Path(__file__).parent.parent / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
check_page = runpy.run_path(str(DOCS / "check_examples.py"))["check_page"]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(DOCS)))
def test_every_example_on_the_page_prints_what_the_page_says(page):
    """A docs example whose output drifted from the code fails here."""
    failures, _ = check_page(page)
    assert failures == 0
