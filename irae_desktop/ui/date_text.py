"""Dates typed as text: ISO (1958-04-17) or the locale's short format (4/17/58, 17/04/1958)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale


def _four_digit_year(fmt: str) -> str:
    return fmt if "yyyy" in fmt else fmt.replace("yy", "yyyy")


def short_format() -> str:
    """The locale's short date format with a four-digit year (the form shown as an example)."""
    return _four_digit_year(QLocale().dateFormat(QLocale.FormatType.ShortFormat))


def parse_date(text: str, *, today: date | None = None) -> date | None:
    """The date in `text`, or None when empty; ValueError when it cannot be read.

    A two-digit year is the latest year ending so that is not after `today` (a birth date
    typed as 4/17/58 is 1958, as 4/17/05 is 2005)."""
    cleaned = text.strip()
    if not cleaned:
        return None
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        pass
    locale = QLocale()
    fmt = locale.dateFormat(QLocale.FormatType.ShortFormat)
    parsed = locale.toDate(cleaned, _four_digit_year(fmt))
    if not parsed.isValid() and "yyyy" not in fmt:
        two = locale.toDate(cleaned, fmt)
        if two.isValid():
            limit = today or date.today()
            year = 2000 + two.year() % 100
            if (year, two.month(), two.day()) > (limit.year, limit.month, limit.day):
                year -= 100
            parsed = QDate(year, two.month(), two.day())
    if not parsed.isValid():
        example = QDate(1958, 4, 17).toString(_four_digit_year(fmt))
        raise ValueError(f"{cleaned!r} is not a date: type it as 1958-04-17 or {example}.")
    return date(parsed.year(), parsed.month(), parsed.day())
