"""Views of plan nodes: table, JSON, CSV, Markdown, TOML (a unit's 节点清单) and iCalendar.

Nodes arrive as an iterator; JSON, CSV and Markdown write each node as it comes, so a plan
of 100,000 rows never sits in memory as one table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import IO, TYPE_CHECKING, Any, Literal

from sanshi_cli.i18n import Lang, label, visible
from sanshi_cli.layout import Cell, Para, Piece, atom, para, words
from sanshi_cli.planning import Node, NodeMilestone, PeriodNodes, WholeNode
from sanshi_cli.rendering import csv_cell, is_plain, iso, markdown_cell, write_lines

if TYPE_CHECKING:
    from rich.console import Console

    from sanshi_cli.layout import Line, Mode
    from sanshi_cli.model import Project

NODE_STATE_STYLES = {
    "done": "green",
    "overdue": "bold red",
    "current": "bold",
    "future": "",
    "past": "dim",
    "rest": "dim",
}

CSV_KEYS = (
    "project", "project_name", "period", "start", "end", "deadline", "rest", "planned_progress", "state",
    "milestones", "targets", "responsible_unit", "leader", "reported_progress",
)  # fmt: skip


CSV_TEXT_KEYS = ("project", "project_name", "milestones", "targets", "responsible_unit", "leader")


def milestone_record(entry: NodeMilestone) -> dict[str, Any]:
    return {
        "id": entry.milestone.id,
        "name": entry.milestone.name,
        "due": entry.due.isoformat(),
        "forecast": entry.forecast.isoformat(),
        "done": iso(entry.done),
        "owner": entry.owner,
        "carried": entry.carried,
    }


def node_record(node: Node) -> dict[str, Any]:
    """One node as a JSON-ready dict (the stable contract; keys are snake_case)."""
    return {
        "project": node.project.id,
        "project_name": node.project.name,
        "period": node.period,
        "start": node.start.isoformat(),
        "end": node.end.isoformat(),
        "deadline": iso(node.deadline),
        "rest": node.rest,
        "planned_progress": node.planned_progress,
        "reported_progress": node.reported_progress,
        "state": node.state,
        "milestones": [milestone_record(m) for m in node.milestones],
        "targets": [
            {"target": t.text, **({"invest_target": t.invest_target} if t.invest_target is not None else {})}
            for t in node.targets
        ],
    }


def milestone_phrase(entry: NodeMilestone, lang: Lang, year: int | None = None) -> str:
    """``施工许可证 04-30 已完成`` / ``开工 05-18 → 预计 05-29``: one milestone in a cell.

    A carried milestone reads ``腾空交地 10-30 逾期未完成``; its due date keeps the year when it
    lies in another year than ``year`` (the node's).
    """
    due = entry.due.isoformat()
    if entry.carried:
        shown = due if year is not None and entry.due.year != year else due[5:]
        return f"{entry.milestone.name} {shown} {label('carried', lang)}"
    text = f"{entry.milestone.name} {due[5:]}"
    if entry.done is not None:
        state = "done_late" if entry.done > entry.due else "done"
        return f"{text} {label(state, lang)}"
    if entry.forecast > entry.due:
        arrow = "预计" if lang == "zh" else "forecast"
        return f"{text} → {arrow} {entry.forecast.isoformat()[5:]}"
    return text


def milestones_text(node: Node, lang: Lang, separator: str) -> str:
    """Every milestone of a node in one cell, carried ones first."""
    return separator.join(milestone_phrase(m, lang, node.start.year) for m in node.milestones)


def node_unit(node: Node, units: dict[str, str], lang: Lang) -> str:
    """Who answers for the node: the owners of its milestones, else the project's responsible unit."""
    owners = list(dict.fromkeys(m.owner for m in node.milestones)) or [node.project.responsible_unit]
    return label("unit_separator", lang).join(units.get(owner, owner) for owner in owners)


def target_phrase(text: str, invest: float | None, lang: Lang) -> str:
    if invest is None:
        return text
    amount = f"{invest:g}"
    return f"{text}（投资 {amount} 万元）" if lang == "zh" else f"{text} (invest {amount} 10k CNY)"


def _csv_rows(
    nodes: Iterable[Node], lang: Lang, units: dict[str, str], people: dict[str, str]
) -> Iterator[list[object]]:
    for node in nodes:
        yield [
            node.project.id,
            node.project.name,
            node.period,
            node.start.isoformat(),
            node.end.isoformat(),
            iso(node.deadline) or "",
            "true" if node.rest else "false",
            node.planned_progress,
            node.state,
            milestones_text(node, lang, "; "),
            "; ".join(target_phrase(t.text, t.invest_target, lang) for t in node.targets),
            node_unit(node, units, lang),
            people.get(node.project.leader, node.project.leader),
            node.reported_progress,
        ]


def _write_plan_csv(
    out: IO[str], plan: Iterable[Node | PeriodNodes], lang: Lang, units: dict[str, str], people: dict[str, str]
) -> None:
    """What ``write_csv`` writes for :func:`_csv_rows`, byte for byte, at a fraction of the cost.

    A plan has hundreds of thousands of rows, most of them a project's whole period with no
    milestone and no target: such a row is the project's cells (encoded once, when its first
    node comes) around its period's (once a period) and its progress; a period's rows go out
    in one write. A row with milestones or targets encodes only those cells and its unit's. A
    row with a CR in any cell (every cell quoted) goes through ``write_csv``'s rules in full.
    """
    import csv
    import io

    buffer = io.StringIO()
    encoder = csv.writer(buffer, lineterminator="")

    def cell(text: str) -> str:
        return str(csv_cell(text))

    def encoded(cells: list[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        encoder.writerow(cells)
        return buffer.getvalue()

    writer = csv.writer(out, lineterminator="\n")
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_KEYS)
    texts = [CSV_KEYS.index(name) for name in CSV_TEXT_KEYS]
    # per project: its id and name cells, its unit's and its leader's (None: one holds a CR)
    known: dict[str, tuple[str, str, str] | None] = {}
    spans: dict[tuple[date, date], str] = {}  # per node's days: its period, dates and rest cells

    def project_cells(project: Project) -> tuple[str, str, str] | None:
        try:
            return known[project.id]
        except KeyError:
            unit = project.responsible_unit
            leader = people.get(project.leader, project.leader)
            of_project = [cell(project.id), cell(project.name), cell(units.get(unit, unit)), cell(leader)]
            cells = known[project.id] = (
                None
                if any("\r" in text for text in of_project)
                else (encoded(of_project[:2]) + ",", encoded(of_project[2:3]), encoded(of_project[3:]))
            )
            return cells

    def days_of(node: Node | PeriodNodes) -> str:
        span = (node.start, node.end)  # a node's period and deadline follow from its days
        days = spans.get(span)
        if days is None:
            deadline = node.deadline
            days = spans[span] = (
                f"{node.period if isinstance(node, Node) else node.label},{node.start.isoformat()},"
                f"{node.end.isoformat()},{deadline.isoformat() if deadline is not None else ''},"
                f"{'true' if deadline is None else 'false'},"
            )
        return days

    def write_row(node: Node) -> None:
        """A row as write_csv writes it (defused; every cell quoted when one holds a CR)."""
        row = next(_csv_rows([node], lang, units, people))
        for i in texts:
            row[i] = csv_cell(row[i])
        (quoted if any(isinstance(c, str) and "\r" in c for c in row) else writer).writerow(row)

    def write_node(node: Node) -> None:
        cells = project_cells(node.project)
        if cells is None:
            write_row(node)
            return
        reported = node.reported_progress
        if node.milestones or node.targets:
            texts_of_node = [
                cell(milestones_text(node, lang, "; ")),
                cell("; ".join(target_phrase(t.text, t.invest_target, lang) for t in node.targets)),
            ]
            if node.milestones:
                texts_of_node.append(cell(node_unit(node, units, lang)))
            if any("\r" in text for text in texts_of_node):
                write_row(node)
                return
            middle = encoded(texts_of_node) if node.milestones else f"{encoded(texts_of_node)},{cells[1]}"
        else:
            middle = f",,{cells[1]}"
        out.write(
            f"{cells[0]}{days_of(node)}{node.planned_progress!r},{node.state},{middle},{cells[2]},"
            f"{'' if reported is None else repr(reported)}\n"
        )

    for item in plan:
        if isinstance(item, Node):
            write_node(item)
            continue
        days = days_of(item)
        state = item.state
        rows: list[str] = []
        for entry in item.nodes:
            if isinstance(entry, tuple) and entry[2] is None:
                project, progress, _, reported = entry
                cells = known.get(project.id) or project_cells(project)
                if cells is not None:
                    rows.append(
                        f"{cells[0]}{days}{progress!r},{state},,,{cells[1]},{cells[2]},"
                        f"{'' if reported is None else repr(reported)}\n"
                    )
                    continue
            out.write("".join(rows))
            rows.clear()
            write_node(entry if isinstance(entry, Node) else item.node(entry))
        out.write("".join(rows))


# The kind of each plan column that is not text, for a workbook.
PLAN_KINDS: dict[str, str] = {
    "start": "date", "end": "date", "deadline": "date", "planned_progress": "percent", "reported_progress": "percent",
}  # fmt: skip
# A node's row colour in a workbook, by its state.
_STATE_LEVELS: dict[str, str] = {"overdue": "red", "done": "green"}


def render_plan_xlsx(
    nodes: Iterable[Node], out: IO[bytes], lang: Lang, units: dict[str, str], people: dict[str, str]
) -> None:
    """The CSV's columns and values as one sheet; an overdue node's row red, a done one's green."""
    from sanshi_cli.rendering import write_xlsx

    def rows() -> Iterator[tuple[list[object], str | None]]:
        for node in nodes:
            row = next(_csv_rows([node], lang, units, people))
            yield row, _STATE_LEVELS.get(node.state)

    write_xlsx(out, label("xlsx_sheet_plan", lang), CSV_KEYS, PLAN_KINDS, rows())


def render_plan(
    nodes: Iterable[Node | PeriodNodes],
    *,
    as_of: date,
    cadence: Literal["weekly", "monthly"],
    fmt: str,
    lang: Lang,
    title: str,
    out: IO[Any],  # bytes for xlsx
    units: dict[str, str],
    people: dict[str, str],
    console: Console | None = None,
    width: int | None = None,
    short: dict[str, str] | None = None,
) -> int:
    """Write the nodes in ``fmt``; return how many nodes were written.

    ``nodes`` come one by one (:func:`~sanshi_cli.planning.plan_nodes`), or a period at a time
    (:func:`~sanshi_cli.planning.plan_periods`, what large plans are written fastest from).

    A table fits ``width`` cells (None: the wide layout, unwrapped); ``short`` maps unit ids
    to the short names narrower layouts use.
    """
    count = 0

    def counted(source: Iterable[Node | PeriodNodes]) -> Iterator[Node | PeriodNodes]:
        nonlocal count
        for item in source:
            count += 1 if isinstance(item, Node) else len(item.nodes)
            yield item

    plan = counted(nodes)
    stream = _each_node(plan)
    if fmt == "json":
        _write_plan_json(out, plan, {"as_of": as_of.isoformat(), "period": cadence})
    elif fmt == "csv":
        _write_plan_csv(out, plan, lang, units, people)
    elif fmt == "xlsx":
        render_plan_xlsx(stream, out, lang, units, people)
    elif fmt == "markdown":
        _markdown(stream, as_of, cadence, lang, title, out, units)
    elif fmt == "toml":
        _write_toml(out, stream, as_of, cadence)
    elif fmt == "ics":
        _write_ics(out, stream, as_of, lang, title, units, people)
    else:
        table = _table(plan, as_of, cadence, lang, title, width, units, short or {}, is_plain(console))
        write_lines(table, out, console)
    return count


_REPR_IS_JSON = (float, int)  # a progress (0-100, never NaN) of these types is written as its repr


def _write_plan_json(out: IO[str], plan: Iterable[Node | PeriodNodes], head: dict[str, Any]) -> None:
    """What ``write_json`` writes for :func:`node_record`, byte for byte: a whole-period node
    without targets is its project's encoded keys (once a project), its period's (once a period)
    and its figures; a period's records go out in one write."""
    import json

    known: dict[str, str] = {}  # per project: its keys up to the period

    def records() -> Iterator[str]:
        for item in plan:
            if isinstance(item, Node):
                yield json.dumps(node_record(item), ensure_ascii=False)
                continue
            deadline = json.dumps(iso(item.deadline))
            days = (
                f'{json.dumps(item.label, ensure_ascii=False)}, "start": "{item.start.isoformat()}", '
                f'"end": "{item.end.isoformat()}", "deadline": {deadline}, '
                f'"rest": {json.dumps(item.deadline is None)}, "planned_progress": '
            )
            state = json.dumps(item.state)
            lines: list[str] = []
            for entry in item.nodes:
                if (
                    isinstance(entry, tuple)
                    and entry[2] is None
                    and (entry[3] is None or type(entry[3]) in _REPR_IS_JSON)
                ):
                    project, progress, _, reported = entry
                    opening = known.get(project.id)
                    if opening is None:
                        opening = known[project.id] = (
                            f'{{"project": {json.dumps(project.id, ensure_ascii=False)}, '
                            f'"project_name": {json.dumps(project.name, ensure_ascii=False)}, "period": '
                        )
                    lines.append(
                        f'{opening}{days}{progress!r}, "reported_progress": '
                        f'{"null" if reported is None else repr(reported)}, "state": {state}, '
                        f'"milestones": [], "targets": []}}'
                    )
                else:
                    node = entry if isinstance(entry, Node) else item.node(entry)
                    lines.append(json.dumps(node_record(node), ensure_ascii=False))
            yield ",\n ".join(lines)

    opening = json.dumps(head, ensure_ascii=False)
    out.write(f"{opening[:-1]}, {json.dumps('nodes')}: [")
    first = True
    for text in records():
        out.write(("\n " if first else ",\n ") + text)
        first = False
    out.write("\n]}\n")


def _each_node(plan: Iterable[Node | PeriodNodes]) -> Iterator[Node]:
    for item in plan:
        if isinstance(item, Node):
            yield item
        else:
            yield from item


_DATE_KEYS = frozenset({"start", "end", "deadline", "due", "forecast", "done"})


def _write_toml(out: IO[str], nodes: Iterable[Node], as_of: date, cadence: str) -> None:
    """The header keys, then one ``[[nodes]]`` table per node as it comes (memory stays flat)."""
    import tomli_w

    out.write(tomli_w.dumps({"as_of": as_of, "period": cadence}))
    for node in nodes:
        out.write("\n" + tomli_w.dumps({"nodes": [_toml_node(node_record(node))]}))


def _toml_node(record: dict[str, Any]) -> dict[str, Any]:
    """TOML has no null: leave absent values out; the date fields become TOML dates (names stay text)."""

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: date.fromisoformat(v) if k in _DATE_KEYS and isinstance(v, str) else clean(v)
                for k, v in value.items()
                if v is not None
            }
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    cleaned: dict[str, Any] = clean(record)
    return cleaned


def progress_text(node: Node, lang: Lang) -> str:
    """``45%``, or with a report ``计划 45% · 填报 30%`` (``planned 45% · reported 30%``)."""
    return " ".join(progress_pieces(node, lang))


def progress_pieces(node: Node, lang: Lang) -> list[str]:
    """The progress as pieces that never break: ``计划 45% ·`` and ``填报 30%``, or ``45%`` alone."""
    return _progress_pieces(node.planned_progress, node.reported_progress, lang)


def _progress_pieces(planned: float, reported: float | None, lang: Lang) -> list[str]:
    if reported is None:
        return [f"{planned:g}%"]
    return [
        label("plan_progress_planned", lang, planned=f"{planned:g}"),
        label("plan_progress_reported", lang, reported=f"{reported:g}"),
    ]


def _progress_cell(node: Node, lang: Lang) -> Cell:
    if node.reported_progress is None:
        return _planned_cell(node.planned_progress)
    return Cell((para(*progress_pieces(node, lang)),), right=True)


@lru_cache(maxsize=1024)
def _planned_cell(planned: float) -> Cell:
    """``45%``: one cell per value, however many nodes show it."""
    return Cell((para(f"{planned:g}%"),), right=True)


_EMPTY = Cell()


def _cadence_word(cadence: str, lang: Lang) -> str:
    return label(cadence, lang)


def _days(node: Node, lang: Lang) -> str:
    """``11-23～11-29`` / ``11-23–11-29``: the node's days (a range takes an en dash in English)."""
    return label("day_range", lang, start=node.start.isoformat()[5:], end=node.end.isoformat()[5:])


def _period_heading(node: Node, lang: Lang) -> str:
    """``2026-W48`` over ``11-23～11-29``: the period and its days (of the first project shown)."""
    return f"{node.period}\n{_days(node, lang)}"


def _state_text(node: Node, lang: Lang) -> str:
    return label("rest_period", lang) if node.state == "rest" else label(node.state, lang)


def _markdown(
    nodes: Iterable[Node], as_of: date, cadence: str, lang: Lang, title: str, out: IO[str], units: dict[str, str]
) -> None:
    heading = label("plan_title", lang, title=title, cadence=_cadence_word(cadence, lang), as_of=as_of)
    out.write(f"## {markdown_cell(heading)}\n")
    columns = [label(k, lang) for k in ("col_project", "col_deadline", "col_progress", "col_milestones",
                                         "col_targets", "col_unit", "col_state")]  # fmt: skip
    current = None
    for node in nodes:
        if node.period != current:
            current = node.period
            out.write(f"\n### {markdown_cell(node.period)}\n\n")
            out.write("| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n")
        cells = [
            node.project.name,
            iso(node.deadline) or label("rest_period", lang),
            progress_text(node, lang),
            milestones_text(node, lang, "; "),
            "; ".join(target_phrase(t.text, t.invest_target, lang) for t in node.targets),
            node_unit(node, units, lang),
            _state_text(node, lang),
        ]
        out.write("| " + " | ".join(markdown_cell(c) for c in cells) + " |\n")


BLOCK_BUFFER = 5000  # nodes laid out as one table; a larger plan is aligned period by period


def _table(
    nodes: Iterable[Node | PeriodNodes],
    as_of: date,
    cadence: str,
    lang: Lang,
    title: str,
    width: int | None,
    units: dict[str, str],
    short: dict[str, str],
    plain: bool = False,
) -> Iterator[Line | str]:
    """The plan as lines for ``width`` cells; one table, or one per period when the plan is large.

    ``plain``: the table's rows come as plain text (for a file or a pipe)."""
    from sanshi_cli.layout import flow_lines, mode_for, phrases

    heading = label("plan_title", lang, title=title, cadence=_cadence_word(cadence, lang), as_of=as_of)
    yield from flow_lines(phrases(heading, width), width, "bold")
    mode = mode_for(width)
    blocks = _period_blocks(nodes)
    shared = _Shared()
    buffered: list[Block] = []
    count = 0
    streaming = False
    for block in blocks:
        if streaming:
            yield from _plan_block([block], as_of, lang, width, mode, units, short, plain, shared)
            continue
        buffered.append(block)
        count += len(block.nodes) if isinstance(block, PeriodNodes) else len(block)
        if count > BLOCK_BUFFER:
            streaming = True
            yield from _plan_block(buffered, as_of, lang, width, mode, units, short, plain, shared)
            buffered = []
    if buffered:
        yield from _plan_block(buffered, as_of, lang, width, mode, units, short, plain, shared)
    elif not streaming:
        yield from flow_lines(phrases(label("plan_nothing", lang, as_of=as_of), width), width)


Block = PeriodNodes | list[Node]
"""One period's nodes: as :func:`~sanshi_cli.planning.plan_periods` gives them, or one by one."""


def _period_blocks(plan: Iterable[Node | PeriodNodes]) -> Iterator[Block]:
    """Each period's nodes together (a period's whole nodes stay tuples: no Node is made for them)."""
    block: list[Node] = []
    for item in plan:
        if isinstance(item, PeriodNodes):
            if block:
                yield block
                block = []
            yield item
            continue
        if block and item.period != block[0].period:
            yield block
            block = []
        block.append(item)
    if block:
        yield block


def _as_nodes(blocks: list[Block]) -> list[list[Node]]:
    return [list(block) for block in blocks]


@dataclass(slots=True)
class _Shared:
    """What the blocks of one table share: its projects' name and unit cells, kept alive, so that
    each one's padded text is kept by its id for every block with the same column width."""

    names: dict[str, tuple[Cell, int]] = field(default_factory=dict)  # by project id: its cell, its width
    units: dict[str, tuple[Cell, int]] = field(default_factory=dict)  # by project id: its own unit (no milestones)
    kept: dict[int, Cell] = field(default_factory=dict)  # other unit cells in the table
    padded: dict[int, dict[int, str]] = field(default_factory=dict)  # kept cells' one-line texts, by width
    progress: dict[tuple[float, float | None], tuple[Cell, int]] = field(default_factory=dict)  # by its figures
    deadlines: dict[tuple[date | None, bool], Cell] = field(default_factory=dict)  # by day and MM-DD or not
    measured: dict[int, int] = field(default_factory=dict)  # natural widths of the kept cells, by id
    texts: dict[tuple[str, int], dict[Any, str]] = field(default_factory=dict)  # by column and width (see below)


def _plan_block(
    blocks: list[Block],
    as_of: date,
    lang: Lang,
    width: int | None,
    mode: Mode,
    units: dict[str, str],
    short: dict[str, str],
    plain: bool = False,
    shared: _Shared | None = None,
) -> Iterator[Line | str]:
    """Periods laid out together: wide and medium as columns, narrow as a checklist per period."""
    shared = shared or _Shared()
    from operator import getitem

    from sanshi_cli.layout import (
        GAP,
        columns_of,
        fit_widths,
        fits,
        natural_width,
        padded_lines,
        room_for,
        row_lines,
        row_text,
        rule,
    )

    def in_year() -> bool:
        """Every deadline in the as-of year (the title's, medium) or in its period's (narrow)."""
        if mode == "narrow":
            return all(n.deadline is None or n.period.startswith(str(n.deadline.year)) for n in _each(blocks))
        return all(n.deadline is None or n.deadline.year == as_of.year for n in _each(blocks))

    # MM-DD where the year goes without saying: the title's (medium), each period heading's (narrow)
    day = (lambda d: d.isoformat()[5:]) if mode != "wide" and in_year() else date.isoformat

    names = units if mode == "wide" else {**units, **short}

    def unit_of(node: Node) -> str:
        if not node.milestones:  # most nodes: the project's own unit
            unit = node.project.responsible_unit
            return names.get(unit, unit)
        return node_unit(node, names, lang)

    if mode == "narrow":
        yield from _plan_stacked(_as_nodes(blocks), lang, width, day, unit_of)
        return
    keys = ["col_period", "col_project", "col_deadline", "col_progress", "col_milestones", "col_targets",
            "col_unit", "col_state"]  # fmt: skip
    if mode == "medium":
        keys[6] = "col_unit_short"
    header = [atom(label(k, lang), "bold", right=k == "col_progress") for k in keys]
    sections: list[list[Any]] = []  # per block its rows: lists of cells, or (see fast) whole nodes
    states = {state: atom(label(state, lang), style) for state, style in NODE_STATE_STYLES.items()}
    states["rest"] = atom(label("rest_period", lang), NODE_STATE_STYLES["rest"])  # as _state_text
    blank, no_deadline = atom(""), atom("—")
    measured = shared.measured  # the state and deadline cells are kept in ``shared`` with their widths
    for cell in [*states.values(), blank, no_deadline]:
        shared.kept[id(cell)] = cell
        measured[id(cell)] = natural_width(cell)
    # a large plan repeats its projects, deadlines and figures: each cell is made (and measured) once
    name_cells = shared.names
    unit_cells = shared.units
    progress_cells = shared.progress
    short_days = day is not date.isoformat

    def deadline_cell(deadline: date | None) -> Cell:
        if deadline is None:
            return no_deadline
        cell = shared.deadlines.get((deadline, short_days))
        if cell is None:
            cell = shared.deadlines[deadline, short_days] = atom(day(deadline))
            shared.kept[id(cell)] = cell
            measured[id(cell)] = natural_width(cell)
        return cell

    # each column's natural width (what the table takes unwrapped), measured as the rows are made
    widest = [natural_width(cell) for cell in header]

    def progress_of(planned: float, reported: float | None) -> tuple[Cell, int]:
        cell = (
            _planned_cell(planned)
            if reported is None
            else Cell((para(*_progress_pieces(planned, reported, lang)),), right=True)
        )
        made = progress_cells[planned, reported] = (cell, natural_width(cell))
        return made

    # Unwrapped to a file or a pipe (most large plans), a whole node's row (one line) is kept as its
    # tuple and written from its project's texts, its figures' and its period's.
    fast = plain and width is None
    shared_cells: list[tuple[Cell, Cell]] = []  # per block: its whole nodes' deadline and state
    for block in blocks:
        rows: list[Any] = []  # rows of cells, or (fast) whole nodes
        period = block if isinstance(block, PeriodNodes) else None
        entries: Sequence[Node | WholeNode] = block if period is None else period.nodes  # type: ignore[assignment]
        period_deadline, period_state = no_deadline, blank  # what the period's whole nodes share
        if period is not None:
            period_deadline, period_state = deadline_cell(period.deadline), states[period.state]
        counted = False  # the period's cells: measured with its first whole node
        first = True
        for entry in entries:
            if first:
                first = False
                if isinstance(entry, Node):
                    node = entry
                else:
                    assert period is not None
                    node = period.node(entry)
                heading = atom(_period_heading(node, lang))
                widest[0] = max(widest[0], natural_width(heading))
            else:
                heading = blank
            if not isinstance(entry, Node):  # a whole node: its project's cells, its period's, its figures
                if not counted:
                    counted = True
                    widest[2] = max(widest[2], measured[id(period_deadline)])
                    widest[7] = max(widest[7], measured[id(period_state)])
                project, planned, targets, reported = entry
                pid = project.id
                name, name_width = name_cells.get(pid) or _made(name_cells, pid, words(project.name))
                unit, unit_width = unit_cells.get(pid) or _made(
                    unit_cells, pid, words(names.get(project.responsible_unit, project.responsible_unit))
                )
                progress, progress_width = progress_cells.get((planned, reported)) or progress_of(planned, reported)
                target_cell = (
                    Cell(tuple(_target_para(t.text, t.invest_target, lang) for t in targets)) if targets else _EMPTY
                )
                if name_width > widest[1]:
                    widest[1] = name_width
                if progress_width > widest[3]:
                    widest[3] = progress_width
                if targets:
                    widest[5] = max(widest[5], natural_width(target_cell))
                if unit_width > widest[6]:
                    widest[6] = unit_width
                if fast and heading is blank and not targets and len(name.paras) == len(unit.paras) == 1:
                    rows.append(entry)  # written straight from its cells' texts (below)
                else:
                    rows.append([heading, name, period_deadline, progress, _EMPTY, target_cell, unit, period_state])
                continue
            node = entry
            project = node.project
            name, name_width = name_cells.get(project.id) or _made(name_cells, project.id, words(project.name))
            deadline = deadline_cell(node.deadline)
            if node.milestones:
                unit = words(unit_of(node))
                unit_width = measured.get(id(unit), -1)
                if unit_width < 0:  # a unit cell first seen: kept, with its width
                    shared.kept[id(unit)] = unit
                    unit_width = measured[id(unit)] = natural_width(unit)
            else:
                unit, unit_width = unit_cells.get(project.id) or _made(unit_cells, project.id, words(unit_of(node)))
            progress, progress_width = progress_cells.get(
                (node.planned_progress, node.reported_progress)
            ) or progress_of(node.planned_progress, node.reported_progress)
            row = [
                heading,
                name,
                deadline,
                progress,
                Cell(tuple(_milestone_para(m, lang, node.start.year) for m in node.milestones)) if node.milestones
                else _EMPTY,
                Cell(tuple(_target_para(t.text, t.invest_target, lang) for t in node.targets)) if node.targets
                else _EMPTY,
                unit,
                states[node.state],
            ]  # fmt: skip
            sizes = (0, name_width, measured[id(deadline)], progress_width,
                     natural_width(row[4]) if node.milestones else 0, natural_width(row[5]) if node.targets else 0,
                     unit_width, measured[id(row[7])])  # fmt: skip
            for k, size in enumerate(sizes):
                if size > widest[k]:
                    widest[k] = size
            rows.append(row)
        sections.append(rows)
        shared_cells.append((period_deadline, period_state))
    keep = list(range(len(keys)))
    if mode == "medium":
        keep = [k for k in keep if k < 4 or any(not r[k].empty for rows in sections for r in rows)]
    if len(keep) < len(keys):
        header = [header[k] for k in keep]
        sections = [[[r[k] for k in keep] for r in rows] for rows in sections]
        widest = [widest[k] for k in keep]
    room = room_for(width, len(header))
    if room is None:  # unwrapped: every column at its natural width, measured above
        widths = widest
    else:
        columns = columns_of(header, [r for rows in sections for r in rows], len(header))
        if not fits(columns, room):  # the columns cannot stand side by side: the checklist
            yield from _plan_stacked(_as_nodes(blocks), lang, width, day, unit_of)
            return
        widths = widest if sum(widest) <= room else fit_widths(columns, room)
    yield []
    yield from row_lines(header, widths)
    yield rule(widths)
    if plain:  # a file or a pipe: text straight away
        # A row of one-line cells (most rows) is their padded texts joined: each distinct cell is
        # padded once per column (the same cell, a name, may stand in two columns of two widths).
        gap = " " * GAP
        # the name, deadline, progress, unit and state columns hold only cells kept in ``shared``:
        # their texts (a function of the cell and the width) serve every block
        lasting = {keep.index(k) for k in (1, 2, 3, 6, 7) if k in keep}
        singles: list[dict[int, str]] = [
            shared.padded.setdefault(width, {}) if k in lasting else {} for k, width in enumerate(widths)
        ]

        def single(cell: Cell, width: int) -> str:
            padded = padded_lines(cell, width)
            return padded[0] if padded else " " * width

        # a whole node's texts: its project's name and unit, its progress (by its figures), at their widths
        name_texts = shared.texts.setdefault(("name", widths[1]), {}) if fast else {}
        unit_texts = shared.texts.setdefault(("unit", widths[6]), {}) if fast else {}
        progress_texts = shared.texts.setdefault(("progress", widths[3]), {}) if fast else {}
        lead = " " * widths[0] + gap
        after = gap + " " * widths[4] + gap + " " * widths[5] + gap if fast else ""
        for n, rows in enumerate(sections):
            if n:
                yield ""
            lines: list[str] = []  # a period's rows go out as one text
            add = lines.append
            if fast:
                period_deadline, period_state = shared_cells[n]
                middle = gap + single(period_deadline, widths[2]) + gap
                tail = gap + single(period_state, widths[7])
            for row in rows:
                if type(row) is tuple:
                    project, planned, _, reported = row
                    pid = project.id
                    name_text = name_texts.get(pid)
                    if name_text is None:
                        name_text = name_texts[pid] = single(name_cells[pid][0], widths[1])
                    unit_text = unit_texts.get(pid)
                    if unit_text is None:
                        unit_text = unit_texts[pid] = single(unit_cells[pid][0], widths[6])
                    figures = (planned, reported)
                    progress_text = progress_texts.get(figures)
                    if progress_text is None:
                        progress_text = progress_texts[figures] = single(progress_cells[figures][0], widths[3])
                    add(f"{lead}{name_text}{middle}{progress_text}{after}{unit_text}{tail}".rstrip(" "))
                    continue
                if not fast or row[4] is _EMPTY:  # (a milestones cell is new: its row cannot be known)
                    try:
                        add(gap.join(map(getitem, singles, map(id, row))).rstrip(" "))
                        continue
                    except KeyError:
                        pass
                texts: list[str] = []
                for k, cell in enumerate(row):
                    text = singles[k].get(id(cell))
                    if text is None:
                        padded = padded_lines(cell, widths[k])
                        if len(padded) > 1:
                            break
                        text = singles[k][id(cell)] = padded[0] if padded else " " * widths[k]
                    texts.append(text)
                if len(texts) == len(row):
                    add(gap.join(texts).rstrip(" "))
                else:  # a cell of several lines
                    lines += row_text(row, widths)
            if lines:
                yield "\n".join(lines)
        return
    for n, rows in enumerate(sections):
        if n:
            yield []
        for row in rows:
            yield from row_lines(row, widths)


def _made(cells: dict[str, tuple[Cell, int]], key: str, cell: Cell) -> tuple[Cell, int]:
    """A cell kept for the whole table, with its natural width."""
    from sanshi_cli.layout import natural_width

    made = cells[key] = (cell, natural_width(cell))
    return made


def _each(blocks: list[Block]) -> Iterator[Node]:
    for block in blocks:
        yield from block


def _plan_stacked(
    blocks: list[list[Node]],
    lang: Lang,
    width: int | None,
    day: Callable[[date], str],
    unit_of: Callable[[Node], str],
) -> Iterator[Line]:
    """Per period a heading, then per project a line (deadline, progress, state, unit) and its items."""
    from sanshi_cli.layout import columns_of, fit_widths, flow_lines, room_for, row_lines

    rows = [
        [
            words(node.project.name),
            atom(day(node.deadline) if node.deadline else "—"),
            _progress_cell(node, lang),
            atom(_state_text(node, lang), NODE_STATE_STYLES[node.state]),
            words(unit_of(node)),
        ]
        for block in blocks
        for node in block
    ]
    indent = 2
    widths = fit_widths(columns_of(None, rows, 5), room_for(width, 5, indent))
    at = 0
    for block in blocks:
        first = block[0]
        yield []
        yield from flow_lines(para(first.period, f"  {_days(first, lang)}"),
                              width, "bold")  # fmt: skip
        for node in block:
            yield from row_lines(rows[at], widths, indent=indent)
            at += 1
            for item in [*(_milestone_para(m, lang, node.start.year) for m in node.milestones),
                         *(_target_para(t.text, t.invest_target, lang) for t in node.targets)]:  # fmt: skip
                yield from flow_lines(item, width, indent=indent + 4)


def _milestone_para(entry: NodeMilestone, lang: Lang, year: int) -> Para:
    """A milestone phrase whose dates and "→ 预计 12-11" never break (the name may).

    A carried milestone reads ``腾空交地 10-30 逾期未完成``, its due date with the year when it
    lies in another year than the node's (as :func:`milestone_phrase`).
    """
    due = entry.due.isoformat()
    pieces: list[Piece | str] = [
        (entry.milestone.name, True),
        due if entry.carried and entry.due.year != year else due[5:],
    ]
    if entry.carried:
        pieces.append(label("carried", lang))
    elif entry.done is not None:
        pieces.append(label("done_late" if entry.done > entry.due else "done", lang))
    elif entry.forecast > entry.due:
        pieces += [f"→ {'预计' if lang == 'zh' else 'forecast'}", entry.forecast.isoformat()[5:]]
    return para(*pieces)


def _target_para(text: str, invest: float | None, lang: Lang) -> Para:
    """A target; its amount (``（投资 1800 万元）``) may go to the next line, the number with its unit."""
    if invest is None:
        return para((text, True))
    word, number = target_phrase(text, invest, lang)[len(text) :].lstrip().split(" ", 1)
    return para((text, True), word, number)


def _uid(kind: str, *parts: str) -> str:
    """A stable UID; each id is percent-encoded so that no two (project, id) pairs can collide."""
    from urllib.parse import quote

    return "/".join([kind, *(quote(p, safe="") for p in parts)]) + "@sanshi"


def _write_ics(
    out: IO[str],
    nodes: Iterable[Node],
    as_of: date,
    lang: Lang,
    title: str,
    units: dict[str, str],
    people: dict[str, str],
) -> None:
    """An RFC 5545 calendar: an all-day event per node deadline and per milestone due date.

    Written event by event between a VCALENDAR header and footer, so memory stays flat however
    large the plan. Text is iCalendar-escaped and folded by icalendar (``vText``: a line break in
    the title is ``\\n``), a control character in it shown as its escape (RFC 5545 allows none).
    """
    from icalendar import Calendar, vText

    calendar = Calendar()
    calendar.add("prodid", "-//sanshi//key projects//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", vText(visible(title, newlines=True)))
    head = calendar.to_ical().decode("utf-8")
    footer = "END:VCALENDAR\r\n"
    out.write(head.removesuffix(footer))
    for node in nodes:
        for event in _events(node, as_of, lang, units, people):
            out.write(event.to_ical().decode("utf-8"))
    out.write(footer)


def _events(node: Node, as_of: date, lang: Lang, units: dict[str, str], people: dict[str, str]) -> Iterator[Any]:
    """A node's events: its deadline (unless a rest period), then each milestone due in it."""
    from icalendar import Event

    def text(value: str) -> str:
        return visible(value, newlines=True)

    stamp = datetime.combine(as_of, time(0, 0), tzinfo=UTC)
    unit = node_unit(node, units, lang)
    leader = people.get(node.project.leader, "")
    if node.deadline is not None:
        event = Event()
        event.add("uid", _uid("node", node.project.id, node.period))
        event.add("dtstamp", stamp)
        event.add("dtstart", node.deadline)
        event.add("dtend", node.deadline + timedelta(days=1))
        word = "节点时限" if lang == "zh" else "node deadline"
        event.add("summary", text(f"{node.project.name} {node.period} {word}"))
        lines = [target_phrase(t.text, t.invest_target, lang) for t in node.targets]
        lines += [milestone_phrase(m, lang, node.start.year) for m in node.milestones]
        lines += [f"{label('col_unit', lang)}: {unit}", f"{label('col_leader', lang)}: {leader}"]
        lines.append(f"{label('col_progress', lang)}: {progress_text(node, lang)}")
        event.add("description", text("\n".join(lines)))
        event.add("categories", ["sanshi", node.period])
        yield event
    for entry in node.milestones:
        if entry.carried:
            continue  # its own event stands on its due date, in the node that holds it
        event = Event()
        event.add("uid", _uid("milestone", node.project.id, entry.milestone.id))
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.due)
        event.add("dtend", entry.due + timedelta(days=1))
        event.add("summary", text(f"{node.project.name}：{entry.milestone.name}" if lang == "zh"
                                  else f"{node.project.name}: {entry.milestone.name}"))  # fmt: skip
        event.add("description", text("\n".join([milestone_phrase(entry, lang),
                                                f"{label('col_unit', lang)}: {units.get(entry.owner, '')}",
                                                f"{label('col_leader', lang)}: {leader}"])))  # fmt: skip
        yield event
