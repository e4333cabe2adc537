"""The project file's shape: plain dataclasses whose field names are the file's public keys.

The annotations are the schema. They stay strings (PEP 563) until someone asks what they mean:
:mod:`sanshi_cli.schema` gives names such as ``Int``, ``Day`` and ``Field`` their pydantic
meaning to validate a file, and :func:`hints` their plain Python one (``int``, ``date``). So a
portfolio read back from the parse cache is built without importing pydantic at all, which is
most of a small file's start-up.
"""

from __future__ import annotations

import dataclasses
import typing
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal

if TYPE_CHECKING:  # their validating meaning, for readers and mypy; sanshi.schema supplies it at run time
    from pydantic import Field

    from sanshi_cli.schema import AnnualInvestment, Bool, Day, Emails, Id, Int, Name, Number

Roll = Literal["none", "next_workday", "prev_workday"]
Security = Literal["ssl", "starttls", "none"]
Language = Literal["zh", "en"]
TimeBasis = Literal["months", "days"]


def _empty(kind: type) -> Any:
    """A fresh empty list or table for each object (never one shared default)."""
    return dataclasses.field(default_factory=kind)


class _Table:
    """A table of the file: unknown keys are errors; a key with an alias (``from``) is written by it."""

    __pydantic_config__: typing.ClassVar[dict[str, object]] = {
        "extra": "forbid",
        "validate_by_name": True,
        "validate_by_alias": True,
    }


@dataclasses.dataclass(kw_only=True)
class Settings(_Table):
    title: str | None = None
    timezone: str = "Asia/Shanghai"
    language: Language | None = None  # None: $SANSHI_LANG decides, else Chinese (the CLI reads it)
    report_every_days: Annotated[Int, Field(ge=1, le=366)] | None = None  # no cadence: no report_missing item
    time_basis: TimeBasis = "months"  # 序时进度: completed months ÷ 12, or day of the year ÷ days in it
    backup: Bool = True  # keep the previous version as <file>.bak when sanshi writes the file


@dataclasses.dataclass(kw_only=True)
class YearNotice(_Table):
    """One year's State Council holiday notice, typed in by the PMO."""

    holidays: list[Day] = _empty(list)
    workdays: list[Day] = _empty(list)


@dataclasses.dataclass(kw_only=True)
class CalendarConfig(_Table):
    strict: Bool = False
    roll: Roll = "none"
    years: dict[str, YearNotice] = _empty(dict)


@dataclasses.dataclass(kw_only=True)
class AlertConfig(_Table):
    remind_workdays: Annotated[Int, Field(ge=0, le=60)] = 3
    red_after_days: Annotated[Int, Field(ge=0)] = 7
    repeat_days: Annotated[Int, Field(ge=1)] = 7
    pmo: Emails = _empty(list)
    pmo_channels: list[str] = _empty(list)  # [channels.<name>] for the PMO's digest (issue 14)
    lag_yellow_points: Annotated[Number, Field(gt=0, le=100)] = 10.0  # behind plan by this many points: yellow
    lag_red_points: Annotated[Number, Field(gt=0, le=100)] = 30.0  # behind by more than this: red


@dataclasses.dataclass(kw_only=True)
class ProblemsConfig(_Table):
    """``[problems]``: when an overdue problem escalates, and how long verification may take."""

    # overdue this many calendar days: level 2 (the leader is told), then level 3 (督办)
    escalate_after_days: list[Annotated[Int, Field(ge=1)]] = dataclasses.field(default_factory=lambda: [7, 21])
    # a problem reported solved but not closed off after this many working days: 待销号, flagged
    verify_within_days: Annotated[Int, Field(ge=0, le=366)] = 3
    escalate_to: list[str] = _empty(list)  # [[people]] ids also told at level 3


@dataclasses.dataclass(kw_only=True)
class RankingWeights(_Table):
    """``[ranking] weights``: how much each metric counts in a unit's score (renormalised per unit)."""

    nodes: Annotated[Number, Field(ge=0)] = 40.0  # 节点按期完成率
    invest: Annotated[Number, Field(ge=0)] = 30.0  # 投资完成率 against 序时
    problems: Annotated[Number, Field(ge=0)] = 20.0  # 问题按时办结率
    reports: Annotated[Number, Field(ge=0)] = 10.0  # 报送及时率
    inspection: Annotated[Number, Field(ge=0)] = 0.0  # 观摩评价


@dataclasses.dataclass(kw_only=True)
class RankingConfig(_Table):
    """``[ranking]``: the unit ranking (单位排名, 比学赶超) and its red and black lists (红黑榜)."""

    weights: RankingWeights = dataclasses.field(default_factory=RankingWeights)
    invest_bonus: Annotated[Number, Field(ge=0)] = 0.0  # the invest metric may reach 100 + this (ahead of 序时)
    min_items: Annotated[Int, Field(ge=0)] = 3  # fewer scored items: listed, not ranked
    red: Annotated[Int, Field(ge=0)] = 3  # 红榜: the top this many ranks whose score meets the target
    black: Annotated[Int, Field(ge=0)] = 3  # 黑榜: the bottom this many ranks below the target
    target: Annotated[Number, Field(ge=0, le=100)] = 90.0


@dataclasses.dataclass(kw_only=True)
class Inspection(_Table):
    """观摩评价: a dated score (0–100) of a unit or of one project (then it counts for its responsible unit)."""

    on: Day
    unit: str | None = None  # a [[units]] id; exactly one of unit and project
    project: str | None = None  # a [[projects]] id
    score: Annotated[Number, Field(ge=0, le=100)]
    note: str | None = None


@dataclasses.dataclass(kw_only=True)
class SmtpConfig(_Table):
    host: str | None = None
    port: Annotated[Int, Field(ge=1, le=65535)] | None = None
    security: Security = "ssl"
    username: str | None = None
    sender: Annotated[str | None, Field(alias="from")] = None
    password_file: str | None = None
    timeout: Annotated[Number, Field(gt=0, le=600)] = 30.0
    run_timeout: Annotated[Number, Field(gt=0, le=86400)] = 600.0  # a whole run; the rest waits in the outbox


# -- chat robots (issue 14) ----------------------------------------------------------------------
ChannelKind = Literal["wecom", "dingtalk", "feishu"]


@dataclasses.dataclass(kw_only=True)
class Channel(_Table):
    """``[channels.<name>]``: a group chat's webhook robot. Its URL and secret are never in the file."""

    kind: ChannelKind
    url_file: str | None = None  # the webhook URL (it holds the robot's key), or $SANSHI_CHANNEL_<NAME>_URL
    secret_file: str | None = None  # the signing secret (DingTalk, Feishu), or $SANSHI_CHANNEL_<NAME>_SECRET
    keyword: str | None = None  # put in every message, for a robot protected by a keyword
    max_bytes: Annotated[Int, Field(ge=500, le=20000)] | None = None  # a message's size (DingTalk: 4000)


# -- end of chat robots --------------------------------------------------------------------------


@dataclasses.dataclass(kw_only=True)
class Unit(_Table):
    id: Id
    name: Name
    short: Name | None = None  # 简称, where space is scarce: "建设局"
    email: Emails = _empty(list)
    channels: list[str] = _empty(list)  # chat groups (issue 14)


@dataclasses.dataclass(kw_only=True)
class Person(_Table):
    id: Id
    name: Name
    short: Name | None = None
    title: str | None = None
    email: Emails = _empty(list)
    # -- chat robots (issue 14)
    channels: list[str] = _empty(list)
    mobile: str | None = None  # to @-mention in WeCom and DingTalk posts
    feishu_open_id: str | None = None  # to @-mention in Feishu posts (ou_…)


@dataclasses.dataclass(kw_only=True)
class Milestone(_Table):
    id: Id
    name: Name
    stage: str | None = None
    due: Day | None = None
    after: str | None = None
    offset: str | None = None
    roll: Roll | None = None
    done: Day | None = None
    owner: str | None = None
    progress: Annotated[Number, Field(ge=0, le=100)] | None = None
    depends: list[str] = _empty(list)
    note: str | None = None


@dataclasses.dataclass(kw_only=True)
class MonthlyTarget(_Table):
    month: str
    target: Name
    invest_target: Annotated[Number, Field(ge=0)] | None = None


@dataclasses.dataclass(kw_only=True)
class WeeklyTarget(_Table):
    week: str
    target: Name


@dataclasses.dataclass(kw_only=True)
class Report(_Table):
    """One progress report (进度填报): 形象进度, investment completed since the last one, and words."""

    on: Day
    progress: Annotated[Number, Field(ge=0, le=100)] | None = None  # cumulative % of the whole project
    invest: Annotated[Number, Field(ge=0)] | None = None  # 万元 completed since the previous report
    text: str | None = None  # 本期进展
    next: str | None = None  # 下步计划
    by: str | None = None  # the reporting unit, a [[units]] id


@dataclasses.dataclass(kw_only=True)
class ProblemUpdate(_Table):
    """跟踪问效: a dated note on a problem (``sanshi problem note``)."""

    on: Day
    text: Name


@dataclasses.dataclass(kw_only=True)
class Extension(_Table):
    """延期: a new deadline for a problem, with its reason; the problem's own ``due`` stays."""

    on: Day
    due: Day
    reason: Name


@dataclasses.dataclass(kw_only=True)
class Reopening(_Table):
    """重新打开: the solved and closed dates a problem had before it was reopened on ``on``."""

    on: Day
    reason: Name
    solved: Day | None = None
    closed: Day | None = None


@dataclasses.dataclass(kw_only=True)
class ProblemEntry(_Table):
    """One entry of the 问题清单: what blocks a project, who solves it, by when, and its history.

    Its lifecycle (open, solved, closed) is derived from the dates, as of a day: see
    :mod:`sanshi_cli.problems`.
    """

    id: Id  # unique in the whole file: P-2026-031
    text: Name
    category: str | None = None  # 资金 | 用地 | 征迁 | 手续 | 要素保障 | 其他, or free text
    owner: str | None = None  # the responsible unit; the project's responsible unit when absent
    leader: str | None = None  # the project's leader when absent
    raised: Day
    due: Day  # 解决时限, as first set
    measures: str | None = None  # 解决措施
    solved: Day | None = None  # the unit reported it solved (办结)
    closed: Day | None = None  # the PMO verified and closed it off (销号)
    updates: list[ProblemUpdate] = _empty(list)
    extensions: list[Extension] = _empty(list)
    reopenings: list[Reopening] = _empty(list)


@dataclasses.dataclass(kw_only=True)
class Project(_Table):
    id: Id
    name: Name
    leader: Id
    lead_unit: Id
    responsible_unit: Id
    cooperating_units: list[str] = _empty(list)
    start: Day
    finish: Day
    total_investment: Annotated[Number, Field(ge=0)] | None = None
    annual_investment: AnnualInvestment | None = None
    note: str | None = None
    milestones: list[Milestone] = _empty(list)
    monthly: list[MonthlyTarget] = _empty(list)
    weekly: list[WeeklyTarget] = _empty(list)
    reports: list[Report] = _empty(list)
    problems: list[ProblemEntry] = _empty(list)


@dataclasses.dataclass(kw_only=True)
class Portfolio(_Table):
    """Everything in one project file, validated but not yet scheduled."""

    settings: Settings = dataclasses.field(default_factory=Settings)
    calendar: CalendarConfig = dataclasses.field(default_factory=CalendarConfig)
    alerts: AlertConfig = dataclasses.field(default_factory=AlertConfig)
    smtp: SmtpConfig = dataclasses.field(default_factory=SmtpConfig)
    problems: ProblemsConfig = dataclasses.field(default_factory=ProblemsConfig)
    units: list[Unit] = _empty(list)
    people: list[Person] = _empty(list)
    projects: list[Project] = _empty(list)
    ranking: RankingConfig = dataclasses.field(default_factory=RankingConfig)
    inspections: list[Inspection] = _empty(list)
    channels: dict[str, Channel] = _empty(dict)  # chat robots (issue 14)


_PLAIN: dict[str, Any] = {
    "Annotated": typing.Annotated,
    "Id": str,
    "Name": str,
    "Int": int,
    "Number": float,
    "Bool": bool,
    "Day": date,
    "Emails": list[str],
    "AnnualInvestment": float | dict[str, float],
    "Field": lambda **kwargs: tuple(sorted(kwargs.items())),  # what a Field(...) says, as (key, value) pairs
}
_HINTS: dict[type, dict[str, Any]] = {}


def hints(cls: type) -> dict[str, Any]:
    """A table's fields and their plain Python types (``Day | None`` is ``date | None``), in order.

    Metadata stays (``Annotated[str | None, (("alias", "from"),)]``): see :func:`file_key`.
    """
    found = _HINTS.get(cls)
    if found is None:
        every = typing.get_type_hints(cls, localns=_PLAIN, include_extras=True)
        found = _HINTS[cls] = {field.name: every[field.name] for field in dataclasses.fields(cls)}
    return found


def file_key(cls: type, name: str) -> str:
    """The key a field is written as in the file: its alias (``sender`` is ``from``), else its name."""
    for extra in getattr(hints(cls)[name], "__metadata__", ()):
        alias = dict(extra).get("alias") if isinstance(extra, tuple) else None
        if alias is not None:
            return str(alias)
    return name
