"""Reads of the 免申即享 / 潜在培育对象 list: which run it comes from, its lines in the user's scope with the
filters, counts and pages.  Lines come from the latest finished province run (built once, ``services``);
with no run at all, a small scope (an officer's enterprises) is evaluated on the spot."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.awards.models import Entitlement
from zjtx.core import clock, regions
from zjtx.enterprises import access as enterprise_access
from zjtx.enterprises.models import Enterprise
from zjtx.matcher import access, receivers
from zjtx.matcher.ladder import TIER_CHOICES
from zjtx.matcher.models import Candidate, CandidateList
from zjtx.matcher.services import candidate_lines, held_frame
from zjtx.policy import frames
from zjtx.policy import services as policy_services
from zjtx.policy.engine import ParameterError, evaluate
from zjtx.policy.engine.schema import InputError
from zjtx.policy.models import PolicyRun

PER_PAGE = 50
NO_RUN = "尚无全省测算结果。请省级政策管理人员在“政策引擎 · 全省测算”发起一次全省测算，名单随后生成。"
ON_THE_FLY_LIMIT = 200  # enterprises evaluated on the spot when no province run exists (an officer has ~30)
SECTIONS = {"qualifies": "符合下一梯度条件", "one_short": "差一项条件", "awards": "应享奖补尚未生成"}
SECTION_FILTERS = {"qualifies": Q(kind=Candidate.Kind.TIER, gap=0), "one_short": Q(kind=Candidate.Kind.TIER, gap=1),
                   "awards": Q(kind=Candidate.Kind.AWARD)}


@dataclass
class Filters:
    section: str = "qualifies"
    city: str = ""
    county: str = ""
    tier: str = ""
    award: str = ""
    ignored: list[str] = field(default_factory=list)  # values the page named and did not apply


@dataclass
class Source:
    """Where the list comes from: a province run's built list, or (no run) the scope evaluated now."""

    run: PolicyRun | None = None
    built: CandidateList | None = None
    newer: PolicyRun | None = None  # a later run whose list is still being built
    on_the_fly: bool = False
    note: str = ""


def source_for(user: User) -> Source:
    runs = PolicyRun.objects.filter(kind=PolicyRun.Kind.EVALUATE, status=PolicyRun.Status.DONE)
    latest = runs.order_by("-created_at").first()
    if latest is None:
        if access.enterprises_in_scope(user).count() <= ON_THE_FLY_LIMIT:
            return Source(on_the_fly=True)
        return Source(note=NO_RUN)
    built = CandidateList.objects.filter(run=latest).first()
    if built is None:  # a run finished before this list existed, or whose build was lost: build it now
        receivers.queue_build(latest)
    if built is not None and built.status == CandidateList.Status.DONE:
        return Source(run=latest, built=built)
    older = (CandidateList.objects.filter(status=CandidateList.Status.DONE, run__kind=PolicyRun.Kind.EVALUATE)
             .select_related("run").order_by("-run__created_at").first())
    failed = built is not None and built.status == CandidateList.Status.FAILED
    note = (built.message if failed and built else
            f"{policy_services.day(latest.as_of)}的全省测算（#{latest.pk}）的名单正在生成，稍后刷新即可看到。")
    return Source(run=older.run if older else None, built=older, newer=latest, note=note)


def clean_filters(user: User, get: Any) -> Filters:
    """The filters asked for; a value the page does not offer is named and not applied."""
    found = Filters(section=get.get("show", "") if get.get("show", "") in SECTIONS else "qualifies")
    cities = dict(city_choices(user))
    for name, value, allowed, label in (("city", get.get("city", ""), cities, "市"),
                                        ("tier", get.get("tier", ""), dict(TIER_CHOICES), "梯度")):
        if value and value not in allowed:
            found.ignored.append(f"{label}“{value[:20]}”不在可选范围内，未按它筛选")
        elif value:
            setattr(found, name, value)
    county = get.get("county", "")
    if county and county not in dict(county_choices(user, found.city)):
        found.ignored.append(f"县（区）“{county[:20]}”不在可选范围内，未按它筛选")
    elif county:
        found.county = county
    found.award = get.get("award", "")[:60].replace("\x00", "")
    return found


def city_choices(user: User) -> list[tuple[str, str]]:
    places = enterprise_access.list_places(user)
    return [(c, n) for c, n in regions.CITIES if places.cities is None or c in places.cities]


def county_choices(user: User, city: str) -> list[tuple[str, str]]:
    if user.role == Role.CITY:
        city = user.city_code
    places = enterprise_access.list_places(user)
    found = regions.counties(city) if city else [(c, n) for c, n, _ in regions.all_counties()]
    return [(c, n) for c, n in found if places.counties is None or c in places.counties]


@dataclass
class Listing:
    page: Page[Any]
    counts: dict[str, int]
    amount: Decimal  # the awards section's total (万元), of every line the filters select
    awards: list[tuple[str, str]]  # the award filter's choices
    problem: str = ""  # why the scope could not be evaluated on the spot


# An enterprise's lines in a stable order: the engine's output order (and so the lines' pk) may differ
# from one run to the next when several awards of one enterprise are computed on parallel threads.
LINE_ORDER = ("enterprise__city_code", "enterprise__credit_code", "tier", "event_date", "award", "pk")


def listing(user: User, source: Source, filters: Filters, page: Any = 1) -> Listing:
    if source.on_the_fly:
        try:
            return _listing_of(_fresh_lines(user), filters, page)
        except (ParameterError, InputError) as exc:
            return _empty(f"无法即时测算：{exc}{_named(exc)}")
    if source.built is None:
        return _empty()
    placed = _placed(_current(source.built, user), filters)
    chosen = _chosen(placed, filters)  # the counts follow every filter
    counts = chosen.aggregate(**{key: Count("pk", filter=q) for key, q in SECTION_FILTERS.items()},
                              amount=Sum("amount", filter=SECTION_FILTERS["awards"]))
    awards = sorted(set(placed.filter(kind=Candidate.Kind.AWARD).values_list("award", "award_label")))
    shown = chosen.filter(SECTION_FILTERS[filters.section])
    shown = shown.select_related("enterprise").order_by(*LINE_ORDER)
    amount = counts.pop("amount") or Decimal(0)
    return Listing(Paginator(shown, PER_PAGE).get_page(page), counts, amount, awards)


def _named(exc: Exception) -> str:
    """"。涉及企业：名称（信用代码）" of the enterprises an input error names: row numbers mean nothing here."""
    codes = getattr(exc, "credit_codes", None) or []
    names = dict(Enterprise.objects.filter(credit_code__in=codes[:5]).values_list("credit_code", "name"))
    listed = "、".join(f"{names.get(code, '')}（{code}）" for code in codes[:5])
    return f"。涉及企业：{listed}，请核对其企业信息或年度指标" if listed else ""


def _empty(problem: str = "") -> Listing:
    return Listing(Paginator([], PER_PAGE).get_page(1), dict.fromkeys(SECTIONS, 0), Decimal(0), [], problem)


def export_lines(user: User, source: Source, filters: Filters) -> list[Candidate]:
    """Every line of the chosen section the filters select (the workbook lists them all)."""
    if source.on_the_fly:
        try:
            fresh = _fresh_lines(user)
        except (ParameterError, InputError):  # the page says why
            return []
        return [c for c in fresh if _keeps(c, filters) and _in_section(c, filters.section)]
    if source.built is None:
        return []
    lines = _chosen(_placed(_current(source.built, user), filters).filter(SECTION_FILTERS[filters.section]), filters)
    return list(lines.select_related("enterprise").order_by(*LINE_ORDER))


def _current(built: CandidateList, user: User) -> QuerySet[Candidate]:
    """The list's lines in the user's scope that still hold: the enterprise has not moved up since the run,
    and the award has not been generated in the award ledger since."""
    generated = Entitlement.objects.filter(enterprise=OuterRef("enterprise"), award=OuterRef("award"),
                                           event__kind=OuterRef("event_kind"), event__date=OuterRef("event_date"))
    still = Q(kind=Candidate.Kind.TIER, enterprise__tier=F("held_tier")) | Q(kind=Candidate.Kind.AWARD)
    return (built.candidates.filter(enterprise__in=access.enterprises_in_scope(user)).filter(still)
            .exclude(Q(kind=Candidate.Kind.AWARD) & Exists(generated)))


def _placed(lines: QuerySet[Candidate], filters: Filters) -> QuerySet[Candidate]:
    if filters.city:
        lines = lines.filter(enterprise__city_code=filters.city)
    return lines.filter(enterprise__county_code=filters.county) if filters.county else lines


def _chosen(lines: QuerySet[Candidate], filters: Filters) -> QuerySet[Candidate]:
    if filters.tier:
        lines = lines.filter(Q(kind=Candidate.Kind.AWARD) | Q(tier=filters.tier))
    if filters.award:
        lines = lines.filter(Q(kind=Candidate.Kind.TIER) | Q(award=filters.award))
    return lines


# ---------------------------------------------------------------- no province run yet: a small scope now

def _fresh_lines(user: User) -> list[Candidate]:
    """The lines of the user's (small) scope, evaluated today; awards already generated left out.  Raises the
    engine's refusal (a parameter without a value today, a stored value the engine refuses)."""
    enterprises = {e.pk: e for e in access.enterprises_in_scope(user)}
    codes = sorted(e.credit_code for e in enterprises.values())
    result = evaluate(*frames.registry_frames(codes), clock.today(), policy_services.parameter_set())
    lines = candidate_lines(result.recognition.lazy(), result.unmet.lazy(), result.entitlements.lazy(),
                            held_frame((e.pk, e.credit_code, e.tier) for e in enterprises.values()))
    generated = set(Entitlement.objects.filter(enterprise__in=list(enterprises))
                    .values_list("enterprise_id", "award", "event__kind", "event__date"))
    kept = [c for c in lines if (c.enterprise_id, c.award, c.event_kind, c.event_date) not in generated]
    for line in kept:
        line.enterprise = enterprises[line.enterprise_id]
    return sorted(kept, key=lambda c: (c.enterprise.city_code, c.enterprise.credit_code, c.tier,
                                       c.event_date or dt.date.min, c.award))


def _listing_of(lines: list[Candidate], filters: Filters, page: Any) -> Listing:
    placed = [c for c in lines if _keeps(c, filters)]
    counts = {key: sum(1 for c in placed if _in_section(c, key)) for key in SECTIONS}
    amount = sum((c.amount or Decimal(0) for c in placed if c.kind == Candidate.Kind.AWARD), Decimal(0))
    awards = sorted({(c.award, c.award_label) for c in lines if c.kind == Candidate.Kind.AWARD})
    shown = [c for c in placed if _in_section(c, filters.section)]
    return Listing(Paginator(shown, PER_PAGE).get_page(page), counts, amount, awards)


def _keeps(line: Candidate, filters: Filters) -> bool:
    e = line.enterprise
    return ((not filters.city or e.city_code == filters.city)
            and (not filters.county or e.county_code == filters.county)
            and (not filters.tier or line.kind == Candidate.Kind.AWARD or line.tier == filters.tier)
            and (not filters.award or line.kind == Candidate.Kind.TIER or line.award == filters.award))


def _in_section(line: Candidate, section: str) -> bool:
    if section == "awards":
        return line.kind == Candidate.Kind.AWARD
    return line.kind == Candidate.Kind.TIER and line.gap == (0 if section == "qualifies" else 1)
