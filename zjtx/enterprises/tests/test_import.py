"""Import of enterprises and indicators: row reports, both modes, idempotence, no partial writes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from tests.factories import city_user, credit_code, make_enterprise, province_user
from zjtx.core.models import AuditEvent
from zjtx.enterprises import services
from zjtx.enterprises.importing import writer
from zjtx.enterprises.importing.report import report_path
from zjtx.enterprises.models import Enterprise, ImportJob, Indicator

pytestmark = pytest.mark.django_db

HEADER = "统一社会信用代码,企业名称,所在市,所在县（区）,成立日期,国民经济行业代码,十大新兴产业,注册资本（万元）"


def write_csv(tmp_path: Path, lines: list[str], encoding: str = "utf-8", name: str = "upload.csv") -> Path:
    path = tmp_path / name
    path.write_bytes("\n".join(lines).encode(encoding))
    return path


def good_rows(n: int, city: str = "合肥市", county: str = "蜀山区", city_code: str = "340100") -> list[str]:
    return [f"{credit_code(city_code)},合肥测试{i}科技有限公司,{city},{county},2018-05-0{1 + i % 9},3562,"
            f"高端装备制造,{1000 + i}" for i in range(n)]


def run(tmp_path: Path, lines: list[str], mode: str = "all", user=None, kind: str = "enterprises", **kw) -> ImportJob:
    path = write_csv(tmp_path, lines, **kw)
    return services.import_from_path(user=user or province_user(), kind=kind, mode=mode, path=path)


def test_all_or_nothing_rejects_whole_file_and_reports_row_column_reason(tmp_path):
    rows = good_rows(3)
    bad = rows[1][:17] + ("0" if rows[1][17] != "0" else "1") + rows[1][18:]
    job = run(tmp_path, [HEADER, rows[0], bad, rows[2]])
    assert job.status == ImportJob.Status.REJECTED
    assert Enterprise.objects.count() == 0
    assert job.error_rows == 1
    (error,) = job.errors
    assert error["行号"] == 3 and error["列"] == "统一社会信用代码" and "校验位错误" in error["错误原因"]
    sheet = load_workbook(report_path(job)).active
    assert [c.value for c in sheet[2]] == ["行号", "列", "原值", "错误原因"]
    assert sheet.cell(row=3, column=1).value == 3


def test_the_error_report_shows_cells_that_look_like_formulas_as_typed_text(tmp_path):
    """A 原值 "=1+1" from the uploaded file was a live formula (showing 2) in the downloaded error report."""
    rows = good_rows(3)
    typed = ["=1+1", "@SUM(1)", "+cmd"]
    bad = [rows[0].replace(",1000", f",{typed[0]}"), rows[1].replace("3562", typed[1]),
           rows[2].replace(",1002", f",{typed[2]}")]
    job = run(tmp_path, [HEADER, *bad])
    sheet = load_workbook(report_path(job)).active
    cells = {sheet.cell(row=r, column=3).value: sheet.cell(row=r, column=3) for r in range(3, sheet.max_row + 1)}
    assert [(cells[t].value, cells[t].data_type) for t in typed] == [(t, "s") for t in typed]
    assert sheet.cell(row=3, column=1).data_type == "n"  # 行号 stays a number


def test_valid_rows_mode_imports_the_good_rows_only(tmp_path):
    rows = good_rows(3)
    job = run(tmp_path, [HEADER, rows[0], rows[1].replace("3562", "9999"), rows[2]], mode="valid")
    assert job.status == ImportJob.Status.DONE
    assert (job.created_rows, job.error_rows) == (2, 1)
    assert job.errors[0]["列"] == "国民经济行业代码"
    assert Enterprise.objects.count() == 2
    e = Enterprise.objects.get(credit_code=rows[0].split(",")[0])
    assert (e.city_code, e.county_code, e.emerging_industry, e.industry_division) == (
        "340100", "340104", "high_end_equipment", "35")
    assert e.created_job_id == job.pk


def test_same_file_twice_changes_nothing(tmp_path):
    lines = [HEADER, *good_rows(5)]
    first = run(tmp_path, lines)
    before = list(Enterprise.objects.order_by("id").values())
    audits = AuditEvent.objects.count()
    second = run(tmp_path, lines)
    assert (first.created_rows, second.created_rows, second.updated_rows, second.unchanged_rows) == (5, 0, 0, 5)
    assert list(Enterprise.objects.order_by("id").values()) == before
    assert AuditEvent.objects.filter(action="import_update").count() == 0
    assert AuditEvent.objects.count() == audits + 1  # only the import job's own record


def test_changed_row_is_updated_and_audited_with_before_and_after(tmp_path):
    rows = good_rows(2)
    run(tmp_path, [HEADER, *rows])
    renamed = rows[0].replace("合肥测试0科技有限公司", "合肥改名科技有限公司")
    job = run(tmp_path, [HEADER, renamed, rows[1]])
    assert (job.created_rows, job.updated_rows, job.unchanged_rows) == (0, 1, 1)
    event = AuditEvent.objects.get(action="import_update")
    assert event.before["name"] == "合肥测试0科技有限公司" and event.after["name"] == "合肥改名科技有限公司"
    assert event.enterprise_code == rows[0].split(",")[0]


def test_gbk_encoded_csv_is_read(tmp_path):
    job = run(tmp_path, [HEADER, *good_rows(2)], encoding="gbk")
    assert job.status == ImportJob.Status.DONE and job.created_rows == 2


def test_city_user_cannot_import_another_citys_enterprise(tmp_path):
    rows = good_rows(1) + good_rows(1, city="芜湖市", county="镜湖区", city_code="340200")
    job = run(tmp_path, [HEADER, *rows], mode="valid", user=city_user("340100"))
    assert job.created_rows == 1
    assert job.errors[0]["错误原因"] == "不是本市（合肥市）企业，无权导入"
    assert not Enterprise.objects.filter(city_code="340200").exists()


def test_city_user_cannot_move_an_enterprise_registered_elsewhere(tmp_path):
    other = make_enterprise(city_code="340200")
    line = f"{other.credit_code},搬家企业有限公司,合肥市,,2019-01-01,3562,,100"
    job = run(tmp_path, [HEADER, line], mode="valid", user=city_user("340100"))
    assert job.errors[0]["错误原因"] == "该企业已登记在其他市，不能由本市导入修改"
    other.refresh_from_db()
    assert other.city_code == "340200"


def county_user(county_code: str = "340104"):  # 合肥市 · 蜀山区
    return city_user("340100", county_code=county_code)


def test_county_user_imports_only_its_own_countys_enterprises(tmp_path):
    rows = good_rows(1) + good_rows(1, county="包河区") + [good_rows(1)[0].replace(",蜀山区,", ",,")]
    job = run(tmp_path, [HEADER, *rows], mode="valid", user=county_user())
    assert (job.created_rows, job.error_rows) == (1, 2)
    assert [(e["行号"], e["列"], e["错误原因"]) for e in job.errors] == [
        (3, "所在县（区）", "不是本县（区）（蜀山区）企业，无权导入"),
        (4, "所在县（区）", "不是本县（区）（蜀山区）企业，无权导入")]
    assert list(Enterprise.objects.values_list("county_code", flat=True)) == ["340104"]


def test_county_user_cannot_overwrite_an_enterprise_of_another_county(tmp_path):
    other = make_enterprise(county_code="340123", name="肥西企业有限公司")  # 肥西县
    line = f"{other.credit_code},改名有限公司,合肥市,蜀山区,2019-01-01,3562,,100"
    job = run(tmp_path, [HEADER, line], mode="valid", user=county_user())
    assert job.errors[0]["错误原因"] == "该企业已登记在其他县（区），不能由本县（区）导入修改"
    other.refresh_from_db()
    assert (other.name, other.county_code) == ("肥西企业有限公司", "340123")


def test_county_user_cannot_import_indicators_of_another_county(tmp_path):
    other = make_enterprise(county_code="340123")
    job = run(tmp_path, ["统一社会信用代码,年度,营业收入（万元）", f"{other.credit_code},2024,100"], mode="valid",
              user=county_user(), kind="indicators")
    assert job.errors[0]["错误原因"] == "企业库中没有此信用代码，或该企业不在您的管辖范围内，无法导入其指标"
    assert not Indicator.objects.exists()


def test_county_user_sees_only_its_countys_import_jobs(tmp_path):
    city_job = run(tmp_path, [HEADER, *good_rows(1)], user=city_user("340100"))
    own_job = run(tmp_path, [HEADER, *good_rows(1)], user=county_user())
    client = Client()
    client.force_login(county_user())
    assert client.get(f"/enterprises/import/{city_job.pk}/").status_code == 404
    assert client.get(f"/enterprises/import/{own_job.pk}/").status_code == 200
    page = client.get("/enterprises/import/").content.decode()
    assert f"#{own_job.pk}<" in page and f"#{city_job.pk}<" not in page
    client.force_login(city_user("340100"))
    assert client.get(f"/enterprises/import/{own_job.pk}/").status_code == 200  # the city sees its counties' jobs


def test_blank_optional_cells_keep_the_stored_values(tmp_path):
    stored = make_enterprise(county_code="340104", emerging_industry="new_energy_env", contact_name="杨辉欣",
                             contact_phone="13541892785", registered_capital=Decimal("800"), founded_on="2015-01-02")
    header = HEADER + ",联系人,联系电话"
    job = run(tmp_path, [header, f"{stored.credit_code},新名称有限公司,合肥市,,,3562,,,,"], user=city_user("340100"))
    assert (job.status, job.updated_rows) == (ImportJob.Status.DONE, 1)
    stored.refresh_from_db()
    assert (stored.name, stored.county_code, stored.emerging_industry, stored.contact_name, stored.contact_phone,
            stored.registered_capital, str(stored.founded_on)) == (
        "新名称有限公司", "340104", "new_energy_env", "杨辉欣", "13541892785", Decimal("800"), "2015-01-02")
    event = AuditEvent.objects.get(action="import_update")
    assert {k for k, v in event.after.items() if event.before[k] != v} == {"name"}


def test_the_template_and_the_import_page_say_that_blank_cells_keep_stored_values(tmp_path):
    from zjtx.enterprises.exports import template_xlsx

    path = tmp_path / "t.xlsx"
    path.write_bytes(template_xlsx("enterprises"))
    notes = [row[0] for row in load_workbook(path)["填写说明"].iter_rows(values_only=True)]
    assert any(note and "留空表示保留原有内容" in note for note in notes)
    client = Client()
    client.force_login(city_user())
    assert "留空表示保留原有内容" in client.get("/enterprises/import/").content.decode()


def test_a_blank_county_does_not_follow_an_enterprise_to_another_city(tmp_path):
    stored = make_enterprise(county_code="340104")
    run(tmp_path, [HEADER, f"{stored.credit_code},搬家企业有限公司,芜湖市,,,3562,,"])
    stored.refresh_from_db()
    assert (stored.city_code, stored.county_code) == ("340200", "")


def test_a_bad_contact_phone_is_a_row_error(tmp_path):
    rows = [f"{line},张三,{phone}" for line, phone in zip(good_rows(3), ["abc-not-a-phone", "0551-6234 5678",
                                                                           "0551-62345678-1234567890"], strict=True)]
    job = run(tmp_path, [HEADER + ",联系人,联系电话", *rows], mode="valid")
    assert [(e["行号"], e["列"], e["错误原因"]) for e in job.errors] == [
        (2, "联系电话", "联系电话只能包含数字和“-”"), (4, "联系电话", "联系电话不能超过20个字")]
    assert job.created_rows == 1


def test_duplicate_codes_in_file_are_reported_with_first_row(tmp_path):
    rows = good_rows(2)
    job = run(tmp_path, [HEADER, rows[0], rows[1], rows[0]], mode="valid")
    assert job.errors == [{"行号": 4, "列": "统一社会信用代码", "原值": rows[0].split(",")[0],
                           "错误原因": "文件内重复：与第2行的统一社会信用代码相同"}]
    assert job.created_rows == 2


def test_interrupted_write_leaves_nothing_behind(tmp_path, monkeypatch):
    rows = good_rows(3)
    run(tmp_path, [HEADER, rows[0]])
    original = writer.upsert

    def crash_after_writing(*args, **kwargs):
        original(*args, **kwargs)
        raise RuntimeError("power cut")

    monkeypatch.setattr(writer, "upsert", crash_after_writing)
    job = run(tmp_path, [HEADER, rows[0].replace("合肥测试0", "改名"), rows[1], rows[2]])
    assert job.status == ImportJob.Status.FAILED and "未写入任何数据" in job.message
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["合肥测试0科技有限公司"]


def test_indicator_import_derives_size_class_and_rejects_inconsistent_rows(tmp_path):
    small = make_enterprise(industry_code="3562")
    header = "统一社会信用代码,年度,营业收入（万元）,主营业务收入（万元）,员工人数,研发人员,资产总额（万元）"
    lines = [header, f"{small.credit_code},2024,5000,4000,120,20,9000",
             f"{small.credit_code},2023,3000,3500,100,10,8000",
             f"{credit_code()},2024,100,50,10,1,100"]
    job = run(tmp_path, lines, mode="valid", kind="indicators")
    reasons = {e["行号"]: e["错误原因"] for e in job.errors}
    assert reasons == {3: "主营业务收入不能大于营业收入", 4: "企业库中没有此信用代码，请先导入企业基本信息"}
    indicator = Indicator.objects.get(enterprise=small, year=2024)
    assert indicator.revenue == Decimal("5000.00") and indicator.size_class == "small"
    small.refresh_from_db()
    assert (small.size_class, small.size_year) == ("small", 2024)  # 工业: ≥20 staff and ≥300万, below 中型


def test_xlsx_with_numbers_dates_formulas_and_merged_cells(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    code1, code2 = credit_code(), credit_code()
    sheet.append([code1, "表格企业一有限公司", "合肥市", "蜀山区", None, 3562, None, 1200.5])
    sheet.append([code2, "表格企业二有限公司", "合肥市", None, None, "=35*100+62", None, 10**15])
    sheet.merge_cells("C3:D3")
    path = tmp_path / "upload.xlsx"
    book.save(path)
    job = services.import_from_path(user=province_user(), kind="enterprises", mode="valid", path=path)
    assert job.created_rows == 1
    reasons = sorted(e["错误原因"] for e in job.errors)
    # The formula was never calculated (no cached value), so the required industry code is empty.
    assert reasons == ["必填项为空", "注册资本（万元）数值过大（单位为万元），请核对"]
    assert Enterprise.objects.get(credit_code=code1).registered_capital == Decimal("1200.50")


@pytest.mark.parametrize(("content", "message"), [
    (b"", "文件是空的"),
    (b"\xff\xfe\x00\x00garbage\x00", "无法识别文件编码"),
    ("企业名称,所在市\n甲,合肥市".encode(), "缺少必填列：统一社会信用代码、国民经济行业代码"),
    (HEADER.encode(), "文件只有表头"),
])
def test_malformed_csv_files_fail_cleanly(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    job = services.import_from_path(user=province_user(), kind="enterprises", mode="all", path=path)
    assert job.status == ImportJob.Status.FAILED
    assert message in job.message
    assert Enterprise.objects.count() == 0


def test_empty_and_corrupt_xlsx_fail_cleanly(tmp_path):
    empty = tmp_path / "empty.xlsx"
    Workbook().save(empty)
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a zip")
    user = province_user()
    assert "空的" in services.import_from_path(user=user, kind="enterprises", mode="all", path=empty).message
    job = services.import_from_path(user=user, kind="enterprises", mode="all", path=corrupt)
    assert job.status == ImportJob.Status.FAILED and "无法读取 Excel 文件" in job.message


@pytest.mark.parametrize("kind", ["enterprises", "indicators"])
def test_the_templates_example_row_is_refused_and_otherwise_valid(tmp_path, kind):
    from zjtx.enterprises.exports import template_xlsx
    from zjtx.enterprises.importing.columns import COLUMNS
    from zjtx.enterprises.importing.readers import read_table
    from zjtx.enterprises.importing.validate import Context, validate

    path = tmp_path / "template.xlsx"
    path.write_bytes(template_xlsx(kind))
    checked = validate(read_table(path, COLUMNS[kind]), COLUMNS[kind], Context())
    assert [(e["行号"], e["列"], e["错误原因"]) for e in checked.errors.to_dicts()] == [
        (2, "统一社会信用代码", "这是导入模板中的示例行，请删除或替换为真实企业后再导入")]
    job = services.import_from_path(user=province_user(), kind="enterprises", mode="valid",
                                    path=path) if kind == "enterprises" else None
    assert job is None or (job.created_rows, job.error_rows) == (0, 1)
    assert not Enterprise.objects.exists()


def test_wrong_headers_name_the_missing_columns_and_the_recognised_ones(tmp_path):
    job = run(tmp_path, ["code,name,city", f"{credit_code()},某公司,合肥市"])
    assert job.status == ImportJob.Status.FAILED
    assert job.message.startswith("缺少必填列：统一社会信用代码、所在市、国民经济行业代码。"
                                  "已识别的列：企业名称（表头“name”）。")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("kind", "policy_facts", "导入内容：“policy_facts”不是可选项，请选择企业基本信息、年度指标之一"),
    ("mode", "partial", "导入方式：“partial”不是可选项，请选择全部正确才导入、仅导入正确行之一"),
    ("mode", "", "导入方式：请选择一项（全部正确才导入、仅导入正确行）"),
])
def test_a_tampered_import_choice_is_named_on_the_page_and_nothing_is_imported(tmp_path, field, value, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(province_user())
    data = {"kind": "enterprises", "mode": "all", field: value,
            "file": SimpleUploadedFile("企业.csv", "\n".join([HEADER, *good_rows(1)]).encode())}
    page = client.post("/enterprises/import/", data).content.decode()
    assert message in page
    assert not ImportJob.objects.exists() and not Enterprise.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_import_without_a_file_says_so_beside_the_file_field():
    client = Client()
    client.force_login(province_user())
    page = client.post("/enterprises/import/", {"kind": "enterprises", "mode": "all"}).content.decode()
    assert "文件：请选择要上传的 .xlsx 或 .csv 文件" in page and not ImportJob.objects.exists()


def test_an_indicator_file_without_the_size_columns_adds_no_year_without_figures(tmp_path):
    # The form refuses a year with none of 营业收入、员工人数、资产总额 (划型 reads them); a file lacking those
    # columns created such years in silence. A year already holding one of them may still be updated.
    enterprise = make_enterprise(industry_code="3562")
    Indicator.objects.create(enterprise=enterprise, year=2023, employees=80)
    lines = ["统一社会信用代码,年度,主导产品,营业收入（万元）", f"{enterprise.credit_code},2024,齿轮,",
             f"{enterprise.credit_code},2023,减速器,"]
    job = run(tmp_path, lines, mode="valid", kind="indicators")
    assert job.errors == [{"行号": 2, "列": "营业收入（万元）", "原值": "",
                           "错误原因": "营业收入、员工人数、资产总额至少填写一项"}]
    assert (job.created_rows, job.updated_rows) == (0, 1)
    assert list(Indicator.objects.values_list("year", "main_product", "employees")) == [(2023, "减速器", 80)]
