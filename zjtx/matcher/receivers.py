"""A province run has finished: build its 免申即享 / 潜在培育对象 list in the background."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zjtx.policy.models import PolicyRun


def on_run_saved(sender: Any, *, instance: PolicyRun, **kwargs: Any) -> None:
    if instance.kind != PolicyRun.Kind.EVALUATE or instance.status != PolicyRun.Status.DONE:
        return
    queue_build(instance)


def queue_build(run: PolicyRun) -> None:
    """Queue the build of ``run``'s list unless it is built or being built (a second save of the run, or a page
    asking while the worker builds, must not queue it again)."""
    from zjtx.matcher.models import CandidateList
    from zjtx.matcher.tasks import build_task

    _, created = CandidateList.objects.get_or_create(run=run)
    if created:
        transaction.on_commit(lambda: build_task.enqueue(run.pk))
