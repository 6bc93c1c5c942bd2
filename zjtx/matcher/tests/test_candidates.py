"""The 免申即享 / 潜在培育对象 list: built once from the latest province run, read in the user's scope with
filters, counts, pages and a workbook; evaluated on the spot for a small scope when no run exists."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from tests.factories import city_user, logged_in, make_user, province_user
from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.awards import services as award_services
from zjtx.core.models import AuditEvent
from zjtx.matcher.models import Candidate, CandidateList
from zjtx.policy import services as policy_services
from zjtx.policy.models import PolicyRun, ProgrammeEvent
from zjtx.tiers.tests.conftest import qualifying_enterprise

pytestmark = pytest.mark.django_db


def province_run(user=None) -> PolicyRun:
    """A province run, executed at once (the tests' tasks backend is immediate): its list is built after it."""
    with TestCase.captureOnCommitCallbacks(execute=True):  # the run, then its list, queued on commit
        run = policy_services.run_create(user=user or province_user(), kind=PolicyRun.Kind.EVALUATE,
                                         as_of=dt.date(2026, 6, 1), name="全省测算")
    run.refresh_from_db()
    assert run.status == PolicyRun.Status.DONE, run.message
    return run


def rows(response) -> list[str]:
    body = response.content.decode().split('data-testid="candidate-table"')[1].split("</table>")[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip() for r in body.split("<tr>")[2:]]


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_finished_province_run_builds_the_list_once_with_its_source_named(champion, one_short):
    run = province_run()
    built = CandidateList.objects.get(run=run)
    assert built.status == CandidateList.Status.DONE
    tiers = {(c.enterprise_id, c.tier, c.gap, c.condition, c.actual, c.threshold)
             for c in built.candidates.filter(kind=Candidate.Kind.TIER)}
    assert (champion.pk, "provincial_champion", 0, "", "", "") in tiers
    assert (one_short.pk, "provincial_champion", 1, "上年度研发费用占营业收入比重", "2.5%", "≥ 3%") in tiers
    awards = {(c.award, str(c.amount.normalize()), c.funding_level, c.event_date)
              for c in built.candidates.filter(kind=Candidate.Kind.AWARD, enterprise=champion)}
    assert awards == {("four_transformations", "5E+2", "省级", dt.date(2026, 3, 1)),
                      ("digital_assessment.4A", "1E+2", "省级", dt.date(2026, 4, 1))}
    assert AuditEvent.objects.filter(action="matcher.list_build", target_id=str(built.pk)).exists()
    page = logged_in(province_user()).get("/matcher/candidates/")
    assert f"名单来自全省测算 #{run.pk}（测算日期 2026年6月1日" in text(page)
    assert f"参数指纹 {run.fingerprint[:12]}" in text(page)


def test_the_three_sections_list_qualifying_one_short_and_ungenerated_awards(champion, one_short):
    province_run()
    client = logged_in(province_user())
    page = client.get("/matcher/candidates/")
    shown = text(page)
    assert "符合下一梯度条件（1）" in shown and "差一项条件（1）" in shown and "应享奖补尚未生成（2）" in shown
    assert rows(page) == ["合肥精工科技有限公司 合肥市 省专精特新企业 省专精特新冠军企业"]
    short = client.get("/matcher/candidates/?show=one_short")
    assert rows(short) == ["芜湖锐达装备有限公司 芜湖市 省专精特新企业 省专精特新冠军企业 "
                           "上年度研发费用占营业收入比重 实际 2.5%，要求 ≥ 3%"]
    awards = client.get("/matcher/candidates/?show=awards")
    assert "应享、奖补台账尚未生成的奖补 2 项，合计 600.00 万元" in text(awards)
    assert rows(awards) == ["合肥精工科技有限公司 合肥市 “四化”改造项目奖补 500.00 省级 二(三)8 2026-03-01",
                            "合肥精工科技有限公司 合肥市 数字化转型评估4A级一次性奖补 100.00 省级 二(三)7 2026-04-01"]


def test_lines_that_no_longer_hold_drop_out_without_a_new_run(champion, people):
    province_run()
    client = logged_in(province_user())
    award_services.entitlements_generate(user=people["province"])  # the awards are generated now
    assert "应享奖补尚未生成（0）" in text(client.get("/matcher/candidates/"))
    champion.tier = "provincial_champion"  # recognised since the run
    champion.save()
    assert "符合下一梯度条件（0）" in text(client.get("/matcher/candidates/"))


def test_each_role_reads_only_its_scope_and_others_are_refused(champion, one_short):
    province_run()
    officer = make_user(Role.OFFICER)
    one_short.service_officer = officer
    one_short.save()
    expected = {"province": (1, 1), "hefei": (1, 0), "wuhu": (0, 1), "officer": (0, 1), "shushan": (0, 0)}
    users = {"province": province_user(), "hefei": city_user("340100"), "wuhu": city_user("340200"),
             "officer": officer, "shushan": city_user("340100", county_code="340104")}
    for name, user in users.items():
        shown = text(logged_in(user).get("/matcher/candidates/"))
        qualifies, short = expected[name]
        assert f"符合下一梯度条件（{qualifies}）" in shown and f"差一项条件（{short}）" in shown, name
    for role in (Role.ENTERPRISE, Role.BANK, Role.EXPERT):
        assert logged_in(make_user(role)).get("/matcher/candidates/").status_code == 403
        assert logged_in(make_user(role)).get("/matcher/candidates.xlsx").status_code == 403


def test_filters_by_city_county_tier_and_award_and_names_a_value_not_offered(champion, one_short):
    province_run()
    client = logged_in(province_user())
    assert "差一项条件（0）" in text(client.get("/matcher/candidates/?city=340100"))
    assert "符合下一梯度条件（0）" in text(client.get("/matcher/candidates/?city=340100&county=340104"))
    assert "符合下一梯度条件（0）" in text(client.get("/matcher/candidates/?tier=little_giant"))
    award = text(client.get("/matcher/candidates/?show=awards&award=digital_assessment.4A"))
    assert "应享奖补尚未生成（1）" in award and "合计 100.00 万元" in award
    wrong = text(logged_in(city_user("340100")).get("/matcher/candidates/?city=340200&tier=gold"))
    assert "市“340200”不在可选范围内，未按它筛选" in wrong and "梯度“gold”不在可选范围内，未按它筛选" in wrong
    assert "符合下一梯度条件（1）" in wrong


def test_the_workbook_lists_every_line_of_the_section_and_filters(champion, one_short):
    province_run()
    response = logged_in(province_user()).get("/matcher/candidates.xlsx?show=awards&city=340100")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "应享奖补尚未生成名单（安徽省）"
    lines = [[c.value for c in row] for row in sheet.iter_rows(min_row=4, max_row=5)]
    assert [line[1:4] + line[5:8] for line in lines] == [
        [champion.credit_code, "合肥精工科技有限公司", "合肥市", "“四化”改造项目奖补", 500, "省级"],
        [champion.credit_code, "合肥精工科技有限公司", "合肥市", "数字化转型评估4A级一次性奖补", 100, "省级"]]
    assert sheet["A6"].value == "合计：2 条"
    short = logged_in(province_user()).get("/matcher/candidates.xlsx?show=one_short")
    sheet = openpyxl.load_workbook(io.BytesIO(short.content)).active
    line = [c.value for c in next(sheet.iter_rows(min_row=4))]
    assert line[2] == "芜湖锐达装备有限公司"
    assert line[7:11] == ["差一项", "上年度研发费用占营业收入比重", "2.5%", "≥ 3%"]


def test_the_list_reads_the_same_number_of_queries_for_two_lines_and_for_twenty(champion):
    for _ in range(9):
        qualifying_enterprise()
    province_run()
    client = logged_in(province_user())

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/matcher/candidates/").status_code == 200
        return len(captured)

    many = queries()
    Candidate.objects.filter(kind=Candidate.Kind.TIER).exclude(enterprise=champion).delete()
    assert "符合下一梯度条件（1）" in text(client.get("/matcher/candidates/"))
    assert queries() == many


def test_without_a_province_run_an_officer_s_enterprises_are_evaluated_on_the_spot(champion, one_short):
    officer = make_user(Role.OFFICER)
    for enterprise in (champion, one_short):
        enterprise.service_officer = officer
        enterprise.save()
    page = logged_in(officer).get("/matcher/candidates/?show=awards")
    assert "尚无全省测算，按今天（2026年6月1日）即时测算" in text(page)
    assert "应享奖补尚未生成（2）" in text(page) and "符合下一梯度条件（1）" in text(page)
    assert not CandidateList.objects.exists()


def test_a_run_without_a_list_yet_is_built_when_the_list_is_asked_for(champion):
    run = province_run()
    CandidateList.objects.all().delete()  # e.g. a run finished before the matcher was installed
    client = logged_in(province_user())
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert "名单正在生成" in text(client.get("/matcher/candidates/"))
    assert CandidateList.objects.get(run=run).status == CandidateList.Status.DONE  # the immediate backend built it


def test_a_later_run_whose_list_is_being_built_leaves_the_previous_list_shown(champion):
    first = province_run()
    later = PolicyRun.objects.create(kind=PolicyRun.Kind.EVALUATE, as_of=dt.date(2026, 6, 1),
                                     status=PolicyRun.Status.DONE)
    CandidateList.objects.filter(run=later).update(status=CandidateList.Status.BUILDING)
    shown = text(logged_in(province_user()).get("/matcher/candidates/"))
    assert f"全省测算（#{later.pk}）的名单正在生成" in shown and f"名单来自全省测算 #{first.pk}" in shown
    assert ProgrammeEvent.objects.exists()


def test_the_demo_stores_a_province_run_and_its_list_is_built(settings):
    from django.core.management import call_command

    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("load_demo", enterprises=60, stdout=io.StringIO())
    run = PolicyRun.objects.get(kind=PolicyRun.Kind.EVALUATE)
    assert (run.status, run.as_of, run.enterprises) == (PolicyRun.Status.DONE, dt.date(2026, 6, 1), 60)
    assert CandidateList.objects.get(run=run).status == CandidateList.Status.DONE
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("load_demo", enterprises=60, stdout=io.StringIO())
    assert PolicyRun.objects.count() == 1  # loaded again: no second run
    qiye = User.objects.get(username="qiye")
    event = ProgrammeEvent.objects.get(enterprise__credit_code=qiye.credit_code)  # once, though loaded twice
    assert (event.kind, event.grade, event.date) == ("digital_assessment", "4A", dt.date(2026, 5, 2))
    shown = text(logged_in(qiye).get(f"/matcher/{qiye.credit_code}/"))
    assert "数字化转型评估4A级一次性奖补" in shown and "免申即享" in shown


def test_an_officer_s_enterprise_the_engine_refuses_is_named_instead_of_an_empty_list(champion):
    officer = make_user(Role.OFFICER)
    champion.service_officer = officer
    champion.save()
    champion.indicators.filter(year=2025).update(revenue=-5)  # written past the forms, which refuse it
    page = logged_in(officer).get("/matcher/candidates/")
    assert page.status_code == 200
    assert "无法即时测算：" in text(page) and "营业收入" in text(page)
    assert f"涉及企业：合肥精工科技有限公司（{champion.credit_code}），请核对其企业信息或年度指标" in text(page)
    assert logged_in(officer).get("/matcher/candidates.xlsx").status_code == 200


def test_a_run_stored_before_the_engine_gave_score_bounds_still_builds_its_list(one_short):
    from zjtx.matcher.services import candidate_lines, held_frame
    from zjtx.policy import frames
    from zjtx.policy.engine import evaluate

    result = evaluate(*frames.registry_frames(), dt.date(2026, 6, 1), policy_services.parameter_set())
    old_unmet = result.unmet.drop("actual_min", "actual_max")  # as such a run's unmet.parquet holds it
    lines = candidate_lines(result.recognition.lazy(), old_unmet.lazy(), result.entitlements.lazy(),
                            held_frame([(one_short.pk, one_short.credit_code, one_short.tier)]))
    assert [(c.tier, c.gap, c.condition, c.actual) for c in lines] == [
        ("provincial_champion", 1, "上年度研发费用占营业收入比重", "2.5%")]


def test_the_awards_section_reads_the_same_number_of_queries_for_one_line_and_for_many(champion):
    for _ in range(5):
        graded = qualifying_enterprise()
        ProgrammeEvent.objects.create(enterprise=graded, kind="digital_assessment", date=dt.date(2026, 4, 1),
                                      grade="4A")
    province_run()
    client = logged_in(province_user())

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/matcher/candidates/?show=awards").status_code == 200
        return len(captured)

    assert "应享奖补尚未生成（7）" in text(client.get("/matcher/candidates/?show=awards"))
    many = queries()
    keep = Candidate.objects.filter(kind=Candidate.Kind.AWARD).order_by("pk").first()
    Candidate.objects.filter(kind=Candidate.Kind.AWARD).exclude(pk=keep.pk).delete()
    assert "应享奖补尚未生成（1）" in text(client.get("/matcher/candidates/?show=awards"))
    assert queries() == many
