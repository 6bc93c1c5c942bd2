"""Background tasks: thin wrappers that call services."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_task(job_id: int) -> str:
    from zjtx.enterprises.importing.run import run_import
    from zjtx.enterprises.models import ImportJob

    job = ImportJob.objects.get(pk=job_id)
    return run_import(job).status


@task()
def refresh_list_task(job_id: int) -> int:
    from zjtx.enterprises.importing.run import refresh_list_entries
    from zjtx.enterprises.models import ImportJob

    return refresh_list_entries(ImportJob.objects.get(pk=job_id))
