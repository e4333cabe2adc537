"""``sanshi collect``: filled sheets back into the project file, with a preview of every change."""

from __future__ import annotations

from typing import Annotated

import typer

from sanshi_cli.cli.common import AsOfOption, FileOption, LangOption, NoCacheOption, Run
from sanshi_cli.errors import ExitCode, Problem


def collect(
    sheets: Annotated[list[str], typer.Argument(metavar="FILE.xlsx…", help="Filled sheets written by `sanshi sheet`.")],
    apply: Annotated[
        bool, typer.Option("--apply", help="Write the changes (all or none). Without it, only the preview.")
    ] = False,
    skip_invalid: Annotated[
        bool,
        typer.Option("--skip-invalid", help="Write the valid changes and list the rest (exit 1) instead of none."),
    ] = False,
    file: FileOption = None,
    as_of: AsOfOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Read filled sheets back: a preview of each row's change, or why it is skipped or invalid.

    With --apply every valid change of every sheet is written in one atomic edit, checked as a
    whole first, or none is. Collecting the same sheets again changes nothing. Exit 0: every row
    valid; 2: a row invalid (nothing written); 1: --skip-invalid left rows out.

    Example: sanshi collect inbox/*.xlsx --as-of 2026-12-04 --apply
    """
    from pathlib import Path

    from sanshi_cli.cli.writes import explained
    from sanshi_cli.collecting import SheetRefused, apply_plan, plan_collect, read_workbook
    from sanshi_cli.i18n import label, message, visible
    from sanshi_cli.portfolio import open_portfolio

    with Run(file, lang, no_cache=no_cache) as run:
        loaded = run.load()
        day = run.as_of(as_of)
        read = []
        refused = []
        for name in sheets:
            try:
                read.append(read_workbook(Path(name), name))
            except SheetRefused as error:
                refused.extend(error.problems)
        plan = plan_collect(loaded, read, day)
        for outcome in plan.outcomes:
            tag = label(f"collect_tag_{outcome.status}", run.lang)
            text = message(outcome.message, run.lang, **outcome.params)
            typer.echo(visible(f"{outcome.where}  {tag}  {text}"))
        run.report(plan.notes, "warning")
        run.report(refused, "error")
        left_out = plan.left_out + len(refused)
        counts = {status: plan.count(status) for status in ("change", "unchanged", "empty", "check", "invalid")}
        typer.echo(message("collect_summary", run.lang, rows=len(plan.outcomes), refused=len(refused), **counts))
        if left_out and not skip_invalid:
            run.report([_problem("collect_nothing_written", left_out)])
            run.finish(ExitCode.INVALID)
        code = ExitCode.ATTENTION if left_out else ExitCode.OK
        if not apply:
            if plan.edits:
                typer.echo(message("collect_preview_only", run.lang))
            run.finish(code)
        if not plan.edits:
            typer.echo(message("collect_nothing_to_write", run.lang))
            run.finish(code)
        opened = open_portfolio(run.path(), display=loaded.path, cache=run.parse_cache())
        with explained(lambda: opened.display):
            change = apply_plan(opened, loaded, read, day, plan)
        typer.echo(change.describe(run.lang))
        if code != ExitCode.OK:
            run.report([_problem("collect_left_out", left_out)], "warning")
        run.finish(code)


def _problem(key: str, count: int) -> Problem:
    return Problem(key, {"count": count})


def register(app: typer.Typer) -> None:
    app.command()(collect)
