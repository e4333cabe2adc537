"""Filled sheets back (``sanshi collect``): what each filled cell means, checked row by row.

A workbook written by ``sanshi sheet`` is read with openpyxl (:func:`read_workbook`): its hidden
sheet names the unit and the period, the key columns name each row's kind and ids, whatever
order the rows and columns are in now. :func:`plan_collect` then judges every row against the
project file as it is:

* 完成日期 on a milestone row records its 交账 (``done``); on a problem row, 办结 (``solved``);
* 本期进展 on a problem row becomes a note (``updates``) dated on the period's deadline;
* a report row becomes one ``[[projects.reports]]`` entry dated on the period's deadline, ``by``
  the sheet's unit; text in 存在问题/新问题 becomes a new problem owned by the unit, raised on the
  deadline and due ``[problems] default_due_workdays`` working days later.

Each row is a change, unchanged (already recorded: collecting twice changes nothing), empty,
to be checked (its context changed since the sheet was written: not applied) or invalid (a cell
that cannot be read, a date in the future, progress below the last report, ids that no longer
exist, a row of another unit). Cells are named as ``jsj-2026-W49.xlsx!F7``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sanshi_cli.cellvalues import CellError, parse_amount, parse_day, parse_percent
from sanshi_cli.errors import Msg, Problem, SanshiError
from sanshi_cli.i18n import one_line
from sanshi_cli.loading import Loaded
from sanshi_cli.model import Project
from sanshi_cli.sheets import (
    COLUMNS,
    DATA_SHEET,
    FILLED,
    FORMAT,
    KEY_COLUMNS,
    META_SHEET,
    Period,
    file_hash,
    milestone_context,
    milestone_owner,
)

if TYPE_CHECKING:
    from sanshi_cli.editing import Edit
    from sanshi_cli.portfolio import Change, PortfolioFile

Status = Literal["change", "unchanged", "empty", "check", "invalid"]
ZIP_MAGIC = b"PK\x03\x04"
READ_LIMIT = 50 * 1024 * 1024
HEADER_SEARCH = 30  # rows in which the header row is looked for


class SheetRefused(SanshiError):
    """A whole workbook that cannot be trusted or read (its problems say why and what to do)."""


@dataclass(frozen=True, slots=True)
class Cell:
    value: object
    number_format: str
    where: str  # jsj-2026-W49.xlsx!F7


@dataclass(slots=True)
class FilledRow:
    """One data row of a filled sheet: its keys and its cells, by column key."""

    where: str  # the row's first cell, for messages about the whole row
    kind: str
    project: str
    item: str
    context: str
    cells: dict[str, Cell] = field(default_factory=dict)


@dataclass(slots=True)
class FilledSheet:
    """A workbook read back: its name, what its hidden sheet says, its rows."""

    name: str
    meta: dict[str, str]
    rows: list[FilledRow]
    invest_unit: str = "万元"


@dataclass(slots=True)
class Outcome:
    """What one row (or one cell) of a sheet means for the file."""

    where: str
    status: Status
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    edits: list[tuple[str, Edit]] = field(default_factory=list)


@dataclass(slots=True)
class Plan:
    """Every sheet's outcomes, and the edits of the valid rows, in order."""

    outcomes: list[Outcome] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # informational (the file changed since the sheet)

    @property
    def edits(self) -> list[tuple[str, Edit]]:
        return [edit for outcome in self.outcomes if outcome.status == "change" for edit in outcome.edits]

    def count(self, status: Status) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def left_out(self) -> int:
        return self.count("invalid") + self.count("check")


# -- reading a workbook ---------------------------------------------------------------------------


def read_workbook(path: Path, display: str) -> FilledSheet:
    """A filled sheet from ``path``, or :class:`SheetRefused` saying why it cannot be read."""
    import io
    import zipfile

    from sanshi_cli.files import os_reason, read_capped
    from sanshi_cli.workbook import OLD_SUFFIXES, refusal

    name = Path(display).name
    if name.lower().endswith(OLD_SUFFIXES):
        raise SheetRefused([Problem("collect_old_format", {"path": display})])
    try:
        data = read_capped(path, READ_LIMIT)
    except OSError as error:
        raise SheetRefused([Problem("collect_cannot_read", {"path": display, "reason": os_reason(error)})]) from None
    why = refusal(data, name)
    if why is not None:
        raise SheetRefused([Problem(f"collect_{why}", {"path": display})])
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as error:
        detail = one_line(str(error))[:120]
        raise SheetRefused([Problem("collect_unreadable", {"path": display, "detail": detail})]) from None
    meta = _meta(book)
    if meta.get("format") != FORMAT or not meta.get("unit") or not meta.get("period"):
        raise SheetRefused([Problem("collect_not_a_sheet", {"path": display})])
    found = _data_sheet(book)
    if found is None:
        keys = ", ".join(c.title for c in KEY_COLUMNS)
        raise SheetRefused([Problem("collect_keys_deleted", {"path": display, "columns": keys})])
    sheet, header, columns, invest_unit = found
    missing = [c.title for c in KEY_COLUMNS if c.key not in columns]
    if missing:
        raise SheetRefused([Problem("collect_keys_deleted", {"path": display, "columns": ", ".join(missing)})])
    rows: list[FilledRow] = []
    fills = [c.key for c in COLUMNS if c.role == "fill" and c.key in columns]
    for values in sheet.iter_rows(min_row=header + 1):
        by_column = {cell.column: cell for cell in values if getattr(cell, "column", None) is not None}

        def text(key: str, by_column: dict[int, Any] = by_column) -> str:
            cell = by_column.get(columns[key])
            return "" if cell is None or cell.value is None else str(cell.value).strip()

        cells: dict[str, Cell] = {}
        for key in fills:
            cell = by_column.get(columns[key])
            if cell is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
                continue
            cells[key] = Cell(cell.value, str(cell.number_format or "General"), f"{name}!{cell.coordinate}")
        kind, project, item = text("kind"), text("project_id"), text("item_id")
        if not (kind or project or item or cells):
            continue
        line = values[0].row if values else header + 1
        rows.append(FilledRow(f"{name}!A{line}", kind, project, item, text("context"), cells))
    return FilledSheet(name, meta, rows, invest_unit)


def _meta(book: Any) -> dict[str, str]:
    """The hidden sheet's keys and values; else the workbook's custom properties (a re-save may drop one)."""
    meta: dict[str, str] = {}
    if META_SHEET in book.sheetnames:
        for key, value in book[META_SHEET].iter_rows(min_col=1, max_col=2, values_only=True):
            if key is not None and value is not None:
                meta[str(key).strip()] = str(value).strip()
    if not meta:
        for prop in getattr(book, "custom_doc_props", []):
            if str(prop.name).startswith("sanshi_") and prop.value is not None:
                meta[str(prop.name)[len("sanshi_") :]] = str(prop.value).strip()
    return meta


def _data_sheet(book: Any) -> tuple[Any, int, dict[str, int], str] | None:
    """The sheet holding the key columns (填报 first), its header row, each column's number, the 万元 unit."""
    from sanshi_cli.cellvalues import header_unit

    titles = {header_unit(c.title)[0]: c.key for c in COLUMNS}
    names = sorted(book.sheetnames, key=lambda n: n != DATA_SHEET)
    for sheet_name in names:
        if sheet_name == META_SHEET:
            continue
        sheet = book[sheet_name]
        for row in sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH):
            columns: dict[str, int] = {}
            invest_unit = "万元"
            for cell in row:
                if not isinstance(cell.value, str):
                    continue
                bare, unit, _ = header_unit(cell.value)
                key = titles.get(bare)
                if key is not None and key not in columns:
                    columns[key] = cell.column
                    if key == "invest" and unit and unit != "%":
                        invest_unit = unit
            if "kind" in columns or sum(1 for k in columns if k in ("project_id", "item_id", "context")) >= 2:
                return sheet, row[0].row, columns, invest_unit
    return None


# -- judging the rows -----------------------------------------------------------------------------


_NAMED = re.compile(r"^(?P<unit>.+?)-(?P<period>\d{4}-W\d{2}|\d{4}-\d{2})(?![\d])")


def sheet_period(loaded: Loaded, meta: dict[str, str]) -> Period | None:
    """The period the sheet says it is for, on the file's calendar; None when it names none."""
    from sanshi_cli.periods import parse_month, parse_week

    label = meta.get("period", "")
    if meta.get("cadence") == "monthly" or re.fullmatch(r"\d{4}-\d{2}", label):
        span = parse_month(label)
        cadence: Literal["weekly", "monthly"] = "monthly"
    else:
        found = parse_week(label)
        span = found if isinstance(found, tuple) else None
        cadence = "weekly"
    if span is None:
        return None
    first, last = span
    return Period(cadence, label, first, last, loaded.calendar.last_workday(first, last) or last)


def plan_collect(loaded: Loaded, sheets: Sequence[FilledSheet], as_of: date) -> Plan:
    """Judge every row of every sheet against ``loaded`` (see the module); nothing is written here."""
    plan = Plan()
    judge = _Judge(loaded, as_of)
    for sheet in sheets:
        judge.sheet(sheet, plan)
    return plan


def apply_plan(book: PortfolioFile, loaded: Loaded, sheets: Sequence[FilledSheet], as_of: date, plan: Plan) -> Change:
    """Write the valid changes of ``plan`` (judged on ``loaded``) to ``book`` in one edit, or none.

    Under the lock the file may no longer be the text the plan was judged on (another run, an
    editor): then the sheets are judged again on what is there, and if more rows would be left out
    than the preview showed, nothing is written (a usage error says to collect again).
    """
    from sanshi_cli.errors import UsageError
    from sanshi_cli.loading import parse_toml, validate_portfolio

    def decide(text: str) -> tuple[list[tuple[str, Edit]], str, dict[str, object]]:
        current = plan
        if text != loaded.text:
            fresh = validate_portfolio(parse_toml(text, loaded.path), text, loaded.path)
            current = plan_collect(fresh, sheets, as_of)
            if current.left_out > plan.left_out:
                raise UsageError([Problem("collect_changed_meanwhile", {"count": current.left_out})])
        return current.edits, "collect_written", {"changes": current.count("change")}

    return book.apply_edits(decide)


class _Judge:
    """The rules of :func:`plan_collect`, with what earlier rows of this run already claimed."""

    def __init__(self, loaded: Loaded, as_of: date) -> None:
        self.loaded = loaded
        self.as_of = as_of
        self.projects = {p.id: p for p in loaded.portfolio.projects}
        self.claimed: dict[tuple[str, ...], tuple[object, str]] = {}  # target -> (value, where)
        self.problem_ids = [e.id for p in loaded.portfolio.projects for e in p.problems]
        self.hash = file_hash(loaded.text)

    def sheet(self, sheet: FilledSheet, plan: Plan) -> None:
        meta = sheet.meta
        unit = meta.get("unit", "")
        where = f"{sheet.name}!A1"
        period = sheet_period(self.loaded, meta)
        named = _NAMED.match(Path(sheet.name).stem)
        if unit not in self.loaded.units:
            plan.outcomes.append(Outcome(where, "invalid", "collect_unknown_unit", {"unit": one_line(unit)}))
            return
        if period is None:
            plan.outcomes.append(Outcome(where, "invalid", "collect_bad_period", {"period": one_line(meta["period"])}))
            return
        if named is not None and (named["unit"], named["period"]) != (unit, period.label):
            params = {"unit": unit, "period": period.label, "name": one_line(sheet.name)}
            plan.outcomes.append(Outcome(where, "invalid", "collect_name_mismatch", params))
            return
        if meta.get("hash") and meta["hash"] != self.hash:
            plan.notes.append(Problem("collect_file_changed", {"sheet": sheet.name, "as_of": meta.get("as_of", "?")}))
        for row in sheet.rows:
            plan.outcomes.extend(self.row(row, unit, period, sheet.invest_unit))

    def row(self, row: FilledRow, unit: str, period: Period, invest_unit: str) -> list[Outcome]:
        project = self.projects.get(row.project)
        if row.kind not in FILLED:
            return [Outcome(row.where, "invalid", "collect_bad_kind", {"kind": one_line(row.kind)})]
        if project is None:
            return [Outcome(row.where, "invalid", "collect_unknown_project", {"project": one_line(row.project)})]
        odd = [cell for key, cell in row.cells.items() if key not in FILLED[row.kind]]
        if odd:
            kind = Msg(f"collect_kind_{row.kind}")
            return [Outcome(c.where, "invalid", "collect_cell_meaningless", {"kind": kind}) for c in odd]
        if row.kind == "milestone":
            return [self.milestone(row, project, unit, period)]
        if row.kind == "problem":
            return [self.problem(row, project, unit, period)]
        return self.report(row, project, unit, period, invest_unit)

    # -- a milestone: 完成日期 is its 交账 -----------------------------------------------------------

    def milestone(self, row: FilledRow, project: Project, unit: str, period: Period) -> Outcome:
        from sanshi_cli.editing import SetDone

        found = [(i, m) for i, m in enumerate(project.milestones) if m.id == row.item]
        said: dict[str, object] = {"project": project.id, "milestone": one_line(row.item)}
        if not found:
            return Outcome(row.where, "invalid", "collect_unknown_milestone", said)
        index, milestone = found[0]
        owner = milestone_owner(project, milestone.owner)
        if owner != unit:
            params = {"project": project.id, "item": one_line(row.item), "owner": owner, "unit": unit}
            return Outcome(row.where, "invalid", "collect_other_unit", params)
        cell = row.cells.get("done")
        if cell is None:
            return Outcome(row.where, "empty", "collect_empty_milestone", said)
        day = self._day(cell, period)
        if isinstance(day, Outcome):
            return day
        assert day is not None
        said["date"] = day
        if day > self.as_of:
            return Outcome(cell.where, "invalid", "collect_future", {"date": day, "today": self.as_of})
        if milestone.done == day:
            return Outcome(cell.where, "unchanged", "collect_done_same", said)
        if milestone.done is not None:
            return Outcome(cell.where, "check", "collect_done_other", {**said, "old": milestone.done})
        due = self.loaded.due.get(project.id, {}).get(milestone.id)
        if row.context and row.context != milestone_context(due):
            old = row.context.partition("=")[2] or "—"
            return Outcome(cell.where, "check", "collect_due_changed", {**said, "old": old, "due": due or "—"})
        clash = self._claim(("done", project.id, milestone.id), day, cell.where)
        if clash is not None:
            return clash
        return Outcome(cell.where, "change", "collect_done", said, [(project.id, SetDone(index, day))])

    # -- a problem: 完成日期 is 办结, 本期进展 a note -------------------------------------------------

    def problem(self, row: FilledRow, project: Project, unit: str, period: Period) -> Outcome:
        from sanshi_cli.editing import ChangeProblem

        found = [(i, e) for i, e in enumerate(project.problems) if e.id == row.item]
        said: dict[str, object] = {"project": project.id, "id": one_line(row.item)}
        if not found:
            return Outcome(row.where, "invalid", "collect_unknown_problem", said)
        index, entry = found[0]
        owner = entry.owner or project.responsible_unit
        if owner != unit:
            params = {"project": project.id, "item": one_line(row.item), "owner": owner, "unit": unit}
            return Outcome(row.where, "invalid", "collect_other_unit", params)
        solved_cell, note_cell = row.cells.get("done"), row.cells.get("text")
        if solved_cell is None and note_cell is None:
            return Outcome(row.where, "empty", "collect_empty_problem", said)
        keys: dict[str, object | None] = {}
        append: tuple[str, dict[str, object]] | None = None
        done_parts: list[str] = []
        first = solved_cell or note_cell
        assert first is not None
        where = first.where
        if solved_cell is not None:
            day = self._day(solved_cell, period)
            if isinstance(day, Outcome):
                return day
            assert day is not None
            if day > self.as_of:
                return Outcome(solved_cell.where, "invalid", "collect_future", {"date": day, "today": self.as_of})
            if day < entry.raised:
                return Outcome(solved_cell.where, "invalid", "collect_before_raised",
                               {**said, "date": day, "raised": entry.raised})  # fmt: skip
            if entry.solved == day:
                done_parts.append("solved")
            elif entry.closed is not None:
                return Outcome(solved_cell.where, "check", "collect_problem_closed", {**said, "date": entry.closed})
            elif entry.solved is not None:
                return Outcome(solved_cell.where, "check", "collect_solved_other",
                               {**said, "old": entry.solved, "date": day})  # fmt: skip
            else:
                clash = self._claim(("solved", project.id, entry.id), day, solved_cell.where)
                if clash is not None:
                    return clash
                keys["solved"] = day
                said["date"] = day
        if note_cell is not None:
            text = _one_line_text(note_cell.value)
            note = {"on": period.deadline, "text": text}
            if any(u.on == period.deadline and u.text == text for u in entry.updates):
                done_parts.append("note")
            elif self._claim(("note", project.id, entry.id, text), period.deadline, note_cell.where) is None:
                append = ("updates", note)
                said["note"] = text
                said["on"] = period.deadline
        if not keys and append is None:
            return Outcome(where, "unchanged", "collect_problem_same", said)
        if entry.closed is not None:  # closed off since the sheet was written: even a note waits for a look
            return Outcome(where, "check", "collect_problem_closed", {**said, "date": entry.closed})
        key = "collect_solved_and_note" if keys and append else "collect_solved" if keys else "collect_note"
        return Outcome(where, "change", key, said, [(project.id, ChangeProblem(index, keys, append))])

    # -- a report row: one report, and perhaps a new problem ------------------------------------

    def report(self, row: FilledRow, project: Project, unit: str, period: Period, invest_unit: str) -> list[Outcome]:
        from sanshi_cli.editing import PutProblem

        said: dict[str, object] = {"project": project.id, "date": period.deadline}
        if project.responsible_unit != unit:
            params = {"project": project.id, "item": "—", "owner": project.responsible_unit, "unit": unit}
            return [Outcome(row.where, "invalid", "collect_other_unit", params)]
        cells = row.cells
        outcomes: list[Outcome] = []
        report: dict[str, object] = {"on": period.deadline}
        bad: list[Outcome] = []
        readers: dict[str, Callable[[Cell], float | None]] = {
            "progress": lambda c: parse_percent(c.value, number_format=c.number_format),
            "invest": lambda c: parse_amount(c.value, unit=invest_unit),
        }
        for key, read in readers.items():
            cell = cells.get(key)
            if cell is None:
                continue
            try:
                number = read(cell)
            except CellError as error:
                bad.append(Outcome(cell.where, "invalid", error.key, dict(error.params)))
                continue
            if number is not None:
                report[key] = number
        for key in ("text", "next"):
            if key in cells:
                report[key] = _text_value(cells[key].value)
        report["by"] = unit
        if bad:
            return bad
        first_cell = next((cells[k] for k in ("progress", "invest", "text", "next") if k in cells), None)
        if first_cell is not None and not any(k in report for k in ("progress", "invest", "text")):
            outcomes.append(Outcome(first_cell.where, "invalid", "collect_report_only_next", {"project": project.id}))
        elif first_cell is not None:
            outcomes.append(self._report(project, period, report, first_cell, said))
        elif "problem" not in cells:
            return [Outcome(row.where, "empty", "collect_empty_report", {"project": project.id})]
        if "problem" in cells:
            cell = cells["problem"]
            text = _one_line_text(cell.value)
            facts: dict[str, object] = {"project": project.id, "text": one_line(text), "raised": period.deadline}
            if any(e.text == text and e.raised == period.deadline for e in project.problems):
                outcomes.append(Outcome(cell.where, "unchanged", "collect_problem_exists", facts))
            elif (clash := self._claim(("problem", project.id, text), period.deadline, cell.where)) is not None:
                outcomes.append(clash)
            else:
                from sanshi_cli.portfolio import _next_problem_id

                days = self.loaded.portfolio.problems.default_due_workdays
                due = self.loaded.calendar.add_workdays(period.deadline, days)
                ident = _next_problem_id(self.problem_ids, period.deadline.year)
                self.problem_ids.append(ident)
                entry = {"id": ident, "text": text, "owner": unit, "raised": period.deadline, "due": due}
                facts.update(id=ident, due=due, days=days)
                outcomes.append(Outcome(cell.where, "change", "collect_new_problem", facts,
                                        [(project.id, PutProblem(entry))]))  # fmt: skip
        return outcomes

    def _report(
        self, project: Project, period: Period, report: dict[str, object], cell: Cell, said: dict[str, object]
    ) -> Outcome:
        from sanshi_cli.editing import PutReport
        from sanshi_cli.loading import number_text

        day = period.deadline
        same = [(i, r) for i, r in enumerate(project.reports) if r.on == day]
        replace: int | None = None
        if same:
            index, existing = same[0]
            if existing.by != report["by"]:
                by = existing.by or "—"
                return Outcome(cell.where, "invalid", "collect_report_taken", {**said, "by": by})
            written = {k: getattr(existing, k) for k in ("progress", "invest", "text", "next")}
            wanted = {k: report.get(k) for k in written}
            if written == wanted:
                return Outcome(cell.where, "unchanged", "collect_report_same", said)
            replace = index
        progress = report.get("progress")
        if isinstance(progress, float):
            others = [r for r in project.reports if r.on != day and r.progress is not None]
            earlier = [r for r in others if r.on < day]
            later = [r for r in others if r.on > day]
            if earlier:
                top = max(earlier, key=lambda r: r.progress or 0.0)
                if top.progress is not None and progress < top.progress:
                    params = {"value": number_text(progress), "previous": number_text(top.progress), "date": top.on}
                    return Outcome(cell.where, "invalid", "collect_progress_lower", params)
            if later:
                low = min(later, key=lambda r: r.progress or 0.0)
                if low.progress is not None and progress > low.progress:
                    params = {"value": number_text(progress), "previous": number_text(low.progress), "date": low.on}
                    return Outcome(cell.where, "invalid", "collect_progress_higher", params)
        clash = self._claim(("report", project.id), tuple(sorted((k, str(v)) for k, v in report.items())), cell.where)
        if clash is not None:
            return clash
        what = ", ".join(_summary(report))
        key = "collect_report_replaced" if replace is not None else "collect_report"
        return Outcome(cell.where, "change", key, {**said, "what": what}, [(project.id, PutReport(report, replace))])

    # -- helpers ------------------------------------------------------------------------------------

    def _day(self, cell: Cell, period: Period) -> date | None | Outcome:
        try:
            return parse_day(cell.value, near=period.deadline)
        except CellError as error:
            return Outcome(cell.where, "invalid", error.key, dict(error.params))

    def _claim(self, target: tuple[str, ...], value: object, where: str) -> Outcome | None:
        """None the first time a target is written in this run; a second, equal one is unchanged, another invalid."""
        seen = self.claimed.get(target)
        if seen is None:
            self.claimed[target] = (value, where)
            return None
        if seen[0] == value:
            return Outcome(where, "unchanged", "collect_same_as", {"other": seen[1]})
        return Outcome(where, "invalid", "collect_conflict", {"other": seen[1]})


def _text_value(value: object) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _one_line_text(value: object) -> str:
    """Text for a one-line key (a problem, a note): line breaks and runs of spaces as one space."""
    return " ".join(_text_value(value).split())


def _summary(report: dict[str, object]) -> list[str]:
    from sanshi_cli.loading import number_text

    parts = []
    progress, invest = report.get("progress"), report.get("invest")
    if isinstance(progress, float):
        parts.append(f"{number_text(progress)}%")
    if isinstance(invest, float):
        parts.append(f"{number_text(invest)} 万元")
    for key in ("text", "next"):
        if report.get(key):
            parts.append(one_line(str(report[key]))[:40])
    return parts
