"""Import files as officials make them: blank rows, percent cells, title rows above the header."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.factories import credit_code, make_enterprise, province_user
from zjtx.enterprises import services
from zjtx.enterprises.models import Enterprise, ImportJob, Indicator

pytestmark = pytest.mark.django_db

HEADER = ["统一社会信用代码", "企业名称", "所在市", "所在县（区）", "国民经济行业代码"]


def save_xlsx(tmp_path: Path, rows: list[list[object]], name: str = "upload.xlsx") -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def import_file(path: Path, kind: str = "enterprises", mode: str = "all") -> ImportJob:
    return services.import_from_path(user=province_user(), kind=kind, mode=mode, path=path)


def test_xlsx_errors_name_excels_row_and_blank_rows_are_skipped(tmp_path):
    good, bad = credit_code(), credit_code()
    path = save_xlsx(tmp_path, [HEADER, [good, "空行前企业有限公司", "合肥市", "蜀山区", "3562"], [], [None, " "],
                                [bad, "空行后企业有限公司", "合肥市", "蜀山区", "99"]])
    job = import_file(path)
    assert job.status == ImportJob.Status.REJECTED
    assert job.total_rows == 2
    assert [(e["行号"], e["列"]) for e in job.errors] == [(5, "国民经济行业代码")]


def test_blank_csv_lines_are_skipped_and_rows_keep_their_line_numbers(tmp_path):
    good, bad = credit_code(), credit_code()
    path = tmp_path / "upload.csv"
    path.write_text("\n".join([",".join(HEADER), f"{good},空行前企业有限公司,合肥市,蜀山区,3562", "", ",,,,",
                               f"{bad},空行后企业有限公司,合肥市,蜀山区,99"]), encoding="utf-8")
    job = import_file(path)
    assert [(e["行号"], e["错误原因"]) for e in job.errors] == [
        (5, "国民经济行业代码应为 GB/T 4754 的2位大类或4位小类代码")]
    good_only = tmp_path / "good.csv"
    good_only.write_text("\n".join([",".join(HEADER), f"{good},空行前企业有限公司,合肥市,蜀山区,3562", "", ""]),
                         encoding="utf-8")
    job = import_file(good_only)
    assert (job.status, job.created_rows, job.total_rows) == (ImportJob.Status.DONE, 1, 1)


def test_a_percent_formatted_cell_is_read_as_the_percentage_it_shows(tmp_path):
    enterprise = make_enterprise()
    book = Workbook()
    sheet = book.active
    sheet.append(["统一社会信用代码", "年度", "营业收入（万元）", "主导产品市场占有率（%）"])
    sheet.append([enterprise.credit_code, 2023, 1000, 0.125])
    sheet.append([enterprise.credit_code, 2022, 1000, 7.5])  # typed as a number: kept as it is
    sheet["D2"].number_format = "0.00%"
    path = tmp_path / "indicators.xlsx"
    book.save(path)
    job = import_file(path, kind="indicators")
    assert job.status == ImportJob.Status.DONE, job.errors
    shares = dict(Indicator.objects.values_list("year", "market_share"))
    assert shares == {2023: Decimal("12.50"), 2022: Decimal("7.50")}


def test_a_title_row_above_the_header_is_named_in_the_message(tmp_path):
    row = [credit_code(), "某企业有限公司", "合肥市", "蜀山区", "3562"]
    path = save_xlsx(tmp_path, [["企业基本信息导入"], HEADER, row])
    job = import_file(path)
    assert job.status == ImportJob.Status.FAILED
    assert job.message.startswith("表头应在第1行：文件的表头在第2行，上面的第1行是标题或说明。")
    assert not Enterprise.objects.exists()


def test_full_width_digits_chinese_dates_and_short_county_names_are_accepted(tmp_path):
    header = [*HEADER, "成立日期", "注册资本（万元）", "联系电话"]
    code = credit_code()
    path = save_xlsx(tmp_path, [header, [code, "全角企业有限公司", "合肥", "蜀山", "３５６２", "2016年3月5日", "１２３",
                                         "１３８００００００００"]])
    job = import_file(path)
    assert job.status == ImportJob.Status.DONE, job.errors
    e = Enterprise.objects.get(credit_code=code)
    assert (e.county_code, e.industry_code, str(e.founded_on), e.registered_capital, e.contact_phone) == (
        "340104", "3562", "2016-03-05", Decimal("123.00"), "13800000000")


def test_real_problems_in_normalised_columns_still_name_row_and_column(tmp_path):
    header = [*HEADER, "成立日期", "注册资本（万元）"]
    row = [credit_code(), "错误企业有限公司", "合肥", "蜀", "３５６", "2016年13月5日", "１２x"]
    path = save_xlsx(tmp_path, [header, row])
    job = import_file(path)
    assert sorted((e["行号"], e["列"]) for e in job.errors) == [
        (2, "国民经济行业代码"), (2, "成立日期"), (2, "所在县（区）"), (2, "注册资本（万元）")]


def test_indicator_import_gives_one_message_for_unknown_and_out_of_area_codes(tmp_path):
    from tests.factories import make_user
    from zjtx.accounts.roles import Role

    wuhu = make_enterprise(city_code="340200")
    feixi = make_enterprise(county_code="340123")
    path = tmp_path / "indicators.csv"
    path.write_text("\n".join(["统一社会信用代码,年度,营业收入（万元）", f"{wuhu.credit_code},2024,100",
                               f"{feixi.credit_code},2024,100", f"{credit_code()},2024,100"]), encoding="utf-8")
    shushan = make_user(Role.CITY, "shushan", city_code="340100", county_code="340104")
    job = services.import_from_path(user=shushan, kind="indicators", mode="valid", path=path)
    assert [e["行号"] for e in job.errors] == [2, 3, 4]
    assert {e["错误原因"] for e in job.errors} == {"企业库中没有此信用代码，或该企业不在您的管辖范围内，无法导入其指标"}
    assert not Indicator.objects.exists()
