"""A 3A/4A/5A entitlement stored every grade's amount parameter as used (a 3A award listed the 4A and 5A
amounts). Keep what its row read: the upgrade policy, its grade's amount and, for an upgrade that netted
a lower grade (its reason says 由 3A级升至 4A级), that grade's amount, as the policy engine now reports."""

from __future__ import annotations

import re
from typing import Any

from django.db import migrations

PREFIX = "digital_assessment."
UPGRADE = re.compile(r"由 ?([345]A)级升至")


def _amount(grade: str) -> str:
    return f"awards.digital_assessment.amount_{grade.lower()}"


def narrow(apps: Any, schema_editor: Any) -> None:
    Entitlement = apps.get_model("awards", "Entitlement")
    for entitlement in Entitlement.objects.filter(award__in=[f"{PREFIX}{g}" for g in ("3A", "4A", "5A")]):
        used = ["awards.upgrade_policy", _amount(entitlement.award.removeprefix(PREFIX))]
        netted = UPGRADE.search(entitlement.reason)
        if netted:
            used.append(_amount(netted.group(1)))
        Entitlement.objects.filter(pk=entitlement.pk).update(parameter_ids=",".join(used))


class Migration(migrations.Migration):
    dependencies = [("awards", "0002_initial")]
    operations = [migrations.RunPython(narrow, migrations.RunPython.noop)]
