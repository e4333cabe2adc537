"""``sanshi done``: record that a milestone was delivered (交账), in the project file itself."""

from __future__ import annotations

from typing import Annotated

import typer

from sanshi_cli.cli.common import AsOfOption, FileOption, LangOption, Run, parse_day
from sanshi_cli.cli.completion import complete_projects
from sanshi_cli.cli.writes import DryRunOption, OnOption, explained, show
from sanshi_cli.errors import ExitCode


def done(
    project: Annotated[
        str,
        typer.Argument(metavar="PROJECT", help="The project: its id or name.", autocompletion=complete_projects),
    ],
    milestone: Annotated[str, typer.Argument(metavar="MILESTONE", help="The milestone: its id or name.")],
    on: OnOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Record the date over a different one already recorded.")
    ] = False,
    undo: Annotated[bool, typer.Option("--undo", help="Remove the recorded delivery date.")] = False,
    dry_run: DryRunOption = False,
    file: FileOption = None,
    as_of: AsOfOption = None,
    lang: LangOption = None,
) -> None:
    """Record that a milestone was delivered (交账): sets its `done` date in the project file.

    Only that line of the file changes; the file is locked, checked and written atomically,
    and the previous version is kept as <file>.bak.

    Example: sanshi done civic-center topping-out --on 2026-11-27
    """
    with Run(file, lang) as run:
        opened = run.open()
        day = run.as_of(as_of)
        when = parse_day(on, "--on") if on else day
        with explained(lambda: opened.display):
            change = opened.mark_done(project, milestone, when, force=force, undo=undo, as_of=day, dry_run=dry_run)
        show(run, change, dry_run)
        run.finish(ExitCode.OK)


def register(app: typer.Typer) -> None:
    app.command()(done)
