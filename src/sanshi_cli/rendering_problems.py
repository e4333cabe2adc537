"""Views of the problem list (问题清单): table, JSON, CSV and Markdown over the same rows.

Rows are :class:`sanshi_cli.problems.ProblemView` values, chosen and grouped here once: by
default the open and solved problems; for a period (``--from``/``--to``) grouped as 新增 (raised
in the period), 已销号 (closed in the period; this group wins) and 推进中 (the rest that are
open or solved at its end). Rows keep the file's order within a group.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, TYPE_CHECKING, Any, Literal

from sanshi_cli.i18n import Lang, count, label
from sanshi_cli.layout import Cell, atom, para, words
from sanshi_cli.rendering import LEVEL_STYLES, iso, markdown_cell, write_csv, write_json, write_lines

if TYPE_CHECKING:
    from rich.console import Console

    from sanshi_cli.layout import Line
    from sanshi_cli.model import Person, Unit
    from sanshi_cli.problems import ProblemView

Group = Literal["new", "closed", "ongoing"]
GROUPS: tuple[Group, ...] = ("new", "closed", "ongoing")
# What --open, --solved, --closed, --overdue choose; none of them: open and solved.
Choice = Literal["open", "solved", "closed", "overdue"]
DEFAULT_CHOICES: frozenset[Choice] = frozenset({"open", "solved"})

# The JSON record's keys, in order; the CSV's columns.
PROBLEM_KEYS = (
    "id", "project", "project_name", "text", "category", "owner", "owner_id", "leader", "leader_id",
    "raised", "due", "deadline", "late_extension", "measures", "solved", "closed", "lifecycle", "state", "level",
    "days_overdue", "escalation", "last_note", "last_note_on", "group",
)  # fmt: skip
# Columns holding the user's own text.
PROBLEM_TEXT_KEYS = (
    "id", "project", "project_name", "text", "category", "owner", "owner_id", "leader", "leader_id", "measures",
    "last_note",
)  # fmt: skip
DASH = "—"


@dataclass(frozen=True, slots=True)
class Row:
    """One listed problem and, for a period, its group."""

    view: ProblemView
    group: Group | None = None


@dataclass(frozen=True, slots=True)
class ProblemList:
    """What every view needs besides the rows."""

    as_of: date  # the day judged: the period's end when there is one
    title: str
    units: Mapping[str, Unit]
    people: Mapping[str, Person]
    start: date | None = None  # --from


# -- choosing and grouping ----------------------------------------------------------------------


def group_of(view: ProblemView, start: date, end: date) -> Group | None:
    """新增, 已销号 (wins) or 推进中 in ``[start, end]`` (``view`` judged as of ``end``); None: not listed."""
    if view.closed is not None and start <= view.closed <= end:
        return "closed"
    if start <= view.raised <= end:
        return "new"
    if view.lifecycle != "closed":
        return "ongoing"
    return None


def chosen(view: ProblemView, choices: Collection[Choice]) -> bool:
    """Whether ``view`` is one of the states chosen (``overdue``: open and past its deadline)."""
    return view.lifecycle in choices or ("overdue" in choices and view.state == "overdue")


def select_rows(
    views: Iterable[ProblemView],
    *,
    choices: Collection[Choice] | None = None,
    categories: Collection[str] = (),
    start: date | None = None,
    end: date | None = None,
) -> list[Row]:
    """The rows listed: by state (``choices``; None: open and solved, or every one of a period's
    groups), by category, and for a period grouped (新增, 已销号, 推进中, in that order)."""
    kept = [v for v in views if not categories or (v.category or "") in categories]
    if start is None or end is None:
        wanted = DEFAULT_CHOICES if choices is None else choices
        return [Row(v) for v in kept if chosen(v, wanted)]
    rows = [Row(v, group) for v in kept if (group := group_of(v, start, end)) is not None]
    if choices is not None:
        rows = [r for r in rows if chosen(r.view, choices)]
    return sorted(rows, key=lambda r: GROUPS.index(r.group) if r.group else 0)


# -- what each row says -------------------------------------------------------------------------


def state_word(view: ProblemView, lang: Lang) -> str:
    return label(f"problem_state_{view.state}", lang)


def owner_name(view: ProblemView, info: ProblemList, short: bool = False) -> str:
    unit = info.units.get(view.owner)
    if unit is None:
        return view.owner
    return (unit.short or unit.name) if short else unit.name


def leader_name(view: ProblemView, info: ProblemList) -> str:
    person = info.people.get(view.leader)
    return person.name if person is not None else view.leader


def row_record(row: Row) -> dict[str, Any]:
    """One problem as a JSON-ready dict (the stable contract; keys are snake_case)."""
    view = row.view
    note = view.last_update
    return {
        "id": view.id,
        "project": view.project.id,
        "project_name": view.project.name,
        "text": view.text,
        "category": view.category,
        "owner": None,  # filled by record_with_names
        "owner_id": view.owner,
        "leader": None,
        "leader_id": view.leader,
        "raised": view.raised.isoformat(),
        "due": view.entry.due.isoformat(),
        "deadline": view.deadline.isoformat(),
        "late_extension": view.late_extension,
        "measures": view.entry.measures,
        "solved": iso(view.solved),
        "closed": iso(view.closed),
        "lifecycle": view.lifecycle,
        "state": view.state,
        "level": view.level,
        "days_overdue": view.days_overdue,
        "escalation": view.escalation,
        "last_note": note.text if note else None,
        "last_note_on": iso(note.on) if note else None,
        "group": row.group,
    }


def record_with_names(row: Row, info: ProblemList) -> dict[str, Any]:
    record = row_record(row)
    record["owner"] = owner_name(row.view, info)
    record["leader"] = leader_name(row.view, info)
    return record


def summary_record(rows: Sequence[Row]) -> dict[str, int]:
    views = [r.view for r in rows]
    found = {
        "problems": len(views),
        "open": sum(v.lifecycle == "open" for v in views),
        "solved": sum(v.lifecycle == "solved" for v in views),
        "closed": sum(v.lifecycle == "closed" for v in views),
        "overdue": sum(v.state == "overdue" for v in views),
        "awaiting_verification": sum(v.state == "awaiting_verification" for v in views),
        "escalated": sum(v.escalation >= 3 for v in views),
    }
    # a period's groups (0 without one): 新增, 已销号, 推进中
    for group, key in zip(GROUPS, ("new", "closed_off", "in_progress"), strict=True):
        found[key] = sum(r.group == group for r in rows)
    return found


def summary_text(rows: Sequence[Row], lang: Lang) -> str:
    """``共 5 个问题：逾期 2 个，待销号 1 个，督办（3 级）1 个``."""
    found = summary_record(rows)
    text = count("problems_summary", found["problems"], lang)
    return text + label(
        "problems_summary_states",
        lang,
        overdue=found["overdue"],
        awaiting=found["awaiting_verification"],
        level3=found["escalated"],
    )


def _title(info: ProblemList, lang: Lang) -> str:
    if info.start is not None:
        return label("problems_title_period", lang, title=info.title, start=info.start, end=info.as_of)
    return label("problems_title", lang, title=info.title, as_of=info.as_of.isoformat())


def _deadline_text(view: ProblemView, day: Callable[[date], str], lang: Lang) -> str:
    text = day(view.deadline)
    return text + label("problem_extended_late", lang) if view.late_extension else text


def _overdue_text(view: ProblemView, lang: Lang) -> str:
    return count("problem_days", view.days_overdue, lang) if view.days_overdue else DASH


def _escalation_text(view: ProblemView, lang: Lang) -> str:
    return label("problem_level", lang, n=view.escalation) if view.lifecycle == "open" else DASH


def _note_text(view: ProblemView, day: Callable[[date], str]) -> str:
    note = view.last_update
    return f"{day(note.on)} {note.text}" if note else DASH


def _style(view: ProblemView) -> str:
    return LEVEL_STYLES[view.level] if view.level is not None else ""


# -- formats ------------------------------------------------------------------------------------


def render_problems(
    rows: Sequence[Row],
    info: ProblemList,
    *,
    fmt: str,
    lang: Lang,
    out: IO[Any],  # bytes for xlsx
    console: Console | None = None,
    width: int | None = None,
) -> None:
    """Show the problem list in ``fmt``; a table fits ``width`` cells (None: the wide layout, unwrapped)."""
    if fmt == "json":
        head = {
            "as_of": info.as_of.isoformat(),
            "from": iso(info.start),
            "to": info.as_of.isoformat() if info.start is not None else None,
            "title": info.title,
        }
        records = (record_with_names(r, info) for r in rows)
        write_json(out, head, "problems", records, {"summary": summary_record(rows)})
    elif fmt == "csv":
        write_csv(out, PROBLEM_KEYS, (_csv_row(record_with_names(r, info)) for r in rows), PROBLEM_TEXT_KEYS)
    elif fmt == "xlsx":
        render_problems_xlsx(rows, info, out, label("xlsx_sheet_problems", lang))
    elif fmt == "markdown":
        _markdown(rows, info, lang, out)
    else:
        write_lines(_table(rows, info, lang, width), out, console)


# The kind of each problem column that is not text, for a workbook.
PROBLEM_KINDS: dict[str, str] = {
    "raised": "date", "due": "date", "deadline": "date", "solved": "date", "closed": "date", "last_note_on": "date",
    "days_overdue": "int", "escalation": "int",
}  # fmt: skip


def render_problems_xlsx(rows: Sequence[Row], info: ProblemList, out: IO[bytes], title: str) -> None:
    """The CSV's columns and values as one sheet; each row filled in its level's colour."""
    from sanshi_cli.rendering import write_xlsx

    records = (([rec[k] for k in PROBLEM_KEYS], r.view.level) for r in rows for rec in (record_with_names(r, info),))
    write_xlsx(out, title, PROBLEM_KEYS, PROBLEM_KINDS, records)


def _csv_row(record: dict[str, Any]) -> list[object]:
    return [("true" if v else "false") if isinstance(v := record[k], bool) else v for k in PROBLEM_KEYS]


WIDE_KEYS = (
    "col_problem_id", "col_project", "col_problem", "col_category", "col_unit", "col_leader",
    "col_problem_deadline", "col_problem_state", "col_days_overdue", "col_escalation", "col_last_note",
)  # fmt: skip
MEDIUM_KEYS = (
    "col_problem_id", "col_project", "col_problem", "col_unit_short", "col_problem_deadline", "col_problem_state",
    "col_days_overdue", "col_escalation",
)  # fmt: skip


def _groups(rows: Sequence[Row]) -> Iterator[tuple[Group | None, list[Row]]]:
    """The rows by group, in order (one unnamed group without a period)."""
    if not rows or rows[0].group is None:
        yield None, list(rows)
        return
    for group in GROUPS:
        members = [r for r in rows if r.group == group]
        if members:
            yield group, members


def _plain_cells(row: Row, info: ProblemList, lang: Lang) -> list[str]:
    view = row.view
    return [
        view.id,
        view.project.name,
        view.text,
        view.category or DASH,
        owner_name(view, info),
        leader_name(view, info),
        _deadline_text(view, date.isoformat, lang),
        state_word(view, lang),
        _overdue_text(view, lang),
        _escalation_text(view, lang),
        _note_text(view, date.isoformat),
    ]


def _markdown(rows: Sequence[Row], info: ProblemList, lang: Lang, out: IO[str]) -> None:
    out.write(f"## {markdown_cell(_title(info, lang))}\n\n")
    if not rows:
        out.write(label("problems_nothing", lang) + "\n\n")
    for group, members in _groups(rows):
        if group is not None:
            heading = label("problem_group_heading", lang, group=label(f"problem_group_{group}", lang), n=len(members))
            out.write(f"### {markdown_cell(heading)}\n\n")
        out.write("| " + " | ".join(markdown_cell(label(k, lang)) for k in WIDE_KEYS) + " |\n")
        out.write("|" + "|".join("---" for _ in WIDE_KEYS) + "|\n")
        for row in members:
            out.write("| " + " | ".join(markdown_cell(c) for c in _plain_cells(row, info, lang)) + " |\n")
        out.write("\n")
    out.write(f"- {markdown_cell(summary_text(rows, lang))}\n")


# -- the table ----------------------------------------------------------------------------------


def _table(rows: Sequence[Row], info: ProblemList, lang: Lang, width: int | None) -> Iterator[Line]:
    from sanshi_cli.layout import flow_lines, mode_for, phrases

    yield from flow_lines(phrases(_title(info, lang), width), width, "bold")
    if not rows:
        yield from flow_lines(phrases(label("problems_nothing", lang), width), width)
    mode = mode_for(width)
    day = _day_format(rows, info, short=mode != "wide")
    for group, members in _groups(rows):
        if not members:
            continue
        yield []
        if group is not None:
            heading = label("problem_group_heading", lang, group=label(f"problem_group_{group}", lang), n=len(members))
            yield from flow_lines(para(heading), width, "bold")
        grid = None
        if mode == "wide":
            grid = _grid(members, info, lang, width, day, medium=False, tallest=None if width is None else 3)
        if mode == "medium" or (mode == "wide" and grid is None):
            grid = _grid(members, info, lang, width, day, medium=True)
        yield from grid if grid is not None else _stacked(members, info, lang, width, day)
    yield []
    yield from flow_lines(phrases(summary_text(rows, lang), width), width)


def _day_format(rows: Sequence[Row], info: ProblemList, short: bool) -> Callable[[date], str]:
    """``MM-DD`` when asked and every date shown lies in the as-of year."""
    if short:
        days = [d for r in rows for d in (r.view.deadline, r.view.last_update.on if r.view.last_update else None) if d]
        if all(d.year == info.as_of.year for d in days):
            return lambda d: d.isoformat()[5:]
    return date.isoformat


def _cells(row: Row, info: ProblemList, lang: Lang, day: Callable[[date], str]) -> dict[str, Cell]:
    view = row.view
    style = _style(view)
    return {
        "col_problem_id": atom(view.id),
        "col_project": words(view.project.name),
        "col_problem": words(view.text),
        "col_category": words(view.category or DASH),
        "col_unit": words(owner_name(view, info)),
        "col_unit_short": words(owner_name(view, info, short=True)),
        "col_leader": atom(leader_name(view, info)),
        "col_problem_deadline": Cell((para(day(view.deadline), (_late(view, lang), True)),)),
        "col_problem_state": atom(state_word(view, lang), style),
        "col_days_overdue": atom(_overdue_text(view, lang), style, right=True),
        "col_escalation": atom(_escalation_text(view, lang), "bold red" if view.escalation >= 3 else ""),
        "col_last_note": _note_cell(view, day),
    }


def _note_cell(view: ProblemView, day: Callable[[date], str]) -> Cell:
    """The last note: its date whole, its text wrapping."""
    note = view.last_update
    return Cell((para(day(note.on), (note.text, True)),)) if note else atom(DASH)


def _late(view: ProblemView, lang: Lang) -> str:
    return label("problem_extended_late", lang).strip() if view.late_extension else ""


def _grid(
    rows: Sequence[Row],
    info: ProblemList,
    lang: Lang,
    width: int | None,
    day: Callable[[date], str],
    *,
    medium: bool,
    tallest: int | None = None,
) -> list[Line] | None:
    """The problems as columns; None when they cannot stand side by side or a row is too tall."""
    from sanshi_cli.layout import grid

    keys = MEDIUM_KEYS if medium else WIDE_KEYS
    header = [Cell((((label(k, lang), True),),), "bold", k == "col_days_overdue") for k in keys]
    body = [[cells[k] for k in keys] for cells in (_cells(r, info, lang, day) for r in rows)]
    return grid(header, body, width, tallest)


def _stacked(
    rows: Sequence[Row], info: ProblemList, lang: Lang, width: int | None, day: Callable[[date], str]
) -> list[Line]:
    """Per problem a heading (id, project, state), then its text, owner, deadline and last note."""
    from sanshi_cli.layout import columns_of, fit_widths, flow_lines, room_for, row_lines

    comma = "，" if lang == "zh" else ","
    blocks: list[list[list[Cell]]] = []
    for row in rows:
        view = row.view
        cells = _cells(row, info, lang, day)
        deadline = [day(view.deadline) + (label("problem_extended_late", lang) if view.late_extension else "")]
        if view.days_overdue:
            deadline.append(count("days_overdue", view.days_overdue, lang))
        if view.lifecycle == "open" and view.escalation > 1:
            deadline.append(label("problem_level", lang, n=view.escalation))
        owner = f"{owner_name(view, info, short=True)} / {leader_name(view, info)}"
        block = [
            [atom(label("col_problem", lang)), cells["col_problem"]],
            [atom(label("problem_row_owner", lang)), words(owner)],
            [
                atom(label("problem_row_deadline", lang)),
                Cell((para(*[p + comma for p in deadline[:-1]], deadline[-1]),), _style(view)),
            ],
        ]
        if view.last_update is not None:
            block.append([atom(label("problem_row_note", lang)), cells["col_last_note"]])
        blocks.append(block)
    indent = 2
    widths = fit_widths(columns_of(None, [r for block in blocks for r in block], 2), room_for(width, 2, indent))
    lines: list[Line] = []
    for n, (row, block) in enumerate(zip(rows, blocks, strict=True)):
        view = row.view
        if n:
            lines.append([])
        lines += flow_lines(para((view.id, False), "  " + view.project.name, "  " + state_word(view, lang)), width,
                            "bold")  # fmt: skip
        for cells_of_row in block:
            lines += row_lines(cells_of_row, widths, indent=indent)
    return lines
