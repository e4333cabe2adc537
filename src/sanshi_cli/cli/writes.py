"""What the writing commands (``done``, ``report``) share: options, and how a change is shown."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from sanshi_cli.errors import Problem

if TYPE_CHECKING:
    from sanshi_cli.cli.common import Run
    from sanshi_cli.portfolio import Change

DryRunOption = Annotated[
    bool,
    typer.Option("--dry-run", help="Print the change as a unified diff of the file and write nothing."),
]
OnOption = Annotated[
    str | None,
    typer.Option(
        "--on",
        metavar="YYYY-MM-DD",
        help="The day it happened. Default: the as-of day (today in the file's timezone).",
        show_default=False,
    ),
]


@contextmanager
def explained(display: Callable[[], str]) -> Iterator[None]:
    """An edit the file would not survive: one line saying nothing was written, then the problems."""
    from sanshi_cli.writing import NotWritten

    try:
        yield
    except NotWritten as error:
        raise NotWritten([Problem("not_written", {"path": display()}), *error.problems]) from None


def show(run: Run, change: Change, dry_run: bool) -> None:
    """Warnings on stderr; the diff (with --dry-run) and the one line saying what changed on stdout."""
    from sanshi_cli.i18n import message

    run.report(change.warnings, "warning")
    if dry_run and change.changed:
        sys.stdout.write(change.diff())
        typer.echo(message("dry_run_done", run.lang, path=change.path))
        return
    typer.echo(change.describe(run.lang))
