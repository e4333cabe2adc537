"""``sanshi alert``'s library, by the names it has always had.

The work is split by step (issue 14): :mod:`~sanshi_cli.alert_policy` decides who is told what
(pure), :mod:`~sanshi_cli.alert_store` keeps the state, the lock and the outbox,
:mod:`~sanshi_cli.mail_transport` and :mod:`~sanshi_cli.webhooks` are the transports (e-mail, the
chat robots), and :mod:`~sanshi_cli.alert_run` is the run's workflow. This module names them all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sanshi_cli.alert_policy import (
    CHANNEL_PREFIX,
    TOP_ESCALATION,
    Alert,
    ItemKey,
    Kind,
    Mark,
    Plan,
    Reason,
    Recipient,
    Unreachable,
    audience,
    awaiting_verification,
    channel_address,
    due_reason,
    escalation_of,
    find_alerts,
    item_key,
    resolve_only_unit,
    supervised,
    tells_leader,
)
from sanshi_cli.alert_run import Delivery, Envelope, Outcome, Round, Transport, deliver, record_once, run
from sanshi_cli.alert_store import (
    OUTBOX_NAME,
    STATE_NAME,
    Locked,
    State,
    StateKey,
    Told,
    chat_outbox_path,
    clear_outbox,
    default_state_path,
    file_stem,
    lock_state,
    outbox_path,
    period_outbox_path,
    read_state,
    write_atomic,
    write_eml,
    write_json,
    write_state,
)

if TYPE_CHECKING:
    from email.message import EmailMessage

    from sanshi_cli.chat import Post
    from sanshi_cli.i18n import Lang
    from sanshi_cli.loading import Loaded

from sanshi_cli.mail_transport import (
    DEFAULT_PORTS,
    DeliveryError,
    SecretUnreadable,
    Sender,
    SmtpRefusedLogin,
    SmtpSettings,
    SmtpTransport,
    check_sendable,
    n_messages,
    parse_sender,
    resolve_smtp,
    tls_context,
)

__all__ = [
    "Alert", "CHANNEL_PREFIX", "DEFAULT_PORTS", "Delivery", "DeliveryError", "Envelope", "ItemKey", "Kind", "Locked",
    "Mark", "OUTBOX_NAME", "Outcome", "Plan", "Reason", "Recipient", "Round", "STATE_NAME", "SecretUnreadable",
    "Sender", "SmtpRefusedLogin", "SmtpSettings", "SmtpTransport", "State", "StateKey", "TOP_ESCALATION", "Told",
    "Transport", "Unreachable", "alert_round", "audience", "awaiting_verification", "channel_address",
    "chat_outbox_path", "check_sendable", "clear_outbox", "default_state_path", "deliver", "digest_of", "due_reason",
    "escalation_of", "file_stem", "find_alerts", "item_key", "lock_state", "n_messages", "outbox_path",
    "parse_sender", "period_outbox_path", "posts_for", "read_state", "record_once", "resolve_only_unit",
    "resolve_smtp", "run", "supervised", "tells_leader", "tls_context", "write_atomic", "write_eml", "write_json",
    "write_state",
]  # fmt: skip


def posts_for(plan: Plan, loaded: Loaded, *, lang: Lang, title: str, as_of: date) -> list[Post]:
    """One post per group chat with something due, in the file's order of sections; reads no secret."""
    from sanshi_cli.chat import build_post

    posts = []
    for name, alerts in plan.posts().items():
        config = loaded.portfolio.channels[name]
        posts.append(
            build_post(
                name,
                config.kind,
                alerts,
                lang=lang,
                title=title,
                as_of=as_of,
                people=loaded.people,
                keyword=config.keyword,
                max_bytes=config.max_bytes,
            )
        )
    return posts


def alert_round(
    plan: Plan,
    outbox: Path,
    as_of: date,
    *,
    emails: Sequence[tuple[Alert, EmailMessage]] = (),
    unbuilt: Sequence[Alert] = (),
    posts: Sequence[Post] = (),
    serve_email: bool = True,
    channels: Collection[str] | None = None,
) -> Round:
    """What an alert run sends (:func:`sanshi_cli.alert_run.run`'s ``decide``): an envelope per
    e-mail and per group post, each with the outbox files it waits in, and every outbox file of
    the recipients considered (cleared once delivered or no longer due; ``unbuilt`` ones kept)."""
    envelopes: list[Envelope] = []
    for alert, message in emails:
        waiting = [(outbox_path(outbox, alert.recipient), message.as_bytes())]
        envelopes.append(Envelope("email", message, alert.addresses, [alert], waiting))
    for post in posts:
        files = [
            (chat_outbox_path(outbox, a.recipient, post.channel), _json_bytes(post.waiting(a, as_of)))
            for a in post.alerts
        ]
        envelopes.append(Envelope(post.channel, post, (channel_address(post.channel),), list(post.alerts), files))
    owned = [outbox_path(outbox, r) for r, _ in plan.audience] if serve_email else []
    owned += [
        chat_outbox_path(outbox, r, name)
        for r, _ in plan.audience
        for name in r.channels
        if channels is None or name in channels
    ]
    return Round(envelopes, plan.audience, owned, {outbox_path(outbox, a.recipient) for a in unbuilt})


def _json_bytes(document: object) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def digest_of(values: Iterable[Any]) -> str:
    """A short stable hash of JSON-able values (for Message-IDs)."""
    text = json.dumps(list(values), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
