"""How dates and times read in Burmese: "2026 ခုနှစ် ဒီဇင်ဘာလ 5 ရက်", 24-hour times.

Month names come from Django's catalogue (``locale_django/my``). Django writes the digits in
Latin; templates turn them into Burmese digits with the ``digits`` filter (docs/ARCHITECTURE.md,
"Digits"). What people type into forms keeps the ISO forms first.
"""

DATE_FORMAT = "Y ခုနှစ် F j ရက်"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y ခုနှစ် F j ရက် H:i"
YEAR_MONTH_FORMAT = "Y ခုနှစ် F"
MONTH_DAY_FORMAT = "F j ရက်"
SHORT_DATE_FORMAT = "j.n.Y"
SHORT_DATETIME_FORMAT = "j.n.Y H:i"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
