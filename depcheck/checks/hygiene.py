"""DC0xx: each manifest on its own — readable, valid, no duplicates, satisfiable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from depcheck import markers
from depcheck.checks.base import Rule, remove_intent, spec_text, where
from depcheck.model import Applicability, Severity

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from depcheck.model import Diagnostic, Problem, Project


class InvalidRequirement(Rule):
    """
    ## What it does
    Reports an entry that is not a valid PEP 508 requirement, a Poetry constraint
    that cannot be translated, or a requirements-file line pip would reject
    (an unknown option, a stray specifier).

    ## Why is this bad?
    pip, uv and build backends refuse the whole file, so nothing installs; until
    then every other tool silently skips the entry.

    ## Example
    ```text
    requests>=2.0,
    httpx==
    ```

    ## Fix
    Write the requirement as `name[extras] specifiers ; marker`, e.g. `httpx==0.28.1`.

    ## References
    - PEP 508: https://peps.python.org/pep-0508/
    - pip requirements file format: https://pip.pypa.io/en/stable/reference/requirements-file-format/
    """

    code = "DC001"
    name = "invalid-requirement"
    severity = Severity.ERROR
    summary = "an entry that is not a valid PEP 508 requirement or pip requirements line"


class DuplicateRequirement(Rule):
    """
    ## What it does
    Reports a package listed twice in one dependency set (a requirements file
    with its `-r` includes, or one pyproject.toml list) where both entries can
    apply in the same environment.

    ## Why is this bad?
    The two entries drift apart: someone bumps one and the other keeps holding
    the old range back. Entries with disjoint markers (`numpy<2; python_version
    < "3.9"` and `numpy>=2; python_version >= "3.9"`) are not duplicates.

    ## Example
    ```text
    # requirements.txt
    -r base.txt        # base.txt has requests>=2.31
    requests>=2.28
    ```

    ## Fix
    Keep one entry; merge their specifiers, extras and markers into it.

    ## References
    - pip "Double requirement given" error
    """

    code = "DC002"
    name = "duplicate-requirement"
    severity = Severity.WARNING
    summary = "the same package twice in one dependency set"


class BrokenInclude(Rule):
    """
    ## What it does
    Reports a `-r`/`-c` include whose target does not exist or cannot be read,
    an include cycle, and a PEP 735 `include-group` that names a missing group
    or forms a cycle.

    ## Why is this bad?
    `pip install -r` stops with "Could not open requirements file"; a cycle makes
    uv and pip refuse the group or file.

    ## Example
    ```text
    # requirements-dev.txt
    -r requirement.txt   # typo: the file is requirements.txt
    ```

    ## Fix
    Point the include at the right file (paths are relative to the including
    file) or remove it; break the cycle.

    ## References
    - https://pip.pypa.io/en/stable/reference/requirements-file-format/
    - PEP 735: https://peps.python.org/pep-0735/
    """

    code = "DC003"
    name = "broken-include"
    severity = Severity.ERROR
    summary = "`-r`/`-c` target missing, unreadable, or an include cycle"


class InvalidManifest(Rule):
    """
    ## What it does
    Reports a manifest that cannot be read or parsed: invalid TOML, bytes that
    are not UTF-8, a value of the wrong type (`dependencies = "requests"`), a
    setup.py that is not valid Python. The rest of the repository is still
    checked; in a file with bad bytes, the other lines are still read.
    Informational findings under this code mark what depcheck could not verify
    (a setup.py whose `install_requires` is computed at build time).

    ## Why is this bad?
    Build front-ends stop on the first such error, usually with a less precise
    location.

    ## Example
    ```toml
    [project]
    dependencies = ["requests",   # missing closing bracket
    ```

    ## Fix
    Correct the syntax at the reported line and column.

    ## References
    - TOML 1.0: https://toml.io/en/v1.0.0
    - pyproject.toml specification: https://packaging.python.org/en/latest/specifications/pyproject-toml/
    """

    code = "DC004"
    name = "invalid-manifest"
    severity = Severity.ERROR
    summary = "a manifest that cannot be read or parsed (bad TOML, bad encoding)"


class UnsatisfiableRequirement(Rule):
    """
    ## What it does
    Reports a requirement whose own specifiers admit no version at all, such as
    `>=2,<1`, `==1.2.*,!=1.2.*` or `==1.0,>1.0`. Decided exactly over PEP 440
    (pre-releases, post-releases, epochs and local versions included).

    ## Why is this bad?
    Every resolver fails with "No matching distribution" or "requirements are
    unsatisfiable", usually far from the line that caused it.

    ## Example
    ```text
    urllib3>=2,<1.27
    ```

    ## Fix
    Correct the bounds so they enclose at least one released version.

    ## References
    - PEP 440 version specifiers: https://peps.python.org/pep-0440/#version-specifiers
    """

    code = "DC005"
    name = "unsatisfiable-requirement"
    severity = Severity.ERROR
    summary = "a requirement whose own specifiers admit no version (`>=2,<1`)"


RULES = (InvalidRequirement, DuplicateRequirement, BrokenInclude, InvalidManifest, UnsatisfiableRequirement)
_BY_CODE = {rule.code: rule for rule in RULES}


def problems(found: Iterable[Problem]) -> Iterator[Diagnostic]:
    """Problems found while reading files, as findings under their own rule."""
    for problem in found:
        yield _BY_CODE[problem.code].diagnostic(
            message=problem.message,
            span=problem.span,
            package=problem.package,
            line_text=problem.line_text,
            fix=problem.fix,
            ignores=problem.ignores,
            severity=problem.severity,
        )


def check(project: Project) -> Iterator[Diagnostic]:
    from depcheck.version import satisfiable

    # A line with undecodable bytes is reported once, as DC004; its DC001 would only echo it.
    garbled = {(p.span.path, p.span.line) for p in project.problems if p.code == "DC004" and "UTF-8" in p.message}
    yield from problems(
        p for p in project.problems if not (p.code == "DC001" and (p.span.path, p.span.line) in garbled)
    )
    requires_python = str(project.requires_python or "")
    seen_unsatisfiable: set[tuple[str, int, int]] = set()
    for dep_set in project.sets:
        by_name: dict[str, list] = {}
        for requirement in dep_set.requirements:
            key = (requirement.span.path, requirement.span.line, requirement.span.column)
            if key not in seen_unsatisfiable and not satisfiable(requirement.specifier):
                seen_unsatisfiable.add(key)
                yield UnsatisfiableRequirement.about(
                    requirement,
                    message=f"`{requirement.text}` admits no version: {spec_text(requirement)} excludes every release",
                    fix=f"Correct the bounds of `{requirement.display_name}`",
                )
            by_name.setdefault(requirement.name, []).append(requirement)
        for name, requirements in by_name.items():
            if len(requirements) < 2:
                continue
            first = requirements[0]
            for later in requirements[1:]:
                # Different markers that overlap are a deliberate refinement
                # (`urllib3` and `urllib3<1.27; python_version < "3.10"`), not a duplicate.
                # Different extras compose (`kombu[redis]` and `kombu[sqlalchemy]`, or a
                # base file's `celery` and an overlay's `celery[redis]`): pip merges them.
                if later.span == first.span or not markers.equivalent(first.marker, later.marker, requires_python):
                    continue
                if later.extras != first.extras:
                    continue
                exact = later.text == first.text
                yield DuplicateRequirement.about(
                    later,
                    message=f"`{name}` is listed twice in {dep_set.label}: `{later.text}` here and `{first.text}` at {where(first)}",
                    fix=f"Remove this duplicate of {where(first)}" if exact else f"Merge the two `{name}` entries into one",
                    other=first,
                    applicability=Applicability.SAFE,
                    intent=remove_intent(later) if exact else (),
                )
                break
