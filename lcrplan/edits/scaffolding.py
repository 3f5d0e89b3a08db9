"""What `lcrplan init` creates: the scaffold's files, pinned to where lcrplan came from, written
only where nothing is.

The pin: the workflows and pre-commit configuration install lcrplan from its own git repository
at an exact commit. A bare `pip install lcrplan` would install whatever package someone registers
under that name on the public index, inside CI with a token; a git URL at a full commit id names
exactly one tree.

Writing: `--force` adds files to a folder that can hold committed links, so nothing is written
through a link, and a file that exists (or is a link) is kept as it is.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from enum import StrEnum
from importlib.resources.abc import Traversable
from pathlib import Path

from ..source import fileio

_SPEC = re.compile(
    r"git\+(?P<url>https://[A-Za-z0-9.-]+(?::[0-9]+)?/[A-Za-z0-9._~/-]+?)(?:\.git)?"
    r"@(?P<ref>[0-9a-f]{40}|v[0-9]+(?:\.[0-9]+)*)"
)
SPEC_HINT = (
    "give the tool's git repository at a full commit id or a version tag, "
    "e.g. git+https://github.com/OWNER/lcrplan@v0.1.0"
)


@dataclass(frozen=True)
class Pin:
    """A git repository over https and a commit id (40 hex digits) or a version tag in it."""

    url: str
    ref: str

    @property
    def requirement(self) -> str:
        """The line pip installs: `lcrplan @ git+URL@REF`."""
        return f"lcrplan @ git+{self.url}@{self.ref}"


def parse_pin(spec: str) -> Pin:
    """`git+https://host/owner/repo@REF` as a Pin; anything else is a ValueError."""
    match = _SPEC.fullmatch(spec.strip())
    if match is None:
        raise ValueError(f"'{spec}' is not a pinned git source ({SPEC_HINT})")
    return Pin(match["url"], match["ref"])


def installed_pin() -> Pin | None:
    """The repository and commit this lcrplan was installed from, if pip recorded one (PEP 610)."""
    from importlib import metadata

    try:
        recorded = metadata.distribution("lcrplan").read_text("direct_url.json")
        direct = json.loads(recorded or "null")
        vcs = direct["vcs_info"]
        if vcs.get("vcs") != "git":
            return None
        return parse_pin(f"git+{direct['url'].removeprefix('git+')}@{vcs['commit_id']}")
    except (metadata.PackageNotFoundError, ValueError, KeyError, TypeError):
        return None


UNPINNED_REQUIREMENT = (
    "# lcrplan init could not tell where lcrplan was installed from: replace this comment with\n"
    "# lcrplan @ git+https://github.com/OWNER/lcrplan@COMMIT (a full 40-digit commit id)."
)
# Reserved names (RFC 2606): nobody can register them, so an unpinned hook fails closed.
UNPINNED_REPO = "https://set-lcrplan-repository.invalid/lcrplan"
UNPINNED_REV = "set-an-exact-commit"


def pin_scaffold(files: dict[str, bytes], pin: Pin | None) -> dict[str, str]:
    """The scaffold files that name lcrplan's source, with `pin` (or a fail-closed stub) in."""
    values = {
        "__LCRPLAN_REQUIREMENT__": pin.requirement if pin else UNPINNED_REQUIREMENT,
        "__LCRPLAN_REPO__": pin.url if pin else UNPINNED_REPO,
        "__LCRPLAN_REV__": pin.ref if pin else UNPINNED_REV,
    }
    pinned = {}
    for rel in (".github/lcrplan-requirements.txt", ".pre-commit-config.yaml"):
        text = files[rel].decode("utf-8")
        for marker, value in values.items():
            text = text.replace(marker, value)
        pinned[rel] = text
    return pinned


def scaffold_files(pin: Pin | None = None) -> dict[str, bytes]:
    """Every file `init` writes, by path inside the new folder, pinned to `pin` where known."""
    from importlib import resources

    from ..emit import schema

    package = resources.files("lcrplan")
    files = dict(_tree(package / "scaffold", ""))
    for rel, text in pin_scaffold(files, pin).items():
        files[rel] = text.encode("utf-8")
    templates = package / "templates"
    if templates.is_dir():
        files.update(_tree(templates, "templates/"))
    for name, text in schema.rendered().items():
        files[f"data/schema/{name}"] = text.encode("utf-8")
    return files


def _tree(folder: Traversable, prefix: str) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for entry in folder.iterdir():
        if entry.name == "__pycache__" or entry.name.endswith(".pyc"):
            continue
        if entry.is_dir():
            out.extend(_tree(entry, f"{prefix}{entry.name}/"))
        else:
            out.append((prefix + entry.name, entry.read_bytes()))
    return out


class Outcome(StrEnum):
    """What became of one scaffold file."""

    created = "created"
    exists = "exists"
    """Kept as it is."""
    link = "link"
    """A symbolic link: kept, not followed."""
    under_link = "under_link"
    """Inside a folder that is a link: not written."""
    failed = "failed"


@dataclass(frozen=True)
class Placed:
    """One scaffold file and what became of it (`error`: why it failed)."""

    path: Path
    outcome: Outcome
    error: str = ""
    link: Path | None = None
    """For `under_link`: the link on the way to it."""


def create_missing(directory: Path, pin: Pin | None) -> list[Placed]:
    """Create each scaffold file that is missing under `directory`, in path order; what became
    of each. Nothing is written through a link, and nothing that exists is changed."""
    placed = []
    for rel, content in sorted(scaffold_files(pin).items()):
        path = directory / rel
        link = fileio.first_link(path, directory) if directory.is_dir() else None
        if link == path:
            placed.append(Placed(path, Outcome.link))
        elif os.path.lexists(path):
            placed.append(Placed(path, Outcome.exists))
        elif link is not None:
            placed.append(Placed(path, Outcome.under_link, link=link))
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fileio.create_new(path, content)
            except OSError as exc:
                placed.append(Placed(path, Outcome.failed, str(exc.strerror or exc)))
                continue
            placed.append(Placed(path, Outcome.created))
    return placed
