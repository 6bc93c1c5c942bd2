"""The dated parameters of this module, read through the policy app's parameter set (never a number in code)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from zjtx.policy.services import parameter_set
from zjtx.tiers import params

RECEIVABLE_DAYS = "finance.receivable_confirmation.days"
SPECIAL_CREDIT = "targets.special_credit.yearly"
LISTINGS = "targets.listed_companies.new"
LISTINGS_YEARS = "targets.listed_companies.horizon_years"
# How many 万元 one unit of a target holds: amounts are stored in 万元 and shown in the target's own unit.
WAN_PER_UNIT = {"万元": Decimal(1), "亿元": Decimal(10000)}


def receivable_days(at: dt.date) -> int:
    return int(params.number(parameter_set(), RECEIVABLE_DAYS, at))


@dataclass(frozen=True)
class Goal:
    """A target of the plan as the finance pages show it beside their own figures."""

    parameter: str
    clause: str
    label: str
    value: Decimal
    unit: str
    qualifier: str


def goal(parameter_id: str, at: dt.date) -> Goal:
    p = parameter_set()
    found = p[parameter_id]
    return Goal(parameter_id, found.clause, found.label, params.number(p, parameter_id, at), found.unit,
                str(found.meta.get("qualifier", "")))


def in_unit(amount_wan: Decimal, unit: str) -> Decimal:
    """An amount of 万元 in `unit` (亿元 for the 专项信贷 target): the one place the conversion happens."""
    return amount_wan / WAN_PER_UNIT[unit]


def listing_years(at: dt.date) -> tuple[int, int]:
    """The years of “力争5年新增…上市企业”: from the year the plan set the target, for the parameter's years."""
    p = parameter_set()
    start = p[LISTINGS].values[0].start.year
    return start, start + int(params.number(p, LISTINGS_YEARS, at)) - 1
