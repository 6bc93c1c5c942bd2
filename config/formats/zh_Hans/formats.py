"""Date input formats for Simplified Chinese with the ISO format first.

Django's zh_Hans locale renders a date in a form as "2025/03/01", which an HTML date input
(<input type="date">, used on every date field here) cannot show: the field came up empty, and
saving the form then erased the date.  Only the first format (how values are rendered) changes;
the others are still accepted when typed.
"""

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%n月%j日"]
