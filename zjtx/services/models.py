"""服务专员与诉求: visits of the 千企行 (plan 三20) and enterprise requests (诉求) routed to a department.

Who serves an enterprise is ``Enterprise.service_officer`` (the registry's field and its audited assignment);
this app keeps what the officers and departments do with it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zjtx.core import reference
from zjtx.enterprises.models import Enterprise


class Visit(models.Model):
    """One visit of the 专精特新千企行: an officer at (or in touch with) one of its assigned enterprises."""

    class Way(models.TextChoices):
        ON_SITE = "on_site", "上门走访"
        PHONE = "phone", "电话联系"
        VIDEO = "video", "视频会议"
        MEETING = "meeting", "座谈会"

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="visits")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="服务专员", on_delete=models.PROTECT,
                                related_name="visits")
    visited_on = models.DateField("走访日期")
    way = models.CharField("走访方式", max_length=16, choices=Way.choices)
    topics = models.TextField("走访内容")
    problems = models.TextField("发现的问题", blank=True)
    follow_up = models.TextField("后续跟进", blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "visited_on"], name="visit_enterprise_date")]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.enterprise.name}"


class ServiceRequest(models.Model):
    """An enterprise's 诉求: filed, routed by the city or province to a department, answered, rated."""

    class Status(models.TextChoices):
        PENDING = "pending", "待分派"
        IN_PROGRESS = "in_progress", "办理中"
        ANSWERED = "answered", "已答复"
        RATED = "rated", "已评价"
        RETURNED = "returned", "已退回"

    class Category(models.TextChoices):
        FINANCING = "financing", "融资需求"
        STAFFING = "staffing", "用工人才"
        TECHNOLOGY = "technology", "技术创新"
        MARKET = "market", "市场开拓"
        POLICY = "policy", "政策咨询"
        LAND = "land", "用地厂房"
        PERMITS = "permits", "审批证照"
        IP = "ip", "知识产权"
        OTHER = "other", "其他"

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="service_requests")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT,
                                 related_name="+")
    category = models.CharField("诉求类别", max_length=16, choices=Category.choices)
    title = models.CharField("诉求标题", max_length=60)
    content = models.TextField("诉求内容")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    department = models.CharField("承办部门", max_length=32, blank=True, choices=reference.DEPARTMENTS)
    routed_on = models.DateField("分派日期", null=True, blank=True)
    deadline = models.DateField("答复期限", null=True, blank=True)
    answer = models.TextField("答复内容", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=200, blank=True)
    rating = models.PositiveSmallIntegerField("满意度", null=True, blank=True)
    rating_comment = models.CharField("评价意见", max_length=200, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "企业诉求"
        verbose_name_plural = "企业诉求"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "deadline"], name="request_status_deadline"),
                   models.Index(fields=["department", "status"], name="request_department_status")]

    def __str__(self) -> str:
        return f"{self.enterprise.name}：{self.title}"

    @property
    def answered_late(self) -> bool:
        return bool(self.answered_on and self.deadline and self.answered_on > self.deadline)

    @property
    def department_name(self) -> str:
        return reference.department_name(self.department) if self.department else ""
