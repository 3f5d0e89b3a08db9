"""Commands that read the data: validate, status, overdue, groups, show."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from ..core.statuses import SEVERITY, Status, parse_status
from .app import (
    AsOfOpt,
    DataOpt,
    FormatOpt,
    GroupOpt,
    NoCacheOpt,
    PlanOpt,
    TableFormat,
    as_of_date,
    command,
    data_dir,
    echo,
    load_data,
    make_console,
    print_blocks,
    retain,
    usage,
)

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from ..core.models import AnyKpi, Context, Goal
    from ..emit.json_csv import Command
    from ..evaluate.scorecard import ItemStatus, Scorecard
    from ..loader.load import Loaded


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


class ExplainFormat(StrEnum):
    text = "text"
    markdown = "markdown"


@command("validate", "Check every data file: each problem at its line.")
def validate(
    data: DataOpt = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on warnings too (not on information).")
    ] = False,
    fmt: Annotated[
        ValidateFormat,
        typer.Option(
            "--format",
            "-f",
            help="Output format: text, json, github (workflow annotations) or sarif (code "
            "scanning).",
        ),
    ] = ValidateFormat.text,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="Print errors only, one line each; count the warnings by code."
        ),
    ] = False,
    source: Annotated[
        bool | None,
        typer.Option(
            "--source/--no-source",
            help="Show each problem's line with a caret under it (default: on a terminal).",
            show_default=False,
        ),
    ] = None,
    stats: Annotated[
        bool,
        typer.Option("--statistics", help="Print how many problems of each code, not each one."),
    ] = False,
    show_suppressed: Annotated[
        bool,
        typer.Option(
            "--show-suppressed",
            help="Also list the known problems accepted with a reason (in lcrplan.yaml or an "
            "item's ignore:), under each rule with its reason.",
        ),
    ] = False,
    as_of: AsOfOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Check every data file and print each problem as path:line:col, errors first, each with
    its code (`lcrplan explain CODE` says what it means and how to fix it).

    \b
    Example: lcrplan validate --strict --statistics
    """
    from ..core.problems import worst_first
    from ..edits.journal import unfinished
    from ..emit import terminal as render
    from ..emit.problems import sarif_log
    from ..loader.discover import display_root
    from ..loader.load import load
    from ..loader.validate import read_text

    root = data_dir(data)
    when = as_of_date(as_of)
    loaded = retain(load(root, when, use_cache=not no_cache))
    loaded.problems = [*unfinished(root), *loaded.problems]  # an import left half-done
    problems = loaded.errors if quiet else loaded.problems
    suppressed = loaded.policy.suppressed
    if show_suppressed and (stats or fmt is not ValidateFormat.text):
        raise typer.BadParameter(
            "works with --format text (json and sarif carry them: sarif lists each)",
            param_hint="--show-suppressed",
        )
    if stats:
        if fmt not in (ValidateFormat.text, ValidateFormat.json):
            raise typer.BadParameter("works with --format text or json", param_hint="--statistics")
        counts = render.code_counts(loaded.problems, (s.code for s in suppressed))
        echo(render.statistics(counts, fmt.value))
    elif fmt is ValidateFormat.sarif:
        echo(sarif_log(problems, suppressed))
    elif fmt is ValidateFormat.json:
        from ..emit import json_csv as output

        tally = output.problem_summary(loaded.problems, len(suppressed))
        found = [output.problem(p) for p in worst_first(problems)]
        filters = output.ValidateFilters(errors_only=quiet)
        echo(output.to_json(output.envelope("validate", when, filters, tally, found)))
    else:
        show = sys.stdout.isatty() if source is None else source
        lines: dict[str, list[str] | None] = {}
        base = display_root(root)
        limit = loaded.data.config.limits.max_file_bytes

        def file_lines(name: str) -> list[str] | None:
            if name not in lines:
                text, _ = read_text(base / name, name, limit)
                lines[name] = None if text is None else text.split("\n")
            return lines[name]

        reader = file_lines if show and not quiet and fmt is ValidateFormat.text else None
        echo(render.render_problems(problems, fmt.value, reader))
        if show_suppressed:
            echo(render.accepted_list(suppressed))
    if fmt in (ValidateFormat.text, ValidateFormat.json) or stats:
        summary = render.problem_summary(loaded.problems, suppressed, listed=not quiet)
        sys.stderr.write(summary + "\n")
    failing = [p for p in loaded.problems if p.severity != "info"] if strict else loaded.errors
    raise typer.Exit(1 if failing else 0)


@command("explain", "What a problem code means, and how to fix it.")
def explain(
    code: Annotated[
        str | None,
        typer.Argument(metavar="CODE", help="A problem code (LCR501) or name (goal-without-kpi)."),
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Every code.")] = False,
    fmt: Annotated[
        ExplainFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ExplainFormat.text,
) -> None:
    """Explain a problem code: what it means, why it matters, an example and the fix.

    \b
    Example: lcrplan explain LCR501
    """
    from ..core.codes import ALL, BY_CODE, BY_NAME, handbook, lookup, page
    from ..core.problems import did_you_mean

    if every or code is None:
        if fmt is ExplainFormat.markdown:
            echo(handbook())
        else:
            echo("".join(f"{c.code}  {c.name:<28} {c.level:<8} {c.summary}\n" for c in ALL))
        return
    found = lookup(code)
    if found is None:
        hint = did_you_mean(code.upper(), BY_CODE) or did_you_mean(code.lower(), BY_NAME)
        raise typer.BadParameter(
            f"no code '{code}' ({hint or 'lcrplan explain --all lists them'})", param_hint="CODE"
        )
    echo(page(found))


STATUS_HELP = (
    "Only items with this status (repeatable; any case, the key or the word): "
    + ", ".join(SEVERITY)
    + "."
)


def _parse_statuses(values: list[str] | None) -> list[str]:
    """Each --status as its key, whatever its case ("Overdue", "on track"), or a usage error."""
    found = []
    for value in values or []:
        status = parse_status(value)
        if status is None:
            raise typer.BadParameter(
                f"unknown status '{value}' (one of: {', '.join(SEVERITY)})", param_hint="--status"
            )
        found.append(status.value)
    return found


@command("status", "What is on track, late or due soon, by plan and theme.")
def status(
    data: DataOpt = None,
    as_of: AsOfOpt = None,
    plan: PlanOpt = None,
    group: GroupOpt = None,
    owner: Annotated[
        str | None, typer.Option(metavar="ID", help="Only items owned by this id.")
    ] = None,
    status_: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            "-s",
            metavar="STATUS",
            help=STATUS_HELP,
            callback=_parse_statuses,
        ),
    ] = None,
    fmt: FormatOpt = TableFormat.table,
    all_rows: Annotated[
        bool, typer.Option("--all", "-a", help="Show every row, however many.")
    ] = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """Show the status of every goal and KPI at a date, grouped by plan and theme.

    \b
    Example: lcrplan status --plan ci-strategy --as-of 2026-11-30
    """
    from ..api.reading import statuses

    loaded = load_data(data, no_cache)
    when = as_of_date(as_of)
    with usage():
        card = statuses(
            loaded, as_of=when, plan=plan, group=group, owner=owner, status=status_ or ()
        )
    retain(card)
    if fmt is TableFormat.table:
        _print_card(card, loaded, all_rows)
    else:
        from ..emit.json_csv import StatusFilters

        filters = StatusFilters(plan, group, owner, [Status(s) for s in status_ or []])
        _print_data("status", card, card.items, filters, loaded, fmt)


def _print_card(card: Scorecard, loaded: Loaded, all_rows: bool) -> None:
    from ..emit import terminal as render
    from ..evaluate.attention import View, status_view
    from ..evaluate.summary import summarize, units

    console = make_console()
    print_blocks(console, render.summary_line(summarize(card, loaded.data.config), card))
    if not card.items:
        print_blocks(console, "No items match.")
        return
    view = status_view(len(units(card.items)), all_rows)
    if view is View.plain:
        echo(render.items_plain(card.items))
    elif view is View.full:
        lookup = card.by_id()
        table = render.status_table([("", card.items)], loaded.index, console.width, lookup)
        print_blocks(console, table, *render.table_notes(card.items, lookup))
    else:
        print_blocks(console, *render.summary_view(card, loaded.index, console.width))


def _print_data(
    command: Command,
    card: Scorecard,
    items: Sequence[ItemStatus],
    filters: object,
    loaded: Loaded,
    fmt: TableFormat,
) -> None:
    """`status` or `overdue` as JSON (the envelope, with `card`'s summary) or CSV."""
    from ..emit import json_csv as output
    from ..evaluate.summary import summarize

    records = [output.item(i) for i in items]
    if fmt is TableFormat.csv:
        echo(output.to_csv(records, output.ITEM_COLUMNS))
        return
    summary = summarize(card, loaded.data.config)
    echo(output.to_json(output.envelope(command, card.as_of, filters, summary, records)))


@command("overdue", "Items past their due date, then those due soon.")
def overdue(
    data: DataOpt = None,
    as_of: AsOfOpt = None,
    within: Annotated[
        int | None,
        typer.Option(
            metavar="DAYS",
            help="Also list items due within this many days (default: due_soon_days in "
            "lcrplan.yaml, 30).",
            min=0,
            max=3660,
        ),
    ] = None,
    fail: Annotated[bool, typer.Option("--fail", help="Exit 1 when anything is overdue.")] = False,
    plan: PlanOpt = None,
    group: GroupOpt = None,
    fmt: FormatOpt = TableFormat.table,
    no_cache: NoCacheOpt = False,
) -> None:
    """List the items past their own due date, then those due soon, under their goals.

    Items are counted as everywhere else: KPIs, and goals with no KPI. A goal with KPIs is
    never overdue before its own due date; its overdue KPIs are listed under it.

    \b
    Example: lcrplan overdue --within 60 --fail
    """
    from ..api.reading import statuses
    from ..emit import terminal as render
    from ..evaluate.attention import late_and_due_soon
    from ..evaluate.summary import summarize

    loaded = load_data(data, no_cache)
    when = as_of_date(as_of)
    with usage():
        card = retain(statuses(loaded, as_of=when, plan=plan, group=group))
    days = loaded.data.config.due_soon_days if within is None else within
    late, soon = late_and_due_soon(card.items, card.as_of, days)
    if fmt is TableFormat.table:
        console = make_console()
        summary = summarize(card, loaded.data.config)
        print_blocks(console, render.overdue_line(summary, len(soon), days))
        sections = render.overdue_sections(late, soon, days)
        if sections:
            lookup = card.by_id()
            table = render.status_table(sections, loaded.index, console.width, lookup)
            print_blocks(console, table, *render.table_notes([*late, *soon], lookup))
    else:
        from ..emit.json_csv import OverdueFilters

        filters = OverdueFilters(plan, group, days)
        _print_data("overdue", card, [*late, *soon], filters, loaded, fmt)
    raise typer.Exit(1 if fail and late else 0)


@command("groups", "Boards and sub-groups: chairs, and their items by status.")
def groups(
    data: DataOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = TableFormat.table,
    no_cache: NoCacheOpt = False,
) -> None:
    """List boards and their sub-groups with their chairs and the items they own, by status.

    Each item (a KPI, or a goal with no KPI) is counted once: under its sub-group, else the
    board that owns it; a board's row includes its sub-groups'.

    \b
    Example: lcrplan groups --format csv
    """
    from ..api.reading import statuses
    from ..emit import json_csv as output
    from ..emit import terminal as render
    from ..evaluate.summary import summarize
    from ..views.groups import group_rows

    loaded = load_data(data, no_cache)
    card = retain(statuses(loaded, as_of=as_of_date(as_of)))
    rows = group_rows(loaded.data, card, loaded.index)
    summary = summarize(card, loaded.data.config)
    if fmt is TableFormat.json:
        out = output.envelope("groups", card.as_of, output.NoFilters(), summary, rows)
        echo(output.to_json(out))
    elif fmt is TableFormat.csv:
        echo(output.to_csv(rows, output.GROUP_COLUMNS))
    else:
        console = make_console()
        note = render.groups_note(summary)
        print_blocks(console, render.groups_table(rows, console.width), note)


@command("show", "One goal or KPI in full, with the reason for its status.")
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

    \b
    Example: lcrplan show ci-inv-3
    """
    from ..api.reading import statuses
    from ..core.problems import did_you_mean
    from ..emit import terminal as render

    loaded = load_data(data, no_cache)
    index = loaded.index
    written_in = loaded.origins[item_id].file if item_id in loaded.origins else ""
    when = as_of_date(as_of)
    if item_id in index.context:
        entry = index.context[item_id]
        if fmt is ShowFormat.json:
            _print_shown(item_id, when, [], loaded, entry)
        else:
            echo(render.show_context(entry, written_in))
        return
    card = statuses(loaded, as_of=when)
    items = card.by_id()
    if item_id not in items:
        hint = did_you_mean(item_id, list(items)) or "lcrplan status --format csv lists every id"
        raise typer.BadParameter(f"no goal or KPI with id '{item_id}' ({hint})", param_hint="ID")
    item, model = items[item_id], index.item(item_id)
    if fmt is ShowFormat.json:
        kpis = [i for i in card.items if i.goal == item_id or i.id in item.uses]
        _print_shown(item_id, when, [item, *kpis], loaded, model)
    else:
        echo(render.show_item(item, model, index, written_in))


def _print_shown(
    item_id: str,
    when: dt.date,
    scope: list[ItemStatus],
    loaded: Loaded,
    model: AnyKpi | Goal | Context,
) -> None:
    """`show --format json`: the item, with the summary of what it counts (a goal: its KPIs)."""
    from ..core.models import Context as ContextEntry
    from ..emit import json_csv as output
    from ..evaluate.scorecard import Scorecard
    from ..evaluate.summary import summarize

    summary = summarize(Scorecard(when, tuple(scope)), loaded.data.config)
    if isinstance(model, ContextEntry):
        record: object = output.shown_context(model)
    else:
        record = output.shown(scope[0], model)
    filters = output.ShowFilters(item_id)
    echo(output.to_json(output.envelope("show", when, filters, summary, [record])))
