"""The body of `depcheck check`: config, engine, report, exit code."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from depcheck import config as config_module
from depcheck import engine, progress
from depcheck.errors import DepcheckError, ExitCode
from depcheck.model import Severity


def check_command(
    *,
    paths: list[Path],
    output_format: str,
    output_file: Path | None,
    select: str | None,
    ignore: str | None,
    fail_on: str | None,
    config_file: Path | None,
    quiet: bool,
    python: Path | None = None,
    fix: bool = False,
    unsafe_fixes: bool = False,
    diff: bool = False,
    use_cache: bool = True,
    jobs: int | None = None,
    color: bool,
) -> int:
    roots = [_root(path) for path in paths]
    cfg = config_module.load(roots[0], config_file)
    if select is not None:
        cfg = replace(cfg, select=config_module.parse_codes([select], "--select"))
    if ignore is not None:
        cfg = replace(cfg, ignore=cfg.ignore + config_module.parse_codes([ignore], "--ignore"))
    if fail_on is not None:
        cfg = replace(cfg, fail_on=Severity(fail_on))
    if python is not None:
        if not python.exists():
            raise DepcheckError(f"--python {python}: no such file or directory")
        cfg = replace(cfg, python=str(python.resolve()))

    with progress.shown(quiet=quiet) as reporter:
        results = [engine.run(root, cfg, use_cache=use_cache, jobs=jobs, progress=reporter) for root in roots]
    if diff or fix:
        from depcheck import fix as fixer

        changes = {root: fixer.apply_edits(root, r.diagnostics, unsafe_fixes) for root, r in zip(roots, results)}
        if diff:
            import sys

            text = "".join(fixer.unified_diff(c) for c in changes.values())
            sys.stdout.write(text)
            return ExitCode.FINDINGS if text else ExitCode.OK
        fixed = sum(len(c) for c in changes.values())
        for root, root_changes in changes.items():
            fixer.write(root, root_changes)
        if fixed:
            with progress.shown(quiet=quiet) as reporter:
                results = [engine.run(root, cfg, use_cache=use_cache, jobs=jobs, progress=reporter) for root in roots]
            import sys

            sys.stderr.write(f"depcheck: fixed {fixed} file{'s' if fixed != 1 else ''}\n")
    result = results[0] if len(results) == 1 else _merge(results)

    if output_format == "json":
        from depcheck.report import json as report
        text = report.render(result)
    elif output_format == "sarif":
        from depcheck.report import sarif
        text = sarif.render(result)
    elif output_format == "github":
        import os

        from depcheck.report import github
        text = github.render(result, workspace=os.environ.get("GITHUB_WORKSPACE"))
    elif output_format == "gitlab":
        import os

        from depcheck.report import gitlab
        text = gitlab.render(result, project_dir=os.environ.get("CI_PROJECT_DIR"))
    else:
        from depcheck.report import text as report_text
        text = report_text.render(result, color=color, quiet=quiet)
        if quiet and not result.diagnostics:
            text = ""
    if output_file is not None:
        try:
            output_file.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise DepcheckError(f"cannot write {output_file}: {exc.strerror or exc}") from None
    elif text:
        import sys

        sys.stdout.write(text)
        sys.stdout.flush()
    failing = any(d.severity.rank >= cfg.fail_on.rank for d in result.diagnostics)
    return ExitCode.FINDINGS if failing else ExitCode.OK


def _root(path: Path) -> Path:
    if not path.exists():
        raise DepcheckError(f"{path}: no such file or directory")
    resolved = path.resolve()
    return resolved if resolved.is_dir() else resolved.parent


def _merge(results: list[engine.Result]) -> engine.Result:
    """Several PATHs: one report rooted at the current directory."""
    import os

    cwd = Path.cwd().resolve()
    diagnostics = []
    for result in results:
        prefix = Path(os.path.relpath(result.root, cwd)).as_posix()
        for d in result.diagnostics:
            diagnostics.append(_rebase(d, prefix))
    diagnostics.sort(key=lambda d: d.sort_key())
    return engine.Result(
        root=cwd,
        diagnostics=tuple(diagnostics),
        files=sum(r.files for r in results),
        elapsed_ms=sum(r.elapsed_ms for r in results),
    )


def _rebase(diagnostic, prefix: str):  # type: ignore[no-untyped-def]
    if prefix in ("", "."):
        return diagnostic

    def move(path: str) -> str:
        return f"{prefix}/{path}"

    return replace(
        diagnostic,
        span=replace(diagnostic.span, path=move(diagnostic.span.path)),
        evidence=tuple(replace(e, path=move(e.path)) for e in diagnostic.evidence),
    )
