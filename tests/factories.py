"""Small builders for tests: valid credit codes, users of each role, enterprises with indicators."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from django.test import Client

from zjtx.accounts.models import User
from zjtx.accounts.roles import Role
from zjtx.core.creditcode import ALPHABET, with_check_char
from zjtx.enterprises.models import Enterprise, Indicator

_serial = itertools.count(1)


def credit_code(city_code: str = "340100", n: int | None = None) -> str:
    """A valid code registered in `city_code`; distinct for each call unless `n` is given."""
    n = next(_serial) if n is None else n
    body = ""
    for _ in range(9):
        n, digit = divmod(n, 31)
        body = ALPHABET[digit] + body
    return with_check_char("91" + city_code + body)


def make_user(role: str, username: str | None = None, **fields: Any) -> User:
    user = User(username=username or f"{role}-{next(_serial)}", role=role, **fields)
    user.set_password("pw-Test-12345")
    user.save()
    return user


def province_user() -> User:
    return make_user(Role.PROVINCE)


def city_user(city_code: str = "340100", **fields: Any) -> User:
    return make_user(Role.CITY, city_code=city_code, **fields)


def make_enterprise(city_code: str = "340100", **fields: Any) -> Enterprise:
    defaults: dict[str, Any] = {"name": f"测试企业{next(_serial)}有限公司", "industry_code": "3562"}
    defaults.update(fields)
    code = defaults.pop("credit_code", None) or credit_code(city_code)
    return Enterprise.objects.create(credit_code=code, city_code=city_code, **defaults)


def make_indicator(enterprise: Enterprise, year: int = 2024, **fields: Any) -> Indicator:
    defaults: dict[str, Any] = {"revenue": Decimal("5000"), "main_revenue": Decimal("4500"), "employees": 120,
                                "total_assets": Decimal("8000")}
    defaults.update(fields)
    return Indicator.objects.create(enterprise=enterprise, year=year, **defaults)


def logged_in(user: User) -> Client:
    """A test client signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client
