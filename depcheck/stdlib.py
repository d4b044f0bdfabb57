"""Is an imported module part of the standard library in every Python the project supports?

`tomllib` is standard from 3.11 on: a project with `requires-python = ">=3.9"`
that imports it needs `tomli` on 3.9 and 3.10, so for that project it is not
standard. `distutils` left in 3.12: for `>=3.12` it comes from setuptools.

The data: `_PY39`, the top-level standard modules of CPython 3.9 (every
platform's: the 3.9.18 interpreter's stdlib folder, lib-dynload and builtin
modules, less its test modules, plus the Windows/macOS-only names that
`sys.stdlib_module_names` of 3.10 lists), and `_CHANGES`, what each minor
version added and removed — read off the 3.6 to 3.13 interpreters
(`sys.stdlib_module_names` from 3.10) and, for 3.14, its What's New and
`Python/stdlib_module_names.h`. For the running interpreter its own
`sys.stdlib_module_names` is used. Versions older than 3.6 are taken as 3.6;
versions newer than the newest known as the newest known (or the running
interpreter's, when that is newer). Python 2 is not considered.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet

__all__ = ["is_stdlib", "stdlib_modules", "supported_minors"]

_PY39 = frozenset(
    """
    __future__ _abc _aix_support _ast _asyncio _bisect _blake2 _bootlocale _bootsubprocess _bz2 _codecs
    _codecs_cn _codecs_hk _codecs_iso2022 _codecs_jp _codecs_kr _codecs_tw _collections _collections_abc
    _compat_pickle _compression _contextvars _crypt _csv _ctypes _curses _curses_panel _datetime _dbm
    _decimal _elementtree _frozen_importlib _frozen_importlib_external _functools _gdbm _hashlib _heapq _imp
    _io _json _locale _lsprof _lzma _markupbase _md5 _msi _multibytecodec _multiprocessing _opcode _operator
    _osx_support _overlapped _peg_parser _pickle _posixshmem _posixsubprocess _py_abc _pydecimal _pyio
    _queue _random _scproxy _sha1 _sha256 _sha3 _sha512 _signal _sitebuiltins _socket _sqlite3 _sre _ssl
    _stat _statistics _string _strptime _struct _symtable _thread _threading_local _tkinter _tracemalloc
    _uuid _warnings _weakref _weakrefset _winapi _zoneinfo abc aifc antigravity argparse array ast asynchat
    asyncio asyncore atexit audioop base64 bdb binascii binhex bisect builtins bz2 cProfile calendar cgi
    cgitb chunk cmath cmd code codecs codeop collections colorsys compileall concurrent configparser
    contextlib contextvars copy copyreg crypt csv ctypes curses dataclasses datetime dbm decimal difflib dis
    distutils doctest email encodings ensurepip enum errno faulthandler fcntl filecmp fileinput fnmatch
    formatter fractions ftplib functools gc genericpath getopt getpass gettext glob graphlib grp gzip
    hashlib heapq hmac html http idlelib imaplib imghdr imp importlib inspect io ipaddress itertools json
    keyword lib2to3 linecache locale logging lzma mailbox mailcap marshal math mimetypes mmap modulefinder
    msilib msvcrt multiprocessing netrc nis nntplib nt ntpath nturl2path numbers opcode operator optparse os
    ossaudiodev parser pathlib pdb pickle pickletools pipes pkgutil platform plistlib poplib posix posixpath
    pprint profile pstats pty pwd py_compile pyclbr pydoc pydoc_data pyexpat queue quopri random re readline
    reprlib resource rlcompleter runpy sched secrets select selectors shelve shlex shutil signal site smtpd
    smtplib sndhdr socket socketserver spwd sqlite3 sre_compile sre_constants sre_parse ssl stat statistics
    string stringprep struct subprocess sunau symbol symtable sys sysconfig syslog tabnanny tarfile
    telnetlib tempfile termios textwrap this threading time timeit tkinter token tokenize trace traceback
    tracemalloc tty turtle turtledemo types typing unicodedata unittest urllib uu uuid venv warnings wave
    weakref webbrowser winreg winsound wsgiref xdrlib xml xmlrpc zipapp zipfile zipimport zlib zoneinfo
    """.split()
)

# minor -> (added, removed), each against the minor before it.
_CHANGES: dict[int, tuple[str, str]] = {
    7: ("_abc _contextvars _py_abc _queue _uuid contextvars dataclasses", "macurl2path"),
    8: ("_posixshmem _statistics", "macpath"),
    9: ("_aix_support _bootsubprocess _peg_parser _zoneinfo graphlib zoneinfo", "_dummy_thread dummy_threading"),
    10: ("", "_bootlocale _peg_parser formatter parser symbol"),
    11: ("_tokenize _typing tomllib", "binhex"),
    12: ("_pydatetime _pylong _sha2", "_bootsubprocess _sha256 _sha512 asynchat asyncore distutils imp smtpd"),
    13: (
        "_android_support _colorize _interpchannels _interpqueues _interpreters _ios_support _opcode_metadata"
        " _pyrepl _suggestions _sysconfig _wmi",
        "_crypt _msi aifc audioop cgi cgitb chunk crypt imghdr lib2to3 mailcap msilib nis nntplib ossaudiodev"
        " pipes sndhdr spwd sunau telnetlib uu xdrlib",
    ),
    14: ("_hmac _remote_debugging _zstd annotationlib compression", ""),
}
_OLDEST, _NEWEST = 6, max(_CHANGES)
_DEFAULT = (9, 10, 11, 12, 13)  # requires-python unknown: every version still in use (+ the running one)

_by_minor: dict[int, frozenset[str]] = {}
_by_spec: dict[str | None, frozenset[str]] = {}


def _running_minor() -> int | None:
    return sys.version_info[1] if hasattr(sys, "stdlib_module_names") else None


def _names(minor: int) -> frozenset[str]:
    """The top-level standard modules of Python 3.`minor`."""
    found = _by_minor.get(minor)
    if found is not None:
        return found
    if minor == _running_minor():
        found = frozenset(sys.stdlib_module_names)  # type: ignore[attr-defined,unused-ignore]
    elif minor > _NEWEST:
        found = _names(_NEWEST)
    elif minor < _OLDEST:
        found = _names(_OLDEST)
    else:
        names = set(_PY39)
        for step in range(10, minor + 1):  # forward from 3.9
            added, removed = _CHANGES[step]
            names = (names - set(removed.split())) | set(added.split())
        for step in range(9, minor, -1):  # back from 3.9
            added, removed = _CHANGES[step]
            names = (names - set(added.split())) | set(removed.split())
        found = frozenset(names)
    _by_minor[minor] = found
    return found


def supported_minors(requires_python: SpecifierSet | None) -> tuple[int, ...]:
    """Cached: this runs for every import of every file."""
    key = None if requires_python is None else str(requires_python)
    found = _minors_cache.get(key)
    if found is None:
        found = _minors_cache[key] = _supported_minors(requires_python)
    return found


_minors_cache: dict[str | None, tuple[int, ...]] = {}


def _supported_minors(requires_python: SpecifierSet | None) -> tuple[int, ...]:
    """The Python 3 minor versions `requires_python` admits, as far as the data reaches.

    A minor counts when any of its patch releases is admitted (`>=3.9.2`
    admits 3.9). Every version newer than the newest known is represented by
    the newest known; one older than 3.6 by 3.6. None, or a range that admits
    no Python 3 at all, gives the default: 3.9 to 3.13 and the running minor.
    """
    newest = max(_NEWEST, _running_minor() or 0)
    if requires_python is not None:
        found = set()
        for minor in range(newest + 1):
            if any(requires_python.contains(f"3.{minor}.{patch}", prereleases=True) for patch in range(41)):
                found.add(max(minor, _OLDEST))
        if any(requires_python.contains(f"3.{minor}.0", prereleases=True) for minor in range(newest + 1, 41)):
            found.add(newest)
        if found:
            return tuple(sorted(found))
    return tuple(sorted({*_DEFAULT, *((_running_minor(),) if _running_minor() else ())}))


def stdlib_modules(requires_python: SpecifierSet | None) -> frozenset[str]:
    """The top-level modules that are standard in every Python `requires_python` admits."""
    key = None if requires_python is None else str(requires_python)
    found = _by_spec.get(key)
    if found is None:
        minors = supported_minors(requires_python)
        found = _names(minors[0]).intersection(*(_names(m) for m in minors[1:]))
        _by_spec[key] = found
    return found


def is_stdlib(module: str, requires_python: SpecifierSet | None) -> bool:
    """Whether `module` (dotted or not; its top-level name decides) is standard in every supported Python."""
    return module.partition(".")[0] in stdlib_modules(requires_python)


def is_stdlib_for_imports(module: str, requires_python: SpecifierSet | None) -> bool:
    """Standard for an import check: in the newest supported Python.

    A module added later (`tomllib`, `zoneinfo`) counts: code imports it behind a
    version check, and no distribution provides it. A module removed later
    (`distutils`, `imp`, `cgi`) does not: the newest Python needs a distribution.
    """
    return module.partition(".")[0] in stdlib_for_imports(requires_python)


def stdlib_for_imports(requires_python: SpecifierSet | None) -> frozenset[str]:
    """The top-level names `is_stdlib_for_imports` accepts: look up once, test every import against it."""
    minors = supported_minors(requires_python)
    newest = minors[-1] if requires_python is not None else max(minors[-1], _NEWEST)
    return _names(newest)


# Python 2 modules that Python 3 renamed or dropped: code importing them sits
# behind a version check or in a fallback, and no distribution provides them.
PYTHON2 = frozenset(
    {
        "__builtin__", "urllib2", "urlparse", "httplib", "cookielib", "Cookie", "cPickle", "cStringIO", "StringIO",
        "ConfigParser", "Queue", "SocketServer", "BaseHTTPServer", "SimpleHTTPServer", "CGIHTTPServer",
        "HTMLParser", "htmlentitydefs", "Tkinter", "tkMessageBox", "thread", "dummy_thread", "commands", "sets",
        "exceptions", "md5", "sha", "xmlrpclib", "copy_reg", "anydbm", "dbhash", "whichdb", "repr", "UserDict",
        "UserList", "UserString", "robotparser", "dircache", "new", "popen2", "mimetools", "rfc822", "imputil",
        "cgi", "imp", "asynchat", "asyncore", "smtpd",
    }
)  # fmt: skip


def was_ever_stdlib(module: str) -> bool:
    """Standard in some Python, 2.7 or 3.x: never a distribution to declare."""
    return module.partition(".")[0] in _ever()


@lru_cache(maxsize=1)
def _ever() -> frozenset[str]:
    return PYTHON2.union(*(_names(minor) for minor in range(_OLDEST, _NEWEST + 1)))
