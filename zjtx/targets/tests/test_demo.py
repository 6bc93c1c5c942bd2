"""The demo's reported figures: loaded once, each city share adding up to the province's figure."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db.models import Sum

from zjtx.targets.demo import PROVINCE_FIGURES, load_demo_targets
from zjtx.targets.models import ReportedFigure

pytestmark = pytest.mark.django_db


def test_demo_figures_are_loaded_once_and_the_cities_add_up_to_the_province():
    count = load_demo_targets(seed=2022)
    assert count == ReportedFigure.objects.count() and count > 1000
    assert load_demo_targets(seed=2022) is None
    for target, values in PROVINCE_FIGURES.items():
        for year, value in zip(range(2022, 2027), values, strict=False):
            province = ReportedFigure.objects.get(target=target, year=year, city_code="", kind="actual").value
            cities = ReportedFigure.objects.filter(target=target, year=year, kind="actual").exclude(city_code="")
            assert province == D(str(value))
            assert cities.count() == 16 and cities.aggregate(s=Sum("value"))["s"] == province, (target, year)
    shares = ReportedFigure.objects.filter(target="targets.industrial_robots.yearly", year=2025, kind="allocation")
    assert shares.aggregate(s=Sum("value"))["s"] == D(8000)  # the province's target, split over the cities
    assert not ReportedFigure.objects.filter(target__in=["targets.provincial_srdi.stock",
                                                         "targets.innovative.yearly"], kind="actual").exists()


def test_the_command_says_when_there_is_nothing_to_load(capsys):
    call_command("load_demo_targets")
    assert "条目标填报数" in capsys.readouterr().out
    call_command("load_demo_targets")
    assert "不再生成" in capsys.readouterr().out
