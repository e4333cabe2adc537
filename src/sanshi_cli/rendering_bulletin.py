"""The bulletin's text views: Markdown (a Jinja2 template), JSON, and a short chat digest.

Everything from the file is user data: in Markdown each value is escaped by :func:`markdown_escape`
(Markdown's own characters and line breaks, never HTML entities), applied by the template's
``md`` filter to every value. Jinja2 is imported only when Markdown is rendered.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from sanshi_cli.bulletin import Bulletin, bulletin_json
from sanshi_cli.i18n import Lang, label, visible
from sanshi_cli.progress import one_decimal
from sanshi_cli.status import Item

TEMPLATES = Path(__file__).parent / "templates"
# Markdown's own characters: a backslash first, so that an escape in the text is not undone.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_BREAKS = re.compile(r"\s*(?:\r\n|\r|\n|\u2028|\u2029)\s*")
_ZH_NUMBERS = "一二三四五六七八九十"


def markdown_escape(value: object) -> str:
    """User text as literal Markdown: ``| * _ [ ] # < >`` (and ``\\ ` ~``) backslash-escaped, line
    breaks folded to one space, control characters shown as escapes (``\\x1b``); None is empty."""
    if value is None:
        return ""
    text = _BREAKS.sub(" ", str(value))
    return _SPECIAL.sub(r"\\\1", visible(text))


def percent(value: float | None) -> str:
    return "—" if value is None else f"{one_decimal(value):.1f}%"


def points(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}"


def yi(value: float) -> str:
    return f"{value:.2f}"


def item_name(item: Item, lang: Lang) -> str:
    """What a red or yellow item is about: its milestone, its problem, or the kind of lag."""
    if item.milestone is not None:
        return item.milestone.name
    if item.problem is not None:
        return f"{item.problem.id} {item.problem.text}"
    return label(f"item_{item.kind}", lang)


def item_note(item: Item, lang: Lang) -> str:
    if item.state == "overdue":
        return label("days_overdue_1" if item.days_overdue == 1 else "days_overdue", lang, n=item.days_overdue)
    if item.lag_points is not None:
        return label("bulletin_points_behind", lang, points=f"{item.lag_points:.1f}")
    if item.kind == "report_missing":
        return label("reports_missed_1" if item.reports_missed == 1 else "reports_missed", lang, n=item.reports_missed)
    if item.slip_days:
        return label("slip_1" if item.slip_days == 1 else "slip", lang, n=item.slip_days)
    return ""


def _changes(b: Bulletin, lang: Lang) -> Iterator[tuple[str, str, str, str]]:
    c = b.changes
    for kind, items in (("new_flag", c.new_flags), ("turned_red", c.turned_red), ("cleared", c.cleared)):
        for item in items:
            yield kind, item.project.name, item_name(item, lang), label(item.level, lang)
    for node in c.delivered:
        yield (
            "delivered",
            node.project.name,
            node.milestone.name,
            f"{node.done} ({label('bulletin_' + node.outcome, lang)})",
        )
    for view in c.problems_new:
        yield "problem_new", view.project.name, f"{view.id} {view.text}", str(view.raised)
    for view in c.problems_closed:
        yield "problem_closed", view.project.name, f"{view.id} {view.text}", str(view.closed)


def _headings(lang: Lang) -> Callable[[int], str]:
    """Section headings numbered in the order they appear (section 7 is not there yet)."""
    seen: list[int] = []

    def heading(section: int) -> str:
        seen.append(section)
        n = len(seen)
        return f"{_ZH_NUMBERS[n - 1]}、" if lang == "zh" else f"{n}. "

    return heading


def render_markdown(b: Bulletin, lang: Lang, out: IO[str], *, title: str, unit_names: dict[str, str]) -> None:
    """The bulletin as Markdown tables, one section after another."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,  # Markdown, not HTML: values are escaped by the md filter instead
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters.update(md=markdown_escape, pct=percent, pts=points, yi=yi)

    def t(key: str, **params: object) -> str:
        return label(key, lang, **params)

    text = env.get_template("bulletin.md.j2").render(
        b=b,
        t=t,
        title=title,
        heading=_headings(lang),
        changes=list(_changes(b, lang)),
        item_name=lambda item: item_name(item, lang),
        item_note=lambda item: item_note(item, lang),
        unit=lambda unit_id: unit_names.get(unit_id, unit_id),
    )
    out.write(re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n")


def render_json(b: Bulletin, out: IO[str]) -> None:
    json.dump(bulletin_json(b), out, ensure_ascii=False, indent=2)
    out.write("\n")


def chat_digest(b: Bulletin, lang: Lang, *, title: str) -> str:
    """A short list-style digest of sections 1 and 2 for a group chat (which shows no tables).

    Plain lines starting with ``- ``; user text escaped as in Markdown. The 红黑榜 joins it with
    the ranking.
    """
    o = b.overview
    inv = o.investment
    c = b.changes
    stages = "，" if lang == "zh" else ", "
    named = []
    for s in o.stages:
        if s.completed:
            name = label("bulletin_stage_completed", lang)
        else:
            name = markdown_escape(s.stage) if s.stage is not None else label("bulletin_stage_none", lang)
        named.append(f"{name} {s.projects}")
    gap = inv.points
    if gap is None or gap == 0:
        ahead = label("bulletin_points_even", lang)
    else:
        ahead = label("bulletin_points_ahead" if gap > 0 else "bulletin_points_behind", lang, points=f"{abs(gap):.1f}")
    lines = [
        f"**{label('bulletin_title_' + b.period.cadence, lang, title=markdown_escape(title), period=b.period.label)}**",
        "- " + label("bulletin_digest_stages", lang, n=o.projects, stages=stages.join(named)),
        "- " + label("bulletin_digest_nodes", lang, due=o.nodes_due, on_time=o.nodes_on_time, late=o.nodes_late,
                     open=o.nodes_open),
        "- " + label("bulletin_digest_pace", lang, on_pace=o.on_pace, behind=o.behind, no_report=o.no_report),
        "- " + label("bulletin_digest_invest", lang, plan=yi(inv.plan_yi), completed=yi(inv.completed_yi),
                     rate=percent(inv.rate), time=percent(inv.time_progress), points=ahead),
        "- " + label("bulletin_digest_problems", lang, **_problem_counts(b)),
        "- " + label("bulletin_digest_changes", lang, new=len(c.new_flags), red=len(c.turned_red),
                     cleared=len(c.cleared), delivered=len(c.delivered), problems_new=len(c.problems_new),
                     problems_closed=len(c.problems_closed)),
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def _problem_counts(b: Bulletin) -> dict[str, Any]:
    p = b.overview.problems
    return {"new": p.new, "solved": p.solved, "closed": p.closed, "overdue": p.overdue, "escalated": p.escalated}
