"""名单推送: by criteria or by credit codes, only the pusher's own place, to known partner banks; refusals by
field; audited; the bank's xlsx holds the list's enterprises with the public fields only."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.factories import logged_in, make_enterprise
from zjtx.core.models import AuditEvent
from zjtx.finance.models import PushedList
from zjtx.finance.tests.conftest import HUISHANG, ICBC, pushed

pytestmark = pytest.mark.django_db


def _push(client, **fields):
    data = {"title": "专精特新企业名单", "banks": [HUISHANG], "tier": "provincial", "city": "", "emerging": "",
            "codes": "", "note": ""} | fields
    return client.post("/finance/lists/new/", data)


def test_the_province_pushes_its_srdi_enterprises_to_two_banks(world):
    response = _push(logged_in(world["province"]), banks=[HUISHANG, ICBC])
    pushed_list = PushedList.objects.get()
    assert response["Location"] == f"/finance/lists/{pushed_list.pk}/"
    names = set(pushed_list.entries.values_list("enterprise__name", flat=True))
    assert names == {"甲精工有限公司", "乙科技有限公司"}  # 丙 is 创新型 only
    assert sorted(pushed_list.recipients.values_list("bank", flat=True)) == sorted([HUISHANG, ICBC])
    assert pushed_list.criteria == "全省，省专精特新企业及以上"
    event = AuditEvent.objects.get(action="finance.list_push")
    assert event.summary == f"推送名单《专精特新企业名单》（2 家企业）至{'、'.join(sorted([HUISHANG, ICBC]))}"


def test_a_city_pushes_its_own_enterprises_only(world):
    _push(logged_in(world["city"]), tier="innovative")
    names = set(PushedList.objects.get().entries.values_list("enterprise__name", flat=True))
    assert names == {"甲精工有限公司", "丙创新有限公司"}
    assert PushedList.objects.get().city_code == "340100"


def test_the_province_filters_by_city_and_industry(world):
    make_enterprise("340100", name="丁汽车零部件有限公司", tier="provincial", emerging_industry="nev_icv")
    _push(logged_in(world["province"]), city="340100", emerging="nev_icv")
    pushed_list = PushedList.objects.get()
    assert list(pushed_list.entries.values_list("enterprise__name", flat=True)) == ["丁汽车零部件有限公司"]
    assert pushed_list.criteria == "合肥市，省专精特新企业及以上，新能源汽车和智能网联汽车"


def test_a_selection_by_credit_codes_names_the_codes_it_cannot_push(world):
    client = logged_in(world["city"])
    page = _push(client, codes=f"{world['A'].credit_code}\n{world['B'].credit_code}\nNOTACODE").content.decode()
    assert (f"统一社会信用代码：第2个代码 {world['B'].credit_code}；第3个代码 NOTACODE 不在您可推送的企业中"
            in page)
    assert not PushedList.objects.exists()
    _push(client, codes=f" {world['A'].credit_code.lower()} \n\n{world['C'].credit_code}")
    assert set(PushedList.objects.get().entries.values_list("enterprise__name", flat=True)) == {
        "甲精工有限公司", "丙创新有限公司"}


@pytest.mark.parametrize(("fields", "message"), [
    ({"banks": []}, "推送至合作银行：请至少选择一家合作银行"),
    ({"banks": ["某某村镇银行"]}, "推送至合作银行：请从列表中选择合作银行"),
    ({"title": ""}, "名单名称：不能为空"),
    ({"tier": "single_champion"}, "按所选条件没有企业，名单不能为空"),
])
def test_a_refused_push_says_why_and_stores_nothing(world, fields, message):
    page = _push(logged_in(world["province"]), **fields).content.decode()
    assert message in page
    assert not PushedList.objects.exists() and not AuditEvent.objects.exists()


def test_the_banks_to_choose_are_the_units_of_the_bank_accounts(world):
    page = logged_in(world["province"]).get("/finance/lists/new/").content.decode()
    assert f'value="{HUISHANG}"' in page and f'value="{ICBC}"' in page


def test_the_export_holds_the_lists_enterprises_with_their_public_fields(world):
    a = world["A"]
    a.contact_name = "=HYPERLINK(\"x\")"
    a.save()
    pushed_list = pushed(world, [HUISHANG], "A", "B")
    response = logged_in(world["bank"]).get(f"/finance/lists/{pushed_list.pk}.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0] == ["序号", "统一社会信用代码", "企业名称", "所在市", "梯度层级", "联系人", "联系电话"]
    assert rows[1] == [1, a.credit_code, "甲精工有限公司", "合肥市", "省专精特新企业", '=HYPERLINK("x")',
                       "0551-63550001"]
    assert rows[2][1:5] == [world["B"].credit_code, "乙科技有限公司", "芜湖市", "国家级专精特新“小巨人”企业"]
    assert len(rows) == 3
    assert sheet["F4"].data_type == "s"  # typed text stays text, never a formula


def test_a_city_exports_only_its_own_enterprises_of_a_province_list(world):
    pushed_list = pushed(world, [HUISHANG], "A", "B")
    response = logged_in(world["city"]).get(f"/finance/lists/{pushed_list.pk}.xlsx")
    names = [row[2] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=4,
                                                                                            values_only=True)]
    assert names == ["甲精工有限公司"]
