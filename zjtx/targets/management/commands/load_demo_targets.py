"""`make run` step after `load_demo_tiers`: the figures reported for the targets the system does not count."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zjtx.targets.demo import load_demo_targets


class Command(BaseCommand):
    help = "载入目标监测演示数据：2022年以来省、市填报的目标完成数和省级分解给各市的目标"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2022)

    def handle(self, *args: Any, **options: Any) -> None:
        loaded = load_demo_targets(options["seed"])
        if loaded is None:
            self.stdout.write("已有目标填报数，不再生成目标监测演示数据。")
            return
        self.stdout.write(f"已生成 {loaded:,} 条目标填报数（含分解目标）。")
