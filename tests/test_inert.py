"""Text from the file is inert everywhere: shown, never acted on, never breaking a format.

A hostile file (ESC and OSC sequences, the C1 CSI ``\\x9b``, DEL, NUL, BEL, a right-to-left
override, a zero-width space, a line separator, CR, tab, multi-line names, a title with a line
break, formula-looking targets) goes through every view. No terminal-active character reaches
a table, Markdown, the mail, the dry run or stderr raw: each is shown as the same escape
(``\\x1b``, ``\\x9b``, ``\\x7f``, ``\\u202e``). JSON and TOML keep the data as it is, CSV keeps
it in quoted cells that start no row, ICS escapes it. ``check`` warns about each kind, located.
"""

from __future__ import annotations

import csv
import email
import io
import json
import re
import tomllib
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from sanshi_cli.rendering import csv_cell

AS_OF = "2026-11-27"

# Lines: 2 title, 11 unit name, 16 person name, 21 project name, 30-32 milestone name, 33 stage, 38-46 targets.
HOSTILE = '''\
[settings]
title = "Key\\nprojects \\u001b]0;pwned\\u0007"
language = "en"

[smtp]
host = "smtp.example.com"
from = "PMO <pmo@example.com>"

[[units]]
id = "jsj"
name = "Works \\u001b[31mRED\\u001b[0m bureau"
email = ["jsj@example.gov.cn"]

[[people]]
id = "leader-a"
name = "Leader \\u009b2J\\u007f"
email = "a@example.gov.cn"

[[projects]]
id = "civic"
name = "Civic \\u202eretnec\\u202c \\u200bhub\\u0000\\u2028end"
leader = "leader-a"
lead_unit = "jsj"
responsible_unit = "jsj"
start = 2026-03-01
finish = 2027-12-31

  [[projects.milestones]]
  id = "permits"
  name = """Permit\\rX
line two\\r
\\tthree"""
  stage = "permits\\rphase"
  due = 2026-11-20

  [[projects.monthly]]
  month = "2026-11"
  target = "pour \\r\\nfloors \\u001b[2J"

  [[projects.monthly]]
  month = "2026-12"
  target = " =1+1"

  [[projects.monthly]]
  month = "2027-01"
  target = "\\r=cmd"
'''

PROJECT = "Civic \u202eretnec\u202c \u200bhub\x00\u2028end"
UNIT = "Works \x1b[31mRED\x1b[0m bureau"
LEADER = "Leader \x9b2J\x7f"
MILESTONE = "Permit\rX\nline two\r\n\tthree"

# What a terminal or a text view would act on: C0 but LF, DEL, C1, line/paragraph separators, bidi controls.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069]")
SHOWN = ["\\x1b[31mRED\\x1b[0m", "\\x9b2J\\x7f", "\\u202eretnec\\u202c", "\\x00\\u2028end"]


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "projects.toml"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


def assert_inert(text: str) -> None:
    assert RAW.findall(text) == []


# -- tables, at every width --------------------------------------------------------------------------


def test_status_at_80_columns_shows_every_escape(sanshi, hostile, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = sanshi("status", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "Key\\nprojects \\x1b]0;pwned\\x07 as of 2026-11-27\n"
        "Civic \\u202eretnec\\u202c \u200bhub\\x00\\u2028end  Leader \\x9b2J\\x7f\n"
        "Works \\x1b[31mRED\\x1b[0m bureau\n"
        "  yellow  Permit\\rX  11-20  7 days overdue\n"
        "          line two\n"
        "          \\tthree\n"
        "red: 0 items    yellow: 1 item    at risk: 0 items    due soon: 0 items\n"
    )


def test_status_at_150_columns_keeps_its_columns_aligned(sanshi, hostile, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "150")
    result = sanshi("status", "--as-of", AS_OF)
    assert_inert(result.stdout)
    lines = result.stdout.splitlines()
    assert lines[0] == "Key\\nprojects \\x1b]0;pwned\\x07 as of 2026-11-27"
    row = lines[4]
    assert row.startswith("yellow  Civic \\u202eretnec\\u202c \u200bhub\\x00\\u2028end  Permit\\rX  2026-11-20")
    assert row.endswith("Works \\x1b[31mRED\\x1b[0m bureau  Leader \\x9b2J\\x7f")
    # the zero-width space takes no cell: the header's Milestone column starts where the row's does
    assert lines[2].index("Milestone") == row.index("Permit") - 1  # one character, no cell


@pytest.mark.parametrize("columns", ["80", "150"])
@pytest.mark.parametrize("cadence", ["--weekly", "--monthly"])
def test_plan_table_is_inert(sanshi, hostile, monkeypatch, columns: str, cadence: str) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    result = sanshi("plan", "--as-of", AS_OF, cadence)
    assert result.exit_code == 0, result.stderr
    assert_inert(result.stdout)
    assert_inert(result.stderr)
    for shown in ["\\u202eretnec\\u202c", "\\x1b[31mRED"]:
        assert shown in result.stdout
    if cadence == "--monthly":
        assert "\\x1b[2J" in result.stdout


# -- Markdown ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["status"], ["plan", "--monthly"]])
def test_markdown_is_inert(sanshi, hostile, command: list[str]) -> None:
    result = sanshi(*command, "--as-of", AS_OF, "--format", "markdown")
    assert_inert(result.stdout)
    assert "Civic \\\\u202eretnec\\\\u202c" in result.stdout  # the escape, its backslash escaped for Markdown
    assert "Works \\\\x1b\\[31mRED\\\\x1b\\[0m bureau" in result.stdout


# -- CSV -----------------------------------------------------------------------------------------------


def excel_rows(text: str) -> list[str]:
    """Rows as Excel splits them: CR, LF or CRLF outside quotes ends a row."""
    rows, current, quoted, k = [], "", False, 0
    while k < len(text):
        ch = text[k]
        if ch == '"':
            quoted = not quoted
        if ch in "\r\n" and not quoted:
            rows.append(current)
            current = ""
            k += 2 if text[k : k + 2] == "\r\n" else 1
            continue
        current += ch
        k += 1
    return rows + ([current] if current else [])


@pytest.mark.parametrize(("command", "key"), [(["status"], "items"), (["plan", "--monthly"], "nodes")])
def test_csv_cells_never_start_a_row(sanshi, hostile, tmp_path: Path, command: list[str], key: str) -> None:
    records = json.loads(sanshi(*command, "--as-of", AS_OF, "--format", "json").stdout)[key]
    result = sanshi(*command, "--as-of", AS_OF, "--format", "csv", "-o", str(tmp_path / "out.csv"))
    assert result.exit_code in (0, 1), result.stderr
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as file:
        text = file.read()
    assert "\r" in text  # the file's CRs are in it, inside quotes
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + len(records)
    assert len(excel_rows(text)) == 1 + len(records)
    # the cells keep the text as it is (the file's data, as JSON does)
    assert rows[1][1] == PROJECT
    assert UNIT in rows[1]


def test_csv_defuses_targets_that_a_spreadsheet_would_run(sanshi, hostile, tmp_path: Path) -> None:
    sanshi("plan", "--as-of", AS_OF, "--monthly", "--format", "csv", "-o", str(tmp_path / "plan.csv"))
    rows = list(csv.DictReader((tmp_path / "plan.csv").open(encoding="utf-8", newline="")))
    assert [r["targets"] for r in rows[:3]] == ["pour \r\nfloors \x1b[2J", "' =1+1", "'\r=cmd"]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("＝1+1", "'＝1+1"),
        ("＋1", "'＋1"),
        ("－1", "'－1"),
        ("＠SUM(A1)", "'＠SUM(A1)"),
        (" =1+1", "' =1+1"),
        ("  +1", "'  +1"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("\n=cmd", "'\n=cmd"),
        ("\u3000=cmd", "'\u3000=cmd"),
        ("\tplain", "'\tplain"),
        ("a=1", "a=1"),
        ("市民中心", "市民中心"),
        (" indented", " indented"),
        ("", ""),
        (12, 12),
    ],
)
def test_csv_cell_defusal(value: object, cell: object) -> None:
    assert csv_cell(value) == cell


# -- mail and the dry run ---------------------------------------------------------------------------


def test_mail_bodies_are_inert(sanshi, hostile, tmp_path: Path) -> None:
    result = sanshi("alert", "--as-of", AS_OF, "--eml", str(tmp_path / "eml"))
    assert result.exit_code == 0, result.stderr
    messages = []
    for path in sorted((tmp_path / "eml").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        messages.append(message)
    assert len(messages) == 2
    unit = messages[0]
    plain = unit.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = unit.get_body(("html",)).get_content()  # type: ignore[union-attr]
    for text in (plain, html, str(unit["Subject"]), str(unit["To"])):
        assert_inert(text.replace("\r\n", "\n"))  # the mail's own line ends
    assert "1. [yellow] Civic \\u202eretnec\\u202c \u200bhub\\x00\\u2028end" in plain
    assert "Permit\\rX line two \\tthree · Due\xa02026-11-20" in plain  # a multi-line name on one line
    assert "“Key projects \\x1b]0;pwned\\x07”" in plain
    assert "Civic \\u202eretnec\\u202c" in html
    assert unit["Subject"].strip() == "[Overdue] Works \\x1b[31mRED\\x1b[0m bureau: 1 yellow (as of 2026-11-27)"
    leader = messages[1]
    assert leader["To"].addresses[0].display_name == "Leader \\x9b2J\\x7f"
    assert_inert(leader.get_body(("plain",)).get_content().replace("\r\n", "\n"))  # type: ignore[union-attr]


def test_dry_run_is_inert(sanshi, hostile) -> None:
    result = sanshi("alert", "--as-of", AS_OF, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "To: Works \\x1b[31mRED\\x1b[0m bureau <jsj@example.gov.cn>",
        "  Subject: [Overdue] Works \\x1b[31mRED\\x1b[0m bureau: 1 yellow (as of 2026-11-27)",
    ]
    assert "To: Leader \\x9b2J\\x7f <a@example.gov.cn>" in result.stdout
    assert_inert(result.stdout)


# -- messages on stderr -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'leader = "leader-a"',
            'leader = "lead\\u001b[2Jer"',
            "projects.toml:22: error: project civic, key leader: unknown person 'lead\\x1b[2Jer' "
            "(did you mean 'leader-a'?): use an id defined in [[people]]",
        ),
        (
            'id = "civic"',
            'id = "ci\\u009bvic"\nnot_a_key = 1',
            "projects.toml:21: error: project ci\\x9bvic, key not_a_key: unknown key (did you mean 'note'?): "
            "remove or correct it",
        ),
        (
            'lead_unit = "jsj"',
            'lead_unit = "jsj"\n"na\\u001b]0;x\\u0007me" = 1',
            "projects.toml:19: error: project civic, key na\\x1b]0;x\\x07me: unknown key: remove or correct it",
        ),
        (
            "due = 2026-11-20",
            'due = "2026-\\u202e11-20"',
            "projects.toml:34: error: project civic, milestone permits, key due: "
            'invalid value "2026-\\u202e11-20": expected a date such as 2026-04-30',
        ),
    ],
)
def test_problem_lines_are_inert(sanshi, tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in HOSTILE
    (tmp_path / "projects.toml").write_text(HOSTILE.replace(old, new, 1), encoding="utf-8")
    result = sanshi("check", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert_inert(result.stderr)
    assert result.stderr == expected + "\n"


# -- ICS and TOML exports --------------------------------------------------------------------------


def unescape(text: str) -> str:
    """RFC 5545 TEXT unescaped: ``\\n`` a line break, ``\\;`` ``\\,`` ``\\\\`` the character."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def test_ics_takes_a_title_with_a_line_break(sanshi, hostile, tmp_path: Path) -> None:
    from icalendar import Calendar

    target = tmp_path / "plan.ics"
    result = sanshi("plan", "--as-of", AS_OF, "--monthly", "--format", "ics", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    raw = target.read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded
    assert_inert(raw.decode("utf-8").replace("\r\n", ""))
    calendar = Calendar.from_ical(raw)
    # RFC 5545 TEXT: the line break, the backslashes and the semicolon escaped (icalendar keeps X- raw)
    assert str(calendar["X-WR-CALNAME"]) == "Key\\nprojects \\\\x1b]0\\;pwned\\\\x07"
    assert unescape(str(calendar["X-WR-CALNAME"])) == "Key\nprojects \\x1b]0;pwned\\x07"
    events = calendar.walk("VEVENT")
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert f"{PROJECT.replace(chr(0), '').split()[0]}" in summaries[0]
    assert "Civic \\u202eretnec\\u202c \u200bhub\\x00\\u2028end: Permit\\rX\nline two\n\\tthree" in summaries
    nodes = json.loads(sanshi("plan", "--as-of", AS_OF, "--monthly", "--format", "json").stdout)["nodes"]
    assert len(events) == sum(1 for n in nodes if n["deadline"]) + 1  # each deadline, and the milestone


def test_toml_export_keeps_the_data_and_reads_back(sanshi, hostile, tmp_path: Path) -> None:
    target = tmp_path / "plan.toml"
    result = sanshi("plan", "--as-of", AS_OF, "--monthly", "--format", "toml", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    document = tomllib.loads(target.read_text(encoding="utf-8"))
    nodes = json.loads(sanshi("plan", "--as-of", AS_OF, "--monthly", "--format", "json").stdout)["nodes"]
    assert document["period"] == "monthly"
    assert len(document["nodes"]) == len(nodes)
    first = document["nodes"][0]
    assert first["project_name"] == PROJECT
    assert first["milestones"][0]["name"] == MILESTONE
    assert first["targets"][0]["target"] == "pour \r\nfloors \x1b[2J"


# -- check warns ------------------------------------------------------------------------------------

WARNINGS_EN = [
    "projects.toml:2: warning: key settings.title: holds the control character \\n "
    "(tables and mail show this escape): remove it",
    "projects.toml:11: warning: unit jsj, key name: holds the control character \\x1b "
    "(tables and mail show this escape): remove it",
    "projects.toml:16: warning: person leader-a, key name: holds the control character \\x9b "
    "(tables and mail show this escape): remove it",
    "projects.toml:21: warning: project civic, key name: holds the bidirectional control \\u202e, which can make "
    "the text display in another order than it is stored: remove it",
    "projects.toml:21: warning: project civic, key name: holds the invisible character \\u200b (zero width space), "
    "so text that looks the same is not: remove it",
    "projects.toml:21: warning: project civic, key name: holds the control character \\x00 "
    "(tables and mail show this escape): remove it",
    "projects.toml:30: warning: project civic, milestone permits, key name: holds the control character \\r "
    "(tables and mail show this escape): remove it",
    "projects.toml:33: warning: project civic, milestone permits, key stage: holds the control character \\r "
    "(tables and mail show this escape): remove it",
    "projects.toml:38: warning: project civic, key target: holds the control character \\x1b "
    "(tables and mail show this escape): remove it",
    "projects.toml:46: warning: project civic, key target: holds the control character \\r "
    "(tables and mail show this escape): remove it",
]


def test_check_warns_about_each_hostile_kind(sanshi, hostile) -> None:
    result = sanshi("check", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == WARNINGS_EN
    assert result.stdout == "projects.toml: 1 project, 1 milestone, no errors, 10 warnings.\n"


TWINS = """\
[[units]]
id = "jsj"
name = "建设局"

[[units]]
id = "ＪＳＪ"
name = "建设局（全角）"

[[people]]
id = "leader-a"
name = "示例领导甲"

[[projects]]
id = "civic"
name = "市民中心"
leader = "leader-a"
lead_unit = "jsj"
responsible_unit = "jsj"
start = 2026-03-01
finish = 2027-12-31

  [[projects.milestones]]
  id = "permits"
  name = "施工\\u2066许可"
  due = 2026-11-20

  [[projects.milestones]]
  id = "Permits"
  name = "施工许可\\u200d"
  due = 2026-11-20

[[projects]]
id = "Civic"
name = "市民中心二期"
leader = "leader-a"
lead_unit = "ＪＳＪ"
responsible_unit = "ＪＳＪ"
start = 2026-03-01
finish = 2027-12-31
"""


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "projects.toml:6: warning: unit ＪＳＪ, key id: unit id 'ＪＳＪ' differs from 'jsj' (line 2) "
                "only in case or width, easily confused: use a clearly different id",
                "projects.toml:24: warning: project civic, milestone permits, key name: holds the bidirectional "
                "control \\u2066, which can make the text display in another order than it is stored: remove it",
                "projects.toml:28: warning: project civic, milestone Permits, key id: milestone id 'Permits' "
                "differs from 'permits' (line 23) only in case or width, easily confused: use a clearly different id",
                "projects.toml:29: warning: project civic, milestone Permits, key name: holds the invisible "
                "character \\u200d (zero width joiner), so text that looks the same is not: remove it",
                "projects.toml:33: warning: project Civic, key id: project id 'Civic' differs from 'civic' (line 14) "
                "only in case or width, easily confused: use a clearly different id",
            ],
        ),
        (
            "zh",
            [
                "projects.toml:6: 警告：单位 ＪＳＪ，键 id：单位 id “ＪＳＪ” 与第 2 行的 “jsj” 只差大小写或全角半角，"
                "容易混淆：请改用明显不同的 id",
                "projects.toml:24: 警告：项目 civic，节点 permits，键 name：含有双向文字控制符 \\u2066，"
                "文字显示的顺序可能与实际不同：请删去它",
                "projects.toml:28: 警告：项目 civic，节点 Permits，键 id：节点 id “Permits” 与第 23 行的 “permits” "
                "只差大小写或全角半角，容易混淆：请改用明显不同的 id",
                "projects.toml:29: 警告：项目 civic，节点 Permits，键 name：含有不可见字符 \\u200d（zero width joiner），"
                "看上去相同的文字实际不同：请删去它",
                "projects.toml:33: 警告：项目 Civic，键 id：项目 id “Civic” 与第 14 行的 “civic” 只差大小写或全角半角，"
                "容易混淆：请改用明显不同的 id",
            ],
        ),
    ],
)
def test_check_warns_about_ids_that_fold_to_one(sanshi, tmp_path: Path, lang: str, expected: list[str]) -> None:
    (tmp_path / "projects.toml").write_text(TWINS, encoding="utf-8")
    result = sanshi("check", "--as-of", AS_OF, "--lang", lang)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == expected


# -- shell completion ---------------------------------------------------------------------------


def test_completion_never_offers_a_control_character(tmp_path: Path) -> None:
    """A file being edited may hold raw control bytes (the TOML reader would refuse it, completion reads on)."""
    from tests.test_completion import complete

    (tmp_path / "projects.toml").write_bytes(
        b'[[units]]\nid = "jsj"\nname = "Works \x1b[2J bureau"\n\n[[units]]\nid = "j\x1b]0;x\x07"\nname = "x"\n'
    )
    result = complete("sanshi status -u j", tmp_path, "zsh")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == '_arguments \'*: :(("jsj":"Works \\x1b[2J bureau"))\'\n'
