"""``sanshi done``: what the user sees, and the file on disk byte for byte (and the .bak, the lock)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLE

ORIGINAL = SAMPLE.read_bytes()


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "projects.toml"
    shutil.copyfile(SAMPLE, path)
    return path


def leftovers(folder: Path) -> list[str]:
    """Files besides the project file and its lock: a .bak, temporary files."""
    return sorted(p.name for p in folder.iterdir() if p.name not in ("projects.toml", "projects.toml.lock"))


def test_done_writes_one_line_and_keeps_a_backup(sanshi, sample: Path) -> None:
    result = sanshi("done", "college-upgrade", "completion", "--as-of", "2026-11-27")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "已记录交账：college-upgrade / completion 2026-11-27（projects.toml）\n",
        "",
    )
    expected = ORIGINAL.replace(
        b'  progress = 90\n\n  [[projects.problems]]\n  id = "P-2026-002"\n',
        b'  progress = 90\n  done = 2026-11-27\n\n  [[projects.problems]]\n  id = "P-2026-002"\n',
    )
    assert sample.read_bytes() == expected != ORIGINAL
    assert (sample.parent / "projects.toml.bak").read_bytes() == ORIGINAL
    assert leftovers(sample.parent) == ["projects.toml.bak"]


def test_names_work_as_ids_and_the_line_speaks_english(sanshi, sample: Path) -> None:
    result = sanshi("done", "市民中心", "主体封顶", "--on", "2026-11-20", "--as-of", "2026-11-27", "--lang", "en")
    assert result.stdout == "Recorded delivery: civic-center / topping-out on 2026-11-20 (projects.toml)\n"
    assert b"  progress = 60\n  done = 2026-11-20\n" in sample.read_bytes()


def test_force_undo_and_the_same_date_again(sanshi, sample: Path) -> None:
    said = sanshi("done", "civic-center", "permits", "--on", "2026-06-05", "--as-of", "2026-11-27")
    assert (said.exit_code, said.stdout) == (
        0,
        "civic-center / permits 已记录 2026-06-05 交账，未作改动（projects.toml）\n",
    )
    assert sample.read_bytes() == ORIGINAL and leftovers(sample.parent) == []

    refused = sanshi("done", "civic-center", "permits", "--on", "2026-06-08", "--as-of", "2026-11-27")
    assert (refused.exit_code, refused.stderr) == (
        2,
        "错误：civic-center / permits 已记录 2026-06-05 交账：要改为 2026-06-08，请加 --force\n",
    )
    assert sample.read_bytes() == ORIGINAL and leftovers(sample.parent) == []

    forced = sanshi("done", "civic-center", "permits", "--on", "2026-06-08", "--force", "--as-of", "2026-11-27")
    assert forced.stdout == "已改交账日期：civic-center / permits 2026-06-05 → 2026-06-08（projects.toml）\n"
    assert b"  done = 2026-06-08                  # \xe9\x80\xbe" in sample.read_bytes()

    undone = sanshi("done", "civic-center", "permits", "--undo", "--as-of", "2026-11-27", "--lang", "en")
    assert undone.stdout == "Removed the delivery: civic-center / permits (was 2026-06-08) (projects.toml)\n"
    assert sample.read_bytes() == ORIGINAL.replace("  done = 2026-06-05                  # 逾期交账\n".encode(), b"")
    again = sanshi("done", "civic-center", "permits", "--undo", "--as-of", "2026-11-27")
    assert (again.exit_code, again.stdout) == (
        0,
        "civic-center / permits 尚未交账，无需撤销，未作改动（projects.toml）\n",
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["civic-centre", "permits"],
            "错误：PROJECT “civic-centre” 不是已知的项目（是否应为 “civic-center”？）：请用 id 或名称",
        ),
        (["civic-center", "permit"], "错误：MILESTONE “permit” 不是已知的节点（是否应为 “permits”？）：请用 id 或名称"),
        (
            ["civic-center", "topping-out", "--on", "2026-11-28"],
            "错误：交账日期 2026-11-28 晚于今天 2026-11-27：只能记录已经发生的交账（日期请用 --on 指定）",
        ),
        (
            ["civic-center", "topping-out", "--on", "2026-11-31"],
            "错误：--on 的值 “2026-11-31” 不是日期：请用 YYYY-MM-DD，如 2026-04-28",
        ),
    ],
    ids=["unknown-project", "unknown-milestone", "after-as-of", "bad-date"],
)
def test_bad_input_is_one_line_exit_2_and_the_file_untouched(sanshi, sample: Path, args, expected) -> None:
    result = sanshi("done", *args, "--as-of", "2026-11-27")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", expected + "\n")
    assert sample.read_bytes() == ORIGINAL
    assert leftovers(sample.parent) == []


def test_a_date_before_the_projects_start_is_a_warning(sanshi, sample: Path) -> None:
    result = sanshi("done", "civic-center", "topping-out", "--on", "2025-12-30", "--as-of", "2026-11-27")
    assert result.exit_code == 0
    assert result.stderr == (
        "警告：civic-center / topping-out 的交账日期 2025-12-30 早于项目开始日期 2026-01-05：已照此记录，请确认\n"
    )
    assert b"  done = 2025-12-30\n" in sample.read_bytes()


def test_dry_run_prints_the_diff_and_writes_nothing(sanshi, sample: Path) -> None:
    result = sanshi("done", "college-upgrade", "completion", "--as-of", "2026-11-27", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "--- a/projects.toml",
        "+++ b/projects.toml",
        "@@ -526,6 +526,7 @@",
        '   stage = "竣工达效"',
        "   due = 2027-07-30",
        "   progress = 90",
        "+  done = 2026-11-27",
        " ",
        "   [[projects.problems]]",
        '   id = "P-2026-002"',
        "--dry-run：以上是将要做的修改，projects.toml 未写入",
    ]
    assert sample.read_bytes() == ORIGINAL
    assert leftovers(sample.parent) == []


def test_permissions_are_kept_and_backup_false_keeps_no_copy(sanshi, tmp_path: Path) -> None:
    path = tmp_path / "projects.toml"
    text = SAMPLE.read_text("utf-8").replace('language = "zh"', 'language = "zh"\nbackup = false', 1)
    path.write_text(text, encoding="utf-8")
    os.chmod(path, 0o640)
    result = sanshi("done", "civic-center", "topping-out", "--as-of", "2026-11-27")
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_the_backup_has_the_files_permissions(sanshi, sample: Path) -> None:
    os.chmod(sample, 0o600)
    assert sanshi("done", "civic-center", "topping-out", "--as-of", "2026-11-27").exit_code == 0
    assert stat.S_IMODE((sample.parent / "projects.toml.bak").stat().st_mode) == 0o600
    assert stat.S_IMODE(sample.stat().st_mode) == 0o600


def test_a_bom_and_crlf_stay(sanshi, tmp_path: Path) -> None:
    path = tmp_path / "projects.toml"
    original = b"\xef\xbb\xbf" + ORIGINAL.replace(b"\n", b"\r\n")
    path.write_bytes(original)
    assert sanshi("done", "college-upgrade", "completion", "--as-of", "2026-11-27").exit_code == 0
    assert path.read_bytes() == original.replace(
        b"  progress = 90\r\n\r\n  [[projects.problems]]",
        b"  progress = 90\r\n  done = 2026-11-27\r\n\r\n  [[projects.problems]]",
    )


def test_a_file_that_would_not_pass_check_is_not_written(sanshi, tmp_path: Path) -> None:
    path = tmp_path / "projects.toml"
    # a milestone due outside the years a plan may hold: the edited file fails the check too
    broken = ORIGINAL.replace(b"due = 2027-05-28", b"due = 2300-05-28")
    path.write_bytes(broken)
    result = sanshi(
        "done", "civic-center", "topping-out", "--on", "2026-11-20", "--as-of", "2026-11-27", "--lang", "en"
    )
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "error: projects.toml was not written: the edited file would not pass sanshi check, so the file is "
        "unchanged (line numbers below are those of the edited file)",
        "projects.toml:256: error: project civic-center, milestone topping-out, key due: date 2300-05-28 is not "
        "between 1990-01-01 and 2199-12-31: check the year",
    ]
    assert path.read_bytes() == broken
    assert leftovers(tmp_path) == []


def test_a_backup_that_cannot_be_written_is_one_line_and_nothing_changes(sanshi, sample: Path) -> None:
    (sample.parent / "projects.toml.bak").mkdir()  # in the way of the backup
    result = sanshi("done", "civic-center", "topping-out", "--as-of", "2026-11-27")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"错误：无法写入 {sample}.bak（Is a directory）\n"
    assert sample.read_bytes() == ORIGINAL
    assert leftovers(sample.parent) == ["projects.toml.bak"] and (sample.parent / "projects.toml.bak").is_dir()


# -- other processes ------------------------------------------------------------------------------


def run_sanshi(*args: str, cwd: Path) -> subprocess.Popen[str]:
    # the test's own parse cache (conftest): never the user's
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANSHI_") or k == "SANSHI_CACHE_DIR"}
    env["PYTHONPATH"] = str(REPO / "src")
    return subprocess.Popen(
        [sys.executable, "-m", "sanshi_cli", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def ten_milestones(tmp_path: Path) -> Path:
    milestones = "".join(f'\n  [[projects.milestones]]\n  id = "m{n}"\n  name = "节点{n}"\n  due = 2026-0{n % 9 + 1}-10\n'
                         for n in range(10))  # fmt: skip
    path = tmp_path / "projects.toml"
    path.write_text(
        '[[units]]\nid = "jsj"\nname = "建设局"\n\n[[people]]\nid = "a"\nname = "甲"\n\n'
        '[[projects]]\nid = "p"\nname = "项目"\nleader = "a"\nlead_unit = "jsj"\nresponsible_unit = "jsj"\n'
        f"start = 2026-01-05\nfinish = 2026-12-31\n{milestones}",
        encoding="utf-8",
    )
    return path


def test_ten_writers_at_once_all_land(tmp_path: Path) -> None:
    import tomli

    path = ten_milestones(tmp_path)
    runs = [run_sanshi("done", "p", f"m{n}", "--on", f"2026-11-{n + 10}", "--as-of", "2026-11-27", cwd=tmp_path)
            for n in range(10)]  # fmt: skip
    outcomes = [(run.wait(timeout=120), run.communicate()) for run in runs]
    assert [code for code, _ in outcomes] == [0] * 10, outcomes
    done = {m["id"]: m.get("done") for m in tomli.loads(path.read_text("utf-8"))["projects"][0]["milestones"]}
    assert done == {f"m{n}": __import__("datetime").date(2026, 11, n + 10) for n in range(10)}


HOLD = """
import sys, time
from filelock import FileLock
with FileLock(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_writer_waits_for_the_lock(tmp_path: Path) -> None:
    path = ten_milestones(tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path) + ".lock", "1.5"], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    started = time.monotonic()
    writer = run_sanshi("done", "p", "m1", "--as-of", "2026-11-27", cwd=tmp_path)
    out, err = writer.communicate(timeout=60)
    holder.wait(timeout=10)
    assert (writer.returncode, err) == (0, "")
    assert "已记录交账：p / m1 2026-11-27" in out
    assert time.monotonic() - started > 1.0  # it waited rather than failed


def test_a_lock_never_released_ends_with_one_line_and_exit_1(tmp_path: Path) -> None:
    from sanshi_cli import open_portfolio
    from sanshi_cli.errors import Busy, ExitCode
    from sanshi_cli.i18n import format_problem

    path = ten_milestones(tmp_path)
    before = path.read_bytes()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path) + ".lock", "30"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        book = open_portfolio(path, display="projects.toml", lock_timeout=0.3)
        with pytest.raises(Busy) as raised:
            book.mark_done("p", "m1", __import__("datetime").date(2026, 11, 27))
    finally:
        holder.kill()
        holder.wait()
    assert raised.value.exit_code == ExitCode.ATTENTION
    [problem] = raised.value.problems
    assert format_problem(problem, "en") == (
        f"error: another sanshi is writing projects.toml and did not finish within 0.3 s (lock file {path}.lock): "
        "nothing changed; try again later"
    )
    assert path.read_bytes() == before


def test_a_file_saved_meanwhile_without_the_lock_is_not_overwritten(tmp_path: Path) -> None:
    from sanshi_cli.editing import SetDone, outline
    from sanshi_cli.errors import Busy
    from sanshi_cli.i18n import format_problem
    from sanshi_cli.writing import Edited, rewrite

    path = ten_milestones(tmp_path)
    saved_by_editor = path.read_bytes() + b"# typed in an editor\n"

    def edit(text: str) -> Edited:
        import tomli

        found = outline(text)
        span = found.projects[0]
        from sanshi_cli.editing import edit_span

        data = tomli.loads(found.fragment(span))["projects"][0]
        new = found.replaced(span, edit_span(found.fragment(span), data, SetDone(0, None), "\n"))
        return Edited(new.replace('id = "m0"', 'id = "m0"\n  done = 2026-11-27', 1), "done_recorded")

    with pytest.raises(Busy) as raised:
        rewrite(path, "projects.toml", edit, before_replace=lambda: path.write_bytes(saved_by_editor))
    assert format_problem(raised.value.problems[0], "zh") == (
        "错误：projects.toml 在本命令读取之后被改动（可能有人在编辑器里保存了它）：未写入，以免覆盖那次改动；请重新运行本命令"
    )
    assert path.read_bytes() == saved_by_editor
    assert leftovers(tmp_path) == []


def test_a_folder_that_cannot_be_written_is_one_line(sanshi, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "projects.toml"
    shutil.copyfile(SAMPLE, path)
    os.chmod(folder, 0o555)
    try:
        result = sanshi("done", "civic-center", "topping-out", "-f", str(path), "--as-of", "2026-11-27")
    finally:
        os.chmod(folder, 0o755)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and "无法写入" in result.stderr
    assert path.read_bytes() == ORIGINAL


def test_help_has_an_example(sanshi) -> None:
    result = sanshi("done", "--help")
    assert "Example: sanshi done civic-center topping-out --on 2026-11-27" in result.stdout
