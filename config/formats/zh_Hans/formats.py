"""Simplified Chinese formats: ISO dates first in inputs, and numbers grouped by thousands.

Django's zh_Hans locale renders a date in a form as "2025/03/01", which an HTML date input
(<input type="date">, used on every date field here) cannot show: the field came up empty, and
saving the form then erased the date.  Only the first format (how values are rendered) changes;
the others are still accepted when typed.
"""

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%n月%j日"]

# Django's zh_Hans groups by four digits with no separator, so `intcomma` printed 2000000 while amounts
# (the `wan` filter) read 11,209.66: counts and amounts now group alike, 2,000,000.  Only explicit
# grouping uses this (USE_THOUSAND_SEPARATOR stays off: form fields show plain numbers).
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
