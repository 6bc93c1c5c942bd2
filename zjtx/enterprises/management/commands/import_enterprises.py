"""Import a file of enterprises or indicators from the terminal, with a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from zjtx.accounts.models import User
from zjtx.enterprises import services
from zjtx.enterprises.importing.report import report_path
from zjtx.enterprises.models import ImportJob


class Command(BaseCommand):
    help = "导入企业基本信息或年度指标（.xlsx/.csv），逐行校验并给出错误报告"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", choices=ImportJob.Kind.values, default=ImportJob.Kind.ENTERPRISES)
        parser.add_argument("--mode", choices=ImportJob.Mode.values, default=ImportJob.Mode.ALL_OR_NOTHING,
                            help="all：全部正确才导入；valid：仅导入正确行")
        parser.add_argument("--user", help="以该用户身份导入（市级用户只能导入本市企业）；缺省为系统")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        user = self._user(options["user"])
        with tqdm(total=100, unit="%", desc="导入", bar_format="{desc} {bar} {n:.0f}% {postfix}") as bar:
            def progress(percent: int, stage: str) -> None:
                bar.update(percent - bar.n)
                bar.set_postfix_str(stage)

            job = services.import_from_path(user=user, kind=options["kind"], mode=options["mode"], path=path,
                                            progress=progress)
            bar.update(100 - bar.n)
        self.stdout.write(job.message)
        for error in job.errors[:20]:
            self.stdout.write(f"  第{error['行号']}行 {error['列']}：{error['错误原因']}（原值：{error['原值']}）")
        if job.error_rows:
            self.stdout.write(f"完整错误报告：{report_path(job)}")
        if job.status in (ImportJob.Status.FAILED, ImportJob.Status.REJECTED):
            raise CommandError(f"导入未完成：{job.get_status_display()}")

    def _user(self, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户不存在：{username}")
        return user
