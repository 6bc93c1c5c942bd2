from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm, UsernameField

from zjtx.accounts.models import User
from zjtx.core import reference, regions

SCOPE_FIELDS = ("role", "full_name", "city_code", "county_code", "department", "credit_code", "organisation")


def _scope_widgets() -> dict[str, Any]:
    """Cities, counties and departments as lists to pick from: a typed code is easy to get wrong."""
    counties = [(code, f"{regions.city_name(city)} · {name}") for code, name, city in regions.all_counties()]
    return {
        "city_code": forms.Select(choices=[("", "（不适用）"), *regions.CITIES]),
        "county_code": forms.Select(choices=[("", "（全市）"), *counties]),
        "department": forms.Select(choices=[("", "（不适用）"), *reference.DEPARTMENTS]),
    }


class UserCreateForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("username", *SCOPE_FIELDS)
        field_classes = {"username": UsernameField}
        widgets = _scope_widgets()


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"username": UsernameField}
        widgets = _scope_widgets()


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    list_display = ["username", "full_name", "role", "city_code", "department", "credit_code", "is_active"]
    list_filter = ["role", "city_code", "is_active"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("角色与范围", {"fields": SCOPE_FIELDS}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        ("角色与范围", {"classes": ("wide",), "fields": SCOPE_FIELDS,
                    "description": "市级管理员须选所属市（县区管理员再选县区），省直部门用户须选部门，"
                                   "企业用户须填所属企业的统一社会信用代码。"}),
    )
