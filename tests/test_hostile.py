"""Hostile YAML: nothing is built from tags, and inputs made to exhaust time, memory or the C
stack are refused quickly with a clear message. Each runs `lcrplan validate` in its own process
with a time limit and a memory cap, so a hang, a blow-up or a segfault fails the test rather than
the test run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import MINIMAL, theme_file, write_tree

TIMEOUT_S = 20
MEMORY_CAP = 1 << 30  # 1 GiB of address space

LIMIT_HINT = "split it into smaller files, or raise limits.max_file_bytes in lcrplan.yaml"
DEPTH_HINT = "flatten the structure, or raise limits.max_depth in lcrplan.yaml"
ITEMS_HINT = "split it across files, or raise limits.max_list_items in lcrplan.yaml"
ALIAS = "aliases (*name) are not allowed (write the value out in full) [LCR103]"
TAG_HINT = "data files hold plain values: remove the tag"


def _cap_memory() -> None:
    import resource  # POSIX only: on Windows the timeout alone bounds a run

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def validate(data: Path) -> tuple[int, list[str]]:
    """Run `lcrplan validate` in a capped child process: (exit code, problem lines). A run
    that does not finish within TIMEOUT_S fails the test, naming the files it was given; one
    killed by a signal (the memory cap, a crash) fails it with what it printed."""
    command = [sys.executable, "-m", "lcrplan", "validate", "--data", str(data), "--no-cache"]
    try:
        proc = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            preexec_fn=_cap_memory if os.name == "posix" else None,
            cwd=data.parent,
            env={**os.environ, "PYTHONFAULTHANDLER": "1"},
        )
    except subprocess.TimeoutExpired:
        names = ", ".join(sorted(p.name for p in data.iterdir()))
        pytest.fail(f"lcrplan validate ran past {TIMEOUT_S} s on {data} ({names})")
    output = proc.stdout + proc.stderr
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode}:\n{output}"
    assert "Traceback" not in output and "internal error" not in output, output
    summary = proc.stderr.splitlines()[-1] if proc.stderr else ""
    assert re.match(r"(no errors|\d+ error\(s\) in \d+ file\(s\)), ", summary), output
    lines = [ln for ln in proc.stdout.splitlines() if ": error: " in ln or ": warning: " in ln]
    return proc.returncode, lines


def tree(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    return write_tree(tmp_path / "data", {**MINIMAL, **files})


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# --- tags -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, tag",
    [
        ("!!python/object/apply:os.system ['touch PWNED']", "!!python/object/apply:os.system"),
        ("!!python/object/new:os.system ['touch PWNED']", "!!python/object/new:os.system"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!!python/object:__main__.Evil {cmd: touch PWNED}", "!!python/object:__main__.Evil"),
        ("!secret PWNED", "!secret"),
        ("!!binary UFdORUQ=", "!!binary"),
        ("!!float PWNED", "!!float"),
        ("!!set {PWNED}", "!!set"),
    ],
)
def test_tags_build_nothing_and_are_reported(tmp_path: Path, value: str, tag: str) -> None:
    data = tree(tmp_path, {"evil.yaml": f"boards:\n  - id: evil\n    name: {value}\n"})
    code, lines = validate(data)
    assert code == 1
    assert lines == [
        f"data/evil.yaml:3:11: error: tag '{tag}' is not allowed ({TAG_HINT}) [LCR104]"
    ]
    assert not (tmp_path / "PWNED").exists()
    assert not (data / "PWNED").exists()


def test_every_tag_in_a_file_is_reported(tmp_path: Path) -> None:
    data = tree(
        tmp_path,
        {"evil.yaml": "boards:\n  - id: !id evil\n    name: !!str 12\n    remit: !secret x\n"},
    )
    code, lines = validate(data)
    assert code == 1
    assert lines == [
        f"data/evil.yaml:2:9: error: tag '!id' is not allowed ({TAG_HINT}) [LCR104]",
        f"data/evil.yaml:3:11: error: tag '!!str' is not allowed ({TAG_HINT}) [LCR104]",
        f"data/evil.yaml:4:12: error: tag '!secret' is not allowed ({TAG_HINT}) [LCR104]",
    ]


# --- aliases --------------------------------------------------------------------------------------


def test_billion_laughs_is_refused_at_every_alias(tmp_path: Path) -> None:
    data = tree(tmp_path, {"bomb.yaml": billion_laughs()})
    code, lines = validate(data)
    assert code == 1
    assert len(lines) == 8 * 9
    assert lines[0] == f"data/bomb.yaml:2:8: error: {ALIAS}"
    assert lines[-1] == f"data/bomb.yaml:9:32: error: {ALIAS}"


def test_a_run_past_the_time_limit_fails_the_test_naming_its_input(tmp_path, monkeypatch):
    data = tree(tmp_path, {"bomb.yaml": billion_laughs()})

    def hangs(command, **kwargs):
        raise subprocess.TimeoutExpired(command, kwargs["timeout"])

    monkeypatch.setattr(subprocess, "run", hangs)
    with pytest.raises(pytest.fail.Exception, match=rf"ran past {TIMEOUT_S} s on .*bomb\.yaml"):
        validate(data)


def test_aliased_kpis_are_refused_before_they_multiply(tmp_path: Path) -> None:
    # One KPI with many measurements, aliased many times: a million objects from a few KB.
    kpi = (
        "      - &k\n        id: k\n        kind: numeric\n        title: t\n        target: 1\n"
        "        unit: u\n        source: {document: doc}\n        measurements: &m\n"
        + "".join(f"          - {{date: 2025-01-{d:02d}, value: {d}}}\n" for d in range(1, 29))
    )
    goal = "  - id: g\n    title: G\n    source: {document: doc}\n    kpis:\n" + kpi
    goal += "".join("      - *k\n" for _ in range(1000))
    data = tree(tmp_path, {"theme.yaml": theme_file("").rstrip("\n") + "\n" + goal})
    code, lines = validate(data)
    assert code == 1
    assert lines[0] == f"data/theme.yaml:48:9: error: {ALIAS}"
    assert len(lines) == 1000


# --- depth, length and size -----------------------------------------------------------------------

DEEP = 100_000


@pytest.mark.parametrize(
    "text, where",
    [
        pytest.param("a: " + "[" * DEEP + "]" * DEEP + "\n", "1:67", id="flow-lists"),
        pytest.param("a: " + "[" * DEEP + "\n", "1:67", id="flow-lists-unclosed"),
        pytest.param("a: " + "{a: " * DEEP + "1" + "}" * DEEP + "\n", "1:256", id="flow-maps"),
        pytest.param("a:\n  " + "- " * DEEP + "x\n", "2:129", id="block-dashes-on-one-line"),
        pytest.param("? " * DEEP + "x\n", "1:129", id="block-complex-keys"),
        pytest.param(
            "".join(" " * i + f"k{i}:\n" for i in range(2000)) + " " * 2000 + "x: 1\n",
            "65:65",
            id="block-indentation",
        ),
    ],
)
def test_deep_nesting_is_refused_without_crashing(tmp_path: Path, text: str, where: str) -> None:
    data = tree(tmp_path, {"deep.yaml": text})
    code, lines = validate(data)
    assert code == 1
    assert lines == [
        f"data/deep.yaml:{where}: error: nesting is deeper than 64 levels ({DEPTH_HINT}) [LCR108]"
    ]


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    data = tree(tmp_path, {"huge.yaml": "x: " + "a" * 5_000_000 + "\n"})
    code, lines = validate(data)
    assert code == 1
    assert lines == [
        f"data/huge.yaml:1:1: error: file is 5,000,004 bytes, over the limit of 5,000,000 "
        f"({LIMIT_HINT}) [LCR107]"
    ]


def test_a_file_far_over_memory_is_refused_without_reading_it(tmp_path: Path) -> None:
    data = tree(tmp_path, {})
    with (data / "sparse.yaml").open("wb") as out:
        out.truncate(3 * MEMORY_CAP)  # 3 GiB of zeros: reading it whole would exceed the cap
    code, lines = validate(data)
    assert code == 1
    assert lines == [
        f"data/sparse.yaml:1:1: error: file is {3 * MEMORY_CAP:,} bytes, over the limit of "
        f"5,000,000 ({LIMIT_HINT}) [LCR107]"
    ]


def test_a_list_over_the_item_limit_is_refused(tmp_path: Path) -> None:
    data = tree(tmp_path, {"long.yaml": "boards:\n" + "  - x\n" * 100_001})
    code, lines = validate(data)
    assert code == 1
    assert lines == [
        f"data/long.yaml:2:3: error: list has more than 100,000 items ({ITEMS_HINT}) [LCR109]"
    ]


def test_a_mapping_over_the_item_limit_is_refused(tmp_path: Path) -> None:
    data = tree(tmp_path, {"wide.yaml": "".join(f"k{i}: 1\n" for i in range(100_001))})
    code, lines = validate(data)
    assert code == 1
    assert lines == [
        f"data/wide.yaml:1:1: error: mapping has more than 100,000 keys ({ITEMS_HINT}) [LCR109]"
    ]


# --- the limits come from lcrplan.yaml, read before any other file --------------------------------


def test_limits_in_lcrplan_yaml_apply_to_every_other_file(tmp_path: Path) -> None:
    data = tree(
        tmp_path,
        {
            "lcrplan.yaml": "limits: {max_depth: 2, max_list_items: 3, max_file_bytes: 400}\n",
            "a-deep.yaml": "boards:\n  - id: b\n    name: B\n    chairs: [a]\n",
            "b-long.yaml": "people: [a, b, c, d]\n",
            "c-big.yaml": "# " + "x" * 400 + "\n",
        },
    )
    code, lines = validate(data)
    assert code == 1
    assert lines == [
        f"data/a-deep.yaml:2:5: error: nesting is deeper than 2 levels ({DEPTH_HINT}) [LCR108]",
        f"data/b-long.yaml:1:9: error: list has more than 3 items ({ITEMS_HINT}) [LCR109]",
        f"data/c-big.yaml:1:1: error: file is 403 bytes, over the limit of 400 ({LIMIT_HINT}) "
        "[LCR107]",
        # and the files of MINIMAL, which fit the default limits
        f"data/plan.yaml:2:3: error: mapping has more than 3 keys ({ITEMS_HINT}) [LCR109]",
        f"data/sources.yaml:2:5: error: nesting is deeper than 2 levels ({DEPTH_HINT}) [LCR108]",
    ]


def test_raised_limits_let_a_deep_file_through(tmp_path: Path) -> None:
    nested = "a: " + "[" * 100 + "]" * 100 + "\n"
    data = tree(tmp_path, {"lcrplan.yaml": "limits: {max_depth: 200}\n", "deep.yaml": nested})
    code, lines = validate(data)
    assert code == 1
    assert lines == [
        "data/deep.yaml:1:1: error: unknown field 'a' (allowed: boards, groups, people, "
        "sources) [LCR201]"
    ]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        pytest.param("a: " + "[" * DEEP, "1:503", id="brackets"),
        pytest.param("a: [\"[[[[\", '{{', # [[[\n" + "[" * DEEP, "2:499", id="quotes-and-comment"),
        pytest.param("a:\n  b: " + "{c: " * DEEP, "2:1998", id="flow-maps-in-a-block"),
    ],
)
def test_nesting_is_refused_at_the_same_bracket_whichever_libyaml_refuses_first(
    tmp_path: Path, text: str, where: str
) -> None:
    # libyaml 0.2.6 refuses 1,000 levels while looking ahead, before the guard sees an event
    data = tree(tmp_path, {"lcrplan.yaml": "limits: {max_depth: 500}\n", "deep.yaml": text})
    code, lines = validate(data)
    assert code == 1
    assert lines == [
        f"data/deep.yaml:{where}: error: nesting is deeper than 500 levels ({DEPTH_HINT}) [LCR108]"
    ]


def test_max_depth_cannot_be_raised_to_where_the_c_parser_crashes(tmp_path: Path) -> None:
    data = tree(
        tmp_path,
        {"lcrplan.yaml": "limits: {max_depth: 100000}\n", "deep.yaml": "a: " + "[" * DEEP},
    )
    code, lines = validate(data)
    assert code == 1
    assert lines == [
        f"data/deep.yaml:1:67: error: nesting is deeper than 64 levels ({DEPTH_HINT}) [LCR108]",
        "data/lcrplan.yaml:1:21: error: limits.max_depth: Input should be less than or equal to "
        "500 (see data/README.md) [LCR210]",
    ]
