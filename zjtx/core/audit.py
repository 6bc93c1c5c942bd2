"""The single place that writes audit records."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from zjtx.core.models import AuditEvent

# (key, stored value) → (Chinese label, value as people read it), per audit target type.
Describer = Callable[[str, Any], tuple[str, str | None]]
_DESCRIBERS: dict[str, Describer] = {}
# Keys that audit records use beside model fields.
COMMON_LABELS = {"reason": "原因", "status": "状态", "start": "起始日期", "value": "取值", "reform": "调整参数",
                 "attachments": "附件", "score": "得分", "flagged": "引擎判定明显不符合"}


def jsonable(value: Any) -> Any:
    """Make model field values storable in a JSON column without losing their meaning."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def field_label(model: Any, name: str) -> str:
    """The Chinese label (verbose_name) of a model field, for audit summaries and history."""
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


# (user, audit record) → may the user read it where records of many kinds are listed (an enterprise's
# change history): each app guards its confidential records (experts' scores, objections, bank accounts).
Visibility = Callable[[Any, AuditEvent], bool]
_VISIBILITY: dict[str, Visibility] = {}


# What a visibility rule may read of a record: lists read only these for all of an enterprise's records
# before paging (any other field would cost a query per record).
VISIBILITY_FIELDS = ("id", "at", "target_type", "action", "actor_id")


def register_visibility(target_type: str, rule: Visibility) -> None:
    """Registered in the app's ``ready``, beside its describer; without one, a record is shown to whoever
    may see its enterprise. The rule reads only ``VISIBILITY_FIELDS`` of the record."""
    _VISIBILITY[target_type] = rule


def visible_to(user: Any, event: AuditEvent) -> bool:
    rule = _VISIBILITY.get(event.target_type)
    return rule is None or rule(user, event)


def register_describer(target_type: str, describer: Describer) -> None:
    """Let an app say how the keys and values of its audit records read (registered in ``ready``):
    core cannot import the apps above it."""
    _DESCRIBERS[target_type] = describer


# For describers that name what a record points at (a budget, an event, experts): (key → the values stored
# under it in the records being described) → the describer of each target type, after loading the targets
# those values name, one query per model for all the records (a history page), not one per value.
BatchDescriber = Callable[[Mapping[str, list[Any]]], Callable[[str], Describer]]
_BATCH_DESCRIBERS: dict[str, BatchDescriber] = {}


def register_batch_describer(target_types: Iterable[str], batch: BatchDescriber) -> None:
    """Like ``register_describer`` for target types whose values name other rows; one ``batch`` serves all
    the given types, so that their records share its lookups."""
    for target_type in target_types:
        _BATCH_DESCRIBERS[target_type] = batch


def describe_change(target_type: str, key: str, value: Any) -> tuple[str, str | None]:
    """(label, shown value) of one key of an audit record; None when empty."""
    batch = _BATCH_DESCRIBERS.get(target_type)
    if batch is not None:
        return batch({key: [value]})(target_type)(key, value)
    return _describer(target_type)(key, value)


def describers_for(records: Iterable[AuditEvent]) -> dict[str, Describer]:
    """The describer of each target type among ``records``, with what their values name loaded for all of
    them at once (a fixed number of queries however many records)."""
    records = list(records)
    found: dict[str, Describer] = {}
    batches: dict[BatchDescriber, list[AuditEvent]] = {}
    for record in records:
        batch = _BATCH_DESCRIBERS.get(record.target_type)
        if batch is not None:
            batches.setdefault(batch, []).append(record)
        elif record.target_type not in found:
            found[record.target_type] = _describer(record.target_type)
    for batch, its_records in batches.items():
        loaded = batch(_values_by_key(its_records))
        for target_type in {record.target_type for record in its_records}:
            found[target_type] = loaded(target_type)
    return found


def _values_by_key(records: Iterable[AuditEvent]) -> dict[str, list[Any]]:
    values: dict[str, list[Any]] = {}
    for record in records:
        for stored in (record.before or {}, record.after or {}):
            for key, value in stored.items():
                values.setdefault(key, []).append(value)
    return values


def _describer(target_type: str) -> Describer:
    return _DESCRIBERS.get(target_type) or model_describer(_model_of(target_type))


def model_describer(model: Any) -> Describer:
    """Labels from the model's verbose names, choices as their Chinese names, booleans as 是/否."""

    def describe(key: str, value: Any) -> tuple[str, str | None]:
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(key)
            except FieldDoesNotExist:
                field = None
        label = str(getattr(field, "verbose_name", "") or COMMON_LABELS.get(key, key))
        if isinstance(field, models.DecimalField) and value not in (None, ""):
            return label, _decimal_text(value)
        choices = dict(getattr(field, "flatchoices", None) or ())
        return label, shown_value(choices.get(value, value) if isinstance(value, (str, int)) else value)

    return describe


def _decimal_text(value: Any) -> str:
    """An amount as every page shows one (the `wan` filter: 8,000.00, 6.723), whatever scale it was stored at."""
    from zjtx.core.templatetags.money import wan

    return wan(value)


def shown_value(value: Any) -> str | None:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, dict)):
        return "、".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return str(value)


@functools.cache  # models are fixed once apps are loaded; histories ask for every key shown
def _model_of(target_type: str) -> Any:
    """The model an audit target type names (its model name, with or without underscores)."""
    name = target_type.replace("_", "")
    for model in apps.get_models():
        if model._meta.model_name == name:
            return model
    return None


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    return [k for k in after if jsonable(before.get(k)) != jsonable(after.get(k))]


def audit_record(
    *,
    actor: Any,
    action: str,
    target_type: str,
    target_id: str,
    enterprise_code: str = "",
    summary: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(**_fields(actor, action, target_type, target_id, enterprise_code,
                                               summary, before, after))


def audit_bulk(rows: Iterable[dict[str, Any]], *, actor: Any) -> int:
    """Write many audit records in one statement (used by imports)."""
    events = [
        AuditEvent(**_fields(actor, r["action"], r["target_type"], r["target_id"], r.get("enterprise_code", ""),
                             r.get("summary", ""), r.get("before"), r.get("after")))
        for r in rows
    ]
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    return len(events)


def _fields(actor: Any, action: str, target_type: str, target_id: str, enterprise_code: str, summary: str,
            before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> dict[str, Any]:
    user = actor if getattr(actor, "pk", None) else None
    label = getattr(actor, "display_name", None) or getattr(actor, "username", "") or "系统"
    return {
        "actor": user,
        "actor_label": str(label)[:150],
        "action": action,
        "target_type": target_type,
        "target_id": str(target_id),
        "enterprise_code": enterprise_code,
        "summary": summary[:300],
        "before": jsonable(before) if before is not None else None,
        "after": jsonable(after) if after is not None else None,
    }
