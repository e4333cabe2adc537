"""The library's public face: open a project file, ask it questions, record what happened.

    >>> from datetime import date
    >>> from sanshi_cli import open_portfolio
    >>> book = open_portfolio("data/projects.toml")
    >>> items = book.status(date(2026, 11, 27), units=["jsj"])
    >>> change = book.mark_done("civic-center", "topping-out", date(2026, 11, 27))
    >>> print(change.describe("en"))

Nothing here reads the clock: every date is a parameter. Reading methods load and validate the
file once (``.loaded``); writing methods take the file's lock, edit only the lines they must,
validate the result as ``sanshi check`` would and write it atomically (see :mod:`sanshi_cli.writing`).
Problems are raised as :class:`sanshi_cli.errors.SanshiError` (``.problems`` lists them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sanshi_cli.errors import Msg, Problem, UsageError
from sanshi_cli.i18n import Lang, one_line

if TYPE_CHECKING:
    from sanshi_cli.caching import ParseCache
    from sanshi_cli.editing import Edit, Outline, ProjectSpan
    from sanshi_cli.loading import Loaded
    from sanshi_cli.model import Settings
    from sanshi_cli.planning import Node, Window
    from sanshi_cli.progress import ProgressRow
    from sanshi_cli.status import Item
    from sanshi_cli.writing import Edited, Written

Names = Sequence[str] | str


@dataclass(frozen=True, slots=True)
class Change:
    """What a writing method did to the file.

    ``changed`` says whether the text differs (False: already recorded, nothing to undo);
    ``written`` whether it was written (never with ``dry_run``). ``describe`` is the one line
    the CLI prints; ``diff`` a unified diff of the file (``a/`` and ``b/`` names).
    """

    path: str
    message: str
    params: dict[str, object]
    old_text: str
    new_text: str
    written: bool
    warnings: list[Problem] = field(default_factory=list)
    backup: Path | None = None

    @property
    def changed(self) -> bool:
        return self.old_text != self.new_text

    def describe(self, lang: Lang = "zh") -> str:
        """One line saying what changed, in Chinese or English."""
        from sanshi_cli.i18n import message, visible

        return visible(message(self.message, lang, **self.params))

    def diff(self) -> str:
        """A unified diff of the file, with three lines of context (empty when nothing changed)."""
        return unified_diff(self.old_text, self.new_text, self.path)


def unified_diff(old: str, new: str, path: str) -> str:
    """``diff -u`` of two texts, computed on the changed lines only (fast on a 14 MB file)."""
    import difflib

    if old == new:
        return ""
    a = old.splitlines()
    b = new.splitlines()
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    start = max(0, head - 3)
    a_part = a[start : len(a) - max(0, tail - 3)]
    b_part = b[start : len(b) - max(0, tail - 3)]
    lines = list(difflib.unified_diff(a_part, b_part, f"a/{path}", f"b/{path}", lineterm="", n=3))
    shifted = []
    for line in lines:
        if line.startswith("@@"):
            import re

            line = re.sub(
                r"@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@",
                lambda m: (
                    f"@@ -{int(m.group(1)) + start}{m.group(2) or ''} +{int(m.group(3)) + start}{m.group(4) or ''} @@"
                ),
                line,
            )
        shifted.append(line)
    return "\n".join(shifted) + "\n"


def open_portfolio(
    path: str | Path, *, display: str | None = None, lock_timeout: float = 30.0, cache: ParseCache | None = None
) -> PortfolioFile:
    """Open the project file at ``path`` (nothing is read yet).

    ``display`` is how messages name the file (default: ``path`` as given). ``lock_timeout`` is
    how many seconds a writing method waits for another writer's lock before it gives up
    (:class:`sanshi_cli.errors.Busy`); the command line always waits 30 s. ``cache``, a
    :class:`sanshi_cli.caching.ParseCache`, reads the file through the parse cache and keeps
    what is written in it (default: no cache).
    """
    return PortfolioFile(Path(path), display or str(path), lock_timeout=lock_timeout, cache=cache)


class PortfolioFile:
    """One project file: read it (``status``, ``nodes``) and write to it (``mark_done``, ``add_report``)."""

    def __init__(
        self, path: Path, display: str, *, lock_timeout: float = 30.0, cache: ParseCache | None = None
    ) -> None:
        self.path = path
        self.display = display
        self.lock_timeout = lock_timeout
        self.cache = cache  # read through it, and keep what is written in it
        self._loaded: Loaded | None = None
        self._read: tuple[bytes, str, Outline] | None = None  # the last text read, and its outline
        self._settings: Settings | None = None

    def __repr__(self) -> str:
        return f"open_portfolio({self.display!r})"

    # -- reading ------------------------------------------------------------------------------

    @property
    def loaded(self) -> Loaded:
        """The file, read, validated and scheduled (once; again after each write)."""
        if self._loaded is None:
            from sanshi_cli.loading import load_portfolio

            if self.cache is not None:
                self._loaded = self.cache.load(self.path, self.display)
            else:
                self._loaded = load_portfolio(self.path, self.display)
        return self._loaded

    @property
    def settings(self) -> Settings:
        """The file's ``[settings]``, read without validating the projects (cheap on a large file)."""
        if self._loaded is not None:
            return self._loaded.portfolio.settings
        if self._settings is None:
            from pydantic import ValidationError

            from sanshi_cli.model import Settings
            from sanshi_cli.schema import adapter

            data = self._rest_data(self._text())
            try:
                self._settings = adapter(Settings).validate_python(data.get("settings", {}))
            except ValidationError:
                self._settings = Settings()  # the write's validation names what is wrong
        return self._settings

    def status(
        self,
        as_of: date,
        *,
        projects: Names = (),
        units: Names = (),
        leaders: Names = (),
        include_all: bool = False,
    ) -> list[Item]:
        """Milestones that need attention as of ``as_of``, most severe first (``sanshi status``).

        ``projects``, ``units`` and ``leaders`` take ids or names (units and leaders: short names
        too), as ``-p``, ``-u`` and ``-l`` do; ``include_all`` lists every milestone.
        """
        from sanshi_cli.status import find_items, resolve_filters

        filters = resolve_filters(self.loaded, _names(projects), _names(units), _names(leaders))
        return find_items(self.loaded, as_of, filters=filters, include_all=include_all)

    def nodes(
        self,
        as_of: date,
        cadence: Literal["monthly", "weekly"] = "monthly",
        *,
        periods: int | None = None,
        window: Window | None = None,
        projects: Names = (),
        units: Names = (),
        leaders: Names = (),
    ) -> Iterator[Node]:
        """Monthly or weekly nodes (``sanshi plan``), produced lazily.

        By default the period holding ``as_of`` and the next ones (``periods``: 3 months or 4
        weeks); ``window`` (:class:`sanshi_cli.planning.Window`) picks other dates, ``Window()``
        every project's whole span.
        """
        from sanshi_cli.planning import default_window, plan_nodes
        from sanshi_cli.status import resolve_filters

        if window is None:
            count = periods or (4 if cadence == "weekly" else 3)
            window = default_window(as_of, cadence, count, None, None)
        filters = resolve_filters(self.loaded, _names(projects), _names(units), _names(leaders))
        return plan_nodes(self.loaded, as_of, cadence, window, filters=filters)

    def progress(
        self,
        as_of: date,
        *,
        year: int | None = None,
        projects: Names = (),
        units: Names = (),
        leaders: Names = (),
    ) -> list[ProgressRow]:
        """The progress ledger (``sanshi progress``): one row per project, in file order.

        ``year``: an earlier year's ledger, as of its 31 December. ``units`` keeps the projects a
        unit leads or is responsible for.
        """
        from sanshi_cli.progress import ledger_day, progress_rows
        from sanshi_cli.status import resolve_filters

        filters = resolve_filters(self.loaded, _names(projects), _names(units), _names(leaders))
        return progress_rows(self.loaded, ledger_day(as_of, year), filters=filters)

    # -- writing ------------------------------------------------------------------------------

    def mark_done(
        self,
        project: str,
        milestone: str,
        on: date | None = None,
        *,
        force: bool = False,
        undo: bool = False,
        as_of: date | None = None,
        dry_run: bool = False,
    ) -> Change:
        """Record that ``milestone`` of ``project`` was delivered (交账) on ``on``; ``undo`` removes it.

        ``project`` and ``milestone`` are ids or names. Recording a date over a different one
        needs ``force``; the same date again changes nothing. With ``as_of``, a date after it
        is refused. A date before the project's start is recorded with a warning (``.warnings``).
        """
        if on is None and not undo:
            raise TypeError("mark_done needs the date `on` (or undo=True)")

        def edit(text: str) -> Edited:
            from sanshi_cli.editing import SetDone, as_date
            from sanshi_cli.writing import Edited

            found = self._find_project(text, project)
            ident = str(found.data.get("id"))
            milestones: list[dict[str, Any]] = found.data.get("milestones", [])
            index = _pick(
                "MILESTONE",
                milestone,
                [(str(m.get("id")), str(m.get("name"))) for m in milestones],
                "milestone",
            )
            target = milestones[index]
            said: dict[str, object] = {
                "project": one_line(ident),
                "milestone": one_line(str(target.get("id"))),
                "path": self.display,
            }
            old = as_date(target.get("done"))
            if undo:
                if "done" not in target:
                    return Edited(None, "done_not_recorded", said)
                new_text = self._apply(text, found, SetDone(index, None))
                return Edited(new_text, "done_undone", {**said, "old": _shown(target.get("done"))})
            assert on is not None
            if as_of is not None and on > as_of:
                raise UsageError([Problem("done_after_as_of", {"date": on, "today": as_of})])
            if old == on:
                return Edited(None, "done_already", {**said, "date": on})
            if "done" in target and not force:
                params = {**said, "old": _shown(target.get("done")), "date": on}
                raise UsageError([Problem("done_exists", params)])
            warnings = []
            start = as_date(found.data.get("start"))
            if start is not None and on < start:
                warnings.append(Problem("done_before_start", {**said, "date": on, "start": start}))
            new_text = self._apply(text, found, SetDone(index, on))
            if "done" in target:
                return Edited(new_text, "done_changed", {**said, "old": _shown(target.get("done")), "date": on},
                              warnings)  # fmt: skip
            return Edited(new_text, "done_recorded", {**said, "date": on}, warnings)

        return self._write(edit, dry_run)

    def add_report(
        self,
        project: str,
        on: date,
        *,
        progress: float | None = None,
        invest: float | None = None,
        text: str | None = None,
        next: str | None = None,  # noqa: A002 - the file's key
        by: str | None = None,
        replace: bool = False,
        as_of: date | None = None,
        dry_run: bool = False,
    ) -> Change:
        """Append a progress report (进度填报) dated ``on`` to ``project`` (an id or a name).

        ``progress``: cumulative 形象进度 in % (0–100, never below an earlier report's);
        ``invest``: 万元 completed since the previous report; ``text`` and ``next``: progress
        made and planned; ``by``: the reporting unit (id, name or short name). At least one of
        ``progress``, ``invest``, ``text``. A second report on the same day needs ``replace``,
        which corrects that report: the values given replace its own, the others stay.
        """
        from sanshi_cli.loading import number_text

        problems = []
        if progress is None and invest is None and not text:
            problems.append(Problem("report_nothing"))
        if progress is not None and not 0 <= progress <= 100:
            problems.append(Problem("report_progress_range", {"value": number_text(progress)}))
        if invest is not None and invest < 0:
            problems.append(Problem("report_invest_negative", {"value": number_text(invest)}))
        if as_of is not None and on > as_of:
            problems.append(Problem("report_after_as_of", {"date": on, "today": as_of}))
        if problems:
            raise UsageError(problems)

        def edit(content: str) -> Edited:
            from sanshi_cli.editing import PutReport, as_date, report_position
            from sanshi_cli.writing import Edited

            found = self._find_project(content, project)
            ident = one_line(str(found.data.get("id")))
            report: dict[str, object] = {"on": on}
            for key, value in (("progress", progress), ("invest", invest), ("text", text), ("next", next)):
                if value is not None:
                    report[key] = value
            if by is not None:
                report["by"] = self._unit(content, by)
            reports: list[dict[str, Any]] = found.data.get("reports", [])
            same = [i for i, r in enumerate(reports) if as_date(r.get("on")) == on]
            said = {"project": ident, "date": on, "path": self.display}
            if same and not replace:
                raise UsageError([Problem("report_exists", said)])
            if same:  # a correction: what is given replaces that key; the rest of the day's report stays
                kept = {k: v for k, v in reports[same[0]].items() if k in _REPORT_KEYS}
                report = {**kept, **report}
            others = [r for i, r in enumerate(reports) if i not in same]
            if progress is not None:
                earlier = others[: report_position(others, report)]
                previous = [(r["progress"], r["on"]) for r in earlier if isinstance(r.get("progress"), int | float)]
                if previous:
                    highest = max(previous, key=lambda pair: pair[0])
                    if progress < highest[0]:
                        params: dict[str, object] = {
                            "value": number_text(progress),
                            "previous": number_text(highest[0]),
                        }
                        params["previous_date"] = _shown(highest[1])
                        raise UsageError([Problem("report_progress_lower", params)])
            warnings = []
            start, finish = as_date(found.data.get("start")), as_date(found.data.get("finish"))
            if start is not None and finish is not None and not start <= on <= finish:
                warnings.append(Problem("report_date_outside_span", {**said, "start": start, "finish": finish}))
            new_text = self._apply(content, found, PutReport(report, same[0] if same else None))
            return Edited(new_text, "report_replaced" if same else "report_added", said, warnings)

        return self._write(edit, dry_run)

    # -- the problem list (问题清单) ------------------------------------------------------------

    def add_problem(
        self,
        project: str,
        text: str,
        due: date,
        *,
        raised: date,
        owner: str | None = None,
        leader: str | None = None,
        category: str | None = None,
        measures: str | None = None,
        as_of: date | None = None,
        dry_run: bool = False,
    ) -> Change:
        """Add a problem to ``project`` (an id or a name), raised on ``raised``, to be solved by ``due``.

        Its id is ``P-<year raised>-NNN``, one more than the largest of that year in the file
        (``.params["id"]``). ``owner`` (a unit) and ``leader`` (a person) take ids, names or short
        names; absent, the project's responsible unit and leader apply.
        """
        problems = []
        if not text.strip():
            problems.append(Problem("problem_text_empty", {"option": "TEXT"}))
        if due < raised:
            problems.append(Problem("problem_due_before_raised", {"due": due, "raised": raised}))
        if as_of is not None and raised > as_of:
            problems.append(Problem("problem_after_as_of", {"date": raised, "today": as_of, "option": "--raised"}))
        if problems:
            raise UsageError(problems)

        def edit(content: str) -> Edited:
            from sanshi_cli.editing import PutProblem
            from sanshi_cli.writing import Edited

            found = self._find_project(content, project)
            ident = _next_problem_id([p["id"] for p in self._problems(content)], raised.year)
            entry: dict[str, object] = {"id": ident, "text": text}
            if category:
                entry["category"] = category
            if owner is not None:
                entry["owner"] = self._unit(content, owner, "--owner")
            if leader is not None:
                entry["leader"] = self._person(content, leader)
            entry["raised"] = raised
            entry["due"] = due
            if measures:
                entry["measures"] = measures
            new_text = self._apply(content, found, PutProblem(entry))
            said = {"id": ident, "project": one_line(str(found.data.get("id"))), "text": one_line(text), "due": due}
            return Edited(new_text, "problem_added", {**said, "path": self.display})

        return self._write(edit, dry_run)

    def note_problem(
        self, problem: str, text: str, on: date, *, as_of: date | None = None, dry_run: bool = False
    ) -> Change:
        """Append a dated note (跟踪问效, ``[[projects.problems.updates]]``) to ``problem``.

        ``problem`` is its id or, where it names one problem only, the beginning of its text.
        """
        if not text.strip():
            raise UsageError([Problem("problem_text_empty", {"option": "TEXT"})])

        def decide(entry: dict[str, Any], said: dict[str, object]) -> _Decision:
            return _Decision({}, ("updates", {"on": on, "text": text}), "problem_noted", {**said, "date": on})

        return self._change_problem(problem, on, as_of, decide, dry_run)

    def extend_problem(
        self,
        problem: str,
        due: date,
        reason: str,
        on: date,
        *,
        as_of: date | None = None,
        dry_run: bool = False,
    ) -> Change:
        """Extend the deadline of ``problem`` to ``due`` (延期), for ``reason``: an ``extensions`` entry.

        The problem's own ``due`` stays. A closed problem cannot be extended; the new deadline
        cannot be before the day it was raised nor the same as the current one.
        """
        if not reason.strip():
            raise UsageError([Problem("problem_text_empty", {"option": "--reason"})])

        def decide(entry: dict[str, Any], said: dict[str, object]) -> _Decision:
            from sanshi_cli.editing import as_date

            closed = as_date(entry.get("closed"))
            if closed is not None:
                raise UsageError([Problem("problem_closed_no_extend", {**said, "date": closed})])
            raised = as_date(entry.get("raised"))
            if raised is not None and due < raised:
                raise UsageError([Problem("problem_due_before_raised", {"due": due, "raised": raised})])
            extensions = [e for e in entry.get("extensions", []) if isinstance(e, dict)]
            current = as_date(extensions[-1].get("due")) if extensions else as_date(entry.get("due"))
            if current == due:
                raise UsageError([Problem("problem_due_same", {**said, "due": due})])
            previous = as_date(extensions[-1].get("on")) if extensions else None
            if previous is not None and on < previous:
                raise UsageError([Problem("problem_extension_order", {**said, "date": on, "previous": previous})])
            params = {**said, "old": _shown(current) if current else "—", "due": due}
            return _Decision({}, ("extensions", {"on": on, "due": due, "reason": reason}), "problem_extended", params)

        return self._change_problem(problem, on, as_of, decide, dry_run)

    def solve_problem(self, problem: str, on: date, *, as_of: date | None = None, dry_run: bool = False) -> Change:
        """Record that the responsible unit reported ``problem`` solved (办结) on ``on``."""

        def decide(entry: dict[str, Any], said: dict[str, object]) -> _Decision:
            from sanshi_cli.editing import as_date

            closed, solved = as_date(entry.get("closed")), as_date(entry.get("solved"))
            if closed is not None:
                raise UsageError([Problem("problem_closed_no_solve", {**said, "date": closed})])
            if solved is not None:
                raise UsageError([Problem("problem_solved_twice", {**said, "date": solved})])
            return _Decision({"solved": on}, None, "problem_solved", {**said, "date": on})

        return self._change_problem(problem, on, as_of, decide, dry_run)

    def close_problem(
        self, problem: str, on: date, *, force: bool = False, as_of: date | None = None, dry_run: bool = False
    ) -> Change:
        """Close ``problem`` off (销号) on ``on``, after the PMO verified it.

        An unsolved problem needs ``force``, and then gets both dates.
        """

        def decide(entry: dict[str, Any], said: dict[str, object]) -> _Decision:
            from sanshi_cli.editing import as_date

            closed, solved = as_date(entry.get("closed")), as_date(entry.get("solved"))
            if closed is not None:
                raise UsageError([Problem("problem_closed_twice", {**said, "date": closed})])
            if solved is None and not force:
                raise UsageError([Problem("problem_not_solved", {**said, "date": on})])
            if solved is not None and on < solved:
                raise UsageError([Problem("command_closed_before_solved", {**said, "date": on, "solved": solved})])
            if solved is None:
                return _Decision({"solved": on, "closed": on}, None, "problem_closed_forced", {**said, "date": on})
            return _Decision({"closed": on}, None, "problem_closed", {**said, "date": on})

        return self._change_problem(problem, on, as_of, decide, dry_run)

    def reopen_problem(
        self, problem: str, reason: str, on: date, *, as_of: date | None = None, dry_run: bool = False
    ) -> Change:
        """Reopen a solved or closed ``problem``: its dates move into a ``reopenings`` entry, with ``reason``."""
        if not reason.strip():
            raise UsageError([Problem("problem_text_empty", {"option": "--reason"})])

        def decide(entry: dict[str, Any], said: dict[str, object]) -> _Decision:
            from sanshi_cli.editing import as_date

            solved, closed = entry.get("solved"), entry.get("closed")
            if solved is None and closed is None:
                raise UsageError([Problem("problem_not_reopenable", said)])
            last = max(d for d in (as_date(solved), as_date(closed), date.min) if d is not None)
            if on < last:
                raise UsageError([Problem("problem_reopened_before", {**said, "date": on, "last": last})])
            kept: dict[str, object] = {"on": on, "reason": reason}
            if solved is not None:
                kept["solved"] = solved
            if closed is not None:
                kept["closed"] = closed
            params = {**said, "date": on, "solved": _shown(solved) if solved else "—"}
            params["closed"] = _shown(closed) if closed else "—"
            return _Decision({"solved": None, "closed": None}, ("reopenings", kept), "problem_reopened", params)

        return self._change_problem(problem, on, as_of, decide, dry_run)

    def _change_problem(
        self,
        wanted: str,
        on: date,
        as_of: date | None,
        decide: Callable[[dict[str, Any], dict[str, object]], _Decision],
        dry_run: bool,
    ) -> Change:
        """One edit of one problem: found by id or text prefix, the date checked, ``decide`` says what."""
        if as_of is not None and on > as_of:
            raise UsageError([Problem("problem_after_as_of", {"date": on, "today": as_of, "option": "--on"})])

        def edit(content: str) -> Edited:
            from sanshi_cli.editing import ChangeProblem, as_date
            from sanshi_cli.writing import Edited

            every = self._problems(content)
            picked = every[_pick_problem(wanted, [(str(p["id"]), str(p.get("text", ""))) for p in every])]
            entry: dict[str, Any] = picked["data"]
            said: dict[str, object] = {"id": one_line(str(entry.get("id")))}
            raised = as_date(entry.get("raised"))
            if raised is not None and on < raised:
                raise UsageError([Problem("command_before_raised", {**said, "date": on, "raised": raised})])
            decision = decide(entry, said)
            change = ChangeProblem(picked["index"], decision.keys, decision.append)
            new_text = self._apply(content, picked["found"], change)
            return Edited(new_text, decision.message, {**decision.params, "path": self.display})

        return self._write(edit, dry_run)

    def _problems(self, text: str) -> list[dict[str, Any]]:
        """Every problem in the file, in order: ``{"id", "text", "index", "data", "found"}``.

        Only the spans of projects that mention ``problems`` are parsed (cheap on a large file).
        """
        import tomli

        from sanshi_cli.loading import parse_toml

        found = self._outline(text)
        listed: list[dict[str, Any]] = []
        if found.projects:
            try:
                for span in found.projects:
                    if text.find("problems", span.start, span.end) < 0:
                        continue
                    data = tomli.loads(found.fragment(span))["projects"][0]
                    _collect(listed, data, _Found(found, span, span.index, data))
                return listed
            except (tomli.TOMLDecodeError, KeyError, IndexError, TypeError):
                listed = []
        projects = parse_toml(text, self.display).get("projects")
        for index, data in enumerate(projects if isinstance(projects, list) else []):
            if isinstance(data, dict):
                _collect(listed, data, _Found(found, None, index, data))
        return listed

    # -- several edits at once ----------------------------------------------------------------

    def apply_edits(
        self,
        decide: Callable[[str], tuple[Sequence[tuple[str, Edit]], str, dict[str, object]]],
        *,
        dry_run: bool = False,
    ) -> Change:
        """Make several edits, in one or many projects, as one write: all of them or none.

        ``decide`` gets the file's text (read under the lock) and returns the edits, each with
        the id of its project, and the message key and parameters of the line that says what was
        done. The edits of one project are made in order on its lines only; the whole edited
        text is validated once, then written as every other write is (``sanshi collect``).
        """

        def edit(text: str) -> Edited:
            from sanshi_cli.writing import Edited

            edits, key, params = decide(text)
            new_text = self._apply_many(text, edits) if edits else None
            return Edited(new_text, key, {**params, "path": self.display})

        return self._write(edit, dry_run)

    def _apply_many(self, text: str, edits: Sequence[tuple[str, Edit]]) -> str:
        """``text`` with every edit made: each project's edits on its span, the spans joined once."""
        import tomli

        from sanshi_cli.editing import CannotEdit, edit_span_all

        grouped: dict[str, list[Edit]] = {}
        for project, change in edits:
            grouped.setdefault(project, []).append(change)
        found = self._outline(text)
        spans: dict[str | None, list[ProjectSpan]] = {}
        for span in found.projects:
            spans.setdefault(span.id, []).append(span)
        replaced: dict[int, str] = {}
        rest: list[tuple[str, list[Edit]]] = []
        for project, changes in grouped.items():
            candidates = spans.get(project, [])
            if len(candidates) == 1:
                span = candidates[0]
                fragment = found.fragment(span)
                try:
                    data = tomli.loads(fragment)["projects"][0]
                    if data.get("id") != project:
                        raise CannotEdit("the span holds another project")
                    fragment = edit_span_all(fragment, data, changes, found.newline)
                except (CannotEdit, tomli.TOMLDecodeError, KeyError, IndexError, TypeError):
                    rest.append((project, changes))
                    continue
                replaced[span.index] = fragment
            else:
                rest.append((project, changes))
        if replaced:
            parts: list[str] = []
            position = 0
            for span in found.projects:
                if span.index in replaced:
                    parts += [text[position : span.start], replaced[span.index]]
                    position = span.end
            parts.append(text[position:])
            text = "".join(parts)
        for project, changes in rest:  # shapes the span edit does not know: one edit at a time
            for change in changes:
                text = self._apply(text, self._find_project(text, project), change)
        return text

    # -- the machinery ------------------------------------------------------------------------

    def _write(self, edit: Any, dry_run: bool) -> Change:
        from sanshi_cli.writing import rewrite

        written: Written = rewrite(self.path, self.display, edit, dry_run=dry_run, timeout=self.lock_timeout)
        if written.written and written.loaded is not None:
            self._loaded = written.loaded
            if self.cache is not None and written.data is not None:
                self.cache.store(self.path, written.data, written.loaded)
            self._settings = None
            self._read = None
        edited = written.edited
        return Change(
            self.display,
            edited.message,
            edited.params,
            written.old_text,
            written.new_text,
            written.written,
            edited.warnings,
            written.backup,
        )

    def _text(self) -> str:
        from sanshi_cli.loading import decode_text, read_raw

        raw = read_raw(self.path, self.display)
        if self._read is not None and self._read[0] == raw:
            return self._read[1]
        text = decode_text(raw, self.display)
        self._outline(text, raw)
        return text

    def _outline(self, text: str, raw: bytes | None = None) -> Outline:
        """The outline of ``text`` (kept while the file does not change)."""
        from sanshi_cli.editing import outline

        if self._read is not None and self._read[1] == text:
            return self._read[2]
        found = outline(text)
        self._read = (raw if raw is not None else b"", text, found)
        return found

    def _rest_data(self, text: str) -> dict[str, Any]:
        """The file's tables other than the projects (settings, units, people), parsed cheaply."""
        import tomli

        from sanshi_cli.loading import parse_toml

        found = self._outline(text)
        if found.projects:
            try:
                return tomli.loads(found.rest())
            except tomli.TOMLDecodeError:
                pass  # a shape the outline does not know: read it all (the error, if any, located)
        return parse_toml(text, self.display)

    def _find_project(self, text: str, wanted: str) -> _Found:
        """The project named by id or name: its span (when it has one) and its data."""
        import tomli

        from sanshi_cli.loading import parse_toml

        found = self._outline(text)
        for attribute in ("id", "name"):
            spans = [s for s in found.projects if getattr(s, attribute) == wanted]
            if len(spans) == 1 or (spans and attribute == "id"):
                first = spans[0]
                try:
                    data = tomli.loads(found.fragment(first))["projects"][0]
                except (tomli.TOMLDecodeError, KeyError, IndexError, TypeError):
                    break
                if data.get(attribute) == wanted:
                    return _Found(found, first, first.index, data)
                break
        # an id or name written unusually, an unknown one, or a file without [[projects]] headers
        everything = parse_toml(text, self.display)
        projects = everything.get("projects")
        if not isinstance(projects, list):
            projects = []
        entries = [(str(p.get("id")), str(p.get("name"))) if isinstance(p, dict) else ("", "") for p in projects]
        index = _pick("PROJECT", wanted, entries, "project")
        spans = found.projects if len(found.projects) == len(projects) else []
        span: ProjectSpan | None = spans[index] if spans else None
        if span is not None:
            try:
                if tomli.loads(found.fragment(span))["projects"][0] != projects[index]:
                    span = None
            except (tomli.TOMLDecodeError, KeyError, IndexError, TypeError):
                span = None
        return _Found(found, span, index, projects[index])

    def _apply(self, text: str, found: _Found, change: Edit) -> str:
        from sanshi_cli.editing import CannotEdit, edit_document, edit_span

        outline = found.outline
        if found.span is not None:
            try:
                fragment = edit_span(outline.fragment(found.span), found.data, change, outline.newline)
                return outline.replaced(found.span, fragment)
            except CannotEdit:
                pass  # a shape the hand edit does not know: the whole file with tomlkit
        return edit_document(text, found.index, found.data, change, outline.newline)

    def _unit(self, text: str, wanted: str, option: str = "--by") -> str:
        """The id of the unit named by id, name or short name (``--by``, ``--owner``)."""
        return self._named(text, "units", wanted, option, "unit")

    def _person(self, text: str, wanted: str, option: str = "--leader") -> str:
        """The id of the person named by id, name or short name (``--leader``)."""
        return self._named(text, "people", wanted, option, "person")

    def _named(self, text: str, table: str, wanted: str, option: str, kind: str) -> str:
        rows = self._rest_data(text).get(table)
        listed = [u for u in rows if isinstance(u, dict)] if isinstance(rows, list) else []
        entries = [(str(u.get("id")), str(u.get("name"))) for u in listed]
        shorts = [str(u.get("short")) if u.get("short") is not None else None for u in listed]
        return entries[_pick(option, wanted, entries, kind, shorts)][0]


_REPORT_KEYS = ("on", "progress", "invest", "text", "next", "by")


@dataclass(slots=True)
class _Found:
    outline: Outline
    span: ProjectSpan | None
    index: int
    data: dict[str, Any]


def _pick(
    option: str, wanted: str, entries: list[tuple[str, str]], kind: str, shorts: Sequence[str | None] = ()
) -> int:
    """The index of the entry whose id, else name (else short name), is ``wanted``; else a usage error."""
    from sanshi_cli.loading import suggest

    for i, (ident, _) in enumerate(entries):
        if ident == wanted:
            return i
    for position in (1, 2):
        if position == 1:
            matches = [i for i, (_, name) in enumerate(entries) if name == wanted]
        else:
            matches = [i for i, short in enumerate(shorts) if short == wanted]
        if len(matches) == 1:
            return matches[0]
        if matches:
            ids = ", ".join(one_line(entries[i][0]) for i in matches)
            params: dict[str, object] = {"option": option, "value": one_line(wanted), "kind": Msg(f"kind_{kind}")}
            params["ids"] = ids
            raise UsageError([Problem("ambiguous_name", params)])
    names = [ident for ident, _ in entries] + [name for _, name in entries] + [s for s in shorts if s]
    hint = suggest(wanted, names)
    params = {"option": option, "value": one_line(wanted), "kind": Msg(f"kind_{kind}"), "hint": hint}
    raise UsageError([Problem("unknown_filter", params)])


@dataclass(frozen=True, slots=True)
class _Decision:
    """What a problem command does to the problem: keys set (None: removed), an entry appended, the line."""

    keys: dict[str, object | None]
    append: tuple[str, dict[str, object]] | None
    message: str
    params: dict[str, object]


def _collect(listed: list[dict[str, Any]], project: dict[str, Any], found: _Found) -> None:
    problems = project.get("problems")
    for index, entry in enumerate(problems if isinstance(problems, list) else []):
        if isinstance(entry, dict):
            listed.append({"id": entry.get("id"), "text": entry.get("text"), "index": index, "data": entry,
                           "found": found})  # fmt: skip


_PROBLEM_ID = re.compile(r"P-(\d{4})-(\d+)")
_LISTED = 10  # candidates named when a text prefix is ambiguous


def _next_problem_id(ids: Sequence[object], year: int) -> str:
    """``P-<year>-NNN``: one more than the largest of that year, at least three digits."""
    numbers = [
        int(m.group(2))
        for i in ids
        if isinstance(i, str) and (m := _PROBLEM_ID.fullmatch(i)) and int(m.group(1)) == year
    ]
    return f"P-{year}-{max(numbers, default=0) + 1:03d}"


def _pick_problem(wanted: str, entries: list[tuple[str, str]]) -> int:
    """The problem whose id is ``wanted``, else whose text is or starts with it (one only); else an error."""
    from sanshi_cli.loading import suggest

    for i, (ident, _) in enumerate(entries):
        if ident == wanted:
            return i
    if wanted.strip():
        for matches in (
            [i for i, (_, text) in enumerate(entries) if text == wanted],
            [i for i, (_, text) in enumerate(entries) if text.startswith(wanted)],
        ):
            if len(matches) == 1:
                return matches[0]
            if matches:
                shown = [f"{one_line(entries[i][0])} {one_line(entries[i][1])}" for i in matches[:_LISTED]]
                more = len(matches) - len(shown)
                ids = "; ".join(shown) + (f"; … (+{more})" if more else "")
                raise UsageError([Problem("problem_ambiguous", {"value": one_line(wanted), "ids": ids})])
    hint = suggest(wanted, [ident for ident, _ in entries] + [text for _, text in entries])
    raise UsageError([Problem("problem_unknown", {"value": one_line(wanted), "hint": hint})])


def _names(value: Names) -> Sequence[str]:
    return (value,) if isinstance(value, str) else value


def _shown(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else one_line(str(value))
