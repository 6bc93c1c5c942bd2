"""Page values beside the shipped ones: never on a shipped date, withdrawn with a reason, confirmed
only when they name their document."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client

from tests.factories import city_user, province_user
from zjtx.core.audit import AuditEvent
from zjtx.core.errors import ApplicationError
from zjtx.policy import selectors, services
from zjtx.policy.models import ParameterValue

pytestmark = pytest.mark.django_db
PARAMETER = "criteria.single_champion.new_product_min_years"  # shipped values 2016-03-01 and 2023-08-01


def _add(start: dt.date, text: str = "6", reference: str = "皖经信〔2026〕12号", parameter_id: str = PARAMETER):
    return services.parameter_value_add(user=province_user(), parameter_id=parameter_id, start=start, text=text,
                                        reference=reference)


def test_a_page_value_on_the_date_of_a_shipped_value_is_refused_so_the_history_keeps_both():
    with pytest.raises(ApplicationError) as error:
        _add(dt.date(2023, 8, 1))
    assert error.value.field == "start" and "已有随系统发布的取值" in error.value.message
    assert not ParameterValue.objects.exists()
    assert [str(v.value) for v in services.parameter_set().history(PARAMETER)] == ["3", "5"]


def test_a_mistyped_page_value_is_withdrawn_with_a_reason_and_audited():
    _add(dt.date(2026, 12, 1), text="50")
    user = province_user()
    with pytest.raises(ApplicationError) as error:
        services.parameter_value_withdraw(user=user, parameter_id=PARAMETER, start=dt.date(2026, 12, 1), reason=" ")
    assert error.value.field == "reason" and ParameterValue.objects.exists()
    services.parameter_value_withdraw(user=user, parameter_id=PARAMETER, start=dt.date(2026, 12, 1),
                                      reason="录入错误，应为 5")
    assert services.parameter_set().value(PARAMETER, dt.date(2026, 12, 2)) == Decimal(5)
    event = AuditEvent.objects.get(action="parameter_value_withdraw")
    assert event.before["value"] == "50" and event.before["reference"] == "皖经信〔2026〕12号"
    assert event.after == {"reason": "录入错误，应为 5"} and "录入错误" in event.summary
    _add(dt.date(2026, 12, 1), text="5")  # the date is free again


def test_the_page_withdraws_a_value_from_the_history():
    _add(dt.date(2026, 12, 1), text="50")
    client = Client()
    client.force_login(province_user())
    page = client.get(f"/policy/p/{PARAMETER}/").content.decode()
    assert 'data-testid="withdraw-2026-12-01"' in page and 'data-testid="withdraw-2023-08-01"' not in page
    response = client.post(f"/policy/p/{PARAMETER}/withdraw/", {"start": "2026-12-01", "reason": "录错"}, follow=True)
    assert "已撤销 2026-12-01 起的取值" in response.content.decode()
    assert not ParameterValue.objects.exists()


@pytest.mark.parametrize(
    ("reference", "confirmed"),
    [("x", False), ("测试", False), ("皖经信〔2026〕12号", True), ("皖政办[2024]3号", True),
     ("《关于调整专精特新奖补标准的通知》", True)],
)
def test_a_page_value_is_confirmed_only_when_its_reference_names_a_document(reference, confirmed):
    row = _add(dt.date(2026, 12, 1), reference=reference)
    assert row.confirmed is confirmed
    entry = services.parameter_set().history(PARAMETER)[-1]
    assert entry.confirmed is confirmed


def test_a_confirmed_value_in_force_clears_the_mark_of_an_earlier_unconfirmed_one(settings):
    """The list marks the value in force: once the officer enters the document's figure, 待核实 goes."""
    settings.ZJTX_TODAY = dt.date(2026, 12, 2)
    unconfirmed = "criteria.2026.srdi.min_revenue"  # shipped from a summary only
    assert _row(unconfirmed)["confirmed"] is False
    _add(dt.date(2026, 12, 1), text="1500", parameter_id=unconfirmed)
    assert _row(unconfirmed)["confirmed"] is True
    client = Client()
    client.force_login(province_user())
    page = client.get("/policy/?unconfirmed=1").content.decode()
    assert unconfirmed not in page and "criteria.2026.little_giant.min_dev_score" in page
    _add(dt.date(2026, 12, 1), text="6", reference="测试")  # an entry without a document is still 待核实
    assert _row(PARAMETER)["confirmed"] is False and PARAMETER in client.get("/policy/?unconfirmed=1").content.decode()


def test_the_province_officer_has_a_to_do_for_the_values_to_check(settings):
    settings.ZJTX_TODAY = dt.date(2026, 12, 2)
    client = Client()
    client.force_login(province_user())
    waiting = len(selectors.parameter_rows(unconfirmed=True))
    assert waiting > 10
    home = client.get("/").content.decode()
    assert f"政策参数现行取值待核实 {waiting} 项" in re.sub(r"<[^>]+>", "", home) and "/policy/?unconfirmed=1" in home
    listed = client.get("/policy/?unconfirmed=1").content.decode()
    assert f"共 {waiting} 项" in listed and listed.count(">待核实</span>") == waiting
    city = Client()
    city.force_login(city_user("340100"))
    assert "政策参数现行取值待核实" not in city.get("/").content.decode()


def _row(parameter_id: str) -> dict:
    return next(r for r in selectors.parameter_rows() if r["id"] == parameter_id)
