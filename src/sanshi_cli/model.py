"""The project file's shape: pydantic models whose field names are the file's public keys."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator
from pydantic_core import PydanticCustomError

Roll = Literal["none", "next_workday", "prev_workday"]
Security = Literal["ssl", "starttls", "none"]
Language = Literal["zh", "en"]
TimeBasis = Literal["months", "days"]

Id = Annotated[str, Field(min_length=1)]
Name = Annotated[str, Field(min_length=1)]
# Numbers and switches are strict: `true` is not 1, and "3" is not 3.
Int = Annotated[int, Field(strict=True)]
# Nor inf or nan, which TOML allows: they make no sum, no comparison and no valid JSON.
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Bool = Annotated[bool, Field(strict=True)]


def _date_only(value: object) -> object:
    """A TOML date, or text such as "2026-04-30"; never a number read as a timestamp."""
    if isinstance(value, int | float):
        raise PydanticCustomError("date_type", "Input should be a valid date")
    return value


Day = Annotated[date, BeforeValidator(_date_only)]


def _as_list(value: object) -> object:
    """``email = "a@b"`` and ``email = ["a@b", "c@d"]`` both mean a list of addresses."""
    return [value] if isinstance(value, str) else value


Emails = Annotated[list[str], BeforeValidator(_as_list)]


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Settings(_Table):
    title: str | None = None
    timezone: str = "Asia/Shanghai"
    language: Language | None = None  # None: $SANSHI_LANG decides, else Chinese (the CLI reads it)
    report_every_days: Annotated[Int, Field(ge=1, le=366)] | None = None  # no cadence: no report_missing item
    time_basis: TimeBasis = "months"  # 序时进度: completed months ÷ 12, or day of the year ÷ days in it
    backup: Bool = True  # keep the previous version as <file>.bak when sanshi writes the file


class YearNotice(_Table):
    """One year's State Council holiday notice, typed in by the PMO."""

    holidays: list[Day] = Field(default_factory=list)
    workdays: list[Day] = Field(default_factory=list)


class CalendarConfig(_Table):
    strict: Bool = False
    roll: Roll = "none"
    years: dict[str, YearNotice] = Field(default_factory=dict)


class AlertConfig(_Table):
    remind_workdays: Annotated[Int, Field(ge=0, le=60)] = 3
    red_after_days: Annotated[Int, Field(ge=0)] = 7
    repeat_days: Annotated[Int, Field(ge=1)] = 7
    pmo: Emails = Field(default_factory=list)
    lag_yellow_points: Annotated[Number, Field(gt=0, le=100)] = 10.0  # behind plan by this many points: yellow
    lag_red_points: Annotated[Number, Field(gt=0, le=100)] = 30.0  # behind by more than this: red


class SmtpConfig(_Table):
    host: str | None = None
    port: Annotated[Int, Field(ge=1, le=65535)] | None = None
    security: Security = "ssl"
    username: str | None = None
    sender: str | None = Field(default=None, alias="from")
    password_file: str | None = None
    timeout: Annotated[Number, Field(gt=0, le=600)] = 30.0
    run_timeout: Annotated[Number, Field(gt=0, le=86400)] = 600.0  # a whole run; the rest waits in the outbox


class Unit(_Table):
    id: Id
    name: Name
    short: Name | None = None  # 简称, where space is scarce: "建设局"
    email: Emails = Field(default_factory=list)


class Person(_Table):
    id: Id
    name: Name
    short: Name | None = None
    title: str | None = None
    email: Emails = Field(default_factory=list)


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
    depends: list[str] = Field(default_factory=list)
    note: str | None = None


class MonthlyTarget(_Table):
    month: str
    target: Name
    invest_target: Annotated[Number, Field(ge=0)] | None = None


class WeeklyTarget(_Table):
    week: str
    target: Name


class Report(_Table):
    """One progress report (进度填报): 形象进度, investment completed since the last one, and words."""

    on: Day
    progress: Annotated[Number, Field(ge=0, le=100)] | None = None  # cumulative % of the whole project
    invest: Annotated[Number, Field(ge=0)] | None = None  # 万元 completed since the previous report
    text: str | None = None  # 本期进展
    next: str | None = None  # 下步计划
    by: str | None = None  # the reporting unit, a [[units]] id


def _annual(value: object) -> float | dict[str, float]:
    """万元 for the as-of year, or a table by year: ``{ 2026 = 20000, 2027 = 35000 }``.

    Checked by hand rather than as a pydantic union, whose errors name each member of the union.
    """

    def amount(number: object) -> float:
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise PydanticCustomError("float_type", "Input should be a valid number")
        if number != number or number in (float("inf"), float("-inf")):
            raise PydanticCustomError("finite_number", "Input should be a finite number")
        if number < 0:
            raise PydanticCustomError("greater_than_equal", "Input should be >= 0", {"ge": 0})
        return float(number)

    if isinstance(value, dict):
        by_year: dict[str, float] = {}
        for year, number in value.items():
            if not (isinstance(year, str) and len(year) == 4 and year.isascii() and year.isdigit()):
                raise PydanticCustomError("annual_year", "Keys should be years")
            by_year[year] = amount(number)
        return by_year
    return amount(value)


AnnualInvestment = Annotated[float | dict[str, float], PlainValidator(_annual)]


class Project(_Table):
    id: Id
    name: Name
    leader: Id
    lead_unit: Id
    responsible_unit: Id
    cooperating_units: list[str] = Field(default_factory=list)
    start: Day
    finish: Day
    total_investment: Annotated[Number, Field(ge=0)] | None = None
    annual_investment: AnnualInvestment | None = None
    note: str | None = None
    milestones: list[Milestone] = Field(default_factory=list)
    monthly: list[MonthlyTarget] = Field(default_factory=list)
    weekly: list[WeeklyTarget] = Field(default_factory=list)
    reports: list[Report] = Field(default_factory=list)


class Portfolio(_Table):
    """Everything in one project file, validated but not yet scheduled."""

    settings: Settings = Settings()
    calendar: CalendarConfig = CalendarConfig()
    alerts: AlertConfig = AlertConfig()
    smtp: SmtpConfig = SmtpConfig()
    units: list[Unit] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
