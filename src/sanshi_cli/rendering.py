"""Views of computed rows: a rich table for people, JSON, CSV and Markdown for machines and reports.

Rows are computed once by the core; every format here is a view over the same rows. Text
from the project file is always passed to rich as :class:`rich.text.Text` (never markup),
CSV cells that a spreadsheet would run as a formula are defused, and Markdown cells escaped.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from sanshi_cli.i18n import Lang, count, label, visible
from sanshi_cli.status import CATEGORIES, KINDS, Item, category, category_name, count_categories, count_levels

if TYPE_CHECKING:
    from rich.console import Console

    from sanshi_cli.layout import Cell, Line
    from sanshi_cli.model import Person, Unit

LEVEL_STYLES = {
    "red": "bold red",
    "yellow": "bold yellow",
    "at_risk": "bold yellow",
    "blue": "bold cyan",
    "green": "green",
    "problem": "bold",
}
_FORMULA = frozenset("=+-@＝＋－＠")
_FORMULA_START = frozenset("\t\r")
_BLANKS = " \t\r\n\u3000\xa0"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")


def make_console(file: IO[str], *, width: int | None = None) -> Console:
    """One console per run: honours NO_COLOR and writes no escape codes when piped."""
    from rich.console import Console

    return Console(file=file, width=width, highlight=False, emoji=False, soft_wrap=False)


# -- cells ----------------------------------------------------------------------------------------


def csv_cell(value: object) -> object:
    """A CSV cell that Excel or WPS will not run as a formula.

    Text starting with ``=+-@`` or their full-width forms ``＝＋－＠`` (which WPS reads as the
    same), also after leading spaces, tabs or line breaks, or starting with a tab or CR, gets a
    leading ``'``.
    """
    if isinstance(value, str) and (value[:1] in _FORMULA_START or value.lstrip(_BLANKS)[:1] in _FORMULA):
        return "'" + value
    return value


def markdown_cell(value: object) -> str:
    """A Markdown table cell: special characters escaped, line breaks folded, controls shown."""
    if value is None:
        return ""
    text = " ".join(visible(str(value), newlines=True).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def write_csv(
    out: IO[str], header: Sequence[str], rows: Iterable[Sequence[object]], text_columns: Sequence[str]
) -> None:
    """Write rows as they come (no table is built first); the user's text columns are defused.

    A cell holding a line break is always quoted, so no cell can start a row: the csv module
    quotes LF (our line end) but not a lone CR, which Excel reads as a row break, so a row with
    a CR anywhere is written with every cell quoted.
    """
    writer = csv.writer(out, lineterminator="\n")
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    texts = [header.index(name) for name in text_columns]
    for row in rows:
        cells = list(row)
        for i in texts:
            cells[i] = csv_cell(cells[i])
        if any(isinstance(c, str) and "\r" in c for c in cells):
            quoted.writerow(cells)
        else:
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
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: json.dumps makes one a call
    opening = encode(head)
    out.write(f"{opening[:-1]}, {encode(key)}: [")
    for n, record in enumerate(records):
        out.write(",\n " if n else "\n ")
        out.write(encode(record))
    closing = encode(tail or {})
    out.write("\n]" + (f", {closing[1:]}" if tail else "}") + "\n")


def iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def write_xlsx(
    out: IO[bytes],
    title: str,
    header: Sequence[str],
    kinds: Mapping[str, str],
    rows: Iterable[tuple[Sequence[object], str | None]],
) -> None:
    """One sheet of ``rows`` (each with its alert level, the row's fill) under the CSV's ``header``.

    The cells are the CSV's values as data: ISO dates in a ``date`` column become dates,
    ``true``/``false`` booleans, numbers stay numbers; ``kinds`` maps a column to its kind in
    :data:`sanshi_cli.workbook.FORMATS` (text when absent).
    """
    from sanshi_cli.workbook import Column, add_table, new_workbook, save

    columns = [Column(name, kinds.get(name, "text")) for name in header]
    dates = [i for i, c in enumerate(columns) if c.kind == "date"]
    values: list[list[object]] = []
    levels: list[str | None] = []
    for row, level in rows:
        cells = [_xlsx_value(v) for v in row]
        for i in dates:
            if isinstance(cells[i], str) and cells[i]:
                cells[i] = date.fromisoformat(str(cells[i]))
        values.append(cells)
        levels.append(level)
    book = new_workbook()
    add_table(book, title, columns, values, levels=levels)
    save(book, out)


def _xlsx_value(value: object) -> object:
    if value == "true" or value == "false":
        return value == "true"
    return value


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
    # issue 9: items that are not milestones (null where they do not apply)
    "kind",
    "planned_progress",
    "reported_progress",
    "reported_on",
    "lag_points",
    "invest_rate",
    "last_report",
    "report_due",
    "reports_missed",
    # issue 11: a problem of the 问题清单 (null for the other kinds)
    "problem",
    "problem_text",
    "category",
    "lifecycle",
    "escalation",
    "late_extension",
)


# Columns holding the user's own text (the others are ids, dates, numbers and fixed words).
STATUS_TEXT_KEYS = (
    "project", "project_name", "milestone", "milestone_name", "stage", "responsible_unit", "responsible_unit_id",
    "leader", "leader_id", "problem", "problem_text", "category",
)  # fmt: skip


def item_record(item: Item) -> dict[str, Any]:
    """One status row as a JSON-ready dict (the stable contract; keys are snake_case).

    Every item has every key: the milestone's (null for the other kinds, their counts 0), the
    progress ones (null for a milestone, and where they do not apply) and the problem's (null
    for every other kind). A problem's ``due`` is its effective deadline, ``done`` the day it
    was reported solved, and its responsible unit the problem's owner.
    """
    milestone = item.milestone
    problem = item.problem
    return {
        "project": item.project.id,
        "project_name": item.project.name,
        "milestone": milestone.id if milestone is not None else None,
        "milestone_name": milestone.name if milestone is not None else None,
        "stage": milestone.stage if milestone is not None else None,
        "due": iso(item.due),
        "done": iso(item.done),
        "forecast": iso(item.forecast),
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
        "kind": item.kind,
        "planned_progress": _tenth(item.planned_progress),
        "reported_progress": item.reported_progress,
        "reported_on": iso(item.reported_on),
        "lag_points": _tenth(item.lag_points),
        "invest_rate": item.invest_rate,
        "last_report": iso(item.last_report),
        "report_due": iso(item.report_due),
        "reports_missed": item.reports_missed if item.kind == "report_missing" else None,
        "problem": problem.id if problem is not None else None,
        "problem_text": problem.text if problem is not None else None,
        "category": problem.category if problem is not None else None,
        "lifecycle": problem.lifecycle if problem is not None else None,
        "escalation": problem.escalation if problem is not None else None,
        "late_extension": problem.late_extension if problem is not None else None,
    }


def _csv_value(value: object) -> object:
    """A JSON value as CSV writes it: ``true``/``false`` as JSON has them (not Python's ``True``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _tenth(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def kind_name(item: Item, lang: Lang) -> str:
    """What an item that is not a milestone is: ``形象进度滞后``, ``投资进度滞后``, ``未按时填报``."""
    return label(f"item_{item.kind}", lang)


def _points(value: float | None) -> str:
    return f"{value or 0.0:.1f}"


def lag_situation(item: Item, lang: Lang, day: Callable[[date], str] = date.isoformat) -> str:
    """An item that is not a milestone in words: "计划 45.0%，填报 30.0%（11-20），滞后 15.0 个百分点",
    "投资完成率 36.0%，欠序时进度 55.7 个百分点", "应于 11-20 填报，已逾期 1 次"."""
    if item.kind == "progress_lag":
        reported = item.reported_on
        return label(
            "lag_progress_text",
            lang,
            planned=_points(item.planned_progress),
            reported=_points(item.reported_progress),
            date=day(reported) if reported is not None else "",
            points=_points(item.lag_points),
        )
    if item.kind == "invest_lag":
        return label("lag_invest_text", lang, rate=_points(item.invest_rate), points=_points(item.lag_points))
    due = item.report_due
    return count("report_missing_text", item.reports_missed, lang, date=day(due) if due is not None else "")


def problem_situation(item: Item, lang: Lang, as_of: date, day: Callable[[date], str] = date.isoformat) -> str:
    """A problem item in words: "逾期 9 天，2 级督办", "剩 2 个工作日", "11-18 已办结，待销号";
    "（逾时申请延期）" is added when an extension came after the deadline it replaced."""
    problem = item.problem
    assert problem is not None
    if item.state == "awaiting_verification" and problem.solved is not None:
        text = label("problem_awaiting_text", lang, date=day(problem.solved))
    elif item.state == "overdue":
        text = count("days_overdue", item.days_overdue, lang)
        if problem.escalation > 1:
            text += label("problem_escalation_text", lang, level=problem.escalation)
    elif problem.deadline == as_of:
        text = label("due_today", lang)
    elif item.workdays_left == 0:
        text = label("no_workday_left", lang)
    else:
        text = count("workdays_left", item.workdays_left, lang)
    return text + label("problem_late_extension_text", lang) if problem.late_extension else text


def situation(item: Item, lang: Lang, as_of: date, day: Callable[[date], str] = date.isoformat) -> str:
    """The state in words: "逾期 13 天", "剩 2 个工作日", "预计推迟 5 天", "2026-04-20 完成";
    for a problem :func:`problem_situation`, for the other kinds :func:`lag_situation`."""
    if item.kind == "problem":
        return problem_situation(item, lang, as_of, day)
    if item.kind != "milestone":
        return lag_situation(item, lang, day)
    done = item.done
    if item.state == "overdue":
        return count("days_overdue", item.days_overdue, lang)
    if item.state == "done" and done is not None:
        return label("done_on", lang, date=day(done))
    if item.state == "done_late" and done is not None:
        return count("done_late_by", item.days_late, lang, date=day(done))
    if item.state == "at_risk":
        return count("slip", item.slip_days, lang)
    if item.due == as_of:
        return label("due_today", lang)
    if item.workdays_left == 0:
        return label("no_workday_left", lang)  # due on a rest day with no working day before it
    return count("workdays_left", item.workdays_left, lang)


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


def slipped_forecast(item: Item, as_of: date) -> date | None:
    """The forecast where it is worth showing: a slip beyond the plan (an overdue milestone's
    forecast is today by definition); None otherwise and for the other kinds."""
    forecast, due = item.forecast, item.due
    if item.done is None and forecast is not None and due is not None and forecast > max(due, as_of):
        return forecast
    return None


def item_name(item: Item, lang: Lang) -> str:
    """The milestone column: the milestone's name, a problem's text ("问题：施工用电接入滞后"),
    or what the item is (``形象进度滞后``)."""
    if item.milestone is not None:
        return item.milestone.name
    if item.problem is not None:
        return label("problem_item_name", lang, text=item.problem.text)
    return kind_name(item, lang)


def status_cells(item: Item, lang: Lang, as_of: date) -> list[str]:
    return [
        level_word(item, lang),
        item.project.name,
        item_name(item, lang),
        iso(item.due) or "",
        situation(item, lang, as_of),
        iso(slipped_forecast(item, as_of)) or "",
        item.owner.name,
        item.leader.name,
    ]


def level_word(item: Item, lang: Lang) -> str:
    """``红灯``, ``黄灯``, ``延误风险``, ``蓝色提醒``; ``已完成`` / ``逾期完成`` for a done one."""
    if item.state in ("done", "done_late"):
        return label(item.state, lang)
    return category_name(category(item), lang)


def summary_counts(items: Sequence[Item]) -> dict[str, int]:
    """The JSON ``summary``: the count per level (at-risk items are yellow), the green ones by
    state, ``at_risk``, the yellow items not yet overdue (counted apart in the text), and the
    items of each kind that is not a milestone (each also counted in its level)."""
    kinds: dict[str, int] = dict.fromkeys(LAG_KINDS, 0)
    for item in items:
        if item.kind in kinds:
            kinds[item.kind] += 1
    return {**count_levels(items), "at_risk": count_categories(items)["at_risk"], **kinds}


LAG_KINDS = KINDS[1:]  # every kind but milestone


# What the summary shows: red, yellow (overdue only), at risk and blue; with --all the green
# ones by state.
SUMMARY_GREEN = ("done", "done_late", "on_track")


def summary_lines(items: Sequence[Item], lang: Lang, include_all: bool) -> list[tuple[str, str]]:
    """One (level, line) per count: "红灯：2 项"; with ``include_all`` the green ones by state.

    The level is the line's colour: done, done late and on track are all green.
    """
    counts = count_levels(items)
    shown = count_categories(items)
    lines: list[tuple[str, str]] = [
        (kind, count("summary_items", shown[kind], lang, label=category_name(kind, lang))) for kind in CATEGORIES
    ]
    if include_all:
        lines += [("green", count("summary_items", counts[s], lang, label=label(s, lang))) for s in SUMMARY_GREEN]
    problems = [i.problem for i in items if i.problem is not None]
    if problems:  # counted in their levels above already; a file without problems shows no line
        lines.append(("problem", count("summary_items", len(problems), lang, label=label("summary_problems", lang))))
        escalated = sum(1 for p in problems if p.escalation >= 3)
        if escalated:
            lines.append(("red", count("summary_items", escalated, lang, label=label("summary_escalated", lang))))
    return lines


def render_status(
    items: Sequence[Item],
    *,
    as_of: date,
    fmt: str,
    lang: Lang,
    title: str,
    out: IO[Any],  # bytes for xlsx
    include_all: bool = False,
    console: Console | None = None,
    width: int | None = None,
    units: Mapping[str, Unit] | None = None,
) -> None:
    """Show the status rows in ``fmt``; a table fits ``width`` cells (None: wide, unwrapped)."""
    if fmt == "json":
        head = {"as_of": as_of.isoformat(), "title": title}
        write_json(out, head, "items", map(item_record, items), {"summary": summary_counts(items)})
    elif fmt == "csv":
        rows = ([_csv_value(record[k]) for k in STATUS_KEYS] for i in items for record in (item_record(i),))
        write_csv(out, STATUS_KEYS, rows, STATUS_TEXT_KEYS)
    elif fmt == "xlsx":
        render_status_xlsx(items, out, label("xlsx_sheet_status", lang))
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
        table = _status_table(items, as_of, lang, title, include_all, width, units or {}, is_plain(console))
        write_lines(table, out, console)


# The kind of each status column that is not text, for a workbook (dates as dates, numbers with formats).
STATUS_KINDS: dict[str, str] = {
    "due": "date", "done": "date", "forecast": "date", "reported_on": "date", "last_report": "date",
    "report_due": "date", "slip_days": "int", "days_overdue": "int", "workdays_left": "int", "days_late": "int",
    "reports_missed": "int", "escalation": "int", "planned_progress": "percent", "reported_progress": "percent",
    "lag_points": "points", "invest_rate": "percent",
}  # fmt: skip


def render_status_xlsx(items: Sequence[Item], out: IO[bytes], title: str) -> None:
    """The CSV's columns and values as one sheet; each row filled in its level's colour."""
    rows = (([record[k] for k in STATUS_KEYS], i.level) for i in items for record in (item_record(i),))
    write_xlsx(out, title, STATUS_KEYS, STATUS_KINDS, rows)


def is_plain(console: Console | None) -> bool:
    """Whether a table goes out as plain text (a file, a pipe): no styles, so no spans to build."""
    return console is None or not console.is_terminal


def write_lines(lines: Iterable[Line | str], out: IO[str], console: Console | None) -> None:
    """Styled lines to a terminal through rich (colour unless NO_COLOR); plain text, fast, elsewhere.

    A line may come as plain text already (``layout.row_text``, when :func:`is_plain`).
    """
    if not is_plain(console):
        from rich.text import Text

        assert console is not None
        for line in lines:
            text = Text()
            for part, style in [(line, "")] if isinstance(line, str) else line:
                text.append(part, style=style or None)
            console.print(text, soft_wrap=True)
        return
    out.writelines((line if isinstance(line, str) else "".join(part for part, _ in line)) + "\n" for line in lines)


def _status_table(
    items: Sequence[Item],
    as_of: date,
    lang: Lang,
    title: str,
    include_all: bool,
    width: int | None,
    units: Mapping[str, Unit],
    plain: bool = False,
) -> Iterator[Line | str]:
    """The status as lines for ``width`` cells (None: the wide layout, unwrapped); ``plain``: rows as text."""
    from sanshi_cli.layout import flow_lines, mode_for, phrases

    yield from flow_lines(phrases(label("status_title", lang, title=title, as_of=as_of), width), width, "bold")
    mode = mode_for(width)
    if not items:
        yield from flow_lines(phrases(label("nothing_listed", lang, as_of=as_of), width), width)
    else:
        medium = mode == "medium"
        grid = None if mode == "narrow" else _status_grid(items, as_of, lang, width, medium=medium, plain=plain)
        if grid is None:  # narrow, or columns that cannot fit side by side
            yield from _status_stacked(items, as_of, lang, width, units)
        else:
            yield []
            yield from grid
            yield []
    yield from summary_display(items, lang, include_all, width)


def summary_display(items: Sequence[Item], lang: Lang, include_all: bool, width: int | None) -> list[Line]:
    """The counts per level on one line, or on as many as the width needs (never a count split)."""
    from sanshi_cli.layout import strip_line, width_of

    lines: list[Line] = [[]]
    for level, text in summary_lines(items, lang, include_all):
        gap = "    " if lines[-1] else ""
        used = sum(width_of(t) for t, _ in lines[-1])
        if lines[-1] and width is not None and used + len(gap) + width_of(text) > width:
            lines.append([])
            gap = ""
        lines[-1] += [(gap, ""), (text, LEVEL_STYLES[level])]
    return [strip_line(line) for line in lines]


def _day_format(items: Sequence[Item], as_of: date, short: bool, forecast: bool = True) -> Callable[[date], str]:
    """``MM-DD`` when asked and every date shown lies in the as-of year (the title has the year)."""
    if short:
        days = [d for i in items for d in _dates_shown(i, forecast) if d]
        if all(d.year == as_of.year for d in days):
            return lambda d: d.isoformat()[5:]
    return date.isoformat


def _dates_shown(item: Item, forecast: bool) -> tuple[date | None, ...]:
    """The dates a row may show: a milestone's due, forecast and done; a report's date, or when one was due."""
    reported = item.reported_on if item.kind == "progress_lag" else None
    return (item.due, item.forecast if forecast else None, item.done, reported, item.report_due)


def _level_cell(item: Item, lang: Lang) -> Cell:
    from sanshi_cli.layout import atom

    return atom(level_word(item, lang), LEVEL_STYLES[item.level])


_EN_WORDS = re.compile(r"\d+ working days?|\d+ days?|[\d.]+ points|\d+ missed|level \d|\S+")
# A Chinese phrase of an item that is not a milestone breaks after a comma, before a bracket and
# before a figure with its unit.
_ZH_PHRASES = re.compile(r"（[^）]*），?|[^，（]+，?")


def _state_cell(item: Item, lang: Lang, as_of: date, day: Callable[[date], str]) -> Cell:
    """The state: a number with its unit (``逾期 28 天``, ``3 working days``) and a date never break.

    Chinese phrases are whole, except "… 完成，晚 4 天" after its comma; English ones may wrap
    between their words.
    """
    from sanshi_cli.layout import Cell, para

    text = situation(item, lang, as_of, day)
    style = "yellow" if item.state == "done_late" else ""
    if lang == "en":
        return Cell((para(*_EN_WORDS.findall(text)),), style)
    if item.kind != "milestone":  # and before a figure: "欠序时进度 / 48.3 个百分点" where room is short
        pieces = [part for phrase in _ZH_PHRASES.findall(text) for part in re.split(r" (?=[\d.]+)", phrase)]
        return Cell((para(*pieces),), style)
    head, comma, tail = text.partition("，")
    return Cell((para(head + comma, tail) if tail else para(text),), style)


def short_name(thing: Unit | Person) -> str:
    return thing.short or thing.name


def _status_grid(
    items: Sequence[Item], as_of: date, lang: Lang, width: int | None, *, medium: bool, plain: bool = False
) -> list[Line | str] | None:
    """Today's columns (wide); medium drops empty columns and uses MM-DD dates and short names.

    None when the columns cannot stand side by side in ``width``.
    """
    from sanshi_cli.layout import atom, columns_of, fit_widths, fits, room_for, row_lines, row_text, rule, words

    day = _day_format(items, as_of, medium)
    header = [atom(name, "bold") for name in status_columns(lang)]
    if medium:
        header[6] = atom(label("col_unit_short", lang), "bold")
    rows = []
    for item in items:
        slipped = slipped_forecast(item, as_of)
        rows.append([
            _level_cell(item, lang),
            words(item.project.name),
            words(item_name(item, lang)),
            atom(day(item.due) if item.due is not None else ""),
            _state_cell(item, lang, as_of, day),
            atom(day(slipped) if slipped is not None else ""),
            words(short_name(item.owner) if medium else item.owner.name),
            atom(short_name(item.leader) if medium else item.leader.name),
        ])  # fmt: skip
    keep = list(range(len(header)))
    if medium:
        keep = [n for n in keep if any(not r[n].empty for r in rows)]
        header = [header[n] for n in keep]
        rows = [[r[n] for n in keep] for r in rows]
    columns = columns_of(header, rows, len(header))
    room = room_for(width, len(header))
    if not fits(columns, room):
        return None
    widths = fit_widths(columns, room)
    lines: list[Line | str] = [*row_lines(header, widths), rule(widths)]
    if plain:  # rows repeat their dates, levels, names and units: each cell is padded once a column
        memo: list[dict[int, tuple[str, ...]]] = [{} for _ in widths]
        for row in rows:
            lines += row_text(row, widths, memo=memo)
        return lines
    for row in rows:
        lines += row_lines(row, widths)
    return lines


def _status_stacked(
    items: Sequence[Item], as_of: date, lang: Lang, width: int | None, units: Mapping[str, Unit]
) -> list[Line]:
    """A checklist: a heading per project (most severe first), then a line per item under it."""
    from sanshi_cli.layout import Cell, atom, columns_of, fit_widths, flow_lines, para, room_for, row_lines, words

    day = _day_format(items, as_of, True, forecast=False)
    groups: dict[str, list[Item]] = {}
    for item in items:  # items come most severe first: so do their projects
        groups.setdefault(item.project.id, []).append(item)
    rows: list[list[Cell]] = []
    for group in groups.values():
        for item in group:
            # who answers for it, where the heading does not say: a milestone's or a problem's own
            # unit, and a problem's own leader
            unit = item.project.responsible_unit
            who = [(short_name(item.owner), True)] if item.owner.id != unit else []
            who += [(short_name(item.leader), False)] if item.leader.id != item.project.leader else []
            rows.append([
                _level_cell(item, lang),
                words(item_name(item, lang)),
                atom(day(item.due) if item.due is not None else ""),
                _state_cell(item, lang, as_of, day),
                Cell((para(*who),)),  # a person's name is never broken
            ])  # fmt: skip
    indent = 2
    widths = fit_widths(columns_of(None, rows, 5), room_for(width, 5, indent))
    lines: list[Line] = []
    at = 0
    for group in groups.values():
        first = group[0]
        unit_id = first.project.responsible_unit
        unit = units[unit_id].short or units[unit_id].name if unit_id in units else unit_id
        heading = para((first.project.name, True), "  " + short_name(first.leader), "  " + unit)
        lines += flow_lines(heading, width, "bold")
        for _ in group:
            lines += row_lines(rows[at], widths, indent=indent)
            at += 1
    return lines
