from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from zjtx.core import clock, reference, regions
from zjtx.core.creditcode import credit_code_error
from zjtx.enterprises import industries, listing
from zjtx.enterprises.importing.columns import EARLIEST_DATE
from zjtx.enterprises.importing.columns import MAX_MONEY as MAX_MONEY_WAN


class Tier(models.TextChoices):
    """The five-step ladder of the plan (二(一)2). Written by the recognition workflow, not typed in."""

    NONE = "", "未入库"
    INNOVATIVE = "innovative", "创新型中小企业"
    PROVINCIAL = "provincial", "省专精特新企业"
    PROVINCIAL_CHAMPION = "provincial_champion", "省专精特新冠军企业"
    LITTLE_GIANT = "little_giant", "国家级专精特新“小巨人”企业"
    SINGLE_CHAMPION = "single_champion", "国家级制造业单项冠军企业"


class SizeClass(models.TextChoices):
    """中小企业划型 (工信部联企业〔2011〕300号), derived from indicators; never typed in."""

    UNKNOWN = "", "未划型（数据不足）"
    LARGE = "large", "大型"
    MEDIUM = "medium", "中型"
    SMALL = "small", "小型"
    MICRO = "micro", "微型"


class RegistryLabels:
    """Display names of the coded fields, shared by the registry row and its list entry."""

    city_code: str
    county_code: str
    industry_code: str
    emerging_industry: str

    @property
    def city_name(self) -> str:
        return regions.city_name(self.city_code) if regions.is_city(self.city_code) else self.city_code

    @property
    def county_name(self) -> str:
        return regions.county_name(self.county_code) if self.county_code in regions.county_city_map() else ""

    @property
    def industry_label(self) -> str:
        return industries.industry_label(self.industry_code)

    @property
    def emerging_label(self) -> str:
        return dict(reference.EMERGING_INDUSTRIES).get(self.emerging_industry, "")


class Enterprise(RegistryLabels, models.Model):
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("企业名称", max_length=100)
    city_code = models.CharField("所在市", max_length=6)
    county_code = models.CharField("所在县（区）", max_length=6, blank=True)
    founded_on = models.DateField("成立日期", null=True, blank=True)
    industry_code = models.CharField("国民经济行业代码", max_length=4)
    # The 2-digit 大类 of industry_code, kept so that the list can filter a division on an index.
    industry_division = models.CharField("行业大类", max_length=2, editable=False, default="")
    emerging_industry = models.CharField("十大新兴产业", max_length=24, blank=True)
    registered_capital = models.DecimalField("注册资本（万元）", max_digits=14, decimal_places=2, null=True,
                                             blank=True)
    contact_name = models.CharField("联系人", max_length=30, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    tier = models.CharField("梯度层级", max_length=24, choices=Tier.choices, blank=True, default="")
    size_class = models.CharField("企业规模", max_length=8, choices=SizeClass.choices, blank=True, default="")
    size_year = models.PositiveSmallIntegerField("划型所用年度", null=True, blank=True)
    service_officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="服务专员", null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="served_enterprises",
                                        db_index=False)  # partial index below: most rows have none
    # Provenance only: no index and no database constraint, which would cost a check per imported row.
    created_job = models.ForeignKey("ImportJob", verbose_name="创建该企业的导入任务", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="created_enterprises",
                                    db_index=False, db_constraint=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        # The system of record stays lean so that bulk imports run near COPY speed: the list's filter and
        # name-search indexes live on ListEntry (docs/adr/0004-list-entries.md).
        indexes = [
            models.Index(fields=["service_officer"], condition=models.Q(service_officer__isnull=False),
                         name="ent_officer"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.credit_code}）"

    def save(self, *args: object, **kwargs: object) -> None:
        self.industry_division = (self.industry_code or "")[:2]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "industry_code" in update_fields:  # type: ignore[operator]
            kwargs["update_fields"] = [*update_fields, "industry_division"]  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        listing.refresh_one(self.pk)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        problem = credit_code_error(self.credit_code)
        if problem:
            errors["credit_code"] = problem
        if not regions.is_city(self.city_code):
            errors["city_code"] = "所在市必须是安徽省16个设区市之一"
        elif self.county_code and regions.county_city_map().get(self.county_code) != self.city_code:
            errors["county_code"] = "所在县（区）不属于所选的市"
        if not industries.is_valid_industry_code(self.industry_code):
            errors["industry_code"] = "国民经济行业代码应为 GB/T 4754 的2位大类或4位小类代码"
        if self.emerging_industry and self.emerging_industry not in dict(reference.EMERGING_INDUSTRIES):
            errors["emerging_industry"] = "不是十大新兴产业之一"
        if self.founded_on and self.founded_on > clock.today():
            errors["founded_on"] = "成立日期不能晚于今天"
        elif self.founded_on and self.founded_on < EARLIEST_DATE:
            errors["founded_on"] = "成立日期早于1900年，请核对"
        if self.registered_capital is not None and self.registered_capital < 0:
            errors["registered_capital"] = "注册资本不能为负数"
        if phone_problem := reference.phone_error(self.contact_phone):
            errors["contact_phone"] = phone_problem
        if errors:
            raise ValidationError(errors)


class ListEntry(RegistryLabels, models.Model):
    """The registry list's copy of an enterprise's searchable fields, with every list index.

    Enterprise.save() and the bulk writers keep it current (zjtx.enterprises.listing); a large import
    commits the registry first and refreshes these rows right after, in the background.
    On PostgreSQL a generated column `name_grams` (two-character pieces of the name, GIN index) serves
    the name search; see migration 0006."""

    enterprise = models.OneToOneField(Enterprise, verbose_name="企业", primary_key=True, db_column="id",
                                      on_delete=models.CASCADE, related_name="list_entry")
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    name = models.CharField("企业名称", max_length=100)
    city_code = models.CharField("所在市", max_length=6)
    county_code = models.CharField("所在县（区）", max_length=6, blank=True)
    industry_code = models.CharField("国民经济行业代码", max_length=4)
    industry_division = models.CharField("行业大类", max_length=2, default="")
    emerging_industry = models.CharField("十大新兴产业", max_length=24, blank=True)
    tier = models.CharField("梯度层级", max_length=24, choices=Tier.choices, blank=True, default="")
    size_class = models.CharField("企业规模", max_length=8, choices=SizeClass.choices, blank=True, default="")

    class Meta:
        verbose_name = "企业列表条目"
        verbose_name_plural = "企业列表条目"
        # Each list filter walks its own (filter, id) index, so keyset pages stay fast at 2,000,000 rows;
        # a city user's list always filters by city, so each other filter also gets (city, filter, id).
        indexes = [
            models.Index(fields=["city_code", "enterprise"], name="list_city_id"),
            models.Index(fields=["tier", "enterprise"], name="list_tier_id"),
            models.Index(fields=["size_class", "enterprise"], name="list_size_id"),
            models.Index(fields=["industry_division", "enterprise"], name="list_division_id"),
            models.Index(fields=["emerging_industry", "enterprise"], name="list_emerging_id"),
            models.Index(fields=["county_code", "enterprise"], name="list_county_id"),
            models.Index(fields=["city_code", "tier", "enterprise"], name="list_city_tier_id"),
            models.Index(fields=["city_code", "size_class", "enterprise"], name="list_city_size_id"),
            models.Index(fields=["city_code", "industry_division", "enterprise"], name="list_city_division_id"),
            models.Index(fields=["city_code", "emerging_industry", "enterprise"], name="list_city_emerging_id"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.credit_code}）"


FIRST_INDICATOR_YEAR = 1949


def indicator_year_error(year: int) -> str | None:
    """Why `year` cannot have indicators (None when it can): figures exist only for years begun."""
    if year < FIRST_INDICATOR_YEAR:
        return f"年度不能早于{FIRST_INDICATOR_YEAR}年"
    if year > clock.today().year:
        return "年度不能晚于今年"
    return None


class Indicator(models.Model):
    """One enterprise's figures for one year. Money in 万元."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="indicators",
                                   verbose_name="企业")
    year = models.PositiveSmallIntegerField("年度")
    revenue = models.DecimalField("营业收入（万元）", max_digits=16, decimal_places=2, null=True, blank=True)
    main_revenue = models.DecimalField("主营业务收入（万元）", max_digits=16, decimal_places=2, null=True,
                                       blank=True)
    rd_expense = models.DecimalField("研发费用（万元）", max_digits=16, decimal_places=2, null=True, blank=True)
    employees = models.PositiveIntegerField("员工人数", null=True, blank=True)
    rd_staff = models.PositiveIntegerField("研发人员", null=True, blank=True)
    net_profit = models.DecimalField("净利润（万元）", max_digits=16, decimal_places=2, null=True, blank=True)
    total_assets = models.DecimalField("资产总额（万元）", max_digits=16, decimal_places=2, null=True, blank=True)
    total_liabilities = models.DecimalField("负债总额（万元）", max_digits=16, decimal_places=2, null=True,
                                            blank=True)
    ip_i_count = models.PositiveIntegerField("发明专利/I类知识产权（件）", null=True, blank=True)
    main_product = models.CharField("主导产品", max_length=100, blank=True)
    market_share = models.DecimalField("主导产品市场占有率（%）", max_digits=5, decimal_places=2, null=True,
                                       blank=True)
    financing = models.DecimalField("融资额（万元）", max_digits=16, decimal_places=2, null=True, blank=True)
    export = models.DecimalField("出口额（万元）", max_digits=16, decimal_places=2, null=True, blank=True)
    size_class = models.CharField("企业规模", max_length=8, choices=SizeClass.choices, blank=True, default="")

    class Meta:
        verbose_name = "年度指标"
        verbose_name_plural = "年度指标"
        ordering = ["enterprise_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="indicator_one_per_year"),
            models.CheckConstraint(condition=models.Q(year__gte=1949) & models.Q(year__lte=2100),
                                   name="indicator_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"

    MONEY_FIELDS = ("revenue", "main_revenue", "rd_expense", "total_assets", "total_liabilities", "financing",
                    "export")
    # The figures 划型 reads: a year with none of them has no size and tells nothing.
    SIZE_FIELDS = ("revenue", "employees", "total_assets")
    SIZE_FIELDS_MESSAGE = "营业收入、员工人数、资产总额至少填写一项"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        year_problem = indicator_year_error(self.year) if self.year is not None else None
        if year_problem:
            errors["year"] = year_problem
        for name in (*self.MONEY_FIELDS, "net_profit"):  # net profit may be negative
            value = getattr(self, name)
            if value is not None and abs(value) >= MAX_MONEY_WAN:
                # as the import: 1万亿元 and more is a typo, and the policy engine refuses it
                errors[name] = "数值过大（单位为万元），请核对"
            elif value is not None and value < 0 and name in self.MONEY_FIELDS:
                errors[name] = "不能为负数"
        if self.revenue is not None and self.main_revenue is not None and self.main_revenue > self.revenue:
            errors["main_revenue"] = "主营业务收入不能大于营业收入"
        if self.employees is not None and self.rd_staff is not None and self.rd_staff > self.employees:
            errors["rd_staff"] = "研发人员不能多于员工人数"
        if all(getattr(self, name) is None for name in self.SIZE_FIELDS):
            errors["revenue"] = self.SIZE_FIELDS_MESSAGE
        if self.market_share is not None and not 0 <= self.market_share <= 100:
            errors["market_share"] = "市场占有率应在0到100之间"
        if errors:
            raise ValidationError(errors)

    @property
    def rd_ratio(self) -> float | None:
        """研发费用占营业收入比重（%）."""
        if self.rd_expense is None or not self.revenue:
            return None
        return float(self.rd_expense / self.revenue * 100)


class ImportJob(models.Model):
    """One uploaded file and what became of it. Progress is read by the page while the task runs."""

    class Kind(models.TextChoices):
        ENTERPRISES = "enterprises", "企业基本信息"
        INDICATORS = "indicators", "年度指标"

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all", "全部正确才导入"
        VALID_ROWS = "valid", "仅导入正确行"

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        REJECTED = "rejected", "有错误，未导入"
        FAILED = "failed", "失败"

    kind = models.CharField("导入类型", max_length=16, choices=Kind.choices)
    mode = models.CharField("导入方式", max_length=8, choices=Mode.choices)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    file_name = models.CharField("文件名", max_length=200)
    file_path = models.CharField("存储路径", max_length=300)
    file_sha256 = models.CharField("文件摘要", max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导入人", null=True,
                                   on_delete=models.SET_NULL)
    city_scope = models.CharField("限定市", max_length=6, blank=True)
    county_scope = models.CharField("限定县（区）", max_length=6, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    stage = models.CharField("当前步骤", max_length=60, blank=True)
    total_rows = models.PositiveIntegerField("总行数", default=0)
    error_rows = models.PositiveIntegerField("错误行数", default=0)
    created_rows = models.PositiveIntegerField("新增", default=0)
    updated_rows = models.PositiveIntegerField("更新", default=0)
    unchanged_rows = models.PositiveIntegerField("未变化", default=0)
    message = models.TextField("说明", blank=True)
    errors = models.JSONField("错误明细（前1000条）", default=list, blank=True)
    # A large import commits the registry, then refreshes the list entries of its rows in a follow-up task.
    listing_pending = models.BooleanField("列表更新中", default=False)
    # While the list is pending: how many of its written rows lie in each city and county
    # ({"cities": {code: n}, "counties": {code: n}}), so that the list tells each user only of its own area's.
    listing_places = models.JSONField("待更新企业所在地", default=dict, blank=True)

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"
