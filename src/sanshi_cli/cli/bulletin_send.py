"""``sanshi bulletin --mail``: the bulletin to its readers, once per period, through the alert's workflow.

The same SMTP settings, state file, lock, outbox and exit codes as ``sanshi alert``: 0 when every
copy was delivered (or nothing was due), 1 when one waits in the outbox for the next run, 2 for a
configuration the server refused. What was accepted is recorded as ``bulletin:<period>`` per
recipient and address, so a rerun sends nothing twice and ``--force`` sends again.
"""

from __future__ import annotations

import io
import os
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from sanshi_cli.errors import ExitCode, Problem, UsageError
from sanshi_cli.i18n import label, one_line

if TYPE_CHECKING:
    from sanshi_cli.alert_run import Envelope, Round, Transport
    from sanshi_cli.alert_store import State
    from sanshi_cli.alerting import Recipient
    from sanshi_cli.bulletin import Bulletin, Period
    from sanshi_cli.bulletin_mail import Attachment, Mailing
    from sanshi_cli.chat import Post
    from sanshi_cli.cli.common import Run
    from sanshi_cli.i18n import Lang
    from sanshi_cli.loading import Loaded

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def send_bulletin(
    run: Run,
    loaded: Loaded,
    found: Bulletin,
    *,
    day: date,
    title: str,
    unit_names: dict[str, str],
    dry_run: bool,
    force: bool,
    state: str | None,
    outbox: str | None,
    insecure: bool,
    verbose: bool,
    channel: str = "all",
) -> ExitCode:
    """Send ``found`` to everyone owed it (or, with ``dry_run``, say who that is); the run's exit code.

    ``channel`` is ``--channel``: ``email``, ``chat`` (the digest to ``[alerts] pmo_channels``) or ``all``.
    """
    from zoneinfo import ZoneInfo

    from sanshi_cli.alert_store import default_state_path, read_state
    from sanshi_cli.alerting import resolve_smtp
    from sanshi_cli.bulletin_mail import bulletin_recipients, plan_mailing

    lang = run.lang
    project_file = run.path()
    state_path = Path(state) if state else default_state_path(project_file)
    outbox_dir = Path(outbox) if outbox else state_path.parent / "outbox"
    recipients = bulletin_recipients(loaded) if channel != "chat" else []
    groups = list(dict.fromkeys(loaded.portfolio.alerts.pmo_channels)) if channel != "email" else []
    period = found.period
    posts = _posts(loaded, found, groups, lang, title)
    if dry_run:
        store = read_state(state_path)
        _print_mailing(plan_mailing(recipients, period, store, force=force), found, lang, title)
        _print_posts([p for p in posts if force or not _posted(store, period, p.channel)], found, loaded, lang)
        return ExitCode.OK
    smtp = resolve_smtp(loaded.portfolio.smtp, os.environ, project_file.parent, insecure=insecure)
    now = datetime.now(ZoneInfo(loaded.portfolio.settings.timezone))
    text, html, attachments = _bodies(found, lang, title, unit_names) if recipients else ("", "", [])
    return _send(run, loaded, recipients, posts, found, smtp, state_path, outbox_dir, now, day, text, html,
                 attachments, force, verbose, title, insecure)  # fmt: skip


PMO = "pmo"


def _pmo() -> Recipient:
    from sanshi_cli.alerting import Recipient

    return Recipient("pmo", PMO, "", ())


def _posted(store: State, period: Period, name: str) -> bool:
    from sanshi_cli.alert_policy import channel_address
    from sanshi_cli.bulletin_mail import state_key

    return store.told_of(PMO, channel_address(name), (state_key(period), "", "")) is not None


def _posts(loaded: Loaded, found: Bulletin, groups: list[str], lang: Lang, title: str) -> list[Post]:
    """The digest post for each of ``[alerts] pmo_channels``: sections 1 and 2 and the 红黑榜 as a list."""
    if not groups:
        return []
    from sanshi_cli.chat import clean, digest_post
    from sanshi_cli.rendering_bulletin import chat_digest

    head, *lines = chat_digest(found, lang, title=title, escape=clean).splitlines()
    posts = []
    for name in groups:
        config = loaded.portfolio.channels[name]
        posts.append(digest_post(name, config.kind, head.strip("*"), lines, lang=lang, keyword=config.keyword,
                                 max_bytes=config.max_bytes))  # fmt: skip
    return posts


def _print_posts(posts: list[Post], found: Bulletin, loaded: Loaded, lang: Lang) -> None:
    """The --dry-run listing of the group posts: each group, its platform and size, then the text."""
    for post in posts:
        platform = label(f"platform_{post.platform}", lang)
        size = sum(len(t.encode("utf-8")) for t in post.texts)
        typer.echo(label("bulletin_dry_post", lang, channel=post.channel, platform=platform, parts=len(post.parts),
                         size=size))  # fmt: skip
        for text in post.texts:
            for line in text.splitlines():
                typer.echo("  | " + line.rstrip())


def _bodies(found: Bulletin, lang: Lang, title: str, names: dict[str, str]) -> tuple[str, str, list[Attachment]]:
    """The Markdown text part, the mail-safe HTML body, and the page and workbook to attach."""
    from sanshi_cli import rendering_bulletin as views
    from sanshi_cli.bulletin_mail import Attachment

    text = io.StringIO()
    views.render_markdown(found, lang, text, title=title, unit_names=names)
    page = io.StringIO()
    views.render_html(found, lang, page, title=title, unit_names=names)
    book = io.BytesIO()
    views.render_xlsx(found, lang, book, title=title, unit_names=names)
    stem = label(f"bulletin_file_{found.period.cadence}", lang, period=found.period.label)
    attachments = [
        Attachment(f"{stem}.html", page.getvalue().encode("utf-8"), "text", "html"),
        Attachment(f"{stem}.xlsx", book.getvalue(), *XLSX),
    ]
    mail = views.render_mail_html(found, lang, title=title, unit_names=names)
    return text.getvalue(), mail, attachments


def _who(recipient: Recipient, addresses: tuple[str, ...] | list[str], lang: Lang, title: str) -> str:
    from sanshi_cli.bulletin_mail import reader_name
    from sanshi_cli.i18n import visible

    return f"{reader_name(recipient, lang)} <{visible(', '.join(addresses))}>"


def _names(recipients: list[Recipient], lang: Lang, title: str) -> str:
    from sanshi_cli.bulletin_mail import reader_name

    return ("、" if lang == "zh" else ", ").join(reader_name(r, lang) for r in recipients)


def _print_mailing(mailing: Mailing, found: Bulletin, lang: Lang, title: str) -> None:
    """The --dry-run listing: who would get it, who already has it, who cannot be reached."""
    from sanshi_cli.bulletin_mail import subject_of

    period = found.period
    if mailing.due:
        typer.echo(label("bulletin_dry_subject", lang, subject=subject_of(period, lang, title)))
        for recipient, addresses in mailing.due:
            typer.echo("  " + label("bulletin_dry_to", lang, to=_who(recipient, addresses, lang, title)))
        stem = label(f"bulletin_file_{period.cadence}", lang, period=period.label)
        typer.echo(label("bulletin_dry_total", lang, n=len(mailing.due), files=f"{stem}.html, {stem}.xlsx"))
    else:
        typer.echo(label("bulletin_dry_nothing", lang, period=period.label))
    if mailing.sent:
        typer.echo(label("bulletin_dry_sent", lang, names=_names(mailing.sent, lang, title)))
    if mailing.unreachable:
        typer.echo(label("bulletin_unreachable", lang, names=_names(mailing.unreachable, lang, title)))


def _send(
    run: Run,
    loaded: Loaded,
    recipients: list[Recipient],
    posts: list[Post],
    found: Bulletin,
    smtp: object,
    state_path: Path,
    outbox_dir: Path,
    now: datetime,
    day: date,
    text: str,
    html: str,
    attachments: list[Attachment],
    force: bool,
    verbose: bool,
    title: str,
    insecure: bool,
) -> ExitCode:
    """The real run: the alert's workflow under its lock; here only what is said and the exit code."""
    import json

    from sanshi_cli.alert_policy import channel_address
    from sanshi_cli.alert_run import Envelope, Round, record_once
    from sanshi_cli.alert_run import run as run_workflow
    from sanshi_cli.alert_store import period_outbox_path
    from sanshi_cli.alerting import Locked, SmtpSettings, SmtpTransport, check_sendable
    from sanshi_cli.bulletin_mail import build_message, outbox_stem, plan_mailing, state_key
    from sanshi_cli.cli.alert import close_transports, mail_not_delivered, post_not_delivered, webhook_transport

    assert isinstance(smtp, SmtpSettings)
    lang = run.lang
    period = found.period
    run_until = time.monotonic() + smtp.run_timeout
    seen: dict[str, Mailing] = {}
    unbuilt: list[Problem] = []
    unsendable: list[Problem] = []  # the mail settings' problems, when only the groups could be served
    owners: dict[int, Recipient] = {}  # each envelope's recipient (a bulletin carries no alert)

    def decide(store: State) -> Round:
        mailing = plan_mailing(recipients, period, store, force=force)
        seen["mailing"] = mailing
        envelopes: list[Envelope] = []
        owed = mailing.due
        if owed:
            try:
                check_sendable(smtp, len(owed))
            except UsageError as error:
                if not any(force or not _posted(store, period, p.channel) for p in posts):
                    raise
                unsendable.extend(error.problems)  # the groups first; then this ends the run (exit 2)
                owed = []
        for recipient, addresses in owed:
            assert smtp.sender is not None
            try:
                message = build_message(
                    recipient,
                    addresses,
                    period=period,
                    sender=smtp.sender,
                    lang=lang,
                    title=title,
                    text=text,
                    html=html,
                    attachments=attachments,
                    now=now,
                )
                data = message.as_bytes()
            except Exception as error:  # only this recipient goes without
                detail = one_line(str(error).splitlines()[0] if str(error) else type(error).__name__)
                unbuilt.append(Problem("alert_cannot_build", {"recipient": _who(recipient, addresses, lang, title),
                                                              "detail": detail}))  # fmt: skip
                continue
            waiting = [(outbox_dir / f"{outbox_stem(period, recipient)}.eml", data)]
            record = record_once(recipient, state_key(period))
            envelope = Envelope("email", message, addresses, [], waiting, record)
            owners[id(envelope)] = recipient
            envelopes.append(envelope)
        pmo = _pmo()
        for post in posts:
            if not force and _posted(store, period, post.channel):
                continue
            waiting_post = {"channel": post.channel, "kind": post.platform, "recipient": PMO, "bulletin": period.label,
                            "payloads": post.parts}  # fmt: skip
            data = (json.dumps(waiting_post, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
            target = period_outbox_path(outbox_dir, "bulletin", period.label, pmo, f"@{post.channel}.json")
            envelope = Envelope(post.channel, post, (channel_address(post.channel),), [], [(target, data)],
                                record_once(pmo, state_key(period)))  # fmt: skip
            owners[id(envelope)] = pmo
            envelopes.append(envelope)
        files = [outbox_dir / f"{outbox_stem(period, r)}.eml" for r in recipients] if not unsendable else []
        files += [period_outbox_path(outbox_dir, "bulletin", period.label, pmo, f"@{p.channel}.json") for p in posts]
        return Round(envelopes, (), outbox_files=files, forget=False)

    opened: dict[str, Transport] = {}
    warnings: list[Problem] = []

    def transport_for(envelope: Envelope) -> Transport:
        found_transport = opened.get(envelope.transport)
        if found_transport is None:  # opened on first use: nothing due, no server and no secret read
            if envelope.transport == "email":
                found_transport = SmtpTransport(smtp, run_until)
            else:
                found_transport = webhook_transport(loaded, envelope.transport, run.path().parent, insecure, run_until,
                                           warnings)  # fmt: skip
            opened[envelope.transport] = found_transport
        return found_transport

    try:
        _, outcomes = run_workflow(state_path, decide, transport_for, day, clock=time.monotonic,
                                   run_until=run_until, run_timeout=smtp.run_timeout)  # fmt: skip
    except Locked as error:
        run.report(error.problems)
        return ExitCode.ATTENTION
    finally:
        close_transports(opened.values())
    mailing = seen["mailing"]
    run.report(warnings, "warning")
    for outcome in outcomes:
        owner = owners[id(outcome.envelope)]
        if outcome.envelope.transport != "email":
            if not outcome.ok:
                run.report([post_not_delivered(outcome)])
            continue
        if not outcome.ok and (not outcome.fatal or outcome.not_saved is not None):
            run.report([mail_not_delivered(outcome, _who(owner, outcome.failed, lang, title))])
        if outcome.not_recorded is not None:
            who = _who(owner, outcome.delivered, lang, title)
            params: dict[str, object] = {"recipient": who, "path": str(state_path), "reason": outcome.not_recorded}
            run.report([Problem("alert_not_recorded", params)])
    run.report(unbuilt)
    run.report(unsendable)
    fatal = next((o for o in outcomes if o.fatal and o.reason is not None), None)
    refused = next((o for o in outcomes if o.fatal and o.reason is not None and o.envelope.transport == "email"), None)
    if refused is not None and refused.reason is not None:  # a refused login: once, however many messages
        run.report([Problem(refused.reason.key, refused.reason.params)])
    delivered = [o for o in outcomes if o.delivered and o.envelope.transport == "email"]
    posted = [o for o in outcomes if o.delivered and o.envelope.transport != "email"]
    if delivered or posted or verbose:
        if verbose:
            for o in delivered:
                typer.echo(label("bulletin_sent_to", lang, to=_who(owners[id(o.envelope)], o.delivered, lang, title)))
            for o in posted:
                typer.echo(label("bulletin_posted_to", lang, channel=o.envelope.transport))
        failed = sum(1 for o in outcomes if not o.ok and o.envelope.transport == "email") + len(unbuilt)
        if recipients:
            typer.echo(label("bulletin_sent_summary", lang, period=period.label, n=len(delivered), failed=failed))
        if posts:
            unposted = sum(1 for o in outcomes if not o.ok and o.envelope.transport != "email")
            typer.echo(label("bulletin_posted_summary", lang, period=period.label, n=len(posted), failed=unposted))
        if mailing.unreachable:
            typer.echo(label("bulletin_unreachable", lang, names=_names(mailing.unreachable, lang, title)))
    sys.stdout.flush()
    if fatal is not None or unsendable or any(o.not_recorded is not None for o in outcomes):
        return ExitCode.INVALID
    if unbuilt or any(not o.ok for o in outcomes):
        return ExitCode.ATTENTION
    return ExitCode.OK
