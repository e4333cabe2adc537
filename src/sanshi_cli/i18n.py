"""Labels and messages in Chinese (first) and English; the file's ``language`` picks."""

from __future__ import annotations

from typing import Literal

from sanshi_cli.errors import Msg, Problem

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

LABELS: dict[str, tuple[str, str]] = {
    # alert levels
    "red": ("红灯", "red"),
    "yellow": ("黄灯", "yellow"),
    "blue": ("蓝色提醒", "due soon"),
    "green": ("正常", "ok"),
    # milestone states
    "overdue": ("逾期", "overdue"),
    "at_risk": ("有延误风险", "at risk"),
    "due_soon": ("即将到期", "due soon"),
    "on_track": ("正常推进", "on track"),
    "done": ("已完成", "done"),
    "done_late": ("逾期完成", "done late"),
    # node states
    "current": ("本期", "current"),
    "future": ("未到期", "future"),
    "past": ("已过期", "past"),
    "rest": ("休息期", "rest"),
    # columns
    "col_level": ("级别", "Level"),
    "col_project": ("项目", "Project"),
    "col_milestone": ("节点", "Milestone"),
    "col_stage": ("阶段", "Stage"),
    "col_due": ("截止日期", "Due"),
    "col_done": ("完成日期", "Done"),
    "col_forecast": ("预计完成", "Forecast"),
    "col_state": ("情况", "Status"),
    "col_unit": ("责任单位", "Responsible unit"),
    "col_leader": ("分包领导", "Leader"),
    "col_period": ("周期", "Period"),
    "col_deadline": ("节点时限", "Deadline"),
    "col_progress": ("计划进度", "Planned"),
    "col_milestones": ("到期节点", "Milestones due"),
    "col_targets": ("目标任务", "Targets"),
    # phrases
    "days_overdue": ("逾期 {n} 天", "{n} days overdue"),
    "day_overdue": ("逾期 {n} 天", "1 day overdue"),
    "due_today": ("今天到期", "due today"),
    "workdays_left": ("剩 {n} 个工作日", "{n} working days left"),
    "workday_left": ("剩 {n} 个工作日", "1 working day left"),
    "slip": ("预计推迟 {n} 天", "slips {n} days"),
    "done_on": ("{date} 完成", "done {date}"),
    "done_late_by": ("{date} 完成，晚 {n} 天", "done {date}, {n} days late"),
    "summary_line": ("{label}：{n} 项", "{label}: {n}"),
    "nothing_listed": (
        "截至 {as_of}，没有逾期或即将到期的节点。",
        "As of {as_of}, nothing is overdue or due soon.",
    ),
    "status_title": ("{title}　截至 {as_of}", "{title} as of {as_of}"),
    "plan_title": (
        "{title}　{cadence}节点清单　截至 {as_of}",
        "{title}: {cadence} nodes as of {as_of}",
    ),
    "weekly": ("周", "weekly"),
    "monthly": ("月", "monthly"),
    "rest_period": ("休息期（无工作日）", "rest period (no working day)"),
    "default_title": ("重点项目", "Key projects"),
    "check_ok": (
        "{path}：{projects} 个项目、{milestones} 个节点，检查通过。",
        "{path}: {projects} projects, {milestones} milestones, no problems.",
    ),
    "check_ok_warnings": (
        "{path}：{projects} 个项目、{milestones} 个节点，检查通过，有 {warnings} 条警告。",
        "{path}: {projects} projects, {milestones} milestones, no errors, {warnings} warnings.",
    ),
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "project": ("项目", "project"),
    "milestone": ("节点", "milestone"),
    "key": ("键", "key"),
    "line": ("第 {n} 行", "line {n}"),
    # -- plan labels --
    # -- alert labels --
}

# Kinds of thing an id can refer to, for "unknown …" and "duplicate …" messages.
KINDS: dict[str, tuple[str, str]] = {
    "unit": ("单位", "unit"),
    "person": ("人员", "person"),
    "project": ("项目", "project"),
    "milestone": ("节点", "milestone"),
}

MESSAGES: dict[str, tuple[str, str]] = {
    # finding and reading the file
    "file_not_found": (
        "找不到项目文件（已查找：{looked}）：请用 --file 指定文件，或设置环境变量 SANSHI_FILE",
        "no project file found (looked for {looked}): point at one with --file PATH "
        "or the SANSHI_FILE environment variable",
    ),
    "file_missing": (
        "文件不存在：请检查路径，或用 --file 指定其他文件",
        "no such file: check the path, or point at another file with --file",
    ),
    "file_is_dir": (
        "这是一个目录，不是文件：请指定其中的 .toml 文件",
        "this is a directory, not a file: name the .toml file inside it",
    ),
    "file_unreadable": (
        "无法读取文件（{reason}）：请检查权限",
        "cannot read the file ({reason}): check its permissions",
    ),
    "file_empty": (
        "文件是空的：请至少写入一个 [[projects]]，可参照 data/projects.toml",
        "the file is empty: add at least one [[projects]] table (see data/projects.toml)",
    ),
    "not_utf8": (
        "文件不是 UTF-8 编码（第 {line} 行{gbk}）：请用“另存为 → 编码：UTF-8”重新保存，"
        "或运行 iconv -f GB18030 -t UTF-8 原文件 > 新文件",
        "the file is not UTF-8 (line {line}{gbk}): re-save it with Save As → Encoding: UTF-8, "
        "or run: iconv -f GB18030 -t UTF-8 OLD > NEW",
    ),
    "not_utf8_gbk": (
        "，看起来是 Excel 或记事本保存的 GBK 编码",
        ", it looks like GBK as saved by Excel or Notepad",
    ),
    "toml_syntax": (
        "TOML 语法错误：{detail}：请对照 README 中的文件格式改正",
        "TOML syntax error: {detail}: fix it against the file format in the README",
    ),
    "bad_date_literal": (
        "不存在的日期 {text}：请检查月份和日期（小月没有 31 日，2 月只有 28 或 29 日）",
        "impossible date {text}: check the month and day (short months have no 31st, February has 28 or 29 days)",
    ),
    "not_a_table": (
        "顶层应为表格（[settings]、[[projects]] 等）",
        "the top level must be tables ([settings], [[projects]], …)",
    ),
    # structure
    "unknown_key": ("未知的键{hint}：请删除或改正", "unknown key{hint}: remove or correct it"),
    "did_you_mean": ("（是否应为 “{suggestion}”？）", " (did you mean '{suggestion}'?)"),
    "missing_key": ("缺少必填的键：请补上", "missing required key: add it"),
    "bad_value": ("值 {value} 无效：{detail}", "invalid value {value}: {detail}"),
    "want_date": ("应为日期，如 2026-04-30", "expected a date such as 2026-04-30"),
    "want_int": ("应为整数", "expected a whole number"),
    "want_number": ("应为数字", "expected a number"),
    "want_str": ("应为带引号的文字", "expected quoted text"),
    "want_bool": ("应为 true 或 false", "expected true or false"),
    "want_list": ('应为列表，如 ["a", "b"]', 'expected a list such as ["a", "b"]'),
    "want_table": ("应为表格", "expected a table"),
    "want_one_of": ("应为以下之一：{choices}", "expected one of: {choices}"),
    "want_ge": ("应不小于 {limit}", "must be at least {limit}"),
    "want_le": ("应不大于 {limit}", "must be at most {limit}"),
    "want_nonempty": ("不能为空", "must not be empty"),
    "want_year": (
        "年份应为四位数字，如 [calendar.years.2027]",
        "a year must be four digits, as in [calendar.years.2027]",
    ),
    # meaning
    "duplicate_id": (
        "{kind} id “{id}” 重复（第一次在第 {first} 行）：每个 id 必须唯一",
        "duplicate {kind} id '{id}' (first on line {first}): every id must be unique",
    ),
    "unknown_ref": (
        "未知的{kind} “{value}”{hint}：请使用 {table} 中已有的 id",
        "unknown {kind} '{value}'{hint}: use an id defined in {table}",
    ),
    "finish_before_start": (
        "竣工日期 finish {finish} 早于开工日期 start {start}：请改正其中之一",
        "finish {finish} is before start {start}: correct one of them",
    ),
    "due_and_after": (
        "同时写了 due 和 after：只能二选一（固定日期，或相对另一节点）",
        "both 'due' and 'after' are set: use one (a fixed date, or relative to another milestone)",
    ),
    "no_due": (
        '缺少截止日期：请写 due = 日期，或 after = "节点id" 加 offset = "10wd"',
        'no due date: set due = DATE, or after = "milestone-id" with offset = "10wd"',
    ),
    "after_needs_offset": (
        '写了 after 但缺少 offset：请补上，如 offset = "10wd"',
        "'after' needs an 'offset' such as offset = \"10wd\"",
    ),
    "offset_needs_after": (
        "写了 offset 但缺少 after：请补上相对的节点 id",
        "'offset' needs 'after', the milestone id it counts from",
    ),
    "bad_offset": (
        "无效的间隔 “{value}”：应为整数加单位，如 10wd（工作日）、15d（日历日）、2w（周）、3m（月），负数表示倒排",
        "bad offset '{value}': use a whole number and a unit, such as 10wd (working days), "
        "15d (calendar days), 2w (weeks), 3m (months); negative counts backwards",
    ),
    "self_reference": (
        "节点不能依赖自己：请删除",
        "a milestone cannot depend on itself: remove it",
    ),
    "cycle": (
        "节点之间循环依赖：{chain}：请去掉其中一个 after 或 depends",
        "milestones depend on each other in a cycle: {chain}: remove one 'after' or 'depends'",
    ),
    "bad_timezone": (
        "未知的时区 “{value}”：请用 IANA 名称，如 Asia/Shanghai",
        "unknown timezone '{value}': use an IANA name such as Asia/Shanghai",
    ),
    "bad_email": (
        "无效的电子邮件地址 “{value}”：应为 name@example.gov.cn 形式",
        "invalid e-mail address '{value}': expected name@example.gov.cn",
    ),
    "notice_wrong_year": (
        "日期 {date} 不在 {year} 年：[calendar.years.{year}] 只能写该年的日期",
        "{date} is not in {year}: [calendar.years.{year}] lists that year's dates only",
    ),
    "notice_holiday_on_weekend": (
        "{date} 是周末，本来就休息：holidays 只需列出工作日（周一至周五）上的假日",
        "{date} is a weekend day, a rest day anyway: holidays lists weekday rest days only",
    ),
    "notice_workday_on_weekday": (
        "{date} 是周一至周五，本来就上班：workdays 只需列出周末的调休上班日",
        "{date} is a weekday, a working day anyway: workdays lists weekend make-up days only",
    ),
    "notice_both": (
        "{date} 同时出现在 holidays 和 workdays 中：请删去其一",
        "{date} is in both holidays and workdays: remove one",
    ),
    "password_in_file": (
        "项目文件中不能写密码：请删除 password，改用环境变量 SANSHI_SMTP_PASSWORD 或 password_file",
        "no password in the project file: remove 'password' and use the SANSHI_SMTP_PASSWORD "
        "environment variable or password_file",
    ),
    "target_outside_span": (
        "目标周期 {period} 不在项目工期 {start} 至 {finish} 内：请改正周期或项目起止日期",
        "target period {period} is outside the project's span {start} to {finish}: "
        "correct the period or the project's dates",
    ),
    "bad_month": (
        "无效的月份 “{value}”：应为 YYYY-MM，如 2026-07",
        "bad month '{value}': use YYYY-MM, such as 2026-07",
    ),
    "bad_week": (
        "无效的周 “{value}”：应为 ISO 周 YYYY-Www，如 2026-W28（该年最多 {max} 周）",
        "bad week '{value}': use an ISO week YYYY-Www such as 2026-W28 (that year has {max} weeks)",
    ),
    "progress_decreasing": (
        "计划进度 progress = {value} 小于更早节点 {other} 的 {other_value}：进度应随截止日期递增",
        "progress = {value} is below {other_value} of the earlier milestone '{other}': "
        "progress must rise with the due date",
    ),
    # warnings
    "due_on_rest_day": (
        '截止日期 {date}（{weekday}）是休息日：请确认，或加 roll = "next_workday"',
        'due date {date} ({weekday}) is a rest day: check it, or add roll = "next_workday"',
    ),
    "milestone_outside_span": (
        "截止日期 {date} 不在项目工期 {start} 至 {finish} 内：请确认",
        "due date {date} is outside the project's span {start} to {finish}: check it",
    ),
    "done_in_future": (
        "完成日期 done = {date} 晚于今天 {today}：请确认",
        "done = {date} is after today {today}: check it",
    ),
    "uncovered_year": (
        "{year} 年没有节假日数据，暂按周一至周五为工作日计算：请在项目文件中按国务院办公厅通知录入 "
        "[calendar.years.{year}]（holidays 与 workdays）",
        "{year} has no holiday data; counting Monday to Friday as working days: type that year's "
        "State Council notice into [calendar.years.{year}] (holidays and workdays)",
    ),
    "uncovered_year_strict": (
        "{year} 年没有节假日数据，且 strict = true：请在项目文件中按国务院办公厅通知录入 "
        "[calendar.years.{year}]（holidays 与 workdays）",
        "{year} has no holiday data and strict = true: type that year's State Council notice "
        "into [calendar.years.{year}] (holidays and workdays)",
    ),
    # options
    "bad_date_option": (
        "{option} 的值 “{value}” 不是日期：请用 YYYY-MM-DD，如 2026-04-28",
        "{option} '{value}' is not a date: use YYYY-MM-DD such as 2026-04-28",
    ),
    "unknown_filter": (
        "{option} “{value}” 不是已知的{kind}{hint}：请用 id 或名称",
        "{option} '{value}' matches no {kind}{hint}: use an id or a name",
    ),
    "from_after_to": (
        "--from {start} 晚于 --to {end}：请交换两者",
        "--from {start} is after --to {end}: swap them",
    ),
    "cannot_write": ("无法写入 {path}（{reason}）", "cannot write {path} ({reason})"),
    # -- plan messages --
    "bad_bound": (
        "{option} 的值 “{value}” 无效：请用日期（2026-05-04）、月份（2026-05）或 ISO 周（2026-W19）",
        "{option} '{value}' is not valid: use a date (2026-05-04), a month (2026-05) or an ISO week (2026-W19)",
    ),
    # -- alert messages --
}

WEEKDAYS: tuple[tuple[str, str], ...] = (
    ("周一", "Mon"),
    ("周二", "Tue"),
    ("周三", "Wed"),
    ("周四", "Thu"),
    ("周五", "Fri"),
    ("周六", "Sat"),
    ("周日", "Sun"),
)

# Words that stand inside other messages, as Msg("kind_unit") or Msg("weekday_5").
MESSAGES.update({f"kind_{key}": value for key, value in KINDS.items()})
MESSAGES.update({f"weekday_{n}": value for n, value in enumerate(WEEKDAYS)})


def label(key: str, lang: Lang, /, **params: object) -> str:
    """A table label or phrase in ``lang``."""
    text = LABELS[key][0 if lang == "zh" else 1]
    return text.format(**params) if params else text


def message(key: str, lang: Lang, /, **params: object) -> str:
    """A problem message in ``lang``; params that are message keys themselves are translated."""
    text = MESSAGES[key][0 if lang == "zh" else 1]
    resolved = {
        name: message(value.key, lang, **value.params) if isinstance(value, Msg) else value
        for name, value in params.items()
    }
    return text.format(**resolved)


def weekday(day_of_week: int, lang: Lang) -> str:
    return WEEKDAYS[day_of_week][0 if lang == "zh" else 1]


def format_problem(problem: Problem, lang: Lang, severity: str = "error") -> str:
    """One line: ``file:line: error: project P, milestone M, key K: what is wrong: what to do``."""
    where = []
    if problem.path:
        where.append(problem.path if problem.line is None else f"{problem.path}:{problem.line}")
    head = ": ".join(where + [label(severity, lang)])
    context = []
    if problem.subject:
        context.append(f"{KINDS[problem.subject[0]][0 if lang == 'zh' else 1]} {problem.subject[1]}")
    if problem.project:
        context.append(f"{label('project', lang)} {problem.project}")
    if problem.milestone:
        context.append(f"{label('milestone', lang)} {problem.milestone}")
    if problem.key:
        context.append(f"{label('key', lang)} {problem.key}")
    text = message(problem.message, lang, **problem.params)
    sep = "，" if lang == "zh" else ", "
    colon = "：" if lang == "zh" else ": "
    body = (sep.join(context) + colon + text) if context else text
    return f"{head}{colon}{body}" if lang == "zh" else f"{head}: {body}"


def one_line(text: str) -> str:
    """User text inside a message: control characters and line breaks shown, never acted on."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
