"""Excel workbooks (.xlsx) with openpyxl: the one look of every sheet sanshi writes.

A sheet is a header row and rows of plain values: ``date`` values become Excel dates,
numbers stay numbers (with a format per column: 万元, %, days), text stays text. Text is
always written as text: a unit called ``=HYPERLINK(…)`` is a name, never a formula (openpyxl
would otherwise store any string starting with ``=`` as one). Column widths follow the
display width of the text (a Chinese character is two columns wide), the header row is
frozen and printed on every page, and pages are A4 landscape, fitted to the width.

openpyxl is imported only here, and this module only by the commands that write or read
workbooks, so no other command's start pays for it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

# Excel's number formats for the kinds of a column.
FORMATS: dict[str, str] = {
    "text": "@",
    "date": "yyyy-mm-dd",
    "int": "0",
    "number": "#,##0.00",
    "money": "#,##0.00",  # 万元
    "percent": "0.0",  # a percentage as a number 0–100 (the CSV's value), not Excel's 0–1 fraction
    "points": "+0.0;-0.0;0.0",
}
# Cell fills of the alert levels (Excel's own "bad", "neutral" and "good" styles' colours; blue a light accent).
LEVEL_FILLS: dict[str, str] = {
    "red": "FFC7CE", "yellow": "FFEB9C", "green": "C6EFCE", "blue": "DDEBF7", "black": "BFBFBF",  # black: 黑榜
}  # fmt: skip
HEADER_FILL = "D9E1F2"
MAX_WIDTH = 60  # columns wider than this wrap instead
TITLE_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
# What a workbook people send cannot be read as: the old binary formats (Excel 97 .xls, WPS .et and
# their templates) and an encrypted .xlsx are OLE2 compound files; an .xlsx is a zip.
OLD_SUFFIXES = (".xls", ".xlt", ".et", ".ett")
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted OOXML file keeps in its OLE2 wrapper
Refusal = Literal["old_format", "encrypted", "not_xlsx"]


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its header and the kind of its values (a key of :data:`FORMATS`)."""

    title: str
    kind: str = "text"


def text_width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet cell: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def sheet_title(text: str, taken: Iterable[str] = ()) -> str:
    """A valid, unused sheet name: at most 31 characters, none of ``[]:*?/\\``, unique ignoring case."""
    base = "".join(ch for ch in text.translate(TITLE_FORBIDDEN) if ch.isprintable()).strip("'") or "Sheet"
    base = base[:31]
    used = {t.lower() for t in taken}
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    return title


def refusal(data: bytes, name: str = "") -> Refusal | None:
    """Why ``data`` (a file called ``name``) cannot be read as an .xlsx workbook, or None when it can be tried."""
    if data.startswith(CFB_MAGIC):
        return "encrypted" if ENCRYPTED in data else "old_format"
    if name.lower().endswith(OLD_SUFFIXES):
        return "old_format"
    if not data.startswith(b"PK"):
        return "not_xlsx"
    return None


def new_workbook() -> Workbook:
    """An empty workbook (without openpyxl's default sheet)."""
    from openpyxl import Workbook

    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    return book


def add_table(
    book: Workbook,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    *,
    levels: Sequence[str | None] | None = None,
    heading: str | None = None,
) -> Worksheet:
    """Append a sheet holding a table: an optional heading line, the header row, then ``rows``.

    ``levels`` gives each row's alert level (``red``/``yellow``/``green`` or None), shown as
    the row's fill. Returns the sheet, for a caller that adds more (notes, validation).
    """
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    sheet = book.create_sheet(sheet_title(title, book.sheetnames))
    assert isinstance(sheet, Worksheet)
    top = 1
    if heading is not None:
        put(sheet.cell(row=1, column=1), heading)
        sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
        top = 2
    widths = [text_width(c.title) for c in columns]
    bold, header_fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=top, column=index)
        put(cell, column.title)
        cell.font, cell.fill = bold, header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    fills = {level: PatternFill("solid", fgColor=color) for level, color in LEVEL_FILLS.items()}
    level_list = list(levels) if levels is not None else None
    count = 0
    for count, values in enumerate(rows, start=1):
        line = top + count
        fill = fills.get(level_list[count - 1] or "") if level_list is not None else None
        for index, (column, value) in enumerate(zip(columns, values, strict=False), start=1):
            cell = sheet.cell(row=line, column=index)
            put(cell, value, column.kind)
            if fill is not None:
                cell.fill = fill
            shown = value.isoformat() if isinstance(value, date) else "" if value is None else str(value)
            widths[index - 1] = max(widths[index - 1], max((text_width(p) for p in shown.split("\n")), default=0))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width, MAX_WIDTH) + 2
        if width > MAX_WIDTH:
            for line in range(top + 1, top + count + 1):
                sheet.cell(row=line, column=index).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"A{top + 1}"
    if count:
        sheet.auto_filter.ref = f"A{top}:{get_column_letter(len(columns))}{top + count}"
    print_setup(sheet, header_rows=f"{top}:{top}")
    return sheet


def put(cell: Any, value: object, kind: str = "text") -> None:
    """Write ``value`` into ``cell`` as data: text stays text (never a formula), dates and numbers get formats."""
    if value is None or value == "":
        cell.value = None
        return
    if isinstance(value, bool):
        cell.value = value
        return
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        cell.value = value
        cell.number_format = FORMATS["date"]
        return
    if isinstance(value, int | float):
        cell.value = value
        if kind in FORMATS and kind not in ("text", "date"):
            cell.number_format = FORMATS[kind]
        return
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else "\ufffd" for ch in str(value))
    cell.value = text
    cell.data_type = "s"  # openpyxl stores a string starting with "=" as a formula: this one is data


def print_setup(sheet: Worksheet, *, header_rows: str | None = None) -> None:
    """A4 landscape, fitted to one page wide, the header rows repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4 in Excel's numbering
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if header_rows is not None:
        sheet.print_title_rows = header_rows


def save(book: Workbook, out: IO[bytes]) -> None:
    """Write ``book`` to a binary stream (openpyxl writes a zip: it needs a seekable target, so buffer it)."""
    import io

    buffer = io.BytesIO()
    book.save(buffer)
    out.write(buffer.getvalue())
