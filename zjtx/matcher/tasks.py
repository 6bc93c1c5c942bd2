"""Background task: build the list of a finished province run; a thin wrapper around services.build."""

from __future__ import annotations

from django_tasks import task


@task()
def build_task(run_id: int) -> str:
    from zjtx.matcher.services import build
    from zjtx.policy.models import PolicyRun

    return build(PolicyRun.objects.get(pk=run_id)).status
