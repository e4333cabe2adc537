"""The real console entry point in a child process: exit codes, streams, pipes.

The in-process runner calls the Typer app; these go through ``main()``, which ends the
process itself (after flushing) and must hand the exit code to the shell unchanged.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLE


def sanshi(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    keep = ("SANSHI_CACHE_DIR",)  # the test's own parse cache (conftest): never the user's
    env = {k: v for k, v in os.environ.items() if (not k.startswith("SANSHI_") or k in keep) and k != "COLUMNS"}
    return subprocess.run(
        [sys.executable, "-m", "sanshi_cli", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=60
    )


def test_version() -> None:
    result = sanshi("--version")
    assert (result.returncode, result.stdout.startswith("sanshi "), result.stderr) == (0, True, "")


@pytest.mark.parametrize(("threshold", "code"), [("red", 1), ("blue", 1)])
def test_fail_on_reaches_the_shell(threshold: str, code: int) -> None:
    result = sanshi("status", "-f", str(SAMPLE), "--as-of", "2026-11-27", "--fail-on", threshold)
    assert result.returncode == code
    assert "红灯：5 项" in result.stdout  # two milestones long overdue, two problems, tianbao-valley's investment


def test_nothing_listed_exits_0() -> None:
    result = sanshi("status", "-f", str(SAMPLE), "--as-of", "2026-01-05", "--fail-on", "red")
    assert result.returncode == 0, result.stderr


def test_piped_table_has_no_escape_codes_and_is_not_folded_to_80_columns() -> None:
    result = sanshi("status", "-f", str(SAMPLE), "--as-of", "2026-11-27")
    assert "\x1b[" not in result.stdout
    assert "河南工信职业学院基础设施完善提升项目" in result.stdout  # on one line, not folded


def test_bad_file_exits_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "projects.toml").write_text("[settings]\nlanguage = 'en'\ntitel = 1\n", encoding="utf-8")
    result = sanshi("check", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "projects.toml:3: error: key settings.titel: unknown key (did you mean 'title'?): remove or correct it"
    ]


def test_usage_error_exits_2() -> None:
    result = sanshi("status", "--no-such-option")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_a_reader_that_leaves_early_causes_no_traceback() -> None:
    # `sanshi plan --all | head -1`: the pipe closes while sanshi is still writing.
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sanshi_cli",
            "plan",
            "--weekly",
            "--all",
            "-f",
            str(SAMPLE),
            "--as-of",
            "2026-11-27",
            "--format",
            "csv",
        ],  # fmt: skip
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode("utf-8")
    process.wait(timeout=60)
    assert "Traceback" not in stderr
    assert "Exception" not in stderr
