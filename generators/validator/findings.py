"""Findings and the rule catalog: every rule code with its severity and its message in fi, sv and en.

Messages name the element and the rule, never the document's value (identity codes and free text are
sensitive). `{name}` is the element's name in the message's language (Finnish when there is no Swedish name)
and `{param}` a fact from the structure (an expected type, a length, a condition), never from the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Finding(NamedTuple):
    """One problem in a document (immutable; a named tuple because validators create many of them)."""

    pointer: str
    """JSON pointer (RFC 6901) of the value, or of where a missing value belongs."""
    code: str
    severity: Severity
    message: dict[str, str]
    """The message in "fi", "sv" and "en"."""
    row: int | None
    """The element's rowNumber in the structure (None for the document element and the root)."""
    name: str
    """The element's Finnish name."""

    def as_dict(self) -> dict[str, object]:
        return {
            "pointer": self.pointer,
            "code": self.code,
            "severity": self.severity,
            "row": self.row,
            "name": self.name,
            "message": dict(self.message),
        }


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    mode: Literal["schema", "full"]
    fi: str
    sv: str
    en: str


_RULES = (
    # ---- schema: the JSON Schema keywords of the export ----
    Rule(
        "schema.type",
        "error",
        "schema",
        "{name}: väärä tietotyyppi, odotettiin {param}.",
        "{name}: fel datatyp, väntade {param}.",
        "{name}: wrong type, expected {param}.",
    ),
    Rule(
        "schema.required",
        "error",
        "schema",
        "{name}: pakollinen tieto puuttuu.",
        "{name}: obligatorisk uppgift saknas.",
        "{name}: required element is missing.",
    ),
    Rule(
        "schema.additional",
        "error",
        "schema",
        "{name}: tuntematon kenttä, jota rakenne ei salli.",
        "{name}: okänt fält som strukturen inte tillåter.",
        "{name}: unknown property, not allowed here.",
    ),
    Rule(
        "schema.enum",
        "error",
        "schema",
        "{name}: arvo ei ole sallittujen arvojen joukossa.",
        "{name}: värdet hör inte till de tillåtna värdena.",
        "{name}: value is not one of the allowed values.",
    ),
    Rule(
        "schema.const",
        "error",
        "schema",
        "{name}: arvo ei ole rakenteen kiinteä arvo.",
        "{name}: värdet är inte strukturens fasta värde.",
        "{name}: value is not the fixed value.",
    ),
    Rule(
        "schema.pattern",
        "error",
        "schema",
        "{name}: arvo ei ole vaaditussa muodossa ({param}).",
        "{name}: värdet har inte det krävda formatet ({param}).",
        "{name}: value does not have the required form ({param}).",
    ),
    Rule(
        "schema.minLength",
        "error",
        "schema",
        "{name}: teksti on liian lyhyt (vähintään {param} merkkiä).",
        "{name}: texten är för kort (minst {param} tecken).",
        "{name}: text is too short (at least {param} characters).",
    ),
    Rule(
        "schema.maxLength",
        "error",
        "schema",
        "{name}: teksti on liian pitkä (enintään {param} merkkiä).",
        "{name}: texten är för lång (högst {param} tecken).",
        "{name}: text is too long (at most {param} characters).",
    ),
    Rule(
        "schema.minimum",
        "error",
        "schema",
        "{name}: luku on liian pieni (vähintään {param}).",
        "{name}: talet är för litet (minst {param}).",
        "{name}: number is too small (minimum {param}).",
    ),
    Rule(
        "schema.maximum",
        "error",
        "schema",
        "{name}: luku on liian suuri (enintään {param}).",
        "{name}: talet är för stort (högst {param}).",
        "{name}: number is too large (maximum {param}).",
    ),
    Rule(
        "schema.exclusiveMinimum",
        "error",
        "schema",
        "{name}: luvun on oltava suurempi kuin {param}.",
        "{name}: talet måste vara större än {param}.",
        "{name}: number must be greater than {param}.",
    ),
    Rule(
        "schema.exclusiveMaximum",
        "error",
        "schema",
        "{name}: luvun on oltava pienempi kuin {param}.",
        "{name}: talet måste vara mindre än {param}.",
        "{name}: number must be less than {param}.",
    ),
    Rule(
        "schema.multipleOf",
        "error",
        "schema",
        "{name}: luvun on oltava luvun {param} monikerta.",
        "{name}: talet måste vara en multipel av {param}.",
        "{name}: number must be a multiple of {param}.",
    ),
    Rule(
        "schema.minItems",
        "error",
        "schema",
        "{name}: liian vähän toistoja (vähintään {param}).",
        "{name}: för få upprepningar (minst {param}).",
        "{name}: too few items (at least {param}).",
    ),
    Rule(
        "schema.maxItems",
        "error",
        "schema",
        "{name}: liikaa toistoja (enintään {param}).",
        "{name}: för många upprepningar (högst {param}).",
        "{name}: too many items (at most {param}).",
    ),
    Rule(
        "schema.uniqueItems",
        "error",
        "schema",
        "{name}: toistot eivät saa olla samoja.",
        "{name}: upprepningarna får inte vara lika.",
        "{name}: items must be unique.",
    ),
    Rule(
        "schema.minProperties",
        "error",
        "schema",
        "{name}: liian vähän kenttiä (vähintään {param}).",
        "{name}: för få fält (minst {param}).",
        "{name}: too few properties (at least {param}).",
    ),
    Rule(
        "schema.maxProperties",
        "error",
        "schema",
        "{name}: liikaa kenttiä (enintään {param}).",
        "{name}: för många fält (högst {param}).",
        "{name}: too many properties (at most {param}).",
    ),
    Rule(
        "schema.anyOf",
        "error",
        "schema",
        "{name}: arvo ei vastaa mitään sallituista vaihtoehdoista.",
        "{name}: värdet motsvarar inget av de tillåtna alternativen.",
        "{name}: value matches none of the allowed alternatives.",
    ),
    Rule(
        "schema.oneOf",
        "error",
        "schema",
        "{name}: arvon on vastattava täsmälleen yhtä vaihtoehtoa.",
        "{name}: värdet ska motsvara exakt ett alternativ.",
        "{name}: value must match exactly one alternative.",
    ),
    Rule(
        "schema.not",
        "error",
        "schema",
        "{name}: arvo on muodossa, jota rakenne ei salli.",
        "{name}: värdet har en form som strukturen inte tillåter.",
        "{name}: value has a form the schema does not allow.",
    ),
    Rule(
        "schema.contains",
        "error",
        "schema",
        "{name}: yksikään toisto ei ole vaaditunlainen.",
        "{name}: ingen upprepning har den krävda formen.",
        "{name}: no item has the required form.",
    ),
    Rule(
        "schema.dependencies",
        "error",
        "schema",
        "{name}: tieto puuttuu, vaikka kenttä {param} on annettu.",
        "{name}: uppgiften saknas fast fältet {param} är ifyllt.",
        "{name}: element is missing although {param} is given.",
    ),
    Rule(
        "schema.false",
        "error",
        "schema",
        "{name}: rakenne ei salli tätä kenttää.",
        "{name}: strukturen tillåter inte detta fält.",
        "{name}: the schema allows no value here.",
    ),
    # ---- full: what the schema cannot express ----
    Rule(
        "date.format",
        "error",
        "full",
        "{name}: päivämäärän on oltava muotoa VVVV-KK-PP.",
        "{name}: datumet ska ha formen ÅÅÅÅ-MM-DD.",
        "{name}: date must have the form YYYY-MM-DD.",
    ),
    Rule(
        "date.calendar",
        "error",
        "full",
        "{name}: päivämäärää ei ole kalenterissa.",
        "{name}: datumet finns inte i kalendern.",
        "{name}: no such date in the calendar.",
    ),
    Rule(
        "datetime.format",
        "error",
        "full",
        "{name}: ajankohdan on oltava muotoa VVVV-KK-PPTtt:mm:ss ja aikavyöhyke.",
        "{name}: tidpunkten ska ha formen ÅÅÅÅ-MM-DDTtt:mm:ss med tidszon.",
        "{name}: date-time must have the form YYYY-MM-DDThh:mm:ss with a time zone.",
    ),
    Rule(
        "datetime.calendar",
        "error",
        "full",
        "{name}: ajankohtaa ei ole kalenterissa.",
        "{name}: tidpunkten finns inte i kalendern.",
        "{name}: no such date or time in the calendar.",
    ),
    Rule(
        "hetu.format",
        "error",
        "full",
        "{name}: henkilötunnus ei ole muotoa PPKKVVSNNNT.",
        "{name}: personbeteckningen har inte formen DDMMÅÅSNNNK.",
        "{name}: personal identity code does not have the form DDMMYYCNNNQ.",
    ),
    Rule(
        "hetu.date",
        "error",
        "full",
        "{name}: henkilötunnuksen syntymäaikaa ei ole kalenterissa.",
        "{name}: personbeteckningens födelsedatum finns inte i kalendern.",
        "{name}: the birth date of the personal identity code does not exist.",
    ),
    Rule(
        "hetu.individual",
        "error",
        "full",
        "{name}: henkilötunnuksen yksilönumero ei ole sallittu.",
        "{name}: personbeteckningens individnummer är inte tillåtet.",
        "{name}: the individual number of the personal identity code is not allowed.",
    ),
    Rule(
        "hetu.checksum",
        "error",
        "full",
        "{name}: henkilötunnuksen tarkistusmerkki on väärä.",
        "{name}: personbeteckningens kontrolltecken är fel.",
        "{name}: the check character of the personal identity code is wrong.",
    ),
    Rule(
        "hetu.temporary",
        "warning",
        "full",
        "{name}: henkilötunnuksen yksilönumero 900–999 on tilapäis- tai testitunnus.",
        "{name}: individnumret 900–999 hör till en tillfällig beteckning eller testbeteckning.",
        "{name}: individual number 900–999 marks a temporary or test identity code.",
    ),
    Rule(
        "identifier.system",
        "error",
        "full",
        "{name}: tunnisteen järjestelmän on oltava {param}.",
        "{name}: identifierarens system ska vara {param}.",
        "{name}: the identifier system must be {param}.",
    ),
    Rule(
        "oid.syntax",
        "error",
        "full",
        "{name}: arvo ei ole kelvollinen OID-tunnus.",
        "{name}: värdet är inte en giltig OID.",
        "{name}: value is not a valid OID.",
    ),
    Rule(
        "code.system",
        "error",
        "full",
        "{name}: koodiston tunnisteen on oltava {param}.",
        "{name}: kodsystemets identifierare ska vara {param}.",
        "{name}: the code system must be {param}.",
    ),
    Rule(
        "code.value",
        "error",
        "full",
        "{name}: koodi ei ole sallittujen koodien joukossa ({param}).",
        "{name}: koden hör inte till de tillåtna koderna ({param}).",
        "{name}: code is not one of the accepted values ({param}).",
    ),
    Rule(
        "code.display",
        "warning",
        "full",
        "{name}: koodin selite ei vastaa koodiston selitettä.",
        "{name}: kodens visningstext motsvarar inte kodsystemets text.",
        "{name}: the display text does not match the code's label in the value set.",
    ),
    # ---- full, with stored code lists (code_lists.py): only where a list is stored for the classification ----
    Rule(
        "codelist.unknown",
        "error",
        "full",
        "{name}: koodia ei ole koodistossa {param}.",
        "{name}: koden finns inte i kodsystemet {param}.",
        "{name}: the code is not in the code list {param}.",
    ),
    Rule(
        "codelist.not_valid",
        "error",
        "full",
        "{name}: koodi ei ole voimassa asiakirjan päivämääränä koodistossa {param}.",
        "{name}: koden gäller inte på dokumentets datum i kodsystemet {param}.",
        "{name}: the code is not valid on the document's date in the code list {param}.",
    ),
    Rule(
        "codelist.display",
        "warning",
        "full",
        "{name}: selite ei vastaa koodin nimeä koodistossa {param}.",
        "{name}: visningstexten motsvarar inte kodens namn i kodsystemet {param}.",
        "{name}: the display text does not match the code's name in the code list {param}.",
    ),
    Rule(
        "codelist.version",
        "warning",
        "full",
        "{name}: koodiston versio ei ole tunnettu (tunnetut: {param}).",
        "{name}: kodsystemets version är inte känd (kända: {param}).",
        "{name}: the code list version is not a known one (known: {param}).",
    ),
    Rule(
        "phrase.text",
        "error",
        "full",
        "{name}: fraasin on oltava rakenteen kiinteä teksti.",
        "{name}: frasen ska vara strukturens fasta text.",
        "{name}: the phrase must be the structure's fixed text.",
    ),
    Rule(
        "conditional.missing",
        "warning",
        "full",
        "{name}: ehdollisesti pakollinen tieto puuttuu. Ehto: {param}",
        "{name}: villkorligt obligatorisk uppgift saknas. Villkor: {param}",
        "{name}: conditionally required element is missing. Condition (in Finnish): {param}",
    ),
)
RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}


def render(code: str, names: dict[str, str], params: dict[str, str] | None = None) -> dict[str, str]:
    """The message of rule `code` in fi, sv and en, for an element named `names[lang]`."""
    rule = RULES[code]
    params = params or {}
    return {
        lang: getattr(rule, lang).format(name=names[lang], param=params.get(lang, "")) for lang in ("fi", "sv", "en")
    }
