"""Code lists: versions of national classifications (`model`), how they compare (`diff`), the lists the
structures state themselves (`embedded`) and which list a Koodi element is bound to (`binding`)."""

from sosmeta.structures.codelists.model import Code, CodeList, Provenance, dump_code_list

__all__ = ["Code", "CodeList", "Provenance", "dump_code_list"]
