"""``sanshi collect``: filled sheets back, previewed row by row, written in one edit or not at all.

Sheets are written by ``sanshi sheet`` and filled with openpyxl as a unit would (text dates,
numbers with units, a percentage cell, rows sorted, a column added), then collected. The
expected project file is the one the single-change commands (``done``, ``report``, ``problem``)
write for the same changes: the same safe path, so the same bytes.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import SAMPLE

AS_OF = "2026-12-02"  # 2026-W49; the period's deadline (节点时限) is Friday 2026-12-04
ORIGINAL = SAMPLE.read_bytes()


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "projects.toml"
    shutil.copyfile(SAMPLE, path)
    return path


def write_sheet(sanshi: Callable[..., Any], sample: Path, unit: str = "jsj", *args: str) -> Path:
    result = sanshi("sheet", "-f", str(sample), "--as-of", AS_OF, "-u", unit, "--dir", "out", *args)
    assert result.exit_code == 0, result.stderr
    return Path(result.stdout.strip())


def key_columns(sheet: Any) -> dict[str, int]:
    header = next(row for row in sheet.iter_rows(max_row=10) if any(c.value == "sanshi_kind" for c in row))
    return {str(c.value): c.column for c in header if c.value is not None}


def row_of(sheet: Any, project: str, item: str = "") -> int:
    """The row of ``project`` / ``item`` (a report row: no item), found by the hidden keys as collect does."""
    columns = key_columns(sheet)
    for row in sheet.iter_rows(min_row=2):
        values = {name: row[column - 1].value for name, column in columns.items() if column <= len(row)}
        if values.get("sanshi_project") == project and (values.get("sanshi_item") or "") == item:
            return int(row[0].row)
    raise AssertionError(f"no row for {project} {item}")


def fill(path: Path, cells: dict[tuple[str, str, str], object], *, change: Callable[[Any], None] | None = None,
         target: Path | None = None) -> None:  # fmt: skip
    """Type values in as a unit would: ``{(project, item, column title): value}``; ``change`` does more."""
    book = openpyxl.load_workbook(path)
    sheet = book["填报"]
    titles = {str(c.value): c.column for c in next(r for r in sheet.iter_rows(max_row=10) if r[0].value == "项目")}
    for (project, item, title), value in cells.items():
        cell = sheet.cell(row=row_of(sheet, project, item), column=titles[title])
        if isinstance(value, tuple):  # (value, number format)
            cell.value, cell.number_format = value
        else:
            cell.value = value
    if change is not None:
        change(book)
    book.save(target or path)


def collect(sanshi: Callable[..., Any], sample: Path, *args: str) -> Any:
    return sanshi("collect", *args, "-f", str(sample), "--as-of", AS_OF)


FILLED = {
    ("elderly-care", "P-2026-004", "完成日期"): "12月1日",
    ("elderly-care", "P-2026-004", "本期进展"): "已按审查意见修改图纸，待复审",
    ("college-upgrade", "", "形象进度（%）"): "35%",
    ("college-upgrade", "", "本期完成投资（万元）"): "1,200万元",
    ("college-upgrade", "", "本期进展"): "完成宿舍楼主体三层",
    ("college-upgrade", "", "下步计划"): "主体四层",
    ("college-upgrade", "", "存在问题/新问题"): "施工用水\n接入不足",
    ("longyuan-road", "permits", "完成日期"): "2026/12/1",
    ("shanyang-bridge", "", "形象进度（%）"): (0.36, "0%"),
    ("shanyang-bridge", "", "本期完成投资（万元）"): 0.08,
    ("shanyang-bridge", "", "本期进展"): "桩基完成",
}


def sorted_and_widened(book: Any) -> None:
    """What units do to a sheet: sort the rows (here: reversed) and add a column of their own."""
    sheet = book["填报"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    formats = [[c.number_format for c in row] for row in sheet.iter_rows(min_row=3)]
    for offset, (values, shown) in enumerate(zip(reversed(rows), reversed(formats), strict=True)):
        for column, (value, number_format) in enumerate(zip(values, shown, strict=True), start=1):
            cell = sheet.cell(row=3 + offset, column=column)
            cell.value, cell.number_format = value, number_format
    sheet.insert_cols(1)
    sheet["A2"] = "序号"


def by_commands(sanshi: Callable[..., Any], path: Path) -> bytes:
    """The same changes, made one by one with the single-change commands."""
    steps = [
        ("problem", "solved", "P-2026-004", "--on", "2026-12-01"),
        ("problem", "note", "P-2026-004", "已按审查意见修改图纸，待复审", "--on", "2026-12-04"),
        ("report", "college-upgrade", "--on", "2026-12-04", "--progress", "35", "--invest", "1200",
         "--text", "完成宿舍楼主体三层", "--next", "主体四层", "--by", "jsj"),
        ("problem", "add", "college-upgrade", "施工用水 接入不足", "--owner", "jsj", "--raised", "2026-12-04",
         "--due", "2026-12-18"),
        ("done", "longyuan-road", "permits", "--on", "2026-12-01"),
        ("report", "shanyang-bridge", "--on", "2026-12-04", "--progress", "36", "--invest", "0.08",
         "--text", "桩基完成", "--by", "jsj"),
    ]  # fmt: skip
    for step in steps:
        result = sanshi(*step, "-f", str(path), "--as-of", "2026-12-04")
        assert result.exit_code == 0, (step, result.stderr)
    return path.read_bytes()


PREVIEW = """\
jsj-2026-W49.xlsx!A3  未填写  问题 P-2026-015（smart-island）：未填写
jsj-2026-W49.xlsx!A4  未填写  smart-island / permits：未填完成日期
jsj-2026-W49.xlsx!H5  修改  新增填报：shanyang-bridge 2026-12-04（36%, 0.08 万元, 桩基完成）
jsj-2026-W49.xlsx!A6  未填写  shanyang-bridge / foundation：未填完成日期
jsj-2026-W49.xlsx!G7  修改  交账：longyuan-road / permits 2026-12-01
jsj-2026-W49.xlsx!H8  修改  新增填报：college-upgrade 2026-12-04（35%, 1200 万元, 完成宿舍楼主体三层, 主体四层）
jsj-2026-W49.xlsx!L8  修改  新问题 P-2026-016：college-upgrade“施工用水 接入不足”，2026-12-04 提出，解决时限暂定 2026-12-18（10 个工作日，请指挥部核定）
jsj-2026-W49.xlsx!G9  修改  办结：问题 P-2026-004（elderly-care）2026-12-01；跟踪记录 2026-12-04：已按审查意见修改图纸，待复审
共 8 项：修改 5，无变化 0，未填写 3，需核对 0，无效 0；无法读取的表 0
"""


def test_a_filled_sheet_round_trips_into_the_sample(sanshi, sample: Path, tmp_path: Path) -> None:
    sheet = write_sheet(sanshi, sample)
    fill(sheet, FILLED, change=sorted_and_widened)

    preview = collect(sanshi, sample, str(sheet))
    assert (preview.exit_code, preview.stdout) == (0, PREVIEW + "以上为预览，未写入：加 --apply 写入\n")
    assert sample.read_bytes() == ORIGINAL

    applied = collect(sanshi, sample, str(sheet), "--apply")
    assert (applied.exit_code, applied.stdout) == (0, PREVIEW + "已写入 5 项修改（projects.toml）\n")
    oracle = tmp_path / "oracle" / "projects.toml"
    oracle.parent.mkdir()
    shutil.copyfile(SAMPLE, oracle)
    assert sample.read_bytes() == by_commands(sanshi, oracle)
    assert (tmp_path / "projects.toml.bak").read_bytes() == ORIGINAL
    text = sample.read_text("utf-8")
    assert '  [[projects.reports]]\n  on = 2026-12-04\n  progress = 36\n  invest = 0.08\n  text = "桩基完成"\n' in text
    assert '  id = "P-2026-016"\n  text = "施工用水 接入不足"\n  owner = "jsj"\n  raised = 2026-12-04\n' in text

    again = collect(sanshi, sample, str(sheet), "--apply", "--lang", "en")
    assert again.exit_code == 0
    assert sample.read_text("utf-8") == text
    assert [line for line in again.stdout.splitlines() if "unchanged  " in line] == [
        "jsj-2026-W49.xlsx!H5  unchanged  the report of shanyang-bridge on 2026-12-04 is recorded already",
        "jsj-2026-W49.xlsx!G7  unchanged  longyuan-road / permits is recorded as delivered on 2026-12-01",
        "jsj-2026-W49.xlsx!H8  unchanged  the report of college-upgrade on 2026-12-04 is recorded already",
        "jsj-2026-W49.xlsx!L8  unchanged  college-upgrade has the problem '施工用水 接入不足' (raised 2026-12-04) already",
        "jsj-2026-W49.xlsx!G9  unchanged  problem P-2026-004 (elderly-care) is recorded already",
    ]
    assert again.stdout.endswith("8 rows: 0 changes, 5 unchanged, 3 empty, 0 to check, 0 invalid; 0 sheets refused\n"
                                 "nothing to write\n")  # fmt: skip
    assert "warning: the project file changed since jsj-2026-W49.xlsx was written" in again.stderr


def test_every_unit_of_the_sample_collects_its_empty_sheet(sanshi, sample: Path, tmp_path: Path) -> None:
    result = sanshi("sheet", "-f", str(sample), "--as-of", AS_OF, "--dir", "out")
    paths = result.stdout.split()
    collected = collect(sanshi, sample, *paths, "--apply")
    assert collected.exit_code == 0, collected.stderr
    assert collected.stdout.endswith("无效 0；无法读取的表 0\n没有需要写入的修改\n")
    assert "修改  " not in collected.stdout
    assert sample.read_bytes() == ORIGINAL


def test_every_invalid_cell_is_named_and_nothing_is_written(sanshi, sample: Path) -> None:
    sheet = write_sheet(sanshi, sample)
    fill(sheet, {
        ("elderly-care", "P-2026-004", "完成日期"): "下周",
        ("college-upgrade", "", "形象进度（%）"): 120,
        ("longyuan-road", "permits", "完成日期"): "2026-12-03",
        ("shanyang-bridge", "", "形象进度（%）"): "20%",
        ("shanyang-bridge", "", "本期完成投资（万元）"): "-5",
        ("smart-island", "permits", "本期进展"): "已完成",
        ("smart-island", "P-2026-015", "完成日期"): "2026-12-01",
    })  # fmt: skip
    result = collect(sanshi, sample, str(sheet), "--apply")
    assert result.exit_code == 2
    assert result.stdout == (
        "jsj-2026-W49.xlsx!F3  无效  “下周” 不是日期：请写成 2026-11-20、2026/11/20 或 2026年11月20日\n"
        "jsj-2026-W49.xlsx!G4  无效  “120” 超出 0–100%\n"
        "jsj-2026-W49.xlsx!F5  无效  日期 2026-12-03 晚于今天（2026-12-02）：只能记录已经发生的事\n"
        "jsj-2026-W49.xlsx!A6  未填写  shanyang-bridge / foundation：未填完成日期\n"
        "jsj-2026-W49.xlsx!H7  无效  “-5” 是负数：金额不能小于 0\n"
        "jsj-2026-W49.xlsx!I8  无效  此单元格在节点行中无意义，未读取：请清空，或填到对应的行\n"
        "jsj-2026-W49.xlsx!F9  修改  办结：问题 P-2026-015（smart-island）2026-12-01\n"
        "共 7 项：修改 1，无变化 0，未填写 1，需核对 0，无效 5；无法读取的表 0\n"
    )
    assert result.stderr.startswith(
        "错误：有 5 项无效或需核对，未写入任何修改：改正后重新收集，或加 --skip-invalid 只写入有效的修改\n"
    )
    assert sample.read_bytes() == ORIGINAL

    fill(sheet, {("shanyang-bridge", "", "本期完成投资（万元）"): None})
    lower = collect(sanshi, sample, str(sheet))
    assert "jsj-2026-W49.xlsx!G7  无效  形象进度 20 低于 2026-11-26 已填报的 34：累计进度不能下降\n" in lower.stdout

    skipped = collect(sanshi, sample, str(sheet), "--apply", "--skip-invalid")
    assert skipped.exit_code == 1
    assert skipped.stdout.endswith("已写入 1 项修改（projects.toml）\n")
    assert "警告：有 5 项无效或需核对，未写入（见上）" in skipped.stderr
    assert sample.read_bytes() == ORIGINAL.replace(
        '  due = 2026-12-10\n  measures = "建设局督促审图机构限时回复"\n'.encode(),
        '  due = 2026-12-10\n  measures = "建设局督促审图机构限时回复"\n  solved = 2026-12-01\n'.encode(),
    )


def test_rows_whose_ids_are_gone_or_belong_to_another_unit(sanshi, sample: Path) -> None:
    sheet = write_sheet(sanshi, sample)

    def tamper(book: Any) -> None:
        data = book["填报"]
        data["M5"] = "gone-road"  # the project of the longyuan-road permits row
        data["N8"] = "no-such-node"  # smart-island permits
        data["M4"] = "civic-center"  # a report row of a project tzjt is responsible for
        data["L6"] = "memo"

    fill(sheet, {
        ("longyuan-road", "permits", "完成日期"): "2026-12-01",
        ("smart-island", "permits", "完成日期"): "2026-12-01",
        ("college-upgrade", "", "本期进展"): "进展",
        ("shanyang-bridge", "foundation", "完成日期"): "2026-12-01",
    }, change=tamper)  # fmt: skip
    result = collect(sanshi, sample, str(sheet), "--lang", "en")
    assert result.exit_code == 2
    assert result.stdout.splitlines()[1:6] == [
        "jsj-2026-W49.xlsx!A4  invalid  civic-center / — belongs to unit tzjt, not to this sheet's unit jsj",
        "jsj-2026-W49.xlsx!A5  invalid  project gone-road is no longer in the project file",
        "jsj-2026-W49.xlsx!A6  invalid  'memo' in the hidden column sanshi_kind is unknown (a row added or changed by "
        "hand): use the project's report row",
        "jsj-2026-W49.xlsx!A7  empty  shanyang-bridge report: nothing filled in",
        "jsj-2026-W49.xlsx!A8  invalid  milestone smart-island / no-such-node is no longer in the project file",
    ]


def test_rows_whose_context_changed_are_flagged_not_applied(sanshi, sample: Path) -> None:
    sheet = write_sheet(sanshi, sample)
    fill(sheet, {
        ("longyuan-road", "permits", "完成日期"): "12-1",
        ("elderly-care", "P-2026-004", "完成日期"): "11月28日",
        ("shanyang-bridge", "", "本期进展"): "桩基完成",
        ("smart-island", "P-2026-015", "本期进展"): "已催办",
    })  # fmt: skip
    assert sanshi("problem", "close", "P-2026-015", "--force", "--on", "2026-12-01", "-f", str(sample),
                  "--as-of", AS_OF).exit_code == 0  # fmt: skip
    text = sample.read_text("utf-8")
    permits = '  name = "施工许可证"\n  stage = "手续办理"\n  due = 2026-11-20\n  owner = "jsj"\n'
    moved = text.replace(permits, permits.replace("11-20", "11-27"))
    assert moved != text
    sample.write_text(moved, "utf-8")
    closed = sanshi("problem", "close", "P-2026-004", "--force", "--on", "2026-11-30", "-f", str(sample),
                    "--as-of", AS_OF)  # fmt: skip
    assert closed.exit_code == 0, closed.stderr
    before = sample.read_bytes()
    result = collect(sanshi, sample, str(sheet), "--apply")
    assert result.exit_code == 2
    assert (
        "jsj-2026-W49.xlsx!F3  需核对  问题 P-2026-004（elderly-care）在生成表后已于 2026-11-30 销号：未写入\n"
        in result.stdout
    )
    assert (
        "jsj-2026-W49.xlsx!F5  需核对  longyuan-road / permits 的截止日期在生成表后已由 2026-11-20 改为 2026-11-27："
        "未写入；请核对后用 sanshi done 记录\n"
    ) in result.stdout
    assert (
        "jsj-2026-W49.xlsx!I9  需核对  问题 P-2026-015（smart-island）在生成表后已于 2026-12-01 销号：未写入\n"
        in result.stdout
    )
    assert sample.read_bytes() == before
    skipped = collect(sanshi, sample, str(sheet), "--apply", "--skip-invalid")
    assert skipped.exit_code == 1
    assert "已写入 1 项修改" in skipped.stdout
    assert sample.read_text("utf-8").count('text = "桩基完成"') == 1


def test_a_sheet_from_another_unit_than_its_name_says(sanshi, sample: Path, tmp_path: Path) -> None:
    sheet = write_sheet(sanshi, sample)
    renamed = tmp_path / "tzjt-2026-W49.xlsx"
    fill(sheet, {("longyuan-road", "permits", "完成日期"): "2026-12-01"}, target=renamed)
    result = collect(sanshi, sample, str(renamed))
    assert result.exit_code == 2
    assert result.stdout.startswith(
        "tzjt-2026-W49.xlsx!A1  无效  表中注明为 jsj 2026-W49，但文件名是 tzjt-2026-W49.xlsx：请确认是哪个单位、哪一期的表\n"
    )
    downloaded = tmp_path / "jsj-2026-W49(1).xlsx"  # as a chat app saves a second copy: fine
    shutil.copyfile(renamed, downloaded)
    assert collect(sanshi, sample, str(downloaded)).exit_code == 0


def test_a_wps_resave_without_the_hidden_sheet_is_read_from_the_properties(sanshi, sample: Path) -> None:
    sheet = write_sheet(sanshi, sample)

    def resave(book: Any) -> None:
        del book["sanshi"]
        data = book["填报"]
        data.protection.sheet = False
        for row in data.iter_rows(min_row=3):  # dates as text, ids as they were
            row[2].value = row[2].value.strftime("%Y年%m月%d日") if row[2].value else None

    fill(sheet, {("longyuan-road", "permits", "完成日期"): "2026年12月1日"}, change=resave)
    result = collect(sanshi, sample, str(sheet), "--apply")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "jsj-2026-W49.xlsx!F5  修改  交账：longyuan-road / permits 2026-12-01\n" in result.stdout


def test_workbooks_that_cannot_be_trusted_are_refused(sanshi, sample: Path, tmp_path: Path) -> None:
    good = write_sheet(sanshi, sample)
    fill(good, {("longyuan-road", "permits", "完成日期"): "2026-12-01"})
    old = tmp_path / "jsj-2026-W48.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    encrypted = tmp_path / "czj-2026-W49.xlsx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100) + "EncryptionInfo".encode("utf-16-le"))
    text = tmp_path / "notes.xlsx"
    text.write_text("周报", "utf-8")
    stripped = tmp_path / "cgj-2026-W49.xlsx"
    fill(good, {}, change=lambda book: book["填报"].delete_cols(13), target=stripped)
    foreign = tmp_path / "ledger.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["项目名称", "形象进度"])
    book.save(foreign)

    result = collect(sanshi, sample, *map(str, (good, old, encrypted, text, stripped, foreign)), "--apply")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[:5] == [
        f"错误：{old} 是旧版 .xls 或 WPS .et 文件，无法可靠读取：请在 Excel 或 WPS 中“另存为” Excel 工作簿（*.xlsx）后再收集",
        f"错误：{encrypted} 设有打开密码（已加密），无法读取：请单位取消密码（文件→信息→保护工作簿→用密码进行加密，清空）后重新发送",
        f"错误：{text} 不是 .xlsx 工作簿：请收集 sanshi sheet 生成、单位填写后的 .xlsx 文件",
        f"错误：{stripped} 的关键列已被删除（sanshi_project），无法把各行对回台账：请用 sanshi sheet 重新生成后填写",
        f"错误：{foreign} 不是 sanshi 填报表（缺少隐藏的 sanshi 表和文档属性）：请用 sanshi sheet 生成的表格填写",
    ]
    assert "无法读取的表 5\n" in result.stdout
    assert sample.read_bytes() == ORIGINAL
    skipped = collect(sanshi, sample, str(good), str(old), "--apply", "--skip-invalid")
    assert skipped.exit_code == 1
    assert b"  done = 2026-12-01\n" in sample.read_bytes()


def test_a_monthly_report_is_dated_on_the_months_deadline(sanshi, sample: Path) -> None:
    sheet = write_sheet(sanshi, sample, "tzjt", "--monthly")
    assert sheet.name == "tzjt-2026-12.xlsx"
    fill(sheet, {("civic-center", "", "形象进度（%）"): 40, ("civic-center", "", "本期进展"): "三层封顶"})
    result = sanshi("collect", str(sheet), "--apply", "-f", str(sample), "--as-of", "2026-12-31")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "新增填报：civic-center 2026-12-31（40%, 三层封顶）" in result.stdout
    assert '  on = 2026-12-31\n  progress = 40\n  text = "三层封顶"\n  by = "tzjt"\n' in sample.read_text("utf-8")


def test_the_same_row_in_two_sheets_counts_once(sanshi, sample: Path, tmp_path: Path) -> None:
    sheet = write_sheet(sanshi, sample)
    fill(sheet, {("longyuan-road", "permits", "完成日期"): "2026-12-01"})
    copy = tmp_path / "jsj-2026-W49 (2).xlsx"
    fill(sheet, {("longyuan-road", "permits", "完成日期"): "2026-11-30"}, target=copy)
    result = collect(sanshi, sample, str(sheet), str(sheet), str(copy))
    assert result.exit_code == 2
    lines = [line for line in result.stdout.splitlines() if "!F5" in line]
    assert lines == [
        "jsj-2026-W49.xlsx!F5  修改  交账：longyuan-road / permits 2026-12-01",
        "jsj-2026-W49.xlsx!F5  无变化  与 jsj-2026-W49.xlsx!F5 相同",
        "jsj-2026-W49 (2).xlsx!F5  无效  与 jsj-2026-W49.xlsx!F5 矛盾：请核对",
    ]


def test_the_readme_preview_is_what_collect_prints(sanshi, sample: Path) -> None:
    from tests.conftest import REPO

    sheet = write_sheet(sanshi, sample)
    fill(sheet, {
        ("elderly-care", "P-2026-004", "完成日期"): "12月1日",
        ("elderly-care", "P-2026-004", "本期进展"): "已按审查意见修改图纸，待复审",
        ("college-upgrade", "", "形象进度（%）"): "35%",
        ("college-upgrade", "", "本期完成投资（万元）"): "1,200万元",
        ("college-upgrade", "", "本期进展"): "完成宿舍楼主体三层",
        ("college-upgrade", "", "下步计划"): "主体四层",
        ("college-upgrade", "", "存在问题/新问题"): "施工用水接入不足",
        ("longyuan-road", "permits", "完成日期"): "2026-12-03",
        ("shanyang-bridge", "", "形象进度（%）"): (0.36, "0%"),
        ("shanyang-bridge", "", "本期进展"): "桩基完成",
    })  # fmt: skip
    result = collect(sanshi, sample, str(sheet))
    assert result.exit_code == 2
    error = result.stderr.splitlines()[0]
    readme = (REPO / "README.md").read_text("utf-8")
    assert f"```text\n{result.stdout}{error}\n```" in readme


def test_next_steps_alone_are_no_report(sanshi, sample: Path) -> None:
    sheet = write_sheet(sanshi, sample)
    fill(sheet, {("college-upgrade", "", "下步计划"): "主体四层"})
    result = collect(sanshi, sample, str(sheet), "--apply")
    assert result.exit_code == 2
    assert (
        "jsj-2026-W49.xlsx!J4  无效  college-upgrade 本期填报只有下步计划：请同时填写形象进度、本期完成投资或本期进展\n"
        in result.stdout
    )
    assert sample.read_bytes() == ORIGINAL


def test_apply_edits_writes_several_projects_in_one_edit_or_nothing(sample: Path) -> None:
    from datetime import date

    from sanshi_cli import open_portfolio
    from sanshi_cli.editing import PutReport, SetDone
    from sanshi_cli.writing import NotWritten

    book = open_portfolio(sample, display="projects.toml")
    edits = [
        ("longyuan-road", SetDone(2, date(2026, 12, 1))),  # permits
        ("civic-center", PutReport({"on": date(2026, 12, 4), "progress": 31, "by": "tzjt"})),
        ("longyuan-road", PutReport({"on": date(2026, 12, 4), "text": "路基施工"})),
    ]
    change = book.apply_edits(lambda text: (edits, "collect_written", {"changes": 3}))
    assert (change.written, change.describe("en")) == (True, "wrote 3 changes (projects.toml)")
    written = sample.read_text("utf-8")
    assert written.count("  on = 2026-12-04\n") == 2
    assert '  id = "permits"\n  name = "施工许可证"\n  stage = "手续办理"\n  due = 2026-11-20\n  owner = "jsj"\n' \
           '  depends = ["tender"]\n  progress = 5\n  done = 2026-12-01\n' in written  # fmt: skip

    lower = [("civic-center", PutReport({"on": date(2026, 12, 11), "progress": 1}))]  # below 31: not valid
    with pytest.raises(NotWritten):
        book.apply_edits(lambda text: (lower, "collect_written", {"changes": 1}))
    assert sample.read_text("utf-8") == written


def test_a_file_changed_after_the_preview_is_judged_again(sanshi, sample: Path) -> None:
    from datetime import date

    from sanshi_cli import open_portfolio
    from sanshi_cli.collecting import apply_plan, plan_collect, read_workbook
    from sanshi_cli.errors import UsageError
    from sanshi_cli.loading import load_portfolio

    sheet = write_sheet(sanshi, sample)
    fill(sheet, {
        ("longyuan-road", "permits", "完成日期"): "2026-12-01",
        ("smart-island", "permits", "完成日期"): "2026-12-01",
        ("shanyang-bridge", "", "本期进展"): "桩基完成",
    })  # fmt: skip
    read = [read_workbook(sheet, sheet.name)]
    today = date(2026, 12, 2)
    loaded = load_portfolio(sample, "projects.toml")
    plan = plan_collect(loaded, read, today)
    assert plan.count("change") == 3

    def done(project: str, day: str) -> None:
        result = sanshi("done", project, "permits", "--on", day, "-f", str(sample), "--as-of", AS_OF)
        assert result.exit_code == 0, result.stderr

    done("longyuan-road", "2026-12-01")  # the same date, recorded meanwhile: the rest is written
    change = apply_plan(open_portfolio(sample, display="projects.toml"), loaded, read, today, plan)
    assert change.describe("zh") == "已写入 2 项修改（projects.toml）"
    assert sample.read_text("utf-8").count("  done = 2026-12-01\n") == 2  # longyuan-road (once) and smart-island

    shutil.copyfile(SAMPLE, sample)
    loaded = load_portfolio(sample, "projects.toml")
    done("smart-island", "2026-11-30")  # another date meanwhile: the row would now need a look
    before = sample.read_bytes()
    with pytest.raises(UsageError) as raised:
        apply_plan(open_portfolio(sample, display="projects.toml"), loaded, read, today, plan)
    assert [p.message for p in raised.value.problems] == ["collect_changed_meanwhile"]
    assert sample.read_bytes() == before
