"""The modules of DESIGN.md, in the order the navigation shows them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Module:
    slug: str
    title: str
    url_name: str | None  # None while the module is still 建设中
    summary: str


MODULES: tuple[Module, ...] = (
    Module("enterprises", "企业库", "enterprises:list", "企业注册信息、年度指标、导入导出"),
    Module("tiers", "梯度培育", "tiers:batches", "申报批次、审核、公示、认定、复核"),
    Module("policy", "政策引擎", "policy:parameters", "政策参数、认定规则、奖补测算、政策模拟"),
    Module("awards", "奖补兑现", "awards:entitlements", "奖补资格、审批、拨付台账、预算"),
    Module("matcher", "政策计算器", "matcher:home", "免申即享、可享政策与差距"),
    Module("targets", "目标监测", "targets:overview", "目标完成情况、趋势、考核排名"),
    Module("duties", "任务分工", "duties:tasks", "二十项任务、牵头部门、进度调度"),
    Module("services", "服务专员", "services:requests", "服务专员、千企行走访、企业诉求"),
    Module("finance", "金融服务", "finance:home", "名单推送、专项信贷、应收账款确权、上市后备"),
    Module("programmes", "专项工作", None, "数字化评估、皖企登云、智能工厂、三首产品"),
)


def module(slug: str) -> Module | None:
    return next((m for m in MODULES if m.slug == slug), None)


# slug → "may this user open the module?", registered by each app in ``ready`` from its own access
# rules (core cannot import the apps).  A module without a rule (建设中) is listed for everyone.
_OPENERS: dict[str, Callable[[Any], bool]] = {}


def register_opener(slug: str, can_open: Callable[[Any], bool]) -> None:
    _OPENERS[slug] = can_open


def modules_for(user: Any) -> list[Module]:
    """The modules shown to ``user`` in the menu and on the home page: those it may open."""
    return [m for m in MODULES if m.slug not in _OPENERS or _OPENERS[m.slug](user)]


@dataclass(frozen=True)
class Todo:
    """Work waiting for the user: what, how many, and the page where it is done."""

    label: str
    count: int
    url: str


# Each app registers a provider (user → its to-dos) in ``ready``; the home page lists them all.
_TODO_PROVIDERS: list[Callable[[Any], list[Todo]]] = []


def register_todos(provider: Callable[[Any], list[Todo]]) -> None:
    if provider not in _TODO_PROVIDERS:
        _TODO_PROVIDERS.append(provider)


def todos_for(user: Any) -> list[Todo]:
    return [todo for provider in _TODO_PROVIDERS for todo in provider(user) if todo.count]
