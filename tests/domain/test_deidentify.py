"""De-identification of a case series (HIPAA Safe Harbor): study IDs, ages and relative days.

Study IDs are "S-" and the first 16 hex digits, upper case, of HMAC-SHA-256(key, MRN). The
expected digests are RFC 4231's published test cases 6 and 7 (key: 131 bytes of 0xaa), and for
a 32-byte key one worked out apart from this code with
`printf '%s' MRN-004217 | openssl dgst -sha256 -mac HMAC -macopt hexkey:0b0b...0b` (32 x 0b):
f48556001eddb3df22cbe8cfdcfe4253fccc40187a17bfff01bf49b71bfd2eea.
"""

from __future__ import annotations

from datetime import date

import pytest

from irae_desktop.domain.deidentify import age_text, relative_day, study_id

RFC_KEY = b"\xaa" * 131
RFC_CASE_6 = "Test Using Larger Than Block-Size Key - Hash Key First"
RFC_CASE_7 = (
    "This is a test using a larger than block-size key and a larger than block-size data. "
    "The key needs to be hashed before being used by the HMAC algorithm."
)


def test_study_id_is_the_keyed_hash_of_the_mrn() -> None:
    # RFC 4231: case 6 60e431591ee0b67f..., case 7 9b09ffa71b942fcb...
    assert study_id(RFC_KEY, RFC_CASE_6) == "S-60E431591EE0B67F"
    assert study_id(RFC_KEY, RFC_CASE_7) == "S-9B09FFA71B942FCB"


def test_study_id_ignores_spaces_around_the_mrn() -> None:
    assert study_id(RFC_KEY, f"  {RFC_CASE_6}\t\n") == "S-60E431591EE0B67F"


def test_a_32_byte_key_is_long_enough() -> None:
    assert study_id(b"\x0b" * 32, "MRN-004217") == "S-F48556001EDDB3DF"


def test_a_key_shorter_than_32_bytes_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^the study key must be at least 32 bytes$"):
        study_id(b"\x0b" * 31, "MRN-004217")


@pytest.mark.parametrize(
    ("birth", "on", "shown"),
    [
        (date(1960, 1, 1), date(2026, 3, 2), "66"),
        (date(2026, 3, 1), date(2026, 3, 2), "0"),
        # 90th birthday tomorrow: still 89, shown as it is
        (date(1936, 3, 3), date(2026, 3, 2), "89"),
        # 90th birthday today, and 106: over 89, one category
        (date(1936, 3, 2), date(2026, 3, 2), "90+"),
        (date(1920, 1, 1), date(2026, 3, 2), "90+"),
    ],
    ids=["66", "a day old", "eve of 90", "90th birthday", "106"],
)
def test_age_in_completed_years_with_ages_over_89_shown_as_90_plus(
    birth: date, on: date, shown: str
) -> None:
    assert age_text(birth, on) == shown


def test_no_birth_date_gives_an_empty_age() -> None:
    assert age_text(None, date(2026, 3, 2)) == ""


def test_days_are_counted_from_the_first_ici_start() -> None:
    """First ICI on 2 March 2026: 12 March is day 10, 25 February day -5, 2 March day 0."""
    first_ici = date(2026, 3, 2)
    assert relative_day(date(2026, 3, 12), first_ici) == 10
    assert relative_day(date(2026, 2, 25), first_ici) == -5
    assert relative_day(first_ici, first_ici) == 0


def test_no_relative_day_when_either_date_is_unknown() -> None:
    assert relative_day(None, date(2026, 3, 2)) is None
    assert relative_day(date(2026, 3, 12), None) is None
    assert relative_day(None, None) is None
