"""`lcrplan report` end to end on the fixture data set in tests/fixtures/report.

Golden files in tests/golden/ are the reviewed output; `make golden` (LCRPLAN_UPDATE_GOLDEN=1)
rewrites them, and the diff is reviewed like any other change.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lcrplan.core.statuses import LOOKS

from .conftest import REPO, theme_file, write_tree
from .helpers.reports import FIXTURE, GOLDEN, MD, report


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the fixture data set at tmp_path/data (the cache is written there, not in git)."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "data"))


@pytest.mark.parametrize("month", ["2026-10", "2026-11"])
def test_goldenreport(run, data, month):
    text = report(run, data, "--month", month)
    golden = GOLDEN / f"monthly-{month}.md"
    if os.environ.get("LCRPLAN_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert golden.read_text(encoding="utf-8") == text, "run `make golden` and review the diff"


def _section(text: str, title: str) -> str:
    """The body of the `## title` or `### title` section, up to the next heading of its level."""
    found = re.search(rf"^(#+) {re.escape(title)}[^\n]*\n", text, re.M)
    assert found, f"no section {title!r}"
    level = len(found.group(1))
    end = re.compile(rf"^#{{1,{level}}} ", re.M).search(text, found.end())
    return text[found.end() : end.start() if end else len(text)]


def _rows(section: str) -> list[list[str]]:
    return [
        [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        for line in section.splitlines()
        if line.startswith("| ") and not line.startswith("|---")
    ][1:]


def test_november_facts(run, data):
    text = report(run, data, "--month", "2026-11")
    assert text.startswith("# Fixture Region plans: progress report, November 2026\n")
    changes = {r[0].split("`")[1]: (r[1], r[2]) for r in _rows(_section(text, "Status changes"))}
    assert changes == {
        "a-brand-site": ("○ Open", "‼ Overdue"),  # due 15 November, not done
        "b-map-done": ("○ Open", "‼ Overdue"),  # due 31 October: overdue from 1 November
        "a-fund-raised": ("△ At risk", "✗ Off track"),
        "a-apprentices": ("✓ On track", "● Done"),  # 55 of 50 on 12 November
        "a-brand-done": ("○ Open", "● Done"),
    }
    recorded = _rows(_section(text, "Measurements recorded"))
    assert [r[0] for r in recorded] == [
        "2026-11-01",
        "2026-11-03",
        "2026-11-05",
        "2026-11-10",
        "2026-11-12",
    ]
    assert recorded[2][2] == "£1.8M"  # the figure as worded wins over the number
    completed = _rows(_section(text, "Milestones completed"))
    assert [(r[0], r[2], r[3]) for r in completed] == [
        ("2026-11-20", "Launch the brand", "Endorsed by the board")
    ]
    overdue = _rows(_section(text, "Overdue"))
    assert [r[3] for r in overdue] == [  # most recently due first, each saying why
        "due on 2026-11-15 and not done: 15 days late",
        "due on 2026-10-31 and not done: 1 month late",
        "due on 2026-09-30 and not done: 2 months late",
    ]
    assert overdue[1][4] == "Venues \\| Spaces (chairs: Bob Chair, Cat Lead)"


def test_october_facts(run, data):
    text = report(run, data, "--month", "2026-10")
    assert "compared with 30 September 2026" in text
    assert [r[0] for r in _rows(_section(text, "Overdue"))] == ["Hub open `a-transport-open`"]
    assert [r[0].split("`")[1] for r in _rows(_section(text, "Due within 30 days"))] == [
        "b-map-done",
        "a-brand-site",
        "a-brand-done",
    ]
    assert "No milestone was completed in this period." in text


def test_as_of_a_day_covers_the_month_so_far(run, data):
    text = report(run, data, "--as-of", "2026-11-11")
    assert text.startswith("# Fixture Region plans: progress report, as of 11 November 2026\n")
    recorded = [r[0] for r in _rows(_section(text, "Measurements recorded"))]
    assert recorded == ["2026-11-01", "2026-11-03", "2026-11-05", "2026-11-10"]  # not the 12th
    assert "No milestone was completed in this period." in text


def _tables(tokens) -> list[list[int]]:
    """The number of cells in each row of each table."""
    tables: list[list[int]] = []
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            tables[-1].append(0)
        elif token.type in ("th_open", "td_open"):
            tables[-1][-1] += 1
    return tables


@pytest.mark.parametrize("month", ["2026-10", "2026-11"])
def test_every_table_row_has_the_header_cells_despite_hostile_text(run, data, month):
    text = report(run, data, "--month", month)
    tokens = MD.parse(text)
    tables = _tables(tokens)
    assert len(tables) >= 8
    for rows in tables:
        assert len(rows) >= 2 and set(rows) == {rows[0]}, rows
    # the raw lines agree: every line that starts a table row has the header's unescaped pipes
    for block in re.findall(r"((?:^\|.*\n)+)", text, re.M):
        lines = block.splitlines()
        widths = {len(re.findall(r"(?<!\\)\|", line)) for line in lines}
        assert len(widths) == 1, block


@pytest.mark.parametrize("month", ["2026-10", "2026-11"])
def test_hostile_text_is_shown_not_obeyed(run, data, month):
    text = report(run, data, "--month", month)
    rendered = MD.render(text)
    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert 'href="javascript' not in rendered
    headings = [t.content for t in _inline_after(MD.parse(text), "heading_open")]
    assert (
        headings[0].startswith("Fixture Region plans")
        and sum(t.tag == "h1" for t in MD.parse(text) if t.type == "heading_open") == 1
    )
    assert not [h for h in headings if h.lstrip("\\").startswith(("heading", "Title", "Not a"))]
    assert "## Places & people" in [_plain(h) for h in headings]  # a theme title, shown as text
    html_tokens = [t.content.strip() for t in MD.parse(text) if t.type.startswith("html")]
    assert set(html_tokens) <= {"<details><summary>", "</details>", "</summary>"} | {
        t for t in html_tokens if re.fullmatch(r"<details><summary>[^<]*</summary>", t)
    }


def _inline_after(tokens, kind):
    return [tokens[i + 1] for i, t in enumerate(tokens) if t.type == kind]


def _plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


MERMAID_LINE = re.compile(
    r"^    (title [^:;#%\"<>\n]+|dateFormat YYYY-MM-DD|axisFormat (%b )?%Y|todayMarker off"
    r"|section [^:;#%\"<>\n]+"
    r"|(?P<word>[A-Z][a-z]+(?: [a-z]+)?) - [^:;#%\"<>\n]+ :(crit, |done, |active, )?s\d+b\d+, "
    r"\d{4}-\d\d-\d\d, \d{4}-\d\d-\d\d"
    r"|As of [0-9A-Za-z ]+ :milestone, asof, \d{4}-\d\d-\d\d, 0d"
    r'|"(?P<slice>[A-Za-z ]+)" : \d+)$'
)


def test_mermaid_charts_are_clean_and_each_has_a_text_summary(run, data):
    text = report(run, data, "--month", "2026-11")
    blocks = re.findall(r"(?:^([^\n]*)\n\n)?```mermaid\n(.*?)^```$", text, re.M | re.S)
    assert len(blocks) == 2  # one timeline per plan with dated goals
    for before, body in blocks:
        assert before.startswith("Chart: "), before
        kind, *lines = body.splitlines()
        assert kind == "gantt"
        for line in lines:
            found = MERMAID_LINE.match(line)
            assert found, line
            word = found.group("word") or found.group("slice")
            if word:  # status is a word, never a colour alone
                assert word in {look.label for look in LOOKS.values()}, line
    assert "Off track - Pipes and ticks script alert(1) /script heading bold :crit" in text


def test_same_data_same_bytes_across_runs_caches_and_hash_seeds(run, data, tmp_path):
    first = report(run, data, "--month", "2026-11")
    assert report(run, data, "--month", "2026-11") == first  # now from the cache
    assert report(run, data, "--month", "2026-11", "--no-cache") == first
    out = tmp_path / "out" / "{month}.md"
    result = run("report", "--data", data, "--month", "2026-11", "--output", out)
    assert result.exit_code == 0, result.output
    written = tmp_path / "out" / "2026-11.md"
    assert result.stdout == f"{written.as_posix()}\n"
    assert written.read_bytes() == first.encode("utf-8")
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-m", "lcrplan", "report", "--data", str(data), "--month", "2026-11"],
            capture_output=True,
            env=env,
            cwd=tmp_path,
            check=True,
        )
        assert proc.stdout == first.encode("utf-8"), f"PYTHONHASHSEED={seed}"


def test_a_long_overdue_list_shows_ten_and_the_rest_in_the_appendix(run, data_dir):
    goals = "".join(
        f"""
        - id: g{n}
          title: Goal {n}
          due: 2020-{n % 12 + 1:02d}-01
          source: {{document: doc}}
          kpis:
            - {{id: k{n}, kind: milestone, title: Milestone {n}, source: {{document: doc}}}}
        """
        for n in range(150)
    )
    write_tree(data_dir, {"theme.yaml": theme_file(goals)})
    text = report(run, data_dir, "--month", "2026-11")
    overdue = _section(text, "Overdue (150)")
    assert "<details>" not in overdue and len(_rows(overdue)) == 10
    assert "the other 140 are in the appendix" in overdue
    folded = _section(text, "Overdue: the other 140")
    assert "<details><summary>140 items</summary>" in folded and len(_rows(folded)) == 140
    assert text.index("## Appendix B: long lists in full") < text.index("### Overdue: the other")
    assert _rows(_section(text, "Needs attention"))[0] == [
        "A Group (chair: Ann Chair)",
        "150",
        *["0"] * 6,  # reading overdue, off track, disagree, at risk, due soon, stale
        "150",
    ]
    # the first ten are the board's ten decisions, in the list's order
    decisions = _rows(_section(text, "Ten things that need a decision"))
    assert [r[0].split("`")[1] for r in decisions] == [r[0].split("`")[1] for r in _rows(overdue)]
    assert _tables(MD.parse(text))  # still well-formed


def test_plan_and_group_narrow_thereport(run, data):
    beta = report(run, data, "--month", "2026-11", "--plan", "beta")
    assert "## Beta Priorities" in beta and "## Alpha Strategy" not in beta
    assert "Narrowed to plan `beta`." in beta
    assert "2 items under 2 goals: 1 KPI and 1 goal with no KPI." in beta
    assert "b-advocacy" in _section(beta, "Appendix B: data quality") and "a-gva" not in beta
    group = report(run, data, "--month", "2026-11", "--group", "beta-venues")
    assert "Venue map published" in group and "Jobs created" not in group
    result = run("report", "--data", data, "--plan", "alpah")
    assert result.exit_code == 2 and "did you mean 'alpha'" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2026-13"], "'2026-13' is not a month"),
        (["--month", "2026-11", "--as-of", "2026-11-30"], "give --month or --as-of, not both"),
        (["--as-of", "30/11/2026"], "is not a date"),
    ],
)
def test_usage_errors_exit_2(run, data, args, message):
    result = run("report", "--data", data, *args)
    assert result.exit_code == 2 and message in result.output, result.output


def _with_templates(data: Path, files: dict[str, str]) -> Path:
    config = (data / "lcrplan.yaml").read_text(encoding="utf-8")
    write_tree(data, {"lcrplan.yaml": config + "templates: templates\n"})
    return write_tree(data / "templates", files)


def test_data_templates_override_and_add_to_the_built_in_ones(run, data, tmp_path):
    _with_templates(
        data,
        {
            "monthly.md.j2": '{% import "_macros.md.j2" as ui %}Ours: {{ report.title }}\n',
            "brief.md.j2": "{{ report.summary.items }} items; {{ report.plans[0].plan.title }}\n",
        },
    )
    assert report(run, data, "--month", "2026-11") == "Ours: Fixture Region plans\n"
    assert report(run, data, "--month", "2026-11", "-t", "brief") == "14 items; Alpha Strategy\n"
    elsewhere = write_tree(tmp_path / "mine", {"board.md.j2": "{{ report.period.month }}\n"})
    path = elsewhere / "board.md.j2"
    assert report(run, data, "--month", "2026-11", "--template", path) == "2026-11\n"


@pytest.mark.parametrize(
    ("template", "where", "message"),
    [
        ("# Title\n\n{{ report.titel }}\n", "bad.md.j2:3", "has no attribute 'titel'"),
        ("{% for x in report.plans %}\n{{ x }\n", "bad.md.j2:2", "template syntax error"),
        ("# T\n{{ report.__class__.__mro__ }}\n", "bad.md.j2:2", "unsafe"),
        ("{{ report.summary.items|date('fancy') }}\n", "bad.md.j2:1", "bad value in template"),
        ('{% include "missing.md.j2" %}\n', "missing.md.j2", "not found"),
    ],
)
def test_template_mistakes_are_located_errors_not_tracebacks(run, data, template, where, message):
    _with_templates(data, {"bad.md.j2": template})
    result = run("report", "--data", data, "--month", "2026-11", "--template", "bad")
    assert result.exit_code == 1, result.output
    assert where in result.stderr and message in result.stderr, result.stderr
    assert "Traceback" not in result.output


def test_compiled_templates_are_kept_in_the_user_cache_and_follow_edits(run, data, user_cache):
    compiled = user_cache / "lcrplan"
    shutil.rmtree(compiled, ignore_errors=True)
    _with_templates(data, {"brief.md.j2": "{{ report.period.month }}\n"})
    assert report(run, data, "--month", "2026-11", "-t", "brief", "--no-cache") == "2026-11\n"
    assert not compiled.exists()
    assert report(run, data, "--month", "2026-11", "-t", "brief") == "2026-11\n"
    kept = sorted(compiled.rglob("*.cache"))
    assert kept and not list(data.rglob("*.cache"))  # never in the data folder
    write_tree(data / "templates", {"brief.md.j2": "Month {{ report.period.month }}\n"})
    assert report(run, data, "--month", "2026-11", "-t", "brief") == "Month 2026-11\n"
    for _ in range(2):  # compiled, then from the cache: a mistake is located both times
        write_tree(data / "templates", {"bad.md.j2": "# T\n\n{{ report.titel }}\n"})
        result = run("report", "--data", data, "--month", "2026-11", "--template", "bad")
        assert result.exit_code == 1 and "bad.md.j2:3" in result.stderr, result.stderr


def test_unknown_template_lists_the_known_ones(run, data):
    result = run("report", "--data", data, "--template", "quarterly")
    assert result.exit_code == 1
    assert "template 'quarterly.md.j2' not found" in result.stderr
    assert "monthly.md.j2" in result.stderr


def test_invalid_data_stops_thereport(run, data):
    (data / "alpha" / "broken.yaml").write_text("theme: [\n", encoding="utf-8")
    result = run("report", "--data", data, "--month", "2026-11")
    assert result.exit_code == 1 and "data/alpha/broken.yaml:" in result.stderr


def test_jinja_is_imported_only_by_the_report_command():
    code = "import sys, lcrplan.cli, lcrplan.views.report; print('jinja2' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "False"


@pytest.mark.slow
def test_the_built_in_templates_ship_in_the_wheel(wheel_names):
    names = wheel_names
    for template in (REPO / "templates").glob("*.j2"):
        assert f"lcrplan/templates/{template.name}" in names


def test_real_data_gives_a_readablereport(run):
    """The committed example report comes from `data/`; it must still render (not match)."""
    result = run("report", "--data", REPO / "data", "--month", "2026-11", "--no-cache")
    assert result.exit_code == 0, result.output
    tables = _tables(MD.parse(result.stdout))
    assert all(set(rows) == {rows[0]} for rows in tables)
    assert "## Needs attention" in result.stdout


def test_output_never_writes_into_the_data_directory(run, tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    target = data / "sources.yaml"
    before = target.read_bytes()
    for output in (str(target), str(data / "sub" / "r.md"), str(data / "{month}.md")):
        result = run("report", "--data", data, "--month", "2026-11", "--output", output)
        assert result.exit_code == 2, result.output
        assert "inside the data directory" in result.output
    assert target.read_bytes() == before
    assert not (data / "sub").exists() and not (data / "2026-11.md").exists()
