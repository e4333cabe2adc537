"""``sanshi alert``: e-mail each unit, lead official and the PMO what is late or due soon; for cron."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer

from sanshi_cli.cli.common import AsOfOption, FileOption, LangOption, NoCacheOption, Run
from sanshi_cli.cli.completion import complete_channels, complete_units
from sanshi_cli.errors import ExitCode, Msg, Problem, UsageError
from sanshi_cli.i18n import one_line

if TYPE_CHECKING:
    from email.message import EmailMessage

    from sanshi_cli.alert_run import Transport
    from sanshi_cli.alerting import Alert, Outcome, Plan, SmtpSettings, State
    from sanshi_cli.i18n import Lang
    from sanshi_cli.loading import Loaded
    from sanshi_cli.model import Unit


class Via(StrEnum):
    """``--channel``: which kinds of address this run serves."""

    email = "email"
    chat = "chat"
    all = "all"


def alert(
    file: FileOption = None,
    as_of: AsOfOption = None,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
    state: Annotated[
        str | None,
        typer.Option(
            "--state",
            metavar="FILE",
            help="State file recording what was sent. Default: .sanshi-alert-state.json beside the project file.",
            show_default=False,
        ),
    ] = None,
    outbox: Annotated[
        str | None,
        typer.Option(
            "--outbox",
            metavar="DIR",
            help="Folder for undelivered messages (.eml; .json for posts). Default: outbox/ beside the state file.",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Print recipients, subjects and item counts; send nothing."),
    ] = False,
    eml: Annotated[
        str | None,
        typer.Option(
            "--eml", metavar="DIR", help="Write each message as a .eml file in this folder instead of sending it."
        ),
    ] = None,
    only_unit: Annotated[
        str | None,
        typer.Option(
            "--only-unit",
            metavar="ID",
            help="Send only this unit's message (id or name).",
            show_default=False,
            autocompletion=complete_units,
        ),
    ] = None,
    skip_rest_days: Annotated[
        bool,
        typer.Option(
            "--skip-rest-days",
            help="Do nothing on a rest day of the working calendar (holidays, weekends that are not 调休 days).",
        ),
    ] = False,
    insecure: Annotated[
        bool,
        typer.Option(
            "--insecure",
            help="Do not verify TLS certificates; allow a login without TLS and http:// robots on this machine. Avoid.",
        ),
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print a summary (silent otherwise).")] = False,
    channel: Annotated[
        Via,
        typer.Option(
            "--channel",
            help="Send by e-mail, post to the group chats of [channels.<name>], or both.",
        ),
    ] = Via.all,
    only_channel: Annotated[
        str | None,
        typer.Option(
            "--only-channel",
            metavar="NAME",
            help="Post only to this group chat ([channels.<name>]); no e-mail.",
            show_default=False,
            autocompletion=complete_channels,
        ),
    ] = None,
) -> None:
    """E-mail each responsible unit, each lead official and the PMO their overdue and due-soon items
    (and projects behind plan or late with their reports).

    Problems of the 问题清单 go to their unit; to their leader from escalation 2 (or red); at
    escalation 3 (督办) also to `[problems] escalate_to`. The PMO's digest lists 督办 first and the
    problems awaiting verification (待销号) last.

    Built for cron: silent when everything due was sent; exit 1 when a message was not delivered
    (it waits in the outbox and the next run retries); exit 2 for a bad file or configuration.
    A message goes out only when an item is new to its recipient, has risen in level (or a problem
    in escalation), or was last told `repeat_days` ago; the state file remembers what the server accepted.

    Group chats (issue 14): `[channels.<name>]` robots of WeCom, DingTalk or Feishu get one post per
    run with a section per recipient, under the same once-only rule (`--channel`, `--only-channel`).

    Example: sanshi alert --as-of 2026-11-27 --dry-run
    """
    from zoneinfo import ZoneInfo

    from sanshi_cli.alerting import default_state_path, read_state, resolve_only_unit, resolve_smtp

    with Run(file, lang, no_cache=no_cache) as run:
        loaded = run.load()
        day = run.as_of(as_of)
        if skip_rest_days and not loaded.calendar.is_workday(day):
            if dry_run or eml is not None:  # a look before sending always says why there is nothing
                typer.echo(_label("alert_rest_day_dry", run.lang, as_of=day))
            elif verbose:
                typer.echo(_label("alert_rest_day", run.lang, as_of=day))
            run.finish(ExitCode.OK)
        # The Date header: this moment, in the file's timezone (the CLI is where the clock is read).
        now = datetime.now(ZoneInfo(loaded.portfolio.settings.timezone))
        project_file = run.path()
        state_path = Path(state) if state else default_state_path(project_file)
        outbox_dir = Path(outbox) if outbox else state_path.parent / "outbox"
        unit = resolve_only_unit(loaded, only_unit)
        serve = _serve(loaded, channel.value, only_channel)
        smtp = resolve_smtp(loaded.portfolio.smtp, os.environ, project_file.parent, insecure=insecure)
        if unit is not None and not unit.email and not unit.channels:
            raise UsageError([Problem("only_unit_unreachable", {"unit": unit.id})])
        if dry_run or eml is not None:
            plan = _plan(loaded, day, read_state(state_path), unit, serve)
            if dry_run:
                _print_plan(plan, run.lang, loaded, day)
                _print_posts(plan, run.lang, loaded, day)
            if eml is not None:
                _write_emls(plan, Path(eml), loaded, smtp, run.lang, day, now, verbose)
            run.finish(ExitCode.OK)
        code = _send(run, loaded, day, now, smtp, state_path, outbox_dir, unit, verbose, serve, insecure)
        run.finish(code)


def _label(key: str, lang: Lang, **params: object) -> str:
    from sanshi_cli.i18n import label

    return label(key, lang, **params)


@dataclass(frozen=True, slots=True)
class _Serve:
    """What this run serves: e-mail, and which group chats (None: every one the file names)."""

    email: bool
    channels: frozenset[str] | None


def _serve(loaded: Loaded, channel: str, only_channel: str | None) -> _Serve:
    if only_channel is not None:
        names = list(loaded.portfolio.channels)
        if only_channel not in names:
            from sanshi_cli.loading import suggest

            params = {"value": one_line(only_channel), "hint": suggest(only_channel, names)}
            raise UsageError([Problem("alert_channel_unknown", params)])
        return _Serve(False, frozenset({only_channel}))
    return _Serve(channel != "chat", frozenset() if channel == "email" else None)


def _plan(loaded: Loaded, day: date, state: State, unit: Unit | None, serve: _Serve | None = None) -> Plan:
    from sanshi_cli.alerting import find_alerts

    serve = serve or _Serve(True, None)
    return find_alerts(loaded, day, state, only_unit=unit, email=serve.email, channels=serve.channels)


def _count(key: str, n: int, lang: Lang) -> str:
    from sanshi_cli.mailing import plural

    return plural(key, n, lang)


def _title(loaded: Loaded, lang: Lang) -> str:
    return loaded.portfolio.settings.title or _label("default_title", lang)


def _to(alert: Alert, lang: Lang, title: str) -> str:
    from sanshi_cli.i18n import visible
    from sanshi_cli.mailing import recipient_name

    return f"{recipient_name(alert.recipient, lang, title)} <{visible(', '.join(alert.addresses))}>"


def _print_plan(plan: Plan, lang: Lang, loaded: Loaded, day: date) -> None:
    """The --dry-run listing: one block per message that would be sent, then who cannot be reached."""
    from sanshi_cli.mailing import subject_of

    title = _title(loaded, lang)
    if not plan.alerts:
        typer.echo(_label("alert_dry_nothing", lang, as_of=day))
    for alert in plan.emails:
        marks = list(alert.marks.values())
        typer.echo(_label("alert_dry_to", lang, to=_to(alert, lang, title)))
        typer.echo("  " + _label("alert_dry_subject", lang, subject=subject_of(alert, lang, title, day)))
        counts = {"n": len(alert.items), "new": marks.count("new"), "risen": marks.count("risen")}
        mixed = any(i.kind != "milestone" for i in alert.items)  # then not all are 节点
        typer.echo("  " + _label("alert_dry_items_mixed" if mixed else "alert_dry_items", lang, **counts))
        problems = [i for i in alert.items if i.kind == "problem"]
        if problems:  # what the PMO checks before a run: how many 督办 and 待销号 go out
            from sanshi_cli.alerting import awaiting_verification, supervised

            shares = {
                "n": len(problems),
                "supervised": sum(1 for i in problems if supervised(i)),
                "awaiting": sum(1 for i in problems if awaiting_verification(i)),
            }
            typer.echo("  " + _label("alert_dry_problems", lang, **shares))
    if plan.emails:
        messages = _count("alert_n_messages", len(plan.emails), lang)
        recipients = _count("alert_n_recipients", len(plan.quiet), lang)
        typer.echo(_label("alert_dry_total", lang, messages=messages, recipients=recipients))
    if plan.unreachable:
        names = _unreachable_names(plan, lang, title)
        typer.echo(_label("alert_unreachable_short", lang, names=names))


def _print_posts(plan: Plan, lang: Lang, loaded: Loaded, day: date) -> None:
    """The --dry-run listing of the group chats: for each post, its sections, size, mentions and text."""
    from sanshi_cli.alerting import posts_for
    from sanshi_cli.mailing import recipient_name

    title = _title(loaded, lang)
    posts = posts_for(plan, loaded, lang=lang, title=title, as_of=day)
    sep = "、" if lang == "zh" else ", "
    for post in posts:
        typer.echo(
            _label("alert_dry_post", lang, channel=post.channel, platform=_label(f"platform_{post.platform}", lang))
        )
        names = sep.join(recipient_name(a.recipient, lang, title) for a in post.alerts)
        typer.echo("  " + _label("alert_dry_post_sections", lang, names=names))
        key = "alert_dry_post_parts_1" if len(post.parts) == 1 else "alert_dry_post_parts"
        typer.echo("  " + _label(key, lang, parts=len(post.parts), size=post.size))
        if post.mentions:
            typer.echo("  " + _label("alert_dry_post_mentions", lang, names=sep.join(m.name for m in post.mentions)))
        for text in post.texts:
            typer.echo("\n".join("    " + line.rstrip() if line.strip() else "" for line in text.splitlines()))
    if posts:
        typer.echo(_label("alert_dry_posts_total", lang, posts=_count("alert_n_posts", len(posts), lang)))


def _unreachable_names(plan: Plan, lang: Lang, title: str) -> str:
    from sanshi_cli.mailing import recipient_name

    kinds = [_label(f"alert_kind_{u.recipient.kind}", lang) for u in plan.unreachable]
    names = [recipient_name(u.recipient, lang, title) for u in plan.unreachable]
    if lang == "zh":
        return "、".join(f"{name}（{kind}）" for name, kind in zip(names, kinds, strict=True))
    return ", ".join(f"{name} ({kind})" for name, kind in zip(names, kinds, strict=True))


def _messages(
    plan: Plan, loaded: Loaded, smtp: SmtpSettings, lang: Lang, day: date, now: datetime
) -> tuple[list[tuple[Alert, EmailMessage]], list[tuple[Alert, Problem]]]:
    """Build every message of the plan; one that cannot be built is a problem, not a crash."""
    from sanshi_cli.alerting import check_sendable
    from sanshi_cli.mailing import build_message

    if smtp.sender is None:
        check_sendable(smtp, len(plan.emails))
    assert smtp.sender is not None
    title = _title(loaded, lang)
    built: list[tuple[Alert, EmailMessage]] = []
    problems: list[tuple[Alert, Problem]] = []
    for alert in plan.emails:
        try:
            message = build_message(alert, sender=smtp.sender, lang=lang, title=title, as_of=day, now=now)
            message.as_bytes()  # an address the e-mail policy cannot write fails here, not mid-send
        except Exception as error:  # whatever the reason, only this recipient goes without (issue 8)
            who = _to(alert, lang, title)
            detail = one_line(str(error).splitlines()[0] if str(error) else type(error).__name__)
            problems.append((alert, Problem("alert_cannot_build", {"recipient": who, "detail": detail})))
            continue
        built.append((alert, message))
    return built, problems


def _write_emls(
    plan: Plan, folder: Path, loaded: Loaded, smtp: SmtpSettings, lang: Lang, day: date, now: datetime, verbose: bool
) -> None:
    from sanshi_cli.alerting import file_stem, write_eml

    built, problems = _messages(plan, loaded, smtp, lang, day, now)
    for n, (alert, message) in enumerate(built, start=1):
        path = write_eml(folder / f"{n:02d}-{file_stem(alert.recipient)}.eml", message)
        if verbose:
            typer.echo(_label("alert_eml_written", lang, path=path))
    # One line whatever -v says: --eml is run by hand, and the files are the point.
    if built:
        files = _count("alert_n_eml_files", len(built), lang)
        typer.echo(_label("alert_eml_summary", lang, files=files, folder=folder))
    elif not problems:
        typer.echo(_label("alert_eml_nothing", lang, as_of=day, folder=folder))
    if problems:
        raise UsageError([p for _, p in problems])


def _send(
    run: Run,
    loaded: Loaded,
    day: date,
    now: datetime,
    smtp: SmtpSettings,
    state_path: Path,
    outbox_dir: Path,
    unit: Unit | None,
    verbose: bool,
    serve: _Serve,
    insecure: bool,
) -> ExitCode:
    """The real run: the library's workflow under the lock; here only what is said and the exit code."""
    from sanshi_cli.alert_run import Envelope, Round
    from sanshi_cli.alert_run import run as run_alerts
    from sanshi_cli.alerting import Locked, SmtpTransport, alert_round, check_sendable, n_messages, posts_for

    lang = run.lang
    title = _title(loaded, lang)
    run_until = time.monotonic() + smtp.run_timeout  # [smtp] run_timeout bounds the whole run
    decided: dict[str, object] = {}

    def decide(store: State) -> Round:
        plan = _plan(loaded, day, store, unit, serve)
        decided["plan"] = plan
        batch: list[tuple[Alert, EmailMessage]] = []
        unbuilt: list[tuple[Alert, Problem]] = []
        posts = posts_for(plan, loaded, lang=lang, title=title, as_of=day)
        unsendable: UsageError | None = None
        if plan.emails:
            try:
                check_sendable(smtp, len(plan.emails))
            except UsageError as error:
                if not posts:
                    raise
                unsendable = error  # the groups are served first; the mail settings' problem ends the run (exit 2)
            if unsendable is None:
                batch, unbuilt = _messages(plan, loaded, smtp, lang, day, now)
        decided["unbuilt"] = unbuilt
        decided["unsendable"] = unsendable
        return alert_round(
            plan,
            outbox_dir,
            day,
            emails=batch,
            unbuilt=[a for a, _ in unbuilt],
            posts=posts,
            serve_email=serve.email and unsendable is None,  # an e-mail that could not be tried keeps its outbox
            channels=serve.channels,
        )

    opened: dict[str, Transport] = {}
    warnings: list[Problem] = []
    misconfigured: set[str] = set()

    def transport_for(envelope: Envelope) -> Transport:
        found = opened.get(envelope.transport)
        if found is None:  # opened on first use: a run with nothing to send needs no server and reads no secret
            if envelope.transport == "email":
                found = SmtpTransport(smtp, run_until)
            else:
                found = webhook_transport(loaded, envelope.transport, run.path().parent, insecure, run_until, warnings)
                if getattr(found, "reason", None) is not None:
                    misconfigured.add(envelope.transport)
            opened[envelope.transport] = found
        return found

    try:
        _, outcomes = run_alerts(
            state_path,
            decide,
            transport_for,
            day,
            clock=time.monotonic,
            run_until=run_until,
            run_timeout=smtp.run_timeout,
        )
    except Locked as error:
        run.report(error.problems)
        return ExitCode.ATTENTION
    finally:
        close_transports(opened.values())
    plan = cast("Plan", decided["plan"])
    unbuilt = cast("list[tuple[Alert, Problem]]", decided["unbuilt"])
    unsendable = cast("UsageError | None", decided["unsendable"])
    run.report(warnings, "warning")
    mails = [o for o in outcomes if o.envelope.transport == "email"]
    chats = [o for o in outcomes if o.envelope.transport != "email"]
    unrecorded = [_not_recorded(o, lang, title, state_path) for o in outcomes if o.not_recorded is not None]
    for outcome in mails:
        # after a refused login one line says it all, unless a message could not even be saved
        if not outcome.ok and (not outcome.login_refused or outcome.not_saved is not None):
            run.report([_not_delivered(outcome, lang, title)])
    for outcome in chats:
        if not outcome.ok:
            run.report([post_not_delivered(outcome)])
    problems = [p for _, p in unbuilt]
    run.report(problems)
    run.report(unrecorded)
    refused_login = next((o for o in mails if o.login_refused), None)
    if refused_login is not None and refused_login.reason is not None:
        saved = [str(path) for o in mails if o.login_refused for path in o.saved]
        reason = refused_login.reason
        run.report([Problem(reason.key, reason.params)])
        run.report(
            [Problem("alert_not_delivered_all", {"messages": n_messages(len(saved)), "outbox": str(outbox_dir)})]
        )
    if verbose:
        sent = sum(1 for o in mails if o.ok)
        failed = len(mails) - sent + len(problems)
        recipients = _count("alert_n_recipients", len(plan.quiet), lang)
        summary = _label("alert_summary", lang, as_of=day, sent=sent, failed=failed, recipients=recipients)
        if chats:  # posts are counted apart: a post is not a message (封) to one address
            posted = sum(1 for o in chats if o.ok)
            summary += _label("alert_summary_posts", lang, posted=posted, failed=len(chats) - posted)
        typer.echo(summary)
        if plan.unreachable:
            typer.echo(
                _label("alert_unreachable_short", lang, names=_unreachable_names(plan, lang, _title(loaded, lang)))
            )
    sys.stdout.flush()
    if unsendable is not None:
        run.report(unsendable.problems)
    if refused_login is not None or unrecorded or unsendable is not None or any(o.fatal for o in chats):
        return ExitCode.INVALID
    if problems or any(not o.ok for o in outcomes):
        return ExitCode.ATTENTION
    return ExitCode.OK


def close_transports(opened: Iterable[Transport]) -> None:
    """Close the SMTP connection and the robots' HTTP clients a run opened."""
    for each in opened:
        close = getattr(each, "close", None)
        if close is not None:
            close()


def webhook_transport(
    loaded: Loaded, name: str, base: Path, insecure: bool, run_until: float, warnings: list[Problem]
) -> Transport:
    """The group's transport, its URL and secret read now (a run that posts nothing reads none)."""
    from sanshi_cli.webhooks import BrokenTransport, ChannelProblem, WebhookTransport, resolve_channel

    try:
        settings, found = resolve_channel(name, loaded.portfolio.channels[name], os.environ, base, insecure=insecure)
    except ChannelProblem as error:
        return BrokenTransport(error.problem)
    warnings += found
    return WebhookTransport(settings, clock=time.monotonic, sleep=time.sleep, now=time.time, run_until=run_until)


def post_not_delivered(outcome: Outcome) -> Problem:
    """A post that waits in the outbox, with why; a misconfigured group's reason says what to fix."""
    channel = outcome.envelope.transport
    reason: object = outcome.reason or ""
    if outcome.not_saved is not None:
        target, why = outcome.not_saved
        return Problem("alert_post_not_saved", {"channel": channel, "reason": reason, "path": str(target), "why": why})
    saved = ", ".join(str(path) for path in outcome.saved)
    return Problem("alert_post_not_delivered", {"channel": channel, "reason": reason, "path": saved})


def _not_delivered(outcome: Outcome, lang: Lang, title: str) -> Problem:
    from sanshi_cli.mailing import recipient_name

    who = recipient_name(outcome.alert.recipient, lang, title)
    return mail_not_delivered(outcome, f"{who} <{', '.join(outcome.failed)}>")


def mail_not_delivered(outcome: Outcome, recipient: str) -> Problem:
    """A message that waits in the outbox (or could not be saved there), with why; ``recipient``: who, where."""
    reason: object = outcome.reason or ""
    assert reason == "" or isinstance(reason, Msg)
    if outcome.not_saved is not None:
        target, why = outcome.not_saved
        params: dict[str, object] = {"recipient": recipient, "reason": reason, "path": str(target), "why": why}
        return Problem("alert_not_saved", params)
    saved = ", ".join(str(path) for path in outcome.saved)
    return Problem("alert_not_delivered", {"recipient": recipient, "reason": reason, "path": saved})


def _not_recorded(outcome: Outcome, lang: Lang, title: str, state_path: Path) -> Problem:
    """The server accepted this message but the state file could not record it: sending stopped."""
    from sanshi_cli.mailing import recipient_name

    who = recipient_name(outcome.alert.recipient, lang, title)
    recipient = f"{who} <{', '.join(outcome.delivered)}>"
    params: dict[str, object] = {"recipient": recipient, "path": str(state_path), "reason": outcome.not_recorded or ""}
    return Problem("alert_not_recorded", params)


def register(app: typer.Typer) -> None:
    app.command()(alert)
