"""A year's figures from an .xlsx or .csv: every row checked as the form checks it, all stored or none.

Columns (header in row 1; our field names are accepted too): 目标 (the target's name as the overview shows it,
or its parameter id), 年度, 地区 (全省 or a city, 合肥 or 合肥市 or its code), 类型 (完成数 or 分解目标; blank:
完成数), 数值, 说明. The file is read by the registry's reader (encodings, Excel's row numbers, blank lines).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from zjtx.accounts.models import User
from zjtx.core import regions
from zjtx.core.errors import ApplicationError
from zjtx.enterprises.importing.columns import Column
from zjtx.enterprises.importing.readers import ROW_NO, read_table
from zjtx.policy.services import parameter_set
from zjtx.targets import plan, services
from zjtx.targets.models import ReportedFigure

COLUMNS: tuple[Column, ...] = (
    Column("target", "目标", "text", True),
    Column("year", "年度", "year", True),
    Column("city_code", "地区", "text", False),
    Column("kind", "类型", "text", False),
    Column("value", "数值", "text", True),
    Column("note", "说明", "text", False),
)
HEADERS = {c.field: c.header for c in COLUMNS}
KINDS = {label: value for value, label in ReportedFigure.Kind.choices} | {v: v for v in ReportedFigure.Kind.values}
PROVINCE_NAMES = {"", "全省", "安徽省", "省级"}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    reason: str


class ImportRefused(ApplicationError):
    """The file's rows that were refused; nothing was stored."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"有 {len(errors)} 处错误，未导入任何数据，请改正后重新导入", field="file")
        self.errors = errors


def figures_import(*, user: User, path: Path, name: str) -> int:
    """Store every row of the file, or none: the rows refused are raised as ImportRefused."""
    frame = read_table(path, COLUMNS)
    p = parameter_set()
    by_label = {t.label: t.id for t in plan.targets(p)}
    checked: list[services.Checked] = []
    errors: list[RowError] = []
    seen: dict[tuple[str, int, str, str], int] = {}
    for raw in frame.iter_rows(named=True):
        row = int(raw[ROW_NO])
        values = {c.field: (raw.get(c.field) or "") for c in COLUMNS}
        try:
            found = services.check(p, user=user, target=by_label.get(values["target"], values["target"]),
                                   year=values["year"], city_code=_city(values["city_code"]),
                                   kind=KINDS.get(values["kind"] or "完成数", "?"), value=values["value"],
                                   note=values["note"])
        except ApplicationError as exc:
            column = exc.field if exc.field in HEADERS else "target"
            errors.append(RowError(row, HEADERS[column], str(values.get(column, "")), exc.message))
            continue
        key = (found.target.id, found.year, found.city_code, found.kind)
        if key in seen:
            reason = f"与第{seen[key]}行重复（同一目标、年度、地区、类型）"
            errors.append(RowError(row, HEADERS["target"], values["target"], reason))
            continue
        seen[key] = row
        checked.append(found)
    if errors:
        raise ImportRefused(errors)
    with transaction.atomic():
        for item in checked:
            services.save_checked(user, item, source=f"（导入《{name}》）")
    return len(checked)


def _city(text: str) -> str:
    """全省 → ""; 合肥, 合肥市 or 340100 → 340100; anything else is left for the check to name."""
    text = text.strip()
    if text in PROVINCE_NAMES:
        return ""
    for code, name in regions.CITIES:
        if text in (code, name, name.removesuffix("市")):
            return code
    return text
