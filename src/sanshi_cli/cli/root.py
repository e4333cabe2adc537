"""The Typer app of ``sanshi``: the root command, where every outcome becomes its exit code.

Imported by :func:`sanshi_cli.cli.main` once it knows that Typer is needed (not for ``--version``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer._click.core import Context
from typer.core import TyperGroup

from sanshi_cli import __version__
from sanshi_cli.cli.common import UnknownCommand, guess_lang, report_internal_error, usage_problem
from sanshi_cli.errors import ExitCode, SanshiError
from sanshi_cli.i18n import format_problem


class _Sanshi(TyperGroup):
    """The root command, where every outcome becomes its exit code (:class:`ExitCode`), in one place.

    Commands end with ``typer.Exit(code)`` (their own outcome: 0, 1 or 2). Here: a mistake on
    the command line is one line in the user's language and 2; a reader that leaves early is 0;
    anything else that escapes is a bug, 3, with its traceback in a log file.
    """

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        from typer._click.exceptions import NoArgsIsHelpError
        from typer._click.exceptions import UsageError as CommandLineError

        argv = list(sys.argv[1:] if args is None else args)
        code: int
        try:
            result = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
            code = result if isinstance(result, int) else ExitCode.OK
        except NoArgsIsHelpError as error:  # a bare `sanshi`: the help, which is no mistake
            typer.echo(error.format_message())
            code = ExitCode.OK
        except (CommandLineError, UnknownCommand) as error:
            sys.stderr.write(format_problem(usage_problem(error, argv), guess_lang(argv)) + "\n")
            code = ExitCode.INVALID
        except SanshiError as error:  # the user's mistake, found outside a command's Run
            lang = guess_lang(argv)
            sys.stderr.writelines(format_problem(problem, lang) + "\n" for problem in error.problems)
            code = ExitCode.INVALID
        except typer.Abort:
            code = 130  # interrupted at a prompt, as Ctrl-C
        except Exception as error:  # a bug: never exit 1, which cron reads as "something is late"
            report_internal_error(error, argv)
            code = ExitCode.INTERNAL
        if not standalone_mode:
            return int(code)
        sys.exit(int(code))

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # `sanshi plan --all --format csv | head -1`: the reader left; no message, exit 0.
            _silence_stdout()
            raise typer.Exit(ExitCode.OK) from None

    def resolve_command(self, ctx: Context, args: list[str]) -> Any:
        name = args[0] if args else None
        if name and not name.startswith("-") and self.get_command(ctx, name) is None and not ctx.resilient_parsing:
            raise UnknownCommand(name, sorted(self.list_commands(ctx)))
        return super().resolve_command(ctx, args)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the flushes still to come cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test's buffer): nothing will flush to a closed pipe


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sanshi {__version__}")
        raise typer.Exit()


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


# The commands, in the order of `sanshi --help`.
COMMANDS = (
    "status",
    "plan",
    "progress",
    "bulletin",
    "check",
    "alert",
    "init",
    "import",
    "done",
    "report",
    "problem",
    "sheet",
    "collect",
)
# A command whose module has another name (``import`` is a Python keyword).
MODULES = {"import": "importing"}

if TYPE_CHECKING:
    app: typer.Typer  # every command: what `sanshi_cli.cli.app` is


def __getattr__(name: str) -> Any:
    if name == "app":
        built = globals()["app"] = make_app()
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def make_app(only: str | None = None) -> typer.Typer:
    """The Typer app with every command, or with the command ``only``.

    A run of one command builds only that command's options: Typer reads the signature of
    every command it is given on every run (0.01 s for all eight).
    """
    built = typer.Typer(
        name="sanshi",
        cls=_Sanshi,
        help="Keep key construction projects (三十工程) on schedule on the PRC working calendar.",
        # A bare `sanshi` prints the help and exits 0 (see _root), not click's usage error (exit 2).
        invoke_without_command=True,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    built.callback()(_root)
    for name in COMMANDS if only is None else (only,):
        import_module(f"sanshi_cli.cli.{MODULES.get(name, name)}").register(built)
    return built


def run(args: list[str]) -> None:
    """Run ``sanshi args``: with only the command named first, when it is one (not for --help of all)."""
    make_app(args[0] if args and args[0] in COMMANDS else None)()
