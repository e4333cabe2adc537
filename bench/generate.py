#!/usr/bin/env python3
"""Write a synthetic sanshi portfolio for benchmarking.

    python bench/generate.py N OUT.toml [--seed S] [--as-of 2026-11-27]

N projects with 8 milestones each (two per stage: 手续办理, 征迁, 开工建设, 竣工达效), in the
same shape as ``data/projects.toml``: [settings], [calendar], [alerts], [smtp], [[units]],
[[people]] and [[projects]] with leader / lead_unit / responsible_unit / start / finish and
[[projects.milestones]]. Projects start in 2026 and finish in 2026-2027.

As of ``--as-of``:
  * milestones due before it are either done (done date near the due date, never after
    the as-of day) or overdue; the split is chosen so that about 20% of the not-done
    milestones are overdue;
  * about 10% of milestones are relative (``after`` = the previous milestone, ``offset`` such
    as "10wd", "2w", "1m");
  * about 10% have ``depends = [previous]``;
  * about half carry a ``progress`` that rises with the due date (so the file is valid).

With ``--reports-and-problems`` each project also gets monthly progress reports (进度填报: rising
形象进度, investment against the annual plan, 下步计划) up to the as-of day, ``report_every_days``,
and a few problems (问题清单: open, solved, closed off, some extended), so that ``sanshi bulletin``,
``progress`` and ``problem list`` have real work. They come from a second random stream: without
the flag the file is byte for byte what it was.

Fixed due dates fall on working days (PRC calendar via ``chinesecalendar`` when importable,
else Monday-Friday); relative ones may land on a rest day or a holiday
(sanshi then warns, as it would for a real file). Output is deterministic for a given seed.
The text is written directly (not via tomli_w), which is much faster for large N;
``--check`` re-reads the result with tomli as a sanity check.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

MILESTONES_PER_PROJECT = 8

STAGES: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "手续办理",
        [
            ("feasibility", "可研批复"),
            ("land", "用地预审与选址意见书"),
            ("planning-permit", "建设工程规划许可证"),
            ("design", "初步设计批复"),
            ("tender", "招标"),
            ("permits", "施工许可证"),
        ],
    ),
    (
        "征迁",
        [
            ("notice", "征收公告"),
            ("survey", "入户调查评估"),
            ("signing", "签约"),
            ("clearance", "腾空交地"),
        ],
    ),
    (
        "开工建设",
        [
            ("start", "开工"),
            ("foundation", "基础完工（桩基及承台）"),
            ("civil", "土建和水电完工"),
            ("topping-out", "主体封顶"),
            ("equipment", "设备安装完成"),
        ],
    ),
    (
        "竣工达效",
        [
            ("trial", "试运行"),
            ("completion", "竣工验收"),
            ("handover", "投入使用"),
            ("operation", "投入运营"),
        ],
    ),
]

# (offset text, approximate days it adds; "wd" ones are counted on Mon-Fri below)
OFFSETS = ["10wd", "20wd", "2w", "4w", "30d", "1m", "2m"]

BASE_UNITS = [
    ("jsj", "高新区建设局"),
    ("zrzy", "高新区自然资源和规划分局"),
    ("czj", "高新区财政金融局"),
    ("jfj", "高新区经济发展局"),
    ("cgj", "高新区城市管理局"),
    ("sswj", "高新区社会事务局"),
    ("tzjt", "高新区投资集团有限公司"),
    ("wenyuan", "文苑街道办事处"),
]
PLACES = ["龙源", "山阳", "文苑", "新华", "丰收", "塔南", "解放", "民主", "人民", "建设", "太行", "中原"]
KINDS = ["路道路工程", "大桥", "污水处理厂", "学校", "医院", "安置房", "产业园", "文体中心", "综合管廊", "公园"]
PROGRESS = [2, 5, 8, 12, 30, 60, 90, 100]
CHINESE_LEADERS = "甲乙丙丁戊己庚辛壬癸"


def s(text: str) -> str:
    """A TOML basic string (JSON string syntax is valid TOML for these characters)."""
    return json.dumps(text, ensure_ascii=False)


try:  # the PRC calendar sanshi uses, when available, so fixed due dates avoid holidays too
    import chinese_calendar as _cc
except ImportError:  # pragma: no cover
    _cc = None


@functools.cache
def _is_workday(day: date) -> bool:
    if _cc is not None:
        try:
            return bool(_cc.is_workday(day))
        except NotImplementedError:  # a year without official data: Mon-Fri
            pass
    return day.weekday() < 5


def weekday_on_or_after(day: date) -> date:
    """The first working day on or after ``day``."""
    while not _is_workday(day):
        day += timedelta(days=1)
    return day


def add_offset(anchor: date, offset: str) -> date:
    """Approximate sanshi's offset arithmetic (working days counted Mon-Fri, no holidays)."""
    if offset.endswith("wd"):
        n = int(offset[:-2])
        day = anchor
        while n:
            day += timedelta(days=1)
            if day.weekday() < 5:
                n -= 1
        return day
    n, unit = int(offset[:-1]), offset[-1]
    if unit == "d":
        return anchor + timedelta(days=n)
    if unit == "w":
        return anchor + timedelta(weeks=n)
    month = anchor.month - 1 + n
    year, month = anchor.year + month // 12, month % 12 + 1
    for dd in range(anchor.day, 27, -1):  # clamp to the month's end
        try:
            return date(year, month, dd)
        except ValueError:
            continue
    return date(year, month, min(anchor.day, 28))


def plan(n_projects: int, rng: random.Random, as_of: date) -> list[dict]:
    """Every project's dates and milestone shapes (done/overdue decided afterwards)."""
    projects = []
    year_start = date(2026, 1, 5)
    for i in range(n_projects):
        start = weekday_on_or_after(year_start + timedelta(days=rng.randrange(0, 240)))
        # Stretch the milestones over 11-22 months so that most finish in 2027.
        latest = (date(2027, 11, 30) - start).days - 40
        span = rng.randrange(330, max(331, min(660, latest)))
        mean_gap = span / MILESTONES_PER_PROJECT
        day = start + timedelta(days=rng.randrange(10, 40))
        milestones = []
        for k in range(MILESTONES_PER_PROJECT):
            stage, choices = STAGES[k // 2]
            # two distinct names per stage, in list order
            if k % 2 == 0:
                pair = sorted(rng.sample(range(len(choices)), 2))
            mid, name = choices[pair[k % 2]]
            m: dict = {"id": mid, "name": name, "stage": stage}
            if k > 0 and rng.random() < 0.114:  # ≈10% of all milestones
                offset = rng.choice(OFFSETS)
                m["after"] = milestones[-1]["id"]
                m["offset"] = offset
                day = add_offset(milestones[-1]["_due"], offset)
                if offset.endswith("m") and rng.random() < 0.5:
                    m["roll"] = "next_workday"
                    day = weekday_on_or_after(day)
            elif k > 0:
                day = weekday_on_or_after(day + timedelta(days=max(20, int(rng.gauss(mean_gap, mean_gap / 4)))))
            else:
                day = weekday_on_or_after(day)
            m["_due"] = day
            if k > 0 and rng.random() < 0.114:  # ≈10% of all milestones
                m["depends"] = [milestones[-1]["id"]]
            if rng.random() < 0.3:
                m["owner"] = "_"  # filled in with a unit later
            if rng.random() < 0.5:
                m["progress"] = PROGRESS[k]
            milestones.append(m)
        last = milestones[-1]["_due"]
        finish = last + timedelta(days=rng.randrange(0, 45))
        projects.append({"i": i, "start": start, "finish": finish, "milestones": milestones})
    # Past milestones are done or overdue: aim at overdue / not-done ≈ 20%.
    past = sum(1 for p in projects for m in p["milestones"] if m["_due"] < as_of)
    future = sum(1 for p in projects for m in p["milestones"] if m["_due"] >= as_of)
    p_overdue = min(1.0, 0.25 * future / past) if past else 0.0
    for p in projects:
        for m in p["milestones"]:
            if m["_due"] < as_of and rng.random() >= p_overdue:
                done = m["_due"] + timedelta(days=rng.randrange(-7, 13))
                m["done"] = max(p["start"], min(done, as_of - timedelta(days=1)))
    return projects


PROBLEMS = [("施工用电接入滞后", "要素保障"), ("征迁协议未全部签订", "征迁"), ("项目资本金未到位", "资金"),
            ("施工许可手续未办结", "手续"), ("土地组卷报批滞后", "用地"), ("渣土消纳场地不足", "其他")]  # fmt: skip


def activity(project: dict, annual: int, rng: random.Random, as_of: date, counter: list[int]) -> list[str]:
    """Monthly reports up to ``as_of`` and zero to three problems for one project, as TOML lines."""
    out: list[str] = []
    start, finish = project["start"], project["finish"]
    day = date(start.year, start.month, 25)
    if day < start:
        day = date(start.year + (start.month == 12), start.month % 12 + 1, 25)
    progress = 0.0
    months = 0
    while day <= min(as_of, finish):
        months += 1
        progress = min(100.0, progress + rng.uniform(0.0, 9.0))
        out += ["  [[projects.reports]]", f"  on = {day.isoformat()}", f"  progress = {progress:.1f}"]
        if day.year == 2026 and rng.random() < 0.9:
            out.append(f"  invest = {round(annual / 12 * rng.uniform(0.3, 1.3))}")
        out += [f"  next = {s('下月完成' + rng.choice(['主体结构', '设备安装', '手续办理', '征迁签约']))}", ""]
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 25)
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        latest = min(as_of, finish) - timedelta(days=5)
        if latest <= start:
            break
        raised = start + timedelta(days=rng.randrange(0, (latest - start).days + 1))
        counter[0] += 1
        text, category = rng.choice(PROBLEMS)
        due = raised + timedelta(days=rng.randrange(14, 46))
        out += ["  [[projects.problems]]", f'  id = "P-{raised.year}-{counter[0]:05d}"', f"  text = {s(text)}"]
        out += [f"  category = {s(category)}", f"  raised = {raised.isoformat()}", f"  due = {due.isoformat()}"]
        roll = rng.random()
        solved = raised + timedelta(days=rng.randrange(5, 60))
        if roll < 0.55 and solved <= as_of:
            out.append(f"  solved = {solved.isoformat()}")
            closed = solved + timedelta(days=rng.randrange(0, 6))
            if rng.random() < 0.8 and closed <= as_of:
                out.append(f"  closed = {closed.isoformat()}")
        elif roll < 0.7 and due < as_of:
            on = due - timedelta(days=rng.randrange(-5, 5))
            on = max(on, raised)
            later = (due + timedelta(days=30)).isoformat()
            out += ["", "    [[projects.problems.extensions]]", f"    on = {on.isoformat()}", f"    due = {later}"]
            out.append(f"    reason = {s('设备到货延迟')}")
        out.append("")
    return out


def header(units: list[tuple[str, str]], people: list[tuple[str, str]], n: int) -> list[str]:
    out = [
        f"# Synthetic sanshi portfolio for benchmarks: {n} projects x {MILESTONES_PER_PROJECT} milestones.",
        "# Generated by bench/generate.py; all names, dates and addresses are fictitious.",
        "",
        "[settings]",
        f"title = {s('高新区“三十工程”重点项目（基准测试数据）')}",
        'timezone = "Asia/Shanghai"',
        'language = "zh"',
        "",
        "[calendar]",
        "strict = false",
        'roll = "none"',
        "",
        "[alerts]",
        "remind_workdays = 3",
        "red_after_days = 7",
        "repeat_days = 7",
        'pmo = ["pmo@example.gov.cn"]',
        "",
        "[smtp]",
        'host = "smtp.example.gov.cn"',
        "port = 465",
        'security = "ssl"',
        'username = "sanshi@example.gov.cn"',
        f"from = {s('高新区指挥部办公室 <sanshi@example.gov.cn>')}",
        "",
    ]
    for k, (uid, name) in enumerate(units):
        out += ["[[units]]", f"id = {s(uid)}", f"name = {s(name)}"]
        if k % 9 != 7:  # a few units without an address, like the sample
            out.append(f'email = ["{uid}@example.gov.cn"]')
        out.append("")
    for k, (pid, name) in enumerate(people):
        out += ["[[people]]", f"id = {s(pid)}", f"name = {s(name)}", f"title = {s('分包区领导（示例数据）')}"]
        if k % 4 != 3:
            out.append(f'email = "{pid}@example.gov.cn"')
        out.append("")
    return out


def render(
    projects: list[dict], rng: random.Random, n: int, extra: random.Random | None = None, as_of: date | None = None
) -> str:
    units = list(BASE_UNITS)
    for k in range(4 + n // 200):
        units.append((f"unit-{k + 1:03d}", f"{PLACES[k % len(PLACES)]}片区建设指挥部{k + 1}"))
    people = []
    for k in range(5 + n // 500):
        suffix = CHINESE_LEADERS[k % len(CHINESE_LEADERS)] + (str(k // len(CHINESE_LEADERS)) if k >= 10 else "")
        people.append((f"leader-{k + 1:03d}", f"示例领导{suffix}"))
    unit_ids = [u[0] for u in units]
    out = header(units, people, n)
    if extra is not None:
        out[out.index("[calendar]") - 1 : out.index("[calendar]") - 1] = ["report_every_days = 31"]
    counter = [0]
    for p in projects:
        i = p["i"]
        place, kind = PLACES[i % len(PLACES)], KINDS[(i // len(PLACES)) % len(KINDS)]
        lead, resp, coop1, coop2 = rng.sample(unit_ids, 4)
        total = rng.randrange(50, 1000) * 100
        leader = rng.choice(people)[0]
        annual = total // rng.randrange(2, 5)  # drawn in this order, as before the flag existed
        out += [
            f"# ---- {i + 1}. ----",
            "[[projects]]",
            f'id = "p{i + 1:05d}"',
            f"name = {s(f'{place}{kind}（{i + 1}）')}",
            f'leader = "{leader}"',
            f'lead_unit = "{lead}"',
            f'responsible_unit = "{resp}"',
            f'cooperating_units = ["{coop1}", "{coop2}"]',
            f"start = {p['start'].isoformat()}",
            f"finish = {p['finish'].isoformat()}",
            f"total_investment = {total}",
            f"annual_investment = {annual}",
            "",
        ]
        for m in p["milestones"]:
            out += [
                "  [[projects.milestones]]",
                f'  id = "{m["id"]}"',
                f"  name = {s(m['name'])}",
                f"  stage = {s(m['stage'])}",
            ]
            if "after" in m:
                out += [f'  after = "{m["after"]}"', f'  offset = "{m["offset"]}"']
                if "roll" in m:
                    out.append(f'  roll = "{m["roll"]}"')
            else:
                out.append(f"  due = {m['_due'].isoformat()}")
            if "done" in m:
                out.append(f"  done = {m['done'].isoformat()}")
            if "owner" in m:
                out.append(f'  owner = "{rng.choice(unit_ids)}"')
            if "progress" in m:
                out.append(f"  progress = {m['progress']}")
            if "depends" in m:
                out.append(f'  depends = ["{m["depends"][0]}"]')
            out.append("")
        if extra is not None and as_of is not None:
            out += activity(p, annual, extra, as_of, counter)
    return "\n".join(out) + "\n"


def generate(n: int, seed: int, as_of: date, activity: bool = False) -> tuple[str, dict[str, int]]:
    rng = random.Random(seed)
    projects = plan(n, rng, as_of)
    text = render(projects, rng, n, random.Random(seed + 1) if activity else None, as_of)
    ms = [m for p in projects for m in p["milestones"]]
    not_done = [m for m in ms if "done" not in m]
    stats = {
        "projects": n,
        "milestones": len(ms),
        "done": len(ms) - len(not_done),
        "overdue": sum(1 for m in not_done if m["_due"] < as_of),
        "not_done": len(not_done),
        "relative": sum(1 for m in ms if "after" in m),
        "depends": sum(1 for m in ms if "depends" in m),
        "bytes": len(text.encode("utf-8")),
    }
    return text, stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of projects")
    parser.add_argument("out", type=Path, help="TOML file to write")
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--as-of", default="2026-11-27", type=date.fromisoformat)
    parser.add_argument("--check", action="store_true", help="re-read the output with tomli")
    parser.add_argument(
        "--reports-and-problems",
        action="store_true",
        help="add monthly progress reports and a few problems per project (for bulletin, progress, problem list)",
    )
    parser.add_argument("--quiet", "-q", action="store_true")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    text, stats = generate(args.n, args.seed, args.as_of, args.reports_and_problems)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    if args.check:
        try:
            import tomli as toml_reader
        except ImportError:
            import tomllib as toml_reader
        data = toml_reader.loads(text)
        assert len(data["projects"]) == args.n
    if not args.quiet:
        share = stats["overdue"] / stats["not_done"] if stats["not_done"] else 0.0
        print(
            f"{args.out}: {stats['projects']} projects, {stats['milestones']} milestones "
            f"({stats['done']} done, {stats['overdue']} overdue = {share:.0%} of not done, "
            f"{stats['relative']} relative, {stats['depends']} with depends), "
            f"{stats['bytes'] / 1e6:.1f} MB",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
