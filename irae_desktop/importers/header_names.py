"""The header spellings each CSV role is recognised by, in English and nine European languages.

Spellings are compared after `csv_layouts.normalise_header`: lower case, accents folded
("Prøvetakingsdato" is "provetakingsdato", "Unità" is "unita", "Maßeinheit" is "masseinheit"),
and every run of other characters made one "_" ("Date de prélèvement" is
"date_de_prelevement"). Within a role, earlier spellings are preferred where a file has several.

Where the spellings come from: German practice and laboratory software (tomedo's lab table:
Abnahmedatum, Abnahmezeit, Ergebnis, Einheit, Normbereich, Testbezeichnung; the KBV MIO
'Laboruntersuchung': Ergebnis); Swedish laboratory catalogues (Region Skåne via
medicinskordbok.se: Analys, Referensintervall; Akademiska sjukhuset: Enhet); Norwegian
(Nordlandssykehuset: Referanseområde); Finnish (terveyskirjasto.fi: viitearvot);
and the everyday clinical words of each language for the same columns.

Decisions (also in docs/clinical-reference.md, section 6, "Patient numbers"):
- A national identity number (personnummer, CPR-nummer, fødselsnummer, henkilötunnus, NIR,
  BSN, DNI, codice fiscale, Sozialversicherungsnummer) is not a medical record number: it is
  a different namespace and sensitive personal data. Such a column is never taken as the MRN;
  the layout error names it, and a site whose patient number is the national number says so
  by saving a column mapping.
- A case, visit or episode number (Fallnummer, numéro de séjour, NDA, episodio, contactnummer)
  changes at each admission: taken as the MRN it would split one patient into many, so it is
  not recognised either.
- Status columns are not translated: their values ("endgültig", "validé") are not the ones the
  importer reads, and an unread status must not reject results.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# the spellings this importer has always read, English and the export formats it names
_ENGLISH: dict[str, tuple[str, ...]] = {
    "mrn": _words(
        "mrn patient_mrn medical_record_number mrn_number patient_id patientid pat_id "
        "patient_number hospital_number patient person_id subject_id record_number "
    ),
    "name": _words("patient_name name full_name patient_full_name "),
    "first_name": _words("first first_name given given_name forename "),
    "last_name": _words("last last_name family family_name surname "),
    "birth": _words("dob birth_date birthdate date_of_birth birth_dt "),
    "sex": _words("sex gender administrative_gender "),
    "weight": _words("weight_kg weight body_weight weight_kg_ "),
    "diagnosis": _words("diagnosis primary_diagnosis cancer cancer_type tumour tumor "),
    "collected": _words(
        "collected_at collection_datetime collection_date_time collected collection_date "
        "specimen_collected specimen_datetime drawn_at draw_time draw_date draw_datetime drawn "
        "specimen_date sample_datetime sample_date sample_time charttime measurement_datetime "
        "measurement_date observation_datetime observation_date effective_datetime "
        "result_datetime result_date datetime date_time date "
    ),
    "collected_time": _words("collection_time time draw_clock_time measurement_time "),
    "code": _words("loinc loinc_code test_code code observation_code component_code "),
    "test": _words(
        "test_name test analyte label component component_name lab_name lab_test "
        "measurement_source_value observation description test_description item parameter "
    ),
    "value": _words(
        "result value result_value value_as_number valuenum value_source_value result_text "
        "observation_value numeric_value "
    ),
    "unit": _words("unit units uom valueuom unit_source_value result_unit unit_of_measure "),
    "range": _words("reference_range ref_range range normal_range reference_interval "),
    "low": _words("ref_low range_low ref_range_lower reference_low low lln lower_limit "),
    "high": _words("ref_high range_high ref_range_upper reference_high high uln upper_limit "),
    "flag": _words("abnormal_flag flag abnormal interpretation abn_flag "),
    "status": _words("result_status status "),
    "category": _words("category "),
    "value_type": _words("type value_type "),
}

# European spellings; for the collection time, before the bare words for "date"
_EUROPEAN: dict[str, tuple[str, ...]] = {
    "mrn": _words(
        "patientennummer patienten_nr patientennr pat_nr patnr patienten_id pid ipp "
        "numero_de_patient numero_patient n_patient no_patient identifiant_patient "
        "numero_de_dossier patientnummer patient_nummer patientnr patient_nr nhc "
        "numero_de_historia numero_de_historia_clinica numero_historia_clinica historia_clinica "
        "n_historia numero_paciente id_paciente numero_paziente codice_paziente id_paziente "
        "n_paziente numero_do_processo numero_de_processo n_processo no_processo n_o_processo "
        "no_do_processo processo numero_do_utente_hospitalar pasientnummer pasient_id pasientnr "
        "patient_id_nummer potilasnumero potilas_id "
    ),
    "name": _words(
        "patientenname nom_du_patient nom_patient nom_prenom naam patientnaam naam_patient "
        "nombre_y_apellidos nombre_completo nome_e_cognome cognome_e_nome cognome_nome "
        "nome_completo nome_do_doente namn patientnamn navn patientnavn pasientnavn nimi "
        "potilaan_nimi "
    ),
    "first_name": _words(
        "vorname prenom voornaam voornamen nombre nome proprio_nome fornamn fornavn etunimi "
    ),
    "last_name": _words(
        "nachname familienname nom nom_de_famille nom_de_naissance achternaam apellidos "
        "apellido primer_apellido cognome apelido apelidos efternamn efternavn etternavn "
        "sukunimi "
    ),
    "birth": _words(
        "geburtsdatum geb_datum geboren_am date_de_naissance date_naissance ddn ne_le "
        "geboortedatum geb_datum_patient fecha_de_nacimiento fecha_nacimiento f_nacimiento "
        "data_di_nascita data_nascita data_de_nascimento data_nascimento fodelsedatum "
        "fodselsdato syntymaaika syntymapaiva "
    ),
    "collected": _words(
        "entnahmedatum entnahmezeitpunkt entnahme abnahmedatum abnahmezeitpunkt abnahme "
        "probenentnahme entnahmedatum_uhrzeit date_de_prelevement date_prelevement "
        "date_du_prelevement date_heure_prelevement date_heure_de_prelevement "
        "date_et_heure_de_prelevement prelevement preleve_le afnamedatum afname_datum "
        "afnamemoment datum_afname afname fecha_de_extraccion fecha_extraccion fecha_de_toma "
        "fecha_toma fecha_toma_muestra fecha_de_la_muestra fecha_muestra fecha_hora_extraccion "
        "data_prelievo data_del_prelievo data_ora_prelievo data_e_ora_prelievo data_da_colheita "
        "data_colheita data_de_colheita data_hora_colheita data_da_coleta data_coleta "
        "provtagningsdatum provtagningstidpunkt provtagning provdatum provetagningsdato "
        "provetagningstidspunkt provedato provetakingsdato provetakingstidspunkt provetaking "
        "naytteenottoaika naytteenottopaiva naytteenottopvm datum fecha dato paivamaara pvm "
    ),
    "collected_time": _words(
        "entnahmezeit entnahme_uhrzeit abnahmezeit uhrzeit zeit heure_de_prelevement "
        "heure_prelevement heure afnametijd afname_tijd tijd hora_de_extraccion hora_extraccion "
        "hora_de_toma hora ora_prelievo ora_del_prelievo ora hora_da_colheita hora_colheita "
        "provtagningstid provetagningstid provetakingstid klockslag klokkeslaet klokkeslett tid "
        "kellonaika naytteenottoklo "
    ),
    "code": _words(
        "testkurzel testkuerzel kurzel code_analyse testcode bepalingcode codigo codigo_prueba "
        "codice codice_esame analyskod kod analysekode kode tutkimuskoodi koodi "
    ),
    "test": _words(
        "analyt untersuchung testbezeichnung bezeichnung laborparameter analyse examen libelle "
        "libelle_analyse nom_analyse nom_de_l_analyse parametre bepaling test_naam onderzoek "
        "prueba determinacion nombre_prueba parametro esame analita nome_esame analise exame "
        "analys analysnamn komponent analysenavn undersogelse undersokelse tutkimus "
        "tutkimuksen_nimi "
    ),
    "value": _words(
        "ergebnis wert messwert ergebniswert resultat valeur uitslag resultaat waarde resultado "
        "valor risultato valore varde vaerdi verdi svar tulos arvo "
    ),
    "unit": _words(
        "einheit einh masseinheit unite unites unite_de_mesure eenheid unidad unidades unita "
        "unita_di_misura u_m unidade unidades_de_medida enhet enhed eining yksikko "
    ),
    "range": _words(
        "referenzbereich normbereich normalbereich referenzwert referenzwerte normwert "
        "normwerte referenzintervall valeurs_de_reference valeur_de_reference valeurs_normales "
        "intervalle_de_reference normes referentiewaarden referentiewaarde referentiegebied "
        "referentie_interval normaalwaarden intervalo_de_referencia valores_de_referencia "
        "valores_referencia rango_de_referencia rango_referencia valores_normales "
        "valori_di_riferimento valori_riferimento intervallo_di_riferimento valori_normali "
        "referensintervall referensvarde referensomrade referenceinterval referenceomrade "
        "referanseomrade referanseverdi normalomrade viitearvot viitearvo viitevali viitealue "
    ),
    "low": _words(
        "untere_grenze untergrenze norm_unten borne_inferieure ondergrens limite_inferior "
        "limite_inferiore nedre_grans nedre_graense nedre_grense alaraja "
    ),
    "high": _words(
        "obere_grenze obergrenze norm_oben borne_superieure bovengrens limite_superior "
        "limite_superiore ovre_grans ovre_graense ovre_grense ylaraja "
    ),
    "flag": _words(
        "kennzeichen markierung grenzwertindikator drapeau indicateur anomalie vlag afwijkend "
        "afwijking indicador anomalia flagga flagg markering merkinta poikkeava "
    ),
}

# the bare words for "date" in each language come after every specific spelling
_GENERIC_DATES = _words("datetime date_time date datum fecha dato paivamaara pvm")


def _role_spellings(role: str) -> tuple[str, ...]:
    english = _ENGLISH[role]
    european = _EUROPEAN.get(role, ())
    if role == "collected":
        specific = tuple(s for s in english if s not in _GENERIC_DATES)
        return specific + tuple(s for s in european if s not in _GENERIC_DATES) + _GENERIC_DATES
    return english + european


# role -> header spellings after normalising, in order of preference
ROLE_SYNONYMS: dict[str, tuple[str, ...]] = {role: _role_spellings(role) for role in _ENGLISH}

# national identity numbers: never the MRN (see the module docstring); named in the layout error
NATIONAL_ID_HEADERS = frozenset(
    _words(
        "bsn burgerservicenummer codice_fiscale cpr cpr_nr cpr_nummer dni fnr fodselsnummer "
        "henkilotunnus hetu krankenversichertennummer nie nif nir numero_de_securite_sociale "
        "numero_de_utente personnr personnummer personnummer_patient sozialversicherungsnummer "
        "svnr versichertennummer "
    )
)
