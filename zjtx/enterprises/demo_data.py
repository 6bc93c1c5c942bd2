"""A synthetic province for demos and benchmarks: enterprises, three years of indicators, ladder tiers.

Everything is drawn with NumPy on whole arrays and assembled with Polars, in blocks of BLOCK rows, each
block from its own generator seeded with (seed, block number). So the same seed gives the same province
whatever the batch size, and the first rows of a small province equal those of a large one.

Figures follow shared/reference/anhui-figures.md: cities weighted by 2022 GDP (合肥 with an extra
high-tech share), a median revenue of about 3,000万 with a long tail, ~35% in the 十大新兴产业, and ladder
shares that give a 25,000-enterprise province ~3,000 省级专精特新 (all rungs from 省级 up), ~500 小巨人,
~50 单项冠军, ~100 省冠军 and ~5,000 创新型. The size class is derived with sizing.add_size_class, never drawn.

Loading: PostgreSQL gets COPY (secondary indexes and constraints dropped and rebuilt for large loads);
SQLite, the `make run` database, gets executemany.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from statistics import NormalDist
from typing import Any

import numpy as np
import polars as pl
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from zjtx.core import creditcode, reference, regions
from zjtx.enterprises import listing, sizing
from zjtx.enterprises.models import Enterprise, Indicator, Tier

BLOCK = 10_000  # rows drawn from one seeded generator; batches are whole blocks
# The latest year whose annual figures are in: the year before this one, the data year the
# recognition rules read today (policy parameter criteria.data_year_lag = 1).  A fixed year left the
# demo without the year the rules read once the calendar moved on, and every condition on last
# year's figures showed 数据不足.
LAST_YEAR = date.today().year - 1
FIRST_FOUNDED, LAST_FOUNDED = date(1990, 1, 1), date(2023, 12, 31)
HEFEI = "340100"
MANUFACTURING = tuple(f"{d}" for d in range(13, 44))
# Share of each rung (the enterprise's highest); 省级专精特新 incl. higher rungs = 0.12 → 3,000 of 25,000.
TIER_SHARES: tuple[tuple[str, float], ...] = (
    (Tier.SINGLE_CHAMPION, 0.002),
    (Tier.LITTLE_GIANT, 0.020),
    (Tier.PROVINCIAL_CHAMPION, 0.004),
    (Tier.PROVINCIAL, 0.094),
    (Tier.INNOVATIVE, 0.200),
)
HEFEI_TIER_BONUS = 0.35  # added to Hefei's merit: it holds more of the ladder than its GDP share
EMERGING_SHARE = {"hefei": 0.52, "other": 0.30}  # → ~35% of the province
SERIAL_SPACE = 31**7  # the 7 free characters of the credit-code body
# Not a multiple of 31, so serial → body is a bijection of SERIAL_SPACE; small enough that
# SERIAL_SPACE * SERIAL_STEP fits in int64.
SERIAL_STEP = 48_271_523
SEED_SHIFT = 7_654_321

# ---- vocabularies -----------------------------------------------------------------------------------

# GB/T 4754 division → (weight outside Hefei, weight in Hefei, words for the name, main products, 新兴产业)
DIVISION_TABLE: dict[str, tuple[float, float, tuple[str, ...], tuple[str, ...], str]] = {
    "06": (0.3, 0.1, ("矿业",), ("洗精煤",), "new_energy_env"),
    "13": (4.0, 2.0, ("农产品", "粮油", "食品"), ("饲料", "精制大米", "食用植物油"), "green_food"),
    "14": (2.0, 1.5, ("食品", "生物科技"), ("烘焙食品", "调味品", "功能性食品"), "green_food"),
    "15": (1.5, 0.8, ("酒业", "茶业", "饮品"), ("白酒", "茶叶", "果汁饮料"), "green_food"),
    "17": (2.5, 1.0, ("纺织", "织造"), ("功能性面料", "纱线"), "new_materials"),
    "18": (2.0, 1.0, ("服饰", "制衣"), ("职业服装", "针织服装"), "digital_creative"),
    "19": (0.8, 0.3, ("皮革", "羽绒制品"), ("羽绒制品", "皮革制品"), "green_food"),
    "20": (1.5, 0.5, ("木业", "竹木制品"), ("竹木地板", "人造板"), "new_materials"),
    "21": (1.2, 0.8, ("家具", "家居"), ("办公家具", "定制家居"), "smart_appliances"),
    "22": (1.2, 0.6, ("纸业", "包装"), ("瓦楞纸箱", "特种纸"), "new_materials"),
    "23": (1.0, 0.8, ("印务", "包装印刷"), ("包装印刷品",), "digital_creative"),
    "24": (1.0, 0.6, ("文体用品", "工艺品"), ("体育器材", "文具"), "digital_creative"),
    "25": (0.4, 0.2, ("化工能源",), ("针状焦", "燃料油"), "new_energy_env"),
    "26": (5.0, 3.5, ("化工", "新材料", "精细化工"), ("涂料", "电子化学品", "农药中间体"), "new_materials"),
    "27": (2.5, 4.0, ("药业", "生物医药", "医疗科技"), ("中成药", "原料药", "生物制剂"), "life_health"),
    "28": (0.4, 0.2, ("化纤",), ("涤纶长丝", "功能纤维"), "new_materials"),
    "29": (5.0, 3.0, ("塑业", "橡胶制品", "高分子材料"), ("汽车密封件", "工程塑料制品"), "new_materials"),
    "30": (6.0, 3.0, ("建材", "玻璃", "陶瓷"), ("光伏玻璃", "新型墙材", "特种陶瓷"), "new_materials"),
    "31": (0.8, 0.3, ("钢铁", "特钢"), ("特种钢材",), "new_materials"),
    "32": (2.0, 1.0, ("铜业", "铝业", "新材料"), ("铜箔", "铝型材", "铜基合金"), "new_materials"),
    "33": (6.0, 3.5, ("金属制品", "五金", "精密制造"), ("精密铸件", "紧固件", "金属结构件"), "new_materials"),
    "34": (8.0, 7.0, ("机械", "动力", "精工"), ("工业泵", "精密轴承", "液压元件", "减速器"), "high_end_equipment"),
    "35": (7.0, 8.0, ("装备", "机械设备", "智能装备"), ("工业机器人", "数控机床", "包装机械", "农业机械"),
           "high_end_equipment"),
    "36": (5.0, 7.0, ("汽车零部件", "汽车科技"), ("新能源汽车电驱系统", "汽车座椅", "制动系统"), "nev_icv"),
    "37": (1.0, 1.5, ("航空科技", "轨道装备", "船舶"), ("轨道交通部件", "无人机", "船用设备"), "high_end_equipment"),
    "38": (8.0, 12.0, ("电气", "电器", "新能源科技"), ("锂电池", "光伏组件", "智能家电", "电线电缆"),
           "new_energy_env"),
    "39": (6.0, 16.0, ("电子", "光电科技", "半导体", "信息科技"), ("集成电路", "显示模组", "传感器", "光通信模块"),
           "next_gen_it"),
    "40": (2.0, 4.0, ("仪器仪表", "检测技术", "智能仪器"), ("智能电表", "分析仪器", "工业传感器"),
           "high_end_equipment"),
    "41": (0.5, 0.3, ("工艺制品",), ("工艺制品",), "digital_creative"),
    "42": (0.5, 0.4, ("再生资源", "环保科技"), ("再生铜", "再生塑料颗粒"), "new_energy_env"),
    "43": (0.3, 0.3, ("设备维修", "机电工程"), ("设备维修服务",), "high_end_equipment"),
    "44": (1.0, 0.8, ("能源", "电力"), ("光伏发电", "热电联产"), "new_energy_env"),
    "48": (1.0, 0.8, ("建设工程",), ("市政工程",), "new_energy_env"),
    "51": (4.0, 3.5, ("贸易", "供应链", "商贸"), ("工业品分销", "进出口贸易"), "green_food"),
    "64": (0.8, 2.5, ("网络科技", "互联网科技"), ("工业互联网平台", "电商平台"), "next_gen_it"),
    "65": (5.0, 14.0, ("软件", "信息技术", "数字科技", "智能科技"), ("工业软件", "智慧城市系统", "人工智能平台"),
           "ai"),
    "73": (0.5, 1.5, ("技术研究",), ("研发服务",), "ai"),
    "74": (0.8, 1.2, ("检测", "工程技术"), ("检验检测服务",), "new_energy_env"),
    "75": (1.2, 2.5, ("科技", "技术服务"), ("技术推广服务",), "digital_creative"),
}
SYLLABLES = tuple(
    "华瑞恒德盛鑫泰康宏远通达丰源嘉隆兴祥和信诚安邦创力博睿智捷凯晟昊峰辰宇航天海江淮皖徽明光正方元中金"
    "伟豪俊卓越宝利福乐美佳汇聚众合联同融展腾飞翔舜禹尧汉唐楚吴春秋晨阳星月云霖泽润清溢涵锦绣弘毅坤乾鼎"
    "尚品精工匠铭恩怡悦欣荣昌顺益旺奥迈特维普拓芯讯数科新亿万国富强振东南北西山川湖蓝天成永长久"
)
SURNAMES = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任汪方")
GIVEN = tuple("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍红燕鹏辉建国文斌宇浩凯俊帆然欣怡婷雪琳晨阳博宁坤晶")
AREA_CODES = {"340100": "0551", "340200": "0553", "340300": "0552", "340400": "0554", "340500": "0555",
              "340600": "0561", "340700": "0562", "340800": "0556", "341000": "0559", "341100": "0550",
              "341200": "0558", "341300": "0557", "341500": "0564", "341600": "0558", "341700": "0566",
              "341800": "0563"}


@dataclass(frozen=True)
class Batch:
    """Rows of a province. `row` is each enterprise's 0-based position in the province (ids come later)."""

    enterprises: pl.DataFrame
    indicators: pl.DataFrame


# ---- drawing -----------------------------------------------------------------------------------------


def years_for(count: int) -> list[int]:
    return list(range(LAST_YEAR - count + 1, LAST_YEAR + 1))


def batches(seed: int, count: int, *, years: int = 3, batch: int = 200_000, first_row: int = 0) -> Iterator[Batch]:
    """Rows first_row … first_row + count − 1 of the province, in batches of about `batch` rows.

    Row r is the same enterprise whatever the batch size or first_row, so appending rows 20,000… to a
    registry generated with the same seed gives what one larger run would have given.
    """
    per_batch = max(BLOCK, batch // BLOCK * BLOCK)
    start, end = first_row, first_row + count
    while start < end:
        stop = min(start // BLOCK * BLOCK + per_batch, end)
        blocks = [_block(seed, n, years_for(years)) for n in range(start // BLOCK, -(-stop // BLOCK))]
        yield _slice(Batch(pl.concat([b.enterprises for b in blocks]), pl.concat([b.indicators for b in blocks])),
                     start, stop)
        start = stop


def generate(seed: int, count: int, *, years: int = 3, first_row: int = 0) -> Batch:
    """The whole province at once (tests, benchmark files)."""
    parts = list(batches(seed, count, years=years, batch=max(count, BLOCK), first_row=first_row))
    return Batch(pl.concat([p.enterprises for p in parts]), pl.concat([p.indicators for p in parts]))


def _slice(b: Batch, start: int, stop: int) -> Batch:
    keep = pl.col("row").is_between(start, stop - 1)
    return Batch(b.enterprises.filter(keep), b.indicators.filter(keep))


def _block(seed: int, number: int, years: list[int]) -> Batch:
    rng = np.random.default_rng([seed, number])
    rows = np.arange(number * BLOCK, (number + 1) * BLOCK, dtype=np.int64)
    place = _draw_place(rng)
    firm = _draw_firm(rng, place)
    yearly = _draw_years(rng, firm, len(years))
    tiers = _draw_tiers(rng, firm, place)
    enterprises = _enterprise_frame(rng, seed, rows, place, firm, tiers)
    indicators = _indicator_frame(rng, rows, years, place["division"], yearly, tiers)
    return _with_size_class(enterprises, indicators)


def _draw_place(rng: np.random.Generator) -> dict[str, np.ndarray]:
    weights = regions.city_gdp_weights()
    city_codes = np.array(list(weights))
    city = city_codes[rng.choice(len(city_codes), size=BLOCK, p=np.array(list(weights.values())))]
    county = np.empty(BLOCK, dtype="<U6")
    pick = rng.random(BLOCK)
    for code in city_codes:
        mask = city == code
        counties, cumulative = _county_weights(code)
        county[mask] = counties[np.searchsorted(cumulative, pick[mask], side="right")]
    hefei = city == HEFEI
    divisions, p_other, p_hefei = _division_weights()
    division = np.where(hefei, divisions[rng.choice(len(divisions), size=BLOCK, p=p_hefei)],
                        divisions[rng.choice(len(divisions), size=BLOCK, p=p_other)])
    return {"city": city, "county": county, "hefei": hefei, "division": division}


@cache
def _county_weights(city: str) -> tuple[np.ndarray, np.ndarray]:
    """Counties of a city and their cumulative weights: urban districts (xx01–xx20) weigh 1.5, others 1."""
    codes = np.array([code for code, _ in regions.counties(city)])
    weights = np.array([1.5 if int(code[4:]) <= 20 else 1.0 for code in codes])
    cumulative = np.cumsum(weights) / weights.sum()
    cumulative[-1] = 1.0 + 1e-9  # searchsorted must never run past the last county
    return codes, cumulative


@cache
def _division_weights() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    codes = np.array(list(DIVISION_TABLE))
    other = np.array([row[0] for row in DIVISION_TABLE.values()])
    hefei = np.array([row[1] for row in DIVISION_TABLE.values()])
    return codes, other / other.sum(), hefei / hefei.sum()


def _draw_firm(rng: np.random.Generator, place: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """What stays with an enterprise across years: its scale, R&D habit, margins, balance sheet."""
    software = np.isin(place["division"], ("64", "65"))
    z_revenue, z_rd = rng.standard_normal(BLOCK), rng.standard_normal(BLOCK)
    rd_boost = np.where(place["hefei"], 1.3, 1.0) * np.where(software, 1.8, 1.0)
    return {
        "z_revenue": z_revenue,
        "z_rd": z_rd,
        "revenue": np.exp(np.log(3000.0) + 1.2 * z_revenue),
        "rd_ratio": np.clip(0.03 * np.exp(0.75 * z_rd) * rd_boost, 0.001, 0.35),
        "growth": rng.normal(0.075, 0.07, BLOCK),
        "margin": rng.normal(0.05, 0.04, BLOCK),
        "main_share": 0.6 + 0.4 * rng.beta(2.5, 1.0, BLOCK),
        "productivity": np.exp(rng.normal(np.log(np.where(software, 35.0, 60.0)), 0.45)),
        "asset_ratio": np.exp(rng.normal(0.0, 0.4, BLOCK)),
        "debt_ratio": rng.beta(4.0, 4.5, BLOCK),
        "market_share": np.clip(np.exp(rng.normal(np.log(1.5), 1.0, BLOCK)), 0.01, 80.0),
        "exporter": rng.random(BLOCK) < 0.25,
        "export_share": rng.uniform(0.03, 0.4, BLOCK),
        "manufacturing": np.isin(place["division"], MANUFACTURING),
    }


def _draw_years(rng: np.random.Generator, firm: dict[str, np.ndarray], count: int) -> dict[str, np.ndarray]:
    """Each year is the previous one times a growth drawn around the firm's own trend (+7.5% on average)."""
    shape = (count, BLOCK)
    growth = np.exp(firm["growth"] + rng.normal(0.0, 0.12, shape))
    growth[0] = 1.0
    revenue = firm["revenue"] * np.cumprod(growth, axis=0)
    rd_ratio = np.clip(firm["rd_ratio"] * np.exp(rng.normal(0.0, 0.15, shape)), 0.0005, 0.4)
    employees = np.maximum(3, np.round(revenue / firm["productivity"] * np.exp(rng.normal(0, 0.05, shape))))
    rd_share = np.clip(0.04 + 2.5 * rd_ratio + rng.normal(0.0, 0.03, shape), 0.01, 0.8)
    ip_rate = 0.3 + 60.0 * firm["rd_ratio"] * (firm["revenue"] / 3000.0) ** 0.25
    ip_new = rng.poisson(np.broadcast_to(ip_rate * 0.4, shape))
    ip_new[0] = rng.poisson(ip_rate * 2.0)
    assets = revenue * firm["asset_ratio"] * np.exp(rng.normal(0.0, 0.05, shape))
    return {
        "revenue": revenue,
        "main_revenue": revenue * np.clip(firm["main_share"] + rng.normal(0.0, 0.02, shape), 0.5, 1.0),
        "rd_expense": revenue * rd_ratio,
        "employees": employees,
        "rd_staff": np.floor(employees * rd_share),
        "net_profit": revenue * (firm["margin"] + rng.normal(0.0, 0.025, shape)),
        "total_assets": assets,
        "total_liabilities": assets * np.clip(firm["debt_ratio"] + rng.normal(0.0, 0.03, shape), 0.02, 0.98),
        "ip_i_count": np.cumsum(ip_new, axis=0),
        "market_share": np.clip(firm["market_share"] * np.exp(rng.normal(0.0, 0.08, shape)), 0.01, 100.0),
        "financing": np.where(rng.random(shape) < 0.08, np.exp(rng.normal(np.log(800.0), 1.0, shape)), 0.0),
        "export": np.where(firm["exporter"], revenue * firm["export_share"] * rng.uniform(0.8, 1.2, shape), 0.0),
    }


def _draw_tiers(rng: np.random.Generator, firm: dict[str, np.ndarray], place: dict[str, np.ndarray]) -> np.ndarray:
    """Rung of each enterprise, by a merit that favours R&D and revenue, plus noise so that it is no strict rank."""
    merit = 0.55 * firm["z_revenue"] + 0.85 * firm["z_rd"] + 0.5 * rng.standard_normal(BLOCK)
    merit += np.where(place["hefei"], HEFEI_TIER_BONUS, 0.0)
    cuts = _tier_cutoffs()
    tier = np.full(BLOCK, "", dtype="<U24")
    for (name, _), cut in reversed(list(zip(TIER_SHARES, cuts, strict=True))):
        tier[merit > cut] = name
    # 单项冠军 are manufacturers; a service firm above that cut is a 小巨人 instead.
    tier[(tier == Tier.SINGLE_CHAMPION) & ~firm["manufacturing"]] = Tier.LITTLE_GIANT
    return tier


@cache
def _tier_cutoffs() -> tuple[float, ...]:
    """Merit cut-offs giving TIER_SHARES in expectation (the merit is a mix of two normals: Hefei and the rest)."""
    hefei_share = regions.city_gdp_weights()[HEFEI]
    spread = float(np.sqrt(0.55**2 + 0.85**2 + 0.5**2))
    _, p_other, p_hefei = _division_weights()
    manufacturing = np.isin(np.array(list(DIVISION_TABLE)), MANUFACTURING)
    manuf_share = hefei_share * p_hefei[manufacturing].sum() + (1 - hefei_share) * p_other[manufacturing].sum()
    cumulative, cuts = 0.0, []
    for name, share in TIER_SHARES:
        cumulative += share
        target = share / manuf_share if name == Tier.SINGLE_CHAMPION else cumulative
        cuts.append(_mixture_quantile(target, hefei_share, spread))
    return tuple(cuts)


def _mixture_quantile(upper_share: float, hefei_share: float, spread: float) -> float:
    """The merit above which `upper_share` of enterprises lie (bisection on the mixture's tail)."""
    unit = NormalDist()

    def tail(cut: float) -> float:
        return (hefei_share * (1 - unit.cdf((cut - HEFEI_TIER_BONUS) / spread))
                + (1 - hefei_share) * (1 - unit.cdf(cut / spread)))

    low, high = -10.0, 10.0
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if tail(middle) > upper_share else (low, middle)
    return (low + high) / 2


# ---- assembling frames -------------------------------------------------------------------------------


def _pick(values: Sequence[str], index: np.ndarray) -> pl.Series:
    return pl.Series(values, dtype=pl.String).gather(index)


def _concat(parts: list[pl.Series]) -> pl.Series:
    return pl.select(pl.concat_str(parts)).to_series()


def _enterprise_frame(rng: np.random.Generator, seed: int, rows: np.ndarray, place: dict[str, np.ndarray],
                      firm: dict[str, np.ndarray], tiers: np.ndarray) -> pl.DataFrame:
    founded = _draw_founded(rng)
    division = place["division"]
    industry = np.where(rng.random(BLOCK) < 0.6,
                        np.char.add(division, np.char.add(rng.integers(1, 10, BLOCK).astype("<U1"),
                                                          rng.integers(0, 10, BLOCK).astype("<U1"))),
                        division)
    capital = np.maximum(10.0, np.round(firm["revenue"] * np.exp(rng.normal(np.log(0.3), 0.8, BLOCK)), -1))
    return pl.DataFrame({
        "row": rows,
        # The seed shifts the serials too, so that two seeds give different codes for the same rows.
        "credit_code": credit_codes(rng, place, founded, rows + seed * SEED_SHIFT),
        "name": company_names(rng, place["city"], division, tiers),
        "city_code": place["city"],
        "county_code": place["county"],
        "founded_on": pl.Series(founded.astype("datetime64[D]")),
        "industry_code": industry,
        "industry_division": division,
        "emerging_industry": _emerging(rng, place),
        "registered_capital": capital,
        "contact_name": contact_names(rng),
        "contact_phone": phones(rng, place["city"]),
        "tier": tiers,
    })


def _draw_founded(rng: np.random.Generator) -> np.ndarray:
    """Founding dates 1990–2023, skewed toward recent years (Beta(2.2, 1.3) over the span)."""
    span = (LAST_FOUNDED - FIRST_FOUNDED).days
    days = np.floor(rng.beta(2.2, 1.3, BLOCK) * span).astype(np.int64)
    return np.datetime64(FIRST_FOUNDED.isoformat(), "D") + days


def credit_codes(rng: np.random.Generator, place: dict[str, np.ndarray], founded: np.ndarray,
                 serials: np.ndarray) -> pl.Series:
    """Valid, unique 统一社会信用代码: '91' + division of the registering authority + body + check character.

    The body's last 7 characters encode the serial through a bijection, so distinct serials never collide;
    its first two are 'MA' for firms registered since 2015 (new-style codes), else an old organisation-code
    prefix. Registered at the county authority for 80%, at the city for the rest.
    """
    n = len(serials)
    division = np.where(rng.random(n) < 0.8, place["county"][:n], place["city"][:n])
    values = np.zeros((n, 17), dtype=np.int64)
    values[:, 0], values[:, 1] = 9, 1
    values[:, 2:8] = np.frombuffer("".join(division).encode(), dtype=np.uint8).reshape(n, 6) - ord("0")
    new_style = founded[:n] >= np.datetime64("2015-01-01")
    values[:, 8] = np.where(new_style, creditcode.VALUES["M"], rng.integers(5, 8, n))
    values[:, 9] = np.where(new_style, creditcode.VALUES["A"], rng.integers(0, 10, n))
    scrambled = ((serials.astype(np.int64) % SERIAL_SPACE) * SERIAL_STEP + 977) % SERIAL_SPACE
    for position in range(16, 9, -1):
        values[:, position] = scrambled % 31
        scrambled //= 31
    check = (31 - (values @ np.array(creditcode.WEIGHTS)) % 31) % 31
    alphabet = np.frombuffer(creditcode.ALPHABET.encode(), dtype=np.uint8)
    chars = alphabet[np.concatenate([values, check[:, None]], axis=1)]
    return pl.Series(np.ascontiguousarray(chars).view("S18").ravel()).cast(pl.String)


def company_names(rng: np.random.Generator, city: np.ndarray, division: np.ndarray, tiers: np.ndarray) -> pl.Series:
    """城市简称 (or 安徽) + two-syllable 字号 + 行业词 + 有限公司 / 股份有限公司."""
    n = len(city)
    short = {code: name.removesuffix("市") for code, name in regions.CITIES}
    prefix = np.where(rng.random(n) < 0.1, "安徽", np.vectorize(short.__getitem__, otypes=["<U4"])(city))
    listed = (tiers != "") & (rng.random(n) < 0.35) | (rng.random(n) < 0.08)
    return _concat([
        pl.Series(prefix),
        _pick(SYLLABLES, rng.integers(0, len(SYLLABLES), n)),
        _pick(SYLLABLES, rng.integers(0, len(SYLLABLES), n)),
        _by_division(rng, division, 2),
        pl.Series(np.where(listed, "股份有限公司", "有限公司")),
    ])


def _by_division(rng: np.random.Generator, division: np.ndarray, column: int) -> pl.Series:
    """One of the division's words (column 2 of DIVISION_TABLE) or products (column 3), uniformly."""
    words, offsets, lengths = _division_vocabulary(column)
    at = _division_index(division)
    return _pick(words, offsets[at] + np.floor(rng.random(len(division)) * lengths[at]).astype(np.int64))


@cache
def _division_vocabulary(column: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    lists: list[tuple[str, ...]] = [row[column] for row in DIVISION_TABLE.values()]  # type: ignore[misc]
    lengths = np.array([len(items) for items in lists])
    return [w for items in lists for w in items], np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths


def _division_index(division: np.ndarray) -> np.ndarray:
    codes = np.array(list(DIVISION_TABLE))
    order = np.argsort(codes)
    return order[np.searchsorted(codes[order], division)]


def _emerging(rng: np.random.Generator, place: dict[str, np.ndarray]) -> np.ndarray:
    """十大新兴产业 for ~35% (more in Hefei): mostly the one the division belongs to, sometimes another."""
    codes = np.array([code for code, _ in reference.EMERGING_INDUSTRIES])
    own = np.array([row[4] for row in DIVISION_TABLE.values()])[_division_index(place["division"])]
    tagged = rng.random(BLOCK) < np.where(place["hefei"], EMERGING_SHARE["hefei"], EMERGING_SHARE["other"])
    chosen = np.where(rng.random(BLOCK) < 0.75, own, codes[rng.integers(0, len(codes), BLOCK)])
    return np.where(tagged, chosen, "")


def contact_names(rng: np.random.Generator) -> pl.Series:
    n = BLOCK
    second = _pick(GIVEN, rng.integers(0, len(GIVEN), n))
    second = pl.select(pl.when(pl.Series(rng.random(n) < 0.6)).then(second).otherwise(pl.lit(""))).to_series()
    return _concat([_pick(SURNAMES, rng.integers(0, len(SURNAMES), n)),
                          _pick(GIVEN, rng.integers(0, len(GIVEN), n)), second])


def phones(rng: np.random.Generator, city: np.ndarray) -> pl.Series:
    """Mobile numbers for 60%, landlines with the city's area code for the rest."""
    n = len(city)
    mobile = pl.concat_str([pl.Series(np.char.add("1", rng.choice(np.array(list("3589")), n))),
                            pl.Series(rng.integers(0, 10**9, n)).cast(pl.String).str.zfill(9)])
    landline = pl.concat_str([pl.Series(np.vectorize(AREA_CODES.__getitem__, otypes=["<U4"])(city)), pl.lit("-"),
                              pl.Series(rng.integers(5, 7, n)).cast(pl.String),
                              pl.Series(rng.integers(0, 10**7, n)).cast(pl.String).str.zfill(7)])
    is_mobile = pl.Series(rng.random(n) < 0.6)
    return pl.select(pl.when(is_mobile).then(mobile).otherwise(landline)).to_series().alias("contact_phone")


def _indicator_frame(rng: np.random.Generator, rows: np.ndarray, years: list[int], division: np.ndarray,
                     yearly: dict[str, np.ndarray], tiers: np.ndarray) -> pl.DataFrame:
    count = len(years)
    share = _tiered_market_share(rng, yearly["market_share"], tiers)
    money = ("revenue", "main_revenue", "rd_expense", "net_profit", "total_assets", "total_liabilities",
             "financing", "export")
    columns: dict[str, Any] = {
        "row": np.tile(rows, count),
        "year": np.repeat(np.array(years, dtype=np.int64), BLOCK),
        **{name: np.round(yearly[name].ravel(), 2) for name in money},
        "employees": yearly["employees"].ravel().astype(np.int64),
        "rd_staff": yearly["rd_staff"].ravel().astype(np.int64),
        "ip_i_count": yearly["ip_i_count"].ravel().astype(np.int64),
        "market_share": np.round(share.ravel(), 2),
        "main_product": pl.concat([_by_division(rng, division, 3)] * count),
    }
    return pl.DataFrame(columns).sort("row", "year")


def _tiered_market_share(rng: np.random.Generator, share: np.ndarray, tiers: np.ndarray) -> np.ndarray:
    """National rungs lead their niche (小巨人 ≥ 10%, 单项冠军 ≥ 15%), 省冠军 ≥ 5%."""
    floor = np.select([tiers == Tier.SINGLE_CHAMPION, tiers == Tier.LITTLE_GIANT, tiers == Tier.PROVINCIAL_CHAMPION],
                      [rng.uniform(15, 50, BLOCK), rng.uniform(10, 35, BLOCK), rng.uniform(5, 20, BLOCK)], 0.0)
    return np.clip(np.maximum(share, floor), 0.01, 100.0)


def _with_size_class(enterprises: pl.DataFrame, indicators: pl.DataFrame) -> Batch:
    """Size class of every indicator row by the 划型 rules; the enterprise takes its latest year's."""
    sized = sizing.add_size_class(indicators.join(enterprises.select("row", "industry_code"), on="row"),
                                  "industry_code", "employees", "revenue", "total_assets")
    sized = sized.drop("industry_code").with_columns(pl.col("size_class").fill_null(""))
    latest = sized.filter(pl.col("year") == pl.col("year").max()).select(
        "row", "size_class", pl.col("year").alias("size_year"))
    return Batch(enterprises.join(latest, on="row", how="left", maintain_order="left"), sized)


# ---- loading -----------------------------------------------------------------------------------------

BULK_FROM = 100_000  # from this many enterprises on, PostgreSQL loads without secondary indexes
Progress = Callable[[int], None]
Stage = Callable[[str], None]


@dataclass
class Loaded:
    enterprises: int = 0
    indicators: int = 0


def populate(*, count: int, seed: int, years: int = 3, batch: int = 200_000, on_progress: Progress | None = None,
             on_stage: Stage | None = None) -> Loaded:
    """Generate `count` enterprises and write them after whatever the registry holds, in one transaction."""
    postgres = connection.vendor == "postgresql"
    with transaction.atomic():
        start = _starting_points()
        dropped = drop_secondary(["enterprises_enterprise", "enterprises_indicator"]) if (
            postgres and count >= BULK_FROM) else []
        loaded = _load(batches(seed, count, years=years, batch=batch, first_row=start.existing), start, years,
                       reserve=start.existing + count + seed * SEED_SHIFT, on_progress=on_progress)
        if dropped and on_stage:
            on_stage("重建索引与约束")
        recreate(dropped)
        _fill_list_entries(bulk=bool(dropped), on_stage=on_stage)
        _reset_sequences()
    if postgres:
        _analyze(on_stage)
    return loaded


def _load(parts: Iterator[Batch], start: Start, years: int, *, reserve: int, on_progress: Progress | None) -> Loaded:
    loaded, stamp = Loaded(), _now_value()
    taken = _stored_codes() if start.existing else None
    for part in parts:
        part = _with_ids(part, start, years)
        if taken is not None:
            part = _avoid(part, taken, reserve=reserve)
        _write(Enterprise, part.enterprises.drop("row"), stamp)
        _write(Indicator, part.indicators.drop("row"), stamp)
        loaded.enterprises += part.enterprises.height
        loaded.indicators += part.indicators.height
        if on_progress:
            on_progress(part.enterprises.height)
    return loaded


@dataclass(frozen=True)
class Start:
    existing: int  # enterprises already stored: this run generates the rows after them
    enterprise_id: int
    indicator_id: int


def _starting_points() -> Start:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*), coalesce(max(id), 0) FROM enterprises_enterprise")
        existing, max_enterprise = cur.fetchone()
        cur.execute("SELECT coalesce(max(id), 0) FROM enterprises_indicator")
        (max_indicator,) = cur.fetchone()
    return Start(int(existing), int(max_enterprise) + 1, int(max_indicator) + 1)


def _with_ids(part: Batch, start: Start, years: int) -> Batch:
    """Ids follow the stored ones; an enterprise's indicators take `years` consecutive ids."""
    position = pl.col("row") - start.existing
    enterprises = part.enterprises.with_columns((position + start.enterprise_id).alias("id"))
    indicators = part.indicators.with_columns(
        (position + start.enterprise_id).alias("enterprise_id"),
        (start.indicator_id + position * years + pl.col("year") - (LAST_YEAR - years + 1)).alias("id"),
    )
    return Batch(enterprises, indicators)


def _stored_codes() -> pl.Series:
    """Every credit code in the registry, read once before an append (the unique index may be dropped later)."""
    with connection.cursor() as cur:
        cur.execute("SELECT credit_code FROM enterprises_enterprise")
        return pl.Series("credit_code", [code for (code,) in cur.fetchall()], dtype=pl.String)


def _avoid(part: Batch, taken: pl.Series, *, reserve: int) -> Batch:
    """Give fresh serials (from `reserve` on, past this run's own) to the rare codes the registry already has."""
    enterprises = part.enterprises
    for attempt in range(1, 6):
        clash = enterprises["credit_code"].is_in(taken.implode())
        if not clash.any():
            return Batch(enterprises, part.indicators)
        fresh = _recode(enterprises.filter(clash), reserve * attempt)
        enterprises = enterprises.with_columns(
            pl.when(clash).then(pl.col("row").replace_strict(fresh, default=None, return_dtype=pl.String))
            .otherwise(pl.col("credit_code")).alias("credit_code"))
    raise RuntimeError("演示数据的信用代码与企业库反复冲突，请换一个 --seed 重试")


def _recode(clashing: pl.DataFrame, reserve: int) -> dict[int, str]:
    rows = clashing["row"].to_numpy()
    place = {"county": clashing["county_code"].to_numpy().astype("<U6"),
             "city": clashing["city_code"].to_numpy().astype("<U6")}
    founded = clashing["founded_on"].to_numpy().astype("datetime64[D]")
    codes = credit_codes(np.random.default_rng(reserve), place, founded, reserve + rows)
    return dict(zip(rows.tolist(), codes.to_list(), strict=True))


def _now_value() -> str:
    return str(connection.ops.adapt_datetimefield_value(timezone.now()))


def _table_frame(model: type[models.Model], frame: pl.DataFrame, stamp: str) -> pl.DataFrame:
    """`frame` with every other column of the model's table filled with its default, in table order."""
    columns = []
    for field in model._meta.concrete_fields:
        name = field.column
        if name in frame.columns:
            columns.append(pl.col(name))
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            columns.append(pl.lit(stamp).alias(name))
        elif field.has_default():
            columns.append(pl.lit(field.get_default()).alias(name))
        elif field.null:
            columns.append(pl.lit(None, dtype=pl.String).alias(name))
        else:
            raise RuntimeError(f"{model.__name__}.{field.name} 是必填字段，演示数据生成器尚未填写它")
    return frame.select(columns)


def _write(model: type[models.Model], frame: pl.DataFrame, stamp: str) -> None:
    table = _table_frame(model, frame, stamp)
    if connection.vendor == "postgresql":
        _copy(model._meta.db_table, table)
    else:
        _insert_many(model._meta.db_table, table)


def _copy(table: str, frame: pl.DataFrame) -> None:
    buffer = io.BytesIO()
    # CSV: an unquoted empty field is NULL, a quoted "" is the empty string, which is what Polars writes.
    frame.write_csv(buffer, include_header=False, null_value="")
    names = ", ".join(connection.ops.quote_name(c) for c in frame.columns)
    with connection.cursor() as cur, cur.cursor.copy(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
        copy.write(buffer.getbuffer())


def _insert_many(table: str, frame: pl.DataFrame) -> None:
    frame = frame.with_columns(pl.col(pl.Date).cast(pl.String))
    names = ", ".join(connection.ops.quote_name(c) for c in frame.columns)
    marks = ", ".join(["%s"] * frame.width)
    with connection.cursor() as cur:
        cur.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", frame.rows())


# ---- PostgreSQL: secondary indexes and constraints ---------------------------------------------------


@dataclass(frozen=True)
class Dropped:
    table: str
    name: str
    definition: str  # CREATE INDEX statement, or the constraint definition for ALTER TABLE ADD CONSTRAINT
    is_constraint: bool


def drop_secondary(tables: list[str]) -> list[Dropped]:
    """Drop the tables' indexes, unique and foreign-key constraints (not primary keys, and not a unique
    constraint another table's foreign key relies on), remembering their exact definitions."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "WHERE c.conrelid = ANY(%s::regclass[]) AND (c.contype = 'f' OR (c.contype = 'u' AND NOT EXISTS ("
            "SELECT 1 FROM pg_constraint d WHERE d.contype = 'f' AND d.conindid = c.conindid))) "
            "ORDER BY c.contype", [tables])  # 'f' before 'u': drop foreign keys first
        constraints = [Dropped(t, n, d, True) for t, n, d in cur.fetchall()]
        for item in constraints:
            cur.execute(f'ALTER TABLE {item.table} DROP CONSTRAINT "{item.name}"')
        cur.execute(
            "SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
            "AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
            "WHERE c.conindid = format('%%I.%%I', i.schemaname, i.indexname)::regclass)", [tables])
        indexes = [Dropped(t, n, d, False) for t, n, d in cur.fetchall()]
        for item in indexes:
            cur.execute(f'DROP INDEX "{item.name}"')
    return indexes + constraints[::-1]  # rebuild: indexes, unique constraints, then foreign keys


def recreate(dropped: list[Dropped]) -> None:
    with connection.cursor() as cur:
        for item in dropped:
            if item.is_constraint:
                cur.execute(f'ALTER TABLE {item.table} ADD CONSTRAINT "{item.name}" {item.definition}')
            else:
                cur.execute(item.definition)


def _fill_list_entries(*, bulk: bool, on_stage: Stage | None) -> None:
    """The list entries of the new rows; in bulk their indexes are dropped first and rebuilt after."""
    if on_stage:
        on_stage("生成企业列表条目")
    dropped = drop_secondary([listing.TABLE]) if bulk else []
    listing.refresh_where("NOT EXISTS (SELECT 1 FROM enterprises_listentry l WHERE l.id = e.id)")
    recreate(dropped)


def _reset_sequences() -> None:
    with connection.cursor() as cur:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Enterprise, Indicator]):
            cur.execute(sql)


def _analyze(on_stage: Stage | None) -> None:
    """Fresh statistics for the planner; outside a transaction also VACUUM, which sets the visibility map
    so that the list's counts can use index-only scans from the first request on."""
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    if on_stage:
        on_stage(f"更新统计信息（{command}）")
    with connection.cursor() as cur:
        cur.execute(f"{command} enterprises_enterprise")
        cur.execute(f"{command} enterprises_indicator")
        cur.execute(f"{command} {listing.TABLE}")
