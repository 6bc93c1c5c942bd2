"""Today's date and the time stamp of a step for the workflow: the site's one clock (``zjtx.core.clock``),
which settings may pin."""

from zjtx.core.clock import now, today

__all__ = ["now", "today"]
