"""``sanshi import``: an existing ledger (台账.xlsx) becomes a starter project file that passes check."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import REPO
from tests.make_ledger import build

AS_OF = ("--as-of", "2026-11-27")


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return build(tmp_path / "台账.xlsx")


def edit(path: Path, sheet: str, cells: dict[str, object]) -> Path:
    """Change cells of a sheet of the workbook at ``path``, as a PMO would by hand."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    for address, value in cells.items():
        book[sheet][address] = value
    book.save(path)
    return path


def read(path: Path) -> dict:
    return tomllib.loads(path.read_text("utf-8"))


# -- one project per row --------------------------------------------------------------------------

PROJECT_REPORT = """\
工作表“重点项目台账”：表头在第 3 行，每行一个项目；各列对应：
  B 项目名称 → name
  C 建设内容及规模 → note
  D 总投资（亿元） → total_investment（亿元）
  E 2026年度计划投资（万元） → annual_investment（2026 年，万元）
  F 计划开工时间 → start
  G 计划竣工时间 → finish
  H 责任单位 → responsible_unit
  I 牵头单位 → lead_unit
  J 分包区领导 → leader
  K 形象进度 → note
  L 存在问题 → note
未对应的列（未导入）：A 序号、M 联系电话
未读取的行：第 6 行（空行）、第 9 行（合计行“合计”）
已补全：牵头单位 = 责任单位（2 个项目）
读取 4 个项目、4 个单位、2 名人员
已写入 projects.toml：4 个项目
下一步：核对单位和人员的名称与 id，然后运行 sanshi check -f projects.toml
"""


def test_a_project_ledger_becomes_a_project_file(sanshi, ledger, tmp_path):
    result = sanshi("import", str(ledger), "-o", "projects.toml", *AS_OF)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == PROJECT_REPORT
    data = read(tmp_path / "projects.toml")
    assert data["settings"] == {"title": "高新区2026年“三十工程”重点项目台账", "language": "zh"}
    assert data["units"] == [
        {"id": "unit-01", "name": "高新区建设局"},
        {"id": "unit-02", "name": "高新区民政局"},
        {"id": "unit-03", "name": "高新区投资集团有限公司"},
        {"id": "unit-04", "name": "高新区城管局"},
    ]
    assert data["people"] == [{"id": "person-01", "name": "示例领导甲"}, {"id": "person-02", "name": "示例领导乙"}]
    projects = data["projects"]
    assert [p["id"] for p in projects] == ["p-001", "p-002", "p-003", "p-004"]
    assert projects[0] == {
        "id": "p-001",
        "name": "市民中心",
        "leader": "person-01",
        "lead_unit": "unit-01",  # the default: 牵头单位 = 责任单位
        "responsible_unit": "unit-01",
        "start": date(2026, 3, 1),
        "finish": date(2027, 12, 31),
        "total_investment": 125000,  # 12.5 亿元
        "annual_investment": {"2026": 20000},
        "note": "建设内容及规模：建筑面积12万平方米\n形象进度：主体结构施工\n存在问题：征迁进度慢",
    }
    # dates typed as text, amounts with commas and units
    assert (projects[1]["start"], projects[1]["finish"]) == (date(2026, 4, 15), date(2027, 6, 30))
    assert projects[1]["annual_investment"] == {"2026": 8000}
    assert (projects[2]["start"], projects[2]["finish"]) == (date(2026, 5, 1), date(2026, 12, 31))
    assert (projects[2]["lead_unit"], projects[2]["responsible_unit"]) == ("unit-01", "unit-03")
    assert projects[3]["total_investment"] == 26000 and projects[3]["annual_investment"] == {"2026": 12000}
    # two units in one cell: the first is responsible, the other cooperates
    assert (projects[3]["responsible_unit"], projects[3]["cooperating_units"]) == ("unit-04", ["unit-01"])
    check = sanshi("check", "-f", "projects.toml", *AS_OF)
    assert check.exit_code == 0, check.stderr


def test_the_file_is_a_readable_starter(sanshi, ledger, tmp_path):
    assert sanshi("import", str(ledger), *AS_OF).exit_code == 0  # -o defaults to projects.toml
    text = (tmp_path / "projects.toml").read_text("utf-8")
    assert text.startswith("# ====")
    assert f"# 由 sanshi import 从 {ledger}（工作表“重点项目台账”）生成的项目文件\n" in text
    assert "#   - 牵头单位 = 责任单位（2 个项目）\n" in text
    assert "# 台账“重点项目台账”第 7 行\n[[projects]]\n" in text
    assert 'responsible_unit = "unit-03"            # 高新区投资集团有限公司\n' in text


def test_english(sanshi, ledger, tmp_path):
    result = sanshi("import", str(ledger), "--lang", "en", "-o", "p.toml", *AS_OF)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "sheet '重点项目台账': header in row 3, one project per row; columns mapped:"
    assert "  E 2026年度计划投资（万元） → annual_investment (year 2026, 万元)" in lines
    assert "rows not read: row 6 (blank)、row 9 (totals row '合计')" in lines
    assert "default applied: lead unit (牵头单位) = responsible unit (2 projects)" in lines
    assert lines[-2:] == [
        "wrote p.toml: 4 projects",
        "next: check the units' and people's names and ids, then run sanshi check -f p.toml",
    ]
    assert read(tmp_path / "p.toml")["settings"]["language"] == "en"


def test_to_standard_output_the_report_goes_to_stderr(sanshi, ledger, tmp_path):
    result = sanshi("import", str(ledger), "-o", "-", *AS_OF)
    assert result.exit_code == 0, result.stderr
    assert tomllib.loads(result.stdout)["projects"][0]["name"] == "市民中心"
    assert result.stderr.startswith("工作表“重点项目台账”：表头在第 3 行")
    assert "已写入" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]


# -- one milestone per row ----------------------------------------------------------------------


def test_a_node_sheet_becomes_projects_with_milestones(sanshi, ledger, tmp_path):
    result = sanshi("import", str(ledger), "--sheet", "节点清单", "-o", "nodes.toml", *AS_OF)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "工作表“节点清单”：表头在第 2 行，每行一个节点（按项目名称归并）；各列对应：",
        "  A 项目名称 → name",
    ]
    assert "未对应的列（未导入）：E 责任人、I 核查情况" in result.stdout
    assert "已补全：计划开工 = 最早的节点时间（2 个项目）" in result.stdout
    assert "已补全：计划竣工 = 最晚的节点时间（2 个项目）" in result.stdout
    projects = read(tmp_path / "nodes.toml")["projects"]
    assert [(p["id"], p["name"], p["start"], p["finish"]) for p in projects] == [
        ("p-001", "市民中心", date(2026, 4, 30), date(2027, 11, 30)),
        ("p-002", "河南理工大学科技园", date(2026, 9, 30), date(2026, 12, 15)),
    ]
    civic = projects[0]["milestones"]
    assert civic[0] == {
        "id": "m-01",
        "name": "施工许可证",
        "due": date(2026, 4, 30),
        "done": date(2026, 4, 28),
        "note": "完成情况：已完成",
    }
    assert civic[1]["due"] == date(2026, 12, 31)  # 2026年12月底
    # a node of another unit than the project's is that unit's
    park = projects[1]["milestones"]
    assert [(m["name"], m.get("owner")) for m in park] == [("可研批复", None), ("开工", "unit-03")]
    assert park[1]["due"] == date(2026, 12, 15)  # 20261215 typed as a number
    assert sanshi("check", "-f", "nodes.toml", *AS_OF).exit_code == 0


def test_a_date_without_a_year_takes_the_nearest_to_as_of(sanshi, ledger, tmp_path):
    edit(ledger, "节点清单", {"F4": "1月5日"})
    assert sanshi("import", str(ledger), "--sheet", "节点清单", "--as-of", "2026-12-28").exit_code == 0
    assert read(tmp_path / "projects.toml")["projects"][0]["milestones"][1]["due"] == date(2027, 1, 5)


# -- rows that cannot be read --------------------------------------------------------------------


def test_an_invalid_row_is_named_and_nothing_is_written(sanshi, ledger, tmp_path):
    edit(ledger, "重点项目台账", {"F5": "下月", "G8": None})
    result = sanshi("import", str(ledger), *AS_OF)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{ledger}: 错误：重点项目台账!F5（计划开工时间）：“下月” 不是日期：请写成 2026-11-20、2026/11/20 或 2026年11月20日",
        f"{ledger}: 错误：工作表“重点项目台账”第 8 行缺少 计划竣工 (finish)：请在台账中补上，或加 --skip-invalid 跳过该行",
        f"{ledger}: 错误：有 2 处无法读取，未写入任何文件：请修改台账，或加 --skip-invalid 跳过这些行",
    ]
    assert "读取 2 个项目" in result.stdout
    assert not (tmp_path / "projects.toml").exists()


def test_skip_invalid_writes_the_rest_and_exits_1(sanshi, ledger, tmp_path):
    edit(ledger, "重点项目台账", {"F5": "下月"})
    result = sanshi("import", str(ledger), "--skip-invalid", *AS_OF)
    assert result.exit_code == 1
    assert "重点项目台账!F5（计划开工时间）" in result.stderr
    assert [p["name"] for p in read(tmp_path / "projects.toml")["projects"]] == [
        "市民中心", "龙源路道路工程", "再生水综合利用项目",
    ]  # fmt: skip


def test_a_row_without_a_name_is_invalid(sanshi, ledger, tmp_path):
    edit(ledger, "重点项目台账", {"B7": None})
    result = sanshi("import", str(ledger), "--lang", "en", *AS_OF)
    assert result.exit_code == 2
    assert "sheet '重点项目台账' row 7 lacks 项目名称 (name): fill it in in the ledger" in result.stderr


def test_finish_before_start_is_named_by_row(sanshi, ledger, tmp_path):
    edit(ledger, "重点项目台账", {"G4": date(2025, 1, 1)})
    result = sanshi("import", str(ledger), *AS_OF)
    assert result.exit_code == 2
    assert "工作表“重点项目台账”第 4 行的计划竣工 2025-01-01 早于计划开工 2026-03-01" in result.stderr


def test_a_date_the_project_file_does_not_allow_is_a_bad_cell(sanshi, ledger, tmp_path):
    edit(ledger, "重点项目台账", {"F4": date(1980, 1, 1)})
    result = sanshi("import", str(ledger), "--skip-invalid", *AS_OF)
    assert result.exit_code == 1
    assert (
        "重点项目台账!F4（计划开工时间）：日期 1980-01-01 不在 1990-01-01 至 2199-12-31 之间：请检查年份"
        in result.stderr
    )
    assert len(read(tmp_path / "projects.toml")["projects"]) == 3


def test_a_result_that_fails_check_is_not_written(sanshi, ledger, tmp_path):
    edit(ledger, "重点项目台账", {"D4": 1e308})  # 亿元: an amount too large for any project file (inf 万元)
    result = sanshi("import", str(ledger), *AS_OF)
    assert result.exit_code == 2
    assert "项目 p-001" in result.stderr and "total_investment" in result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"{ledger}: 错误：导入结果未通过检查（以上 1 个问题），未写入任何文件：请修改台账或 --map 文件"
    )
    assert not (tmp_path / "projects.toml").exists()


def test_a_project_without_unit_or_leader_gets_placeholders(sanshi, ledger, tmp_path):
    edit(ledger, "重点项目台账", {"H7": None, "I7": None, "J7": None})
    result = sanshi("import", str(ledger), *AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "已补全：责任单位未填：暂记为“（待定）责任单位”（1 个项目）" in result.stdout
    assert "已补全：分包领导未填：暂记为“（待定）分包领导”（1 个项目）" in result.stdout
    data = read(tmp_path / "projects.toml")
    road = data["projects"][2]
    units = {u["id"]: u["name"] for u in data["units"]}
    people = {p["id"]: p["name"] for p in data["people"]}
    assert units[road["responsible_unit"]] == "（待定）责任单位" and people[road["leader"]] == "（待定）分包领导"


# -- the map ------------------------------------------------------------------------------------


def readme_map() -> str:
    readme = (REPO / "README.md").read_text("utf-8")
    found = re.search(r"^```toml map\n(.*?)^```$", readme, re.MULTILINE | re.DOTALL)
    assert found is not None
    return found.group(1)


def test_the_readme_map_example_works(sanshi, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["重点项目"])
    sheet.append(["项目", "主责部门", "县级领导", "开工", "完工", "2026年计划（亿元）", "联系人"])
    sheet.append(["市民中心", "建设局", "示例领导甲", "2026-03-01", "2027-12-31", 1.5, "张某"])
    book.save(tmp_path / "odd.xlsx")
    (tmp_path / "map.toml").write_text(readme_map(), encoding="utf-8")
    result = sanshi("import", "odd.xlsx", "--map", "map.toml", *AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "  F 2026年计划（亿元） → annual_investment（2026 年，亿元）" in result.stdout
    assert "未对应的列（未导入）：G 联系人" in result.stdout
    project = read(tmp_path / "projects.toml")["projects"][0]
    assert (project["name"], project["start"], project["annual_investment"]) == (
        "市民中心", date(2026, 3, 1), {"2026": 15000},
    )  # fmt: skip


def test_a_map_without_header_row_finds_the_header_by_its_columns(sanshi, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["说明：本表由各单位填报"])
    sheet.append(["工程", "主责部门", "开工", "完工"])
    sheet.append(["龙源路道路工程", "建设局", "2026-05-01", "2026-12-31"])
    book.save(tmp_path / "odd.xlsx")
    (tmp_path / "map.toml").write_text(
        '[columns]\n"工程" = "name"\n"主责部门" = "responsible_unit"\n"开工" = "start"\n"完工" = "finish"\n',
        encoding="utf-8",
    )
    result = sanshi("import", "odd.xlsx", "--map", "map.toml", *AS_OF)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("工作表“Sheet”：表头在第 2 行")
    assert read(tmp_path / "projects.toml")["settings"]["title"] == "说明：本表由各单位填报"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'header_row = 3\n[columns]\n"项目名称" = "title"\n',
            '--map 文件中 "项目名称" = "title" 无效：可用的 key 为 name, ',
        ),
        ("header_row = 0\n", "--map 文件的 header_row = 0 无效：请写表头所在的行号，如 header_row = 2"),
        ('sheet = "x"\n', "--map 文件中的 sheet 无法识别：只能有 header_row 和 [columns]"),
        ('header_row = 3\n[columns]\n"项目编号" = "name"\n', "--map 中的表头 项目编号 不在表头行中"),
        ("header_row = \n", "--map 文件不是有效的 TOML"),
    ],
)
def test_map_mistakes_are_one_line_each(sanshi, ledger, tmp_path, text, expected):
    (tmp_path / "map.toml").write_text(text, encoding="utf-8")
    result = sanshi("import", str(ledger), "--map", "map.toml", *AS_OF)
    assert result.exit_code == 2
    assert expected in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "projects.toml").exists()


# -- what is refused ------------------------------------------------------------------------------

CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("台账.xls", CFB, "这是旧版 Excel（.xls）或 WPS 表格（.et）文件，无法读取"),
        ("台账.et", CFB, "请在 Excel 或 WPS 中“另存为”Excel 工作簿（*.xlsx）后再导入"),
        ("改了名.xlsx", CFB, "这是旧版 Excel（.xls）或 WPS 表格（.et）文件"),
        ("加密.xlsx", CFB + "EncryptionInfo".encode("utf-16-le"), "工作簿已加密（设置了打开密码）"),
        ("文本.xlsx", "项目名称,责任单位\n".encode(), "不是 Excel 工作簿（.xlsx）"),
        ("坏的.xlsx", b"PK\x03\x04broken", "无法读取（"),
    ],
)
def test_what_cannot_be_read_is_refused_with_what_to_do(sanshi, tmp_path, name, content, expected):
    (tmp_path / name).write_bytes(content)
    result = sanshi("import", name, *AS_OF)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{name}: 错误：") and expected in result.stderr
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "projects.toml").exists()


def test_an_existing_file_is_never_replaced(sanshi, ledger, tmp_path):
    (tmp_path / "projects.toml").write_text("# mine\n", encoding="utf-8")
    result = sanshi("import", str(ledger), *AS_OF)
    assert result.exit_code == 2
    assert result.stderr == "projects.toml: 错误：文件已存在，未做改动：导入只写新文件，请用 -o 换一个文件名\n"
    assert (tmp_path / "projects.toml").read_text("utf-8") == "# mine\n"


def test_missing_ledger_and_sheet(sanshi, ledger, tmp_path):
    result = sanshi("import", "没有.xlsx", *AS_OF)
    assert (result.exit_code, result.stderr) == (2, "没有.xlsx: 错误：文件不存在：请检查路径\n")
    result = sanshi("import", str(ledger), "--sheet", "汇总", *AS_OF)
    assert result.exit_code == 2
    assert result.stderr == f"{ledger}: 错误：没有名为“汇总”的工作表：可选 重点项目台账、节点清单\n"


def test_a_sheet_without_a_header(sanshi, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["说明", "本表无数据"])
    book.save(tmp_path / "x.xlsx")
    result = sanshi("import", "x.xlsx", *AS_OF)
    assert result.exit_code == 2
    assert "在工作表“Sheet”的前 30 行找不到表头（须有 项目名称、项目 等列）" in result.stderr


def test_section_headings_are_skipped_and_listed(sanshi, ledger, tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(ledger)
    sheet = book["重点项目台账"]
    sheet.insert_rows(4)
    sheet["A4"] = "一、社会民生类项目"
    book.save(ledger)
    result = sanshi("import", str(ledger), *AS_OF)
    assert result.exit_code == 0, result.stderr
    assert (
        "未读取的行：第 4 行（分类标题“一、社会民生类项目”）、第 7 行（空行）、第 10 行（合计行“合计”）"
        in result.stdout
    )


# -- whatever is typed into the cells -----------------------------------------------------------

CELLS = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.sampled_from(
        ["合计", "一、产业项目", "2026/13/40", "11月底", "1,200万元", "-5", "0.12亿元", "=SUM(A1)", "12-31"]
    ),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2300, 12, 31)),
    st.booleans(),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELLS, min_size=13, max_size=13), min_size=1, max_size=4))
def test_any_cells_end_in_0_1_or_2_never_a_crash(sanshi, tmp_path, rows):
    from openpyxl import Workbook

    from tests.make_ledger import PROJECT_HEADER

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(PROJECT_HEADER)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "fuzz.xlsx"
    book.save(path)
    target = tmp_path / "fuzz.toml"
    target.unlink(missing_ok=True)
    result = sanshi("import", str(path), "--skip-invalid", "-o", str(target), *AS_OF)
    assert result.exit_code in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    if result.exit_code in (0, 1):
        assert sanshi("check", "-f", str(target), *AS_OF).exit_code == 0
    else:
        assert not target.exists()
