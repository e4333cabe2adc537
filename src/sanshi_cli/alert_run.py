"""The alert run's workflow, for any kind of send: lock → read state → decide → send → record → clear outbox.

What is sent is a list of :class:`Envelope`: a message for one transport (an SMTP server or a
chat robot), the addresses it goes to, what the state records when they accept it, and the files
it waits in when they do not. A transport is anything with ``send(message, addresses) ->
Delivery``. The monthly bulletin reuses the same run: its envelopes record ``bulletin:<period>``
and wait in ``bulletin-<period>-<recipient>.eml``.

The clock is passed in (``clock``, a monotonic seconds function), as today is: the core never reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sanshi_cli.alert_store import State, lock_state, read_state, remove_quietly, write_atomic, write_state
from sanshi_cli.errors import Msg, SanshiError

if TYPE_CHECKING:
    from sanshi_cli.alert_policy import Alert, Recipient
    from sanshi_cli.status import Item


@dataclass(slots=True)
class Delivery:
    """What a transport did with one message: the addresses that accepted it, and why the others did not.

    ``fatal`` says the transport itself is misconfigured (a refused login, a robot's bad key or
    signature): nothing more is tried through it this run, and the run exits 2.
    """

    delivered: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    reason: Msg | None = None
    fatal: bool = False


class Transport(Protocol):
    """One way of sending: e-mail over SMTP, or one chat group's robot."""

    def send(self, message: Any, addresses: Sequence[str]) -> Delivery: ...


Recorder = Callable[[State, tuple[str, ...], date], None]


@dataclass(slots=True)
class Envelope:
    """One message for one transport, what accepting it records, and where it waits if refused.

    ``alerts`` are the alerts it carries (one for an e-mail, a section each in a chat post);
    ``waiting`` the outbox files (path, bytes) written when it is not delivered.
    """

    transport: str  # "email", or the chat group's name
    message: Any
    addresses: tuple[str, ...]
    alerts: list[Alert] = field(default_factory=list)
    waiting: list[tuple[Path, bytes]] = field(default_factory=list)
    record: Recorder | None = None  # None: each alert's items are told to the addresses

    @property
    def alert(self) -> Alert:
        return self.alerts[0]

    def tell(self, state: State, addresses: tuple[str, ...], as_of: date) -> None:
        if self.record is not None:
            self.record(state, addresses, as_of)
            return
        for alert in self.alerts:
            state.record(alert, addresses, as_of)


def record_once(recipient: Recipient, key: str) -> Recorder:
    """A recorder for what is sent once per period: ``record_once(pmo, "bulletin:2026-11")``."""

    def record(state: State, addresses: tuple[str, ...], as_of: date) -> None:
        for address in addresses:
            state.record_key(recipient.key, address, (key, "", ""), as_of)

    return record


@dataclass(slots=True)
class Outcome:
    """What became of one envelope: the addresses that accepted it, and why the others did not."""

    envelope: Envelope
    delivered: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    reason: Msg | None = None
    saved: tuple[Path, ...] = ()
    fatal: bool = False
    not_saved: tuple[Path, str] | None = None  # where the outbox could not take it, and why
    not_recorded: str | None = None  # why the state could not record what a server accepted

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def alert(self) -> Alert:
        return self.envelope.alert

    @property
    def login_refused(self) -> bool:
        return self.fatal


@dataclass(slots=True)
class Round:
    """What one run decided: the envelopes, everyone it considered, and the outbox files it owns.

    After the run, every file of ``outbox_files`` is removed except those of undelivered
    envelopes and those in ``keep`` (messages that could not even be built).
    """

    envelopes: list[Envelope]
    audience: Sequence[tuple[Recipient, list[Item]]] = ()
    outbox_files: Iterable[Path] = ()
    keep: set[Path] = field(default_factory=set)
    forget: bool = True  # drop the records of items no longer open (the alert run; not the bulletin)


def deliver(
    envelopes: Sequence[Envelope],
    transports: Callable[[Envelope], Transport],
    state: State,
    state_path: Path,
    as_of: date,
    *,
    clock: Callable[[], float],
    run_until: float | None = None,
    run_timeout: float = 600.0,
) -> list[Outcome]:
    """Send each envelope; record what was accepted (state written after each); outbox the rest.

    After a fatal refusal (a refused login, a robot's bad key) nothing more goes through that
    transport: its remaining envelopes go to the outbox, as does everything left when the run
    passes ``run_until`` (a ``clock`` value). When the state cannot be written after a server
    accepted a message, sending stops at once: that outcome carries ``not_recorded`` and the
    rest is not tried.
    """
    outcomes: list[Outcome] = []
    broken: dict[str, Msg] = {}
    for envelope in envelopes:
        outcome = Outcome(envelope)
        if envelope.transport in broken:
            outcome.failed, outcome.reason, outcome.fatal = envelope.addresses, broken[envelope.transport], True
        elif run_until is not None and clock() >= run_until:
            outcome.failed = envelope.addresses
            outcome.reason = Msg("alert_run_timeout", {"seconds": seconds_text(run_timeout)})
        else:
            delivery = transports(envelope).send(envelope.message, envelope.addresses)
            outcome.delivered, outcome.failed = delivery.delivered, delivery.failed
            outcome.reason, outcome.fatal = delivery.reason, delivery.fatal
            if delivery.fatal and delivery.reason is not None:
                broken[envelope.transport] = delivery.reason
            if outcome.delivered:
                envelope.tell(state, outcome.delivered, as_of)
                try:
                    write_state(state_path, state)
                except SanshiError as error:
                    outcome.not_recorded = why(error)
        if outcome.failed:
            saved: list[Path] = []
            for target, data in envelope.waiting:
                try:
                    write_atomic(target, data)
                    saved.append(target)
                except SanshiError as error:  # the batch goes on: this one is named on stderr
                    outcome.not_saved = (target, why(error))
            outcome.saved = tuple(saved)
        outcomes.append(outcome)
        if outcome.not_recorded is not None:
            break
    return outcomes


def run(
    state_path: Path,
    decide: Callable[[State], Round],
    transports: Callable[[Envelope], Transport],
    as_of: date,
    *,
    clock: Callable[[], float],
    run_until: float | None = None,
    run_timeout: float = 600.0,
) -> tuple[Round, list[Outcome]]:
    """The whole run under the lock: read the state, ``decide`` what to send, send it, record it,
    clear the outbox of what is delivered or no longer due.

    ``decide`` may raise (a usage error: nothing can be sent); nothing is then sent. The state
    is written once before anything is sent, so a state that cannot be written stops the run
    with nothing sent. Raises :class:`~sanshi_cli.alert_store.Locked` when another run holds the lock.
    """
    with lock_state(state_path):
        state = read_state(state_path)
        decided = decide(state)
        outcomes: list[Outcome] = []
        if decided.envelopes:
            write_state(state_path, state)
            outcomes = deliver(
                decided.envelopes,
                transports,
                state,
                state_path,
                as_of,
                clock=clock,
                run_until=run_until,
                run_timeout=run_timeout,
            )
        if not any(o.not_recorded is not None for o in outcomes):  # after a failed write, touch nothing
            if decided.forget:
                state.forget_closed(decided.audience)
            write_state(state_path, state)
            kept = set(decided.keep)
            for outcome in outcomes:
                if not outcome.ok:
                    kept.update(path for path, _ in outcome.envelope.waiting)
            remove_quietly(path for path in decided.outbox_files if path not in kept)
    return decided, outcomes


def why(error: SanshiError) -> str:
    """The reason inside a ``cannot_write`` error (``No space left on device``)."""
    first = error.problems[0] if error.problems else None
    return str(first.params.get("reason", "")) if first is not None else ""


def seconds_text(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)
