"""Report formats: text and markdown for people (grouped by severity, Finnish names, row numbers), json for
machines (documented in docs/compatibility.md, stable field names), GitHub workflow annotations and JUnit XML
for CI."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from lxml import etree

from sosmeta.messages import LANGS, Lang, localized, text
from sosmeta.structures.compat.categories import ORDER, Category, ordered
from sosmeta.structures.compat.findings import Counterexample, Finding, JsonChange
from sosmeta.structures.compat.report import Comparison, Report, Side

FORMAT_VERSION = "sosmeta-compat/1"
FORMATS = ("text", "json", "markdown", "github", "junit")

LABELS = (
    "old", "new", "row", "path", "categories", "counterexample", "valid", "rejected", "at", "none", "ignored",
    "unchanged", "unchanged_many", "unchanged_one", "others", "adapted", "full", "title", "name", "rule", "change",
)  # fmt: skip
"""The words of the text and markdown reports: `compat.label.<name>` in the message catalogue."""


def labels(lang: Lang) -> dict[str, str]:
    """The report's words in `lang`, by name (`LABELS`)."""
    return {name: text(f"compat.label.{name}", lang) for name in LABELS}


def describe(category: Category, lang: Lang) -> str:
    """What a category breaks, in `lang`."""
    return text(f"compat.category.{category.value}", lang)


# ---- json ------------------------------------------------------------------------------------------------------
def _side(side: Side | None) -> dict[str, Any] | None:
    if side is None:
        return None
    return {
        "oid": side.oid,
        "version": side.version,
        "version_oid": side.version_oid,
        "title": side.title,
        "source": side.source,
    }


def _change(change: JsonChange) -> dict[str, Any]:
    return {
        "keyword": change.keyword,
        "old": change.old,
        "new": change.new,
        "breaks": [c.value for c in ordered(change.breaks)],
    }


def _counterexample(example: Counterexample) -> dict[str, Any]:
    return {
        "category": example.category.value,
        "valid_under": example.valid_under,
        "invalid_under": example.invalid_under,
        "verified": example.verified,
        "document": example.document,
        "rejected_at": [{"pointer": p, "code": c} for p, c in example.rejected_at],
        "full_mode": example.full_mode,
        "adapted": example.adapted,
        "note": str(example.note),
    }


def finding_data(finding: Finding, report: Report) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "categories": [c.value for c in ordered(finding.categories)],
        "severity": finding.severity.value if finding.severity else None,
        "fails": report.policy.fails(finding),
        "name": finding.name,
        "path": finding.path,
        "old_path": finding.old_path,
        "new_path": finding.new_path,
        "old_row": finding.old_row,
        "new_row": finding.new_row,
        "lang": finding.lang,
        "source": finding.source,
        "old": finding.old,
        "new": finding.new,
        "message": {lang: finding.message(lang) for lang in LANGS},
        "json_changes": [_change(c) for c in finding.json_changes],
        "counterexamples": [_counterexample(e) for e in finding.counterexamples],
    }


def report_data(report: Report) -> dict[str, Any]:
    by_category = {c.value: sum(1 for f in report.findings if c in f.categories) for c in ORDER}
    return {
        "format": FORMAT_VERSION,
        "fail_on": [c.value for c in ordered(report.policy.fail_on)],
        "failed": report.failed,
        "summary": {
            "comparisons": len(report.comparisons),
            "findings": len(report.findings),
            "failing": len(report.failing),
            "ignored": report.ignored,
            "by_category": by_category,
        },
        "comparisons": [
            {
                "old": _side(c.old),
                "new": _side(c.new),
                "ignored": c.ignored,
                "findings": [finding_data(f, report) for f in c.findings],
            }
            for c in report.comparisons
        ],
    }


def render_json(report: Report, lang: Lang = "fi") -> str:
    return json.dumps(report_data(report), ensure_ascii=False, indent=2) + "\n"


# ---- text and markdown -------------------------------------------------------------------------------------------
def _compact(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _groups(comparison: Comparison) -> list[tuple[Category | None, list[Finding]]]:
    groups: dict[Category | None, list[Finding]] = {}
    for finding in comparison.findings:
        groups.setdefault(finding.severity, []).append(finding)
    return [(c, groups[c]) for c in (*ORDER, None) if c in groups]


_ENV = Environment(
    loader=PackageLoader("sosmeta.generators.compat", "templates"),
    autoescape=select_autoescape(["html", "xml"], default_for_string=False, default=False),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+!|"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;"})
_ENV.filters["md"] = lambda text: str(text).translate(_MD_SPECIAL).replace("\n", " ")
_ENV.filters["compact"] = _compact
_ENV.filters["cats"] = lambda categories: ", ".join(c.value for c in ordered(categories))
_ENV.filters["row"] = lambda f, t: (
    f"{t['row']} {f.new_row}"
    if f.new_row is not None
    else f"{t['row']} {f.old_row} ({t['old']})"
    if f.old_row is not None
    else "-"
)
_ENV.filters["oneline"] = lambda text: str(text).replace("\n", " ")


def _shown(report: Report, quiet: bool) -> tuple[list[Comparison], int]:
    """The comparisons a text or markdown report shows in full, and how many it counts in one line instead.

    A report of one comparison shows it whatever it holds (which versions were compared); of several, those
    without findings are counted, not listed (a catalog of 155 structures with one change gives one block).
    `quiet` shows only comparisons with a failing finding, and only those findings."""
    if quiet:
        failing = [
            replace(c, findings=tuple(f for f in c.findings if report.policy.fails(f))) for c in report.comparisons
        ]
        return [c for c in failing if c.findings], 0
    if len(report.comparisons) == 1:
        return list(report.comparisons), 0
    changed = [c for c in report.comparisons if c.findings]
    return changed, len(report.comparisons) - len(changed)


def _render(template: str, report: Report, lang: Lang, quiet: bool = False) -> str:
    shown, unchanged = _shown(report, quiet)
    return _ENV.get_template(template).render(
        report=report,
        shown=shown,
        unchanged=unchanged,
        lang=lang,
        t=labels(lang),
        groups=_groups,
        describe=describe,
        localized=localized,
        fails=report.policy.fails,
        summary=summary(report, lang),
    )


def summary(report: Report, lang: Lang) -> str:
    """`N findings, M failing (fail-on ...), K ignored` in `lang`: the last line of every report for people."""
    return text(
        "compat.summary",
        lang,
        findings=len(report.findings),
        failing=len(report.failing),
        fail_on=", ".join(c.value for c in ordered(report.policy.fail_on)),
        ignored=report.ignored,
    )


def render_text(report: Report, lang: Lang = "fi", quiet: bool = False) -> str:
    return _render("report.txt.j2", report, lang, quiet)


def render_markdown(report: Report, lang: Lang = "fi", quiet: bool = False) -> str:
    return _render("report.md.j2", report, lang, quiet)


# ---- CI formats ----------------------------------------------------------------------------------------------------
def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, lang: Lang = "fi") -> str:
    """GitHub workflow commands: `::error` for findings that fail, `::warning` for other DOCUMENT_*, CODEGEN and
    FORM findings, `::notice` for wording."""
    lines = []
    for comparison in report.comparisons:
        for finding in comparison.findings:
            side = comparison.new if finding.new_path is not None and comparison.new else comparison.side
            file = finding.source or side.source
            if report.policy.fails(finding):
                level = "error"
            elif finding.severity in (None, Category.TEXT):
                level = "notice"
            else:
                level = "warning"
            row = text("compat.row_at", lang, row=finding.row) if finding.row is not None else ""
            categories = ", ".join(c.value for c in ordered(finding.categories))
            title = f"{finding.rule}: {finding.name}"
            message = f"{finding.message(lang)}{row} [{categories}] {finding.path}"
            lines.append(
                f"::{level} file={_escape_property(file)},title={_escape_property(title)}::{_escape_data(message)}"
            )
    lines.append(("::error::" if report.failed else "::notice::") + _escape_data(summary(report, lang)))
    return "\n".join(lines) + "\n"


def _unchanged_suite(suites: Any, unchanged: list[Comparison], lang: Lang) -> None:
    """One passing test case for every comparison without findings (a suite named by the structure when it is
    the only one), so a report without findings still has a test that passed."""
    if len(unchanged) == 1:
        side = unchanged[0].side
        name, classname = f"{side.title} ({side.oid})", side.oid
    else:
        name = classname = f"{len(unchanged)} {text('compat.label.unchanged_many', lang)}"
    suite = etree.SubElement(suites, "testsuite", name=name, tests="1", failures="0")
    etree.SubElement(suite, "testcase", classname=classname, name="compatible")


def render_junit(report: Report, lang: Lang = "fi") -> str:
    """JUnit XML: a test suite per structure with findings, a test case per finding (failing findings fail);
    the structures without findings, or an empty report, give one passing test case."""
    changed = [c for c in report.comparisons if c.findings]
    unchanged = [c for c in report.comparisons if not c.findings]
    cases = len(report.findings) + (1 if unchanged or not changed else 0)
    suites = etree.Element(
        "testsuites", name="sosmeta compatibility", tests=str(cases), failures=str(len(report.failing))
    )
    for comparison in changed:
        side = comparison.side
        failing = [f for f in comparison.findings if report.policy.fails(f)]
        suite = etree.SubElement(
            suites,
            "testsuite",
            name=f"{side.title} ({side.oid})",
            tests=str(len(comparison.findings)),
            failures=str(len(failing)),
        )
        for finding in comparison.findings:
            case = etree.SubElement(
                suite,
                "testcase",
                classname=f"{side.oid}.{finding.rule}",
                name=f"{finding.path or side.oid} {finding.lang or ''}".strip(),
            )
            categories = ", ".join(c.value for c in ordered(finding.categories))
            if report.policy.fails(finding):
                failure = etree.SubElement(case, "failure", message=finding.message(lang), type=finding.rule)
                failure.text = _counterexample_text(finding, lang, categories)
            else:
                out = etree.SubElement(case, "system-out")
                out.text = f"{finding.message(lang)} [{categories}]"
    if unchanged or not changed:
        _unchanged_suite(suites, unchanged, lang)
    return etree.tostring(suites, pretty_print=True, xml_declaration=True, encoding="UTF-8").decode("utf-8")


def _counterexample_text(finding: Finding, lang: Lang, categories: str) -> str:
    t = labels(lang)
    lines = [f"{finding.message(lang)} [{categories}]", f"{t['path']}: {finding.path}"]
    for example in finding.counterexamples:
        if example.verified:
            at = ", ".join(f"{p or '/'} ({c})" for p, c in example.rejected_at)
            lines.append(
                f"{example.category.value}: {t['valid']} {example.valid_under.upper()}, {t['rejected']} "
                f"{example.invalid_under.upper()} {t['at']} {at}: {_compact(example.document)}"
            )
        else:
            lines.append(f"{example.category.value}: {localized(example.note, lang)}")
    return "\n".join(lines)


RENDERERS: dict[str, Callable[[Report, Lang], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "github": render_github,
    "junit": render_junit,
}
_SHORTENED = {"text": render_text, "markdown": render_markdown}
"""The formats for people, which `quiet` shortens to the failing findings and the summary."""


def render(report: Report, fmt: str, lang: Lang = "fi", quiet: bool = False) -> str:
    if quiet and fmt in _SHORTENED:
        return _SHORTENED[fmt](report, lang, True)
    return RENDERERS[fmt](report, lang)
