"""`manage.py policy …`: clean Chinese errors (no tracebacks), files where the suffix says so, Excel-ready CSV."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tests.factories import credit_code

pytestmark = pytest.mark.django_db
CODE = credit_code("340100", 1)
HEADER = "credit_code,city_code,county_code,industry_code,founded_on,current_tier\n"


def _files(tmp_path: Path, enterprise_row: str = f"{CODE},340100,340104,39,2015-01-01,srdi\n",
           indicator_row: str = f"{CODE},2023,5000\n") -> list[str]:
    (tmp_path / "ent.csv").write_text(HEADER + enterprise_row, encoding="utf-8")
    (tmp_path / "ind.csv").write_text("credit_code,year,revenue\n" + indicator_row, encoding="utf-8")
    return ["--enterprises", str(tmp_path / "ent.csv"), "--indicators", str(tmp_path / "ind.csv")]


def _evaluate(*args: str) -> str:
    out = io.StringIO()
    call_command("policy", "evaluate", "--as-of", "2024-06-01", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_bad_date_is_a_usage_error_without_a_traceback():
    run = subprocess.run([sys.executable, "manage.py", "policy", "evaluate", "--as-of", "30/06/2026"],
                         cwd=settings.BASE_DIR, capture_output=True, text=True, check=False)
    assert run.returncode == 2
    assert "日期格式应为 YYYY-MM-DD：30/06/2026" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.parametrize(("content", "message"), [
    ("name\nx\n", "企业表缺少必需列：credit_code"),
    ("\xff\xfe garbage", "企业表缺少必需列"),
])
def test_an_enterprises_file_without_credit_codes_is_named(tmp_path, content, message):
    (tmp_path / "bad.csv").write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        _evaluate("--enterprises", str(tmp_path / "bad.csv"))


@pytest.mark.parametrize(("enterprise_row", "indicator_row", "message"), [
    (f"{CODE},340100,340104,39,2015-13-01,srdi\n", f"{CODE},2023,5000\n",
     "ent.csv 企业表第 1 行：founded_on（成立日期）应为有效日期（YYYY-MM-DD），收到 '2015-13-01'"),
    (f"{CODE},340100,340104,39,2015-01-01,srdi\n", f"{CODE},2023,abc\n",
     "ind.csv 年度指标表第 1 行：revenue（营业收入（万元））应为数字（万元），收到 'abc'"),
])
def test_bad_csv_cells_are_named_in_chinese_with_their_row(tmp_path, enterprise_row, indicator_row, message):
    with pytest.raises(CommandError) as error:
        _evaluate(*_files(tmp_path, enterprise_row, indicator_row))
    assert message in str(error.value)


@pytest.mark.parametrize(("out", "message"), [
    ("missing/x.json", "所在目录"),
    ("ent.csv", "不能写进一个 .csv 文件"),
    ("existing", "已有同名文件"),
])
def test_an_output_that_cannot_be_written_is_refused_before_evaluating(tmp_path, out, message):
    (tmp_path / "existing").write_text("x")
    with pytest.raises(CommandError, match=message):
        _evaluate(*_files(tmp_path), "--out", str(tmp_path / out))


def test_csv_output_is_a_directory_of_excel_ready_files_and_the_total_is_formatted(tmp_path):
    summary = _evaluate(*_files(tmp_path), "--out", str(tmp_path / "result"), "--format", "csv")
    assert (tmp_path / "result" / "recognition.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (tmp_path / "result" / "metadata.json").is_file()
    assert "合计 0 万元" in summary
    _evaluate(*_files(tmp_path), "--out", str(tmp_path / "r.json"))
    assert (tmp_path / "r.json").is_file()


def test_money_is_printed_exactly_with_separators():
    from decimal import Decimal

    from zjtx.policy.management.commands.policy import money

    assert money(Decimal("24299.123000")) == "24,299.123"
    assert money(Decimal("500.000000")) == "500"


def test_params_print_values_as_typed_not_python_reprs():
    out = io.StringIO()
    call_command("policy", "params", stdout=out)
    assert "Decimal(" not in out.getvalue()
    assert '[{"max_rank": 10, "amount": 100}' in out.getvalue() or '"max_rank"' in out.getvalue()


def test_params_piped_to_head_end_quietly(monkeypatch):
    # `policy params | head`: the pipe closes; the command stops without a traceback and points standard
    # output at /dev/null so that Python's final flush does not fail either.
    from zjtx.policy.management.commands import policy

    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

    redirected = []
    monkeypatch.setattr(policy.os, "dup2", lambda source, target: redirected.append(target))
    monkeypatch.setattr(policy.sys, "stdout", io.StringIO())
    monkeypatch.setattr(policy.sys.stdout, "fileno", lambda: 1)
    call_command("policy", "params", stdout=ClosedPipe())
    assert redirected == [1]


def test_the_default_date_is_the_sites_clock(tmp_path, settings, monkeypatch):
    from zjtx.policy.management.commands import policy

    settings.ZJTX_TODAY = "2024-06-01"
    seen, real = [], policy.evaluate

    def spy(*args):
        seen.append(args[3])
        return real(*args)

    monkeypatch.setattr(policy, "evaluate", spy)
    call_command("policy", "evaluate", *_files(tmp_path), stdout=io.StringIO())
    assert seen == [dt.date(2024, 6, 1)]
