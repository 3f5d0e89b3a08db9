"""Owners' returns read back: each row of a return checked as `record`, `done` and `update`
would check it, and turned into the edits of the data files it changes (`plan_import`).

Pure but for nothing: takes the rows (`sheets.read_table`) and the loaded data set, and gives
either every problem (at the return's cell, as `sheets.cell_position` names it) or the edits
grouped by data file. Writing them all or none is `journal`'s job, each file's edit `edit`'s.

Columns (the return form's, or any file with an `id` column; names are matched without regard
to case, spaces or underscores; others are ignored):
- `value`: a KPI's new reading (a number; an ongoing KPI may take words), or `done` for a
  milestone; `date`: the day it applies to (YYYY-MM-DD, or DD/MM/YYYY as Excel saves it in the
  UK; never in the future); blank, the end of the row's period (the day the returns were
  written, if the period has not ended), and the reading records that period and, when later,
  the day it was written (`written`), so it belongs to the period it is for; `note`;
- `unit`: when filled, must match the KPI's unit;
- `rag` (red, amber, green) or `confidence` (low, medium, high), `summary`, `next_steps`,
  `risks`, `asks`, `by` (a person's id or name; default `--by`) and `period` (default
  `--period`, else the item's reporting period holding the date): an owner's update, dated the
  row's `date`, else the day the returns were written (`--date`, else today).
A row saying what the data already says changes nothing, so a return imported twice is
imported once; a row that contradicts the data (another value on that date, another update
for that period) is refused unless `--replace`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ..core.cycle_models import OwnerUpdate
from ..core.formatting import clipped, not_a_date, written_number
from ..core.models import AnyKpi, Goal, KpiBase, Measurement, MilestoneKpi
from ..core.periods import parse_period, period_of
from ..core.problems import LcrplanError, NearestWords, Problem
from ..core.textsafe import describe, first_unsafe
from ..core.vocabulary import Confidence, KpiKind, Rag
from ..evaluate.cadence import frequency_of
from ..loader.index import Index, UnknownPerson, person_id
from ..loader.load import Loaded
from ..source.sheets import Cell, Table, unprotect
from . import file_edit

ALIASES = {
    "newvalue": "value",
    "reading": "value",
    "nextsteps": "next_steps",
    "risksorissues": "risks",
    "asksoftheboard": "asks",
    "writtenby": "by",
    "kpi": "id",
    "goalorkpi": "id",
    "itemid": "id",
}
KNOWN = {"id", "value", "date", "note", "unit", "rag", "confidence", "summary", "next_steps"}
KNOWN |= {"risks", "asks", "by", "period"}
MULTI_LINE = {"note", "summary", "next_steps", "risks", "asks"}
UPDATE_TEXT = ("summary", "next_steps", "risks", "asks")
MAX_CELL = 10_000
"""Characters in one cell: a summary of a page and a half (and ids of at most 80)."""
_UK_DATE = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")


@dataclass(frozen=True)
class Options:
    """What the command line gives every row that does not say otherwise."""

    today: dt.date
    date: dt.date | None = None
    by: str | None = None
    period: str | None = None
    replace: bool = False


@dataclass
class ImportPlan:
    """The edits a set of returns makes, by data file, or the problems that stop it."""

    edits: dict[str, list[file_edit.Mutation]] = field(default_factory=dict)
    """Data file (relative, as problems name it) -> its changes, in row order."""
    problems: list[Problem] = field(default_factory=list)
    readings: int = 0
    completions: int = 0
    updates: int = 0
    unchanged: int = 0
    """Rows that say what the data already says."""
    asked: dict[tuple[str, str], tuple[Table, Cell]] = field(default_factory=dict)
    """(data file, item id) -> the return and cell of the first row that changes the item."""

    def locate(self, problems: Sequence[Problem]) -> list[Problem]:
        """Problems of the data files as the edits would leave them (`recheck`), each placed at
        the return's cell that asked for the change: at the first row changing its item, or
        (for a problem about no item) its file."""
        files = {rel: where for (rel, _), where in reversed(self.asked.items())}
        placed = []
        for problem in problems:
            where = self.asked.get((problem.file, problem.item)) or files.get(problem.file)
            placed.append(problem if where is None else _moved(problem, *where))
        return placed


def column_name(header: str) -> str:
    """A header as a column name: `New value` and `next steps` -> `value`, `next_steps`."""
    key = re.sub(r"[\s_-]+", "", header.strip().lower())
    return ALIASES.get(key, re.sub(r"[\s-]+", "_", header.strip().lower()))


def plan_import(tables: Sequence[Table], loaded: Loaded, options: Options) -> ImportPlan:
    """Check every row of every return against the data set; the edits they make, or why not."""
    plan = ImportPlan()
    seen: dict[tuple[str, str], str] = {}
    reader = _Rows(loaded, options, plan, seen)
    for table in tables:
        columns, repeated = _columns(table)
        plan.problems += repeated
        if repeated:
            continue
        if "id" not in columns:
            plan.problems.append(
                table.problem(1, 0, "LCR713", "no 'id' column", "the first row names the columns")
            )
            continue
        for row in table.rows:
            found = {k: row.cell(c) for k, c in columns.items()}
            cells = {k: cell for k, cell in found.items() if cell is not None and _filled(cell)}
            if cells:
                reader.row(table, cells)
    return plan


def _columns(table: Table) -> tuple[dict[str, int], list[Problem]]:
    """The known columns by name and their (1-based) column; a problem for each column that
    repeats one before it (`value` and `New value`, two `id` columns): which one counts would
    be a guess."""
    header = table.header
    columns: dict[str, int] = {}
    repeated = []
    for c, written in enumerate(header, 1):
        known = column_name(written)
        if known not in KNOWN:
            continue
        if known in columns:
            first = columns[known]
            repeated.append(
                table.problem(
                    1,
                    c,
                    "LCR713",
                    f"column '{clipped(written)}' is '{known}' again (column "
                    f"{table.column(first)} is '{clipped(header[first - 1])}')",
                    "keep one of them: which one counts would be a guess",
                )
            )
            continue
        columns[known] = c
    return columns, repeated


def _moved(problem: Problem, table: Table, cell: Cell) -> Problem:
    """A data file's problem, placed at the return's cell whose change brought it."""
    return table.problem(
        cell.row,
        cell.column,
        problem.code,
        f"{problem.message}, once this row is imported into {problem.file}",
        problem.hint,
    )


def _at(table: Table, cell: Cell, change: file_edit.Mutation) -> file_edit.Mutation:
    """`change`, with any refusal while it is made placed at the return's cell asking for it."""

    def mutate(tree: object, where: file_edit.Located) -> None:
        try:
            change(tree, where)
        except LcrplanError as exc:
            raise LcrplanError([_moved(p, table, cell) for p in exc.problems]) from None

    return mutate


def _filled(cell: Cell) -> bool:
    return cell.formula or not (cell.value is None or str(cell.value).strip() == "")


class _Refused(Exception):
    def __init__(self, cell: Cell, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.cell, self.message, self.hint = cell, message, hint


@dataclass
class _Rows:
    """Reads rows one at a time into `plan`, remembering what earlier rows asked for."""

    loaded: Loaded
    options: Options
    plan: ImportPlan
    seen: dict[tuple[str, str], str]
    near: NearestWords | None = None

    def row(self, table: Table, cells: Mapping[str, Cell]) -> None:
        try:
            for key, cell in cells.items():
                _check_cell(key, cell)
            self._row(table, cells)
        except _Refused as exc:
            cell = exc.cell
            self.plan.problems.append(
                table.problem(cell.row, cell.column, "LCR714", exc.message, exc.hint)
            )

    def _row(self, table: Table, cells: Mapping[str, Cell]) -> None:
        index = self.loaded.index
        id_cell = cells.get("id")
        if id_cell is None:
            some = next(iter(cells.values()))
            raise _Refused(some, "no id in this row", "give the goal or KPI's id in column 'id'")
        item_id = unprotect(str(id_cell.value).strip())
        if item_id not in index.kpis and item_id not in index.goals:
            self.near = self.near or NearestWords([*index.goals, *index.kpis])
            hint = self.near.hint(item_id) or "lcrplan status --format csv lists every id"
            raise _Refused(id_cell, f"no goal or KPI with id '{clipped(item_id)}'", hint)
        item = index.item(item_id)
        given = cells.get("date")
        day = self._date(given) if given is not None else None
        changes: list[tuple[Cell, tuple[str, file_edit.Mutation]]] = []
        if "value" in cells:
            changes.append((cells["value"], self._reading(item, cells, day, table)))
        update = [cells[k] for k in ("rag", "confidence", *UPDATE_TEXT) if k in cells]
        if update:
            changes.append((update[0], self._update(item, cells, day or self.written, table)))
        elif "note" in cells and "value" not in cells:
            raise _Refused(cells["note"], "a note with no value", "give the value it is about")
        rel = self.loaded.origins[item_id].file
        for cell, (kind, change) in changes:
            if kind == "unchanged":
                self.plan.unchanged += 1
                continue
            setattr(self.plan, kind, getattr(self.plan, kind) + 1)
            self.plan.edits.setdefault(rel, []).append(_at(table, cell, change))
            self.plan.asked.setdefault((rel, item.id), (table, cell))

    @property
    def written(self) -> dt.date:
        """The day the returns were written: `--date`, else today."""
        return self.options.date or self.options.today

    def _date(self, cell: Cell) -> dt.date:
        day = parse_day(cell.value)
        if day is None:
            message, hint = not_a_date(clipped(unprotect(str(cell.value).strip())), uk=True)
            raise _Refused(cell, f"column 'date': {message}", hint)
        if day > self.options.today:
            raise _Refused(
                cell,
                f"{day} is in the future: today is {self.options.today}",
                "a return records what has happened",
            )
        return day

    def _once(self, key: tuple[str, str], what: str, table: Table, cell: Cell) -> None:
        """Refuse a second row asking for `what` (by `key`): which row counts would be a guess."""
        if key in self.seen:
            raise _Refused(
                cell, f"{what} is given twice", f"first at {self.seen[key]}: keep one of them"
            )
        self.seen[key] = table.position(cell.row, cell.column)

    def _reading(
        self, item: AnyKpi | Goal, cells: Mapping[str, Cell], given: dt.date | None, table: Table
    ) -> tuple[str, file_edit.Mutation]:
        """A reading, or a milestone done; with no date, for the end of the row's period (the
        day written, if the period has not ended), recording the period and when it was
        written."""
        cell = cells["value"]
        period: str | None = None
        if given is None:
            period = self._period(item, cells.get("period"), self.written)
            day = min(parse_period(period).end, self.written)
        else:
            day = given
        if isinstance(item, Goal):
            raise _Refused(
                cell,
                f"'{item.id}' is a goal: it takes no value",
                "give its KPIs' values, or the goal's RAG rating and summary",
            )
        kind = KpiKind(item.kind)
        unit_cell = cells.get("unit")
        unit = getattr(item, "unit", None)
        if unit_cell is not None and unit and str(unit_cell.value).strip() != unit:
            raise _Refused(
                unit_cell,
                f"unit '{_shown_cell(unit_cell)}' does not match '{item.id}', measured in '{unit}'",
                "convert the value to the KPI's unit, or leave 'unit' blank",
            )
        note = _text(cells.get("note"))
        if kind.marked_done:
            self._once((item.id, "done"), f"'{item.id}' done", table, cell)
        else:
            self._once((item.id, f"on {day}"), f"a reading of '{item.id}' on {day}", table, cell)
        if kind.marked_done:
            if str(cell.value).strip().lower() != "done":
                raise _Refused(
                    cell,
                    f"'{item.id}' is a milestone: write 'done' in column 'value', not "
                    f"'{_shown_cell(cell)}'",
                    "and the day it was done in column 'date'",
                )
            assert isinstance(item, MilestoneKpi)
            entry: dict[str, object] = {"date": day, "note": note}
            old = item.done
            return self._outcome(
                "completions",
                old is not None and (old.date, old.note) == (day, note),
                old is not None,
                lambda replace: file_edit.done_change(item.id, entry, replace),
                _Refused(
                    cell,
                    f"'{item.id}' is already marked done on {old.date if old else ''}",
                    "pass --replace to change the date or note",
                ),
            )
        number, worded = self._number(item, kind, cell)
        entry = {"date": day, "value": number, "text": worded, "period": period, "note": note}
        entry["written"] = self.written if period and self.written != day else None
        same = [m for m in item.measurements if m.date == day]
        return self._outcome(
            "readings",
            bool(same) and _says(same[0], entry),
            bool(same),
            lambda replace: file_edit.measurement_change(item.id, entry, replace),
            _Refused(
                cell,
                f"'{item.id}' already has a measurement on {day} "
                f"({_shown(same[0]) if same else ''}; this row says {_shown_entry(entry)})",
                "pass --replace to overwrite it, or give another date",
            ),
        )

    def _number(
        self, item: KpiBase, kind: KpiKind, cell: Cell
    ) -> tuple[int | float | None, str | None]:
        value = cell.value
        if isinstance(value, (int, float)):
            return value, None
        if isinstance(value, dt.date):
            raise _Refused(
                cell,
                f"column 'value' holds a date ({value}), not a number",
                "format the cell as a number, or save the return as CSV",
            )
        try:
            return file_edit.measured_value(
                item.id, kind, str(value).strip(), None, "column 'note'"
            )
        except file_edit.Refused as exc:
            raise _Refused(cell, f"column 'value': {exc.message}", exc.hint) from None

    def _update(
        self, item: AnyKpi | Goal, cells: Mapping[str, Cell], day: dt.date, table: Table
    ) -> tuple[str, file_edit.Mutation]:
        first = next(cells[k] for k in ("rag", "confidence", *UPDATE_TEXT) if k in cells)
        rag = _choice(cells.get("rag"), Rag, {"r": "red", "a": "amber", "g": "green"})
        confidence = _choice(cells.get("confidence"), Confidence, {})
        if rag is None and confidence is None:
            raise _Refused(first, "an update needs a RAG rating", "fill 'rag': red, amber, green")
        if "summary" not in cells:
            raise _Refused(first, "an update needs a summary", "say what happened in 'summary'")
        by = self._by(cells.get("by"), first)
        period = self._period(item, cells.get("period"), day)
        self._once(
            (item.id, f"update {period}"), f"an update of '{item.id}' for {period}", table, first
        )
        entry: dict[str, object] = {
            "period": period,
            "date": day,
            "by": by,
            "rag": rag,
            "confidence": confidence,
            **{k: _text(cells.get(k)) for k in UPDATE_TEXT},
        }
        old = next((u for u in item.updates if _label(u.period) == period), None)
        if old is not None and "date" not in cells and self.options.date is None:
            entry["date"] = old.date  # undated: the same return imported another day
        return self._outcome(
            "updates",
            old is not None and _update_says(old, entry),
            old is not None,
            lambda replace: file_edit.update_change(item.id, entry, replace),
            _Refused(
                first,
                f"'{item.id}' already has an update for {period}",
                "pass --replace to change it, or give another period",
            ),
        )

    def _outcome(
        self,
        counted: str,
        says_so: bool,
        exists: bool,
        change: Callable[[bool], file_edit.Mutation],
        refused: _Refused,
    ) -> tuple[str, file_edit.Mutation]:
        """A row's change: none when the data already says so; refused when it says something
        else and --replace was not given."""
        if says_so:
            return "unchanged", change(False)
        if exists and not self.options.replace:
            raise refused
        return counted, change(self.options.replace)

    def _by(self, cell: Cell | None, first: Cell) -> str:
        by = str(cell.value).strip() if cell is not None else self.options.by
        if by is None:
            raise _Refused(
                first, "who wrote this update?", "fill 'by' with your id or name, or give --by"
            )
        where = " in column 'by'" if cell is not None else " (--by)"
        try:
            return person_id(self.loaded.index.people, by, where)
        except UnknownPerson as exc:
            raise _Refused(cell or first, exc.message, exc.hint) from None

    def _period(self, item: AnyKpi | Goal, cell: Cell | None, day: dt.date) -> str:
        text = unprotect(str(cell.value).strip()) if cell is not None else self.options.period
        if text is None:
            plan = _plan_of(self.loaded.index, item)
            return period_of(day, frequency_of(getattr(item, "frequency", None), plan)).label
        try:
            return parse_period(text).label
        except ValueError as exc:  # --period was checked by the command line
            assert cell is not None
            raise _Refused(cell, str(exc)) from None


def _plan_of(index: Index, item: AnyKpi | Goal):  # type: ignore[no-untyped-def]
    goal_id = item.id if isinstance(item, Goal) else index.kpis[item.id][1]
    return index.goals[goal_id].plan


def _shown_cell(cell: Cell) -> str:
    return clipped(str(cell.value))


def _check_cell(key: str, cell: Cell) -> None:
    if cell.formula:
        raise _Refused(
            cell,
            f"column '{key}' holds a formula; lcrplan reads values only",
            "replace the formula with its value (copy, then paste as values)",
        )
    if isinstance(cell.value, str) and len(cell.value) > MAX_CELL:
        raise _Refused(
            cell,
            f"column '{key}' holds {len(cell.value):,} characters: a cell holds at most "
            f"{MAX_CELL:,}",
            "shorten it; a long account belongs in a document the summary names",
        )
    if isinstance(cell.value, str):
        bad = first_unsafe(cell.value, allow_newline=key in MULTI_LINE)
        if bad is not None:
            raise _Refused(
                cell,
                f"column '{key}' has a control character {describe(bad)}",
                "text is plain characters" + (" on one line" if key not in MULTI_LINE else ""),
            )


def parse_day(value: object) -> dt.date | None:
    """A date cell: a date, YYYY-MM-DD, or DD/MM/YYYY (as Excel saves dates in the UK)."""
    if isinstance(value, dt.date):
        return value
    text = unprotect(str(value).strip())
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    found = _UK_DATE.match(text)
    if found:
        try:
            return dt.date(int(found[3]), int(found[2]), int(found[1]))
        except ValueError:
            return None
    return None


def _text(cell: Cell | None) -> str | None:
    if cell is None:
        return None
    text = unprotect(str(cell.value)).strip()
    return text or None


def _choice(
    cell: Cell | None, kind: type[Rag] | type[Confidence], short: dict[str, str]
) -> str | None:
    if cell is None:
        return None
    text = str(cell.value).strip().lower()
    text = short.get(text, text)
    if text not in {k.value for k in kind}:
        words = ", ".join(k.value for k in kind)
        column = "rag" if kind is Rag else "confidence"
        raise _Refused(
            cell,
            f"column '{column}': '{_shown_cell(cell)}' is not one of: {words}",
            "use one of the allowed words",
        )
    return text


def _label(period: str) -> str | None:
    try:
        return parse_period(period).label
    except ValueError:
        return None


def _says(old: Measurement, entry: Mapping[str, object]) -> bool:
    return (old.value, old.text, old.note) == (entry["value"], entry["text"], entry["note"])


def _update_says(old: OwnerUpdate, entry: Mapping[str, object]) -> bool:
    fields = old.model_dump(mode="json", exclude_none=True)
    fields["date"] = old.date
    fields["period"] = _label(old.period)
    return fields == {k: v for k, v in entry.items() if v is not None}


def _shown(old: Measurement) -> str:
    return f"it has {written_number(old.value) if old.value is not None else old.text}"


def _shown_entry(entry: Mapping[str, object]) -> str:
    value = entry["value"]
    if value is None:
        return str(entry["text"])
    return written_number(value) if isinstance(value, float) else str(value)
