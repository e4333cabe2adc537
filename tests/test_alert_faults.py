"""``sanshi alert`` against servers and disks that misbehave (issue 8): nothing lost, nothing repeated,
nothing stuck.

Real aiosmtpd servers on 127.0.0.1 answer 421 mid-batch, 452 for some recipients, hang up after
DATA, trickle a reply one byte at a time, or refuse the login; the disk is full from the start or
fills after the first accepted message (a 64 KiB tmpfs where the test may mount one, else a write
wrapper in our files module that raises ENOSPC). Whatever happens: every message a server accepted
is recorded exactly once, every refused one waits in the outbox, and a rerun sends only what is
missing. The project is the one of tests/test_alert.py: four messages, to 建设局, 城管局 (two
addresses), 示例领导甲 and the PMO.
"""

from __future__ import annotations

import contextlib
import errno
import json
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from tests.conftest import Result
from tests.smtp_server import Server, Trickler, make_tls, password_checker, start_server
from tests.test_alert import AS_OF, CGJ, CGJ2, JSJ, LEADER_A, PMO, project_text

EVERYONE = {JSJ, CGJ, CGJ2, LEADER_A, PMO}
Alert = Callable[..., Result]


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    def write(port: int, **changes: object) -> Path:
        path = tmp_path / "projects.toml"
        path.write_text(project_text(port, **changes), encoding="utf-8")
        return path

    return write


@pytest.fixture
def alert(sanshi: Callable[..., Result], tmp_path: Path) -> Alert:
    def run(*args: str) -> Result:
        return sanshi("alert", "-f", str(tmp_path / "projects.toml"), "--as-of", AS_OF, *args)

    return run


def told(state_file: Path) -> list[tuple[str, str, str]]:
    """(address, project, milestone) of every record in the state file."""
    rows = json.loads(state_file.read_text("utf-8"))["told"]
    return sorted((row["address"], row["project"], row["milestone"]) for row in rows)


def recorded_addresses(state_file: Path) -> set[str]:
    return {address for address, _, _ in told(state_file)}


def outbox(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.eml")) if folder.exists() else []


def delivered(server: Server) -> list[str]:
    """Every address the server accepted a message for, once per message (repeats show up)."""
    return sorted(address for message in server.received for address in message.rcpt_tos)


def assert_recorded_exactly_once(state_file: Path) -> None:
    records = told(state_file)
    assert len(records) == len(set(records))


# -- servers that misbehave ------------------------------------------------------------------------


def test_421_mid_batch_outboxes_that_message_and_the_rest_goes_on(
    server: Server, project, alert: Alert, tmp_path: Path
) -> None:
    project(server.port)
    server.recorder.data_replies[2] = "421 4.3.0 closing, try again later"
    result = alert()
    assert result.exit_code == 1
    assert "421 4.3.0 closing, try again later" in result.stderr
    assert len(server.received) == 3  # the server closed; sanshi reconnected for the rest
    accepted = set(delivered(server))
    missing = EVERYONE - accepted
    assert missing and recorded_addresses(tmp_path / ".sanshi-alert-state.json") == accepted
    assert len(outbox(tmp_path / "outbox")) == 1
    assert_recorded_exactly_once(tmp_path / ".sanshi-alert-state.json")

    server.recorder.data_replies.clear()
    again = alert()
    assert (again.exit_code, again.stderr) == (0, "")
    assert set(delivered(server)) == EVERYONE and len(delivered(server)) == len(EVERYONE)  # nothing twice
    assert outbox(tmp_path / "outbox") == []


def test_452_for_some_recipients_retries_only_them(server: Server, project, alert: Alert, tmp_path: Path) -> None:
    project(server.port)
    server.recorder.rcpt_replies.update({CGJ2: "452 4.5.3 too many recipients", LEADER_A: "452 4.2.2 mailbox full"})
    result = alert()
    assert result.exit_code == 1
    assert "452 4.5.3 too many recipients" in result.stderr and "452 4.2.2 mailbox full" in result.stderr
    assert set(server.recorder.by_address()) == {JSJ, CGJ, PMO}
    assert outbox(tmp_path / "outbox") == ["leader-leader-a.eml", "unit-cgj.eml"]
    assert recorded_addresses(tmp_path / ".sanshi-alert-state.json") == {JSJ, CGJ, PMO}

    server.recorder.rcpt_replies.clear()
    again = alert()
    assert (again.exit_code, again.stderr) == (0, "")
    assert [m.rcpt_tos for m in server.received[3:]] == [[CGJ2], [LEADER_A]]
    server.recorder.by_address()  # nobody got two messages
    assert outbox(tmp_path / "outbox") == []
    assert_recorded_exactly_once(tmp_path / ".sanshi-alert-state.json")


def test_a_connection_dropped_after_data_is_not_recorded(server: Server, project, alert: Alert, tmp_path: Path) -> None:
    project(server.port)
    server.recorder.drop_after_data.add(1)
    result = alert()
    assert result.exit_code == 1
    assert result.stderr.count("未送达") == 1
    assert len(server.received) == 3
    assert outbox(tmp_path / "outbox") == ["unit-jsj.eml"]  # the first message of the batch
    assert JSJ not in recorded_addresses(tmp_path / ".sanshi-alert-state.json")

    again = alert()
    assert (again.exit_code, again.stderr) == (0, "")
    assert [m.rcpt_tos for m in server.received[3:]] == [[JSJ]]
    server.recorder.by_address()


def test_a_trickling_reply_cannot_hold_the_run(project, alert: Alert, tmp_path: Path) -> None:
    trickler = Trickler(every=0.3)  # one byte every 0.3 s: a per-read timeout of 1 s never fires
    try:
        project(trickler.port, timeout=1)
        started = time.monotonic()
        result = alert()
        elapsed = time.monotonic() - started
    finally:
        trickler.stop()
    assert result.exit_code == 1
    assert elapsed < 10  # about one timeout; before issue 8 it never ended
    assert "没有响应" in result.stderr
    assert len(outbox(tmp_path / "outbox")) == 4
    assert told(tmp_path / ".sanshi-alert-state.json") == []


def test_run_timeout_sends_the_rest_to_the_outbox(server: Server, project, alert: Alert, tmp_path: Path) -> None:
    project(server.port, timeout=1, smtp_extra="run_timeout = 0.001")
    result = alert()
    assert result.exit_code == 1
    assert result.stderr.count("run_timeout = 0.001 秒") == 4
    assert server.received == []
    assert len(outbox(tmp_path / "outbox")) == 4

    project(server.port)
    assert alert().exit_code == 0
    assert set(server.recorder.by_address()) == EVERYONE
    assert outbox(tmp_path / "outbox") == []


@pytest.fixture
def auth_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    tls = make_tls(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(tls.ca_file))
    running = start_server(
        tls_context=tls.server_context,
        require_starttls=True,
        auth_required=True,
        authenticator=password_checker("sanshi@example.gov.cn", "abcd1234"),
    )
    yield running
    running.controller.stop()


def test_a_refused_login_keeps_everything_for_the_next_run(
    auth_server: Server, project, alert: Alert, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(auth_server.port, security="starttls", smtp_extra='username = "sanshi@example.gov.cn"')
    monkeypatch.setenv("SANSHI_SMTP_PASSWORD", "wrong")
    result = alert()
    assert result.exit_code == 2
    assert auth_server.received == []
    assert len(outbox(tmp_path / "outbox")) == 4
    assert told(tmp_path / ".sanshi-alert-state.json") == []

    monkeypatch.setenv("SANSHI_SMTP_PASSWORD", "abcd1234")
    again = alert()
    assert (again.exit_code, again.stderr) == (0, "")
    assert set(auth_server.recorder.by_address()) == EVERYONE
    assert outbox(tmp_path / "outbox") == []


# -- disks that fill, folders that cannot be written -------------------------------------------------


def no_space_after(monkeypatch: pytest.MonkeyPatch, name: str, writes: int) -> None:
    """Our files module raises ENOSPC for ``name`` once ``writes`` writes of it have succeeded."""
    import sanshi_cli.files as files

    real = files.atomic_writer
    done = {"n": 0}

    @contextlib.contextmanager
    def writer(path: Path, **options: Any) -> Iterator[IO[Any]]:
        if path.name == name:
            if done["n"] >= writes:
                raise OSError(errno.ENOSPC, "No space left on device")
            done["n"] += 1
        with real(path, **options) as handle:
            yield handle

    monkeypatch.setattr(files, "atomic_writer", writer)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh", "无法写入 {path}（No space left on device）"), ("en", "cannot write {path} (No space left on device)")],
)
def test_a_full_disk_is_found_before_the_first_message(
    server: Server, project, alert: Alert, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str, expected: str
) -> None:
    project(server.port, language=language)
    no_space_after(monkeypatch, ".sanshi-alert-state.json", 0)
    result = alert()
    assert result.exit_code == 2
    state = tmp_path / ".sanshi-alert-state.json"
    assert result.stderr.strip().endswith(expected.format(path=state))
    assert len(result.stderr.strip().splitlines()) == 1
    assert server.received == []
    assert outbox(tmp_path / "outbox") == []


@pytest.mark.parametrize(("language", "expected"), [("zh", "无法写入"), ("en", "cannot write")])
def test_an_unwritable_state_folder_is_one_line_and_nothing_is_sent(
    server: Server, project, alert: Alert, tmp_path: Path, language: str, expected: str
) -> None:
    project(server.port, language=language)
    result = alert("--state", "/proc/sanshi-test/state.json")  # even root cannot write there
    assert result.exit_code == 2
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert server.received == []


def test_a_state_path_that_is_a_directory_sends_nothing(server: Server, project, alert: Alert, tmp_path: Path) -> None:
    project(server.port)
    (tmp_path / "state").mkdir()
    result = alert("--state", str(tmp_path / "state"))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert server.received == []


@pytest.mark.parametrize(("language", "expected"), [("zh", "已停止发送其余邮件"), ("en", "sending stopped")])
def test_a_disk_that_fills_mid_batch_stops_at_once_and_says_which(
    server: Server,
    project,
    alert: Alert,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    expected: str,
) -> None:
    project(server.port, language=language)
    no_space_after(monkeypatch, ".sanshi-alert-state.json", 1)  # the check before sending passes
    result = alert()
    assert result.exit_code == 2
    assert len(server.received) == 1  # nothing after the message that could not be recorded
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and JSJ in lines[0]
    assert "No space left on device" in lines[0]

    monkeypatch.undo()  # space again
    monkeypatch.setenv("SANSHI_CACHE_DIR", str(tmp_path / "cache"))  # undo() also undid conftest's: not the user's
    again = alert()
    assert (again.exit_code, again.stderr) == (0, "")
    # the unrecorded message goes once more (it was said so); everything else once
    assert delivered(server) == sorted([*EVERYONE, JSJ])
    assert_recorded_exactly_once(tmp_path / ".sanshi-alert-state.json")
    assert recorded_addresses(tmp_path / ".sanshi-alert-state.json") == EVERYONE
    third = alert()
    assert (third.exit_code, len(server.received)) == (0, 5)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs, when this test may mount one (root in a container that allows it)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here; the ENOSPC wrapper tests cover the same paths")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True, check=False)


def test_a_real_small_disk_that_fills_after_the_first_message(
    server: Server, project, alert: Alert, tmp_path: Path, small_disk: Path
) -> None:
    project(server.port)
    state = small_disk / "state.json"
    # Fill the disk but one page: the state fits once, but not a second copy beside it.
    filler = small_disk / "filler"
    with contextlib.suppress(OSError), filler.open("wb") as handle:
        handle.write(b"\0" * (60 * 1024))
    result = alert("--state", str(state), "--outbox", str(tmp_path / "outbox"))
    assert result.exit_code == 2
    assert len(server.received) == 1
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr

    filler.unlink()
    again = alert("--state", str(state), "--outbox", str(tmp_path / "outbox"))
    assert again.exit_code == 0
    assert_recorded_exactly_once(state)
    assert recorded_addresses(state) == EVERYONE
    assert alert("--state", str(state), "--outbox", str(tmp_path / "outbox")).exit_code == 0
    assert len(server.received) == 5  # the unrecorded one once more, then nothing


@pytest.mark.parametrize(("language", "expected"), [("zh", "也无法保存为"), ("en", "nor could it be saved as")])
def test_an_unwritable_outbox_does_not_stop_the_batch(
    server: Server, project, alert: Alert, tmp_path: Path, language: str, expected: str
) -> None:
    project(server.port, language=language)
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    server.recorder.refuse.add(LEADER_A)
    result = alert("--outbox", str(tmp_path / "a-file" / "outbox"))
    assert result.exit_code == 1
    assert set(server.recorder.by_address()) == {JSJ, CGJ, CGJ2, PMO}  # the rest went out
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert expected in lines[0] and LEADER_A in lines[0] and "550 5.1.1" in lines[0]
    assert str(tmp_path / "a-file" / "outbox" / "leader-leader-a.eml") in lines[0]
    assert recorded_addresses(tmp_path / ".sanshi-alert-state.json") == {JSJ, CGJ, CGJ2, PMO}


@pytest.mark.parametrize(("language", "expected"), [("zh", "无法写入"), ("en", "cannot write")])
def test_an_eml_folder_that_cannot_be_written_is_one_line(
    project, alert: Alert, tmp_path: Path, language: str, expected: str
) -> None:
    project(25, language=language)
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    result = alert("--eml", str(tmp_path / "a-file" / "eml"))
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert expected in line and str(tmp_path / "a-file" / "eml") in line


def test_run_timeout_in_english(server: Server, project, alert: Alert, tmp_path: Path) -> None:
    project(server.port, language="en", smtp_extra="run_timeout = 0.001")
    result = alert()
    assert result.exit_code == 1
    assert result.stderr.count("the run passed run_timeout = 0.001 s, so it was not tried") == 4
    assert server.received == []
