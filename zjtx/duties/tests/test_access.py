"""Who may open what: role × page with exact status codes; a department reads the reports of its tasks and
writes only its own; a city reads the task list only; the other roles see no menu entry and get 403."""

from __future__ import annotations

import pytest

from tests.factories import logged_in
from zjtx.core.navigation import modules_for
from zjtx.duties.models import Report
from zjtx.duties.tests.conftest import WRITTEN, opened, report

pytestmark = pytest.mark.django_db

ROLES = ["province", "city", "keji", "fagai", "shangwu", "officer", "qiye", "bank", "expert"]
DEPARTMENTS = {"keji", "fagai", "shangwu"}


def _pages(period_pk: int) -> dict[str, dict[str, int]]:
    reports_ok = dict.fromkeys(ROLES, 403) | {"province": 200} | dict.fromkeys(DEPARTMENTS, 200)
    return {
        "/duties/": dict.fromkeys(ROLES, 403) | {"province": 200, "city": 200} | dict.fromkeys(DEPARTMENTS, 200),
        "/duties/periods/": reports_ok,
        f"/duties/periods/{period_pk}/": reports_ok,
        f"/duties/periods/{period_pk}.xlsx": reports_ok,
        "/duties/reports/": reports_ok,
    }


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(world, role):
    period = opened(world)
    pages = _pages(period.pk)
    client = logged_in(world[role])
    assert {path: client.get(path).status_code for path in pages} == {path: s[role] for path, s in pages.items()}
    assert ("duties" in {m.slug for m in modules_for(world[role])}) == (role in {"province", "city"} | DEPARTMENTS)


# task 4 names 省发展改革委, 省科技厅 and 省经济和信息化厅; task 15 names 省商务厅 but not 省科技厅
READS = {("keji", 4, "drc"): 200, ("keji", 4, "sci_tech"): 200, ("keji", 15, "commerce"): 404,
         ("shangwu", 15, "commerce"): 200, ("shangwu", 4, "sci_tech"): 404, ("province", 15, "commerce"): 200,
         ("city", 4, "drc"): 403, ("bank", 4, "drc"): 403}


@pytest.mark.parametrize(("who", "task", "department"), READS)
def test_a_report_page_is_read_by_whom_its_task_concerns(world, who, task, department):
    target = report(opened(world), task, department)
    assert logged_in(world[who]).get(f"/duties/reports/{target.pk}/").status_code == READS[(who, task, department)]


def test_another_units_report_on_the_same_task_is_read_but_not_written(world):
    theirs = report(opened(world), 4, "drc")
    client = logged_in(world["keji"])
    page = client.get(f"/duties/reports/{theirs.pk}/").content.decode()
    assert 'data-testid="report-content"' in page and 'data-testid="report-form"' not in page
    assert client.post(f"/duties/reports/{theirs.pk}/submit/", WRITTEN).status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == "draft" and theirs.progress == ""


def test_a_departments_lists_hold_only_the_reports_of_its_tasks(world):
    opened(world)
    page = logged_in(world["shangwu"]).get("/duties/reports/?department=drc").content.decode()
    assert "共 3 份" in page  # task 15's: 省经济和信息化厅, 省财政厅, 省商务厅 (drc, not named there, is not offered)
    assert "省发展改革委" not in page
    own = logged_in(world["shangwu"]).get("/duties/reports/?mine=1").content.decode()
    assert "共 1 份" in own


def test_only_the_province_opens_a_period(world):
    response = logged_in(world["keji"]).post("/duties/periods/open/", {"period": "2026-3"})
    assert response.status_code == 403
    response = logged_in(world["province"]).post("/duties/periods/open/", {"period": "2026-3"})
    assert response.status_code == 302 and Report.objects.count() == 69
