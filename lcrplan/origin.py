"""Where data repositories install lcrplan from: the tool's own repository at an exact commit.

`lcrplan init` writes this pin into the workflows and pre-commit configuration it scaffolds. A
bare `pip install lcrplan` would install whatever package someone registers under that name on
the public index, inside CI with a token; a git URL at a full commit id names exactly one tree.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_SPEC = re.compile(
    r"git\+(?P<url>https://[A-Za-z0-9.-]+(?::[0-9]+)?/[A-Za-z0-9._~/-]+?)(?:\.git)?"
    r"@(?P<ref>[0-9a-f]{40}|v[0-9]+(?:\.[0-9]+)*)"
)
SPEC_HINT = (
    "give the tool's git repository at a full commit id or a version tag, "
    "e.g. git+https://github.com/OWNER/lcrplan@v0.1.0"
)


@dataclass(frozen=True)
class Origin:
    """A git repository over https and a commit id (40 hex digits) or a version tag in it."""

    url: str
    ref: str

    @property
    def requirement(self) -> str:
        """The line pip installs: `lcrplan @ git+URL@REF`."""
        return f"lcrplan @ git+{self.url}@{self.ref}"


def parse_origin(spec: str) -> Origin:
    """`git+https://host/owner/repo@REF` as an Origin; anything else is a ValueError."""
    match = _SPEC.fullmatch(spec.strip())
    if match is None:
        raise ValueError(f"'{spec}' is not a pinned git source ({SPEC_HINT})")
    return Origin(match["url"], match["ref"])


def installed_origin() -> Origin | None:
    """The repository and commit this lcrplan was installed from, if pip recorded one (PEP 610)."""
    from importlib import metadata

    try:
        recorded = metadata.distribution("lcrplan").read_text("direct_url.json")
        direct = json.loads(recorded or "null")
        vcs = direct["vcs_info"]
        if vcs.get("vcs") != "git":
            return None
        return parse_origin(f"git+{direct['url'].removeprefix('git+')}@{vcs['commit_id']}")
    except (metadata.PackageNotFoundError, ValueError, KeyError, TypeError):
        return None


UNPINNED_REQUIREMENT = (
    "# lcrplan init could not tell where lcrplan was installed from: replace this comment with\n"
    "# lcrplan @ git+https://github.com/OWNER/lcrplan@COMMIT (a full 40-digit commit id)."
)
# Reserved names (RFC 2606): nobody can register them, so an unpinned hook fails closed.
UNPINNED_REPO = "https://set-lcrplan-repository.invalid/lcrplan"
UNPINNED_REV = "set-an-exact-commit"


def pin_scaffold(files: dict[str, bytes], origin: Origin | None) -> dict[str, str]:
    """The scaffold files that name lcrplan's source, with `origin` (or a fail-closed stub) in."""
    values = {
        "__LCRPLAN_REQUIREMENT__": origin.requirement if origin else UNPINNED_REQUIREMENT,
        "__LCRPLAN_REPO__": origin.url if origin else UNPINNED_REPO,
        "__LCRPLAN_REV__": origin.ref if origin else UNPINNED_REV,
    }
    pinned = {}
    for rel in (".github/lcrplan-requirements.txt", ".pre-commit-config.yaml"):
        text = files[rel].decode("utf-8")
        for marker, value in values.items():
            text = text.replace(marker, value)
        pinned[rel] = text
    return pinned
