"""Labels and messages in Chinese (first) and English; the file's ``language`` picks."""

from __future__ import annotations

import re
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
    "past": ("已结束", "ended"),
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
    "days_overdue_1": ("逾期 {n} 天", "1 day overdue"),
    "due_today": ("今天到期", "due today"),
    "workdays_left": ("剩 {n} 个工作日", "{n} working days left"),
    "workdays_left_1": ("剩 {n} 个工作日", "1 working day left"),
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
    # "no errors", not "no problems": the file's 问题清单 holds problems of another kind
    "check_ok": ("{path}：{projects}、{milestones}，检查通过。", "{path}: {projects}, {milestones}, no errors."),
    "n_problems": ("{n} 个问题", "{n} problems"),
    "n_problems_1": ("{n} 个问题", "1 problem"),
    "check_ok_warnings": (
        "{path}：{projects}、{milestones}，检查通过，有 {warnings}。",
        "{path}: {projects}, {milestones}, no errors, {warnings}.",
    ),
    "n_projects": ("{n} 个项目", "{n} projects"),
    "n_projects_1": ("{n} 个项目", "1 project"),
    "n_milestones": ("{n} 个节点", "{n} milestones"),
    "n_milestones_1": ("{n} 个节点", "1 milestone"),
    "n_warnings": ("{n} 条警告", "{n} warnings"),
    "n_warnings_1": ("{n} 条警告", "1 warning"),
    "no_workday_left": ("到期前无工作日", "no working day left"),
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "project": ("项目", "project"),
    "milestone": ("节点", "milestone"),
    "key": ("键", "key"),
    "line": ("第 {n} 行", "line {n}"),
    # -- plan labels --
    # -- alert labels --
    "alert_subject_late": (
        "【逾期预警】{name}：{counts}（截至{as_of}）",
        "[Overdue] {name}: {counts} (as of {as_of})",
    ),
    "alert_subject_soon": (
        "【到期提醒】{name}：{counts}（截至{as_of}）",
        "[Due soon] {name}: {counts} (as of {as_of})",
    ),
    "alert_count": ("{n}项{label}", "{n} {label}"),
    "alert_digest_name": ("{title}汇总", "{title} digest"),
    "alert_greeting": ("{name}：", "To {name}:"),
    "alert_greeting_pmo": ("指挥部办公室：", "To the PMO:"),
    "alert_intro_unit": (
        "截至 {as_of}，贵单位负责的 {count}逾期、有延误风险或即将到期，请抓紧推进，按时交账。",
        "As of {as_of}, {count} your unit is responsible for are overdue, at risk or due soon: "
        "please push them forward and deliver on time.",
    ),
    "alert_intro_leader": (
        "截至 {as_of}，您分包的项目中有 {count}逾期或有延误风险，请督促责任单位推进。",
        "As of {as_of}, {count} of the projects you lead are overdue or at risk: please press the units concerned.",
    ),
    "alert_intro_pmo": (
        "截至 {as_of}，全部重点项目中有 {count}逾期、有延误风险或即将到期。",
        "As of {as_of}, {count} across all key projects are overdue, at risk or due soon.",
    ),
    "alert_marks_note": ("标 ★ 的为新增或级别升高的节点。", " Those marked ★ are new or have risen in level."),
    "alert_mark_new": ("新增", "new"),
    "alert_mark_risen": ("升级", "risen"),
    "alert_col_change": ("变化", "Change"),
    "alert_kind_unit": ("责任单位", "responsible unit"),
    "alert_kind_leader": ("分包领导", "lead official"),
    "alert_kind_pmo": ("指挥部办公室", "PMO"),
    "alert_unreachable_title": (
        "以下单位或人员没有登记电子邮箱，未收到本预警，请线下通知，并在项目文件中补填 email：",
        "These have no e-mail address on file and were not alerted: tell them another way, "
        "and add their email to the project file:",
    ),
    "alert_unreachable_entry": ("{name}（{kind}，{count}）", "{name} ({kind}, {count})"),
    "alert_footer": (
        "本邮件由 sanshi 根据{title}台账自动发送，数据截至 {as_of}，请勿直接回复；如有疑问，请联系指挥部办公室。",
        "Sent automatically by sanshi from the {title} register, data as of {as_of}; please do not reply. "
        "Questions: contact the PMO.",
    ),
    "alert_dry_to": ("收件：{to}", "To: {to}"),
    "alert_dry_subject": ("主题：{subject}", "Subject: {subject}"),
    "alert_dry_items": ("节点：{n} 项（新增 {new} 项，升级 {risen} 项）", "Items: {n} ({new} new, {risen} risen)"),
    "alert_dry_nothing": ("截至 {as_of}，没有需要发送的预警邮件。", "As of {as_of}, no alert is due."),
    "alert_dry_total": (
        "共 {messages}待发送；{recipients}已通知过，本次无需发送。",
        "{messages} to send; {recipients} already told, nothing due for them.",
    ),
    "alert_unreachable_short": ("没有邮箱、无法送达：{names}", "No address, not alerted: {names}"),
    "alert_summary": (
        "截至 {as_of}：已发送 {sent} 封，未送达 {failed} 封；{recipients}无需发送。",
        "As of {as_of}: {sent} sent, {failed} not delivered; nothing due for {recipients}.",
    ),
    "alert_summary_posts": (
        "群消息：已发 {posted} 条，未送达 {failed} 条。",
        " Group posts: {posted} posted, {failed} not delivered.",
    ),
    "alert_rest_day": (
        "{as_of} 是休息日：按 --skip-rest-days 不发送。",
        "{as_of} is a rest day: nothing sent (--skip-rest-days).",
    ),
    "alert_eml_written": ("已写入 {path}", "wrote {path}"),
    # -- issue 7: tables --
    "col_unit_short": ("责任单位", "Unit"),
    "plan_nothing": (
        "截至 {as_of}，所选时段内没有项目节点。",
        "As of {as_of}, no project has a node in the chosen periods.",
    ),
    # -- issue 7: output --
    "slip_1": ("预计推迟 {n} 天", "slips 1 day"),
    "done_late_by_1": ("{date} 完成，晚 {n} 天", "done {date}, {n} day late"),
    "summary_items": ("{label}：{n} 项", "{label}: {n} items"),
    "summary_items_1": ("{label}：{n} 项", "{label}: {n} item"),
    "carried": ("逾期未完成", "overdue, not done"),
    "unit_separator": ("、", ", "),
    "day_range": ("{start}～{end}", "{start}–{end}"),
    # -- issue 7: first day --
    "init_written_starter": (
        "已写入 {path}：带注释的入门模板，含一个示例项目；请把示例单位、人员和项目改为实际数据。",
        "wrote {path}: a commented starter with one example project; replace the example units, "
        "people and project with yours.",
    ),
    "init_written_example": (
        "已写入 {path}：完整的示例台账（{projects}）。",
        "wrote {path}: the full sample portfolio ({projects}).",
    ),
    "init_next_starter": (
        "下一步：修改后运行 {check} 检查，再运行 {status}",
        "next: edit it, run {check}, then {status}",
    ),
    "init_next_example": ("下一步：运行 {status}", "next: run {status}"),
    # -- issue 7: alert e-mail and its words --
    "level_at_risk": ("延误风险", "at risk"),
    "alert_subject_risk": (
        "【延误风险】{name}：{counts}（截至{as_of}）",
        "[At risk] {name}: {counts} (as of {as_of})",
    ),
    "alert_intro_unit_1": (
        "截至 {as_of}，贵单位负责的 {count}逾期、有延误风险或即将到期，请抓紧推进，按时交账。",
        "As of {as_of}, {count} your unit is responsible for is overdue, at risk or due soon: "
        "please push it forward and deliver it on time.",
    ),
    "alert_intro_leader_1": (
        "截至 {as_of}，您分包的项目中有 {count}逾期或有延误风险，请督促责任单位推进。",
        "As of {as_of}, {count} of the projects you lead is overdue or at risk: please press the unit concerned.",
    ),
    "alert_intro_pmo_1": (
        "截至 {as_of}，全部重点项目中有 {count}逾期、有延误风险或即将到期。",
        "As of {as_of}, {count} across all key projects is overdue, at risk or due soon.",
    ),
    "alert_n_messages": ("{n} 封", "{n} messages"),
    "alert_n_messages_1": ("{n} 封", "1 message"),
    "alert_n_recipients": ("{n} 个收件方", "{n} recipients"),
    "alert_n_recipients_1": ("{n} 个收件方", "1 recipient"),
    "alert_n_eml_files": ("{n} 个 .eml 文件", "{n} .eml files"),
    "alert_n_eml_files_1": ("{n} 个 .eml 文件", "1 .eml file"),
    "alert_eml_summary": ("已将 {files}写入 {folder}", "wrote {files} to {folder}"),
    "alert_eml_nothing": (
        "截至 {as_of}，没有需要发送的预警邮件：{folder} 中未写入文件。",
        "As of {as_of}, no alert is due: no file written to {folder}.",
    ),
    "alert_rest_day_dry": (
        "{as_of} 是休息日：按 --skip-rest-days 本次不会发送任何邮件。",
        "{as_of} is a rest day: with --skip-rest-days nothing would be sent.",
    ),
    # -- progress ledger (issue 9)
    "progress_title": ("{title}　{year} 年进度台账　截至 {as_of}", "{title}: {year} progress ledger as of {as_of}"),
    "progress_nothing": ("没有符合条件的项目。", "No project matches."),
    "col_reported": ("形象进度", "Progress"),
    "col_planned": ("计划进度", "Planned"),
    "col_progress_gap": ("进度偏差", "Gap"),
    "col_annual_plan": ("年度计划", "Year plan"),
    "col_invest_year": ("年度完成", "Year done"),
    "col_invest_total": ("开工累计", "Since start"),
    "col_invest_rate": ("完成率", "Rate"),
    "col_invest_points": ("超/欠序时", "vs time"),
    "col_last_report": ("最近填报", "Last report"),
    "col_report_due": ("下次填报", "Next report"),
    "col_report_text": ("本期进展", "This period"),
    "col_report_next": ("下步计划", "Next steps"),
    "row_progress": ("形象进度", "Progress"),
    "row_invest": ("投资", "Investment"),
    "row_report": ("填报", "Reports"),
    "gap_behind": ("滞后 {n}", "{n} behind"),
    "gap_ahead": ("超前 {n}", "{n} ahead"),
    "gap_even": ("持平", "on plan"),
    "time_behind": ("欠 {n}", "{n} behind"),
    "time_ahead": ("超 {n}", "{n} ahead"),
    "time_even": ("持平", "on time"),
    "time_points_behind": ("欠序时进度 {n} 个百分点", "{n} points behind time"),
    "time_points_ahead": ("超序时进度 {n} 个百分点", "{n} points ahead of time"),
    "time_points_even": ("与序时进度持平", "on time"),
    "progress_points_behind": ("滞后计划 {n} 个百分点", "{n} points behind plan"),
    "progress_points_ahead": ("超前计划 {n} 个百分点", "{n} points ahead of plan"),
    "progress_points_even": ("与计划持平", "on plan"),
    "reported_vs_planned": ("{reported}（计划 {planned}）", "{reported} (planned {planned})"),
    "invest_year_of_plan": ("年度完成 {done}／计划 {plan} 万元", "{done} of {plan} (10k CNY) this year"),
    "invest_year_no_plan": ("年度完成 {done} 万元", "{done} (10k CNY) this year"),
    "invest_plan_only": ("年度计划 {plan} 万元，本年未填报投资", "plan {plan} (10k CNY), none reported this year"),
    "invest_rate_is": ("完成率 {rate}", "rate {rate}"),
    "invest_total_is": ("开工累计 {total} 万元", "{total} since start"),
    "last_report_on": ("最近 {date}", "last {date}"),
    "no_report_yet": ("尚未填报", "none yet"),
    "next_report_on": ("下次 {date}", "next {date}"),
    "reports_missed": ("逾期 {n} 次", "{n} missed"),
    "reports_missed_1": ("逾期 {n} 次", "1 missed"),
    "none_owed": ("已完成，无需填报", "finished, none owed"),
    "summary_projects": ("共 {n} 个项目：", "{n} projects:"),
    "summary_projects_1": ("共 {n} 个项目：", "1 project:"),
    "summary_progress_behind": ("形象进度滞后 {n} 个", "{n} behind plan"),
    "summary_invest_behind": ("投资欠序时 {n} 个", "{n} behind time on investment"),
    "summary_reports_missed": ("未按时填报 {n} 个", "{n} late reporting"),
    "summary_invest": ("年度完成投资 {done} 亿元／计划 {plan} 亿元", "invested this year {done} of {plan} (100M CNY)"),
    "summary_invest_none": ("本年尚无投资填报", "no investment reported this year"),
    "summary_time": ("序时进度 {time}（{basis}）", "time elapsed {time} ({basis})"),
    "basis_months": ("1–{n} 月", "months 1–{n}"),
    "basis_months_0": ("尚无完整月份", "no month completed"),
    "basis_days": ("第 {n} 天／{days} 天", "day {n} of {days}"),
    "money_unit": ("金额单位：万元", "amounts in 10k CNY (万元)"),
    # -- status, alert and plan: items that are not milestones (issue 9)
    "item_progress_lag": ("形象进度滞后", "progress behind plan"),
    "item_invest_lag": ("投资进度滞后", "investment behind plan"),
    "item_report_missing": ("未按时填报", "report overdue"),
    "lag_progress_text": (
        "计划 {planned}%，填报 {reported}%（{date}），滞后 {points} 个百分点",
        "planned {planned}%, reported {reported}% ({date}), {points} points behind",
    ),
    "lag_invest_text": (
        "投资完成率 {rate}%，欠序时进度 {points} 个百分点",
        "invested {rate}% of the year's plan, {points} points behind time",
    ),
    "report_missing_text": ("应于 {date} 填报，已逾期 {n} 次", "report due {date}, {n} missed"),
    "item_problem": ("问题", "problem"),
    "problem_item_name": ("问题：{text}", "Problem: {text}"),
    "problem_escalation_text": ("，{level} 级督办", ", level {level}"),
    "problem_late_extension_text": ("（逾时延期）", " (extended late)"),
    "problem_awaiting_text": ("{date} 已办结，待销号", "solved {date}, awaiting verification"),
    "alert_subject_lag": (
        "【进度滞后】{name}：{counts}（截至{as_of}）",
        "[Behind plan] {name}: {counts} (as of {as_of})",
    ),
    "alert_subject_missing": (
        "【未按时填报】{name}：{counts}（截至{as_of}）",
        "[Report overdue] {name}: {counts} (as of {as_of})",
    ),
    "n_items": ("{n} 项", "{n} items"),
    "n_items_1": ("{n} 项", "1 item"),
    "alert_intro_unit_mixed": (
        "截至 {as_of}，贵单位负责的事项中有 {count}需要关注（节点逾期、有延误风险或即将到期，进度滞后或未按时填报），"
        "请抓紧推进，按时交账、按时填报。",
        "As of {as_of}, {count} your unit answers for need attention (milestones overdue, at risk or due soon, "
        "progress behind plan, reports overdue): please push them forward, deliver and report on time.",
    ),
    "alert_intro_unit_mixed_1": (
        "截至 {as_of}，贵单位负责的事项中有 {count}需要关注（节点逾期、有延误风险或即将到期，进度滞后或未按时填报），"
        "请抓紧推进，按时交账、按时填报。",
        "As of {as_of}, {count} your unit answers for needs attention (a milestone overdue, at risk or due soon, "
        "progress behind plan, a report overdue): please push it forward, deliver and report on time.",
    ),
    "alert_intro_leader_mixed": (
        "截至 {as_of}，您分包的项目中有 {count}需要关注（节点逾期或有延误风险，进度滞后或未按时填报），"
        "请督促责任单位推进。",
        "As of {as_of}, {count} of the projects you lead need attention (milestones overdue or at risk, "
        "progress behind plan, reports overdue): please press the units concerned.",
    ),
    "alert_intro_leader_mixed_1": (
        "截至 {as_of}，您分包的项目中有 {count}需要关注（节点逾期或有延误风险，进度滞后或未按时填报），"
        "请督促责任单位推进。",
        "As of {as_of}, {count} of the projects you lead needs attention (a milestone overdue or at risk, "
        "progress behind plan, a report overdue): please press the unit concerned.",
    ),
    "alert_intro_pmo_mixed": (
        "截至 {as_of}，全部重点项目中有 {count}需要关注（节点逾期、有延误风险或即将到期，进度滞后或未按时填报）。",
        "As of {as_of}, {count} across all key projects need attention (milestones overdue, at risk or due soon, "
        "progress behind plan, reports overdue).",
    ),
    "alert_intro_pmo_mixed_1": (
        "截至 {as_of}，全部重点项目中有 {count}需要关注（节点逾期、有延误风险或即将到期，进度滞后或未按时填报）。",
        "As of {as_of}, {count} across all key projects needs attention (a milestone overdue, at risk or due soon, "
        "progress behind plan, a report overdue).",
    ),
    "alert_marks_note_mixed": ("标 ★ 的为新增或级别升高的事项。", " Those marked ★ are new or have risen in level."),
    "alert_dry_items_mixed": (
        "事项：{n} 项（新增 {new} 项，升级 {risen} 项）",
        "Items: {n} ({new} new, {risen} risen)",
    ),
    "plan_progress_planned": ("计划 {planned}% ·", "planned {planned}% ·"),
    "plan_progress_reported": ("填报 {reported}%", "reported {reported}%"),
    # -- problems in alerts (issue 11)
    "alert_subject_supervised": (
        "【问题督办】{name}：{counts}（截至{as_of}）",
        "[Escalated problem] {name}: {counts} (as of {as_of})",
    ),
    "alert_subject_problems": (
        "【问题清单】{name}：{counts}（截至{as_of}）",
        "[Problem list] {name}: {counts} (as of {as_of})",
    ),
    "alert_problem_due": ("解决时限", "deadline"),
    "alert_section_supervised": ("督办问题（{count}）", "Problems under top-level supervision (督办, {count})"),
    "alert_section_items": ("其他事项（{count}）", "Other items ({count})"),
    "alert_section_awaiting": (
        "待销号问题（{count}）：责任单位已报办结，请核查后销号",
        "Awaiting verification (待销号, {count}): solved, to be checked and closed off",
    ),
    "alert_intro_unit_problems": (
        "截至 {as_of}，贵单位负责的事项中有 {count}需要关注（含问题清单中即将到期或逾期未解决的问题），"
        "请抓紧推进，按时交账，按期解决问题并报办结。",
        "As of {as_of}, {count} your unit answers for need attention (problems on the problem list due soon or "
        "overdue among them): please push them forward, deliver on time, and solve each problem by its deadline.",
    ),
    "alert_intro_unit_problems_1": (
        "截至 {as_of}，贵单位负责的事项中有 {count}需要关注（含问题清单中即将到期或逾期未解决的问题），"
        "请抓紧推进，按时交账，按期解决问题并报办结。",
        "As of {as_of}, {count} your unit answers for needs attention (a problem on the problem list due soon or "
        "overdue): please push it forward and solve it by its deadline.",
    ),
    "alert_intro_leader_problems": (
        "截至 {as_of}，以下 {count}需要您关注（含逾期未解决、已升级告知您或列入督办的问题），请督促责任单位推进。",
        "As of {as_of}, {count} below need your attention (overdue problems escalated to you or under top-level "
        "supervision among them): please press the units concerned.",
    ),
    "alert_intro_leader_problems_1": (
        "截至 {as_of}，以下 {count}需要您关注（含逾期未解决、已升级告知您或列入督办的问题），请督促责任单位推进。",
        "As of {as_of}, {count} below needs your attention (an overdue problem escalated to you or under "
        "top-level supervision): please press the unit concerned.",
    ),
    "alert_intro_pmo_problems": (
        "截至 {as_of}，全部重点项目中有 {count}需要关注，其中包括问题清单中的问题。",
        "As of {as_of}, {count} across all key projects need attention, problems on the problem list among them.",
    ),
    "alert_intro_pmo_problems_1": (
        "截至 {as_of}，全部重点项目中有 {count}需要关注，其中包括问题清单中的问题。",
        "As of {as_of}, {count} across all key projects needs attention: a problem on the problem list.",
    ),
    "alert_dry_problems": (
        "其中问题：{n} 项（督办 {supervised} 项，待销号 {awaiting} 项）",
        "Problems among them: {n} ({supervised} under top-level supervision, {awaiting} awaiting verification)",
    ),
    # -- problem list: status (issue 11)
    "summary_problems": ("其中问题", "of which problems"),
    "summary_escalated": ("3 级督办", "escalated to level 3"),
    # -- problem list (issue 10/11)
    "problems_title": ("{title} 问题清单（截至 {as_of}）", "{title}: problem list as of {as_of}"),
    "problems_title_period": ("{title} 问题清单（{start} 至 {end}）", "{title}: problem list, {start} to {end}"),
    "problems_nothing": ("没有符合条件的问题。", "No problems match."),
    "col_problem_id": ("编号", "ID"),
    "col_problem": ("问题", "Problem"),
    "col_category": ("类别", "Category"),
    "col_problem_deadline": ("解决时限", "Deadline"),
    "col_problem_state": ("状态", "State"),
    "col_days_overdue": ("逾期天数", "Days overdue"),
    "col_escalation": ("督办级别", "Level"),
    "col_last_note": ("最新进展", "Last note"),
    "problem_state_overdue": ("逾期", "overdue"),
    "problem_state_due_soon": ("临期", "due soon"),
    "problem_state_open": ("未解决", "open"),
    "problem_state_awaiting_verification": ("待销号", "awaiting verification"),
    "problem_state_solved": ("已办结", "solved"),
    "problem_state_closed": ("已销号", "closed"),
    "problem_group_new": ("新增", "New"),
    "problem_group_closed": ("已销号", "Closed off"),
    "problem_group_ongoing": ("推进中", "In progress"),
    "problem_group_heading": ("{group}（{n}）", "{group} ({n})"),
    "problems_summary": ("共 {n} 个问题", "{n} problems"),
    "problems_summary_1": ("共 {n} 个问题", "1 problem"),
    "problems_summary_states": (
        "：逾期 {overdue} 个，待销号 {awaiting} 个，督办（3 级）{level3} 个",
        ": {overdue} overdue, {awaiting} awaiting verification, {level3} at level 3",
    ),
    "problem_extended_late": ("（逾时延期）", " (extended late)"),
    "problem_row_owner": ("责任", "Owner"),
    "problem_row_deadline": ("时限", "Due"),
    "problem_row_note": ("进展", "Note"),
    "problem_days": ("{n} 天", "{n} days"),
    "problem_days_1": ("{n} 天", "1 day"),
    "problem_level": ("{n} 级", "level {n}"),
    # -- bulletin (issue 12)
    "bulletin_title_monthly": ("{title} 月通报（{period}）", "{title}: monthly bulletin ({period})"),
    "bulletin_title_weekly": ("{title} 周调度（{period}）", "{title}: weekly dispatch ({period})"),
    "bulletin_as_of": ("数据截至 {day}（{start} 至 {end}）", "As of {day} ({start} to {end})"),
    "bulletin_filtered": ("（按筛选条件）", "(filtered)"),
    "bulletin_s_overview": ("总体情况", "Overview"),
    "bulletin_s_changes": ("较上期（{previous}）变化", "Changes since {previous}"),
    "bulletin_s_red_yellow": ("红黄灯清单", "Red and yellow list"),
    "bulletin_s_nodes": ("节点完成情况", "Nodes due in the period"),
    "bulletin_s_pace": ("序时进度", "Pace against plan (序时进度)"),
    "bulletin_s_problems": ("问题清单", "Problem list"),
    "bulletin_s_next": ("下步工作（{period}）", "Next steps ({period})"),
    "bulletin_none": ("（无）", "(none)"),
    "bulletin_projects": ("项目总数", "Projects"),
    "bulletin_stage_none": ("（未分阶段）", "(no stage)"),
    "bulletin_stage_completed": ("竣工达效", "Completed"),
    "bulletin_col_stage": ("阶段", "Stage"),
    "bulletin_col_count": ("项目数", "Projects"),
    "bulletin_nodes_due": ("本期到期节点", "Nodes due"),
    "bulletin_on_time": ("按期交账", "On time"),
    "bulletin_late": ("逾期交账", "Late"),
    "bulletin_open": ("未完成", "Open"),
    "bulletin_on_pace": ("按序时", "On pace"),
    "bulletin_behind": ("慢序时", "Behind"),
    "bulletin_no_report": ("未填报", "No report"),
    "bulletin_plan_yi": ("{year} 年计划投资（亿元）", "{year} plan (100M yuan)"),
    "bulletin_completed_yi": ("已完成（亿元）", "Completed (100M yuan)"),
    "bulletin_rate": ("完成率", "Rate"),
    "bulletin_time_progress": ("序时进度", "Time elapsed"),
    "bulletin_points": ("超/欠序时（百分点）", "Ahead/behind (points)"),
    "bulletin_p_new": ("新增问题", "New problems"),
    "bulletin_p_solved": ("办结", "Solved"),
    "bulletin_p_closed": ("销号", "Closed off"),
    "bulletin_p_overdue": ("逾期未解决", "Overdue"),
    "bulletin_p_escalated": ("升级督办", "Escalated"),
    "bulletin_col_change": ("变化", "Change"),
    "bulletin_col_item": ("事项", "Item"),
    "bulletin_col_note": ("说明", "Note"),
    "bulletin_ch_new_flag": ("新亮灯", "New flag"),
    "bulletin_ch_turned_red": ("黄转红", "Turned red"),
    "bulletin_ch_cleared": ("已消灯", "Cleared"),
    "bulletin_ch_delivered": ("节点交账", "Node delivered"),
    "bulletin_ch_problem_new": ("新增问题", "New problem"),
    "bulletin_ch_problem_closed": ("问题销号", "Problem closed off"),
    "bulletin_no_change": ("本期无变化", "No change this period"),
    "bulletin_new": ("新", "new"),
    "bulletin_col_new": ("新增", "New"),
    "bulletin_col_outcome": ("结果", "Outcome"),
    "bulletin_col_next": ("下一节点", "Next node"),
    "bulletin_col_next_forecast": ("预测完成", "Forecast"),
    "bulletin_col_planned": ("计划形象进度", "Planned"),
    "bulletin_col_reported": ("填报形象进度", "Reported"),
    "bulletin_col_invest_rate": ("投资完成率", "Investment rate"),
    "bulletin_col_time": ("序时进度", "Time elapsed"),
    "bulletin_col_level": ("督办级别", "Level"),
    "bulletin_closed_in_period": ("本期销号", "Closed off in the period"),
    "bulletin_open_problems": ("未销号问题", "Problems not closed off"),
    "bulletin_col_plan_text": ("下步计划", "Next plan"),
    "bulletin_digest_nodes": (
        "本期到期节点 {due} 个：按期交账 {on_time}，逾期交账 {late}，未完成 {open}",
        "{due} nodes due: {on_time} on time, {late} late, {open} open",
    ),
    "bulletin_digest_pace": (
        "按序时 {on_pace} 个，慢序时 {behind} 个，未填报 {no_report} 个",
        "{on_pace} on pace, {behind} behind, {no_report} without a report",
    ),
    "bulletin_digest_invest": (
        "年度计划投资 {plan} 亿元，已完成 {completed} 亿元，完成率 {rate}，序时进度 {time}，{points}",
        "annual plan {plan} (100M yuan), {completed} completed, rate {rate}, time elapsed {time}, {points}",
    ),
    "bulletin_digest_problems": (
        "问题：新增 {new}，办结 {solved}，销号 {closed}，逾期 {overdue}，升级督办 {escalated}",
        "problems: {new} new, {solved} solved, {closed} closed off, {overdue} overdue, {escalated} escalated",
    ),
    "bulletin_digest_stages": ("项目 {n} 个：{stages}", "{n} projects: {stages}"),
    "bulletin_digest_changes": (
        "较上期：新亮灯 {new}，黄转红 {red}，消灯 {cleared}，节点交账 {delivered}，"
        "新增问题 {problems_new}，问题销号 {problems_closed}",
        "since last period: {new} new flags, {red} turned red, {cleared} cleared, {delivered} nodes delivered, "
        "{problems_new} new problems, {problems_closed} closed off",
    ),
    "bulletin_points_ahead": ("超序时 {points} 个百分点", "{points} points ahead"),
    "bulletin_points_behind": ("慢序时 {points} 个百分点", "{points} points behind"),
    "bulletin_points_even": ("与序时持平", "level with time elapsed"),
    # -- the bulletin by e-mail (issue 12)
    "bulletin_subject_monthly": ("【月通报】{title} {period}", "[Monthly bulletin] {title} {period}"),
    "bulletin_subject_weekly": ("【周调度】{title} {period}", "[Weekly dispatch] {title} {period}"),
    "bulletin_file_monthly": ("月通报-{period}", "bulletin-{period}"),
    "bulletin_pmo_name": ("指挥部办公室", "PMO"),
    "bulletin_dry_post": (
        "将发到群聊 {channel}（{platform}）：{parts} 条消息，{size} 字节",
        "Would post to {channel} ({platform}): {parts} message(s), {size} bytes",
    ),
    "bulletin_posted_to": ("已发到群聊：{channel}", "posted: {channel}"),
    "bulletin_posted_summary": (
        "{period} 的通报摘要：已发到 {n} 个群聊，未送达 {failed} 个",
        "digest of {period}: posted to {n} group chat(s), {failed} not delivered",
    ),
    "bulletin_file_weekly": ("周调度-{period}", "dispatch-{period}"),
    "bulletin_dry_subject": ("将发送：{subject}", "Would send: {subject}"),
    "bulletin_dry_to": ("收件人：{to}", "to: {to}"),
    "bulletin_dry_total": ("共 {n} 封邮件，附件 {files}", "{n} message(s), attached: {files}"),
    "bulletin_dry_nothing": (
        "{period} 的通报已发给所有收件人，无需再发（--force 可重发）",
        "everyone already has the bulletin of {period}: nothing to send (--force sends it again)",
    ),
    "bulletin_dry_sent": ("已发过（--force 可重发）：{names}", "already sent (--force sends again): {names}"),
    "bulletin_unreachable": ("无邮箱，未发送：{names}", "no e-mail address, not sent: {names}"),
    "bulletin_sent_to": ("已发送：{to}", "sent: {to}"),
    "bulletin_sent_summary": (
        "{period} 的通报：已发送 {n} 封，未送达 {failed} 封",
        "bulletin of {period}: {n} message(s) sent, {failed} not delivered",
    ),
    # -- bulletin (issue 12): section 7, the charts, the workbook
    "bulletin_s_ranking": ("单位排名（比学赶超）", "Unit ranking (比学赶超)"),
    "bulletin_col_rank": ("排名", "Rank"),
    "bulletin_col_score": ("得分", "Score"),
    "bulletin_col_list": ("红黑榜", "List"),
    "bulletin_m_nodes": ("节点按期完成率", "Nodes on time"),
    "bulletin_m_invest": ("投资完成率（对序时）", "Investment vs time"),
    "bulletin_m_problems": ("问题按时办结率", "Problems solved in time"),
    "bulletin_m_reports": ("报送及时率", "Reports on time"),
    "bulletin_m_inspection": ("观摩评价", "Inspection"),
    "bulletin_red_list": ("红榜", "Red list"),
    "bulletin_black_list": ("黑榜", "Black list"),
    "bulletin_unranked": ("不排名", "unranked"),
    "bulletin_list_none": ("无", "none"),
    "bulletin_rank_footnote": (
        "注：{start} 至 {end} 累计。得分为单位有数据的指标按权重（{weights}）加权平均，无数据的指标不计，"
        "权重按单位重新归一；计分事项（节点、问题、报送周期）少于 {min_items} 项的单位不排名。"
        "红榜为前 {red} 名中得分不低于 {target} 的单位，黑榜为末 {black} 名中得分低于 {target} 的单位，并列同入。",
        "Note: {start} to {end}. The score is the weighted mean ({weights}) of the metrics a unit has data for; "
        "a metric without data is left out and the weights are renormalised per unit. A unit with fewer than "
        "{min_items} scored items (nodes, problems, report windows) is not ranked. The red list is the top {red} "
        "places scoring at least {target}, the black list the bottom {black} places below {target}; ties join.",
    ),
    "bulletin_digest_red": ("红榜：{units}", "Red list: {units}"),
    "bulletin_digest_black": ("黑榜：{units}", "Black list: {units}"),
    "bulletin_s_gantt": ("项目进度甘特图", "Gantt chart"),
    "bulletin_gantt_note": (
        "每行一个项目（开工至完工），菱形为节点，竖线为数据截止日，虚线为预测顺延。",
        "One row per project (start to finish); diamonds are nodes, the vertical line the as-of day, "
        "dashes the forecast slip.",
    ),
    "bulletin_state_done": ("按期完成", "Done"),
    "bulletin_state_done-late": ("逾期完成", "Done late"),
    "bulletin_state_overdue": ("逾期未完成", "Overdue"),
    "bulletin_state_at-risk": ("延误风险", "At risk"),
    "bulletin_state_upcoming": ("未到期", "Upcoming"),
    "bulletin_slip": ("预测顺延", "Forecast slip"),
    "bulletin_s_bars": ("形象进度与投资进度", "Progress and investment"),
    "bulletin_bar_progress": ("形象进度（计划/填报）", "Progress (planned/reported)"),
    "bulletin_bar_invest": ("投资完成率/序时进度", "Investment rate/time elapsed"),
    "bulletin_bar_planned": ("计划", "planned"),
    "bulletin_bar_reported": ("填报", "reported"),
    "bulletin_bar_rate": ("完成", "rate"),
    "bulletin_bar_time": ("序时", "time"),
    "bulletin_col_pace": ("序时情况", "Pace"),
    "bulletin_col_metric": ("指标", "Figure"),
    "bulletin_col_value": ("数值", "Value"),
    "bulletin_col_unit_of": ("单位", "Unit"),
    "bulletin_u_projects": ("个", "projects"),
    "bulletin_u_nodes": ("个", "nodes"),
    "bulletin_u_problems": ("个", "problems"),
    "bulletin_u_wan": ("万元", "10k yuan"),
    "bulletin_u_percent": ("%", "%"),
    "bulletin_u_points": ("百分点", "points"),
    "bulletin_sheet_pace": ("序时进度", "Pace"),
    "bulletin_generated": ("由 sanshi 生成", "Made by sanshi"),
    # -- import and xlsx tables (issue 13)
    "xlsx_sheet_status": ("预警状态", "Status"),
    "xlsx_sheet_plan": ("节点清单", "Plan"),
    "xlsx_sheet_progress": ("进度台账", "Progress"),
    "xlsx_sheet_problems": ("问题清单", "Problems"),
    "import_head_projects": (
        "工作表“{sheet}”：表头在第 {row} 行，每行一个项目；各列对应：",
        "sheet '{sheet}': header in row {row}, one project per row; columns mapped:",
    ),
    "import_head_nodes": (
        "工作表“{sheet}”：表头在第 {row} 行，每行一个节点（按项目名称归并）；各列对应：",
        "sheet '{sheet}': header in row {row}, one milestone per row (grouped by project name); columns mapped:",
    ),
    "import_year": ("{year} 年", "year {year}"),
    "import_unmapped_columns": ("未对应的列（未导入）：{columns}", "columns not mapped (not imported): {columns}"),
    "import_ignored_rows": ("未读取的行：{rows}", "rows not read: {rows}"),
    "import_ignored_blank": ("第 {row} 行（空行）", "row {row} (blank)"),
    "import_ignored_totals": ("第 {row} 行（合计行“{text}”）", "row {row} (totals row '{text}')"),
    "import_ignored_section": ("第 {row} 行（分类标题“{text}”）", "row {row} (section heading '{text}')"),
    "import_default_line": ("已补全：{what}（{projects}）", "default applied: {what} ({projects})"),
    "import_default_lead_is_responsible": ("牵头单位 = 责任单位", "lead unit (牵头单位) = responsible unit"),
    "import_default_responsible_is_lead": ("责任单位 = 牵头单位", "responsible unit (责任单位) = lead unit"),
    "import_default_unit_placeholder": (
        "责任单位未填：暂记为“（待定）责任单位”",
        "no responsible unit: the placeholder unit for now",
    ),
    "import_default_leader_placeholder": (
        "分包领导未填：暂记为“（待定）分包领导”",
        "no lead official: the placeholder person for now",
    ),
    "import_default_start_first_node": ("计划开工 = 最早的节点时间", "start = the earliest node's date"),
    "import_default_finish_last_node": ("计划竣工 = 最晚的节点时间", "finish = the latest node's date"),
    "import_unit_placeholder": ("（待定）责任单位", "(to be named) responsible unit"),
    "import_person_placeholder": ("（待定）分包领导", "(to be named) lead official"),
    "import_found": (
        "读取 {projects}、{units} 个单位、{people} 名人员",
        "read {projects}, {units} units, {people} people",
    ),
    "import_written": ("已写入 {path}：{projects}", "wrote {path}: {projects}"),
    "import_next": (
        "下一步：核对单位和人员的名称与 id，然后运行 sanshi check -f {path}",
        "next: check the units' and people's names and ids, then run sanshi check -f {path}",
    ),
    "import_file_head": (
        "由 sanshi import 从 {source}（工作表“{sheet}”）生成的项目文件",
        "project file made by sanshi import from {source} (sheet '{sheet}')",
    ),
    "import_file_check": (
        "请核对后使用：单位、人员的 id 可改为简短的拼音或英文（引用处一并修改），然后运行 sanshi check",
        "check it before use: ids may become short names (change them where used too); then run sanshi check",
    ),
    "import_file_defaults": ("导入时自动补全的内容（请核对）：", "defaults applied on import (check them):"),
    "import_file_times": ("（{n} 个项目）", " ({n} projects)"),
    "import_file_units": (
        "单位：由台账中的名称生成，按首次出现的顺序编号",
        "units: made from the names in the ledger, numbered in order of first appearance",
    ),
    "import_file_people": (
        "人员（分包领导）：由台账中的名称生成",
        "people (lead officials): made from the names in the ledger",
    ),
    "import_file_rows": ("台账“{sheet}”第 {rows} 行", "ledger sheet '{sheet}', row {rows}"),
    # -- sheets and collect (issue 13)
    "sheet_state_overdue": ("逾期 {days} 天", "{days} days overdue"),
    "sheet_state_due": ("本期到期", "due this period"),
    "sheet_state_open": ("未解决", "open"),
    "sheet_state_last_report": ("上次填报 {date}", "last report {date}"),
    "sheet_state_no_report": ("尚未填报", "no report yet"),
    "sheet_item_milestone": ("节点：{name}", "Milestone: {name}"),
    "sheet_item_problem": ("问题：{name}", "Problem: {name}"),
    "sheet_item_report": ("本期填报（形象进度、投资、进展）", "This period's report (progress, investment, words)"),
    "sheet_heading_weekly": (
        "{unit} {period} 周报（{first} 至 {last}，报送截止 {deadline}）：只填黄色单元格",
        "{unit} {period} weekly sheet ({first} to {last}, due {deadline}): fill in the yellow cells only",
    ),
    "sheet_heading_monthly": (
        "{unit} {period} 月报（{first} 至 {last}，报送截止 {deadline}）：只填黄色单元格",
        "{unit} {period} monthly sheet ({first} to {last}, due {deadline}): fill in the yellow cells only",
    ),
    "sheet_note_done": (
        "节点行：实际完成（交账）日期；问题行：办结日期。例如 2026-12-04",
        "Milestone row: the day it was delivered; problem row: the day it was solved. E.g. 2026-12-04",
    ),
    "sheet_note_progress": ("项目累计形象进度，0–100，例如 35", "The project's cumulative progress, 0-100, e.g. 35"),
    "sheet_note_invest": (
        "本期（自上次填报以来）完成投资，万元",
        "Investment completed since the last report, in 万元",
    ),
    "sheet_note_text": (
        "填报行：本期进展；问题行：问题的最新进展（记为跟踪记录）",
        "Report row: progress made; problem row: news of the problem (kept as a note)",
    ),
    "sheet_note_next": ("下步计划", "What comes next"),
    "sheet_note_problem": (
        "新发现的问题（一句话），将列入问题清单，由指挥部核定解决时限",
        "A new problem (one sentence): it joins the problem list; the PMO sets its deadline",
    ),
    "sheet_help_1": (
        "本表由 sanshi 生成。只填写“填报”表中的黄色单元格，灰色和白色单元格为只读。",
        "Written by sanshi. Fill in the yellow cells of the sheet 填报 only; grey and white cells are read-only.",
    ),
    "sheet_help_2": (
        "节点行填实际完成日期；问题行填办结日期和最新进展；每个项目的“本期填报”行填形象进度、完成投资、进展、下步计划和新问题。",
        "Milestone rows: the day delivered; problem rows: the day solved and news; each project's report row: "
        "progress, investment, words, next steps and any new problem.",
    ),
    "sheet_help_3": (
        "可以排序、筛选、加列；请勿删除隐藏列和隐藏的 sanshi 表，它们用于把每一行对回项目台账。",
        "You may sort, filter and add columns; do not delete the hidden columns nor the hidden sheet sanshi: "
        "they match each row back to the ledger.",
    ),
    "sheet_help_4": (
        "请于 {deadline} 前保存为 .xlsx（不要另存为 .xls 或 .et，不要加密）发回指挥部办公室。",
        "Send it back by {deadline}, saved as .xlsx (not .xls or .et, without a password).",
    ),
    "sheet_check_title": ("请检查", "Please check"),
    "sheet_check_date": ("请填写日期，例如 2026-12-04", "Enter a date, e.g. 2026-12-04"),
    "sheet_check_percent": ("请填写 0 到 100 之间的数字", "Enter a number from 0 to 100"),
    "sheet_check_amount": ("请填写不小于 0 的金额（万元）", "Enter an amount of at least 0 (万元)"),
    "collect_tag_change": ("修改", "change"),
    "collect_tag_unchanged": ("无变化", "unchanged"),
    "collect_tag_empty": ("未填写", "empty"),
    "collect_tag_check": ("需核对", "check"),
    "collect_tag_invalid": ("无效", "invalid"),
    # -- chat robots (issue 14)
    "platform_wecom": ("企业微信", "WeCom"),
    "platform_dingtalk": ("钉钉", "DingTalk"),
    "platform_feishu": ("飞书", "Feishu"),
    "alert_dry_post": ("群聊：{channel}（{platform}）", "chat: {channel} ({platform})"),
    "alert_dry_post_sections": ("分节：{names}", "sections: {names}"),
    "alert_dry_post_parts": ("{parts} 条消息，共 {size} 字节", "{parts} messages, {size} bytes"),
    "alert_dry_post_parts_1": ("1 条消息，{size} 字节", "1 message, {size} bytes"),
    "alert_dry_post_mentions": ("提醒（@）：{names}", "mentions (@): {names}"),
    "alert_dry_posts_total": ("共 {posts}待发到群聊。", "{posts} to send to group chats."),
    "alert_n_posts": ("{n} 条群消息", "{n} posts"),
    "alert_n_posts_1": ("1 条群消息", "1 post"),
    "chat_title": ("{title}预警", "{title} alerts"),
    "chat_header": ("{name}：{counts}（截至 {as_of}）", "{name}: {counts} (as of {as_of})"),
    "chat_part": ("（{n}/{total}）", " ({n}/{total})"),
    "chat_mention": ("请关注：", "For your attention: "),
    "chat_marks_note": ("★ 为新增或升级事项", "★ new or risen"),
}


# Kinds of thing an id can refer to, for "unknown …" and "duplicate …" messages.
KINDS: dict[str, tuple[str, str]] = {
    "unit": ("单位", "unit"),
    "person": ("人员", "person"),
    "project": ("项目", "project"),
    "milestone": ("节点", "milestone"),
    "problem": ("问题", "problem"),
}

MESSAGES: dict[str, tuple[str, str]] = {
    # finding and reading the file
    "file_not_found": (
        "找不到项目文件（已查找：{looked}）：请运行 sanshi init 新建一个，"
        "或用 --file 指定文件、设置环境变量 SANSHI_FILE",
        "no project file found (looked for {looked}): create one with sanshi init, or point at one "
        "with --file PATH or the SANSHI_FILE environment variable",
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
        "文件是空的：请至少写入一个 [[projects]]，或删除此文件后运行 sanshi init 生成带注释的模板",
        "the file is empty: add at least one [[projects]] table, or delete the file and run sanshi init "
        "for a commented starter",
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
        "TOML 语法错误：{detail}{source}：请对照 README 中的文件格式改正",
        "TOML syntax error: {detail}{source}: fix it against the file format in the README",
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
    "want_annual": (
        "应为数字（万元），或按年份的表，如 {{ 2026 = 20000, 2027 = 35000 }}",
        "expected a number (10k CNY) or a table by year, such as {{ 2026 = 20000, 2027 = 35000 }}",
    ),
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
    "date_out_of_range": (
        "日期 {date} 不在 {first} 至 {last} 之间：请检查年份",
        "date {date} is not between {first} and {last}: check the year",
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
        "无效的间隔 “{value}”：应为整数加单位，如 10wd（工作日）、15d（日历日）、2w（周）、3m（月），"
        "负数表示倒排，最长约 10 年",
        "bad offset '{value}': use a whole number and a unit, such as 10wd (working days), "
        "15d (calendar days), 2w (weeks), 3m (months); negative counts backwards; at most about 10 years",
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
    "report_empty": (
        "{date} 的进度填报没有内容：至少写 progress（形象进度 %）、invest（本期完成投资，万元）或 text（本期进展）之一",
        "the report of {date} says nothing: give at least one of progress (%), invest (10k CNY) or text",
    ),
    "reports_out_of_order": (
        "进度填报应按日期先后排列：{date} 写在了 {previous} 之后",
        "reports must be in date order: {date} comes after {previous}",
    ),
    "report_same_day": (
        "{date} 已有一次进度填报：同一天只填一次，请合并为一条",
        "there is already a report on {date}: one report a day, merge them",
    ),
    "report_progress_decreasing": (
        "形象进度 progress = {value} 低于 {date} 填报的 {other_value}：形象进度是累计值，不会减少",
        "progress = {value} is below {other_value} reported on {date}: progress is cumulative and never falls",
    ),
    "report_outside_span": (
        "填报日期 {date} 不在项目工期 {start} 至 {finish} 内：请确认",
        "report date {date} is outside the project's span {start} to {finish}: check it",
    ),
    "report_in_future": (
        "填报日期 on = {date} 晚于今天 {today}：请确认",
        "report date on = {date} is after today {today}: check it",
    ),
    "lag_red_below_yellow": (
        "红灯阈值 lag_red_points = {red} 小于黄灯阈值 lag_yellow_points = {yellow}：红灯应不小于黄灯",
        "lag_red_points = {red} is below lag_yellow_points = {yellow}: red must be at least yellow",
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
    "want_port": ("应为 1 到 65535 之间的端口号", "expected a port number from 1 to 65535"),
    "want_sender": (
        '应为 "名称 <地址>" 或单个地址，如 高新区指挥部办公室 <sanshi@example.gov.cn>',
        'expected "Name <address>" or an address, such as PMO <sanshi@example.gov.cn>',
    ),
    "bad_env": (
        "环境变量 {name} 的值 “{value}” 无效：{detail}",
        "environment variable {name}: invalid value '{value}': {detail}",
    ),
    "bad_from": (
        '发件人 from = “{value}” 无效：应为 "名称 <地址>" 或单个地址，如 "高新区指挥部办公室 <sanshi@example.gov.cn>"',
        'invalid sender from = \'{value}\': use "Name <address>" or an address, such as "PMO <sanshi@example.gov.cn>"',
    ),
    "bad_smtp_host": (
        "邮件服务器 host = “{value}” 无效：只写主机名，如 smtp.qq.com；端口写在 port，加密方式写在 security",
        "invalid host = '{value}': write the host name alone, such as smtp.qq.com; the port goes in 'port', "
        "the encryption in 'security'",
    ),
    "smtp_port_mismatch": (
        '端口 {port} 通常配 security = "{expected}"，这里是 "{security}"：请确认'
        "（QQ、163、腾讯企业邮、阿里企业邮均为 465 + ssl）",
        'port {port} usually goes with security = "{expected}", not "{security}": check it '
        "(QQ, 163, Tencent Exmail and Aliyun mail all use 465 with ssl)",
    ),
    "password_file_unreadable": (
        "无法读取密码文件 {path}（{reason}）：请检查 [smtp] 中的 password_file 和文件权限",
        "cannot read the password file {path} ({reason}): check password_file in [smtp] and the file's permissions",
    ),
    "state_unreadable": (
        "预警状态文件无法读取（{detail}）：请修复，或删除后重新运行（删除后，当前所有预警会重新发送一次）",
        "the alert state file cannot be read ({detail}): repair it, or delete it and run again "
        "(every open alert is then sent once more)",
    ),
    "alert_locked": (
        "另一个 sanshi alert 正在运行（锁文件 {lock}）：本次未发送任何邮件，请稍后再试",
        "another sanshi alert is running (lock file {lock}): this run sent nothing; try again later",
    ),
    "smtp_no_host": (
        "有 {messages}要发送，但没有配置邮件服务器：请在 [smtp] 中写 host，或设置环境变量 SANSHI_SMTP_HOST"
        "（可先用 --dry-run 查看要发送的内容）",
        "{messages} to send, but no mail server is configured: set host in [smtp] or the "
        "SANSHI_SMTP_HOST environment variable (--dry-run shows what would be sent)",
    ),
    "smtp_no_from": (
        "没有发件人地址：请在 [smtp] 中写 from（通常与登录账号相同），或设置环境变量 SANSHI_MAIL_FROM",
        "no sender address: set from in [smtp] (usually the same as the login) or the SANSHI_MAIL_FROM "
        "environment variable",
    ),
    "smtp_plaintext_login": (
        'security = "none" 时不以明文发送密码：请改用 ssl 或 starttls；确需在内网明文登录时，加 --insecure',
        'with security = "none" the password would travel unencrypted: use ssl or starttls, '
        "or add --insecure for a relay inside your own network",
    ),
    "smtp_login_refused": (
        "邮件服务器 {server} 拒绝登录（{reply}）：请检查 username，以及 SANSHI_SMTP_PASSWORD 或 password_file "
        "中的授权码（不是邮箱的登录密码）",
        "the mail server {server} refused the login ({reply}): check username and the authorization code "
        "in SANSHI_SMTP_PASSWORD or password_file (not the mailbox's web password)",
    ),
    "smtp_no_auth": (
        "邮件服务器 {server} 不提供可用的登录方式（AUTH）：请检查 security 和 port，或不设置密码",
        "the mail server {server} offers no usable login (AUTH): check security and port, or set no password",
    ),
    "smtp_no_starttls": (
        "邮件服务器 {server} 不支持 STARTTLS：请检查 security 和 port（465 端口应为 ssl）",
        "the mail server {server} does not offer STARTTLS: check security and port (port 465 means ssl)",
    ),
    "smtp_certificate": (
        "邮件服务器 {server} 的证书校验失败（{detail}）：请确认 host 与证书一致；使用内部 CA 时，"
        "用环境变量 SSL_CERT_FILE 指定 CA 证书文件",
        "the certificate of the mail server {server} failed verification ({detail}): check that host matches "
        "the certificate; for an internal CA, name its certificate file in the SSL_CERT_FILE environment variable",
    ),
    "smtp_tls_failed": (
        "与邮件服务器 {server} 建立加密连接失败（{detail}）：请检查 security 和 port",
        "TLS with the mail server {server} failed ({detail}): check security and port",
    ),
    "smtp_timeout": (
        "邮件服务器 {server} 在 {seconds} 秒内没有响应",
        "the mail server {server} did not answer within {seconds} s",
    ),
    "smtp_connect_failed": (
        "无法连接邮件服务器 {server}（{detail}）",
        "cannot connect to the mail server {server} ({detail})",
    ),
    "smtp_refused": ("邮件服务器拒收（{reply}）", "the mail server refused it ({reply})"),
    "smtp_recipients_refused": (
        "邮件服务器拒收收件人 {addresses}（{reply}）",
        "the mail server refused {addresses} ({reply})",
    ),
    "alert_not_delivered": (
        "未送达 {recipient}：{reason}；邮件已保存为 {path}，下次运行会重试",
        "not delivered to {recipient}: {reason}; saved as {path}, the next run retries",
    ),
    "alert_not_delivered_all": (
        "{messages}未发送，已保存在 {outbox}；改正配置后，下次运行会重试",
        "{messages} not sent, saved in {outbox}; once the configuration is fixed the next run retries",
    ),
    "alert_cannot_build": (
        "无法生成发给 {recipient} 的邮件（{detail}）：请检查其 email 地址",
        "cannot build the message to {recipient} ({detail}): check its email addresses",
    ),
    "only_unit_unreachable": (
        "--only-unit {unit}：该单位没有登记电子邮箱：请在 [[units]] 中为它填写 email",
        "--only-unit {unit}: this unit has no e-mail address: add email to its [[units]] entry",
    ),
    # -- issue 7: tables --
    "duplicate_short": (
        "{kind}简称 “{short}” 重复（第一次在第 {first} 行）：每个简称必须唯一",
        "duplicate {kind} short name '{short}' (first on line {first}): every short name must be unique",
    ),
    "bad_short": (
        "简称 “{short}” 含有 “{char}”：简称中不能有 / \\ :，请换一个",
        "short name '{short}' contains '{char}': a short name cannot contain / \\ or :, choose another",
    ),
    # -- issue 7: output --
    "bad_format": (
        "--format “{value}” 无效：sanshi {command} 可输出的格式为 {formats}",
        "--format '{value}' is not a format sanshi {command} writes: use one of {formats}",
    ),
    "binary_needs_output": (
        "sanshi {command} --format {format} 输出的是二进制文件，不能写到终端：请用 -o 指定文件，例如 -o 结果.{format}",
        "sanshi {command} --format {format} writes a binary file, not text for a terminal: "
        "name one with -o, e.g. -o out.{format}",
    ),
    "output_format_unsupported": (
        "-o {path}：sanshi {command} 不能写 {ext} 文件：可输出的格式为 {formats}（其他扩展名输出文本表格）",
        "-o {path}: sanshi {command} cannot write a {ext} file: it writes {formats} "
        "(any other extension gets the text table)",
    ),
    "format_contradicts_output": (
        "--format {format} 与 -o {path} 的扩展名 {ext}（{implied}）矛盾：请去掉 --format，或把文件名改为 {want}",
        "--format {format} contradicts the extension of -o {path} ({ext} means {implied}): "
        "drop --format, or name the file {want}",
    ),
    "output_is_input": (
        "-o {path} 是本命令读取的文件 {input}，不会覆盖它：请另选输出文件名",
        "-o {path} is {input}, a file this command reads, and is never overwritten: choose another output file",
    ),
    "weekly_and_monthly": (
        "--weekly 与 --monthly 只能选一个：按周用 --weekly，按月用 --monthly（默认）",
        "--weekly and --monthly exclude each other: use --weekly for weeks or --monthly (the default) for months",
    ),
    "all_with_periods": (
        "--all 显示每个项目的全部工期，不能与 --periods/-n 同用：请去掉其中之一",
        "--all shows each project's whole span and cannot go with --periods/-n: drop one of them",
    ),
    "bad_periods": (
        "--periods/-n 的值 {value} 无效：应为不小于 1 的整数（默认 4 周或 3 个月）",
        "--periods/-n {value} is not valid: use a whole number of at least 1 (default: 4 weeks or 3 months)",
    ),
    # -- issue 7: errors --
    "date_form": (
        "日期请写成 {fixed}（年-月-日，月、日各两位，不加引号），不能写成 {text}",
        "write the date as {fixed} (year-month-day, two digits for month and day, no quotes), not {text}",
    ),
    "date_note": (
        '日期后面不能跟说明 “{note}”：请只写 {date}，说明写在行尾的 # 后面，或写进 note = "…"',
        "a date cannot be followed by a note ('{note}'): write {date} alone and put the note after a # "
        'or in note = "…"',
    ),
    "month_form": (
        '月份请写成 "{fixed}"（加引号），不能写成 {text}',
        'write the month as "{fixed}" (in quotes), not {text}',
    ),
    "full_width": (
        "第 {column} 列是{name} {char}：请改为半角 {half}（切换到英文输入法再输入）",
        "column {column} holds a {name} {char}: type the half-width {half} (switch the input method to English)",
    ),
    "fw_equals": ("全角等号", "full-width equals sign"),
    "fw_colon": ("全角冒号", "full-width colon"),
    "fw_left_double_quote": ("中文左引号", "Chinese opening quote"),
    "fw_right_double_quote": ("中文右引号", "Chinese closing quote"),
    "fw_left_single_quote": ("中文左单引号", "Chinese opening single quote"),
    "fw_right_single_quote": ("中文右单引号", "Chinese closing single quote"),
    "fw_comma": ("中文逗号", "full-width comma"),
    "fw_enumeration_comma": ("顿号", "Chinese enumeration comma"),
    "fw_left_bracket": ("全角左方括号", "full-width opening bracket"),
    "fw_right_bracket": ("全角右方括号", "full-width closing bracket"),
    "fw_left_brace": ("全角左花括号", "full-width opening brace"),
    "fw_right_brace": ("全角右花括号", "full-width closing brace"),
    "fw_space": ("全角空格", "full-width space"),
    "half_space": ("空格", "space"),
    "wrong_table": (
        "表头 {written} 有误：是否应为 {suggestion}？{where}",
        "the table header {written} is unknown: did you mean {suggestion}?{where}",
    ),
    "wrong_table_nested": (
        "要写在所属项目的 [[projects]] 之后",
        " (it follows the [[projects]] table it belongs to)",
    ),
    "table_before_parent": (
        "{written} 写在了第一个 {parent} 之前：请把它移到所属的 {parent} 之后",
        "{written} comes before any {parent}: move it after the {parent} it belongs to",
    ),
    "name_not_id": (
        "“{value}” 是{kind}的名称：这里请写它的 id “{id}”（见 {table}）",
        "'{value}' is the name of a {kind}: write its id '{id}' here (see {table})",
    ),
    "emails_in_one_string": (
        "一个字符串里写了多个邮箱地址：请写成列表 {key} = {fixed}",
        "several addresses in one string: write a list, {key} = {fixed}",
    ),
    "want_gt": ("应大于 {limit}", "must be more than {limit}"),
    "want_lt": ("应小于 {limit}", "must be less than {limit}"),
    "want_valid": ("请对照 README 中的文件格式改正", "check it against the file format in the README"),
    "bad_option_value": ("{option} 的值 “{value}” 无效：{detail}", "{option} '{value}' is not valid: {detail}"),
    "unknown_option": (
        "{command} 没有选项 {option}{hint}：运行 {command} --help 查看全部选项",
        "{command} has no option {option}{hint}: see {command} --help",
    ),
    "option_needs_value": (
        "选项 {option} 缺少值：运行 {command} --help 查看用法",
        "option {option} needs a value: see {command} --help",
    ),
    "unknown_command": (
        "没有命令 “{value}”{hint}：可用的命令有 {choices}",
        "no command '{value}'{hint}: the commands are {choices}",
    ),
    "extra_argument": (
        "{command} 不接受参数 “{value}”{hint}：运行 {command} --help 查看用法",
        "{command} takes no argument '{value}'{hint}: see {command} --help",
    ),
    "use_as_of": ("（日期请写成 --as-of {value}）", " (for a date, write --as-of {value})"),
    "usage_other": ("命令行有误（{detail}）：运行 {command} --help 查看用法", "{detail}: see {command} --help"),
    "internal_error": (
        "sanshi 内部出错（这是程序缺陷，不是您的输入有误）：详细信息已写入 {log}，请把该文件发给维护人员",
        "sanshi hit an internal error (a bug, not a mistake in your input): the details are in {log}; "
        "please send that file to the maintainers",
    ),
    "internal_error_no_log": (
        "sanshi 内部出错（这是程序缺陷，不是您的输入有误）：详细信息见上方，请发给维护人员",
        "sanshi hit an internal error (a bug, not a mistake in your input): the details are above; "
        "please send them to the maintainers",
    ),
    # -- issue 7: first day --
    "init_exists": (
        "文件已存在，未做改动：请换一个文件名，或先把它移走",
        "the file exists and was left untouched: name another file, or move it away first",
    ),
    "init_no_folder": (
        "文件夹不存在：请先创建它，或换一个路径",
        "no such folder: create it first, or choose another path",
    ),
    "init_unwritable": (
        "无法写入（{reason}）：请检查文件夹的权限，或换一个路径",
        "cannot write the file ({reason}): check the folder's permissions, or choose another path",
    ),
    # -- issue 7: alert e-mail and its words --
    "alert_n_messages": ("{n} 封预警邮件", "{n} alert messages"),
    "alert_n_messages_1": ("{n} 封预警邮件", "1 alert message"),
    # -- issue 8: files --
    "what_directory": ("目录", "a directory"),
    "what_fifo": ("命名管道（FIFO）", "a named pipe (FIFO)"),
    "what_device": ("设备文件", "a device"),
    "what_socket": ("套接字", "a socket"),
    "what_loop": ("绕成循环的符号链接", "a symbolic link loop"),
    "what_other": ("特殊文件", "a special file"),
    "file_not_regular": (
        "这是{what}，不是普通文件：sanshi 只读取普通文件（或指向普通文件的符号链接），请指定 .toml 文件本身",
        "this is {what}, not a regular file: sanshi reads only regular files (or links to one); "
        "name the .toml file itself",
    ),
    "file_link_loop": (
        "符号链接绕成了循环，到不了任何文件：请修正链接，或直接指定文件",
        "the symbolic link leads round in a loop to no file: fix the link, or name the file itself",
    ),
    "file_too_big": (
        "文件大于 {limit}，不可能是项目文件：请检查是否指错了文件",
        "the file is larger than {limit}, too big for a project file: check that this is the right file",
    ),
    "file_wide_encoding": (
        "文件是 {encoding} 编码（开头的字节顺序标记表明），不是 UTF-8：请用“另存为 → 编码：UTF-8”重新保存，"
        "或运行 iconv -f {family} -t UTF-8 原文件 > 新文件",
        "the file is {encoding} (its byte-order mark says so), not UTF-8: re-save it with "
        "Save As → Encoding: UTF-8, or run: iconv -f {family} -t UTF-8 OLD > NEW",
    ),
    "too_deep": (
        "括号嵌套超过 {limit} 层，无法读取：请检查 [ 和 {{ 是否成对",
        "brackets nest more than {limit} levels deep, which sanshi cannot read: check that [ and {{ are paired",
    ),
    "want_finite": ("应为有限的数字（inf 和 nan 不是数字）", "expected a finite number (inf and nan are not numbers)"),
    "date_option_out_of_range": (
        "{option} {value} 不在 {first} 至 {last} 之间：请检查年份",
        "{option} {value} is not between {first} and {last}: check the year",
    ),
    "state_not_a_file": (
        "预警状态文件 {path} 是{what}，不是普通文件：请移走它，或用 --state 指定一个文件",
        "the alert state file {path} is {what}, not a regular file: move it away, or name a file with --state",
    ),
    "not_a_file_target": (
        "{path} 是{what}，不是普通文件，不会覆盖它：请换一个路径",
        "{path} is {what}, not a regular file, and is not replaced: choose another path",
    ),
    "is_what": ("是{what}，不是普通文件", "it is {what}, not a regular file"),
    "larger_than": ("大于 {limit}", "larger than {limit}"),
    "encoded_as": ("是 {encoding} 编码，不是 UTF-8", "it is {encoding}, not UTF-8"),
    "nested_deep_at": (
        "第 {line} 行括号嵌套超过 {limit} 层",
        "brackets nest more than {limit} levels deep on line {line}",
    ),
    "nested_deep": ("括号嵌套超过 {limit} 层", "brackets nest more than {limit} levels deep"),
    # -- issue 8: alerts --
    "want_host": (
        "应只写主机名，如 smtp.qq.com，不带协议、端口或用户名",
        "expected a host name alone, such as smtp.qq.com, without scheme, port or user",
    ),
    "alert_run_timeout": (
        "本次运行已超过 run_timeout = {seconds} 秒，未再尝试发送",
        "the run passed run_timeout = {seconds} s, so it was not tried",
    ),
    "alert_not_saved": (
        "未送达 {recipient}：{reason}；也无法保存为 {path}（{why}）：请检查发件箱文件夹，下次运行会重试",
        "not delivered to {recipient}: {reason}; nor could it be saved as {path} ({why}): "
        "check the outbox folder; the next run retries",
    ),
    "alert_not_recorded": (
        "邮件服务器已接受发给 {recipient} 的邮件，但无法记入 {path}（{reason}）：已停止发送其余邮件；"
        "请腾出磁盘空间或修复写入权限，否则下次运行会再发一次这封邮件",
        "the server accepted the message to {recipient} but it could not be recorded in {path} ({reason}): "
        "sending stopped; free disk space or fix the permissions, or the next run sends that message again",
    ),
    # -- issue 8: text --
    "text_control": (
        "含有控制字符 {char}（表格和邮件中显示为这一转义）：请删去它",
        "holds the control character {char} (tables and mail show this escape): remove it",
    ),
    "text_bidi": (
        "含有双向文字控制符 {char}，文字显示的顺序可能与实际不同：请删去它",
        "holds the bidirectional control {char}, which can make the text display in another order than "
        "it is stored: remove it",
    ),
    "text_invisible": (
        "含有不可见字符 {char}（{name}），看上去相同的文字实际不同：请删去它",
        "holds the invisible character {char} ({name}), so text that looks the same is not: remove it",
    ),
    "id_confusable": (
        "{kind} id “{id}” 与第 {first} 行的 “{other}” 只差大小写或全角半角，容易混淆：请改用明显不同的 id",
        "{kind} id '{id}' differs from '{other}' (line {first}) only in case or width, easily confused: "
        "use a clearly different id",
    ),
    # -- issue 8: fuzz --
    "number_too_long": (
        "数字位数太多，无法读取：请写成 18 位以内的整数",
        "a number too long to read: write a whole number of at most 18 digits",
    ),
    "counted_out_of_range": (
        "按 after 和 offset 推算出的日期 {date} 不在 {first} 至 {last} 之间：请检查这一串节点的 offset",
        "counted from its anchor, the due date {date} is not between {first} and {last}: "
        "check the offsets along this chain of milestones",
    ),
    # -- progress ledger (issue 9)
    "year_after_as_of": (
        "--year {year} 在截至日期 {as_of} 之后：请给出 {as_of_year} 年或更早的年份，或用 --as-of 改变截至日期",
        "--year {year} is after the as-of date {as_of}: give {as_of_year} or an earlier year, "
        "or move the date with --as-of",
    ),
    "year_option_out_of_range": (
        "--year {year} 不在 {first} 至 {last} 年之间：请检查年份",
        "--year {year} is not between {first} and {last}: check the year",
    ),
    # -- writing the file: done and report (issue 9)
    "done_recorded": (
        "已记录交账：{project} / {milestone} {date}（{path}）",
        "Recorded delivery: {project} / {milestone} on {date} ({path})",
    ),
    "done_changed": (
        "已改交账日期：{project} / {milestone} {old} → {date}（{path}）",
        "Changed the delivery date: {project} / {milestone} {old} → {date} ({path})",
    ),
    "done_undone": (
        "已撤销交账：{project} / {milestone}（原为 {old}）（{path}）",
        "Removed the delivery: {project} / {milestone} (was {old}) ({path})",
    ),
    "done_already": (
        "{project} / {milestone} 已记录 {date} 交账，未作改动（{path}）",
        "{project} / {milestone} is already recorded as delivered on {date}; nothing changed ({path})",
    ),
    "done_not_recorded": (
        "{project} / {milestone} 尚未交账，无需撤销，未作改动（{path}）",
        "{project} / {milestone} is not recorded as delivered; nothing to undo ({path})",
    ),
    "done_exists": (
        "{project} / {milestone} 已记录 {old} 交账：要改为 {date}，请加 --force",
        "{project} / {milestone} is already recorded as delivered on {old}: to record {date} instead, add --force",
    ),
    "done_after_as_of": (
        "交账日期 {date} 晚于今天 {today}：只能记录已经发生的交账（日期请用 --on 指定）",
        "delivery date {date} is after today {today}: only a delivery that has happened can be recorded "
        "(give the date with --on)",
    ),
    "done_before_start": (
        "{project} / {milestone} 的交账日期 {date} 早于项目开始日期 {start}：已照此记录，请确认",
        "{project} / {milestone} delivered on {date}, before the project's start {start}: recorded as given; check it",
    ),
    "report_added": (
        "已添加进度填报：{project} {date}（{path}）",
        "Added a progress report: {project} on {date} ({path})",
    ),
    "report_replaced": (
        "已替换进度填报：{project} {date}（{path}）",
        "Replaced the progress report: {project} on {date} ({path})",
    ),
    "report_nothing": (
        "进度填报至少要有 --progress、--invest、--text 之一",
        "a progress report needs at least one of --progress, --invest, --text",
    ),
    "report_exists": (
        "{project} 已有 {date} 的进度填报：要改正它，请加 --replace",
        "{project} already has a progress report on {date}: to correct it, add --replace",
    ),
    "report_progress_range": (
        "形象进度 {value} 不在 0 到 100 之间：请填写项目累计完成的百分比",
        "progress {value} is not between 0 and 100: give the project's cumulative percentage",
    ),
    "report_progress_lower": (
        "形象进度 {value}% 低于 {previous_date} 填报的 {previous}%：形象进度是累计值，不能减少",
        "progress {value}% is below the {previous}% reported on {previous_date}: progress is cumulative "
        "and never falls",
    ),
    "report_invest_negative": (
        "完成投资 {value} 万元是负数：请填写本期完成的投资（万元，不小于 0）",
        "investment {value} (10k yuan) is negative: give the investment completed in the period (≥ 0)",
    ),
    "report_after_as_of": (
        "填报日期 {date} 晚于今天 {today}：只能填报已经发生的进度（日期请用 --on 指定）",
        "report date {date} is after today {today}: only progress that has happened can be reported "
        "(give the date with --on)",
    ),
    "report_date_outside_span": (
        "{project} 的填报日期 {date} 不在项目工期 {start} 至 {finish} 内：已照此记录，请确认",
        "{project}: report date {date} is outside the project's span {start} to {finish}: recorded as given; check it",
    ),
    "ambiguous_name": (
        "{option} “{value}” 是多个{kind}的名称（{ids}）：请用 id",
        "{option} '{value}' is the name of several {kind}s ({ids}): use an id",
    ),
    "not_written": (
        "未写入 {path}：修改后的文件将无法通过 sanshi check，文件保持原样（以下行号指修改后的文件）",
        "{path} was not written: the edited file would not pass sanshi check, so the file is unchanged "
        "(line numbers below are those of the edited file)",
    ),
    "write_locked": (
        "{path} 正由另一个 sanshi 写入，等了 {seconds} 秒仍未轮到（锁文件 {lock}）：未作改动，请稍后再试",
        "another sanshi is writing {path} and did not finish within {seconds} s (lock file {lock}): "
        "nothing changed; try again later",
    ),
    "write_conflict": (
        "{path} 在本命令读取之后被改动（可能有人在编辑器里保存了它）：未写入，以免覆盖那次改动；请重新运行本命令",
        "{path} changed after this command read it (saved in an editor?): not written, so as not to overwrite "
        "that change; run the command again",
    ),
    "dry_run_done": (
        "--dry-run：以上是将要做的修改，{path} 未写入",
        "--dry-run: the change above was not written to {path}",
    ),
    # -- problem list: validation and status (issue 11)
    "escalate_after_days_shape": (
        "{value}：请写一到两个从小到大的天数，如 [7, 21]（逾期这么多天升为 2 级、3 级督办）",
        "{value}: give one or two numbers of days, smallest first, such as [7, 21] "
        "(overdue this long: level 2, then level 3)",
    ),
    "problem_before_raised": (
        "日期 {date} 早于问题的提出日期 raised = {raised}：请改正其中之一",
        "{date} is before the problem was raised ({raised}): correct one of them",
    ),
    "problem_closed_before_solved": (
        "销号日期 {closed} 早于办结日期 solved = {solved}：先办结（交账）后销号，请改正其中之一",
        "closed {closed} is before solved {solved}: a problem is closed off after it is reported solved; "
        "correct one of them",
    ),
    "problem_closed_unsolved": (
        "已于 {closed} 销号，但没有办结日期 solved：请补上责任单位交账的日期",
        "closed off on {closed} but never reported solved: add the date the unit reported it solved (solved = …)",
    ),
    "extensions_out_of_order": (
        "延期应按申请日期先后排列：{date} 写在了 {previous} 之后",
        "extensions must be in date order: {date} comes after {previous}",
    ),
    "extension_due_before_on": (
        "延期后的时限 {due} 早于申请延期的日期 on = {on}：新时限不能定在过去",
        "the new deadline {due} is before the extension's date on = {on}: a deadline cannot be set in the past",
    ),
    "extension_not_later": (
        "延期后的时限 {due} 不晚于它取代的时限 {previous}：这不是延期，请确认",
        "the new deadline {due} is not later than the one it replaces ({previous}): not an extension; check it",
    ),
    "reopenings_out_of_order": (
        "重新打开应按日期先后排列：{date} 写在了 {previous} 之后",
        "reopenings must be in date order: {date} comes after {previous}",
    ),
    "problem_date_before_reopening": (
        "日期 {date} 早于此前 {on} 的重新打开：重新打开后的办结、销号日期在其后，之前的日期记在那次重新打开里",
        "{date} is before the reopening on {on}: the dates after a reopening follow it (the earlier ones "
        "are kept in that reopening)",
    ),
    "reopening_before_kept": (
        "保留的日期 {date} 晚于这次重新打开的日期 on = {on}：只能重新打开已经办结或销号的问题",
        "the kept date {date} is after this reopening (on = {on}): only a problem already solved or closed "
        "can be reopened",
    ),
    "problem_raised_in_future": (
        "提出日期 raised = {date} 晚于今天 {today}：截至今天这个问题还不存在，status 不会列出它；请确认",
        "raised = {date} is after today {today}: as of today the problem does not exist yet and status "
        "does not list it; check it",
    ),
    "problem_date_in_future": (
        "日期 {date} 晚于今天 {today}：请确认",
        "{date} is after today {today}: check it",
    ),
    "extension_after_closed": (
        "延期日期 {date} 晚于销号日期 closed = {closed}：已销号的问题不能延期；"
        "要继续跟踪，请先重新打开（sanshi problem reopen）",
        "extension on {date}, after the problem was closed off on {closed}: a closed problem is not extended; "
        "reopen it first (sanshi problem reopen)",
    ),
    "wrong_table_nested_problem": (
        "要写在所属问题的 [[projects.problems]] 之后",
        " (it follows the [[projects.problems]] table it belongs to)",
    ),
    # -- problem commands (issue 10/11)
    "problem_added": (
        "已添加问题 {id}：{project}“{text}”，时限 {due}（{path}）",
        "Added problem {id}: {project} '{text}', due {due} ({path})",
    ),
    "problem_noted": ("已添加跟踪记录：{id} {date}（{path}）", "Added a note: {id} on {date} ({path})"),
    "problem_extended": (
        "已延期：{id} 时限 {old} → {due}（{path}）",
        "Extended: {id} due {old} → {due} ({path})",
    ),
    "problem_solved": ("已记录办结：{id} {date}（{path}）", "Recorded as solved: {id} on {date} ({path})"),
    "problem_closed": ("已销号：{id} {date}（{path}）", "Closed off: {id} on {date} ({path})"),
    "problem_closed_forced": (
        "已销号：{id} {date}（未报办结，办结日期也记为 {date}）（{path}）",
        "Closed off: {id} on {date} (it was not reported solved; solved is recorded as {date} too) ({path})",
    ),
    "problem_reopened": (
        "已重新打开：{id} {date}（原办结 {solved}，原销号 {closed}）（{path}）",
        "Reopened: {id} on {date} (was solved {solved}, closed {closed}) ({path})",
    ),
    "problem_unknown": (
        "“{value}” 不是已知问题的编号，也不是问题描述的开头{hint}：请用编号（如 P-2026-001）或问题描述的开头",
        "'{value}' is neither a known problem id nor the beginning of a problem's text{hint}: "
        "use an id (such as P-2026-001) or the beginning of its text",
    ),
    "problem_ambiguous": (
        "“{value}” 是多个问题描述的开头（{ids}）：请用编号",
        "'{value}' begins the text of several problems ({ids}): use an id",
    ),
    "problem_text_empty": ("{option} 不能为空：请填写内容", "{option} is empty: give some text"),
    "problem_due_before_raised": (
        "时限 {due} 早于问题提出日期 {raised}：请检查 --due",
        "the deadline {due} is before the day the problem was raised, {raised}: check --due",
    ),
    "command_before_raised": (
        "{id} 的日期 {date} 早于问题提出日期 {raised}：请检查 --on",
        "{id}: the date {date} is before the day the problem was raised, {raised}: check --on",
    ),
    "problem_after_as_of": (
        "日期 {date} 晚于今天 {today}：只能记录已经发生的事（日期请用 {option} 指定）",
        "the date {date} is after today {today}: only what has happened can be recorded (give the date with {option})",
    ),
    "problem_closed_twice": (
        "{id} 已于 {date} 销号：不能再次销号（问题复发请用 sanshi problem reopen）",
        "{id} was closed off on {date}: it cannot be closed again (if it came back, use sanshi problem reopen)",
    ),
    "problem_closed_no_extend": (
        "{id} 已于 {date} 销号：不能延期（问题复发请先用 sanshi problem reopen）",
        "{id} was closed off on {date}: it cannot be extended (if it came back, use sanshi problem reopen first)",
    ),
    "problem_closed_no_solve": (
        "{id} 已于 {date} 销号：不能再记办结（问题复发请先用 sanshi problem reopen）",
        "{id} was closed off on {date}: it cannot be solved again (if it came back, use sanshi problem reopen first)",
    ),
    "problem_solved_twice": (
        "{id} 已于 {date} 报办结：不能再次记录（未真正解决请用 sanshi problem reopen）",
        "{id} was reported solved on {date} already (if it was not, use sanshi problem reopen)",
    ),
    "problem_not_solved": (
        "{id} 尚未报办结：要直接销号，请加 --force（办结和销号日期都记为 {date}）",
        "{id} was not reported solved: to close it off anyway, add --force (solved and closed both become {date})",
    ),
    "command_closed_before_solved": (
        "{id} 的销号日期 {date} 早于办结日期 {solved}：请检查 --on",
        "{id}: closing off on {date} is before it was solved, {solved}: check --on",
    ),
    "problem_due_same": ("{id} 的时限已是 {due}：无需延期", "{id} is already due {due}: nothing to extend"),
    "problem_extension_order": (
        "{id} 的延期日期 {date} 早于上次延期 {previous}：延期须按时间顺序记录，请检查 --on",
        "{id}: the extension on {date} is before the previous one, {previous}: extensions go in order; check --on",
    ),
    "problem_not_reopenable": (
        "{id} 尚未办结或销号：无需重新打开",
        "{id} is neither solved nor closed: there is nothing to reopen",
    ),
    "problem_reopened_before": (
        "{id} 的重新打开日期 {date} 早于其办结或销号日期 {last}：请检查 --on",
        "{id}: reopening on {date} is before it was solved or closed, {last}: check --on",
    ),
    "problem_state_flags": (
        "--open、--solved、--closed、--overdue 不能与 --all 同用",
        "--open, --solved, --closed and --overdue cannot go with --all",
    ),
    "problem_to_without_from": ("--to 需要同时给出 --from", "--to needs --from too"),
    "missing_argument": ("缺少 {name}：运行 {command} --help 查看用法", "{name} is missing: see {command} --help"),
    # -- the unit ranking (issue 12)
    "ranking_weights_zero": (
        "各项权重都是 0：请至少给一项大于 0 的权重，如 weights = {{ nodes = 40, invest = 30, problems = 20, "
        "reports = 10, inspection = 0 }}",
        "every weight is 0: give at least one metric a weight above 0, such as weights = {{ nodes = 40, "
        "invest = 30, problems = 20, reports = 10, inspection = 0 }}",
    ),
    "inspection_unit_and_project": (
        "一条观摩评价只能评一个单位（unit）或一个项目（project）：请删去其中之一",
        "an inspection scores either a unit (unit) or a project (project), not both: remove one of them",
    ),
    "inspection_no_subject": (
        '{date} 的观摩评价没有写评价对象：请写 unit = "单位id" 或 project = "项目id"',
        'the inspection of {date} scores nobody: add unit = "unit id" or project = "project id"',
    ),
    # -- bulletin (issue 12)
    "bulletin_month_and_week": ("--month 与 --week 只能给出一个", "give --month or --week, not both"),
    "bulletin_weekly_and_month": ("--weekly 不能与 --month 同用", "--weekly cannot go with --month"),
    # -- cell values typed into sheets (issue 13)
    "cell_not_a_date": (
        "“{value}” 不是日期：请写成 2026-11-20、2026/11/20 或 2026年11月20日",
        "'{value}' is not a date: write it as 2026-11-20, 2026/11/20 or 2026年11月20日",
    ),
    "cell_no_such_day": (
        "“{value}” 不是日历上的日期（月份或日期超出范围）",
        "'{value}' is not a day of the calendar (the month or the day is out of range)",
    ),
    "cell_not_an_amount": (
        "“{value}” 不是金额：请填数字（万元），例如 1200 或 1200万元",
        "'{value}' is not an amount: write a number (in 万元), e.g. 1200 or 1200万元",
    ),
    "cell_negative": (
        "“{value}” 是负数：金额不能小于 0",
        "'{value}' is negative: an amount cannot be below 0",
    ),
    "cell_not_a_percent": (
        "“{value}” 不是百分比：请填 0 到 100 的数字，例如 35 或 35%",
        "'{value}' is not a percentage: write a number from 0 to 100, e.g. 35 or 35%",
    ),
    "cell_percent_range": (
        "“{value}” 超出 0–100%",
        "'{value}' is outside 0-100 %",
    ),
    # -- bulletin (issue 12): html and xlsx
    "bulletin_needs_output": (
        "sanshi bulletin --format {format} 须用 -o 指定输出文件，例如 -o 月通报-{period}.{format}",
        "sanshi bulletin --format {format} needs -o FILE, e.g. -o bulletin-{period}.{format}",
    ),
    # -- import and xlsx tables (issue 13)
    "import_encrypted": (
        "工作簿已加密（设置了打开密码）：请在 Excel 或 WPS 中取消密码后另存为 .xlsx 再导入",
        "the workbook is encrypted (it has a password to open): remove the password in Excel or WPS, "
        "save it as .xlsx and import that",
    ),
    "import_old_format": (
        "这是旧版 Excel（.xls）或 WPS 表格（.et）文件，无法读取："
        "请在 Excel 或 WPS 中“另存为”Excel 工作簿（*.xlsx）后再导入",
        "this is an old Excel (.xls) or WPS (.et) file, which sanshi cannot read: open it in Excel or WPS, "
        "Save As an Excel Workbook (*.xlsx) and import that",
    ),
    "import_not_xlsx": (
        "不是 Excel 工作簿（.xlsx）：请在 Excel 或 WPS 中另存为 .xlsx 后再导入",
        "not an Excel workbook (.xlsx): save it as .xlsx in Excel or WPS and import that",
    ),
    "import_unreadable": (
        "无法读取（{reason}）：请确认它是完整的 .xlsx 文件",
        "cannot be read ({reason}): make sure it is a complete .xlsx file",
    ),
    "import_not_found": ("文件不存在：请检查路径", "no such file: check the path"),
    "import_too_big": (
        "文件超过 {mb} MB，不像是台账：请只保留台账所在的工作表",
        "the file is larger than {mb} MB, too big for a ledger: keep only the ledger's sheet",
    ),
    "import_no_sheet": (
        "没有名为“{sheet}”的工作表：可选 {sheets}",
        "there is no sheet '{sheet}': the sheets are {sheets}",
    ),
    "import_no_header": (
        "在工作表“{sheet}”的前 30 行找不到表头（须有 {names} 等列）：请用 --map 文件写明 header_row 和各列含义",
        "no header row in the first 30 rows of sheet '{sheet}' (it needs a column such as {names}): "
        "give a --map file with header_row and what each column means",
    ),
    "import_no_name_column": (
        "工作表“{sheet}”第 {row} 行的表头中没有项目名称列：请在 --map 文件的 [columns] 中写明哪一列是 name",
        "the header in row {row} of sheet '{sheet}' has no project name column: "
        "say which column is name in the [columns] of a --map file",
    ),
    "import_map_header_missing": (
        "--map 中的表头 {headers} 不在表头行中：请检查 header_row 和表头文字",
        "the --map headers {headers} are not in the header row: check header_row and the header texts",
    ),
    "import_map_unknown_key": (
        "--map 文件中的 {key} 无法识别：只能有 header_row 和 [columns]",
        "--map file: unknown key {key}: only header_row and [columns] are read",
    ),
    "import_map_bad_header_row": (
        "--map 文件的 header_row = {value} 无效：请写表头所在的行号，如 header_row = 2",
        "--map file: header_row = {value} is not a row number: write the header's row, e.g. header_row = 2",
    ),
    "import_map_bad_columns": (
        '--map 文件的 columns 须是一个表：在 [columns] 下写 "表头" = "key"',
        '--map file: columns must be a table: under [columns] write "header" = "key"',
    ),
    "import_map_bad_key": (
        '--map 文件中 "{header}" = "{value}" 无效：可用的 key 为 {keys}',
        '--map file: "{header}" = "{value}" is not a key: use one of {keys}',
    ),
    "import_map_not_toml": ("--map 文件不是有效的 TOML（{reason}）", "the --map file is not valid TOML ({reason})"),
    "import_bad_cell": ("{cell}（{header}）：{detail}", "{cell} ({header}): {detail}"),
    "import_row_missing": (
        "工作表“{sheet}”第 {row} 行缺少 {keys}：请在台账中补上，或加 --skip-invalid 跳过该行",
        "sheet '{sheet}' row {row} lacks {keys}: fill it in in the ledger, or add --skip-invalid to leave the row out",
    ),
    "import_row_finish_before_start": (
        "工作表“{sheet}”第 {row} 行的计划竣工 {finish} 早于计划开工 {start}",
        "sheet '{sheet}' row {row}: finish {finish} is before start {start}",
    ),
    "import_invalid_rows": (
        "有 {n} 处无法读取，未写入任何文件：请修改台账，或加 --skip-invalid 跳过这些行",
        "{n} problems in the ledger, nothing written: fix the ledger, or add --skip-invalid to leave those rows out",
    ),
    "import_no_projects": ("工作表“{sheet}”中没有可导入的项目", "sheet '{sheet}' has no project to import"),
    "import_not_valid": (
        "导入结果未通过检查（以上 {n} 个问题），未写入任何文件：请修改台账或 --map 文件",
        "the result does not pass sanshi check ({n} problems above), nothing written: fix the ledger or the --map file",
    ),
    "import_exists": (
        "文件已存在，未做改动：导入只写新文件，请用 -o 换一个文件名",
        "the file exists and was left untouched: import writes a new file only; name another with -o",
    ),
    # -- sheets and collect (issue 13)
    "sheet_weekly_and_monthly": ("--weekly 与 --monthly 只能给出一个", "give --weekly or --monthly, not both"),
    "collect_old_format": (
        "{path} 是旧版 .xls 或 WPS .et 文件，无法可靠读取：请在 Excel 或 WPS 中“另存为” Excel 工作簿（*.xlsx）后再收集",
        "{path} is an old .xls or a WPS .et file, which cannot be read reliably: open it in Excel or WPS, "
        "'Save as' an Excel workbook (*.xlsx) and collect that",
    ),
    "collect_cannot_read": ("无法读取 {path}（{reason}）", "cannot read {path} ({reason})"),
    "collect_encrypted": (
        "{path} 设有打开密码（已加密），无法读取："
        "请单位取消密码（文件→信息→保护工作簿→用密码进行加密，清空）后重新发送",
        "{path} is encrypted (it has a password to open): ask the unit to remove the password "
        "(File > Info > Protect Workbook > Encrypt with Password, clear it) and send it again",
    ),
    "collect_not_xlsx": (
        "{path} 不是 .xlsx 工作簿：请收集 sanshi sheet 生成、单位填写后的 .xlsx 文件",
        "{path} is not an .xlsx workbook: collect the .xlsx files `sanshi sheet` wrote and the units filled in",
    ),
    "collect_unreadable": ("{path} 无法作为 .xlsx 读取（{detail}）", "{path} cannot be read as .xlsx ({detail})"),
    "collect_not_a_sheet": (
        "{path} 不是 sanshi 填报表（缺少隐藏的 sanshi 表和文档属性）：请用 sanshi sheet 生成的表格填写",
        "{path} is no sanshi sheet (the hidden sheet sanshi and its properties are missing): "
        "fill in a sheet `sanshi sheet` wrote",
    ),
    "collect_keys_deleted": (
        "{path} 的关键列已被删除（{columns}），无法把各行对回台账：请用 sanshi sheet 重新生成后填写",
        "the key columns of {path} were deleted ({columns}): its rows cannot be matched; "
        "write a fresh sheet with `sanshi sheet`",
    ),
    "collect_unknown_unit": (
        "表中注明的单位 {unit} 不在项目文件中：该表不是本台账生成的",
        "the sheet's unit {unit} is not in the project file: the sheet was not written from it",
    ),
    "collect_bad_period": ("表中注明的周期 {period} 无法识别", "the sheet's period {period} is not a week or a month"),
    "collect_name_mismatch": (
        "表中注明为 {unit} {period}，但文件名是 {name}：请确认是哪个单位、哪一期的表",
        "the sheet says {unit} {period} but its name is {name}: check which unit and period it is for",
    ),
    "collect_file_changed": (
        "{sheet} 生成（{as_of}）后项目文件已有修改：各行按当前文件核对",
        "the project file changed since {sheet} was written ({as_of}): each row is checked against the file as it is",
    ),
    "collect_bad_kind": (
        "隐藏列 sanshi_kind 的值“{kind}”无法识别（该行是手工添加或被改动）：请在项目的本期填报行填写",
        "'{kind}' in the hidden column sanshi_kind is unknown (a row added or changed by hand): "
        "use the project's report row",
    ),
    "collect_unknown_project": (
        "项目 {project} 已不在项目文件中",
        "project {project} is no longer in the project file",
    ),
    "collect_cell_meaningless": (
        "此单元格在{kind}中无意义，未读取：请清空，或填到对应的行",
        "this cell means nothing on a {kind} row: clear it, or fill it in on the right row",
    ),
    "collect_kind_milestone": ("节点行", "milestone"),
    "collect_kind_problem": ("问题行", "problem"),
    "collect_kind_report": ("本期填报行", "report"),
    "collect_unknown_milestone": (
        "节点 {project} / {milestone} 已不在项目文件中",
        "milestone {project} / {milestone} is no longer in the project file",
    ),
    "collect_other_unit": (
        "{project} / {item} 的责任单位是 {owner}，不是本表的单位 {unit}",
        "{project} / {item} belongs to unit {owner}, not to this sheet's unit {unit}",
    ),
    "collect_empty_milestone": ("{project} / {milestone}：未填完成日期", "{project} / {milestone}: no date filled in"),
    "collect_future": (
        "日期 {date} 晚于今天（{today}）：只能记录已经发生的事",
        "{date} is after today ({today}): only what has happened can be recorded",
    ),
    "collect_done_same": (
        "{project} / {milestone} 已记录交账 {date}",
        "{project} / {milestone} is recorded as delivered on {date}",
    ),
    "collect_done_other": (
        "{project} / {milestone} 已记录交账 {old}，表中为 {date}：未写入；如需更正请用 sanshi done --force",
        "{project} / {milestone} is recorded as delivered on {old}, the sheet says {date}: not written; "
        "to correct it use sanshi done --force",
    ),
    "collect_due_changed": (
        "{project} / {milestone} 的截止日期在生成表后已由 {old} 改为 {due}：未写入；请核对后用 sanshi done 记录",
        "the due date of {project} / {milestone} moved from {old} to {due} since the sheet was written: "
        "not written; check it and record it with sanshi done",
    ),
    "collect_done": ("交账：{project} / {milestone} {date}", "delivered: {project} / {milestone} on {date}"),
    "collect_unknown_problem": (
        "问题 {id}（{project}）已不在项目文件中",
        "problem {id} ({project}) is no longer in the project file",
    ),
    "collect_empty_problem": ("问题 {id}（{project}）：未填写", "problem {id} ({project}): nothing filled in"),
    "collect_before_raised": (
        "办结日期 {date} 早于问题 {id} 提出的日期 {raised}",
        "{date} is before problem {id} was raised ({raised})",
    ),
    "collect_problem_closed": (
        "问题 {id}（{project}）在生成表后已于 {date} 销号：未写入",
        "problem {id} ({project}) was closed off on {date} since the sheet was written: not written",
    ),
    "collect_solved_other": (
        "问题 {id} 已记录办结 {old}，表中为 {date}：未写入",
        "problem {id} is recorded as solved on {old}, the sheet says {date}: not written",
    ),
    "collect_problem_same": ("问题 {id}（{project}）已记录", "problem {id} ({project}) is recorded already"),
    "collect_solved_and_note": (
        "办结：问题 {id}（{project}）{date}；跟踪记录 {on}：{note}",
        "solved: problem {id} ({project}) on {date}; note on {on}: {note}",
    ),
    "collect_solved": ("办结：问题 {id}（{project}）{date}", "solved: problem {id} ({project}) on {date}"),
    "collect_note": ("跟踪记录：问题 {id}（{project}）{on}：{note}", "note: problem {id} ({project}) on {on}: {note}"),
    "collect_empty_report": ("{project} 本期填报：未填写", "{project} report: nothing filled in"),
    "collect_problem_exists": (
        "{project} 已有问题“{text}”（{raised} 提出）",
        "{project} has the problem '{text}' (raised {raised}) already",
    ),
    "collect_new_problem": (
        "新问题 {id}：{project}“{text}”，{raised} 提出，解决时限暂定 {due}（{days} 个工作日，请指挥部核定）",
        "new problem {id}: {project} '{text}', raised {raised}, deadline {due} for now "
        "({days} working days: the PMO should confirm it)",
    ),
    "collect_report_only_next": (
        "{project} 本期填报只有下步计划：请同时填写形象进度、本期完成投资或本期进展",
        "the report of {project} has only next steps: fill in progress, investment or progress made as well",
    ),
    "collect_report_taken": (
        "{project} 在 {date} 已有 {by} 的进度填报：未写入",
        "{project} has a progress report of {date} by {by} already: not written",
    ),
    "collect_report_same": ("{project} {date} 的填报已记录", "the report of {project} on {date} is recorded already"),
    "collect_progress_lower": (
        "形象进度 {value} 低于 {date} 已填报的 {previous}：累计进度不能下降",
        "progress {value} is below the {previous} reported on {date}: cumulative progress cannot fall",
    ),
    "collect_progress_higher": (
        "形象进度 {value} 高于其后 {date} 已填报的 {previous}",
        "progress {value} is above the {previous} reported later, on {date}",
    ),
    "collect_report": ("新增填报：{project} {date}（{what}）", "new report: {project} on {date} ({what})"),
    "collect_report_replaced": (
        "更正填报：{project} {date}（{what}）",
        "corrected report: {project} on {date} ({what})",
    ),
    "collect_same_as": ("与 {other} 相同", "the same as {other}"),
    "collect_conflict": ("与 {other} 矛盾：请核对", "contradicts {other}: check which is right"),
    "collect_summary": (
        "共 {rows} 项：修改 {change}，无变化 {unchanged}，未填写 {empty}，需核对 {check}，无效 {invalid}；"
        "无法读取的表 {refused}",
        "{rows} rows: {change} changes, {unchanged} unchanged, {empty} empty, {check} to check, {invalid} invalid; "
        "{refused} sheets refused",
    ),
    "collect_nothing_written": (
        "有 {count} 项无效或需核对，未写入任何修改：改正后重新收集，或加 --skip-invalid 只写入有效的修改",
        "{count} rows are invalid or need checking: nothing was written; fix them and collect again, "
        "or add --skip-invalid to write the valid changes only",
    ),
    "collect_preview_only": (
        "以上为预览，未写入：加 --apply 写入",
        "a preview: nothing was written; add --apply to write",
    ),
    "collect_nothing_to_write": ("没有需要写入的修改", "nothing to write"),
    "collect_changed_meanwhile": (
        "项目文件在预览后被修改，现有 {count} 项无效或需核对：未写入，请重新收集",
        "the project file changed after the preview and {count} rows are now invalid or need checking: "
        "nothing was written; collect again",
    ),
    "collect_written": ("已写入 {changes} 项修改（{path}）", "wrote {changes} changes ({path})"),
    "collect_left_out": (
        "有 {count} 项无效或需核对，未写入（见上）",
        "{count} row(s) invalid or to check, left out (see above)",
    ),
    # -- chat robots (issue 14)
    "kind_channel": ("群机器人", "channel"),
    "platform_wecom": ("企业微信", "WeCom"),
    "platform_dingtalk": ("钉钉", "DingTalk"),
    "platform_feishu": ("飞书", "Feishu"),
    "channel_what_url": ("Webhook 地址", "webhook URL"),
    "channel_what_secret": ("签名密钥", "signing secret"),
    "channel_bad_name": (
        "群机器人名称 “{name}” 无效：只能用小写字母、数字和 -（如 pmo-group）",
        "channel name '{name}' is invalid: use lowercase letters, digits and - (such as pmo-group)",
    ),
    "channel_secret_in_file": (
        "项目文件中不能写群机器人的{what}（{key}）：请把它存入文件并用 {file_key} 指向该文件，或设置环境变量 {env}",
        "no {what} in the project file ({key}): put it in a file named by {file_key}, or set the environment "
        "variable {env}",
    ),
    "channel_file_missing": (
        "群机器人 {channel} 的 {key} 文件 {path} 不存在：发送前请创建它，或设置环境变量 {env}",
        "channel {channel}: the {key} {path} does not exist: create it before sending, or set {env}",
    ),
    "bad_mobile": (
        "手机号 “{value}” 无效：请只写数字（可带 +86）",
        "mobile '{value}' is invalid: write digits only (a leading +86 is fine)",
    ),
    "bad_open_id": (
        "飞书 open_id “{value}” 通常以 ou_ 开头：请在飞书开放平台确认",
        "Feishu open_id '{value}' usually starts with ou_: check it in the Feishu developer console",
    ),
    "channel_no_url": (
        "群机器人 {channel} 没有 Webhook 地址：请在 [channels.{channel}] 中设置 url_file，或设置环境变量 {env}",
        "channel {channel} has no webhook URL: set url_file in [channels.{channel}] or the environment variable {env}",
    ),
    "channel_file_unreadable": (
        "无法读取群机器人 {channel} 的 {key} 文件 {path}（{reason}）：请检查路径和文件权限",
        "cannot read channel {channel}'s {key} {path} ({reason}): check the path and the file's permissions",
    ),
    "channel_bad_url": (
        "群机器人 {channel} 的 Webhook 地址无效（{url}）：应为以 https:// 开头的完整地址",
        "channel {channel}: invalid webhook URL ({url}): give the whole address, starting with https://",
    ),
    "channel_plain_http": (
        "群机器人 {channel} 的地址 {url} 不是 https：http 只允许发往本机地址，且须加 --insecure",
        "channel {channel}: {url} is not https: http is allowed only to a loopback address, with --insecure",
    ),
    "channel_other_host": (
        "群机器人 {channel} 的地址主机 {host} 不是{platform}的公共地址 {expected}：如是政务版或私有部署，可忽略此提示",
        "channel {channel}: host {host} is not {platform}'s public {expected}: fine for a government or private "
        "deployment",
    ),
    "channel_refused": (
        "群机器人 {channel}（{platform}）拒绝了消息：{code} {reply}：{fix}",
        "channel {channel} ({platform}) refused the message: {code} {reply}: {fix}",
    ),
    "channel_fix_key": (
        "请检查 Webhook 地址（机器人是否已被移除、key 或 access_token 是否完整）",
        "check the webhook URL (is the robot still in the group, is its key or access_token whole?)",
    ),
    "channel_fix_sign": (
        "请检查签名密钥 secret_file 与机器人安全设置一致，并确认本机时钟准确",
        "check that secret_file holds the robot's signing secret and that this machine's clock is right",
    ),
    "channel_fix_keyword": (
        "请将 keyword 设为机器人安全设置中的自定义关键词",
        "set keyword to the custom keyword of the robot's security settings",
    ),
    "channel_fix_ip": (
        "请在机器人安全设置的 IP 地址段中加入本机的出口 IP",
        "add this machine's outgoing IP to the robot's IP allow-list",
    ),
    "channel_fix_other": ("请检查机器人配置", "check the robot's settings"),
    "channel_failed": (
        "群机器人 {channel}（{platform}）暂未接收：{detail}",
        "channel {channel} ({platform}) did not take the message: {detail}",
    ),
    "channel_muted": (
        "发送过快（130101），钉钉机器人将被限流 10 分钟：本次不再重试",
        "too fast (130101): DingTalk mutes the robot for 10 minutes, so this run does not retry",
    ),
    "channel_reply": ("{code} {reply}", "{code} {reply}"),
    "channel_http_status": ("HTTP {status}", "HTTP {status}"),
    "channel_bad_reply": ("无法识别的回复（HTTP {status}）", "a reply that is not the platform's JSON (HTTP {status})"),
    "channel_timeout": ("连接 {host} 超时（{seconds} 秒）", "{host} timed out ({seconds} s)"),
    "channel_connect_failed": ("无法连接 {host}：{detail}", "cannot connect to {host}: {detail}"),
    "channel_certificate": (
        "{host} 的证书未通过验证（{detail}）：请检查 SSL_CERT_FILE 或代理设置",
        "{host}'s certificate did not verify ({detail}): check SSL_CERT_FILE or the proxy",
    ),
    "alert_post_not_delivered": (
        "发往群 {channel} 的消息未送达（{reason}）：已存入 {path}，下次运行将重试",
        "the post to {channel} was not delivered ({reason}): saved in {path}; the next run retries",
    ),
    "alert_post_not_saved": (
        "发往群 {channel} 的消息未送达（{reason}），也无法存入 {path}（{why}）：下次运行将重新发送",
        "the post to {channel} was not delivered ({reason}) nor saved in {path} ({why}): the next run sends it again",
    ),
    "alert_channel_unknown": (
        "未知的群机器人 “{value}”{hint}：请使用 [channels.<name>] 中已有的名称",
        "unknown channel '{value}'{hint}: use a name of [channels.<name>]",
    ),
    # -- the bulletin by e-mail (issue 12)
    "bulletin_mail_only": (
        "{option} 只用于 --mail：请加上 --mail，或去掉 {option}",
        "{option} goes with --mail: add --mail or drop {option}",
    ),
    "bulletin_mail_filtered": (
        "--mail 发送的是全部项目的通报：请去掉 -p/-u/-l（筛选后的通报可用 -o 保存后自行转发）",
        "--mail sends the bulletin of the whole file: drop -p/-u/-l (save a filtered one with -o and forward it)",
    ),
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


class _Lenient(dict[str, object]):
    """Parameters for ``str.format_map``: a missing one stays visible as ``{name}``, never raises."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, params: dict[str, object]) -> str:
    """``template`` with ``params`` filled in; a template is never the reason for a traceback."""
    try:
        return template.format_map(_Lenient(params))
    except Exception:  # any value at all (one whose __format__ raises): an error message must still show
        return template


def _pick(table: dict[str, tuple[str, str]], key: str, lang: Lang) -> str:
    entry = table.get(key)
    return key if entry is None else entry[0 if lang == "zh" else 1]


def label(key: str, lang: Lang, /, **params: object) -> str:
    """A table label or phrase in ``lang``."""
    text = _pick(LABELS, key, lang)
    return fill(text, params) if params else text


def count(key: str, n: int, lang: Lang, /, **params: object) -> str:
    """A phrase about ``n`` things, singular or plural: ``count("n_projects", 1, "en")`` is "1 project".

    The singular is the label ``{key}_1`` (Chinese has one form; English needs both).
    """
    singular = f"{key}_1"
    return label(singular if n == 1 and singular in LABELS else key, lang, n=n, **params)


def message(key: str, lang: Lang, /, **params: object) -> str:
    """A problem message in ``lang``; params that are message keys themselves are translated."""
    text = _pick(MESSAGES, key, lang)
    resolved = {
        name: message(value.key, lang, **value.params) if isinstance(value, Msg) else value
        for name, value in params.items()
    }
    return fill(text, resolved)


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
        context.append(f"{_pick(KINDS, problem.subject[0], lang)} {problem.subject[1]}")
    if problem.project:
        context.append(f"{label('project', lang)} {problem.project}")
    if problem.milestone:
        context.append(f"{label('milestone', lang)} {problem.milestone}")
    if problem.problem:
        context.append(f"{_pick(KINDS, 'problem', lang)} {problem.problem}")
    if problem.key:
        context.append(f"{label('key', lang)} {problem.key}")
    text = message(problem.message, lang, **problem.params)
    sep = "，" if lang == "zh" else ", "
    colon = "：" if lang == "zh" else ": "
    body = (sep.join(context) + colon + text) if context else text
    # whatever a parameter holds, the line reaches the terminal inert (a value shown already is unchanged)
    return visible(f"{head}{colon}{body}" if lang == "zh" else f"{head}: {body}")


# Characters a terminal or a text view would act on rather than show: C0 and C1 controls, DEL,
# bidirectional embeddings, overrides and isolates, and the line and paragraph separators.
_ACTIVE = re.compile("[\x00-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069]")


_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, newlines: bool = False) -> str:
    r"""User text as every view shows it: each control or bidi character as its escape.

    ``\x1b`` for ESC, ``\x9b`` for the C1 CSI, ``\x7f`` for DEL, ``\u202e`` for a right-to-left
    override; tab, CR and LF as ``\t``, ``\r``, ``\n`` (as Python writes them). ``newlines`` keeps
    line breaks (LF, and CRLF as LF) where the view lays out lines itself. Everything else is untouched.
    """
    if text.isprintable():
        return text
    if newlines:  # LF and CRLF are line breaks; a lone CR is shown
        return "\n".join(_ACTIVE.sub(_escape, line) for line in text.replace("\r\n", "\n").split("\n"))
    return _ACTIVE.sub(_escape, text)


def one_line(text: str) -> str:
    """User text inside a message: control characters and line breaks shown, never acted on.

    Stricter than :func:`visible`, in the same form: a message quotes a value to explain it, so
    invisible and unusual spaces are shown too (``'jsj\\u200b'`` is why that unit is unknown).
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
