"""YAML in and out: the only module that configures a YAML library.

Reading uses PyYAML's C parser (libyaml) with YAML 1.2 core-schema rules, the same rules
ruamel.yaml applies when it writes, so `yes`, `on`, `0777` and `1:30` mean the same thing to the
reader and the writer. Ordinary text is built straight from libyaml's event stream
(`_read_plain`); text with a tag, an alias or a problem goes to PyYAML's constructor, which
reports each problem at its place. Positions are found only when a file has a problem, by
composing that one file again (`locate`). Writes go through ruamel.yaml in round-trip mode
(`RoundTrip`), which keeps comments, order and quoting.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import yaml

from ..core.problems import Problem
from .yaml_problems import (
    NESTING_REFUSED,
    Parser,
    alias_problem,
    reader_problem,
    syntax_problem,
    too_deep,
    too_deep_ahead,
    too_long,
    version_problem,
)

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

_IMPLICIT = _Resolver()


def _implicit_tag(node: yaml.Node) -> str:
    """The tag a node would have with no tag written: what its text alone means."""
    if isinstance(node, yaml.ScalarNode):
        plain = not node.style
        return _IMPLICIT.resolve(yaml.ScalarNode, node.value, (plain, not plain))
    return _IMPLICIT.resolve(type(node), None, (False, False))


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


class _Constructor(yaml.constructor.SafeConstructor):
    """Safe constructor that reports duplicate keys, aliases and tags instead of building them."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[tuple[yaml.Mark, str, str, str]] = []
        """(where, code, message, hint) of each problem found while building values."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            self.problems.append(
                (
                    node.start_mark,
                    "LCR103",
                    "aliases (*name) are not allowed",
                    "write the value out in full",
                )
            )
            return None
        # A tag that changes what a value is (`!!python/...`, `!custom`, `!!binary`, `!!float` on
        # text) builds nothing; one that changes nothing (`!!str` on text) is harmless.
        if node.tag != _implicit_tag(node):
            self.problems.append(
                (
                    node.start_mark,
                    "LCR104",
                    f"tag '{_short_tag(node.tag)}' is not allowed",
                    "data files hold plain values: remove the tag",
                )
            )
            return None
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if all(type(k) is yaml.ScalarNode for k, _ in node.value):
            built = super().construct_mapping(node, deep=deep)
            if len(built) != len(node.value):
                self._report_keys(node)  # built once: building again would look like aliases
            return built
        self._report_keys(node)
        node.value = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
        return super().construct_mapping(node, deep=deep)

    def _report_keys(self, node: yaml.MappingNode) -> None:
        """Report the keys of a mapping that are not plain, or repeated."""
        seen: dict[tuple[str, str], yaml.Node] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(
                    (
                        key_node.start_mark,
                        "LCR105",
                        "a key must be a plain value",
                        "write the key as a word followed by ':', e.g. 'title:'",
                    )
                )
                continue
            key = (key_node.tag, key_node.value)
            if key in seen:
                first = seen[key].start_mark
                self.problems.append(
                    (
                        key_node.start_mark,
                        "LCR102",
                        f"duplicate key '{key_node.value}', first defined at line {first.line + 1}",
                        "keep one of them",
                    )
                )
            seen[key] = key_node

    # A number the resolver accepts but Python cannot read (`+_`, `0x_`, `._`, 5,000 digits)
    # stays text, like an impossible date: the schema then names the field.

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int | str:
        return _int(str(self.construct_scalar(node)))

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float | str:
        return _float(str(self.construct_scalar(node)))

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        return _date(str(self.construct_scalar(node)))


def _int(raw: str) -> int | str:
    text = raw.replace("_", "")
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    try:
        for prefix, base in (("0b", 2), ("0o", 8), ("0x", 16)):
            if text.startswith(prefix):
                return sign * int(text[2:], base)
        return sign * int(text, 10)
    except ValueError:
        return raw


def _float(raw: str) -> float | str:
    text = raw.replace("_", "").lower()
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    if text == ".inf":
        return sign * math.inf
    if text == ".nan":
        return math.nan
    try:
        return sign * float(text)
    except ValueError:
        return raw


def _date(raw: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return raw  # an impossible date stays text, so the schema names the field


_FROM_TEXT: dict[str, Any] = {
    "tag:yaml.org,2002:bool": lambda raw: raw.lower() == "true",
    "tag:yaml.org,2002:int": _int,
    "tag:yaml.org,2002:float": _float,
    "tag:yaml.org,2002:null": lambda raw: None,
    "tag:yaml.org,2002:timestamp": _date,
}
"""What a plain scalar means, by the tag `_Resolver` gives it (the same for both readers)."""

_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)

_Constructor.add_constructor("tag:yaml.org,2002:float", _Constructor.construct_yaml_float)

_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


class _Loader(Parser, _Constructor, _Resolver):  # type: ignore[misc, valid-type]
    def __init__(self, stream: str) -> None:
        Parser.__init__(self, stream)
        _Constructor.__init__(self)
        _Resolver.__init__(self)


class _Unusual(Exception):
    """Text the event-stream reader leaves to the full reader: a tag, an alias, a second
    document, a key that is not a scalar, or a repeated key."""


_NO_KEY = object()

_RESOLVE = _IMPLICIT.yaml_implicit_resolvers

_OPENERS = {yaml.MappingStartEvent: dict, yaml.SequenceStartEvent: list}

_CLOSERS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)

_QUIET = (yaml.StreamStartEvent, yaml.DocumentEndEvent, yaml.StreamEndEvent)


class _OverLimit(Exception):
    """A collection nested or grown past a limit, found while reading: the located problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _read_plain(
    text: str, path: str = "", max_depth: int = 1_000, max_items: int | None = None
) -> Any:
    """Build values straight from libyaml's event stream: no nodes, one pass, no recursion.

    The limits are checked on the way (`_OverLimit`): libyaml's parser keeps its own stack, so
    nothing here recurses however deep the text goes.

    The same values as the full reader (`_Loader`), in less time: scalars are
    resolved by the same rules (`_RESOLVE`, `_FROM_TEXT`). Anything unusual raises `_Unusual`
    (and bad syntax a YAMLError), and the caller then reads the text with the full reader,
    which reports the problem at its place.
    """
    parser = Parser(text)
    try:
        get = parser.get_event
        scalar_event = yaml.ScalarEvent
        resolve, from_text = _RESOLVE, _FROM_TEXT
        plain: dict[str, Any] = {}  # what each plain scalar means, worked out once (keys repeat)
        open_: list[Any] = []  # the collections being built, innermost last
        keys: list[Any] = []  # per open collection: the key waiting for its value
        starts: list[yaml.Mark] = []  # per open collection: where it starts
        items = max_items if max_items is not None else sys.maxsize
        result: Any = None
        documents = 0
        while (event := get()) is not None:
            kind = event.__class__
            if kind is scalar_event:
                if event.tag is not None:
                    raise _Unusual
                value = event.value
                if event.implicit[0]:  # plain: its text decides its type
                    text_ = value
                    try:
                        value = plain[text_]
                    except KeyError:
                        for tag, pattern in resolve.get(text_[:1], ()):
                            if pattern.match(text_):
                                value = from_text[tag](text_)
                                break
                        plain[text_] = value
            elif kind in _OPENERS:
                if event.tag is not None:
                    raise _Unusual
                if len(open_) >= max_depth:
                    mark = event.start_mark
                    raise _OverLimit(too_deep(path, mark.line + 1, mark.column + 1, max_depth))
                open_.append(_OPENERS[kind]())
                keys.append(_NO_KEY)
                starts.append(event.start_mark)
                continue
            elif kind in _CLOSERS:
                keys.pop()
                starts.pop()
                value = open_.pop()
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Unusual
                continue
            elif kind in _QUIET:
                continue
            else:  # an alias
                raise _Unusual
            if not open_:
                result = value
                continue
            parent = open_[-1]
            if parent.__class__ is list:
                parent.append(value)
            elif keys[-1] is _NO_KEY:
                if isinstance(value, (dict, list)) or value in parent:
                    raise _Unusual
                keys[-1] = value
                continue
            else:
                parent[keys[-1]] = value
                keys[-1] = _NO_KEY
            if len(parent) > items:
                is_map = parent.__class__ is dict
                raise _OverLimit(too_long(path, starts[-1], is_map, items))
        return result
    finally:
        parser.dispose()


@dataclass
class Parsed:
    """The result of reading one YAML text: its data (None if unreadable) and its problems."""

    data: Any = None
    problems: list[Problem] = field(default_factory=list)


def guard(
    text: str, path: str, max_bytes: int, max_depth: int, max_items: int | None = None
) -> list[Problem]:
    """Refuse text that could exhaust memory or crash the C parser, before it builds anything.

    Depth and length are measured on libyaml's event stream: its parser keeps its own stack
    and stops here at the first collection over a limit, so text nested 100,000 deep costs
    microseconds. Only text within the limits reaches composing, which recurses in C and
    crashes the process (no exception) when nesting runs tens of thousands deep. Aliases are
    reported where they are used.
    """
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        return [
            Problem(
                path,
                1,
                1,
                "LCR107",
                f"file is {size:,} bytes, over the limit of {max_bytes:,}",
                "split it into smaller files, or raise limits.max_file_bytes in lcrplan.yaml",
            )
        ]
    parser = Parser(text)
    open_: list[list[Any]] = []  # [start event, number of child events] per open collection
    aliases: list[Problem] = []
    seen = 0  # where the last event ended
    try:
        while (event := parser.get_event()) is not None:
            seen = event.end_mark.index
            if isinstance(event, yaml.AliasEvent):
                # "billion laughs": a few aliases of aliases stand for billions of values
                aliases.append(alias_problem(path, event.start_mark))
            if open_ and isinstance(event, _NODE_EVENTS):
                start, count = open_[-1]
                open_[-1][1] = count = count + 1
                is_map = isinstance(start, yaml.MappingStartEvent)
                if max_items is not None and count > max_items * (2 if is_map else 1):
                    return [*aliases, too_long(path, start.start_mark, is_map, max_items)]
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if len(open_) >= max_depth:
                    mark = event.start_mark
                    return [*aliases, too_deep(path, mark.line + 1, mark.column + 1, max_depth)]
                open_.append([event, 0])
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                open_.pop()
    except yaml.YAMLError as exc:
        if NESTING_REFUSED in str(exc):
            return [*aliases, too_deep_ahead(text, path, seen, len(open_), max_depth)]
        # any other syntax error: `parse` reports it, with its place
    finally:
        parser.dispose()
    return aliases


_NODE_EVENTS = (
    yaml.ScalarEvent,
    yaml.AliasEvent,
    yaml.SequenceStartEvent,
    yaml.MappingStartEvent,
)


def parse(
    text: str,
    path: str,
    max_bytes: int = 5_000_000,
    max_depth: int = 64,
    max_items: int | None = None,
) -> Parsed:
    """Parse one YAML document into plain Python values, collecting located problems.

    Ordinary text is read in one pass of the event-stream reader, which checks the limits on
    the way. Text it declines (a tag, an alias, a repeated key, bad syntax) is scanned by
    `guard` and only then composed by the full reader, which reports each problem at its place.
    """
    if "%YAML" in text:
        refused = version_problem(text, path)
        if refused is not None:
            return Parsed(None, [refused])
    try:
        return Parsed(_read_plain(text, path, max_depth, max_items))
    except _OverLimit as exc:
        return Parsed(None, [exc.problem])
    except (_Unusual, yaml.YAMLError):
        pass
    problems = guard(text, path, max_bytes, max_depth, max_items)
    if problems:
        return Parsed(None, problems)
    loader = _Loader(text)
    result = Parsed()
    try:
        result.data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        result.problems.append(syntax_problem(exc, path, text))
        return result
    except yaml.reader.ReaderError as exc:
        result.problems.append(reader_problem(exc, path, text))
        return result
    except yaml.YAMLError as exc:
        result.problems.append(Problem(path, 1, 1, "LCR101", f"cannot read YAML: {exc}"))
        return result
    except RecursionError:
        result.problems.append(too_deep(path, 1, 1, 0))
        return result
    finally:
        loader.dispose()
    for mark, code, message, hint in loader.problems:
        result.problems.append(Problem(path, mark.line + 1, mark.column + 1, code, message, hint))
    return result


Tree: TypeAlias = yaml.Node
"""A composed YAML document: every node with its position (`compose`, `locate_in`)."""


def compose(text: str) -> Tree | None:
    """The node tree of a YAML text, with a position on every node (None if unreadable)."""
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None


def locate(text: str, loc: Sequence[str | int], key: bool = False) -> tuple[int, int]:
    """The 1-based line and column of the value at `loc` (or its key), as near as it exists."""
    return locate_in(compose(text), loc, key)


def locate_in(
    node: yaml.Node | None, loc: Sequence[str | int], key: bool = False
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
        # One value written in two places (a return's date for a reading and an update) must
        # be written out twice: the reader refuses anchors and aliases.
        self.yaml.representer.ignore_aliases = lambda data: True

    def load(self, text: str) -> Any:
        return self.yaml.load(text)

    def dump(self, data: Any) -> str:
        import io

        out = io.StringIO()
        self.yaml.dump(data, out)
        return out.getvalue()
