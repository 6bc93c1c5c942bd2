"""Every write of the recognition workflow. Keyword-only, atomic, audited.

Each transition locks its row (SELECT … FOR UPDATE), checks the transition table (workflow.py) against
the state it finds, validates its input, and only then changes anything: a refusal leaves stored data as
it was. `today` may be given (tests, demos); otherwise clock.today().
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core.audit import audit_record
from zjtx.core.errors import ApplicationError
from zjtx.core.text import clean_text
from zjtx.enterprises.models import Enterprise, Tier
from zjtx.enterprises.services import enterprise_set_tier
from zjtx.policy import frames
from zjtx.policy.engine import ParameterSet
from zjtx.policy.events import programme_event_announce, programme_event_record
from zjtx.policy.services import event_withdraw, parameter_set
from zjtx.tiers import access, assessment, clock, hooks, params, selectors, workflow
from zjtx.tiers.models import (
    EVENT_FOR_TIER,
    NATIONAL_TIERS,
    Application,
    Attachment,
    Batch,
    ExpertAssignment,
    ExpertConflict,
    Holiday,
    Objection,
    Recognition,
    ReReview,
    tier_rank,
)

A = Application.Status
TIER_LABELS = dict(Tier.choices)
CERTIFICATE_PREFIX = {
    Tier.INNOVATIVE.value: "皖创新型",
    Tier.PROVINCIAL.value: "皖专精特新",
    Tier.PROVINCIAL_CHAMPION.value: "皖专精特新冠军",
}
ATTACHMENT_SUFFIXES = {".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".ofd"}
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 20


def _today(today: dt.date | None) -> dt.date:
    return today or clock.today()


def _audit(user: User | None, action: str, obj: Any, enterprise: Enterprise | None, summary: str,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    audit_record(actor=user, action=f"tiers.{action}", target_type=type(obj).__name__.lower(),
                 target_id=str(obj.pk), enterprise_code=enterprise.credit_code if enterprise else "",
                 summary=summary, before=before, after=after)


# ---------------------------------------------------------------- holidays

MAX_HOLIDAY_SPAN = 31  # days one entry may cover (春节 with its weekends is 8 or 9)


def holidays_set(*, user: User, date: dt.date, until: dt.date | None, is_workday: bool, name: str) -> list[Holiday]:
    """Every day from `date` to `until` (a holiday as the State Council publishes it: 2027-02-06 至 02-13)."""
    access.require_province(user, "维护节假日表")
    until = until or date
    if until < date:
        raise ApplicationError("结束日期不能早于日期", field="until")
    if (until - date).days >= MAX_HOLIDAY_SPAN:
        raise ApplicationError(f"一次最多录入 {MAX_HOLIDAY_SPAN} 天", field="until")
    with transaction.atomic():
        return [holiday_set(user=user, date=date + dt.timedelta(days=i), is_workday=is_workday, name=name)
                for i in range((until - date).days + 1)]


def holiday_delete(*, user: User, holiday: Holiday) -> None:
    """Take a day out of the table (entered by mistake): chinese-calendar or Monday–Friday decide it again."""
    access.require_province(user, "维护节假日表")
    with transaction.atomic():
        _audit(user, "holiday_delete", holiday, None, f"节假日表删除：{holiday.date} "
               f"{'调休上班' if holiday.is_workday else '放假'}（{holiday.name}）",
               {"is_workday": holiday.is_workday, "name": holiday.name}, None)
        holiday.delete()


def holiday_set(*, user: User, date: dt.date, is_workday: bool, name: str) -> Holiday:
    """Add or change a day in the province's holiday table (e.g. 2027's holidays once published)."""
    access.require_province(user, "维护节假日表")
    name = clean_text(name, "name", "名称", max_length=40)
    with transaction.atomic():
        holiday = Holiday.objects.select_for_update().filter(date=date).first()
        before = {"is_workday": holiday.is_workday, "name": holiday.name} if holiday else None
        if holiday is None:
            holiday = Holiday.objects.create(date=date, is_workday=is_workday, name=name, created_by=user)
        else:
            holiday.is_workday, holiday.name = is_workday, name
            holiday.save(update_fields=["is_workday", "name"])
        _audit(user, "holiday_set", holiday, None, f"节假日表：{date} {'调休上班' if is_workday else '放假'}（{name}）",
               before, {"is_workday": is_workday, "name": name})
    return holiday


# ---------------------------------------------------------------- batches

def yearly_quota(p: ParameterSet, tier: str, at: dt.date) -> tuple[int | None, str]:
    """The plan's yearly number for the tier (每年培育/遴选 …), from the target parameters' meta."""
    engine_tier = frames.TIER_TO_ENGINE[tier]
    for parameter in p.with_prefix("targets."):
        meta = parameter.meta
        if meta.get("tier") == engine_tier and meta.get("kind") == "yearly":
            found = p.value_or_none(parameter.id, at)
            return (int(found), parameter.id) if found is not None else (None, parameter.id)
    return None, ""


def batch_open(*, user: User, tier: str, year: int, title: str, opens_on: dt.date, closes_on: dt.date,
               city_review_deadline: dt.date | None = None) -> Batch:
    access.require_province(user, "开设申报批次")
    if tier not in dict(Tier.choices) or not tier:
        raise ApplicationError("请选择层级", field="tier")
    title = clean_text(title, "title", "批次名称", max_length=100)
    if not 2000 <= year <= 2100:
        raise ApplicationError("年度应为四位年份", field="year")
    if closes_on < opens_on:
        raise ApplicationError("申报截止日期不能早于申报开始日期", field="closes_on")
    p = parameter_set()
    if city_review_deadline is None:
        days = int(params.number(p, "tiers.city_review.days", opens_on))
        city_review_deadline = closes_on + dt.timedelta(days=days)
    if city_review_deadline < closes_on:
        raise ApplicationError("市级审核截止日期不能早于申报截止日期", field="city_review_deadline")
    quota, quota_parameter = yearly_quota(p, tier, opens_on)
    notice_days = int(params.number(p, "tiers.notice.working_days", opens_on))
    with transaction.atomic():
        batch = Batch.objects.create(tier=tier, year=year, title=title, opens_on=opens_on, closes_on=closes_on,
                                     city_review_deadline=city_review_deadline, quota=quota,
                                     quota_parameter=quota_parameter, notice_working_days=notice_days,
                                     created_by=user)
        _audit(user, "batch_open", batch, None, f"开设申报批次《{title}》（{TIER_LABELS[tier]}，{year}年）",
               None, {"opens_on": opens_on, "closes_on": closes_on, "city_review_deadline": city_review_deadline,
                      "quota": quota, "notice_working_days": notice_days})
    return batch


def batch_close(*, user: User, batch: Batch) -> Batch:
    with transaction.atomic():
        batch = Batch.objects.select_for_update().get(pk=batch.pk)
        t = workflow.check(workflow.BATCH, "close", user=user, state=batch.status, state_labels=workflow.BATCH_LABELS)
        before = batch.status
        batch.status = t.target or batch.status
        batch.save(update_fields=["status"])
        _audit(user, "batch_close", batch, None, f"批次《{batch.title}》截止申报", {"status": before},
               {"status": batch.status})
    return batch


def batch_set_deadline(*, user: User, batch: Batch, city_review_deadline: dt.date) -> Batch:
    access.require_province(user, "调整市级审核截止日期")
    with transaction.atomic():
        batch = Batch.objects.select_for_update().get(pk=batch.pk)
        if city_review_deadline < batch.closes_on:
            raise ApplicationError("市级审核截止日期不能早于申报截止日期", field="city_review_deadline")
        before = batch.city_review_deadline
        batch.city_review_deadline = city_review_deadline
        batch.save(update_fields=["city_review_deadline"])
        _audit(user, "batch_deadline", batch, None,
               f"批次《{batch.title}》市级审核截止日期调整为 {city_review_deadline}",
               {"city_review_deadline": before}, {"city_review_deadline": city_review_deadline})
    return batch


# ---------------------------------------------------------------- applications

def _check_upload(upload: UploadedFile) -> str:
    name = Path(upload.name or "附件").name[:200]
    if Path(name).suffix.lower() not in ATTACHMENT_SUFFIXES:
        raise ApplicationError(f"附件《{name}》格式不支持，请上传 PDF、图片、Word、Excel、OFD 或 ZIP 文件",
                               field="attachments")
    if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
        raise ApplicationError(f"附件《{name}》超过 20MB", field="attachments")
    if not upload.size:
        raise ApplicationError(f"附件《{name}》是空文件", field="attachments")
    return name


def _store_attachment(user: User, application: Application, upload: UploadedFile, name: str) -> Attachment:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(application=application, name=name, size=upload.size or 0, sha256=digest.hexdigest(),
                            uploaded_by=user)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


def application_submit(*, user: User, batch: Batch, contact_name: str, contact_phone: str, statement: str = "",
                       attachments: Sequence[UploadedFile] = (), today: dt.date | None = None) -> Application:
    """An enterprise applies (or resubmits a returned application) with the engine's self-assessment stored."""
    enterprise = access.applicant_enterprise(user)
    today = _today(today)
    contact_name = clean_text(contact_name, "contact_name", "联系人", max_length=30)
    contact_phone = clean_text(contact_phone, "contact_phone", "联系电话", max_length=20)
    if not contact_phone.replace("-", "").replace(" ", "").isdigit():
        raise ApplicationError("联系电话只能包含数字和“-”", field="contact_phone")
    statement = clean_text(statement, "statement", "申报说明", required=False, max_length=2000)
    if len(attachments) > MAX_ATTACHMENTS:
        raise ApplicationError(f"附件最多 {MAX_ATTACHMENTS} 个", field="attachments")
    names = [_check_upload(f) for f in attachments]
    returned = Application.objects.filter(batch=batch, enterprise=enterprise, status=A.RETURNED).first()
    if not batch.accepting_from(returned, today):
        if returned is not None:
            raise ApplicationError(f"退回的申报须在市级审核截止日期 {batch.city_review_deadline} 前重新提交",
                                   field="batch")
        raise ApplicationError(f"批次《{batch.title}》不在申报期内（{batch.opens_on} 至 {batch.closes_on}）"
                               + ("，已截止申报" if batch.status == Batch.Status.CLOSED else ""), field="batch")
    refusal = selectors.held_tier_refusal(enterprise, batch.tier, today)
    if refusal:
        raise ApplicationError(refusal, field="batch")
    result = assessment.self_assessment(enterprise=enterprise, tier=batch.tier, as_of=today)
    flagged = assessment.clearly_not_qualified(result)
    unmet = [u["label"] for u in result.get("unmet", []) if u["status"] == "不满足"]
    flag_reason = ("政策引擎自评不符合：" + "；".join(unmet))[:300] if flagged else ""
    declared = assessment.declared_snapshot(enterprise, result.get("data_year"))
    with transaction.atomic():
        existing = Application.objects.select_for_update().filter(batch=batch, enterprise=enterprise).first()
        if existing is not None:
            workflow.application_check("resubmit", user=user, application=existing)
            application, before = existing, {"status": existing.status}
        else:
            application, before = Application(batch=batch, enterprise=enterprise), None
        if application.pk and application.attachments.count() + len(attachments) > MAX_ATTACHMENTS:
            raise ApplicationError(f"附件最多 {MAX_ATTACHMENTS} 个", field="attachments")
        application.status = A.SUBMITTED
        application.return_reason = ""  # answered by this resubmission; the history keeps it
        application.contact_name, application.contact_phone, application.statement = (contact_name, contact_phone,
                                                                                       statement)
        application.declared, application.assessment = declared, result
        application.flagged, application.flag_reason = flagged, flag_reason
        application.submitted_at = clock.now()
        application.save()
        for upload, name in zip(attachments, names, strict=True):
            _store_attachment(user, application, upload, name)
        _audit(user, "submit" if before is None else "resubmit", application, enterprise,
               f"{'提交' if before is None else '重新提交'}《{batch.title}》申报；引擎自评：{result.get('status')}"
               + ("（已标记：明显不符合）" if flagged else ""),
               before, {"status": application.status, "score": result.get("score"), "flagged": flagged,
                        "attachments": names})
    return application


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("batch", "enterprise").get(pk=application.pk)


def application_city_review(*, user: User, application: Application, approve: bool, reason: str = "",
                            today: dt.date | None = None) -> Application:
    today = _today(today)
    action = "city_approve" if approve else "city_return"
    with transaction.atomic():
        application = _locked(application)
        if user.role == Role.CITY:
            access.require_city_scope(user, application.enterprise)
        t = workflow.application_check(action, user=user, application=application)
        if not approve:
            reason = clean_text(reason, "reason", "退回原因")
        if today > application.batch.city_review_deadline:
            raise ApplicationError(f"已超过本批次市级审核截止日期（{application.batch.city_review_deadline}），"
                                   "请联系省级管理员调整截止日期", field="deadline")
        before = {"status": application.status}
        application.status = t.target or application.status
        application.return_reason = "" if approve else reason
        application.city_reviewed_by, application.city_reviewed_at = user, clock.now()
        application.save(update_fields=["status", "return_reason", "city_reviewed_by", "city_reviewed_at",
                                        "updated_at"])
        _audit(user, action, application, application.enterprise,
               "市级审核通过，推荐至省级" if approve else f"市级退回：{reason}", before,
               {"status": application.status, "reason": reason})
    return application


def expert_conflict_declare(*, user: User, enterprise: Enterprise, reason: str) -> ExpertConflict:
    if user.role != Role.EXPERT:
        raise ApplicationError("只有评审专家可以申报回避关系", code="forbidden")
    reason = clean_text(reason, "reason", "关联关系", max_length=200)
    with transaction.atomic():
        conflict, created = ExpertConflict.objects.get_or_create(expert=user, enterprise=enterprise,
                                                                 defaults={"reason": reason})
        if created:
            _audit(user, "conflict_declare", conflict, enterprise, f"专家申报回避：{reason}", None, {"reason": reason})
        # While the review is open, a score already given goes too: it came from an expert who was not
        # independent.  (After the decision an objection in the 公示 is the way to raise it.)
        pending = (ExpertAssignment.objects.filter(expert=user, application__enterprise=enterprise,
                                                   application__status__in=[A.CITY_APPROVED, A.EXPERT_REVIEW])
                   .values_list("application_id", flat=True))
        for application in Application.objects.filter(pk__in=list(pending)):
            _assignment_withdraw(user, application, conflict.reason)
    return conflict


def _assignment_withdraw(expert: User, application: Application, reason: str) -> None:
    """A conflicted expert may not review: their assignment (and any score) goes, so the province can
    assign another expert instead of the application waiting for a score that can never come."""
    application = _locked(application)
    assignment = ExpertAssignment.objects.select_for_update().filter(application=application, expert=expert).first()
    if assignment is None:
        return
    experts = sorted(application.assignments.values_list("expert_id", flat=True))
    score = assignment.score
    assignment.delete()
    dropped = f"，其评分 {score} 分作废" if score is not None else ""
    _audit(expert, "assignment_withdraw", application, application.enterprise,
           f"专家 {expert.display_name} 申报回避（{reason}），撤回其评审分配{dropped}，请省级管理员另行分配专家",
           {"experts": experts, "score": score}, {"experts": [e for e in experts if e != expert.pk], "score": None})


def experts_assign(*, user: User, application: Application, experts: Sequence[User]) -> Application:
    """Give the application its reviewers; none may be linked to the enterprise (declared or same unit)."""
    with transaction.atomic():
        application = _locked(application)
        t = workflow.application_check("assign_experts", user=user, application=application)
        if not experts:
            raise ApplicationError("请至少选择一名评审专家", field="experts")
        for expert in experts:
            access.require_expert_independent(expert, application.enterprise)
        already = set(application.assignments.values_list("expert_id", flat=True))
        new = [e for e in experts if e.pk not in already]
        if not new:
            raise ApplicationError("所选专家均已分配", field="experts")
        minimum = selectors.min_experts(application)
        total = selectors.independent_assigned(application) + len(new)
        if total < minimum:
            raise ApplicationError(f"评审专家：每份申报至少需分配 {minimum} 位无需回避的专家，"
                                   f"本次分配后只有 {total} 位，请再选择 {minimum - total} 位", field="experts")
        before = {"status": application.status, "experts": sorted(already)}
        for expert in new:
            ExpertAssignment.objects.create(application=application, expert=expert, assigned_by=user)
        application.status = t.target or application.status
        application.save(update_fields=["status", "updated_at"])
        _audit(user, "assign_experts", application, application.enterprise,
               f"分配评审专家：{'、'.join(e.display_name for e in new)}（共 {total} 人，至少需 {minimum} 人）",
               before, {"status": application.status, "experts": sorted(already | {e.pk for e in new})})
    return application


def _score(value: Any) -> Decimal:
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, AttributeError):
        raise ApplicationError("评分应为 0 到 100 之间的数字", field="score") from None
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise ApplicationError("评分应为 0 到 100 之间的数字", field="score")
    # Refused rather than rounded: the expert must see the score that is stored (85.555 is not 85.56).
    if score != score.quantize(Decimal("0.01")):
        raise ApplicationError("评分最多保留两位小数", field="score")
    return score.quantize(Decimal("0.01"))


def expert_score(*, user: User, application: Application, score: Any, comment: str = "") -> ExpertAssignment:
    value = _score(score)
    comment = clean_text(comment, "comment", "评审意见", required=False, max_length=500)
    with transaction.atomic():
        application = _locked(application)
        workflow.application_check("expert_score", user=user, application=application)
        assignment = ExpertAssignment.objects.select_for_update().filter(application=application, expert=user).first()
        if assignment is None:
            raise ApplicationError("该申报未分配给您评审", code="forbidden")
        access.require_expert_independent(user, application.enterprise)
        before = {"score": assignment.score}
        assignment.score, assignment.comment, assignment.scored_at = value, comment, clock.now()
        assignment.save(update_fields=["score", "comment", "scored_at"])
        _audit(user, "expert_score", application, application.enterprise, f"专家评分 {value} 分", before,
               {"score": value, "comment": comment})
    return assignment


def application_decide(*, user: User, application: Application, approve: bool, reason: str = "",
                       today: dt.date | None = None) -> Application:
    """Province decision after expert review: approve starts the public notice, reject ends the application."""
    today = _today(today)
    action = "decide_approve" if approve else "decide_reject"
    with transaction.atomic():
        application = _locked(application)
        t = workflow.application_check(action, user=user, application=application)
        preview = selectors.decision_preview(application)
        if preview.scored < preview.assigned:
            raise ApplicationError(f"还有 {preview.assigned - preview.scored} 位专家未评分", field="score")
        if preview.scored < preview.minimum:
            raise ApplicationError(f"专家评分不足：至少需要 {preview.minimum} 位专家评分，目前 {preview.scored} 位",
                                   field="score")
        total, rule = preview.total, preview.rule
        assert total is not None  # every assigned expert, at least the minimum, has scored
        if approve and not preview.passes:
            raise ApplicationError(f"专家评审汇总得分 {total} 分，低于通过分数线 {preview.pass_score} 分，不能认定",
                                   field="score")
        if not approve:
            reason = clean_text(reason, "reason", "不予认定的理由")
        before = {"status": application.status}
        application.status = t.target or application.status
        application.expert_score, application.aggregation = total, rule
        application.decision_reason = clean_text(reason, "reason", "省级意见", required=False)
        application.decided_by, application.decided_at = user, clock.now()
        if approve:
            period = selectors.notice_period(today, application.batch.notice_working_days)
            application.notice_start, application.notice_end = period
        application.save()
        summary = (f"省级决定认定，专家汇总得分 {total}，公示 {application.notice_start} 至 {application.notice_end}"
                   f"（{application.batch.notice_working_days}个工作日）" if approve
                   else f"省级决定不予认定：{reason}（专家汇总得分 {total}）")
        _audit(user, action, application, application.enterprise, summary, before,
               {"status": application.status, "expert_score": total, "aggregation": rule,
                "notice_start": application.notice_start, "notice_end": application.notice_end,
                "reason": application.decision_reason})
    return application


def objection_file(*, user: User, application: Application, content: str,
                   today: dt.date | None = None) -> Objection:
    today = _today(today)
    content = clean_text(content, "content", "异议内容", max_length=2000)
    with transaction.atomic():
        application = _locked(application)
        workflow.application_check("file_objection", user=user, application=application)
        if application.notice_start and today < application.notice_start:
            raise ApplicationError(f"公示期自 {application.notice_start} 开始，公示开始前不能提出异议", field="content")
        if application.notice_end and today > application.notice_end:
            raise ApplicationError(f"公示期已于 {application.notice_end} 结束，不能再提出异议", field="content")
        if user.role == Role.ENTERPRISE and user.credit_code == application.enterprise.credit_code:
            raise ApplicationError("申报企业不能对自己的公示提出异议", field="content")
        objection = Objection.objects.create(application=application, filed_by=user, content=content,
                                             filed_at=clock.now())
        _audit(user, "objection_file", application, application.enterprise, "公示期间收到异议", None,
               {"objection": objection.pk, "content": content})
    return objection


def objection_resolve(*, user: User, objection: Objection, upheld: bool, resolution: str) -> Objection:
    """Province answers an objection; an upheld one ends the application as 未通过."""
    resolution = clean_text(resolution, "resolution", "处理意见", max_length=500)
    with transaction.atomic():
        application = _locked(objection.application)
        workflow.application_check("resolve_objection", user=user, application=application)
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if objection.status != Objection.Status.OPEN:
            raise workflow.IllegalTransitionError(f"该异议已处理（{objection.get_status_display()}），不能重复处理")
        objection.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
        objection.resolution, objection.resolved_by, objection.resolved_at = resolution, user, clock.now()
        objection.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
        before = {"status": application.status}
        if upheld:
            application.status = A.REJECTED
            application.decision_reason = f"公示异议成立：{resolution}"[:300]
            application.save(update_fields=["status", "decision_reason", "updated_at"])
        _audit(user, "objection_resolve", application, application.enterprise,
               f"处理公示异议：{objection.get_status_display()}（{resolution}）", before,
               {"status": application.status, "objection": objection.pk, "result": objection.status})
    return objection


# ---------------------------------------------------------------- recognitions

def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def validity(p: ParameterSet, tier: str, at: dt.date, *, re_review: bool = False) -> tuple[int, str]:
    """(years, parameter id) of a recognition's validity under the criteria set in force on `at`."""
    engine_tier = frames.TIER_TO_ENGINE[tier]
    if tier == Tier.PROVINCIAL_CHAMPION:
        parameter_id = "tiers.validity_years.provincial_champion"
    elif tier == Tier.INNOVATIVE:
        parameter_id = "criteria.innovative.validity_years"
    elif tier == Tier.SINGLE_CHAMPION:
        parameter_id = "criteria.single_champion.validity_years"
    else:
        selector = f"criteria.selection.re_review.{engine_tier}" if re_review else "criteria.selection.first"
        criteria_set = str(params.value(p, selector, at))
        parameter_id = f"criteria.{criteria_set}.{engine_tier}.validity_years"
    return int(params.number(p, parameter_id, at)), parameter_id


def recognitions_expire(*, today: dt.date | None = None, enterprise: Enterprise | None = None) -> int:
    """Mark recognitions past their validity as 已到期 (a date fact, so no actor); the registry tier of
    their enterprises falls to the highest recognition still in force.  Run daily
    (``manage.py expire_recognitions``, docs/deploy.md) and before a new recognition is recorded."""
    today = _today(today)
    qs = Recognition.objects.filter(status=Recognition.Status.VALID, expires_on__lt=today)
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    with transaction.atomic():
        expired = list(qs.select_for_update().select_related("enterprise").order_by("expires_on", "pk"))
        for recognition in expired:
            recognition.status = Recognition.Status.EXPIRED
            recognition.save(update_fields=["status"])
            _audit(None, "expire", recognition, recognition.enterprise,
                   f"{recognition.get_tier_display()}（{recognition.certificate_no}）有效期届满", {"status": "valid"},
                   {"status": "expired"})
            _refresh_enterprise_tier(None, recognition, today)
    return len(expired)


def _certificate_no(tier: str, year: int, attempt: int) -> str:
    count = Recognition.objects.filter(tier=tier, start_date__year=year, source=Recognition.Source.PROVINCE).count()
    return f"{CERTIFICATE_PREFIX[tier]}〔{year}〕{count + 1 + attempt:05d}号"


def _create_recognition(*, user: User, enterprise: Enterprise, tier: str, start_date: dt.date, certificate_no: str,
                        source: str, application: Application | None, batch: Batch | None) -> Recognition:
    p = parameter_set()
    years, parameter_id = validity(p, tier, start_date)
    # Expired by the real today only: the start date is typed in, and a date in the future would end
    # recognitions that are still valid.
    recognitions_expire(today=clock.today(), enterprise=enterprise)
    enterprise.refresh_from_db(fields=["tier"])  # an expiry may just have lowered it
    if Recognition.objects.filter(enterprise=enterprise, tier=tier, status=Recognition.Status.VALID).exists():
        raise ApplicationError(f"{enterprise.name}已有有效期内的{TIER_LABELS[tier]}认定", field="tier")
    fields = {"enterprise": enterprise, "tier": tier, "source": source, "application": application, "batch": batch,
              "start_date": start_date, "validity_years": years, "validity_parameter": parameter_id,
              "expires_on": add_years(start_date, years) - dt.timedelta(days=1), "created_by": user}
    for attempt in range(5):
        number = certificate_no or _certificate_no(tier, start_date.year, attempt)
        try:
            with transaction.atomic():
                recognition = Recognition.objects.create(certificate_no=number, **fields)
            break
        except IntegrityError:
            if certificate_no:
                raise ApplicationError(f"证书编号 {certificate_no} 已被使用", field="certificate_no") from None
    else:
        raise ApplicationError("证书编号生成冲突，请重试", field="certificate_no")
    event_kind = EVENT_FOR_TIER.get(tier)
    if event_kind:
        event = programme_event_record(user=user, enterprise=enterprise, kind=event_kind, date=start_date,
                                       note=f"证书 {recognition.certificate_no}")
        recognition.event = event
        recognition.save(update_fields=["event"])
    if tier_rank(tier) > tier_rank(enterprise.tier):
        enterprise_set_tier(user=user, enterprise=enterprise, tier=tier)
    _audit(user, "recognize", recognition, enterprise,
           f"认定为{TIER_LABELS[tier]}，证书 {recognition.certificate_no}，"
           f"有效期 {start_date} 至 {recognition.expires_on}（{years}年，依据：{p[parameter_id].label}）", None,
           {"tier": tier, "certificate_no": recognition.certificate_no, "start_date": start_date,
            "expires_on": recognition.expires_on})
    if recognition.event is not None:
        programme_event_announce(user=user, event=recognition.event)
    return recognition


def application_recognize(*, user: User, application: Application, certificate_no: str = "",
                          today: dt.date | None = None) -> Recognition:
    """After the notice period, with every objection resolved: the recognition (or, for a national tier, the
    ministry's decision as recorded by the province)."""
    today = _today(today)
    certificate_no = clean_text(certificate_no, "certificate_no", "证书编号", required=False, max_length=60)
    with transaction.atomic():
        application = _locked(application)
        t = workflow.application_check("recognize", user=user, application=application)
        if application.notice_end is None or today <= application.notice_end:
            raise ApplicationError(f"公示期至 {application.notice_end} 结束，公示期满后才能认定", field="notice_end")
        open_objections = application.objections.filter(status=Objection.Status.OPEN).count()
        if open_objections:
            raise ApplicationError(f"还有 {open_objections} 条公示异议未处理，处理完毕后才能认定", field="objections")
        if application.batch.tier in NATIONAL_TIERS and not certificate_no:
            raise ApplicationError("国家级称号请填写工业和信息化部公布的证书（文件）编号", field="certificate_no")
        before = {"status": application.status}
        application.status = t.target or application.status
        application.save(update_fields=["status", "updated_at"])
        _audit(user, "recognized", application, application.enterprise, "公示期满，无未处理异议，予以认定", before,
               {"status": application.status})
        return _create_recognition(
            user=user, enterprise=application.enterprise, tier=application.batch.tier, start_date=today,
            certificate_no=certificate_no, application=application, batch=application.batch,
            source=Recognition.Source.NATIONAL if application.batch.tier in NATIONAL_TIERS
            else Recognition.Source.PROVINCE)


def recognition_record_national(*, user: User, enterprise: Enterprise, tier: str, certificate_no: str,
                                start_date: dt.date, batch: Batch | None = None) -> Recognition:
    """The province records a national title (小巨人, 单项冠军) the ministry granted; awards follow from it."""
    access.require_province(user, "录入国家级认定结果")
    if tier not in NATIONAL_TIERS:
        raise ApplicationError("只能录入国家级专精特新“小巨人”或制造业单项冠军", field="tier")
    certificate_no = clean_text(certificate_no, "certificate_no", "证书（文件）编号", max_length=60)
    if start_date > clock.today():
        raise ApplicationError(f"认定日期不能晚于今天（{clock.today()}），请在认定生效后录入", field="start_date")
    with transaction.atomic():
        return _create_recognition(user=user, enterprise=enterprise, tier=tier, start_date=start_date,
                                   certificate_no=certificate_no, source=Recognition.Source.NATIONAL,
                                   application=None, batch=batch)


def _locked_recognition(recognition: Recognition) -> Recognition:
    # of=self: PostgreSQL would lock the joined enterprise too, against a payment of its award writing its
    # ledger line (which key-shares the enterprise) while the revocation waits for the award: a deadlock.
    # no_key: awards' generation, holding the enterprise the revocation waits for, may insert an award that
    # points at (key-shares) this recognition; FOR UPDATE would make that a deadlock too.
    return (Recognition.objects.select_for_update(of=("self",), no_key=True).select_related("enterprise")
            .get(pk=recognition.pk))


def recognition_re_review(*, user: User, recognition: Recognition, passed: bool, reason: str = "",
                          today: dt.date | None = None) -> Recognition:
    """复核 within the window before expiry: passing renews the validity from the day after expiry."""
    today = _today(today)
    with transaction.atomic():
        recognition = _locked_recognition(recognition)
        workflow.check(workflow.RECOGNITION, "re_review", user=user, state=recognition.status,
                       state_labels=workflow.RECOGNITION_LABELS)
        if today > recognition.expires_on:
            raise ApplicationError(f"有效期已于 {recognition.expires_on} 届满，不能复核，请重新申报",
                                   field="reviewed_on")
        p = parameter_set()
        window, opens = selectors.re_review_window(recognition, today)
        if today < opens:
            raise ApplicationError(f"复核自有效期届满前 {window} 天（{opens}）起开展，现在尚未到复核时间",
                                   field="reviewed_on")
        if not passed:
            reason = clean_text(reason, "reason", "复核未通过的理由")
        before = {"status": recognition.status, "expires_on": recognition.expires_on}
        review = ReReview(recognition=recognition, reviewed_on=today, passed=passed, reason=reason[:300],
                          previous_expires_on=recognition.expires_on, reviewed_by=user)
        if passed:
            renewal_start = recognition.expires_on + dt.timedelta(days=1)
            years, parameter_id = validity(p, recognition.tier, today, re_review=True)
            recognition.expires_on = add_years(renewal_start, years) - dt.timedelta(days=1)
            review.new_expires_on = recognition.expires_on
            review.validity_years, review.validity_parameter = years, parameter_id
            recognition.save(update_fields=["expires_on"])
        else:
            recognition.status = Recognition.Status.REVOKED
            recognition.revoked_reason = f"复核未通过：{reason}"[:300]
            recognition.revoked_by, recognition.revoked_at = user, clock.now()
            recognition.save(update_fields=["status", "revoked_reason", "revoked_by", "revoked_at"])
            _refresh_enterprise_tier(user, recognition)
        review.save()
        _audit(user, "re_review", recognition, recognition.enterprise,
               f"复核{_renewal_text(review) if passed else '未通过：' + reason}", before,
               {"status": recognition.status, "expires_on": recognition.expires_on})
    return recognition


def _renewal_text(review: ReReview) -> str:
    start = review.previous_expires_on + dt.timedelta(days=1)
    return f"通过，续期 {start} 至 {review.new_expires_on}（{review.validity_years}年）"


def recognition_revoke(*, user: User, recognition: Recognition, reason: str,
                       today: dt.date | None = None) -> Recognition:
    reason = clean_text(reason, "reason", "撤销原因")
    today = _today(today)
    with transaction.atomic():
        recognition = _locked_recognition(recognition)
        t = workflow.check(workflow.RECOGNITION, "revoke", user=user, state=recognition.status,
                           state_labels=workflow.RECOGNITION_LABELS)
        # Lapsed is 已到期 (the daily expiry only marks it): no more to revoke than an expired one.
        if recognition.lapsed(today):
            raise ApplicationError(f"有效期已于 {recognition.expires_on} 届满，已到期的认定不能撤销",
                                   field="expires_on")
        before = {"status": recognition.status}
        recognition.status = t.target or recognition.status
        recognition.revoked_reason, recognition.revoked_by, recognition.revoked_at = reason, user, clock.now()
        recognition.save(update_fields=["status", "revoked_reason", "revoked_by", "revoked_at"])
        # What the recognition triggered goes with it: awards not yet paid are refused, paid ones flagged.
        # Before the registry tier: its lock on the enterprise would block a payment that holds an award's
        # row and that the awards' handler waits for (a deadlock, test_concurrency on PostgreSQL).
        hooks.revoked(user, recognition, reason)
        _refresh_enterprise_tier(user, recognition)
        _audit(user, "revoke", recognition, recognition.enterprise,
               f"撤销{recognition.get_tier_display()}认定（{recognition.certificate_no}）：{reason}", before,
               {"status": recognition.status, "reason": reason})
        _withdraw_event(user, recognition, reason)
    return recognition


def _withdraw_event(user: User, recognition: Recognition, reason: str) -> None:
    """Withdraw the programme event the recognition recorded, so no later generation grants from it, where
    the policy app allows it: only while nothing else points at it. Entitlements computed from it (refused
    or paid) keep it, as the record that explains them; generation leaves out the events of revoked
    recognitions (awards.services)."""
    event = recognition.event
    if event is None:
        return
    try:
        with transaction.atomic():
            recognition.event = None
            recognition.save(update_fields=["event"])
            event_withdraw(user=user, event=event, reason=f"认定（{recognition.certificate_no}）已撤销：{reason}"[:200])
    except ApplicationError:
        recognition.event = event  # the savepoint put the link back; so does this copy


def _refresh_enterprise_tier(user: User | None, recognition: Recognition, today: dt.date | None = None) -> None:
    """After a revocation or expiry: the registry tier falls to the highest recognition still in force."""
    enterprise = recognition.enterprise
    if enterprise.tier != recognition.tier:
        return
    today = today or clock.today()
    remaining = [r.tier for r in Recognition.objects.filter(enterprise=enterprise, status=Recognition.Status.VALID,
                                                            expires_on__gte=today)]
    best = max(remaining, key=tier_rank, default="")
    enterprise_set_tier(user=user, enterprise=enterprise, tier=best)
