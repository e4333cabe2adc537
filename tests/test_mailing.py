"""The alert core without a server: who is due, the state file, SMTP settings, and the message itself."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import date, datetime, timedelta
from email.header import decode_header, make_header
from html.parser import HTMLParser
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
from sanshi_cli.i18n import Lang
from sanshi_cli.loading import Loaded, load_portfolio
from sanshi_cli.mailing import (
    build_message,
    header_text,
    html_body,
    level_counts,
    message_id,
    plain_body,
    quote_title,
    subject_of,
)
from sanshi_cli.model import SmtpConfig
from sanshi_cli.rendering import item_name, situation
from sanshi_cli.schema import adapter
from sanshi_cli.status import Item
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
    state.told[("leader:leader-a", "leader-a@example.gov.cn", "milestone", "road", "permits")] = Told(
        "red", D("2026-11-26")
    )
    state.told[("leader:leader-a", "leader-a@example.gov.cn", "milestone", "road", "tender")] = Told(
        "blue", D("2026-11-26")
    )
    leader = alert_for(loaded, "leader:leader-a", state=state)
    assert [i.milestone.id for i in leader.items] == ["permits", "tender"]  # the whole picture
    assert leader.marks == {("milestone", "road", "tender"): "risen"}


def test_plan_skips_recipients_with_nothing_due(loaded: Loaded) -> None:
    state = State()
    for item in ("permits", "survey"):
        level = "red" if item == "permits" else "blue"
        state.told[("unit:jsj", "jsj@example.gov.cn", "milestone", "road", item)] = Told(level, D("2026-11-27"))
    plan = find_alerts(loaded, D("2026-11-27"), state)
    assert "unit:jsj" not in {a.recipient.key for a in plan.alerts}
    assert "unit:jsj" in {r.key for r in plan.quiet}
    assert [(u.recipient.key, u.count) for u in plan.unreachable] == [("unit:wenyuan", 1), ("leader:leader-d", 1)]
    digest = next(a for a in plan.alerts if a.recipient.kind == "pmo")
    assert digest.unreachable == plan.unreachable


def test_state_round_trip_and_forgetting_closed_items(tmp_path: Path, loaded: Loaded) -> None:
    state = State()
    state.record(alert_for(loaded, "unit:jsj"), ["jsj@example.gov.cn"], D("2026-11-27"))
    state.told[("unit:jsj", "old@example.gov.cn", "milestone", "road", "permits")] = Told("red", D("2026-11-01"))
    state.told[("unit:jsj", "jsj@example.gov.cn", "milestone", "road", "gone")] = Told("red", D("2026-11-01"))
    path = tmp_path / "s" / "state.json"
    write_state(path, state)
    again = read_state(path)
    assert again.told == state.told
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind
    plan = find_alerts(loaded, D("2026-11-27"), again)
    again.forget_closed(plan.audience)
    assert sorted(k[4] for k in again.told) == ["permits", "survey"]


@pytest.mark.parametrize(
    "text",
    ["", "[]", '{"format": "other"}', '{"format": "sanshi-alert-state", "version": 9, "told": []}',
     '{"format": "sanshi-alert-state", "version": 1, "told": [{"recipient": "x"}]}',
     '{"format": "sanshi-alert-state", "version": 1, "told": [{"recipient": "x", "address": "a", '
     '"project": "p", "milestone": "m", "level": "red", "on": "2026-13-01"}]}',
     '{"format": "sanshi-alert-state", "version": true, "told": []}',
     # version 2 names the kind of every record
     '{"format": "sanshi-alert-state", "version": 2, "told": [{"recipient": "x", "address": "a", '
     '"project": "p", "milestone": "m", "level": "red", "on": "2026-11-01"}]}',
     '{"format": "sanshi-alert-state", "version": 2, "told": [{"recipient": "x", "address": "a", "kind": 3, '
     '"project": "p", "milestone": null, "level": "red", "on": "2026-11-01"}]}',
     '{"format": "sanshi-alert-state", "version": 2, "told": [{"recipient": "x", "address": "a", '
     '"kind": "milestone", "project": "p", "milestone": null, "level": "red", "on": "2026-11-01"}]}'],
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
    settings = resolve_smtp(adapter(SmtpConfig).validate_python(config), environ, Path("/nowhere"))
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
        resolve_smtp(adapter(SmtpConfig).validate_python(config), environ, tmp_path)
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
        ("  tab\there\u2028line\x00  ", "tab\\there\\u2028line\\x00"),
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
    assert subject_of(jsj, "en", "T", D("2026-11-27")) == "[Overdue] 高新区建设局: 1 red, 1 due soon (as of 2026-11-27)"
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
    plain = parsed.get_body(("plain",)).get_content().replace("\r\n", "\n")  # type: ignore[union-attr]
    assert "1. [黄灯] 龙源路道路工程<b>  ★新增\n   招标 · 截止日期\xa02026-11-24 · 逾期\xa03\xa0天\n" in plain
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


# -- the message on a desk and on a phone -------------------------------------------------------------
#
# The HTML is read as a mail client would: a parser walks it, and every piece of visible text
# that holds a date, a level or a number with its unit must sit inside an element whose inline
# style says white-space:nowrap. bench/render_mail.py shows the same messages as pictures.

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
NUMBER_WITH_UNIT = re.compile(
    r"\d+\s*(天|项|个节点|个工作日|封|days?\b|working days?|milestones?\b|items?\b|overdue|left)"
)
LEVELS_SHOWN = ("[红灯]", "[黄灯]", "[延误风险]", "[蓝色提醒]", "[red]", "[yellow]", "[at risk]", "[due soon]")
TAGS = {"html", "head", "meta", "title", "body", "div", "p", "table", "tr", "td", "span", "strong", "br", "ul", "li"}


class MailHtml(HTMLParser):
    """Visible text with whether it may wrap; table shapes; item blocks; tags and attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, nowrap here or above)
        self.texts: list[tuple[str, bool]] = []
        self.tags: set[str] = set()
        self.styles: list[str] = []
        self.rows: list[int] = []  # cells per table row
        self.blocks: list[str] = []  # the text of each item block (a td)
        self.in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        style = dict(attrs).get("style") or ""
        self.styles.append(style)
        if tag in ("br", "meta"):
            return
        nowrap = "white-space:nowrap" in style.replace(" ", "") or (bool(self.stack) and self.stack[-1][1])
        self.stack.append((tag, nowrap))
        if tag == "tr":
            self.rows.append(0)
        elif tag in ("td", "th"):
            self.rows[-1] += 1
            self.blocks.append("")
        elif tag == "head":
            self.in_head = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "meta"):
            return
        assert self.stack and self.stack[-1][0] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()
        if tag == "head":
            self.in_head = False

    def handle_data(self, data: str) -> None:
        if self.in_head or not data.strip():
            return
        self.texts.append((data, self.stack[-1][1]))
        if any(tag == "td" for tag, _ in self.stack):
            self.blocks[-1] += data

    def visible(self) -> str:
        return "".join(text for text, _ in self.texts)


def parse(body: str) -> MailHtml:
    parser = MailHtml()
    parser.feed(body)
    parser.close()
    assert parser.stack == [], "unclosed elements"
    return parser


@pytest.fixture(scope="module")
def sample() -> Loaded:
    from tests.conftest import SAMPLE

    return load_portfolio(SAMPLE)


def sample_alerts(sample: Loaded) -> list[Alert]:
    return find_alerts(sample, D("2026-11-27"), State()).alerts


def test_the_sample_has_every_kind_of_recipient(sample: Loaded) -> None:
    kinds = [a.recipient.kind for a in sample_alerts(sample)]
    assert kinds.count("unit") == 5 and kinds.count("leader") == 4 and kinds.count("pmo") == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_date_level_or_number_can_wrap_in_the_html(sample: Loaded, lang: Lang) -> None:
    for alert in sample_alerts(sample):
        page = parse(html_body(alert, lang, "高新区“三十工程”重点项目", D("2026-11-27")))
        for text, nowrap in page.texts:
            fragile = DATE.search(text) or NUMBER_WITH_UNIT.search(text) or any(lv in text for lv in LEVELS_SHOWN)
            assert nowrap or not fragile, f"{alert.recipient.key}: {text!r} may wrap"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_needs_no_stylesheet_and_tables_stay_narrow(sample: Loaded, lang: Lang) -> None:
    for alert in sample_alerts(sample):
        body = html_body(alert, lang, "T", D("2026-11-27"))
        page = parse(body)
        assert page.tags <= TAGS, page.tags - TAGS  # no <style>, <link>, <script>
        assert "@media" not in body and "class=" not in body
        assert max(page.rows) <= 4


def squeezed(text: str) -> str:
    return re.sub(r"\s", "", text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_item_is_one_block_with_project_milestone_and_due_date(sample: Loaded, lang: Lang) -> None:
    for alert in sample_alerts(sample):
        page = parse(html_body(alert, lang, "T", D("2026-11-27")))
        plain = plain_body(alert, lang, "T", D("2026-11-27"))
        assert len(page.blocks) == len(alert.items)
        # blocks come in the mail's sections (督办 problems first): each item's own block, wherever it is
        blocks = {id(item): next(b for b in page.blocks if _names(item, lang, b)) for item in alert.items}
        assert len({id(b) for b in blocks.values()}) == len(alert.items)
        for item in alert.items:
            block = blocks[id(item)]
            name = item_name(item, lang)  # the milestone's, or what the item is: 投资进度滞后
            state = situation(item, lang, D("2026-11-27"))  # 逾期 3 天, or 投资完成率 35.0%，欠序时进度 48.3 个百分点
            assert item.project.name in block and name in block.replace("\xa0", " ")
            assert squeezed(state) in squeezed(block)  # the parser drops the spaces between phrases
            assert item.due is None or item.due.isoformat() in block
            assert (item.owner.name in block) == (alert.recipient.kind != "unit")
            assert item.project.name in plain and name in plain.replace("\xa0", " ")
            assert squeezed(state) in squeezed(plain)  # a long line breaks between phrases
            assert item.due is None or item.due.isoformat() in plain


def _names(item: Item, lang: Lang, block: str) -> bool:
    """Whether ``block`` is about ``item``: its project, its milestone (or kind), its due date."""
    name = item_name(item, lang)
    due = item.due.isoformat() if item.due is not None else ""
    return item.project.name in block and name in block.replace("\xa0", " ") and due in block


def test_a_unit_message_in_full(sample: Loaded) -> None:
    """高新区城市管理局 has an overdue problem at level 2 (燃气管线迁改), a milestone at risk, a report
    overdue (龙源路, last report 11-13, due 11-20) and a problem due soon on another project (市民中心):
    the heading names the worst, the problems carry their ids and deadlines, the words say "items"."""
    cgj = next(a for a in sample_alerts(sample) if a.recipient.key == "unit:cgj")
    title = "高新区“三十工程”重点项目"
    zh = plain_body(cgj, "zh", title, D("2026-11-27")).replace("\xa0", "_")
    assert zh == (
        "高新区城市管理局：\n"
        "\n"
        "截至 2026-11-27，贵单位负责的事项中有 4_项需要关注（含问题清单中即将到期或逾期未解决的问题），"
        "请抓紧推进，按时交账，按期解决问题并报办结。标 ★ 的为新增或级别升高的事项。\n"
        "\n"
        "1. [红灯] 龙源路道路工程  ★新增\n"
        "   P-2026-006 · 问题：燃气管线迁改进度滞后 · 解决时限_2026-11-13\n"
        "   逾期_14_天，2_级督办\n"
        "\n"
        "2. [延误风险] 龙源路道路工程  ★新增\n"
        "   开工 · 截止日期_2026-12-04 · 预计推迟_7_天 · 预计完成_2026-12-11\n"
        "\n"
        "3. [蓝色提醒] 龙源路道路工程  ★新增\n"
        "   未按时填报 · 应于_2026-11-20_填报，已逾期_1_次\n"
        "\n"
        "4. [蓝色提醒] 市民中心  ★新增\n"
        "   P-2026-009 · 问题：渣土消纳场地不足 · 解决时限_2026-12-01 · 剩_2_个工作日\n"
        "\n"
        "红灯：1_项\u3000黄灯：0_项\u3000延误风险：1_项\u3000蓝色提醒：2_项\n"
        "\n"
        "-- \n"
        "本邮件由 sanshi 根据《高新区“三十工程”重点项目》台账自动发送，数据截至 2026-11-27，请勿直接回复；"
        "如有疑问，请联系指挥部办公室。\n"
    )
    en = plain_body(cgj, "en", title, D("2026-11-27")).replace("\xa0", "_")
    assert en == (
        "To 高新区城市管理局:\n"
        "\n"
        "As of 2026-11-27, 4_items your unit answers for need attention (problems on the problem list due soon or "
        "overdue among them): please push them forward, deliver on time, and solve each problem by its deadline. "
        "Those marked ★ are new or have risen in level.\n"
        "\n"
        "1. [red] 龙源路道路工程  ★new\n"
        "   P-2026-006 · Problem: 燃气管线迁改进度滞后 · deadline_2026-11-13\n"
        "   14_days_overdue,_level_2\n"
        "\n"
        "2. [at_risk] 龙源路道路工程  ★new\n"
        "   开工 · Due_2026-12-04 · slips_7_days · Forecast_2026-12-11\n"
        "\n"
        "3. [due_soon] 龙源路道路工程  ★new\n"
        "   report_overdue · report_due_2026-11-20, 1_missed\n"
        "\n"
        "4. [due_soon] 市民中心  ★new\n"
        "   P-2026-009 · Problem: 渣土消纳场地不足 · deadline_2026-12-01\n"
        "   2_working_days_left\n"
        "\n"
        "red:_1    yellow:_0    at_risk:_1    due_soon:_2\n"
        "\n"
        "-- \n"
        "Sent automatically by sanshi from the ‘高新区“三十工程”重点项目’ register, data as of 2026-11-27; "
        "please do not reply. Questions: contact the PMO.\n"
    )
    assert (
        subject_of(cgj, "zh", title, D("2026-11-27"))
        == "【逾期预警】高新区城市管理局：1项红灯、1项延误风险、2项蓝色提醒（截至2026-11-27）"
    )
    assert (
        subject_of(cgj, "en", title, D("2026-11-27"))
        == "[Overdue] 高新区城市管理局: 1 red, 1 at risk, 2 due soon (as of 2026-11-27)"
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_due_soon_heading_over_a_yellow_or_red_count(sample: Loaded, lang: Lang) -> None:
    headings = {
        "supervised": ("【问题督办】", "[Escalated problem]"),
        "late": ("【逾期预警】", "[Overdue]"),
        "lag": ("【进度滞后】", "[Behind plan]"),
        "risk": ("【延误风险】", "[At risk]"),
        "missing": ("【未按时填报】", "[Report overdue]"),
        "problems": ("【问题清单】", "[Problem list]"),
        "soon": ("【到期提醒】", "[Due soon]"),
    }
    seen = set()
    for alert in sample_alerts(sample):
        subject = subject_of(alert, lang, "T", D("2026-11-27"))
        states = {i.state for i in alert.items}
        supervised = any(i.problem is not None and i.problem.escalation == 3 for i in alert.items)
        problems = any(i.kind == "problem" for i in alert.items)
        kind = "supervised" if supervised else next(
            (k for k, found in [("late", {"overdue"}), ("lag", {"progress_lag", "invest_lag"}), ("risk", {"at_risk"}),
                                ("missing", {"report_missing"})] if states & found),
            "problems" if problems else "soon",
        )  # fmt: skip
        seen.add(kind)
        assert subject.startswith(headings[kind][lang == "en"])
        if kind in ("soon", "problems"):
            assert all(i.level == "blue" for i in alert.items)
        at_risk = sum(i.state == "at_risk" for i in alert.items)
        yellow = sum(i.level == "yellow" and i.state != "at_risk" for i in alert.items)
        assert ((f"{yellow}项黄灯" if lang == "zh" else f"{yellow} yellow") in subject) == (yellow > 0)
        assert ((f"{at_risk}项延误风险" if lang == "zh" else f"{at_risk} at risk") in subject) == (at_risk > 0)
    # 经发局: tianbao-valley's investment (red) over a blue milestone; 建设局: P-2026-004 at level 3
    assert seen == {"supervised", "late", "lag"}
    digest = next(a for a in sample_alerts(sample) if a.recipient.kind == "pmo")
    assert level_counts(digest.items, "zh") == "5项红灯、5项黄灯、2项延误风险、8项蓝色提醒"  # as `sanshi status` counts


def test_the_digest_at_a_glance(sample: Loaded) -> None:
    digest = next(a for a in sample_alerts(sample) if a.recipient.kind == "pmo")
    plain = plain_body(digest, "en", "T", D("2026-11-27")).replace("\xa0", "_")
    assert "As of 2026-11-27, 20_items across all key projects need attention, problems on the problem list" in plain
    assert (
        "2. [red] 河南工信职业学院基础设施完善提升项目  ★new\n"
        "   腾空交地 · Due_2026-10-30 · 28_days_overdue\n"
        "   Responsible unit: 文苑街道办事处 · Leader:_示例领导丙\n"
    ) in plain
    assert (
        "5. [red] 天宝恒祥超硬材料智慧谷  ★new\n"
        "   investment_behind_plan · invested_35.0%_of_the_year's_plan,\n"  # 78 columns at most: the line breaks
        "   48.3_points_behind_time\n"  # between phrases, indented like the rest of the block
        "   Responsible unit: 高新区经济发展局 · Leader:_示例领导丙\n"
    ) in plain  # 9600 + 600 + 300 of 30000 is 35.0%; 序时 10/12 is 83.3%
    assert "    progress_behind_plan · planned_45.2%, reported_28.0% (2026-11-20),\n    17.2_points_behind\n" in plain
    assert "13. [due_soon] 龙源路道路工程  ★new\n    report_overdue · report_due_2026-11-20, 1_missed\n" in plain
    assert "19. [due_soon] 焦作“智慧岛”  ★new\n    施工许可证 · Due_2026-12-02 · 3_working_days_left\n" in plain
    assert "- 文苑街道办事处 (responsible unit, 2_items)\n" in plain
    assert "the “T” register" in plain
    assert plain.index("Problems under top-level supervision") < plain.index("Other items") < plain.index("Awaiting")
    longest = max(len(line) for line in plain.splitlines()[4:] if not line.startswith(("Sent ", "These have")))
    assert longest <= 80


@pytest.mark.parametrize(
    ("title", "lang", "quoted"),
    [
        ("高新区“三十工程”重点项目", "zh", "《高新区“三十工程”重点项目》"),
        ("高新区“三十工程”重点项目", "en", "‘高新区“三十工程”重点项目’"),
        ("Key projects", "en", "“Key projects”"),
        ('The "30" projects', "en", '‘The "30" projects’'),
        ("A “b” and ‘c’", "en", "A “b” and ‘c’"),
        ("《规划》项目", "zh", "「《规划》项目」"),
        ("《a》「b」", "zh", "《a》「b」"),
    ],
)
def test_quotes_around_the_title_never_clash(title: str, lang: Lang, quoted: str) -> None:
    assert quote_title(title, lang) == quoted


HOSTILE = {
    "project": "<script>alert('p')</script> & \"路\"",
    "milestone": '"><img src=x onerror=alert(1)>',
    "unit": "建设局 & <b>'单位'</b>",
    "leader": '领导<i>"甲"</i>',
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_names_stay_text(loaded: Loaded, lang: Lang) -> None:
    loaded.portfolio.projects[0].name = HOSTILE["project"]
    loaded.portfolio.projects[0].milestones[0].name = HOSTILE["milestone"]
    loaded.units["jsj"].name = HOSTILE["unit"]
    loaded.people["leader-a"].name = HOSTILE["leader"]
    title = "A “B” & <C>"
    for alert in find_alerts(loaded, D("2026-11-27"), State()).alerts:
        body = html_body(alert, lang, title, D("2026-11-27"))
        assert "<script" not in body and "<img" not in body and "<b>" not in body and "<i>" not in body
        page = parse(body)
        assert page.tags <= TAGS
        assert all("onerror" not in style for style in page.styles)
        text = page.visible()
        people = alert.recipient.kind != "unit"
        for item in alert.items:
            assert item.project.name in text and item.milestone.name in text
            assert (item.owner.name in text and item.leader.name in text) or not people
        assert people or HOSTILE["leader"] not in text
        assert "A “B” &amp; <C>" not in text and "A “B” & <C>" in text


def test_one_day_is_singular(sample: Loaded) -> None:
    from dataclasses import replace

    cgj = next(a for a in sample_alerts(sample) if a.recipient.key == "unit:cgj")
    item = next(i for i in cgj.items if i.state == "at_risk")
    cgj.items = [replace(item, forecast=item.due + timedelta(days=1))]
    assert "slips\xa01\xa0day · " in plain_body(cgj, "en", "T", D("2026-11-27"))
    cgj.items = [replace(item, state="overdue", level="yellow", days_overdue=1)]
    assert "1 day overdue" in html_body(cgj, "en", "T", D("2026-11-27"))
