"""``sanshi problem``: the problem list (问题清单), from raised to closed off (销号).

``add``, ``note``, ``extend``, ``solved``, ``close`` and ``reopen`` write the project file as
``sanshi done`` does (style-preserving edit, lock, validation, atomic replace, ``--dry-run``);
``list`` shows the list as a table, JSON, CSV or Markdown.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer._click.core import Context
from typer.core import TyperGroup

from sanshi_cli.cli.common import (
    AsOfOption,
    FileOption,
    LangOption,
    LeaderOption,
    NoCacheOption,
    ProjectOption,
    Run,
    UnitOption,
    UnknownCommand,
    WideOption,
    check_day_range,
    parse_day,
)
from sanshi_cli.cli.completion import complete_people, complete_problems, complete_projects, complete_units
from sanshi_cli.cli.output import OutputOption, choose_output, format_option, write_output
from sanshi_cli.cli.writes import DryRunOption, OnOption, explained, show
from sanshi_cli.errors import ExitCode, Problem, UsageError

if TYPE_CHECKING:
    from sanshi_cli.portfolio import Change

FORMATS = ("table", "json", "csv", "markdown", "xlsx")
FormatOption = Annotated[str | None, format_option(FORMATS)]

ProblemArgument = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help="The problem: its id (P-2026-001) or, where only one problem's text begins so, that beginning.",
        autocompletion=complete_problems,
    ),
]
ReasonOption = Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why (recorded with the change).")]
DueOption = Annotated[str, typer.Option("--due", metavar="YYYY-MM-DD", help="The deadline (解决时限).")]


class _Group(TyperGroup):
    """``sanshi problem lst``: one line in the user's language with the subcommands, as for ``sanshi stauts``."""

    def resolve_command(self, ctx: Context, args: list[str]) -> Any:
        name = args[0] if args else None
        if name and not name.startswith("-") and self.get_command(ctx, name) is None and not ctx.resilient_parsing:
            raise UnknownCommand(name, sorted(self.list_commands(ctx)))
        return super().resolve_command(ctx, args)


app = typer.Typer(
    name="problem",
    cls=_Group,
    help="The problem list (问题清单): add problems, note progress, extend, solve, close off, reopen; list them.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _optional_text(option: str, metavar: str, help_text: str) -> object:
    return typer.Option(option, metavar=metavar, help=help_text, show_default=False)


def _write(
    file: FileOption, lang: LangOption, as_of: AsOfOption, on: str | None, dry_run: bool, act: Callable[..., Change]
) -> None:
    """One step of a problem's life, written as ``sanshi done`` writes: ``act(opened, on, as_of)``
    makes the change (``on``: ``--on``, else the as-of day)."""
    with Run(file, lang) as run:
        opened = run.open()
        day = run.as_of(as_of)
        when = parse_day(on, "--on") if on else day
        with explained(lambda: opened.display):
            change = act(opened, when, day)
        show(run, change, dry_run)
        run.finish(ExitCode.OK)


@app.command("add")
def add(
    project: Annotated[
        str,
        typer.Argument(metavar="PROJECT", help="The project: its id or name.", autocompletion=complete_projects),
    ],
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The problem, in a sentence.")],
    due: DueOption,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            metavar="UNIT",
            help="The responsible unit (id, name or short name). Default: the project's responsible unit.",
            show_default=False,
            autocompletion=complete_units,
        ),
    ] = None,
    category: Annotated[
        str | None, _optional_text("--category", "TEXT", "资金 | 用地 | 征迁 | 手续 | 要素保障 | 其他, or your own.")
    ] = None,
    measures: Annotated[str | None, _optional_text("--measures", "TEXT", "The solution (解决措施).")] = None,
    leader: Annotated[
        str | None,
        typer.Option(
            "--leader",
            metavar="PERSON",
            help="The lead official (id, name or short name). Default: the project's leader.",
            show_default=False,
            autocompletion=complete_people,
        ),
    ] = None,
    raised: Annotated[
        str | None,
        _optional_text("--raised", "YYYY-MM-DD", "The day it was raised. Default: the as-of day (today)."),
    ] = None,
    dry_run: DryRunOption = False,
    file: FileOption = None,
    as_of: AsOfOption = None,
    lang: LangOption = None,
) -> None:
    """Add a problem to a project; prints its new id (P-YYYY-NNN) alone on standard output.

    Example: sanshi problem add civic-center "施工用电接入滞后" --due 2026-12-20 --owner gdj --category 要素保障
    """
    with Run(file, lang) as run:
        opened = run.open()
        day = run.as_of(as_of)
        deadline = parse_day(due, "--due")
        when = parse_day(raised, "--raised") if raised else day
        with explained(lambda: opened.display):
            change = opened.add_problem(
                project,
                text,
                deadline,
                raised=when,
                owner=owner,
                leader=leader,
                category=category,
                measures=measures,
                as_of=day,
                dry_run=dry_run,
            )
        if dry_run:
            show(run, change, dry_run)
        else:
            run.report(change.warnings, "warning")
            sys.stdout.write(f"{change.params['id']}\n")
            sys.stderr.write(change.describe(run.lang) + "\n")
        run.finish(ExitCode.OK)


@app.command("note")
def note(
    problem: ProblemArgument,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What was done or found (跟踪问效).")],
    on: OnOption = None,
    dry_run: DryRunOption = False,
    file: FileOption = None,
    as_of: AsOfOption = None,
    lang: LangOption = None,
) -> None:
    """Add a dated note to a problem (跟踪问效).

    Example: sanshi problem note P-2026-031 "已完成线路设计" --on 2026-11-10
    """
    _write(file, lang, as_of, on, dry_run,
           lambda opened, when, day: opened.note_problem(problem, text, when, as_of=day, dry_run=dry_run))  # fmt: skip


@app.command("extend")
def extend(
    problem: ProblemArgument,
    due: DueOption,
    reason: ReasonOption,
    on: OnOption = None,
    dry_run: DryRunOption = False,
    file: FileOption = None,
    as_of: AsOfOption = None,
    lang: LangOption = None,
) -> None:
    """Give a problem a new deadline (延期), with its reason; the first deadline stays in the file.

    Example: sanshi problem extend P-2026-031 --due 2026-12-04 --reason "设备到货延迟"
    """
    _write(file, lang, as_of, on, dry_run, lambda opened, when, day: opened.extend_problem(
        problem, parse_day(due, "--due"), reason, when, as_of=day, dry_run=dry_run))  # fmt: skip


@app.command("solved")
def solved(
    problem: ProblemArgument,
    on: OnOption = None,
    dry_run: DryRunOption = False,
    file: FileOption = None,
    as_of: AsOfOption = None,
    lang: LangOption = None,
) -> None:
    """Record that the responsible unit reported a problem solved (办结, its 交账).

    Example: sanshi problem solved P-2026-031 --on 2026-11-18
    """
    _write(file, lang, as_of, on, dry_run,
           lambda opened, when, day: opened.solve_problem(problem, when, as_of=day, dry_run=dry_run))  # fmt: skip


@app.command("close")
def close(
    problem: ProblemArgument,
    on: OnOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Close off a problem not reported solved (records both dates).")
    ] = False,
    dry_run: DryRunOption = False,
    file: FileOption = None,
    as_of: AsOfOption = None,
    lang: LangOption = None,
) -> None:
    """Close a problem off (销号) once the office has verified it.

    Example: sanshi problem close P-2026-031 --on 2026-11-19
    """
    _write(file, lang, as_of, on, dry_run, lambda opened, when, day: opened.close_problem(
        problem, when, force=force, as_of=day, dry_run=dry_run))  # fmt: skip


@app.command("reopen")
def reopen(
    problem: ProblemArgument,
    reason: ReasonOption,
    on: OnOption = None,
    dry_run: DryRunOption = False,
    file: FileOption = None,
    as_of: AsOfOption = None,
    lang: LangOption = None,
) -> None:
    """Reopen a solved or closed problem: its dates move into a reopenings entry, with the reason.

    Example: sanshi problem reopen P-2026-031 --reason "复查发现未通电" --on 2026-11-25
    """
    _write(file, lang, as_of, on, dry_run, lambda opened, when, day: opened.reopen_problem(
        problem, reason, when, as_of=day, dry_run=dry_run))  # fmt: skip


@app.command("list")
def list_(
    open_: Annotated[bool, typer.Option("--open", help="Open problems (not solved).")] = False,
    solved_: Annotated[bool, typer.Option("--solved", help="Solved, not yet closed off (待销号 among them).")] = False,
    closed: Annotated[bool, typer.Option("--closed", help="Closed off (已销号).")] = False,
    overdue: Annotated[bool, typer.Option("--overdue", help="Open and past their deadline.")] = False,
    show_all: Annotated[bool, typer.Option("--all", "-a", help="Every problem raised by the as-of day.")] = False,
    start: Annotated[
        str | None,
        _optional_text("--from", "YYYY-MM-DD", "With --to: the period, grouped as 新增 / 已销号 / 推进中."),
    ] = None,
    end: Annotated[
        str | None, _optional_text("--to", "YYYY-MM-DD", "The period's last day. Default: the as-of day.")
    ] = None,
    project: ProjectOption = None,
    unit: UnitOption = None,
    leader: LeaderOption = None,
    category: Annotated[
        list[str] | None, _optional_text("--category", "TEXT", "Only this category; repeatable.")
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    file: FileOption = None,
    as_of: AsOfOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
    wide: WideOption = False,
) -> None:
    """The problem list (问题清单): by default the open and solved problems, as of a day.

    -u keeps the problems a unit owns. With --from (and --to), the problems of a period,
    grouped as 新增 (raised in it), 已销号 (closed off in it) and 推进中 (the rest still open).

    Example: sanshi problem list --overdue --as-of 2026-11-27 --format csv -o 问题清单.csv
    """
    from sanshi_cli.i18n import label
    from sanshi_cli.problems import problems_as_of
    from sanshi_cli.rendering_problems import Choice, ProblemList, render_problems, select_rows
    from sanshi_cli.status import resolve_filters

    with Run(file, lang, no_cache=no_cache) as run:
        flags: dict[Choice, bool] = {"open": open_, "solved": solved_, "closed": closed, "overdue": overdue}
        choices: set[Choice] | None = {k for k, v in flags.items() if v} or None
        if show_all and choices:
            raise UsageError([Problem("problem_state_flags")])
        if show_all:
            choices = {"open", "solved", "closed"}
        if end is not None and start is None:
            raise UsageError([Problem("problem_to_without_from")])
        target = choose_output(fmt, output, command="problem list", formats=FORMATS, reads=run.inputs())
        loaded = run.load()
        day = run.as_of(as_of)
        first = check_day_range(parse_day(start, "--from"), "--from", start) if start else None
        last = parse_day(end, "--to") if end else day
        if first is not None and first > last:
            raise UsageError([Problem("from_after_to", {"start": first, "end": last})])
        filters = resolve_filters(loaded, project or (), unit or (), leader or ())
        judged = last if first is not None else day
        views = problems_as_of(loaded, judged, filters=filters)
        rows = select_rows(views, choices=choices, categories=category or (), start=first, end=last)
        portfolio = loaded.portfolio
        info = ProblemList(
            as_of=judged,
            title=portfolio.settings.title or label("default_title", run.lang),
            units=loaded.units,
            people=loaded.people,
            start=first,
        )
        render = functools.partial(render_problems, rows, info, fmt=target.format, lang=run.lang)
        write_output(target, render, run.console, run.width(wide))
        run.finish(ExitCode.OK)


def register(root: typer.Typer) -> None:
    root.add_typer(app)
