"""The code-list store and `sosmeta codes import|list|show|diff`: the same list from csapi pages, CSV and a
workbook gives the same store file; errors are located; a failed import leaves the store as it was."""

from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from sosmeta import cli, codestore
from sosmeta.codestore import CodeStore
from sosmeta.sosmeta_import.codelists import load_code_lists
from sosmeta.sosmeta_import.errors import InputError
from sosmeta.structures.codelists.model import CodeList, dump_code_list
from tests.codes_support import (
    SERVICE_TASK,
    SOCIAL_SERVICES,
    code_lists,
    dated_list,
    hierarchical_list,
    pages,
    write_csv,
    write_pages,
    write_workbook,
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli.main, list(args))
    return result.exit_code, result.stdout, result.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def store_content(catalog: Path) -> list[str]:
    """Every stored file with its provenance left out."""
    out = []
    for code_list in CodeStore(catalog).lists():
        data = json.loads(dump_code_list(code_list))
        data.pop("provenance")
        out.append(json.dumps(data, sort_keys=True, ensure_ascii=False))
    return out


@pytest.mark.parametrize("make", [dated_list, hierarchical_list])
def test_the_same_list_from_pages_csv_and_workbook_gives_the_same_store_file(tmp_path: Path, make) -> None:
    code_list = make()
    made = {}
    for kind in ("pages", "csv", "semicolon", "xlsx"):
        folder = tmp_path / kind
        folder.mkdir()
        if kind == "pages":
            files = write_pages(code_list, folder, size=2)
            assert len(files) > 1  # several pages
        elif kind == "csv":
            files = [write_csv(code_list, folder / "koodit.csv")]
        elif kind == "semicolon":
            files = [write_csv(code_list, folder / "koodit.csv", delimiter=";")]
        else:
            files = [write_workbook(code_list, folder / "koodit.xlsx")]
        catalog = folder / "catalog"
        args = ["codes", "import", *map(str, files), "--catalog", str(catalog)]
        code, out, err = run(*(args + (["--sheet", "Koodit"] if kind == "xlsx" else [])))
        assert code == 0, err
        assert "new list" in out
        made[kind] = store_content(catalog)
        stored = CodeStore(catalog).resolve(code_list.ref)
        assert stored.content() == code_list.content()
    assert made["pages"] == made["csv"] == made["semicolon"] == made["xlsx"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code_list=code_lists())
def test_every_format_round_trips(tmp_path_factory: pytest.TempPathFactory, code_list: CodeList) -> None:
    folder = tmp_path_factory.mktemp("round")
    for files in (
        write_pages(code_list, folder, size=3),
        [write_csv(code_list, folder / "l.csv")],
        [write_workbook(code_list, folder / "l.xlsx")],
    ):
        (read,) = load_code_lists(files, sheet="Koodit" if files[0].suffix == ".xlsx" else None)
        assert read.content() == code_list.content()


def test_store_file_is_deterministic_and_an_unchanged_import_writes_nothing(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    files = write_pages(dated_list(), tmp_path)
    assert run("codes", "import", *map(str, files), "--catalog", str(catalog))[0] == 0
    before = snapshot(catalog / "codes")
    # the same codes in another order and another format: unchanged, provenance kept
    reordered = dated_list().model_copy(update={"codes": tuple(reversed(dated_list().codes))})
    code, out, _ = run("codes", "import", str(write_csv(reordered, tmp_path / "x.csv")), "--catalog", str(catalog))
    assert code == 0 and "unchanged" in out
    assert snapshot(catalog / "codes") == before
    text = (catalog / "codes" / SERVICE_TASK / "201601.json").read_text(encoding="utf-8")
    assert text.endswith("}\n") and json.loads(text)["provenance"]["files"] == ["page-1.json", "page-2.json"]
    assert [c["code"] for c in json.loads(text)["codes"]] == ["10", "20", "30", "40"]


def test_hierarchy_from_levels_alone(tmp_path: Path) -> None:
    """Without a parent attribute, HierarchyLevel and the order of the codes give the parents."""
    listed = hierarchical_list()
    page = pages(listed, size=10)[0]
    for item in page["conceptCodes"]:
        item["attributes"] = [a for a in item["attributes"] if a["attributeName"] != "ParentId"]
    path = tmp_path / "p.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    (read,) = load_code_lists([path])
    assert {c.code: c.parent for c in read.codes} == {"1": None, "1.1": "1", "1.2": "1", "2": None, "2.1": "2"}


def test_list_show_and_json(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    for make in (dated_list, hierarchical_list):
        files = write_pages(make(), tmp_path / make.__name__) if (tmp_path / make.__name__).mkdir() is None else []
        assert run("codes", "import", *map(str, files), "--catalog", str(catalog))[0] == 0
    code, out, _ = run("codes", "list", "--catalog", str(catalog))
    assert code == 0 and f"{SERVICE_TASK}@201601" in out and f"{SOCIAL_SERVICES}@2018" in out and "2 code lists" in out
    code, out, _ = run("codes", "show", SOCIAL_SERVICES, "--catalog", str(catalog), "--lang", "sv")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].strip().startswith("1  Boendetjänster") and lines[2].startswith("    1.1  Stödboende")
    code, out, _ = run("codes", "show", f"{SERVICE_TASK}@201601", "--catalog", str(catalog), "--json")
    assert json.loads(out)["codes"][1]["expires"] == "2019-12-31"
    code, _, err = run("codes", "show", f"{SERVICE_TASK}@1999", "--catalog", str(catalog))
    assert code == 2 and "has no version '1999'" in err


def test_diff_added_removed_renamed_expired(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    old = dated_list("201601")
    codes = {c.code: c for c in old.codes}
    new = old.model_copy(
        update={
            "version": "202001",
            "codes": (
                codes["10"].model_copy(update={"names": {"fi": "Lastensuojelu ja perhetyö", "sv": "Barnskydd"}}),
                codes["20"],
                codes["30"].model_copy(update={"expires": "2024-12-31"}),
                codes["40"],
                codes["10"].model_copy(update={"code": "50"}),
            ),
        }
    )
    new = new.model_copy(update={"codes": tuple(c for c in new.codes if c.code != "40")})
    CodeStore(catalog).write([old, new])
    code, out, _ = run("codes", "diff", old.ref, new.ref, "--catalog", str(catalog))
    assert code == 1
    assert "  added    50" in out and "  removed  40" in out and "  expired  30" in out
    assert "  renamed  10 (fi): Lastensuojelu -> Lastensuojelu ja perhetyö" in out
    assert out.splitlines()[-1] == "1 added, 1 removed, 1 renamed, 1 expired, 0 changed"
    code, out, _ = run("codes", "diff", old.ref, old.ref, "--catalog", str(catalog), "--json")
    assert code == 0 and json.loads(out)["added"] == []
    # a file against the store: the CI check after a pull
    csv_file = write_csv(new, tmp_path / "uusi.csv")
    code, out, _ = run("codes", "diff", old.ref, str(csv_file), "--catalog", str(catalog))
    assert code == 1 and "added    50" in out


# ---- located errors, exit 2 ----------------------------------------------------------------------------------
def _broken_page(tmp_path: Path) -> Path:
    page = pages(dated_list(), size=10)[0]
    page["conceptCodes"][1]["beginDate"] = "1.1.2016"
    page["conceptCodes"][2]["attributes"][0] = {"attributeValue": ["x"]}
    page["conceptCodes"][3]["status"] = "GONE"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    return path


def test_errors_are_located_by_json_pointer_line_and_cell(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    code, _, err = run("codes", "import", str(_broken_page(tmp_path)), "--catalog", str(catalog))
    assert code == 2 and "Traceback" not in err
    assert "error: broken.json: /conceptCodes/1/beginDate: beginDate is not a date YYYY-MM-DD [codes.bad_date]" in err
    assert "error: broken.json: /conceptCodes/2/attributes/0: an attribute needs an attributeName" in err
    assert "/conceptCodes/3/status: status must be one of" in err
    syntax = tmp_path / "syntax.json"
    syntax.write_text('{"conceptCodes": [\n  {"a": 1,}\n]}', encoding="utf-8")
    code, _, err = run("codes", "import", str(syntax), "--catalog", str(catalog))
    assert code == 2 and "error: syntax.json: line 2 column" in err and "[json.syntax]" in err

    rows_csv = write_csv(dated_list(), tmp_path / "l.csv")
    text = rows_csv.read_text(encoding="utf-8").replace("2019-12-31", "31.12.2019")
    rows_csv.write_text(text, encoding="utf-8")
    code, _, err = run("codes", "import", str(rows_csv), "--catalog", str(catalog))
    assert code == 2 and "error: l.csv: line 3 (expirationDate): expirationDate is not a date" in err

    book = write_workbook(dated_list(), tmp_path / "l.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(book)
    wb["Koodit"]["E3"] = None  # the code of the second row
    wb.save(book)
    code, _, err = run("codes", "import", str(book), "--sheet", "Koodit", "--catalog", str(catalog))
    assert code == 2 and "error: l.xlsx: Koodit!A3: no code (conceptCodeId) [codes.no_code]" in err
    code, _, err = run("codes", "import", str(book), "--sheet", "Puuttuu", "--catalog", str(catalog))
    assert code == 2 and "no sheet 'Puuttuu' (sheets: Ohje, Koodit)" in err
    code, _, err = run("codes", "import", str(book), "--catalog", str(catalog))  # the first sheet has no codes
    assert code == 2 and "Ohje!A1: no code column" in err
    assert not (catalog / "codes").exists()


def test_a_missing_page_or_a_duplicate_code_is_refused(tmp_path: Path) -> None:
    first, second = write_pages(dated_list(), tmp_path, size=2)
    code, _, err = run("codes", "import", str(first), "--catalog", str(tmp_path / "c"))
    assert code == 2 and "1 of 2 pages given" in err and "[codes.missing_page]" in err
    page = json.loads(second.read_text(encoding="utf-8"))
    page["conceptCodes"][0]["conceptCodeId"] = "10"
    page["conceptCodes"][0]["status"] = "DELETED"
    second.write_text(json.dumps(page), encoding="utf-8")
    code, _, err = run("codes", "import", str(first), str(second), "--catalog", str(tmp_path / "c"))
    assert code == 2 and "page-2.json: /conceptCodes/0/conceptCodeId: code given twice" in err


def test_nothing_is_stored_when_one_file_of_an_import_is_bad(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    assert run("codes", "import", *map(str, write_pages(dated_list(), tmp_path)), "--catalog", str(catalog))[0] == 0
    before = snapshot(catalog)
    good = write_csv(hierarchical_list(), tmp_path / "good.csv")
    code, _, _ = run("codes", "import", str(good), str(_broken_page(tmp_path)), "--catalog", str(catalog))
    assert code == 2
    assert snapshot(catalog) == before


def test_a_write_failing_halfway_puts_back_what_was_written(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    store = CodeStore(catalog)
    store.write([dated_list()])
    before = snapshot(catalog)
    changed = dated_list().model_copy(update={"name": "Muutettu"})
    real = codestore.atomic_write
    calls = []

    def failing(path: Path, data: bytes) -> bool:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(path))
        return real(path, data)

    with mock.patch.object(codestore, "atomic_write", failing), pytest.raises(InputError) as caught:
        CodeStore(catalog).write([changed, hierarchical_list()])
    assert "cannot write: No space left on device [file.unwritable]" in str(caught.value)
    assert snapshot(catalog) == before  # the first list put back, the new folder removed
    assert not (catalog / "codes" / SOCIAL_SERVICES).exists()


def test_a_hand_edited_store_file_is_refused(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    CodeStore(catalog).write([dated_list()])
    moved = catalog / "codes" / SERVICE_TASK / "209901.json"
    (catalog / "codes" / SERVICE_TASK / "201601.json").rename(moved)
    code, _, err = run("codes", "list", "--catalog", str(catalog))
    assert code == 2 and "holds another code list than its place names" in err
    moved.write_text("{}", encoding="utf-8")
    code, _, err = run("codes", "list", "--catalog", str(catalog))
    assert code == 2 and "not a stored code list" in err
