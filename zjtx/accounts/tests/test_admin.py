"""The province creates and scopes users in the admin (the only place users are added)."""

import pytest

from tests.factories import logged_in, make_user
from zjtx.accounts.models import User
from zjtx.accounts.roles import Role

pytestmark = pytest.mark.django_db

ADD = "/admin/accounts/user/add/"


def province_admin():
    return make_user(Role.PROVINCE, "province", is_staff=True, is_superuser=True)


def _add(client, **fields):
    values = {"username": "expert2", "usable_password": "true", "password1": "Pw-expert-2025!",
              "password2": "Pw-expert-2025!", "role": Role.EXPERT, "full_name": "评审专家 孙教授",
              "city_code": "", "county_code": "", "department": "", "credit_code": "", "organisation": "安徽大学"}
    values.update(fields)
    return client.post(ADD, values)


def test_the_province_adds_an_expert_with_role_and_scope_on_one_form():
    client = logged_in(province_admin())
    form = client.get(ADD).content.decode()
    assert 'name="role"' in form and '<option value="340100">合肥市</option>' in form  # picked, not typed
    response = _add(client)
    assert response.status_code == 302
    user = User.objects.get(username="expert2")
    assert (user.role, user.full_name, user.organisation) == (Role.EXPERT, "评审专家 孙教授", "安徽大学")
    assert user.check_password("Pw-expert-2025!")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"role": Role.CITY}, "市级管理员必须选择所属市"),
        ({"role": Role.CITY, "city_code": "340200", "county_code": "340104"}, "所属县（区）不在所选市内"),
        ({"role": Role.DEPARTMENT}, "省直部门用户必须选择方案中列明的部门"),
        ({"role": Role.ENTERPRISE, "credit_code": "91340100MA2XXXXX0"}, "统一社会信用代码"),
    ],
)
def test_a_user_without_the_scope_of_the_role_is_refused_on_the_form(fields, message):
    response = _add(logged_in(province_admin()), **fields)
    assert response.status_code == 200 and message in response.content.decode()
    assert not User.objects.filter(username="expert2").exists()


def test_the_admin_reads_in_chinese_including_login_protection_and_tasks():
    page = logged_in(province_admin()).get("/admin/").content.decode()
    assert "专精特新中小企业培育平台 · 后台管理" in page
    assert "登录保护" in page and "登录失败记录" in page and "后台任务" in page
    assert "Access attempts" not in page and "Task Results" not in page and "Axes" not in page
