from __future__ import annotations

from typing import cast

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest

from zjtx.accounts.roles import Role
from zjtx.core import reference, regions
from zjtx.core.creditcode import credit_code_error


class User(AbstractUser):
    """A person using zjtx. The scope fields say which part of the province the role covers."""

    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.ENTERPRISE)
    full_name = models.CharField("姓名", max_length=60, blank=True)
    city_code = models.CharField("所属市", max_length=6, blank=True, db_index=True)
    county_code = models.CharField("所属县（区）", max_length=6, blank=True)
    department = models.CharField("所属部门", max_length=32, blank=True)
    credit_code = models.CharField("所属企业信用代码", max_length=18, blank=True, db_index=True)
    organisation = models.CharField("所属单位", max_length=100, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def scope_label(self) -> str:
        """The badge shown beside the user's name: 省级, the city (and county), or the unit."""
        if self.role == Role.PROVINCE:
            return "安徽省"
        if self.role == Role.CITY:
            label = regions.city_name(self.city_code)
            if self.county_code:
                label += " · " + regions.county_name(self.county_code)
            return label
        if self.role == Role.DEPARTMENT:
            return reference.department_name(self.department)
        return self.organisation or self.get_role_display()

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.role == Role.CITY:
            if not regions.is_city(self.city_code):
                errors["city_code"] = "市级管理员必须选择所属市（16个设区市之一）"
            elif self.county_code and regions.county_city(self.county_code) != self.city_code:
                errors["county_code"] = "所属县（区）不在所选市内"
        if self.role == Role.DEPARTMENT and not reference.is_department(self.department):
            errors["department"] = "省直部门用户必须选择方案中列明的部门"
        if self.role == Role.ENTERPRISE:
            problem = credit_code_error(self.credit_code)
            if problem:
                errors["credit_code"] = problem
        if errors:
            raise ValidationError(errors)


def current_user(request: HttpRequest) -> User:
    """The logged-in user of a request that passed login_required (never anonymous there)."""
    return cast(User, request.user)
