"""Reference lists from data/departments.yaml: responsible departments of the 2022 plan and the
province's 十大新兴产业. Pure module (stdlib + yaml): no Django."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).resolve().parent / "data" / "departments.yaml"


def _load() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def _pairs(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(str(r["code"]), str(r["name"])) for r in rows]


_DATA = _load()

DEPARTMENTS: list[tuple[str, str]] = _pairs(_DATA["departments"])
MUNICIPAL: list[tuple[str, str]] = _pairs(_DATA.get("municipal") or [])
EMERGING_INDUSTRIES: list[tuple[str, str]] = _pairs(_DATA["emerging_industries"])


def department_name(code: str) -> str:
    return dict(DEPARTMENTS)[code]


def department_tasks(code: str) -> list[int]:
    """Plan task numbers (1-20) whose responsibility note names the department."""
    for row in _DATA["departments"]:
        if row["code"] == code:
            return [int(t) for t in row.get("tasks") or []]
    raise KeyError(code)


def emerging_industry_name(code: str) -> str:
    return dict(EMERGING_INDUSTRIES)[code]


def is_department(code: str | None) -> bool:
    return bool(code) and code in dict(DEPARTMENTS)


def emerging_lookup() -> dict[str, str]:
    """Name or code of one of the 十大新兴产业 → its code."""
    lookup = {code: code for code, _ in EMERGING_INDUSTRIES}
    lookup.update({name: code for code, name in EMERGING_INDUSTRIES})
    return lookup


# 联系电话: digits, "-" and spaces, as on the 梯度培育 application form; the registry edit and import use the same.
PHONE_PATTERN = r"^[0-9 \-]*[0-9][0-9 \-]*$"
PHONE_MESSAGE = "联系电话只能包含数字和“-”"


def phone_error(value: str) -> str | None:
    """Why `value` is not a phone number (None when it is, or when it is empty: the field is optional)."""
    return PHONE_MESSAGE if value and not re.match(PHONE_PATTERN, value) else None
