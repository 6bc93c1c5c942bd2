"""目标监测: the figures people report for targets the system does not count itself.

The ladder targets are counted from the recognitions (selectors.py); everything else of the plan (新产品,
首台套, 机器人, 专项信贷 …) is reported here by the province, or by a city for its own city, until the
module that holds it is built. A city's share of a target (分解目标) is reported the same way.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReportedFigure(models.Model):
    class Kind(models.TextChoices):
        ACTUAL = "actual", "完成数"
        ALLOCATION = "allocation", "分解目标"

    target = models.CharField("目标", max_length=80)  # the target's parameter id
    year = models.PositiveSmallIntegerField("年度")
    city_code = models.CharField("地区", max_length=6, blank=True, default="")  # "" is the province
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.ACTUAL)
    value = models.DecimalField("数值", max_digits=14, decimal_places=2)
    note = models.CharField("说明", max_length=300, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField("填报时间", auto_now=True)

    class Meta:
        verbose_name = "目标填报数"
        verbose_name_plural = "目标填报数"
        ordering = ["target", "year", "city_code", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["target", "year", "city_code", "kind"], name="reported_figure_once"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="reported_figure_not_negative"),
            models.CheckConstraint(condition=~models.Q(kind="allocation", city_code=""),
                                   name="reported_allocation_for_a_city"),
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.year} {self.city_code or '全省'} {self.get_kind_display()}"
