"""Problems as a SARIF 2.1.0 log (`validate --format sarif`), the format GitHub code scanning
reads: each problem is shown on its line in a pull request's Files tab, and followed across
runs by its fingerprint (code, file and item, not the line, which moves with every edit).

Written by hand: SARIF is a JSON document, and the one part that needs care (a stable
fingerprint) is ours to define. Suppressed problems are included with the reason, as SARIF's
`suppressions`, so code scanning shows them as dismissed rather than forgetting them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import PurePosixPath
from urllib.parse import quote

from ..core.codes import ALL, BY_CODE, Code
from ..core.formatting import json_text
from ..core.problems import Problem, worst_first
from ..core.version import __version__
from ..loader.policy import Suppressed

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note", "off": "none"}


def sarif_log(problems: Sequence[Problem], suppressed: Sequence[Suppressed] = ()) -> str:
    """A SARIF log of one run of lcrplan: every code as a rule, every problem as a result."""
    index = {code.code: i for i, code in enumerate(ALL)}
    results = [_result(p, index) for p in worst_first(problems)]
    for hidden in suppressed:
        rule = hidden.rule
        result = _result(
            Problem(hidden.file, 0, 0, hidden.code, hidden.message, "", "warning", hidden.item),
            index,
        )
        result["level"] = LEVELS[BY_CODE[hidden.code].level]
        result["suppressions"] = [
            {
                "kind": "inSource" if rule.item else "external",
                "status": "accepted",
                "justification": rule.reason,
            }
        ]
        results.append(result)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "lcrplan",
                        "version": __version__,
                        "rules": [_rule(code) for code in ALL],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json_text(log)


def _rule(code: Code) -> dict[str, object]:
    return {
        "id": code.code,
        "name": code.name,
        "shortDescription": {"text": code.summary},
        "fullDescription": {"text": code.why},
        "help": {
            "text": f"{code.fix}\n\nExample:\n{code.example}",
            "markdown": f"{code.fix}\n\nExample:\n\n```yaml\n{code.example}\n```",
        },
        "defaultConfiguration": {"level": LEVELS[code.level], "enabled": code.level != "off"},
        "properties": {"category": code.category, "locked": code.locked},
    }


def _result(problem: Problem, index: dict[str, int]) -> dict[str, object]:
    message = problem.message + (f" ({problem.hint})" if problem.hint else "")
    location: dict[str, object] = {"artifactLocation": {"uri": _uri(problem.file)}}
    if problem.line:
        location["region"] = {"startLine": problem.line, "startColumn": problem.column or 1}
    subject = problem.item or problem.message
    fingerprint = hashlib.sha256(f"{problem.code}\0{problem.file}\0{subject}".encode()).hexdigest()
    return {
        "ruleId": problem.code,
        "ruleIndex": index[problem.code],
        "level": LEVELS[problem.severity],
        "message": {"text": message},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {"lcrplanItem/v1": fingerprint},
    }


def _uri(file: str) -> str:
    """A file's name as a URI reference: relative names stay relative (to the checkout)."""
    path = PurePosixPath(file.replace("\\", "/"))
    if path.is_absolute():
        return "file://" + quote(str(path))
    return quote(str(path))
