"""Bring the registry list's entries up to date with the registry (repair after a failed follow-up task)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from zjtx.enterprises import listing
from zjtx.enterprises.models import ImportJob


class Command(BaseCommand):
    help = "核对并更新企业列表条目（企业库列表所用的筛选与检索索引）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="只统计不一致的条目，不写入；不一致时退出码为 1")

    def handle(self, *args: Any, **options: Any) -> None:
        stale = listing.missing_or_stale()
        if options["check"]:
            self.stdout.write(f"不一致或缺失的列表条目：{stale:,}")
            if stale:
                raise SystemExit(1)
            return
        with transaction.atomic():
            written = listing.refresh_all()
            ImportJob.objects.filter(listing_pending=True).update(listing_pending=False, listing_places={})
        self.stdout.write(self.style.SUCCESS(f"已更新 {written:,} 条列表条目（此前不一致 {stale:,} 条）"))
