"""The bulletin by e-mail (bulletin_mail.py): who gets it and what each message holds."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from email import message_from_bytes, policy
from pathlib import Path

from sanshi_cli.alerting import Sender
from sanshi_cli.bulletin import resolve_period
from sanshi_cli.bulletin_mail import (
    Attachment,
    build_message,
    bulletin_recipients,
    outbox_stem,
    state_key,
    subject_of,
)
from sanshi_cli.loading import load_portfolio

SAMPLE = Path(__file__).parent.parent / "data" / "projects.toml"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone(timedelta(hours=8)))


def test_the_pmo_every_lead_official_and_every_responsible_unit_get_it():
    loaded = load_portfolio(SAMPLE)
    keys = [r.key for r in bulletin_recipients(loaded)]
    assert keys[0] == "pmo"
    leaders = {p.leader for p in loaded.portfolio.projects}
    units = {p.responsible_unit for p in loaded.portfolio.projects}
    assert [k for k in keys if k.startswith("leader:")] == [f"leader:{p.id}" for p in loaded.portfolio.people
                                                          if p.id in leaders]  # fmt: skip
    assert [k for k in keys if k.startswith("unit:")] == [f"unit:{u.id}" for u in loaded.portfolio.units
                                                        if u.id in units]  # fmt: skip
    # a unit that leads no project's responsibility (only a lead unit, say) is not sent the bulletin
    assert len(keys) == 1 + len(leaders) + len(units)


def test_the_message_carries_text_mail_html_and_both_attachments():
    loaded = load_portfolio(SAMPLE)
    period = resolve_period(date(2026, 12, 1))
    recipient = next(r for r in bulletin_recipients(loaded) if r.kind == "unit")
    message = build_message(
        recipient,
        recipient.addresses,
        period=period,
        sender=Sender("三十工程指挥部", "pmo@example.gov.cn"),
        lang="zh",
        title="三十工程",
        text="# 月通报\n\n- 红灯 2 项\n",
        html="<p>月通报</p>",
        attachments=[
            Attachment("月通报-2026-11.html", b"<html>charts</html>", "text", "html"),
            Attachment(
                "月通报-2026-11.xlsx",
                b"PK\x03\x04xlsx",
                "application",
                "vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),  # fmt: skip
        ],
        now=NOW,
    )
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["Subject"] == "【月通报】三十工程 2026-11"
    assert parsed["To"].addresses[0].addr_spec == recipient.addresses[0]
    assert parsed["Message-ID"].startswith("<sanshi.bulletin.")
    assert parsed.get_body(("plain",)).get_content().replace("\r\n", "\n") == "# 月通报\n\n- 红灯 2 项\n"
    assert parsed.get_body(("html",)).get_content().strip() == "<p>月通报</p>"
    files = {part.get_filename(): part.get_content() for part in parsed.iter_attachments()}
    assert files == {"月通报-2026-11.html": "<html>charts</html>", "月通报-2026-11.xlsx": b"PK\x03\x04xlsx"}


def test_state_and_outbox_names_never_meet_the_alerts():
    loaded = load_portfolio(SAMPLE)
    period = resolve_period(date(2026, 12, 1))
    week = resolve_period(date(2026, 12, 1), weekly=True)
    pmo = bulletin_recipients(loaded)[0]
    assert state_key(period) == "bulletin:2026-11" and state_key(week) == "bulletin:2026-W48"
    assert outbox_stem(period, pmo) == "bulletin-2026-11-pmo"
    assert subject_of(week, "en", "Key projects") == "[Weekly dispatch] Key projects 2026-W48"
