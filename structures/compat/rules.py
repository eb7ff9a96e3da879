"""The rule catalogue: one rule per kind of change, with what it breaks and why (in the manner of buf's rules).

A rule's `categories` are what a change of that kind breaks when the JSON follows the format rules. A finding
takes its non-document categories from its rule, but its DOCUMENT_* categories from the JSON-level evidence of
the two versions (the `required` lists, array wrappers, `minLength`, `pattern`, `enum`, ... actually written),
because older exports do not always follow the rules and documents are validated against what is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from sosmeta.structures.compat.categories import B, Category, F

C = Category.CODEGEN
FM = Category.FORM
T = Category.TEXT


@dataclass(frozen=True)
class Rule:
    id: str
    categories: frozenset[Category]
    why_fi: str
    why_en: str
    message_fi: str
    """Per-finding message; placeholders {name} {old} {new} {lang} {detail}."""
    message_en: str
    document_from_json: bool = True
    """DOCUMENT_* categories of a finding come from its JSON-level evidence (not from this rule's set)."""


def _r(
    id: str, cats: set[Category], why_fi: str, why_en: str, msg_fi: str, msg_en: str, document_from_json: bool = True
) -> Rule:
    return Rule(id, frozenset(cats), why_fi, why_en, msg_fi, msg_en, document_from_json)


_ALL = [
    # ---- elements ---------------------------------------------------------------------------------------
    _r(
        "ELEMENT_ADDED_OPTIONAL",
        {F, C, FM},
        "Uusi valinnainen tietoelementti: vanha versio hylkää asiakirjan, jossa se on (additionalProperties: false).",
        "A new optional element: OLD rejects documents that contain it (additionalProperties: false).",
        "{name}: uusi valinnainen elementti{detail}",
        "{name}: new optional element{detail}",
    ),
    _r(
        "ELEMENT_ADDED_REQUIRED",
        {B, F, C, FM},
        "Uusi pakollinen tietoelementti: vanhoista asiakirjoista se puuttuu, ja vanha versio hylkää uudet.",
        "A new required element: old documents lack it, and OLD rejects new documents that have it.",
        "{name}: uusi pakollinen elementti{detail}",
        "{name}: new required element{detail}",
    ),
    _r(
        "ELEMENT_REMOVED",
        {B, F, C, FM},
        "Tietoelementti poistettu: uusi versio hylkää asiakirjat, joissa se on; jos se oli pakollinen, vanha "
        "versio hylkää uudet asiakirjat.",
        "An element was removed: NEW rejects documents that contain it; if it was required, OLD rejects new documents.",
        "{name}: elementti poistettu{detail}",
        "{name}: element removed{detail}",
    ),
    _r(
        "ELEMENT_RENAMED",
        {B, F, C, FM},
        "Elementin avain muuttui (vahvistettu uudelleennimeäminen): JSON-avain vaihtuu asiakirjoissa.",
        "The element's key changed (a confirmed rename): the JSON key in documents changes.",
        "{name}: avain {old} -> {new}",
        "{name}: key {old} -> {new}",
    ),
    _r(
        "ELEMENT_RENAME_SUSPECTED",
        {B, F, C, FM},
        "Poistettu ja lisätty elementti samassa kohdassa samankaltaisin nimin: todennäköisesti uudelleennimeäminen. "
        "Vahvista se nimeämistiedostolla.",
        "An element removed and one added in the same place with similar names: probably a rename. Confirm it "
        "in a renames file.",
        "{name}: avain {old} -> {new} (epäilty uudelleennimeäminen)",
        "{name}: key {old} -> {new} (suspected rename)",
    ),
    _r(
        "REQUIRED_ADDED",
        {B, C, FM},
        "Valinnaisesta tuli pakollinen: vanhat asiakirjat, joista se puuttuu, eivät enää kelpaa.",
        "Optional became required: old documents without it are no longer valid.",
        "{name}: muuttui pakolliseksi",
        "{name}: became required",
    ),
    _r(
        "REQUIRED_REMOVED",
        {F, C, FM},
        "Pakollisesta tuli valinnainen: uudet asiakirjat, joista se puuttuu, eivät kelpaa vanhalle versiolle.",
        "Required became optional: new documents without it are not valid under OLD.",
        "{name}: muuttui valinnaiseksi",
        "{name}: became optional",
    ),
    _r(
        "REPEATABLE_ADDED",
        {B, F, C, FM},
        "Kerran esiintyvästä tuli toistuva: arvo muuttuu JSONissa listaksi, joten muutos rikkoo kumpaankin suuntaan.",
        "Single became repeatable: the value becomes a JSON list, which breaks both directions.",
        "{name}: muuttui toistuvaksi (arvo on nyt lista)",
        "{name}: became repeatable (the value is now a list)",
    ),
    _r(
        "REPEATABLE_REMOVED",
        {B, F, C, FM},
        "Toistuvasta tuli kerran esiintyvä: lista muuttuu yksittäiseksi arvoksi, joten muutos rikkoo kumpaankin "
        "suuntaan.",
        "Repeatable became single: the list becomes a single value, which breaks both directions.",
        "{name}: ei ole enää toistuva (arvo ei ole lista)",
        "{name}: no longer repeatable (the value is not a list)",
    ),
    _r(
        "REPRESENTATION_CHANGED",
        {B, F, C, FM},
        "Esitysmuoto muuttui: arvon JSON-muoto ja lomakkeen kenttä voivat muuttua.",
        "The representation changed: the value's JSON shape and the form field may change.",
        "{name}: esitysmuoto {old} -> {new}",
        "{name}: representation {old} -> {new}",
    ),
    _r(
        "CODE_SYSTEM_CHANGED",
        {B, F, FM},
        "Koodisto vaihtui: koodien system-arvo ja sallitut koodit muuttuvat.",
        "The code system changed: the codes' system value and the codes allowed change.",
        "{name}: koodisto {old} -> {new}{detail}",
        "{name}: code system {old} -> {new}{detail}",
    ),
    _r(
        "CODE_LIST_VERSION_CHANGED",
        set(),
        "Elementti sidottiin saman koodiston toiseen versioon: versioiden välillä poistetut tai päättyneet koodit "
        "eivät enää kelpaa, lisätyt eivät kelpaa vanhalle versiolle (luettelot katalogin koodistoista).",
        "The element is bound to another version of the same code list: codes removed or ended between the "
        "versions no longer pass, codes added do not pass the old version (from the catalog's stored lists).",
        "{name}: koodiston versio {old} -> {new}{detail}",
        "{name}: code list version {old} -> {new}{detail}",
        document_from_json=False,
    ),
    _r(
        "CODES_NARROWED",
        {B, C, FM},
        "Sallittuja koodeja poistettiin (tai koodit rajattiin): vanhat asiakirjat, joissa niitä on, eivät kelpaa.",
        "Accepted codes were removed (or codes were restricted): old documents using them are no longer valid.",
        "{name}: sallituista koodeista poistettu {detail}",
        "{name}: accepted codes removed: {detail}",
    ),
    _r(
        "CODES_WIDENED",
        {F, C, FM},
        "Sallittuja koodeja lisättiin (tai rajaus poistettiin): vanha versio hylkää uusia koodeja käyttävät "
        "asiakirjat.",
        "Accepted codes were added (or the restriction lifted): OLD rejects documents using the new codes.",
        "{name}: sallittuihin koodeihin lisätty {detail}",
        "{name}: accepted codes added: {detail}",
    ),
    _r(
        "CODES_REORDERED",
        {FM},
        "Koodien järjestys muuttui: valintalistan järjestys lomakkeella muuttuu.",
        "The order of the codes changed: the order of the choice list on the form changes.",
        "{name}: koodien järjestys muuttui",
        "{name}: order of the codes changed",
    ),
    _r(
        "PHRASE_CHANGED",
        {B, F, FM, T},
        "Vakiofraasi muuttui: suomenkielinen fraasi on asiakirjan ainoa sallittu arvo (enum).",
        "The fixed phrase changed: the Finnish phrase is the only value a document may carry (enum).",
        "{name}: fraasi ({lang}) muuttui",
        "{name}: phrase ({lang}) changed",
    ),
    _r(
        "CONDITIONAL_REQUIRED_CHANGED",
        {FM},
        "Ehdollinen pakollisuus muuttui: lomakkeen tarkistus muuttuu (ei vaikutusta JSON Schemaan).",
        "Conditional requiredness changed: the form's check changes (no effect on the JSON Schema).",
        "{name}: ehdollisesti pakollinen {old} -> {new}",
        "{name}: conditionally required {old} -> {new}",
    ),
    _r(
        "HIDDEN_FIELD_CHANGED",
        {FM},
        "Piilotettu kenttä -merkintä muuttui: lomakkeen rakenne muuttuu.",
        "The hidden-field flag changed: the form's layout changes.",
        "{name}: piilotettu kenttä {old} -> {new}",
        "{name}: hidden field {old} -> {new}",
    ),
    _r(
        "HIDDEN_TITLE_CHANGED",
        {FM},
        "Piilotettu otsikko -merkintä muuttui: lomakkeen otsikointi muuttuu.",
        "The hidden-title flag changed: the form's labels change.",
        "{name}: piilotettu otsikko {old} -> {new}",
        "{name}: hidden title {old} -> {new}",
    ),
    _r(
        "NATIONALLY_RECORDED_CHANGED",
        {FM},
        "Valtakunnallisesti kirjattava tieto -merkintä muuttui: kirjaamisvelvoite muuttuu.",
        "The nationally-recorded flag changed: what must be recorded changes.",
        "{name}: valtakunnallisesti kirjattava {old} -> {new}",
        "{name}: nationally recorded {old} -> {new}",
    ),
    _r(
        "ROW_ORDER_CHANGED",
        {FM},
        "Elementin paikka sisarustensa joukossa muuttui: kenttien järjestys lomakkeella muuttuu.",
        "The element moved among its siblings: the order of fields on the form changes.",
        "{name}: siirtyi (rivi {old} -> {new})",
        "{name}: moved (row {old} -> {new})",
    ),
    # ---- wording ------------------------------------------------------------------------------------------
    _r(
        "NAME_CHANGED",
        {T},
        "Nimi muuttui (avain ei muuttunut).",
        "The name changed (the key did not).",
        "{name}: nimi ({lang}) muuttui",
        "{name}: name ({lang}) changed",
    ),
    _r(
        "TITLE_CHANGED",
        {T},
        "Otsikkoteksti muuttui.",
        "The title text changed.",
        "{name}: otsikko ({lang}) muuttui",
        "{name}: title ({lang}) changed",
    ),
    _r(
        "DESCRIPTION_CHANGED",
        {T},
        "Kuvaus muuttui.",
        "The description changed.",
        "{name}: kuvaus ({lang}) muuttui",
        "{name}: description ({lang}) changed",
    ),
    _r(
        "EXAMPLE_CHANGED",
        {T},
        "Esimerkki muuttui.",
        "The example changed.",
        "{name}: esimerkki ({lang}) muuttui",
        "{name}: example ({lang}) changed",
    ),
    _r(
        "IMPLEMENTATION_NOTE_CHANGED",
        {T},
        "Toteutusohje muuttui (voi muuttaa ehtoja).",
        "The implementation note changed (it may state conditions).",
        "{name}: toteutusohje ({lang}) muuttui",
        "{name}: implementation note ({lang}) changed",
    ),
    _r(
        "CLASSIFICATION_TEXT_CHANGED",
        {T},
        "Luokituksen kuvausteksti muuttui.",
        "The classification text changed.",
        "{name}: luokitusteksti ({lang}) muuttui",
        "{name}: classification text ({lang}) changed",
    ),
    _r(
        "VALUE_SET_CHANGED",
        {T},
        "Arvojoukon kuvausteksti muuttui.",
        "The value-set text changed.",
        "{name}: arvojoukko ({lang}) muuttui",
        "{name}: value set ({lang}) changed",
    ),
    _r(
        "CLASSIFICATION_LINK_CHANGED",
        {T},
        "Luokituksen linkki muuttui.",
        "The classification link changed.",
        "{name}: luokituslinkki muuttui",
        "{name}: classification link changed",
    ),
    _r(
        "SYSTEM_URI_CHANGED",
        {FM},
        "Tunnisteen järjestelmä-URI muuttui.",
        "The identifier's system URI changed.",
        "{name}: system-URI {old} -> {new}",
        "{name}: system URI {old} -> {new}",
    ),
    # ---- JSON constraints not explained by a change above ------------------------------------------------------
    _r(
        "MIN_LENGTH_CHANGED",
        {B, F},
        "minLength muuttui ilman pakollisuuden muutosta (vanhemmat viennit kirjoittavat sen eri tavoin).",
        "minLength changed without a change of requiredness (older exports write it differently).",
        "{name}: minLength {old} -> {new}",
        "{name}: minLength {old} -> {new}",
    ),
    _r(
        "MIN_ITEMS_CHANGED",
        {B, F},
        "Listan minItems muuttui.",
        "The list's minItems changed.",
        "{name}: minItems {old} -> {new}",
        "{name}: minItems {old} -> {new}",
    ),
    _r(
        "PATTERN_CHANGED",
        {B, F},
        "Arvon muotoa rajaava pattern muuttui.",
        "The pattern constraining the value changed.",
        "{name}: pattern muuttui{detail}",
        "{name}: pattern changed{detail}",
    ),
    _r(
        "ENUM_CHANGED",
        {B, F},
        "Sallittujen arvojen luettelo (enum) muuttui.",
        "The list of allowed values (enum) changed.",
        "{name}: enum muuttui{detail}",
        "{name}: enum changed{detail}",
    ),
    _r(
        "JSON_TYPE_CHANGED",
        {B, F, C},
        "Arvon JSON-tyyppi muuttui.",
        "The value's JSON type changed.",
        "{name}: JSON-tyyppi {old} -> {new}",
        "{name}: JSON type {old} -> {new}",
    ),
    _r(
        "JSON_CONSTRAINT_CHANGED",
        {B, F},
        "Muu JSON Schema -rajoite muuttui.",
        "Another JSON Schema constraint changed.",
        "{name}: JSON-rajoite {detail} muuttui",
        "{name}: JSON constraint {detail} changed",
    ),
    # ---- structure metadata -----------------------------------------------------------------------------------
    _r(
        "STATUS_CHANGED",
        {T},
        "Rakenteen tila muuttui.",
        "The structure's status changed.",
        "tila {old} -> {new}",
        "status {old} -> {new}",
    ),
    _r(
        "DOCUMENT_TYPE_CHANGED",
        {C, FM},
        "Asiakirjatyyppi muuttui.",
        "The document type changed.",
        "asiakirjatyyppi {old} -> {new}",
        "document type {old} -> {new}",
    ),
    _r(
        "DOCUMENT_SUBJECT_CHANGED",
        {T},
        "Asiakirjan aihe muuttui.",
        "The document subject changed.",
        "aihe {old} -> {new}",
        "subject {old} -> {new}",
    ),
    _r(
        "DOCUMENT_AUTHOR_CHANGED",
        {T},
        "Asiakirjan laatija-tieto muuttui.",
        "The document author changed.",
        "laatija {old} -> {new}",
        "author {old} -> {new}",
    ),
    _r(
        "STRUCTURE_TITLE_CHANGED",
        {T},
        "Rakenteen otsikko muuttui.",
        "The structure's title changed.",
        "otsikko {old} -> {new}",
        "title {old} -> {new}",
    ),
    # ---- organisation templates (--org) ----------------------------------------------------------------------
    _r(
        "ORG_ENTRY_ELEMENT_GONE",
        {FM},
        "Organisaation pohjan kohta viittaa elementtiin, jota uudessa versiossa ei ole (poistettu tai avain "
        "muuttunut): kohta lakkaa vaikuttamasta.",
        "An organisation template entry names an element NEW does not have (removed, or its key changed): the "
        "entry stops applying.",
        "{name}: pohjan kohta ei enää osu{detail}",
        "{name}: template entry no longer applies{detail}",
    ),
    _r(
        "ORG_OMITTED_NOW_REQUIRED",
        {FM},
        "Organisaation piilottama (omit) elementti on uudessa versiossa pakollinen: sitä ei voi enää jättää pois.",
        "An element the organisation omits is required in NEW: it can no longer be left out.",
        "{name}: piilotettu mutta nyt pakollinen{detail}",
        "{name}: omitted but now required{detail}",
    ),
    _r(
        "ORG_CODES_NOT_ACCEPTED",
        {FM},
        "Organisaation käyttämä koodi (koodilista tai oletusarvo) ei ole uuden version sallituissa koodeissa.",
        "A code the organisation uses (its code list or default) is not among NEW's accepted codes.",
        "{name}: pohjan koodeja ei enää sallita{detail}",
        "{name}: template codes no longer accepted{detail}",
    ),
    _r(
        "ORG_MAX_ITEMS_NOT_REPEATABLE",
        {FM},
        "Pohja rajaa toistojen määrää (max_items), mutta elementti ei ole enää toistuva.",
        "The template limits repeats (max_items), but the element is no longer repeatable.",
        "{name}: max_items, mutta ei enää toistuva{detail}",
        "{name}: max_items, but no longer repeatable{detail}",
    ),
    # ---- catalogs -------------------------------------------------------------------------------------------
    _r(
        "STRUCTURE_REMOVED",
        {B, C, FM},
        "Rakenne puuttuu uudesta katalogista: sen asiakirjoille ei ole enää rakennetta.",
        "The structure is missing from the new catalog: its documents no longer have a structure.",
        "rakenne poistettu",
        "structure removed",
        document_from_json=False,
    ),
    _r(
        "STRUCTURE_ADDED",
        set(),
        "Uusi rakenne katalogissa (ei riko mitään).",
        "A new structure in the catalog (breaks nothing).",
        "uusi rakenne",
        "new structure",
        document_from_json=False,
    ),
]

RULES: dict[str, Rule] = {r.id: r for r in _ALL}


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]
