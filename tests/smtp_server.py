"""A real SMTP server for the alert tests: aiosmtpd on 127.0.0.1, recording what it accepts.

No mock of smtplib anywhere: sanshi talks to this server over a socket, as it would to QQ mail.
"""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Received:
    """One message as the server accepted it."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    authenticated_as: str | None = None

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        body = self.message.get_body(("plain",))
        assert body is not None
        return str(body.get_content())  # type: ignore[attr-defined]

    @property
    def html(self) -> str:
        body = self.message.get_body(("html",))
        assert body is not None
        return str(body.get_content())  # type: ignore[attr-defined]


@dataclass
class Recorder:
    """The server's handler: refuses the addresses in ``refuse``, keeps everything else.

    For the fault tests it can also misbehave: ``rcpt_replies`` answers chosen recipients with
    another reply (``452 …``), ``data_replies`` answers the n-th message (1-based) with another
    reply (``421 …``) instead of accepting it, and ``drop_after_data`` hangs up on the n-th message
    after its DATA without any reply. A message is in ``received`` only if the server said 250.
    """

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    rcpt_replies: dict[str, str] = field(default_factory=dict)
    data_replies: dict[int, str] = field(default_factory=dict)
    drop_after_data: set[int] = field(default_factory=set)
    data_calls: int = 0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        if address in self.rcpt_replies:
            return self.rcpt_replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        user = session.auth_data.login.decode() if session.authenticated and session.auth_data else None
        with self.lock:
            self.data_calls += 1
            n = self.data_calls
            if n in self.drop_after_data:
                server.transport.close()
                return "250 never heard"
            if n in self.data_replies:
                return self.data_replies[n]
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content, user))
        return "250 Message accepted for delivery"

    def by_address(self) -> dict[str, Received]:
        """Each recipient address and the message it got (a test fails if one got two)."""
        found: dict[str, Received] = {}
        for message in self.received:
            for address in message.rcpt_tos:
                assert address not in found, f"{address} got two messages"
                found[address] = message
        return found


def password_checker(user: str, password: str) -> Any:
    """An aiosmtpd authenticator that accepts exactly one login."""

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and data.login == user.encode() and data.password == password.encode()
        # handled=False: let aiosmtpd answer 535 itself (handled=True would leave the client waiting)
        return AuthResult(success=ok, handled=False, auth_data=data if ok else None)

    return authenticate


@dataclass
class Server:
    """A running server: where it listens and what it received."""

    port: int
    recorder: Recorder
    controller: Controller

    @property
    def received(self) -> list[Received]:
        return self.recorder.received


def start_server(**options: Any) -> Server:
    """Start aiosmtpd on 127.0.0.1 on a free port; ``options`` go to the controller and SMTP."""
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, ready_timeout=5, **options)
    controller.start()
    return Server(port, recorder, controller)


@dataclass
class Tls:
    """A private CA (trustme) and the server's TLS context with a certificate for 127.0.0.1."""

    ca_file: Path
    server_context: ssl.SSLContext


def make_tls(folder: Path) -> Tls:
    import trustme

    ca = trustme.CA()
    certificate = ca.issue_cert("127.0.0.1")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)
    ca_file = folder / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return Tls(ca_file, context)


class Trickler:
    """A server that answers one byte every ``every`` seconds, for ever: a reply that never ends.

    Each connection gets a greeting written as endless ``220-`` continuation lines, so a client
    whose timeout restarts at every byte would wait for ever.
    """

    def __init__(self, every: float = 0.3) -> None:
        self.every = every
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port: int = self.listener.getsockname()[1]
        self.stopped = threading.Event()
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.listener.settimeout(0.1)
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._trickle, args=(client,), daemon=True).start()

    def _trickle(self, client: socket.socket) -> None:
        with client:
            line = b"220-still greeting you\r\n"
            sent = 0
            while not self.stopped.wait(self.every):
                try:
                    client.sendall(line[sent % len(line) : sent % len(line) + 1])
                except OSError:
                    return
                sent += 1

    def stop(self) -> None:
        self.stopped.set()
        self.listener.close()
