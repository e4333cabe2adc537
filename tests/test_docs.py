"""The README documents every command and every key of the project file."""

from __future__ import annotations

import re

import pytest

from sanshi_cli import model
from sanshi_cli.cli import app
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(c.name or c.callback.__name__ for c in app.registered_commands))  # type: ignore[union-attr]
def test_every_command_is_documented(command: str) -> None:
    assert f"`sanshi {command}" in README


TABLES = [
    model.Settings, model.CalendarConfig, model.YearNotice, model.AlertConfig, model.SmtpConfig,
    model.Unit, model.Person, model.Project, model.Milestone, model.MonthlyTarget, model.WeeklyTarget,
]  # fmt: skip


@pytest.mark.parametrize(
    "key",
    sorted({f.alias or name for table in TABLES for name, f in table.model_fields.items()} - {"note"}),
)
def test_every_file_key_is_documented(key: str) -> None:
    assert re.search(rf"(^|\s|`|\.){re.escape(key)}(\s*=|`|\]|\.)", README, re.MULTILINE), key


def test_readme_has_no_unfilled_placeholders() -> None:
    assert "<<" not in README


@pytest.mark.parametrize(
    ("columns", "args"),
    [
        ("150", ["status", "--as-of", "2026-11-27"]),
        ("80", ["status", "--as-of", "2026-11-27"]),
        (
            "150",
            [
                "plan",
                "--weekly",
                "--as-of",
                "2026-11-27",
                "-n",
                "2",
                "-p",
                "civic-center",
                "-p",
                "longyuan-road",
                "-p",
                "shanyang-bridge",
            ],
        ),
    ],
    ids=["status", "status-80-columns", "plan"],
)
def test_readme_transcripts_are_what_sanshi_prints(sanshi, monkeypatch, columns: str, args: list[str]) -> None:
    """The README shows real output of the bundled sample (150 and 80 columns), not a hand-made copy."""
    monkeypatch.setenv("COLUMNS", columns)
    result = sanshi(*args, "-f", str(REPO / "data" / "projects.toml"))
    assert result.exit_code == 0
    printed = result.stdout.strip("\n")
    assert len(printed.splitlines()) > 5
    assert f"```text\n{printed}\n" in README
