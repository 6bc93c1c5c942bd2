"""Django side of the policy engine: dated values added by policy staff, programme events, stored runs.

The parameters shipped with the code live in parameters/*.yaml; a value added through the page is a row
here and is merged over them (services.parameter_set), never written back into the YAML.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from zjtx.enterprises.models import Enterprise
from zjtx.policy.engine.schema import EVENT_KINDS, GRADES

EVENT_KIND_LABELS = {
    "recognized_provincial_champion": "认定为省专精特新冠军企业",
    "recognized_little_giant": "获评国家级专精特新“小巨人”",
    "recognized_single_champion": "获评国家级制造业单项冠军",
    "relocated_little_giant": "国家级“小巨人”企业迁入安徽",
    "relocated_single_champion": "国家级单项冠军企业迁入安徽",
    "industrial_internet_platform": "建成企业级工业互联网平台",
    "cloud_service_provider": "上云上平台服务商（择优）",
    "digital_assessment": "数字化转型能力评估",
    "network_security_project": "工业互联网网络安全分类分级项目",
    "four_transformations_project": "“四化”改造项目",
    "srdi_board_listing": "区域性股权市场“专精特新板”挂牌",
    "publicity": "“精品安徽 皖美智造”宣传推广",
    "public_service_platform_national": "国家级中小企业公共服务示范平台",
}
assert set(EVENT_KIND_LABELS) == set(EVENT_KINDS)


class ParameterValue(models.Model):
    parameter_id = models.CharField("参数", max_length=120, db_index=True)
    start = models.DateField("生效日期")
    value = models.JSONField("取值")
    reference = models.CharField("依据文件", max_length=200)
    note = models.CharField("说明", max_length=300, blank=True)
    confirmed = models.BooleanField("已核实", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True,
                                   on_delete=models.SET_NULL)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "参数新取值"
        verbose_name_plural = "参数新取值"
        constraints = [models.UniqueConstraint(fields=["parameter_id", "start"], name="parameter_value_once_per_date")]

    def __str__(self) -> str:
        return f"{self.parameter_id} @ {self.start}"


class EnterpriseFacts(models.Model):
    """Facts the recognition criteria need beyond the yearly indicators (years in the niche, IP by class,
    R&D institution, digital level, honours …), keyed by the engine's input column names."""

    enterprise = models.OneToOneField(Enterprise, on_delete=models.CASCADE, primary_key=True,
                                      related_name="policy_facts", verbose_name="企业")
    data = models.JSONField("认定要素", default=dict)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "企业认定要素"
        verbose_name_plural = "企业认定要素"

    def __str__(self) -> str:
        return f"{self.enterprise_id}"


class ProgrammeEvent(models.Model):
    """A fact that triggers an award of the plan: a recognition, an assessment grade, a project …"""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="programme_events",
                                   verbose_name="企业")
    kind = models.CharField("事件类型", max_length=40, choices=list(EVENT_KIND_LABELS.items()))
    date = models.DateField("日期")
    grade = models.CharField("评估等级", max_length=2, blank=True, choices=[(g, g) for g in GRADES])
    amount = models.DecimalField("金额（万元）", max_digits=16, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField("择优名次", null=True, blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "专项事件"
        verbose_name_plural = "专项事件"
        indexes = [models.Index(fields=["kind", "date"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """How pages and audit summaries name the event: 数字化转型能力评估（2025-03-01）."""
        return f"{EVENT_KIND_LABELS[self.kind]}（{self.date}）"

    def references(self) -> dict[str, int]:
        """Rows of other modules that point at this event, counted by kind of record (the recognition
        it records, the award ledger's entitlements computed from it): while there are any, the event
        may be neither corrected nor withdrawn here."""
        found: dict[str, int] = {}
        for relation in referring_relations():
            count = relation.related_model._default_manager.filter(**{relation.field.name: self}).count()
            if count:
                found[str(relation.related_model._meta.verbose_name)] = count
        return found


def referring_relations() -> list[Any]:
    """The foreign keys of other models to ``ProgrammeEvent`` (hidden ones too)."""
    fields = ProgrammeEvent._meta.get_fields(include_hidden=True)
    return [f for f in fields if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)]

class PolicyRun(models.Model):
    """One province-wide evaluation or what-if comparison, stored with the parameter versions used."""

    class Kind(models.TextChoices):
        EVALUATE = "evaluate", "全省测算"
        WHATIF = "whatif", "政策模拟"

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "计算中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("名称", max_length=100, blank=True)
    as_of = models.DateField("测算日期")
    reform = models.JSONField("调整的参数", default=dict, blank=True)
    reform_start = models.DateField("调整生效日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    stage = models.CharField("当前步骤", max_length=60, blank=True)
    message = models.TextField("说明", blank=True)
    enterprises = models.PositiveIntegerField("企业数", default=0)
    fingerprint = models.CharField("参数指纹", max_length=32, blank=True)
    parameter_versions = models.JSONField("所用参数版本", default=list, blank=True)
    summary = models.JSONField("结果摘要", default=dict, blank=True)
    result_dir = models.CharField("结果文件目录", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", null=True,
                                   on_delete=models.SET_NULL)
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "测算记录"
        verbose_name_plural = "测算记录"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} {self.as_of}"
