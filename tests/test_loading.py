"""Loading the project file: every bad input gets exactly the right one-line error, exit 2.

Each case is run through ``sanshi check -f FILE --as-of 2026-11-27``. Line numbers refer to
``MINIMAL`` (conftest) as written there; edits that keep the line count keep those numbers:

     1 [[units]]            11 [[projects]]           20   [[projects.milestones]]
     2 id = "jsj"           12 id = "civic-center"    21   id = "permits"
     4 email = [...]        14 leader = "leader-a"    22   name = "施工许可证"
     6 [[people]]           15 lead_unit = "jsj"      23   due = 2026-04-30
     7 id = "leader-a"      16 responsible_unit = ..  25   [[projects.milestones]]
     9 email = "a@..."      17 start = 2026-03-01     26   id = "start"
                            18 finish = 2027-12-31    28   after = "permits"
                                                      29   offset = "10wd"
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, SAMPLE

AS_OF = "2026-11-27"
FILE = "projects.toml"


def edit(*pairs: str, text: str = MINIMAL) -> str:
    """MINIMAL with each ``old`` replaced by ``new`` (pairs), failing loudly if ``old`` is absent."""
    assert len(pairs) % 2 == 0
    for old, new in zip(pairs[::2], pairs[1::2], strict=True):
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def check(sanshi, *extra: str, file: str = FILE):
    return sanshi("check", "-f", file, "--as-of", AS_OF, *extra)


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def assert_no_traceback(result) -> None:
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr


# -- one bad input, one exact line --------------------------------------------------------------

# (text of projects.toml, --lang or None for the default Chinese, the one expected stderr line)
ONE_LINE_ERRORS = [
    pytest.param(
        edit("due = 2026-04-30", "due = "),
        None,
        "projects.toml:23: 错误：TOML 语法错误：无效的值（文字要加引号，日期写成 2026-04-30） «due =»：请对照 README 中的文件格式改正",
        id="toml-syntax-zh",
    ),
    pytest.param(
        '[settings]\nlanguage = "en"\n' + edit("due = 2026-04-30", "due = "),
        None,
        "projects.toml:25: error: TOML syntax error: Invalid value «due =»: "
        "fix it against the file format in the README",
        id="toml-syntax-file-language-en",
    ),
    pytest.param(
        MINIMAL + 'id = "again"\n',
        None,
        'projects.toml:30: 错误：TOML 语法错误：同一个键写了两次 «id = "again"»：请对照 README 中的文件格式改正',
        id="toml-key-written-twice",
    ),
    pytest.param(
        edit("due = 2026-04-30", "due = 2026-02-30"),
        None,
        "projects.toml:23: 错误：不存在的日期 2026-02-30：请检查月份和日期（小月没有 31 日，2 月只有 28 或 29 日）",
        id="impossible-toml-date-zh",
    ),
    pytest.param(
        edit("due = 2026-04-30", "due = 2026-02-30"),
        "en",
        "projects.toml:23: error: impossible date 2026-02-30: check the month and day "
        "(short months have no 31st, February has 28 or 29 days)",
        id="impossible-toml-date-en",
    ),
    pytest.param(
        edit("due = 2026-04-30", 'due = "2026-02-30"'),
        None,
        "projects.toml:23: 错误：项目 civic-center，节点 permits，键 due："
        "不存在的日期 2026-02-30：请检查月份和日期（小月没有 31 日，2 月只有 28 或 29 日）",
        id="impossible-string-date-zh",
    ),
    pytest.param(
        edit("due = 2026-04-30", 'due = "2026-02-30"'),
        "en",
        "projects.toml:23: error: project civic-center, milestone permits, key due: impossible date 2026-02-30: "
        "check the month and day (short months have no 31st, February has 28 or 29 days)",
        id="impossible-string-date-en",
    ),
    pytest.param(
        edit("due = 2026-04-30", 'due = "next friday"'),
        "en",
        'projects.toml:23: error: project civic-center, milestone permits, key due: invalid value "next friday": '
        "expected a date such as 2026-04-30",
        id="not-a-date",
    ),
    pytest.param(
        edit("finish = 2027-12-31", "finish = 2026-02-01"),
        "en",
        "projects.toml:18: error: project civic-center, key finish: finish 2026-02-01 is before start 2026-03-01: "
        "correct one of them",
        id="finish-before-start-en",
    ),
    pytest.param(
        edit("finish = 2027-12-31", "finish = 2026-02-01"),
        None,
        "projects.toml:18: 错误：项目 civic-center，键 finish："
        "竣工日期 finish 2026-02-01 早于开工日期 start 2026-03-01：请改正其中之一",
        id="finish-before-start-zh",
    ),
    # -- missing required keys: named at the table that lacks them
    pytest.param(
        edit('leader = "leader-a"\n', "\n"),
        "en",
        "projects.toml:11: error: project civic-center, key leader: missing required key: add it",
        id="missing-project-leader",
    ),
    pytest.param(
        edit('  name = "施工许可证"\n', "\n"),
        "en",
        "projects.toml:20: error: project civic-center, milestone permits, key name: missing required key: add it",
        id="missing-milestone-name",
    ),
    pytest.param(
        edit('id = "jsj"\n', "\n"),
        "en",
        "projects.toml:1: error: unit #1, key id: missing required key: add it",
        id="missing-unit-id",
    ),
    pytest.param(
        edit('id = "jsj"\n', "\n"),
        None,
        "projects.toml:1: 错误：单位 #1，键 id：缺少必填的键：请补上",
        id="missing-unit-id-zh",
    ),
    # -- unknown keys at every level, with the nearest valid key
    pytest.param(
        '[settings]\ntitel = "x"\n' + MINIMAL,
        "en",
        "projects.toml:2: error: key settings.titel: unknown key (did you mean 'title'?): remove or correct it",
        id="unknown-key-settings",
    ),
    pytest.param(
        '[settings]\ntitel = "x"\n' + MINIMAL,
        None,
        "projects.toml:2: 错误：键 settings.titel：未知的键（是否应为 “title”？）：请删除或改正",
        id="unknown-key-settings-zh",
    ),
    pytest.param(
        '[setting]\ntitle = "x"\n' + MINIMAL,
        "en",
        "projects.toml:1: error: key setting: the table header [setting] is unknown: did you mean [settings]?",
        id="unknown-key-top-level",
    ),
    pytest.param(
        "[alerts]\nremind_workday = 3\n" + MINIMAL,
        "en",
        "projects.toml:2: error: key alerts.remind_workday: unknown key (did you mean 'remind_workdays'?): "
        "remove or correct it",
        id="unknown-key-alerts",
    ),
    pytest.param(
        "[calendar]\nstrickt = true\n" + MINIMAL,
        "en",
        "projects.toml:2: error: key calendar.strickt: unknown key (did you mean 'strict'?): remove or correct it",
        id="unknown-key-calendar",
    ),
    pytest.param(
        MINIMAL + "\n[calendar.years.2027]\nholiday = [2027-10-01]\n",
        "en",
        "projects.toml:32: error: key calendar.years.2027.holiday: unknown key (did you mean 'holidays'?): "
        "remove or correct it",
        id="unknown-key-calendar-year",
    ),
    pytest.param(
        edit("email = [", "emial = ["),
        "en",
        "projects.toml:4: error: unit jsj, key emial: unknown key (did you mean 'email'?): remove or correct it",
        id="unknown-key-unit",
    ),
    pytest.param(
        edit('email = "a@', 'mail = "a@'),
        "en",
        "projects.toml:9: error: person leader-a, key mail: unknown key (did you mean 'email'?): remove or correct it",
        id="unknown-key-person",
    ),
    pytest.param(
        edit('responsible_unit = "jsj"', 'responsible_unit = "jsj"\nresponsible = "jsj"'),
        "en",
        "projects.toml:17: error: project civic-center, key responsible: unknown key "
        "(did you mean 'responsible_unit'?): remove or correct it",
        id="unknown-key-project",
    ),
    pytest.param(
        edit("due = 2026-04-30", "due = 2026-04-30\n  dur = 2026-04-30"),
        "en",
        "projects.toml:24: error: project civic-center, milestone permits, key dur: unknown key "
        "(did you mean 'due'?): remove or correct it",
        id="unknown-key-milestone",
    ),
    pytest.param(
        edit("due = 2026-04-30", "due = 2026-04-30\n  dur = 2026-04-30"),
        None,
        "projects.toml:24: 错误：项目 civic-center，节点 permits，键 dur：未知的键（是否应为 “due”？）：请删除或改正",
        id="unknown-key-milestone-zh",
    ),
    pytest.param(
        '[smtp]\nhost = "smtp.example.gov.cn"\npassword = "secret"\n' + MINIMAL,
        "en",
        "projects.toml:3: error: key smtp.password: no password in the project file: remove 'password' "
        "and use the SANSHI_SMTP_PASSWORD environment variable or password_file",
        id="smtp-password-en",
    ),
    pytest.param(
        '[smtp]\nhost = "smtp.example.gov.cn"\npassword = "secret"\n' + MINIMAL,
        None,
        "projects.toml:3: 错误：键 smtp.password：项目文件中不能写密码：请删除 password，"
        "改用环境变量 SANSHI_SMTP_PASSWORD 或 password_file",
        id="smtp-password-zh",
    ),
    # -- duplicate ids: the message names the line of the first one
    pytest.param(
        MINIMAL + "\n" + MINIMAL[MINIMAL.index("[[projects]]") :],
        "en",
        "projects.toml:32: error: project civic-center, key id: duplicate project id 'civic-center' "
        "(first on line 12): every id must be unique",
        id="duplicate-project-id",
    ),
    pytest.param(
        MINIMAL + '\n  [[projects.milestones]]\n  id = "permits"\n  name = "再次"\n  due = 2026-05-29\n',
        "en",
        "projects.toml:32: error: project civic-center, milestone permits, key id: duplicate milestone id "
        "'permits' (first on line 21): every id must be unique",
        id="duplicate-milestone-id",
    ),
    pytest.param(
        MINIMAL + '\n  [[projects.milestones]]\n  id = "permits"\n  name = "再次"\n  due = 2026-05-29\n',
        None,
        "projects.toml:32: 错误：项目 civic-center，节点 permits，键 id：节点 id “permits” 重复（第一次在第 21 行）："
        "每个 id 必须唯一",
        id="duplicate-milestone-id-zh",
    ),
    pytest.param(
        '[[units]]\nid = "jsj"\nname = "另一个单位"\n\n' + MINIMAL,
        "en",
        "projects.toml:6: error: unit jsj, key id: duplicate unit id 'jsj' (first on line 2): every id must be unique",
        id="duplicate-unit-id",
    ),
    # -- references to things that do not exist, with "did you mean"
    pytest.param(
        edit('lead_unit = "jsj"', 'lead_unit = "jsx"'),
        "en",
        "projects.toml:15: error: project civic-center, key lead_unit: unknown unit 'jsx' (did you mean 'jsj'?): "
        "use an id defined in [[units]]",
        id="unknown-unit-typo",
    ),
    pytest.param(
        edit('lead_unit = "jsj"', 'lead_unit = "高新区建设局"'),
        "en",
        "projects.toml:15: error: project civic-center, key lead_unit: '高新区建设局' is the name of a unit: "
        "write its id 'jsj' here (see [[units]])",
        id="unit-name-instead-of-id",
    ),
    pytest.param(
        edit('lead_unit = "jsj"', 'lead_unit = "高新区建设局"'),
        None,
        "projects.toml:15: 错误：项目 civic-center，键 lead_unit：“高新区建设局” 是单位的名称："
        "这里请写它的 id “jsj”（见 [[units]]）",
        id="unit-name-instead-of-id-zh",
    ),
    pytest.param(
        edit('leader = "leader-a"', 'leader = "示例领导甲"'),
        "en",
        "projects.toml:14: error: project civic-center, key leader: '示例领导甲' is the name of a person: "
        "write its id 'leader-a' here (see [[people]])",
        id="person-name-instead-of-id",
    ),
    pytest.param(
        edit('leader = "leader-a"', 'leader = "leader-b"'),
        "en",
        "projects.toml:14: error: project civic-center, key leader: unknown person 'leader-b' "
        "(did you mean 'leader-a'?): use an id defined in [[people]]",
        id="unknown-person-typo",
    ),
    pytest.param(
        edit('responsible_unit = "jsj"', 'responsible_unit = "nowhere-at-all"'),
        "en",
        "projects.toml:16: error: project civic-center, key responsible_unit: unknown unit 'nowhere-at-all': "
        "use an id defined in [[units]]",
        id="unknown-unit-no-suggestion",
    ),
    pytest.param(
        edit('after = "permits"', 'after = "permit"'),
        "en",
        "projects.toml:28: error: project civic-center, milestone start, key after: unknown milestone 'permit' "
        "(did you mean 'permits'?): use an id defined in [[projects.milestones]] (civic-center)",
        id="after-unknown-milestone",
    ),
    pytest.param(
        edit('after = "permits"', 'after = "施工许可证"'),
        "en",
        "projects.toml:28: error: project civic-center, milestone start, key after: '施工许可证' is the name of a "
        "milestone: write its id 'permits' here (see [[projects.milestones]] (civic-center))",
        id="after-milestone-name-instead-of-id",
    ),
    pytest.param(
        edit('offset = "10wd"', 'offset = "10wd"\n  depends = ["permitz"]'),
        "en",
        "projects.toml:30: error: project civic-center, milestone start, key depends: unknown milestone 'permitz' "
        "(did you mean 'permits'?): use an id defined in [[projects.milestones]] (civic-center)",
        id="depends-unknown-milestone",
    ),
    pytest.param(
        edit("due = 2026-04-30", 'due = 2026-04-30\n  owner = "zrzy"'),
        "en",
        "projects.toml:24: error: project civic-center, milestone permits, key owner: unknown unit 'zrzy': "
        "use an id defined in [[units]]",
        id="unknown-owner",
    ),
    # -- due, after and offset
    pytest.param(
        edit('offset = "10wd"', 'offset = "10x"'),
        "en",
        "projects.toml:29: error: project civic-center, milestone start, key offset: bad offset '10x': "
        "use a whole number and a unit, such as 10wd (working days), 15d (calendar days), 2w (weeks), "
        "3m (months); negative counts backwards; at most about 10 years",
        id="offset-10x",
    ),
    pytest.param(
        edit('offset = "10wd"', 'offset = "wd"'),
        None,
        "projects.toml:29: 错误：项目 civic-center，节点 start，键 offset：无效的间隔 “wd”："
        "应为整数加单位，如 10wd（工作日）、15d（日历日）、2w（周）、3m（月），负数表示倒排，最长约 10 年",
        id="offset-wd-zh",
    ),
    pytest.param(
        edit('offset = "10wd"', 'offset = "1.5d"'),
        "en",
        "projects.toml:29: error: project civic-center, milestone start, key offset: bad offset '1.5d': "
        "use a whole number and a unit, such as 10wd (working days), 15d (calendar days), 2w (weeks), "
        "3m (months); negative counts backwards; at most about 10 years",
        id="offset-1.5d",
    ),
    pytest.param(
        edit('offset = "10wd"', 'offset = "10wd"\n  due = 2026-06-01'),
        "en",
        "projects.toml:28: error: project civic-center, milestone start, key after: both 'due' and 'after' "
        "are set: use one (a fixed date, or relative to another milestone)",
        id="due-and-after",
    ),
    pytest.param(
        edit('offset = "10wd"', 'offset = "10wd"\n  due = 2026-06-01'),
        None,
        "projects.toml:28: 错误：项目 civic-center，节点 start，键 after：同时写了 due 和 after："
        "只能二选一（固定日期，或相对另一节点）",
        id="due-and-after-zh",
    ),
    pytest.param(
        edit("  due = 2026-04-30\n", "\n"),
        "en",
        "projects.toml:20: error: project civic-center, milestone permits, key due: no due date: "
        'set due = DATE, or after = "milestone-id" with offset = "10wd"',
        id="neither-due-nor-after",
    ),
    pytest.param(
        edit('  offset = "10wd"\n', "\n"),
        "en",
        "projects.toml:28: error: project civic-center, milestone start, key after: "
        "'after' needs an 'offset' such as offset = \"10wd\"",
        id="after-without-offset",
    ),
    pytest.param(
        edit('  after = "permits"\n', "\n"),
        "en",
        "projects.toml:29: error: project civic-center, milestone start, key offset: "
        "'offset' needs 'after', the milestone id it counts from",
        id="offset-without-after",
    ),
    pytest.param(
        edit("  due = 2026-04-30\n", '  after = "start"\n  offset = "5d"\n'),
        "en",
        "projects.toml:23: error: project civic-center, milestone permits, key after: milestones depend on each "
        "other in a cycle: permits → start → permits: remove one 'after' or 'depends'",
        id="cycle-through-after",
    ),
    pytest.param(
        edit("  due = 2026-04-30\n", '  due = 2026-04-30\n  depends = ["start"]\n'),
        "en",
        "projects.toml:24: error: project civic-center, milestone permits, key depends: milestones depend on each "
        "other in a cycle: permits → start → permits: remove one 'after' or 'depends'",
        id="cycle-through-depends",
    ),
    pytest.param(
        edit("  due = 2026-04-30\n", '  due = 2026-04-30\n  depends = ["start"]\n'),
        None,
        "projects.toml:24: 错误：项目 civic-center，节点 permits，键 depends：节点之间循环依赖："
        "permits → start → permits：请去掉其中一个 after 或 depends",
        id="cycle-through-depends-zh",
    ),
    # -- settings and addresses
    pytest.param(
        '[settings]\ntimezone = "Asia/Beijing"\n' + MINIMAL,
        "en",
        "projects.toml:2: error: key settings.timezone: unknown timezone 'Asia/Beijing': "
        "use an IANA name such as Asia/Shanghai",
        id="bad-timezone",
    ),
    pytest.param(
        edit('email = "a@example.gov.cn"', 'email = "a.example.gov.cn"'),
        "en",
        "projects.toml:9: error: person leader-a, key email: invalid e-mail address 'a.example.gov.cn': "
        "expected name@example.gov.cn",
        id="bad-email-person",
    ),
    pytest.param(
        edit('email = ["jsj@example.gov.cn"]', 'email = ["jsj@example.gov.cn", "jsj at example"]'),
        None,
        "projects.toml:4: 错误：单位 jsj，键 email：无效的电子邮件地址 “jsj at example”：应为 name@example.gov.cn 形式",
        id="bad-email-unit-zh",
    ),
    pytest.param(
        '[alerts]\npmo = ["pmo@"]\n' + MINIMAL,
        "en",
        "projects.toml:2: error: key alerts.pmo: invalid e-mail address 'pmo@': expected name@example.gov.cn",
        id="bad-email-pmo",
    ),
    # -- wrong types
    pytest.param(
        '[alerts]\nremind_workdays = "three"\n' + MINIMAL,
        "en",
        'projects.toml:2: error: key alerts.remind_workdays: invalid value "three": expected a whole number',
        id="remind-workdays-text",
    ),
    pytest.param(
        '[alerts]\nremind_workdays = "three"\n' + MINIMAL,
        None,
        'projects.toml:2: 错误：键 alerts.remind_workdays：值 "three" 无效：应为整数',
        id="remind-workdays-text-zh",
    ),
    pytest.param(
        "[alerts]\nred_after_days = -1\n" + MINIMAL,
        "en",
        "projects.toml:2: error: key alerts.red_after_days: invalid value -1: must be at least 0",
        id="red-after-days-negative",
    ),
    pytest.param(
        '[settings]\nlanguage = "fr"\n' + MINIMAL,
        "en",
        'projects.toml:2: error: key settings.language: invalid value "fr": expected one of: zh | en',
        id="language-fr",
    ),
    pytest.param(
        '[calendar]\nroll = "next"\n' + MINIMAL,
        "en",
        'projects.toml:2: error: key calendar.roll: invalid value "next": '
        "expected one of: none | next_workday | prev_workday",
        id="roll-unknown",
    ),
    # -- typed-in holiday notices, monthly and weekly targets
    pytest.param(
        MINIMAL + "\n[calendar.years.2027]\nholidays = [2026-10-01]\n",
        "en",
        "projects.toml:32: error: key calendar.years.2027.holidays: 2026-10-01 is not in 2027: "
        "[calendar.years.2027] lists that year's dates only",
        id="notice-date-in-wrong-year",
    ),
    pytest.param(
        MINIMAL + "\n[calendar.years.2027]\nholidays = [2026-10-01]\n",
        None,
        "projects.toml:32: 错误：键 calendar.years.2027.holidays：日期 2026-10-01 不在 2027 年："
        "[calendar.years.2027] 只能写该年的日期",
        id="notice-date-in-wrong-year-zh",
    ),
    pytest.param(
        MINIMAL + "\n[calendar.years.27]\nholidays = []\n",
        "en",
        'projects.toml:31: error: key calendar.years.27: invalid value "27": '
        "a year must be four digits, as in [calendar.years.2027]",
        id="notice-year-not-four-digits",
    ),
    pytest.param(
        MINIMAL + '\n  [[projects.monthly]]\n  month = "2026-13"\n  target = "主体结构"\n',
        "en",
        "projects.toml:32: error: project civic-center, key month: bad month '2026-13': use YYYY-MM, such as 2026-07",
        id="month-13",
    ),
    pytest.param(
        MINIMAL + '\n  [[projects.weekly]]\n  week = "2026-W54"\n  target = "主体结构"\n',
        "en",
        # 2026-12-28 is a Monday in ISO week 53, so 2026 has 53 weeks
        "projects.toml:32: error: project civic-center, key week: bad week '2026-W54': "
        "use an ISO week YYYY-Www such as 2026-W28 (that year has 53 weeks)",
        id="week-54",
    ),
    pytest.param(
        MINIMAL + '\n  [[projects.monthly]]\n  month = "2026-01"\n  target = "主体结构"\n',
        "en",
        "projects.toml:32: error: project civic-center, key month: target period 2026-01 is outside the project's "
        "span 2026-03-01 to 2027-12-31: correct the period or the project's dates",
        id="monthly-target-before-project-start",
    ),
    pytest.param(
        MINIMAL + '\n  [[projects.weekly]]\n  week = "2028-W01"\n  target = "主体结构"\n',
        None,
        "projects.toml:32: 错误：项目 civic-center，键 week："
        "目标周期 2028-W01 不在项目工期 2026-03-01 至 2027-12-31 内：请改正周期或项目起止日期",
        id="weekly-target-after-project-finish-zh",
    ),
]


@pytest.mark.parametrize(("text", "lang", "expected"), ONE_LINE_ERRORS)
def test_bad_input_gives_one_exact_line_and_exit_2(sanshi, write_toml, text, lang, expected):
    write_toml(text)
    result = check(sanshi, *(["--lang", lang] if lang else []))
    assert result.exit_code == 2
    assert error_lines(result) == [expected]
    assert result.stdout == ""
    assert_no_traceback(result)


# -- reading the file ---------------------------------------------------------------------------


def test_gbk_file_is_named_as_such_with_the_line_and_how_to_resave(sanshi, tmp_path: Path):
    text = '[settings]\ntitle = "高新区重点项目"\n'
    (tmp_path / FILE).write_bytes(text.encode("gbk"))
    result = check(sanshi)
    assert result.exit_code == 2
    assert error_lines(result) == [
        "projects.toml:2: 错误：文件不是 UTF-8 编码（第 2 行，看起来是 Excel 或记事本保存的 GBK 编码）："
        "请用“另存为 → 编码：UTF-8”重新保存，或运行 iconv -f GB18030 -t UTF-8 原文件 > 新文件"
    ]
    assert_no_traceback(result)


def test_gbk_file_in_english(sanshi, tmp_path: Path):
    (tmp_path / FILE).write_bytes('title = "高新区"\n'.encode("gbk"))
    result = check(sanshi, "--lang", "en")
    assert result.exit_code == 2
    [line] = error_lines(result)
    assert line.startswith("projects.toml:1: error: the file is not UTF-8 (line 1, it looks like GBK")
    assert "re-save it with Save As → Encoding: UTF-8" in line


def test_utf8_bom_is_accepted(sanshi, tmp_path: Path):
    (tmp_path / FILE).write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode("utf-8"))
    result = check(sanshi)
    assert result.exit_code == 0
    assert result.stdout == "projects.toml：1 个项目、2 个节点，检查通过。\n"
    assert result.stderr == ""


def test_utf8_bom_keeps_line_numbers(sanshi, tmp_path: Path):
    bad = edit('lead_unit = "jsj"', 'lead_unit = "jsx"')
    (tmp_path / FILE).write_bytes(b"\xef\xbb\xbf" + bad.encode("utf-8"))
    result = check(sanshi, "--lang", "en")
    assert result.exit_code == 2
    assert error_lines(result)[0].startswith("projects.toml:15: error: project civic-center, key lead_unit:")


@pytest.mark.parametrize(
    ("content", "lang", "expected"),
    [
        (
            "",
            None,
            "projects.toml: 错误：文件是空的：请至少写入一个 [[projects]]，或删除此文件后运行 sanshi init 生成带注释的模板",
        ),
        (
            "",
            "en",
            "projects.toml: error: the file is empty: add at least one [[projects]] table, or delete the file and run sanshi init for a commented starter",
        ),
        (
            " \n\n\t \n",
            None,
            "projects.toml: 错误：文件是空的：请至少写入一个 [[projects]]，或删除此文件后运行 sanshi init 生成带注释的模板",
        ),
    ],
    ids=["empty-zh", "empty-en", "whitespace-only"],
)
def test_empty_file(sanshi, tmp_path: Path, content, lang, expected):
    (tmp_path / FILE).write_text(content, encoding="utf-8")
    result = check(sanshi, *(["--lang", lang] if lang else []))
    assert result.exit_code == 2
    assert error_lines(result) == [expected]
    assert_no_traceback(result)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (None, "missing.toml: 错误：文件不存在：请检查路径，或用 --file 指定其他文件"),
        ("en", "missing.toml: error: no such file: check the path, or point at another file with --file"),
    ],
)
def test_missing_file(sanshi, lang, expected):
    result = check(sanshi, *(["--lang", lang] if lang else []), file="missing.toml")
    assert result.exit_code == 2
    assert error_lines(result) == [expected]
    assert_no_traceback(result)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (None, "data: 错误：这是一个目录，不是文件：请指定其中的 .toml 文件"),
        ("en", "data: error: this is a directory, not a file: name the .toml file inside it"),
    ],
)
def test_directory_instead_of_file(sanshi, tmp_path: Path, lang, expected):
    (tmp_path / "data").mkdir()
    result = check(sanshi, *(["--lang", lang] if lang else []), file="data")
    assert result.exit_code == 2
    assert error_lines(result) == [expected]
    assert_no_traceback(result)


# -- finding the file ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            None,
            "错误：找不到项目文件（已查找：--file, $SANSHI_FILE, ./projects.toml, ./data/projects.toml）："
            "请运行 sanshi init 新建一个，或用 --file 指定文件、设置环境变量 SANSHI_FILE",
        ),
        (
            "en",
            "error: no project file found (looked for --file, $SANSHI_FILE, ./projects.toml, ./data/projects.toml): "
            "create one with sanshi init, or point at one with --file PATH or the SANSHI_FILE environment variable",
        ),
    ],
)
def test_no_file_anywhere_lists_where_it_looked(sanshi, lang, expected):
    result = sanshi("check", "--as-of", AS_OF, *(["--lang", lang] if lang else []))
    assert result.exit_code == 2
    assert error_lines(result) == [expected]
    assert_no_traceback(result)


def _project_file(name: str, project_count: int) -> str:
    """A valid file with ``project_count`` projects, so that a run shows which file it read."""
    head, project = MINIMAL[: MINIMAL.index("[[projects]]")], MINIMAL[MINIMAL.index("[[projects]]") :]
    projects = [project.replace('id = "civic-center"', f'id = "p{n}"') for n in range(project_count)]
    return head + "\n".join(projects)


def test_sanshi_file_variable_is_used(sanshi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "台账.toml").write_text(_project_file("x", 3), encoding="utf-8")
    (tmp_path / FILE).write_text(_project_file("x", 1), encoding="utf-8")
    monkeypatch.setenv("SANSHI_FILE", str(Path("elsewhere") / "台账.toml"))
    result = sanshi("check", "--as-of", AS_OF, "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout == "elsewhere/台账.toml: 3 projects, 6 milestones, no errors.\n"


def test_file_option_beats_sanshi_file(sanshi, write_toml, monkeypatch: pytest.MonkeyPatch):
    write_toml(_project_file("x", 2), name="chosen.toml")
    monkeypatch.setenv("SANSHI_FILE", "missing.toml")
    result = sanshi("check", "-f", "chosen.toml", "--as-of", AS_OF, "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout == "chosen.toml: 2 projects, 4 milestones, no errors.\n"


def test_sanshi_file_pointing_nowhere_is_a_missing_file(sanshi, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SANSHI_FILE", "gone.toml")
    result = sanshi("check", "--as-of", AS_OF, "--lang", "en")
    assert result.exit_code == 2
    assert error_lines(result) == [
        "gone.toml: error: no such file: check the path, or point at another file with --file"
    ]


def test_projects_toml_in_cwd_comes_before_data_projects_toml(sanshi, tmp_path: Path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / FILE).write_text(_project_file("x", 2), encoding="utf-8")
    (tmp_path / FILE).write_text(_project_file("x", 1), encoding="utf-8")
    result = sanshi("check", "--as-of", AS_OF, "--lang", "en")
    assert result.exit_code == 0
    shown, rest = result.stdout.split(": ", 1)
    assert Path(shown).resolve() == (tmp_path / FILE).resolve()
    assert rest == "1 project, 2 milestones, no errors.\n"


def test_data_projects_toml_is_found_when_cwd_has_none(sanshi, tmp_path: Path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / FILE).write_text(_project_file("x", 2), encoding="utf-8")
    result = sanshi("check", "--as-of", AS_OF, "--lang", "en")
    assert result.exit_code == 0
    shown, rest = result.stdout.split(": ", 1)
    assert Path(shown).resolve() == (tmp_path / "data" / FILE).resolve()
    assert rest == "2 projects, 4 milestones, no errors.\n"


# -- many problems in one run -------------------------------------------------------------------


def test_unknown_keys_are_reported_together_with_semantic_errors(sanshi, write_toml):
    write_toml(edit("due = 2026-04-30", 'dur = 2026-04-30\n  due = 2026-04-30\n  owner = "jsx"'))
    result = check(sanshi, "--lang", "en")
    assert result.exit_code == 2
    assert error_lines(result) == [
        "projects.toml:23: error: project civic-center, milestone permits, key dur: unknown key "
        "(did you mean 'due'?): remove or correct it",
        "projects.toml:25: error: project civic-center, milestone permits, key owner: unknown unit 'jsx' "
        "(did you mean 'jsj'?): use an id defined in [[units]]",
    ]


def test_misspelt_key_reports_the_missing_one_and_the_suggestion(sanshi, write_toml):
    write_toml(edit('responsible_unit = "jsj"', 'responsible = "jsj"'))
    result = check(sanshi, "--lang", "en")
    assert result.exit_code == 2
    assert error_lines(result) == [
        "projects.toml:11: error: project civic-center, key responsible_unit: missing required key: add it",
        "projects.toml:16: error: project civic-center, key responsible: unknown key "
        "(did you mean 'responsible_unit'?): remove or correct it",
    ]


MANY_PROBLEMS = (
    '[settings]\ntimezone = "Mars/Base"\n'  # line 2
    + edit(
        'lead_unit = "jsj"',
        'lead_unit = "zzz"',  # line 17
        'offset = "10wd"',
        'offset = "10x"',  # line 31
        'email = "a@example.gov.cn"',
        'email = "nope"',  # line 11
    )
)


def test_problems_are_sorted_by_line_and_each_starts_with_the_file(sanshi, tmp_path: Path):
    (tmp_path / "台账").mkdir()
    (tmp_path / "台账" / FILE).write_text(MANY_PROBLEMS, encoding="utf-8")
    path = f"台账/{FILE}"
    result = check(sanshi, "--lang", "en", file=path)
    assert result.exit_code == 2
    lines = error_lines(result)
    assert len(lines) == 4
    assert all(line.startswith(f"{path}:") for line in lines)
    numbers = [int(line[len(str(path)) + 1 :].split(":", 1)[0]) for line in lines]
    # the checks run timezone, references, offsets, e-mails; the report is in file order
    assert numbers == [2, 11, 17, 31]
    assert "unknown timezone 'Mars/Base'" in lines[0]
    assert "person leader-a, key email: invalid e-mail address 'nope'" in lines[1]
    assert "project civic-center, key lead_unit: unknown unit 'zzz'" in lines[2]
    assert "project civic-center, milestone start, key offset: bad offset '10x'" in lines[3]
    assert_no_traceback(result)


def test_problems_in_chinese_each_start_with_the_file(sanshi, write_toml):
    write_toml(MANY_PROBLEMS)
    result = check(sanshi)
    assert result.exit_code == 2
    lines = error_lines(result)
    assert len(lines) == 4
    assert all(re.match(r"projects\.toml:\d+: 错误：", line) for line in lines)


def test_markup_in_ids_and_names_is_printed_literally(sanshi, write_toml):
    write_toml(
        edit(
            'id = "civic-center"',
            'id = "[red]x[/red]"',
            'name = "市民中心"',
            'name = "[red]x[/red]"',
            'lead_unit = "jsj"',
            'lead_unit = "[bold]zzz"',
        )
    )
    result = check(sanshi, "--lang", "en")
    assert result.exit_code == 2
    assert error_lines(result) == [
        "projects.toml:15: error: project [red]x[/red], key lead_unit: unknown unit '[bold]zzz': "
        "use an id defined in [[units]]"
    ]


def test_milestone_ids_need_only_be_unique_within_their_project(sanshi, write_toml):
    second = MINIMAL[MINIMAL.index("[[projects]]") :].replace('id = "civic-center"', 'id = "other"')
    write_toml(MINIMAL + "\n" + second)
    result = check(sanshi, "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout == "projects.toml: 2 projects, 4 milestones, no errors.\n"


# -- warnings: the file is usable, exit 0 -------------------------------------------------------

WARNINGS = [
    pytest.param(
        edit("due = 2026-04-30", "due = 2026-04-25"),
        "en",
        "projects.toml:23: warning: project civic-center, milestone permits, key due: due date 2026-04-25 (Sat) "
        'is a rest day: check it, or add roll = "next_workday"',
        id="due-on-saturday-en",
    ),
    pytest.param(
        edit("due = 2026-04-30", "due = 2026-04-25"),
        None,
        "projects.toml:23: 警告：项目 civic-center，节点 permits，键 due：截止日期 2026-04-25（周六）是休息日："
        '请确认，或加 roll = "next_workday"',
        id="due-on-saturday-zh",
    ),
    pytest.param(
        # 2026-10-01 (Thu) is National Day, a weekday holiday
        edit("due = 2026-04-30", "due = 2026-10-01"),
        "en",
        "projects.toml:23: warning: project civic-center, milestone permits, key due: due date 2026-10-01 (Thu) "
        'is a rest day: check it, or add roll = "next_workday"',
        id="due-on-national-day",
    ),
    pytest.param(
        edit("due = 2026-04-30", "due = 2026-02-27"),
        "en",
        "projects.toml:23: warning: project civic-center, milestone permits, key due: due date 2026-02-27 is "
        "outside the project's span 2026-03-01 to 2027-12-31: check it",
        id="due-before-project-start",
    ),
    pytest.param(
        edit("due = 2026-04-30", "due = 2026-04-30\n  done = 2026-12-01"),
        "en",
        "projects.toml:24: warning: project civic-center, milestone permits, key done: done = 2026-12-01 "
        "is after today 2026-11-27: check it",
        id="done-in-future-en",
    ),
    pytest.param(
        edit("due = 2026-04-30", "due = 2026-04-30\n  done = 2026-12-01"),
        None,
        "projects.toml:24: 警告：项目 civic-center，节点 permits，键 done："
        "完成日期 done = 2026-12-01 晚于今天 2026-11-27：请确认",
        id="done-in-future-zh",
    ),
]


@pytest.mark.parametrize(("text", "lang", "expected"), WARNINGS)
def test_warnings_keep_exit_0(sanshi, write_toml, text, lang, expected):
    write_toml(text)
    result = check(sanshi, *(["--lang", lang] if lang else []))
    assert result.exit_code == 0
    assert error_lines(result) == [expected]
    summary = (
        "projects.toml: 1 project, 2 milestones, no errors, 1 warning.\n"
        if lang == "en"
        else "projects.toml：1 个项目、2 个节点，检查通过，有 1 条警告。\n"
    )
    assert result.stdout == summary


@pytest.mark.parametrize(
    ("done", "warns"),
    [("2026-11-27", False), ("2026-11-28", True)],
    ids=["done-today", "done-tomorrow"],
)
def test_done_in_the_future_is_relative_to_as_of(sanshi, write_toml, done, warns):
    write_toml(edit("due = 2026-04-30", f"due = 2026-04-30\n  done = {done}"))
    result = check(sanshi, "--lang", "en")
    assert result.exit_code == 0
    assert ("is after today 2026-11-27" in result.stderr) is warns


def test_make_up_saturday_is_no_rest_day(sanshi, write_toml):
    # 2026-05-09 is a Saturday but a make-up working day (调休) for Labor Day
    write_toml(edit("due = 2026-04-30", "due = 2026-05-09"))
    result = check(sanshi, "--lang", "en")
    assert result.exit_code == 0
    assert result.stderr == ""


def test_sample_file_is_clean(sanshi):
    result = sanshi("check", "-f", str(SAMPLE), "--as-of", AS_OF)
    assert result.exit_code == 0
    assert result.stdout == f"{SAMPLE}：9 个项目、48 个节点、15 个问题，检查通过，有 3 条警告。\n"
    assert_no_traceback(result)


# -- bugs -----------------------------------------------------------------------------------------


def test_toml_syntax_error_detail_follows_lang_option(sanshi, write_toml):
    write_toml(edit("due = 2026-04-30", "due = "))
    result = check(sanshi, "--lang", "en")
    assert error_lines(result) == [
        "projects.toml:23: error: TOML syntax error: Invalid value «due =»: "
        "fix it against the file format in the README"
    ]


@pytest.mark.parametrize(
    "text",
    [
        edit("  due = 2026-04-30\n", '  due = 2026-04-30\n  depends = ["permits"]\n'),
        edit('after = "permits"', 'after = "start"'),
    ],
    ids=["depends-self", "after-self"],
)
def test_self_dependency_is_one_error(sanshi, write_toml, text):
    write_toml(text)
    result = check(sanshi, "--lang", "en")
    assert result.exit_code == 2
    lines = error_lines(result)
    assert len(lines) == 1
    assert "a milestone cannot depend on itself: remove it" in lines[0]


def test_self_dependency_is_an_error(sanshi, write_toml):
    write_toml(edit("  due = 2026-04-30\n", '  due = 2026-04-30\n  depends = ["permits"]\n'))
    result = check(sanshi, "--lang", "en")
    assert result.exit_code == 2
    assert error_lines(result)[0] == (
        "projects.toml:24: error: project civic-center, milestone permits, key depends: "
        "a milestone cannot depend on itself: remove it"
    )
    assert_no_traceback(result)


PROGRESS_FILE = MINIMAL[: MINIMAL.index("  [[projects.milestones]]")] + "".join(
    f'\n  [[projects.milestones]]\n  id = "{ident}"\n  name = "{ident}"\n  due = {due}\n  progress = {progress}\n'
    for ident, due, progress in [
        ("m1", "2026-06-01", 10),  # progress on line 25
        ("m2", "2026-05-06", 50),  # progress on line 31
        ("m3", "2026-04-01", 60),
    ]
)


def test_progress_falling_with_the_due_date_is_an_error_listed_by_line(sanshi, write_toml):
    # checked in due-date order (m3, m2, m1) but reported in file order
    write_toml(PROGRESS_FILE)
    result = check(sanshi, "--lang", "en")
    assert result.exit_code == 2
    assert error_lines(result) == [
        "projects.toml:25: error: project civic-center, milestone m1, key progress: progress = 10 is below 60 of "
        "the earlier milestone 'm3': progress must rise with the due date",
        "projects.toml:31: error: project civic-center, milestone m2, key progress: progress = 50 is below 60 of "
        "the earlier milestone 'm3': progress must rise with the due date",
    ]


def test_choices_in_chinese_message_have_no_english_words(sanshi, write_toml):
    write_toml('[settings]\nlanguage = "fr"\n' + MINIMAL)
    result = check(sanshi)
    assert result.exit_code == 2
    [line] = error_lines(result)
    assert "应为以下之一：" in line
    assert " or " not in line


def test_boolean_is_not_a_number_of_days(sanshi, write_toml):
    write_toml("[alerts]\nremind_workdays = true\n" + MINIMAL)
    result = check(sanshi, "--lang", "en")
    assert result.exit_code == 2
    [line] = error_lines(result)
    assert line.startswith("projects.toml:2: error: key alerts.remind_workdays: invalid value")


def test_english_summary_uses_the_singular_for_one(sanshi, write_toml):
    write_toml(edit("due = 2026-04-30", "due = 2026-04-25"))
    result = check(sanshi, "--lang", "en")
    assert result.exit_code == 0
    assert "1 projects" not in result.stdout
    assert "1 warnings" not in result.stdout


def test_a_file_of_comments_only_is_empty(sanshi, write_toml):
    write_toml("# 项目台账\n# 还没有录入项目\n")
    result = check(sanshi, "--lang", "en")
    assert result.exit_code == 2
    assert error_lines(result) == [
        "projects.toml: error: the file is empty: add at least one [[projects]] table, or delete the file and run sanshi init for a commented starter"
    ]


def test_an_unterminated_string_is_named_in_chinese_with_its_line(sanshi, write_toml):
    write_toml('[settings]\ntitle = "abc\n')
    result = check(sanshi)
    assert result.exit_code == 2
    assert error_lines(result) == [
        'projects.toml:2: 错误：TOML 语法错误：字符串缺少结束引号 «title = "abc»：请对照 README 中的文件格式改正'
    ]


@pytest.mark.parametrize(
    ("old", "new", "line", "where", "shown"),
    [
        ("start = 2026-03-01", "start = 1899-03-01", 17, "project civic-center, key start", "1899-03-01"),
        (
            "due = 2026-04-30",
            "due = 2026-04-30\n  done = 2300-01-01",
            24,
            "project civic-center, milestone permits, key done",
            "2300-01-01",
        ),
    ],
    ids=["project-start", "milestone-done"],
)
def test_dates_outside_1990_to_2199_are_errors(sanshi, write_toml, old, new, line, where, shown):
    # so that no offset counted from them can leave the calendar's range
    write_toml(edit(old, new))
    result = check(sanshi, "--lang", "en")
    assert result.exit_code == 2
    assert error_lines(result) == [
        f"projects.toml:{line}: error: {where}: date {shown} is not between 1990-01-01 and 2199-12-31: check the year"
    ]
