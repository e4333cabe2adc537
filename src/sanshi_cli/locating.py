"""Line numbers for places in a TOML file, found by a light scan of its text.

The TOML reader gives values, not positions. Problems found after parsing are named by a
location tuple such as ``("projects", 3, "milestones", 1, "due")``; this module finds the
line of that key (or, when the key is absent, of the table that should hold it). It is only
run when there is something to report, so it costs nothing on a clean file.
"""

from __future__ import annotations

import re

Loc = tuple[str | int, ...]

_HEADER = re.compile(r"\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)\s*=")


def _split_dotted(name: str) -> list[str]:
    parts = re.findall(r"\"[^\"]*\"|'[^']*'|[^.\s]+", name)
    return [p[1:-1] if p[:1] in "\"'" else p for p in parts]


class Locator:
    """Maps location tuples to 1-based line numbers in one file's text."""

    def __init__(self, text: str) -> None:
        self.lines: dict[Loc, int] = {}
        counts: dict[Loc, int] = {}
        arrays: set[Loc] = set()
        current: Loc = ()
        for number, line in enumerate(text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header and not line.lstrip().startswith("#"):
                double = header.group(1) == "[["
                parts = _split_dotted(header.group(2))
                prefix: Loc = ()
                for part in parts[:-1]:
                    prefix = (*prefix, part)
                    if prefix in arrays:
                        prefix = (*prefix, counts[prefix] - 1)
                table: Loc = (*prefix, parts[-1]) if parts else prefix
                if double:
                    index = counts.get(table, 0)
                    counts[table] = index + 1
                    arrays.add(table)
                    table = (*table, index)
                current = table
                self.lines.setdefault(current, number)
                continue
            key = _KEY.match(line)
            if key:
                name = key.group(1)
                if name[:1] in "\"'":
                    name = name[1:-1]
                self.lines.setdefault((*current, name), number)

    def line_of(self, loc: Loc) -> int | None:
        """The line of ``loc``, else of the nearest enclosing place that is written down."""
        probe = tuple(loc)
        while probe:
            found = self.lines.get(probe)
            if found is not None:
                return found
            probe = probe[:-1]
        return None
