"""Demo 调度, so that 任务分工 has something to show in ``make run``: the two periods before the current one
with reports in every state (most accepted, some waiting for review, a few sent back, some never filed and so
逾期, some filed late, some 滞后), and the current period open with its reports to write. ``keji`` (省科技厅)
has one report of the last period overdue, one sent back to correct, and this period's four to write.
Reproducible by seed; only for demo databases, and only when no period exists.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core import clock
from zjtx.core.audit import audit_bulk
from zjtx.core.models import AuditEvent
from zjtx.duties import params, plan, services
from zjtx.duties.models import Period, Report

S, P = Report.Status, Report.Progress
ACTIONS = ["召开专题推进会 {n} 次，印发年度工作要点，明确责任处室和时间节点",
           "会同各市梳理重点企业和项目清单 {n} 个，逐一建立工作台账",
           "组织政策宣讲和对接活动 {n} 场，覆盖专精特新企业 {m} 家",
           "完成相关配套政策起草，已征求各市和有关部门意见",
           "开展督导调研 {n} 次，协调解决企业反映的问题 {m} 个"]
FIGURES = ["", "本期支持企业 {m} 家，安排资金 {n}00 万元", "新增入库企业 {m} 家", "累计完成年度目标的 {p}%"]
PROBLEMS = ["部分市配套政策出台较慢，资金到位滞后", "项目前期手续办理周期长，进度慢于计划",
            "企业申报积极性不高，宣传覆盖面有待扩大"]
NEXT = ["下一步将加强调度，按月通报进展，确保年度任务按期完成。",
        "下一步将会同各市开展专项督导，推动政策落地见效。",
        "下一步将总结推广典型经验，持续优化服务。"]
# the states of a past period's reports in turn (None: never filed, 逾期未报): the last period's, the earlier's
LAST = [S.ACCEPTED, S.ACCEPTED, S.SUBMITTED, S.ACCEPTED, S.SUBMITTED, S.RETURNED, None, S.ACCEPTED, S.SUBMITTED,
        S.ACCEPTED, None, S.ACCEPTED]
EARLIER = [S.ACCEPTED] * 13 + [None]
RETURN_REASON = "工作进展过于笼统，请补充本期完成的具体事项和数据"
# keji's reports of the last period: task → status (None: not filed, overdue)
KEJI = {1: None, 3: S.RETURNED, 4: S.ACCEPTED, 19: S.SUBMITTED}


def load_demo_duties(seed: int) -> int | None:
    """The number of reports of the demo periods, or None when a period exists already."""
    if Period.objects.exists():
        return None
    province = User.objects.filter(role=Role.PROVINCE).order_by("id").first()
    if province is None:
        return None
    today = clock.today()
    current = params.span_of(today, params.cycle(today))
    last = params.previous(current)
    rng = np.random.default_rng(seed)
    with transaction.atomic():
        for span in (params.previous(last), last, current):
            services.period_open(user=province, key=span.key)
        Period.objects.update(opened_at=timezone.now())
        for n, period in enumerate(Period.objects.filter(ends__lt=today).order_by("starts")):
            _fill(period, rng, province, is_last=n == 1)
        _backdate(province)
    return Report.objects.count()


def _fill(period: Period, rng: np.random.Generator, province: User, *, is_last: bool) -> None:
    for n, report in enumerate(Report.objects.filter(period=period).order_by("task", "department")):
        status = _status(report, n, is_last)
        if status is None:
            continue
        _written(report, rng)
        # most on time, one in eight filed a few days after the due date
        late = int(rng.integers(1, 6)) if n % 8 == 3 else 0
        filed = period.due_on + dt.timedelta(days=late) if late else period.due_on - dt.timedelta(
            days=int(rng.integers(0, 8)))
        report.first_submitted_on = report.submitted_on = filed
        report.status = status
        late_mark = "（逾期报送）" if report.submitted_late else ""
        history: list[tuple[Any, dt.date, str, str]] = [
            (None, filed, "report_submit",
             f"{report.department_name}报送调度报告{late_mark}：{report.get_progress_status_display()}")]
        if status in (S.ACCEPTED, S.RETURNED):
            report.reviewed_on = filed + dt.timedelta(days=3)
            if status == S.RETURNED:
                report.return_reason = RETURN_REASON
                history.append((province, report.reviewed_on, "report_send_back",
                                f"退回{report.department_name}的调度报告：{RETURN_REASON}"))
            else:
                history.append((province, report.reviewed_on, "report_accept",
                                f"审核通过{report.department_name}的调度报告"))
        report.save()
        _history(report, history)


def _status(report: Report, n: int, is_last: bool) -> str | None:
    if report.department == "sci_tech" and is_last:
        return KEJI.get(report.task, S.ACCEPTED)
    return LAST[n % len(LAST)] if is_last else EARLIER[n % len(EARLIER)]


def _written(report: Report, rng: np.random.Generator) -> None:
    n, m, p = int(rng.integers(2, 9)), int(rng.integers(12, 160)), int(rng.integers(45, 98))
    task = plan.task(report.task)
    report.progress_status = str(rng.choice([P.ON_TRACK, P.ON_TRACK, P.ON_TRACK, P.BEHIND, P.DONE]))
    first, second = (ACTIONS[int(i)] for i in rng.choice(len(ACTIONS), size=2, replace=False))
    report.progress = (f"围绕“{task.title}”，{report.department_name}{first.format(n=n, m=m)}；"
                       f"{second.format(n=n + 1, m=m // 2)}。")
    report.figures = str(rng.choice(FIGURES)).format(n=n, m=m, p=p)
    report.problems = str(rng.choice(PROBLEMS)) if report.progress_status == P.BEHIND else ""
    report.next_steps = str(rng.choice(NEXT))


def _history(report: Report, history: list[tuple[Any, dt.date, str, str]]) -> None:
    for actor, day, action, summary in history:
        # a department filing in the demo has no account: its name stands for it in the history
        label = actor or SimpleNamespace(pk=None, display_name=report.department_name)
        audit_bulk([{"action": f"duties.{action}", "target_type": "dutyreport", "target_id": str(report.pk),
                     "summary": summary}], actor=label)
        AuditEvent.objects.filter(target_type="dutyreport", target_id=str(report.pk), action=f"duties.{action}"
                                  ).update(at=_at(day))


def _backdate(province: User) -> None:
    """Each period opened on its first day after its end, as the office would have done."""
    for period in Period.objects.all():
        opened = min(clock.today(), period.ends + dt.timedelta(days=1))
        AuditEvent.objects.filter(target_type="dutyperiod", target_id=str(period.pk)).update(at=_at(opened))
        Period.objects.filter(pk=period.pk).update(opened_at=_at(opened))


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
