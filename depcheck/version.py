"""Exact PEP 440 version-set math over `packaging.specifiers.SpecifierSet`.

What "admits" means
-------------------
A specifier set *admits* a version ``v`` when
``spec.contains(v, prereleases=True)`` is true. Pre-releases therefore count
as versions: these functions decide whether a common version *exists*, not
which version pip would pick (pip hides pre-releases unless asked for them).
The installed `packaging` is the oracle: every answer below is a statement
about what its ``contains`` says, and the method stays exact for both the
26.x range engine and the older per-operator rules, which differ in corner
cases such as ``>1.0a1`` versus ``1.0.post1`` (checked against packaging
24.2, 25.0, 26.3 and 26.4).

Arbitrary equality ``===X`` compares strings: it admits exactly the `Version`
whose ``str()`` equals ``X`` (case-insensitively). If ``X`` is not a
normalized version string (``===foo``, ``===v1.0``), no `Version` object
matches; we still let the literal string ``X`` count as an admitted version
of a set whose every specifier is ``===X`` (two ``===foo`` pins agree, a
legacy version can exist), and any other operator rejects it. In that case
`satisfiable` is true while `witness` is ``None``. The empty set admits
everything.

Method (why it is exact)
------------------------
Each version is read as a path of atoms, compared lexicographically::

    epoch, release[0], ..., release[-1] (trailing zeros trimmed), END,
    A = dev-only | (pre tag, n) | final,  B = post,  C = dev,  D = local

Every specifier predicate (both packaging generations) is a boolean function
of (1) how the path compares lexicographically with a finite set of
*constants* — the specifier's version plus the points its bounds are built
from (``V.dev0`` for ``<V``, ``V.dev(N+1)``/``V.post(N+1).dev0`` for ``>V``,
``P.dev0``/``next(P).dev0`` for ``==P.*``, ``!=P.*`` and ``~=``); (2) whether
the pre/post/dev/local parts are absent (``is_prerelease``,
``is_postrelease``, "has a local label"); and (3) equality of local labels,
which specifiers never order. Old packaging's extra rules (``>V`` drops
post/local versions of V's release, ``<V`` drops its pre-releases) only use
(2) together with "same release as V", a prefix equality.

So put all constants of all the specifiers in a trie. Any version ``w``
leaves the trie at a first position ``i`` where its atom is none of the
constants' atoms under the same prefix; it lies in a *gap* between two
consecutive atoms there. A version ``w'`` with the same prefix, an atom in the
same gap, and the same absent/present pattern in the parts after ``i``
compares with every constant exactly as ``w`` does, so every specifier treats
both alike. (When ``i`` is inside the release, ``w`` shares its release with
no constant and the absent/present pattern is irrelevant, so one plain
completion is enough; local labels outside the constants behave alike, so one
fresh label stands for all.) We enumerate one such representative per trie
node and gap, plus each constant itself: O(total atoms) candidates. A set of
specifiers has a common version iff some candidate is admitted by all of
them, and ``a`` is a subset of ``b`` iff no candidate is admitted by ``a`` and
rejected by ``b`` — for any Boolean combination, the candidates cover every
type of version. ``===`` strings are handled beside the trie: ``Version(X)``
(or the literal) is a candidate, and the trie's candidates are padded with
``.0`` until their text matches no ``===`` string (padding changes the text,
never the ordering key). The test-suite checks all of this with Hypothesis
against brute force over a universe of versions.

Each answer is cached by the specifiers' text, so repeated pairs are free; a
fresh question costs one candidate pass, about linear in the number of
specifiers times their lengths.

Poetry constraints
------------------
`poetry_to_pep440` translates Poetry's constraint syntax (``^``, ``~``,
``*``/``x`` wildcards, bare versions, inequalities separated by commas or
spaces, ``||``). A union cannot be one PEP 440 specifier set, so for ``||`` it
returns the hull — the tightest single range containing every alternative.
That over-approximates: answers are exact only for single alternatives.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Iterator, List, Optional, Tuple, Union

from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
from packaging.version import InvalidVersion, Version

__all__ = [
    "equivalent",
    "pinned_version",
    "poetry_to_pep440",
    "satisfiable",
    "subset",
    "witness",
]

SpecLike = Union[SpecifierSet, Specifier, str]
_Pair = Tuple[str, str]  # (operator, version text) of one specifier
_Key = Tuple[_Pair, ...]  # sorted, de-duplicated pairs: the cache key
_Item = Union[Version, str]  # a candidate: a Version, or a literal `===` string

# --------------------------------------------------------------------------- #
# Public API
# --------------------------------------------------------------------------- #


def satisfiable(*specs: SpecLike) -> bool:
    """True when some version is admitted by every one of ``specs``."""
    return _solve(_key_of(specs)) is not None


def witness(*specs: SpecLike) -> Version | None:
    """A version admitted by every one of ``specs``, or ``None``.

    Deterministic. Prefers a plain release (no pre/post/dev/local part) and,
    among those, the smallest candidate. ``None`` also when the only common
    "version" is a literal ``===`` string that is not a `Version`.
    """
    found = _solve(_key_of(specs))
    return found if isinstance(found, Version) else None


def subset(a: SpecLike, b: SpecLike) -> bool:
    """True when every version admitted by ``a`` is admitted by ``b``."""
    return _counterexample(_key_of((a,)), _key_of((b,)), False) is None


def equivalent(a: SpecLike, b: SpecLike) -> bool:
    """True when ``a`` and ``b`` admit exactly the same versions."""
    return _counterexample(_key_of((a,)), _key_of((b,)), True) is None


def pinned_version(spec: SpecLike) -> Version | None:
    """The version of an ``==X`` / ``===X`` pin (no wildcard) in ``spec``.

    ``None`` when the set has no such pin, when the pinned version is not
    admitted by the rest of the set (``==1.0,!=1.0``), or for ``===X`` whose
    ``X`` is not a normalized version string. ``==1.0`` also admits local
    versions such as ``1.0+abc``; the pinned version is still ``1.0``.
    """
    pairs = _key_of((spec,))
    specs = _specifiers(pairs)
    for op, text in pairs:
        if op == "==" and not text.endswith(".*"):
            version: Version | None = _parse(text)
        elif op == "===":
            version = _arbitrary_version(text.lower())
        else:
            continue
        if version is not None and _admits(specs, version):
            return version
    return None


# --------------------------------------------------------------------------- #
# Input normalisation and membership
# --------------------------------------------------------------------------- #


def _key_of(specs: Iterable[SpecLike]) -> _Key:
    pairs = set()
    for spec in specs:
        if isinstance(spec, str):
            spec = SpecifierSet(spec)
        items = (spec,) if isinstance(spec, Specifier) else spec
        for item in items:
            pairs.add((item.operator, item.version))
    return tuple(sorted(pairs))


@lru_cache(maxsize=4096)
def _specifier(op: str, text: str) -> Specifier:
    return Specifier(op + text)


def _specifiers(pairs: _Key) -> tuple[Specifier, ...]:
    return tuple(_specifier(op, text) for op, text in pairs)


def _admits(specs: tuple[Specifier, ...], item: _Item) -> bool:
    if isinstance(item, str):  # a literal `===` string that is no Version
        return all(s.operator == "===" and s.version.lower() == item for s in specs)
    return all(s.contains(item, prereleases=True) for s in specs)


def _parse(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _arbitrary_version(lowered: str) -> Version | None:
    """The Version whose text is ``lowered`` (an ``===`` operand), if any."""
    version = _parse(lowered)
    if version is not None and str(version).lower() == lowered:
        return version
    return None


# --------------------------------------------------------------------------- #
# Solving
# --------------------------------------------------------------------------- #


@lru_cache(maxsize=8192)
def _solve(pairs: _Key) -> _Item | None:
    specs = _specifiers(pairs)
    if any(op == "===" for op, _ in pairs):
        # Only the `===` operand itself can pass an `===` specifier.
        items: Iterable[_Item] = _arbitrary_items(pairs)
    else:
        items = _candidates(pairs)
    for item in items:
        if _admits(specs, item):
            return item
    return None


@lru_cache(maxsize=8192)
def _counterexample(a: _Key, b: _Key, both_ways: bool) -> _Item | None:
    """An item admitted by ``a`` but not ``b`` (or, both ways, by exactly one)."""
    sa, sb = _specifiers(a), _specifiers(b)
    for item in _candidates(tuple(sorted(set(a) | set(b)))):
        in_a = _admits(sa, item)
        if in_a != _admits(sb, item) and (in_a or both_ways):
            return item
    return None


def _arbitrary_items(pairs: _Key) -> list[_Item]:
    items: list[_Item] = []
    for lowered in sorted({text.lower() for op, text in pairs if op == "==="}):
        version = _arbitrary_version(lowered)
        items.append(lowered if version is None else version)
    return items


# --------------------------------------------------------------------------- #
# Candidate generation (see the module docstring for the argument)
# --------------------------------------------------------------------------- #

_END = -1  # release atom after the last (trimmed) component
_INF = float("inf")  # dev atom of "no dev part" (sorts after every dev number)
_DEVONLY = (0,)  # A atom: a dev release without pre or post (sorts first)
_FINAL = (2,)  # A atom: no pre-release tag, not dev-only (sorts last)
_TAGS = ("a", "b", "rc")

# Candidate parts: epoch, release, pre, post, dev, local.
_Parts = Tuple[int, Tuple[int, ...], Optional[Tuple[str, int]], Optional[int], Optional[int], Optional[str]]


class _Const:
    """A constant's atoms, with the release as written (for nicer output)."""

    __slots__ = ("a", "b", "c", "d", "epoch", "release", "trimmed")

    def __init__(self, v: Version) -> None:
        self.epoch = v.epoch
        self.release = v.release
        trimmed = list(v.release)
        while len(trimmed) > 1 and trimmed[-1] == 0:
            trimmed.pop()
        self.trimmed = tuple(trimmed)
        self.a: tuple[int, ...]
        if v.pre is None:
            self.a = _DEVONLY if (v.post is None and v.dev is not None) else _FINAL
        else:
            self.a = (1, _TAGS.index(v.pre[0]), v.pre[1])
        self.b = -1 if v.post is None else v.post
        self.c = _INF if v.dev is None else v.dev
        self.d = v.local

    def release_atom(self, i: int) -> int:
        return self.trimmed[i] if i < len(self.trimmed) else _END


@lru_cache(maxsize=65536)
def _build(epoch: int, release: tuple[int, ...], pre=None, post=None, dev=None, local=None) -> Version:  # type: ignore[no-untyped-def]
    text = (f"{epoch}!" if epoch else "") + ".".join(map(str, release))
    if pre is not None:
        text += f"{pre[0]}{pre[1]}"
    if post is not None:
        text += f".post{post}"
    if dev is not None:
        text += f".dev{dev}"
    if local is not None:
        text += f"+{local}"
    return Version(text)


def _next_prefix(epoch: int, release: tuple[int, ...], dev: int | None = 0) -> Version:
    """``1.2`` -> ``1.3.dev0``: where ``==1.2.*`` ends (``dev=None``: ``1.3``)."""
    return _build(epoch, (*release[:-1], release[-1] + 1), dev=dev)


def _constants(op: str, text: str) -> list[Version]:
    """The points that one specifier's admitted set is built from."""
    if text.endswith(".*"):
        base = Version(text[:-2])
        return [_build(base.epoch, base.release, dev=0), _next_prefix(base.epoch, base.release)]
    v = Version(text)
    out = [v]
    if op == "<" and not v.is_prerelease:
        out.append(_build(v.epoch, v.release, v.pre, v.post, 0))
    elif op == ">":
        if v.dev is not None:
            out.append(_build(v.epoch, v.release, v.pre, v.post, v.dev + 1))
        elif v.post is not None:
            out.append(_build(v.epoch, v.release, v.pre, v.post + 1, 0))
    elif op == "~=":
        prefix = v.release[:-1]
        out.append(_build(v.epoch, prefix, dev=0))
        out.append(_next_prefix(v.epoch, prefix))
    return out


def _int_gaps(values: list[int], nice: bool = False) -> list[int]:
    """One integer >= 0 from each maximal run of integers missing from ``values``.

    ``values`` is sorted. With ``nice``, a run holding 0 and 1 yields 1.
    """
    reps = []
    low = 0
    for value in values:
        if value > low:
            reps.append(1 if nice and low == 0 and value > 1 else low)
        low = value + 1
    reps.append(1 if nice and low == 0 else low)
    return reps


def _tag_gaps(values: list[tuple[int, ...]]) -> list[tuple[str, int]]:
    """One pre-release tag from each run of tags missing from ``values``."""
    reps = []
    low = (0, 0)  # (tag rank, number): the smallest tag not yet covered
    for _, rank, number in values:
        if (rank, number) > low:
            reps.append((_TAGS[low[0]], low[1]))
        low = (rank, number + 1)
    reps.append((_TAGS[low[0]], low[1]))
    return reps


def _fresh_label(taken: Iterable[str | None]) -> str:
    taken = set(taken)
    label, n = "local", 0
    while label in taken:
        label, n = f"local{n}", n + 1
    return label


def _candidates(pairs: _Key) -> Iterator[_Item]:
    """Representatives of every type of version, best witness first, built lazily."""
    yield from _arbitrary_items(pairs)
    arbitrary = {text.lower() for op, text in pairs if op == "==="}
    for epoch, release, pre, post, dev, local in _candidate_parts(pairs):
        v = _build(epoch, release, pre, post, dev, local)
        while arbitrary and str(v).lower() in arbitrary:  # same key, other text
            release = (*release, 0)
            v = _build(epoch, release, pre, post, dev, local)
        yield v


@lru_cache(maxsize=8192)
def _candidate_parts(pairs: _Key) -> tuple[_Parts, ...]:
    consts: dict[str, _Const] = {}
    for op, text in pairs:
        if op != "===":
            for v in _constants(op, text):
                consts.setdefault(str(v), _Const(v))
    parts: list[_Parts] = []
    _explore_epochs(sorted(consts.values(), key=lambda c: (c.epoch, c.release, str(c.d))), parts)
    return tuple(sorted(set(parts), key=_preference))


def _preference(parts: _Parts) -> tuple:  # type: ignore[type-arg]
    """Plain releases first, then (roughly) ascending version order."""
    epoch, release, pre, post, dev, local = parts
    trimmed = list(release)
    while len(trimmed) > 1 and trimmed[-1] == 0:
        trimmed.pop()
    if pre is not None:
        a: tuple[int, ...] = (1, _TAGS.index(pre[0]), pre[1])
    else:
        a = _DEVONLY if (post is None and dev is not None) else _FINAL
    plain = pre is None and post is None and dev is None and local is None
    return (
        not plain, epoch, tuple(trimmed), a, -1 if post is None else post,
        _INF if dev is None else dev, local is not None, local or "", release,
    )  # fmt: skip


def _explore_epochs(consts: list[_Const], out: list[_Parts]) -> None:
    epochs = sorted({c.epoch for c in consts})
    for epoch in _int_gaps(epochs):
        out.append((epoch, (0,), None, None, None, None))
    for epoch in epochs:
        _explore_release(epoch, (), [c for c in consts if c.epoch == epoch], out)


def _explore_release(epoch: int, prefix: tuple[int, ...], consts: list[_Const], out: list[_Parts]) -> None:
    i = len(prefix)
    atoms = sorted({c.release_atom(i) for c in consts})
    numbers = [a for a in atoms if a != _END]
    for n in _int_gaps(numbers, nice=i > 0):
        # A trailing 0 would be trimmed away; 0 then 1 stays in the same gap.
        out.append((epoch, (*prefix, n) if n or i == 0 else (*prefix, 0, 1), None, None, None, None))
    if i > 0 and _END not in atoms and (prefix[-1] != 0 or i == 1):  # (0,) is a release
        out.append((epoch, prefix, None, None, None, None))
    for n in numbers:
        _explore_release(epoch, (*prefix, n), [c for c in consts if c.release_atom(i) == n], out)
    if _END in atoms:
        _explore_suffix(epoch, [c for c in consts if len(c.trimmed) == i], out)


def _explore_suffix(epoch: int, consts: list[_Const], out: list[_Parts]) -> None:
    release = consts[0].release  # every constant here has this release (trimmed)
    fresh = _fresh_label(())

    def emit(pre, posts, devs, locals_) -> None:  # type: ignore[no-untyped-def]
        for post in posts:
            for dev in devs:
                if pre is None and post is None and dev is not None:
                    continue  # that would be a dev-only release, not "final"
                for local in locals_:
                    out.append((epoch, release, pre, post, dev, local))

    both_locals = (None, fresh)
    # Level A: dev-only / pre-release tag / final.
    a_atoms = sorted({c.a for c in consts})
    if _DEVONLY not in a_atoms:
        for local in both_locals:
            out.append((epoch, release, None, None, 0, local))
    if _FINAL not in a_atoms:
        emit(None, (None, 0), (None, 0), both_locals)
    for tag in _tag_gaps([a for a in a_atoms if a[0] == 1]):
        emit(tag, (None, 0), (None, 0), both_locals)
    for a in a_atoms:
        pre = (_TAGS[a[1]], a[2]) if a[0] == 1 else None
        on_a = [c for c in consts if c.a == a]
        # Level B: post number (-1: none).
        b_atoms = sorted({c.b for c in on_a})
        if a != _DEVONLY:
            if -1 not in b_atoms:
                emit(pre, (None,), (None,) if a == _FINAL else (None, 0), both_locals)
            for gap_post in _int_gaps([b for b in b_atoms if b >= 0]):
                emit(pre, (gap_post,), (None, 0), both_locals)
        for b in b_atoms:
            post: int | None = None if b == -1 else b
            on_b = [c for c in on_a if c.b == b]
            # Level C: dev number (_INF: none).
            c_atoms = sorted({c.c for c in on_b})
            allow_none = a != _DEVONLY
            allow_number = not (a == _FINAL and post is None)
            if allow_none and _INF not in c_atoms:
                emit(pre, (post,), (None,), both_locals)
            if allow_number:
                for gap_dev in _int_gaps([int(c) for c in c_atoms if c != _INF]):
                    out.append((epoch, release, pre, post, gap_dev, None))
                    out.append((epoch, release, pre, post, gap_dev, fresh))
            for c_atom in c_atoms:
                dev: int | None = None if c_atom == _INF else int(c_atom)
                # Level D: local label, compared only for equality.
                labels = {c.d for c in on_b if c.c == c_atom}
                for local in sorted(labels | {None, _fresh_label(labels)}, key=lambda x: (x is not None, x or "")):
                    out.append((epoch, release, pre, post, dev, local))


# --------------------------------------------------------------------------- #
# Poetry constraints
# --------------------------------------------------------------------------- #

_ANY_RE = re.compile(r"v?[xX*](?:\.[xX*])*")
_X_RANGE_RE = re.compile(r"v?(\d+(?:\.\d+)*)((?:\.[xX*])+)")
_CLAUSE_RE = re.compile(
    r"\s*(?P<op>\^|~=|~|===|==|!=|<>|<=|>=|<|>|=)?\s*(?P<version>[A-Za-z0-9.*+!_-]+)\s*(?P<sep>,|(?=\s)|$)"
)
_Bound = Optional[Tuple[Version, bool]]  # (version, inclusive); None: unbounded


def poetry_to_pep440(constraint: str) -> str:
    """Translate a Poetry version constraint into a PEP 440 specifier string.

    ``^1.2.3`` -> ``>=1.2.3,<2.0.0``; ``~1.2`` -> ``>=1.2,<1.3``; ``*`` -> ``""``
    (any version); ``1.2.*`` -> ``==1.2.*``; ``1.2.3`` -> ``==1.2.3``;
    ``>= 1.2 < 2.0`` -> ``>=1.2,<2.0``; ``~=`` passes through. For a union
    (``^1.0 || ^2.0``) the result is the hull ``>=1.0,<3.0``: the tightest
    single range holding every alternative, an over-approximation. Raises
    `ValueError` for anything that is not a valid Poetry constraint.
    """
    if not isinstance(constraint, str):
        raise ValueError(f"not a constraint: {constraint!r}")
    alternatives = [alt.strip().rstrip(",").strip() for alt in re.split(r"\|\|?", constraint.strip())]
    if any(not alt for alt in alternatives):
        raise ValueError(f"invalid Poetry constraint: {constraint!r}")
    translated = [_translate_alternative(alt, constraint) for alt in alternatives]
    for specs in translated:
        _validate(",".join(specs), constraint)
    if len(translated) == 1:
        return ",".join(translated[0])
    return _validate(_hull(translated), constraint)


def _validate(result: str, original: str) -> str:
    try:
        SpecifierSet(result)
    except InvalidSpecifier:
        raise ValueError(f"invalid Poetry constraint: {original!r}") from None
    return result


def _translate_alternative(text: str, original: str) -> List[str]:
    """PEP 440 specifiers for one ``,``/space-separated conjunction."""
    out: List[str] = []
    pos = 0
    while pos < len(text):
        m = _CLAUSE_RE.match(text, pos)
        if m is None or m.end() == pos:
            raise ValueError(f"invalid Poetry constraint: {original!r}")
        out.extend(_translate_clause(m.group("op"), m.group("version"), original))
        pos = m.end()
    return out


def _poetry_version(text: str, original: str) -> Version:
    version = _parse(text)
    if version is None:
        raise ValueError(f"invalid version {text!r} in Poetry constraint {original!r}")
    return version


def _bump(v: Version, index: int) -> str:
    """Poetry's next_major/minor/patch of ``v.stable``: bump ``release[index]``.

    Keeps the written precision (``^1.2.3`` -> ``2.0.0``), pads up to ``index``
    and zeroes what follows; drops pre/post/dev/local, keeps the epoch.
    """
    release = list(v.release) + [0] * (index + 1 - len(v.release))
    release[index] += 1
    release[index + 1 :] = [0] * (len(release) - index - 1)
    return str(_build(v.epoch, tuple(release)))


def _translate_clause(op: str | None, text: str, original: str) -> List[str]:
    if _ANY_RE.fullmatch(text):
        if op is not None:
            raise ValueError(f"invalid Poetry constraint: {original!r}")
        return []
    m = _X_RANGE_RE.fullmatch(text)
    if m is not None:
        if op in (None, "==", "=", "!=", "<>"):
            negate = op in ("!=", "<>")
            return [("!=" if negate else "==") + m.group(1) + ".*"]
        text = m.group(1)  # `>=1.2.*`: Poetry ignores the wildcard
    if op == "~=":
        return ["~=" + text]
    if text.lower() == "dev" and op not in ("^", "~"):
        text = "0.0.dev0"
    v = _poetry_version(text, original)
    if op == "^":
        major = v.release[0]
        minor = v.release[1] if len(v.release) > 1 else None
        patch = v.release[2] if len(v.release) > 2 else None
        if major > 0 or minor is None:
            index = 0
        elif minor > 0 or patch is None:
            index = 1
        else:
            index = 2
        return [f">={v}", f"<{_bump(v, index)}"]
    if op == "~":
        return [f">={v}", f"<{_bump(v, 0 if len(v.release) == 1 else 1)}"]
    if op in (None, "=", "=="):
        return [f"=={v}"]
    if op == "<>":
        op = "!="
    if op == "===":
        raise ValueError(f"invalid Poetry constraint: {original!r}")
    return [f"{op}{v}"]


def _bounds(specs: List[str]) -> tuple[_Bound, _Bound]:
    """The lower and upper bound of one translated alternative (Poetry meaning)."""
    lower: _Bound = None
    upper: _Bound = None

    def tighten_lower(bound: tuple[Version, bool]) -> None:
        nonlocal lower
        if lower is None or (bound[0], not bound[1]) > (lower[0], not lower[1]):
            lower = bound

    def tighten_upper(bound: tuple[Version, bool]) -> None:
        nonlocal upper
        if upper is None or (bound[0], bound[1]) < (upper[0], upper[1]):
            upper = bound

    for text in specs:
        spec = Specifier(text)
        op, ver = spec.operator, spec.version
        if ver.endswith(".*"):
            if op == "==":
                base = Version(ver[:-2])
                tighten_lower((base, True))
                tighten_upper((_next_prefix(base.epoch, base.release, None), False))
            continue
        v = Version(Version(ver).public)  # a bound cannot carry `+local`
        if op in (">=", "~=", "=="):
            tighten_lower((v, True))
        elif op == ">":
            tighten_lower((v, False))
        if op in ("<=", "=="):
            tighten_upper((v, True))
        elif op == "<":
            tighten_upper((v, False))
        elif op == "~=":
            tighten_upper((_next_prefix(v.epoch, v.release[:-1], None), False))
    return lower, upper


def _hull(alternatives: List[List[str]]) -> str:
    lowers, uppers = zip(*(_bounds(alt) for alt in alternatives))
    lower: _Bound = None
    upper: _Bound = None
    if all(b is not None for b in lowers):
        lower = min(lowers, key=lambda b: (b[0], not b[1]))  # type: ignore[index]
    if all(b is not None for b in uppers):
        upper = max(uppers, key=lambda b: (b[0], b[1]))  # type: ignore[index]
    for inclusive_only in (False, True):
        parts = []
        if lower is not None:
            parts.append((">=" if lower[1] or inclusive_only else ">") + str(lower[0]))
        if upper is not None:
            parts.append(("<=" if upper[1] or inclusive_only else "<") + str(upper[0]))
        hull = ",".join(parts)
        # An exclusive bound drops its neighbours' post/pre-releases
        # (`>1.0` rejects `1.0.post1`); fall back to inclusive ones (always a
        # superset) if an alternative would stick out.
        if all(subset(_poetry_meaning(alt), SpecifierSet(hull)) for alt in alternatives):
            return hull
    return hull


def _poetry_meaning(specs: List[str]) -> SpecifierSet:
    """An alternative as Poetry reads it: ``1.2.*`` is ``>=1.2,<1.3``."""
    out = []
    for text in specs:
        spec = Specifier(text)
        if spec.operator == "==" and spec.version.endswith(".*"):
            base = Version(spec.version[:-2])
            out += [f">={base}", f"<{_next_prefix(base.epoch, base.release, None)}"]
        else:
            out.append(text)
    return SpecifierSet(",".join(out))
