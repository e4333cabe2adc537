"""What people type into spreadsheet cells, read as dates, amounts and percentages.

Units fill their weekly sheets by hand and a PMO's ledger has years of habits in it: a date is
``2026/11/20``, ``2026年11月20日``, ``11-20`` or ``11月底``; an amount is ``1,200``, ``1200万元`` or
``0.12亿元``; a progress figure is ``35``, ``35%`` or 0.35 in a cell Excel shows as a percentage.
This module turns each into one value, or raises :class:`CellError` naming what it could not
read (the caller adds the cell's address). Empty cells are None. No spreadsheet library is
needed here: openpyxl hands cells over as ``date``/``datetime``/numbers/strings.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

# Amount units, in 万元 (the project file's unit).
UNITS: dict[str, float] = {"万元": 1.0, "万": 1.0, "亿元": 10000.0, "亿": 10000.0, "元": 0.0001, "千元": 0.1}
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's 1900 date system (its 1900-02-29 bug included)
# Excel serial numbers of plausible dates (1990 to 2100): anything else in a date cell is not one.
SERIALS = ((date(1990, 1, 1) - EXCEL_EPOCH).days, (date(2100, 12, 31) - EXCEL_EPOCH).days)

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－／％：　（）", "0123456789.,-/%: ()")
_FULL = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_MONTH_END = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(底|末|末尾|上旬|中旬|下旬)")
_NUMBER = re.compile(r"([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)\s*(.*)")
_HEADER_UNIT = re.compile(r"[（(]\s*(万元|亿元|千元|元|%|％)\s*[)）]")
_HEADER_YEAR = re.compile(r"(\d{4})\s*年(?:度)?")


class CellError(Exception):
    """A cell that cannot be read as what its column holds: ``key`` names the message, ``params`` fill it."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _text(value: object) -> str:
    return str(value).translate(_FULLWIDTH).strip()


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def parse_day(value: object, *, near: date) -> date | None:
    """A date from a cell: a date cell, an Excel serial, or text in one of the forms people type.

    A date without a year (``11-20``, ``11月20日``, ``11月底``) is put in the year that brings it
    nearest ``near`` (the period's deadline, say): ``1-5`` typed on 28 December is next January.
    ``上旬``/``中旬``/``下旬`` are the 10th, the 20th and the month's last day.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError("cell_not_a_date", value=_shown(value))
    if isinstance(value, int | float):
        if float(value).is_integer() and SERIALS[0] <= value <= SERIALS[1]:
            return EXCEL_EPOCH + timedelta(days=int(value))
        if float(value).is_integer() and 19900101 <= value <= 21001231:
            return parse_day(str(int(value)), near=near)
        raise CellError("cell_not_a_date", value=_shown(value))
    text = _text(value)
    if not text:
        return None
    if text.endswith(("00:00:00", "00:00")):  # a datetime typed or exported as text
        text = text.rsplit(" ", 1)[0].strip()
    for pattern in (_FULL, _COMPACT):
        match = pattern.fullmatch(text)
        if match:
            return _day(int(match[1]), int(match[2]), int(match[3]), value)
    match = _MONTH_END.fullmatch(text)
    if match:
        month = int(match[2])
        if not 1 <= month <= 12:
            raise CellError("cell_not_a_date", value=_shown(value))
        years = [int(match[1])] if match[1] else [near.year - 1, near.year, near.year + 1]
        word = match[3]

        def day_in(year: int) -> date:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 10 if word == "上旬" else 20 if word == "中旬" else last)

        return min((day_in(y) for y in years), key=lambda d: abs((d - near).days))
    match = _MONTH_DAY.fullmatch(text)
    if match:
        month, day = int(match[1]), int(match[2])
        found = [d for y in (near.year - 1, near.year, near.year + 1) if (d := _maybe(y, month, day)) is not None]
        if not found:
            raise CellError("cell_not_a_date", value=_shown(value))
        return min(found, key=lambda d: abs((d - near).days))
    raise CellError("cell_not_a_date", value=_shown(value))


def _maybe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day(year: int, month: int, day: int, value: object) -> date:
    found = _maybe(year, month, day)
    if found is None:
        raise CellError("cell_no_such_day", value=_shown(value))
    return found


def parse_amount(value: object, *, unit: str = "万元") -> float | None:
    """An amount in 万元: a number in ``unit`` (the column's), or text with its own unit (``0.12亿元``)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("cell_not_an_amount", value=_shown(value))
    scale = UNITS.get(unit, 1.0)
    if isinstance(value, int | float):
        amount = float(value) * scale
    else:
        text = _text(value).replace(",", "").replace(" ", "")
        if not text or text in ("-", "/", "—", "无"):
            return None
        match = _NUMBER.fullmatch(text)
        if match is None:
            raise CellError("cell_not_an_amount", value=_shown(value))
        written = match[2]
        if written and written not in UNITS:
            raise CellError("cell_not_an_amount", value=_shown(value))
        amount = float(match[1]) * (UNITS[written] if written else scale)
    if amount < 0:
        raise CellError("cell_negative", value=_shown(value))
    return round(amount, 4)


def parse_percent(value: object, *, number_format: str = "General") -> float | None:
    """A percentage 0–100: ``35``, ``35%``, or 0.35 in a cell formatted as a percentage."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("cell_not_a_percent", value=_shown(value))
    if isinstance(value, int | float):
        percent = float(value) * (100.0 if "%" in number_format else 1.0)
    else:
        text = _text(value).replace(" ", "")
        if not text:
            return None
        match = _NUMBER.fullmatch(text)
        if match is None or match[2] not in ("", "%"):
            raise CellError("cell_not_a_percent", value=_shown(value))
        percent = float(match[1])
    if not 0 <= percent <= 100:
        raise CellError("cell_percent_range", value=_shown(value))
    return round(percent, 4)


def header_unit(text: str) -> tuple[str, str | None, int | None]:
    """A header split into its bare name, its unit and an embedded year.

    ``2026年度计划投资（万元）`` is ("年度计划投资", "万元", 2026); ``总投资（亿元）`` is ("总投资", "亿元", None);
    ``形象进度(%)`` is ("形象进度", "%", None). Spaces and line breaks inside a header are dropped.
    """
    bare = re.sub(r"\s+", "", str(text)).translate(_FULLWIDTH)
    unit = None
    match = _HEADER_UNIT.search(bare)
    if match:
        unit = match[1].replace("％", "%")
        bare = bare[: match.start()] + bare[match.end() :]
    year = None
    match = _HEADER_YEAR.match(bare)
    if match:
        year = int(match[1])
        bare = ("年度" if "年度" in match[0] else "") + bare[match.end() :]
    return bare.strip("：:"), unit, year
