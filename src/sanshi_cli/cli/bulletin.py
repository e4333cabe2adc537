"""``sanshi bulletin``: the monthly bulletin (月通报) or weekly dispatch (周调度) of a period."""

from __future__ import annotations

from typing import IO, Annotated, Any

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
)
from sanshi_cli.cli.output import OutputOption, choose_output, format_option, write_output
from sanshi_cli.errors import ExitCode

FORMATS = ("markdown", "html", "xlsx", "json")
FILE_ONLY = ("html", "xlsx")  # a page with charts and a workbook are files, never printed
FormatOption = Annotated[str | None, format_option(FORMATS)]


def bulletin(
    month: Annotated[
        str | None,
        typer.Option("--month", metavar="YYYY-MM", help="The bulletin of this month.", show_default=False),
    ] = None,
    week: Annotated[
        str | None,
        typer.Option("--week", metavar="YYYY-Www", help="The dispatch of this ISO week.", show_default=False),
    ] = None,
    weekly: Annotated[
        bool,
        typer.Option("--weekly", help="Without --week: the last ISO week completed (default: the last month)."),
    ] = False,
    file: FileOption = None,
    as_of: AsOfOption = None,
    project: ProjectOption = None,
    unit: UnitOption = None,
    leader: LeaderOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """The bulletin of a month (月通报) or ISO week (周调度), judged as of the period's last day.

    Without --month or --week: the last month (with --weekly, ISO week) completed by the as-of
    day. Markdown by default; -o FILE.html gives a page with a Gantt chart and progress bars,
    -o FILE.xlsx a workbook (one sheet per section), --format json the data of every section.
    The unit ranking (section 7) is of the whole file, whatever the filters.

    Example: sanshi bulletin --month 2026-11 -o 月通报-2026-11.html
    """
    from sanshi_cli import rendering_bulletin as views
    from sanshi_cli.bulletin import build_bulletin, resolve_period
    from sanshi_cli.errors import Problem, UsageError
    from sanshi_cli.i18n import label
    from sanshi_cli.status import resolve_filters

    with Run(file, lang, no_cache=no_cache) as run:
        target = choose_output(fmt or "markdown" if output in (None, "-") else fmt, output, command="bulletin",
                               formats=FORMATS, reads=run.inputs())  # fmt: skip
        if target.format == "table":
            target = type(target)("markdown", target.path)
        loaded = run.load()
        period = resolve_period(run.as_of(as_of), month=month, week=week, weekly=weekly)
        if target.format in FILE_ONLY and target.path is None:
            raise UsageError([Problem("bulletin_needs_output", {"format": target.format, "period": period.label})])
        filters = resolve_filters(loaded, project or (), unit or (), leader or ())
        found = build_bulletin(loaded, period, filters=filters)
        title = loaded.portfolio.settings.title or label("default_title", run.lang)
        names = {unit_id: u.name for unit_id, u in loaded.units.items()}

        def render(out: IO[Any], **_: Any) -> None:
            if target.format == "json":
                views.render_json(found, out, run.lang)
            elif target.format == "html":
                views.render_html(found, run.lang, out, title=title, unit_names=names)
            elif target.format == "xlsx":
                views.render_xlsx(found, run.lang, out, title=title, unit_names=names)
            else:
                views.render_markdown(found, run.lang, out, title=title, unit_names=names)

        write_output(target, render, run.console, None)
        run.finish(ExitCode.OK)


def register(app: typer.Typer) -> None:
    app.command()(bulletin)
