"""Region, department and emerging-industry reference data."""

from __future__ import annotations

import pytest

from zjtx.core import reference, regions

# criteria.md §2
CRITERIA_CITIES = {
    "340100": "合肥市",
    "340200": "芜湖市",
    "340300": "蚌埠市",
    "340400": "淮南市",
    "340500": "马鞍山市",
    "340600": "淮北市",
    "340700": "铜陵市",
    "340800": "安庆市",
    "341000": "黄山市",
    "341100": "滁州市",
    "341200": "阜阳市",
    "341300": "宿州市",
    "341500": "六安市",
    "341600": "亳州市",
    "341700": "池州市",
    "341800": "宣城市",
}


def test_sixteen_cities_as_in_criteria() -> None:
    assert len(regions.CITIES) == 16
    assert len({code for code, _ in regions.CITIES}) == 16
    assert dict(regions.CITIES) == CRITERIA_CITIES
    assert regions.city_name("340500") == "马鞍山市"


def test_county_codes() -> None:
    everything = regions.all_counties()
    codes = [code for code, _, _ in everything]
    assert len(codes) == len(set(codes)) == 104
    assert not set(codes) & set(CRITERIA_CITIES)
    for city_code, _ in regions.CITIES:
        rows = regions.counties(city_code)
        assert rows, city_code
        assert [c for c, _ in rows] == sorted(c for c, _ in rows)
        for code, name in rows:
            assert len(code) == 6
            assert code.isdigit()
            assert code[:4] == city_code[:4]
            assert code[4:] != "00"
            assert name[-1] in "区县市"
            assert regions.county_city(code) == city_code


def test_kinds_of_county_level_units() -> None:
    names = [name for _, name, _ in regions.all_counties()]
    cities = [n for n in names if n.endswith("市")]
    districts = [n for n in names if n.endswith("区")]
    assert len(cities) == 9
    assert len(districts) == 45
    assert len(names) - len(cities) - len(districts) == 50


def test_hefei() -> None:
    assert regions.counties("340100") == [
        ("340102", "瑶海区"),
        ("340103", "庐阳区"),
        ("340104", "蜀山区"),
        ("340111", "包河区"),
        ("340121", "长丰县"),
        ("340122", "肥东县"),
        ("340123", "肥西县"),
        ("340124", "庐江县"),
        ("340181", "巢湖市"),
    ]
    assert regions.county_city("340181") == "340100"
    assert regions.county_name("340210") == "湾沚区"


def test_unknown_codes() -> None:
    with pytest.raises(KeyError):
        regions.counties("340900")
    with pytest.raises(KeyError):
        regions.county_city("340208")  # 三山区, merged into 弋江区 in 2020


def test_gdp_weights() -> None:
    gdp = regions.city_gdp_2022()
    assert max(gdp, key=lambda code: gdp[code]) == "340100"
    assert gdp["340100"] == pytest.approx(12013.1)
    weights = regions.city_gdp_weights()
    assert set(weights) == set(CRITERIA_CITIES)
    assert sum(weights.values()) == pytest.approx(1.0)
    assert max(weights, key=lambda code: weights[code]) == "340100"
    assert all(w > 0 for w in weights.values())


def test_departments() -> None:
    names = {name for _, name in reference.DEPARTMENTS}
    required = {
        "省发展改革委",
        "省科技厅",
        "省经济和信息化厅",
        "省人力资源社会保障厅",
        "省地方金融监管局",
        "省教育厅",
        "省市场监管局",
        "省财政厅",
        "省国资委",
        "省自然资源厅",
        "省生态环境厅",
        "省司法厅",
        "省商务厅",
        "省税务局",
        "人行合肥中心支行",
        "安徽银保监局",
        "安徽证监局",
        "省投资集团公司",
        "国元金控集团公司",
        "十大新兴产业推进组专班",
        "省发展民营经济领导小组",
    }
    assert names == required
    codes = [code for code, _ in reference.DEPARTMENTS]
    assert len(codes) == len(set(codes))
    assert all(code.isascii() and code.replace("_", "").isalnum() for code in codes)
    assert reference.department_name("econ_it") == "省经济和信息化厅"
    assert reference.department_tasks("econ_it")[:3] == [1, 2, 3]


def test_emerging_industries() -> None:
    assert [name for _, name in reference.EMERGING_INDUSTRIES] == [
        "新一代信息技术",
        "人工智能",
        "新材料",
        "新能源和节能环保",
        "新能源汽车和智能网联汽车",
        "高端装备制造",
        "智能家电",
        "生命健康",
        "绿色食品",
        "数字创意",
    ]
    assert len({code for code, _ in reference.EMERGING_INDUSTRIES}) == 10
