"""Group robots of WeCom, DingTalk and Feishu, emulated on 127.0.0.1 for the tests.

Each checks what its platform checks (the key or token in the URL, the signature and its
timestamp, the keyword, the size, the rate) and answers with the platform's own bodies (HTTP 200
and an error code in the JSON). ``script`` forces the next answers: a dict is sent as the JSON
body, ``"drop"`` closes the connection without an answer, ``("slow", s)`` answers after s seconds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from werkzeug import Request, Response

TOKEN = "0123456789abcdef-robot-key"
SECRET = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"

OK = {
    "wecom": {"errcode": 0, "errmsg": "ok"},
    "dingtalk": {"errcode": 0, "errmsg": "ok"},
    "feishu": {"code": 0, "data": {}, "msg": "success"},
}
PATHS = {"wecom": "/cgi-bin/webhook/send", "dingtalk": "/robot/send", "feishu": f"/open-apis/bot/v2/hook/{TOKEN}"}


class Dropped(Exception):
    """Raised by a handler to close the connection without an answer."""


@dataclass
class Robot:
    kind: str
    secret: str | None = None
    keyword: str | None = None
    clock: Callable[[], float] = time.time
    script: list[Any] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)  # accepted bodies
    requests: int = 0
    seen: list[float] = field(default_factory=list)  # when each request came (for the rate)

    def url(self, base: str) -> str:
        if self.kind == "wecom":
            return f"{base}{PATHS['wecom']}?key={TOKEN}"
        if self.kind == "dingtalk":
            return f"{base}{PATHS['dingtalk']}?access_token={TOKEN}"
        return f"{base}{PATHS['feishu']}"

    def texts(self) -> list[str]:
        out = []
        for body in self.posts:
            if self.kind == "feishu":
                out.append(body["card"]["elements"][0]["text"]["content"])
            elif body["msgtype"] == "markdown":
                out.append(body["markdown"].get("content") or body["markdown"]["text"])
            else:
                out.append(body["text"]["content"])
        return out

    def handle(self, request: Request) -> Response:
        self.requests += 1
        now = self.clock()
        self.seen.append(now)
        if self.script:
            forced = self.script.pop(0)
            if forced == "drop":
                raise Dropped
            if isinstance(forced, tuple) and forced[0] == "slow":
                time.sleep(forced[1])
                return self._json(OK[self.kind])
            if isinstance(forced, dict):
                return self._json(forced)
        raw = request.get_data()
        body = json.loads(raw)
        answer = getattr(self, f"_{self.kind}")(request, body, raw, now)
        if answer is None:
            self.posts.append(body)
            answer = OK[self.kind]
        return self._json(answer)

    def _json(self, document: dict[str, Any]) -> Response:
        return Response(json.dumps(document, ensure_ascii=False), status=200, content_type="application/json")

    def _rate(self, now: float, count: int, window: float) -> bool:
        return len([t for t in self.seen if now - t < window]) > count

    def _wecom(self, request: Request, body: dict[str, Any], raw: bytes, now: float) -> dict[str, Any] | None:
        if request.args.get("key") != TOKEN:
            return {"errcode": 93000, "errmsg": "invalid webhook url, hint: [1700000000_1_abc]"}
        if self._rate(now, 20, 60.0):
            return {"errcode": 45009, "errmsg": "api freq out of limit"}
        if body.get("msgtype") == "markdown" and len(body["markdown"]["content"].encode()) > 4096:
            return {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"}
        if body.get("msgtype") == "text" and len(body["text"]["content"].encode()) > 2048:
            return {"errcode": 40058, "errmsg": "text.content exceed max length 2048"}
        return None

    def _dingtalk(self, request: Request, body: dict[str, Any], raw: bytes, now: float) -> dict[str, Any] | None:
        if request.args.get("access_token") != TOKEN:
            return {"errcode": 300001, "errmsg": "token is not exist"}
        if self.secret is not None:
            stamp = request.args.get("timestamp", "")
            sign = request.args.get("sign", "")  # the query string decoded once, as the platform does
            expected = base64.b64encode(
                hmac.new(self.secret.encode(), f"{stamp}\n{self.secret}".encode(), hashlib.sha256).digest()
            ).decode()
            if not stamp.isdigit() or abs(now * 1000 - int(stamp)) > 3600 * 1000:
                return {"errcode": 310000, "errmsg": "sign not match, more: [timestamp invalid]"}
            if sign != expected:
                return {"errcode": 310000, "errmsg": "sign not match, more: [sign not match]"}
        if self.keyword is not None and self.keyword not in json.dumps(body, ensure_ascii=False):
            return {"errcode": 310000, "errmsg": "keywords not in content"}
        if self._rate(now, 20, 60.0):
            return {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}
        if len(raw) > 20000:
            return {"errcode": 460101, "errmsg": "message too long"}
        return None

    def _feishu(self, request: Request, body: dict[str, Any], raw: bytes, now: float) -> dict[str, Any] | None:
        if len(raw) > 20 * 1024:
            return {"code": 9499, "msg": "Bad Request", "data": {}}
        if self.secret is not None:
            stamp = str(body.get("timestamp", ""))
            key = f"{stamp}\n{self.secret}".encode()
            expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
            if not stamp.isdigit() or abs(now - int(stamp)) > 3600 or body.get("sign") != expected:
                return {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"}
        if self.keyword is not None and self.keyword not in json.dumps(body, ensure_ascii=False):
            return {"code": 19024, "msg": "Key Words Not Found"}
        if self._rate(now, 5, 1.0) or self._rate(now, 100, 60.0):
            return {"code": 11232, "msg": "frequency limited psm[lark.oapi.app_platform_runtime]appID[1]"}
        return None


def serve(httpserver: Any, robot: Robot) -> str:
    """Route the robot's path on the pytest-httpserver; its URL (with the key) for the file or the environment."""

    def handler(request: Request) -> Response:
        try:
            return robot.handle(request)
        except Dropped:
            return Response(status=502)

    httpserver.expect_request(PATHS[robot.kind], method="POST").respond_with_handler(handler)
    return robot.url(httpserver.url_for("").rstrip("/"))
