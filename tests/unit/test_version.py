"""Tests for depcheck.version: exact PEP 440 set math, checked against brute force.

`packaging` is the oracle throughout: "admits" is ``contains(v, prereleases=True)``.
The property tests draw specifier sets from small ingredients and compare every
answer with a brute-force scan over a universe of versions built from the same
ingredients; every positive answer is also checked directly (the witness or the
counterexample must really behave as claimed).
"""

from __future__ import annotations

import itertools
import os
import re
import time
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.specifiers import Specifier, SpecifierSet
from packaging.version import Version

from depcheck.version import (
    _candidates,
    _counterexample,
    _key_of,
    equivalent,
    pinned_version,
    poetry_to_pep440,
    satisfiable,
    subset,
    witness,
)

# Scale the property tests (down for a slow old `packaging`, up for a soak run);
# DEPCHECK_VERSION_RANDOM=1 draws new examples instead of the fixed ones.
EXAMPLES = int(os.environ.get("DEPCHECK_VERSION_EXAMPLES", "1500"))
FIXED = not os.environ.get("DEPCHECK_VERSION_RANDOM")


def property_settings(examples: int) -> settings:
    return settings(
        max_examples=max(examples, 20),
        deadline=None,
        derandomize=FIXED,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


def S(text: str) -> SpecifierSet:
    return SpecifierSet(text)


def admits(spec: SpecifierSet, v: Version) -> bool:
    return spec.contains(v, prereleases=True)


# --------------------------------------------------------------------------- #
# Known cases
# --------------------------------------------------------------------------- #

SATISFIABLE_CASES = [
    # (specifier sets, expected satisfiable, expected witness or None)
    (["==0.27.0", ">=0.28"], False, None),
    ([">=2,<1"], False, None),
    (["~=1.4", "==1.*"], True, "1.4"),
    (["==1.2.*", "!=1.2.*"], False, None),
    # `>1.0` excludes 1.0's post-releases (and 1.0+local); `<=1.0.post1` admits nothing above.
    ([">1.0", "<=1.0.post1"], False, None),
    ([">1.0", "<=1.0.post1.dev5"], False, None),
    ([">1.0", "<=1.1"], True, "1.0.1"),
    (["==1!2.0", ">=3"], True, "1!2.0"),
    # `<1.0` excludes 1.0's pre-releases since the bound is not one itself.
    (["<1.0", ">=1.0a1"], False, None),
    (["<1.0b1", ">=1.0a1"], True, "1.0a1"),
    (["<1.0", ">=1.0.dev0"], False, None),
    (["===foo", "===foo"], True, None),  # a literal, no Version object
    (["===foo", "===FOO"], True, None),
    (["===foo", "===bar"], False, None),
    (["===foo", ">=0"], False, None),
    (["===1.0.0", "==1"], True, "1.0.0"),
    (["===1.0", "===1.0.0"], False, None),  # equal versions, different strings
    (["===1.0.0", "<1"], False, None),
    (["==1.0", "!=1.0+abc"], True, "1.0"),
    (["==1.0+abc", "!=1.0"], False, None),
    (["==1.0+abc", ">=1.0"], True, "1.0+abc"),
    ([">1.0", "==1.0+abc"], False, None),
    (["<=1.0", "==1.0+abc"], True, "1.0+abc"),
    ([">1.0", "<1.0.1"], True, "1.0.0.1"),
    ([">1.0.post1", "<1.0.post2"], False, None),  # 1.0.post2.dev0 is a pre-release of the bound
    ([">1.0a1", "<1.0a2"], True, "1.0a2.dev0"),
    ([">=1.0", "<1.0.post0"], True, "1.0"),
    (["~=2.2.0", "!=2.2.*"], False, None),
    (["~=1.4.5", ">=1.5"], False, None),
    (["~=1.4", "<1.4"], False, None),
    ([">=1.2", "<2"], True, "1.2"),
    ([">1.0"], True, "1.1"),
    ([""], True, "0"),
    ([], True, "0"),
    (["==1.0.0"], True, "1.0.0"),
    (["<0.dev0"], False, None),
    (["<0"], False, None),
    (["<0.1"], True, "0"),
]


@pytest.mark.parametrize(
    ("specs", "expected", "expected_witness"),
    SATISFIABLE_CASES,
    ids=[" & ".join(map(repr, c[0])) or "no-specs" for c in SATISFIABLE_CASES],
)
def test_known_cases(specs: list[str], expected: bool, expected_witness: str | None) -> None:
    sets = [S(s) for s in specs]
    assert satisfiable(*sets) is expected
    found = witness(*sets)
    if expected_witness is None:
        assert found is None
    else:
        assert found is not None and str(found) == expected_witness
        assert all(admits(s, found) for s in sets)
    if not expected:  # brute force over the boundaries' neighbourhood finds nothing either
        assert not any(all(admits(s, v) for s in sets) for v in universe(sets))


SUBSET_CASES = [
    # (a, b, a subset of b, equivalent)
    (">=1.0", ">=0.5", True, False),
    (">=0.5", ">=1.0", False, False),
    ("~=1.4", ">=1.4,==1.*", True, True),
    ("~=1.4.5", ">=1.4.5,==1.4.*", True, True),
    ("==1.2.*", ">=1.2.dev0,<1.3.dev0", True, True),
    ("==1.2.*", ">=1.2,<1.3", False, False),  # 1.2.dev0
    (">1.0", ">=1.0.post0.dev0", True, False),
    (">=1.0.post0.dev0", ">1.0", False, False),  # 1.0.post0 is not >1.0
    ("<1.0", "<1.0.dev0", True, True),
    ("<=1.0", "<1.0.post0.dev0", True, True),
    ("==1.0", ">=1.0,<=1.0", True, True),
    ("==1.0+abc", "==1.0", True, False),
    ("==1.0", "!=1.0.1", True, False),
    ("!=1.0", "", True, False),
    ("", "", True, True),
    ("==2,<1", ">=5,<4", True, True),  # both empty
    ("===1.0", "==1.0", True, False),
    ("==1.0", "===1.0", False, False),
    ("===foo", "===FOO", True, True),
    ("===foo", "", True, False),
    ("===foo", ">=0", False, False),
    ("==1!1.0", ">=1", True, False),
    ("<1!0", "<2", False, False),  # 5 is below 1!0
]


@pytest.mark.parametrize(
    ("a", "b", "is_subset", "is_equivalent"),
    SUBSET_CASES,
    ids=[f"{a or 'any'} <= {b or 'any'}" for a, b, _, _ in SUBSET_CASES],
)
def test_subset_cases(a: str, b: str, is_subset: bool, is_equivalent: bool) -> None:
    assert subset(S(a), S(b)) is is_subset
    assert equivalent(S(a), S(b)) is is_equivalent
    assert equivalent(S(b), S(a)) is is_equivalent
    assert equivalent(S(a), S(a))
    example = _counterexample(_key_of((S(a),)), _key_of((S(b),)), False)
    if is_subset:
        assert example is None
    elif isinstance(example, Version):
        assert admits(S(a), example) and not admits(S(b), example)


PIN_CASES = [
    ("==1.2.3", "1.2.3"),
    ("==1.0+abc", "1.0+abc"),
    ("===1.0.0", "1.0.0"),
    ("==1.0,>=0.5", "1.0"),
    ("==1.0,!=1.0", None),
    ("==1.*", None),
    (">=1,<=1", None),
    ("===foo", None),
    ("", None),
    ("==1!2.0rc1.post3.dev4", "1!2.0rc1.post3.dev4"),
]


@pytest.mark.parametrize(("spec", "expected"), PIN_CASES, ids=[c[0] or "empty" for c in PIN_CASES])
def test_pinned_version(spec: str, expected: str | None) -> None:
    found = pinned_version(S(spec))
    assert (None if found is None else str(found)) == expected


def test_accepts_strings_and_specifiers() -> None:
    assert satisfiable(">=1", Specifier("<2"), S("!=1.5"))
    assert subset(">=1.5", Specifier(">=1"))
    assert equivalent("~=1.4", ">=1.4,==1.*")
    assert pinned_version("==3") == Version("3")


def test_prerelease_flag_is_ignored() -> None:
    # We decide existence, so an explicit prereleases=False changes nothing.
    assert satisfiable(SpecifierSet("==1.0a1", prereleases=False))
    assert witness(SpecifierSet(">=1.0a1,<1.0b1", prereleases=False)) == Version("1.0a1")
    assert not satisfiable(SpecifierSet(">=1.0a1,<1.0", prereleases=True))


def test_cached_answers_are_stable_and_fast() -> None:
    specs = [S(">=1.2.3,<2,!=1.5.*"), S("~=1.4"), S(">1.4.2,!=1.4.7")]
    first = witness(*specs)
    started = time.perf_counter()
    for _ in range(2000):
        assert witness(*specs) == first
        assert subset(specs[1], specs[0]) is False
    assert time.perf_counter() - started < 2.0


# --------------------------------------------------------------------------- #
# Property tests against brute force
# --------------------------------------------------------------------------- #

TAGS = ("a", "b", "rc")
LOCALS = (None, "abc", "1")
SUFFIXES = [
    (pre, post, dev)
    for pre in [None] + [(t, n) for t in TAGS for n in (0, 1)]
    for post in (None, 0, 1)
    for dev in (None, 0, 1)
]


def make(epoch: int, release: tuple[int, ...], pre=None, post=None, dev=None, local=None) -> str:  # type: ignore[no-untyped-def]
    text = (f"{epoch}!" if epoch else "") + ".".join(map(str, release))
    text += f"{pre[0]}{pre[1]}" if pre else ""
    text += f".post{post}" if post is not None else ""
    text += f".dev{dev}" if dev is not None else ""
    return text + (f"+{local}" if local else "")


PLAIN = tuple(Version(make(e, r)) for e in (0, 1) for n in (1, 2, 3) for r in itertools.product(range(5), repeat=n))


@lru_cache(maxsize=None)
def family(epoch: int, release: tuple[int, ...]) -> tuple[Version, ...]:
    """Every suffix and local combination of one release (189 versions)."""
    return tuple(Version(make(epoch, release, *sfx, local)) for sfx in SUFFIXES for local in LOCALS)


def universe(sets: list[SpecifierSet]) -> list[Version]:
    """Plain releases 0-4 in 1-3 parts (both epochs), every suffix and local
    variant of each release a specifier is built on (and of the release where a
    wildcard or ``~=`` range ends), and each ``===`` operand."""
    focal = set()
    extra = []
    for spec in sets:
        for s in spec:
            if s.operator == "===":
                try:
                    extra.append(Version(s.version))
                except ValueError:
                    pass
                continue
            wildcard = s.version.endswith(".*")
            v = Version(s.version[:-2] if wildcard else s.version)
            focal.add((v.epoch, trim(v.release)))
            prefix = v.release if wildcard else v.release[:-1] if s.operator == "~=" else None
            if prefix:
                focal.add((v.epoch, trim((*prefix[:-1], prefix[-1] + 1))))
    out = list(PLAIN)
    for epoch, rel in sorted(focal):
        out.extend(family(epoch, rel))
    return out + extra


def trim(release: tuple[int, ...]) -> tuple[int, ...]:
    while len(release) > 1 and release[-1] == 0:
        release = release[:-1]
    return release


releases = st.one_of(
    st.sampled_from([(1,), (1, 0), (1, 0, 0), (1, 1), (0,), (2,), (1, 0, 1), (0, 3), (2, 1)]),
    st.lists(st.integers(0, 3), min_size=1, max_size=3).map(tuple),
)
epochs = st.sampled_from((0, 0, 0, 0, 1))
pres = st.one_of(st.none(), st.tuples(st.sampled_from(TAGS), st.integers(0, 1)))
numbers = st.one_of(st.none(), st.integers(0, 1))


@st.composite
def specifiers(draw) -> str:  # type: ignore[no-untyped-def]
    op = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "~=", "===", "==*", "!=*"]))
    epoch, release = draw(epochs), draw(releases)
    if op.endswith("*"):
        return f"{op[:-1]}{make(epoch, release)}.*"
    if op == "~=" and len(release) < 2:
        release = (*release, draw(st.integers(0, 3)))
    local = draw(st.sampled_from(LOCALS)) if op in ("==", "!=", "===") else None
    text = make(epoch, release, draw(pres), draw(numbers), draw(numbers), local)
    if op == "===" and draw(st.integers(0, 9)) == 0:
        text = draw(st.sampled_from(["foo", "1.0-1", "v1.0", "1.0RC1"]))
    return op + text


specifier_sets = st.lists(specifiers(), min_size=1, max_size=3).map(lambda xs: SpecifierSet(",".join(xs)))


@property_settings(EXAMPLES)
@given(st.lists(specifier_sets, min_size=1, max_size=3))
def test_satisfiable_matches_brute_force(sets: list[SpecifierSet]) -> None:
    specs = [s for spec in sets for s in spec]
    found = witness(*sets)
    answer = satisfiable(*sets)
    if found is not None:
        assert answer
        assert all(admits(spec, found) for spec in sets), (sets, found)
    elif answer:
        # Only a literal `===` string (no Version) may be the common "version".
        texts = {s.version.lower() for s in specs}
        assert all(s.operator == "===" for s in specs) and len(texts) == 1
    brute = next((v for v in universe(sets) if all(admits(spec, v) for spec in sets)), None)
    if brute is not None:
        assert answer and found is not None, (sets, brute)
    if any(s.operator == "===" for s in specs):
        # The only Version an `===X` can admit is the one spelled X.
        for s in specs:
            if s.operator == "===" and found is not None:
                assert str(found).lower() == s.version.lower()


@property_settings(EXAMPLES // 2)
@given(specifier_sets, specifier_sets)
def test_subset_matches_brute_force(a: SpecifierSet, b: SpecifierSet) -> None:
    ka, kb = _key_of((a,)), _key_of((b,))
    is_subset, is_equivalent = subset(a, b), equivalent(a, b)
    example = _counterexample(ka, kb, False)
    assert is_subset is (example is None)
    if isinstance(example, Version):
        assert admits(a, example) and not admits(b, example), (a, b, example)
    either = _counterexample(ka, kb, True)
    assert is_equivalent is (either is None)
    if isinstance(either, Version):
        assert admits(a, either) != admits(b, either)
    assert is_equivalent is (is_subset and subset(b, a))
    for v in universe([a, b]):
        in_a, in_b = admits(a, v), admits(b, v)
        if in_a != in_b:
            assert not is_equivalent, (a, b, v)
            if in_a:
                assert not is_subset, (a, b, v)


@property_settings(EXAMPLES // 2)
@given(st.lists(specifier_sets, min_size=1, max_size=2))
def test_candidates_cover_every_type_of_version(sets: list[SpecifierSet]) -> None:
    """The heart of the proof: every version in the universe behaves, towards
    each single specifier involved, exactly like one of the candidates."""
    specs = sorted({s for spec in sets for s in spec}, key=str)
    candidates = _candidates(_key_of(sets))
    seen = {tuple(s.contains(c, prereleases=True) for s in specs) for c in candidates if isinstance(c, Version)}
    for v in universe(sets):
        pattern = tuple(s.contains(v, prereleases=True) for s in specs)
        assert pattern in seen, (specs, v, pattern)


@property_settings(EXAMPLES // 8)
@given(specifier_sets)
def test_set_is_equivalent_to_its_own_parts(a: SpecifierSet) -> None:
    assert subset(a, a) and equivalent(a, a)
    for s in a:
        assert subset(a, SpecifierSet(str(s)))


# --------------------------------------------------------------------------- #
# Poetry constraints
# --------------------------------------------------------------------------- #

POETRY_CASES = [
    ("^1.2.3", ">=1.2.3,<2.0.0"),
    ("^1.2", ">=1.2,<2.0"),
    ("^0.2.3", ">=0.2.3,<0.3.0"),
    ("^0.0.3", ">=0.0.3,<0.0.4"),
    ("^0.0", ">=0.0,<0.1"),
    ("^0", ">=0,<1"),
    ("^1", ">=1,<2"),
    ("^0.0.0", ">=0.0.0,<0.0.1"),
    ("^1.2.3.4", ">=1.2.3.4,<2.0.0.0"),
    ("^ 1.2", ">=1.2,<2.0"),
    ("^1.0.0a1", ">=1.0.0a1,<2.0.0"),
    ("^0.1.0-beta.2", ">=0.1.0b2,<0.2.0"),
    ("^1.2.3.post1", ">=1.2.3.post1,<2.0.0"),
    ("^1!1.2", ">=1!1.2,<1!2.0"),
    ("~1.2.3", ">=1.2.3,<1.3.0"),
    ("~1.2", ">=1.2,<1.3"),
    ("~1", ">=1,<2"),
    ("~0.0.1rc1", ">=0.0.1rc1,<0.1.0"),
    ("*", ""),
    ("x", ""),
    ("*.*", ""),
    (" * ", ""),
    ("1.*", "==1.*"),
    ("1.2.*", "==1.2.*"),
    ("1.2.x", "==1.2.*"),
    ("==1.2.*", "==1.2.*"),
    ("!=1.2.*", "!=1.2.*"),
    ("v1.*", "==1.*"),
    (">=3.5.*", ">=3.5"),
    ("1.2.3", "==1.2.3"),
    ("v1.2.3", "==1.2.3"),
    ("=1.2.3", "==1.2.3"),
    ("==1.2.3", "==1.2.3"),
    ("!=1.2.3", "!=1.2.3"),
    ("<>1.2.3", "!=1.2.3"),
    ("==1.0+local.1", "==1.0+local.1"),
    ("1.0-1", "==1.0.post1"),
    ("dev", "==0.0.dev0"),
    (">=1.2,<2.0", ">=1.2,<2.0"),
    (">=1.2, <2.0", ">=1.2,<2.0"),
    (">= 1.2 < 2.0", ">=1.2,<2.0"),
    (">= 1.2, < 2.0, != 1.5", ">=1.2,<2.0,!=1.5"),
    (">=1.2,", ">=1.2"),
    ("> 1.2 <= 3", ">1.2,<=3"),
    ("~=1.4", "~=1.4"),
    ("~=1.4.2", "~=1.4.2"),
    ("^1.2 !=1.5.0", ">=1.2,<2.0,!=1.5.0"),
    # Unions become the hull.
    ("^1.0 || ^2.0", ">=1.0,<3.0"),
    ("^1.0||^2.0", ">=1.0,<3.0"),
    ("^1.0 | ^2.0", ">=1.0,<3.0"),
    ("1.0 || 2.0", ">=1.0,<=2.0"),
    ("<1.0 || >=2.0", ""),
    ("~1.2 || 1.4.*", ">=1.2,<1.5"),
    (">=1.0,<1.5 || >=1.2,<1.4", ">=1.0,<1.5"),
    (">1.0 || >=1.0.post1", ">=1.0"),  # `>1.0` would drop 1.0.post1
    ("<2.0 || <=2.0a1", "<=2.0"),  # `<2.0` would drop 2.0a1
    ("==1.0+abc || 2.0", ">=1.0,<=2.0"),
    ("!=1.5 || ^2", ""),
]


@pytest.mark.parametrize(("constraint", "expected"), POETRY_CASES, ids=[c[0] for c in POETRY_CASES])
def test_poetry_to_pep440(constraint: str, expected: str) -> None:
    result = poetry_to_pep440(constraint)
    assert result == expected
    SpecifierSet(result)  # always a valid PEP 440 specifier set


def test_poetry_union_hull_contains_every_alternative() -> None:
    hull = S(poetry_to_pep440("^1.0 || ^2.0 || ~3.1"))
    for alternative in ("^1.0", "^2.0", "~3.1"):
        assert subset(S(poetry_to_pep440(alternative)), hull)
    assert not satisfiable(hull, S(">=3.2"))


POETRY_INVALID = [
    "",
    "   ",
    "abc",
    "^",
    "~",
    ">=",
    "^abc",
    "1.2,,1.3",
    "||",
    "^1 ||",
    "|| ^1",
    "==*",
    ">=*",
    "^1.0+abc",  # local versions only work with == and != in PEP 440
    ">=1.0+abc",
    "===1.0",
    "~=1",  # ~= needs two release segments
    "1.2.3 - 2.0",
    "^1.0 ^^2.0",
    ">=1.0;<2",
]


@pytest.mark.parametrize("constraint", POETRY_INVALID, ids=[repr(c) for c in POETRY_INVALID])
def test_poetry_invalid(constraint: str) -> None:
    with pytest.raises(ValueError):
        poetry_to_pep440(constraint)


def expected_poetry(op: str, epoch: int, release: tuple[int, ...], pre: str) -> str:
    """Poetry's rule, written out independently: which segment is bumped."""
    if op == "^":
        # Bump the first non-zero of major.minor.patch; if those given are all
        # zero, bump the last of them that was written.
        head = release[:3]
        nonzero = [i for i, part in enumerate(head) if part > 0]
        index = nonzero[0] if nonzero else len(head) - 1
    else:
        index = 0 if len(release) == 1 else 1
    upper = [str(p) for p in release[:index]] + [str(release[index] + 1)] + ["0"] * (len(release) - index - 1)
    prefix = f"{epoch}!" if epoch else ""
    lower = prefix + ".".join(map(str, release)) + pre
    return f">={lower},<{prefix}{'.'.join(upper)}"


@property_settings(500)
@given(
    st.sampled_from(["^", "~"]),
    st.sampled_from([0, 0, 0, 1]),
    st.lists(st.sampled_from([0, 0, 1, 2, 7]), min_size=1, max_size=5).map(tuple),
    st.sampled_from(["", "", "a1", "b0", "rc2"]),
)
def test_poetry_caret_and_tilde_rule(op: str, epoch: int, release: tuple[int, ...], pre: str) -> None:
    written = (f"{epoch}!" if epoch else "") + ".".join(map(str, release)) + pre
    assert poetry_to_pep440(op + written) == expected_poetry(op, epoch, release, pre)


def test_poetry_caret_examples_from_docs() -> None:
    # The table in Poetry's "dependency specification" docs.
    docs = {"^1.2.3": ">=1.2.3 <2.0.0", "^1.2": ">=1.2.0 <2.0.0", "^1": ">=1.0.0 <2.0.0",
            "^0.2.3": ">=0.2.3 <0.3.0", "^0.0.3": ">=0.0.3 <0.0.4", "^0.0": ">=0.0.0 <0.1.0",
            "^0": ">=0.0.0 <1.0.0", "~1.2.3": ">=1.2.3 <1.3.0", "~1.2": ">=1.2.0 <1.3.0",
            "~1": ">=1.0.0 <2.0.0"}  # fmt: skip
    for constraint, documented in docs.items():
        ours = S(poetry_to_pep440(constraint))
        theirs = S(re.sub(r"\s+", ",", documented))
        assert equivalent(ours, theirs), constraint


@property_settings(300)
@given(st.one_of(st.text(max_size=30), st.text(alphabet="^~=<>!|,. *0123456789abrcxv+-", max_size=25)))
def test_poetry_garbage_gives_specifiers_or_value_error(text: str) -> None:
    try:
        result = poetry_to_pep440(text)
    except ValueError:
        return
    SpecifierSet(result)
