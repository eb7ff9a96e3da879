"""The rules of element changes (added, removed, renamed, requiredness, repeats, codes, form flags)."""

from __future__ import annotations

from sosmeta.structures.compat.rule import FM, B, C, F, M, Rule, T, rule_of

ELEMENT_RULES: list[Rule] = [
    # ---- elements ---------------------------------------------------------------------------------------
    rule_of(
        "ELEMENT_ADDED_OPTIONAL",
        {F, C, FM},
        M(
            "Uusi valinnainen tietoelementti: vanha versio hylkää asiakirjan, jossa se on (additionalProperties: "
            "false).",
            "Ett nytt frivilligt element: den gamla versionen avvisar dokument som innehåller det "
            "(additionalProperties: false).",
            "A new optional element: OLD rejects documents that contain it (additionalProperties: false).",
        ),
        M(
            "{name}: uusi valinnainen elementti{detail}",
            "{name}: nytt frivilligt element{detail}",
            "{name}: new optional element{detail}",
        ),
    ),
    rule_of(
        "ELEMENT_ADDED_REQUIRED",
        {B, F, C, FM},
        M(
            "Uusi pakollinen tietoelementti: vanhoista asiakirjoista se puuttuu, ja vanha versio hylkää uudet.",
            "Ett nytt obligatoriskt element: gamla dokument saknar det, och den gamla versionen avvisar nya "
            "dokument som har det.",
            "A new required element: old documents lack it, and OLD rejects new documents that have it.",
        ),
        M(
            "{name}: uusi pakollinen elementti{detail}",
            "{name}: nytt obligatoriskt element{detail}",
            "{name}: new required element{detail}",
        ),
    ),
    rule_of(
        "ELEMENT_REMOVED",
        {B, F, C, FM},
        M(
            "Tietoelementti poistettu: uusi versio hylkää asiakirjat, joissa se on; jos se oli pakollinen, vanha "
            "versio hylkää uudet asiakirjat.",
            "Ett element har tagits bort: den nya versionen avvisar dokument som innehåller det; om det var "
            "obligatoriskt avvisar den gamla versionen nya dokument.",
            "An element was removed: NEW rejects documents that contain it; if it was required, OLD rejects new "
            "documents.",
        ),
        M(
            "{name}: elementti poistettu{detail}",
            "{name}: elementet har tagits bort{detail}",
            "{name}: element removed{detail}",
        ),
    ),
    rule_of(
        "ELEMENT_RENAMED",
        {B, F, C, FM},
        M(
            "Elementin avain muuttui (vahvistettu uudelleennimeäminen): JSON-avain vaihtuu asiakirjoissa.",
            "Elementets nyckel har ändrats (ett bekräftat namnbyte): JSON-nyckeln i dokumenten ändras.",
            "The element's key changed (a confirmed rename): the JSON key in documents changes.",
        ),
        M(
            "{name}: avain {old} -> {new}",
            "{name}: nyckel {old} -> {new}",
            "{name}: key {old} -> {new}",
        ),
    ),
    rule_of(
        "ELEMENT_RENAME_SUSPECTED",
        {B, F, C, FM},
        M(
            "Poistettu ja lisätty elementti samassa kohdassa samankaltaisin nimin: todennäköisesti "
            "uudelleennimeäminen. Vahvista se nimeämistiedostolla.",
            "Ett element har tagits bort och ett lagts till på samma plats med liknande namn: sannolikt ett "
            "namnbyte. Bekräfta det i en fil med namnbyten.",
            "An element removed and one added in the same place with similar names: probably a rename. Confirm it "
            "in a renames file.",
        ),
        M(
            "{name}: avain {old} -> {new} (epäilty uudelleennimeäminen)",
            "{name}: nyckel {old} -> {new} (misstänkt namnbyte)",
            "{name}: key {old} -> {new} (suspected rename)",
        ),
    ),
    rule_of(
        "REQUIRED_ADDED",
        {B, C, FM},
        M(
            "Valinnaisesta tuli pakollinen: vanhat asiakirjat, joista se puuttuu, eivät enää kelpaa.",
            "Frivilligt blev obligatoriskt: gamla dokument som saknar elementet är inte längre giltiga.",
            "Optional became required: old documents without it are no longer valid.",
        ),
        M(
            "{name}: muuttui pakolliseksi",
            "{name}: blev obligatoriskt",
            "{name}: became required",
        ),
    ),
    rule_of(
        "REQUIRED_REMOVED",
        {F, C, FM},
        M(
            "Pakollisesta tuli valinnainen: uudet asiakirjat, joista se puuttuu, eivät kelpaa vanhalle versiolle.",
            "Obligatoriskt blev frivilligt: nya dokument som saknar elementet är inte giltiga enligt den gamla "
            "versionen.",
            "Required became optional: new documents without it are not valid under OLD.",
        ),
        M(
            "{name}: muuttui valinnaiseksi",
            "{name}: blev frivilligt",
            "{name}: became optional",
        ),
    ),
    rule_of(
        "REPEATABLE_ADDED",
        {B, F, C, FM},
        M(
            "Kerran esiintyvästä tuli toistuva: arvo muuttuu JSONissa listaksi, joten muutos rikkoo kumpaankin "
            "suuntaan.",
            "Enkelt blev upprepbart: värdet blir en lista i JSON, vilket bryter i båda riktningarna.",
            "Single became repeatable: the value becomes a JSON list, which breaks both directions.",
        ),
        M(
            "{name}: muuttui toistuvaksi (arvo on nyt lista)",
            "{name}: blev upprepbart (värdet är nu en lista)",
            "{name}: became repeatable (the value is now a list)",
        ),
    ),
    rule_of(
        "REPEATABLE_REMOVED",
        {B, F, C, FM},
        M(
            "Toistuvasta tuli kerran esiintyvä: lista muuttuu yksittäiseksi arvoksi, joten muutos rikkoo "
            "kumpaankin suuntaan.",
            "Upprepbart blev enkelt: listan blir ett enskilt värde, vilket bryter i båda riktningarna.",
            "Repeatable became single: the list becomes a single value, which breaks both directions.",
        ),
        M(
            "{name}: ei ole enää toistuva (arvo ei ole lista)",
            "{name}: inte längre upprepbart (värdet är inte en lista)",
            "{name}: no longer repeatable (the value is not a list)",
        ),
    ),
    rule_of(
        "REPRESENTATION_CHANGED",
        {B, F, C, FM},
        M(
            "Esitysmuoto muuttui: arvon JSON-muoto ja lomakkeen kenttä voivat muuttua.",
            "Representationen har ändrats: värdets form i JSON och fältet på blanketten kan ändras.",
            "The representation changed: the value's JSON shape and the form field may change.",
        ),
        M(
            "{name}: esitysmuoto {old} -> {new}",
            "{name}: representation {old} -> {new}",
            "{name}: representation {old} -> {new}",
        ),
    ),
    rule_of(
        "CODE_SYSTEM_CHANGED",
        {B, F, FM},
        M(
            "Koodisto vaihtui: koodien system-arvo ja sallitut koodit muuttuvat.",
            "Kodsystemet har bytts: kodernas system-värde och de tillåtna koderna ändras.",
            "The code system changed: the codes' system value and the codes allowed change.",
        ),
        M(
            "{name}: koodisto {old} -> {new}{detail}",
            "{name}: kodsystem {old} -> {new}{detail}",
            "{name}: code system {old} -> {new}{detail}",
        ),
    ),
    rule_of(
        "CODE_LIST_VERSION_CHANGED",
        set(),
        M(
            "Elementti sidottiin saman koodiston toiseen versioon: versioiden välillä poistetut tai päättyneet "
            "koodit eivät enää kelpaa, lisätyt eivät kelpaa vanhalle versiolle (luettelot katalogin koodistoista).",
            "Elementet är bundet till en annan version av samma kodverk: koder som tagits bort eller upphört "
            "mellan versionerna godkänns inte längre, tillagda koder godkänns inte av den gamla versionen (enligt "
            "katalogens lagrade kodverk).",
            "The element is bound to another version of the same code list: codes removed or ended between the "
            "versions no longer pass, codes added do not pass the old version (from the catalog's stored lists).",
        ),
        M(
            "{name}: koodiston versio {old} -> {new}{detail}",
            "{name}: kodverkets version {old} -> {new}{detail}",
            "{name}: code list version {old} -> {new}{detail}",
        ),
        document_from_json=False,
    ),
    rule_of(
        "CODES_NARROWED",
        {B, C, FM},
        M(
            "Sallittuja koodeja poistettiin (tai koodit rajattiin): vanhat asiakirjat, joissa niitä on, eivät kelpaa.",
            "Tillåtna koder har tagits bort (eller koderna begränsats): gamla dokument som använder dem är inte "
            "längre giltiga.",
            "Accepted codes were removed (or codes were restricted): old documents using them are no longer valid.",
        ),
        M(
            "{name}: sallituista koodeista poistettu {detail}",
            "{name}: borttagna ur de tillåtna koderna: {detail}",
            "{name}: accepted codes removed: {detail}",
        ),
    ),
    rule_of(
        "CODES_WIDENED",
        {F, C, FM},
        M(
            "Sallittuja koodeja lisättiin (tai rajaus poistettiin): vanha versio hylkää uusia koodeja käyttävät "
            "asiakirjat.",
            "Tillåtna koder har lagts till (eller begränsningen tagits bort): den gamla versionen avvisar dokument"
            " med de nya koderna.",
            "Accepted codes were added (or the restriction lifted): OLD rejects documents using the new codes.",
        ),
        M(
            "{name}: sallittuihin koodeihin lisätty {detail}",
            "{name}: tillagda till de tillåtna koderna: {detail}",
            "{name}: accepted codes added: {detail}",
        ),
    ),
    rule_of(
        "CODES_REORDERED",
        {FM},
        M(
            "Koodien järjestys muuttui: valintalistan järjestys lomakkeella muuttuu.",
            "Kodernas ordning har ändrats: ordningen i urvalslistan på blanketten ändras.",
            "The order of the codes changed: the order of the choice list on the form changes.",
        ),
        M(
            "{name}: koodien järjestys muuttui",
            "{name}: kodernas ordning har ändrats",
            "{name}: order of the codes changed",
        ),
    ),
    rule_of(
        "PHRASE_CHANGED",
        {B, F, FM, T},
        M(
            "Vakiofraasi muuttui: suomenkielinen fraasi on asiakirjan ainoa sallittu arvo (enum).",
            "Den fasta frasen har ändrats: den finska frasen är det enda värde ett dokument får ha (enum).",
            "The fixed phrase changed: the Finnish phrase is the only value a document may carry (enum).",
        ),
        M(
            "{name}: fraasi ({lang}) muuttui",
            "{name}: fras ({lang}) har ändrats",
            "{name}: phrase ({lang}) changed",
        ),
    ),
    rule_of(
        "CONDITIONAL_REQUIRED_CHANGED",
        {FM},
        M(
            "Ehdollinen pakollisuus muuttui: lomakkeen tarkistus muuttuu (ei vaikutusta JSON Schemaan).",
            "Villkorlig obligatoriskhet har ändrats: blankettens kontroll ändras (ingen inverkan på JSON Schema).",
            "Conditional requiredness changed: the form's check changes (no effect on the JSON Schema).",
        ),
        M(
            "{name}: ehdollisesti pakollinen {old} -> {new}",
            "{name}: villkorligt obligatorisk {old} -> {new}",
            "{name}: conditionally required {old} -> {new}",
        ),
    ),
    rule_of(
        "HIDDEN_FIELD_CHANGED",
        {FM},
        M(
            "Piilotettu kenttä -merkintä muuttui: lomakkeen rakenne muuttuu.",
            "Markeringen dolt fält har ändrats: blankettens uppbyggnad ändras.",
            "The hidden-field flag changed: the form's layout changes.",
        ),
        M(
            "{name}: piilotettu kenttä {old} -> {new}",
            "{name}: dolt fält {old} -> {new}",
            "{name}: hidden field {old} -> {new}",
        ),
    ),
    rule_of(
        "HIDDEN_TITLE_CHANGED",
        {FM},
        M(
            "Piilotettu otsikko -merkintä muuttui: lomakkeen otsikointi muuttuu.",
            "Markeringen dold rubrik har ändrats: blankettens rubriker ändras.",
            "The hidden-title flag changed: the form's labels change.",
        ),
        M(
            "{name}: piilotettu otsikko {old} -> {new}",
            "{name}: dold rubrik {old} -> {new}",
            "{name}: hidden title {old} -> {new}",
        ),
    ),
    rule_of(
        "NATIONALLY_RECORDED_CHANGED",
        {FM},
        M(
            "Valtakunnallisesti kirjattava tieto -merkintä muuttui: kirjaamisvelvoite muuttuu.",
            "Markeringen nationellt registrerad uppgift har ändrats: registreringsskyldigheten ändras.",
            "The nationally-recorded flag changed: what must be recorded changes.",
        ),
        M(
            "{name}: valtakunnallisesti kirjattava {old} -> {new}",
            "{name}: nationellt registrerad {old} -> {new}",
            "{name}: nationally recorded {old} -> {new}",
        ),
    ),
    rule_of(
        "ROW_ORDER_CHANGED",
        {FM},
        M(
            "Elementin paikka sisarustensa joukossa muuttui: kenttien järjestys lomakkeella muuttuu.",
            "Elementets plats bland dess syskon har ändrats: fältens ordning på blanketten ändras.",
            "The element moved among its siblings: the order of fields on the form changes.",
        ),
        M(
            "{name}: siirtyi (rivi {old} -> {new})",
            "{name}: flyttat (rad {old} -> {new})",
            "{name}: moved (row {old} -> {new})",
        ),
    ),
]
