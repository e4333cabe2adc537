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
    """The server's handler: refuses the addresses in ``refuse``, keeps everything else."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        user = session.auth_data.login.decode() if session.authenticated and session.auth_data else None
        with self.lock:
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
