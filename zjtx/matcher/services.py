"""Writes of the matcher: the 免申即享 / 潜在培育对象 list of a finished province run, built once per run
(in the background: ``tasks.build_task``) from the run's stored result files, so that the list page never
evaluates the province."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone

from zjtx.core.audit import audit_record
from zjtx.enterprises.models import Enterprise
from zjtx.matcher.ladder import next_tier
from zjtx.matcher.models import Candidate, CandidateList
from zjtx.policy.engine.awards import GRANTED
from zjtx.policy.engine.recognition import STATUS_PASS, STATUS_UNKNOWN
from zjtx.policy.models import PolicyRun
from zjtx.tiers.templatetags.tiers_format import actual_value

logger = logging.getLogger(__name__)
BATCH = 5000


def held_frame(enterprises: Iterable[tuple[int, str, str]]) -> pl.DataFrame:
    """(enterprise id, credit code, registry tier) → with the engine's id of the next step (null at the top)."""
    rows = [(pk, code, tier, next_tier(tier)) for pk, code, tier in enterprises]
    return pl.DataFrame(rows, schema={"enterprise_id": pl.Int64, "credit_code": pl.String, "held_tier": pl.String,
                                      "next": pl.String}, orient="row")


def candidate_lines(recognition: pl.LazyFrame, unmet: pl.LazyFrame, entitlements: pl.LazyFrame,
                    held: pl.DataFrame) -> list[Candidate]:
    """The list's lines (not saved) from an evaluation's three frames: each enterprise's next step when it
    qualifies or lacks exactly one condition, and every award it is entitled to (应享)."""
    return [*_tier_lines(recognition, unmet, held), *_award_lines(entitlements, held)]


def _text(*names: str) -> list[pl.Expr]:
    return [pl.col(name).cast(pl.String) for name in names]


def _tier_lines(recognition: pl.LazyFrame, unmet: pl.LazyFrame, held: pl.DataFrame) -> list[Candidate]:
    targets = held.lazy().filter(pl.col("next").is_not_null()).rename({"next": "tier"})
    steps = (recognition.select(*_text("credit_code", "tier", "status"))
             .join(targets, on=["credit_code", "tier"]))
    # Runs stored before the engine gave a score's bounds (actual_min, actual_max) have none.
    bounds = [pl.col(name) if name in unmet.collect_schema() else pl.lit(None, pl.Float64).alias(name)
              for name in ("actual_min", "actual_max")]
    conditions = (unmet.select(*_text("credit_code", "tier", "label", "unit", "threshold", "clause"),
                               pl.col("status").cast(pl.String).alias("condition_status"), "actual", *bounds,
                               pl.col("missing").cast(pl.List(pl.String)))
                  .join(targets.select("credit_code", "tier"), on=["credit_code", "tier"], how="semi")
                  .group_by("credit_code", "tier").agg(pl.len().alias("gap"), pl.all().first()))
    found = (steps.join(conditions, on=["credit_code", "tier"], how="left")
             .filter((pl.col("status") == STATUS_PASS) | (pl.col("gap") == 1)).collect())
    return [_tier_line(row) for row in found.iter_rows(named=True)]


def _tier_line(row: dict[str, Any]) -> Candidate:
    line = Candidate(enterprise_id=row["enterprise_id"], kind=Candidate.Kind.TIER, tier=row["tier"],
                     held_tier=row["held_tier"] or "")
    if row["status"] == STATUS_PASS:
        return line
    unknown = row["condition_status"] == STATUS_UNKNOWN
    line.gap, line.condition, line.condition_status = 1, row["label"][:200], row["condition_status"]
    shown = actual_value({**row, "status": row["condition_status"], "missing": row["missing"] or []})
    line.actual = (f"{shown}：" + "、".join(row["missing"]) if unknown and row["missing"] else shown)[:200]
    line.threshold, line.clause = (row["threshold"] or "")[:60], (row["clause"] or "")[:40]
    return line


def _award_lines(entitlements: pl.LazyFrame, held: pl.DataFrame) -> list[Candidate]:
    granted = (entitlements.filter(pl.col("status").cast(pl.String) == GRANTED)
               .select(*_text("credit_code", "award", "award_label", "funding_level", "event_kind",
                              "clause"), "amount", "event_date")
               .join(held.lazy().select("credit_code", "enterprise_id", "held_tier"), on="credit_code").collect())
    return [Candidate(enterprise_id=r["enterprise_id"], kind=Candidate.Kind.AWARD, held_tier=r["held_tier"] or "",
                      award=r["award"], award_label=r["award_label"][:120], amount=r["amount"],
                      funding_level=r["funding_level"], event_kind=r["event_kind"], event_date=r["event_date"],
                      clause=(r["clause"] or "")[:40]) for r in granted.iter_rows(named=True)]


def list_for_run(run: PolicyRun) -> CandidateList:
    """The run's list row, created (生成中) the first time it is asked for."""
    found, _ = CandidateList.objects.get_or_create(run=run)
    return found


def build(run: PolicyRun) -> CandidateList:
    """Build the list of a finished province run from its stored frames (once: a list built is kept)."""
    target = list_for_run(run)
    if target.status == CandidateList.Status.DONE:
        return target
    try:
        folder = Path(run.result_dir)
        recognition, unmet, entitlements = (pl.scan_parquet(folder / f"{name}.parquet")
                                            for name in ("recognition", "unmet", "entitlements"))
        held = held_frame(Enterprise.objects.values_list("id", "credit_code", "tier").iterator(chunk_size=BATCH))
        lines = candidate_lines(recognition, unmet, entitlements, held)
    except (OSError, pl.exceptions.PolarsError) as exc:
        logger.exception("matcher list of run %s failed", run.pk)
        reason = f"名单生成失败：测算结果文件无法读取（{type(exc).__name__}）"
        return _finish(target, CandidateList.Status.FAILED, reason)
    _store(target, lines)
    return _finish(target, CandidateList.Status.DONE, f"共 {len(lines):,} 条")


def _store(target: CandidateList, lines: Sequence[Candidate]) -> None:
    with transaction.atomic():
        target.candidates.all().delete()
        for line in lines:
            line.candidate_list = target
        Candidate.objects.bulk_create(lines, batch_size=BATCH)


def _finish(target: CandidateList, status: str, message: str) -> CandidateList:
    target.status, target.message, target.built_at = status, message[:300], timezone.now()
    target.save(update_fields=["status", "message", "built_at"])
    audit_record(actor=None, action="matcher.list_build", target_type="candidatelist", target_id=str(target.pk),
                 summary=f"根据全省测算 #{target.run_id}（测算日期 {target.run.as_of}）生成免申即享与潜在培育对象名单："
                         f"{target.get_status_display()}，{message}"[:300])
    return target
