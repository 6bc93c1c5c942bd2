"""An event that a recognition records and the award ledger computed from stays as it is."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import logged_in
from zjtx.awards.tests.conftest import national_entitlement
from zjtx.core.errors import ApplicationError
from zjtx.core.models import AuditEvent
from zjtx.policy import services as policy_services
from zjtx.policy.models import ProgrammeEvent

pytestmark = pytest.mark.django_db


def test_an_event_the_ledger_computed_from_can_be_neither_corrected_nor_withdrawn(people, enterprise):
    event = national_entitlement(people, enterprise).event
    assert event.references() == {"认定": 1, "奖补资格": 1} == {"认定": 1, "奖补资格": event.entitlements.count()}
    province = people["province"]
    with pytest.raises(ApplicationError, match="该事件已被认定 1 条、奖补资格 1 条引用，不能撤销"):
        policy_services.event_withdraw(user=province, event=event, reason="录入有误")
    changed = {"kind": event.kind, "date": event.date - dt.timedelta(days=1), "grade": "", "amount": None, "rank": None}
    with pytest.raises(ApplicationError, match="不能更正"):
        policy_services.event_update(user=province, event=event, data=changed)
    stored = ProgrammeEvent.objects.get(pk=event.pk)
    assert stored.date == event.date
    assert not AuditEvent.objects.filter(action__in=["programme_event_update", "programme_event_withdraw"]).exists()
    # The pages say so instead of offering the actions.
    client = logged_in(province)
    listing = client.get(f"/policy/events/{enterprise.credit_code}/").content.decode()
    assert "已被引用，不可更改" in listing
    assert f"/policy/events/{enterprise.credit_code}/{event.pk}/edit/" not in listing
    page = client.get(f"/policy/events/{enterprise.credit_code}/{event.pk}/edit/").content.decode()
    assert "该事件已被认定 1 条、奖补资格 1 条引用，不能更正或撤销" in page and "保存更正" not in page
    answer = client.post(f"/policy/events/{enterprise.credit_code}/{event.pk}/withdraw/", {"reason": "录入有误"},
                         follow=True).content.decode()
    assert "不能撤销" in answer and ProgrammeEvent.objects.filter(pk=event.pk).exists()
