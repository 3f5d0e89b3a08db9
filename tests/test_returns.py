"""Requests, return forms, `import` and `calendar` (issue 17), through the CLI on data in
tmp_path; synthetic values live here only."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from lcrplan.edits import journal

from .conftest import theme_file, write_tree
from .helpers.crashes import crash_at_replace

AS_OF = "2026-11-30"

RHYTHM = """
    - id: g
      title: Goal with a fresh update
      source: {document: doc}
      updates:
        - {period: 2026-11, date: 2026-11-01, by: chair, rag: green, summary: Fine}
      kpis:
        - id: k-quarterly
          kind: numeric
          title: Read every quarter
          target: 100
          unit: things
          frequency: quarterly
          baseline: {value: 0, date: 2025-04-01}
          source: {document: doc}
          measurements:
            - {date: 2026-08-22, value: 40}
        - id: k-annual
          kind: numeric
          title: Read every year
          target: 100
          unit: things
          frequency: annual
          baseline: {value: 0, date: 2025-04-01}
          source: {document: doc}
          measurements:
            - {date: 2026-08-22, value: 40}
    """


def _form(run, data: Path, *args: str) -> list[dict[str, str]]:
    result = run("requests", "--format", "csv", "--as-of", AS_OF, *args, "--data", data)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))


def test_requests_for_a_quarter_list_exactly_the_quarterly_kpi_due(run, data_dir) -> None:
    write_tree(data_dir, {"theme.yaml": theme_file(RHYTHM)})
    rows = _form(run, data_dir, "--period", "2026-27 Q3")
    assert [r["id"] for r in rows] == ["k-quarterly"]
    assert rows[0]["due"] == "2026-11-22" and rows[0]["last_value"] == "40"
    assert rows[0]["period"] == "'2026-27 Q3"  # protected from Excel's conversions
    letter = run("requests", "--period", "2026-27 Q3", "--as-of", AS_OF, "--data", data_dir)
    assert letter.exit_code == 0, letter.output
    assert "## A Group (chair: Ann Chair) `grp`" in letter.stdout
    assert "### Readings due (1)" in letter.stdout and "k-annual" not in letter.stdout
    # the annual KPI falls due in 2027-28 Q2
    later = _form(run, data_dir, "--period", "2027-28 Q2")
    assert [r["id"] for r in later] == ["g", "k-quarterly", "k-annual"]  # all due by then


# --- export a form, fill it by a script, import it ---------------------------------------------

COMMENTED = """
    # Goals of the theme, with comments that must survive an import.
    - id: g1
      title: First goal
      source: {document: doc}
      kpis:
        - id: k1
          kind: numeric
          title: "=HYPERLINK(\\"http://evil.example\\", \\"click\\")"
          target: 100
          unit: people
          baseline: {value: 0, date: 2025-01-01}
          source: {document: doc}
          measurements:
            - {date: 2025-06-30, value: 10}   # first survey
        # the milestone
        - id: k2
          kind: milestone
          title: Launched
          due: 2026-06-30
          source: {document: doc}
    - id: 1-2
      title: A goal whose id Excel would read as a date
      source: {document: doc}
    """
OTHER = """
    - id: h1
      title: Other goal
      source: {document: doc}
      kpis:
        - id: m1
          kind: indicator
          title: An indicator
          direction: increase
          unit: "%"
          source: {document: doc}
    """


@pytest.fixture
def two_files(data_dir: Path) -> Path:
    write_tree(
        data_dir,
        {"a/theme.yaml": theme_file(COMMENTED, "ta"), "b/theme.yaml": theme_file(OTHER, "tb")},
    )
    return data_dir


FILLED = {
    "k1": {"value": "42", "date": "30/09/2026", "note": "Q2 survey", "rag": "amber"},
    "k2": {"value": "done", "date": "2026-07-15"},
    "1-2": {"rag": "green", "summary": "On course", "next_steps": "Report in March"},
    "m1": {"value": "3.5", "date": "2026-09-30"},
}


def _fill_csv(text: str, by: str = "chair") -> str:
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    for row in rows:
        wanted = FILLED.get(row["id"].lstrip("'"), {})
        row.update(wanted)
        if "rag" in wanted:
            row["summary"] = row["summary"] or "Summary"
            row["by"] = by
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _fill_xlsx(path: Path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book["Return"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        wanted = FILLED.get(row[0].value, {})
        for key, value in wanted.items():
            cell = row[header.index(key)]
            cell.value = float(value) if key == "value" and value != "done" else value
            if key == "date":
                day = value.split("/")
                iso = f"{day[2]}-{day[1]}-{day[0]}" if len(day) == 3 else value
                cell.value = dt.date.fromisoformat(iso)
        if "rag" in wanted:
            row[header.index("summary")].value = wanted.get("summary", "Summary")
            row[header.index("by")].value = "chair"
    book.save(path)


def _snapshot(data: Path) -> dict[str, bytes]:
    return {p.relative_to(data).as_posix(): p.read_bytes() for p in sorted(data.rglob("*.yaml"))}


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_filled_return_form_imports_round_trip_and_twice_is_once(
    run, two_files: Path, tmp_path: Path, kind
) -> None:
    data = two_files
    form = tmp_path / f"grp.{kind}"
    result = run("requests", "--format", kind, "--output", form, "--as-of", AS_OF, "--data", data)
    assert result.exit_code == 0, result.output
    if kind == "csv":
        form.write_text(_fill_csv(form.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        _fill_xlsx(form)
    before = _snapshot(data)
    first = run("import", form, "--data", data)
    assert first.exit_code == 0, first.output
    assert "Recorded 2 reading(s), 1 milestone(s) done, 2 update(s) in 2 file(s)" in first.stderr
    after = _snapshot(data)
    theme_a = after["a/theme.yaml"].decode()
    for line in before["a/theme.yaml"].decode().splitlines():  # nothing removed or reworded
        assert line in theme_a.splitlines()
    assert "          - {date: 2026-09-30, value: 42, note: Q2 survey}\n" in theme_a
    assert "        done: {date: 2026-07-15}\n" in theme_a
    assert "  # Goals of the theme, with comments that must survive an import.\n" in theme_a
    assert run("validate", "--data", data).exit_code == 0
    (shown,) = json.loads(run("show", "1-2", "--format", "json", "--data", data).stdout)["items"]
    assert shown["update"]["summary"] == "On course" and shown["update"]["rag"] == "green"
    again = run("import", form, "--data", data)
    assert again.exit_code == 0, again.output
    assert "No change: all 5 row(s) are already recorded." in again.stderr
    assert _snapshot(data) == after


def test_dry_run_prints_the_diff_and_writes_nothing(run, two_files, tmp_path) -> None:
    form = tmp_path / "r.csv"
    form.write_text("id,value,date\nm1,7,2026-09-30\n", encoding="utf-8")
    before = _snapshot(two_files)
    result = run("import", form, "--dry-run", "--data", two_files)
    assert result.exit_code == 0, result.output
    assert "+          - {date: 2026-09-30, value: 7}\n" in result.stdout
    assert "nothing written" in result.stderr
    assert _snapshot(two_files) == before
    assert not list(two_files.rglob(".*.tmp"))


def test_one_bad_row_among_100_changes_no_file_and_is_named(run, two_files, tmp_path) -> None:
    day = dt.date(2025, 7, 1)
    lines = ["id,value,date"]
    for n in range(100):
        kpi = "k1" if n % 2 else "m1"  # rows for both files
        value = "lots" if n == 63 else str(n)
        lines.append(f"{kpi},{value},{day + dt.timedelta(days=n)}")
    form = tmp_path / "return.csv"
    form.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = _snapshot(two_files)
    result = run("import", form, "--data", two_files)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[0] == (
        f"{form.as_posix()}:65:value: error: column 'value': 'lots' is not a plain number ('k1' "
        "is a numeric KPI: write a plain number such as 1000 or 6750000, with no commas or "
        "units; put the wording in column 'note') [LCR714]"
    )
    assert _snapshot(two_files) == before


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("k11,5,2026-01-01", ":2:id: error: no goal or KPI with id 'k11' (did you mean 'k1'"),
        ("k1,5,2999-01-01", ":2:date: error: 2999-01-01 is in the future: today is"),
        ("k1,5,2025-06-30", "already has a measurement on 2025-06-30 (it has 10; this row"),
        ('k1,"1,000",2026-01-01', "column 'value': '1,000' is not a plain number"),
        ("k2,yes,2026-01-01", "is a milestone: write 'done' in column 'value'"),
        ("g1,5,2026-01-01", "'g1' is a goal: it takes no value"),
        ("k1,5,2026-13-01", "column 'date': 2026-13-01 is not a date: there is no month 13"),
        (
            "k1,5,2026-11-31",
            "'date': 2026-11-31 is not a date: November 2026 has 30 days (the last",
        ),
        ("k1,5,31/11/2026", "'date': 31/11/2026 is not a date: November 2026 has 30 days"),
    ],
)
def test_a_bad_row_is_refused_as_record_would(run, two_files, tmp_path, rows, message) -> None:
    form = tmp_path / "r.csv"
    form.write_text(f"id,value,date\n{rows}\n", encoding="utf-8")
    result = run("import", form, "--data", two_files)
    assert result.exit_code == 1, result.output
    assert message in result.stderr


MISTAKES = [  # a return as an owner might fill it in: the mistakes of issue 27
    ["id", "value", "date", "rag", "summary", "by"],
    ["k1", 240, "2026-11-31", None, None, None],  # a day November does not have
    ["m1", "12 buses", "2026-11-15", None, None, None],  # words in a number
    ["g1", None, None, "green", "On course", "Rachel McLean"],  # a name the data does not know
    ["1-2", None, None, "=A1", "Fine", "chair"],  # a formula where a word belongs
]


def _mistaken_xlsx(path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Return"
    for row in MISTAKES:
        sheet.append(row)
    book.save(path)
    return path


def _mistaken_csv(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([["" if v is None else v for v in r] for r in MISTAKES])
    return path


@pytest.mark.parametrize(
    ("make", "places", "bad"),
    [
        (
            _mistaken_xlsx,
            ["Return!C2", "Return!B3", "Return!F4", "Return!D5"],
            "column 'rag' holds a formula; lcrplan reads values only",
        ),
        (  # a CSV file holds no formula: the cell is text, and not a rating
            _mistaken_csv,
            ["2:date", "3:value", "4:by", "5:rag"],
            "column 'rag': '=A1' is not one of: red, amber, green",
        ),
    ],
    ids=["xlsx", "csv"],
)
def test_a_returns_mistakes_are_told_at_their_cells_in_validates_words(
    run, two_files, tmp_path, make, places, bad
) -> None:
    path = make(tmp_path / ("r.xlsx" if make is _mistaken_xlsx else "r.csv"))
    result = run("import", path, "--data", two_files)
    assert result.exit_code == 1, result.output
    said = [line.removeprefix(f"{path.as_posix()}:") for line in result.stderr.splitlines()]
    date, number, person, formula = said[:4]
    assert date == (
        f"{places[0]}: error: column 'date': 2026-11-31 is not a date: November 2026 has 30 "
        "days (the last day of November 2026 is 2026-11-30) [LCR714]"
    )
    assert number == (
        f"{places[1]}: error: column 'value': '12 buses' is not a plain number ('m1' is an "
        "indicator KPI: write a plain number such as 1000 or 6750000, with no commas or units; "
        "put the wording in column 'note') [LCR714]"
    )
    assert person == (
        f"{places[2]}: error: unknown person 'Rachel McLean' in column 'by' (give their id or "
        "name; known: chair) [LCR714]"
    )
    assert formula.startswith(f"{places[3]}: error: {bad}")
    # validate words the same mistakes, in a data file, the same way
    theme = two_files / "b" / "theme.yaml"
    theme.write_text(
        theme.read_text(encoding="utf-8").rstrip("\n")
        + "\n        measurements:\n"
        + "          - {date: 2026-11-31, value: 240}\n"
        + "          - {date: 2026-11-15, value: 12 buses}\n",
        encoding="utf-8",
    )
    checked = run("validate", "--data", two_files, "--no-source")
    assert checked.exit_code == 1, checked.output
    assert (
        "measurements[0].date: 2026-11-31 is not a date: November 2026 has 30 days (the last "
        "day of November 2026 is 2026-11-30) [LCR204]"
    ) in checked.stdout
    assert (
        "measurements[1].value: '12 buses' is not a plain number (write a plain number such as "
        "1000 or 6750000, with no commas or units;"
    ) in checked.stdout


def test_a_person_is_given_by_id_or_by_name_and_a_shared_name_is_refused(
    run, two_files, tmp_path
) -> None:
    people = two_files / "sources.yaml"
    people.write_text(
        people.read_text(encoding="utf-8").replace(
            "people:\n",
            "people:\n  - id: ann-other\n    name: Dr Ann Other\n"
            "  - id: ann-other-2\n    name: Ann Other\n"
            "  - id: rachel\n    name: Professor Rachel McLean\n",
        ),
        encoding="utf-8",
    )
    form = tmp_path / "r.csv"
    form.write_text(
        "id,rag,summary,by\ng1,green,Fine,rachel mclean\n1-2,red,Late,Ann Other\n",
        encoding="utf-8",
    )
    result = run("import", form, "--data", two_files, "--dry-run")
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        f"{form.as_posix()}:3:by: error: 'Ann Other' in column 'by' is the name of 2 people: "
        "ann-other, ann-other-2 (give the id of the one you mean) [LCR714]",
        "lcrplan: 1 error(s); nothing was done",
    ]
    form.write_text("id,rag,summary,by\ng1,green,Fine,Professor Rachel McLean\n", "utf-8")
    result = run("import", form, "--data", two_files)
    assert result.exit_code == 0, result.output
    assert "+        by: rachel\n" in result.stdout  # written as the id
    update = run(
        "update",
        "1-2",
        "--rag",
        "red",
        "--summary",
        "Late",
        "--by",
        "Ann Chair",
        "--data",
        two_files,
    )
    assert update.exit_code == 0, update.output
    assert "+        by: chair\n" in update.stdout


def test_a_folder_gives_its_forms_and_names_what_it_skips(run, two_files, tmp_path) -> None:
    folder = tmp_path / "returns"
    done = run("requests", "--period", "2026-11", "--forms", folder, "--data", two_files)
    assert done.exit_code == 0, done.output
    (folder / "~$k.xlsx").write_bytes(b"Excel's lock while the form is open")
    (folder / "old").mkdir()
    result = run("import", folder, "--data", two_files)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"Skipped {(folder / 'old').as_posix()}: a folder (import reads the files in the folder "
        "given).",
        f"Skipped {(folder / 'requests.md').as_posix()}: not a return form (import reads .csv "
        "and .xlsx files).",
        f"Skipped {(folder / '~$k.xlsx').as_posix()}: a hidden file, or the one Excel keeps "
        "while a form is open.",
        "Nothing to import: no row of the 2 form(s) gives a value, a milestone done or an "
        "owner's update.",
    ]


def test_unit_rag_and_person_are_checked(run, two_files, tmp_path) -> None:
    form = tmp_path / "r.csv"
    form.write_text(
        "id,value,unit,date,rag,summary,by\n"
        "k1,5,km,2026-01-01,,,\n"
        "g1,,,2026-01-01,purple,Fine,chair\n"
        "g1,,,2026-02-01,red,Fine,chiar\n",
        encoding="utf-8",
    )
    result = run("import", form, "--data", two_files)
    assert result.exit_code == 1, result.output
    errors = result.stderr.splitlines()
    assert ":2:unit: error: unit 'km' does not match 'k1', measured in 'people'" in errors[0]
    assert ":3:rag: error: column 'rag': 'purple' is not one of: red, amber, green" in errors[1]
    assert (
        ":4:by: error: unknown person 'chiar' in column 'by' (give their id or name; did "
        in errors[2]
    )
    with_replace = tmp_path / "s.csv"
    with_replace.write_text("id,value,date\nk1,11,2025-06-30\n", encoding="utf-8")
    assert run("import", with_replace, "--data", two_files).exit_code == 1
    replaced = run("import", with_replace, "--replace", "--data", two_files)
    assert replaced.exit_code == 0, replaced.output
    assert "- {date: 2025-06-30, value: 11}   # first survey\n" in replaced.stdout


# --- spreadsheets are hostile both ways ----------------------------------------------------------


def test_exported_forms_run_no_formula_and_keep_ids_as_text(run, two_files, tmp_path) -> None:
    import openpyxl

    rows = _form(run, two_files)
    by_id = {r["id"]: r for r in rows}
    assert by_id["k1"]["title"].startswith("'=HYPERLINK(")  # CSV: shown as text
    assert "'1-2" in by_id  # CSV: Excel would read 1-2 as 2 January
    path = tmp_path / "form.xlsx"
    assert run("requests", "-f", "xlsx", "-o", path, "--as-of", AS_OF, "--data", two_files)
    sheet = openpyxl.load_workbook(path)["Return"]
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    title = cells["k1"][3]
    assert title.value.startswith("=HYPERLINK(") and title.data_type == "s"
    assert cells["1-2"][0].data_type == "s" and cells["1-2"][0].number_format == "@"
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_a_formula_in_a_returned_xlsx_is_refused_not_evaluated(run, two_files, tmp_path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "value", "date"])
    sheet.append(["m1", "=1+1", "2026-09-30"])
    path = tmp_path / "r.xlsx"
    book.save(path)
    result = run("import", path, "--data", two_files)
    assert result.exit_code == 1, result.output
    assert "r.xlsx:Sheet!B2: error: column 'value' holds a formula; lcrplan reads values only" in (
        result.stderr
    )


def test_a_zip_bomb_posing_as_xlsx_is_refused_unread(run, two_files, tmp_path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 60_000_000)
    assert path.stat().st_size < 200_000
    result = run("import", path, "--data", two_files)
    assert result.exit_code == 1, result.output
    assert "unpacks to 60,000,000 bytes in 1 parts, over the limits" in result.stderr


def test_control_characters_in_a_return_are_refused(run, two_files, tmp_path) -> None:
    form = tmp_path / "r.csv"
    form.write_text('id,value,date,note\nk1,5,2026-01-01,"a\x1b[31m"\n', encoding="utf-8")
    result = run("import", form, "--data", two_files)
    assert result.exit_code == 1, result.output
    assert ":2:note: error: column 'note' has a control character U+001B (escape)" in result.stderr


# --- all or nothing across files, and a crash part-way -----------------------------------------

RETURN = "id,value,date\nk1,20,2026-09-30\nm1,4,2026-09-30\n"


def test_a_crash_after_the_first_file_is_replaced_is_finished_by_a_rerun(
    run, two_files, tmp_path, monkeypatch
) -> None:
    form = tmp_path / "r.csv"
    form.write_text(RETURN, encoding="utf-8")
    before = _snapshot(two_files)
    with crash_at_replace(monkeypatch, "theme.yaml", after=1):  # between the two files
        run("import", form, "--data", two_files)
    middle = _snapshot(two_files)
    assert middle["a/theme.yaml"] != before["a/theme.yaml"]  # fully updated
    assert b"value: 20" in middle["a/theme.yaml"]
    assert middle["b/theme.yaml"] == before["b/theme.yaml"]  # as it was
    assert journal.journal_path(two_files).is_file()
    again = run("import", form, "--data", two_files)
    assert again.exit_code == 0, again.output
    assert "Finished an interrupted import: wrote data/b/theme.yaml." in again.stderr
    assert "No change: all 2 row(s) are already recorded." in again.stderr
    done = _snapshot(two_files)
    assert b"value: 4" in done["b/theme.yaml"] and done["a/theme.yaml"] == middle["a/theme.yaml"]
    assert not journal.journal_path(two_files).exists()
    assert not list(two_files.rglob(".*.tmp"))  # the staged text left by the crash is gone
    assert run("validate", "--data", two_files).exit_code == 0


@pytest.mark.slow
def test_a_process_killed_mid_import_is_finished_by_a_rerun(run, two_files, tmp_path) -> None:
    """The same, with a real process ended by os._exit (no clean-up code runs)."""
    form = tmp_path / "r.csv"
    form.write_text(RETURN, encoding="utf-8")
    killer = (
        "import os, sys\n"
        "real = os.replace\n"
        "seen = []\n"
        "def replace(src, dst):\n"
        "    if str(dst).endswith('theme.yaml'):\n"
        "        if seen: os._exit(9)\n"
        "        seen.append(dst)\n"
        "    real(src, dst)\n"
        "os.replace = replace\n"
        "from lcrplan.cli import run\n"
        "sys.exit(run(sys.argv[1:]))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]}
    args = ["import", str(form), "--data", str(two_files)]
    killed = subprocess.run([sys.executable, "-c", killer, *args], env=env, capture_output=True)
    assert killed.returncode == 9, killed.stderr
    assert journal.journal_path(two_files).is_file()
    assert list(two_files.rglob(".theme.yaml.*.tmp"))  # left behind by the kill
    again = run("import", form, "--data", two_files)
    assert again.exit_code == 0, again.output
    assert "Finished an interrupted import" in again.stderr
    assert not list(two_files.rglob(".*.tmp"))
    assert b"value: 4" in (two_files / "b" / "theme.yaml").read_bytes()


def test_a_file_changed_after_a_crash_is_left_alone(run, two_files, tmp_path, monkeypatch):
    form = tmp_path / "r.csv"
    form.write_text(RETURN, encoding="utf-8")
    with crash_at_replace(monkeypatch, "theme.yaml"):
        run("import", form, "--data", two_files)
    theme = two_files / "a" / "theme.yaml"
    theme.write_text(theme.read_text() + "# edited by hand since\n")
    result = run("import", form, "--data", two_files)
    assert result.exit_code == 1, result.output
    assert "data/a/theme.yaml changed since an import was interrupted" in result.stderr
    assert "delete it to give up the interrupted import" in result.stderr
    assert theme.read_text().endswith("# edited by hand since\n")


# --- calendar ----------------------------------------------------------------------------------


def test_the_calendar_parses_with_one_event_per_date_and_stable_uids(run, two_files) -> None:
    from icalendar import Calendar

    first = run("calendar", "--as-of", AS_OF, "--data", two_files)
    assert first.exit_code == 0, first.output
    events = Calendar.from_ical(first.stdout).walk("VEVENT")
    found = {str(e["UID"]): e.decoded("DTSTART") for e in events}
    assert len(found) == len(events)  # one event per due date, no UID twice
    assert found["k2.due@lcrplan"] == dt.date(2026, 6, 30)
    assert found["k1.reading@lcrplan"] == dt.date(2025, 9, 30)  # 92 days after the reading
    assert "m1.reading@lcrplan" in found  # never read: due a period after the plan starts
    assert run("calendar", "--as-of", AS_OF, "--data", two_files).stdout == first.stdout
    theme = two_files / "a" / "theme.yaml"
    theme.write_text(theme.read_text().replace("due: 2026-06-30", "due: 2026-12-31"))
    moved = Calendar.from_ical(run("calendar", "--as-of", AS_OF, "--data", two_files).stdout)
    again = {str(e["UID"]): e.decoded("DTSTART") for e in moved.walk("VEVENT")}
    assert again.keys() == found.keys() and again["k2.due@lcrplan"] == dt.date(2026, 12, 31)
