"""Naming a drug: brand names, spellings and combinations land on one generic name, or on a
message saying why not (brand names from the US / EU product information); a spelling two rows
of the drug table claim is refused."""

from __future__ import annotations

import pytest

from irae_desktop.domain.agents import (
    IMMUNOSUPPRESSION,
    Agent,
    AgentNotFound,
    SeveralAgents,
    _names,
    agent_key,
    brand_forms,
    find_agent,
    is_pjp_prophylaxis,
)


@pytest.mark.parametrize(
    ("text", "generic"),
    [
        ("KEYTRUDA 200 mg IV", "pembrolizumab"),
        ("pembrolizumab (Keytruda)", "pembrolizumab"),  # one agent named twice
        ("SOLU MEDROL 1 g", "methylprednisolone"),
        ("Solumedrol", "methylprednisolone"),  # the brand written without its hyphen
        ("Solu-Médrol", "methylprednisolone"),  # an accent typed on the brand
        ("Lantus insulin 20 units", "insulin glargine"),  # the kind named beside "insulin"
        ("insulin sliding scale", "insulin"),
    ],
)
def test_an_agent_is_found_however_it_is_written(text: str, generic: str) -> None:
    assert find_agent(text).generic == generic


def test_two_agents_on_one_line_are_refused_by_name() -> None:
    with pytest.raises(SeveralAgents) as err:
        find_agent("Opdivo + Yervoy")
    assert str(err.value) == (
        "'Opdivo + Yervoy' names more than one agent (nivolumab, ipilimumab); "
        "give one line per agent"
    )


def test_an_unknown_drug_is_refused_and_keyed_by_its_words() -> None:
    with pytest.raises(AgentNotFound) as err:
        find_agent(" Aspirin 81 mg ")
    assert str(err.value) == "unknown agent 'Aspirin 81 mg': not a drug this program tracks"
    assert agent_key("Aspirin, 81 MG") == "aspirin 81 mg"
    assert agent_key("KEYTRUDA") == "pembrolizumab"
    # a brand inside a longer word is not that brand
    with pytest.raises(AgentNotFound):
        find_agent("Keytrudax")


def test_brand_forms_with_and_without_hyphens() -> None:
    forms = brand_forms({"methylprednisolone"})
    assert forms["solu-medrol"] == "methylprednisolone"
    assert forms["solumedrol"] == "methylprednisolone"
    assert forms["urbason"] == "methylprednisolone"
    assert "keytruda" not in forms  # only the generics asked for


def test_a_spelling_claimed_by_two_agents_is_refused_by_name() -> None:
    # "Solu Medrol" is also read without its space, "solumedrol": a second table row writing
    # "SoluMedrol" would leave an order for it with two drugs
    rows = (
        Agent("drug one", IMMUNOSUPPRESSION, ("Solu Medrol",)),
        Agent("drug two", IMMUNOSUPPRESSION, ("SoluMedrol",)),
    )
    with pytest.raises(ValueError) as caught:
        _names(rows)
    assert str(caught.value) == "'SoluMedrol' names two agents"


@pytest.mark.parametrize(
    ("text", "generic"),
    [
        ("Bactrim DS 1 tab", "trimethoprim-sulfamethoxazole"),
        ("Septra", "trimethoprim-sulfamethoxazole"),
        ("co-trimoxazole 960 mg", "trimethoprim-sulfamethoxazole"),
        ("Cotrimoxazole", "trimethoprim-sulfamethoxazole"),
        ("TMP-SMX DS", "trimethoprim-sulfamethoxazole"),
        ("TMP/SMX", "trimethoprim-sulfamethoxazole"),
        # Synthea writes the two strengths between the names
        (
            "Sulfamethoxazole 800 MG / Trimethoprim 160 MG Oral Tablet",
            "trimethoprim-sulfamethoxazole",
        ),
        ("Mepron 1500 mg", "atovaquone"),
        ("dapsone 100 mg", "dapsone"),
        ("NebuPent 300 mg", "pentamidine"),
        ("Pentam", "pentamidine"),
    ],
)
def test_the_pneumocystis_prophylaxis_drugs(text: str, generic: str) -> None:
    agent = find_agent(text)
    assert (agent.generic, agent.category, agent.pjp_prophylaxis) == (generic, "other", True)
    assert is_pjp_prophylaxis(text)


def test_other_drugs_are_not_pneumocystis_prophylaxis() -> None:
    # trimethoprim alone is another drug than the combination
    with pytest.raises(AgentNotFound):
        find_agent("trimethoprim 100 mg")
    assert not is_pjp_prophylaxis("trimethoprim 100 mg")
    assert not is_pjp_prophylaxis("prednisone")
    assert not is_pjp_prophylaxis("Opdivo + Yervoy")  # several agents: not one drug
