"""What the window's trends and the printed charts mark alike, so a clinician who reads one
reads the other: the C-peptide line below which insulin deficiency is likely, and the colour
of each kind of treatment lane."""

from __future__ import annotations

from typing import Final

from irae_desktop.domain.steroids import steroid_generic
from irae_desktop.domain.units import CPEPTIDE_NMOL_PER_NG

# the C-peptide level below which ICI diabetes with insulin deficiency is likely (clinical
# reference); the default of the diabetes alert's team setting, and the line the C-peptide
# panels draw, in the unit results are stored in (ng/mL)
CPEPTIDE_DEFICIENT_BELOW_NMOL_L: Final = 0.2
CPEPTIDE_DEFICIENT_BELOW_NG_ML: Final = CPEPTIDE_DEFICIENT_BELOW_NMOL_L / CPEPTIDE_NMOL_PER_NG
CPEPTIDE_LINE_WORDS: Final = "insulin deficiency below"

# lane colours from Paul Tol's colour-blind-safe "bright" scheme, none of them a lab series'
# colour (domain/analyte_table.py), so a lane is never read as a result; systemic
# corticosteroids have their own colour, the same as the window's prednisone-equivalent curve
LANE_COLOURS: Final = {
    "ici": "#4477AA",
    "steroid": "#228833",
    "immunosuppression": "#AA3377",
    "insulin": "#EE7733",
    "other": "#777777",
}


def lane_colour_key(category: str, agent: str) -> str:
    """The LANE_COLOURS key of a treatment line: "steroid" for a systemic corticosteroid given
    as immunosuppression, else its category when it has a colour, else "other"."""
    if category == "immunosuppression" and steroid_generic(agent) is not None:
        return "steroid"
    return category if category in LANE_COLOURS else "other"
