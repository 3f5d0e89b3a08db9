"""What is wrong with a YAML file, in the data's words, at its line and column: a syntax error
with a hint for the usual mistakes (a tab, an unclosed quote, a missing space after a colon), a
YAML version lcrplan does not read, an alias, nesting too deep, a list or mapping too long.
"""

from __future__ import annotations

import re

import yaml

from ..core.problems import Problem

# The parser the reader (`yamlio`) and the problems found here share: libyaml's where PyYAML has it.
try:
    # yaml.CParser is not exported by `yaml` itself (it is None there): import it from cyaml.
    from yaml.cyaml import CParser as Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class Parser(Reader, Scanner, _PyParser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _PyParser.__init__(self)
            Composer.__init__(self)


# libyaml 0.2.6 (PyYAML 6.0.4) refuses 1,000 levels itself, while still looking ahead for a
# simple key: the brackets too deep for `max_depth` never reach the event stream as events.
NESTING_REFUSED = "exceeded maximum nesting depth"

_FLOW_TOKENS = re.compile(
    r"""[\[{\]}]|(?:^|(?<=[\s\[{,:]))(?:"(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?)|(?:^|(?<=\s))#.*"""
)


def too_deep_ahead(text: str, path: str, start: int, depth: int, max_depth: int) -> Problem:
    """The first bracket past `max_depth` after `start`, where `depth` collections are open."""
    for token in _FLOW_TOKENS.finditer(text, start):
        char = token.group()[0]
        if char in "[{":
            depth += 1
            if depth > max_depth:
                line = text.count("\n", 0, token.start()) + 1
                column = token.start() - text.rfind("\n", 0, token.start())
                return too_deep(path, line, column, max_depth)
        elif char in "]}":
            depth -= 1
    line = text.count("\n", 0, start) + 1
    return too_deep(path, line, start - text.rfind("\n", 0, start), max_depth)


def alias_problem(path: str, mark: yaml.Mark) -> Problem:
    return Problem(
        path,
        mark.line + 1,
        mark.column + 1,
        "LCR103",
        "aliases (*name) are not allowed",
        "write the value out in full",
    )


def too_long(path: str, mark: yaml.Mark, is_map: bool, max_items: int) -> Problem:
    what = "mapping has more than {:,} keys" if is_map else "list has more than {:,} items"
    return Problem(
        path,
        mark.line + 1,
        mark.column + 1,
        "LCR109",
        what.format(max_items),
        "split it across files, or raise limits.max_list_items in lcrplan.yaml",
    )


def too_deep(path: str, line: int, col: int, max_depth: int) -> Problem:
    return Problem(
        path,
        line,
        col,
        "LCR108",
        f"nesting is deeper than {max_depth} levels",
        "flatten the structure, or raise limits.max_depth in lcrplan.yaml",
    )


_DIRECTIVE = re.compile(r"%YAML(?:[ \t]+([^\s#]*))?")


def version_problem(text: str, path: str) -> Problem | None:
    """A `%YAML` directive for any version but 1.2, refused where it is written.

    Both readers follow YAML 1.2 whatever the directive says, but ruamel.yaml, which writes,
    would honour `%YAML 1.1` (`on` becomes true): reader and writer would disagree on the
    file. Directives come before the document, so the scan stops at its first line.
    """
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith("%"):
            return None
        found = _DIRECTIVE.match(line)
        if found and found.group(1) != "1.2":
            return Problem(
                path,
                number,
                1,
                "LCR106",
                f"'{line.split('#')[0].strip()}' directive: data files are read as YAML 1.2",
                "delete the line; YAML 1.2 is what both the reader and the writer follow",
            )
    return None


_SYNTAX_HINTS = [
    (
        "mapping values are not allowed",
        "a ':' inside a value needs the whole value in quotes, or the line is mis-indented",
    ),
    ("could not find expected ':'", "a key needs ':' after it, or a line above is mis-indented"),
    ("did not find expected key", "check this line's indentation against the lines above"),
    ("did not find expected <document start>", "check this line's indentation"),
    ("did not find expected '-'", "check this line's indentation against the lines above"),
    ("did not find expected comment or line break", "only a comment may follow here on the line"),
    (
        "did not find expected alphabetic or numeric character",
        "'&' and '*' start anchors and aliases, which are not allowed: quote the whole value",
    ),
    ("did not find expected node content", "a value is missing here"),
    (
        "block sequence entries are not allowed",
        "a list under a key starts on the next line: 'key:', then '- item' indented below it",
    ),
    ("expected <block end>, but found", "check the indentation of this line against the one above"),
    ("found undefined tag handle", "tags are not allowed; remove the '!' prefix"),
    ("found unknown escape character", "use single quotes, or write a backslash as \\\\"),
    ("found undefined alias", "aliases (*name) are not allowed: write the value out in full"),
    (
        "but found another document",
        "a data file holds one document: remove the '---' line and what follows it",
    ),
]

_SYNTAX_WORDING = {"but found another document": "a second document starts here"}


def syntax_problem(exc: yaml.MarkedYAMLError, path: str, text: str) -> Problem:
    problem = exc.problem or "invalid YAML"
    mark = exc.problem_mark
    hint = next((h for key, h in _SYNTAX_HINTS if key in problem), "")
    context = exc.context or ""
    opened = _quote_ending_at(text, mark) if mark else None
    # An unclosed quote or bracket must be fixed where it opens, not where the parser gave up.
    if "end of stream" in problem and "quoted" in context and exc.context_mark is not None:
        mark, problem = exc.context_mark, "unclosed quote"
        hint = "the quote that opens here is never closed"
    elif opened is not None:
        problem = "unclosed quote"
        hint = (
            f"the quoted text that opens here runs on to line {mark.line + 1}: "
            "add its closing quote"
        )
        mark = opened
    elif "did not find expected ','" in problem and exc.context_mark is not None:
        bracket = "{" if "mapping" in context else "["
        closing = "}" if bracket == "{" else "]"
        problem = f"'{bracket}' is not closed"
        hint = (
            f"close it with '{closing}', or put ',' between its items; "
            f"the parser stopped at line {mark.line + 1}, column {mark.column + 1}"
        )
        mark = exc.context_mark
    elif "could not find expected ':'" in problem and exc.context_mark is not None:
        mark = exc.context_mark  # where the key without its ':' starts
    elif (
        problem.endswith(("expected key", "expected <document start>"))
        and mark is not None
        and _mid_line(text, mark)
    ):
        hint = "text follows a finished value on this line: quote the whole value, or remove it"
    elif "tab" in problem or (mark is not None and _char_at(text, mark) == "\t"):
        problem = "a tab character in the indentation"
        hint = "YAML indents with spaces, not tabs: replace the tab with spaces"
    elif "cannot start any token" in problem and mark is not None:
        problem = f"a value cannot start with {_char_at(text, mark)!r}"
        hint = "put the whole value in quotes"
    problem = _SYNTAX_WORDING.get(problem, problem)
    line = mark.line + 1 if mark else 1
    col = mark.column + 1 if mark else 1
    return Problem(path, line, col, "LCR101", f"invalid YAML: {problem}", hint)


def _mid_line(text: str, mark: yaml.Mark) -> bool:
    """Whether something other than indentation comes before `mark` on its line."""
    lines = text.split("\n")
    return mark.line < len(lines) and bool(lines[mark.line][: mark.column].strip(" -"))


def _char_at(text: str, mark: yaml.Mark) -> str:
    lines = text.split("\n")
    if mark.line < len(lines) and mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""


def _quote_ending_at(text: str, mark: yaml.Mark) -> yaml.Mark | None:
    """The start of a quoted value that began on an earlier line and ends on the error's line.

    A quote left open mid-file swallows the lines below it up to the next quote character, and
    the parser fails only there; the line to fix is the one where the quoted value began.
    """
    scanner = Parser(text)
    last = None
    try:
        while (token := scanner.get_token()) is not None:
            if (token.start_mark.line, token.start_mark.column) >= (mark.line, mark.column):
                break
            last = token
    except yaml.YAMLError:
        pass
    finally:
        scanner.dispose()
    if (
        isinstance(last, yaml.ScalarToken)
        and last.style in ("'", '"')
        and last.start_mark.line < last.end_mark.line == mark.line
    ):
        return last.start_mark
    return None


def reader_problem(exc: yaml.reader.ReaderError, path: str, text: str) -> Problem:
    """A character YAML does not allow (a control character), at its line and column."""
    offset = exc.position
    if isinstance(Parser, type) and Parser.__module__ == "yaml._yaml":
        # libyaml counts bytes of the UTF-8 text, not characters
        offset = len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Problem(
        path,
        line,
        col,
        "LCR101",
        f"invalid YAML: character U+{exc.character:04X} is not allowed",
        "delete it: data files hold text only; was binary data pasted in?",
    )
