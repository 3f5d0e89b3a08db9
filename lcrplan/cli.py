"""The command line: reads argv, the environment and the clock, prints, and picks the exit code.

Exit codes: 0 ok, 1 problems found (invalid data, or --fail/--strict tripped), 2 usage error.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from .errors import LcrplanError, Problem

app = typer.Typer(
    name="lcrplan",
    help="Track the goals and KPIs of the Liverpool City Region plans, kept as YAML files.\n\n"
    "Start with `lcrplan status`; `lcrplan validate` checks the files.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class TableFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class ProblemFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date: use YYYY-MM-DD, e.g. 2026-11-30")


DataOpt = Annotated[
    Path | None,
    typer.Option("--data", "-d", help="Data directory (default: $LCRPLAN_DATA, else the nearest "
                 "data/ or folder with lcrplan.yaml).", show_default=False),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Judge status at the end of this day, YYYY-MM-DD (default: today).",
                 callback=_parse_date, show_default=False),
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Parse every file; ignore the cache.")]
FormatOpt = Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")]


def today() -> dt.date:
    """Today's date; the only place the clock is read."""
    return dt.date.today()


def _as_of(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else today()


def _data_dir(data: Path | None) -> Path:
    from .load import find_data_dir

    return find_data_dir(data, os.environ.get("LCRPLAN_DATA"), Path.cwd())


def _load(data: Path | None, no_cache: bool, strict: bool = False):  # -> Loaded
    from .load import load_or_raise

    return load_or_raise(_data_dir(data), today(), strict=strict, use_cache=not no_cache)


def _console():  # -> rich.console.Console
    from rich.console import Console

    width = None if sys.stdout.isatty() or "COLUMNS" in os.environ else 120
    return Console(no_color="NO_COLOR" in os.environ, highlight=False, soft_wrap=False,
                   width=width)


def _echo(text: str) -> None:
    sys.stdout.write(text)


@app.command()
def validate(
    data: DataOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    fmt: Annotated[ProblemFormat, typer.Option("--format", "-f", help="Output format.")] =
    ProblemFormat.text,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """Check every data file and print each problem as path:line:col.

    Example: lcrplan validate --format github
    """
    from .load import load

    loaded = load(_data_dir(data), today(), use_cache=not no_cache)
    problems = loaded.errors if quiet else loaded.problems
    from .render import problem_summary, render_problems

    _echo(render_problems(problems, fmt.value))
    if fmt is ProblemFormat.text:
        sys.stderr.write(problem_summary(loaded.problems) + "\n")
    failing = loaded.problems if strict else loaded.errors
    raise typer.Exit(1 if failing else 0)


@app.command()
def status(
    data: DataOpt = None,
    as_of: AsOfOpt = None,
    plan: Annotated[str | None, typer.Option(help="Only this plan id.")] = None,
    group: Annotated[str | None, typer.Option(help="Only this sub-group id.")] = None,
    owner: Annotated[str | None, typer.Option(help="Only items owned by this id.")] = None,
    status_: Annotated[list[str] | None, typer.Option(
        "--status", "-s", help="Only items with this status (repeatable).")] = None,
    fmt: FormatOpt = TableFormat.table,
    all_rows: Annotated[bool, typer.Option("--all", "-a", help="Show every row, however many.")]
    = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """Show the status of every goal and KPI at a date, grouped by plan and theme.

    Example: lcrplan status --plan ci-strategy --as-of 2026-11-30
    """
    from .evaluate import STATUSES, evaluate, select

    for s in status_ or []:
        if s not in STATUSES:
            raise typer.BadParameter(f"unknown status '{s}' (one of: {', '.join(STATUSES)})",
                                     param_hint="--status")
    loaded = _load(data, no_cache)
    _check_filter(loaded, plan=plan, group=group, owner=owner)
    card = select(evaluate(loaded.data, _as_of(as_of)), plan, group, owner, status_ or [])
    _print_card(card, loaded, fmt, all_rows)


def _check_filter(loaded: Any, **filters: str | None) -> None:
    from .errors import did_you_mean
    from .index import Index

    ix = Index.build(loaded.data)
    known = {"plan": ix.plans, "group": ix.groups, "owner": ix.owners}
    for name, value in filters.items():
        if value is not None and value not in known[name]:
            hint = did_you_mean(value, known[name]) or "known: " + ", ".join(sorted(known[name]))
            raise typer.BadParameter(f"unknown {name} '{value}' ({hint})", param_hint=f"--{name}")


def _print_card(card: Any, loaded: Any, fmt: TableFormat, all_rows: bool) -> None:
    from . import render
    from .index import Index

    if fmt is TableFormat.json:
        _echo(render.items_json(card.items))
        return
    if fmt is TableFormat.csv:
        _echo(render.items_csv(card.items))
        return
    console = _console()
    console.print(render.summary_line(card))
    ix = Index.build(loaded.data)
    if not card.items:
        console.print("No items match.")
        return
    if all_rows and len(card.items) > render.FULL_TABLE_LIMIT * 4:
        _echo(render.items_plain(card.items))
    elif all_rows or len(card.items) <= render.FULL_TABLE_LIMIT:
        console.print(render.status_table(card, ix))
        console.print("Due dates marked * are the plan's end (the item has none of its own).")
    else:
        console.print(render.overview_table(card, ix))
        attention = render.needs_attention(card)
        limit = 25
        if attention:
            from .evaluate import Scorecard

            console.print(f"Needs attention ({len(attention)}; the {min(limit, len(attention))} "
                          "most urgent shown):")
            console.print(render.status_table(Scorecard(card.as_of, tuple(attention[:limit])), ix))
        console.print(f"{len(card.items)} items in all: --all shows every row, "
                      "--plan/--group/--status narrow them.")


@app.command()
def overdue(
    data: DataOpt = None,
    as_of: AsOfOpt = None,
    within: Annotated[int | None, typer.Option(
        help="Also list items due within this many days (default: due_soon_days in "
        "lcrplan.yaml, 30).", min=0)] = None,
    fail: Annotated[bool, typer.Option("--fail", help="Exit 1 when anything is overdue.")] = False,
    plan: Annotated[str | None, typer.Option(help="Only this plan id.")] = None,
    group: Annotated[str | None, typer.Option(help="Only this sub-group id.")] = None,
    fmt: FormatOpt = TableFormat.table,
    no_cache: NoCacheOpt = False,
) -> None:
    """List overdue items, then items due soon, most urgent first.

    Example: lcrplan overdue --within 60 --fail
    """
    from .evaluate import Scorecard, evaluate, select

    loaded = _load(data, no_cache)
    _check_filter(loaded, plan=plan, group=group)
    when = _as_of(as_of)
    days = loaded.data.config.due_soon_days if within is None else within
    card = select(evaluate(loaded.data, when), plan, group)
    horizon = when + dt.timedelta(days=days)
    late = [i for i in card.items if i.status == "overdue"]
    soon = [i for i in card.items if i.status not in ("overdue", "done", "paused", "dropped")
            and i.due is not None and when <= i.due <= horizon]
    late.sort(key=lambda i: (i.due or when, i.id))
    soon.sort(key=lambda i: (i.due or when, i.id))
    items = Scorecard(when, tuple(late + soon))
    if fmt is TableFormat.table:
        console = _console()
        console.print(f"As of {when}: {len(late)} overdue, {len(soon)} due within {days} days")
        from . import render
        from .index import Index

        if items.items:
            console.print(render.status_table(items, Index.build(loaded.data)))
    else:
        _print_card(items, loaded, fmt, True)
    raise typer.Exit(1 if fail and late else 0)


@app.command()
def groups(
    data: DataOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = TableFormat.table,
    no_cache: NoCacheOpt = False,
) -> None:
    """List boards and their sub-groups with chairs and their goals counted by status.

    Example: lcrplan groups --format csv
    """
    from .evaluate import evaluate
    from .groups import group_rows

    loaded = _load(data, no_cache)
    rows = group_rows(loaded.data, evaluate(loaded.data, _as_of(as_of)))
    if fmt is TableFormat.json:
        import json

        _echo(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    elif fmt is TableFormat.csv:
        from .groups import rows_csv

        _echo(rows_csv(rows))
    else:
        from .groups import rows_table

        _console().print(rows_table(rows))


@app.command()
def show(
    item_id: Annotated[str, typer.Argument(metavar="ID", help="Id of a goal or KPI.")],
    data: DataOpt = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    no_cache: NoCacheOpt = False,
) -> None:
    """Show one goal or KPI in full: fields, source, measurements, status and the reason.

    Example: lcrplan show ci-inv-3
    """
    from . import render
    from .errors import did_you_mean
    from .evaluate import evaluate
    from .index import Index

    loaded = _load(data, no_cache)
    ix = Index.build(loaded.data)
    items = evaluate(loaded.data, _as_of(as_of)).by_id()
    if item_id not in items:
        hint = did_you_mean(item_id, list(items)) or "lcrplan status --format csv lists every id"
        raise typer.BadParameter(f"no goal or KPI with id '{item_id}' ({hint})",
                                 param_hint="ID")
    item = items[item_id]
    model = ix.kpis[item_id][0] if item.type == "kpi" else ix.goals[item_id].goal
    if fmt == "json":
        import json

        out = item.as_dict() | {"fields": model.model_dump(mode="json", exclude_none=True)}
        _echo(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
        return
    origin = loaded.origins[item_id].file
    _echo(render.show_item(item, model, ix, origin))


def _print_problems(problems: list[Problem]) -> None:
    for p in problems:
        sys.stderr.write(p.text() + "\n")
    errors = sum(p.severity == "error" for p in problems)
    if errors:
        sys.stderr.write(f"lcrplan: {errors} error(s); fix them and run again "
                         "(lcrplan validate lists them all)\n")


def main() -> None:
    """Entry point: run the app, turning data problems into messages and exit code 1."""
    debug = "--debug" in sys.argv
    if debug:
        sys.argv.remove("--debug")
    try:
        app(standalone_mode=True)
    except LcrplanError as exc:
        _print_problems(exc.problems)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # a bug, not a user error
        if debug:
            raise
        sys.stderr.write(f"lcrplan: internal error: {type(exc).__name__}: {exc}\n"
                         "Please report it; run again with --debug to see the traceback.\n")
        sys.exit(3)
