"""The message catalogue's texts for the later front ends: `migrate`'s lines, `build`'s targets and unknown
targets, the workspace file's errors and the root group's help, each as (Finnish, Swedish, English).

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
}
