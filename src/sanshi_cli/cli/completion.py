"""Shell completion of the ids of projects, units and people, read cheaply from the project file.

Runs on every press of Tab: no validation, no scheduling, and never an error. A file that is
missing, unreadable or broken gives no candidates rather than a message in the middle of the
user's command line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import typer

from sanshi_cli.i18n import visible

Candidate = tuple[str, str]  # (id, what the shell shows beside it: the name)

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]\s]+)\s*\]\]?")
_KEY = re.compile(r"""^\s*(id|name|short)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')""")


def complete_projects(ctx: typer.Context, incomplete: str) -> list[Candidate]:
    """Project ids (``-p``)."""
    return _candidates(ctx, "projects", incomplete)


def complete_units(ctx: typer.Context, incomplete: str) -> list[Candidate]:
    """Unit ids (``-u``, ``--only-unit``)."""
    return _candidates(ctx, "units", incomplete)


def complete_people(ctx: typer.Context, incomplete: str) -> list[Candidate]:
    """Lead officials' ids (``-l``)."""
    return _candidates(ctx, "people", incomplete)


def complete_problems(ctx: typer.Context, incomplete: str) -> list[Candidate]:
    """Problem ids (``sanshi problem note ID``), with their text beside them."""
    try:
        projects = _rows(_project_file(ctx), "projects")
    except Exception:  # completion must never print a traceback into the user's prompt
        return []
    found: list[Candidate] = []
    for project in projects:
        problems = project.get("problems")
        for entry in problems if isinstance(problems, list) else []:
            ident = entry.get("id") if isinstance(entry, dict) else None
            if isinstance(ident, str) and ident.startswith(incomplete) and ident.isprintable() and " " not in ident:
                text = entry.get("text")
                found.append((ident, visible(text if isinstance(text, str) else "")))
    return found


def complete_channels(ctx: typer.Context, incomplete: str) -> list[Candidate]:
    """Group chat names (``sanshi alert --only-channel``), with their platform beside them."""
    import tomli

    try:
        text = _project_file(ctx).read_bytes().decode("utf-8-sig", errors="replace")
        channels = tomli.loads(text).get("channels")
    except Exception:  # a file being edited offers nothing rather than a traceback
        return []
    if not isinstance(channels, dict):
        return []
    return [
        (name, visible(str(config.get("kind", ""))) if isinstance(config, dict) else "")
        for name, config in channels.items()
        if name.startswith(incomplete) and name.isprintable() and " " not in name
    ]


def _candidates(ctx: typer.Context, table: str, incomplete: str) -> list[Candidate]:
    try:
        rows = _rows(_project_file(ctx), table)
    except Exception:  # completion must never print a traceback into the user's prompt
        return []
    # Ids that start with what was typed (Typer keeps only those); the name is the help text.
    found: list[Candidate] = []
    seen: set[str] = set()
    for row in rows:
        ident, name, short = (value if isinstance(value := row.get(k), str) else "" for k in ("id", "name", "short"))
        if ident and ident not in seen and ident.startswith(incomplete) and ident.isprintable() and " " not in ident:
            seen.add(ident)  # an id with a control character is never offered; a name shows its escapes
            found.append((ident, visible(f"{name} ({short})" if short and short != name else name)))
    return found


def _project_file(ctx: typer.Context) -> Path:
    """The file the command would read: --file on the command line so far, else as it looks."""
    from sanshi_cli.files import find_project_file

    option: str | None = None
    here: Any = ctx
    while here is not None and option is None:
        value = here.params.get("file")
        option = value if isinstance(value, str) and value else None
        here = here.parent
    return find_project_file(option, os.environ, Path.cwd())


def _rows(path: Path, table: str) -> list[dict[str, Any]]:
    """The tables of one array (``[[units]]``, ...) as plain dicts; a line scan if the TOML is broken."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    import tomli

    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError:
        return _scan(text, table)
    rows = data.get(table)
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []


def _scan(text: str, table: str) -> list[dict[str, Any]]:
    """``id``/``name``/``short`` of each ``[[table]]``, found line by line (a file being edited)."""
    rows: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for line in text.splitlines():
        header = _HEADER.match(line)
        if header:
            current = {} if line.lstrip().startswith("[[") and header.group(1) == table else None
            if current is not None:
                rows.append(current)
            continue
        key = _KEY.match(line)
        if current is not None and key and key.group(1) not in current:
            current[key.group(1)] = key.group(2) if key.group(2) is not None else key.group(3)
    return rows
