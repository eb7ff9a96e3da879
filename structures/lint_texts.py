"""The texts of lint's warnings in Finnish, Swedish and English: the message catalogue's part for `sosmeta lint`.

Two tables: what each warning code means (`lint --codes`) and the texts of the warnings themselves, as
`messages.Message`s. A warning's message is a `messages.Localized` text (`say`): English where a plain string is
wanted (logs, JSON, `str(warning)`), and in the run's language where a command prints it. The codes are not
translated; parameters are keys, tags, codes and the structure's own labels, never a value of a client document.
Swedish terms as THL uses them: rakenne = struktur, elementti = element, koodisto = kodverk.
"""

from __future__ import annotations

from sosmeta.messages import Localized, Message, formatted

M = Message
MEANINGS: dict[str, Message] = {
    "lang.missing_sv": M(
        "kaksikielisen rakenteen tekstillä on suomenkielinen mutta ei ruotsinkielistä versiota",
        "en text i en tvåspråkig struktur har en finsk men ingen svensk version",
        "a text has a Finnish entry but no Swedish one in a bilingual structure",
    ),
    "lang.duplicate_tag": M(
        "tekstiluettelossa sama kielitunniste toistuu (usein ruotsinkielinen teksti merkitty fi)",
        "en textlista upprepar en språktagg (ofta svensk text märkt fi)",
        "a text list repeats a language tag (often Swedish text tagged fi)",
    ),
    "lang.odd_order": M(
        "tekstiluettelo ei ole järjestyksessä fi, sv",
        "en textlista är inte i ordningen fi, sv",
        "a text list is not in fi, sv order",
    ),
    "lang.unknown_tag": M(
        "muu kielitunniste kuin fi, sv (tai tyhjä kielettömissä kentissä)",
        "en annan språktagg än fi, sv (eller tom i språkneutrala fält)",
        "a language tag other than fi, sv (or empty on language-neutral fields)",
    ),
    "cond.without_note": M(
        "ehdollisesti pakollinen, mutta mikään toteutusohje ei kerro ehtoa",
        "villkorligt obligatorisk, men ingen implementeringsanvisning anger villkoret",
        "conditionally required, but no implementation note states the condition",
    ),
    "cond.note_without_flag": M(
        "toteutusohjeessa lukee 'Ehdollisesti pakollinen', mutta lippu on false",
        "implementeringsanvisningen säger 'Ehdollisesti pakollinen' (villkorligt obligatorisk), men flaggan är false",
        "the implementation note says 'Ehdollisesti pakollinen' but the flag is false",
    ),
    "code.no_classification_oid": M(
        "Koodi-rivi ilman classificationOid-arvoa: mikä tahansa koodisto kelpaa",
        "en Koodi-rad utan classificationOid: vilket kodverk som helst godtas",
        "a Koodi row without classificationOid: any code system is accepted",
    ),
    "code.duplicate_values": M(
        "acceptedValues sisältää saman koodin kahdesti",
        "acceptedValues anger en kod två gånger",
        "acceptedValues lists a code twice",
    ),
    "representation.unknown": M(
        "esitysmuoto, jota formaatti ei määrittele",
        "en representation som formatet inte definierar",
        "a representation label the format does not define",
    ),
    "rows.numbering": M(
        "rivinumerot eivät ole 1..N asiakirjan järjestyksessä",
        "radnumren är inte 1..N i dokumentets ordning",
        "row numbers are not 1..N in document order",
    ),
    "key.not_slug": M(
        "avainta ei ole johdettu ensimmäisestä suomenkielisestä nimestä THL:n säännöllä",
        "nyckeln är inte härledd ur det första finska namnet enligt THL:s regel",
        "the key is not derived from the first Finnish name by THL's rule",
    ),
    "unknown.sosmeta_key": M(
        "sosmeta-avain, jota formaatti ei määrittele (säilytetään sellaisenaan)",
        "en sosmeta-nyckel som formatet inte definierar (bevaras som den är)",
        "a sosmeta key the format does not define (kept verbatim)",
    ),
    "unknown.keyword": M(
        "JSON Schema -avainsana, jota formaatti ei käytä (säilytetään sellaisenaan)",
        "ett JSON Schema-nyckelord som formatet inte använder (bevaras som det är)",
        "a JSON Schema keyword the format does not use (kept verbatim)",
    ),
    "unknown.meta_key": M(
        "ylimmän tason sosmeta-avain, jota formaatti ei määrittele (säilytetään sellaisenaan)",
        "en sosmeta-nyckel på översta nivån som formatet inte definierar (bevaras som den är)",
        "a top-level sosmeta key the format does not define (kept verbatim)",
    ),
    "shape.differs": M(
        "JSON-avainsanat poikkeavat formaatin säännöistä johdetuista (vanhemmissa vienneissä näin; säilytetään)",
        "JSON-nyckelorden avviker från dem som formatets regler ger (så i äldre exporter; bevaras)",
        "JSON keywords differ from what the format rules derive (older exports do this; kept as is)",
    ),
    "identity.version_mismatch": M(
        "version OID:n päivämääräosat nimeävät eri päivän kuin documentDefinitionVersion (tuonti hylkää tämän; "
        "sen sisältävä katalogitiedosto on tallennettu ennen tarkistusta tai muokattu käsin)",
        "versions-OID:ts datumbågar anger en annan dag än documentDefinitionVersion (importen avvisar detta; en "
        "katalogfil med det lagrades före den kontrollen eller redigerades för hand)",
        "the version OID's date arcs name another day than documentDefinitionVersion "
        "(import refuses this; a catalog file holding it was stored before that check or edited by hand)",
    ),
    # ---- code lists (`codes lint`, structures.codelists.conflicts) ----
    "codes.not_in_list": M(
        "rakenne ilmoittaa koodin, jota sen luokituksen tallennetussa koodistossa ei ole",
        "strukturen anger en kod som det lagrade kodverket för dess klassificering inte har",
        "the structure states a code the stored list of its classification does not have",
    ),
    "codes.ended_in_list": M(
        "rakenne ilmoittaa koodin, joka tallennetun koodiston mukaan ei ole enää voimassa",
        "strukturen anger en kod som enligt det lagrade kodverket inte längre är giltig",
        "the structure states a code the stored list says is no longer valid",
    ),
    "codes.label_differs": M(
        "rakenteen nimi koodille ei ole tallennetun koodiston nimi sille",
        "strukturens benämning på en kod är inte det lagrade kodverkets namn på den",
        "the structure's label of a code is not the stored list's name for it",
    ),
}

TEXTS: dict[str, Message] = {
    "row": M("rivi {row} ", "rad {row} ", "row {row} "),
    "tags": M("{key}: kielitunnisteet {langs}", "{key}: språktaggar {langs}", "{key}: tags {langs}"),
    "missing_sv": M(
        "kentällä {key} ei ole ruotsinkielistä tekstiä", "{key} har ingen svensk text", "{key} has no Swedish text"
    ),
    "without_note": M(
        "conditionalRequired on true, mutta implementationNote puuttuu",
        "conditionalRequired är true men implementationNote saknas",
        "conditionalRequired is true but there is no implementationNote",
    ),
    "note_without_flag": M(
        "toteutusohjeessa lukee 'Ehdollisesti pakollinen', lippu on false",
        "anvisningen säger 'Ehdollisesti pakollinen' (villkorligt obligatorisk), flaggan är false",
        "the note says 'Ehdollisesti pakollinen', the flag is false",
    ),
    "unknown_representation": M(
        "tuntematon esitysmuoto {label}", "okänd representation {label}", "unknown representation {label}"
    ),
    "no_classification_oid": M(
        "ei classificationOid-arvoa: koodistoa ei ole rajattu",
        "inget classificationOid: kodverket är inte begränsat",
        "no classificationOid: the code system is unconstrained",
    ),
    "duplicate_values": M(
        "acceptedValues toistaa koodit {codes}", "acceptedValues upprepar {codes}", "acceptedValues repeats {codes}"
    ),
    "not_slug": M(
        "avain {key}, sääntö antaa {slug}", "nyckeln {key}, regeln ger {slug}", "key {key}, the rule gives {slug}"
    ),
    "sosmeta_key": M("sosmeta-avain {key}", "sosmeta-nyckeln {key}", "sosmeta key {key}"),
    "keyword": M("avainsana {key}", "nyckelordet {key}", "keyword {key}"),
    "meta_key": M("avain {key}", "nyckeln {key}", "key {key}"),
    "shape_differs": M(
        "JSON-avainsanat poikkeavat formaatin säännöistä",
        "JSON-nyckelorden avviker från formatets regler",
        "JSON keywords differ from the format rules",
    ),
    "version_mismatch": M(
        "OID päättyy päivämäärään {arcs}, documentDefinitionVersion on {version}: versiolla on kaksi nimeä kahdelle "
        "päivälle (korjaa väärä ja tuo uudelleen valinnalla --replace)",
        "OID slutar med datumet {arcs}, documentDefinitionVersion är {version}: versionen har två namn för två "
        "dagar (rätta det som är fel och importera igen med --replace)",
        "the OID ends in the date {arcs}, documentDefinitionVersion is {version}: the version has two names "
        "for two days (correct the one that is wrong and import again with --replace)",
    ),
    "rows_numbering": MEANINGS["rows.numbering"],
    "not_in_list": M(
        "koodia {code} ei ole koodistossa {ref}", "koden {code} finns inte i {ref}", "code {code} is not in {ref}"
    ),
    "ended_in_list": M(
        "koodi {code} ei ole tänään voimassa koodistossa {ref}",
        "koden {code} är inte giltig i dag i {ref}",
        "code {code} is not valid today in {ref}",
    ),
    "label_differs": M(
        "koodi {code} ({lang}): rakenteessa {label}, koodistossa {ref} {name}",
        "koden {code} ({lang}): strukturen säger {label}, {ref} {name}",
        "code {code} ({lang}): the structure says {label}, {ref} {name}",
    ),
}


def say(key: str, /, **params: object) -> Localized:
    """The warning text `key` in every language, formatted with `params`."""
    return formatted(TEXTS[key], **params)


def meanings(codes: tuple[str, ...]) -> dict[str, str]:
    """What each of `codes` means, as `Localized` texts (English as a string)."""
    return {code: formatted(MEANINGS[code]) for code in codes}
