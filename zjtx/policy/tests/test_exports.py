"""A run's exports (what-if and province-run xlsx, `policy evaluate --format csv`) write names and labels as
text, never as formulas; amounts stay numbers, a negative difference too."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace

import polars as pl
import pytest
from openpyxl import load_workbook

from zjtx.policy.engine import evaluate, load_parameters, synthetic
from zjtx.policy.exports import MONEY_FORMAT, evaluation_xlsx, whatif_xlsx
from zjtx.policy.io import write_result
from zjtx.policy.models import PolicyRun

pytestmark = pytest.mark.django_db


def _run(kind: str) -> PolicyRun:
    return PolicyRun(kind=kind, name="模拟", as_of=dt.date(2026, 6, 30), enterprises=1, fingerprint="abc",
                     reform={}, summary={"data_year": 2025})


def _cells(sheet) -> dict:
    """Each cell of the sheet by its value (the first one with it)."""
    found: dict = {}
    for row in sheet.iter_rows():
        for cell in row:
            found.setdefault(cell.value, cell)
    return found


def test_the_whatif_workbook_writes_names_as_text_and_a_negative_difference_as_a_number():
    """An enterprise named "=1+1" among the changed enterprises was a live formula (showing 2)."""
    budget = [{"label": "@SUM(1)", "award": "x", "funding_level": "省级", "baseline": "100", "reform": "40",
               "difference": "-60"}]
    changes = [{"city_name": "合肥市", "name": "=1+1", "credit_code": "91340100MA2N0000XX", "tier_label": "+cmd",
                "change_label": "不再符合"}]
    book = load_workbook(io.BytesIO(whatif_xlsx(_run(PolicyRun.Kind.WHATIF),
                                                {"province": [], "cities": [], "budget": budget, "changes": changes})))
    changed = _cells(book["变化企业"])
    assert [(changed[t].value, changed[t].data_type) for t in ("=1+1", "+cmd")] == [("=1+1", "s"), ("+cmd", "s")]
    sheet = book["政策模拟"]
    label = _cells(sheet)["@SUM(1)"]
    assert label.data_type == "s"
    difference = sheet.cell(row=label.row, column=5)
    assert (difference.value, difference.data_type, difference.number_format) == (-60, "n", MONEY_FORMAT)


def test_the_province_run_workbook_writes_labels_as_text():
    tables = {"statuses": [], "budget": [{"label": "=1+1", "award": "x", "funding_level": "省级", "count": 2,
                                          "amount": "-12.5"}],
              "budget_total": {"count": 2, "amount": Decimal("-12.5")}, "tiers": [], "cities": []}
    sheet = load_workbook(io.BytesIO(evaluation_xlsx(_run(PolicyRun.Kind.EVALUATE), tables))).active
    label = _cells(sheet)["=1+1"]
    assert label.data_type == "s"
    amount = sheet.cell(row=label.row, column=4)
    assert (amount.value, amount.data_type, amount.number_format) == (-12.5, "n", MONEY_FORMAT)


def test_the_csv_output_keeps_text_from_running_as_a_formula_and_numbers_bare(tmp_path):
    """OWASP: a text field beginning with = + - @ (tab, CR) gets a leading apostrophe; numbers are untouched."""
    result = evaluate(*synthetic.population(20, 2025, seed=4), dt.date(2026, 6, 1), load_parameters())
    entitlements = result.entitlements.head(1).with_columns(
        pl.lit("=1+1").alias("award_label"), pl.lit("@SUM(1)").alias("reason"),
        pl.lit(Decimal("-50")).cast(pl.Decimal(38, 6)).alias("amount"))
    written = SimpleNamespace(**{k: getattr(result, k) for k in (
        "recognition", "unmet", "as_of", "data_year", "fingerprint", "overlays", "parameter_versions")},
        entitlements=entitlements)
    write_result(written, tmp_path / "out", "csv")
    back = pl.read_csv(tmp_path / "out" / "entitlements.csv", infer_schema_length=None)
    assert back.row(0, named=True)["award_label"] == "'=1+1" and back["reason"][0] == "'@SUM(1)"
    assert back.schema["amount"] == pl.Float64 and back["amount"][0] == -50  # a number, not text
