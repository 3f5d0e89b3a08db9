"""`lcrplan site OUT` end to end on the fixture data set: the pages it writes, what each shows,
that nothing from the data can inject markup or a link, that it writes only what changed and
only inside OUT, and the target history it reads from git."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sys
from pathlib import Path

import html5lib
import pytest

from lcrplan.emit.publish import MANIFEST
from lcrplan.loader.load import load

from .conftest import REPO, git, symlink

FIXTURE = Path(__file__).parent / "fixtures" / "report"
AS_OF = "2026-11-30"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "data"))


def build(run, data: Path, out: Path, *args: str) -> str:
    result = run("site", out, "--data", data, "--as-of", AS_OF, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def parse(path: Path):
    """The page as a browser parses it; the parser's errors must be none."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    document = parser.parse(path.read_bytes())
    assert parser.errors == [], (path.name, parser.errors[:3])
    return document


def texts(element) -> str:
    return " ".join("".join(element.itertext()).split())


def facts(element, n: int = 0) -> dict[str, str]:
    """The `n`th description list directly under `element`: each term and its description."""
    found = list(element.findall("dl"))[n]
    terms = [texts(t) for t in found.iter("dt")]
    return dict(zip(terms, [texts(d) for d in found.iter("dd")], strict=True))


def test_a_page_for_every_plan_owner_goal_and_kpi(run, data, tmp_path):
    out = tmp_path / "site"
    printed = build(run, data, out)
    loaded = load(data, dt.date(2026, 11, 30), use_cache=False)
    ds = loaded.data
    expected = {"index.html", "attention.html", "style.css"}
    expected |= {f"plan-{p.id}.html" for p in ds.plans}
    expected |= {f"owner-{b.id}.html" for b in [*ds.boards, *ds.groups]}
    expected |= {"owner-cat-lead.html"}  # the one person who owns an item
    for theme_file in ds.themes:
        for goal in theme_file.goals:
            expected.add(f"goal-{goal.id}.html")
            expected |= {f"kpi-{k.id}.html" for k in goal.kpis}
    assert {p.name for p in out.iterdir() if p.name != MANIFEST} == expected
    assert (
        printed
        == f"{out.as_posix()}: {len(expected)} pages, {len(expected)} written, 0 unchanged\n"
    )
    assert (out / MANIFEST).read_text().splitlines() == sorted(expected)


def test_every_page_parses_as_html5_and_links_only_to_pages_it_wrote(run, data, tmp_path):
    out = tmp_path / "site"
    build(run, data, out)
    pages = sorted(out.glob("*.html"))
    assert len(pages) > 30
    for page in pages:
        document = parse(page)
        assert document.get("lang") == "en-GB"
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text and " on" not in re.sub(r">[^<]*<", "><", text)
        for href in re.findall(r'(?:href|src)="([^"]*)"', text):
            if href.startswith("https://example.org/"):  # the one http(s) link the data has
                continue
            target, _, fragment = href.partition("#")
            assert not re.match(r"^[a-z]+:|^/", target), (page.name, href)
            assert target == "" or (out / target).is_file(), (page.name, href)
            if fragment:
                assert f'id="{fragment}"' in (out / (target or page.name)).read_text(), href
        # no address at all from anywhere but the data's documents
        assert set(re.findall(r"https?://[^\s\"'<>)]+", text)) <= {"https://example.org/alpha.pdf"}


def test_a_kpi_page_shows_status_reason_chart_readings_source_and_update(run, data, tmp_path):
    out = tmp_path / "site"
    build(run, data, out)
    page = parse(out / "kpi-a-jobs-created.html")
    main = page.find(".//main")
    assert texts(main.find("h1")) == "Jobs created"
    reason = texts(main.find(".//p[@class='reason']"))
    assert reason == (
        "On track: 950 jobs so far; needs about 42 a month to reach 1,000 by 2026-12-31, "
        "managing 43 a month: on track"
    )
    assert texts(main.find(".//p[@class='travel-line']")) == (
        "Direction of travel: ↑ Better, from the reading before."
    )
    svg = main.find(f".//figure/{SVG}svg")
    assert svg.get("role") == "img"
    assert texts(svg.find(f"{SVG}title")) == "Jobs created: trend"
    caption = texts(main.find(".//figcaption"))
    assert caption.startswith("5 readings; latest 950 jobs on 2026-11-10; needs ")
    assert caption.endswith(
        ": on track; at this pace: December 2026, 15 days early (dotted line). The readings are "
        "in the table Readings."
    )
    projection = svg.find(f".//{SVG}line[@class='projection']")
    assert projection is not None and projection.get("stroke-dasharray") == "1 4"
    key = main.find(".//ul[@class='legend']/li[@data-series='projection']")
    assert texts(key) == "At this pace: December 2026, 15 days early"
    (readings,) = [t for t in main.iter("table") if "Value" in texts(t.find("thead"))]
    rows = readings.findall("./tbody/tr")
    assert [texts(r.find("th")) for r in rows] == [
        "2025-06-30",
        "2025-12-31",
        "2026-06-30",
        "2026-10-15",
        "2026-11-10",
    ]
    assert [texts(c) for c in rows[-1]] == [
        "2026-11-10",
        "950 jobs",
        "",
        "Survey | Q3 <script>alert('x')</script>",
        "",
    ]
    body = texts(main)
    assert "Alpha Strategy 2025-2027, lines 11 (Fixture Combined Authority, January 2025)" in body
    says = main.find(".//section[@class='callout']")
    assert texts(says.find("h2")) == "What the owner says"
    assert texts(says.find("p")).startswith("Red, for 2026-27 Q2, by ")
    assert "This disagrees with the data (On track)." in texts(says.find("p"))
    assert "Recruitment has stalled at two employers" in texts(says)
    # the owner's words come straight after the status, before the facts and the chart
    order = [e.tag for e in main if e.tag in ("section", "dl", "figure", "h2")]
    assert order.index("section") < order.index("dl")
    assert "Not shown: the data is not in a git repository." in body
    link = main.find(".//a[@href='https://example.org/alpha.pdf']")
    assert texts(link) == "Alpha Strategy 2025-2027"


def test_a_reading_due_in_the_past_is_said_to_be_due_since_then(run, data, tmp_path):
    out = tmp_path / "site"
    build(run, data, out)
    late = facts(parse(out / "kpi-a-unemployment.html").find(".//main"))["Reported"]
    assert late.endswith("; a reading has been due since 2026-09-30")  # before 2026-11-30
    ahead = facts(parse(out / "kpi-a-venues-open.html").find(".//main"))["Reported"]
    assert ahead.endswith("; the next reading is due 2026-12-31")


def test_a_goal_page_shows_its_kpis_and_its_owners_update(run, data, tmp_path):
    out = tmp_path / "site"
    build(run, data, out)
    main = parse(out / "goal-a-fund.html").find(".//main")
    assert texts(main.find("h1")) == "Raise investment"
    assert facts(main)["Owner"] == "Alpha Board (chair: Ann Chair)"
    (kpis,) = [t for t in main.iter("table") if "Goal / KPI" in texts(t.find("thead"))]
    assert [texts(r.find("th")) for r in kpis.findall("./tbody/tr")] == [
        "KPI Investment raised a-fund-raised"
    ]
    says = main.find(".//section[@class='callout']")
    assert texts(says.find("p")) == (
        "Amber (confidence medium), for 2026-27 Q1, by Cat Lead on 2026-05-01. "
        "Stale: the next was due 2026-08-01."
    )
    assert "Two pledges agreed" in texts(says)
    assert facts(says) == {"Next steps": "Close the third in September"}


def test_readings_after_the_date_are_left_out_everywhere(run, data, tmp_path):
    out = tmp_path / "site"
    result = run("site", out, "--data", data, "--as-of", "2026-07-01")
    assert result.exit_code == 0, result.output
    page = out / "kpi-a-jobs-created.html"
    text = page.read_text(encoding="utf-8")
    assert "2026-10-15" not in text and "950" not in text
    assert "2 readings dated after 1 July 2026 are left out." in texts(parse(page))


def test_a_kpi_without_a_second_reading_still_draws_its_target(run, data, tmp_path):
    out = tmp_path / "site"
    build(run, data, out)
    page = parse(out / "kpi-a-homes.html")
    assert page.find(f".//figure/{SVG}svg") is not None
    milestone = parse(out / "kpi-a-brand-done.html")
    assert milestone.find(f".//{SVG}svg[@role='img']") is None  # nothing to draw


def test_home_shows_the_reports_summary_attention_and_plans(run, data, tmp_path):
    out = tmp_path / "site"
    build(run, data, out)
    report = run("report", "--data", data, "--as-of", AS_OF)
    assert report.exit_code == 0, report.output
    home = parse(out / "index.html")
    body = texts(home.find(".//main"))
    # the same numbers as the Markdown report for the same date
    found = re.search(r"(\d+) items? under (\d+) goals?: (\d+) KPIs?", report.stdout)
    assert found is not None
    assert f"{found[1]} items under {found[2]} goals: {found[3]} KPIs" in body
    # the same things to decide, in the same order
    section = report.stdout.split(" that need a decision\n", 1)[1].split("\n## ", 1)[0]
    decided = re.findall(r"^\| .*? `([a-z0-9-]+)` \|", section, re.M)
    table = home.find(".//table[@class='stack decisions']")
    assert decided and [c.text for c in table.iter("code")] == decided
    assert [texts(h) for h in home.iter("h2")] == [
        "Items by status",
        "Plans",
        "Eight things that need a decision",
        "What owners say",
        "Boards and sub-groups",
    ]
    plans = home.find(".//ul[@class='plans']")
    assert [texts(a) for a in plans.iter("a") if a.get("href", "").startswith("plan-")] == [
        "Alpha Strategy",
        "Beta Priorities",
    ]


def test_owner_pages_name_the_chairs_and_what_they_own(run, data, tmp_path):
    out = tmp_path / "site"
    build(run, data, out)
    venues = parse(out / "owner-beta-venues.html").find(".//main")
    assert texts(venues.find("h1")) == "Venues | Spaces"
    assert facts(venues)["Chairs"] == "Bob Chair, Cat Lead"
    assert facts(venues)["Part of"] == "Beta Board (chair: Bob Chair)"
    assert facts(venues)["Items"] == "2 items: 1 Overdue, 1 No KPI"
    board = parse(out / "owner-beta-board.html").find(".//main")
    assert facts(board)["Sub-groups"] == "Venues | Spaces (chairs: Bob Chair, Cat Lead)"


def test_hostile_text_is_escaped_and_unsafe_links_are_text(run, data, tmp_path):
    sources = data / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    text = text.replace(
        "title: Alpha Strategy 2025-2027", 'title: "Alpha <img src=x onerror=alert(1)>"'
    ).replace('url: "javascript:alert(1)"', 'url: "data:text/html,<script>alert(1)</script>"')
    sources.write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    build(run, data, out)
    for page in out.glob("*.html"):
        raw = page.read_text(encoding="utf-8")
        assert "<img" not in raw and "<script" not in raw, page.name
        assert 'href="data:' not in raw and 'href="javascript:' not in raw, page.name
    plan = texts(parse(out / "plan-beta.html").find(".//main"))
    assert "Beta | board <b>minutes</b>" in plan  # shown as text, not linked


def test_same_data_same_bytes_and_a_second_run_writes_nothing(run, data, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    build(run, data, first)
    build(run, data, second, "--no-cache")
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    stamps = {p.name: p.stat().st_mtime_ns for p in first.iterdir()}
    printed = build(run, data, first)
    assert printed.endswith(f"{len(names) - 1} pages, 0 written, {len(names) - 1} unchanged\n")
    assert stamps == {p.name: p.stat().st_mtime_ns for p in first.iterdir()}


def test_a_new_reading_rewrites_only_the_pages_that_show_it(run, data, tmp_path):
    out = tmp_path / "site"
    build(run, data, out)
    growth = data / "alpha" / "growth.yaml"
    growth.write_text(
        growth.read_text(encoding="utf-8").replace(
            "          - {date: 2025-12-31, value: 20}",
            "          - {date: 2025-12-31, value: 20}\n          - {date: 2026-03-31, value: 25}",
        ),
        encoding="utf-8",
    )
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    printed = build(run, data, out)
    assert ", 3 written," in printed, printed
    written = {p.name for p in out.iterdir() if p.stat().st_mtime_ns != stamps[p.name]}
    # its own page, and the two whose tables show its direction of travel and sparkline
    assert written == {"kpi-a-apprentices.html", "goal-a-skills.html", "owner-cat-lead.html"}
    assert '<td class="n">25 people</td>' in (out / "kpi-a-apprentices.html").read_text()
    assert "↑</span> Better" in (out / "goal-a-skills.html").read_text()


def test_pages_no_longer_made_are_removed_and_nothing_else(run, data, tmp_path):
    out = tmp_path / "site"
    build(run, data, out)
    (out / "notes.txt").write_text("mine")
    (data / "beta" / "venues.yaml").unlink()
    printed = build(run, data, out)
    assert printed.endswith(", 4 removed\n"), printed
    for gone in (
        "goal-b-map.html",
        "goal-b-advocacy.html",
        "kpi-b-map-done.html",
        "plan-beta.html",
    ):
        assert not (out / gone).exists()
    assert (out / "owner-beta-venues.html").is_file()  # the group is still in the directory
    assert (out / "notes.txt").read_text() == "mine"
    assert set((out / MANIFEST).read_text().split()) == {
        p.name for p in out.iterdir() if p.name not in (MANIFEST, "notes.txt")
    }


@pytest.mark.parametrize("where", ["inside-data", "not-empty", "link", "file"])
def test_the_site_is_never_written_where_it_could_harm(run, data, tmp_path, where):
    target = tmp_path / "elsewhere"
    target.mkdir()
    if where == "inside-data":
        out = data / "site"
    elif where == "not-empty":
        out = tmp_path / "home"
        out.mkdir()
        (out / "thesis.txt").write_text("years of work")
    elif where == "link":
        out = tmp_path / "site"
        symlink(out, target, target_is_directory=True)
    else:
        out = tmp_path / "site.html"
        out.write_text("a file")

    def files() -> list[Path]:
        return sorted(p for p in tmp_path.rglob("*") if ".lcrplan-cache" not in p.parts)

    before = files()
    result = run("site", out, "--data", data, "--as-of", AS_OF)
    assert result.exit_code == 2, result.output
    assert "DIR" in result.output
    assert files() == before
    assert list(target.iterdir()) == []


def test_a_planted_link_in_the_site_folder_is_refused_before_any_write(run, data, tmp_path):
    out = tmp_path / "site"
    build(run, data, out)
    secret = tmp_path / "secret.txt"
    secret.write_text("keep")
    page = out / "kpi-a-gva.html"
    page.unlink()
    symlink(page, secret)
    index = (out / "index.html").read_bytes()
    (data / "alpha" / "growth.yaml").write_text(
        (data / "alpha" / "growth.yaml").read_text().replace("Create jobs", "Create more jobs")
    )
    result = run("site", out, "--data", data, "--as-of", AS_OF)
    assert result.exit_code == 2, result.output
    assert "symbolic link" in result.output
    assert secret.read_text() == "keep"
    assert (out / "index.html").read_bytes() == index


def test_a_template_mistake_is_located_and_writes_nothing(run, data, tmp_path):
    (data / "lcrplan.yaml").write_text(
        (data / "lcrplan.yaml").read_text() + "templates: ../templates\n"
    )
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "site-kpi.html.j2").write_text(
        '{% extends "_page.html.j2" %}\n{% block main %}\n{{ nope.x }}{% endblock %}\n'
    )
    out = tmp_path / "site"
    result = run("site", out, "--data", data, "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    assert "site-kpi.html.j2:3:1: error: template error: 'nope' is undefined" in result.output
    assert not out.exists()


def test_data_templates_override_a_site_page(run, data, tmp_path):
    (data / "lcrplan.yaml").write_text(
        (data / "lcrplan.yaml").read_text() + "templates: ../templates\n"
    )
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "site-goal.html.j2").write_text(
        '{% extends "_page.html.j2" %}{% block main %}<h1>{{ content.goal.title }}</h1>'
        "<p>{{ content.goal.description or '<b>none</b>' }}</p>{% endblock %}\n"
    )
    out = tmp_path / "site"
    build(run, data, out)
    text = (out / "goal-a-jobs.html").read_text(encoding="utf-8")
    assert "<h1>Create jobs</h1>" in text and "&lt;b&gt;none&lt;/b&gt;" in text


# --- target history from git ----------------------------------------------------------------


def history(page: Path) -> list[list[str]]:
    """The cells of a KPI page's table of goalpost moves."""
    (table,) = [t for t in parse(page).iter("table") if "Commit" in texts(t.find("thead"))]
    return [[texts(c) for c in r] for r in table.findall("./tbody/tr")]


def test_the_target_history_comes_from_git_log(run, tmp_path):
    repo = tmp_path / "repo"
    data = Path(shutil.copytree(FIXTURE, repo / "data"))
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "First data", date="2026-01-05T10:00:00")
    growth = data / "alpha" / "growth.yaml"
    text = growth.read_text(encoding="utf-8")
    growth.write_text(text.replace("target: 1000\n", "target: 1200\n", 1), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "Raise the jobs target <b>", date="2026-03-09T10:00:00")
    growth.write_text(
        growth.read_text(encoding="utf-8").replace("due: 2026-12-31", "due: 2027-06-30", 1),
        encoding="utf-8",
    )  # not committed
    out = tmp_path / "site"
    result = run("site", out, "--data", data, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    rows = history(out / "kpi-a-jobs-created.html")
    first = git(repo, "rev-parse", "--short=12", "HEAD~1")
    second = git(repo, "rev-parse", "--short=12", "HEAD")
    assert rows == [
        ["2026-01-05", "target (first recorded)", "", "1,000 jobs", f"{first} First data"],
        ["2026-01-05", "baseline (first recorded)", "", "0 on 2025-01-01", f"{first} First data"],
        [
            "2026-03-09",
            "target (raised)",
            "1,000 jobs",
            "1,200 jobs",
            f"{second} Raise the jobs target <b>",
        ],
    ]
    assert history(out / "kpi-a-gva.html") == [
        ["2026-01-05", "target (first recorded)", "", "higher is better", f"{first} First data"]
    ]
    # the goal's due date moved in the working tree: the KPI inherits it, its own fields did not
    assert "not committed yet" not in (out / "kpi-a-jobs-created.html").read_text()


def test_an_uncommitted_move_is_shown_as_such(run, tmp_path):
    repo = tmp_path / "repo"
    data = Path(shutil.copytree(FIXTURE, repo / "data"))
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "First data", date="2026-01-05T10:00:00")
    growth = data / "alpha" / "growth.yaml"
    growth.write_text(
        growth.read_text(encoding="utf-8").replace("target: 1000\n", "target: 900\n", 1),
        encoding="utf-8",
    )
    out = tmp_path / "site"
    result = run("site", out, "--data", data, "--as-of", AS_OF, "--no-cache")
    assert result.exit_code == 0, result.output
    assert history(out / "kpi-a-jobs-created.html")[-1] == [
        "not committed yet",
        "target (lowered)",
        "1,000 jobs",
        "900 jobs",
        "",
    ]
    result = run("site", tmp_path / "other", "--data", data, "--as-of", AS_OF, "--no-history")
    assert result.exit_code == 0, result.output
    other = texts(parse(tmp_path / "other" / "kpi-a-jobs-created.html"))
    assert "Not shown: the site was made with --no-history." in other


def test_real_data_makes_a_site(run, tmp_path):
    out = tmp_path / "site"
    result = run("site", out, "--data", REPO / "data", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert (out / "kpi-ci-inv-3-people.html").is_file()
    assert len(list(out.glob("kpi-*.html"))) > 200


# --- a large site is rendered by several processes ---------------------------------------------

forks = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="shared out on Linux only")


@forks
def test_pages_shared_out_between_processes_are_the_same_bytes(run, data, tmp_path, monkeypatch):
    from lcrplan.emit import templating

    build(run, data, tmp_path / "one")
    shared = []
    real = templating._Run.forked

    def spy(self, workers):
        shared.append(workers)
        return real(self, workers)

    monkeypatch.setattr(templating, "PARALLEL_FROM", 1)
    monkeypatch.setattr(templating._Run, "forked", spy)
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    build(run, data, tmp_path / "two")
    assert shared == [3]
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "two").iterdir())
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


@forks
def test_a_template_mistake_in_a_forked_process_is_still_located(run, data, tmp_path, monkeypatch):
    from lcrplan.emit import templating

    monkeypatch.setattr(templating, "PARALLEL_FROM", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    (data / "lcrplan.yaml").write_text(
        (data / "lcrplan.yaml").read_text() + "templates: ../templates\n"
    )
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "site-goal.html.j2").write_text(
        '{% extends "_page.html.j2" %}{% block main %}\n\n{{ 1 / 0 }}{% endblock %}\n'
    )
    result = run("site", tmp_path / "site", "--data", data, "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    assert "site-goal.html.j2:3:1: error: bad value in template: division by zero" in result.output
    assert not (tmp_path / "site").exists()


def test_the_sandbox_answers_per_type_and_name_as_jinja_does():
    """Its answers are kept per (type, name) for speed: a name safe on one type is still
    refused on another, and internal names stay refused however often they are asked."""
    from jinja2.exceptions import SecurityError

    from lcrplan.emit import templating

    class Row:
        mro = "an ordinary field"

    env = templating.environment([templating.BUILTIN_DIR], html=True)
    env.start()
    for _ in range(3):
        assert env.from_string("{{ row.mro }}").render(row=Row()) == "an ordinary field"
        for source in ("{{ kind.mro }}", "{{ f.__globals__ }}", "{{ row.__class__ }}"):
            with pytest.raises(SecurityError):
                env.from_string(source).render(row=Row(), kind=Row, f=lambda: None)
