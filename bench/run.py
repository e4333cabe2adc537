#!/usr/bin/env python3
"""Time the sanshi CLI and compare it with Taskwarrior; print a Markdown report.

    /tmp/venv/bin/python bench/run.py [--quick] [--profile] [--skip-taskwarrior] [--sanshi PATH]

Writes everything under bench/out/ (gitignored): the synthetic portfolios, results.md,
results.json and, with --profile, profile-10000.txt. Taskwarrior's data lives in a
temporary directory that is removed at the end. Progress goes to stderr; the report to
stdout. See bench/README.md for what each row means.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import uuid
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
SAMPLE = ROOT / "data" / "projects.toml"
AS_OF = "2026-11-27"
SEED = 20261127
T0 = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - T0:6.1f}s] {message}", file=sys.stderr, flush=True)


# -- running and measuring one child ----------------------------------------------------------


@dataclass
class Run:
    wall: float
    maxrss_kb: int
    code: int


@dataclass
class Result:
    case: str
    command: str
    runs: list[Run] = field(default_factory=list)
    note: str = ""
    listed: int | None = None
    skipped: str = ""

    @property
    def walls(self) -> list[float]:
        return [r.wall for r in self.runs]

    @property
    def median(self) -> float | None:
        return statistics.median(self.walls) if self.runs else None

    @property
    def best(self) -> float | None:
        return min(self.walls) if self.runs else None

    @property
    def peak_mb(self) -> float | None:
        return max(r.maxrss_kb for r in self.runs) / 1024 if self.runs else None

    def as_json(self) -> dict:
        return {
            "case": self.case,
            "command": self.command,
            "walls_s": [round(w, 4) for w in self.walls],
            "median_s": self.median,
            "best_s": self.best,
            "peak_rss_mb": self.peak_mb,
            "exit_codes": sorted({r.code for r in self.runs}),
            "listed": self.listed,
            "note": self.note,
            "skipped": self.skipped,
        }


def _gnu_time() -> str | None:
    """GNU time, to read each child's peak RSS (see run_once); None when absent."""
    path = shutil.which("time") or "/usr/bin/time"
    try:
        probe = subprocess.run([path, "-f", "%M", "true"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return path if probe.returncode == 0 and probe.stderr.strip().isdigit() else None


GNU_TIME = _gnu_time()


def run_once(cmd: list[str], *, env: dict[str, str] | None = None, stdout: Path | None = None) -> Run:
    """Run ``cmd`` once: wall time (perf_counter around the child) and the child's peak RSS.

    The peak RSS comes from GNU time (``%M``). Reading it from this process instead (os.wait4 or
    RUSAGE_CHILDREN) would be wrong: Linux carries the forking process's high-water RSS into
    the child's ru_maxrss across exec, so every child would seem at least as large as this
    script. GNU time is small, so its floor is ~2 MB. Without it, fall back to os.wait4 and
    say so in the report.
    """
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(open(stdout, "wb")) if stdout else subprocess.DEVNULL
        err = stack.enter_context(tempfile.TemporaryFile())
        rss_file = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "rss"
        full = [GNU_TIME, "-f", "%M", "-o", str(rss_file), *cmd] if GNU_TIME else cmd
        start = time.perf_counter()
        proc = subprocess.Popen(full, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):  # 1 = "attention" for sanshi --fail-on; anything else is a failure
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-2000:]
            raise RuntimeError(f"{' '.join(cmd)} exited {code}:\n{tail}")
        maxrss = usage.ru_maxrss
        if GNU_TIME:
            maxrss = int(rss_file.read_text().split()[-1])
    return Run(wall, maxrss, code)


def measure(
    case: str,
    cmd: list[str],
    runs: int,
    *,
    env: dict[str, str] | None = None,
    budget: float | None = None,
    shown: str | None = None,
    done: list[Run] | None = None,
) -> Result:
    """``runs`` runs of ``cmd`` (output to /dev/null), counting those ``done`` already;
    fewer when another run would take the total past ``budget`` seconds."""
    result = Result(case, shown or " ".join(cmd), list(done or []))
    spent = sum(r.wall for r in result.runs)
    for i in range(len(result.runs), runs):
        if budget is not None and result.runs and spent + result.runs[-1].wall > budget:
            result.note = f"stopped after {i} of {runs} runs (time budget {budget:.0f}s)"
            log(f"  {case}: {result.note}")
            break
        run = run_once(cmd, env=env)
        result.runs.append(run)
        spent += run.wall
        log(f"  {case}: run {i + 1}/{runs} {run.wall:.3f}s, {run.maxrss_kb / 1024:.0f} MB")
    return result


# -- pieces ---------------------------------------------------------------------------------


def find_sanshi(option: str | None) -> str:
    if option:
        return option
    beside = Path(sys.executable).with_name("sanshi")
    if beside.exists():
        return str(beside)
    found = shutil.which("sanshi")
    if found:
        return found
    sys.exit("bench/run.py: no `sanshi` found; pass --sanshi PATH or run with the venv's python")


def generate(n: int, python: str) -> tuple[Path, str]:
    path = OUT / f"portfolio-{n}.toml"
    proc = subprocess.run(
        [python, str(BENCH / "generate.py"), str(n), str(path), "--seed", str(SEED), "--as-of", AS_OF],
        capture_output=True,
        text=True,
        check=True,
    )
    summary = proc.stderr.strip().split(": ", 1)[-1]
    return path, summary


def status_cmd(sanshi: str, path: Path, *extra: str) -> list[str]:
    return [sanshi, "status", "--format", "json", "--as-of", AS_OF, "-f", str(path), *extra]


def count_items(sanshi: str, path: Path, *extra: str) -> tuple[int, int, Path]:
    """How many milestones the JSON lists, how many of them are overdue, and where it was saved."""
    target = OUT / f"status-{path.stem}{'-all' if extra else ''}.json"
    run_once(status_cmd(sanshi, path, *extra), stdout=target)
    items = json.loads(target.read_text("utf-8"))["items"]
    return len(items), sum(1 for i in items if i.get("state") == "overdue"), target


def ensure_task() -> str | None:
    """The ``task`` binary, installing Debian's taskwarrior when it is missing; None on failure."""
    found = shutil.which("task")
    if found:
        return found
    log("taskwarrior: `task` not found; installing Debian's taskwarrior (apt-get) ...")
    try:
        subprocess.run(["apt-get", "update", "-qq"], check=True, capture_output=True, timeout=300)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "taskwarrior"],
            check=True,
            capture_output=True,
            timeout=300,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    except (OSError, subprocess.SubprocessError) as error:
        detail = getattr(error, "stderr", b"") or b""
        log(
            "taskwarrior: could not install it "
            f"({error}; {detail.decode('utf-8', 'replace').strip()[-300:]}). "
            "Install it yourself (`sudo apt-get install taskwarrior`) and re-run; skipping the comparison."
        )
        return None
    return shutil.which("task")


def due_dates(sanshi: str, path: Path) -> dict[tuple[str, str], str]:
    """Every milestone's planned due date as sanshi computes it (relative ones resolved)."""
    _, _, target = count_items(sanshi, path, "--all")
    items = json.loads(target.read_text("utf-8"))["items"]
    return {(i["project"], i["milestone"]): i["due"] for i in items}


def taskwarrior_tasks(path: Path, dues: dict[tuple[str, str], str], with_depends: bool) -> list[dict]:
    """One task per milestone: description, project, due (end of the due day, UTC), depends by uuid4."""
    try:
        import tomli as toml_reader
    except ImportError:
        import tomllib as toml_reader
    data = toml_reader.loads(path.read_text("utf-8"))
    tasks = []
    for project in data["projects"]:
        uuids = {m["id"]: str(uuid.uuid4()) for m in project["milestones"]}
        for m in project["milestones"]:
            due = dues[(project["id"], m["id"])].replace("-", "")
            task = {
                "uuid": uuids[m["id"]],
                "description": f"{m['name']} ({m['id']})",
                "project": project["id"],
                "status": "pending",
                "entry": "20260101T000000Z",
                # overdue from the next day on, like sanshi's `due < as_of`
                "due": f"{due}T235959Z",
            }
            if with_depends and m.get("depends"):
                task["depends"] = ",".join(uuids[d] for d in m["depends"] if d in uuids)
            if "done" in m:
                task["status"] = "completed"
                task["end"] = m["done"].strftime("%Y%m%dT120000Z")
            tasks.append(task)
    return tasks


TASK_OPTS = [
    "rc.confirmation=off",
    "rc.hooks=off",
    "rc.verbose=nothing",
    "rc.gc=off",
    "rc.color=off",
    "rc._forcecolor=off",
    "rc.detection=off",
    "rc.defaultwidth=250",
    "rc.defaultheight=0",
    "rc.reserved.lines=0",
    "rc.recurrence=off",
]


def setup_taskdata(task: str, workdir: Path, name: str, tasks: list[dict]) -> tuple[dict[str, str], Result]:
    data = workdir / name
    data.mkdir()
    rc = workdir / f"{name}.taskrc"
    rc.write_text(
        "\n".join(
            [
                f"data.location={data}",
                "confirmation=off",
                "hooks=off",
                "verbose=nothing",
                "gc=off",
                "color=off",
                "detection=off",
                "recurrence=off",
                "",
            ]
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "TASKRC": str(rc), "TASKDATA": str(data), "TZ": "UTC", "PAGER": "cat"}
    import_file = workdir / f"{name}.json"
    import_file.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    cmd = [task, *TASK_OPTS, "import", str(import_file)]
    result = Result(f"task import ({name})", f"task import <{len(tasks)} tasks>")
    result.runs.append(run_once(cmd, env=env))
    return env, result


# -- profiling ------------------------------------------------------------------------------

PROFILE_SNIPPET = r"""
import cProfile, contextlib, io, pstats, sys, time
argv = sys.argv[1:]
t0 = time.perf_counter()
import sanshi_cli.cli as cli
t_import = time.perf_counter() - t0
sys.argv = ["sanshi", *argv]
import gc
gc_time = [0.0, 0.0, 0]  # seconds, start, full (generation 2) collections
def on_gc(phase, info):
    if phase == "start":
        gc_time[1] = time.perf_counter()
    else:
        gc_time[0] += time.perf_counter() - gc_time[1]
        gc_time[2] += info["generation"] == 2
gc.callbacks.append(on_gc)
profile = cProfile.Profile()
sink = io.StringIO()
# main() ends in os._exit (no interpreter teardown), which would end this process before the
# profile is written: for this one call it raises SystemExit instead, and main() runs as shipped.
import os
def exit_here(code):
    raise SystemExit(code)
os._exit = exit_here
profile.enable()
try:
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(io.StringIO()):
        cli.main()
except SystemExit:
    pass
profile.disable()
stats = pstats.Stats(profile)
total = stats.total_tt
phases = {}
wanted = {
    "read_text": "read the file", "parse_toml": "TOML parse (tomli)", "model_validate": "pydantic validation",
    "deepcopy": "  of which copy.deepcopy (mutable defaults)",
    "_check_references": "reference checks", "_check_milestone_dates": "milestone date checks",
    "__init__@locating.py": "Locator (line numbers for warnings)", "resolve_due_dates": "resolve relative due dates",
    "_check_scheduled": "checks on scheduled dates", "find_items": "find_items (status)",
    "forecast_dates": "  of which forecast_dates", "render_status": "render (JSON)",
}
for (filename, line, name), (cc, nc, tt, ct, callers) in stats.stats.items():
    key = name if name != "__init__" else f"__init__@{filename.rsplit('/', 1)[-1]}"
    if key in wanted:
        phases[wanted[key]] = phases.get(wanted[key], 0.0) + ct
import json
top = io.StringIO()
# below the Typer/Click wrappers, which only pass the cumulative time through
pstats.Stats(profile, stream=top).sort_stats("cumulative").print_stats(r"^(?!.*/typer/)", 15)
full = io.StringIO()
pstats.Stats(profile, stream=full).sort_stats("cumulative").print_stats(40)
pstats.Stats(profile, stream=full).sort_stats("tottime").print_stats(20)
phases = {v: phases[v] for v in wanted.values() if v in phases}
phases[f"cyclic GC, all generations ({gc_time[2]} full collections; spread over the phases above)"] = gc_time[0]
print(json.dumps({
    "import_s": t_import, "total_s": total,
    "phases": phases,
    "top15": top.getvalue(), "full": full.getvalue(),
}))
"""


def profile_status(python: str, path: Path) -> tuple[dict, str]:
    """cProfile of one status run (in a fresh interpreter) and the slowest imports."""
    args = ["status", "--format", "json", "--as-of", AS_OF, "-f", str(path)]
    proc = subprocess.run([python, "-c", PROFILE_SNIPPET, *args], capture_output=True, text=True, check=True)
    profile = json.loads(proc.stdout.strip().splitlines()[-1])
    imports = subprocess.run(
        [python, "-X", "importtime", "-c", "import sanshi_cli.cli"], capture_output=True, text=True, check=True
    ).stderr
    rows = []
    for line in imports.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    top_imports = "\n".join(f"{us / 1e6:8.3f}s cumulative  {name}" for us, name in sorted(rows, reverse=True)[:15])
    return profile, top_imports


# -- report ---------------------------------------------------------------------------------


def fmt_s(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def fmt_mb(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def table(results: list[Result], *, stat: str = "median") -> list[str]:
    lines = [
        f"| Case | Runs | {stat.capitalize()} s | Min s | Max s | Peak RSS MB | Listed | Notes |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        if r.skipped:
            lines.append(f"| {r.case} | 0 | – | – | – | – | – | {r.skipped} |")
            continue
        value = r.median if stat == "median" else r.best
        listed = "" if r.listed is None else f"{r.listed:,}"
        lines.append(
            f"| {r.case} | {len(r.runs)} | {fmt_s(value)} | {fmt_s(r.best)} | {fmt_s(max(r.walls))} "
            f"| {fmt_mb(r.peak_mb)} | {listed} | {r.note} |"
        )
    return lines


def environment(sanshi: str, task: str | None) -> list[str]:
    def first_line(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip().splitlines()[0]
        except (OSError, IndexError, subprocess.SubprocessError):
            return "?"

    commit = first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    dirty = first_line(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"])
    return [
        f"- Date: {time.strftime('%Y-%m-%d')} (sanshi judged `--as-of {AS_OF}`)",
        f"- Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}",
        f"- Python: {platform.python_version()} ({sys.executable})",
        f"- sanshi: `{first_line([sanshi, '--version'])}` at commit {commit}"
        + (" (src/ has uncommitted changes)" if dirty not in ("", "?") else ""),
        f"- Taskwarrior: {first_line([task, '--version']) if task else 'not available'}",
        "- Load average (1/5/15 min) at the end: "
        + " / ".join(f"{x:.2f}" for x in os.getloadavg())
        + f" on {os.cpu_count()} CPUs (other work on the machine skews the timings)",
        "- Wall time: perf_counter around each child; peak RSS: "
        + (
            "GNU time `%M` (the child's own ru_maxrss)"
            if GNU_TIME
            else "os.wait4 ru_maxrss (no GNU time: an upper bound that includes this script's own RSS at fork)"
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark sanshi (see bench/README.md).")
    parser.add_argument("--sanshi", help="sanshi executable (default: next to this python, else PATH)")
    parser.add_argument("--quick", action="store_true", help="fewer runs, no 10,000-project Taskwarrior runs")
    parser.add_argument("--profile", action="store_true", help="also cProfile status on 10,000 projects")
    parser.add_argument("--skip-taskwarrior", action="store_true")
    parser.add_argument(
        "--task-budget",
        type=float,
        default=330.0,
        help="seconds allowed for the repeated `task overdue` runs (default 330; at least one run)",
    )
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    sanshi = find_sanshi(args.sanshi)
    python = sys.executable
    sizes = [100, 1000, 10000]
    runs = 2 if args.quick else 5
    results: dict[str, list[Result]] = {"status": [], "other": [], "tw": [], "plan": []}
    summaries: dict[int, str] = {}
    files: dict[int, Path] = {}

    log(f"sanshi = {sanshi}; writing under {OUT}")
    for n in sizes:
        start = time.perf_counter()
        files[n], summaries[n] = generate(n, python)
        log(f"generated {n} projects in {time.perf_counter() - start:.1f}s: {summaries[n]}")

    # (a) status on 100 / 1,000 / 10,000 projects
    for n in sizes:
        log(f"(a) status on {n:,} projects ({runs} runs)")
        listed, overdue, _ = count_items(sanshi, files[n])
        r = measure(f"status, {n:,} projects", status_cmd(sanshi, files[n]), runs)
        r.listed = listed
        r.note = f"{n * 8:,} milestones, {files[n].stat().st_size / 1e6:.1f} MB; {overdue:,} listed are overdue"
        results["status"].append(r)

    # (b) the bundled sample
    log("(b) status on the bundled sample (10 runs)")
    r = measure("status, data/projects.toml", status_cmd(sanshi, SAMPLE), 3 if args.quick else 10)
    r.listed, overdue, _ = count_items(sanshi, SAMPLE)
    with SAMPLE.open("rb") as handle:
        projects = len(tomllib.load(handle).get("projects", []))
    r.note = f"bundled sample ({projects} projects); {overdue} listed are overdue"
    results["status"].append(r)

    # (c) start-up
    log("(c) start-up")
    first = measure("`sanshi --version`, first run", [sanshi, "--version"], 1)
    first.note = "first run of this benchmark (page cache not dropped, so not truly cold)"
    warm = 3 if args.quick else 10
    again = measure("`sanshi --version`", [sanshi, "--version"], warm)
    floor = measure("`python -c pass` (interpreter floor)", [python, "-c", "pass"], warm)
    imp = measure("`python -c 'import sanshi_cli.cli'`", [python, "-c", "import sanshi_cli.cli"], warm)
    results["other"] += [first, again, imp, floor]

    # (e) plan, when the command exists
    plan_help = subprocess.run([sanshi, "plan", "--help"], capture_output=True)
    plan_cmd = [sanshi, "plan", "--weekly", "--all", "--format", "csv", "-f", str(files[1000])]
    if plan_help.returncode == 0:
        log("(e) plan --weekly --all on 1,000 projects (3 runs)")
        try:
            results["plan"].append(measure("plan --weekly --all --format csv, 1,000 projects", plan_cmd, 3))
        except RuntimeError as error:
            results["plan"].append(Result("plan, 1,000 projects", " ".join(plan_cmd), skipped=f"failed: {error}"))
    else:
        results["plan"].append(
            Result("plan --weekly --all --format csv, 1,000 projects", " ".join(plan_cmd), skipped="no `sanshi plan`")
        )

    # (d) Taskwarrior
    task = None
    ratio_line = ""
    if args.skip_taskwarrior:
        log("(d) Taskwarrior comparison skipped (--skip-taskwarrior)")
    else:
        task = ensure_task()
    if task:
        n = 1000 if args.quick else 10000
        log(f"(d) Taskwarrior: importing {n * 8:,} milestones of the {n:,}-project portfolio")
        dues = due_dates(sanshi, files[n])
        with tempfile.TemporaryDirectory(prefix="sanshi-bench-tw-") as tmp:
            work = Path(tmp)
            env, imported = setup_taskdata(task, work, "deps", taskwarrior_tasks(files[n], dues, True))
            imported.note = f"{n * 8:,} tasks, ~10% with depends; completed ones for done milestones"
            env_nodeps, imported_nodeps = setup_taskdata(task, work, "nodeps", taskwarrior_tasks(files[n], dues, False))
            imported_nodeps.note = "same tasks without depends"
            log(f"  imported in {imported.runs[0].wall:.1f}s and {imported_nodeps.runs[0].wall:.1f}s")
            overdue = [task, *TASK_OPTS, "overdue"]
            listing = work / "overdue.txt"
            # Without depends first (seconds), then the real thing (about a minute a run at 80,000
            # tasks with Taskwarrior 2.6). Run 1 of each goes to a file, to count the lines it lists
            # (one per task with rc.verbose=nothing); the other runs go to /dev/null.
            tw_runs = []
            for label, environ, budget in (
                (f"`task overdue`, {n * 8:,} tasks, no depends", env_nodeps, None),
                (f"`task overdue`, {n * 8:,} tasks", env, None if args.quick else args.task_budget),
            ):
                log(f"  {label}: run 1/5 (counting what it lists)")
                first_run = run_once(overdue, env=environ, stdout=listing)
                listed = sum(1 for line in listing.read_text("utf-8", "replace").splitlines() if line.strip())
                log(f"  {label}: run 1/5 {first_run.wall:.3f}s, {first_run.maxrss_kb / 1024:.0f} MB, {listed:,} lines")
                r = measure(label, overdue, 5, env=environ, budget=budget, done=[first_run])
                r.listed = listed
                tw_runs.append(r)
            tw_nodeps, tw = tw_runs
        sanshi_row = next(r for r in results["status"] if r.case.startswith(f"status, {n:,}"))
        cmp_sanshi = Result(f"`sanshi status --format json`, {n:,} projects", sanshi_row.command, sanshi_row.runs)
        cmp_sanshi.listed = sanshi_row.listed
        cmp_sanshi.note = "the runs of (a); " + sanshi_row.note.split("; ", 1)[-1]
        results["tw"] = [cmp_sanshi, tw, tw_nodeps, imported, imported_nodeps]
        ratio = sanshi_row.best / tw.best
        ratio_nodeps = sanshi_row.best / tw_nodeps.best
        ratio_line = (
            f"**sanshi / task = {sanshi_row.best:.2f}s / {tw.best:.2f}s = {ratio:.3f}** (best of each; "
            f"< 1 means sanshi is faster). Against the same tasks without `depends`: "
            f"{sanshi_row.best:.2f}s / {tw_nodeps.best:.2f}s = {ratio_nodeps:.2f}."
        )

    profile: dict = {}
    top_imports = ""
    if args.profile:
        log("(f) profiling status on 10,000 projects (cProfile, -X importtime)")
        profile, top_imports = profile_status(python, files[10000])
        (OUT / "profile-10000.txt").write_text(
            f"import sanshi_cli.cli: {profile['import_s']:.3f}s; profiled run: {profile['total_s']:.3f}s\n\n"
            + profile["full"]
            + "\n-X importtime (top 15 by cumulative time)\n"
            + top_imports
            + "\n",
            "utf-8",
        )
    phases = profile.get("phases", {})

    # -- the report
    md = ["# sanshi benchmark", "", *environment(sanshi, task), ""]
    md += [f"Synthetic portfolios (`bench/generate.py`, seed {SEED}, as of {AS_OF}):", ""]
    md += [f"- {n:,}: {summaries[n]}" for n in sizes]
    md += ["", f"## (a, b) `sanshi status --format json --as-of {AS_OF} -f FILE`", ""]
    md += table(results["status"])
    md += ["", "Listed = milestones in the JSON output (red + yellow + blue).", ""]
    md += ["## (c) Start-up", ""]
    md += table(results["other"])
    md += ["", "## (e) `sanshi plan --weekly --all --format csv -f FILE`", ""]
    md += table(results["plan"])
    md += ["", "## (d) Taskwarrior comparison", ""]
    if results["tw"]:
        md += table(results["tw"], stat="best")
        md += [
            "",
            ratio_line,
            "",
            "Listed: sanshi = milestones in its JSON (overdue + at risk + due within 3 working days, "
            f"as of {AS_OF}); task = lines printed by `task overdue` (pending tasks due before now, "
            f"real clock: {time.strftime('%Y-%m-%d')}). Due dates are the end of the milestone's due day (UTC), "
            "so both count a milestone as overdue from the day after it is due.",
        ]
    else:
        md += ["Skipped (Taskwarrior not available or --skip-taskwarrior)."]
    if phases:
        md += ["", "## (f) Where the 10,000-project status run spends its time (cProfile, cumulative)", ""]
        md += ["| Phase | s |", "|---|---:|"]
        md += [f"| {name} | {seconds:.2f} |" for name, seconds in phases.items()]
        md += [
            "",
            f"Import of `sanshi_cli.cli` before the command: {profile['import_s']:.2f}s. "
            f"Profiled command: {profile['total_s']:.2f}s (with cProfile's overhead).",
            "",
            "Top 15 functions by cumulative time (Typer/Click wrappers left out):",
            "",
            "```",
            "\n".join(line for line in profile["top15"].strip().splitlines() if line.strip()),
            "```",
            "",
            "Slowest imports (`python -X importtime -c 'import sanshi_cli.cli'`, cumulative):",
            "",
            "```",
            top_imports,
            "```",
            "",
            "Full profile: `bench/out/profile-10000.txt`.",
        ]
    md.append("")
    report = "\n".join(md)
    (OUT / "results.md").write_text(report, "utf-8")
    raw = {k: [r.as_json() for r in v] for k, v in results.items()}
    raw["profile"] = profile
    (OUT / "results.json").write_text(json.dumps(raw, indent=1, ensure_ascii=False), "utf-8")
    print(report)
    log(f"done in {time.perf_counter() - T0:.0f}s; wrote {OUT / 'results.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
