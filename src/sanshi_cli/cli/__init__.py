"""The ``sanshi`` command line: Typer wiring over the library; one module per command.

This module itself stays small, for start-up: :func:`main` answers ``sanshi --version``
before Typer is imported, and the Typer app (:mod:`sanshi_cli.cli.root`) is imported on the
first use of ``sanshi_cli.cli.app``.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sanshi_cli.cli.root import app as app


def __getattr__(name: str) -> Any:
    if name == "app":
        from sanshi_cli.cli.root import app

        return app
    raise AttributeError(f"module 'sanshi_cli.cli' has no attribute {name!r}")


def main() -> None:
    """Entry point of the ``sanshi`` console script."""
    # A short-lived process that builds a few hundred thousand objects and frees them at
    # exit: the cyclic collector's repeated passes over them cost a third of a large run,
    # and freeing them one by one at exit another half second; neither is needed.
    gc.disable()
    code: int = 0
    try:
        if sys.argv[1:] == ["--version"]:
            # What the root's eager --version option prints, without importing Typer (0.05 s).
            from sanshi_cli import __version__

            sys.stdout.write(f"sanshi {__version__}\n")
        else:
            code = _run_app()
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


def _run_app() -> int:
    """Run the command line ``sys.argv``; its exit code."""
    from sanshi_cli.cli.root import run
    from sanshi_cli.errors import ExitCode

    try:
        run(sys.argv[1:])
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else int(ExitCode.INTERNAL))
    return int(ExitCode.OK)
