"""One truth: the real data at several dates gives the same numbers in `status`, `overdue`,
`groups`, `report` and every `--format`, through the real command line, as the library's
`lcrplan.summary` and `lcrplan.statuses` give at that date."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter
from dataclasses import dataclass

import pytest

import lcrplan
from lcrplan.core.statuses import SEVERITY, label
from lcrplan.evaluate.attention import RULES

from .conftest import DATA, TODAY

DATES = ["2026-01-31", "2026-11-30", "2027-06-30"]
PLAIN = {"NO_COLOR": "1", "COLUMNS": "250"}
LABELS = {label(s): s.value for s in SEVERITY}


@dataclass(frozen=True)
class Numbers:
    """What one command says: items, by status, overdue, due soon, stale, what needs attention
    by rule, and the KPIs never reported."""

    items: int
    by_status: dict[str, int]
    overdue: int
    due_soon: int | None = None
    stale: int | None = None
    attention: dict[str, int] | None = None
    never_reported: int | None = None

    @property
    def needs_total(self) -> int:
        return sum((self.attention or {}).values())


TITLES = {rule.title.lower(): rule.concern.value for rule in RULES}


def by_rule(text: str) -> dict[str, int]:
    """`9 overdue, 8 reading overdue` -> by concern key."""
    found = {}
    for part in filter(None, text.split(", ")):
        number, words = part.split(" ", 1)
        found[TITLES[words.strip().lower()]] = int(number)
    return found


def counts(text: str) -> dict[str, int]:
    """`9 Overdue, 73 Not reported` (words, or report symbols and words) -> by status key."""
    found: dict[str, int] = {}
    for part in text.split(", "):
        number, words = part.split(" ", 1)
        words = words.strip()
        if words not in LABELS:  # the report puts a symbol before the word
            words = words.split(" ", 1)[1]
        found[LABELS[words]] = int(number)
    return found


def nonzero(by_status: dict[str, int]) -> dict[str, int]:
    return {s: n for s, n in by_status.items() if n}


def run_ok(run, *args: str, env: dict[str, str] | None = None) -> str:
    result = run(*args, "--data", DATA, "--no-cache", env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def from_status_header(run, as_of: str) -> Numbers:
    head = " ".join(run_ok(run, "status", "--as-of", as_of, env=PLAIN).split("\n\n")[0].split())
    found = re.match(
        rf"As of {as_of}: (\d+) items \((\d+) KPIs(?:, (\d+) goals with no KPI)?\): ([^;]*)"
        r"(?:; (\d+) needs? attention \(([^)]*)\))?(?:; (\d+) KPIs never reported)?"
        r"(?:; (\d+) due within 30 days)?",
        head,
    )
    assert found, head
    by_status = counts(found.group(4))
    attention = by_rule(found.group(6) or "")
    assert sum(attention.values()) == int(found.group(5) or 0)
    return Numbers(
        int(found.group(1)),
        by_status,
        by_status.get("overdue", 0),
        int(found.group(8) or 0),
        None,
        attention,
        int(found.group(7) or 0),
    )


def _comparable(numbers: Numbers) -> Numbers:
    """What the status header says too: it names no stale count, and no rule with none."""
    return Numbers(
        numbers.items,
        numbers.by_status,
        numbers.overdue,
        numbers.due_soon,
        None,
        nonzero(numbers.attention or {}),
        numbers.never_reported,
    )


@dataclass(frozen=True)
class Counted:
    """One counted item as the counts see it, whichever output it was read from."""

    status: str
    flags: tuple[str, ...]
    concern: str | None
    unread_figure: bool
    """A KPI measured in figures (numeric, indicator) with no reading."""


def tally(counted: list[Counted]) -> Numbers:
    flags = Counter(f for i in counted for f in i.flags)
    by_status = dict(Counter(i.status for i in counted))
    concerns = Counter(i.concern for i in counted)
    return Numbers(
        len(counted),
        by_status,
        by_status.get("overdue", 0),
        flags["due_soon"],
        flags["stale"],
        {c: concerns[c] for c in TITLES.values()},
        sum(i.unread_figure for i in counted),
    )


def from_items(items: list[dict]) -> Numbers:
    return tally(
        [
            Counted(
                i["status"],
                tuple(i["flags"]),
                _concern(i),
                i["type"] == "kpi" and i["kind"] in ("numeric", "indicator") and _no_reading(i),
            )
            for i in items
            if i["counted"] in (True, "true")
        ]
    )


def _concern(item: dict) -> str | None:
    if "attention" in item:  # JSON
        return item["attention"]["concern"] if item["attention"] else None
    return item["attention_concern"] or None  # CSV


def _no_reading(item: dict) -> bool:
    return item["latest"] is None if "latest" in item else item["latest_date"] == ""


def from_summary(summary: dict) -> Numbers:
    return Numbers(
        summary["items"],
        nonzero(summary["by_status"]),
        summary["overdue"],
        summary["due_soon"],
        summary["stale"],
        summary["attention"],
        summary["never_reported"],
    )


def from_library(as_of: str) -> Numbers:
    """The reference numbers: the library's summary at `as_of`, counted again from its items."""
    day = dt.date.fromisoformat(as_of)
    loaded = lcrplan.load(DATA, today=TODAY)
    summary = lcrplan.summary(loaded, as_of=day)
    numbers = Numbers(
        summary.items,
        {status.value: n for status, n in summary.counts},
        summary.overdue,
        summary.due_soon,
        summary.stale,
        {concern.value: n for concern, n in summary.attention.items()},
        summary.never_reported,
    )
    counted = [
        Counted(
            i.status.value,
            tuple(f.value for f in i.flags),
            i.attention.concern.value if i.attention else None,
            i.type == "kpi" and i.kind in ("numeric", "indicator") and i.latest is None,
        )
        for i in lcrplan.statuses(loaded, as_of=day).items
        if i.counted
    ]
    assert tally(counted) == numbers
    return numbers


def envelope(run, command: str, as_of: str) -> dict:
    return json.loads(run_ok(run, command, "--as-of", as_of, "-f", "json"))


def from_status_json(run, as_of: str) -> Numbers:
    out = envelope(run, "status", as_of)
    assert from_items(out["items"]) == from_summary(out["summary"])
    return from_summary(out["summary"])


def from_status_csv(run, as_of: str) -> Numbers:
    rows = list(csv.DictReader(io.StringIO(run_ok(run, "status", "--as-of", as_of, "-f", "csv"))))
    for row in rows:
        row["flags"] = row["flags"].split("; ")
    return from_items(rows)


def from_overdue(run, as_of: str) -> tuple[int, int, int, list[dict]]:
    table = run_ok(run, "overdue", "--as-of", as_of, env=PLAIN)
    found = re.match(
        rf"As of {as_of}: (\d+) of (\d+) items overdue, (\d+) due within 30 days", table
    )
    assert found, table
    out = envelope(run, "overdue", as_of)
    overdue, items, soon = (int(g) for g in found.groups())
    assert from_summary(out["summary"]) == from_status_json(run, as_of)
    return overdue, items, soon, out["items"]


def from_groups(run, as_of: str) -> Numbers:
    out = envelope(run, "groups", as_of)
    assert from_summary(out["summary"]) == from_status_json(run, as_of)
    rows = out["items"]
    top = [r for r in rows if r["type"] in ("board", "other")]  # a board includes its groups
    by_status: Counter[str] = Counter()
    for row in top:
        by_status.update(row["by_status"])
    for row in rows:
        if row["type"] == "board":
            groups = [g for g in rows if g["board"] == row["id"]]
            assert sum(g["items"] for g in groups) <= row["items"]
    table = " ".join(run_ok(run, "groups", "--as-of", as_of, env=PLAIN).split())
    total = sum(r["items"] for r in top)
    assert f"{total} items in all (KPIs, and goals with no KPI), each counted once" in table
    return Numbers(total, dict(by_status), by_status["overdue"])


SUMMARY_WORDS = (
    r"(\d+)\** (?:is|are) overdue, \**(\d+)\** due within 30 days, and \**(\d+)\** "
    r"(?:has|have) a reading late by (?:its|their) own rhythm; \**(\d+)\** KPIs? (?:has|have) "
    r"never been reported"
)


def from_report(run, as_of: str) -> tuple[Numbers, int, int]:
    text = run_ok(run, "report", "--as-of", as_of)
    found = re.search(r"(\d+) items under \d+ goals: .*?\*\*" + SUMMARY_WORDS, text)
    assert found, text[:2000]
    items, overdue, soon, stale, never = found.groups()
    tiles = re.search(r"## At a glance\n\n\|(.*)\|\n\|[-:|]+\n\|(.*)\|\n", text)
    assert tiles, text[:2000]
    words = [w.strip().split(" ", 1)[1] for w in tiles.group(1).split("|")]
    numbers = [int(n.split("**")[1].replace(",", "")) for n in tiles.group(2).split("|")]
    by_status = {LABELS[w]: n for w, n in zip(words, numbers, strict=True)}
    attention = re.search(r"\n(\d+) items? needs? attention", text)
    who = re.search(r"\n\| Owner \|(.*?)\n\|---.*?\n((?:\|.*\n)+)", text)
    assert attention and who
    totals = sum(int(line.rsplit("|", 2)[1]) for line in who.group(2).splitlines())
    # the who-to-ask table's columns are the rules: their totals are what needs attention
    titles = [t.strip() for t in who.group(1).split("|")[:-2]]
    by_rule = dict.fromkeys(TITLES.values(), 0)
    for line in who.group(2).splitlines():
        cells = [c.strip() for c in line.split("|")[2:-2]]
        for title, cell in zip(titles, cells, strict=True):
            key = TITLES.get(title.lower(), "due_soon")  # "Due within 30 days"
            by_rule[key] += int(cell or 0)
    numbers_ = Numbers(
        int(items), by_status, int(overdue), int(soon), int(stale), by_rule, int(never)
    )
    return numbers_, int(attention.group(1)), totals


def from_report_html(run, as_of: str) -> Numbers:
    import html5lib

    html = run_ok(run, "report", "--as-of", as_of, "--format", "html")
    root = html5lib.parse(html, namespaceHTMLElements=False)
    paragraphs = (" ".join(" ".join(p.itertext()).split()) for p in root.iter("p"))
    words = next(p for p in paragraphs if " items under " in p)
    found = re.match(r"(\d+) items under .*? (?:\*\*)?" + SUMMARY_WORDS, words)
    assert found, words
    tiles = next(u for u in root.iter("ul") if u.get("class") == "tiles")
    by_status = {}
    for li in tiles:
        parts = {s.get("class"): " ".join("".join(s.itertext()).split()) for s in li}
        by_status[LABELS[parts["word"]]] = int(parts["count"].replace(",", ""))
    items, overdue, soon, stale, never = map(int, found.groups())
    return Numbers(items, by_status, overdue, soon, stale, None, never)


@pytest.mark.parametrize("as_of", DATES)
def test_every_command_and_format_gives_one_set_of_numbers(run, as_of):
    summary = from_library(as_of)
    assert from_status_json(run, as_of) == summary
    header = from_status_header(run, as_of)
    assert _comparable(summary) == header
    assert from_status_csv(run, as_of) == summary
    report, attention, who_to_ask = from_report(run, as_of)
    assert report == summary
    html = from_report_html(run, as_of)
    assert html == Numbers(**{**vars(summary), "attention": None})
    assert attention == who_to_ask == summary.needs_total  # the who-to-ask table lists them
    groups = from_groups(run, as_of)
    assert (groups.items, nonzero(groups.by_status)) == (header.items, header.by_status)
    overdue, items, soon, listed = from_overdue(run, as_of)
    assert (overdue, items, soon) == (header.overdue, header.items, header.due_soon)
    assert len(listed) == overdue + soon
    assert Counter(i["status"] == "overdue" for i in listed)[True] == overdue


def test_a_2040_goal_with_an_overdue_kpi_is_behind_and_owners_without_a_lead_say_so(run):
    day = dt.date(2026, 11, 30)
    card = lcrplan.statuses(lcrplan.load(DATA, today=TODAY), as_of=day)
    goal = next(i for i in card.items if i.id == "lis-gc-clean-act-2")
    # due 2040; the 2020 hydrogen buses are overdue
    assert goal.due == dt.date(2040, 12, 31)
    assert goal.status == "behind"
    assert goal.reason.startswith("2 of 6 KPIs are overdue (lis-gc-clean-kpi-hydrogen-buses, ")
    behind = run_ok(run, "status", "--as-of", "2026-11-30", "-s", "Behind", env=PLAIN)
    assert behind.startswith(
        "As of 2026-11-30: 0 items (0 KPIs); also shown: 6 goals with KPIs, counted through "
        "their KPIs\n"
    )
    overdue = envelope(run, "overdue", "2026-11-30")["items"]
    assert {i["id"] for i in overdue}.isdisjoint({"lis-gc-clean-act-2", "lis-fdn-places-act-1"})
    report = run_ok(run, "report", "--month", "2026-11")
    assert "| Liverpool City Region partners (no named lead) |" in report
    groups = " ".join(run_ok(run, "groups", "--as-of", "2026-11-30", env=PLAIN).split())
    assert "Liverpool City Region partners lcr-partners no named lead" in groups
