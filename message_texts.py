"""The message catalogue's texts for the later front ends: `migrate`'s lines, `build`'s targets and unknown
targets, the workspace file's errors and the root group's help (`sosmeta --help`), each as (Finnish, Swedish, English).

`messages.MESSAGES` holds them as `Message`s under the same keys (this module only lists the texts, so that
`messages` stays one readable file and imports nothing of it but the table). The conventions are those of
`messages`: named parameters that are names, counts, paths and codes; counted nouns as `KEY.one` and `KEY.other`.
"""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str, str]] = {
    # ---- build ----
    "build.unknown_target": (
        "tuntematon kohde {unknown}; tunnetut: {known}",
        "okänt mål {unknown}; kända: {known}",
        "unknown target(s) {unknown}; known: {known}",
    ),
    # what `build --list-targets` says of each target (the English is the target's own description)
    "build.describe.cda": (
        "Kanta CDA R2 -arkistoasiakirjat: esimerkki kustakin rakenteesta (OUT/cda/<version OID>.xml) ja "
        "näyttölomakkeiden paikallisen esikatselun tyylitiedosto (OUT/cda/soc-preview.css)",
        "Kanta CDA R2-arkivdokument: ett exempel per struktur (OUT/cda/<version OID>.xml) och "
        "visningsblanketternas lokala stilmall för förhandsgranskning (OUT/cda/soc-preview.css)",
        "Kanta CDA R2 archive documents: an example per structure (OUT/cda/<version OID>.xml) and the display "
        "forms' local preview stylesheet (OUT/cda/soc-preview.css)",
    ),
    "build.describe.examples": (
        "Esimerkkiasiakirjat rakenneversioittain: minimaalinen, maksimaalinen ja N satunnaista realistista "
        "(OUT/examples/<version OID>/{{minimal,maximal,example-001...}}.json)",
        "Exempeldokument per strukturversion: ett minimalt, ett maximalt och N slumpmässiga realistiska "
        "(OUT/examples/<version OID>/{{minimal,maximal,example-001...}}.json)",
        "Example documents per structure version: minimal, maximal and N random realistic ones "
        "(OUT/examples/<version OID>/{{minimal,maximal,example-001...}}.json)",
    ),
    "build.describe.excel": (
        "Rakenteiden työkirjat ihmisille, luettavissa takaisin häviöttä (OUT/excel/<version OID>.xlsx)",
        "Strukturarbetsböcker för människor, som kan läsas tillbaka utan förlust (OUT/excel/<version OID>.xlsx)",
        "Structure workbooks for people, readable back losslessly (OUT/excel/<version OID>.xlsx)",
    ),
    "build.describe.forms": (
        "Lomakemäärittelyt rakenneversioittain ja organisaatiokohtaisina muunnelmina "
        "(OUT/forms/[<organisation id>/]<version OID>.json)",
        "Blankettdefinitioner per strukturversion och organisationsvariant "
        "(OUT/forms/[<organisation id>/]<version OID>.json)",
        "Form definitions per structure version and organisation variant "
        "(OUT/forms/[<organisation id>/]<version OID>.json)",
    ),
    "build.describe.html": (
        "Lomakkeiden staattinen HTML-esikatselu: hakemisto ja sivu kustakin rakenteesta ja organisaatiomuunnelmasta "
        "(OUT/html/[<organisation id>/]<version OID>.html)",
        "Statisk HTML-förhandsgranskning av blanketterna: register och en sida per struktur och "
        "organisationsvariant (OUT/html/[<organisation id>/]<version OID>.html)",
        "Static HTML preview of the forms: index, one page per structure and organisation variant "
        "(OUT/html/[<organisation id>/]<version OID>.html)",
    ),
    "build.describe.python": (
        "Tyypitetyt pydantic-luokat, moduuli kustakin rakenneversiosta (OUT/python/<package>/<module>.py)",
        "Typade pydantic-klasser, en modul per strukturversion (OUT/python/<package>/<module>.py)",
        "Typed pydantic classes, one module per structure version (OUT/python/<package>/<module>.py)",
    ),
    "build.describe.sosmeta-json": (
        "Sosmeta JSON Schema -viennit, tavu tavulta samat kuin THL:n (OUT/sosmeta-json/<version OID>.json)",
        "Sosmeta JSON Schema-exporter, byte för byte identiska med THL:s (OUT/sosmeta-json/<version OID>.json)",
        "Sosmeta JSON Schema exports, byte-identical to THL's (OUT/sosmeta-json/<version OID>.json)",
    ),
    "build.describe.validators": (
        "Python-validaattorimoduulit, yksi kutakin rakenneversiota ja tilaa kohden (OUT/validators/<mode>/v_<OID>.py)",
        "Python-valideringsmoduler, en per strukturversion och läge (OUT/validators/<mode>/v_<OID>.py)",
        "Python validator modules, one per structure version and mode (OUT/validators/<mode>/v_<OID>.py)",
    ),
    # ---- the workspace file (workspace.py) ----
    "workspace.no_file": (
        "{folder}: tässä kansiossa ei ole tiedostoa {file}",
        "{folder}: mappen har ingen {file}",
        "{folder}: no {file} in this folder",
    ),
    "workspace.strings": (
        "{where}: pitää olla merkkijono tai merkkijonojen luettelo",
        "{where}: ska vara en sträng eller en lista med strängar",
        "{where} must be a string or a list of strings",
    ),
    "workspace.folder_path": (
        "{where}: workspace.{key} pitää olla kansion polku (merkkijono)",
        "{where}: workspace.{key} ska vara en mappsökväg (en sträng)",
        "{where}: workspace.{key} must be a folder path (a string)",
    ),
    "workspace.not_table": (
        "{path}: [workspace] pitää olla taulu",
        "{path}: [workspace] ska vara en tabell",
        "{path}: [workspace] must be a table",
    ),
    # ---- migrate ----
    "migrate.table_new": (
        "kirjoitettu {path}: {types}, {records}; täytä välilehdet ja aja sitten: sosmeta migrate table check "
        "--table {path}",
        "skrev {path}: {types}, {records}; fyll i bladen och kör sedan: sosmeta migrate table check --table {path}",
        "wrote {path}: {types}, {records}; fill in the sheets, then: sosmeta migrate table check --table {path}",
    ),
    "migrate.types.one": ("{n} vanha asiakirjatyyppi", "{n} äldre dokumenttyp", "{n} legacy type"),
    "migrate.types.other": ("{n} vanhaa asiakirjatyyppiä", "{n} äldre dokumenttyper", "{n} legacy types"),
    "migrate.records.one": ("{n} tietue", "{n} post", "{n} record"),
    "migrate.records.other": ("{n} tietuetta", "{n} poster", "{n} records"),
    "migrate.table_usage": (
        "anna --table ja --catalog tai aja työtilassa, jossa on [migration] table",
        "ange --table och --catalog eller kör i en arbetsyta med [migration] table",
        "pass --table and --catalog, or run inside a workspace with [migration] table",
    ),
    "migrate.problems.one": ("{n} ongelma tiedostossa {table}", "{n} problem i {table}", "{n} problem in {table}"),
    "migrate.problems.other": ("{n} ongelmaa tiedostossa {table}", "{n} problem i {table}", "{n} problems in {table}"),
    "migrate.table_ok": (
        "{table}: {types}, {fields} kenttävastaavuutta, {codes} koodia: kunnossa",
        "{table}: {types}, {fields} fältmappningar, {codes} koder: felfri",
        "{table}: {types}, {fields} field mappings, {codes} codes: ok",
    ),
    "migrate.progress": ("siirretään", "migrerar", "migrate"),
    "migrate.rate": ("{rate} tietuetta/s", "{rate} poster/s", "{rate} records/s"),
    "migrate.run_summary": (
        "luettu {records}: {archived} arkistoitu, {replaced} korvattu, {refused} hylätty, {skipped} ohitettu "
        "({rate} tietuetta/s); täsmäytetty vanhan asiakirjatyypin mukaan",
        "läste {records}: {archived} arkiverade, {replaced} ersatta, {refused} avvisade, {skipped} överhoppade "
        "({rate} poster/s); avstämt per äldre dokumenttyp",
        "read {records}: {archived} archived, {replaced} replaced, {refused} refused, {skipped} skipped "
        "({rate} records/s); reconciled per legacy type",
    ),
    "migrate.packages": (
        "paketit kansiossa {out}/packages; raportti: sosmeta migrate report",
        "paketen i {out}/packages; rapport: sosmeta migrate report",
        "packages in {out}/packages; report: sosmeta migrate report",
    ),
    "migrate.report": ("kirjoitettu {html} ja {json}", "skrev {html} och {json}", "wrote {html} and {json}"),
    # ---- the root group's help (`sosmeta --help`; the English is the root group's own) ----
    "help.usage": ("Käyttö: ", "Användning: ", "Usage: "),
    "help.options": ("Valinnat", "Flaggor", "Options"),
    "help.commands": ("Komennot", "Kommandon", "Commands"),
    "help.root": (
        "sosmeta kääntää THL:n kansalliset sosiaalihuollon asiakirjarakenteet (Sosmeta) ohjelmistoksi.\n\n"
        "\b\nTyypillinen istunto:\n"
        "  sosmeta import exports/ --catalog catalog      # tallenna rakenneversiot\n"
        "  sosmeta list --catalog catalog                 # mitä katalogissa on\n"
        "  sosmeta show 1.2.246.537.6.1506.15007 --catalog catalog\n"
        "  sosmeta lint --catalog catalog                 # poikkeamat koodattuina varoituksina\n"
        "  sosmeta build --catalog catalog --out output   # aja generaattorit (ks. --list-targets)\n\n"
        "Työtilassa (kansiossa, jossa on sosmeta.toml) --catalog ja --out tulevat tiedostosta.",
        "sosmeta kompilerar THL:s nationella dokumentstrukturer för socialvården (Sosmeta) till programvara.\n\n"
        "\b\nEn typisk session:\n"
        "  sosmeta import exports/ --catalog catalog      # lagra strukturversioner\n"
        "  sosmeta list --catalog catalog                 # vad katalogen innehåller\n"
        "  sosmeta show 1.2.246.537.6.1506.15007 --catalog catalog\n"
        "  sosmeta lint --catalog catalog                 # avvikelser, som kodade varningar\n"
        "  sosmeta build --catalog catalog --out output   # kör generatorerna (se --list-targets)\n\n"
        "I en arbetsyta (en mapp med sosmeta.toml) kommer --catalog och --out från filen.",
        "sosmeta compiles THL's national social-welfare document structures (Sosmeta) into software.\n\n"
        "\b\nTypical session:\n"
        "  sosmeta import exports/ --catalog catalog      # store structure versions\n"
        "  sosmeta list --catalog catalog                 # what the catalog holds\n"
        "  sosmeta show 1.2.246.537.6.1506.15007 --catalog catalog\n"
        "  sosmeta lint --catalog catalog                 # irregularities, as coded warnings\n"
        "  sosmeta build --catalog catalog --out output   # run generators (see --list-targets)\n\n"
        "Inside a workspace (a folder with sosmeta.toml) --catalog and --out come from the file.",
    ),
    "help.option.workspace": (
        "Työtilan kansio, jossa on sosmeta.toml (oletus: etsitään nykyisestä kansiosta ylöspäin).",
        "Arbetsytans mapp med sosmeta.toml (standard: söks från den aktuella mappen uppåt).",
        "Workspace folder with sosmeta.toml (default: found from the current folder upward).",
    ),
    "help.option.quiet": (
        "Tulosta vain virheet ja yhteenveto.",
        "Skriv ut endast fel och sammanfattningen.",
        "Print only errors and the summary.",
    ),
    "help.option.lang": (
        "Viestien kieli: fi, sv tai en (oletus: LC_ALL, LC_MESSAGES tai LANG, muuten fi).",
        "Meddelandenas språk: fi, sv eller en (standard: från LC_ALL, LC_MESSAGES eller LANG, annars fi).",
        "Language of the messages: fi, sv or en (default: from LC_ALL, LC_MESSAGES or LANG, else fi).",
    ),
    "help.option.version": ("Näytä versio ja lopeta.", "Visa versionen och avsluta.", "Show the version and exit."),
    "help.option.help": (
        "Näytä tämä ohje ja lopeta.",
        "Visa detta meddelande och avsluta.",
        "Show this message and exit.",
    ),
    "help.command.import": (
        "Tallenna rakenneversiot tiedostoista tai kansioista katalogiin.",
        "Lagra strukturversioner från filer eller mappar i katalogen.",
        "Store structure versions from files or folders in the catalog.",
    ),
    "help.command.list": (
        "Luettele katalogin kaikki rakenneversiot.",
        "Lista varje strukturversion i katalogen.",
        "List every structure version in the catalog.",
    ),
    "help.command.show": (
        "Näytä rakenteen elementtipuu: rivi, avain, suomenkielinen nimi, esitysmuoto, kardinaliteetti, liput.",
        "Visa en strukturs elementträd: rad, nyckel, finskt namn, representation, kardinalitet, flaggor.",
        "Show the element tree of a structure: row, key, Finnish name, representation, cardinality, flags.",
    ),
    "help.command.lint": (
        "Raportoi rakenteiden poikkeamat koodattuina varoituksina.",
        "Rapportera avvikelser i strukturer som kodade varningar.",
        "Report irregularities of structures as coded warnings.",
    ),
    "help.command.build": (
        "Aja generaattorit katalogin yli; kukin kohde kirjoittaa kansioon OUT/<target>/.",
        "Kör generatorerna över katalogen; varje mål skriver OUT/<target>/.",
        "Run generators over the catalog; each target writes OUT/<target>/.",
    ),
    "help.command.validate": (
        "Tarkista asiakasasiakirjat (JSON) niiden kansallista rakennetta vasten ja luettele jokainen havainto.",
        "Validera klientdokument (JSON) mot deras nationella struktur och lista varje fynd.",
        "Validate client documents (JSON) against their national structure and list every finding.",
    ),
    "help.command.org": (
        "Organisaatiopohjat: tarkista ne kansallisia rakenteita vasten.",
        "Organisationsmallar: kontrollera dem mot de nationella strukturerna.",
        "Organisation templates: check them against the national structures.",
    ),
    "help.command.cda": (
        "Kanta CDA R2 -arkistoasiakirjat: encode, frame, check, decode; replace, nullify (ks. docs/cda.md).",
        "Kanta CDA R2-arkivdokument: encode, frame, check, decode; replace, nullify (se docs/cda.md).",
        "Kanta CDA R2 archive documents: encode, frame, check, decode; replace, nullify (see docs/cda.md).",
    ),
    "help.command.diff": (
        "Vertaa rakenteen kahta versiota: mikä muuttui ja mitä se rikkoo.",
        "Jämför två versioner av en struktur: vad som ändrades och vad det bryter.",
        "Compare two versions of a structure: what changed and what it breaks.",
    ),
    "help.command.breaking": (
        "Tarkista koko katalogi vertailukatalogia vasten CI:tä varten: lisätyt, poistetut ja muuttuneet rakenteet.",
        "Kontrollera en hel katalog mot en baslinjekatalog, för CI: tillagda, borttagna och ändrade strukturer.",
        "Check a whole catalog against a baseline catalog, for CI: added, removed and changed structures.",
    ),
    "help.command.example": (
        "Tulosta rakenneversion esimerkkiasiakirjoja (kelvollisia, keksityin mutta realistisin arvoin).",
        "Skriv ut exempeldokument för en strukturversion (giltiga, med påhittade men realistiska värden).",
        "Print example documents of a structure version (valid, with made-up but realistic values).",
    ),
    "help.command.codes": (
        "Kansalliset koodistot (THL:n koodistopalvelu) katalogissa, jotta validaattorit tarkistavat koodit ilman "
        "verkkoa.",
        "Nationella kodverk (THL:s kodtjänst) i katalogen, så att validerarna kontrollerar koder utan nätverk.",
        "National code lists (THL's code server) kept in the catalog, so validators check codes offline.",
    ),
    "help.command.migrate": (
        "Vanhojen tietojen siirto: vastaavuustaulukko -> tarkistetut, tilitetyt arkistosanomat.",
        "Migrering av äldre data: korrespondenstabell -> kontrollerade, redovisade arkivmeddelanden.",
        "Legacy migration: correspondence table -> checked, accounted archive messages.",
    ),
}
