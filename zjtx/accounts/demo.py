"""Demo logins, one or more per role, listed in the README. Passwords are for the demo database only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role

DEMO_PASSWORD = "zjtx-demo-2025"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    full_name: str
    city_code: str = ""
    county_code: str = ""
    department: str = ""
    organisation: str = ""


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("province", Role.PROVINCE, "省经信厅 王处长", organisation="安徽省经济和信息化厅"),
    DemoUser("hefei", Role.CITY, "合肥市经信局 李科长", city_code="340100"),
    DemoUser("wuhu", Role.CITY, "芜湖市经信局 赵科长", city_code="340200"),
    DemoUser("shushan", Role.CITY, "蜀山区经信局 周干事", city_code="340100", county_code="340104"),
    DemoUser("keji", Role.DEPARTMENT, "省科技厅 陈处长", department="sci_tech"),
    DemoUser("bank", Role.BANK, "徽商银行 普惠金融部", organisation="徽商银行"),
    DemoUser("jinrong", Role.DEPARTMENT, "省地方金融监管局 郑处长", department="local_finance"),
    DemoUser("officer", Role.OFFICER, "服务专员 孙明", organisation="合肥市中小企业服务中心"),
    # 专家评审 needs at least three scores (parameter tiers.expert_review.min_experts)
    DemoUser("expert", Role.EXPERT, "评审专家 钱教授", organisation="合肥工业大学"),
    DemoUser("expert2", Role.EXPERT, "评审专家 孙研究员", organisation="中国科学技术大学"),
    DemoUser("expert3", Role.EXPERT, "评审专家 吴高工", organisation="安徽省工业和信息化研究院"),
)


@transaction.atomic
def ensure_demo_users(enterprise_code: str = "", enterprise_name: str = "") -> list[User]:
    """Create (or reset) the demo users; the enterprise user belongs to `enterprise_code` (its badge
    shows `enterprise_name`)."""
    users = [_upsert(d) for d in DEMO_USERS]
    if enterprise_code:
        qiye = DemoUser("qiye", Role.ENTERPRISE, "企业填报员 刘洋", organisation=enterprise_name or "演示企业")
        users.append(_upsert(qiye, credit_code=enterprise_code))
    return users


def _upsert(demo: DemoUser, credit_code: str = "") -> User:
    user, _ = User.objects.get_or_create(username=demo.username)
    user.role, user.full_name = demo.role, demo.full_name
    user.city_code, user.county_code, user.department = demo.city_code, demo.county_code, demo.department
    user.organisation, user.credit_code = demo.organisation, credit_code
    user.is_staff = user.is_superuser = demo.role == Role.PROVINCE
    user.set_password(DEMO_PASSWORD)
    user.full_clean()
    user.save()
    return user
