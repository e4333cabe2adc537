"""A long fuzz campaign of the loader: every distinct crash, not just the first.

Runs the strategies of tests/test_fuzz.py (random bytes, mutated sample text, mutated
sample tables) through ``check``, ``status`` and ``plan --format json`` in-process, and
records each crash (an internal error, another exit code than 0/1/2, a traceback in the output,
a changed input file) by where it happened, keeping the shortest input that caused it.

    python bench/fuzz.py 20000            # examples per source; progress on stderr
    python bench/fuzz.py 2000 --source tables --out bench/out/fuzz

Crashing inputs go to ``--out`` (default bench/out/fuzz/) as ``crash-N.toml`` with a summary
in ``crashes.txt``. Exit 0 when nothing crashed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from tests.test_fuzz import COMMANDS, mutated_data, mutated_text  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

import sanshi_cli.cli  # noqa: E402

SOURCES = {
    "bytes": st.binary(max_size=4000),
    "text": mutated_text().map(lambda text: text.encode("utf-8", "surrogatepass")),
    "tables": mutated_data().map(lambda text: text.encode("utf-8", "surrogatepass")),
}


class Crash(Exception):
    """An outcome the property refuses, with where it came from."""


def _raise(error: BaseException, args: list[str]) -> None:
    raise error


def _where(error: BaseException) -> str:
    """The innermost frame in sanshi's own code: crashes at one place are one crash."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if "sanshi_cli" in f.filename]
    place = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return f"{type(error).__name__} at {place}"


def run_one(runner: CliRunner, path: Path, content: bytes) -> str | None:
    """None when every command survived; else a one-line signature of the crash."""
    path.write_bytes(content)
    for command in COMMANDS:
        try:
            result = runner.invoke(sanshi_cli.cli.app, [*command, "-f", str(path)], catch_exceptions=False)
        except Exception as error:
            return f"{command[0]}: {_where(error)}: {str(error)[:120]}"
        output = result.stdout + result.stderr
        if result.exit_code not in (0, 1, 2):
            return f"{command[0]}: exit {result.exit_code}"
        if "Traceback" in output:
            return f"{command[0]}: traceback in output"
        if path.read_bytes() != content:
            return f"{command[0]}: changed the file"
    return None


def run_campaign(source: str, examples: int, run: Callable[[bytes], str | None], crashes: dict[str, bytes]) -> int:
    """Run ``examples`` inputs of one source; record each crash's shortest input; return the count."""
    seen = 0

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(content=SOURCES[source])
    def campaign(content: bytes) -> None:
        nonlocal seen
        seen += 1
        signature = run(content)
        if signature is not None and (signature not in crashes or len(content) < len(crashes[signature])):
            if signature not in crashes:
                print(f"[{source}] new crash: {signature}", file=sys.stderr)
            crashes[signature] = content
        if seen % 500 == 0:
            print(f"[{source}] {seen} examples, {len(crashes)} crashes", file=sys.stderr)

    campaign()
    return seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("examples", type=int, nargs="?", default=20000, help="examples per source")
    parser.add_argument("--source", choices=[*SOURCES, "all"], default="all")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "fuzz")
    options = parser.parse_args()

    for name in [n for n in os.environ if n.startswith("SANSHI_")]:
        del os.environ[name]
    os.environ.update(NO_COLOR="1", COLUMNS="200")
    sanshi_cli.cli.report_internal_error = _raise  # type: ignore[assignment]
    options.out.mkdir(parents=True, exist_ok=True)
    runner = CliRunner()
    crashes: dict[str, bytes] = {}
    total = 0
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="sanshi-fuzz-"))
    path = folder / "projects.toml"
    os.chdir(folder)

    for source in SOURCES if options.source == "all" else [options.source]:
        total += run_campaign(source, options.examples, lambda content: run_one(runner, path, content), crashes)
        rate = total / (time.monotonic() - started)
        print(f"[{source}] done: {total} examples in all, {len(crashes)} crashes, {rate:.0f}/s", file=sys.stderr)

    summary = [f"{total} examples, {len(crashes)} distinct crashes"]
    for n, (signature, content) in enumerate(sorted(crashes.items())):
        (options.out / f"crash-{n}.toml").write_bytes(content)
        summary.append(f"crash-{n}.toml ({len(content)} bytes): {signature}")
    (options.out / "crashes.txt").write_text("\n".join(summary) + "\n", encoding="utf-8")
    print("\n".join(summary))
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
