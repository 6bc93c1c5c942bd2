"""Recording an enterprise's facts (the inputs of the rules beyond the registry and the indicators)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from tests.factories import city_user, logged_in, make_enterprise, make_indicator, make_user, province_user
from zjtx.accounts.roles import Role
from zjtx.core.models import AuditEvent
from zjtx.policy.forms import FactsForm
from zjtx.policy.models import EnterpriseFacts

pytestmark = pytest.mark.django_db


def _post(client: Client, code: str, **values: str):  # the page after the redirect
    return client.post(f"/policy/facts/{code}/", values, follow=True)


def test_a_city_official_records_facts_and_the_explanation_uses_them():
    enterprise = make_enterprise(city_code="340100", tier="provincial")
    make_indicator(enterprise, 2024, rd_expense=Decimal("400"))
    client = logged_in(city_user("340100"))
    before = client.get(f"/policy/explain/{enterprise.credit_code}/").content.decode()
    missing = "从事特定细分市场年限：实际 缺"
    assert "补录认定要素" in before and missing in before
    page = _post(client, enterprise.credit_code, niche_years="6", niche_share_leading="true",
                 rd_institution_level="provincial", equity_financing_2y="2500.50", dev_eval_score="72.5")
    text = page.content.decode()
    assert "已保存认定要素 5 项" in text
    assert missing not in text and "从事特定细分市场年限：实际 6" in text
    assert "拥有经认定的省级以上研发机构：实际 省级，要求 国家级、省级" in text  # coded inputs read in Chinese
    assert EnterpriseFacts.objects.get(enterprise=enterprise).data == {
        "niche_years": 6,
        "niche_share_leading": True,
        "rd_institution_level": "provincial",
        "equity_financing_2y": 2500.5,
        "dev_eval_score": 72.5,
    }
    event = AuditEvent.objects.get(action="enterprise_facts_update")
    assert event.enterprise_code == enterprise.credit_code
    assert event.before == dict.fromkeys(event.after) and event.after["niche_years"] == 6
    history = client.get(f"/enterprises/{enterprise.credit_code}/").content.decode()
    assert "补录认定要素 5 项：" in history and "从事特定细分市场年限（年）、" in history  # the summary
    assert "从事特定细分市场年限（年）：空 → 6" in history and "自建研发机构级别：空 → 省级" in history
    assert "niche_years" not in history and "provincial" not in history
    # the form shows what is stored
    form = client.get(f"/policy/facts/{enterprise.credit_code}/").content.decode()
    assert 'name="niche_years" value="6"' in form and 'value="true" selected' in form


def test_clearing_a_fact_makes_it_unknown_and_keeps_facts_the_form_does_not_show():
    enterprise = make_enterprise(city_code="340100")
    EnterpriseFacts.objects.create(enterprise=enterprise, data={"niche_years": 4, "legacy_note": "x"})
    client = logged_in(province_user())
    _post(client, enterprise.credit_code, niche_years="")
    assert EnterpriseFacts.objects.get(enterprise=enterprise).data == {"legacy_note": "x"}
    event = AuditEvent.objects.get(action="enterprise_facts_update")
    assert event.before == {"niche_years": 4} and event.after == {"niche_years": None}
    # saving the same again changes nothing and writes no audit record
    page = _post(client, enterprise.credit_code, niche_years="")
    assert "认定要素没有变化" in page.content.decode()
    assert AuditEvent.objects.filter(action="enterprise_facts_update").count() == 1
    # an empty form for an enterprise without facts stores nothing, not even an empty row
    other = make_enterprise(city_code="340100")
    _post(client, other.credit_code)
    assert not EnterpriseFacts.objects.filter(enterprise=other).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("niche_years", "-1", "从事特定细分市场年限（年）：不能小于 0"),
        ("niche_years", "abc", "从事特定细分市场年限（年）：输入整数"),
        ("equity_financing_2y", "12.345", "近2年新增股权融资（合格机构投资者实缴，万元）：最多保留 2 位小数"),
        ("dev_eval_score", "101", "本年度专精特新发展评价得分：不能大于 100"),
        ("key_chain_field", "chain", "主导产品所属领域类别：选择一个有效的选项"),
    ],
)
def test_bad_facts_are_refused_by_field_and_nothing_is_saved(field, value, message):
    enterprise = make_enterprise(city_code="340100")
    client = logged_in(city_user("340100"))
    page = _post(client, enterprise.credit_code, **{"niche_years": "5", field: value})
    text = page.content.decode().replace(" ", "").replace("\u3002", "")
    assert message.replace(" ", "") in text, text[text.find("errorlist") - 200 : text.find("errorlist") + 300]
    assert "未保存任何数据" in text
    assert not EnterpriseFacts.objects.filter(enterprise=enterprise).exists()
    assert not AuditEvent.objects.filter(action="enterprise_facts_update").exists()


def test_only_province_and_the_enterprises_city_may_record_facts():
    enterprise = make_enterprise(city_code="340100")
    other_city = logged_in(city_user("340200", username="wuhu-official"))
    assert other_city.get(f"/policy/facts/{enterprise.credit_code}/").status_code == 404
    owner = make_user(Role.ENTERPRISE, "owner", credit_code=enterprise.credit_code)
    response = logged_in(owner).post(f"/policy/facts/{enterprise.credit_code}/", {"niche_years": "9"})
    assert response.status_code == 403
    assert "只有省级、市级管理员可以补录企业认定要素和专项事件" in response.content.decode()
    assert not EnterpriseFacts.objects.exists()
    explain = logged_in(owner).get(f"/policy/explain/{enterprise.credit_code}/").content.decode()
    assert "补录认定要素" not in explain


def test_every_fact_at_once_is_saved_and_audited_within_the_summary_limit():
    enterprise = make_enterprise(city_code="340100")
    values = {}
    form = FactsForm()
    for name, field in form.fields.items():
        choices = [c for c, _ in getattr(field, "choices", []) if c]
        values[name] = choices[0] if choices else "3"
    _post(logged_in(province_user()), enterprise.credit_code, **values)
    assert len(EnterpriseFacts.objects.get(enterprise=enterprise).data) == len(form.fields)
    event = AuditEvent.objects.get(action="enterprise_facts_update")
    assert len(event.after) == len(form.fields) and len(event.summary) <= 300 and event.summary.endswith("等")


def test_the_form_shows_money_in_wan_as_the_site_does_and_accepts_what_it_shows():
    enterprise = make_enterprise(city_code="340100")
    EnterpriseFacts.objects.create(enterprise=enterprise, data={"equity_financing_2y": 0.0,
                                                                "equity_financing_3y": 12345.5})
    client = logged_in(city_user("340100"))
    form = client.get(f"/policy/facts/{enterprise.credit_code}/").content.decode()
    assert 'name="equity_financing_2y" value="0.00"' in form
    assert 'name="equity_financing_3y" value="12,345.50"' in form
    assert "0.0\"" not in form and "12345.5" not in form
    # sent back as shown: nothing changed, nothing audited
    page = _post(client, enterprise.credit_code, equity_financing_2y="0.00", equity_financing_3y="12,345.50")
    assert "认定要素没有变化" in page.content.decode()
    assert not AuditEvent.objects.filter(action="enterprise_facts_update").exists()
    # a new amount typed with separators (full-width comma too) is read as 万元
    page = _post(client, enterprise.credit_code, equity_financing_2y="8，000.5", equity_financing_3y="1,008,000")
    assert "已保存认定要素 2 项" in page.content.decode()
    data = EnterpriseFacts.objects.get(enterprise=enterprise).data
    assert data == {"equity_financing_2y": 8000.5, "equity_financing_3y": 1008000.0}
