"""`--format` and `-o/--output FILE`: the same options, the same meaning, on `status` and `plan`."""

from __future__ import annotations

import csv
import io
import json
import os
import tomllib
from pathlib import Path

import pytest

AS_OF = ("--as-of", "2026-05-20")  # the minimal file's 施工许可证 (due 04-30) is red


def run(sanshi, command: str, path: Path, *args: str):
    return sanshi(command, "-f", str(path), *AS_OF, *args)


def check_json(text: str) -> None:
    json.loads(text)


def check_csv(text: str) -> None:
    header = next(csv.reader(io.StringIO(text)))
    assert "project" in header


def check_markdown(text: str) -> None:
    assert text.startswith("## ") and "| --- |" not in text and "|---|" in text


def check_toml(text: str) -> None:
    assert tomllib.loads(text)["nodes"]


def check_ics(text: str) -> None:
    assert text.startswith("BEGIN:VCALENDAR")


def check_table(text: str) -> None:
    assert "市民中心" in text and "┃" not in text
    with pytest.raises(ValueError):
        json.loads(text)
    assert not text.startswith(("## ", "project,", "BEGIN:"))


CHECKS = {
    "json": check_json,
    "csv": check_csv,
    "markdown": check_markdown,
    "toml": check_toml,
    "ics": check_ics,
    "table": check_table,
}


# -- the format follows the extension ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("plan.csv", "csv"),
        ("plan.md", "markdown"),
        ("plan.markdown", "markdown"),
        ("plan.json", "json"),
        ("plan.toml", "toml"),
        ("plan.ics", "ics"),
        ("plan.txt", "table"),
        ("plan", "table"),
        ("plan.xls", "table"),
        ("PLAN.CSV", "csv"),
        ("节点清单.Md", "markdown"),
        ("plan.JSON", "json"),
        ("plan.Toml", "toml"),
        ("plan.iCs", "ics"),
        ("plan.xlsx", "xlsx"),
        ("节点清单.XLSX", "xlsx"),
    ],
)
def test_plan_format_follows_the_extension_ignoring_case(sanshi, minimal_file, tmp_path, name, fmt):
    target = tmp_path / name
    result = run(sanshi, "plan", minimal_file, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    if fmt == "xlsx":  # a workbook (a zip) whose one sheet starts with the CSV's header
        from openpyxl import load_workbook

        header = next(load_workbook(target).worksheets[0].iter_rows(max_row=1, values_only=True))
        assert list(header) == next(
            csv.reader(io.StringIO(run(sanshi, "plan", minimal_file, "--format", "csv").stdout))
        )
        return
    text = target.read_bytes().decode("utf-8-sig")
    CHECKS[fmt](text)
    if fmt != "table":
        assert text.replace("\r\n", "\n") == run(sanshi, "plan", minimal_file, "--format", fmt).stdout


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("状态.csv", "csv"), ("s.MD", "markdown"), ("s.markdown", "markdown"), ("s.json", "json"), ("s.log", "table")],
)
def test_status_writes_a_file_too(sanshi, minimal_file, tmp_path, name, fmt):
    target = tmp_path / name
    result = run(sanshi, "status", minimal_file, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    text = target.read_bytes().decode("utf-8-sig")
    if fmt == "table":
        assert "红灯" in text and "施工许可证" in text
    else:
        assert text == run(sanshi, "status", minimal_file, "--format", fmt).stdout


def test_status_format_csv_into_a_csv_file(sanshi, minimal_file, tmp_path):
    target = tmp_path / "x.csv"
    result = run(sanshi, "status", minimal_file, "--format", "csv", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert [(r["milestone"], r["level"]) for r in rows] == [("permits", "red"), ("start", "yellow")]


def test_format_given_with_an_extension_that_names_no_format(sanshi, minimal_file, tmp_path):
    target = tmp_path / "plan.txt"
    result = run(sanshi, "plan", minimal_file, "--format", "json", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert json.loads(target.read_text("utf-8"))["nodes"]


def test_format_agreeing_with_the_extension(sanshi, minimal_file, tmp_path):
    target = tmp_path / "plan.MD"
    result = run(sanshi, "plan", minimal_file, "--format", "markdown", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.read_text("utf-8").startswith("## ")


# -- standard output ----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["status", "plan"])
@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_dash_is_standard_output(sanshi, minimal_file, tmp_path, command, fmt):
    plain = run(sanshi, command, minimal_file, "--format", fmt)
    dash = run(sanshi, command, minimal_file, "--format", fmt, "-o", "-")
    assert dash.exit_code == plain.exit_code == 0
    assert dash.stdout == plain.stdout
    assert not dash.stdout.startswith("\ufeff")  # the BOM is for files only
    assert list(tmp_path.iterdir()) == [minimal_file]  # no file called "-"


def test_format_is_case_insensitive(sanshi, minimal_file):
    assert (
        run(sanshi, "status", minimal_file, "--format", "JSON").stdout
        == run(sanshi, "status", minimal_file, "--format", "json").stdout
    )


# -- CSV for Excel and WPS ----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["status", "plan"])
@pytest.mark.parametrize("args", [("--format", "csv"), ()])
def test_csv_file_starts_with_a_bom(sanshi, minimal_file, tmp_path, command, args):
    target = tmp_path / "out.csv"
    result = run(sanshi, command, minimal_file, *args, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and not raw.startswith(b"\xef\xbb\xbf\xef\xbb\xbf")
    assert "市民中心" in raw.decode("utf-8-sig")


@pytest.mark.parametrize("fmt", ["json", "markdown", "toml", "ics"])
def test_other_files_have_no_bom(sanshi, minimal_file, tmp_path, fmt):
    target = tmp_path / "out.txt"
    assert run(sanshi, "plan", minimal_file, "--format", fmt, "-o", str(target)).exit_code == 0
    assert not target.read_bytes().startswith(b"\xef\xbb\xbf")


# -- what cannot be written ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "args", "lang", "expected"),
    [
        (
            "status", ("-o", "x.ics"), "zh",
            "错误：-o x.ics：sanshi status 不能写 .ics 文件：可输出的格式为 table, json, csv, markdown, xlsx"
            "（其他扩展名输出文本表格）",
        ),
        (
            "status", ("-o", "清单.TOML"), "en",
            "error: -o 清单.TOML: sanshi status cannot write a .TOML file: it writes table, json, csv, markdown, xlsx "
            "(any other extension gets the text table)",
        ),
        (
            "status", ("--format", "json", "-o", "x.csv"), "en",
            "error: --format json contradicts the extension of -o x.csv (.csv means csv): "
            "drop --format, or name the file x.json",
        ),
        (
            "plan", ("--format", "table", "-o", "x.CSV"), "zh",
            "错误：--format table 与 -o x.CSV 的扩展名 .CSV（csv）矛盾：请去掉 --format，或把文件名改为 x.txt",
        ),
        (
            "plan", ("--format", "markdown", "-o", "a.b.json"), "en",
            "error: --format markdown contradicts the extension of -o a.b.json (.json means json): "
            "drop --format, or name the file a.b.md",
        ),
        (
            "status", ("--format", "ics"), "en",
            "error: --format 'ics' is not a format sanshi status writes: use one of table, json, csv, markdown, xlsx",
        ),
        (
            "plan", ("--format", "html", "-o", "x.html"), "zh",
            "错误：--format “html” 无效：sanshi plan 可输出的格式为 table, json, csv, markdown, toml, ics, xlsx",
        ),
    ],
)  # fmt: skip
def test_formats_that_cannot_be_written_are_one_line_errors(sanshi, minimal_file, tmp_path, command, args, lang,
                                                            expected):  # fmt: skip
    result = run(sanshi, command, minimal_file, "--lang", lang, *args)
    assert result.exit_code == 2
    assert result.stderr == expected + "\n"
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == [minimal_file]  # nothing written


def test_the_error_is_in_the_files_language(sanshi, write_toml, tmp_path):
    from tests.conftest import MINIMAL

    path = write_toml('[settings]\nlanguage = "en"\n\n' + MINIMAL)
    result = run(sanshi, "status", path, "-o", "x.ics")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: -o x.ics: sanshi status cannot write a .ics file")


# -- never over a file the command reads --------------------------------------------------------


def assert_refused(sanshi, project: Path, output: str, *args: str) -> None:
    before = project.read_bytes()
    stat = project.stat()
    for command in ("plan", "status"):
        result = run(sanshi, command, project, *args, "-o", output)
        assert result.exit_code == 2, result.stderr
        assert result.stderr.count("\n") == 1
        assert "是本命令读取的文件" in result.stderr
        assert result.stdout == ""
    assert project.read_bytes() == before
    assert project.stat().st_mtime_ns == stat.st_mtime_ns
    assert sorted(p.name for p in project.parent.iterdir() if p.name.startswith(".")) == []  # no temporary


def test_output_never_replaces_the_project_file(sanshi, minimal_file):
    assert_refused(sanshi, minimal_file, str(minimal_file))
    result = run(sanshi, "plan", minimal_file, "-o", "projects.toml")
    assert result.stderr == "错误：-o projects.toml 是本命令读取的文件 projects.toml，不会覆盖它：请另选输出文件名\n"


def test_output_never_replaces_the_project_file_by_another_spelling(sanshi, minimal_file, tmp_path):
    (tmp_path / "sub").mkdir()
    assert_refused(sanshi, minimal_file, "./projects.toml")
    assert_refused(sanshi, minimal_file, f"sub/../{minimal_file.name}")
    assert_refused(sanshi, minimal_file, str(minimal_file), "--format", "csv")  # whatever the format


def test_output_never_replaces_the_project_file_through_a_link(sanshi, minimal_file, tmp_path):
    symbolic = tmp_path / "link.toml"
    symbolic.symlink_to(minimal_file)
    assert_refused(sanshi, minimal_file, str(symbolic))
    hard = tmp_path / "hard.md"
    os.link(minimal_file, hard)
    assert_refused(sanshi, minimal_file, str(hard))
    # the file read through a link is protected too
    result = run(sanshi, "plan", symbolic, "-o", str(minimal_file))
    assert result.exit_code == 2
    assert "是本命令读取的文件" in result.stderr


def test_output_in_english(sanshi, minimal_file):
    result = run(sanshi, "plan", minimal_file, "--lang", "en", "-o", "projects.toml")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: -o projects.toml is projects.toml, a file this command reads, and is never overwritten: "
        "choose another output file\n"
    )


# -- folders that cannot be written -------------------------------------------------------------


def test_output_into_a_missing_folder(sanshi, minimal_file, tmp_path):
    target = tmp_path / "missing" / "s.csv"
    result = run(sanshi, "status", minimal_file, "--lang", "en", "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr == f"error: cannot write {target} (No such file or directory)\n"
    assert result.stdout == ""
    assert not target.parent.exists()


def test_output_under_a_file_is_a_clear_error(sanshi, minimal_file, tmp_path):
    target = tmp_path / "projects.toml" / "s.csv"
    result = run(sanshi, "status", minimal_file, "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr == f"错误：无法写入 {target}（Not a directory）\n"


def test_output_onto_a_folder_is_a_clear_error(sanshi, minimal_file, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    result = run(sanshi, "plan", minimal_file, "-o", str(folder))
    assert result.exit_code == 2
    assert result.stderr == f"错误：{folder} 是目录，不是普通文件，不会覆盖它：请换一个路径\n"
    assert list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["projects.toml", "reports"]  # no temporary left


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_output_into_a_read_only_folder(sanshi, minimal_file, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = run(sanshi, "plan", minimal_file, "-o", str(folder / "p.csv"))
    finally:
        folder.chmod(0o700)
    assert result.exit_code == 2
    assert result.stderr == f"错误：无法写入 {folder / 'p.csv'}（Permission denied）\n"
    assert list(folder.iterdir()) == []


def test_a_failed_write_leaves_the_old_file(sanshi, minimal_file, tmp_path):
    target = tmp_path / "old.csv"
    target.write_bytes(b"old")
    result = run(sanshi, "plan", minimal_file, "--format", "json", "-o", str(target))
    assert result.exit_code == 2  # contradiction: found before anything is written
    assert target.read_bytes() == b"old"


# -- help ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["status", "plan"])
def test_help_names_the_options(sanshi, command):
    result = sanshi(command, "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "--format FORMAT" in text and "-o, --output FILE" in text
    assert "- is standard output" in text
