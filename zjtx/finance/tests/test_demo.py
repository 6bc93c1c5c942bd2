"""The demo gives every finance page content: lists pushed to the demo bank, loans, receivables in every state
(some overdue, two of the demo enterprise), a reserve with listings; and it runs once."""

from __future__ import annotations

import pytest

from tests.factories import make_enterprise, make_user
from zjtx.accounts.roles import Role
from zjtx.finance import access, selectors
from zjtx.finance.demo import load_demo_finance
from zjtx.finance.models import Loan, Receivable
from zjtx.finance.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_the_demo_fills_every_page_once(db):
    for n in range(60):
        make_enterprise("340100" if n % 2 else "340200", name=f"演示企业{n}", county_code="340104" if n % 2 else "",
                        tier=["provincial", "little_giant", "innovative"][n % 3], emerging_industry="nev_icv")
    qiye = make_user(Role.ENTERPRISE, "qiye", credit_code=make_enterprise("340100", tier="provincial").credit_code)
    province = make_user(Role.PROVINCE, "province")
    make_user(Role.CITY, "hefei", city_code="340100")
    bank = make_user(Role.BANK, "bank", organisation="徽商银行")
    loaded = load_demo_finance(2022, TODAY)
    assert loaded is not None and loaded.lists == 3 and loaded.loans > 0 and loaded.candidates > 0
    assert access.visible_lists(bank).count() == 2  # the province's first list and 合肥's
    assert Loan.objects.filter(bank="徽商银行").exists()
    assert set(Receivable.objects.values_list("status", flat=True)) == set(Receivable.Status.values)
    assert selectors.overdue(Receivable.objects.all(), TODAY).exists()
    assert access.visible_receivables(qiye).count() >= 2
    assert selectors.listings(province).total > 0
    assert load_demo_finance(2022, TODAY) is None
