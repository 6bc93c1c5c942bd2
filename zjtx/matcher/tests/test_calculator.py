"""政策计算器 for one enterprise: what it is entitled to now (amounts, source, reason, where each stands in the
award ledger), its next step with each lacking condition, the test date, and who may open it."""

from __future__ import annotations

import re

import pytest

from tests.factories import city_user, logged_in, make_enterprise, make_user, province_user
from zjtx.accounts.roles import Role
from zjtx.awards import services as award_services
from zjtx.matcher.tests.conftest import enterprise_user

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page's text without tags, blanks squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def award_rows(response) -> list[str]:
    body = response.content.decode().split('data-testid="awards-table"')[1].split("</table>")[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("<tr>")[2:]]


def test_the_enterprise_reads_its_awards_with_amount_source_clause_reason_and_stage(champion):
    page = logged_in(enterprise_user(champion)).get(f"/matcher/{champion.credit_code}/")
    assert page.status_code == 200
    assert "现在可以享受 2 项奖补，合计 600.00 万元" in text(page)
    four, digital = award_rows(page)
    assert four.startswith("“四化”改造项目奖补 “四化”改造项目（2026-03-01） 500.00 省级资金 方案二(三)8")
    assert "8,000万元 × 10% = 800万元，超过上限 500万元，按 500万元" in four
    assert "需企业申请" in four and "未生成" in four
    assert digital.startswith("数字化转型评估4A级一次性奖补 数字化转型能力评估（2026-04-01） 100.00 省级资金 "
                              "方案二(三)7")
    assert "免申即享 系统自动生成，无需申请" in digital and "未生成" in digital


def test_each_award_shows_where_the_award_ledger_has_it_once_generated(champion, people):
    award_services.entitlements_generate(user=people["province"])
    page = logged_in(enterprise_user(champion)).get(f"/matcher/{champion.credit_code}/")
    four, digital = award_rows(page)
    assert "待企业申请" in four and "未生成" not in four
    assert "待企业确认收款账户" in digital
    assert page.content.decode().count('href="/awards/entitlements/') == 2


def test_the_next_step_names_the_condition_it_lacks_with_actual_threshold_and_clause(one_short):
    page = logged_in(province_user()).get(f"/matcher/{one_short.credit_code}/")
    shown = text(page)
    assert "现有梯度： 省专精特新企业" in shown
    assert "下一梯度： 省专精特新冠军企业 （首次认定）" in shown and "尚不符合 认定条件：1 项不满足。" in shown
    body = page.content.decode().split('data-testid="gap-table"')[1].split("</table>")[0]
    row = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.split("<tr>")[2])).strip()
    assert row == "上年度研发费用占营业收入比重 不满足 2.5% ≥ 3% 标准3.5；方案二(一)2"
    assert f'href="/policy/explain/{one_short.credit_code}/?as_of=2026-06-01"' in page.content.decode()


def test_a_qualifying_enterprise_is_told_it_may_apply(champion):
    shown = text(logged_in(province_user()).get(f"/matcher/{champion.credit_code}/"))
    assert "下一梯度： 省专精特新冠军企业 （首次认定）。 按 2025 年度数据， 已符合 认定条件" in shown


def test_missing_data_is_named_with_links_to_fill_it_in_where_the_user_may(innovative):
    city = logged_in(city_user("340100")).get(f"/matcher/{innovative.credit_code}/")
    shown, html = text(city), city.content.decode()
    assert "评价得分：未提供，合格线 ≥ 50分" in shown
    row = next(r for r in html.split('data-testid="gap-table"')[1].split("<tr>") if "上年度研发费用占营业收入比重" in r)
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).split() == ["上年度研发费用占营业收入比重", "不满足", "2%",
                                                                          "≥", "3%", "标准3.6"]
    assert "尚不符合 认定条件：1 项不满足，9 项缺少数据。" in shown
    assert "缺少的数据：从事特定细分市场年限（年）、负债总额（万元）（2025年）、研发费用（万元）（2024年）" in shown
    code = innovative.credit_code
    assert f'href="/enterprises/{code}/indicators/new/">填报2024年度指标' in html
    assert f'href="/enterprises/{code}/indicators/2025/">修改2025年度指标' in html
    assert f'href="/policy/facts/{code}/">补录认定要素' in html
    own = logged_in(enterprise_user(innovative)).get(f"/matcher/{code}/").content.decode()
    assert "修改2025年度指标" in own and "补录认定要素" not in own  # facts are recorded by officials


def test_the_test_date_is_checked_as_on_the_explanation_page(champion):
    client = logged_in(enterprise_user(champion))
    early = text(client.get(f"/matcher/{champion.credit_code}/?as_of=2020-01-01"))
    assert "无法测算：测算日期 2020年1月1日 早于认定规则的参数生效日期" in early and "可享政策" not in early
    future = text(client.get(f"/matcher/{champion.credit_code}/?as_of=2099-12-31"))
    assert "无法测算：测算日期 2099年12月31日 要用 2098 年度的数据" in future
    wrong = client.get(f"/matcher/{champion.credit_code}/?as_of=昨天", follow=True)
    assert "测算日期“昨天”不是有效日期，已按今天测算。" in text(wrong) and "合计 600.00 万元" in text(wrong)
    before = text(client.get(f"/matcher/{champion.credit_code}/?as_of=2026-03-15"))
    assert "现在可以享受 1 项奖补，合计 500.00 万元" in before  # the 4A of April is not there yet


@pytest.mark.parametrize("role", [Role.DEPARTMENT, Role.BANK, Role.EXPERT])
def test_roles_without_the_calculator_are_refused(champion, role):
    fields = {"department": "sci_tech"} if role == Role.DEPARTMENT else {}
    client = logged_in(make_user(role, **fields))
    assert client.get(f"/matcher/{champion.credit_code}/").status_code == 403
    assert client.get("/matcher/").status_code == 403
    assert client.get("/matcher/candidates/").status_code == 403
    assert 'href="/matcher/"' not in client.get("/").content.decode()


def test_each_role_opens_only_the_enterprises_of_its_scope(champion, one_short):
    officer = make_user(Role.OFFICER)
    champion.service_officer = officer
    champion.save()
    code, other = champion.credit_code, one_short.credit_code
    cases = [(province_user(), 200, 200), (city_user("340100"), 200, 404), (city_user("340200"), 404, 200),
             (officer, 200, 404), (enterprise_user(champion), 200, 404),
             (city_user("340100", county_code="340104"), 404, 404)]
    for user, mine, theirs in cases:
        client = logged_in(user)
        assert (client.get(f"/matcher/{code}/").status_code, client.get(f"/matcher/{other}/").status_code) == (
            mine, theirs), user.role


def test_the_menu_entry_takes_an_enterprise_to_its_own_calculator_and_officials_to_the_list(champion):
    own = logged_in(enterprise_user(champion))
    assert 'href="/matcher/"' in own.get("/").content.decode()
    assert own.get("/matcher/")["Location"] == f"/matcher/{champion.credit_code}/"
    for user in (province_user(), city_user("340100"), make_user(Role.OFFICER)):
        assert logged_in(user).get("/matcher/")["Location"] == "/matcher/candidates/"


def test_an_unknown_enterprise_is_not_found():
    other = make_enterprise()
    assert logged_in(province_user()).get("/matcher/91340100MA0000000X/").status_code == 404
    assert logged_in(province_user()).get(f"/matcher/{other.credit_code}/").status_code == 200


def test_the_api_gives_the_page_s_awards_and_gap_with_the_same_access(champion, one_short):
    client = logged_in(enterprise_user(champion))
    body = client.get(f"/api/v1/matcher/{champion.credit_code}").json()
    assert (body["as_of"], body["data_year"], body["current_tier"], body["total"]) == ("2026-06-01", 2025,
                                                                                        "provincial", "600")
    assert [(a["label"], a["amount"], a["no_application"], a["stage"]) for a in body["awards"]] == [
        ("“四化”改造项目奖补", "500", False, "未生成"), ("数字化转型评估4A级一次性奖补", "100", True, "未生成")]
    assert (body["next_tier"]["tier"], body["next_tier"]["status"]) == ("provincial_champion", "符合")
    gap = logged_in(province_user()).get(f"/api/v1/matcher/{one_short.credit_code}").json()["next_tier"]
    assert [(c["label"], c["actual"], c["threshold"]) for c in gap["conditions"]] == [
        ("上年度研发费用占营业收入比重", "2.5%", "≥ 3%")]
    early = client.get(f"/api/v1/matcher/{champion.credit_code}?as_of=2020-01-01")
    assert early.status_code == 400 and early.json()["field"] == "as_of" and "早于认定规则" in early.json()["message"]
    assert client.get(f"/api/v1/matcher/{champion.credit_code}?as_of=20200101").status_code == 400
    assert client.get(f"/api/v1/matcher/{one_short.credit_code}").status_code == 404
    refused = logged_in(make_user(Role.BANK)).get(f"/api/v1/matcher/{champion.credit_code}")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"


def test_a_score_lacking_items_reads_its_known_points_and_the_most_it_could_reach(innovative):
    """On 2025-06-01 the 2022 criteria score 13 items; most lack data here (the rules read 2024's figures)."""
    innovative.indicators.update(year=2024)
    page = logged_in(province_user()).get(f"/matcher/{innovative.credit_code}/?as_of=2025-06-01")
    assert "评价得分：未定（已知部分 10分，最高可能 90分），合格线 ≥ 60分" in text(page)
    body = page.content.decode().split('data-testid="gap-table"')[1].split("</table>")[0]
    row = next(r for r in body.split("<tr>") if "13项指标评价得分" in r)
    assert "已知 10分，最高可能 90分" in row and "≥ 60分" in row  # never a bare 缺 beside a score


def test_the_tier_held_is_checked_for_its_coming_re_review_and_names_what_it_lacks(one_short):
    import datetime as dt

    import polars as pl

    from zjtx.policy import frames
    from zjtx.policy import services as policy_services
    from zjtx.policy.engine import evaluate

    page = logged_in(province_user()).get(f"/matcher/{one_short.credit_code}/")
    result = evaluate(*frames.registry_frames([one_short.credit_code]), dt.date(2026, 6, 1),
                      policy_services.parameter_set())
    srdi = result.recognition.filter(pl.col("tier") == "srdi").row(0, named=True)
    assert srdi["review"] == "复核" and srdi["status"] != "符合"
    verdict = text(page).split("现有梯度复核", 1)[1]
    assert "现有梯度 省专精特新企业 到期复核时需仍符合条件" in verdict
    assert ("尚不符合 复核条件" if srdi["status"] == "不符合" else "数据不足 ，暂时无法判断") in verdict
    body = page.content.decode().split('data-testid="keep-table"')[1].split("</table>")[0]
    shown = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip().split(" ")[0] for r in body.split("<tr>")[2:]]
    unmet = result.unmet.filter(pl.col("tier") == "srdi")["label"].cast(pl.String).to_list()
    assert shown == unmet and unmet


def test_a_tier_that_would_pass_its_re_review_shows_no_warning(innovative):
    from zjtx.policy.models import EnterpriseFacts

    before = logged_in(province_user()).get(f"/matcher/{innovative.credit_code}/").content.decode()
    assert 'data-testid="keep-card"' in before  # its 创新型 score cannot be decided on the data it has
    # a valid 高新技术企业 honour is a direct pass for 创新型 (标准3.1)
    EnterpriseFacts.objects.create(enterprise=innovative, data={"has_honour": True})
    page = logged_in(province_user()).get(f"/matcher/{innovative.credit_code}/")
    assert 'data-testid="keep-card"' not in page.content.decode()
