"""The alert e-mail: subject, plain text and HTML (one block per item), and the headers that make it behave.

Built with the standard library's :class:`~email.message.EmailMessage` under ``policy.SMTP``:
Chinese names and subjects become RFC 2047 encoded words, both bodies are base64 (7-bit clean),
``Date`` is in the file's timezone and ``Message-ID`` is derived from what the alert says, so a
retry of the same alert carries the same id. Text from the project file never reaches a header
with a line break or control character in it; in both bodies a control or bidi character is shown
as its escape (``i18n.visible``), and the HTML part escapes all of it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from string import Formatter
from typing import TYPE_CHECKING, Literal

from sanshi_cli.i18n import LABELS, Lang, label, visible
from sanshi_cli.rendering import item_name, situation, slipped_forecast
from sanshi_cli.status import Item, category, category_name, count_categories

if TYPE_CHECKING:
    from sanshi_cli.alerting import Alert, Recipient, Sender

# How the message sorts and names items: by level, except that a yellow item which is not overdue
# but whose forecast slips past its due date is "at risk" (延误风险), never counted as 黄灯.
COLOURS: dict[str, str] = {
    "red": "#c62828",
    "yellow": "#b26a00",
    "at_risk": "#b26a00",
    "blue": "#1565c0",
    "green": "#2e7d32",
}
NOWRAP = "white-space:nowrap"
NBSP = "\u00a0"


def header_text(text: str) -> str:
    """One line of text safe in a header or a line of the body: line breaks become spaces, and
    other control or bidi characters their visible escape (``\\x1b``, ``\\u202e``), as in every view."""
    return " ".join(visible(text, newlines=True).split())


def tight(text: str) -> str:
    """A phrase that must not wrap (``逾期 17 天``, ``due soon``): its spaces made no-break."""
    return text.replace(" ", NBSP)


def plural(key: str, n: int, lang: Lang, **params: object) -> str:
    """``label`` with the singular form ``key_1`` when ``n`` is 1 and the language has one."""
    chosen = f"{key}_1" if n == 1 and f"{key}_1" in LABELS else key
    return label(chosen, lang, n=n, **params)


def quote_title(title: str, lang: Lang) -> str:
    """The register's title in quotes that do not clash with quotes inside it.

    ``《高新区“三十工程”重点项目》`` in Chinese; in English “…”, or ‘…’ around a title that holds
    double quotes, or no quotes when it holds both kinds.
    """
    pairs = [("《", "》"), ("「", "」")] if lang == "zh" else [("“", "”"), ("‘", "’")]
    clashes = {"“": '“”"', "‘": "‘’'", "《": "《》", "「": "「」"}
    for left, right in pairs:
        if not any(ch in title for ch in clashes[left]):
            return f"{left}{title}{right}"
    return title


def recipient_name(recipient: Recipient, lang: Lang, title: str) -> str:
    """How the message names its recipient: the unit's or person's name, or the digest's title."""
    if recipient.kind == "pmo":
        return label("alert_digest_name", lang, title=header_text(title))
    return header_text(recipient.name) or recipient.id


def level_counts(items: Sequence[Item], lang: Lang) -> str:
    """``2项红灯、1项延误风险`` / ``2 red, 1 at risk``: the categories present, most severe first."""
    counts = count_categories(items)
    parts = [label("alert_count", lang, n=n, label=category_name(kind, lang)) for kind, n in counts.items() if n]
    return ("、" if lang == "zh" else ", ").join(parts)


Heading = Literal["supervised", "late", "lag", "risk", "missing", "problems", "soon"]
# The subject names the most serious content:
#   问题督办 > 逾期预警 > 进度滞后 > 延误风险 > 未按时填报 > 问题清单 > 到期提醒.
# 督办 (a problem at escalation 3) tops it: the district's leadership now follows it, which is
# more than any overdue milestone. A problem overdue at escalation 1 or 2 is simply overdue
# (逾期预警, as a milestone). What is left of the 问题清单 (a problem due soon, or solved and
# awaiting verification) is blue: it ranks below every yellow or red heading, and above 到期提醒
# because "a problem on the list" says more than "something falls due".
_HEADINGS: tuple[tuple[Heading, frozenset[str]], ...] = (
    ("late", frozenset({"overdue"})),
    ("lag", frozenset({"progress_lag", "invest_lag"})),
    ("risk", frozenset({"at_risk"})),
    ("missing", frozenset({"report_missing"})),
)


def heading(items: Sequence[Item]) -> Heading:
    """Which subject the message gets: 问题督办 if a problem is at escalation 3, else 逾期预警 if
    a milestone or problem is overdue, else 进度滞后 if a project is behind on progress or
    investment, else 延误风险 if a milestone is at risk, else 未按时填报 if a report is overdue,
    else 问题清单 if a problem is listed, else 到期提醒 (never "due soon" over a yellow count)."""
    from sanshi_cli.alerting import supervised

    if any(supervised(i) for i in items):
        return "supervised"
    states = {i.state for i in items}
    found = next((name for name, found in _HEADINGS if states & found), None)
    if found is not None:
        return found
    return "problems" if any(i.kind == "problem" for i in items) else "soon"


def subject_of(alert: Alert, lang: Lang, title: str, as_of: date) -> str:
    """``【逾期预警】高新区建设局：2项红灯、1项黄灯（截至2026-04-28）``, ``【延误风险】…`` or ``【到期提醒】…``."""
    key = f"alert_subject_{heading(alert.items)}"
    name = recipient_name(alert.recipient, lang, title)
    return header_text(label(key, lang, name=name, counts=level_counts(alert.items, lang), as_of=as_of))


def message_id(alert: Alert, as_of: date, sender: Sender) -> str:
    """``<sanshi.HASH@domain>`` from the recipient, the addresses, the day and the items' levels."""
    from sanshi_cli.alerting import digest_of, escalation_of, item_key

    identity = [
        alert.recipient.key,
        sorted(alert.addresses),
        as_of.isoformat(),
        # a problem's escalation too: the message that tells of level 3 is not the level-2 one
        sorted([*item_key(i), i.level, *([escalation_of(i)] if i.problem is not None else [])] for i in alert.items),
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
#
# Both bodies show one block per item, three short lines, so that a phone (390 px) reads an item
# at a glance and a desk (1,100 px) sees a list rather than a nine-column table whose cells wrap:
#
#     [level] project  ★mark
#     milestone · due date · state (· forecast)
#     responsible unit · leader            (in the leader's message and the digest)
#
# Mail clients strip <style> blocks and media queries, so the HTML uses inline styles only, and
# every date, level and number with its unit sits in a span that cannot wrap. The plain text
# joins the words of such phrases with no-break spaces.
#
# A message with problems of the 问题清单 at 督办 (escalation 3) or awaiting verification (待销号)
# is split into headed sections: 督办 first, the other items, 待销号 last (see :func:`sections`).
# A problem's second line reads: id · 问题：text · 解决时限 date · days overdue and escalation.


def _shows_people(alert: Alert) -> bool:
    """Whether items carry their unit and leader (the leader's message and the digest)."""
    return alert.recipient.kind != "unit"


def _forecast(item: Item, as_of: date) -> str:
    """The forecast where it says something: a slip beyond the plan (as in ``sanshi status``)."""
    slipped = slipped_forecast(item, as_of)
    return slipped.isoformat() if slipped is not None else ""


def _mark(alert: Alert, item: Item, lang: Lang) -> str:
    mark = alert.mark(item)
    return "★" + label(f"alert_mark_{mark}", lang) if mark else ""


# A piece of a line: its text, whether it must stay whole, and whether it continues the piece
# before it (joined by a space, or by nothing after a full-width comma) rather than after " · ".
Piece = tuple[str, bool, bool]
# The phrases of a situation that are not a milestone's: each stays whole, the line may break between.
_PHRASES = {"zh": re.compile(r"（[^）]*），?|[^，（]+，?"), "en": re.compile(r"\([^)]*\),?|[^,(]+,?")}


def _phrases(text: str, lang: Lang) -> list[Piece]:
    """``计划 45.0%，`` ``填报 30.0%`` ``（11-20），`` ``滞后 15.0 个百分点``: glued pieces, each whole."""
    found = [p.strip() for p in _PHRASES[lang].findall(text) if p.strip()]
    return [(phrase, True, n > 0) for n, phrase in enumerate(found)]


def glued(pieces: Sequence[Piece], sep: str, render: Callable[[str, bool], str]) -> str:
    """A line: the pieces rendered, separated by ``sep``, or by a space (none after a full-width
    comma or before a full-width bracket) where a piece continues the one before."""
    out = ""
    for n, (text, keep, glue) in enumerate(pieces):
        if n:
            tight_join = pieces[n - 1][0].endswith("，") or text.startswith("（")
            out += sep if not glue else "" if tight_join else " "
        out += render(text, keep)
    return out


# A line of the text part longer than this (in terminal cells) breaks between its pieces.
PLAIN_WIDTH = 78


def folded(pieces: Sequence[Piece], sep: str, indent: str, render: Callable[[str, bool], str]) -> list[str]:
    """The pieces glued into lines of at most :data:`PLAIN_WIDTH` cells after ``indent``, broken
    only between pieces (a piece longer than that stands alone): ``投资进度滞后 · 投资完成率 35.0%，``
    then ``48.3 个百分点`` under it."""
    from sanshi_cli.layout import width_of

    groups: list[list[Piece]] = [[]]
    for piece in pieces:
        if groups[-1] and width_of(indent + glued([*groups[-1], piece], sep, render)) > PLAIN_WIDTH:
            groups.append([])
        groups[-1].append(piece)
    return [indent + glued(group, sep, render) for group in groups]


def item_lines(alert: Alert, item: Item, lang: Lang, as_of: date) -> list[list[Piece]]:
    """An item's block as lines of pieces (see :data:`Piece`).

    The pieces that must stay whole (dates, levels, numbers with their unit) never wrap. An item
    that is not a milestone reads ``形象进度滞后 · 计划 45.0%，填报 30.0%（2026-11-20），滞后 15.0
    个百分点`` on its second line.
    """
    colon = "：" if lang == "zh" else ": "
    first: list[Piece] = [
        (f"[{category_name(category(item), lang)}]", True, False),
        (header_text(item.project.name), False, False),
    ]
    mark = _mark(alert, item, lang)
    if mark:
        first.append((mark, True, False))
    # a milestone's name may wrap; what an item of another kind is (形象进度滞后) stays whole;
    # a problem reads "P-2026-031 · 问题：施工用电接入滞后 · 解决时限 2026-11-20 · 逾期 9 天，2 级督办"
    second: list[Piece] = []
    if item.problem is not None:
        second.append((header_text(item.problem.id), True, False))
    second.append((header_text(item_name(item, lang)), item.milestone is None and item.problem is None, False))
    if item.due is not None:
        due_label = label("alert_problem_due" if item.problem is not None else "col_due", lang)
        second += [
            (f"{due_label} {item.due.isoformat()}", True, False),
            (situation(item, lang, as_of), True, False),
        ]
    else:
        second += _phrases(situation(item, lang, as_of), lang)
    forecast = _forecast(item, as_of)
    if forecast:
        second.append((f"{label('col_forecast', lang)} {forecast}", True, False))
    lines = [first, second]
    if _shows_people(alert):
        leader = header_text(item.leader.name)
        lines.append(
            [
                (f"{label('col_unit', lang)}{colon}{header_text(item.owner.name)}", False, False),
                # a person's name is short: kept whole (a long one may wrap rather than overflow a phone)
                (f"{label('col_leader', lang)}{colon}{leader}", len(leader) <= 12, False),
            ]
        )
    return lines


def _greeting(alert: Alert, lang: Lang, title: str) -> str:
    if alert.recipient.kind == "pmo":
        return label("alert_greeting_pmo", lang)
    return label("alert_greeting", lang, name=recipient_name(alert.recipient, lang, title))


def _mixed(alert: Alert) -> bool:
    """Whether the message lists anything that is not a milestone (then its words say "items")."""
    return any(i.kind != "milestone" for i in alert.items)


def _has_problems(alert: Alert) -> bool:
    return any(i.kind == "problem" for i in alert.items)


Section = Literal["supervised", "items", "awaiting"]


def sections(items: Sequence[Item]) -> list[tuple[Section, list[Item]]]:
    """The message's items in their sections, each keeping the items' order: 督办 (problems at
    escalation 3) first, then the rest, then 待销号 (problems awaiting verification, the PMO's);
    empty sections left out. A message of ordinary items is one section without a heading."""
    from sanshi_cli.alerting import awaiting_verification, supervised

    groups: dict[Section, list[Item]] = {"supervised": [], "items": [], "awaiting": []}
    for item in items:
        name: Section = "supervised" if supervised(item) else "awaiting" if awaiting_verification(item) else "items"
        groups[name].append(item)
    return [(name, group) for name, group in groups.items() if group]


def _section_title(name: Section, group: Sequence[Item], lang: Lang, shown: bool) -> str | None:
    """A section's heading with its count (``督办问题（1 项）``); None where none is shown."""
    if not shown:
        return None
    return label(f"alert_section_{name}", lang, count=plural("n_items", len(group), lang))


def _sections_shown(parts: Sequence[tuple[Section, list[Item]]]) -> bool:
    """Headings appear once a message has more than the ordinary items."""
    return any(name != "items" for name, _ in parts)


def _intro_params(alert: Alert, lang: Lang, as_of: date) -> tuple[str, dict[str, str]]:
    mixed = _mixed(alert)
    key = f"alert_intro_{alert.recipient.kind}" + ("_problems" if _has_problems(alert) else "_mixed" if mixed else "")
    n = len(alert.items)
    if n == 1 and f"{key}_1" in LABELS:
        key += "_1"
    return key, {"as_of": as_of.isoformat(), "count": plural("n_items" if mixed else "n_milestones", n, lang)}


def _marks_note(alert: Alert, lang: Lang) -> str:
    return label("alert_marks_note_mixed" if _mixed(alert) else "alert_marks_note", lang)


def _summary_parts(alert: Alert, lang: Lang) -> list[str]:
    """``红灯：1 项``, ``黄灯：2 项``, ``延误风险：0 项``, ``蓝色提醒：1 项``: every category."""
    counts = count_categories(alert.items)
    return [label("summary_line", lang, label=category_name(kind, lang), n=n) for kind, n in counts.items()]


def _unreachable_entries(alert: Alert, lang: Lang) -> list[dict[str, str]]:
    return [
        {
            "name": recipient_name(entry.recipient, lang, ""),
            "kind": label(f"alert_kind_{entry.recipient.kind}", lang),
            "count": plural("n_items" if _mixed(alert) else "n_milestones", entry.count, lang),
        }
        for entry in alert.unreachable
    ]


def _footer_params(lang: Lang, title: str, as_of: date) -> dict[str, str]:
    return {"title": quote_title(header_text(title), lang), "as_of": as_of.isoformat()}


def plain_body(alert: Alert, lang: Lang, title: str, as_of: date) -> str:
    """The text part: one short block per item (tables of CJK text do not align in plain text)."""
    sep = " · "
    key, params = _intro_params(alert, lang, as_of)
    intro = label(key, lang, **{k: tight(v) for k, v in params.items()})
    if alert.marks:
        intro += _marks_note(alert, lang)
    lines = [_greeting(alert, lang, title), "", intro, ""]
    parts = sections(alert.items)
    shown = _sections_shown(parts)
    n = 0
    for name, group in parts:
        heading_line = _section_title(name, group, lang, shown)
        if heading_line is not None:
            lines += [f"■ {heading_line}", ""]
        for item in group:
            n += 1
            first, *others = item_lines(alert, item, lang, as_of)
            tag, project, *mark = [tight(t) if keep else t for t, keep, _ in first]
            lines.append(f"{n}. {tag} {project}" + "".join(f"  {m}" for m in mark))
            for pieces in others:
                lines += folded(pieces, sep, " " * len(f"{n}. "), lambda t, keep: tight(t) if keep else t)
            lines.append("")
    lines.append(("　" if lang == "zh" else "    ").join(tight(p) for p in _summary_parts(alert, lang)))
    entries = _unreachable_entries(alert, lang)
    if entries:
        lines += ["", label("alert_unreachable_title", lang)]
        lines += ["- " + label("alert_unreachable_entry", lang, **{**e, "count": tight(e["count"])}) for e in entries]
    footer = label("alert_footer", lang, **_footer_params(lang, title, as_of))
    lines += ["", "-- ", footer]
    return "\n".join(lines) + "\n"


def _keep(text: str, style: str = "") -> str:
    """Escaped text in a span that never wraps."""
    return f'<span style="{NOWRAP}{";" + style if style else ""}">{html.escape(text)}</span>'


def _soft(text: str) -> str:
    """Escaped text that may wrap, but never leaves its last (CJK) character alone on a line."""
    if len(text) <= 2 or any(unicodedata.east_asian_width(ch) not in "WF" for ch in text[-2:]):
        return html.escape(text)  # a Latin word does not break inside anyway
    return html.escape(text[:-2]) + _keep(text[-2:])


def _html_label(key: str, lang: Lang, keep: Sequence[str], **params: str) -> str:
    """A label as HTML: its words escaped, each parameter escaped, those named in ``keep`` unwrappable."""
    out = []
    for literal, field, _spec, _conversion in Formatter().parse(LABELS[key][0 if lang == "zh" else 1]):
        out.append(html.escape(literal))
        if field is not None:
            out.append(_keep(params[field]) if field in keep else html.escape(params[field]))
    return "".join(out)


def _html_item(alert: Alert, item: Item, lang: Lang, as_of: date) -> str:
    """One item's block: a single cell (so a table never has more columns than a phone shows)."""
    colour = COLOURS[category(item)]
    rows = []
    for i, pieces in enumerate(item_lines(alert, item, lang, as_of)):
        if i == 0:
            (tag, _, _), (project, _, _), *rest = pieces
            line = _keep(tag, f"color:{colour};font-weight:bold") + " <strong>" + _soft(project) + "</strong>"
            line += "".join(" " + _keep(text, "color:#6a1b9a;font-weight:bold") for text, _, _ in rest)
        else:
            style = "" if i == 1 else ' style="color:#555"'
            # a line never starts with ·
            line = f"<span{style}>" + glued(pieces, "&nbsp;· ", lambda t, keep: _keep(t) if keep else _soft(t))
            line += "</span>"
        rows.append(line)
    cell = f"border-left:4px solid {colour};background:#f6f7f9;padding:6px 10px;vertical-align:top"
    return f'<tr><td style="{cell}">' + "<br>".join(rows) + "</td></tr>"


_FONT = "font-family:'PingFang SC','Microsoft YaHei','Noto Sans CJK SC','Helvetica Neue',Arial,sans-serif"


def html_body(alert: Alert, lang: Lang, title: str, as_of: date) -> str:
    """The HTML part: the same blocks as the text, inline styles only; every piece of text escaped."""
    e = html.escape
    key, params = _intro_params(alert, lang, as_of)
    intro = _html_label(key, lang, ("as_of", "count"), **params)
    if alert.marks:
        intro += e(_marks_note(alert, lang))
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(subject_of(alert, lang, title, as_of))}</title></head>",
        f'<body style="margin:0;padding:12px;{_FONT};font-size:15px;line-height:1.6;color:#222">',
        '<div style="max-width:680px">',
        f'<p style="margin:0 0 8px">{e(_greeting(alert, lang, title))}</p>',
        f'<p style="margin:0 0 12px">{intro}</p>',
    ]
    parts = sections(alert.items)
    shown = _sections_shown(parts)
    for name, group in parts:
        heading_line = _section_title(name, group, lang, shown)
        if heading_line is not None:
            out.append(f'<p style="margin:12px 0 0;font-weight:bold">{_keep(heading_line)}</p>')  # a count never wraps
        out.append(
            '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"'
            ' style="border-collapse:separate;border-spacing:0 8px">'
        )
        out += [_html_item(alert, item, lang, as_of) for item in group]
        out.append("</table>")
    summary = "&nbsp;· ".join(_keep(part) for part in _summary_parts(alert, lang))
    out.append(f'<p style="margin:4px 0 12px">{summary}</p>')
    entries = _unreachable_entries(alert, lang)
    if entries:
        out.append(f'<p style="margin:0 0 4px"><strong>{e(label("alert_unreachable_title", lang))}</strong></p>')
        out.append('<ul style="margin:0 0 12px;padding-left:20px">')
        out += [f"<li>{_html_label('alert_unreachable_entry', lang, ('kind', 'count'), **x)}</li>" for x in entries]
        out.append("</ul>")
    footer = _html_label("alert_footer", lang, ("as_of",), **_footer_params(lang, title, as_of))
    out += [f'<p style="margin:16px 0 0;color:#777;font-size:12px">{footer}</p>', "</div></body></html>"]
    return "\n".join(out) + "\n"
