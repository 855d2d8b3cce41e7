"""Academic years, as the whole portal counts them: agreements, calls and exports alike.

An academic year is named by the calendar year it starts in: 2026 is 2026-2027, which runs
from 1 September 2026 to 31 August 2027.
"""

import datetime

from django.utils import timezone

ACADEMIC_YEAR_START = (9, 1)
ACADEMIC_YEAR_END = (8, 31)


def academic_year_of(day: datetime.date) -> int:
    """The first calendar year of the academic year that contains `day`."""
    return day.year if (day.month, day.day) >= ACADEMIC_YEAR_START else day.year - 1


def academic_year_label(first_year: int) -> str:
    """How people write the academic year that starts in `first_year`: "2026-2027"."""
    return f"{first_year}-{first_year + 1}"


def local_today() -> datetime.date:
    """Today in Paris, where the school is: the day that decides which academic year it is."""
    return timezone.localdate()
