"""Render the picture of a generated workbook in docs/excel.md (needs LibreOffice Calc and poppler-utils).

    python docs/img/render_workbook.py   # writes docs/img/excel-workbook.png from the example structure

The workbook is the generator's own output for example/sources/; only a print area and a page setup are added
so that LibreOffice puts the left part of the sheet on one page.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from openpyxl import load_workbook  # noqa: E402

from sosmeta.generators.excel import structure_workbook  # noqa: E402
from sosmeta.sosmeta_import.sosmeta_json import load_structure  # noqa: E402


def main() -> None:
    structure = load_structure(ROOT / "example" / "sources" / "perhetyon-seurantamerkinta.json")
    wb = load_workbook(io.BytesIO(structure_workbook(structure)))
    ws = wb["Rakenne"]
    ws.print_area = f"A1:L{ws.max_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = True
    del wb["Selite"]
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "workbook.xlsx"
        wb.save(book)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(book)],
            check=True,
            capture_output=True,
        )
        out = ROOT / "docs" / "img" / "excel-workbook"
        dpi = 130
        crop = [str(round(v * dpi / 110)) for v in (75, 102, 1060, 418)]  # the table on the landscape A4 page
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(dpi),
                "-singlefile",
                "-f",
                "1",
                "-x",
                crop[0],
                "-y",
                crop[1],
                "-W",
                crop[2],
                "-H",
                crop[3],
                str(Path(tmp) / "workbook.pdf"),
                str(out),
            ],
            check=True,
        )
    print(f"wrote {out}.png")


if __name__ == "__main__":
    main()
