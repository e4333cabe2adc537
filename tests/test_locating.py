"""Line numbers for reported places: the partial map that ``check`` builds names the same lines as the full one."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanshi_cli.locating import Loc, Locator
from tests.conftest import REPO, SAMPLE


def _generated(projects: int) -> str:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(REPO / "bench"))
    text, _ = generate.generate(projects, 20261127, date(2026, 11, 27))
    return str(text)


TRICKY = {
    "multi-line strings hide headers and keys": (
        '[[projects]]\nid = "a"\nname = """first\n[[projects]]\nid = "b"\n"""\n'
        "[[projects.milestones]]\nid = 'm'\nname = '''x\nid = \"y\"\n'''  # done\ndue = 2026-01-05\n"
        '[[projects]]\nid = "c"\nnote = """one ""\\""" line"""\nstart = 2026-01-01\n'
    ),
    "CRLF": '[settings]\r\ntitle = "t"\r\n\r\n[[projects]]\r\nid = "a"\r\n[[projects.milestones]]\r\nid = "m"\r\n',
    "a lone CR and a line separator count as breaks": (
        '[settings]\ntitle = "a\u2028b"\r[[projects]]\nid = "a"\x0cstart = 2026-01-01\n[[projects.milestones]]\nid = "m"\n'
    ),
    "a header on the first line, indented, no final break": (
        '  [[units]]\n  id = "u"\n\t[[units]]\n id = "v"\n[alerts]\nrepeat.days = 7\n"quoted.key" = 1'
    ),
    "dotted headers, comments, a table made by a header": (
        "# [[projects]] in a comment\ntitle = 1\n[calendar.years.2027]\nholidays = [\n  [1, 2]\n]\n"
        "[[project.milestones]]\nid = 'x'\n[ projects ]  # a table\nid = 'p'\n"
    ),
}


def _texts() -> dict[str, str]:
    texts = {"sample": SAMPLE.read_text(encoding="utf-8"), "generated": _generated(20), **TRICKY}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for n, block in enumerate(re.findall(r"```toml\n(.*?)```", readme, re.S)):
        texts[f"README block {n}"] = block
    return texts


def _places(full: Locator) -> list[Loc]:
    """Every place the full map knows, and places below them that are written nowhere."""
    known = list(full.lines)
    return known + [(*loc, "absent") for loc in known] + [("nowhere", 3, "due")]


@pytest.mark.parametrize("name", list(_texts()))
def test_a_partial_map_gives_each_place_the_line_of_the_full_one(name: str) -> None:
    text = _texts()[name]
    full = Locator(text)
    places = _places(full)
    together = Locator(text, places)
    assert [together.line_of(loc) for loc in places] == [full.line_of(loc) for loc in places]
    for loc in places[:: max(1, len(places) // 60)]:  # one place asked about alone
        assert Locator(text, [loc]).line_of(loc) == full.line_of(loc), loc


def test_a_partial_map_holds_only_the_places_asked_about() -> None:
    text = _generated(20)
    wanted: list[Loc] = [("projects", 4, "milestones", 2, "due"), ("settings", "title")]
    partial = Locator(text, wanted)
    assert set(partial.lines) <= {(), *(loc[:end] for loc in wanted for end in range(1, len(loc) + 1))}
    assert len(Locator(text).lines) > 50 * len(partial.lines)


_LINES = st.sampled_from(
    [
        "[[projects]]",
        "[[projects.milestones]]",
        "  [[ projects.reports ]]",
        "[settings]",
        "[calendar.years.2027]",
        "[[units]]",
        'id = "a"',
        "due = 2026-01-05",
        "alerts.repeat_days = 7",
        'name = """',
        'name = """one line"""',
        '"""',
        "'''",
        "note = '''[[projects]]",
        "[[projects]] # inside?",
        "# [[units]]",
        "",
        "  [1, 2]",
        'x = "a \\""""',
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=40), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_a_partial_map_agrees_with_the_full_one_on_any_lines(lines: list[str], newline: str, final: bool) -> None:
    text = newline.join(lines) + (newline if final else "")
    full = Locator(text)
    places = _places(full)
    assert [Locator(text, places).line_of(loc) for loc in places] == [full.line_of(loc) for loc in places]


def test_check_names_the_line_of_each_warning_in_a_generated_portfolio(sanshi, tmp_path: Path) -> None:
    path = tmp_path / "projects.toml"
    path.write_text(_generated(12), encoding="utf-8")
    result = sanshi("check", "-f", str(path), "--as-of", "2026-06-01", "--lang", "en")
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if re.match(r".*:\d+: warning", line)]
    assert len(warnings) == 26
    # checked by hand against the file
    assert warnings[0].endswith(
        "projects.toml:149: warning: project p00001, milestone survey, key done: "
        "done = 2026-08-01 is after today 2026-06-01: check it"
    )
    assert warnings[2].endswith(
        "projects.toml:185: warning: project p00001, milestone operation, key offset: "
        'due date 2027-08-29 (Sun) is a rest day: check it, or add roll = "next_workday"'
    )
    source = path.read_text(encoding="utf-8").splitlines()
    for warning in warnings:  # every one: the line holds the key, in the milestone named
        found = re.search(r":(\d+): warning: project (\S+), milestone (\S+), key (\w+):", warning)
        assert found is not None, warning
        number, project, milestone, key = int(found.group(1)), *found.group(2, 3, 4)
        assert source[number - 1].strip().startswith(f"{key} = ")
        ids = [line.split('"')[1] for line in source[:number] if line.strip().startswith("id = ")]
        assert ids[-1] == milestone
        assert project in ids


def test_bench_profile_writes_its_figures(tmp_path: Path) -> None:
    """``bench/run.py --profile`` profiles ``main()`` as shipped, whose ``os._exit`` once ended the run unwritten."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import run
    finally:
        sys.path.remove(str(REPO / "bench"))
    profile, top_imports = run.profile_status(sys.executable, SAMPLE)
    assert profile["total_s"] > 0
    assert "TOML parse (tomli)" in profile["phases"]
    assert "main" in profile["full"]
    assert "sanshi_cli" in top_imports
