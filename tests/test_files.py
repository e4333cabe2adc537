"""Hostile files (issue 8): what sanshi reads is a regular file of sane size, what it writes stays what it was.

FIFOs, devices and link loops run the real CLI in a child process with a timeout, so that a
regression (a read that waits for a writer, or never ends) fails the test instead of hanging it.
Every case checks the exit code, the exact line, that there is no traceback, and that the input
file is byte for byte what it was.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, SAMPLE, Result
from tests.smtp_server import Server, start_server
from tests.test_alert import project_text

AS_OF = "2026-11-27"
STATE = ".sanshi-alert-state.json"


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real CLI in a child process that cannot hang the suite (20 s, then the test fails)."""
    return subprocess.run(
        [sys.executable, "-m", "sanshi_cli", *args], capture_output=True, text=True, cwd=cwd, timeout=20
    )


def assert_clean(stdout: str, stderr: str) -> None:
    assert "Traceback" not in stdout + stderr
    assert "内部出错" not in stderr and "internal error" not in stderr


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.toml"
    os.mkfifo(path)
    return path


@pytest.fixture
def loop(tmp_path: Path) -> Path:
    (tmp_path / "a.toml").symlink_to(tmp_path / "b.toml")
    (tmp_path / "b.toml").symlink_to(tmp_path / "a.toml")
    return tmp_path / "a.toml"


# -- the project file: only a regular file is read ---------------------------------------------

NOT_REGULAR_ZH = (
    "错误：这是{what}，不是普通文件：sanshi 只读取普通文件（或指向普通文件的符号链接），请指定 .toml 文件本身"
)
NOT_REGULAR_EN = (
    "error: this is {what}, not a regular file: sanshi reads only regular files (or links to one); "
    "name the .toml file itself"
)


@pytest.mark.parametrize("command", ["check", "status", "plan", "alert"])
def test_a_fifo_is_refused_at_once_never_waited_on(tmp_path: Path, fifo: Path, command: str) -> None:
    extra = ["--dry-run"] if command == "alert" else []
    result = cli(tmp_path, command, "-f", fifo.name, "--as-of", AS_OF, *extra)
    assert result.returncode == 2
    assert result.stderr == "pipe.toml: " + NOT_REGULAR_ZH.format(what="命名管道（FIFO）") + "\n"
    assert result.stdout == ""
    assert_clean(result.stdout, result.stderr)


def test_a_fifo_in_english(tmp_path: Path, fifo: Path) -> None:
    result = cli(tmp_path, "check", "-f", fifo.name, "--lang", "en")
    assert result.returncode == 2
    assert result.stderr == "pipe.toml: " + NOT_REGULAR_EN.format(what="a named pipe (FIFO)") + "\n"


def test_a_fifo_named_by_sanshi_file_and_a_bad_option_still_one_line(
    tmp_path: Path, fifo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the language of a usage error is sniffed from the file: never from a FIFO
    monkeypatch.setenv("SANSHI_FILE", str(fifo))
    result = cli(tmp_path, "status", "--no-such-option")
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert_clean(result.stdout, result.stderr)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_never_read(tmp_path: Path, device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    for lang, what, template in (("zh", "设备文件", NOT_REGULAR_ZH), ("en", "a device", NOT_REGULAR_EN)):
        result = cli(tmp_path, "status", "-f", device, "--as-of", AS_OF, "--lang", lang)
        assert result.returncode == 2
        assert result.stderr == f"{device}: " + template.format(what=what) + "\n"
        assert_clean(result.stdout, result.stderr)


def test_a_directory_is_refused(sanshi: Callable[..., Result], tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    result = sanshi("status", "-f", "data", "--as-of", AS_OF, "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr == "data: error: this is a directory, not a file: name the .toml file inside it\n"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", "a.toml: 错误：符号链接绕成了循环，到不了任何文件：请修正链接，或直接指定文件\n"),
        (
            "en",
            "a.toml: error: the symbolic link leads round in a loop to no file: fix the link, or name the file itself\n",
        ),
    ],
)
def test_a_symlink_loop_is_refused(tmp_path: Path, loop: Path, lang: str, expected: str) -> None:
    for command in ("check", "status", "plan"):
        result = cli(tmp_path, command, "-f", loop.name, "--as-of", AS_OF, "--lang", lang)
        assert (result.returncode, result.stderr) == (2, expected)
        assert_clean(result.stdout, result.stderr)


def test_a_symlink_to_a_regular_file_is_read(sanshi: Callable[..., Result], minimal_file: Path, tmp_path: Path) -> None:
    (tmp_path / "link.toml").symlink_to(minimal_file)
    result = sanshi("check", "-f", "link.toml", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr


def test_a_65_mib_project_file_is_refused_unread(sanshi: Callable[..., Result], tmp_path: Path) -> None:
    big = tmp_path / "projects.toml"
    with big.open("wb") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: costs no disk
    for lang, expected in (
        ("zh", "projects.toml: 错误：文件大于 64 MiB，不可能是项目文件：请检查是否指错了文件\n"),
        (
            "en",
            "projects.toml: error: the file is larger than 64 MiB, too big for a project file: check that this is the right file\n",
        ),
    ):
        result = sanshi("check", "-f", "projects.toml", "--lang", lang)
        assert (result.exit_code, result.stderr) == (2, expected)
    assert big.stat().st_size == 65 * 1024 * 1024


@pytest.mark.parametrize(
    ("encoding", "named", "family"),
    [
        ("utf-16-le", "UTF-16LE", "UTF-16"),
        ("utf-16-be", "UTF-16BE", "UTF-16"),
        ("utf-32-le", "UTF-32LE", "UTF-32"),
        ("utf-32-be", "UTF-32BE", "UTF-32"),
    ],
)
def test_a_utf16_or_utf32_file_is_named_by_its_bom(
    sanshi: Callable[..., Result], tmp_path: Path, encoding: str, named: str, family: str
) -> None:
    path = tmp_path / "projects.toml"
    data = "\ufeff".encode(encoding) + MINIMAL.encode(encoding)
    path.write_bytes(data)
    result = sanshi("check", "-f", "projects.toml", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr == (
        f"projects.toml: error: the file is {named} (its byte-order mark says so), not UTF-8: re-save it with "
        f"Save As → Encoding: UTF-8, or run: iconv -f {family} -t UTF-8 OLD > NEW\n"
    )
    result = sanshi("check", "-f", "projects.toml", "--lang", "zh")
    assert result.stderr == (
        f"projects.toml: 错误：文件是 {named} 编码（开头的字节顺序标记表明），不是 UTF-8："
        f"请用“另存为 → 编码：UTF-8”重新保存，或运行 iconv -f {family} -t UTF-8 原文件 > 新文件\n"
    )
    assert path.read_bytes() == data


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a = " + "[" * 10_000 + "]" * 10_000 + "\n", 1),
        ('[settings]\ntitle = "[[[["  # [[[[\nx = ' + "[" * 402 + "]" * 402 + "\n", 3),
        ("x = " + "{a = " * 5_000 + "1" + "}" * 5_000 + "\n", 1),
        ("x = [\n" + "[\n" * 450 + "]\n" * 451, 402),
    ],
)
def test_nesting_too_deep_for_the_reader_is_a_located_error(
    sanshi: Callable[..., Result], tmp_path: Path, text: str, line: int
) -> None:
    path = tmp_path / "projects.toml"
    path.write_text(text, encoding="utf-8")
    result = sanshi("check", "-f", "projects.toml", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr == (
        f"projects.toml:{line}: error: brackets nest more than 400 levels deep, which sanshi cannot read: "
        "check that [ and { are paired\n"
    )
    zh = sanshi("status", "-f", "projects.toml", "--as-of", AS_OF)
    assert zh.stderr == f"projects.toml:{line}: 错误：括号嵌套超过 400 层，无法读取：请检查 [ 和 {{ 是否成对\n"
    assert path.read_text(encoding="utf-8") == text


def test_nesting_the_reader_accepts_is_an_ordinary_error(sanshi: Callable[..., Result], write_toml) -> None:
    write_toml(MINIMAL.replace('name = "开工"', 'name = "开工"\ndepends = ' + "[" * 300 + "]" * 300, 1))
    result = sanshi("check", "-f", "projects.toml", "--lang", "en")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) >= 1


# -- numbers: no inf, no nan ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "shown"),
    [
        ("total_investment", "inf", "inf"),
        ("total_investment", "+inf", "inf"),
        ("annual_investment", "nan", "nan"),
        ("annual_investment", "-nan", "nan"),
    ],
)
def test_inf_and_nan_in_a_project_are_refused(sanshi: Callable[..., Result], write_toml, key, value, shown) -> None:
    path = write_toml(MINIMAL.replace("finish = 2027-12-31", f"finish = 2027-12-31\n{key} = {value}", 1))
    before = path.read_bytes()
    line = next(n for n, text in enumerate(before.decode().splitlines(), 1) if text.startswith(key))
    result = sanshi("check", "-f", "projects.toml", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr == (
        f"projects.toml:{line}: error: project civic-center, key {key}: invalid value {shown}: "
        "expected a finite number (inf and nan are not numbers)\n"
    )
    result = sanshi("status", "-f", "projects.toml", "--as-of", AS_OF)
    assert result.stderr == (
        f"projects.toml:{line}: 错误：项目 civic-center，键 {key}：值 {shown} 无效：应为有限的数字（inf 和 nan 不是数字）\n"
    )
    assert path.read_bytes() == before


def test_inf_in_a_milestone_a_target_and_smtp(sanshi: Callable[..., Result], write_toml) -> None:
    text = MINIMAL.replace('name = "施工许可证"', 'name = "施工许可证"\nprogress = nan', 1)
    text = text.replace("[[units]]", "[smtp]\ntimeout = inf\n\n[[units]]", 1)
    text += '\n  [[projects.monthly]]\n  month = "2026-05"\n  target = "t"\n  invest_target = -inf\n'
    write_toml(text)
    result = sanshi("check", "-f", "projects.toml", "--lang", "en")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 3
    assert all(line.endswith("expected a finite number (inf and nan are not numbers)") for line in lines)
    assert "key smtp.timeout: invalid value inf" in lines[0]
    assert "milestone permits, key progress: invalid value nan" in lines[1]
    assert "key invest_target: invalid value -inf" in lines[2]


# -- dates from options --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "option", "value"),
    [
        (("status", "--as-of", "1989-12-31"), "--as-of", "1989-12-31"),
        (("status", "--as-of", "2200-01-01"), "--as-of", "2200-01-01"),
        (("status", "--as-of", "9999-12-31"), "--as-of", "9999-12-31"),
        (("check", "--as-of", "0001-01-01"), "--as-of", "0001-01-01"),
        (("alert", "--dry-run", "--as-of", "2500-06-01"), "--as-of", "2500-06-01"),
        (("plan", "--as-of", AS_OF, "--to", "9999-12"), "--to", "9999-12"),
        (("plan", "--as-of", AS_OF, "--to", "9999-12-31"), "--to", "9999-12-31"),
        (("plan", "--as-of", AS_OF, "--from", "1900-W01"), "--from", "1900-W01"),
        (("plan", "--as-of", AS_OF, "--from", "0001-01"), "--from", "0001-01"),
    ],
)
def test_option_dates_outside_1990_to_2199(sanshi: Callable[..., Result], minimal_file: Path, args, option, value):
    result = sanshi(*args, "-f", "projects.toml", "--lang", "en")
    expected = f"error: {option} {value} is not between 1990-01-01 and 2199-12-31: check the year\n"
    assert (result.exit_code, result.stderr) == (2, expected)
    assert result.stdout == ""


def test_option_date_out_of_range_in_chinese(sanshi: Callable[..., Result], minimal_file: Path) -> None:
    result = sanshi("plan", "-f", "projects.toml", "--as-of", "2200-01-01")
    assert (result.exit_code, result.stderr) == (
        2,
        "错误：--as-of 2200-01-01 不在 1990-01-01 至 2199-12-31 之间：请检查年份\n",
    )


def test_the_edges_of_the_range_are_accepted(sanshi: Callable[..., Result], minimal_file: Path) -> None:
    for day in ("1990-01-01", "2199-12-31"):
        result = sanshi("status", "-f", "projects.toml", "--as-of", day)
        assert result.exit_code == 0, result.stderr
    result = sanshi("plan", "-f", "projects.toml", "--as-of", AS_OF, "--from", "1990-01", "--to", "2199-W52")
    assert result.exit_code == 0, result.stderr


# -- the alert state file ------------------------------------------------------------------------


def dry_run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "projects.toml").write_text(project_text(1), encoding="utf-8")
    return cli(tmp_path, "alert", "-f", "projects.toml", "--as-of", AS_OF, "--dry-run", *args)


@pytest.mark.parametrize(
    ("make", "zh", "en"),
    [
        (lambda p: p.mkdir(), "目录", "a directory"),
        (lambda p: os.mkfifo(p), "命名管道（FIFO）", "a named pipe (FIFO)"),
        (lambda p: p.symlink_to(p), "绕成循环的符号链接", "a symbolic link loop"),
        (lambda p: p.symlink_to("/dev/zero"), "设备文件", "a device"),
    ],
)
def test_a_state_path_that_is_no_file_is_refused(tmp_path: Path, make, zh: str, en: str) -> None:
    make(tmp_path / STATE)
    result = dry_run(tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"错误：预警状态文件 {STATE} 是{zh}，不是普通文件：请移走它，或用 --state 指定一个文件\n"
    result = dry_run(tmp_path, "--lang", "en")
    assert result.stderr == (
        f"error: the alert state file {STATE} is {en}, not a regular file: move it away, or name a file with --state\n"
    )
    assert_clean(result.stdout, result.stderr)


def test_a_state_path_that_is_a_directory_stops_a_real_run_before_sending(tmp_path: Path) -> None:
    server = start_server()
    try:
        (tmp_path / "projects.toml").write_text(project_text(server.port), encoding="utf-8")
        (tmp_path / "state").mkdir()
        result = cli(tmp_path, "alert", "-f", "projects.toml", "--as-of", AS_OF, "--state", "state", "--lang", "en")
        assert result.returncode == 2
        assert result.stderr == (
            "error: the alert state file state is a directory, not a regular file: move it away, or name a file with --state\n"
        )
        assert server.received == []
    finally:
        server.controller.stop()


def test_a_65_mib_state_file_is_refused(tmp_path: Path) -> None:
    with (tmp_path / STATE).open("wb") as handle:
        handle.truncate(65 * 1024 * 1024)
    result = dry_run(tmp_path, "--lang", "en")
    assert result.returncode == 2
    assert result.stderr == (
        f"{STATE}: error: the alert state file cannot be read (larger than 64 MiB): repair it, or delete it "
        "and run again (every open alert is then sent once more)\n"
    )


def test_a_utf16_state_file_is_named(tmp_path: Path) -> None:
    (tmp_path / STATE).write_bytes('{"format": "sanshi-alert-state"}'.encode("utf-16"))
    result = dry_run(tmp_path, "--lang", "en")
    assert result.returncode == 2
    assert result.stderr.startswith(f"{STATE}: error: the alert state file cannot be read (it is UTF-16LE, not UTF-8)")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("[" * 100_000 + "]" * 100_000, 1),
        ('{\n"format": "sanshi-alert-state",\n"told": ' + "[" * 5_000 + "]" * 5_000 + "}", 3),
        ('{"a": "[[[[\\"[["\n,\n"b": ' + '{"c": ' * 3_000 + "1" + "}" * 3_001, 3),
    ],
)
def test_deep_nesting_in_the_state_file_is_located(tmp_path: Path, text: str, line: int) -> None:
    (tmp_path / STATE).write_text(text, encoding="utf-8")
    result = dry_run(tmp_path, "--lang", "en")
    assert result.returncode == 2
    assert result.stderr == (
        f"{STATE}: error: the alert state file cannot be read (brackets nest more than 500 levels deep on line "
        f"{line}): repair it, or delete it and run again (every open alert is then sent once more)\n"
    )
    result = dry_run(tmp_path)
    assert result.stderr.startswith(f"{STATE}: 错误：预警状态文件无法读取（第 {line} 行括号嵌套超过 500 层）")
    assert (tmp_path / STATE).read_text(encoding="utf-8") == text


# -- the password file ---------------------------------------------------------------------------


def with_password_file(tmp_path: Path, name: str) -> None:
    text = project_text(1, smtp_extra=f'password_file = "{name}"')
    (tmp_path / "projects.toml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: os.mkfifo(p), "it is a named pipe (FIFO), not a regular file"),
        (lambda p: p.symlink_to("/dev/zero"), "it is a device, not a regular file"),
        (lambda p: p.symlink_to("/dev/urandom"), "it is a device, not a regular file"),
        (lambda p: p.mkdir(), "it is a directory, not a regular file"),
        (lambda p: p.symlink_to(p), "it is a symbolic link loop, not a regular file"),
        (lambda p: p.write_bytes(b"x" * (64 * 1024 + 1)), "larger than 64 KiB"),
        (lambda p: p.write_bytes("abcd1234".encode("utf-16")), "it is UTF-16LE, not UTF-8"),
    ],
)
def test_a_password_file_that_is_no_small_text_file(tmp_path: Path, make, reason: str) -> None:
    secret = tmp_path / "smtp-password"
    make(secret)
    with_password_file(tmp_path, "smtp-password")
    result = cli(tmp_path, "alert", "-f", "projects.toml", "--as-of", AS_OF, "--dry-run", "--lang", "en")
    assert result.returncode == 2
    assert result.stderr == (
        f"error: cannot read the password file {secret.name} ({reason}): check password_file in [smtp] "
        "and the file's permissions\n"
    )
    assert_clean(result.stdout, result.stderr)


def test_a_password_file_refused_in_chinese(tmp_path: Path) -> None:
    secret = tmp_path / "smtp-password"
    os.mkfifo(secret)
    with_password_file(tmp_path, "smtp-password")
    result = cli(tmp_path, "alert", "-f", "projects.toml", "--as-of", AS_OF, "--dry-run")
    assert result.returncode == 2
    assert result.stderr == (
        f"错误：无法读取密码文件 {secret.name}（是命名管道（FIFO），不是普通文件）：请检查 [smtp] 中的 password_file 和文件权限\n"
    )


def test_a_password_file_of_exactly_64_kib_is_read(tmp_path: Path) -> None:
    (tmp_path / "smtp-password").write_bytes(b"x" * (64 * 1024))
    with_password_file(tmp_path, "smtp-password")
    result = cli(tmp_path, "alert", "-f", "projects.toml", "--as-of", AS_OF, "--dry-run")
    assert result.returncode == 0, result.stderr


# -- writing: -o to devices and pipes ------------------------------------------------------------


def written_through(path: str) -> bool:
    """Checked before a test writes to a real device: a regression must fail, never replace /dev/null (as root)."""
    from sanshi_cli.cli.output import _is_stream

    return _is_stream(Path(path))


def test_output_to_dev_null_keeps_the_device(sanshi: Callable[..., Result], minimal_file: Path) -> None:
    assert written_through("/dev/null")
    for fmt in ("table", "csv", "json"):
        result = sanshi("status", "-f", "projects.toml", "--as-of", AS_OF, "--format", fmt, "-o", "/dev/null")
        assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert Path("/dev/null").is_char_device()


def test_output_to_dev_stdout_writes_to_standard_output(tmp_path: Path) -> None:
    assert written_through("/dev/stdout")
    result = cli(tmp_path, "status", "-f", str(SAMPLE), "--as-of", AS_OF, "--format", "csv", "-o", "/dev/stdout")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("project,project_name,milestone")  # a stream: no BOM
    # and when the shell sent standard output to a file, that file is written, not replaced
    out = tmp_path / "out.csv"
    with out.open("w") as handle:
        done = subprocess.run(
            [sys.executable, "-m", "sanshi_cli", "status", "-f", str(SAMPLE), "--as-of", AS_OF, "--format", "csv",
             "-o", "/dev/stdout"],
            stdout=handle, stderr=subprocess.PIPE, text=True, timeout=20, cwd=tmp_path,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").startswith("project,project_name,milestone")


def test_output_to_a_fifo_writes_through_to_its_reader(tmp_path: Path) -> None:
    pipe = tmp_path / "out.csv"
    os.mkfifo(pipe)
    received: list[bytes] = []

    def read() -> None:
        with pipe.open("rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    result = cli(tmp_path, "status", "-f", str(SAMPLE), "--as-of", AS_OF, "-o", str(pipe))
    reader.join(timeout=20)
    assert result.returncode == 0, result.stderr
    assert received and received[0].decode("utf-8").startswith("project,project_name,milestone")
    assert pipe.is_fifo()  # the pipe is still a pipe


def test_output_to_a_directory_is_refused(sanshi: Callable[..., Result], minimal_file: Path, tmp_path: Path) -> None:
    (tmp_path / "reports.csv").mkdir()
    result = sanshi("status", "-f", "projects.toml", "--as-of", AS_OF, "-o", "reports.csv", "--lang", "en")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "error: reports.csv is a directory, not a regular file, and is not replaced: choose another path\n"
    )
    result = sanshi("status", "-f", "projects.toml", "--as-of", AS_OF, "-o", "reports.csv")
    assert result.stderr == "错误：reports.csv 是目录，不是普通文件，不会覆盖它：请换一个路径\n"
    assert (tmp_path / "reports.csv").is_dir()


def test_output_through_a_symlink_updates_its_target(
    sanshi: Callable[..., Result], minimal_file: Path, tmp_path: Path
) -> None:
    (tmp_path / "reports").mkdir()
    target = tmp_path / "reports" / "status.csv"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "status.csv"
    link.symlink_to(target)
    result = sanshi("status", "-f", "projects.toml", "--as-of", AS_OF, "-o", "status.csv")
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8-sig").startswith("project,project_name,milestone")
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["status.csv"]  # no temporary left


def test_output_to_a_symlink_loop_is_refused(sanshi: Callable[..., Result], minimal_file: Path, tmp_path: Path) -> None:
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    result = sanshi("status", "-f", "projects.toml", "--as-of", AS_OF, "-o", "a.csv", "--lang", "en")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "error: a.csv is a symbolic link loop, not a regular file, and is not replaced: choose another path\n"
    )


# -- writing: the state file, the outbox, .eml files ---------------------------------------------


def test_a_symlinked_state_file_stays_a_link_and_its_target_is_updated(
    sanshi: Callable[..., Result], server: Server, tmp_path: Path
) -> None:
    (tmp_path / "projects.toml").write_text(project_text(server.port), encoding="utf-8")
    (tmp_path / "var").mkdir()
    target = tmp_path / "var" / "state.json"
    link = tmp_path / STATE
    link.symlink_to(target)  # dangling: the first run creates the target
    result = sanshi("alert", "-f", "projects.toml", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    first = target.read_text(encoding="utf-8")
    assert '"recipient": "unit:jsj"' in first
    assert len(server.received) == 4
    # a second run reads through the link: nothing is due again; the link is still a link
    result = sanshi("alert", "-f", "projects.toml", "--as-of", "2026-11-30")
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert len(server.received) == 4
    assert sorted(p.name for p in (tmp_path / "var").iterdir()) == ["state.json"]


def test_a_symlinked_project_file_is_replaced_through_its_link(tmp_path: Path) -> None:
    from sanshi_cli.files import atomic_writer, write_atomic

    (tmp_path / "shared").mkdir()
    target = tmp_path / "shared" / "projects.toml"
    target.write_text(MINIMAL, encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "projects.toml"
    link.symlink_to(Path("shared") / "projects.toml")  # a relative link
    with atomic_writer(link) as handle:
        handle.write(MINIMAL + "\n# edited\n")
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8").endswith("# edited\n")
    assert target.stat().st_mode & 0o777 == 0o640
    chained = tmp_path / "again.toml"
    chained.symlink_to(link)  # a link to a link
    write_atomic(chained, b"x = 1\n")
    assert chained.is_symlink() and link.is_symlink()
    assert target.read_bytes() == b"x = 1\n"
    assert sorted(p.name for p in (tmp_path / "shared").iterdir()) == ["projects.toml"]


@pytest.mark.parametrize(
    ("make", "en"),
    [(lambda p: os.mkfifo(p), "a named pipe (FIFO)"), (lambda p: p.symlink_to("/dev/null"), "a device")],
)
def test_a_state_file_target_that_is_no_file_is_never_replaced(tmp_path: Path, make, en: str) -> None:
    from sanshi_cli.alerting import State, write_state
    from sanshi_cli.errors import SanshiError
    from sanshi_cli.i18n import format_problem

    path = tmp_path / STATE
    make(path)
    with pytest.raises(SanshiError) as raised:
        write_state(path, State())
    (problem,) = raised.value.problems
    assert (
        format_problem(problem, "en")
        == f"error: {path} is {en}, not a regular file, and is not replaced: choose another path"
    )
    assert format_problem(problem, "zh").startswith(f"错误：{path} 是")
    assert path.is_symlink() or path.is_fifo()


def test_eml_into_a_file_is_one_line(sanshi: Callable[..., Result], tmp_path: Path) -> None:
    (tmp_path / "projects.toml").write_text(project_text(1), encoding="utf-8")
    (tmp_path / "mails").write_text("not a folder\n", encoding="utf-8")
    result = sanshi("alert", "-f", "projects.toml", "--as-of", AS_OF, "--eml", "mails", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot write mails/")
    assert len(result.stderr.splitlines()) == 1
    assert (tmp_path / "mails").read_text(encoding="utf-8") == "not a folder\n"


def test_eml_file_target_that_is_a_directory(sanshi: Callable[..., Result], tmp_path: Path) -> None:
    (tmp_path / "projects.toml").write_text(project_text(1), encoding="utf-8")
    (tmp_path / "mails" / "01-unit-jsj.eml").mkdir(parents=True)
    result = sanshi("alert", "-f", "projects.toml", "--as-of", AS_OF, "--eml", "mails", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: mails/01-unit-jsj.eml is a directory, not a regular file, and is not replaced: choose another path\n"
    )


def test_a_deep_value_the_reader_accepts_is_shown_short(sanshi: Callable[..., Result], write_toml) -> None:
    write_toml("[[units]]\nid = " + "{a = " * 400 + "1" + "}" * 400 + '\nname = "x"\n')
    result = sanshi("check", "-f", "projects.toml", "--lang", "en")
    assert (result.exit_code, result.stderr) == (
        2,
        "projects.toml:2: error: unit #1, key id: invalid value {…}: expected quoted text\n",
    )


def test_a_huge_bad_record_in_the_state_file_is_quoted_short(tmp_path: Path) -> None:
    row = '{"recipient": "' + "x" * 100_000 + '"}'
    (tmp_path / STATE).write_text('{"format": "sanshi-alert-state", "version": 1, "told": [' + row + "]}", "utf-8")
    result = dry_run(tmp_path, "--lang", "en")
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(
        f"{STATE}: error: the alert state file cannot be read (incomplete record {{'recipient': 'xxx"
    )
    assert len(line) < 400
