"""The registry export: the list's order, number formats, a frozen filterable header, and a file that
can be imported again."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.factories import city_user, make_enterprise, make_user
from zjtx.accounts.roles import Role
from zjtx.enterprises import services
from zjtx.enterprises.models import Enterprise, ImportJob

pytestmark = pytest.mark.django_db


def export(user, **params):
    client = Client()
    client.force_login(user)
    response = client.get("/enterprises/export.xlsx", params)
    assert response.status_code == 200
    return response.content


def test_export_is_newest_first_with_a_money_format_a_frozen_header_and_a_filter():
    older = make_enterprise(registered_capital=Decimal("7840"))
    newer = make_enterprise(registered_capital=Decimal("1234567.5"))
    sheet = load_workbook(io.BytesIO(export(city_user()))).worksheets[0]
    assert sheet.cell(1, 1).value == "统一社会信用代码"
    assert [sheet.cell(r, 1).value for r in (2, 3)] == [newer.credit_code, older.credit_code]
    capital = sheet.cell(3, 9)
    assert (capital.value, capital.number_format) == (7840, "#,##0.00")
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:N3"
    assert sheet.max_row == 3  # no title or footer rows around the table


def test_an_exported_list_can_be_corrected_and_imported_again(tmp_path):
    shushan = make_user(Role.CITY, "shushan", city_code="340100", county_code="340104")
    first = make_enterprise(county_code="340104", industry_code="3490", emerging_industry="high_end_equipment",
                            registered_capital=Decimal("1234.5"), contact_phone="0551-62345678")
    make_enterprise(county_code="340104")
    book = load_workbook(io.BytesIO(export(shushan)))
    sheet = book.worksheets[0]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == first.credit_code)
    assert sheet.cell(row, 6).value == "3490"
    sheet.cell(row, 14).value = "0551-65550000"
    path = tmp_path / "corrected.xlsx"
    book.save(path)
    job = services.import_from_path(user=shushan, kind="enterprises", mode="all", path=path)
    assert job.status == ImportJob.Status.DONE, job.errors or job.message
    assert (job.updated_rows, job.unchanged_rows, job.error_rows) == (1, 1, 0)
    first.refresh_from_db()
    assert (first.contact_phone, first.registered_capital, first.industry_code) == (
        "0551-65550000", Decimal("1234.50"), "3490")
    assert Enterprise.objects.count() == 2


def test_names_and_contacts_that_look_like_formulas_are_exported_as_text():
    """An enterprise named "=1+1" was a live formula in the official's workbook (showing 2)."""
    make_enterprise(name="=1+1", contact_name="@SUM(1)", registered_capital=Decimal("7840"))
    row = load_workbook(io.BytesIO(export(city_user()))).worksheets[0][2]
    assert [(row[i].value, row[i].data_type) for i in (1, 12)] == [("=1+1", "s"), ("@SUM(1)", "s")]
    assert row[1].quotePrefix  # stays text when someone edits the cell
    assert (row[8].value, row[8].data_type, row[8].number_format) == (7840, "n", "#,##0.00")
