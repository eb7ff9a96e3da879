"""One error contract, continued: hostile workbooks on every path that opens one, faults while writing (a
read-only file system, a full disk, a file where a folder should be), the depth limit at its edge, and the
strict parser agreeing with `json` on everything it accepts."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sosmeta.catalog import Catalog
from sosmeta.safeio.parsing import MAX_DEPTH, loads_json
from sosmeta.sosmeta_import.errors import InputError, Problem
from sosmeta.sosmeta_import.limits import MAX_ELEMENT_DEPTH
from sosmeta.sosmeta_import.sosmeta_json import load_structure, parse_structure
from tests.hostile_inputs import (
    BASE_OID,
    EXAMPLE_EXPORT,
    assert_one_error,
    bomb_workbook,
    deep_structure,
    example_workbook,
    fifo,
    sosmeta,
    sosmeta_here,
    with_doctype,
    zero_link,
)

XXE = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
EXTERNAL_DTD = b'<?xml version="1.0"?><!DOCTYPE worksheet SYSTEM "http://127.0.0.1:9/x.dtd">'


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("faults")
    Catalog(root / "catalog").add(load_structure(EXAMPLE_EXPORT))
    shutil.copy(EXAMPLE_EXPORT, root / "good.json")
    (root / "good.xlsx").write_bytes(example_workbook())
    return root


# ---- workbooks: the guard on every path that opens one ----------------------------------------------------
@pytest.mark.parametrize(("declaration", "name"), [(XXE, "xxe"), (EXTERNAL_DTD, "external-dtd")])
@pytest.mark.parametrize("command", ["import", "lint"])
def test_a_workbook_part_with_a_doctype_is_one_error(
    ws: Path, tmp_path: Path, command: str, declaration: bytes, name: str
) -> None:
    """Entities (XXE) used to give a three-line error; an external DTD was accepted."""
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(with_doctype((ws / "good.xlsx").read_bytes(), declaration))
    args = ["import", str(path), "--catalog", str(tmp_path / "c")] if command == "import" else ["lint", str(path)]
    assert_one_error(sosmeta_here(*args), f"{name}.xlsx: xl/worksheets/sheet1.xml", "[excel.doctype]")


def test_a_workbook_cell_escaping_a_lone_surrogate_is_one_error(ws: Path, tmp_path: Path) -> None:
    """`_xD800_` in a cell decodes to a lone surrogate, which no catalog entry can hold (it crashed the write)."""
    from openpyxl import load_workbook

    book = load_workbook(ws / "good.xlsx")
    sheet = book["Rakenne"]
    (cell,) = [c for row in sheet.iter_rows() for c in row if c.value == "Sukunimi"]
    cell.value = "Suku_xD800_nimi"
    book.save(tmp_path / "surrogate.xlsx")
    run = sosmeta_here("import", str(tmp_path / "surrogate.xlsx"), "--catalog", str(tmp_path / "c"))
    assert_one_error(run, f"surrogate.xlsx: Rakenne!{cell.coordinate}: ", "[excel.surrogate]")


def _template_workbook(tmp_path: Path, workbook: str) -> Path:
    path = tmp_path / "org.toml"
    path.write_text(
        '[organisation]\nname = { fi = "Testikunta" }\noid = "1.2.246.10.29999999.10.0"\n\n'
        f'[[template]]\nstructure = "{BASE_OID}"\nworkbook = {workbook}\n',
        encoding="utf-8",
    )
    return path


WORKBOOK_FAULTS: dict[str, tuple[str, Callable[[Path, bytes], object] | None, str]] = {
    "not-a-zip": ('"x.xlsx"', lambda p, good: p.write_text("sukunimi;etunimet\n"), "[excel.not_zip]"),
    "empty": ('"x.xlsx"', lambda p, good: p.write_bytes(b""), "[excel.not_zip]"),
    "truncated": ('"x.xlsx"', lambda p, good: p.write_bytes(good[: len(good) // 2]), "[excel.not_zip]"),
    "folder": ('"x.xlsx"', lambda p, good: p.mkdir(), "[file.not_regular]"),
    "number": ("5", None, "template[0].workbook: must be a file path (a string) [org.type]"),
    "zip-bomb": ('"x.xlsx"', lambda p, good: p.write_bytes(bomb_workbook(good)), "[excel.zip_bomb]"),
    "xxe": ('"x.xlsx"', lambda p, good: p.write_bytes(with_doctype(good, XXE)), "[excel.doctype]"),
}


@pytest.mark.parametrize("fault", list(WORKBOOK_FAULTS))
def test_a_template_workbook_that_cannot_be_read_is_one_error(ws: Path, tmp_path: Path, fault: str) -> None:
    """`workbook =` in a template went straight to openpyxl: no guard, tracebacks on non-zip or folder files."""
    value, make, code = WORKBOOK_FAULTS[fault]
    if make is not None:
        make(tmp_path / "x.xlsx", (ws / "good.xlsx").read_bytes())
    org = _template_workbook(tmp_path, value)
    assert_one_error(sosmeta_here("org", "check", str(org), "--catalog", str(ws / "catalog")), code)


def test_the_zip_bomb_import_refuses_is_refused_in_a_template_too(ws: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "x.xlsx"
    bomb.write_bytes(bomb_workbook((ws / "good.xlsx").read_bytes()))
    refused = assert_one_error(sosmeta_here("import", str(bomb), "--catalog", str(tmp_path / "c")))
    org = _template_workbook(tmp_path, '"x.xlsx"')
    also = assert_one_error(sosmeta_here("org", "check", str(org), "--catalog", str(ws / "catalog")))
    assert refused.split(": ", 2)[2] == also.split(": ", 2)[2]  # the same place and words after the file name


@pytest.mark.parametrize("make", [zero_link, fifo], ids=["dev-zero", "fifo"])
def test_a_template_workbook_that_is_a_device_or_fifo_is_refused(ws: Path, tmp_path: Path, make: object) -> None:
    make(tmp_path / "x.xlsx")  # type: ignore[operator]
    org = _template_workbook(tmp_path, '"x.xlsx"')
    run = sosmeta("org", "check", str(org), "--catalog", str(ws / "catalog"), cwd=tmp_path, timeout=60)
    assert_one_error(run, "x.xlsx", "[file.not_regular]")


# ---- writing: a read-only file system, a full disk, a file in the way ------------------------------------
@pytest.fixture
def mount(tmp_path: Path) -> Iterator[Callable[[str, str], Path]]:
    """Mount a small tmpfs with the given options (root only; skipped elsewhere); unmounted afterwards."""
    mounted: list[Path] = []

    def make(name: str, options: str) -> Path:
        target = tmp_path / name
        target.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True, check=False
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.decode().strip()}")
        mounted.append(target)
        return target

    yield make
    for target in mounted:
        subprocess.run(["umount", "-l", str(target)], check=False)


WRITERS: dict[str, Callable[[Path, Path], list[str]]] = {
    "build": lambda w, d: ["build", "--catalog", str(w / "catalog"), "--out", str(d / "out"), "--target", "excel"],
    "import": lambda w, d: ["import", str(w / "good.json"), "--catalog", str(d / "catalog")],
    "org-new": lambda w, d: ["org", "new", BASE_OID, "--catalog", str(w / "catalog"), "-o", str(d / "org.toml")],
    "diff-output": lambda w, d: ["diff", str(w / "good.json"), str(w / "good.json"), "--no-proof", "-o", str(d / "r")],
}


@pytest.mark.parametrize("command", list(WRITERS))
@pytest.mark.parametrize(
    ("options", "reason"),
    [("ro,size=1m", "Read-only file system"), ("size=4k", "No space left on device")],
    ids=["read-only", "disk-full"],
)
def test_a_write_fault_is_one_error(
    ws: Path, tmp_path: Path, mount: Callable[[str, str], Path], command: str, options: str, reason: str
) -> None:
    target = mount("fs", options)
    if options.startswith("size"):
        (target / "filler").write_bytes(b"\0" * 4096)  # the one page there is: the next write finds the disk full
    run = sosmeta(*WRITERS[command](ws, target), cwd=tmp_path, timeout=120)
    assert_one_error(run, reason)


@pytest.mark.parametrize("command", list(WRITERS))
def test_a_file_where_a_folder_should_be_is_one_error(ws: Path, tmp_path: Path, command: str) -> None:
    (tmp_path / "file").write_text("a file, not a folder\n", encoding="utf-8")
    run = sosmeta(*WRITERS[command](ws, tmp_path / "file"), cwd=tmp_path, timeout=120)
    assert_one_error(run, str(tmp_path / "file"))  # `Not a directory` or `File exists`, by where it is found


@pytest.mark.parametrize(
    "args",
    [["list"], ["show", BASE_OID], ["example", "--structure", BASE_OID], ["lint"]],
    ids=["list", "show", "example", "lint"],
)
def test_standard_output_on_a_full_disk_is_one_error(ws: Path, tmp_path: Path, args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        run = sosmeta(*args, "--catalog", str(ws / "catalog"), cwd=tmp_path, stdout=full)
    assert assert_one_error(run) == "error: No space left on device"


# ---- the depth limit at its edge -----------------------------------------------------------------------------
def test_the_deepest_structure_allowed_builds_every_target(tmp_path: Path) -> None:
    """16 element levels, every one repeatable: everything the generators recurse over still works (300 levels
    crashed validators, forms, html and cda; 17 are refused on import)."""
    path = tmp_path / "deepest.json"
    path.write_text(deep_structure(MAX_ELEMENT_DEPTH - 2, arrays=True), encoding="utf-8")
    structure = parse_structure(path.read_text(encoding="utf-8"), str(path))
    assert max(loc.depth for loc in structure.walk()) == MAX_ELEMENT_DEPTH
    imported = sosmeta("import", str(path), "--catalog", "catalog", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    targets = ["sosmeta-json", "excel", "validators", "python", "forms", "html", "cda"]
    run = sosmeta("build", "--out", "out", "--catalog", "catalog", *(f"--target={t}" for t in targets), cwd=tmp_path)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr[-3000:]
    one_more = tmp_path / "deeper.json"
    one_more.write_text(deep_structure(MAX_ELEMENT_DEPTH - 1, arrays=True), encoding="utf-8")
    assert_one_error(sosmeta_here("lint", str(one_more)), "[sosmeta.too_deep]")


def test_a_workbook_nesting_deeper_than_the_limit_is_one_error(tmp_path: Path) -> None:
    """The workbook importer builds its tree recursively too: a row below the limit is refused first, once."""
    from sosmeta.generators.excel import structure_workbook
    from sosmeta.sosmeta_import.sosmeta_json import _Reader

    too_deep = _Reader("deep.json").structure(json.loads(deep_structure(MAX_ELEMENT_DEPTH + 2)))  # not checked
    path = tmp_path / "deep.xlsx"
    path.write_bytes(structure_workbook(too_deep))
    assert_one_error(sosmeta_here("import", str(path), "--catalog", str(tmp_path / "c")), "deep.xlsx", "excel.too_deep")


def test_json_depth_limit_is_exact() -> None:
    assert loads_json("[" * MAX_DEPTH + "]" * MAX_DEPTH, "x.json") is not None
    with pytest.raises(InputError, match=r"line 1 column 129: nests deeper than 128 levels \[json.too_deep\]"):
        loads_json("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "x.json")


def test_a_problem_is_always_one_line() -> None:
    problem = Problem("a\nb.json", "Rakenne!A1", "first line\nsecond line\r\nthird", "x.y")
    assert str(problem) == "a b.json: Rakenne!A1: first line second line third [x.y]"


# ---- the strict parser accepts what json accepts, minus what it must refuse ----------------------------------
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**300) + 1, max_value=10**300 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None)
@given(_VALUES)
def test_strict_json_reads_every_clean_value_as_json_does(value: object) -> None:
    text = json.dumps(value, ensure_ascii=False)
    assert loads_json(text, "x.json") == json.loads(text)


@settings(max_examples=60, deadline=None)
@given(_VALUES, st.sampled_from(["4.5e999", "-1e400", '"\\udfff"', "9" * 301]))
def test_strict_json_refuses_a_bad_value_anywhere(value: object, bad: str) -> None:
    text = json.dumps([value, "@@BAD@@"], ensure_ascii=False).replace('"@@BAD@@"', bad)
    with pytest.raises(InputError) as caught:
        loads_json(text, "x.json")
    (problem,) = caught.value.problems
    assert problem.code in ("json.non_finite", "json.surrogate", "json.huge_number")
    assert problem.location == "/1" or problem.location.startswith("line 1 column ")  # huge integers: by text
    assert bad not in str(problem)
