"""The review's confidential records (experts, scores, objections) stay with the province wherever records
of an enterprise are listed together: its change history on the registry page."""

from __future__ import annotations

import pytest

from tests.factories import logged_in, make_user
from zjtx.accounts.roles import Role
from zjtx.tiers import services
from zjtx.tiers.tests.conftest import through

pytestmark = pytest.mark.django_db


def test_the_enterprise_page_shows_the_review_to_the_province_only(people, applicant, enterprise):
    application = through("decided", people, applicant)
    services.objection_file(user=make_user(Role.DEPARTMENT, department="sci_tech"), application=application,
                            content="该企业主导产品市场占有率数据存疑", today=application.notice_start)
    url = f"/enterprises/{enterprise.credit_code}/"
    province = logged_in(people["province"]).get(url).content.decode()
    assert "专家评分" in province and "专家0" in province and "公示期间收到异议" in province
    for user in (applicant, people["city"], make_user(Role.DEPARTMENT, department="sci_tech")):
        page = logged_in(user).get(url).content.decode()
        assert "专家0" not in page and "专家评分" not in page and "公示期间收到异议" not in page, user.role
        assert "市场占有率数据存疑" not in page
    course = logged_in(applicant).get(url).content.decode()
    assert "提交《" in course  # the application's course stays visible to the applicant


def _history(user, application) -> str:
    page = logged_in(user).get(f"/tiers/applications/{application.pk}/").content.decode()
    return page.split('data-testid="application-history"')[1]


def test_the_application_history_shows_the_applicant_and_city_the_course_only(people, applicant):
    application = through("decided", people, applicant)
    objector = make_user(Role.DEPARTMENT, department="sci_tech", full_name="省科技厅 陈处长")
    objection = services.objection_file(user=objector, application=application, content="市场占有率数据存疑",
                                        today=application.notice_start)
    services.objection_resolve(user=people["province"], objection=objection, upheld=False, resolution="经核实无误")
    for user in (applicant, people["city"]):
        history = _history(user, application)
        assert "已分配评审专家" in history and "公示期间收到异议" in history, user.role
        assert "公示异议已处理：异议不成立" in history
        for secret in ("专家0", "专家1", "专家评分", "陈处长", "市场占有率数据存疑"):
            assert secret not in history, (user.role, secret)
    province = _history(people["province"], application)
    assert "专家评分 81" in province and "陈处长" in province and "专家0" in province


def test_an_expert_reads_its_own_score_in_the_history_not_the_others(people, applicant):
    application = through("scored", people, applicant)
    history = _history(people["experts"][0], application)
    assert "专家评分 80" in history
    assert "专家评分 81" not in history and "专家评分 82" not in history
    assert "专家1" not in history and "专家2" not in history
    assert "已分配评审专家" in history


def test_the_change_history_reads_the_review_records_in_chinese(people, applicant, enterprise):
    application = through("decided", people, applicant)
    objection = services.objection_file(user=make_user(Role.DEPARTMENT, department="sci_tech"),
                                        application=application, content="市场占有率数据存疑",
                                        today=application.notice_start)
    services.objection_resolve(user=people["province"], objection=objection, upheld=False, resolution="经核实无误")
    page = logged_in(people["province"]).get(f"/enterprises/{enterprise.credit_code}/").content.decode()
    history = page.split('data-testid="history"')[1]
    assert "评审专家：空 → 专家0、专家1、专家2" in history
    assert "评审意见：空 → 同意" in history and "评分：空 → 80.00" in history
    assert "异议内容：空 → 市场占有率数据存疑" in history and "处理结果：空 → 异议不成立" in history
    assert "提出的异议" in history
    for raw in ("experts", "comment", "content", "result", "dismissed", "objection："):
        assert raw not in history, raw


def test_the_panel_score_is_the_provinces_only(people, applicant, enterprise):
    """The aggregate (81.00 from 80, 81, 82) with an expert's own score gives away the others' sum."""
    application = through("decided", people, applicant)
    pages = [f"/tiers/applications/{application.pk}/", f"/tiers/batches/{application.batch_id}/",
             f"/tiers/enterprise/{enterprise.credit_code}/", "/api/v1/tiers/applications"]
    for user in (applicant, people["city"], people["experts"][0]):
        client = logged_in(user)
        for url in pages:
            response = client.get(url)
            if response.status_code != 200:
                continue  # an expert has no ladder page
            page = response.content.decode()
            assert "81.00" not in page and "专家汇总得分" not in page and '"expert_score": 81' not in page, (
                user.role, url)
    assert "公示 2026-" in _history(applicant, application)  # the decision's step and its notice stay
    province = logged_in(people["province"])
    assert "专家汇总得分" in province.get(pages[0]).content.decode()
    assert "81.00" in province.get(pages[1]).content.decode()
    assert "专家汇总得分 81.00" in province.get(pages[2]).content.decode()
    assert province.get(pages[3]).json()[0]["expert_score"] == 81.0


def test_the_objection_card_shows_others_that_there_is_one_not_what_it_says(people, applicant):
    application = through("decided", people, applicant)
    objector = make_user(Role.DEPARTMENT, department="sci_tech", full_name="省科技厅 陈处长")
    services.objection_file(user=objector, application=application, content="市场占有率数据存疑，联系人陈处长",
                            today=application.notice_start)
    for user in (applicant, people["city"], people["experts"][0]):
        page = logged_in(user).get(f"/tiers/applications/{application.pk}/").content.decode()
        card = page.split('data-testid="objections"')[1].split("</div>\n{% endif %}")[0]
        assert "市场占有率数据存疑" not in page and "待处理" in card, user.role
    province = logged_in(people["province"]).get(f"/tiers/applications/{application.pk}/").content.decode()
    assert "市场占有率数据存疑，联系人陈处长" in province


@pytest.mark.parametrize(("link", "step"), [("organisation", "experts"), ("credit_code", "experts"),
                                            ("declared", "decided")])
def test_an_expert_sees_nothing_of_an_application_of_their_own_company(people, applicant, enterprise, link, step):
    """Assigned before the link was known (the unit entered later, a link declared outside the review): the
    application and its task leave the expert's pages, the API and the to-dos."""
    from zjtx.tiers import todos

    application = through(step, people, applicant)
    expert = people["experts"][0]
    client = logged_in(expert)
    url = f"/tiers/applications/{application.pk}/"
    assert client.get(url).status_code == 200
    assert [t.count for t in todos.todos(expert)] == [1 if step == "experts" else 0]
    if link == "organisation":
        expert.organisation = enterprise.name
        expert.save(update_fields=["organisation"])
    elif link == "credit_code":
        expert.credit_code = enterprise.credit_code
        expert.save(update_fields=["credit_code"])
    else:
        services.expert_conflict_declare(user=expert, enterprise=enterprise, reason="曾任该企业技术顾问")
    assert client.get(url).status_code == 404
    reviews = client.get("/tiers/reviews/").content.decode()
    assert "暂无评审任务" in reviews.split('data-testid="review-table"')[1].split("申报回避关系")[0]
    assert client.get("/api/v1/tiers/applications").json() == []
    assert [t.count for t in todos.todos(expert)] == [0]
    # The other experts still review it.
    assert logged_in(people["experts"][1]).get(url).status_code == 200
