"""``sanshi alert`` to group robots (issue 14), against WeCom, DingTalk and Feishu emulated on 127.0.0.1.

The project below, as of 2026-11-27: 建设局 has 施工许可证 red (17 days overdue) and 勘察 blue;
城管局 has 招标 yellow; the problem P-1 of 城管局 is at escalation 2 (its leader, 示例领导甲, is
mentioned). 建设局 and 城管局 share the DingTalk 调度群; 示例领导甲 reads the Feishu group; the PMO
the WeCom group. Nobody has an e-mail address: only the robots are served.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sanshi_cli.chat import Post, clean, sign_dingtalk, sign_feishu
from sanshi_cli.webhooks import ChannelSettings, WebhookTransport, mask_url
from tests.conftest import Result
from tests.robots import SECRET, TOKEN, Robot, serve

AS_OF = "2026-11-27"

PROJECT = """\
[settings]
title = "测试重点项目"
language = "{language}"

[alerts]
pmo_channels = ["pmo-group"]

[channels.pmo-group]
kind = "wecom"

[channels.dispatch]
kind = "dingtalk"
secret_file = "dispatch.secret"
{dispatch_extra}

[channels.leaders]
kind = "feishu"
secret_file = "leaders.secret"

[[units]]
id = "jsj"
name = "{jsj_name}"
channels = ["dispatch"]

[[units]]
id = "cgj"
name = "高新区城市管理局"
channels = ["dispatch"]

[[people]]
id = "leader-a"
name = "示例领导甲"
mobile = "13800000000"
feishu_open_id = "ou_leader_a"
channels = ["leaders"]

[[projects]]
id = "road"
name = "龙源路道路工程"
leader = "leader-a"
lead_unit = "jsj"
responsible_unit = "jsj"
start = 2026-01-05
finish = 2026-12-31

  [[projects.milestones]]
  id = "permits"
  name = "施工许可证"
  due = 2026-11-10

  [[projects.milestones]]
  id = "tender"
  name = "招标"
  due = 2026-11-24
  owner = "cgj"

  [[projects.milestones]]
  id = "survey"
  name = "勘察"
  due = 2026-12-01

  [[projects.problems]]
  id = "P-1"
  text = "燃气管线迁改滞后"
  owner = "cgj"
  raised = 2026-10-01
  due = 2026-11-13
{extra_items}
"""


@pytest.fixture
def robots(httpserver: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Robot]:
    """The three robots, their URLs in the environment (as cron would give them)."""
    found = {
        "pmo-group": Robot("wecom"),
        "dispatch": Robot("dingtalk", secret=SECRET),
        "leaders": Robot("feishu", secret=SECRET),
    }
    for name, robot in found.items():
        monkeypatch.setenv(f"SANSHI_CHANNEL_{name.upper().replace('-', '_')}_URL", serve(httpserver, robot))
    return found


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    def write(**changes: str) -> Path:
        values = {"language": "zh", "dispatch_extra": "", "jsj_name": "高新区建设局", "extra_items": ""}
        values.update(changes)
        (tmp_path / "dispatch.secret").write_text(SECRET + "\n", encoding="utf-8")
        (tmp_path / "leaders.secret").write_text(SECRET, encoding="utf-8")
        path = tmp_path / "projects.toml"
        path.write_text(PROJECT.format(**values), encoding="utf-8")
        return path

    return write


Alert = Callable[..., Result]


@pytest.fixture
def alert(sanshi: Callable[..., Result], project: Callable[..., Path], tmp_path: Path) -> Alert:
    def run(*args: str, as_of: str = AS_OF) -> Result:
        path = tmp_path / "projects.toml"
        if not path.exists():
            project()
        return sanshi("alert", "-f", str(path), "--as-of", as_of, "--insecure", *args)

    return run


def state_records(tmp_path: Path) -> list[dict[str, Any]]:
    document = json.loads((tmp_path / ".sanshi-alert-state.json").read_text("utf-8"))
    return list(document["told"])


# -- signing --------------------------------------------------------------------------------------


def test_dingtalk_signature_is_the_documented_hmac_url_encoded_once() -> None:
    signed = sign_dingtalk("SECabc", 1_700_000_000_000)
    assert signed["timestamp"] == "1700000000000"
    # base64 of HMAC-SHA256(key=SECabc, msg="1700000000000\nSECabc"), then %-encoded once ('+', '/', '=')
    assert "%" in signed["sign"] and "%25" not in signed["sign"]
    import base64
    import hashlib
    import hmac
    from urllib.parse import unquote

    expected = base64.b64encode(hmac.new(b"SECabc", b"1700000000000\nSECabc", hashlib.sha256).digest()).decode()
    assert unquote(signed["sign"]) == expected


def test_feishu_signature_keys_the_hmac_with_timestamp_and_secret_over_nothing() -> None:
    import base64
    import hashlib
    import hmac

    signed = sign_feishu("abc", 1_700_000_000)
    expected = base64.b64encode(hmac.new(b"1700000000\nabc", b"", hashlib.sha256).digest()).decode()
    assert signed == {"timestamp": "1700000000", "sign": expected}


def test_secret_parts_of_urls_are_masked() -> None:
    assert mask_url(f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={TOKEN}") == (
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0123…"
    )
    assert mask_url(f"https://oapi.dingtalk.com/robot/send?access_token={TOKEN}").endswith("access_token=0123…")
    assert mask_url(f"https://open.feishu.cn/open-apis/bot/v2/hook/{TOKEN}").endswith("/hook/0123…")


# -- a whole run ----------------------------------------------------------------------------------


def test_one_run_posts_once_to_each_robot_and_a_rerun_posts_nothing(
    robots: dict[str, Robot], alert: Alert, tmp_path: Path
) -> None:
    first = alert("-v")
    assert (first.exit_code, first.stderr) == (0, "")
    dispatch, leaders, pmo = robots["dispatch"], robots["leaders"], robots["pmo-group"]
    # one post to the 调度群 with a section per unit, signed (the emulator checked the signature)
    assert len(dispatch.posts) == 1
    text = dispatch.texts()[0]
    assert "**高新区建设局：" in text and "**高新区城市管理局：" in text
    assert text.index("施工许可证") < text.index("勘察")  # red before blue
    assert "- ★ 龙源路道路工程 · 施工许可证 · 截止日期 2026-11-10 · 逾期 17 天" in text
    # P-1 is at escalation 2: its leader is @-mentioned by mobile
    assert dispatch.posts[0]["at"] == {"atMobiles": ["13800000000"], "isAtAll": False}
    assert "@13800000000" in text
    # Feishu: the leader's card, header red, mentioned by open_id
    assert len(leaders.posts) == 1
    assert leaders.posts[0]["card"]["header"]["template"] == "red"
    assert "<at id=ou_leader_a></at>" in leaders.texts()[0]
    # WeCom: the markdown digest, then a text that mentions by mobile
    assert [p["msgtype"] for p in pmo.posts] == ["markdown", "text"]
    assert pmo.posts[1]["text"]["mentioned_mobile_list"] == ["13800000000"]
    assert '<font color="warning">' in pmo.posts[0]["markdown"]["content"]
    records = state_records(tmp_path)
    assert {r["address"] for r in records} == {"channel:dispatch", "channel:leaders", "channel:pmo-group"}
    assert {(r["recipient"], r["address"]) for r in records} >= {
        ("unit:jsj", "channel:dispatch"),
        ("pmo", "channel:pmo-group"),
    }
    again = alert()
    assert (again.exit_code, again.stdout, again.stderr) == (0, "", "")
    assert (len(dispatch.posts), len(leaders.posts), len(pmo.posts)) == (1, 1, 2)
    assert not (tmp_path / "outbox").exists() or list((tmp_path / "outbox").iterdir()) == []


def test_a_risen_item_is_posted_again_marked(robots: dict[str, Robot], alert: Alert, tmp_path: Path) -> None:
    assert alert("--as-of", "2026-11-20").exit_code == 0  # permits is yellow then (10 days overdue: red at 7)
    before = len(robots["dispatch"].posts)
    assert alert().exit_code == 0  # as of 11-27 the tender turned yellow (it was blue): risen
    assert len(robots["dispatch"].posts) == before + 1


def test_dry_run_prints_the_posts_and_reads_no_secret(
    robots: dict[str, Robot],
    alert: Alert,
    project: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project()
    (tmp_path / "dispatch.secret").unlink()  # a secret that cannot be read: not needed to look
    for name in ("PMO_GROUP", "DISPATCH", "LEADERS"):
        monkeypatch.delenv(f"SANSHI_CHANNEL_{name}_URL")
    result = alert("--dry-run")
    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert "群聊：dispatch（钉钉）" in lines
    assert "  分节：高新区建设局、高新区城市管理局" in lines
    assert "  提醒（@）：示例领导甲" in lines
    assert lines[-1] == "共 3 条群消息待发到群聊。"
    assert sum(r.requests for r in robots.values()) == 0
    assert not (tmp_path / ".sanshi-alert-state.json").exists()


def test_only_channel_and_channel_email_choose_what_is_served(robots: dict[str, Robot], alert: Alert) -> None:
    assert alert("--channel", "email").exit_code == 0
    assert sum(r.requests for r in robots.values()) == 0
    assert alert("--only-channel", "leaders").exit_code == 0
    assert (robots["leaders"].requests, robots["dispatch"].requests) == (1, 0)
    unknown = alert("--only-channel", "leader")
    assert unknown.exit_code == 2
    assert "未知的群机器人 “leader”（是否应为 “leaders”？）" in unknown.stderr


# -- faults ---------------------------------------------------------------------------------------


def test_a_bad_key_is_exit_2_after_the_others_are_served_and_the_post_waits_unsigned(
    robots: dict[str, Robot], alert: Alert, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = robots["pmo-group"].url("http://127.0.0.1:1")
    url = __import__("os").environ["SANSHI_CHANNEL_PMO_GROUP_URL"].replace(TOKEN, "wrong-key-123456")
    monkeypatch.setenv("SANSHI_CHANNEL_PMO_GROUP_URL", url)
    result = alert()
    assert result.exit_code == 2
    assert "群机器人 pmo-group（企业微信）拒绝了消息：93000 invalid webhook url" in result.stderr
    assert "请检查 Webhook 地址" in result.stderr
    assert "wrong-key-123456" not in result.stderr and TOKEN not in result.stderr and good not in result.stderr
    assert len(robots["dispatch"].posts) == 1 and len(robots["leaders"].posts) == 1  # the others were served
    waiting = tmp_path / "outbox" / "pmo@pmo-group.json"
    document = json.loads(waiting.read_text("utf-8"))
    assert document["channel"] == "pmo-group" and document["payloads"][0]["msgtype"] == "markdown"
    assert "wrong-key" not in waiting.read_text("utf-8") and "sign" not in document["payloads"][0]
    # fixed: the next run posts it and clears the outbox; the others are not posted twice
    monkeypatch.setenv("SANSHI_CHANNEL_PMO_GROUP_URL", url.replace("wrong-key-123456", TOKEN))
    fixed = alert()
    assert (fixed.exit_code, fixed.stderr) == (0, "")
    assert len(robots["pmo-group"].posts) == 2 and len(robots["dispatch"].posts) == 1
    assert not waiting.exists()


def test_a_wrong_secret_is_a_signature_error_naming_what_to_fix(
    robots: dict[str, Robot], alert: Alert, tmp_path: Path, project: Callable[..., Path]
) -> None:
    project()
    (tmp_path / "leaders.secret").write_text("SECnot-the-one", encoding="utf-8")
    result = alert("--lang", "en")
    assert result.exit_code == 2
    assert "channel leaders (Feishu) refused the message: 19021" in result.stderr
    assert "secret_file" in result.stderr and "SECnot-the-one" not in result.stderr
    assert (tmp_path / "outbox" / "leader-leader-a@leaders.json").exists()


def test_dingtalk_130101_is_not_retried_in_the_run(robots: dict[str, Robot], alert: Alert, tmp_path: Path) -> None:
    robots["dispatch"].script = [{"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}]
    result = alert()
    assert result.exit_code == 1
    assert robots["dispatch"].requests == 1
    assert "钉钉机器人将被限流 10 分钟" in result.stderr
    assert (tmp_path / "outbox" / "unit-jsj@dispatch.json").exists()
    assert (tmp_path / "outbox" / "unit-cgj@dispatch.json").exists()
    retried = alert()
    assert (retried.exit_code, retried.stderr) == (0, "")
    assert len(robots["dispatch"].posts) == 1 and len(robots["leaders"].posts) == 1
    assert not (tmp_path / "outbox" / "unit-jsj@dispatch.json").exists()


def test_a_keyword_robot_gets_the_keyword(robots: dict[str, Robot], alert: Alert, project: Callable[..., Path]) -> None:
    robots["dispatch"].keyword = "三十工程"
    project(dispatch_extra='keyword = "三十工程"')
    assert alert().exit_code == 0
    assert "三十工程" in robots["dispatch"].texts()[0]


def test_plain_http_needs_insecure_and_a_loopback_address(
    sanshi: Callable[..., Result],
    robots: dict[str, Robot],
    project: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = project()
    result = sanshi("alert", "-f", str(path), "--as-of", AS_OF, "--only-channel", "leaders")
    assert result.exit_code == 2
    assert "不是 https：http 只允许发往本机地址，且须加 --insecure" in result.stderr
    monkeypatch.setenv("SANSHI_CHANNEL_LEADERS_URL", "http://example.com/open-apis/bot/v2/hook/abcdefgh")
    remote = sanshi("alert", "-f", str(path), "--as-of", AS_OF, "--only-channel", "leaders", "--insecure")
    assert remote.exit_code == 2 and "abcdefgh" not in remote.stderr and "abcd…" in remote.stderr


def test_no_url_is_a_configuration_error_and_check_only_warns(
    sanshi: Callable[..., Result], project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project()
    checked = sanshi("check", "-f", str(path), "--as-of", AS_OF)
    assert checked.exit_code == 0
    result = sanshi("alert", "-f", str(path), "--as-of", AS_OF, "--only-channel", "leaders")
    assert result.exit_code == 2
    assert (
        "群机器人 leaders 没有 Webhook 地址：请在 [channels.leaders] 中设置 url_file，或设置环境变量 SANSHI_CHANNEL_LEADERS_URL"
        in result.stderr
    )


# -- the transport, with its clock ----------------------------------------------------------------


class FakeTime:
    """A clock that sleeping moves on, shared by the transport and the emulated robot."""

    def __init__(self) -> None:
        self.now = 1_795_000_000.0  # 2026-11-17
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += max(seconds, 0.0)


def transport(url: str, kind: str, fake: FakeTime, secret: str | None = None, timeout: float = 5.0) -> WebhookTransport:
    settings = ChannelSettings("g", kind, url, secret, None, None, insecure=True, timeout=timeout)  # type: ignore[arg-type]
    return WebhookTransport(settings, clock=fake.clock, sleep=fake.sleep, now=fake.clock)


def parts(kind: str, n: int) -> Post:
    if kind == "feishu":
        payload: dict[str, Any] = {"msg_type": "text", "content": {"text": "x"}}
    else:
        payload = {"msgtype": "markdown", "markdown": {"content": "x", "title": "t", "text": "x"}}
    return Post("g", kind, [], parts=[dict(payload) for _ in range(n)])  # type: ignore[arg-type]


def test_45009_then_success_is_retried_with_backoff(httpserver: Any) -> None:
    fake = FakeTime()
    robot = Robot("wecom", clock=fake.clock, script=[{"errcode": 45009, "errmsg": "api freq out of limit"}])
    sender = transport(serve(httpserver, robot), "wecom", fake)
    delivery = sender.send(parts("wecom", 1), ["channel:g"])
    assert delivery.delivered == ("channel:g",) and robot.requests == 2 and len(robot.posts) == 1
    assert fake.slept == [2.0]


@pytest.mark.parametrize(("kind", "count", "per"), [("wecom", 25, 60.0), ("dingtalk", 25, 60.0), ("feishu", 12, 1.0)])
def test_sends_are_paced_under_the_platforms_rate(httpserver: Any, kind: str, count: int, per: float) -> None:
    fake = FakeTime()
    robot = Robot(kind, secret=SECRET, clock=fake.clock)
    sender = transport(serve(httpserver, robot), kind, fake, secret=SECRET)
    delivery = sender.send(parts(kind, count), ["channel:g"])
    assert delivery.delivered == ("channel:g",), delivery.reason
    assert len(robot.posts) == count  # the robot never had to refuse one as too fast
    assert fake.slept and all(s <= per for s in fake.slept)


def test_a_dropped_connection_is_retried_then_waits_in_the_outbox() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    accepted: list[int] = []

    def drop() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            accepted.append(1)
            conn.recv(65536)
            conn.close()

    threading.Thread(target=drop, daemon=True).start()
    fake = FakeTime()
    try:
        sender = transport(f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key={TOKEN}", "wecom", fake)
        delivery = sender.send(parts("wecom", 1), ["channel:g"])
    finally:
        listener.close()
    assert delivery.failed == ("channel:g",) and not delivery.fatal
    assert delivery.reason is not None and delivery.reason.key == "channel_failed"
    assert len(accepted) == 4 and fake.slept == [2.0, 4.0, 8.0]
    assert TOKEN not in json.dumps(delivery.reason.params, default=str)


def test_a_slow_robot_times_out_and_is_not_waited_for_again(httpserver: Any) -> None:
    fake = FakeTime()
    robot = Robot("feishu", clock=fake.clock, script=[("slow", 1.5)])
    sender = transport(serve(httpserver, robot), "feishu", fake, timeout=0.3)
    delivery = sender.send(parts("feishu", 1), ["channel:g"])
    assert delivery.failed == ("channel:g",)
    assert delivery.reason is not None and delivery.reason.params["detail"].key == "channel_timeout"
    assert robot.requests == 1


# -- messages -------------------------------------------------------------------------------------


HOSTILE = "[点我](http://evil.example) @13900000000 <at id=all></at> **粗** `x` # \x1b[31m红\u202e"


def test_hostile_names_inject_no_link_mention_or_formatting() -> None:
    text = clean(HOSTILE)
    for bad in ("[", "](", "http://", "@139", "<at", "**", "`", "\x1b", "\u202e"):
        assert bad not in text
    assert "点我" in text and "13900000000" in text


def test_a_hostile_unit_name_reaches_the_group_inert(
    robots: dict[str, Robot], alert: Alert, project: Callable[..., Path]
) -> None:
    project(jsj_name=HOSTILE.replace("\x1b", "\\u001b").replace("\u202e", "\\u202e"))
    assert alert().exit_code == 0
    body = json.dumps(robots["dispatch"].posts[0], ensure_ascii=False)
    assert "http://evil" not in body and "@13900000000" not in body and "<at id=all>" not in body
    assert "\\u001b" not in body


def many_items(n: int) -> str:
    return "".join(
        f'\n  [[projects.milestones]]\n  id = "m{i}"\n  name = "第{i}号节点：较长的名称以便撑大消息体积"\n  due = 2026-11-0{1 + i % 9}\n'
        for i in range(n)
    )


def test_a_long_post_is_split_at_item_boundaries_into_numbered_parts(
    robots: dict[str, Robot], alert: Alert, project: Callable[..., Path]
) -> None:
    project(dispatch_extra="max_bytes = 1000", extra_items=many_items(40))
    assert alert().exit_code == 0
    texts = robots["dispatch"].texts()
    total = len(texts)
    assert total >= 3
    for n, text in enumerate(texts, start=1):
        assert f"（{n}/{total}）" in text.splitlines()[0]
        assert len(text.encode("utf-8")) <= 1000
    joined = "\n".join(texts)
    for i in range(40):
        assert joined.count(f"第{i}号节点：") == 1  # each item once, whole
    assert "@13800000000" in texts[-1] and "at" in robots["dispatch"].posts[-1]


def test_wecom_parts_stay_under_4096_bytes(
    robots: dict[str, Robot], alert: Alert, project: Callable[..., Path]
) -> None:
    project(extra_items=many_items(120))
    assert alert().exit_code == 0
    markdowns = [p for p in robots["pmo-group"].posts if p["msgtype"] == "markdown"]
    assert len(markdowns) >= 2
    assert all(len(p["markdown"]["content"].encode()) <= 4096 for p in markdowns)


def test_readme_group_chat_transcript_is_real(sanshi: Callable[..., Result]) -> None:
    """The README's --dry-run of the sample's 调度群 is what sanshi prints today."""
    from tests.conftest import REPO, SAMPLE

    readme = (REPO / "README.md").read_text("utf-8")
    command = "`sanshi alert -f data/projects.toml --as-of 2026-11-27 --dry-run --only-channel dispatch-group`"
    block = readme.split(command, 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    result = sanshi("alert", "-f", str(SAMPLE), "--as-of", AS_OF, "--dry-run", "--only-channel", "dispatch-group")
    assert (result.exit_code, result.stdout) == (0, block)


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (
            '[channels.g]\nkind = "wecom"\nurl = "https://x"\n',
            "projects.toml:5: error: key channels.g.url: no webhook URL",
        ),
        (
            '[channels.g]\nkind = "feishu"\nurl_file = "https://open.feishu.cn/x"\n',
            "key channels.g.url_file: no webhook URL",
        ),
        ('[channels.g]\nkind = "dingtalk"\nsecret = "SECabc"\n', "key channels.g.secret: no signing secret"),
        ('[channels.G_1]\nkind = "wecom"\n', "channel name 'G_1' is invalid"),
        ('[channels.g]\nkind = "slack"\n', "key channels.g.kind: invalid value"),
        ('[alerts]\npmo_channels = ["gg"]\n[channels.g]\nkind = "wecom"\n', "unknown channel 'gg'"),
    ],
)
def test_check_refuses_secrets_and_bad_channels(
    sanshi: Callable[..., Result], tmp_path: Path, toml: str, expected: str
) -> None:
    path = tmp_path / "projects.toml"
    path.write_text('[settings]\nlanguage = "en"\n' + toml, encoding="utf-8")
    result = sanshi("check", "-f", str(path), "--as-of", AS_OF)
    assert result.exit_code == 2
    assert expected in result.stderr


def test_a_read_only_command_and_a_dry_run_import_no_http_client() -> None:
    from tests.conftest import SAMPLE
    from tests.test_imports import imported

    modules = imported(["-m", "sanshi_cli", "alert", "--dry-run", "--as-of", AS_OF, "-f", str(SAMPLE)])
    assert "sanshi_cli.chat" in modules
    assert not any(m == "httpx" or m.startswith("httpx.") for m in modules)


def test_email_and_the_three_robots_in_one_run(
    server: Any, robots: dict[str, Robot], project: Callable[..., Path], sanshi: Callable[..., Result], tmp_path: Path
) -> None:
    path = project()
    text = path.read_text("utf-8").replace(
        'pmo_channels = ["pmo-group"]',
        f'pmo_channels = ["pmo-group"]\npmo = ["pmo@example.gov.cn"]\n\n[smtp]\nhost = "127.0.0.1"\nport = {server.port}\n'
        'security = "none"\nfrom = "指挥部办公室 <sanshi@example.gov.cn>"',
    )
    path.write_text(text, encoding="utf-8")
    first = sanshi("alert", "-f", str(path), "--as-of", AS_OF, "--insecure")
    assert (first.exit_code, first.stderr) == (0, "")
    assert len(server.received) == 1  # the PMO's e-mail
    assert [len(r.posts) for r in robots.values()] == [2, 1, 1]
    addresses = {r["address"] for r in state_records(tmp_path)}
    assert addresses == {"pmo@example.gov.cn", "channel:pmo-group", "channel:dispatch", "channel:leaders"}
    again = sanshi("alert", "-f", str(path), "--as-of", AS_OF, "--insecure")
    assert (again.exit_code, len(server.received), [len(r.posts) for r in robots.values()]) == (0, 1, [2, 1, 1])


# -- the workflow, for another kind of send (the monthly bulletin) --------------------------------


class Recording:
    """A transport that accepts everything and keeps it (the workflow's contract, not our core)."""

    def __init__(self, refuse: bool = False) -> None:
        self.sent: list[Any] = []
        self.refuse = refuse

    def send(self, message: Any, addresses: Any) -> Any:
        from sanshi_cli.alert_run import Delivery

        if self.refuse:
            return Delivery(failed=tuple(addresses), reason=None)
        self.sent.append(message)
        return Delivery(delivered=tuple(addresses))


def test_the_workflow_sends_a_bulletin_once_per_period_and_the_alert_run_keeps_its_record(tmp_path: Path) -> None:
    from sanshi_cli.alert_policy import Recipient
    from sanshi_cli.alert_run import Envelope, Round, record_once, run
    from sanshi_cli.alert_store import State, period_outbox_path, read_state

    pmo = Recipient("pmo", "pmo", "", ("pmo@example.gov.cn",))
    state_path = tmp_path / ".sanshi-alert-state.json"
    target = period_outbox_path(tmp_path / "outbox", "bulletin", "2026-11", pmo)
    assert target.name == "bulletin-2026-11-pmo.eml"

    def decide(state: State) -> Round:
        due = [a for a in pmo.addresses if state.told_of(pmo.key, a, ("bulletin:2026-11", "", "")) is None]
        if not due:
            return Round([], forget=False, outbox_files=[target])
        envelope = Envelope(
            "email", "月通报", tuple(due), waiting=[(target, b"eml")], record=record_once(pmo, "bulletin:2026-11")
        )
        return Round([envelope], forget=False, outbox_files=[target])

    refusing = Recording(refuse=True)
    _, outcomes = run(state_path, decide, lambda e: refusing, date(2026, 12, 1), clock=lambda: 0.0)
    assert not outcomes[0].ok and target.read_bytes() == b"eml"  # it waits
    accepting = Recording()
    run(state_path, decide, lambda e: accepting, date(2026, 12, 1), clock=lambda: 0.0)
    run(state_path, decide, lambda e: accepting, date(2026, 12, 2), clock=lambda: 0.0)
    assert accepting.sent == ["月通报"] and not target.exists()  # once for the period, the outbox cleared
    # an alert run forgets closed items, never a bulletin's record
    state = read_state(state_path)
    state.forget_closed([(pmo, [])])
    assert state.told_of("pmo", "pmo@example.gov.cn", ("bulletin:2026-11", "", "")) is not None


@pytest.fixture
def tls_robot(tmp_path: Path) -> Iterator[tuple[Robot, str, Path]]:
    """A Feishu robot over https on 127.0.0.1, its certificate from a CA of the test's own."""
    from pytest_httpserver import HTTPServer

    from tests.smtp_server import make_tls

    tls = make_tls(tmp_path)
    https = HTTPServer(host="127.0.0.1", port=0, ssl_context=tls.server_context)
    https.start()
    robot = Robot("feishu", secret=SECRET)
    url = serve(https, robot)
    try:
        yield robot, url, tls.ca_file
    finally:
        https.clear()
        https.stop()


def test_https_is_verified_against_ssl_cert_file_and_the_proxy_settings_are_honoured(
    tls_robot: tuple[Robot, str, Path],
    sanshi: Callable[..., Result],
    project: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    robot, url, ca_file = tls_robot
    assert url.startswith("https://127.0.0.1:")
    path = project()
    monkeypatch.setenv("SANSHI_CHANNEL_LEADERS_URL", url)
    args = ("alert", "-f", str(path), "--as-of", AS_OF, "--only-channel", "leaders")
    untrusted = sanshi(*args)
    assert untrusted.exit_code == 1
    assert "127.0.0.1 的证书未通过验证" in untrusted.stderr and TOKEN not in untrusted.stderr
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")  # nothing listens there
    proxied = sanshi(*args)
    assert proxied.exit_code == 1 and "无法连接" in proxied.stderr  # the proxy was used
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    direct = sanshi(*args)
    assert (direct.exit_code, direct.stderr) == (0, "")
    assert len(robot.posts) == 1


def test_the_alert_run_works_without_the_cli(project: Callable[..., Path], tmp_path: Path) -> None:
    """policy → round → workflow, with a transport that keeps what it is given: the library alone."""
    from sanshi_cli.alert_run import run
    from sanshi_cli.alerting import alert_round, find_alerts, posts_for
    from sanshi_cli.loading import load_portfolio

    loaded = load_portfolio(project())
    day = date(2026, 11, 27)
    kept = Recording()

    def decide(state: Any) -> Any:
        plan = find_alerts(loaded, day, state)
        posts = posts_for(plan, loaded, lang="zh", title="测试", as_of=day)
        return alert_round(plan, tmp_path / "outbox", day, posts=posts)

    state_path = tmp_path / "state.json"
    _, outcomes = run(state_path, decide, lambda envelope: kept, day, clock=lambda: 0.0)
    assert sorted(o.envelope.transport for o in outcomes) == ["dispatch", "leaders", "pmo-group"]
    assert all(o.ok for o in outcomes) and len(kept.sent) == 3
    _, again = run(state_path, decide, lambda envelope: kept, day, clock=lambda: 0.0)
    assert again == [] and len(kept.sent) == 3


@pytest.mark.parametrize(
    ("kind", "url", "warned"),
    [
        ("wecom", f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={TOKEN}", False),
        ("dingtalk", f"https://oapi.dingtalk.com/robot/send?access_token={TOKEN}", False),
        ("feishu", f"https://open.larksuite.com/open-apis/bot/v2/hook/{TOKEN}", True),  # Lark: accepted, warned
        ("dingtalk", f"https://zwding.example.gov.cn/robot/send?access_token={TOKEN}", True),  # 浙政钉
    ],
)
def test_a_host_other_than_the_platforms_is_accepted_with_a_warning(
    tmp_path: Path, kind: str, url: str, warned: bool
) -> None:
    from sanshi_cli.model import Channel
    from sanshi_cli.webhooks import resolve_channel

    env = {"SANSHI_CHANNEL_G_URL": url}
    settings, warnings = resolve_channel("g", Channel(kind=kind), env, tmp_path)  # type: ignore[arg-type]
    assert settings.url == url and "…" in settings.masked and TOKEN not in repr(settings)
    assert [w.message for w in warnings] == (["channel_other_host"] if warned else [])


def test_the_environment_wins_over_the_files_and_a_missing_file_is_named(tmp_path: Path) -> None:
    from sanshi_cli.model import Channel
    from sanshi_cli.webhooks import ChannelProblem, resolve_channel

    (tmp_path / "g.url").write_text(f"https://oapi.dingtalk.com/robot/send?access_token={TOKEN}\n", encoding="utf-8")
    config = Channel(kind="dingtalk", url_file="g.url", secret_file="missing.secret")
    with pytest.raises(ChannelProblem) as raised:
        resolve_channel("g", config, {}, tmp_path)
    assert raised.value.problem.message == "channel_file_unreadable"
    settings, _ = resolve_channel("g", config, {"SANSHI_CHANNEL_G_SECRET": "SECfromenv"}, tmp_path)
    assert (settings.url.endswith(TOKEN), settings.secret) == (True, "SECfromenv")


def test_the_verbose_summary_counts_posts_apart_from_messages(robots: dict[str, Robot], alert: Alert) -> None:
    result = alert("-v")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1].endswith("群消息：已发 3 条，未送达 0 条。")


def test_e_mail_without_a_server_still_lets_the_groups_be_served_then_exits_2(
    robots: dict[str, Robot], alert: Alert, project: Callable[..., Path], tmp_path: Path
) -> None:
    """A unit with an address but no [smtp]: the groups get their posts, then the mail settings' error (exit 2)."""
    project(jsj_name='高新区建设局"\nemail = ["jsj@example.gov.cn"]\nshort = "建设局')
    result = alert()
    assert result.exit_code == 2
    assert "但没有配置邮件服务器：请在 [smtp] 中写 host" in result.stderr, result.stderr
    assert (len(robots["dispatch"].posts), len(robots["leaders"].posts)) == (1, 1)
    assert {r["address"] for r in state_records(tmp_path)} == {"channel:dispatch", "channel:leaders",
                                                             "channel:pmo-group"}  # fmt: skip
    again = alert()  # the groups are not posted twice; the e-mail is still owed
    assert again.exit_code == 2 and len(robots["dispatch"].posts) == 1
