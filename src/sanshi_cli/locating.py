"""Line numbers for places in a TOML file, found by a light scan of its text.

The TOML reader gives values, not positions. Problems found after parsing are named by a
location tuple such as ``("projects", 3, "milestones", 1, "due")``; this module finds the
line of that key (or, when the key is absent, of the table that should hold it). It is only
run when there is something to report, so it costs nothing on a clean file.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

from sanshi_cli.errors import Msg

Loc = tuple[str | int, ...]

_HEADER = re.compile(r"\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_PART = r"(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)"
_KEY = re.compile(rf"\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")  # a key, dotted or not
# A line that may change what follows: one that opens with ``[`` (a header), or holds a multi-line
# string's quotes. Found by the line break before it (a search that starts with a fixed character
# is fast); the first line is matched on its own.
_EVENT = re.compile(r"\n[^\S\n]*\[|\"\"\"|\'\'\'")
_EVENT_FIRST = re.compile(r"[^\S\n]*\[")
_HEADER_EVENT = re.compile(r"\n[^\S\n]*\[")  # the same where no multi-line string is written
_OTHER_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _split_dotted(name: str) -> list[str]:
    parts = re.findall(r"\"[^\"]*\"|'[^']*'|[^.\s]+", name)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


def _read_header(line: str) -> tuple[bool, list[str]] | None:
    """The table header on ``line``: (an array of tables?, its dotted parts); None for another line."""
    header = _HEADER.match(line)
    if header is None or line.lstrip().startswith("#"):
        return None
    return header.group(1) == "[[", _split_dotted(header.group(2))


def _still_open(line: str, inside: str | None) -> str | None:
    """The multi-line string delimiter (\"\"\" or ''') still open at the end of ``line``, if any.

    ``inside`` is the one open at its start. Single-line strings and comments are skipped, so
    that a ``[[projects]]`` written inside a multi-line ``title`` is not taken for a header.
    """
    if inside is None and '"""' not in line and "'''" not in line:
        return None  # the common line: no multi-line string opens here
    i = 0
    while i < len(line):
        if inside is not None:
            end = line.find(inside, i)
            while end > 0 and inside == '"""' and _escaped(line, end):
                end = line.find(inside, end + 1)
            if end < 0:
                return inside
            i, inside = end + 3, None
            continue
        char = line[i]
        if char == "#":
            return None
        if line.startswith('"""', i) or line.startswith("'''", i):
            inside, i = line[i : i + 3], i + 3
        elif char in "\"'":
            end = i + 1
            while end < len(line) and (line[end] != char or (char == '"' and _escaped(line, end))):
                end += 1
            i = end + 1
        else:
            i += 1
    return inside


def _escaped(line: str, at: int) -> bool:
    """Whether the character at ``at`` follows an odd number of backslashes."""
    run = 0
    while at - run - 1 >= 0 and line[at - run - 1] == "\\":
        run += 1
    return run % 2 == 1


class Locator:
    """Maps location tuples to 1-based line numbers in one file's text.

    With ``wanted`` only those places (and the tables that hold them) are mapped: the text is
    still read once, but only its table headers and the keys of the tables asked about are
    looked at, so that a check reporting a few hundred places in a file of a million lines
    neither walks every line in Python nor holds a tuple for every key.
    """

    def __init__(self, text: str, wanted: Iterable[Loc] | None = None) -> None:
        self.lines: dict[Loc, int] = {}
        self._counts: dict[Loc, int] = {}
        self._arrays: set[Loc] = set()
        self._current: Loc = ()
        self._open: str | None = None  # the delimiter of a multi-line string still open
        self._headers: dict[str, tuple[bool, list[str]] | None] = {}
        if wanted is None:
            self._needed: set[Loc] | None = None
            self._scan_lines(text.splitlines(), 1)
            return
        needed: set[Loc] = {()}
        for loc in wanted:
            needed.update(tuple(loc[:end]) for end in range(1, len(loc) + 1))
        self._needed = needed
        if "\r" in text:
            text = text.replace("\r\n", "\n")  # one line break, as splitlines counts it
        if any(char in text for char in _OTHER_BREAKS):  # a break splitlines counts and a search for "\n" not
            self._scan_lines(text.splitlines(), 1)
        else:
            self._scan_events(text)

    def _scan_lines(self, lines: Iterable[str], first: int) -> None:
        """Read ``lines``, numbered from ``first``, one by one."""
        for number, line in enumerate(lines, start=first):
            self._read_line(line, number)

    def _scan_events(self, text: str) -> None:
        """Read only the lines that can change the state (a header, a multi-line string's quotes)
        and, between them, the lines of the tables asked about."""
        needed = self._needed
        assert needed is not None
        number, done = 1, 0  # the line that starts at offset ``done``, and its number
        first = [0] if _EVENT_FIRST.match(text) else []
        events = _EVENT if '"""' in text or "'''" in text else _HEADER_EVENT
        for at in itertools.chain(first, (found.start() for found in events.finditer(text))):
            # the line of the event: after the break a header match starts with, else around the quote
            start = at + 1 if text[at] == "\n" else text.rfind("\n", 0, at) + 1
            if start < done:
                continue  # a second event on a line already read
            if start > done and self._open is None and self._current in needed:
                self._scan_lines(text[done : start - 1].split("\n"), number)
            number += text.count("\n", done, start)
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            self._read_line(text[start:end], number)
            number, done = number + 1, end + 1
        if done < len(text) and self._open is None and self._current in needed:
            self._scan_lines(text[done:].split("\n"), number)

    def _note(self, place: Loc, number: int) -> None:
        if self._needed is None or place in self._needed:
            self.lines.setdefault(place, number)

    def _read_line(self, line: str, number: int) -> None:
        if self._open is not None:  # a line of text inside a string, not a key or a header
            self._open = _still_open(line, self._open)
            return
        if '"""' in line or "'''" in line:
            self._open = _still_open(line, None)
        if line in self._headers:  # ``[[projects.milestones]]`` once for 80,000 milestones
            header = self._headers[line]
        else:
            header = self._headers[line] = _read_header(line)
        if header is not None:
            double, parts = header
            prefix: Loc = ()
            for part in parts[:-1]:
                prefix = (*prefix, part)
                if prefix in self._arrays:
                    prefix = (*prefix, self._counts[prefix] - 1)
                else:  # a table made by this header alone (``[[project.milestones]]`` makes ``project``)
                    self._note(prefix, number)
            table: Loc = (*prefix, parts[-1]) if parts else prefix
            if double:
                self._note(table, number)  # the array itself: its first table
                index = self._counts.get(table, 0)
                self._counts[table] = index + 1
                self._arrays.add(table)
                table = (*table, index)
            self._current = table
            self._note(table, number)
            return
        if self._needed is not None and self._current not in self._needed:
            return
        key = _KEY.match(line)
        if key:
            place = self._current
            for name in _split_dotted(key.group(1)):  # ``alerts.repeat_days = 7`` makes ``alerts`` too
                place = (*place, name)
                self._note(place, number)

    def header_at(self, line: int, text: str) -> tuple[bool, list[str]] | None:
        """The table header written on ``line`` (1-based): (an array of tables?, its dotted parts)."""
        lines = text.splitlines()
        return _read_header(lines[line - 1] if 0 < line <= len(lines) else "")

    def line_of(self, loc: Loc) -> int | None:
        """The line of ``loc``, else of the nearest enclosing place that is written down."""
        probe = tuple(loc)
        while probe:
            found = self.lines.get(probe)
            if found is not None:
                return found
            probe = probe[:-1]
        return None


# -- typing slips, found before the TOML reader stops at the first one --------------------------

# Full-width punctuation a Chinese input method types: (the half-width one to type, a message key naming it).
FULL_WIDTH: dict[str, tuple[str, str]] = {
    "＝": ("=", "fw_equals"),
    "：": (":", "fw_colon"),
    "“": ('"', "fw_left_double_quote"),
    "”": ('"', "fw_right_double_quote"),
    "‘": ("'", "fw_left_single_quote"),
    "’": ("'", "fw_right_single_quote"),
    "，": (",", "fw_comma"),
    "、": (",", "fw_enumeration_comma"),
    "［": ("[", "fw_left_bracket"),
    "］": ("]", "fw_right_bracket"),
    "｛": ("{", "fw_left_brace"),
    "｝": ("}", "fw_right_brace"),
    "\u3000": ("", "fw_space"),  # the half-width one: a space, named by the message
}

Slip = tuple[int, int, str, dict[str, object]]  # line, column (1-based), message key, params


class _SlipPatterns(NamedTuple):
    date_sep: re.Pattern[str]
    date_short: re.Pattern[str]
    date_cjk: re.Pattern[str]
    date_note: re.Pattern[str]
    month: re.Pattern[str]
    month_key: re.Pattern[str]


@cache
def _slip_patterns() -> _SlipPatterns:
    """Compiled when a file first fails to parse: reading a valid file never pays for them."""
    return _SlipPatterns(
        date_sep=re.compile(r"(?<![\w.\-])(\d{4})([/.])(\d{1,2})\2(\d{1,2})(?![\w.\-])"),
        date_short=re.compile(r"(?<![\w.\-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w.\-])"),
        date_cjk=re.compile(r"(?<![\w.\-])(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"),
        date_note=re.compile(r"(?<![\w.\-])(\d{4}-\d{2}-\d{2})([ \t]*)([^\s,\]}#\dTt:.+\-Zz][^#]*?)\s*(?=#|$)"),
        month=re.compile(r"(?<![\w.\-])(\d{4})(?:-|/|\s*年\s*)(\d{1,2})(?:\s*月)?(?![\w.\-/]|\s*月?\s*\d)"),
        month_key=re.compile(r"^[ \t]*month[ \t]*=[ \t]*(\d{4})\.(\d{1,2})[ \t]*(?:#|$)"),
    )


def mask_strings(text: str) -> list[str]:
    """The file's lines with the inside of strings and comments blanked (columns kept).

    A light TOML lexer: basic and literal strings, their multi-line forms, comments. Text that
    “looks like a string” but opens with a full-width quote is blanked too, the quotes kept, so
    that the quotes are reported and the Chinese between them is not.
    """
    out: list[str] = []
    line: list[str] = []
    i, n = 0, len(text)
    closer: str | None = None  # the delimiter of the multi-line string we are in

    def blank(ch: str) -> str:
        return ch if ch == "\n" else " "

    while i < n:
        ch = text[i]
        if closer is not None:  # inside a multi-line string
            if closer == '"""' and ch == "\\" and i + 1 < n:
                line.append(" ")
                line.append(blank(text[i + 1]))
                if text[i + 1] == "\n":
                    out.append("".join(line[:-1]))
                    line = []
                i += 2
                continue
            if text.startswith(closer, i):
                line.extend(closer)
                i += 3
                closer = None
                continue
            if ch == "\n":
                out.append("".join(line))
                line = []
            else:
                line.append(" ")
            i += 1
            continue
        if ch == "\n":
            out.append("".join(line))
            line = []
            i += 1
        elif ch == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
            line.extend(" " * (end - i))
            i = end
        elif text.startswith('"""', i) or text.startswith("'''", i):
            closer = text[i : i + 3]
            line.extend(closer)
            i += 3
        elif ch in "\"'“‘":
            ends = {'"': '"', "'": "'", "“": '”"', "‘": "’'"}[ch]
            line.append(ch)
            i += 1
            while i < n and text[i] != "\n" and text[i] not in ends:
                if ch == '"' and text[i] == "\\" and i + 1 < n and text[i + 1] != "\n":
                    line.append(" ")
                    i += 1
                line.append(" ")
                i += 1
            if i < n and text[i] != "\n":
                line.append(text[i])
                i += 1
        else:
            line.append(ch)
            i += 1
    out.append("".join(line))
    return out


def find_slips(text: str) -> list[Slip]:
    """Dates written the way people write them, and full-width punctuation outside strings.

    Every one in the file, sorted by line and column; run when the TOML reader gave up, so that
    one run names them all and each in words that say what to type instead.
    """
    slips: list[Slip] = []
    patterns = _slip_patterns()
    lines = text.split("\n")  # as the lexer and the TOML reader count them
    for number, masked in enumerate(mask_strings(text), start=1):
        found_here: list[tuple[int, int, str, dict[str, object]]] = []  # start, end, message, params
        for pattern, month_at in ((patterns.date_sep, 3), (patterns.date_short, 2), (patterns.date_cjk, 2)):
            for found in pattern.finditer(masked):
                year, month, day = found.group(1), found.group(month_at), found.group(month_at + 1)
                if pattern is patterns.date_short and len(month) == 2 and len(day) == 2:
                    continue
                fixed = f"{year}-{int(month):02d}-{int(day):02d}"
                found_here.append((found.start(), found.end(), "date_form", {"text": found.group(0), "fixed": fixed}))
        for found in patterns.date_note.finditer(masked):
            note = lines[number - 1][found.start(3) : found.end(3)].strip()
            found_here.append((found.start(), found.end(), "date_note", {"date": found.group(1), "note": note}))
        for found in patterns.month.finditer(masked):
            fixed = f"{found.group(1)}-{int(found.group(2)):02d}"
            found_here.append((found.start(), found.end(), "month_form", {"text": found.group(0), "fixed": fixed}))
        month_key = patterns.month_key.match(masked)
        if month_key:
            written = f"{month_key.group(1)}.{month_key.group(2)}"
            fixed = f"{month_key.group(1)}-{int(month_key.group(2)):02d}"
            found_here.append((month_key.start(1), month_key.end(2), "month_form", {"text": written, "fixed": fixed}))
        taken: list[tuple[int, int]] = []  # the first pattern to claim a stretch of the line names it
        for start, end, key, params in found_here:
            if not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
                slips.append((number, start + 1, key, params))
        for column, ch in enumerate(masked):
            if ch in FULL_WIDTH and not any(s <= column < e for s, e in taken):
                half, name = FULL_WIDTH[ch]
                shown = "U+3000" if ch == "\u3000" else ch
                said = {"char": shown, "name": Msg(name), "half": half or Msg("half_space")}
                slips.append((number, column + 1, "full_width", said))
    return sorted(slips, key=lambda slip: (slip[0], slip[1]))
