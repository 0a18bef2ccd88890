"""Working days: Monday to Friday, less Vietnam's public holidays (the `holidays` package's
calendar, with Tết) and the province's own days off, plus its make-up working days.

Pure arithmetic over a WorkCalendar; no Flask, no database (registry.duedates loads the
province's days from the database and builds the calendar).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays

# Far enough for any due date; guards the loops against a calendar with no working day.
MAX_SPAN_DAYS = 3660


@lru_cache(maxsize=64)
def _national_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year))


def national_holiday_name(day: date) -> str | None:
    """The name of Vietnam's public holiday on that day (as the package names it), or None."""
    return holidays.country_holidays("VN", years=day.year, language="vi").get(day)


@dataclass(frozen=True)
class WorkCalendar:
    """The province's calendar: extra days off, and weekend days worked to make up for one."""

    days_off: frozenset[date] = field(default_factory=frozenset)
    make_up_days: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def of(cls, days_off: Iterable[date] = (), make_up_days: Iterable[date] = ()) -> WorkCalendar:
        return cls(frozenset(days_off), frozenset(make_up_days))

    def is_working_day(self, day: date) -> bool:
        if day in self.make_up_days:
            return True
        if day.weekday() >= 5 or day in self.days_off:
            return False
        return day not in _national_holidays(day.year)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after start (start itself does not count; n=0 gives start).
        Five working days from Friday, with no holiday between, is the next Friday."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        for _ in range(MAX_SPAN_DAYS):
            if n == 0:
                return day
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        raise ValueError("no working day within ten years")

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie after start up to and including end; negative when end
        comes before start (the count from end to start, with a minus sign)."""
        if end < start:
            return -self.working_days_between(end, start)
        span = (end - start).days
        if span > MAX_SPAN_DAYS:
            raise ValueError("span longer than ten years")
        return sum(self.is_working_day(start + timedelta(days=i)) for i in range(1, span + 1))
