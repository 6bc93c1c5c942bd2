"""Working days: chinese-calendar for 2004–2026, the province's table on top, weekdays beyond — never a crash."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import make_user
from zjtx.accounts.roles import Role
from zjtx.core.errors import PermissionDeniedError
from zjtx.tiers import services, workdays

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
    start, end = services.notice_period(dt.date(2026, 12, 30), 5)
    # 12-31 Thu, (01-01 holiday), 01-02 Sat make-up day, 01-04 Mon, 01-05 Tue, 01-06 Wed.
    assert (start, end) == (dt.date(2026, 12, 31), dt.date(2027, 1, 6))


def test_a_decision_crossing_into_2027_gets_a_notice_end():
    province = make_user(Role.PROVINCE)
    assert province.pk
    start, end = services.notice_period(dt.date(2026, 12, 25), 5)
    assert start == dt.date(2026, 12, 28) and end == dt.date(2027, 1, 1)
