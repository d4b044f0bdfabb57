"""The text report: written without rich when rich would write the text unchanged, else by rich."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from depcheck.report import text

_STYLES = st.sampled_from(["", "bold", "blue", "bold red", "bold green", "dim"])
# Mostly printable text (the plain path), some of anything (the rich path).
_PRINTABLE = st.one_of(
    st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs")), st.just(" ")
)
_TEXT = st.one_of(st.text(_PRINTABLE), st.text())
_LINES = st.lists(st.lists(st.tuples(_TEXT, _STYLES), max_size=5), max_size=6)


@given(_LINES)
def test_plain_writes_what_rich_writes_without_colours(lines: list[list[tuple[str, str]]]) -> None:
    plain = text._plain(lines)
    if plain is not None:
        assert plain == text._rich(lines, color=False)


def test_rich_takes_tabs_and_control_characters() -> None:
    for odd in ("a\tb", "a\rb", "bell\x07", "esc\x1b[31m", "two\nlines", "\u2028"):
        assert text._plain([[("x | ", "blue"), (odd, "")]]) is None
    assert (
        text._plain([[("x | ", "blue"), ("psycopg[binary]>=3 é 漢字 ok", "")], []])
        == "x | psycopg[binary]>=3 é 漢字 ok\n\n"
    )
