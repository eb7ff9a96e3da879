"""The rule catalogue: one rule per kind of change, with what it breaks and why (in the manner of buf's rules).

A rule's `categories` are what a change of that kind breaks when the JSON follows the format rules. A finding
takes its non-document categories from its rule, but its DOCUMENT_* categories from the JSON-level evidence of
the two versions (the `required` lists, array wrappers, `minLength`, `pattern`, `enum`, ... actually written),
because older exports do not always follow the rules and documents are validated against what is written.
"""

from __future__ import annotations

from sosmeta.structures.compat.rule import FM, B, C, F, M, Rule, T, rule_of
from sosmeta.structures.compat.rules_elements import ELEMENT_RULES

_OTHER = [
    # ---- wording ------------------------------------------------------------------------------------------
    rule_of(
        "NAME_CHANGED",
        {T},
        M(
            "Nimi muuttui (avain ei muuttunut).",
            "Namnet har ändrats (nyckeln har inte ändrats).",
            "The name changed (the key did not).",
        ),
        M(
            "{name}: nimi ({lang}) muuttui",
            "{name}: namn ({lang}) har ändrats",
            "{name}: name ({lang}) changed",
        ),
    ),
    rule_of(
        "TITLE_CHANGED",
        {T},
        M(
            "Otsikkoteksti muuttui.",
            "Rubriktexten har ändrats.",
            "The title text changed.",
        ),
        M(
            "{name}: otsikko ({lang}) muuttui",
            "{name}: rubrik ({lang}) har ändrats",
            "{name}: title ({lang}) changed",
        ),
    ),
    rule_of(
        "DESCRIPTION_CHANGED",
        {T},
        M(
            "Kuvaus muuttui.",
            "Beskrivningen har ändrats.",
            "The description changed.",
        ),
        M(
            "{name}: kuvaus ({lang}) muuttui",
            "{name}: beskrivning ({lang}) har ändrats",
            "{name}: description ({lang}) changed",
        ),
    ),
    rule_of(
        "EXAMPLE_CHANGED",
        {T},
        M(
            "Esimerkki muuttui.",
            "Exemplet har ändrats.",
            "The example changed.",
        ),
        M(
            "{name}: esimerkki ({lang}) muuttui",
            "{name}: exempel ({lang}) har ändrats",
            "{name}: example ({lang}) changed",
        ),
    ),
    rule_of(
        "IMPLEMENTATION_NOTE_CHANGED",
        {T},
        M(
            "Toteutusohje muuttui (voi muuttaa ehtoja).",
            "Implementeringsanvisningen har ändrats (den kan ange villkor).",
            "The implementation note changed (it may state conditions).",
        ),
        M(
            "{name}: toteutusohje ({lang}) muuttui",
            "{name}: implementeringsanvisning ({lang}) har ändrats",
            "{name}: implementation note ({lang}) changed",
        ),
    ),
    rule_of(
        "CLASSIFICATION_TEXT_CHANGED",
        {T},
        M(
            "Luokituksen kuvausteksti muuttui.",
            "Klassificeringens beskrivningstext har ändrats.",
            "The classification text changed.",
        ),
        M(
            "{name}: luokitusteksti ({lang}) muuttui",
            "{name}: klassificeringstext ({lang}) har ändrats",
            "{name}: classification text ({lang}) changed",
        ),
    ),
    rule_of(
        "VALUE_SET_CHANGED",
        {T},
        M(
            "Arvojoukon kuvausteksti muuttui.",
            "Värdemängdens beskrivningstext har ändrats.",
            "The value-set text changed.",
        ),
        M(
            "{name}: arvojoukko ({lang}) muuttui",
            "{name}: värdemängd ({lang}) har ändrats",
            "{name}: value set ({lang}) changed",
        ),
    ),
    rule_of(
        "CLASSIFICATION_LINK_CHANGED",
        {T},
        M(
            "Luokituksen linkki muuttui.",
            "Klassificeringens länk har ändrats.",
            "The classification link changed.",
        ),
        M(
            "{name}: luokituslinkki muuttui",
            "{name}: klassificeringens länk har ändrats",
            "{name}: classification link changed",
        ),
    ),
    rule_of(
        "SYSTEM_URI_CHANGED",
        {FM},
        M(
            "Tunnisteen järjestelmä-URI muuttui.",
            "Identifierarens system-URI har ändrats.",
            "The identifier's system URI changed.",
        ),
        M(
            "{name}: system-URI {old} -> {new}",
            "{name}: system-URI {old} -> {new}",
            "{name}: system URI {old} -> {new}",
        ),
    ),
    # ---- JSON constraints not explained by a change above ------------------------------------------------------
    rule_of(
        "MIN_LENGTH_CHANGED",
        {B, F},
        M(
            "minLength muuttui ilman pakollisuuden muutosta (vanhemmat viennit kirjoittavat sen eri tavoin).",
            "minLength har ändrats utan att obligatoriskheten ändrats (äldre exporter skriver den på olika sätt).",
            "minLength changed without a change of requiredness (older exports write it differently).",
        ),
        M(
            "{name}: minLength {old} -> {new}",
            "{name}: minLength {old} -> {new}",
            "{name}: minLength {old} -> {new}",
        ),
    ),
    rule_of(
        "MIN_ITEMS_CHANGED",
        {B, F},
        M(
            "Listan minItems muuttui.",
            "Listans minItems har ändrats.",
            "The list's minItems changed.",
        ),
        M(
            "{name}: minItems {old} -> {new}",
            "{name}: minItems {old} -> {new}",
            "{name}: minItems {old} -> {new}",
        ),
    ),
    rule_of(
        "PATTERN_CHANGED",
        {B, F},
        M(
            "Arvon muotoa rajaava pattern muuttui.",
            "Mönstret (pattern) som begränsar värdets form har ändrats.",
            "The pattern constraining the value changed.",
        ),
        M(
            "{name}: pattern muuttui{detail}",
            "{name}: pattern har ändrats{detail}",
            "{name}: pattern changed{detail}",
        ),
    ),
    rule_of(
        "ENUM_CHANGED",
        {B, F},
        M(
            "Sallittujen arvojen luettelo (enum) muuttui.",
            "Listan över tillåtna värden (enum) har ändrats.",
            "The list of allowed values (enum) changed.",
        ),
        M(
            "{name}: enum muuttui{detail}",
            "{name}: enum har ändrats{detail}",
            "{name}: enum changed{detail}",
        ),
    ),
    rule_of(
        "JSON_TYPE_CHANGED",
        {B, F, C},
        M(
            "Arvon JSON-tyyppi muuttui.",
            "Värdets JSON-typ har ändrats.",
            "The value's JSON type changed.",
        ),
        M(
            "{name}: JSON-tyyppi {old} -> {new}",
            "{name}: JSON-typ {old} -> {new}",
            "{name}: JSON type {old} -> {new}",
        ),
    ),
    rule_of(
        "JSON_CONSTRAINT_CHANGED",
        {B, F},
        M(
            "Muu JSON Schema -rajoite muuttui.",
            "En annan begränsning i JSON Schema har ändrats.",
            "Another JSON Schema constraint changed.",
        ),
        M(
            "{name}: JSON-rajoite {detail} muuttui",
            "{name}: JSON-begränsningen {detail} har ändrats",
            "{name}: JSON constraint {detail} changed",
        ),
    ),
    # ---- structure metadata -----------------------------------------------------------------------------------
    rule_of(
        "STATUS_CHANGED",
        {T},
        M(
            "Rakenteen tila muuttui.",
            "Strukturens status har ändrats.",
            "The structure's status changed.",
        ),
        M(
            "tila {old} -> {new}",
            "status {old} -> {new}",
            "status {old} -> {new}",
        ),
    ),
    rule_of(
        "DOCUMENT_TYPE_CHANGED",
        {C, FM},
        M(
            "Asiakirjatyyppi muuttui.",
            "Dokumenttypen har ändrats.",
            "The document type changed.",
        ),
        M(
            "asiakirjatyyppi {old} -> {new}",
            "dokumenttyp {old} -> {new}",
            "document type {old} -> {new}",
        ),
    ),
    rule_of(
        "DOCUMENT_SUBJECT_CHANGED",
        {T},
        M(
            "Asiakirjan aihe muuttui.",
            "Dokumentets ämne har ändrats.",
            "The document subject changed.",
        ),
        M(
            "aihe {old} -> {new}",
            "ämne {old} -> {new}",
            "subject {old} -> {new}",
        ),
    ),
    rule_of(
        "DOCUMENT_AUTHOR_CHANGED",
        {T},
        M(
            "Asiakirjan laatija-tieto muuttui.",
            "Uppgiften om dokumentets upprättare har ändrats.",
            "The document author changed.",
        ),
        M(
            "laatija {old} -> {new}",
            "upprättare {old} -> {new}",
            "author {old} -> {new}",
        ),
    ),
    rule_of(
        "STRUCTURE_TITLE_CHANGED",
        {T},
        M(
            "Rakenteen otsikko muuttui.",
            "Strukturens titel har ändrats.",
            "The structure's title changed.",
        ),
        M(
            "otsikko {old} -> {new}",
            "titel {old} -> {new}",
            "title {old} -> {new}",
        ),
    ),
    # ---- organisation templates (--org) ----------------------------------------------------------------------
    rule_of(
        "ORG_ENTRY_ELEMENT_GONE",
        {FM},
        M(
            "Organisaation pohjan kohta viittaa elementtiin, jota uudessa versiossa ei ole (poistettu tai avain "
            "muuttunut): kohta lakkaa vaikuttamasta.",
            "En punkt i organisationens mall hänvisar till ett element som den nya versionen inte har (borttaget "
            "eller nyckeln ändrad): punkten upphör att gälla.",
            "An organisation template entry names an element NEW does not have (removed, or its key changed): the "
            "entry stops applying.",
        ),
        M(
            "{name}: pohjan kohta ei enää osu{detail}",
            "{name}: mallens punkt gäller inte längre{detail}",
            "{name}: template entry no longer applies{detail}",
        ),
    ),
    rule_of(
        "ORG_OMITTED_NOW_REQUIRED",
        {FM},
        M(
            "Organisaation piilottama (omit) elementti on uudessa versiossa pakollinen: sitä ei voi enää jättää pois.",
            "Ett element som organisationen utelämnar (omit) är obligatoriskt i den nya versionen: det kan inte "
            "längre utelämnas.",
            "An element the organisation omits is required in NEW: it can no longer be left out.",
        ),
        M(
            "{name}: piilotettu mutta nyt pakollinen{detail}",
            "{name}: utelämnat men nu obligatoriskt{detail}",
            "{name}: omitted but now required{detail}",
        ),
    ),
    rule_of(
        "ORG_CODES_NOT_ACCEPTED",
        {FM},
        M(
            "Organisaation käyttämä koodi (koodilista tai oletusarvo) ei ole uuden version sallituissa koodeissa.",
            "En kod som organisationen använder (dess kodlista eller standardvärde) hör inte till den nya "
            "versionens tillåtna koder.",
            "A code the organisation uses (its code list or default) is not among NEW's accepted codes.",
        ),
        M(
            "{name}: pohjan koodeja ei enää sallita{detail}",
            "{name}: mallens koder tillåts inte längre{detail}",
            "{name}: template codes no longer accepted{detail}",
        ),
    ),
    rule_of(
        "ORG_MAX_ITEMS_NOT_REPEATABLE",
        {FM},
        M(
            "Pohja rajaa toistojen määrää (max_items), mutta elementti ei ole enää toistuva.",
            "Mallen begränsar antalet upprepningar (max_items), men elementet är inte längre upprepbart.",
            "The template limits repeats (max_items), but the element is no longer repeatable.",
        ),
        M(
            "{name}: max_items, mutta ei enää toistuva{detail}",
            "{name}: max_items, men inte längre upprepbart{detail}",
            "{name}: max_items, but no longer repeatable{detail}",
        ),
    ),
    # ---- catalogs -------------------------------------------------------------------------------------------
    rule_of(
        "STRUCTURE_REMOVED",
        {B, C, FM},
        M(
            "Rakenne puuttuu uudesta katalogista: sen asiakirjoille ei ole enää rakennetta.",
            "Strukturen saknas i den nya katalogen: dess dokument har inte längre någon struktur.",
            "The structure is missing from the new catalog: its documents no longer have a structure.",
        ),
        M(
            "rakenne poistettu",
            "strukturen har tagits bort",
            "structure removed",
        ),
        document_from_json=False,
    ),
    rule_of(
        "STRUCTURE_ADDED",
        set(),
        M(
            "Uusi rakenne katalogissa (ei riko mitään).",
            "En ny struktur i katalogen (bryter ingenting).",
            "A new structure in the catalog (breaks nothing).",
        ),
        M(
            "uusi rakenne",
            "ny struktur",
            "new structure",
        ),
        document_from_json=False,
    ),
]

RULES: dict[str, Rule] = {r.id: r for r in (*ELEMENT_RULES, *_OTHER)}


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]
