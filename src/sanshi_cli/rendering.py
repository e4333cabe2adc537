"""Views of computed rows: a rich table for people, JSON, CSV and Markdown for machines and reports.

Rows are computed once by the core; every format here is a view over the same rows. Text
from the project file is always passed to rich as :class:`rich.text.Text` (never markup),
CSV cells that a spreadsheet would run as a formula are defused, and Markdown cells escaped.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import IO, TYPE_CHECKING, Any, Literal

from sanshi_cli.i18n import Lang, label
from sanshi_cli.status import LEVELS, Item, count_levels

if TYPE_CHECKING:
    from rich.console import Console

Format = Literal["table", "json", "csv", "markdown"]

LEVEL_STYLES = {"red": "bold red", "yellow": "bold yellow", "blue": "bold cyan", "green": "green"}
_FORMULA_START = frozenset("=+-@\t\r")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")


def make_console(file: IO[str], *, width: int | None = None) -> Console:
    """One console per run: honours NO_COLOR and writes no escape codes when piped."""
    from rich.console import Console

    return Console(file=file, width=width, highlight=False, emoji=False, soft_wrap=False)


# -- cells ----------------------------------------------------------------------------------------


def csv_cell(value: object) -> object:
    """A CSV cell that Excel or WPS will not run as a formula (text starting ``=+-@``)."""
    if isinstance(value, str) and value[:1] in _FORMULA_START:
        return "'" + value
    return value


def markdown_cell(value: object) -> str:
    """A Markdown table cell: special characters escaped, line breaks folded."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def write_csv(
    out: IO[str], header: Sequence[str], rows: Iterable[Sequence[object]], text_columns: Sequence[str]
) -> None:
    """Write rows as they come (no table is built first); the user's text columns are defused."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    texts = [header.index(name) for name in text_columns]
    for row in rows:
        cells = list(row)
        for i in texts:
            cells[i] = csv_cell(cells[i])
        writer.writerow(cells)


def write_markdown(out: IO[str], header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    out.write("| " + " | ".join(markdown_cell(h) for h in header) + " |\n")
    out.write("|" + "|".join("---" for _ in header) + "|\n")
    for row in rows:
        out.write("| " + " | ".join(markdown_cell(v) for v in row) + " |\n")


def write_json(
    out: IO[str], head: dict[str, Any], key: str, records: Iterable[dict[str, Any]], tail: dict[str, Any] | None = None
) -> None:
    """``{**head, key: [records…], **tail}``, one record a line, written as the records come.

    Readable, never one giant string in memory, and json's fast C encoder (unused with indent).
    """
    opening = json.dumps(head, ensure_ascii=False)
    out.write(f"{opening[:-1]}, {json.dumps(key)}: [")
    for n, record in enumerate(records):
        out.write(",\n " if n else "\n ")
        out.write(json.dumps(record, ensure_ascii=False))
    closing = json.dumps(tail or {}, ensure_ascii=False)
    out.write("\n]" + (f", {closing[1:]}" if tail else "}") + "\n")


def iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


# -- status ---------------------------------------------------------------------------------------

STATUS_KEYS = (
    "project",
    "project_name",
    "milestone",
    "milestone_name",
    "stage",
    "due",
    "done",
    "forecast",
    "slip_days",
    "state",
    "level",
    "days_overdue",
    "workdays_left",
    "days_late",
    "responsible_unit",
    "responsible_unit_id",
    "leader",
    "leader_id",
)


# Columns holding the user's own text (the others are ids, dates, numbers and fixed words).
STATUS_TEXT_KEYS = (
    "project", "project_name", "milestone", "milestone_name", "stage", "responsible_unit", "responsible_unit_id",
    "leader", "leader_id",
)  # fmt: skip


def item_record(item: Item) -> dict[str, Any]:
    """One status row as a JSON-ready dict (the stable contract; keys are snake_case)."""
    return {
        "project": item.project.id,
        "project_name": item.project.name,
        "milestone": item.milestone.id,
        "milestone_name": item.milestone.name,
        "stage": item.milestone.stage,
        "due": item.due.isoformat(),
        "done": iso(item.milestone.done),
        "forecast": item.forecast.isoformat(),
        "slip_days": item.slip_days,
        "state": item.state,
        "level": item.level,
        "days_overdue": item.days_overdue,
        "workdays_left": item.workdays_left,
        "days_late": item.days_late,
        "responsible_unit": item.owner.name,
        "responsible_unit_id": item.owner.id,
        "leader": item.leader.name,
        "leader_id": item.leader.id,
    }


def situation(item: Item, lang: Lang, as_of: date) -> str:
    """The state in words: "逾期 13 天", "剩 2 个工作日", "预计推迟 5 天", "2026-04-20 完成"."""
    if item.state == "overdue":
        return label("days_overdue" if item.days_overdue != 1 else "day_overdue", lang, n=item.days_overdue)
    if item.state == "done":
        return label("done_on", lang, date=iso(item.milestone.done))
    if item.state == "done_late":
        return label("done_late_by", lang, date=iso(item.milestone.done), n=item.days_late)
    if item.state == "at_risk":
        return label("slip" if item.slip_days != 1 else "slip_1", lang, n=item.slip_days)
    if item.due == as_of:
        return label("due_today", lang)
    if item.workdays_left == 0:
        return label("no_workday_left", lang)  # due on a rest day with no working day before it
    return label("workdays_left" if item.workdays_left != 1 else "workday_left", lang, n=item.workdays_left)


def status_columns(lang: Lang) -> list[str]:
    keys = (
        "col_level",
        "col_project",
        "col_milestone",
        "col_due",
        "col_state",
        "col_forecast",
        "col_unit",
        "col_leader",
    )
    return [label(k, lang) for k in keys]


def status_cells(item: Item, lang: Lang, as_of: date) -> list[str]:
    # The forecast is worth a column only where it says something: a slip beyond the plan
    # (an overdue milestone's forecast is today by definition).
    slipped = item.milestone.done is None and item.forecast > max(item.due, as_of)
    forecast = item.forecast.isoformat() if slipped else ""
    return [
        label(item.level if item.state not in ("done", "done_late") else item.state, lang),
        item.project.name,
        item.milestone.name,
        item.due.isoformat(),
        situation(item, lang, as_of),
        forecast,
        item.owner.name,
        item.leader.name,
    ]


def summary_lines(items: Sequence[Item], lang: Lang, include_all: bool) -> list[tuple[str, str]]:
    """One (level, line) per level: "红灯：2 项"."""
    counts = count_levels(items)
    levels = LEVELS if include_all else LEVELS[:3]
    return [(lv, label("summary_line", lang, label=label(lv, lang), n=counts[lv])) for lv in levels]


def render_status(
    items: Sequence[Item],
    *,
    as_of: date,
    fmt: Format,
    lang: Lang,
    title: str,
    out: IO[str],
    include_all: bool = False,
    console: Console | None = None,
) -> None:
    """Show the status rows in ``fmt``."""
    if fmt == "json":
        head = {"as_of": as_of.isoformat(), "title": title}
        write_json(out, head, "items", map(item_record, items), {"summary": count_levels(items)})
    elif fmt == "csv":
        rows = ([item_record(i)[k] for k in STATUS_KEYS] for i in items)
        write_csv(out, STATUS_KEYS, rows, STATUS_TEXT_KEYS)
    elif fmt == "markdown":
        out.write(f"## {markdown_cell(label('status_title', lang, title=title, as_of=as_of))}\n\n")
        if items:
            write_markdown(out, status_columns(lang), (status_cells(i, lang, as_of) for i in items))
            out.write("\n")
        else:
            out.write(label("nothing_listed", lang, as_of=as_of) + "\n\n")
        for _, line in summary_lines(items, lang, include_all):
            out.write(f"- {markdown_cell(line)}\n")
    else:
        _status_table(items, as_of, lang, title, console or make_console(out), include_all)


def _status_table(
    items: Sequence[Item], as_of: date, lang: Lang, title: str, console: Console, include_all: bool
) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    heading = Text(label("status_title", lang, title=title, as_of=as_of), style="bold")
    if not items:
        console.print(heading)
        console.print(Text(label("nothing_listed", lang, as_of=as_of)))
    else:
        table = Table(title=heading, box=box.SIMPLE_HEAD, header_style="bold", title_justify="left")
        for name in status_columns(lang):
            table.add_column(name, overflow="fold")
        for item in items:
            cells = [Text(c) for c in status_cells(item, lang, as_of)]
            cells[0].stylize(LEVEL_STYLES[item.level])
            if item.state == "done_late":
                cells[4].stylize("yellow")
            table.add_row(*cells)
        console.print(table)
    summary = Text()
    for n, (level, line) in enumerate(summary_lines(items, lang, include_all)):
        if n:
            summary.append("    ")
        summary.append(line, style=LEVEL_STYLES[level])
    console.print(summary)
