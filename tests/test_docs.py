"""The README documents every command and every key of the project file."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from sanshi_cli import model
from sanshi_cli.cli import app
from sanshi_cli.model import file_key, hints
from tests.conftest import REPO, SAMPLE

README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(c.name or c.callback.__name__ for c in app.registered_commands))  # type: ignore[union-attr]
def test_every_command_is_documented(command: str) -> None:
    assert f"`sanshi {command}" in README


TABLES = [
    model.Settings, model.CalendarConfig, model.YearNotice, model.AlertConfig, model.SmtpConfig,
    model.Unit, model.Person, model.Project, model.Milestone, model.MonthlyTarget, model.WeeklyTarget, model.Report,
    model.ProblemsConfig, model.ProblemEntry, model.ProblemUpdate, model.Extension, model.Reopening,
    model.RankingConfig, model.RankingWeights, model.Inspection, model.Channel,
]  # fmt: skip


@pytest.mark.parametrize(
    "key",
    sorted({file_key(table, name) for table in TABLES for name in hints(table)} - {"note"}),
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
        ("150", ["problem", "list", "--as-of", "2026-11-27"]),
        ("150", ["problem", "list", "--from", "2026-10-01", "--to", "2026-10-31"]),
    ],
    ids=["status", "status-80-columns", "plan", "problem-list", "problem-list-period"],
)
def test_readme_transcripts_are_what_sanshi_prints(sanshi, monkeypatch, columns: str, args: list[str]) -> None:
    """The README shows real output of the bundled sample (150 and 80 columns), not a hand-made copy."""
    monkeypatch.setenv("COLUMNS", columns)
    result = sanshi(*args, "-f", str(REPO / "data" / "projects.toml"))
    assert result.exit_code == 0
    printed = result.stdout.strip("\n")
    assert len(printed.splitlines()) > 5
    assert f"```text\n{printed}\n" in README


# -- the TOML blocks ------------------------------------------------------------------------------

TOML_BLOCKS = [
    (README[: match.start()].count("\n") + 2, match.group(1))
    for match in re.finditer(r"^```toml\n(.*?)^```$", README, re.MULTILINE | re.DOTALL)
]


def merge(base: dict[str, Any], fragment: dict[str, Any]) -> dict[str, Any]:
    """``fragment`` laid over ``base`` as if typed into the file.

    Tables merge key by key. An array of tables (``[[units]]``, ``[[projects]]``) gains the
    fragment's entries, an entry with the id of an existing one replacing it whole (a block that
    shows a unit ``jsj`` redefines the sample's ``jsj``, it does not add a duplicate). Any other
    value replaces the old one.
    """
    for key, value in fragment.items():
        old = base.get(key)
        if isinstance(value, dict) and isinstance(old, dict):
            merge(old, value)
        elif isinstance(old, list) and isinstance(value, list) and all(isinstance(v, dict) for v in value + old):
            for entry in value:
                same = [i for i, o in enumerate(old) if "id" in entry and o.get("id") == entry["id"]]
                if same:
                    old[same[0]] = entry
                else:
                    old.append(entry)
        else:
            base[key] = value
    return base


def test_the_readme_has_toml_blocks() -> None:
    assert len(TOML_BLOCKS) >= 4


@pytest.mark.parametrize("block", [b for _, b in TOML_BLOCKS], ids=[f"line-{n}" for n, _ in TOML_BLOCKS])
def test_every_toml_block_passes_check_merged_into_the_sample(sanshi, tmp_path: Path, block: str) -> None:
    import tomli
    import tomli_w

    fragment = tomli.loads(block)  # a syntax error fails here, with the reader's message
    merged = merge(tomli.loads(SAMPLE.read_text("utf-8")), fragment)
    path = tmp_path / "merged.toml"
    path.write_text(tomli_w.dumps(merged), encoding="utf-8")
    result = sanshi("check", "-f", str(path), "--as-of", "2026-11-27")
    assert result.exit_code == 0, result.stderr


def test_merge_replaces_same_id_entries_and_appends_new_ones() -> None:
    base = {
        "units": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        "alerts": {"red_after_days": 7, "pmo": ["x"]},
    }
    fragment = {"units": [{"id": "b", "name": "B2"}, {"id": "c", "name": "C"}], "alerts": {"pmo": ["y"]}}
    assert merge(base, fragment) == {
        "units": [{"id": "a", "name": "A"}, {"id": "b", "name": "B2"}, {"id": "c", "name": "C"}],
        "alerts": {"red_after_days": 7, "pmo": ["y"]},
    }


# -- links ----------------------------------------------------------------------------------------


def test_links_go_to_sources_or_documentation_not_a_package_index() -> None:
    assert not re.findall(r"https?://(?:pypi\.org|pypi\.python\.org|pypi\.tuna|mirrors\.\S+/pypi)\S*", README)


def test_every_dependency_is_linked() -> None:
    import tomli

    project = tomli.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    names = [re.match(r"[A-Za-z0-9_.\-]+", r).group(0) for r in requirements]  # type: ignore[union-attr]
    for name in names:
        linked = re.search(rf"\[`?{re.escape(name)}`?\]\((https://[^)]+)\)", README, re.IGNORECASE)
        assert linked, f"{name} is not linked in the README"


def test_the_readmes_2026_notice_is_the_built_in_one() -> None:
    """The worked example of a typed-in notice changes nothing: it is what sanshi already knows."""
    import tomli

    from sanshi_cli.workcalendar import Notice, WorkCalendar

    [notice] = [n for _, b in TOML_BLOCKS if (n := tomli.loads(b).get("calendar", {}).get("years", {}).get("2026"))]
    typed = WorkCalendar({2026: Notice(frozenset(notice["holidays"]), frozenset(notice["workdays"]))})
    built_in = WorkCalendar()
    days = [date(2026, 1, 1) + timedelta(n) for n in range(365)]
    assert [d for d in days if typed.is_workday(d) != built_in.is_workday(d)] == []


def test_readme_usage_mistakes_are_what_sanshi_prints(sanshi) -> None:
    """The README's command-line mistakes: each `$ sanshi …` line followed by what sanshi says."""
    import shlex

    block = README[README.index("$ sanshi status --fail-on purple") :].split("```", 1)[0]
    lines = block.strip("\n").splitlines()
    shown = [(line[2:], lines[n + 1]) for n, line in enumerate(lines) if line.startswith("$ ")]
    assert len(shown) >= 2
    for command, said in shown:
        result = sanshi(*shlex.split(command)[1:])
        assert (result.exit_code, result.stderr) == (2, said + "\n"), command
