"""问题清单 (issue 11): a problem as of a day, its validation, and problems in ``status``.

The core is checked against hand-computed cases: one problem raised on Monday 2026-11-02 with
its deadline on Friday 2026-11-20 (defaults: remind 3 working days, red after 7 days overdue,
escalation at 7 and 21 days overdue, verification within 3 working days).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from sanshi_cli.loading import Loaded, load_text
from sanshi_cli.problems import ProblemView, problem_as_of, problems_as_of
from sanshi_cli.status import Filters
from tests.conftest import Result

BASE = """\
[[units]]
id = "jsj"
name = "高新区建设局"

[[units]]
id = "gdj"
name = "国网高新供电公司"
short = "供电公司"

[[people]]
id = "leader-a"
name = "示例领导甲"

[[people]]
id = "leader-b"
name = "示例领导乙"

[[projects]]
id = "civic-center"
name = "市民中心"
leader = "leader-a"
lead_unit = "jsj"
responsible_unit = "jsj"
start = 2026-03-02
finish = 2027-12-31

  [[projects.problems]]
  id = "P-2026-031"
  text = "施工用电接入滞后"
  category = "要素保障"
  owner = "gdj"
  leader = "leader-b"
  raised = 2026-11-02
  due = 2026-11-20
"""  # the problem's `due` is on line 34


def loaded_with(extra: str = "", head: str = "") -> Loaded:
    """BASE with ``extra`` lines added to the problem (and its tables after it), ``head`` before all."""
    return load_text(head + BASE + extra, "projects.toml")


def view_as_of(day: str, extra: str = "", head: str = "") -> ProblemView | None:
    loaded = loaded_with(extra, head)
    project = loaded.portfolio.projects[0]
    return problem_as_of(project, project.problems[0], loaded, date.fromisoformat(day))


def shown(view: ProblemView | None) -> tuple[object, ...] | None:
    """What a test compares: lifecycle, state, level, days overdue, working days left, escalation."""
    if view is None:
        return None
    return (view.lifecycle, view.state, view.level, view.days_overdue, view.workdays_left, view.escalation)


# -- the core: a problem as of a day ------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2026-11-01", None),  # not raised yet: it does not exist
        ("2026-11-02", ("open", "open", None, 0, 14, 1)),  # 14 working days to go: nothing to chase
        ("2026-11-16", ("open", "open", None, 0, 4, 1)),  # Mon: 17, 18, 19, 20 are 4 > remind 3
        ("2026-11-17", ("open", "due_soon", "blue", 0, 3, 1)),  # 3 working days: blue
        ("2026-11-18", ("solved", "solved", None, 0, 0, 1)),  # reported solved today
        ("2026-11-19", ("closed", "closed", None, 0, 0, 1)),  # closed off (销号)
        ("2026-12-31", ("closed", "closed", None, 0, 0, 1)),
    ],
)
def test_lifecycle_as_of_each_day(as_of, expected):
    extra = "  solved = 2026-11-18\n  closed = 2026-11-19\n"
    assert shown(view_as_of(as_of, extra)) == expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2026-11-20", ("open", "due_soon", "blue", 0, 0, 1)),  # due today
        ("2026-11-21", ("open", "overdue", "yellow", 1, 0, 1)),
        ("2026-11-26", ("open", "overdue", "yellow", 6, 0, 1)),
        ("2026-11-27", ("open", "overdue", "yellow", 7, 0, 2)),  # 7 ≥ 7: level 2; 7 ≤ red_after_days: yellow
        ("2026-11-28", ("open", "overdue", "red", 8, 0, 2)),  # 8 > 7: red
        ("2026-12-10", ("open", "overdue", "red", 20, 0, 2)),
        ("2026-12-11", ("open", "overdue", "red", 21, 0, 3)),  # 21 ≥ 21: level 3 (督办)
        ("2027-03-01", ("open", "overdue", "red", 101, 0, 3)),  # never beyond 3
    ],
)
def test_overdue_levels_and_escalation_at_the_thresholds(as_of, expected):
    assert shown(view_as_of(as_of)) == expected


def test_thresholds_and_windows_come_from_the_file():
    head = "[alerts]\nremind_workdays = 0\nred_after_days = 2\n\n[problems]\nescalate_after_days = [3]\n\n"
    assert shown(view_as_of("2026-11-19", head=head)) == ("open", "open", None, 0, 1, 1)
    assert shown(view_as_of("2026-11-22", head=head)) == ("open", "overdue", "yellow", 2, 0, 1)
    assert shown(view_as_of("2026-11-23", head=head)) == ("open", "overdue", "red", 3, 0, 2)
    assert shown(view_as_of("2026-12-31", head=head)) == ("open", "overdue", "red", 41, 0, 2)  # one threshold: 2


def extension(on: str, due: str) -> str:
    return f'\n  [[projects.problems.extensions]]\n  on = {on}\n  due = {due}\n  reason = "设备到货延迟"\n'


@pytest.mark.parametrize(
    ("extensions", "as_of", "deadline", "timely", "late"),
    [
        (extension("2026-11-19", "2026-12-04"), "2026-11-18", "2026-11-20", "2026-11-20", False),  # not yet asked
        (extension("2026-11-19", "2026-12-04"), "2026-11-25", "2026-12-04", "2026-12-04", False),  # in time
        (extension("2026-11-20", "2026-12-04"), "2026-11-25", "2026-12-04", "2026-12-04", False),  # on the day: in time
        (extension("2026-11-23", "2026-12-04"), "2026-11-22", "2026-11-20", "2026-11-20", False),  # overdue, not asked
        (extension("2026-11-23", "2026-12-04"), "2026-11-25", "2026-12-04", "2026-11-20", True),  # asked late
        # in time, then late against the extended deadline: the ranking keeps the first extension's
        (extension("2026-11-19", "2026-11-30") + extension("2026-12-02", "2026-12-15"), "2026-12-03",
         "2026-12-15", "2026-11-30", True),
    ],
)  # fmt: skip
def test_the_deadline_is_the_last_extension_and_a_late_one_is_marked(extensions, as_of, deadline, timely, late):
    view = view_as_of(as_of, extensions)
    assert view is not None
    assert (view.deadline, view.timely_deadline, view.late_extension) == (
        date.fromisoformat(deadline), date.fromisoformat(timely), late,
    )  # fmt: skip


def test_a_late_extension_is_judged_by_its_new_deadline_for_the_level():
    view = view_as_of("2026-11-25", extension("2026-11-23", "2026-11-27"))
    assert shown(view) == ("open", "due_soon", "blue", 0, 2, 1)  # 11-26 and 11-27 to go
    assert view is not None and view.solved_in_time is None


@pytest.mark.parametrize(
    ("as_of", "state", "level"),
    [
        ("2026-09-30", "solved", None),
        ("2026-10-07", "solved", None),  # 国庆: 10-01 to 10-07 are no working days
        ("2026-10-09", "solved", None),  # 10-08, 10-09: 2 working days
        ("2026-10-10", "solved", None),  # Saturday 10-10 is a make-up working day: 3, not more than 3
        ("2026-10-11", "solved", None),  # Sunday
        ("2026-10-12", "awaiting_verification", "blue"),  # 4 working days since 09-30: 待销号
    ],
)
def test_awaiting_verification_counts_working_days_across_national_day(as_of, state, level):
    text = BASE.replace("raised = 2026-11-02\n  due = 2026-11-20", "raised = 2026-09-01\n  due = 2026-09-30")
    loaded = load_text(text + "  solved = 2026-09-30\n", "projects.toml")
    project = loaded.portfolio.projects[0]
    view = problem_as_of(project, project.problems[0], loaded, date.fromisoformat(as_of))
    assert view is not None
    assert (view.lifecycle, view.state, view.level) == ("solved", state, level)
    assert view.solved_in_time is True


REOPENED = """\
  solved = 2026-12-10

  [[projects.problems.reopenings]]
  on = 2026-11-25
  reason = "复查发现未通电"
  solved = 2026-11-18
  closed = 2026-11-19
"""


@pytest.mark.parametrize(
    ("as_of", "lifecycle", "solved", "closed", "reopened", "days_overdue"),
    [
        ("2026-11-17", "open", None, None, 0, 0),
        ("2026-11-18", "solved", "2026-11-18", None, 0, 0),  # the dates the later reopening keeps
        ("2026-11-24", "closed", "2026-11-18", "2026-11-19", 0, 0),
        ("2026-11-25", "open", None, None, 1, 5),  # reopened: open again, 5 days past 11-20
        ("2026-12-10", "solved", "2026-12-10", None, 1, 0),
    ],
)
def test_a_reopening_dated_after_the_as_of_day_restores_the_dates_it_keeps(
    as_of, lifecycle, solved, closed, reopened, days_overdue
):
    view = view_as_of(as_of, REOPENED)
    assert view is not None
    day = date.fromisoformat
    assert (view.lifecycle, view.solved, view.closed, view.reopened, view.days_overdue) == (
        lifecycle, solved and day(solved), closed and day(closed), reopened, days_overdue,
    )  # fmt: skip


def test_notes_dated_later_are_ignored_and_the_latest_is_kept():
    notes = "".join(
        f'\n  [[projects.problems.updates]]\n  on = {on}\n  text = "{text}"\n'
        for on, text in (("2026-11-10", "已完成线路设计"), ("2026-11-05", "现场踏勘"), ("2026-11-30", "已通电"))
    )
    view = view_as_of("2026-11-27", notes)
    assert view is not None and view.last_update is not None
    assert (view.last_update.on, view.last_update.text) == (date(2026, 11, 10), "已完成线路设计")
    first = view_as_of("2026-11-04", notes)
    assert first is not None and first.last_update is None


def test_owner_and_leader_default_to_the_projects():
    text = BASE.replace('  owner = "gdj"\n  leader = "leader-b"\n', "")
    loaded = load_text(text, "projects.toml")
    [view] = problems_as_of(loaded, date(2026, 11, 27))
    assert (view.owner, view.leader) == ("jsj", "leader-a")


def test_problems_raised_after_the_as_of_day_are_absent_and_filters_apply():
    loaded = loaded_with(SECOND_PROBLEM)
    ids = [v.id for v in problems_as_of(loaded, date(2026, 11, 27))]
    assert ids == ["P-2026-031"]  # P-2026-040 is raised on 12-01
    assert [v.id for v in problems_as_of(loaded, date(2026, 12, 1))] == ["P-2026-031", "P-2026-040"]
    by = {
        "unit gdj": Filters(units=frozenset({"gdj"})),
        "unit jsj": Filters(units=frozenset({"jsj"})),
        "leader a": Filters(leaders=frozenset({"leader-a"})),  # the project's leader, not the problem's
        "leader b": Filters(leaders=frozenset({"leader-b"})),
        "project": Filters(projects=frozenset({"civic-center"})),
    }
    kept = {name: [v.id for v in problems_as_of(loaded, date(2026, 12, 1), filters=f)] for name, f in by.items()}
    assert kept == {
        "unit gdj": ["P-2026-031"],
        "unit jsj": ["P-2026-040"],
        "leader a": ["P-2026-040"],
        "leader b": ["P-2026-031"],
        "project": ["P-2026-031", "P-2026-040"],
    }


SECOND_PROBLEM = """
  [[projects.problems]]
  id = "P-2026-040"
  text = "供水管线迁改"
  raised = 2026-12-01
  due = 2026-12-20
"""


# -- check: every mistake in a problem, one exact line naming its problem ------------------------


def reopening(on: str, solved: str | None = None, closed: str | None = None) -> str:
    text = f'\n  [[projects.problems.reopenings]]\n  on = {on}\n  reason = "复查"\n'
    text += f"  solved = {solved}\n" if solved else ""
    return text + (f"  closed = {closed}\n" if closed else "")


NOTE_WITHOUT_PROBLEM = '  [[projects.problems.updates]]\n  on = 2026-11-10\n  text = "已完成线路设计"\n'


def replace(old: str, new: str) -> tuple[str, str, str]:
    return ("replace", old, new)


OTHER = """
[[projects]]
id = "reclaimed-water"
name = "再生水综合利用项目"
leader = "leader-b"
lead_unit = "jsj"
responsible_unit = "jsj"
start = 2026-02-02
finish = 2026-12-31

  [[projects.problems]]
  id = "P-2026-031"
  text = "专项债资金未到位"
  raised = 2026-11-10
  due = 2026-11-30
"""
# How each file differs from BASE: lines added to the problem, a replacement, a head or a tail.
MISTAKES: dict[str, list[object]] = {
    "due-before-raised": [replace("due = 2026-11-20", "due = 2026-11-01")],
    "solved-before-raised": ["  solved = 2026-11-01\n"],
    "closed-before-solved": ["  solved = 2026-11-18\n  closed = 2026-11-17\n"],
    "closed-before-raised-unsolved": ["  closed = 2026-10-30\n"],
    "duplicate-across-projects": [OTHER],
    "owner-unknown": [replace('owner = "gdj"', 'owner = "gdk"')],
    "owner-name": [replace('owner = "gdj"', 'owner = "国网高新供电公司"')],
    "leader-unknown": [replace('leader = "leader-b"', 'leader = "leader-bb"')],
    "leader-name": [replace('leader = "leader-b"', 'leader = "示例领导乙"')],
    "escalate-to": [("head", '[problems]\nescalate_to = ["leader-x"]\n\n')],
    "escalate-to-name": [("head", '[problems]\nescalate_to = ["示例领导甲"]\n\n')],
    "escalate-decreasing": [("head", "[problems]\nescalate_after_days = [21, 7]\n\n")],
    "escalate-equal": [("head", "[problems]\nescalate_after_days = [7, 7]\n\n")],
    "escalate-three": [("head", "[problems]\nescalate_after_days = [7, 14, 21]\n\n")],
    "escalate-empty": [("head", "[problems]\nescalate_after_days = []\n\n")],
    "escalate-zero": [("head", "[problems]\nescalate_after_days = [0, 7]\n\n")],
    "verify-negative": [("head", "[problems]\nverify_within_days = -1\n\n")],
    "update-before-raised": ['\n  [[projects.problems.updates]]\n  on = 2026-11-01\n  text = "现场踏勘"\n'],
    "extension-before-raised": [extension("2026-11-01", "2026-11-25")],
    "extension-due-before-on": [extension("2026-11-19", "2026-11-18")],
    "extensions-out-of-order": [extension("2026-11-19", "2026-11-30") + extension("2026-11-10", "2026-12-10")],
    "extension-after-closed": [
        "  solved = 2026-11-18\n  closed = 2026-11-19\n" + extension("2026-11-20", "2026-11-30")
    ],
    "reopening-before-raised": [reopening("2026-11-01")],
    "reopening-keeps-later": ["  solved = 2026-12-01\n" + reopening("2026-11-25", "2026-11-26")],
    "reopenings-out-of-order": [reopening("2026-11-25", "2026-11-18") + reopening("2026-11-24")],
    "solved-before-reopening": ["  solved = 2026-11-24\n" + reopening("2026-11-25", "2026-11-18", "2026-11-19")],
    "kept-before-earlier-reopening": [reopening("2026-11-20", "2026-11-18") + reopening("2026-11-25", "2026-11-19")],
    "kept-closed-before-solved": [reopening("2026-11-25", "2026-11-19", "2026-11-18")],
    "raised-out-of-range": [replace("raised = 2026-11-02", "raised = 1989-11-02")],
    "extension-due-out-of-range": [extension("2026-11-19", "2226-11-30")],
    "header-problems": [("tail", "\n[[problems]]\nescalate_after_days = [7, 21]\n")],
    "header-problem": [("tail", '\n[[projects.problem]]\nid = "P-2026-032"\n')],
    "header-notes": [('\n  [[projects.problems.notes]]\n  on = 2026-11-10\n  text = "x"\n')],
    "header-extension": [extension("2026-11-19", "2026-11-30").replace("extensions", "extension")],
    "unknown-key": ['  ownr = "gdj"\n'],
    "unknown-key-in-extension": [extension("2026-11-19", "2026-11-30") + '  reson = "x"\n'],
    "missing-due": [replace("  due = 2026-11-20\n", "")],
    "missing-reason": [extension("2026-11-19", "2026-11-30").replace('  reason = "设备到货延迟"\n', "")],
    "bad-due": [replace("due = 2026-11-20", 'due = "下周五"')],
    "header-single-bracket": [replace("  [[projects.problems]]", "  [projects.problems]")],
    "header-single-bracket-nested": ['\n  [projects.problems.updates]\n  on = 2026-11-10\n  text = "已完成线路设计"\n'],
    "header-child-before-parent": [replace(BASE[BASE.index("  [[projects.problems]]") :], NOTE_WITHOUT_PROBLEM)],
    "w-confusable-id": [OTHER.replace('id = "P-2026-031"', 'id = "p-2026-031"')],
    "w-control-in-text": [replace('text = "施工用电接入滞后"', 'text = "施工用电\\u0007接入滞后"')],
    # warnings
    "w-closed-unsolved": ["  closed = 2026-11-19\n"],
    "w-raised-future": [
        replace("raised = 2026-11-02", "raised = 2026-11-30"),
        replace("due = 2026-11-20", "due = 2026-12-20"),
    ],
    "w-solved-future": ["  solved = 2026-11-28\n"],
    "w-extension-not-later": [extension("2026-11-10", "2026-11-15")],
}

# The one line `sanshi check --as-of 2026-11-27` prints for each, in English and in Chinese; the
# names starting with "w-" are warnings (exit 0), the others errors (exit 2).
LINES: dict[str, tuple[str, str]] = {
    "header-single-bracket": (
        "projects.toml:27: error: project civic-center, key problems: the table header "
        "[projects.problems] is unknown: did you mean [[projects.problems]]?",
        "projects.toml:27: 错误：项目 civic-center，键 problems：表头 [projects.problems] 有误：是否应为 "
        "[[projects.problems]]？",
    ),
    "header-single-bracket-nested": (
        "projects.toml:36: error: project civic-center, problem P-2026-031, key updates: the table "
        "header [projects.problems.updates] is unknown: did you mean [[projects.problems.updates]]?",
        "projects.toml:36: 错误：项目 civic-center，问题 P-2026-031，键 updates：表头 "
        "[projects.problems.updates] 有误：是否应为 [[projects.problems.updates]]？",
    ),
    "header-child-before-parent": (
        "projects.toml:27: error: project civic-center, key problems: [[projects.problems.updates]] "
        "comes before any [[projects.problems]]: move it after the [[projects.problems]] it belongs to",
        "projects.toml:27: 错误：项目 civic-center，键 problems：[[projects.problems.updates]] "
        "写在了第一个 [[projects.problems]] 之前：请把它移到所属的 [[projects.problems]] 之后",
    ),
    "w-confusable-id": (
        "projects.toml:46: warning: project reclaimed-water, problem p-2026-031, key id: problem id "
        "'p-2026-031' differs from 'P-2026-031' (line 28) only in case or width, easily confused: use a "
        "clearly different id",
        "projects.toml:46: 警告：项目 reclaimed-water，问题 p-2026-031，键 id：问题 id “p-2026-031” 与第 "
        "28 行的 “P-2026-031” 只差大小写或全角半角，容易混淆：请改用明显不同的 id",
    ),
    "w-control-in-text": (
        "projects.toml:29: warning: project civic-center, problem P-2026-031, key text: holds the "
        "control character \\x07 (tables and mail show this escape): remove it",
        "projects.toml:29: 警告：项目 civic-center，问题 P-2026-031，键 text：含有控制字符 "
        "\\x07（表格和邮件中显示为这一转义）：请删去它",
    ),
    "due-before-raised": (
        "projects.toml:34: error: project civic-center, problem P-2026-031, key due: 2026-11-01 is "
        "before the problem was raised (2026-11-02): correct one of them",
        "projects.toml:34: 错误：项目 civic-center，问题 P-2026-031，键 due：日期 2026-11-01 "
        "早于问题的提出日期 raised = 2026-11-02：请改正其中之一",
    ),
    "solved-before-raised": (
        "projects.toml:35: error: project civic-center, problem P-2026-031, key solved: 2026-11-01 is "
        "before the problem was raised (2026-11-02): correct one of them",
        "projects.toml:35: 错误：项目 civic-center，问题 P-2026-031，键 solved：日期 2026-11-01 "
        "早于问题的提出日期 raised = 2026-11-02：请改正其中之一",
    ),
    "closed-before-solved": (
        "projects.toml:36: error: project civic-center, problem P-2026-031, key closed: closed "
        "2026-11-17 is before solved 2026-11-18: a problem is closed off after it is reported solved; "
        "correct one of them",
        "projects.toml:36: 错误：项目 civic-center，问题 P-2026-031，键 closed：销号日期 2026-11-17 "
        "早于办结日期 solved = 2026-11-18：先办结（交账）后销号，请改正其中之一",
    ),
    "closed-before-raised-unsolved": (
        "projects.toml:35: error: project civic-center, problem P-2026-031, key closed: 2026-10-30 is "
        "before the problem was raised (2026-11-02): correct one of them",
        "projects.toml:35: 错误：项目 civic-center，问题 P-2026-031，键 closed：日期 2026-10-30 "
        "早于问题的提出日期 raised = 2026-11-02：请改正其中之一",
    ),
    "duplicate-across-projects": (
        "projects.toml:46: error: project reclaimed-water, problem P-2026-031, key id: duplicate problem "
        "id 'P-2026-031' (first on line 28): every id must be unique",
        "projects.toml:46: 错误：项目 reclaimed-water，问题 P-2026-031，键 id：问题 id “P-2026-031” "
        "重复（第一次在第 28 行）：每个 id 必须唯一",
    ),
    "owner-unknown": (
        "projects.toml:31: error: project civic-center, problem P-2026-031, key owner: unknown unit "
        "'gdk' (did you mean 'gdj'?): use an id defined in [[units]]",
        "projects.toml:31: 错误：项目 civic-center，问题 P-2026-031，键 owner：未知的单位 "
        "“gdk”（是否应为 “gdj”？）：请使用 [[units]] 中已有的 id",
    ),
    "owner-name": (
        "projects.toml:31: error: project civic-center, problem P-2026-031, key owner: "
        "'国网高新供电公司' is the name of a unit: write its id 'gdj' here (see [[units]])",
        "projects.toml:31: 错误：项目 civic-center，问题 P-2026-031，键 owner：“国网高新供电公司” "
        "是单位的名称：这里请写它的 id “gdj”（见 [[units]]）",
    ),
    "leader-unknown": (
        "projects.toml:32: error: project civic-center, problem P-2026-031, key leader: unknown person "
        "'leader-bb' (did you mean 'leader-b'?): use an id defined in [[people]]",
        "projects.toml:32: 错误：项目 civic-center，问题 P-2026-031，键 leader：未知的人员 "
        "“leader-bb”（是否应为 “leader-b”？）：请使用 [[people]] 中已有的 id",
    ),
    "leader-name": (
        "projects.toml:32: error: project civic-center, problem P-2026-031, key leader: '示例领导乙' is "
        "the name of a person: write its id 'leader-b' here (see [[people]])",
        "projects.toml:32: 错误：项目 civic-center，问题 P-2026-031，键 leader：“示例领导乙” "
        "是人员的名称：这里请写它的 id “leader-b”（见 [[people]]）",
    ),
    "escalate-to": (
        "projects.toml:2: error: key problems.escalate_to: unknown person 'leader-x' (did you mean "
        "'leader-b'?): use an id defined in [[people]]",
        "projects.toml:2: 错误：键 problems.escalate_to：未知的人员 “leader-x”（是否应为 "
        "“leader-b”？）：请使用 [[people]] 中已有的 id",
    ),
    "escalate-to-name": (
        "projects.toml:2: error: key problems.escalate_to: '示例领导甲' is the name of a person: write "
        "its id 'leader-a' here (see [[people]])",
        "projects.toml:2: 错误：键 problems.escalate_to：“示例领导甲” 是人员的名称：这里请写它的 id "
        "“leader-a”（见 [[people]]）",
    ),
    "escalate-decreasing": (
        "projects.toml:2: error: key problems.escalate_after_days: [21, 7]: give one or two numbers of "
        "days, smallest first, such as [7, 21] (overdue this long: level 2, then level 3)",
        "projects.toml:2: 错误：键 problems.escalate_after_days：[21, 7]：请写一到两个从小到大的天数，如 "
        "[7, 21]（逾期这么多天升为 2 级、3 级督办）",
    ),
    "escalate-equal": (
        "projects.toml:2: error: key problems.escalate_after_days: [7, 7]: give one or two numbers of "
        "days, smallest first, such as [7, 21] (overdue this long: level 2, then level 3)",
        "projects.toml:2: 错误：键 problems.escalate_after_days：[7, 7]：请写一到两个从小到大的天数，如 "
        "[7, 21]（逾期这么多天升为 2 级、3 级督办）",
    ),
    "escalate-three": (
        "projects.toml:2: error: key problems.escalate_after_days: [7, 14, 21]: give one or two numbers "
        "of days, smallest first, such as [7, 21] (overdue this long: level 2, then level 3)",
        "projects.toml:2: 错误：键 problems.escalate_after_days：[7, 14, "
        "21]：请写一到两个从小到大的天数，如 [7, 21]（逾期这么多天升为 2 级、3 级督办）",
    ),
    "escalate-empty": (
        "projects.toml:2: error: key problems.escalate_after_days: []: give one or two numbers of days, "
        "smallest first, such as [7, 21] (overdue this long: level 2, then level 3)",
        "projects.toml:2: 错误：键 problems.escalate_after_days：[]：请写一到两个从小到大的天数，如 [7, "
        "21]（逾期这么多天升为 2 级、3 级督办）",
    ),
    "escalate-zero": (
        "projects.toml:2: error: key problems.escalate_after_days.0: invalid value 0: must be at least 1",
        "projects.toml:2: 错误：键 problems.escalate_after_days.0：值 0 无效：应不小于 1",
    ),
    "verify-negative": (
        "projects.toml:2: error: key problems.verify_within_days: invalid value -1: must be at least 0",
        "projects.toml:2: 错误：键 problems.verify_within_days：值 -1 无效：应不小于 0",
    ),
    "update-before-raised": (
        "projects.toml:37: error: project civic-center, problem P-2026-031, key updates.on: 2026-11-01 "
        "is before the problem was raised (2026-11-02): correct one of them",
        "projects.toml:37: 错误：项目 civic-center，问题 P-2026-031，键 updates.on：日期 2026-11-01 "
        "早于问题的提出日期 raised = 2026-11-02：请改正其中之一",
    ),
    "extension-before-raised": (
        "projects.toml:37: error: project civic-center, problem P-2026-031, key extensions.on: "
        "2026-11-01 is before the problem was raised (2026-11-02): correct one of them",
        "projects.toml:37: 错误：项目 civic-center，问题 P-2026-031，键 extensions.on：日期 2026-11-01 "
        "早于问题的提出日期 raised = 2026-11-02：请改正其中之一",
    ),
    "extension-due-before-on": (
        "projects.toml:38: error: project civic-center, problem P-2026-031, key extensions.due: the new "
        "deadline 2026-11-18 is before the extension's date on = 2026-11-19: a deadline cannot be set in "
        "the past",
        "projects.toml:38: 错误：项目 civic-center，问题 P-2026-031，键 extensions.due：延期后的时限 "
        "2026-11-18 早于申请延期的日期 on = 2026-11-19：新时限不能定在过去",
    ),
    "extensions-out-of-order": (
        "projects.toml:42: error: project civic-center, problem P-2026-031, key extensions.on: "
        "extensions must be in date order: 2026-11-10 comes after 2026-11-19",
        "projects.toml:42: 错误：项目 civic-center，问题 P-2026-031，键 "
        "extensions.on：延期应按申请日期先后排列：2026-11-10 写在了 2026-11-19 之后",
    ),
    "extension-after-closed": (
        "projects.toml:39: error: project civic-center, problem P-2026-031, key extensions.on: extension "
        "on 2026-11-20, after the problem was closed off on 2026-11-19: a closed problem is not "
        "extended; reopen it first (sanshi problem reopen)",
        "projects.toml:39: 错误：项目 civic-center，问题 P-2026-031，键 extensions.on：延期日期 "
        "2026-11-20 晚于销号日期 closed = 2026-11-19：已销号的问题不能延期；要继续跟踪，请先重新打开（san"
        "shi problem reopen）",
    ),
    "reopening-before-raised": (
        "projects.toml:37: error: project civic-center, problem P-2026-031, key reopenings.on: "
        "2026-11-01 is before the problem was raised (2026-11-02): correct one of them",
        "projects.toml:37: 错误：项目 civic-center，问题 P-2026-031，键 reopenings.on：日期 2026-11-01 "
        "早于问题的提出日期 raised = 2026-11-02：请改正其中之一",
    ),
    "reopening-keeps-later": (
        "projects.toml:40: error: project civic-center, problem P-2026-031, key reopenings.solved: the "
        "kept date 2026-11-26 is after this reopening (on = 2026-11-25): only a problem already solved "
        "or closed can be reopened",
        "projects.toml:40: 错误：项目 civic-center，问题 P-2026-031，键 reopenings.solved：保留的日期 "
        "2026-11-26 晚于这次重新打开的日期 on = 2026-11-25：只能重新打开已经办结或销号的问题",
    ),
    "reopenings-out-of-order": (
        "projects.toml:42: error: project civic-center, problem P-2026-031, key reopenings.on: "
        "reopenings must be in date order: 2026-11-24 comes after 2026-11-25",
        "projects.toml:42: 错误：项目 civic-center，问题 P-2026-031，键 "
        "reopenings.on：重新打开应按日期先后排列：2026-11-24 写在了 2026-11-25 之后",
    ),
    "solved-before-reopening": (
        "projects.toml:35: error: project civic-center, problem P-2026-031, key solved: 2026-11-24 is "
        "before the reopening on 2026-11-25: the dates after a reopening follow it (the earlier ones are "
        "kept in that reopening)",
        "projects.toml:35: 错误：项目 civic-center，问题 P-2026-031，键 solved：日期 2026-11-24 早于此前 "
        "2026-11-25 的重新打开：重新打开后的办结、销号日期在其后，之前的日期记在那次重新打开里",
    ),
    "kept-before-earlier-reopening": (
        "projects.toml:44: error: project civic-center, problem P-2026-031, key reopenings.solved: "
        "2026-11-19 is before the reopening on 2026-11-20: the dates after a reopening follow it (the "
        "earlier ones are kept in that reopening)",
        "projects.toml:44: 错误：项目 civic-center，问题 P-2026-031，键 reopenings.solved：日期 "
        "2026-11-19 早于此前 2026-11-20 的重新打开：重新打开后的办结、销号日期在其后，之前的日期记在那次"
        "重新打开里",
    ),
    "kept-closed-before-solved": (
        "projects.toml:40: error: project civic-center, problem P-2026-031, key reopenings.closed: "
        "closed 2026-11-18 is before solved 2026-11-19: a problem is closed off after it is reported "
        "solved; correct one of them",
        "projects.toml:40: 错误：项目 civic-center，问题 P-2026-031，键 reopenings.closed：销号日期 "
        "2026-11-18 早于办结日期 solved = 2026-11-19：先办结（交账）后销号，请改正其中之一",
    ),
    "raised-out-of-range": (
        "projects.toml:33: error: project civic-center, problem P-2026-031, key raised: date 1989-11-02 "
        "is not between 1990-01-01 and 2199-12-31: check the year",
        "projects.toml:33: 错误：项目 civic-center，问题 P-2026-031，键 raised：日期 1989-11-02 不在 "
        "1990-01-01 至 2199-12-31 之间：请检查年份",
    ),
    "extension-due-out-of-range": (
        "projects.toml:38: error: project civic-center, problem P-2026-031, key extensions.due: date "
        "2226-11-30 is not between 1990-01-01 and 2199-12-31: check the year",
        "projects.toml:38: 错误：项目 civic-center，问题 P-2026-031，键 extensions.due：日期 2226-11-30 "
        "不在 1990-01-01 至 2199-12-31 之间：请检查年份",
    ),
    "header-problems": (
        "projects.toml:36: error: key problems: the table header [[problems]] is unknown: did you mean "
        "[[projects.problems]]? (it follows the [[projects]] table it belongs to)",
        "projects.toml:36: 错误：键 problems：表头 [[problems]] 有误：是否应为 "
        "[[projects.problems]]？要写在所属项目的 [[projects]] 之后",
    ),
    "header-problem": (
        "projects.toml:36: error: project civic-center, key problem: the table header "
        "[[projects.problem]] is unknown: did you mean [[projects.problems]]? (it follows the "
        "[[projects]] table it belongs to)",
        "projects.toml:36: 错误：项目 civic-center，键 problem：表头 [[projects.problem]] 有误：是否应为 "
        "[[projects.problems]]？要写在所属项目的 [[projects]] 之后",
    ),
    "header-notes": (
        "projects.toml:36: error: project civic-center, problem P-2026-031, key notes: the table header "
        "[[projects.problems.notes]] is unknown: did you mean [[projects.problems.updates]]? (it follows "
        "the [[projects.problems]] table it belongs to)",
        "projects.toml:36: 错误：项目 civic-center，问题 P-2026-031，键 notes：表头 "
        "[[projects.problems.notes]] 有误：是否应为 [[projects.problems.updates]]？要写在所属问题的 "
        "[[projects.problems]] 之后",
    ),
    "header-extension": (
        "projects.toml:36: error: project civic-center, problem P-2026-031, key extension: the table "
        "header [[projects.problems.extension]] is unknown: did you mean "
        "[[projects.problems.extensions]]? (it follows the [[projects.problems]] table it belongs to)",
        "projects.toml:36: 错误：项目 civic-center，问题 P-2026-031，键 extension：表头 "
        "[[projects.problems.extension]] 有误：是否应为 [[projects.problems.extensions]]？要写在所属问题"
        "的 [[projects.problems]] 之后",
    ),
    "unknown-key": (
        "projects.toml:35: error: project civic-center, problem P-2026-031, key ownr: unknown key (did "
        "you mean 'owner'?): remove or correct it",
        "projects.toml:35: 错误：项目 civic-center，问题 P-2026-031，键 ownr：未知的键（是否应为 "
        "“owner”？）：请删除或改正",
    ),
    "unknown-key-in-extension": (
        "projects.toml:40: error: project civic-center, problem P-2026-031, key extensions.reson: "
        "unknown key (did you mean 'reason'?): remove or correct it",
        "projects.toml:40: 错误：项目 civic-center，问题 P-2026-031，键 "
        "extensions.reson：未知的键（是否应为 “reason”？）：请删除或改正",
    ),
    "missing-due": (
        "projects.toml:27: error: project civic-center, problem P-2026-031, key due: missing required key: add it",
        "projects.toml:27: 错误：项目 civic-center，问题 P-2026-031，键 due：缺少必填的键：请补上",
    ),
    "missing-reason": (
        "projects.toml:36: error: project civic-center, problem P-2026-031, key extensions.reason: "
        "missing required key: add it",
        "projects.toml:36: 错误：项目 civic-center，问题 P-2026-031，键 extensions.reason：缺少必填的键：请补上",
    ),
    "bad-due": (
        "projects.toml:34: error: project civic-center, problem P-2026-031, key due: invalid value "
        '"下周五": expected a date such as 2026-04-30',
        'projects.toml:34: 错误：项目 civic-center，问题 P-2026-031，键 due：值 "下周五" 无效：应为日期，如 2026-04-30',
    ),
    "w-closed-unsolved": (
        "projects.toml:35: warning: project civic-center, problem P-2026-031, key closed: closed off on "
        "2026-11-19 but never reported solved: add the date the unit reported it solved (solved = …)",
        "projects.toml:35: 警告：项目 civic-center，问题 P-2026-031，键 closed：已于 2026-11-19 "
        "销号，但没有办结日期 solved：请补上责任单位交账的日期",
    ),
    "w-raised-future": (
        "projects.toml:33: warning: project civic-center, problem P-2026-031, key raised: raised = "
        "2026-11-30 is after today 2026-11-27: as of today the problem does not exist yet and status "
        "does not list it; check it",
        "projects.toml:33: 警告：项目 civic-center，问题 P-2026-031，键 raised：提出日期 raised = "
        "2026-11-30 晚于今天 2026-11-27：截至今天这个问题还不存在，status 不会列出它；请确认",
    ),
    "w-solved-future": (
        "projects.toml:35: warning: project civic-center, problem P-2026-031, key solved: 2026-11-28 is "
        "after today 2026-11-27: check it",
        "projects.toml:35: 警告：项目 civic-center，问题 P-2026-031，键 solved：日期 2026-11-28 晚于今天 "
        "2026-11-27：请确认",
    ),
    "w-extension-not-later": (
        "projects.toml:38: warning: project civic-center, problem P-2026-031, key extensions.due: the "
        "new deadline 2026-11-15 is not later than the one it replaces (2026-11-20): not an extension; "
        "check it",
        "projects.toml:38: 警告：项目 civic-center，问题 P-2026-031，键 extensions.due：延期后的时限 "
        "2026-11-15 不晚于它取代的时限 2026-11-20：这不是延期，请确认",
    ),
}


def mistake_text(parts: list[object]) -> str:
    text, head, tail = BASE, "", ""
    for part in parts:
        if isinstance(part, str):
            text += part
        elif isinstance(part, tuple) and part[0] == "replace":
            assert part[1] in text, part
            text = text.replace(part[1], part[2], 1)
        elif isinstance(part, tuple) and part[0] == "head":
            head = part[1]
        else:
            assert isinstance(part, tuple)
            tail = part[1]
    return head + text + tail


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", list(MISTAKES))
def test_each_mistake_is_one_exact_line(sanshi, write_toml, name, lang):
    write_toml(mistake_text(MISTAKES[name]))
    result = sanshi("check", "-f", "projects.toml", "--as-of", "2026-11-27", "--lang", lang)
    assert [line for line in result.stderr.splitlines() if line] == [LINES[name][lang == "zh"]]
    assert result.exit_code == (0 if name.startswith("w-") else 2)
    assert "Traceback" not in result.stderr


def test_every_mistake_has_its_line():
    assert set(MISTAKES) == set(LINES)


def test_a_clean_file_with_problems_passes(sanshi, write_toml):
    write_toml(STATUS_FILE)
    result = sanshi("check", "-f", "projects.toml", "--as-of", "2026-12-01", "--lang", "en")
    assert (result.exit_code, result.stderr) == (0, "")
    earlier = sanshi("check", "-f", "projects.toml", "--as-of", "2026-11-27", "--lang", "en")
    assert earlier.exit_code == 0
    assert earlier.stderr.startswith("projects.toml:88: warning: project civic-center, problem P-2026-007, key raised:")


def test_a_reopened_problem_may_be_extended_and_solved_again(sanshi, write_toml):
    """Its earlier closed date moved into the reopening: the extension after it is no error."""
    write_toml(
        BASE
        + "  solved = 2026-11-27\n"
        + reopening("2026-11-25", "2026-11-18", "2026-11-19")
        + extension("2026-11-26", "2026-12-04")
    )
    result = sanshi("check", "-f", "projects.toml", "--as-of", "2026-11-27", "--lang", "en")
    assert (result.exit_code, result.stderr) == (0, "")


def test_the_as_of_day_decides_what_is_in_the_future(sanshi, write_toml):
    write_toml(mistake_text(MISTAKES["w-raised-future"]))
    assert sanshi("check", "-f", "projects.toml", "--as-of", "2026-11-30").stderr == ""
    assert "raised" in sanshi("check", "-f", "projects.toml", "--as-of", "2026-11-29").stderr


def test_warnings_survive_the_parse_cache(sanshi, write_toml):
    write_toml(mistake_text(MISTAKES["w-closed-unsolved"]))
    first = sanshi("check", "-f", "projects.toml", "--as-of", "2026-11-27", "--lang", "en")
    second = sanshi("check", "-f", "projects.toml", "--as-of", "2026-11-27", "--lang", "en")
    assert first.stderr == second.stderr == LINES["w-closed-unsolved"][0] + "\n"


# -- status: problems beside milestones, in every format ------------------------------------------

# As of Friday 2026-11-27: P-2026-001 is 22 days overdue (red, level 3, its owner 供电公司);
# P-2026-002 7 days (yellow, level 2, led by 示例领导乙 in 示例领导甲's project); P-2026-005 was
# solved on 11-20, 5 working days ago (待销号, blue); P-2026-003 is due Monday (blue); P-2026-004
# was extended on 11-16, after its deadline of 11-10, to 12-01 (blue, marked); P-2026-006 is
# closed and P-2026-007 raised on 12-01: neither is listed. 主体封顶 is a milestone due 12-01.
STATUS_FILE = """\
[settings]
title = "高新区重点项目"

[[units]]
id = "jsj"
name = "高新区建设局"
short = "建设局"

[[units]]
id = "gdj"
name = "国网高新供电公司"
short = "供电公司"

[[units]]
id = "zrzy"
name = "高新区自然资源和规划分局"
short = "自然资源分局"

[[units]]
id = "tzjt"
name = "高新区投资集团有限公司"
short = "投资集团"

[[people]]
id = "leader-a"
name = "示例领导甲"

[[people]]
id = "leader-b"
name = "示例领导乙"

[[projects]]
id = "civic-center"
name = "市民中心"
leader = "leader-a"
lead_unit = "jsj"
responsible_unit = "jsj"
start = 2026-03-02
finish = 2027-12-31

  [[projects.milestones]]
  id = "topping-out"
  name = "主体封顶"
  due = 2026-12-01

  [[projects.problems]]
  id = "P-2026-001"
  text = "施工用电接入滞后"
  category = "要素保障"
  owner = "gdj"
  raised = 2026-10-20
  due = 2026-11-05
  measures = "协调供电公司加快审批"

    [[projects.problems.updates]]
    on = 2026-11-10
    text = "已完成线路设计"

  [[projects.problems]]
  id = "P-2026-002"
  text = "临时用地手续未办结"
  category = "手续"
  owner = "zrzy"
  leader = "leader-b"
  raised = 2026-11-02
  due = 2026-11-20

  [[projects.problems]]
  id = "P-2026-005"
  text = "塔吊基础验收"
  category = "其他"
  raised = 2026-11-02
  due = 2026-11-25
  solved = 2026-11-20

  [[projects.problems]]
  id = "P-2026-006"
  text = "渣土消纳场地"
  category = "要素保障"
  raised = 2026-09-01
  due = 2026-09-30
  solved = 2026-09-25
  closed = 2026-09-28

  [[projects.problems]]
  id = "P-2026-007"
  text = "供水管线迁改"
  raised = 2026-12-01
  due = 2026-12-20

[[projects]]
id = "reclaimed-water"
name = "再生水综合利用项目"
leader = "leader-b"
lead_unit = "jsj"
responsible_unit = "tzjt"
start = 2026-02-02
finish = 2026-12-31

  [[projects.problems]]
  id = "P-2026-003"
  text = "专项债资金未到位"
  category = "资金"
  raised = 2026-11-10
  due = 2026-11-30

  [[projects.problems]]
  id = "P-2026-004"
  text = "管线沿线征迁未完成"
  category = "征迁"
  raised = 2026-10-12
  due = 2026-11-10

    [[projects.problems.extensions]]
    on = 2026-11-16
    due = 2026-12-01
    reason = "两户未签约"
"""


# The table, as a wide terminal (150 columns) and a narrow one (80) show it: a date, a level and
# a count with its unit are never broken; where the project's heading does not say who answers
# for a problem, its row does (its unit, its own leader).
TABLES = {
    ("zh", "150"): """\
高新区重点项目　截至 2026-11-27

级别      项目                节点                      截止日期    情况                       预计完成  责任单位                  分包领导
─────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
红灯      市民中心            问题：施工用电接入滞后    2026-11-05  逾期 22 天，3 级督办                 国网高新供电公司          示例领导甲
黄灯      市民中心            问题：临时用地手续未办结  2026-11-20  逾期 7 天，2 级督办                  高新区自然资源和规划分局  示例领导乙
蓝色提醒  市民中心            问题：塔吊基础验收        2026-11-25  2026-11-20 已办结，待销号            高新区建设局              示例领导甲
蓝色提醒  再生水综合利用项目  问题：专项债资金未到位    2026-11-30  剩 1 个工作日                        高新区投资集团有限公司    示例领导乙
蓝色提醒  市民中心            主体封顶                  2026-12-01  剩 2 个工作日                        高新区建设局              示例领导甲
蓝色提醒  再生水综合利用项目  问题：管线沿线征迁未完成  2026-12-01  剩 2 个工作日（逾时延期）            高新区投资集团有限公司    示例领导乙

红灯：1 项    黄灯：1 项    延误风险：0 项    蓝色提醒：4 项    其中问题：5 项    3 级督办：1 项
""",
    ("zh", "80"): """\
高新区重点项目　截至 2026-11-27
市民中心  示例领导甲  建设局
  红灯      问题：施工用电接入滞后    11-05  逾期 22 天，3 级督办  供电公司
  黄灯      问题：临时用地手续未办结  11-20  逾期 7 天，2 级督办   自然资源分局
                                                                   示例领导乙
  蓝色提醒  问题：塔吊基础验收        11-25  11-20 已办结，待销号
  蓝色提醒  主体封顶                  12-01  剩 2 个工作日
再生水综合利用项目  示例领导乙  投资集团
  蓝色提醒  问题：专项债资金未到位    11-30  剩 1 个工作日
  蓝色提醒  问题：管线沿线征迁未完成  12-01  剩 2 个工作日
                                             （逾时延期）
红灯：1 项    黄灯：1 项    延误风险：0 项    蓝色提醒：4 项    其中问题：5 项
3 级督办：1 项
""",
    ("en", "150"): """\
高新区重点项目 as of 2026-11-27

Level     Project             Milestone                    Due         Status                    Forecast  Responsible unit          Leader
───────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
red       市民中心            Problem: 施工用电接入滞后    2026-11-05  22 days overdue, level 3            国网高新供电公司          示例领导甲
yellow    市民中心            Problem: 临时用地手续未办结  2026-11-20  7 days overdue, level 2             高新区自然资源和规划分局  示例领导乙
due soon  市民中心            Problem: 塔吊基础验收        2026-11-25  solved 2026-11-20,                  高新区建设局              示例领导甲
                                                                       awaiting verification
due soon  再生水综合利用项目  Problem: 专项债资金未到位    2026-11-30  1 working day left                  高新区投资集团有限公司    示例领导乙
due soon  市民中心            主体封顶                     2026-12-01  2 working days left                 高新区建设局              示例领导甲
due soon  再生水综合利用项目  Problem: 管线沿线征迁未完成  2026-12-01  2 working days left                 高新区投资集团有限公司    示例领导乙
                                                                       (extended late)

red: 1 item    yellow: 1 item    at risk: 0 items    due soon: 4 items    of which problems: 5 items    escalated to level 3: 1 item
""",
    ("en", "80"): """\
高新区重点项目 as of 2026-11-27
市民中心  示例领导甲  建设局
  red       Problem: 施工用电接入  11-05  22 days overdue, level 3  供电公司
            滞后
  yellow    Problem: 临时用地手续  11-20  7 days overdue, level 2   自然资源分局
            未办结                                                  示例领导乙
  due soon  Problem: 塔吊基础验收  11-25  solved 11-20, awaiting
                                          verification
  due soon  主体封顶               12-01  2 working days left
再生水综合利用项目  示例领导乙  投资集团
  due soon  Problem: 专项债资金未  11-30  1 working day left
            到位
  due soon  Problem: 管线沿线征迁  12-01  2 working days left
            未完成                        (extended late)
red: 1 item    yellow: 1 item    at risk: 0 items    due soon: 4 items
of which problems: 5 items    escalated to level 3: 1 item
""",
}
MARKDOWN = """\
## 高新区重点项目 as of 2026-11-27

| Level | Project | Milestone | Due | Status | Forecast | Responsible unit | Leader |
|---|---|---|---|---|---|---|---|
| red | 市民中心 | Problem: 施工用电接入滞后 | 2026-11-05 | 22 days overdue, level 3 |  | 国网高新供电公司 | 示例领导甲 |
| yellow | 市民中心 | Problem: 临时用地手续未办结 | 2026-11-20 | 7 days overdue, level 2 |  | 高新区自然资源和规划分局 | 示例领导乙 |
| due soon | 市民中心 | Problem: 塔吊基础验收 | 2026-11-25 | solved 2026-11-20, awaiting verification |  | 高新区建设局 | 示例领导甲 |
| due soon | 再生水综合利用项目 | Problem: 专项债资金未到位 | 2026-11-30 | 1 working day left |  | 高新区投资集团有限公司 | 示例领导乙 |
| due soon | 市民中心 | 主体封顶 | 2026-12-01 | 2 working days left |  | 高新区建设局 | 示例领导甲 |
| due soon | 再生水综合利用项目 | Problem: 管线沿线征迁未完成 | 2026-12-01 | 2 working days left (extended late) |  | 高新区投资集团有限公司 | 示例领导乙 |

- red: 1 item
- yellow: 1 item
- at risk: 0 items
- due soon: 4 items
- of which problems: 5 items
- escalated to level 3: 1 item
"""


def status(sanshi: Callable[..., Result], *args: str) -> Result:
    return sanshi("status", "-f", "projects.toml", "--as-of", "2026-11-27", *args)


@pytest.fixture
def status_file(write_toml: Callable[..., Path]) -> Path:
    return write_toml(STATUS_FILE)


@pytest.mark.parametrize(("lang", "columns"), list(TABLES))
def test_status_table(sanshi, status_file, monkeypatch, lang, columns):
    monkeypatch.setenv("COLUMNS", columns)
    result = status(sanshi, "--lang", lang)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == TABLES[lang, columns]


def test_status_markdown(sanshi, status_file):
    assert status(sanshi, "--lang", "en", "--format", "markdown").stdout == MARKDOWN


def listed(result: Result) -> list[dict[str, object]]:
    assert result.exit_code == 0, result.stderr
    items: list[dict[str, object]] = json.loads(result.stdout)["items"]
    return items


def test_status_json_keeps_the_item_contract(sanshi, status_file):
    document = json.loads(status(sanshi, "--format", "json").stdout)
    problems = [i for i in document["items"] if i["kind"] == "problem"]
    keys = ("problem", "state", "level", "due", "done", "days_overdue", "workdays_left", "lifecycle", "escalation",
            "late_extension", "responsible_unit_id", "leader_id")  # fmt: skip
    assert [tuple(i[k] for k in keys) for i in problems] == [
        ("P-2026-001", "overdue", "red", "2026-11-05", None, 22, 0, "open", 3, False, "gdj", "leader-a"),
        ("P-2026-002", "overdue", "yellow", "2026-11-20", None, 7, 0, "open", 2, False, "zrzy", "leader-b"),
        ("P-2026-005", "awaiting_verification", "blue", "2026-11-25", "2026-11-20", 0, 0, "solved", 1, False, "jsj",
         "leader-a"),
        ("P-2026-003", "due_soon", "blue", "2026-11-30", None, 0, 1, "open", 1, False, "tzjt", "leader-b"),
        ("P-2026-004", "due_soon", "blue", "2026-12-01", None, 0, 2, "open", 1, True, "tzjt", "leader-b"),
    ]  # fmt: skip
    assert problems[0] == {
        "project": "civic-center", "project_name": "市民中心", "milestone": None, "milestone_name": None,
        "stage": None, "due": "2026-11-05", "done": None, "forecast": None, "slip_days": 0, "state": "overdue",
        "level": "red", "days_overdue": 22, "workdays_left": 0, "days_late": 0,
        "responsible_unit": "国网高新供电公司", "responsible_unit_id": "gdj", "leader": "示例领导甲",
        "leader_id": "leader-a", "kind": "problem", "planned_progress": None, "reported_progress": None,
        "reported_on": None, "lag_points": None, "invest_rate": None, "last_report": None, "report_due": None,
        "reports_missed": None, "problem": "P-2026-001", "problem_text": "施工用电接入滞后", "category": "要素保障",
        "lifecycle": "open", "escalation": 3, "late_extension": False,
    }  # fmt: skip
    milestone = next(i for i in document["items"] if i["kind"] == "milestone")
    assert all(milestone[k] is None for k in ("problem", "problem_text", "category", "lifecycle", "escalation",
                                              "late_extension"))  # fmt: skip
    assert document["summary"] == {
        "red": 1, "yellow": 1, "blue": 4, "green": 0, "done": 0, "done_late": 0, "on_track": 0, "at_risk": 0,
        "progress_lag": 0, "invest_lag": 0, "report_missing": 0, "problem": 5,
    }  # fmt: skip


def test_status_csv_appends_the_problem_columns(sanshi, status_file):
    rows = list(csv.reader(io.StringIO(status(sanshi, "--format", "csv").stdout)))
    header = rows[0]
    assert header[-6:] == ["problem", "problem_text", "category", "lifecycle", "escalation", "late_extension"]
    assert [row[-6:] for row in rows[1:]] == [
        ["P-2026-001", "施工用电接入滞后", "要素保障", "open", "3", "false"],
        ["P-2026-002", "临时用地手续未办结", "手续", "open", "2", "false"],
        ["P-2026-005", "塔吊基础验收", "其他", "solved", "1", "false"],
        ["P-2026-003", "专项债资金未到位", "资金", "open", "1", "false"],
        ["", "", "", "", "", ""],  # 主体封顶, a milestone
        ["P-2026-004", "管线沿线征迁未完成", "征迁", "open", "1", "true"],
    ]


def test_a_problem_text_that_looks_like_a_formula_is_defused_in_csv(sanshi, write_toml):
    write_toml(STATUS_FILE.replace('text = "施工用电接入滞后"', 'text = "=HYPERLINK(1)"'))
    rows = list(csv.reader(io.StringIO(status(sanshi, "--format", "csv").stdout)))
    assert rows[1][-5] == "'=HYPERLINK(1)"


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--unit", "gdj", ["P-2026-001"]),  # the problem's owner
        ("--unit", "供电公司", ["P-2026-001"]),  # by its short name
        ("--unit", "jsj", ["P-2026-005", "topping-out"]),  # the project's unit owns what names no owner
        ("--leader", "leader-b", ["P-2026-002", "P-2026-003", "P-2026-004"]),  # its own leader, or the project's
        ("--leader", "示例领导甲", ["P-2026-001", "P-2026-005", "topping-out"]),
        ("--project", "reclaimed-water", ["P-2026-003", "P-2026-004"]),
    ],
)
def test_filters_apply_to_problems(sanshi, status_file, option, value, expected):
    items = listed(status(sanshi, option, value, "--format", "json"))
    assert [i["problem"] or i["milestone"] for i in items] == expected


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--fail-on", "red"), 1),  # P-2026-001
        (("--fail-on", "red", "--unit", "zrzy"), 0),  # P-2026-002 is yellow
        (("--fail-on", "yellow", "--unit", "zrzy"), 1),
        (("--fail-on", "yellow", "--project", "reclaimed-water"), 0),
        (("--fail-on", "blue", "--project", "reclaimed-water"), 1),
    ],
)
def test_fail_on_counts_problems(sanshi, status_file, args, code):
    assert status(sanshi, *args).exit_code == code


def test_a_past_day_is_reproduced(sanshi, status_file):
    """As of 11-10, before any of today's news: P-2026-004 is overdue and not yet extended, P-2026-005
    not yet solved, P-2026-003 not yet raised; the closed P-2026-006 stays off the list."""
    items = listed(sanshi("status", "-f", "projects.toml", "--as-of", "2026-11-11", "--format", "json"))
    problems = [(i["problem"], i["state"], i["days_overdue"], i["late_extension"]) for i in items if i["problem"]]
    assert problems == [("P-2026-001", "overdue", 6, False), ("P-2026-004", "overdue", 1, False)]


def test_a_file_without_problems_shows_no_problem_line(sanshi, write_toml):
    write_toml(STATUS_FILE.split("  [[projects.problems]]")[0])
    result = status(sanshi, "--lang", "en")
    assert result.stdout.splitlines()[-1] == "red: 0 items    yellow: 0 items    at risk: 0 items    due soon: 1 item"
