"""Award entitlements of the plan, computed on whole columns of the events frame.

Each award is one ``AwardSpec``: which event triggers it, how the amount is computed (a fixed
amount, a rate of the event amount with a cap, a merit-rank schedule, a grade ladder) and the
parameters it reads.  Amounts are read as they stood on the *event date*.  Money is integer 分
throughout; it becomes Decimal 万元 only in the output frame.

Once-only awards (parameter ``meta.once_key``) are granted to the first qualifying event of an
enterprise and never again, neither for a later event nor when the prior-entitlements frame says
it was already granted.  The 3A/4A/5A ladder pays an upgrade per ``awards.upgrade_policy``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final, Literal

import polars as pl

from zjtx.policy.engine.expr import equals, kleene_any
from zjtx.policy.engine.parameters import ParameterError
from zjtx.policy.engine.schema import GRADES, MONEY_SCALE
from zjtx.policy.engine.tree import ParamReader

Method = Literal["fixed", "rate", "rank", "graded"]

GRANTED = "应享"
ALREADY = "已享受"
MISSING = "数据不足"
NOT_IN_FORCE = "不在政策期内"
ZERO = "无奖补金额"
# The award pass works with each status's position here (UInt8): cheaper to build and compare than
# the Chinese text, which ``Awards.frame`` puts in.
STATUSES = (GRANTED, ALREADY, MISSING, NOT_IN_FORCE, ZERO)
STATUS_CODE = {status: index for index, status in enumerate(STATUSES)}
_STATUS_LITERALS = {status: pl.lit(code, dtype=pl.UInt8) for status, code in STATUS_CODE.items()}

PROVINCE = "省级"
CITY = "市级"

GRADE_RANK = {grade: index + 1 for index, grade in enumerate(GRADES)}
RUN_STEP = len(GRADES) + 1
DIGITAL_PREFIX = "digital_assessment"
# The mark of a once-only row indexes its reason: 0 not a repeat, 1 of an earlier event, 2 of a prior grant.
REPEAT_REASONS = (None, "earlier", "prior")
REPEAT_EARLIER, REPEAT_PRIOR = 1, 2
# The award queries are many and small (a few hundred thousand rows at most): Polars' in-memory
# engine starts them faster than the streaming one, which the rules' large query keeps.
SMALL: Final = "in-memory"
ONCE_HASH_SEED = 7


@dataclass(frozen=True)
class AwardSpec:
    award: str
    event: str
    method: Method
    label: str
    clause: str
    funding_level: str
    once_key: str | None
    main_param: str  # fixed amount, rate, or rank schedule
    cap_param: str | None = None
    base_label: str = ""
    scope: str | None = None
    grade_params: tuple[tuple[str, str], ...] = ()
    grade_labels: tuple[tuple[str, str], ...] = ()  # graded awards: each grade's own name


def award_specs(reader: ParamReader) -> list[AwardSpec]:
    """The awards of the plan (fixed list, numbers from parameters) plus cities' own awards."""
    specs = [
        _fixed(reader, "awards.provincial_champion.amount"),
        _fixed(reader, "awards.little_giant.amount"),
        _fixed(reader, "awards.single_champion.amount"),
        _fixed(reader, "awards.little_giant_relocated.amount"),
        _fixed(reader, "awards.single_champion_relocated.amount"),
        _fixed(reader, "awards.industrial_internet_platform.amount"),
        _rank(reader),
        _graded(reader),
        _rate(
            reader,
            "awards.network_security.rate",
            "awards.network_security.cap",
            "网络安全分类分级项目投资额",
        ),
        _rate(
            reader,
            "awards.four_transformations.rate",
            "awards.four_transformations.cap",
            "四化改造设备购置额",
        ),
        _fixed(reader, "awards.srdi_board_listing.amount"),
        _rate(reader, "awards.publicity.province_rate", None, "宣传推广费用"),
        _rate(reader, "awards.publicity.city_rate", None, "宣传推广费用"),
        _fixed(reader, "awards.public_service_platform_national.amount"),
    ]
    for parameter in reader.params.with_prefix("awards.city."):
        if parameter.scope and parameter.meta.get("event"):
            specs.append(_fixed(reader, parameter.id))
    _check_once_keys(specs)
    return specs


def _check_once_keys(specs: list[AwardSpec]) -> None:
    """Two awards of one event kind sharing a once key, where both can reach the same enterprise (the
    province's, or one city's), are a parameter error: once-only looks at earlier events, so both
    would be granted on the one event.  (The 3A/4A/5A ladder shares its key by design: one award.)"""
    by_event: dict[tuple[str, str], list[AwardSpec]] = {}
    for spec in specs:
        if spec.once_key and spec.method != "graded":
            by_event.setdefault((spec.event, spec.once_key), []).append(spec)
    for (event, key), group in by_event.items():
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                if first.scope is None or second.scope is None or first.scope == second.scope:
                    raise ParameterError(
                        f"奖补 {first.award} 与 {second.award} 由同一事件 {event} 触发且 once_key 相同（{key}），"
                        "同一事件会两项都给；请为其中一项另设 once_key"
                    )


def award_label(reader: ParamReader, parameter_id: str) -> str:
    """The award's name (``meta.award_label``); the parameter's label only where none is given (a
    parameter label names a number, e.g. a rate, not the award)."""
    parameter = reader.params[parameter_id]
    return str(parameter.meta.get("award_label") or parameter.label)


def _meta(reader: ParamReader, parameter_id: str) -> dict[str, Any]:
    parameter = reader.params[parameter_id]
    meta = dict(parameter.meta)
    if "award" not in meta or "event" not in meta:
        raise ParameterError(f"奖补参数 {parameter_id} 缺少 meta.award / meta.event")
    return {
        "award": str(meta["award"]),
        "event": str(meta["event"]),
        "label": award_label(reader, parameter_id),
        "clause": parameter.clause,
        "funding_level": parameter.funding_level or PROVINCE,
        "once_key": None if meta.get("once_key") is None else str(meta["once_key"]),
        "scope": parameter.scope,
    }


def _fixed(reader: ParamReader, parameter_id: str) -> AwardSpec:
    return AwardSpec(method="fixed", main_param=parameter_id, **_meta(reader, parameter_id))


def _rate(reader: ParamReader, rate_id: str, cap_id: str | None, base_label: str) -> AwardSpec:
    return AwardSpec(
        method="rate", main_param=rate_id, cap_param=cap_id, base_label=base_label, **_meta(reader, rate_id)
    )


def _rank(reader: ParamReader) -> AwardSpec:
    cap = "awards.cloud_service_provider.cap"
    return AwardSpec(
        method="rank",
        main_param="awards.cloud_service_provider.amount_by_rank",
        cap_param=cap,
        base_label="服务商择优名次",
        **_meta(reader, cap),
    )


def _graded(reader: ParamReader) -> AwardSpec:
    grades = tuple((g, f"awards.digital_assessment.amount_{g.lower()}") for g in GRADES)
    meta = _meta(reader, grades[0][1])
    # The generic name is left only for an event without a known grade.
    meta.update(award=DIGITAL_PREFIX, label="数字化转型评估一次性奖补")
    labels = tuple((g, award_label(reader, p)) for g, p in grades)
    return AwardSpec(method="graded", main_param="awards.upgrade_policy", grade_params=grades, grade_labels=labels,
                     **meta)


# ---------------------------------------------------------------- dated values as expressions


def dated(
    reader: ParamReader, parameter_id: str, convert: Any, dtype: pl.DataType, *, last_known: bool = False
) -> pl.Expr:
    """The parameter's value in force on each row's event date (null before it starts); with
    ``last_known``, after the parameter has ended (a null value) its last value before the end."""
    entries = reader.entries(parameter_id)
    values: list[Any] = []
    for entry in entries:
        value = None if entry.value is None else convert(entry.value)
        values.append(values[-1] if value is None and last_known and values else value)
    chain: Any = pl
    for entry, value in zip(reversed(entries), reversed(values), strict=True):
        chain = chain.when(pl.col("date") >= entry.start).then(pl.lit(value, dtype=dtype))
    if chain is pl:
        return pl.lit(None, dtype=dtype)
    result: pl.Expr = chain.otherwise(pl.lit(None, dtype=dtype))
    return result


def to_units(value: Any) -> int:
    units = Decimal(str(value)) * MONEY_SCALE
    if units != units.to_integral_value():
        raise ParameterError(f"金额 {value} 超出分的精度")
    return int(units)


def rate_fraction(value: Any) -> Fraction:
    return Fraction(Decimal(str(value))) / 100


def half_up_share(base: pl.Expr, numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """base × numerator / denominator, rounded half up to the 分 (base ≥ 0)."""
    return (base * numerator * 2 + denominator) // (denominator * 2)


# ---------------------------------------------------------------- computing entitlements

OUTPUT_SCHEMA: dict[str, pl.DataType] = {
    "event_no": pl.UInt32(),
    "seq": pl.Int64(),
    "credit_code": pl.String(),
    "city_code": pl.String(),
    "kind": pl.String(),
    "date": pl.Date(),
    "grade": pl.String(),
    "rank": pl.Int64(),
    "base": pl.Int64(),
    "award": pl.String(),
    "label": pl.String(),
    "clause": pl.String(),
    "funding_level": pl.String(),
    "payer": pl.String(),
    "params": pl.String(),
    "once_key": pl.String(),
    "method": pl.String(),
    "base_label": pl.String(),
    "rate_text": pl.String(),
    "raw": pl.Int64(),
    "cap": pl.Int64(),
    "level": pl.Int64(),
    "previous_level": pl.Int64(),
    "previous_grade": pl.String(),
    "policy": pl.String(),
    "amount": pl.Int64(),
    "status": pl.String(),
}
# The parts hold the status as its code (``STATUS_CODE``).
PART_SCHEMA = {**OUTPUT_SCHEMA, "status": pl.UInt8()}


# What the award pass keeps in ``evaluate()``: enough for the once-only marking and the amounts.
# The descriptive columns (labels, clauses, parameters …) are computed again, by the same parts,
# only when someone reads ``Result.awards_raw``.
# No credit code: the once-only check takes it for the rows it looks at, by event number (``seq``).
# ``once`` (the once-only key's number) is added to every part after it is conformed.
LEAN_SCHEMA = {name: PART_SCHEMA[name] for name in ("seq", "status", "amount")}
LEAN_COLUMNS = (*LEAN_SCHEMA, "once")


@dataclass
class Awards:
    """The award pass of one evaluation: amounts and statuses now, the full frame on demand."""

    lean: pl.DataFrame  # ``LEAN_COLUMNS`` of the stacked parts, once-only repeats marked
    full_parts: Callable[[], list[pl.LazyFrame]]  # the same parts, every column of ``OUTPUT_SCHEMA``

    def frame(self) -> pl.DataFrame:
        """Every column of ``OUTPUT_SCHEMA`` plus ``repeat_of``, rows in the order of ``lean``."""
        parts = self.full_parts()
        if not parts:
            return pl.DataFrame(schema=OUTPUT_SCHEMA).with_columns(pl.lit(None, pl.String).alias("repeat_of"))
        full = pl.concat(pl.collect_all(parts, engine=SMALL), rechunk=False)
        # The same parts in the same order; only the cities' join could add rows, had a credit code
        # two enterprises (which the input check, or the registry's unique column, rules out).
        assert full.height == self.lean.height, "award parts differ from the amounts computed"
        final = self.lean.select(status_text(pl.col("status")), "amount", "repeat_of")
        return full.with_columns(final.get_columns())


def entitlements(events: pl.DataFrame, cities: pl.DataFrame, prior: pl.DataFrame, reader: ParamReader) -> Awards:
    """One row per (event, award) with the amount in 分 and a status; see module doc.

    ``event_no`` numbers the events (up to ``as_of``) in input order; ``seq`` orders them in time
    (date, then input order) without moving them.  Rows come out grouped by award, each award's in
    input order; ``Result.entitlements`` sorts them for people.
    """
    specs = award_specs(reader)
    # seq = days since 1970 · 2³² + event_no: the time order of a sort, at the cost of one addition.
    numbered = (
        events.lazy()
        .filter(pl.col("date") <= reader.as_of)
        .with_row_index("event_no")
        .with_columns((pl.col("date").cast(pl.Int64) * 2**32 + pl.col("event_no")).alias("seq"))
        .collect(engine=SMALL)
    )
    once_codes = _once_codes(specs)

    def parts(city_kinds: set[str], lean: bool) -> list[pl.LazyFrame]:
        """One part per award; the events of ``city_kinds`` carry their enterprise's city.  ``lean``:
        only the columns of ``LEAN_COLUMNS`` (the same rows, fewer expressions to build)."""
        with_city = _with_city(numbered, city_kinds, cities)
        without = _no_city(numbered)
        found = []
        for spec in specs:
            source = with_city if spec.event in city_kinds else without
            part = _compute(source.filter(equals("kind", spec.event)), spec, reader, prior, lean)
            part = _conform(part, LEAN_SCHEMA if lean else PART_SCHEMA)
            found.append(part.with_columns(pl.lit(once_codes.get(spec.award, 0), pl.UInt8).alias("once")))
        return found

    # Amounts and statuses need the city only where a city's own award (scoped to it) may pay; the
    # payer of the city shares is a city too, but only descriptive: looked up when the frame is read.
    scoped = {s.event for s in specs if s.scope}
    lean_parts = [p.select(LEAN_COLUMNS) for p in parts(scoped, lean=True)]
    empty = pl.DataFrame(schema={**LEAN_SCHEMA, "once": pl.UInt8()})
    combined = pl.concat(lean_parts).collect(engine=SMALL) if lean_parts else empty
    city_kinds = {s.event for s in specs if s.funding_level == CITY or s.scope}
    return Awards(
        _once_only(combined, numbered["credit_code"], prior, once_codes),
        lambda: [p.drop("once") for p in parts(city_kinds, lean=False)],
    )


def _with_city(numbered: pl.DataFrame, kinds: set[str], cities: pl.DataFrame) -> pl.LazyFrame:
    """The events of ``kinds`` with their enterprise's city, looking up only the enterprises that
    have such events (few) instead of hashing the whole registry."""
    if not kinds:
        return _no_city(numbered)
    needy = numbered.lazy().filter(kleene_any([equals("kind", kind) for kind in sorted(kinds)])).collect()
    wanted = cities.lazy().filter(pl.col("credit_code").is_in(needy["credit_code"].implode()))
    return needy.lazy().join(wanted, on="credit_code", how="left", maintain_order="left").collect().lazy()


def _no_city(numbered: pl.DataFrame) -> pl.LazyFrame:
    return numbered.lazy().with_columns(pl.lit(None, dtype=pl.String).alias("city_code"))


def _once_codes(specs: list[AwardSpec]) -> dict[str, int]:
    """award → a small number for its once-only key (shared keys share the number); 0: not once-only.

    The 3A/4A/5A ladder has its own upgrade rule and is not once-only here."""
    keys = sorted({s.once_key for s in specs if s.once_key and s.method != "graded"})
    number = {key: index + 1 for index, key in enumerate(keys)}
    return {s.award: number[s.once_key] for s in specs if s.once_key and s.method != "graded"}


def _conform(part: pl.LazyFrame, schema: dict[str, pl.DataType]) -> pl.LazyFrame:
    """Same columns in the same types for every award, so the parts can be stacked."""
    present = set(part.collect_schema().names())
    return part.select(
        [
            pl.col(name).cast(dtype) if name in present else pl.lit(None, dtype=dtype).alias(name)
            for name, dtype in schema.items()
        ]
    )


def _common(spec: AwardSpec) -> list[pl.Expr]:
    payer = pl.lit("省级财政") if spec.funding_level == PROVINCE else pl.col("city_code")
    params = ",".join(p for p in (spec.main_param, spec.cap_param, *[g[1] for g in spec.grade_params]) if p)
    label = pl.lit(spec.label)
    if spec.grade_labels:
        by_grade = pl.col("grade").replace_strict(dict(spec.grade_labels), default=None, return_dtype=pl.String)
        label = by_grade.fill_null(spec.label)
    return [
        pl.col("amount").alias("base"),
        pl.lit(spec.award).alias("award"),
        label.alias("label"),
        pl.lit(spec.clause).alias("clause"),
        pl.lit(spec.funding_level).alias("funding_level"),
        payer.alias("payer"),
        pl.lit(params).alias("params"),
        pl.lit(spec.once_key, dtype=pl.String).alias("once_key"),
        pl.lit(spec.method).alias("method"),
        pl.lit(spec.base_label).alias("base_label"),
    ]


def _compute(
    frame: pl.LazyFrame, spec: AwardSpec, reader: ParamReader, prior: pl.DataFrame, lean: bool = False
) -> pl.LazyFrame:
    """The award's rows of ``frame`` with amount and status; ``lean``: without the descriptive
    columns (labels, clause, payer …), which do not enter the amount."""
    if spec.scope is not None:
        frame = frame.filter(pl.col("city_code") == spec.scope)
    frame = frame.with_columns(pl.col("amount").alias("base") if lean else _common(spec))
    if spec.method == "fixed":
        return _fixed_amount(frame, spec, reader)
    if spec.method == "rate":
        return _rate_amount(frame, spec, reader)
    if spec.method == "rank":
        return _rank_amount(frame, spec, reader)
    return _graded_amount(frame, spec, reader, prior)


def status_code(status: str) -> pl.Expr:
    return _STATUS_LITERALS[status]


def status_text(code: pl.Expr) -> pl.Expr:
    return pl.lit(pl.Series(STATUSES, dtype=pl.String)).gather(code).alias("status")


def _status(amount: pl.Expr, in_force: pl.Expr, known: pl.Expr) -> pl.Expr:
    return (
        pl.when(~in_force)
        .then(status_code(NOT_IN_FORCE))
        .when(~known)
        .then(status_code(MISSING))
        .when(amount <= 0)
        .then(status_code(ZERO))
        .otherwise(status_code(GRANTED))
    )


def _fixed_amount(frame: pl.LazyFrame, spec: AwardSpec, reader: ParamReader) -> pl.LazyFrame:
    level = dated(reader, spec.main_param, to_units, pl.Int64())
    frame = frame.with_columns(level.alias("raw"))
    return frame.with_columns(
        pl.col("raw").alias("amount"),
        _status(pl.col("raw"), pl.col("raw").is_not_null(), pl.lit(True)).alias("status"),
    )


def _rate_amount(frame: pl.LazyFrame, spec: AwardSpec, reader: ParamReader) -> pl.LazyFrame:
    numerator = dated(reader, spec.main_param, lambda v: rate_fraction(v).numerator, pl.Int64())
    denominator = dated(reader, spec.main_param, lambda v: rate_fraction(v).denominator, pl.Int64())
    rate_text = dated(reader, spec.main_param, lambda v: f"{v}%", pl.String())
    cap = dated(reader, spec.cap_param, to_units, pl.Int64()) if spec.cap_param else pl.lit(None, pl.Int64)
    frame = frame.with_columns(
        half_up_share(pl.col("base"), numerator, denominator).alias("raw"),
        cap.alias("cap"),
        rate_text.alias("rate_text"),
        numerator.is_not_null().alias("_in_force"),
    )
    capped = pl.min_horizontal("raw", "cap") if spec.cap_param else pl.col("raw")
    amount = pl.when(pl.col("raw").is_not_null()).then(capped)  # min_horizontal would return the cap
    return frame.with_columns(
        amount.alias("amount"),
        _status(amount, pl.col("_in_force"), pl.col("base").is_not_null()).alias("status"),
    )


def _rank_amount(frame: pl.LazyFrame, spec: AwardSpec, reader: ParamReader) -> pl.LazyFrame:
    chain: Any = pl
    for entry in reversed(reader.entries(spec.main_param)):
        schedule: Any = pl
        for step in entry.value or []:
            schedule = schedule.when(pl.col("rank") <= int(step["max_rank"])).then(
                pl.lit(to_units(step["amount"]), dtype=pl.Int64)
            )
        by_rank = pl.lit(0, dtype=pl.Int64) if schedule is pl else schedule.otherwise(pl.lit(0, dtype=pl.Int64))
        chain = chain.when(pl.col("date") >= entry.start).then(by_rank)
    # No schedule in force on the date (the cap, which marks the award in force, may be): no amount.
    raw = chain.otherwise(pl.lit(0, dtype=pl.Int64)) if chain is not pl else pl.lit(0, pl.Int64)
    cap = dated(reader, spec.cap_param or "", to_units, pl.Int64())
    valid_rank = pl.col("rank") >= 1
    frame = frame.with_columns(pl.when(valid_rank).then(raw).alias("raw"), cap.alias("cap"))
    in_force = pl.col("cap").is_not_null()
    amount = pl.when(pl.col("raw").is_not_null() & in_force).then(pl.min_horizontal("raw", "cap"))
    return frame.with_columns(
        amount.alias("amount"),
        _status(amount, in_force, valid_rank.fill_null(False)).alias("status"),
    )


def _graded_amount(frame: pl.LazyFrame, spec: AwardSpec, reader: ParamReader, prior: pl.DataFrame) -> pl.LazyFrame:
    """3A/4A/5A ladder: pay only an upgrade over the best grade already paid (or seen earlier)."""
    grade_rank = pl.col("grade").replace_strict(GRADE_RANK, default=None, return_dtype=pl.Int64)
    levels = {g: dated(reader, p, to_units, pl.Int64()) for g, p in spec.grade_params}
    level_of = _level_by_rank(levels)
    # What an upgrade nets: the lower grade's amount on the upgrade's date, or its last amount if
    # that grade's award has ended since (it was paid all the same).
    netted = _level_by_rank({g: dated(reader, p, to_units, pl.Int64(), last_known=True) for g, p in spec.grade_params})
    policy = dated(reader, spec.main_param, str, pl.String())
    frame = frame.with_columns(grade_rank.alias("_grade_rank"), policy.alias("policy"))
    frame = frame.with_columns(level_of(pl.col("_grade_rank")).alias("level"))
    eligible = pl.col("_grade_rank").is_not_null() & pl.col("level").is_not_null() & pl.col("policy").is_not_null()
    if prior.height:
        frame = frame.join(_prior_best_grade(prior), on="credit_code", how="left")
    else:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Int64).alias("_prior_best"))
    # The best eligible grade of the enterprise's earlier events: a running maximum within each run
    # of equal credit codes (sorted), without a per-group window.  Grade ranks are below
    # ``RUN_STEP``, so adding RUN_STEP × run number makes one running maximum over the whole column
    # restart at every run.
    run = pl.col("credit_code").ne_missing(pl.col("credit_code").shift(1)).cum_sum()
    offset = pl.col("_run").cast(pl.Int64) * RUN_STEP
    frame = (
        frame.sort(["credit_code", "seq"])
        .with_columns(run.alias("_run"))
        .with_columns((pl.when(eligible).then(pl.col("_grade_rank")).otherwise(0) + offset).cum_max().alias("_running"))
        .with_columns(
            pl.when(pl.col("_run") == pl.col("_run").shift(1))
            .then(pl.col("_running").shift(1) - offset)
            .otherwise(0)
            .alias("_seen")
        )
        .with_columns(pl.max_horizontal(pl.col("_seen"), pl.col("_prior_best").fill_null(0)).alias("_best"))
    )
    previous_level = pl.when(pl.col("_best") > 0).then(netted(pl.col("_best"))).otherwise(0)
    frame = frame.with_columns(
        previous_level.alias("previous_level"),
        pl.col("_best")
        .replace_strict({v: k for k, v in GRADE_RANK.items()}, default=None, return_dtype=pl.String)
        .alias("previous_grade"),
    )
    upgrade = pl.col("_grade_rank") > pl.col("_best")
    difference = pl.col("level") - pl.col("previous_level")
    amount = pl.when(pl.col("policy") == "difference").then(difference).otherwise(pl.col("level"))
    known = pl.col("level").is_not_null() & pl.col("policy").is_not_null() & pl.col("previous_level").is_not_null()
    in_force = known | pl.col("_grade_rank").is_null()
    status = (
        pl.when(~in_force)
        .then(status_code(NOT_IN_FORCE))
        .when(~eligible)
        .then(status_code(MISSING))
        .when(~upgrade)
        .then(status_code(ALREADY))
        .otherwise(status_code(GRANTED))
    )
    return frame.with_columns(
        pl.format("{}.{}", pl.lit(DIGITAL_PREFIX), pl.col("grade")).fill_null(DIGITAL_PREFIX).alias("award"),
        _graded_params(spec).alias("params"),
        pl.col("level").alias("raw"),
        pl.when(eligible & upgrade).then(amount).alias("amount"),
        status.alias("status"),
    )


def _graded_params(spec: AwardSpec) -> pl.Expr:
    """The parameters a grade's row reads: the upgrade policy, its grade's amount and, where it nets an
    upgrade, the amount of the grade already granted; not the other grades' (a 3A award read no 4A or 5A
    amount). A row without a known grade lists every grade's, as the award in general does."""
    by_grade = dict(spec.grade_params)
    own = pl.col("grade").replace_strict(by_grade, default=None, return_dtype=pl.String)
    upgrade = pl.col("_grade_rank") > pl.col("_best")
    netted = pl.when(upgrade & (pl.col("policy") == "difference") & (pl.col("previous_level") > 0)).then(
        pl.col("previous_grade").replace_strict(by_grade, default=None, return_dtype=pl.String)
    )
    every = ",".join([spec.main_param, *by_grade.values()])
    used = pl.concat_str([pl.lit(spec.main_param), own, netted], separator=",", ignore_nulls=True)
    return pl.when(own.is_not_null()).then(used).otherwise(pl.lit(every))


def _level_by_rank(levels: dict[str, pl.Expr]) -> Any:
    def level_of(rank: pl.Expr) -> pl.Expr:
        chain: Any = pl
        for grade, level in levels.items():
            chain = chain.when(rank == GRADE_RANK[grade]).then(level)
        result: pl.Expr = chain.otherwise(pl.lit(None, dtype=pl.Int64))
        return result

    return level_of


def _prior_best_grade(prior: pl.DataFrame) -> pl.LazyFrame:
    grades = prior.lazy().filter(pl.col("award").str.starts_with(DIGITAL_PREFIX + "."))
    return (
        grades.select(
            "credit_code",
            pl.col("award")
            .str.slice(len(DIGITAL_PREFIX) + 1)
            .replace_strict(GRADE_RANK, default=None, return_dtype=pl.Int64)
            .alias("_prior_best"),
        )
        .group_by("credit_code")
        .agg(pl.col("_prior_best").max())
    )


def once_hash() -> pl.Expr:
    """A 64-bit hash of (credit code, once key): equal for equal keys, rarely for others."""
    return pl.col("credit_code").hash(ONCE_HASH_SEED) ^ pl.col("once").cast(pl.UInt64)


def _once_only(frame: pl.DataFrame, event_codes: pl.Series, prior: pl.DataFrame, codes: dict[str, int]) -> pl.DataFrame:
    """The first granted event per (enterprise, once key), in time, keeps it; later ones and prior
    grants do not.

    Only the once-only granted rows are looked at, and of those only the rows whose (credit code,
    once key) hash repeats are grouped by the exact keys (a row whose hash is unique has a unique
    key: it is the first), so hash collisions cannot merge two enterprises.  The repeats found are
    marked back on the whole frame by scattering their row numbers.  ``event_codes``: the credit
    code of each event, by event number (the low 32 bits of ``seq``)."""
    once = (pl.col("once") > 0) & (pl.col("status") == STATUS_CODE[GRANTED])
    candidates = frame.lazy().with_row_index("_i").filter(once).select("_i", "once", "seq").collect(engine=SMALL)
    event_no = candidates["seq"] & (2**32 - 1)
    candidates = candidates.with_columns(event_codes.gather(event_no).alias("credit_code"))
    shared = candidates.lazy().filter(once_hash().is_duplicated())
    first = pl.col("seq").min().over(["credit_code", "once"])
    earlier = shared.filter(pl.col("seq") != first).select("_i").collect(engine=SMALL)["_i"]
    marks = pl.zeros(frame.height, dtype=pl.Int8, eager=True).scatter(earlier, REPEAT_EARLIER)
    if prior.height:
        prior_keys = (
            prior.lazy()
            .select(
                "credit_code",
                pl.col("award").replace_strict(codes, default=None, return_dtype=pl.UInt8).alias("once"),
            )
            .drop_nulls()
            .unique()
        )
        # A prior grant outranks an earlier event as the reason.
        granted_before = candidates.lazy().join(prior_keys, on=["credit_code", "once"], how="semi")
        marks = marks.scatter(granted_before.select("_i").collect()["_i"], REPEAT_PRIOR)
    mark = pl.lit(marks)
    repeated = mark > 0
    reasons = pl.Series(REPEAT_REASONS, dtype=pl.String)
    return frame.with_columns(
        pl.when(repeated).then(status_code(ALREADY)).otherwise(pl.col("status")).alias("status"),
        pl.when(repeated).then(None).otherwise(pl.col("amount")).alias("amount"),
        pl.when(repeated)
        .then(pl.lit(reasons).gather(mark))
        .otherwise(pl.lit(None, dtype=pl.String))
        .alias("repeat_of"),
    )
