"""Shell completion: the scripts for bash, zsh, fish and PowerShell, and what Tab offers.

Completion runs the ``sanshi`` program with ``_SANSHI_COMPLETE`` set (Typer's protocol): these
tests do the same in a child process, as the shell would, through ``main()``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLE

# The `sanshi` console script's way in: main() with the program named "sanshi"
# (`python -m sanshi_cli` would name it "python -m sanshi_cli").
PROGRAM = "import sys; sys.argv[0] = 'sanshi'; from sanshi_cli.cli import main; main()"
PROJECT_IDS = [
    "civic-center", "elderly-care", "college-upgrade", "longyuan-road", "reclaimed-water",
    "shanyang-bridge", "tianbao-valley", "hpu-science-park", "smart-island",
]  # fmt: skip
UNIT_IDS = ["jsj", "zrzy", "czj", "jfj", "cgj", "sswj", "tzjt", "wenyuan"]
PEOPLE_IDS = ["leader-a", "leader-b", "leader-c", "leader-d", "leader-e"]


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SANSHI_", "_SANSHI_", "_TYPER_"))}
    env["SANSHI_CACHE_DIR"] = os.environ["SANSHI_CACHE_DIR"]  # the test's own parse cache (conftest)
    env.update(extra)
    return env


def complete(words: str, cwd: Path, shell: str = "bash", **extra: str) -> subprocess.CompletedProcess[str]:
    """What the shell gets for the command line ``words`` (the last word is being typed)."""
    if shell == "bash":
        parts = words.split(" ")
        protocol = {"COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)}
    else:
        protocol = {"_TYPER_COMPLETE_ARGS": words, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
        protocol["_TYPER_COMPLETE_WORD_TO_COMPLETE"] = words.split(" ")[-1]
    env = environment(_SANSHI_COMPLETE=f"complete_{shell}", **protocol, **extra)
    return subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, env=env, cwd=cwd, timeout=60)


def offered(words: str, cwd: Path, **extra: str) -> list[str]:
    result = complete(words, cwd, **extra)
    assert (result.returncode, result.stderr) == (0, "")
    return result.stdout.splitlines()


# -- the scripts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shell", "expected"),
    [
        ("bash", ["_SANSHI_COMPLETE=complete_bash $1", "complete -o default -F _sanshi_completion sanshi"]),
        ("zsh", ["#compdef sanshi", "_SANSHI_COMPLETE=complete_zsh sanshi", "compdef _sanshi_completion sanshi"]),
        ("fish", ["complete --command sanshi", "env _SANSHI_COMPLETE=complete_fish"]),
        (
            "powershell",
            [
                '$Env:_SANSHI_COMPLETE = "complete_powershell"',
                "Register-ArgumentCompleter -Native -CommandName sanshi -ScriptBlock $scriptblock",
            ],
        ),
        ("pwsh", ['$Env:_SANSHI_COMPLETE = "complete_powershell"', "-CommandName sanshi"]),
    ],
)
def test_show_completion_prints_the_script_for_each_shell(sanshi, monkeypatch, shell: str, expected) -> None:
    # Typer detects the shell from the parent process; this switch lets a test name it.
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = sanshi("--show-completion", shell)
    assert result.exit_code == 0
    for text in expected:
        assert text in result.stdout


@pytest.mark.parametrize(
    ("shell", "path", "startup"),
    [
        ("bash", ".bash_completions/sanshi.sh", (".bashrc", "/.bash_completions/sanshi.sh")),
        ("zsh", ".zfunc/_sanshi", (".zshrc", "fpath+=~/.zfunc")),
        ("fish", ".config/fish/completions/sanshi.fish", None),
    ],
)
def test_install_completion_writes_the_script_in_the_users_home(
    sanshi, monkeypatch, tmp_path: Path, shell: str, path: str, startup: tuple[str, str] | None
) -> None:
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    result = sanshi("--install-completion", shell)
    assert result.exit_code == 0
    assert f"{shell} completion installed in" in result.stdout
    assert "_SANSHI_COMPLETE" in (tmp_path / path).read_text("utf-8")
    if startup:  # the shell's start-up file loads it
        assert startup[1] in (tmp_path / startup[0]).read_text("utf-8")


def test_the_help_lists_the_completion_options(sanshi) -> None:
    result = sanshi("--help")
    assert "--install-completion" in result.stdout
    assert "--show-completion" in result.stdout


# -- what Tab offers ------------------------------------------------------------------------------


def test_commands(tmp_path: Path) -> None:
    assert offered("sanshi ", tmp_path) == [
        "status",
        "plan",
        "progress",
        "bulletin",
        "check",
        "alert",
        "init",
        "import",
        "done",
        "report",
        "sheet",
        "collect",
        "problem",
    ]


def test_options(tmp_path: Path) -> None:
    options = offered("sanshi status --", tmp_path)
    assert {"--file", "--project", "--unit", "--leader", "--as-of", "--format", "--lang"} <= set(options)


def test_choices(tmp_path: Path) -> None:
    assert offered("sanshi status --lang ", tmp_path) == ["zh", "en"]


def test_project_ids_from_the_file_on_the_command_line(tmp_path: Path) -> None:
    assert offered(f"sanshi status -f {SAMPLE} -p ", tmp_path) == PROJECT_IDS
    assert offered(f"sanshi status --file {SAMPLE} --project c", tmp_path) == ["civic-center", "college-upgrade"]


def test_unit_ids_from_sanshi_file(tmp_path: Path) -> None:
    assert offered("sanshi plan -u ", tmp_path, SANSHI_FILE=str(SAMPLE)) == UNIT_IDS
    assert offered("sanshi status --unit j", tmp_path, SANSHI_FILE=str(SAMPLE)) == ["jsj", "jfj"]


def test_leader_ids_from_projects_toml_in_the_current_folder(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "projects.toml")
    assert offered("sanshi status -l ", tmp_path) == PEOPLE_IDS


def test_ids_from_data_projects_toml_in_a_clone(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    shutil.copy(SAMPLE, tmp_path / "data" / "projects.toml")
    assert offered("sanshi plan --weekly -p s", tmp_path) == ["shanyang-bridge", "smart-island"]


def test_file_on_the_command_line_wins_over_sanshi_file(tmp_path: Path) -> None:
    (tmp_path / "one.toml").write_text('[[units]]\nid = "only"\nname = "唯一单位"\n', encoding="utf-8")
    assert offered("sanshi status -f one.toml -u ", tmp_path, SANSHI_FILE=str(SAMPLE)) == ["only"]


def test_alert_only_unit(tmp_path: Path) -> None:
    assert offered(f"sanshi alert -f {SAMPLE} --only-unit w", tmp_path) == ["wenyuan"]


def test_alert_only_channel_offers_the_group_chats(tmp_path: Path) -> None:
    assert offered(f"sanshi alert -f {SAMPLE} --only-channel ", tmp_path) == [
        "pmo-group", "dispatch-group", "leaders-group"
    ]  # fmt: skip
    assert offered(f"sanshi alert -f {SAMPLE} --only-channel d", tmp_path) == ["dispatch-group"]
    result = complete(f"sanshi alert -f {SAMPLE} --only-channel l", tmp_path, shell="fish")
    assert result.stdout == "leaders-group\tfeishu\n"


@pytest.mark.parametrize(
    ("shell", "expected"),
    [
        ("zsh", '_arguments \'*: :(("jsj":"高新区建设局 (建设局)"\n"jfj":"高新区经济发展局 (经发局)"))\''),
        ("fish", "jsj\t高新区建设局 (建设局)\njfj\t高新区经济发展局 (经发局)"),
        ("powershell", "jsj:::高新区建设局 (建设局)\njfj:::高新区经济发展局 (经发局)"),
    ],
)
def test_names_are_the_help_text_where_the_shell_shows_it(tmp_path: Path, shell: str, expected: str) -> None:
    result = complete(f"sanshi status -f {SAMPLE} -u j", tmp_path, shell)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.strip("\n") == expected


def test_a_file_that_does_not_validate_still_offers_its_ids(tmp_path: Path) -> None:
    (tmp_path / "projects.toml").write_text(
        '[[projects]]\nid = "p1"\nname = "一号"\nbogus = 1\n\n[[projects]]\nid = "p2"\nname = "二号"\n',
        encoding="utf-8",
    )
    assert offered("sanshi status -p ", tmp_path) == ["p1", "p2"]


def test_a_file_being_edited_offers_the_ids_it_can_read(tmp_path: Path) -> None:
    (tmp_path / "projects.toml").write_text(
        '[[units]]\nid = "jsj"\nname = "建设局"\n\n[[units]]\nid = "zrzy"\nname = "自然资源\n\n'
        '[[projects]]\nid = "p1"\n  [[projects.milestones]]\n  id = "m1"\n',
        encoding="utf-8",
    )
    assert offered("sanshi status -u ", tmp_path) == ["jsj", "zrzy"]
    assert offered("sanshi status -p ", tmp_path) == ["p1"]


@pytest.mark.parametrize(
    "content",
    [None, b"", b"\xff\xfe\x00garbage", b"[[units]\nid = ", b"units = 3\n", b"[[units]]\nid = 7\n"],
    ids=["no-file", "empty", "binary", "broken", "not-a-list", "id-not-text"],
)
def test_a_missing_or_broken_file_offers_nothing_and_says_nothing(tmp_path: Path, content: bytes | None) -> None:
    if content is not None:
        (tmp_path / "projects.toml").write_bytes(content)
    result = complete("sanshi status -u ", tmp_path)
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "", "")


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash here")
def test_real_bash_completes_project_ids(tmp_path: Path) -> None:
    """Source the script Typer prints into a real bash and press Tab (by calling its function)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / "sanshi"
    program.write_text(f'#!/bin/sh\nexec "{sys.executable}" -c "{PROGRAM}" "$@"\n', encoding="utf-8")
    program.chmod(0o755)
    env = environment(PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    script = subprocess.run(
        ["sanshi", "--show-completion", "bash"],
        capture_output=True,
        text=True,
        env={**env, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
        timeout=60,
    )
    assert script.returncode == 0, script.stderr
    (tmp_path / "sanshi.bash").write_text(script.stdout, encoding="utf-8")
    shutil.copy(SAMPLE, tmp_path / "projects.toml")
    session = (
        "source sanshi.bash\n"
        'COMP_WORDS=(sanshi status -p "c"); COMP_CWORD=3\n'
        '_sanshi_completion sanshi\nprintf "%s\\n" "${COMPREPLY[@]}"\n'
        "complete -p sanshi\n"
    )
    result = subprocess.run(
        ["bash", "--norc", "-c", session], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "civic-center",
        "college-upgrade",
        "complete -o default -F _sanshi_completion sanshi",
    ]
