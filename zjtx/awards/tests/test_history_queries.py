"""An enterprise's 变更记录 reads a fixed number of queries per page, however many of its records name an
award, event, budget, ledger line, objection or experts: what they name is read once for the page."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import logged_in, make_enterprise, make_user
from zjtx.accounts.roles import Role
from zjtx.awards.tests.conftest import paid_reversed_and_reissued
from zjtx.core.audit import audit_record, describe_change
from zjtx.core.models import AuditEvent
from zjtx.enterprises.selectors import history_page
from zjtx.tiers import services as tiers_services
from zjtx.tiers.tests.conftest import qualifying_enterprise, through

pytestmark = pytest.mark.django_db

NAMING = {"award", "event", "budget", "ledger_entry", "experts", "objection"}


def naming_records(people, ready, enterprise, applicant) -> list[AuditEvent]:
    """One of each kind of awards and tiers records the services wrote that name other rows: an entitlement
    created, paid, reversed and reissued, experts assigned and an objection filed."""
    paid_reversed_and_reissued(people, ready, enterprise, applicant)
    other = qualifying_enterprise()
    application = through("scored", people, make_user(Role.ENTERPRISE, credit_code=other.credit_code))
    application = tiers_services.application_decide(user=people["province"], application=application, approve=True)
    tiers_services.objection_file(user=make_user(Role.DEPARTMENT, department="sci_tech"), application=application,
                                  content="数据存疑", today=application.notice_start)
    found = AuditEvent.objects.filter(enterprise_code__in=[enterprise.credit_code, other.credit_code])
    kinds: dict[tuple[str, frozenset[str]], AuditEvent] = {}
    for record in found:
        keys = frozenset(NAMING & {*(record.before or {}), *(record.after or {})})
        if keys:
            kinds.setdefault((record.target_type, keys), record)
    return list(kinds.values())


def copy_records(records: list[AuditEvent], n: int, credit_code: str) -> None:
    """n records like the services', for the enterprise `credit_code`."""
    for i in range(n):
        r = records[i % len(records)]
        audit_record(actor=r.actor, action=r.action, target_type=r.target_type, target_id=r.target_id,
                     enterprise_code=credit_code, summary=r.summary, before=r.before, after=r.after)


def page_queries(client, code: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/enterprises/{code}/")
    assert page.status_code == 200
    history = page.content.decode().split('data-testid="history"')[1].split("</ul>")[0]
    return len(captured), re.sub(r"\s+", " ", history)


def test_a_history_page_takes_the_same_queries_for_each_kind_of_record_once_and_for_twenty(
        people, ready, enterprise, applicant):
    records = naming_records(people, ready, enterprise, applicant)
    named = {key for r in records for key in {*(r.before or {}), *(r.after or {})}}
    assert named >= NAMING and 2 <= len(records) < 20
    few, many = make_enterprise(), make_enterprise()
    copy_records(records, len(records), few.credit_code)
    copy_records(records, 20, many.credit_code)
    client = logged_in(people["province"])
    (few_queries, _), (many_queries, shown) = page_queries(client, few.credit_code), page_queries(client,
                                                                                                  many.credit_code)
    assert many_queries == few_queries

    page = history_page(enterprise=many, user=people["province"])
    assert len(page.object_list) == 20
    for event in page.object_list:  # as each record reads on its own
        before, after = event.before or {}, event.after or {}
        expected = [(describe_change(event.target_type, key, before.get(key))[0],
                     describe_change(event.target_type, key, before.get(key))[1],
                     describe_change(event.target_type, key, after.get(key))[1])
                    for key in [*after, *(k for k in before if k not in after)]]
        assert event.changes == [change for change in expected if change[1] != change[2]]
    for text in ("列支预算：空 → 2026年 省级预算", "更正重拨 100.00 万元</div>", f"奖补项目：空 → {ready.award_label}",
                 f"触发事件：空 → {ready.event.title}", "评审专家：空 → 专家0、专家1、专家2"):
        assert text in shown, text
    assert re.search(r"异议：空 → \d{4}-\d{2}-\d{2} 提出的异议", shown)
