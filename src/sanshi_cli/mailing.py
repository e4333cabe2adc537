"""The alert e-mail: subject, plain text and an HTML table, and the headers that make it behave.

Built with the standard library's :class:`~email.message.EmailMessage` under ``policy.SMTP``:
Chinese names and subjects become RFC 2047 encoded words, both bodies are base64 (7-bit clean),
``Date`` is in the file's timezone and ``Message-ID`` is derived from what the alert says, so a
retry of the same alert carries the same id. Text from the project file never reaches a header
with a line break or control character in it, and is HTML-escaped in the HTML part.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import TYPE_CHECKING

from sanshi_cli.i18n import Lang, label
from sanshi_cli.rendering import situation
from sanshi_cli.status import LEVELS, Item, count_levels

if TYPE_CHECKING:
    from sanshi_cli.alerting import Alert, Recipient, Sender

LEVEL_COLOURS = {"red": "#c62828", "yellow": "#b26a00", "blue": "#1565c0", "green": "#2e7d32"}


def header_text(text: str) -> str:
    """One line of text safe in a header: control characters and line breaks become spaces."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(cleaned.split())


def recipient_name(recipient: Recipient, lang: Lang, title: str) -> str:
    """How the message names its recipient: the unit's or person's name, or the digest's title."""
    if recipient.kind == "pmo":
        return label("alert_digest_name", lang, title=header_text(title))
    return header_text(recipient.name) or recipient.id


def level_counts(items: Sequence[Item], lang: Lang) -> str:
    """``2项红灯、1项黄灯`` / ``2 red, 1 yellow``: the levels present, most severe first."""
    counts = count_levels(items)
    parts = [label("alert_count", lang, n=counts[lv], label=label(lv, lang)) for lv in LEVELS if counts[lv]]
    return ("、" if lang == "zh" else ", ").join(parts)


def subject_of(alert: Alert, lang: Lang, title: str, as_of: date) -> str:
    """``【逾期预警】高新区建设局：2项红灯、1项黄灯（截至2026-04-28）``, or ``【到期提醒】…``."""
    key = "alert_subject_late" if alert.late else "alert_subject_soon"
    name = recipient_name(alert.recipient, lang, title)
    return header_text(label(key, lang, name=name, counts=level_counts(alert.items, lang), as_of=as_of))


def message_id(alert: Alert, as_of: date, sender: Sender) -> str:
    """``<sanshi.HASH@domain>`` from the recipient, the addresses, the day and the items' levels."""
    from sanshi_cli.alerting import digest_of, item_key

    identity = [
        alert.recipient.key,
        sorted(alert.addresses),
        as_of.isoformat(),
        sorted([*item_key(i), i.level] for i in alert.items),
    ]
    domain = sender.address.rpartition("@")[2]
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        domain = "sanshi.invalid"
    return f"<sanshi.{digest_of(identity)[:32]}@{domain}>"


def _address(name: str, address: str) -> Address:
    return Address(display_name=header_text(name), addr_spec=address)


def build_message(
    alert: Alert,
    *,
    sender: Sender,
    lang: Lang,
    title: str,
    as_of: date,
    now: datetime,
) -> EmailMessage:
    """The complete message for ``alert``: headers, plain text and the HTML alternative.

    ``now`` (timezone-aware, in the file's timezone) becomes the ``Date`` header.
    """
    message = EmailMessage(policy=policy.SMTP)
    name = recipient_name(alert.recipient, lang, title)
    message["Subject"] = subject_of(alert, lang, title, as_of)
    message["From"] = _address(sender.name, sender.address)
    message["To"] = [_address(name, a) for a in alert.addresses]
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(alert, as_of, sender)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"  # no out-of-office replies to a robot
    message.set_content(plain_body(alert, lang, title, as_of), charset="utf-8", cte="base64")
    message.add_alternative(html_body(alert, lang, title, as_of), subtype="html", charset="utf-8", cte="base64")
    for part in message.iter_parts():
        del part["MIME-Version"]  # add_alternative repeats it on the part; it belongs at the top only
    message["Content-Language"] = "zh-CN" if lang == "zh" else "en"  # set_content clears Content-*
    return message


# -- bodies ---------------------------------------------------------------------------------------


def _greeting(alert: Alert, lang: Lang, title: str) -> str:
    if alert.recipient.kind == "pmo":
        return label("alert_greeting_pmo", lang)
    return label("alert_greeting", lang, name=recipient_name(alert.recipient, lang, title))


def _intro(alert: Alert, lang: Lang, as_of: date) -> str:
    key = {"unit": "alert_intro_unit", "leader": "alert_intro_leader", "pmo": "alert_intro_pmo"}
    text = label(key[alert.recipient.kind], lang, as_of=as_of, n=len(alert.items))
    if alert.marks:
        text += label("alert_marks_note", lang)
    return text


def _forecast(item: Item, as_of: date) -> str:
    """The forecast where it says something: a slip beyond the plan (as in ``sanshi status``)."""
    slipped = item.milestone.done is None and item.forecast > max(item.due, as_of)
    return item.forecast.isoformat() if slipped else ""


def _mark(alert: Alert, item: Item, lang: Lang) -> str:
    mark = alert.mark(item)
    return label(f"alert_mark_{mark}", lang) if mark else ""


def _wide(alert: Alert) -> bool:
    """Whether the table needs the unit and leader columns (the leader's message and the digest)."""
    return alert.recipient.kind != "unit"


def table_rows(alert: Alert, lang: Lang, as_of: date) -> list[list[str]]:
    """The cells of the items table, one list per item, in the header's order."""
    rows = []
    for item in alert.items:
        row = [
            label(item.level, lang),
            header_text(item.project.name),
            header_text(item.milestone.name),
            item.due.isoformat(),
            situation(item, lang, as_of),
            _forecast(item, as_of),
        ]
        if _wide(alert):
            row += [header_text(item.owner.name), header_text(item.leader.name)]
        row.append(_mark(alert, item, lang))
        rows.append(row)
    return rows


def table_header(alert: Alert, lang: Lang) -> list[str]:
    keys = ["col_level", "col_project", "col_milestone", "col_due", "col_state", "col_forecast"]
    if _wide(alert):
        keys += ["col_unit", "col_leader"]
    keys.append("alert_col_change")
    return [label(k, lang) for k in keys]


def _unreachable_lines(alert: Alert, lang: Lang) -> list[str]:
    lines = []
    for entry in alert.unreachable:
        who = recipient_name(entry.recipient, lang, "")
        kind = label(f"alert_kind_{entry.recipient.kind}", lang)
        lines.append(label("alert_unreachable_entry", lang, name=who, kind=kind, n=entry.count))
    return lines


def _summary(alert: Alert, lang: Lang) -> str:
    counts = count_levels(alert.items)
    sep = "　" if lang == "zh" else "    "
    return sep.join(label("summary_line", lang, label=label(lv, lang), n=counts[lv]) for lv in LEVELS[:3])


def plain_body(alert: Alert, lang: Lang, title: str, as_of: date) -> str:
    """The text part: one short block per item (tables of CJK text do not align in plain text)."""
    colon = "：" if lang == "zh" else ": "
    header = table_header(alert, lang)
    lines = [_greeting(alert, lang, title), "", _intro(alert, lang, as_of), ""]
    for n, row in enumerate(table_rows(alert, lang, as_of), start=1):
        level, project, milestone, due, state, forecast, *rest = row
        mark = rest[-1]
        heading = f"{n}. [{level}] {project} · {milestone}"
        lines.append(heading + (f"  ★{mark}" if mark else ""))
        details = [f"{header[3]}{colon}{due}", f"{header[4]}{colon}{state}"]
        if forecast:
            details.append(f"{header[5]}{colon}{forecast}")
        lines.append("   " + ("，" if lang == "zh" else "; ").join(details))
        if _wide(alert):
            lines.append(f"   {header[6]}{colon}{rest[0]}{'，' if lang == 'zh' else '; '}{header[7]}{colon}{rest[1]}")
    lines += ["", _summary(alert, lang)]
    unreachable = _unreachable_lines(alert, lang)
    if unreachable:
        lines += ["", label("alert_unreachable_title", lang)]
        lines += [f"- {line}" for line in unreachable]
    lines += ["", "-- ", label("alert_footer", lang, title=header_text(title), as_of=as_of)]
    return "\n".join(lines) + "\n"


def html_body(alert: Alert, lang: Lang, title: str, as_of: date) -> str:
    """The HTML part: the same content as a table; every piece of text escaped."""
    e = html.escape
    cell = "border:1px solid #bbb;padding:4px 8px;text-align:left;vertical-align:top"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        f"<title>{e(subject_of(alert, lang, title, as_of))}</title></head>",
        '<body style="font-family:sans-serif;font-size:14px;color:#222">',
        f"<p>{e(_greeting(alert, lang, title))}</p>",
        f"<p>{e(_intro(alert, lang, as_of))}</p>",
        '<table style="border-collapse:collapse">',
        "<thead><tr>" + "".join(f'<th style="{cell};background:#eee">{e(h)}</th>' for h in table_header(alert, lang)),
        "</tr></thead><tbody>",
    ]
    for item, row in zip(alert.items, table_rows(alert, lang, as_of), strict=True):
        colour = LEVEL_COLOURS[item.level]
        cells = [f'<td style="{cell};color:{colour};font-weight:bold">{e(row[0])}</td>']
        cells += [f'<td style="{cell}">{e(value)}</td>' for value in row[1:-1]]
        mark = row[-1]
        cells.append(f'<td style="{cell};font-weight:bold">{"★" + e(mark) if mark else ""}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody></table>", f"<p>{e(_summary(alert, lang))}</p>"]
    unreachable = _unreachable_lines(alert, lang)
    if unreachable:
        out.append(f"<p><strong>{e(label('alert_unreachable_title', lang))}</strong></p><ul>")
        out += [f"<li>{e(line)}</li>" for line in unreachable]
        out.append("</ul>")
    footer = label("alert_footer", lang, title=header_text(title), as_of=as_of)
    out += [f'<p style="color:#777;font-size:12px">{e(footer)}</p>', "</body></html>"]
    return "\n".join(out) + "\n"
