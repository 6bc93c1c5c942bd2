"""The 梯度培育 pages read a fixed number of queries whatever the number of rows they show, and a page of a long
list without reading the whole list."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.factories import logged_in, make_user
from zjtx.accounts.roles import Role
from zjtx.tiers import selectors, services
from zjtx.tiers.tests.conftest import through

pytestmark = pytest.mark.django_db


def page(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_expert_choice_takes_the_same_queries_for_three_experts_and_for_fifteen(people, applicant, enterprise):
    application = through("city", people, applicant)
    client = logged_in(people["province"])
    url = f"/tiers/applications/{application.pk}/"
    few, _ = page(client, url)
    more = [make_user(Role.EXPERT, full_name=f"候选专家{i}") for i in range(12)]
    services.expert_conflict_declare(user=more[0], enterprise=enterprise, reason="曾任该企业顾问")
    many, shown = page(client, url)
    assert many == few
    assert "候选专家11" in shown and "须回避：专家已申报与该企业存在关联：曾任该企业顾问" in shown


def test_the_recognition_list_reads_one_page_in_index_order_instead_of_sorting_every_recognition(people, applicant):
    """At province scale the 认定名单 holds hundreds of thousands of recognitions: newest first, a page must come
    from walking an index, not from joining and sorting them all (85 ms at 16,000, growing with the list)."""
    if connection.vendor != "postgresql":
        pytest.fail("the plan is PostgreSQL's: run this test on PostgreSQL (DATABASE_URL)")
    through("recognized", people, applicant)
    page = selectors.recognition_page(user=people["province"], filters=selectors.RecognitionFilters())
    sql, params = page.object_list.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")  # the tables are tiny here: ask for the plan of a big one
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Sort" not in plan and "recognition_newest_first" in plan, plan
