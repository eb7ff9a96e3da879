"""`sosmeta migrate report`: what the ledger says, for head users (HTML, Finnish and Swedish) and machines (JSON).

Counts per legacy type and year, the table's coverage of the source (types and records with a row), refused
records grouped by reason and place (the record ids and the column, cell or JSON pointer; never a value of a
record), and the legacy types the table has no row for. Two inline SVG bar charts: records per year, and
outcome per legacy type. The page is rendered by jinja2 with autoescaping; it loads nothing.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from sosmeta.generators.output import atomic_write
from sosmeta.migration.ledger import Ledger
from sosmeta.migration.sources import open_source
from sosmeta.migration.table import load_table
from sosmeta.migration.worker import Job

MAX_IDS = 50
"""Record ids listed per reason and place (the count is always whole)."""


def build_report(job: Job, ledger_url: str) -> dict[str, Any]:
    table = load_table(job.table)
    source_counts = open_source(job.source).type_counts()
    ledger = Ledger(ledger_url, job.source.name)
    try:
        by_type: dict[str, Counter[str]] = defaultdict(Counter)
        by_year: dict[str, Counter[str]] = defaultdict(Counter)
        reasons: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        reason_counts: Counter[tuple[str, str, str]] = Counter()
        for row in ledger.rows():
            legacy = row["legacy_type"]
            by_type[legacy][row["state"]] += 1
            by_type[legacy]["versions"] += max(0, (row["version"] or 1) - 1) if row["state"] == "archived" else 0
            by_year[str(row["year"]) if row["year"] else "?"][row["state"]] += 1
            if row["state"] == "refused":
                key = (row["reason"] or "?", row["location"] or "", row["message"] or "")
                reason_counts[key] += 1
                if len(reasons[key]) < MAX_IDS:
                    reasons[key].append(row["record_id"])
        last = ledger.last_run()
    finally:
        ledger.dispose()
    mapped = {t.legacy_type for t in table.types}
    total = sum(source_counts.values())
    covered = sum(n for t, n in source_counts.items() if t in mapped)
    return {
        "source": job.source.name,
        "table": str(job.table.name),
        "last_run": {"run": last["run"], "status": last["status"]} if last else None,
        "totals": {
            "source_records": total,
            "archived": sum(c["archived"] for c in by_type.values()),
            "refused": sum(c["refused"] for c in by_type.values()),
        },
        "types": [
            {
                "legacy_type": legacy,
                "in_source": source_counts.get(legacy, 0),
                "archived": by_type[legacy]["archived"],
                "refused": by_type[legacy]["refused"],
                "replaced_versions": by_type[legacy]["versions"],
                "mapped": legacy in mapped,
                "target": (table.type_of(legacy).structure if table.type_of(legacy) else None),  # type: ignore[union-attr]
            }
            for legacy in sorted(set(source_counts) | set(by_type))
        ],
        "years": [
            {"year": year, "archived": c["archived"], "refused": c["refused"]} for year, c in sorted(by_year.items())
        ],
        "coverage": {
            "types_in_source": len(source_counts),
            "types_with_row": len([t for t in source_counts if t in mapped]),
            "records_with_row": covered,
            "records_share": round(covered / total, 4) if total else 1.0,
        },
        "refused": [
            {
                "reason": reason,
                "place": place,
                "message": message,
                "records": reason_counts[(reason, place, message)],
                "record_ids": ids,
            }
            for (reason, place, message), ids in sorted(reasons.items(), key=lambda kv: -reason_counts[kv[0]])
        ],
        "unmapped_types": [
            {"legacy_type": t, "records": n} for t, n in sorted(source_counts.items()) if t not in mapped
        ],
    }


def bar_chart(rows: list[tuple[str, list[int]]], colours: list[str], width: int = 640, bar: int = 18) -> str:
    """An inline SVG of stacked horizontal bars (label, [values]); labels are escaped by the template."""
    from markupsafe import escape

    largest = max((sum(values) for _, values in rows), default=0) or 1
    label_width, gap = 110, 6
    height = len(rows) * (bar + gap) + gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">']
    for index, (label, values) in enumerate(rows):
        y = gap + index * (bar + gap)
        parts.append(f'<text x="0" y="{y + bar - 4}" font-size="12">{escape(label)}</text>')
        x = float(label_width)
        for value, colour in zip(values, colours, strict=False):
            w = (width - label_width - 60) * value / largest
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colour}"/>')
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + bar - 4}" font-size="12">{sum(values)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def write_report(data: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import Markup

    folder.mkdir(parents=True, exist_ok=True)
    env = Environment(
        loader=PackageLoader("sosmeta.migration", "templates"), autoescape=select_autoescape(["html", "j2"])
    )
    colours = ["#2e7d32", "#c62828"]
    charts = {
        "years": Markup(bar_chart([(y["year"], [y["archived"], y["refused"]]) for y in data["years"]], colours)),
        "types": Markup(bar_chart([(t["legacy_type"], [t["archived"], t["refused"]]) for t in data["types"]], colours)),
    }
    html = env.get_template("report.html.j2").render(data=data, charts=charts)
    html_path, json_path = folder / "report.html", folder / "report.json"
    atomic_write(html_path, html.encode("utf-8"))
    atomic_write(json_path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return html_path, json_path
