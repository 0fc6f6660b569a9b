"""iCalendar (RFC 5545) output: text escaped (§3.3.11) and lines folded at 75 octets (§3.1), CRLF endings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

__all__ = ["CalendarEvent", "escape_text", "fold_line", "render_calendar"]


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One VEVENT. ``start``/``end`` are dates (all-day events) or aware datetimes."""

    uid: str
    summary: str
    start: date | datetime
    end: date | datetime | None = None
    description: str = ""
    location: str = ""
    url: str = ""
    categories: tuple[str, ...] = ()
    yearly: bool = False
    stamp: datetime = field(default_factory=lambda: datetime(2000, 1, 1, tzinfo=UTC))
    sequence: int = 0


def escape_text(value: str) -> str:
    r"""Escape a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 §3.3.11).

    Examples
    --------
    >>> escape_text("a;b,c\\d\ne")
    'a\\;b\\,c\\\\d\\ne'
    """
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return "".join(ch for ch in text if ch == "\t" or (ord(ch) >= 0x20 and ord(ch) != 0x7F))


def fold_line(line: str, limit: int = 75) -> str:
    """Fold a content line so that no physical line exceeds ``limit`` octets of UTF-8.

    Continuation lines start with one space (which counts toward the limit); a multi-byte
    character is never split.
    """
    out: list[str] = []
    current = ""
    size = 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        room = limit if not out else limit - 1
        if size + width > room:
            out.append(current)
            current, size = ch, width
        else:
            current += ch
            size += width
    out.append(current)
    return "\r\n ".join(out)


def _when(name: str, value: date | datetime) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"{name}: give an aware datetime (with a time zone), not {value!r}.")
        return f"{name}:{value.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    return f"{name};VALUE=DATE:{value:%Y%m%d}"


def _event_lines(event: CalendarEvent) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{event.stamp.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        _when("DTSTART", event.start),
    ]
    end = event.end
    if end is None and not isinstance(event.start, datetime):
        end = event.start + timedelta(days=1)
    if end is not None:
        lines.append(_when("DTEND", end))
    lines.append(f"SUMMARY:{escape_text(event.summary)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    if event.categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in event.categories))
    if event.yearly:
        lines.append("RRULE:FREQ=YEARLY")
    lines.append(f"SEQUENCE:{event.sequence}")
    lines.append("END:VEVENT")
    return lines


def render_calendar(events: Iterable[CalendarEvent], *, prodid: str, name: str = "") -> str:
    """A complete VCALENDAR with CRLF line endings and folded lines.

    Examples
    --------
    >>> from datetime import date
    >>> text = render_calendar([CalendarEvent("1@x", "World Day", date(2025, 7, 30))], prodid="-//x//EN")
    >>> "DTSTART;VALUE=DATE:20250730" in text and text.endswith("END:VCALENDAR\\r\\n")
    True
    """
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{escape_text(prodid)}", "CALSCALE:GREGORIAN"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for event in events:
        lines.extend(_event_lines(event))
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)
