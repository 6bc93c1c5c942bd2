"""How the awards audit records read in an enterprise's change history: award names, events, budgets and
ledger lines by what they are (the records store codes and ids), money as on the pages. The targets a
page's records name are read together, one query per model (``core.audit.register_batch_describer``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db.models import Min

from zjtx.awards.models import Budget, Entitlement, LedgerEntry
from zjtx.core import regions
from zjtx.core.audit import Describer, model_describer
from zjtx.core.templatetags.money import wan
from zjtx.policy.models import ProgrammeEvent

# Keys of awards audit records beside model fields, and field labels that read better there.
HISTORY_LABELS = {"ledger_entry": "台账分录", "account_tail": "账号尾号"}
MODELS = {"entitlement": Entitlement, "ledgerentry": LedgerEntry, "budget": Budget}


def budget_name(budget: Budget) -> str:
    """2026年 省级预算, 2026年 合肥市市级预算."""
    city = regions.city_name(budget.city_code) if budget.city_code else ""
    return f"{budget.year}年 {city}{budget.funding_level}预算"


def history_describers(values: Mapping[str, list[Any]]) -> Callable[[str], Describer]:
    """The describer of each awards target type, for records holding ``values`` (key → stored values)."""
    readers = _readers(values)

    def describer(target_type: str) -> Describer:
        fields = model_describer(MODELS[target_type])

        def describe(key: str, value: Any) -> tuple[str, str | None]:
            label, shown = fields(key, value)
            reader = readers.get(key)
            return HISTORY_LABELS.get(key, label), (reader(value) if reader and shown is not None else shown)

        return describe

    return describer


def _readers(values: Mapping[str, list[Any]]) -> dict[str, Callable[[Any], str]]:
    """Value → text for the keys that name other rows, each row read once for all the records."""
    awards = _award_names(values.get("award", []))
    events = _by_id(ProgrammeEvent, values.get("event", []), lambda event: event.title)
    budgets = _by_id(Budget, values.get("budget", []), budget_name)
    lines = _by_id(LedgerEntry, values.get("ledger_entry", []),
                   lambda entry: f"{entry.get_kind_display()} {wan(entry.amount)} 万元")
    return {
        "award": lambda code: awards.get(str(code), str(code)),
        "event": lambda pk: events.get(str(pk), f"事件 #{pk}"),
        "budget": lambda pk: budgets.get(str(pk), f"预算 #{pk}"),
        "ledger_entry": lambda pk: f"#{pk} {lines[str(pk)]}" if str(pk) in lines else f"#{pk}",
        "amount": wan, "allocated": wan,
    }


def _award_names(codes: Iterable[Any]) -> dict[str, str]:
    """Award code → the label of its first entitlement (the records store the code)."""
    wanted = {str(code) for code in codes if code not in (None, "")}
    if not wanted:
        return {}
    first = Entitlement.objects.filter(award__in=wanted).order_by().values("award").annotate(first=Min("pk"))
    return dict(Entitlement.objects.filter(pk__in=first.values("first")).values_list("award", "award_label"))


def _by_id(model: Any, ids: Iterable[Any], text: Callable[[Any], str]) -> dict[str, str]:
    """str(pk) → text of each row named by ``ids`` (ids that are not numbers name nothing)."""
    wanted = {int(pk) for pk in ids if isinstance(pk, int) or (isinstance(pk, str) and pk.isdigit())}
    if not wanted:
        return {}
    return {str(row.pk): text(row) for row in model.objects.filter(pk__in=wanted)}
