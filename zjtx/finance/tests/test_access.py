"""Who may open what: role × page with exact status codes; a bank sees only the lists pushed to it and its own
loans (the key guarantee), a city only its place, an enterprise only its own requests."""

from __future__ import annotations

import pytest

from tests.factories import logged_in
from zjtx.core.navigation import modules_for
from zjtx.finance import selectors, services
from zjtx.finance.tests.conftest import HUISHANG, ICBC, TODAY, filed, pushed

pytestmark = pytest.mark.django_db

ROLES = ["province", "city", "county", "other_city", "jinrong", "keji", "bank", "bank2", "bank_none", "qiye",
         "officer", "expert"]
CLOSED = {"keji": 403, "officer": 403, "expert": 403}
PAGES = {
    "/finance/lists/": dict.fromkeys(ROLES, 200) | CLOSED | {"qiye": 403},
    "/finance/lists/new/": dict.fromkeys(ROLES, 403) | {"province": 200, "city": 200, "county": 200,
                                                        "other_city": 200},
    "/finance/loans/": dict.fromkeys(ROLES, 200) | CLOSED | {"qiye": 403},
    "/finance/loans/new/": dict.fromkeys(ROLES, 403) | {"bank": 200, "bank2": 200, "bank_none": 200},
    "/finance/credit/": dict.fromkeys(ROLES, 200) | CLOSED | {"qiye": 403, "bank": 403, "bank2": 403,
                                                               "bank_none": 403},
    "/finance/receivables/": dict.fromkeys(ROLES, 200) | CLOSED | {"bank": 403, "bank2": 403, "bank_none": 403},
    "/finance/receivables/new/": dict.fromkeys(ROLES, 403) | {"qiye": 200},
    "/finance/reserve/": dict.fromkeys(ROLES, 200) | CLOSED | {"bank": 403, "bank2": 403, "bank_none": 403},
    "/finance/reserve/new/": dict.fromkeys(ROLES, 403) | {"province": 200, "city": 200, "county": 200,
                                                          "other_city": 200},
}


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(world, role):
    client = logged_in(world[role])
    assert {path: client.get(path).status_code for path in PAGES} == {path: s[role] for path, s in PAGES.items()}
    assert ("finance" in {m.slug for m in modules_for(world[role])}) == (role not in CLOSED)


@pytest.mark.parametrize(("role", "lands_on"), [("bank", "/finance/lists/"), ("qiye", "/finance/receivables/"),
                                                ("province", "/finance/credit/"), ("jinrong", "/finance/credit/")])
def test_the_module_opens_where_the_role_works(world, role, lands_on):
    assert logged_in(world[role]).get("/finance/")["Location"] == lands_on


def test_a_bank_sees_only_the_lists_pushed_to_it_and_their_public_fields(world):
    mine = pushed(world, [HUISHANG], "A", title="徽商银行名单")
    other = pushed(world, [ICBC], "B", title="工商银行名单")
    client = logged_in(world["bank"])
    listed = client.get("/finance/lists/").content.decode()
    assert "徽商银行名单" in listed and "工商银行名单" not in listed
    assert client.get(f"/finance/lists/{other.pk}/").status_code == 404
    assert client.get(f"/finance/lists/{other.pk}.xlsx").status_code == 404
    page = client.get(f"/finance/lists/{mine.pk}/").content.decode()
    a = world["A"]
    for shown in (a.name, a.credit_code, "合肥市", "省专精特新企业", "张敏", "0551-63550001"):
        assert shown in page
    assert "乙科技有限公司" not in page
    assert f"/enterprises/{a.credit_code}/" not in page  # no way into the registry
    assert "8642" not in page and "8,642" not in page and "注册资本" not in page
    # and nothing of the registry itself
    assert client.get("/enterprises/").status_code == 403
    assert client.get(f"/enterprises/{a.credit_code}/").status_code in (403, 404)


def test_a_list_pushed_to_two_banks_is_seen_by_both_and_a_bank_account_without_a_unit_sees_none(world):
    shared = pushed(world, [HUISHANG, ICBC], "A")
    assert logged_in(world["bank"]).get(f"/finance/lists/{shared.pk}/").status_code == 200
    assert logged_in(world["bank2"]).get(f"/finance/lists/{shared.pk}/").status_code == 200
    assert logged_in(world["bank_none"]).get(f"/finance/lists/{shared.pk}/").status_code == 404


def test_a_bank_reads_its_own_name_among_a_lists_recipients_never_the_other_banks(world):
    import io

    import openpyxl

    shared = pushed(world, [HUISHANG, ICBC], "A")
    bank = logged_in(world["bank"])
    for url in ("/finance/lists/", f"/finance/lists/{shared.pk}/"):
        page = bank.get(url).content.decode()
        assert HUISHANG in page and ICBC not in page
    sheet = openpyxl.load_workbook(io.BytesIO(bank.get(f"/finance/lists/{shared.pk}.xlsx").content)).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows(max_row=3) for c in row if c.value)
    assert f"推送至：{HUISHANG}" in cells and ICBC not in cells
    province = logged_in(world["province"]).get(f"/finance/lists/{shared.pk}/").content.decode()
    assert HUISHANG in province and ICBC in province


def test_a_bank_sees_only_its_own_loans(world):
    pushed(world, [HUISHANG, ICBC], "A", "B")
    services.loan_record(user=world["bank"], enterprise=world["A"], granted_on=TODAY, amount="300", term_months=12,
                         special=True)
    services.loan_record(user=world["bank2"], enterprise=world["B"], granted_on=TODAY, amount="777", term_months=6)
    mine = logged_in(world["bank"]).get("/finance/loans/").content.decode()
    assert "甲精工有限公司" in mine and "300.00" in mine
    assert "乙科技有限公司" not in mine and "777.00" not in mine
    # the province and the reader see both; a city only its enterprises'
    assert "777.00" in logged_in(world["province"]).get("/finance/loans/").content.decode()
    assert "777.00" in logged_in(world["jinrong"]).get("/finance/loans/").content.decode()
    hefei = logged_in(world["city"]).get("/finance/loans/").content.decode()
    assert "300.00" in hefei and "777.00" not in hefei


def test_a_city_reads_its_own_enterprises_of_a_province_list_and_not_another_citys_list(world):
    province_list = pushed(world, [HUISHANG], "A", "B", "C")
    wuhu_list = pushed(world, [HUISHANG], "B", by="other_city", title="芜湖名单")
    hefei = logged_in(world["city"])
    page = hefei.get(f"/finance/lists/{province_list.pk}/").content.decode()
    assert "甲精工有限公司" in page and "丙创新有限公司" in page and "乙科技有限公司" not in page
    assert hefei.get(f"/finance/lists/{wuhu_list.pk}/").status_code == 404
    sizes = {x.title: x.size for x in selectors.list_page(world["city"]).object_list}
    assert sizes == {"专精特新企业名单": 2}  # its own two of the three
    assert [x.size for x in selectors.list_page(world["province"]).object_list] == [1, 3]
    county = logged_in(world["county"]).get(f"/finance/lists/{province_list.pk}/").content.decode()
    assert "甲精工有限公司" in county and "丙创新有限公司" not in county  # 蜀山区 only


def test_an_enterprise_sees_its_own_receivables_only(world):
    own, other = filed(world, "qiye"), filed(world, "qiye_b")
    client = logged_in(world["qiye"])
    assert client.get(f"/finance/receivables/{own.pk}/").status_code == 200
    assert client.get(f"/finance/receivables/{other.pk}/").status_code == 404
    listed = client.get("/finance/receivables/").content.decode()
    assert "甲精工有限公司" in listed and "乙科技有限公司" not in listed
    assert logged_in(world["other_city"]).get(f"/finance/receivables/{own.pk}/").status_code == 404
    assert logged_in(world["jinrong"]).get(f"/finance/receivables/{own.pk}/").status_code == 200
    assert logged_in(world["bank"]).get(f"/finance/receivables/{own.pk}/").status_code == 403


def test_the_reader_changes_nothing(world):
    receivable = filed(world)
    client = logged_in(world["jinrong"])
    page = client.get(f"/finance/receivables/{receivable.pk}/").content.decode()
    assert 'data-testid="send-form"' not in page
    refused = client.post(f"/finance/receivables/{receivable.pk}/send/").content.decode()
    assert "只有市级管理员、省级管理员可以转送债务人" in refused
    receivable.refresh_from_db()
    assert receivable.status == "filed"
    assert client.post("/finance/lists/new/", {"title": "x", "banks": [HUISHANG]}).status_code == 403


def test_an_enterprise_reads_whether_it_is_in_the_reserve(world):
    client = logged_in(world["qiye"])
    assert "尚未纳入上市后备资源库" in client.get("/finance/reserve/").content.decode()
    services.candidate_add(user=world["city"], enterprise=world["A"], board="bse", added_on=TODAY)
    other = services.candidate_add(user=world["other_city"], enterprise=world["B"], board="star", added_on=TODAY)
    page = client.get("/finance/reserve/").content.decode()
    assert "已纳入上市后备资源库" in page and "北交所" in page and "乙科技有限公司" not in page
    assert client.get(f"/finance/reserve/{other.pk}/").status_code == 404
    assert logged_in(world["city"]).get(f"/finance/reserve/{other.pk}/").status_code == 404
