"""The JSON report: the stable contract of SPEC.md ("version": 1)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from depcheck import __version__

if TYPE_CHECKING:
    from depcheck.engine import Result
    from depcheck.model import Diagnostic


def diagnostic_dict(diagnostic: Diagnostic) -> dict[str, Any]:
    fix = diagnostic.fix
    return {
        "code": diagnostic.code,
        "name": diagnostic.name,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "path": diagnostic.span.path,
        "line": diagnostic.span.line,
        "column": diagnostic.span.column,
        "package": diagnostic.package,
        "related": list(diagnostic.related),
        "evidence": [{"path": e.path, "line": e.line, "text": e.text} for e in diagnostic.evidence],
        "fix": None
        if fix is None
        else {
            "description": fix.description,
            "applicability": fix.applicability.value,
            "edits": [
                {
                    "path": e.path,
                    "line": e.line,
                    "column": e.column,
                    "end_line": e.end_line,
                    "end_column": e.end_column,
                    "content": e.content,
                }
                for e in fix.edits
            ],
        },
    }


def summary(result: Result) -> dict[str, int]:
    counts = {"error": 0, "warning": 0}
    for diagnostic in result.diagnostics:
        if diagnostic.severity.value in counts:
            counts[diagnostic.severity.value] += 1
    return {
        "files": result.files,
        "errors": counts["error"],
        "warnings": counts["warning"],
        "fixable": sum(1 for d in result.diagnostics if d.fix is not None and d.fix.edits),
        "elapsed_ms": result.elapsed_ms,
    }


def render(result: Result) -> str:
    document = {
        "version": 1,
        "tool": {"name": "depcheck", "version": __version__},
        "root": str(result.root),
        "diagnostics": [diagnostic_dict(d) for d in result.diagnostics],
        "summary": summary(result),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
