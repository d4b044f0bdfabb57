"""Reading the project's own code: what it imports and which drivers it names in strings.

Value objects shared by the scanner (depcheck.scan.imports / .strings), the
module map (depcheck.modules) and the usage checks (depcheck.checks.usage,
depcheck.checks.companions).
"""

from __future__ import annotations

from typing import NamedTuple

from depcheck.model import Problem


class Import(NamedTuple):
    """One imported module, where it is imported.

    `module` is the absolute dotted name as written (`sqlalchemy.ext.asyncio`);
    for `from x import a, b`, `module` is `x` and `names` is `("a", "b")`.
    A relative import (`from . import y`, `from ..pkg import z`) has `level` > 0
    and `module` as written after the dots ("" for `from . import y`).

    A NamedTuple, like `StringHit`: a large repository has tens of thousands,
    and the scan cache unpickles them three times faster than slotted dataclasses.
    """

    module: str
    line: int
    column: int
    text: str  # the source line, stripped
    names: tuple[str, ...] = ()
    level: int = 0
    type_checking: bool = False  # under `if TYPE_CHECKING:` / `if typing.TYPE_CHECKING:`
    optional: bool = False  # inside `try:` whose handlers catch ImportError/ModuleNotFoundError (or bare/Exception)
    function_level: bool = False  # inside a def (imported only when called)
    dynamic: bool = False  # importlib.import_module("x") / __import__("x") with a literal name


class StringHit(NamedTuple):
    """A string literal that names something the code needs at run time.

    kind:
      "url"            a URL with a scheme in a string: value = the scheme, lowercased
                       ("postgresql+psycopg", "redis", "amqp", "sqlite+aiosqlite")
      "setting"        a dotted path assigned to a Django ENGINE / BACKEND key or similar
                       settings string (value = the dotted path, "django.db.backends.postgresql")
      "call"           a call of interest by its name (value = "create_async_engine")
    """

    kind: str
    value: str
    line: int
    column: int
    text: str  # the source line, stripped


class FileScan(NamedTuple):
    """Everything one source file tells us (a NamedTuple: the scan cache holds one per file)."""

    path: str  # relative to the checked root, POSIX
    imports: tuple[Import, ...] = ()
    strings: tuple[StringHit, ...] = ()
    problems: tuple[Problem, ...] = ()  # unreadable / unparseable: severity info, code DC004
