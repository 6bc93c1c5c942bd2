"""`make run` step: a synthetic province (only when the registry is empty) and the demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from zjtx.accounts.demo import DEMO_PASSWORD, ensure_demo_users
from zjtx.enterprises.models import Enterprise
from zjtx.policy.demo import give_demo_enterprise_an_assessment, load_demo_policy_data, store_demo_run
from zjtx.policy.models import EnterpriseFacts, PolicyRun


class Command(BaseCommand):
    help = "载入演示数据：企业库为空时生成合成的16市企业，并创建各角色演示账号"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enterprises", type=int, default=20000, help="企业库为空时生成的企业数")
        parser.add_argument("--seed", type=int, default=2022)

    def handle(self, *args: Any, **options: Any) -> None:
        if not Enterprise.objects.exists():
            call_command("generate_demo", enterprises=options["enterprises"], seed=options["seed"])
        else:
            self.stdout.write(f"企业库已有 {Enterprise.objects.count():,} 家企业，不再生成。")
        if not EnterpriseFacts.objects.exists():
            facts, events = load_demo_policy_data(options["seed"])
            self.stdout.write(f"已生成 {facts:,} 家企业的认定要素和 {events:,} 条专项事件（认定、评估、项目）。")
        sample = Enterprise.objects.filter(city_code="340100").exclude(tier="").order_by("id").first()
        sample = sample or Enterprise.objects.order_by("id").first()
        if sample:
            give_demo_enterprise_an_assessment(sample)
        users = ensure_demo_users(sample.credit_code if sample else "", sample.name if sample else "")
        officer = next((u for u in users if u.username == "officer"), None)
        if officer and sample:
            ids = list(Enterprise.objects.filter(city_code="340100").order_by("id").values_list("id", flat=True)[:30])
            Enterprise.objects.filter(id__in=ids).update(service_officer=officer)
        if not PolicyRun.objects.filter(kind=PolicyRun.Kind.EVALUATE).exists():
            province = next((u for u in users if u.username == "province"), None)
            run = store_demo_run(province)
            self.stdout.write(f"已完成全省测算 #{run.pk}（测算日期 {run.as_of}）：{run.message}")
        self.stdout.write(self.style.SUCCESS(f"演示账号已就绪（密码均为 {DEMO_PASSWORD}）：" +
                                             "、".join(u.username for u in users)))
