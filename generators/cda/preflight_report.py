"""The report of `cda check` as text (people), JSON (programs) or JUnit XML (CI): a test suite per check area,
a test case per finding (errors fail) and one passing case for an area without findings."""

from __future__ import annotations

import json

from lxml import etree

from sosmeta.generators.cda.preflight import Report
from sosmeta.generators.cda.preflight_rules import AREAS

FORMATS = ("text", "json", "junit")


def render(report: Report, fmt: str, lang: str, source: str) -> str:
    if fmt == "json":
        return render_json(report, lang, source)
    if fmt == "junit":
        return render_junit(report, lang, source)
    return render_text(report, lang, source)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _summary(report: Report) -> str:
    verdict = (
        "clean" if not report.findings else f"{_count(report.errors, 'error')}, {_count(report.warnings, 'warning')}"
    )
    mode = (
        f", processing mode {report.mode}" if report.mode else ", processing mode unknown (identity codes not checked)"
    )
    return f"{verdict} ({report.structure or 'no structure'}{mode})"


def render_text(report: Report, lang: str, source: str) -> str:
    lines = [f"{f.severity}: {f.problem(lang)}" for f in report.findings]
    lines.append(f"{source}: {_summary(report)}")
    return "\n".join(lines) + "\n"


def render_json(report: Report, lang: str, source: str) -> str:
    data = {
        "source": source,
        "structure": report.structure,
        "mode": report.mode,
        "errors": report.errors,
        "warnings": report.warnings,
        "findings": [f.as_dict(lang) for f in report.findings],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_junit(report: Report, lang: str, source: str) -> str:
    suites = etree.Element(
        "testsuites", name=f"sosmeta cda check {source}", tests="0", failures=str(report.errors), errors="0"
    )
    total = 0
    for area in AREAS:
        found = [f for f in report.findings if f.area == area]
        failing = sum(f.severity == "error" for f in found)
        suite = etree.SubElement(suites, "testsuite", name=area, tests=str(max(1, len(found))), failures=str(failing))
        total += max(1, len(found))
        if not found:
            etree.SubElement(suite, "testcase", classname=f"cda.check.{area}", name=area)
        for finding in found:
            case = etree.SubElement(
                suite, "testcase", classname=finding.code, name=f"{finding.source}: {finding.location}"
            )
            if finding.severity == "error":
                etree.SubElement(case, "failure", message=finding.message[lang], type=finding.code)
            else:
                etree.SubElement(case, "system-out").text = f"warning: {finding.message[lang]}"
    suites.set("tests", str(total))
    text: str = etree.tostring(suites, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")
    return text
