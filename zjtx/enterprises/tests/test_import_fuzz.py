"""Malformed files of every kind end in a clean status and a Chinese message, never an exception."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tests.factories import credit_code, province_user
from zjtx.enterprises import services
from zjtx.enterprises.models import ImportJob

pytestmark = pytest.mark.django_db
HEADERS = ["统一社会信用代码", "企业名称", "所在市", "国民经济行业代码", "注册资本（万元）", "成立日期"]
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

cell = st.one_of(
    st.none(), st.text(max_size=30), st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(["合肥市", "3562", "1e309", "=1/0", "１２３"]),
    st.builds(lambda: credit_code()),
)
rows = st.lists(st.lists(cell, min_size=0, max_size=8), max_size=12)


def _check(job: ImportJob) -> None:
    assert job.status in (ImportJob.Status.DONE, ImportJob.Status.REJECTED, ImportJob.Status.FAILED)
    assert job.message
    for error in job.errors:
        assert error["行号"] >= 2 and error["错误原因"]


@FUZZ
@given(data=rows, encoding=st.sampled_from(["utf-8", "gbk", "utf-16"]), mode=st.sampled_from(["all", "valid"]))
def test_random_csv(tmp_path, data, encoding, mode):
    text = "\n".join(",".join("" if v is None else str(v) for v in row) for row in [HEADERS, *data])
    path = tmp_path / "fuzz.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    _check(services.import_from_path(user=province_user(), kind="enterprises", mode=mode, path=path))


@FUZZ
@given(data=rows, header=st.booleans(), merge=st.booleans())
def test_random_xlsx(tmp_path, data, header, merge):
    book = Workbook()
    sheet = book.active
    if header:
        sheet.append(HEADERS)
    for row in data:
        sheet.append([_storable(v) for v in row])
    if merge and data:
        sheet.merge_cells("A2:C3")
    path = tmp_path / "fuzz.xlsx"
    book.save(path)
    _check(services.import_from_path(user=province_user(), kind="enterprises", mode="valid", path=path))


def _storable(value):
    """What openpyxl can put in a cell: no NaN, no control characters."""
    if isinstance(value, float) and value != value:
        return None
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


@FUZZ
@given(blob=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_random_bytes(tmp_path, blob, suffix):
    path = tmp_path / f"noise{suffix}"
    path.write_bytes(blob)
    _check(services.import_from_path(user=province_user(), kind="indicators", mode="all", path=path))


def test_upload_through_the_page_rejects_other_file_types():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    client = Client()
    client.force_login(province_user())
    upload = SimpleUploadedFile("data.pdf", io.BytesIO(b"%PDF").getvalue())
    response = client.post("/enterprises/import/", {"kind": "enterprises", "mode": "all", "file": upload})
    assert response.status_code == 200
    assert "只支持 .xlsx 或 .csv 文件" in response.content.decode()
    assert not ImportJob.objects.exists()
