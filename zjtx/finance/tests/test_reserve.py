"""上市后备资源库: officials admit their place's 专精特新 enterprises, record the stages in order and the listing
(board, code); listings per year of the plan's term beside the target."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import logged_in, make_enterprise
from zjtx.core.errors import ApplicationError
from zjtx.core.models import AuditEvent
from zjtx.finance import selectors, services
from zjtx.finance.models import ListingCandidate
from zjtx.finance.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def _add(world, who="city", enterprise="A", **fields):
    values = {"board": "bse", "added_on": dt.date(2025, 3, 1)} | fields
    return services.candidate_add(user=world[who], enterprise=world[enterprise], **values)


@pytest.mark.parametrize(("who", "enterprise", "message"), [
    ("city", "C", "丙创新有限公司不是省专精特新及以上企业，不能入库"),
    ("other_city", "A", "请填写本地区企业的统一社会信用代码"),
])
def test_only_srdi_enterprises_of_the_officials_place_are_admitted(world, who, enterprise, message):
    with pytest.raises(ApplicationError) as refused:
        _add(world, who, enterprise)
    assert (refused.value.field, refused.value.message) == ("enterprise", message)
    assert not ListingCandidate.objects.exists()


def test_an_enterprise_is_admitted_once(world):
    _add(world)
    with pytest.raises(ApplicationError, match="甲精工有限公司已在上市后备资源库中"):
        _add(world, "province")
    assert AuditEvent.objects.filter(action="finance.candidate_add").count() == 1


def test_stages_are_recorded_in_order_with_their_dates_and_a_listing_names_board_and_code(world):
    candidate = _add(world)
    services.candidate_advance(user=world["city"], candidate=candidate, stage="tutoring", on=dt.date(2025, 5, 1))
    with pytest.raises(ApplicationError, match="当前已是“辅导备案”，只能记录其后的阶段"):
        services.candidate_advance(user=world["city"], candidate=candidate, stage="tutoring", on=TODAY)
    with pytest.raises(ApplicationError, match=r"申报日期不能早于上一阶段的日期（2025-05-01）"):
        services.candidate_advance(user=world["city"], candidate=candidate, stage="filed", on=dt.date(2025, 4, 1))
    with pytest.raises(ApplicationError) as refused:
        services.candidate_advance(user=world["city"], candidate=candidate, stage="listed", on=TODAY, board="bse")
    assert (refused.value.field, refused.value.message) == ("stock_code", "请填写证券代码")
    done = services.candidate_advance(user=world["province"], candidate=candidate, stage="listed", on=TODAY,
                                      board="star", stock_code="688123")
    assert (done.stage, done.board, done.listed_on, done.stock_code) == ("listed", "star", TODAY, "688123")
    assert done.filed_on is None  # a stage skipped keeps no date
    summaries = list(AuditEvent.objects.filter(target_type="listingcandidate").order_by("id")
                     .values_list("summary", flat=True))
    assert summaries == ["纳入上市后备资源库（拟北交所）", "上市进展：辅导备案（2025-05-01）",
                         "上市进展：上市（2026-06-01，科创板 688123）"]


def test_listings_per_year_beside_the_five_year_target(world):
    for n, year in enumerate([2022, 2024, 2024, 2026]):
        firm = make_enterprise("340100", name=f"上市企业{n}", tier="provincial")
        candidate = services.candidate_add(user=world["province"], enterprise=firm, board="bse",
                                           added_on=dt.date(2022, 1, 1))
        services.candidate_advance(user=world["province"], candidate=candidate, stage="listed",
                                   on=dt.date(year, 6, 1), board="bse", stock_code=f"92000{n}")
    _add(world)
    data = selectors.listings(world["province"])
    assert data.goal.value == Decimal("50") and data.goal.unit == "家"
    assert data.years == [(2022, 1, 1), (2023, 0, 1), (2024, 2, 3), (2025, 0, 3), (2026, 1, 4)]
    assert data.total == 4 and data.completion == "8.0%"
    assert dict(data.stages)["后备培育"] == 1 and dict(data.stages)["上市"] == 4
    assert selectors.listings(world["other_city"]).total == 0
    page = logged_in(world["province"]).get("/finance/reserve/").content.decode()
    assert "5年新增专精特新上市企业以上 50 家" in page and 'data-testid="listing-total">4<' in page


def test_the_candidate_page_records_a_step_and_shows_a_refusal_beside_its_field(world):
    candidate = _add(world)
    client = logged_in(world["city"])
    page = client.post(f"/finance/reserve/{candidate.pk}/", {"stage": "tutoring", "on": "2024-01-01"}
                       ).content.decode()
    assert 'data-testid="on-error"' in page and "辅导备案日期不能早于上一阶段的日期（2025-03-01）" in page
    assert client.post(f"/finance/reserve/{candidate.pk}/", {"stage": "tutoring", "on": "2025-04-01"}
                       ).status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == "tutoring" and candidate.tutoring_on == dt.date(2025, 4, 1)
    assert logged_in(world["jinrong"]).post(f"/finance/reserve/{candidate.pk}/", {"stage": "filed",
                                                                                   "on": "2025-05-01"}
                                            ).status_code == 200
    candidate.refresh_from_db()
    assert candidate.stage == "tutoring"
