"""Demo officers, visits and requests, so that 服务专员与诉求 has something to show in ``make run``.

Two officers per city serve most of its 专精特新 enterprises (coverage differs from city to city, a few
enterprises wait for one); the demo ``officer`` serves the demo enterprise. Visits of the past year, and
requests in every state across the cities, a few 办理中 past their deadline (逾期); the demo enterprise has
one answered request to rate and ``keji`` (省科技厅) requests to answer. Reproducible by seed; only for demo
databases, and only when no request exists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core import clock, regions
from zjtx.core.audit import audit_bulk
from zjtx.core.models import AuditEvent
from zjtx.enterprises.models import Enterprise
from zjtx.services.models import ServiceRequest, Visit
from zjtx.services.selectors import SRDI_TIERS
from zjtx.services.services import deadline_for

S = ServiceRequest.Status
SURNAMES = "张王李赵刘陈杨黄吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "华"]
TOPICS = ["了解企业生产经营和订单情况", "宣讲专精特新梯度培育和奖补政策", "了解研发投入和新产品进展",
          "走访了解融资需求，对接合作银行", "调研用工和人才引进情况", "了解数字化改造和智能工厂建设进展"]
PROBLEMS = ["", "", "流动资金偏紧，希望对接专项信贷", "高技能人才招聘困难", "新厂房用地指标尚未落实",
            "产品进入首台套目录的申报流程不清楚"]
REQUESTS = [  # (category, title, content, the department it belongs to)
    ("financing", "申请专精特新专项贷款额度",
     "企业订单增长较快，流动资金缺口约800万元，希望对接“专精特新贷”并了解贴息政策。",
     "local_finance"),
    ("technology", "申报省级企业技术中心",
     "企业研发投入占比连续三年超过5%，希望了解省级企业技术中心的申报条件和时间。",
     "sci_tech"),
    ("technology", "联合高校攻关关键零部件",
     "希望与省内高校共建联合实验室，攻关密封件材料的耐高温性能，请帮助对接。",
     "sci_tech"),
    ("staffing", "引进高层次技术人才落户",
     "拟引进两名博士研发人员，咨询人才公寓和子女入学的支持政策。",
     "hrss"),
    ("market", "首台套产品推广应用",
     "新研制的数控设备已通过鉴定，希望纳入首台套重大技术装备目录并在省内推广应用。",
     "econ_it"),
    ("ip", "专利侵权维权援助",
     "发现外省企业仿冒我司专利产品，请求提供知识产权维权援助。",
     "market_reg"),
    ("policy", "咨询小巨人奖补兑现进度",
     "企业去年获评国家级专精特新“小巨人”，咨询省级奖补资金的兑现时间。",
     "finance"),
    ("permits", "技改项目环评审批提速",
     "智能化技改项目已备案，环评审批进度较慢，影响设备安装，请求协调。",
     "drc"),
]


@dataclass(frozen=True)
class DemoServices:
    officers: int
    assigned: int
    visits: int
    requests: int


def load_demo_services(seed: int, today: dt.date | None = None) -> DemoServices | None:
    if ServiceRequest.objects.exists():
        return None
    today = today or clock.today()
    rng = np.random.default_rng(seed)
    with transaction.atomic():
        officers = _officers(rng)
        assigned = _assign(rng, officers)
        visits = _visits(rng, today)
        requests = _requests(rng, today)
    return DemoServices(sum(len(o) for o in officers.values()), assigned, visits, requests)


def _officers(rng: np.random.Generator) -> dict[str, list[User]]:
    """Two officers per city (no login: the demo's own ``officer`` account is the one to sign in with)."""
    found: dict[str, list[User]] = {}
    for city, name in regions.CITIES:
        found[city] = []
        for n in (1, 2):
            person = str(rng.choice(list(SURNAMES))) + str(rng.choice(GIVEN))
            user, _ = User.objects.get_or_create(username=f"officer-{city}-{n}", defaults={"role": Role.OFFICER})
            user.role, user.city_code, user.full_name = Role.OFFICER, city, f"服务专员 {person}"
            user.organisation = f"{name}中小企业服务中心"
            user.set_unusable_password()
            user.save()
            found[city].append(user)
    return found


def _assign(rng: np.random.Generator, officers: dict[str, list[User]]) -> int:
    """Most 专精特新 enterprises of each city get one of its officers; the demo enterprise gets ``officer``."""
    assigned = 0
    for city, pair in officers.items():
        ids = list(Enterprise.objects.filter(city_code=city, tier__in=SRDI_TIERS, service_officer__isnull=True)
                   .order_by("id").values_list("id", flat=True))
        share = float(rng.uniform(0.7, 1.0))
        chosen = [i for i in ids if rng.random() < share]
        for n, officer in enumerate(pair):
            assigned += Enterprise.objects.filter(id__in=chosen[n::2]).update(service_officer=officer)
    demo_officer = User.objects.filter(username="officer", role=Role.OFFICER).first()
    qiye = User.objects.filter(username="qiye", role=Role.ENTERPRISE).first()
    if demo_officer and qiye:
        Enterprise.objects.filter(credit_code=qiye.credit_code).update(service_officer=demo_officer)
    return assigned


def _visits(rng: np.random.Generator, today: dt.date) -> int:
    visits = []
    served = Enterprise.objects.filter(service_officer__isnull=False).values_list("id", "service_officer_id")
    for enterprise_id, officer_id in served:
        for _ in range(int(rng.choice([0, 1, 1, 2, 3]))):
            visits.append(Visit(enterprise_id=enterprise_id, officer_id=officer_id,
                                visited_on=today - dt.timedelta(days=int(rng.integers(1, 330))),
                                way=str(rng.choice(Visit.Way.values, p=[0.6, 0.2, 0.1, 0.1])),
                                topics=str(rng.choice(TOPICS)), problems=str(rng.choice(PROBLEMS)),
                                follow_up="已记录，持续跟踪" if rng.random() < 0.5 else ""))
    Visit.objects.bulk_create(visits, batch_size=2000)
    return len(visits)


# (status, days since filed, days since routed): one row per demo request and city round
STAGES = [(S.PENDING, 2, None), (S.IN_PROGRESS, 6, 5), (S.IN_PROGRESS, 40, 38), (S.ANSWERED, 30, 28),
          (S.RATED, 60, 58), (S.RETURNED, 12, 10), (S.RATED, 90, 88), (S.IN_PROGRESS, 3, 1)]


def _requests(rng: np.random.Generator, today: dt.date) -> int:
    """Requests of enterprises served by an officer, filed by it, in every state; the demo enterprise's own."""
    province = User.objects.filter(role=Role.PROVINCE).order_by("id").first()
    served = list(Enterprise.objects.filter(service_officer__isnull=False).select_related("service_officer")
                  .order_by("id")[:400])
    if not served or province is None:
        return 0
    # 40 requests (an enterprise may have several when few are served)
    picks = [served[int(i)] for i in rng.choice(len(served), size=40, replace=len(served) < 40)]
    made = 0
    for n, enterprise in enumerate(picks):
        status, filed_ago, routed_ago = STAGES[n % len(STAGES)]
        category, title, content, department = REQUESTS[int(rng.integers(len(REQUESTS)))]
        earlier = int(rng.integers(0, 3))  # days apart, so that the lists do not read as one batch
        filed_ago, routed_ago = filed_ago + earlier, None if routed_ago is None else routed_ago + earlier
        _request(enterprise, enterprise.service_officer, province, today, status, filed_ago, routed_ago,
                 category, title, content, department)
        made += 1
    qiye = User.objects.filter(username="qiye", role=Role.ENTERPRISE).first()
    own = Enterprise.objects.filter(credit_code=qiye.credit_code).first() if qiye else None
    if qiye and own:
        for status, filed_ago, routed_ago, (category, title, content, _) in (
                (S.ANSWERED, 15, 14, REQUESTS[1]), (S.IN_PROGRESS, 4, 3, REQUESTS[2])):
            _request(own, qiye, province, today, status, filed_ago, routed_ago, category, title, content, "sci_tech")
            made += 1
    return made


def _request(enterprise: Enterprise, filer: Any, province: User, today: dt.date, status: str, filed_ago: int,
             routed_ago: int | None, category: str, title: str, content: str, department: str) -> None:
    filed_on = today - dt.timedelta(days=filed_ago)
    request = ServiceRequest.objects.create(enterprise=enterprise, filed_by=filer, category=category, title=title,
                                            content=content, status=status)
    history: list[tuple[Any, dt.date, str, str]] = [(filer, filed_on, "request_file", f"提交诉求：{title}")]
    if routed_ago is not None:
        request.department, request.routed_on = department, today - dt.timedelta(days=routed_ago)
        request.deadline = deadline_for(request.routed_on)
        history.append((province, request.routed_on, "request_route",
                        f"分派至{request.department_name}，答复期限 {request.deadline}"))
    done_on = min(today, (request.routed_on or today) + dt.timedelta(days=7))
    if status in (S.ANSWERED, S.RATED):
        request.answer = "经研究，已安排专人对接，相关支持政策和办理流程已电话告知企业，后续将跟踪落实。"
        request.answered_on = done_on
        history.append((None, done_on, "request_answer", f"{request.department_name}答复"))
    if status == S.RATED:
        request.rating = 5 if len(title) % 2 else 4
        request.rating_comment = "答复及时，问题已解决"
        history.append((filer, done_on, "request_rate", f"评价满意度 {request.rating} 分"))
    if status == S.RETURNED:
        request.return_reason = "该事项不属于本部门职责，请分派至省经济和信息化厅"
        history.append((None, done_on, "request_hand_back", f"{request.department_name}退回：{request.return_reason}"))
    request.save()
    ServiceRequest.objects.filter(pk=request.pk).update(created_at=_at(filed_on))
    for actor, day, action, summary in history:
        # a department answering in the demo has no account: its name stands for it in the history
        label = actor or SimpleNamespace(pk=None, display_name=request.department_name)
        audit_bulk([{"action": f"services.{action}", "target_type": "servicerequest", "target_id": str(request.pk),
                     "enterprise_code": enterprise.credit_code, "summary": summary}], actor=label)
        AuditEvent.objects.filter(target_type="servicerequest", target_id=str(request.pk), action=f"services.{action}"
                                  ).update(at=_at(day))


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
