"""Pages and API of the tiers module render for the roles that use them and refuse the others."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_enterprise, make_user
from zjtx.accounts.roles import Role
from zjtx.tiers.models import Application
from zjtx.tiers.tests.conftest import open_batch, through

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_render_through_the_whole_flow(people, applicant, enterprise):
    application = through("recognized", people, applicant)
    batch = application.batch
    urls = [reverse("tiers:batches"), reverse("tiers:batch", args=[batch.pk]),
            reverse("tiers:application", args=[application.pk]), reverse("tiers:recognitions"),
            reverse("tiers:enterprise", args=[enterprise.credit_code]), reverse("tiers:holidays")]
    for user in (people["province"], people["city"], applicant):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user.role, url)
    page = client_for(people["province"]).get(reverse("tiers:batch", args=[batch.pk])).content.decode()
    assert "2026年已认定 1 家" in page
    ladder = client_for(applicant).get(reverse("tiers:enterprise", args=[enterprise.credit_code])).content.decode()
    assert "认定为省专精特新冠军企业" in ladder and "皖专精特新冠军〔2026〕00001号" in ladder
    expert = client_for(people["experts"][0])
    assert expert.get(reverse("tiers:reviews")).status_code == 200
    assert expert.get(reverse("tiers:application", args=[application.pk])).status_code == 200


def test_apply_page_shows_self_assessment_then_submits(people, applicant):
    batch = open_batch(people["province"])
    client = client_for(applicant)
    page = client.get(reverse("tiers:apply", args=[batch.pk])).content.decode()
    assert "政策引擎自评" in page and "符合" in page and "8,000.00" in page
    response = client.post(reverse("tiers:apply", args=[batch.pk]), {"contact_name": "", "contact_phone": "123"})
    assert "联系人" in response.content.decode() and Application.objects.count() == 0
    response = client.post(reverse("tiers:apply", args=[batch.pk]),
                           {"contact_name": "张三", "contact_phone": "0551-1234", "statement": ""})
    assert response.status_code == 302 and Application.objects.count() == 1


def test_other_scopes_get_not_found_and_wrong_roles_forbidden(people, applicant):
    application = through("submitted", people, applicant)
    url = reverse("tiers:application", args=[application.pk])
    assert client_for(people["other_city"]).get(url).status_code == 404
    stranger = make_user(Role.ENTERPRISE, credit_code=make_enterprise().credit_code)
    assert client_for(stranger).get(url).status_code == 404
    assert client_for(make_user(Role.BANK)).get(url).status_code == 403
    # A city official of another city posting an approval changes nothing.
    client_for(people["other_city"]).post(reverse("tiers:application_act", args=[application.pk, "city_approve"]))
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_illegal_action_on_the_page_shows_a_chinese_message(people, applicant):
    application = through("submitted", people, applicant)
    client = client_for(people["province"])
    response = client.post(reverse("tiers:application_act", args=[application.pk, "recognize"]), follow=True)
    assert "当前状态为“待市级审核”，不能公示期满后认定" in response.content.decode()


def test_api_lists_batches_with_counts(people, applicant):
    application = through("recognized", people, applicant)
    client = client_for(people["province"])
    data = client.get(f"/api/v1/tiers/batches/{application.batch_id}").json()
    assert data["total"]["in_batch"] == 1 and data["stock_target"] is None
    hefei = next(c for c in data["counts"] if c["city_code"] == "340100")
    assert hefei["in_batch"] == 1
    assert client.get("/api/v1/tiers/applications").json()[0]["status"] == "recognized"
    assert client_for(make_user(Role.BANK)).get("/api/v1/tiers/applications").status_code == 403


def test_reviews_page_refuses_other_roles_with_403_and_the_reason(people):
    for user in (people["province"], people["city"], make_user(Role.BANK)):
        response = client_for(user).get(reverse("tiers:reviews"))
        assert response.status_code == 403, user.role
        assert "只有评审专家有评审任务" in response.content.decode()


def test_a_returned_application_offers_resubmission_and_the_old_reason_then_leaves(people, applicant):
    from zjtx.tiers import services

    application = through("submitted", people, applicant)
    services.application_city_review(user=people["city"], application=application, approve=False,
                                     reason="请补充审计报告")
    url = reverse("tiers:application", args=[application.pk])
    page = client_for(applicant).get(url).content.decode()
    apply_url = reverse("tiers:apply", args=[application.batch_id])
    assert f'href="{apply_url}" data-testid="resubmit">修改后重新提交' in page
    assert 'data-testid="return-reason">请补充审计报告' in page
    assert "修改后重新提交" not in client_for(people["city"]).get(url).content.decode()
    client_for(applicant).post(apply_url, {"contact_name": "张三", "contact_phone": "0551-1234"})
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED and application.return_reason == ""
    page = client_for(people["city"]).get(url).content.decode()
    assert 'data-testid="return-reason"' not in page and "修改后重新提交" not in page
    assert "市级退回：请补充审计报告" in page  # in the history only


def test_pages_name_rules_and_parameters_in_chinese_not_by_code(people, applicant, enterprise):
    from zjtx.tiers.models import Recognition

    application = through("recognized", people, applicant)
    recognition = Recognition.objects.get()
    page = client_for(people["province"]).get(reverse("tiers:application", args=[application.pk])).content.decode()
    assert "汇总规则：去掉最高分和最低分后平均" in page and "trimmed_mean" not in page
    page = client_for(applicant).get(reverse("tiers:recognition", args=[recognition.pk])).content.decode()
    assert "依据：省专精特新冠军企业有效期" in page and "tiers.validity_years" not in page
    second = open_batch(people["province"], tier="provincial_champion", title="第二批")
    assert "参数指纹" not in client_for(make_user(Role.ENTERPRISE, credit_code=make_enterprise(
        tier="provincial").credit_code)).get(reverse("tiers:apply", args=[second.pk])).content.decode()
    srdi = open_batch(people["province"], tier="provincial", title="省专精特新")
    page = client_for(people["city"]).get(reverse("tiers:batch", args=[srdi.pk])).content.decode()
    assert "500 家（依据：" in page and "targets." not in page
    history = client_for(people["city"]).get(reverse("enterprises:detail", args=[enterprise.credit_code]))
    assert "trimmed_mean" not in history.content.decode() and "tiers.validity_years" not in history.content.decode()


def test_after_a_passed_re_review_the_page_shows_the_current_term_and_the_renewal(people, applicant):
    import datetime as dt

    from zjtx.tiers import services
    from zjtx.tiers.models import Recognition

    through("recognized", people, applicant)
    recognition = services.recognition_re_review(user=people["province"], recognition=Recognition.objects.get(),
                                                 passed=True, today=dt.date(2029, 3, 1))
    review = recognition.re_reviews.get()
    assert (review.validity_years, review.validity_parameter) == (3, "tiers.validity_years.provincial_champion")
    page = client_for(applicant).get(reverse("tiers:recognition", args=[recognition.pk])).content.decode()
    assert "2026-06-09 至 2032-06-08" not in page  # two terms of 3 years are not one "3年" span
    assert 'data-testid="validity">2029-06-09 至 2032-06-08（3年，复核续期）' in page
    assert "首次认定：2026-06-09 至 2029-06-08（3年，依据：省专精特新冠军企业有效期）" in page
    assert "复核续期：2029-06-09 至 2032-06-08（3年，依据：省专精特新冠军企业有效期）" in page


def test_the_recognition_list_shows_the_start_and_the_current_end_not_one_span(people, applicant):
    import datetime as dt

    from zjtx.tiers import services
    from zjtx.tiers.models import Recognition

    through("recognized", people, applicant)
    services.recognition_re_review(user=people["province"], recognition=Recognition.objects.get(), passed=True,
                                   today=dt.date(2029, 3, 1))
    page = client_for(people["province"]).get(reverse("tiers:recognitions")).content.decode()
    assert "<td>2026-06-09</td><td>2032-06-08</td>" in page and "2026-06-09 至 2032-06-08" not in page


def test_the_recognition_list_pages_and_filters(people):
    import datetime as dt

    from zjtx.tiers.models import Recognition

    for i in range(62):
        enterprise = make_enterprise(city_code="340100" if i % 2 else "340200", name=f"测试企业{i:02d}有限公司")
        Recognition.objects.create(enterprise=enterprise, tier="provincial" if i < 60 else "innovative",
                                   certificate_no=f"皖专精特新〔2025〕{i:05d}号", start_date=dt.date(2025, 1, 1),
                                   validity_years=3, validity_parameter="x", expires_on=dt.date(2027, 12, 31))
    client = Client()
    client.force_login(people["province"])
    first = client.get("/tiers/recognitions/").content.decode()
    assert "共 62 项认定，第 1/2 页" in first and first.count('href="/tiers/recognitions/') >= 50
    second = client.get("/tiers/recognitions/?page=2").content.decode()
    assert second.count("皖专精特新〔2025〕") == 12
    assert "共 2 项认定" in client.get("/tiers/recognitions/?tier=innovative").content.decode()
    assert "共 31 项认定" in client.get("/tiers/recognitions/?city=340200").content.decode()
    found = client.get("/tiers/recognitions/", {"q": "测试企业07"}).content.decode()
    assert "共 1 项认定" in found and "测试企业07有限公司" in found
    city = Client()
    city.force_login(people["city"])  # a city sees its own enterprises only, and no city filter
    page = city.get("/tiers/recognitions/").content.decode()
    assert "共 31 项认定" in page and 'name="city"' not in page


def test_the_recognition_list_shows_those_due_for_re_review(people):
    import datetime as dt

    from zjtx.tiers.models import Recognition
    from zjtx.tiers.tests.conftest import TODAY

    for i, days in enumerate((30, 170, 400)):  # 复核 from 180 days before expiry (tiers.re_review.window_days)
        Recognition.objects.create(enterprise=make_enterprise(), tier="provincial", certificate_no=f"皖〔2024〕{i}号",
                                   start_date=dt.date(2024, 1, 1), validity_years=3, validity_parameter="x",
                                   expires_on=TODAY + dt.timedelta(days=days))
    client = Client()
    client.force_login(people["province"])
    assert "共 2 项认定" in client.get("/tiers/recognitions/?due=1").content.decode()
    home = client.get("/").content.decode()
    assert "认定将在180天内到期，需开展复核</a> <strong class=\"count\">2</strong>" in home
    assert 'href="/tiers/recognitions/?due=1"' in home


def test_the_national_form_names_the_field_once_and_refuses_a_future_date(people, enterprise):
    import datetime as dt

    from zjtx.tiers.tests.conftest import TODAY

    client = client_for(people["province"])
    url = reverse("tiers:recognitions")
    data = {"credit_code": "91340100MA2W6E3K3X", "tier": "little_giant", "certificate_no": "工信部企业函〔2026〕1号",
            "start_date": TODAY.isoformat()}
    page = client.post(url, data).content.decode()
    assert "统一社会信用代码：企业库中没有这家企业" in page and "统一社会信用代码：统一社会信用代码" not in page
    data.update(credit_code=enterprise.credit_code, start_date=(TODAY + dt.timedelta(days=1)).isoformat())
    page = client.post(url, data).content.decode()
    assert "认定日期：认定日期不能晚于今天" in page
    assert not enterprise.recognitions.exists()


def test_reviewers_see_the_figures_the_enterprise_declared(people, applicant):
    application = through("experts", people, applicant)
    assert application.declared["rd_expense"]
    for user in (people["city"], people["experts"][0], people["province"], applicant):
        page = client_for(user).get(reverse("tiers:application", args=[application.pk])).content.decode()
        declared = page.split('data-testid="declared"')[1].split("</div>")[0]
        assert "研发费用" in declared and str(application.declared["rd_expense"]) in declared, user.role
        assert "营业收入" in declared and "2025" in declared


def test_the_condition_table_shows_actual_values_with_units_as_the_explanation_does():
    from django.template.loader import render_to_string

    def row(label, actual, unit, threshold, missing=()):
        return {"label": label, "group": "", "status": "不满足", "actual": actual, "unit": unit,
                "threshold": threshold, "clause": "", "missing": list(missing)}

    assessment = {"status": "不符合", "score": 60, "as_of": "2026-06-01", "data_year": 2025, "unmet": [
        row("主导产品所属领域", 0.0, "是/否", "是"), row("细分市场排名", None, "名", "≤ 3名", ["market_rank"]),
        row("获奖排名", None, "名", "≤ 3名"), row("营业收入", 1404.2, "万元", "≥ 3,000万元"),
        row("研发费用占比", 49.48, "%", "≥ 50%"), row("新增股权融资", 0.0, "万元", "> 0万元")]}
    html = render_to_string("tiers/_assessment.html", {"assessment": assessment})
    cells = [c.split("</td>")[0] for c in html.split('<td class="num">')[1:]]
    assert cells == ["否", "缺", "无", "1,404.2万元", "49.48%", "0万元"]


def test_a_score_with_items_lacking_data_shows_its_known_and_highest_points_not_a_dash():
    from django.template.loader import render_to_string

    def row(status, low, high):
        return {"label": "评价总分", "group": "", "status": status, "actual": None, "actual_min": low,
                "actual_max": high, "unit": "分", "threshold": "≥ 60分", "clause": "标准3.1", "missing": []}

    assessment = {"status": "不符合", "score": None, "as_of": "2026-06-01", "data_year": 2025,
                  "unmet": [row("不满足", 35.0, 55.0), row("数据不足", 35.0, 75.0)]}
    html = render_to_string("tiers/_assessment.html", {"assessment": assessment})
    cells = [c.split("</td>")[0] for c in html.split('<td class="num">')[1:]]
    assert cells == ["最高可能 55分", "已知 35分，最高可能 75分"]


def test_the_assignment_form_shows_who_is_assigned_and_offers_replacements_only(people, applicant, enterprise):
    from zjtx.tiers import services

    application = through("experts", people, applicant)
    spare = make_user(Role.EXPERT, full_name="专家备选")
    url = reverse("tiers:application", args=[application.pk])
    province = client_for(people["province"])
    card = province.get(url).content.decode().split('data-testid="assign-experts"')[1].split("</div>")[0]
    assert "已分配 3 位：<span" in card and "专家0、专家1、专家2" in card
    assert "已达到最少人数，无需再分配" in card and "<button" not in card
    services.expert_conflict_declare(user=people["experts"][0], enterprise=enterprise, reason="曾任该企业顾问")
    card = province.get(url).content.decode().split('data-testid="assign-experts"')[1].split("</div>")[0]
    assert "已分配 2 位" in card and "追加分配</button>" in card
    assert card.count("checked disabled") == 2 and card.count("已分配</span>") == 2
    assert f'name="experts" value="{spare.pk}"' in card
    assert f'value="{people["experts"][1].pk}"' not in card  # assigned: not offered again
    assert "须回避：专家已申报与该企业存在关联" in card


def test_the_ladder_reads_in_workflow_dates_and_a_failed_re_review_is_one_revocation(people, applicant, enterprise,
                                                                                     settings):
    import datetime as dt
    import re

    from zjtx.tiers import services
    from zjtx.tiers.models import Recognition

    through("recognized", people, applicant)
    settings.ZJTX_TODAY = dt.date(2029, 3, 1)  # within the 复核 window of the recognition (to 2029-06-08)
    services.recognition_re_review(user=people["province"], recognition=Recognition.objects.get(), passed=False,
                                   reason="研发投入不达标")
    page = client_for(people["province"]).get(reverse("tiers:enterprise", args=[enterprise.credit_code]))
    ladder = page.content.decode().split('data-testid="ladder-history"')[1].split("</ul>")[0]
    assert "2029-03-01</strong> 省专精特新冠军企业复核未通过，撤销认定" in ladder
    assert "撤销省专精特新冠军企业认定" not in ladder  # not a second event
    assert "2026-06-01</strong> 省级决定：同意认定并公示" in ladder and "省级决定：已认定" not in ladder
    dates = re.findall(r"<strong>(\d{4}-\d\d-\d\d)</strong>", ladder)
    assert dates == sorted(dates, reverse=True)


def test_a_revoked_recognition_shows_when_who_and_why(people, applicant, settings):
    import datetime as dt

    from zjtx.tiers import services
    from zjtx.tiers.models import Recognition

    through("recognized", people, applicant)
    settings.ZJTX_TODAY = dt.date(2027, 2, 3)
    recognition = services.recognition_revoke(user=people["province"], recognition=Recognition.objects.get(),
                                              reason="提供虚假材料")
    page = client_for(people["city"]).get(reverse("tiers:recognition", args=[recognition.pk])).content.decode()
    assert "当前有效期" not in page
    assert 'data-testid="revoked-on">2027-02-03<' in page
    assert "省经信厅 王处长" in page and "提供虚假材料" in page


def test_the_resubmit_page_says_so_lists_the_files_and_ends_the_reason_once(people, applicant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zjtx.tiers import services
    from zjtx.tiers.tests.conftest import submit

    batch = open_batch(people["province"])
    application = submit(applicant, batch, attachments=[SimpleUploadedFile("审计报告.pdf", b"%PDF-1.4 a")])
    services.application_city_review(user=people["city"], application=application, approve=False,
                                     reason="请补充2025年度审计报告。")
    page = client_for(applicant).get(reverse("tiers:apply", args=[batch.pk])).content.decode()
    assert "申报已被退回：请补充2025年度审计报告。修改后" in page and "。。" not in page
    assert "重新提交</button>" in page and "提交申报</button>" not in page
    assert 'data-testid="uploaded">' in page and "审计报告.pdf</a>" in page


def test_declared_figures_read_as_amounts_and_counts_elsewhere(people, applicant):
    """Money with thousands separators (8,000.00) as on every page; a count of 0 is 0, not '—' (unknown)."""
    application = through("submitted", people, applicant)
    application.declared.update(revenue="16555.35", ip_i_count=0)
    application.save(update_fields=["declared"])
    page = client_for(people["city"]).get(reverse("tiers:application", args=[application.pk])).content.decode()
    declared = page.split('data-testid="declared"')[1].split("</div>")[0]
    assert "16,555.35" in declared and "7,000.00" in declared and "400.00" in declared
    assert "<dt>I类知识产权</dt><dd>0</dd>" in declared and "<dt>员工人数</dt><dd>200</dd>" in declared


def test_the_province_decides_with_the_combined_score_against_the_pass_mark(people, applicant):
    application = through("experts", people, applicant)
    client = client_for(people["province"])
    url = reverse("tiers:application", args=[application.pk])
    page = client.get(url).content.decode()
    assert "专家评分 0/3 位（至少 3 位）；" in page and "评分未齐，暂不能同意认定" in page
    from zjtx.tiers import services

    for expert, score in zip(people["experts"], (80, 82, 84), strict=True):
        services.expert_score(user=expert, application=application, score=score)
    page = client.get(url).content.decode()
    assert "专家评分 3/3 位（至少 3 位）；" in page and "汇总得分 <strong>82.00</strong> 分（" in page
    assert "通过分数线 60 分：<strong class=\"status-done\">达到</strong>" in page


def test_an_enterprise_that_applied_is_offered_its_application_not_a_second_apply(people, applicant):
    application = through("submitted", people, applicant)
    client = client_for(applicant)
    for url in (reverse("tiers:batches"), reverse("tiers:batch", args=[application.batch_id])):
        page = client.get(url).content.decode()
        assert "我的申报</a>" in page and reverse("tiers:application", args=[application.pk]) in page
        assert reverse("tiers:apply", args=[application.batch_id]) not in page


def test_the_application_page_says_when_its_recognition_was_revoked_or_has_expired(people, applicant, settings):
    import datetime as dt

    from zjtx.tiers import services
    from zjtx.tiers.models import Recognition

    application = through("recognized", people, applicant)
    recognition = Recognition.objects.get()
    url = reverse("tiers:application", args=[application.pk])
    page = client_for(applicant).get(url).content.decode()
    assert f'href="{reverse("tiers:recognition", args=[recognition.pk])}">皖专精特新冠军' in page
    assert 'data-testid="certificate-status"' not in page
    settings.ZJTX_TODAY = recognition.expires_on + dt.timedelta(days=1)
    assert 'data-testid="certificate-status">已到期<' in client_for(people["city"]).get(url).content.decode()
    settings.ZJTX_TODAY = recognition.expires_on - dt.timedelta(days=100)
    services.recognition_revoke(user=people["province"], recognition=recognition, reason="材料造假")
    assert 'data-testid="certificate-status">已撤销<' in client_for(applicant).get(url).content.decode()
    expert_page = client_for(people["experts"][0]).get(url).content.decode()
    assert "已撤销" in expert_page and reverse("tiers:recognition", args=[recognition.pk]) not in expert_page


def test_the_recognition_page_counts_the_days_left_and_tells_the_enterprise_about_re_review(people, applicant,
                                                                                          settings):
    import datetime as dt

    from zjtx.tiers.models import Recognition

    through("recognized", people, applicant)
    recognition = Recognition.objects.get()
    url = reverse("tiers:recognition", args=[recognition.pk])
    settings.ZJTX_TODAY = recognition.expires_on - dt.timedelta(days=30)
    page = client_for(applicant).get(url).content.decode()
    assert 'data-testid="days-left">30 天' in page
    assert "届满前 180 天内，即自 2028-12-10 起，由省级组织复核" in page
    province = client_for(people["province"]).get(url).content.decode()
    assert 'data-testid="days-left">30 天</dd>' in province and "保存复核结果" in province
    settings.ZJTX_TODAY = recognition.expires_on + dt.timedelta(days=1)
    assert 'data-testid="days-left"' not in client_for(applicant).get(url).content.decode()
