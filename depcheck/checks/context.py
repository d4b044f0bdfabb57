"""What the code rules (DC2xx, DC3xx) see of a project besides its manifests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from depcheck.model import SetKind, frozen

if TYPE_CHECKING:
    from collections.abc import Iterator

    from depcheck.code import FirstParty
    from depcheck.kb import Entry
    from depcheck.model import DependencySet, Project, Requirement
    from depcheck.modules import ModuleMap
    from depcheck.scan import FileScan, Import


@frozen
class Knowledge:
    """Shared by every project of a run."""

    modules: ModuleMap
    entries: tuple[Entry, ...]


@frozen
class Code:
    """One project's scanned code."""

    scans: tuple[FileScan, ...]
    first_party: FirstParty
    dev_files: frozenset[str]  # tests: their imports may come from dev sets
    unchecked_files: frozenset[str] = frozenset()  # docs, examples, scripts: run in environments of their own

    def imports(self) -> Iterator[tuple[FileScan, Import]]:
        for scan in self.scans:
            for found in scan.imports:
                yield scan, found


def runtime_sets(project: Project) -> list[DependencySet]:
    """Sets that describe an environment the application runs in.

    Not dev sets, locks, constraints, nor requirements files of unknown purpose
    (`docs/requirements.txt`, `examples/x/requirements.txt`).
    """
    from depcheck.pairing import UNPAIRED

    return [
        s for s in project.sets
        if s.kind in (SetKind.RUNTIME, SetKind.EXTRA) and not s.is_lock and s.requirements and s.group != UNPAIRED
    ]


def declared(sets: list[DependencySet] | tuple[DependencySet, ...]) -> dict[str, list[Requirement]]:
    found: dict[str, list[Requirement]] = {}
    for dep_set in sets:
        for requirement in dep_set.requirements:
            found.setdefault(requirement.name, []).append(requirement)
    return found
