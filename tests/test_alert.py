"""``sanshi alert`` against a real SMTP server (aiosmtpd on 127.0.0.1): what arrives, and when.

Every run pins ``--as-of``. The project below, as of 2026-11-27 (a Friday):

- 龙源路道路工程 (leader 示例领导甲): 施工许可证 red (17 days overdue, 建设局), 招标 yellow
  (3 days overdue, 城管局, which has two addresses), 勘察 blue (due 2026-12-01, 建设局);
- 大沙河桥 (leader 示例领导丁, no address): 腾空交地 yellow (2 days overdue, 文苑街道, no address).

So four messages go out: 建设局, 城管局 (to both addresses), 示例领导甲 and the PMO digest.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import Result
from tests.smtp_server import Server, free_port, make_tls, password_checker, start_server

AS_OF = "2026-11-27"
PMO = "pmo@example.gov.cn"
JSJ = "jsj@example.gov.cn"
CGJ, CGJ2 = "cgj@example.gov.cn", "cgj2@example.gov.cn"
LEADER_A = "leader-a@example.gov.cn"

PROJECT = """\
[settings]
title = "测试重点项目"
timezone = "Asia/Shanghai"
language = "{language}"

[alerts]
repeat_days = {repeat_days}
pmo = ["pmo@example.gov.cn"]

[smtp]
host = "127.0.0.1"
port = {port}
security = "{security}"
from = "高新区指挥部办公室 <sanshi@example.gov.cn>"
timeout = {timeout}
{smtp_extra}

[[units]]
id = "jsj"
name = "{jsj_name}"
email = ["jsj@example.gov.cn"]

[[units]]
id = "cgj"
name = "城管局<script>alert(1)</script>"
email = ["cgj@example.gov.cn", "cgj2@example.gov.cn"]

[[units]]
id = "wenyuan"
name = "文苑街道办事处"

[[people]]
id = "leader-a"
name = "示例领导甲"
email = "leader-a@example.gov.cn"

[[people]]
id = "leader-d"
name = "示例领导丁"

[[projects]]
id = "road"
name = "龙源路道路工程<b>"
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

[[projects]]
id = "bridge"
name = "大沙河桥"
leader = "leader-d"
lead_unit = "jsj"
responsible_unit = "wenyuan"
start = 2026-01-05
finish = 2026-12-31

  [[projects.milestones]]
  id = "clearance"
  name = "腾空交地"
  due = 2026-11-25
"""


def project_text(port: int, **changes: object) -> str:
    values: dict[str, object] = {
        "language": "zh",
        "repeat_days": 7,
        "port": port,
        "security": "none",
        "timeout": 5,
        "smtp_extra": "",
        "jsj_name": "高新区建设局",
    }
    values.update(changes)
    return PROJECT.format(**values)


Alert = Callable[..., Result]


@pytest.fixture
def write_project(tmp_path: Path) -> Callable[..., Path]:
    def write(port: int, **changes: object) -> Path:
        path = tmp_path / "projects.toml"
        path.write_text(project_text(port, **changes), encoding="utf-8")
        return path

    return write


@pytest.fixture
def alert(sanshi: Callable[..., Result], tmp_path: Path) -> Alert:
    """``sanshi alert -f projects.toml --as-of AS_OF …`` in the test's folder."""

    def run(*args: str, as_of: str = AS_OF) -> Result:
        return sanshi("alert", "-f", str(tmp_path / "projects.toml"), "--as-of", as_of, *args)

    return run


def state_of(tmp_path: Path) -> dict[str, object]:
    document: dict[str, object] = json.loads((tmp_path / ".sanshi-alert-state.json").read_text("utf-8"))
    return document


def outbox_files(tmp_path: Path) -> list[str]:
    folder = tmp_path / "outbox"
    return sorted(p.name for p in folder.glob("*.eml")) if folder.exists() else []


# -- who gets what ----------------------------------------------------------------------------------


def test_each_recipient_gets_exactly_their_items(server: Server, write_project, alert: Alert) -> None:
    write_project(server.port)
    result = alert()
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")  # silent for cron
    got = server.recorder.by_address()
    assert set(got) == {JSJ, CGJ, CGJ2, LEADER_A, PMO}
    assert got[CGJ] is got[CGJ2]  # one message to both of the unit's addresses
    assert len(server.received) == 4

    def milestones(address: str) -> set[str]:
        text = got[address].text
        return {name for name in ("施工许可证", "招标", "勘察", "腾空交地") if name in text}

    assert milestones(JSJ) == {"施工许可证", "勘察"}
    assert milestones(CGJ) == {"招标"}
    assert milestones(LEADER_A) == {"施工许可证", "招标"}  # red and yellow only, not the blue 勘察
    assert milestones(PMO) == {"施工许可证", "招标", "勘察", "腾空交地"}
    assert got[JSJ].subject == "【逾期预警】高新区建设局：1项红灯、1项蓝色提醒（截至2026-11-27）"
    assert got[LEADER_A].subject == "【逾期预警】示例领导甲：1项红灯、1项黄灯（截至2026-11-27）"
    assert got[PMO].subject == "【逾期预警】测试重点项目汇总：1项红灯、2项黄灯、1项蓝色提醒（截至2026-11-27）"
    for message in server.received:
        assert message.mail_from == "sanshi@example.gov.cn"


def test_headers_are_encoded_and_the_body_is_7bit(server: Server, write_project, alert: Alert) -> None:
    write_project(server.port)
    assert alert().exit_code == 0
    received = server.recorder.by_address()[JSJ]
    raw = received.raw
    assert raw.isascii()  # RFC 2047 words in the headers, base64 in the bodies
    head = raw.split(b"\r\n\r\n", 1)[0].decode()
    assert "=?utf-8?" in head and "高新区" not in head
    message = received.message
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert all(p["Content-Transfer-Encoding"] == "base64" for p in parts)
    assert str(message["From"]) == "高新区指挥部办公室 <sanshi@example.gov.cn>"
    assert str(message["To"]) == "高新区建设局 <jsj@example.gov.cn>"
    assert message["Date"].endswith("+0800")  # Asia/Shanghai, the file's timezone
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].startswith("<sanshi.") and message["Message-ID"].endswith("@example.gov.cn>")


def test_html_table_escapes_user_data(server: Server, write_project, alert: Alert) -> None:
    write_project(server.port)
    assert alert().exit_code == 0
    html = server.recorder.by_address()[PMO].html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "龙源路道路工程&lt;b&gt;" in html
    assert "<td" in html and "逾期 17 天" in html and "2026-11-10" in html


def test_unreachable_unit_and_leader_are_listed_in_the_digest(server: Server, write_project, alert: Alert) -> None:
    write_project(server.port)
    assert alert().exit_code == 0
    digest = server.recorder.by_address()[PMO]
    assert "文苑街道办事处（责任单位，1\xa0个节点）" in digest.text
    assert "示例领导丁（分包领导，1\xa0个节点）" in digest.text
    assert "文苑街道办事处" in digest.html


def test_a_name_with_a_line_break_never_makes_a_header(server: Server, write_project, alert: Alert) -> None:
    write_project(server.port, jsj_name="建设局\\r\\nBcc: evil@x.example\\u0007")
    result = alert()
    assert result.exit_code == 0, result.stderr
    received = server.recorder.by_address()[JSJ]
    assert received.rcpt_tos == [JSJ]
    assert "evil@x.example" not in {a for m in server.received for a in m.rcpt_tos}
    message = received.message
    assert message["Bcc"] is None
    assert len(message.get_all("To") or []) == 1 and len(message["To"].addresses) == 1
    assert message["To"].addresses[0].addr_spec == JSJ
    assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
    assert message["Subject"].startswith("【逾期预警】建设局 Bcc: evil@x.example\\x07：")


def test_english_file_gets_english_subjects(server: Server, write_project, alert: Alert) -> None:
    write_project(server.port, language="en")
    assert alert().exit_code == 0
    got = server.recorder.by_address()
    assert got[JSJ].subject == "[Overdue] 高新区建设局: 1 red, 1 due soon (as of 2026-11-27)"
    assert "17\xa0days\xa0overdue" in got[JSJ].text  # no-break spaces: a phone never splits it
    assert "17 days overdue" in got[JSJ].html


def test_due_soon_subject_when_nothing_is_late(server: Server, write_project, alert: Alert) -> None:
    write_project(server.port)
    assert alert("--only-unit", "cgj", as_of="2026-11-19").exit_code == 0
    (received,) = server.received
    assert received.subject == "【到期提醒】城管局<script>alert(1)</script>：1项蓝色提醒（截至2026-11-19）"


# -- once, and again when it matters -----------------------------------------------------------------


def test_second_run_sends_nothing(server: Server, write_project, alert: Alert, tmp_path: Path) -> None:
    write_project(server.port)
    assert alert().exit_code == 0
    assert len(server.received) == 4
    second = alert("-v")
    assert second.exit_code == 0
    assert len(server.received) == 4
    assert "已发送 0 封" in second.stdout
    told = state_of(tmp_path)["told"]
    assert isinstance(told, list)
    assert {"recipient": "unit:jsj", "address": JSJ, "project": "road", "milestone": "permits"}.items() <= told[
        next(i for i, r in enumerate(told) if r["recipient"] == "unit:jsj" and r["milestone"] == "permits")
    ].items()


def test_a_rising_level_sends_again(server: Server, write_project, alert: Alert) -> None:
    write_project(server.port)
    assert alert("--only-unit", "cgj", as_of="2026-11-19").exit_code == 0  # 招标 blue
    assert alert("--only-unit", "cgj", as_of="2026-11-20").exit_code == 0  # still blue: nothing
    assert len(server.received) == 1
    assert alert("--only-unit", "cgj", as_of="2026-11-25").exit_code == 0  # yellow now
    assert len(server.received) == 2
    risen = server.received[-1]
    assert risen.subject.startswith("【逾期预警】") and "1项黄灯" in risen.subject
    assert "★升级" in risen.text


def test_repeat_days_sends_the_whole_picture_again(server: Server, write_project, alert: Alert) -> None:
    write_project(server.port, repeat_days=3)
    assert alert().exit_code == 0
    assert alert(as_of="2026-11-29").exit_code == 0  # two days later, nothing rose
    assert len(server.received) == 4
    assert alert(as_of="2026-11-30").exit_code == 0  # three days: everyone is told again
    assert len(server.received) == 8
    again = server.received[4:]
    assert all("★" not in m.text for m in again)  # repeats are not marked new


# -- nothing lost ------------------------------------------------------------------------------------


def test_refused_recipient_waits_in_the_outbox(server: Server, write_project, alert: Alert, tmp_path: Path) -> None:
    write_project(server.port)
    server.recorder.refuse.add(LEADER_A)
    result = alert()
    assert result.exit_code == 1
    assert set(server.recorder.by_address()) == {JSJ, CGJ, CGJ2, PMO}  # the rest of the batch went out
    assert outbox_files(tmp_path) == ["leader-leader-a.eml"]
    assert "未送达 示例领导甲 <leader-a@example.gov.cn>" in result.stderr
    assert "550 5.1.1 mailbox unavailable" in result.stderr
    assert str(tmp_path / "outbox" / "leader-leader-a.eml") in result.stderr
    assert result.stdout == ""

    server.recorder.refuse.clear()
    retry = alert()
    assert (retry.exit_code, retry.stderr) == (0, "")
    assert [m.rcpt_tos for m in server.received[3:]] == [[LEADER_A]]  # only what was still due
    assert outbox_files(tmp_path) == []


def test_one_refused_address_of_a_unit_is_retried_alone(server: Server, write_project, alert: Alert) -> None:
    write_project(server.port)
    server.recorder.refuse.add(CGJ2)
    assert alert("--only-unit", "cgj").exit_code == 1
    assert [m.rcpt_tos for m in server.received] == [[CGJ]]
    server.recorder.refuse.clear()
    assert alert("--only-unit", "cgj").exit_code == 0
    assert [m.rcpt_tos for m in server.received] == [[CGJ], [CGJ2]]


def test_a_server_that_never_answers_times_out(write_project, alert: Alert, tmp_path: Path) -> None:
    with socket.socket() as silent:  # the kernel accepts the connection; nobody ever speaks
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        write_project(silent.getsockname()[1], timeout=1)
        started = time.monotonic()
        result = alert()
        elapsed = time.monotonic() - started
    assert result.exit_code == 1
    assert elapsed < 4  # one timeout, not one per message
    assert "没有响应" in result.stderr
    assert len(outbox_files(tmp_path)) == 4
    assert not (tmp_path / ".sanshi-alert-state.json").exists() or state_of(tmp_path)["told"] == []


def test_no_server_at_all(write_project, alert: Alert, tmp_path: Path) -> None:
    write_project(free_port())
    result = alert()
    assert result.exit_code == 1
    assert "无法连接邮件服务器 127.0.0.1" in result.stderr
    assert outbox_files(tmp_path) == ["leader-leader-a.eml", "pmo.eml", "unit-cgj.eml", "unit-jsj.eml"]
    assert result.stderr.count("未送达") == 4


def test_outbox_file_is_a_readable_message(write_project, alert: Alert, tmp_path: Path) -> None:
    import email
    import email.policy

    write_project(free_port())
    alert()
    raw = (tmp_path / "outbox" / "unit-jsj.eml").read_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert str(message["Subject"]).startswith("【逾期预警】高新区建设局")


# -- TLS and login -----------------------------------------------------------------------------------


def test_starttls_with_a_self_signed_certificate_is_refused_unless_trusted(
    write_project, alert: Alert, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tls = make_tls(tmp_path)
    server = start_server(tls_context=tls.server_context, require_starttls=True)
    try:
        write_project(server.port, security="starttls")
        refused = alert()
        assert refused.exit_code == 1
        assert "证书校验失败" in refused.stderr and "SSL_CERT_FILE" in refused.stderr
        assert server.received == []
        monkeypatch.setenv("SSL_CERT_FILE", str(tls.ca_file))
        trusted = alert()
        assert (trusted.exit_code, trusted.stderr) == (0, "")
        assert len(server.received) == 4
        assert outbox_files(tmp_path) == []
    finally:
        server.controller.stop()


def test_insecure_skips_certificate_verification(write_project, alert: Alert, tmp_path: Path) -> None:
    tls = make_tls(tmp_path)
    server = start_server(tls_context=tls.server_context, require_starttls=True)
    try:
        write_project(server.port, security="starttls")
        assert alert("--insecure").exit_code == 0
        assert len(server.received) == 4
    finally:
        server.controller.stop()


def test_implicit_tls_port_465_style(
    write_project, alert: Alert, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tls = make_tls(tmp_path)
    server = start_server(ssl_context=tls.server_context)
    try:
        write_project(server.port, security="ssl")
        monkeypatch.setenv("SSL_CERT_FILE", str(tls.ca_file))
        result = alert("--only-unit", "jsj")
        assert (result.exit_code, result.stderr) == (0, "")
        assert [m.rcpt_tos for m in server.received] == [[JSJ]]
    finally:
        server.controller.stop()


@pytest.fixture
def auth_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """STARTTLS required, then AUTH required, for user sanshi@example.gov.cn / 授权码 abcd1234."""
    tls = make_tls(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(tls.ca_file))
    running = start_server(
        tls_context=tls.server_context,
        require_starttls=True,
        auth_required=True,
        authenticator=password_checker("sanshi@example.gov.cn", "abcd1234"),
    )
    yield running
    running.controller.stop()


def test_login_with_the_password_from_the_environment(
    auth_server: Server, write_project, alert: Alert, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(auth_server.port, security="starttls", smtp_extra='username = "sanshi@example.gov.cn"')
    monkeypatch.setenv("SANSHI_SMTP_PASSWORD", "abcd1234")
    result = alert()
    assert (result.exit_code, result.stderr) == (0, "")
    assert {m.authenticated_as for m in auth_server.received} == {"sanshi@example.gov.cn"}


def test_login_with_a_password_file(auth_server: Server, write_project, alert: Alert, tmp_path: Path) -> None:
    (tmp_path / "smtp-password").write_text("abcd1234\n", encoding="utf-8")
    write_project(auth_server.port, security="starttls", smtp_extra='password_file = "smtp-password"')
    result = alert("--only-unit", "jsj")  # no username: the From address is the login
    assert (result.exit_code, result.stderr) == (0, "")
    assert [m.authenticated_as for m in auth_server.received] == ["sanshi@example.gov.cn"]


def test_refused_login_is_a_configuration_error(
    auth_server: Server, write_project, alert: Alert, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(auth_server.port, security="starttls", smtp_extra='username = "sanshi@example.gov.cn"')
    monkeypatch.setenv("SANSHI_SMTP_PASSWORD", "wrong")
    result = alert()
    assert result.exit_code == 2
    assert "拒绝登录" in result.stderr and "授权码" in result.stderr
    assert auth_server.received == []
    assert len(outbox_files(tmp_path)) == 4  # kept, and still due next time
    assert state_of(tmp_path)["told"] == []


def test_no_password_means_no_login(auth_server: Server, write_project, alert: Alert) -> None:
    write_project(auth_server.port, security="starttls", smtp_extra='username = "sanshi@example.gov.cn"')
    result = alert("--only-unit", "jsj")
    assert result.exit_code == 1  # the server insists on AUTH; sanshi did not try to log in
    assert "530" in result.stderr


def test_no_password_in_clear_without_insecure(
    write_project, alert: Alert, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = start_server(auth_require_tls=False, authenticator=password_checker("sanshi@example.gov.cn", "abcd1234"))
    try:
        write_project(server.port, smtp_extra='username = "sanshi@example.gov.cn"')
        monkeypatch.setenv("SANSHI_SMTP_PASSWORD", "abcd1234")
        refused = alert()
        assert refused.exit_code == 2 and "明文" in refused.stderr
        assert server.received == []
        allowed = alert("--insecure", "--only-unit", "jsj")
        assert (allowed.exit_code, allowed.stderr) == (0, "")
        assert [m.authenticated_as for m in server.received] == ["sanshi@example.gov.cn"]
    finally:
        server.controller.stop()


# -- configuration -----------------------------------------------------------------------------------


def test_environment_overrides_the_file(
    server: Server, write_project, alert: Alert, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_project(1)
    path.write_text(path.read_text("utf-8").replace('host = "127.0.0.1"', 'host = "smtp.invalid"'), "utf-8")
    monkeypatch.setenv("SANSHI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SANSHI_SMTP_PORT", str(server.port))
    monkeypatch.setenv("SANSHI_SMTP_SECURITY", "none")
    monkeypatch.setenv("SANSHI_MAIL_FROM", "Robot <robot@example.gov.cn>")
    result = alert("--only-unit", "jsj")
    assert (result.exit_code, result.stderr) == (0, "")
    (received,) = server.received
    assert received.mail_from == "robot@example.gov.cn"
    assert received.message["Message-ID"].endswith("@example.gov.cn>")


def test_bad_environment_value_exits_2(write_project, alert: Alert, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(free_port())
    monkeypatch.setenv("SANSHI_SMTP_PORT", "smtp")
    result = alert()
    assert result.exit_code == 2
    assert "SANSHI_SMTP_PORT" in result.stderr


BAD_ENVIRONMENT = [
    ("SANSHI_SMTP_PORT", "٣", "应为 1 到 65535 之间的端口号"),  # a digit, but not an ASCII one
    ("SANSHI_SMTP_PORT", "+25", "应为 1 到 65535 之间的端口号"),
    ("SANSHI_SMTP_PORT", " 25", "应为 1 到 65535 之间的端口号"),
    ("SANSHI_SMTP_PORT", "0", "应为 1 到 65535 之间的端口号"),
    ("SANSHI_SMTP_PORT", "65536", "应为 1 到 65535 之间的端口号"),
    ("SANSHI_SMTP_PORT", "2_5", "应为 1 到 65535 之间的端口号"),
    ("SANSHI_SMTP_HOST", "smtp://smtp.qq.com", "应只写主机名"),
    ("SANSHI_SMTP_HOST", "smtp.qq.com:465", "应只写主机名"),
    ("SANSHI_SMTP_HOST", "smtp.qq.com ", "应只写主机名"),
    ("SANSHI_SMTP_SECURITY", "tls", "ssl, starttls, none"),
    ("SANSHI_MAIL_FROM", "a@example.gov.cn, b@example.gov.cn", "应为"),
    ("SANSHI_MAIL_FROM", "robot@example.gov.cn.", "应为"),
    ("SANSHI_MAIL_FROM", "Robot <robot@example.gov.cn>\x1b[31m", "应为"),
]


@pytest.mark.parametrize(("name", "value", "expected"), BAD_ENVIRONMENT)
def test_environment_is_held_to_the_rules_of_the_file(
    server: Server, write_project, alert: Alert, monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    write_project(server.port)
    monkeypatch.setenv(name, value)
    result = alert()
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert f"环境变量 {name} 的值" in line and expected in line
    assert "\x1b" not in line
    assert server.received == []


def test_environment_errors_in_english(write_project, alert: Alert, monkeypatch: pytest.MonkeyPatch) -> None:
    write_project(free_port(), language="en")
    monkeypatch.setenv("SANSHI_SMTP_HOST", "smtp.qq.com:465")
    result = alert()
    assert result.exit_code == 2
    assert "environment variable SANSHI_SMTP_HOST: invalid value 'smtp.qq.com:465': expected a host name alone" in (
        result.stderr
    )


UNSENDABLE = [
    "x@example.com.",
    "a..b@example.gov.cn",
    ".a@example.gov.cn",
    "a\x01b@example.gov.cn",
    "a@example.gov.cn\u200b",
    "张三@example.gov.cn",
    "jsj@张三.cn",
    "a:b@example.gov.cn",
    "a\\b@example.gov.cn",
    "a@example..gov.cn",
]


@pytest.mark.parametrize("address", UNSENDABLE)
def test_check_refuses_an_address_no_message_can_carry(sanshi, write_project, tmp_path: Path, address: str) -> None:
    path = write_project(25)
    toml_value = json.dumps(address, ensure_ascii=False)
    path.write_text(path.read_text("utf-8").replace('"jsj@example.gov.cn"', toml_value), "utf-8")
    result = sanshi("check", "-f", str(path))
    assert result.exit_code == 2
    (line,) = [x for x in result.stderr.splitlines() if "电子邮件地址" in x]
    assert "单位 jsj，键 email：无效的电子邮件地址" in line
    assert "Traceback" not in result.stderr


def test_check_still_accepts_plain_and_quoted_addresses(sanshi, write_project) -> None:
    path = write_project(25)
    text = path.read_text("utf-8").replace('"jsj@example.gov.cn"', '"jsj.office+alerts@example.gov.cn"')
    path.write_text(text, "utf-8")
    assert sanshi("check", "-f", str(path)).exit_code == 0


def test_check_refuses_a_sender_alert_could_not_use(sanshi, write_project) -> None:
    path = write_project(25)
    text = path.read_text("utf-8").replace("<sanshi@example.gov.cn>", "<sanshi@example.gov.cn.>")
    path.write_text(text, "utf-8")
    result = sanshi("check", "-f", str(path))
    assert result.exit_code == 2
    assert "发件人 from =" in result.stderr


def test_no_host_is_an_error_only_when_something_is_due(write_project, alert: Alert, tmp_path: Path) -> None:
    path = write_project(25)
    path.write_text(path.read_text("utf-8").replace('host = "127.0.0.1"\n', ""), "utf-8")
    result = alert()
    assert result.exit_code == 2
    assert "没有配置邮件服务器" in result.stderr and "SANSHI_SMTP_HOST" in result.stderr
    assert alert(as_of="2026-01-05").exit_code == 0  # nothing due yet: no server needed


def test_unknown_only_unit_exits_2(server: Server, write_project, alert: Alert) -> None:
    write_project(server.port)
    result = alert("--only-unit", "jsjj")
    assert result.exit_code == 2
    assert "jsj" in result.stderr
    assert alert("--only-unit", "wenyuan").exit_code == 2  # no address: say so, do not pretend
    assert server.received == []


def test_corrupt_state_file_exits_2(server: Server, write_project, alert: Alert, tmp_path: Path) -> None:
    write_project(server.port)
    (tmp_path / ".sanshi-alert-state.json").write_text("{not json", encoding="utf-8")
    result = alert()
    assert result.exit_code == 2
    assert "状态文件" in result.stderr
    assert server.received == []


def test_dry_run_on_a_rest_day_says_so(server: Server, write_project, alert: Alert, tmp_path: Path) -> None:
    write_project(server.port)
    sunday = alert("--skip-rest-days", "--dry-run", as_of="2026-11-29")
    assert (sunday.exit_code, sunday.stdout) == (0, "2026-11-29 是休息日：按 --skip-rest-days 本次不会发送任何邮件。\n")
    write_project(server.port, language="en")
    holiday = alert("--skip-rest-days", "--eml", str(tmp_path / "review"), as_of="2026-10-01")
    assert holiday.stdout == "2026-10-01 is a rest day: with --skip-rest-days nothing would be sent.\n"
    assert not (tmp_path / "review").exists()
    assert server.received == []


def test_skip_rest_days(server: Server, write_project, alert: Alert) -> None:
    write_project(server.port)
    sunday = alert("--skip-rest-days", "-v", as_of="2026-11-29")
    assert (sunday.exit_code, sunday.stdout) == (0, "2026-11-29 是休息日：按 --skip-rest-days 不发送。\n")
    assert server.received == []
    assert "休息日" in alert("--skip-rest-days", "-v", as_of="2026-10-01").stdout  # National Day
    assert alert("--skip-rest-days", as_of="2026-10-01").stdout == ""  # silent without -v
    saturday = alert("--skip-rest-days", "-v", as_of="2026-10-10")  # a make-up working Saturday (调休)
    assert saturday.exit_code == 0 and "已发送 0 封" in saturday.stdout
    assert server.received == []  # (nothing was due that early)
    assert alert("--skip-rest-days", as_of="2026-11-27").exit_code == 0  # a Friday: sent
    assert len(server.received) == 4


# -- review without sending, and the lock --------------------------------------------------------------


def test_dry_run_and_eml_change_no_state(server: Server, write_project, alert: Alert, tmp_path: Path) -> None:
    write_project(server.port)
    dry = alert("--dry-run")
    assert dry.exit_code == 0
    assert "收件：高新区建设局 <jsj@example.gov.cn>" in dry.stdout
    assert "主题：【逾期预警】高新区建设局：1项红灯、1项蓝色提醒（截至2026-11-27）" in dry.stdout
    assert "节点：2 项（新增 2 项，升级 0 项）" in dry.stdout
    assert "共 4 封待发送" in dry.stdout
    assert "文苑街道办事处" in dry.stdout and "示例领导丁" in dry.stdout
    eml = alert("--eml", str(tmp_path / "review"))
    assert (eml.exit_code, eml.stdout) == (0, f"已将 4 个 .eml 文件写入 {tmp_path / 'review'}\n")
    assert sorted(p.name for p in (tmp_path / "review").iterdir()) == [
        "01-unit-jsj.eml",
        "02-unit-cgj.eml",
        "03-leader-leader-a.eml",
        "04-pmo.eml",
    ]
    assert server.received == []
    assert not (tmp_path / ".sanshi-alert-state.json").exists()
    assert alert().exit_code == 0  # a real run still sends everything
    assert len(server.received) == 4


def test_dry_run_and_eml_words_in_english(server: Server, write_project, alert: Alert, tmp_path: Path) -> None:
    write_project(server.port, language="en")
    dry = alert("--dry-run", "--only-unit", "cgj")
    assert dry.stdout == (
        "To: 城管局<script>alert(1)</script> <cgj@example.gov.cn, cgj2@example.gov.cn>\n"
        "  Subject: [Overdue] 城管局<script>alert(1)</script>: 1 yellow (as of 2026-11-27)\n"
        "  Items: 1 (1 new, 0 risen)\n"
        "1 message to send; 0 recipients already told, nothing due for them.\n"
    )
    review = tmp_path / "review"
    one = alert("--eml", str(review), "--only-unit", "cgj", "-v")
    assert one.stdout == f"wrote {review / '01-unit-cgj.eml'}\nwrote 1 .eml file to {review}\n"
    nothing = alert("--eml", str(review), as_of="2026-01-05")
    assert nothing.stdout == f"As of 2026-01-05, no alert is due: no file written to {review}.\n"
    assert alert().exit_code == 0
    again = alert("-v")
    assert again.stdout == "As of 2026-11-27: 0 sent, 0 not delivered; nothing due for 4 recipients.\n" + (
        "No address, not alerted: 文苑街道办事处 (responsible unit), 示例领导丁 (lead official)\n"
    )
    assert alert("-v", "--only-unit", "jsj").stdout.endswith("nothing due for 1 recipient.\n")


def test_no_host_names_the_messages_in_the_singular(write_project, alert: Alert) -> None:
    path = write_project(25, language="en")
    path.write_text(path.read_text("utf-8").replace('host = "127.0.0.1"\n', ""), "utf-8")
    result = alert("--only-unit", "jsj")
    assert result.exit_code == 2
    assert "error: 1 alert message to send, but no mail server is configured" in result.stderr


def test_state_and_outbox_options(server: Server, write_project, alert: Alert, tmp_path: Path) -> None:
    write_project(server.port)
    server.recorder.refuse.add(JSJ)
    state = tmp_path / "var" / "state.json"
    result = alert("--state", str(state), "--outbox", str(tmp_path / "spool"))
    assert result.exit_code == 1
    assert state.is_file() and (tmp_path / "var" / "state.json.lock").is_file()
    assert [p.name for p in (tmp_path / "spool").iterdir()] == ["unit-jsj.eml"]
    assert not (tmp_path / ".sanshi-alert-state.json").exists()


def test_lock_blocks_a_concurrent_run(server: Server, write_project, alert: Alert, tmp_path: Path) -> None:
    write_project(server.port)
    lock = tmp_path / ".sanshi-alert-state.json.lock"
    handle = os.open(lock, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another cron run in the middle of its batch
        blocked = alert()
        assert blocked.exit_code == 1
        assert "另一个 sanshi alert 正在运行" in blocked.stderr
        assert server.received == []
    finally:
        os.close(handle)
    assert alert().exit_code == 0
    assert len(server.received) == 4


def test_readme_dry_run_transcript_is_real(sanshi) -> None:
    """The README's --dry-run listing of the sample is what sanshi prints today."""
    from tests.conftest import REPO, SAMPLE

    readme = (REPO / "README.md").read_text("utf-8")
    command = "`sanshi alert -f data/projects.toml --as-of 2026-11-27 --dry-run` on the bundled sample:"
    block = readme.split(command, 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    result = sanshi("alert", "-f", str(SAMPLE), "--as-of", "2026-11-27", "--dry-run")
    assert (result.exit_code, result.stdout) == (0, block)
