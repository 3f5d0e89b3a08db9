"""Commands that read the data: validate, status, overdue, groups, show."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer

from .app import (
    AsOfOpt,
    DataOpt,
    FormatOpt,
    NoCacheOpt,
    ProblemFormat,
    TableFormat,
    app,
    as_of_date,
    check_filter,
    data_dir,
    echo,
    load_data,
    make_console,
    today,
)


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def validate(
    data: DataOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    fmt: Annotated[
        ProblemFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ProblemFormat.text,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """Check every data file and print each problem as path:line:col.

    Example: lcrplan validate --format github
    """
    from ..load import load

    loaded = load(data_dir(data), today(), use_cache=not no_cache)
    problems = loaded.errors if quiet else loaded.problems
    from ..render import problem_summary, render_problems

    echo(render_problems(problems, fmt.value))
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
    status_: Annotated[
        list[str] | None,
        typer.Option("--status", "-s", help="Only items with this status (repeatable)."),
    ] = None,
    fmt: FormatOpt = TableFormat.table,
    all_rows: Annotated[
        bool, typer.Option("--all", "-a", help="Show every row, however many.")
    ] = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """Show the status of every goal and KPI at a date, grouped by plan and theme.

    Example: lcrplan status --plan ci-strategy --as-of 2026-11-30
    """
    from ..evaluate import evaluate, select
    from ..statuses import SEVERITY

    for s in status_ or []:
        if s not in SEVERITY:
            raise typer.BadParameter(
                f"unknown status '{s}' (one of: {', '.join(SEVERITY)})", param_hint="--status"
            )
    loaded = load_data(data, no_cache)
    check_filter(loaded, plan=plan, group=group, owner=owner)
    card = evaluate(loaded.data, as_of_date(as_of), loaded.index)
    card = select(card, plan, group, owner, status_ or [])
    _print_card(card, loaded, fmt, all_rows)


def _print_card(card: Any, loaded: Any, fmt: TableFormat, all_rows: bool) -> None:
    from .. import render

    if fmt is TableFormat.json:
        echo(render.items_json(card.items))
        return
    if fmt is TableFormat.csv:
        echo(render.items_csv(card.items))
        return
    console = make_console()
    console.print(render.summary_line(card))
    ix = loaded.index
    if not card.items:
        console.print("No items match.")
        return
    if all_rows and len(card.items) > render.FULL_TABLE_LIMIT * 4:
        echo(render.items_plain(card.items))
    elif all_rows or len(card.items) <= render.FULL_TABLE_LIMIT:
        console.print(render.status_table(card, ix, console.width))
        console.print("Due dates marked * are the plan's end (the item has none of its own).")
    else:
        console.print(render.overview_table(card, ix, console.width))
        every = render.needs_attention(card)
        shown = render.most_urgent(every, render.ATTENTION_LIMIT, card.as_of)
        if shown:
            from ..evaluate import Scorecard

            console.print(f"Needs attention: the {len(shown)} most urgent of {len(every)}")
            console.print(
                render.status_table(Scorecard(card.as_of, tuple(shown)), ix, console.width)
            )
        console.print(
            f"{len(card.items)} items in all: --all shows every row, "
            "--plan/--group/--status narrow them."
        )


@app.command()
def overdue(
    data: DataOpt = None,
    as_of: AsOfOpt = None,
    within: Annotated[
        int | None,
        typer.Option(
            help="Also list items due within this many days (default: due_soon_days in "
            "lcrplan.yaml, 30).",
            min=0,
            max=3660,
        ),
    ] = None,
    fail: Annotated[bool, typer.Option("--fail", help="Exit 1 when anything is overdue.")] = False,
    plan: Annotated[str | None, typer.Option(help="Only this plan id.")] = None,
    group: Annotated[str | None, typer.Option(help="Only this sub-group id.")] = None,
    fmt: FormatOpt = TableFormat.table,
    no_cache: NoCacheOpt = False,
) -> None:
    """List overdue items, then items due soon, most urgent first.

    Example: lcrplan overdue --within 60 --fail
    """
    from ..evaluate import Scorecard, evaluate, select

    loaded = load_data(data, no_cache)
    check_filter(loaded, plan=plan, group=group)
    when = as_of_date(as_of)
    days = loaded.data.config.due_soon_days if within is None else within
    card = select(evaluate(loaded.data, when, loaded.index), plan, group)
    horizon = when + dt.timedelta(days=days)
    late = [i for i in card.items if i.status == "overdue"]
    soon = [
        i
        for i in card.items
        if i.status not in ("overdue", "done", "paused", "dropped")
        and i.due is not None
        and when <= i.due <= horizon
    ]
    late.sort(key=lambda i: (i.due or when, i.id))
    soon.sort(key=lambda i: (i.due or when, i.id))
    items = Scorecard(when, tuple(late + soon))
    if fmt is TableFormat.table:
        console = make_console()
        console.print(f"As of {when}: {len(late)} overdue, {len(soon)} due within {days} days")
        from .. import render

        if items.items:
            console.print(render.status_table(items, loaded.index, console.width))
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
    from ..evaluate import evaluate
    from ..groups import group_rows

    loaded = load_data(data, no_cache)
    card = evaluate(loaded.data, as_of_date(as_of), loaded.index)
    rows = group_rows(loaded.data, card, loaded.index)
    if fmt is TableFormat.json:
        import json

        echo(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    elif fmt is TableFormat.csv:
        from ..groups import rows_csv

        echo(rows_csv(rows))
    else:
        from ..groups import rows_table

        make_console().print(rows_table(rows))


@app.command()
def show(
    item_id: Annotated[
        str, typer.Argument(metavar="ID", help="Id of a goal, KPI or context entry.")
    ],
    data: DataOpt = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="Output format.")] = (
        ShowFormat.text
    ),
    no_cache: NoCacheOpt = False,
) -> None:
    """Show one goal or KPI in full: fields, source, measurements, status and the reason.
    A context entry (background a document states, not tracked) is shown with its source.

    Example: lcrplan show ci-inv-3
    """
    from .. import render
    from ..errors import did_you_mean
    from ..evaluate import evaluate

    loaded = load_data(data, no_cache)
    context = {entry.id: entry for entry in loaded.data.context}
    if item_id in context:
        entry = context[item_id]
        if fmt == "json":
            import json

            fields = entry.model_dump(mode="json", exclude_none=True)
            context_json = {"id": item_id, "type": "context", "fields": fields}
            echo(json.dumps(context_json, indent=2, ensure_ascii=False) + "\n")
        else:
            echo(render.show_context(entry, loaded.origins[item_id].file))
        return
    ix = loaded.index
    items = evaluate(loaded.data, as_of_date(as_of), ix).by_id()
    if item_id not in items:
        hint = did_you_mean(item_id, list(items)) or "lcrplan status --format csv lists every id"
        raise typer.BadParameter(f"no goal or KPI with id '{item_id}' ({hint})", param_hint="ID")
    item = items[item_id]
    model = ix.kpis[item_id][0] if item.type == "kpi" else ix.goals[item_id].goal
    if fmt is ShowFormat.json:
        import json

        out = item.as_dict() | {"fields": model.model_dump(mode="json", exclude_none=True)}
        echo(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
        return
    origin = loaded.origins[item_id].file
    echo(render.show_item(item, model, ix, origin))
