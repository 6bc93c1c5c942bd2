"""The seven roles of zjtx. Who may do what is decided in each app's access.py, never here."""

from django.db import models


class Role(models.TextChoices):
    PROVINCE = "province", "省级管理员"
    CITY = "city", "市级管理员"
    DEPARTMENT = "department", "省直部门"
    ENTERPRISE = "enterprise", "企业用户"
    BANK = "bank", "合作银行"
    OFFICER = "officer", "服务专员"
    EXPERT = "expert", "评审专家"
