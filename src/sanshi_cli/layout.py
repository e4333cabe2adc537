"""Text tables that fit a width: cells that never break, names that wrap where people would.

Pure functions over plain strings (no rich, no Typer). A cell holds paragraphs; a paragraph
holds pieces, each either *atomic* (a date, a week label, a level, ``逾期 28 天``: never split,
so its width is the column's minimum) or *text* that may wrap: Chinese between characters
(never before closing or after opening punctuation), other scripts at spaces, and mid-word
only when a single word is longer than the column. A wrapped text never leaves one character
alone on its last line. Lines come out as spans of (text, style) with no trailing spaces;
with a width, no line is wider than it (unless the atomic cells alone are wider). A control or
bidi character in a piece is laid out, and shown, as its visible escape (``i18n.visible``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from sanshi_cli.i18n import visible

Piece = tuple[str, bool]  # (text, may break inside)
Para = tuple[Piece, ...]
Span = tuple[str, str]  # (text, style)
Line = list[Span]

GAP = 2  # spaces between columns
LONG_WORD = 16  # a text column is never made narrower than its longest word, up to this many cells
SOFT_MIN = 8  # nor than this many cells (four Chinese characters), unless its text is shorter

_OPENING = frozenset("（《「『“‘〈【〔([{")
_CLOSING = frozenset("，。、；：！？）》」』”’〉】〕…%,.;:!?)]}·")
_SPACES = frozenset(" 　")
_WIDE_PAUSE = frozenset("，、；：　")


@lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    """Cells a character takes in a terminal (CJK wide and full-width forms take two)."""
    if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf":  # zero-width space, joiners, BOM
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def width_of(text: str) -> int:
    """Cells a one-line text takes."""
    if text.isascii():
        return len(text)
    return sum(char_width(ch) for ch in text)


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: paragraphs of pieces, a style for all of it, and its alignment."""

    paras: tuple[Para, ...] = ()
    style: str = ""
    right: bool = False

    @property
    def empty(self) -> bool:
        return not any(text for para in self.paras for text, _ in para)


@lru_cache(maxsize=65536)  # a large table repeats its dates, states and names: each cell is built once
def atom(text: str, style: str = "", *, right: bool = False) -> Cell:
    """A cell that is never broken (each line of ``text`` whole)."""
    return Cell(tuple(((line, False),) for line in _lines(text)) if text else (), style, right)


@lru_cache(maxsize=65536)
def words(text: str, style: str = "") -> Cell:
    """A cell of text that may wrap (one paragraph per line of ``text``)."""
    return Cell(tuple(((line, True),) for line in _lines(text)) if text else (), style)


def _lines(text: str) -> list[str]:
    """A text's lines (LF or CRLF ends one; a lone CR is a character, shown as ``\\r``)."""
    return text.replace("\r\n", "\n").split("\n")


def para(*pieces: Piece | str) -> Para:
    """A paragraph of pieces; a bare string is an atomic piece. Pieces are joined by a space
    (none after a full-width comma or space, nor before a full-width opening bracket)."""
    return tuple((p, False) if isinstance(p, str) else p for p in pieces if (p if isinstance(p, str) else p[0]))


# -- wrapping ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    sep: str  # what separates it from the token before on the same line ("" or a space)
    text: str
    width: int
    breakable: bool  # a word that may be cut into characters when longer than the line


@lru_cache(maxsize=65536)  # a paragraph is measured (unwrapped) before it is laid out at its column's width
def _tokens(paragraph: Para) -> tuple[_Token, ...]:
    return tuple(_tokenize(paragraph))


def _tokenize(paragraph: Para) -> list[_Token]:
    out: list[_Token] = []
    for n, (raw, may_break) in enumerate(paragraph):
        text = visible(raw)  # a control character from the file is shown, never sent to the terminal
        # pieces are joined by a space (or the spaces a piece starts with), none after a full-width pause
        body = text.lstrip(" 　")
        sep = text[: len(text) - len(body)] or (" " if n and _spaced(paragraph[n - 1][0], body) else "")
        if not may_break:
            out.append(_Token(sep, body, width_of(body), False))
            continue
        current = ""
        for ch in body:
            if ch in _SPACES:
                if current:
                    out.append(_Token(sep, current, width_of(current), True))
                    current, sep = "", ""
                sep += ch
                continue
            if current and _break_between(current[-1], ch):
                out.append(_Token(sep, current, width_of(current), True))
                current, sep = "", ""
            current += ch
        if current:
            out.append(_Token(sep, current, width_of(current), True))
    return out


def _spaced(before: str, after: str) -> bool:
    """Two pieces are joined by a space, unless a full-width mark already parts them."""
    return before[-1:] not in _WIDE_PAUSE and not (after[:1] in _OPENING and char_width(after[:1]) == 2)


def _break_between(before: str, after: str) -> bool:
    """A line may break between these two characters (inside a run without spaces)."""
    if before in _OPENING or after in _CLOSING:
        return False
    return char_width(before) == 2 or char_width(after) == 2


def _split_word(token: _Token, width: int) -> list[str]:
    """A word longer than the line, cut into pieces that fit."""
    parts: list[str] = []
    current, used = "", 0
    for ch in token.text:
        w = char_width(ch)
        if current and used + w > width:
            parts.append(current)
            current, used = "", 0
        current += ch
        used += w
    if current:
        parts.append(current)
    return parts


@lru_cache(maxsize=65536)
def wrap(paragraph: Para, width: int | None) -> tuple[str, ...]:
    """The lines of one paragraph at ``width`` cells (``None``: one line, unwrapped)."""
    tokens = _tokens(paragraph)
    if width is None:
        return ("".join(t.sep + t.text for t in tokens).strip(),)
    lines: list[list[_Token]] = []
    line: list[_Token] = []
    used = 0
    for token in tokens:
        if line and used + width_of(token.sep) + token.width <= width:
            line.append(token)
            used += width_of(token.sep) + token.width
            continue
        if line:
            lines.append(line)
        if token.width > width and token.breakable:
            *head, tail = _split_word(token, width)
            lines.extend([_Token("", part, width_of(part), True)] for part in head)
            line, used = [_Token("", tail, width_of(tail), True)], width_of(tail)
        else:
            line, used = [token], token.width
    if line:
        lines.append(line)
    _adopt_orphan(lines, width)
    return tuple("".join(t.text if i == 0 else t.sep + t.text for i, t in enumerate(row)).strip() for row in lines)


def _adopt_orphan(lines: list[list[_Token]], width: int) -> None:
    """A last line of one character takes the word before it along, when that fits."""
    if len(lines) < 2 or len(lines[-1]) != 1 or len(lines[-1][0].text) != 1 or len(lines[-2]) < 2:
        return
    moved = lines[-2][-1]
    orphan = lines[-1][0]
    if moved.width + width_of(orphan.sep) + orphan.width <= width:
        lines[-2].pop()
        lines[-1] = [_Token("", moved.text, moved.width, moved.breakable), orphan]


# -- columns -------------------------------------------------------------------------------------


def natural_width(cell: Cell) -> int:
    """Cells the widest paragraph takes on one line."""
    paras = cell.paras
    if len(paras) == 1:  # most cells: no generator to run
        return _natural(paras[0])
    return max((_natural(p) for p in paras), default=0)


def min_width(cell: Cell) -> int:
    """The narrowest the cell may be: its widest atomic piece, its longest word (up to LONG_WORD)."""
    return max((_narrowest(p) for p in cell.paras), default=0)


@lru_cache(maxsize=1 << 18)  # only numbers: room for every name of a plan besides its milestones
def _natural(paragraph: Para) -> int:
    return width_of(wrap(paragraph, None)[0])


@lru_cache(maxsize=65536)
def _narrowest(paragraph: Para) -> int:
    tokens = _tokens(paragraph)
    widest = min(SOFT_MIN, _natural(paragraph)) if any(t.breakable for t in tokens) else 0
    for token in tokens:
        widest = max(widest, token.width if not token.breakable else min(token.width, LONG_WORD))
    return widest


def cell_lines(cell: Cell, width: int | None) -> list[str]:
    return [line for paragraph in cell.paras for line in wrap(paragraph, width)]


def _distinct(column: Sequence[Cell]) -> Iterable[Cell]:
    """Each distinct cell object once (a large table repeats the same ones)."""
    return dict(zip(map(id, column), column, strict=True)).values()


FIT_SAMPLE = 300  # rows that decide how spare room is shared out in a large table


def fit_widths(columns: Sequence[Sequence[Cell]], room: int | None) -> list[int]:
    """Column widths for cells given column by column (header first) within ``room`` cells.

    Everything at its natural width when that fits (or ``room`` is None). Otherwise each column
    starts at its minimum and the room left goes, step by step, to the column where a few more
    cells save the most wrapped lines (so a lone last character is taken in when room allows).
    """
    # a large table repeats the same cells (see atom, words): each distinct one is measured once
    maxs = [max(map(natural_width, _distinct(column)), default=0) for column in columns]
    if room is None or sum(maxs) <= room:
        return maxs
    mins = [max(map(min_width, _distinct(column)), default=0) for column in columns]
    widths = list(mins)
    left = room - sum(widths)
    known: dict[tuple[int, int], list[int]] = {}
    # Where the spare room goes is judged on at most FIT_SAMPLE rows spread over the table: the
    # minimums above hold for every row, so nothing breaks, and a large plan stays linear.
    count = len(columns[0]) if columns else 0
    rows = (
        range(count)
        if count <= FIT_SAMPLE
        else sorted({i * (count - 1) // (FIT_SAMPLE - 1) for i in range(FIT_SAMPLE)})
    )

    def heights(n: int, width: int) -> list[int]:
        """Lines each sampled cell of column ``n`` takes at ``width`` (wraps are cached by paragraph)."""
        if (n, width) not in known:
            column = columns[n]
            known[n, width] = [sum(len(wrap(p, width)) for p in column[i].paras) for i in rows]
        return known[n, width]

    while left > 0:
        # the table's lines (rows are as tall as their tallest cell), then the cells' lines
        current = [heights(n, w) for n, w in enumerate(widths)]
        best: tuple[float, float, int, int] | None = None
        for n in range(len(columns)):
            others = [max(h) for h in zip(*(current[:n] + current[n + 1 :]), strict=True)] if len(columns) > 1 else []
            here = current[n]
            rows_here = sum(map(max, others, here)) if others else sum(here)
            total_here = sum(here)
            for wider in range(widths[n] + 1, min(maxs[n], widths[n] + left) + 1):
                there = heights(n, wider)
                total = sum(there)
                if total < total_here:
                    rows_there = sum(map(max, others, there)) if others else total
                    step = wider - widths[n]
                    gain = ((rows_here - rows_there) / step, (total_here - total) / step, -n, wider)
                    if best is None or gain > best:
                        best = gain
                    break
        if best is None:
            break
        n, wider = -int(best[2]), best[3]
        left -= wider - widths[n]
        widths[n] = wider
    return widths


# -- lines ---------------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _fitted(paragraph: Para, width: int | None) -> tuple[tuple[str, int], ...]:
    """A paragraph's lines at ``width`` with the cells each takes."""
    return tuple((line, width_of(line)) for line in wrap(paragraph, width))


def _cell_fitted(cell: Cell, width: int | None) -> tuple[tuple[str, int], ...]:
    paras = cell.paras
    if len(paras) == 1:
        return _fitted(paras[0], width)
    return tuple(line for paragraph in paras for line in _fitted(paragraph, width))


def row_lines(cells: Sequence[Cell], widths: Sequence[int], *, indent: int = 0) -> list[Line]:
    """One row as lines: each cell wrapped to its column, padded, and no trailing spaces."""
    wrapped = [_cell_fitted(c, w) for c, w in zip(cells, widths, strict=True)]
    height = max((len(w) for w in wrapped), default=0)
    out: list[Line] = []
    for k in range(height):
        line: Line = [(" " * indent, "")] if indent else []
        for n, (cell, lines, w) in enumerate(zip(cells, wrapped, widths, strict=True)):
            text, used = lines[k] if k < len(lines) else ("", 0)
            pad = " " * max(0, w - used)
            if n:
                line.append((" " * GAP, ""))
            if cell.right:
                line.extend([(pad, ""), (text, cell.style)])
            else:
                line.extend([(text, cell.style), (pad, "")])
        out.append(strip_line(line))
    return out


def padded_lines(cell: Cell, width: int) -> tuple[str, ...]:
    """A cell's lines at ``width``, each padded to it (on the left when it is right-aligned)."""
    if cell.right:
        return tuple(" " * (width - used) + text for text, used in _cell_fitted(cell, width))
    return tuple(text + " " * (width - used) for text, used in _cell_fitted(cell, width))


Memo = list[dict[int, tuple[str, ...]]]


def row_text(cells: Sequence[Cell], widths: Sequence[int], *, indent: int = 0, memo: Memo | None = None) -> list[str]:
    """:func:`row_lines` as plain text (``plain`` of each line), without building styled spans.

    For files and pipes, where a large table has hundreds of thousands of rows. ``memo`` (one
    dict per column, ``[{} for _ in widths]``) keeps each cell's padded lines by the cell's id
    in its column (the same cell, an empty one, may stand in two columns of two widths): give
    one only for rows of the same ``widths`` whose cells all stay alive while it is used (a
    table's rows, held together).
    """
    padded = []
    for n, cell in enumerate(cells):
        if memo is None:
            padded.append(padded_lines(cell, widths[n]))
            continue
        known = memo[n]
        lines = known.get(id(cell))
        if lines is None:
            lines = known[id(cell)] = padded_lines(cell, widths[n])
        padded.append(lines)
    height = max(map(len, padded), default=0)
    lead = " " * indent
    gap = " " * GAP
    if height == 1 and all(padded):
        return [(lead + gap.join([lines[0] for lines in padded])).rstrip(" ")]
    return [
        (lead + gap.join([lines[k] if k < len(lines) else " " * widths[n] for n, lines in enumerate(padded)])).rstrip(
            " "
        )
        for k in range(height)
    ]


def strip_line(line: Line) -> Line:
    """The line without trailing spaces (and without empty spans)."""
    spans = [s for s in line if s[0]]
    while spans and not spans[-1][0].rstrip(" "):
        spans.pop()
    if spans:
        text, style = spans[-1]
        spans[-1] = (text.rstrip(" "), style)
    return spans


def rule(widths: Sequence[int]) -> Line:
    """The line under a header, as wide as the table."""
    return [("─" * (sum(widths) + GAP * max(0, len(widths) - 1)), "")] if widths else []


def plain(line: Line) -> str:
    return "".join(text for text, _ in line)


def flow_lines(paragraph: Para, width: int | None, style: str = "", indent: int = 0) -> list[Line]:
    """A paragraph outside a table as styled lines, each indented."""
    room = None if width is None else max(1, width - indent)
    return [strip_line([(" " * indent, ""), (text, style)]) for text in wrap(paragraph, room)]


def columns_of(header: Sequence[Cell] | None, rows: Iterable[Sequence[Cell]], count: int) -> list[list[Cell]]:
    """Cells regrouped column by column (header first), for :func:`fit_widths`."""
    everything = [header, *rows] if header is not None else list(rows)
    if everything and all(len(row) == count for row in everything):
        return [list(column) for column in zip(*everything, strict=True)]
    columns: list[list[Cell]] = [[] for _ in range(count)]
    for row in everything:
        for n, cell in enumerate(row):
            columns[n].append(cell)
    return columns


def fits(columns: Sequence[Sequence[Cell]], room: int | None) -> bool:
    """Whether the columns' minimums fit the room (else a narrower layout is due)."""
    if room is None:
        return True
    return sum(max(map(min_width, _distinct(column)), default=0) for column in columns) <= room


def grid(
    header: Sequence[Cell], body: Sequence[Sequence[Cell]], width: int | None, tallest: int | None = None
) -> list[Line] | None:
    """A header, a rule and the rows as side-by-side columns at ``width``; None when the columns
    cannot stand side by side, or a row would take more than ``tallest`` lines (a narrower
    layout is then due)."""
    columns = columns_of(header, body, len(header))
    room = room_for(width, len(header))
    if not fits(columns, room):
        return None
    widths = fit_widths(columns, room)
    lines = row_lines(header, widths)
    lines.append(rule(widths))
    for cells in body:
        block = row_lines(cells, widths)
        if tallest is not None and len(block) > tallest:
            return None
        lines += block
    return lines


def room_for(width: int | None, count: int, indent: int = 0) -> int | None:
    """What the cells of ``count`` columns may take at ``width`` (gaps and indent removed)."""
    if width is None:
        return None
    return max(0, width - indent - GAP * max(0, count - 1))


Mode = Literal["wide", "medium", "narrow"]
WIDE_FROM = 140
MEDIUM_FROM = 100


def mode_for(width: int | None) -> Mode:
    """Which layout a width gets: ``None`` (a file, a pipe, ``--wide``) is the wide one."""
    if width is None or width >= WIDE_FROM:
        return "wide"
    return "medium" if width >= MEDIUM_FROM else "narrow"


def phrases(text: str, width: int | None) -> Para:
    """A title or a message as pieces: its parts between spaces atomic where they fit the width."""
    parts = text.split("　")
    pieces = [part + "　" for part in parts[:-1]] + parts[-1:]
    return tuple((p, width is not None and width_of(p) > width) for p in pieces if p)
