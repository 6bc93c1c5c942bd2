"""Writes to the enterprise registry. Every change is audited with its before and after."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.forms.models import model_to_dict

from zjtx.accounts.models import User
from zjtx.core.audit import audit_record, changed_fields, field_label
from zjtx.core.errors import ApplicationError
from zjtx.enterprises import access, listing, sizing
from zjtx.enterprises.importing import writer
from zjtx.enterprises.models import Enterprise, ImportJob, Indicator, Tier

ENTERPRISE_FIELDS = ["name", "city_code", "county_code", "founded_on", "industry_code", "emerging_industry",
                     "registered_capital", "contact_name", "contact_phone"]
INDICATOR_FIELDS = ["revenue", "main_revenue", "rd_expense", "employees", "rd_staff", "net_profit", "total_assets",
                    "total_liabilities", "ip_i_count", "main_product", "market_share", "financing", "export"]
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


def enterprise_update(*, user: User, enterprise: Enterprise, data: dict[str, Any]) -> Enterprise:
    """Change an enterprise's registry fields (only those the user may edit) and audit the change."""
    allowed = access.editable_fields(user, ENTERPRISE_FIELDS)
    # Read "before" from the database: a bound ModelForm has already copied its input onto `enterprise`.
    before = model_to_dict(Enterprise.objects.get(pk=enterprise.pk), fields=allowed)
    for name in allowed:
        if name in data:
            setattr(enterprise, name, data[name])
    _full_clean(enterprise)
    _check_place(user, enterprise)
    changed = changed_fields(before, model_to_dict(enterprise, fields=allowed))
    if not changed:
        return enterprise
    with transaction.atomic():
        enterprise.save(update_fields=[*changed, "updated_at"])
        audit_record(actor=user, action="update", target_type="enterprise", target_id=enterprise.credit_code,
                     enterprise_code=enterprise.credit_code, summary="修改企业信息：" + "、".join(
                         field_label(Enterprise, f) for f in changed),
                     before={f: before[f] for f in changed}, after={f: getattr(enterprise, f) for f in changed})
        if "industry_code" in changed:
            size_refresh(enterprise_ids=[enterprise.pk], actor=user, cause="修改国民经济行业")
    return enterprise


def _check_place(user: User, enterprise: Enterprise) -> None:
    problem = access.place_error(user, enterprise.city_code, enterprise.county_code)
    if problem:
        field, message = problem
        raise ApplicationError(f"{field_label(Enterprise, field)}：{message}", field=field)


def indicator_save(*, user: User, enterprise: Enterprise, year: int, data: dict[str, Any]) -> Indicator:
    """Create or change one year's indicators; the size class follows from them."""
    indicator = Indicator.objects.filter(enterprise=enterprise, year=year).first()
    created = indicator is None
    indicator = indicator or Indicator(enterprise=enterprise, year=year)
    before = model_to_dict(indicator, fields=INDICATOR_FIELDS)
    for name in INDICATOR_FIELDS:
        if name in data:
            setattr(indicator, name, data[name])
    _full_clean(indicator)
    after = model_to_dict(indicator, fields=INDICATOR_FIELDS)
    changed = changed_fields(before, after)
    if not changed and not created:
        return indicator
    with transaction.atomic():
        indicator.save()
        audit_record(actor=user, action="create" if created else "update", target_type="indicator",
                     target_id=f"{enterprise.pk}/{year}", enterprise_code=enterprise.credit_code,
                     summary=f"{'新增' if created else '修改'}{year}年度指标",
                     before=None if created else {f: before[f] for f in changed},
                     after={f: after[f] for f in (INDICATOR_FIELDS if created else changed)})
        size_refresh(enterprise_ids=[enterprise.pk], actor=user,
                     cause=f"{'新增' if created else '修改'}{year}年度指标")
    indicator.refresh_from_db()
    return indicator


def _full_clean(obj: Enterprise | Indicator) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        label = field_label(type(obj), field) if field != "__all__" else ""
        raise ApplicationError(f"{label}：{messages[0]}" if label else messages[0], field=field) from exc


def size_refresh(*, enterprise_ids: Sequence[int] | None = None, codes: Sequence[str] | None = None,
                 refresh_list: bool = True, actor: User | None = None, cause: str = "重新划型") -> int:
    """Recompute the 划型 size class of indicators and enterprises (all when no ids or codes are given).

    Each enterprise whose size class changes gets one audit record (before → after) naming `cause` and
    `actor` (None: 系统), written by one statement however many rows change.
    `refresh_list=False` leaves the list entries to a large import's follow-up task."""
    rows = _size_inputs(enterprise_ids, codes)
    if rows.is_empty():
        return 0
    sized = sizing.add_size_class(rows, "industry_code", "employees", "revenue", "total_assets", out_col="new_size")
    sized = sized.with_columns(pl.col("new_size").fill_null(""))
    changed = sized.filter(pl.col("new_size") != pl.col("size_class")).select("id", pl.col("new_size").alias("size"))
    latest = (sized.sort("year", descending=True).group_by("enterprise_id", maintain_order=True).first()
              .select(pl.col("enterprise_id").alias("id"), pl.col("new_size").alias("size"), pl.col("year")))
    with transaction.atomic(), connection.cursor() as cur:
        if changed.height:
            writer.stage(changed)
            cur.execute(f"UPDATE enterprises_indicator SET size_class = s.size FROM {writer.STAGE} s "
                        "WHERE enterprises_indicator.id = s.id")
        writer.stage(latest)
        cur.execute(_size_audit_sql(), [actor.pk if actor else None, _actor_label(actor), cause[:200]])
        cur.execute(f"UPDATE enterprises_enterprise SET size_class = s.size, size_year = s.year FROM {writer.STAGE} s "
                    "WHERE enterprises_enterprise.id = s.id AND (enterprises_enterprise.size_class IS DISTINCT FROM "
                    "s.size OR enterprises_enterprise.size_year IS DISTINCT FROM s.year)")
        if refresh_list:
            listing.refresh_staged(writer.STAGE, key="id")
    return changed.height


def _size_audit_sql() -> str:
    """One record per enterprise whose size class the staged rows change (none when only the year moves)."""
    return writer.audit_select(
        action="size_change", target_type="enterprise", target_id="t.credit_code", code="t.credit_code",
        summary="'企业规模重新划型（按' || CAST(s.year AS varchar) || '年度指标；' || %s || '）'",
        before="t.size_class", after="s.size", key="size_class",
    ) + (f"FROM {writer.STAGE} s JOIN enterprises_enterprise t ON t.id = s.id "
         "WHERE t.size_class IS DISTINCT FROM s.size")


def _actor_label(actor: User | None) -> str:
    return (actor.display_name or actor.username) if actor else "系统"


def _size_inputs(enterprise_ids: Sequence[int] | None, codes: Sequence[str] | None) -> pl.DataFrame:
    qs = Indicator.objects.all()
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=list(enterprise_ids))
    if codes is not None:
        qs = qs.filter(enterprise__credit_code__in=list(codes))
    values = qs.values_list("id", "enterprise_id", "year", "enterprise__industry_code", "employees", "revenue",
                            "total_assets", "size_class")
    schema = {"id": pl.Int64, "enterprise_id": pl.Int64, "year": pl.Int64, "industry_code": pl.String,
              "employees": pl.Int64, "revenue": pl.Float64, "total_assets": pl.Float64, "size_class": pl.String}
    data = [(i, e, y, ind, emp, float(r) if r is not None else None, float(a) if a is not None else None, s)
            for i, e, y, ind, emp, r, a, s in values.iterator(chunk_size=20000)]
    return pl.DataFrame(data, schema=schema, orient="row")


def import_submit(*, user: User, kind: str, mode: str, upload: UploadedFile) -> ImportJob:
    """Store the uploaded file and queue its import as a background task."""
    scope = access.import_scope(user)
    if kind not in ImportJob.Kind.values:
        raise ApplicationError("请选择导入类型：企业基本信息或年度指标", field="kind")
    if mode not in ImportJob.Mode.values:
        raise ApplicationError("请选择导入方式", field="mode")
    name = Path(upload.name or "upload").name
    if Path(name).suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        raise ApplicationError("只支持 .xlsx 或 .csv 文件", field="file")
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        raise ApplicationError("文件超过 200MB，请拆分后导入或使用命令行导入", field="file")
    job = _store_upload(user, kind, mode, name, upload, scope)
    from zjtx.enterprises.tasks import run_import_task

    transaction.on_commit(lambda: run_import_task.enqueue(job.pk))
    return job


def _store_upload(user: User, kind: str, mode: str, name: str, upload: UploadedFile,
                  scope: tuple[str, str]) -> ImportJob:
    digest = hashlib.sha256()
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    job = ImportJob.objects.create(kind=kind, mode=mode, file_name=name[:200], file_path="", file_sha256="",
                                   created_by=user, city_scope=scope[0], county_scope=scope[1])
    path = folder / f"{job.pk}{Path(name).suffix.lower()}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    job.file_path, job.file_sha256 = str(path), digest.hexdigest()
    job.save(update_fields=["file_path", "file_sha256"])
    audit_record(actor=user, action="import_submit", target_type="import_job", target_id=str(job.pk),
                 summary=f"提交{job.get_kind_display()}导入《{name}》（{job.get_mode_display()}）")
    return job


def import_from_path(*, user: User | None, kind: str, mode: str, path: Path, progress: Any = None) -> ImportJob:
    """Run an import synchronously from a file on disk (management command, benchmarks)."""
    from zjtx.enterprises.importing.run import run_import

    city, county = access.import_scope(user) if user else ("", "")
    job = ImportJob.objects.create(kind=kind, mode=mode, file_name=path.name, file_path=str(path),
                                   file_sha256=_sha256(path), created_by=user, city_scope=city, county_scope=county)
    return run_import(job, progress)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def officer_assign(*, user: User, enterprise: Enterprise, officer: User | None) -> Enterprise:
    """Give the enterprise its one service officer (plan task 20: 每家配备1名服务专员)."""
    if not access.can_assign_officer(user):
        raise ApplicationError("只有省级、市级管理员可以指派服务专员", code="forbidden")
    if officer is not None and officer.role != "officer":
        raise ApplicationError("所选用户不是服务专员", field="service_officer")
    before = enterprise.service_officer.display_name if enterprise.service_officer else None
    with transaction.atomic():
        enterprise.service_officer = officer
        enterprise.save(update_fields=["service_officer", "updated_at"])
        audit_record(actor=user, action="assign_officer", target_type="enterprise", target_id=enterprise.credit_code,
                     enterprise_code=enterprise.credit_code, summary="指派服务专员",
                     before={"service_officer": before},
                     after={"service_officer": officer.display_name if officer else None})
    return enterprise


def enterprise_set_tier(*, user: Any, enterprise: Enterprise, tier: str) -> Enterprise:
    """Set the ladder tier the recognition workflow decided (the only writer of Enterprise.tier besides imports)."""
    if tier not in Tier.values:
        raise ApplicationError(f"梯度层级不正确：{tier}", field="tier")
    with transaction.atomic():
        current = Enterprise.objects.select_for_update().only("tier").get(pk=enterprise.pk).tier
        if current == tier:
            enterprise.tier = tier
            return enterprise
        enterprise.tier = tier
        enterprise.save(update_fields=["tier", "updated_at"])
        audit_record(actor=user, action="set_tier", target_type="enterprise", target_id=enterprise.credit_code,
                     enterprise_code=enterprise.credit_code,
                     summary=f"梯度层级：{Tier(current).label} → {Tier(tier).label}",
                     before={"tier": current}, after={"tier": tier})
    return enterprise
