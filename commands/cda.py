"""`sosmeta cda`: Kanta CDA R2 archive documents (the commands: cda_encode.py, cda_read.py)."""

from __future__ import annotations

import click

from sosmeta.commands.cda_encode import cda_encode_cmd, cda_nullify_cmd, cda_replace_cmd
from sosmeta.commands.cda_read import cda_check_cmd, cda_decode_cmd, cda_frame_cmd


@click.group("cda")
def cda_group() -> None:
    """Kanta CDA R2 archive documents: encode, frame, check, decode; replace, nullify (see docs/cda.md).

    \b
    Example: from a client document to a checked package
      sosmeta cda encode doc.json --envelope env.json --catalog catalog --out doc.xml
      sosmeta cda frame doc.xml --out frame.xml --package message.mime
      sosmeta cda check frame.xml doc.xml --catalog catalog
      sosmeta cda decode message.mime --catalog catalog --out decoded/
    """


for _command in (cda_encode_cmd, cda_frame_cmd, cda_check_cmd, cda_decode_cmd, cda_replace_cmd, cda_nullify_cmd):
    cda_group.add_command(_command)
