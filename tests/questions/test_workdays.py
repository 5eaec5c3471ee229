"""Saxon public holidays and the working-day service level."""

from __future__ import annotations

from datetime import date

import pytest

from service.questions.workdays import (
    add_working_days,
    buss_und_bettag,
    easter_sunday,
    is_working_day,
    previous_working_day,
    saxon_holidays,
    working_days_between,
)


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)),
     (2027, date(2027, 3, 28)), (2038, date(2038, 4, 25))],
)  # fmt: skip
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter


@pytest.mark.parametrize(
    ("year", "day"),
    [(2024, date(2024, 11, 20)), (2025, date(2025, 11, 19)), (2026, date(2026, 11, 18)),
     (2027, date(2027, 11, 17)), (2028, date(2028, 11, 22))],
)  # fmt: skip
def test_buss_und_bettag_is_the_wednesday_before_23_november(year, day):
    assert buss_und_bettag(year) == day


def test_saxony_has_eleven_holidays_including_reformation_and_buss_und_bettag():
    holidays = saxon_holidays(2026)
    assert len(holidays) == 11
    assert holidays[date(2026, 10, 31)] == "Reformationstag"
    assert holidays[date(2026, 11, 18)] == "Buß- und Bettag"
    assert holidays[date(2026, 5, 14)] == "Christi Himmelfahrt"
    assert holidays[date(2026, 5, 25)] == "Pfingstmontag"
    assert date(2026, 6, 4) not in holidays  # Fronleichnam: only some Sorbian municipalities


def test_working_days_skip_weekends_and_holidays():
    assert not is_working_day(date(2026, 11, 18))  # Buß- und Bettag
    assert not is_working_day(date(2026, 11, 21))  # Saturday
    assert is_working_day(date(2026, 11, 24))
    # Monday 16 Nov 2026 + 5 working days: Tue, Thu, Fri, Mon, Tue (Wednesday is a holiday)
    assert add_working_days(date(2026, 11, 16), 5) == date(2026, 11, 24)
    # over Christmas and New Year
    assert add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 30), 2) == date(2027, 1, 4)
    assert add_working_days(date(2026, 11, 24), 0) == date(2026, 11, 24)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 11, 24), -1)


def test_previous_working_day_and_distance():
    assert previous_working_day(date(2026, 11, 19)) == date(2026, 11, 17)
    assert previous_working_day(date(2026, 11, 23)) == date(2026, 11, 20)
    assert working_days_between(date(2026, 11, 16), date(2026, 11, 24)) == 5
    assert working_days_between(date(2026, 11, 24), date(2026, 11, 16)) == -5
