"""YAML in and out: the only module that configures a YAML library.

Reading uses PyYAML's C parser (libyaml) with YAML 1.2 core-schema rules, the same rules
ruamel.yaml applies when it writes, so `yes`, `on`, `0777` and `1:30` mean the same thing to the
reader and the writer. Positions are found only when a file has a problem, by composing that one
file again (`locate`). Writes go through ruamel.yaml in round-trip mode (`RoundTrip`), which keeps
comments, order and quoting.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Problem

try:
    # yaml.CParser is not exported by `yaml` itself (it is None there): import it from cyaml.
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, _PyParser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _PyParser.__init__(self)
            Composer.__init__(self)


# YAML 1.2 core schema, written to match ruamel.yaml's resolver for version 1.2.
_RESOLVERS = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (
        "tag:yaml.org,2002:float",
        r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        "-+0123456789.",
    ),
    (
        "tag:yaml.org,2002:int",
        r"""^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$""",
        "-+0123456789",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (
        "tag:yaml.org,2002:timestamp",
        r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9])$",
        "0123456789",
    ),
]


class _Resolver(yaml.resolver.BaseResolver):
    pass


for _tag, _pattern, _first in _RESOLVERS:
    _Resolver.add_implicit_resolver(_tag, re.compile(_pattern, re.X), list(_first))


class _Constructor(yaml.constructor.SafeConstructor):
    """Safe constructor that reports duplicate keys and aliases instead of building them."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[tuple[yaml.Mark, str, str]] = []

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            self.problems.append(
                (node.start_mark, "aliases (*name) are not allowed", "write the value out in full")
            )
            return None
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[tuple[str, str], yaml.Node] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append((key_node.start_mark, "a key must be a plain value", ""))
                continue
            key = (key_node.tag, key_node.value)
            if key in seen:
                first = seen[key].start_mark
                self.problems.append(
                    (
                        key_node.start_mark,
                        f"duplicate key '{key_node.value}' "
                        f"(first defined at line {first.line + 1})",
                        "keep one of them",
                    )
                )
            seen[key] = key_node
        node.value = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        text = str(self.construct_scalar(node)).replace("_", "")
        sign = -1 if text.startswith("-") else 1
        text = text.lstrip("+-")
        for prefix, base in (("0b", 2), ("0o", 8), ("0x", 16)):
            if text.startswith(prefix):
                return sign * int(text[2:], base)
        return sign * int(text, 10)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        text = str(self.construct_scalar(node))
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text  # an impossible date stays text, so the schema names the field


_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)
_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


class _Loader(_Parser, _Constructor, _Resolver):  # type: ignore[misc, valid-type]
    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        _Constructor.__init__(self)
        _Resolver.__init__(self)


@dataclass
class Parsed:
    """The result of reading one YAML text: its data (None if unreadable) and its problems."""

    data: Any = None
    problems: list[Problem] = field(default_factory=list)


def guard(text: str, path: str, max_bytes: int, max_depth: int) -> list[Problem]:
    """Refuse text that could exhaust memory or crash the C parser, before it reaches it."""
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        return [
            Problem(
                path,
                1,
                1,
                "error",
                f"file is {size:,} bytes, over the limit of {max_bytes:,}",
                "split it into smaller files, or raise limits.max_file_bytes in lcrplan.yaml",
            )
        ]
    depth, quote = 0, ""
    line, col = 1, 0
    indent_limit = max_depth * 8
    at_line_start, indent, prev = True, 0, " "
    for ch in text:
        col += 1
        if ch == "\n":
            line, col, quote, at_line_start, indent, prev = line + 1, 0, "", True, 0, " "
            continue
        if at_line_start:
            if ch == " ":
                indent += 1
                if indent > indent_limit:
                    return [_too_deep(path, line, col, max_depth)]
                continue
            at_line_start = False
        opens_token = prev in " \t[{,:"
        prev = ch
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'" and opens_token:
            quote = ch
        elif ch == "#" and opens_token:
            quote = "\n"  # rest of the line is a comment
        elif ch in "[{":
            depth += 1
            if depth > max_depth:
                return [_too_deep(path, line, col, max_depth)]
        elif ch in "]}":
            depth = max(0, depth - 1)
    return []


def _too_deep(path: str, line: int, col: int, max_depth: int) -> Problem:
    return Problem(
        path,
        line,
        col,
        "error",
        f"nesting is deeper than {max_depth} levels",
        "flatten the structure, or raise limits.max_depth in lcrplan.yaml",
    )


def parse(text: str, path: str) -> Parsed:
    """Parse one YAML document into plain Python values, collecting located problems."""
    loader = _Loader(text)
    result = Parsed()
    try:
        result.data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        result.problems.append(_syntax_problem(exc, path, text))
        return result
    except yaml.YAMLError as exc:
        result.problems.append(Problem(path, 1, 1, "error", f"cannot read YAML: {exc}"))
        return result
    except RecursionError:
        result.problems.append(_too_deep(path, 1, 1, 0))
        return result
    finally:
        loader.dispose()
    for mark, message, hint in loader.problems:
        result.problems.append(
            Problem(path, mark.line + 1, mark.column + 1, "error", message, hint)
        )
    return result


_SYNTAX_HINTS = [
    ("found character '\\t'", "YAML indents with spaces, not tabs: replace the tab with spaces"),
    ("found unexpected end of stream", "a quote or bracket that opens here is never closed"),
    (
        "mapping values are not allowed here",
        "a ':' inside a value needs the whole value in quotes, or the line is mis-indented",
    ),
    ("could not find expected ':'", "a key needs ':' after it, or a line above is mis-indented"),
    ("expected <block end>, but found", "check the indentation of this line against the one above"),
    (
        "could not determine a constructor for the tag",
        "tags such as !!python/... are not allowed; remove the tag",
    ),
    ("found undefined tag handle", "tags are not allowed; remove the '!' prefix"),
    ("found unknown escape character", "use single quotes, or write a backslash as \\\\"),
]


def _syntax_problem(exc: yaml.MarkedYAMLError, path: str, text: str) -> Problem:
    problem = exc.problem or "invalid YAML"
    mark = exc.problem_mark
    hint = next((h for key, h in _SYNTAX_HINTS if key in str(exc)), "")
    # For an unclosed quote or bracket the user must fix the line where it opens, not the end.
    if "end of stream" in problem and exc.context_mark is not None:
        mark = exc.context_mark
        what = (exc.context or "").removeprefix("while scanning ").removeprefix("while parsing ")
        problem = "unclosed quote" if "quoted" in what else f"unclosed {what}"
    tag = re.search(r"tag '([^']*)'", problem)
    if tag and "constructor" in problem:
        problem = f"tag '{tag.group(1).replace('tag:yaml.org,2002:', '!!')}' is not allowed"
    line = mark.line + 1 if mark else 1
    col = mark.column + 1 if mark else 1
    return Problem(path, line, col, "error", f"invalid YAML: {problem}", hint)


def compose(text: str) -> yaml.Node | None:
    """The node tree of a YAML text, with a position on every node (None if unreadable)."""
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None


def locate(text: str, loc: Sequence[str | int], key: bool = False) -> tuple[int, int]:
    """The 1-based line and column of the value at `loc` (or its key), as near as it exists."""
    return locate_in(compose(text), loc, key)


def locate_in(node: yaml.Node | None, loc: Sequence[str | int], key: bool = False
              ) -> tuple[int, int]:
    """`locate` on an already composed tree."""
    if node is None:
        return (1, 1)
    target: yaml.Node = node
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(target, yaml.MappingNode):
            for k, v in target.value:
                if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                    target = k if (last and key) else v
                    break
            # a part that is not a key (a union's tag in pydantic's loc) is skipped
        elif isinstance(target, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(target.value):
                target = target.value[part]
            else:
                break
    return (target.start_mark.line + 1, target.start_mark.column + 1)


class RoundTrip:
    """ruamel.yaml set up for faithful writes: the house style of the data files."""

    def __init__(self) -> None:
        from ruamel.yaml import YAML

        self.yaml = YAML(typ="rt")
        self.yaml.version = None
        self.yaml.preserve_quotes = True
        self.yaml.width = 4096
        self.yaml.indent(mapping=2, sequence=4, offset=2)
        self.yaml.allow_duplicate_keys = False

        def represent_none(representer: Any, data: None) -> Any:
            return representer.represent_scalar("tag:yaml.org,2002:null", "null")

        self.yaml.representer.add_representer(type(None), represent_none)

    def load(self, text: str) -> Any:
        return self.yaml.load(text)

    def dump(self, data: Any) -> str:
        import io

        out = io.StringIO()
        self.yaml.dump(data, out)
        return out.getvalue()
