"""Working days: chinese-calendar for 2004–2026, the province's table on top, weekdays beyond — never a crash."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import make_user
from zjtx.accounts.roles import Role
from zjtx.core.errors import PermissionDeniedError
from zjtx.tiers import selectors, services, workdays

pytestmark = pytest.mark.django_db


def test_national_holidays_and_make_up_days_are_known():
    assert not workdays.is_workday(dt.date(2026, 10, 1))  # 国庆
    assert not workdays.is_workday(dt.date(2026, 6, 6))  # a Saturday
    # A notice decided before 国庆 2026 skips the whole holiday week.
    assert workdays.add_workdays(dt.date(2026, 9, 29), 5) > dt.date(2026, 10, 8)


def test_a_2027_date_does_not_crash_and_falls_back_to_weekdays():
    assert not workdays.knows_year(2027)
    assert workdays.is_workday(dt.date(2027, 3, 1))  # Monday
    assert not workdays.is_workday(dt.date(2027, 3, 6))  # Saturday
    # Without the province's table 2027-01-01 (元旦) counts as an ordinary Friday.
    assert workdays.add_workdays(dt.date(2026, 12, 28), 5) == dt.date(2027, 1, 1)


def test_province_table_overrides_and_extends(people):
    with pytest.raises(PermissionDeniedError):
        services.holiday_set(user=people["city"], date=dt.date(2027, 1, 1), is_workday=False, name="元旦")
    services.holiday_set(user=people["province"], date=dt.date(2027, 1, 1), is_workday=False, name="元旦")
    services.holiday_set(user=people["province"], date=dt.date(2027, 1, 2), is_workday=True, name="元旦调休")
    start, end = selectors.notice_period(dt.date(2026, 12, 30), 5)
    # 12-31 Thu, (01-01 holiday), 01-02 Sat make-up day, 01-04 Mon, 01-05 Tue, 01-06 Wed.
    assert (start, end) == (dt.date(2026, 12, 31), dt.date(2027, 1, 6))


def test_a_decision_crossing_into_2027_gets_a_notice_end():
    province = make_user(Role.PROVINCE)
    assert province.pk
    start, end = selectors.notice_period(dt.date(2026, 12, 25), 5)
    assert start == dt.date(2026, 12, 28) and end == dt.date(2027, 1, 1)


def test_the_province_enters_a_holiday_week_at_once_and_deletes_a_mistaken_day(people):
    from tests.factories import logged_in
    from zjtx.core.models import AuditEvent
    from zjtx.tiers.models import Holiday

    client = logged_in(people["province"])
    response = client.post("/tiers/holidays/", {"date": "2027-02-06", "until": "2027-02-13", "name": "春节"})
    assert response.status_code == 302
    assert Holiday.objects.filter(is_workday=False, name="春节").count() == 8
    page = client.get("/tiers/holidays/").content.decode()
    assert "2027年未内置，本表已录入 8 天" in page
    # Backwards or too long a span is refused on its field, and nothing is stored.
    page = client.post("/tiers/holidays/", {"date": "2027-05-05", "until": "2027-05-01", "name": "劳动节"})
    assert "结束日期不能早于日期" in page.content.decode()
    page = client.post("/tiers/holidays/", {"date": "2027-01-01", "until": "2027-03-01", "name": "错"})
    assert "一次最多录入 31 天" in page.content.decode()
    assert Holiday.objects.count() == 8
    mistaken = Holiday.objects.get(date=dt.date(2027, 2, 13))
    assert client.post(f"/tiers/holidays/{mistaken.pk}/delete/").status_code == 302
    assert Holiday.objects.count() == 7 and not workdays.is_workday(dt.date(2027, 2, 12), dict(
        Holiday.objects.values_list("date", "is_workday")))
    assert AuditEvent.objects.filter(action="tiers.holiday_delete", target_id=str(mistaken.pk)).exists()
    # Only the province maintains the table.
    city = logged_in(people["city"])
    assert city.post(f"/tiers/holidays/{Holiday.objects.first().pk}/delete/").status_code == 403
    assert "删除</button>" not in city.get("/tiers/holidays/").content.decode()
    assert Holiday.objects.count() == 7


def test_the_decision_card_shows_the_notice_period_and_warns_of_a_year_without_holidays(people, applicant,
                                                                                      settings):
    from tests.factories import logged_in
    from zjtx.tiers.tests.conftest import through

    application = through("scored", people, applicant)
    settings.ZJTX_TODAY = dt.date(2026, 12, 25)
    url = f"/tiers/applications/{application.pk}/"
    page = logged_in(people["province"]).get(url).content.decode()
    assert "今天同意的，公示期为 2026-12-28 至 2027-01-01（5 个工作日）" in page
    assert "2027年的法定节假日尚未内置" in page
    services.holidays_set(user=people["province"], date=dt.date(2027, 1, 1), until=None, is_workday=False,
                          name="元旦")
    page = logged_in(people["province"]).get(url).content.decode()
    assert "今天同意的，公示期为 2026-12-28 至 2027-01-04（5 个工作日）" in page
    assert "尚未内置" not in page
