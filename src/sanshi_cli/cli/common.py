"""What every command shares: finding and loading the file, today, language, errors, options.

This is the only module (with the command modules) that reads the clock or the environment
and decides exit codes.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import sys
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Annotated, Literal, NoReturn

import typer

from sanshi_cli.cli.completion import complete_people, complete_projects, complete_units
from sanshi_cli.errors import CalendarError, ExitCode, Problem, SanshiError, UsageError
from sanshi_cli.i18n import Lang, format_problem, one_line

if TYPE_CHECKING:
    from rich.console import Console

    from sanshi_cli.caching import ParseCache
    from sanshi_cli.loading import Loaded
    from sanshi_cli.portfolio import PortfolioFile

# -- options shared by every command (same name, same meaning) ------------------------------------

FileOption = Annotated[
    str | None,
    typer.Option(
        "--file",
        "-f",
        metavar="FILE",
        help="Project file. Default: $SANSHI_FILE, ./projects.toml, ./data/projects.toml.",
        show_default=False,
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
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
        metavar="ID",
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
        metavar="ID",
        help="Only milestones this unit is responsible for (id, name or short name); repeatable.",
        show_default=False,
        autocompletion=complete_units,
    ),
]
LeaderOption = Annotated[
    list[str] | None,
    typer.Option(
        "--leader",
        "-l",
        metavar="ID",
        help="Only projects of this lead official (id, name or short name); repeatable.",
        show_default=False,
        autocompletion=complete_people,
    ),
]
NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Read the file in full, without the parse cache (also: SANSHI_NO_CACHE=1).",
    ),
]


WideOption = Annotated[
    bool,
    typer.Option("--wide", help="The full table, unwrapped, whatever the width (for a pager: | less -S)."),
]


def parse_day(value: str, option: str) -> date:
    """A YYYY-MM-DD option value (not the other forms date.fromisoformat reads, such as 2026-W48-5)."""
    from sanshi_cli.periods import parse_day as parse_iso_day

    found = parse_iso_day(value)
    if found is None:
        raise UsageError([Problem("bad_date_option", {"option": option, "value": one_line(value)})])
    return check_day_range(found, option, value)


def check_day_range(day: date, option: str, value: str) -> date:
    """``day`` when it lies in the years a project file may hold (1990–2199), else a usage error."""
    from sanshi_cli.scheduling import EARLIEST, LATEST

    if not EARLIEST <= day <= LATEST:
        params: dict[str, object] = {"option": option, "value": one_line(value), "first": EARLIEST, "last": LATEST}
        raise UsageError([Problem("date_option_out_of_range", params)])
    return day


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
    _lang_known: bool = field(default=False, repr=False)
    _display: str | None = field(default=None, repr=False)  # the file being loaded, as the user names it
    _timezone: str | None = field(default=None, repr=False)  # the file's, when it was opened, not loaded
    no_cache: bool = field(default=False, kw_only=True)  # --no-cache

    def __post_init__(self) -> None:
        self.lang = resolve_lang(self.lang_option, None)
        self._lang_known = self.lang_option is not None

    def __enter__(self) -> Run:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if isinstance(error, SanshiError):
            if not self._lang_known:  # a mistake found before the file was loaded: in its language
                self.lang = guess_lang(["--file", self.file] if self.file else [])
            problems = error.problems
            if isinstance(error, CalendarError) and self._display is not None:
                # strict = true and a year with no data (found while loading or later): the fix
                # goes into the file, so name it
                problems = [replace(p, path=p.path or self._display) for p in problems]
            self.report(problems)
            raise typer.Exit(int(error.exit_code))

    # -- loading --------------------------------------------------------------------------------

    def path(self) -> Path:
        from sanshi_cli.files import find_project_file

        return find_project_file(self.file, os.environ, Path.cwd())

    def inputs(self) -> list[Path]:
        """The files this run will read, as far as they can be found yet (for ``-o`` checks)."""
        try:
            return [Path(_short(self.path()))]
        except SanshiError:
            return []

    def load(self) -> Loaded:
        """Find and load the project file; its ``language`` applies unless --lang was given."""
        from sanshi_cli.loading import load_portfolio

        path = self.path()
        display = self._display = _short(path)
        cache = self.parse_cache()
        try:
            loaded = cache.load(path, display) if cache is not None else load_portfolio(path, display)
        except SanshiError as error:
            if self.lang_option is None:
                from sanshi_cli.files import read_capped, sniff_language

                with contextlib.suppress(OSError):  # never a FIFO or a device: the head of a file
                    head = read_capped(path, 65536, head=True).decode("utf-8", errors="replace")
                    self.lang = resolve_lang(None, sniff_language(head))
            self._lang_known = True
            raise error from None
        self.lang = resolve_lang(self.lang_option, loaded.portfolio.settings.language)
        self._lang_known = True
        self.loaded = loaded
        # The portfolio lives until the command ends: keep its objects (a million on 10,000
        # projects) out of the garbage collector's later walks, each of which would visit them all.
        gc.freeze()
        return loaded

    def open(self) -> PortfolioFile:
        """Find the project file and open it for writing: only its settings are read now.

        The file's ``language`` and ``timezone`` apply as after :meth:`load`; the writing
        command validates the whole file once, after its edit.
        """
        from sanshi_cli.portfolio import PortfolioFile

        path = self.path()
        display = self._display = _short(path)
        opened = PortfolioFile(path, display, cache=self.parse_cache())
        try:
            settings = opened.settings
        except SanshiError as error:
            if self.lang_option is None:
                self.lang = guess_lang(["--file", str(path)])
            self._lang_known = True
            raise error from None
        self.lang = resolve_lang(self.lang_option, settings.language)
        self._lang_known = True
        self._timezone = settings.timezone
        return opened

    def parse_cache(self) -> ParseCache | None:
        """The parse cache: ``$SANSHI_CACHE_DIR``, else the user's cache folder; None when it is off
        (``--no-cache``, ``SANSHI_NO_CACHE=1``)."""
        if self.no_cache or os.environ.get("SANSHI_NO_CACHE", "").strip() not in ("", "0"):
            return None
        from sanshi_cli.caching import ParseCache

        folder = os.environ.get("SANSHI_CACHE_DIR", "").strip()
        if folder:
            return ParseCache(Path(folder))
        from platformdirs import user_cache_path

        return ParseCache(user_cache_path("sanshi", appauthor=False))

    def as_of(self, value: str | None) -> date:
        """``--as-of``, else today in the file's timezone (the one place the clock is read)."""
        if value:
            return parse_day(value, "--as-of")
        from zoneinfo import ZoneInfo

        timezone = self.loaded.portfolio.settings.timezone if self.loaded else self._timezone or "Asia/Shanghai"
        try:
            zone = ZoneInfo(timezone)
        except (ValueError, KeyError, OSError):  # a bad timezone: the validation of the file names it
            zone = ZoneInfo("Asia/Shanghai")
        return datetime.now(zone).date()

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

    def console(self) -> Console | None:
        """The one rich console of this run, on a terminal (colour unless NO_COLOR).

        None for a file or a pipe: tables are written there as plain text, without loading rich.
        """
        if not sys.stdout.isatty():
            return None
        from sanshi_cli.rendering import make_console

        return make_console(sys.stdout)

    def width(self, wide: bool = False) -> int | None:
        """The width tables fit: a terminal's own, else ``COLUMNS``; ``None`` (the wide layout,
        unwrapped) for a file or a pipe without ``COLUMNS``, and with ``--wide``."""
        if wide:
            return None
        if sys.stdout.isatty():
            with contextlib.suppress(OSError, ValueError):
                return os.get_terminal_size(sys.stdout.fileno()).columns
        return columns_from(os.environ.get("COLUMNS"))

    def finish(self, code: ExitCode = ExitCode.OK) -> NoReturn:
        self.warn_calendar()
        sys.stdout.flush()
        raise typer.Exit(int(code))


def columns_from(value: str | None) -> int | None:
    """``COLUMNS`` as a width, when it is a positive number."""
    try:
        columns = int(value or "")
    except ValueError:
        return None
    return columns if columns > 0 else None


def _short(path: Path) -> str:
    """The path as the user would write it: relative when it lies under the current folder."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python < 3.13)
        return str(path)


def _env_lang() -> Lang | None:
    value = os.environ.get("SANSHI_LANG", "").strip().lower()
    if value in ("zh", "en"):
        return value  # type: ignore[return-value]
    return None


# -- language and outcomes outside a Run: usage errors and internal errors ---------------------


def resolve_lang(option: str | None, file_lang: Lang | None) -> Lang:
    """``--lang``, else the file's ``language``, else ``$SANSHI_LANG``, else Chinese."""
    if option in ("zh", "en"):
        return option  # type: ignore[return-value]
    return file_lang or _env_lang() or "zh"


def guess_lang(args: list[str]) -> Lang:
    """The language of a run whose options could not be parsed: read cheaply from the raw arguments."""
    from sanshi_cli.files import find_project_file, read_capped, sniff_language

    option: str | None = None
    file: str | None = None
    for i, arg in enumerate(args):
        following = args[i + 1] if i + 1 < len(args) else None
        if arg == "--lang":
            option = following
        elif arg.startswith("--lang="):
            option = arg.partition("=")[2]
        elif arg in ("-f", "--file"):
            file = following
        elif arg.startswith("--file="):
            file = arg.partition("=")[2]
    if option in ("zh", "en"):
        return resolve_lang(option, None)
    file_lang: Lang | None = None
    with contextlib.suppress(SanshiError, OSError, ValueError):
        path = find_project_file(file, os.environ, Path.cwd())
        # the language is near the top: never read a huge file whole, nor a FIFO or a device at all
        head = read_capped(path, 65536, head=True)
        file_lang = sniff_language(head.decode("utf-8", errors="replace"))
    return resolve_lang(None, file_lang)


def usage_problem(error: Exception, args: list[str]) -> Problem:
    """A command-line mistake (Typer's own error) as one problem: which option, what is allowed."""
    from typer._click.exceptions import BadOptionUsage, BadParameter, MissingParameter, NoSuchOption

    from sanshi_cli.errors import Msg
    from sanshi_cli.i18n import one_line

    command = _command_path(error, args)
    if isinstance(error, UnknownCommand):
        hint = _nearest(error.name, error.choices)
        choices = " | ".join(error.choices)
        return Problem("unknown_command", {"value": one_line(error.name), "hint": hint, "choices": choices})
    if isinstance(error, NoSuchOption):
        hint = _nearest(error.option_name, list(error.possibilities or []))
        return Problem("unknown_option", {"option": one_line(error.option_name), "hint": hint, "command": command})
    if isinstance(error, MissingParameter) and error.param is not None:
        # `sanshi done` without its MILESTONE, `sanshi problem extend ID` without --due
        param = error.param
        option = getattr(param, "param_type_name", "") == "option" and param.opts
        name = max(param.opts, key=len) if option else str(param.human_readable_name)
        return Problem("missing_argument", {"name": one_line(name), "command": command})
    if isinstance(error, BadOptionUsage) and "requires" in error.message:
        return Problem("option_needs_value", {"option": error.option_name, "command": command})
    if isinstance(error, BadParameter) and error.param is not None:
        names = [o for o in error.param.opts if o.startswith("--")] or list(error.param.opts) or [str(error.param.name)]
        cause = error.__cause__
        if cause is not None and hasattr(cause, "errors"):  # Typer 0.29 checks a value with pydantic
            from sanshi_cli.loading import pydantic_detail

            first = cause.errors(include_url=False)[0]
            value = one_line(str(first.get("input", "")))
            offered = getattr(getattr(error.param, "type_descriptor", None), "choices", None)
            detail = (
                Msg("want_one_of", {"choices": " | ".join(map(str, offered))}) if offered else pydantic_detail(first)
            )
            return Problem("bad_option_value", {"option": names[0], "value": value, "detail": detail})
        # Typer 0.28 (see pyproject.toml) checks a value with its own click types, not pydantic
        detail = _type_detail(getattr(error.param, "type", None))
        if detail is not None:
            value = one_line(_given(args, error.param.opts))
            return Problem("bad_option_value", {"option": names[0], "value": value, "detail": detail})
    said = one_line(str(getattr(error, "message", error)))
    extra = re.fullmatch(r"Got unexpected extra arguments?(?:\(s\))? \((.*)\)", said)
    if extra:  # `sanshi status 2026-11-27`: a date without --as-of is the usual one
        value = extra.group(1)
        hint = Msg("use_as_of", {"value": value}) if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value) else ""
        return Problem("extra_argument", {"value": value, "hint": hint, "command": command})
    return Problem("usage_other", {"detail": said, "command": command})


def _type_detail(kind: object) -> object | None:
    """What a value of this click type should be, in our words (never click's); None for other types."""
    from sanshi_cli.errors import Msg

    choices = getattr(kind, "choices", None)
    if choices:
        return Msg("want_one_of", {"choices": " | ".join(map(str, choices))})
    name = getattr(kind, "name", None)
    if name in ("int", "int range"):
        return Msg("want_int")
    if name in ("float", "float range"):
        return Msg("want_number")
    return None


def _given(args: list[str], options: list[str]) -> str:
    """The value given to one of ``options`` on the command line (the last one given)."""
    found = ""
    for i, arg in enumerate(args):
        if arg in options and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith("--") and arg.partition("=")[0] in options:
            found = arg.partition("=")[2]
        elif any(arg.startswith(o) and not o.startswith("--") and len(arg) > len(o) for o in options):
            found = arg[2:]  # -nx
    return found


def _nearest(value: str, choices: list[str]) -> object:
    import difflib

    from sanshi_cli.errors import Msg

    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return Msg("did_you_mean", {"suggestion": close[0]}) if close else ""


def _command_path(error: Exception, args: list[str]) -> str:
    """``sanshi status``: the command whose options were wrong, for "see … --help"."""
    ctx = getattr(error, "ctx", None)
    if ctx is not None and ctx.parent is not None and ctx.command.name:
        names = []
        while ctx is not None and ctx.parent is not None:  # `sanshi problem note`: the group's name too
            names.append(ctx.command.name or "")
            ctx = ctx.parent
        return " ".join(["sanshi", *reversed(names)])
    if ctx is None and args and not args[0].startswith("-") and not isinstance(error, UnknownCommand):
        return f"sanshi {args[0]}"
    return "sanshi"


class UnknownCommand(Exception):
    """``sanshi stauts``: raised by the root command with the commands there are."""

    def __init__(self, name: str, choices: list[str]) -> None:
        super().__init__(name)
        self.name = name
        self.choices = choices


def report_internal_error(error: BaseException, args: list[str]) -> None:
    """A bug: one line in the user's language naming the file that holds the traceback.

    With ``SANSHI_DEBUG=1`` the traceback goes to stderr instead (and when no log can be written).
    """
    import traceback

    from sanshi_cli import __version__
    from sanshi_cli.i18n import format_problem

    text = "".join(traceback.format_exception(error))
    lang = guess_lang(args)
    if os.environ.get("SANSHI_DEBUG", "").strip() not in ("", "0"):
        sys.stderr.write(text)
        return
    try:
        from platformdirs import user_log_path

        folder = user_log_path("sanshi", appauthor=False)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        log = folder / f"crash-{stamp}-{os.getpid()}.log"
        header = f"sanshi {__version__}, Python {sys.version.split()[0]}\nsanshi {' '.join(args)}\n\n"
        log.write_text(header + text, encoding="utf-8")
    except OSError:
        sys.stderr.write(text)
        sys.stderr.write(format_problem(Problem("internal_error_no_log"), lang) + "\n")
        return
    sys.stderr.write(format_problem(Problem("internal_error", {"log": str(log)}), lang) + "\n")
