"""What waits for each role in 梯度培育, for the home page's 待办事项 (``core.navigation.register_todos``)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core.navigation import Todo
from zjtx.tiers import access, clock, selectors
from zjtx.tiers.models import Application, Objection

A = Application.Status
# role → (status, label) of the applications waiting for that role
WAITING: dict[str, list[tuple[str, str]]] = {
    Role.CITY: [(A.SUBMITTED, "申报待市级审核")],
    Role.PROVINCE: [(A.CITY_APPROVED, "申报待分配评审专家"), (A.EXPERT_REVIEW, "申报专家评审中，评分齐全后作出决定")],
    Role.ENTERPRISE: [(A.RETURNED, "申报已退回，待修改后重新提交")],
}


def todos(user: User) -> list[Todo]:
    if not user.is_authenticated:
        return []
    found = []
    if user.role in WAITING:
        applications = access.visible_applications(user)
        found += [_applications(label, applications.filter(status=status)) for status, label in WAITING[user.role]]
    if user.role == Role.PROVINCE:
        found += _province_extra(user)
    if user.role == Role.EXPERT:
        waiting = selectors.expert_assignments(user).filter(score__isnull=True, application__status=A.EXPERT_REVIEW)
        found.append(Todo("待评分的申报", waiting.count(), reverse("tiers:reviews")))
    return found


def _province_extra(user: User) -> list[Todo]:
    today = clock.today()
    ended = Application.objects.filter(status=A.IN_NOTICE, notice_end__lt=today)
    objections = Objection.objects.filter(status=Objection.Status.OPEN, application__status=A.IN_NOTICE)
    window = selectors.re_review_days(today)
    expiring = selectors.expiring(user=user, today=today).count()
    return [_applications("公示期满待认定", ended),
            _applications("公示异议待处理", Application.objects.filter(pk__in=objections.values("application"))),
            Todo(f"认定将在{window}天内到期，需开展复核", expiring, reverse("tiers:recognitions") + "?due=1")]


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
