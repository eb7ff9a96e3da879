"""The code-list importers' problem texts (csapi pages, CSV and workbook files, the code server) in Finnish,
Swedish and English: part of `problem_texts.PROBLEMS`, kept apart for size."""

from __future__ import annotations

from sosmeta.messages import Message

M = Message
CODE_LIST_PROBLEMS: dict[str, Message] = {
    "codes.no_concepts": M("ei sisällä käsitekoodeja", "innehåller inga begreppskoder", "holds no concept codes"),
    "codes.not_one_list": M(
        "sisältää {n} koodistoa; vertaa yhtä kerrallaan",
        "innehåller {n} kodverk; jämför ett i taget",
        "holds {n} code lists; compare one at a time",
    ),
    "codes.bad_store_file": M(
        "ei ole kelvollinen tallennettu koodisto", "är inget giltigt lagrat kodverk", "not a valid stored code list"
    ),
    "codes.bad_classification": M("ei ole luokituksen OID", "är inget klassificerings-OID", "not a classification OID"),
    "codes.server_empty": M(
        "palvelimella ei ole tämän koodiston koodeja",
        "servern har inga koder för detta kodverk",
        "the server holds no codes for this list",
    ),
    "codes.more_problems": M(" (ja {n} muuta ongelmaa)", " (och {n} problem till)", " (and {n} more problems)"),
    "codes.not_pulled": M(
        "ei haettu: {place}: {why}{more}", "inte hämtat: {place}: {why}{more}", "not pulled: {place}: {why}{more}"
    ),
    "codes.not_list_file": M(
        "ei ole koodistotiedosto (luetaan: {suffixes})",
        "ingen kodverksfil (läser: {suffixes})",
        "not a code-list file (reads {suffixes})",
    ),
    "codes.not_page": M(
        "ei ole csapi v6 -sivu: ei 'conceptCodes'-taulukkoa",
        "ingen csapi v6-sida: ingen 'conceptCodes'-array",
        "not a csapi v6 page: no 'conceptCodes' array",
    ),
    "codes.not_object": M(
        "käsitekoodin pitää olla objekti", "en begreppskod ska vara ett objekt", "a concept code must be an object"
    ),
    "codes.not_array": M(
        "attributes pitää olla taulukko", "attributes ska vara en array", "attributes must be an array"
    ),
    "codes.bad_attribute": M(
        "attribuutti tarvitsee attributeName-kentän",
        "ett attribut behöver ett attributeName",
        "an attribute needs an attributeName",
    ),
    "codes.missing_page": M(
        "koodisto {ref}: annettu {n}/{total} sivua; anna jokainen sivu",
        "kodverket {ref}: {n} av {total} sidor givna; ge varje sida",
        "list {ref}: {n} of {total} pages given; give every page",
    ),
    "codes.items_mismatch": M(
        "koodisto {ref}: {n} koodia, mutta totalItems on {total}",
        "kodverket {ref}: {n} koder, men totalItems anger {total}",
        "list {ref}: {n} codes, but totalItems says {total}",
    ),
    "codes.bad_level": M(
        "HierarchyLevel pitää olla kokonaisluku",
        "HierarchyLevel ska vara ett heltal",
        "HierarchyLevel must be a whole number",
    ),
    "codes.no_code": M("ei koodia (conceptCodeId)", "ingen kod (conceptCodeId)", "no code (conceptCodeId)"),
    "codes.bad_status": M(
        "status pitää olla jokin näistä: {statuses}",
        "status ska vara en av {statuses}",
        "status must be one of {statuses}",
    ),
    "codes.bad_date": M(
        "{name} ei ole päivämäärä VVVV-KK-PP", "{name} är inget datum ÅÅÅÅ-MM-DD", "{name} is not a date YYYY-MM-DD"
    ),
    "codes.bad_dates": M(
        "expirationDate on ennen beginDate-päivää",
        "expirationDate ligger före beginDate",
        "expirationDate is before beginDate",
    ),
    "codes.field": M("{field} {why}", "{field} {why}", "{field} {why}"),
    "codes.missing": M("puuttuu", "saknas", "missing"),
    "codes.is_missing": M("puuttuu", "saknas", "is missing"),
    "codes.version_form": M(
        "saa sisältää vain kirjaimia, numeroita, '.', '_' tai '-' (enintään 64)",
        "får bara innehålla bokstäver, siffror, '.', '_' eller '-' (högst 64)",
        "must be letters, digits, '.', '_' or '-' (at most 64)",
    ),
    "codes.duplicate_code": M(
        "koodi on annettu kahdesti eri sisällöllä (ensin kohdassa {first})",
        "koden har angetts två gånger med olika innehåll (först vid {first})",
        "code given twice with different content (first at {first})",
    ),
    "codes.http": M(
        "palvelin vastasi {status} ({reason})",
        "servern svarade {status} ({reason})",
        "the server answered {status} ({reason})",
    ),
    "codes.no_answer": M(
        "ei vastausta {seconds} sekunnissa", "inget svar inom {seconds} s", "no answer in {seconds} s"
    ),
    "codes.no_connection": M(
        "yhteyttä ei saada ({reason})", "kan inte ansluta ({reason})", "cannot connect ({reason})"
    ),
    "codes.connection_failed": M(
        "yhteys katkesi ({reason})", "anslutningen misslyckades ({reason})", "the connection failed ({reason})"
    ),
    "codes.too_large": M("vastaus on yli {limit} tavua", "ett svar över {limit} byte", "an answer over {limit} bytes"),
    "codes.after_tries": M("{why} ({n} yrityksen jälkeen)", "{why} efter {n} försök", "{why} after {n} tries"),
    "codes.bad_server": M(
        "palvelimen pitää olla http- tai https-osoite",
        "servern ska vara en http- eller https-URL",
        "the server must be an http or https URL",
    ),
    "codes.not_utf8": M("vastaus ei ole UTF-8-tekstiä", "svaret är ingen UTF-8-text", "the answer is not UTF-8 text"),
    "codes.too_many_pages": M("yli {limit} sivua", "fler än {limit} sidor", "more than {limit} pages"),
    "codes.other_list": M(
        "toisen luokituksen koodi", "en kod ur en annan klassificering", "a code of another classification"
    ),
    "codes.fewer_received": M(
        "ilmoitettiin {n} koodia (totalItems), saatiin vähemmän",
        "{n} koder aviserades (totalItems), färre togs emot",
        "{n} codes announced (totalItems), fewer received",
    ),
    "codes.no_code_column": M(
        "ensimmäisellä rivillä ei ole koodisaraketta (conceptCodeId tai code)",
        "ingen kodkolumn (conceptCodeId eller code) på första raden",
        "no code column (conceptCodeId or code) in the first row",
    ),
    "codes.duplicate_column": M(
        "sarake {name} on annettu kahdesti", "kolumnen {name} har angetts två gånger", "column {name} given twice"
    ),
    "codes.empty_file": M("tyhjä tiedosto: ei otsikkoriviä", "tom fil: ingen rubrikrad", "empty file: no header row"),
    "codes.not_csv": M("ei ole CSV:tä: {why}", "ingen CSV: {why}", "not CSV: {why}"),
    "codes.no_sheet": M(
        "ei taulukkoa {sheet} (taulukot: {names})",
        "inget blad {sheet} (blad: {names})",
        "no sheet {sheet} (sheets: {names})",
    ),
}
