"""``sanshi plan``: monthly and weekly nodes (节点清单) with deadlines, targets and progress."""

from __future__ import annotations

import functools
import gc
from datetime import date
from typing import Annotated, Literal

import typer

from sanshi_cli.cli.common import (
    AsOfOption,
    FileOption,
    LangOption,
    LeaderOption,
    NoCacheOption,
    ProjectOption,
    Run,
    UnitOption,
    WideOption,
    check_day_range,
)
from sanshi_cli.cli.output import OutputOption, choose_output, format_option, write_output
from sanshi_cli.errors import ExitCode, Problem, UsageError
from sanshi_cli.i18n import one_line

FORMATS = ("table", "json", "csv", "markdown", "toml", "ics", "xlsx")
FormatOption = Annotated[str | None, format_option(FORMATS)]


def plan(
    file: FileOption = None,
    as_of: AsOfOption = None,
    weekly: Annotated[bool, typer.Option("--weekly", "-w", help="ISO weeks (Monday to Sunday).")] = False,
    monthly: Annotated[bool, typer.Option("--monthly", "-m", help="Calendar months (the default).")] = False,
    periods: Annotated[
        int | None,
        typer.Option(
            "--periods",
            "-n",
            metavar="N",
            help="How many periods from the current one. Default: 4 weeks or 3 months.",
            show_default=False,
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="DAY|MONTH|WEEK",
            help="First day shown: a date, a month (2026-05) or a week (2026-W19).",
            show_default=False,
        ),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="DAY|MONTH|WEEK",
            help="Last day shown: a date, a month (2026-05) or a week (2026-W19).",
            show_default=False,
        ),
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", "-a", help="Each project's whole span.")] = False,
    project: ProjectOption = None,
    unit: UnitOption = None,
    leader: LeaderOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
    wide: WideOption = False,
) -> None:
    """Break every project into monthly or weekly nodes, each with its deadline (节点时限).

    A node's deadline is the last working day inside it on the PRC calendar; its planned
    progress is linear in working days (or through the milestones' `progress` points).

    Example: sanshi plan --weekly --as-of 2026-11-27 --unit jsj --format markdown -o 周清单.md
    """
    from sanshi_cli.i18n import label
    from sanshi_cli.planning import Window, default_window, plan_periods
    from sanshi_cli.rendering_plan import render_plan
    from sanshi_cli.status import resolve_filters

    with Run(file, lang, no_cache=no_cache) as run:
        _check_usage(weekly=weekly, monthly=monthly, show_all=show_all, periods=periods)
        target = choose_output(fmt, output, command="plan", formats=FORMATS, reads=run.inputs())
        loaded = run.load()
        day = run.as_of(as_of)
        cadence: Literal["weekly", "monthly"] = "weekly" if weekly else "monthly"
        first = _bound(start, "--from", is_end=False)
        last = _bound(end, "--to", is_end=True)
        if first and last and first > last:
            raise UsageError([Problem("from_after_to", {"start": first, "end": last})])
        count = periods or (4 if cadence == "weekly" else 3)
        window = Window() if show_all else default_window(day, cadence, count, first, last)
        filters = resolve_filters(loaded, project or (), unit or (), leader or ())
        plan = plan_periods(loaded, day, cadence, window, filters=filters)
        title = loaded.portfolio.settings.title or label("default_title", run.lang)
        render = functools.partial(
            render_plan,
            plan,
            as_of=day,
            cadence=cadence,
            fmt=target.format,
            lang=run.lang,
            title=title,
            units={u.id: u.name for u in loaded.portfolio.units},
            people={p.id: p.name for p in loaded.portfolio.people},
            short={u.id: u.short for u in loaded.portfolio.units if u.short},
        )
        # A large plan is hundreds of thousands of short-lived nodes and no reference cycle: the
        # cyclic collector would only walk each period's nodes again and again (a sixth of the time).
        collecting = gc.isenabled()
        gc.disable()
        try:
            write_output(target, render, run.console, run.width(wide))
        finally:
            if collecting:
                gc.enable()
        run.finish(ExitCode.OK)


def _check_usage(*, weekly: bool, monthly: bool, show_all: bool, periods: int | None) -> None:
    """Options that cannot go together, or a count of periods that means nothing."""
    problems: list[Problem] = []
    if weekly and monthly:
        problems.append(Problem("weekly_and_monthly"))
    if show_all and periods is not None:
        problems.append(Problem("all_with_periods"))
    elif periods is not None and periods < 1:
        problems.append(Problem("bad_periods", {"value": periods}))
    if problems:
        raise UsageError(problems)


def _bound(value: str | None, option: str, *, is_end: bool) -> date | None:
    if value is None:
        return None
    from sanshi_cli.planning import parse_bound

    found = parse_bound(value, is_end=is_end)
    if found is None:
        raise UsageError([Problem("bad_bound", {"option": option, "value": one_line(value)})])
    return check_day_range(found, option, value)


def register(app: typer.Typer) -> None:
    app.command()(plan)
