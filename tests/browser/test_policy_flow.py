"""A province policy officer adds a dated value to a parameter, then runs a what-if and reads the result."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.browser.conftest import login
from tests.factories import make_enterprise, make_indicator, make_user
from zjtx.accounts.roles import Role
from zjtx.policy.models import PolicyRun, ProgrammeEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_changes_a_parameter_and_runs_a_whatif(browser, live_server):
    page = browser
    _province_officer_and_a_4a_enterprise(page, live_server)
    page.click("text=政策引擎")
    page.fill("input[name=q]", "4A")
    page.click("text=查询")
    page.get_by_test_id("parameter-table").get_by_text("4A", exact=False).first.click()
    assert "100 万元" in page.get_by_test_id("current-value").inner_text()

    page.fill("input[name=start]", "2027-01-01")
    page.fill("textarea[name=value]", "abc")
    page.fill("input[name=reference]", "皖经信〔2026〕示例号")
    page.click("text=保存新取值")
    assert "该参数的取值应为数字" in page.content()
    page.fill("textarea[name=value]", "120")
    page.click("text=保存新取值")
    history = page.get_by_test_id("history-table").inner_text()
    assert "2027年1月1日" in history and "120" in history and "皖经信〔2026〕示例号" in history

    page.goto(f"{live_server.url}/policy/whatif/")
    page.fill("input[name=name]", "4A奖补提高到130万")
    page.fill("input[name=as_of]", "2025-06-30")
    page.select_option("select[name=param_0]", "awards.digital_assessment.amount_4a")
    page.fill("input[name=value_0]", "130")
    page.click("text=开始模拟")
    page.wait_for_selector("[data-testid=run-status]:text('已完成')")
    row = page.get_by_test_id("whatif-budget").locator("tbody tr").filter(has_text="数字化")
    cells = [c.strip() for c in row.locator("td").all_inner_texts()]
    assert cells[0] == "数字化转型评估4A级一次性奖补"
    assert [Decimal(c) for c in cells[2:]] == [Decimal(100), Decimal(130), Decimal(30)]
    # The charts draw after the page loads: wait for them rather than count at once (it raced).
    page.wait_for_selector("#whatif-chart canvas")
    page.wait_for_selector("#budget-chart canvas")
    assert page.locator("#whatif-chart canvas").count() == 1 and page.locator("#budget-chart canvas").count() == 1
    with page.expect_download() as download:
        page.get_by_test_id("whatif-export").click()
    name = download.value.suggested_filename
    assert name.startswith("政策模拟-") and name.endswith(".xlsx")

    # Someone who waits on the page of a run still pending sees the result come in, charts included.
    run = PolicyRun.objects.latest("pk")
    run.pk, run.status, run.progress = None, PolicyRun.Status.PENDING, 0
    run.save()
    page.goto(f"{live_server.url}/policy/runs/{run.pk}/")
    assert page.get_by_test_id("run-status").inner_text() == "排队中"
    PolicyRun.objects.filter(pk=run.pk).update(status=PolicyRun.Status.DONE, progress=100)
    page.wait_for_selector("[data-testid=run-status]:text('已完成')")
    page.wait_for_selector("#whatif-chart canvas")
    assert page.locator("#budget-chart canvas").count() == 1


def test_officer_starts_a_province_run_and_reads_its_counts(browser, live_server):
    page = browser
    _province_officer_and_a_4a_enterprise(page, live_server)
    page.click("text=政策引擎")
    page.click("text=全省测算")
    page.fill("input[name=as_of]", "2025-06-30")
    page.click("button:has-text('发起全省测算')")
    page.wait_for_selector("[data-testid=run-status]:text('已完成')")
    assert "已完成：1 家企业" in page.content()
    budget = page.get_by_test_id("run-budget").inner_text()
    assert "数字化转型评估4A级一次性奖补" in budget and "100" in budget
    assert "合肥市" in page.get_by_test_id("run-cities").inner_text()
    page.click("text=返回全省测算")
    assert "已完成" in page.get_by_test_id("province-runs").inner_text()


def test_city_official_fills_in_missing_facts_and_reads_the_new_explanation(browser, live_server):
    make_user(Role.CITY, "hefei", city_code="340100", full_name="合肥市经信局 李科长")
    enterprise = make_enterprise(city_code="340100", tier="provincial", name="合肥精工测试有限公司")
    make_indicator(enterprise, 2024, rd_expense=Decimal("400"))
    page = browser
    login(page, live_server, "hefei")
    page.goto(f"{live_server.url}/enterprises/{enterprise.credit_code}/")
    page.click("text=认定与奖补测算")
    assert "从事特定细分市场年限：实际 缺" in page.get_by_test_id("explain-text").inner_text()
    page.click("text=补录认定要素")
    page.fill("input[name=niche_years]", "-1")
    page.click("text=保存认定要素")
    assert "从事特定细分市场年限（年）：不能小于 0。" in page.get_by_test_id("facts-form").inner_text()
    page.fill("input[name=niche_years]", "6")
    page.select_option("select[name=niche_share_leading]", "true")
    page.click("text=保存认定要素")
    assert "已保存认定要素 2 项" in page.content()
    text = page.get_by_test_id("explain-text").inner_text()
    assert "从事特定细分市场年限：实际 6" in text and "从事特定细分市场年限：实际 缺" not in text


def test_city_official_records_an_assessment_grade_and_sees_its_award(browser, live_server):
    page = browser
    enterprise = _hefei_official_with(page, live_server, "合肥数智测试有限公司")
    page.goto(f"{live_server.url}/policy/explain/{enterprise.credit_code}/")
    page.click("text=录入专项事件")
    _record_event(page, "digital_assessment", "2025-03-01")
    assert "“数字化转型能力评估”需要填写评估等级" in page.get_by_test_id("event-form").inner_text()
    page.select_option("select[name=grade]", "4A")
    page.click("button:has-text('录入事件')")
    assert "已录入：数字化转型能力评估（2025-03-01）" in page.content()
    assert "4A" in page.get_by_test_id("event-table").inner_text()
    page.click("text=查看测算说明")
    page.fill("input[name=as_of]", "2025-06-30")
    page.click("text=重新测算")
    # a city official reads the award by its name; award ids are for the province's policy staff
    explained = page.get_by_test_id("explain-text").inner_text()
    assert "数字化转型评估4A级一次性奖补（2025-03-01）：应享 100万元" in explained


def test_city_official_corrects_a_mistyped_event_then_withdraws_it(browser, live_server):
    page = browser
    enterprise = _hefei_official_with(page, live_server, "合肥网安测试有限公司")
    page.goto(f"{live_server.url}/policy/events/{enterprise.credit_code}/")
    _record_event(page, "network_security_project", "2025-03-01", amount="8000")  # a slip: it was 800万元
    table = page.get_by_test_id("event-table")
    assert "8,000.00" in table.inner_text()  # money as every page writes it
    table.get_by_role("link", name="更正").click()
    assert page.input_value("input[name=amount]") == "8,000.00"
    page.fill("input[name=amount]", "-800")
    page.click("button:has-text('保存更正')")
    assert "金额（万元）：应大于0" in page.get_by_test_id("event-edit-form").inner_text()
    page.fill("input[name=amount]", "800")
    page.click("button:has-text('保存更正')")
    assert "已更正：工业互联网网络安全分类分级项目（2025-03-01）" in page.content()
    assert "800.00" in page.get_by_test_id("event-table").inner_text()
    assert ProgrammeEvent.objects.get(enterprise=enterprise).amount == Decimal("800")
    # Then it turns out the project belongs to another year's batch: withdrawn, with the reason.
    form = page.get_by_test_id("withdraw-form")
    form.locator("input[name=reason]").fill("项目属2026年批次，另行录入")
    form.get_by_role("button", name="撤销").click()
    assert "已撤销：工业互联网网络安全分类分级项目（2025-03-01）" in page.content()
    assert "尚未录入专项事件" in page.get_by_test_id("event-table").inner_text()
    assert not ProgrammeEvent.objects.filter(enterprise=enterprise).exists()


def _record_event(page, kind: str, date: str, **fields: str) -> None:
    """Fill in and send the 录入事件 form of the events page."""
    page.select_option("select[name=kind]", kind)
    page.fill("input[name=date]", date)
    for name, value in fields.items():
        page.fill(f"input[name={name}]", value)
    page.click("button:has-text('录入事件')")


def _hefei_official_with(page, live_server, name: str):
    """A Hefei enterprise named ``name``, and Hefei's city official logged in."""
    make_user(Role.CITY, "hefei", city_code="340100", full_name="合肥市经信局 李科长")
    enterprise = make_enterprise(city_code="340100", name=name)
    login(page, live_server, "hefei")
    return enterprise


def _province_officer_and_a_4a_enterprise(page, live_server) -> None:
    """A Hefei enterprise with a 4A digital assessment, and the province's policy officer logged in."""
    make_user(Role.PROVINCE, "province", full_name="省经信厅 王处长")
    enterprise = make_enterprise(city_code="340100", tier="provincial")
    make_indicator(enterprise, 2024, rd_expense=Decimal("400"))
    ProgrammeEvent.objects.create(enterprise=enterprise, kind="digital_assessment", date=dt.date(2025, 3, 1),
                                  grade="4A")
    login(page, live_server, "province")


# The text boxes an ECharts chart has drawn (axis labels, legend, axis names), in the chart's own pixels.
CHART_TEXTS = """id => {
  const el = document.getElementById(id);
  const boxes = [];
  echarts.getInstanceByDom(el).getZr().storage.getDisplayList(true).forEach(e => {
    if (!e.style || typeof e.style.text !== "string" || !e.style.text) return;
    const box = e.getBoundingRect().clone();
    const transform = e.getComputedTransform();
    if (transform) box.applyTransform(transform);
    boxes.push({text: e.style.text, x: box.x, y: box.y, w: box.width, h: box.height});
  });
  return {boxes: boxes, width: el.clientWidth, height: el.clientHeight};
}"""


def test_whatif_chart_labels_stay_apart_and_inside_at_1024px(browser, live_server):
    page = browser
    page.set_viewport_size({"width": 1024, "height": 900})
    _province_officer_and_a_4a_enterprise(page, live_server)
    _events_of_many_awards()
    page.goto(f"{live_server.url}/policy/whatif/")
    page.fill("input[name=name]", "四化改造上限提高")
    page.fill("input[name=as_of]", "2025-06-30")
    page.select_option("select[name=param_0]", "awards.four_transformations.cap")
    page.fill("input[name=value_0]", "600")
    page.click("text=开始模拟")
    page.wait_for_selector("[data-testid=run-status]:text('已完成')")
    page.wait_for_selector("#budget-chart canvas")
    page.wait_for_timeout(500)  # the tier chart fits its labels to the columns once drawn
    for chart in ("whatif-chart", "budget-chart"):
        drawn = page.evaluate(CHART_TEXTS, chart)
        boxes = drawn["boxes"]
        assert len(boxes) > 8
        for box in boxes:  # nothing cut at the card's edge or drawn over the table below
            assert box["x"] >= 0 and box["y"] >= 0, box
            assert box["x"] + box["w"] <= drawn["width"] + 1 and box["y"] + box["h"] <= drawn["height"] + 1, box
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                apart = (a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"]
                         or a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"])
                assert apart, (chart, a["text"], b["text"])


def _events_of_many_awards() -> None:
    """Hefei enterprises with events for seven awards, so the budget chart has many long names."""
    events = [("digital_assessment", {"grade": "3A"}), ("digital_assessment", {"grade": "5A"}),
              ("four_transformations_project", {"amount": Decimal("3000")}),
              ("network_security_project", {"amount": Decimal("80")}),
              ("publicity", {"amount": Decimal("40")}), ("srdi_board_listing", {}),
              ("industrial_internet_platform", {})]
    for kind, fields in events:
        ProgrammeEvent.objects.create(enterprise=make_enterprise(city_code="340100"), kind=kind,
                                      date=dt.date(2025, 3, 1), **fields)


def test_the_parameter_list_shows_every_column_at_1024px(browser, live_server):
    """At 1024 px the list fits its card: 生效日期 and 状态 are on screen, not behind a sideways scroll."""
    page = browser
    page.set_viewport_size({"width": 1024, "height": 900})
    make_user(Role.CITY, "hefei", city_code="340100")
    login(page, live_server, "hefei")
    page.click("text=政策引擎")
    table = page.get_by_test_id("parameter-table")
    scroll = page.locator(".table-scroll").first
    assert page.evaluate("el => el.scrollWidth <= el.clientWidth", scroll.element_handle())
    status = table.locator("th", has_text="状态").bounding_box()
    assert status["x"] + status["width"] <= 1024
    row = table.locator("tr", has_text="tiers.notice.working_days")
    assert "方案未规定" in row.inner_text() and "待核实" in row.inner_text() and "共 1 个取值" in row.inner_text()


# The data tables of a page that reach past the right edge of their card (cut off, not scrollable).
TABLES_CUT = """() => [...document.querySelectorAll('table.data')].filter(t =>
  t.getBoundingClientRect().right > t.closest('.card, .table-scroll').getBoundingClientRect().right + 1
).map(t => t.dataset.testid)"""


def test_a_province_run_shows_every_city_column_and_the_budget_total_at_1024px(browser, live_server):
    page = browser
    page.set_viewport_size({"width": 1024, "height": 900})
    _province_officer_and_a_4a_enterprise(page, live_server)
    _events_of_many_awards()
    page.goto(f"{live_server.url}/policy/runs/")
    page.fill("input[name=as_of]", "2025-06-30")
    page.click("button:has-text('发起全省测算')")
    page.wait_for_selector("[data-testid=run-status]:text('已完成')")
    assert page.evaluate(TABLES_CUT) == []  # 国家级制造业单项冠军企业 was cut off at the card's edge
    total = page.get_by_test_id("run-budget-total").inner_text()
    rows = page.get_by_test_id("run-budget").locator("tbody tr")
    amounts = [Decimal(rows.nth(i).locator("td").nth(3).inner_text().replace(",", "")) for i in range(rows.count())]
    assert total.startswith("合计") and Decimal(total.split()[-1].replace(",", "")) == sum(amounts) > 0
