"""The ``sanshi`` command line: Typer wiring over the library; one module per command."""

from __future__ import annotations

import gc
import os
import sys
from typing import Annotated

import typer

from sanshi_cli import __version__

app = typer.Typer(
    name="sanshi",
    help="Keep key construction projects (三十工程) on schedule on the PRC working calendar.",
    # A bare `sanshi` prints the help and exits 0 (see _root), not click's usage error (exit 2).
    invoke_without_command=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sanshi {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Keep key construction projects (三十工程) on schedule on the PRC working calendar.

    Example: sanshi status --as-of 2026-11-27
    """
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)


def _register() -> None:
    from sanshi_cli.cli import alert, check, init, plan, status

    status.register(app)
    plan.register(app)
    check.register(app)
    alert.register(app)
    init.register(app)


_register()


def main() -> None:
    """Entry point of the ``sanshi`` console script."""
    # A short-lived process that builds a few hundred thousand objects and frees them at
    # exit: the cyclic collector's repeated passes over them cost a third of a large run,
    # and freeing them one by one at exit another half second; neither is needed.
    gc.disable()
    code: int = 0
    try:
        app()
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except BrokenPipeError:
        # `sanshi status | head`: the reader left; that is not an error worth a traceback.
        code = 0
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    # Every file sanshi writes is complete and renamed into place before this point.
    os._exit(code)
