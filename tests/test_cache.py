"""The parse cache: a hit gives exactly what a full load gives, and anything that could change
the answer is a miss (a full load, silently) — never an error, never a stale portfolio."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

import sanshi_cli
from sanshi_cli.caching import ParseCache, cache_file
from sanshi_cli.loading import Loaded, load_portfolio
from tests.conftest import MINIMAL, SAMPLE, UNITS_AND_PEOPLE, Result

AS_OF = "2026-11-27"
Sanshi = Callable[..., Result]

# Warnings stored with the portfolio (the notice, the port, a report outside the span, a rest
# day) and one found on demand by `check` (an invisible character in a name).
WARNED = f"""\
[smtp]
host = "smtp.example.gov.cn"
port = 587
security = "ssl"

[calendar.years.2026]
holidays = [2026-10-01, 2026-10-03]
workdays = [2026-09-28]

{UNITS_AND_PEOPLE}
[[projects]]
id = "road"
name = "道路\u200b工程"
leader = "leader-a"
lead_unit = "jsj"
responsible_unit = "zrzy"
start = 2026-03-01
finish = 2026-12-31

  [[projects.milestones]]
  id = "design"
  name = "设计"
  due = 2026-11-28

  [[projects.milestones]]
  id = "build"
  name = "施工"
  after = "design"
  offset = "5wd"
  done = 2026-11-20

  [[projects.reports]]
  on = 2027-02-01
  progress = 40
  text = "进展"
"""


def _generated(n: int) -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    try:
        import generate  # bench/generate.py
    finally:
        sys.path.pop(0)
    text, _ = generate.generate(n, 7, date(2026, 11, 27))
    return str(text)


def _stamp(path: Path) -> tuple[int, int]:
    """Which file is there: a miss replaces the cache file (a new inode), a hit leaves it."""
    found = path.stat()
    return found.st_ino, found.st_mtime_ns


def _same(fresh: Loaded, cached: Loaded) -> None:
    assert cached.portfolio is not fresh.portfolio
    assert cached.portfolio == fresh.portfolio
    assert cached.portfolio == fresh.portfolio
    assert cached.due == fresh.due
    assert {p: [m.id for m in order] for p, order in cached.orders.items()} == {
        p: [m.id for m in order] for p, order in fresh.orders.items()
    }
    for project in cached.portfolio.projects:  # the orders hold the portfolio's own milestones
        assert all(any(m is n for n in project.milestones) for m in cached.orders[project.id])
    assert cached.units == fresh.units and cached.people == fresh.people
    assert cached.warnings == fresh.warnings
    assert cached.calendar.uncovered == fresh.calendar.uncovered
    assert cached.text == fresh.text and cached.path == fresh.path
    today = date(2026, 11, 27)
    assert cached.find_warnings(today) == fresh.find_warnings(today)


@pytest.mark.parametrize(
    "text",
    [SAMPLE.read_text(encoding="utf-8"), MINIMAL, WARNED, _generated(150)],
    ids=["sample", "minimal", "warned", "generated"],
)
def test_a_hit_holds_exactly_what_a_full_load_gives(text: str, tmp_path: Path) -> None:
    path = tmp_path / "projects.toml"
    path.write_text(text, encoding="utf-8")
    cache = ParseCache(tmp_path / "cache")
    fresh = load_portfolio(path, "projects.toml")
    stored = cache.load(path, "projects.toml")  # a miss: loaded in full, then stored
    written = _stamp(cache_file(cache.folder, path))
    _same(fresh, stored)
    _same(fresh, cache.load(path, "projects.toml"))
    assert _stamp(cache_file(cache.folder, path)) == written  # a hit: read, not written again


def test_the_file_as_the_user_names_it_is_not_stored(tmp_path: Path) -> None:
    path = tmp_path / "projects.toml"
    path.write_text(WARNED, encoding="utf-8")
    cache = ParseCache(tmp_path / "cache")
    cache.load(path, "projects.toml")
    hit = cache.load(path, str(path))  # the same file, from another folder
    assert hit.path == str(path)
    assert hit.warnings and all(w.path == str(path) for w in hit.warnings)
    assert hit.warnings == load_portfolio(path, str(path)).warnings


# -- what a user sees -----------------------------------------------------------------------------


def _cache_files() -> list[Path]:
    return sorted(Path(os.environ["SANSHI_CACHE_DIR"]).glob("*.parse"))


def _status(sanshi: Sanshi, *extra: str) -> Result:
    return sanshi("status", "--as-of", AS_OF, "--all", "--format", "json", *extra)


def test_status_and_check_say_the_same_from_the_cache(sanshi: Sanshi, write_toml: Callable[..., Path]) -> None:
    write_toml(WARNED)
    miss = [_status(sanshi), sanshi("check", "--as-of", AS_OF), sanshi("status", "--as-of", AS_OF)]
    (stored,) = _cache_files()
    written = _stamp(stored)
    hit = [_status(sanshi), sanshi("check", "--as-of", AS_OF), sanshi("status", "--as-of", AS_OF)]
    assert hit == miss
    assert _stamp(stored) == written
    assert "smtp" in miss[1].stderr and "2026-10-03" in miss[1].stderr  # the stored warnings are shown
    assert "U+200B" in miss[1].stderr or "200b" in miss[1].stderr.lower()


def test_the_sample_reads_the_same_from_the_cache(sanshi: Sanshi) -> None:
    commands = [
        ("status", "--as-of", AS_OF, "--all", "--format", "json"),
        ("plan", "--as-of", AS_OF, "--weekly", "--all", "--format", "csv"),
        ("progress", "--as-of", AS_OF, "--format", "json"),
        ("check", "--as-of", AS_OF),
    ]
    miss = [sanshi(*c, "-f", str(SAMPLE)) for c in commands]
    hit = [sanshi(*c, "-f", str(SAMPLE)) for c in commands]
    assert hit == miss and len(_cache_files()) == 1


def _edit_keeping_size_and_time(path: Path, old: str, new: str) -> None:
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns


def test_an_edit_of_the_same_size_and_time_is_seen(sanshi: Sanshi, minimal_file: Path) -> None:
    before = _status(sanshi)
    assert '"due": "2026-04-30"' in before.stdout
    _edit_keeping_size_and_time(minimal_file, "due = 2026-04-30", "due = 2026-04-29")
    after = _status(sanshi)
    assert '"due": "2026-04-29"' in after.stdout
    assert after == _status(sanshi, "--no-cache")


def test_a_changed_calendar_block_is_seen(sanshi: Sanshi, write_toml: Callable[..., Path]) -> None:
    # A holiday after the span, then 2026-05-08 inside it: "start" (10 working days after 2026-04-30) moves.
    path = write_toml(MINIMAL + "\n[calendar.years.2026]\nholidays = [2026-06-01]\n")
    first = _status(sanshi)
    _edit_keeping_size_and_time(path, "holidays = [2026-06-01]", "holidays = [2026-05-08]")
    second = _status(sanshi)
    assert first.stdout != second.stdout
    assert second == _status(sanshi, "--no-cache")


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit flipped
        lambda data: b"",  # empty
        lambda data: b"\x80\x04\x95 a pickle, say" + data[40:],  # foreign
        lambda data: data[:19] + b"\0" * 32 + data[51:],  # ours, with a wrong digest
    ],
    ids=["truncated", "bit-flip", "empty", "foreign", "bad-digest"],
)
def test_a_damaged_cache_is_a_miss(sanshi: Sanshi, minimal_file: Path, damage: Callable[[bytes], bytes]) -> None:
    good = _status(sanshi)
    (stored,) = _cache_files()
    stored.write_bytes(damage(stored.read_bytes()))
    assert _status(sanshi) == good
    assert _status(sanshi) == good  # rewritten by the miss, then a hit
    assert stored.read_bytes().startswith(b"sanshi parse cache\n")


def test_a_foreign_file_in_the_cache_folder_is_a_miss(sanshi: Sanshi, minimal_file: Path) -> None:
    folder = Path(os.environ["SANSHI_CACHE_DIR"])
    cache_file(folder, minimal_file).write_bytes(os.urandom(4096))
    assert _status(sanshi) == _status(sanshi, "--no-cache")


def test_a_new_version_is_a_miss(sanshi: Sanshi, minimal_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = _status(sanshi)
    (stored,) = _cache_files()
    written = stored.read_bytes()
    monkeypatch.setattr(sanshi_cli, "__version__", "99.0.0")
    assert _status(sanshi) == good
    assert stored.read_bytes() != written  # stored again, under the new version
    import chinese_calendar

    monkeypatch.setattr(chinese_calendar, "__version__", "99.0.0")
    again = stored.read_bytes()
    assert _status(sanshi) == good
    assert stored.read_bytes() != again


def test_a_cache_that_cannot_be_written_is_no_error(
    sanshi: Sanshi, minimal_file: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    expected = _status(sanshi, "--no-cache")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        monkeypatch.setenv("SANSHI_CACHE_DIR", str(locked))
        assert _status(sanshi) == expected
        monkeypatch.setenv("SANSHI_CACHE_DIR", str(minimal_file / "under-a-file"))  # can never be made
        assert _status(sanshi) == expected
        assert sanshi("check", "--as-of", AS_OF) == sanshi("check", "--as-of", AS_OF, "--no-cache")
    finally:
        locked.chmod(stat.S_IRWXU)


def test_a_missing_cache_folder_is_made(sanshi: Sanshi, minimal_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = minimal_file.parent / "not" / "yet"
    monkeypatch.setenv("SANSHI_CACHE_DIR", str(folder))
    expected = _status(sanshi, "--no-cache")
    assert _status(sanshi) == expected and _status(sanshi) == expected
    (stored,) = folder.glob("*.parse")
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600  # e-mail addresses are in it: the user's alone


@pytest.mark.parametrize("command", ["status", "check", "plan", "progress"])
def test_no_cache_writes_nothing(
    sanshi: Sanshi, minimal_file: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    assert sanshi(command, "--as-of", AS_OF, "--no-cache").exit_code == 0
    assert _cache_files() == []
    monkeypatch.setenv("SANSHI_NO_CACHE", "1")
    assert sanshi(command, "--as-of", AS_OF).exit_code == 0
    assert _cache_files() == []


def test_alert_no_cache_writes_nothing(sanshi: Sanshi, minimal_file: Path) -> None:
    sanshi("alert", "--as-of", AS_OF, "--dry-run", "--no-cache")
    assert _cache_files() == []


def test_done_then_status_shows_the_change(sanshi: Sanshi, minimal_file: Path) -> None:
    assert '"done": null' in _status(sanshi).stdout
    assert sanshi("done", "civic-center", "permits", "--on", "2026-04-28").exit_code == 0
    after = _status(sanshi)
    assert '"done": "2026-04-28"' in after.stdout
    assert after == _status(sanshi, "--no-cache")
    assert sanshi("done", "civic-center", "permits", "--undo").exit_code == 0
    assert '"done": null' in _status(sanshi).stdout


def test_done_with_the_cache_off_writes_nothing(
    sanshi: Sanshi, minimal_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANSHI_NO_CACHE", "1")
    assert sanshi("done", "civic-center", "permits", "--on", "2026-04-28").exit_code == 0
    assert _cache_files() == []


def test_report_then_status_shows_the_change(sanshi: Sanshi, minimal_file: Path) -> None:
    before = sanshi("progress", "--as-of", AS_OF, "--format", "json")
    written = sanshi("report", "civic-center", "--on", "2026-11-20", "--progress", "35", "--text", "主体施工")
    assert written.exit_code == 0, written.stderr
    after = sanshi("progress", "--as-of", AS_OF, "--format", "json")
    assert after != before and "35" in after.stdout
    assert after == sanshi("progress", "--as-of", AS_OF, "--format", "json", "--no-cache")
