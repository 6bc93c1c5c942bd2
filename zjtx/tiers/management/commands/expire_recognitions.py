"""`manage.py expire_recognitions`: mark recognitions past their validity as 已到期 (daily, from cron)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zjtx.tiers import clock, services


class Command(BaseCommand):
    help = "把有效期已届满的认定标为“已到期”，企业库中的梯度随之降为仍在有效期内的最高层级（每天运行一次）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="按这一天判断（YYYY-MM-DD，缺省为今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(f"--today 应为 YYYY-MM-DD 格式的日期：{options['today']}") from None
            # Expiry cannot be undone: a later day would end recognitions still in force.
            if today > clock.today():
                raise CommandError(f"--today 不能晚于今天（{clock.today()}）：到期处理不可撤回，"
                                   "用未来的日期会把仍在有效期内的认定标为已到期")
        count = services.recognitions_expire(today=today)
        self.stdout.write(f"已到期的认定：{count} 项。")
