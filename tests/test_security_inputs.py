"""Issue 21, items 2 to 13: every path read or written is the one meant, and every crafted
input is a located error.

One test (or a small table of them) per attack, named after it; each was reproduced on the code
before its fix and fails there. SECURITY.md gives the threat model.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import MINIMAL, REPO, git, theme_file, write_tree
from .helpers.crashes import crash_at_replace
from .helpers.goals import goal, milestone, numeric_kpi

AS_OF = "2026-11-30"


# --- 13. X-WR-CALNAME ------------------------------------------------------------------------


def test_a_title_with_semicolons_and_commas_cannot_add_calendar_parameters(
    run, data_dir, tmp_path
) -> None:
    title = r"Plans; X-EVIL=1, two\three"
    write_tree(data_dir, {"lcrplan.yaml": MINIMAL["lcrplan.yaml"] + f"title: '{title}'\n"})
    out = tmp_path / "plans.ics"
    result = run("calendar", "--as-of", AS_OF, "--data", data_dir, "--output", out)
    assert result.exit_code == 0, result.output
    # RFC 5545, 3.3.11: a TEXT value escapes backslash, semicolon and comma
    assert b"\r\nX-WR-CALNAME:Plans\\; X-EVIL=1\\, two\\\\three\r\n" in out.read_bytes()


# --- data shared by the tests below ------------------------------------------------------------

GOALS = goal(
    due="2027-11-30",
    source='{document: doc, lines: "12"}',
    kpis=[numeric_kpi(), milestone("m1", fields=["due: 2027-06-30"])],
)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A valid data directory at tmp_path/data: goal g1 with numeric KPI k1 and milestone m1."""
    return write_tree(tmp_path / "data", {**MINIMAL, "theme.yaml": theme_file(GOALS)})


def _edit(data: Path, old: str, new: str) -> None:
    theme = data / "theme.yaml"
    text = theme.read_text(encoding="utf-8")
    assert old in text
    theme.write_text(text.replace(old, new, 1), encoding="utf-8")


def _return(tmp_path: Path, text: str, name: str = "return.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- 7. a number of more digits than Python reads ----------------------------------------------

HUGE = "9" * 5000


def test_a_5000_digit_reading_on_the_command_line_is_not_a_number(run, data) -> None:
    result = run("record", "k1", HUGE, "--date", "2026-02-01", "--data", data)
    assert result.exit_code == 2, result.output
    assert f"'{'9' * 40}… (5,000 characters)' is not a plain number" in result.stderr


def test_a_5000_digit_value_in_a_data_file_is_not_a_number_not_nan_or_inf(run, data) -> None:
    _edit(data, "value: 400}", f"value: {HUGE}}}")
    result = run("validate", "--data", data, "--no-source")
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith(
        "data/theme.yaml:21:39: error: kpi k1: measurements[0].value: "
        f"'{'9' * 40}… (5,000 characters)' is not a plain number (write a plain number such as "
        "1000 or 6750000, with no commas or units; a percentage is its number of percent: 40 for "
        '40%, with unit: "%") [LCR205]\n'
    ), result.stdout
    assert ".nan" not in result.stdout


def test_a_5000_digit_setting_is_not_a_whole_number(run, data) -> None:
    write_tree(data, {"lcrplan.yaml": f"due_soon_days: {HUGE}\n"})
    result = run("validate", "--data", data, "--no-source")
    assert result.exit_code == 1, result.output
    assert "due_soon_days: '99999" in result.stdout
    assert "is not a whole number (write a whole number such as 30) [LCR205]" in result.stdout


def test_a_5000_digit_cell_in_a_return_is_not_a_number(run, data, tmp_path) -> None:
    form = _return(tmp_path, f"id,value,date\nk1,{HUGE},2026-09-30\n")
    result = run("import", form, "--data", data)
    assert result.exit_code == 1, result.output
    assert f"{form.as_posix()}:2:value: error: column 'value': '99999" in result.stderr
    assert "(5,000 characters)' is not a plain number" in result.stderr


# --- 12. digits of other scripts -----------------------------------------------------------------


@pytest.mark.parametrize("value", ["５", "٥٠", "१०", "1٠"])
def test_a_reading_in_other_scripts_digits_is_not_a_number(run, data, value) -> None:
    result = run("record", "k1", value, "--date", "2026-02-01", "--data", data)
    assert result.exit_code == 2, result.output
    assert f"'{value}' is not a plain number" in result.stderr
    assert "value: 400}" in (data / "theme.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("k1,٥٠,2026-09-30", "value", "column 'value': '٥٠' is not a plain number"),
        ("k1,50,٣٠/٠٩/٢٠٢٦", "date", "column 'date': '٣٠/٠٩/٢٠٢٦' is not a date"),
        ("k1,50,３０/09/2026", "date", "column 'date': '３０/09/2026' is not a date"),
    ],
)
def test_a_return_in_other_scripts_digits_is_refused(
    run, data, tmp_path, row, column, message
) -> None:
    form = _return(tmp_path, f"id,value,date\n{row}\n")
    result = run("import", form, "--data", data)
    assert result.exit_code == 1, result.output
    assert f"{form.as_posix()}:2:{column}: error: {message}" in result.stderr


def test_an_update_period_in_other_scripts_digits_is_refused(run, data, tmp_path) -> None:
    form = _return(tmp_path, "id,rag,summary,by,period\ng1,green,Fine,chair,２０２６-11\n")
    result = run("import", form, "--data", data)
    assert result.exit_code == 1, result.output
    assert f"{form.as_posix()}:2:period: error: " in result.stderr
    assert "'２０２６-11' is not a period" in result.stderr


def test_a_month_in_other_scripts_digits_is_a_usage_error(run, data) -> None:
    result = run("report", "--month", "٢٠٢٦-١١", "--data", data)
    assert result.exit_code == 2, result.output


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('lines: "12"', 'lines: "١٢"', "source.lines: '١٢' is not in the expected form"),
        ("value: 400}", 'value: "４00"}', "'４00' is not a plain number"),
        ("target: 1000", "target: ５", "'５' is not a plain number"),
    ],
)
def test_a_data_file_in_other_scripts_digits_is_an_error(run, data, old, new, message) -> None:
    _edit(data, old, new)
    result = run("validate", "--data", data, "--no-source")
    assert result.exit_code == 1, result.output
    assert message in result.stdout


# --- 11. control characters in command-line arguments ----------------------------------------


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["explain", "\x1b]0;x\a"], "\\x1b]0;x\\x07"),
        (["status", "--owner", "\x1b]8;;http://evil\a"], "\\x1b]8;;http://evil\\x07"),
        (["record", "a\nb", "5"], "a\\nb"),
        (["show", "a\rb\u202e"], "a\\rb\\u202e"),
        (["record", "k1", "5", "--date", "2026-01-01\x1b[2J"], "2026-01-01\\x1b[2J"),
        (["diff", "main\x1b[2J"], "main\\x1b[2J"),
    ],
)
def test_control_characters_in_arguments_are_escaped_in_error_messages(
    run, data, args, shown
) -> None:
    git(data, "init", "-q")
    git(data, "add", "-A")
    git(data, "commit", "-q", "-m", "plans")
    if args[0] != "explain":
        args = [*args, "--data", str(data)]
    result = run(*args)
    assert result.exit_code in (1, 2), result.output
    assert shown in result.stderr
    assert not any(c in result.stderr for c in "\x1b\x07\r\u202e"), result.stderr
    assert "a\nb" not in result.stderr


def test_a_written_files_name_is_escaped_when_printed(run, data, tmp_path) -> None:
    out = tmp_path / "r\x1b]0;x\a.md"
    result = run("report", "--data", data, "--as-of", AS_OF, "--output", out)
    assert result.exit_code == 0, result.output
    assert out.is_file()
    assert "r\\x1b]0;x\\x07.md" in result.stdout
    assert "\x1b" not in result.stdout


# --- 9. cycles of parents --------------------------------------------------------------------

LONE_GOALS = """
    - id: g1
      title: Engage people
      source: {document: doc}
    - id: g2
      title: Engage more people
      source: {document: doc}
    - id: g3
      title: Engage everyone
      source: {document: doc}
    """


def _goals_with_parents(data_dir: Path, parents: dict[str, str]) -> None:
    text = theme_file(LONE_GOALS)
    for goal_id, parent in parents.items():
        text = text.replace(f"  - id: {goal_id}\n", f"  - id: {goal_id}\n    parent: {parent}\n")
    write_tree(data_dir, {"theme.yaml": text})


def test_a_goal_that_is_its_own_parent_is_an_error_and_still_unmeasured(run, data_dir) -> None:
    _goals_with_parents(data_dir, {"g1": "g1"})
    result = run("validate", "--data", data_dir, "--no-source")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "data/theme.yaml:9:13: error: goal g1: is its own parent (a goal's parent is the goal "
        "it belongs to: name another goal, or remove `parent`) [LCR415]"
    )
    assert "data/theme.yaml:10:12: warning: goal g1: has no KPI" in result.stdout  # not silenced


def test_two_goals_that_are_each_others_parent_are_one_error_naming_both(run, data_dir) -> None:
    _goals_with_parents(data_dir, {"g1": "g2", "g2": "g1", "g3": "g1"})
    result = run("validate", "--data", data_dir, "--no-source")
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert errors == [
        "data/theme.yaml:9:13: error: goal g1: its parents lead back to it: g1 -> g2 -> g1 "
        "(a goal's parent is the goal it belongs to: name another goal, or remove `parent`) "
        "[LCR415]"
    ]


def _boards(data_dir: Path, parents: str) -> None:
    sources = textwrap.dedent(MINIMAL["sources.yaml"]).lstrip("\n")
    one = "    chairs: [chair]\npeople:"
    assert one in sources
    write_tree(data_dir, {"sources.yaml": sources.replace(one, parents + "people:")})


def test_a_board_in_a_cycle_of_parents_is_an_error(run, data_dir) -> None:
    board = "    chairs: [chair]\n    parent: other\n"
    _boards(data_dir, board + "  - id: other\n    name: Other\n    parent: board\n")
    result = run("validate", "--data", data_dir, "--no-source")
    assert result.exit_code == 1, result.output
    assert (
        "data/sources.yaml:8:13: error: board board: its parents lead back to it: board -> other "
        "-> board (a board's parent is the board it reports to: name another board, or remove "
        "`parent`) [LCR415]\n"
    ) in result.stdout
    _boards(data_dir, "    chairs: [chair]\n    parent: board\n")
    alone = run("validate", "--data", data_dir, "--no-source")
    assert alone.exit_code == 1, alone.output
    assert "data/sources.yaml:8:13: error: board board: is its own parent" in alone.stdout


# --- 6. what a killed import leaves behind -----------------------------------------------------


def test_staged_copies_a_killed_import_left_are_removed_by_the_next_write(
    run, data, tmp_path
) -> None:
    # kill -9 after staging, before the journal: mkstemp's names, and no finally ran
    stale = [data / ".theme.yaml.k1ll3d_x.tmp", data / ".theme.yaml.0a1b2c3d.tmp"]
    for path in stale:
        path.write_text("half an import\n")
    other = data / ".theme.yaml.x.abcdefgh.tmp"  # another file's (theme.yaml.x) staged copy
    other.write_text("not ours\n")
    form = _return(tmp_path, "id,value,date\nk1,500,2026-09-30\n")
    result = run("import", form, "--data", data)
    assert result.exit_code == 0, result.output
    assert not any(path.exists() for path in stale)
    assert other.exists()
    stale[0].write_text("left by a killed record\n")
    result = run("record", "k1", "600", "--date", "2026-10-31", "--data", data)
    assert result.exit_code == 0, result.output
    assert not stale[0].exists()


def test_validate_says_an_import_is_unfinished_until_the_next_import(
    run, data, tmp_path, monkeypatch
) -> None:
    other = GOALS.replace("id: g1", "id: g2").replace("id: k1", "id: k2").replace("m1", "m2")
    write_tree(data, {"other.yaml": theme_file(other, "other")})
    form = _return(tmp_path, "id,value,date\nk1,500,2026-09-30\nk2,5,2026-09-30\n")
    with crash_at_replace(monkeypatch, "other.yaml"):
        run("import", form, "--data", data)
    result = run("validate", "--data", data, "--no-source")
    assert result.exit_code == 1, result.output
    message = (
        "error: an import into this file was interrupted and is unfinished (run lcrplan import "
        "again with the same returns to finish it) [LCR716]"
    )
    assert f"data/other.yaml: {message}" in result.stdout
    assert f"data/theme.yaml: {message}" in result.stdout
    again = run("import", form, "--data", data)
    assert again.exit_code == 0, again.output
    assert run("validate", "--data", data).exit_code == 0


@pytest.mark.parametrize("name", [".theme.yaml.k1ll3d_x.tmp", ".theme.yaml.lock"])
def test_what_a_killed_writer_leaves_is_git_ignored(run, tmp_path, name) -> None:
    ignored = subprocess.run(
        ["git", "-C", str(REPO), "check-ignore", "--no-index", "-q", f"data/x/{name}"],
        check=False,
    )
    assert ignored.returncode == 0, f"this repository's .gitignore must ignore {name}"
    target = tmp_path / "new"
    assert run("init", target).exit_code == 0
    git(target, "init", "-q")
    (target / "data" / "example" / name).write_text("")
    assert name not in git(target, "status", "--porcelain", "--untracked-files=all")


# --- 2. writes through a link in a parent folder -----------------------------------------------


@pytest.fixture
def repo_with_link(tmp_path: Path, data: Path, monkeypatch) -> tuple[Path, Path]:
    """The working directory is tmp_path (holding data/); `elsewhere` is outside it, and the
    link `out -> elsewhere` is the kind a pull request can commit."""
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    elsewhere.mkdir()
    (tmp_path / "out").symlink_to(elsewhere, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path, elsewhere


OUTPUTS = {
    "report": ["report", "--month", "2026-11", "--output", "out/{month}.md"],
    "report-html": ["report", "--month", "2026-11", "--format", "html", "--output", "out/r.html"],
    "report-deeper": ["report", "--month", "2026-11", "--output", "out/a/b/{month}.md"],
    "requests-forms": ["requests", "--period", "2026-11", "--as-of", AS_OF, "--forms", "out/f"],
    "requests-output": ["requests", "--period", "2026-11", "--as-of", AS_OF, "-o", "out/r.md"],
    "calendar": ["calendar", "--as-of", AS_OF, "--output", "out/plans.ics"],
    "schema": ["schema", "--output", "out/schema"],
    "site": ["site", "out/site", "--month", "2026-11", "--no-history"],
    "init": ["init", "out/new"],
}


@pytest.mark.parametrize("command", OUTPUTS)
def test_a_committed_link_in_a_parent_folder_takes_no_write_outside(
    run, repo_with_link, command
) -> None:
    _, elsewhere = repo_with_link
    args = OUTPUTS[command]
    if args[0] not in ("schema", "init"):
        args = [*args, "--data", "data"]
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "'out' is a symbolic link" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_a_link_named_on_the_command_line_is_refused_too(run, repo_with_link) -> None:
    """`make schema` names `data/schema`; a pull request can make that folder a link, so a link
    is refused even where it is the folder the command was given."""
    _, elsewhere = repo_with_link
    result = run("schema", "--output", "out")
    assert result.exit_code == 2, result.output
    assert "'out' is a symbolic link" in result.output
    forms = run("requests", "--period", "2026-11", "--as-of", AS_OF, "--forms", "out", "-d", "data")
    assert forms.exit_code == 2, forms.output
    assert list(elsewhere.iterdir()) == []


def test_a_link_above_the_working_directory_is_followed(run, data, tmp_path, monkeypatch) -> None:
    real = tmp_path / "real"
    (real / "work").mkdir(parents=True)
    (tmp_path / "linked").symlink_to(real, target_is_directory=True)  # as /tmp on macOS
    monkeypatch.chdir(tmp_path / "linked" / "work")
    out = tmp_path / "linked" / "work" / "reports" / "r.md"
    result = run("report", "--month", "2026-11", "--output", out, "--data", data)
    assert result.exit_code == 0, result.output
    assert (real / "work" / "reports" / "r.md").is_file()


# --- 3, 4. crafted XLSX files: bounded, and every damage a located error -----------------------

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>value</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>date</t></is></c></row>'
)
GOOD_ROW = (
    '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>20</v></c>'
    '<c r="C2" t="s"><v>1</v></c></row>'
)
SHEETS = '<sheets><sheet name="Return" sheetId="1" r:id="rId1"/></sheets>'


def xlsx_bytes(
    rows: str = HEADER_ROW + GOOD_ROW,
    strings: tuple[str, ...] = ("k1", "2026-09-30"),
    dimension: str = "",
    sheets: str = SHEETS,
    sheet_xml: bytes | None = None,
) -> bytes:
    """A workbook written by hand: one sheet "Return" holding `rows` (the XML of <row>s),
    `strings` as its shared strings; `sheet_xml` replaces the whole sheet part."""
    import io
    import zipfile

    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.'
        'xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'sharedStrings+xml"/></Types>'
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
        f'{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    book = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} xmlns:r="{REL}">{sheets}</workbook>'
    )
    book_rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
        f'{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="'
        f'{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    shared = "".join(f"<si><t>{s}</t></si>" for s in strings)
    shared_xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="{len(strings)}">{shared}</sst>'
    )
    if sheet_xml is None:
        dim = f'<dimension ref="{dimension}"/>' if dimension else ""
        sheet_xml = (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>{dim}<sheetData>{rows}'
            "</sheetData></worksheet>"
        ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        archive.writestr("xl/sharedStrings.xml", shared_xml)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return out.getvalue()


def _import(run, data: Path, path: Path):
    result = run("import", path, "--data", data, "--dry-run")
    assert result.exit_code != 3, result.output
    return result


def test_a_workbook_written_by_hand_imports(run, data, tmp_path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(xlsx_bytes())
    result = _import(run, data, path)
    assert result.exit_code == 0, result.output
    assert "+          - {date: 2026-09-30, value: 20}" in result.stdout


def test_a_declared_width_of_16384_columns_is_ignored(run, data, tmp_path, monkeypatch) -> None:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    asked: list[tuple[object, ...]] = []
    real = ReadOnlyWorksheet._cells_by_row

    def spy(self, min_col, min_row, max_col, max_row, values_only=False):
        asked.append((min_col, min_row, max_col, max_row))
        return real(self, min_col, min_row, max_col, max_row, values_only)

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", spy)
    path = tmp_path / "r.xlsx"
    path.write_bytes(xlsx_bytes(dimension="A1:XFD1048576"))
    result = _import(run, data, path)
    assert result.exit_code == 0, result.output
    assert asked == [(1, 1, 3, 2)]  # the header's 3 columns, the 2 rows there are


@pytest.mark.parametrize(
    ("rows", "where", "message"),
    [
        (
            HEADER_ROW + '<row r="2"><c r="XFD2"><v>1</v></c></row>',
            "Return!XFD2",
            "a cell in column 16,384 (XFD): a return has at most 64 columns",
        ),
        (
            HEADER_ROW + '<row r="2">' + "<c><v>1</v></c>" * 65 + "</row>",
            "Return!BM2",
            "a cell in column 65 (BM): a return has at most 64 columns",
        ),
        (
            HEADER_ROW + '<row r="1048576"><c r="A1048576"><v>1</v></c></row>',
            "Return!A1048576",
            "more than 100,001 rows: a return has at most 100,000 rows under its header",
        ),
    ],
)
def test_a_sheet_wider_or_longer_than_a_return_is_refused_before_it_is_read(
    run, data, tmp_path, monkeypatch, rows, where, message
) -> None:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    def unread(*args, **kwargs):
        raise AssertionError("the sheet was read")

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", unread)
    path = tmp_path / "r.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    result = _import(run, data, path)
    assert result.exit_code == 1, result.output
    assert f"{path.as_posix()}:{where}: error: {message}" in result.stderr
    assert "[LCR713]" in result.stderr


def test_a_megabyte_line_of_commas_is_refused_by_its_width(run, data, tmp_path) -> None:
    form = _return(tmp_path, "id,value,date\n" + "," * 1_000_000 + "\n")
    result = run("import", form, "--data", data)
    assert result.exit_code == 1, result.output
    assert (
        f"{form.as_posix()}:2:column 65: error: row 2 has 1,000,001 columns: a return has at "
        "most 64"
    ) in result.stderr


def _lying_size(content: bytes, name: str, size: int) -> bytes:
    """The zip with the uncompressed size of `name` written as `size` in both its headers."""
    import io
    import struct
    import zipfile

    info = zipfile.ZipFile(io.BytesIO(content)).getinfo(name)
    raw = bytearray(content)
    struct.pack_into("<I", raw, info.header_offset + 22, size)  # the local header
    central = raw.index(b"PK\x01\x02")
    while raw[central + 46 : central + 46 + len(name)] != name.encode():
        central = raw.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", raw, central + 24, size)  # the central directory's entry
    return bytes(raw)


SHEET = "xl/worksheets/sheet1.xml"
WHOLE = xlsx_bytes()


def _sheet_xml() -> bytes:
    import io
    import zipfile

    return zipfile.ZipFile(io.BytesIO(WHOLE)).read(SHEET)


MALFORMED = {
    "nan-number": (
        xlsx_bytes(
            HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>NaN</v></c></row>'
        ),
        "Return!B2",
        "the number cell holds 'NaN', which is not a number",
    ),
    "infinite-number": (
        xlsx_bytes(HEADER_ROW + '<row r="2"><c r="B2"><v>1e999</v></c></row>'),
        "Return!B2",
        "the number cell holds '1e999', which is not a number",
    ),
    "other-scripts-digits": (
        xlsx_bytes(HEADER_ROW + '<row r="2"><c r="B2"><v>٥</v></c></row>'),
        "Return!B2",
        "the number cell holds '٥', which is not a number",
    ),
    "shared-string-out-of-range": (
        xlsx_bytes(HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>99</v></c></row>'),
        "Return!A2",
        "the text cell points at shared string 99, and there are 2",
    ),
    "bad-date": (
        xlsx_bytes(HEADER_ROW + '<row r="2"><c r="C2" t="d"><v>2026-13-45</v></c></row>'),
        "Return!C2",
        "the date cell holds '2026-13-45', which is not a date",
    ),
    "bad-boolean": (
        xlsx_bytes(HEADER_ROW + '<row r="2"><c r="B2" t="b"><v>zz</v></c></row>'),
        "Return!B2",
        "the TRUE/FALSE cell holds 'zz', not 0 or 1",
    ),
    "unknown-type": (
        xlsx_bytes(HEADER_ROW + '<row r="2"><c r="B2" t="zz"><v>1</v></c></row>'),
        "Return!B2",
        "the cell's type 'zz' is not one a spreadsheet writes",
    ),
    "bad-style": (
        xlsx_bytes(HEADER_ROW + '<row r="2"><c r="B2" s="zz"><v>1</v></c></row>'),
        "Return!B2",
        "the cell's style 'zz' is not a number",
    ),
    "bad-cell-reference": (
        xlsx_bytes(HEADER_ROW + '<row r="2"><c r="!!"><v>1</v></c></row>'),
        "Return!2:2",
        "a cell's reference '!!' is not one like B2",
    ),
    "cell-in-another-row": (
        xlsx_bytes(HEADER_ROW + '<row r="2"><c r="B7"><v>1</v></c></row>'),
        "Return!2:2",
        "a cell's reference 'B7' is not in row 2, where it is written",
    ),
    "bad-row-number": (
        xlsx_bytes(HEADER_ROW + '<row r="x"><c><v>1</v></c></row>'),
        "Return!2:2",
        "the row after row 1 is numbered 'x', not a number",
    ),
    "rows-out-of-order": (
        xlsx_bytes(HEADER_ROW + GOOD_ROW + '<row r="2"><c r="A2"><v>1</v></c></row>'),
        "Return!2:2",
        "row 2 comes after row 2: rows are in order, each once",
    ),
    "truncated-sheet": (
        xlsx_bytes(sheet_xml=_sheet_xml()[:-40]),
        "row 2",
        "the sheet is cut short after row 2: the file is damaged",
    ),
    "entity-bomb": (
        xlsx_bytes(
            sheet_xml=b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 '
            b'"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            + _sheet_xml().split(b"?>", 1)[1].replace(b"<v>20</v>", b"<v>&lol2;</v>")
        ),
        "",
        "the XLSX's part xl/worksheets/sheet1.xml declares entities (<!DOCTYPE>), which a "
        "spreadsheet never writes",
    ),
    "size-said-smaller": (
        _lying_size(WHOLE, SHEET, 100),
        "",
        "the XLSX is damaged: the size or checksum of xl/worksheets/sheet1.xml is wrong",
    ),
    "size-said-larger": (
        _lying_size(WHOLE, SHEET, 5_000),
        "",
        "the XLSX is damaged: the size or checksum of xl/worksheets/sheet1.xml is wrong",
    ),
    "no-sheets": (
        xlsx_bytes(sheets="<sheets/>"),
        "",
        "the workbook has no sheet",
    ),
    "not-a-zip": (b"PK\x03\x04 not really", "", "not an XLSX file (it is not a zip archive)"),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_xlsx_is_a_located_error(run, data, tmp_path, case) -> None:
    content, where, message = MALFORMED[case]
    path = tmp_path / "r.xlsx"
    path.write_bytes(content)
    result = _import(run, data, path)
    assert result.exit_code == 1, result.output
    place = f"{path.as_posix()}:{where}" if where else path.as_posix()
    assert f"{place}: error: {message}" in result.stderr
    assert "[LCR713]" in result.stderr


# --- 5. returns that are not regular files -----------------------------------------------------

posix_only = pytest.mark.skipif(os.name != "posix", reason="devices, pipes and links of POSIX")


def _import_in_a_process(data: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    """`lcrplan import FILE...` in its own process, stopped if it has not ended in a minute (a
    guard against a hang, not a measure of speed)."""
    import sys

    args = [sys.executable, "-m", "lcrplan", "import", *map(str, files), "--data", str(data)]
    env = {**os.environ, "LCRPLAN_FAST_EXIT": "0"}
    return subprocess.run(args, capture_output=True, text=True, timeout=60, env=env, check=False)


@posix_only
def test_a_return_linked_to_dev_zero_is_refused_unread(data, tmp_path) -> None:
    form = tmp_path / "r.csv"
    form.symlink_to("/dev/zero")
    done = _import_in_a_process(data, form)
    assert done.returncode == 1, done.stderr
    assert f"{form.as_posix()}: error: is a symbolic link: import reads regular files only" in (
        done.stderr
    )


@posix_only
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_named_as_a_return_is_refused_unread(data, device) -> None:
    done = _import_in_a_process(data, Path(device))  # skipped unread: not a form by its name
    assert done.returncode == 2, done.stderr
    assert f"Skipped {device}: not a return form (import reads .csv and .xlsx files)." in (
        done.stderr
    )
    assert "no return form (.csv or .xlsx) among them" in done.stderr


@posix_only
def test_a_fifo_as_a_return_is_refused_without_waiting(data, tmp_path) -> None:
    fifo = tmp_path / "r.csv"
    os.mkfifo(fifo)
    done = _import_in_a_process(data, fifo)
    assert done.returncode == 1, done.stderr
    assert "is not a regular file (a device, a pipe or a folder)" in done.stderr


@posix_only
def test_a_return_linked_to_a_secret_is_not_read(run, data, tmp_path) -> None:
    secret = tmp_path.parent / f"{tmp_path.name}-secret.csv"
    secret.write_text("id\nroot:x:0:0:secret-token\n")
    form = tmp_path / "r.csv"
    form.symlink_to(secret)
    result = run("import", form, "--data", data)
    assert result.exit_code == 1, result.output
    assert "is a symbolic link" in result.stderr
    assert "secret-token" not in result.output


@posix_only
def test_a_return_in_a_linked_folder_is_not_read(run, data, tmp_path, monkeypatch) -> None:
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    elsewhere.mkdir()
    (elsewhere / "r.csv").write_text("id\nroot:x:0:0:secret-token\n")
    (tmp_path / "returns").symlink_to(elsewhere, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    result = run("import", "returns/r.csv", "--data", data)
    assert result.exit_code == 1, result.output
    assert "returns/r.csv: error: 'returns' is a symbolic link" in result.stderr
    assert "secret-token" not in result.output


def test_a_five_megabyte_id_in_a_return_is_refused_briefly(run, data, tmp_path) -> None:
    rows = HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>20</v></c></row>'
    path = tmp_path / "r.xlsx"
    path.write_bytes(xlsx_bytes(rows, strings=("k" * 5_000_000, "2026-09-30")))
    result = _import(run, data, path)
    assert result.exit_code == 1, result.output
    assert f"{path.as_posix()}:Return!A2: error: column 'id' holds 5,000,000 characters" in (
        result.stderr
    )
    assert len(result.stderr) < 1_000


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(
    run, data, tmp_path, monkeypatch
) -> None:
    import openpyxl

    def unparsed(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", unparsed)
    write_tree(data, {"lcrplan.yaml": "limits:\n  max_file_bytes: 1000\n"})
    path = tmp_path / "r.xlsx"
    path.write_bytes(xlsx_bytes())
    result = _import(run, data, path)
    assert result.exit_code == 1, result.output
    size = path.stat().st_size
    assert f"{path.as_posix()}: error: file is {size:,} bytes, over the limit of 1,000" in (
        result.stderr
    )


@pytest.mark.skipif(os.name != "posix", reason="resource limits are POSIX")
def test_the_issues_crafted_returns_are_refused_within_768_mb(data, tmp_path) -> None:
    """The reproductions of issue 21 (a few KB claiming 16,384 columns took 4 GB; a megabyte of
    commas took 206 MB), each imported in a process whose address space is capped."""
    import resource
    import sys

    cap = 768 * 2**20
    widest = HEADER_ROW + "".join(
        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>'
        for r in range(2, 3001)  # no such id
    )
    files = {
        "dimension.xlsx": xlsx_bytes(widest, dimension="A1:XFD3000"),
        "far-cell.xlsx": xlsx_bytes(HEADER_ROW + '<row r="2"><c r="XFD2"><v>1</v></c></row>'),
        "commas.csv": b"id,value,date\n" + b"," * 1_000_000 + b"\n",
    }
    for name, content in files.items():
        path = tmp_path / name
        path.write_bytes(content)
        done = subprocess.run(
            [sys.executable, "-m", "lcrplan", "import", str(path), "--data", str(data)],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "LCRPLAN_FAST_EXIT": "0"},
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (cap, cap)),
            check=False,
        )
        assert done.returncode == 1, (name, done.stderr[-2000:])
        assert f"{path.as_posix()}:" in done.stderr and "[LCR71" in done.stderr, done.stderr


XML_BITS = st.sampled_from(
    [
        '<c r="B2">',
        "</c>",
        "<v>",
        "</v>",
        '<row r="3">',
        "</row>",
        ' t="s"',
        ' t="b"',
        ' t="d"',
        ' t="n"',
        ' s="1"',
        "NaN",
        "1e999",
        "99",
        "-",
        "٥",
        "2026-13-01",
        '"',
        "<",
        "&amp;",
        "<f>",
        "</f>",
        "<is><t>x</t></is>",
        'r="A0"',
        "XFD9",
        "\u0000",
    ]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(at=st.integers(0, 10_000), cut=st.integers(0, 40), bits=st.lists(XML_BITS, max_size=4))
def test_a_damaged_sheet_is_never_an_internal_error(run, data, tmp_path, at, cut, bits) -> None:
    sheet = _sheet_xml().decode()
    at %= len(sheet)
    damaged = (sheet[:at] + "".join(bits) + sheet[at + cut :]).encode()
    path = tmp_path / "r.xlsx"
    path.write_bytes(xlsx_bytes(sheet_xml=damaged))
    result = _import(run, data, path)
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert "[LCR71" in result.stderr, result.stderr


# --- 8. duplicates in a return, and where an import's errors are placed --------------------------


@pytest.mark.parametrize("replace", [[], ["--replace"]])
def test_two_done_rows_for_one_milestone_are_refused_at_the_second(
    run, data, tmp_path, replace
) -> None:
    form = _return(tmp_path, "id,value,date\nm1,done,2026-09-01\nm1,done,2026-09-30\n")
    result = run("import", form, *replace, "--data", data)
    assert result.exit_code == 1, result.output
    assert (
        f"{form.as_posix()}:3:value: error: 'm1' done is given twice (first at "
        f"{form.as_posix()}:2:value: keep one of them) [LCR714]"
    ) in result.stderr
    assert "theme.yaml" not in result.stderr
    assert "done:" not in (data / "theme.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("header", "column", "message"),
    [
        ("id,value,date,New value", "New value", "column 'New value' is 'value' again (column 2"),
        ("id,KPI,value,date", "KPI", "column 'KPI' is 'id' again (column 1 is 'id')"),
        ("id,id,value,date", "id", "column 'id' is 'id' again (column 1 is 'id')"),
    ],
)
def test_a_column_given_twice_is_refused_at_its_header(
    run, data, tmp_path, header, column, message
) -> None:
    width = header.count(",") + 1
    form = _return(tmp_path, f"{header}\n" + ",".join(["k1", "20", "2026-09-30", "30"][:width]))
    result = run("import", form, "--data", data)
    assert result.exit_code == 1, result.output
    assert f"{form.as_posix()}:1:{column}: error: {message}" in result.stderr


def test_an_error_the_import_would_make_is_placed_at_the_returns_cell(run, data, tmp_path) -> None:
    # a reading dated before the baseline: the data set's check (LCR405) finds it
    form = _return(tmp_path, "id,value,date\nk1,20,2024-06-30\n")
    result = run("import", form, "--data", data)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(
        f"{form.as_posix()}:2:value: error: kpi k1: baseline dated 2025-01-01 is after a "
        "measurement dated 2024-06-30, once this row is imported into data/theme.yaml"
    ), result.stderr
    assert "data/theme.yaml:" not in result.stderr


def test_a_file_level_error_the_import_would_make_is_placed_at_the_first_row(
    run, data, tmp_path
) -> None:
    limit = (data / "theme.yaml").stat().st_size + 10  # one more reading is over it
    write_tree(data, {"lcrplan.yaml": f"limits:\n  max_file_bytes: {limit}\n"})
    form = _return(tmp_path, "id,value,date\nk1,20,2026-09-30\nk1,30,2026-10-31\n")
    result = run("import", form, "--data", data)
    assert result.exit_code == 1, result.output
    assert f"{form.as_posix()}:2:value: error: file is " in result.stderr
    assert f"over the limit of {limit:,}, once this row is imported into data/theme.yaml" in (
        result.stderr
    )
    assert "data/theme.yaml:" not in result.stderr


# --- 10. git blobs over the size limit -----------------------------------------------------------


@pytest.fixture
def repo_with_a_big_file(data: Path) -> Path:
    """data/ in git: the commit `big` adds a file over the size limit (20,000 bytes here, set in
    lcrplan.yaml), the next commit deletes it."""
    write_tree(data, {"lcrplan.yaml": "limits:\n  max_file_bytes: 20000\n"})
    git(data, "init", "-q")
    git(data, "add", "-A")
    git(data, "commit", "-q", "-m", "plans")
    (data / "big.yaml").write_text("# " + "x" * 50_000 + "\n")
    git(data, "add", "-A")
    git(data, "commit", "-q", "-m", "a big file")
    git(data, "tag", "big")
    (data / "big.yaml").unlink()
    git(data, "commit", "-q", "-am", "gone again")
    return data


def _reads_and_copies(monkeypatch) -> tuple[list[int], list[Path]]:
    """The sizes of the blob contents git gives lcrplan, and the files written in temporary
    folders, from now on."""
    import tempfile

    from lcrplan.source import gitio

    given: list[int] = []
    real_run = gitio.run_git

    def run_git(args, cwd, stdin=None):
        out = real_run(args, cwd, stdin)
        if args[:2] == ["cat-file", "--batch"]:
            given.append(len(out))
        return out

    monkeypatch.setattr(gitio, "run_git", run_git)
    written: list[Path] = []
    real_write = Path.write_bytes

    def write_bytes(self, content):
        if str(self).startswith(tempfile.gettempdir()) and len(content) > 20_000:
            written.append(self)
        return real_write(self, content)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    return given, written


def test_diff_with_a_blob_over_the_limit_neither_reads_nor_copies_it(
    run, repo_with_a_big_file, monkeypatch
) -> None:
    data = repo_with_a_big_file
    given, written = _reads_and_copies(monkeypatch)
    result = run("diff", "big", "--data", data, "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    assert "data/big.yaml:1:1: error: file is 50,003 bytes, over the limit of 20,000" in (
        result.stderr
    )
    assert all(size < 20_000 for size in given), given
    assert written == []


def test_the_site_history_with_a_deleted_big_blob_neither_reads_nor_copies_it(
    run, repo_with_a_big_file, tmp_path, monkeypatch
) -> None:
    given, written = _reads_and_copies(monkeypatch)
    result = run("site", tmp_path / "site", "--data", repo_with_a_big_file, "--month", "2026-11")
    assert result.exit_code == 0, result.output
    assert given and all(size < 20_000 for size in given), given
    assert written == []
