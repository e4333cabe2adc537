"""``sanshi progress``: the PMO's progress ledger (进度台账), one row per project."""

from __future__ import annotations

import functools
from typing import Annotated

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
)
from sanshi_cli.cli.output import OutputOption, choose_output, format_option, write_output
from sanshi_cli.errors import ExitCode

FORMATS = ("table", "json", "csv", "markdown", "xlsx")
FormatOption = Annotated[str | None, format_option(FORMATS)]


def progress(
    file: FileOption = None,
    as_of: AsOfOption = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            metavar="YYYY",
            help="The ledger of this year; a past year is shown as of its 31 December. Default: the as-of year.",
            show_default=False,
        ),
    ] = None,
    project: ProjectOption = None,
    unit: UnitOption = None,
    leader: LeaderOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
    wide: WideOption = False,
) -> None:
    """Reported 形象进度 against plan, investment against the annual plan and 序时, reports owed.

    The unit filter keeps the projects a unit leads or is responsible for.

    Example: sanshi progress --as-of 2026-11-27 --format csv -o 进度台账.csv
    """
    from sanshi_cli.i18n import label
    from sanshi_cli.progress import ledger_day, progress_rows, time_progress
    from sanshi_cli.rendering_progress import Ledger, render_progress
    from sanshi_cli.status import resolve_filters

    with Run(file, lang, no_cache=no_cache) as run:
        target = choose_output(fmt, output, command="progress", formats=FORMATS, reads=run.inputs())
        loaded = run.load()
        day = ledger_day(run.as_of(as_of), year)
        filters = resolve_filters(loaded, project or (), unit or (), leader or ())
        rows = progress_rows(loaded, day, filters=filters)
        portfolio = loaded.portfolio
        basis = portfolio.settings.time_basis
        ledger = Ledger(
            as_of=day,
            year=day.year,
            time_progress=time_progress(day, day.year, basis),
            time_basis=basis,
            title=portfolio.settings.title or label("default_title", run.lang),
            units=loaded.units,
            people=loaded.people,
            yellow=portfolio.alerts.lag_yellow_points,
            red=portfolio.alerts.lag_red_points,
        )
        render = functools.partial(render_progress, rows, ledger, fmt=target.format, lang=run.lang)
        write_output(target, render, run.console, run.width(wide))
        run.finish(ExitCode.OK)


def register(app: typer.Typer) -> None:
    app.command()(progress)
