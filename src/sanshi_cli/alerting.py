"""Who is told what and when, the record of what was told, the lock, the outbox and SMTP delivery.

The rule (issue 4): a recipient gets a message when at least one of their open items is new to
them, has risen in level, or has stayed open ``repeat_days`` since they were last told; the
message then lists all their open items. An item is known by its kind, its project and, for a
milestone, the milestone (issue 9): a project behind on progress and on investment is two items.
A problem of the 问题清单 (issue 11) is known by its id, and its escalation (1, 2 or 3) rises like
a level: reaching level 2 or 3 tells everyone who has it again, marked as risen.
What a server accepted is recorded per recipient and address in a JSON state file, written
atomically after each accepted message, so that a rerun sends nothing twice and a failure loses
nothing: the next run finds the item still due.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import smtplib
import ssl
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Literal

from sanshi_cli.addresses import bare_host, parse_sender_text
from sanshi_cli.errors import Msg, Problem, SanshiError, UsageError
from sanshi_cli.files import cannot_write
from sanshi_cli.files import os_reason as _reason
from sanshi_cli.i18n import one_line
from sanshi_cli.loading import Loaded, suggest
from sanshi_cli.model import Security, SmtpConfig, Unit
from sanshi_cli.status import RANK, Item, find_items

Kind = Literal["unit", "leader", "pmo"]
Mark = Literal["new", "risen"]
Reason = Literal["new", "risen", "repeat"]
# (kind, project id, the milestone's id for a milestone, the problem's id for a problem, else "")
ItemKey = tuple[str, str, str]

STATE_NAME = ".sanshi-alert-state.json"
OUTBOX_NAME = "outbox"
DEFAULT_PORTS: dict[str, int] = {"ssl": 465, "starttls": 587, "none": 25}
_STATE_FORMAT = "sanshi-alert-state"
# 2: a kind per record (issue 9); a version-1 file is read as milestones. A problem's record (issue
# 11) adds its id and escalation: optional keys, so the version stays 2 and older files still read.
_STATE_VERSION = 2
# Escalation 3 is 督办: the district's top list, at the top of the digest and of every message.
TOP_ESCALATION = 3


# -- who gets what --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recipient:
    """A unit, a lead official or the PMO, with the addresses the project file gives them."""

    kind: Kind
    id: str
    name: str
    addresses: tuple[str, ...]

    @property
    def key(self) -> str:
        """The recipient's identity in the state file and in file names: ``unit:jsj``, ``pmo``."""
        return "pmo" if self.kind == "pmo" else f"{self.kind}:{self.id}"


@dataclass(frozen=True, slots=True)
class Unreachable:
    """Someone with open items but no e-mail address: listed in the PMO digest."""

    recipient: Recipient
    count: int


@dataclass(slots=True)
class Alert:
    """One message to send: all of a recipient's open items, the new and risen ones marked."""

    recipient: Recipient
    addresses: tuple[str, ...]  # the recipient's addresses for which something is due
    items: list[Item]
    marks: dict[ItemKey, Mark] = field(default_factory=dict)
    unreachable: list[Unreachable] = field(default_factory=list)

    def mark(self, item: Item) -> Mark | None:
        return self.marks.get(item_key(item))


@dataclass(slots=True)
class Plan:
    """What a run would send, and to whom it would not."""

    alerts: list[Alert]
    audience: list[tuple[Recipient, list[Item]]]  # every recipient considered, with their open items
    quiet: list[Recipient]  # reachable, with open items, but nothing due
    unreachable: list[Unreachable]


def item_key(item: Item) -> ItemKey:
    if item.problem is not None:
        return (item.kind, item.project.id, item.problem.id)
    return (item.kind, item.project.id, item.milestone.id if item.milestone is not None else "")


def escalation_of(item: Item) -> int:
    """A problem's escalation (1, 2 or 3); 1 for every other kind."""
    return item.problem.escalation if item.problem is not None else 1


def supervised(item: Item) -> bool:
    """督办: a problem at the top escalation, which the digest lists first."""
    return escalation_of(item) >= TOP_ESCALATION


def awaiting_verification(item: Item) -> bool:
    """待销号: a problem reported solved and not yet verified; the PMO's to chase, not the unit's."""
    return item.kind == "problem" and item.state == "awaiting_verification"


def tells_leader(item: Item) -> bool:
    """Whether the item's lead official hears of it: a red or yellow item; a problem only once it
    has escalated to level 2 or turned red (a problem a day overdue is still the unit's own)."""
    if item.problem is not None:
        return not awaiting_verification(item) and (item.problem.escalation >= 2 or item.level == "red")
    return item.level in ("red", "yellow")


def due_reason(told: Told | None, level: str, as_of: date, repeat_days: int, escalation: int = 1) -> Reason | None:
    """Why an item is due for one address: new, risen (in level or in escalation), repeated after
    ``repeat_days``, or not due."""
    if told is None:
        return "new"
    if RANK.get(level, 0) > RANK.get(told.level, 0) or escalation > told.escalation:
        return "risen"
    if (as_of - told.on).days >= repeat_days:
        return "repeat"
    return None


def resolve_only_unit(loaded: Loaded, value: str | None) -> Unit | None:
    """The unit ``--only-unit`` names (id or name), or a usage error with a suggestion."""
    if value is None:
        return None
    units = loaded.portfolio.units
    for unit in units:
        if value == unit.id:
            return unit
    for unit in units:
        if value == unit.name:
            return unit
    names = {u.id: u.name for u in units}
    hint = suggest(value, list(names) + list(names.values()))
    raise UsageError(
        [
            Problem(
                "unknown_filter",
                {"option": "--only-unit", "value": one_line(value), "kind": Msg("kind_unit"), "hint": hint},
            )
        ]
    )


def audience(
    loaded: Loaded, items: Sequence[Item], only_unit: Unit | None = None
) -> list[tuple[Recipient, list[Item]]]:
    """Every recipient this run considers, with the open items meant for them.

    Units get their blue, yellow and red items, and the open problems they own; lead officials the
    yellow and red items of their projects, and the problems they lead from escalation 2 or red;
    the people in ``[problems] escalate_to`` every problem at escalation 3 (督办); the PMO
    everything, problems awaiting verification (待销号) included (only when ``[alerts] pmo`` lists
    an address). A person who leads and is in ``escalate_to`` gets one message.
    """
    portfolio = loaded.portfolio
    top = list(dict.fromkeys(portfolio.problems.escalate_to))
    # One pass over the items, grouped by unit and by leader (issue 8: 20,000 units took 70 s
    # when every unit scanned every item).
    by_unit: dict[str, list[Item]] = {}
    by_leader: dict[str, list[Item]] = {}
    for item in items:
        if not awaiting_verification(item):
            by_unit.setdefault(item.owner.id, []).append(item)
        told = [item.leader.id] if tells_leader(item) else []
        if supervised(item):
            told += [p for p in top if p not in told]
        for person_id in told:
            by_leader.setdefault(person_id, []).append(item)
    units = [only_unit] if only_unit is not None else portfolio.units
    chosen: list[tuple[Recipient, list[Item]]] = []
    for unit in units:
        mine = list(by_unit.get(unit.id, ()))
        chosen.append((Recipient("unit", unit.id, unit.name, tuple(unit.email)), mine))
    if only_unit is not None:
        return chosen
    for person in portfolio.people:
        theirs = list(by_leader.get(person.id, ()))
        chosen.append((Recipient("leader", person.id, person.name, tuple(person.email)), theirs))
    if portfolio.alerts.pmo:
        chosen.append((Recipient("pmo", "pmo", "", tuple(portfolio.alerts.pmo)), list(items)))
    return chosen


def find_alerts(loaded: Loaded, as_of: date, state: State, *, only_unit: Unit | None = None) -> Plan:
    """The messages due as of ``as_of`` given what ``state`` says was already told."""
    items = find_items(loaded, as_of)
    repeat_days = loaded.portfolio.alerts.repeat_days
    considered = audience(loaded, items, only_unit)
    unreachable = [Unreachable(r, len(mine)) for r, mine in considered if mine and not r.addresses]
    alerts: list[Alert] = []
    quiet: list[Recipient] = []
    for recipient, mine in considered:
        if not mine or not recipient.addresses:
            continue
        due_addresses: list[str] = []
        marks: dict[ItemKey, Mark] = {}
        for address in recipient.addresses:
            reasons = {
                item_key(i): due_reason(
                    state.told_of(recipient.key, address, item_key(i)), i.level, as_of, repeat_days, escalation_of(i)
                )
                for i in mine
            }
            if not any(reasons.values()):
                continue
            due_addresses.append(address)
            for key, reason in reasons.items():
                if reason == "new" or (reason == "risen" and marks.get(key) != "new"):
                    marks[key] = reason
        if not due_addresses:
            quiet.append(recipient)
            continue
        alert = Alert(recipient, tuple(due_addresses), list(mine), marks)
        if recipient.kind == "pmo":
            alert.unreachable = unreachable
        alerts.append(alert)
    return Plan(alerts, considered, quiet, unreachable)


# -- the state file -------------------------------------------------------------------------------


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
        for address in addresses:
            for item in alert.items:
                self.told[(alert.recipient.key, address, *item_key(item))] = Told(
                    item.level, as_of, escalation_of(item)
                )

    def forget_closed(self, considered: Iterable[tuple[Recipient, list[Item]]]) -> None:
        """Drop records of items no longer open and addresses no longer listed, for these recipients.

        An item that closes and later reopens is then new again; the file does not grow forever.
        """
        keep: dict[str, tuple[set[str], set[ItemKey]]] = {
            r.key: (set(r.addresses), {item_key(i) for i in mine}) for r, mine in considered
        }
        for key in list(self.told):
            recipient, address, *item = key
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


def write_eml(path: Path, message: EmailMessage) -> Path:
    """Save a message as an RFC 5322 ``.eml`` file (CRLF line ends), atomically."""
    write_atomic(path, message.as_bytes())
    return path


def clear_outbox(outbox: Path, recipients: Iterable[Recipient]) -> list[Path]:
    """Delete the outbox files of these recipients (delivered, or nothing due any more)."""
    removed = []
    for recipient in recipients:
        path = outbox_path(outbox, recipient)
        # A stale file that cannot be removed is harmless: the next run tries again.
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


# -- SMTP settings --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sender:
    """The ``From`` of every message: a display name (may be empty) and an address."""

    name: str
    address: str


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """``[smtp]`` with the environment applied and the password read: everything needed to send."""

    host: str | None
    port: int
    security: Security
    username: str | None
    password: str | None = field(repr=False)
    sender: Sender | None
    timeout: float
    insecure: bool = False
    run_timeout: float = 600.0

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def login(self) -> str | None:
        """Who to log in as; None means no login (there is no password)."""
        if self.password is None:
            return None
        return self.username or (self.sender.address if self.sender else None)


def parse_sender(text: str) -> Sender | None:
    """``高新区指挥部办公室 <sanshi@example.gov.cn>`` or a bare address; None when it is neither."""
    parts = parse_sender_text(text)
    return None if parts is None else Sender(*parts)


def resolve_smtp(
    config: SmtpConfig, environ: Mapping[str, str], base_dir: Path, *, insecure: bool = False
) -> SmtpSettings:
    """``[smtp]`` overridden by ``SANSHI_SMTP_*``/``SANSHI_MAIL_FROM``; the password from the
    environment or ``password_file`` (relative to the project file's folder).

    An empty environment variable counts as unset. Problems with the values are usage errors;
    the environment is held to the same rules as the file's keys (issue 8): an ASCII port from 1
    to 65535 with nothing around it, a bare host name, one sender address that can be sent.
    """

    def env(name: str) -> str | None:
        value = environ.get(name, "")
        return value if value.strip() else None  # blank is unset; " 25" is not 25

    problems: list[Problem] = []
    raw_host = env("SANSHI_SMTP_HOST")
    if raw_host is not None and not bare_host(raw_host):
        problems.append(_bad_env("SANSHI_SMTP_HOST", raw_host, Msg("want_host")))
    host = raw_host or (config.host.strip() if config.host else None) or None
    security: Security = config.security
    raw_security = env("SANSHI_SMTP_SECURITY")
    if raw_security is not None:
        if raw_security.lower() in DEFAULT_PORTS:
            security = raw_security.lower()  # type: ignore[assignment]
        else:
            problems.append(
                _bad_env("SANSHI_SMTP_SECURITY", raw_security, Msg("want_one_of", {"choices": "ssl, starttls, none"}))
            )
    port = config.port or DEFAULT_PORTS[security]
    raw_port = env("SANSHI_SMTP_PORT")
    if raw_port is not None:
        if re.fullmatch(r"[0-9]{1,5}", raw_port, flags=re.ASCII) and 1 <= int(raw_port) <= 65535:
            port = int(raw_port)
        else:
            problems.append(_bad_env("SANSHI_SMTP_PORT", raw_port, Msg("want_port")))
    username = env("SANSHI_SMTP_USER") or config.username or None
    sender_text = env("SANSHI_MAIL_FROM") or config.sender
    sender: Sender | None = None
    if sender_text is not None:
        sender = parse_sender(sender_text)
        if sender is None:
            if env("SANSHI_MAIL_FROM"):
                problems.append(_bad_env("SANSHI_MAIL_FROM", sender_text, Msg("want_sender")))
            else:
                problems.append(Problem("bad_from", {"value": one_line(sender_text)}, key="smtp.from"))
    elif username is not None:
        sender = parse_sender(username)  # the providers want From equal to the login anyway
    password = environ.get("SANSHI_SMTP_PASSWORD") or None
    if password is None and config.password_file:
        password_path = Path(config.password_file).expanduser()
        if not password_path.is_absolute():
            password_path = base_dir / password_path
        try:
            password = _read_secret(password_path)
        except SecretUnreadable as error:
            problems.append(Problem("password_file_unreadable", {"path": str(password_path), "reason": error.reason}))
    if problems:
        raise UsageError(problems)
    return SmtpSettings(host, port, security, username, password, sender, config.timeout, insecure, config.run_timeout)


class SecretUnreadable(Exception):
    """A password file that cannot be used; ``reason`` says why, in words or as a message."""

    def __init__(self, reason: object) -> None:
        super().__init__(str(reason))
        self.reason = reason


def _read_secret(path: Path) -> str | None:
    """A password file's text, stripped (None when empty): a regular file of at most 64 KiB."""
    from sanshi_cli.files import SECRET_LIMIT, NotAFile, TooBig, read_capped, size_text, wide_encoding

    try:
        raw = read_capped(path, SECRET_LIMIT)
    except NotAFile as error:
        raise SecretUnreadable(Msg("is_what", {"what": Msg(f"what_{error.kind}")})) from None
    except TooBig as error:
        raise SecretUnreadable(Msg("larger_than", {"limit": size_text(error.limit)})) from None
    except OSError as error:
        raise SecretUnreadable(_reason(error)) from None
    encoding = wide_encoding(raw)
    if encoding is not None:
        raise SecretUnreadable(Msg("encoded_as", {"encoding": encoding}))
    try:
        return raw.decode("utf-8-sig").strip() or None
    except UnicodeDecodeError as error:
        raise SecretUnreadable(_reason(error)) from None


def _bad_env(name: str, value: str, detail: Msg) -> Problem:
    return Problem("bad_env", {"name": name, "value": one_line(value), "detail": detail})


def n_messages(count: int) -> Msg:
    """``3 alert messages`` / ``1 alert message`` inside a problem message."""
    return Msg("alert_n_messages_1" if count == 1 else "alert_n_messages", {"n": count})


def check_sendable(settings: SmtpSettings, count: int) -> None:
    """Raise a usage error when ``count`` messages must go out but the settings cannot send them."""
    problems = []
    if settings.host is None:
        problems.append(Problem("smtp_no_host", {"messages": n_messages(count)}))
    if settings.sender is None:
        problems.append(Problem("smtp_no_from", {}))
    if settings.login is not None and settings.security == "none" and not settings.insecure:
        problems.append(Problem("smtp_plaintext_login", {}))
    if problems:
        raise UsageError(problems)


# -- SMTP delivery --------------------------------------------------------------------------------


class DeliveryError(Exception):
    """A message was not accepted; ``reason`` says why in the user's language."""

    def __init__(self, reason: Msg) -> None:
        super().__init__(reason.key)
        self.reason = reason


class SmtpRefusedLogin(Exception):
    """The server refused the login (or offers none): a configuration error, exit 2."""

    def __init__(self, reason: Msg) -> None:
        super().__init__(reason.key)
        self.reason = reason


def tls_context(insecure: bool) -> ssl.SSLContext:
    """The system's trusted CAs (or ``$SSL_CERT_FILE``/``$SSL_CERT_DIR``), hostname checked."""
    context = ssl.create_default_context()
    if insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _reply(error: smtplib.SMTPResponseException) -> str:
    text = error.smtp_error.decode("utf-8", "replace") if isinstance(error.smtp_error, bytes) else str(error.smtp_error)
    return one_line(f"{error.smtp_code} {' '.join(text.split())}")


def _timed_out(error: BaseException) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, TimeoutError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class _DeadlineReader(io.RawIOBase):
    """The socket's bytes, each read allowed only the time left before the connection's deadline."""

    def __init__(self, smtp: _Deadlines) -> None:
        self.smtp = smtp

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        sock = self.smtp.sock
        if sock is None:
            return 0
        sock.settimeout(self.smtp.remaining())
        return int(sock.recv_into(buffer))


class _Deadlines(smtplib.SMTP):
    """smtplib with ``timeout`` as a deadline for each command and its reply, not for each read.

    smtplib's socket timeout restarts at every byte, so a server trickling a byte every half
    second could hold a run (and its lock) for ever. Here a command and its reply share one
    deadline, and no deadline goes past the run's own (``run_until``, a ``time.monotonic`` value).
    """

    def __init__(self, *args: Any, run_until: float | None = None, **kwargs: Any) -> None:
        self.run_until = run_until
        self.deadline: float | None = None
        self.limit = float(kwargs.get("timeout", 30.0))
        super().__init__(*args, **kwargs)

    def start(self) -> None:
        until = time.monotonic() + self.limit
        self.deadline = until if self.run_until is None else min(until, self.run_until)

    def remaining(self) -> float:
        if self.deadline is None:
            self.start()
        assert self.deadline is not None
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("timed out")
        return left

    def send(self, s: Any) -> None:
        self.start()  # a command begins: its reply must come before this deadline
        if self.sock is not None:
            try:
                self.sock.settimeout(self.remaining())  # sendall: one limit for the whole of it
            except TimeoutError:
                self.close()
                raise smtplib.SMTPServerDisconnected("timed out") from TimeoutError("timed out")
        super().send(s)

    def getreply(self) -> tuple[int, bytes]:
        if self.file is None and self.sock is not None:
            self.file = io.BufferedReader(_DeadlineReader(self))
        try:
            return super().getreply()
        finally:
            self.deadline = None
            if self.sock is not None:  # what smtplib does next (a TLS handshake) gets the whole timeout
                with contextlib.suppress(OSError):
                    self.sock.settimeout(self.limit)


class _DeadlinesSSL(_Deadlines, smtplib.SMTP_SSL):
    """The same deadlines over implicit TLS (port 465)."""


class SmtpTransport:
    """One SMTP connection for a batch, opened on first use, reopened once if the server drops it.

    A connection that cannot be made (refused, timeout, certificate) is not retried for every
    message: the rest of the batch fails fast with the same reason.
    """

    def __init__(self, settings: SmtpSettings, run_until: float | None = None) -> None:
        assert settings.host is not None and settings.sender is not None
        self.settings = settings
        self.run_until = run_until
        self._smtp: smtplib.SMTP | None = None
        self._broken: DeliveryError | None = None

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        assert s.host is not None
        server = s.server
        context = tls_context(s.insecure)
        smtp: smtplib.SMTP | None = None
        try:
            if s.security == "ssl":
                smtp = _DeadlinesSSL(s.host, s.port, timeout=s.timeout, context=context, run_until=self.run_until)
            else:
                smtp = _Deadlines(s.host, s.port, timeout=s.timeout, run_until=self.run_until)
            smtp.ehlo()
            if s.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise DeliveryError(Msg("smtp_no_starttls", {"server": server}))
                smtp.starttls(context=context)
                smtp.ehlo()
        except DeliveryError:
            _close_quietly(smtp)
            raise
        except Exception as error:
            _close_quietly(smtp)
            raise DeliveryError(_connection_reason(error, s)) from None
        login = s.login
        if login is not None:
            assert s.password is not None
            try:
                smtp.login(login, s.password)
            except smtplib.SMTPAuthenticationError as error:
                _close_quietly(smtp)
                raise SmtpRefusedLogin(Msg("smtp_login_refused", {"server": server, "reply": _reply(error)})) from None
            except smtplib.SMTPServerDisconnected as error:
                _close_quietly(smtp)
                raise DeliveryError(_connection_reason(error, s)) from None
            except smtplib.SMTPException:
                # no AUTH offered, or no mechanism in common: only the configuration can fix that
                _close_quietly(smtp)
                raise SmtpRefusedLogin(Msg("smtp_no_auth", {"server": server})) from None
            except OSError as error:
                _close_quietly(smtp)
                raise DeliveryError(_connection_reason(error, s)) from None
        return smtp

    def send(self, message: EmailMessage, addresses: Sequence[str]) -> dict[str, str]:
        """Send; return the refused addresses with the server's reply (empty when all accepted).

        Raises :class:`DeliveryError` when nothing was accepted for a reason other than the
        recipients, and :class:`SmtpRefusedLogin` when the login was refused.
        """
        if self._broken is not None:
            raise self._broken
        sender = self.settings.sender
        assert sender is not None
        for attempt in (1, 2):
            fresh = self._smtp is None
            if self._smtp is None:
                try:
                    self._smtp = self._connect()
                except DeliveryError as error:
                    self._broken = error
                    raise
            smtp = self._smtp
            try:
                refused = smtp.send_message(message, from_addr=sender.address, to_addrs=list(addresses))
            except smtplib.SMTPRecipientsRefused as error:
                return {a: _refused_reply(r) for a, r in error.recipients.items()}
            except smtplib.SMTPServerDisconnected as error:
                self._smtp = None
                _close_quietly(smtp)
                if _timed_out(error):
                    self._broken = DeliveryError(_connection_reason(error, self.settings))
                    raise self._broken from None
                if attempt == 1 and not fresh:
                    continue  # the server dropped an idle connection: reconnect once
                raise DeliveryError(_connection_reason(error, self.settings)) from None
            except smtplib.SMTPResponseException as error:
                raise DeliveryError(Msg("smtp_refused", {"reply": _reply(error)})) from None
            except smtplib.SMTPNotSupportedError as error:
                # e.g. a non-ASCII address and a server without SMTPUTF8; the connection is fine
                raise DeliveryError(Msg("smtp_refused", {"reply": one_line(str(error))})) from None
            except (smtplib.SMTPException, OSError) as error:
                self._smtp = None
                _close_quietly(smtp)
                failure = DeliveryError(_connection_reason(error, self.settings))
                if _timed_out(error):
                    self._broken = failure
                raise failure from None
            return {a: _refused_reply(r) for a, r in refused.items()}
        raise AssertionError("unreachable")


def _refused_reply(reply: tuple[int, bytes]) -> str:
    code, text = reply
    return one_line(f"{code} {' '.join(text.decode('utf-8', 'replace').split())}")


def _close_quietly(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        with contextlib.suppress(Exception):
            smtp.close()


def _connection_reason(error: BaseException, settings: SmtpSettings) -> Msg:
    server = settings.server
    if isinstance(error, ssl.SSLCertVerificationError):
        detail = one_line(error.verify_message or str(error))
        return Msg("smtp_certificate", {"server": server, "detail": detail})
    if isinstance(error, ssl.SSLError):
        return Msg("smtp_tls_failed", {"server": server, "detail": one_line(error.reason or str(error))})
    if _timed_out(error):
        return Msg("smtp_timeout", {"server": server, "seconds": _seconds(settings.timeout)})
    if isinstance(error, smtplib.SMTPResponseException):
        return Msg("smtp_refused", {"reply": _reply(error)})
    return Msg("smtp_connect_failed", {"server": server, "detail": _reason(error)})


def _seconds(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


# -- a batch --------------------------------------------------------------------------------------


@dataclass(slots=True)
class Outcome:
    """What became of one alert: the addresses that accepted it, and why the others did not."""

    alert: Alert
    delivered: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    reason: Msg | None = None
    saved: Path | None = None
    login_refused: bool = False
    not_saved: tuple[Path, str] | None = None  # where the outbox could not take it, and why
    not_recorded: str | None = None  # why the state could not record what a server accepted

    @property
    def ok(self) -> bool:
        return not self.failed


def send_alerts(
    batch: Sequence[tuple[Alert, EmailMessage]],
    transport: SmtpTransport,
    state: State,
    state_path: Path,
    outbox: Path,
    as_of: date,
    *,
    run_until: float | None = None,
    run_timeout: float = 600.0,
) -> list[Outcome]:
    """Send each message; record what was accepted (state written after each); outbox the rest.

    After a refused login nothing more is tried: every remaining message goes to the outbox, as
    does everything left when the run passes ``run_until`` (a ``time.monotonic`` value). When the
    state cannot be written after a server accepted a message, sending stops at once: that
    outcome carries ``not_recorded`` and the rest of the batch is not tried.
    """
    outcomes: list[Outcome] = []
    refused_login: Msg | None = None
    for alert, message in batch:
        outcome = Outcome(alert)
        if refused_login is not None:
            outcome.failed, outcome.reason, outcome.login_refused = alert.addresses, refused_login, True
        elif run_until is not None and time.monotonic() >= run_until:
            outcome.failed = alert.addresses
            outcome.reason = Msg("alert_run_timeout", {"seconds": _seconds(run_timeout)})
        else:
            try:
                refused = transport.send(message, alert.addresses)
            except SmtpRefusedLogin as error:
                refused_login = error.reason
                outcome.failed, outcome.reason, outcome.login_refused = alert.addresses, error.reason, True
            except DeliveryError as error:
                outcome.failed, outcome.reason = alert.addresses, error.reason
            else:
                outcome.delivered = tuple(a for a in alert.addresses if a not in refused)
                outcome.failed = tuple(a for a in alert.addresses if a in refused)
                if refused:
                    replies = "; ".join(dict.fromkeys(refused.values()))
                    outcome.reason = Msg("smtp_recipients_refused", {"addresses": ", ".join(refused), "reply": replies})
                if outcome.delivered:
                    state.record(alert, outcome.delivered, as_of)
                    try:
                        write_state(state_path, state)
                    except SanshiError as error:
                        outcome.not_recorded = _why(error)
        if outcome.failed:
            target = outbox_path(outbox, alert.recipient)
            try:
                outcome.saved = write_eml(target, message)
            except SanshiError as error:  # the batch goes on: this one is named on stderr
                outcome.not_saved = (target, _why(error))
        outcomes.append(outcome)
        if outcome.not_recorded is not None:
            break
    return outcomes


def _why(error: SanshiError) -> str:
    """The reason inside a ``cannot_write`` error (``No space left on device``)."""
    first = error.problems[0] if error.problems else None
    return str(first.params.get("reason", "")) if first is not None else ""


def digest_of(values: Iterable[Any]) -> str:
    """A short stable hash of JSON-able values (for Message-IDs)."""
    text = json.dumps(list(values), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
