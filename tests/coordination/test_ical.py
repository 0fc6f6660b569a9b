from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from vinculo.coordination import CalendarEvent, escape_text, fold_line, render_calendar


def test_text_values_are_escaped_as_rfc_5545_requires() -> None:
    assert escape_text("a;b,c\\d\r\ne") == "a\\;b\\,c\\\\d\\ne"


def test_long_lines_are_folded_at_75_octets_without_splitting_characters() -> None:
    line = "DESCRIPTION:" + "é" * 100 + "x" * 100
    folded = fold_line(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_a_calendar_has_crlf_lines_all_day_dates_and_a_yearly_rule() -> None:
    text = render_calendar(
        [CalendarEvent("1@x", "World Day; against, trafficking", date(2025, 7, 30), yearly=True)],
        prodid="-//t//EN",
    )
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "DTSTART;VALUE=DATE:20250730\r\n" in text and "DTEND;VALUE=DATE:20250731\r\n" in text
    assert "SUMMARY:World Day\\; against\\, trafficking\r\n" in text
    assert "RRULE:FREQ=YEARLY\r\n" in text


def test_timed_events_are_written_in_utc_and_naive_times_are_refused() -> None:
    event = CalendarEvent("2@x", "Meeting", datetime(2025, 1, 2, 10, 0, tzinfo=UTC))
    assert "DTSTART:20250102T100000Z" in render_calendar([event], prodid="p")
    with pytest.raises(ValueError, match="aware"):
        render_calendar([CalendarEvent("3@x", "x", datetime(2025, 1, 2, 10))], prodid="p")
