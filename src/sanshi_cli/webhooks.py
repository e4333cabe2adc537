"""Chat robots as a transport: each group's webhook URL and secret resolved, and posts delivered.

A post is sent part by part over one HTTPS connection per group (httpx, imported here only),
each part signed at the moment it goes (DingTalk in the query string, Feishu in the body),
paced under the platform's rate limit and retried with backoff when the platform says it is
busy. Success is the JSON the robot answers, never the HTTP status alone. The URL's secret part
(WeCom ``key=``, DingTalk ``access_token=``, Feishu ``/hook/<token>``) is masked in every message.

The clocks are passed in: ``clock`` (monotonic seconds, for pacing), ``sleep``, and ``now``
(wall-clock seconds, for the signatures' timestamps).
"""

from __future__ import annotations

import ipaddress
import json
import re
import ssl
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sanshi_cli.alert_run import Delivery
from sanshi_cli.chat import Platform, Post, sign_dingtalk, sign_feishu
from sanshi_cli.errors import Msg, Problem
from sanshi_cli.i18n import one_line
from sanshi_cli.loading import channel_env

if TYPE_CHECKING:
    import httpx

    from sanshi_cli.model import Channel

PUBLIC_HOSTS: dict[str, str] = {
    "wecom": "qyapi.weixin.qq.com",
    "dingtalk": "oapi.dingtalk.com",
    "feishu": "open.feishu.cn",
}
# (messages, seconds): WeCom and DingTalk 20 a minute per robot; Feishu 100 a minute and 5 a second.
RATES: dict[str, tuple[tuple[int, float], ...]] = {
    "wecom": ((20, 60.0),),
    "dingtalk": ((20, 60.0),),
    "feishu": ((100, 60.0), (5, 1.0)),
}
# The codes that mean "busy, try again", and those that only the configuration can fix.
TRANSIENT: dict[str, frozenset[int]] = {
    "wecom": frozenset({-1, 45009}),  # system busy; API frequency limit
    "dingtalk": frozenset({-1}),  # 130101 is not here: the robot is muted for 10 minutes
    "feishu": frozenset({11232, 230020}),  # frequency limits (bot, chat)
}
PERMANENT_FIX: dict[str, dict[int, str]] = {
    "wecom": {93000: "channel_fix_key", 93004: "channel_fix_key", 40008: "channel_fix_other"},
    "dingtalk": {
        310000: "channel_fix_sign",
        300001: "channel_fix_key",
        300005: "channel_fix_key",
        400013: "channel_fix_key",
    },
    "feishu": {
        19001: "channel_fix_key",
        19021: "channel_fix_sign",
        19022: "channel_fix_ip",
        19024: "channel_fix_keyword",
    },
}
DINGTALK_MUTED = 130101
ATTEMPTS = 4  # a part is tried at most this many times within a run
BACKOFF = 2.0  # seconds before the second try, doubled each time (capped by Retry-After)
DEFAULT_TIMEOUT = 15.0


@dataclass(frozen=True, slots=True)
class ChannelSettings:
    """A group's robot, with its URL and secret read: everything needed to post."""

    name: str
    kind: Platform
    url: str = field(repr=False)
    secret: str | None = field(repr=False)
    keyword: str | None
    max_bytes: int | None
    insecure: bool = False
    timeout: float = DEFAULT_TIMEOUT

    @property
    def masked(self) -> str:
        return mask_url(self.url)

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""


def mask_url(url: str) -> str:
    """The URL with its secret part cut to four characters: ``key=abcd…``, ``/hook/abcd…``."""
    url = re.sub(r"((?:key|access_token|token|sign)=)([^&#]{0,4})[^&#]*", r"\1\2…", url)
    return re.sub(r"(/hook/)([^/?#]{0,4})[^/?#]*", r"\1\2…", url)


def masked(text: str, settings: ChannelSettings) -> str:
    """Any text (an error from the network library) with the URL and the secret masked."""
    for secret in (settings.url, settings.secret):
        if secret:
            text = text.replace(secret, mask_url(secret) if secret == settings.url else "…")
    for token in re.findall(r"(?:key|access_token)=([^&#\s]+)|/hook/([^/?#\s]+)", settings.url):
        for part in token:
            if len(part) > 4:
                text = text.replace(part, part[:4] + "…")
    return text


class ChannelProblem(Exception):
    """A group whose robot cannot be used as configured (exit 2, after serving the others)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def resolve_channel(
    name: str, config: Channel, environ: Mapping[str, str], base_dir: Path, *, insecure: bool = False
) -> tuple[ChannelSettings, list[Problem]]:
    """The group's URL (``$SANSHI_CHANNEL_<NAME>_URL`` or ``url_file``) and secret (``_SECRET`` or
    ``secret_file``), checked: https, or http to a loopback address with ``--insecure``. Returns
    the settings and warnings (a host that is not the platform's public one); raises
    :class:`ChannelProblem` when the group cannot be posted to."""
    from sanshi_cli.mail_transport import SecretUnreadable, read_secret

    def read(key: str, path_text: str | None, env: str) -> str | None:
        value = environ.get(env, "").strip()
        if value:
            return value
        if path_text is None:
            return None
        path = Path(path_text).expanduser()
        path = path if path.is_absolute() else base_dir / path
        try:
            return read_secret(path)
        except SecretUnreadable as error:
            params = {"channel": name, "key": key, "path": str(path), "reason": error.reason}
            raise ChannelProblem(Problem("channel_file_unreadable", params)) from None

    url_env = channel_env(name, "URL")
    url = read("url_file", config.url_file, url_env)
    if url is None:
        raise ChannelProblem(Problem("channel_no_url", {"channel": name, "env": url_env}))
    secret = read("secret_file", config.secret_file, channel_env(name, "SECRET"))
    settings = ChannelSettings(name, config.kind, url, secret, config.keyword, config.max_bytes, insecure)
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname or any(c.isspace() for c in url):
        raise ChannelProblem(Problem("channel_bad_url", {"channel": name, "url": one_line(mask_url(url))}))
    if parts.scheme == "http" and not (insecure and _loopback(parts.hostname)):
        raise ChannelProblem(Problem("channel_plain_http", {"channel": name, "url": one_line(mask_url(url))}))
    warnings: list[Problem] = []
    expected = PUBLIC_HOSTS[config.kind]
    if parts.hostname != expected and not _loopback(parts.hostname):
        params = {
            "channel": name,
            "host": parts.hostname,
            "platform": Msg(f"platform_{config.kind}"),
            "expected": expected,
        }
        warnings.append(Problem("channel_other_host", params))
    return settings, warnings


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(slots=True)
class _Answer:
    ok: bool
    retry: bool = False  # worth another try within this run
    fatal: bool = False  # only the configuration can fix it
    reason: Msg | None = None
    wait: float | None = None  # Retry-After, when the platform says


class WebhookTransport:
    """One group's robot: ``send(post, addresses) -> Delivery``, part by part, paced and retried."""

    def __init__(
        self,
        settings: ChannelSettings,
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        now: Callable[[], float],
        run_until: float | None = None,
    ) -> None:
        self.settings = settings
        self.clock, self.sleep, self.now = clock, sleep, now
        self.run_until = run_until
        self._client: httpx.Client | None = None
        self._sent: deque[float] = deque()

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()

    def _http(self) -> httpx.Client:
        if self._client is None:
            import httpx

            context = ssl.create_default_context()  # the system's CAs, or $SSL_CERT_FILE
            if self.settings.insecure:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            timeout = httpx.Timeout(self.settings.timeout)
            self._client = httpx.Client(verify=context, trust_env=True, timeout=timeout, follow_redirects=False)
        return self._client

    def send(self, message: Post, addresses: Sequence[str]) -> Delivery:
        """Every part in order; the post is delivered only when all its parts are."""
        for part in message.parts:
            answer = self._send_part(part)
            if not answer.ok:
                return Delivery(failed=tuple(addresses), reason=answer.reason, fatal=answer.fatal)
        return Delivery(delivered=tuple(addresses))

    def _pace(self) -> None:
        """Wait until one more message keeps every window of the platform's rate within its limit."""
        for count, window in RATES[self.settings.kind]:
            now = self.clock()
            recent = [t for t in self._sent if now - t < window]
            if len(recent) >= count:
                self.sleep(recent[-count] + window - now)
        self._sent.append(self.clock())
        while len(self._sent) > 200:
            self._sent.popleft()

    def _send_part(self, part: dict[str, Any]) -> _Answer:
        delay = BACKOFF
        answer = _Answer(False)
        for attempt in range(1, ATTEMPTS + 1):
            self._pace()
            answer = self._post(part)
            if answer.ok or not answer.retry or attempt == ATTEMPTS:
                return answer
            wait = min(answer.wait if answer.wait is not None else delay, 60.0)
            if self.run_until is not None and self.clock() + wait >= self.run_until:
                return answer
            self.sleep(wait)
            delay *= 2
        return answer

    def _post(self, part: dict[str, Any]) -> _Answer:
        import httpx

        s = self.settings
        url, body = s.url, dict(part)
        if s.secret and s.kind == "dingtalk":
            signed = sign_dingtalk(s.secret, int(self.now() * 1000))
            url += ("&" if "?" in url else "?") + "&".join(f"{k}={v}" for k, v in signed.items())
        elif s.secret and s.kind == "feishu":
            body.update(sign_feishu(s.secret, int(self.now())))
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        try:
            response = self._http().post(url, content=data, headers={"Content-Type": "application/json; charset=utf-8"})
        except httpx.TimeoutException:
            reason = Msg("channel_timeout", {"host": s.host, "seconds": _seconds(s.timeout)})
            return _Answer(False, retry=False, reason=self._failed(reason))
        except httpx.HTTPError as error:
            detail = _certificate(error)
            if detail is not None:
                reason = Msg("channel_certificate", {"host": s.host, "detail": one_line(masked(detail, s))})
                return _Answer(False, reason=self._failed(reason))
            text = one_line(masked(str(error) or type(error).__name__, s))
            reason = self._failed(Msg("channel_connect_failed", {"host": s.host, "detail": text}))
            # a connection dropped mid-request is tried again; one that cannot be made (refused, no
            # route, the proxy down) would fail the same way a few seconds later
            return _Answer(False, retry=not isinstance(error, httpx.ConnectError), reason=reason)
        return self._judge(response)

    def _failed(self, detail: Msg) -> Msg:
        return Msg("channel_failed", {"channel": self.settings.name, "platform": self._platform(), "detail": detail})

    def _platform(self) -> Msg:
        return Msg(f"platform_{self.settings.kind}")

    def _judge(self, response: httpx.Response) -> _Answer:
        """The platform's verdict: the JSON code (``errcode`` or ``code``), the HTTP status where there is none."""
        s = self.settings
        status = response.status_code
        wait = _retry_after(response.headers.get("Retry-After"))
        try:
            document = response.json()
        except ValueError:
            document = None
        code: int | None = None
        reply = ""
        if isinstance(document, dict):
            raw = document.get("errcode", document.get("code", document.get("StatusCode")))
            if isinstance(raw, int) and not isinstance(raw, bool):
                code = raw
            reply = one_line(
                masked(str(document.get("errmsg", document.get("msg", document.get("StatusMessage", "")))), s)
            )
            reply = reply[:200]
        if code == 0 and status < 400:
            return _Answer(True)
        if code is None:
            detail = (
                Msg("channel_http_status", {"status": status})
                if status >= 400
                else Msg("channel_bad_reply", {"status": status})
            )
            busy = status == 429 or status >= 500
            return _Answer(False, retry=busy, reason=self._failed(detail), wait=wait)
        if code == DINGTALK_MUTED and s.kind == "dingtalk":
            return _Answer(False, reason=self._failed(Msg("channel_muted")))
        if code in TRANSIENT[s.kind] or status == 429 or status >= 500:
            return _Answer(
                False, retry=True, reason=self._failed(Msg("channel_reply", {"code": code, "reply": reply})), wait=wait
            )
        fix = PERMANENT_FIX[s.kind].get(code, "channel_fix_other")
        params = {"channel": s.name, "platform": self._platform(), "code": code, "reply": reply, "fix": Msg(fix)}
        return _Answer(False, fatal=True, reason=Msg("channel_refused", params))


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _certificate(error: BaseException) -> str | None:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen.verify_message or str(seen)
        seen = seen.__cause__ or seen.__context__
    return None


def _seconds(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


class BrokenTransport:
    """A group that cannot be posted to as configured: every post fails, fatally, with the reason."""

    def __init__(self, problem: Problem) -> None:
        self.reason = Msg(problem.message, problem.params)

    def send(self, message: Post, addresses: Sequence[str]) -> Delivery:
        return Delivery(failed=tuple(addresses), reason=self.reason, fatal=True)

    def close(self) -> None:
        pass
