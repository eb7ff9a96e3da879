"""The texts of the migration's problems in Finnish, Swedish and English: the message catalogue's part for the
correspondence table, the `[migration]` settings and the reconciliation.

A problem's message is `say(KEY, ...)`: a `messages.Localized` text, English where a plain string is wanted
(logs, `str(problem)`, the report) and in the run's language where a command prints it (`Problem.text(lang)`).
Locations (`fields!C7`) and codes (`table.target`) are not translated. Parameters are names of sheets, columns,
legacy types, key paths, codes and counts: the table holds no value of a client record.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from sosmeta.messages import Localized, Message, formatted

M = Message
TEXTS: dict[str, Message] = {
    "did_you_mean": M(" (tarkoititko '{name}'?)", " (menade du '{name}'?)", " (did you mean '{name}'?)"),
    # ---- the form of the table (table.py) ----
    "format": M(
        "vastaavuustaulukko on .xlsx-työkirja tai CSV-tiedostojen kansio",
        "en korrespondenstabell är en .xlsx-arbetsbok eller en mapp med CSV-filer",
        "a correspondence table is an .xlsx workbook or a folder of CSV files",
    ),
    "unreadable_xlsx": M(
        "ei ole luettava .xlsx-työkirja", "är ingen läsbar .xlsx-arbetsbok", "not a readable .xlsx workbook"
    ),
    "no_sheet": M(
        "työkirjassa ei ole välilehteä '{name}'",
        "arbetsboken har inget blad '{name}'",
        "the workbook has no sheet '{name}'",
    ),
    "no_csv": M(
        "taulukkokansiossa ei ole tiedostoa {name}", "tabellmappen har ingen {name}", "the table folder has no {name}"
    ),
    "not_utf8": M("ei ole UTF-8-tekstiä", "är ingen UTF-8-text", "not UTF-8 text"),
    "missing_columns": M("sarakkeita puuttuu: {columns}", "kolumner saknas: {columns}", "missing column(s): {columns}"),
    "needs_legacy_type": M(
        "rivillä pitää olla vanha asiakirjatyyppi",
        "en rad behöver sin äldre dokumenttyp",
        "a row needs its legacy type",
    ),
    "same_legacy_type": M(
        "sama vanha asiakirjatyyppi kuin solussa {other}",
        "samma äldre dokumenttyp som i {other}",
        "the same legacy type as {other}",
    ),
    "no_structure_given": M(
        "ei rakennetta (tai 'unstructured')",
        "ingen struktur (eller 'unstructured')",
        "no structure (or 'unstructured')",
    ),
    "not_json_object": M("ei ole JSON-objekti", "är inget JSON-objekt", "not a JSON object"),
    "empty": M("{column} on tyhjä", "{column} är tom", "{column} is empty"),
    "mapped_twice": M(
        "tämä vanha arvo on vastaavuudessaan kahdesti",
        "detta äldre värde mappas två gånger i sin mappning",
        "this legacy value is mapped twice in its map",
    ),
    # ---- the table against the catalog and the source (tablecheck.py) ----
    "no_such_structure": M(
        "katalogissa ei ole tällaista rakennetta{hint}",
        "katalogen har ingen sådan struktur{hint}",
        "no such structure in the catalog{hint}",
    ),
    "unknown_type": M(
        "tällä vanhalla asiakirjatyypillä ei ole riviä välilehdellä 'types'{hint}",
        "denna äldre dokumenttyp har ingen rad i bladet 'types'{hint}",
        "this legacy type has no row in sheet 'types'{hint}",
    ),
    "not_oid": M("ei ole OID", "är inget OID", "not an OID"),
    "code_not_in_list": M(
        "koodia ei ole sen koodistossa", "koden finns inte i sitt kodverk", "the code is not in its code list"
    ),
    "unmapped_type": M(
        "vanhalla asiakirjatyypillä '{legacy}' ({count} tietuetta lähteessä) ei ole riviä{hint}",
        "den äldre dokumenttypen '{legacy}' ({count} poster i källan) har ingen rad{hint}",
        "legacy type '{legacy}' ({count} records in the source) has no row{hint}",
    ),
    "language": M("kieli on fi tai sv", "språket är fi eller sv", "language is fi or sv"),
    "not_code": M(
        "ei ole koodi (KOODI tai KOODI|näyttönimi)",
        "är ingen kod (KOD eller KOD|visningsnamn)",
        "not a code (CODE or CODE|display)",
    ),
    "needs_specific_type": M(
        "rakenteistamaton tyyppi tarvitsee tarkennetun asiakirjatyyppinsä",
        "en ostrukturerad typ behöver sin specifika dokumenttyp",
        "an unstructured type needs its specific document type",
    ),
    "needs_content_specification": M(
        "rakenteistamaton tyyppi tarvitsee sisältömäärittelynsä OID:n",
        "en ostrukturerad typ behöver OID för sin innehållsspecifikation",
        "an unstructured type needs the OID of its content specification",
    ),
    "specific_type": M(
        "rakenteen tarkennettu asiakirjatyyppi on {arc}",
        "strukturens specifika dokumenttyp är {arc}",
        "the structure's specific document type is {arc}",
    ),
    "not_envelope_default": M(
        "'{key}' ei ole kuoren kenttä{hint}",
        "'{key}' är inget fält i kuvertet{hint}",
        "'{key}' is not an envelope field{hint}",
    ),
    "unknown_transform": M("tuntematon muunnos{hint}", "okänd omvandling{hint}", "unknown transform{hint}"),
    "not_column": M(
        "'{name}' ei ole lähteen sarake{hint}",
        "'{name}' är ingen kolumn i källan{hint}",
        "'{name}' is not a column of the source{hint}",
    ),
    "not_envelope_field": M(
        "ei ole kuoren kenttä{hint}", "är inget fält i kuvertet{hint}", "not an envelope field{hint}"
    ),
    "date_fit": M(
        "päivämäärä menee aika- tai päivämääräkenttään",
        "ett datum går till ett tids- eller datumfält",
        "a date goes to a time or date field",
    ),
    "unstructured_targets": M(
        "rakenteistamattomalla tyypillä on vain kuoren kohteita",
        "en ostrukturerad typ har endast mål i kuvertet",
        "an unstructured type has envelope targets only",
    ),
    "no_key_path": M(
        "rakenteessa ei ole tällaista avainpolkua{hint}",
        "strukturen har ingen sådan nyckelsökväg{hint}",
        "no such key path in the structure{hint}",
    ),
    "target_group": M(
        "kohde on ryhmä, ei arvo", "målet är en grupp, inte ett värde", "the target is a group, not a value"
    ),
    "transform_fit": M(
        "muunnos {transform} ei sovi esitysmuotoon {representation}",
        "omvandlingen {transform} passar inte representationen {representation}",
        "transform {transform} does not fit representation {representation}",
    ),
    "date_format_needed": M(
        "päivämäärämuunnos tarvitsee strptime-muodon (%d.%m.%Y)",
        "en datumomvandling behöver ett strptime-format (%d.%m.%Y)",
        "a date transform needs a strptime format (%d.%m.%Y)",
    ),
    "date_format_bad": M(
        "ei ole päivämäärämuoto, jonka tämä ohjelma osaa lukea",
        "inget datumformat som detta program kan läsa",
        "not a date format this program can read",
    ),
    "no_code_map": M(
        "välilehdellä 'codes' ei ole tällaista koodivastaavuutta{hint}",
        "bladet 'codes' har ingen sådan kodmappning{hint}",
        "no such code map in sheet 'codes'{hint}",
    ),
    "constant_value": M("vakio tarvitsee arvonsa", "en konstant behöver sitt värde", "a constant needs its value"),
    "concat_fields": M(
        "concat yhdistää kaksi tai useampia kenttiä (pilkuin eroteltuina)",
        "concat sammanfogar två eller flera fält (kommaseparerade)",
        "concat joins two or more fields (comma-separated)",
    ),
    "split_argument": M(
        "split tarvitsee muodon 'erotin|indeksi'",
        "split behöver 'avgränsare|index'",
        "split needs 'separator|index'",
    ),
    "not_json": M("ei ole JSONia", "är ingen JSON", "not JSON"),
    "other_code_list": M(
        "eri koodisto kuin kohteen ({target})",
        "ett annat kodverk än målets ({target})",
        "another code list than the target's ({target})",
    ),
    "not_accepted": M(
        "ei ole kohteen ({target}) hyväksymä koodi{hint}",
        "ingen godtagen kod för målet ({target}){hint}",
        "not an accepted code of the target ({target}){hint}",
    ),
    "required_unmapped": M(
        "pakollista elementtiä {path} ei ole kohdistettu (välilehti 'fields')",
        "det obligatoriska elementet {path} är inte mappat (bladet 'fields')",
        "required element {path} is not mapped (sheet 'fields')",
    ),
    # ---- the [migration] settings (operations/migrate.py) ----
    "must_be_table": M("pitää olla taulu", "ska vara en tabell", "must be a table"),
    "must_be_path": M("pitää olla polku (merkkijono)", "ska vara en sökväg (en sträng)", "must be a path (a string)"),
    "missing_setting": M("puuttuu (tai anna valinta)", "saknas (eller ange flaggan)", "missing (or pass the option)"),
    "document_id_root": M(
        "organisaation omistama OID, jonka alle jokainen siirretty asiakirja saa tunnisteensa",
        "ett OID som organisationen äger, under vilket varje migrerat dokument får sin identifierare",
        "an OID the organisation owns, under which every migrated document gets its id",
    ),
    "keeper_table": M("taulu, jossa on oid ja name", "en tabell med oid och name", "a table with oid and name"),
    "keeper_needed": M(
        "tarvitaan organisaatiotiedosto tai register_keeper",
        "en organisationsfil eller en register_keeper behövs",
        "an organisation file or a register_keeper is needed",
    ),
    # ---- the source (sources.py) ----
    "source_kind": M("on sql, csv tai jsonl", "är sql, csv eller jsonl", "is sql, csv or jsonl"),
    "missing": M("puuttuu", "saknas", "missing"),
    "source_columns": M("taulu sarakkeiden nimiä", "en tabell med kolumnnamn", "a table of column names"),
    "unknown_role": M("tuntematon rooli", "okänd roll", "unknown role"),
    "table_or_query": M(
        "tarvitaan taulu tai kysely", "en tabell eller en fråga behövs", "a table or a query is needed"
    ),
    "chunk": M("kokonaisluku 1-100000", "ett heltal 1-100000", "an integer 1-100000"),
    "id_or_type_column": M(
        "tietueen tunnisteen tai vanhan asiakirjatyypin sarake puuttuu",
        "kolumnen för post-id eller äldre dokumenttyp saknas",
        "the record id or legacy type column is missing",
    ),
    "bad_url": M(
        "ei ole tietokannan URL, jonka SQLAlchemy osaa avata",
        "ingen databas-URL som SQLAlchemy kan öppna",
        "not a database URL SQLAlchemy can open",
    ),
    "cannot_connect": M(
        "tietokantaan ei saada yhteyttä", "kan inte ansluta till databasen", "cannot connect to the database"
    ),
    "query_refused": M(
        "tietokanta hylkäsi kyselyn ({kind}); tarkista taulun, kyselyn ja sarakkeiden nimet",
        "databasen avvisade frågan ({kind}); kontrollera tabellens, frågans och kolumnernas namn",
        "the database refused the query ({kind}); check the table, query and column names",
    ),
    "cannot_read": M("tiedostoa ei voi lukea: {why}", "filen kan inte läsas: {why}", "cannot read file: {why}"),
    "not_csv": M("ei ole UTF-8-muotoista CSV:tä", "är ingen CSV i UTF-8", "not CSV in UTF-8"),
    # ---- the reconciliation (run.py) ----
    "packages_link": M(
        "on symbolinen linkki; sosmeta ei kirjoita linkkien läpi",
        "är en symbolisk länk; sosmeta skriver aldrig genom länkar",
        "is a symbolic link; sosmeta never writes through links",
    ),
    "reconcile_source": M(
        "täsmäytys epäonnistui: lähteessä oli {in_source} tietuetta ajon alkaessa, ajo luki {read}",
        "avstämningen misslyckades: källan hade {in_source} poster när körningen började, körningen läste {read}",
        "reconciliation failed: the source held {in_source} records when the run started, the run read {read}",
    ),
    "reconcile_type": M(
        "täsmäytys epäonnistui: luettu {read}, tilitetty {counted}, kirjanpidossa {in_ledger} (sama tietueen "
        "tunniste lähteessä kahdesti?)",
        "avstämningen misslyckades: lästa {read}, redovisade {counted}, i liggaren {in_ledger} (samma post-id "
        "två gånger i källan?)",
        "reconciliation failed: read {read}, accounted {counted}, in the ledger {in_ledger} "
        "(a record id twice in the source?)",
    ),
}


def say(key: str, /, **params: object) -> Localized:
    """The problem text `key` in every language, formatted with `params`."""
    return formatted(TEXTS[key], **params)


def suggest(name: str, known: Iterable[str]) -> str:
    """' (did you mean ...?)' with the nearest of `known` (a `Localized` text), or '' when none is near."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return say("did_you_mean", name=close[0]) if close else ""
