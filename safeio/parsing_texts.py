"""The JSON readers' fault texts in Finnish, Swedish and English: the message catalogue's part for JSON syntax.

`safeio.parsing` (json.* and toml.* faults), `safeio.jsonl` (jsonl.*) and `generators.cda.jsontext` (cda.json*)
word their faults with `say(KEY, ...)`: a `messages.Localized` text, English where a plain string is used and in
the run's language where a command prints it. Parameters are limits, counts and a key's name, never a value.
"""

from __future__ import annotations

from sosmeta.messages import Localized, Message, formatted

M = Message
JSON_TEXTS: dict[str, Message] = {
    # ---- safeio.parsing ----
    "json.duplicate_key": M(
        "sama avain {key} kahdesti yhdessä objektissa",
        "dubblettnyckeln {key} i ett objekt",
        "duplicate key {key} in one object",
    ),
    "json.surrogate_key_name": M(
        "(avain, jossa on yksinäinen korvausmerkki)",
        "(en nyckel med ett ensamt surrogattecken)",
        "(a key with a lone surrogate)",
    ),
    "json.syntax": M("ei ole kelvollista JSONia: {reason}", "inte giltig JSON: {reason}", "not valid JSON: {reason}"),
    "json.constant": M(
        "NaN ja Infinity eivät ole JSONia", "NaN och Infinity är inte JSON", "NaN and Infinity are not JSON"
    ),
    "json.too_deep": M(
        "sisäkkäin syvemmällä kuin {limit} tasoa",
        "nästlad djupare än {limit} nivåer",
        "nests deeper than {limit} levels",
    ),
    "json.huge_number": M(
        "kokonaisluku, jossa on yli {digits} numeroa",
        "ett heltal med fler än {digits} siffror",
        "an integer of more than {digits} digits",
    ),
    "json.surrogate": M(
        "merkkijonossa on yksinäinen korvausmerkki (koodi \\ud800–\\udfff): ei Unicode-tekstiä",
        "en sträng har ett ensamt surrogattecken (en kod från \\ud800 till \\udfff): ingen Unicode-text",
        "a string holds a lone surrogate (an escape from \\ud800 to \\udfff): not Unicode text",
    ),
    "json.surrogate_key": M(
        "tämän objektin avaimessa on yksinäinen korvausmerkki (koodi \\ud800–\\udfff): ei Unicode-tekstiä",
        "en nyckel i detta objekt har ett ensamt surrogattecken (en kod från \\ud800 till \\udfff): ingen Unicode-text",
        "a key of this object holds a lone surrogate (an escape from \\ud800 to \\udfff): not Unicode text",
    ),
    "json.non_finite": M(
        "luku, joka ei ole äärellinen (kuten 1e999, doublen alueen ulkopuolella)",
        "ett tal som inte är ändligt (som 1e999, utanför en doubles område)",
        "a number that is not finite (such as 1e999, beyond the range of a double)",
    ),
    # the standard library decoder's reasons (C scanner wording), which quote no input
    "reason.Expecting value": M("odotettiin arvoa", "förväntade ett värde", "Expecting value"),
    "reason.Expecting property name enclosed in double quotes": M(
        "odotettiin lainausmerkeissä olevaa avainta",
        "förväntade ett nyckelnamn inom citattecken",
        "Expecting property name enclosed in double quotes",
    ),
    "reason.Expecting ':' delimiter": M("odotettiin merkkiä ':'", "förväntade tecknet ':'", "Expecting ':' delimiter"),
    "reason.Expecting ',' delimiter": M("odotettiin merkkiä ','", "förväntade tecknet ','", "Expecting ',' delimiter"),
    "reason.Unterminated string": M("päättymätön merkkijono", "oavslutad sträng", "Unterminated string"),
    "reason.Invalid control character at": M(
        "virheellinen ohjausmerkki kohdassa", "ogiltigt styrtecken vid", "Invalid control character at"
    ),
    "reason.Invalid \\escape": M("virheellinen \\-koodi", "ogiltig \\-kod", "Invalid \\escape"),
    "reason.Invalid \\uXXXX escape": M("virheellinen \\uXXXX-koodi", "ogiltig \\uXXXX-kod", "Invalid \\uXXXX escape"),
    "reason.Extra data": M("ylimääräistä dataa", "extra data", "Extra data"),
    # ---- safeio.jsonl ----
    "jsonl.duplicate_key": M(
        "sama avain kahdesti yhdessä objektissa", "dubblettnyckel i ett objekt", "duplicate key in one object"
    ),
    "jsonl.too_deep": M(
        "taulukot ja objektit ovat sisäkkäin syvemmällä kuin {limit} tasoa",
        "arrayer och objekt är nästlade djupare än {limit} nivåer",
        "arrays and objects nest deeper than {limit} levels",
    ),
    "jsonl.non_finite": M(
        "luku doublen alueen ulkopuolella (kuten 1e999): ei äärellinen luku",
        "ett tal utanför en doubles område (som 1e999): inget ändligt tal",
        "a number beyond the range of a double (such as 1e999): not a finite number",
    ),
    "jsonl.surrogate": M(
        "yksinäinen korvausmerkki (koodi \\ud800–\\udfff): ei Unicode-tekstiä",
        "ett ensamt surrogattecken (en kod från \\ud800 till \\udfff): ingen Unicode-text",
        "a lone surrogate (an escape from \\ud800 to \\udfff): not Unicode text",
    ),
    "jsonl.encoding": M(
        "ei UTF-8-tekstiä (onko tiedosto Latin-1- tai Windows-1252-muodossa? tallenna se UTF-8:na)",
        "ingen UTF-8-text (är filen i Latin-1 eller Windows-1252? spara den som UTF-8)",
        "not UTF-8 text (is the file in Latin-1 or Windows-1252? save it as UTF-8)",
    ),
    "jsonl.not_object": M("on {kind}, ei JSON-objekti", "är {kind}, inget JSON-objekt", "is {kind}, not a JSON object"),
    "jsonl.kind.array": M("taulukko", "en array", "an array"),
    "jsonl.kind.string": M("merkkijono", "en sträng", "a string"),
    "jsonl.kind.constant": M("true, false tai null", "true, false eller null", "true, false or null"),
    "jsonl.kind.number": M("luku", "ett tal", "a number"),
    "jsonl.too_long": M(
        "rivi ylittää {limit} tavun rajan (ohitettu)",
        "raden överskrider gränsen på {limit} byte (hoppas över)",
        "line is over the {limit} byte limit (skipped)",
    ),
    "jsonl.length_mismatch": M(
        "tiedosto päättyy riville {last}, mutta {other} jatkuu",
        "filen slutar på rad {last}, men {other} fortsätter",
        "the file ends at line {last}, but {other} goes on",
    ),
    "jsonl.unpaired": M(
        "tyhjä rivi, mutta tiedoston {other} rivi {line} ei ole",
        "tom rad, men rad {line} i {other} är det inte",
        "blank line, but line {line} of {other} is not",
    ),
    # ---- generators.cda.jsontext: "the {what} ..." ----
    "cda.what.document": M("asiakirja", "dokumentet", "document"),
    "cda.what.envelope": M("kirjekuori", "kuvertet", "envelope"),
    "cda.what.JSON": M("JSON", "JSON", "JSON"),
    "cda.json_encoding_bytes": M(
        "{what} ei ole UTF-8-tekstiä", "{what} är ingen UTF-8-text", "the {what} is not UTF-8 text"
    ),
    "cda.too_deep": M(
        "{what}: taulukot ja objektit ovat sisäkkäin syvemmällä kuin {limit} tasoa",
        "{what}: arrayer och objekt är nästlade djupare än {limit} nivåer",
        "the {what} nests arrays and objects deeper than {limit} levels",
    ),
    "cda.json": M(
        "{what} ei ole kelvollista JSONia ({reason})",
        "{what} är inte giltig JSON ({reason})",
        "the {what} is not valid JSON ({reason})",
    ),
    "cda.json_duplicate_key": M(
        "{what} hylätään: objektissa on sama avain kahdesti",
        "{what} avvisas: ett objekt har samma nyckel två gånger",
        "the {what} is refused: an object holds the same key twice",
    ),
    "cda.constant": M(
        "{what} hylätään: NaN ja ääretön eivät ole JSONia",
        "{what} avvisas: NaN och oändligheter är inte JSON",
        "the {what} is refused: NaN and infinities are not JSON",
    ),
    "cda.non_finite": M(
        "{what} hylätään: luku on liian suuri JSONin äärellisiksi luvuiksi",
        "{what} avvisas: ett tal är för stort för JSON:s ändliga tal",
        "the {what} is refused: a number too large for JSON's finite numbers",
    ),
    "cda.huge_number": M(
        "{what}: kokonaisluvussa on liian monta numeroa",
        "{what}: ett heltal har för många siffror",
        "the {what} holds an integer with too many digits",
    ),
    "cda.surrogate": M(
        "{what}: siinä on yksinäinen korvausmerkki, joka ei ole Unicode-tekstiä",
        "{what}: den har ett ensamt surrogattecken, som inte är Unicode-text",
        "the {what} holds a lone surrogate, which is not Unicode text",
    ),
    "cda.not_object": M("{what} ei ole JSON-objekti", "{what} är inget JSON-objekt", "the {what} is not a JSON object"),
}


def say(key: str, /, **params: object) -> Localized:
    """The fault text `key` in every language, formatted with `params`."""
    return formatted(JSON_TEXTS[key], **params)


def reason(english: str) -> Localized | str:
    """The decoder's reason in every language; one this catalogue does not know stays English."""
    found = JSON_TEXTS.get(f"reason.{english}")
    return formatted(found) if found is not None else english
