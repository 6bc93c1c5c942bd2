"""Awards pages, the payment list workbook and the API show the same money."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_user
from zjtx.accounts.roles import Role
from zjtx.awards import services
from zjtx.awards.models import Entitlement

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_enterprise_confirms_city_passes_province_pays_through_pages(people, enterprise, applicant):
    from zjtx.awards.tests.conftest import national_entitlement

    entitlement = national_entitlement(people, enterprise)
    services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="500")
    act = lambda pk, action: reverse("awards:entitlement_act", args=[pk, action])  # noqa: E731
    wrong = {"account_name": "错误户名", "bank_name": "徽商银行", "account_no": "6228480012345678"}
    page = client_for(applicant).post(act(entitlement.pk, "confirm_account"), wrong, follow=True).content.decode()
    assert "收款户名必须与企业名称" in page
    client_for(applicant).post(act(entitlement.pk, "confirm_account"),
                               {"account_name": enterprise.name, "bank_name": "徽商银行",
                                "account_no": "6228480012345678"})
    client_for(people["city"]).post(act(entitlement.pk, "city_pass"))
    province = client_for(people["province"])
    province.post(act(entitlement.pk, "approve"))
    province.post(act(entitlement.pk, "pay"))
    assert Entitlement.objects.get(pk=entitlement.pk).status == Entitlement.Status.PAID
    page = province.post(act(entitlement.pk, "approve"), follow=True).content.decode()
    assert "当前状态为“已拨付”，不能省级审批" in page
    for name in ("awards:entitlements", "awards:budgets", "awards:ledger", "awards:payments"):
        assert province.get(reverse(name)).status_code == 200
    budgets = province.get(reverse("awards:budgets")).content.decode()
    assert ">500.00<" in budgets and ">400.00<" in budgets

    workbook = load_workbook(io.BytesIO(province.get(reverse("awards:payments_xlsx") + "?city=340100").content))
    sheet = workbook.active
    assert "拨付清单" in sheet["A1"].value and sheet["A2"].value == "单位：万元"
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any(row[1] == enterprise.credit_code and row[10] == 100 for row in values)
    assert any(str(row[0]).startswith("合计（1 家企业") and row[10] == 100 for row in values)
    assert any(row[0] == "经办人：" for row in values)

    api = province.get("/api/v1/awards/payments?city=340100").json()
    assert Decimal(api["total"]) == Decimal("100") and api["rows"][0]["credit_code"] == enterprise.credit_code
    assert (api["rows"][0]["account_name"], api["rows"][0]["account_no"]) == (enterprise.name, "6228480012345678")
    assert province.get("/api/v1/awards/payments?city=999999").status_code == 400
    assert Decimal(province.get("/api/v1/awards/budgets").json()[0]["remaining"]) == Decimal("400")
    refused = province.post(f"/api/v1/awards/entitlements/{entitlement.pk}/approve")
    assert refused.status_code == 409 and refused.json()["code"] == "illegal_transition"


def test_roles_without_awards_view_are_refused(people, enterprise):
    from zjtx.awards.tests.conftest import national_entitlement

    entitlement = national_entitlement(people, enterprise)
    assert client_for(make_user(Role.BANK)).get(reverse("awards:entitlements")).status_code == 403
    assert client_for(people["other_city"]).get(reverse("awards:entitlement", args=[entitlement.pk])).status_code == 404
    assert client_for(people["city"]).get(reverse("awards:entitlement", args=[entitlement.pk])).status_code == 200


def test_payment_list_workbook_shows_local_booking_time():
    import datetime as dt

    from zjtx.awards.exports import payment_list_xlsx
    from zjtx.awards.selectors import PaymentList

    row = {"credit_code": "91340100MA2N0000XX", "enterprise": "某公司", "city": "合肥市", "award": "奖补",
           "clause": "二(一)2", "funding_level": "省级", "budget_year": 2026, "budget_line": "专项资金",
           "kind": "拨付", "amount": Decimal("50"), "account_name": "某公司", "bank_name": "徽商银行",
           "account_no": "6228480012345678", "at": dt.datetime(2026, 11, 30, 2, 21, tzinfo=dt.UTC)}
    data = PaymentList(title="拨付清单", rows=[row], total=Decimal("50"), enterprises=1, batch=None, city_code="",
                       count=1)
    sheet = load_workbook(io.BytesIO(payment_list_xlsx(data))).active
    assert sheet.cell(row=4, column=15).value == "2026-11-30 10:21"  # Asia/Shanghai, as on the pages
    # A complete payment instruction: whom, which bank, which account.
    assert [sheet.cell(row=3, column=c).value for c in (12, 13, 14)] == ["收款户名", "开户银行", "银行账号"]
    assert [sheet.cell(row=4, column=c).value for c in (12, 13, 14)] == ["某公司", "徽商银行", "6228480012345678"]


def test_payment_list_workbook_keeps_typed_text_as_text_not_formulas():
    """An enterprise's bank name "=HYPERLINK(…)" became a live formula in the province's workbook."""
    import datetime as dt

    from zjtx.awards.exports import AMOUNT_FORMAT, payment_list_xlsx
    from zjtx.awards.selectors import PaymentList

    typed = '=HYPERLINK("http://example.com","点此核对")'
    row = {"credit_code": "91340100MA2N0000XX", "enterprise": "=1+2", "city": "合肥市", "award": "奖补",
           "clause": "二(一)2", "funding_level": "省级", "budget_year": 2026, "budget_line": "专项资金",
           "kind": "冲销", "amount": Decimal("-50"), "account_name": "@SUM(1)", "bank_name": typed,
           "account_no": "6228480012345678", "at": dt.datetime(2026, 11, 30, 2, 21, tzinfo=dt.UTC)}
    data = PaymentList(title="拨付清单", rows=[row], total=Decimal("-50"), enterprises=1, batch=None, city_code="",
                       count=1)
    sheet = load_workbook(io.BytesIO(payment_list_xlsx(data))).active
    assert (sheet.cell(row=4, column=13).value, sheet.cell(row=4, column=13).data_type) == (typed, "s")
    assert (sheet.cell(row=4, column=3).value, sheet.cell(row=4, column=3).data_type) == ("=1+2", "s")
    assert (sheet.cell(row=4, column=12).value, sheet.cell(row=4, column=12).data_type) == ("@SUM(1)", "s")
    assert sheet.cell(row=4, column=13).quotePrefix  # stays text when someone edits the cell
    amount = sheet.cell(row=4, column=11)
    assert (amount.value, amount.data_type, amount.number_format) == (-50, "n", AMOUNT_FORMAT)


def test_payment_list_and_ledger_tell_a_reissue_to_a_corrected_account_apart(people, ready, enterprise, applicant):
    from zjtx.awards.tests.conftest import paid_reversed_and_reissued

    paid_reversed_and_reissued(people, ready, enterprise, applicant)

    def accounts(user, name, testid):
        page = client_for(user).get(name if name.startswith("/") else reverse(name)).content.decode()
        cells = page.split(f'data-testid="{testid}">')[1:]
        return [" ".join(cell[:cell.index("</div>")].replace("<br>", " ").split()) for cell in cells]

    old = f'{enterprise.name} <span class="muted">徽商银行合肥分行 · '
    new = f'{enterprise.name} <span class="muted">建设银行 · '
    # The province pays from the list: whole numbers, in booking order (payment, reversal, reissue).
    assert accounts(people["province"], "awards:payments", "payment-account") == [
        f"{old}6228480012345678</span>", f"{old}6228480012345678</span>", f"{new}6217000099998888</span>"]
    # The others read the last four digits, enough to tell the lines apart; the ledger is newest first.
    for user in (people["city"], applicant):
        assert accounts(user, "awards:ledger", "ledger-account") == [
            f"{new}****8888</span>", f"{old}****5678</span>", f"{old}****5678</span>"]
        assert "6228480012345678" not in client_for(user).get(reverse("awards:payments")).content.decode()
    # The entitlement's own page lists its lines with their accounts too, in booking order.
    assert accounts(people["province"], reverse("awards:entitlement", args=[ready.pk]), "entry-account") == [
        f"{old}6228480012345678</span>", f"{old}6228480012345678</span>", f"{new}6217000099998888</span>"]
    assert accounts(applicant, reverse("awards:entitlement", args=[ready.pk]), "entry-account") == [
        f"{old}****5678</span>", f"{old}****5678</span>", f"{new}****8888</span>"]


def test_city_payment_list_offers_only_its_own_city(people):
    hefei = client_for(people["city"])
    page = hefei.get(reverse("awards:payments") + "?city=340200").content.decode()
    assert "专精特新奖补资金拨付清单（合肥市）" in page and "芜湖市" not in page
    workbook = load_workbook(io.BytesIO(hefei.get(reverse("awards:payments_xlsx") + "?city=340200").content))
    assert workbook.active["A1"].value == "专精特新奖补资金拨付清单（合肥市）"
    province = client_for(people["province"]).get(reverse("awards:payments")).content.decode()
    assert 'data-testid="payment-city"' in province and "芜湖市" in province


def test_account_errors_show_at_the_field_with_what_was_typed(people, enterprise, applicant):
    from zjtx.awards.tests.conftest import national_entitlement

    entitlement = national_entitlement(people, enterprise)
    qiye = client_for(applicant)
    page = qiye.get(reverse("awards:entitlement", args=[entitlement.pk])).content.decode()
    assert 'name="account_no"' in page and 'name="note"' not in page  # 免申即享: no 申请说明
    url = reverse("awards:entitlement_act", args=[entitlement.pk, "confirm_account"])
    response = qiye.post(url, {"account_name": enterprise.name, "bank_name": "徽商银行", "account_no": "62220abc"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="62220abc"' in page and 'value="徽商银行"' in page
    field = page[page.index('name="account_no"'):]
    assert "银行账号应为8到32位数字" in field[:field.index("</label>")]
    page = qiye.post(url, {"account_name": enterprise.name, "bank_name": "", "account_no": "6228480012345678"})
    assert "开户银行：不能为空" in page.content.decode() and 'value="6228480012345678"' in page.content.decode()
    entitlement.refresh_from_db()
    assert entitlement.status == Entitlement.Status.AWAITING_ACCOUNT and entitlement.account_no == ""


def test_account_number_typed_as_printed_on_the_card_is_accepted(people, enterprise, applicant):
    from zjtx.awards.tests.conftest import national_entitlement

    entitlement = national_entitlement(people, enterprise)
    url = reverse("awards:entitlement_act", args=[entitlement.pk, "confirm_account"])
    page = client_for(applicant).post(url, {"account_name": enterprise.name, "bank_name": "工商银行",
                                            "account_no": "1302-0100-0900-1234-567"}, follow=True).content.decode()
    assert "收款账户已确认" in page
    entitlement.refresh_from_db()
    assert entitlement.account_no == "1302010009001234567"


def test_enterprise_corrects_the_account_of_a_reversed_entitlement_on_its_page(people, ready, enterprise, applicant):
    services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="500")
    entry = services.entitlement_approve_and_pay(user=people["province"], entitlement=ready)
    services.ledger_reverse(user=people["province"], entry=entry, reason="账号有误")
    qiye = client_for(applicant)
    page = qiye.get(reverse("awards:entitlement", args=[ready.pk])).content.decode()
    assert "更正收款账户" in page and 'name="note"' in page
    url = reverse("awards:entitlement_act", args=[ready.pk, "correct_account"])
    page = qiye.post(url, {"account_name": enterprise.name, "bank_name": "建设银行", "account_no": "6217000099998888",
                           "note": "原账号已销户"}, follow=True).content.decode()
    assert "收款账户已更正" in page and "6217000099998888" in page


def test_entitlement_list_pages_totals_and_filters(people, enterprise):
    from zjtx.awards.tests.conftest import national_entitlement
    from zjtx.tiers.tests.conftest import qualifying_enterprise

    first = national_entitlement(people, enterprise)  # 100 万元
    fields = {f.name: getattr(first, f.name) for f in Entitlement._meta.concrete_fields
              if f.name not in ("id", "award", "amount", "created_at", "updated_at")}
    Entitlement.objects.bulk_create([Entitlement(**fields, award=f"award{i}", amount=Decimal("1.5"))
                                     for i in range(60)])
    wuhu = national_entitlement(people, qualifying_enterprise(city_code="340200", name="芜湖某公司",
                                                              credit_code="91340200MA2N00001B"))
    province = client_for(people["province"])
    page = province.get(reverse("awards:entitlements")).content.decode()
    assert "共 62 项，合计 290.00 万元" in page and "第 1 / 2 页" in page and "page=2" in page
    assert page.count('href="/awards/entitlements/') == 50
    page = province.get(reverse("awards:entitlements") + "?city=340200").content.decode()
    assert "共 1 项，合计 100.00 万元" in page and reverse("awards:entitlement", args=[wuhu.pk]) in page
    page = province.get(reverse("awards:entitlements") + "?q=芜湖&page=9").content.decode()
    assert "共 1 项，合计 100.00 万元" in page and "芜湖某公司" in page
    page = province.get(reverse("awards:entitlements") + f"?q={enterprise.credit_code[:12]}").content.decode()
    assert "共 61 项，合计 190.00 万元" in page
    city = client_for(people["city"]).get(reverse("awards:entitlements") + "?city=340200").content.decode()
    assert "共 61 项" in city and 'name="city"' not in city


def test_the_ledger_pages_with_the_count_and_net_total(people, ready, monkeypatch):
    from zjtx.awards import selectors

    monkeypatch.setattr(selectors, "ENTITLEMENTS_PER_PAGE", 1)
    services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="500")
    entry = services.entitlement_approve_and_pay(user=people["province"], entitlement=ready)
    services.ledger_reverse(user=people["province"], entry=entry, reason="账号有误")
    province = client_for(people["province"])
    page = province.get(reverse("awards:ledger")).content.decode()
    assert "共 2 条分录，净额 0.00 万元" in page and "第 1 / 2 页" in page and "page=2" in page
    assert page.count("<td>#") == 1  # one line on the page
    second = province.get(reverse("awards:ledger") + "?page=2").content.decode()
    assert f"<td>#{entry.pk}</td>" in second


@pytest.mark.parametrize("batch", ["99999999999999999999999", "424242"])
def test_payment_list_with_a_batch_no_batch_has_lists_all(people, batch):
    province = client_for(people["province"])
    page = province.get(reverse("awards:payments"), {"batch": batch})
    assert page.status_code == 200 and "拨付清单（全部）" in page.content.decode()
    assert province.get(reverse("awards:payments_xlsx"), {"batch": batch}).status_code == 200


def test_the_entitlement_page_shows_what_stands_paid_after_a_smaller_reissue(people, ready, enterprise, applicant):
    services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="500")
    entry = services.entitlement_approve_and_pay(user=people["province"], entitlement=ready)
    services.ledger_reverse(user=people["province"], entry=entry, reason="金额有误")
    services.ledger_reissue(user=people["province"], entitlement=ready, amount="40", reason="按核定金额重拨")
    page = client_for(people["province"]).get(reverse("awards:entitlement", args=[ready.pk])).content.decode()
    assert 'data-testid="entitlement-amount">100.00 万元' in page and 'data-testid="net-paid">40.00 万元' in page


def test_a_city_chosen_with_provincial_funds_is_refused_not_set_as_the_provinces_budget(people):
    """The form opens on 省级; choosing 合肥市 and 50 without switching to 市级 overwrote the province's 3000."""
    from zjtx.awards.models import Budget

    services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="3000")
    page = client_for(people["province"]).post(reverse("awards:budgets"), {
        "year": "2026", "funding_level": "省级", "city_code": "340100", "line": "", "allocated": "50"}).content.decode()
    assert "省级资金不分市。为合肥市下达请把资金层级选为市级" in page
    assert list(Budget.objects.values_list("funding_level", "city_code", "allocated")) == [
        ("省级", "", Decimal("3000"))]


def test_payment_list_workbook_and_api_show_the_account_as_the_page_does(people, ready, enterprise, applicant):
    """The page gave a city user or the enterprise ****5678; its Excel and API gave the whole number."""
    from tests.factories import logged_in
    from zjtx.awards.tests.conftest import paid_reversed_and_reissued

    paid_reversed_and_reissued(people, ready, enterprise, applicant)

    def numbers(user):
        client = client_for(user)
        sheet = load_workbook(io.BytesIO(client.get(reverse("awards:payments_xlsx")).content)).active
        in_sheet = [sheet.cell(row=r, column=14).value for r in range(4, 7)]
        in_api = [r["account_no"] for r in logged_in(user).get("/api/v1/awards/payments").json()["rows"]]
        return in_sheet, in_api

    for user in (people["city"], applicant):
        expected = ["****5678", "****5678", "****8888"]
        assert numbers(user) == (expected, expected)
    whole = ["6228480012345678", "6228480012345678", "6217000099998888"]
    assert numbers(people["province"]) == (whole, whole)


def test_a_county_users_payment_list_is_titled_by_its_county(people, ready, enterprise, applicant):
    """A 蜀山区 official's list holds its county's lines only; it was titled 合肥市 as if it were the city's."""
    from zjtx.awards.tests.conftest import paid_reversed_and_reissued

    enterprise.county_code = "340104"
    enterprise.save(update_fields=["county_code"])
    paid_reversed_and_reissued(people, ready, enterprise, applicant)
    shushan = client_for(make_user(Role.CITY, city_code="340100", county_code="340104"))
    assert "专精特新奖补资金拨付清单（合肥市蜀山区）" in shushan.get(reverse("awards:payments")).content.decode()
    sheet = load_workbook(io.BytesIO(shushan.get(reverse("awards:payments_xlsx")).content)).active
    assert sheet["A1"].value == "专精特新奖补资金拨付清单（合肥市蜀山区）" and sheet.cell(row=4, column=2).value
    city = client_for(people["city"]).get(reverse("awards:payments")).content.decode()
    assert "专精特新奖补资金拨付清单（合肥市）" in city


def test_payment_list_gives_each_funding_sources_share_of_the_total(people, ready, enterprise, applicant):
    """A city's list mixed 省级 and 市级 money in one 合计; each is paid from its own budget."""
    from tests.factories import logged_in
    from zjtx.policy.events import programme_event_announce, programme_event_record
    from zjtx.tiers.tests.conftest import TODAY

    province = people["province"]
    services.budget_set(user=province, year=2026, funding_level="省级", allocated="500")
    services.budget_set(user=province, year=2026, funding_level="市级", city_code="340100", allocated="50")
    services.entitlement_approve_and_pay(user=province, entitlement=ready)  # 小巨人 100, 省级
    event = programme_event_record(user=province, enterprise=enterprise, kind="publicity", date=TODAY,
                                   amount=Decimal("10"))
    programme_event_announce(user=province, event=event)
    for share in Entitlement.objects.filter(award__startswith="publicity."):  # 省级 50% = 5, 市级 30% = 3
        services.entitlement_confirm_account(user=applicant, entitlement=share, account_name=enterprise.name,
                                             bank_name="徽商银行", account_no="6228480012345678")
        services.entitlement_city_check(user=people["city"], entitlement=share, approve=True)
        services.entitlement_approve_and_pay(user=province, entitlement=share)
    page = client_for(people["city"]).get(reverse("awards:payments")).content.decode()
    subtotals = [" ".join(cell.split("</tr>")[0].replace("</td><td class=\"num\">", " ").replace("</td>", "").split())
                 for cell in page.split('data-testid="payment-subtotal"><td colspan="10">')[1:]]
    assert subtotals == ["其中：省级资金 105.00", "其中：市级资金 3.00"]
    sheet = load_workbook(io.BytesIO(client_for(people["city"]).get(reverse("awards:payments_xlsx")).content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    shares = [(r[0], r[10]) for r in values if str(r[0]).startswith("其中")]
    assert shares == [("其中：省级资金", 105), ("其中：市级资金", 3)]
    api = logged_in(people["city"]).get("/api/v1/awards/payments").json()
    assert (api["total"], api["by_funding_level"]) == ("108", {"省级": "105", "市级": "3"})


def test_a_payment_stays_on_the_list_of_the_city_it_was_booked_for(people, ready, enterprise, applicant):
    """Once a paid enterprise moved from 合肥 to 芜湖, its line was on neither city's payment list: 合肥 no longer
    saw the enterprise, 芜湖's list is of lines booked for 芜湖. 合肥's budget still counts it as paid."""
    from zjtx.awards.models import Budget

    services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="500")
    services.entitlement_approve_and_pay(user=people["province"], entitlement=ready)
    enterprise.city_code = "340200"
    enterprise.save(update_fields=["city_code"])
    hefei = client_for(people["city"])
    assert enterprise.name in hefei.get(reverse("awards:payments")).content.decode()
    assert enterprise.name in hefei.get(reverse("awards:ledger")).content.decode()
    wuhu = client_for(people["other_city"]).get(reverse("awards:payments")).content.decode()
    assert enterprise.name not in wuhu
    assert services.budget_figures(Budget.objects.get())["paid"] == Decimal("100")


def test_the_entitlement_total_leaves_out_the_refused_and_shows_them_apart(people, ready, enterprise, applicant):
    """合计 added the amounts of 不予兑现 entitlements to those still owed: 108.00 for 105.00 that can be paid."""
    from zjtx.policy.events import programme_event_announce, programme_event_record
    from zjtx.tiers.tests.conftest import TODAY

    event = programme_event_record(user=people["province"], enterprise=enterprise, kind="publicity", date=TODAY,
                                   amount=Decimal("10"))
    programme_event_announce(user=people["province"], event=event)  # 省级 5, 市级 3
    city_share = Entitlement.objects.get(award__startswith="publicity.", funding_level="市级")
    services.entitlement_confirm_account(user=applicant, entitlement=city_share, account_name=enterprise.name,
                                         bank_name="徽商银行", account_no="6228480012345678")
    services.entitlement_city_check(user=people["city"], entitlement=city_share, approve=False, reason="材料不全")
    for user in (people["province"], people["city"], applicant):
        page = client_for(user).get(reverse("awards:entitlements")).content.decode()
        assert "共 3 项，合计 105.00 万元（不含不予兑现的 1 项 3.00 万元），已拨付净额 0.00 万元" in page
    refused = client_for(people["province"]).get(reverse("awards:entitlements") + "?status=rejected")
    assert "共 1 项，合计 0.00 万元（不含不予兑现的 1 项 3.00 万元）" in refused.content.decode()


def test_the_old_city_reads_the_awards_its_ledger_lists_after_the_enterprise_moved(people, enterprise, applicant):
    """合肥 paid a 市级 award from its own budget; the enterprise then moved to 芜湖. 合肥's ledger still lists the
    line, but its link gave 404: 合肥 may read the award (and act on nothing), not the enterprise's others."""
    from zjtx.policy.events import programme_event_announce, programme_event_record
    from zjtx.tiers.tests.conftest import TODAY

    province = people["province"]
    services.budget_set(user=province, year=2026, funding_level="市级", city_code="340100", allocated="50")
    event = programme_event_record(user=province, enterprise=enterprise, kind="publicity", date=TODAY,
                                   amount=Decimal("10"))
    programme_event_announce(user=province, event=event)
    city_share = Entitlement.objects.get(award__startswith="publicity.", funding_level="市级")
    unpaid = Entitlement.objects.get(award__startswith="publicity.", funding_level="省级")
    services.entitlement_confirm_account(user=applicant, entitlement=city_share, account_name=enterprise.name,
                                         bank_name="徽商银行", account_no="6228480012345678")
    services.entitlement_city_check(user=people["city"], entitlement=city_share, approve=True)
    services.entitlement_approve_and_pay(user=province, entitlement=city_share)
    enterprise.city_code, enterprise.county_code = "340200", ""
    enterprise.save(update_fields=["city_code", "county_code"])

    hefei = client_for(people["city"])
    link = reverse("awards:entitlement", args=[city_share.pk])
    assert f'href="{link}"' in hefei.get(reverse("awards:ledger")).content.decode()
    page = hefei.get(link)
    assert page.status_code == 200
    text = page.content.decode()
    assert city_share.award_label in text and "仅供查看" in text and f'action="{link}' not in text
    assert hefei.post(reverse("awards:entitlement_act", args=[city_share.pk, "city_pass"])).status_code == 404
    assert hefei.get(reverse("awards:entitlement", args=[unpaid.pk])).status_code == 404
    third = client_for(make_user(Role.CITY, city_code="340300"))
    assert third.get(link).status_code == 404
    wuhu = client_for(people["other_city"]).get(link).content.decode()
    assert city_share.award_label in wuhu and "仅供查看" not in wuhu


def test_entitlement_list_holds_the_ledger_net_against_the_award_total(people, ready, enterprise, applicant):
    """After a smaller reissue (60 of 100) the list said 合计 100.00 and nothing of what the ledger paid."""
    services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="500")
    entry = services.entitlement_approve_and_pay(user=people["province"], entitlement=ready)
    services.ledger_reverse(user=people["province"], entry=entry, reason="金额有误")
    services.ledger_reissue(user=people["province"], entitlement=ready, amount="60", reason="按核定金额重拨")
    for user in (people["province"], people["city"], applicant):
        page = client_for(user).get(reverse("awards:entitlements") + "?status=paid").content.decode()
        assert "共 1 项，合计 100.00 万元，已拨付净额 60.00 万元" in page
    page = client_for(people["other_city"]).get(reverse("awards:entitlements")).content.decode()
    assert "共 0 项，合计 0.00 万元，已拨付净额 0.00 万元" in page


def test_budgets_list_the_province_first_then_the_cities_in_the_sites_order(people):
    """市级 sorted before 省级 by its text: the province's own budget came after the sixteen cities'."""
    from tests.factories import logged_in

    for year, level, city in [(2025, "省级", ""), (2026, "市级", "341800"), (2026, "市级", "340200"),
                              (2026, "省级", ""), (2026, "市级", "340100")]:
        services.budget_set(user=people["province"], year=year, funding_level=level, city_code=city, allocated="10")
    expected = ["2026-省级-", "2026-市级-340100", "2026-市级-340200", "2026-市级-341800", "2025-省级-"]
    page = client_for(people["province"]).get(reverse("awards:budgets")).content.decode()
    assert [part.split('"')[0] for part in page.split('data-budget="')[1:]] == expected
    api = logged_in(people["province"]).get("/api/v1/awards/budgets").json()
    assert [f"{b['year']}-{b['funding_level']}-{b['city_code']}" for b in api] == expected


def _long_list(people, ready) -> list:
    """250 paid lines: 小巨人 100 (省级) and 1, 2, … 249 (市级 the odd ones, 省级 the even ones)."""
    from zjtx.awards.tests.conftest import more_paid_lines

    services.budget_set(user=people["province"], year=2026, funding_level="省级", allocated="500")
    entry = services.entitlement_approve_and_pay(user=people["province"], entitlement=ready)
    return [entry, *more_paid_lines(entry, 249)]


LONG_TOTAL, LONG_PROVINCE, LONG_CITY = Decimal(100 + 249 * 250 // 2), Decimal(100 + 124 * 125), Decimal(125 * 125)


def test_a_long_payment_list_shows_one_page_of_lines_and_the_figures_of_the_whole_list(people, ready):
    """The page listed every line the user may see, unpaged: at a province's whole ledger it was slow and huge."""
    from zjtx.core.templatetags.money import wan

    _long_list(people, ready)
    client = client_for(people["province"])

    def shown(query: str) -> tuple[str, list[str]]:
        page = client.get(reverse("awards:payments") + query).content.decode()
        numbers = [row.split("</td>")[0] for row in page.split('data-testid="payment-table">')[1].split("<tr><td>")[1:]]
        return page, numbers

    first, numbers = shown("")
    assert numbers == [str(n) for n in range(1, 101)]  # PAYMENTS_PER_PAGE
    last, numbers = shown("?page=3")
    assert numbers == [str(n) for n in range(201, 251)]
    assert "第 1–100 笔，共 250 笔" in first and "第 201–250 笔，共 250 笔" in last
    for page in (first, last):  # the total and each source's share are the whole list's, on every page
        assert f'data-testid="payment-total"><strong>{wan(LONG_TOTAL)}</strong>' in page
        assert "合计（1 家企业，250 笔）" in page
        parts = page.split('data-testid="payment-subtotal"><td colspan="10">')[1:]
        shares = [part.split("</td></tr>")[0] for part in parts]
        assert shares == [f'其中：省级资金</td><td class="num">{wan(LONG_PROVINCE)}',
                          f'其中：市级资金</td><td class="num">{wan(LONG_CITY)}']
    assert 'href="?page=2"' in first and 'href="?page=2"' in last  # 下一页, 上一页
    # The page links keep the filter; the export link is of the whole list, whatever page is shown.
    filtered, numbers = shown("?city=340100&page=2")
    assert numbers[0] == "101" and 'href="?city=340100&amp;page=3"' in filtered
    assert f'{reverse("awards:payments_xlsx")}?city=340100"' in filtered


def test_the_workbook_of_a_long_payment_list_holds_every_line_and_the_whole_lists_total(people, ready):
    """The workbook (what officials file) stays the whole list while the page shows one page of it."""
    _long_list(people, ready)
    response = client_for(people["province"]).get(reverse("awards:payments_xlsx") + "?page=2")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    lines = [row for row in rows if isinstance(row[0], int)]
    assert [row[0] for row in lines] == list(range(1, 251))
    assert sum(row[10] for row in lines) == LONG_TOTAL
    figures = [(row[0], row[10]) for row in rows if str(row[0]).startswith(("合计", "其中"))]
    assert figures == [("合计（1 家企业，250 笔）", LONG_TOTAL), ("其中：省级资金", LONG_PROVINCE),
                       ("其中：市级资金", LONG_CITY)]
    # Laid out as before: the title over every column, 合计 and 其中 labels over the columns before 金额.
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    assert {"A1:O1", "A2:O2", "A254:J254", "A255:J255", "A256:J256"} <= merged
    assert sheet["A254"].font.b and sheet.cell(row=4, column=11).border.left.style == "thin"
    assert sheet.freeze_panes == "A4" and sheet.print_title_rows == "$3:$3" and sheet.column_dimensions["C"].width == 30
    assert sheet.page_setup.orientation == "landscape"


def test_the_payment_list_workbook_reads_its_lines_once_as_it_writes_them():
    """A province's list is written line by line from a stream, not from a list held whole in memory."""
    import datetime as dt

    from zjtx.awards.exports import payment_list_xlsx
    from zjtx.awards.selectors import PaymentList

    def lines():
        for n in range(1, 1001):
            yield {"credit_code": "91340100MA2N0000XX", "enterprise": f"公司{n}", "city": "合肥市", "award": "奖补",
                   "clause": "二(一)2", "funding_level": "省级", "budget_year": 2026, "budget_line": "专项资金",
                   "kind": "拨付", "amount": Decimal(n), "account_name": "某公司", "bank_name": "徽商银行",
                   "account_no": "6228480012345678", "at": dt.datetime(2026, 11, 30, 2, 21, tzinfo=dt.UTC)}

    data = PaymentList(title="拨付清单", rows=lines(), total=Decimal(500500), enterprises=1000, batch=None,
                       city_code="", by_level={"省级": Decimal(500500)})
    data.count = 1000
    sheet = load_workbook(io.BytesIO(payment_list_xlsx(data))).active
    assert [sheet.cell(row=r, column=3).value for r in (4, 1003)] == ["公司1", "公司1000"]
    assert (sheet["A1004"].value, sheet["K1004"].value) == ("合计（1000 家企业，1000 笔）", 500500)


def test_a_payment_lists_lines_are_read_as_values_not_built_as_objects(people, ready, monkeypatch):
    """At 50,000 lines, making each line's ledger, enterprise, award and batch objects took longer than the
    query (docs/benchmarks.md, 拨付清单): the lines are read as plain values, and say the same."""
    from zjtx.awards import selectors
    from zjtx.awards.models import LedgerEntry
    from zjtx.enterprises.models import Enterprise

    _long_list(people, ready)
    built: list[str] = []
    for model in (LedgerEntry, Entitlement, Enterprise):
        real = model.from_db.__func__
        monkeypatch.setattr(model, "from_db", classmethod(
            lambda cls, *args, real=real: built.append(cls.__name__) or real(cls, *args)))
    rows = list(selectors.payment_list(user=people["province"]).rows)
    assert built == [] and len(rows) == 250
    first = LedgerEntry.objects.select_related("enterprise", "entitlement").order_by("id").first()
    assert rows[0] == {
        "id": first.pk, "at": first.created_at, "kind": "拨付", "kind_code": "payment",
        "credit_code": first.enterprise.credit_code, "enterprise": first.enterprise.name, "city_code": "340100",
        "city": "合肥市", "award": first.entitlement.award_label, "clause": first.clause, "amount": first.amount,
        "funding_level": first.funding_level, "budget_year": first.budget_year, "budget_line": first.budget_line,
        "account_name": first.account_name, "bank_name": first.bank_name, "account_no": first.account_no,
        "account_shown": first.account_no, "batch": "", "reason": "", "entitlement_id": first.entitlement_id}
    assert next(iter(selectors.payment_list(user=people["city"]).rows))["account_no"] == f"****{first.account_no[-4:]}"
