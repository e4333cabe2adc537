#!/usr/bin/env python3
"""Time ``sanshi alert --dry-run`` against ``status`` on a portfolio with many units (issue 8).

    python bench/alert_audience.py [N] [--keep DIR]

Writes N units, N/20 lead officials and N projects (one per unit, each with one overdue
milestone, so N items), then runs ``status`` and ``alert --dry-run`` as of 2026-11-27 and prints
their wall-clock times. Before issue 8 the audience scanned every item for every unit, so
``alert`` grew with N squared (20,000 units: 70 s against 1.5 s for ``status``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def portfolio(n: int) -> str:
    people = max(1, n // 20)
    lines = [
        "[settings]",
        'title = "基准"',
        'timezone = "Asia/Shanghai"',
        "",
        "[alerts]",
        'pmo = ["pmo@example.gov.cn"]',
        "",
        "[smtp]",
        'host = "127.0.0.1"',
        'from = "sanshi@example.gov.cn"',
        "",
    ]
    for k in range(n):
        lines += ["[[units]]", f'id = "u{k}"', f'name = "单位{k}"', f'email = ["u{k}@example.gov.cn"]', ""]
    for k in range(people):
        lines += ["[[people]]", f'id = "p{k}"', f'name = "领导{k}"', f'email = ["p{k}@example.gov.cn"]', ""]
    for k in range(n):
        lines += [
            "[[projects]]",
            f'id = "x{k}"',
            f'name = "项目{k}"',
            f'leader = "p{k % people}"',
            f'lead_unit = "u{k}"',
            f'responsible_unit = "u{k}"',
            "start = 2026-01-05",
            "finish = 2026-12-31",
            "  [[projects.milestones]]",
            '  id = "m"',
            '  name = "施工许可证"',
            "  due = 2026-11-10",
            "",
        ]
    return "\n".join(lines)


def timed(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sanshi_cli", *args], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=20000, help="units (and projects)")
    parser.add_argument("--keep", type=Path, help="write the portfolio here and keep it")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = options.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "many-units.toml"
        path.write_text(portfolio(options.n), encoding="utf-8")
        common = ["-f", str(path), "--as-of", "2026-11-27"]
        status = timed("status", *common, "--format", "json")
        alert = timed("alert", *common, "--dry-run")
        print(f"{options.n} units and items: status {status:.1f} s, alert --dry-run {alert:.1f} s")


if __name__ == "__main__":
    main()
