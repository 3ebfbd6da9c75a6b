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
import pathlib
import pkgutil
from collections import defaultdict
from types import ModuleType

import mkdocs_gen_files

import portflow
from portflow import CODE_DOCS, Code

CODES_INTRO = """\
# Error codes

Every error and warning portflow reports carries one of these stable codes
(`error.code`, `violation.code`). A code never changes meaning, so carriers can
map it to their own user interface and languages. This page is generated from
[`Code`][portflow.Code] and [`CODE_DOCS`][portflow.CODE_DOCS] when the
documentation is built. *Rule* points into the product specification; *Seed*
names the operator text the rule comes from (see [the seeds](../index.md#the-seeds)).
"""

CODES_LOOKUP = """\
Look a code up at run time:

```pycon
>>> from portflow import CODE_DOCS, Code
>>> print(CODE_DOCS[Code("{code}")].rule)
{rule}
```
"""

API_INTRO = """\
# API reference

The public surface is `portflow.__all__`: everything below is importable from
`portflow`. Every other module is private and may change without notice. This
page is generated from the code.
"""

TESTING_SECTION = """\
## Testing strategies

Hypothesis strategies for rule suites built on portflow. They need the `testing`
extra (`pip install portflow[testing]`), which brings hypothesis, and are
imported as a module: `from portflow.testing import strategies as pst`. The
strategies built with `hypothesis.strategies.composite` show hypothesis' `draw`
as their first parameter; leave it out when calling them:
`pst.phone_numbers("SE")`.

::: portflow.testing.strategies
    options:
      show_root_full_path: true
"""

# Section titles and order of the API page, by defining module. A module that is
# not listed still gets a section, after these, titled from its name.
SECTIONS = {
    "numbers": "Single numbers",
    "blocks": "DDI blocks",
    "number_sets": "Number sets",
    "profiles": "Country profiles",
    "calendar": "Business calendar",
    "contracts": "Contracts",
    "errors": "Errors and codes",
}

# Per-object mkdocstrings options, and notes written after the object.
OPTIONS = {
    # The value is the whole table of codes, which the code page shows instead.
    "CODE_DOCS": ["options:", "  show_attribute_values: false"],
}
NOTES = {
    "CODE_DOCS": (
        "A `dict` from every [`Code`][portflow.Code] to a `CodeDoc` with `summary`, "
        "`rule` and `seed` strings, rendered as the [error code table](codes.md)."
    ),
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
    rows = [
        f"| `{code.value}` | `Code.{code.name}` | {_cell(CODE_DOCS[code].summary)} "
        f"| {_cell(CODE_DOCS[code].rule)} | {_seed_cell(CODE_DOCS[code].seed)} |"
        for code in Code
    ]
    example = Code.NUMBERS_TOO_MANY_SINGLES
    return "\n".join(
        [
            CODES_INTRO,
            f"{len(Code)} codes.",
            "",
            "| Code | Member | Meaning | Rule | Seed |",
            "|---|---|---|---|---|",
            *rows,
            "",
            CODES_LOOKUP.format(code=example.value, rule=CODE_DOCS[example].rule),
        ]
    )


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
    """Order a section: functions first, then classes, then data, each in source order."""
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
        sections[_defining_module(name, getattr(portflow, name), modules)].append(name)
    order = [m for m in SECTIONS if m in sections] + sorted(set(sections) - set(SECTIONS))
    lines = [API_INTRO]
    for module in order:
        title = SECTIONS.get(module, module.replace("_", " ").capitalize())
        lines += [f"## {title}", ""]
        for name in sorted(sections[module], key=lambda n: _sort_key(getattr(portflow, n))):
            lines.append(f"::: portflow.{name}")
            lines += [f"    {option}" for option in OPTIONS.get(name, [])]
            lines.append("")
            if name in NOTES:
                lines += [NOTES[name], ""]
    # Found by its file, not imported: the strategies need hypothesis, the docs do not.
    if (pathlib.Path(portflow.__file__).parent / "testing" / "strategies.py").exists():
        lines.append(TESTING_SECTION)
    return "\n".join(lines)


LIFECYCLE_INTRO = """\
# Port order lifecycle

The states and triggers of a port order (SPEC 6). The diagram is drawn by
`transitions` from the very table the library runs on, when the documentation
is built; it is never drawn by hand.

| state | meaning |
|---|---|
| `draft` | being edited |
| `submitted` | validated; waiting for the provider's review (seed 002) |
| `clarification` | the provider asked the reseller a question |
| `deferred` | ordering postponed by a binding-time rule until a wake date |
| `requested` | sent to the donor, waiting for its confirmation |
| `scheduled` | the donor confirmed the port date and time |
| `completed` | executed: the numbers work at the new operator |
| `rejected` | the donor refused, with a reason code |
| `cancelled` | stopped before execution |

`approve` leads to `requested`, or, given a `defer_until` instant, fires as
`defer` and leads to `deferred`. A trigger the state does not allow raises
`IllegalTransition` (`order.illegal_transition`) and changes nothing.

The [`Engine`][portflow.Engine] fires the triggers: each command fires one, and
`Engine.advance` fires `wake` and `execute` when their timers are due.
[Port orders](orders.md) shows which command fires which trigger, with examples.
"""


def lifecycle_page() -> str:
    """Return the lifecycle page with the Mermaid diagram drawn from the machine."""
    from portflow._core.lifecycle import port_order_lifecycle  # noqa: PLC0415 - private

    return f"{LIFECYCLE_INTRO}\n```mermaid\n{port_order_lifecycle().mermaid()}\n```\n"


with mkdocs_gen_files.open("concepts/lifecycle.md", "w") as page:
    page.write(lifecycle_page())

with mkdocs_gen_files.open("reference/codes.md", "w") as page:
    page.write(codes_page())

with mkdocs_gen_files.open("reference/api.md", "w") as page:
    page.write(api_page())
