"""Views of plan nodes: table, JSON, CSV, Markdown, TOML (a unit's 节点清单) and iCalendar.

Nodes arrive as an iterator; JSON, CSV and Markdown write each node as it comes, so a plan
of 100,000 rows never sits in memory as one table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import IO, TYPE_CHECKING, Any, Literal

from sanshi_cli.i18n import Lang, label
from sanshi_cli.planning import Node, NodeMilestone
from sanshi_cli.rendering import iso, make_console, markdown_cell, write_csv, write_json

if TYPE_CHECKING:
    from rich.console import Console

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
    "milestones", "targets", "responsible_unit", "leader",
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
        ]


def render_plan(
    nodes: Iterable[Node],
    *,
    as_of: date,
    cadence: Literal["weekly", "monthly"],
    fmt: str,
    lang: Lang,
    title: str,
    out: IO[str],
    units: dict[str, str],
    people: dict[str, str],
    console: Console | None = None,
) -> int:
    """Write the nodes in ``fmt``; return how many nodes were written."""
    count = 0

    def counted(source: Iterable[Node]) -> Iterator[Node]:
        nonlocal count
        for node in source:
            count += 1
            yield node

    stream = counted(nodes)
    if fmt == "json":
        write_json(out, {"as_of": as_of.isoformat(), "period": cadence}, "nodes", map(node_record, stream))
    elif fmt == "csv":
        write_csv(out, CSV_KEYS, _csv_rows(stream, lang, units, people), CSV_TEXT_KEYS)
    elif fmt == "markdown":
        _markdown(stream, as_of, cadence, lang, title, out, units)
    elif fmt == "toml":
        import tomli_w

        document = {"as_of": as_of, "period": cadence, "nodes": [_toml_node(node_record(n)) for n in stream]}
        out.write(tomli_w.dumps(document))
    elif fmt == "ics":
        out.write(_ics(list(stream), as_of, lang, title, units, people))
    else:
        _table(stream, as_of, cadence, lang, title, console or make_console(out), units)
    return count


_DATE_KEYS = frozenset({"start", "end", "deadline", "due", "forecast", "done"})


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


def _cadence_word(cadence: str, lang: Lang) -> str:
    return label(cadence, lang)


def _period_heading(node: Node) -> str:
    """``2026-W48`` over ``11-23～11-29``: the period and its days (of the first project shown)."""
    return f"{node.period}\n{node.start.isoformat()[5:]}～{node.end.isoformat()[5:]}"


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
            f"{node.planned_progress:g}%",
            milestones_text(node, lang, "; "),
            "; ".join(target_phrase(t.text, t.invest_target, lang) for t in node.targets),
            node_unit(node, units, lang),
            _state_text(node, lang),
        ]
        out.write("| " + " | ".join(markdown_cell(c) for c in cells) + " |\n")


def _table(
    nodes: Iterable[Node], as_of: date, cadence: str, lang: Lang, title: str, console: Console, units: dict[str, str]
) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    heading = Text(label("plan_title", lang, title=title, cadence=_cadence_word(cadence, lang), as_of=as_of))
    heading.stylize("bold")
    table = Table(title=heading, box=box.SIMPLE_HEAD, header_style="bold", title_justify="left")
    for key in ("col_period", "col_project", "col_deadline", "col_progress", "col_milestones", "col_targets",
                "col_unit", "col_state"):  # fmt: skip
        table.add_column(label(key, lang), overflow="fold", justify="right" if key == "col_progress" else "left")
    current = None
    for node in nodes:
        first_of_period = node.period != current
        if first_of_period and current is not None:
            table.add_section()
        current = node.period
        state = Text(_state_text(node, lang), style=NODE_STATE_STYLES[node.state])
        milestones = Text(milestones_text(node, lang, "\n"))
        targets = Text("\n".join(target_phrase(t.text, t.invest_target, lang) for t in node.targets))
        table.add_row(
            Text(_period_heading(node) if first_of_period else ""),
            Text(node.project.name),
            Text(iso(node.deadline) or "—"),
            Text(f"{node.planned_progress:g}%"),
            milestones,
            targets,
            Text(node_unit(node, units, lang)),
            state,
        )
    console.print(table)


def _uid(kind: str, *parts: str) -> str:
    """A stable UID; each id is percent-encoded so that no two (project, id) pairs can collide."""
    from urllib.parse import quote

    return "/".join([kind, *(quote(p, safe="") for p in parts)]) + "@sanshi"


def _ics(nodes: list[Node], as_of: date, lang: Lang, title: str, units: dict[str, str], people: dict[str, str]) -> str:
    """An RFC 5545 calendar: an all-day event per node deadline and per milestone due date."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//sanshi//key projects//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", title)
    stamp = datetime.combine(as_of, time(0, 0), tzinfo=UTC)
    for node in nodes:
        unit = node_unit(node, units, lang)
        leader = people.get(node.project.leader, "")
        if node.deadline is not None:
            event = Event()
            event.add("uid", _uid("node", node.project.id, node.period))
            event.add("dtstamp", stamp)
            event.add("dtstart", node.deadline)
            event.add("dtend", node.deadline + timedelta(days=1))
            word = "节点时限" if lang == "zh" else "node deadline"
            event.add("summary", f"{node.project.name} {node.period} {word}")
            lines = [target_phrase(t.text, t.invest_target, lang) for t in node.targets]
            lines += [milestone_phrase(m, lang, node.start.year) for m in node.milestones]
            lines += [f"{label('col_unit', lang)}: {unit}", f"{label('col_leader', lang)}: {leader}"]
            lines.append(f"{label('col_progress', lang)}: {node.planned_progress:g}%")
            event.add("description", "\n".join(lines))
            event.add("categories", ["sanshi", node.period])
            calendar.add_component(event)
        for entry in node.milestones:
            if entry.carried:
                continue  # its own event stands on its due date, in the node that holds it
            event = Event()
            event.add("uid", _uid("milestone", node.project.id, entry.milestone.id))
            event.add("dtstamp", stamp)
            event.add("dtstart", entry.due)
            event.add("dtend", entry.due + timedelta(days=1))
            event.add("summary", f"{node.project.name}：{entry.milestone.name}" if lang == "zh"
                      else f"{node.project.name}: {entry.milestone.name}")  # fmt: skip
            event.add("description", "\n".join([milestone_phrase(entry, lang),
                                                f"{label('col_unit', lang)}: {units.get(entry.owner, '')}",
                                                f"{label('col_leader', lang)}: {leader}"]))  # fmt: skip
            calendar.add_component(event)
    text: str = calendar.to_ical().decode("utf-8")
    return text
