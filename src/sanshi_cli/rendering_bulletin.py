"""The bulletin's views: Markdown, HTML (with its charts), a mail-safe HTML body (Jinja2
templates), the workbook (.xlsx), JSON, and a short chat digest.

Everything from the file is user data: in Markdown each value is escaped by :func:`markdown_escape`
(Markdown's own characters and line breaks, never HTML entities), applied by the template's
``md`` filter to every value; the HTML templates autoescape every value. Jinja2 and openpyxl are
imported only by the views that use them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sanshi_cli.bulletin import Bulletin, NextNode, NextStep, TimelineRow, bulletin_json
from sanshi_cli.i18n import Lang, label, visible
from sanshi_cli.progress import one_decimal
from sanshi_cli.ranking import COUNTED, METRICS, UnitRank
from sanshi_cli.status import Item

if TYPE_CHECKING:
    import jinja2

    from sanshi_cli.problems import ProblemView

TEMPLATES = Path(__file__).parent / "templates"
# Markdown's own characters: a backslash first, so that an escape in the text is not undone.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_BREAKS = re.compile(r"\s*(?:\r\n|\r|\n|\u2028|\u2029)\s*")
_ZH_NUMBERS = "一二三四五六七八九十"


def markdown_escape(value: object) -> str:
    """User text as literal Markdown: ``| * _ [ ] # < >`` (and ``\\ ` ~``) backslash-escaped, line
    breaks folded to one space, control characters shown as escapes (``\\x1b``); None is empty."""
    if value is None:
        return ""
    text = _BREAKS.sub(" ", str(value))
    return _SPECIAL.sub(r"\\\1", visible(text))


def percent(value: float | None) -> str:
    return "—" if value is None else f"{one_decimal(value):.1f}%"


def points(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}"


def yi(value: float) -> str:
    return f"{value:.2f}"


def item_name(item: Item, lang: Lang) -> str:
    """What a red or yellow item is about: its milestone, its problem, or the kind of lag."""
    if item.milestone is not None:
        return item.milestone.name
    if item.problem is not None:
        return f"{item.problem.id} {item.problem.text}"
    return label(f"item_{item.kind}", lang)


def item_note(item: Item, lang: Lang) -> str:
    if item.state == "overdue":
        return label("days_overdue_1" if item.days_overdue == 1 else "days_overdue", lang, n=item.days_overdue)
    if item.lag_points is not None:
        return label("bulletin_points_behind", lang, points=f"{item.lag_points:.1f}")
    if item.kind == "report_missing":
        return label("reports_missed_1" if item.reports_missed == 1 else "reports_missed", lang, n=item.reports_missed)
    if item.slip_days:
        return label("slip_1" if item.slip_days == 1 else "slip", lang, n=item.slip_days)
    return ""


def _changes(b: Bulletin, lang: Lang) -> Iterator[tuple[str, str, str, str]]:
    c = b.changes
    for kind, items in (("new_flag", c.new_flags), ("turned_red", c.turned_red), ("cleared", c.cleared)):
        for item in items:
            yield kind, item.project.name, item_name(item, lang), label(item.level, lang)
    for node in c.delivered:
        yield (
            "delivered",
            node.project.name,
            node.milestone.name,
            f"{node.done} ({label('bulletin_' + node.outcome, lang)})",
        )
    for view in c.problems_new:
        yield "problem_new", view.project.name, f"{view.id} {view.text}", str(view.raised)
    for view in c.problems_closed:
        yield "problem_closed", view.project.name, f"{view.id} {view.text}", str(view.closed)


def _headings(lang: Lang) -> Callable[[int], str]:
    """Section headings numbered in the order they appear."""
    seen: list[int] = []

    def heading(section: int) -> str:
        seen.append(section)
        n = len(seen)
        return f"{_ZH_NUMBERS[n - 1]}、" if lang == "zh" else f"{n}. "

    return heading


def _environment(*, html: bool) -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=html,  # Markdown is not HTML: there the md filter escapes every value instead
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=html,
        lstrip_blocks=html,
    )
    env.filters.update(md=markdown_escape, pct=percent, pts=points, yi=yi, num=number)
    return env


def _context(b: Bulletin, lang: Lang, title: str, unit_names: dict[str, str]) -> dict[str, Any]:
    """What every template gets: the bulletin, the labels, the helpers."""

    def t(key: str, **params: object) -> str:
        return label(key, lang, **params)

    return {
        "b": b,
        "t": t,
        "lang": lang,
        "title": title,
        "heading": _headings(lang),
        "changes": list(_changes(b, lang)),
        "item_name": lambda item: item_name(item, lang),
        "item_note": lambda item: item_note(item, lang),
        "unit": lambda unit_id: unit_names.get(unit_id, unit_id),
        "metrics": METRICS,
        "metric": metric_text,
        "rank": lambda row: rank_text(row, lang),
        "on_list": lambda row: list_text(row, lang),
        "footnote": ranking_footnote(b, lang),
        "names": lambda rows: names_text(rows, lang),
    }


def render_markdown(b: Bulletin, lang: Lang, out: IO[str], *, title: str, unit_names: dict[str, str]) -> None:
    """The bulletin as Markdown tables, one section after another."""
    text = _environment(html=False).get_template("bulletin.md.j2").render(**_context(b, lang, title, unit_names))
    out.write(re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n")


def number(value: float | None) -> str:
    """A count or an amount as shown: an integer without decimals, else two."""
    if value is None:
        return "—"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


# -- section 7 ------------------------------------------------------------------------------------


def metric_text(row: UnitRank, name: str) -> str:
    """A metric as shown: ``80.0% (4/5)`` for the counted ones, the value alone for invest and inspection."""
    metric = row.metrics.get(name)  # type: ignore[call-overload]
    if metric is None:
        return "—"
    if name in COUNTED:
        return f"{percent(metric.value)} ({number(metric.numerator)}/{number(metric.denominator)})"
    if name == "inspection":
        return f"{one_decimal(metric.value):.1f}"
    return percent(metric.value)


def rank_text(row: UnitRank, lang: Lang) -> str:
    return str(row.rank) if row.rank is not None else label("bulletin_unranked", lang)


def list_text(row: UnitRank, lang: Lang) -> str:
    return label("bulletin_red_list", lang) if row.red else label("bulletin_black_list", lang) if row.black else ""


def names_text(rows: list[UnitRank], lang: Lang) -> str:
    """The units of a list with their scores (``甲局 95.0、乙局 92.3``), or 无."""
    if not rows:
        return label("bulletin_list_none", lang)
    sep = "、" if lang == "zh" else ", "
    return sep.join(f"{row.unit.name} {row.shown_score:.1f}" for row in rows)


def ranking_footnote(b: Bulletin, lang: Lang) -> str:
    """How the score is made: the weights (renormalised per unit), min_items, the lists' rule."""
    r = b.ranking
    if r is None:
        return ""
    c = r.config
    sep = "、" if lang == "zh" else ", "
    weights = sep.join(f"{label('bulletin_m_' + name, lang)} {getattr(c.weights, name):g}" for name in METRICS)
    return label("bulletin_rank_footnote", lang, start=r.year_start, end=r.period_end, weights=weights,
                 min_items=c.min_items, red=c.red, black=c.black, target=f"{c.target:g}")  # fmt: skip


# -- HTML -----------------------------------------------------------------------------------------

ROW = 18  # px per project row of the Gantt chart
LEFT = 230  # the project names' column
WIDTH = 1120
TOP = 30  # the month labels


@dataclass(frozen=True, slots=True)
class GanttMarker:
    id: str
    name: str
    x: float
    state: str
    due: date
    done: date | None
    forecast: date
    slip_x: float | None  # where the forecast lies, when it slips past the due date


@dataclass(frozen=True, slots=True)
class GanttRow:
    id: str
    name: str
    label: str  # the name, cut to fit the column
    y: float
    x1: float
    x2: float
    markers: list[GanttMarker]


@dataclass(frozen=True, slots=True)
class Gantt:
    """The chart's geometry in SVG user units: everything the template draws."""

    width: int
    height: int
    left: int
    rows: list[GanttRow] = field(default_factory=list)
    months: list[tuple[float, str]] = field(default_factory=list)  # grid line x, label ("" for none)
    as_of_x: float = 0.0
    as_of: date | None = None


def _month_starts(first: date, last: date) -> Iterator[date]:
    day = first.replace(day=1)
    while day <= last:
        yield day
        day = (day + timedelta(days=32)).replace(day=1)


def _cut(name: str, width: int = 26) -> str:
    """``name`` cut to ``width`` columns (a Chinese character is two), with … when cut."""
    used = 0
    for i, ch in enumerate(name):
        used += 2 if ord(ch) > 0x2E80 else 1
        if used > width:
            return name[: max(0, i - 1)] + "…"
    return name


def gantt(rows: list[TimelineRow], as_of: date) -> Gantt:
    """Lay the timeline out: one row per project from its start to its finish, a marker per milestone."""
    if not rows:
        return Gantt(WIDTH, TOP + 10, LEFT, as_of=as_of)
    first = min([r.project.start for r in rows] + [as_of])
    last = max(
        [r.project.finish for r in rows]
        + [as_of]
        + [m.forecast for r in rows for m in r.milestones]
        + [m.due for r in rows for m in r.milestones]  # fmt: skip
    )
    lo = first.replace(day=1)
    hi = (last.replace(day=1) + timedelta(days=32)).replace(day=1)
    span = max(1, (hi - lo).days)
    plot = WIDTH - LEFT - 10

    def x(day: date) -> float:
        return round(LEFT + plot * (day - lo).days / span, 1)

    starts = list(_month_starts(lo, hi))
    step = 1 if len(starts) <= 24 else 3 if len(starts) <= 72 else 12
    months = []
    for day in starts:
        shown = "" if (day.month - 1) % step else (str(day.year) if day.month == 1 or day == lo else str(day.month))
        months.append((x(day), shown if x(day) < WIDTH - 30 else ""))  # no label cut at the right edge
    laid = []
    for n, row in enumerate(rows):
        y = TOP + n * ROW + ROW / 2
        markers = [
            GanttMarker(
                m.milestone.id,
                m.milestone.name,
                x(m.due),
                m.state,
                m.due,
                m.done,
                m.forecast,
                x(m.forecast) if m.slip_days else None,
            )  # fmt: skip
            for m in row.milestones
        ]
        project = row.project
        laid.append(GanttRow(project.id, project.name, _cut(project.name), y, x(project.start),
                             x(project.finish + timedelta(days=1)), markers))  # fmt: skip
    return Gantt(WIDTH, TOP + len(rows) * ROW + 10, LEFT, laid, months, x(as_of), as_of)


def bar_width(value: float | None) -> float:
    """A percentage as a bar's width, 0–100, to 0.1."""
    return 0.0 if value is None else one_decimal(max(0.0, min(100.0, value)))


def render_html(b: Bulletin, lang: Lang, out: IO[str], *, title: str, unit_names: dict[str, str]) -> None:
    """The bulletin as one self-contained HTML page (inline CSS and SVG, nothing fetched), printable
    on A4 landscape, with the Gantt chart, the progress bars and the ranking."""
    env = _environment(html=True)
    env.filters.update(bar=bar_width)
    context = _context(b, lang, title, unit_names)
    text = env.get_template("bulletin.html.j2").render(**context, chart=gantt(b.timeline, b.as_of))
    out.write(text)


def render_mail_html(b: Bulletin, lang: Lang, *, title: str, unit_names: dict[str, str]) -> str:
    """The bulletin as a mail body: no SVG and no script (mail clients drop them), inline styles
    only, progress bars as styled table cells, at most four columns per table (as the alert mail)."""
    env = _environment(html=True)
    env.filters.update(bar=bar_width)
    return env.get_template("bulletin.mail.html.j2").render(**_context(b, lang, title, unit_names))


def render_json(b: Bulletin, out: IO[str], lang: Lang = "en") -> None:
    """The data of every section; the ranking's footnote in ``lang``."""
    json.dump(bulletin_json(b, footnote=ranking_footnote(b, lang)), out, ensure_ascii=False, indent=2)
    out.write("\n")


def chat_digest(b: Bulletin, lang: Lang, *, title: str, escape: Callable[[str], str] = markdown_escape) -> str:
    """A short list-style digest of sections 1 and 2 and the 红黑榜, for a group chat (which shows no tables).

    Plain lines starting with ``- ``; user text escaped as in Markdown, or by ``escape`` (a chat
    platform's own: ``chat.clean``).
    """
    o = b.overview
    inv = o.investment
    c = b.changes
    stages = "，" if lang == "zh" else ", "
    named = []
    for s in o.stages:
        if s.completed:
            name = label("bulletin_stage_completed", lang)
        else:
            name = escape(s.stage) if s.stage is not None else label("bulletin_stage_none", lang)
        named.append(f"{name} {s.projects}")
    gap = inv.points
    if gap is None or gap == 0:
        ahead = label("bulletin_points_even", lang)
    else:
        ahead = label("bulletin_points_ahead" if gap > 0 else "bulletin_points_behind", lang, points=f"{abs(gap):.1f}")
    lines = [
        f"**{label('bulletin_title_' + b.period.cadence, lang, title=escape(title), period=b.period.label)}**",
        "- " + label("bulletin_digest_stages", lang, n=o.projects, stages=stages.join(named)),
        "- " + label("bulletin_digest_nodes", lang, due=o.nodes_due, on_time=o.nodes_on_time, late=o.nodes_late,
                     open=o.nodes_open),
        "- " + label("bulletin_digest_pace", lang, on_pace=o.on_pace, behind=o.behind, no_report=o.no_report),
        "- " + label("bulletin_digest_invest", lang, plan=yi(inv.plan_yi), completed=yi(inv.completed_yi),
                     rate=percent(inv.rate), time=percent(inv.time_progress), points=ahead),
        "- " + label("bulletin_digest_problems", lang, **_problem_counts(b)),
        "- " + label("bulletin_digest_changes", lang, new=len(c.new_flags), red=len(c.turned_red),
                     cleared=len(c.cleared), delivered=len(c.delivered), problems_new=len(c.problems_new),
                     problems_closed=len(c.problems_closed)),
    ]  # fmt: skip
    if b.ranking is not None:
        lines.append("- " + label("bulletin_digest_red", lang, units=escape(names_text(b.red_list, lang))))
        lines.append("- " + label("bulletin_digest_black", lang, units=escape(names_text(b.black_list, lang))))
    return "\n".join(lines) + "\n"


def _problem_counts(b: Bulletin) -> dict[str, Any]:
    p = b.overview.problems
    return {"new": p.new, "solved": p.solved, "closed": p.closed, "overdue": p.overdue, "escalated": p.escalated}


# -- the workbook ----------------------------------------------------------------------------------


def render_xlsx(b: Bulletin, lang: Lang, out: IO[bytes], *, title: str, unit_names: dict[str, str]) -> None:
    """The bulletin as a workbook, one sheet per section (:mod:`sanshi_cli.workbook`'s look): numbers
    as numbers (万元, %), dates as dates, red and yellow as fills, the header rows frozen."""
    from sanshi_cli.workbook import Column, add_table, new_workbook, put, save

    def t(key: str, **params: object) -> str:
        return label(key, lang, **params)

    def unit(unit_id: str) -> str:
        return unit_names.get(unit_id, unit_id)

    heading = _headings(lang)
    book = new_workbook()
    o, inv = b.overview, b.overview.investment
    head = t("bulletin_title_" + b.period.cadence, title=title, period=b.period.label)
    # 1. 总体情况: one figure per row (the kind of each value set cell by cell below)
    figures: list[tuple[str, float | int | None, str, str]] = [
        (t("bulletin_projects"), o.projects, t("bulletin_u_projects"), "int"),
    ]
    for s in o.stages:
        name = t("bulletin_stage_completed") if s.completed else s.stage or t("bulletin_stage_none")
        figures.append((f"{t('bulletin_col_stage')}：{name}", s.projects, t("bulletin_u_projects"), "int"))
    figures += [
        (t("bulletin_nodes_due"), o.nodes_due, t("bulletin_u_nodes"), "int"),
        (t("bulletin_on_time"), o.nodes_on_time, t("bulletin_u_nodes"), "int"),
        (t("bulletin_late"), o.nodes_late, t("bulletin_u_nodes"), "int"),
        (t("bulletin_open"), o.nodes_open, t("bulletin_u_nodes"), "int"),
        (t("bulletin_on_pace"), o.on_pace, t("bulletin_u_projects"), "int"),
        (t("bulletin_behind"), o.behind, t("bulletin_u_projects"), "int"),
        (t("bulletin_no_report"), o.no_report, t("bulletin_u_projects"), "int"),
        (t("bulletin_plan_yi", year=inv.year).split("（")[0].split(" (")[0], inv.plan, t("bulletin_u_wan"), "money"),
        (t("bulletin_completed_yi").split("（")[0].split(" (")[0], inv.completed, t("bulletin_u_wan"), "money"),
        (t("bulletin_rate"), _one(inv.rate), t("bulletin_u_percent"), "percent"),
        (t("bulletin_time_progress"), _one(inv.time_progress), t("bulletin_u_percent"), "percent"),
        (t("bulletin_points"), inv.points, t("bulletin_u_points"), "points"),
        (t("bulletin_p_new"), o.problems.new, t("bulletin_u_problems"), "int"),
        (t("bulletin_p_solved"), o.problems.solved, t("bulletin_u_problems"), "int"),
        (t("bulletin_p_closed"), o.problems.closed, t("bulletin_u_problems"), "int"),
        (t("bulletin_p_overdue"), o.problems.overdue, t("bulletin_u_problems"), "int"),
        (t("bulletin_p_escalated"), o.problems.escalated, t("bulletin_u_problems"), "int"),
    ]
    sheet = add_table(
        book,
        heading(1) + t("bulletin_s_overview"),
        [
            Column(t("bulletin_col_metric")),
            Column(t("bulletin_col_value"), "number"),
            Column(t("bulletin_col_unit_of")),
        ],
        [(name, value, unit_of) for name, value, unit_of, _ in figures],
        heading=f"{head}　{t('bulletin_as_of', day=b.as_of, start=b.period.start, end=b.period.end)}",
    )
    for line, (_, value, _, kind) in enumerate(figures, start=3):
        put(sheet.cell(row=line, column=2), value, kind)
    # 2. 变化
    add_table(
        book,
        heading(2) + t("bulletin_s_changes", previous=b.changes.previous.label),
        [
            Column(t("bulletin_col_change")),
            Column(t("col_project")),
            Column(t("bulletin_col_item")),
            Column(t("bulletin_col_note")),
        ],  # fmt: skip
        [(t("bulletin_ch_" + kind), project, what, note) for kind, project, what, note in _changes(b, lang)],
    )
    # 3. 红黄灯清单
    add_table(
        book,
        heading(3) + t("bulletin_s_red_yellow"),
        [
            Column(t("col_level")),
            Column(t("bulletin_col_new")),
            Column(t("col_project")),
            Column(t("bulletin_col_item")),
            Column(t("col_unit")),
            Column(t("col_due"), "date"),
            Column(t("bulletin_col_note")),
        ],  # fmt: skip
        [
            (
                t(f.item.level),
                t("bulletin_new") if f.new else "",
                f.item.project.name,
                item_name(f.item, lang),
                f.item.owner.name,
                f.item.due,
                item_note(f.item, lang),
            )
            for f in b.red_yellow
        ],  # fmt: skip
        levels=[f.item.level for f in b.red_yellow],
    )
    # 4. 节点完成情况
    nodes = [n for p in b.nodes for n in p.nodes]
    add_table(
        book,
        heading(4) + t("bulletin_s_nodes"),
        [
            Column(t("col_project")),
            Column(t("col_milestone")),
            Column(t("col_unit")),
            Column(t("col_due"), "date"),
            Column(t("col_done"), "date"),
            Column(t("bulletin_col_outcome")),
        ],  # fmt: skip
        [(n.project.name, n.milestone.name, unit(n.owner), n.due, n.done, t("bulletin_" + n.outcome)) for n in nodes],
        levels=[{"open": "red", "late": "yellow"}.get(n.outcome) for n in nodes],
    )
    # 5. 序时进度
    add_table(
        book,
        heading(5) + t("bulletin_s_pace"),
        [
            Column(t("col_project")),
            Column(t("bulletin_col_pace")),
            Column(t("bulletin_col_planned"), "percent"),
            Column(t("bulletin_col_reported"), "percent"),
            Column(t("bulletin_col_invest_rate"), "percent"),
            Column(t("bulletin_col_time"), "percent"),
            Column(t("bulletin_u_wan"), "money"),
        ],  # fmt: skip
        [
            (
                r.project.name,
                t("bulletin_" + r.pace),
                _one(r.row.planned_progress),
                _one(r.row.reported_progress),
                _one(r.row.invest_rate),
                _one(r.row.time_progress),
                r.row.invest_year,
            )
            for r in b.pace
        ],  # fmt: skip
        levels=[{"behind": "yellow", "on_pace": "green"}.get(r.pace) for r in b.pace],
    )
    # 6. 问题清单
    views: list[tuple[int | None, ProblemView]] = [
        (level, v) for level, group in b.problems.open_by_level.items() for v in group
    ]
    views += [(None, v) for v in b.problems.closed]
    add_table(
        book,
        heading(6) + t("bulletin_s_problems"),
        [
            Column(t("bulletin_col_level")),
            Column(t("col_problem_id")),
            Column(t("col_project")),
            Column(t("col_problem")),
            Column(t("col_unit")),
            Column(t("col_problem_deadline"), "date"),
            Column(t("col_days_overdue"), "int"),
            Column(t("bulletin_p_closed"), "date"),
        ],  # fmt: skip
        [
            (
                t("problem_level", n=level) if level is not None else t("bulletin_closed_in_period"),
                v.id,
                v.project.name,
                v.text,
                unit(v.owner),
                v.deadline,
                v.days_overdue or None,
                v.closed,
            )
            for level, v in views
        ],  # fmt: skip
        levels=[
            ("red" if level >= 3 else "yellow" if level == 2 else None) if level is not None else "green"
            for level, _ in views
        ],  # fmt: skip
    )
    # 7. 单位排名
    ranked = b.ranking_rows
    columns = [Column(t("bulletin_col_rank"), "int"), Column(t("col_unit"))]
    columns += [Column(t("bulletin_m_" + m), "percent") for m in METRICS]
    columns += [Column(t("bulletin_col_score"), "percent"), Column(t("bulletin_col_list"))]
    sheet = add_table(
        book,
        heading(7) + t("bulletin_s_ranking"),
        columns,
        [
            (
                r.rank if r.rank is not None else t("bulletin_unranked"),
                r.unit.name,
                *(_one(r.metrics[m].value) if m in r.metrics else None for m in METRICS),
                r.shown_score,
                list_text(r, lang),
            )
            for r in ranked
        ],  # fmt: skip
        levels=["red" if r.red else "black" if r.black else None for r in ranked],
    )
    put(sheet.cell(row=len(ranked) + 3, column=1), ranking_footnote(b, lang))
    # 8. 下步工作
    steps: list[tuple[NextStep, NextNode | None]] = []  # a project with targets only: one row, no node
    for step in b.next_steps:
        steps += [(step, m) for m in step.milestones] or [(step, None)]
    add_table(
        book,
        heading(8) + t("bulletin_s_next", period=b.next_period.label),
        [
            Column(t("col_project")),
            Column(t("col_milestone")),
            Column(t("col_unit")),
            Column(t("col_due"), "date"),
            Column(t("col_forecast"), "date"),
            Column(t("col_targets")),
            Column(t("bulletin_col_plan_text")),
        ],  # fmt: skip
        [
            (
                s.project.name,
                m.milestone.name if m else None,
                unit(m.owner) if m else None,
                m.due if m else None,
                m.forecast if m else None,
                "\n".join(s.targets),
                s.plan_text,
            )
            for s, m in steps
        ],  # fmt: skip
    )
    save(book, out)


def _one(value: float | None) -> float | None:
    return None if value is None else one_decimal(value)
