"""Working-day arithmetic: weekends, Vietnam's public holidays (Tết 2027), the province's extra
days off and make-up working days."""

from datetime import date

import pytest

from registry.workdays import WorkCalendar, national_holiday_name

PLAIN = WorkCalendar()
# Tết Đinh Mùi 2027: the package's calendar closes Thursday 4 to Wednesday 10 February.
BEFORE_TET = date(2027, 2, 3)  # a Wednesday


def test_five_working_days_from_a_friday_is_the_next_friday():
    assert PLAIN.add_working_days(date(2026, 12, 4), 5) == date(2026, 12, 11)


def test_a_weekend_day_is_not_a_working_day_and_a_plain_monday_is():
    assert not PLAIN.is_working_day(date(2026, 12, 5))
    assert not PLAIN.is_working_day(date(2026, 12, 6))
    assert PLAIN.is_working_day(date(2026, 12, 7))


def test_tet_2027_is_known_by_its_vietnamese_name():
    assert national_holiday_name(date(2027, 2, 6)) == "Tết Nguyên Đán"
    assert all(not PLAIN.is_working_day(date(2027, 2, d)) for d in range(4, 11))


def test_adding_working_days_steps_over_tet_and_its_weekend():
    # Thursday 4 to Wednesday 10 are off; the first working day after Tết is Thursday 11.
    assert PLAIN.add_working_days(BEFORE_TET, 1) == date(2027, 2, 11)
    # 11, 12, (weekend), 15, 16, 17.
    assert PLAIN.add_working_days(BEFORE_TET, 5) == date(2027, 2, 17)


def test_a_province_day_off_pushes_the_due_date_one_working_day_later():
    province = WorkCalendar.of(days_off=[date(2027, 2, 12)])
    assert not province.is_working_day(date(2027, 2, 12))
    assert province.add_working_days(BEFORE_TET, 5) == date(2027, 2, 18)


def test_a_make_up_saturday_counts_as_a_working_day():
    province = WorkCalendar.of(make_up_days=[date(2027, 2, 13)])
    assert province.is_working_day(date(2027, 2, 13))
    assert province.add_working_days(BEFORE_TET, 5) == date(2027, 2, 16)


def test_working_days_between_counts_after_the_start_up_to_the_end_and_is_signed():
    assert PLAIN.working_days_between(BEFORE_TET, date(2027, 2, 17)) == 5
    assert PLAIN.working_days_between(date(2027, 2, 17), BEFORE_TET) == -5
    assert PLAIN.working_days_between(BEFORE_TET, BEFORE_TET) == 0
    # Friday to the Monday after: one working day (the weekend does not count).
    assert PLAIN.working_days_between(date(2026, 12, 4), date(2026, 12, 7)) == 1


def test_adding_and_counting_agree_across_a_year_of_starts():
    province = WorkCalendar.of(days_off=[date(2027, 2, 12)], make_up_days=[date(2027, 2, 20)])
    for offset in range(0, 366, 7):
        start = date(2026, 12, 1).fromordinal(date(2026, 12, 1).toordinal() + offset)
        due = province.add_working_days(start, 5)
        assert province.is_working_day(due)
        assert province.working_days_between(start, due) == 5


def test_a_negative_number_of_working_days_is_refused():
    with pytest.raises(ValueError):
        PLAIN.add_working_days(BEFORE_TET, -1)
