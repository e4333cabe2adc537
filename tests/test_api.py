"""The library used directly from Python, and the README's section on writing (run, not copied)."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import shutil
from datetime import date
from pathlib import Path

import pytest

from sanshi_cli import PortfolioFile, open_portfolio
from sanshi_cli.errors import SanshiError, UsageError
from tests.conftest import REPO, SAMPLE

README = (REPO / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## Recording delivery and progress") : README.index("## Speed")]
TODAY = date(2026, 11, 27)


@pytest.fixture
def book(tmp_path: Path) -> PortfolioFile:
    path = tmp_path / "projects.toml"
    shutil.copyfile(SAMPLE, path)
    return open_portfolio(path, display="projects.toml")


def test_status_and_nodes_are_those_of_the_commands(book: PortfolioFile) -> None:
    items = book.status(TODAY)
    assert [(i.level, i.project.id, i.milestone.id if i.milestone else i.kind) for i in items][:6] == [
        ("red", "college-upgrade", "clearance"),  # 28 days overdue, as P-2026-004: the file's order
        ("red", "elderly-care", "problem"),
        ("red", "elderly-care", "start"),
        ("red", "longyuan-road", "problem"),
        ("red", "tianbao-valley", "invest_lag"),  # 10,500 of 30,000 万元 is 35.0 %, 48.3 points behind 83.3 %
        ("yellow", "longyuan-road", "permits"),
    ]
    assert {i.project.id for i in book.status(TODAY, projects="市民中心", include_all=True)} == {"civic-center"}
    nodes = list(book.nodes(TODAY, "weekly", projects=["civic-center"]))
    assert [n.period for n in nodes] == ["2026-W48", "2026-W49", "2026-W50", "2026-W51"]
    assert len(book.loaded.portfolio.projects) == 9
    with pytest.raises(UsageError):
        book.status(TODAY, units=["nobody"])


def test_mark_done_returns_what_changed_and_status_sees_it(book: PortfolioFile) -> None:
    dry = book.mark_done("college-upgrade", "clearance", date(2026, 11, 26), dry_run=True)
    assert (dry.changed, dry.written) == (True, False)
    assert dry.diff().splitlines()[3:7] == ["   due = 2026-10-30                   # 尚有 3 户未腾空", '   owner = "wenyuan"',
                                             '   depends = ["signing"]', "+  done = 2026-11-26"]  # fmt: skip
    assert book.path.read_bytes() == SAMPLE.read_bytes()
    change = book.mark_done("college-upgrade", "clearance", date(2026, 11, 26))
    assert change.written and change.backup == book.path.with_name("projects.toml.bak")
    assert change.describe() == "已记录交账：college-upgrade / clearance 2026-11-26（projects.toml）"
    assert "clearance" not in [i.milestone.id for i in book.status(TODAY) if i.milestone is not None]
    again = book.mark_done("college-upgrade", "clearance", date(2026, 11, 26))
    assert (again.changed, again.written, again.describe("en")) == (
        False,
        False,
        "college-upgrade / clearance is already recorded as delivered on 2026-11-26; nothing changed (projects.toml)",
    )


def test_add_report_and_its_errors(book: PortfolioFile) -> None:
    change = book.add_report("civic-center", TODAY, progress=35, invest=1200, by="tzjt")
    assert change.describe("en") == "Added a progress report: civic-center on 2026-11-27 (projects.toml)"
    *earlier, report = book.loaded.portfolio.projects[0].reports
    assert [r.on for r in earlier] == [date(2026, 10, 30), date(2026, 11, 6), date(2026, 11, 13), date(2026, 11, 20)]
    assert (report.on, report.progress, report.invest, report.by) == (TODAY, 35, 1200, "tzjt")
    with pytest.raises(SanshiError) as raised:
        book.add_report("civic-center", TODAY, progress=36)
    assert [p.message for p in raised.value.problems] == ["report_exists"]
    with pytest.raises(TypeError):
        book.mark_done("civic-center", "permits")


def test_progress_is_the_ledger_of_sanshi_progress(book: PortfolioFile) -> None:
    [hpu] = book.progress(TODAY, projects=["河南理工大学科技园"])
    # reported: the 2026-11-20 report's 28; planned: 45 at topping-out (11-26), 90 at completion
    # (2027-08-31), 198 working days apart, 11-27 one of them: 45 + 45/198 = 45.2
    assert (hpu.project.id, hpu.reported_progress, hpu.reported_on, hpu.planned_progress) == (
        "hpu-science-park",
        28.0,
        date(2026, 11, 20),
        45.2,
    )
    assert hpu.progress_lag_points == 17.2
    # 17,500 + 400 + 500 + 600 万元 of 22,000 this year: 86.4 %, 序时 10/12 = 83.3 %: 3.1 points ahead
    assert (hpu.invest_year, hpu.annual_plan, round(hpu.time_progress, 1), hpu.invest_points) == (
        19000,
        22000,
        83.3,
        3.1,
    )
    # a report every 7 days after 11-20: the next is due today, none overdue yet
    assert (hpu.report_due, hpu.reports_missed) == (TODAY, 0)

    rows = book.progress(TODAY, units=["tzjt"])  # responsible for five projects, leads none
    assert [r.project.id for r in rows] == [
        "civic-center", "elderly-care", "reclaimed-water", "hpu-science-park", "smart-island"
    ]  # fmt: skip
    [earlier] = book.progress(TODAY, year=2025, projects=["hpu-science-park"])
    # as of 2025-12-31: before the project's start, no plan for 2025, no report yet
    assert (earlier.as_of, earlier.planned_progress, earlier.annual_plan, earlier.reported_progress) == (
        date(2025, 12, 31),
        0.0,
        None,
        None,
    )
    assert earlier.time_progress == 100.0


def test_the_readme_example_runs_against_a_copy_of_the_sample(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "data").mkdir()
    shutil.copyfile(SAMPLE, tmp_path / "data" / "projects.toml")
    monkeypatch.chdir(tmp_path)
    code = re.search(r"```python\n(.*?)```", SECTION, re.DOTALL).group(1)  # type: ignore[union-attr]
    shown = re.search(r"```python\n.*?```\n\nprints\n\n```text\n(.*?)```", SECTION, re.DOTALL).group(1)  # type: ignore[union-attr]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {})
    assert printed.getvalue() == shown


def test_the_readme_transcripts_are_what_sanshi_prints(sanshi, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "data").mkdir()
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```text\n(\$ sanshi .*?)```", SECTION, re.DOTALL)
    assert len(blocks) == 2
    for block in blocks:  # each on the sample as shipped
        shutil.copyfile(SAMPLE, tmp_path / "data" / "projects.toml")
        lines = block.splitlines()
        commands = [n for n, line in enumerate(lines) if line.startswith("$ ")]
        for start, end in zip(commands, [*commands[1:], len(lines)], strict=True):
            args = shlex.split(lines[start][2:])[1:]
            if "--as-of" not in args:
                args += ["--as-of", "2026-11-27"]
            result = sanshi(*args)
            assert (result.exit_code, result.stderr) == (0, ""), lines[start]
            assert result.stdout.splitlines() == lines[start + 1 : end], lines[start]
