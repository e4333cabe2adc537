"""Edits of the project file's text that change only the lines they must (no I/O here).

sanshi writes the file people also edit by hand, so an edit keeps every comment, blank line,
key order, quoting style and line ending outside the lines it changes. Where new text goes:

* a new key goes right after the last key of its table, with the indentation of the table's
  keys, so it never lands under the comment block that introduces the next table;
* a new ``[[projects.reports]]`` table goes after the project's last report (or after its last
  table), before the next header's comment block, indented like the project's other tables; one
  dated before a report already there goes before that report and its comment block, except
  before the first report, whose comment block introduces them all: there it goes under it;
* new lines end as the lines around them do (CRLF stays CRLF).

A whole-file parse with a style-preserving library costs half a minute on 10,000 projects, so
only the affected project's lines are taken apart: a light scan of the file finds each
``[[projects]]`` span, and that span alone is parsed (with tomli) and edited by hand. Inline
forms (``milestones = [{ … }]``, ``reports = [{ … }]``) are edited with tomlkit, again in that
span only; a file with no ``[[projects]]`` headers at all (``projects = [{ … }]``) is the one
case edited with tomlkit as a whole. Each edit is checked: the edited span, read back, must hold
exactly the data expected.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sanshi_cli.locating import _HEADER, _KEY, _split_dotted, _still_open


class CannotEdit(Exception):
    """The span could not be edited by hand as expected (the caller falls back to a whole-file edit)."""


# -- what to change -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SetDone:
    """Set (or with ``day`` None, remove) ``done`` of the project's milestone number ``milestone``."""

    milestone: int
    day: date | None


@dataclass(frozen=True, slots=True)
class PutReport:
    """Add a report (keys in file order), or replace the report number ``replace``."""

    report: dict[str, object]
    replace: int | None = None


@dataclass(frozen=True, slots=True)
class PutProblem:
    """Add a problem (``[[projects.problems]]``, keys in file order) after the project's last one."""

    problem: dict[str, object]


@dataclass(frozen=True, slots=True)
class ChangeProblem:
    """Set (None: remove) keys of the project's problem number ``problem``, and append one entry to
    one of its lists (``("updates", {…})``, ``extensions``, ``reopenings``) after its own lines."""

    problem: int
    keys: dict[str, object | None] = field(default_factory=dict)
    append: tuple[str, dict[str, object]] | None = None


Edit = SetDone | PutReport | PutProblem | ChangeProblem


def apply_to_data(project: dict[str, Any], edit: Edit) -> dict[str, Any]:
    """The project's plain data (as tomli reads it) after ``edit``: what the edited text must hold.

    ``project`` is left as it was; the result shares what the edit does not touch with it.
    """
    changed = dict(project)
    if isinstance(edit, PutProblem):
        changed["problems"] = [*changed.get("problems", []), dict(edit.problem)]
        return changed
    if isinstance(edit, ChangeProblem):
        problems = list(changed["problems"])
        problem = problems[edit.problem] = dict(problems[edit.problem])
        for key, value in edit.keys.items():
            if value is None:
                problem.pop(key, None)
            else:
                problem[key] = value
        if edit.append is not None:
            problem[edit.append[0]] = [*problem.get(edit.append[0], []), dict(edit.append[1])]
        changed["problems"] = problems
        return changed
    if isinstance(edit, SetDone):
        milestones = list(changed["milestones"])
        milestone = milestones[edit.milestone] = dict(milestones[edit.milestone])
        if edit.day is None:
            milestone.pop("done", None)
        else:
            milestone["done"] = edit.day
        changed["milestones"] = milestones
        return changed
    reports = changed["reports"] = list(changed.get("reports", []))
    if edit.replace is not None:
        reports[edit.replace] = dict(edit.report)
    else:
        reports.insert(report_position(reports, edit.report), dict(edit.report))
    return changed


def report_position(reports: list[dict[str, Any]], report: dict[str, object]) -> int:
    """Where a new report goes among the existing ones: after the last one not later than it."""
    day = report["on"]
    position = len(reports)
    while position > 0 and _comparable(reports[position - 1].get("on")) > day:  # type: ignore[operator]
        position -= 1
    return position


def as_date(value: object) -> date | None:
    """A parsed TOML value as a date (a string date counts too), else None."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _comparable(value: object) -> date:
    """A report's ``on`` as a date; anything else sorts first."""
    return as_date(value) or date.min


# -- values as TOML -------------------------------------------------------------------------------


def render_value(value: object) -> str:
    """A value as TOML text: dates bare, whole numbers without ``.0``, strings escaped by tomlkit."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    import tomlkit

    if isinstance(value, str):
        return str(tomlkit.string(value).as_string())
    return str(tomlkit.item(value).as_string())


def newline_of(text: str) -> str:
    """The file's line ending: that of its first line (CRLF or LF)."""
    end = text.find("\n")
    return "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"


# -- the file's outline: where each project's lines are -------------------------------------------

_HEADER_LINE = re.compile(r"^[ \t]*\[[^\n]*", re.MULTILINE)  # a line that may be a table header
_SIMPLE = re.compile(
    r"""^[ \t]*(id|name)[ \t]*=[ \t]*(?:"([^"\\\n]*)"|'([^'\n]*)')[ \t]*(?:#[^\n]*)?\r?$""", re.MULTILINE
)


@dataclass(slots=True)
class ProjectSpan:
    """The text of one ``[[projects]]`` table and its sub-tables: characters ``[start, end)``.

    ``id`` and ``name`` are read cheaply when written as plain strings (None otherwise); the
    span's own parse is the authority.
    """

    index: int
    start: int
    end: int
    id: str | None = None
    name: str | None = None


@dataclass(slots=True)
class Outline:
    """A file's text and the spans of its ``[[projects]]`` tables."""

    text: str
    projects: list[ProjectSpan] = field(default_factory=list)
    newline: str = "\n"

    def fragment(self, span: ProjectSpan) -> str:
        return self.text[span.start : span.end]

    def rest(self) -> str:
        """Everything outside the projects' spans (settings, units, people, …), in file order."""
        kept: list[str] = []
        position = 0
        for span in self.projects:
            kept.append(self.text[position : span.start])
            position = span.end
        kept.append(self.text[position:])
        return "".join(kept)

    def replaced(self, span: ProjectSpan, fragment: str) -> str:
        """The whole text with ``span`` replaced by ``fragment``."""
        return self.text[: span.start] + fragment + self.text[span.end :]


def outline(text: str) -> Outline:
    """Find every ``[[projects]]`` span (about 0.2 s for 14 MB).

    A span runs from its header to the next header that is neither ``[[projects]]`` nor a
    ``projects.…`` sub-table. Lines inside multi-line strings are skipped; a line of a
    multi-line array that looks like a header would cut a span short, which the span's own
    parse catches.
    """
    found = Outline(text, newline=newline_of(text))
    current: ProjectSpan | None = None
    for start, line in _header_lines(text):
        written = line.strip()
        if written == "[[projects]]":
            kind = "project"
        elif written.startswith(("[[projects.", "[projects.")):
            kind = "sub"
        else:
            header = _HEADER.match(line)
            if header is None or written.startswith("#"):
                continue
            parts = _split_dotted(header.group(2))
            double = header.group(1) == "[["
            kind = "project" if double and parts == ["projects"] else "sub" if parts[:1] == ["projects"] else "other"
        if kind == "sub":
            continue
        if current is not None:
            current.end = start
            _read_names(text, current)
            current = None
        if kind == "project":
            current = ProjectSpan(len(found.projects), start, len(text))
            found.projects.append(current)
    if current is not None:
        _read_names(text, current)
    return found


def _header_lines(text: str) -> Iterator[tuple[int, str]]:
    """Each line that starts with ``[`` (after blanks), with its offset: outside multi-line strings."""
    if '"""' not in text and "'''" not in text:
        for match in _HEADER_LINE.finditer(text):
            yield match.start(), match.group()
        return
    position = 0
    open_string: str | None = None
    for line in text.splitlines(keepends=True):
        start, position = position, position + len(line)
        if open_string is not None:
            open_string = _still_open(line, open_string)
            continue
        if '"""' in line or "'''" in line:
            open_string = _still_open(line, None)
        if line.lstrip(" \t").startswith("["):
            yield start, line.rstrip("\r\n")


def _read_names(text: str, span: ProjectSpan) -> None:
    """The project's ``id`` and ``name`` when written plainly in its own table (before a sub-table)."""
    own_end = span.end
    sub = _HEADER_LINE.search(text, text.find("\n", span.start) + 1, span.end)
    if sub is not None:
        own_end = sub.start()
    for simple in _SIMPLE.finditer(text, span.start, own_end):
        value = simple.group(2) if simple.group(2) is not None else simple.group(3)
        if simple.group(1) == "id" and span.id is None:
            span.id = value
        elif simple.group(1) == "name" and span.name is None:
            span.name = value


# -- the tables of one project's span -------------------------------------------------------------


@dataclass(slots=True)
class Table:
    """One table inside a span: its header line, its keys and where its last key ends."""

    header: int
    parts: list[str]
    double: bool
    end: int  # the next header's line (or the end of the span)
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> (first, last) line
    last: int | None = None  # the last line of the table's last key/value
    indent: str | None = None  # of its first key

    @property
    def content_end(self) -> int:
        """The last line that belongs to the table (its header when it has no keys)."""
        return self.header if self.last is None else self.last


_BARE = re.compile(r"[A-Za-z0-9_-]+")


def read_tables(lines: list[str]) -> list[Table]:
    """The tables of a span, lexed exactly: keys, their values' extents, headers between them."""
    tables: list[Table] = []
    current: Table | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        header = _HEADER.match(line) if stripped.startswith("[") else None
        if header is not None:
            if current is not None:
                current.end = i
            current = Table(i, _split_dotted(header.group(2)), header.group(1) == "[[", len(lines))
            tables.append(current)
            i += 1
            continue
        key = _KEY.match(line)
        if key is None or current is None:
            raise CannotEdit(f"line {i + 1}: neither a header nor a key")
        # the common line, a value without brackets or a multi-line string, ends where it starts
        rest = line[key.end() :]
        spans = "[" in rest or "{" in rest or '"""' in rest or "'''" in rest
        last = _value_end(lines, i, key.end()) if spans else i
        name = key.group(1)
        parts = [name] if _BARE.fullmatch(name) else _split_dotted(name)
        if len(parts) == 1:
            current.keys.setdefault(parts[0], (i, last))
        if current.indent is None:
            current.indent = line[: len(line) - len(line.lstrip())]
        current.last = last
        i = last + 1
    return tables


def _value_end(lines: list[str], first: int, column: int) -> int:
    """The line on which the value starting at ``lines[first][column:]`` ends."""
    depth = 0
    closer: str | None = None  # an open multi-line string's delimiter
    number = first
    i = column
    while number < len(lines):
        line = lines[number]
        n = len(line)
        while i < n:
            ch = line[i]
            if closer is not None:
                if ch == "\\" and closer == '"""':
                    i += 2
                    continue
                if line.startswith(closer, i):
                    i += 3
                    while i < n and line[i] == closer[0]:  # up to two quotes may end the string's text
                        i += 1
                    closer = None
                    continue
                i += 1
                continue
            if ch == "#":
                break
            if line.startswith('"""', i) or line.startswith("'''", i):
                closer = line[i : i + 3]
                i += 3
                continue
            if ch in "\"'":
                end = i + 1
                while end < n and line[end] != ch and line[end] != "\n":
                    end += 2 if ch == '"' and line[end] == "\\" else 1
                i = end + 1
                continue
            if ch in "[{":
                depth += 1
            elif ch in "]}":
                depth -= 1
            i += 1
        if depth <= 0 and closer is None:
            return number
        number += 1
        i = 0
    raise CannotEdit("a value runs to the end of the span")


def _value_columns(line: str, column: int) -> tuple[int, int, int | None]:
    """A one-line value's start and end columns after ``=`` at ``column``, and where a comment starts."""
    start = column
    while start < len(line) and line[start] in " \t":
        start += 1
    i = start
    n = len(line.rstrip("\r\n"))
    comment: int | None = None
    while i < n:
        ch = line[i]
        if ch in "\"'":
            end = i + 1
            while end < n and line[end] != ch:
                end += 2 if ch == '"' and line[end] == "\\" else 1
            i = end + 1
            continue
        if ch == "#":
            comment = i
            break
        i += 1
    end = comment if comment is not None else n
    while end > start and line[end - 1] in " \t":
        end -= 1
    return start, end, comment


def _ending(line: str, newline: str) -> str:
    return "\r\n" if line.endswith("\r\n") else "\n" if line.endswith("\n") else newline


def _line_ending_of(lines: list[str], near: int, newline: str) -> str:
    """The line ending to use for a line inserted next to ``lines[near]``."""
    if 0 <= near < len(lines) and lines[near].endswith("\n"):
        return _ending(lines[near], newline)
    return newline


def _insert_after(lines: list[str], at: int, new: list[str], newline: str) -> None:
    """Insert ``new`` (lines without endings) after ``lines[at]``, ending them as that line ends."""
    nl = _line_ending_of(lines, at, newline)
    if not lines[at].endswith("\n"):  # the file's last line, without an ending
        lines[at] += nl
    lines[at + 1 : at + 1] = [text + nl for text in new]


# -- hand edits of a [[projects]] span ------------------------------------------------------------


def edit_span(fragment: str, project: dict[str, Any], edit: Edit, newline: str) -> str:
    """``fragment`` (one project's span, read as ``project``) with ``edit`` made.

    Raises :class:`CannotEdit` when the result does not read back as exactly the data expected.
    """
    return edit_span_all(fragment, project, [edit], newline)


def edit_span_all(fragment: str, project: dict[str, Any], edits: Sequence[Edit], newline: str) -> str:
    """``fragment`` with every edit of ``edits`` made in turn, read back and checked once at the end.

    Raises :class:`CannotEdit` when the result does not hold exactly the data expected.
    """
    import tomli

    expected = project
    edited = fragment
    for edit in edits:
        edited = _edit_unchecked(edited, expected, edit, newline)
        expected = apply_to_data(expected, edit)
    try:
        read_back = tomli.loads(edited)["projects"][0]
    except (tomli.TOMLDecodeError, KeyError, IndexError) as error:
        raise CannotEdit(f"the edited span does not read back: {error}") from None
    if read_back != expected:
        raise CannotEdit("the edited span holds other data than expected")
    return edited


def _edit_unchecked(fragment: str, project: dict[str, Any], edit: Edit, newline: str) -> str:
    """``fragment`` with ``edit`` made by hand (with tomlkit for inline forms), not yet read back."""
    lines = fragment.splitlines(keepends=True)
    tables = read_tables(lines)
    if isinstance(edit, SetDone):
        milestones = [t for t in tables if t.double and t.parts == ["projects", "milestones"]]
        if len(milestones) == len(project.get("milestones", [])):
            _set_key(lines, milestones[edit.milestone], "done", edit.day, newline)
            return "".join(lines)
        return _edit_with_tomlkit(fragment, edit, newline)
    if isinstance(edit, PutReport):
        reports = [t for t in tables if t.double and t.parts == ["projects", "reports"]]
        if len(reports) == len(project.get("reports", [])):
            _put_report(lines, tables, reports, project, edit, newline)
            return "".join(lines)
        return _edit_with_tomlkit(fragment, edit, newline)
    if _edit_problem(lines, tables, project, edit, newline):
        return "".join(lines)
    return _edit_with_tomlkit(fragment, edit, newline)


def _set_key(lines: list[str], table: Table, key: str, value: object, newline: str) -> None:
    """Set ``key`` of ``table`` to ``value`` (None: remove it), in place or after its last key."""
    if key in table.keys:
        first, last = table.keys[key]
        if value is None:
            del lines[first : last + 1]
            return
        line = lines[first]
        found = _KEY.match(line)
        assert found is not None
        if first == last:
            start, end, comment = _value_columns(line, found.end())
            text = render_value(value)
            if comment is None:
                lines[first] = line[:start] + text + line[end:]
            else:  # keep the comment where it was, a space at least after the value
                gap = max(1, comment - start - len(text))
                lines[first] = line[:start] + text + " " * gap + line[comment:]
            return
        nl = _line_ending_of(lines, first, newline)
        lines[first : last + 1] = [f"{line[: found.start(1)]}{key} = {render_value(value)}{nl}"]
        return
    if value is None:
        return
    indent = table.indent if table.indent is not None else _indent(lines[table.header])
    _insert_after(lines, table.content_end, [f"{indent}{key} = {render_value(value)}"], newline)


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _put_report(
    lines: list[str], tables: list[Table], reports: list[Table], project: dict[str, Any], edit: PutReport, newline: str
) -> None:
    subtables = [t for t in tables if t.parts[:1] == ["projects"] and len(t.parts) > 1]
    model = reports or subtables
    header_indent = _indent(lines[model[0].header]) if model else ""
    keyed = [t for t in reports + subtables if t.indent is not None]
    key_indent = keyed[0].indent if keyed and keyed[0].indent is not None else header_indent
    body = [f"{key_indent}{key} = {render_value(value)}" for key, value in edit.report.items()]
    if edit.replace is not None:
        table = reports[edit.replace]
        nl = _line_ending_of(lines, table.header, newline)
        if not lines[table.header].endswith("\n"):
            lines[table.header] += nl
        lines[table.header + 1 : table.content_end + 1] = [text + nl for text in body]
        return
    block = [f"{header_indent}[[projects.reports]]", *body]
    position = report_position(project.get("reports", []), edit.report)
    if position < len(reports):  # earlier than a report already there: before it
        at = reports[position].header
        # A later report's own comment stays with it; the comment block above the first report
        # introduces them all (as in the sample), so a new first report goes under it.
        while position > 0 and at > 0 and lines[at - 1].strip().startswith("#"):
            at -= 1
        nl = _line_ending_of(lines, at, newline)
        lines[at:at] = [text + nl for text in [*block, ""]]
        return
    after = reports[-1].content_end if reports else max(t.content_end for t in tables)
    _insert_after(lines, after, ["", *block], newline)


# -- problems (问题清单): a new [[projects.problems]], or a problem's keys and nested tables -------

_PROBLEM = ["projects", "problems"]
_STEP = "  "  # how much deeper a problem's own [[projects.problems.updates]] go than the problem


def _edit_problem(
    lines: list[str], tables: list[Table], project: dict[str, Any], edit: PutProblem | ChangeProblem, newline: str
) -> bool:
    """Make ``edit`` by hand; False when the span's shape asks for tomlkit (inline forms)."""
    problems = [t for t in tables if t.double and t.parts == _PROBLEM]
    written: list[Any] = project.get("problems", [])
    if len(problems) != len(written):
        return False
    nested = [t for t in tables if t.parts[:2] == _PROBLEM and len(t.parts) > 2]
    if isinstance(edit, PutProblem):
        subtables = [t for t in tables if t.parts[:1] == ["projects"] and len(t.parts) > 1]
        model = problems or subtables
        header_indent = _indent(lines[model[0].header]) if model else ""
        keyed = [t for t in problems + subtables if t.indent is not None]
        key_indent = keyed[0].indent if keyed and keyed[0].indent is not None else header_indent
        body = [f"{key_indent}{key} = {render_value(value)}" for key, value in edit.problem.items()]
        ends = [t.content_end for t in tables if t.parts[:2] == _PROBLEM] or [t.content_end for t in tables]
        _insert_after(lines, max(ends), ["", f"{header_indent}[[projects.problems]]", *body], newline)
        return True
    table = problems[edit.problem]
    block = [table]
    for t in (t for t in tables if t.header > table.header):  # its own nested tables follow it
        if t not in nested:
            break
        block.append(t)
    if edit.append is not None:
        kind, entry = edit.append
        if kind in table.keys:  # `updates = [{ … }]` in the problem's own table
            return False
        own = [t for t in block[1:] if t.double and t.parts == [*_PROBLEM, kind]]
        if len(own) != len(written[edit.problem].get(kind, [])):
            return False
        model_nested = [t for t in (own or nested) if t.double]
        if model_nested:
            header_indent = _indent(lines[model_nested[0].header])
            key_indent = model_nested[0].indent if model_nested[0].indent is not None else header_indent
        else:
            header_indent = key_indent = _indent(lines[table.header]) + _STEP
        body = [f"{key_indent}{key} = {render_value(value)}" for key, value in entry.items()]
        header = f"{header_indent}[[projects.problems.{kind}]]"
        _insert_after(lines, block[-1].content_end, ["", header, *body], newline)
    new = [key for key, value in edit.keys.items() if value is not None and key not in table.keys]
    if new:
        indent = table.indent if table.indent is not None else _indent(lines[table.header])
        _insert_after(
            lines, table.content_end, [f"{indent}{key} = {render_value(edit.keys[key])}" for key in new], newline
        )
    present = sorted((k for k in edit.keys if k in table.keys), key=lambda k: table.keys[k][0], reverse=True)
    for key in present:
        _set_key(lines, table, key, edit.keys[key], newline)
    return True


# -- edits with tomlkit: inline tables and arrays, and files without [[projects]] headers ---------


def _edit_with_tomlkit(fragment: str, edit: Edit, newline: str, project_index: int = 0) -> str:
    import tomlkit
    from tomlkit.exceptions import TOMLKitError
    from tomlkit.items import Array, InlineTable

    values = {key: _plain_number(value) for key, value in edit.report.items()} if isinstance(edit, PutReport) else {}
    try:
        document = tomlkit.parse(fragment)
        project = document["projects"][project_index]
        if isinstance(edit, PutProblem | ChangeProblem):
            _problem_with_tomlkit(project, edit)
        elif isinstance(edit, SetDone):
            milestone = project["milestones"][edit.milestone]
            if edit.day is None:
                if "done" in milestone:
                    del milestone["done"]
            else:
                milestone["done"] = edit.day
        else:
            inline = _inline_table(values)
            reports = project.get("reports")
            if reports is None and isinstance(project, InlineTable):
                array = tomlkit.array()
                array.append(inline)
                project["reports"] = array
            elif reports is None:
                aot = tomlkit.aot()
                aot.append(_table(values))
                project["reports"] = aot
            elif edit.replace is not None:
                reports[edit.replace] = inline if isinstance(reports, Array) else _table(values)
            else:
                position = report_position(list(reports), edit.report)
                reports.insert(position, inline if isinstance(reports, Array) else _table(values))
        edited = document.as_string()
    except (TOMLKitError, KeyError, IndexError, TypeError, ValueError) as error:
        raise CannotEdit(f"tomlkit: {error}") from None
    if newline == "\r\n":  # new lines as the file's: tomlkit writes LF
        edited = re.sub(r"(?<!\r)\n", "\r\n", edited)
    return _restyled(fragment, edited)


def _append_entry(parent: Any, key: str, values: dict[str, object]) -> None:
    """Append a table to ``parent[key]``: inline in an inline table or an inline array, else ``[[…]]``."""
    import tomlkit
    from tomlkit.items import Array, InlineTable

    found = parent.get(key)
    if found is None and isinstance(parent, InlineTable):
        array = tomlkit.array()
        array.append(_inline_table(values))
        parent[key] = array
    elif found is None:
        aot = tomlkit.aot()
        aot.append(_table(values))
        parent[key] = aot
    else:
        found.append(_inline_table(values) if isinstance(found, Array) else _table(values))


def _problem_with_tomlkit(project: Any, edit: PutProblem | ChangeProblem) -> None:
    if isinstance(edit, PutProblem):
        _append_entry(project, "problems", edit.problem)
        return
    problem = project["problems"][edit.problem]
    for key, value in edit.keys.items():
        if value is None:
            if key in problem:
                del problem[key]
        else:
            problem[key] = value
    if edit.append is not None:
        _append_entry(problem, *edit.append)


def _plain_number(value: object) -> object:
    """35.0 as 35: as people type a whole percentage."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _inline_table(values: dict[str, object]) -> Any:
    """An inline table written ``{ key = value, … }`` (tomlkit's own leaves out the inner spaces)."""
    import tomlkit

    pairs = ", ".join(f"{key} = {render_value(value)}" for key, value in values.items())
    return tomlkit.parse(f"x = {{ {pairs} }}\n")["x"]


def _restyled(old: str, new: str) -> str:
    """Inline tables on the changed lines spaced as the file spaces them: ``{ a = 1 }``, one space after a comma.

    Only when the file writes ``{ `` itself, and only if the data read back is the same.
    """
    if "{ " not in old:
        return new
    import tomli

    kept = set(old.splitlines())
    lines = new.splitlines(keepends=True)
    changed = False
    for i, line in enumerate(lines):
        if line in kept or line.rstrip("\r\n") in kept or "{" not in line:
            continue
        fixed = re.sub(r"\{(?=[^\s}])", "{ ", line)
        fixed = re.sub(r"(?<=[^\s{])\}", " }", fixed)
        fixed = re.sub(r",[ \t]{2,}(?=[^\s#])", ", ", fixed)
        fixed = re.sub(r"\},(?=\{)", "}, ", fixed)
        if fixed != line:
            lines[i], changed = fixed, True
    if not changed:
        return new
    styled = "".join(lines)
    try:
        return styled if tomli.loads(styled) == tomli.loads(new) else new
    except tomli.TOMLDecodeError:
        return new


def _table(values: dict[str, object]) -> Any:
    import tomlkit

    table = tomlkit.table()
    table.update(values)
    return table


def edit_document(text: str, project_index: int, project: dict[str, Any], edit: Edit, newline: str) -> str:
    """The whole text edited with tomlkit: for a file whose projects have no ``[[projects]]`` headers.

    Slow for a large file (tomlkit reads 14 MB in about half a minute), and only used where
    the projects' spans cannot be told apart by their headers.
    """
    import tomli

    edited = _edit_with_tomlkit(text, edit, newline, project_index)
    try:
        read_back = tomli.loads(edited)["projects"][project_index]
    except (tomli.TOMLDecodeError, KeyError, IndexError, TypeError) as error:
        raise CannotEdit(f"the edited file does not read back: {error}") from None
    if read_back != apply_to_data(project, edit):
        raise CannotEdit("the edited file holds other data than expected")
    return edited
