from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from zjtx.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "city_code", "department", "credit_code", "is_active"]
    list_filter = ["role", "city_code", "is_active"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("角色与范围", {"fields": ("role", "full_name", "city_code", "county_code", "department", "credit_code",
                                "organisation")}),
    )
