"""The drugs a treatment line can name: category, generic name, brand names and codes.

One table, so an imported "Keytruda", a typed "pembrolizumab" and a Solu-Medrol order all land
on the same generic name, and a line's category (ICI, immunosuppression, insulin) follows from
the drug rather than from whoever typed it.

Sources: brand names from the US prescribing information or the EU product information of each
product; ATC codes from the WHO Collaborating Centre for Drug Statistics Methodology, ATC/DDD
Index 2024 (the JAK inhibitors moved to L04AF that year); dosing intervals (`cycle_days`: the
longest interval of the labelled schedules, e.g. pembrolizumab 200 mg every 3 weeks or 400 mg
every 6 weeks) from the US prescribing information; RxNorm codes are the ingredient
concepts (term type IN) of the US National Library of Medicine's RxNorm. A code is given only
where it was checked; None means "not recorded here", never "has none".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

ICI, IMMUNOSUPPRESSION, INSULIN, OTHER = "ici", "immunosuppression", "insulin", "other"


@dataclass(frozen=True, slots=True)
class Agent:
    generic: str
    category: str
    brands: tuple[str, ...] = ()
    atc: str | None = None
    rxnorm: str | None = None
    # other spellings of the generic name seen in orders and exports
    aliases: tuple[str, ...] = ()
    # the longest labelled interval between doses of a drug given in cycles (days); None for
    # a drug taken daily (domain.administrations)
    cycle_days: int | None = None
    # prevents Pneumocystis jirovecii pneumonia in a patient on long high-dose steroids: a line
    # of it on answers the PJP prophylaxis alert (domain.alerts_immunosuppression)
    pjp_prophylaxis: bool = False


AGENTS: tuple[Agent, ...] = (
    # immune checkpoint inhibitors: anti-PD-1, anti-PD-L1, anti-CTLA-4
    Agent("pembrolizumab", ICI, ("Keytruda",), "L01FF02", "1547545", cycle_days=42),
    Agent("nivolumab", ICI, ("Opdivo",), "L01FF01", "1597876", cycle_days=28),
    Agent("cemiplimab", ICI, ("Libtayo",), "L01FF06", cycle_days=21),
    Agent("dostarlimab", ICI, ("Jemperli",), "L01FF07", cycle_days=42),
    Agent("atezolizumab", ICI, ("Tecentriq",), "L01FF05", cycle_days=28),
    Agent("durvalumab", ICI, ("Imfinzi",), "L01FF03", cycle_days=28),
    Agent("avelumab", ICI, ("Bavencio",), "L01FF04", cycle_days=14),
    Agent("ipilimumab", ICI, ("Yervoy",), "L01FX04", "1094833", cycle_days=42),
    Agent("tremelimumab", ICI, ("Imjudo",), cycle_days=21),
    # corticosteroids (prednisone equivalents: domain.steroids)
    Agent("prednisone", IMMUNOSUPPRESSION, ("Deltasone", "Rayos"), "H02AB07", "8640"),
    Agent("prednisolone", IMMUNOSUPPRESSION, ("Orapred", "Millipred"), "H02AB06", "8638"),
    Agent(
        "methylprednisolone",
        IMMUNOSUPPRESSION,
        ("Medrol", "Solu-Medrol", "Depo-Medrol", "Urbason"),
        "H02AB04",
        "6902",
    ),
    Agent("dexamethasone", IMMUNOSUPPRESSION, ("Decadron", "Fortecortin"), "H02AB02", "3264"),
    Agent("hydrocortisone", IMMUNOSUPPRESSION, ("Solu-Cortef", "Cortef"), "H02AB09", "5492"),
    # acts in the gut: never counted as systemic steroid (domain.steroids)
    Agent("budesonide", IMMUNOSUPPRESSION, ("Entocort", "Uceris"), "A07EA06", "19831"),
    # steroid-sparing and second-line immunosuppression
    Agent(
        "mycophenolate mofetil",
        IMMUNOSUPPRESSION,
        ("CellCept",),
        "L04AA06",
        "68149",
        aliases=("mycophenolate", "MMF"),
    ),
    Agent(
        "mycophenolic acid",
        IMMUNOSUPPRESSION,
        ("Myfortic",),
        "L04AA06",
        aliases=("mycophenolate sodium",),
    ),
    Agent("tacrolimus", IMMUNOSUPPRESSION, ("Prograf", "Advagraf", "Envarsus"), "L04AD02", "42316"),
    Agent(
        "ciclosporin",
        IMMUNOSUPPRESSION,
        ("Neoral", "Sandimmune", "Sandimmun"),
        "L04AD01",
        "3008",
        aliases=("cyclosporine", "cyclosporin"),
    ),
    Agent(
        "infliximab",
        IMMUNOSUPPRESSION,
        ("Remicade", "Inflectra", "Renflexis", "Remsima"),
        "L04AB02",
        "191831",
        cycle_days=56,
    ),
    Agent("vedolizumab", IMMUNOSUPPRESSION, ("Entyvio",)),
    Agent("tofacitinib", IMMUNOSUPPRESSION, ("Xeljanz",), "L04AF01", "1357536"),
    Agent("baricitinib", IMMUNOSUPPRESSION, ("Olumiant",), "L04AF02"),
    Agent("ruxolitinib", IMMUNOSUPPRESSION, ("Jakafi", "Jakavi"), "L01EJ01"),
    Agent(
        "anti-thymocyte globulin",
        IMMUNOSUPPRESSION,
        ("Thymoglobulin", "Atgam"),
        "L04AA04",
        aliases=("ATG", "antithymocyte globulin"),
    ),
    # insulins
    Agent("insulin glargine", INSULIN, ("Lantus", "Toujeo", "Basaglar", "Semglee"), "A10AE04"),
    Agent("insulin detemir", INSULIN, ("Levemir",), "A10AE05"),
    Agent("insulin degludec", INSULIN, ("Tresiba",), "A10AE06"),
    Agent("insulin lispro", INSULIN, ("Humalog", "Admelog", "Lyumjev"), "A10AB04"),
    Agent("insulin aspart", INSULIN, ("NovoLog", "NovoRapid", "Fiasp"), "A10AB05"),
    Agent("insulin glulisine", INSULIN, ("Apidra",), "A10AB06"),
    Agent(
        "insulin regular",
        INSULIN,
        ("Humulin R", "Novolin R", "Actrapid"),
        "A10AB01",
        aliases=("regular insulin", "human insulin", "insulin human"),
    ),
    Agent(
        "insulin isophane",
        INSULIN,
        ("Humulin N", "Novolin N", "Insulatard"),
        "A10AC01",
        aliases=("NPH insulin", "insulin NPH"),
    ),
    # an order that names insulin without its kind is still an insulin line
    Agent("insulin", INSULIN),
    # Pneumocystis prophylaxis (ASCO 2021 irAE guideline; NCCN, Prevention and Treatment of
    # Cancer-Related Infections): trimethoprim-sulfamethoxazole first, the others when it cannot
    # be given. A sulfamethoxazole named alone is the combination: it is not sold on its own;
    # trimethoprim alone is another drug and is not matched
    Agent(
        "trimethoprim-sulfamethoxazole",
        OTHER,
        ("Bactrim", "Septra"),
        "J01EE01",
        aliases=(
            "sulfamethoxazole-trimethoprim",
            "sulfamethoxazole and trimethoprim",
            "trimethoprim and sulfamethoxazole",
            "sulfamethoxazole",
            "co-trimoxazole",
            "cotrimoxazole",
            "TMP-SMX",
            "SMX-TMP",
        ),
        pjp_prophylaxis=True,
    ),
    Agent("atovaquone", OTHER, ("Mepron",), "P01AX06", pjp_prophylaxis=True),
    Agent("dapsone", OTHER, (), "J04BA02", pjp_prophylaxis=True),
    Agent("pentamidine", OTHER, ("NebuPent", "Pentam"), "P01CX01", pjp_prophylaxis=True),
)


def _words(text: str) -> str:
    """Lower case without accents, every run of other characters one space: "Solu-Medrol"
    and "SOLU MEDROL" read alike."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.findall(r"[a-z0-9]+", plain.lower()))


def _names(agents: tuple[Agent, ...]) -> dict[str, Agent]:
    names: dict[str, Agent] = {}
    for agent in agents:
        for name in (agent.generic, *agent.brands, *agent.aliases):
            words = _words(name)
            # "Solumedrol" and "Solu-Medrol" alike
            for form in {words, words.replace(" ", "")}:
                if names.setdefault(form, agent) is not agent:
                    raise ValueError(f"{name!r} names two agents")
    return names


# built on first use, not at import: tests/domain/conftest.py empties them between tests
@cache
def _by_name() -> dict[str, Agent]:
    return _names(AGENTS)


@cache
def _longest_first() -> tuple[str, ...]:
    return tuple(sorted(_by_name(), key=len, reverse=True))


class AgentNotFound(ValueError):
    """The text names no agent of the table."""


class SeveralAgents(ValueError):
    """The text names more than one agent (a combination written on one line)."""


def find_agent(text: str) -> Agent:
    """The one agent named in `text` ("KEYTRUDA 200 mg IV", "pembrolizumab (Keytruda)"),
    matched on whole words, the longest name first ("insulin glargine" before "insulin").
    Raises AgentNotFound or SeveralAgents with a message for the user."""
    words = f" {_words(text)} "
    found: list[Agent] = []
    by_name = _by_name()
    for name in _longest_first():
        needle = f" {name} "
        if needle in words:
            agent = by_name[name]
            if agent not in found:
                found.append(agent)
            words = words.replace(needle, " ")
    if len(found) > 1:
        # "Lantus insulin": the kind of insulin named beside the word insulin
        found = [a for a in found if a.generic != "insulin"]
    if not found:
        raise AgentNotFound(f"unknown agent {text.strip()!r}: not a drug this program tracks")
    if len(found) > 1:
        named = ", ".join(a.generic for a in found)
        raise SeveralAgents(
            f"{text.strip()!r} names more than one agent ({named}); give one line per agent"
        )
    return found[0]


def agent_key(text: str) -> str:
    """The generic name of a recorded agent, or its text in plain lower case when the table
    does not know it: two lines for the same drug have the same key however they were typed."""
    try:
        return find_agent(text).generic
    except (AgentNotFound, SeveralAgents):
        return _words(text)


def is_pjp_prophylaxis(text: str) -> bool:
    """Whether a recorded agent is one of the Pneumocystis prophylaxis drugs."""
    try:
        return find_agent(text).pjp_prophylaxis
    except (AgentNotFound, SeveralAgents):
        return False


def brand_forms(generics: set[str]) -> dict[str, str]:
    """Lower-case brand spellings (with and without hyphens) of the agents in `generics`, to the
    generic: for matchers that look for a brand inside free text."""
    forms: dict[str, str] = {}
    for agent in AGENTS:
        if agent.generic in generics:
            for brand in agent.brands:
                low = brand.lower()
                forms[low] = agent.generic
                forms[low.replace("-", "")] = agent.generic
    return forms
