"""Today's date for the workflow: the site's one clock (``zjtx.core.clock``), which settings may pin."""

from zjtx.core.clock import today

__all__ = ["today"]
