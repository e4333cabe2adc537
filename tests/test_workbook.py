"""The shared .xlsx look (workbook.py): values stay data, dates are dates, widths fit Chinese text."""

from __future__ import annotations

import io
from datetime import date

import openpyxl

from sanshi_cli.workbook import Column, add_table, new_workbook, save, sheet_title, text_width


def _round_trip(rows, levels=None, heading=None):
    book = new_workbook()
    columns = [Column("项目"), Column("截止日期", "date"), Column("投资（万元）", "money"), Column("进度 %", "percent")]
    add_table(book, "红黄灯清单", columns, rows, levels=levels, heading=heading)
    buffer = io.BytesIO()
    save(book, buffer)
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))


def test_values_keep_their_types_and_text_is_never_a_formula():
    book = _round_trip([['=HYPERLINK("http://x","点我")', date(2026, 11, 30), 1200.5, 35.0], ["+1-2", None, 0, 0]])
    sheet = book["红黄灯清单"]
    assert [c.value for c in sheet[1]] == ["项目", "截止日期", "投资（万元）", "进度 %"]
    assert sheet["A2"].value == '=HYPERLINK("http://x","点我")'
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value.date() == date(2026, 11, 30)
    assert sheet["B2"].number_format == "yyyy-mm-dd"
    assert sheet["C2"].value == 1200.5 and sheet["C2"].number_format == "#,##0.00"
    assert sheet["D2"].value == 35.0
    assert sheet["A3"].value == "+1-2" and sheet["B3"].value is None
    assert sheet.freeze_panes == "A2"


def test_level_fills_heading_and_widths():
    book = _round_trip([["学校", date(2026, 1, 2), 1, 2], ["医院", date(2026, 1, 3), 1, 2]], levels=["red", None],
                       heading="三十工程")  # fmt: skip
    sheet = book.active
    assert sheet["A1"].value == "三十工程"
    assert sheet["A2"].value == "项目" and sheet.freeze_panes == "A3"
    assert sheet["A3"].fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet["A4"].fill.fill_type is None
    assert sheet.column_dimensions["C"].width == text_width("投资（万元）") + 2 == 14
    assert sheet.page_setup.orientation == "landscape"


def test_sheet_titles_are_valid_and_unique():
    assert sheet_title("a/b:c*d?[e]") == "a_b_c_d__e_"
    assert sheet_title("x" * 40) == "x" * 31
    assert sheet_title("Sheet", ["sheet"]) == "Sheet (2)"
    assert text_width("节点ab") == 6
