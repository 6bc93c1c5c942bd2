"""Finance records for the accessibility test (tests/browser/test_accessibility.py): a list pushed to the bank,
a loan, a receivable and a reserve entry, so that every finance page is checked with a row in its tables; and
the pages each role opens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.factories import make_enterprise, make_user
from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.enterprises.models import Enterprise
from zjtx.finance import services


def finance_pages(province: User, applicant: User, enterprise: Enterprise) -> dict[str, list[str]]:
    bank = make_user(Role.BANK, "bank", organisation="徽商银行")
    listed = make_enterprise(enterprise.city_code, name="庐州新材料有限公司", tier="provincial")
    chosen = Enterprise.objects.filter(pk__in=[enterprise.pk, listed.pk])
    pushed = services.list_push(user=province, title="专精特新企业名单", banks=["徽商银行"], enterprises=chosen,
                                criteria="全省")
    services.loan_record(user=bank, enterprise=listed, granted_on=dt.date(2026, 5, 20), amount="500",
                         term_months=12, special=True)
    receivable = services.receivable_file(user=applicant, debtor="安徽大学", debtor_kind="institution",
                                          amount="80", document_no="FP-001", arose_on=dt.date(2026, 3, 1))
    candidate = services.candidate_add(user=province, enterprise=listed, board="bse", added_on=dt.date(2026, 1, 5))
    lists: list[Any] = ["/finance/lists/", f"/finance/lists/{pushed.pk}/", "/finance/loans/"]
    return {
        "province": [*lists, "/finance/lists/new/", "/finance/credit/", "/finance/receivables/",
                     f"/finance/receivables/{receivable.pk}/", "/finance/reserve/", "/finance/reserve/new/",
                     f"/finance/reserve/{candidate.pk}/"],
        "qiye": ["/finance/receivables/", "/finance/receivables/new/", f"/finance/receivables/{receivable.pk}/",
                 "/finance/reserve/"],
        "bank": ["/", *lists, "/finance/loans/new/"],
    }
