"""A criteria file at its edges: one that lists no terms, and a term that gives no rules."""

from __future__ import annotations

import pytest

from irae_desktop.domain.criteria import CriteriaError, parse_criteria


def test_a_criteria_file_without_terms_grades_nothing_and_is_not_refused() -> None:
    bare = parse_criteria({"id": "site-1", "label": "Site set"})
    assert (bare.id, bare.label, bare.source) == ("site-1", "Site set", "")
    assert bare.terms == {}
    assert bare.not_graded == {}


def test_a_term_without_rules_is_refused_with_where_it_is() -> None:
    with pytest.raises(CriteriaError) as refused:
        parse_criteria({"id": "site-1", "label": "Site set", "terms": [{"analytes": ["ALT"]}]})
    assert str(refused.value) == (
        "site-1 term 1: rules are either 'any' or both 'normal' and 'abnormal'"
    )


def test_a_term_without_analytes_grades_no_analyte() -> None:
    rules = {"any": {"high": [{"grade": 1, "when": [{"basis": "ULN", "above": 1.0}]}]}}
    parsed = parse_criteria({"id": "site-1", "label": "Site set", "terms": [{"rules": rules}]})
    assert parsed.terms == {}
