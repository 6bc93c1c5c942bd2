"""`manage.py policy params|evaluate|explain`: the policy engine from the terminal."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zjtx.core import clock
from zjtx.core.errors import ApplicationError
from zjtx.policy import frames, services
from zjtx.policy.engine import InputError, ParameterError, evaluate, explain, list_parameters, to_json, to_jsonable
from zjtx.policy.io import check_output, read_frame, write_result
from zjtx.policy.models import PolicyRun


def _date(text: str) -> dt.date:
    # argparse turns ArgumentTypeError into a one-line usage error (any other exception: a traceback).
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def money(amount: Decimal) -> str:
    """24299.123000 → 24,299.123 (万元: exact, thousands separated, no trailing zeros)."""
    return f"{Decimal(amount).normalize():,f}"


class Command(BaseCommand):
    help = "政策引擎：params 列出全部参数；evaluate 测算认定与奖补；explain 解释一家企业的测算结果"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        params = sub.add_parser("params", help="列出全部参数（条款、单位、取值、历史）")
        params.add_argument("--json", action="store_true", help="以 JSON 输出")
        params.add_argument("--as-of", type=_date, help="显示该日期生效的取值（默认今天）")
        ev = sub.add_parser("evaluate", help="测算认定条件与奖补资格")
        self._evaluate_args(ev)
        ex = sub.add_parser("explain", help="逐条解释一家企业的测算结果")
        ex.add_argument("credit_code")
        ex.add_argument("--as-of", type=_date, help="测算日期 YYYY-MM-DD（默认今天，即站点日期）")

    def _evaluate_args(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--enterprises", type=Path, help="企业文件（csv/parquet/json）；缺省为整个企业库")
        parser.add_argument("--indicators", type=Path, help="年度指标文件；缺省从企业库读取")
        parser.add_argument("--events", type=Path, help="事件文件（认定、评估、项目等）")
        parser.add_argument("--as-of", type=_date, help="测算日期 YYYY-MM-DD（默认今天，即站点日期）")
        parser.add_argument("--out", type=Path, help="输出：以 .json 结尾写一个 JSON 文件；否则为目录，写入 "
                            "recognition、unmet、entitlements 三张表和 metadata.json（格式见 --format）")
        parser.add_argument("--format", choices=("parquet", "csv"), default="parquet",
                            help="目录输出的格式：parquet（默认）或 csv（UTF-8 带 BOM，Excel 可直接打开）")
        parser.add_argument("--json", action="store_true", help="把结果以 JSON 打印到标准输出")
        parser.add_argument("--store", action="store_true", help="全省测算：结果与所用参数版本存档")

    def handle(self, *args: Any, **options: Any) -> None:
        options["as_of"] = options.get("as_of") or clock.today()
        try:
            getattr(self, f"_{options['action']}")(options)
        except (ApplicationError, InputError, ParameterError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        except BrokenPipeError:
            # The reader (e.g. `| head`) has gone: stop quietly, and keep Python from failing again
            # when it flushes standard output at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())

    def _params(self, options: dict[str, Any]) -> None:
        rows = to_jsonable(list_parameters(services.parameter_set(), options["as_of"]))
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            flag = "" if row["confirmed"] else "（待核实）"
            value = row["value"]
            if isinstance(value, (list, dict)):
                value = json.dumps(value, ensure_ascii=False)
            self.stdout.write(f"{row['id']:<55} {row['clause']:<14} {value} {row['unit']}{flag}")

    def _evaluate(self, options: dict[str, Any]) -> None:
        if options["store"]:
            self._store(options["as_of"])
            return
        out: Path | None = options["out"]
        if out is not None:
            check_output(out)  # before the evaluation, which may take minutes
        enterprises, indicators, events = self._inputs(options)
        result = evaluate(enterprises, indicators, events, options["as_of"], services.parameter_set())
        if options["json"]:
            self.stdout.write(to_json(result))
        if out is not None:
            self.stderr.write(write_result(result, out, options["format"]))
        if not options["json"]:
            granted = result.granted
            total = money(Decimal(str(granted["amount"].sum() or 0)))
            self.stdout.write(f"{enterprises.height} 家企业，测算日期 {result.as_of}，参数指纹 {result.fingerprint}；"
                              f"应享奖补 {granted.height} 项，合计 {total} 万元")

    def _inputs(self, options: dict[str, Any]) -> tuple[Any, Any, Any]:
        if options["enterprises"] is None:
            return frames.registry_frames()
        enterprises = read_frame(options["enterprises"], "enterprises")
        if options["indicators"] is not None:
            indicators = read_frame(options["indicators"], "indicators")
        else:
            indicators = frames.registry_frames(enterprises["credit_code"].cast(str).to_list())[1]
        events = read_frame(options["events"], "events") if options["events"] else None
        return enterprises, indicators, events

    def _store(self, as_of: dt.date) -> None:
        run = PolicyRun.objects.create(kind=PolicyRun.Kind.EVALUATE, as_of=as_of, name="命令行全省测算")
        run = services.run_execute(run)
        self.stdout.write(f"{run.message} 参数指纹 {run.fingerprint}，结果目录 {run.result_dir}")
        if run.status != PolicyRun.Status.DONE:
            raise CommandError(run.message)

    def _explain(self, options: dict[str, Any]) -> None:
        code = options["credit_code"].upper()
        enterprises, indicators, events = frames.registry_frames([code])
        if enterprises.is_empty():
            raise CommandError(f"企业库中没有这家企业：{code}")
        result = evaluate(enterprises, indicators, events, options["as_of"], services.parameter_set())
        self.stdout.write(explain(result, code))
