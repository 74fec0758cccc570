"""Reads a result as written ("<0.1", "> 600", "1,234.5", "12,5") into a number and comparator."""

from __future__ import annotations

import math
import re

COMPARATORS = ("", "<", "<=", ">", ">=")

_COMPARATOR_SPELLINGS = {
    "<": "<",
    "<=": "<=",
    "=<": "<=",
    "≤": "<=",
    ">": ">",
    ">=": ">=",
    "=>": ">=",
    "≥": ">=",
}

_SHAPE = re.compile(r"^(?P<cmp><=|=<|>=|=>|<|>|≤|≥)?\s*(?P<sign>[+-])?\s*(?P<num>[0-9.,]+)$")
_SIMPLE = re.compile(r"^\d+(\.\d+)?$")
_PLAIN = re.compile(r"^(\d+(\.\d*)?|\.\d+)$")
_THOUSANDS_DOT_DECIMAL = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")
_THOUSANDS_COMMA_DECIMAL = re.compile(r"^\d{1,3}(\.\d{3})+(,\d*)?$")
_COMMA_DECIMAL = re.compile(r"^\d*,\d+$")
_GROUPED_ONLY = re.compile(r"^\d{1,3}(,\d{3})+$")
_GROUPED_DOT_ONLY = re.compile(r"^\d{1,3}(\.\d{3})+$")


class ValueTextError(ValueError):
    """The result is not a number (a text result, an empty cell, or an ambiguous number)."""


def _number(num: str, decimal_comma: bool | None, original: str) -> float:
    if decimal_comma is True and _GROUPED_DOT_ONLY.match(num):
        # the file writes decimal commas, so its dots can only group thousands
        return float(num.replace(".", ""))
    if _PLAIN.match(num):
        return float(num)
    if "," in num and "." not in num and _GROUPED_ONLY.match(num):
        # "1,234" is one thousand two hundred and thirty-four, or one point two three four
        if decimal_comma is None:
            raise ValueTextError(
                f"result {original!r} is ambiguous: the comma may be a decimal or a thousands "
                "separator; set the file's decimal separator"
            )
        return float(num.replace(",", ".")) if decimal_comma else float(num.replace(",", ""))
    if decimal_comma is not True and _THOUSANDS_DOT_DECIMAL.match(num):
        return float(num.replace(",", ""))
    if decimal_comma is not False and _COMMA_DECIMAL.match(num):
        return float(num.replace(",", "."))
    if decimal_comma is not False and _THOUSANDS_COMMA_DECIMAL.match(num):
        return float(num.replace(".", "").replace(",", "."))
    raise ValueTextError(f"result {original!r} is not a number this program can read")


def parse_result_text(text: str, *, decimal_comma: bool | None = None) -> tuple[float, str]:
    """(value, comparator) for a numeric result; ValueTextError with a plain message otherwise.

    `decimal_comma`: True when the source writes 12,5 for twelve and a half (a dot then only
    groups thousands: 1.020 is one thousand and twenty), False when it writes 12.5 (a comma then
    only groups thousands), None to accept either where the text is unambiguous.
    """
    stripped = (text or "").strip()
    if decimal_comma is not True and _SIMPLE.match(stripped):  # the common case
        simple = float(stripped)
        if math.isfinite(simple):  # 400 digits overflow to infinity: refused below
            return simple, ""
    if not stripped:
        raise ValueTextError("the result is empty")
    match = _SHAPE.match(stripped)
    if match is None:
        raise ValueTextError(f"result {stripped!r} is text, not a number; it was not graded")
    comparator = _COMPARATOR_SPELLINGS[match["cmp"]] if match["cmp"] else ""
    value = _number(match["num"], decimal_comma, stripped)
    if match["sign"] == "-":
        value = -value
    if not math.isfinite(value):
        raise ValueTextError(f"result {stripped!r} is not a finite number")
    return value, comparator


def _numeric_part(text: str) -> str:
    match = _SHAPE.match(text.strip())
    return match["num"] if match else ""


def decimal_evidence(text: str) -> bool | None:
    """What one cell shows of its writer's decimal mark: True for a decimal comma ("0,8",
    "1.234,5"), False for a decimal point ("12.5", "1,234.5"), None when it shows neither
    (whole numbers, "1.020" and "1,020", which read either way, and text)."""
    num = _numeric_part(text)
    if not num or num.count(",") + num.count(".") == 0:
        return None
    if "," in num and "." in num:
        if _THOUSANDS_COMMA_DECIMAL.match(num):
            return True
        return False if _THOUSANDS_DOT_DECIMAL.match(num) else None
    if depends_on_convention(num):
        return None
    if _COMMA_DECIMAL.match(num):
        return True
    return False if _PLAIN.match(num) and "." in num else None


def depends_on_convention(text: str) -> bool:
    """Whether the number reads differently by the decimal mark: "1,020" and "1.020" are one
    thousand and twenty or one point zero two ("0,800" is not: nobody groups a leading 0)."""
    num = _numeric_part(text)
    return (
        bool(num)
        and not num.startswith("0")
        and bool(_GROUPED_ONLY.match(num) or _GROUPED_DOT_ONLY.match(num))
    )
