"""Shared fixtures: a clean environment, the CLI runner and files written to disk."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanshi_cli.cli import app
from tests.smtp_server import Server, start_server

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "projects.toml"


@pytest.fixture(autouse=True)
def clean_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """No SANSHI_* from the developer's shell, no colour, a fixed width, a neutral cwd,
    and a parse cache of the test's own (never the user's)."""
    for name in list(os.environ):
        if name.startswith("SANSHI_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SANSHI_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    # and where platformdirs puts it: a child process started without SANSHI_* stays out of ~/.cache too
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.chdir(tmp_path)
    yield


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def server() -> Iterator[Server]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives."""
    running = start_server()
    yield running
    running.controller.stop()


@pytest.fixture
def sanshi() -> Callable[..., Result]:
    """Run the CLI in-process: ``sanshi("status", "--as-of", "2026-11-27")``."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def write_toml(tmp_path: Path) -> Callable[..., Path]:
    """Write (dedented) TOML text to a file in the test's folder and return its path."""

    def write(text: str, name: str = "projects.toml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


# Two units and two lead officials: the head of many test files.
UNITS_AND_PEOPLE = """\
[[units]]
id = "jsj"
name = "高新区建设局"

[[units]]
id = "zrzy"
name = "高新区自然资源和规划分局"

[[people]]
id = "leader-a"
name = "示例领导甲"

[[people]]
id = "leader-b"
name = "示例领导乙"
"""


MINIMAL = """\
[[units]]
id = "jsj"
name = "高新区建设局"
email = ["jsj@example.gov.cn"]

[[people]]
id = "leader-a"
name = "示例领导甲"
email = "a@example.gov.cn"

[[projects]]
id = "civic-center"
name = "市民中心"
leader = "leader-a"
lead_unit = "jsj"
responsible_unit = "jsj"
start = 2026-03-01
finish = 2027-12-31

  [[projects.milestones]]
  id = "permits"
  name = "施工许可证"
  due = 2026-04-30

  [[projects.milestones]]
  id = "start"
  name = "开工"
  after = "permits"
  offset = "10wd"
"""


@pytest.fixture
def minimal_file(write_toml: Callable[..., Path]) -> Path:
    """A small valid file: one unit, one leader, one project with a fixed and a relative milestone."""
    return write_toml(MINIMAL)
