"""Dated policy parameters: every number of the plan and of the national criteria.

A parameter is data, never code: it has a stable dotted id, the clause of the plan (or of the
criteria) it comes from, a Chinese label, a unit and values keyed by the date from which each
value is in force.  Rules read a parameter *as it stood on a date*, so an old case is recomputed
under the rules of its own date, and a "reform" (what-if overlay) returns a new parameter set
without touching the base one.

The YAML files live in ``zjtx/policy/parameters``; each file maps parameter ids to definitions::

    awards.little_giant.amount:
      clause: 二(一)2
      label: 国家级专精特新“小巨人”一次性奖补
      unit: 万元
      funding_level: 省级
      values:
        2022-02-17: {value: 100, reference: 《安徽省专精特新中小企业倍增行动方案》}

A dated entry may be a bare value or a mapping with ``value`` and optional ``reference``,
``confirmed`` (false for figures the sources mark (s) or (?)) and ``note``.  A value of ``null``
ends a parameter from that date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PARAMETERS_DIR = Path(__file__).resolve().parent.parent / "parameters"

_DEFINITION_KEYS = {
    "clause",
    "label",
    "unit",
    "values",
    "scope",
    "funding_level",
    "reference",
    "description",
    "meta",
}


class ParameterError(ValueError):
    """A parameter file or overlay is malformed, or a parameter is read where it has no value."""


@dataclass(frozen=True)
class DatedValue:
    """One value of a parameter and the date from which it is in force."""

    start: dt.date
    value: Any
    reference: str | None = None
    confirmed: bool = True
    note: str | None = None


@dataclass(frozen=True)
class Parameter:
    """A dated quantity with its source.  ``values`` is sorted by start date."""

    id: str
    clause: str
    label: str
    unit: str
    values: tuple[DatedValue, ...]
    scope: str | None = None
    funding_level: str | None = None
    reference: str | None = None
    description: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""

    def entry_at(self, at: dt.date) -> DatedValue | None:
        """The dated value in force on ``at``, or None before the first date (or after an end)."""
        found: DatedValue | None = None
        for entry in self.values:
            if entry.start <= at:
                found = entry
            else:
                break
        if found is None or found.value is None:
            return None
        return found

    def value_at(self, at: dt.date) -> Any:
        entry = self.entry_at(at)
        if entry is None:
            raise ParameterError(f"参数 {self.id} 在 {at.isoformat()} 没有生效的值")
        return entry.value

    def starts(self) -> list[dt.date]:
        return [entry.start for entry in self.values]


@dataclass(frozen=True)
class Overlay:
    """A reform applied to a parameter set: parameter id → value from ``start``."""

    name: str
    start: dt.date
    values: Mapping[str, Any]


class ParameterSet(Mapping[str, Parameter]):
    """An immutable collection of parameters, keyed by id."""

    def __init__(self, parameters: Iterable[Parameter], overlays: tuple[Overlay, ...] = ()) -> None:
        by_id: dict[str, Parameter] = {}
        for parameter in parameters:
            if parameter.id in by_id:
                raise ParameterError(f"参数 id 重复：{parameter.id}")
            by_id[parameter.id] = parameter
        self._by_id = dict(sorted(by_id.items()))
        self.overlays = overlays
        self._memo: dict[Hashable, Any] = {}

    def memo(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """``build()``, computed once per key for this set (which never changes): for what is derived
        from the parameters alone, such as the rule trees in force on a date."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def __getitem__(self, key: str) -> Parameter:
        try:
            return self._by_id[key]
        except KeyError:
            raise ParameterError(f"未知参数：{key}") from None

    def __contains__(self, key: object) -> bool:
        # Mapping's default would call __getitem__, whose ParameterError is not a KeyError.
        return key in self._by_id

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def value(self, parameter_id: str, at: dt.date) -> Any:
        return self[parameter_id].value_at(at)

    def value_or_none(self, parameter_id: str, at: dt.date) -> Any:
        if parameter_id not in self._by_id:
            return None
        entry = self._by_id[parameter_id].entry_at(at)
        return None if entry is None else entry.value

    def history(self, parameter_id: str) -> tuple[DatedValue, ...]:
        return self[parameter_id].values

    def with_prefix(self, prefix: str) -> list[Parameter]:
        return [p for key, p in self._by_id.items() if key.startswith(prefix)]

    def with_overlay(self, values: Mapping[str, Any], start: dt.date, name: str = "reform") -> ParameterSet:
        """Return a new set where each listed parameter takes the given value from ``start`` on.

        Base values dated before ``start`` are kept (old cases still compute as before);
        base values dated on or after ``start`` are replaced by the reform value.
        """
        changed: dict[str, Parameter] = {}
        for parameter_id, raw in values.items():
            base = self[parameter_id]
            kept = tuple(entry for entry in base.values if entry.start < start)
            reform = DatedValue(start=start, value=_normalise(raw), reference=f"模拟方案：{name}")
            changed[parameter_id] = replace(base, values=(*kept, reform))
        merged = [changed.get(key, parameter) for key, parameter in self._by_id.items()]
        return ParameterSet(merged, (*self.overlays, Overlay(name, start, dict(values))))

    def with_definitions(
        self, definitions: Mapping[str, Mapping[str, Any]], source: str = ""
    ) -> ParameterSet:
        """Return a new set with extra (or replaced) parameters given as YAML-style definitions."""
        extra = {key: parse_definition(key, spec, source) for key, spec in definitions.items()}
        merged = [extra.pop(key, parameter) for key, parameter in self._by_id.items()]
        return ParameterSet(merged + list(extra.values()), self.overlays)

    def fingerprint(self) -> str:
        """A short hash of every dated value, so a stored run names the exact parameters used."""
        return str(self.memo("fingerprint", self._fingerprint))

    def _fingerprint(self) -> str:
        payload = [
            [p.id, [[e.start.isoformat(), to_jsonable(e.value)] for e in p.values]] for p in self.values()
        ]
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def load_parameters(directory: Path | str | None = None) -> ParameterSet:
    """Load every ``*.yaml`` file of the parameters directory (cached; the set is immutable)."""
    return _load_cached(str(Path(directory) if directory else PARAMETERS_DIR))


@lru_cache(maxsize=8)
def _load_cached(directory: str) -> ParameterSet:
    parameters: list[Parameter] = []
    for path in sorted(Path(directory).glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(document, dict):
            raise ParameterError(f"{path.name}：顶层必须是 参数id → 定义 的映射")
        for key, spec in document.items():
            parameters.append(parse_definition(str(key), spec, path.name))
    return ParameterSet(parameters)


def parse_definition(parameter_id: str, spec: Any, source: str = "") -> Parameter:
    """Turn one YAML definition into a Parameter, checking the fields a reviewer relies on."""
    where = f"{source}:{parameter_id}" if source else parameter_id
    if not isinstance(spec, Mapping):
        raise ParameterError(f"{where}：定义必须是映射")
    unknown = set(spec) - _DEFINITION_KEYS
    if unknown:
        raise ParameterError(f"{where}：未知字段 {sorted(unknown)}")
    for required in ("clause", "label", "unit", "values"):
        if required not in spec:
            raise ParameterError(f"{where}：缺少字段 {required}")
    raw_values = spec["values"]
    if not isinstance(raw_values, Mapping) or not raw_values:
        raise ParameterError(f"{where}：values 必须是 日期 → 值 的非空映射")
    values = tuple(sorted((_dated(where, k, v) for k, v in raw_values.items()), key=lambda e: e.start))
    return Parameter(
        id=parameter_id,
        clause=str(spec["clause"]),
        label=str(spec["label"]),
        unit=str(spec["unit"]),
        values=values,
        scope=_opt_str(spec.get("scope")),
        funding_level=_opt_str(spec.get("funding_level")),
        reference=_opt_str(spec.get("reference")),
        description=_opt_str(spec.get("description")),
        meta=dict(spec.get("meta") or {}),
        source=source,
    )


def _dated(where: str, key: Any, raw: Any) -> DatedValue:
    start = _as_date(where, key)
    if isinstance(raw, Mapping) and "value" in raw:
        return DatedValue(
            start=start,
            value=_normalise(raw["value"]),
            reference=_opt_str(raw.get("reference")),
            confirmed=bool(raw.get("confirmed", True)),
            note=_opt_str(raw.get("note")),
        )
    return DatedValue(start=start, value=_normalise(raw))


def _as_date(where: str, key: Any) -> dt.date:
    if isinstance(key, dt.datetime):
        return key.date()
    if isinstance(key, dt.date):
        return key
    try:
        return dt.date.fromisoformat(str(key))
    except ValueError:
        raise ParameterError(f"{where}：生效日期 {key!r} 不是 YYYY-MM-DD") from None


def _normalise(value: Any) -> Any:
    """Numbers become Decimal (floats through their repr, so 0.1 stays 0.1); containers recurse."""
    if isinstance(value, bool) or value is None or isinstance(value, str | Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Mapping):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    if isinstance(value, dt.date):
        return value
    raise ParameterError(f"不支持的参数值类型：{type(value).__name__}")


def normalise(value: Any) -> Any:
    """A value as the parameters hold it (numbers as Decimal), e.g. one typed in as YAML."""
    return _normalise(value)


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def to_jsonable(value: Any) -> Any:
    """Decimal → str (exact), date → ISO string; containers recurse."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def list_parameters(params: ParameterSet, at: dt.date | None = None) -> list[dict[str, Any]]:
    """Every parameter as a plain dict (for ``policy params --json`` and the pages).

    ``value`` is the value in force on ``at`` (today if omitted); ``history`` lists every
    dated value with its reference and confirmation flag.
    """
    when = at or dt.date.today()
    rows: list[dict[str, Any]] = []
    for parameter in params.values():
        entry = parameter.entry_at(when)
        rows.append(
            {
                "id": parameter.id,
                "clause": parameter.clause,
                "label": parameter.label,
                "unit": parameter.unit,
                "scope": parameter.scope,
                "funding_level": parameter.funding_level,
                "value": None if entry is None else entry.value,
                "in_force_from": None if entry is None else entry.start,
                # of the value shown: a confirmed value entered later clears the 待核实 of an earlier one
                "confirmed": entry.confirmed if entry is not None else all(e.confirmed for e in parameter.values),
                "dates": parameter.starts(),
                "reference": parameter.reference,
                "meta": dict(parameter.meta),
                "source": parameter.source,
                "history": [
                    {
                        "start": e.start,
                        "value": e.value,
                        "reference": e.reference,
                        "confirmed": e.confirmed,
                        "note": e.note,
                    }
                    for e in parameter.values
                ],
            }
        )
    return rows
