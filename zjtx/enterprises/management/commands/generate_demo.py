"""`python manage.py generate_demo --enterprises N --seed S`: a synthetic province (see demo_data)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from zjtx.enterprises import demo_data
from zjtx.enterprises.models import Enterprise


class Command(BaseCommand):
    help = "生成合成的演示企业库（16市企业、年度指标、梯度层级）；相同的 --seed 生成相同的数据"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enterprises", type=int, default=20000, help="生成的企业数")
        parser.add_argument("--seed", type=int, default=2022, help="随机种子")
        parser.add_argument("--years", type=int, default=3, help=f"指标年度数（截至 {demo_data.LAST_YEAR} 年，1–8）")
        parser.add_argument("--batch", type=int, default=200_000, help="每批写入的企业数")
        parser.add_argument("--append", action="store_true", help="企业库已有数据时仍追加生成")

    def handle(self, *args: Any, **options: Any) -> None:
        count, years = options["enterprises"], options["years"]
        if count <= 0:
            raise CommandError("企业数必须大于 0")
        if not 1 <= years <= 8:
            raise CommandError("指标年度数应在 1 到 8 之间")
        existing = Enterprise.objects.count()
        if existing and not options["append"]:
            raise CommandError(f"企业库中已有 {existing:,} 家企业，未生成演示数据。如确需追加，请加 --append 参数。")
        started = time.perf_counter()
        with tqdm(total=count, unit="家", unit_scale=True, desc="生成企业") as bar:
            loaded = demo_data.populate(count=count, seed=options["seed"], years=years, batch=options["batch"],
                                        on_progress=bar.update, on_stage=bar.set_postfix_str)
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(
            f"已生成 {loaded.enterprises:,} 家企业、{loaded.indicators:,} 条年度指标，用时 {elapsed:.1f} 秒。"))
