"""Start-up: each command imports only what it needs (issue 10).

The real entry point runs in a child process under ``python -X importtime``, which lists every
module the run imported; a module on a command's deny-list fails the test, naming it. No
timings are asserted: what is imported is what costs the time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.conftest import SAMPLE
from tests.test_completion import PROGRAM, environment

# Never for reading the sample and printing a table to a pipe: mail, calendars, edits, locks,
# spreadsheets, templates, the network, and rich (which only colours a terminal).
DENIED = [
    "smtplib", "ssl", "email.mime", "icalendar", "openpyxl", "jinja2", "tomlkit", "tomli_w", "httpx", "filelock",
    "rich", "sanshi_cli.mailing", "sanshi_cli.alerting", "sanshi_cli.editing", "sanshi_cli.writing",
]  # fmt: skip
# A run of one command builds only that command: not the others' modules.
STATUS_DENIED = [*DENIED, "sanshi_cli.cli.alert", "sanshi_cli.cli.done", "sanshi_cli.cli.init", "sanshi_cli.cli.report",
                 "sanshi_cli.cli.problem", "sanshi_cli.rendering_problems", "sanshi_cli.portfolio",
                 "sanshi_cli.cli.bulletin", "sanshi_cli.bulletin", "sanshi_cli.rendering_bulletin"]  # fmt: skip
# --help and completion need no model: pydantic and the loader are for commands that read the file.
HELP_DENIED = [*DENIED, "sanshi_cli.loading", "sanshi_cli.model", "sanshi_cli.scheduling", "tomli"]
# Typer 0.29 runs every option through pydantic (why pyproject.toml keeps Typer below 0.29).
if tuple(int(n) for n in version("typer").split(".")[:2]) < (0, 29):
    HELP_DENIED += ["pydantic", "pydantic_core"]


def imported(args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> set[str]:
    """Every module ``python -X importtime`` reports for a run of ``args`` (after ``-X importtime``)."""
    if env is None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SANSHI_") or k == "SANSHI_CACHE_DIR"}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=60
    )
    assert result.returncode in (0, 1), result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("import time:")]
    assert lines, result.stderr
    return {line.rpartition("|")[2].strip() for line in lines[1:]}  # the first is the header


def denied(modules: set[str], deny: list[str]) -> list[str]:
    """The modules that are on ``deny`` or inside a package on it."""
    return sorted(m for m in modules if any(m == d or m.startswith(d + ".") for d in deny))


@pytest.mark.parametrize(
    "command",
    [
        ["status", "--as-of", "2026-11-27"],
        ["status", "--as-of", "2026-11-27", "--format", "json"],
        ["plan", "--weekly", "--as-of", "2026-11-27"],
        ["check", "--as-of", "2026-11-27"],
    ],
    ids=" ".join,
)
def test_reading_commands_import_nothing_on_the_deny_list(command: list[str]) -> None:
    modules = imported(["-m", "sanshi_cli", *command, "-f", str(SAMPLE)])
    assert "sanshi_cli.loading" in modules  # the run did read the file
    assert denied(modules, STATUS_DENIED) == []


def test_the_problem_list_reads_without_the_writing_machinery() -> None:
    modules = imported(["-m", "sanshi_cli", "problem", "list", "--as-of", "2026-11-27", "-f", str(SAMPLE)])
    assert {"sanshi_cli.loading", "sanshi_cli.rendering_problems"} <= modules
    assert denied(modules, [*DENIED, "sanshi_cli.portfolio", "sanshi_cli.cli.status", "sanshi_cli.cli.done"]) == []


def test_version_imports_neither_typer_nor_pydantic() -> None:
    modules = imported(["-m", "sanshi_cli", "--version"])
    assert denied(modules, ["typer", "click", "pydantic", "rich", "sanshi_cli.cli.root"]) == []


@pytest.mark.parametrize("args", [["--help"], ["status", "--help"], ["plan", "--help"]], ids=" ".join)
def test_help_needs_no_model(args: list[str]) -> None:
    modules = imported(["-m", "sanshi_cli", *args])
    assert "typer" in modules
    assert denied(modules, HELP_DENIED) == []


def test_completion_reads_ids_without_the_model() -> None:
    env = environment(_SANSHI_COMPLETE="complete_bash", COMP_WORDS="sanshi status -p ", COMP_CWORD="3")
    modules = imported(["-c", PROGRAM], cwd=SAMPLE.parent, env=env)
    assert "sanshi_cli.cli.completion" in modules
    assert denied(modules, [m for m in HELP_DENIED if m != "tomli"]) == []  # tomli reads the ids


@pytest.mark.parametrize(
    "command",
    [["status", "--as-of", "2026-11-27"], ["plan", "--weekly", "--as-of", "2026-11-27"], ["check"]],
    ids=" ".join,
)
def test_a_cache_hit_needs_no_validation(command: list[str]) -> None:
    """The second run of an unchanged file reads the parse cache: no TOML reader, no pydantic."""
    args = ["-m", "sanshi_cli", *command, "-f", str(SAMPLE)]
    first = imported(args)
    assert {"tomli", "pydantic", "sanshi_cli.schema"} <= first  # a miss: read and validated in full
    second = imported(args)
    assert "sanshi_cli.caching" in second
    assert denied(second, ["tomli", "pydantic", "pydantic_core", "sanshi_cli.schema"]) == []


def test_without_the_cache_every_run_validates() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANSHI_")} | {"SANSHI_NO_CACHE": "1"}
    args = ["-m", "sanshi_cli", "status", "--as-of", "2026-11-27", "-f", str(SAMPLE)]
    for _ in range(2):
        assert {"tomli", "pydantic", "sanshi_cli.schema"} <= imported(args, env=env)
