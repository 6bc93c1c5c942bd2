"""梯度培育: application batches, applications and their review chain, recognitions with validity.

States change only through services.py, which checks the transition table in workflow.py.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from zjtx.enterprises.models import Enterprise, Tier
from zjtx.policy.models import ProgrammeEvent

# The tiers a batch may be opened for: the province recognises the first three itself; for the two
# national titles it recommends, and records the ministry's decision as the recognition.
BATCH_TIERS = [(t.value, t.label) for t in Tier if t.value]
NATIONAL_TIERS = {Tier.LITTLE_GIANT.value, Tier.SINGLE_CHAMPION.value}
LADDER = [t.value for t in Tier if t.value]


def tier_rank(tier: str) -> int:
    return LADDER.index(tier) + 1 if tier in LADDER else 0


class Holiday(models.Model):
    """The province's own holiday table: it overrides chinese-calendar and covers years it does not know."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("调休上班", default=False, help_text="勾选表示该日为调休上班日，不勾选表示放假")
    name = models.CharField("名称", max_length=40)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Batch(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "申报中"
        CLOSED = "closed", "申报已截止"

    tier = models.CharField("层级", max_length=24, choices=BATCH_TIERS)
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("批次名称", max_length=100)
    opens_on = models.DateField("申报开始日期")
    closes_on = models.DateField("申报截止日期")
    city_review_deadline = models.DateField("市级审核截止日期")
    quota = models.PositiveIntegerField("年度遴选数量", null=True, blank=True)
    quota_parameter = models.CharField("年度数量依据参数", max_length=80, blank=True)
    notice_working_days = models.PositiveSmallIntegerField("公示期（工作日）")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "申报批次"
        verbose_name_plural = "申报批次"
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")),
                                   name="batch_closes_after_opens"),
            models.CheckConstraint(condition=models.Q(city_review_deadline__gte=models.F("closes_on")),
                                   name="batch_city_deadline_after_close"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_national(self) -> bool:
        return self.tier in NATIONAL_TIERS

    def accepting(self, today: dt.date) -> bool:
        return self.status == self.Status.OPEN and self.opens_on <= today <= self.closes_on

    def accepting_from(self, application: Application | None, today: dt.date) -> bool:
        """New applications while the batch is open; an application the city returned for revision may
        come back until the city's review deadline, even once the batch has closed to new ones."""
        if application is not None and application.status == Application.Status.RETURNED:
            return self.opens_on <= today <= max(self.closes_on, self.city_review_deadline)
        return self.accepting(today)


class Aggregation(models.TextChoices):
    """Values of the parameter tiers.expert_review.aggregation and their Chinese names."""

    MEAN = "mean", "算术平均"
    TRIMMED_MEAN = "trimmed_mean", "去掉最高分和最低分后平均（专家不少于5人时，不足5人算术平均）"
    MEDIAN = "median", "中位数"


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待市级审核"
        RETURNED = "returned", "已退回修改"
        CITY_APPROVED = "city_approved", "待分配专家"
        EXPERT_REVIEW = "expert_review", "专家评审中"
        REJECTED = "rejected", "未通过"
        IN_NOTICE = "in_notice", "公示中"
        RECOGNIZED = "recognized", "已认定"

    batch = models.ForeignKey(Batch, verbose_name="批次", on_delete=models.PROTECT, related_name="applications")
    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="tier_applications")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    contact_name = models.CharField("联系人", max_length=30)
    contact_phone = models.CharField("联系电话", max_length=20)
    statement = models.TextField("申报说明", blank=True)
    declared = models.JSONField("申报时的企业库指标", default=dict, blank=True)
    assessment = models.JSONField("政策引擎自评", default=dict, blank=True)
    flagged = models.BooleanField("引擎判定明显不符合", default=False)
    flag_reason = models.CharField("标记原因", max_length=300, blank=True)
    submitted_at = models.DateTimeField("提交时间")
    return_reason = models.CharField("退回原因", max_length=300, blank=True)
    city_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="市级审核人", null=True,
                                         blank=True, on_delete=models.SET_NULL, related_name="+")
    city_reviewed_at = models.DateTimeField("市级审核时间", null=True, blank=True)
    expert_score = models.DecimalField("专家评审汇总得分", max_digits=5, decimal_places=2, null=True, blank=True)
    aggregation = models.CharField("汇总规则", max_length=20, blank=True, choices=Aggregation.choices)
    decision_reason = models.CharField("省级意见", max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="省级决定人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("省级决定时间", null=True, blank=True)
    notice_start = models.DateField("公示开始", null=True, blank=True)
    notice_end = models.DateField("公示截止", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "申报"
        verbose_name_plural = "申报"
        ordering = ["-submitted_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["batch", "enterprise"], name="application_once_per_batch")]
        indexes = [models.Index(fields=["batch", "status"])]

    def __str__(self) -> str:
        return f"{self.batch} · {self.enterprise_id}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"tiers/applications/{instance.application_id}/{filename}"


class Attachment(models.Model):
    application = models.ForeignKey(Application, verbose_name="申报", on_delete=models.CASCADE,
                                    related_name="attachments")
    file = models.FileField("文件", upload_to=attachment_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("摘要", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "申报附件"
        verbose_name_plural = "申报附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ExpertConflict(models.Model):
    """An expert's declared link to an enterprise (employment, shareholding, kinship, consulting …)."""

    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="专家", on_delete=models.CASCADE,
                               related_name="declared_conflicts")
    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField("关联关系", max_length=200)
    declared_at = models.DateTimeField("申报时间", auto_now_add=True)

    class Meta:
        verbose_name = "专家回避申报"
        verbose_name_plural = "专家回避申报"
        constraints = [models.UniqueConstraint(fields=["expert", "enterprise"], name="conflict_once")]

    def __str__(self) -> str:
        return f"{self.expert_id} ↔ {self.enterprise_id}"


class ExpertAssignment(models.Model):
    application = models.ForeignKey(Application, verbose_name="申报", on_delete=models.CASCADE,
                                    related_name="assignments")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="专家", on_delete=models.PROTECT,
                               related_name="review_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="分配人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField("分配时间", auto_now_add=True)
    score = models.DecimalField("评分", max_digits=5, decimal_places=2, null=True, blank=True)
    comment = models.CharField("评审意见", max_length=500, blank=True)
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)

    class Meta:
        verbose_name = "专家评审"
        verbose_name_plural = "专家评审"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="assignment_once"),
            models.CheckConstraint(condition=models.Q(score__isnull=True) | (models.Q(score__gte=0)
                                                                            & models.Q(score__lte=100)),
                                   name="assignment_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.expert_id}"


class Objection(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "待处理"
        UPHELD = "upheld", "异议成立"
        DISMISSED = "dismissed", "异议不成立"

    application = models.ForeignKey(Application, verbose_name="申报", on_delete=models.CASCADE,
                                    related_name="objections")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人", null=True,
                                 on_delete=models.SET_NULL, related_name="+")
    content = models.TextField("异议内容")
    # Stamped by the service with clock.now(), so it reads within the notice period like the other steps.
    filed_at = models.DateTimeField("提出时间", default=timezone.now)
    status = models.CharField("处理结果", max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.CharField("处理意见", max_length=500, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.application_id} #{self.pk}"


# Recognitions that trigger an award of the plan: the matching programme event kind.
EVENT_FOR_TIER = {
    Tier.PROVINCIAL_CHAMPION.value: "recognized_provincial_champion",
    Tier.LITTLE_GIANT.value: "recognized_little_giant",
    Tier.SINGLE_CHAMPION.value: "recognized_single_champion",
}


class Recognition(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", "有效"
        EXPIRED = "expired", "已到期"
        REVOKED = "revoked", "已撤销"

    class Source(models.TextChoices):
        PROVINCE = "province", "省级认定"
        NATIONAL = "national", "国家认定（省级录入）"

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="recognitions")
    tier = models.CharField("层级", max_length=24, choices=BATCH_TIERS)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.PROVINCE)
    application = models.OneToOneField(Application, verbose_name="申报", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="recognition")
    batch = models.ForeignKey(Batch, verbose_name="批次", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="recognitions")
    certificate_no = models.CharField("证书编号", max_length=60, unique=True)
    start_date = models.DateField("有效期起")
    # The first term; each passed 复核 records its renewal (ReReview.validity_years / validity_parameter).
    validity_years = models.PositiveSmallIntegerField("首次认定有效期（年）")
    validity_parameter = models.CharField("首次认定有效期依据参数", max_length=80)
    expires_on = models.DateField("有效期至")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.VALID)
    revoked_reason = models.CharField("撤销原因", max_length=300, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撤销人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    event = models.ForeignKey(ProgrammeEvent, verbose_name="对应专项事件", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="recognitions")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "认定"
        verbose_name_plural = "认定"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "tier"], condition=models.Q(status="valid"),
                                    name="recognition_one_valid_per_tier"),
            models.CheckConstraint(condition=models.Q(expires_on__gt=models.F("start_date")),
                                   name="recognition_expires_after_start"),
        ]
        # The 认定名单 pages newest first: walked in this index, a page reads 50 rows instead of sorting them all.
        indexes = [models.Index(fields=["tier", "status", "expires_on"]),
                   models.Index(fields=["-start_date", "-id"], name="recognition_newest_first")]

    def __str__(self) -> str:
        return f"{self.certificate_no} {self.get_tier_display()}"

    def in_force(self, today: dt.date) -> bool:
        return self.status == self.Status.VALID and self.start_date <= today <= self.expires_on

    def revoked_for_cause(self) -> bool:
        """Revoked by the province's 撤销认定, the awards it triggered with it; not ended by a failed 复核, which
        leaves what the term earned (docs/workflow.md §4)."""
        return self.status == self.Status.REVOKED and not self.re_reviews.filter(passed=False).exists()

    def lapsed(self, today: dt.date) -> bool:
        """Past its validity but not yet marked 已到期 (the daily ``expire_recognitions`` has not run since)."""
        return self.status == self.Status.VALID and self.expires_on < today

    def status_label(self, today: dt.date) -> str:
        """The status as it stands on `today`: a lapsed recognition reads 已到期, as it will once marked."""
        return self.Status.EXPIRED.label if self.lapsed(today) else self.get_status_display()


class ReReview(models.Model):
    """复核: before expiry the province checks the enterprise again; passing renews the validity."""

    recognition = models.ForeignKey(Recognition, verbose_name="认定", on_delete=models.PROTECT,
                                    related_name="re_reviews")
    reviewed_on = models.DateField("复核日期")
    passed = models.BooleanField("通过")
    reason = models.CharField("复核意见", max_length=300, blank=True)
    previous_expires_on = models.DateField("原有效期至")
    new_expires_on = models.DateField("新有效期至", null=True, blank=True)
    validity_years = models.PositiveSmallIntegerField("续期（年）", null=True, blank=True)
    validity_parameter = models.CharField("续期依据参数", max_length=80, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="复核人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "复核"
        verbose_name_plural = "复核"
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.recognition_id} {self.reviewed_on}"
