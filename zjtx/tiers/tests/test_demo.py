"""The demo's recognitions and open batch (`manage.py load_demo_tiers`, a `make run` step)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from tests.factories import make_enterprise, make_user
from zjtx.accounts.roles import Role
from zjtx.core.models import AuditEvent
from zjtx.policy.models import ProgrammeEvent
from zjtx.tiers.demo import load_demo_tiers
from zjtx.tiers.models import Application, Batch, Recognition
from zjtx.tiers.tests.conftest import TODAY, qualifying_enterprise

pytestmark = pytest.mark.django_db


def test_every_tier_held_gets_a_recognition_in_force_and_the_demo_enterprise_has_applied():
    province = make_user(Role.PROVINCE)
    applicant = qualifying_enterprise()  # 省专精特新
    make_user(Role.ENTERPRISE, credit_code=applicant.credit_code)
    innovative = make_enterprise(tier="innovative")
    giant = make_enterprise(city_code="340200", tier="little_giant")
    make_enterprise(tier="")
    event = ProgrammeEvent.objects.create(enterprise=giant, kind="recognized_little_giant",
                                          date=TODAY - dt.timedelta(days=100))

    loaded = load_demo_tiers(seed=5)

    assert loaded is not None and loaded.recognitions == 3
    held = {r.enterprise_id: r for r in Recognition.objects.all()}
    assert {e: r.tier for e, r in held.items()} == {applicant.pk: "provincial", innovative.pk: "innovative",
                                                    giant.pk: "little_giant"}
    assert all(r.in_force(TODAY) for r in held.values())
    assert held[giant.pk].event == event and held[giant.pk].start_date == event.date
    assert held[giant.pk].source == Recognition.Source.NATIONAL
    assert held[innovative.pk].validity_parameter == "criteria.innovative.validity_years"
    assert held[innovative.pk].certificate_no.startswith("皖创新型〔")
    batch = Batch.objects.get()
    assert batch.tier == "provincial_champion" and batch.accepting(TODAY) and batch.created_by == province
    application = Application.objects.get()
    assert (application.enterprise, application.status) == (applicant, Application.Status.SUBMITTED)
    assert application.assessment  # the engine's self-assessment, as for any application
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {"tiers.batch_open", "tiers.submit"}

    call_command("load_demo_tiers")  # loaded once: a second run changes nothing
    assert Recognition.objects.count() == 3 and Application.objects.count() == 1
