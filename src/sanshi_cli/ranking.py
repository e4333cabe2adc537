"""单位排名 (比学赶超): the responsible units scored and ranked, with a red and a black list (红黑榜).

Pure: the period's last day is a parameter, and everything is judged as of it, from the file
alone (done dates, reports, the problems' dated history, inspections), so a past month's ranking
can be reproduced. Every metric is a share in 0–100 over the year so far, from 1 January of the
period's year to its last day:

- **nodes** 节点按期完成率: the milestones a unit owns (their ``owner``, else the project's
  responsible unit) due in that time; the share done on or before their due date.
- **invest** 投资完成率 against 序时: over the projects the unit is responsible for that have an
  annual plan, Σ invested this year ÷ (Σ annual plan × 序时), in %, capped at
  100 + ``[ranking] invest_bonus``. A project with a plan and no report this year has invested
  0 (not reporting earns nothing). No data when the unit has no plan, when 序时 is 0 (the first
  month under ``time_basis = "months"``), or while no report in the file gives ``invest`` this
  year (the PMO does not collect investment yet: nobody is marked 0).
- **problems** 问题按时办结率: the problems a unit owns whose last *timely* deadline (late
  extensions ignored) falls in that time; the share solved by it.
- **reports** 报送及时率: each project's time from max(1 January, its start) to min(the period's
  end, its finish) cut into consecutive windows of ``report_every_days``; a window counts once it
  has ended (the one still running is not owed yet); the share of windows holding a report. The
  windows of a project count for its responsible unit. No data without a cadence.
- **inspection** 观摩评价: the latest ``[[inspections]]`` score of the unit in that time, else the
  mean over its projects of each one's latest score.

Each metric is ``value = 100 × numerator ÷ denominator`` (invest capped): counts for nodes,
problems and reports; 万元 for invest (invested ÷ what 序时 asks: plan × 序时); for inspection
the score(s) over 100 per score.

**Score** = Σ weight × value ÷ Σ weight over the metrics the unit has data for and whose weight is
above 0 (renormalised per unit), clamped to 0–100; None when there is none. **Scored items** are
the nodes, problems and report windows judged (investment and inspections are amounts and marks,
not items); a unit with fewer than ``min_items`` is listed with ``rank`` None. **Ranks** are
competition ranks (1, 2, 2, 4) of the score rounded to one decimal. The **red list** (红榜) is
the ranks up to ``red`` whose rounded score meets ``target``; the **black list** (黑榜) the units
below ``target`` with fewer than ``black`` ranked units below them (the bottom ``black`` places,
counted from the bottom); a tie at either boundary joins the list.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from sanshi_cli.loading import Loaded
from sanshi_cli.model import Inspection, Project, RankingConfig, Unit
from sanshi_cli.problems import problem_as_of
from sanshi_cli.progress import annual_plan, invest_in, one_decimal, reports_until, time_progress

MetricName = Literal["nodes", "invest", "problems", "reports", "inspection"]
METRICS: tuple[MetricName, ...] = ("nodes", "invest", "problems", "reports", "inspection")
COUNTED: tuple[MetricName, ...] = ("nodes", "problems", "reports")  # the metrics whose denominators are items


@dataclass(frozen=True, slots=True)
class Metric:
    """One metric of one unit: ``value`` (0–100; invest up to 100 + invest_bonus) = 100 × numerator ÷ denominator."""

    value: float
    numerator: float
    denominator: float


@dataclass
class UnitRank:
    """One responsible unit's row of the ranking."""

    unit: Unit
    metrics: dict[MetricName, Metric]  # only those with data
    counted: tuple[MetricName, ...]  # the metrics in the score: with data and a weight above 0
    items: int  # nodes, problems and report windows judged
    score: float | None  # unrounded, 0–100; None when no weighted metric has data
    rank: int | None = None  # None: no score, or fewer than min_items items
    red: bool = False  # 红榜
    black: bool = False  # 黑榜

    @property
    def shown_score(self) -> float | None:
        """The score to one decimal: what is ranked and shown."""
        return None if self.score is None else one_decimal(self.score)


@dataclass
class Ranking:
    """The units as of ``period_end``, ranked first (best first), then the unranked by score."""

    period_end: date
    year_start: date
    time_progress: float  # 序时进度 at period_end, in % (unrounded)
    config: RankingConfig
    rows: list[UnitRank] = field(default_factory=list)

    @property
    def red_list(self) -> list[UnitRank]:
        return [row for row in self.rows if row.red]

    @property
    def black_list(self) -> list[UnitRank]:
        """Worst first."""
        return sorted((row for row in self.rows if row.black), key=lambda row: -(row.rank or 0))


def rank_units(loaded: Loaded, period_end: date) -> Ranking:
    """Every responsible unit (one responsible for a project, owning a milestone or a problem, or
    inspected), scored and ranked as of ``period_end``, over 1 January of its year to it."""
    portfolio = loaded.portfolio
    config = portfolio.ranking
    year_start = date(period_end.year, 1, 1)
    elapsed = time_progress(period_end, period_end.year, portfolio.settings.time_basis)
    ranking = Ranking(period_end, year_start, elapsed, config)

    counts: dict[MetricName, dict[str, list[float]]] = {name: {} for name in METRICS}

    def add(name: MetricName, unit: str, numerator: float, denominator: float) -> None:
        found = counts[name].setdefault(unit, [0.0, 0.0])
        found[0] += numerator
        found[1] += denominator

    involved: set[str] = set()
    for project in portfolio.projects:
        involved.add(project.responsible_unit)
        _count_nodes(loaded, project, year_start, period_end, add, involved)
        _count_problems(loaded, project, year_start, period_end, add, involved)
        _count_reports(project, portfolio.settings.report_every_days, year_start, period_end, add)
    _count_invest(loaded, year_start, period_end, elapsed, add)
    _count_inspections(loaded, year_start, period_end, add, involved)

    weights: dict[MetricName, float] = {name: getattr(config.weights, name) for name in METRICS}
    cap = 100.0 + config.invest_bonus
    for unit in portfolio.units:
        if unit.id not in involved:
            continue
        metrics: dict[MetricName, Metric] = {}
        for name in METRICS:
            pair = counts[name].get(unit.id)
            if pair is None or pair[1] <= 0:
                continue
            value = 100.0 * pair[0] / pair[1]
            metrics[name] = Metric(min(value, cap) if name == "invest" else value, pair[0], pair[1])
        counted = tuple(name for name in METRICS if name in metrics and weights[name] > 0)
        total = sum(weights[name] for name in counted)
        score = None
        if total > 0:
            score = min(100.0, max(0.0, sum(weights[name] * metrics[name].value for name in counted) / total))
        items = int(sum(metrics[name].denominator for name in COUNTED if name in metrics))
        ranking.rows.append(UnitRank(unit, metrics, counted, items, score))

    _rank(ranking.rows, config)
    order = {id(row): i for i, row in enumerate(ranking.rows)}
    ranking.rows.sort(
        key=lambda row: (
            row.rank is None,
            row.rank or 0,
            row.score is None,
            -(row.shown_score or 0.0),
            order[id(row)],
        )
    )
    return ranking


def _rank(rows: list[UnitRank], config: RankingConfig) -> None:
    """Competition ranks of the rounded score, and the red and black lists (ties at a boundary join)."""
    ranked = [row for row in rows if row.score is not None and row.items >= config.min_items]
    scores = [row.shown_score or 0.0 for row in ranked]
    for row, score in zip(ranked, scores, strict=True):
        row.rank = 1 + sum(1 for other in scores if other > score)
        from_bottom = 1 + sum(1 for other in scores if other < score)
        row.red = row.rank <= config.red and score >= config.target
        row.black = from_bottom <= config.black and score < config.target


Add = Callable[[MetricName, str, float, float], None]  # rank_units' counter: metric, unit id, numerator, denominator


def _count_nodes(loaded: Loaded, project: Project, start: date, end: date, add: Add, involved: set[str]) -> None:
    dates = loaded.due[project.id]
    for milestone in project.milestones:
        owner = milestone.owner or project.responsible_unit
        involved.add(owner)
        due = dates[milestone.id]
        if start <= due <= end:
            on_time = milestone.done is not None and milestone.done <= due
            add("nodes", owner, 1.0 if on_time else 0.0, 1.0)


def _count_problems(loaded: Loaded, project: Project, start: date, end: date, add: Add, involved: set[str]) -> None:
    for entry in project.problems:
        involved.add(entry.owner or project.responsible_unit)
        view = problem_as_of(project, entry, loaded, end)
        if view is None or not start <= view.timely_deadline <= end:
            continue
        add("problems", view.owner, 1.0 if view.solved_in_time else 0.0, 1.0)


def report_windows(project: Project, every: int, start: date, end: date) -> list[tuple[date, date, bool]]:
    """The report windows of ``project`` from max(``start``, its start) that have ended by min(``end``,
    its finish): (first day, last day, whether a report is dated in it), in order."""
    first = max(start, project.start)
    last = min(end, project.finish)
    days = [r.on for r in reports_until(project, end)]
    windows = []
    step = timedelta(days=every)
    while first + step - timedelta(days=1) <= last:
        closing = first + step - timedelta(days=1)
        held = bisect.bisect_right(days, closing) > bisect.bisect_left(days, first)
        windows.append((first, closing, held))
        first += step
    return windows


def _count_reports(project: Project, every: int | None, start: date, end: date, add: Add) -> None:
    if every is None:
        return
    windows = report_windows(project, every, start, end)
    if windows:
        add("reports", project.responsible_unit, float(sum(held for _, _, held in windows)), float(len(windows)))


def _count_invest(loaded: Loaded, start: date, end: date, elapsed: float, add: Add) -> None:
    projects = loaded.portfolio.projects
    year = start.year
    collected = any(r.invest is not None and start <= r.on <= end for p in projects for r in p.reports)
    if elapsed <= 0 or not collected:
        return
    for project in projects:
        plan = annual_plan(project, year)
        if plan:
            invested = invest_in(reports_until(project, end), year)
            add("invest", project.responsible_unit, invested, plan * elapsed / 100.0)


def _count_inspections(loaded: Loaded, start: date, end: date, add: Add, involved: set[str]) -> None:
    """The latest score of each unit and each project in the year so far; a unit's own wins over its projects'."""
    latest: dict[tuple[str, str], Inspection] = {}
    for inspection in loaded.portfolio.inspections:  # a later line wins a tie on the same day
        if not start <= inspection.on <= end:
            continue
        key = ("unit", inspection.unit) if inspection.unit is not None else ("project", inspection.project or "")
        if key not in latest or inspection.on >= latest[key].on:
            latest[key] = inspection
    responsible = {p.id: p.responsible_unit for p in loaded.portfolio.projects}
    for (kind, ident), inspection in latest.items():
        if kind == "unit":
            involved.add(ident)
            add("inspection", ident, inspection.score, 100.0)
    for (kind, ident), inspection in latest.items():
        unit = responsible.get(ident)
        if kind == "project" and unit is not None and ("unit", unit) not in latest:
            add("inspection", unit, inspection.score, 100.0)


def ranking_record(row: UnitRank) -> dict[str, object]:
    """One row as JSON: every metric (``null`` without data), the score to 0.1, the rank and the lists."""
    metrics: dict[str, object] = {}
    for name in METRICS:
        metric = row.metrics.get(name)
        if metric is None:
            metrics[name] = {"value": None, "numerator": None, "denominator": None}
        else:
            metrics[name] = {
                "value": one_decimal(metric.value),
                "numerator": _number(metric.numerator),
                "denominator": _number(metric.denominator),
            }
    return {
        "unit": row.unit.id,
        "unit_name": row.unit.name,
        "unit_short": row.unit.short,
        "metrics": metrics,
        "counted": list(row.counted),
        "items": row.items,
        "score": row.shown_score,
        "rank": row.rank,
        "red": row.red,
        "black": row.black,
    }


def _number(value: float) -> float | int:
    """A count as an integer; an amount (万元) to two decimals."""
    return int(value) if float(value).is_integer() else round(value, 2)
