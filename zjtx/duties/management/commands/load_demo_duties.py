"""`make run` step after `load_demo_services`: 调度 periods and reports for 任务分工."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zjtx.duties.demo import load_demo_duties


class Command(BaseCommand):
    help = "载入任务分工演示数据：开启最近三期调度，生成各状态的调度报告（含逾期）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2022)

    def handle(self, *args: Any, **options: Any) -> None:
        loaded = load_demo_duties(options["seed"])
        if loaded is None:
            self.stdout.write("已有调度期次（或尚无省级用户），不再生成任务分工演示数据。")
            return
        self.stdout.write(f"已开启三期调度，生成 {loaded} 份调度报告。")
