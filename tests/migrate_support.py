"""Shared pieces of the migration tests: the example's catalog, legacy database and settings in a folder."""

from __future__ import annotations

import hashlib
import sqlite3
import sys
from pathlib import Path
from typing import Any

from sosmeta.catalog import Catalog
from sosmeta.operations import migrate as op
from sosmeta.sosmeta_import import load_any

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "example"
sys.path.insert(0, str(EXAMPLE / "migration"))
import make_legacy_db  # noqa: E402

TABLE = EXAMPLE / "migration" / "vastaavuustaulukko"
ORG = EXAMPLE / "orgs" / "jarvimaa-lastensuojelu.toml"
COLUMNS = {
    "record_id": "id",
    "legacy_type": "tyyppi",
    "client_id": "hetu",
    "client_given": "etunimi",
    "client_family": "sukunimi",
    "date": "pvm",
    "author": "laatija",
    "unit": "yksikko",
    "text": "teksti",
    "attachment": "liite",
}


def catalog(folder: Path) -> Path:
    store = Catalog(folder)
    for structure in load_any(EXAMPLE / "sources" / "perhetyon-seurantamerkinta.json"):
        store.add(structure)
    return folder


def legacy_db(path: Path, records: int) -> Path:
    make_legacy_db.write(path, records)
    return path


def section(db_url: str, out: Path, table: Path = TABLE, **source: Any) -> dict[str, Any]:
    return {
        "table": str(table),
        "output": str(out),
        "organisation": str(ORG),
        "document_id_root": "1.2.246.10.29999999.95",
        "performer_id": "010101A900R",
        "source": {
            "kind": "sql",
            "url": db_url,
            "table": "asiakirjat",
            "date_format": "%d.%m.%Y",
            "columns": dict(COLUMNS),
            **source,
        },
    }


def prepared(tmp: Path, records: int = 200, **over: Any) -> op.Setup:
    db = tmp / "legacy.sqlite"
    if not db.exists():
        legacy_db(db, records)
    cat = tmp / "catalog"
    if not cat.exists():
        catalog(cat)
    return op.setup(section(f"sqlite:///{db}", tmp / "out"), tmp, cat, "sosmeta.toml", op.Overrides(**over))


def ledger_rows(setup: op.Setup) -> list[dict[str, Any]]:
    from sosmeta.migration.ledger import Ledger

    ledger = Ledger(setup.ledger_url, setup.job.source.name)
    try:
        return list(ledger.rows())
    finally:
        ledger.dispose()


def files_match_ledger(setup: op.Setup) -> None:
    """Every archived row's package is there with its sha256, and no package is there that no row names."""
    assert setup.job.out is not None
    rows = ledger_rows(setup)
    named = {r["file"]: r["file_sha256"] for r in rows if r["file"]}
    on_disk = {f"packages/{p.name}" for p in (setup.job.out / "packages").iterdir()}
    # older versions of replaced records stay (the archive keeps every version); only those may be unnamed
    replaced = {r["set_id"] for r in rows if (r["version"] or 1) > 1}
    for name in on_disk - set(named):
        stem = name.removeprefix("packages/").removesuffix(".mime")
        assert any(stem == s or stem.startswith(s + ".") for s in replaced), name
    for name, sha in named.items():
        assert hashlib.sha256((setup.job.out / name).read_bytes()).hexdigest() == sha, name


def identity_codes(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute("SELECT hetu FROM asiakirjat")]
