"""A city official imports a file with one bad row, reads the report, fixes the row and sees the result;
another city's official does not see those enterprises."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import login, logout
from tests.factories import credit_code, make_user
from zjtx.accounts.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "统一社会信用代码,企业名称,所在市,所在县（区）,成立日期,国民经济行业代码,十大新兴产业,注册资本（万元）"


def test_city_user_imports_fixes_and_sees_only_own_city(browser, live_server, tmp_path):
    make_user(Role.CITY, "hefei", city_code="340100", full_name="合肥市经信局 李科长")
    make_user(Role.CITY, "wuhu", city_code="340200")
    codes = [credit_code() for _ in range(3)]
    broken = codes[1][:17] + ("0" if codes[1][17] != "0" else "1")
    rows = [f"{codes[0]},庐州精工机械有限公司,合肥市,蜀山区,2016-03-01,3562,高端装备制造,3000",
            f"{broken},巢湖新材料科技有限公司,合肥市,巢湖市,2019-07-15,2651,新材料,1200",
            f"{codes[2]},滨湖智能装备有限公司,合肥市,包河区,2020-11-20,3491,,800"]
    page = browser
    login(page, live_server, "hefei")
    assert page.get_by_test_id("scope-badge").inner_text() == "合肥市"

    page.click("text=企业库")
    page.click("text=导入企业数据")
    _upload(page, tmp_path / "first.csv", [HEADER, *rows])
    assert page.get_by_test_id("job-status").inner_text() == "有错误，未导入"
    error_row = page.get_by_test_id("error-table").locator("tbody tr").first
    assert error_row.locator("td").nth(0).inner_text() == "3"
    assert error_row.locator("td").nth(1).inner_text() == "统一社会信用代码"
    assert "校验位错误" in error_row.locator("td").nth(3).inner_text()
    with page.expect_download() as download:
        page.get_by_test_id("error-report").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.click("text=继续导入")
    rows[1] = rows[1].replace(broken, codes[1])
    _upload(page, tmp_path / "fixed.csv", [HEADER, *rows])
    assert page.get_by_test_id("job-status").inner_text() == "已完成"
    assert "新增 3" in page.get_by_test_id("job-message").inner_text()

    page.click("text=查看企业库")
    table = page.get_by_test_id("enterprise-table")
    for name in ("庐州精工机械有限公司", "巢湖新材料科技有限公司", "滨湖智能装备有限公司"):
        assert table.get_by_text(name).count() == 1
    assert page.get_by_test_id("result-count").inner_text() == "共 3 家企业"
    page.get_by_text("庐州精工机械有限公司").click()
    assert "蜀山区" in page.content() and "由导入任务" in page.get_by_test_id("history").inner_text()

    logout(page)
    login(page, live_server, "wuhu")
    page.click("text=企业库")
    assert page.get_by_test_id("result-count").inner_text() == "共 0 家企业"
    assert page.get_by_text("庐州精工机械有限公司").count() == 0
    response = page.goto(f"{live_server.url}/enterprises/{codes[0]}/")
    assert response is not None and response.status == 404


def _upload(page, path: Path, lines: list[str]) -> None:  # type: ignore[no-untyped-def]
    path.write_text("\n".join(lines), encoding="utf-8")
    page.check("input[name=kind][value=enterprises]")
    page.check("input[name=mode][value=all]")
    page.set_input_files("input[name=file]", str(path))
    page.click("text=上传并导入")
    page.wait_for_selector("[data-testid=job-status]:not(:text('排队中')):not(:text('导入中'))")


def test_editing_an_enterprise_keeps_its_founding_date(browser, live_server):
    # A date field used to come up empty (the locale rendered 2016/03/01, which a date input cannot
    # show), so saving any other change erased the founding date.
    import datetime as dt

    from tests.factories import make_enterprise
    from zjtx.enterprises.models import Enterprise

    make_user(Role.CITY, "hefei", city_code="340100", full_name="合肥市经信局 李科长")
    enterprise = make_enterprise(city_code="340100", name="庐州日期测试有限公司", founded_on=dt.date(2016, 3, 1))
    page = browser
    login(page, live_server, "hefei")
    page.goto(f"{live_server.url}/enterprises/{enterprise.credit_code}/edit/")
    assert page.input_value("input[name=founded_on]") == "2016-03-01"
    page.fill("input[name=name]", "庐州日期测试股份有限公司")
    page.click("button:has-text('保存')")
    page.wait_for_url(f"{live_server.url}/enterprises/{enterprise.credit_code}/")
    assert "庐州日期测试股份有限公司" in page.content()
    enterprise = Enterprise.objects.get(pk=enterprise.pk)
    assert (enterprise.name, enterprise.founded_on) == ("庐州日期测试股份有限公司", dt.date(2016, 3, 1))


def test_an_indicator_import_shows_in_the_enterprise_history_as_the_table_shows_it(browser, live_server, tmp_path):
    # The indicator import wrote figures but no line of 变更记录 for a new year; a changed year's line read
    # 5,000 → 6,000.5 under a table reading 6,000.50.
    from tests.factories import make_enterprise

    make_user(Role.CITY, "hefei", city_code="340100", full_name="合肥市经信局 李科长")
    enterprise = make_enterprise(city_code="340100", name="庐州指标测试有限公司")
    header = "统一社会信用代码,年度,营业收入（万元）,员工人数,资产总额（万元）"
    page = browser
    login(page, live_server, "hefei")
    for name, revenue in (("2024指标.csv", "5000"), ("2024指标更正.csv", "6000.5")):
        page.goto(f"{live_server.url}/enterprises/import/")
        path = tmp_path / name
        path.write_text(f"{header}\n{enterprise.credit_code},2024,{revenue},120,9000", encoding="utf-8")
        page.check("input[name=kind][value=indicators]")
        page.check("input[name=mode][value=all]")
        page.set_input_files("input[name=file]", str(path))
        page.click("text=上传并导入")
        page.wait_for_selector("[data-testid=job-status]:text('已完成')")

    page.goto(f"{live_server.url}/enterprises/")
    page.get_by_text("庐州指标测试有限公司").click()
    row = page.get_by_test_id("indicator-table").locator("tbody tr").first
    assert row.locator("td").nth(1).inner_text() == "6,000.50"
    lines = page.get_by_test_id("history").locator("li").all_inner_texts()
    assert "合肥市经信局 李科长：导入修改2024年度指标（导入任务#" in lines[0]
    assert "营业收入（万元）：5,000.00 → 6,000.50" in lines[0]
    # the first import gave the enterprise its size class: recorded after the figures, so shown above them
    assert "企业规模重新划型（按2024年度指标；导入任务#" in lines[1]
    assert "企业规模：未划型（数据不足） → 小型" in lines[1]
    assert "导入新增2024年度指标（导入任务#" in lines[2] and "《2024指标.csv》" in lines[2]
    assert "员工人数：空 → 120" in lines[2] and "资产总额（万元）：空 → 9,000.00" in lines[2]
