"""``sanshi bulletin``: the monthly bulletin (月通报) or weekly dispatch (周调度) of a period."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from sanshi_cli.cli.alert import Via
from sanshi_cli.cli.common import (
    AsOfOption,
    FileOption,
    LangOption,
    LeaderOption,
    NoCacheOption,
    ProjectOption,
    Run,
    UnitOption,
)
from sanshi_cli.cli.output import OutputOption, choose_output, format_option, write_output
from sanshi_cli.errors import ExitCode

if TYPE_CHECKING:
    from sanshi_cli.bulletin import Bulletin
    from sanshi_cli.i18n import Lang

FORMATS = ("markdown", "html", "xlsx", "json")
FILE_ONLY = ("html", "xlsx")  # a page with charts and a workbook are files, never printed
FormatOption = Annotated[str | None, format_option(FORMATS)]


def bulletin(
    month: Annotated[
        str | None,
        typer.Option("--month", metavar="YYYY-MM", help="The bulletin of this month.", show_default=False),
    ] = None,
    week: Annotated[
        str | None,
        typer.Option("--week", metavar="YYYY-Www", help="The dispatch of this ISO week.", show_default=False),
    ] = None,
    weekly: Annotated[
        bool,
        typer.Option("--weekly", help="Without --week: the last ISO week completed (default: the last month)."),
    ] = False,
    file: FileOption = None,
    as_of: AsOfOption = None,
    project: ProjectOption = None,
    unit: UnitOption = None,
    leader: LeaderOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
    mail: Annotated[
        bool,
        typer.Option(
            "--mail",
            help="Send it: to the PMO, every lead official and every responsible unit by e-mail (once per period "
            "and address), and its digest to [alerts] pmo_channels.",
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="With --mail: list who would get it; send nothing.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="With --mail: send again to addresses that already have this period's.")
    ] = False,
    state: Annotated[
        str | None,
        typer.Option(
            "--state",
            metavar="FILE",
            help="With --mail: the alert state file (default: .sanshi-alert-state.json beside the project file).",
            show_default=False,
        ),
    ] = None,
    outbox: Annotated[
        str | None,
        typer.Option(
            "--outbox",
            metavar="DIR",
            help="With --mail: where what was not delivered waits (default: outbox/ beside the state file).",
            show_default=False,
        ),
    ] = None,
    insecure: Annotated[
        bool, typer.Option("--insecure", help="With --mail: do not verify the server's TLS certificate. Avoid.")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="With --mail: print who got it.")] = False,
    channel: Annotated[
        Via,
        typer.Option(
            "--channel",
            help="With --mail: email (the bulletin by e-mail), chat (its digest to [alerts] pmo_channels), or all.",
            case_sensitive=False,
        ),
    ] = Via.all,
) -> None:
    """The bulletin of a month (月通报) or ISO week (周调度), judged as of the period's last day.

    Without --month or --week: the last month (with --weekly, ISO week) completed by the as-of
    day. Markdown by default; -o FILE.html gives a page with a Gantt chart and progress bars,
    -o FILE.xlsx a workbook (one sheet per section), --format json the data of every section.
    The unit ranking (section 7) is of the whole file, whatever the filters.

    --mail sends it (SMTP settings, state file, outbox and exit codes as `sanshi alert`): a
    mail-safe body with the Markdown as its text part, the page and the workbook attached.

    Example: sanshi bulletin --month 2026-11 -o 月通报-2026-11.html
    """
    from sanshi_cli.bulletin import build_bulletin, resolve_period
    from sanshi_cli.errors import Problem, UsageError
    from sanshi_cli.i18n import label
    from sanshi_cli.status import resolve_filters

    with Run(file, lang, no_cache=no_cache) as run:
        target = choose_output(fmt or "markdown" if output in (None, "-") else fmt, output, command="bulletin",
                               formats=FORMATS, reads=run.inputs())  # fmt: skip
        if target.format == "table":
            target = type(target)("markdown", target.path)
        loaded = run.load()
        day = run.as_of(as_of)
        period = resolve_period(day, month=month, week=week, weekly=weekly)
        if target.format in FILE_ONLY and target.path is None:
            raise UsageError([Problem("bulletin_needs_output", {"format": target.format, "period": period.label})])
        if not mail and (dry_run or force or channel != Via.all):
            option = "--dry-run" if dry_run else "--force" if force else "--channel"
            raise UsageError([Problem("bulletin_mail_only", {"option": option})])
        if mail and (project or unit or leader):
            raise UsageError([Problem("bulletin_mail_filtered", {})])
        filters = resolve_filters(loaded, project or (), unit or (), leader or ())
        found = build_bulletin(loaded, period, filters=filters)
        title = loaded.portfolio.settings.title or label("default_title", run.lang)
        names = {unit_id: u.name for unit_id, u in loaded.units.items()}
        if mail:
            from sanshi_cli.cli.bulletin_send import send_bulletin

            if output is not None:
                write_output(target, _renderer(found, target.format, run.lang, title, names), run.console, None)
            code = send_bulletin(
                run,
                loaded,
                found,
                day=day,
                title=title,
                unit_names=names,
                dry_run=dry_run,
                force=force,
                state=state,
                outbox=outbox,
                insecure=insecure,
                verbose=verbose,
                channel=channel.value,
            )
            run.finish(code)

        write_output(target, _renderer(found, target.format, run.lang, title, names), run.console, None)
        run.finish(ExitCode.OK)


def _renderer(found: Bulletin, fmt: str, lang: Lang, title: str, names: dict[str, str]) -> Callable[..., None]:
    """``render(out=…)`` writing the bulletin in ``fmt``."""
    from sanshi_cli import rendering_bulletin as views

    def render(out: IO[Any], **_: Any) -> None:
        if fmt == "json":
            views.render_json(found, out, lang)
        elif fmt == "html":
            views.render_html(found, lang, out, title=title, unit_names=names)
        elif fmt == "xlsx":
            views.render_xlsx(found, lang, out, title=title, unit_names=names)
        else:
            views.render_markdown(found, lang, out, title=title, unit_names=names)

    return render


def register(app: typer.Typer) -> None:
    app.command()(bulletin)
