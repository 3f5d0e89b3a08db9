"""Edits to one data file: change an item in ruamel's round-trip tree, carry the change onto the
file's own text, check the result, then replace the file atomically under a lock.

ruamel.yaml makes each change, so new entries get its quoting and the file's indentation. The
change is then carried line by line onto the original text (`carry`), so whatever ruamel would
rewrite on its own (a leading `---`, CRLF line endings, a byte-order mark, `~` for null, an
unusual indentation) stays as it was, and a new entry lands above the comment that introduces
the next item instead of below it. The carried text must mean exactly what ruamel's tree means;
if it does not, ruamel's own output is used instead.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import fileio
from .errors import LcrplanError, Problem, errors_in
from .yamlio import locate, parse

Loc = tuple[str | int, ...]
Check = Callable[[Path], list[Problem]]
Mutation = Callable[[Any, "Located"], None]

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


@dataclass(frozen=True)
class Change:
    """One file's text before and after an edit."""

    rel: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        """The unified diff of the edit, with `a/` and `b/` paths as git prints them."""
        old = _lf(self.before).splitlines(keepends=True)
        new = _lf(self.after).splitlines(keepends=True)
        lines = difflib.unified_diff(old, new, f"a/{self.rel}", f"b/{self.rel}")
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


@dataclass(frozen=True)
class Located:
    """Where an edit happens: the file's name and its text (LF line endings), for messages."""

    rel: str
    text: str

    def problem(self, loc: Loc, message: str, hint: str, key: bool = False) -> LcrplanError:
        line, col = locate(self.text, loc, key=key)
        return LcrplanError([Problem(self.rel, line, col, "error", message, hint)])


# --- the three edits ---------------------------------------------------------------------------


def add_measurement(text: str, rel: str, kpi_id: str, entry: dict[str, Any], replace: bool) -> str:
    """The file's text with `entry` added to the KPI's measurements, in date order."""

    def mutate(tree: Any, where: Located) -> None:
        loc, kpi = find_item(tree, kpi_id, where)
        _check_measurable(kpi, loc, entry, where)
        _put_measurement(tree, kpi, loc, entry, replace, where)

    return rewrite(text, rel, mutate)


def mark_done(text: str, rel: str, kpi_id: str, done: dict[str, Any], replace: bool) -> str:
    """The file's text with the milestone KPI marked done."""

    def mutate(tree: Any, where: Located) -> None:
        loc, kpi = find_item(tree, kpi_id, where)
        if kpi.get("kind") != "milestone":
            raise where.problem(
                (*loc, "kind"),
                f"'{kpi_id}' is not a milestone KPI; only milestones are marked done",
                f"record a measurement instead: lcrplan record {kpi_id} VALUE",
            )
        old = kpi.get("done")
        if old is not None and not replace:
            raise where.problem(
                (*loc, "done"),
                f"'{kpi_id}' is already marked done on {_date_of(old)}",
                "pass --replace to change the date or note",
            )
        if old is not None and hasattr(old, "keys"):
            _update_map(old, done)
        else:
            new = _new_map(done, _style_of(tree, "done"))
            _set_key(kpi, "done", new, DONE_AFTER)

    return rewrite(text, rel, mutate)


def set_goal_state(text: str, rel: str, goal_id: str, state: str, reason: str | None) -> str:
    """The file's text with the goal's human state (and reason) set; active drops the reason."""

    def mutate(tree: Any, where: Located) -> None:
        loc, goal = find_item(tree, goal_id, where)
        if len(loc) != 2:
            raise where.problem(
                (*loc, "id"),
                f"'{goal_id}' is a KPI; state is set on goals",
                "pass the id of the goal the KPI belongs to",
            )
        if "state" in goal or state != "active":
            _set_key(goal, "state", state, STATE_AFTER)
        if state == "active":
            goal.pop("state_reason", None)
        elif reason is not None:
            _set_key(goal, "state_reason", _quoted(reason), ("state",))

    return rewrite(text, rel, mutate)


# --- finding and changing nodes ------------------------------------------------------------------


def find_item(tree: Any, item_id: str, where: Located) -> tuple[Loc, Any]:
    """The path and node of the goal or KPI with this id in a theme file's tree."""
    goals = tree.get("goals") if hasattr(tree, "get") else None
    for g, goal in enumerate(goals or []):
        if not hasattr(goal, "get"):
            continue
        if goal.get("id") == item_id:
            return ("goals", g), goal
        for k, kpi in enumerate(goal.get("kpis") or []):
            if hasattr(kpi, "get") and kpi.get("id") == item_id:
                return ("goals", g, "kpis", k), kpi
    raise LcrplanError(
        [
            Problem(
                where.rel,
                0,
                0,
                "error",
                f"'{item_id}' is no longer in this file",
                "the file changed while lcrplan was running; run the command again",
            )
        ]
    )


def _check_measurable(kpi: Any, loc: Loc, entry: dict[str, Any], where: Located) -> None:
    kind = kpi.get("kind")
    kpi_id = kpi.get("id")
    if kind == "milestone":
        raise where.problem(
            (*loc, "kind"),
            f"'{kpi_id}' is a milestone KPI: it is marked done, not measured",
            f"run: lcrplan done {kpi_id} --date YYYY-MM-DD",
        )
    if kind in ("numeric", "indicator") and not isinstance(entry.get("value"), (int, float)):
        raise where.problem(
            (*loc, "kind"),
            f"'{kpi_id}' is measured in numbers ({kind}): its measurements need a value",
            "give VALUE as a plain number such as 240 or 6750000",
        )


def _put_measurement(
    tree: Any, kpi: Any, loc: Loc, entry: dict[str, Any], replace: bool, where: Located
) -> None:
    from ruamel.yaml.comments import CommentedSeq

    seq = kpi.get("measurements")
    if not isinstance(seq, list):
        seq = CommentedSeq()
        _set_key(kpi, "measurements", seq, ())
    day = entry["date"]
    dates = [_date_of(item) for item in seq]
    if day in dates:
        j = dates.index(day)
        if not replace:
            raise where.problem(
                (*loc, "measurements", j, "date"),
                f"'{kpi.get('id')}' already has a measurement on {day}",
                "pass --replace to overwrite it, or give another --date",
            )
        if hasattr(seq[j], "keys"):
            _update_map(seq[j], entry)
            return
    at = next((j for j, d in enumerate(dates) if d is not None and d > day), len(seq))
    neighbour = seq[at - 1] if at else (seq[0] if len(seq) else None)
    flow = _is_flow(neighbour) if neighbour is not None else _style_of(tree, "measurements")
    if hasattr(seq, "fa"):
        seq.fa.set_block_style()
    seq.insert(at, _new_map(entry, flow))


def _date_of(item: Any) -> dt.date | None:
    value = item.get("date") if hasattr(item, "get") else None
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _new_map(values: dict[str, Any], flow: bool) -> Any:
    from ruamel.yaml.comments import CommentedMap

    new = CommentedMap((k, _quoted(v)) for k, v in values.items() if v is not None)
    if flow:
        new.fa.set_flow_style()
    else:
        new.fa.set_block_style()
    return new


def _update_map(old: Any, values: dict[str, Any]) -> None:
    """Replace `old`'s contents with `values`, editing in place so its comments stay."""
    for key in [k for k in old if k not in values or values[k] is None]:
        del old[key]
    for key, value in values.items():
        if value is not None:
            old[key] = _quoted(value)


_YAML_11_BOOLEANS = {"yes", "no", "on", "off", "y", "n"}  # text to YAML 1.2, not to editors
_NOT_PLAIN = re.compile(r"""[:#,\[\]{}&*!|>'"%@`\\]|^[-?\s]|\s$""")


def _quoted(value: Any) -> Any:
    """Text that cannot be written plain gets double quotes, as the data files have them."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if not isinstance(value, str):
        return value
    if (
        _NOT_PLAIN.search(value)
        or value.lower() in _YAML_11_BOOLEANS
        or parse(f"k: {value}\n", "").data != {"k": value}
    ):
        return DoubleQuotedScalarString(value)
    return value


def _set_key(node: Any, key: str, value: Any, after: Sequence[str]) -> None:
    """Set `key`, or add it after the last of the keys `after` that the mapping has."""
    if key in node:
        node[key] = value
        return
    keys = list(node)
    places = [keys.index(k) + 1 for k in after if k in keys]
    node.insert(max(places, default=len(keys)), key, value)


def _is_flow(node: Any) -> bool:
    fa = getattr(node, "fa", None)
    return bool(fa and fa.flow_style())


def _style_of(tree: Any, key: str) -> bool:
    """Whether the file writes `key` entries as flow mappings (flow when it has none yet)."""
    for goal in tree.get("goals") or []:
        kpis = goal.get("kpis") if hasattr(goal, "get") else None
        for kpi in kpis or []:
            found = kpi.get(key) if hasattr(kpi, "get") else None
            if isinstance(found, list) and found:
                found = found[0]
            if hasattr(found, "keys"):
                return _is_flow(found)
    return True


# --- round trip and carrying the change onto the original text ----------------------------------


@dataclass(frozen=True)
class _Source:
    """A file's text split into what ruamel reads and what it would not keep."""

    bom: str
    newline: str
    lines: list[str]  # the original lines, each with its own line ending

    @classmethod
    def of(cls, text: str) -> _Source:
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        body = text[len(bom) :]
        newline = "\r\n" if body.count("\r\n") * 2 > body.count("\n") else "\n"
        return cls(bom, newline, _split(body))

    @property
    def lf(self) -> str:
        return "".join(_lf(line) for line in self.lines)


def _split(text: str) -> list[str]:
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n")


def rewrite(text: str, rel: str, mutate: Mutation) -> str:
    """Apply `mutate` to the file's round-trip tree; return the new text, or `text` if unchanged."""
    src = _Source.of(text)
    where = Located(rel, src.lf)
    parsed = parse(src.lf, rel)
    if parsed.problems:
        raise LcrplanError(parsed.problems)
    rt, tree, noop = _round_trip(src.lf)
    mutate(tree, where)
    new = rt.dump(tree)
    if new == noop:
        return text
    carried = carry(src, _split(noop), _split(new))
    if carried is None or parse(_lf(carried), rel).data != parse(new, rel).data:
        carried = src.bom + new.replace("\n", src.newline)
    return carried


def _round_trip(text: str) -> tuple[Any, Any, str]:
    """A round-trip YAML set to the file's indentation, its tree, and its no-op dump."""
    from .yamlio import RoundTrip

    best: tuple[float, Any, Any, str] | None = None
    for mapping, sequence, offset in INDENTS:
        rt = RoundTrip()
        rt.yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        tree = rt.load(text)
        noop = rt.dump(tree)
        if noop == text:
            return rt, tree, noop
        score = difflib.SequenceMatcher(None, _split(text), _split(noop), autojunk=False).ratio()
        if best is None or score > best[0]:
            best = (score, rt, tree, noop)
    assert best is not None
    return best[1], best[2], best[3]


def _filler(line: str) -> bool:
    """A blank or comment-only line, which belongs to what follows it rather than before."""
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def edits(noop: list[str], new: list[str]) -> list[tuple[int, int, list[str]]]:
    """The line edits (start, end, replacement) from ruamel's no-op output to its edited one."""
    # An insertion moves up above the blank and comment lines before it (they introduce what
    # follows), and no blank or comment line is removed: comments belong to people.
    out: list[tuple[int, int, list[str]]] = []
    floor = 0
    opcodes = difflib.SequenceMatcher(None, noop, new, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        lines = new[j1:j2]
        if tag == "insert":
            while i1 > floor and _filler(noop[i1 - 1]):
                i1 -= 1
            i2 = i1
        else:
            lines = _keep_comments(noop[i1:i2], lines)
        out.append((i1, i2, lines))
        floor = i2
    return out


def _keep_comments(old: list[str], new: list[str]) -> list[str]:
    """`new`, with the blank and comment lines of `old` it lacks kept before or after it."""
    spare = list(new)
    lead: list[str] = []
    tail: list[str] = []
    for i, line in enumerate(old):
        if not _filler(line):
            continue
        if line in spare:
            spare.remove(line)
        elif all(_filler(earlier) for earlier in old[:i]):
            lead.append(line)
        else:
            tail.append(line)
    return lead + new + tail


def carry(src: _Source, noop: list[str], new: list[str]) -> str | None:
    """Apply the edit ruamel made (noop -> new) to the original lines; None if they conflict."""
    orig = [_lf(line) for line in src.lines]
    where = {i: i for i in range(len(noop) + 1)} if orig == noop else _alignment(noop, orig)
    lines = list(src.lines)
    for i1, i2, repl in reversed(edits(noop, new)):
        span = _span(where, i1, i2)
        if span is None:
            return None
        lines[span[0] : span[1]] = [_ending(line, src.newline) for line in repl]
    for i, line in enumerate(lines[:-1]):
        if not line.endswith("\n"):
            lines[i] = line + src.newline
    return src.bom + "".join(lines)


def _alignment(noop: list[str], orig: list[str]) -> dict[int, int]:
    """Which original line each unchanged line of ruamel's output is (index -> index)."""
    where: dict[int, int] = {len(noop): len(orig)}
    matcher = difflib.SequenceMatcher(None, noop, orig, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            where[a + k] = b + k
    return where


def _span(where: dict[int, int], i1: int, i2: int) -> tuple[int, int] | None:
    if i1 == i2:
        at = where[i1 - 1] + 1 if i1 - 1 in where else where.get(i1)
        return None if at is None else (at, at)
    if any(i not in where for i in range(i1, i2)):
        return None
    if where[i2 - 1] - where[i1] != i2 - 1 - i1:
        return None
    return where[i1], where[i2 - 1] + 1


def _ending(line: str, newline: str) -> str:
    return line[:-1] + newline if line.endswith("\n") else line


# --- writing: lock, check, replace ---------------------------------------------------------------


def lock_path(path: Path) -> Path:
    """The lock file beside `path`: hidden, so the loader never reads it."""
    return fileio.lock_path(path)


@contextmanager
def locked(path: Path, rel: str, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock for writing `path` (see `fileio.locked`)."""
    try:
        with fileio.locked(path, LOCK_TIMEOUT if timeout is None else timeout):
            yield
    except fileio.Busy:
        raise LcrplanError([_busy(rel)]) from None
    except fileio.UnsafePath as exc:
        raise LcrplanError([_unsafe(rel, exc)]) from None


def _busy(rel: str) -> Problem:
    return Problem(
        rel,
        0,
        0,
        "error",
        "another lcrplan command has been writing this file for too long",
        "wait for it to finish and run the command again",
    )


def _unsafe(rel: str, exc: fileio.UnsafePath) -> Problem:
    return Problem(
        rel, 0, 0, "error", f"not written: {exc}", "remove the link; nothing was changed"
    )


def read_file(path: Path, rel: str) -> str:
    """The file's text exactly as stored (a byte-order mark included), or a located error."""
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        message, hint = f"cannot read file: {exc.strerror}", "check the file's permissions"
    except UnicodeDecodeError:
        message, hint = "file is not UTF-8", "save the file with UTF-8 encoding"
    raise LcrplanError([Problem(rel, 0, 0, "error", message, hint)])


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
) -> Change:
    """Read, edit, check and (unless `dry_run`) replace one file, all under its lock."""
    path = path.resolve()
    try:
        with locked(path, rel):
            before = read_file(path, rel)
            change = Change(rel, before, edit(before))
            if change.changed and dry_run:
                with fileio.staged(path, change.after, durable=False) as candidate:
                    _raise_errors(check)(candidate)
            elif change.changed:
                fileio.write_atomic(path, change.after, _raise_errors(check))
    except OSError as exc:
        raise LcrplanError([_unwritable(rel, exc)]) from None
    return change


def _unwritable(rel: str, exc: OSError) -> Problem:
    return Problem(
        rel,
        0,
        0,
        "error",
        f"cannot write the file: {exc.strerror or exc}",
        "check free disk space and the folder's permissions; the file was not changed",
    )


# --- checking the data set with one file replaced -----------------------------------------------


@dataclass
class Target:
    """The goal or KPI an edit is about, the file defining it, and the check its new text must
    pass; `written` is called once the file has been replaced."""

    item: Any
    path: Path
    rel: str
    check: Check
    written: Callable[[], None] = lambda: None


def candidate_check(loaded: Any, rel: str, today: dt.date) -> Check:
    """A check of the whole data set as it would be with file `rel` read from another path."""
    from .load import display_root, validate_file

    base = display_root(loaded.root)

    def check(candidate: Path) -> list[Problem]:
        result = validate_file(candidate, rel, loaded.data.config.limits)
        if result.problems:
            return result.problems
        files = [result if f.rel == rel else f for f in loaded.files]
        return _set_errors(files, loaded.data.config, base, today, {rel: candidate})

    return check


def loaded_target(
    loaded: Any, item_id: str, item: Any, today: dt.date, restamp: bool = True
) -> Target:
    """The target in a fully loaded data set: its new text is checked with the whole set.
    `restamp`: after the write, update the cache's id index (see `quick_target`)."""
    from .cache import Ids

    rel = loaded.origins[item_id].file
    path = loaded.file_of(item_id)

    def written() -> None:  # the set passed its checks with this file: keep the index usable
        ids = Ids.open(loaded.root) if restamp else None
        if ids is not None and rel in ids.files:
            ids.restamp(path, rel)

    return Target(item, path, rel, candidate_check(loaded, rel, today), written)


def quick_target(root: Path, item_id: str, today: dt.date) -> Target | None:
    """The goal or KPI found through the cache's id index, without loading the data set.

    The index was written when the data set passed every check; its file must be unchanged
    since (same size and times). An edit to that theme file can then only add findings about
    its own items: the edited text is checked against the small files as they are now (config,
    directory, the theme's plan), and the errors it adds over the file as it stands are
    reported. (Findings that need the files left unread, such as an unknown `parent` goal, are
    the same before and after, so cancel out.) What it reads does not grow with the data set.
    Otherwise None: the caller loads everything and uses `candidate_check`.
    """
    from collections import Counter

    from . import models as m
    from .cache import Ids
    from .load import FileResult, display_root, validate_file

    ids = Ids.open(root)
    if ids is None or item_id not in ids.items:
        return None
    rel = ids.items[item_id]
    base = display_root(root)
    path = base / rel
    if not ids.unchanged(path, rel):
        return None
    config, limits = m.Config(), m.Limits()
    context: list[FileResult] = []
    for name in sorted(ids.files, key=lambda f: ids.kind(f) != "config"):
        if ids.kind(name) in ("config", "directory"):
            result = validate_file(base / name, name, limits)
            if result.problems or result.model is None:
                return None
            if isinstance(result.model, m.Config):
                config, limits = result.model, result.model.limits
            context.append(result)
    current = validate_file(path, rel, limits)
    item = _item_in(current.model, item_id)
    if current.problems or item is None or not isinstance(current.model, m.ThemeFile):
        return None
    plan_file = ids.items.get(current.model.theme.plan)  # its plan: dates and the board
    if plan_file is not None:
        plan = validate_file(base / plan_file, plan_file, limits)
        if plan.problems:
            return None
        context.append(plan)

    def key(p: Problem) -> tuple[str, str, str]:
        return (p.file, p.message, p.hint)

    before = Counter(map(key, _set_errors([*context, current], config, base, today, {}, rel)))

    def check(candidate: Path) -> list[Problem]:
        result = validate_file(candidate, rel, limits)
        if result.problems:
            return result.problems
        after = _set_errors([*context, result], config, base, today, {rel: candidate}, rel)
        seen: Counter[tuple[str, str, str]] = Counter()
        added = []
        for problem in after:
            seen[key(problem)] += 1
            if seen[key(problem)] > before[key(problem)]:
                added.append(problem)
        return added

    return Target(item, path, rel, check, lambda: ids.restamp(path, rel))


def _item_in(model: Any, item_id: str) -> Any:
    """The goal or KPI `item_id` in a theme file's model, or None."""
    for goal in getattr(model, "goals", ()):
        if goal.id == item_id:
            return goal
        for kpi in goal.kpis:
            if kpi.id == item_id:
                return kpi
    return None


def _set_errors(
    files: Sequence[Any],
    config: Any,
    base: Path,
    today: dt.date,
    read_from: dict[str, Path],
    only: str | None = None,
) -> list[Problem]:
    """Errors of the data set made of `files` (duplicate ids and every check), located; with
    `only`, just those about items of that file. `read_from` maps a file to where its text is."""
    from .checks import CHECKS
    from .load import merge

    data, origins, problems = merge(files, config, base)
    texts: dict[str, str] = {}
    for check_fn in CHECKS:
        for item_id, tail, severity, message, hint in check_fn(data, origins, today):
            origin = origins[item_id]
            if severity != "error" or (only is not None and origin.file != only):
                continue
            if origin.file not in texts:
                where = read_from.get(origin.file, base / origin.file)
                texts[origin.file] = _lf(read_file(where, origin.file).removeprefix("\ufeff"))
            line, col = locate(texts[origin.file], origin.loc + tail)
            problems.append(Problem(origin.file, line, col, severity, message, hint))
    return problems
