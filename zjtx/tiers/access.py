"""Who may see which batches, applications and recognitions. One condition per line.

An application outside the user's scope is "not found" (404), so its existence is not revealed; a role
that may not use a function at all gets 403.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from zjtx.enterprises import access as enterprise_access
from zjtx.enterprises.models import Enterprise
from zjtx.tiers.models import Application, Batch, ExpertConflict, Objection, Recognition

APPLICATION_ROLES = {Role.PROVINCE, Role.CITY, Role.ENTERPRISE, Role.EXPERT}
RECOGNITION_ROLES = {Role.PROVINCE, Role.CITY, Role.DEPARTMENT, Role.OFFICER, Role.ENTERPRISE}


def require_login(user: User) -> None:
    if not user.is_authenticated:
        raise PermissionDeniedError("请先登录")


def require_province(user: User, what: str) -> None:
    if not user.is_authenticated or user.role != Role.PROVINCE:
        raise PermissionDeniedError(f"只有省级管理员可以{what}")


def visible_batches(user: User) -> QuerySet[Batch]:
    require_login(user)
    return Batch.objects.all()


def access_batch(user: User, pk: int) -> Batch:
    batch = visible_batches(user).filter(pk=pk).first()
    if batch is None:
        raise NotFoundError("申报批次不存在")
    return batch


def visible_applications(user: User) -> QuerySet[Application]:
    if not user.is_authenticated or user.role not in APPLICATION_ROLES:
        raise PermissionDeniedError("您的角色无权查看申报")
    qs = Application.objects.select_related("batch", "enterprise")
    if user.role == Role.PROVINCE:
        return qs
    if user.role == Role.CITY:
        qs = qs.filter(enterprise__city_code=user.city_code)
        return qs.filter(enterprise__county_code=user.county_code) if user.county_code else qs
    if user.role == Role.EXPERT:
        return qs.filter(assignments__expert=user).exclude(enterprise__in=conflicted_enterprises(user)).distinct()
    return qs.filter(enterprise__credit_code=user.credit_code)


def conflicted_enterprises(expert: User) -> QuerySet[Enterprise]:
    """The enterprises an expert must keep away from (expert_conflict_reason, as a query): their own unit, or a
    declared link. An assignment made before the link was known (the unit entered later, a link declared after
    the decision) shows them nothing of the application."""
    linked = Q(pk__in=ExpertConflict.objects.filter(expert=expert).values("enterprise"))
    if expert.credit_code:
        linked |= Q(credit_code=expert.credit_code)
    if expert.organisation.strip():
        linked |= Q(name=expert.organisation.strip())
    return Enterprise.objects.filter(linked)


def access_application(user: User, pk: int) -> Application:
    application = visible_applications(user).filter(pk=pk).first()
    if application is None:
        raise NotFoundError("申报不存在或不在您的范围内")
    return application


def notices(user: User) -> QuerySet[Application]:
    """Applications in 公示. Every signed-in role may read their public part (name, place, tier, batch,
    period) to raise an objection; the application itself stays within visible_applications."""
    require_login(user)
    return Application.objects.filter(status=Application.Status.IN_NOTICE).select_related("batch", "enterprise")


def access_notice(user: User, pk: int) -> Application:
    application = notices(user).filter(pk=pk).first()
    if application is None:
        raise NotFoundError("该申报不在公示中")
    return application


def in_scope(user: User, enterprise: Enterprise) -> bool:
    """Whether a city (or county) official covers this enterprise."""
    if user.role != Role.CITY or enterprise.city_code != user.city_code:
        return False
    return not user.county_code or enterprise.county_code == user.county_code


def require_city_scope(user: User, enterprise: Enterprise) -> None:
    if user.role == Role.CITY and not in_scope(user, enterprise):
        raise NotFoundError("申报不存在或不在您的范围内")


def applicant_enterprise(user: User) -> Enterprise:
    """The enterprise an enterprise user applies for."""
    if not user.is_authenticated or user.role != Role.ENTERPRISE:
        raise PermissionDeniedError("只有企业用户可以提交申报")
    enterprise = Enterprise.objects.filter(credit_code=user.credit_code).first()
    if enterprise is None:
        raise NotFoundError("您的企业尚未入企业库，请联系所在市经信部门")
    return enterprise


def enterprise_for_ladder(user: User, credit_code: str) -> Enterprise:
    """The ladder history page: same visibility as the registry (experts and banks have none)."""
    return enterprise_access.access_enterprise_for_view(user, credit_code)


def visible_recognitions(user: User) -> QuerySet[Recognition]:
    if not user.is_authenticated or user.role not in RECOGNITION_ROLES:
        raise PermissionDeniedError("您的角色无权查看认定名单")
    codes = enterprise_access.visible_enterprise_ids(user)
    qs = Recognition.objects.select_related("enterprise", "batch")
    return qs if user.role in (Role.PROVINCE, Role.DEPARTMENT) else qs.filter(enterprise__in=codes)


def expert_conflict_reason(expert: User, enterprise: Enterprise,
                           declared: Mapping[int, str] | None = None) -> str | None:
    """Why `expert` may not review `enterprise`, or None. Same enterprise, or a declared link (looked up in
    `declared`, from declared_conflicts, when the reasons of many experts are wanted at once)."""
    if expert.credit_code and expert.credit_code == enterprise.credit_code:
        return "专家所在单位即申报企业"
    if expert.organisation and expert.organisation.strip() == enterprise.name.strip():
        return "专家所在单位即申报企业"
    if declared is None:
        declared = declared_conflicts(enterprise, expert)
    if expert.pk in declared:
        return f"专家已申报与该企业存在关联：{declared[expert.pk]}"
    return None


def declared_conflicts(enterprise: Enterprise, expert: User | None = None) -> dict[int, str]:
    """expert id → the link that expert declared with `enterprise` (every expert's, or one's), in one query."""
    found = ExpertConflict.objects.filter(enterprise=enterprise)
    if expert is not None:
        found = found.filter(expert=expert)
    return dict(found.values_list("expert_id", "reason"))


def require_expert_independent(expert: User, enterprise: Enterprise) -> None:
    if expert.role != Role.EXPERT:
        raise ApplicationError(f"{expert.display_name} 不是评审专家", field="experts")
    reason = expert_conflict_reason(expert, enterprise)
    if reason:
        raise ApplicationError(f"专家 {expert.display_name} 须回避（{reason}），不能评审{enterprise.name}",
                               field="experts", code="conflict")


# Records of the review that only the province reads: who reviews, their scores and conflicts, who objected
# and what was said. The applicant, the city and the others see the application's course, not these.
CONFIDENTIAL_ACTIONS = {"tiers.assign_experts", "tiers.expert_score", "tiers.assignment_withdraw",
                        "tiers.conflict_declare", "tiers.objection_file", "tiers.objection_resolve",
                        "tiers.decide_approve", "tiers.decide_reject"}


def sees_panel_score(user: User) -> bool:
    """The experts' aggregate score is the province's, like each expert's score: beside their own score an
    expert would work out the others' from it, and the applicant and city read the decision, not the marks."""
    return user.is_authenticated and user.role == Role.PROVINCE


def may_read_record(user: User, event: Any) -> bool:
    """An audit record of an application (or an expert's conflict), where records are listed together
    (the enterprise's change history). Whoever wrote a confidential record reads it (an expert their own
    score, never the others')."""
    if event.action in CONFIDENTIAL_ACTIONS:
        return user.role == Role.PROVINCE or (event.actor_id is not None and event.actor_id == user.pk)
    return user.role in APPLICATION_ROLES


# The course a confidential record stands for, for those who may not read it: the step, without who
# reviews, their scores or who objected. A record missing here is left out for them.
COURSE_SUMMARIES = {"tiers.assign_experts": "已分配评审专家",
                    "tiers.assignment_withdraw": "一位评审专家回避，撤回其评审分配，待另行分配专家",
                    "tiers.objection_file": "公示期间收到异议"}


def course_summary(event: Any) -> str | None:
    """What a reader who may not read `event` learns of it (None: nothing)."""
    after = event.after or {}
    if event.action == "tiers.decide_approve":
        return f"省级决定同意，公示 {after.get('notice_start')} 至 {after.get('notice_end')}"
    if event.action == "tiers.decide_reject":
        return "省级决定不予认定" + (f"：{after['reason']}" if after.get("reason") else "")
    if event.action == "tiers.objection_resolve":
        result = str(after.get("result", ""))
        return f"公示异议已处理：{dict(Objection.Status.choices).get(result, '已处理')}"
    return COURSE_SUMMARIES.get(event.action)
