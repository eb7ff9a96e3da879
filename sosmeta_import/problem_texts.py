"""The importers' problem texts in Finnish, Swedish and English: the message catalogue's part for input files.

Importers raise `Problem`s whose message is `say(KEY, ...)`: a `messages.Localized` text, English where a plain
string is wanted (logs, `str(problem)`, tests) and in the run's language where a command prints it
(`Problem.text(lang)`). The problem codes (`excel.bad_level`, ...) are not translated. Parameters are names,
counts, cell references and the structure definition's own labels, never a value of a client document.
"""

from __future__ import annotations

import re

from sosmeta.messages import Localized, Message, formatted
from sosmeta.sosmeta_import.code_list_texts import CODE_LIST_PROBLEMS

M = Message
PROBLEMS: dict[str, Message] = {
    # ---- any file ----
    "file.unsupported": M(
        "mikään tuoja ei lue '{suffix}'-tiedostoja (tuetut: {supported})",
        "ingen importör läser '{suffix}'-filer (stöds: {supported})",
        "no importer reads '{suffix}' files (supported: {supported})",
    ),
    "file.unreadable": M("tiedostoa ei voi lukea: {why}", "filen kan inte läsas: {why}", "cannot read file: {why}"),
    "too_deep": M(
        "elementit ovat sisäkkäin syvemmällä kuin {limit} tasoa (oikeissa rakenteissa enintään 8)",
        "elementen är nästlade djupare än {limit} nivåer (verkliga strukturer har högst 8)",
        "elements nest deeper than {limit} levels (real structures nest at most 8)",
    ),
    # ---- kinds of JSON value (in "found ...") ----
    "kind.null": M("null", "null", "null"),
    "kind.boolean": M("totuusarvo", "ett sanningsvärde", "a boolean"),
    "kind.number": M("luku", "ett tal", "a number"),
    "kind.string": M("merkkijono", "en sträng", "a string"),
    "kind.array": M("taulukko", "en array", "an array"),
    "kind.object": M("objekti", "ett objekt", "an object"),
    # ---- Sosmeta JSON exports ----
    "json.not_object": M(
        "ylimmällä tasolla pitää olla JSON-objekti, löytyi {kind}",
        "på översta nivån ska det finnas ett JSON-objekt, hittade {kind}",
        "expected a JSON object at the top level, found {kind}",
    ),
    "json.no_sosmeta": M(
        "ylimmältä tasolta puuttuu 'sosmeta'-lohko: tämä ei ole Sosmeta-vienti",
        "blocket 'sosmeta' saknas på översta nivån: detta är ingen Sosmeta-export",
        "no top-level 'sosmeta' block: this is not a Sosmeta export",
    ),
    "json.must_be_object": M(
        "'{key}' pitää olla objekti, löytyi {kind}",
        "'{key}' ska vara ett objekt, hittade {kind}",
        "'{key}' must be an object, found {kind}",
    ),
    "json.must_be_string": M(
        "'{key}' pitää olla merkkijono, löytyi {kind}",
        "'{key}' ska vara en sträng, hittade {kind}",
        "'{key}' must be a string, found {kind}",
    ),
    "json.must_be_bool": M(
        "'{key}' pitää olla true tai false, löytyi {kind}",
        "'{key}' ska vara true eller false, hittade {kind}",
        "'{key}' must be true or false, found {kind}",
    ),
    "json.must_be_integer": M(
        "'{key}' pitää olla kokonaisluku, löytyi {kind}",
        "'{key}' ska vara ett heltal, hittade {kind}",
        "'{key}' must be an integer, found {kind}",
    ),
    "json.no_properties": M(
        "juurella pitää olla 'properties', jossa on asiakirjaelementti",
        "roten ska ha 'properties' med dokumentelementet",
        "the root must have 'properties' holding the document element",
    ),
    "json.one_property": M(
        "juurella pitää olla täsmälleen yksi ominaisuus (asiakirjaelementti), löytyi {n}",
        "roten ska ha exakt en egenskap (dokumentelementet), hittade {n}",
        "the root must have exactly one property (the document element), found {n}",
    ),
    "json.document_no_sosmeta": M(
        "asiakirjaelementillä ei ole 'sosmeta'-lohkoa",
        "dokumentelementet har inget 'sosmeta'-block",
        "the document element has no 'sosmeta' block",
    ),
    "json.node_not_object": M(
        "skeeman solmun pitää olla objekti, löytyi {kind}",
        "en nod i schemat ska vara ett objekt, hittade {kind}",
        "a schema node must be an object, found {kind}",
    ),
    "json.not_lang_list": M(
        "odotettiin {{lang, value}} -merkintöjen listaa, löytyi {kind}",
        "förväntade en lista med {{lang, value}}-poster, hittade {kind}",
        "expected a list of {{lang, value}} entries, found {kind}",
    ),
    "json.lang_entry": M(
        "odotettiin merkintää, jossa on täsmälleen 'lang' ja 'value' tässä järjestyksessä",
        "förväntade en post med exakt 'lang' och 'value', i den ordningen",
        "expected an entry with exactly 'lang' and 'value', in that order",
    ),
    "json.lang_strings": M(
        "'lang' ja 'value' pitää olla merkkijonoja",
        "'lang' och 'value' ska vara strängar",
        "'lang' and 'value' must be strings",
    ),
    # ---- identity (OID and version, every importer) ----
    "identity.field": M("'{field}' {problem}", "'{field}' {problem}", "'{field}' {problem}"),
    "identity.without_arcs": M(
        "ilman päivämääräkaariaan {problem}", "utan sina datumbågar {problem}", "without its date arcs {problem}"
    ),
    "identity.oid_not_string": M(
        "pitää olla merkkijono, jossa on OID", "ska vara en sträng med ett OID", "must be a string holding an OID"
    ),
    "identity.oid_too_long": M(
        "on {n} merkkiä pitkä; OID:ssa on enintään {limit}",
        "är {n} tecken lång; ett OID har högst {limit}",
        "is {n} characters long; an OID has at most {limit}",
    ),
    "identity.not_oid": M(
        "ei ole OID (pisteillä erotettuja numeroita, ensimmäinen kaari 0-2, ei etunollia)",
        "är inget OID (siffror åtskilda av punkter, första bågen 0-2, inga inledande nollor)",
        "is not an OID (dotted decimal: digits separated by dots, first arc 0-2, no leading zeros)",
    ),
    "identity.not_date": M(
        "ei ole versiopäivämäärä VVVV-KK-PP", "är inget versionsdatum ÅÅÅÅ-MM-DD", "is not a version date YYYY-MM-DD"
    ),
    "identity.not_real_date": M(
        "ei ole todellinen kalenteripäivä", "är inget verkligt kalenderdatum", "is not a real calendar date"
    ),
    "identity.mismatch": M(
        "'oid' päättyy päivämäärään {arcs}, mutta 'documentDefinitionVersion' on {version}: version OID:n ja "
        "päivämäärän pitää nimetä sama päivä (katalogi tallentaa version päivämäärän mukaan ja löytää sen "
        "kummallakin nimellä)",
        "'oid' slutar med datumet {arcs} men 'documentDefinitionVersion' är {version}: en versions OID och dess "
        "datum ska ange samma dag (katalogen lagrar versionen efter datumet och hittar den med båda namnen)",
        "'oid' ends in the date {arcs} but 'documentDefinitionVersion' is {version}: a version's OID and its date "
        "must name the same day (the catalog files the version by its date and finds it by either name)",
    ),
    # ---- Excel workbooks: the file ----
    "excel.too_large": M(
        "tiedosto on {size} tavua, yli {limit} tavun rajan",
        "filen är {size} byte, över gränsen på {limit} byte",
        "file is {size} bytes, over the {limit} byte limit",
    ),
    "excel.not_zip": M(
        "ei ole Excel-työkirja: .xlsx-tiedosto on zip-arkisto, eikä tämä ole (vanha .xls tai salasanalla "
        "suojattu työkirja? tallenna se .xlsx-muodossa)",
        "ingen Excel-arbetsbok: en .xlsx-fil är ett zip-arkiv och det här är inget (en gammal .xls eller en "
        "lösenordsskyddad arbetsbok? spara den som .xlsx)",
        "not an Excel workbook: an .xlsx file is a zip archive and this is not one (an old .xls or a "
        "password-protected workbook? save it as .xlsx)",
    ),
    "excel.damaged_zip": M("vaurioitunut zip-arkisto: {why}", "skadat zip-arkiv: {why}", "damaged zip archive: {why}"),
    "excel.zip_entries": M(
        "arkistossa on {n} osaa, yli rajan {limit}",
        "arkivet har {n} delar, över gränsen {limit}",
        "the archive has {n} entries, over the limit of {limit}",
    ),
    "excel.zip_ratio": M(
        "osa laajenee {ratio}-kertaiseksi (raja {limit}): hylätty mahdollisena zip-pommina",
        "delen expanderar {ratio} gånger (gräns {limit}): avvisad som en möjlig zipbomb",
        "entry inflates {ratio}-fold (limit {limit}): refused as a possible zip bomb",
    ),
    "excel.zip_total": M(
        "arkisto laajenee {total} tavuksi, yli rajan {limit}: hylätty mahdollisena zip-pommina",
        "arkivet expanderar till {total} byte, över gränsen {limit}: avvisat som en möjlig zipbomb",
        "the archive inflates to {total} bytes, over the limit of {limit}: refused as a possible zip bomb",
    ),
    "excel.not_workbook": M(
        "zip-arkisto mutta ei Excel-työkirja (ei xl/workbook-osaa)",
        "ett zip-arkiv men ingen Excel-arbetsbok (ingen xl/workbook-del)",
        "a zip archive but not an Excel workbook (no xl/workbook part)",
    ),
    "excel.doctype": M(
        "määrittelee asiakirjatyypin (DOCTYPE): työkirjat eivät koskaan tee niin, ja entiteetit tai ulkoinen DTD "
        "hylätään",
        "deklarerar en dokumenttyp (DOCTYPE): arbetsböcker gör aldrig det, och entiteter eller en extern DTD avvisas",
        "declares a document type (DOCTYPE): workbooks never do, and entities or an external DTD are refused",
    ),
    "excel.unreadable_workbook": M(
        "työkirjaa ei voi lukea: {why}", "arbetsboken kan inte läsas: {why}", "cannot read the workbook: {why}"
    ),
    "excel.unreadable_sheet": M(
        "taulukkoa ei voi lukea: {why}", "bladet kan inte läsas: {why}", "cannot read the sheet: {why}"
    ),
    "excel.macros": M(
        "työkirjassa on makroja; se luetaan tietona eikä makroja ajeta",
        "arbetsboken innehåller makron; den läses som data och makrona körs inte",
        "the workbook contains macros; it is read as data and the macros are not run",
    ),
    "excel.external_links": M(
        "linkkejä muihin työkirjoihin ei seurata; käytetään Excelin tallentamia arvoja",
        "länkar till andra arbetsböcker följs inte; de värden Excel sparat används",
        "links to other workbooks are not followed; the values Excel cached are used",
    ),
    "excel.no_structure": M(
        "missään taulukossa ei ole rakennetta (metatietolohko, jossa on Versio-OID, ja elementtitaulukko)",
        "inget blad innehåller en struktur (ett metadatablock med Versions-OID och elementtabellen)",
        "no sheet holds a structure (a metadata block with Versio-OID and the element table)",
    ),
    # ---- Excel workbooks: cells and layout ----
    "excel.too_many_rows": M(
        "taulukossa on yli {rows} riviä tai {columns} saraketta",
        "bladet har fler än {rows} rader eller {columns} kolumner",
        "the sheet is larger than {rows} rows or {columns} columns",
    ),
    "excel.too_many_cells": M(
        "taulukossa on yli {cells} solua", "bladet har fler än {cells} celler", "the sheet has more than {cells} cells"
    ),
    "excel.cell_error": M(
        "solussa on virhearvo {value}", "cellen innehåller felvärdet {value}", "the cell holds the error value {value}"
    ),
    "excel.formula_no_value": M(
        "kaava ilman tallennettua arvoa: kaavoja ei lasketa; kirjoita arvo tai avaa ja tallenna työkirja Excelissä",
        "en formel utan sparat värde: formler beräknas inte; skriv in värdet, eller öppna och spara arbetsboken "
        "i Excel",
        "a formula without a cached value: formulas are not evaluated; type the value, or open and save the "
        "workbook in Excel",
    ),
    "excel.not_yes_no": M("{text} ei ole kyllä/ei (K/E)", "{text} är inte ja/nej (K/E)", "{text} is not yes/no (K/E)"),
    "excel.not_integer": M(
        "{text} ei ole kokonaisluku ({what})",
        "{text} är inget heltal ({what})",
        "{text} is not a whole number ({what})",
    ),
    "excel.what.level": M("taso", "nivå", "level"),
    "excel.what.row_number": M("rivinumero", "radnummer", "row number"),
    "excel.technical_twice": M(
        "tekninen sarake {part} on kahdesti",
        "den tekniska kolumnen {part} finns två gånger",
        "technical column {part} appears twice",
    ),
    "excel.same_column": M(
        "{text} tarkoittaa samaa kuin sarake {first} ({name})",
        "{text} betyder samma som kolumn {first} ({name})",
        "{text} means the same as column {first} ({name})",
    ),
    "excel.unknown_header": M(
        "tuntematon sarakeotsikko {text}; tarkoititko {near}?",
        "okänd kolumnrubrik {text}; menade du {near}?",
        "unknown header {text}; did you mean {near}?",
    ),
    "excel.extra_column": M(
        "sarake {text} ei kuulu asetteluun, ja se ohitetaan",
        "kolumnen {text} hör inte till layouten och ignoreras",
        "column {text} is not part of the layout and is ignored",
    ),
    "excel.absent_column": M(
        "ei saraketta {columns}: luetaan tyhjänä joka rivillä",
        "ingen kolumn {columns}: läses som tom på varje rad",
        "no column {columns}: read as empty on every row",
    ),
    "excel.missing_column": M(
        "taulukko tarvitsee avainpolkusarakkeen (Avainpolku) tai tasosarakkeen (Taso)",
        "tabellen behöver en kolumn för nyckelsökväg (Avainpolku) eller nivå (Taso)",
        "the table needs a key path column (Avainpolku) or a level column (Taso)",
    ),
    "excel.meta_unknown": M(
        "tuntematon metatieto-otsikko {text}; tarkoititko {near}?",
        "okänd metadataetikett {text}; menade du {near}?",
        "unknown metadata label {text}; did you mean {near}?",
    ),
    "excel.meta_ignored": M(
        "metatietoriviä {text} ei tunneta, ja se ohitetaan",
        "metadataraden {text} är okänd och ignoreras",
        "metadata row {text} is not known and is ignored",
    ),
    "excel.meta_duplicate": M("{text} toistaa rivin {row}", "{text} upprepar rad {row}", "{text} repeats row {row}"),
    "excel.meta_missing": M(
        "ei Versio-OID-riviä (otsikko Versio-OID taulukon yläpuolella, arvo sen oikealla puolella)",
        "ingen rad med Versions-OID (etiketten Versio-OID ovanför tabellen, värdet till höger om den)",
        "no version OID row (label Versio-OID above the table, its value right of it)",
    ),
    "excel.bad_technical_json": M(
        "tekninen sarake ei ole kelvollista JSONia ({why}); palauta se luodusta työkirjasta tai tyhjennä se",
        "den tekniska kolumnen är inte giltig JSON ({why}); återställ den från den genererade arbetsboken eller "
        "töm den",
        "technical column is not valid JSON ({why}); restore it from the generated workbook or clear it",
    ),
    "excel.technical_shape": M(
        "teknisen sarakkeen pitää olla objekti, jossa on merkinnät {entries}",
        "den tekniska kolumnen ska vara ett objekt med posterna {entries}",
        "technical column must be an object with the entries {entries}",
    ),
    "excel.technical_entry": M(
        "teknisen merkinnän {name} muoto on väärä",
        "den tekniska posten {name} har fel form",
        "technical entry {name} has the wrong shape",
    ),
    "excel.technical_texts": M(
        "elementin {key} tekniset tekstit: {why}", "tekniska texter för {key}: {why}", "technical texts of {key}: {why}"
    ),
    "excel.conflict": M(
        "solu poikkeaa teknisen sarakkeen arvosta {key}: muokkaa myös teknistä saraketta tai tyhjennä sen merkintä",
        "cellen avviker från den tekniska kolumnens {key}: redigera också den tekniska kolumnen, eller töm dess post",
        "the cell differs from the technical column's {key}: edit the technical column too, or clear its entry",
    ),
    "excel.extra_repeats": M(
        "tekninen 'extra' toistaa tunnetun sosmeta-avaimen",
        "den tekniska 'extra' upprepar en känd sosmeta-nyckel",
        "technical 'extra' repeats a known sosmeta key",
    ),
    "excel.members": M(
        "tekninen 'members' ei luettele rivin lapsia ja aliominaisuuksia",
        "den tekniska 'members' listar inte radens barn och delegenskaper",
        "technical 'members' does not list the row's children and sub-properties",
    ),
    # ---- Excel workbooks: rows and the tree ----
    "excel.level_mismatch": M(
        "taso {level} ei vastaa avainpolkua, jossa on {n} avainta",
        "nivå {level} stämmer inte med nyckelsökvägen, som har {n} nycklar",
        "level {level} does not match the key path, which has {n} keys",
    ),
    "excel.no_key": M(
        "rivillä ei ole avainpolkua; anna se tai taso ja suomenkielinen nimi, joista se johdetaan",
        "raden har ingen nyckelsökväg; ange en, eller en nivå och ett finskt namn att härleda den från",
        "the row has no key path; give one, or a level and a Finnish name to derive it from",
    ),
    "excel.no_parent_level": M(
        "tämän tason {level} rivin yläpuolella ei ole tason {above} riviä",
        "ingen rad på nivå {above} ovanför denna rad på nivå {level}",
        "no row of level {above} above this level {level} row",
    ),
    "excel.key_repeats": M(
        "avainpolku toistaa rivin {row}", "nyckelsökvägen upprepar rad {row}", "key path repeats row {row}"
    ),
    "excel.second_document": M(
        "toinen asiakirjarivi (taso 1); ensimmäinen on rivi {row}",
        "en andra dokumentrad (nivå 1); den första är rad {row}",
        "a second document row (level 1); the first is row {row}",
    ),
    "excel.no_parent": M(
        "tämän avainpolun vanhempi ei ole aiemmalla rivillä",
        "föräldern till denna nyckelsökväg finns inte på en tidigare rad",
        "the parent of this key path is not on an earlier row",
    ),
    "excel.no_document_row": M(
        "ei asiakirjariviä (taso 1, taulukon ensimmäinen rivi)",
        "ingen dokumentrad (nivå 1, tabellens första rad)",
        "no document row (level 1, the first row of the table)",
    ),
    "excel.surrogate": M(
        "koodinvaihto tuottaa yksinäisen korvausmerkin: ei Unicode-tekstiä",
        "en escape-sekvens avkodas till ett ensamt surrogattecken: ingen Unicode-text",
        "an escape decodes to a lone surrogate: not Unicode text",
    ),
    "excel.no_header": M(
        "metatietolohko on, mutta elementtitaulukon otsikkoriviä ei ole (Rivinumero, Taso, Nimi (fi), ...)",
        "metadatablocket finns men ingen rubrikrad för elementtabellen (Rivinumero, Taso, Nimi (fi), ...)",
        "the metadata block is there but no header row of the element table (Rivinumero, Taso, Nimi (fi), ...)",
    ),
    "excel.sheet_ignored": M(
        "taulukossa ei ole rakennetta, ja se ohitetaan",
        "bladet innehåller ingen struktur och ignoreras",
        "the sheet holds no structure and is ignored",
    ),
    "excel.no_rows": M(
        "elementtitaulukossa ei ole rivejä", "elementtabellen har inga rader", "the element table has no rows"
    ),
    # ---- organisation files ----
    "org.unknown_table": M(
        "tuntematon taulu '{key}' (odotettiin [organisation] ja [[template]]){hint}",
        "okänd tabell '{key}' (förväntade [organisation] och [[template]]){hint}",
        "unknown table '{key}' (expected [organisation] and [[template]]){hint}",
    ),
    "org.id_duplicate": M(
        "tunnus '{id}' on käytössä myös tiedostossa {other}; jokainen organisaatio tarvitsee omansa (se nimeää "
        "tulostekansion)",
        "id '{id}' används också av {other}; varje organisation behöver ett eget (det namnger utdatamappen)",
        "id '{id}' is also used by {other}; each organisation needs its own (it names the output folder)",
    ),
    "org.did_you_mean": M("; tarkoititko '{near}'?", "; menade du '{near}'?", "; did you mean '{near}'?"),
    "org.known_here": M(" (tässä tunnetaan: {known})", " (kända här: {known})", " (known here: {known})"),
    "org.missing_table": M(
        "[organisation]-taulu puuttuu", "tabellen [organisation] saknas", "missing [organisation] table"
    ),
    "org.template_array": M(
        "pitää olla taulujen taulukko ([[template]])",
        "ska vara en array av tabeller ([[template]])",
        "must be an array of tables ([[template]])",
    ),
    "org.unknown_key": M("tuntematon avain '{key}'{hint}", "okänd nyckel '{key}'{hint}", "unknown key '{key}'{hint}"),
    "org.missing_key": M(
        "avain '{key}' puuttuu; se on tässä pakollinen",
        "nyckeln '{key}' saknas; den är obligatorisk här",
        "the key '{key}' is missing; it is required here",
    ),
    "org.kind.text": M(
        "pitää olla teksti lainausmerkeissä", "ska vara en text inom citattecken", "must be a text in quotes"
    ),
    "org.kind.integer": M("pitää olla kokonaisluku", "ska vara ett heltal", "must be a whole number"),
    "org.kind.bool": M("pitää olla true tai false", "ska vara true eller false", "must be true or false"),
    "org.kind.list": M(
        "pitää olla lista hakasulkeissa: [...]",
        "ska vara en lista inom hakparentes: [...]",
        "must be a list in brackets: [...]",
    ),
    "org.kind.table": M(
        "pitää olla taulu: { ... } tai [osio]",
        "ska vara en tabell: { ... } eller en [sektion]",
        "must be a table: { ... } or a [section]",
    ),
    "org.kind.nonempty": M("ei saa olla tyhjä", "får inte vara tom", "must not be empty"),
    "org.id_pattern": M(
        "saa sisältää vain kirjaimia, numeroita, '.', '_' ja '-', ja alkaa kirjaimella tai numerolla",
        "får bara innehålla bokstäver, siffror, '.', '_' och '-', och börjar med en bokstav eller siffra",
        "may hold only letters, digits, '.', '_' and '-', and starts with a letter or digit",
    ),
    "org.at_least": M("pitää olla vähintään {n}", "ska vara minst {n}", "must be at least {n}"),
    "org.placeholder_oid": M(
        "yhä `sosmeta org new` -komennon kirjoittama paikkamerkki-OID; anna organisaation oma OID "
        "(SOTE-organisaatiorekisteri)",
        "fortfarande det platshållar-OID som `sosmeta org new` skrev; ange organisationens eget OID "
        "(SOTE-organisationsregistret)",
        "still the placeholder OID written by `sosmeta org new`; give the organisation's own OID "
        "(SOTE organisation register)",
    ),
    "org.placeholder_text": M(
        "yhä `sosmeta org new` -komennon kirjoittama paikkamerkkiteksti; kirjoita organisaation oma teksti",
        "fortfarande den platshållartext som `sosmeta org new` skrev; skriv organisationens egen text",
        "still the placeholder text written by `sosmeta org new`; write the organisation's own text",
    ),
    "org.must_be_path": M(
        "pitää olla tiedostopolku (merkkijono)", "ska vara en filsökväg (en sträng)", "must be a file path (a string)"
    ),
    "org.must_be_sheet": M(
        "pitää olla taulukon nimi (merkkijono)", "ska vara ett bladnamn (en sträng)", "must be a sheet name (a string)"
    ),
    "org.unreadable_workbook": M(
        "työkirjaa ei voi lukea: {why}", "arbetsboken kan inte läsas: {why}", "cannot read workbook: {why}"
    ),
    "org.no_sheet": M(
        "ei taulukkoa '{sheet}' (on: {names})",
        "inget blad '{sheet}' (finns: {names})",
        "no sheet '{sheet}' (has: {names})",
    ),
    "org.no_template_sheet": M(
        "missään taulukossa ei ole avainpolku- (Avainpolku) tai rivisaraketta (Rivi) pohjasarakkeiden (Ohje (fi), "
        "Käytössä K/E, ...) vieressä",
        "inget blad har en kolumn för nyckelsökväg (Avainpolku) eller rad (Rivi) bredvid mallkolumnerna (Ohje "
        "(fi), Käytössä K/E, ...)",
        "no sheet has a key-path (Avainpolku) or row (Rivi) column next to template columns (Ohje (fi), "
        "Käytössä K/E, ...)",
    ),
    "org.row_no_path": M(
        "rivillä ei ole avainpolkua (Avainpolku), jota pohja voisi käyttää",
        "raden har ingen nyckelsökväg (Avainpolku) som mallen kan använda",
        "row has no key path (Avainpolku) the template can use",
    ),
    "org.in_use": M(
        "'Käytössä K/E' pitää olla K tai E", "'Käytössä K/E' ska vara K eller E", "'Käytössä K/E' must be K or E"
    ),
    "org.max_items": M(
        "'Enintään' pitää olla kokonaisluku", "'Enintään' ska vara ett heltal", "'Enintään' must be a whole number"
    ),
    "org.default_json": M(
        "'Oletusarvo' alkaa kuin JSON mutta ei ole kelvollista JSONia ({why})",
        "'Oletusarvo' börjar som JSON men är inte giltig JSON ({why})",
        "'Oletusarvo' starts like JSON but is not valid JSON ({why})",
    ),
}


PROBLEMS.update(CODE_LIST_PROBLEMS)


def say(key: str, /, **params: object) -> Localized:
    """The problem text `key` in every language, formatted with `params`."""
    return formatted(PROBLEMS[key], **params)


_LENGTH = re.compile(r"^is (\d+) characters long; an OID has at most (\d+)$")
_IDENTIFIER_TEXTS = {
    "must be a string holding an OID": "identity.oid_not_string",
    "is not an OID (dotted decimal: digits separated by dots, first arc 0-2, no leading zeros)": "identity.not_oid",
    "is not a version date YYYY-MM-DD": "identity.not_date",
    "is not a real calendar date": "identity.not_real_date",
}


def identifier_problem(problem: str) -> str:
    """What `structures.identifiers` says is wrong with an OID or a date (English), in every language."""
    if problem in _IDENTIFIER_TEXTS:
        return say(_IDENTIFIER_TEXTS[problem])
    length = _LENGTH.match(problem)
    if length is not None:
        return say("identity.oid_too_long", n=int(length.group(1)), limit=int(length.group(2)))
    return problem
