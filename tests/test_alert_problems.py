"""Problems of the 问题清单 in ``sanshi alert``, against a real SMTP server (aiosmtpd on 127.0.0.1).

The file below, as of 2026-11-27 (a Friday), with ``escalate_after_days = [7, 21]``,
``red_after_days = 7`` and ``escalate_to = ["top", "leader-b"]``:

- milestone 施工许可证 (建设局): red, 17 days overdue;
- P-2026-001 施工用电接入滞后 (供电局, leader 乙): 3 days overdue, yellow, escalation 1;
- P-2026-002 征迁款未到位 (建设局, leader 甲 by default): 9 days overdue, red, escalation 2;
- P-2026-003 用地指标未落实 (建设局, leader 乙): 26 days overdue, red, escalation 3 (督办);
- P-2026-004 施工许可待办 (建设局): due 2026-12-01, blue;
- P-2026-005 管线迁改 (建设局): solved 2026-11-20, not closed: 待销号, blue, the PMO's;
- P-2026-006 (on the bridge, 文苑街道 without an address): closed, so nobody hears of it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from sanshi_cli.alerting import Alert as Message
from sanshi_cli.alerting import Recipient, State, Told, read_state
from sanshi_cli.loading import load_portfolio
from sanshi_cli.mailing import heading, subject_of
from sanshi_cli.status import find_items
from tests.conftest import Result
from tests.smtp_server import Received, Server

AS_OF = "2026-11-27"
PMO = "pmo@example.gov.cn"
JSJ = "jsj@example.gov.cn"
GDJ = "gdj@example.gov.cn"
LEADER_A = "leader-a@example.gov.cn"
LEADER_B = "leader-b@example.gov.cn"
TOP = "top@example.gov.cn"

HEAD = """\
[settings]
title = "测试重点项目"
language = "{language}"

[alerts]
repeat_days = 30
pmo = ["pmo@example.gov.cn"]

[problems]
escalate_to = {escalate_to}

[smtp]
host = "127.0.0.1"
port = {port}
security = "none"
from = "高新区指挥部办公室 <sanshi@example.gov.cn>"
timeout = 5

[[units]]
id = "jsj"
name = "高新区建设局"
email = ["jsj@example.gov.cn"]

[[units]]
id = "gdj"
name = "供电局"
email = ["gdj@example.gov.cn"]

[[units]]
id = "wenyuan"
name = "文苑街道办事处"

[[people]]
id = "leader-a"
name = "示例领导甲"
email = "leader-a@example.gov.cn"

[[people]]
id = "leader-b"
name = "示例领导乙"
email = "leader-b@example.gov.cn"

[[people]]
id = "top"
name = "区委书记"
email = "top@example.gov.cn"

[[projects]]
id = "road"
name = "龙源路道路工程"
leader = "leader-a"
lead_unit = "jsj"
responsible_unit = "jsj"
start = 2026-01-05
finish = 2026-12-31
"""

PROBLEMS = """\

  [[projects.milestones]]
  id = "permits"
  name = "施工许可证"
  due = 2026-11-10

  [[projects.problems]]
  id = "P-2026-001"
  text = "施工用电接入滞后"
  category = "要素保障"
  owner = "gdj"
  leader = "leader-b"
  raised = 2026-10-20
  due = 2026-11-24

  [[projects.problems]]
  id = "P-2026-002"
  text = "征迁款未到位"
  category = "资金"
  raised = 2026-10-20
  due = 2026-11-18

  [[projects.problems]]
  id = "P-2026-003"
  text = "用地指标未落实"
  category = "用地"
  leader = "leader-b"
  raised = 2026-09-01
  due = 2026-11-01

  [[projects.problems]]
  id = "P-2026-004"
  text = "施工许可待办"
  category = "手续"
  raised = 2026-11-02
  due = 2026-12-01

  [[projects.problems]]
  id = "P-2026-005"
  text = "管线迁改"
  category = "征迁"
  raised = 2026-10-01
  due = 2026-11-25
  solved = 2026-11-20

[[projects]]
id = "bridge"
name = "大沙河桥"
leader = "leader-a"
lead_unit = "jsj"
responsible_unit = "wenyuan"
start = 2026-01-05
finish = 2026-12-31

  [[projects.problems]]
  id = "P-2026-006"
  text = "交地协调"
  raised = 2026-10-01
  due = 2026-11-01
  solved = 2026-10-25
  closed = 2026-10-28
"""

# One problem alone, for the escalation steps: due 2026-11-20, owned by 建设局, led by 甲.
ONE_PROBLEM = """\

  [[projects.problems]]
  id = "P-2026-010"
  text = "{text}"
  raised = 2026-10-20
  due = {due}
"""

Alert = Callable[..., Result]
Write = Callable[..., Path]


@pytest.fixture
def write(write_toml: Callable[..., Path]) -> Write:
    def make(
        port: int, body: str = PROBLEMS, *, language: str = "zh", escalate_to: str = '["top", "leader-b"]'
    ) -> Path:
        text = HEAD.format(language=language, escalate_to=escalate_to, port=port) + body
        return write_toml(text)

    return make


@pytest.fixture
def alert(sanshi: Callable[..., Result], tmp_path: Path) -> Alert:
    def run(*args: str, as_of: str = AS_OF) -> Result:
        return sanshi("alert", "-f", str(tmp_path / "projects.toml"), "--as-of", as_of, *args)

    return run


def plain(message: Received) -> str:
    """The text part with the line ends a reader sees (SMTP carries CRLF)."""
    return message.text.replace("\r\n", "\n")


def ids_in(message: Received) -> list[str]:
    """The problem ids a message lists, in the order of its text part."""
    body = plain(message)
    found = [(body.index(f"P-2026-{n:03d}"), f"P-2026-{n:03d}") for n in range(1, 11) if f"P-2026-{n:03d}" in body]
    return [ident for _, ident in sorted(found)]


def state_rows(tmp_path: Path) -> list[dict[str, object]]:
    document = json.loads((tmp_path / ".sanshi-alert-state.json").read_text("utf-8"))
    assert document["version"] == 2
    rows: list[dict[str, object]] = document["told"]
    return rows


# -- who is told ------------------------------------------------------------------------------------


def test_each_level_reaches_its_people(server: Server, write: Write, alert: Alert) -> None:
    write(server.port)
    result = alert()
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    got = server.recorder.by_address()  # fails if anyone got two messages (乙 leads and is in escalate_to)
    assert set(got) == {JSJ, GDJ, LEADER_A, LEADER_B, TOP, PMO}
    # the owner unit: its open problems at every level, never the one awaiting verification
    assert ids_in(got[JSJ]) == ["P-2026-003", "P-2026-002", "P-2026-004"]
    assert ids_in(got[GDJ]) == ["P-2026-001"]
    # the leader: from escalation 2 (or red); 乙's P-001 is a yellow escalation 1: still the unit's
    assert ids_in(got[LEADER_A]) == ["P-2026-002"]
    assert "施工许可证" in plain(got[LEADER_A])  # and the red milestone, as before
    assert ids_in(got[LEADER_B]) == ["P-2026-003"]
    # escalate_to: level 3 only
    assert ids_in(got[TOP]) == ["P-2026-003"]
    assert "施工许可证" not in plain(got[TOP])
    # the PMO: everything, 督办 first and 待销号 last; the closed problem nowhere
    assert ids_in(got[PMO]) == ["P-2026-003", "P-2026-002", "P-2026-001", "P-2026-004", "P-2026-005"]
    assert all("P-2026-006" not in plain(m) for m in server.received)


def test_subjects_put_escalation_3_at_the_top(server: Server, write: Write, alert: Alert) -> None:
    write(server.port)
    assert alert().exit_code == 0
    got = server.recorder.by_address()
    assert got[JSJ].subject == "【问题督办】高新区建设局：3项红灯、1项蓝色提醒（截至2026-11-27）"
    assert got[GDJ].subject == "【逾期预警】供电局：1项黄灯（截至2026-11-27）"  # overdue, not yet escalated
    assert got[LEADER_A].subject == "【逾期预警】示例领导甲：2项红灯（截至2026-11-27）"
    assert got[TOP].subject == "【问题督办】区委书记：1项红灯（截至2026-11-27）"
    assert got[PMO].subject == ("【问题督办】测试重点项目汇总：3项红灯、1项黄灯、2项蓝色提醒（截至2026-11-27）")


def test_a_blue_problem_alone_is_on_the_problem_list(server: Server, write: Write, alert: Alert) -> None:
    write(server.port, ONE_PROBLEM.format(text="施工用电接入滞后", due="2026-12-01"))
    assert alert().exit_code == 0
    got = server.recorder.by_address()
    assert set(got) == {JSJ, PMO}  # blue: not the leader's
    assert got[JSJ].subject == "【问题清单】高新区建设局：1项蓝色提醒（截至2026-11-27）"


def test_the_unit_reads_id_text_deadline_days_and_escalation(server: Server, write: Write, alert: Alert) -> None:
    write(server.port)
    assert alert().exit_code == 0
    text = plain(server.recorder.by_address()[JSJ])
    assert text.startswith(
        "高新区建设局：\n\n"
        "截至 2026-11-27，贵单位负责的事项中有 4\xa0项需要关注（含问题清单中即将到期或逾期未解决的问题），"
        "请抓紧推进，按时交账，按期解决问题并报办结。标 ★ 的为新增或级别升高的事项。\n\n"
        "■ 督办问题（1 项）\n\n"
    )
    assert (
        "1. [红灯] 龙源路道路工程  ★新增\n"
        "   P-2026-003 · 问题：用地指标未落实 · 解决时限\xa02026-11-01\n"
        "   逾期\xa026\xa0天，3\xa0级督办\n"  # past 78 cells: broken between pieces, never inside one
    ) in text
    assert "■ 其他事项（3 项）\n\n2. [红灯] 龙源路道路工程  ★新增\n   施工许可证" in text
    assert "   P-2026-002 · 问题：征迁款未到位 · 解决时限\xa02026-11-18 · 逾期\xa09\xa0天，2\xa0级督办\n" in text
    assert "   P-2026-004 · 问题：施工许可待办 · 解决时限\xa02026-12-01 · 剩\xa02\xa0个工作日\n" in text
    assert "待销号" not in text


def test_the_digest_has_督办_first_and_待销号_last(server: Server, write: Write, alert: Alert) -> None:
    write(server.port)
    assert alert().exit_code == 0
    digest = server.recorder.by_address()[PMO]
    text = plain(digest)
    order = [
        "全部重点项目中有 6\xa0项需要关注，其中包括问题清单中的问题。",
        "■ 督办问题（1 项）",
        "P-2026-003",
        "■ 其他事项（4 项）",
        "施工许可证",
        "P-2026-002",
        "P-2026-001",
        "P-2026-004",
        "■ 待销号问题（1 项）：责任单位已报办结，请核查后销号",
        "P-2026-005 · 问题：管线迁改 · 解决时限\xa02026-11-25\n   2026-11-20\xa0已办结，待销号",
        "红灯：3\xa0项",
    ]
    places = [text.index(part) for part in order]
    assert places == sorted(places)
    assert "责任单位：供电局 · 分包领导：示例领导乙" in text  # the problem's own owner and leader
    html = digest.html
    headings = ["督办问题（1 项）", "其他事项（4 项）", "待销号问题（1 项）：责任单位已报办结，请核查后销号"]
    places = [
        html.index(f'<p style="margin:12px 0 0;font-weight:bold"><span style="white-space:nowrap">{h}</span></p>')
        for h in headings
    ]
    assert places == sorted(places)
    assert html.count("<table") == 3
    assert max(row.count("<td") for row in html.split("<tr>")) <= 1  # one cell a row: a phone reads it


def test_english_words(server: Server, write: Write, alert: Alert) -> None:
    write(server.port, language="en")
    assert alert().exit_code == 0
    got = server.recorder.by_address()
    assert got[TOP].subject == "[Escalated problem] 区委书记: 1 red (as of 2026-11-27)"
    text = plain(got[PMO])
    assert "■ Problems under top-level supervision (督办, 1 item)" in text
    assert "■ Awaiting verification (待销号, 1 item): solved, to be checked and closed off" in text
    assert "P-2026-003 · Problem: 用地指标未落实 · deadline\xa02026-11-01" in text


def test_without_escalate_to_nobody_else_is_told(server: Server, write: Write, alert: Alert) -> None:
    write(server.port, escalate_to="[]")
    assert alert().exit_code == 0
    got = server.recorder.by_address()
    assert set(got) == {JSJ, GDJ, LEADER_A, LEADER_B, PMO}
    assert ids_in(got[LEADER_B]) == ["P-2026-003"]  # as the problem's leader


def test_a_person_without_an_address_in_escalate_to_is_named_in_the_digest(
    server: Server, write: Write, alert: Alert, write_toml: Callable[..., Path], tmp_path: Path
) -> None:
    path = write(server.port)
    text = path.read_text("utf-8").replace('email = "top@example.gov.cn"\n', "")
    path.write_text(text, "utf-8")
    assert alert().exit_code == 0
    assert TOP not in server.recorder.by_address()
    assert "区委书记（分包领导，1\xa0项）" in server.recorder.by_address()[PMO].text


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ({"P-2026-003", "permits"}, "supervised"),  # 督办 over an overdue milestone
        ({"P-2026-003", "P-2026-004"}, "supervised"),
        ({"P-2026-001", "P-2026-004"}, "late"),  # a problem overdue below 督办 is simply overdue
        ({"P-2026-002"}, "late"),
        ({"P-2026-004"}, "problems"),  # due soon
        ({"P-2026-005"}, "problems"),  # awaiting verification
    ],
)
def test_the_subject_ranks_problems(write: Write, chosen: set[str], expected: str) -> None:
    loaded = load_portfolio(write(25))
    items = [
        i
        for i in find_items(loaded, date(2026, 11, 27))
        if (i.problem.id if i.problem is not None else i.milestone.id if i.milestone is not None else "") in chosen
    ]
    assert len(items) == len(chosen)
    assert heading(items) == expected
    words = {"supervised": "【问题督办】", "late": "【逾期预警】", "problems": "【问题清单】"}[expected]
    message = Message(Recipient("pmo", "pmo", "", (PMO,)), (PMO,), items)
    assert subject_of(message, "zh", "T", date(2026, 11, 27)).startswith(words)


def test_a_problem_record_round_trips(tmp_path: Path) -> None:
    state = State(
        {
            ("pmo", PMO, "problem", "road", "P-2026-003"): Told("red", date(2026, 11, 27), 3),
            ("pmo", PMO, "milestone", "road", "permits"): Told("red", date(2026, 11, 27)),
        }
    )
    rows = json.loads(state.to_json())["told"]
    assert rows == [
        {"recipient": "pmo", "address": PMO, "kind": "milestone", "project": "road", "milestone": "permits",
         "level": "red", "on": "2026-11-27"},
        {"recipient": "pmo", "address": PMO, "kind": "problem", "project": "road", "milestone": None,
         "problem": "P-2026-003", "level": "red", "escalation": 3, "on": "2026-11-27"},
    ]  # fmt: skip
    path = tmp_path / "state.json"
    path.write_text(state.to_json(), "utf-8")
    assert read_state(path).told == state.told


# -- once, and again when it escalates -------------------------------------------------------------


def test_the_same_day_again_sends_nothing(server: Server, write: Write, alert: Alert, tmp_path: Path) -> None:
    write(server.port)
    assert alert().exit_code == 0
    assert len(server.received) == 6
    again = alert("-v")
    assert (again.exit_code, len(server.received)) == (0, 6)
    assert "已发送 0 封" in again.stdout
    rows = [r for r in state_rows(tmp_path) if r["recipient"] == "unit:jsj" and r["kind"] == "problem"]
    assert {(r["problem"], r["milestone"], r["level"], r["escalation"]) for r in rows} == {
        ("P-2026-002", None, "red", 2),
        ("P-2026-003", None, "red", 3),
        ("P-2026-004", None, "blue", 1),
    }
    milestone = next(r for r in state_rows(tmp_path) if r["kind"] == "milestone")
    assert "problem" not in milestone and "escalation" not in milestone  # other records as before


def test_escalation_1_to_2_is_sent_again(server: Server, write: Write, alert: Alert, tmp_path: Path) -> None:
    write(server.port, ONE_PROBLEM.format(text="施工用电接入滞后", due="2026-11-20"))
    assert alert(as_of="2026-11-25").exit_code == 0  # 5 days overdue: yellow, escalation 1
    assert set(server.recorder.by_address()) == {JSJ, PMO}
    assert alert(as_of="2026-11-26").exit_code == 0  # 6 days: unchanged
    assert len(server.received) == 2
    assert alert(as_of="2026-11-27").exit_code == 0  # 7 days: escalation 2, still yellow
    later = server.received[2:]
    assert sorted(a for m in later for a in m.rcpt_tos) == [JSJ, LEADER_A, PMO]
    by = {m.rcpt_tos[0]: m for m in later}
    assert "★升级" in plain(by[JSJ]) and "★升级" in plain(by[PMO])
    assert "★新增" in plain(by[LEADER_A])  # new to the leader
    assert "逾期\xa07\xa0天，2\xa0级督办" in plain(by[JSJ])
    assert by[JSJ].subject == "【逾期预警】高新区建设局：1项黄灯（截至2026-11-27）"
    assert by[JSJ].message["Message-ID"] != server.received[0].message["Message-ID"]
    assert alert(as_of="2026-11-27").exit_code == 0  # unchanged again (11-28 would be red: a rise in level)
    assert len(server.received) == 5


def test_escalation_2_to_3_is_sent_again(server: Server, write: Write, alert: Alert, tmp_path: Path) -> None:
    write(server.port, ONE_PROBLEM.format(text="用地指标未落实", due="2026-11-01"))
    assert alert(as_of="2026-11-20").exit_code == 0  # 19 days: red, escalation 2
    assert set(server.recorder.by_address()) == {JSJ, LEADER_A, PMO}
    assert alert(as_of="2026-11-21").exit_code == 0  # 20 days: unchanged
    assert len(server.received) == 3
    assert alert(as_of="2026-11-22").exit_code == 0  # 21 days: escalation 3, still red
    later = {m.rcpt_tos[0]: m for m in server.received[3:]}
    assert set(later) == {JSJ, LEADER_A, PMO, LEADER_B, TOP}  # escalate_to joins
    assert all(m.subject.startswith("【问题督办】") for m in later.values())
    assert "★升级" in plain(later[JSJ]) and "★新增" in plain(later[TOP])
    rows = {r["recipient"]: r for r in state_rows(tmp_path)}
    assert (rows["unit:jsj"]["escalation"], rows["unit:jsj"]["on"]) == (3, "2026-11-22")
    assert alert(as_of="2026-11-23").exit_code == 0
    assert len(server.received) == 8


def test_a_state_file_without_escalation_reads_as_escalation_1(
    server: Server, write: Write, alert: Alert, tmp_path: Path
) -> None:
    """A version-2 state file from before escalation was kept: its records were told at escalation 1."""
    write(server.port, ONE_PROBLEM.format(text="施工用电接入滞后", due="2026-11-20"))
    base = {"kind": "problem", "project": "road", "milestone": None, "problem": "P-2026-010", "level": "yellow"}
    told = [
        {"recipient": "unit:jsj", "address": JSJ, **base, "on": "2026-11-26"},
        {"recipient": "pmo", "address": PMO, **base, "on": "2026-11-26"},
    ]
    state = tmp_path / ".sanshi-alert-state.json"
    state.write_text(json.dumps({"format": "sanshi-alert-state", "version": 2, "told": told}), "utf-8")
    assert alert(as_of="2026-11-26").exit_code == 0  # escalation 1, as recorded: nothing
    assert server.received == []
    assert alert(as_of="2026-11-27").exit_code == 0  # escalation 2: a rise
    got = server.recorder.by_address()
    assert set(got) == {JSJ, LEADER_A, PMO}
    assert "★升级" in plain(got[JSJ])


def test_an_old_state_file_keeps_its_milestones(server: Server, write: Write, alert: Alert, tmp_path: Path) -> None:
    """Version 1 (milestones only) and a problem record that names no problem (written before
    problems had ids in the state): read without error; the milestone stays told, the problems are news."""
    write(server.port)
    state = tmp_path / ".sanshi-alert-state.json"
    v1 = [{"recipient": "unit:jsj", "address": JSJ, "project": "road", "milestone": "permits", "level": "red",
           "on": "2026-11-26"}]  # fmt: skip
    state.write_text(json.dumps({"format": "sanshi-alert-state", "version": 1, "told": v1}), "utf-8")
    assert alert("--only-unit", "jsj").exit_code == 0
    (message,) = server.received
    assert "[红灯] 龙源路道路工程\n   施工许可证" in plain(message)  # told before: unmarked
    assert plain(message).count("★新增") == 3
    nameless = [{"recipient": "unit:gdj", "address": GDJ, "kind": "problem", "project": "road", "milestone": None,
                 "level": "yellow", "on": "2026-11-26"}]  # fmt: skip
    state.write_text(json.dumps({"format": "sanshi-alert-state", "version": 2, "told": nameless}), "utf-8")
    assert alert("--only-unit", "gdj").exit_code == 0
    assert len(server.received) == 2 and "★新增" in plain(server.received[1])
    assert [r.get("problem") for r in state_rows(tmp_path)] == ["P-2026-001"]  # the nameless record is gone


@pytest.mark.parametrize("escalation", ["0", "4", "true", '"2"'])
def test_a_bad_escalation_in_the_state_file_exits_2(
    server: Server, write: Write, alert: Alert, tmp_path: Path, escalation: str
) -> None:
    write(server.port)
    row = (
        '{"recipient": "pmo", "address": "pmo@example.gov.cn", "kind": "problem", "project": "road", '
        f'"milestone": null, "problem": "P-2026-001", "level": "red", "escalation": {escalation}, "on": "2026-11-26"}}'
    )
    (tmp_path / ".sanshi-alert-state.json").write_text(
        '{"format": "sanshi-alert-state", "version": 2, "told": [' + row + "]}", "utf-8"
    )
    result = alert()
    assert result.exit_code == 2
    assert "状态文件" in result.stderr and "escalation" in result.stderr
    assert server.received == []


# -- review --------------------------------------------------------------------------------------------


def test_dry_run_lists_the_problems(server: Server, write: Write, alert: Alert, tmp_path: Path) -> None:
    write(server.port)
    dry = alert("--dry-run")
    assert dry.exit_code == 0
    assert dry.stdout == (
        "收件：高新区建设局 <jsj@example.gov.cn>\n"
        "  主题：【问题督办】高新区建设局：3项红灯、1项蓝色提醒（截至2026-11-27）\n"
        "  事项：4 项（新增 4 项，升级 0 项）\n"
        "  其中问题：3 项（督办 1 项，待销号 0 项）\n"
        "收件：供电局 <gdj@example.gov.cn>\n"
        "  主题：【逾期预警】供电局：1项黄灯（截至2026-11-27）\n"
        "  事项：1 项（新增 1 项，升级 0 项）\n"
        "  其中问题：1 项（督办 0 项，待销号 0 项）\n"
        "收件：示例领导甲 <leader-a@example.gov.cn>\n"
        "  主题：【逾期预警】示例领导甲：2项红灯（截至2026-11-27）\n"
        "  事项：2 项（新增 2 项，升级 0 项）\n"
        "  其中问题：1 项（督办 0 项，待销号 0 项）\n"
        "收件：示例领导乙 <leader-b@example.gov.cn>\n"
        "  主题：【问题督办】示例领导乙：1项红灯（截至2026-11-27）\n"
        "  事项：1 项（新增 1 项，升级 0 项）\n"
        "  其中问题：1 项（督办 1 项，待销号 0 项）\n"
        "收件：区委书记 <top@example.gov.cn>\n"
        "  主题：【问题督办】区委书记：1项红灯（截至2026-11-27）\n"
        "  事项：1 项（新增 1 项，升级 0 项）\n"
        "  其中问题：1 项（督办 1 项，待销号 0 项）\n"
        "收件：测试重点项目汇总 <pmo@example.gov.cn>\n"
        "  主题：【问题督办】测试重点项目汇总：3项红灯、1项黄灯、2项蓝色提醒（截至2026-11-27）\n"
        "  事项：6 项（新增 6 项，升级 0 项）\n"
        "  其中问题：5 项（督办 1 项，待销号 1 项）\n"
        "共 6 封待发送；0 个收件方已通知过，本次无需发送。\n"
    )
    assert server.received == []
    assert not (tmp_path / ".sanshi-alert-state.json").exists()


# -- user text is data ---------------------------------------------------------------------------------

HOSTILE = r"施工用电<script>alert(1)</script>\r\nBcc: evil@x.example\u001b[31m红\u202e"


def test_hostile_problem_text_is_inert(server: Server, write: Write, alert: Alert) -> None:
    write(server.port, ONE_PROBLEM.format(text=HOSTILE, due="2026-11-24"))
    dry = alert("--dry-run")
    assert dry.exit_code == 0 and "\x1b" not in dry.stdout and "\u202e" not in dry.stdout
    assert alert().exit_code == 0
    assert {a for m in server.received for a in m.rcpt_tos} == {JSJ, PMO}
    for received in server.received:
        message = received.message
        assert message["Bcc"] is None
        assert "evil" not in str(message["Subject"]) and "\n" not in str(message["Subject"])
        text, html = plain(received), received.html
        assert "\x1b" not in text + html and "\u202e" not in text + html and "\r" not in text
        assert "问题：施工用电<script>alert(1)</script> Bcc: evil@x.example\\x1b[31m红\\u202e" in text
        assert "<script>" not in html
        assert "施工用电&lt;script&gt;alert(1)&lt;/script&gt; Bcc: evil@x.example\\x1b[31m" in html
