"""The 15 Sosmeta representations (how a value is recorded), plus GROUP for containers."""

from __future__ import annotations

from enum import StrEnum


class Representation(StrEnum):
    """Keyed by the Finnish label the exports use; `sv` gives the Swedish label."""

    GROUP = ""
    OTSIKKO = "Otsikko"
    TEKSTI = "Teksti"
    NIMI = "Nimi"
    ALLEKIRJOITUS = "Allekirjoitus"
    PVM = "Pvm"
    HETKI = "Hetki"
    FRAASI = "Fraasi"
    KYTKIN = "Kytkin"
    NUMERO = "Numero"
    LKM = "Lkm"
    KOODI = "Koodi"
    TUNNUS = "Tunnus"
    MAARA = "Määrä"
    MITTA = "Mitta"
    PROSENTTI = "Prosentti"

    @property
    def sv(self) -> str:
        return _SV[self]

    @property
    def fi(self) -> str:
        return self.value

    @property
    def is_string(self) -> bool:
        return self in STRING_REPRESENTATIONS

    @property
    def is_quantity(self) -> bool:
        return self in QUANTITY_REPRESENTATIONS

    @property
    def is_object(self) -> bool:
        """Represented in documents as a JSON object (containers, headings, Koodi, Tunnus, quantities)."""
        return self in OBJECT_REPRESENTATIONS

    @classmethod
    def from_fi(cls, label: str) -> Representation | None:
        """The representation with Finnish label `label`, or None for a label the format does not define."""
        return _BY_FI.get(label)


_SV = {
    Representation.GROUP: "",
    Representation.OTSIKKO: "Rubrik",
    Representation.TEKSTI: "Text",
    Representation.NIMI: "Namn",
    Representation.ALLEKIRJOITUS: "Underskrift",
    Representation.PVM: "Datum",
    Representation.HETKI: "Datum och klockslag",
    Representation.FRAASI: "Fras",
    Representation.KYTKIN: "Brytare",
    Representation.NUMERO: "Nummer",
    Representation.LKM: "Antal",
    Representation.KOODI: "Kod",
    Representation.TUNNUS: "Identifierare",
    Representation.MAARA: "Mängd",
    Representation.MITTA: "Mått",
    Representation.PROSENTTI: "Procent",
}
_BY_FI = {r.value: r for r in Representation if r is not Representation.GROUP}

STRING_REPRESENTATIONS = frozenset(
    {
        Representation.TEKSTI,
        Representation.NIMI,
        Representation.ALLEKIRJOITUS,
        Representation.PVM,
        Representation.HETKI,
        Representation.FRAASI,
    }
)
QUANTITY_REPRESENTATIONS = frozenset({Representation.MAARA, Representation.MITTA, Representation.PROSENTTI})
OBJECT_REPRESENTATIONS = frozenset(
    {Representation.GROUP, Representation.OTSIKKO, Representation.KOODI, Representation.TUNNUS}
    | QUANTITY_REPRESENTATIONS
)
