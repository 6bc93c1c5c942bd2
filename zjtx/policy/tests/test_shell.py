"""The Django shell around the engine: commands, dated values added by policy staff, API, what-if runs."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import threading
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import polars as pl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from openpyxl import load_workbook

from tests.factories import city_user, credit_code, make_enterprise, make_indicator, province_user
from zjtx.core.models import AuditEvent
from zjtx.enterprises.models import Enterprise
from zjtx.policy import frames, selectors, services
from zjtx.policy.engine import evaluate, load_parameters
from zjtx.policy.models import PolicyRun, ProgrammeEvent

pytestmark = pytest.mark.django_db


def test_params_json_lists_every_parameter_with_its_source():
    out = io.StringIO()
    call_command("policy", "params", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == len(load_parameters())
    for row in rows:
        assert row["id"] and row["clause"] and row["unit"] and row["dates"]
        assert {"value", "history", "confirmed", "label"} <= set(row)
    by_id = {r["id"]: r for r in rows}
    assert by_id["awards.little_giant.amount"]["value"] in ("100", 100)


def test_new_dated_value_applies_from_its_date_only_and_is_audited():
    user = province_user()
    before = services.parameter_set().value("awards.little_giant.amount", dt.date(2026, 1, 1))
    services.parameter_value_add(user=user, parameter_id="awards.little_giant.amount", start=dt.date(2027, 1, 1),
                                 text="120", reference="皖经信〔2026〕示例号")
    params = services.parameter_set()
    assert params.value("awards.little_giant.amount", dt.date(2026, 12, 31)) == before
    assert params.value("awards.little_giant.amount", dt.date(2027, 1, 1)) == Decimal("120")
    event = AuditEvent.objects.get(action="parameter_value_add")
    assert event.after["value"] == "120" and event.target_id == "awards.little_giant.amount"


def test_the_parameter_page_shows_the_current_value_as_it_would_be_typed():
    client = Client()
    client.force_login(province_user())
    page = client.get("/policy/p/awards.digital_assessment.amount_4a/").content.decode()
    assert "现行取值：<code>100</code>" in page  # a number as it is, not "100" in quotes
    page = client.get("/policy/p/awards.cloud_service_provider.amount_by_rank/").content.decode()
    assert "现行取值：<code>[{&quot;max_rank&quot;: 10, &quot;amount&quot;: 100}" in page  # JSON, read as YAML
    # The list reads it as people do; nowhere Python's Decimal('10').
    listing = client.get("/policy/?q=amount_by_rank").content.decode()
    assert "前10名 100万元" in listing
    assert "Decimal" not in listing and "Decimal" not in page
    # amounts with separators, as every page writes them; a year as a year
    large = client.get("/policy/?q=large_revenue").content.decode()
    assert "<td style=\"white-space:normal;min-width:9em;max-width:320px\">10,000</td>" in large
    page = client.get("/policy/p/criteria.2022.little_giant.large_revenue/").content.decode()
    assert "10,000 万元" in page and "现行取值：<code>10000</code>" in page  # typed form unchanged
    assert "2025</td>" in client.get("/policy/?q=horizon_year").content.decode()
    typed = PolicyRun(kind=PolicyRun.Kind.WHATIF, as_of=dt.date(2026, 6, 30),
                      reform={"criteria.2026.srdi.min_revenue": "1000", "targets.horizon_year": "2027"})
    assert [r["value"] for r in selectors.reform_items(typed)] == ["1,000 万元", "2027"]


@pytest.mark.parametrize(("text", "message"), [("abc", "应为数字"), ("-5", "不能为负数"), ("", "请填写新取值")])
def test_bad_values_are_refused_with_a_message(text, message):
    with pytest.raises(services.ApplicationError) as error:
        services.parameter_value_add(user=province_user(), parameter_id="awards.little_giant.amount",
                                     start=dt.date(2027, 1, 1), text=text, reference="某文件")
    assert message in error.value.message


def test_only_the_province_may_change_parameters():
    client = Client()
    client.force_login(city_user())
    response = client.post("/policy/p/awards.little_giant.amount/", {"start": "2027-01-01", "value": "1",
                                                                      "reference": "x"})
    assert response.status_code == 403
    assert client.get("/policy/").status_code == 200
    assert client.get("/policy/whatif/").status_code == 403


def test_api_evaluates_given_enterprises_and_events():
    client = Client()
    client.force_login(city_user())
    code = credit_code("340100", 1)
    payload = {
        "as_of": "2025-06-30",
        "enterprises": [{"credit_code": code, "city_code": "340100", "county_code": "340104", "industry_code": "35",
                         "emerging_industry": None, "founded_on": "2015-01-01", "current_tier": "srdi"}],
        "events": [{"credit_code": code, "kind": "four_transformations_project", "date": "2025-03-01",
                    "amount": 8000}],
    }
    response = client.post("/api/v1/policy/evaluate", json.dumps(payload), content_type="application/json")
    assert response.status_code == 200, response.content
    entitlements = response.json()["entitlements"]
    four = [e for e in entitlements if e["credit_code"] == code and e["award"].startswith("four_transformations")]
    assert four and Decimal(four[0]["amount"]) == Decimal("500")  # 10% of 8000 is 800, capped at 500


def test_api_names_the_problem_in_bad_input():
    client = Client()
    client.force_login(city_user())
    payload = {"as_of": "2025-06-30", "enterprises": [{"credit_code": "A"}]}
    response = client.post("/api/v1/policy/evaluate", json.dumps(payload), content_type="application/json")
    assert response.status_code == 400
    assert "city_code" in response.json()["message"]


def _small_province() -> None:
    for i in range(6):
        e = make_enterprise(city_code="340100" if i % 2 else "340200", tier="little_giant" if i == 0 else "")
        make_indicator(e, 2024, rd_expense=Decimal(200 + 40 * i), revenue=Decimal("5000"))
        make_indicator(e, 2023, rd_expense=Decimal(180 + 40 * i), revenue=Decimal("4600"))
    ProgrammeEvent.objects.create(enterprise=e, kind="digital_assessment", date=dt.date(2025, 3, 1), grade="4A")


def test_whatif_page_runs_and_exports(django_capture_on_commit_callbacks):
    _small_province()
    client = Client()
    client.force_login(province_user())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/policy/whatif/", {"name": "数字化奖补提高", "as_of": "2025-06-30",
                                                   "param_0": "awards.digital_assessment.amount_4a",
                                                   "value_0": "120"})
    assert response.status_code == 302
    run = PolicyRun.objects.get()
    assert run.status == PolicyRun.Status.DONE, run.message
    page = client.get(f"/policy/runs/{run.pk}/").content.decode()
    assert "已完成" in page and "数字化奖补提高" in page
    # an award change moves no tier: the 分市 table says so instead of standing empty
    assert "各市各梯度符合条件的企业数都没有变化" in page
    budget = {(r["award"], r["funding_level"]): r for r in run.summary["budget"]}
    digital = next(v for k, v in budget.items() if k[0].startswith("digital"))
    assert Decimal(digital["reform"]) - Decimal(digital["baseline"]) == Decimal("20")
    sheet = load_workbook(io.BytesIO(client.get(f"/policy/runs/{run.pk}/export.xlsx").content)).active
    assert sheet["A1"].value == "政策模拟对比表：数字化奖补提高"
    total = next(row for row in sheet.iter_rows() if row[0].value == "合计")
    assert total[4].value == 20 and total[4].number_format == "#,##0.00####"  # the difference, exact
    assert run.parameter_versions and run.fingerprint


def test_province_run_is_stored_with_parameter_versions():
    _small_province()
    call_command("policy", "evaluate", "--store", "--as-of", "2025-06-30", stdout=io.StringIO())
    run = PolicyRun.objects.get(kind=PolicyRun.Kind.EVALUATE)
    assert run.status == PolicyRun.Status.DONE and run.enterprises == 6
    assert run.fingerprint == services.parameter_set().fingerprint()
    assert any(v for v in run.parameter_versions)
    assert {p.name for p in Path(run.result_dir).iterdir()} == {
        "recognition.parquet", "unmet.parquet", "entitlements.parquet", "metadata.json"}


def test_province_run_started_from_its_page_shows_its_counts_and_awards(django_capture_on_commit_callbacks):
    _small_province()
    client = Client()
    client.force_login(province_user())
    assert "发起全省测算" in client.get("/policy/runs/").content.decode()
    assert "测算日期：" in client.post("/policy/runs/", {"as_of": "not a date"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/policy/runs/", {"as_of": "2025-06-30"})
    run = PolicyRun.objects.get(kind=PolicyRun.Kind.EVALUATE)
    assert response["Location"] == f"/policy/runs/{run.pk}/" and run.status == PolicyRun.Status.DONE
    page = client.get(f"/policy/runs/{run.pk}/").content.decode()
    counts = {r["tier_label"]: 0 for r in run.summary["tiers"]}
    for r in run.summary["tiers"]:
        counts[r["tier_label"]] += r["count"]
    for label, count in counts.items():
        assert f"<td>{label}</td><td class=\"num\">{count}</td>" in page.replace("&quot;", '"')
    assert "数字化转型评估4A级一次性奖补" in page and "合肥市" in page
    # 符合 beside 不符合 and 数据不足, so that "0 符合" is not read as a result when data are missing
    assert "<th class=\"num\">不符合</th><th class=\"num\">数据不足</th>" in page
    for row in run.summary["statuses"]:
        assert row["met"] + row["unmet"] + row["unknown"] == run.enterprises
        assert row["met"] == counts[row["tier_label"]]
    assert f"#{run.pk}" in client.get("/policy/runs/").content.decode()
    city = Client()
    city.force_login(city_user("340100", username="hefei-runs"))
    assert city.get("/policy/runs/").status_code == 403
    assert city.get(f"/policy/runs/{run.pk}/").status_code == 403


def test_a_province_run_sets_aside_an_enterprise_with_a_bad_stored_value_and_names_it():
    from zjtx.enterprises.models import Indicator

    _small_province()
    # A value the forms and the import refuse, written past them (the admin, a database script).
    bad = Indicator.objects.filter(year=2024).order_by("pk")[2]
    Indicator.objects.filter(pk=bad.pk).update(revenue=Decimal("-5"))
    run = PolicyRun.objects.create(kind=PolicyRun.Kind.EVALUATE, as_of=dt.date(2025, 6, 30), created_by=province_user())
    run = services.run_execute(run)
    assert run.status == PolicyRun.Status.DONE  # the other enterprises are evaluated
    assert run.message.startswith("已完成：5 家企业。另有 1 家企业的数据有误，未参与测算")
    [row] = run.summary["set_aside"]
    assert (row["credit_code"], row["name"]) == (bad.enterprise.credit_code, bad.enterprise.name)
    assert "revenue（营业收入" in row["problem"] and "为负数或超过1万亿元" in row["problem"]
    assert "第" not in row["problem"]  # frame row numbers mean nothing to an official
    client = Client()
    client.force_login(run.created_by)
    page = client.get(f"/policy/runs/{run.pk}/").content.decode()
    assert "未参与测算的企业（数据有误）" in page and bad.enterprise.credit_code in page
    assert len({row["city_code"] for row in run.summary["tiers"]}) == 2


def test_a_run_fails_with_the_enterprises_named_when_too_many_records_are_bad(monkeypatch):
    from zjtx.enterprises.models import Indicator

    _small_province()
    Indicator.objects.update(revenue=Decimal("-5"))
    monkeypatch.setattr(services, "SET_ASIDE_ROUNDS", 1)
    run = PolicyRun.objects.create(kind=PolicyRun.Kind.EVALUATE, as_of=dt.date(2025, 6, 30), created_by=province_user())
    run = services.run_execute(run)
    assert run.status == PolicyRun.Status.FAILED and "数据有误的企业超过" in run.message and "涉及企业：" in run.message


def test_a_run_folder_holds_only_that_runs_files(settings):
    _small_province()
    run = PolicyRun.objects.create(kind=PolicyRun.Kind.EVALUATE, as_of=dt.date(2025, 6, 30), created_by=province_user())
    # Files left under this run's number (a reset demo database, an earlier try of the run).
    stale = Path(settings.MEDIA_ROOT) / "policy_runs" / str(run.pk)
    stale.mkdir(parents=True)
    (stale / "changes.parquet").write_bytes(b"old")
    run = services.run_execute(run)
    assert run.status == PolicyRun.Status.DONE and Path(run.result_dir) == stale
    assert sorted(p.name for p in stale.iterdir()) == [
        "entitlements.parquet", "metadata.json", "recognition.parquet", "unmet.parquet"]


def test_registry_export_by_year_takes_the_fast_path_with_the_same_results():
    _small_province()
    as_of = dt.date(2025, 6, 30)
    params = load_parameters()
    enterprises, by_year, events = frames.registry_frames(years=[2022, 2023, 2024])
    # One row per enterprise and year, by year then as the enterprises; the missing 2022 rows empty.
    assert by_year.height == 3 * enterprises.height
    assert by_year["year"].to_list() == [2022] * 6 + [2023] * 6 + [2024] * 6
    assert by_year["credit_code"].to_list() == enterprises["credit_code"].to_list() * 3
    assert by_year.filter(pl.col("year") == 2022)["revenue"].null_count() == 6
    _, every_row, _ = frames.registry_frames()
    assert every_row.height == 12
    fast = evaluate(enterprises, by_year, events, as_of, params, checked_inputs=True)
    general = evaluate(enterprises, every_row, events, as_of, params, checked_inputs=True)
    assert fast.yearly is not None and general.yearly is None
    assert fast.frame.equals(general.frame)
    assert fast.awards_raw.equals(general.awards_raw)


@pytest.mark.django_db(transaction=True)
def test_registry_frames_read_one_snapshot(monkeypatch):
    # An import committing between the enterprise query and the indicator query (here: another
    # connection, in a thread) must not add indicators of an enterprise the first query did not see.
    if connection.vendor != "postgresql":
        pytest.fail("the snapshot test needs PostgreSQL (DATABASE_URL)")
    _small_province()
    original = frames._with_facts

    def commit_meanwhile(frame):
        def insert():
            try:
                make_indicator(make_enterprise(city_code="340100"), 2024)
            finally:
                connection.close()  # this thread's own connection

        worker = threading.Thread(target=insert)
        worker.start()
        worker.join()
        return original(frame)

    monkeypatch.setattr(frames, "_with_facts", commit_meanwhile)
    enterprises, by_year, _ = frames.registry_frames(years=[2022, 2023, 2024])
    assert enterprises.height == 6 and by_year.height == 18
    assert set(by_year["credit_code"]) == set(enterprises["credit_code"])
    assert Enterprise.objects.count() == 7  # committed, and seen by the next export
    assert frames.registry_frames(years=[2024])[1].height == 7


def test_the_engines_synthetic_programme_shares_are_the_demo_registrys() -> None:
    from zjtx.enterprises.demo_data import TIER_SHARES
    from zjtx.policy.engine.synthetic import PROGRAMME_TIER_SHARES
    from zjtx.policy.frames import TIER_TO_ENGINE

    assert {TIER_TO_ENGINE[str(tier)]: share for tier, share in TIER_SHARES} == PROGRAMME_TIER_SHARES


def test_a_whatif_lists_the_enterprises_that_change_on_its_page_and_in_the_xlsx(django_capture_on_commit_callbacks):
    _small_province()
    client = Client()
    client.force_login(province_user())
    with django_capture_on_commit_callbacks(execute=True):
        # no score thresholds: every enterprise whose other conditions hold becomes 创新型
        client.post("/policy/whatif/", {"name": "取消得分门槛", "as_of": "2025-06-30",
                                        "param_0": "criteria.innovative.min_total", "value_0": "0",
                                        "param_1": "criteria.innovative.min_growth", "value_1": "0",
                                        "param_2": "criteria.innovative.min_innovation", "value_2": "0",
                                        "param_3": "criteria.innovative.min_specialisation", "value_3": "0"})
    run = PolicyRun.objects.get()
    assert run.status == PolicyRun.Status.DONE, run.message
    assert run.summary["changes"] > 0
    page = client.get(f"/policy/runs/{run.pk}/").content.decode()
    assert f"变化企业（共 {run.summary['changes']} 家次）" in page and "新增符合" in page
    assert "都没有变化" not in page
    book = load_workbook(io.BytesIO(client.get(f"/policy/runs/{run.pk}/export.xlsx").content))
    sheet = book["变化企业"]
    assert [c.value for c in sheet[3]] == ["市", "企业名称", "统一社会信用代码", "梯度", "变化"]  # one blank row above
    rows = [r for r in sheet.iter_rows(values_only=True) if r[4] in ("新增符合", "不再符合")]  # as the page says
    assert len(rows) == run.summary["changes"]
    code = rows[0][2]
    assert rows[0][1] == Enterprise.objects.get(credit_code=code).name and code in page


def test_parameters_that_share_a_label_are_told_apart_by_their_tier():
    """The 2026 thresholds of 专精特新 and 小巨人 share their labels: the what-if list, the parameter
    list and page, and a run's changed parameters name the tier and version."""
    client = Client()
    client.force_login(province_user())
    form = client.get("/policy/whatif/").content.decode()
    first = form[form.index('name="param_0"'):]
    options = re.findall(r'<option value="[^"]+">([^<]+)</option>', first[:first.index("</select>")])
    assert len(options) > 100 and len(options) == len(set(options))
    assert "2026版·专精特新中小企业：上年度营业收入不低于（标准3.6）" in options
    assert "2026版·国家级专精特新“小巨人”企业：上年度营业收入不低于（标准3.6）" in options
    page = client.get("/policy/p/criteria.2026.srdi.min_revenue/").content.decode()
    assert "<h1>2026版·专精特新中小企业：上年度营业收入不低于</h1>" in page
    listed = client.get("/policy/?q=2026版·专精特新中小企业").content.decode()
    assert "criteria.2026.srdi.min_revenue" in listed and "criteria.2026.little_giant.min_revenue" not in listed
    run = PolicyRun(kind=PolicyRun.Kind.WHATIF, as_of=dt.date(2026, 6, 30),
                    reform={"criteria.2026.little_giant.min_revenue": "6000"})
    assert selectors.reform_items(run)[0]["label"].startswith('2026版·国家级专精特新“小巨人”企业：')


def test_a_province_run_is_exported_as_its_page_shows_it(django_capture_on_commit_callbacks):
    _small_province()
    client = Client()
    client.force_login(province_user())
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/policy/runs/", {"as_of": "2025-06-30"})
    run = PolicyRun.objects.get(kind=PolicyRun.Kind.EVALUATE)
    assert f'href="/policy/runs/{run.pk}/export.xlsx"' in client.get(f"/policy/runs/{run.pk}/").content.decode()
    response = client.get(f"/policy/runs/{run.pk}/export.xlsx")
    filename = unquote(response["Content-Disposition"].split("''", 1)[1])
    assert filename == f"全省测算-{run.pk}-20250630.xlsx"
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    statuses = {r[0]: r[1:4] for r in rows if r[0] in {s["tier_label"] for s in run.summary["statuses"]}}
    assert statuses == {s["tier_label"]: (s["met"], s["unmet"], s["unknown"]) for s in run.summary["statuses"]}
    total = next(r for r in rows if r[0] == "合计")
    budget = run.summary["budget"]
    assert total[2] == sum(r["count"] for r in budget) > 0
    assert Decimal(str(total[3])) == sum(Decimal(str(r["amount"])) for r in budget)
    assert any(r[0] == "合肥市" for r in rows)
    city = Client()
    city.force_login(city_user("340100", username="hefei-export"))
    assert city.get(f"/policy/runs/{run.pk}/export.xlsx").status_code == 403
