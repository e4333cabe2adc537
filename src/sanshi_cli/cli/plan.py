"""``sanshi plan``: monthly and weekly nodes (节点清单) with deadlines, targets and progress."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import typer

from sanshi_cli.cli.common import (
    PIPED_WIDTH,
    AsOfOption,
    FileOption,
    LangOption,
    LeaderOption,
    ProjectOption,
    Run,
    UnitOption,
)
from sanshi_cli.errors import ExitCode, Problem, SanshiError, UsageError
from sanshi_cli.planning import parse_bound


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
            min=1,
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
    fmt: Annotated[
        Literal["table", "json", "csv", "markdown", "toml", "ics"], typer.Option("--format", help="Output format.")
    ] = "table",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to this file (atomically) instead of standard output.",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Break every project into monthly or weekly nodes, each with its deadline (节点时限).

    A node's deadline is the last working day inside it on the PRC calendar; its planned
    progress is linear in working days (or through the milestones' `progress` points).

    Example: sanshi plan --weekly --as-of 2026-11-27 --unit jsj --format markdown -o 周清单.md
    """
    from sanshi_cli.i18n import label
    from sanshi_cli.planning import Window, default_window, plan_nodes
    from sanshi_cli.rendering_plan import render_plan
    from sanshi_cli.status import resolve_filters

    with Run(file, lang) as run:
        loaded = run.load()
        day = run.as_of(as_of)
        cadence: Literal["weekly", "monthly"] = "weekly" if weekly and not monthly else "monthly"
        first = _bound(start, "--from", is_end=False)
        last = _bound(end, "--to", is_end=True)
        if first and last and first > last:
            raise UsageError([Problem("from_after_to", {"start": first, "end": last})])
        count = periods or (4 if cadence == "weekly" else 3)
        window = Window() if show_all else default_window(day, cadence, count, first, last)
        filters = resolve_filters(loaded, project or (), unit or (), leader or ())
        nodes = plan_nodes(loaded, day, cadence, window, filters=filters)
        title = loaded.portfolio.settings.title or label("default_title", run.lang)
        render = functools.partial(
            render_plan,
            nodes,
            as_of=day,
            cadence=cadence,
            fmt=fmt,
            lang=run.lang,
            title=title,
            units={u.id: u.name for u in loaded.portfolio.units},
            people={p.id: p.name for p in loaded.portfolio.people},
        )
        if output is None:
            render(out=sys.stdout, console=run.console() if fmt == "table" else None)
        else:
            _write_file(output, fmt, render)
        run.finish(ExitCode.OK)


def _bound(value: str | None, option: str, *, is_end: bool) -> date | None:
    if value is None:
        return None
    found = parse_bound(value, is_end=is_end)
    if found is None:
        raise UsageError([Problem("bad_bound", {"option": option, "value": value})])
    return found


def _write_file(path: Path, fmt: str, render: Callable[..., int]) -> None:
    """Write the plan to ``path`` atomically: the old file survives any failure."""
    from sanshi_cli.files import atomic_writer
    from sanshi_cli.rendering import make_console

    # Excel opens a CSV as UTF-8 only when it starts with a BOM.
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    try:
        with atomic_writer(path, encoding=encoding, newline="") as handle:
            console = make_console(handle, width=PIPED_WIDTH) if fmt == "table" else None
            render(out=handle, console=console)
    except OSError as error:
        reason = error.strerror or str(error)
        raise SanshiError([Problem("cannot_write", {"path": str(path), "reason": reason})]) from None


def register(app: typer.Typer) -> None:
    app.command()(plan)
