"""The 认定名单 and a batch's 申报汇总表 as Excel: what the page lists (its filters, the user's scope), with title,
header, count and signature lines; the experts' aggregate only for the province."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import logged_in, make_user
from zjtx.accounts.roles import Role
from zjtx.enterprises.models import Enterprise
from zjtx.tiers import services
from zjtx.tiers.models import Application, Recognition
from zjtx.tiers.tests.conftest import open_batch, qualifying_enterprise, submit, through

pytestmark = pytest.mark.django_db


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


def lines(ws) -> list[list]:
    """The lines under the header (row 3) up to the 合计 row."""
    out = []
    for row in ws.iter_rows(min_row=4, values_only=True):
        if isinstance(row[0], str) and row[0].startswith("合计"):
            break
        out.append(list(row))
    return out


def test_the_recognition_list_exports_what_the_page_filters_in_the_users_scope(people, applicant, enterprise,
                                                                               settings):
    through("recognized", people, applicant)
    wuhu = qualifying_enterprise(city_code="340200", name="芜湖精密制造有限公司")
    services.recognition_record_national(user=people["province"], enterprise=wuhu, tier="little_giant",
                                         certificate_no="工信部企业函〔2026〕88号", start_date=dt.date(2026, 5, 1))
    url = reverse("tiers:recognitions_export")
    ws = sheet_of(logged_in(people["province"]).get(url))
    assert ws["A1"].value.startswith("梯度培育认定名单（安徽省，截至 2026-06-01")
    assert [c.value for c in ws[3]][:4] == ["序号", "证书编号", "统一社会信用代码", "企业名称"]
    rows = lines(ws)
    assert [r[3] for r in rows] == [enterprise.name, "芜湖精密制造有限公司"]  # by city
    assert rows[0][1] == "皖专精特新冠军〔2026〕00001号" and rows[0][2] == enterprise.credit_code
    assert rows[0][8].date() == dt.date(2026, 6, 9) and rows[0][10] == "有效"
    assert ws.cell(row=4, column=3).number_format == "@"
    assert any(c.value == "合计：2 项认定" for c in ws["A"])
    # The page's filters hold for the export, and the title says which.
    ws = sheet_of(logged_in(people["province"]).get(url + "?tier=little_giant&city=340200"))
    assert [r[3] for r in lines(ws)] == ["芜湖精密制造有限公司"]
    assert "芜湖市" in ws["A1"].value and "专精特新“小巨人”" in ws["A1"].value
    # A city official exports its own city only; the page links to the export with its filters.
    ws = sheet_of(logged_in(people["city"]).get(url))
    assert [r[3] for r in lines(ws)] == [enterprise.name] and "合肥市" in ws["A1"].value
    page = logged_in(people["city"]).get(reverse("tiers:recognitions") + "?status=valid").content.decode()
    assert f'href="{url}?status=valid" data-testid="recognitions-export"' in page
    # Past its validity, the export reads 已到期 as the page does.
    settings.ZJTX_TODAY = Recognition.objects.get(enterprise=enterprise).expires_on + dt.timedelta(days=1)
    ws = sheet_of(logged_in(people["city"]).get(url))
    assert lines(ws)[0][10] == "已到期"
    assert logged_in(make_user(Role.BANK)).get(url).status_code == 403


def test_the_batch_exports_its_applications_with_the_panel_score_for_the_province_only(people, applicant,
                                                                                       enterprise):
    application = through("decided", people, applicant)
    batch = application.batch
    other = qualifying_enterprise(city_code="340200", name="芜湖精密制造有限公司")
    submit(make_user(Role.ENTERPRISE, credit_code=other.credit_code), batch)
    url = reverse("tiers:batch_export", args=[batch.pk])
    ws = sheet_of(logged_in(people["province"]).get(url))
    assert ws["A1"].value == f"《{batch.title}》申报汇总表（安徽省）"
    header = [c.value for c in ws[3]]
    assert "专家汇总得分" in header
    rows = {r[2]: dict(zip(header, r, strict=False)) for r in lines(ws)}
    assert set(rows) == {enterprise.name, "芜湖精密制造有限公司"}
    mine = rows[enterprise.name]
    assert mine["专家汇总得分"] == float(application.expert_score) and mine["状态"] == "公示中"
    assert mine["公示期"] == f"{application.notice_start} 至 {application.notice_end}"
    assert mine["联系电话"] == "0551-12345678" and mine["引擎自评"] == "符合"
    # The city reads its own applications, without the experts' score; the page links to the export.
    ws = sheet_of(logged_in(people["city"]).get(url))
    assert "专家汇总得分" not in [c.value for c in ws[3]]
    assert [r[2] for r in lines(ws)] == [enterprise.name]
    page = logged_in(people["city"]).get(reverse("tiers:batch", args=[batch.pk])).content.decode()
    assert f'href="{url}" data-testid="batch-export"' in page


def test_an_empty_batch_exports_a_sheet_with_no_lines(people):
    batch = open_batch(people["province"])
    ws = sheet_of(logged_in(people["province"]).get(reverse("tiers:batch_export", args=[batch.pk])))
    assert lines(ws) == [] and ws["A4"].value == "合计：0 份申报"


def test_names_and_contacts_that_look_like_formulas_are_exported_as_text(people, applicant, enterprise):
    """An enterprise named "=1+1" was a live formula in the 认定名单 and the 申报汇总表 (showing 2)."""
    application = through("recognized", people, applicant)
    Enterprise.objects.filter(pk=enterprise.pk).update(name="=1+1")
    Application.objects.filter(pk=application.pk).update(contact_name="@SUM(1)")
    ws = sheet_of(logged_in(people["province"]).get(reverse("tiers:recognitions_export")))
    assert (ws["D4"].value, ws["D4"].data_type, ws["D4"].quotePrefix) == ("=1+1", "s", True)
    ws = sheet_of(logged_in(people["province"]).get(reverse("tiers:batch_export", args=[application.batch_id])))
    header = [c.value for c in ws[3]]
    row = {label: ws.cell(row=4, column=col) for col, label in enumerate(header, start=1)}
    assert [(row[k].value, row[k].data_type) for k in ("企业名称", "联系人")] == [("=1+1", "s"), ("@SUM(1)", "s")]
    assert (row["专家汇总得分"].value, row["专家汇总得分"].data_type) == (float(application.expert_score), "n")
