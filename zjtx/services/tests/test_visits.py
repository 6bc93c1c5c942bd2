"""千企行 visits: an officer records visits to its own enterprises only, never in the future; audited; the
list filters and pages."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import logged_in
from zjtx.core.errors import ApplicationError, PermissionDeniedError
from zjtx.core.models import AuditEvent
from zjtx.services import selectors, services
from zjtx.services.models import Visit
from zjtx.services.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_an_officer_records_a_visit_to_its_enterprise_and_it_is_audited(world):
    visit = services.visit_record(user=world["officer"], enterprise=world["A"], visited_on=TODAY, way="on_site",
                                  topics="宣讲政策", problems="流动资金偏紧", follow_up="对接合作银行")
    assert (visit.officer, visit.enterprise, visit.visited_on) == (world["officer"], world["A"], TODAY)
    record = AuditEvent.objects.get(action="services.visit_record")
    assert (record.target_type, record.target_id, record.enterprise_code) == ("visit", str(visit.pk),
                                                                               world["A"].credit_code)
    assert record.summary == "记录上门走访（2026-06-01）"
    assert record.after["problems"] == "流动资金偏紧"


@pytest.mark.parametrize(("who", "enterprise", "day", "way", "topics", "field", "message"), [
    ("officer", "B", TODAY, "on_site", "宣讲", "enterprise", "只能记录对本人服务企业的走访"),
    ("officer", "A", TODAY + dt.timedelta(days=1), "on_site", "宣讲", "visited_on",
     "走访日期不能晚于今天（2026-06-01）"),
    ("officer", "A", None, "on_site", "宣讲", "visited_on", "请填写走访日期"),
    ("officer", "A", TODAY, "fax", "宣讲", "way", "请选择走访方式"),
    ("officer", "A", TODAY, "phone", "", "topics", "请填写走访内容"),
])
def test_a_bad_visit_is_refused_by_field_and_nothing_is_stored(world, who, enterprise, day, way, topics, field,
                                                               message):
    with pytest.raises(ApplicationError) as refused:
        services.visit_record(user=world[who], enterprise=world[enterprise], visited_on=day, way=way, topics=topics)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not Visit.objects.exists() and not AuditEvent.objects.exists()


def test_only_officers_record_visits(world):
    with pytest.raises(PermissionDeniedError, match="只有服务专员可以记录走访"):
        services.visit_record(user=world["city"], enterprise=world["A"], visited_on=TODAY, way="on_site", topics="x")


def test_the_form_names_the_field_and_keeps_what_was_typed(world):
    client = logged_in(world["officer"])
    response = client.post("/services/visits/new/", {"enterprise": world["A"].pk, "visited_on": "2026-06-02",
                                                      "way": "on_site", "topics": "了解研发进展"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "走访日期：走访日期不能晚于今天（2026-06-01）" in page and "了解研发进展" in page
    other = client.post("/services/visits/new/", {"enterprise": world["B"].pk, "visited_on": "2026-06-01",
                                                   "way": "on_site", "topics": "x"}).content.decode()
    assert "企业：只能选择本人服务的企业" in other
    assert not Visit.objects.exists()
    done = client.post("/services/visits/new/", {"enterprise": world["A"].pk, "visited_on": "2026-05-28",
                                                  "way": "phone", "topics": "了解研发进展"}, follow=True)
    assert "走访记录已保存。" in done.content.decode() and Visit.objects.get().visited_on == dt.date(2026, 5, 28)


def test_the_list_filters_by_way_and_dates_and_pages(world):
    for n in range(25):
        services.visit_record(user=world["officer"], enterprise=world["A"], visited_on=TODAY - dt.timedelta(days=n),
                              way="phone" if n % 5 == 0 else "on_site", topics=f"第{n}次")
    province = world["province"]
    assert selectors.visit_page(province).paginator.count == 25
    assert len(selectors.visit_page(province).object_list) == selectors.PAGE_SIZE
    assert selectors.visit_page(province, way="phone").paginator.count == 5
    week = selectors.visit_page(province, since=TODAY - dt.timedelta(days=6), until=TODAY - dt.timedelta(days=2))
    assert [v.topics for v in week] == ["第2次", "第3次", "第4次", "第5次", "第6次"]
    page = logged_in(province).get("/services/visits/?way=phone&page=2&since=2026-13-01").content.decode()
    assert "走访日期（起）“2026-13-01”不是有效日期（应为 2026-11-30 的格式），未按其筛选" in page
    assert "共 5 次走访" in page


def test_the_page_links_keep_the_filters(world):
    for n in range(25):
        services.visit_record(user=world["officer"], enterprise=world["A"], visited_on=TODAY - dt.timedelta(days=n),
                              way="phone" if n % 5 == 0 else "on_site", topics=f"第{n}次")
    client = logged_in(world["province"])
    first = client.get("/services/visits/?way=on_site").content.decode()
    assert "共 20 次走访" in first and "第 1 / 1 页" not in first and 'href="?way=on_site&amp;page=2"' not in first
    everything = client.get("/services/visits/?q=%E7%94%B2").content.decode()  # 甲: 25 visits, two pages
    assert "第 1 / 2 页" in everything and 'href="?q=%E7%94%B2&amp;page=2"' in everything
    second = client.get("/services/visits/?q=%E7%94%B2&page=2").content.decode()
    assert "第 2 / 2 页" in second and 'href="?q=%E7%94%B2&amp;page=1"' in second and "下一页" not in second
