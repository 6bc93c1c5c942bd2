"""奖补兑现: entitlements computed by the policy engine, budgets, and the append-only payment ledger.

Never twice (docs/adr/0002-ledger.md): ledger rows are never updated or deleted (a PostgreSQL trigger
refuses it); a correction is a reversing entry; unique constraints make a second payment of the same
entitlement, or of the same once-only award to the same enterprise, impossible.
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models

from zjtx.enterprises.models import Enterprise
from zjtx.policy.models import ProgrammeEvent
from zjtx.tiers.models import Batch, Recognition


class FundingLevel(models.TextChoices):
    PROVINCE = "省级", "省级"
    CITY = "市级", "市级"


class Budget(models.Model):
    """One year's money of one funding level (and, for 市级, one city) on one budget line."""

    year = models.PositiveSmallIntegerField("预算年度")
    funding_level = models.CharField("资金层级", max_length=4, choices=FundingLevel.choices)
    city_code = models.CharField("市（市级资金）", max_length=6, blank=True, default="")
    line = models.CharField("预算科目", max_length=100)
    allocated = models.DecimalField("下达额度（万元）", max_digits=16, decimal_places=6)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="维护人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "预算"
        verbose_name_plural = "预算"
        ordering = ["-year", "funding_level", "city_code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "funding_level", "city_code"], name="budget_one_per_level"),
            models.CheckConstraint(condition=models.Q(allocated__gte=0), name="budget_allocated_not_negative"),
            models.CheckConstraint(
                condition=(models.Q(funding_level="省级", city_code="")
                           | (models.Q(funding_level="市级") & ~models.Q(city_code=""))),
                name="budget_city_only_for_city_level"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.funding_level}{self.city_code} {self.line}"


# How the reason of an award closed after its reversal (不再补发) begins: it reads so on its page and in the API,
# and the list tags it.
CLOSED_REASON = "冲销后不再补发："


class Entitlement(models.Model):
    """One award an enterprise is entitled to for one programme event, as the policy engine computed it."""

    class Status(models.TextChoices):
        AWAITING_ACCOUNT = "awaiting_account", "待企业确认收款账户"
        AWAITING_APPLICATION = "awaiting_application", "待企业申请"
        CITY_CHECK = "city_check", "待市级审核"
        PROVINCE_APPROVAL = "province_approval", "待省级审批"
        APPROVED = "approved", "已审批待拨付"
        PAID = "paid", "已拨付"
        REJECTED = "rejected", "不予兑现"
        REVERSED = "reversed", "已冲销"

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="entitlements")
    event = models.ForeignKey(ProgrammeEvent, verbose_name="触发事件", on_delete=models.PROTECT,
                              related_name="entitlements")
    recognition = models.ForeignKey(Recognition, verbose_name="认定", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="entitlements")
    batch = models.ForeignKey(Batch, verbose_name="认定批次", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="entitlements")
    award = models.CharField("奖补项目", max_length=60)
    award_label = models.CharField("奖补名称", max_length=120)
    once_key = models.CharField("一次性奖补标识", max_length=60, null=True, blank=True)
    amount = models.DecimalField("金额（万元）", max_digits=16, decimal_places=6)
    funding_level = models.CharField("资金层级", max_length=4, choices=FundingLevel.choices)
    city_code = models.CharField("企业所在市", max_length=6)
    clause = models.CharField("方案条款", max_length=40)
    parameter_ids = models.CharField("所用参数", max_length=300)
    reason = models.CharField("测算说明", max_length=300)
    no_application = models.BooleanField("免申即享", default=False)
    status = models.CharField("状态", max_length=24, choices=Status.choices)
    account_name = models.CharField("收款户名", max_length=100, blank=True)
    bank_name = models.CharField("开户银行", max_length=100, blank=True)
    account_no = models.CharField("银行账号", max_length=40, blank=True)
    application_note = models.CharField("申请说明", max_length=500, blank=True)
    confirmed_at = models.DateTimeField("企业确认时间", null=True, blank=True)
    city_checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="市级审核人", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    city_checked_at = models.DateTimeField("市级审核时间", null=True, blank=True)
    budget = models.ForeignKey(Budget, verbose_name="列支预算", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="entitlements")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="省级审批人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    reject_reason = models.CharField("不予兑现原因", max_length=300, blank=True)
    # Paid, and then the recognition that triggered it was revoked: the ledger stays as it is, the province
    # recovers the money (docs/workflow.md §5). Blank: nothing to recover.
    recovery_note = models.CharField("待追回说明", max_length=300, blank=True)
    # An upgrade approved or paid at the netted amount, and then the lower grade it netted was refused: it is
    # short by the difference, and a top-up is a new decision for the province (docs/workflow.md §5).
    # Blank: nothing to decide.
    topup_note = models.CharField("待决定补差说明", max_length=300, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "奖补资格"
        verbose_name_plural = "奖补资格"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "award"], name="entitlement_once_per_event_award"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="entitlement_amount_positive"),
        ]
        indexes = [models.Index(fields=["status", "city_code"])]

    def __str__(self) -> str:
        return f"{self.award_label} {self.amount}万元 · {self.enterprise_id}"

    @property
    def closed_after_reversal(self) -> bool:
        """Reversed and closed without a reissue (不再补发, services.entitlement_close_reversal)."""
        return self.status == self.Status.REJECTED and self.reject_reason.startswith(CLOSED_REASON)


@pgtrigger.register(
    pgtrigger.Protect(name="ledger_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
)
class LedgerEntry(models.Model):
    """One line of the payment ledger. Written once; a correction is a new (reversing) line."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", "拨付"
        REVERSAL = "reversal", "冲销"
        REISSUE = "reissue", "更正重拨"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    entitlement = models.ForeignKey(Entitlement, verbose_name="奖补资格", on_delete=models.PROTECT,
                                    related_name="ledger_entries")
    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="ledger_entries")
    amount = models.DecimalField("金额（万元）", max_digits=16, decimal_places=6)
    funding_level = models.CharField("资金层级", max_length=4, choices=FundingLevel.choices)
    budget = models.ForeignKey(Budget, verbose_name="预算", on_delete=models.PROTECT, related_name="ledger_entries")
    budget_year = models.PositiveSmallIntegerField("预算年度")
    budget_line = models.CharField("预算科目", max_length=100)
    award = models.CharField("奖补项目", max_length=60)
    once_key = models.CharField("一次性奖补标识", max_length=60, null=True, blank=True)
    clause = models.CharField("方案条款", max_length=40)
    city_code = models.CharField("企业所在市", max_length=6)
    batch = models.ForeignKey(Batch, verbose_name="认定批次", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    account_name = models.CharField("收款户名", max_length=100)
    bank_name = models.CharField("开户银行", max_length=100)
    account_no = models.CharField("银行账号", max_length=40)
    reverses = models.OneToOneField("self", verbose_name="冲销的分录", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="reversed_by")
    reissue_of = models.OneToOneField("self", verbose_name="更正所依据的冲销分录", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="reissued_by")
    reason = models.CharField("事由", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("记账时间", auto_now_add=True)

    class Meta:
        verbose_name = "拨付台账分录"
        verbose_name_plural = "拨付台账"
        ordering = ["id"]
        constraints = [
            # The same entitlement is paid once.
            models.UniqueConstraint(fields=["entitlement"], condition=models.Q(kind="payment"),
                                    name="ledger_one_payment_per_entitlement"),
            # The same once-only award is paid once to the same enterprise, whatever entitlement row carries it.
            models.UniqueConstraint(fields=["enterprise", "once_key"],
                                    condition=models.Q(kind="payment") & models.Q(once_key__isnull=False),
                                    name="ledger_once_only_award"),
            models.CheckConstraint(
                condition=(models.Q(kind="payment", amount__gt=0, reverses__isnull=True, reissue_of__isnull=True)
                           | models.Q(kind="reversal", amount__lt=0, reverses__isnull=False,
                                      reissue_of__isnull=True)
                           | models.Q(kind="reissue", amount__gt=0, reverses__isnull=True,
                                      reissue_of__isnull=False)),
                name="ledger_kind_shape"),
            models.CheckConstraint(condition=models.Q(kind="payment") | ~models.Q(reason=""),
                                   name="ledger_correction_has_reason"),
        ]
        indexes = [models.Index(fields=["budget_year", "funding_level"]), models.Index(fields=["city_code"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.amount}万元"
