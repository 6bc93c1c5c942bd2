"""The list entries follow the registry: single saves, small imports in the same transaction, large
imports after their commit, size classes derived from indicators, tiers, deletions."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import city_user, make_enterprise, make_indicator, make_user, province_user
from zjtx.enterprises import listing, selectors, services, tasks
from zjtx.enterprises.importing.run import refresh_list_entries
from zjtx.enterprises.models import Enterprise, ImportJob, ListEntry
from zjtx.enterprises.tests.test_import import HEADER, good_rows, write_csv

pytestmark = pytest.mark.django_db


def entry_of(enterprise: Enterprise) -> dict[str, Any]:
    return ListEntry.objects.filter(pk=enterprise.pk).values(*listing.COPIED).get()


def registry_of(enterprise: Enterprise) -> dict[str, Any]:
    return Enterprise.objects.filter(pk=enterprise.pk).values(*listing.COPIED).get()


class FakeTask:
    def __init__(self) -> None:
        self.queued: list[int] = []

    def enqueue(self, job_id: int) -> None:
        self.queued.append(job_id)


def test_save_update_tier_and_delete_keep_the_entry_equal_to_the_registry():
    e = make_enterprise(name="合肥晶合测试科技有限公司")
    assert entry_of(e) == registry_of(e)
    services.enterprise_update(user=province_user(), enterprise=e, data={"name": "合肥晶合新名有限公司",
                                                                           "industry_code": "3911"})
    assert entry_of(e)["name"] == "合肥晶合新名有限公司" and entry_of(e)["industry_division"] == "39"
    services.enterprise_set_tier(user=province_user(), enterprise=e, tier="provincial")
    assert entry_of(e)["tier"] == "provincial"
    assert listing.missing_or_stale() == 0
    e.delete()
    assert not ListEntry.objects.exists()


def test_indicator_changes_the_size_class_in_the_list():
    e = make_enterprise(industry_code="3562")
    make_indicator(e, 2024, employees=20, revenue=500)
    services.size_refresh(enterprise_ids=[e.pk])
    e.refresh_from_db()
    assert e.size_class and entry_of(e)["size_class"] == e.size_class
    assert listing.missing_or_stale() == 0


def test_small_import_is_listed_at_once_and_a_second_import_writes_no_entry(tmp_path: Path):
    path = write_csv(tmp_path, [HEADER, *good_rows(4)])
    job = services.import_from_path(user=province_user(), kind="enterprises", mode="all", path=path)
    assert (job.status, job.created_rows, job.listing_pending) == (ImportJob.Status.DONE, 4, False)
    page = selectors.enterprise_page(user=city_user(), filters=selectors.Filters(q="合肥测试"))
    assert page.count == 4
    assert listing.refresh_all() == 0  # nothing stale
    services.import_from_path(user=province_user(), kind="enterprises", mode="all", path=path)
    assert listing.missing_or_stale() == 0


def test_large_import_commits_the_registry_then_lists_its_rows_in_a_follow_up(tmp_path, monkeypatch):
    monkeypatch.setattr(listing, "INLINE_LIMIT", 2)
    fake = FakeTask()
    monkeypatch.setattr(tasks, "refresh_list_task", fake)
    path = write_csv(tmp_path, [HEADER, *good_rows(5)])
    job = services.import_from_path(user=province_user(), kind="enterprises", mode="all", path=path)
    assert (job.status, job.created_rows, job.listing_pending) == (ImportJob.Status.DONE, 5, True)
    assert fake.queued == [job.pk]
    assert Enterprise.objects.count() == 5 and ListEntry.objects.count() == 0
    assert listing.missing_or_stale() == 5

    client = Client()
    client.force_login(province_user())
    listed = client.get("/enterprises/").content.decode()
    assert 'data-testid="list-refresh-notice"' in listed
    notice = re.sub(r"<[^>]+>", "", listed.split('data-testid="list-refresh-notice">')[1].split("</p>")[0])
    assert f"导入任务 #{job.pk}《{path.name}》" in notice and "涉及您查看范围（安徽省）内的 5 家企业" in notice
    status = client.get(f"/enterprises/import/{job.pk}/").content.decode()
    assert "正在更新企业列表（5 家企业）" in status

    assert refresh_list_entries(job) == 5
    job.refresh_from_db()
    assert not job.listing_pending and listing.missing_or_stale() == 0
    assert 'data-testid="list-refresh-notice"' not in client.get("/enterprises/").content.decode()
    assert selectors.enterprise_page(user=province_user(), filters=selectors.Filters(q="合肥测试")).count == 5


def test_large_update_with_new_industry_reaches_the_list_after_the_follow_up(tmp_path, monkeypatch):
    rows = good_rows(4)
    first = services.import_from_path(user=province_user(), kind="enterprises", mode="all",
                                      path=write_csv(tmp_path, [HEADER, *rows], name="a.csv"))
    assert first.listing_pending is False
    monkeypatch.setattr(listing, "INLINE_LIMIT", 2)
    monkeypatch.setattr(tasks, "refresh_list_task", FakeTask())
    changed = [r.replace(",3562,", ",3911,") for r in rows]
    job = services.import_from_path(user=province_user(), kind="enterprises", mode="all",
                                    path=write_csv(tmp_path, [HEADER, *changed], name="b.csv"))
    assert (job.updated_rows, job.listing_pending) == (4, True)
    assert job.listing_places == {"cities": {"340100": 4}, "counties": {"340104": 4}}  # read from the registry
    assert set(ListEntry.objects.values_list("industry_code", flat=True)) == {"3562"}
    refresh_list_entries(job)
    assert set(ListEntry.objects.values_list("industry_code", flat=True)) == {"3911"}
    assert listing.missing_or_stale() == 0


def test_code_search_and_enterprise_scope_use_the_registry_code():
    mine = make_enterprise()
    other = make_enterprise()
    page = selectors.enterprise_page(user=province_user(), filters=selectors.Filters(q=mine.credit_code.lower()))
    assert [row.pk for row in page.rows] == [mine.pk]
    from tests.factories import make_user

    owner = make_user("enterprise", credit_code=mine.credit_code)
    page = selectors.enterprise_page(user=owner, filters=selectors.Filters())
    assert [row.pk for row in page.rows] == [mine.pk] and other.pk not in [r.pk for r in page.rows]


def test_refresh_command_checks_and_repairs_stale_entries():
    from django.core.management import call_command

    e = make_enterprise()
    Enterprise.objects.filter(pk=e.pk).update(name="绕过保存的改名有限公司")  # a raw write skips save()
    with pytest.raises(SystemExit):
        call_command("refresh_list_entries", "--check")
    call_command("refresh_list_entries")
    assert entry_of(e)["name"] == "绕过保存的改名有限公司" and listing.missing_or_stale() == 0
    call_command("refresh_list_entries", "--check")  # consistent now: no exit


def test_a_failed_large_import_leaves_nothing_pending_and_queues_nothing(tmp_path, monkeypatch):
    rows = good_rows(4)
    services.import_from_path(user=province_user(), kind="enterprises", mode="all",
                              path=write_csv(tmp_path, [HEADER, *rows], name="a.csv"))
    monkeypatch.setattr(listing, "INLINE_LIMIT", 2)
    fake = FakeTask()
    monkeypatch.setattr(tasks, "refresh_list_task", fake)

    def broken(**kwargs: Any) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "size_refresh", broken)
    changed = [r.replace(",3562,", ",3911,") for r in rows]
    job = services.import_from_path(user=province_user(), kind="enterprises", mode="all",
                                    path=write_csv(tmp_path, [HEADER, *changed], name="b.csv"))
    job.refresh_from_db()
    assert (job.status, job.listing_pending, fake.queued) == (ImportJob.Status.FAILED, False, [])
    assert set(Enterprise.objects.values_list("industry_code", flat=True)) == {"3562"}  # rolled back
    assert listing.missing_or_stale() == 0


def _codes_in(content: bytes) -> set[str]:
    return {e.credit_code for e in Enterprise.objects.all() if e.credit_code.encode() in content}


def test_untiered_and_unsized_filters_list_only_those(tmp_path: Path):
    plain = make_enterprise()
    tiered = make_enterprise()
    services.enterprise_set_tier(user=province_user(), enterprise=tiered, tier="provincial")
    sized = make_enterprise(industry_code="3562")
    make_indicator(sized, 2024, employees=20, revenue=500)
    services.size_refresh(enterprise_ids=[sized.pk])
    client = Client()
    client.force_login(city_user())
    untiered = client.get("/enterprises/", {"tier": "", "size": "all"})
    assert _codes_in(untiered.content) == {plain.credit_code, sized.credit_code}
    assert "tier=&amp;" in untiered.content.decode()  # the export link keeps the filter
    assert _codes_in(client.get("/enterprises/", {"tier": "all", "size": ""}).content) == {
        plain.credit_code, tiered.credit_code}
    assert _codes_in(_xlsx_text(client.get("/enterprises/export.xlsx", {"tier": ""}).content)) == {
        plain.credit_code, sized.credit_code}
    assert _codes_in(client.get("/enterprises/", {"tier": "all", "size": "all"}).content) == {
        plain.credit_code, tiered.credit_code, sized.credit_code}


def _xlsx_text(content: bytes) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/"))


def test_export_has_a_chinese_file_name_and_a_title_naming_the_filters():
    from urllib.parse import unquote

    make_enterprise(county_code="340104")
    client = Client()
    client.force_login(city_user())
    response = client.get("/enterprises/export.xlsx", {"county": "340104", "tier": "provincial", "size": ""})
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=UTF-8''") and disposition.isascii()
    assert unquote(disposition.split("''")[1]).startswith("企业名单-合肥市-")
    text = _xlsx_text(response.content).decode()
    assert "企业名单（合肥市，蜀山区，省专精特新企业，未划型（数据不足））" in text


@pytest.mark.parametrize(("role", "fields", "scope"), [
    ("department", {"department": "sci_tech"}, "安徽省"),
    ("officer", {"full_name": "孙明"}, "孙明服务的企业"),
])
def test_export_title_says_whose_enterprises_it_lists(role, fields, scope):
    from urllib.parse import unquote

    from tests.factories import make_user

    user = make_user(role, **fields)
    make_enterprise(service_officer=user if role == "officer" else None)
    client = Client()
    client.force_login(user)
    response = client.get("/enterprises/export.xlsx")
    assert f"企业名单（{scope}）" in _xlsx_text(response.content).decode()
    assert unquote(response["Content-Disposition"].split("''")[1]).startswith(f"企业名单-{scope}-")


def test_a_city_list_after_a_large_import_walks_its_own_index_not_the_other_cities_rows(tmp_path: Path):
    # An import takes consecutive ids in credit-code order, so a city's rows are not spread over the ids:
    # 合肥 (3401…) gets the import's lowest ids, 芜湖 (3402…) the newest. Ordered by id alone, PostgreSQL
    # walked the primary key from the newest and filtered out every 芜湖 entry before 合肥's first page.
    if connection.vendor != "postgresql":
        pytest.fail("the list's plans are PostgreSQL's: run this test on PostgreSQL (DATABASE_URL)")
    rows = [*good_rows(1500), *good_rows(3000, city="芜湖市", county="镜湖区", city_code="340200")]
    job = services.import_from_path(user=province_user(), kind="enterprises", mode="all", path=write_csv(
        tmp_path, [HEADER, *rows]))
    assert job.created_rows == 4500
    with connection.cursor() as cur:
        cur.execute(f"ANALYZE {listing.TABLE}")
    wuhu_oldest = ListEntry.objects.filter(city_code="340200").order_by("pk").values_list("pk", flat=True)[10]
    for user, filters, before, shown in ((city_user(), selectors.Filters(), None, selectors.PAGE_SIZE),
                                         (city_user(), selectors.Filters(tier=""), None, selectors.PAGE_SIZE),
                                         (city_user(), selectors.Filters(city="340100"), None, selectors.PAGE_SIZE),
                                         (city_user("340200"), selectors.Filters(), wuhu_oldest, 10)):
        with CaptureQueriesContext(connection) as captured:  # the page, and whether older pages exist
            page = selectors.enterprise_page(user=user, filters=filters, before=before)
        assert len(page.rows) == shown and {r.city_code for r in page.rows} == {user.city_code}
        assert [r.pk for r in page.rows] == sorted((r.pk for r in page.rows), reverse=True)
        assert (page.next_cursor is None) == (before is not None)
        for sql in [q["sql"] for q in captured.captured_queries if "ORDER BY" in q["sql"]]:
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                plan = json.dumps(cur.fetchone()[0])
            removed = sum(int(n) for n in re.findall(r'"Rows Removed by Filter": (\d+)', plan))
            assert removed < 100, plan


def notices(user) -> list[str]:
    client = Client()
    client.force_login(user)
    page = client.get("/enterprises/").content.decode()
    return [re.sub(r"<[^>]+>", "", part.split("</p>")[0])
            for part in page.split('data-testid="list-refresh-notice">')[1:]]


def test_the_pending_list_notice_tells_each_user_only_of_its_own_areas_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(listing, "INLINE_LIMIT", 2)
    monkeypatch.setattr(tasks, "refresh_list_task", FakeTask())
    hefei_official = city_user("340100")
    rows = [*good_rows(3), *good_rows(4, city="芜湖市", county="镜湖区", city_code="340200")]
    by_province = services.import_from_path(user=province_user(), kind="enterprises", mode="all",
                                            path=write_csv(tmp_path, [HEADER, *rows], name="全省.csv"))
    by_hefei = services.import_from_path(user=hefei_official, kind="enterprises", mode="all",
                                         path=write_csv(tmp_path, [HEADER, *good_rows(5)], name="合肥.csv"))
    assert by_province.listing_pending and by_hefei.listing_pending

    wuhu = notices(city_user("340200"))
    assert len(wuhu) == 1 and "合肥" not in wuhu[0] and "全省.csv" not in wuhu[0]
    assert "一个大批量导入已写入企业库，涉及您查看范围（芜湖市）内的 4 家企业" in wuhu[0]
    jinghu = notices(city_user("340200", county_code="340202"))
    assert len(jinghu) == 1 and "（芜湖市 · 镜湖区）内的 4 家企业" in jinghu[0]
    assert notices(city_user("340200", county_code="340209")) == []  # 弋江区: none of its rows
    assert notices(city_user("341100")) == []  # 滁州: none at all

    hefei = notices(hefei_official)
    assert "一个大批量导入已写入企业库，涉及您查看范围（合肥市）内的 3 家企业" in hefei[0]
    assert f"导入任务 #{by_hefei.pk}《合肥.csv》" in hefei[1] and "内的 5 家企业" in hefei[1]
    province = notices(province_user())
    assert "《全省.csv》" in province[0] and "（安徽省）内的 7 家企业" in province[0]
    assert "《合肥.csv》" in province[1] and "（安徽省）内的 5 家企业" in province[1]

    own = notices(make_user("enterprise", credit_code=rows[-1].split(",")[0]))
    assert len(own) == 1 and "涉及您查看范围（本企业）内的 1 家企业" in own[0]
    assert notices(make_user("enterprise", credit_code=make_enterprise().credit_code)) == []

    refresh_list_entries(by_province)
    assert notices(city_user("340200")) == []
