"""Fuzzing: real data files, damaged at random, always give located problems, never a crash.

Each example copies one file from data/ with random bytes flipped, runs deleted and YAML
punctuation inserted, next to the files it refers to, and loads the folder. Whatever the damage,
loading ends with problems of the form `path:line:col: severity: message` (or `path: severity:
message` for a whole file) on lines that exist, and the CLI exits 0 or 1.
`HYPOTHESIS_PROFILE=long` (`make fuzz`) runs 10,000 examples; the default profile 150.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from lcrplan.cli import app
from lcrplan.loader.load import load

from .conftest import DATA, TODAY

pytestmark = pytest.mark.slow  # `make test-fast` leaves fuzzing out

SHARED = ("lcrplan.yaml", "sources.yaml", "bodies.yaml")
FILES = sorted(
    p.relative_to(DATA).as_posix()
    for p in DATA.rglob("*.yaml")
    if not any(part.startswith(".") or part == "schema" for part in p.relative_to(DATA).parts)
)
ORIGINAL = {name: (DATA / name).read_bytes() for name in FILES}

PUNCTUATION = list(":-[]{}#&*!|>'\"%@") + ["\t", "\n", " ", "\r\n"]
FRAGMENTS = [": ", "- ", "\n  ", "\n- ", "? ", "---\n", "...\n", "&a ", "*a", "!!str ", "!x ", "~"]
FRAGMENTS += ["!!python/object/apply:os.system ['true'] ", "<<: ", '"\\', "'", ".nan", "-.inf"]
FRAGMENTS += ["2026-13-45", "1e999", "0x", "{", "[" * 80, "\ufeff", "\x00", "é", "\u2028"]
FRAGMENTS += ["+", "_", ".", "0", "0b", "0o", "e", "9" * 5000, "true", "null", "id: x\n"]

LOCATED = re.compile(r"data/[^:\n]+\.ya?ml(?::(\d+):(\d+))?: (?:error|warning): \S.*")
LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    """(path of a file from data/, its bytes after 1-8 random edits)."""
    name = draw(st.sampled_from(FILES))
    data = bytearray(ORIGINAL[name])
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["flip", "delete", "punctuation", "fragment", "cut"]))
        if edit == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif edit == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif edit == "punctuation":
            data[at:at] = draw(st.sampled_from(PUNCTUATION)).encode()
        elif edit == "fragment":
            data[at:at] = draw(st.sampled_from(FRAGMENTS)).encode()
        elif edit == "cut":
            del data[at:]
    return name, bytes(data)


def write_case(root: Path, name: str, content: bytes) -> Path:
    """A data folder holding the damaged file and the files it refers to, unchanged."""
    data = root / "data"
    folder = Path(name).parent.as_posix()
    neighbours = [
        f for f in FILES if f in SHARED or f in (f"{folder}/board.yaml", f"{folder}/plan.yaml")
    ]
    for rel in {*neighbours, name}:
        path = data / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if rel == name else ORIGINAL[rel])
    return data


def assert_located(line: str, files: dict[str, bytes]) -> None:
    """`line` is one located problem, and its line and column exist in the file it names."""
    match = LOCATED.fullmatch(line)
    assert match, f"not a located problem: {line!r}"
    if match.group(1):
        rel = line.split(":", 1)[0].removeprefix("data/")
        text = files[rel].decode("utf-8-sig", errors="replace")
        lines = len(LINE_BREAK.split(text))
        assert 1 <= int(match.group(1)) <= lines + 1, line
        assert int(match.group(2)) >= 1, line


FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(damaged())
def test_damaged_files_give_located_problems(case: tuple[str, bytes]) -> None:
    name, content = case
    with tempfile.TemporaryDirectory() as tmp:
        data = write_case(Path(tmp), name, content)
        files = {p.relative_to(data).as_posix(): p.read_bytes() for p in data.rglob("*.yaml")}
        loaded = load(data, TODAY, use_cache=False)
    for problem in loaded.problems:
        assert_located(problem.text(), files)


@settings(FUZZ, max_examples=max(10, settings().max_examples // 10))
@given(damaged())
def test_damaged_files_through_the_cli(case: tuple[str, bytes]) -> None:
    name, content = case
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        data = write_case(Path(tmp), name, content)
        files = {p.relative_to(data).as_posix(): p.read_bytes() for p in data.rglob("*.yaml")}
        result = runner.invoke(app, ["validate", "--data", str(data)], catch_exceptions=False)
        assert result.exit_code in (0, 1), result.output
        for line in result.stdout.splitlines():
            assert_located(line, files)
        if result.exit_code == 0:  # valid after all: the other commands must cope with it
            status = runner.invoke(app, ["status", "--data", str(data)], catch_exceptions=False)
            assert status.exit_code == 0, status.output


def typed(value: object) -> object:
    """`value` with every scalar's type kept (True == 1 in Python), NaN made comparable."""
    if isinstance(value, dict):
        return ("map", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    if isinstance(value, float) and value != value:
        return ("float", "nan")
    return (type(value).__name__, value)


@FUZZ
@given(damaged())
def test_the_event_reader_and_the_full_reader_agree(case: tuple[str, bytes]) -> None:
    """`yamlio._read_plain` (the fast reader) gives what the full reader gives, or declines."""
    from lcrplan.source import yamlio

    _, content = case
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return
    if yamlio.guard(text, "x.yaml", 10**7, 64, 100_000):
        return  # refused before any reader
    try:
        fast = yamlio._read_plain(text)
    except (yamlio._Unusual, yamlio.yaml.YAMLError):
        return  # declined: the full reader reports the problem
    loader = yamlio._Loader(text)
    try:
        full = loader.get_single_data()
    finally:
        loader.dispose()
    assert not loader.problems
    assert typed(fast) == typed(full)
