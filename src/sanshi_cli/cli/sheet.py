"""``sanshi sheet``: one fill-in workbook (周报/月报) per responsible unit, for the period holding the as-of day."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sanshi_cli.cli.common import AsOfOption, FileOption, LangOption, NoCacheOption, Run, UnitOption
from sanshi_cli.errors import ExitCode


def sheet(
    weekly: Annotated[bool, typer.Option("--weekly", help="The ISO week holding the as-of day (the default).")] = False,
    monthly: Annotated[bool, typer.Option("--monthly", help="The calendar month holding the as-of day.")] = False,
    unit: UnitOption = None,
    folder: Annotated[
        str | None,
        typer.Option(
            "--dir", metavar="DIR", help="Where the sheets go. Default: the current folder.", show_default=False
        ),
    ] = None,
    file: FileOption = None,
    as_of: AsOfOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Write one .xlsx per responsible unit to fill in (周报, or 月报 with --monthly); prints their paths.

    Each sheet lists the unit's milestones due in the period and its overdue ones, its open
    problems, and one report row per project it is responsible for. Send them out, collect the
    filled ones back with `sanshi collect`.

    Example: sanshi sheet --as-of 2026-12-02 --dir out/ -u jsj
    """
    from sanshi_cli.errors import Problem, UsageError
    from sanshi_cli.files import cannot_write, write_atomic
    from sanshi_cli.sheets import period_for, sheet_name, sheet_rows, units_with_rows, write_sheet
    from sanshi_cli.status import resolve_filters

    with Run(file, lang, no_cache=no_cache) as run:
        if weekly and monthly:
            raise UsageError([Problem("sheet_weekly_and_monthly")])
        loaded = run.load()
        day = run.as_of(as_of)
        period = period_for(loaded, day, "monthly" if monthly else "weekly")
        if unit:
            chosen = resolve_filters(loaded, (), unit, ()).units
            units = [u.id for u in loaded.portfolio.units if u.id in chosen]
        else:
            units = units_with_rows(loaded, period, day)
        target = Path(folder) if folder else Path()
        if folder:
            try:
                target.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise cannot_write(target, error) from None
        import io

        for ident in units:
            rows = sheet_rows(loaded, ident, period, day, run.lang)
            buffer = io.BytesIO()
            write_sheet(buffer, loaded, ident, period, rows, as_of=day, lang=run.lang)
            path = target / sheet_name(ident, period)
            try:
                write_atomic(path, buffer.getvalue())
            except OSError as error:
                raise cannot_write(path, error) from None
            typer.echo(str(path))
        run.finish(ExitCode.OK)


def register(app: typer.Typer) -> None:
    app.command()(sheet)
