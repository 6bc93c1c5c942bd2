"""The 免申即享 / 潜在培育对象 list of one province run (policy.PolicyRun), kept as rows so that the list
page filters, counts and pages in the database instead of reading the run's files on every request."""

from __future__ import annotations

from django.db import models

from zjtx.enterprises.models import Enterprise
from zjtx.policy.models import PolicyRun


class CandidateList(models.Model):
    """The list built from one finished province run."""

    class Status(models.TextChoices):
        BUILDING = "building", "生成中"
        DONE = "done", "已生成"
        FAILED = "failed", "生成失败"

    run = models.OneToOneField(PolicyRun, verbose_name="全省测算", on_delete=models.CASCADE,
                               related_name="candidate_list")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.BUILDING)
    message = models.CharField("说明", max_length=300, blank=True)
    built_at = models.DateTimeField("生成时间", null=True, blank=True)

    class Meta:
        verbose_name = "免申即享名单"
        verbose_name_plural = "免申即享名单"

    def __str__(self) -> str:
        return f"{self.run}"


class Candidate(models.Model):
    """One line of the list: an enterprise that qualifies for the next step of the ladder (gap 0), one short
    of it by exactly one condition (gap 1, naming it), or an award the engine says it is entitled to."""

    class Kind(models.TextChoices):
        TIER = "tier", "下一梯度"
        AWARD = "award", "应享奖补"

    candidate_list = models.ForeignKey(CandidateList, verbose_name="名单", on_delete=models.CASCADE,
                                       related_name="candidates")
    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("类型", max_length=6, choices=Kind.choices)
    tier = models.CharField("梯度", max_length=24, blank=True)  # the engine's tier id (srdi, little_giant …)
    # The registry tier held when the list was built: a line whose enterprise has moved up since drops out.
    held_tier = models.CharField("当时梯度", max_length=24, blank=True)
    gap = models.PositiveSmallIntegerField("差几项条件", default=0)
    condition = models.CharField("所差条件", max_length=200, blank=True)
    condition_status = models.CharField("所差条件状态", max_length=8, blank=True)  # 不满足 / 数据不足
    actual = models.CharField("实际", max_length=200, blank=True)
    threshold = models.CharField("要求", max_length=60, blank=True)
    clause = models.CharField("条款", max_length=40, blank=True)
    award = models.CharField("奖补项目", max_length=60, blank=True)
    award_label = models.CharField("奖补名称", max_length=120, blank=True)
    amount = models.DecimalField("金额（万元）", max_digits=16, decimal_places=6, null=True, blank=True)
    funding_level = models.CharField("资金层级", max_length=4, blank=True)
    event_kind = models.CharField("触发事件", max_length=40, blank=True)
    event_date = models.DateField("事件日期", null=True, blank=True)

    class Meta:
        verbose_name = "名单条目"
        verbose_name_plural = "名单条目"
        indexes = [models.Index(fields=["candidate_list", "kind", "tier"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.enterprise_id}"

    @property
    def tier_label(self) -> str:
        from zjtx.matcher.ladder import tier_label

        return tier_label(self.tier) if self.tier else ""
