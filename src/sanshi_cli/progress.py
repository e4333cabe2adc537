"""Progress against plan (序时进度): reported 形象进度, investment completed, and reports owed.

Units report every week or month (进度填报): the project's physical progress (形象进度, a
cumulative % of the whole project) and the investment completed since the previous report
(本期完成投资, 万元). From those reports and the plan this module works out, as of a day:

- **序时进度** (time-elapsed progress) of a year: N/12 where N is the number of months of the
  year completed by that day, a month counting on its last day (the "1–N月" convention of
  monthly bulletins); or, with ``time_basis = "days"``, the day of the year ÷ days in the year.
- the **investment completion rate**: this year's completed investment ÷ the annual plan, and
  how many points it is ahead (+) of or behind (−) 序时;
- the **planned progress** at a day (the milestones' progress curve) and how far the latest
  reported 形象进度 lags it;
- when the next **report is due**: ``report_every_days`` after the previous one (or after the
  project's start), moved to the next working day; a finished project owes none.

And the three kinds of item that are not milestones, for ``status`` and ``alert``:
``progress_lag``, ``invest_lag`` and ``report_missing``. Each stays quiet until the PMO collects
reports (and sets a cadence), so that upgrading never alarms every unit at once.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from sanshi_cli.errors import Problem, UsageError
from sanshi_cli.loading import Loaded
from sanshi_cli.model import Project, Report, TimeBasis
from sanshi_cli.planning import ProgressCurve
from sanshi_cli.scheduling import EARLIEST, LATEST
from sanshi_cli.status import NO_FILTERS, RANK, Filters, Level
from sanshi_cli.workcalendar import WorkCalendar

LagKind = Literal["progress_lag", "invest_lag", "report_missing"]
LAG_KINDS: tuple[LagKind, ...] = ("progress_lag", "invest_lag", "report_missing")


def one_decimal(value: float) -> float:
    """``value`` to 0.1, a half rounded away from zero as people (and Excel) do: 13.65 → 13.7, −0.05 → −0.1.

    Read from the number as written (its shortest repr), not from its binary expansion, and
    without the float noise of a difference: 83.3 − 73.3 is 10.0 here, not 10.000000000000009.
    """
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)) + 0.0  # + 0.0: never −0.0


def time_progress(as_of: date, year: int, basis: TimeBasis = "months") -> float:
    """序时进度 of ``year`` as of the end of ``as_of``, in % (unrounded).

    ``months``: 10-31 → 10/12, 11-29 → still 10/12, 11-30 → 11/12. ``days``: day of the year
    ÷ days in the year. 0 before the year, 100 after it.
    """
    if as_of.year < year:
        return 0.0
    if as_of.year > year:
        return 100.0
    if basis == "days":
        days = 366 if _calendar.isleap(year) else 365
        return 100.0 * as_of.timetuple().tm_yday / days
    last = _calendar.monthrange(year, as_of.month)[1]
    completed = as_of.month - (0 if as_of.day == last else 1)
    return 100.0 * completed / 12


def annual_plan(project: Project, year: int) -> float | None:
    """The project's planned investment for ``year`` (万元), None when it has none.

    A table by year gives each year its own; a plain number is the plan of whichever year is
    asked about, within the project's span (a 2025 ledger shows none for a project that starts
    in 2026).
    """
    plan = project.annual_investment
    if isinstance(plan, dict):
        return plan.get(str(year))
    if plan is not None and not project.start.year <= year <= project.finish.year:
        return None
    return plan


def reports_until(project: Project, as_of: date) -> list[Report]:
    """The reports dated on or before ``as_of`` (the file keeps them in date order)."""
    return [r for r in project.reports if r.on <= as_of]


def latest_progress(reports: list[Report]) -> Report | None:
    """The latest report that gives 形象进度."""
    return next((r for r in reversed(reports) if r.progress is not None), None)


def invest_in(reports: list[Report], year: int | None = None) -> float:
    """Investment completed (万元) in the reports given, of one year or all (开工累计)."""
    return sum(r.invest or 0.0 for r in reports if year is None or r.on.year == year)


def finished(project: Project, as_of: date | None = None) -> bool:
    """Every milestone done (by ``as_of`` when given): the project owes no more reports."""
    return bool(project.milestones) and all(
        m.done is not None and (as_of is None or m.done <= as_of) for m in project.milestones
    )


def due_dates(project: Project, every: int, calendar: WorkCalendar, as_of: date) -> tuple[date, int]:
    """The report owed next as of ``as_of``, and how many owed reports are overdue.

    The k-th report after the last one (or after the project's start) is due ``k × every``
    days after it, moved to the next working day. One due on ``as_of`` is not yet overdue.
    Two due dates moved onto the same working day are one report owed (a unit files one
    report a day), so after a long holiday the count does not jump by two.
    """
    reports = reports_until(project, as_of)
    base = reports[-1].on if reports else project.start
    first = calendar.next_workday(base + timedelta(days=every))
    if first >= as_of:
        return first, 0
    # The due dates before as_of are those of k = 1..last; they never decrease with k, so
    # count the distinct ones: a step k → k+1 adds one unless no working day lies in between.
    last = ((as_of - base).days - 1) // every
    while calendar.next_workday(base + timedelta(days=last * every)) >= as_of:
        last -= 1
    missed = 1
    day = base + timedelta(days=every)
    step = timedelta(days=every)
    for _ in range(last - 1):
        following = day + step
        # next_workday(day) < following ⟺ a working day lies in [day, following)
        if calendar.is_workday(day) or calendar.workdays_between(day, following - timedelta(days=1)):
            missed += 1
        day = following
    return first, missed


@dataclass(frozen=True, slots=True)
class ProgressRow:
    """One project's line of the progress ledger (进度台账) as of a day."""

    project: Project
    as_of: date
    reported_progress: float | None
    reported_on: date | None
    planned_progress: float
    annual_plan: float | None
    invest_year: float
    invest_total: float
    invest_reported: bool  # at least one report this year gives `invest`: else the rate is unknown, not 0
    time_progress: float
    last_report: Report | None
    report_due: date | None
    reports_missed: int
    invest_ever: bool = False  # at least one report up to as_of gives `invest`: else 开工累计 is unknown
    finished: bool = False  # every milestone done: no report owed, never behind

    @property
    def progress_lag_points(self) -> float | None:
        """How many points the reported 形象进度 is behind plan (negative: ahead), to 0.1.

        The difference of the two values as shown, so that what is printed adds up.
        """
        if self.reported_progress is None:
            return None
        return one_decimal(one_decimal(self.planned_progress) - one_decimal(self.reported_progress))

    @property
    def invest_rate(self) -> float | None:
        """This year's completed investment ÷ the annual plan, in %; None without a plan or a report."""
        if not self.annual_plan or not self.invest_reported:
            return None
        return 100.0 * self.invest_year / self.annual_plan

    @property
    def invest_points(self) -> float | None:
        """超/欠序时进度: the completion rate minus 序时, in points (ahead +, behind −)."""
        rate = self.invest_rate
        return None if rate is None else one_decimal(one_decimal(rate) - one_decimal(self.time_progress))

    @property
    def report_overdue(self) -> bool:
        return self.reports_missed > 0


def progress_row(loaded: Loaded, project: Project, as_of: date, curve: ProgressCurve | None = None) -> ProgressRow:
    """The ledger line of one project as of ``as_of``."""
    portfolio = loaded.portfolio
    reports = reports_until(project, as_of)
    latest = latest_progress(reports)
    curve = curve or ProgressCurve(project, loaded.due[project.id], loaded.calendar)
    every = portfolio.settings.report_every_days
    due: date | None = None
    missed = 0
    done = finished(project, as_of)
    if every is not None and not done:
        due, missed = due_dates(project, every, loaded.calendar, as_of)
    return ProgressRow(
        project=project,
        as_of=as_of,
        reported_progress=latest.progress if latest is not None else None,
        reported_on=latest.on if latest is not None else None,
        planned_progress=curve.at(as_of),
        annual_plan=annual_plan(project, as_of.year),
        invest_year=invest_in(reports, as_of.year),
        invest_total=invest_in(reports),
        invest_reported=any(r.invest is not None and r.on.year == as_of.year for r in reports),
        time_progress=time_progress(as_of, as_of.year, portfolio.settings.time_basis),
        last_report=reports[-1] if reports else None,
        report_due=due,
        reports_missed=missed,
        invest_ever=any(r.invest is not None for r in reports),
        finished=done,
    )


def progress_rows(loaded: Loaded, as_of: date, *, filters: Filters = NO_FILTERS) -> list[ProgressRow]:
    """The progress ledger: one row per project kept by the filters, in file order.

    The unit filter keeps projects the unit leads or is responsible for.
    """
    rows = []
    for project in loaded.portfolio.projects:
        if not filters.keeps_project(project):
            continue
        if filters.units and not ({project.lead_unit, project.responsible_unit} & filters.units):
            continue
        rows.append(progress_row(loaded, project, as_of))
    return rows


@dataclass(frozen=True, slots=True)
class Lag:
    """A project behind on progress or investment, or late with its report: an item that is not a milestone."""

    kind: LagKind
    level: Level
    row: ProgressRow
    lag_points: float  # how far behind, in points (for report_missing: the number of reports missed)

    @property
    def project(self) -> Project:
        return self.row.project


def find_lags(loaded: Loaded, as_of: date, *, filters: Filters = NO_FILTERS) -> list[Lag]:
    """Progress lag (滞后序时进度), investment lag and missing reports as of ``as_of``, worst first.

    - ``progress_lag``: the latest reported 形象进度 is behind the plan at ``as_of`` by at least
      ``lag_yellow_points`` (yellow), by more than ``lag_red_points`` red;
    - ``invest_lag``: the project has an annual plan and at least one report with ``invest`` this
      year, and this year's rate is behind 序时 by as many points;
    - ``report_missing``: ``report_every_days`` is set and a report is overdue: blue, yellow from
      the second one missed.

    A finished project (every milestone done) is never behind. The unit filter keeps a project's
    items for its responsible unit, who answers for them.
    """
    return sorted(_lags(loaded, as_of, filters), key=lambda lag: (-RANK[lag.level], -lag.lag_points))


def lag_level(points: float, yellow: float, red: float) -> Level | None:
    """How serious a lag of ``points`` behind plan is: yellow from ``yellow`` on, red beyond ``red``."""
    if points > red:
        return "red"
    return "yellow" if points >= yellow else None


def _lags(loaded: Loaded, as_of: date, filters: Filters) -> Iterator[Lag]:
    alerts = loaded.portfolio.alerts
    yellow, red = alerts.lag_yellow_points, alerts.lag_red_points

    def level(points: float) -> Level | None:
        return lag_level(points, yellow, red)

    for project in loaded.portfolio.projects:
        if not filters.keeps_project(project) or not filters.keeps_owner(project.responsible_unit):
            continue
        quiet = not project.reports and loaded.portfolio.settings.report_every_days is None
        if quiet or finished(project, as_of):  # the cheap test first: it is most projects of an upgraded file
            continue
        row = progress_row(loaded, project, as_of)
        behind = row.progress_lag_points
        if behind is not None and (found := level(behind)) is not None:
            yield Lag("progress_lag", found, row, behind)
        points = row.invest_points
        if points is not None and (found := level(-points)) is not None:
            yield Lag("invest_lag", found, row, -points)
        if row.reports_missed:
            yield Lag("report_missing", "yellow" if row.reports_missed >= 2 else "blue", row, row.reports_missed)


def ledger_day(as_of: date, year: int | None) -> date:
    """The day the ledger is judged on: ``as_of``, or 31 December of an earlier ``--year``.

    A year after the as-of year has no figures yet: a usage error.
    """
    if year is None or year == as_of.year:
        return as_of
    if not EARLIEST.year <= year <= LATEST.year:
        raise UsageError([Problem("year_option_out_of_range", {"year": year, "first": EARLIEST.year,
                                                               "last": LATEST.year})])  # fmt: skip
    if year > as_of.year:
        params: dict[str, object] = {"year": year, "as_of": as_of, "as_of_year": as_of.year}
        raise UsageError([Problem("year_after_as_of", params)])
    return date(year, 12, 31)
