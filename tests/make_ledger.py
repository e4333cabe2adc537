"""A realistic key-project ledger (重点项目台账) as a PMO keeps it in Excel, for ``sanshi import``'s tests.

Two sheets, as real ledgers have them:

- ``重点项目台账``: one project per row under a merged title row and a blank line; Chinese
  headers with units and a year embedded (``总投资（亿元）``, ``2026年度计划投资（万元）``); dates
  as date cells and as text (``2026/4/15``, ``2027年6月30日``, ``20260501``, ``2026.12.31``);
  amounts as numbers and text (``8,000``, ``1.2亿元``); two units in one cell; a column the
  import does not know (``联系电话``), a blank line inside the data and a totals row (合计).
- ``节点清单``: one node (milestone) per row, the project name and leader merged down over
  their nodes, as 工作任务 / 时间节点 / 责任单位 lists are kept.

Run it to write the workbook: ``python tests/make_ledger.py ledger.xlsx``.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

TITLE = "高新区2026年“三十工程”重点项目台账"
PROJECT_HEADER = [
    "序号", "项目名称", "建设内容及规模", "总投资（亿元）", "2026年度计划投资（万元）", "计划开工时间", "计划竣工时间",
    "责任单位", "牵头单位", "分包区领导", "形象进度", "存在问题", "联系电话",
]  # fmt: skip
PROJECTS: list[list[object]] = [
    [1, "市民中心", "建筑面积12万平方米", 12.5, 20000, date(2026, 3, 1), date(2027, 12, 31),
     "高新区建设局", None, "示例领导甲", "主体结构施工", "征迁进度慢", "0391-0000001"],
    [2, "焦作市四级养老服务综合体示范项目", "床位800张", 3.2, "8,000", "2026/4/15", "2027年6月30日",
     "高新区民政局", "高新区民政局", "示例领导乙", "基础施工", None, None],
    None,  # a blank line inside the data
    [3, "龙源路道路工程", "道路全长3.2公里", 1.8, 6000, 20260501, "2026.12.31",
     "高新区投资集团有限公司", "高新区建设局", "示例领导甲", "路基施工", None, None],
    [4, "再生水综合利用项目", "日处理5万吨", "2.6亿元", "1.2亿元", date(2026, 6, 1), date(2027, 9, 30),
     "高新区城管局、高新区建设局", None, "示例领导乙", "设备招标", "用地手续未办结", None],
]  # fmt: skip
TOTALS: list[object] = ["合计", None, None, 20.1, 46000, None, None, None, None, None, None, None, None]

NODE_TITLE = "重点项目节点清单"
NODE_HEADER = [
    "项目名称",
    "分包领导",
    "工作任务",
    "责任单位",
    "责任人",
    "时间节点",
    "实际完成时间",
    "完成情况",
    "核查情况",
]
NODES: list[list[object]] = [
    ["市民中心", "示例领导甲", "施工许可证", "高新区建设局", "张某", date(2026, 4, 30), date(2026, 4, 28), "已完成", "属实"],
    [None, None, "主体封顶", "高新区建设局", "张某", "2026年12月底", None, "正在施工", None],
    [None, None, "竣工验收", "高新区建设局", "张某", date(2027, 11, 30), None, None, None],
    ["河南理工大学科技园", "示例领导乙", "可研批复", "高新区发改委", "李某", "2026/9/30", None, None, None],
    [None, None, "开工", "高新区投资集团有限公司", "王某", 20261215, None, None, None],
]  # fmt: skip


def build(path: Path) -> Path:
    """Write the ledger workbook to ``path`` and return it."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "重点项目台账"
    sheet["A1"] = TITLE
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(PROJECT_HEADER))
    # row 2 blank
    sheet.append([])
    sheet.append(PROJECT_HEADER)
    for row in PROJECTS:
        sheet.append(row if row is not None else [])
    sheet.append(TOTALS)
    for cell in sheet["F"] + sheet["G"]:
        if isinstance(cell.value, date):
            cell.number_format = "yyyy-mm-dd"

    nodes = book.create_sheet("节点清单")
    nodes["A1"] = NODE_TITLE
    nodes.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(NODE_HEADER))
    nodes.append(NODE_HEADER)
    for row in NODES:
        nodes.append(row)
    # the project name and its leader merged down over their nodes (rows 3–5 and 6–7)
    for column in ("A", "B"):
        nodes.merge_cells(f"{column}3:{column}5")
        nodes.merge_cells(f"{column}6:{column}7")
    book.save(path)
    return path


if __name__ == "__main__":
    print(build(Path(sys.argv[1] if len(sys.argv) > 1 else "ledger.xlsx")))
