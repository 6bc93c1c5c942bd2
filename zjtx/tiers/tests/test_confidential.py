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
