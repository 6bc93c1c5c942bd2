"""Writes and runs of the policy module: dated parameter values, evaluations, what-if comparisons."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import shutil
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import polars as pl
import yaml
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone

from zjtx.accounts.models import User
from zjtx.core import clock
from zjtx.core.audit import audit_record
from zjtx.core.errors import ApplicationError
from zjtx.enterprises.models import Enterprise
from zjtx.policy import access, frames
from zjtx.policy.codes import code_problem
from zjtx.policy.engine import ParameterError, ParameterSet, compare, evaluate, load_parameters, synthetic
from zjtx.policy.engine.checks import value_problem
from zjtx.policy.engine.parameters import DatedValue, Parameter, normalise, to_jsonable
from zjtx.policy.engine.schema import TIER_LABELS, TIERS, InputError, input_label, rule_years
from zjtx.policy.models import EnterpriseFacts, ParameterValue, PolicyRun, ProgrammeEvent

logger = logging.getLogger(__name__)


def parameter_set() -> ParameterSet:
    """The shipped YAML parameters with every dated value added through the page merged in."""
    base = load_parameters()
    added = list(ParameterValue.objects.order_by("parameter_id", "start"))
    if not added:
        return base
    changed: dict[str, Any] = {}
    for row in added:
        if row.parameter_id not in base:
            continue
        parameter = changed.get(row.parameter_id, base[row.parameter_id])
        entry = DatedValue(start=row.start, value=_engine_value(row.value), reference=row.reference,
                           confirmed=row.confirmed, note=row.note or None)
        kept = tuple(v for v in parameter.values if v.start != row.start)
        changed[row.parameter_id] = replace(parameter, values=tuple(sorted((*kept, entry), key=lambda v: v.start)))
    return ParameterSet([changed.get(key, p) for key, p in base.items()], base.overlays)


def _engine_value(value: Any) -> Any:
    """JSON keeps numbers as text (exact); the engine wants Decimal for them."""
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    if isinstance(value, dict):
        return {k: _engine_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_engine_value(v) for v in value]
    return value


def parse_value(text: str, parameter: Parameter, params: ParameterSet) -> Any:
    """The officer's input (a number, or YAML for structured values) as stored (numbers as exact text),
    checked against the parameter's *defined* form (its shipped values, never the value entered last:
    a wrong value saved once must not refuse its own correction), its unit, its tables and the codes
    it may list (``engine.checks``, ``codes``)."""
    try:
        value = yaml.safe_load(text) if text.strip() else None
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: a number of thousands of digits
        raise ApplicationError("取值格式不正确：结构化取值请按 YAML 书写", field="value") from exc
    if value is None:
        raise ApplicationError("请填写新取值", field="value")
    shipped = _shipped(parameter)
    value = _as_defined(value, shipped.values[0].value)
    problem = value_problem(shipped, value) or code_problem(parameter, params, value)
    if problem:
        raise ApplicationError(problem, field="value")
    return to_jsonable(normalise(value))


def _shipped(parameter: Parameter) -> Parameter:
    """The parameter as the YAML defines it (page values left out); the parameter itself if none does."""
    return load_parameters().get(parameter.id, parameter)


def _as_defined(value: Any, defined: Any) -> Any:
    """A whole number typed where the parameter holds text (a version "2023", an industry code "13")
    is that text: YAML reads 2023 as a number; and "NaN" where it holds a number is that number (to be
    refused as one)."""
    if isinstance(defined, Decimal) and isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return value
    if isinstance(defined, str) and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(defined, list) and defined and isinstance(value, list):
        return [_as_defined(v, defined[0]) for v in value]
    return value


@functools.lru_cache(maxsize=4)
def _probe_population(data_year: int) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    return synthetic.population(60, data_year, seed=11)


def engine_refusal(params: ParameterSet, as_of: dt.date) -> str | None:
    """Why the engine cannot evaluate every rule and award with ``params`` on ``as_of`` (None: it can).

    Tried on a few synthetic enterprises with events of every kind, as a run would evaluate them: a
    value that passes the form's checks may still be unusable (a threshold finer than the rules
    compare exactly, an amount finer than 分, a number too large, a table of the wrong shape), and
    found here it is refused at entry instead of stopping every later explanation and run.  Once per
    parameter set and date: a what-if asks it of the current set twice (its date, then the overlay's
    baseline)."""
    return params.memo(("engine refusal", as_of), lambda: _probe(params, as_of))


def _probe(params: ParameterSet, as_of: dt.date) -> str | None:
    try:
        data_year = as_of.year - int(params.value("criteria.data_year_lag", as_of))
        enterprises, indicators, events = _probe_population(data_year)
        evaluate(enterprises, indicators, events, as_of, params).entitlements  # noqa: B018 (computes the awards)
    except ParameterError as exc:
        return str(exc)
    except Exception as exc:  # on made-up data, any failure means the parameters cannot be used
        logger.info("parameters refused by the engine on %s", as_of, exc_info=True)
        return f"按此取值无法完成测算（{type(exc).__name__}）"
    return None


def fact_limits() -> dict[str, int]:
    """Upper bounds of recognition facts that parameters give: the 特色化 score's maximum (the highest
    it has been, so facts recorded for any year of the rules stay valid)."""
    local_max = parameter_set()["criteria.2022.srdi.local_max"]
    return {"local_feature_score": max(int(v.value) for v in local_max.values if v.value is not None)}


def day(value: dt.date) -> str:
    """A date as the pages write it: 2022年6月1日."""
    return formats.date_format(value)


def too_early(params: ParameterSet, as_of: dt.date) -> str | None:
    """Why ``as_of`` is before the rules can be applied (None: it is not), in words for any reader:
    the engine's own message names a parameter id."""
    earliest = earliest_as_of(params)
    if as_of >= earliest:
        return None
    return f"测算日期 {day(as_of)} 早于认定规则的参数生效日期，请选择 {day(earliest)} 或以后的日期"


def earliest_as_of(params: ParameterSet) -> dt.date:
    """The first 测算日期 the rules can take: the data-year rule (which year's figures are read) is
    the last of their parameters to come into force."""
    return params["criteria.data_year_lag"].values[0].start


def _overlay_refusal(params: ParameterSet, values: dict[str, Any], start: dt.date, as_of: dt.date) -> str | None:
    """``engine_refusal`` of ``params`` with ``values`` in force from ``start``, on ``as_of``; None also
    when the date itself cannot be evaluated under the current values (then there is nothing to compare)."""
    if engine_refusal(params, as_of) is not None:
        return None
    overlay = {key: _engine_value(value) for key, value in values.items()}
    return engine_refusal(params.with_overlay(overlay, start, "录入检查"), as_of)


# A reference that names a document: its number (皖政办〔2024〕12号) or its title in 《》.  Only such a
# value counts as 已核实; "x" or "测试" leaves it 待核实 (docs/policy.md).
DOCUMENT_REFERENCE = re.compile(r"[〔［\[]\d{4}[〕］\]]\s*\S*号|《[^》]+》")


def parameter_value_add(*, user: User, parameter_id: str, start: dt.date, text: str, reference: str,
                        note: str = "") -> ParameterValue:
    """Give a parameter a new value from `start` on; earlier values stay in force before that date.
    Not on a date of a value shipped with the code: the page value would hide it from the history."""
    access.require_edit_parameters(user)
    params = parameter_set()
    if parameter_id not in params:
        raise ApplicationError(f"没有这个参数：{parameter_id}", field="parameter_id")
    reference = reference.strip()
    if not reference:
        raise ApplicationError("请填写依据文件（文号或名称）", field="reference")
    parameter = params[parameter_id]
    if start <= parameter.values[0].start:
        raise ApplicationError(f"生效日期应晚于该参数最早取值的日期 {parameter.values[0].start}", field="start")
    if start in _shipped(parameter).starts():
        raise ApplicationError(f"该参数在 {start} 已有随系统发布的取值，同一日期不能再录入；"
                               "如需改变，请选择之后的生效日期", field="start")
    current = parameter.value_at(start) if parameter.entry_at(start) else parameter.values[-1].value
    value = parse_value(text, parameter, params)
    refusal = _overlay_refusal(params, {parameter_id: value}, start, start)
    if refusal:
        raise ApplicationError(f"新取值无法用于测算：{refusal}", field="value")
    confirmed = bool(DOCUMENT_REFERENCE.search(reference))
    try:
        with transaction.atomic():
            row = ParameterValue.objects.create(parameter_id=parameter_id, start=start, value=value,
                                                reference=reference, note=note.strip(), confirmed=confirmed,
                                                created_by=user)
            audit_record(actor=user, action="parameter_value_add", target_type="parameter", target_id=parameter_id,
                         summary=f"参数“{parameter.label}”自 {start} 起取值调整为 {value}（{reference}）",
                         before={"value": to_jsonable(current)},
                         after={"value": value, "start": start, "confirmed": confirmed})
    except IntegrityError as exc:
        raise ApplicationError(f"该参数在 {start} 已有页面录入的取值；如录错，请先撤销该取值再录入",
                               field="start") from exc
    return row


def parameter_value_withdraw(*, user: User, parameter_id: str, start: dt.date, reason: str) -> None:
    """Withdraw a value entered on the page in error: it is removed (the values before it apply again
    from its date), and the audit keeps the value, its reference, who entered it and the reason.
    Runs made with it keep it in their stored parameter versions."""
    access.require_edit_parameters(user)
    reason = reason.strip()
    if not reason:
        raise ApplicationError("请填写撤销原因（记入审计）", field="reason")
    if len(reason) > 200:
        raise ApplicationError("撤销原因不能超过200字", field="reason")
    with transaction.atomic():
        # lock the value's row only: PostgreSQL cannot lock the nullable side of the join to its author
        row = (ParameterValue.objects.select_for_update(of=("self",)).select_related("created_by")
               .filter(parameter_id=parameter_id, start=start).first())
        if row is None:
            raise ApplicationError(f"该参数在 {start} 没有页面录入的取值（可能已被撤销）", field="start")
        before = {"start": start, "value": row.value, "reference": row.reference, "note": row.note,
                  "confirmed": row.confirmed, "entered_by": row.created_by.display_name if row.created_by else "",
                  "entered_at": row.created_at.isoformat()}
        row.delete()
        audit_record(actor=user, action="parameter_value_withdraw", target_type="parameter", target_id=parameter_id,
                     summary=f"撤销参数 {parameter_id} 自 {start} 起的取值 {row.value}。原因：{reason}"[:300],
                     before=before, after={"reason": reason})


def run_create(*, user: User, kind: str, as_of: dt.date, name: str = "", reform: dict[str, Any] | None = None,
               reform_start: dt.date | None = None) -> PolicyRun:
    """Record a run and queue it; the page follows its progress."""
    access.require_runs(user)
    params = parameter_set()
    early = too_early(params, as_of)
    if early:
        raise ApplicationError(early, field="as_of")
    refusal = engine_refusal(params, as_of)
    if refusal:
        raise ApplicationError(f"无法按测算日期 {day(as_of)} 测算：{refusal}", field="as_of")
    check_data_year(params, as_of)
    if reform_start is not None and reform_start > as_of:
        raise ApplicationError(f"调整生效日期 {day(reform_start)} 晚于测算日期 {day(as_of)}："
                               "测算只用测算日期当天有效的参数和此前的事件，调整不会起作用。"
                               "请把调整生效日期提前，或推后测算日期", field="reform_start")
    if kind == PolicyRun.Kind.WHATIF:
        reform = _checked_reform(params, reform or {}, as_of, reform_start)
    run = PolicyRun.objects.create(kind=kind, as_of=as_of, name=name[:100], reform=reform or {},
                                   reform_start=reform_start, created_by=user)
    audit_record(actor=user, action="policy_run", target_type="policy_run", target_id=str(run.pk),
                 summary=f"发起{run.get_kind_display()}（测算日期 {as_of}）", after={"reform": reform or {}})
    from zjtx.policy.tasks import policy_run_task

    transaction.on_commit(lambda: policy_run_task.enqueue(run.pk))
    return run


def check_data_year(params: ParameterSet, as_of: dt.date) -> None:
    """A 测算日期 whose data year has not begun yet (9999-12-31, 2099-…) can only find no data: every
    enterprise would be 数据不足 and the run would look like a real "0"."""
    data_year = as_of.year - int(params.value("criteria.data_year_lag", as_of))
    this_year = clock.today().year
    if data_year > this_year:
        raise ApplicationError(f"测算日期 {day(as_of)} 要用 {data_year} 年度的数据，"
                               "该年度尚未开始，企业库中没有这些数据；"
                               f"测算日期最晚可选 {this_year + int(params.value('criteria.data_year_lag', as_of))}"
                               "年12月31日", field="as_of")


def _checked_reform(params: ParameterSet, reform: dict[str, Any], as_of: dt.date,
                    reform_start: dt.date | None) -> dict[str, Any]:
    if not reform:
        raise ApplicationError("请至少调整一个参数", field="reform")
    checked = {}
    for parameter_id, text in reform.items():
        if parameter_id not in params:
            raise ApplicationError(f"没有这个参数：{parameter_id}", field="reform")
        parameter = params[parameter_id]
        try:
            checked[parameter_id] = parse_value(str(text), parameter, params)
        except ApplicationError as exc:
            raise ApplicationError(f"“{parameter.label}”：{exc.message}", field=parameter_id) from None
        if _unchanged(parameter, checked[parameter_id], reform_start or dt.date(1900, 1, 1)):
            raise ApplicationError(f"“{parameter.label}”：新取值与现行取值相同，模拟不会有任何变化",
                                   field=parameter_id)
    # as the comparison applies it: from the reform's start, or for every date
    refusal = _overlay_refusal(params, checked, reform_start or dt.date(1900, 1, 1), as_of)
    if refusal:
        raise ApplicationError(f"调整后的参数无法用于测算：{refusal}", field="reform")
    return checked


def _unchanged(parameter: Any, value: Any, start: dt.date) -> bool:
    """Whether ``value`` is what the parameter holds on every date from ``start`` on (then the what-if
    can only compare a run with itself)."""
    entry = parameter.entry_at(start)
    held = [entry.value] if entry is not None else []
    held += [v.value for v in parameter.values if v.start > start]
    return bool(held) and all(v == _engine_value(value) for v in held)


def run_execute(run: PolicyRun) -> PolicyRun:
    """Evaluate the whole registry (and, for a what-if, the reform beside it) and store the outcome."""
    try:
        _progress(run, 10, "读取企业库")
        params = parameter_set()
        enterprises, indicators, events = frames.registry_frames(years=_indicator_years(run, params))
        run.enterprises = enterprises.height
        _progress(run, 40, "规则计算")
        execute = _execute_whatif if run.kind == PolicyRun.Kind.WHATIF else _execute_evaluation
        set_aside = _setting_aside(lambda *frames: execute(run, params, *frames), enterprises, indicators, events)
        run.status = PolicyRun.Status.DONE
        run.message = f"已完成：{run.enterprises - len(set_aside):,} 家企业。" + _set_aside_note(set_aside)
        run.summary = {**run.summary, "set_aside": _set_aside_rows(set_aside)}
    except InputError as exc:
        # Row numbers of the registry's frames mean nothing to an official: name the enterprises.
        run.status, run.message = PolicyRun.Status.FAILED, f"测算失败：{exc}{_enterprises_named(exc.credit_codes)}"
    except (ParameterError, ApplicationError) as exc:
        run.status, run.message = PolicyRun.Status.FAILED, f"测算失败：{exc}"
    except Exception as exc:  # a run must end, never stay 计算中: the reason goes to the log
        logger.exception("policy run %s failed", run.pk)
        run.status = PolicyRun.Status.FAILED
        run.message = f"测算出错（{type(exc).__name__}），请联系系统管理员查看日志"
    run.progress, run.stage, run.finished_at = 100, run.get_status_display(), timezone.now()
    run.save()
    return run


SET_ASIDE_ROUNDS = 10  # each round names at most a few rows per kind of problem (inputs.MAX_EXAMPLES)
ROW_PLACE = re.compile(r"第 [\d, ]+ 行：")


def _setting_aside(execute: Any, enterprises: pl.DataFrame, indicators: pl.DataFrame,
                   events: pl.DataFrame) -> dict[str, str]:
    """Run ``execute`` on the registry's frames; an enterprise whose stored values the engine refuses
    (written past the forms, e.g. by hand in the database) is set aside with the problem, and the run
    goes on with the others, so that one bad record does not stop the province.  Returns credit code →
    problem of those set aside; a problem that names no enterprise still fails the run."""
    set_aside: dict[str, str] = {}
    for _ in range(SET_ASIDE_ROUNDS):
        try:
            execute(enterprises, indicators, events)
            return set_aside
        except InputError as exc:
            if not exc.credit_codes:
                raise
            problem = "；".join(ROW_PLACE.sub("：", p) for p in exc.problems)
            set_aside.update(dict.fromkeys(exc.credit_codes, problem))
            keep = ~pl.col("credit_code").is_in(exc.credit_codes)
            enterprises, indicators, events = enterprises.filter(keep), indicators.filter(keep), events.filter(keep)
    raise InputError([f"企业库中数据有误的企业超过 {len(set_aside)} 家，请先核对这些企业的信息和年度指标"],
                     list(set_aside))


def _set_aside_note(set_aside: dict[str, str]) -> str:
    if not set_aside:
        return ""
    return f"另有 {len(set_aside)} 家企业的数据有误，未参与测算（见下表），请核对其企业信息或年度指标后重新测算。"


def _set_aside_rows(set_aside: dict[str, str]) -> list[dict[str, str]]:
    names = dict(Enterprise.objects.filter(credit_code__in=list(set_aside)).values_list("credit_code", "name"))
    return [{"credit_code": code, "name": names.get(code, ""), "problem": problem}
            for code, problem in set_aside.items()]


def _enterprises_named(codes: list[str]) -> str:
    """ "。涉及企业：名称（信用代码）、…" for the first few codes, to fix their records."""
    if not codes:
        return ""
    names = dict(Enterprise.objects.filter(credit_code__in=codes[:5]).values_list("credit_code", "name"))
    listed = "、".join(f"{names.get(code, '')}（{code}）" for code in codes[:5])
    more = f"等 {len(codes)} 家" if len(codes) > 5 else ""
    return f"。涉及企业：{listed}{more}，请核对其企业信息或年度指标"


def _indicator_years(run: PolicyRun, params: ParameterSet) -> list[int] | None:
    """The years the rules read, so the registry exports them in the engine's fast order; None
    (every year) when a what-if changes the lag and the reform reads other years."""
    if run.kind == PolicyRun.Kind.WHATIF and "criteria.data_year_lag" in run.reform:
        return None
    data_year = run.as_of.year - int(params.value("criteria.data_year_lag", run.as_of))
    return rule_years(data_year)


def _progress(run: PolicyRun, percent: int, stage: str) -> None:
    run.status, run.progress, run.stage = PolicyRun.Status.RUNNING, percent, stage
    run.save(update_fields=["status", "progress", "stage", "enterprises"])


def _execute_evaluation(run: PolicyRun, params: ParameterSet, enterprises: pl.DataFrame,
                        indicators: pl.DataFrame, events: pl.DataFrame) -> None:
    from zjtx.policy.engine import write

    # The frames come from the registry database (frames.registry_frames): skip the checks it guarantees.
    result = evaluate(enterprises, indicators, events, run.as_of, params, checked_inputs=True)
    _progress(run, 80, "保存结果")
    folder = _run_dir(run)
    write(result, folder)
    run.result_dir, run.fingerprint = str(folder), result.fingerprint
    run.parameter_versions = to_jsonable(result.parameter_versions)
    budget = result.budget().join(_award_labels(result.awards_raw), on="award", how="left")
    run.summary = to_jsonable({"tiers": _tier_totals(result.tier_counts()), "statuses": _status_counts(result),
                               "budget": budget.to_dicts(), "data_year": result.data_year})


def _award_labels(*awards: pl.DataFrame) -> pl.DataFrame:
    """(award, label) of the awards in the given award frames, each once."""
    return pl.concat([frame.select("award", "label") for frame in awards]).unique("award")


def _execute_whatif(run: PolicyRun, params: ParameterSet, enterprises: pl.DataFrame, indicators: pl.DataFrame,
                    events: pl.DataFrame) -> None:
    reform = {k: _engine_value(v) for k, v in run.reform.items()}
    comparison = compare(params, reform, enterprises, indicators, events, run.as_of, start=run.reform_start,
                         name=run.name or f"模拟#{run.pk}", checked_inputs=True)
    _progress(run, 80, "保存结果")
    folder = _run_dir(run)
    comparison.changes.write_parquet(folder / "changes.parquet")
    run.result_dir, run.fingerprint = str(folder), comparison.baseline.fingerprint
    run.parameter_versions = to_jsonable(comparison.reform.parameter_versions)
    labels = _award_labels(comparison.baseline.awards_raw, comparison.reform.awards_raw)
    budget = comparison.budget.join(labels, on="award", how="left")
    run.summary = to_jsonable({"tiers": comparison.tiers.to_dicts(), "budget": budget.to_dicts(),
                               "reform_fingerprint": comparison.reform.fingerprint,
                               "changes": comparison.changes.height})


def _status_counts(result: Any) -> list[dict[str, Any]]:
    """Province counts of 符合 / 不符合 / 数据不足 per tier: a "0 符合" must be told from "no data"."""
    counts = result.recognition.group_by("tier", "status").len()
    found = {(str(r["tier"]), str(r["status"])): int(r["len"]) for r in counts.to_dicts()}
    return [{"tier": t, "tier_label": TIER_LABELS[t], "met": found.get((t, "符合"), 0),
             "unmet": found.get((t, "不符合"), 0), "unknown": found.get((t, "数据不足"), 0)} for t in TIERS]


def _tier_totals(counts: pl.DataFrame) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for row in counts.to_dicts():
        city = row.pop("city_code")
        rows.extend({"city_code": city, "tier": t, "tier_label": TIER_LABELS.get(t, t), "count": n}
                    for t, n in row.items())
    return rows


def _run_dir(run: PolicyRun) -> Path:
    """The run's own, empty result folder: files left by anything else under that number (a demo
    database reset, an earlier try of the run) must not pass for this run's results."""
    folder = Path(settings.MEDIA_ROOT) / "policy_runs" / str(run.pk)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def facts_save(*, user: User, enterprise: Enterprise, values: dict[str, Any]) -> list[str]:
    """Record an enterprise's facts (None: unknown, the key dropped); keys the form does not know are
    kept.  Audited with the changed facts before and after; returns their names (none: nothing saved)."""
    with transaction.atomic():
        facts = EnterpriseFacts.objects.select_for_update().filter(enterprise=enterprise).first()
        before = dict(facts.data) if facts else {}
        after = {k: v for k, v in before.items() if k not in values}
        after.update({k: v for k, v in values.items() if v is not None})
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        if not changed:  # nothing to store (not even an empty row) and nothing to audit
            return []
        facts = facts or EnterpriseFacts(enterprise=enterprise)
        facts.data = after
        facts.save()
        # in Chinese, at most 8 of them: the summary holds 300 characters
        names = "、".join(input_label(k) for k in changed[:8]) + ("等" if len(changed) > 8 else "")
        audit_record(actor=user, action="enterprise_facts_update", target_type="enterprise_facts",
                     target_id=enterprise.credit_code, enterprise_code=enterprise.credit_code,
                     summary=f"补录认定要素 {len(changed)} 项：{names}",
                     before={k: before.get(k) for k in changed}, after={k: after.get(k) for k in changed})
    return changed


EVENT_FIELDS = ("kind", "date", "grade", "amount", "rank")


def _event_fields(data: Any) -> dict[str, Any]:
    """The recorded values of an event (a form's cleaned data or the event itself); no grade is ""."""
    get = data.get if isinstance(data, dict) else lambda name: getattr(data, name)
    fields = {name: get(name) for name in EVENT_FIELDS}
    fields["grade"] = fields["grade"] or ""
    return fields


def event_add(*, user: User, enterprise: Enterprise, data: dict[str, Any]) -> ProgrammeEvent:
    """Record a programme event (checked by ``forms.EventForm``); audited."""
    fields = _event_fields(data)
    with transaction.atomic():
        event = ProgrammeEvent.objects.create(enterprise=enterprise, **fields)
        audit_record(actor=user, action="programme_event_add", target_type="programme_event",
                     target_id=str(event.pk), enterprise_code=enterprise.credit_code,
                     summary=f"录入专项事件：{event.title}", after=fields)
    return event


def _locked_event(event: ProgrammeEvent, doing: str) -> ProgrammeEvent:
    """The event, locked for the change, unless other records point at it: a recognition it records,
    or entitlements of the award ledger computed from it (they stay as approved or paid, so the event
    that explains them must too)."""
    locked = ProgrammeEvent.objects.select_for_update().get(pk=event.pk)
    references = locked.references()
    if references:
        raise ApplicationError(
            f"该事件已被{references_text(references)}引用，不能{doing}；如确有错误，请在相应模块中处理这些记录。"
        )
    return locked


def references_text(references: dict[str, int]) -> str:
    """{"奖补资格": 2, "认定": 1} → "奖补资格 2 条、认定 1 条"."""
    return "、".join(f"{kind} {count} 条" for kind, count in references.items())


def event_update(*, user: User, event: ProgrammeEvent, data: dict[str, Any]) -> list[str]:
    """Correct a recorded event (checked by ``forms.EventForm``); audited with the changed fields
    before and after.  Returns the names of the changed fields (none: nothing saved)."""
    with transaction.atomic():
        locked = _locked_event(event, "更正")
        before, after = _event_fields(locked), _event_fields(data)
        changed = [name for name in EVENT_FIELDS if before[name] != after[name]]
        if not changed:
            return []
        for name in changed:
            setattr(locked, name, after[name])
        locked.save(update_fields=changed)
        audit_record(actor=user, action="programme_event_update", target_type="programme_event",
                     target_id=str(locked.pk), enterprise_code=locked.enterprise.credit_code,
                     summary=f"更正专项事件：{locked.title}，更正 {len(changed)} 项",
                     before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return changed


def event_withdraw(*, user: User, event: ProgrammeEvent, reason: str) -> None:
    """Withdraw an event recorded in error: it is removed, and the audit keeps its values and the reason."""
    reason = reason.strip()
    if not reason:
        raise ApplicationError("撤销原因：请填写撤销原因（记入审计）")
    if len(reason) > 200:
        raise ApplicationError("撤销原因：不能超过200字")
    with transaction.atomic():
        locked = _locked_event(event, "撤销")
        fields, pk, title = _event_fields(locked), locked.pk, locked.title
        locked.delete()
        audit_record(actor=user, action="programme_event_withdraw", target_type="programme_event",
                     target_id=str(pk), enterprise_code=event.enterprise.credit_code,
                     summary=f"撤销专项事件：{title}。原因：{reason}"[:300],
                     before=fields, after={"reason": reason})
