"""Header names in ten languages find their roles, compared without case, accents or punctuation;
a national identity number or a case number is never the MRN."""

from __future__ import annotations

import pytest

from irae_desktop.domain.analytes import lookup_analyte
from irae_desktop.importers.csv_layouts import detect_layout, normalise_header
from irae_desktop.importers.errors import UnknownLayoutError


def _is_analyte(text: str) -> bool:
    return lookup_analyte(text) is not None


def _roles(header: list[str]) -> dict[str, list[str]]:
    cmap = detect_layout(header, _is_analyte)
    assert cmap.layout == "long"
    return {role: [header[i] for i in indexes] for role, indexes in cmap.roles.items()}


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "Patientennummer;Name;Vorname;Geburtsdatum;Entnahmedatum;Uhrzeit;Analyt;Ergebnis;"
            "Einheit;Referenzbereich;Kennzeichen",
            # "Name" beside "Vorname" is the family name
            "mrn last_name first_name birth collected collected_time test value unit range flag",
        ),
        (
            "IPP;NOM;PRÉNOM;DATE DE NAISSANCE;Date/heure de prélèvement;Libellé;Résultat;Unité;"
            "Valeurs de référence;Drapeau",
            "mrn last_name first_name birth collected test value unit range flag",
        ),
        (
            "Patiëntnummer;Achternaam;Voornaam;Geboortedatum;Afnamedatum;Afnametijd;Bepaling;"
            "Uitslag;Eenheid;Referentiewaarden;Vlag",
            "mrn last_name first_name birth collected collected_time test value unit range flag",
        ),
        (
            "NHC;Apellidos;Nombre;Fecha de nacimiento;Fecha de extracción;Hora de extracción;"
            "Determinación;Resultado;Unidades;Intervalo de referencia;Indicador",
            "mrn last_name first_name birth collected collected_time test value unit range flag",
        ),
        (
            "Numero paziente;Cognome;Nome;Data di nascita;Data prelievo;Ora prelievo;Analita;"
            "Risultato;Unità;Valori di riferimento;Anomalia",
            "mrn last_name first_name birth collected collected_time test value unit range flag",
        ),
        (
            "Nº processo;Apelido;Nome;Data de nascimento;Data da colheita;Hora da colheita;"
            "Análise;Resultado;Unidade;Valores de referência;Indicador",
            "mrn last_name first_name birth collected collected_time test value unit range flag",
        ),
        (
            "Patient-ID;Efternamn;Förnamn;Födelsedatum;Provtagningsdatum;Provtagningstid;Analys;"
            "Resultat;Enhet;Referensintervall;Flagga",
            "mrn last_name first_name birth collected collected_time test value unit range flag",
        ),
        (
            "Patientnummer;Efternavn;Fornavn;Fødselsdato;Prøvetagningsdato;Klokkeslæt;Analyse;"
            "Svar;Enhed;Referenceinterval;Markering",
            "mrn last_name first_name birth collected collected_time test value unit range flag",
        ),
        (
            "Pasientnummer;Etternavn;Fornavn;Fødselsdato;Prøvetakingsdato;Klokkeslett;Analyse;"
            "Resultat;Enhet;Referanseområde;Flagg",
            "mrn last_name first_name birth collected collected_time test value unit range flag",
        ),
        (
            "Potilasnumero;Sukunimi;Etunimi;Syntymäaika;Näytteenottoaika;Tutkimus;Tulos;Yksikkö;"
            "Viitearvot;Merkintä",
            "mrn last_name first_name birth collected test value unit range flag",
        ),
    ],
)
def test_header_sets_find_their_roles(header: str, expected: str) -> None:
    names = header.split(";")
    roles = _roles(names)
    assert {role: cols[0] for role, cols in roles.items()} == dict(
        zip(expected.split(), names, strict=True)
    )


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("Date de prélèvement", "date_de_prelevement"),
        ("Prøvetakingsdato", "provetakingsdato"),
        ("Unità di misura", "unita_di_misura"),
        ("Maßeinheit", "masseinheit"),
        ("\ufeffPatiëntnummer", "patientnummer"),
        ("  Näytteenottoaika ", "naytteenottoaika"),
        ("Nº processo", "no_processo"),
    ],
)
def test_headers_compare_without_accents(text: str, normalised: str) -> None:
    assert normalise_header(text) == normalised


@pytest.mark.parametrize(
    "national", ["Personnummer", "CPR-nummer", "Fødselsnummer", "Henkilötunnus", "BSN", "NIR"]
)
def test_national_identity_number_column_is_named_not_used(national: str) -> None:
    header = [national, "Provtagningsdatum", "Analys", "Resultat", "Enhet"]
    with pytest.raises(UnknownLayoutError) as raised:
        detect_layout(header, _is_analyte)
    message = str(raised.value)
    assert f"Column {national!r} holds a national identity number" in message
    assert "Missing here: mrn" in message


def test_national_identity_number_beside_a_patient_number_is_left_alone() -> None:
    header = ["Personnummer", "Patient-ID", "Provtagningsdatum", "Analys", "Resultat", "Enhet"]
    roles = _roles(header)
    assert roles["mrn"] == ["Patient-ID"]
    assert "Personnummer" not in [col for cols in roles.values() for col in cols]


def test_case_number_is_not_a_patient_number() -> None:
    with pytest.raises(UnknownLayoutError) as raised:
        detect_layout(["Fallnummer", "Entnahmedatum", "Analyt", "Ergebnis"], _is_analyte)
    assert "Missing here: mrn" in str(raised.value)
    assert "national identity" not in str(raised.value)
