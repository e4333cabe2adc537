"""The bulletin by e-mail: who gets it, and the message each one gets.

The monthly bulletin (月通报) or weekly dispatch (周调度) goes to the PMO (``[alerts] pmo``), every
lead official of a project and every responsible unit, each at every address the file gives
them. Each message carries the bulletin as mail-safe HTML (no SVG or script, which mail clients
drop) with the Markdown as its plain-text part, and the full HTML (with the charts) and the
workbook as attachments. It is one message per recipient and period: its ``Message-ID`` is
derived from the recipient, the addresses and the period, so that a retry is the same message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import TYPE_CHECKING

from sanshi_cli.i18n import Lang, label
from sanshi_cli.mailing import header_text

if TYPE_CHECKING:
    from sanshi_cli.alert_store import State
    from sanshi_cli.alerting import Recipient, Sender
    from sanshi_cli.bulletin import Period
    from sanshi_cli.loading import Loaded


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file attached to every copy: its name, its bytes and its MIME type."""

    filename: str
    data: bytes
    maintype: str
    subtype: str


def bulletin_recipients(loaded: Loaded) -> list[Recipient]:
    """The PMO, then every lead official, then every responsible unit, in file order; without addresses too.

    A recipient without an address is kept (the run lists it as unreachable); the PMO only when
    ``[alerts] pmo`` lists an address.
    """
    from sanshi_cli.alerting import Recipient

    portfolio = loaded.portfolio
    leaders = {p.leader for p in portfolio.projects}
    units = {p.responsible_unit for p in portfolio.projects}
    chosen: list[Recipient] = []
    if portfolio.alerts.pmo:
        chosen.append(Recipient("pmo", "pmo", "", tuple(portfolio.alerts.pmo)))
    chosen += [Recipient("leader", p.id, p.name, tuple(p.email)) for p in portfolio.people if p.id in leaders]
    chosen += [Recipient("unit", u.id, u.name, tuple(u.email)) for u in portfolio.units if u.id in units]
    return chosen


def reader_name(recipient: Recipient, lang: Lang) -> str:
    """How a copy names its reader: the unit's or official's name; the PMO as 指挥部办公室."""
    if recipient.kind == "pmo":
        return label("bulletin_pmo_name", lang)
    return header_text(recipient.name) or recipient.id


def state_key(period: Period) -> str:
    """The state file's record of a bulletin sent: ``bulletin:2026-11`` or ``bulletin:2026-W48``."""
    return f"bulletin:{period.label}"


def outbox_stem(period: Period, recipient: Recipient) -> str:
    """``bulletin-2026-11-unit-jsj``: never the name of an alert's outbox file (those start with the recipient)."""
    from sanshi_cli.alerting import file_stem

    return f"bulletin-{period.label}-{file_stem(recipient)}"


def subject_of(period: Period, lang: Lang, title: str) -> str:
    """``【月通报】三十工程 2026-11`` or ``【周调度】三十工程 2026-W48``."""
    return header_text(label(f"bulletin_subject_{period.cadence}", lang, title=title, period=period.label))


def message_id(recipient: Recipient, addresses: Sequence[str], period: Period, sender: Sender) -> str:
    """``<sanshi.bulletin.HASH@domain>`` from the recipient, the addresses and the period."""
    from sanshi_cli.alerting import digest_of

    domain = sender.address.rpartition("@")[2]
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        domain = "sanshi.invalid"
    identity = ["bulletin", recipient.key, sorted(addresses), period.label]
    return f"<sanshi.bulletin.{digest_of(identity)[:32]}@{domain}>"


def build_message(
    recipient: Recipient,
    addresses: Sequence[str],
    *,
    period: Period,
    sender: Sender,
    lang: Lang,
    title: str,
    text: str,
    html: str,
    attachments: Sequence[Attachment],
    now: datetime,
) -> EmailMessage:
    """The message to ``recipient`` at ``addresses``: text, the mail-safe HTML alternative, the attachments."""
    message = EmailMessage(policy=policy.SMTP)
    name = reader_name(recipient, lang)
    message["Subject"] = subject_of(period, lang, title)
    message["From"] = Address(display_name=header_text(sender.name), addr_spec=sender.address)
    message["To"] = [Address(display_name=header_text(name), addr_spec=a) for a in addresses]
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(recipient, addresses, period, sender)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message.set_content(text, charset="utf-8", cte="base64")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="base64")
    for item in attachments:
        message.add_attachment(item.data, maintype=item.maintype, subtype=item.subtype, filename=item.filename)
    for part in message.walk():
        if part is not message:
            del part["MIME-Version"]
    message["Content-Language"] = "zh-CN" if lang == "zh" else "en"
    return message


@dataclass(slots=True)
class Mailing:
    """Who a run would send the bulletin to, who already has it, and who has no address."""

    due: list[tuple[Recipient, tuple[str, ...]]]  # each recipient with the addresses not yet sent this period
    sent: list[Recipient]  # every address already has this period's bulletin (``--force`` sends again)
    unreachable: list[Recipient]


def plan_mailing(recipients: Sequence[Recipient], period: Period, state: State, *, force: bool = False) -> Mailing:
    """The addresses still owed this period's bulletin, given what ``state`` says was sent."""
    key = (state_key(period), "", "")
    mailing = Mailing([], [], [])
    for recipient in recipients:
        if not recipient.addresses:
            mailing.unreachable.append(recipient)
            continue
        owed = tuple(a for a in recipient.addresses if force or state.told_of(recipient.key, a, key) is None)
        if owed:
            mailing.due.append((recipient, owed))
        else:
            mailing.sent.append(recipient)
    return mailing
