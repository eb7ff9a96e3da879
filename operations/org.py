"""Organisation templates: start one for a structure, read and check them against the catalog's structures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sosmeta.workspace as ws
from sosmeta.catalog import Catalog
from sosmeta.generators.output import atomic_write
from sosmeta.messages import Lang, message
from sosmeta.operations.catalog_view import resolve
from sosmeta.sosmeta_import import InputError
from sosmeta.sosmeta_import.problem_texts import say
from sosmeta.structures.codelists.binding import CodeLists
from sosmeta.structures.model import Structure


@dataclass(frozen=True)
class OrganisationCheck:
    """The organisations read and every finding of checking them."""

    organisations: list[Any]
    findings: list[Any]
    """`generators.forms.conformance` findings (`severity`, `str()` a located line)."""

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def templates(self) -> int:
        return sum(len(o.templates) for o in self.organisations)


def check_organisations(
    files: Iterable[Path], structures: list[Structure], lists: CodeLists | None = None
) -> OrganisationCheck:
    """Read organisation files and check them against `structures` and the stored code `lists`; two files with
    one id are refused."""
    from sosmeta.generators.forms.list_conformance import check_organisation_with_lists
    from sosmeta.sosmeta_import.organisation import load_organisation

    organisations = [load_organisation(f) for f in files]
    ids: dict[str, str] = {}
    for org in organisations:
        if org.id in ids:
            raise InputError.one(
                org.source,
                "organisation.id",
                say("org.id_duplicate", id=org.id, other=ids[org.id]),
                "org.id_duplicate",
            )
        ids[org.id] = org.source
    findings = [
        finding
        for org in organisations
        for finding in check_organisation_with_lists(org, structures, lists or CodeLists())
    ]
    return OrganisationCheck(organisations, findings)


def workspace_organisation_files(workspace: ws.Workspace | None) -> list[Path]:
    """The files of `[organisations] files` in sosmeta.toml, relative to the workspace folder."""
    if workspace is None:
        return []
    files = workspace.section("organisations").get("files", [])
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise ws.WorkspaceError(message("org.files_not_list", file=workspace.root / ws.FILE_NAME))
    return [workspace.root / f for f in files]


def new_template(catalog: Catalog, ref: str, org_id: str, lang: Lang = "en") -> str:
    """An organisation template for the structure `ref` (that version only, when `ref` names one): every optional
    element and rule, commented out; the organisation's name and OID are placeholders to replace."""
    from sosmeta.generators.forms.scaffold import organisation_template

    return organisation_template(resolve(catalog, ref, lang), org_id, ref)


def write_template(text: str, output: Path) -> None:
    atomic_write(output, text.encode("utf-8"))
