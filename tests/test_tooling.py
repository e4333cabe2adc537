"""The one test command is the whole gate: lint, format and strict typing run here too."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

SOURCE = REPO / "src" / "sanshi_cli"


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"{name} is not installed next to {sys.executable}: pip install -e '.[test]'")
    return found


@pytest.mark.parametrize("arguments", [["check", "."], ["format", "--check", "."]], ids=["lint", "format"])
def test_ruff(arguments: list[str]) -> None:
    result = subprocess.run([_tool("ruff"), *arguments], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    result = subprocess.run([_tool("mypy")], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_cli_touches_typer() -> None:
    """The CLI only wires: the core never imports Typer."""
    offenders = [p.name for p in SOURCE.glob("*.py") if "typer" in _imports(p)]
    assert offenders == []


def test_only_cli_and_rendering_touch_rich() -> None:
    allowed = {"rendering.py", "rendering_plan.py", "rendering_progress.py", "rendering_problems.py"}
    offenders = [p.name for p in SOURCE.glob("*.py") if "rich" in _imports(p) and p.name not in allowed]
    assert offenders == []


def test_core_never_reads_the_clock() -> None:
    """Today is a parameter: only the CLI resolves it."""
    offenders = []
    for path in SOURCE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "date.today(" in text or "datetime.now(" in text or "time.time(" in text:
            offenders.append(path.name)
    assert offenders == []
