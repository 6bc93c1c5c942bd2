"""`make run` step after `load_demo`: the recognitions behind the demo's tiers and one open batch."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zjtx.tiers.demo import load_demo_tiers


class Command(BaseCommand):
    help = "载入梯度培育演示数据：为企业库中已有层级的企业生成认定记录，开设一个申报批次并由演示企业提交申报"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2022)

    def handle(self, *args: Any, **options: Any) -> None:
        loaded = load_demo_tiers(options["seed"])
        if loaded is None:
            self.stdout.write("已有认定记录，不再生成梯度培育演示数据。")
            return
        self.stdout.write(f"已生成 {loaded.recognitions:,} 项认定记录。")
        if loaded.batch is not None:
            code = loaded.application_enterprise
            applied = f"，演示企业 {code} 已提交申报，待市级审核" if code else ""
            self.stdout.write(f"已开设申报批次《{loaded.batch.title}》{applied}。")
