"""Chat posts for the group robots of WeCom (企业微信), DingTalk (钉钉) and Feishu (飞书): pure.

One post per group per run, with a section per recipient (30 units in one 调度群 read one
post, not 30). Each item is one line: level, project, milestone or problem, due date, days
overdue or working days left, the forecast where it slips; ★ marks a new or risen one. A post
over the platform's size is split at item boundaries into numbered parts (1/3, 2/3, …); an
item is never cut. Text from the file is stripped of control characters and its markdown
characters are replaced by their full-width forms, so a name can inject no link, mention or
formatting. The payloads built here are unsigned: signing belongs to the transport, at the
moment of sending (a signature expires), so the outbox never holds one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

from sanshi_cli.i18n import Lang, label
from sanshi_cli.status import Category, Item, category, category_name, count_categories

if TYPE_CHECKING:
    from sanshi_cli.alert_policy import Alert
    from sanshi_cli.model import Person

Platform = Literal["wecom", "dingtalk", "feishu"]

# What a platform takes, in UTF-8 bytes: WeCom's markdown content and text content, Feishu's
# whole request body, DingTalk's own limit not being published (a conservative default).
WECOM_MARKDOWN_BYTES = 4096
WECOM_TEXT_BYTES = 2048
FEISHU_BODY_BYTES = 20 * 1024
DINGTALK_DEFAULT_BYTES = 4000
_SIGNATURE_ROOM = 200  # Feishu: the timestamp and sign the transport adds to the body

# Markdown and mention characters, each replaced by its full-width form: no link ([x](y)), no
# emphasis (*, _, ~), no code (`), no heading (#), no quote or tag (<, >), no mention (@), no
# entity (&), no table (|). The same set for the three platforms: each treats some of them.
_FULL_WIDTH = str.maketrans({ch: chr(ord(ch) + 0xFEE0) for ch in "[]()*_`#<>@&|~!\\"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):(?=//)")  # https:// would be made a link


def clean(text: str) -> str:
    """File text made inert for chat markdown: one line, no control or format characters, the
    markdown characters in full width, and no URL scheme that a client would turn into a link."""
    kept = "".join(
        " " if ch in "\n\r\t\u2028\u2029" else ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf")
    )
    kept = " ".join(kept.split())
    return _SCHEME.sub(lambda m: m.group(1) + "：", kept).translate(_FULL_WIDTH)


def sign_dingtalk(secret: str, timestamp_ms: int) -> dict[str, str]:
    """DingTalk's ``timestamp`` (ms) and ``sign``: HMAC-SHA256(key=secret, msg=timestamp\\nsecret),
    base64, URL-encoded once: the query string is written as it is (never through ``params=``,
    which would encode it again)."""
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()
    return {"timestamp": str(timestamp_ms), "sign": quote(base64.b64encode(digest).decode("ascii"), safe="")}


def sign_feishu(secret: str, timestamp_s: int) -> dict[str, str]:
    """Feishu's ``timestamp`` (seconds) and ``sign``: HMAC-SHA256 keyed with timestamp\\nsecret
    over an empty message, base64; both go in the JSON body."""
    key = f"{timestamp_s}\n{secret}".encode()
    digest = hmac.new(key, b"", hashlib.sha256).digest()
    return {"timestamp": str(timestamp_s), "sign": base64.b64encode(digest).decode("ascii")}


@dataclass(frozen=True, slots=True)
class Mention:
    """Someone a post @-mentions: their name, and the handle the platform mentions by."""

    name: str
    handle: str  # a mobile number (WeCom, DingTalk) or a Feishu open_id


@dataclass(slots=True)
class Post:
    """One group's post of a run: its sections (alerts) and its parts, the unsigned payloads in order."""

    channel: str
    platform: Platform
    alerts: list[Alert]
    parts: list[dict[str, Any]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # each part's text, as the group reads it
    mentions: list[Mention] = field(default_factory=list)
    # each section as a post of its own (by recipient key): what waits in that recipient's outbox file
    alone: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def waiting(self, alert: Alert, as_of: date) -> dict[str, Any]:
        """The outbox document of one section: the unsigned payloads, never the URL or a signature."""
        return {
            "channel": self.channel,
            "kind": self.platform,
            "recipient": alert.recipient.key,
            "as_of": as_of.isoformat(),
            "payloads": self.alone.get(alert.recipient.key, self.parts),
        }

    @property
    def size(self) -> int:
        return sum(len(json.dumps(p, ensure_ascii=False).encode("utf-8")) for p in self.parts)


def mentions_of(alerts: Sequence[Alert], people: dict[str, Person], platform: Platform) -> list[Mention]:
    """The leader of a leader's section, and the leader of every problem at escalation 2 or more,
    when the file gives the handle this platform mentions by (a mobile, or Feishu's open_id)."""
    chosen: list[Person] = []
    for alert in alerts:
        if alert.recipient.kind == "leader" and alert.recipient.id in people:
            chosen.append(people[alert.recipient.id])
        for item in alert.items:
            if item.problem is not None and item.problem.escalation >= 2:
                chosen.append(item.leader)
    found: dict[str, Mention] = {}
    for person in chosen:
        handle = person.feishu_open_id if platform == "feishu" else person.mobile
        if handle:
            handle = handle.replace(" ", "").replace("-", "")
            found.setdefault(handle, Mention(clean(person.name), handle))
    return list(found.values())


_LEVEL_COLOURS = {"wecom": {"red": "warning", "yellow": "comment", "blue": "info"}}
_FEISHU_TEMPLATES = {"red": "red", "yellow": "orange"}


def item_line(alert: Alert, item: Item, lang: Lang, as_of: date) -> str:
    """One item on one line: level, project, what, due date, situation, forecast; ★ when new or risen."""
    from sanshi_cli.rendering import item_name, situation, slipped_forecast

    parts = [clean(item.project.name)]
    if item.problem is not None:
        parts.append(clean(item.problem.id))
    parts.append(clean(item_name(item, lang)))
    if item.due is not None:
        key = "alert_problem_due" if item.problem is not None else "col_due"
        parts.append(f"{label(key, lang)} {item.due.isoformat()}")
    parts.append(clean(situation(item, lang, as_of)))
    slipped = slipped_forecast(item, as_of)
    if slipped is not None:
        parts.append(f"{label('col_forecast', lang)} {slipped.isoformat()}")
    if alert.recipient.kind != "unit":
        parts.append(clean(item.owner.name))
    mark = "★ " if alert.chat_mark(item) else ""
    return f"- {mark}" + " · ".join(parts)


def _level_word(name: Category, lang: Lang, platform: Platform) -> str:
    word = f"【{category_name(name, lang)}】" if lang == "zh" else f"[{category_name(name, lang)}]"
    colour = _LEVEL_COLOURS.get(platform, {}).get(name.split("_")[0] if name != "at_risk" else "yellow")
    return f'<font color="{colour}">{word}</font>' if colour else f"**{word}**"


def section_lines(alert: Alert, lang: Lang, title: str, as_of: date, platform: Platform) -> list[list[str]]:
    """A recipient's section: its heading, then each level's heading with its items, red first.

    Returned as units that stay together: the section heading and each level heading with the
    item that follows it, then every other item alone.
    """
    from sanshi_cli.mailing import level_counts, recipient_name

    name = clean(recipient_name(alert.recipient, lang, title))
    heading = "**" + label("chat_header", lang, name=name, counts=level_counts(alert.items, lang), as_of=as_of) + "**"
    by_level: dict[Category, list[Item]] = {}
    for item in alert.items:
        by_level.setdefault(category(item), []).append(item)
    units: list[list[str]] = []
    pending = ["", heading]
    for level in count_categories(alert.items):
        group = by_level.get(level, [])
        if not group:
            continue
        pending.append(_level_word(level, lang, platform))
        for item in group:
            units.append([*pending, item_line(alert, item, lang, as_of)])
            pending = []
    return units


def worst_template(alerts: Sequence[Alert]) -> str:
    """Feishu's header colour: red, orange (yellow), else blue."""
    levels = {i.level for a in alerts for i in a.items}
    return next((_FEISHU_TEMPLATES[lv] for lv in ("red", "yellow") if lv in levels), "blue")


def build_post(
    channel: str,
    platform: Platform,
    alerts: Sequence[Alert],
    *,
    lang: Lang,
    title: str,
    as_of: date,
    people: dict[str, Person],
    keyword: str | None = None,
    max_bytes: int | None = None,
) -> Post:
    """The post for one group: a header, a section per alert, split into numbered parts when too big."""
    post = Post(channel, platform, list(alerts))
    post.mentions = mentions_of(alerts, people, platform)
    head = label("chat_title", lang, title=clean(title))
    if keyword and keyword not in head:
        head = f"{head} {clean(keyword)}"
    marked = any(a.chat_marks for a in alerts)
    units: list[list[str]] = []
    for alert in alerts:
        units += section_lines(alert, lang, title, as_of, platform)
    note = label("chat_marks_note", lang) if marked else ""
    tail = _mention_text(post.mentions, platform, lang)
    limit = _text_limit(platform, max_bytes)
    # DingTalk breaks a line only where it ends in two spaces (a markdown hard break)
    sep = "  \n" if platform == "dingtalk" else "\n"
    chunks = _pack(units, head, note, tail, limit, sep)
    total = len(chunks)
    for n, lines in enumerate(chunks, start=1):
        numbered = head + (label("chat_part", lang, n=n, total=total) if total > 1 else "")
        body = [numbered if platform == "feishu" else f"### {numbered}", *lines]
        if n == total:
            body += [x for x in ("", note) if note] + ([tail] if tail and platform != "wecom" else [])
        text = sep.join(body if platform != "feishu" else body[1:]).strip()
        post.texts.append(text)
        post.parts.append(_payload(platform, numbered, text, post, alerts, last=n == total))
    if platform == "wecom" and post.mentions:
        # WeCom mentions by mobile only in a text message: a short one after the markdown
        content = label("chat_mention", lang) + "、".join(m.name for m in post.mentions)
        content = content.encode("utf-8")[:WECOM_TEXT_BYTES].decode("utf-8", "ignore")
        post.texts.append(content)
        post.parts.append(
            {
                "msgtype": "text",
                "text": {"content": content, "mentioned_mobile_list": [m.handle for m in post.mentions]},
            }
        )
    if len(alerts) > 1:
        for alert in alerts:
            section = build_post(
                channel,
                platform,
                [alert],
                lang=lang,
                title=title,
                as_of=as_of,
                people=people,
                keyword=keyword,
                max_bytes=max_bytes,
            )
            post.alone[alert.recipient.key] = section.parts
    return post


def digest_post(
    channel: str,
    platform: Platform,
    head: str,
    lines: Sequence[str],
    *,
    lang: Lang,
    keyword: str | None = None,
    max_bytes: int | None = None,
) -> Post:
    """A post of lines already made safe (the bulletin's digest: ``chat_digest(..., escape=clean)``),
    under ``head``; split into numbered parts at line boundaries when too big, as an alert's post."""
    post = Post(channel, platform, [])
    if keyword and keyword not in head:
        head = f"{head} {clean(keyword)}"
    sep = "  \n" if platform == "dingtalk" else "\n"
    chunks = _pack([[line] for line in lines], head, "", "", _text_limit(platform, max_bytes), sep)
    total = len(chunks)
    for n, chunk in enumerate(chunks, start=1):
        numbered = head + (label("chat_part", lang, n=n, total=total) if total > 1 else "")
        body = [numbered if platform == "feishu" else f"### {numbered}", *chunk]
        text = sep.join(body if platform != "feishu" else body[1:]).strip()
        post.texts.append(text)
        post.parts.append(_payload(platform, numbered, text, post, [], last=n == total))
    return post


def _mention_text(mentions: Sequence[Mention], platform: Platform, lang: Lang) -> str:
    if not mentions or platform == "wecom":
        return ""
    if platform == "dingtalk":
        return label("chat_mention", lang) + " ".join(f"@{m.handle}" for m in mentions)
    return label("chat_mention", lang) + " ".join(f"<at id={m.handle}></at>" for m in mentions)


def _text_limit(platform: Platform, max_bytes: int | None) -> int:
    if platform == "wecom":
        return min(max_bytes or WECOM_MARKDOWN_BYTES, WECOM_MARKDOWN_BYTES)
    if platform == "feishu":
        # the card's JSON around the text, the header and the signature take their share of the body
        return min(max_bytes or FEISHU_BODY_BYTES, FEISHU_BODY_BYTES) - 1024 - _SIGNATURE_ROOM
    return max_bytes or DINGTALK_DEFAULT_BYTES


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _pack(units: list[list[str]], head: str, note: str, tail: str, limit: int, sep: str) -> list[list[str]]:
    """Units of lines into parts whose text stays within ``limit`` bytes, never splitting a unit.

    Room is kept in every part for the header with its part number, and the note and mentions
    the last part carries. A unit larger than a part on its own is cut at the end of its last
    line (the only cut that can be made), marked with "…".
    """
    reserve = _size(f"### {head}（99/99）{sep}") + _size(f"{sep}{sep}{note}{sep}{tail}") + 8
    room = max(limit - reserve, 64)
    parts: list[list[str]] = [[]]
    used = 0
    for unit in units:
        size = _size(sep.join(unit)) + len(sep)
        if size > room:
            unit = [*unit[:-1], _cut(unit[-1], room - (size - _size(unit[-1])))]
            size = _size(sep.join(unit)) + len(sep)
        if parts[-1] and used + size > room:
            parts.append([])
            used = 0
            if unit and unit[0] == "":
                unit = unit[1:]
        parts[-1] += unit
        used += size
    return parts


def _cut(line: str, room: int) -> str:
    data = line.encode("utf-8")[: max(room - 4, 16)]
    return data.decode("utf-8", "ignore") + "…"


def _payload(
    platform: Platform, head: str, text: str, post: Post, alerts: Sequence[Alert], last: bool
) -> dict[str, Any]:
    if platform == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": text}}
    if platform == "dingtalk":
        payload: dict[str, Any] = {"msgtype": "markdown", "markdown": {"title": head, "text": text}}
        if last and post.mentions:
            payload["at"] = {"atMobiles": [m.handle for m in post.mentions], "isAtAll": False}
        return payload
    return {
        "msg_type": "interactive",
        "card": {
            "config": {"wide_screen_mode": True},
            "header": {"title": {"tag": "plain_text", "content": head}, "template": worst_template(alerts)},
            "elements": [{"tag": "div", "text": {"tag": "lark_md", "content": text}}],
        },
    }
