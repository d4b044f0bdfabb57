"""The SARIF 2.1.0 report, for code-scanning dashboards (GitHub, Azure DevOps, IDEs).

One run; `tool.driver.rules` is every rule with its documentation, results point
at root-relative URIs under `%SRCROOT%`. No timestamps or invocation data: the
same input gives the same bytes.

`fingerprints` also serves the GitLab report: a finding keeps its fingerprint when
lines are inserted above it, which is what lets a dashboard tell "moved" from "new".
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from depcheck import __version__

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from depcheck.engine import Result
    from depcheck.model import Diagnostic, Edit, Span

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "depcheck/v1"

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}

# Line numbers inside a message ("requirements.txt:6", "pyproject.toml:14:3",
# "at line 3, column 5") change whenever a line is inserted above; they must not
# change a finding's identity.
_PATH_LINE = re.compile(r"(?<=[^\s:]):\d+(?::\d+)?(?![\d.])")
_WORD_LINE = re.compile(r"\b(line|column|col)\s+\d+", re.IGNORECASE)


def identity(diagnostic: Diagnostic, *, path_prefix: str = "") -> str:
    """What makes two findings the same finding: code, path, package, message without line numbers."""
    message = _WORD_LINE.sub(r"\1", _PATH_LINE.sub("", diagnostic.message))
    path = path_prefix + diagnostic.span.path
    return "\0".join((diagnostic.code, path, diagnostic.package or "", message))


def fingerprints(diagnostics: Sequence[Diagnostic], *, path_prefix: str = "") -> list[str]:
    """One md5 hex digest per diagnostic, stable across line moves and unique within the list.

    `path_prefix` is prepended to paths (a report rebased onto the repository root).
    Two findings with the same identity (the same duplicate twice in one file) get
    a counter mixed into the hash, in report order, so each keeps its own entry.
    """
    seen: dict[str, int] = {}
    result = []
    for diagnostic in diagnostics:
        key = identity(diagnostic, path_prefix=path_prefix)
        count = seen.get(key, 0)
        seen[key] = count + 1
        if count:
            key = f"{key}\0{count}"
        result.append(hashlib.md5(key.encode("utf-8"), usedforsecurity=False).hexdigest())
    return result


def render(result: Result) -> str:
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [_run(result)],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _run(result: Result) -> dict[str, Any]:
    from depcheck.checks import ALL_RULES

    index = {rule.code: position for position, rule in enumerate(ALL_RULES)}
    prints = fingerprints(result.diagnostics)
    return {
        "tool": {
            "driver": {
                "name": "depcheck",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule(rule) for rule in ALL_RULES],
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": _root_uri(result.root)}},
        "columnKind": "unicodeCodePoints",  # spans count characters, not UTF-16 units
        "results": [_result(d, index.get(d.code), fp) for d, fp in zip(result.diagnostics, prints)],
    }


def _rule(rule: Any) -> dict[str, Any]:
    doc = rule.doc()
    plain = plain_text(doc)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": plain, "markdown": doc},
        "help": {"text": plain, "markdown": doc},
        "defaultConfiguration": {"level": _LEVEL[rule.severity.value]},
        "properties": {"tags": ["dependencies", rule.__module__.rsplit(".", 1)[-1]]},
    }


def _result(diagnostic: Diagnostic, rule_index: int | None, fingerprint: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"ruleId": diagnostic.code}
    if rule_index is not None:
        entry["ruleIndex"] = rule_index
    entry["level"] = _LEVEL[diagnostic.severity.value]
    entry["message"] = {"text": diagnostic.message}
    location: dict[str, Any] = {"artifactLocation": _artifact(diagnostic.span.path), "region": _region(diagnostic.span)}
    if diagnostic.line_text.strip():
        location["contextRegion"] = {
            "startLine": diagnostic.span.line,
            "snippet": {"text": diagnostic.line_text.rstrip("\r\n")},
        }
    entry["locations"] = [{"physicalLocation": location}]
    if diagnostic.evidence:
        entry["relatedLocations"] = [
            {
                "id": number,
                "physicalLocation": {
                    "artifactLocation": _artifact(evidence.path),
                    "region": {"startLine": evidence.line, "snippet": {"text": evidence.text}},
                },
                "message": {"text": evidence.text},
            }
            for number, evidence in enumerate(diagnostic.evidence, start=1)
        ]
    entry["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint}
    properties: dict[str, Any] = {}
    if diagnostic.package:
        properties["package"] = diagnostic.package
    if diagnostic.related:
        properties["related"] = list(diagnostic.related)
    fix = diagnostic.fix
    if fix is not None and fix.edits:
        entry["fixes"] = [
            {
                "description": {"text": fix.description},
                "artifactChanges": _changes(fix.edits),
                "properties": {"applicability": fix.applicability.value},
            }
        ]
    elif fix is not None:
        properties["fix"] = fix.description
        properties["applicability"] = fix.applicability.value
    if properties:
        entry["properties"] = properties
    return entry


def _changes(edits: Sequence[Edit]) -> list[dict[str, Any]]:
    """Edits grouped by file, files in the order their first edit appears."""
    by_path: dict[str, list[dict[str, Any]]] = {}
    for edit in edits:
        by_path.setdefault(edit.path, []).append(
            {
                # Both Edit and SARIF regions end *before* end_line:end_column;
                # equal start and end is an insertion point.
                "deletedRegion": {
                    "startLine": edit.line,
                    "startColumn": edit.column,
                    "endLine": edit.end_line,
                    "endColumn": edit.end_column,
                },
                "insertedContent": {"text": edit.content},
            }
        )
    return [{"artifactLocation": _artifact(path), "replacements": rows} for path, rows in by_path.items()]


def _region(span: Span) -> dict[str, int]:
    region = {"startLine": span.line, "startColumn": span.column}
    if span.end_line is not None:
        region["endLine"] = span.end_line
        if span.end_column is not None:
            region["endColumn"] = span.end_column
    return region


def _artifact(path: str) -> dict[str, str]:
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def _root_uri(root: Path) -> str:
    uri = root.absolute().as_uri()
    return uri if uri.endswith("/") else uri + "/"


_FENCE = re.compile(r"^\s*```")
_HEADING = re.compile(r"^#{1,6}\s+")


def plain_text(markdown: str) -> str:
    """A rule's markdown documentation as plain text: no `#`, fences or backticks."""
    lines = []
    in_code = False
    for line in markdown.splitlines():
        if _FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            lines.append(f"    {line}" if line else "")
        else:
            lines.append(_HEADING.sub("", line).replace("`", ""))
    return "\n".join(lines)
