"""zjtx policy engine: the plan's numbers as dated parameters, its rules on whole Polars columns.

Pure Python + Polars; no Django.  Public API:

* ``load_parameters``, ``list_parameters``, ``ParameterSet`` (``value``, ``history``,
  ``with_overlay``, ``with_definitions``, ``fingerprint``);
* ``evaluate`` → ``Result`` (``recognition``, ``unmet``, ``entitlements``, ``granted``,
  ``budget()``, ``tier_counts()``, ``parameter_versions``);
* ``explain``, ``to_dict``, ``to_json``, ``write``;
* ``compare`` → ``Comparison`` (what-if of a reform overlay);
* the input contract in ``schema`` (``ENTERPRISE_COLUMNS`` …) and ``InputError``.
"""

from zjtx.policy.engine.compare import Comparison, compare
from zjtx.policy.engine.evaluate import Result, evaluate
from zjtx.policy.engine.explain import explain
from zjtx.policy.engine.parameters import (
    DatedValue,
    Parameter,
    ParameterError,
    ParameterSet,
    list_parameters,
    load_parameters,
    to_jsonable,
)
from zjtx.policy.engine.schema import (
    ENTERPRISE_COLUMNS,
    EVENT_COLUMNS,
    EVENT_KINDS,
    INDICATOR_COLUMNS,
    PRIOR_COLUMNS,
    TIER_LABELS,
    TIERS,
    Column,
    InputError,
)
from zjtx.policy.engine.serialize import to_dict, to_json, write

__all__ = [
    "ENTERPRISE_COLUMNS",
    "EVENT_COLUMNS",
    "EVENT_KINDS",
    "INDICATOR_COLUMNS",
    "PRIOR_COLUMNS",
    "TIERS",
    "TIER_LABELS",
    "Column",
    "Comparison",
    "DatedValue",
    "InputError",
    "Parameter",
    "ParameterError",
    "ParameterSet",
    "Result",
    "compare",
    "evaluate",
    "explain",
    "list_parameters",
    "load_parameters",
    "to_dict",
    "to_json",
    "to_jsonable",
    "write",
]
