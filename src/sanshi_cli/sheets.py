"""Fill-in sheets (周报/月报) for the responsible units: what each unit must answer for in a period.

One workbook per unit and period. Its sheet 填报 has a heading line, a header row and one row
per thing to answer for:

* each milestone the unit owns that is due in the period, or overdue and not done (节点);
* each open problem the unit owns (问题);
* one report row (本期填报) per project the unit is responsible for.

The columns are read-only context (项目 … 上次形象进度), the cells to fill (完成日期 … 存在问题/新问题;
only those that mean something for the row's kind are open, in yellow) and four hidden key
columns (``sanshi_kind``, ``sanshi_project``, ``sanshi_item``, ``sanshi_context``) that let
``sanshi collect`` match rows by their ids, whatever their order. The hidden sheet ``sanshi``
(and the workbook's custom properties) name the unit, the period and a hash of the project file.

The rows are computed here without openpyxl (:func:`sheet_rows`); :func:`write_sheet` lays them out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, TYPE_CHECKING, Any, Literal

from sanshi_cli.i18n import Lang, label
from sanshi_cli.loading import Loaded
from sanshi_cli.model import Project
from sanshi_cli.periods import Cadence, period_of

if TYPE_CHECKING:
    from openpyxl.worksheet.datavalidation import DataValidation

Kind = Literal["milestone", "problem", "report"]
FORMAT = "sanshi-sheet 1"  # what the hidden sheet says it is; a later layout gets another number
DATA_SHEET = "填报"
HELP_SHEET = "说明"
META_SHEET = "sanshi"


@dataclass(frozen=True, slots=True)
class SheetColumn:
    """One column of the 填报 sheet: its key, its header, its kind (see workbook.FORMATS) and its role."""

    key: str
    title: str
    kind: str
    role: Literal["context", "fill", "key"]


COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("project", "项目", "text", "context"),
    SheetColumn("item", "节点/问题", "text", "context"),
    SheetColumn("due", "截止日期", "date", "context"),
    SheetColumn("state", "状态", "text", "context"),
    SheetColumn("last", "上次形象进度（%）", "percent", "context"),
    SheetColumn("done", "完成日期", "date", "fill"),
    SheetColumn("progress", "形象进度（%）", "percent", "fill"),
    SheetColumn("invest", "本期完成投资（万元）", "money", "fill"),
    SheetColumn("text", "本期进展", "text", "fill"),
    SheetColumn("next", "下步计划", "text", "fill"),
    SheetColumn("problem", "存在问题/新问题", "text", "fill"),
    SheetColumn("kind", "sanshi_kind", "text", "key"),
    SheetColumn("project_id", "sanshi_project", "text", "key"),
    SheetColumn("item_id", "sanshi_item", "text", "key"),
    SheetColumn("context", "sanshi_context", "text", "key"),
)
# The cells a unit fills, by the row's kind: the others stay locked and grey.
FILLED: dict[str, tuple[str, ...]] = {
    "milestone": ("done",),
    "problem": ("done", "text"),
    "report": ("progress", "invest", "text", "next", "problem"),
}
KEY_COLUMNS = tuple(c for c in COLUMNS if c.role == "key")
FILL_COLOUR = "FFF2CC"  # light yellow: fill me in
LOCKED_COLOUR = "F2F2F2"  # light grey: nothing to fill here
HEADING_ROW, HEADER_ROW = 1, 2


@dataclass(frozen=True, slots=True)
class Period:
    """The period a sheet is for: its label (2026-W49, 2026-11), days and deadline (节点时限)."""

    cadence: Cadence
    label: str
    first: date
    last: date
    deadline: date  # the last working day inside it (its last day if it has none)


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One row of a unit's sheet."""

    kind: Kind
    project: Project
    item: str  # the milestone's or the problem's id ("" on a report row)
    name: str  # shown under 节点/问题
    due: date | None
    state: str
    last_progress: float | None
    context: str  # what the row was judged on, to see later whether it changed (sanshi_context)


def period_for(loaded: Loaded, as_of: date, cadence: Cadence) -> Period:
    """The week or month holding ``as_of``, with its deadline on the file's working calendar."""
    label_, (first, last) = period_of(as_of, cadence)
    deadline = loaded.calendar.last_workday(first, last) or last
    return Period(cadence, label_, first, last, deadline)


def file_hash(text: str) -> str:
    """A short fingerprint of the project file's text (informational: other sheets change it)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def milestone_context(due: date | None) -> str:
    return f"due={due.isoformat() if due else ''}"


def problem_context(deadline: date, lifecycle: str) -> str:
    return f"deadline={deadline.isoformat()};state={lifecycle}"


def milestone_owner(project: Project, owner: str | None) -> str:
    return owner or project.responsible_unit


def units_with_rows(loaded: Loaded, period: Period, as_of: date) -> list[str]:
    """The units that have something to answer for in the period, in the file's order of units."""
    busy: set[str] = set()
    for project in loaded.portfolio.projects:
        if project.start <= period.last:
            busy.add(project.responsible_unit)
        due = loaded.due.get(project.id, {})
        for milestone in project.milestones:
            day = due.get(milestone.id)
            if _answers(day, milestone.done, period, as_of):
                busy.add(milestone_owner(project, milestone.owner))
        for entry in project.problems:
            if entry.raised <= as_of and entry.solved is None and entry.closed is None:
                busy.add(entry.owner or project.responsible_unit)
    return [unit.id for unit in loaded.portfolio.units if unit.id in busy]


def _answers(due: date | None, done: date | None, period: Period, as_of: date) -> bool:
    """A milestone is on the sheet when it is not done and due in the period or before it."""
    if due is None or (done is not None and done <= as_of):
        return False
    return due <= period.last


def sheet_rows(loaded: Loaded, unit: str, period: Period, as_of: date, lang: Lang) -> list[SheetRow]:
    """Everything ``unit`` must answer for in ``period``: per project, its milestones, problems, report row."""
    from sanshi_cli.problems import problem_as_of

    rows: list[SheetRow] = []
    for project in loaded.portfolio.projects:
        due = loaded.due.get(project.id, {})
        milestones = []
        for milestone in project.milestones:
            day = due.get(milestone.id)
            if milestone_owner(project, milestone.owner) != unit or not _answers(day, milestone.done, period, as_of):
                continue
            assert day is not None
            if day < period.first:
                state = label("sheet_state_overdue", lang, days=max(0, (as_of - day).days))
            else:
                state = label("sheet_state_due", lang)
            milestones.append((day, milestone.id, milestone.name, state))
        for day, ident, name, state in sorted(milestones, key=lambda m: m[0]):
            shown = label("sheet_item_milestone", lang, name=name)
            rows.append(SheetRow("milestone", project, ident, shown, day, state, None, milestone_context(day)))
        for entry in project.problems:
            if (entry.owner or project.responsible_unit) != unit:
                continue
            view = problem_as_of(project, entry, loaded, as_of)
            if view is None or view.lifecycle != "open":
                continue
            if view.days_overdue:
                state = label("sheet_state_overdue", lang, days=view.days_overdue)
            else:
                state = label("sheet_state_open", lang)
            shown = label("sheet_item_problem", lang, name=entry.text)
            context = problem_context(view.deadline, view.lifecycle)
            rows.append(SheetRow("problem", project, entry.id, shown, view.deadline, state, None, context))
        if project.responsible_unit == unit and project.start <= period.last:
            last = _last_report(project, as_of)
            state = (
                label("sheet_state_last_report", lang, date=last[0]) if last else label("sheet_state_no_report", lang)
            )
            rows.append(
                SheetRow(
                    "report", project, "", label("sheet_item_report", lang), period.deadline, state,
                    last[1] if last else None, "",
                )
            )  # fmt: skip
    return rows


def _last_report(project: Project, as_of: date) -> tuple[date, float | None] | None:
    """The date of the last report on or before ``as_of`` and the last 形象进度 reported by then."""
    earlier = [r for r in project.reports if r.on <= as_of]
    if not earlier:
        return None
    latest = max(earlier, key=lambda r: r.on)
    progress = [r for r in earlier if r.progress is not None]
    return latest.on, max(progress, key=lambda r: r.on).progress if progress else None


def sheet_name(unit: str, period: Period) -> str:
    """``jsj-2026-W49.xlsx``."""
    return f"{unit}-{period.label}.xlsx"


def write_sheet(
    out: IO[bytes],
    loaded: Loaded,
    unit: str,
    period: Period,
    rows: Sequence[SheetRow],
    *,
    as_of: date,
    lang: Lang,
) -> None:
    """Lay ``rows`` out as the unit's workbook (see the module) and write it to ``out``."""
    from openpyxl.comments import Comment
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.styles import PatternFill, Protection
    from openpyxl.utils import get_column_letter

    from sanshi_cli.workbook import Column, add_table, new_workbook, save

    units = loaded.units
    unit_name = units[unit].name if unit in units else unit
    book = new_workbook()
    heading = label(
        "sheet_heading_weekly" if period.cadence == "weekly" else "sheet_heading_monthly",
        lang, unit=unit_name, period=period.label, first=period.first, last=period.last, deadline=period.deadline,
    )  # fmt: skip
    values = [_values(row) for row in rows]
    sheet = add_table(book, DATA_SHEET, [Column(c.title, c.kind) for c in COLUMNS], values, heading=heading)
    position = {c.key: i for i, c in enumerate(COLUMNS, start=1)}
    fill, grey = PatternFill("solid", fgColor=FILL_COLOUR), PatternFill("solid", fgColor=LOCKED_COLOUR)
    unlocked = Protection(locked=False)
    first_row = HEADER_ROW + 1
    for offset, row in enumerate(rows):
        line = first_row + offset
        open_cells = FILLED[row.kind]
        for column in COLUMNS:
            if column.role != "fill":
                continue
            cell = sheet.cell(row=line, column=position[column.key])
            if column.key in open_cells:
                cell.fill, cell.protection = fill, unlocked
            else:
                cell.fill = grey
    for column in COLUMNS:
        letter = get_column_letter(position[column.key])
        header = sheet.cell(row=HEADER_ROW, column=position[column.key])
        if column.role == "fill":
            header.fill = fill
            header.comment = Comment(label(f"sheet_note_{column.key}", lang), "sanshi")
            sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width or 0, 14)
        elif column.role == "key":
            sheet.column_dimensions[letter].hidden = True
    last_row = max(first_row, HEADER_ROW + len(rows))
    for key, validation in _validations(lang).items():
        letter = get_column_letter(position[key])
        validation.add(f"{letter}{first_row}:{letter}{last_row}")
        sheet.add_data_validation(validation)
    protection = sheet.protection
    protection.sheet = True  # no password: it keeps hands off the context, it is no lock
    protection.autoFilter = protection.sort = False  # allowed: sorting and filtering
    protection.formatColumns = protection.formatRows = False
    protection.selectLockedCells = protection.selectUnlockedCells = False

    help_sheet = book.create_sheet(HELP_SHEET)
    for number, line_key in enumerate(("sheet_help_1", "sheet_help_2", "sheet_help_3", "sheet_help_4"), start=1):
        help_sheet.cell(row=number, column=1).value = label(line_key, lang, deadline=period.deadline)
    help_sheet.column_dimensions["A"].width = 100

    meta = {
        "format": FORMAT,
        "unit": unit,
        "period": period.label,
        "cadence": period.cadence,
        "first": period.first.isoformat(),
        "last": period.last.isoformat(),
        "deadline": period.deadline.isoformat(),
        "as_of": as_of.isoformat(),
        "file": loaded.path,
        "hash": file_hash(loaded.text),
    }
    hidden = book.create_sheet(META_SHEET)
    for number, (key, value) in enumerate(meta.items(), start=1):
        hidden.cell(row=number, column=1).value = key
        cell = hidden.cell(row=number, column=2)
        cell.value, cell.data_type = value, "s"
    hidden.sheet_state = "hidden"
    hidden.protection.sheet = True
    for key in ("format", "unit", "period", "hash"):
        props: Any = book.custom_doc_props  # type: ignore[attr-defined]
        props.append(StringProperty(name=f"sanshi_{key}", value=meta[key]))
    book.active = 0
    save(book, out)


def _values(row: SheetRow) -> list[object]:
    return [
        row.project.name, row.name, row.due, row.state, row.last_progress,
        None, None, None, None, None, None,
        row.kind, row.project.id, row.item, row.context,
    ]  # fmt: skip


def _validations(lang: Lang) -> dict[str, DataValidation]:
    """Data validation of the fill-in columns: warnings (a text date is still read by collect)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    def made(kind: Any, operator: Any, first: str, second: str | None, key: str) -> DataValidation:
        return DataValidation(
            type=kind, operator=operator, formula1=first, formula2=second, allow_blank=True,
            showErrorMessage=True, errorStyle="warning", errorTitle=label("sheet_check_title", lang),
            error=label(key, lang), showInputMessage=False,
        )  # fmt: skip

    return {
        "done": made("date", "between", "DATE(1990,1,1)", "DATE(2100,12,31)", "sheet_check_date"),
        "progress": made("decimal", "between", "0", "100", "sheet_check_percent"),
        "invest": made("decimal", "greaterThanOrEqual", "0", None, "sheet_check_amount"),
    }


def fill_titles() -> Iterable[str]:
    return (c.title for c in COLUMNS if c.role == "fill")
