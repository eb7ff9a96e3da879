"""A made-up structure with every naming and escaping hazard the typed-class generator must survive.

Keys here are set directly (not derived from names) so that they include what real exports might: Python
keywords, pydantic's reserved names, digits, non-ASCII letters, 100+ characters, keys that collide after
sanitizing, the same key at several places with different content, and texts with quotes, backslashes,
newlines and triple quotes.
"""

from __future__ import annotations

from sosmeta.structures.model import Element, Keywords, Structure
from sosmeta.structures.shape import expected_root, with_standard_shape
from sosmeta.structures.texts import LangText

LONG_KEY = "ammattihenkilon_johtopaatokset__asiakkaan_tilanteesta_seka_sosiaalipalvelujen_ja_erityisen_tuen_tarpeesta_x"
NASTY = 'Lainaus "x" ja \'y\', kenoviiva \\ ja """kolme""", rivinvaihto\nja sarkain\t sekä loppu"'


def _texts(fi: str, sv: str | None = None) -> tuple[LangText, ...]:
    out = (LangText(lang="fi", value=fi),)
    return out + ((LangText(lang="sv", value=sv),) if sv is not None else ())


def leaf(key: str, rep: str, *, required: bool = False, repeatable: bool = False, **extra: object) -> Element:
    return Element(
        key=key,
        name=_texts(extra.pop("fi", key.replace("_", " ").capitalize()), extra.pop("sv", None)),  # type: ignore[arg-type]
        description=_texts(NASTY, "Beskrivning"),
        representation_texts=_texts(rep),
        required=required,
        repeatable=repeatable,
        **extra,  # type: ignore[arg-type]
    )


def group(
    key: str, children: list[Element], *, required: bool = False, repeatable: bool = False, fi: str = ""
) -> Element:
    return Element(
        key=key,
        name=_texts(fi or key, "Grupp"),
        description=_texts("Ryhmän kuvaus", "-"),
        required=required,
        repeatable=repeatable,
        members=tuple(children),
    )


def awkward_structure() -> Structure:
    address_a = group("osoite", [leaf("katu", "Teksti", required=True), leaf("postinumero", "Teksti")])
    address_b = group("osoite", [leaf("maa", "Koodi", accepted_values=_neutral("FI", "SV"))], repeatable=True)
    code = leaf(
        "lääke",
        "Koodi",
        required=True,
        classification_oid=_neutral("1.2.246.537.6.1221"),
        accepted_values=_neutral("1", "1.1", 'a"b', "c\\d", "1"),
        value_set=_texts('1 = Yksi, 1.1 = Yksi piste yksi, a"b = Lainaus'),
    )
    internal = leaf(
        "sisainen",
        "Koodi",
        classification_oid=_neutral("Keksitty rakenne/Sisäinen lista"),
        accepted_values=_neutral("K", "E"),
    )
    hetu = leaf("henkilotunnus", "Tunnus", required=True, system_uri=_neutral("urn:oid:1.2.246.21"))
    children = [
        leaf("class", "Teksti", required=True),
        leaf("model_config", "Teksti"),
        leaf("copy", "Kytkin"),
        leaf("json", "Numero"),
        leaf("schema", "Pvm", repeatable=True, required=True),
        leaf("from", "Hetki"),
        leaf("_private", "Lkm"),
        leaf("1st", "Nimi", required=True),
        leaf("a-b", "Teksti"),
        leaf("a_b", "Teksti"),
        leaf("list", "Teksti"),
        leaf("Document", "Teksti"),
        leaf("none", "Määrä"),
        leaf(LONG_KEY, "Teksti", fi="Ammattihenkilön johtopäätökset " * 4),
        leaf("fraasi", "Fraasi", required=True, phrase=_texts(NASTY, "Fras")),
        group("asuminen", [group("asuminen", [leaf("tyyppi", "Teksti")])]),
        group("asiakas", [address_a, hetu, code, internal], required=True),
        group("huoltaja", [address_b, group("otsikko_ilman_lapsia", [])], repeatable=True, required=True),
        group("ääkköset_åäö", [leaf("öljy", "Prosentti"), leaf("ålandsö", "Mitta")]),
        leaf("tunniste", "Teksti", required=True),
        group("tyypiton", [leaf("sisalto", "Teksti")]),
    ]
    shaped = with_standard_shape(group("hankala_asiakirja", children, fi='Hankala "asiakirja" \\ 1 2'))
    document = _with_nodes(
        shaped,
        {
            # A pattern only Python's re compiles (pydantic's default engine has no look-ahead).
            "tunniste": (("type", "string"), ("pattern", LOOKAHEAD), ("sosmeta", None)),
            # An object node without `type`.
            "tyypiton": (("additionalProperties", False), ("sosmeta", None), ("required", []), ("properties", None)),
        },
    )
    draft = Structure(oid="1.2.246.537.6.1506.99999.2025.1.1", title=NASTY, status="Luonnos", document=document)
    return draft.model_copy(update={"root": expected_root(draft)})


LOOKAHEAD = "^(?=.*\\d)[0-9A-Z]{3,8}$"


def _with_nodes(document: Element, nodes: dict[str, Keywords]) -> Element:
    members = tuple(
        m.model_copy(update={"node": nodes[m.key]}) if isinstance(m, Element) and m.key in nodes else m
        for m in document.members
    )
    return document.model_copy(update={"members": members})


def _neutral(*values: str) -> tuple[LangText, ...]:
    return tuple(LangText(lang="", value=v) for v in values)
