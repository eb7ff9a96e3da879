"""The structure workbook layout (docs/excel.md), shared by the Excel importer and the Excel generator.

It defines the columns of the element table (Finnish and Swedish headers, accepted synonyms), the metadata
labels above it, how header text is matched, how text survives a cell unchanged (`encode_cell` /
`decode_cell`), and which values are plain enough for the people's columns. Whatever is not plain goes, as
compact JSON, into the technical columns at the right; the helpers for that live here too, so that the
writer and the reader cannot disagree about them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from sosmeta.structures import pointers
from sosmeta.structures.model import META_FIELDS, SOSMETA_FIELDS
from sosmeta.structures.representation import Representation
from sosmeta.structures.texts import LangText, Texts

CELL_LIMIT = 32_767
"""Excel's maximum number of characters in one cell."""
CHUNK = 32_000
"""Technical JSON longer than this continues in the next technical column."""
YES, NO = "K", "E"
LEGEND_SHEET = "Selite"
SHEET = "Rakenne"

ColumnKind = Literal["text", "neutral", "values", "flag", "row", "level", "path"]


@dataclass(frozen=True)
class Column:
    """One column of the element table."""

    id: str
    fi: str
    sv: str
    kind: ColumnKind
    field: str | None = None
    """The `Element` field the column holds (None for level and key path)."""
    lang: str = ""
    synonyms: tuple[str, ...] = ()
    width: int = 30
    legend_fi: str = ""
    legend_sv: str = ""

    @property
    def key(self) -> str:
        """The sosmeta key of the column's field ("" for level and key path)."""
        return SOSMETA_KEY_OF_FIELD.get(self.field or "", "")


SOSMETA_KEY_OF_FIELD = {f: k for k, f in SOSMETA_FIELDS}


def _lang_pair(
    field: str, fi: str, sv: str, synonyms: tuple[str, ...], width: int, legend_fi: str, legend_sv: str
) -> tuple[Column, Column]:
    key = SOSMETA_KEY_OF_FIELD[field]
    return (
        Column(
            f"{field}.fi",
            f"{fi} (fi)",
            f"{sv} (fi)",
            "text",
            field,
            "fi",
            (*synonyms, f"{key} fi", f"{key}", f"{fi} suomeksi", f"{sv} på finska"),
            width,
            f"{legend_fi}, suomeksi",
            f"{legend_sv}, på finska",
        ),
        Column(
            f"{field}.sv",
            f"{fi} (sv)",
            f"{sv} (sv)",
            "text",
            field,
            "sv",
            (f"{key} sv", f"{fi} ruotsiksi", f"{sv} på svenska"),
            width,
            f"{legend_fi}, ruotsiksi",
            f"{legend_sv}, på svenska",
        ),
    )


def _flag(field: str, fi: str, sv: str, synonyms: tuple[str, ...], legend_fi: str, legend_sv: str) -> Column:
    key = SOSMETA_KEY_OF_FIELD[field]
    return Column(field, fi, sv, "flag", field, "", (key, *synonyms), 13, legend_fi, legend_sv)


COLUMNS: tuple[Column, ...] = (
    Column(
        "row_number",
        "Rivinumero",
        "Radnummer",
        "row",
        "row_number",
        "",
        ("rowNumber", "row number", "row", "rivi", "rivi nro", "nro", "rad"),
        11,
        "Sosmeta-rivinumero (rowNumber)",
        "Sosmeta-radnummer (rowNumber)",
    ),
    Column(
        "level",
        "Taso",
        "Nivå",
        "level",
        None,
        "",
        ("level", "depth", "syvyys"),
        6,
        "Taso puussa: 1 = asiakirja, 2 = sen alla, ...",
        "Nivå i trädet: 1 = dokumentet, 2 = under det, ...",
    ),
    *_lang_pair(
        "name",
        "Nimi",
        "Namn",
        ("nimi", "name"),
        42,
        "Tietokokonaisuuden tai tietokentän nimi",
        "Namnet på datagruppen eller datafältet",
    ),
    *_lang_pair(
        "representation_texts",
        "Esitysmuoto",
        "Representation",
        ("esitysmuoto", "tietotyyppi"),
        14,
        "Esitysmuoto (tyhjä = ryhmä)",
        "Representation (tom = grupp)",
    ),
    _flag(
        "repeatable",
        "Toistuva",
        "Upprepbar",
        ("toistettava", "toistuvuus"),
        "Voiko toistua (K/E)",
        "Kan upprepas (K/E)",
    ),
    _flag("required", "Pakollinen", "Obligatorisk", ("pakollisuus",), "Pakollinen (K/E)", "Obligatorisk (K/E)"),
    _flag(
        "conditional_required",
        "Ehdollisesti pakollinen",
        "Villkorligt obligatorisk",
        ("conditionally required", "ep", "ehdollinen"),
        "Ehdollisesti pakollinen (K/E); ehto toteutusohjeessa",
        "Villkorligt obligatorisk (K/E); villkoret i implementeringsanvisningen",
    ),
    _flag(
        "nationally_recorded",
        "Kansallisesti kirjattava",
        "Nationellt registrerad",
        ("nationally recorded", "valtakunnallisesti kirjattava", "kansallinen"),
        "Kansallisesti kirjattava tieto (K/E)",
        "Nationellt registrerad uppgift (K/E)",
    ),
    _flag(
        "hidden_field",
        "Piilotettu kenttä",
        "Dolt fält",
        ("hidden field", "piilokenttä"),
        "Ryhmätasoa ei näytetä (K/E)",
        "Gruppnivån visas inte (K/E)",
    ),
    _flag(
        "hidden_title",
        "Piilotettu otsikko",
        "Dold rubrik",
        ("hidden title", "piilo-otsikko"),
        "Otsikkoa ei näytetä (K/E)",
        "Rubriken visas inte (K/E)",
    ),
    *_lang_pair(
        "title",
        "Otsikko",
        "Rubrik",
        ("otsikko", "title"),
        30,
        "Lomakkeella näytettävä otsikko",
        "Rubrik som visas på blanketten",
    ),
    *_lang_pair(
        "description",
        "Kuvaus",
        "Beskrivning",
        ("kuvaus", "description"),
        50,
        "Kuvaus (- = ei tekstiä)",
        "Beskrivning (- = ingen text)",
    ),
    *_lang_pair("example", "Esimerkki", "Exempel", ("esimerkki", "example"), 24, "Esimerkki", "Exempel"),
    *_lang_pair(
        "implementation_note",
        "Toteutusohje",
        "Implementeringsanvisning",
        ("toteutusohje", "implementation note"),
        50,
        "Ohje toteuttajalle",
        "Anvisning för implementering",
    ),
    *_lang_pair(
        "classification",
        "Luokitus",
        "Klassificering",
        ("luokitus", "classification", "koodisto"),
        40,
        "Luokitus tai koodisto (Koodi)",
        "Klassificering eller kodsystem (Kod)",
    ),
    Column(
        "classification_oid",
        "Luokituksen OID",
        "Klassificeringens OID",
        "neutral",
        "classification_oid",
        "",
        ("classificationOid", "classification oid", "koodiston oid"),
        24,
        "Luokituksen OID tai sisäinen nimi Rakenne/Kenttä",
        "Klassificeringens OID eller internt namn",
    ),
    Column(
        "classification_link",
        "Luokituksen linkki",
        "Klassificeringens länk",
        "neutral",
        "classification_link",
        "",
        ("classificationLink", "classification link", "linkki"),
        30,
        "Linkki koodistopalveluun",
        "Länk till kodtjänsten",
    ),
    Column(
        "accepted_values",
        "Sallitut arvot",
        "Tillåtna värden",
        "values",
        "accepted_values",
        "",
        ("acceptedValues", "accepted values", "koodit"),
        14,
        "Sallitut koodit, yksi rivillään",
        "Tillåtna koder, en per rad",
    ),
    *_lang_pair(
        "value_set",
        "Arvojoukko",
        "Värdemängd",
        ("arvojoukko", "value set"),
        30,
        "Koodit selitteineen",
        "Koderna med förklaringar",
    ),
    *_lang_pair("phrase", "Fraasi", "Fras", ("fraasi", "phrase"), 30, "Vakioteksti (Fraasi)", "Standardtext (Fras)"),
    Column(
        "system_uri",
        "Tunnisteen järjestelmä",
        "Identifierarens system",
        "neutral",
        "system_uri",
        "",
        ("systemUri", "system uri", "järjestelmä"),
        20,
        "Tunnuksen järjestelmä (urn:oid:...)",
        "Identifierarens system (urn:oid:...)",
    ),
    Column(
        "key_path",
        "Avainpolku",
        "Nyckelsökväg",
        "path",
        None,
        "",
        ("key path", "keypath", "avain", "polku", "path", "nyckel"),
        40,
        "Avaimet asiakirjasta alaspäin, erottimena / (tyhjä uudella rivillä: avain nimestä)",
        "Nycklarna från dokumentet nedåt, åtskilda av / (tom på en ny rad: nyckeln från namnet)",
    ),
)
COLUMN_BY_ID = {c.id: c for c in COLUMNS}
TECHNICAL_FI, TECHNICAL_SV = "Tekninen (JSON)", "Teknisk (JSON)"
TECHNICAL_LEGEND_FI = (
    "Tekniset tiedot, jotka eivät sovi muihin sarakkeisiin (JSON). Älä muokkaa; "
    "pitkä sisältö jatkuu seuraavaan sarakkeeseen."
)
TECHNICAL_LEGEND_SV = (
    "Tekniska uppgifter som inte passar i andra kolumner (JSON). Ändra inte; långt innehåll fortsätter i nästa kolumn."
)
FLAG_COLUMNS = tuple(c for c in COLUMNS if c.kind == "flag")
LANGUAGE_FIELDS = tuple(dict.fromkeys(c.field for c in COLUMNS if c.kind == "text" and c.field))


@dataclass(frozen=True)
class MetaLabel:
    """One label of the metadata block above the element table (column A; the value is in column B)."""

    id: str
    fi: str
    sv: str
    synonyms: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return f"{self.fi} / {self.sv}" if self.fi != self.sv else self.fi


_META_KEY = {f: k for k, f in META_FIELDS}
META_LABELS: tuple[MetaLabel, ...] = (
    MetaLabel("oid", "Versio-OID", "Versions-OID", ("oid", "version oid")),
    MetaLabel("title", "Rakenteen otsikko", "Strukturens titel", ("title", "otsikko")),
    MetaLabel("status", "Tila", "Status", ("status",)),
    MetaLabel(
        "definition_version",
        "Määrittelyversio",
        "Definitionsversion",
        ("documentDefinitionVersion", "definition version", "versio"),
    ),
    MetaLabel(
        "library_version",
        "Tietokomponenttikirjaston versio",
        "Datakomponentbibliotekets version",
        ("dataComponentLibraryVersion", "library version"),
    ),
    MetaLabel("document_type", "Asiakirjatyyppi", "Dokumenttyp", ("documentType", "document type")),
    MetaLabel(
        "document_author", "Asiakirjan laatija", "Dokumentets författare", ("documentAuthor", "author", "laatija")
    ),
    MetaLabel("document_subject", "Asiakirjan aihe", "Dokumentets ämne", ("documentSubject", "subject", "aihe")),
)
META_TECHNICAL = MetaLabel("technical", "Tekninen (JSON)", "Teknisk (JSON)", ("technical", "tekninen"))
META_LABEL_BY_ID = {m.id: m for m in (*META_LABELS, META_TECHNICAL)}

YES_WORDS = frozenset({"k", "kyllä", "kylla", "x", "true", "tosi", "yes", "y", "ja", "j", "1", "sant"})
NO_WORDS = frozenset({"e", "ei", "false", "epätosi", "no", "n", "nej", "0", "-", "falskt"})

# ---- header matching ---------------------------------------------------------------------------------


def normalize_header(text: str) -> str:
    """Header text as compared: case, spacing and punctuation ignored (`Nimi (fi)` == `nimi fi` == `NIMI_FI`)."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def _index(entries: list[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for text, ident in entries:
        norm = normalize_header(text)
        if out.get(norm, ident) != ident:
            raise ValueError(f"header synonym {text!r} is ambiguous")  # a layout bug, caught by the tests
        out[norm] = ident
    return out


HEADER_INDEX: dict[str, str] = _index([(t, c.id) for c in COLUMNS for t in (c.fi, c.sv, c.id, *c.synonyms)])
"""Normalized header text -> column id."""
_TECHNICAL_HEADER = re.compile(r"^(?:tekninen|teknisk|technical)(?:json)?(\d*)$")
META_INDEX: dict[str, str] = _index(
    [(t, m.id) for m in (*META_LABELS, META_TECHNICAL) for t in (m.fi, m.sv, m.text, m.id, *m.synonyms)]
    + [(_META_KEY[m.id], m.id) for m in META_LABELS]
)


def technical_part(header: str) -> int | None:
    """1 for the technical column, n for its n-th continuation (`Tekninen (JSON) 2`), None otherwise."""
    match = _TECHNICAL_HEADER.match(normalize_header(header))
    if not match:
        return None
    return int(match[1]) if match[1] else 1


def technical_header(part: int, lang: str = "fi") -> str:
    base = TECHNICAL_FI if lang == "fi" else TECHNICAL_SV
    return base if part == 1 else f"{base} {part}"


def meta_label_id(text: str) -> str | None:
    """The metadata label a cell of column A names (`Tila / Status`, `tila`, `status`), or None."""
    found = META_INDEX.get(normalize_header(text))
    if found is None and "/" in text:
        for part in text.split("/"):
            found = found or META_INDEX.get(normalize_header(part))
    return found


# ---- cell text -----------------------------------------------------------------------------------------
# A cell holds XML text. OOXML writes characters XML cannot hold as `_xHHHH_` and a literal `_xHHHH_` as
# `_x005F_xHHHH_`; Excel reads and writes cells that way, so the same escape keeps any string intact:
# control characters, CR (an XML parser turns it into LF), U+FFFE/U+FFFF, lone surrogates, and leading or
# trailing whitespace (the reader trims raw whitespace at the ends, which people add by accident).
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_PATTERN_AHEAD = re.compile(r"x[0-9A-Fa-f]{4}")


def _xml_unsafe(ch: str) -> bool:
    code = ord(ch)
    if code < 0x20:
        return ch not in "\t\n"
    return 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF)


_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")


def encode_cell(text: str) -> str:
    """`text` as cell content: XML-unsafe characters, CR and whitespace at either end as `_xHHHH_`."""
    if "_x" not in text and not _UNSAFE.search(text) and text == text.strip():
        return text  # the common case, decided without looking at each character in Python
    n = len(text)
    start = 0
    while start < n and text[start].isspace():
        start += 1
    end = n
    while end > start and text[end - 1].isspace():
        end -= 1

    def escaped(i: int) -> bool:
        return i < start or i >= end or _xml_unsafe(text[i])

    out: list[str] = []
    for i, ch in enumerate(text):
        if escaped(i):
            out.append(f"_x{ord(ch):04X}_")
        elif ch == "_" and _PATTERN_AHEAD.match(text, i + 1) and i + 6 < n and (text[i + 6] == "_" or escaped(i + 6)):
            out.append("_x005F_")  # a literal _xHHHH_ (or one an escape right after it would complete)
        else:
            out.append(ch)
    return "".join(out)


def decode_cell(text: str) -> str:
    """Inverse of `encode_cell`, and Excel's own reading of `_xHHHH_`."""
    if "_x" not in text and "_X" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)


def read_text(raw: str) -> str:
    """A text cell as the model gets it: whitespace people leave at the ends dropped, escapes decoded."""
    return decode_cell(raw.strip())


def fits(text: str) -> bool:
    """Whether `text` can stand in a cell of its own and come back unchanged."""
    return text != "" and len(encode_cell(text)) <= CELL_LIMIT


def cell_text(text: str) -> str:
    """What the writer puts in a cell for `text`: the encoded text, cut to a preview when over the limit."""
    encoded = encode_cell(text)
    if len(encoded) <= CELL_LIMIT:
        return encoded
    return preview(text)


def preview(text: str) -> str:
    """The encoded start of an over-long text followed by `…`, within the cell limit."""
    cut = len(text)
    encoded = encode_cell(text)
    while len(encoded) > CELL_LIMIT - 2:
        cut = cut * (CELL_LIMIT - 2) // len(encoded) - 1
        encoded = encode_cell(text[:cut])
    return encoded + " …"


def shown(text: str) -> str:
    """What a person sees of `text` in its cell (for comparing a cell with the technical column)."""
    return read_text(cell_text(text))


# ---- what the people's columns can hold ------------------------------------------------------------------


def plain_language_list(texts: Texts) -> bool:
    """`[fi]`, `[sv]` or `[fi, sv]` with cell-sized values: two language columns say it all."""
    langs = [t.lang for t in texts]
    return langs in (["fi"], ["sv"], ["fi", "sv"]) and all(fits(t.value) for t in texts)


def plain_neutral(texts: Texts) -> bool:
    return len(texts) == 1 and texts[0].lang == "" and fits(texts[0].value)


def plain_code(value: str) -> bool:
    return (
        value == value.strip() and value != "" and encode_cell(value) == value and not any(c in value for c in ",;\n")
    )


def plain_values(texts: Texts) -> bool:
    """acceptedValues written one per line in one cell."""
    return (
        bool(texts)
        and all(t.lang == "" and plain_code(t.value) for t in texts)
        and len("\n".join(t.value for t in texts)) <= CELL_LIMIT
    )


def split_values(text: str) -> list[str]:
    """Codes of an acceptedValues cell: one per line, or separated by `,` / `;` on a single line."""
    parts = text.split("\n") if "\n" in text else re.split(r"[,;]", text)
    return [p.strip() for p in parts if p.strip()]


def plain(column_kind: str, texts: Texts) -> bool:
    if column_kind == "text":
        return plain_language_list(texts)
    if column_kind == "neutral":
        return plain_neutral(texts)
    return plain_values(texts)


def display(column: Column, texts: Texts | None) -> str | None:
    """The text a column shows for a field, before cell encoding; None for an empty cell."""
    if not texts:
        return None
    if column.kind == "text":
        for t in texts:
            if t.lang == column.lang:
                return t.value or None
        return None
    if column.kind == "values":
        return "\n".join(t.value for t in texts) or None
    return texts[0].value or None


def key_path(keys: tuple[str, ...]) -> str:
    """Keys joined by `/`; `~` and `/` inside a key are written `~0` and `~1` (as in a JSON pointer)."""
    return "/".join(pointers.escape(k) for k in keys)


def split_key_path(text: str) -> list[str]:
    return [pointers.unescape(k) for k in text.split("/")]


REPRESENTATION_LABELS_FI = tuple(r.fi for r in Representation if r is not Representation.GROUP)
REPRESENTATION_LABELS_SV = tuple(r.sv for r in Representation if r is not Representation.GROUP)

# ---- technical JSON ------------------------------------------------------------------------------------


def dump_technical(data: dict[str, Any]) -> str:
    """Compact JSON for a technical cell (key order kept)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def chunks(text: str) -> list[str]:
    """`text` cut into pieces that each fit a cell once encoded (joined again after decoding each)."""
    out: list[str] = []
    rest = text
    while rest:
        size = min(len(rest), CHUNK)
        while len(encode_cell(rest[:size])) > CELL_LIMIT:
            size //= 2
        out.append(encode_cell(rest[:size]))
        rest = rest[size:]
    return out


def texts_json(texts: Texts) -> list[list[str]]:
    return [[t.lang, t.value] for t in texts]


def texts_from_json(value: Any) -> Texts:
    """`[[lang, value], ...]` back to texts; ValueError when it is not that shape."""
    if not isinstance(value, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in value
    ):
        raise ValueError("expected a list of [lang, value] pairs")
    return tuple(LangText(lang=p[0], value=p[1]) for p in value)
