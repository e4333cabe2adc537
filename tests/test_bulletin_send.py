"""``sanshi bulletin --mail``: the bulletin to the PMO, lead officials and units over a real SMTP server.

The bundled sample, its [smtp] pointed at aiosmtpd on 127.0.0.1 (``--channel email``: its
[channels] point at placeholder files; the digest's own tests play the PMO's group robot). Sent once per period and
address (the alert's state file records ``bulletin:<period>``); a refused address waits in the
outbox as ``bulletin-<period>-<recipient>.eml`` and the next run sends it alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Result
from tests.robots import Robot, serve
from tests.smtp_server import Server, free_port

SAMPLE = Path(__file__).parent.parent / "data" / "projects.toml"
AS_OF = "2026-12-01"
EVERYONE = {
    "pmo@example.gov.cn", "leader-a@example.gov.cn", "leader-b@example.gov.cn", "leader-c@example.gov.cn",
    "leader-e@example.gov.cn", "jsj@example.gov.cn", "jfj@example.gov.cn", "jfj-xmk@example.gov.cn",
    "cgj@example.gov.cn", "xmb@tzjt.example.com",
}  # fmt: skip


def sample_on(tmp_path: Path, port: int) -> Path:
    """The sample with its [smtp] table replaced by the local server's."""
    text = SAMPLE.read_text("utf-8")
    local = f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\ntimeout = 5\nfrom = "高新区指挥部办公室 <sanshi@example.gov.cn>"\n'
    text, n = re.subn(r"(?ms)^\[smtp\]\n.*?\n\n", local + "\n", text, count=1)
    assert n == 1
    path = tmp_path / "projects.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def mail(sanshi: Callable[..., Result], tmp_path: Path) -> Callable[..., Result]:
    def run(*args: str) -> Result:
        return sanshi("bulletin", "-f", str(tmp_path / "projects.toml"), "--as-of", AS_OF, "--mail", *args)

    return run


def records(tmp_path: Path) -> set[tuple[str, str]]:
    state = json.loads((tmp_path / ".sanshi-alert-state.json").read_text("utf-8"))
    return {(r["recipient"], r["address"]) for r in state["told"] if r["kind"] == "bulletin:2026-11"}


def test_everyone_with_an_address_gets_one_message_with_both_attachments(server: Server, tmp_path, mail) -> None:
    sample_on(tmp_path, server.port)
    result = mail("--channel", "email")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "2026-11 的通报：已发送 9 封，未送达 0 封\n无邮箱，未发送：示例领导丁\n"
    received = server.recorder.received
    assert len(received) == 9
    assert {a for r in received for a in r.rcpt_tos} == EVERYONE
    jfj = next(r for r in received if "jfj@example.gov.cn" in r.rcpt_tos)
    assert jfj.rcpt_tos == ["jfj@example.gov.cn", "jfj-xmk@example.gov.cn"]  # one message, both addresses
    message = jfj.message
    assert message["Subject"] == "【月通报】高新区“三十工程”重点项目 2026-11"
    assert message["To"].addresses[0].display_name == "高新区经济发展局"
    assert jfj.text.startswith("# 高新区“三十工程”重点项目 月通报（2026-11）")
    assert "<svg" not in jfj.html and "<script" not in jfj.html and "单位排名" in jfj.html
    files = {part.get_filename(): part for part in message.iter_attachments()}
    assert set(files) == {"月通报-2026-11.html", "月通报-2026-11.xlsx"}
    assert "<svg" in files["月通报-2026-11.html"].get_content()
    assert files["月通报-2026-11.xlsx"].get_content()[:2] == b"PK"
    assert ("unit:jfj", "jfj-xmk@example.gov.cn") in records(tmp_path) and len(records(tmp_path)) == 10


def test_sent_once_per_period_and_force_sends_again(server: Server, tmp_path, mail, sanshi) -> None:
    sample_on(tmp_path, server.port)
    assert mail("--channel", "email").exit_code == 0
    again = mail("--channel", "email")
    assert again.exit_code == 0 and again.stdout == "" and len(server.recorder.received) == 9
    dry = mail("--channel", "email", "--dry-run")
    assert dry.stdout.splitlines()[0] == "2026-11 的通报已发给所有收件人，无需再发（--force 可重发）"
    # an alert run on the same state keeps the bulletin's records
    sanshi("alert", "-f", str(tmp_path / "projects.toml"), "--as-of", AS_OF)
    assert len(records(tmp_path)) == 10
    forced = mail("--channel", "email", "--force")
    assert forced.exit_code == 0
    bulletins = [r for r in server.recorder.received if r.subject.startswith("【月通报】")]
    assert len(bulletins) == 18 and len(server.recorder.received) > 18  # the alert run's messages between


def test_a_refused_address_waits_in_the_outbox_and_is_sent_alone_next_time(server: Server, tmp_path, mail) -> None:
    sample_on(tmp_path, server.port)
    server.recorder.refuse.add("cgj@example.gov.cn")
    first = mail("--channel", "email")
    assert first.exit_code == 1
    outbox = tmp_path / "outbox"
    assert sorted(p.name for p in outbox.iterdir()) == ["bulletin-2026-11-unit-cgj.eml"]
    assert "未送达 高新区城市管理局 <cgj@example.gov.cn>" in first.stderr
    assert "bulletin-2026-11-unit-cgj.eml" in first.stderr
    server.recorder.refuse.clear()
    before = len(server.recorder.received)
    second = mail("--channel", "email")
    assert second.exit_code == 0, second.stderr
    assert [r.rcpt_tos for r in server.recorder.received[before:]] == [["cgj@example.gov.cn"]]
    assert not any(outbox.iterdir())


def test_no_server_exits_1_with_every_message_in_the_outbox(tmp_path, mail) -> None:
    sample_on(tmp_path, free_port())
    result = mail("--channel", "email")
    assert result.exit_code == 1
    assert len(list((tmp_path / "outbox").glob("bulletin-2026-11-*.eml"))) == 9
    assert not (tmp_path / ".sanshi-alert-state.json").exists() or records(tmp_path) == set()


def test_dry_run_lists_who_would_get_it_and_sends_nothing(tmp_path, mail) -> None:
    sample_on(tmp_path, free_port())
    result = mail("--channel", "email", "--dry-run")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "将发送：【月通报】高新区“三十工程”重点项目 2026-11"
    assert "  收件人：高新区经济发展局 <jfj@example.gov.cn, jfj-xmk@example.gov.cn>" in lines
    assert lines[-2:] == ["共 9 封邮件，附件 月通报-2026-11.html, 月通报-2026-11.xlsx", "无邮箱，未发送：示例领导丁"]
    assert not (tmp_path / "outbox").exists()


def test_mail_options_without_mail_and_filters_with_it_are_usage_errors(sanshi, tmp_path) -> None:
    path = sample_on(tmp_path, free_port())
    alone = sanshi("bulletin", "-f", str(path), "--as-of", AS_OF, "--dry-run")
    assert alone.exit_code == 2 and "--dry-run 只用于 --mail" in alone.stderr
    filtered = sanshi("bulletin", "-f", str(path), "--as-of", AS_OF, "--mail", "-u", "jsj")
    assert filtered.exit_code == 2 and "--mail 发送的是全部项目的通报" in filtered.stderr


def test_the_readme_dry_run_is_what_sanshi_prints(sanshi) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    command = "$ sanshi bulletin --month 2026-11 --mail --dry-run\n"
    shown = readme[readme.index(command) + len(command) :].split("```", 1)[0]
    result = sanshi("bulletin", "-f", str(SAMPLE), "--as-of", AS_OF, "--month", "2026-11", "--mail", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == shown


# -- the digest in the PMO's group chat -------------------------------------------------------------


@pytest.fixture
def pmo_group(httpserver: Any, monkeypatch: pytest.MonkeyPatch) -> Robot:
    """The sample's [channels.pmo-group] (WeCom) played on 127.0.0.1, its URL in the environment."""
    robot = Robot("wecom")
    monkeypatch.setenv("SANSHI_CHANNEL_PMO_GROUP_URL", serve(httpserver, robot))
    return robot


def test_the_digest_is_posted_to_the_pmo_group_once_per_period(pmo_group: Robot, tmp_path, mail) -> None:
    sample_on(tmp_path, free_port())
    first = mail("--channel", "chat", "--insecure")
    assert first.exit_code == 0 and "错误" not in first.stderr  # (the sample's 2027 calendar notice aside)
    assert first.stdout == "2026-11 的通报摘要：已发到 1 个群聊，未送达 0 个\n"
    assert [p["msgtype"] for p in pmo_group.posts] == ["markdown"]
    text = pmo_group.texts()[0]
    assert text.startswith("### 高新区“三十工程”重点项目 月通报（2026-11）\n- 项目 9 个：")
    assert "- 红榜：高新区自然资源和规划分局 83.3" in text
    assert "- 黑榜：文苑街道办事处 33.3、高新区经济发展局 46.9、高新区城市管理局 47.4" in text
    state = json.loads((tmp_path / ".sanshi-alert-state.json").read_text("utf-8"))
    assert [(r["recipient"], r["address"], r["kind"]) for r in state["told"]] == [
        ("pmo", "channel:pmo-group", "bulletin:2026-11")
    ]
    again = mail("--channel", "chat", "--insecure")
    assert (again.exit_code, again.stdout) == (0, "") and len(pmo_group.posts) == 1


def test_a_bad_robot_key_is_exit_2_and_the_unsigned_digest_waits(pmo_group: Robot, tmp_path, mail) -> None:
    sample_on(tmp_path, free_port())
    pmo_group.script.append({"errcode": 93000, "errmsg": "invalid webhook url, hint: [1700000000_1_abc]"})
    result = mail("--channel", "chat", "--insecure")
    assert result.exit_code == 2
    waiting = tmp_path / "outbox" / "bulletin-2026-11-pmo@pmo-group.json"
    document = json.loads(waiting.read_text("utf-8"))
    assert document["channel"] == "pmo-group" and document["bulletin"] == "2026-11"
    assert document["payloads"][0]["msgtype"] == "markdown"
    assert "key=" not in waiting.read_text("utf-8") and "pmo-group" in result.stderr
    fixed = mail("--channel", "chat", "--insecure")
    assert fixed.exit_code == 0 and len(pmo_group.posts) == 1 and not waiting.exists()


def test_email_and_the_group_in_one_run(server: Server, pmo_group: Robot, tmp_path, mail) -> None:
    sample_on(tmp_path, server.port)
    result = mail("--insecure", "-v")
    assert result.exit_code == 0, result.stderr
    assert len(server.recorder.received) == 9 and len(pmo_group.posts) == 1
    assert "已发到群聊：pmo-group" in result.stdout.splitlines()


def test_no_mail_server_still_posts_the_digest_then_exits_2(pmo_group: Robot, tmp_path, mail) -> None:
    text = SAMPLE.read_text("utf-8")
    text, n = re.subn(r'(?m)^host = "smtp\.example\.gov\.cn"\n', "", text)
    assert n == 1
    (tmp_path / "projects.toml").write_text(text, encoding="utf-8")
    result = mail("--insecure")
    assert result.exit_code == 2
    assert "但没有配置邮件服务器：请在 [smtp] 中写 host" in result.stderr
    assert len(pmo_group.posts) == 1
    assert records(tmp_path) == {("pmo", "channel:pmo-group")}  # no e-mail went: every address is still owed it
