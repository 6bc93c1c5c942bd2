"""The twenty tasks as the plan writes them: numbers, clauses, titles, the text and each note's units, and
every department of departments.yaml named exactly in the tasks the reference lists for it."""

from __future__ import annotations

import pytest

from zjtx.core import reference
from zjtx.duties import plan

# (clause, title, leads, participants) read off the plan by hand: the first unit of each note leads
EXPECTED = {
    1: ("二(一)1", "催生更多市场主体", ["drc", "education", "emerging_taskforce"],
        ["sci_tech", "econ_it", "hrss", "local_finance", "market_reg", "city_governments"]),
    2: ("二(一)2", "实施“五企”培育工程", ["econ_it"], ["finance", "city_governments"]),
    3: ("二(二)3", "支持企业技术创新", ["drc", "finance"], ["sci_tech", "econ_it", "city_governments", "market_reg"]),
    4: ("二(二)4", "实施补链强链工程", ["drc"], ["sci_tech", "econ_it"]),
    5: ("二(二)5", "推动新产品首购首用", ["drc"], ["econ_it", "finance"]),
    6: ("二(三)6", "推动企业上云上平台", ["econ_it"], ["finance"]),
    7: ("二(三)7", "提升数字化转型能力", ["econ_it"], ["finance"]),
    8: ("二(三)8", "打造智能制造绿色制造标杆", ["econ_it"], ["finance"]),
    9: ("二(四)9", "加大金融信贷支持力度", ["econ_it"],
        ["finance", "sasac", "local_finance", "pboc_hefei", "cbirc_anhui", "city_governments"]),
    10: ("二(四)10", "发挥投资基金引导作用", ["drc"],
         ["econ_it", "finance", "local_finance", "anhui_investment", "city_governments"]),
    11: ("二(四)11", "加快上市孵化培育进程", ["econ_it"],
         ["finance", "local_finance", "csrc_anhui", "guoyuan_holdings"]),
    12: ("二(五)12", "着力保障生产要素", ["drc"], ["econ_it", "natural_resources", "ecology_env", "city_governments"]),
    13: ("二(五)13", "拓展企业发展空间", ["econ_it"], ["city_governments"]),
    14: ("二(五)14", "加强企业人才供给", ["education"], ["finance", "hrss", "city_governments"]),
    15: ("二(六)15", "助力企业开拓市场", ["econ_it"], ["finance", "commerce", "city_governments"]),
    16: ("二(六)16", "增强公共服务功能", ["econ_it"], ["justice", "finance", "market_reg"]),
    17: ("二(六)17", "培育高素质企业家队伍", ["econ_it"], ["finance", "hrss", "city_governments"]),
    18: ("三18", "强化组织保障", ["private_economy_group"], ["city_governments"]),
    19: ("三19", "落实财税政策", ["drc"], ["sci_tech", "econ_it", "finance", "hrss", "tax", "city_governments"]),
    20: ("三20", "营造良好环境", ["econ_it"], ["city_governments"]),
}


def test_twenty_tasks_with_their_clause_title_leads_and_participants():
    found = {t.number: (t.clause, t.title, [u.code for u in t.leads], [u.code for u in t.participants])
             for t in plan.tasks()}
    assert found == EXPECTED


@pytest.mark.parametrize(("code", "name"), reference.DEPARTMENTS)
def test_every_department_is_named_in_exactly_the_tasks_the_reference_lists(code, name):
    assert [t.number for t in plan.tasks_of(code)] == reference.department_tasks(code), name


def test_the_cities_are_named_where_the_reference_says_and_report_nothing():
    cities = dict(reference.MUNICIPAL)
    assert cities == {"city_governments": "各市人民政府"}
    named = [t.number for t in plan.tasks() if any(u.code == "city_governments" for u in t.units)]
    assert named == [1, 2, 3, 9, 10, 12, 13, 14, 15, 17, 18, 19, 20]
    assert all("city_governments" not in t.departments for t in plan.tasks())
    assert len(plan.assignments()) == sum(len(reference.department_tasks(c)) for c, _ in reference.DEPARTMENTS)


def test_the_text_is_the_plans_with_its_notes():
    first = plan.task(1)
    assert first.text.startswith("大力开展“创业安徽”行动")
    assert first.text.endswith("（十大新兴产业推进组专班，各市人民政府按职责分工负责）")
    assert [p.and_others for p in first.parts] == [True, False, False]  # “……省地方金融监管局等”
    assert plan.task(12).parts[0].and_others  # “省生态环境厅等”
    assert plan.task(18).parts[0].responsible == "省发展民营经济领导小组成员单位，各市人民政府按职责分工负责"
    assert all(t.text.count("按职责分工负责") == len(t.parts) for t in plan.tasks())


def test_a_note_naming_an_unknown_unit_is_refused():
    with pytest.raises(plan.PlanDataError, match="省不存在厅"):
        plan.parse_note("省经济和信息化厅、省不存在厅按职责分工负责")
    with pytest.raises(plan.PlanDataError, match="按职责分工负责"):
        plan.parse_note("省经济和信息化厅负责")
