"""公示: every signed-in role reads the notice list and may object during the notice period, without seeing
the application's private details."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import logged_in, make_enterprise, make_user
from zjtx.accounts.roles import Role
from zjtx.core.errors import ApplicationError
from zjtx.core.models import AuditEvent
from zjtx.tiers import services
from zjtx.tiers.models import Objection
from zjtx.tiers.tests.conftest import TODAY, open_batch, submit, through

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsiders() -> list:
    return [make_user(Role.DEPARTMENT, department="sci_tech"), make_user(Role.BANK), make_user(Role.OFFICER),
            make_user(Role.ENTERPRISE, credit_code=make_enterprise().credit_code)]


def in_notice(people, applicant):
    batch = open_batch(people["province"])
    upload = SimpleUploadedFile("审计报告.pdf", b"%PDF-1.4", content_type="application/pdf")
    submit(applicant, batch, attachments=[upload])
    return _decide(people, applicant, batch)


def _decide(people, applicant, batch):
    from zjtx.tiers.models import Application

    application = Application.objects.get(batch=batch)
    application = services.application_city_review(user=people["city"], application=application, approve=True)
    services.experts_assign(user=people["province"], application=application, experts=people["experts"])
    for expert in people["experts"]:
        services.expert_score(user=expert, application=application, score="87.25")
    return services.application_decide(user=people["province"], application=application, approve=True)


def test_every_role_sees_the_notice_list_but_not_the_private_details(people, applicant, enterprise, outsiders):
    application = in_notice(people, applicant)
    for user in [*outsiders, people["experts"][0], people["city"], applicant]:
        client = logged_in(user)
        listing = client.get(reverse("tiers:notices")).content.decode()
        assert enterprise.name in listing and "省专精特新冠军企业" in listing and "2026-06-02 至 2026-06-08" in listing
        assert 'href="/tiers/notices/"' in listing  # linked from the tiers navigation
        page = client.get(reverse("tiers:notice", args=[application.pk]))
        assert page.status_code == 200, user.role
        text = page.content.decode()
        for private in ("营业收入", "专家汇总得分", "审计报告.pdf", "87.25", "0551-12345678", "主导产品国内领先"):
            assert private not in text, (user.role, private)


def test_objections_only_within_the_notice_period_from_any_role(people, applicant, settings, outsiders):
    application = in_notice(people, applicant)
    department = outsiders[0]
    url = reverse("tiers:notice", args=[application.pk])
    # Decided on Monday 2026-06-01: the notice runs from Tuesday, so an objection today is early.
    response = logged_in(department).post(url, {"content": "该企业发生过安全生产事故"})
    assert "公示期自 2026-06-02 开始，公示开始前不能提出异议" in response.content.decode()
    with pytest.raises(ApplicationError, match="公示开始前不能提出异议") as exc:
        services.objection_file(user=people["city"], application=application, content="早", today=TODAY)
    assert exc.value.field == "content" and not Objection.objects.exists()
    settings.ZJTX_TODAY = application.notice_start
    for user in outsiders:
        response = logged_in(user).post(url, {"content": f"{user.role} 的异议"})
        assert response.status_code == 302, user.role
    assert Objection.objects.count() == 4
    assert AuditEvent.objects.filter(action="tiers.objection_file").count() == 4
    page = logged_in(department).get(url).content.decode()
    assert "department 的异议" in page and "bank 的异议" not in page  # one's own objections only
    # The applicant has no form and is refused.
    page = logged_in(applicant).get(url).content.decode()
    assert "申报企业不能对自己的公示提出异议" in page and 'data-testid="objection-form"' not in page
    logged_in(applicant).post(url, {"content": "自己"})
    assert Objection.objects.count() == 4


def test_an_application_not_in_notice_has_no_notice_page(people, applicant, outsiders):
    application = through("city", people, applicant)
    assert logged_in(outsiders[0]).get(reverse("tiers:notice", args=[application.pk])).status_code == 404
    assert "目前没有正在公示的企业" in logged_in(outsiders[1]).get(reverse("tiers:notices")).content.decode()


def test_the_applicant_views_its_own_notice_and_others_may_object(people, applicant, outsiders, settings):
    application = in_notice(people, applicant)
    settings.ZJTX_TODAY = application.notice_start
    notice_url = reverse("tiers:notice", args=[application.pk])

    def row(user) -> str:
        page = logged_in(user).get(reverse("tiers:notices")).content.decode()
        return page.split(f'href="{notice_url}">')[2].split("</a>")[0]

    assert row(applicant) == "查看"
    assert row(outsiders[0]) == "提出异议"


def test_the_province_sees_who_filed_an_objection_the_applicant_does_not(people, applicant, outsiders, settings):
    application = in_notice(people, applicant)
    services.objection_file(user=outsiders[0], application=application, content="数据存疑",
                            today=application.notice_start)
    url = reverse("tiers:application", args=[application.pk])
    province = logged_in(people["province"]).get(url).content.decode()
    assert f'data-testid="objection-filer">{outsiders[0].display_name}' in province
    assert 'data-testid="objection-filer"' not in logged_in(applicant).get(url).content.decode()


def test_an_objection_is_dated_on_the_workflows_today(people, applicant, settings):
    """Filed during the notice, it reads as filed then, not on the server's date (before the notice began)."""
    from django.utils import timezone

    application = through("decided", people, applicant)
    settings.ZJTX_TODAY = application.notice_start
    objection = services.objection_file(user=make_user(Role.DEPARTMENT, department="sci_tech"),
                                        application=application, content="数据存疑")
    assert timezone.localdate(objection.filed_at) == application.notice_start
