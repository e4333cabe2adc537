"""``sanshi report``: a progress report appended to the project, checked before it is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLE

ORIGINAL = SAMPLE.read_bytes()
AFTER_CIVIC = b'  by = "tzjt"\n\n# ---- 2.'  # civic-center's last report, 2026-11-20


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "projects.toml"
    shutil.copyfile(SAMPLE, path)
    return path


def with_report(block: str) -> bytes:
    assert ORIGINAL.count(AFTER_CIVIC) == 1
    return ORIGINAL.replace(AFTER_CIVIC, f'  by = "tzjt"\n\n{block}\n# ---- 2.'.encode())


def test_a_report_is_appended_to_the_project(sanshi, sample: Path) -> None:
    result = sanshi(
        "report", "市民中心", "--progress", "35", "--invest", "1200", "--text", '完成三层"顶板"', "--next", "四层",
        "--by", "建设局", "--as-of", "2026-11-27",
    )  # fmt: skip
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "已添加进度填报：civic-center 2026-11-27（projects.toml）\n",
        "",
    )
    assert sample.read_bytes() == with_report(
        '  [[projects.reports]]\n  on = 2026-11-27\n  progress = 35\n  invest = 1200\n  text = "完成三层\\"顶板\\""\n'
        '  next = "四层"\n  by = "jsj"\n'
    )
    assert (sample.parent / "projects.toml.bak").read_bytes() == ORIGINAL


def test_a_second_report_on_the_same_day_needs_replace(sanshi, sample: Path) -> None:
    first = sanshi("report", "civic-center", "--progress", "35", "--text", "周报", "--as-of", "2026-11-27")
    assert first.exit_code == 0
    first = sample.read_bytes()
    again = sanshi("report", "civic-center", "--progress", "36", "--as-of", "2026-11-27", "--lang", "en")
    assert (again.exit_code, again.stderr) == (
        2,
        "error: civic-center already has a progress report on 2026-11-27: to correct it, add --replace\n",
    )
    assert sample.read_bytes() == first
    replaced = sanshi(
        "report", "civic-center", "--progress", "36", "--replace", "--as-of", "2026-11-27", "--lang", "en"
    )
    assert replaced.stdout == "Replaced the progress report: civic-center on 2026-11-27 (projects.toml)\n"
    # corrected, not replaced whole: the text given the first time stays
    assert sample.read_bytes() == with_report(
        '  [[projects.reports]]\n  on = 2026-11-27\n  progress = 36\n  text = "周报"\n'
    )


def test_an_earlier_report_goes_before_a_later_one(sanshi, sample: Path) -> None:
    assert sanshi("report", "civic-center", "--progress", "35", "--as-of", "2026-11-27").exit_code == 0
    result = sanshi("report", "civic-center", "--on", "2026-11-24", "--text", "周报", "--as-of", "2026-11-27")
    assert result.exit_code == 0, result.stderr
    assert sample.read_bytes() == with_report(
        '  [[projects.reports]]\n  on = 2026-11-24\n  text = "周报"\n\n'
        "  [[projects.reports]]\n  on = 2026-11-27\n  progress = 35\n"
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], ["错误：进度填报至少要有 --progress、--invest、--text 之一"]),
        (["--progress", "120"], ["错误：形象进度 120 不在 0 到 100 之间：请填写项目累计完成的百分比"]),
        (["--invest", "-5"], ["错误：完成投资 -5 万元是负数：请填写本期完成的投资（万元，不小于 0）"]),
        (
            ["--progress", "5", "--on", "2026-11-28"],
            ["错误：填报日期 2026-11-28 晚于今天 2026-11-27：只能填报已经发生的进度（日期请用 --on 指定）"],
        ),
        (["--text", "x", "--by", "建设"], ["错误：--by “建设” 不是已知的单位（是否应为 “建设局”？）：请用 id 或名称"]),
        (["--text", "x", "--by", "xyz"], ["错误：--by “xyz” 不是已知的单位：请用 id 或名称"]),
    ],
    ids=["nothing", "progress-over-100", "negative-invest", "after-as-of", "unit-near", "unit-unknown"],
)
def test_bad_reports_are_refused_and_the_file_untouched(sanshi, sample: Path, args, expected) -> None:
    result = sanshi("report", "civic-center", *args, "--as-of", "2026-11-27")
    assert (result.exit_code, result.stdout, result.stderr.splitlines()) == (2, "", expected)
    assert sample.read_bytes() == ORIGINAL
    assert sorted(p.name for p in sample.parent.iterdir() if p.name != "projects.toml.lock") == ["projects.toml"]


def test_progress_below_an_earlier_report_is_refused(sanshi, sample: Path) -> None:
    assert (
        sanshi("report", "civic-center", "--on", "2026-11-24", "--progress", "35", "--as-of", "2026-11-27").exit_code
        == 0
    )
    before = sample.read_bytes()
    result = sanshi("report", "civic-center", "--progress", "30", "--as-of", "2026-11-27")
    assert result.stderr == "错误：形象进度 30% 低于 2026-11-24 填报的 35%：形象进度是累计值，不能减少\n"
    assert sample.read_bytes() == before


def test_a_report_that_breaks_a_later_one_fails_the_check_and_is_not_written(sanshi, sample: Path) -> None:
    assert sanshi("report", "civic-center", "--progress", "35", "--as-of", "2026-11-27").exit_code == 0
    before = sample.read_bytes()
    result = sanshi("report", "civic-center", "--on", "2026-11-24", "--progress", "50", "--as-of", "2026-11-27")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "错误：未写入 projects.toml：修改后的文件将无法通过 sanshi check，文件保持原样（以下行号指修改后的文件）",
        "projects.toml:371: 错误：项目 civic-center，键 progress：形象进度 progress = 35 低于 2026-11-24 填报的 50：形象进度是累计值，不会减少",
    ]
    assert sample.read_bytes() == before


def test_a_report_outside_the_projects_span_is_a_warning(sanshi, sample: Path) -> None:
    result = sanshi("report", "civic-center", "--on", "2025-12-01", "--text", "前期", "--as-of", "2026-11-27")
    assert result.exit_code == 0
    assert result.stderr == (
        "警告：civic-center 的填报日期 2025-12-01 不在项目工期 2026-01-05 至 2027-12-31 内：已照此记录，请确认\n"
    )


def test_dry_run_shows_the_new_table(sanshi, sample: Path) -> None:
    result = sanshi("report", "civic-center", "--progress", "35", "--dry-run", "--as-of", "2026-11-27", "--lang", "en")
    assert result.stdout.splitlines()[-8:] == [
        "+",
        "+  [[projects.reports]]",
        "+  on = 2026-11-27",
        "+  progress = 35",
        " ",
        " # ---- 2. 焦作市四级养老服务综合体示范项目 ----",
        " [[projects]]",
        "--dry-run: the change above was not written to projects.toml",
    ]
    assert sample.read_bytes() == ORIGINAL


def test_help_has_an_example(sanshi) -> None:
    assert "Example: sanshi report civic-center --on 2026-11-27 --progress 35" in sanshi("report", "--help").stdout
