"""``sanshi sheet``: one fill-in workbook per unit, with context, cells to fill, keys and properties."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import SAMPLE

AS_OF = "2026-12-02"  # a Wednesday of 2026-W49 (30 Nov - 6 Dec): the deadline is Friday 4 December


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "projects.toml"
    shutil.copyfile(SAMPLE, path)
    return path


def test_one_sheet_per_unit_of_the_sample(sanshi, sample: Path, tmp_path: Path) -> None:
    result = sanshi("sheet", "-f", str(sample), "--as-of", AS_OF, "--dir", "out")
    names = ["jsj", "zrzy", "czj", "jfj", "cgj", "tzjt", "wenyuan"]
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "".join(f"out/{unit}-2026-W49.xlsx\n" for unit in names)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f"{u}-2026-W49.xlsx" for u in names)
    assert sample.read_bytes() == SAMPLE.read_bytes()


def test_the_sheet_of_a_unit(sanshi, sample: Path, tmp_path: Path) -> None:
    assert sanshi("sheet", "-f", str(sample), "--as-of", AS_OF, "-u", "建设局").exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "jsj-2026-W49.xlsx")
    assert book.sheetnames == ["填报", "说明", "sanshi"]
    sheet = book["填报"]
    assert (
        sheet["A1"].value
        == "高新区建设局 2026-W49 周报（2026-11-30 至 2026-12-06，报送截止 2026-12-04）：只填黄色单元格"
    )
    assert [c.value for c in sheet[2]] == [
        "项目", "节点/问题", "截止日期", "状态", "上次形象进度（%）",
        "完成日期", "形象进度（%）", "本期完成投资（万元）", "本期进展", "下步计划", "存在问题/新问题",
        "sanshi_kind", "sanshi_project", "sanshi_item", "sanshi_context",
    ]  # fmt: skip
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    day = datetime.fromisoformat
    assert [(r[0], r[1], r[2], r[3], r[4], r[11], r[12], r[13], r[14]) for r in rows] == [
        ("焦作市四级养老服务综合体示范项目", "问题：消防设计审查意见未出具", day("2026-10-30"), "逾期 33 天", None,
         "problem", "elderly-care", "P-2026-004", "deadline=2026-10-30;state=open"),
        ("河南工信职业学院基础设施完善提升项目", "本期填报（形象进度、投资、进展）", day("2026-12-04"),
         "上次填报 2026-11-20", 13, "report", "college-upgrade", None, None),
        ("龙源路道路工程", "节点：施工许可证", day("2026-11-20"), "逾期 12 天", None,
         "milestone", "longyuan-road", "permits", "due=2026-11-20"),
        ("山阳路大沙河桥", "节点：基础完工（桩基及承台）", day("2026-11-30"), "本期到期", None,
         "milestone", "shanyang-bridge", "foundation", "due=2026-11-30"),
        ("山阳路大沙河桥", "本期填报（形象进度、投资、进展）", day("2026-12-04"), "上次填报 2026-11-26", 34,
         "report", "shanyang-bridge", None, None),
        ("焦作“智慧岛”", "节点：施工许可证", day("2026-12-02"), "本期到期", None,
         "milestone", "smart-island", "permits", "due=2026-12-02"),
        ("焦作“智慧岛”", "问题：施工图审查意见未回复", day("2026-12-10"), "未解决", None,
         "problem", "smart-island", "P-2026-015", "deadline=2026-12-10;state=open"),
    ]  # fmt: skip
    assert all(value is None for row in rows for value in row[5:11])  # nothing filled in yet


def test_cells_to_fill_are_open_and_yellow_the_context_locked(sanshi, sample: Path, tmp_path: Path) -> None:
    assert sanshi("sheet", "-f", str(sample), "--as-of", AS_OF, "-u", "jsj").exit_code == 0
    sheet = openpyxl.load_workbook(tmp_path / "jsj-2026-W49.xlsx")["填报"]
    assert sheet.protection.sheet and not sheet.protection.password
    assert sheet.freeze_panes == "A3"
    assert (sheet.page_setup.paperSize, sheet.page_setup.orientation) in [(9, "landscape"), ("9", "landscape")]

    def opened(row: int) -> str:
        return "".join(c.column_letter for c in sheet[row][:11] if not c.protection.locked)

    assert opened(3) == "FI"  # a problem: 办结 and a note
    assert opened(4) == "GHIJK"  # a report row
    assert opened(5) == "F"  # a milestone
    assert sheet["F5"].fill.fgColor.rgb.endswith("FFF2CC")
    assert sheet["G5"].fill.fgColor.rgb.endswith("F2F2F2")
    assert sheet["F2"].comment is not None and "交账" in sheet["F2"].comment.text
    assert [sheet.column_dimensions[c].hidden for c in "KLMNO"] == [False, True, True, True, True]
    validations = {str(v.sqref): (v.type, v.operator, v.formula1) for v in sheet.data_validations.dataValidation}
    assert validations == {
        "F3:F9": ("date", "between", "DATE(1990,1,1)"),
        "G3:G9": ("decimal", "between", "0"),
        "H3:H9": ("decimal", "greaterThanOrEqual", "0"),
    }


def test_the_hidden_sheet_and_properties_name_unit_period_and_file(sanshi, sample: Path, tmp_path: Path) -> None:
    assert sanshi("sheet", "-f", str(sample), "--as-of", AS_OF, "-u", "jsj", "--monthly").exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "jsj-2026-12.xlsx")
    meta = book["sanshi"]
    assert meta.sheet_state == "hidden"
    values = {row[0]: row[1] for row in meta.iter_rows(values_only=True)}
    assert {k: values[k] for k in ("format", "unit", "period", "cadence", "first", "last", "deadline", "as_of")} == {
        "format": "sanshi-sheet 1", "unit": "jsj", "period": "2026-12", "cadence": "monthly",
        "first": "2026-12-01", "last": "2026-12-31", "deadline": "2026-12-31", "as_of": "2026-12-02",
    }  # fmt: skip
    assert len(values["hash"]) == 16
    props = {p.name: p.value for p in book.custom_doc_props}
    assert props == {"sanshi_format": "sanshi-sheet 1", "sanshi_unit": "jsj", "sanshi_period": "2026-12",
                     "sanshi_hash": values["hash"]}  # fmt: skip
    assert book["填报"]["A1"].value.startswith("高新区建设局 2026-12 月报（2026-12-01 至 2026-12-31")


def test_a_named_unit_gets_a_sheet_even_with_nothing_in_it(sanshi, write_toml) -> None:
    from tests.conftest import MINIMAL

    path = write_toml(MINIMAL.replace("[[people]]", '[[units]]\nid = "idle"\nname = "空闲单位"\n\n[[people]]', 1))
    result = sanshi("sheet", "-f", str(path), "--as-of", "2026-04-29")
    assert (result.exit_code, result.stdout) == (0, "jsj-2026-W18.xlsx\n")
    result = sanshi("sheet", "-f", str(path), "--as-of", "2026-04-29", "-u", "idle", "-u", "jsj")
    assert (result.exit_code, result.stdout) == (0, "jsj-2026-W18.xlsx\nidle-2026-W18.xlsx\n")
    rows = list(openpyxl.load_workbook(path.parent / "idle-2026-W18.xlsx")["填报"].iter_rows(min_row=3))
    assert rows == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--weekly", "--monthly"], "错误：--weekly 与 --monthly 只能给出一个\n"),
        (["-u", "nobody"], "错误：--unit “nobody” 不是已知的单位：请用 id 或名称\n"),
    ],
)
def test_refusals(sanshi, sample: Path, args: list[str], message: str) -> None:
    result = sanshi("sheet", "-f", str(sample), "--as-of", AS_OF, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert result.stdout == ""
