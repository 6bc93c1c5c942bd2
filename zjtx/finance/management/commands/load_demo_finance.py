"""`make run` step after `load_demo_services`: partner banks, pushed lists, loans, receivables, listing reserve."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zjtx.finance.demo import load_demo_finance


class Command(BaseCommand):
    help = "载入金融服务演示数据：合作银行、推送名单、贷款、应收账款确权请求和上市后备资源库"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2022)

    def handle(self, *args: Any, **options: Any) -> None:
        loaded = load_demo_finance(options["seed"])
        if loaded is None:
            self.stdout.write("已有推送名单（或还没有省级账号），不再生成金融服务演示数据。")
            return
        self.stdout.write(f"已推送 {loaded.lists} 份名单（共 {loaded.listed:,} 家次企业），生成 {loaded.loans} 笔贷款、"
                          f"{loaded.receivables} 件应收账款确权请求和 {loaded.candidates} 家上市后备企业。")
