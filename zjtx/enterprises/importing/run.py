"""Run one ImportJob from file to database, reporting progress as it goes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import polars as pl
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from zjtx.core import clock
from zjtx.core.audit import audit_record
from zjtx.core.errors import ApplicationError
from zjtx.enterprises import listing
from zjtx.enterprises.importing import report, writer
from zjtx.enterprises.importing.columns import COLUMNS, INDICATOR_COLUMNS
from zjtx.enterprises.importing.readers import ROW_NO, read_table
from zjtx.enterprises.importing.validate import ERROR_SCHEMA, Context, Validated, validate
from zjtx.enterprises.models import Enterprise, ImportJob, Indicator

logger = logging.getLogger(__name__)
Progress = Callable[[int, str], None]
KEPT_ERRORS = 1000  # shown on the page; the downloadable report has them all


def run_import(job: ImportJob, on_progress: Progress | None = None) -> ImportJob:
    """Validate and (depending on the mode) write the job's file. Never leaves partial rows behind."""
    progress = _progress_writer(job, on_progress)
    try:
        progress(5, "读取文件")
        raw = read_table(Path(job.file_path), COLUMNS[job.kind])
        job.total_rows = raw.height
        progress(20, "逐列校验")
        checked = validate(raw, COLUMNS[job.kind], Context(city_scope=job.city_scope, county_scope=job.county_scope,
                                                            today=clock.today()))
        progress(50, "核对企业库")
        checked = _check_against_registry(job, checked)
        _finish(job, checked, progress)
    except ApplicationError as exc:
        _fail(job, exc.message)
    except IntegrityError:
        logger.exception("import job %s hit an integrity error", job.pk)
        _fail(job, "导入期间数据被其他操作同时修改，未写入任何数据，请重新导入")
    except Exception:  # the job must end in a state the page can show, whatever happened
        logger.exception("import job %s failed", job.pk)
        _fail(job, "导入时发生内部错误，未写入任何数据；错误已记入日志，请联系管理员")
    if job.status == ImportJob.Status.DONE and job.listing_pending:
        _queue_list_refresh(job)
    return job


def _queue_list_refresh(job: ImportJob) -> None:
    """The registry rows are committed whatever happens here; if the queue fails, the job page keeps
    saying the list is being updated and `manage.py refresh_list_entries` repairs it."""
    from zjtx.enterprises.tasks import refresh_list_task

    try:
        refresh_list_task.enqueue(job.pk)
    except Exception:
        logger.exception("import job %s: could not queue the list refresh", job.pk)


def _finish(job: ImportJob, checked: Validated, progress: Progress) -> None:
    job.error_rows = len(checked.error_rows)
    job.errors = checked.errors.head(KEPT_ERRORS).to_dicts()
    if checked.errors.height:
        report.write_error_report(job, checked.errors)
    if job.error_rows and job.mode == ImportJob.Mode.ALL_OR_NOTHING:
        job.status = ImportJob.Status.REJECTED
        job.message = (f"共 {job.total_rows} 行，其中 {job.error_rows} 行有错误；"
                       "按“全部正确才导入”方式，未导入任何数据。")
    else:
        progress(70, "写入数据库")
        counts = _write(job, checked.valid_frame())
        job.created_rows, job.updated_rows, job.unchanged_rows = counts.created, counts.updated, counts.unchanged
        job.status = ImportJob.Status.DONE
        job.message = (f"共 {job.total_rows} 行：新增 {counts.created}，更新 {counts.updated}，"
                       f"未变化 {counts.unchanged}，错误未导入 {job.error_rows}。")
    job.progress, job.stage, job.finished_at = 100, job.get_status_display(), timezone.now()
    job.save()
    audit_record(actor=job.created_by, action="import", target_type="import_job", target_id=str(job.pk),
                 summary=f"{job.get_kind_display()}导入《{job.file_name}》：{job.message}")


def _fail(job: ImportJob, message: str) -> None:
    job.status, job.message, job.listing_pending = ImportJob.Status.FAILED, message, False
    job.progress, job.stage, job.finished_at = 100, "失败", timezone.now()
    job.save()


def _progress_writer(job: ImportJob, callback: Progress | None) -> Progress:
    def progress(percent: int, stage: str) -> None:
        job.status, job.progress, job.stage = ImportJob.Status.RUNNING, percent, stage
        job.save(update_fields=["status", "progress", "stage", "total_rows"])
        if callback:
            callback(percent, stage)

    return progress


def _check_against_registry(job: ImportJob, checked: Validated) -> Validated:
    if job.kind == ImportJob.Kind.ENTERPRISES:
        extra = _enterprise_scope_errors(job, checked.frame)
    else:
        checked.frame, extra = _resolve_enterprises(job, checked.frame)
    if extra.height:
        checked.errors = pl.concat([checked.errors, extra]).sort(ROW_NO, maintain_order=True)
    return checked


def _existing(codes: pl.Series) -> pl.DataFrame:
    """id, city, county and industry of the registry's enterprises among `codes` (one query per 20,000 codes)."""
    schema = {"credit_code": pl.String, "enterprise_id": pl.Int64, "registered_city": pl.String,
              "registered_county": pl.String, "registered_industry": pl.String}
    parts = [pl.DataFrame(schema=schema)]
    unique = codes.drop_nulls().unique().to_list()
    with connection.cursor() as cur:
        for start in range(0, len(unique), 20000):
            chunk = unique[start:start + 20000]
            marks = ", ".join(["%s"] * len(chunk))
            cur.execute("SELECT credit_code, id, city_code, county_code, industry_code FROM enterprises_enterprise "
                        f"WHERE credit_code IN ({marks})", chunk)
            parts.append(pl.DataFrame(cur.fetchall(), schema=schema, orient="row"))
    return pl.concat(parts)


def _enterprise_scope_errors(job: ImportJob, frame: pl.DataFrame) -> pl.DataFrame:
    if not job.city_scope:
        return pl.DataFrame(schema=ERROR_SCHEMA)
    joined = frame.join(_existing(frame["credit_code"]), on="credit_code", how="inner")
    other_county = pl.lit(False)
    if job.county_scope:
        other_county = pl.col("registered_county") != job.county_scope
    reason = (pl.when(pl.col("registered_city") != job.city_scope)
              .then(pl.lit("该企业已登记在其他市，不能由本市导入修改"))
              .when(other_county).then(pl.lit("该企业已登记在其他县（区），不能由本县（区）导入修改")))
    return joined.select(ROW_NO, pl.lit("统一社会信用代码").alias("列"), pl.col("credit_code").alias("原值"),
                         reason.alias("错误原因")).filter(pl.col("错误原因").is_not_null())


COLUMN_HEADERS = {c.field: c.header for c in INDICATOR_COLUMNS}


# For a city or county user an enterprise outside its area reads as unknown, as the registry pages answer
# 404 for both: a different message would tell whether (and where) a credit code is registered.
OUT_OF_REACH = "企业库中没有此信用代码，或该企业不在您的管辖范围内，无法导入其指标"


def _resolve_enterprises(job: ImportJob, frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    joined = frame.join(_existing(frame["credit_code"]), on="credit_code", how="left")
    unknown = joined["enterprise_id"].is_null() & joined["credit_code"].is_not_null()
    if job.city_scope:
        outside = (joined["registered_city"] != job.city_scope).fill_null(False)
        if job.county_scope:
            outside = outside | (joined["registered_county"] != job.county_scope).fill_null(False)
        reason = pl.when(unknown | outside).then(pl.lit(OUT_OF_REACH))
    else:
        reason = pl.when(unknown).then(pl.lit("企业库中没有此信用代码，请先导入企业基本信息"))
    errors = joined.select(ROW_NO, pl.lit("统一社会信用代码").alias("列"), pl.col("credit_code").alias("原值"),
                           reason.alias("错误原因")).filter(pl.col("错误原因").is_not_null())
    return joined, pl.concat([errors, _years_without_size_figures(joined)])


def _years_without_size_figures(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows that would leave a year with none of the figures 划型 reads (Indicator.clean, as the form refuses).
    validate checks rows of files with all three columns; a column the file lacks keeps what is stored, so
    there a row is refused when its own figures are blank and the stored year has none of the others (a new
    year has none)."""
    size = list(Indicator.SIZE_FIELDS)
    absent = [name for name in size if name not in frame.columns]
    if not absent or "year" not in frame.columns:
        return pl.DataFrame(schema=ERROR_SCHEMA)
    blank = pl.all_horizontal([pl.col(name).is_null() for name in size if name in frame.columns] or [pl.lit(True)])
    rows = frame.filter(blank & pl.col("enterprise_id").is_not_null() & pl.col("year").is_not_null())
    kept = _years_with_figures(rows["enterprise_id"].unique().to_list(), absent)
    refused = rows.join(kept, on=["enterprise_id", "year"], how="anti")
    return refused.select(ROW_NO, pl.lit(COLUMN_HEADERS["revenue"]).alias("列"), pl.lit("").alias("原值"),
                          pl.lit(Indicator.SIZE_FIELDS_MESSAGE).alias("错误原因"))


def _years_with_figures(enterprise_ids: list[int], fields: list[str]) -> pl.DataFrame:
    """(enterprise_id, year) of the stored indicator years holding any of `fields` (one query per 20,000 ids)."""
    schema = {"enterprise_id": pl.Int64, "year": pl.Int64}
    parts = [pl.DataFrame(schema=schema)]
    held = " OR ".join(f"{name} IS NOT NULL" for name in fields)
    with connection.cursor() as cur:
        for start in range(0, len(enterprise_ids), 20000):
            chunk = enterprise_ids[start:start + 20000]
            cur.execute(f"SELECT enterprise_id, year FROM enterprises_indicator WHERE ({held}) AND enterprise_id IN "
                        f"({', '.join(['%s'] * len(chunk))})", chunk)
            parts.append(pl.DataFrame(cur.fetchall(), schema=schema, orient="row"))
    return pl.concat(parts)


def _blank_text(frame: pl.DataFrame, model: type[models.Model]) -> tuple[pl.DataFrame, dict[str, str]]:
    """Django stores empty text as '' (NOT NULL): fill empty cells, and default the absent text columns."""
    text = {f.column for f in model._meta.concrete_fields if isinstance(f, models.CharField) and not f.null}
    frame = frame.with_columns([pl.col(c).fill_null("") for c in frame.columns if c in text])
    return frame, dict.fromkeys(sorted(text - set(frame.columns)), "''")


def _write(job: ImportJob, frame: pl.DataFrame) -> writer.Counts:
    actor = job.created_by
    label = actor.display_name if actor else "系统"
    summary = f"导入任务#{job.pk}《{job.file_name}》"
    with transaction.atomic():
        if job.kind == ImportJob.Kind.ENTERPRISES:
            return _write_enterprises(job, frame, label, summary)
        return _write_indicators(job, frame, label, summary)


# A blank optional cell keeps what the registry holds (values are cleared on the edit page). The county
# is kept only while the city stays: a blank county in a row that moves the enterprise leaves it empty.
KEEP_WHEN_BLANK = {c.field: f"t.{c.field}" for c in COLUMNS[ImportJob.Kind.ENTERPRISES] if not c.required}
KEEP_WHEN_BLANK["county_code"] = "CASE WHEN s.city_code = t.city_code THEN t.county_code ELSE '' END"


def _write_enterprises(job: ImportJob, frame: pl.DataFrame, label: str, summary: str) -> writer.Counts:
    if "industry_code" in frame.columns:
        frame = frame.with_columns(pl.col("industry_code").str.slice(0, 2).alias("industry_division"))
    fields = [c for c in frame.columns if c != ROW_NO]
    known = frame["credit_code"].is_in(writer.existing_keys(frame["credit_code"]).implode())
    counts = writer.Counts()
    if known.any():
        writer.stage(frame.select(fields).filter(known))  # blanks stay NULL: see KEEP_WHEN_BLANK
        counts = writer.upsert(writer.ENTERPRISE_TARGET, fields, actor_id=job.created_by_id, actor_label=label,
                               summary=summary, insert_extra=None, keep=KEEP_WHEN_BLANK)
    rows, blanks = _blank_text(frame.select(fields), Enterprise)
    # In code order the unique index grows at its right edge instead of at a random page per row
    # (1,000,000 rows: COPY 10 s instead of 14 s); ids then follow the code order within one import.
    fresh = rows.filter(~known).sort("credit_code")
    if fresh.height:
        writer.write_rows(writer.ENTERPRISE_TARGET.table, fresh.with_columns(**_new_row_values(job, blanks)))
        counts.created += fresh.height
    # Few rows: their list entries change in this transaction. Many: the registry commits first and a
    # follow-up task refreshes the entries (maintaining the list indexes row by row would cost several
    # times the import itself).
    job.listing_pending = counts.created + counts.updated > listing.INLINE_LIMIT
    if job.listing_pending:
        job.listing_places = _places(job, fresh, updated=counts.updated)
    elif counts.created + counts.updated:
        listing.refresh_staged(writer.KEYS_STAGE, since=_written_since(job))
    if "industry_code" in fields and counts.updated:
        from zjtx.enterprises.services import size_refresh

        size_refresh(codes=frame["credit_code"].to_list(), refresh_list=not job.listing_pending, actor=job.created_by,
                     cause=summary)
    return counts


def _places(job: ImportJob, fresh: pl.DataFrame, *, updated: int) -> listing.Places:
    """Where the rows a large import wrote lie, for the list's notice: the new rows' places from the file
    (free), the updated rows' from the registry (still staged in writer.STAGE), as they are now stored."""
    county = pl.col("county_code") if "county_code" in fresh.columns else pl.lit("")
    rows = fresh.group_by(pl.col("city_code"), county.fill_null("").alias("county")).len().rows()
    if updated:
        rows += listing.places_staged(writer.STAGE, _written_since(job))
    return listing.count_places(rows)


def _new_row_values(job: ImportJob, blanks: dict[str, str]) -> dict[str, pl.Expr]:
    """Columns a new registry row needs beyond the file: empty text, timestamps, the creating job."""
    now = str(connection.ops.adapt_datetimefield_value(timezone.now()))  # as the backend stores it
    values = {name: pl.lit("") for name in blanks}
    values.update(created_at=pl.lit(now), updated_at=pl.lit(now), created_job_id=pl.lit(int(job.pk)))
    return values


def _write_indicators(job: ImportJob, frame: pl.DataFrame, label: str, summary: str) -> writer.Counts:
    names = [c.field for c in COLUMNS[job.kind] if c.field in frame.columns and c.field != "credit_code"]
    staged, blanks = _blank_text(frame.select(["enterprise_id", *names]), Indicator)
    writer.stage(staged)
    counts = writer.upsert(writer.INDICATOR_TARGET, ["enterprise_id", *names], actor_id=job.created_by_id,
                           actor_label=label, summary=summary, insert_extra=blanks)
    from zjtx.enterprises.services import size_refresh

    size_refresh(enterprise_ids=staged["enterprise_id"].unique().to_list(), actor=job.created_by, cause=summary)
    return counts


def refresh_list_entries(job: ImportJob) -> int:
    """The follow-up of a large import: bring the list entries of its rows up to date."""
    with transaction.atomic():
        written = listing.refresh_changed_since(_written_since(job))
        job.listing_pending, job.listing_places = False, {}
        job.save(update_fields=["listing_pending", "listing_places"])
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cur:  # statistics and visibility map for the list's index-only counts
            cur.execute(f"VACUUM (ANALYZE) {listing.TABLE}")
    logger.info("import job %s: %s list entries refreshed", job.pk, written)
    return written


def _written_since(job: ImportJob) -> datetime:
    """Rows this job wrote carry an updated_at after the job was created; a second of margin because
    SQLite stores the writer's now() to the second."""
    return job.created_at - timedelta(seconds=1)
