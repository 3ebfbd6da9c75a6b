"""Generate the reference pages from the code at build time (run by mkdocs-gen-files).

- ``reference/codes.md``: one row per member of ``portflow.Code``, described by
  ``portflow.CODE_DOCS``. The codes are never copied into Markdown by hand.
- ``reference/api.md``: every name of ``portflow.__all__``, grouped by the module
  that defines it, so a new public name appears without editing the docs.

A code without an entry in ``CODE_DOCS`` fails the build.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import defaultdict
from types import ModuleType

import mkdocs_gen_files

import portflow
from portflow import CODE_DOCS, Code

# Section titles and order of the API page, by defining module. A module that is
# not listed still gets a section, after these, titled from its name.
_SECTIONS = {
    "numbers": "Single numbers",
    "blocks": "DDI blocks",
    "number_sets": "Number sets",
    "profiles": "Country profiles",
    "calendar": "Business calendar",
    "contracts": "Contracts",
    "errors": "Errors and codes",
}


def _cell(text: str) -> str:
    """Make text safe for one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _seed_cell(seed: str) -> str:
    """Render a seed reference: its number, then the quoted words if any."""
    if seed.strip() in {"", "-"}:
        return "—"
    number, _, quote = seed.partition(":")
    return f"{_cell(number)}: *{_cell(quote)}*" if quote.strip() else _cell(number)


def codes_page() -> str:
    """Return the Markdown of the error-code table."""
    missing = [code.value for code in Code if code not in CODE_DOCS]
    if missing:
        message = f"portflow.CODE_DOCS has no entry for {', '.join(missing)}."
        raise RuntimeError(message)
    lines = [
        "# Error codes",
        "",
        "Every error and warning portflow reports carries one of these stable codes "
        "(`error.code`, `violation.code`). A code never changes meaning, so carriers "
        "can map it to their own user interface and languages. This page is generated "
        "from [`Code`][portflow.Code] and [`CODE_DOCS`][portflow.CODE_DOCS] when the "
        "documentation is built. *Seed* names the operator text the rule comes from "
        "(see [Home](../index.md)); *SPEC* points into the product "
        "specification.",
        "",
        f"{len(Code)} codes.",
        "",
        "| Code | Member | Meaning | Rule | Seed |",
        "|---|---|---|---|---|",
    ]
    for code in Code:
        doc = CODE_DOCS[code]
        lines.append(
            f"| `{code.value}` | `Code.{code.name}` | {_cell(doc.summary)} "
            f"| {_cell(doc.rule)} | {_seed_cell(doc.seed)} |"
        )
    lines += [
        "",
        "Look a code up at run time:",
        "",
        "```pycon",
        ">>> from portflow import CODE_DOCS, Code",
        ">>> print(CODE_DOCS[Code(\"numbers.too_many_singles\")].rule)",
        CODE_DOCS[Code.NUMBERS_TOO_MANY_SINGLES].rule,
        "```",
        "",
    ]
    return "\n".join(lines)


def _core_modules() -> list[ModuleType]:
    """Import every module of the private core, to find where data names are defined."""
    core = importlib.import_module("portflow._core")
    return [
        importlib.import_module(f"{core.__name__}.{info.name}")
        for info in pkgutil.iter_modules(core.__path__)
    ]


def _defining_module(name: str, obj: object, modules: list[ModuleType]) -> str:
    """Return the short name of the module that defines a public object."""
    module = getattr(obj, "__module__", None) if inspect.isclass(obj) or callable(obj) else None
    if module is None:
        module = next(m.__name__ for m in modules if m.__dict__.get(name) is obj)
    return module.rsplit(".", 1)[-1]


def _sort_key(obj: object) -> tuple[int, int]:
    """Order a section: factory functions first, then classes, then data; source order."""
    kind = 0 if inspect.isfunction(obj) else 1 if inspect.isclass(obj) else 2
    try:
        line = inspect.getsourcelines(obj)[1]  # type: ignore[arg-type]
    except TypeError:
        line = 0
    return kind, line


def api_page() -> str:
    """Return the Markdown of the API reference, one section per defining module."""
    modules = _core_modules()
    sections: dict[str, list[str]] = defaultdict(list)
    for name in portflow.__all__:
        obj = getattr(portflow, name)
        sections[_defining_module(name, obj, modules)].append(name)
    order = [m for m in _SECTIONS if m in sections] + sorted(set(sections) - set(_SECTIONS))
    lines = [
        "# API reference",
        "",
        "The public surface is `portflow.__all__`: everything below is importable "
        "from `portflow`; every other module is private and may change without notice. "
        "This page is generated from the code.",
        "",
    ]
    for module in order:
        title = _SECTIONS.get(module, module.replace("_", " ").capitalize())
        lines += [f"## {title}", ""]
        for name in sorted(sections[module], key=lambda n: _sort_key(getattr(portflow, n))):
            lines += [f"::: portflow.{name}", ""]
            if name == "CODE_DOCS":
                lines += [
                    "A `dict` from every [`Code`][portflow.Code] to a `CodeDoc` with "
                    "`summary`, `rule` and `seed` strings; rendered as the "
                    "[error code table](codes.md).",
                    "",
                ]
    return "\n".join(lines)


with mkdocs_gen_files.open("reference/codes.md", "w") as page:
    page.write(codes_page())

with mkdocs_gen_files.open("reference/api.md", "w") as page:
    page.write(api_page())
