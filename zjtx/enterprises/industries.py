"""GB/T 4754-2017 国民经济行业分类: 门类 and 大类 from data/industries.yaml. Pure module (stdlib + yaml)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).resolve().parent / "data" / "industries.yaml"
_CODE_RE = re.compile(r"^[0-9]{2}([0-9]{2})?$")


def _load() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


_DATA = _load()

SECTIONS: list[tuple[str, str]] = [(str(s["code"]), str(s["name"])) for s in _DATA["sections"]]
DIVISIONS: list[tuple[str, str, str]] = [
    (str(d["code"]), str(d["name"]), str(d["section"])) for d in _DATA["divisions"]
]
_DIVISION_NAMES: dict[str, str] = {code: name for code, name, _ in DIVISIONS}
_SECTION_NAMES: dict[str, str] = dict(SECTIONS)
_DIVISION_SECTIONS: dict[str, str] = {code: section for code, _, section in DIVISIONS}


def division_name(code: str) -> str:
    """Name of a 2-digit division ("39" → 计算机、通信和其他电子设备制造业); KeyError if unknown."""
    return _DIVISION_NAMES[code]


def section_name(code: str) -> str:
    return _SECTION_NAMES[code]


def division_section(code: str) -> str:
    """门类 letter of a division or of a 4-digit class code."""
    return _DIVISION_SECTIONS[code[:2]]


def is_valid_industry_code(code: str | None) -> bool:
    """True for a known 2-digit division, or a 4-digit class whose first two digits are a known division."""
    if not code or not _CODE_RE.fullmatch(code):
        return False
    return code[:2] in _DIVISION_NAMES


def division_codes() -> list[str]:
    return list(_DIVISION_NAMES)


def industry_label(code: str) -> str:
    """"3562 专用设备制造业" style label for a class or division code; the code alone if unknown."""
    name = _DIVISION_NAMES.get(code[:2])
    return f"{code} {name}" if name else code
