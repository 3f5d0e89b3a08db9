"""The table of bad inputs (`BAD`): each case a data tree with one mistake and the exact
problems a chair reads for it. `test_bad_inputs` checks each message, `test_diagnostics` the
codes, context and SARIF of the same cases."""

from __future__ import annotations

import pytest

from ..conftest import theme_file

# Line numbers in the expected messages refer to this file, as written by `theme_file`:
#  8  - id: goal-1          13  - id: kpi-1          16  target: 100        19  source: ...
#  9    title: A goal       14    kind: numeric      17  unit: "people"     20  measurements:
# 10    due: 2027-12-31     15    title: People ...  18  baseline: {...}    21  - {date: ...}
THEME = theme_file(
    """
    - id: goal-1
      title: A goal
      due: 2027-12-31
      source: {document: doc}
      kpis:
        - id: kpi-1
          kind: numeric
          title: People reached
          target: 100
          unit: "people"
          baseline: {value: 0, date: 2025-01-01}
          source: {document: doc}
          measurements:
            - {date: 2026-01-31, value: 10}
    """
)


PLAN = (
    "plan:\n  id: plan\n  title: The Plan\n  board: board\n  start: 2020-01-01\n"
    "  end: 2028-12-31\n  source: {document: doc}\n"
)
REVIEW = (
    '  review:\n    text: "The Action Plan will be regularly reviewed"\n'
    '    source: {document: doc, lines: "3"}\n'
)


def edit(old: str, new: str, text: str = THEME) -> str:
    """`text` with its one occurrence of `old` replaced (the test fails if `old` is missing)."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def problems_in(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": error: " in line or ": warning: " in line]


def case(id_: str, files: dict[str, str | bytes], *expected: str):
    return pytest.param(files, list(expected), id=id_)


YAML_HINT_COLON = (
    "a ':' inside a value needs the whole value in quotes, or the line is mis-indented"
)
INDENT_HINT = "check this line's indentation against the lines above"
TAB_HINT = "YAML indents with spaces, not tabs: replace the tab with spaces"
NUMBER_HINT = "write a plain number such as 1000 or 6750000, with no commas or units"
DATE_HINT = "write dates as YYYY-MM-DD, e.g. 2026-11-30"
EMPTY_HINT = "add content as data/README.md describes, or delete the file"
FINITE = "must be a finite number, not .nan or .inf (see data/README.md)"

BAD = [
    # --- YAML syntax ---------------------------------------------------------------------------
    case(
        "unclosed-quote-mid-file",
        {"theme.yaml": edit("title: People reached", 'title: "People reached')},
        "data/theme.yaml:15:16: error: invalid YAML: unclosed quote (the quoted text that opens "
        "here runs on to line 17: add its closing quote) [LCR101]",
    ),
    case(
        "unclosed-quote-at-end",
        {"theme.yaml": THEME + '  - id: goal-2\n    title: "Unfinished\n'},
        "data/theme.yaml:23:12: error: invalid YAML: unclosed quote (the quote that opens here "
        "is never closed) [LCR101]",
    ),
    case(
        "unclosed-bracket",
        {
            "theme.yaml": edit(
                "source: {document: doc}\n    kpis", "source: {document: doc\n    kpis"
            )
        },
        "data/theme.yaml:11:13: error: invalid YAML: '{' is not closed (close it with '}', or "
        "put ',' between its items; the parser stopped at line 12, column 9) [LCR101]",
    ),
    case(
        "bad-indentation",
        {"theme.yaml": edit("        target: 100", "       target: 100")},
        "data/theme.yaml:16:8: error: invalid YAML: did not find expected '-' indicator (check "
        "this line's indentation against the lines above) [LCR101]",
    ),
    case(
        "bad-indentation-deeper",
        {"theme.yaml": edit("        target: 100", "          target: 100")},
        "data/theme.yaml:16:17: error: invalid YAML: mapping values are not allowed in this "
        "context (a ':' inside a value needs the whole value in quotes, or the line is "
        "mis-indented) [LCR101]",
    ),
    case(
        "tab-indentation",
        {"theme.yaml": edit("        target: 100", "\ttarget: 100")},
        "data/theme.yaml:16:1: error: invalid YAML: a tab character in the indentation (YAML "
        "indents with spaces, not tabs: replace the tab with spaces) [LCR101]",
    ),
    case(
        "stray-colon",
        {"theme.yaml": edit("title: People reached", "title: People reached: adults")},
        "data/theme.yaml:15:30: error: invalid YAML: mapping values are not allowed in this "
        "context (a ':' inside a value needs the whole value in quotes, or the line is "
        "mis-indented) [LCR101]",
    ),
    case(
        "reserved-character",
        {"theme.yaml": edit("title: People reached", "title: @people")},
        "data/theme.yaml:15:16: error: invalid YAML: a value cannot start with '@' (put the "
        "whole value in quotes) [LCR101]",
    ),
    case(
        "key-without-colon",
        {"theme.yaml": edit("        target: 100", "        target")},
        "data/theme.yaml:16:9: error: invalid YAML: could not find expected ':' (a key needs ':' "
        "after it, or a line above is mis-indented) [LCR101]",
    ),
    case(
        "text-after-a-quoted-value",
        {"theme.yaml": edit('unit: "people"', 'unit: "people" reached')},
        "data/theme.yaml:17:24: error: invalid YAML: did not find expected key (text follows a "
        "finished value on this line: quote the whole value, or remove it) [LCR101]",
    ),
    case(
        "second-document",
        {"theme.yaml": THEME + "---\nx: 1\n"},
        "data/theme.yaml:22:1: error: invalid YAML: a second document starts here (a data file "
        "holds one document: remove the '---' line and what follows it) [LCR101]",
    ),
    case(
        "control-character",
        {"theme.yaml": edit("A goal", "A\x07goal")},
        "data/theme.yaml:9:13: error: invalid YAML: character U+0007 is not allowed (delete it: "
        "data files hold text only; was binary data pasted in?) [LCR101]",
    ),
    case(
        "duplicate-key",
        {"theme.yaml": edit("        target: 100\n", "        target: 100\n        target: 120\n")},
        "data/theme.yaml:17:9: error: duplicate key 'target', first defined at line 16 (keep one "
        "of them) [LCR102]",
    ),
    case(
        "alias",
        {
            "theme.yaml": edit(
                "source: {document: doc}\n        measurements",
                "source: *src\n        measurements",
                edit("source: {document: doc}\n    kpis", "source: &src {document: doc}\n    kpis"),
            )
        },
        "data/theme.yaml:19:17: error: aliases (*name) are not allowed (write the value out in "
        "full) [LCR103]",
    ),
    # --- schema ----------------------------------------------------------------------------------
    case(
        "unknown-field",
        {"theme.yaml": edit("    due: 2027", "    desription: x\n    due: 2027")},
        "data/theme.yaml:10:5: error: goal goal-1: unknown field 'desription' (did you mean "
        "'description'?) [LCR201]",
    ),
    case(
        "unknown-field-of-required",
        {"theme.yaml": edit("target: 100", "traget: 100")},
        "data/theme.yaml:16:9: error: kpi kpi-1: unknown field 'traget' (did you mean 'target'?) "
        "[LCR201]",
    ),
    case(
        "key-with-a-newline-stays-on-one-line",
        {"theme.yaml": edit("    due: 2027", '    "de\\nscription": x\n    due: 2027')},
        "data/theme.yaml:10:5: error: goal goal-1: unknown field 'de\\nscription' (did you mean "
        "'description'?) [LCR201]",
    ),
    case(
        "wrong-type",
        {"theme.yaml": edit("    title: A goal\n", "    title: A goal\n    aliases: {a: b}\n")},
        "data/theme.yaml:10:14: error: goal goal-1: aliases: Input should be a valid list (write "
        "a list: one '- item' per line, or [a, b]) [LCR203]",
    ),
    case(
        "empty-value",
        {"theme.yaml": edit("title: People reached", "title:")},
        "data/theme.yaml:15:15: error: kpi kpi-1: title: no value given (write a value after the "
        "':') [LCR203]",
    ),
    case(
        "unknown-kpi-kind",
        {"theme.yaml": edit("kind: numeric", "kind: numerc")},
        "data/theme.yaml:14:15: error: kpi kpi-1: unknown kind 'numerc' (did you mean "
        "'numeric'?) [LCR206]",
    ),
    case(
        "reference-that-is-not-an-id",
        {
            "theme.yaml": edit(
                "source: {document: doc}\n    kpis", "source: {document: Doc 1}\n    kpis"
            )
        },
        "data/theme.yaml:11:24: error: goal goal-1: source.document: 'Doc 1' is not a valid id "
        "(use lowercase letters, digits and single hyphens, e.g. ci-inv-1) [LCR207]",
    ),
    case(
        "source-lines-not-a-range",
        {
            "theme.yaml": edit(
                "source: {document: doc}\n    kpis",
                "source: {document: doc, lines: p. 4}\n    kpis",
            )
        },
        "data/theme.yaml:11:36: error: goal goal-1: source.lines: 'p. 4' is not in the expected "
        'form (write a line or a range of lines of the text copy, e.g. "170" or "170-175") '
        "[LCR212]",
    ),
    case(
        "measurement-without-value",
        {"theme.yaml": edit("{date: 2026-01-31, value: 10}", "{date: 2026-01-31}")},
        "data/theme.yaml:21:13: error: kpi kpi-1: measurement on 2026-01-31 has no value (a "
        "numeric KPI needs 'value:' with a number) [LCR406]",
    ),
    case(
        "impossible-date",
        {"theme.yaml": edit("due: 2027-12-31", "due: 2026-13-45")},
        "data/theme.yaml:10:10: error: goal goal-1: due: 2026-13-45 is not a date: there is no "
        "month 13 (months run from 01 to 12) [LCR204]",
    ),
    case(
        "number-given-text",
        {"theme.yaml": edit("target: 100", "target: 1,000")},
        "data/theme.yaml:16:17: error: kpi kpi-1: target: '1,000' is not a plain number (write a "
        "plain number such as 1000 or 6750000, with no commas or units; a percentage is its "
        'number of percent: 40 for 40%, with unit: "%") [LCR205]',
    ),
    case(
        "percentage-with-its-sign",
        {"theme.yaml": edit("target: 100", "target: 40%")},
        "data/theme.yaml:16:17: error: kpi kpi-1: target: '40%' is not a plain number (write a "
        "plain number such as 1000 or 6750000, with no commas or units; a percentage is its "
        'number of percent: 40 for 40%, with unit: "%") [LCR205]',
    ),
    case(
        "number-too-long-for-python",
        {"theme.yaml": edit("target: 100", "target: " + "9" * 5000)},
        "data/theme.yaml:16:17: error: kpi kpi-1: target: '" + "9" * 40 + "… (5,000 characters)' "
        "is not a plain number (write a plain number such as 1000 or 6750000, with no commas or "
        'units; a percentage is its number of percent: 40 for 40%, with unit: "%") [LCR205]',
    ),
    case(
        "nan",
        {"theme.yaml": edit("target: 100", "target: .nan")},
        "data/theme.yaml:16:17: error: kpi kpi-1: target: must be a finite number, not .nan or "
        ".inf (see data/README.md) [LCR205]",
    ),
    case(
        "inf",
        {"theme.yaml": edit("value: 10}", "value: .inf}")},
        "data/theme.yaml:21:39: error: kpi kpi-1: measurements[0].value: must be a finite "
        "number, not .nan or .inf (see data/README.md) [LCR205]",
    ),
    case(
        "negative-day-count",
        {"lcrplan.yaml": "due_soon_days: -5\n"},
        "data/lcrplan.yaml:1:16: error: due_soon_days: Input should be greater than or equal to "
        "0 (see data/README.md) [LCR210]",
    ),
    case(
        "threshold-out-of-range",
        {"lcrplan.yaml": "thresholds: {on_track: 1.5, at_risk: -0.1}\n"},
        "data/lcrplan.yaml:1:24: error: thresholds.on_track: Input should be less than or equal "
        "to 1 (see data/README.md) [LCR210]",
        "data/lcrplan.yaml:1:38: error: thresholds.at_risk: Input should be greater than or "
        "equal to 0 (see data/README.md) [LCR210]",
    ),
    case(
        "threshold-nan",
        {"lcrplan.yaml": "thresholds: {on_track: .nan}\n"},
        "data/lcrplan.yaml:1:24: error: thresholds.on_track: Input should be less than or equal "
        "to 1 (see data/README.md) [LCR210]",
    ),
    case(
        "thresholds-crossed",
        {"lcrplan.yaml": "thresholds: {on_track: 0.5, at_risk: 0.7}\n"},
        "data/lcrplan.yaml:1:13: error: thresholds: at_risk 0.7 is above on_track 0.5 (see "
        "data/README.md) [LCR211]",
    ),
    case(
        "negative-limit",
        {"lcrplan.yaml": "limits: {max_depth: -1}\n"},
        "data/lcrplan.yaml:1:21: error: limits.max_depth: Input should be greater than or equal "
        "to 1 (see data/README.md) [LCR210]",
    ),
    case(
        "range-low-above-high",
        {"theme.yaml": edit("target: 100", "target: {low: 10, high: 5}")},
        "data/theme.yaml:16:17: error: kpi kpi-1: target: low 10 is above high 5 (see "
        "data/README.md) [LCR211]",
    ),
    case(
        "plan-review-every-not-a-frequency",
        {"plan.yaml": PLAN + REVIEW.replace("}\n", "}\n    every: fortnightly\n")},
        "data/plan.yaml:11:12: error: plan plan: review.every: 'fortnightly' is not one of: "
        "monthly, quarterly, half_yearly, annual, biennial, once (use one of the allowed words) "
        "[LCR209]",
    ),
    case(
        "plan-review-without-its-source",
        {"plan.yaml": PLAN + REVIEW.replace('    source: {document: doc, lines: "3"}\n', "")},
        "data/plan.yaml:9:5: error: plan plan: review: missing required field 'source' (add "
        "'source:' to plan plan) [LCR202]",
    ),
    # --- the data set as a whole -------------------------------------------------------------
    case(
        "id-used-twice",
        {"other.yaml": edit("id: goal-1", "id: goal-2", edit("id: theme", "id: theme-2"))},
        "data/theme.yaml:13:13: error: kpi kpi-1: duplicate id, first used at "
        "data/other.yaml:13:13 (ids must be unique across the data set: choose another id) "
        "[LCR401]",
    ),
    case(
        "unknown-reference",
        {"theme.yaml": edit("group: grp", "group: gpr")},
        "data/theme.yaml:5:10: error: theme theme: unknown group 'gpr' (did you mean 'grp'?) "
        "[LCR306]",
    ),
    case(
        "due-before-start",
        {"theme.yaml": edit("    due: 2027-12-31", "    start: 2028-01-01\n    due: 2027-12-31")},
        "data/theme.yaml:11:10: error: goal goal-1: due 2027-12-31 is before start 2028-01-01 "
        "(check the years of start and due) [LCR402]",
    ),
    case(
        "baseline-after-measurement",
        {"theme.yaml": edit("date: 2025-01-01}", "date: 2026-06-30}")},
        "data/theme.yaml:18:36: error: kpi kpi-1: baseline dated 2026-06-30 is after a "
        "measurement dated 2026-01-31 (the baseline is where progress starts: date it on or "
        "before the first measurement) [LCR405]",
    ),
    case(
        "measurement-in-the-future",
        {"theme.yaml": edit("date: 2026-01-31", "date: 2999-01-31")},
        "data/theme.yaml:21:20: error: kpi kpi-1: measurement dated 2999-01-31, after today "
        "({today}) (is the year mistyped? measurements record what has happened) [LCR403]",
    ),
    # --- whole files -------------------------------------------------------------------------
    case(
        "empty-file",
        {"theme.yaml": ""},
        "data/theme.yaml:1:1: error: file is empty (add content as data/README.md describes, or "
        "delete the file) [LCR111]",
    ),
    case(
        "only-a-comment",
        {"theme.yaml": "# goals to come\n"},
        "data/theme.yaml:1:1: error: file holds only comments, no data (add content as "
        "data/README.md describes, or delete the file) [LCR111]",
    ),
    case(
        "truncated-file",
        {"theme.yaml": THEME[: THEME.index("unit:")]},
        "data/theme.yaml:13:9: error: kpi kpi-1: missing required field 'source' (add 'source:' "
        "to kpi kpi-1) [LCR202]",
        "data/theme.yaml:13:9: error: kpi kpi-1: missing required field 'unit' (add 'unit:' to "
        "kpi kpi-1) [LCR202]",
    ),
    case(
        "truncated-mid-quote",
        {"theme.yaml": THEME[: THEME.index('"people"') + 4]},
        "data/theme.yaml:17:15: error: invalid YAML: unclosed quote (the quote that opens here "
        "is never closed) [LCR101]",
    ),
    case(
        "top-level-list",
        {"theme.yaml": "- a\n- b\n"},
        "data/theme.yaml:1:1: error: expected a mapping of keys at the top, got a list (start "
        "the file with a key such as 'theme:' or 'boards:') [LCR112]",
    ),
    case(
        "not-utf8",
        {"theme.yaml": edit("A goal", "A caf\u00e9 goal").encode("latin-1")},
        "data/theme.yaml:9:17: error: file is not UTF-8 (byte 0xe9) (save the file with UTF-8 "
        "encoding) [LCR110]",
    ),
    case(
        "bom-and-crlf-keep-lines-right",
        {
            "theme.yaml": b"\xef\xbb\xbf"
            + edit("group: grp", "group: gpr").encode().replace(b"\n", b"\r\n")
        },
        "data/theme.yaml:5:10: error: theme theme: unknown group 'gpr' (did you mean 'grp'?) "
        "[LCR306]",
    ),
]
