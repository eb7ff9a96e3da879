"""Containment and verified reuse: nothing is written outside its folder, whatever an export, a workbook or a
planted symlink says, and a rebuild takes from the previous output only what is still what it wrote."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sosmeta.catalog import Catalog, CatalogError
from sosmeta.generators.excel import structure_workbook
from sosmeta.generators.forms import TARGET as FORMS
from sosmeta.generators.forms.variants import ORGANISATION_MODELS
from sosmeta.generators.output import staged
from sosmeta.generators.registry import REUSE_MANIFEST, BuildContext, Target, discover
from sosmeta.safeio.paths import UnsafePath
from sosmeta.sosmeta_import.errors import InputError
from sosmeta.sosmeta_import.excel import CODES, read_workbook
from sosmeta.sosmeta_import.organisation import load_organisation
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structures.model import Structure
from sosmeta.structures.organisation import Organisation
from sosmeta.structures.workbook import SHEET, meta_label_id
from tests.conftest import EXAMPLE
from tests.fs_support import EXAMPLE_OID, EXAMPLE_SOURCE, errors, export, run, snapshot, write_export

EXAMPLE_ORG = EXAMPLE / "orgs" / "jarvimaa-lastensuojelu.toml"

# ---- containment: OIDs and versions where they enter --------------------------------------------------------

HOSTILE_OIDS = [
    "ABSOLUTE",  # replaced by an absolute path in tmp_path: the issue's /tmp/victim
    "../../x.2024.11.29",
    ".",
    "..",
    "~/x",
    "..\\x",
    "",
    "1.2.246.537.6.1506.99001.2025.1.15/../../..",
    "1.2.246.537.6.1506.99001.2025.1.15\x00",
    "1.2.246.537.6.1506.99001.2025.1.15\n",
    " 1.2.246.537.6.1506.99001.2025.1.15",
    "1.2." + "7." * 80 + "2025.1.15",  # 171 characters
    "1.2024.1.15",  # its base OID would be the single arc `1`
    "1.02.3",
    "1.2.٣",  # an Arabic-Indic digit: not an ASCII OID
]
HOSTILE_VERSIONS = ["package", "", "2025-02-30", "2025-1-15", "../../2025-01-15", "2025-01-15\x00", "9" * 5000]


@pytest.mark.parametrize("oid", HOSTILE_OIDS)
def test_import_refuses_a_hostile_oid_at_its_pointer_and_writes_nothing(tmp_path: Path, oid: str) -> None:
    oid = str(tmp_path / "victim") if oid == "ABSOLUTE" else oid
    data = export(oid=oid, documentDefinitionVersion="package" if oid.startswith("/") else "2025-01-15")
    data["scripts"] = {"postinstall": "echo owned"}
    source = write_export(tmp_path / "hostile.json", data)
    catalog = tmp_path / "catalog"
    result = run("import", source, "--catalog", catalog)
    assert result.exit_code == 2, result.output
    (line,) = errors(result.output)
    assert "hostile.json: /sosmeta/oid: 'oid' " in line and line.endswith("[sosmeta.bad_oid]"), line
    if len(oid) > 3:
        assert oid.strip() not in line  # the value itself is never echoed
    assert "Traceback" not in result.output
    assert not (tmp_path / "victim").exists()
    assert Catalog(catalog).entries() == []
    assert sorted(p.name for p in catalog.rglob("*")) == [".sosmeta.lock"]


@pytest.mark.parametrize("version", HOSTILE_VERSIONS)
def test_import_refuses_a_version_that_is_not_a_real_date(tmp_path: Path, version: str) -> None:
    source = write_export(tmp_path / "hostile.json", export(documentDefinitionVersion=version))
    result = run("import", source, "--catalog", tmp_path / "catalog")
    assert result.exit_code == 2, result.output
    (line,) = errors(result.output)
    assert "/sosmeta/documentDefinitionVersion: 'documentDefinitionVersion' " in line, line
    assert line.endswith("[sosmeta.bad_version]")
    assert Catalog(tmp_path / "catalog").entries() == []


def test_a_lone_surrogate_in_the_oid_is_one_located_error(tmp_path: Path) -> None:
    source = tmp_path / "surrogate.json"
    text = json.dumps(export(), ensure_ascii=True).replace(EXAMPLE_OID, "1.2.246\\ud800")
    source.write_text(text, encoding="utf-8")
    result = run("import", source, "--catalog", tmp_path / "catalog")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(errors(result.output)) == 1 and "surrogate.json" in result.output
    assert Catalog(tmp_path / "catalog").entries() == []


def _workbook_with(tmp_path: Path, values: dict[str, object]) -> tuple[Path, dict[str, str]]:
    """The example as a workbook, with metadata values changed by label id; returns the cells changed."""
    wb = load_workbook(io.BytesIO(structure_workbook(load_structure(EXAMPLE_SOURCE))))
    ws = wb[SHEET]
    cells = {}
    for row in ws.iter_rows(max_row=20):
        for label in row:
            found = meta_label_id(label.value) if isinstance(label.value, str) else None
            if found in values:
                cell = ws.cell(label.row, label.column + 1)
                cell.value = values[found]
                cells[found] = f"{SHEET}!{cell.coordinate}"
    path = tmp_path / "hostile.xlsx"
    wb.save(path)
    return path, cells


@pytest.mark.parametrize(
    ("oid", "version", "expected"),
    [
        ("../../x.2024.11.29", "2024-11-29", {"oid": "excel.bad_oid"}),
        ("ABSOLUTE", "package", {"oid": "excel.bad_oid", "definition_version": "excel.bad_version"}),
        (EXAMPLE_OID, "2025-13-01", {"definition_version": "excel.bad_version"}),
        ("~/x", "2025-01-15", {"oid": "excel.bad_oid"}),
        (3.14, 45000, {"oid": "excel.bad_oid", "definition_version": "excel.bad_version"}),  # typed as numbers
    ],
)
def test_workbook_refuses_a_hostile_versio_oid_at_its_cell(
    tmp_path: Path, oid: object, version: object, expected: dict[str, str]
) -> None:
    oid = str(tmp_path / "victim") if oid == "ABSOLUTE" else oid
    path, cells = _workbook_with(tmp_path, {"oid": oid, "definition_version": version})
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    found = {(p.location, p.code) for p in caught.value.problems}
    assert found == {(cells[label], code) for label, code in expected.items()}
    assert all(p.code in CODES for p in caught.value.problems)
    result = run("import", path, "--catalog", tmp_path / "catalog")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert all(cells["oid"] in line or cells["definition_version"] in line for line in errors(result.output))
    assert Catalog(tmp_path / "catalog").entries() == []


# ---- containment: the catalog ---------------------------------------------------------------------------------


def _example() -> Structure:
    return load_structure(EXAMPLE_SOURCE)


@pytest.mark.parametrize("oid", ["ABSOLUTE", "../../x.2024.11.29", ".", "~/x", "1.2.3/../../4.2025.1.1"])
def test_catalog_add_refuses_a_model_with_a_hostile_oid(tmp_path: Path, oid: str) -> None:
    """A structure that did not come through an importer (built in code) is checked by the catalog itself."""
    oid = str(tmp_path / "victim") if oid == "ABSOLUTE" else oid
    structure = _example().model_copy(update={"oid": oid})
    with pytest.raises(CatalogError):
        Catalog(tmp_path / "catalog").add(structure)
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [".sosmeta.lock"]


def test_catalog_add_refuses_a_version_that_is_not_a_date(tmp_path: Path) -> None:
    structure = _example().model_copy(update={"definition_version": "package", "oid": "1.2.246.537.6.1506.99001"})
    with pytest.raises(CatalogError, match="version"):
        Catalog(tmp_path / "catalog").add(structure)


def test_a_symlinked_oid_folder_in_the_catalog_is_never_written_through(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "1.2.246.537.6.1506.99001").symlink_to(elsewhere, target_is_directory=True)
    result = run("import", EXAMPLE_SOURCE, "--catalog", catalog)
    assert result.exit_code == 2 and "symbolic link" in result.output and "Traceback" not in result.output
    assert list(elsewhere.iterdir()) == []


def test_a_planted_catalog_file_with_a_hostile_oid_fails_the_build_cleanly(tmp_path: Path) -> None:
    catalog, out = tmp_path / "catalog", tmp_path / "out"
    folder = catalog / "1.2.246.537.6.1506.99001"
    folder.mkdir(parents=True)
    write_export(folder / "2025-01-15.json", export(oid="../../../escaped.2025.1.15"))
    for target in ("sosmeta-json", "excel"):
        result = run("build", "--catalog", catalog, "--out", out, "--target", target)
        assert result.exit_code == 2 and "Traceback" not in result.output
        (line,) = errors(result.output)
        assert "/sosmeta/oid" in line and "[sosmeta.bad_oid]" in line
    assert not any(p.name.startswith("escaped") for p in tmp_path.rglob("*"))


def test_a_catalog_file_holding_another_version_than_its_place_is_refused(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    folder = catalog / "1.2.246.537.6.1506.99002"
    folder.mkdir(parents=True)
    write_export(folder / "2025-01-15.json", export())  # the file says ...99001
    result = run("list", "--catalog", catalog)
    assert result.exit_code == 2 and "holds another structure version" in result.output


def test_catalog_reads_pass_over_what_is_not_an_oid_folder_or_a_date_file(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    assert run("import", EXAMPLE_SOURCE, "--catalog", catalog).exit_code == 0
    for odd in ("~x", "..x", "1.2.3 kopio", "notes"):
        (catalog / odd).mkdir()
        write_export(catalog / odd / "2025-01-15.json", export())
    write_export(catalog / "1.2.246.537.6.1506.99001" / "2025-02-30.json", export())
    assert [e.version for e in Catalog(catalog).entries()] == ["2025-01-15"]


# ---- containment: the build ------------------------------------------------------------------------------------


@pytest.mark.parametrize("relative", ["../x.json", "ABSOLUTE", "a/../../x.json", "a\\..\\x.json", "", "a//b", ".x"])
def test_build_context_write_stays_inside_the_target_folder(tmp_path: Path, relative: str) -> None:
    relative = str(tmp_path / "x.json") if relative == "ABSOLUTE" else relative
    ctx = BuildContext(structures=[], out_dir=tmp_path / "out")
    ctx.out_dir.mkdir()
    with pytest.raises(UnsafePath):
        ctx.write(relative, b"{}")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_build_context_write_never_follows_a_planted_symlink(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (elsewhere / "x.json").write_bytes(b"kept")
    (out / "sub").symlink_to(elsewhere, target_is_directory=True)
    (out / "x.json").symlink_to(elsewhere / "x.json")
    ctx = BuildContext(structures=[], out_dir=out)
    for relative in ("sub/x.json", "x.json"):
        with pytest.raises(UnsafePath, match="symbolic link"):
            ctx.write(relative, b"overwritten")
    assert (elsewhere / "x.json").read_bytes() == b"kept" and sorted(os.listdir(elsewhere)) == ["x.json"]


@pytest.mark.parametrize("target", sorted(discover()))
def test_every_target_keeps_a_model_whose_oid_would_escape_inside(tmp_path: Path, target: str) -> None:
    """A model that bypassed the importers and the catalog still cannot make a generator write outside its
    folder: the write is refused, or the name stays inside (a generator that maps dots away)."""
    work = tmp_path / "work"
    escaped = f"escaped-{tmp_path.name}"
    structure = _example().model_copy(update={"oid": f"../../../{escaped}.2025.1.15"})
    refused = False
    try:
        with staged(work / "out" / target) as folder:
            discover()[target].build(BuildContext(structures=[structure], out_dir=folder.staging))
    except (UnsafePath, InputError):  # InputError: a generator that checks the OID itself (cda)
        refused = True
        assert os.listdir(work / "out") == []  # and the staging folder is gone
    assert refused or target in ("python", "validators")  # these two make module names of the OID
    for place in (tmp_path.parent, tmp_path, work):
        assert not any(p.name.startswith(escaped) for p in place.iterdir())
    assert all(p.is_relative_to(work / "out") for p in work.rglob("*"))


def test_a_symlinked_target_folder_is_refused_and_left_alone(tmp_path: Path) -> None:
    catalog, out, elsewhere = tmp_path / "catalog", tmp_path / "out", tmp_path / "elsewhere"
    assert run("import", EXAMPLE_SOURCE, "--catalog", catalog).exit_code == 0
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("kept", encoding="utf-8")
    out.mkdir()
    (out / "sosmeta-json").symlink_to(elsewhere, target_is_directory=True)
    result = run("build", "--catalog", catalog, "--out", out)
    assert result.exit_code == 2 and "Traceback" not in result.output
    (line,) = errors(result.output)
    assert f"{out / 'sosmeta-json'}: is a symbolic link" in line
    assert snapshot(elsewhere) == {"precious.txt": b"kept"} and (out / "sosmeta-json").is_symlink()


def test_a_target_that_is_a_file_and_a_symlinked_lock_are_refused(tmp_path: Path) -> None:
    catalog, out = tmp_path / "catalog", tmp_path / "out"
    assert run("import", EXAMPLE_SOURCE, "--catalog", catalog).exit_code == 0
    out.mkdir()
    (out / "sosmeta-json").write_text("a file", encoding="utf-8")
    result = run("build", "--catalog", catalog, "--out", out)
    assert result.exit_code == 2 and "[output.not_folder]" in result.output
    (out / "sosmeta-json").unlink()
    (out / ".sosmeta.lock").unlink()
    victim = tmp_path / "victim.txt"
    victim.write_text("kept", encoding="utf-8")
    (out / ".sosmeta.lock").symlink_to(victim)
    result = run("build", "--catalog", catalog, "--out", out)
    assert result.exit_code == 2 and "symbolic link" in result.output
    assert victim.read_text(encoding="utf-8") == "kept"


# ---- verified reuse ------------------------------------------------------------------------------------------


def _build(target: Target, out: Path, orgs: list[Organisation] | None = None) -> BuildContext:
    with staged(out / target.name) as folder:
        ctx = BuildContext(
            structures=[_example()],
            out_dir=folder.staging,
            options={ORGANISATION_MODELS: orgs or []},
            previous=folder.previous,
        )
        target.build(ctx)
        ctx.finish()
    return ctx


def _reused(ctx: BuildContext) -> set[str]:
    return {p.relative_to(ctx.out_dir).as_posix() for p in ctx.reused}


FORM = f"{EXAMPLE_OID}.json"


def test_a_hand_edited_output_file_is_generated_again(tmp_path: Path) -> None:
    _build(FORMS, tmp_path)
    fresh = (tmp_path / "forms" / FORM).read_bytes()
    (tmp_path / "forms" / FORM).write_bytes(fresh.replace(b'"', b"'", 4))
    again = _build(FORMS, tmp_path)
    assert FORM not in _reused(again)
    assert (tmp_path / "forms" / FORM).read_bytes() == fresh
    assert _reused(_build(FORMS, tmp_path)) == {FORM}  # and the next unchanged build reuses it again


@pytest.mark.parametrize("same_bytes", [True, False])
def test_a_symlinked_output_file_is_never_reused(tmp_path: Path, same_bytes: bool) -> None:
    _build(FORMS, tmp_path)
    fresh = (tmp_path / "forms" / FORM).read_bytes()
    outside = tmp_path / "outside.json"
    outside.write_bytes(fresh if same_bytes else b'{"secret": "outside the output folder"}')
    (tmp_path / "forms" / FORM).unlink()
    (tmp_path / "forms" / FORM).symlink_to(outside)
    again = _build(FORMS, tmp_path)
    assert FORM not in _reused(again)
    result = tmp_path / "forms" / FORM
    assert not result.is_symlink() and result.read_bytes() == fresh
    assert os.stat(result).st_ino != os.stat(outside).st_ino


def test_a_fifo_or_a_folder_in_place_of_an_output_file_is_generated_again(tmp_path: Path) -> None:
    for replace in (os.mkfifo, os.mkdir):
        _build(FORMS, tmp_path)
        fresh = (tmp_path / "forms" / FORM).read_bytes()
        (tmp_path / "forms" / FORM).unlink()
        replace(tmp_path / "forms" / FORM)
        again = _build(FORMS, tmp_path)  # a FIFO must not hang the build
        assert FORM not in _reused(again) and (tmp_path / "forms" / FORM).read_bytes() == fresh


@pytest.mark.parametrize(
    "manifest",
    ["old-format", "garbage", "symlink", "wrong-hash"],
)
def test_a_doubtful_manifest_means_generating_again(tmp_path: Path, manifest: str) -> None:
    _build(FORMS, tmp_path)
    path = tmp_path / "forms" / REUSE_MANIFEST
    entries = json.loads(path.read_text(encoding="utf-8"))
    if manifest == "old-format":  # sosmeta 0.x: name -> key only
        path.write_text(json.dumps({n: e["key"] for n, e in entries.items()}), encoding="utf-8")
    elif manifest == "garbage":
        path.write_bytes(b"\xff[[")
    elif manifest == "symlink":
        copy = tmp_path / "manifest-copy.json"
        copy.write_bytes(path.read_bytes())
        path.unlink()
        path.symlink_to(copy)
    else:
        entries[FORM]["sha256"] = "0" * 64
        path.write_text(json.dumps(entries), encoding="utf-8")
    again = _build(FORMS, tmp_path)
    assert FORM not in _reused(again)
    assert json.loads((tmp_path / "forms" / REUSE_MANIFEST).read_text(encoding="utf-8")).keys() == entries.keys()


def test_a_symlinked_organisation_folder_in_the_previous_output_is_not_reused(tmp_path: Path) -> None:
    org = load_organisation(EXAMPLE_ORG)
    variant = f"{org.id}/{FORM}"
    _build(FORMS, tmp_path, [org])
    copy = tmp_path / "copy"
    (tmp_path / "forms" / org.id).rename(copy)
    (tmp_path / "forms" / org.id).symlink_to(copy, target_is_directory=True)
    again = _build(FORMS, tmp_path, [org])
    assert variant not in _reused(again) and FORM in _reused(again)
    assert (tmp_path / "forms" / org.id).is_dir() and not (tmp_path / "forms" / org.id).is_symlink()


def test_a_hand_edited_file_is_rebuilt_through_the_command_line(tmp_path: Path) -> None:
    catalog, out = tmp_path / "catalog", tmp_path / "out"
    assert run("import", EXAMPLE_SOURCE, "--catalog", catalog).exit_code == 0
    assert run("build", "--catalog", catalog, "--out", out, "--target", "html").exit_code == 0
    page = out / "html" / f"{EXAMPLE_OID}.html"
    fresh = page.read_bytes()
    page.write_bytes(fresh + b"<script>alert(1)</script>")
    assert run("build", "--catalog", catalog, "--out", out, "--target", "html").exit_code == 0
    assert page.read_bytes() == fresh
