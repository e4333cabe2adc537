"""Edits of the file's text: only the expected lines change, everything else byte for byte."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import tomli

from sanshi_cli.editing import (
    CannotEdit,
    PutReport,
    SetDone,
    edit_document,
    edit_span,
    outline,
    render_value,
)
from tests.conftest import SAMPLE

TEXT = SAMPLE.read_text(encoding="utf-8")


def edit(text: str, project: str, change: SetDone | PutReport) -> str:
    """The whole text with ``change`` made to ``project`` (by id), through its span."""
    found = outline(text)
    [span] = [s for s in found.projects if s.id == project]
    data = tomli.loads(found.fragment(span))["projects"][0]
    return found.replaced(span, edit_span(found.fragment(span), data, change, found.newline))


def index_of(text: str, project: str, milestone: str) -> int:
    data = tomli.loads(text)
    [found] = [p for p in data["projects"] if p["id"] == project]
    return [m["id"] for m in found["milestones"]].index(milestone)


def once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# -- the bundled sample ---------------------------------------------------------------------------


def test_done_on_a_projects_last_milestone_lands_before_the_next_tables_comment() -> None:
    j = index_of(TEXT, "civic-center", "handover")
    edited = edit(TEXT, "civic-center", SetDone(j, date(2026, 11, 27)))
    expected = once(
        TEXT,
        "  progress = 100\n\n  # 月度目标（月份须在项目起止期间内）\n",
        "  progress = 100\n  done = 2026-11-27\n\n  # 月度目标（月份须在项目起止期间内）\n",
    )
    assert edited == expected


def test_done_in_the_middle_goes_after_the_tables_last_key() -> None:
    j = index_of(TEXT, "civic-center", "topping-out")
    edited = edit(TEXT, "civic-center", SetDone(j, date(2026, 11, 27)))
    assert edited == once(
        TEXT,
        '  name = "主体封顶"\n  stage = "开工建设"\n  due = 2027-05-28\n  progress = 60\n',
        '  name = "主体封顶"\n  stage = "开工建设"\n  due = 2027-05-28\n  progress = 60\n  done = 2026-11-27\n',
    )


def test_a_new_date_over_an_old_one_keeps_its_comment_where_it_was() -> None:
    j = index_of(TEXT, "civic-center", "permits")
    edited = edit(TEXT, "civic-center", SetDone(j, date(2026, 6, 8)))
    assert edited == once(
        TEXT,
        "  done = 2026-06-05                  # 逾期交账\n  depends",
        "  done = 2026-06-08                  # 逾期交账\n  depends",
    )


def test_undo_removes_the_line_and_nothing_else() -> None:
    j = index_of(TEXT, "civic-center", "permits")
    edited = edit(TEXT, "civic-center", SetDone(j, None))
    assert edited == once(TEXT, "  done = 2026-06-05                  # 逾期交账\n  depends", "  depends")


def test_a_report_goes_after_the_projects_last_report_before_the_next_comment() -> None:
    report: dict[str, object] = {"on": date(2026, 11, 27), "progress": 35.0, "invest": 1200.5, "text": "完成三层"}
    edited = edit(TEXT, "civic-center", PutReport(report))
    assert edited == once(
        TEXT,
        '  next = "二层顶板混凝土浇筑"\n  by = "tzjt"\n\n# ---- 2.',
        '  next = "二层顶板混凝土浇筑"\n  by = "tzjt"\n\n  [[projects.reports]]\n  on = 2026-11-27\n  progress = 35\n'
        '  invest = 1200.5\n  text = "完成三层"\n\n# ---- 2.',
    )


def test_reports_stay_in_date_order_and_one_is_replaced_in_place() -> None:
    later = edit(TEXT, "civic-center", PutReport({"on": date(2026, 12, 4), "progress": 35}))
    earlier = edit(later, "civic-center", PutReport({"on": date(2026, 11, 27), "progress": 32}))
    block = (
        '  by = "tzjt"\n\n  [[projects.reports]]\n  on = 2026-11-27\n  progress = 32\n\n'
        "  [[projects.reports]]\n  on = 2026-12-04\n  progress = 35\n\n# ---- 2."
    )
    assert block in earlier
    # civic-center's reports: 10-30, 11-06, 11-13, 11-20, 11-27, 12-04
    replaced = edit(earlier, "civic-center", PutReport({"on": date(2026, 12, 4), "text": "改正"}, replace=5))
    assert replaced == once(earlier, "  on = 2026-12-04\n  progress = 35\n", '  on = 2026-12-04\n  text = "改正"\n')


def test_a_first_report_goes_under_the_comment_that_introduces_the_reports() -> None:
    edited = edit(TEXT, "civic-center", PutReport({"on": date(2026, 10, 23), "progress": 25}))
    intro = "  # invest 为本期（自上次填报以来）完成投资，万元\n"
    assert edited == once(
        TEXT,
        f"{intro}  [[projects.reports]]\n  on = 2026-10-30\n",
        f"{intro}  [[projects.reports]]\n  on = 2026-10-23\n  progress = 25\n\n  [[projects.reports]]\n  on = 2026-10-30\n",
    )


REPORTS = """\
[[projects]]
id = "p1"

  # 填报
  [[projects.reports]]
  on = 2026-10-02
  progress = 1

  # 十一月起改为周报
  [[projects.reports]]
  on = 2026-11-06
  progress = 3
"""


def test_a_report_before_a_later_one_goes_before_that_ones_own_comment() -> None:
    edited = edit(REPORTS, "p1", PutReport({"on": date(2026, 10, 30), "progress": 2}))
    assert edited == once(
        REPORTS,
        "  progress = 1\n\n  # 十一月起改为周报\n",
        "  progress = 1\n\n  [[projects.reports]]\n  on = 2026-10-30\n  progress = 2\n\n  # 十一月起改为周报\n",
    )


# -- other shapes of the file ---------------------------------------------------------------------

SMALL = """\
[[projects]]  # the first one
id = "p1"
name = "项目一"

    [[projects.milestones]]
    id = "m1"
    due = 2026-03-01

    # 第二个节点
    [[projects.milestones]]
    id = "m2"
    due = 2026-04-01

# ---- next ----
[[projects]]
id = "p2"
"""


def test_a_crlf_file_stays_crlf() -> None:
    text = SMALL.replace("\n", "\r\n")
    edited = edit(text, "p1", SetDone(1, date(2026, 4, 2)))
    assert edited == once(text, "due = 2026-04-01\r\n", "due = 2026-04-01\r\n    done = 2026-04-02\r\n")
    edited = edit(edited, "p1", PutReport({"on": date(2026, 4, 3), "progress": 10}))
    assert "\n" not in edited.replace("\r\n", "")
    assert edited.endswith(
        "    done = 2026-04-02\r\n\r\n    [[projects.reports]]\r\n    on = 2026-04-03\r\n    progress = 10\r\n"
        '\r\n# ---- next ----\r\n[[projects]]\r\nid = "p2"\r\n'
    )


def test_keys_take_the_tables_indentation_and_go_before_the_next_tables_comment() -> None:
    edited = edit(SMALL, "p1", SetDone(0, date(2026, 3, 2)))
    assert edited == once(SMALL, "due = 2026-03-01\n\n", "due = 2026-03-01\n    done = 2026-03-02\n\n")


def test_a_file_without_a_final_line_break() -> None:
    text = SMALL + '[[projects.milestones]]\nid = "x"\ndue = 2026-01-01'
    edited = edit(text, "p2", SetDone(0, date(2026, 1, 2)))
    assert edited == text + "\ndone = 2026-01-02\n"


INLINE = """\
[[projects]]
id = "p1"
milestones = [
  { id = "m1", due = 2026-03-01 },
  { id = "m2", due = 2026-04-01, done = 2026-04-01 },  # note
]
reports = [{ on = 2026-02-01, progress = 3 }]

# ---- next ----
"""


def test_inline_tables_are_edited_in_place() -> None:
    edited = edit(INLINE, "p1", SetDone(0, date(2026, 3, 2)))
    assert edited == once(INLINE, "2026-03-01 },", "2026-03-01, done = 2026-03-02 },")
    undone = edit(edited, "p1", SetDone(1, None))
    assert undone == once(edited, "due = 2026-04-01, done = 2026-04-01 },  # note", "due = 2026-04-01 },  # note")
    reported = edit(undone, "p1", PutReport({"on": date(2026, 5, 1), "progress": 9.0}))
    assert reported == once(undone, "progress = 3 }]\n", "progress = 3 }, { on = 2026-05-01, progress = 9 }]\n")


def test_a_file_of_inline_projects_is_edited_as_a_whole() -> None:
    text = 'units = []\nprojects = [\n  { id = "p1", milestones = [{ id = "m1", due = 2026-03-01 }] },  # one\n]\n'
    project: dict[str, Any] = tomli.loads(text)["projects"][0]
    assert outline(text).projects == []
    edited = edit_document(text, 0, project, SetDone(0, date(2026, 3, 2)), "\n")
    assert edited == once(text, "due = 2026-03-01 }", "due = 2026-03-01, done = 2026-03-02 }")


def test_a_header_inside_a_multiline_string_is_no_project() -> None:
    text = '[[projects]]\nid = "p1"\nnote = """\n[[projects]]\nid = "fake"\n"""\n\n[[projects]]\nid = "p2"\n'
    assert [s.id for s in outline(text).projects] == ["p1", "p2"]


def test_an_edit_that_would_not_read_back_as_expected_is_refused() -> None:
    found = outline(SMALL)
    span = found.projects[0]
    wrong = {"id": "p1", "name": "项目一", "milestones": [{"id": "m1", "due": date(2026, 1, 1)}, {"id": "m2"}]}
    with pytest.raises(CannotEdit):
        edit_span(found.fragment(span), wrong, SetDone(0, date(2026, 3, 2)), "\n")


@pytest.mark.parametrize(
    "value", ['他说"好"', "两行\n文字", "tab\there", "\x1b[31m", "back\\slash", "'single'", '"""', "中文 ✓"]
)
def test_strings_are_written_so_that_they_read_back_the_same(value: str) -> None:
    assert tomli.loads(f"x = {render_value(value)}")["x"] == value
