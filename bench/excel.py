"""Time the Excel and bulletin commands on a synthetic portfolio: the weekly cycle and the documents.

    python bench/excel.py [PROJECTS] [--runs N]

Generates ``PROJECTS`` projects (default 1,000) with reports and problems (``generate.py
--reports-and-problems``), then times, each as a whole process, the best and median of N runs:
``bulletin`` in each of its formats, ``status``/``plan``/``progress`` with ``-o x.xlsx``,
``sheet`` (one workbook per unit), ``collect`` of every sheet filled as a unit would fill it
(a done date on each milestone row, 形象进度/投资/进展 on each report row, a solved date on each
problem row) as a preview and with ``--apply`` (on a fresh copy of the file each run), and
``import`` of the ledger that ``tests/make_ledger.py`` builds. Peak memory is the child's own
maximum RSS. Prints a Markdown table; writes nothing outside a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
AS_OF = "2026-12-01"


def sanshi() -> list[str]:
    beside = Path(sys.executable).parent / "sanshi"
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "sanshi_cli"]


def timed(args: list[str], cwd: Path, env: dict[str, str], runs: int, before=None) -> tuple[float, float, float]:
    """Best and median wall seconds, and the largest peak RSS in MB, of ``runs`` runs (after one warm-up)."""
    walls: list[float] = []
    peak = 0.0
    for n in range(runs + 1):
        if before is not None:
            before()
        with tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            child = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
            _, status, usage = os.wait4(child.pid, 0)
            wall = time.perf_counter() - start
            child.returncode = os.waitstatus_to_exitcode(status)
            if child.returncode not in (0, 1):
                err.seek(0)
                raise SystemExit(f"{' '.join(args)} exited {child.returncode}: {err.read().decode()[-800:]}")
        if n:
            walls.append(wall)
            peak = max(peak, usage.ru_maxrss / 1024)
    return min(walls), statistics.median(walls), peak


def fill(folder: Path) -> int:
    """Fill every sheet as a unit would; the number of rows filled."""
    import openpyxl

    filled = 0
    for path in sorted(folder.glob("*.xlsx")):
        book = openpyxl.load_workbook(path)
        sheet = book["填报"]
        header = {cell.value: cell.column for cell in sheet[2]}
        for row in sheet.iter_rows(min_row=3):
            kind = row[header["sanshi_kind"] - 1].value
            if kind in ("milestone", "problem"):
                row[header["完成日期"] - 1].value = date(2026, 12, 1)
            elif kind == "report":
                last = row[header["上次形象进度（%）"] - 1].value or 0
                row[header["形象进度（%）"] - 1].value = min(100, last + 3)
                row[header["本期完成投资（万元）"] - 1].value = 120
                row[header["本期进展"] - 1].value = "按计划推进"
            else:
                continue
            filled += 1
        book.save(path)
    return filled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("projects", nargs="?", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANSHI_") and k not in ("COLUMNS", "LINES")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # time sanshi from bytecode, as an installed package runs
    with tempfile.TemporaryDirectory(prefix="sanshi-excel-") as temp:
        work = Path(temp)
        env["SANSHI_CACHE_DIR"] = str(work / "cache")
        file = work / "big.toml"
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(options.projects), str(file),
                        "--reports-and-problems"], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        pristine = work / "pristine.toml"
        shutil.copy(file, pristine)
        cmd = sanshi()
        base = [*cmd]
        rows: list[tuple[str, tuple[float, float, float]]] = []

        def row(name: str, args: list[str], before=None) -> None:
            rows.append((name, timed([*base, *args], work, env, options.runs, before)))
            print(f"{name}: {rows[-1][1][0]:.2f} s", file=sys.stderr)

        common = ["-f", str(file), "--as-of", AS_OF]
        subprocess.run([*base, "check", *common], cwd=work, env=env, capture_output=True)  # the cache, warm
        for fmt in ("markdown", "html", "xlsx", "json"):
            row(f"`bulletin --month 2026-11 --format {fmt}`", ["bulletin", *common, "--month", "2026-11", "--format",
                                                                fmt, "-o", f"bulletin.{fmt}"])  # fmt: skip
        row("`status -o x.xlsx`", ["status", *common, "-o", "status.xlsx"])
        row("`plan -o x.xlsx`", ["plan", *common, "-o", "plan.xlsx"])
        row("`progress -o x.xlsx`", ["progress", *common, "-o", "progress.xlsx"])
        sheets = work / "sheets"
        row("`sheet` (a workbook per unit)", ["sheet", *common, "--dir", str(sheets)])
        filled = fill(sheets)
        inbox = [str(p) for p in sorted(sheets.glob("*.xlsx"))]
        row(f"`collect` preview ({len(inbox)} sheets, {filled:,} rows filled)", ["collect", *common, *inbox])

        def fresh() -> None:
            shutil.copy(pristine, file)

        row("`collect --apply` (the same)", ["collect", *common, "--apply", *inbox], before=fresh)
        sys.path.insert(0, str(ROOT / "tests"))
        from make_ledger import build  # type: ignore[import-not-found]

        ledger = work / "台账.xlsx"
        build(ledger)
        row("`import` (the test ledger)", ["import", str(ledger), "-o", "-"])
    print(f"| Command ({options.projects:,} projects) | Best s | Median s | Peak RSS MB |")
    print("|---|---:|---:|---:|")
    for name, (best, median, peak) in rows:
        print(f"| {name} | {best:.2f} | {median:.2f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
