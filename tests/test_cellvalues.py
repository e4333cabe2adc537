"""What people type into sheet cells (cellvalues.py): dates, amounts and percentages, or a named error."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from sanshi_cli.cellvalues import CellError, header_unit, parse_amount, parse_day, parse_percent
from sanshi_cli.i18n import MESSAGES

NEAR = date(2026, 12, 4)  # the Friday deadline of ISO week 2026-W49


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (date(2026, 11, 20), date(2026, 11, 20)),
        (datetime(2026, 11, 20, 0, 0), date(2026, 11, 20)),
        (46346, date(2026, 11, 20)),  # Excel's serial of 2026-11-20
        (20261120, date(2026, 11, 20)),
        ("2026-11-20", date(2026, 11, 20)),
        ("2026/11/20", date(2026, 11, 20)),
        ("2026.11.20", date(2026, 11, 20)),
        ("2026年11月20日", date(2026, 11, 20)),
        ("2026 年 11 月 20 日", date(2026, 11, 20)),
        ("２０２６／１１／２０", date(2026, 11, 20)),
        ("20261120", date(2026, 11, 20)),
        ("2026-11-20 00:00:00", date(2026, 11, 20)),
        ("11-20", date(2026, 11, 20)),
        ("11/20", date(2026, 11, 20)),
        ("11月20日", date(2026, 11, 20)),
        ("11月20号", date(2026, 11, 20)),
        ("1-5", date(2027, 1, 5)),  # typed in December: the coming January is nearer
        ("11月底", date(2026, 11, 30)),
        ("2月末", date(2027, 2, 28)),
        ("2028年2月底", date(2028, 2, 29)),
        ("12月上旬", date(2026, 12, 10)),
        ("12月中旬", date(2026, 12, 20)),
        ("12月下旬", date(2026, 12, 31)),
        (None, None),
        ("  ", None),
    ],
)
def test_dates_as_people_type_them(typed, expected):
    assert parse_day(typed, near=NEAR) == expected


@pytest.mark.parametrize(
    ("typed", "key"),
    [("下周", "cell_not_a_date"), ("2026-13-01", "cell_no_such_day"), ("2026-02-30", "cell_no_such_day"),
     ("13-45", "cell_not_a_date"), (3.5, "cell_not_a_date"), (True, "cell_not_a_date"), ("13月底", "cell_not_a_date")],
)  # fmt: skip
def test_what_is_not_a_date_is_named(typed, key):
    with pytest.raises(CellError) as caught:
        parse_day(typed, near=NEAR)
    assert caught.value.key == key
    assert caught.value.params == {"value": str(typed)}


@pytest.mark.parametrize(
    ("typed", "unit", "expected"),
    [(1200, "万元", 1200.0), (1.5, "亿元", 15000.0), ("1,200", "万元", 1200.0), ("1200万元", "万元", 1200.0),
     ("0.12亿元", "万元", 1200.0), ("500元", "万元", 0.05), ("１２００万", "万元", 1200.0), ("3", "亿元", 30000.0),
     ("-", "万元", None), ("", "万元", None), (None, "万元", None), (0, "万元", 0.0)],
)  # fmt: skip
def test_amounts_in_wan_yuan(typed, unit, expected):
    assert parse_amount(typed, unit=unit) == expected


@pytest.mark.parametrize(("typed", "key"), [("约1200", "cell_not_an_amount"), ("1200美元", "cell_not_an_amount"),
                                            (-5, "cell_negative"), ("-5", "cell_negative")])  # fmt: skip
def test_what_is_not_an_amount_is_named(typed, key):
    with pytest.raises(CellError) as caught:
        parse_amount(typed)
    assert caught.value.key == key


@pytest.mark.parametrize(
    ("typed", "fmt", "expected"),
    [(35, "General", 35.0), (0.35, "0%", 35.0), (0.355, "0.0%", 35.5), ("35%", "General", 35.0),
     ("35％", "General", 35.0), ("35", "@", 35.0), (100, "General", 100.0), (None, "General", None)],
)  # fmt: skip
def test_percentages(typed, fmt, expected):
    assert parse_percent(typed, number_format=fmt) == expected


@pytest.mark.parametrize(("typed", "key"), [(120, "cell_percent_range"), ("-1%", "cell_percent_range"),
                                            ("过半", "cell_not_a_percent"), ("35元", "cell_not_a_percent")])  # fmt: skip
def test_what_is_not_a_percentage_is_named(typed, key):
    with pytest.raises(CellError) as caught:
        parse_percent(typed)
    assert caught.value.key == key


@pytest.mark.parametrize(
    ("header", "expected"),
    [("2026年度计划投资（万元）", ("年度计划投资", "万元", 2026)), ("总投资（亿元）", ("总投资", "亿元", None)),
     ("形象进度(%)", ("形象进度", "%", None)), ("项目\n名称", ("项目名称", None, None)),
     ("2026年计划投资", ("计划投资", None, 2026)), ("责任单位：", ("责任单位", None, None))],
)  # fmt: skip
def test_headers_split_into_name_unit_and_year(header, expected):
    assert header_unit(header) == expected


def test_every_cell_message_reads_in_both_languages():
    for key in ("cell_not_a_date", "cell_no_such_day", "cell_not_an_amount", "cell_negative", "cell_not_a_percent",
                "cell_percent_range"):  # fmt: skip
        zh, en = MESSAGES[key]
        assert "“x”" in zh.format(value="x") and "'x'" in en.format(value="x")
