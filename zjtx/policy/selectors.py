"""Reads for the policy pages: parameters grouped for display, runs, comparison tables."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from zjtx.core import clock, regions
from zjtx.enterprises.models import Enterprise
from zjtx.policy import codes
from zjtx.policy.engine import ParameterSet, list_parameters
from zjtx.policy.engine.parameters import Parameter
from zjtx.policy.engine.schema import TIER_LABELS, VALUE_LABELS
from zjtx.policy.engine.tree import fmt_number
from zjtx.policy.models import ParameterValue, PolicyRun, ProgrammeEvent, referring_relations
from zjtx.policy.services import parameter_set

GROUPS = {"targets": "目标与年度任务", "awards": "奖补标准", "criteria": "认定标准", "province": "全省设置",
          "operations": "工作机制", "cities": "各市配套奖补", "finance": "金融服务", "services": "服务企业",
          "tiers": "梯度培育工作流程", "duties": "任务分工调度"}


def criteria_scope(parameter_id: str) -> str:
    """Which tier (and criteria version) a criteria parameter belongs to, e.g. 2026版·专精特新中小企业:
    the 2026 srdi and little-giant thresholds share their labels (上年度营业收入不低于)."""
    parts = parameter_id.split(".")
    if parts[0] != "criteria" or len(parts) < 3:
        return ""
    if parts[1] in ("2022", "2026") and parts[2] in TIER_LABELS:
        return f"{parts[1]}版·{TIER_LABELS[parts[2]]}"
    return TIER_LABELS.get(parts[1], "")


def parameter_title(parameter_id: str, label: str) -> str:
    """A parameter named so that no two read alike: 2026版·专精特新中小企业：上年度营业收入不低于."""
    scope = criteria_scope(parameter_id)
    return f"{scope}：{label}" if scope else label


def referenced_events(events: list[ProgrammeEvent]) -> set[int]:
    """The events other modules' rows point at (recognitions, the award ledger's entitlements): these
    can be neither corrected nor withdrawn (``ProgrammeEvent.references``)."""
    found: set[int] = set()
    for relation in referring_relations():
        name = relation.field.name
        rows = relation.related_model._default_manager.filter(**{f"{name}__in": [e.pk for e in events]})
        found.update(rows.values_list(name, flat=True))
    return found


def value_text(value: Any) -> str | None:
    """A parameter value as it would be typed in: a number or text as it is (100, not Decimal('100')),
    a table (分档表, 名次表 …) as JSON with plain numbers, which the YAML of the input field also reads;
    None for a parameter that has stopped."""
    if value is None:
        return None
    if isinstance(value, (str, int, Decimal, dt.date)):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=_plain_number)


def _plain_number(value: Any) -> Any:
    if isinstance(value, Decimal):  # shortest digits: 100 → 100, 2.5 → 2.5
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


def value_shown(parameter: Parameter, params: ParameterSet, value: Any) -> str | None:
    """A parameter value as officials read it: codes and options by their Chinese names, a band table
    as its bands ("< 5%：0分；5–10%：1分 …"), a rank schedule as "前10名 100万元"; the typed form
    (``value_text``) stays beside the input field."""
    if value is None:
        return None
    names = codes.known_codes(parameter, params)
    if names is not None:
        listed = value if isinstance(value, list) else [value]
        return "、".join(names.get(str(v), str(v)) for v in listed)
    if isinstance(value, dict) and {"cuts", "points"} <= set(value):
        return _bands(value, str(parameter.meta.get("metric_unit", "")), parameter.unit)
    if isinstance(value, list) and value and all(isinstance(v, dict) and "max_rank" in v for v in value):
        return "；".join(f"前{_plain(v['max_rank'])}名 {_plain(v.get('amount'))}{parameter.unit}" for v in value)
    if isinstance(value, list) and value and all(isinstance(v, dict) and "label" in v for v in value):
        return "；".join(_condition(v) for v in value)  # a condition table: 已是省专精特新中小企业 ≥ …
    if isinstance(value, dict):
        return "；".join(f"{_key_name(k)}：{value_shown(parameter, params, v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(str(_plain(v)) for v in value)
    if parameter.unit != "年份" and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return fmt_number(value)  # 10,000 万元 as every page writes amounts; a year stays 2025
    return value_text(value)


# Keys of the points tables and their structured values, as the criteria name them.
KEY_NAMES = {**VALUE_LABELS["rd_institution_level"], **VALUE_LABELS["key_chain_field"],
             "i_high_value": "高价值I类知识产权", "i_own": "自主研发I类知识产权", "i_any": "I类知识产权",
             "ii_any": "II类知识产权", "strategic_emerging": "战略性新兴产业", "other": "其他",
             "supporting": "产业链配套领域", "per_years": "每满（年）", "points": "得分", "max": "最高",
             "per_item": "每项得分", "value": "取值", "none": "无"}
OPERATORS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def _key_name(key: Any) -> str:
    return KEY_NAMES.get(str(key), str(key))


def _condition(row: dict[str, Any]) -> str:
    threshold = row.get("threshold")
    shown = TIER_LABELS.get(str(threshold), _plain(threshold)) if threshold is not None else ""
    operator = OPERATORS.get(str(row.get("op", "")), str(row.get("op", "")))
    return f"{row['label']} {operator} {shown}".strip()


def _bands(table: dict[str, Any], metric_unit: str, points_unit: str) -> str:
    cuts, points = [_plain(c) for c in table["cuts"]], [_plain(p) for p in table["points"]]
    if len(points) != len(cuts) + 1:  # not a band table after all: as typed
        return str(value_text(table))
    edges = [f"< {cuts[0]}{metric_unit}"] + [f"{a}–{b}{metric_unit}" for a, b in itertools.pairwise(cuts)]
    edges.append(f"≥ {cuts[-1]}{metric_unit}")
    return "；".join(f"{edge}：{point}{points_unit}" for edge, point in zip(edges, points, strict=True))


def _plain(value: Any) -> Any:
    return _plain_number(value) if isinstance(value, Decimal) else value


def parameter_rows(*, q: str = "", at: dt.date | None = None, unconfirmed: bool = False) -> list[dict[str, Any]]:
    """Every parameter with the value in force on ``at`` (today); ``unconfirmed``: only those whose value
    in force is 待核实."""
    params = parameter_set()
    rows = list_parameters(params, at or clock.today())
    if unconfirmed:
        rows = [r for r in rows if not r["confirmed"]]
    added = set(ParameterValue.objects.values_list("parameter_id", flat=True))
    for row in rows:
        row["group"] = GROUPS.get(row["id"].split(".")[0], row["id"].split(".")[0])
        row["scope_label"] = criteria_scope(row["id"])
        row["changed_here"] = row["id"] in added
        row["value_text"] = value_text(row["value"])
        row["value_shown"] = value_shown(params[row["id"]], params, row["value"])
    if q:
        rows = [r for r in rows if any(q in (r[k] or "") for k in ("id", "label", "clause", "scope_label"))]
    return rows


def parameter_detail(parameter_id: str) -> dict[str, Any] | None:
    params = parameter_set()
    rows = [r for r in list_parameters(params) if r["id"] == parameter_id]
    if not rows:
        return None
    row = rows[0]
    added = {v.start: v for v in ParameterValue.objects.filter(parameter_id=parameter_id).select_related("created_by")}
    parameter = params[parameter_id]
    row["value_text"] = value_text(row["value"])
    row["value_shown"] = value_shown(parameter, params, row["value"])
    row["unit_after"] = parameter.unit not in UNITS_NOT_WRITTEN and _is_number(row["value"])
    row["title"] = parameter_title(parameter_id, row["label"])
    for entry in row["history"]:
        entry["value_text"] = value_text(entry["value"])
        entry["value_shown"] = value_shown(parameter, params, entry["value"])
        source = added.get(entry["start"])
        entry["page_entry"] = source is not None  # entered on the page: may be withdrawn
        entry["added_by"] = source.created_by.display_name if source and source.created_by else None
        entry["added_at"] = source.created_at if source else None
    return row


def recent_runs(kind: str) -> list[PolicyRun]:
    return list(PolicyRun.objects.filter(kind=kind).select_related("created_by")[:20])


def whatif_tables(run: PolicyRun) -> dict[str, Any]:
    """Province totals per tier, per-city rows, and the budget difference, ready for the page and export."""
    tiers = pl.DataFrame(run.summary.get("tiers") or [], infer_schema_length=None)
    budget = run.summary.get("budget") or []
    if tiers.is_empty():
        return {"province": [], "cities": [], "changed_cities": [], "budget": budget}
    tiers = tiers.with_columns(pl.col("city_code").map_elements(_city, return_dtype=pl.String).alias("city_name"))
    province = (tiers.group_by("tier", "tier_label", maintain_order=True)
                .agg(pl.col("baseline", "reform", "gained", "lost", "difference").sum()))
    cities = tiers.to_dicts()
    changed = [r for r in cities if r["gained"] or r["lost"]]  # the page lists these, the xlsx all
    return {"province": province.to_dicts(), "cities": cities, "changed_cities": changed, "budget": budget}


CHANGES_SHOWN = 200  # on the page; the xlsx lists them all


def whatif_changes(run: PolicyRun, limit: int | None = CHANGES_SHOWN) -> dict[str, Any]:
    """The enterprises that gain or lose a tier under the reform (stored with the run): count and the
    first ``limit`` rows (None: all), by city, tier and enterprise, with names as the registry has them."""
    path = Path(run.result_dir or "") / "changes.parquet"
    if not run.result_dir or not path.exists():
        return {"count": 0, "rows": []}
    changes = pl.read_parquet(path).sort("city_code", "tier", "change", "credit_code")
    shown = changes if limit is None else changes.head(limit)
    codes = shown["credit_code"].to_list()
    names = dict(Enterprise.objects.filter(credit_code__in=codes).values_list("credit_code", "name"))
    rows = [{**r, "name": names.get(r["credit_code"], ""), "city_name": _city(r["city_code"]),
             "change_label": CHANGE_LABELS[r["change"]]} for r in shown.to_dicts()]
    return {"count": changes.height, "rows": rows}


# A change as the page's columns name it (新增符合 / 不再符合), on the page and in the xlsx alike.
CHANGE_LABELS = {"获得": "新增符合", "失去": "不再符合"}


def reform_items(run: PolicyRun) -> list[dict[str, Any]]:
    """A what-if's changed parameters as officials read them: label, id, the value set with its unit,
    and whether the finished run read the parameter at all (a 2022版 threshold is not read on a date
    the 2026版 applies: the change can make no difference, and the page says so)."""
    params = parameter_set()
    read = {v["id"] for v in run.parameter_versions or []}
    return [{"label": parameter_title(key, params[key].label) if key in params else key, "id": key,
             "value": _with_unit(params, key, value), "unused": bool(read) and key not in read}
            for key, value in run.reform.items()]


# Units that name the kind of a value rather than measure it: not written after the value.
UNITS_NOT_WRITTEN = {"选项", "年份", "项目", "产业", "级别", "梯度", ""}


def _with_unit(params: ParameterSet, key: str, value: Any) -> str | None:
    if key not in params:
        return value_text(value)
    parameter = params[key]
    typed = Decimal(value) if isinstance(value, str) and _is_number(value) else value  # as typed: "1000"
    shown = value_shown(parameter, params, typed)
    if parameter.unit in UNITS_NOT_WRITTEN or not _is_number(value):
        return shown
    return f"{shown} {parameter.unit}"


def _is_number(value: Any) -> bool:
    try:
        Decimal(str(value))
    except ArithmeticError:
        return False
    return not isinstance(value, bool)


def run_tables(run: PolicyRun) -> dict[str, Any]:
    """The tables of a finished run's page: a what-if's comparison, or a province run's counts."""
    if run.kind == PolicyRun.Kind.WHATIF:
        return whatif_tables(run)
    return evaluation_tables(run)


def evaluation_tables(run: PolicyRun) -> dict[str, Any]:
    """A province run: enterprises qualifying for each tier (province and per city, a column per tier)
    and the entitlements due (应享) by award and funding level."""
    rows = pl.DataFrame(run.summary.get("tiers") or [], infer_schema_length=None)
    budget = run.summary.get("budget") or []
    total = {"count": sum(int(r["count"]) for r in budget),
             "amount": sum((Decimal(str(r["amount"])) for r in budget), Decimal(0))}
    statuses = run.summary.get("statuses") or []  # runs stored before these counts have none
    if rows.is_empty():
        return {"province": [], "tiers": [], "cities": [], "budget": budget, "budget_total": total,
                "statuses": statuses}
    province = rows.group_by("tier", "tier_label", maintain_order=True).agg(pl.col("count").sum())
    labels = province["tier_label"].to_list()
    by_city = rows.pivot(on="tier_label", index="city_code", values="count", aggregate_function="sum")
    cities = [{"city_name": _city(r["city_code"]), "counts": [r.get(label) or 0 for label in labels]}
              for r in by_city.sort("city_code").to_dicts()]
    return {"province": province.to_dicts(), "tiers": labels, "cities": cities, "budget": budget,
            "budget_total": total, "statuses": statuses}


def _city(code: str) -> str:
    return regions.city_name(code) if regions.is_city(code) else code
