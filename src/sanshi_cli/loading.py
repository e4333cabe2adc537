"""Finding, reading and validating the project file into a scheduled :class:`Loaded` portfolio.

Every problem the user made is collected (not just the first), each with the file, the line,
the project and milestone ids and the key, so that one run of ``sanshi check`` lists them all.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, is_dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sanshi_cli.errors import FileProblems, Msg, Problem, SanshiError
from sanshi_cli.i18n import MESSAGES, Lang, one_line, visible
from sanshi_cli.locating import Loc, Locator
from sanshi_cli.model import (
    AlertConfig,
    CalendarConfig,
    Channel,
    Extension,
    Inspection,
    Milestone,
    MonthlyTarget,
    Person,
    Portfolio,
    ProblemEntry,
    ProblemsConfig,
    ProblemUpdate,
    Project,
    RankingConfig,
    RankingWeights,
    Reopening,
    Report,
    Settings,
    SmtpConfig,
    Unit,
    WeeklyTarget,
    YearNotice,
    file_key,
    hints,
)
from sanshi_cli.periods import parse_month, parse_week
from sanshi_cli.scheduling import EARLIEST, LATEST, parse_offset, resolve_due_dates, schedule_order
from sanshi_cli.workcalendar import Notice, WorkCalendar

# The model behind each kind of table, for suggesting the nearest valid key.
_TABLES: dict[tuple[str, ...], type[Any]] = {
    (): Portfolio,
    ("settings",): Settings,
    ("calendar",): CalendarConfig,
    ("calendar", "years", "*"): YearNotice,
    ("alerts",): AlertConfig,
    ("smtp",): SmtpConfig,
    ("problems",): ProblemsConfig,
    ("units", "#"): Unit,
    ("people", "#"): Person,
    ("projects", "#"): Project,
    ("projects", "#", "milestones", "#"): Milestone,
    ("projects", "#", "monthly", "#"): MonthlyTarget,
    ("projects", "#", "weekly", "#"): WeeklyTarget,
    ("projects", "#", "reports", "#"): Report,
    ("projects", "#", "problems", "#"): ProblemEntry,
    ("projects", "#", "problems", "#", "updates", "#"): ProblemUpdate,
    ("projects", "#", "problems", "#", "extensions", "#"): Extension,
    ("projects", "#", "problems", "#", "reopenings", "#"): Reopening,
    ("ranking",): RankingConfig,
    ("ranking", "weights"): RankingWeights,
    ("inspections", "#"): Inspection,
    # -- chat robots (issue 14)
    ("channels", "*"): Channel,
}

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TOML_NESTING = 400  # how deep the TOML reader lets brackets nest

# The TOML reader's messages that users meet most, in Chinese; others are shown as the reader wrote them.
_TOML_ZH = {
    "Invalid value": "无效的值（文字要加引号，日期写成 2026-04-30）",
    "Cannot overwrite a value": "同一个键写了两次",
    "Unterminated string": "字符串缺少结束引号",
    "Illegal character '\\n'": "字符串缺少结束引号",
    "Expected '=' after a key in a key/value pair": "键后面缺少 =",
    "Expected newline or end of document after a statement": "一行只能写一个 键 = 值",
    "Expected ']' at the end of a table declaration": "表头缺少 ]",
    "Expected ']]' at the end of an array declaration": "表头缺少 ]]",
    "Invalid statement": "无法识别的语句",
    "Unclosed array": "列表缺少 ]",
    "Unclosed inline table": "内联表缺少 }",
}
for _english, _chinese in _TOML_ZH.items():  # as templates, where a literal brace is written twice
    MESSAGES[f"toml:{_english}"] = (
        _chinese.replace("{", "{{").replace("}", "}}"),
        _english.replace("{", "{{").replace("}", "}}"),
    )


@dataclass
class Loaded:
    """A validated, scheduled portfolio and where it came from."""

    path: str
    portfolio: Portfolio
    calendar: WorkCalendar
    due: dict[str, dict[str, date]]
    orders: dict[str, list[Milestone]]  # each project's milestones, prerequisites first
    units: dict[str, Unit]
    people: dict[str, Person]
    text: str = field(repr=False)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def lang(self) -> Lang:
        """The file's ``language``; Chinese when it names none (the CLI also consults $SANSHI_LANG)."""
        return self.portfolio.settings.language or "zh"

    def find_warnings(self, today: date | None) -> list[Problem]:
        """Warnings that do not stop a command (``sanshi check`` shows them), sorted by line.

        Found on demand: they touch every due date's calendar year and need line numbers,
        work that ``status`` and ``plan`` do not need to do.
        """
        located = _Located(self.portfolio, self.text, self.path)
        findings = [
            *_check_scheduled(self.portfolio, self.due, self.calendar, today),
            *_check_text(self.portfolio),
            *_check_channel_files(self.portfolio, Path(self.path).parent),  # chat robots (issue 14)
        ]
        found = located.locate([(loc, message, params) for loc, _, message, params in findings])
        return _by_line(self.warnings + found)


# -- finding and reading ------------------------------------------------------------------------


def read_text(path: Path, display: str) -> str:
    """The file's text: UTF-8, with or without a BOM; a clear error for anything else.

    Only a regular file (or a link to one) of at most 64 MiB is read: a FIFO, a device or a
    directory is refused before anything is read or waited on.
    """
    return decode_text(read_raw(path, display), display)


def read_raw(path: Path, display: str) -> bytes:
    """The file's bytes, as :func:`read_text` reads them (the same checks and messages)."""
    from sanshi_cli.files import PROJECT_LIMIT, NotAFile, TooBig, os_reason, read_capped, size_text

    try:
        raw = read_capped(path, PROJECT_LIMIT)
    except FileNotFoundError:
        raise SanshiError.single("file_missing", path=display) from None
    except NotAFile as error:
        if error.kind == "directory":
            raise SanshiError.single("file_is_dir", path=display) from None
        if error.kind == "loop":
            raise SanshiError.single("file_link_loop", path=display) from None
        raise SanshiError.single("file_not_regular", path=display, what=Msg(f"what_{error.kind}")) from None
    except TooBig as error:
        raise SanshiError.single("file_too_big", path=display, limit=size_text(error.limit)) from None
    except OSError as error:
        raise SanshiError.single("file_unreadable", path=display, reason=os_reason(error)) from None
    return raw


def decode_text(raw: bytes, display: str) -> str:
    """The text of a project file's bytes (UTF-8, a BOM dropped); a clear error for anything else."""
    from sanshi_cli.files import wide_encoding

    encoding = wide_encoding(raw)
    if encoding is not None:
        family = encoding[:6]  # UTF-16 or UTF-32: iconv reads the mark and the byte order itself
        raise SanshiError.single("file_wide_encoding", path=display, encoding=encoding, family=family)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        gbk: object = ""
        try:
            raw.decode("gb18030")
            gbk = Msg("not_utf8_gbk")
        except UnicodeDecodeError:
            pass
        raise FileProblems([Problem("not_utf8", {"line": line, "gbk": gbk}, display, line)]) from None
    if not text.strip():
        raise FileProblems([Problem("file_empty", {}, display)])
    return text


def parse_toml(text: str, display: str) -> dict[str, Any]:
    """The TOML document as plain data; else every typing slip in the file, or the reader's one problem.

    The reader stops at the first error and words it for a programmer ("one key = value per
    line" for ``due = 2026/11/20``), so when it gives up the text is scanned for the slips
    people make (dates as they write them, full-width punctuation), each named with what to type.
    """
    import tomli

    try:
        return tomli.loads(text)
    except RecursionError:
        # `a = [[[[…` hundreds deep: the reader refuses past 400 levels (and Python's stack would)
        from sanshi_cli.files import nesting_line

        line = nesting_line(text, TOML_NESTING + 1, comments=True)  # it fails on the 402nd bracket
        raise FileProblems([Problem("too_deep", {"limit": TOML_NESTING}, display, line)]) from None
    except tomli.TOMLDecodeError as error:
        from sanshi_cli.locating import find_slips

        problem = _table_before_parent(error, text, display) or _reader_problem(error, text, display)
        slips = [
            Problem(key, {"column": column, **params}, display, line) for line, column, key, params in find_slips(text)
        ]
        if slips and problem.line not in {slip.line for slip in slips}:
            slips = _by_line([*slips, problem])
        raise FileProblems(slips or [problem]) from None
    except ValueError:  # Python refuses to convert an integer of more than 4,300 digits
        line = _line_of_longnumber_text(text)
        raise FileProblems([Problem("number_too_long", {}, display, line)]) from None


def _line_of_longnumber_text(text: str) -> int | None:
    """The line of the first integer too long for Python to read (the reader does not say)."""
    for found in re.finditer(r"\d[\d_]{4300,}", text):
        if found.group(0).count("_") < len(found.group(0)) - 4300:
            return text.count("\n", 0, found.start()) + 1
    return None


def _table_before_parent(error: Any, text: str, display: str) -> Problem | None:
    """``[[projects]]`` after a ``[[projects.milestones]]`` that should have followed it."""
    line = getattr(error, "lineno", None)
    lines = text.splitlines()
    if getattr(error, "msg", "") != "Cannot overwrite a value" or not line or line > len(lines):
        return None
    parent = re.fullmatch(r"\s*\[\[\s*([A-Za-z0-9_-]+)\s*\]\]\s*(?:#.*)?", lines[line - 1])
    if parent is None:
        return None
    name = parent.group(1)
    child = re.compile(rf"\s*(\[\[?)\s*{re.escape(name)}\s*\.[^\]]*\]\]?")
    for number, source in enumerate(lines[: line - 1], start=1):
        found = child.match(source)
        if found:
            written = found.group(0).strip()
            return Problem("table_before_parent", {"written": written, "parent": f"[[{name}]]"}, display, number)
    return None


def _reader_problem(error: Any, text: str, display: str) -> Problem:
    """The TOML reader's error as one problem, in the user's language where it is a common one."""
    line = getattr(error, "lineno", None)
    column = getattr(error, "colno", 1) or 1
    msg = getattr(error, "msg", str(error))
    source = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
    if msg == "Invalid date or datetime":
        literal = re.match(r"[0-9T:+\-. Z]*", source[column - 1 :])
        shown = (literal.group(0).strip() if literal else "") or source.strip()
        return Problem("bad_date_literal", {"text": shown}, display, line)
    detail: object = Msg(f"toml:{msg}") if msg in _TOML_ZH else msg
    shown = f" «{one_line(source.strip())[:60]}»" if source.strip() else ""
    return Problem("toml_syntax", {"detail": detail, "source": shown}, display, line)


def load_portfolio(path: Path, display: str | None = None) -> Loaded:
    """Read, validate and schedule the project file; raise :class:`FileProblems` listing all errors."""
    shown = display or str(path)
    return load_text(read_text(path, shown), shown)


def load_text(text: str, display: str) -> Loaded:
    """Parse, validate and schedule the text of a project file (what :func:`load_portfolio` does once it is read)."""
    data = parse_toml(text, display)
    if not data:
        raise FileProblems([Problem("file_empty", {}, display)])  # only comments
    return validate_portfolio(data, text, display)


def validate_portfolio(data: dict[str, Any], text: str, display: str) -> Loaded:
    """Validate parsed data; collect every problem; schedule the relative milestones."""
    from pydantic import ValidationError

    from sanshi_cli.schema import PORTFOLIO

    located = _Located(data, text, display)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    try:
        portfolio = PORTFOLIO.validate_python(data)
    except ValidationError as error:
        errors = [_our_kind(e) for e in error.errors(include_url=False)]
        problems = [located.from_pydantic(e) for e in errors]
        # A table under a wrong header: what follows from it (``projects`` not a list) is no news.
        moved = {p.params.get("target") for p in problems if p.message == "wrong_table"}
        kept = [(e, p) for e, p in zip(errors, problems, strict=True) if tuple(e["loc"]) not in moved]
        errors, problems = [e for e, _ in kept], [p for _, p in kept]
        if any(e["type"] != "extra_forbidden" for e in errors) or moved:
            raise FileProblems(_by_line(problems)) from None
        # Only unknown keys: report them, and still check the rest so that one run lists all.
        portfolio = PORTFOLIO.validate_python(_without(data, [tuple(e["loc"]) for e in errors]))
    findings = [finding for check in _CHECKS for finding in check(portfolio)]
    found = located.locate([(loc, message, params) for loc, _, message, params in findings])
    for (_, severity, _, _), problem in zip(findings, found, strict=True):
        (problems if severity == "error" else warnings).append(problem)
    # The order in which to schedule each project's milestones; a cycle is one more problem.
    orders: dict[str, list[Milestone]] = {}
    for i, project in enumerate(portfolio.projects):
        order, cycle = schedule_order(project)
        orders[project.id] = order
        if cycle:
            j = next(k for k, m in enumerate(project.milestones) if m.id == cycle[0])
            key = "after" if project.milestones[j].after in cycle else "depends"
            chain = " → ".join(one_line(c) for c in cycle)
            problems.append(located.at(("projects", i, "milestones", j, key), "cycle", {"chain": chain}))
    if problems:
        raise FileProblems(_by_line(problems))
    warnings = _by_line(warnings)
    calendar = make_calendar(portfolio.calendar)
    roll = portfolio.calendar.roll
    due = {p.id: resolve_due_dates(p, calendar, roll, orders[p.id]) for p in portfolio.projects}
    problems = located.locate(list(_check_counted(portfolio, due)))
    if problems:
        raise FileProblems(_by_line(problems))
    problems = located.locate(list(_check_progress(portfolio, due)))
    if problems:
        raise FileProblems(_by_line(problems))
    return Loaded(
        path=display,
        portfolio=portfolio,
        calendar=calendar,
        due=due,
        orders=orders,
        units={u.id: u for u in portfolio.units},
        people={p.id: p for p in portfolio.people},
        text=text,
        warnings=warnings,
    )


def _by_line(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.line or 0)


def _without(data: dict[str, Any], locs: list[Loc]) -> dict[str, Any]:
    """A copy of ``data`` without the keys at ``locs`` (tables on the way are copied, not changed)."""
    import copy

    trimmed = copy.deepcopy(data)
    for loc in locs:
        node: Any = trimmed
        for part in loc[:-1]:
            node = node[part]
        node.pop(loc[-1], None)
    return trimmed


def make_calendar(config: CalendarConfig) -> WorkCalendar:
    notices = {int(year): Notice(frozenset(n.holidays), frozenset(n.workdays)) for year, n in config.years.items()}
    return WorkCalendar(notices, strict=config.strict)


# -- locating problems --------------------------------------------------------------------------


class _Located:
    """Turns a location tuple into a Problem with line, project and milestone ids."""

    def __init__(self, data: dict[str, Any] | Portfolio, text: str, display: str) -> None:
        self.data = data
        self.text = text
        self.display = display
        self._locator: Locator | None = None
        self._covered: set[Loc] | None = None  # the places a partial locator maps; None: all

    def line_of(self, loc: Loc) -> int | None:
        if self._locator is None or (self._covered is not None and loc not in self._covered):
            self._locator, self._covered = Locator(self.text), None
        return self._locator.line_of(loc)

    def locate(self, findings: Sequence[tuple[Loc, str, dict[str, object]]]) -> list[Problem]:
        """Problems for ``findings`` (place, message, params), each at its line.

        Only the places named are looked up in the text, in one pass: a file of 80,000
        milestones with a few hundred warnings does not map every key of every table.
        """
        wanted = {loc for loc, _, _ in findings}
        wanted.update(v.loc for _, _, params in findings for v in params.values() if isinstance(v, _LineOf))
        if not wanted:
            return []
        if self._locator is None or (self._covered is not None and not wanted <= self._covered):
            wanted |= self._covered or set()
            self._locator, self._covered = Locator(self.text, wanted), wanted
        return [self.at(loc, message, params) for loc, message, params in findings]

    def header_of(self, loc: Loc) -> tuple[bool, list[str]] | None:
        """The header written where the table at ``loc`` starts, if a header starts it."""
        line = self.line_of(loc)
        assert self._locator is not None or line is None
        return self._locator.header_at(line, self.text) if self._locator and line else None

    def _id_at(self, loc: Loc) -> str | None:
        """The ``id`` of the table at ``loc``, in the parsed data or the validated portfolio."""
        node: Any = self.data
        for part in loc:
            try:
                node = getattr(node, part) if isinstance(part, str) and is_dataclass(node) else node[part]
            except (AttributeError, KeyError, IndexError, TypeError):
                return None
        ident = node.get("id") if isinstance(node, dict) else getattr(node, "id", None)
        if isinstance(ident, str | int):
            return one_line(str(ident))
        return None  # `id = {…}` or a list: the id's own error says so; never print it whole as a name

    def at(self, loc: Loc, message: str, params: dict[str, object]) -> Problem:
        params = {k: self.line_of(v.loc) if isinstance(v, _LineOf) else v for k, v in params.items()}
        project = milestone = problem = None
        subject: tuple[str, str] | None = None
        if len(loc) >= 2 and loc[0] == "projects":
            project = self._id_at(loc[:2]) or f"#{int(loc[1]) + 1}"
            if len(loc) >= 4 and loc[2] == "milestones":
                milestone = self._id_at(loc[:4]) or f"#{int(loc[3]) + 1}"
            elif len(loc) >= 4 and loc[2] == "problems" and isinstance(loc[3], int):
                problem = self._id_at(loc[:4]) or f"#{loc[3] + 1}"
        elif len(loc) >= 2 and loc[0] in ("units", "people"):
            kind = "unit" if loc[0] == "units" else "person"
            subject = (kind, self._id_at(loc[:2]) or f"#{int(loc[1]) + 1}")
        key = _key_of(loc)
        line = self.line_of(loc)
        return Problem(message, params, self.display, line, project, milestone, key, subject, problem)

    def from_pydantic(self, error: Any) -> Problem:
        loc: Loc = tuple(error["loc"])
        kind = error["type"]
        value = error.get("input")
        name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
        if kind == "extra_forbidden":
            if loc[-1] == "password" and loc[:1] == ("smtp",):
                return self.at(loc, "password_in_file", {})
            if loc[:1] == ("channels",) and len(loc) == 3 and loc[-1] in _CHANNEL_SECRETS:
                return self.at(loc, "channel_secret_in_file", _channel_secret(str(loc[1]), str(loc[-1])))
            meant = _suggest_table(loc, value, self.header_of(loc))
            if meant is not None:
                return self.at(loc, "wrong_table", meant)
            return self.at(loc, "unknown_key", {"hint": _suggest_key(loc)})
        if kind == "model_type" and isinstance(value, list):  # [[problems]] for [[projects.problems]]
            meant = _suggest_table(loc, value, self.header_of(loc))
            if meant is not None:
                return self.at(loc, "wrong_table", meant)
        if kind == "missing":
            return self.at(loc, "missing_key", {})
        path = tuple(p for p in loc if isinstance(p, str))
        if kind == "list_type" and isinstance(value, dict) and _HEADERS.get(path, "").startswith("[["):
            # [[projects.milestones]] before any [[projects]] (or [[projects.problems.updates]] before
            # the project's first [[projects.problems]]): TOML made `projects` a plain table
            header = self.header_of(loc)
            if header is not None:
                dotted = ".".join(header[1])
                if len(loc) > 1 and not header[0] and tuple(header[1]) == path:  # [projects.problems]
                    meant = {"written": f"[{dotted}]", "suggestion": _HEADERS[path], "where": ""}
                    return self.at(loc, "wrong_table", meant)
                shown = f"[[{dotted}]]" if header[0] else f"[{dotted}]"
                return self.at(loc, "table_before_parent", {"written": shown, "parent": _HEADERS[path]})
        if loc[:2] == ("calendar", "years") and len(loc) >= 3 and kind.startswith("string"):
            return self.at(loc, "bad_value", {"key": name, "value": _show(value), "detail": Msg("want_year")})
        if name == "month" and isinstance(value, float):  # month = 2026.10, read as the number 2026.1
            line = self.line_of(loc)
            source = self.text.splitlines()[line - 1] if line else ""
            typed = re.search(r"=\s*(\d{4})\.(\d{1,2})\b", source)
            if typed:
                fixed = f"{typed.group(1)}-{int(typed.group(2)):02d}"
                return self.at(loc, "month_form", {"text": typed.group(0).lstrip("= \t"), "fixed": fixed})
        if isinstance(value, str) and _ISO_DATE.fullmatch(value) and kind.startswith("date"):
            return self.at(loc, "bad_date_literal", {"text": value})
        return self.at(loc, "bad_value", {"key": name, "value": _show(value), "detail": pydantic_detail(error)})


# pydantic names a dataclass's problems as a function call's; these are the file's tables.
_KINDS = {"unexpected_keyword_argument": "extra_forbidden", "dataclass_type": "model_type"}


def _our_kind(error: Any) -> Any:
    """A pydantic error with the kind a table's problem has (an unknown key is ``extra_forbidden``)."""
    kind = _KINDS.get(error["type"])
    return error if kind is None else {**error, "type": kind}


def _key_of(loc: Loc) -> str | None:
    """The key a location names: ``due``, ``calendar.years.2027.holidays``; None for a whole table."""
    if not loc or isinstance(loc[-1], int) and len(loc) <= 6 and loc[-2] in _ARRAYS:
        return None
    if loc[0] in ("settings", "calendar", "alerts", "smtp", "problems", "ranking", "channels"):
        return ".".join(str(p) for p in loc)
    if loc[0] == "inspections":  # `unit` alone would not say it is an inspection's
        return ".".join(str(p) for p in loc if isinstance(p, str)) if len(loc) > 2 else None
    if len(loc) >= 6 and loc[2] == "problems" and loc[4] in _PROBLEM_ARRAYS:
        # a problem's note, extension or reopening: `on` alone would not say which
        return ".".join(str(p) for p in loc[4:] if isinstance(p, str)) or None
    return next((p for p in reversed(loc) if isinstance(p, str)), None)


_PROBLEM_ARRAYS = ("updates", "extensions", "reopenings")
_ARRAYS = ("units", "people", "projects", "milestones", "monthly", "weekly", "reports", "problems", *_PROBLEM_ARRAYS,
           "inspections")  # fmt: skip


def _show(value: object) -> str:
    """A value as it would be written in TOML (shortened)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = one_line(value)
        return f'"{text[:40]}…"' if len(text) > 40 else f'"{text}"'
    if isinstance(value, dict):
        return "{…}"
    text = one_line(str(value))
    return text[:40] + "…" if len(text) > 40 else text


def pydantic_detail(error: Any) -> object:
    """What a value should be, from one pydantic error, in our words (never the library's)."""
    kind: str = error["type"]
    ctx = error.get("ctx") or {}
    if kind.startswith("date") or kind.startswith("datetime"):
        return Msg("want_date")
    if kind.startswith("int"):
        return Msg("want_int")
    if kind == "finite_number":  # `total_investment = inf`: TOML allows it, JSON and sums do not
        return Msg("want_finite")
    if kind.startswith("float") or kind.startswith("decimal"):
        return Msg("want_number")
    if kind.startswith("string_too_short") or kind == "too_short":
        return Msg("want_nonempty")
    if kind.startswith("string"):
        return Msg("want_str")
    if kind.startswith("bool"):
        return Msg("want_bool")
    if kind.startswith("list"):
        return Msg("want_list")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return Msg("want_table")
    if kind == "annual_year":  # annual_investment = { "明年" = 100 }
        return Msg("want_annual")
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return Msg("want_one_of", {"choices": " | ".join(choices)})
    if kind == "greater_than_equal":
        return Msg("want_ge", {"limit": ctx.get("ge")})
    if kind == "greater_than":
        return Msg("want_gt", {"limit": ctx.get("gt")})
    if kind == "less_than_equal":
        return Msg("want_le", {"limit": ctx.get("le")})
    if kind == "less_than":
        return Msg("want_lt", {"limit": ctx.get("lt")})
    return Msg("want_valid")


def _table_shape(loc: Loc) -> tuple[str, ...]:
    shape: list[str] = []
    for i, part in enumerate(loc):
        if isinstance(part, int):
            shape.append("#")
        elif i == 2 and loc[:2] == ("calendar", "years") or i == 1 and loc[0] == "channels":
            shape.append("*")
        else:
            shape.append(part)
    return tuple(shape)


# Every table header the file may hold, and words people write for some of them.
_HEADERS = {
    ("settings",): "[settings]",
    ("calendar",): "[calendar]",
    ("alerts",): "[alerts]",
    ("smtp",): "[smtp]",
    ("units",): "[[units]]",
    ("people",): "[[people]]",
    ("projects",): "[[projects]]",
    ("projects", "milestones"): "[[projects.milestones]]",
    ("projects", "monthly"): "[[projects.monthly]]",
    ("projects", "weekly"): "[[projects.weekly]]",
    ("projects", "reports"): "[[projects.reports]]",
    ("problems",): "[problems]",
    ("projects", "problems"): "[[projects.problems]]",
    ("projects", "problems", "updates"): "[[projects.problems.updates]]",
    ("projects", "problems", "extensions"): "[[projects.problems.extensions]]",
    ("projects", "problems", "reopenings"): "[[projects.problems.reopenings]]",
    ("ranking",): "[ranking]",
    ("ranking", "weights"): "[ranking.weights]",
    ("inspections",): "[[inspections]]",
    ("channels",): "[channels.<name>]",
}
_HEADER_WORDS = {
    "person": "people",
    "persons": "people",
    "leaders": "people",
    "leader": "people",
    "node": "milestones",
    "nodes": "milestones",
    "milestone": "milestones",
    "milestones": "milestones",
    "monthly": "monthly",
    "weekly": "weekly",
    "months": "monthly",
    "weeks": "weekly",
    "problem": "problems",
    "problems": "problems",
    "issue": "problems",
    "issues": "problems",
    "update": "updates",
    "note": "updates",
    "notes": "updates",
    "extension": "extensions",
    "extend": "extensions",
    "delay": "extensions",
    "delays": "extensions",
    "reopen": "reopenings",
    "reopening": "reopenings",
    "reopens": "reopenings",
    "inspection": "inspections",
    "inspections": "inspections",
}


def _suggest_table(loc: Loc, value: object, header: tuple[bool, list[str]] | None) -> dict[str, object] | None:
    """For a table written under a header sanshi does not know: the header meant, as "did you mean".

    ``header`` is the header as written where the table starts (``[[project.milestones]]`` for
    the unknown key ``project``), else the header is rebuilt from the location.
    """
    is_array = isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)
    if not (is_array or isinstance(value, dict)):
        return None
    path = tuple(p for p in loc if isinstance(p, str))
    if header is not None and tuple(header[1][: len(path)]) == path:
        is_array, path = header[0], tuple(header[1])
    written = ".".join(path)
    shown = f"[[{written}]]" if is_array else f"[{written}]"
    name = str(path[-1])
    word = _HEADER_WORDS.get(name.lower())
    if word in _PROBLEM_ARRAYS and path[:2] != ("projects", "problems"):
        word = None  # [[projects.notes]] need not be a problem's notes
    target: tuple[str, ...] | None = None
    if word is not None:
        # the header of that name, an array one for an array, under the same parent where one is
        named = sorted(
            (t for t in _HEADERS if t[-1] == word),
            key=lambda t: (_HEADERS[t].startswith("[[") != is_array, t[:-1] != path[:-1]),
        )
        target = named[0] if named else None
    else:
        dotted = {".".join(t): t for t in _HEADERS}
        close = difflib.get_close_matches(written, list(dotted), n=1, cutoff=0.6)
        target = dotted[close[0]] if close else None
    if target is None or target == path:
        return None
    where: object = ""
    if target[:1] == ("projects",) and len(target) > 1:
        where = Msg("wrong_table_nested") if len(target) == 2 else Msg("wrong_table_nested_problem")
    return {"written": shown, "suggestion": _HEADERS[target], "where": where, "target": target}


def _suggest_key(loc: Loc) -> object:
    model = _TABLES.get(_table_shape(loc[:-1]))
    if model is None:
        return ""
    valid = [file_key(model, name) for name in hints(model)]
    close = difflib.get_close_matches(str(loc[-1]), valid, n=1, cutoff=0.6)
    return Msg("did_you_mean", {"suggestion": close[0]}) if close else ""


def suggest(value: str, choices: Iterable[str], names: Mapping[str, str] | None = None) -> object:
    """A "did you mean" hint: the nearest id, or the id of the thing whose name was written."""
    if names:
        for ident, name in names.items():
            if value == name:
                return Msg("did_you_mean", {"suggestion": ident})
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return Msg("did_you_mean", {"suggestion": close[0]}) if close else ""


# -- checks on the meaning ----------------------------------------------------------------------

Finding = tuple[Loc, str, str, dict[str, object]]  # where, "error" | "warning", message, params


def _check_timezone(portfolio: Portfolio) -> Iterator[Finding]:
    from zoneinfo import ZoneInfo

    tz = portfolio.settings.timezone
    try:
        ZoneInfo(tz)
    except (ValueError, KeyError, OSError):
        yield ("settings", "timezone"), "error", "bad_timezone", {"value": one_line(tz)}


def _duplicates(items: Iterable[tuple[Loc, str]], what: str) -> Iterator[Finding]:
    seen: dict[str, Loc] = {}
    for loc, ident in items:
        if ident in seen:
            yield (
                (*loc, "id"),
                "error",
                "duplicate_id",
                {
                    "kind": Msg(f"kind_{what}"),
                    "id": one_line(ident),
                    "first": _LineOf(seen[ident]),
                },
            )
        else:
            seen[ident] = (*loc, "id")


def _check_unique_ids(portfolio: Portfolio) -> Iterator[Finding]:
    yield from _duplicates(((("units", i), u.id) for i, u in enumerate(portfolio.units)), "unit")
    yield from _duplicates(((("people", i), p.id) for i, p in enumerate(portfolio.people)), "person")
    yield from _check_shorts("units", portfolio.units, "unit")
    yield from _check_shorts("people", portfolio.people, "person")
    yield from _duplicates(((("projects", i), p.id) for i, p in enumerate(portfolio.projects)), "project")
    for i, project in enumerate(portfolio.projects):
        if len({m.id for m in project.milestones}) < len(project.milestones):  # the rare case pays for the rest
            ids = [m.id for m in project.milestones]
            yield from _duplicates(((("projects", i, "milestones", j), m) for j, m in enumerate(ids)), "milestone")
    # a problem's id is unique in the whole file: commands name a problem by its id alone
    problems = ((("projects", i, "problems", j), e.id) for i, p in enumerate(portfolio.projects)
                for j, e in enumerate(p.problems))  # fmt: skip
    yield from _duplicates(problems, "problem")


def _check_shorts(table: str, entries: Sequence[Unit | Person], what: str) -> Iterator[Finding]:
    """Short names (简称) are unique in their table and free of the characters paths and ids use."""
    seen: dict[str, Loc] = {}
    for i, entry in enumerate(entries):
        if entry.short is None:
            continue
        loc: Loc = (table, i, "short")
        bad = next((ch for ch in entry.short if ch in "/\\:"), None)
        if bad is not None:
            yield (loc, "error", "bad_short", {"short": one_line(entry.short), "char": bad})
        if entry.short in seen:
            first = _LineOf(seen[entry.short])
            yield (loc, "error", "duplicate_short", {"kind": Msg(f"kind_{what}"), "short": one_line(entry.short),
                                                     "first": first})  # fmt: skip
        else:
            seen[entry.short] = loc


def _unknown(loc: Loc, value: str, known: dict[str, str], what: str, table: str) -> Finding:
    """An id that names nothing in ``table``: the nearest id, or the id of the name written."""
    named = next((ident for ident, name in known.items() if name == value), None)
    if named is not None:  # the name where the id belongs: say which id
        params = {"kind": Msg(f"kind_{what}"), "value": one_line(value), "id": one_line(named), "table": table}
        return loc, "error", "name_not_id", params
    return (
        loc,
        "error",
        "unknown_ref",
        {
            "kind": Msg(f"kind_{what}"),
            "value": one_line(value),
            "hint": suggest(value, known, known),
            "table": table,
        },
    )


def _check_references(portfolio: Portfolio) -> Iterator[Finding]:
    units = {u.id: u.name for u in portfolio.units}
    people = {p.id: p.name for p in portfolio.people}
    unknown = _unknown

    for i, project in enumerate(portfolio.projects):
        at: Loc = ("projects", i)
        if project.leader not in people:
            yield unknown((*at, "leader"), project.leader, people, "person", "[[people]]")
        for key in ("lead_unit", "responsible_unit"):
            value = getattr(project, key)
            if value not in units:
                yield unknown((*at, key), value, units, "unit", "[[units]]")
        for unit in project.cooperating_units:
            if unit not in units:
                yield unknown((*at, "cooperating_units"), unit, units, "unit", "[[units]]")
        for j, entry in enumerate(project.problems):
            if entry.owner is not None and entry.owner not in units:
                yield unknown((*at, "problems", j, "owner"), entry.owner, units, "unit", "[[units]]")
            if entry.leader is not None and entry.leader not in people:
                yield unknown((*at, "problems", j, "leader"), entry.leader, people, "person", "[[people]]")
        milestones: dict[str, str] | None = None  # built for the first milestone that names others
        for j, milestone in enumerate(project.milestones):
            if milestone.owner is None and milestone.after is None and not milestone.depends:
                continue
            here: Loc = (*at, "milestones", j)
            if milestone.owner is not None and milestone.owner not in units:
                yield unknown((*here, "owner"), milestone.owner, units, "unit", "[[units]]")
            if milestone.after is None and not milestone.depends:
                continue
            if milestones is None:
                milestones = {m.id: m.name for m in project.milestones}
            for key, values in (
                ("after", [] if milestone.after is None else [milestone.after]),
                ("depends", milestone.depends),
            ):
                for other in values:
                    if other == milestone.id:
                        yield (*here, key), "error", "self_reference", {}
                    elif other not in milestones:
                        others = {k: v for k, v in milestones.items() if k != milestone.id}
                        yield unknown(
                            (*here, key),
                            other,
                            others,
                            "milestone",
                            f"[[projects.milestones]] ({project.id})",
                        )


def _check_escalate_to(portfolio: Portfolio) -> Iterator[Finding]:
    """``[problems] escalate_to``: people of ``[[people]]``, by id."""
    people = {p.id: p.name for p in portfolio.people}
    for person in portfolio.problems.escalate_to:
        if person not in people:
            yield _unknown(("problems", "escalate_to"), person, people, "person", "[[people]]")


def _check_date_range(portfolio: Portfolio) -> Iterator[Finding]:
    def out(loc: Loc, day: date | None) -> Iterator[Finding]:
        if day is not None and not EARLIEST <= day <= LATEST:
            yield loc, "error", "date_out_of_range", {"date": day, "first": EARLIEST, "last": LATEST}

    for i, project in enumerate(portfolio.projects):
        yield from out(("projects", i, "start"), project.start)
        yield from out(("projects", i, "finish"), project.finish)
        for j, milestone in enumerate(project.milestones):
            # tested first: the places are built only for the rare date out of range
            if not (
                EARLIEST <= (milestone.due or EARLIEST) <= LATEST and EARLIEST <= (milestone.done or EARLIEST) <= LATEST
            ):
                yield from out(("projects", i, "milestones", j, "due"), milestone.due)
                yield from out(("projects", i, "milestones", j, "done"), milestone.done)
        for j, report in enumerate(project.reports):
            yield from out(("projects", i, "reports", j, "on"), report.on)
        for j, entry in enumerate(project.problems):
            for loc, day in _problem_dates(entry):
                yield from out(("projects", i, "problems", j, *loc), day)


def _problem_dates(entry: ProblemEntry) -> Iterator[tuple[Loc, date | None]]:
    """Every date of a problem and where it is written, relative to the problem's table."""
    yield ("raised",), entry.raised
    yield ("due",), entry.due
    yield ("solved",), entry.solved
    yield ("closed",), entry.closed
    for k, update in enumerate(entry.updates):
        yield ("updates", k, "on"), update.on
    for k, extension in enumerate(entry.extensions):
        yield ("extensions", k, "on"), extension.on
        yield ("extensions", k, "due"), extension.due
    for k, reopening in enumerate(entry.reopenings):
        yield ("reopenings", k, "on"), reopening.on
        yield ("reopenings", k, "solved"), reopening.solved
        yield ("reopenings", k, "closed"), reopening.closed


def _check_spans(portfolio: Portfolio) -> Iterator[Finding]:
    for i, project in enumerate(portfolio.projects):
        if project.finish < project.start:
            yield (
                ("projects", i, "finish"),
                "error",
                "finish_before_start",
                {
                    "finish": project.finish,
                    "start": project.start,
                },
            )


def _check_milestone_dates(portfolio: Portfolio) -> Iterator[Finding]:
    for i, project in enumerate(portfolio.projects):
        for j, milestone in enumerate(project.milestones):
            if milestone.due is not None and milestone.after is None and milestone.offset is None:
                continue  # the common case: a date written down
            here: Loc = ("projects", i, "milestones", j)
            if milestone.due is not None and milestone.after is not None:
                yield (*here, "after"), "error", "due_and_after", {}
            elif milestone.due is None and milestone.after is None:
                key = "offset" if milestone.offset is not None else "due"
                message = "offset_needs_after" if milestone.offset is not None else "no_due"
                yield (*here, key), "error", message, {}
            elif milestone.after is not None and milestone.offset is None:
                yield (*here, "after"), "error", "after_needs_offset", {}
            if milestone.offset is not None and parse_offset(milestone.offset) is None:
                yield (
                    (*here, "offset"),
                    "error",
                    "bad_offset",
                    {"value": one_line(milestone.offset)},
                )


def _check_emails(portfolio: Portfolio) -> Iterator[Finding]:
    """Every address as ``alert`` will write it: the message's own parser must accept it (issue 8)."""
    from sanshi_cli.addresses import sendable

    def bad(loc: Loc, addresses: Iterable[str]) -> Iterator[Finding]:
        for address in addresses:
            parts = [p for p in re.split(r"[;,；，、\s]+", address) if p]
            if len(parts) > 1 and all(sendable(p) for p in parts):  # "a@x.cn; b@x.cn"
                fixed = "[" + ", ".join(f'"{one_line(p)}"' for p in parts) + "]"
                yield loc, "error", "emails_in_one_string", {"key": loc[-1], "fixed": fixed}
            elif not sendable(address):
                yield loc, "error", "bad_email", {"value": one_line(address)}

    for i, unit in enumerate(portfolio.units):
        yield from bad(("units", i, "email"), unit.email)
    for i, person in enumerate(portfolio.people):
        yield from bad(("people", i, "email"), person.email)
    yield from bad(("alerts", "pmo"), portfolio.alerts.pmo)


def _check_notices(portfolio: Portfolio) -> Iterator[Finding]:
    for year_text, notice in portfolio.calendar.years.items():
        at: Loc = ("calendar", "years", year_text)
        if not re.fullmatch(r"\d{4}", year_text):
            yield (
                at,
                "error",
                "bad_value",
                {"key": year_text, "value": f'"{one_line(year_text)}"', "detail": Msg("want_year")},
            )
            continue
        year = int(year_text)
        for key, days in (("holidays", notice.holidays), ("workdays", notice.workdays)):
            for day in days:
                if day.year != year:
                    yield (*at, key), "error", "notice_wrong_year", {"date": day, "year": year}
                elif key == "holidays" and day.weekday() >= 5:
                    yield (*at, key), "warning", "notice_holiday_on_weekend", {"date": day}
                elif key == "workdays" and day.weekday() < 5:
                    yield (*at, key), "warning", "notice_workday_on_weekday", {"date": day}
        for day in sorted(set(notice.holidays) & set(notice.workdays)):
            yield (*at, "workdays"), "error", "notice_both", {"date": day}


def _check_targets(portfolio: Portfolio) -> Iterator[Finding]:
    for i, project in enumerate(portfolio.projects):
        for j, monthly in enumerate(project.monthly):
            at: Loc = ("projects", i, "monthly", j, "month")
            span = parse_month(monthly.month)
            if span is None:
                yield at, "error", "bad_month", {"value": one_line(monthly.month)}
            elif span[1] < project.start or span[0] > project.finish:
                yield (
                    at,
                    "error",
                    "target_outside_span",
                    {
                        "period": monthly.month,
                        "start": project.start,
                        "finish": project.finish,
                    },
                )
        for j, weekly in enumerate(project.weekly):
            at = ("projects", i, "weekly", j, "week")
            week = parse_week(weekly.week)
            if isinstance(week, int):
                yield at, "error", "bad_week", {"value": one_line(weekly.week), "max": week}
            elif week[1] < project.start or week[0] > project.finish:
                yield (
                    at,
                    "error",
                    "target_outside_span",
                    {
                        "period": weekly.week,
                        "start": project.start,
                        "finish": project.finish,
                    },
                )


def _check_smtp(portfolio: Portfolio) -> Iterator[Finding]:
    """``[smtp]``: a bare host name, a parsable sender, and a port that fits the security."""
    from sanshi_cli.addresses import bare_host, parse_sender_text

    smtp = portfolio.smtp
    if smtp.host is not None and not bare_host(smtp.host):
        yield ("smtp", "host"), "error", "bad_smtp_host", {"value": one_line(smtp.host)}
    if smtp.sender is not None and parse_sender_text(smtp.sender) is None:  # as SANSHI_MAIL_FROM
        yield ("smtp", "from"), "error", "bad_from", {"value": one_line(smtp.sender)}
    # The common slip: 465 is implicit TLS (ssl); 587 and 25 start plain and upgrade (starttls).
    expected = "ssl" if smtp.port == 465 else "starttls" if smtp.port in (25, 587) else None
    if expected is not None and (smtp.security == "ssl") != (expected == "ssl"):
        params: dict[str, object] = {"port": smtp.port, "expected": expected, "security": smtp.security}
        yield ("smtp", "port"), "warning", "smtp_port_mismatch", params


def _check_reports(portfolio: Portfolio) -> Iterator[Finding]:
    """``[[projects.reports]]``: something reported, in date order, one a day, 形象进度 never falling,
    a known unit; a date outside the project's span is only a warning (a report may come late)."""
    units = {u.id: u.name for u in portfolio.units}
    for i, project in enumerate(portfolio.projects):
        previous = None
        highest: tuple[float, date] | None = None
        for j, report in enumerate(project.reports):
            here: Loc = ("projects", i, "reports", j)
            if report.progress is None and report.invest is None and not report.text:
                yield here, "error", "report_empty", {"date": report.on}
            if previous is not None and report.on < previous:
                yield (*here, "on"), "error", "reports_out_of_order", {"date": report.on, "previous": previous}
            elif previous is not None and report.on == previous:
                yield (*here, "on"), "error", "report_same_day", {"date": report.on}
            previous = report.on
            if report.progress is not None:
                if highest is not None and report.progress < highest[0]:
                    params = {
                        "value": number_text(report.progress),
                        "date": highest[1],
                        "other_value": number_text(highest[0]),
                    }
                    yield (*here, "progress"), "error", "report_progress_decreasing", params
                else:
                    highest = (report.progress, report.on)
            if report.by is not None and report.by not in units:
                named = next((ident for ident, name in units.items() if name == report.by), None)
                if named is not None:
                    params = {"kind": Msg("kind_unit"), "value": one_line(report.by), "id": one_line(named),
                              "table": "[[units]]"}  # fmt: skip
                    yield (*here, "by"), "error", "name_not_id", params
                else:
                    params = {"kind": Msg("kind_unit"), "value": one_line(report.by),
                              "hint": suggest(report.by, units, units), "table": "[[units]]"}  # fmt: skip
                    yield (*here, "by"), "error", "unknown_ref", params
            if not project.start <= report.on <= project.finish:
                params = {"date": report.on, "start": project.start, "finish": project.finish}
                yield (*here, "on"), "warning", "report_outside_span", params


def _check_lag_points(portfolio: Portfolio) -> Iterator[Finding]:
    alerts = portfolio.alerts
    if alerts.lag_red_points < alerts.lag_yellow_points:
        params: dict[str, object] = {
            "red": number_text(alerts.lag_red_points),
            "yellow": number_text(alerts.lag_yellow_points),
        }
        yield ("alerts", "lag_red_points"), "error", "lag_red_below_yellow", params


def _check_problems(portfolio: Portfolio) -> Iterator[Finding]:
    """``[problems]``'s thresholds rise, and each problem's dates come in the order things happen."""
    days = portfolio.problems.escalate_after_days
    if not 1 <= len(days) <= 2 or any(later <= first for first, later in zip(days, days[1:], strict=False)):
        value = "[" + ", ".join(str(d) for d in days) + "]"
        yield ("problems", "escalate_after_days"), "error", "escalate_after_days_shape", {"value": value}
    for i, project in enumerate(portfolio.projects):
        for j, entry in enumerate(project.problems):
            # a date out of range has its own error: compared with the others it would only repeat it
            if all(day is None or EARLIEST <= day <= LATEST for _, day in _problem_dates(entry)):
                yield from _check_problem_dates(entry, ("projects", i, "problems", j))


def _check_problem_dates(entry: ProblemEntry, here: Loc) -> Iterator[Finding]:
    """Nothing before ``raised``; ``closed`` after ``solved``; extensions and reopenings in date
    order; a reopening after the dates it keeps, and the dates that follow it after it."""
    raised = entry.raised

    def before_raised(loc: Loc, day: date) -> Finding:
        return (*here, *loc), "error", "problem_before_raised", {"date": day, "raised": raised}

    if entry.due < raised:
        yield before_raised(("due",), entry.due)
    for k, update in enumerate(entry.updates):
        if update.on < raised:
            yield before_raised(("updates", k, "on"), update.on)

    deadline, previous = entry.due, None
    for k, extension in enumerate(entry.extensions):
        at: Loc = ("extensions", k)
        if extension.on < raised:
            yield before_raised((*at, "on"), extension.on)
        elif previous is not None and extension.on < previous:
            params: dict[str, object] = {"date": extension.on, "previous": previous}
            yield (*here, *at, "on"), "error", "extensions_out_of_order", params
        elif entry.closed is not None and extension.on > entry.closed:  # reopened since? then `closed` moved
            params = {"date": extension.on, "closed": entry.closed}
            yield (*here, *at, "on"), "error", "extension_after_closed", params
        if extension.due < extension.on:
            params = {"due": extension.due, "on": extension.on}
            yield (*here, *at, "due"), "error", "extension_due_before_on", params
        elif extension.due <= deadline:
            yield (*here, *at, "due"), "warning", "extension_not_later", {"due": extension.due, "previous": deadline}
        previous, deadline = max(previous or extension.on, extension.on), extension.due

    # Dates kept by a reopening were set after the reopening before it, and before its own day.
    reopened: date | None = None
    for k, reopening in enumerate(entry.reopenings):
        at = ("reopenings", k)
        if reopening.on < raised:
            yield before_raised((*at, "on"), reopening.on)
        elif reopened is not None and reopening.on < reopened:
            params = {"date": reopening.on, "previous": reopened}
            yield (*here, *at, "on"), "error", "reopenings_out_of_order", params
        yield from _solved_and_closed(here + at, reopening.solved, reopening.closed, raised, reopened, reopening.on)
        reopened = max(reopened or reopening.on, reopening.on)
    yield from _solved_and_closed(here, entry.solved, entry.closed, raised, reopened, None)


def _solved_and_closed(
    here: Loc, solved: date | None, closed: date | None, raised: date, reopened: date | None, until: date | None
) -> Iterator[Finding]:
    """A problem's ``solved`` and ``closed``, or those a reopening on ``until`` keeps: on or after
    ``raised`` and the latest reopening before them, ``closed`` on or after ``solved``, and what a
    reopening keeps no later than the reopening. A problem closed unsolved is a warning."""
    for key, day in (("solved", solved), ("closed", closed)):
        if day is None:
            continue
        if day < raised:
            yield (*here, key), "error", "problem_before_raised", {"date": day, "raised": raised}
        elif reopened is not None and day < reopened:
            yield (*here, key), "error", "problem_date_before_reopening", {"date": day, "on": reopened}
        elif until is not None and day > until:
            yield (*here, key), "error", "reopening_before_kept", {"date": day, "on": until}
        elif key == "closed" and solved is not None and day < solved:
            yield (*here, key), "error", "problem_closed_before_solved", {"closed": day, "solved": solved}
    if closed is not None and solved is None and until is None:
        yield (*here, "closed"), "warning", "problem_closed_unsolved", {"closed": closed}


def _check_ranking(portfolio: Portfolio) -> Iterator[Finding]:
    """``[ranking] weights``: at least one metric must count."""
    weights = portfolio.ranking.weights
    if not any((weights.nodes, weights.invest, weights.problems, weights.reports, weights.inspection)):
        yield ("ranking", "weights"), "error", "ranking_weights_zero", {}


def _check_inspections(portfolio: Portfolio) -> Iterator[Finding]:
    """``[[inspections]]``: a date in range and exactly one of ``unit`` and ``project``, a known id."""
    units = {u.id: u.name for u in portfolio.units}
    projects = {p.id: p.name for p in portfolio.projects}
    for i, inspection in enumerate(portfolio.inspections):
        here: Loc = ("inspections", i)
        if not EARLIEST <= inspection.on <= LATEST:
            params: dict[str, object] = {"date": inspection.on, "first": EARLIEST, "last": LATEST}
            yield (*here, "on"), "error", "date_out_of_range", params
        if inspection.unit is not None and inspection.project is not None:
            yield (*here, "project"), "error", "inspection_unit_and_project", {}
        elif inspection.unit is None and inspection.project is None:
            yield here, "error", "inspection_no_subject", {"date": inspection.on}
        elif inspection.unit is not None and inspection.unit not in units:
            yield _unknown((*here, "unit"), inspection.unit, units, "unit", "[[units]]")
        elif inspection.project is not None and inspection.project not in projects:
            yield _unknown((*here, "project"), inspection.project, projects, "project", "[[projects]]")


# -- chat robots (issue 14) ----------------------------------------------------------------------

CHANNEL_NAME = re.compile(r"[a-z0-9-]+", re.ASCII)
# keys that would hold the webhook's URL or secret itself: refused where they stand, like [smtp] password
_CHANNEL_SECRETS = ("url", "secret", "webhook", "token", "access_token", "key")
_MOBILE = re.compile(r"\+?[0-9][0-9 -]{2,18}[0-9]", re.ASCII)
_SECRET_TEXT = re.compile(r"SEC[0-9a-f]{32,}")  # a DingTalk signing secret


def channel_env(name: str, what: str) -> str:
    """``SANSHI_CHANNEL_PMO_GROUP_URL``: the channel's name upper-cased, ``-`` as ``_``."""
    return f"SANSHI_CHANNEL_{name.upper().replace('-', '_')}_{what}"


def _channel_secret(name: str, key: str) -> dict[str, object]:
    secret = key in ("secret",)
    return {
        "key": key,
        "what": Msg("channel_what_secret" if secret else "channel_what_url"),
        "file_key": "secret_file" if secret else "url_file",
        "env": channel_env(name, "SECRET" if secret else "URL"),
    }


def _check_channels(portfolio: Portfolio) -> Iterator[Finding]:
    """``[channels.<name>]``: names, no URL or secret written in the file, references, mobiles."""
    names = {name: name for name in portfolio.channels}
    for name, channel in portfolio.channels.items():
        at: Loc = ("channels", name)
        if not CHANNEL_NAME.fullmatch(name):
            yield at, "error", "channel_bad_name", {"name": one_line(name)}
            continue
        if channel.url_file is not None and re.match(r"\s*https?://", channel.url_file, re.IGNORECASE):
            yield (*at, "url_file"), "error", "channel_secret_in_file", _channel_secret(name, "url_file")
        if channel.secret_file is not None and _SECRET_TEXT.search(channel.secret_file):
            yield (*at, "secret_file"), "error", "channel_secret_in_file", _channel_secret(name, "secret_file")
    refs: list[tuple[Loc, list[str]]] = [(("alerts", "pmo_channels"), portfolio.alerts.pmo_channels)]
    refs += [(("units", i, "channels"), unit.channels) for i, unit in enumerate(portfolio.units)]
    refs += [(("people", i, "channels"), person.channels) for i, person in enumerate(portfolio.people)]
    for loc, values in refs:
        for value in values:
            if value not in names:
                yield _unknown(loc, value, names, "channel", "[channels.<name>]")
    for i, person in enumerate(portfolio.people):
        if person.mobile is not None and not _MOBILE.fullmatch(person.mobile):
            yield ("people", i, "mobile"), "error", "bad_mobile", {"value": one_line(person.mobile)}
        if person.feishu_open_id is not None and not re.fullmatch(r"ou_[0-9a-zA-Z_-]+", person.feishu_open_id):
            yield ("people", i, "feishu_open_id"), "warning", "bad_open_id", {"value": one_line(person.feishu_open_id)}


def _check_channel_files(portfolio: Portfolio, base: Path) -> Iterator[Finding]:
    """A ``url_file`` or ``secret_file`` that does not exist: a warning (``check`` reads no secret)."""
    for name, channel in portfolio.channels.items():
        files = (("url_file", channel.url_file, "URL"), ("secret_file", channel.secret_file, "SECRET"))
        for key, path_text, what in files:
            if path_text is None or not CHANNEL_NAME.fullmatch(name) or re.match(r"\s*https?://", path_text):
                continue
            path = Path(path_text).expanduser()
            path = path if path.is_absolute() else base / path
            if not path.exists():
                params: dict[str, object] = {
                    "channel": name,
                    "key": key,
                    "path": str(path),
                    "env": channel_env(name, what),
                }
                yield ("channels", name, key), "warning", "channel_file_missing", params


# -- end of chat robots ---------------------------------------------------------------------------


_CHECKS: list[Callable[[Portfolio], Iterator[Finding]]] = [
    _check_timezone,
    _check_unique_ids,
    _check_references,
    _check_date_range,
    _check_spans,
    _check_milestone_dates,
    _check_emails,
    _check_notices,
    _check_targets,
    _check_smtp,
    _check_reports,
    _check_lag_points,
    _check_escalate_to,
    _check_problems,
    # -- chat robots (issue 14)
    _check_channels,
    # -- the unit ranking (issue 12)
    _check_ranking,
    _check_inspections,
]


def _check_counted(
    portfolio: Portfolio, due: dict[str, dict[str, date]]
) -> Iterator[tuple[Loc, str, dict[str, object]]]:
    """A date counted along a chain of offsets must stay within the years a plan may hold.

    The milestones counted from such a date have none (see :func:`resolve_due_dates`): this
    one problem stops the load before anything needs their dates.
    """
    for i, project in enumerate(portfolio.projects):
        dates = due[project.id]
        if not dates or min(dates.values()) >= EARLIEST and max(dates.values()) <= LATEST:
            continue  # the common case, looked at in C
        for j, milestone in enumerate(project.milestones):
            day = dates.get(milestone.id)
            if day is not None and not EARLIEST <= day <= LATEST:
                params: dict[str, object] = {"date": day, "first": EARLIEST, "last": LATEST}
                yield ("projects", i, "milestones", j, "offset"), "counted_out_of_range", params


def _check_progress(
    portfolio: Portfolio, due: dict[str, dict[str, date]]
) -> Iterator[tuple[Loc, str, dict[str, object]]]:
    """Planned progress must rise with the due date."""
    for i, project in enumerate(portfolio.projects):
        dates = due[project.id]
        marks = [(dates[m.id], j, m.progress, m.id) for j, m in enumerate(project.milestones) if m.progress is not None]
        highest: tuple[float, str] | None = None
        marks.sort()  # by date, then by place (each place is unique: the rest is never compared)
        for _, j, progress, ident in marks:
            assert progress is not None
            if highest is not None and progress < highest[0]:
                yield (
                    ("projects", i, "milestones", j, "progress"),
                    "progress_decreasing",
                    {
                        "value": number_text(progress),
                        "other": one_line(highest[1]),
                        "other_value": number_text(highest[0]),
                    },
                )
            else:
                highest = (progress, ident)


def _check_scheduled(
    portfolio: Portfolio, due: dict[str, dict[str, date]], calendar: WorkCalendar, today: date | None
) -> Iterator[Finding]:
    """Warnings that need the computed due dates: rest days, outside the span, done in the future."""
    workday: dict[date, bool] = {}  # a few thousand days among 80,000 milestones
    for i, project in enumerate(portfolio.projects):
        dates = due[project.id]
        start, finish = project.start, project.finish
        for j, milestone in enumerate(project.milestones):
            day = dates[milestone.id]
            working = workday.get(day)
            if working is None:
                working = workday[day] = calendar.is_workday(day)
            done = milestone.done
            if working and start <= day <= finish and (today is None or done is None or done <= today):
                continue  # the common case: nothing to say
            here: Loc = ("projects", i, "milestones", j)
            key = "due" if milestone.due is not None else "offset"
            if not calendar.is_workday(day):
                weekday = Msg(f"weekday_{day.weekday()}")
                yield (*here, key), "warning", "due_on_rest_day", {"date": day, "weekday": weekday}
            if day < project.start or day > project.finish:
                yield (
                    (*here, key),
                    "warning",
                    "milestone_outside_span",
                    {
                        "date": day,
                        "start": project.start,
                        "finish": project.finish,
                    },
                )
            if today is not None and milestone.done is not None and milestone.done > today:
                yield (*here, "done"), "warning", "done_in_future", {"date": milestone.done, "today": today}
        for j, report in enumerate(project.reports):
            if today is not None and report.on > today:
                yield (
                    ("projects", i, "reports", j, "on"),
                    "warning",
                    "report_in_future",
                    {"date": report.on, "today": today},
                )
        for j, entry in enumerate(project.problems):
            if today is None:
                break
            here = ("projects", i, "problems", j)
            if entry.raised > today:  # status, as of today, does not list it yet
                yield (*here, "raised"), "warning", "problem_raised_in_future", {"date": entry.raised, "today": today}
                continue
            for key, when in (("solved", entry.solved), ("closed", entry.closed)):
                if when is not None and when > today:
                    yield (*here, key), "warning", "problem_date_in_future", {"date": when, "today": today}


# -- text that looks other than it is -------------------------------------------------------------

_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200d\u2028-\u202e\u2060\u2066-\u2069\ufeff]")
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")


def _named_texts(portfolio: Portfolio) -> Iterator[tuple[Loc, str | None, bool]]:
    """Every id, name and title in the file: (where, text, whether a line break is allowed in it).

    A project whose texts are all printable is passed over whole: every suspect character is
    unprintable, and most of 80,000 milestones have none.
    """
    yield ("settings", "title"), portfolio.settings.title, False
    tables: tuple[tuple[str, Sequence[Unit | Person]], ...] = (("units", portfolio.units), ("people", portfolio.people))
    for table, entries in tables:
        for i, entry in enumerate(entries):
            yield (table, i, "id"), entry.id, False
            yield (table, i, "name"), entry.name, True
            yield (table, i, "short"), entry.short, False
            if isinstance(entry, Person):
                yield (table, i, "title"), entry.title, False
    for i, project in enumerate(portfolio.projects):
        texts = [project.id, project.name, *(f"{m.id}{m.name}{m.stage or ''}" for m in project.milestones)]
        texts += [m.target for m in project.monthly] + [w.target for w in project.weekly]
        texts += [f"{e.id}{e.text}{e.category or ''}" for e in project.problems]
        if "".join(texts).isprintable():
            continue
        yield ("projects", i, "id"), project.id, False
        yield ("projects", i, "name"), project.name, True
        for j, milestone in enumerate(project.milestones):
            yield ("projects", i, "milestones", j, "id"), milestone.id, False
            yield ("projects", i, "milestones", j, "name"), milestone.name, True
            yield ("projects", i, "milestones", j, "stage"), milestone.stage, False
        for j, month in enumerate(project.monthly):
            yield ("projects", i, "monthly", j, "target"), month.target, True
        for j, week in enumerate(project.weekly):
            yield ("projects", i, "weekly", j, "target"), week.target, True
        for j, problem in enumerate(project.problems):
            yield ("projects", i, "problems", j, "id"), problem.id, False
            yield ("projects", i, "problems", j, "text"), problem.text, True
            yield ("projects", i, "problems", j, "category"), problem.category, False


def _check_text(portfolio: Portfolio) -> Iterator[Finding]:
    """Warnings about ids and names that look other than they are: control characters (shown as
    escapes), bidirectional overrides and isolates, invisible characters, and ids of one table
    that are the same after NFKC normalisation and case folding (``ＪＳＪ``, ``jsj``)."""
    import unicodedata

    for loc, text, lines in _named_texts(portfolio):
        if not text or text.isprintable():  # every suspect character is unprintable: most texts stop here
            continue
        said: set[str] = set()
        for char in _SUSPECT.findall(text.replace("\r\n", "\n") if lines else text):
            if lines and char == "\n":
                continue
            kind = "text_bidi" if char in _BIDI else "text_invisible" if char in _INVISIBLE else "text_control"
            if kind not in said:  # one line per kind of trouble in a value
                said.add(kind)
                shown = visible(char) if char not in _INVISIBLE else f"\\u{ord(char):04x}"
                yield loc, "warning", kind, {"char": shown, "name": unicodedata.name(char, "").lower()}

    def folded(ident: str) -> str:
        return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", ident).casefold())

    def confusable(items: Iterable[tuple[Loc, str]], what: str) -> Iterator[Finding]:
        seen: dict[str, tuple[Loc, str]] = {}
        for loc, ident in items:
            key = ident if ident.isascii() and ident.islower() else folded(ident)
            if key in seen and seen[key][1] != ident:  # the very same id twice is an error already
                first, other = seen[key]
                params = {"kind": Msg(f"kind_{what}"), "id": one_line(ident), "other": one_line(other),
                          "first": _LineOf(first)}  # fmt: skip
                yield loc, "warning", "id_confusable", params
            seen.setdefault(key, (loc, ident))

    yield from confusable(((("units", i, "id"), u.id) for i, u in enumerate(portfolio.units)), "unit")
    yield from confusable(((("people", i, "id"), p.id) for i, p in enumerate(portfolio.people)), "person")
    # Ids in ASCII without capitals are their own folded form: no two of them can be confused.
    ids = "".join([p.id for p in portfolio.projects])
    projects = () if ids.isascii() and ids.lower() == ids else portfolio.projects
    yield from confusable(((("projects", i, "id"), p.id) for i, p in enumerate(projects)), "project")
    ids = "".join([m.id for p in portfolio.projects for m in p.milestones])
    for i, project in enumerate(() if ids.isascii() and ids.lower() == ids else portfolio.projects):
        milestones = ((("projects", i, "milestones", j, "id"), m.id) for j, m in enumerate(project.milestones))
        yield from confusable(milestones, "milestone")
    problems = ((("projects", i, "problems", j, "id"), e.id) for i, p in enumerate(portfolio.projects)
                for j, e in enumerate(p.problems))  # fmt: skip
    yield from confusable(problems, "problem")


def number_text(value: float) -> str:
    """A number as the file would show it: ``35``, not ``35.0``; ``27.5`` as it is."""
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass(frozen=True, slots=True)
class _LineOf:
    """The line of another place in the file, filled in by :class:`_Located`."""

    loc: Loc
