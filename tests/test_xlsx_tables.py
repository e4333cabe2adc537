"""``--format xlsx`` on status, plan, progress and problem list: one sheet, the CSV's columns and values as data."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, SAMPLE

AS_OF = ("--as-of", "2026-11-27")
COMMANDS = [("status", "--all"), ("plan", "--weekly"), ("progress",), ("problem", "list", "--all")]


def read_sheet(path: Path) -> tuple[str, list[list[object]], list[str | None]]:
    """The only sheet's title, its rows of values, and each data row's fill colour (None: no fill)."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    assert len(book.sheetnames) == 1
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    fills = []
    for line in sheet.iter_rows(min_row=2):
        fill = line[0].fill
        fills.append(fill.fgColor.rgb[-6:] if fill is not None and fill.fill_type == "solid" else None)
    return sheet.title, rows, fills


def as_csv(value: object) -> str:
    """A workbook cell as the CSV writes the same value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value)


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_the_sheet_holds_the_csv_cell_by_cell(sanshi, tmp_path, command):
    target = tmp_path / "out.xlsx"
    result = sanshi(*command, "-f", str(SAMPLE), *AS_OF, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    expected = csv_rows(sanshi(*command, "-f", str(SAMPLE), *AS_OF, "--format", "csv").stdout)
    _, rows, _ = read_sheet(target)
    assert len(rows) == len(expected) > 2
    assert rows[0] == expected[0]  # the CSV's keys as the header
    for got, want in zip(rows[1:], expected[1:], strict=True):
        assert len(got) == len(want)
        for value, text in zip(got, want, strict=True):
            if isinstance(value, int | float) and not isinstance(value, bool):
                assert value == float(text), (value, text)
            else:
                assert as_csv(value) == text.removeprefix("'"), (value, text)


@pytest.mark.parametrize(
    ("command", "dates", "numbers"),
    [
        (COMMANDS[0], ["due"], ["workdays_left"]),
        (COMMANDS[1], ["start", "end", "deadline"], ["planned_progress"]),
        (COMMANDS[2], ["report_due"], ["annual_plan", "time_progress"]),
        (COMMANDS[3], ["raised", "due", "deadline"], ["escalation"]),
    ],
    ids=lambda c: c[0] if isinstance(c, tuple) else None,
)
def test_dates_are_dates_and_numbers_numbers(sanshi, tmp_path, command, dates, numbers):
    target = tmp_path / "out.xlsx"
    assert sanshi(*command, "-f", str(SAMPLE), *AS_OF, "--format", "xlsx", "-o", str(target)).exit_code == 0
    _, rows, _ = read_sheet(target)
    header = rows[0]
    for name in dates:
        found = [r[header.index(name)] for r in rows[1:] if r[header.index(name)] is not None]
        assert found and all(isinstance(v, datetime) for v in found), name
    for name in numbers:
        found = [r[header.index(name)] for r in rows[1:] if r[header.index(name)] is not None]
        assert found and all(isinstance(v, int | float) for v in found), name
    for row in rows[1:]:
        assert row[header.index("project_name")] and isinstance(row[header.index("project_name")], str)


def test_status_rows_are_filled_in_their_levels_colours(sanshi, tmp_path):
    target = tmp_path / "状态.xlsx"
    assert sanshi("status", "-f", str(SAMPLE), *AS_OF, "-o", str(target)).exit_code == 0
    title, rows, fills = read_sheet(target)
    assert title == "预警状态"
    levels = [r[rows[0].index("level")] for r in rows[1:]]
    colours = {"red": "FFC7CE", "yellow": "FFEB9C", "blue": "DDEBF7", "green": "C6EFCE"}
    assert "red" in levels and "yellow" in levels
    assert fills == [colours.get(str(level)) for level in levels]


def test_the_sheet_is_named_in_english_with_lang_en(sanshi, tmp_path):
    target = tmp_path / "p.xlsx"
    assert sanshi("problem", "list", "-f", str(SAMPLE), *AS_OF, "--lang", "en", "-o", str(target)).exit_code == 0
    assert read_sheet(target)[0] == "Problems"


def test_text_that_looks_like_a_formula_stays_text(sanshi, write_toml, tmp_path):
    path = write_toml(MINIMAL.replace('name = "市民中心"', 'name = "=HYPERLINK(\\"http://x\\",\\"y\\")"'))
    target = tmp_path / "plan.xlsx"
    result = sanshi("plan", "-f", str(path), "--as-of", "2026-05-20", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    _, rows, _ = read_sheet(target)
    assert rows[1][1] == '=HYPERLINK("http://x","y")'
    from openpyxl import load_workbook

    assert load_workbook(target).worksheets[0]["B2"].data_type == "s"


def test_an_empty_table_is_a_header_row(sanshi, write_toml, tmp_path):
    path = write_toml(MINIMAL)
    target = tmp_path / "s.xlsx"
    assert sanshi("status", "-f", str(path), "--as-of", "2026-03-02", "-o", str(target)).exit_code == 0
    _, rows, _ = read_sheet(target)
    assert rows[0][:2] == ["project", "project_name"] and len(rows) == 1


def test_xlsx_to_a_pipe_is_the_workbook_bytes(sanshi, tmp_path):
    result = sanshi("progress", "-f", str(SAMPLE), *AS_OF, "--format", "xlsx")
    assert result.exit_code == 0, result.stderr
    # CliRunner's stdout is not a terminal: the bytes, as `> file` would get them
    assert result.stdout.encode("utf-8", "surrogateescape")[:2] == b"PK" or result.stdout.startswith("PK")


def test_dates_keep_their_day(sanshi, tmp_path):
    target = tmp_path / "q.xlsx"
    assert sanshi("problem", "list", "-f", str(SAMPLE), *AS_OF, "--all", "-o", str(target)).exit_code == 0
    _, rows, _ = read_sheet(target)
    raised = [r[rows[0].index("raised")] for r in rows[1:]]
    assert all(isinstance(v, datetime) and v.time() == datetime.min.time() for v in raised)
    assert min(v.date() for v in raised if isinstance(v, datetime)) >= date(2026, 1, 1)
