"""Privacy canaries: no value of a client document, an envelope or a CDA header reaches any message or report.

Distinctive values (`KANARIA-<slot>-7f3a`, numbers 7357xxxxx, impossible dates 2097-13-41, wrong identity
codes of the test range) are planted in every slot: every string and number of a document (valid where the
structure takes them, and broken: every value, wrong types, unknown keys), every field of an envelope (one at a
time, in invalid forms too), every attribute and text of a decoded CDA header (one at a time, in invalid
forms), and the defaults of organisation templates. Every command that reads them runs on them (validate in
every format and language, cda encode single and bulk, decode, frame, example, org check, diff --org), and all
of stdout, stderr and every report or failure file is searched for them. Written documents (the archive files,
document.json) carry the values by design and are not searched.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from sosmeta.catalog import Catalog
from sosmeta.cli import main
from sosmeta.generators.cda import mapping as m
from sosmeta.generators.cda.codec import encode
from sosmeta.generators.cda.envelope import build_envelope
from sosmeta.generators.cda.samples import example_envelope_data
from sosmeta.generators.examples import maximal_document
from sosmeta.generators.validator import compile_validator
from sosmeta.sosmeta_import.sosmeta_json import load_structure
from sosmeta.structures.identifiers import HETU_CHECK_CHARACTERS, hetu_check_character
from sosmeta.structures.model import Structure
from tests.conftest import CORPUS, EXAMPLE, require_corpus

EXAMPLE_OID = "1.2.246.537.6.1506.99001"
COMPARED = ("1.2.246.537.6.1506.15007.2023.9.27", "1.2.246.537.6.1506.15007.2024.11.28")
NEEDLES = re.compile(r"kanaria|7357\d{5}|2097-?13-?41|131052|310252", re.IGNORECASE)


def canary(slot: str) -> str:
    return f"KANARIA-{slot}-7f3a"


def number(slot: int) -> int:
    return 735790000 + slot


def wrong_hetus() -> list[str]:
    """Identity codes of the test range (individual number 900-999) that fail each check."""
    digits = "131052908"
    right = hetu_check_character(digits)
    wrong = next(c for c in HETU_CHECK_CHARACTERS if c != right)
    return [f"131052-908{wrong}", f"310252-908{hetu_check_character('310252908')}", "131052#908X"]


@dataclass
class Outputs:
    """Everything the commands printed or reported, by label."""

    texts: list[tuple[str, str]] = field(default_factory=list)

    def run(self, label: str, *args: str) -> int:
        result = CliRunner().invoke(main, list(args))
        assert result.exception is None or isinstance(result.exception, SystemExit), (label, result.exception)
        self.texts.append((label, result.output))  # stdout and stderr (CliRunner mixes them)
        return result.exit_code

    def file(self, label: str, path: Path) -> None:
        self.texts.append((label, path.read_text(encoding="utf-8")))

    def leaks(self) -> list[str]:
        return [f"{label}: ...{text[max(0, f.start() - 80) : f.end() + 40]!r}" for label, text in self.texts
                for f in [NEEDLES.search(text)] if f]  # fmt: skip


# ---- planting ------------------------------------------------------------------------------------------------
Path_ = tuple[str | int, ...]


def leaves(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path, value


def replaced(value: Any, path: Path_, new: Any) -> Any:
    out = copy.deepcopy(value)
    target = out
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = new
    return out


def canary_for(value: Any, slot: int) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return number(slot)
    if isinstance(value, float):
        return number(slot) + 0.5
    return canary(f"d{slot}") if isinstance(value, str) else value


def planted_documents(structure: Structure) -> dict[str, dict[str, Any]]:
    """valid: every value the structure takes as a canary replaced by one; broken: every string and number a
    canary, with unknown keys holding canaries; wrong: every value a canary of the wrong type."""
    base = maximal_document(structure)
    validator = compile_validator(structure, mode="full")
    valid = base
    for slot, (path, value) in enumerate(leaves(base)):
        attempt = replaced(valid, path, canary_for(value, slot))
        if validator.is_valid(attempt):
            valid = attempt
    broken = base
    wrong = base
    for slot, (path, value) in enumerate(leaves(base)):
        broken = replaced(broken, path, canary_for(value, slot))
        wrong = replaced(wrong, path, [canary(f"w{slot}")] if isinstance(value, str) else canary(f"w{slot}"))
    root = broken[structure.document.key]
    root["tuntematon"] = {"teksti": canary("u1"), "luku": number(9001), "lista": [canary("u2"), {"x": canary("u3")}]}
    for name, item in list(root.items()):
        if isinstance(item, dict):
            item[f"tuntematon_{name}"] = canary(f"u-{name}")
    assert valid != base and NEEDLES.search(json.dumps(valid))
    return {"valid": valid, "broken": broken, "wrong": wrong}


def full_envelope_data(structure: Structure, number_: int) -> dict[str, Any]:
    """Every envelope field set, with a canary in every text the envelope takes as text."""
    data = json.loads(json.dumps(example_envelope_data(structure, number_), default=str))
    data.update(
        title=canary("title"),
        specific_type={"code": "15007", "display": canary("st")},
        general_type={"code": "15", "display": canary("gt")},
        content_specification_id=structure.version_oid,
        service_task={"code": "24", "display": canary("task")},
        process_phase={"code": "1", "display": canary("phase")},
        document_group={"code": "1", "display": canary("group")},
        service_organiser={"oid": "1.2.246.10.1234567.10.1", "name": canary("organiser")},
        service_unit={"oid": "1.2.246.10.1234567.10.2", "name": canary("unit")},
        retention_class={"code": "1", "display": canary("retention")},
        special_content=True,
        authorization_restrictions=[{"code": "1", "system": "1.2.3.4", "display": canary("ar")}],
        inaccessible_arguments=[{"code": "2", "display": canary("ia")}],
        minor_disclosure={"code": "1", "display": canary("minor")},
        outsourcing_customer={"oid": "1.2.246.10.1234567.10.3", "name": canary("customer")},
        replaces="1.2.246.10.1234567.95.2024.999",
        replacement_reason={"code": "1", "system": "1.2.3.5", "display": canary("rr")},
        nullification={"reason": {"code": "1", "system": "1.2.3.6"}, "time": "2024-11-28T13:33:30+02:00"},
    )
    data["client"].update(given=canary("cg"), family=canary("cf"))
    data["author"].update(given=canary("ag"), family=canary("af"), registration_id=canary("reg"))
    data["register_keeper"]["name"] = canary("keeper")
    data["software"] = {"moderator": canary("sm"), "product": canary("sp"), "version": canary("sv")}
    build_envelope(data, structure)  # valid
    return data


def envelope_mutations(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The envelope with one field at a time in an invalid form (and an unknown key with a canary value)."""
    for slot, (path, value) in enumerate(leaves(data)):
        name = "/".join(map(str, path))
        forms: list[Any] = [canary(f"e{slot}"), [canary(f"e{slot}l")], canary(f"e{slot}x") + "x" * 4100]
        if isinstance(value, int) and not isinstance(value, bool):
            forms.append(number(slot))
        if isinstance(value, str) and "T" in value and value[:4].isdigit():
            forms += ["2097-13-41T25:61:00+02:00", "2097-13-41"]
        if path == ("client", "id"):
            forms += wrong_hetus()
        for index, form in enumerate(forms):
            yield f"{name}#{index}", replaced(data, path, form)
    yield "unknown key", {**data, "tuntematon": canary("eu")}
    yield "unknown nested key", replaced(data, ("client", "tuntematon"), canary("eun"))


def header_mutations(document: bytes) -> Iterator[tuple[str, bytes]]:
    """The CDA document with one header attribute or text at a time in an invalid form."""
    root = etree.fromstring(document)
    body = root.find(f"{{{m.V3}}}component")
    slots = [
        (element, attr)
        for element in root.iter()
        if isinstance(element.tag, str) and body not in element.iterancestors() and element is not body
        for attr in [*element.attrib, *([None] if (element.text or "").strip() else [])]
    ]
    assert len(slots) > 80
    for slot, (element, attr) in enumerate(slots):
        place = f"{root.getroottree().getpath(element)}@{attr or 'text()'}"
        forms = [canary(f"h{slot}"), canary(f"h{slot}x") * 400, f"{canary(f'h{slot}')}-20971341", "20971341256100+0200"]
        forms += [str(number(slot)) * 3, *wrong_hetus()]
        for index, form in enumerate(forms):
            old = element.get(attr) if attr else element.text
            if attr:
                element.set(attr, form)
            else:
                element.text = form
            yield f"{place}#{index}", etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            if attr:
                element.set(attr, old)
            else:
                element.text = old


def value_paths(structure: Structure) -> list[str]:
    """Template paths of the elements that hold a value (not groups)."""
    return [loc.key_path.partition("/")[2] for loc in structure.rows() if loc.element.representation.value]


def template_defaults(structure: Structure) -> dict[str, dict[str, Any]]:
    """Template defaults with canaries: strings everywhere, numbers, wrong shapes, and (valid) texts only."""
    paths = value_paths(structure)
    texts = [loc.key_path.partition("/")[2] for loc in structure.rows() if loc.element.representation.value == "Teksti"]
    return {
        "strings": {p: canary(f"o{n}") for n, p in enumerate(paths)},
        "numbers": {p: number(n) for n, p in enumerate(paths)},
        "shapes": {
            p: {"system": canary(f"os{n}"), "code": canary(f"oc{n}"), "value": number(n)} for n, p in enumerate(paths)
        },
        "lists": {p: [canary(f"ol{n}")] for n, p in enumerate(paths)},
        "valid": {p: canary(f"ov{n}") for n, p in enumerate(texts)},
    }


def toml_value(value: Any) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def template(structure: Structure, defaults: dict[str, Any]) -> str:
    head = '[organisation]\nid = "kanaria"\nname = { fi = "Testikunta" }\noid = "1.2.246.10.29999999.10.0"\n\n'
    head += f'[[template]]\nstructure = "{structure.base_oid}"\n'
    body = "".join(f'\n[template.elements."{p}"]\ndefault = {toml_value(v)}\n' for p, v in defaults.items())
    return head + body


# ---- the runs ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Setup:
    tmp: Path
    cat: list[str]
    structure: Structure
    compared: list[Structure]
    documents: dict[str, dict[str, Any]]
    files: dict[str, Path]
    envelope: dict[str, Any]
    env_file: Path


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    compared_files = [CORPUS / f"{oid}.json" for oid in COMPARED]
    if not all(p.is_file() for p in compared_files):
        require_corpus()
    structure = load_structure(EXAMPLE / "sources" / "perhetyon-seurantamerkinta.json")
    compared = [load_structure(p) for p in compared_files]
    tmp = tmp_path_factory.mktemp("canary")
    catalog = tmp / "catalog"
    for item in (structure, *compared):
        Catalog(catalog).add(item)
    documents = planted_documents(structure)
    files = {name: tmp / f"{name}.json" for name in documents}
    for name, document in documents.items():
        files[name].write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    envelope = full_envelope_data(structure, 1)
    env_file = tmp / "env.json"
    env_file.write_text(json.dumps(envelope, ensure_ascii=False), encoding="utf-8")
    return Setup(tmp, ["--catalog", str(catalog)], structure, compared, documents, files, envelope, env_file)


def no_leaks(out: Outputs) -> None:
    assert not out.leaks(), "\n".join(out.leaks()[:20])


def test_validate_prints_no_value(setup: Setup) -> None:
    out = Outputs()
    lines = setup.tmp / "all.jsonl"
    lines.write_text("".join(json.dumps(d) + "\n" for d in setup.documents.values()), encoding="utf-8")
    for fmt in ("text", "json", "jsonl"):
        for lang in ("fi", "sv", "en"):
            args = ["validate", *setup.cat, "--format", fmt, "--lang", lang, *map(str, setup.files.values())]
            assert out.run(f"validate {fmt} {lang}", *args, "--jsonl", str(lines)) == 1
    assert out.run("validate valid", "validate", *setup.cat, str(setup.files["valid"])) == 0
    no_leaks(out)


def encode_args(setup: Setup, document: Path, envelope: Path, target: Path) -> list[str]:
    return ["cda", "encode", str(document), "--envelope", str(envelope), *setup.cat, "--out", str(target)]


def test_encode_prints_no_value(setup: Setup) -> None:
    out = Outputs()
    for name, file in setup.files.items():  # the valid document; the broken ones refused, then written anyway
        args = encode_args(setup, file, setup.env_file, setup.tmp / f"{name}.xml")
        assert out.run(f"encode {name}", *args) == (0 if name == "valid" else 1)
        assert out.run(f"encode {name} --allow-invalid", *args, "--allow-invalid") == 0
    mutated = setup.tmp / "mutated-env.json"
    for label, data in envelope_mutations(setup.envelope):  # every envelope field in invalid forms
        mutated.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        out.run(f"encode envelope {label}", *encode_args(setup, setup.files["valid"], mutated, setup.tmp / "m.xml"))
    assert sum(1 for label, text in out.texts if label.startswith("encode envelope") and "error:" in text) > 100
    no_leaks(out)


def test_bulk_reports_no_value(setup: Setup) -> None:
    out = Outputs()
    doc_lines = [json.dumps(d, ensure_ascii=False) for d in setup.documents.values()]
    env_lines = [json.dumps({**setup.envelope, "document_id": f"1.2.246.10.1234567.95.2024.{n}"}) for n in (1, 2, 3)]
    for index, (_, data) in enumerate(envelope_mutations(setup.envelope)):
        doc_lines.append(doc_lines[0])
        own_id = data.get("document_id") == setup.envelope["document_id"]
        env_lines.append(json.dumps({**data, "document_id": f"1.2.246.10.1234567.95.9.{index}"} if own_id else data))
    doc_lines.append('{"a": "KANARIA-j1-7f3a", "a": 735790001}')  # duplicate key
    env_lines.append('{"document_id": "KANARIA-j2-7f3a", "title": [1e999]')  # not JSON
    docs, envs = setup.tmp / "docs.jsonl", setup.tmp / "envs.jsonl"
    docs.write_text("\n".join(doc_lines) + "\n", encoding="utf-8")
    envs.write_text("\n".join(env_lines) + "\n", encoding="utf-8")
    for extra in ([], ["--allow-invalid"]):
        archive = setup.tmp / f"archive{len(extra)}"
        bulk = ["cda", "encode", "--jsonl", str(docs), "--envelopes", str(envs), *setup.cat, "--out", str(archive)]
        assert out.run(f"bulk {extra}", *bulk, *extra) == 1
        out.file(f"bulk {extra} failures.jsonl", archive / "failures.jsonl")
        assert len((archive / "failures.jsonl").read_text(encoding="utf-8").splitlines()) > 100
    no_leaks(out)


def test_decode_and_frame_print_no_value(setup: Setup) -> None:
    out = Outputs()
    for name, file in setup.files.items():  # the written documents (findings of the broken ones), their messages
        encoded = setup.tmp / f"frame-{name}.xml"
        assert out.run(f"encode {name}", *encode_args(setup, file, setup.env_file, encoded), "--allow-invalid") == 0
        decoded = setup.tmp / f"d-{name}"
        assert out.run(f"decode {name}", "cda", "decode", str(encoded), *setup.cat, "--out", str(decoded)) in (0, 1)
        message = setup.tmp / f"{name}-message.xml"
        assert out.run(f"frame {name}", "cda", "frame", str(encoded), "--out", str(message)) == 0
        out.run(f"decode message {name}", "cda", "decode", str(message), *setup.cat, "--out", str(decoded))
    assert NEEDLES.search((setup.tmp / "d-valid" / "document.json").read_text(encoding="utf-8"))  # values got through
    no_leaks(out)


def test_header_mutations_print_no_value(setup: Setup) -> None:
    out = Outputs()
    sample = encode(setup.structure, setup.documents["valid"], build_envelope(setup.envelope, setup.structure))
    hostile = setup.tmp / "hostile.xml"
    refused = 0
    for label, data in header_mutations(sample):
        hostile.write_bytes(data)
        code = out.run(f"decode {label}", "cda", "decode", str(hostile), *setup.cat, "--out", str(setup.tmp / "dh"))
        refused += code == 2
        if label.endswith(("#0", "#3")):
            out.run(f"frame {label}", "cda", "frame", str(hostile), "--out", str(setup.tmp / "fh.xml"))
    assert refused > 300
    no_leaks(out)


def test_templates_print_no_default(setup: Setup) -> None:
    out = Outputs()
    out.run("example", "example", *setup.cat, "--structure", EXAMPLE_OID, "--kind", "maximal")
    for label, defaults in template_defaults(setup.structure).items():
        org = setup.tmp / f"org-{label}.toml"
        org.write_text(template(setup.structure, defaults), encoding="utf-8")
        assert out.run(f"org check {label}", "org", "check", str(org), *setup.cat) == (0 if label == "valid" else 2)
    old, new = setup.compared
    org = setup.tmp / "org-diff.toml"
    org.write_text(template(new, template_defaults(new)["strings"]), encoding="utf-8")
    refs = [f"{old.base_oid}@{old.version}", f"{new.base_oid}@{new.version}"]
    for fmt in ("text", "json", "markdown", "github", "junit"):
        report = setup.tmp / f"diff.{fmt}"
        args = ["diff", *setup.cat, *refs, "--org", str(org), "--format", fmt, "-o", str(report)]
        assert out.run(f"diff {fmt}", *args) in (0, 1)
        out.file(f"diff {fmt} report", report)
    no_leaks(out)
