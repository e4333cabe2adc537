"""The alert core without a server: who is due, the state file, SMTP settings, and the message itself."""

from __future__ import annotations

import email
import email.policy
from datetime import date, datetime
from email.header import decode_header, make_header
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanshi_cli.alerting import (
    Alert,
    Recipient,
    Sender,
    State,
    Told,
    due_reason,
    file_stem,
    find_alerts,
    parse_sender,
    read_state,
    resolve_smtp,
    write_state,
)
from sanshi_cli.errors import SanshiError, UsageError
from sanshi_cli.loading import Loaded, load_portfolio
from sanshi_cli.mailing import build_message, header_text, level_counts, message_id, subject_of
from sanshi_cli.model import SmtpConfig
from tests.test_alert import project_text

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 8, 30, tzinfo=SHANGHAI)
SENDER = Sender("高新区指挥部办公室", "sanshi@example.gov.cn")
D = date.fromisoformat


@pytest.fixture
def loaded(tmp_path: Path) -> Loaded:
    path = tmp_path / "projects.toml"
    path.write_text(project_text(2525), encoding="utf-8")
    return load_portfolio(path)


def alert_for(loaded: Loaded, key: str, as_of: str = "2026-11-27", state: State | None = None) -> Alert:
    plan = find_alerts(loaded, D(as_of), state or State())
    return next(a for a in plan.alerts if a.recipient.key == key)


# -- when an item is due for an address -------------------------------------------------------------


@pytest.mark.parametrize(
    ("told", "level", "as_of", "expected"),
    [
        (None, "blue", "2026-11-27", "new"),
        (Told("blue", D("2026-11-26")), "blue", "2026-11-27", None),
        (Told("blue", D("2026-11-26")), "yellow", "2026-11-27", "risen"),
        (Told("yellow", D("2026-11-26")), "red", "2026-11-27", "risen"),
        (Told("red", D("2026-11-26")), "yellow", "2026-11-27", None),  # falling is not news
        (Told("red", D("2026-11-20")), "red", "2026-11-26", None),  # 6 days
        (Told("red", D("2026-11-20")), "red", "2026-11-27", "repeat"),  # 7 days
        (Told("red", D("2026-11-28")), "red", "2026-11-27", None),  # a backdated run
    ],
)
def test_due_reason(told: Told | None, level: str, as_of: str, expected: str | None) -> None:
    assert due_reason(told, level, D(as_of), repeat_days=7) == expected


def test_plan_marks_new_and_risen_items_and_lists_everything(loaded: Loaded) -> None:
    state = State()
    state.told[("leader:leader-a", "leader-a@example.gov.cn", "road", "permits")] = Told("red", D("2026-11-26"))
    state.told[("leader:leader-a", "leader-a@example.gov.cn", "road", "tender")] = Told("blue", D("2026-11-26"))
    leader = alert_for(loaded, "leader:leader-a", state=state)
    assert [i.milestone.id for i in leader.items] == ["permits", "tender"]  # the whole picture
    assert leader.marks == {("road", "tender"): "risen"}


def test_plan_skips_recipients_with_nothing_due(loaded: Loaded) -> None:
    state = State()
    for item in ("permits", "survey"):
        level = "red" if item == "permits" else "blue"
        state.told[("unit:jsj", "jsj@example.gov.cn", "road", item)] = Told(level, D("2026-11-27"))
    plan = find_alerts(loaded, D("2026-11-27"), state)
    assert "unit:jsj" not in {a.recipient.key for a in plan.alerts}
    assert "unit:jsj" in {r.key for r in plan.quiet}
    assert [(u.recipient.key, u.count) for u in plan.unreachable] == [("unit:wenyuan", 1), ("leader:leader-d", 1)]
    digest = next(a for a in plan.alerts if a.recipient.kind == "pmo")
    assert digest.unreachable == plan.unreachable


def test_state_round_trip_and_forgetting_closed_items(tmp_path: Path, loaded: Loaded) -> None:
    state = State()
    state.record(alert_for(loaded, "unit:jsj"), ["jsj@example.gov.cn"], D("2026-11-27"))
    state.told[("unit:jsj", "old@example.gov.cn", "road", "permits")] = Told("red", D("2026-11-01"))
    state.told[("unit:jsj", "jsj@example.gov.cn", "road", "gone")] = Told("red", D("2026-11-01"))
    path = tmp_path / "s" / "state.json"
    write_state(path, state)
    again = read_state(path)
    assert again.told == state.told
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind
    plan = find_alerts(loaded, D("2026-11-27"), again)
    again.forget_closed(plan.audience)
    assert sorted(k[3] for k in again.told) == ["permits", "survey"]


@pytest.mark.parametrize(
    "text",
    ["", "[]", '{"format": "other"}', '{"format": "sanshi-alert-state", "version": 9, "told": []}',
     '{"format": "sanshi-alert-state", "version": 1, "told": [{"recipient": "x"}]}',
     '{"format": "sanshi-alert-state", "version": 1, "told": [{"recipient": "x", "address": "a", '
     '"project": "p", "milestone": "m", "level": "red", "on": "2026-13-01"}]}'],
)  # fmt: skip
def test_unreadable_state_is_an_error_not_an_empty_state(tmp_path: Path, text: str) -> None:
    path = tmp_path / "state.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SanshiError) as caught:
        read_state(path)
    assert caught.value.problems[0].message == "state_unreadable"


def test_missing_state_is_empty(tmp_path: Path) -> None:
    assert read_state(tmp_path / "nothing.json").told == {}


@pytest.mark.parametrize(
    ("recipient", "stem"),
    [
        (Recipient("unit", "jsj", "", ()), "unit-jsj"),
        (Recipient("leader", "leader-a", "", ()), "leader-leader-a"),
        (Recipient("pmo", "pmo", "", ()), "pmo"),
        (Recipient("unit", "a/b", "", ()), "unit-a_b-"),
        (Recipient("unit", "../x", "", ()), "unit-.._x-"),
    ],
)
def test_file_stem_is_a_safe_file_name(recipient: Recipient, stem: str) -> None:
    made = file_stem(recipient)
    assert made.startswith(stem) and "/" not in made
    assert (len(made) == len(stem)) == (made == stem)


# -- SMTP settings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "environ", "expected"),
    [
        ({"host": "smtp.qq.com"}, {}, ("smtp.qq.com", 465, "ssl", None)),
        ({"host": "h", "security": "starttls"}, {}, ("h", 587, "starttls", None)),
        ({"host": "h", "security": "none"}, {}, ("h", 25, "none", None)),
        ({"host": "h", "port": 2525, "security": "none"}, {}, ("h", 2525, "none", None)),
        ({"host": "h"}, {"SANSHI_SMTP_SECURITY": "STARTTLS"}, ("h", 587, "starttls", None)),
        ({"host": "h"}, {"SANSHI_SMTP_HOST": "smtp.163.com", "SANSHI_SMTP_PORT": "994"},
         ("smtp.163.com", 994, "ssl", None)),
        ({"host": "h", "username": "u@x.cn"}, {}, ("h", 465, "ssl", None)),  # a username alone: no login
        ({"host": "h", "username": "u@x.cn"}, {"SANSHI_SMTP_PASSWORD": "pw"}, ("h", 465, "ssl", "u@x.cn")),
        ({"host": "h", "from": "PMO <p@x.cn>"}, {"SANSHI_SMTP_PASSWORD": "pw"}, ("h", 465, "ssl", "p@x.cn")),
        ({"host": "h", "username": "u@x.cn"}, {"SANSHI_SMTP_USER": "v@x.cn", "SANSHI_SMTP_PASSWORD": "pw"},
         ("h", 465, "ssl", "v@x.cn")),
        ({}, {"SANSHI_SMTP_HOST": " "}, (None, 465, "ssl", None)),  # empty counts as unset
    ],
)  # fmt: skip
def test_resolve_smtp(config: dict[str, object], environ: dict[str, str], expected: tuple[object, ...]) -> None:
    settings = resolve_smtp(SmtpConfig.model_validate(config), environ, Path("/nowhere"))
    assert (settings.host, settings.port, settings.security, settings.login) == expected


def test_sender_defaults_to_the_login_address() -> None:
    settings = resolve_smtp(SmtpConfig(host="h", username="sanshi@qq.com"), {}, Path("/"))
    assert settings.sender == Sender("", "sanshi@qq.com")
    mail_from = {"SANSHI_MAIL_FROM": "指挥部 <pmo@x.cn>"}
    assert resolve_smtp(SmtpConfig(host="h"), mail_from, Path("/")).sender == Sender("指挥部", "pmo@x.cn")


def test_password_file_is_relative_to_the_project_file(tmp_path: Path) -> None:
    (tmp_path / "pw").write_text("  secret \n", encoding="utf-8")
    settings = resolve_smtp(SmtpConfig(host="h", username="u@x.cn", password_file="pw"), {}, tmp_path)
    assert settings.password == "secret"
    assert "secret" not in repr(settings)
    override = resolve_smtp(SmtpConfig(host="h", password_file="pw"), {"SANSHI_SMTP_PASSWORD": "env"}, tmp_path)
    assert override.password == "env"


@pytest.mark.parametrize(
    ("config", "environ", "problem"),
    [
        ({"host": "h"}, {"SANSHI_SMTP_PORT": "0"}, "bad_env"),
        ({"host": "h"}, {"SANSHI_SMTP_PORT": "smtp"}, "bad_env"),
        ({"host": "h"}, {"SANSHI_SMTP_SECURITY": "tls"}, "bad_env"),
        ({"host": "h"}, {"SANSHI_MAIL_FROM": "not an address"}, "bad_env"),
        ({"host": "h", "password_file": "missing"}, {}, "password_file_unreadable"),
    ],
)
def test_resolve_smtp_problems(
    config: dict[str, object], environ: dict[str, str], problem: str, tmp_path: Path
) -> None:
    with pytest.raises(UsageError) as caught:
        resolve_smtp(SmtpConfig.model_validate(config), environ, tmp_path)
    assert [p.message for p in caught.value.problems] == [problem]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("高新区指挥部办公室 <sanshi@example.gov.cn>", Sender("高新区指挥部办公室", "sanshi@example.gov.cn")),
        ("sanshi@example.gov.cn", Sender("", "sanshi@example.gov.cn")),
        ('"PMO, Office" <p@x.cn>', Sender("PMO, Office", "p@x.cn")),
        ("PMO", None),
        ("", None),
    ],
)
def test_parse_sender(text: str, expected: Sender | None) -> None:
    assert parse_sender(text) == expected


# -- the message ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("高新区建设局", "高新区建设局"),
        ("a\r\nBcc: evil@x", "a Bcc: evil@x"),
        ("  tab\there\u2028line\x00  ", "tab here line"),
        ("\r\n", ""),
    ],
)
def test_header_text_is_one_clean_line(text: str, expected: str) -> None:
    assert header_text(text) == expected


def test_subjects(loaded: Loaded) -> None:
    jsj = alert_for(loaded, "unit:jsj")
    assert (
        subject_of(jsj, "zh", "T", D("2026-11-27"))
        == "【逾期预警】高新区建设局：1项红灯、1项蓝色提醒（截至2026-11-27）"
    )
    assert (
        subject_of(jsj, "en", "T", D("2026-11-27"))
        == "[Overdue alert] 高新区建设局: 1 red, 1 due soon (as of 2026-11-27)"
    )
    early = alert_for(loaded, "unit:cgj", "2026-11-19")
    assert (
        subject_of(early, "zh", "T", D("2026-11-19"))
        == "【到期提醒】城管局<script>alert(1)</script>：1项蓝色提醒（截至2026-11-19）"
    )
    assert subject_of(early, "en", "T", D("2026-11-19")).startswith("[Due soon] ")
    digest = alert_for(loaded, "pmo")
    assert subject_of(digest, "zh", "测试", D("2026-11-27")).startswith(
        "【逾期预警】测试汇总：1项红灯、2项黄灯、1项蓝色提醒"
    )
    assert level_counts(digest.items, "en") == "1 red, 2 yellow, 1 due soon"


def test_message_id_follows_the_alert(loaded: Loaded) -> None:
    jsj = alert_for(loaded, "unit:jsj")
    same = message_id(jsj, D("2026-11-27"), SENDER)
    assert same == message_id(alert_for(loaded, "unit:jsj"), D("2026-11-27"), SENDER)
    assert same != message_id(jsj, D("2026-11-28"), SENDER)
    assert same != message_id(alert_for(loaded, "unit:cgj"), D("2026-11-27"), SENDER)
    assert same.endswith("@example.gov.cn>")


def test_message_shape(loaded: Loaded) -> None:
    message = build_message(
        alert_for(loaded, "unit:cgj"), sender=SENDER, lang="zh", title="T", as_of=D("2026-11-27"), now=NOW
    )
    raw = message.as_bytes()
    assert raw.isascii() and b"\r\n" in raw
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Date"] == "Fri, 27 Nov 2026 08:30:00 +0800"
    assert parsed["Content-Language"] == "zh-CN"
    assert [a.addr_spec for a in parsed["To"].addresses] == ["cgj@example.gov.cn", "cgj2@example.gov.cn"]
    # Long names fold into several encoded words. RFC 2047 readers join them; Python 3.11's address
    # parser leaves a space between them, so read the display names back the RFC 2047 way.
    raw_to = raw.split(b"\r\n\r\n")[0].decode().split("\r\nTo: ")[1].split("\r\nDate:")[0]
    assert str(make_header(decode_header(raw_to))) == (
        "城管局<script>alert(1)</script> <cgj@example.gov.cn>, 城管局<script>alert(1)</script> <cgj2@example.gov.cn>"
    )
    assert raw.count(b"MIME-Version") == 1
    plain = parsed.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "1. [黄灯] 龙源路道路工程<b> · 招标  ★新增" in plain
    assert "截止日期：2026-11-24，情况：逾期 3 天" in plain
    html = parsed.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "<script>" not in html and "&lt;script&gt;" in html


@settings(max_examples=60, deadline=None)
@given(name=st.text(min_size=1, max_size=40))
def test_any_name_makes_a_well_formed_message(tmp_path_factory: pytest.TempPathFactory, name: str) -> None:
    """Whatever a unit is called, the message builds, stays 7-bit and grows no extra header."""
    from sanshi_cli.status import find_items

    folder = tmp_path_factory.mktemp("any")
    path = folder / "projects.toml"
    path.write_text(project_text(2525), encoding="utf-8")
    loaded = load_portfolio(path)
    loaded.units["jsj"].name = name
    items = [i for i in find_items(loaded, D("2026-11-27")) if i.owner.id == "jsj"]
    alert = Alert(Recipient("unit", "jsj", name, ("jsj@example.gov.cn",)), ("jsj@example.gov.cn",), items)
    raw = build_message(alert, sender=SENDER, lang="zh", title=name, as_of=D("2026-11-27"), now=NOW).as_bytes()
    assert raw.isascii()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert sorted(parsed.keys()) == sorted(
        ["Subject", "From", "To", "Date", "Message-ID", "Auto-Submitted", "X-Auto-Response-Suppress",
         "MIME-Version", "Content-Type", "Content-Language"]
    )  # fmt: skip
    assert [a.addr_spec for a in parsed["To"].addresses] == ["jsj@example.gov.cn"]
    assert parsed.defects == []


# -- [smtp] in the project file ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("smtp", "line"),
    [
        ('host = "smtp.qq.com:465"', "错误：键 smtp.host：邮件服务器 host = “smtp.qq.com:465” 无效"),
        ('host = "smtps://smtp.qq.com"', "错误：键 smtp.host："),
        ('from = "指挥部办公室"', "错误：键 smtp.from：发件人 from = “指挥部办公室” 无效"),
        ('from = "A\\r\\nBcc: e@x.cn <a@x.cn>"', "错误：键 smtp.from："),
        ('port = 465\nsecurity = "starttls"', '警告：键 smtp.port：端口 465 通常配 security = "ssl"'),
        ('port = 587\nsecurity = "ssl"', '警告：键 smtp.port：端口 587 通常配 security = "starttls"'),
    ],
)
def test_smtp_table_is_checked(sanshi, write_toml, smtp: str, line: str) -> None:
    from tests.conftest import MINIMAL

    path = write_toml(MINIMAL + "\n[smtp]\n" + smtp + "\n")
    result = sanshi("check", "-f", str(path), "--as-of", "2026-11-27")
    assert line in result.stderr
    assert result.exit_code == (2 if "错误" in line else 0)


@pytest.mark.parametrize("smtp", ['host = "smtp.exmail.qq.com"', 'host = "::1"', 'port = 25\nsecurity = "none"'])
def test_good_smtp_tables_pass(sanshi, write_toml, smtp: str) -> None:
    from tests.conftest import MINIMAL

    path = write_toml(MINIMAL + "\n[smtp]\n" + smtp + "\n")
    result = sanshi("check", "-f", str(path), "--as-of", "2026-11-27")
    assert (result.exit_code, result.stderr) == (0, "")
