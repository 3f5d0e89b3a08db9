"""Edits to one data file: change an item in ruamel's round-trip tree, carry the change onto the
file's own text, then (`apply`) check the result and replace the file atomically under a lock.

ruamel.yaml makes each change, so new entries get its quoting and the file's indentation. The
change is then carried line by line onto the original text (`line_carry.carry`), so whatever
ruamel would rewrite on its own (a leading `---`, CRLF line endings, a byte-order mark, `~` for
null, an unusual indentation) stays as it was, and a new entry lands above the comment that
introduces the next item instead of below it. The carried text must mean exactly what ruamel's
tree means; if it does not, ruamel's own output is used instead. What the new text is checked
against is `recheck`'s job; locks and atomic replacement are `fileio`'s.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from ..core.formatting import NUMBER_HINT, PERCENT_HINT, not_a_number, parse_number
from ..core.problems import LcrplanError, Problem, cannot_write, errors_in
from ..core.vocabulary import GoalState, KpiKind
from ..source import fileio
from ..source.yamlio import RoundTrip, locate, parse
from .line_carry import FileText, carry, lf, split_lines, unified_diff

if TYPE_CHECKING:
    from ..loader.validate import Loc
    from .target import Check

Mutation = Callable[[object, "Located"], None]
"""A change to a file's round-trip tree (its top, as ruamel read it), told where it is for
messages."""
Values = Mapping[str, object]
"""The keys and values of a new entry (a measurement, a done date); None values are left out."""

# House style first; the others are tried only when a file does not round-trip in house style.
INDENTS = [(2, 4, 2), (2, 2, 0), (4, 6, 4), (4, 4, 2), (4, 4, 0), (2, 4, 0)]
LOCK_TIMEOUT = 60.0
DONE_AFTER = ("id", "kind", "title", "text", "owner", "start", "due", "note")
STATE_AFTER = (
    "id",
    "title",
    "kind",
    "number",
    "description",
    "owner",
    "delivered_by",
    "parent",
    "start",
    "due",
)
UPDATES_AFTER = (*STATE_AFTER, "state", "state_reason", "tags", "aliases", "note", "source")
"""A goal's keys its updates follow: they go above its KPIs, which can be long."""


@dataclass(frozen=True)
class FileEdit:
    """One file's text before and after an edit."""

    rel: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        """The unified diff of the edit, with `a/` and `b/` paths as git prints them."""
        return unified_diff(self.rel, self.before, self.after)


@dataclass(frozen=True)
class Located:
    """Where an edit happens: the file's name and its text (LF line endings), for messages."""

    rel: str
    text: str

    def problem(self, loc: Loc, message: str, hint: str, key: bool = False) -> LcrplanError:
        line, col = locate(self.text, loc, key=key)
        return LcrplanError([Problem(self.rel, line, col, "LCR711", message, hint)])


# --- the three edits ---------------------------------------------------------------------------


def add_measurement(text: str, rel: str, kpi_id: str, entry: Values, replace: bool) -> str:
    """The file's text with `entry` added to the KPI's measurements, in date order."""
    return rewrite(text, rel, measurement_change(kpi_id, entry, replace))


def measurement_change(kpi_id: str, entry: Values, replace: bool) -> Mutation:
    """The change `add_measurement` makes, to combine with others (`combined`)."""

    def mutate(tree: object, where: Located) -> None:
        loc, kpi = find_item(tree, kpi_id, where)
        _check_measurable(kpi, loc, entry, where)
        _put_measurement(tree, kpi, loc, entry, replace, where)

    return mutate


def mark_done(text: str, rel: str, kpi_id: str, done: Values, replace: bool) -> str:
    """The file's text with the milestone KPI marked done."""
    return rewrite(text, rel, done_change(kpi_id, done, replace))


def done_change(kpi_id: str, done: Values, replace: bool) -> Mutation:
    """The change `mark_done` makes, to combine with others (`combined`)."""

    def mutate(tree: object, where: Located) -> None:
        loc, kpi = find_item(tree, kpi_id, where)
        try:
            refuse_done(kpi_id, _kind_of(kpi))
        except Refused as exc:
            raise where.problem((*loc, "kind"), exc.message, exc.hint) from None
        old = kpi.get("done")
        if old is not None and _same(old, done):
            return
        if old is not None and not replace:
            raise where.problem(
                (*loc, "done"),
                f"'{kpi_id}' is already marked done on {_date_of(old)}",
                "pass --replace to change the date or note",
            )
        if isinstance(old, CommentedMap):
            _update_map(old, done)
        else:
            new = _new_map(done, _style_of(tree, "done"))
            _set_key(kpi, "done", new, DONE_AFTER)

    return mutate


def add_update(text: str, rel: str, item_id: str, update: Values, replace: bool) -> str:
    """The file's text with an owner's update added to the goal or KPI (one per period)."""
    return rewrite(text, rel, update_change(item_id, update, replace))


def update_change(item_id: str, update: Values, replace: bool) -> Mutation:
    """The change `add_update` makes, to combine with others (`combined`). `update["period"]`
    is the period's canonical label; an update for the same period is left alone when it says
    the same, replaced with `replace`, and refused otherwise."""

    def mutate(tree: object, where: Located) -> None:
        loc, item = find_item(tree, item_id, where)
        seq = item.get("updates")
        if not isinstance(seq, CommentedSeq):
            seq = CommentedSeq()
            _set_key(item, "updates", seq, UPDATES_AFTER if len(loc) == 2 else ())
        for j, old in enumerate(seq):
            if not (isinstance(old, CommentedMap) and _period_of(old) == update["period"]):
                continue
            if _same(old, update):
                return
            if not replace:
                raise where.problem(
                    (*loc, "updates", j, "period"),
                    f"'{item_id}' already has an update for {update['period']}",
                    "pass --replace to change it, or give another --period",
                )
            _update_map(old, update)
            return
        seq.fa.set_block_style()
        seq.append(_new_map(update, flow=False))

    return mutate


def _period_of(old: CommentedMap) -> str | None:
    from ..core.periods import parse_period

    try:
        return parse_period(str(old.get("period"))).label
    except ValueError:
        return None


def _same(old: object, values: Values) -> bool:
    """Whether a mapping in the file already says exactly `values` (a re-import changes
    nothing)."""
    if not isinstance(old, CommentedMap):
        return False
    wanted = {k: v for k, v in values.items() if v is not None}
    have = {k: _date_of(old) if k == "date" else old[k] for k in old}
    return have == wanted or ("period" in wanted and {**have, "period": _period_of(old)} == wanted)


def combined(changes: Sequence[Mutation]) -> Mutation:
    """One change made of several, applied in order to one tree: a file edited once."""

    def mutate(tree: object, where: Located) -> None:
        for change in changes:
            change(tree, where)

    return mutate


def set_goal_state(text: str, rel: str, goal_id: str, state: GoalState, reason: str | None) -> str:
    """The file's text with the goal's human state (and reason) set; active drops the reason."""

    def mutate(tree: object, where: Located) -> None:
        loc, goal = find_item(tree, goal_id, where)
        if len(loc) != 2:
            raise where.problem(
                (*loc, "id"),
                f"'{goal_id}' is a KPI; state is set on goals",
                "pass the id of the goal the KPI belongs to",
            )
        if "state" in goal or state.needs_reason:
            _set_key(goal, "state", state.value, STATE_AFTER)
        if not state.needs_reason:
            goal.pop("state_reason", None)
        elif reason is not None:
            _set_key(goal, "state_reason", _quoted(reason), ("state",))

    return rewrite(text, rel, mutate)


# --- what an edit may do, said before anything is read or written -------------------------------


class Refused(ValueError):
    """An edit the data does not allow: a message and a hint, and which argument it is about
    (`id`: the item; `value`: what was given for it)."""

    def __init__(self, message: str, hint: str = "", about: str = "id") -> None:
        super().__init__(f"{message} ({hint})" if hint else message)
        self.message, self.hint, self.about = message, hint, about


def refuse_done(kpi_id: str, kind: KpiKind | None) -> None:
    """Raise `Refused` unless a KPI of `kind` can be marked done (the milestone rule)."""
    if kind is not None and not kind.marked_done:
        raise Refused(
            f"'{kpi_id}' is {_a(kind)} KPI; only milestones are marked done",
            f"record a measurement: lcrplan record {kpi_id} VALUE",
        )


def refuse_measurement(kpi_id: str, kind: KpiKind | None) -> None:
    """Raise `Refused` unless a KPI of `kind` can be measured (the milestone rule)."""
    if kind is not None and kind.marked_done:
        raise Refused(
            f"'{kpi_id}' is a milestone KPI: it is marked done, not measured",
            f"run: lcrplan done {kpi_id} --date YYYY-MM-DD",
        )


def measured_value(
    kpi_id: str,
    kind: KpiKind,
    value: str,
    text: str | None,
    wording: str = '--text, e.g. --text "£6.75M"',
) -> tuple[int | float | None, str | None]:
    """A measurement's `value` and `text` from what was typed (`value`, and its wording
    `text`), as the KPI's kind allows: a number, or words for an ongoing KPI. A value that is
    not a number is refused in the words `validate` uses, and the hint says where the words
    can go instead (`wording`: `--text` on the command line, a column in a return)."""
    refuse_measurement(kpi_id, kind)
    number = parse_number(value)
    if number is not None:
        return number, text
    if kind.measured_in_numbers:
        percent = f"; {PERCENT_HINT}" if "%" in value else ""
        raise Refused(
            not_a_number(value),
            f"'{kpi_id}' is {_a(kind)} KPI: {NUMBER_HINT}{percent}; put the wording in {wording}",
            about="value",
        )
    if text is not None:
        raise Refused(
            "give either a number as VALUE or the wording in --text, not both", about="value"
        )
    return None, value


def _a(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


# --- finding and changing nodes ------------------------------------------------------------------


def find_item(tree: object, item_id: str, where: Located) -> tuple[Loc, CommentedMap]:
    """The path and node of the goal or KPI with this id in a theme file's tree."""
    for g, goal in enumerate(_maps(tree, "goals")):
        if goal.get("id") == item_id:
            return ("goals", g), goal
        for k, kpi in enumerate(_maps(goal, "kpis")):
            if kpi.get("id") == item_id:
                return ("goals", g, "kpis", k), kpi
    raise LcrplanError(
        [
            Problem(
                where.rel,
                0,
                0,
                "LCR711",
                f"'{item_id}' is no longer in this file",
                "the file changed while lcrplan was running; run the command again",
            )
        ]
    )


def _maps(node: object, key: str) -> Iterator[CommentedMap]:
    """The mappings listed under `key` of `node` (a file can hold anything where one is due)."""
    found = node.get(key) if isinstance(node, CommentedMap) else None
    for item in found if isinstance(found, CommentedSeq) else ():
        if isinstance(item, CommentedMap):
            yield item


def _check_measurable(kpi: CommentedMap, loc: Loc, entry: Values, where: Located) -> None:
    """The KPI as the file has it now (it may have changed since it was looked up) takes
    `entry`."""
    kind = _kind_of(kpi)
    kpi_id = kpi.get("id")
    try:
        refuse_measurement(kpi_id, kind)
    except Refused as exc:
        raise where.problem((*loc, "kind"), exc.message, exc.hint) from None
    if kind and kind.measured_in_numbers and not isinstance(entry.get("value"), (int, float)):
        raise where.problem(
            (*loc, "kind"),
            f"'{kpi_id}' is measured in numbers ({kind}): its measurements need a value",
            "give VALUE as a plain number such as 240 or 6750000",
        )


def _kind_of(kpi: CommentedMap) -> KpiKind | None:
    try:
        return KpiKind(kpi.get("kind"))
    except (ValueError, TypeError):
        return None


def _put_measurement(
    tree: object, kpi: CommentedMap, loc: Loc, entry: Values, replace: bool, where: Located
) -> None:
    seq = kpi.get("measurements")
    if not isinstance(seq, CommentedSeq):
        seq = CommentedSeq()
        _set_key(kpi, "measurements", seq, ())
    day = entry["date"]
    assert isinstance(day, dt.date)
    dates = [_date_of(item) for item in seq]
    if entry.get("revised") is not None:  # a revision goes after what it revises, on its date
        if day not in dates:
            raise where.problem(
                (*loc, "measurements"),
                f"'{kpi.get('id')}' has no measurement on {day} to revise",
                "give the date of the figure being revised, or record it without --revise",
            )
        j = len(dates) - 1 - dates[::-1].index(day)
        if _same(seq[j], entry):
            return
        flow = _is_flow(seq[j])
        seq.fa.set_block_style()
        seq.insert(j + 1, _new_map(entry, flow))
        return
    if day in dates:
        j = dates.index(day)
        if _same(seq[j], entry):
            return
        if not replace:
            raise where.problem(
                (*loc, "measurements", j, "date"),
                f"'{kpi.get('id')}' already has a measurement on {day}",
                "pass --replace to overwrite it, or give another --date",
            )
        if isinstance(seq[j], CommentedMap):
            _update_map(seq[j], entry)
            return
    at = next((j for j, d in enumerate(dates) if d is not None and d > day), len(seq))
    neighbour = seq[at - 1] if at else (seq[0] if len(seq) else None)
    flow = _is_flow(neighbour) if neighbour is not None else _style_of(tree, "measurements")
    seq.fa.set_block_style()
    seq.insert(at, _new_map(entry, flow))


def _date_of(item: object) -> dt.date | None:
    value = item.get("date") if isinstance(item, CommentedMap) else None
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _new_map(values: Values, flow: bool) -> CommentedMap:
    new = CommentedMap((k, _quoted(v)) for k, v in values.items() if v is not None)
    if flow:
        new.fa.set_flow_style()
    else:
        new.fa.set_block_style()
    return new


def _update_map(old: CommentedMap, values: Values) -> None:
    """Replace `old`'s contents with `values`, editing in place so its comments stay."""
    for key in [k for k in old if k not in values or values[k] is None]:
        del old[key]
    for key, value in values.items():
        if value is not None:
            old[key] = _quoted(value)


_YAML_11_BOOLEANS = {"yes", "no", "on", "off", "y", "n"}  # text to YAML 1.2, not to editors
_NOT_PLAIN = re.compile(r"""[:#,\[\]{}&*!|>'"%@`\\]|^[-?\s]|\s$""")


def _quoted(value: object) -> object:
    """Text that cannot be written plain gets double quotes, as the data files have them;
    text of several lines is a literal block (`|-`)."""
    if not isinstance(value, str):
        return value
    if "\n" in value:
        return LiteralScalarString(value)
    if (
        _NOT_PLAIN.search(value)
        or value.lower() in _YAML_11_BOOLEANS
        or parse(f"k: {value}\n", "").data != {"k": value}
    ):
        return DoubleQuotedScalarString(value)
    return value


def _set_key(node: CommentedMap, key: str, value: object, after: Sequence[str]) -> None:
    """Set `key`, or add it after the last of the keys `after` that the mapping has."""
    if key in node:
        node[key] = value
        return
    keys = list(node)
    places = [keys.index(k) + 1 for k in after if k in keys]
    node.insert(max(places, default=len(keys)), key, value)


def _is_flow(node: object) -> bool:
    fa = getattr(node, "fa", None)
    return bool(fa and fa.flow_style())


def _style_of(tree: object, key: str) -> bool:
    """Whether the file writes `key` entries as flow mappings (flow when it has none yet)."""
    for goal in _maps(tree, "goals"):
        for kpi in _maps(goal, "kpis"):
            found = kpi.get(key)
            if isinstance(found, CommentedSeq) and found:
                found = found[0]
            if isinstance(found, CommentedMap):
                return _is_flow(found)
    return True


# --- round trip and carrying the change onto the original text ----------------------------------


def rewrite(text: str, rel: str, mutate: Mutation) -> str:
    """Apply `mutate` to the file's round-trip tree; return the new text, or `text` if unchanged."""
    src = FileText.of(text)
    where = Located(rel, src.lf)
    parsed = parse(src.lf, rel)
    if parsed.problems:
        raise LcrplanError(parsed.problems)
    rt, tree, noop = _round_trip(src.lf)
    mutate(tree, where)
    new = rt.dump(tree)
    if new == noop:
        return text
    carried = carry(src, split_lines(noop), split_lines(new))
    if carried is None or parse(lf(carried), rel).data != parse(new, rel).data:
        carried = src.bom + new.replace("\n", src.newline)
    return carried


def _round_trip(text: str) -> tuple[RoundTrip, object, str]:
    """A round-trip YAML set to the file's indentation, its tree, and its no-op dump."""
    best: tuple[float, RoundTrip, object, str] | None = None
    for mapping, sequence, offset in INDENTS:
        rt = RoundTrip()
        rt.yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        tree = rt.load(text)
        noop = rt.dump(tree)
        if noop == text:
            return rt, tree, noop
        lines = split_lines(text), split_lines(noop)
        score = difflib.SequenceMatcher(None, *lines, autojunk=False).ratio()
        if best is None or score > best[0]:
            best = (score, rt, tree, noop)
    assert best is not None
    return best[1], best[2], best[3]


# --- writing: lock, check, replace ---------------------------------------------------------------


@contextmanager
def locked(path: Path, rel: str, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock for writing `path` (see `fileio.locked`)."""
    try:
        with fileio.locked(path, LOCK_TIMEOUT if timeout is None else timeout):
            yield
    except (fileio.Busy, fileio.UnsafePath) as exc:
        raise LcrplanError([cannot_write(rel, exc)]) from None


def read_file(path: Path, rel: str) -> str:
    """The file's text exactly as stored (a byte-order mark included), or a located error."""
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        message, hint = f"cannot read file: {exc.strerror}", "check the file's permissions"
        code = "LCR113"
    except UnicodeDecodeError:
        message, hint = "file is not UTF-8", "save the file with UTF-8 encoding"
        code = "LCR110"
    raise LcrplanError([Problem(rel, 0, 0, code, message, hint)])


def _raise_errors(check: Check) -> Callable[[Path], None]:
    """`check` as `fileio` wants it: raising the errors it finds in the candidate file."""

    def raising(candidate: Path) -> None:
        problems = errors_in(check(candidate))
        if problems:
            raise LcrplanError(problems)

    return raising


def apply(
    path: Path,
    rel: str,
    edit: Callable[[str], str],
    check: Check,
    dry_run: bool = False,
) -> FileEdit:
    """Read, edit, check and (unless `dry_run`) replace one file, all under its lock."""
    path = path.resolve()
    try:
        with locked(path, rel):
            before = read_file(path, rel)
            change = FileEdit(rel, before, edit(before))
            if change.changed and dry_run:
                with fileio.staged(path, change.after, durable=False) as candidate:
                    _raise_errors(check)(candidate)
            elif change.changed:
                fileio.write_atomic(path, change.after, _raise_errors(check))
    except OSError as exc:
        raise LcrplanError([cannot_write(rel, exc, kept="the file was not changed")]) from None
    return change
