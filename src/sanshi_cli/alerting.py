"""``sanshi alert``'s library, by the names it has always had.

The work is split by step (issue 14): :mod:`~sanshi_cli.alert_policy` decides who is told what
(pure), :mod:`~sanshi_cli.alert_store` keeps the state, the lock and the outbox,
:mod:`~sanshi_cli.mail_transport` and :mod:`~sanshi_cli.webhooks` are the transports (e-mail, the
chat robots), and :mod:`~sanshi_cli.alert_run` is the run's workflow. This module names them all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

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
    read_state,
    write_atomic,
    write_eml,
    write_json,
    write_state,
)
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
    "CHANNEL_PREFIX", "DEFAULT_PORTS", "OUTBOX_NAME", "STATE_NAME", "TOP_ESCALATION", "Alert", "Delivery",
    "DeliveryError", "Envelope", "ItemKey", "Kind", "Locked", "Mark", "Outcome", "Plan", "Reason", "Recipient", "Round",
    "SecretUnreadable", "Sender", "SmtpRefusedLogin", "SmtpSettings", "SmtpTransport", "State", "StateKey", "Told",
    "Transport", "Unreachable", "audience", "awaiting_verification", "channel_address", "chat_outbox_path",
    "check_sendable", "clear_outbox", "default_state_path", "deliver", "digest_of", "due_reason", "escalation_of",
    "file_stem", "find_alerts", "item_key", "lock_state", "n_messages", "outbox_path", "parse_sender", "read_state",
    "record_once", "resolve_only_unit", "resolve_smtp", "run", "supervised", "tells_leader", "tls_context",
    "write_atomic", "write_eml", "write_json", "write_state",
]  # fmt: skip


def digest_of(values: Iterable[Any]) -> str:
    """A short stable hash of JSON-able values (for Message-IDs)."""
    text = json.dumps(list(values), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
