"""The texts of `org check`'s conformance findings in Finnish, Swedish and English: the message catalogue's part
for organisation templates against national structures and stored code lists.

A finding's message is `say(KEY, ...)`: a `messages.Localized` text, English where a plain string is wanted
(logs, JSON, `str(finding)`) and in the run's language where `org check` prints it (`OrgFinding.text(lang)`).
The codes (`org.omit_required`) and locations (TOML key paths, workbook rows) are not translated. Parameters are
element names, key paths, codes and OIDs of the structure and the template, never a value of a client document.
Swedish terms as THL uses them: rakenne = struktur, elementti = element, koodisto = kodverk, pakollinen =
obligatorisk, toistuva = upprepbar.
"""

from __future__ import annotations

from sosmeta.messages import Localized, Message, formatted

M = Message
TEXTS: dict[str, Message] = {
    "did_you_mean": M("; tarkoititko {name}?", "; menade du {name}?", "; did you mean {name}?"),
    "template_duplicate": M(
        "toinen pohja rakenteelle {structure} (ensimmäinen on template[{first}]); yhdistä ne",
        "en andra mall för {structure} (den första är template[{first}]); slå ihop dem",
        "a second template for {structure} (the first is template[{first}]); merge them",
    ),
    "structure_unknown": M(
        "katalogissa ei ole rakennetta {structure}{hint}",
        "katalogen har ingen struktur {structure}{hint}",
        "no structure {structure} in the catalog{hint}",
    ),
    "missing_sv": M(
        "ruotsinkielinen teksti puuttuu (organisaatio on kaksikielinen)",
        "svensk text saknas (organisationen är tvåspråkig)",
        "Swedish text missing (the organisation is bilingual)",
    ),
    "missing_sv_instructions": M(
        "ruotsinkieliset ohjeet puuttuvat (organisaatio on kaksikielinen)",
        "svenska anvisningar saknas (organisationen är tvåspråkig)",
        "Swedish instructions missing (the organisation is bilingual)",
    ),
    "path_unknown": M(
        "rakenteessa {oid} ({title}) ei ole elementtiä '{path}'{hint}",
        "strukturen {oid} ({title}) har inget element '{path}'{hint}",
        "no element '{path}' in {oid} ({title}){hint}",
    ),
    "omit_document": M(
        "asiakirjaelementtiä ei voi jättää pois",
        "dokumentelementet kan inte utelämnas",
        "the document element cannot be omitted",
    ),
    "omit_required": M(
        "'{name}' (rivi {row}) on kansallisessa rakenteessa pakollinen; vain valinnaisia elementtejä voi jättää pois",
        "'{name}' (rad {row}) är obligatorisk i den nationella strukturen; endast valfria element kan utelämnas",
        "'{name}' (row {row}) is required by the national structure; only optional elements can be left out",
    ),
    "omit_conditional": M(
        "'{name}' (rivi {row}) on ehdollisesti pakollinen; jätä se pois vain, jos sen ehto ei koskaan täyty tässä "
        "organisaatiossa",
        "'{name}' (rad {row}) är villkorligt obligatorisk; utelämna den endast om dess villkor aldrig gäller i "
        "denna organisation",
        "'{name}' (row {row}) is conditionally required; leave it out only if its condition never holds in this "
        "organisation",
    ),
    "order_not_section": M(
        "elementillä '{name}' ei ole järjestettäviä alielementtejä",
        "elementet '{name}' har inga underelement att ordna",
        "'{name}' has no child elements to order",
    ),
    "order_duplicate": M(
        "'{child}' on luettelossa kahdesti", "'{child}' anges två gånger", "'{child}' is listed twice"
    ),
    "order_unknown_child": M(
        "elementillä '{name}' ei ole alielementtiä '{child}'{hint}",
        "elementet '{name}' har inget underelement '{child}'{hint}",
        "'{name}' has no child '{child}'{hint}",
    ),
    "rule_on_omitted": M(
        "'{name}' on jätetty pois, joten tällä säännöllä ei ole vaikutusta",
        "'{name}' är utelämnad, så denna regel har ingen verkan",
        "'{name}' is omitted, so this rule has no effect",
    ),
    "default_on_group": M(
        "'{name}' on ryhmä; anna oletusarvot sen kentille",
        "'{name}' är en grupp; ge standardvärden åt dess fält",
        "'{name}' is a group; give defaults to its fields",
    ),
    "codes_not_code_list": M(
        "'{name}' ei ole koodielementti (Koodi)",
        "'{name}' är inget kodelement (Koodi)",
        "'{name}' is not a code (Koodi) element",
    ),
    "codes_unchecked": M(
        "elementin '{name}' kansallinen koodisto on koodistopalvelussa ({oid}); koodeja ei tarkistettu tässä",
        "det nationella kodverket för '{name}' finns på kodtjänsten ({oid}); koderna har inte kontrollerats här",
        "the national list of '{name}' is on the code server ({oid}); codes not checked here",
    ),
    "code_unknown": M(
        "koodia '{code}' ei ole elementin '{name}' kansallisessa koodistossa ({national})",
        "koden '{code}' finns inte i det nationella kodverket för '{name}' ({national})",
        "code '{code}' is not in the national list of '{name}' ({national})",
    ),
    "repeat_limit_looser": M(
        "'{name}' ei ole kansallisessa rakenteessa toistuva; max_items ei voi olla yli 1",
        "'{name}' är inte upprepbar i den nationella strukturen; max_items kan inte överstiga 1",
        "'{name}' is not repeatable in the national structure; max_items cannot exceed 1",
    ),
    "max_items_zero": M(
        "max_items 0 jättää elementin '{name}' pois; luettele se kohdassa omit",
        "max_items 0 utelämnar '{name}'; ange den under omit i stället",
        "max_items 0 leaves '{name}' out; list it under omit instead",
    ),
    "repeat_limit_below_minimum": M(
        "'{name}' tarvitsee vähintään {minimum} kohdetta; max_items {max_items} ei jätä mitään kelvollista tapaa "
        "täyttää sitä",
        "'{name}' behöver minst {minimum} förekomster; max_items {max_items} lämnar inget giltigt sätt att fylla i den",
        "'{name}' needs at least {minimum} item(s); max_items {max_items} leaves no valid way to fill it",
    ),
    "default_invalid": M(
        "rakenne hylkää elementin '{name}' oletusarvon: {why}{at}",
        "strukturen avvisar standardvärdet för '{name}': {why}{at}",
        "default of '{name}' is rejected by the structure: {why}{at}",
    ),
    "default_at": M(" (kohdassa {pointer})", " (vid {pointer})", " (at {pointer})"),
    "default_not_in_codes": M(
        "oletuskoodi ei ole organisaation koodien joukossa",
        "standardkoden finns inte bland organisationens koder",
        "the default code is not among the organisation's codes",
    ),
    # ---- against the stored code lists (list_conformance.py) ----
    "code_not_in_list": M(
        "koodia '{code}' ei ole elementin '{name}' koodistossa {ref}",
        "koden '{code}' finns inte i kodverket {ref} för '{name}'",
        "code '{code}' is not in the code list {ref} of '{name}'",
    ),
    "code_ended_in_list": M(
        "koodi '{code}' ei ole tänään voimassa elementin '{name}' koodistossa {ref}",
        "koden '{code}' är inte giltig i dag i kodverket {ref} för '{name}'",
        "code '{code}' is not valid today in the code list {ref} of '{name}'",
    ),
}


def say(key: str, /, **params: object) -> Localized:
    """The finding text `key` in every language, formatted with `params`."""
    return formatted(TEXTS[key], **params)


def did_you_mean(name: str | None) -> str:
    """'; did you mean NAME?' (a `Localized` text), or '' without a name."""
    return say("did_you_mean", name=name) if name is not None else ""
