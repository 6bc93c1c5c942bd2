"""任务调度: the periods the province opens and, in each, one progress report per task and responsible
department (the tasks and who is named in them come from the plan: ``plan.py``, never a table people edit)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zjtx.core import reference


class Period(models.Model):
    """One 调度 period (e.g. 2026年第三季度). Its due date is fixed when it opens, from the parameters in force
    at the period's end, so a later change of the parameters does not move a deadline already announced."""

    label = models.CharField("调度期次", max_length=30)
    cycle = models.CharField("调度周期", max_length=16)
    starts = models.DateField("起始日期")
    ends = models.DateField("截止日期")
    due_on = models.DateField("报送截止日期")
    due_days = models.PositiveSmallIntegerField("报送期限（天数）")
    day_basis = models.CharField("计日方式", max_length=16)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="开启人", on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    opened_at = models.DateTimeField("开启时间", auto_now_add=True)

    class Meta:
        verbose_name = "调度期次"
        verbose_name_plural = "调度期次"
        ordering = ["-starts"]
        constraints = [models.UniqueConstraint(fields=["starts"], name="duty_period_unique_start")]

    def __str__(self) -> str:
        return self.label

    @property
    def basis_label(self) -> str:
        return "工作日" if self.day_basis == "working" else "自然日"


class Report(models.Model):
    """A department's progress report on one task in one period: written and saved as a draft, submitted,
    then accepted by the province or sent back with a reason (and then edited and submitted again)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待报送"
        SUBMITTED = "submitted", "已报送待审核"
        RETURNED = "returned", "已退回"
        ACCEPTED = "accepted", "已审核"

    class Progress(models.TextChoices):
        ON_TRACK = "on_track", "正常推进"
        BEHIND = "behind", "滞后"
        DONE = "done", "已完成"

    period = models.ForeignKey(Period, verbose_name="调度期次", on_delete=models.PROTECT, related_name="reports")
    task = models.PositiveSmallIntegerField("任务序号")
    department = models.CharField("责任单位", max_length=32, choices=reference.DEPARTMENTS)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    progress_status = models.CharField("推进情况", max_length=16, choices=Progress.choices, blank=True)
    progress = models.TextField("工作进展", blank=True)
    figures = models.TextField("主要数据", blank=True)
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下步打算", blank=True)
    first_submitted_on = models.DateField("首次报送日期", null=True, blank=True)
    submitted_on = models.DateField("报送日期", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # set by the selectors for the pages (not stored)
    overdue: bool = False
    role_label: str = ""
    task_label: str = ""

    class Meta:
        verbose_name = "调度报告"
        verbose_name_plural = "调度报告"
        ordering = ["period", "task", "id"]
        constraints = [models.UniqueConstraint(fields=["period", "task", "department"], name="duty_report_unique")]
        indexes = [models.Index(fields=["department", "status"], name="duty_report_department_status")]

    def __str__(self) -> str:
        return f"{self.period.label} 任务{self.task} {self.department_name}"

    @property
    def department_name(self) -> str:
        return reference.department_name(self.department)

    @property
    def submitted_late(self) -> bool:
        """First filed after the period's due date (逾期报送)."""
        return bool(self.first_submitted_on and self.first_submitted_on > self.period.due_on)
