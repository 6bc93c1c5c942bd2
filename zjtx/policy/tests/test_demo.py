"""The demo's facts pass the checks an official's form applies, so any demo enterprise can be edited."""

from __future__ import annotations

import pytest

from tests.factories import make_enterprise
from zjtx.policy import services
from zjtx.policy.demo import load_demo_policy_data
from zjtx.policy.forms import FactsForm
from zjtx.policy.models import EnterpriseFacts

pytestmark = pytest.mark.django_db


def test_every_demo_enterprises_facts_can_be_saved_unchanged_on_the_form():
    for i in range(80):
        make_enterprise(tier=("", "innovative", "provincial", "little_giant")[i % 4])
    load_demo_policy_data(seed=2022)
    for facts in EnterpriseFacts.objects.all():
        data = {k: ("" if v is None else v) for k, v in FactsForm.initial_from(facts.data).items()}
        form = FactsForm(data, limits=services.fact_limits())
        assert form.is_valid(), (facts.data, form.errors)
