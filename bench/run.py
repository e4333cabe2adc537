#!/usr/bin/env python3
"""Time the sanshi CLI against the targets of issue 10 and against its peers; print a Markdown report.

    /work/main/.venv/bin/python bench/run.py [--quick] [--profile] [--skip-peers] [--sanshi PATH]

One run measures: (1) start-up on the bundled sample, with a warm parse cache and without it;
(2) 10,000 projects (80,000 milestones): the parse cache warm, missed and off, tables against
JSON, plan CSV, check; (3) growth of every read command from 100 to 30,000 projects, without
the cache; (4) Taskwarrior and TaskJuggler (tj3) on the same milestones; (5) the environment.
Each target's row says pass or FAIL.

Writes everything under bench/out/ (gitignored): the synthetic portfolios, the parse cache
(SANSHI_CACHE_DIR is always set to bench/out/cache, so the user's cache is never touched),
results.md, results.json and, with --profile, profile-10000-*.txt. The peers' data live in a
temporary directory removed at the end. Progress goes to stderr; the report to stdout. See
bench/README.md for what each row means.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
CACHE = OUT / "cache"
SAMPLE = ROOT / "data" / "projects.toml"
AS_OF = "2026-11-27"
SEED = 20261127
BIG = 10_000
GROWTH = [100, 300, 1_000, 3_000, 10_000, 30_000]
PEER_SMALL = 125  # projects: 1,000 milestones
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
    limit_s: float | None = None  # the target for the best wall time
    limit_mb: float | None = None  # and for the peak RSS

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

    @property
    def target(self) -> str:
        parts = []
        if self.limit_s is not None:
            parts.append(f"≤ {self.limit_s:g} s")
        if self.limit_mb is not None:
            parts.append(f"≤ {self.limit_mb:g} MB")
        return ", ".join(parts)

    @property
    def passed(self) -> bool | None:
        """Whether the best run meets the time target and every run the memory target; None: no target."""
        if (self.limit_s is None and self.limit_mb is None) or not self.runs:
            return None
        ok = True
        if self.limit_s is not None:
            ok = ok and (self.best or 0.0) <= self.limit_s
        if self.limit_mb is not None:
            ok = ok and (self.peak_mb or 0.0) <= self.limit_mb
        return ok

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
            "target": self.target,
            "passed": self.passed,
        }


@dataclass
class Ratio:
    """One command as a table to a pipe against the same command's JSON to a pipe."""

    case: str
    table: Result
    json: Result
    limit: float = 1.3

    @property
    def value(self) -> float | None:
        if self.table.best is None or not self.json.best:
            return None
        return self.table.best / self.json.best

    @property
    def passed(self) -> bool | None:
        return None if self.value is None else self.value <= self.limit

    def as_json(self) -> dict:
        return {"case": self.case, "ratio": self.value, "limit": self.limit, "passed": self.passed}


def _gnu_time() -> str | None:
    """GNU time, to read each child's peak RSS (see run_once); None when absent."""
    path = shutil.which("time") or "/usr/bin/time"
    try:
        probe = subprocess.run([path, "-f", "%M", "true"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return path if probe.returncode == 0 and probe.stderr.strip().isdigit() else None


GNU_TIME = _gnu_time()
PIPE = "pipe"  # run_once(stdout=PIPE): the child writes into a pipe that this script drains


def run_once(cmd: list[str], *, env: dict[str, str] | None = None, stdout: Path | str | None = None) -> Run:
    """Run ``cmd`` once: wall time (perf_counter around the child) and the child's peak RSS.

    Output goes to /dev/null, to a file (``stdout=path``) or into a pipe read to its end
    (``stdout=PIPE``: what ``sanshi status | less`` sees; a pipe is not a terminal either).

    The peak RSS comes from GNU time (``%M``). Reading it from this process instead (os.wait4 or
    RUSAGE_CHILDREN) would be wrong: Linux carries the forking process's high-water RSS into
    the child's ru_maxrss across exec, so every child would seem at least as large as this
    script. GNU time is small, so its floor is ~2 MB. Without it, fall back to os.wait4 and
    say so in the report.
    """
    with contextlib.ExitStack() as stack:
        out: Any = subprocess.DEVNULL
        if stdout == PIPE:
            out = subprocess.PIPE
        elif stdout is not None:
            out = stack.enter_context(open(stdout, "wb"))
        err = stack.enter_context(tempfile.TemporaryFile())
        rss_file = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "rss"
        full = [GNU_TIME, "-f", "%M", "-o", str(rss_file), *cmd] if GNU_TIME else cmd
        start = time.perf_counter()
        proc = subprocess.Popen(full, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        if proc.stdout is not None:
            while proc.stdout.read(1 << 16):
                pass
            proc.stdout.close()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):  # 1 = "attention" (sanshi check with warnings, --fail-on); else a failure
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-2000:]
            raise RuntimeError(f"{' '.join(cmd)} exited {code}:\n{tail}")
        maxrss = usage.ru_maxrss
        if GNU_TIME:
            maxrss = int(rss_file.read_text().split()[-1])
    return Run(wall, maxrss, code)


def auto_runs(first: float, quick: bool) -> int:
    """How many runs a row gets, from its first run: best of 7 for start-up-sized rows, of 5
    under a second, of 3 from a second on; --quick: 3, or 1 from a second on."""
    if quick:
        return 1 if first >= 1.0 else 3
    if first >= 1.0:
        return 3
    return 5 if first >= 0.3 else 7


def measure(
    case: str,
    cmd: list[str],
    *,
    quick: bool,
    runs: int | None = None,
    env: dict[str, str] | None = None,
    before: Callable[[], None] | None = None,
    stdout: str | None = None,
    warmup: bool = False,
    shown: str | None = None,
    limit_s: float | None = None,
    limit_mb: float | None = None,
) -> Result:
    """Runs of ``cmd``: ``runs`` of them, else as many as :func:`auto_runs` says after the first.
    ``before`` runs (untimed) before each run; ``warmup`` adds one untimed run first."""
    result = Result(case, shown or " ".join(cmd), limit_s=limit_s, limit_mb=limit_mb)
    if warmup:
        if before:
            before()
        run_once(cmd, env=env, stdout=stdout)
    total = runs
    i = 0
    while total is None or i < total:
        if before:
            before()
        run = run_once(cmd, env=env, stdout=stdout)
        result.runs.append(run)
        if total is None:
            total = auto_runs(run.wall, quick)
        i += 1
        log(f"  {case}: run {i}/{total} {run.wall:.3f}s, {run.maxrss_kb / 1024:.0f} MB")
    return result


def shown_cmd(cmd: list[str], sanshi: str) -> str:
    """The command as the report shows it: `sanshi` for the executable, file names without folders."""
    words = ["sanshi" if w == sanshi else (Path(w).name if os.sep in w else w) for w in cmd]
    return " ".join(words)


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


def python_of(sanshi: str) -> str:
    """The Python that runs the ``sanshi`` script (its #! line), for the import and profile rows."""
    try:
        with open(sanshi, "rb") as handle:
            first = handle.readline().decode("utf-8", "replace").strip()
    except OSError:
        return sys.executable
    if first.startswith("#!"):
        words = first[2:].split()
        if words and Path(words[0]).name != "env" and Path(words[0]).exists():
            return words[0]
    return sys.executable


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


def ensure_binary(binary: str, package: str) -> tuple[str | None, str]:
    """``binary``, installing Debian's ``package`` with apt-get when it is missing; (path, why not)."""
    found = shutil.which(binary)
    if found:
        return found, ""
    log(f"`{binary}` not found; installing Debian's {package} (apt-get) ...")
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    try:
        subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, capture_output=True, timeout=300)
        subprocess.run(
            [*prefix, "apt-get", "install", "-y", "-qq", package],
            check=True,
            capture_output=True,
            timeout=600,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    except (OSError, subprocess.SubprocessError) as error:
        detail = (getattr(error, "stderr", b"") or b"").decode("utf-8", "replace").strip()
        reason = f"`apt-get install {package}` failed: {error}; {detail[-300:]}".strip("; ")
        log(f"{binary}: {reason}")
        return None, reason
    found = shutil.which(binary)
    return found, "" if found else f"`apt-get install {package}` did not provide `{binary}`"


def drop_cache() -> None:
    shutil.rmtree(CACHE, ignore_errors=True)


def due_dates(sanshi: str, path: Path) -> dict[tuple[str, str], str]:
    """Every milestone's planned due date as sanshi computes it (relative ones resolved)."""
    target = OUT / f"status-all-{path.stem}.json"
    run_once([sanshi, "status", "--all", "--format", "json", "--as-of", AS_OF, "-f", str(path)], stdout=target)
    items = json.loads(target.read_text("utf-8"))["items"]
    return {(i["project"], i["milestone"]): i["due"] for i in items}


def count_listed(sanshi: str, path: Path) -> tuple[int, int]:
    """How many milestones `status --format json` lists, and how many of them are overdue."""
    target = OUT / f"status-{path.stem}.json"
    run_once([sanshi, "status", "--format", "json", "--as-of", AS_OF, "-f", str(path)], stdout=target)
    items = json.loads(target.read_text("utf-8"))["items"]
    return len(items), sum(1 for i in items if i.get("state") == "overdue")


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
    "load@caching.py": "parse cache: look up and load (a hit, or the full load on a miss)",
    "store@caching.py": "parse cache: write",
    "read_text": "read the file", "parse_toml": "TOML parse (tomli)", "model_validate": "pydantic validation",
    "deepcopy": "  of which copy.deepcopy (mutable defaults)",
    "_check_references": "reference checks", "_check_milestone_dates": "milestone date checks",
    "__init__@locating.py": "Locator (line numbers for warnings)", "resolve_due_dates": "resolve relative due dates",
    "_check_scheduled": "checks on scheduled dates", "find_items": "find_items (status)",
    "forecast_dates": "  of which forecast_dates", "render_status": "render (JSON)",
}
for (filename, line, name), (cc, nc, tt, ct, callers) in stats.stats.items():
    key = f"{name}@{filename.rsplit('/', 1)[-1]}"
    key = key if key in wanted else name
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


def profile_status(python: str, path: Path, env: dict[str, str] | None = None) -> tuple[dict, str]:
    """cProfile of one status run (in a fresh interpreter, with ``env``) and the slowest imports.
    Without ``env``: this environment with the parse cache off (a full load, nothing written)."""
    if env is None:
        env = {**os.environ, "SANSHI_NO_CACHE": "1"}
    args = ["status", "--format", "json", "--as-of", AS_OF, "-f", str(path)]
    proc = subprocess.run([python, "-c", PROFILE_SNIPPET, *args], capture_output=True, text=True, check=True, env=env)
    profile = json.loads(proc.stdout.strip().splitlines()[-1])
    imports = subprocess.run(
        [python, "-X", "importtime", "-m", "sanshi_cli", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        env=env,
    ).stderr
    rows = []
    for line in imports.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    top_imports = "\n".join(f"{us / 1e6:8.3f}s cumulative  {name}" for us, name in sorted(rows, reverse=True)[:15])
    return profile, top_imports


# -- TaskJuggler ------------------------------------------------------------------------------


def _tj_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def _tj_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def tjp(path: Path, dues: dict[tuple[str, str], str]) -> str:
    """The portfolio as a TaskJuggler project: each project a task, each milestone a `milestone`
    subtask on sanshi's planned due date (`complete 100` when done), its `depends` kept, and a
    CSV task report (id, name, start, end, completion)."""
    data = tomllib.loads(path.read_text("utf-8"))
    out = [
        'project sanshi_bench "sanshi bench" 2026-01-01 +4y {',
        '  timezone "Asia/Shanghai"',
        f"  now {AS_OF}",
        "}",
        "",
    ]
    for project in data["projects"]:
        out.append(f"task p_{_tj_id(project['id'])} {_tj_str(project['name'])} {{")
        ids = {m["id"] for m in project["milestones"]}
        for m in project["milestones"]:
            out += [
                f"  task m_{_tj_id(m['id'])} {_tj_str(m['name'])} {{",
                "    milestone",
                f"    start {dues[(project['id'], m['id'])]}",
            ]
            depends = [d for d in m.get("depends", []) if d in ids]
            if depends:
                out.append("    depends " + ", ".join(f"!m_{_tj_id(d)}" for d in depends))
            if "done" in m:
                out.append("    complete 100")
            out.append("  }")
        out += ["}", ""]
    out += [
        'taskreport bench_report "bench-report" {',
        "  formats csv",
        "  columns id, name, start, end, complete",
        "}",
        "",
    ]
    return "\n".join(out)


# -- report ---------------------------------------------------------------------------------


def fmt_s(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def fmt_mb(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def verdict(passed: bool | None) -> str:
    return {True: "pass", False: "**FAIL**", None: ""}[passed]


def table(results: list[Result]) -> list[str]:
    lines = [
        "| Case | Runs | Best s | Median s | Max s | Peak RSS MB | Target | Result | Notes |",
        "|---|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for r in results:
        if r.skipped:
            lines.append(f"| {r.case} | 0 | – | – | – | – | {r.target} | skipped | {r.skipped} |")
            continue
        note = r.note + (f" Listed: {r.listed:,}." if r.listed is not None else "")
        lines.append(
            f"| {r.case} | {len(r.runs)} | {fmt_s(r.best)} | {fmt_s(r.median)} | {fmt_s(max(r.walls))} "
            f"| {fmt_mb(r.peak_mb)} | {r.target} | {verdict(r.passed)} | {note.strip()} |"
        )
    return lines


def ratio_table(ratios: list[Ratio]) -> list[str]:
    lines = [
        "| Command, 10,000 projects | Table s | JSON s | Table / JSON | Target | Result |",
        "|---|---:|---:|---:|---|---|",
    ]
    for q in ratios:
        value = "–" if q.value is None else f"{q.value:.2f}×"
        lines.append(
            f"| {q.case} | {fmt_s(q.table.best)} | {fmt_s(q.json.best)} | {value} "
            f"| ≤ {q.limit:g}× | {verdict(q.passed)} |"
        )
    return lines


def growth_tables(growth: dict[str, dict[int, Result]], sizes: list[int]) -> list[str]:
    """Per command: wall, µs per project, the marginal µs per project since the size before
    (start-up left out, so a linear command shows a flat column), and peak RSS; then a summary."""
    lines: list[str] = []
    summary = [
        "| Command | µs / project at 1,000 | at largest | marginal µs / project, smallest → largest step "
        "| RSS MB at 1,000 → largest |",
        "|---|---:|---:|---|---|",
    ]
    for command, by_size in growth.items():
        lines += [f"### `{command}`", ""]
        lines += [
            "| Projects | Milestones | Runs | Best s | µs / project | marginal µs / project "
            "| Peak RSS MB | KB / project |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        previous: tuple[int, float] | None = None
        marginals: list[str] = []
        for n in sizes:
            r = by_size.get(n)
            if r is None or r.best is None:
                lines.append(f"| {n:,} | {n * 8:,} | 0 | – | – | – | – | – |")
                continue
            per = r.best / n * 1e6
            marginal = "–"
            if previous is not None:
                marginal = f"{(r.best - previous[1]) / (n - previous[0]) * 1e6:,.0f}"
                marginals.append(marginal)
            previous = (n, r.best)
            kb = (r.peak_mb or 0.0) * 1024 / n
            lines.append(
                f"| {n:,} | {n * 8:,} | {len(r.runs)} | {fmt_s(r.best)} | {per:,.0f} | {marginal} "
                f"| {fmt_mb(r.peak_mb)} | {kb:,.1f} |"
            )
        lines.append("")
        done = [n for n in sizes if n in by_size and by_size[n].best is not None]
        if done and 1000 in by_size:
            largest = max(done)
            at_1000 = by_size[1000]
            top = by_size[largest]
            summary.append(
                f"| `{command}` | {(at_1000.best or 0) / 1000 * 1e6:,.0f} | {(top.best or 0) / largest * 1e6:,.0f} "
                f"({largest:,}) | {' → '.join(marginals)} | {fmt_mb(at_1000.peak_mb)} → {fmt_mb(top.peak_mb)} |"
            )
    return ["#### Summary", "", *summary, "", *lines]


def environment(sanshi: str, python: str, peers: dict[str, str]) -> list[str]:
    def first_line(cmd: list[str], env: dict[str, str] | None = None) -> str:
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30, env=env)
            return (proc.stdout.strip() or proc.stderr.strip()).splitlines()[0]
        except (OSError, IndexError, subprocess.SubprocessError):
            return "?"

    module = first_line([python, "-c", "import sanshi_cli, sys; print(sanshi_cli.__file__)"])
    source = Path(module).parent if module.endswith(".py") else ROOT
    commit = first_line(["git", "-C", str(source), "rev-parse", "--short", "HEAD"])
    dirty = first_line(["git", "-C", str(source), "status", "--porcelain", "--", "."])
    versions = first_line(
        [
            python,
            "-c",
            "import importlib.metadata as m\n"
            "def v(p):\n"
            "    try:\n"
            "        return f'{p} {m.version(p)}'\n"
            "    except m.PackageNotFoundError:\n"
            "        return f'{p} absent'\n"
            "print(', '.join(v(p) for p in ('typer', 'click', 'pydantic', 'rich', 'tomli', 'rtoml', "
            "'chinesecalendar', 'platformdirs')))",
        ]
    )
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return [
        f"- Date: {time.strftime('%Y-%m-%d %H:%M %Z')} (sanshi judged `--as-of {AS_OF}`)",
        f"- Machine: {cpu}; {os.cpu_count()} CPUs; {platform.platform()}",
        f"- Python: {first_line([python, '-VV'])} ({python})",
        f"- sanshi: `{first_line([sanshi, '--version'])}` from {source} at commit {commit}"
        + (" (with uncommitted changes)" if dirty not in ("", "?") else ""),
        f"- Libraries: {versions}",
        *(f"- {name}: {version}" for name, version in peers.items()),
        "- Load average (1/5/15 min) at the end: "
        + " / ".join(f"{x:.2f}" for x in os.getloadavg())
        + f" on {os.cpu_count()} CPUs (other work on the machine skews the timings)",
        "- Wall time: perf_counter around each child, start-up included; peak RSS: "
        + (
            "GNU time `%M` (the child's own ru_maxrss)"
            if GNU_TIME
            else "os.wait4 ru_maxrss (no GNU time: an upper bound that includes this script's own RSS at fork)"
        ),
        f"- Parse cache: SANSHI_CACHE_DIR={CACHE} (removed at the start); ‘warm’ = a cache hit, "
        "‘no cache’ = SANSHI_NO_CACHE=1, ‘cache miss’ = the cache folder deleted before each run",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark sanshi (see bench/README.md).")
    parser.add_argument("--sanshi", help="sanshi executable (default: next to this python, else PATH)")
    parser.add_argument(
        "--quick", action="store_true", help="fewer runs, growth up to 10,000 projects, peers at 1,000 milestones only"
    )
    parser.add_argument("--profile", action="store_true", help="also cProfile status on 10,000 projects")
    parser.add_argument("--skip-peers", "--skip-taskwarrior", action="store_true", help="no Taskwarrior, no tj3")
    args = parser.parse_args(argv)
    quick: bool = args.quick
    OUT.mkdir(parents=True, exist_ok=True)
    drop_cache()
    os.environ["SANSHI_CACHE_DIR"] = str(CACHE)  # every child, the profiler included: never ~/.cache
    os.environ.pop("SANSHI_NO_CACHE", None)
    for name in ("SANSHI_FILE", "COLUMNS", "LINES"):  # a pipe then gets the wide layout, unwrapped
        os.environ.pop(name, None)
    # As a user's installed package runs: from bytecode. pip compiles it at install time; an
    # editable install, or a shell with PYTHONDONTWRITEBYTECODE set, would otherwise recompile
    # sanshi's sources on every start (about 0.05 s).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    warm_env = dict(os.environ)
    cold_env = {**os.environ, "SANSHI_NO_CACHE": "1"}
    sanshi = find_sanshi(args.sanshi)
    python = python_of(sanshi)
    subprocess.run([python, "-c", "import compileall, sanshi_cli, os; "
                    "compileall.compile_dir(os.path.dirname(sanshi_cli.__file__), quiet=1)"], check=False)  # fmt: skip
    sizes = [n for n in GROWTH if not (quick and n > BIG)]
    log(f"sanshi = {sanshi} (python {python}); writing under {OUT}")

    def show(cmd: list[str]) -> str:
        return shown_cmd(cmd, sanshi)

    files: dict[int, Path] = {}
    summaries: dict[int, str] = {}
    for n in sorted({*sizes, PEER_SMALL}):
        start = time.perf_counter()
        files[n], summaries[n] = generate(n, sys.executable)
        log(f"generated {n:,} projects in {time.perf_counter() - start:.1f}s: {summaries[n]}")

    # (1) start-up on the bundled sample
    log("(1) start-up")
    startup: list[Result] = []
    sample = ["--as-of", AS_OF, "-f", str(SAMPLE)]
    startup.append(measure("`sanshi --version`", [sanshi, "--version"], quick=quick, warmup=True, limit_s=0.03))
    startup.append(measure("`sanshi --help`", [sanshi, "--help"], quick=quick, warmup=True, limit_s=0.10))
    for name, words in (("status", ["status"]), ("plan --weekly", ["plan", "--weekly"]), ("check", ["check"])):
        cmd = [sanshi, *words, *sample]
        startup.append(
            measure(f"`sanshi {name}`, warm cache", cmd, quick=quick, warmup=True, limit_s=0.15, shown=show(cmd))
        )
        startup.append(measure(f"`sanshi {name}`, no cache", cmd, quick=quick, env=cold_env, shown=show(cmd)))
    floor = measure("`python -c pass` (the interpreter's floor)", [python, "-c", "pass"], quick=quick, warmup=True)
    imp = measure(
        "`python -c 'import sanshi_cli.cli'`", [python, "-c", "import sanshi_cli.cli"], quick=quick, warmup=True
    )
    startup += [imp, floor]

    # (2) 10,000 projects
    log(f"(2) {BIG:,} projects")
    big = files[BIG]
    common = ["--as-of", AS_OF, "-f", str(big)]
    status_json = [sanshi, "status", "--format", "json", *common]
    listed, overdue = count_listed(sanshi, big)
    size_note = f"{BIG * 8:,} milestones, {big.stat().st_size / 1e6:.1f} MB."
    large: list[Result] = []
    r = measure(
        "`status --format json`, warm cache",
        status_json,
        quick=quick,
        warmup=True,
        limit_s=1.0,
        shown=show(status_json),
    )
    r.note, r.listed = f"{size_note} {overdue:,} of those listed are overdue.", listed
    large.append(r)
    large.append(
        measure(
            "`status --format json`, cache miss (the cache write included)",
            status_json,
            quick=quick,
            before=drop_cache,
            limit_s=2.0,
            shown=show(status_json),
        )
    )
    large.append(
        measure(
            "`status --format json --no-cache`",
            [*status_json, "--no-cache"],
            quick=quick,
            shown=show([*status_json, "--no-cache"]),
        )
    )
    run_once(status_json)  # warm the cache again for the rows below
    ratios: list[Ratio] = []
    for name, words in (("status", ["status"]), ("plan --weekly --all", ["plan", "--weekly", "--all"])):
        as_table = [sanshi, *words, *common]
        as_json = [sanshi, *words, "--format", "json", *common]
        t = measure(f"`{name}` table to a pipe, warm cache", as_table, quick=quick, stdout=PIPE, shown=show(as_table))
        j = measure(
            f"`{name} --format json` to a pipe, warm cache", as_json, quick=quick, stdout=PIPE, shown=show(as_json)
        )
        large += [t, j]
        ratios.append(Ratio(f"`{name}`", t, j))
    plan_csv = [sanshi, "plan", "--weekly", "--all", "--format", "csv", *common]
    large.append(
        measure(
            "`plan --weekly --all --format csv`, warm cache", plan_csv, quick=quick, limit_s=5.0, shown=show(plan_csv)
        )
    )
    check = [sanshi, "check", *common]
    large.append(measure("`check`, warm cache", check, quick=quick, limit_s=2.0, limit_mb=300, shown=show(check)))
    large.append(
        measure("`check`, no cache", check, quick=quick, env=cold_env, limit_s=2.0, limit_mb=300, shown=show(check))
    )

    # (3) growth, without the parse cache
    log("(3) growth, SANSHI_NO_CACHE=1")
    commands: list[tuple[str, list[str], str | None]] = [
        ("status --format json", ["status", "--format", "json"], None),
        ("status (table, to a pipe)", ["status"], PIPE),
        ("plan --weekly --all --format csv", ["plan", "--weekly", "--all", "--format", "csv"], None),
        ("check", ["check"], None),
        ("alert --dry-run", ["alert", "--dry-run"], None),
        ("progress", ["progress"], None),
    ]
    growth: dict[str, dict[int, Result]] = {name: {} for name, _, _ in commands}
    for n in sizes:
        for name, words, stdout in commands:
            cmd = [sanshi, *words, "--as-of", AS_OF, "-f", str(files[n])]
            if words[0] == "alert":  # never the default state file beside the portfolio
                cmd += ["--state", str(OUT / f"alert-state-{n}.json")]
            growth[name][n] = measure(f"{name}, {n:,}", cmd, quick=quick, env=cold_env, stdout=stdout, shown=show(cmd))

    # (4) peers
    peers: list[Result] = []
    peer_versions: dict[str, str] = {}
    peer_notes: list[str] = []
    if args.skip_peers:
        log("(4) peers skipped (--skip-peers)")
    else:
        log("(4) peers")
        small = files[PEER_SMALL]
        small_common = ["--as-of", AS_OF, "-f", str(small)]
        s_json = [sanshi, "status", "--format", "json", *small_common]
        s_plan = [sanshi, "plan", "--weekly", "--all", "--format", "csv", *small_common]
        peers.append(
            measure(
                "sanshi `status --format json`, 1,000 milestones, warm cache",
                s_json,
                quick=quick,
                warmup=True,
                shown=show(s_json),
            )
        )
        peers.append(
            measure(
                "sanshi `status --format json`, 1,000 milestones, no cache",
                s_json,
                quick=quick,
                env=cold_env,
                shown=show(s_json),
            )
        )
        peers.append(
            measure(
                "sanshi `plan --weekly --all --format csv`, 1,000 milestones, no cache",
                s_plan,
                quick=quick,
                env=cold_env,
                shown=show(s_plan),
            )
        )
        for r in large[:3]:
            peers.append(Result(f"sanshi {r.case}, 80,000 milestones", r.command, r.runs, note="the runs of section 2"))

        task, why = ensure_binary("task", "taskwarrior")
        tw_sizes = [PEER_SMALL] if quick else [PEER_SMALL, BIG]
        if task:
            peer_versions["Taskwarrior"] = subprocess.run(
                [task, "--version"], capture_output=True, text=True
            ).stdout.strip()
            with tempfile.TemporaryDirectory(prefix="sanshi-bench-tw-") as tmp:
                work = Path(tmp)
                for n in tw_sizes:
                    m = n * 8
                    dues = due_dates(sanshi, files[n])
                    log(f"  Taskwarrior: importing {m:,} milestones twice (with and without depends)")
                    env_deps, imported = setup_taskdata(
                        task, work, f"deps-{n}", taskwarrior_tasks(files[n], dues, True)
                    )
                    env_nodeps, imported_nodeps = setup_taskdata(
                        task, work, f"nodeps-{n}", taskwarrior_tasks(files[n], dues, False)
                    )
                    imported.case = f"`task import`, {m:,} tasks, ~10 % with depends"
                    imported_nodeps.case = f"`task import`, {m:,} tasks, no depends"
                    overdue_cmd = [task, *TASK_OPTS, "overdue"]
                    shown = "task rc.… overdue"
                    listing = work / f"overdue-{n}.txt"
                    for label, environ, fixed in (
                        (f"`task overdue`, {m:,} tasks, no depends", env_nodeps, None),
                        (f"`task overdue`, {m:,} tasks, ~10 % with depends", env_deps, 1 if n == BIG else None),
                    ):
                        if fixed is None:  # counted once, to a file: one line per task (rc.verbose=nothing)
                            run_once(overdue_cmd, env=environ, stdout=listing)
                        r = measure(label, overdue_cmd, quick=quick, env=environ, runs=fixed, shown=shown)
                        if fixed is None:
                            r.listed = sum(
                                1 for line in listing.read_text("utf-8", "replace").splitlines() if line.strip()
                            )
                        else:
                            r.note = "one run only: 40-80 s each at this size."
                        peers.append(r)
                    peers += [imported, imported_nodeps]
            if quick:
                peers.append(Result("`task overdue`, 80,000 tasks", "", skipped="--quick: 1,000 milestones only"))
        else:
            peers.append(Result("Taskwarrior", "", skipped=why))

        tj3, why = ensure_binary("tj3", "tj3")
        if tj3:
            peer_versions["TaskJuggler"] = (
                subprocess.run([tj3, "--version"], capture_output=True, text=True).stdout.strip().splitlines()[0]
            )
            with tempfile.TemporaryDirectory(prefix="sanshi-bench-tj3-") as tmp:
                source = Path(tmp) / f"portfolio-{PEER_SMALL}.tjp"
                source.write_text(tjp(small, due_dates(sanshi, small)), "utf-8")
                cmd = [tj3, "--silent", "--no-color", "-o", tmp, str(source)]
                try:
                    r = measure(
                        f"`tj3` CSV task report, {PEER_SMALL * 8:,} milestones",
                        cmd,
                        quick=quick,
                        shown="tj3 --silent --no-color -o DIR portfolio.tjp",
                    )
                    report_csv = Path(tmp) / "bench-report.csv"
                    r.listed = (
                        max(0, len(report_csv.read_text("utf-8").splitlines()) - 1) if report_csv.exists() else None
                    )
                    r.note = "projects as tasks, milestones as milestone subtasks on sanshi's due dates, depends kept."
                    peers.append(r)
                except RuntimeError as error:
                    peers.append(Result("tj3", " ".join(cmd), skipped=f"tj3 failed: {str(error)[-300:]}"))
        else:
            peers.append(Result("tj3 (TaskJuggler)", "", skipped=why))
        peer_notes = [
            "Taskwarrior: `task overdue` lists pending tasks due before **now** (the real clock, "
            f"{time.strftime('%Y-%m-%d')}), sanshi judges `--as-of {AS_OF}` and also lists yellow and blue items, "
            "so the counts differ; due = the end of sanshi's planned due day (UTC). Listed = lines printed.",
            "tj3: listed = rows of its CSV report (projects and milestones).",
        ]

    # profile
    profiles: list[tuple[str, dict, str]] = []
    if args.profile:
        for label, env in (("no cache (SANSHI_NO_CACHE=1)", cold_env), ("warm cache", warm_env)):
            log(f"(profile) status on {BIG:,} projects, {label}")
            run_once(status_json)
            profile, top_imports = profile_status(python, big, env)
            slug = "nocache" if env is cold_env else "warm"
            (OUT / f"profile-{BIG}-{slug}.txt").write_text(
                f"import sanshi_cli.cli: {profile['import_s']:.3f}s; profiled run: {profile['total_s']:.3f}s\n\n"
                + profile["full"]
                + "\n-X importtime -m sanshi_cli status … (top 15 by cumulative time)\n"
                + top_imports
                + "\n",
                "utf-8",
            )
            profiles.append((label, profile, top_imports))

    # the report
    elapsed = time.perf_counter() - T0
    md = ["# sanshi benchmark", "", *environment(sanshi, python, peer_versions)]
    md += [f"- This run: {elapsed / 60:.1f} min{' (`--quick`)' if quick else ''}", ""]
    md += [f"Synthetic portfolios (`bench/generate.py N FILE --seed {SEED} --as-of {AS_OF}`):", ""]
    md += [f"- {n:,}: {summaries[n]}" for n in sorted(summaries)]
    md += ["", "Best = the fastest run (targets are judged on it; peak RSS on the largest run).", ""]
    md += [f"## 1. Start-up: the bundled sample, `--as-of {AS_OF}`, output to /dev/null", ""]
    md += table(startup)
    md += ["", f"## 2. {BIG:,} projects ({BIG * 8:,} milestones)", ""]
    md += table(large)
    md += ["", "Tables against JSON (both to a pipe, warm cache, best runs):", ""]
    md += ratio_table(ratios)
    md += [
        "",
        f"## 3. Growth: {', '.join(f'{n:,}' for n in sizes)} projects, no parse cache (SANSHI_NO_CACHE=1)",
        "",
        "Every command reads and validates the whole file here (cold: what a first run or a changed file costs). "
        "µs / project includes start-up; marginal µs / project = (this time − the time at the size before) / "
        "(projects added), start-up left out: a linear command keeps it flat. "
        "The synthetic files have no `[[projects.reports]]`, so `progress` judges milestones and investment only.",
        "",
    ]
    md += growth_tables(growth, sizes)
    md += ["## 4. Peers on the same milestones", ""]
    if args.skip_peers:
        md += ["Skipped (--skip-peers)."]
    else:
        md += table(peers)
        md += ["", *(f"- {line}" for line in peer_notes)]
    for label, profile, top_imports in profiles:
        md += ["", f"## Profile: `status --format json`, {BIG:,} projects, {label} (cProfile, cumulative)", ""]
        md += ["| Phase | s |", "|---|---:|"]
        md += [
            f"| {'↳ ' + name.strip() if name.startswith(' ') else name} | {seconds:.2f} |"
            for name, seconds in profile["phases"].items()
        ]
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
            "Slowest imports of the same command (`python -X importtime -m sanshi_cli status …`, cumulative):",
            "",
            "```",
            top_imports,
            "```",
        ]
    if profiles:
        md += ["", f"Full profiles: `bench/out/profile-{BIG}-nocache.txt`, `bench/out/profile-{BIG}-warm.txt`."]
    results = [*startup, *large, *(r for by in growth.values() for r in by.values()), *peers]
    failed = [r.case for r in results if r.passed is False] + [q.case + " ratio" for q in ratios if q.passed is False]
    judged = sum(1 for r in results if r.passed is not None) + len(ratios)
    md += ["", "## Targets", "", f"{judged - len(failed)} of {judged} targets met."]
    if failed:
        md += ["Missed: " + "; ".join(failed) + "."]
    md.append("")
    report = "\n".join(md)
    (OUT / "results.md").write_text(report, "utf-8")
    raw = {
        "startup": [r.as_json() for r in startup],
        "large": [r.as_json() for r in large],
        "ratios": [q.as_json() for q in ratios],
        "growth": {name: {str(n): r.as_json() for n, r in by.items()} for name, by in growth.items()},
        "peers": [r.as_json() for r in peers],
        "profiles": {label: profile for label, profile, _ in profiles},
        "elapsed_s": elapsed,
    }
    (OUT / "results.json").write_text(json.dumps(raw, indent=1, ensure_ascii=False), "utf-8")
    print(report)
    log(f"done in {elapsed:.0f}s; wrote {OUT / 'results.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
