"""Errors that point at the real mistake, in the user's language, and one map of exit codes.

The table cases run ``sanshi check -f projects.toml --as-of 2026-11-27`` on ``MINIMAL``
(conftest) with one edit; line numbers are those of MINIMAL (see tests/test_loading.py).
"""

from __future__ import annotations

import re
import string
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanshi_cli.errors import Msg, Problem, SanshiError
from sanshi_cli.i18n import KINDS, LABELS, MESSAGES, format_problem, label, message
from tests.conftest import MINIMAL, REPO, SAMPLE
from tests.test_loading import assert_no_traceback, check, edit, error_lines

DATE_FIX = "日期请写成 2026-05-01（年-月-日，月、日各两位，不加引号），不能写成 "
DATE_FIX_EN = "write the date as 2026-05-01 (year-month-day, two digits for month and day, no quotes), not "


def fw(line: int, column: int, name: str, char: str, half: str) -> str:
    return f"projects.toml:{line}: 错误：第 {column} 列是{name} {char}：请改为半角 {half}（切换到英文输入法再输入）"


# (text of projects.toml, --lang or None, the expected stderr lines)
MISTAKES = [
    # -- dates typed the way people write them
    pytest.param(
        edit("due = 2026-04-30", "due = 2026/11/20"),
        None,
        ["projects.toml:23: 错误：日期请写成 2026-11-20（年-月-日，月、日各两位，不加引号），不能写成 2026/11/20"],
        id="date-slashes-zh",
    ),
    pytest.param(
        edit("due = 2026-04-30", "due = 2026/11/20"),
        "en",
        [
            "projects.toml:23: error: write the date as 2026-11-20 (year-month-day, two digits for month and day, "
            "no quotes), not 2026/11/20"
        ],
        id="date-slashes-en",
    ),
    pytest.param(
        edit("due = 2026-04-30", "due = 2026-5-1"),
        None,
        [f"projects.toml:23: 错误：{DATE_FIX}2026-5-1"],
        id="date-one-digit-zh",
    ),
    pytest.param(
        edit("due = 2026-04-30", "due = 2026-5-1"),
        "en",
        [f"projects.toml:23: error: {DATE_FIX_EN}2026-5-1"],
        id="date-one-digit-en",
    ),
    pytest.param(
        edit("due = 2026-04-30", "due = 2026.5.1"),
        None,
        [f"projects.toml:23: 错误：{DATE_FIX}2026.5.1"],
        id="date-dots-zh",
    ),
    pytest.param(
        edit("due = 2026-04-30", "due = 2026.5.1"),
        "en",
        [f"projects.toml:23: error: {DATE_FIX_EN}2026.5.1"],
        id="date-dots-en",
    ),
    pytest.param(
        edit("due = 2026-04-30", "due = 2026年5月1日"),
        None,
        [f"projects.toml:23: 错误：{DATE_FIX}2026年5月1日"],
        id="date-chinese-zh",
    ),
    pytest.param(
        edit("due = 2026-04-30", "due = 2026年5月1日"),
        "en",
        [f"projects.toml:23: error: {DATE_FIX_EN}2026年5月1日"],
        id="date-chinese-en",
    ),
    pytest.param(
        edit("due = 2026-04-30", "due = 2026-11-20（招标截止）"),
        None,
        [
            "projects.toml:23: 错误：日期后面不能跟说明 “（招标截止）”：请只写 2026-11-20，"
            '说明写在行尾的 # 后面，或写进 note = "…"'
        ],
        id="date-with-note-zh",
    ),
    pytest.param(
        edit("due = 2026-04-30", "due = 2026-11-20（招标截止）"),
        "en",
        [
            "projects.toml:23: error: a date cannot be followed by a note ('（招标截止）'): write 2026-11-20 alone "
            'and put the note after a # or in note = "…"'
        ],
        id="date-with-note-en",
    ),
    pytest.param(
        MINIMAL + '\n  [[projects.monthly]]\n  month = 2026-12\n  target = "主体结构"\n',
        None,
        ['projects.toml:32: 错误：月份请写成 "2026-12"（加引号），不能写成 2026-12'],
        id="month-unquoted-zh",
    ),
    pytest.param(
        MINIMAL + '\n  [[projects.monthly]]\n  month = 2026-12\n  target = "主体结构"\n',
        "en",
        ['projects.toml:32: error: write the month as "2026-12" (in quotes), not 2026-12'],
        id="month-unquoted-en",
    ),
    pytest.param(
        MINIMAL + '\n  [[projects.monthly]]\n  month = 2026.10\n  target = "主体结构"\n',
        None,
        ['projects.toml:32: 错误：项目 civic-center，键 month：月份请写成 "2026-10"（加引号），不能写成 2026.10'],
        id="month-as-a-number-zh",
    ),
    # -- full-width punctuation outside strings: the character, its column, the one to type
    pytest.param(
        edit('  name = "施工许可证"', "  name ＝ “施工许可证”"),
        None,
        [
            fw(22, 8, "全角等号", "＝", "="),
            fw(22, 10, "中文左引号", "“", '"'),
            fw(22, 16, "中文右引号", "”", '"'),
        ],
        id="full-width-equals-and-quotes-zh",
    ),
    pytest.param(
        edit('  name = "施工许可证"', "  name ＝ “施工许可证”"),
        "en",
        [
            "projects.toml:22: error: column 8 holds a full-width equals sign ＝: type the half-width = "
            "(switch the input method to English)",
            'projects.toml:22: error: column 10 holds a Chinese opening quote “: type the half-width " '
            "(switch the input method to English)",
            'projects.toml:22: error: column 16 holds a Chinese closing quote ”: type the half-width " '
            "(switch the input method to English)",
        ],
        id="full-width-equals-and-quotes-en",
    ),
    pytest.param(
        edit('  name = "施工许可证"', "  name = ‘施工许可证’"),
        None,
        [fw(22, 10, "中文左单引号", "‘", "'"), fw(22, 16, "中文右单引号", "’", "'")],
        id="full-width-single-quotes",
    ),
    pytest.param(
        edit('email = ["jsj@example.gov.cn"]', 'email ＝ ［"jsj@example.gov.cn"，"b@example.gov.cn"］'),
        None,
        [
            fw(4, 7, "全角等号", "＝", "="),
            fw(4, 9, "全角左方括号", "［", "["),
            fw(4, 30, "中文逗号", "，", ","),
            fw(4, 49, "全角右方括号", "］", "]"),
        ],
        id="full-width-list",
    ),
    pytest.param(
        "[settings]\nholiday = ｛ a = 1 ｝\n" + MINIMAL,
        None,
        [fw(2, 11, "全角左花括号", "｛", "{"), fw(2, 19, "全角右花括号", "｝", "}")],
        id="full-width-braces",
    ),
    pytest.param(
        '[settings]\ntitle： "x"\n' + MINIMAL,
        None,
        [fw(2, 6, "全角冒号", "：", ":")],
        id="full-width-colon",
    ),
    pytest.param(
        edit('  id = "permits"', '\u3000id = "permits"'),
        None,
        [fw(21, 1, "全角空格", "U+3000", "空格")],
        id="full-width-space-zh",
    ),
    pytest.param(
        edit('  id = "permits"', '\u3000id = "permits"'),
        "en",
        [
            "projects.toml:21: error: column 1 holds a full-width space U+3000: type the half-width space "
            "(switch the input method to English)"
        ],
        id="full-width-space-en",
    ),
    # -- every such mistake at once, sorted by line
    pytest.param(
        edit(
            'email = "a@example.gov.cn"',
            'email ＝ "a@example.gov.cn"',
            "due = 2026-04-30",
            "due = 2026/4/30",
            "finish = 2027-12-31",
            "finish = 2027年12月31日",
        ),
        None,
        [
            fw(9, 7, "全角等号", "＝", "="),
            "projects.toml:18: 错误：日期请写成 2027-12-31（年-月-日，月、日各两位，不加引号），不能写成 2027年12月31日",
            "projects.toml:23: 错误：日期请写成 2026-04-30（年-月-日，月、日各两位，不加引号），不能写成 2026/4/30",
        ],
        id="three-mistakes-three-lines",
    ),
    pytest.param(
        edit('id = "jsj"', 'id = "jsj', "due = 2026-04-30", "due = 2026/4/30"),
        "en",
        [
            "projects.toml:2: error: TOML syntax error: Illegal character '\\n' «id = \"jsj»: "
            "fix it against the file format in the README",
            "projects.toml:23: error: write the date as 2026-04-30 (year-month-day, two digits for month and day, "
            "no quotes), not 2026/4/30",
        ],
        id="a-slip-and-another-syntax-error",
    ),
    # -- wrong structure
    pytest.param(
        edit("  [[projects.milestones]]", "[[milestones]]"),
        None,
        [
            "projects.toml:20: 错误：键 milestones：表头 [[milestones]] 有误：是否应为 [[projects.milestones]]？"
            "要写在所属项目的 [[projects]] 之后"
        ],
        id="milestones-header-zh",
    ),
    pytest.param(
        edit("  [[projects.milestones]]", "[[milestones]]"),
        "en",
        [
            "projects.toml:20: error: key milestones: the table header [[milestones]] is unknown: "
            "did you mean [[projects.milestones]]? (it follows the [[projects]] table it belongs to)"
        ],
        id="milestones-header-en",
    ),
    pytest.param(
        edit("[[projects]]", "[[project]]"),
        "en",
        ["projects.toml:11: error: key project: the table header [[project]] is unknown: did you mean [[projects]]?"],
        id="project-header",
    ),
    pytest.param(
        edit("[[projects]]", "[[project]]"),
        None,
        ["projects.toml:11: 错误：键 project：表头 [[project]] 有误：是否应为 [[projects]]？"],
        id="project-header-zh",
    ),
    pytest.param(
        edit("  [[projects.milestones]]", "  [[projects.milestone]]"),
        "en",
        [
            "projects.toml:20: error: project civic-center, key milestone: the table header "
            "[[projects.milestone]] is unknown: did you mean [[projects.milestones]]? "
            "(it follows the [[projects]] table it belongs to)"
        ],
        id="milestone-singular-header",
    ),
    pytest.param(
        edit("[[units]]", "[[unit]]"),
        "en",
        ["projects.toml:1: error: key unit: the table header [[unit]] is unknown: did you mean [[units]]?"],
        id="unit-header",
    ),
    pytest.param(
        edit("[[people]]", "[[person]]"),
        "en",
        ["projects.toml:6: error: key person: the table header [[person]] is unknown: did you mean [[people]]?"],
        id="person-header",
    ),
    pytest.param(
        edit("  [[projects.milestones]]", "  [[project.milestones]]"),
        "en",
        [
            "projects.toml:20: error: key project: the table header [[project.milestones]] is unknown: "
            "did you mean [[projects.milestones]]? (it follows the [[projects]] table it belongs to)"
        ],
        id="project-milestones-header",
    ),
    pytest.param(
        MINIMAL[MINIMAL.index("  [[projects.milestones]]") :] + "\n" + MINIMAL,
        None,
        [
            "projects.toml:1: 错误：[[projects.milestones]] 写在了第一个 [[projects]] 之前：请把它移到所属的 [[projects]] 之后"
        ],
        id="milestones-before-their-project-zh",
    ),
    pytest.param(
        MINIMAL[: MINIMAL.index("[[projects]]")] + MINIMAL[MINIMAL.index("  [[projects.milestones]]") :],
        "en",
        [
            "projects.toml:11: error: key projects: [[projects.milestones]] comes before any [[projects]]: "
            "move it after the [[projects]] it belongs to"
        ],
        id="milestones-without-a-project-en",
    ),
    # -- a name where an id belongs
    pytest.param(
        edit("due = 2026-04-30", 'due = 2026-04-30\n  owner = "高新区建设局"'),
        None,
        [
            "projects.toml:24: 错误：项目 civic-center，节点 permits，键 owner："
            "“高新区建设局” 是单位的名称：这里请写它的 id “jsj”（见 [[units]]）"
        ],
        id="owner-name-zh",
    ),
    pytest.param(
        edit("due = 2026-04-30", 'due = 2026-04-30\n  owner = "高新区建设局"'),
        "en",
        [
            "projects.toml:24: error: project civic-center, milestone permits, key owner: "
            "'高新区建设局' is the name of a unit: write its id 'jsj' here (see [[units]])"
        ],
        id="owner-name-en",
    ),
    pytest.param(
        edit('leader = "leader-a"', 'leader = "示例领导甲"'),
        None,
        [
            "projects.toml:14: 错误：项目 civic-center，键 leader："
            "“示例领导甲” 是人员的名称：这里请写它的 id “leader-a”（见 [[people]]）"
        ],
        id="leader-name-zh",
    ),
    pytest.param(
        edit('responsible_unit = "jsj"', 'responsible_unit = "高新区建设局"'),
        None,
        [
            "projects.toml:16: 错误：项目 civic-center，键 responsible_unit："
            "“高新区建设局” 是单位的名称：这里请写它的 id “jsj”（见 [[units]]）"
        ],
        id="responsible-unit-name",
    ),
    pytest.param(
        edit('responsible_unit = "jsj"', 'responsible_unit = "jsj"\ncooperating_units = ["高新区建设局"]'),
        "en",
        [
            "projects.toml:17: error: project civic-center, key cooperating_units: "
            "'高新区建设局' is the name of a unit: write its id 'jsj' here (see [[units]])"
        ],
        id="cooperating-unit-name",
    ),
    # -- several addresses in one string
    pytest.param(
        edit('email = "a@example.gov.cn"', 'email = "a@x.cn; b@x.cn"'),
        None,
        [
            "projects.toml:9: 错误：人员 leader-a，键 email：一个字符串里写了多个邮箱地址："
            '请写成列表 email = ["a@x.cn", "b@x.cn"]'
        ],
        id="emails-semicolon-zh",
    ),
    pytest.param(
        edit('email = "a@example.gov.cn"', 'email = "a@x.cn, b@x.cn"'),
        "en",
        [
            "projects.toml:9: error: person leader-a, key email: several addresses in one string: "
            'write a list, email = ["a@x.cn", "b@x.cn"]'
        ],
        id="emails-comma-en",
    ),
    pytest.param(
        edit('email = ["jsj@example.gov.cn"]', 'email = "a@x.cn；b@x.cn，c@x.cn"'),
        "en",
        [
            "projects.toml:4: error: unit jsj, key email: several addresses in one string: "
            'write a list, email = ["a@x.cn", "b@x.cn", "c@x.cn"]'
        ],
        id="emails-full-width-separators",
    ),
    pytest.param(
        '[alerts]\npmo = "pmo@x.cn; boss@x.cn"\n' + MINIMAL,
        "en",
        [
            "projects.toml:2: error: key alerts.pmo: several addresses in one string: "
            'write a list, pmo = ["pmo@x.cn", "boss@x.cn"]'
        ],
        id="emails-pmo",
    ),
]


@pytest.mark.parametrize(("text", "lang", "expected"), MISTAKES)
def test_each_mistake_gets_its_exact_lines(sanshi, write_toml, text, lang, expected):
    write_toml(text)
    result = check(sanshi, *(["--lang", lang] if lang else []))
    assert error_lines(result) == expected
    assert result.exit_code == 2
    assert result.stdout == ""
    assert_no_traceback(result)


STRINGS_AND_COMMENTS = (
    '  name = "施工许可证：2026/11/20，“加急”" # 注释：２０２６年5月1日，［备注］＝ 2026-5-1\n'
    "  note = '''\n  多行：2026.5.1，｛｝\n  due = 2026/1/1 \"\"\"\n  '''\n"
    '  stage = """\n  第二段 ＝ 2026-12 \\""" ‘’\n  """'
)


def test_strings_comments_and_multiline_strings_are_never_flagged(sanshi, write_toml):
    write_toml(edit('  name = "施工许可证"', STRINGS_AND_COMMENTS))
    assert check(sanshi).exit_code == 0
    # with a slip after them, the scan runs over them all and names the slip alone
    write_toml(edit('  name = "施工许可证"', STRINGS_AND_COMMENTS, '  offset = "10wd"', '  offset ＝ "10wd"'))
    result = check(sanshi)
    assert error_lines(result) == [fw(36, 10, "全角等号", "＝", "=")]


def test_the_sample_file_stays_clean(sanshi):
    result = check(sanshi, file=str(SAMPLE))
    assert result.exit_code == 0


# -- language: --lang, else the file's, else SANSHI_LANG, else Chinese -----------------------------

BROKEN = edit("due = 2026-04-30", "due = 2026/4/30")


@pytest.mark.parametrize(
    ("file_language", "env", "option", "expected"),
    [
        (None, None, None, "zh"),
        (None, "en", None, "en"),
        (None, "EN", None, "en"),
        (None, "fr", None, "zh"),
        ("zh", "en", None, "zh"),
        ("en", None, None, "en"),
        ("en", "zh", "zh", "zh"),
        (None, "en", "zh", "zh"),
    ],
)
@pytest.mark.parametrize("broken", [False, True], ids=["valid", "broken"])
def test_language_resolution(sanshi, write_toml, monkeypatch, file_language, env, option, expected, broken):
    head = f'[settings]\nlanguage = "{file_language}"\n' if file_language else ""
    write_toml(head + (BROKEN if broken else MINIMAL))
    if env:
        monkeypatch.setenv("SANSHI_LANG", env)
    result = check(sanshi, *(["--lang", option] if option else []))
    said = result.stderr if broken else result.stdout
    english = "error: write the date" in said if broken else "no errors" in said
    assert english == (expected == "en"), said


def test_sanshi_lang_sets_the_table_labels_of_a_file_without_language(sanshi, minimal_file, monkeypatch):
    monkeypatch.setenv("SANSHI_LANG", "en")
    result = sanshi("status", "-f", str(minimal_file), "--as-of", "2026-04-28")
    assert "Milestone" in result.stdout
    assert "节点" not in result.stdout


# -- usage errors: one line, in the file's language, with the choices, exit 2 ----------------------

USAGE = [
    (
        ["status", "--format", "x"],
        "错误：--format “x” 无效：sanshi status 可输出的格式为 table, json, csv, markdown, xlsx",
    ),
    (["status", "--fail-on", "purple"], "错误：--fail-on 的值 “purple” 无效：应为以下之一：red | yellow | blue"),
    (["status", "--lang", "fr"], "错误：--lang 的值 “fr” 无效：应为以下之一：zh | en"),
    (["plan", "-n", "0"], "错误：--periods/-n 的值 0 无效：应为不小于 1 的整数（默认 4 周或 3 个月）"),
    (["plan", "-n", "x"], "错误：--periods 的值 “x” 无效：应为整数"),
    (
        ["status", "--formt", "csv"],
        "错误：sanshi status 没有选项 --formt（是否应为 “--format”？）：运行 sanshi status --help 查看全部选项",
    ),
    (["check", "--as-of"], "错误：选项 --as-of 缺少值：运行 sanshi check --help 查看用法"),
    (
        ["stauts"],
        "错误：没有命令 “stauts”（是否应为 “status”？）：可用的命令有 alert | bulletin | check | collect | done | import | init | plan | problem | progress | report | sheet | status",
    ),
    (
        ["status", "2026-11-27"],
        "错误：sanshi status 不接受参数 “2026-11-27”（日期请写成 --as-of 2026-11-27）：运行 sanshi status --help 查看用法",
    ),
]
USAGE_EN = [
    "error: --format 'x' is not a format sanshi status writes: use one of table, json, csv, markdown, xlsx",
    "error: --fail-on 'purple' is not valid: expected one of: red | yellow | blue",
    "error: --lang 'fr' is not valid: expected one of: zh | en",
    "error: --periods/-n 0 is not valid: use a whole number of at least 1 (default: 4 weeks or 3 months)",
    "error: --periods 'x' is not valid: expected a whole number",
    "error: sanshi status has no option --formt (did you mean '--format'?): see sanshi status --help",
    "error: option --as-of needs a value: see sanshi check --help",
    "error: no command 'stauts' (did you mean 'status'?): the commands are alert | bulletin | check | collect | done | import | init | plan | problem | progress | report | sheet | status",
    "error: sanshi status takes no argument '2026-11-27' (for a date, write --as-of 2026-11-27): "
    "see sanshi status --help",
]


@pytest.mark.parametrize(("args", "expected"), USAGE, ids=[" ".join(a) for a, _ in USAGE])
def test_usage_errors_are_one_line_in_chinese_by_default(sanshi, args, expected):
    result = sanshi(*args)
    assert result.stderr.splitlines() == [expected]
    assert result.exit_code == 2
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "expected"), list(zip([a for a, _ in USAGE], USAGE_EN, strict=True)), ids=[" ".join(a) for a, _ in USAGE]
)
def test_usage_errors_follow_the_files_language(sanshi, write_toml, args, expected):
    write_toml('[settings]\nlanguage = "en"\n' + MINIMAL)  # ./projects.toml, found without -f
    result = sanshi(*args)
    assert result.stderr.splitlines() == [expected]
    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("how", "args"),
    [
        ("--lang", ["status", "--format", "x", "--lang", "en"]),
        ("--lang=", ["status", "--lang=en", "--format", "x"]),
        ("-f", ["status", "-f", "en.toml", "--format", "x"]),
        ("--file=", ["status", "--file=en.toml", "--format", "x"]),
        ("SANSHI_FILE", ["status", "--format", "x"]),
        ("SANSHI_LANG", ["status", "--format", "x"]),
    ],
)
def test_usage_error_language_comes_from_the_options_the_file_or_the_environment(
    sanshi, write_toml, monkeypatch, how, args
):
    write_toml('[settings]\nlanguage = "en"\n' + BROKEN, name="en.toml")
    if how == "SANSHI_FILE":
        monkeypatch.setenv("SANSHI_FILE", "en.toml")
    if how == "SANSHI_LANG":
        monkeypatch.setenv("SANSHI_LANG", "en")
    result = sanshi(*args)
    assert result.stderr.splitlines() == [
        "error: --format 'x' is not a format sanshi status writes: use one of table, json, csv, markdown, xlsx"
    ]


def test_the_language_option_beats_the_file_for_usage_errors(sanshi, write_toml):
    write_toml('[settings]\nlanguage = "en"\n' + MINIMAL)
    result = sanshi("status", "--lang", "zh", "--fail-on", "purple")
    assert result.stderr.splitlines() == ["错误：--fail-on 的值 “purple” 无效：应为以下之一：red | yellow | blue"]


VALIDATION_WORDING = re.compile(r"Value error|Input should|is not one of|valid integer|Traceback")


@pytest.mark.parametrize(("args", "_"), USAGE)
def test_no_validation_library_wording_reaches_the_user(sanshi, args, _):
    result = sanshi(*args)
    assert not VALIDATION_WORDING.search(result.stderr + result.stdout)


@pytest.mark.parametrize("command", ["status", "plan", "check", "alert"])
def test_help_shows_no_python_type_names(sanshi, command):
    result = sanshi(command, "--help")
    assert result.exit_code == 0
    assert not re.search(r"<(str|int|float|file|path|list\[.*?\]|int range)>|\[str\]", result.stdout), result.stdout


def test_a_bare_sanshi_prints_the_help_and_exits_0(sanshi):
    result = sanshi()
    assert result.exit_code == 0
    assert "Commands" in result.stdout
    assert result.stderr == ""


# -- the catalogue: every message formats in both languages --------------------------------------

CATALOGUES = {"LABELS": LABELS, "MESSAGES": MESSAGES, "KINDS": KINDS}
SINGULARS = {key for key in LABELS if key.endswith("_1")} | {"day_overdue", "workday_left"}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize(
    ("catalogue", "key"), [(name, key) for name, table in CATALOGUES.items() for key in table], ids=lambda v: str(v)
)
def test_every_entry_has_the_same_parameters_in_both_languages_and_formats(catalogue, key):
    zh, en = CATALOGUES[catalogue][key]
    assert zh.strip() and en.strip()
    if key in SINGULARS:  # English says "1 project" where Chinese writes the number
        assert _fields(en) <= _fields(zh)
    else:
        assert _fields(zh) == _fields(en), (zh, en)
    params = {name: f"<{name}>" for name in _fields(zh) | _fields(en)}
    for template in (zh, en):
        filled = template.format(**params)
        assert not re.search(r"\{\w*\}", filled)
        assert label(key, "zh", **params) if catalogue == "LABELS" else message(key, "en", **params)


@pytest.mark.parametrize("key", sorted(MESSAGES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_problem_with_any_message_renders_even_without_its_parameters(key, lang):
    everything = Problem(key, {}, "p.toml", 3, "proj", "ms", "due", ("unit", "jsj"))
    line = format_problem(everything, lang)
    assert line.startswith("p.toml:3: ")
    assert format_problem(SanshiError.single(key).problems[0], lang)


def test_templates_never_raise():
    assert label("line", "en") == "line {n}"
    assert label("no_such_label", "zh") == "no_such_label"
    assert message("no_such_message", "en", n=1) == "no_such_message"
    assert (
        message("unknown_ref", "en", kind=Msg("kind_unit"))
        == "unknown unit '{value}'{hint}: use an id defined in {table}"
    )
    weird = Problem("bad_value", {"value": "{0}", "detail": "{oops}"}, subject=("robot", "r2"))
    assert format_problem(weird, "en") == "error: robot r2: invalid value {0}: {oops}"
    assert format_problem(Problem("no_such_message"), "zh") == "错误：no_such_message"


# -- exit codes: 3 for a bug, with the traceback in a log file; 0 for a reader that left -------


def _crash(*_args, **_kwargs):
    raise RuntimeError("simulated bug")


def test_an_internal_error_is_exit_3_with_the_traceback_in_the_log_folder(sanshi, monkeypatch, tmp_path):
    import sanshi_cli.status

    monkeypatch.setattr(sanshi_cli.status, "find_items", _crash)  # simulate a bug: the only mock of our code
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    result = sanshi("status", "-f", str(SAMPLE), "--as-of", "2026-11-27")
    assert result.exit_code == 3
    [line] = result.stderr.splitlines()
    [log] = (tmp_path / "state").rglob("crash-*.log")
    assert line == (
        f"错误：sanshi 内部出错（这是程序缺陷，不是您的输入有误）：详细信息已写入 {log}，请把该文件发给维护人员"
    )
    saved = log.read_text("utf-8")
    assert "RuntimeError: simulated bug" in saved
    assert "Traceback" in saved
    assert "sanshi status -f" in saved


def test_an_internal_error_speaks_the_files_language(sanshi, monkeypatch, tmp_path, write_toml):
    import sanshi_cli.status

    monkeypatch.setattr(sanshi_cli.status, "find_items", _crash)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    write_toml('[settings]\nlanguage = "en"\n' + MINIMAL)
    result = sanshi("status", "--as-of", "2026-11-27")
    assert result.exit_code == 3
    assert result.stderr.startswith("error: sanshi hit an internal error (a bug, not a mistake in your input): ")
    assert "Traceback" not in result.stderr


def test_sanshi_debug_puts_the_traceback_on_stderr(sanshi, monkeypatch, tmp_path):
    import sanshi_cli.status

    monkeypatch.setattr(sanshi_cli.status, "find_items", _crash)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("SANSHI_DEBUG", "1")
    result = sanshi("status", "-f", str(SAMPLE), "--as-of", "2026-11-27")
    assert result.exit_code == 3
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert result.stderr.rstrip().endswith("RuntimeError: simulated bug")
    assert not (tmp_path / "state").exists()


def test_a_reader_that_leaves_early_is_no_error(tmp_path):
    big = tmp_path / "big.toml"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "generate.py"), "300", str(big)], check=True, capture_output=True
    )
    command = [sys.executable, "-m", "sanshi_cli", "plan", "--all", "--weekly", "--format", "csv", "-f", str(big)]
    with subprocess.Popen(
        [*command, "--as-of", "2026-11-27"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()  # `| head -1`
        errors = process.stderr.read()
        code = process.wait()
    assert first.startswith(b"project,")
    assert code == 0
    assert b"Traceback" not in errors
    assert b"Broken pipe" not in errors
    assert b"BrokenPipe" not in errors


def test_the_readme_shows_the_real_lines_for_typing_slips(sanshi, write_toml):
    text = edit(
        'email = "a@example.gov.cn"',
        'email ＝ "a@example.gov.cn"',
        "finish = 2027-12-31",
        "finish = 2027年12月31日",
        "due = 2026-04-30",
        "due = 2026-11-20（招标截止）",
    )
    write_toml(text + '\n  [[projects.monthly]]\n  month = 2026-12\n  target = "主体结构"\n')
    result = sanshi("check")
    readme = (REPO / "README.md").read_text("utf-8")
    assert result.exit_code == 2
    assert "$ sanshi check\n" + result.stderr + "```" in readme


# Characters a slip is made of, and those that delimit strings: inside strings they are text.
_TRICKY = "＝：“”‘’，、［］｛｝\u3000/.-年月日（）#\"'\\\n 2026 5 1 12 =[]{}abc施工"


@settings(max_examples=200, deadline=None)
@given(
    values=st.dictionaries(
        st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True), st.text(alphabet=_TRICKY, max_size=30), max_size=6
    ),
    comment=st.text(alphabet=_TRICKY.replace("\n", ""), max_size=30),
    multiline=st.booleans(),
)
def test_text_in_strings_and_comments_is_never_a_slip(values, comment, multiline):
    import tomli_w

    from sanshi_cli.locating import find_slips

    document = f"# {comment}\n" + tomli_w.dumps({"t": values}, multiline_strings=multiline) + f"x = 1 # {comment}\n"
    assert find_slips(document) == []
