"""The demo generator: valid and unique codes, GDP-weighted cities, derived size classes, calibrated tiers,
reproducible by seed, and a refusal to write over a registry that already has enterprises."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from zjtx.core import creditcode, regions
from zjtx.enterprises import demo_data, sizing
from zjtx.enterprises.models import Enterprise, Indicator, Tier

COUNT = 2000
SEED = 11
FIELDS = ("credit_code", "name", "city_code", "county_code", "founded_on", "industry_code", "industry_division",
          "emerging_industry", "registered_capital", "contact_name", "contact_phone", "tier", "size_class",
          "size_year")


@pytest.fixture
def province(db: None) -> None:
    call_command("generate_demo", enterprises=COUNT, seed=SEED)


def _first_rows(n: int = 50) -> list[tuple[object, ...]]:
    return list(Enterprise.objects.order_by("id").values_list(*FIELDS)[:n])


def test_codes_valid_unique_and_places_weighted(province: None) -> None:
    codes = list(Enterprise.objects.values_list("credit_code", flat=True))
    assert len(codes) == COUNT
    assert all(creditcode.is_valid(c) for c in codes)
    assert len(set(codes)) == COUNT
    assert all(c[2:4] == regions.PROVINCE_CODE[:2] for c in codes)
    per_city = Counter(Enterprise.objects.values_list("city_code", flat=True))
    assert set(per_city) == {code for code, _ in regions.CITIES}
    assert per_city.most_common(1)[0][0] == "340100"
    counties = regions.county_city_map()
    assert all(counties[county] == city for city, county in Enterprise.objects.values_list("city_code", "county_code"))
    assert all(code.startswith(division) for code, division in
               Enterprise.objects.values_list("industry_code", "industry_division"))


def test_every_year_present_and_size_class_derived(province: None) -> None:
    years = demo_data.years_for(3)
    per_year = Counter(Indicator.objects.values_list("year", flat=True))
    assert per_year == dict.fromkeys(years, COUNT)
    latest = Indicator.objects.filter(year=years[-1]).values_list(
        "enterprise__size_class", "enterprise__size_year", "enterprise__industry_code", "employees", "revenue",
        "total_assets", "size_class")
    for stored, size_year, industry, staff, revenue, assets, row_size in latest:
        # Recomputed here with the scalar rules, independently of the vectorised path the generator uses.
        expected = sizing.size_class(sizing.industry_category(industry), staff, revenue, assets) or ""
        assert (stored, size_year, row_size) == (expected, years[-1], expected)


def test_tier_shares_plausible_and_biased_to_rd(province: None) -> None:
    tiers = Counter(Enterprise.objects.values_list("tier", flat=True))
    share = {tier: tiers[tier] / COUNT for tier in Tier.values}
    provincial_and_up = sum(share[t] for t in (Tier.PROVINCIAL, Tier.PROVINCIAL_CHAMPION, Tier.LITTLE_GIANT,
                                               Tier.SINGLE_CHAMPION))
    assert 0.15 <= share[Tier.INNOVATIVE] <= 0.25
    assert 0.09 <= provincial_and_up <= 0.15
    assert 0.01 <= share[Tier.LITTLE_GIANT] <= 0.035
    assert share[Tier.SINGLE_CHAMPION] <= 0.008
    assert 0.6 <= share[Tier.NONE] <= 0.76
    champions = Enterprise.objects.filter(tier=Tier.SINGLE_CHAMPION).values_list("industry_division", flat=True)
    assert all("13" <= division <= "43" for division in champions)
    assert _mean_rd_ratio(tiered=True) > 1.5 * _mean_rd_ratio(tiered=False)


def _mean_rd_ratio(*, tiered: bool) -> float:
    rows = Indicator.objects.filter(year=demo_data.LAST_YEAR)
    rows = rows.exclude(enterprise__tier="") if tiered else rows.filter(enterprise__tier="")
    ratios = [float(rd / revenue) for rd, revenue in rows.values_list("rd_expense", "revenue") if rd and revenue]
    return sum(ratios) / len(ratios)


def test_same_seed_same_rows_other_seed_different(province: None) -> None:
    stored = _first_rows()
    again = demo_data.generate(SEED, 50).enterprises  # a smaller province starts with the same rows
    assert [row[:3] for row in stored] == list(again.select("credit_code", "name", "city_code").iter_rows())
    Enterprise.objects.all().delete()
    call_command("generate_demo", enterprises=COUNT, seed=SEED)
    assert _first_rows() == stored
    Enterprise.objects.all().delete()
    call_command("generate_demo", enterprises=COUNT, seed=SEED + 1)
    other = _first_rows()
    assert sum(a != b for a, b in zip(other, stored, strict=True)) == 50


def test_refuses_existing_registry_unless_append(province: None) -> None:
    with pytest.raises(CommandError, match="已有 2,000 家企业"):
        call_command("generate_demo", enterprises=100, seed=SEED)
    assert Enterprise.objects.count() == COUNT
    call_command("generate_demo", enterprises=100, seed=SEED, append=True)
    codes = list(Enterprise.objects.values_list("credit_code", flat=True))
    assert len(codes) == len(set(codes)) == COUNT + 100
    assert Indicator.objects.count() == (COUNT + 100) * 3


def test_append_avoids_codes_already_registered(db: None) -> None:
    # Two enterprises entered by hand carry the codes the generator gives rows 1 and 2 of seed 6 …
    clashing = demo_data.generate(6, 3).enterprises
    for code in clashing["credit_code"]:
        Enterprise.objects.create(credit_code=code, name="手工录入企业有限公司", city_code="340100",
                                  industry_code="3562")
    Enterprise.objects.filter(credit_code=clashing["credit_code"][0]).delete()
    # … then appending seed 6 from row 2 on: row 2's code is taken and must be replaced by a fresh valid one.
    call_command("generate_demo", enterprises=5, seed=6, append=True)
    codes = list(Enterprise.objects.values_list("credit_code", flat=True))
    assert len(codes) == len(set(codes)) == 7
    assert all(creditcode.is_valid(c) for c in codes)
