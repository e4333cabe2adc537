"""``sanshi problem``: every transition on a real file (the whole file before and after), every bad
input, --dry-run, the list in every format and layout, and the grouping of a period."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tomli

FILE = """\
[settings]
title = "示例工程"
language = "zh"

[[units]]
id = "jsj"
name = "高新区建设局"
short = "建设局"

[[units]]
id = "gdj"
name = "国网高新供电公司"
short = "供电公司"

[[people]]
id = "leader-a"
name = "示例领导甲"

[[people]]
id = "leader-b"
name = "示例领导乙"

# ---- 项目一 ----
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

  [[projects.problems]]            # 问题清单
  id = "P-2026-001"
  text = "施工用电接入滞后"
  category = "要素保障"
  owner = "gdj"
  raised = 2026-11-02
  due = 2026-11-20

    [[projects.problems.updates]]
    on = 2026-11-10
    text = "已完成线路设计"

  [[projects.problems]]
  id = "P-2026-002"
  text = "施工用地未交付"
  category = "用地"
  raised = 2026-11-05
  due = 2026-12-10
  solved = 2026-11-25

# ---- 项目二 ----
[[projects]]
id = "school"
name = "实验学校"
leader = "leader-b"
lead_unit = "jsj"
responsible_unit = "jsj"
start = 2026-03-01
finish = 2027-06-30

  [[projects.milestones]]
  id = "permits"
  name = "施工许可证"
  due = 2026-05-30
"""

AS_OF = ("--as-of", "2026-11-27")


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "projects.toml"
    path.write_bytes(FILE.encode())
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in ("projects.toml", "projects.toml.lock"))


def after(old: str, new: str, text: str = FILE) -> str:
    """``text`` with its one occurrence of ``old`` replaced by ``new``."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def problems_of(path: Path) -> dict[str, dict[str, object]]:
    data = tomli.loads(path.read_text("utf-8-sig"))
    return {p["id"]: p for project in data["projects"] for p in project.get("problems", [])}


# -- add --------------------------------------------------------------------------------------------


def test_add_prints_the_id_alone_and_appends_the_table_to_the_project(sanshi, book: Path) -> None:
    result = sanshi(
        "problem", "add", "school", "资金未到位", "--due", "2026-12-20", "--owner", "供电公司", "--category", "资金",
        "--measures", "协调财政局拨付", "--leader", "示例领导甲", *AS_OF,
    )  # fmt: skip
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "P-2026-003\n",
        "已添加问题 P-2026-003：school“资金未到位”，时限 2026-12-20（projects.toml）\n",
    )
    expected = FILE + (
        "\n"
        "  [[projects.problems]]\n"
        '  id = "P-2026-003"\n'
        '  text = "资金未到位"\n'
        '  category = "资金"\n'
        '  owner = "gdj"\n'
        '  leader = "leader-a"\n'
        "  raised = 2026-11-27\n"
        "  due = 2026-12-20\n"
        '  measures = "协调财政局拨付"\n'
    )
    assert book.read_text("utf-8") == expected
    assert (book.parent / "projects.toml.bak").read_text("utf-8") == FILE


def test_add_goes_after_the_projects_last_problem_and_before_the_next_comment(sanshi, book: Path) -> None:
    result = sanshi("problem", "add", "市民中心", "消防审批滞后", "--due", "2026-12-31", "--raised", "2026-11-26",
                    *AS_OF, "--lang", "en")  # fmt: skip
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "P-2026-003\n",
        "Added problem P-2026-003: civic-center '消防审批滞后', due 2026-12-31 (projects.toml)\n",
    )
    assert book.read_text("utf-8") == after(
        "  solved = 2026-11-25\n",
        "  solved = 2026-11-25\n"
        "\n"
        "  [[projects.problems]]\n"
        '  id = "P-2026-003"\n'
        '  text = "消防审批滞后"\n'
        "  raised = 2026-11-26\n"
        "  due = 2026-12-31\n",
    )


def test_ids_count_per_year_of_raising(sanshi, book: Path) -> None:
    def add(raised: str) -> str:
        result = sanshi("problem", "add", "school", "问题", "--due", "2027-03-01", "--raised", raised,
                        "--as-of", "2027-01-10")  # fmt: skip
        assert result.exit_code == 0, result.stderr
        return result.stdout.strip()

    assert add("2025-12-30") == "P-2025-001"
    assert add("2026-12-30") == "P-2026-003"
    assert add("2027-01-04") == "P-2027-001"
    assert add("2027-01-05") == "P-2027-002"
    assert add("2025-06-01") == "P-2025-002"
    assert sorted(problems_of(book)) == [
        "P-2025-001", "P-2025-002", "P-2026-001", "P-2026-002", "P-2026-003", "P-2027-001", "P-2027-002",
    ]  # fmt: skip


def test_ids_take_the_largest_of_the_year_and_grow_past_three_digits(sanshi, tmp_path: Path) -> None:
    path = tmp_path / "projects.toml"
    path.write_text(FILE.replace("P-2026-002", "P-2026-999").replace("P-2026-001", "P-2026-017"), encoding="utf-8")
    result = sanshi("problem", "add", "school", "问题", "--due", "2026-12-20", *AS_OF)
    assert result.stdout == "P-2026-1000\n"


# -- note, extend, solved, close, reopen ------------------------------------------------------------


def test_note_goes_after_the_problems_own_tables(sanshi, book: Path) -> None:
    result = sanshi("problem", "note", "P-2026-001", "供电公司已进场施工", "--on", "2026-11-20", *AS_OF)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "已添加跟踪记录：P-2026-001 2026-11-20（projects.toml）\n",
        "",
    )
    assert book.read_text("utf-8") == after(
        '    text = "已完成线路设计"\n',
        '    text = "已完成线路设计"\n'
        "\n"
        "    [[projects.problems.updates]]\n"
        "    on = 2026-11-20\n"
        '    text = "供电公司已进场施工"\n',
    )


def test_a_first_note_is_indented_like_the_files_other_notes(sanshi, book: Path) -> None:
    result = sanshi("problem", "note", "施工用地", "已完成地上物清点", *AS_OF)
    assert result.exit_code == 0, result.stderr
    assert book.read_text("utf-8") == after(
        "  solved = 2026-11-25\n",
        "  solved = 2026-11-25\n"
        "\n"
        "    [[projects.problems.updates]]\n"
        "    on = 2026-11-27\n"
        '    text = "已完成地上物清点"\n',
    )


def test_extend_by_a_text_prefix_records_an_extension(sanshi, book: Path) -> None:
    result = sanshi("problem", "extend", "施工用电", "--due", "2026-12-04", "--reason", "设备到货延迟",
                    "--on", "2026-11-19", *AS_OF)  # fmt: skip
    assert (result.exit_code, result.stdout) == (
        0,
        "已延期：P-2026-001 时限 2026-11-20 → 2026-12-04（projects.toml）\n",
    )
    assert book.read_text("utf-8") == after(
        '    text = "已完成线路设计"\n',
        '    text = "已完成线路设计"\n'
        "\n"
        "    [[projects.problems.extensions]]\n"
        "    on = 2026-11-19\n"
        "    due = 2026-12-04\n"
        '    reason = "设备到货延迟"\n',
    )
    again = sanshi("problem", "extend", "P-2026-001", "--due", "2026-12-18", "--reason", "再延", *AS_OF, "--lang", "en")
    assert again.stdout == "Extended: P-2026-001 due 2026-12-04 → 2026-12-18 (projects.toml)\n"
    assert problems_of(book)["P-2026-001"]["due"].isoformat() == "2026-11-20"  # type: ignore[union-attr]


def test_solved_then_close_then_reopen(sanshi, book: Path) -> None:
    solved = sanshi("problem", "solved", "P-2026-001", "--on", "2026-11-26", *AS_OF)
    assert (solved.exit_code, solved.stdout) == (0, "已记录办结：P-2026-001 2026-11-26（projects.toml）\n")
    step1 = after("  due = 2026-11-20\n", "  due = 2026-11-20\n  solved = 2026-11-26\n")
    assert book.read_text("utf-8") == step1

    closed = sanshi("problem", "close", "P-2026-001", *AS_OF)
    assert (closed.exit_code, closed.stdout) == (0, "已销号：P-2026-001 2026-11-27（projects.toml）\n")
    step2 = after("  solved = 2026-11-26\n", "  solved = 2026-11-26\n  closed = 2026-11-27\n", step1)
    assert book.read_text("utf-8") == step2

    reopened = sanshi("problem", "reopen", "P-2026-001", "--reason", "复查发现未通电", *AS_OF)
    assert (reopened.exit_code, reopened.stdout) == (
        0,
        "已重新打开：P-2026-001 2026-11-27（原办结 2026-11-26，原销号 2026-11-27）（projects.toml）\n",
    )
    assert book.read_text("utf-8") == after(
        '    text = "已完成线路设计"\n',
        '    text = "已完成线路设计"\n'
        "\n"
        "    [[projects.problems.reopenings]]\n"
        "    on = 2026-11-27\n"
        '    reason = "复查发现未通电"\n'
        "    solved = 2026-11-26\n"
        "    closed = 2026-11-27\n",
    )
    # open again: it can be solved and closed once more
    assert sanshi("problem", "solved", "P-2026-001", *AS_OF).exit_code == 0
    assert sanshi("problem", "close", "P-2026-001", *AS_OF).exit_code == 0


def test_close_a_solved_problem_and_reopen_a_solved_one(sanshi, book: Path) -> None:
    closed = sanshi("problem", "close", "P-2026-002", "--on", "2026-11-26", *AS_OF, "--lang", "en")
    assert closed.stdout == "Closed off: P-2026-002 on 2026-11-26 (projects.toml)\n"
    assert book.read_text("utf-8") == after("  solved = 2026-11-25\n", "  solved = 2026-11-25\n  closed = 2026-11-26\n")


def test_reopening_a_solved_problem_keeps_only_its_solved_date(sanshi, book: Path) -> None:
    result = sanshi("problem", "reopen", "P-2026-002", "--reason", "仍有一户未搬迁", *AS_OF)
    assert result.stdout == "已重新打开：P-2026-002 2026-11-27（原办结 2026-11-25，原销号 —）（projects.toml）\n"
    assert book.read_text("utf-8") == after(
        "  solved = 2026-11-25\n",
        "\n"
        "    [[projects.problems.reopenings]]\n"
        "    on = 2026-11-27\n"
        '    reason = "仍有一户未搬迁"\n'
        "    solved = 2026-11-25\n",
    )


def test_force_closes_an_unsolved_problem_with_both_dates(sanshi, book: Path) -> None:
    refused = sanshi("problem", "close", "P-2026-001", *AS_OF)
    assert (refused.exit_code, refused.stderr) == (
        2,
        "错误：P-2026-001 尚未报办结：要直接销号，请加 --force（办结和销号日期都记为 2026-11-27）\n",
    )
    assert book.read_text("utf-8") == FILE
    forced = sanshi("problem", "close", "P-2026-001", "--force", *AS_OF)
    assert forced.stdout == ("已销号：P-2026-001 2026-11-27（未报办结，办结日期也记为 2026-11-27）（projects.toml）\n")
    assert book.read_text("utf-8") == after(
        "  due = 2026-11-20\n", "  due = 2026-11-20\n  solved = 2026-11-27\n  closed = 2026-11-27\n"
    )


# -- bad input --------------------------------------------------------------------------------------

CLOSED = FILE.replace("  solved = 2026-11-25\n", "  solved = 2026-11-25\n  closed = 2026-11-26\n")


@pytest.mark.parametrize(
    ("text", "args", "expected"),
    [
        (CLOSED, ["close", "P-2026-002"], "P-2026-002 已于 2026-11-26 销号：不能再次销号（问题复发请用 sanshi problem reopen）"),
        (
            CLOSED,
            ["extend", "P-2026-002", "--due", "2026-12-30", "--reason", "x"],
            "P-2026-002 已于 2026-11-26 销号：不能延期（问题复发请先用 sanshi problem reopen）",
        ),
        (CLOSED, ["solved", "P-2026-002"], "P-2026-002 已于 2026-11-26 销号：不能再记办结（问题复发请先用 sanshi problem reopen）"),
        (FILE, ["solved", "P-2026-002"], "P-2026-002 已于 2026-11-25 报办结：不能再次记录（未真正解决请用 sanshi problem reopen）"),
        (FILE, ["reopen", "P-2026-001", "--reason", "x"], "P-2026-001 尚未办结或销号：无需重新打开"),
        (
            FILE,
            ["extend", "P-2026-001", "--due", "2026-10-30", "--reason", "x"],
            "时限 2026-10-30 早于问题提出日期 2026-11-02：请检查 --due",
        ),
        (
            FILE,
            ["add", "school", "问题", "--due", "2026-11-01", "--raised", "2026-11-05"],
            "时限 2026-11-01 早于问题提出日期 2026-11-05：请检查 --due",
        ),
        (
            FILE,
            ["note", "施工用", "x"],
            "“施工用” 是多个问题描述的开头（P-2026-001 施工用电接入滞后; P-2026-002 施工用地未交付）：请用编号",
        ),
        (
            FILE,
            ["note", "P-2026-01", "x"],
            "“P-2026-01” 不是已知问题的编号，也不是问题描述的开头（是否应为 “P-2026-001”？）："
            "请用编号（如 P-2026-001）或问题描述的开头",
        ),
        (FILE, ["note", "P-2026-001", "x", "--on", "2026-11-01"], "P-2026-001 的日期 2026-11-01 早于问题提出日期 2026-11-02：请检查 --on"),
        (
            FILE,
            ["note", "P-2026-001", "x", "--on", "2026-11-28"],
            "日期 2026-11-28 晚于今天 2026-11-27：只能记录已经发生的事（日期请用 --on 指定）",
        ),
        (
            FILE,
            ["add", "school", "问题", "--due", "2026-12-01", "--raised", "2026-11-30"],
            "日期 2026-11-30 晚于今天 2026-11-27：只能记录已经发生的事（日期请用 --raised 指定）",
        ),
        (FILE, ["close", "P-2026-002", "--on", "2026-11-24"], "P-2026-002 的销号日期 2026-11-24 早于办结日期 2026-11-25：请检查 --on"),
        (FILE, ["extend", "P-2026-001", "--due", "2026-11-20", "--reason", "x"], "P-2026-001 的时限已是 2026-11-20：无需延期"),
        (FILE, ["reopen", "P-2026-002", "--reason", "x", "--on", "2026-11-20"], "P-2026-002 的重新打开日期 2026-11-20 早于其办结或销号日期 2026-11-25：请检查 --on"),
        (FILE, ["note", "P-2026-001", "  "], "TEXT 不能为空：请填写内容"),
        (FILE, ["reopen", "P-2026-002", "--reason", ""], "--reason 不能为空：请填写内容"),
        (FILE, ["add", "schol", "问题", "--due", "2026-12-01"], "PROJECT “schol” 不是已知的项目（是否应为 “school”？）：请用 id 或名称"),
        (FILE, ["add", "school", "问题", "--due", "2026-12-01", "--owner", "gdk"], "--owner “gdk” 不是已知的单位（是否应为 “gdj”？）：请用 id 或名称"),
        (FILE, ["add", "school", "问题", "--due", "2026-12-32"], "--due 的值 “2026-12-32” 不是日期：请用 YYYY-MM-DD，如 2026-04-28"),
    ],
    ids=[
        "close-twice", "extend-closed", "solve-closed", "solve-twice", "reopen-open", "extend-before-raised",
        "add-due-before-raised", "ambiguous-prefix", "unknown-id", "before-raised", "after-as-of", "raised-after-as-of",
        "close-before-solved", "same-deadline", "reopen-before-closed", "empty-note", "empty-reason", "unknown-project",
        "unknown-owner", "bad-date",
    ],
)  # fmt: skip
def test_bad_input_is_one_line_exit_2_and_the_file_untouched(sanshi, tmp_path: Path, text, args, expected) -> None:
    path = tmp_path / "projects.toml"
    path.write_text(text, encoding="utf-8")
    result = sanshi("problem", *args, *AS_OF)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"错误：{expected}\n")
    assert path.read_text("utf-8") == text
    assert leftovers(tmp_path) == []


def test_errors_speak_english(sanshi, tmp_path: Path) -> None:
    path = tmp_path / "projects.toml"
    path.write_text(CLOSED, encoding="utf-8")
    result = sanshi("problem", "close", "P-2026-002", *AS_OF, "--lang", "en")
    assert result.stderr == (
        "error: P-2026-002 was closed off on 2026-11-26: it cannot be closed again "
        "(if it came back, use sanshi problem reopen)\n"
    )
    result = sanshi("problem", "note", "施工用", "x", *AS_OF, "--lang", "en")
    assert result.stderr == (
        "error: '施工用' begins the text of several problems "
        "(P-2026-001 施工用电接入滞后; P-2026-002 施工用地未交付): use an id\n"
    )


def test_dry_run_prints_the_diff_and_writes_nothing(sanshi, book: Path) -> None:
    result = sanshi("problem", "solved", "P-2026-001", "--dry-run", *AS_OF)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "--- a/projects.toml",
        "+++ b/projects.toml",
        "@@ -42,6 +42,7 @@",
        '   owner = "gdj"',
        "   raised = 2026-11-02",
        "   due = 2026-11-20",
        "+  solved = 2026-11-27",
        " ",
        "     [[projects.problems.updates]]",
        "     on = 2026-11-10",
        "--dry-run：以上是将要做的修改，projects.toml 未写入",
    ]
    for args in (
        ["add", "school", "问题", "--due", "2026-12-20"],
        ["note", "P-2026-001", "x"],
        ["extend", "P-2026-001", "--due", "2026-12-20", "--reason", "x"],
        ["close", "P-2026-002"],
        ["reopen", "P-2026-002", "--reason", "x"],
    ):
        dry = sanshi("problem", *args, "--dry-run", *AS_OF)
        assert dry.exit_code == 0 and dry.stdout.startswith("--- a/projects.toml\n"), dry.stderr
        assert "P-2026-003\n" not in dry.stdout.splitlines(keepends=True)
    assert book.read_text("utf-8") == FILE
    assert leftovers(book.parent) == []


# -- the file's style -------------------------------------------------------------------------------


def test_crlf_and_a_bom_are_kept(sanshi, tmp_path: Path) -> None:
    path = tmp_path / "projects.toml"
    path.write_bytes(b"\xef\xbb\xbf" + FILE.replace("\n", "\r\n").encode())
    assert sanshi("problem", "note", "P-2026-002", "核查中", *AS_OF).exit_code == 0
    assert sanshi("problem", "add", "school", "资金未到位", "--due", "2026-12-20", *AS_OF).exit_code == 0
    expected = after(
        "  solved = 2026-11-25\n",
        '  solved = 2026-11-25\n\n    [[projects.problems.updates]]\n    on = 2026-11-27\n    text = "核查中"\n',
    )
    expected += '\n  [[projects.problems]]\n  id = "P-2026-003"\n  text = "资金未到位"\n  raised = 2026-11-27\n  due = 2026-12-20\n'
    assert path.read_bytes() == b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode()


INLINE = after(
    '  [[projects.milestones]]\n  id = "permits"\n  name = "施工许可证"\n  due = 2026-05-30\n',
    '  milestones = [{ id = "permits", name = "施工许可证", due = 2026-05-30 }]\n'
    "  problems = [\n"
    '    { id = "P-2026-010", text = "排水接入", raised = 2026-11-03, due = 2026-11-30 },  # 内联\n'
    "  ]\n",
)


def test_inline_problems_are_edited_in_place(sanshi, tmp_path: Path) -> None:
    path = tmp_path / "projects.toml"
    path.write_text(INLINE, encoding="utf-8")
    assert sanshi("problem", "note", "P-2026-010", "已对接", *AS_OF).exit_code == 0
    assert sanshi("problem", "solved", "排水", "--on", "2026-11-26", *AS_OF).exit_code == 0
    added = sanshi("problem", "add", "school", "新问题", "--due", "2026-12-20", *AS_OF)
    assert added.stdout == "P-2026-011\n"
    text = path.read_text("utf-8")
    assert "# 内联" in text and text.startswith(INLINE[: INLINE.index("  problems = [")])
    entry = problems_of(path)["P-2026-010"]
    assert entry["solved"].isoformat() == "2026-11-26"  # type: ignore[union-attr]
    assert entry["updates"] == [{"on": tomli.loads("d = 2026-11-27")["d"], "text": "已对接"}]
    assert sorted(problems_of(path)) == ["P-2026-001", "P-2026-002", "P-2026-010", "P-2026-011"]


def test_the_result_passes_check(sanshi, book: Path) -> None:
    for args in (
        ["note", "P-2026-001", "x"],
        ["extend", "P-2026-001", "--due", "2026-12-20", "--reason", "x", "--on", "2026-11-19"],
        ["close", "P-2026-002"],
        ["reopen", "P-2026-002", "--reason", "x"],
        ["add", "school", "问题", "--due", "2026-12-20"],
    ):
        assert sanshi("problem", *args, *AS_OF).exit_code == 0
    result = sanshi("check", *AS_OF)
    assert result.exit_code == 0, result.stderr


# -- list -------------------------------------------------------------------------------------------

LISTED = (
    FILE
    + """\

  [[projects.problems]]
  id = "P-2026-003"
  text = "资金未到位"
  category = "资金"
  leader = "leader-a"
  raised = 2026-10-10
  due = 2026-10-20
  measures = "协调财政局"

    [[projects.problems.extensions]]
    on = 2026-10-25
    due = 2026-10-30
    reason = "预算调整"

  [[projects.problems]]
  id = "P-2026-004"
  text = "临时道路未通"
  raised = 2026-09-01
  due = 2026-09-30
  solved = 2026-09-20
  closed = 2026-11-03
"""
)


@pytest.fixture
def listed(tmp_path: Path) -> Path:
    path = tmp_path / "projects.toml"
    path.write_text(LISTED, encoding="utf-8")
    return path


def test_list_table_wide_in_chinese(sanshi, listed: Path) -> None:
    result = sanshi("problem", "list", *AS_OF)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == TABLE_ZH_200


def test_list_at_150_in_english(sanshi, listed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "150")
    result = sanshi("problem", "list", *AS_OF, "--lang", "en")
    assert result.stdout == TABLE_EN_150


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_list_at_80_is_stacked(sanshi, listed: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = sanshi("problem", "list", *AS_OF, "--lang", lang)
    assert result.stdout == (STACKED_ZH_80 if lang == "zh" else STACKED_EN_80)
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_list_json_pins_its_keys(sanshi, listed: Path) -> None:
    result = sanshi("problem", "list", "--all", *AS_OF, "--format", "json")
    data = json.loads(result.stdout)
    assert list(data) == ["as_of", "from", "to", "title", "problems", "summary"]
    assert [p["id"] for p in data["problems"]] == ["P-2026-001", "P-2026-002", "P-2026-003", "P-2026-004"]
    assert list(data["problems"][2]) == [
        "id", "project", "project_name", "text", "category", "owner", "owner_id", "leader", "leader_id", "raised",
        "due", "deadline", "late_extension", "measures", "solved", "closed", "lifecycle", "state", "level",
        "days_overdue", "escalation", "last_note", "last_note_on", "group",
    ]  # fmt: skip
    third = data["problems"][2]
    assert {k: third[k] for k in ("due", "deadline", "late_extension", "state", "level", "days_overdue", "escalation",
                                  "owner", "owner_id")} == {  # fmt: skip
        "due": "2026-10-20", "deadline": "2026-10-30", "late_extension": True, "state": "overdue", "level": "red",
        "days_overdue": 28, "escalation": 3, "owner": "高新区建设局", "owner_id": "jsj",
    }  # fmt: skip
    assert data["summary"] == {
        "problems": 4, "open": 2, "solved": 1, "closed": 1, "overdue": 2, "awaiting_verification": 0,
        "escalated": 1, "new": 0, "closed_off": 0, "in_progress": 0,
    }  # fmt: skip


def test_list_csv_and_markdown(sanshi, listed: Path) -> None:
    csv_text = sanshi("problem", "list", "--overdue", *AS_OF, "--format", "csv").stdout
    lines = csv_text.splitlines()
    assert lines[0].startswith("id,project,project_name,text,category,owner,owner_id,")
    assert [line.split(",")[0] for line in lines[1:]] == ["P-2026-001", "P-2026-003"]
    markdown = sanshi("problem", "list", "--closed", *AS_OF, "--format", "markdown").stdout
    assert markdown == (
        "## 示例工程 问题清单（截至 2026-11-27）\n\n"
        "| 编号 | 项目 | 问题 | 类别 | 责任单位 | 分包领导 | 解决时限 | 状态 | 逾期天数 | 督办级别 | 最新进展 |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n"
        "| P-2026-004 | 实验学校 | 临时道路未通 | — | 高新区建设局 | 示例领导乙 | 2026-09-30 | 已销号 | — | — | — |\n\n"
        "- 共 1 个问题：逾期 0 个，待销号 0 个，督办（3 级）0 个\n"
    )


def test_list_filters(sanshi, listed: Path) -> None:
    def ids(*args: str) -> list[str]:
        result = sanshi("problem", "list", *AS_OF, *args, "--format", "csv")
        assert result.exit_code == 0, result.stderr
        return [line.split(",")[0] for line in result.stdout.splitlines()[1:]]

    assert ids() == ["P-2026-001", "P-2026-002", "P-2026-003"]
    assert ids("--solved") == ["P-2026-002"]
    assert ids("--open") == ["P-2026-001", "P-2026-003"]
    assert ids("--all") == ["P-2026-001", "P-2026-002", "P-2026-003", "P-2026-004"]
    assert ids("--closed", "--solved") == ["P-2026-002", "P-2026-004"]
    assert ids("-u", "供电公司") == ["P-2026-001"]
    assert ids("-p", "school") == ["P-2026-003"]
    assert ids("-l", "leader-a") == ["P-2026-001", "P-2026-002", "P-2026-003"]  # P-2026-003: its own leader
    assert ids("--category", "资金", "--category", "用地") == ["P-2026-002", "P-2026-003"]
    assert ids("--as-of", "2026-11-04") == ["P-2026-001", "P-2026-003"]  # P-2026-002 not raised yet


def test_a_period_is_grouped_and_closed_wins(sanshi, listed: Path) -> None:
    result = sanshi("problem", "list", "--from", "2026-11-01", "--to", "2026-11-30", *AS_OF, "--format", "csv")
    rows = [line.split(",") for line in result.stdout.splitlines()[1:]]
    assert [(r[0], r[-1]) for r in rows] == [
        ("P-2026-001", "new"),
        ("P-2026-002", "new"),
        ("P-2026-004", "closed"),
        ("P-2026-003", "ongoing"),
    ]
    october = sanshi("problem", "list", "--from", "2026-10-01", "--to", "2026-10-31", *AS_OF, "--format", "csv")
    assert [(r.split(",")[0], r.split(",")[-1]) for r in october.stdout.splitlines()[1:]] == [
        ("P-2026-003", "new"),
        ("P-2026-004", "ongoing"),
    ]
    table = sanshi("problem", "list", "--from", "2026-11-01", "--to", "2026-11-30", *AS_OF).stdout
    assert table.splitlines()[0] == "示例工程 问题清单（2026-11-01 至 2026-11-30）"
    headings = [line for line in table.splitlines() if line.endswith("）") and "（" in line[:6]]
    assert headings == ["新增（2）", "已销号（1）", "推进中（1）"]


def test_list_usage_errors(sanshi, listed: Path) -> None:
    both = sanshi("problem", "list", "--all", "--open", *AS_OF)
    assert (both.exit_code, both.stderr) == (2, "错误：--open、--solved、--closed、--overdue 不能与 --all 同用\n")
    to = sanshi("problem", "list", "--to", "2026-11-30", *AS_OF)
    assert (to.exit_code, to.stderr) == (2, "错误：--to 需要同时给出 --from\n")
    swapped = sanshi("problem", "list", "--from", "2026-11-30", "--to", "2026-11-01", *AS_OF)
    assert (swapped.exit_code, swapped.stderr) == (2, "错误：--from 2026-11-30 晚于 --to 2026-11-01：请交换两者\n")


def test_list_writes_a_file(sanshi, listed: Path) -> None:
    result = sanshi("problem", "list", *AS_OF, "-o", "问题清单.csv")
    assert (result.exit_code, result.stdout) == (0, "")
    written = (listed.parent / "问题清单.csv").read_bytes()
    assert written.startswith(b"\xef\xbb\xbfid,project,")


TABLE_ZH_200 = """\
示例工程 问题清单（截至 2026-11-27）

编号        项目      问题              类别      责任单位          分包领导    解决时限                状态    逾期天数  督办级别  最新进展
─────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
P-2026-001  市民中心  施工用电接入滞后  要素保障  国网高新供电公司  示例领导甲  2026-11-20              逾期        7 天  2 级      2026-11-10 已完成线路设计
P-2026-002  市民中心  施工用地未交付    用地      高新区建设局      示例领导甲  2026-12-10              已办结         —  —         —
P-2026-003  实验学校  资金未到位        资金      高新区建设局      示例领导甲  2026-10-30（逾时延期）  逾期       28 天  3 级      —

共 3 个问题：逾期 2 个，待销号 0 个，督办（3 级）1 个
"""
TABLE_EN_150 = """\
示例工程: problem list as of 2026-11-27

ID          Project   Problem           Category  Responsible unit  Leader      Deadline                    State        Days  Level    Last note
                                                                                                                      overdue
─────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
P-2026-001  市民中心  施工用电接入滞后  要素保障  国网高新供电公司  示例领导甲  2026-11-20                  overdue    7 days  level 2  2026-11-10 已
                                                                                                                                        完成线路设计
P-2026-002  市民中心  施工用地未交付    用地      高新区建设局      示例领导甲  2026-12-10                  solved          —  —        —
P-2026-003  实验学校  资金未到位        资金      高新区建设局      示例领导甲  2026-10-30 (extended late)  overdue   28 days  level 3  —

3 problems: 2 overdue, 0 awaiting verification, 1 at level 3
"""
STACKED_ZH_80 = """\
示例工程 问题清单（截至 2026-11-27）

P-2026-001  市民中心  逾期
  问题  施工用电接入滞后
  责任  供电公司 / 示例领导甲
  时限  11-20，逾期 7 天，2 级
  进展  11-10 已完成线路设计

P-2026-002  市民中心  已办结
  问题  施工用地未交付
  责任  建设局 / 示例领导甲
  时限  12-10

P-2026-003  实验学校  逾期
  问题  资金未到位
  责任  建设局 / 示例领导甲
  时限  10-30（逾时延期），逾期 28 天，3 级

共 3 个问题：逾期 2 个，待销号 0 个，督办（3 级）1 个
"""
STACKED_EN_80 = """\
示例工程: problem list as of 2026-11-27

P-2026-001  市民中心  overdue
  Problem  施工用电接入滞后
  Owner    供电公司 / 示例领导甲
  Due      11-20, 7 days overdue, level 2
  Note     11-10 已完成线路设计

P-2026-002  市民中心  solved
  Problem  施工用地未交付
  Owner    建设局 / 示例领导甲
  Due      12-10

P-2026-003  实验学校  overdue
  Problem  资金未到位
  Owner    建设局 / 示例领导甲
  Due      10-30 (extended late), 28 days overdue, level 3

3 problems: 2 overdue, 0 awaiting verification, 1 at level 3
"""


def test_tab_offers_problem_ids(book: Path) -> None:
    from tests.test_completion import offered

    assert offered("sanshi problem note P-2026-", book.parent) == ["P-2026-001", "P-2026-002"]
    assert offered("sanshi problem close P-2026-00", book.parent) == ["P-2026-001", "P-2026-002"]
    assert offered("sanshi problem add sch", book.parent) == ["school"]


def test_a_file_without_indentation_gets_nested_tables_one_step_in(sanshi, tmp_path: Path) -> None:
    flat = "\n".join(line.lstrip(" ") for line in FILE.split("\n"))
    path = tmp_path / "projects.toml"
    path.write_text(after('[[projects.problems.updates]]\non = 2026-11-10\ntext = "已完成线路设计"\n\n', "", flat),
                    encoding="utf-8")  # fmt: skip
    before = path.read_text("utf-8")
    assert sanshi("problem", "extend", "P-2026-001", "--due", "2026-12-04", "--reason", "设备", *AS_OF).exit_code == 0
    assert path.read_text("utf-8") == after(
        "due = 2026-11-20\n",
        "due = 2026-11-20\n\n  [[projects.problems.extensions]]\n  on = 2026-11-27\n  due = 2026-12-04\n"
        '  reason = "设备"\n',
        before,
    )


def test_text_is_written_as_a_toml_string_and_shown_on_one_line(sanshi, book: Path) -> None:
    text = '审批"卡"在\\第二步\n待协调'
    result = sanshi("problem", "add", "school", text, "--due", "2026-12-20", *AS_OF)
    assert (
        result.stderr
        == '已添加问题 P-2026-003：school“审批"卡"在\\第二步\\n待协调”，时限 2026-12-20（projects.toml）\n'
    )
    assert problems_of(book)["P-2026-003"]["text"] == text


def test_the_library_writes_as_the_command_does(book: Path) -> None:
    from datetime import date

    from sanshi_cli import open_portfolio
    from sanshi_cli.errors import SanshiError

    opened = open_portfolio(book)
    change = opened.add_problem("school", "资金未到位", date(2026, 12, 20), raised=date(2026, 11, 27), owner="gdj")
    assert (change.params["id"], change.written) == ("P-2026-003", True)
    assert opened.solve_problem("P-2026-003", date(2026, 11, 28)).describe("en") == (
        f"Recorded as solved: P-2026-003 on 2026-11-28 ({book})"
    )
    with pytest.raises(SanshiError) as raised:
        opened.solve_problem("P-2026-003", date(2026, 11, 29))
    assert [p.message for p in raised.value.problems] == ["problem_solved_twice"]
    dry = opened.reopen_problem("P-2026-003", "复查", date(2026, 11, 30), dry_run=True)
    assert (dry.changed, dry.written) == (True, False)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["note"], "错误：缺少 ID：运行 sanshi problem note --help 查看用法"),
        (["extend", "P-2026-001", "--reason", "x"], "错误：缺少 --due：运行 sanshi problem extend --help 查看用法"),
        (
            ["lst"],
            "错误：没有命令 “lst”（是否应为 “list”？）：可用的命令有 add | close | extend | list | note | reopen | solved",
        ),
    ],
    ids=["missing-id", "missing-due", "unknown-subcommand"],
)
def test_command_line_mistakes(sanshi, book: Path, args: list[str], expected: str) -> None:
    result = sanshi("problem", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", expected + "\n")


def test_a_missing_argument_of_done_is_named_too(sanshi, book: Path) -> None:
    result = sanshi("done", "civic-center", "--lang", "en")
    assert (result.exit_code, result.stderr) == (2, "error: MILESTONE is missing: see sanshi done --help\n")


@pytest.mark.parametrize(
    ("columns", "args", "name"),
    [("150", ["--all"], "TABLE_ZH_150_ALL"), ("120", ["--from", "2026-11-01", "--to", "2026-11-30"], "PERIOD_ZH_120")],
)
def test_list_in_chinese_at_150_and_a_period_at_120(
    sanshi, listed: Path, monkeypatch: pytest.MonkeyPatch, columns: str, args: list[str], name: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    result = sanshi("problem", "list", *AS_OF, *args)
    assert result.stdout == globals()[name]


TABLE_ZH_150_ALL = """\
示例工程 问题清单（截至 2026-11-27）

编号        项目      问题              类别      责任单位          分包领导    解决时限                状态    逾期天数  督办级别  最新进展
─────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
P-2026-001  市民中心  施工用电接入滞后  要素保障  国网高新供电公司  示例领导甲  2026-11-20              逾期        7 天  2 级      2026-11-10 已
                                                                                                                                    完成线路设计
P-2026-002  市民中心  施工用地未交付    用地      高新区建设局      示例领导甲  2026-12-10              已办结         —  —         —
P-2026-003  实验学校  资金未到位        资金      高新区建设局      示例领导甲  2026-10-30（逾时延期）  逾期       28 天  3 级      —
P-2026-004  实验学校  临时道路未通      —         高新区建设局      示例领导乙  2026-09-30              已销号         —  —         —

共 4 个问题：逾期 2 个，待销号 0 个，督办（3 级）1 个
"""
PERIOD_ZH_120 = """\
示例工程 问题清单（2026-11-01 至 2026-11-30）

新增（2）
编号        项目      问题              责任单位  解决时限  状态    逾期天数  督办级别
──────────────────────────────────────────────────────────────────────────────────────
P-2026-001  市民中心  施工用电接入滞后  供电公司  11-20     逾期       10 天  2 级
P-2026-002  市民中心  施工用地未交付    建设局    12-10     已办结         —  —

已销号（1）
编号        项目      问题          责任单位  解决时限  状态    逾期天数  督办级别
──────────────────────────────────────────────────────────────────────────────────
P-2026-004  实验学校  临时道路未通  建设局    09-30     已销号         —  —

推进中（1）
编号        项目      问题        责任单位  解决时限           状态  逾期天数  督办级别
───────────────────────────────────────────────────────────────────────────────────────
P-2026-003  实验学校  资金未到位  建设局    10-30（逾时延期）  逾期     31 天  3 级

共 4 个问题：逾期 2 个，待销号 0 个，督办（3 级）1 个
"""


def test_the_readme_session_is_what_sanshi_prints(sanshi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's walk through the commands, replayed on a copy of the sample, prints what it shows."""
    import re
    import shlex
    import shutil

    from tests.conftest import REPO, SAMPLE

    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("## The problem list (问题清单)", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```text\n(\$ sanshi problem .*?)```", section, re.DOTALL)
    (tmp_path / "data").mkdir()
    shutil.copyfile(SAMPLE, tmp_path / "data" / "projects.toml")
    monkeypatch.chdir(tmp_path)
    lines = block.splitlines()
    commands = [n for n, line in enumerate(lines) if line.startswith("$ ")]
    for start, end in zip(commands, [*commands[1:], len(lines)], strict=True):
        result = sanshi(*shlex.split(lines[start][2:])[1:])
        assert (result.stdout + result.stderr).splitlines() == lines[start + 1 : end], lines[start]
