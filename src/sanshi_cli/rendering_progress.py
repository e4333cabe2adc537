"""Views of the progress ledger (进度台账): table, JSON, CSV and Markdown over the same rows.

One row per project: reported 形象进度 against plan, this year's investment against the annual
plan and 序时, and the reports owed. Percentages and points are shown to one decimal in every
format (JSON numbers rounded to 0.1; null where unknown), money in 万元 (totals in 亿元).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from sanshi_cli.i18n import Lang, count, label
from sanshi_cli.layout import Cell, atom, para, words
from sanshi_cli.progress import ProgressRow, lag_level, one_decimal
from sanshi_cli.rendering import LEVEL_STYLES, iso, markdown_cell, write_csv, write_json, write_lines

if TYPE_CHECKING:
    from rich.console import Console

    from sanshi_cli.layout import Line
    from sanshi_cli.model import Person, TimeBasis, Unit
    from sanshi_cli.status import Level

# The JSON record's keys, in order; the CSV's columns.
LEDGER_KEYS = (
    "project", "project_name", "responsible_unit", "responsible_unit_id", "leader", "leader_id",
    "reported_progress", "reported_on", "planned_progress", "progress_lag_points", "progress_level",
    "annual_plan", "invest_year", "invest_total", "invest_rate", "time_progress", "invest_points", "invest_level",
    "last_report", "last_report_text", "last_report_next", "last_report_by",
    "report_due", "report_overdue", "reports_missed", "finished",
)  # fmt: skip

# Columns holding the user's own text (the others are ids, dates, numbers and fixed words).
LEDGER_TEXT_KEYS = (
    "project", "project_name", "responsible_unit", "responsible_unit_id", "leader", "leader_id",
    "last_report_text", "last_report_next", "last_report_by",
)  # fmt: skip

DASH = "—"


@dataclass(frozen=True, slots=True)
class Ledger:
    """What every view of the ledger needs besides the rows."""

    as_of: date
    year: int
    time_progress: float
    time_basis: TimeBasis
    title: str
    units: Mapping[str, Unit]
    people: Mapping[str, Person]
    yellow: float = 10.0  # lag_yellow_points
    red: float = 30.0  # lag_red_points


# -- numbers as shown ---------------------------------------------------------------------------


def percent(value: float | None) -> str:
    """``35.0%``; ``—`` when unknown."""
    return DASH if value is None else f"{one_decimal(value):.1f}%"


def points(value: float) -> str:
    """A distance in points, without its sign (the words say ahead or behind): ``10.2``."""
    return f"{abs(one_decimal(value)):.1f}"


def money(value: float | None) -> str:
    """万元 as typed, without float noise: ``1200``, ``1234.5``; ``—`` when unknown."""
    if value is None:
        return DASH
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def hundred_millions(value: float) -> str:
    """万元 as 亿元 to two decimals, as bulletin totals show money: 123456 → ``12.35``."""
    return f"{value / 10000:.2f}"


def _rounded(value: float | None) -> float | None:
    return None if value is None else one_decimal(value)


def _money_number(value: float | None) -> float | None:
    return None if value is None else round(value, 2) + 0.0


# -- what each row says -------------------------------------------------------------------------


def invest_year(row: ProgressRow) -> float | None:
    """年度累计: this year's investment, None when no report this year gives one."""
    return row.invest_year if row.invest_reported else None


def invest_total(row: ProgressRow) -> float | None:
    """开工累计: every report's investment so far, None when none gives one."""
    return row.invest_total if row.invest_ever else None


def progress_level(row: ProgressRow, ledger: Ledger) -> Level | None:
    """Yellow or red when the reported 形象进度 lags the plan (as ``status`` judges it)."""
    behind = row.progress_lag_points
    if row.finished or behind is None:
        return None
    return lag_level(behind, ledger.yellow, ledger.red)


def invest_level(row: ProgressRow, ledger: Ledger) -> Level | None:
    """Yellow or red when this year's investment rate is behind 序时."""
    ahead = row.invest_points
    if row.finished or ahead is None:
        return None
    return lag_level(-ahead, ledger.yellow, ledger.red)


def report_level(row: ProgressRow) -> Level | None:
    """Blue for one report overdue, yellow from the second."""
    if not row.reports_missed:
        return None
    return "yellow" if row.reports_missed >= 2 else "blue"


def row_record(row: ProgressRow, ledger: Ledger) -> dict[str, Any]:
    """One project's ledger line as a JSON-ready dict (the stable contract; keys are snake_case)."""
    project = row.project
    unit = ledger.units.get(project.responsible_unit)
    leader = ledger.people.get(project.leader)
    last = row.last_report
    return {
        "project": project.id,
        "project_name": project.name,
        "responsible_unit": unit.name if unit else project.responsible_unit,
        "responsible_unit_id": project.responsible_unit,
        "leader": leader.name if leader else project.leader,
        "leader_id": project.leader,
        "reported_progress": _rounded(row.reported_progress),
        "reported_on": iso(row.reported_on),
        "planned_progress": _rounded(row.planned_progress),
        "progress_lag_points": row.progress_lag_points,
        "progress_level": progress_level(row, ledger),
        "annual_plan": _money_number(row.annual_plan),
        "invest_year": _money_number(invest_year(row)),
        "invest_total": _money_number(invest_total(row)),
        "invest_rate": _rounded(row.invest_rate),
        "time_progress": one_decimal(row.time_progress),
        "invest_points": row.invest_points,
        "invest_level": invest_level(row, ledger),
        "last_report": iso(last.on) if last else None,
        "last_report_text": last.text if last else None,
        "last_report_next": last.next if last else None,
        "last_report_by": last.by if last else None,
        "report_due": iso(row.report_due),
        "report_overdue": row.report_overdue,
        "reports_missed": row.reports_missed,
        "finished": row.finished,
    }


def gap_text(row: ProgressRow, lang: Lang) -> str:
    """进度偏差: ``滞后 10.2`` / ``超前 3.0`` / ``持平`` (points behind or ahead of plan)."""
    behind = row.progress_lag_points
    if behind is None:
        return DASH
    if behind == 0:
        return label("gap_even", lang)
    return label("gap_behind" if behind > 0 else "gap_ahead", lang, n=points(behind))


def time_text(row: ProgressRow, lang: Lang) -> str:
    """超/欠序时: ``欠 21.8`` / ``超 3.2`` / ``持平``."""
    ahead = row.invest_points
    if ahead is None:
        return DASH
    if ahead == 0:
        return label("time_even", lang)
    return label("time_ahead" if ahead > 0 else "time_behind", lang, n=points(ahead))


def time_phrase(ahead: float, lang: Lang) -> str:
    """``超/欠序时进度 X 个百分点`` / ``X points ahead of/behind time``."""
    if one_decimal(ahead) == 0:
        return label("time_points_even", lang)
    return label("time_points_ahead" if ahead > 0 else "time_points_behind", lang, n=points(ahead))


def _progress_phrase(behind: float, lang: Lang) -> str:
    if behind == 0:
        return label("progress_points_even", lang)
    return label("progress_points_behind" if behind > 0 else "progress_points_ahead", lang, n=points(behind))


def basis_text(ledger: Ledger, lang: Lang) -> str:
    """How 序时 was counted: ``1–10 月`` (months completed) or ``第 300 天／365 天``."""
    as_of, year = ledger.as_of, ledger.year
    if as_of.year != year:  # a past year, as of its 31 December
        return label("basis_months", lang, n=12)
    if ledger.time_basis == "days":
        days = (date(year + 1, 1, 1) - date(year, 1, 1)).days
        return label("basis_days", lang, n=as_of.timetuple().tm_yday, days=days)
    months = round(ledger.time_progress * 12 / 100)
    return label("basis_months", lang, n=months) if months else label("basis_months_0", lang)


# -- summary ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Totals:
    projects: int
    progress_behind: int
    invest_behind: int
    reports_missed: int
    annual_plan: float
    invest_year: float
    invest_rate: float | None
    invest_points: float | None


def totals(rows: Sequence[ProgressRow], ledger: Ledger) -> Totals:
    """The counts and sums under the table: behind plan, behind 序时 (by any margin, as the rows
    read ``滞后`` and ``欠``), late reporting, and 年度完成 ÷ 计划.

    The rate is over the projects with an annual plan; it is unknown until one of them reports
    an investment this year.
    """
    planned = [r for r in rows if r.annual_plan]
    plan = sum(r.annual_plan or 0.0 for r in planned)
    done = sum(r.invest_year for r in planned if r.invest_reported)
    rate = 100.0 * done / plan if plan and any(r.invest_reported for r in planned) else None
    ahead = None if rate is None else one_decimal(one_decimal(rate) - one_decimal(ledger.time_progress))
    return Totals(
        projects=len(rows),
        progress_behind=sum(not r.finished and (r.progress_lag_points or 0.0) > 0 for r in rows),
        invest_behind=sum(not r.finished and (r.invest_points or 0.0) < 0 for r in rows),
        reports_missed=sum(r.report_overdue for r in rows),
        annual_plan=plan,
        invest_year=done,
        invest_rate=rate,
        invest_points=ahead,
    )


def summary_record(found: Totals) -> dict[str, Any]:
    return {
        "projects": found.projects,
        "progress_behind": found.progress_behind,
        "invest_behind": found.invest_behind,
        "reports_overdue": found.reports_missed,
        "annual_plan": _money_number(found.annual_plan),
        "invest_year": _money_number(found.invest_year),
        "invest_rate": _rounded(found.invest_rate),
        "invest_points": found.invest_points,
    }


def summary_paras(found: Totals, ledger: Ledger, lang: Lang) -> list[list[str]]:
    """The summary as lines of phrases (each phrase whole; a line may break between them).

    ``共 9 个项目：形象进度滞后 2 个，投资欠序时 1 个，未按时填报 1 个`` /
    ``序时进度 83.3%（1–10 月），年度完成投资 1.23 亿元／计划 15.60 亿元，完成率 7.9%，欠序时进度 75.4 个百分点`` /
    ``金额单位：万元``.
    """
    comma = "，" if lang == "zh" else ","
    first = [
        count("summary_projects", found.projects, lang),
        label("summary_progress_behind", lang, n=found.progress_behind),
        label("summary_invest_behind", lang, n=found.invest_behind),
        label("summary_reports_missed", lang, n=found.reports_missed),
    ]
    first = [first[0] + (" " if lang == "en" else "") + first[1], *first[2:]]
    second = [label("summary_time", lang, time=percent(ledger.time_progress), basis=basis_text(ledger, lang))]
    if found.invest_rate is None:
        second.append(label("summary_invest_none", lang))
    else:
        second += [
            label(
                "summary_invest",
                lang,
                done=hundred_millions(found.invest_year),
                plan=hundred_millions(found.annual_plan),
            ),  # fmt: skip
            label("invest_rate_is", lang, rate=percent(found.invest_rate)),
        ]
        if found.invest_points is not None:
            second.append(time_phrase(found.invest_points, lang))
    return [_commas(first, comma), _commas(second, comma), [label("money_unit", lang)]]


def _commas(pieces: list[str], comma: str) -> list[str]:
    return [p + comma for p in pieces[:-1]] + pieces[-1:]


# -- formats ------------------------------------------------------------------------------------


def render_progress(
    rows: Sequence[ProgressRow],
    ledger: Ledger,
    *,
    fmt: str,
    lang: Lang,
    out: IO[Any],  # bytes for xlsx
    console: Console | None = None,
    width: int | None = None,
) -> None:
    """Show the ledger in ``fmt``; a table fits ``width`` cells (None: the wide layout, unwrapped)."""
    found = totals(rows, ledger)
    if fmt == "json":
        head = {
            "as_of": ledger.as_of.isoformat(),
            "year": ledger.year,
            "title": ledger.title,
            "time_progress": one_decimal(ledger.time_progress),
            "time_basis": ledger.time_basis,
        }
        records = (row_record(r, ledger) for r in rows)
        write_json(out, head, "projects", records, {"summary": summary_record(found)})
    elif fmt == "csv":
        write_csv(out, LEDGER_KEYS, (_csv_row(row_record(r, ledger)) for r in rows), LEDGER_TEXT_KEYS)
    elif fmt == "xlsx":
        render_progress_xlsx(rows, ledger, out, label("xlsx_sheet_progress", lang))
    elif fmt == "markdown":
        _markdown(rows, ledger, found, lang, out)
    else:
        write_lines(_table(rows, ledger, found, lang, width), out, console)


# The kind of each ledger column that is not text, for a workbook.
LEDGER_KINDS: dict[str, str] = {
    "reported_progress": "percent", "reported_on": "date", "planned_progress": "percent",
    "progress_lag_points": "points", "annual_plan": "money", "invest_year": "money", "invest_total": "money",
    "invest_rate": "percent", "time_progress": "percent", "invest_points": "points", "last_report": "date",
    "report_due": "date", "reports_missed": "int",
}  # fmt: skip
_LEVEL_ORDER = ("red", "yellow", "blue")


def render_progress_xlsx(rows: Sequence[ProgressRow], ledger: Ledger, out: IO[bytes], title: str) -> None:
    """The CSV's columns and values as one sheet; a row filled in the colour of its worst level."""
    from sanshi_cli.rendering import write_xlsx

    def level(row: ProgressRow) -> str | None:
        found = {progress_level(row, ledger), invest_level(row, ledger), report_level(row)}
        return next((name for name in _LEVEL_ORDER if name in found), None)

    records = (([record[k] for k in LEDGER_KEYS], level(r)) for r in rows for record in (row_record(r, ledger),))
    write_xlsx(out, title, LEDGER_KEYS, LEDGER_KINDS, records)


def _csv_row(record: dict[str, Any]) -> list[object]:
    def cell(value: object) -> object:
        if isinstance(value, bool):
            return "true" if value else "false"
        return value

    return [cell(record[k]) for k in LEDGER_KEYS]


def _title(ledger: Ledger, lang: Lang) -> str:
    return label("progress_title", lang, title=ledger.title, year=ledger.year, as_of=ledger.as_of.isoformat())


WIDE_KEYS = (
    "col_project", "col_unit", "col_leader", "col_reported", "col_planned", "col_progress_gap", "col_annual_plan",
    "col_invest_year", "col_invest_total", "col_invest_rate", "col_invest_points", "col_last_report",
    "col_report_due",
)  # fmt: skip
MEDIUM_KEYS = (
    "col_project", "col_unit_short", "col_reported", "col_planned", "col_progress_gap", "col_invest_year",
    "col_invest_rate", "col_invest_points", "col_report_due",
)  # fmt: skip
_TEXT_COLUMNS = frozenset({"col_project", "col_unit", "col_unit_short", "col_leader", "col_last_report",
                           "col_report_due", "col_progress_gap", "col_invest_points"})  # fmt: skip


def _due_text(row: ProgressRow, lang: Lang, day: Callable[[date], str]) -> list[str]:
    """下次填报: the date owed and how many are overdue; ``—`` without a cadence."""
    if row.report_due is None:
        return [DASH]
    pieces = [day(row.report_due)]
    if row.reports_missed:
        pieces.append(count("reports_missed", row.reports_missed, lang))
    return pieces


def _markdown(rows: Sequence[ProgressRow], ledger: Ledger, found: Totals, lang: Lang, out: IO[str]) -> None:
    out.write(f"## {markdown_cell(_title(ledger, lang))}\n\n")
    if rows:
        header = [label(k, lang) for k in WIDE_KEYS] + [label("col_report_text", lang), label("col_report_next", lang)]
        out.write("| " + " | ".join(markdown_cell(h) for h in header) + " |\n")
        out.write("|" + "|".join("---:" if _numeric(k) else "---" for k in WIDE_KEYS) + "|---|---|\n")
        for row in rows:
            cells = _plain_cells(row, ledger, lang, date.isoformat)
            last = row.last_report
            cells += [(last.text or "") if last else "", (last.next or "") if last else ""]
            out.write("| " + " | ".join(markdown_cell(c) for c in cells) + " |\n")
        out.write("\n")
    else:
        out.write(label("progress_nothing", lang) + "\n\n")
    for line in summary_paras(found, ledger, lang):
        out.write(f"- {markdown_cell(''.join(line) if lang == 'zh' else ' '.join(line))}\n")


def _numeric(key: str) -> bool:
    return key not in _TEXT_COLUMNS


def _plain_cells(row: ProgressRow, ledger: Ledger, lang: Lang, day: Callable[[date], str]) -> list[str]:
    """The wide columns as plain text (Markdown)."""
    project = row.project
    unit = ledger.units.get(project.responsible_unit)
    leader = ledger.people.get(project.leader)
    last = row.last_report
    return [
        project.name,
        unit.name if unit else project.responsible_unit,
        leader.name if leader else project.leader,
        percent(row.reported_progress),
        percent(row.planned_progress),
        gap_text(row, lang),
        money(row.annual_plan),
        money(invest_year(row)),
        money(invest_total(row)),
        percent(row.invest_rate),
        time_text(row, lang),
        day(last.on) if last else DASH,
        " ".join(_due_text(row, lang, day)),
    ]


# -- the table ----------------------------------------------------------------------------------


def _table(rows: Sequence[ProgressRow], ledger: Ledger, found: Totals, lang: Lang, width: int | None) -> Iterator[Line]:
    from sanshi_cli.layout import flow_lines, mode_for, phrases

    yield from flow_lines(phrases(_title(ledger, lang), width), width, "bold")
    mode = mode_for(width)
    if not rows:
        yield from flow_lines(phrases(label("progress_nothing", lang), width), width)
    else:
        grid = None
        if mode == "wide":  # at a width, a row that would stand taller than three lines takes the medium layout
            grid = _grid(rows, ledger, lang, width, medium=False, tallest=None if width is None else 3)
        if mode == "medium" or (mode == "wide" and grid is None):
            grid = _grid(rows, ledger, lang, width, medium=True)
        if grid is None:  # narrow, or columns that cannot stand side by side
            yield from _stacked(rows, ledger, lang, width)
        else:
            yield []
            yield from grid
        yield []
    for pieces in summary_paras(found, ledger, lang):
        yield from flow_lines(para(*pieces), width)


def _day_format(rows: Sequence[ProgressRow], ledger: Ledger, short: bool) -> Callable[[date], str]:
    """``MM-DD`` when asked and every date shown lies in the year of the title."""
    if short:
        days = [d for r in rows for d in (r.report_due, r.last_report.on if r.last_report else None) if d]
        if all(d.year == ledger.year for d in days):
            return lambda d: d.isoformat()[5:]
    return date.isoformat


def _short(thing: Unit | Person | None, fallback: str) -> str:
    return (thing.short or thing.name) if thing is not None else fallback


def _style(level: Level | None) -> str:
    return LEVEL_STYLES[level] if level is not None else ""


def _grid(
    rows: Sequence[ProgressRow],
    ledger: Ledger,
    lang: Lang,
    width: int | None,
    *,
    medium: bool,
    tallest: int | None = None,
) -> list[Line] | None:
    """The ledger as columns (wide: every column; medium: the essentials, short names, MM-DD).

    None when the columns cannot stand side by side in ``width``, or a row would take more than
    ``tallest`` lines.
    """
    from sanshi_cli.layout import grid

    keys = MEDIUM_KEYS if medium else WIDE_KEYS
    day = _day_format(rows, ledger, medium)
    # headings may wrap between their words ("Responsible / unit"); the figures under them never do
    header = [Cell((((label(k, lang), True),),), "bold", _numeric(k)) for k in keys]
    body: list[list[Cell]] = []
    for row in rows:
        project = row.project
        unit = ledger.units.get(project.responsible_unit)
        leader = ledger.people.get(project.leader)
        last = row.last_report
        cells: dict[str, Cell] = {
            "col_project": words(project.name),
            "col_unit": words(unit.name if unit else project.responsible_unit),
            "col_unit_short": words(_short(unit, project.responsible_unit)),
            "col_leader": atom(leader.name if leader else project.leader),
            "col_reported": atom(percent(row.reported_progress), right=True),
            "col_planned": atom(percent(row.planned_progress), right=True),
            "col_progress_gap": atom(gap_text(row, lang), _style(progress_level(row, ledger))),
            "col_annual_plan": atom(money(row.annual_plan), right=True),
            "col_invest_year": atom(money(invest_year(row)), right=True),
            "col_invest_total": atom(money(invest_total(row)), right=True),
            "col_invest_rate": atom(percent(row.invest_rate), right=True),
            "col_invest_points": atom(time_text(row, lang), _style(invest_level(row, ledger))),
            "col_last_report": atom(day(last.on) if last else DASH),
            "col_report_due": Cell((para(*_due_text(row, lang, day)),), _style(report_level(row))),
        }
        body.append([cells[k] for k in keys])
    return grid(header, body, width, tallest)


def _stacked(rows: Sequence[ProgressRow], ledger: Ledger, lang: Lang, width: int | None) -> list[Line]:
    """Per project a heading (name, unit, leader), then three lines: progress, investment, reports."""
    from sanshi_cli.layout import columns_of, fit_widths, flow_lines, room_for, row_lines

    day = _day_format(rows, ledger, True)
    comma = "，" if lang == "zh" else ","
    blocks: list[list[list[Cell]]] = []
    for row in rows:
        progress = [label("reported_vs_planned", lang, reported=percent(row.reported_progress),
                          planned=percent(row.planned_progress))]  # fmt: skip
        if row.progress_lag_points is not None:
            progress.append(_progress_phrase(row.progress_lag_points, lang))
        invest = _invest_pieces(row, lang)
        last = row.last_report
        report = [label("last_report_on", lang, date=day(last.on)) if last else label("no_report_yet", lang)]
        if row.finished:
            report.append(label("none_owed", lang))
        elif row.report_due is not None:
            report.append(label("next_report_on", lang, date=day(row.report_due)))
            if row.reports_missed:
                report.append(count("reports_missed", row.reports_missed, lang))

        def line(key: str, pieces: list[str], level: Level | None) -> list[Cell]:
            return [atom(label(key, lang)), Cell((para(*_commas(pieces, comma)),), _style(level))]

        blocks.append(
            [
                line("row_progress", progress, progress_level(row, ledger)),
                line("row_invest", invest, invest_level(row, ledger)),
                line("row_report", report, report_level(row)),
            ]
        )
    indent = 2
    widths = fit_widths(columns_of(None, [r for block in blocks for r in block], 2), room_for(width, 2, indent))
    lines: list[Line] = []
    for n, (row, block) in enumerate(zip(rows, blocks, strict=True)):
        project = row.project
        unit = _short(ledger.units.get(project.responsible_unit), project.responsible_unit)
        leader = _short(ledger.people.get(project.leader), project.leader)
        if n:
            lines.append([])
        lines += flow_lines(para((project.name, True), "  " + unit, "  " + leader), width, "bold")
        for cells in block:
            lines += row_lines(cells, widths, indent=indent)
    return lines


def _invest_pieces(row: ProgressRow, lang: Lang) -> list[str]:
    """``年度完成 1200／计划 20000 万元``, ``完成率 6.0%``, ``欠序时进度 77.3 个百分点``, ``开工累计 3400 万元``."""
    done = invest_year(row)
    pieces: list[str] = []
    if done is not None and row.annual_plan:
        pieces.append(label("invest_year_of_plan", lang, done=money(done), plan=money(row.annual_plan)))
        pieces.append(label("invest_rate_is", lang, rate=percent(row.invest_rate)))
        if row.invest_points is not None:
            pieces.append(time_phrase(row.invest_points, lang))
    elif done is not None:
        pieces.append(label("invest_year_no_plan", lang, done=money(done)))
    elif row.annual_plan:
        pieces.append(label("invest_plan_only", lang, plan=money(row.annual_plan)))
    total = invest_total(row)
    if total is not None:
        pieces.append(label("invest_total_is", lang, total=money(total)))
    return pieces or [DASH]
