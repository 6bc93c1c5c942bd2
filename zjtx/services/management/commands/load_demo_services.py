"""`make run` step after `load_demo_tiers`: officers' coverage, visits and requests for 服务专员与诉求."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zjtx.services.demo import load_demo_services


class Command(BaseCommand):
    help = "载入服务专员演示数据：为各市专精特新企业配备服务专员，生成走访记录和各状态的企业诉求"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2022)

    def handle(self, *args: Any, **options: Any) -> None:
        loaded = load_demo_services(options["seed"])
        if loaded is None:
            self.stdout.write("已有企业诉求，不再生成服务专员演示数据。")
            return
        self.stdout.write(f"已为 {loaded.assigned:,} 家专精特新企业配备服务专员（{loaded.officers} 名），"
                          f"生成 {loaded.visits:,} 条走访记录和 {loaded.requests} 件企业诉求。")
