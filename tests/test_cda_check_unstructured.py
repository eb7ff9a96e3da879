"""`cda check` of unstructured documents (old free-form documents carried as a display form only, as
`migration/unstructured.py` makes them): real packages of the example's migration pass, recognised (a warning
says so) or expected (`--unstructured`, clean); what still applies to them is still found when broken (display
form, type codes against the OID, frame agreement, identity codes), and a structured document is never taken
for an unstructured one."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from sosmeta.catalog import Catalog
from sosmeta.generators.cda.localnames import find
from sosmeta.generators.cda.package import unpack
from sosmeta.generators.cda.preflight import Message, check
from sosmeta.migration.run import run_migration
from sosmeta.structures.identifiers import hetu_check_character
from tests import migrate_support as ms
from tests.cda_frame_support import run

Tree = etree._Element
REAL = f"131052-308{hetu_check_character('131052308')}"
"""A valid personal identity code outside the test range (individual number 308), made up for the test."""


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], Path]:
    """One archived package per legacy type of a real example run, and the run's catalog."""
    tmp = tmp_path_factory.mktemp("unstructured")
    setup = ms.prepared(tmp, 240)
    run_migration(setup.job, setup.ledger_url)
    assert setup.job.out is not None
    packages: dict[str, Path] = {}
    for row in ms.ledger_rows(setup):
        if row["state"] == "archived":
            packages.setdefault(row["legacy_type"], setup.job.out / row["file"])
    assert {"MUISTIO", "ILMOITUS", "SEUR"} <= set(packages)
    return packages, tmp / "catalog"


def findings(catalog: Path, document: bytes, frame: bytes | None, **options: object) -> set[tuple[str, str]]:
    report = check(Message(document, "doc.xml", frame, "frame.xml"), Catalog(catalog), **options)  # type: ignore[arg-type]
    return {(f.code, f.severity) for f in report.findings}


def edit(data: bytes, change: Callable[[Tree], None]) -> bytes:
    root = etree.fromstring(data)
    change(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@pytest.mark.parametrize("legacy_type", ["MUISTIO", "ILMOITUS"])
def test_a_migrated_unstructured_package_passes(migrated: tuple[dict[str, Path], Path], legacy_type: str) -> None:
    packages, catalog = migrated
    base = (str(packages[legacy_type]), "--catalog", str(catalog), "--lang", "en")
    recognised = run("cda", "check", *base)
    assert recognised.exit_code == 0, recognised.output
    assert "[check.unstructured]" in recognised.output and "error:" not in recognised.output
    expected = run("cda", "check", *base, "--unstructured")
    assert expected.exit_code == 0, expected.output
    assert "[check." not in expected.output and ": clean (" in expected.output


def test_a_structured_package_is_never_taken_for_unstructured(migrated: tuple[dict[str, Path], Path]) -> None:
    packages, catalog = migrated
    base = (str(packages["SEUR"]), "--catalog", str(catalog), "--lang", "en")
    assert run("cda", "check", *base).exit_code == 0
    told = run("cda", "check", *base, "--unstructured")
    assert told.exit_code == 1 and "[check.unstructured_json]" in told.output
    parts = unpack(packages["SEUR"].read_bytes())
    without_json = edit(parts.document, _remove("component/nonXMLBody/json"))
    # its structure is in the catalog: a missing hl7fi:json stays an error, not an unstructured document
    found = findings(catalog, without_json, parts.frame)
    assert ("check.json_unreadable", "error") in found and ("check.unstructured", "warning") not in found


def _remove(path: str) -> Callable[[Tree], None]:
    def change(root: Tree) -> None:
        element = find(root, path)
        assert element is not None, path
        element.getparent().remove(element)  # type: ignore[union-attr]

    return change


def _set(path: str, **attributes: str) -> Callable[[Tree], None]:
    def change(root: Tree) -> None:
        element = find(root, path)
        assert element is not None, path
        for name, value in attributes.items():
            element.set(name, value)

    return change


def _set_text(path: str, text: str) -> Callable[[Tree], None]:
    def change(root: Tree) -> None:
        element = find(root, path)
        assert element is not None, path
        element.text = text

    return change


def _display(data: bytes) -> Callable[[Tree], None]:
    return _set_text("component/nonXMLBody/text", base64.b64encode(data).decode("ascii"))


BROKEN: dict[str, tuple[Callable[[Tree], None], str]] = {
    "no display form": (_remove("component/nonXMLBody/text"), "check.display_form"),
    "display form not XML": (_display(b"<div>not closed"), "check.display_form"),
    "display form without the body's id": (
        _display(b'<div xmlns="http://www.w3.org/1999/xhtml" class="soc-document"><p>x</p></div>'),
        "check.display_id",
    ),
    "specific type not the OID's": (
        _set("localSocialHeader/specificDocumentType", code="99001"),
        "check.specific_type",
    ),
    "content specification not an OID": (
        _set_text("localSocialHeader/contentSpecificationId", "muistio"),
        "check.content_specification",
    ),
    "set id other than the frame's": (_set("setId", root="1.2.246.10.29999999.95.999999"), "check.frame_mismatch"),
    "a real identity code in a test message": (
        _set("recordTarget/patientRole/id", extension=REAL),
        "check.real_identity_code",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
@pytest.mark.parametrize("unstructured", [True, None])
def test_a_broken_unstructured_document_is_found(
    migrated: tuple[dict[str, Path], Path], case: str, unstructured: bool | None
) -> None:
    packages, catalog = migrated
    parts = unpack(packages["MUISTIO"].read_bytes())
    assert findings(catalog, parts.document, parts.frame, unstructured=True) == set()
    change, code = BROKEN[case]
    found = findings(catalog, edit(parts.document, change), parts.frame, unstructured=unstructured)
    assert (code, "error") in found, found
