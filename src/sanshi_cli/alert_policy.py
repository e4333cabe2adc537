"""Who is told what: the alert policy, pure (status items and the state in, a plan out).

The rule (issue 4): a recipient gets a message when at least one of their open items is new to
them, has risen in level, or has stayed open ``repeat_days`` since they were last told; the
message then lists all their open items. An item is known by its kind, its project and, for a
milestone, the milestone (issue 9): a project behind on progress and on investment is two items.
A problem of the 问题清单 (issue 11) is known by its id, and its escalation (1, 2 or 3) rises like
a level: reaching level 2 or 3 tells everyone who has it again, marked as risen.

The rule holds per address: an e-mail address, or a chat group (issue 14) written
``channel:<name>`` in the state. Nothing here reads a file, the clock or the network.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from sanshi_cli.errors import Msg, Problem, UsageError
from sanshi_cli.i18n import one_line
from sanshi_cli.status import RANK, Item, find_items

if TYPE_CHECKING:
    from sanshi_cli.alert_store import State, Told
    from sanshi_cli.loading import Loaded
    from sanshi_cli.model import Unit

Kind = Literal["unit", "leader", "pmo"]
Mark = Literal["new", "risen"]
Reason = Literal["new", "risen", "repeat"]
# (kind, project id, the milestone's id for a milestone, the problem's id for a problem, else "")
ItemKey = tuple[str, str, str]

# Escalation 3 is 督办: the district's top list, at the top of the digest and of every message.
TOP_ESCALATION = 3
CHANNEL_PREFIX = "channel:"


def channel_address(name: str) -> str:
    """How a chat group is written as an address in the state file: ``channel:pmo-group``."""
    return CHANNEL_PREFIX + name


# -- who gets what --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recipient:
    """A unit, a lead official or the PMO, with the addresses the project file gives them."""

    kind: Kind
    id: str
    name: str
    addresses: tuple[str, ...]
    channels: tuple[str, ...] = ()  # the chat groups (``[channels.<name>]``) that also hear (issue 14)

    @property
    def reachable(self) -> bool:
        return bool(self.addresses or self.channels)

    @property
    def key(self) -> str:
        """The recipient's identity in the state file and in file names: ``unit:jsj``, ``pmo``."""
        return "pmo" if self.kind == "pmo" else f"{self.kind}:{self.id}"


@dataclass(frozen=True, slots=True)
class Unreachable:
    """Someone with open items but no e-mail address: listed in the PMO digest."""

    recipient: Recipient
    count: int


@dataclass(slots=True)
class Alert:
    """One message to send: all of a recipient's open items, the new and risen ones marked."""

    recipient: Recipient
    addresses: tuple[str, ...]  # the recipient's e-mail addresses for which something is due
    items: list[Item]
    marks: dict[ItemKey, Mark] = field(default_factory=dict)
    unreachable: list[Unreachable] = field(default_factory=list)
    channels: tuple[str, ...] = ()  # the chat groups for which something is due
    chat_marks: dict[ItemKey, Mark] = field(default_factory=dict)  # the marks as the groups see them

    def mark(self, item: Item) -> Mark | None:
        return self.marks.get(item_key(item))

    def chat_mark(self, item: Item) -> Mark | None:
        return self.chat_marks.get(item_key(item))


@dataclass(slots=True)
class Plan:
    """What a run would send, and to whom it would not."""

    alerts: list[Alert]
    audience: list[tuple[Recipient, list[Item]]]  # every recipient considered, with their open items
    quiet: list[Recipient]  # reachable, with open items, but nothing due
    unreachable: list[Unreachable]

    @property
    def emails(self) -> list[Alert]:
        """The alerts that go out by e-mail (one message each)."""
        return [a for a in self.alerts if a.addresses]

    def posts(self) -> dict[str, list[Alert]]:
        """The chat groups with something due, each with its sections in plan order: one post per group."""
        by_channel: dict[str, list[Alert]] = {}
        for alert in self.alerts:
            for name in alert.channels:
                by_channel.setdefault(name, []).append(alert)
        return by_channel


def item_key(item: Item) -> ItemKey:
    if item.problem is not None:
        return (item.kind, item.project.id, item.problem.id)
    return (item.kind, item.project.id, item.milestone.id if item.milestone is not None else "")


def escalation_of(item: Item) -> int:
    """A problem's escalation (1, 2 or 3); 1 for every other kind."""
    return item.problem.escalation if item.problem is not None else 1


def supervised(item: Item) -> bool:
    """督办: a problem at the top escalation, which the digest lists first."""
    return escalation_of(item) >= TOP_ESCALATION


def awaiting_verification(item: Item) -> bool:
    """待销号: a problem reported solved and not yet verified; the PMO's to chase, not the unit's."""
    return item.kind == "problem" and item.state == "awaiting_verification"


def tells_leader(item: Item) -> bool:
    """Whether the item's lead official hears of it: a red or yellow item; a problem only once it
    has escalated to level 2 or turned red (a problem a day overdue is still the unit's own)."""
    if item.problem is not None:
        return not awaiting_verification(item) and (item.problem.escalation >= 2 or item.level == "red")
    return item.level in ("red", "yellow")


def due_reason(told: Told | None, level: str, as_of: date, repeat_days: int, escalation: int = 1) -> Reason | None:
    """Why an item is due for one address: new, risen (in level or in escalation), repeated after
    ``repeat_days``, or not due."""
    if told is None:
        return "new"
    if RANK.get(level, 0) > RANK.get(told.level, 0) or escalation > told.escalation:
        return "risen"
    if (as_of - told.on).days >= repeat_days:
        return "repeat"
    return None


def resolve_only_unit(loaded: Loaded, value: str | None) -> Unit | None:
    """The unit ``--only-unit`` names (id or name), or a usage error with a suggestion."""
    if value is None:
        return None
    units = loaded.portfolio.units
    for unit in units:
        if value == unit.id:
            return unit
    for unit in units:
        if value == unit.name:
            return unit
    from sanshi_cli.loading import suggest

    names = {u.id: u.name for u in units}
    hint = suggest(value, list(names) + list(names.values()))
    raise UsageError(
        [
            Problem(
                "unknown_filter",
                {"option": "--only-unit", "value": one_line(value), "kind": Msg("kind_unit"), "hint": hint},
            )
        ]
    )


def audience(
    loaded: Loaded, items: Sequence[Item], only_unit: Unit | None = None
) -> list[tuple[Recipient, list[Item]]]:
    """Every recipient this run considers, with the open items meant for them.

    Units get their blue, yellow and red items, and the open problems they own; lead officials the
    yellow and red items of their projects, and the problems they lead from escalation 2 or red;
    the people in ``[problems] escalate_to`` every problem at escalation 3 (督办); the PMO
    everything, problems awaiting verification (待销号) included (only when ``[alerts] pmo`` lists
    an address or ``pmo_channels`` a chat group). A person who leads and is in ``escalate_to`` gets one message.
    """
    portfolio = loaded.portfolio
    top = list(dict.fromkeys(portfolio.problems.escalate_to))
    # One pass over the items, grouped by unit and by leader (issue 8: 20,000 units took 70 s
    # when every unit scanned every item).
    by_unit: dict[str, list[Item]] = {}
    by_leader: dict[str, list[Item]] = {}
    for item in items:
        if not awaiting_verification(item):
            by_unit.setdefault(item.owner.id, []).append(item)
        told = [item.leader.id] if tells_leader(item) else []
        if supervised(item):
            told += [p for p in top if p not in told]
        for person_id in told:
            by_leader.setdefault(person_id, []).append(item)
    units = [only_unit] if only_unit is not None else portfolio.units
    chosen: list[tuple[Recipient, list[Item]]] = []
    for unit in units:
        mine = list(by_unit.get(unit.id, ()))
        chosen.append((Recipient("unit", unit.id, unit.name, tuple(unit.email), tuple(unit.channels)), mine))
    if only_unit is not None:
        return chosen
    for person in portfolio.people:
        theirs = list(by_leader.get(person.id, ()))
        leader = Recipient("leader", person.id, person.name, tuple(person.email), tuple(person.channels))
        chosen.append((leader, theirs))
    alerts = portfolio.alerts
    if alerts.pmo or alerts.pmo_channels:
        chosen.append((Recipient("pmo", "pmo", "", tuple(alerts.pmo), tuple(alerts.pmo_channels)), list(items)))
    return chosen


def find_alerts(
    loaded: Loaded,
    as_of: date,
    state: State,
    *,
    only_unit: Unit | None = None,
    email: bool = True,
    channels: Collection[str] | None = None,
) -> Plan:
    """The messages due as of ``as_of`` given what ``state`` says was already told.

    ``email`` serves the e-mail addresses; ``channels`` names the chat groups served (None: all
    that the file gives; empty: none). A recipient is reachable when the file gives them an
    address or a group, whether or not this run serves it.
    """
    items = find_items(loaded, as_of)
    repeat_days = loaded.portfolio.alerts.repeat_days
    considered = audience(loaded, items, only_unit)
    unreachable = [Unreachable(r, len(mine)) for r, mine in considered if mine and not r.reachable]
    alerts: list[Alert] = []
    quiet: list[Recipient] = []
    for recipient, mine in considered:
        if not mine or not recipient.reachable:
            continue
        served_addresses = recipient.addresses if email else ()
        served_channels = tuple(c for c in recipient.channels if channels is None or c in channels)
        addresses, marks = _due(recipient, mine, served_addresses, state, as_of, repeat_days)
        due_channels, chat_marks = _due(
            recipient, mine, tuple(channel_address(c) for c in served_channels), state, as_of, repeat_days
        )
        if not addresses and not due_channels:
            if served_addresses or served_channels:
                quiet.append(recipient)
            continue
        alert = Alert(recipient, addresses, list(mine), marks)
        alert.channels = tuple(c.removeprefix(CHANNEL_PREFIX) for c in due_channels)
        alert.chat_marks = chat_marks
        if recipient.kind == "pmo":
            alert.unreachable = unreachable
        alerts.append(alert)
    return Plan(alerts, considered, quiet, unreachable)


def _due(
    recipient: Recipient,
    mine: Sequence[Item],
    addresses: Sequence[str],
    state: State,
    as_of: date,
    repeat_days: int,
) -> tuple[tuple[str, ...], dict[ItemKey, Mark]]:
    """The addresses for which something is due, and the items' marks across them."""
    due_addresses: list[str] = []
    marks: dict[ItemKey, Mark] = {}
    for address in addresses:
        reasons = {
            item_key(i): due_reason(
                state.told_of(recipient.key, address, item_key(i)), i.level, as_of, repeat_days, escalation_of(i)
            )
            for i in mine
        }
        if not any(reasons.values()):
            continue
        due_addresses.append(address)
        for key, reason in reasons.items():
            if reason == "new" or (reason == "risen" and marks.get(key) != "new"):
                marks[key] = reason
    return tuple(due_addresses), marks
