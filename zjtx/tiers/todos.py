"""What waits for each role in 梯度培育, for the home page's 待办事项 (``core.navigation.register_todos``).

A to-do is what the role can act on today: an application past the city's review deadline is the province's
(to extend the deadline), not the city's; one still waiting for experts' scores is not the province's yet."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core.navigation import Todo
from zjtx.tiers import access, clock, selectors
from zjtx.tiers.models import Application, Objection

A = Application.Status


def todos(user: User) -> list[Todo]:
    if not user.is_authenticated:
        return []
    today = clock.today()
    if user.role == Role.CITY:
        waiting = access.visible_applications(user).filter(status=A.SUBMITTED)
        return [_applications("申报待市级审核", waiting.filter(batch__city_review_deadline__gte=today)),
                _applications("申报已过市级审核截止日期，请联系省级调整", waiting.filter(
                    batch__city_review_deadline__lt=today))]
    if user.role == Role.ENTERPRISE:
        returned = access.visible_applications(user).filter(status=A.RETURNED)
        # Once the deadline has passed the batch takes it back no more: nothing left to do.
        return [_applications("申报已退回，待修改后重新提交", returned.filter(batch__city_review_deadline__gte=today))]
    if user.role == Role.EXPERT:
        waiting = selectors.expert_assignments(user).filter(score__isnull=True, application__status=A.EXPERT_REVIEW)
        return [Todo("待评分的申报", waiting.count(), reverse("tiers:reviews"))]
    if user.role == Role.PROVINCE:
        return _province(user, today)
    return []


def _province(user: User, today: dt.date) -> list[Todo]:
    need_experts, to_decide = _expert_review()
    overdue = Application.objects.filter(status=A.SUBMITTED, batch__city_review_deadline__lt=today)
    ended = Application.objects.filter(status=A.IN_NOTICE, notice_end__lt=today)
    objections = Objection.objects.filter(status=Objection.Status.OPEN, application__status=A.IN_NOTICE)
    window = selectors.re_review_days(today)
    expiring = selectors.expiring(user=user, within_days=window, today=today).count()
    return [_applications("申报待分配评审专家", Application.objects.filter(
                Q(status=A.CITY_APPROVED) | Q(pk__in=need_experts))),
            _applications("专家评分齐全，待省级决定", Application.objects.filter(pk__in=to_decide)),
            _applications("市级审核已过截止日期的申报（可在批次页调整截止日期）", overdue),
            _applications("公示期满待认定", ended.exclude(pk__in=objections.values("application"))),
            _applications("公示异议待处理", Application.objects.filter(pk__in=objections.values("application"))),
            Todo(f"认定将在{window}天内到期，需开展复核", expiring, reverse("tiers:recognitions") + "?due=1")]


def _expert_review() -> tuple[list[int], list[int]]:
    """Applications in review that lack experts (one withdrew) and those whose every expert has scored."""
    scored = Count("assignments", filter=Q(assignments__score__isnull=False))
    rows = (Application.objects.filter(status=A.EXPERT_REVIEW).select_related("batch")
            .annotate(assigned=Count("assignments"), scored=scored))
    minimum: dict[int, int] = {}
    need, ready = [], []
    for a in rows:
        if a.batch_id not in minimum:
            minimum[a.batch_id] = selectors.min_experts(a)
        if a.assigned < minimum[a.batch_id]:
            need.append(a.pk)
        elif a.scored == a.assigned:
            ready.append(a.pk)
    return need, ready


def _applications(label: str, qs: QuerySet[Application]) -> Todo:
    """The to-do links to the one application, the one batch they are in, or the batches."""
    count = qs.count()
    if count == 0:  # not listed: no link to look up
        return Todo(label, 0, "")
    batches = list(qs.order_by().values_list("batch_id", flat=True).distinct()[:2])
    if count == 1:
        url = reverse("tiers:application", args=[qs.values_list("pk", flat=True).get()])
    elif len(batches) == 1:
        url = reverse("tiers:batch", args=[batches[0]])
    else:
        url = reverse("tiers:batches")
    return Todo(label, count, url)
