"""JSON API of the recognition workflow (reads), with the same access rules as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from zjtx.accounts.models import current_user
from zjtx.core.schemas import Id, with_errors
from zjtx.tiers import access, clock, selectors
from zjtx.tiers.models import Recognition

router = Router(tags=["梯度培育"])


class BatchOut(Schema):
    id: int
    tier: str
    year: int
    title: str
    opens_on: dt.date
    closes_on: dt.date
    city_review_deadline: dt.date
    quota: int | None
    notice_working_days: int
    status: str


class CityCountOut(Schema):
    city_code: str
    city_name: str
    in_batch: int
    this_year: int
    stock: int


class BatchDetailOut(BatchOut):
    counts: list[CityCountOut]
    total: CityCountOut
    stock_target: int | None
    stock_parameter: str


class ApplicationOut(Schema):
    id: int
    batch_id: int
    credit_code: str
    enterprise: str
    status: str
    flagged: bool
    assessment_status: str | None
    assessment_score: float | None
    expert_score: float | None
    notice_end: dt.date | None


class RecognitionOut(Schema):
    id: int
    credit_code: str
    tier: str
    certificate_no: str
    start_date: dt.date
    expires_on: dt.date
    status: str
    source: str


@router.get("/batches", response=with_errors(list[BatchOut], 403), summary="申报批次")
def batches(request: HttpRequest) -> Any:
    return access.visible_batches(current_user(request))


@router.get("/batches/{pk}", response=with_errors(BatchDetailOut, 400, 403, 404),
            summary="批次与认定进度（按市，对照年度数量和存量目标）")
def batch(request: HttpRequest, pk: int) -> dict[str, Any]:
    found = access.access_batch(current_user(request), pk)
    counts = selectors.batch_counts(found, clock.today())
    return {**{f: getattr(found, f) for f in BatchOut.model_fields}, "counts": counts.rows, "total": counts.total,
            "stock_target": counts.stock_target, "stock_parameter": counts.stock_parameter}


@router.get("/applications", response=with_errors(list[ApplicationOut], 400, 403), summary="申报（按权限范围）")
def applications(request: HttpRequest, batch: Id | None = None) -> list[dict[str, Any]]:
    user = current_user(request)
    qs = access.visible_applications(user).order_by("-id")
    panel_score = access.sees_panel_score(user)
    if batch:
        qs = qs.filter(batch_id=batch)
    return [{"id": a.pk, "batch_id": a.batch_id, "credit_code": a.enterprise.credit_code,
             "enterprise": a.enterprise.name, "status": a.status, "flagged": a.flagged,
             "assessment_status": a.assessment.get("status"), "assessment_score": a.assessment.get("score"),
             "expert_score": float(a.expert_score) if a.expert_score is not None and panel_score else None,
             "notice_end": a.notice_end} for a in qs[:1000]]


@router.get("/recognitions", response=with_errors(list[RecognitionOut], 403), summary="认定名单（按权限范围）")
def recognitions(request: HttpRequest) -> list[dict[str, Any]]:
    qs = access.visible_recognitions(current_user(request)).order_by("-id")[:2000]
    today = clock.today()
    # Past its validity it is expired, as the pages say, before the daily expiry marks it.
    return [{"id": r.pk, "credit_code": r.enterprise.credit_code, "tier": r.tier, "certificate_no": r.certificate_no,
             "start_date": r.start_date, "expires_on": r.expires_on,
             "status": Recognition.Status.EXPIRED if r.lapsed(today) else r.status, "source": r.source} for r in qs]
