"""Reads for the tiers pages and API: batch counts against the plan, application lists, ladder history."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core import regions
from zjtx.core.errors import ApplicationError
from zjtx.core.models import AuditEvent
from zjtx.enterprises.models import Enterprise, Tier
from zjtx.policy import frames
from zjtx.policy.services import parameter_set
from zjtx.tiers import access, clock, hooks, params, workdays
from zjtx.tiers.models import (
    BATCH_TIERS,
    EVENT_FOR_TIER,
    LADDER,
    Aggregation,
    Application,
    Batch,
    Holiday,
    Recognition,
    tier_rank,
)


@dataclass
class CityCount:
    city_code: str
    city_name: str
    in_batch: int = 0
    this_year: int = 0
    stock: int = 0


@dataclass
class BatchCounts:
    rows: list[CityCount]
    total: CityCount
    quota: int | None
    quota_parameter: str
    stock_target: int | None
    stock_label: str
    stock_parameter: str
    stock_deadline: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def quota_percent(self) -> int | None:
        return min(100, round(self.total.this_year * 100 / self.quota)) if self.quota else None

    @property
    def stock_percent(self) -> int | None:
        return min(100, round(self.total.stock * 100 / self.stock_target)) if self.stock_target else None


def stock_target(tier: str, at: dt.date) -> tuple[int | None, str, str, str]:
    """(target, label, parameter id, deadline) of the plan's 2025 stock target for the tier, if any."""
    p = parameter_set()
    engine_tier = frames.TIER_TO_ENGINE[tier]
    for parameter in p.with_prefix("targets."):
        if parameter.meta.get("tier") == engine_tier and parameter.meta.get("kind") == "stock":
            found = p.value_or_none(parameter.id, at)
            return (int(found) if found is not None else None, parameter.label, parameter.id,
                    str(parameter.meta.get("deadline", "")))
    return None, "", "", ""


def holiday_overrides(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    return dict(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday"))


def notice_period(start_after: dt.date, working_days: int) -> tuple[dt.date, dt.date]:
    """(first day, last day) of a notice period of `working_days` starting the working day after `start_after`."""
    overrides = holiday_overrides(start_after, start_after + dt.timedelta(days=working_days * 3 + 60))
    first = workdays.next_workday(start_after, overrides)
    return first, workdays.add_workdays(first, working_days, overrides)


@dataclass(frozen=True)
class NoticePreview:
    """The 公示 a decision taken today would open, and the years in it whose holidays nobody has entered."""

    start: dt.date
    end: dt.date
    working_days: int
    years_without_holidays: list[int]


def notice_preview(application: Application, today: dt.date) -> NoticePreview:
    days = application.batch.notice_working_days
    start, end = notice_period(today, days)
    return NoticePreview(start, end, days, years_without_holidays(start, end))


def years_without_holidays(start: dt.date, end: dt.date) -> list[int]:
    """Years from `start` to `end` that neither chinese-calendar nor the province's table covers: their
    working days are counted Monday–Friday, holidays included, until the province enters them."""
    entered = set(Holiday.objects.filter(date__year__gte=start.year, date__year__lte=end.year)
                  .values_list("date__year", flat=True))
    return [y for y in range(start.year, end.year + 1) if not workdays.knows_year(y) and y not in entered]


def _by_city(qs: QuerySet[Any], key: str) -> dict[str, int]:
    return {row[key]: row["n"] for row in qs.values(key).annotate(n=Count("id"))}


def batch_counts(batch: Batch, today: dt.date | None = None) -> BatchCounts:
    """Recognized in this batch and in the batch's year, and the stock on the ladder, per city."""
    today = today or clock.today()
    live = Recognition.objects.exclude(status=Recognition.Status.REVOKED)
    in_batch = _by_city(live.filter(batch=batch), "enterprise__city_code")
    this_year = _by_city(live.filter(tier=batch.tier, start_date__year=batch.year), "enterprise__city_code")
    # The stock counts an enterprise at this step or above (a 小巨人 is still a 专精特新 enterprise).
    at_or_above = LADDER[LADDER.index(batch.tier):]
    stock = _by_city(Enterprise.objects.filter(tier__in=at_or_above), "city_code")
    rows = [CityCount(code, name, in_batch.get(code, 0), this_year.get(code, 0), stock.get(code, 0))
            for code, name in regions.CITIES]
    total = CityCount("", "全省", sum(r.in_batch for r in rows), sum(r.this_year for r in rows),
                      sum(r.stock for r in rows))
    target, label, parameter_id, deadline = stock_target(batch.tier, today)
    return BatchCounts(rows=rows, total=total, quota=batch.quota, quota_parameter=batch.quota_parameter,
                       stock_target=target, stock_label=label, stock_parameter=parameter_id, stock_deadline=deadline)


def batch_applications(*, user: User, batch: Batch) -> list[Application]:
    if user.role not in access.APPLICATION_ROLES:
        return []
    return list(access.visible_applications(user).filter(batch=batch).order_by("enterprise__city_code", "id"))


@dataclass
class HistoryLine:
    at: dt.datetime
    actor_label: str
    summary: str


def application_history(application: Application, user: User) -> list[HistoryLine]:
    """The application's records as `user` may read them: a confidential one (experts, scores,
    objections) in full to the province and its writer, as the bare step to the others."""
    lines = []
    for event in AuditEvent.objects.filter(target_type="application", target_id=str(application.pk)
                                           ).order_by("at", "id"):
        if access.may_read_record(user, event):
            lines.append(HistoryLine(event.at, event.actor_label, event.summary))
        elif (course := access.course_summary(event)) is not None:
            # The writer stays unnamed too: an objection's filer, an expert who stood aside.
            lines.append(HistoryLine(event.at, "", course))
    return lines


def held_tier_refusal(enterprise: Enterprise, tier: str, today: dt.date) -> str | None:
    """Why `enterprise` may not apply for `tier`: it holds that tier, or a higher one, already (None: it may)."""
    labels = dict(Tier.choices)
    valid = list(Recognition.objects.filter(enterprise=enterprise, status=Recognition.Status.VALID))
    held = [r for r in valid if r.expires_on >= today]
    same = next((r for r in held if r.tier == tier), None)
    if same is not None:
        return (f"贵企业已是{labels[tier]}（证书 {same.certificate_no}，有效期至 {same.expires_on}），"
                "到期前请参加复核，无需重新申报")
    higher = max((r for r in held if tier_rank(r.tier) > tier_rank(tier)), key=lambda r: tier_rank(r.tier),
                 default=None)
    if higher is not None:
        return (f"贵企业已认定为{labels[higher.tier]}（证书 {higher.certificate_no}，有效期至 {higher.expires_on}），"
                f"高于本批次的{labels[tier]}，不能申报较低层级")
    # A registry tier that only a lapsed recognition gave waits for the daily expiry to lower it: not held.
    stale = any(r.tier == enterprise.tier for r in valid if r.expires_on < today)
    if tier_rank(enterprise.tier) >= tier_rank(tier) and not stale:
        return f"贵企业在企业库中的梯度层级已是{labels[enterprise.tier]}，不低于本批次的{labels[tier]}，不能申报本批次"
    return None


@dataclass
class Term:
    kind: str  # 首次认定 / 复核续期
    start: dt.date
    end: dt.date
    years: int
    label: str
    parameter: str


def _whole_years(start: dt.date, end: dt.date) -> int:
    """Years of a term ending the day before an anniversary (renewals recorded before the years were kept)."""
    return (end + dt.timedelta(days=1)).year - start.year


def validity_terms(recognition: Recognition) -> list[Term]:
    """The first term and each renewal by a passed 复核, oldest first; the last one is the current term."""
    renewals = sorted((r for r in recognition.re_reviews.all() if r.passed and r.new_expires_on),
                      key=lambda r: r.previous_expires_on)
    first_end = renewals[0].previous_expires_on if renewals else recognition.expires_on
    terms = [Term("首次认定", recognition.start_date, first_end, recognition.validity_years,
                  parameter_label(recognition.validity_parameter), recognition.validity_parameter)]
    for review in renewals:
        assert review.new_expires_on is not None
        start = review.previous_expires_on + dt.timedelta(days=1)
        years = review.validity_years or _whole_years(start, review.new_expires_on)
        label = parameter_label(review.validity_parameter) if review.validity_parameter else ""
        terms.append(Term("复核续期", start, review.new_expires_on, years, label, review.validity_parameter))
    return terms


def revocation_outcome(recognition: Recognition) -> list[str]:
    """What became of what a revoked recognition triggered (its awards, its programme event), in lines for
    the recognition's page and the revoking official's message."""
    if not recognition.revoked_for_cause():
        return []
    lines = hooks.consequences(recognition)
    if recognition.tier in EVENT_FOR_TIER and recognition.event_id is None:
        lines.append("对应专项事件已撤回，不再据以生成奖补")
    return lines


def re_review_window(recognition: Recognition, today: dt.date) -> tuple[int, dt.date]:
    """(days, first day) of the 复核 window before the current expiry; it closes on the expiry day."""
    window = re_review_days(today)
    return window, recognition.expires_on - dt.timedelta(days=window)


def parameter_label(parameter_id: str) -> str:
    """The Chinese name of a parameter for pages (the id itself when it is no longer in the set)."""
    p = parameter_set()
    return p[parameter_id].label if parameter_id in p else parameter_id


def min_experts(application: Application) -> int:
    """How many experts must review it (the parameter in force when the batch opened, as the decision reads it)."""
    return int(params.number(parameter_set(), "tiers.expert_review.min_experts", application.batch.opens_on))


def independent_assigned(application: Application) -> int:
    """Assigned experts who may still review (a conflict declared since makes one ineligible)."""
    assigned = application.assignments.select_related("expert")
    declared = access.declared_conflicts(application.enterprise)
    return sum(1 for a in assigned if access.expert_conflict_reason(a.expert, application.enterprise, declared) is None)


def eligible_experts(application: Application) -> list[tuple[User, str | None]]:
    """Every expert with the reason they must stand aside (None when they may review): the province has
    hundreds of experts, so their declared links are read in one query, not one per expert."""
    experts = User.objects.filter(role=Role.EXPERT, is_active=True).order_by("full_name", "username")
    declared = access.declared_conflicts(application.enterprise)
    return [(e, access.expert_conflict_reason(e, application.enterprise, declared)) for e in experts]


@dataclass
class LadderItem:
    at: dt.date
    title: str
    detail: str
    kind: str


def ladder_history(enterprise: Enterprise, *, with_scores: bool = False) -> list[LadderItem]:
    """The enterprise's whole ladder: applications, decisions, recognitions, re-reviews, revocations, newest
    first. Every date is the workflow's (steps are stamped with clock.now()), so they read in order.
    `with_scores`: the decisions name the experts' aggregate score (access.sees_panel_score)."""
    items: list[LadderItem] = []
    for a in Application.objects.filter(enterprise=enterprise).select_related("batch"):
        items += _application_items(a, with_scores)
    for r in Recognition.objects.filter(enterprise=enterprise).select_related("revoked_by").prefetch_related(
            "re_reviews"):
        items += _recognition_items(r)
    return sorted(items, key=lambda i: i.at, reverse=True)


def _application_items(a: Application, with_scores: bool) -> list[LadderItem]:
    items = [LadderItem(timezone.localdate(a.submitted_at), f"申报《{a.batch.title}》",
                        f"当前状态：{a.get_status_display()}" + ("（引擎自评明显不符合）" if a.flagged else ""),
                        "application")]
    if a.decided_at:
        # The decision as it was taken; the status now may be later (已认定) or undone (异议成立).
        score = f"专家汇总得分 {a.expert_score}；" if with_scores else ""
        if a.notice_start:
            title = f"省级决定：同意{'推荐' if a.batch.is_national else '认定'}并公示"
            detail = f"{score}公示 {a.notice_start} 至 {a.notice_end}"
        else:
            title, detail = "省级决定：不予认定", f"{score}{a.decision_reason}"
        items.append(LadderItem(timezone.localdate(a.decided_at), title, detail, "decision"))
    return items


def _recognition_items(r: Recognition) -> list[LadderItem]:
    tier = r.get_tier_display()
    items = [LadderItem(r.start_date, f"认定为{tier}",
                        f"证书 {r.certificate_no}，有效期至 {r.expires_on}（{r.get_source_display()}）", "recognition")]
    failed = False
    for review in r.re_reviews.all():
        failed = failed or not review.passed
        # A failed 复核 is the revocation: one step, not two.
        title = f"{tier}复核通过" if review.passed else f"{tier}复核未通过，撤销认定"
        detail = f"有效期延至 {review.new_expires_on}" if review.passed else review.reason
        items.append(LadderItem(review.reviewed_on, title, detail, "re_review"))
    if r.status == Recognition.Status.REVOKED and r.revoked_at and not failed:
        items.append(LadderItem(timezone.localdate(r.revoked_at), f"撤销{tier}认定", r.revoked_reason, "revoke"))
    if r.status == Recognition.Status.EXPIRED or r.lapsed(clock.today()):
        items.append(LadderItem(r.expires_on + dt.timedelta(days=1), f"{tier}有效期届满",
                                f"证书 {r.certificate_no}，有效期至 {r.expires_on}，未经复核续期", "expire"))
    return items


def expert_assignments(user: User) -> QuerySet[Any]:
    from zjtx.tiers.models import ExpertAssignment

    return (ExpertAssignment.objects.filter(expert=user)
            .exclude(application__enterprise__in=access.conflicted_enterprises(user))
            .select_related("application__batch", "application__enterprise")
            .order_by("score", "-assigned_at"))


def expiring(*, user: User, within_days: int | None = None, today: dt.date | None = None) -> QuerySet[Recognition]:
    """Recognitions in force that expire within the 复核 window (or ``within_days``)."""
    today = today or clock.today()
    within_days = re_review_days(today) if within_days is None else within_days
    return access.visible_recognitions(user).filter(_due_within(today, within_days))


def _due_within(today: dt.date, days: int) -> Q:
    """In force today and expiring within `days` (复核 due)."""
    return Q(status=Recognition.Status.VALID, expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=days))


RECOGNITIONS_PER_PAGE = 50


def re_review_days(today: dt.date | None = None) -> int:
    """Days before expiry from which 复核 is held (parameter tiers.re_review.window_days)."""
    return int(params.number(parameter_set(), "tiers.re_review.window_days", today or clock.today()))


@dataclass(frozen=True)
class RecognitionFilters:
    tier: str = ""
    status: str = ""  # a Recognition.Status value, or "" for any
    city_code: str = ""
    search: str = ""  # part of the enterprise's name, or its credit code
    due_within: int | None = None  # only recognitions in force that expire within so many days (复核 due)

    def describe(self) -> list[str]:
        """The filters in words, for an export's title."""
        parts = [dict(BATCH_TIERS).get(self.tier, ""), dict(Recognition.Status.choices).get(self.status, ""),
                 regions.city_name(self.city_code) if regions.is_city(self.city_code) else "",
                 f"含“{self.search}”" if self.search else "",
                 f"{self.due_within}天内到期需复核" if self.due_within else ""]
        return [p for p in parts if p]

    def apply(self, qs: QuerySet[Recognition]) -> QuerySet[Recognition]:
        if self.due_within is not None:
            qs = qs.filter(_due_within(clock.today(), self.due_within))
        if self.tier in LADDER:
            qs = qs.filter(tier=self.tier)
        if self.status in Recognition.Status.values:
            qs = qs.filter(_status_on(self.status, clock.today()))
        if regions.is_city(self.city_code):
            qs = qs.filter(enterprise__city_code=self.city_code)
        if self.search:
            qs = qs.filter(Q(enterprise__name__contains=self.search)
                           | Q(enterprise__credit_code=self.search.upper()))
        return qs


def _status_on(status: str, today: dt.date) -> Q:
    """Recognitions in `status` as the pages show it on `today`: one past its validity is 已到期 even before
    the daily expiry marks it (Recognition.status_label)."""
    valid, expired = Recognition.Status.VALID, Recognition.Status.EXPIRED
    if status == valid:
        return Q(status=valid, expires_on__gte=today)
    if status == expired:
        return Q(status=expired) | Q(status=valid, expires_on__lt=today)
    return Q(status=status)


def recognition_page(*, user: User, filters: RecognitionFilters, page: Any = 1) -> Page[Recognition]:
    """One page of the recognitions the user may see, newest first, with the filtered count."""
    qs = filters.apply(access.visible_recognitions(user)).order_by("-start_date", "-id")
    return Paginator(qs, RECOGNITIONS_PER_PAGE).get_page(page)


@dataclass(frozen=True)
class DecisionPreview:
    """What the province decides on: the scores so far against the minimum and the pass mark; the
    decision itself (``services.application_decide``) checks and stores these same figures."""

    scored: int
    assigned: int
    minimum: int
    total: Decimal | None  # the combined score, once every assigned expert (at least the minimum) has scored
    rule: str  # the aggregation rule's code (parameter tiers.expert_review.aggregation)
    pass_score: Decimal

    @property
    def passes(self) -> bool:
        return self.total is not None and self.total >= self.pass_score

    @property
    def rule_label(self) -> str:
        return dict(Aggregation.choices).get(self.rule, self.rule)


def decision_preview(application: Application) -> DecisionPreview:
    p, at = parameter_set(), application.batch.opens_on
    assignments = list(application.assignments.all())
    scores = [a.score for a in assignments if a.score is not None]
    assigned, minimum = len(assignments), int(params.number(p, "tiers.expert_review.min_experts", at))
    rule = str(params.value(p, "tiers.expert_review.aggregation", at))
    complete = len(scores) == assigned and len(scores) >= minimum
    return DecisionPreview(len(scores), assigned, minimum, aggregate(scores, rule) if complete else None, rule,
                           Decimal(str(params.number(p, "tiers.expert_review.pass_score", at))))


def aggregate(scores: Sequence[Decimal], rule: str) -> Decimal:
    """The panel's score under the parameter's rule, rounded half up to 0.01."""
    if not scores:
        raise ApplicationError("尚无专家评分", field="score")
    values = sorted(scores)
    if rule not in Aggregation.values:
        raise ApplicationError(f"专家评分汇总规则参数取值不正确：{rule}", field="parameter")
    if rule == "median":
        result = Decimal(statistics.median(values))
    else:
        if rule == "trimmed_mean" and len(values) >= 5:
            values = values[1:-1]
        result = sum(values, Decimal(0)) / len(values)
    return result.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
