"""The migration's package writer gives exactly the bytes of `generators.cda.package.package`."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sosmeta.generators.cda.frame import FrameOptions, Person, frame
from sosmeta.generators.cda.package import package, unpack
from sosmeta.migration.fastpackage import fast_package
from sosmeta.operations import migrate as op
from tests import migrate_support as ms


def test_same_bytes_as_the_package_writer_for_migrated_documents(tmp_path: Path) -> None:
    setup = ms.prepared(tmp_path, 120)
    op.run(setup)
    assert setup.job.out is not None
    files = sorted((setup.job.out / "packages").glob("*.mime"))
    assert len(files) > 50
    for file in files:
        parts = unpack(file.read_bytes())
        document_id = file.name.removesuffix(".mime")
        assert fast_package(parts.frame, parts.document, document_id) == package(parts.frame, parts.document)


@settings(max_examples=40, deadline=None)
@given(
    arcs=st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=30),
    body=st.binary(max_size=3000),
)
def test_same_bytes_for_any_id_length_and_body(tmp_path_factory: object, arcs: list[int], body: bytes) -> None:
    """Ids of every length (header folding depends on it) and bodies of every length mod 57 (base64 lines)."""
    document_id = "1.2.246." + ".".join(str(a) for a in arcs)
    document = _DOCUMENT.replace(_ID, document_id.encode())
    document = document.replace(b"<!--pad-->", b"<!--" + body.hex().encode() + b"-->")
    framed = frame(document, FrameOptions(processing_mode="T", performer=Person("010101A900R")))
    assert fast_package(framed, document, document_id) == package(framed, document)


_DOCUMENT = b""  # filled from a migrated document below
_ID = b""


def setup_module() -> None:
    import tempfile

    global _DOCUMENT, _ID
    with tempfile.TemporaryDirectory() as folder:
        setup = ms.prepared(Path(folder), 8)
        op.run(setup)
        assert setup.job.out is not None
        first = sorted((setup.job.out / "packages").glob("*.mime"))[0]
        _ID = first.name.removesuffix(".mime").encode()
        _DOCUMENT = unpack(first.read_bytes()).document.replace(
            b"</ClinicalDocument>", b"<!--pad--></ClinicalDocument>"
        )
