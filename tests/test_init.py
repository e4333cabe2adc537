"""A first day: ``sanshi init`` writes a file that works, and a bare ``sanshi`` helps."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest
import tomli

from tests.conftest import SAMPLE

TEMPLATES = files("sanshi_cli").joinpath("templates")
AS_OF = "2026-12-01"


def template(name: str) -> bytes:
    return TEMPLATES.joinpath(name).read_bytes()


def test_the_packaged_example_is_the_bundled_sample_byte_for_byte() -> None:
    assert template("example.toml") == SAMPLE.read_bytes()


def test_init_writes_the_chinese_starter_and_says_what_next(sanshi, tmp_path: Path) -> None:
    result = sanshi("init")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "已写入 projects.toml：带注释的入门模板，含一个示例项目；请把示例单位、人员和项目改为实际数据。",
        "下一步：修改后运行 sanshi check 检查，再运行 sanshi status",
    ]
    assert (tmp_path / "projects.toml").read_bytes() == template("starter.zh.toml")


def test_init_lang_en_writes_the_english_starter(sanshi, tmp_path: Path) -> None:
    result = sanshi("init", "--lang", "en", "pmo.toml")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "wrote pmo.toml: a commented starter with one example project; replace the example units, people and project with yours.",
        "next: edit it, run sanshi check -f pmo.toml, then sanshi status -f pmo.toml",
    ]
    written = (tmp_path / "pmo.toml").read_text("utf-8")
    assert written.encode() == template("starter.en.toml")
    assert tomli.loads(written)["settings"]["language"] == "en"


def test_sanshi_lang_chooses_the_starter_when_lang_is_not_given(sanshi, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SANSHI_LANG", "en")
    assert sanshi("init").exit_code == 0
    assert (tmp_path / "projects.toml").read_bytes() == template("starter.en.toml")


def test_init_example_writes_the_full_sample(sanshi, tmp_path: Path) -> None:
    result = sanshi("init", "--example", "sample.toml")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "已写入 sample.toml：完整的示例台账（9 个项目）。",
        "下一步：运行 sanshi status -f sample.toml",
    ]
    assert (tmp_path / "sample.toml").read_bytes() == SAMPLE.read_bytes()


def test_a_folder_gets_projects_toml_inside(sanshi, tmp_path: Path) -> None:
    (tmp_path / "pmo").mkdir()
    result = sanshi("init", "pmo", "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout.startswith("wrote pmo/projects.toml: ")
    assert (tmp_path / "pmo" / "projects.toml").is_file()


def test_the_next_command_quotes_a_path_with_a_space(sanshi, tmp_path: Path) -> None:
    (tmp_path / "my files").mkdir()
    result = sanshi("init", "my files/p.toml", "--lang", "en")
    assert (
        result.stdout.splitlines()[1]
        == "next: edit it, run sanshi check -f 'my files/p.toml', then sanshi status -f 'my files/p.toml'"
    )


def test_the_next_command_names_the_file_when_sanshi_file_points_elsewhere(sanshi, monkeypatch) -> None:
    monkeypatch.setenv("SANSHI_FILE", "/srv/pmo/projects.toml")
    result = sanshi("init")
    assert (
        result.stdout.splitlines()[1]
        == "下一步：修改后运行 sanshi check -f projects.toml 检查，再运行 sanshi status -f projects.toml"
    )


@pytest.mark.parametrize(
    ("args", "lang", "expected"),
    [
        ([], None, "projects.toml: 错误：文件已存在，未做改动：请换一个文件名，或先把它移走"),
        (
            ["--example"],
            "en",
            "projects.toml: error: the file exists and was left untouched: name another file, or move it away first",
        ),
    ],
    ids=["starter-zh", "example-en"],
)
def test_init_never_overwrites(sanshi, tmp_path: Path, args, lang, expected) -> None:
    target = tmp_path / "projects.toml"
    target.write_text("# mine\n", encoding="utf-8")
    before = target.stat()
    result = sanshi("init", *args, *(["--lang", lang] if lang else []))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [expected]
    assert target.read_text("utf-8") == "# mine\n"
    assert target.stat().st_mtime_ns == before.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == ["projects.toml"]  # no temporary file left


def test_init_does_not_write_through_a_dangling_link(sanshi, tmp_path: Path) -> None:
    (tmp_path / "projects.toml").symlink_to(tmp_path / "elsewhere.toml")
    result = sanshi("init")
    assert result.exit_code == 2
    assert not (tmp_path / "elsewhere.toml").exists()


def test_a_missing_folder_is_one_line(sanshi) -> None:
    result = sanshi("init", "no/such/folder/projects.toml", "--lang", "en")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "no/such/folder/projects.toml: error: no such folder: create it first, or choose another path"
    ]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_folder_is_one_line(sanshi, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = sanshi("init", "ro/projects.toml", "--lang", "en")
    finally:
        folder.chmod(0o700)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "ro/projects.toml: error: cannot write the file (Permission denied): check the folder's permissions, or choose another path"
    ]


# -- what was written works -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "projects"), [([], 1), (["--lang", "en"], 1), (["--example"], 9)], ids=["zh", "en", "example"]
)
def test_every_written_file_passes_check_and_status_works(sanshi, args, projects) -> None:
    assert sanshi("init", *args).exit_code == 0
    check = sanshi("check", "--as-of", AS_OF)  # finds ./projects.toml by itself
    assert check.exit_code == 0, check.stderr
    assert f"{projects} 个项目" in check.stdout or f"{projects} project" in check.stdout
    assert "错误" not in check.stderr and "error" not in check.stderr
    status = sanshi("status", "--as-of", AS_OF)
    assert status.exit_code == 0, status.stderr
    plan = sanshi("plan", "--weekly", "--as-of", AS_OF)
    assert plan.exit_code == 0, plan.stderr


@pytest.mark.parametrize("name", ["starter.zh.toml", "starter.en.toml"])
def test_the_starter_shows_every_section_of_the_format(name: str) -> None:
    text = template(name).decode("utf-8")
    data = tomli.loads(text)
    assert set(data) == {"settings", "calendar", "alerts", "smtp", "units", "people", "projects"}
    assert set(data["settings"]) == {"title", "timezone", "language"}
    assert data["calendar"] == {"strict": False, "roll": "none"}  # no guessed holiday dates as data
    assert "# [calendar.years.2027]" in text
    assert "password" not in data["smtp"]
    assert "host" not in data["smtp"]  # nothing goes to the example addresses until the PMO fills it in
    [project] = data["projects"]
    milestones = project["milestones"]
    assert {m["stage"] for m in milestones} == {"手续办理", "开工建设", "竣工达效"}
    keys = {key for m in milestones for key in m}
    assert {"due", "after", "offset", "depends", "done", "owner", "progress", "roll"} <= keys
    assert project["monthly"] and project["weekly"]
    marker = "示例" if name.endswith("zh.toml") else "example"
    for row in data["units"] + data["people"]:
        assert marker in row["name"] or marker in row.get("title", ""), row


def test_the_comments_are_in_the_files_language() -> None:
    def comments(name: str) -> str:
        lines = template(name).decode("utf-8").splitlines()
        return "\n".join(line.split("#", 1)[1] for line in lines if "#" in line)

    assert "工作日历" in comments("starter.zh.toml")
    assert 'language = "zh"' in template("starter.zh.toml").decode()
    assert "The working calendar" in comments("starter.en.toml")
    assert "工作日历" not in comments("starter.en.toml")


# -- a bare sanshi --------------------------------------------------------------------------------


def test_a_bare_sanshi_prints_the_help_and_exits_0(sanshi) -> None:
    result = sanshi()
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ")
    for command in ("status", "plan", "check", "alert", "init"):
        assert f"  {command} " in result.stdout


def test_a_bare_sanshi_exits_0_in_the_shell_too() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANSHI_")}
    result = subprocess.run([sys.executable, "-m", "sanshi_cli"], capture_output=True, text=True, env=env, timeout=60)
    assert (result.returncode, result.stderr) == (0, "")
    assert "Commands:" in result.stdout
