"""An existing key-project ledger (台账) in Excel, read into a starter project file (``sanshi import``).

A PMO's ledger is a sheet of projects (one per row) or of nodes (one milestone per row, the
project's name repeated or merged down). Headers are matched by the names real ledgers use
(:data:`SYNONYMS`), with a unit or a year embedded (``总投资（亿元）``, ``2026年度计划投资（万元）``), or
by a map the PMO writes. Units and people are made from the names found, in order of first
appearance (``unit-01``, ``person-01``); projects are ``p-001``, … Cells are read by
:mod:`sanshi_cli.cellvalues`: amounts become 万元, typed dates dates.

Nothing here decides what is printed or written: :func:`read_ledger` returns an :class:`Imported`
(the project file's data, what mapped to what, the defaults applied, the rows ignored and the
rows invalid), and :func:`starter_text` the TOML text of a readable starter file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from sanshi_cli.cellvalues import CellError, header_unit, parse_amount, parse_day
from sanshi_cli.errors import Msg, Problem, SanshiError
from sanshi_cli.i18n import Lang, label, one_line

# What a column can hold, and the headers seen in real ledgers for each (compared without
# spaces, units or a leading year: "2026年度计划投资（万元）" is "年度计划投资").
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("项目名称", "项目", "项目名", "工程名称", "工程项目名称"),
    "responsible_unit": ("责任单位", "项目责任单位", "建设单位", "实施单位", "业主单位", "承办单位"),
    "lead_unit": ("牵头单位", "牵头部门", "牵头责任单位"),
    "cooperating_units": ("协作单位", "配合单位", "协助单位", "协办单位"),
    "leader": ("分包领导", "分包区领导", "责任领导", "分包县级领导", "联系领导", "包抓领导", "分包县领导"),
    "start": ("计划开工", "开工时间", "计划开工时间", "开工日期", "计划开工日期"),
    "finish": ("计划竣工", "竣工时间", "计划竣工时间", "竣工日期", "计划竣工日期", "计划完工时间", "完工时间"),
    "total_investment": ("总投资", "计划总投资", "项目总投资"),
    "annual_investment": ("年度计划投资", "年度投资计划", "计划投资", "年计划投资", "年度投资"),
    "milestone": ("工作任务", "节点内容", "节点名称", "节点任务", "工作节点", "节点"),
    "due": ("时间节点", "完成时限", "节点时间", "截止时间", "计划完成时间", "时限", "节点时限"),
    "done": ("实际完成时间", "实际完成日期", "完成日期", "交账日期"),
    "stage": ("阶段", "节点阶段", "所属阶段"),
    "note": (
        "形象进度", "工程进度", "存在问题", "备注", "建设内容", "建设内容及规模", "建设规模及内容", "完成情况",
        "进展情况", "项目进展",
    ),
}  # fmt: skip
KEYS = (*SYNONYMS, "ignore")
DATE_KEYS = frozenset({"start", "finish", "due", "done"})
AMOUNT_KEYS = frozenset({"total_investment", "annual_investment"})
UNIT_KEYS = frozenset({"responsible_unit", "lead_unit", "cooperating_units"})
HEADER_SCAN = 30  # the header row is looked for among the first rows
_SEPARATORS = re.compile(r"[、，,；;/／\n]+")
_TOTALS = re.compile(r"^(合\s*计|总\s*计|小\s*计)")
_SECTION = re.compile(r"^([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])")

Mode = Literal["projects", "nodes"]


@dataclass(frozen=True, slots=True)
class LedgerMap:
    """A ``--map`` file: the header row (1-based; None: found) and header texts mapped to keys."""

    header_row: int | None = None
    columns: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ColumnMatch:
    """One header cell and what it was read as."""

    column: int  # 1-based
    header: str
    key: str | None  # None: not mapped
    unit: str | None = None  # 万元 / 亿元 / 元, for an amount
    year: int | None = None  # the year a 年度计划投资 header names

    @property
    def letter(self) -> str:
        return column_letter(self.column)


@dataclass(frozen=True, slots=True)
class Ignored:
    """A row that is not read: ``reason`` is ``blank``, ``totals`` or ``section``."""

    row: int
    reason: str
    text: str = ""


@dataclass
class Imported:
    """What :func:`read_ledger` found: the data of a project file and how it was made."""

    sheet: str
    title: str | None
    mode: Mode
    header_row: int
    columns: list[ColumnMatch]
    data: dict[str, Any]
    rows: dict[str, list[int]]  # project id -> the rows it came from
    defaults: list[tuple[str, int]]  # (message key, how many projects) of each default applied
    ignored: list[Ignored]
    invalid: list[Problem]


def column_letter(index: int) -> str:
    """``1`` → ``A``, ``28`` → ``AB`` (openpyxl's rule, without importing it)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# -- the workbook -------------------------------------------------------------------------------


def refuse_unreadable(raw: bytes, display: str) -> None:
    """An ``.xls``/``.et`` file or an encrypted workbook is refused with what to do; a zip passes."""
    from sanshi_cli.workbook import refusal

    why = refusal(raw)
    if why is not None:
        raise SanshiError.single(f"import_{why}", path=display)


def load_rows(raw: bytes, display: str, sheet: str | None) -> tuple[str, list[list[object]]]:
    """The chosen sheet's name and its cell values, merged ranges filled with their first cell's value."""
    import io
    import zipfile

    from openpyxl import load_workbook

    refuse_unreadable(raw, display)
    try:
        book = load_workbook(io.BytesIO(raw), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise SanshiError.single("import_unreadable", path=display, reason=one_line(str(error))) from None
    names = book.sheetnames
    if sheet is not None and sheet not in names:
        raise SanshiError.single("import_no_sheet", path=display, sheet=one_line(sheet), sheets="、".join(names))
    found = book[sheet if sheet is not None else names[0]]
    rows: list[list[object]] = [list(r) for r in found.iter_rows(values_only=True)]
    width = max((len(r) for r in rows), default=0)
    rows = [r + [None] * (width - len(r)) for r in rows]
    for merged in getattr(found, "merged_cells", None) or ():
        top = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(rows) else None
        for r in range(merged.min_row, min(merged.max_row, len(rows)) + 1):
            for c in range(merged.min_col, min(merged.max_col, width) + 1):
                rows[r - 1][c - 1] = top
    return found.title, rows


# -- headers ------------------------------------------------------------------------------------


def match_header(text: str) -> tuple[str | None, str | None, int | None]:
    """The key a header means (None: unknown), its unit and its year."""
    bare, unit, year = header_unit(text)
    for key, names in SYNONYMS.items():
        if bare in names:
            return key, unit, year
    return None, unit, year


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def find_header(rows: Sequence[Sequence[object]], mapped: Mapping[str, str] | None = None) -> int | None:
    """The 1-based row among the first :data:`HEADER_SCAN` that names the most known columns, the
    project's name among them (at least two); None when there is none. ``mapped`` (a map's
    columns) names headers too."""
    wanted = {re.sub(r"\s+", "", k): v for k, v in (mapped or {}).items()}
    best, best_row = 1, None
    for index, row in enumerate(rows[:HEADER_SCAN], start=1):
        texts = [_text(v) for v in row if _text(v)]
        keys = [wanted.get(re.sub(r"\s+", "", t)) or match_header(t)[0] for t in texts]
        known = len({k for k in keys if k is not None})
        if "name" in keys and known > best:
            best, best_row = known, index
    return best_row


def map_columns(header: Sequence[object], ledger_map: LedgerMap, display: str) -> list[ColumnMatch]:
    """Each non-empty header cell and its key: the map's first, else the synonyms'."""
    wanted = {re.sub(r"\s+", "", k): v for k, v in ledger_map.columns.items()}
    matches: list[ColumnMatch] = []
    seen: set[str] = set()
    for column, value in enumerate(header, start=1):
        text = _text(value)
        if not text:
            continue
        key, unit, year = match_header(text)
        spelled = re.sub(r"\s+", "", text)
        if spelled in wanted:
            key = wanted[spelled]
            seen.add(spelled)
        if key == "ignore":
            key = None
        matches.append(ColumnMatch(column, text, key, unit, year))
    missing = [k for k in wanted if k not in seen]
    if missing:
        raise SanshiError.single("import_map_header_missing", path=display, headers="、".join(missing))
    return matches


def parse_map(data: Mapping[str, Any], display: str) -> LedgerMap:
    """A ``--map`` file's parsed TOML: ``header_row`` and a ``[columns]`` table of ``"表头" = "key"``."""
    problems: list[Problem] = []
    for key in data:
        if key not in ("header_row", "columns"):
            problems.append(Problem("import_map_unknown_key", {"key": one_line(str(key))}, path=display))
    header_row = data.get("header_row")
    if header_row is not None and (isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1):
        problems.append(Problem("import_map_bad_header_row", {"value": one_line(str(header_row))}, path=display))
    columns = data.get("columns", {})
    if not isinstance(columns, dict):
        problems.append(Problem("import_map_bad_columns", {}, path=display))
        columns = {}
    for header, key in columns.items():
        if key not in KEYS:
            params: dict[str, object] = {"header": one_line(str(header)), "value": one_line(str(key))}
            params["keys"] = ", ".join(KEYS)
            problems.append(Problem("import_map_bad_key", params, path=display))
    if problems:
        raise SanshiError(problems)
    return LedgerMap(header_row if isinstance(header_row, int) else None, {str(k): str(v) for k, v in columns.items()})


# -- rows ---------------------------------------------------------------------------------------


@dataclass
class _Row:
    """One data row's values by key (text, dates, amounts), and its notes."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    annual: dict[int | None, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)  # unit names in the order the row names them
    people: list[str] = field(default_factory=list)


def _names(text: str) -> list[str]:
    return [n.strip() for n in _SEPARATORS.split(text) if n.strip()]


def _ignored(number: int, row: Sequence[object], columns: Sequence[ColumnMatch]) -> Ignored | None:
    texts = [_text(v) for v in row]
    filled = [t for t in texts if t]
    if not filled:
        return Ignored(number, "blank")
    if any(_TOTALS.match(t) for t in filled[:3]):
        return Ignored(number, "totals", filled[0])
    if len(set(filled)) == 1 and _SECTION.match(filled[0]):
        return Ignored(number, "section", filled[0])
    return None


def read_row(
    number: int, row: Sequence[object], columns: Sequence[ColumnMatch], sheet: str, near: date, display: str
) -> tuple[_Row, list[Problem]]:
    """A data row's values by key; each cell that cannot be read is one problem naming its address."""
    from sanshi_cli.scheduling import EARLIEST, LATEST

    found = _Row(number)
    problems: list[Problem] = []
    params: dict[str, object]
    for match in columns:
        if match.key is None:
            continue
        value = row[match.column - 1] if match.column - 1 < len(row) else None
        cell = f"{sheet}!{match.letter}{number}"
        try:
            if match.key in DATE_KEYS:
                day = parse_day(value, near=near)
                if day is not None and not EARLIEST <= day <= LATEST:  # what the project file allows
                    detail = Msg("date_out_of_range", {"date": day, "first": EARLIEST, "last": LATEST})
                    params = {"cell": cell, "header": match.header, "detail": detail}
                    problems.append(Problem("import_bad_cell", params, path=display))
                elif day is not None:
                    found.values.setdefault(match.key, day)
            elif match.key in AMOUNT_KEYS:
                amount = parse_amount(value, unit=match.unit or "万元")
                if amount is not None:
                    if match.key == "annual_investment":
                        found.annual[match.year] = amount
                    else:
                        found.values.setdefault(match.key, amount)
            else:
                text = _text(value)
                if not text:
                    continue
                if match.key == "note":
                    found.notes.append(f"{match.header}：{text}")
                elif match.key in UNIT_KEYS:
                    names = _names(text)
                    found.values.setdefault(match.key, names)
                    found.units.extend(names)
                elif match.key == "leader":
                    names = _names(text)
                    found.values.setdefault("leader", names)
                    found.people.extend(names[:1])
                else:
                    found.values.setdefault(match.key, text)
        except CellError as error:
            params = {"cell": cell, "header": match.header, "detail": Msg(error.key, error.params)}
            problems.append(Problem("import_bad_cell", params, path=display))
    return found, problems


# -- the whole sheet ----------------------------------------------------------------------------


def read_ledger(
    raw: bytes,
    display: str,
    *,
    sheet: str | None = None,
    ledger_map: LedgerMap | None = None,
    near: date,
    lang: Lang = "zh",
) -> Imported:
    """Read a ledger workbook into a project file's data; ``near`` places dates typed without a year,
    ``lang`` names the placeholder unit and person made where the ledger names none."""
    ledger_map = ledger_map or LedgerMap()
    name, rows = load_rows(raw, display, sheet)
    header_row = ledger_map.header_row or find_header(rows, ledger_map.columns)
    if header_row is None or header_row > len(rows):
        params: dict[str, object] = {"sheet": one_line(name), "names": "、".join(SYNONYMS["name"][:2])}
        raise SanshiError.single("import_no_header", path=display, **params)
    columns = map_columns(rows[header_row - 1], ledger_map, display)
    keys = {c.key for c in columns}
    if "name" not in keys:
        raise SanshiError.single("import_no_name_column", path=display, row=header_row, sheet=one_line(name))
    mode: Mode = "nodes" if "milestone" in keys else "projects"
    title = next((t for r in rows[: header_row - 1] for v in r if (t := _text(v))), None)
    ignored: list[Ignored] = []
    invalid: list[Problem] = []
    records: list[_Row] = []
    last = max((i for i, r in enumerate(rows, start=1) if any(_text(v) for v in r)), default=0)
    for number in range(header_row + 1, last + 1):
        row = rows[number - 1]
        skipped = _ignored(number, row, columns)
        if skipped is not None:
            ignored.append(skipped)
            continue
        record, problems = read_row(number, row, columns, name, near, display)
        unread = {c.key for c in columns if any(p.params.get("header") == c.header for p in problems)}
        missing = [k for k in _required(mode) if k not in record.values and k not in unread]
        if missing:
            what = "、".join(f"{SYNONYMS[k][0]} ({k})" for k in missing)
            problems.append(Problem("import_row_missing", {"row": number, "sheet": name, "keys": what}, path=display))
        start, finish = record.values.get("start"), record.values.get("finish")
        if start is not None and finish is not None and finish < start:
            params = {"row": number, "sheet": name, "start": start, "finish": finish}
            problems.append(Problem("import_row_finish_before_start", params, path=display))
        if problems:
            invalid.extend(problems)
            continue
        records.append(record)
    builder = _Builder(mode, lang)
    for record in records:
        builder.add(record)
    data: dict[str, Any] = {}
    if title:
        data["settings"] = {"title": title}
    data.update(builder.finish())
    defaults = sorted(builder.defaults.items(), key=lambda kv: list(builder.defaults).index(kv[0]))
    return Imported(name, title, mode, header_row, columns, data, builder.rows, defaults, ignored, invalid)


def _required(mode: Mode) -> tuple[str, ...]:
    return ("name", "milestone", "due") if mode == "nodes" else ("name", "start", "finish")


class _Builder:
    """Projects, units and people from valid rows, ids in order of first appearance."""

    def __init__(self, mode: Mode, lang: Lang) -> None:
        self.mode = mode
        self.lang = lang
        self.units: dict[str, str] = {}  # name -> id
        self.people: dict[str, str] = {}
        self.projects: dict[str, dict[str, Any]] = {}  # name -> project table
        self.rows: dict[str, list[int]] = {}
        self.spans: dict[str, list[date]] = {}  # a node sheet's project: its nodes' dates
        self.defaults: dict[str, int] = {}

    def unit(self, name: str) -> str:
        return self.units.setdefault(name, f"unit-{len(self.units) + 1:02d}")

    def person(self, name: str) -> str:
        return self.people.setdefault(name, f"person-{len(self.people) + 1:02d}")

    def applied(self, key: str) -> None:
        self.defaults[key] = self.defaults.get(key, 0) + 1

    def add(self, record: _Row) -> None:
        for name in record.units:  # ids in the order the ledger names them
            self.unit(name)
        for name in record.people:
            self.person(name)
        values = record.values
        name = str(values["name"])
        project = self.projects.get(name)
        if project is None:
            project = self.projects[name] = {"id": f"p-{len(self.projects) + 1:03d}", "name": name}
            self.rows[project["id"]] = []
            self.spans[name] = []
        self.rows[project["id"]].append(record.number)
        responsible = values.get("responsible_unit") or []
        leaders = values.get("leader") or []
        if "leader" not in project and leaders:
            project["leader"] = self.person(leaders[0])
        if "responsible_unit" not in project and responsible:
            project["responsible_unit"] = self.unit(responsible[0])
            others = [self.unit(n) for n in responsible[1:]]
            if others:
                project.setdefault("cooperating_units", [])
                project["cooperating_units"] += [u for u in others if u not in project["cooperating_units"]]
        if "lead_unit" not in project and values.get("lead_unit"):
            project["lead_unit"] = self.unit(values["lead_unit"][0])
        for unit in (self.unit(n) for n in values.get("cooperating_units") or []):
            project.setdefault("cooperating_units", [])
            if unit not in project["cooperating_units"]:
                project["cooperating_units"].append(unit)
        for key in ("start", "finish", "total_investment"):
            if key not in project and key in values:
                project[key] = values[key]
        if record.annual and "annual_investment" not in project:
            if list(record.annual) == [None]:
                project["annual_investment"] = record.annual[None]
            else:
                project["annual_investment"] = {str(y): a for y, a in record.annual.items() if y is not None}
        notes = record.notes
        if self.mode == "nodes":
            self._milestone(project, record, responsible)
            return
        if len(leaders) > 1:
            notes = [*notes, f"{SYNONYMS['leader'][0]}：{'、'.join(leaders)}"]
        if notes:
            project["note"] = "\n".join(notes)

    def _milestone(self, project: dict[str, Any], record: _Row, units: list[str]) -> None:
        values = record.values
        milestones = project.setdefault("milestones", [])
        milestone: dict[str, Any] = {"id": f"m-{len(milestones) + 1:02d}", "name": str(values["milestone"])}
        if "stage" in values:
            milestone["stage"] = str(values["stage"])
        milestone["due"] = values["due"]
        self.spans[project["name"]].append(values["due"])
        if "done" in values:
            milestone["done"] = values["done"]
        if units:
            milestone["_unit"] = self.unit(units[0])
        if record.notes:
            milestone["note"] = "；".join(record.notes)
        milestones.append(milestone)

    def finish(self) -> dict[str, Any]:
        projects = []
        placeholder_unit = placeholder_person = None
        for project in self.projects.values():
            milestones = project.get("milestones", [])
            units = [m["_unit"] for m in milestones if "_unit" in m]
            if "responsible_unit" not in project and units:
                project["responsible_unit"] = units[0]
            if "responsible_unit" not in project:
                if "lead_unit" in project:
                    project["responsible_unit"] = project["lead_unit"]
                    self.applied("import_default_responsible_is_lead")
                else:
                    placeholder_unit = placeholder_unit or self.unit(label("import_unit_placeholder", self.lang))
                    project["responsible_unit"] = placeholder_unit
                    self.applied("import_default_unit_placeholder")
            if "lead_unit" not in project:
                project["lead_unit"] = project["responsible_unit"]
                self.applied("import_default_lead_is_responsible")
            if "leader" not in project:
                placeholder_person = placeholder_person or self.person(label("import_person_placeholder", self.lang))
                project["leader"] = placeholder_person
                self.applied("import_default_leader_placeholder")
            for m in milestones:
                owner = m.pop("_unit", None)
                if owner is not None and owner != project["responsible_unit"]:
                    m["owner"] = owner
            days = self.spans.get(project["name"]) or []
            if "start" not in project and days:
                project["start"] = min(days)
                self.applied("import_default_start_first_node")
            if "finish" not in project and days:
                project["finish"] = max(days)
                self.applied("import_default_finish_last_node")
            projects.append(_ordered(project))
        return {
            "units": [{"id": i, "name": n} for n, i in self.units.items()],
            "people": [{"id": i, "name": n} for n, i in self.people.items()],
            "projects": projects,
        }


_PROJECT_ORDER = (
    "id", "name", "leader", "lead_unit", "responsible_unit", "cooperating_units", "start", "finish",
    "total_investment", "annual_investment", "note", "milestones",
)  # fmt: skip


def _ordered(project: dict[str, Any]) -> dict[str, Any]:
    return {k: project[k] for k in _PROJECT_ORDER if k in project}


# -- the starter file ---------------------------------------------------------------------------


def toml_value(value: object) -> str:
    """A TOML value: strings as basic strings (controls and DEL escaped), dates bare, numbers plain."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(round(value, 4))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml_value(str(k))} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(type(value))


def starter_text(imported: Imported, source: str, lang: Lang) -> str:
    """The project file as a readable starter: a comment header, units, people, then each project
    with the ledger rows it came from."""
    data = imported.data
    names = {u["id"]: u["name"] for u in data["units"]} | {p["id"]: p["name"] for p in data["people"]}
    lines = ["# " + "=" * 76]
    lines.append("# " + label("import_file_head", lang, source=one_line(source), sheet=one_line(imported.sheet)))
    lines.append("# " + label("import_file_check", lang))
    if imported.defaults:
        lines.append("# " + label("import_file_defaults", lang))
        for key, n in imported.defaults:
            lines.append("#   - " + label(key, lang) + label("import_file_times", lang, n=n))
    lines.append("# " + "=" * 76)
    lines.append("")
    lines.append("[settings]")
    if imported.title:
        lines.append(f"title = {toml_value(imported.title)}")
    lines.append(f'language = "{lang}"')
    lines.append("")
    lines.append("# " + label("import_file_units", lang))
    for unit in data["units"]:
        lines += ["[[units]]", f"id = {toml_value(unit['id'])}", f"name = {toml_value(unit['name'])}", ""]
    lines.append("# " + label("import_file_people", lang))
    for person in data["people"]:
        lines += ["[[people]]", f"id = {toml_value(person['id'])}", f"name = {toml_value(person['name'])}", ""]
    for project in data["projects"]:
        rows = imported.rows.get(project["id"], [])
        where = label("import_file_rows", lang, sheet=one_line(imported.sheet), rows=_ranges(rows))
        lines.append(f"# {where}")
        lines.append("[[projects]]")
        lines += _table(project, names, indent="")
        for milestone in project.get("milestones", []):
            lines.append("")
            lines.append("  [[projects.milestones]]")
            lines += _table(milestone, names, indent="  ")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _table(table: Mapping[str, Any], names: Mapping[str, str], indent: str) -> list[str]:
    lines = []
    for key, value in table.items():
        if key == "milestones":
            continue
        line = f"{indent}{key} = {toml_value(value)}"
        if key in ("leader", "lead_unit", "responsible_unit", "owner") and value in names:
            line = f"{line:<40}# {one_line(names[value])}"
        elif key == "cooperating_units":
            line = f"{line:<40}# {'、'.join(one_line(names.get(v, v)) for v in value)}"
        lines.append(line)
    return lines


def _ranges(rows: Iterable[int]) -> str:
    """``5``, ``3-5``, ``3-5, 8``: the rows a project came from."""
    found: list[list[int]] = []
    for row in sorted(rows):
        if found and row == found[-1][1] + 1:
            found[-1][1] = row
        else:
            found.append([row, row])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in found)
