"""Example: valid documents of a structure version, with made-up but realistic values (test identity codes)."""

from __future__ import annotations

from typing import Any, Literal

from sosmeta.catalog import Catalog
from sosmeta.messages import Lang
from sosmeta.operations.catalog_view import resolve

Kind = Literal["example", "minimal", "maximal"]


def example_documents(
    catalog: Catalog, ref: str, kind: Kind, count: int = 1, seed: int = 0, lang: Lang = "en"
) -> list[Any]:
    """`count` random documents, or the one with only the required elements, or the one with every element;
    codes and labels come from the catalog's stored code lists where one is known."""
    from sosmeta.generators.examples import example_documents as examples
    from sosmeta.generators.examples import maximal_document, minimal_document
    from sosmeta.operations.codes import build_code_lists

    structure = resolve(catalog, ref, lang)
    lists = build_code_lists(catalog.root, [structure])
    if kind == "minimal":
        return [minimal_document(structure, lists)]
    if kind == "maximal":
        return [maximal_document(structure, seed, lists)]
    return examples(structure, count, seed, lists)
