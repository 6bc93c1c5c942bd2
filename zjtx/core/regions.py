"""安徽省 prefecture-level cities and county-level divisions (GB/T 2260 codes, 2022), from data/regions.yaml.

Pure module (stdlib + yaml): no Django, safe to import from anywhere.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).resolve().parent / "data" / "regions.yaml"
PROVINCE_CODE = "340000"
PROVINCE_NAME = "安徽省"


@cache
def _raw_cities() -> tuple[dict[str, Any], ...]:
    with DATA_FILE.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return tuple(data["cities"])


def _load_cities() -> list[tuple[str, str]]:
    return [(str(c["code"]), str(c["name"])) for c in _raw_cities()]


CITIES: list[tuple[str, str]] = _load_cities()
_CITY_NAMES: dict[str, str] = dict(CITIES)


@cache
def _counties_by_city() -> dict[str, list[tuple[str, str]]]:
    return {str(c["code"]): [(str(k["code"]), str(k["name"])) for k in c["counties"]] for c in _raw_cities()}


@cache
def _county_index() -> dict[str, tuple[str, str]]:
    """county code → (city code, county name)."""
    return {code: (city, name) for city, rows in _counties_by_city().items() for code, name in rows}


def city_name(code: str) -> str:
    """Chinese name of a city by its 6-digit code; KeyError if it is not one of the 16."""
    return _CITY_NAMES[code]


def counties(city_code: str) -> list[tuple[str, str]]:
    """(code, name) of the city's 市辖区/县/县级市, in code order; KeyError for an unknown city."""
    return list(_counties_by_city()[city_code])


def county_name(county_code: str) -> str:
    return _county_index()[county_code][1]


def county_city(county_code: str) -> str:
    """The city code a county-level division belongs to; KeyError if unknown."""
    return _county_index()[county_code][0]


def all_counties() -> list[tuple[str, str, str]]:
    """(county code, county name, city code) for every county-level division."""
    return [(code, name, city) for code, (city, name) in _county_index().items()]


def city_gdp_weights() -> dict[str, float]:
    """city code → share of the 16 cities' 2022 GDP (sums to 1), for spreading demo data."""
    gdp = {str(c["code"]): float(c["gdp_2022"]) for c in _raw_cities()}
    total = sum(gdp.values())
    return {code: value / total for code, value in gdp.items()}


def city_gdp_2022() -> dict[str, float]:
    """city code → 2022 GDP in 亿元."""
    return {str(c["code"]): float(c["gdp_2022"]) for c in _raw_cities()}


def is_city(code: str | None) -> bool:
    return bool(code) and code in _CITY_NAMES


@cache
def city_lookup() -> dict[str, str]:
    """What people type for a city (合肥市, 合肥, 340100) → its code."""
    lookup: dict[str, str] = {}
    for code, name in CITIES:
        lookup.update({code: code, name: code, name.removesuffix("市"): code})
    return lookup


@cache
def county_lookup() -> dict[str, str]:
    """"city code|county name" → county code (names repeat across cities, e.g. 郊区)."""
    return {f"{city}|{name}": code for code, name, city in all_counties()}


@cache
def county_city_map() -> dict[str, str]:
    """county code → city code."""
    return {code: city for code, _, city in all_counties()}
