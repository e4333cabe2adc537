"""``sanshi report``: append a progress report (进度填报) to a project in the project file."""

from __future__ import annotations

from typing import Annotated

import typer

from sanshi_cli.cli.common import AsOfOption, FileOption, LangOption, Run, parse_day
from sanshi_cli.cli.completion import complete_projects, complete_units
from sanshi_cli.cli.writes import DryRunOption, OnOption, explained, show
from sanshi_cli.errors import ExitCode


def report(
    project: Annotated[
        str,
        typer.Argument(metavar="PROJECT", help="The project: its id or name.", autocompletion=complete_projects),
    ],
    on: OnOption = None,
    progress: Annotated[
        float | None,
        typer.Option(
            "--progress", metavar="PCT", help="形象进度: the project's cumulative % (0-100).", show_default=False
        ),
    ] = None,
    invest: Annotated[
        float | None,
        typer.Option(
            "--invest", metavar="WAN", help="Investment completed since the last report, in 万元.", show_default=False
        ),
    ] = None,
    text: Annotated[
        str | None, typer.Option("--text", metavar="TEXT", help="Progress made (本期进展).", show_default=False)
    ] = None,
    next_: Annotated[
        str | None, typer.Option("--next", metavar="TEXT", help="What comes next (下步计划).", show_default=False)
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="UNIT",
            help="The reporting unit: id, name or short name.",
            show_default=False,
            autocompletion=complete_units,
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Correct the report of the same day: the values given replace its own, the rest stay."
        ),
    ] = False,
    dry_run: DryRunOption = False,
    file: FileOption = None,
    as_of: AsOfOption = None,
    lang: LangOption = None,
) -> None:
    """Append a progress report (进度填报) to a project: 形象进度, investment, words.

    At least one of --progress, --invest, --text. A second report on the same day needs
    --replace. The file is locked, checked and written atomically; the previous version is
    kept as <file>.bak.

    Example: sanshi report civic-center --on 2026-11-27 --progress 35 --invest 1200 --text "完成三层顶板浇筑" --by tzjt
    """
    with Run(file, lang) as run:
        opened = run.open()
        day = run.as_of(as_of)
        when = parse_day(on, "--on") if on else day
        with explained(lambda: opened.display):
            change = opened.add_report(
                project,
                when,
                progress=progress,
                invest=invest,
                text=text,
                next=next_,
                by=by,
                replace=replace,
                as_of=day,
                dry_run=dry_run,
            )
        show(run, change, dry_run)
        run.finish(ExitCode.OK)


def register(app: typer.Typer) -> None:
    app.command()(report)
