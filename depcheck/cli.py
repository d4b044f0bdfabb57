"""Command line: `depcheck check`, `depcheck rule CODE`, `depcheck rules`. Only this module prints.

No `from __future__ import annotations` here: Typer reads these annotations at
run time, and on Python 3.9 string annotations hide the `Annotated` options.

Typer is imported only when it has work to do. Importing it costs about 25 ms,
and Typer 0.29 builds a pydantic TypeAdapter for every parameter on every run
(about 50 ms more): together, more than the rest of a warm `depcheck check`.
So the parameters are declared with `Option` and `Argument` below, which record
their arguments and import nothing. `_typer_app` turns them into `typer.Option`
and `typer.Argument`; `_fast` reads the same declarations to run the everyday
`depcheck [check] [OPTIONS] [PATHS]...` and `depcheck --version` without Typer,
and leaves everything it does not fully understand (help, usage errors, other
commands, option spellings Typer also accepts) to Typer. A test runs both over
a matrix of command lines and compares the results.
"""

import gc
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Callable, Dict, List, Optional, Tuple, Union

from depcheck import __version__
from depcheck.errors import DepcheckError, ExitCode


class Option:
    """`typer.Option(*decls, **settings)`, declared without importing Typer."""

    typer_name = "Option"

    def __init__(self, *decls: str, **settings: Any) -> None:
        self.decls = decls
        self.settings = settings


class Argument(Option):
    """`typer.Argument(*decls, **settings)`, declared without importing Typer."""

    typer_name = "Argument"


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
        sys.stdout.write(f"depcheck {__version__}\n")
        sys.exit(ExitCode.OK)


def _root(
    version: Annotated[
        bool, Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Dependency-consistency linter for Python projects."""


def check(
    paths: Annotated[Optional[List[Path]], Argument(help="Directories to check (default: .)")] = None,
    output_format: Annotated[Format, Option("--format", help="Report format.")] = Format.text,
    output_file: Annotated[Optional[Path], Option("--output-file", help="Write the report here.")] = None,
    select: Annotated[Optional[str], Option(help="Only these codes or prefixes (DC1,DC201).")] = None,
    ignore: Annotated[Optional[str], Option(help="Skip these codes or prefixes.")] = None,
    fail_on: Annotated[
        Optional[FailOn], Option("--fail-on", help="Lowest severity that makes the exit code 1 [default: warning].")
    ] = None,
    config_file: Annotated[Optional[Path], Option("--config", help="Explicit config file.")] = None,
    python: Annotated[
        Optional[Path],
        Option("--python", help="Interpreter or virtualenv whose installed packages map imports (read, never run)."),
    ] = None,
    fix: Annotated[bool, Option("--fix", help="Apply safe fixes, then report what is left.")] = False,
    unsafe_fixes: Annotated[bool, Option("--unsafe-fixes", help="Also apply fixes marked unsafe.")] = False,
    diff: Annotated[bool, Option("--diff", help="Print the fixes as a unified diff; change nothing.")] = False,
    no_cache: Annotated[bool, Option("--no-cache", help="Do not read or write any cache (file scans, the parsed knowledge base, the module map).")] = False,
    jobs: Annotated[
        Optional[int], Option("--jobs", "-j", min=1, help="Worker processes for scanning [default: CPUs].")
    ] = None,
    quiet: Annotated[bool, Option("--quiet", "-q", help="Only the findings, one line each.")] = False,
    no_color: Annotated[bool, Option("--no-color", help="No colours (also: NO_COLOR=1).")] = False,
) -> int:
    """Lint the project(s) under each PATH."""
    from depcheck.run import check_command

    try:
        return check_command(
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
        sys.stderr.write(f"depcheck: error: {exc}\n")
        return ExitCode.ERROR


def rule(code: Annotated[str, Argument(help="A rule code (DC101) or knowledge-base entry id.")]) -> None:
    """Explain one rule (what it does, why, an example, the fix) or one knowledge-base entry."""
    import typer

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


def list_rules(
    output_format: Annotated[ListFormat, Option("--format", help="Listing format.")] = ListFormat.text,
) -> None:
    """List every rule and every knowledge-base entry."""
    import typer

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


# The commands by name, as Typer registers them.
_COMMANDS: Dict[str, Callable[..., Any]] = {"check": check, "rule": rule, "rules": list_rules}
_DEFAULT = "check"  # what a bare `depcheck [OPTIONS] [PATHS]...` runs, and the only one with a fast path
_TOP_LEVEL = {"--version", "--help", "-h"}


def _typer_app() -> Any:
    import typer

    app = typer.Typer(
        add_completion=False,
        no_args_is_help=False,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        help="Dependency-consistency linter for Python projects.",
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_for_typer(_root))
    for name, command in _COMMANDS.items():
        app.command(name=name)(_for_typer(command))
    return app


def _for_typer(func: Callable[..., Any]) -> Callable[..., None]:
    """`func` with Typer's `Option`/`Argument` in its annotations, and the exit code it returns raised as `typer.Exit`."""
    import inspect

    import typer

    def typer_annotation(annotation: Any) -> Any:
        metadata = getattr(annotation, "__metadata__", None)
        if metadata is None:
            return annotation
        converted = (
            getattr(typer, m.typer_name)(*m.decls, **m.settings) if isinstance(m, Option) else m for m in metadata
        )
        return Annotated[(annotation.__origin__, *converted)]

    def command(**kwargs: Any) -> None:
        code = func(**kwargs)
        if code:
            raise typer.Exit(code)

    signature = inspect.signature(func)
    parameters = [p.replace(annotation=typer_annotation(p.annotation)) for p in signature.parameters.values()]
    command.__name__, command.__qualname__, command.__doc__ = func.__name__, func.__qualname__, func.__doc__
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    command.__signature__ = signature.replace(parameters=parameters, return_annotation=None)  # type: ignore[attr-defined]
    return command


# --- the fast path: the same declarations, read without Typer -------------------------------------


class _Unsure(Exception):
    """A command line or a declaration the fast path does not fully understand: Typer decides."""


def _fast(args: List[str]) -> Optional[Callable[[], Any]]:
    """The call Typer would make for `args` (`main`'s, with the command in front), or None: let Typer run."""
    if os.environ.get("_DEPCHECK_COMPLETE"):  # a shell asks Typer to complete the command line
        return None
    try:
        if len(args) == 1:  # `depcheck --version`: an eager flag of the root runs its callback
            for _kind, declared, _default in _declarations(_root).values():
                if args[0] in declared.decls and declared.settings.get("is_eager"):
                    callback = declared.settings["callback"]
                    return lambda: callback(True)
        if args[:1] != [_DEFAULT]:  # other commands are rarely run: Typer runs them
            return None
        command = _COMMANDS[_DEFAULT]
        kwargs = _parse(command, args[1:])
    except _Unsure:
        return None
    return lambda: command(**kwargs)


def _declarations(func: Callable[..., Any]) -> Dict[str, Tuple[Any, Option, Any]]:
    """(type without Optional, declaration, default) of each parameter of `func`."""
    code = func.__code__
    names = code.co_varnames[: code.co_argcount]
    defaults = func.__defaults__ or ()
    if len(defaults) != len(names) or code.co_kwonlyargcount:  # a required or keyword-only parameter
        raise _Unsure
    found = {}
    for name, default in zip(names, defaults):
        annotation = func.__annotations__[name]
        declared = [m for m in getattr(annotation, "__metadata__", ()) if isinstance(m, Option)]
        if len(declared) != 1:
            raise _Unsure
        kind = annotation.__origin__
        arguments: Tuple[Any, ...] = getattr(kind, "__args__", ())
        if getattr(kind, "__origin__", None) is Union and len(arguments) == 2 and type(None) in arguments:
            kind = arguments[0] if arguments[1] is type(None) else arguments[1]
        found[name] = (kind, declared[0], default)
    return found


def _parse(func: Callable[..., Any], args: List[str]) -> Dict[str, Any]:
    """The keyword arguments Typer would call `func` with for `args`; `_Unsure` when in any doubt."""
    options: Dict[str, Tuple[str, Optional[Callable[[str], Any]]]] = {}  # token -> (parameter, converter; None: a flag)
    positional = None
    values = {}
    for name, (kind, declared, default) in _declarations(func).items():
        values[name] = default
        settings = set(declared.settings) - {"help"}
        if isinstance(declared, Argument):
            if declared.decls or settings or positional or kind != List[Path]:
                raise _Unsure
            positional = name
            continue
        convert: Optional[Callable[[str], Any]]
        if kind is bool and default is False and declared.decls and not settings:
            convert = None  # without declarations Typer also makes a `--no-` flag
        elif kind is int and settings <= {"min"}:
            convert = _integer(declared.settings.get("min"))
        elif kind in (str, Path) and not settings:
            convert = kind
        elif isinstance(kind, type) and issubclass(kind, Enum) and not settings:
            convert = kind
        else:
            raise _Unsure
        for token in declared.decls or ("--" + name.replace("_", "-"),):
            if not token.startswith("-") or "/" in token:
                raise _Unsure
            options[token] = (name, convert)

    given: Dict[str, Any] = {}
    paths: List[Path] = []
    rest = iter(args)
    for token in rest:
        if not token.startswith("-"):
            if positional is None or not token:
                raise _Unsure
            paths.append(Path(token))
            continue
        token, equals, inline = token.partition("=") if token.startswith("--") else (token, "", "")
        if token not in options or options[token][0] in given:  # unknown, `--`, `-`, `-qj4`, or repeated
            raise _Unsure
        name, convert = options[token]
        if convert is None:
            if equals:
                raise _Unsure
            given[name] = True
            continue
        value = inline if equals else next(rest, "")
        if not value or value.startswith("-"):  # missing, empty, or maybe meant as an option
            raise _Unsure
        try:
            given[name] = convert(value)
        except ValueError:  # not a choice, not a number
            raise _Unsure from None
    if positional is not None and paths:
        given[positional] = paths
    return {**values, **given}


def _integer(minimum: Optional[int]) -> Callable[[str], int]:
    def convert(value: str) -> int:
        if not (value.isascii() and value.isdigit()) or (value[0] == "0" and value != "0"):
            raise ValueError(value)
        number = int(value)
        if minimum is not None and number < minimum:
            raise ValueError(value)
        return number

    return convert


def _standalone(call: Callable[[], Any]) -> int:
    """Run a command as Typer's standalone mode does: Ctrl-C exits 130, a closed pipe on stdout exits 1 quietly."""
    try:
        return int(call() or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader is gone: what is still buffered, and the flush at exit, go nowhere.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (AttributeError, OSError, ValueError):  # not a real file: nothing will be flushed to it
            pass
        return 1


def main(argv: Optional[List[str]] = None) -> None:
    """Entry point: bare `depcheck [options] [paths]` means `depcheck check ...`."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] not in _COMMANDS and args[0] not in _TOP_LEVEL):
        args.insert(0, _DEFAULT)
    if argv is None:  # the process is ours
        # A run allocates much and frees little before it ends: collecting every 700 allocations
        # cost 5 ms of a 100 ms run. mypy sets the same; peak memory on 5000 files: +2%.
        gc.set_threshold(200_000, 30, 30)
    try:
        call = _fast(args)
        if call is not None:
            sys.exit(_standalone(call))
        _typer_app()(args=args, prog_name="depcheck", standalone_mode=True)
    except SystemExit:
        if argv is None:  # the process ends here: spare its exit a last collection over every object (~10 ms)
            gc.freeze()
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
