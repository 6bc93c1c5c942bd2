"""金融服务 (plan 二(四)9–11): enterprise lists pushed to partner banks, the loans they grant, 应收账款确权
requests with their deadline, and the 上市后备资源库 with its listings.

A partner bank is the 所属单位 (``User.organisation``) of bank accounts: a list is pushed to that name and a
bank user sees the lists pushed to its own unit, and records loans in its name.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zjtx.enterprises.models import Enterprise


class PushedList(models.Model):
    """A list of enterprises pushed to one or more partner banks (名单推送共享机制, 二(四)9)."""

    title = models.CharField("名单名称", max_length=60)
    criteria = models.CharField("筛选条件", max_length=300)
    note = models.CharField("推送说明", max_length=300, blank=True)
    city_code = models.CharField("推送单位所属市", max_length=6, blank=True)  # "" = pushed by the province
    pushed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="推送人", on_delete=models.PROTECT,
                                  related_name="+")
    pushed_on = models.DateField("推送日期")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "推送名单"
        verbose_name_plural = "推送名单"
        ordering = ["-pushed_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ListRecipient(models.Model):
    """One partner bank a list was pushed to."""

    pushed_list = models.ForeignKey(PushedList, on_delete=models.CASCADE, related_name="recipients")
    bank = models.CharField("合作银行", max_length=100)

    class Meta:
        verbose_name = "名单接收银行"
        verbose_name_plural = "名单接收银行"
        constraints = [models.UniqueConstraint(fields=["pushed_list", "bank"], name="recipient_once_per_list")]
        indexes = [models.Index(fields=["bank", "pushed_list"], name="recipient_bank_list")]

    def __str__(self) -> str:
        return self.bank


class ListedEnterprise(models.Model):
    pushed_list = models.ForeignKey(PushedList, on_delete=models.CASCADE, related_name="entries")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "名单企业"
        verbose_name_plural = "名单企业"
        constraints = [models.UniqueConstraint(fields=["pushed_list", "enterprise"], name="listed_once_per_list")]
        indexes = [models.Index(fields=["enterprise", "pushed_list"], name="listed_enterprise_list")]

    def __str__(self) -> str:
        return f"{self.pushed_list_id}: {self.enterprise_id}"


class Loan(models.Model):
    """A loan a partner bank granted to an enterprise on its lists. Money in 万元."""

    bank = models.CharField("合作银行", max_length=100)
    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="+")
    granted_on = models.DateField("放款日期")
    amount = models.DecimalField("贷款金额（万元）", max_digits=14, decimal_places=2)
    term_months = models.PositiveSmallIntegerField("期限（月）")
    rate = models.DecimalField("年利率（%）", max_digits=6, decimal_places=3, null=True, blank=True)
    special = models.BooleanField("专精特新专项贷款", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "贷款"
        verbose_name_plural = "贷款"
        ordering = ["-granted_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="loan_amount_positive")]
        indexes = [models.Index(fields=["bank", "granted_on"], name="loan_bank_date"),
                   models.Index(fields=["granted_on", "special"], name="loan_date_special")]

    def __str__(self) -> str:
        return f"{self.bank} → {self.enterprise.name} {self.amount}万元"


class Receivable(models.Model):
    """An SME's request that a 机关、事业单位 or 大型企业 confirm a receivable it owes (应收账款确权, 二(四)9)."""

    class Status(models.TextChoices):
        FILED = "filed", "待转送"
        SENT = "sent", "待债务人确认"
        CONFIRMED = "confirmed", "已确权"
        REFUSED = "refused", "债务人不予确认"

    class DebtorKind(models.TextChoices):
        AUTHORITY = "authority", "机关"
        INSTITUTION = "institution", "事业单位"
        LARGE = "large", "大型企业"

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="+")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT,
                                 related_name="+")
    debtor = models.CharField("债务人名称", max_length=100)
    debtor_kind = models.CharField("债务人类型", max_length=16, choices=DebtorKind.choices)
    amount = models.DecimalField("应收账款金额（万元）", max_digits=14, decimal_places=2)
    document_no = models.CharField("发票或合同编号", max_length=60)
    arose_on = models.DateField("应收账款形成日期")
    filed_on = models.DateField("确权请求日期")
    deadline = models.DateField("确权期限")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.FILED)
    sent_on = models.DateField("转送日期", null=True, blank=True)
    answered_on = models.DateField("债务人答复日期", null=True, blank=True)
    answer = models.CharField("答复说明", max_length=300, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "应收账款确权请求"
        verbose_name_plural = "应收账款确权请求"
        ordering = ["-filed_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="receivable_amount_positive")]
        indexes = [models.Index(fields=["status", "deadline"], name="receivable_status_deadline")]

    def __str__(self) -> str:
        return f"{self.enterprise.name} → {self.debtor}"

    @property
    def answered_late(self) -> bool:
        return bool(self.answered_on and self.answered_on > self.deadline)


class ListingCandidate(models.Model):
    """An enterprise in the 上市后备资源库 (二(四)11), its stage on the way to listing and, once listed, where."""

    class Board(models.TextChoices):
        SSE_MAIN = "sse_main", "上交所主板"
        STAR = "star", "科创板"
        SZSE_MAIN = "szse_main", "深交所主板"
        CHINEXT = "chinext", "创业板"
        BSE = "bse", "北交所"
        OVERSEAS = "overseas", "境外市场"

    class Stage(models.TextChoices):
        RESERVE = "reserve", "后备培育"
        TUTORING = "tutoring", "辅导备案"
        FILED = "filed", "申报"
        APPROVED = "approved", "过会"
        LISTED = "listed", "上市"

    enterprise = models.OneToOneField(Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="+")
    board = models.CharField("拟上市板块", max_length=16, choices=Board.choices)
    stage = models.CharField("进展阶段", max_length=16, choices=Stage.choices, default=Stage.RESERVE)
    added_on = models.DateField("入库日期")
    tutoring_on = models.DateField("辅导备案日期", null=True, blank=True)
    filed_on = models.DateField("申报日期", null=True, blank=True)
    approved_on = models.DateField("过会日期", null=True, blank=True)
    listed_on = models.DateField("上市日期", null=True, blank=True)
    stock_code = models.CharField("证券代码", max_length=12, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="入库人", on_delete=models.PROTECT,
                                 related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "上市后备企业"
        verbose_name_plural = "上市后备企业"
        ordering = ["-added_on", "-id"]
        indexes = [models.Index(fields=["stage", "listed_on"], name="candidate_stage_listed")]

    def __str__(self) -> str:
        return self.enterprise.name
