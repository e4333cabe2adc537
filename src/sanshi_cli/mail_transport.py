"""E-mail as a transport: ``[smtp]`` resolved with the environment, and SMTP delivery with deadlines.

One of the alert run's transports (see :mod:`sanshi_cli.alert_run`); the chat robots are the others.
"""

from __future__ import annotations

import contextlib
import io
import re
import smtplib
import ssl
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sanshi_cli.addresses import bare_host, parse_sender_text
from sanshi_cli.alert_run import Delivery
from sanshi_cli.errors import Msg, Problem, UsageError
from sanshi_cli.files import os_reason as _reason
from sanshi_cli.i18n import one_line
from sanshi_cli.model import Security, SmtpConfig

DEFAULT_PORTS: dict[str, int] = {"ssl": 465, "starttls": 587, "none": 25}


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
            password = read_secret(password_path)
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


def read_secret(path: Path) -> str | None:
    """A password (or webhook URL, or signing secret) file's text, stripped (None when empty): a
    regular file of at most 64 KiB."""
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

    def send(self, message: EmailMessage, addresses: Sequence[str]) -> Delivery:
        """The transport's interface: which addresses accepted ``message``, and why the others did not."""
        try:
            refused = self.send_refused(message, addresses)
        except SmtpRefusedLogin as error:
            return Delivery(failed=tuple(addresses), reason=error.reason, fatal=True)
        except DeliveryError as error:
            return Delivery(failed=tuple(addresses), reason=error.reason)
        delivery = Delivery(
            delivered=tuple(a for a in addresses if a not in refused),
            failed=tuple(a for a in addresses if a in refused),
        )
        if refused:
            replies = "; ".join(dict.fromkeys(refused.values()))
            delivery.reason = Msg("smtp_recipients_refused", {"addresses": ", ".join(refused), "reply": replies})
        return delivery

    def send_refused(self, message: EmailMessage, addresses: Sequence[str]) -> dict[str, str]:
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
