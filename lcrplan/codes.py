"""Every problem lcrplan reports has a code: `LCR` and three digits, a short kebab-case name and
a default severity, with a page saying what it means, why it matters, an example and the fix.

The codes are grouped by the hundred: 1xx the files and their YAML, 2xx fields and values,
3xx references to ids, 4xx consistency between fields and files, 5xx data quality (the
SMART gaps), 6xx configuration and suppressions, 7xx templates and edits. A code is never
reused for another meaning. `lcrplan explain CODE` prints a page; `docs/codes.md` is made
from this module (`lcrplan explain --all --format markdown`) and a test keeps it in step.

A *locked* code is an error that leaves data the tracker cannot use (a file it cannot read, a
field it cannot understand, an id that points nowhere): its severity cannot be configured and
it cannot be suppressed. Any other code can be set to `error`, `warning`, `info` or `off` in
`lcrplan.yaml`, or suppressed on one item with a reason (see data/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
Level = Literal["error", "warning", "info", "off"]
"""What configuration may set a code to: a severity, or off."""
LEVELS: tuple[Level, ...] = ("error", "warning", "info", "off")
RANK = {"error": 0, "warning": 1, "info": 2, "off": 3}
"""Errors first: the order output lists problems in, and "lower" means further down it."""


@dataclass(frozen=True)
class Code:
    """One kind of problem, with its documentation."""

    code: str
    name: str
    level: Level
    """The default severity (or off: reported only when configuration turns it on)."""
    summary: str
    why: str
    example: str
    """YAML (or a situation) that gives the problem, and the message it gives."""
    fix: str
    locked: bool = False

    @property
    def category(self) -> str:
        return CATEGORIES[self.code[3]]


CATEGORIES = {
    "1": "Files and YAML",
    "2": "Fields and values",
    "3": "References",
    "4": "Consistency",
    "5": "Data quality",
    "6": "Configuration and suppressions",
    "7": "Templates and edits",
}


def _c(
    code: str,
    name: str,
    level: Level,
    summary: str,
    why: str,
    example: str,
    fix: str,
    locked: bool = False,
) -> Code:
    return Code(code, name, level, summary, why, example.strip("\n"), fix, locked)


_FILE_WHY = "Until the file can be read, nothing in it is tracked: every goal and KPI it holds is missing from status and reports."
_FIELD_WHY = (
    "The item cannot be tracked as written: it is left out of every status until it is fixed."
)
_REF_WHY = "An id that points nowhere leaves the item without an owner, source or plan to report against; usually it is a typo."

ALL: tuple[Code, ...] = (
    # --- 1xx: files and YAML ------------------------------------------------------------------
    _c(
        "LCR101",
        "invalid-yaml",
        "error",
        "The file is not valid YAML: an unclosed quote or bracket, a stray ':', a tab, bad indentation.",
        _FILE_WHY,
        """
title: People reached: adults
# error: invalid YAML: mapping values are not allowed in this context
""",
        "Quote a value that holds ': ', indent with spaces, close every quote and bracket where it opens. The message points at the place to fix and its hint says how.",
        locked=True,
    ),
    _c(
        "LCR102",
        "duplicate-key",
        "error",
        "A key is written twice in one mapping.",
        "YAML readers disagree on which value wins; lcrplan refuses to guess.",
        """
target: 100
target: 120
# error: duplicate key 'target', first defined at line 1
""",
        "Keep one of the two lines.",
        locked=True,
    ),
    _c(
        "LCR103",
        "alias",
        "error",
        "An alias (`*name`) or anchor is used.",
        "Aliases let a small file expand into a huge one (a 'billion laughs' attack), and make a value's meaning depend on another place in the file.",
        """
source: *src
# error: aliases (*name) are not allowed
""",
        "Write the value out in full.",
        locked=True,
    ),
    _c(
        "LCR104",
        "tag",
        "error",
        "A YAML tag (`!!python/...`, `!custom`, `!!binary`) changes what a value is.",
        "Tags can build objects or run code in some readers; data files hold plain values only.",
        """
x: !!python/object/apply:os.system ['true']
# error: tag '!!python/object/apply:os.system' is not allowed
""",
        "Remove the tag.",
        locked=True,
    ),
    _c(
        "LCR105",
        "complex-key",
        "error",
        "A mapping key is a list or mapping rather than a plain word.",
        "Every key in a data file is a field name.",
        """
? [a, b]
: value
# error: a key must be a plain value
""",
        "Write the key as a word followed by ':', e.g. `title:`.",
        locked=True,
    ),
    _c(
        "LCR106",
        "yaml-version",
        "error",
        "A `%YAML` directive names a version other than 1.2.",
        "The reader and the writer both follow YAML 1.2; YAML 1.1 reads `yes`, `on` and `0777` differently.",
        """
%YAML 1.1
---
# error: '%YAML 1.1' directive: data files are read as YAML 1.2
""",
        "Delete the directive line.",
        locked=True,
    ),
    _c(
        "LCR107",
        "file-too-large",
        "error",
        "The file is larger than `limits.max_file_bytes` (5,000,000 bytes by default).",
        "A pull request could otherwise exhaust the memory of every CI run.",
        "A 7 MB theme file.\n# error: file is 7,340,032 bytes, over the limit of 5,000,000",
        "Split the file, or raise `limits.max_file_bytes` in lcrplan.yaml.",
        locked=True,
    ),
    _c(
        "LCR108",
        "too-deep",
        "error",
        "Lists and mappings are nested deeper than `limits.max_depth` (64 by default).",
        "Deep nesting crashes YAML parsers; no data file needs it.",
        "a: [[[[[[ ... 100 levels ... ]]]]]]\n# error: nesting is deeper than 64 levels",
        "Flatten the structure, or raise `limits.max_depth` (at most 500).",
        locked=True,
    ),
    _c(
        "LCR109",
        "too-many-items",
        "error",
        "A list or mapping holds more than `limits.max_list_items` (100,000) entries.",
        "A pull request could otherwise exhaust time and memory.",
        "A list of 200,000 measurements.\n# error: list has more than 100,000 items",
        "Split it across files, or raise `limits.max_list_items`.",
        locked=True,
    ),
    _c(
        "LCR110",
        "not-utf8",
        "error",
        "The file is not UTF-8 text.",
        "Names and quotes would be misread; lcrplan names the byte where decoding fails.",
        "A file saved as Latin-1 holding 'café'.\n# error: file is not UTF-8 (byte 0xe9)",
        "Save the file with UTF-8 encoding (a byte-order mark is fine).",
        locked=True,
    ),
    _c(
        "LCR111",
        "empty-file",
        "error",
        "A data file is empty, or holds only comments.",
        "An empty file is usually a mistake (a half-finished move or a failed save).",
        "# goals to come\n# error: file holds only comments, no data",
        "Add content as data/README.md describes, or delete the file.",
        locked=True,
    ),
    _c(
        "LCR112",
        "not-a-mapping",
        "error",
        "The top of the file is a list or a single value, not keys.",
        "Every data file starts with keys such as `theme:`, `goals:` or `boards:`.",
        "- a\n- b\n# error: expected a mapping of keys at the top, got a list",
        "Start the file with a key such as `theme:` or `boards:`.",
        locked=True,
    ),
    _c(
        "LCR113",
        "unreadable",
        "error",
        "A file or folder cannot be read (permissions, a broken or looping symbolic link).",
        _FILE_WHY,
        "data/gone.yaml -> deleted.yaml\n# error: broken or looping symbolic link",
        "Fix the permissions, or remove the link.",
        locked=True,
    ),
    _c(
        "LCR114",
        "bad-file-name",
        "error",
        "A file or folder name holds a control character or is not valid UTF-8.",
        "File names reach terminals, CI logs and CODEOWNERS, where such characters can inject lines.",
        "data/plan\\n.yaml\n# error: file name has a control character \\n (line feed)",
        "Rename it: a name is one line of plain text.",
        locked=True,
    ),
    _c(
        "LCR115",
        "skipped-file",
        "warning",
        "A file is skipped: a link that points outside the data directory, or a pipe or device named *.yaml.",
        "The data directory is the whole of the data: a file outside it could change between runs, and a pipe would block.",
        "data/outside.yaml -> /etc/passwd\n# warning: skipped: link points outside the data directory",
        "Copy the file into the data directory, or replace it with a plain YAML file.",
    ),
    _c(
        "LCR116",
        "no-data",
        "error",
        "There is no data directory, or it holds no YAML file.",
        "Nothing can be tracked.",
        "lcrplan validate --data nowhere\n# error: data directory does not exist",
        "Run inside a folder holding data/ or lcrplan.yaml, or pass --data DIR.",
        locked=True,
    ),
    # --- 2xx: fields and values ---------------------------------------------------------------
    _c(
        "LCR201",
        "unknown-field",
        "error",
        "A key the item does not have: usually a typo (`traget:`), or a field in the wrong place.",
        "Unknown keys are refused rather than ignored, so a mistyped field is never silently lost. When the typo is the near miss of a required field, it is one error, not two.",
        """
- id: ci-inv-3-people
  kind: numeric
  traget: 1000
# error: kpi ci-inv-3-people: unknown field 'traget' (did you mean 'target'?)
""",
        "Correct the key; the hint names the nearest allowed field.",
        locked=True,
    ),
    _c(
        "LCR202",
        "missing-field",
        "error",
        "A required field is missing (`title`, `source`, a numeric KPI's `target` and `unit`...).",
        _FIELD_WHY,
        """
- id: ci-inv-3-people
  kind: numeric
  title: People engaged
# error: kpi ci-inv-3-people: missing required field 'target'
""",
        "Add the field; data/README.md lists each item's fields.",
        locked=True,
    ),
    _c(
        "LCR203",
        "invalid-value",
        "error",
        "A value of the wrong type (a mapping where a list is due, text where a number is due) or missing after its key.",
        _FIELD_WHY,
        """
- id: goal-1
  aliases: {a: b}
# error: goal goal-1: aliases: expected a list
""",
        "Write the value in the form the hint gives.",
        locked=True,
    ),
    _c(
        "LCR204",
        "invalid-date",
        "error",
        "A date that is not YYYY-MM-DD, or a day that does not exist (2026-02-30).",
        "Every status is judged against dates; a date the tracker cannot read cannot be judged.",
        """
due: 2026-02-30
# error: goal goal-1: due: 2026-02-30 is not a date: February 2026 has 28 days
""",
        "Write a real day as YYYY-MM-DD; keep the document's wording in `text:` (see data/README.md, Dates).",
        locked=True,
    ),
    _c(
        "LCR205",
        "invalid-number",
        "error",
        "A number written with commas, units, a percent sign or words (`1,000`, `£5M`, `40%`), in digits other than 0-9 (`５`, `٥`), with more digits than can be read, or `.nan` / `.inf`.",
        "Progress is computed from the number; the document's wording belongs in `target_text` or a measurement's `text`.",
        """
target: 1,000
# error: kpi kpi-1: target: '1,000' is not a plain number
target: 40%
# error: kpi kpi-1: target: '40%' is not a plain number
""",
        'Write a plain number such as 1000 or 6750000, and keep the wording in `target_text:`. A percentage (a share, a rate) is its number of percent, with `unit: "%"`: 40% is `target: 40` (not `40%`, and not 0.4, which would be 0.4%); a reading of 38.5% is `value: 38.5`.',
        locked=True,
    ),
    _c(
        "LCR206",
        "unknown-kpi-kind",
        "error",
        "A KPI's `kind` is missing or not one of numeric, milestone, indicator, ongoing.",
        "The kind decides which fields a KPI has and how it is judged.",
        """
kind: numerc
# error: kpi kpi-1: unknown kind 'numerc' (did you mean 'numeric'?)
""",
        "Set `kind:` to numeric, milestone, indicator or ongoing.",
        locked=True,
    ),
    _c(
        "LCR207",
        "invalid-id",
        "error",
        "An id (or a reference to one) that is not lowercase letters, digits and single hyphens.",
        "Ids are written in measurements, reports and pull requests, and must read the same everywhere.",
        """
source: {document: Doc 1}
# error: goal goal-1: source.document: 'Doc 1' is not a valid id
""",
        "Use lowercase letters, digits and single hyphens, e.g. ci-inv-1.",
        locked=True,
    ),
    _c(
        "LCR208",
        "control-character",
        "error",
        "Text holds a control character (escape, a bidi override) or, in a one-line field, a line break.",
        "Text reaches terminals, CI logs, CODEOWNERS and spreadsheets, where such characters can hide or inject content.",
        'title: "A\\u202egoal"\n# error: goal goal-1: title: control character \\u202e is not allowed here',
        "Remove the character.",
        locked=True,
    ),
    _c(
        "LCR209",
        "unknown-word",
        "error",
        "A field that takes one of a few words has another (`direction: up`).",
        _FIELD_WHY,
        """
direction: up
# error: kpi kpi-1: direction: Input should be 'increase' or 'decrease'
""",
        "Use one of the words the message lists.",
        locked=True,
    ),
    _c(
        "LCR210",
        "out-of-range",
        "error",
        "A number or text outside its allowed range (a negative day count, a threshold above 1, an id over 80 characters).",
        "Settings outside their range make every status meaningless.",
        """
due_soon_days: -5
# error: due_soon_days: Input should be greater than or equal to 0
""",
        "Use a value in the range the message gives.",
        locked=True,
    ),
    _c(
        "LCR211",
        "contradictory-fields",
        "error",
        "Fields of one item contradict each other: a range whose low is above its high, a paused goal with no reason, `method: cagr` without a positive baseline.",
        _FIELD_WHY,
        """
target: {low: 10, high: 5}
# error: kpi kpi-1: target: low 10 is above high 5
""",
        "Make the fields agree, as the message says.",
        locked=True,
    ),
    _c(
        "LCR212",
        "invalid-form",
        "error",
        "A value not in the form its field takes (source `lines` as 170 or 170-175, a GitHub handle).",
        "A citation the tests cannot check is not a citation.",
        """
source: {document: doc, lines: p. 4}
# error: goal goal-1: source.lines: 'p. 4' is not in the expected form
""",
        "Write it in the form the hint gives.",
        locked=True,
    ),
    # --- 3xx: references ------------------------------------------------------------------------
    _c(
        "LCR301",
        "unknown-owner",
        "error",
        "An `owner` or `delivered_by` names no board, group or person.",
        _REF_WHY,
        """
owner: mb-exports
# error: kpi mb-exp-1: unknown owner 'mb-exports' (did you mean 'mb-export'?)
""",
        "Use an id from bodies.yaml or a board file; the hint names the nearest.",
        locked=True,
    ),
    _c(
        "LCR302",
        "unknown-document",
        "error",
        "A `source.document` names no document listed under `sources:`.",
        _REF_WHY,
        "source: {document: ci-strategy-2052}\n# error: goal ci-inv-1: unknown document 'ci-strategy-2052'",
        "Use an id from sources.yaml, or add the document there.",
        locked=True,
    ),
    _c(
        "LCR303",
        "unknown-goal",
        "error",
        "A goal's `parent` names no goal.",
        _REF_WHY,
        "parent: lis-act-33\n# error: goal lis-act-3a: unknown goal 'lis-act-33'",
        "Use the id of the goal this one belongs to.",
        locked=True,
    ),
    _c(
        "LCR304",
        "unknown-plan",
        "error",
        "A theme's `plan` (or a configuration rule's `plan`) names no plan.",
        _REF_WHY,
        "plan: ci-stratgy\n# error: theme ci-investment: unknown plan 'ci-stratgy'",
        "Use the id of a plan file's `plan:`.",
        locked=True,
    ),
    _c(
        "LCR305",
        "unknown-board",
        "error",
        "A plan's or group's `board` (or a board's `parent`) names no board.",
        _REF_WHY,
        "board: music-bord\n# error: group mb-export: unknown board 'music-bord'",
        "Use a board's id.",
        locked=True,
    ),
    _c(
        "LCR306",
        "unknown-group",
        "error",
        "A theme's `group` names no group.",
        _REF_WHY,
        "group: gpr\n# error: theme theme: unknown group 'gpr' (did you mean 'grp'?)",
        "Use a group's id.",
        locked=True,
    ),
    _c(
        "LCR307",
        "unknown-person",
        "error",
        "A board's or group's `chairs`, or an owner's update's `by`, names no person.",
        _REF_WHY,
        "chairs: [jennifer-johnstone]\n# error: group mb-export: unknown person 'jennifer-johnstone'",
        "Use a person's id from `people:`.",
        locked=True,
    ),
    _c(
        "LCR308",
        "unknown-kpi",
        "error",
        "A goal's `uses:` names a KPI that no goal defines.",
        _REF_WHY,
        "uses:\n  - kpi: lis-econ-rd-targett\n# error: goal lis-fdn-ideas-kp-4: unknown kpi 'lis-econ-rd-targett'",
        "Use the id of a KPI defined under another goal (the hint names the nearest).",
        locked=True,
    ),
    # --- 4xx: consistency -----------------------------------------------------------------------
    _c(
        "LCR401",
        "duplicate-id",
        "error",
        "An id is used twice in the data set (in one file or two).",
        "Measurements, reports and pull requests refer to items by id; two items with one id cannot be told apart.",
        "id: kpi-1   # in a second file\n# error: kpi kpi-1: duplicate id, first used at data/other.yaml:13:13",
        "Choose another id for one of them (ids never change once used: rename the newer one).",
        locked=True,
    ),
    _c(
        "LCR402",
        "ends-before-start",
        "error",
        "A plan ends, or a goal or KPI is due, before it starts.",
        "Pace is measured from start to due; backwards dates make every status wrong.",
        "start: 2028-01-01\ndue: 2027-12-31\n# error: goal goal-1: due 2027-12-31 is before start 2028-01-01",
        "Check the years of start and due.",
        locked=True,
    ),
    _c(
        "LCR403",
        "measured-in-future",
        "error",
        "A measurement or a milestone's `done` is dated after today (or after `--as-of`).",
        "Measurements record what has happened; a future date is usually a mistyped year.",
        "- {date: 2062-01-31, value: 10}\n# error: kpi kpi-1: measurement dated 2062-01-31, after today (2026-11-30)",
        "Correct the date.",
        locked=True,
    ),
    _c(
        "LCR404",
        "measurements-out-of-order",
        "warning",
        "A measurement is dated before the one above it.",
        "Files are read by people too: in date order the latest figure is always the last one.",
        "- {date: 2026-06-30, value: 20}\n- {date: 2026-03-31, value: 10}\n# warning: kpi kpi-1: measurement dated 2026-03-31 comes after one dated 2026-06-30",
        "Keep measurements in date order (`lcrplan record` does).",
    ),
    _c(
        "LCR405",
        "baseline-after-measurement",
        "error",
        "A numeric KPI's baseline is dated after one of its measurements.",
        "The baseline is where progress starts; pace cannot be measured back in time.",
        "baseline: {value: 0, date: 2026-06-30}\n# error: kpi kpi-1: baseline dated 2026-06-30 is after a measurement dated 2026-01-31",
        "Date the baseline on or before the first measurement.",
        locked=True,
    ),
    _c(
        "LCR406",
        "measurement-without-value",
        "error",
        "A measurement of a numeric or indicator KPI has no `value`.",
        "Progress and trends are computed from values; the wording alone cannot be.",
        "- {date: 2026-01-31, text: about a thousand}\n# error: kpi kpi-1: measurement on 2026-01-31 has no value",
        "Add `value:` with a plain number; keep the wording in `text:`.",
        locked=True,
    ),
    _c(
        "LCR407",
        "dated-after-source",
        "warning",
        "A measurement, baseline or completion is dated after the date of the document it cites as its source.",
        "A document cannot state a figure for a day after it was written; usually the year is mistyped or the wrong document is cited.",
        """
measurements:
  - {date: 2026-05-31, value: 12, source: {document: music-board-subgroups-2026}}
# warning: kpi mb-ai-1: measurement dated 2026-05-31 is after its source
#   'music-board-subgroups-2026' (dated 2026-02-12)
""",
        "Correct the date, or cite the document that states the figure.",
    ),
    _c(
        "LCR408",
        "update-in-future",
        "error",
        "An owner's update is dated after today (or after `--as-of`).",
        "An update reports what has happened; a future date is usually a mistyped year.",
        "updates:\n  - {period: 2026-27 Q3, date: 2062-11-30, by: ann-chair, rag: green, summary: ...}\n# error: kpi kpi-1: update dated 2062-11-30, after today (2026-11-30)",
        "Correct the date (`lcrplan update` dates it today).",
        locked=True,
    ),
    _c(
        "LCR409",
        "duplicate-update-period",
        "error",
        "A goal or KPI has two owner's updates for the same period.",
        "The report shows one update per period beside the data; two leave the board guessing which one stands.",
        "updates:\n  - {period: 2026-11, ...}\n  - {period: 2026-11, ...}\n# error: kpi kpi-1: a second update for 2026-11 (the first is update 1)",
        "Keep one: change the first with `lcrplan update ID --period ... --replace` and remove the other.",
        locked=True,
    ),
    _c(
        "LCR410",
        "interim-target-outside-span",
        "error",
        "An interim target is dated on or after the KPI's due date, or on or before its baseline or start.",
        "Interim targets are steps on the way from the baseline to the end target; pace is judged along them.",
        "interim_targets:\n  - {date: 2031-03-31, value: 50}   # due 2030-12-31\n# error: kpi kpi-1: interim target dated 2031-03-31, not before the due date 2030-12-31",
        "Date it between the start and the due date; the end target itself is `target` and `due`.",
        locked=True,
    ),
    _c(
        "LCR411",
        "duplicate-interim-target",
        "error",
        "Two interim targets of one KPI share a date.",
        "A KPI cannot have two targets for one day: the trajectory would be undefined there.",
        "interim_targets:\n  - {date: 2027-03-31, value: 40}\n  - {date: 2027-03-31, value: 45}\n# error: kpi kpi-1: two interim targets dated 2027-03-31",
        "Keep one per date.",
        locked=True,
    ),
    _c(
        "LCR412",
        "interim-targets-out-of-order",
        "warning",
        "An interim target is dated before the one above it.",
        "Files are read by people too: in date order the trajectory reads from top to bottom.",
        "interim_targets:\n  - {date: 2028-03-31, value: 60}\n  - {date: 2027-03-31, value: 40}\n# warning: kpi kpi-1: interim target dated 2027-03-31 comes after one dated 2028-03-31",
        "Keep interim targets in date order.",
    ),
    _c(
        "LCR413",
        "uses-own-kpi",
        "error",
        "A goal lists under `uses:` a KPI that is already under its own `kpis:`.",
        "A used KPI is counted once, with the goal that defines it; using its own KPI would make the goal count and judge it twice.",
        "kpis:\n  - id: kpi-1 ...\nuses:\n  - kpi: kpi-1\n# error: goal goal-1: uses its own KPI 'kpi-1'",
        "Remove it from `uses:`.",
        locked=True,
    ),
    _c(
        "LCR414",
        "kpi-used-twice",
        "error",
        "A goal lists one KPI twice under `uses:`.",
        "Each place a document states the measure is cited once; two entries make the goal judge one KPI twice.",
        "uses:\n  - kpi: kpi-1\n  - kpi: kpi-1\n# error: goal goal-2: KPI 'kpi-1' is listed twice under `uses:`",
        "Keep one entry; its source can cite more lines.",
        locked=True,
    ),
    _c(
        "LCR415",
        "parent-cycle",
        "error",
        "A goal's `parent` (or a board's) leads back to itself: a goal that is its own parent, or goals that name each other.",
        "A parent is what an item belongs to, and a circle has no top: the item would be counted under itself, and a goal's sub-goals would seem to measure it when nothing does.",
        "- id: goal-1\n  parent: goal-2\n- id: goal-2\n  parent: goal-1\n# error: goal goal-1: its parents lead back to it: goal-1 -> goal-2 -> goal-1",
        "Name the goal (or board) each one belongs to, or remove `parent`.",
        locked=True,
    ),
    _c(
        "LCR416",
        "revision-without-original",
        "error",
        "A measurement marked `revised` has no earlier entry on its date to revise.",
        "A revision replaces a figure already recorded for that day; with none above it, either the date is mistyped or it is a new reading, not a revision.",
        "measurements:\n  - {date: 2026-09-30, value: 260, written: 2026-12-02, revised: audited}\n# error: kpi kpi-1: measurement on 2026-09-30 revises nothing: no earlier entry on that date",
        "Give the date of the figure it revises, or remove `revised:` and `written:` to record a new reading.",
    ),
    _c(
        "LCR417",
        "two-figures-one-date",
        "warning",
        "Two measurements of one KPI on one date give different values, and the later is not marked as a revision.",
        "Statuses use the last figure for each date; unmarked, a reader cannot tell a correction from a typo, and the report cannot list it as a revision.",
        "measurements:\n  - {date: 2026-09-30, value: 240}\n  - {date: 2026-09-30, value: 260}\n# warning: kpi kpi-1: two figures on 2026-09-30 (240, then 260), the later not marked as a revision",
        "Mark the later one `revised:` with the reason and `written:` with the day (`lcrplan record ID VALUE --date D --revise REASON`), or remove the wrong one.",
    ),
    # --- 5xx: data quality ----------------------------------------------------------------------
    _c(
        "LCR501",
        "goal-without-kpi",
        "warning",
        "A live goal has no KPI, no sub-goal and is not a vision statement, so nothing measures it.",
        "A goal that nothing measures can only ever show 'no data' or 'overdue'. A goal whose sub-goals (goals naming it as `parent`) carry the measures, and a vision, are measured through those and give no warning.",
        """
- id: mb-export-1
  title: Grow music exports
  source: {...}
# warning: goal mb-export-1: has no KPI
""",
        "Add a KPI when the document or the board names one; where the document names none, suppress with a reason (in the goal's `ignore:` or, for a whole plan, in lcrplan.yaml).",
    ),
    _c(
        "LCR502",
        "goal-without-due-date",
        "warning",
        "A live goal has no due date, none of its KPIs has one, and its plan has no end to fall back on.",
        "An item with no date can never be overdue or due soon, so it never asks for attention.",
        """
plan: {id: mb-priorities-2026, start: 2026-02-12}   # no end
...
- id: mb-export-1
  title: Grow music exports
# warning: goal mb-export-1: has no due date
""",
        "Add `due:` (with the document's wording in `text:`), or give the plan an `end:`; where the document gives no date, suppress with a reason.",
    ),
    _c(
        "LCR503",
        "goal-without-owner",
        "warning",
        "A live goal has no owner: none of its own, its theme's, its group's or its plan's board.",
        "Nobody can be asked about it, and it is missing from every owner's list.",
        "- id: goal-1\n  title: A goal   # in a theme with no owner or group, in a plan with no board\n# warning: goal goal-1: has no owner",
        "Add `owner:` with a board, group or person id.",
    ),
    _c(
        "LCR504",
        "indicator-without-target",
        "off",
        "An indicator KPI has a direction but no numeric target.",
        "An indicator is how a document states an outcome it measures but sets no number for ('measured by ...'): that is its meaning, so this is off by default. Turn it on to list the indicators still waiting for an agreed target.",
        "kind: indicator\ndirection: increase\n# warning (when on): kpi lis-gva-per-head: has no target",
        "When a target is agreed, add a numeric KPI beside the indicator.",
    ),
    _c(
        "LCR505",
        "baseline-meets-target",
        "warning",
        "A numeric KPI's baseline (the one given, or the implied 0 at the plan's start) already meets its target.",
        "Progress is measured from the baseline: a 'decrease to 0' with no baseline starts at 0, so it reads as met before anything is measured, and its progress bar shows 100%.",
        """
target: 0
direction: decrease
# (no baseline)
# warning: kpi lis-net-zero: the implied baseline 0 already meets the target 0
""",
        "Give a `baseline:` with the value the document (or the first figure recorded) starts from.",
    ),
    _c(
        "LCR506",
        "same-measure-twice",
        "warning",
        "Two KPIs look like one measure tracked twice: the same unit, target and due date, or (under two goals) the same quoted words or the same kind, title and unit.",
        "A figure recorded on one leaves the other 'not reported', and every count holds the measure twice.",
        "# two goals, each with a KPI 'R&D as % of GDP', target 2.4 by 2030\n# warning: kpi lis-fdn-ideas-kpi-rd-gdp: may track the same measure as 'lis-econ-rd-target' (same unit, target and due date: 2.4 % of GDP by 2030-12-31)",
        "If it is one measure, define it once and list it under `uses:` of the other goal (data/README.md, Shared measures); if not, make the titles say how they differ.",
    ),
    _c(
        "LCR507",
        "same-figure-twice",
        "warning",
        "Two KPIs with similar titles hold the same figure: a reading of the same value on the same date, in units of one family (£32bn and 32,000,000,000 GBP are one figure; 16% of active businesses and 16% of all businesses are too).",
        "One figure quoted in two places of a document, written down as two KPIs, is one measure held twice: a new reading recorded on one leaves the other behind, and every count holds the measure twice. LCR506 compares what KPIs aim at; this compares what they have read, so it also finds indicators, which have no target.",
        """
# economy.yaml: lis-econ-startup-rate, "Business start-up rate", 16 "% of active businesses" on 2020-03-01
# business.yaml, under another goal:
- id: start-up-rate
  kind: indicator
  title: Business start-up rate
  unit: "% of all businesses"
  measurements:
    - {date: 2020-03-01, value: 16}
# warning: kpi start-up-rate: holds the same figure as 'lis-econ-startup-rate' (16 % of active
#   businesses on 2020-03-01), under a similar title
""",
        "If it is one measure, keep the KPI where the document first states it and list it under `uses:` of the other goal, with the lines that goal cites (data/README.md, Shared measures); a second wording of the figure can be a second reading of that KPI. If they are two measures, make the titles say how they differ.",
    ),
    # --- 6xx: configuration and suppressions ----------------------------------------------------
    _c(
        "LCR601",
        "unknown-code",
        "error",
        "A configuration rule or an `ignore:` names a code that does not exist.",
        "A rule for a code that does not exist silences nothing and hides the mistake.",
        """
checks:
  - {code: LCR5O1, severity: off, reason: ...}
# error: unknown code 'LCR5O1' (did you mean 'LCR501'?)
""",
        "Use a code or name from `lcrplan explain --all`.",
        locked=True,
    ),
    _c(
        "LCR602",
        "suppression-without-reason",
        "error",
        "A configuration rule or an `ignore:` gives no reason.",
        "A suppression is the record of 'we know, and here is why'; without the why it is just a hidden problem.",
        "ignore:\n  - {code: LCR501}\n# error: goal goal-1: ignore LCR501 (goal-without-kpi) gives no reason",
        "Add `reason:`: one sentence a reader of the report can check against the document.",
        locked=True,
    ),
    _c(
        "LCR603",
        "suppression-expired",
        "error",
        "A configuration rule or an `ignore:` is past its `until` date.",
        "A temporary exception must not become permanent silently: when it expires the problem it hid is shown again, with this error beside it.",
        "ignore:\n  - {code: LCR505, reason: ..., until: 2026-10-31}\n# error: goal goal-1: ignore LCR505 expired on 2026-10-31",
        "Fix what it hid, or, if the reason still holds, give a new `until` and say so in the reason.",
        locked=True,
    ),
    _c(
        "LCR604",
        "locked-code",
        "error",
        "A configuration rule or an `ignore:` tries to change or silence a locked code.",
        "Locked codes are errors that leave data the tracker cannot use.",
        "checks:\n  - {code: LCR101, severity: off, reason: ...}\n# error: LCR101 (invalid-yaml) cannot be configured: it is an error that leaves data unusable",
        "Fix the problem instead.",
        locked=True,
    ),
    _c(
        "LCR605",
        "unused-suppression",
        "warning",
        "A configuration rule or an `ignore:` matches no problem.",
        "The gap it explained has been fixed, or the rule names the wrong plan or path: either way the record is out of date.",
        "ignore:\n  - {code: LCR501, reason: ...}   # on a goal that now has a KPI\n# warning: goal goal-1: ignore LCR501 suppresses nothing",
        "Remove it.",
    ),
    # --- 7xx: templates and edits ---------------------------------------------------------------
    _c(
        "LCR701",
        "template-error",
        "error",
        "A report template has a syntax error, or fails while rendering (an unknown name).",
        "The report cannot be written.",
        "{{ report.titel }}\n# error: templates/monthly.md.j2:3: undefined: 'Report' has no attribute 'titel'",
        "Fix the template; the names it can use are listed at the top of templates/monthly.md.j2.",
        locked=True,
    ),
    _c(
        "LCR702",
        "template-limit",
        "error",
        "A template goes past a rendering limit (range of 10,000, 10,000,000 characters, 100 calls deep, 30 seconds).",
        "Templates can come with a pull request; the limits keep one from exhausting CI.",
        "{% for i in range(100000) %}\n# error: template limit: range() of more than 10,000 items",
        "Make the template do less.",
        locked=True,
    ),
    _c(
        "LCR703",
        "template-not-found",
        "error",
        "A template, or the `templates:` folder, cannot be found, or lies outside the data repository.",
        "Templates are read only from their folders, so a pull request cannot make lcrplan read any other file.",
        "templates: ../elsewhere\n# error: templates folder '../elsewhere' is outside the data repository",
        "Name a folder inside the data repository, or a template that is in it.",
        locked=True,
    ),
    _c(
        "LCR711",
        "edit-refused",
        "error",
        "`record`, `done` or `set-state` cannot make the change asked for (a measurement already on that date, a milestone measured, a KPI given a state).",
        "Edits change only what they must, and never overwrite a fact without being told to.",
        "lcrplan record ci-inv-3-people 240 --date 2026-03-31   # twice\n# error: 'ci-inv-3-people' already has a measurement on 2026-03-31",
        "Follow the hint (often `--replace`).",
        locked=True,
    ),
    _c(
        "LCR712",
        "cannot-write",
        "error",
        "A file cannot be written: the disk is full, the folder is read-only, another lcrplan holds its lock, another program holds the file open (Windows: an editor, Excel, OneDrive, a virus scan), or the path is a link.",
        "Nothing is written half-way: the file is left as it was. An import stopped after its journal was written is finished by the next `lcrplan import`.",
        "lcrplan report --output /read-only/report.md\n# error: cannot write the report: Permission denied",
        "Free disk space, fix the folder's permissions, close the file where it is open, or wait for the other command; then run the command again.",
        locked=True,
    ),
    _c(
        "LCR713",
        "bad-return-form",
        "error",
        "A returned form given to `lcrplan import` cannot be read as a return: not a regular file (a link, a device, a pipe), not CSV or XLSX, no `id` column, a column given twice, a damaged or crafted XLSX (a cell its type does not allow, rows out of order, a wrong size in the zip), or larger than the limits (bytes, rows, 64 columns).",
        "A return is data typed by a person: it is read as values, never run, and all of it or none of it is imported.",
        "lcrplan import returns/mb-export.xlsx   # first row: Item, Value, Date\n# error: returns/mb-export.xlsx:1:1: no 'id' column",
        "Use the form `lcrplan requests --forms DIR` wrote, or give the file an `id` column; type values, not formulas.",
        locked=True,
    ),
    _c(
        "LCR714",
        "return-row-refused",
        "error",
        "A row of a returned form asks for something `record`, `done` or `update` would refuse: an unknown id, text in a number column, a unit that does not match, a date in the future, a second reading on one date, a milestone done twice.",
        "An import is all or nothing: one bad row stops every file from changing, so a month's return is never half recorded.",
        "id,value,date\nci-inv-3-peple,240,2026-03-31\n# error: returns/ci-board.csv:2:1: no goal or KPI with id 'ci-inv-3-peple' (did you mean 'ci-inv-3-people'?)",
        "Correct the cell named by row and column, then import the file again.",
        locked=True,
    ),
    _c(
        "LCR715",
        "interrupted-import",
        "error",
        "An import stopped part-way (the machine or the process died) and a data file has changed since, so it cannot be finished safely.",
        "The journal holds what the interrupted import meant to write; finishing it over someone's later edit would lose that edit.",
        "lcrplan import returns/*.csv\n# error: data/lis/economy.yaml: changed since the interrupted import",
        "Check the data files (`git diff`), then delete the journal named in the message to give up the interrupted import.",
        locked=True,
    ),
    _c(
        "LCR716",
        "unfinished-import",
        "error",
        "An import stopped part-way (the machine or the process died): some of the data files it was changing may hold the new text and others the old.",
        "A return is recorded all or nothing; until the import is finished the data files disagree with each other, and committing them would record half a return.",
        "lcrplan validate   # after an import was killed\n# error: data/lis/economy.yaml: an import into this file was interrupted and is unfinished",
        "Run `lcrplan import` again with the same returns: it finishes the interrupted import first, and rows already recorded change nothing.",
        locked=True,
    ),
)

BY_CODE: dict[str, Code] = {c.code: c for c in ALL}
BY_NAME: dict[str, Code] = {c.name: c for c in ALL}


def lookup(word: str) -> Code | None:
    """The code named by `word`: a code (`LCR501`, any case) or a name (`goal-without-kpi`)."""
    return BY_CODE.get(word.strip().upper()) or BY_NAME.get(word.strip().lower())


def severity_of(code: str) -> Severity:
    """The default severity of a code that is reported by default."""
    level = BY_CODE[code].level
    assert level != "off", f"{code} is off by default"
    return level


def describe(code: str) -> str:
    """`LCR501 (goal-without-kpi)`: how messages name a code."""
    return f"{code} ({BY_CODE[code].name})"


def page(code: Code) -> str:
    """One code's page as plain text (`lcrplan explain CODE`)."""
    default = "off (turn it on in lcrplan.yaml)" if code.level == "off" else code.level
    locked = "; cannot be configured or suppressed" if code.locked else ""
    example = "\n".join("    " + line for line in code.example.splitlines())
    return (
        f"{code.code} {code.name} ({code.category.lower()}; default: {default}{locked})\n\n"
        f"{code.summary}\n\nWhy it matters: {code.why}\n\nExample:\n{example}\n\n"
        f"Fix: {code.fix}\n"
    )


def handbook() -> str:
    """Every code's page as one Markdown document (docs/codes.md)."""
    out = [
        "# Problem codes\n",
        "Every problem `lcrplan validate` reports ends with its code, e.g. `[LCR501]`. "
        "This page is made from `lcrplan/codes.py` by `make docs` (`lcrplan explain --all "
        "--format markdown`); `lcrplan explain CODE` prints one entry. How to change a "
        "code's severity or suppress a problem with a reason: "
        "[data/README.md](../data/README.md#problems-severities-and-suppressions).\n",
        "*Locked* codes are errors that leave data the tracker cannot use: they cannot be "
        "configured or suppressed.\n",
        "| code | name | default | summary |",
        "|---|---|---|---|",
    ]
    for code in ALL:
        lock = " (locked)" if code.locked else ""
        out.append(
            f"| [{code.code}](#{code.code.lower()}) | {code.name} | {code.level}{lock} "
            f"| {code.summary.replace('|', '/')} |"
        )
    category = ""
    for code in ALL:
        if code.category != category:
            category = code.category
            out.append(f"\n## {category}\n")
        lock = "; locked" if code.locked else ""
        out.append(
            f"### {code.code}\n\n`{code.name}`, default **{code.level}**{lock}.\n\n"
            f"{code.summary}\n\n**Why it matters.** {code.why}\n\n"
            f"**Example.**\n\n```yaml\n{code.example}\n```\n\n**Fix.** {code.fix}\n"
        )
    return "\n".join(out) + "\n"
