"""The record of what was told, the lock that keeps two runs apart, and the outbox.

What a server or a chat robot accepted is recorded per recipient and address in a JSON state
file, written atomically after each accepted message, so that a rerun sends nothing twice and a
failure loses nothing: the next run finds the item still due. What was not accepted waits in the
outbox (``.eml`` for e-mail, ``.json`` for a chat post) until a run delivers it or it is no
longer due. Anything sent once per period (the bulletin) records under its own kind
(``bulletin:2026-11``), which the alert run never forgets.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sanshi_cli.alert_policy import ItemKey, Recipient, escalation_of, item_key
from sanshi_cli.errors import Msg, Problem, SanshiError
from sanshi_cli.files import cannot_write
from sanshi_cli.files import os_reason as _reason
from sanshi_cli.i18n import one_line

if TYPE_CHECKING:
    from email.message import EmailMessage

    from sanshi_cli.alert_policy import Alert
    from sanshi_cli.status import Item

STATE_NAME = ".sanshi-alert-state.json"
OUTBOX_NAME = "outbox"
_STATE_FORMAT = "sanshi-alert-state"
# 2: a kind per record (issue 9); a version-1 file is read as milestones. A problem's record (issue
# 11) adds its id and escalation: optional keys, so the version stays 2 and older files still read.
_STATE_VERSION = 2
# Kinds recorded once per period (``bulletin:2026-11``): never items, so never forgotten as closed.
PERIODIC_KINDS = ("bulletin:",)


@dataclass(frozen=True, slots=True)
class Told:
    """What a server accepted for one address about one item: at which level (and, for a problem,
    escalation), on which day."""

    level: str
    on: date
    escalation: int = 1


StateKey = tuple[str, str, str, str, str]  # (recipient key, address, *ItemKey)


class State:
    """What was told to whom, read from and written to the JSON state file."""

    def __init__(self, told: Mapping[StateKey, Told] | None = None) -> None:
        self.told: dict[StateKey, Told] = dict(told or {})

    def told_of(self, recipient: str, address: str, item: ItemKey) -> Told | None:
        return self.told.get((recipient, address, *item))

    def record(self, alert: Alert, addresses: Iterable[str], as_of: date) -> None:
        """Every item of ``alert`` was told, at its current level, to ``addresses`` on ``as_of``."""
        self.record_items(alert.recipient.key, addresses, alert.items, as_of)

    def record_items(self, recipient: str, addresses: Iterable[str], items: Iterable[Item], as_of: date) -> None:
        """Each of ``items`` was told to ``recipient`` at ``addresses`` on ``as_of``."""
        for address in addresses:
            for item in items:
                self.told[(recipient, address, *item_key(item))] = Told(item.level, as_of, escalation_of(item))

    def record_key(self, recipient: str, address: str, key: ItemKey, as_of: date, level: str = "sent") -> None:
        """Something that is not an item was told: ``("bulletin:2026-11", "", "")`` for a bulletin."""
        self.told[(recipient, address, *key)] = Told(level, as_of)

    def forget_closed(self, considered: Iterable[tuple[Recipient, list[Item]]]) -> None:
        """Drop records of items no longer open and addresses no longer listed, for these recipients.

        An item that closes and later reopens is then new again; the file does not grow forever.
        """
        keep: dict[str, tuple[set[str], set[ItemKey]]] = {
            r.key: (set(r.addresses), {item_key(i) for i in mine}) for r, mine in considered
        }
        for key in list(self.told):
            recipient, address, *item = key
            if item[0].startswith(PERIODIC_KINDS):
                continue
            if recipient in keep:
                addresses, items = keep[recipient]
                if address not in addresses or tuple(item) not in items:
                    del self.told[key]

    def to_json(self) -> str:
        """Version 2: each record names its kind; ``milestone`` is null for the other kinds. A
        problem's record also names the problem (its id) and the escalation it was told at."""
        rows: list[dict[str, object]] = []
        for (recipient, address, kind, project, ident), told in sorted(self.told.items()):
            row: dict[str, object] = {
                "recipient": recipient,
                "address": address,
                "kind": kind,
                "project": project,
                "milestone": ident if kind == "milestone" else None,
            }
            if kind == "problem":
                row["problem"] = ident
            row["level"] = told.level
            if kind == "problem":
                row["escalation"] = told.escalation
            row["on"] = told.on.isoformat()
            rows.append(row)
        document = {"format": _STATE_FORMAT, "version": _STATE_VERSION, "told": rows}
        return json.dumps(document, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> State:
        """Parse the state file; ``ValueError`` when it is not one this version or the one before wrote.

        Version 1 (before issue 9) knew only milestones: its records are read as such, and the
        file is written back as version 2. A record without ``escalation`` (every record before
        issue 11) was told at escalation 1; a problem's record without ``problem`` matches no problem.
        """
        document = json.loads(text)
        if not isinstance(document, dict) or document.get("format") != _STATE_FORMAT:
            raise ValueError("not a sanshi alert state file")
        version = document.get("version")
        if version not in (1, _STATE_VERSION) or isinstance(version, bool):
            raise ValueError(f"unknown version {version!r}")
        told: dict[StateKey, Told] = {}
        rows = document.get("told")
        if not isinstance(rows, list):
            raise ValueError("'told' is not a list")
        for row in rows:
            if not isinstance(row, dict):
                raise ValueError("a record is not an object")
            try:
                kind = row["kind"] if version != 1 else "milestone"
                ident = ""
                if kind == "milestone":
                    ident = row["milestone"]
                elif kind == "problem":
                    ident = row.get("problem", "")
                key = (row["recipient"], row["address"], kind, row["project"], ident)
                level, on = row["level"], date.fromisoformat(row["on"])
                escalation = row.get("escalation", 1)
            except (KeyError, TypeError) as error:
                raise ValueError(f"incomplete record {row!r}") from error
            if not all(isinstance(part, str) for part in (*key, level)):
                raise ValueError(f"bad record {row!r}")
            if isinstance(escalation, bool) or escalation not in (1, 2, 3):
                raise ValueError(f"bad escalation in {row!r}")
            told[key] = Told(level, on, escalation)
        return cls(told)


def default_state_path(project_file: Path) -> Path:
    """The state file beside the project file."""
    return project_file.parent / STATE_NAME


def read_state(path: Path) -> State:
    """The state at ``path`` (empty when the file does not exist yet).

    Only a regular file of at most 64 MiB is read; anything else at that path is an error,
    never an empty state (which would send every open alert again).
    """
    from sanshi_cli.files import STATE_LIMIT, NotAFile, TooBig, read_capped, size_text, wide_encoding

    try:
        raw = read_capped(path, STATE_LIMIT)
    except FileNotFoundError:
        return State()
    except NotAFile as error:
        raise SanshiError(
            [Problem("state_not_a_file", {"path": str(path), "what": Msg(f"what_{error.kind}")})]
        ) from None
    except TooBig as error:
        detail: object = Msg("larger_than", {"limit": size_text(error.limit)})
        raise SanshiError.single("state_unreadable", path=str(path), detail=detail) from None
    except OSError as error:
        raise SanshiError.single("state_unreadable", path=str(path), detail=_reason(error)) from None
    encoding = wide_encoding(raw)
    try:
        if encoding is not None:
            raise ValueError(encoding)
        text = raw.decode("utf-8")
    except (ValueError, UnicodeDecodeError) as error:
        detail = Msg("encoded_as", {"encoding": encoding}) if encoding else _reason(error)
        raise SanshiError.single("state_unreadable", path=str(path), detail=detail) from None
    try:
        return State.from_json(text)
    except RecursionError:
        from sanshi_cli.files import nesting_line

        limit = 500
        line = nesting_line(text, limit, comments=False)
        detail = Msg("nested_deep_at", {"limit": limit, "line": line}) if line else Msg("nested_deep", {"limit": limit})
        raise SanshiError.single("state_unreadable", path=str(path), detail=detail) from None
    except ValueError as error:
        said = one_line(str(error))  # may quote a record: keep the line short
        detail = said if len(said) <= 200 else said[:200] + "…"
        raise SanshiError.single("state_unreadable", path=str(path), detail=detail) from None


def write_state(path: Path, state: State) -> None:
    """Replace the state file atomically (a reader or a crash never sees half a file)."""
    write_atomic(path, state.to_json().encode("utf-8"))


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically, creating its folder; a clear error if that fails.

    What is at ``path`` must be a regular file (or a link to one, whose target is replaced):
    a folder, a FIFO or a device there is an error, never replaced and never written into.
    """
    from sanshi_cli.files import existing_kind
    from sanshi_cli.files import write_atomic as replace_file

    kind = existing_kind(path)
    if kind is not None:
        raise SanshiError([Problem("not_a_file_target", {"path": str(path), "what": Msg(f"what_{kind}")})])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, data)
    except OSError as error:
        raise cannot_write(path, error) from None


class Locked(SanshiError):
    """Another ``sanshi alert`` holds the lock on this state file."""


@contextlib.contextmanager
def lock_state(state_path: Path) -> Iterator[Path]:
    """Hold an exclusive, non-blocking lock on ``<state>.lock`` for the whole run.

    The lock file is never deleted (deleting it would let two runs lock two different files).
    The kernel releases the lock when the process ends, even when it is killed.
    """
    import fcntl

    lock_path = state_path.with_name(state_path.name + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as error:
        raise cannot_write(lock_path, error) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Locked([Problem("alert_locked", {"lock": str(lock_path)})]) from None
        try:
            yield lock_path
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)


# -- the outbox and .eml files --------------------------------------------------------------------


def file_stem(recipient: Recipient) -> str:
    """A file name for a recipient: ``unit-jsj``; other characters replaced, a hash keeps it unique."""
    raw = recipient.key.replace(":", "-", 1)
    safe = re.sub(r"[^\w.-]", "_", raw)[:60].lstrip(".") or "recipient"
    if safe != raw:
        safe += "-" + hashlib.sha256(recipient.key.encode("utf-8")).hexdigest()[:8]
    return safe


def outbox_path(outbox: Path, recipient: Recipient) -> Path:
    """Where a recipient's undelivered message waits: one file each, the latest attempt."""
    return outbox / f"{file_stem(recipient)}.eml"


def chat_outbox_path(outbox: Path, recipient: Recipient, channel: str) -> Path:
    """Where a recipient's undelivered post to a chat group waits: ``unit-jsj@pmo-group.json``."""
    return outbox / f"{file_stem(recipient)}@{channel}.json"


def write_json(path: Path, document: object) -> Path:
    """Save a JSON document (an unsigned chat payload: never a URL or a key), atomically."""
    write_atomic(path, (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return path


def remove_quietly(paths: Iterable[Path]) -> list[Path]:
    """Delete these outbox files; one that cannot be removed is harmless (the next run tries again)."""
    removed = []
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def write_eml(path: Path, message: EmailMessage) -> Path:
    """Save a message as an RFC 5322 ``.eml`` file (CRLF line ends), atomically."""
    write_atomic(path, message.as_bytes())
    return path


def clear_outbox(outbox: Path, recipients: Iterable[Recipient]) -> list[Path]:
    """Delete the e-mail outbox files of these recipients (delivered, or nothing due any more)."""
    return remove_quietly(outbox_path(outbox, recipient) for recipient in recipients)
