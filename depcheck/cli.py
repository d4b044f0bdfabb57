"""Command line: `depcheck check`, `depcheck rule CODE`, `depcheck rules`. Only this module prints.

No `from __future__ import annotations` here: Typer reads these annotations at
run time, and on Python 3.9 string annotations hide the `Annotated` options.
"""

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from depcheck import __version__
from depcheck.errors import DepcheckError, ExitCode

app = typer.Typer(
    add_completion=False,
    no_args_is_help=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Dependency-consistency linter for Python projects.",
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    gitlab = "gitlab"


class ListFormat(str, Enum):
    text = "text"
    json = "json"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"depcheck {__version__}")
        raise typer.Exit(ExitCode.OK)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Dependency-consistency linter for Python projects."""


@app.command()
def check(
    paths: Annotated[Optional[List[Path]], typer.Argument(help="Directories to check (default: .)")] = None,
    output_format: Annotated[Format, typer.Option("--format", help="Report format.")] = Format.text,
    output_file: Annotated[Optional[Path], typer.Option("--output-file", help="Write the report here.")] = None,
    select: Annotated[Optional[str], typer.Option(help="Only these codes or prefixes (DC1,DC201).")] = None,
    ignore: Annotated[Optional[str], typer.Option(help="Skip these codes or prefixes.")] = None,
    fail_on: Annotated[
        Optional[FailOn], typer.Option("--fail-on", help="Lowest severity that makes the exit code 1 [default: warning].")
    ] = None,
    config_file: Annotated[Optional[Path], typer.Option("--config", help="Explicit config file.")] = None,
    python: Annotated[
        Optional[Path],
        typer.Option("--python", help="Interpreter or virtualenv whose installed packages map imports (read, never run)."),
    ] = None,
    fix: Annotated[bool, typer.Option("--fix", help="Apply safe fixes, then report what is left.")] = False,
    unsafe_fixes: Annotated[bool, typer.Option("--unsafe-fixes", help="Also apply fixes marked unsafe.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print the fixes as a unified diff; change nothing.")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the scan cache.")] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Worker processes for scanning [default: CPUs].")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the findings, one line each.")] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colours (also: NO_COLOR=1).")] = False,
) -> None:
    """Lint the project(s) under each PATH."""
    from depcheck.run import check_command

    try:
        code = check_command(
            paths=paths or [Path(".")],
            output_format=output_format.value,
            output_file=output_file,
            select=select,
            ignore=ignore,
            fail_on=fail_on.value if fail_on else None,
            config_file=config_file,
            python=python,
            fix=fix or unsafe_fixes and not diff,
            unsafe_fixes=unsafe_fixes,
            diff=diff,
            use_cache=not no_cache,
            jobs=jobs,
            quiet=quiet,
            color=_color(no_color, output_file),
        )
    except DepcheckError as exc:
        typer.echo(f"depcheck: error: {exc}", err=True)
        raise typer.Exit(ExitCode.ERROR) from None
    raise typer.Exit(code)


@app.command()
def rule(code: Annotated[str, typer.Argument(help="A rule code (DC101) or knowledge-base entry id.")]) -> None:
    """Explain one rule (what it does, why, an example, the fix) or one knowledge-base entry."""
    from depcheck.checks import BY_CODE

    found = BY_CODE.get(code.strip().upper())
    if found is not None:
        typer.echo(f"# {found.code} {found.name} ({found.severity.value})\n\n{found.doc()}")
        return
    from depcheck import kb

    entry = next((e for e in kb.load()[0] if e.id == code.strip().lower()), None)
    if entry is None:
        typer.echo(f"depcheck: error: no rule or knowledge-base entry `{code}`; `depcheck rules` lists them", err=True)
        raise typer.Exit(ExitCode.ERROR)
    typer.echo(kb.describe(entry))


@app.command(name="rules")
def list_rules(
    output_format: Annotated[ListFormat, typer.Option("--format", help="Listing format.")] = ListFormat.text,
) -> None:
    """List every rule and every knowledge-base entry."""
    from depcheck import kb
    from depcheck.checks import ALL_RULES

    entries, _ = kb.load()
    if output_format is ListFormat.json:
        import json

        rows = [{"code": r.code, "name": r.name, "severity": r.severity.value, "summary": r.summary} for r in ALL_RULES]
        knowledge = [
            {
                "id": e.id,
                "kind": e.data["kind"],
                "package": e.package,
                "requires": e.data["requires"]["packages"],
                "fix": e.data["fix"]["preferred"],
                "summary": e.summary,
                "source": e.source,
            }
            for e in entries
        ]
        typer.echo(json.dumps({"rules": rows, "knowledge": knowledge}, indent=2))
        return
    for r in ALL_RULES:
        typer.echo(f"{r.code}  {r.name:<28} {r.severity.value:<8} {r.summary}")
    typer.echo(f"\nKnowledge base ({len(entries)} entries; DC201 companions, DC203 drivers):")
    for e in entries:
        needs = " or ".join(e.data["requires"]["packages"])
        typer.echo(f"  {e.id:<40} {e.package} -> {needs}  (fix: {e.data['fix']['preferred']})")


def _color(no_color: bool, output_file: Optional[Path]) -> bool:
    if no_color or output_file is not None or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


_COMMANDS = {"check", "rule", "rules"}
_TOP_LEVEL = {"--version", "--help", "-h"}


def main(argv: Optional[List[str]] = None) -> None:
    """Entry point: bare `depcheck [options] [paths]` means `depcheck check ...`."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] not in _COMMANDS and args[0] not in _TOP_LEVEL):
        args.insert(0, "check")
    try:
        app(args=args, prog_name="depcheck", standalone_mode=True)
    except SystemExit:
        raise
    except DepcheckError as exc:  # pragma: no cover - commands catch their own
        sys.stderr.write(f"depcheck: error: {exc}\n")
        sys.exit(ExitCode.ERROR)
    except Exception as exc:  # a bug in depcheck, not in the user's files: exit 2, one line
        if os.environ.get("DEPCHECK_DEBUG"):
            raise
        import traceback

        frame = traceback.extract_tb(exc.__traceback__)[-1]
        sys.stderr.write(
            f"depcheck: internal error: {type(exc).__name__}: {exc} "
            f"(at {Path(frame.filename).name}:{frame.lineno}; rerun with DEPCHECK_DEBUG=1 and report it)\n"
        )
        sys.exit(ExitCode.ERROR)
