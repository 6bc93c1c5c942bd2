"""The recognition workflow, step by step: who may act, in which state, and that a refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError

from tests.factories import logged_in, make_enterprise, make_user
from zjtx.accounts.roles import Role
from zjtx.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from zjtx.core.models import AuditEvent
from zjtx.enterprises.models import Enterprise
from zjtx.policy.models import ProgrammeEvent
from zjtx.tiers import selectors, services
from zjtx.tiers.models import Application, ExpertAssignment, Objection, Recognition
from zjtx.tiers.tests.conftest import TODAY, open_batch, qualifying_enterprise, submit, through
from zjtx.tiers.workflow import IllegalTransitionError

pytestmark = pytest.mark.django_db


def test_batch_takes_quota_and_notice_period_from_parameters(people):
    batch = open_batch(people["province"], tier="provincial", title="2026年省专精特新企业遴选")
    assert batch.quota == 500 and batch.quota_parameter == "targets.provincial_srdi.yearly"
    assert batch.notice_working_days == 5
    assert batch.city_review_deadline == dt.date(2026, 7, 15)
    innovative = open_batch(people["province"], tier="innovative", title="创新型")
    assert innovative.quota == 2000
    champion = open_batch(people["province"], title="冠军")
    assert champion.quota is None  # the plan sets no yearly number for 省冠军


def test_only_province_opens_batches_and_bad_dates_are_named(people):
    with pytest.raises(PermissionDeniedError, match="只有省级管理员可以开设申报批次"):
        open_batch(people["city"])
    with pytest.raises(ApplicationError, match="申报截止日期不能早于申报开始日期") as exc:
        open_batch(people["province"], closes_on=dt.date(2026, 4, 1))
    assert exc.value.field == "closes_on"


def test_submit_stores_self_assessment_declared_indicators_and_attachments(people, applicant, enterprise):
    batch = open_batch(people["province"])
    upload = SimpleUploadedFile("营业执照.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    application = submit(applicant, batch, attachments=[upload])
    assert application.status == Application.Status.SUBMITTED
    assert application.assessment["status"] == "符合" and application.assessment["data_year"] == 2025
    assert not application.flagged
    assert application.declared["year"] == 2025 and application.declared["revenue"] == "8000"
    attachment = application.attachments.get()
    assert attachment.name == "营业执照.pdf" and attachment.size == 13 and len(attachment.sha256) == 64
    assert attachment.file.read() == b"%PDF-1.4 test"
    assert AuditEvent.objects.filter(action="tiers.submit", enterprise_code=enterprise.credit_code).exists()


def test_clearly_unqualified_application_is_allowed_but_flagged(people):
    weak = make_enterprise(tier="innovative")
    user = make_user(Role.ENTERPRISE, credit_code=weak.credit_code)
    application = submit(user, open_batch(people["province"]))
    assert application.flagged and application.flag_reason.startswith("政策引擎自评不符合")
    assert application.assessment["unmet"]


def test_bad_input_names_the_field_and_stores_nothing(people, applicant):
    batch = open_batch(people["province"])
    with pytest.raises(ApplicationError, match="请填写联系人") as exc:
        submit(applicant, batch, contact_name=" ")
    assert exc.value.field == "contact_name"
    bad = SimpleUploadedFile("a.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ApplicationError, match="格式不支持"):
        submit(applicant, batch, attachments=[bad])
    assert Application.objects.count() == 0


def test_submit_outside_the_batch_period_is_refused(people, applicant):
    batch = open_batch(people["province"], opens_on=dt.date(2026, 7, 1), closes_on=dt.date(2026, 7, 31))
    with pytest.raises(ApplicationError, match="不在申报期内"):
        submit(applicant, batch)


def test_city_return_then_resubmit(people, applicant):
    application = submit(applicant, open_batch(people["province"]))
    with pytest.raises(ApplicationError, match="请填写退回原因"):
        services.application_city_review(user=people["city"], application=application, approve=False)
    application = services.application_city_review(user=people["city"], application=application, approve=False,
                                                   reason="缺少审计报告")
    assert application.status == Application.Status.RETURNED and application.return_reason == "缺少审计报告"
    application = submit(applicant, application.batch)
    assert application.status == Application.Status.SUBMITTED
    assert Application.objects.count() == 1


def test_other_city_cannot_review_and_nothing_changes(people, applicant):
    application = submit(applicant, open_batch(people["province"]))
    with pytest.raises(NotFoundError):
        services.application_city_review(user=people["other_city"], application=application, approve=True)
    with pytest.raises(PermissionDeniedError, match="只有市级管理员可以市级审核通过"):
        services.application_city_review(user=people["province"], application=application, approve=True)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_city_review_after_the_deadline_is_refused(people, applicant):
    application = submit(applicant, open_batch(people["province"]))
    with pytest.raises(ApplicationError, match="已超过本批次市级审核截止日期"):
        services.application_city_review(user=people["city"], application=application, approve=True,
                                         today=dt.date(2026, 8, 1))


def test_illegal_transition_is_refused_with_state_and_changes_nothing(people, applicant):
    application = submit(applicant, open_batch(people["province"]))
    before = AuditEvent.objects.count()
    with pytest.raises(IllegalTransitionError, match="当前状态为“待市级审核”，不能作出认定（推荐）决定"):
        services.application_decide(user=people["province"], application=application, approve=True)
    with pytest.raises(IllegalTransitionError, match="不能公示期满后认定"):
        services.application_recognize(user=people["province"], application=application)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert AuditEvent.objects.count() == before


def test_experts_linked_to_the_enterprise_are_refused(people, applicant, enterprise):
    application = through("city", people, applicant)
    insider = make_user(Role.EXPERT, credit_code=enterprise.credit_code, full_name="内部专家")
    with pytest.raises(ApplicationError, match="须回避（专家所在单位即申报企业）"):
        services.experts_assign(user=people["province"], application=application, experts=[insider])
    declared = people["experts"][0]
    services.expert_conflict_declare(user=declared, enterprise=enterprise, reason="曾任该企业技术顾问")
    with pytest.raises(ApplicationError, match="曾任该企业技术顾问"):
        services.experts_assign(user=people["province"], application=application, experts=people["experts"])
    assert ExpertAssignment.objects.count() == 0
    not_expert = make_user(Role.CITY, city_code="340100")
    with pytest.raises(ApplicationError, match="不是评审专家"):
        services.experts_assign(user=people["province"], application=application, experts=[not_expert])


def test_only_assigned_experts_score_and_scores_are_checked(people, applicant):
    application = through("experts", people, applicant)
    outsider = make_user(Role.EXPERT)
    with pytest.raises(ApplicationError, match="未分配给您"):
        services.expert_score(user=outsider, application=application, score=90)
    with pytest.raises(ApplicationError, match="评分应为 0 到 100 之间的数字") as exc:
        services.expert_score(user=people["experts"][0], application=application, score="120")
    assert exc.value.field == "score"
    with pytest.raises(ApplicationError, match="评分应为"):
        services.expert_score(user=people["experts"][0], application=application, score="abc")
    with pytest.raises(ApplicationError, match="评分最多保留两位小数") as exc:
        services.expert_score(user=people["experts"][0], application=application, score="85.555")
    assert exc.value.field == "score"
    assert not ExpertAssignment.objects.filter(score__isnull=False).exists()
    assert services.expert_score(user=people["experts"][0], application=application, score="85.50").score == Decimal(
        "85.50")


def test_decision_needs_every_score_and_uses_the_aggregation_rule(people, applicant):
    application = through("experts", people, applicant)
    services.expert_score(user=people["experts"][0], application=application, score=90)
    with pytest.raises(ApplicationError, match="还有 2 位专家未评分"):
        services.application_decide(user=people["province"], application=application, approve=True)
    services.expert_score(user=people["experts"][1], application=application, score=70)
    services.expert_score(user=people["experts"][2], application=application, score="85.5")
    application = services.application_decide(user=people["province"], application=application, approve=True)
    assert application.expert_score == Decimal("81.83") and application.aggregation == "trimmed_mean"
    assert application.status == Application.Status.IN_NOTICE
    # Decided on Monday 2026-06-01: five working days from Tuesday.
    assert (application.notice_start, application.notice_end) == (dt.date(2026, 6, 2), dt.date(2026, 6, 8))


def test_aggregation_rules():
    scores = [Decimal(x) for x in ("50", "70", "80", "90", "100")]
    assert selectors.aggregate(scores, "mean") == Decimal("78.00")
    assert selectors.aggregate(scores, "trimmed_mean") == Decimal("80.00")
    assert selectors.aggregate(scores[:3], "trimmed_mean") == Decimal("66.67")
    assert selectors.aggregate(scores[:4], "median") == Decimal("75.00")


def test_low_score_cannot_be_approved(people, applicant):
    application = through("experts", people, applicant)
    for expert in people["experts"]:
        services.expert_score(user=expert, application=application, score=40)
    with pytest.raises(ApplicationError, match="低于通过分数线 60 分"):
        services.application_decide(user=people["province"], application=application, approve=True)
    application = services.application_decide(user=people["province"], application=application, approve=False,
                                              reason="专家评审未达分数线")
    assert application.status == Application.Status.REJECTED


def test_objections_block_recognition_until_resolved(people, applicant):
    application = through("decided", people, applicant)
    competitor = make_user(Role.ENTERPRISE, credit_code=make_enterprise().credit_code)
    during = application.notice_start
    with pytest.raises(ApplicationError, match="申报企业不能对自己的公示提出异议"):
        services.objection_file(user=applicant, application=application, content="无", today=during)
    objection = services.objection_file(user=competitor, application=application, content="市场占有率数据存疑",
                                        today=during)
    after_notice = application.notice_end + dt.timedelta(days=1)
    with pytest.raises(ApplicationError, match="还有 1 条公示异议未处理"):
        services.application_recognize(user=people["province"], application=application, today=after_notice)
    with pytest.raises(ApplicationError, match="公示期已于"):
        services.objection_file(user=competitor, application=application, content="再提", today=after_notice)
    services.objection_resolve(user=people["province"], objection=objection, upheld=False,
                               resolution="经核实数据属实")
    with pytest.raises(IllegalTransitionError, match="该异议已处理"):
        services.objection_resolve(user=people["province"], objection=objection, upheld=True, resolution="x")
    recognition = services.application_recognize(user=people["province"], application=application,
                                                 today=after_notice)
    assert recognition.status == Recognition.Status.VALID


def test_upheld_objection_rejects_the_application(people, applicant):
    application = through("decided", people, applicant)
    objection = services.objection_file(user=people["city"], application=application, content="存在安全生产事故",
                                        today=application.notice_end)
    services.objection_resolve(user=people["province"], objection=objection, upheld=True, resolution="经查属实")
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert Objection.objects.get().status == Objection.Status.UPHELD


def test_recognition_only_after_the_notice_period(people, applicant, enterprise):
    application = through("decided", people, applicant)
    with pytest.raises(ApplicationError, match="公示期满后才能认定"):
        services.application_recognize(user=people["province"], application=application,
                                       today=application.notice_end)
    recognition = services.application_recognize(user=people["province"], application=application,
                                                 today=application.notice_end + dt.timedelta(days=1))
    assert recognition.certificate_no == "皖专精特新冠军〔2026〕00001号"
    assert recognition.start_date == dt.date(2026, 6, 9)
    assert recognition.validity_years == 3 and recognition.expires_on == dt.date(2029, 6, 8)
    assert recognition.batch == application.batch
    enterprise.refresh_from_db()
    assert enterprise.tier == "provincial_champion"
    event = ProgrammeEvent.objects.get(enterprise=enterprise)
    assert event.kind == "recognized_provincial_champion" and recognition.event == event
    actions = set(AuditEvent.objects.filter(enterprise_code=enterprise.credit_code).values_list("action", flat=True))
    assert {"tiers.submit", "tiers.city_approve", "tiers.assign_experts", "tiers.expert_score",
            "tiers.decide_approve", "tiers.recognized", "tiers.recognize", "set_tier", "programme_event"} <= actions


def test_validity_follows_the_criteria_set_of_the_start_date(people):
    srdi = qualifying_enterprise()
    recognition = services._create_recognition(
        user=people["province"], enterprise=srdi, tier="provincial", start_date=dt.date(2026, 5, 1),
        certificate_no="", source=Recognition.Source.PROVINCE, application=None, batch=None)
    assert recognition.validity_parameter == "criteria.2026.srdi.validity_years"
    assert recognition.expires_on == dt.date(2029, 4, 30)


def test_an_enterprise_holding_the_tier_cannot_apply_again(people, applicant):
    through("recognized", people, applicant)
    batch = open_batch(people["province"], title="第二批")
    with pytest.raises(ApplicationError, match="到期前请参加复核"):
        submit(applicant, batch, )


def test_national_result_recorded_by_the_province(people, enterprise):
    with pytest.raises(ApplicationError, match="只能录入国家级"):
        services.recognition_record_national(user=people["province"], enterprise=enterprise, tier="provincial",
                                             certificate_no="X", start_date=TODAY)
    with pytest.raises(PermissionDeniedError):
        services.recognition_record_national(user=people["city"], enterprise=enterprise, tier="little_giant",
                                             certificate_no="工信部企业函〔2026〕1号", start_date=TODAY)
    recognition = services.recognition_record_national(user=people["province"], enterprise=enterprise,
                                                       tier="little_giant", certificate_no="工信部企业函〔2026〕1号",
                                                       start_date=TODAY)
    assert recognition.source == Recognition.Source.NATIONAL and recognition.event.kind == "recognized_little_giant"
    assert Enterprise.objects.get(pk=enterprise.pk).tier == "little_giant"
    with pytest.raises(ApplicationError, match="已有有效期内"):
        services.recognition_record_national(user=people["province"], enterprise=enterprise, tier="little_giant",
                                             certificate_no="工信部企业函〔2026〕2号", start_date=TODAY)


def test_the_re_review_form_shows_the_engines_verdict_under_the_re_review_criteria(people, applicant, enterprise,
                                                                                  settings):
    from tests.factories import logged_in

    through("recognized", people, applicant)
    recognition = Recognition.objects.get()
    settings.ZJTX_TODAY = recognition.expires_on - dt.timedelta(days=30)  # within the 复核 window
    page = logged_in(people["province"]).get(f"/tiers/recognitions/{recognition.pk}/").content.decode()
    assert "保存复核结果" in page and "政策引擎自评：" in page
    assert "（复核，标准 " in page  # the enterprise holds the tier: the engine takes the re-review set
    # Whoever may not re-review does not get the form, nor the evaluation behind it.
    page = logged_in(people["city"]).get(f"/tiers/recognitions/{recognition.pk}/").content.decode()
    assert "保存复核结果" not in page and "政策引擎自评" not in page


def test_a_recognition_past_its_validity_expires_and_the_registry_tier_falls(people, applicant, enterprise,
                                                                            settings):
    import io

    from django.core.management import call_command

    through("recognized", people, applicant)
    recognition = Recognition.objects.get()
    tier = Enterprise.objects.get(pk=enterprise.pk).tier
    assert tier == recognition.tier
    out = io.StringIO()
    settings.ZJTX_TODAY = recognition.expires_on + dt.timedelta(days=1)
    call_command("expire_recognitions", "--today", recognition.expires_on.isoformat(), stdout=out)
    assert "已到期的认定：0 项" in out.getvalue()  # the last day of validity is still valid
    day_after = (recognition.expires_on + dt.timedelta(days=1)).isoformat()
    call_command("expire_recognitions", "--today", day_after, stdout=out)
    assert "已到期的认定：1 项" in out.getvalue()
    recognition.refresh_from_db()
    assert recognition.status == Recognition.Status.EXPIRED
    assert Enterprise.objects.get(pk=enterprise.pk).tier == ""  # no other recognition in force
    assert AuditEvent.objects.filter(action__endswith="expire", target_id=str(recognition.pk)).exists()
    assert AuditEvent.objects.filter(action="set_tier", enterprise_code=enterprise.credit_code).exists()
    call_command("expire_recognitions", "--today", day_after, stdout=out)  # nothing left to do
    assert out.getvalue().endswith("已到期的认定：0 项。\n")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("expire_recognitions", "--today", "明天")


def test_expiry_refuses_a_day_after_today_and_changes_nothing(people, applicant, enterprise):
    from django.core.management import call_command

    through("recognized", people, applicant)
    recognition = Recognition.objects.get()
    later = (recognition.expires_on + dt.timedelta(days=1)).isoformat()
    with pytest.raises(CommandError, match="不能晚于今天（2026-06-01）"):
        call_command("expire_recognitions", "--today", later)
    recognition.refresh_from_db()
    assert recognition.status == Recognition.Status.VALID
    assert Enterprise.objects.get(pk=enterprise.pk).tier == recognition.tier


def test_a_recognition_past_its_validity_reads_expired_before_the_daily_run(people, applicant, enterprise,
                                                                            settings):
    """Between the last day of validity and the next run of expire_recognitions the pages already say 已到期:
    the status tag and filter, no 撤销 (refused too), and the ladder shows the end of the validity."""
    through("recognized", people, applicant)
    recognition = Recognition.objects.get()
    settings.ZJTX_TODAY = recognition.expires_on + dt.timedelta(days=1)
    province = logged_in(people["province"])
    page = province.get(f"/tiers/recognitions/{recognition.pk}/").content.decode()
    assert 'data-testid="recognition-status">已到期<' in page
    assert "当前有效期" not in page and "撤销原因" not in page
    assert "有效期已于 2029-06-08 届满，不能复核" in page
    listed = province.get("/tiers/recognitions/?status=valid").content.decode()
    assert recognition.certificate_no not in listed
    listed = province.get("/tiers/recognitions/?status=expired").content.decode()
    assert recognition.certificate_no in listed
    assert [r["status"] for r in province.get("/api/v1/tiers/recognitions").json()] == ["expired"]
    with pytest.raises(ApplicationError, match="已到期的认定不能撤销"):
        services.recognition_revoke(user=people["province"], recognition=recognition, reason="材料造假")
    recognition.refresh_from_db()
    assert recognition.status == Recognition.Status.VALID and recognition.revoked_reason == ""
    ladder = province.get(f"/tiers/enterprise/{enterprise.credit_code}/").content.decode()
    assert "2029-06-09</strong> 省专精特新冠军企业有效期届满" in ladder
    # On its last day it is still in force: the page says so and offers 撤销.
    settings.ZJTX_TODAY = recognition.expires_on
    page = province.get(f"/tiers/recognitions/{recognition.pk}/").content.decode()
    assert 'data-testid="recognition-status">有效<' in page and "撤销原因" in page


def test_a_new_recognition_after_the_old_one_expired_keeps_the_registry_tier(people, enterprise, settings):
    first = services.recognition_record_national(user=people["province"], enterprise=enterprise, tier="little_giant",
                                                 certificate_no="工信部〔2026〕1号", start_date=TODAY)
    again = first.expires_on + dt.timedelta(days=1)
    settings.ZJTX_TODAY = again
    # Recording the new one first expires the old one (the tier falls), then raises the tier again.
    second = services.recognition_record_national(user=people["province"], enterprise=enterprise,
                                                  tier="little_giant", certificate_no="工信部〔2029〕7号",
                                                  start_date=again)
    first.refresh_from_db()
    assert first.status == Recognition.Status.EXPIRED and second.status == Recognition.Status.VALID
    assert Enterprise.objects.get(pk=enterprise.pk).tier == "little_giant"


def test_a_national_title_dated_after_today_is_refused_and_changes_nothing(people, enterprise):
    held = services.recognition_record_national(user=people["province"], enterprise=enterprise, tier="little_giant",
                                                certificate_no="工信部企业函〔2026〕1号", start_date=TODAY)
    events = AuditEvent.objects.count()
    with pytest.raises(ApplicationError, match="认定日期不能晚于今天") as exc:
        services.recognition_record_national(user=people["province"], enterprise=enterprise,
                                             tier="single_champion", certificate_no="工信部企业函〔2026〕2号",
                                             start_date=held.expires_on + dt.timedelta(days=1))
    assert exc.value.field == "start_date"
    held.refresh_from_db()
    assert held.status == Recognition.Status.VALID and Recognition.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_recording_a_recognition_expires_by_the_real_today_not_its_start_date(people, enterprise):
    held = services.recognition_record_national(user=people["province"], enterprise=enterprise, tier="little_giant",
                                                certificate_no="工信部企业函〔2026〕1号", start_date=TODAY)
    # An application recognised on a later workflow date (given by the caller) must not end what is
    # still valid on the clock's today.
    services._create_recognition(user=people["province"], enterprise=enterprise, tier="provincial",
                                 start_date=held.expires_on + dt.timedelta(days=30), certificate_no="",
                                 source=Recognition.Source.PROVINCE, application=None, batch=None)
    held.refresh_from_db()
    assert held.status == Recognition.Status.VALID
    assert Enterprise.objects.get(pk=enterprise.pk).tier == "little_giant"


def test_the_re_review_form_is_offered_only_within_the_window(people, applicant, settings):
    from tests.factories import logged_in

    through("recognized", people, applicant)
    recognition = Recognition.objects.get()
    url = f"/tiers/recognitions/{recognition.pk}/"
    province = logged_in(people["province"])
    page = province.get(url).content.decode()  # just recognised: 复核 is three years away
    assert "保存复核结果" not in page and "政策引擎自评" not in page
    assert "可于 2028-12-10 起复核（有效期届满前 180 天内，至 2029-06-08）" in page
    settings.ZJTX_TODAY = dt.date(2028, 12, 10)
    assert "保存复核结果" in province.get(url).content.decode()
    services.recognition_re_review(user=people["province"], recognition=recognition, passed=True)
    page = province.get(url).content.decode()  # renewed: the next 复核 is before the new expiry
    assert "保存复核结果" not in page and "可于 2031-12-11 起复核" in page
    settings.ZJTX_TODAY = dt.date(2032, 6, 9)
    assert "有效期已于 2032-06-08 届满，不能复核" in province.get(url).content.decode()


def test_re_review_window_pass_and_fail(people, applicant, enterprise):
    through("recognized", people, applicant)
    recognition = Recognition.objects.get()
    with pytest.raises(ApplicationError, match="尚未到复核时间"):
        services.recognition_re_review(user=people["province"], recognition=recognition, passed=True,
                                       today=dt.date(2028, 6, 1))
    with pytest.raises(PermissionDeniedError):
        services.recognition_re_review(user=people["city"], recognition=recognition, passed=True,
                                       today=dt.date(2029, 3, 1))
    recognition = services.recognition_re_review(user=people["province"], recognition=recognition, passed=True,
                                                 reason="复核通过", today=dt.date(2029, 3, 1))
    assert recognition.expires_on == dt.date(2032, 6, 8) and recognition.re_reviews.get().passed
    with pytest.raises(ApplicationError, match="不能复核"):
        services.recognition_re_review(user=people["province"], recognition=recognition, passed=True,
                                       today=dt.date(2032, 6, 9))
    with pytest.raises(ApplicationError, match="请填写复核未通过的理由"):
        services.recognition_re_review(user=people["province"], recognition=recognition, passed=False,
                                       today=dt.date(2032, 3, 1))
    recognition = services.recognition_re_review(user=people["province"], recognition=recognition, passed=False,
                                                 reason="研发投入不达标", today=dt.date(2032, 3, 1))
    assert recognition.status == Recognition.Status.REVOKED


def test_revocation_needs_a_reason_and_lowers_the_registry_tier(people, applicant, enterprise):
    through("recognized", people, applicant)
    recognition = Recognition.objects.get()
    with pytest.raises(ApplicationError, match="请填写撤销原因"):
        services.recognition_revoke(user=people["province"], recognition=recognition, reason="")
    services.recognition_revoke(user=people["province"], recognition=recognition, reason="发生重大安全事故")
    enterprise.refresh_from_db()
    assert enterprise.tier == ""
    with pytest.raises(IllegalTransitionError, match="当前状态为“已撤销”"):
        services.recognition_revoke(user=people["province"], recognition=recognition, reason="再次")


def test_assignment_below_the_minimum_is_refused_and_the_form_states_it(people, applicant):
    from tests.factories import logged_in

    application = through("city", people, applicant)
    page = logged_in(people["province"]).get(f"/tiers/applications/{application.pk}/").content.decode()
    assert "至少需分配 <strong>3</strong> 位评审专家" in page
    with pytest.raises(ApplicationError, match="至少需分配 3 位无需回避的专家，本次分配后只有 1 位") as exc:
        services.experts_assign(user=people["province"], application=application, experts=people["experts"][:1])
    assert exc.value.field == "experts"
    application.refresh_from_db()
    assert application.status == Application.Status.CITY_APPROVED and not ExpertAssignment.objects.exists()
    services.experts_assign(user=people["province"], application=application, experts=people["experts"])
    # A further expert may join a full panel.
    services.experts_assign(user=people["province"], application=application, experts=[make_user(Role.EXPERT)])
    assert ExpertAssignment.objects.count() == 4


def test_a_conflict_declared_after_assignment_withdraws_it_and_a_replacement_can_score(people, applicant, enterprise):
    from tests.factories import logged_in

    application = through("experts", people, applicant)
    conflicted, scorer, other = people["experts"]
    services.expert_score(user=scorer, application=application, score=80)
    services.expert_conflict_declare(user=conflicted, enterprise=enterprise, reason="持有该企业股份")
    assert set(application.assignments.values_list("expert_id", flat=True)) == {scorer.pk, other.pk}
    withdrawal = AuditEvent.objects.get(action="tiers.assignment_withdraw")
    assert withdrawal.target_id == str(application.pk) and "持有该企业股份" in withdrawal.summary
    assert "暂无评审任务" in logged_in(conflicted).get("/tiers/reviews/").content.decode()
    services.expert_score(user=other, application=application, score=85)
    with pytest.raises(ApplicationError, match="至少需要 3 位专家评分，目前 2 位"):
        services.application_decide(user=people["province"], application=application, approve=True)
    replacement = make_user(Role.EXPERT, full_name="替补专家")
    services.experts_assign(user=people["province"], application=application, experts=[replacement])
    services.expert_score(user=replacement, application=application, score=85)
    application = services.application_decide(user=people["province"], application=application, approve=True)
    assert application.status == Application.Status.IN_NOTICE


def test_an_enterprise_at_or_above_the_batch_tier_cannot_apply(people, applicant, enterprise):
    from tests.factories import logged_in

    innovative = open_batch(people["province"], tier="innovative", title="2026年创新型中小企业评价")
    # The registry tier (省专精特新) is above 创新型: refused before the engine calls it 复核.
    with pytest.raises(ApplicationError, match="企业库中的梯度层级已是省专精特新企业，不低于本批次") as exc:
        submit(applicant, innovative)
    assert exc.value.field == "batch"
    page = logged_in(applicant).get(f"/tiers/batches/{innovative.pk}/apply/").content.decode()
    assert "不能申报本批次" in page and "提交申报" not in page and "（复核，" not in page
    same = open_batch(people["province"], tier="provincial", title="2026年省专精特新企业遴选")
    with pytest.raises(ApplicationError, match="不低于本批次的省专精特新企业"):
        submit(applicant, same)
    # A valid recognition above the batch's tier refuses too, naming the certificate.
    services.recognition_record_national(user=people["province"], enterprise=enterprise, tier="little_giant",
                                         certificate_no="工信部企业函〔2026〕1号", start_date=TODAY)
    with pytest.raises(ApplicationError, match=r"已认定为.*工信部企业函〔2026〕1号.*不能申报较低层级"):
        submit(applicant, open_batch(people["province"]))
    assert Application.objects.count() == 0


def test_a_conflict_declared_after_scoring_voids_the_score_while_the_review_is_open(people, applicant, enterprise):
    application = through("experts", people, applicant)
    conflicted, scorer, other = people["experts"]
    for expert in people["experts"]:
        services.expert_score(user=expert, application=application, score=90)
    services.expert_conflict_declare(user=conflicted, enterprise=enterprise, reason="曾任该企业独立董事")
    assert set(application.assignments.values_list("expert_id", flat=True)) == {scorer.pk, other.pk}
    withdrawal = AuditEvent.objects.get(action="tiers.assignment_withdraw")
    assert "其评分 90.00 分作废" in withdrawal.summary and withdrawal.before["score"] == "90.00"
    with pytest.raises(ApplicationError, match="至少需要 3 位专家评分，目前 2 位"):
        services.application_decide(user=people["province"], application=application, approve=True)


def test_a_returned_application_comes_back_until_the_city_deadline_even_after_the_batch_closed(people, applicant):
    batch = open_batch(people["province"])  # closes 2026-06-30, city review until 2026-07-15
    application = submit(applicant, batch)
    services.application_city_review(user=people["city"], application=application, approve=False,
                                     reason="请补充审计报告")
    services.batch_close(user=people["province"], batch=batch)
    again = submit(applicant, batch, statement="已补充审计报告", today=dt.date(2026, 7, 10))
    assert again.pk == application.pk and again.status == Application.Status.SUBMITTED
    services.application_city_review(user=people["city"], application=again, approve=False, reason="仍缺附件")
    with pytest.raises(ApplicationError, match="须在市级审核截止日期 2026-07-15 前重新提交"):
        submit(applicant, batch, today=dt.date(2026, 7, 16))
    other = make_enterprise(tier="provincial")  # a new application to the closed batch stays refused
    from tests.factories import make_user as user_of
    with pytest.raises(ApplicationError, match="不在申报期内"):
        submit(user_of(Role.ENTERPRISE, credit_code=other.credit_code), batch, today=dt.date(2026, 7, 10))


def test_the_day_after_its_validity_the_enterprise_may_apply_again_before_the_daily_expiry(people, applicant,
                                                                                       enterprise, settings):
    """The registry tier still reads the lapsed title until expire_recognitions runs; it does not bar the
    new application (recording its recognition later expires the old one first)."""
    through("recognized", people, applicant)
    old = Recognition.objects.get()
    day_after = old.expires_on + dt.timedelta(days=1)
    assert Enterprise.objects.get(pk=enterprise.pk).tier == old.tier  # not yet lowered
    settings.ZJTX_TODAY = old.expires_on  # on its last day it is held: 复核, not a new application
    batch = open_batch(people["province"], title="2029年省专精特新冠军", year=2029, opens_on=old.expires_on,
                       closes_on=day_after + dt.timedelta(days=30))
    assert "到期前请参加复核" in logged_in(applicant).get(f"/tiers/batches/{batch.pk}/apply/").content.decode()
    settings.ZJTX_TODAY = day_after
    page = logged_in(applicant).get(f"/tiers/batches/{batch.pk}/apply/").content.decode()
    assert "不低于本批次" not in page and 'data-testid="apply-form"' in page
    application = submit(applicant, batch)
    assert application.status == Application.Status.SUBMITTED


@pytest.mark.parametrize(("parameter_id", "text", "message"), [
    ("tiers.notice.working_days", "0", "取值应在 1—30工作日 之间"),  # a decision would find no notice period
    ("tiers.expert_review.min_experts", "0", "取值应在 1—15人 之间"),
    ("tiers.city_review.days", "400", "取值应在 0—180日 之间"),
    ("tiers.re_review.window_days", "0", "取值应在 1—365日 之间"),
])
def test_workflow_parameters_refuse_values_the_workflow_cannot_run_on(people, parameter_id, text, message):
    from zjtx.policy import services as policy_services
    from zjtx.policy.models import ParameterValue

    with pytest.raises(ApplicationError) as error:
        policy_services.parameter_value_add(user=people["province"], parameter_id=parameter_id,
                                            start=dt.date(2030, 1, 1), text=text, reference="省经信厅通知")
    assert message in error.value.message and error.value.field == "value"
    assert not ParameterValue.objects.exists()
