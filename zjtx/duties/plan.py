"""The twenty tasks of the plan (data/tasks.yaml) and the units each names as responsible.

Each task's text is split at its responsibility notes (“（省发展改革委、省科技厅……按职责分工负责）”); a note's
units are read by the short names of ``core/data/departments.yaml``, so the names live once. The plan writes no
“牵头”: the unit named first in a note is taken as the lead of that part (docs/duties.md), the others take part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from zjtx.core import reference

DATA_FILE = Path(__file__).resolve().parent / "data" / "tasks.yaml"
NOTE_END = "按职责分工负责"
MEMBERS = "成员单位"  # 三18: 省发展民营经济领导小组成员单位
LEAD, PARTICIPANT = "lead", "participant"
ROLE_LABELS = {LEAD: "牵头", PARTICIPANT: "参与"}


class PlanDataError(ValueError):
    """data/tasks.yaml names a unit the reference lists do not know, or is malformed."""


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    municipal: bool  # 各市人民政府: a level of government, not a department that files reports


@dataclass(frozen=True)
class Part:
    text: str
    responsible: str  # the note as the plan writes it
    units: tuple[Unit, ...]
    and_others: bool  # the note ends with 等: further units take part

    @property
    def lead(self) -> Unit:
        return self.units[0]


@dataclass(frozen=True)
class Task:
    number: int
    clause: str
    section: str
    title: str
    parts: tuple[Part, ...]

    @property
    def label(self) -> str:
        return f"{self.number}．{self.title}"

    @property
    def text(self) -> str:
        """The plan's text of the task, notes included."""
        return "".join(f"{p.text}（{p.responsible}）" for p in self.parts)

    @property
    def units(self) -> list[Unit]:
        """Every unit named, in the order the plan names them."""
        return list(dict.fromkeys(u for p in self.parts for u in p.units))

    @property
    def leads(self) -> list[Unit]:
        return list(dict.fromkeys(p.lead for p in self.parts))

    @property
    def participants(self) -> list[Unit]:
        return [u for u in self.units if u not in self.leads]

    @property
    def departments(self) -> list[str]:
        """Codes of the departments that report on the task (the cities report through 目标监测)."""
        return [u.code for u in self.units if not u.municipal]

    def role(self, code: str) -> str | None:
        if any(u.code == code for u in self.leads):
            return LEAD
        return PARTICIPANT if any(u.code == code for u in self.units) else None


def _units_by_name() -> dict[str, Unit]:
    found = {name: Unit(code, name, False) for code, name in reference.DEPARTMENTS}
    found.update({name: Unit(code, name, True) for code, name in reference.MUNICIPAL})
    return found


def parse_note(note: str) -> tuple[tuple[Unit, ...], bool]:
    """The units a note names, in its order, and whether it ends with 等."""
    if not note.endswith(NOTE_END):
        raise PlanDataError(f"分工括注应以“{NOTE_END}”结尾：{note}")
    known, units, others = _units_by_name(), [], False
    for name in re.split(r"[、，]", note.removesuffix(NOTE_END)):
        if name.endswith("等"):
            name, others = name.removesuffix("等"), True
        name = name.removesuffix(MEMBERS)
        if name not in known:
            raise PlanDataError(f"分工括注中的单位“{name}”不在 departments.yaml 中：{note}")
        units.append(known[name])
    return tuple(units), others


@cache
def tasks() -> tuple[Task, ...]:
    with DATA_FILE.open(encoding="utf-8") as fh:
        rows = yaml.safe_load(fh)["tasks"]
    found = []
    for row in rows:
        parts = tuple(Part(p["text"], p["responsible"], *parse_note(p["responsible"])) for p in row["parts"])
        found.append(Task(int(row["number"]), str(row["clause"]), str(row["section"]), str(row["title"]), parts))
    return tuple(found)


def task(number: int) -> Task:
    for found in tasks():
        if found.number == number:
            return found
    raise KeyError(number)


def task_numbers() -> list[int]:
    return [t.number for t in tasks()]


def tasks_of(department: str) -> list[Task]:
    """The tasks whose notes name the department."""
    return [t for t in tasks() if department in t.departments]


def assignments() -> list[tuple[int, str]]:
    """Every (task, department) that owes a progress report each period."""
    return [(t.number, code) for t in tasks() for code in t.departments]


def all_units() -> list[Unit]:
    """The departments and the cities in the order of departments.yaml: the matrix's rows."""
    named = {u.code for t in tasks() for u in t.units}
    units = _units_by_name().values()
    return [u for u in units if u.code in named]
