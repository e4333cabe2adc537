"""``sanshi status``: what is late (红灯/黄灯) or due soon (蓝色提醒)."""

from __future__ import annotations

import functools
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
)
from sanshi_cli.cli.output import OutputOption, choose_output, format_option, write_output
from sanshi_cli.errors import ExitCode

FORMATS = ("table", "json", "csv", "markdown", "xlsx")
FormatOption = Annotated[str | None, format_option(FORMATS)]


def status(
    file: FileOption = None,
    as_of: AsOfOption = None,
    project: ProjectOption = None,
    unit: UnitOption = None,
    leader: LeaderOption = None,
    show_all: Annotated[
        bool,
        typer.Option("--all", "-a", help="Every milestone, done ones included (done late marked)."),
    ] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    fail_on: Annotated[
        Literal["red", "yellow", "blue"] | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when anything at or above this level is listed.",
            show_default=False,
        ),
    ] = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
    wide: WideOption = False,
) -> None:
    """List milestones that are overdue (red/yellow) or due within a few working days (blue),
    and projects behind plan on progress or investment or late with their reports.

    Example: sanshi status --as-of 2026-11-27 --unit 建设局 --fail-on red -o 状态.csv
    """
    from sanshi_cli.rendering import render_status
    from sanshi_cli.status import fails_on, find_items, resolve_filters

    with Run(file, lang, no_cache=no_cache) as run:
        target = choose_output(fmt, output, command="status", formats=FORMATS, reads=run.inputs())
        loaded = run.load()
        day = run.as_of(as_of)
        filters = resolve_filters(loaded, project or (), unit or (), leader or ())
        items = find_items(loaded, day, filters=filters, include_all=show_all)
        settings = loaded.portfolio.settings
        from sanshi_cli.i18n import label

        render = functools.partial(
            render_status,
            items,
            as_of=day,
            fmt=target.format,
            lang=run.lang,
            title=settings.title or label("default_title", run.lang),
            include_all=show_all,
            units=loaded.units,
        )
        write_output(target, render, run.console, run.width(wide))
        run.finish(ExitCode.ATTENTION if fails_on(items, fail_on) else ExitCode.OK)


def register(app: typer.Typer) -> None:
    app.command()(status)
