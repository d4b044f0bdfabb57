"""What every rule is: a code, a kebab-case name, a default severity, and its documentation."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, ClassVar

from depcheck.model import Applicability, DependencySet, Diagnostic, Evidence, Fix, Requirement, Severity, Span

if TYPE_CHECKING:
    from collections.abc import Iterable


class Rule:
    """Subclasses set the class attributes; the docstring is the user documentation."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str]

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def diagnostic(
        cls,
        *,
        message: str,
        span: Span,
        package: str | None = None,
        line_text: str = "",
        fix: Fix | None = None,
        evidence: Iterable[Evidence] = (),
        related: Iterable[str] = (),
        involved: Iterable[Requirement] = (),
        ignores: frozenset[str] = frozenset(),
        severity: Severity | None = None,
    ) -> Diagnostic:
        for requirement in involved:
            ignores = ignores | requirement.ignores
        return Diagnostic(
            code=cls.code,
            name=cls.name,
            severity=severity or cls.severity,
            message=message,
            span=span,
            package=package,
            related=tuple(related),
            evidence=tuple(evidence),
            fix=fix,
            line_text=line_text,
            ignores=ignores,
        )


    @classmethod
    def about(
        cls,
        requirement: Requirement,
        *,
        message: str,
        fix: str,
        other: Requirement | None = None,
        applicability: Applicability = Applicability.DISPLAY_ONLY,
        intent: tuple = (),  # type: ignore[type-arg]
    ) -> Diagnostic:
        """A finding located at `requirement`, with `other` (the counterpart) as evidence."""
        return cls.diagnostic(
            message=message,
            span=requirement.span,
            package=requirement.name,
            line_text=requirement.line_text,
            involved=(requirement,) if other is None else (requirement, other),
            evidence=() if other is None else (evidence_of(other),),
            fix=Fix(description=fix, applicability=applicability if intent else Applicability.DISPLAY_ONLY, intent=intent),
        )


def where(requirement: Requirement) -> str:
    """`requirements.txt:6` — the place people read in a message."""
    return f"{requirement.span.path}:{requirement.span.line}"


def evidence_of(requirement: Requirement) -> Evidence:
    return Evidence(path=requirement.span.path, line=requirement.span.line, text=requirement.line_text.strip() or requirement.text)


def spec_text(requirement: Requirement) -> str:
    """The version part as written for people: `==0.27.0`, `>=0.28`, or `any version`."""
    if requirement.raw_constraint is not None:
        return f"`{requirement.raw_constraint}`"
    if not str(requirement.specifier):
        return "any version"
    return f"`{_as_written(requirement)}`"


def _as_written(requirement: Requirement) -> str:
    """The specifiers in the order the user wrote them (`>=0.150,<1.0`), not packaging's sort."""
    head = requirement.text.split(";", 1)[0].strip()
    if head[: len(requirement.display_name)].lower() == requirement.display_name.lower():
        rest = head[len(requirement.display_name):].lstrip()
        if rest.startswith("["):
            rest = rest[rest.find("]") + 1 :].lstrip()
        rest = rest.strip("() ")
        if rest and rest[0] in "<>=!~":
            return rest.replace(" ", "")
    return str(requirement.specifier)


def editable(requirement: Requirement) -> bool:
    """Can depcheck rewrite this requirement's text in place? (Poetry tables are not PEP 508.)"""
    return requirement.raw_constraint is None and requirement.span.end_line is not None and not requirement.editable


def replace_intent(requirement: Requirement, text: str) -> tuple:  # type: ignore[type-arg]
    if not editable(requirement):
        return ()
    span = requirement.span
    return ("replace", span.path, span.line, span.column, span.end_line, span.end_column, text)


def remove_intent(requirement: Requirement) -> tuple:  # type: ignore[type-arg]
    if not editable(requirement) or requirement.span.path.endswith("setup.py"):
        return ()
    span = requirement.span
    return ("remove", span.path, span.line, span.column, span.end_line, span.end_column)


def add_intent(dep_set: DependencySet, text: str) -> tuple:  # type: ignore[type-arg]
    """Append to a requirements file or a PEP 621/735 TOML array (not Poetry tables, setup.cfg/py)."""
    if dep_set.is_file and dep_set.path.endswith((".txt", ".in")):
        return ("add", dep_set.path, 1, 1, text)
    if dep_set.path.endswith("pyproject.toml") and dep_set.span is not None and ":tool.poetry." not in dep_set.id:
        return ("add", dep_set.path, dep_set.span.line, dep_set.span.column, text)
    return ()
