"""The message catalogue of the front ends: every text a command prints, in Finnish, Swedish and English.

A message is looked up by key and formatted with named parameters, which are names, counts, paths and
codes, never a value of a client document. Counted nouns have two keys, `KEY.one` and `KEY.other`
(`count()` picks one). The language comes from `--lang`, else from the locale environment (LC_ALL,
LC_MESSAGES, LANG: fi*, sv*, en*), else Finnish. The validator's finding messages follow the same pattern
(`generators.validator.findings.Rule`: one field per language); line prefixes that tools grep for
(`error:`, `warning:`, `note:`, `finding:`) are not translated.

The later front ends' texts (`migrate`, `build`'s targets, the workspace file, the root help) are listed in
`message_texts` and held here as `Message`s under their keys. Two parts of the catalogue live next to what uses
them, as `Message`s too: the importers' problem texts
(`sosmeta_import.problem_texts`, `code_list_texts`) and the compatibility rules (`structures.compat.rules`).
A layer below the front ends that has to say something hands up a `Localized` text (`message`, `formatted`,
`composed`): English wherever a plain string is used (logs, JSON, `str()`), and `localized(text, lang)` gives
the run's language where a command prints it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, cast

from sosmeta.message_texts import TEXTS as FRONT_TEXTS

Lang = Literal["fi", "sv", "en"]
LANGS: tuple[Lang, ...] = ("fi", "sv", "en")
DEFAULT_LANG: Lang = "fi"
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
"""Searched in this order, as POSIX does: the first one set decides."""


@dataclass(frozen=True)
class Message:
    fi: str
    sv: str
    en: str

    def text(self, lang: Lang) -> str:
        return cast(str, getattr(self, lang))


M = Message
MESSAGES: dict[str, Message] = {
    # ---- shared ----
    "no_catalog": M(
        "ei katalogia: anna --catalog KANSIO tai aja työtilassa (kansiossa, jossa on sosmeta.toml)",
        "ingen katalog: ange --catalog MAPP eller kör i en arbetsyta (en mapp med sosmeta.toml)",
        "no catalog: pass --catalog DIR, or run inside a workspace (a folder with sosmeta.toml)",
    ),
    "not_a_catalog": M(
        "{path}: ei ole katalogikansio ({why}); tuo rakenteet ensin (sosmeta import POLKU)",
        "{path}: är ingen katalogmapp ({why}); importera strukturer först (sosmeta import SÖKVÄG)",
        "{path}: not a catalog folder ({why}); import structures first (sosmeta import PATH)",
    ),
    "not_a_catalog.missing": M("kansiota ei ole", "mappen finns inte", "no such folder"),
    "not_a_catalog.not_folder": M("ei ole kansio", "är ingen mapp", "not a folder"),
    "not_a_catalog.no_versions": M(
        "siinä ei ole rakenneversioita", "den har inga strukturversioner", "it holds no structure versions"
    ),
    "too_deep": M(
        "syöte on liian syvästi sisäkkäinen käsiteltäväksi",
        "indata är för djupt nästlad för att behandlas",
        "the input nests too deeply to process",
    ),
    "not_utf8": M(
        "tekstiä ei voi lukea tai kirjoittaa UTF-8:na (yksinäinen korvausmerkki?)",
        "en text kan inte läsas eller skrivas som UTF-8 (ett ensamt surrogattecken?)",
        "a text cannot be read or written as UTF-8 (a lone surrogate?)",
    ),
    "out_is_dir": M("on kansio; anna tiedoston nimi", "är en mapp; ange ett filnamn", "is a folder; give a file name"),
    "out_no_parent": M(
        "kansiota {parent} ei ole; luo se ensin",
        "mappen {parent} finns inte; skapa den först",
        "the folder {parent} does not exist; create it first",
    ),
    "out_is_file": M("on tiedosto; anna kansion nimi", "är en fil; ange ett mappnamn", "is a file; give a folder name"),
    "progress.importing": M("tuodaan", "importerar", "importing"),
    "progress.validating": M("tarkistetaan", "kontrollerar", "validating"),
    "progress.comparing": M("verrataan", "jämför", "comparing"),
    # ---- the catalog (raised by catalog.py as Localized texts) ----
    "catalog.no_oid": M(
        "rakenteella {title} ei ole OID:tä; katalogi tallentaa versiot OID:n mukaan",
        "strukturen {title} har inget OID; katalogen lagrar versioner efter OID",
        "structure {title} has no OID; the catalog files versions by OID",
    ),
    "catalog.bad_base_oid": M(
        "rakenne {title}: sen perus-OID {problem}",
        "strukturen {title}: dess bas-OID {problem}",
        "structure {title}: its base OID {problem}",
    ),
    "catalog.bad_version": M(
        "rakenne {title}: sen versio (documentDefinitionVersion, muuten OID:n lopun päivämäärä) {problem}",
        "strukturen {title}: dess version (documentDefinitionVersion, annars datumet i slutet av OID) {problem}",
        "structure {title}: its version (documentDefinitionVersion, else the date at the end of the OID) {problem}",
    ),
    "catalog.refused": M(
        "{oid}: {why} [catalog.{code}]", "{oid}: {why} [catalog.{code}]", "{oid}: {why} [catalog.{code}]"
    ),
    "catalog.conflict": M(
        "{oid}: katalogissa on jo versio {version} eri sisällöllä ({path}): {differs}; --replace korvaa sen",
        "{oid}: katalogen har redan version {version} med annat innehåll ({path}): {differs}; använd --replace "
        "för att skriva över den",
        "{oid}: the catalog already holds version {version} with different content ({path}): {differs}; use "
        "--replace to overwrite it",
    ),
    "catalog.version_oid_differs": M(
        "{oid}: katalogissa on versio {version} nimellä {stored} ({path}); versio pitää OID:nsa myös --replace-"
        "valinnalla: korjaa OID (Versio-OID) tai versiopäivämäärä (Määrittelyversio) [catalog.version_oid_differs]",
        "{oid}: katalogen har version {version} som {stored} ({path}); en version behåller sitt OID, även med "
        "--replace: rätta OID (Versio-OID) eller versionsdatumet (Määrittelyversio) [catalog.version_oid_differs]",
        "{oid}: the catalog holds version {version} as {stored} ({path}); a version keeps its OID, even with "
        "--replace: correct the OID (Versio-OID) or the version date (Määrittelyversio) "
        "[catalog.version_oid_differs]",
    ),
    "catalog.misplaced": M(
        "{path}: sisältää eri rakenneversion kuin sen paikka katalogissa nimeää (siirretty tai muokattu käsin?); "
        "tuo vienti uudelleen",
        "{path}: innehåller en annan strukturversion än dess plats i katalogen anger (flyttad eller redigerad "
        "för hand?); importera exporten igen",
        "{path}: holds another structure version than its place in the catalog names (moved or edited by hand?); "
        "import the export again",
    ),
    "catalog.no_version": M(
        "rakenteella {oid} ei ole versiota {version} (on: {have})",
        "strukturen {oid} har ingen version {version} (finns: {have})",
        "structure {oid} has no version {version} (has: {have})",
    ),
    # ---- import ----
    "import.outcome.new structure": M("uusi rakenne", "ny struktur", "new structure"),
    "import.outcome.new version": M("uusi versio", "ny version", "new version"),
    "import.outcome.unchanged": M("ennallaan", "oförändrad", "unchanged"),
    "import.outcome.replaced": M("korvattu", "ersatt", "replaced"),
    "import.summary": M(
        "tuotu katalogiin {catalog}: {summary}",
        "importerat till {catalog}: {summary}",
        "imported into {catalog}: {summary}",
    ),
    "import.nothing": M("ei mitään", "ingenting", "nothing"),
    "import.errors.one": M("; {n} virhe", "; {n} fel", "; {n} error"),
    "import.errors.other": M("; {n} virhettä", "; {n} fel", "; {n} errors"),
    "import.no_paths": M(
        "anna tuotavat tiedostot tai kansiot (tai aseta workspace.sources tiedostoon sosmeta.toml)",
        "ange filer eller mappar att importera (eller sätt workspace.sources i sosmeta.toml)",
        "give files or folders to import (or set workspace.sources in sosmeta.toml)",
    ),
    # ---- list, show ----
    "list.summary.one": M("{n} rakenneversio", "{n} strukturversion", "{n} structure version"),
    "list.summary.other": M("{n} rakenneversiota", "{n} strukturversioner", "{n} structure versions"),
    "show.group": M("ryhmä", "grupp", "group"),
    "show.unknown": M(
        "katalogissa {catalog} ei ole rakennetta {oid!r} (lähimmät: {nearest})",
        "ingen struktur {oid!r} i katalogen {catalog} (närmast: {nearest})",
        "no structure {oid!r} in catalog {catalog} (nearest: {nearest})",
    ),
    "show.unknown_none": M(
        "katalogissa {catalog} ei ole rakennetta {oid!r} (katalogi on tyhjä)",
        "ingen struktur {oid!r} i katalogen {catalog} (katalogen är tom)",
        "no structure {oid!r} in catalog {catalog} (the catalog is empty)",
    ),
    # ---- lint ----
    "lint.structure.one": M(
        "{oid}  {title}: {n} varoitus", "{oid}  {title}: {n} varning", "{oid}  {title}: {n} warning"
    ),
    "lint.structure.other": M(
        "{oid}  {title}: {n} varoitusta", "{oid}  {title}: {n} varningar", "{oid}  {title}: {n} warnings"
    ),
    "lint.structures.one": M("{n} rakenne", "{n} struktur", "{n} structure"),
    "lint.structures.other": M("{n} rakennetta", "{n} strukturer", "{n} structures"),
    "lint.warnings.one": M("{n} varoitus", "{n} varning", "{n} warning"),
    "lint.warnings.other": M("{n} varoitusta", "{n} varningar", "{n} warnings"),
    "lint.files_failed.one": M("{n} tiedosto ei lukeutunut", "{n} fil kunde inte läsas", "{n} file unreadable"),
    "lint.files_failed.other": M("{n} tiedostoa ei lukeutunut", "{n} filer kunde inte läsas", "{n} files unreadable"),
    # ---- build ----
    "build.target.one": M(
        "{name}: {n} tiedosto kansiossa {folder}", "{name}: {n} fil i {folder}", "{name}: {n} file in {folder}"
    ),
    "build.target.other": M(
        "{name}: {n} tiedostoa kansiossa {folder}", "{name}: {n} filer i {folder}", "{name}: {n} files in {folder}"
    ),
    "build.empty_catalog": M(
        "katalogi {catalog} on tyhjä: tuo rakenteet ensin (sosmeta import POLKU)",
        "katalogen {catalog} är tom: importera strukturer först (sosmeta import SÖKVÄG)",
        "catalog {catalog} is empty: import structures first (sosmeta import PATH)",
    ),
    # ---- validate ----
    "validate.valid": M("kelpaa", "giltig", "valid"),
    "validate.invalid": M("EI KELPAA", "OGILTIG", "INVALID"),
    "validate.no_findings": M("ei havaintoja", "inga fynd", "no findings"),
    "validate.errors.one": M("{n} virhe", "{n} fel", "{n} error"),
    "validate.errors.other": M("{n} virhettä", "{n} fel", "{n} errors"),
    "validate.warnings.one": M("{n} varoitus", "{n} varning", "{n} warning"),
    "validate.warnings.other": M("{n} varoitusta", "{n} varningar", "{n} warnings"),
    "validate.row": M("rivi {row}", "rad {row}", "row {row}"),
    "validate.document": M("asiakirja", "dokument", "document"),
    "validate.error": M("virhe", "fel", "error"),
    "validate.summary": M(
        "{documents} tarkistettu tilassa {mode}: {tally}",
        "{documents} kontrollerade i läget {mode}: {tally}",
        "{documents} checked in {mode} mode: {tally}",
    ),
    "validate.documents.one": M("{n} asiakirja", "{n} dokument", "{n} document"),
    "validate.documents.other": M("{n} asiakirjaa", "{n} dokument", "{n} documents"),
    "validate.tally.valid": M("{n} kelpaa", "{n} giltiga", "{n} valid"),
    "validate.tally.invalid": M("{n} ei kelpaa", "{n} ogiltiga", "{n} invalid"),
    "validate.tally.unreadable": M("{n} lukukelvoton", "{n} oläsbara", "{n} unreadable"),
    "validate.no_input": M(
        "anna asiakirjatiedostot (tai - vakiosyötteelle) tai --jsonl TIEDOSTO",
        "ange dokumentfiler (eller - för standard in) eller --jsonl FIL",
        "give document files (or - for standard input), or --jsonl FILE",
    ),
    "validate.no_root_key": M(
        "rakennetta ei voi päätellä: asiakirja ei ole objekti, jolla on yksi juuriavain (käytä --structure)",
        "strukturen kan inte avgöras: dokumentet är inte ett objekt med en rotnyckel (använd --structure)",
        "cannot tell the structure: the document is not an object with one root key (use --structure)",
    ),
    "validate.unknown_root_key": M(
        "millään katalogin rakenteella ei ole tämän asiakirjan juuriavainta (käytä --structure)",
        "ingen struktur i katalogen har dokumentets rotnyckel (använd --structure)",
        "no structure in the catalog has this document's root key (use --structure)",
    ),
    "validate.ambiguous_root_key": M(
        "juuriavain kuuluu usealle rakenteelle ({oids}); valitse yksi: --structure",
        "rotnyckeln hör till flera strukturer ({oids}); välj en med --structure",
        "the root key belongs to several structures ({oids}); choose one with --structure",
    ),
    # ---- org ----
    "org.wrote": M(
        "kirjoitettu {output}; muokkaa sitä ja aja sitten: sosmeta org check {output}",
        "skrev {output}; redigera den och kör sedan: sosmeta org check {output}",
        "wrote {output}; edit it, then: sosmeta org check {output}",
    ),
    "org.errors.one": M(
        "{n} virhe organisaatiopohjissa", "{n} fel i organisationsmallarna", "{n} error in organisation templates"
    ),
    "org.errors.other": M(
        "{n} virhettä organisaatiopohjissa", "{n} fel i organisationsmallarna", "{n} errors in organisation templates"
    ),
    "org.files_not_list": M(
        "{file}: organisations.files pitää olla polkujen lista",
        "{file}: organisations.files ska vara en lista med sökvägar",
        "{file}: organisations.files must be a list of paths",
    ),
    "org.clean": M(
        "{organisations} organisaatio(ta), {templates} pohja(a): ei virheitä",
        "{organisations} organisation(er), {templates} mall(ar): inga fel",
        "{organisations} organisation(s), {templates} template(s): no errors",
    ),
    "org.no_files": M(
        "anna organisaatiotiedostot (tai luettele ne kohdassa [organisations] files tiedostossa sosmeta.toml)",
        "ange organisationsfiler (eller lista dem i [organisations] files i sosmeta.toml)",
        "give organisation files (or list them in [organisations] files of sosmeta.toml)",
    ),
    # ---- cda ----
    "cda.wrote_document": M(
        "kirjoitettu {out} ({size} tavua, {oid})",
        "skrev {out} ({size} byte, {oid})",
        "wrote {out} ({size} bytes, {oid})",
    ),
    "cda.wrote_version": M(
        "kirjoitettu {out} ({size} tavua)", "skrev {out} ({size} byte)", "wrote {out} ({size} bytes)"
    ),
    "cda.refused.encode": M(
        "hylätty: {n} havaintoa (--allow-invalid koodaa silti)",
        "avvisat: {n} fynd (--allow-invalid kodar ändå)",
        "refused: {n} findings (use --allow-invalid to encode anyway)",
    ),
    "cda.refused.write": M(
        "hylätty: {n} havaintoa (--allow-invalid kirjoittaa silti)",
        "avvisat: {n} fynd (--allow-invalid skriver ändå)",
        "refused: {n} findings (use --allow-invalid to write anyway)",
    ),
    "cda.invalid_written.one": M(
        "asiakirjassa oli {n} virhehavainto; koodattu silti (--allow-invalid)",
        "dokumentet hade {n} felfynd; kodat ändå (--allow-invalid)",
        "the document had {n} error finding; encoded anyway (--allow-invalid)",
    ),
    "cda.invalid_written.other": M(
        "asiakirjassa oli {n} virhehavaintoa; koodattu silti (--allow-invalid)",
        "dokumentet hade {n} felfynd; kodat ändå (--allow-invalid)",
        "the document had {n} error findings; encoded anyway (--allow-invalid)",
    ),
    "cda.bulk_summary": M(
        "{out}: {written} kirjoitettu, {skipped} jo olemassa, {failed} epäonnistui",
        "{out}: {written} skrivna, {skipped} fanns redan, {failed} misslyckades",
        "{out}: {written} written, {skipped} already there, {failed} failed",
    ),
    "cda.bulk_failures": M(" (katso {file})", " (se {file})", " (see {file})"),
    "cda.bulk_usage": M(
        "massa-ajo tarvitsee sekä --jsonl että --envelopes (eikä ASIAKIRJAA)",
        "massläget behöver både --jsonl och --envelopes (och inget DOKUMENT)",
        "bulk mode needs both --jsonl and --envelopes (and no DOCUMENT)",
    ),
    "cda.encode_usage": M(
        "anna ASIAKIRJA ja --envelope (tai --jsonl ja --envelopes)",
        "ange DOKUMENT och --envelope (eller --jsonl och --envelopes)",
        "give DOCUMENT and --envelope (or --jsonl and --envelopes)",
    ),
    "cda.decoded": M("kirjoitettu {written} ({about})", "skrev {written} ({about})", "wrote {written} ({about})"),
    "cda.findings.one": M("{n} havainto", "{n} fynd", "{n} finding"),
    "cda.findings.other": M("{n} havaintoa", "{n} fynd", "{n} findings"),
    "cda.signatures.one": M("{n} allekirjoitus tarkistettu", "{n} signatur kontrollerad", "{n} signature checked"),
    "cda.signatures.other": M(
        "{n} allekirjoitusta tarkistettu", "{n} signaturer kontrollerade", "{n} signatures checked"
    ),
    "cda.wrote": M("kirjoitettu {files}", "skrev {files}", "wrote {files}"),
    "cda.and": M(" ja ", " och ", " and "),
    "cda.frame_size": M("{out} ({size} tavua)", "{out} ({size} byte)", "{out} ({size} bytes)"),
    "cda.no_performer": M(
        "ei lähettävää käyttäjää (--performer-id) eikä asiakirjassa ole sellaista: kehyksessä ei ole sitä",
        "ingen sändande användare (--performer-id) och ingen i dokumentet: ramen har ingen",
        "no sending user (--performer-id) and none in the document: the frame has none",
    ),
    "cda.frame_usage": M(
        "anna --out TIEDOSTO (kehys), --package TIEDOSTO tai molemmat",
        "ange --out FIL (ramen), --package FIL eller båda",
        "give --out FILE (the frame), --package FILE, or both",
    ),
    "cda.check_usage": M(
        "anna asiakirja (ja sen kehys) tai paketti",
        "ange dokumentet (och dess ram) eller ett paket",
        "give the document (and its frame), or a package",
    ),
    "check.clean": M("kunnossa", "felfri", "clean"),
    "check.errors.one": M("{n} virhe", "{n} fel", "{n} error"),
    "check.errors.other": M("{n} virhettä", "{n} fel", "{n} errors"),
    "check.warnings.one": M("{n} varoitus", "{n} varning", "{n} warning"),
    "check.warnings.other": M("{n} varoitusta", "{n} varningar", "{n} warnings"),
    "check.no_structure": M("ei rakennetta", "ingen struktur", "no structure"),
    "check.mode": M("käsittelytila {mode}", "behandlingsläge {mode}", "processing mode {mode}"),
    "check.mode_unknown": M(
        "käsittelytila tuntematon (henkilötunnuksia ei tarkistettu)",
        "behandlingsläget okänt (personbeteckningar inte kontrollerade)",
        "processing mode unknown (identity codes not checked)",
    ),
    "check.summary": M(
        "{verdict} ({structure}, {mode})", "{verdict} ({structure}, {mode})", "{verdict} ({structure}, {mode})"
    ),
    # ---- codes ----
    "codes.outcome.new list": M("uusi koodisto", "nytt kodverk", "new list"),
    "codes.outcome.new version": M("uusi versio", "ny version", "new version"),
    "codes.outcome.updated": M("päivitetty", "uppdaterad", "updated"),
    "codes.outcome.unchanged": M("ennallaan", "oförändrad", "unchanged"),
    "codes.codes.one": M("{n} koodi", "{n} kod", "{n} code"),
    "codes.codes.other": M("{n} koodia", "{n} koder", "{n} codes"),
    "codes.lists.one": M("{n} koodisto", "{n} kodverk", "{n} code list"),
    "codes.lists.other": M("{n} koodistoa", "{n} kodverk", "{n} code lists"),
    "codes.changed": M("{lists}, {n} muuttui", "{lists}, {n} ändrade", "{lists}, {n} changed"),
    "codes.diff.added": M("lisätty", "tillagd", "added"),
    "codes.diff.removed": M("poistettu", "borttagen", "removed"),
    "codes.diff.renamed": M("nimi muuttui", "nytt namn", "renamed"),
    "codes.diff.expired": M("päättynyt", "upphörd", "expired"),
    "codes.diff.changed": M("muuttunut", "ändrad", "changed"),
    "codes.diff.summary": M(
        "{added} lisätty, {removed} poistettu, {renamed} nimi muuttunut, {expired} päättynyt, {changed} muuttunut",
        "{added} tillagda, {removed} borttagna, {renamed} med nytt namn, {expired} upphörda, {changed} ändrade",
        "{added} added, {removed} removed, {renamed} renamed, {expired} expired, {changed} changed",
    ),
    "codes.pull_usage": M(
        "nimeä haettavat koodistot (luokitusten OID:t) tai anna --for-catalog",
        "ange kodverken som ska hämtas (klassificeringarnas OID) eller ange --for-catalog",
        "name the lists to pull (classification OIDs), or give --for-catalog",
    ),
    # ---- diff, breaking ----
    "compat.wrote": M(
        "kirjoitettu {output}: {findings} muutosta, {failing} rikkoo, {ignored} ohitettu",
        "skrev {output}: {findings} ändringar, {failing} bryter, {ignored} ignorerade",
        "wrote {output}: {findings} findings, {failing} failing, {ignored} ignored",
    ),
    "compat.label.old": M("vanha", "gammal", "old"),
    "compat.label.new": M("uusi", "ny", "new"),
    "compat.label.row": M("rivi", "rad", "row"),
    "compat.label.path": M("polku", "sökväg", "path"),
    "compat.label.categories": M("luokat", "kategorier", "categories"),
    "compat.label.counterexample": M("vastaesimerkki", "motexempel", "counterexample"),
    "compat.label.valid": M("kelpaa", "giltigt enligt", "valid under"),
    "compat.label.rejected": M("hylkää", "avvisas av", "rejected by"),
    "compat.label.at": M("kohdassa", "vid", "at"),
    "compat.label.none": M("ei vastaesimerkkiä", "inget motexempel", "no counterexample"),
    "compat.label.ignored": M("ohitettu", "ignorerade", "ignored"),
    "compat.label.unchanged": M("ei muutoksia", "inga ändringar", "no changes"),
    "compat.label.unchanged_many": M(
        "rakennetta ilman muutoksia", "strukturer utan ändringar", "structures without changes"
    ),
    "compat.label.unchanged_one": M("rakenne ilman muutoksia", "struktur utan ändringar", "structure without changes"),
    "compat.label.others": M("muut", "övriga", "other"),
    "compat.label.adapted": M(
        "muiden elementtien avain- ja listamuutokset siirretty",
        "övriga elements nyckel- och liständringar överförda",
        "other elements' key and list changes carried over",
    ),
    "compat.label.full": M("myös täysi tarkistus", "även fullständig kontroll", "full mode too"),
    "compat.label.title": M("Yhteensopivuus", "Kompatibilitet", "Compatibility"),
    "compat.label.name": M("Nimi", "Namn", "Name"),
    "compat.label.rule": M("Sääntö", "Regel", "Rule"),
    "compat.label.change": M("Muutos", "Ändring", "Change"),
    "compat.yes": M("kyllä", "ja", "yes"),
    "compat.no": M("ei", "nej", "no"),
    "compat.summary": M(
        "{findings} muutosta, {failing} rikkoo (fail-on {fail_on}), {ignored} ohitettu",
        "{findings} ändringar, {failing} bryter (fail-on {fail_on}), {ignored} ignorerade",
        "{findings} findings, {failing} failing (fail-on {fail_on}), {ignored} ignored",
    ),
    "compat.row_at": M(" (rivi {row})", " (rad {row})", " (row {row})"),
    "compat.category.DOCUMENT_BACKWARD": M(
        "Vanhan version mukainen asiakirja ei ole uuden version mukainen (arkisto ja olemassa olevat kirjaukset).",
        "Ett dokument som är giltigt enligt den gamla versionen är inte giltigt enligt den nya (arkiverade "
        "dokument och befintliga registreringar går sönder).",
        "A document valid under OLD is not valid under NEW (archived documents and existing records break).",
    ),
    "compat.category.DOCUMENT_FORWARD": M(
        "Uuden version mukainen asiakirja ei ole vanhan version mukainen (vanhaa versiota käyttävät järjestelmät "
        "hylkäävät sen).",
        "Ett dokument som är giltigt enligt den nya versionen är inte giltigt enligt den gamla (system som "
        "ännu använder den gamla versionen avvisar det).",
        "A document valid under NEW is not valid under OLD (systems still on OLD reject new documents).",
    ),
    "compat.category.CODEGEN": M(
        "Generoitujen luokkien tai kenttien nimet tai tyypit muuttuvat.",
        "Namnen eller typerna på genererade klasser eller fält ändras.",
        "Generated class or field names or types change.",
    ),
    "compat.category.FORM": M(
        "Ammattilaisen näkemä lomake muuttuu.",
        "Blanketten som den yrkesutbildade personen ser ändras.",
        "The form a professional sees changes.",
    ),
    "compat.category.TEXT": M("Vain sanamuoto muuttuu.", "Endast formuleringen ändras.", "Only wording changes."),
    "compat.unrelated": M(
        "on rakenne {new_oid} ({new_title}), mutta {old_source} on rakenne {old_oid} ({old_title}): ne eivät ole "
        "saman rakenteen kaksi versiota; --unrelated vertaa silti",
        "är strukturen {new_oid} ({new_title}), men {old_source} är strukturen {old_oid} ({old_title}): de är "
        "inte två versioner av samma struktur; ange --unrelated för att jämföra ändå",
        "is structure {new_oid} ({new_title}), but {old_source} is structure {old_oid} ({old_title}): not two "
        "versions of one structure; give --unrelated to compare them anyway",
    ),
    "compat.too_few_versions": M(
        "{ref}: katalogissa {catalog} on siitä {n} versio(ta); diff tarvitsee kaksi (tai anna VANHA ja UUSI)",
        "{ref}: katalogen {catalog} har {n} version(er) av den; diff behöver två (eller ange GAMMAL och NY)",
        "{ref}: the catalog {catalog} holds {n} version(s) of it; diff needs two (or give OLD and NEW)",
    ),
    "compat.many_structures": M(
        "sisältää {n} rakennetta; vertaa tiedostoja, joissa on yksi, tai katalogiviittauksia (OID@VERSIO)",
        "innehåller {n} strukturer; jämför filer med en struktur, eller katalogreferenser (OID@VERSION)",
        "holds {n} structures; compare files holding one, or catalog references (OID@VERSION)",
    ),
    "compat.no_such_file": M("tiedostoa ei ole", "filen finns inte", "no such file"),
    "compat.both_empty": M(
        "molemmat katalogit ovat tyhjiä ({catalog}, {against})",
        "båda katalogerna är tomma ({catalog}, {against})",
        "both catalogs are empty ({catalog}, {against})",
    ),
    # counterexample notes and finding details (structures.compat, generators.compat: as `Localized` texts)
    "compat.note.removed": M(
        "ei vastaesimerkkiä: uudessa versiossa ei ole tätä rakennetta, joten sen jokainen asiakirja menettää skeemansa",
        "inget motexempel: den nya versionen har ingen sådan struktur, så varje dokument av den förlorar sitt schema",
        "no counterexample: NEW has no such structure, so every document of it loses its schema",
    ),
    "compat.note.no_minimal": M(
        "ei vastaesimerkkiä: version {source} mukaista minimiasiakirjaa ei voitu rakentaa",
        "inget motexempel: inget minimalt dokument som är giltigt enligt {source} kunde byggas",
        "no counterexample: no minimal document valid under {source} could be built",
    ),
    "compat.note.unverified": M(
        "ei varmennettua vastaesimerkkiä: mitään version {source} minimiasiakirjasta rakennettua asiakirjaa "
        "{target} ei hylännyt tämän elementin kohdalla",
        "inget verifierat motexempel: inget dokument byggt av ett minimalt {source}-dokument avvisades av "
        "{target} vid detta element",
        "no verified counterexample: no document built from a minimal {source} document was rejected by "
        "{target} at this element",
    ),
    "compat.note.codes_ended": M(
        "vanhat asiakirjat, joissa on koodi {codes}, hylätään täydessä tarkistuksessa",
        "gamla dokument med koden {codes} avvisas vid fullständig kontroll",
        "old documents with code {codes} are refused in full mode",
    ),
    "compat.note.codes_added": M(
        "vanha koodisto hylkää asiakirjat, joissa on koodi {codes}",
        "det gamla kodverket avvisar dokument med koden {codes}",
        "documents with code {codes} are refused by the old list",
    ),
    "compat.detail.below": M(" (+{n} alla)", " (+{n} under)", " (+{n} below)"),
    "compat.detail.restricted": M("(rajattu)", "(begränsat)", "(restricted)"),
    "compat.detail.unrestricted": M("(rajaus poistettu)", "(begränsningen borttagen)", "(restriction lifted)"),
    "compat.detail.not_stored": M(
        " ({classification}: versiota {missing} ei ole tallennettu; koodeja ei verrattu)",
        " ({classification}: versionen {missing} är inte lagrad; koderna har inte jämförts)",
        " ({classification}: version {missing} not stored; codes not compared)",
    ),
    "compat.detail.lists": M(" ({old} -> {new}: {parts})", " ({old} -> {new}: {parts})", " ({old} -> {new}: {parts})"),
    "compat.detail.removed": M("poistettu {codes}", "borttagna {codes}", "removed {codes}"),
    "compat.detail.expired": M("päättynyt {codes}", "upphörda {codes}", "expired {codes}"),
    "compat.detail.added": M("lisätty {codes}", "tillagda {codes}", "added {codes}"),
    "compat.detail.same_codes": M("samat koodit", "samma koder", "same codes"),
    "compat.usage": M(
        "anna VANHA ja UUSI (tiedostot tai OID@VERSIO) tai yksi OID ja --catalog",
        "ange GAMMAL och NY (filer eller OID@VERSION) eller ett OID med --catalog",
        "give OLD and NEW (files or OID@VERSION), or one OID with --catalog",
    ),
}

MESSAGES.update((key, Message(*texts)) for key, texts in FRONT_TEXTS.items())


class Localized(str):
    """A text that is English where a plain string is wanted (logs, JSON, `==`), and knows its Finnish and
    Swedish forms too: what a lower layer (the compatibility engine) hands up for a front end to show in the
    run's language (`localized`)."""

    message: Message

    def __new__(cls, message: Message) -> Localized:
        made = super().__new__(cls, message.en)
        made.message = message
        return made

    def __getnewargs__(self) -> tuple[Message]:  # type: ignore[override]
        return (self.message,)


def localized(value: str, lang: Lang) -> str:
    """`value` in `lang` when it is `Localized`, else `value` as it is."""
    return value.message.text(lang) if isinstance(value, Localized) else value


def message(key: str, /, **params: object) -> Localized:
    """The message `key` in every language, formatted with `params`, as one `Localized` text."""
    return formatted(MESSAGES[key], **params)


def formatted(found: Message, /, **params: object) -> Localized:
    """`found` in every language, formatted with `params` (a `Localized` parameter in the same language)."""

    def written(lang: Lang) -> str:
        return found.text(lang).format(
            **{k: localized(v, lang) if isinstance(v, str) else v for k, v in params.items()}
        )

    return composed(written)


def composed(build: Callable[[Lang], str]) -> Localized:
    """One `Localized` text from a function that writes it in a given language (a text built of several)."""
    return Localized(Message(*(build(lang) for lang in LANGS)))


def error_message(exc: BaseException) -> str:
    """An exception's message: the `Localized` text it was raised with (so that it can still be shown in the
    run's language), else `str(exc)`."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, Localized) else str(exc)


def text(key: str, lang: Lang, **params: object) -> str:
    """The message `key` in `lang`, formatted with `params`."""
    return MESSAGES[key].text(lang).format(**params)


def count(key: str, n: int, lang: Lang, **params: object) -> str:
    """The message `key.one` (n == 1) or `key.other`, formatted with `n` and `params`."""
    return text(f"{key}.{'one' if n == 1 else 'other'}", lang, n=n, **params)


def lang_from_environment(environ: Mapping[str, str] | None = None) -> Lang:
    """The language the locale environment asks for (fi*, sv*, en*), else Finnish."""
    environ = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:  # the first variable that is set decides, even when it names another language
            prefix = value[:2].lower()
            return cast(Lang, prefix) if prefix in LANGS else DEFAULT_LANG
    return DEFAULT_LANG
