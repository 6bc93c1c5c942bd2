"""Background task: a province-wide evaluation or what-if; a thin wrapper around services.run_execute."""

from __future__ import annotations

from django_tasks import task


@task()
def policy_run_task(run_id: int) -> str:
    from zjtx.policy.models import PolicyRun
    from zjtx.policy.services import run_execute

    return run_execute(PolicyRun.objects.get(pk=run_id)).status
