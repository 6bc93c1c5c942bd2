"""The single place that writes audit records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from zjtx.core.models import AuditEvent


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
