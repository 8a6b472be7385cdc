"""The statistics page as an Excel workbook: one sheet per section of ``renda stats`` (the
period first), each a table 指标 · 键 · 数值 with one row per number of the JSON object —
the same numbers, from ``metrics.stats`` (no second computation).

A nested value gets a dotted key: ``reply_class.A``, ``by_category.交通出行``,
``by_unit.镇经济发展中心.closed`` (a list of objects is keyed by each object's name). Rates stay
fractions, shown as percentages; null (no denominator) is an empty cell. Cells are written with
``core.export.put``: no text ever becomes a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from renda.core.export import print_fitted, put
from renda.duties.models import ActivityType

#: Sheet titles of the sections (a section an app adds later is titled by its key).
SECTION_TITLES: dict[str, Any] = {
    "period": _("统计期间"), "suggestions": _("意见建议"), "petitions": _("信访"), "grids": _("网格"),
    "deputies": _("代表"), "projects": _("民生实事"), "activities": _("履职活动"), "motions": _("议案"),
    "information": _("信息与荣誉"),
}

#: Labels of the keys (METRICS.md's words), by dotted key within a section; a group's label
#: prefixes its members' (``by_unit`` + ``closed`` → 按承办单位 · 镇经济发展中心 · 办结).
LABELS: dict[str, Any] = {
    "period.from": _("起始日期"), "period.to": _("截止日期"), "period.as_of": _("截至日期"),
    "period.scope": _("范围"), "period.town": _("镇街代码"), "period.town_name": _("镇街"),
    "suggestions.received": _("收到"), "suggestions.by_kind": _("按类型"),
    "suggestions.by_kind.public": _("群众意见建议"), "suggestions.by_kind.deputy": _("代表建议"),
    "suggestions.assigned": _("已交办"), "suggestions.replied": _("已答复"), "suggestions.closed": _("已办结"),
    "suggestions.open": _("未办结"), "suggestions.closure_rate": _("办结率"),
    "suggestions.on_time_closed": _("按期办结"), "suggestions.on_time_rate": _("按期办结率"),
    "suggestions.overdue_open": _("超期未办结"), "suggestions.reply_class": _("答复类别"),
    "suggestions.resolved_rate": _("解决率"), "suggestions.evaluated": _("已测评"),
    "suggestions.satisfaction": _("测评结果"), "suggestions.satisfaction.satisfied": _("满意"),
    "suggestions.satisfaction.basically_satisfied": _("基本满意"),
    "suggestions.satisfaction.dissatisfied": _("不满意"), "suggestions.satisfaction_rate": _("满意率"),
    "suggestions.key_supervised": _("重点督办"), "suggestions.rehandled": _("重新办理"),
    "suggestions.closed_dissatisfied": _("不满意办结"),
    "suggestions.withdrawn": _("撤回"), "suggestions.merged": _("合并"),
    "suggestions.by_unit": _("按承办单位"), "suggestions.by_unit.assigned": _("交办"),
    "suggestions.by_unit.closed": _("办结"), "suggestions.by_unit.on_time_closed": _("按期办结"),
    "suggestions.by_unit.overdue_open": _("超期未办结"), "suggestions.by_category": _("按类别"),
    "petitions.received": _("信访件"), "petitions.by_channel": _("信访渠道"),
    "petitions.by_channel.letter": _("来信"), "petitions.by_channel.visit": _("来访"),
    "petitions.by_channel.online": _("网上"), "petitions.by_channel.phone": _("电话"),
    "petitions.by_channel.referred": _("上级转交"), "petitions.letters_reviewed": _("阅批群众来信"),
    "petitions.accepted": _("受理"), "petitions.declined": _("不予受理"), "petitions.closed": _("出具处理意见"),
    "petitions.overdue_open": _("超期未办结"), "petitions.duty_shifts": _("信访值班（人次）"),
    "petitions.risks_registered": _("排查隐患"), "petitions.risks_resolved": _("化解隐患"),
    "petitions.risks_resolved_with_deputies": _("代表参与化解"),
    "grids.grids": _("网格"), "grids.grid_workers": _("网格员"), "grids.full_time": _("其中专职"),
    "grids.part_time": _("其中兼职"), "grids.deputies_in_grids": _("纳入网格的代表"),
    "deputies.total": _("代表"), "deputies.district": _("区人大代表"), "deputies.town": _("镇人大代表"),
}
# projects (民生实事)
LABELS.update({
    "projects.candidates": _("票决候选项目"), "projects.adopted": _("票决通过"), "projects.count": _("民生实事项目"),
    "projects.by_stage": _("按当前阶段"), "projects.by_stage.initiation": _("立项"),
    "projects.by_stage.design": _("规划设计"), "projects.by_stage.budget": _("预算编制"),
    "projects.by_stage.tender": _("招标"), "projects.by_stage.construction": _("施工"),
    "projects.by_stage.acceptance": _("竣工验收"), "projects.by_stage.final_audit": _("决算审计"),
    "projects.by_stage.done": _("已全部完成"), "projects.budget_total": _("预算总造价（元）"),
    "projects.bid_total": _("中标价合计（元）"), "projects.paid_total": _("已支付（元）"),
    "projects.overdue_stages": _("阶段逾期的项目"), "projects.evaluated": _("满意度测评"),
    "projects.grades": _("测评结果"), "projects.grades.satisfied": _("满意"),
    "projects.grades.basically_satisfied": _("基本满意"), "projects.grades.dissatisfied": _("不满意"),
    "projects.deputy_inspections": _("代表视察（人次）"),
})
# duties (履职活动, 述职评议)
LABELS.update({
    "activities.total": _("履职活动"), "activities.by_type": _("按类型"),
    "activities.deputy_attendances": _("代表出席人次"), "deputies.reports_to_voters": _("代表述职"),
    **{f"activities.by_type.{t.value}": t.label for t in ActivityType},
})

# liaison (联系群众): the contact indicators of ``deputies`` and the receptions of ``activities``
LABELS.update({
    "deputies.voter_contacts": _("代表联系选民（次）"), "deputies.presidium_contacts": _("主席团成员联系代表（次）"),
    "deputies.without_contact": _("无主席团成员联系的代表"), "deputies.below_voter_target": _("联系选民未达目标的代表"),
    "activities.receptions": _("联络站接待"),
})
# presidium (信息报送) and honours (duties.Award)
LABELS.update({
    "information.submitted": _("报送信息（条）"), "information.adopted": _("被采用信息（条）"),
    "information.honours": _("获得荣誉（项）"),
})
#: Keys holding a rate: written as numbers shown as percentages.
RATES = {"closure_rate", "on_time_rate", "resolved_rate", "satisfaction_rate"}
SCOPES = {"town": _("镇街"), "district": _("全区")}

HEADERS = (_("指标"), _("键"), _("数值"))
#: Column widths (characters): the label, the key, the number.
WIDTHS = (40, 36, 14)
SheetRows = list[tuple[str, str, Any]]


def _name_of(item: dict[str, Any], index: int) -> tuple[str, str]:
    """The naming field of an object in a list (``unit`` in ``by_unit``) and its value."""
    for k, v in item.items():
        if isinstance(v, str):
            return k, v
    return "", str(index + 1)


def _flatten(section: str, value: Any, path: tuple[str, ...],
             labels: tuple[str, ...]) -> Iterator[tuple[str, str, Any]]:
    key = ".".join(path)
    if isinstance(value, dict):
        for k, v in value.items():
            label = LABELS.get(f"{section}.{key}.{k}" if key else f"{section}.{k}", k)
            yield from _flatten(section, v, (*path, str(k)), (*labels, str(label)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                yield from _flatten(section, item, (*path, str(index + 1)), (*labels, str(index + 1)))
                continue
            name_key, name = _name_of(item, index)
            for k, v in item.items():
                if k == name_key:
                    continue
                label = LABELS.get(f"{section}.{key}.{k}", k)
                yield ".".join((*path, name, k)), " · ".join((*labels, name, str(label))), v
    else:
        yield key, " · ".join(labels), value


def section_rows(section: str, value: Any) -> SheetRows:
    """(label, dotted key, value) of every number of one section of the stats object."""
    rows = [(label, key, v) for key, label, v in _flatten(section, value, (), ())]
    if section == "period":
        rows = [(label, key, str(SCOPES.get(v, v)) if key == "scope" else v) for label, key, v in rows]
    return rows


def sheets(data: dict[str, Any]) -> list[tuple[str, SheetRows]]:
    """(sheet title, rows) for each section of ``metrics.stats(...)``, in its order."""
    return [(str(SECTION_TITLES.get(key, key))[:31], section_rows(key, value)) for key, value in data.items()]


def _number(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def write(data: dict[str, Any], dest: Any) -> None:
    """Write the workbook of ``data`` (the ``renda stats`` object) to ``dest`` (a path or file)."""
    wb = Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for title, rows in sheets(data):
        ws = wb.create_sheet(title)
        for column, header in enumerate(HEADERS, start=1):
            c = put(ws, 1, column, str(header))
            c.font, c.fill = header_font, header_fill
        for r, (label, key, value) in enumerate(rows, start=2):
            put(ws, r, 1, label)
            put(ws, r, 2, key)
            c = put(ws, r, 3, None if value is None else _number(value))
            if key.rsplit(".", 1)[-1] in RATES:
                c.number_format = "0.00%"
            elif isinstance(value, Decimal):
                c.number_format = "#,##0.00"
            c.alignment = Alignment(horizontal="right")
        for column, width in enumerate(WIDTHS, start=1):
            ws.column_dimensions[get_column_letter(column)].width = width
        ws.freeze_panes = "A2"
        print_fitted(ws)
    wb.save(dest)


def to_bytes(data: dict[str, Any]) -> bytes:
    buf = io.BytesIO()
    write(data, buf)
    return buf.getvalue()


def filename(period_label: str, scope_label: str) -> str:
    return str(format_lazy(_("统计-{scope}-{period}.xlsx"), scope=scope_label, period=period_label))
