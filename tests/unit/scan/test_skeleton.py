"""The fast path's cut: what is kept, what is blanked, and that lines never move."""

from __future__ import annotations

import ast
from textwrap import dedent

from depcheck.scan.skeleton import skeleton
from depcheck.scan.source import scan_python

FILLER = "    x = 1\n" * 120  # a body long enough to be cut


def kept_lines(source: str, places: list[int] | None = None) -> list[int]:
    cut = skeleton(source, places)
    assert cut is not None
    ast.parse(cut)
    lines, original = cut.split("\n"), source.split("\n")
    kept = [n for n, line in enumerate(lines, 1) if line.strip()]
    assert all(lines[n - 1] == original[n - 1] for n in kept)  # lines never move (nothing follows the last)
    return kept


def test_only_statements_holding_an_import_are_kept() -> None:
    source = "import a\nx = 1\n\ndef f():\n    return 2\nfrom b import c\n"
    assert kept_lines(source) == [1, 6]


def test_no_import_outside_strings_and_comments_keeps_nothing() -> None:
    assert skeleton('"""\nimport a\n"""\n# import b\nx = "import c"\n') == ""


def test_a_long_class_keeps_its_header_and_the_method_that_imports() -> None:
    source = "class C(Base):\n" + FILLER + "    def m(self):\n        import a\n" + FILLER
    assert kept_lines(source) == [1, 122, 123]


def test_a_long_def_whose_header_is_wanted_gets_a_pass_body() -> None:
    source = '@route("redis://h")\ndef view():\n' + FILLER
    at = source.index("redis")
    cut = skeleton(source, [at])
    assert cut is not None
    assert cut.split("\n")[:3] == ['@route("redis://h")', "def view():", "    pass"]


def test_a_long_with_keeps_its_header_and_wanted_body() -> None:
    source = "def f():\n    with suppress(ImportError):\n" + FILLER.replace("    ", "        ") + "        import a\n"
    assert kept_lines(source)[:2] == [1, 2]
    [item] = scan_python("m.py", source).imports
    assert (item.module, item.line, item.optional, item.function_level) == ("a", 123, True, True)


def test_a_decorator_stays_with_what_it_decorates() -> None:
    source = dedent(
        """\
        @decorate(
            "x",
        )
        def f():
            import a
        y = 2
        """
    )
    assert kept_lines(source) == [1, 2, 3, 4, 5]


def test_clauses_stay_with_their_statement() -> None:
    source = "try:\n    import a\nexcept ImportError:\n    a = None\nelse:\n    b = 1\nz = 3\n"
    assert kept_lines(source) == [1, 2, 3, 4, 5, 6]
    [item] = scan_python("m.py", source).imports
    assert item.optional


def test_a_line_inside_brackets_or_after_a_backslash_starts_nothing() -> None:
    source = "x = [\nimport_a,\n]\ny = 1 + \\\n2\nimport b\n"
    assert kept_lines(source) == [6]
