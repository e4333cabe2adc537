"""What every command shares: finding and loading the file, today, language, errors, options.

This is the only module (with the command modules) that reads the clock or the environment
and decides exit codes.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Annotated, Literal, NoReturn

import typer

from sanshi_cli.cli.completion import complete_people, complete_projects, complete_units
from sanshi_cli.errors import CalendarError, ExitCode, Problem, SanshiError, UsageError
from sanshi_cli.i18n import Lang, format_problem
from sanshi_cli.loading import Loaded, find_project_file, load_portfolio

if TYPE_CHECKING:
    from rich.console import Console

# -- options shared by every command (same name, same meaning) ------------------------------------

FileOption = Annotated[
    str | None,
    typer.Option(
        "--file",
        "-f",
        help="Project file. Default: $SANSHI_FILE, ./projects.toml, ./data/projects.toml.",
        show_default=False,
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Judge as of this day (YYYY-MM-DD). Default: today in the file's timezone.",
        show_default=False,
    ),
]
LangOption = Annotated[
    Literal["zh", "en"] | None,
    typer.Option(
        "--lang",
        help="Language of labels and messages. Default: the file's `language`.",
        show_default=False,
    ),
]
ProjectOption = Annotated[
    list[str] | None,
    typer.Option(
        "--project",
        "-p",
        help="Only this project (id or name); repeatable.",
        show_default=False,
        autocompletion=complete_projects,
    ),
]
UnitOption = Annotated[
    list[str] | None,
    typer.Option(
        "--unit",
        "-u",
        help="Only milestones this unit is responsible for (id or name); repeatable.",
        show_default=False,
        autocompletion=complete_units,
    ),
]
LeaderOption = Annotated[
    list[str] | None,
    typer.Option(
        "--leader",
        "-l",
        help="Only projects of this lead official (id or name); repeatable.",
        show_default=False,
        autocompletion=complete_people,
    ),
]


PIPED_WIDTH = 160  # a table written to a file or a pipe: wide enough for long project names


def parse_day(value: str, option: str) -> date:
    """A YYYY-MM-DD option value (not the other forms date.fromisoformat reads, such as 2026-W48-5)."""
    from sanshi_cli.periods import parse_day as parse_iso_day

    found = parse_iso_day(value)
    if found is None:
        raise UsageError([Problem("bad_date_option", {"option": option, "value": value})])
    return found


@dataclass
class Run:
    """One command's run: its language, its file, and how it reports problems and ends.

    Used as a context manager: a :class:`SanshiError` inside becomes one line per problem on
    stderr and exit code 2, never a traceback.
    """

    file: str | None = None
    lang_option: Lang | None = None
    lang: Lang = "zh"
    loaded: Loaded | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.lang = self.lang_option or _env_lang() or "zh"

    def __enter__(self) -> Run:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if isinstance(error, SanshiError):
            problems = error.problems
            if isinstance(error, CalendarError) and self.loaded is not None:
                # strict = true and a year with no data: the fix goes into the file, so name it
                problems = [replace(p, path=p.path or self.loaded.path) for p in problems]
            self.report(problems)
            raise typer.Exit(ExitCode.INVALID)

    # -- loading --------------------------------------------------------------------------------

    def path(self) -> Path:
        return find_project_file(self.file, os.environ, Path.cwd())

    def load(self) -> Loaded:
        """Find and load the project file; its ``language`` applies unless --lang was given."""
        path = self.path()
        display = _short(path)
        try:
            loaded = load_portfolio(path, display)
        except SanshiError as error:
            if self.lang_option is None:
                from sanshi_cli.loading import sniff_language

                with contextlib.suppress(OSError):
                    self.lang = sniff_language(path.read_text("utf-8", errors="replace"))
            raise error from None
        if self.lang_option is None:
            self.lang = loaded.lang
        self.loaded = loaded
        return loaded

    def as_of(self, value: str | None) -> date:
        """``--as-of``, else today in the file's timezone (the one place the clock is read)."""
        if value:
            return parse_day(value, "--as-of")
        from zoneinfo import ZoneInfo

        timezone = self.loaded.portfolio.settings.timezone if self.loaded else "Asia/Shanghai"
        return datetime.now(ZoneInfo(timezone)).date()

    # -- reporting ------------------------------------------------------------------------------

    def report(self, problems: list[Problem], severity: str = "error") -> None:
        for problem in problems:
            sys.stderr.write(format_problem(problem, self.lang, severity) + "\n")

    def warn_calendar(self) -> None:
        """One warning per year whose working days were guessed (no holiday data)."""
        if self.loaded is None:
            return
        path = self.loaded.path
        for year in sorted(self.loaded.calendar.uncovered):
            self.report([Problem("uncovered_year", {"year": year}, path=path)], "warning")

    def console(self) -> Console:
        """The one rich console of this run, on stdout.

        A terminal gets its own width; a pipe or a file gets room for a whole row (rich would
        fold the table to 80 columns), unless COLUMNS says otherwise.
        """
        from sanshi_cli.rendering import make_console

        piped = not sys.stdout.isatty() and not os.environ.get("COLUMNS")
        return make_console(sys.stdout, width=PIPED_WIDTH if piped else None)

    def finish(self, code: ExitCode = ExitCode.OK) -> NoReturn:
        self.warn_calendar()
        sys.stdout.flush()
        raise typer.Exit(int(code))


def _short(path: Path) -> str:
    """The path as the user would write it: relative when it lies under the current folder."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _env_lang() -> Lang | None:
    value = os.environ.get("SANSHI_LANG", "").strip().lower()
    if value in ("zh", "en"):
        return value  # type: ignore[return-value]
    return None
