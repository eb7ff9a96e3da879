"""Writes a fictional legacy child-welfare database (SQLite) for the migration example, deterministically.

Usage: python make_legacy_db.py OUT.sqlite [--records N]

One table `asiakirjat`, records 2008-2017 of four legacy types (SEUR family-work follow-up notes, MUISTIO
memos, ILMOITUS child-welfare notifications, KIRJE letters, which the example table leaves unmapped), some
broken on purpose: a wrong check character in the identity code, no date, a date in another format, a meeting
place no code map knows, a follow-up note without its text. Every identity code is a test code (individual
number 900-999); names are invented. The same arguments always give the same rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
from pathlib import Path

CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
GIVEN = ["Aino", "Eetu", "Helmi", "Onni", "Siiri", "Väinö", "Linnea", "Elias", "Åsa", "Oskari", "Iida", "Leo"]
FAMILY = ["Esimerkki", "Testinen", "Koekari", "Mallinen", "Kuvitelma", "Harjoitus", "Östmalli", "Näytekoski"]
WORKERS = [
    ("Sanna Laine", "sosiaalityöntekijä"),
    ("Pekka Rinne", "sosiaaliohjaaja"),
    ("Maria Kallio", "perhetyöntekijä"),
]
UNITS = ["AVO1", "AVO2", "PERHE"]
PLACES = ["KOTI", "TSTO", "ETA"]
TOPICS = ["Kotikäynti", "Verkostopalaveri", "Lapsen tapaaminen", "Vanhempien tapaaminen"]
SENTENCES = [
    "Perheen arki on sujunut sovitusti.",
    "Lapsi osallistui tapaamiseen ja kertoi koulunkäynnistä.",
    "Sovittiin seuraavasta tapaamisesta ja tukitoimista.",
    "Huoltaja toivoi lisää tukea arjen rutiineihin.",
    "Tilannetta arvioidaan uudelleen kuukauden kuluttua.",
]
TYPES = [("SEUR", 0.55), ("MUISTIO", 0.25), ("ILMOITUS", 0.15), ("KIRJE", 0.05)]


def test_identity_code(rng: random.Random) -> str:
    """A valid test identity code (individual number 900-999) of a child born 2000-2015."""
    birth = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(16 * 365))
    number = rng.randrange(900, 1000)
    digits = f"{birth:%d%m%y}{number:03d}"
    return f"{birth:%d%m%y}A{number:03d}{CHECK[int(digits) % 31]}"


def broken_code(code: str) -> str:
    last = CHECK[(CHECK.index(code[-1]) + 1) % 31]
    return code[:-1] + last


def rows(count: int, seed: int = 2008) -> list[tuple[object, ...]]:
    rng = random.Random(seed)
    clients = [(test_identity_code(rng), rng.choice(GIVEN), rng.choice(FAMILY)) for _ in range(max(10, count // 8))]
    out: list[tuple[object, ...]] = []
    for record_id in range(1, count + 1):
        kind = rng.choices([t for t, _ in TYPES], [w for _, w in TYPES])[0]
        code, given, family = rng.choice(clients)
        day = dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(10 * 365 + 2))
        date = f"{day.day}.{day.month}.{day.year}"
        worker, title = rng.choice(WORKERS)
        text = " ".join(rng.sample(SENTENCES, 2))
        place: str | None = rng.choice(PLACES) if kind == "SEUR" else None
        people: str | None = str(rng.randrange(1, 6)) if kind == "SEUR" else None
        attachment = f"liite-{record_id}.pdf" if kind == "ILMOITUS" and rng.random() < 0.1 else None
        flaw = rng.random()
        if flaw < 0.01:
            code = broken_code(code)  # refused: the identity code's check character
        elif flaw < 0.02:
            date = ""  # refused: no date
        elif flaw < 0.025:
            date = f"{day.year}/{day.month}/{day.day}"  # refused: another date format
        elif flaw < 0.03 and kind == "SEUR":
            place = "PUISTO"  # refused: no code map entry
        topic = rng.choice(TOPICS)
        if flaw < 0.035 and kind == "SEUR" and flaw >= 0.03:
            text, topic = "", ""  # refused: the note's required text is missing
        out.append(
            (
                record_id,
                kind,
                code,
                given,
                family,
                date,
                worker,
                f"{worker} / {title}",
                rng.choice(UNITS),
                topic,
                text,
                place,
                people,
                attachment,
            )
        )
    return out


def write(path: Path, count: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE asiakirjat (id INTEGER PRIMARY KEY, tyyppi TEXT NOT NULL, hetu TEXT, etunimi TEXT, "
            "sukunimi TEXT, pvm TEXT, laatija TEXT, laatija_tiedot TEXT, yksikko TEXT, aihe TEXT, teksti TEXT, "
            "paikka TEXT, osallistujia TEXT, liite TEXT)"
        )
        db.executemany("INSERT INTO asiakirjat VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows(count))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--records", type=int, default=3000)
    args = parser.parse_args()
    write(args.out, args.records)
    print(f"wrote {args.out}: {args.records} legacy records")


if __name__ == "__main__":
    main()
