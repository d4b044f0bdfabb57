"""Build `rules/modules/modules.tsv`: which distributions provide which import names.

depcheck maps `import PIL` to `Pillow` without an installed environment by
looking the module up in this table (see depcheck/modules.py and the
"Module map" section of rules/README.md). This script is the only part of
depcheck that uses the network.

What it does, for each distribution:
1. asks PyPI's JSON API (`/pypi/<name>/json`) for the newest release that
   has a wheel (a pure `py3-none-any` wheel first, then a manylinux x86_64
   one, then any); a distribution with sdists only is skipped and listed
   under "skipped" in the log;
2. reads only the wheel's zip directory, with HTTP range requests (a few KB
   per wheel, even for torch) — the file list is what the wheel's RECORD
   lists, so RECORD itself is not needed — plus any top-level `.pth` file
   (pywin32's puts `win32/` and `win32/lib/` on sys.path: `win32api`).
   top_level.txt is not used: it names `google` for every google-* wheel,
   and wheels built by hatch, flit, poetry or maturin do not have it;
3. turns the file lists into import names with
   `depcheck.modules.importable_names` (the same code reads installed
   environments): top-level modules and packages, and for namespace packages
   the dotted prefix (`google/cloud/storage/...` without `google/__init__.py`
   gives `google.cloud.storage`). A folder with only subpackages and no or a
   small (<= 1 KB) `__init__.py` is a namespace when other wheels ship it
   with other subpackages (pkgutil style, `azure/__init__.py`); one that
   wheels ship with the same layout (`tf-keras`, `tf-keras-nightly`), or that
   only one wheel of the sample ships (`Cryptodome`), is a package. Names
   wheels ship by accident (`tests`, `docs`, `setup`, `utils`...), private
   parts of dotted names (`google.cloud._storage`) and mypyc's runtime
   modules are left out;
4. gives a distribution whose wheel has nothing but metadata and exactly one
   unconditional requirement (`python-Levenshtein` -> `Levenshtein`) the names
   of that requirement: declaring the alias installs them;
5. adds `SUPPLEMENT`: names no newest wheel shows (`pkg_resources`: the
   setuptools 84 wheel has none) and sdist-only distributions (`gi` ->
   `pygobject`).

The table keeps only the rows depcheck cannot guess: a module whose providers
are not exactly the distribution of the same canonical name (`yaml` ->
`pyyaml`; `psycopg2` -> `psycopg2`, `psycopg2-binary`), every dotted
(namespace) name, and every name of a distribution that provides several.
Providers are listed most downloaded first, so the first is the one to
suggest. Lines: `module<TAB>dist1,dist2`, sorted, canonical names; `#` lines
are comments.

Input: the `--top` best-ranked names of a ranking TSV (a header line naming a
`name` column first and a `rank...` column; the default path holds a list of
the 15,000 most downloaded PyPI distributions on this machine), plus `EXTRA`
below (well-known distributions whose import name differs, ranked lower).
Without a ranking file only `EXTRA` is used.

Usage (from the repository root):

    python scripts/build_module_map.py                 # top 1500 + EXTRA
    python scripts/build_module_map.py --top 3000 --jobs 16
    python scripts/build_module_map.py --names pillow pyyaml --out /tmp/x.tsv

Answers are cached in `--cache` (default: a file in the temp directory) so a
rerun after a crash only asks for what is missing; `--refresh` ignores it.

Last run: 2026-11-25, top 1500 + EXTRA (+ 1 alias target) = 1566
distributions, 1552 with a wheel (14 sdist-only, skipped), 782 rows, 26 KB;
160 s with 12 jobs.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, TypeVar

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from depcheck.modules import (  # noqa: E402
    identity_distribution,
    importable_names,
    payload_free,
    pth_dirs,
    resolve_aliases,
)

RANKING = Path("/work/.library/env/packages/pypi.tsv")
OUT = ROOT / "rules" / "modules" / "modules.tsv"
API = "https://pypi.org/pypi/{}/json"
SUFFIXES = (".py", ".pyc", ".so", ".pyd")
Record = dict[str, Any]  # what `fetch` learns about one distribution (JSON, cached)
T = TypeVar("T")

# Well-known distributions whose import name differs from their name, or
# variants of one, that may rank below --top. Order does not matter.
EXTRA = """
opencv-python opencv-python-headless opencv-contrib-python opencv-contrib-python-headless
pycryptodome pycryptodomex pycrypto python-levenshtein levenshtein pyusb pyserial pyzmq
python-telegram-bot python-slugify pymupdf python-docx python-pptx python-magic python-jose
python-multipart mysqlclient pymysql gitpython dnspython pyopenssl pyjwt python-dotenv
beautifulsoup4 bs4 scikit-learn scikit-image pillow pyyaml python-dateutil protobuf
psycopg2 psycopg2-binary grpcio google-cloud-storage azure-storage-blob attrs setuptools
pyside2 pyside6 pyqt5 pyqt6 pyqt6-webengine pyqtwebengine wxpython pygobject pycairo
pywin32 pywinauto pyaudio pyobjc-core python-xlib python-socketio python-engineio
python-json-logger python-decouple django-environ python-keycloak python-gnupg pypdf2
pdfminer-six py-cpuinfo pyhamcrest ruamel-yaml pysocks discord-py python-binance ta-lib
mecab-python3 pillow-heif python-ldap python-nmap pycurl pyinotify python-daemon
python-crontab python-gitlab python-jenkins pygithub python-redmine jira atlassian-python-api
msgpack-python pyjsparser pyexcel pyexcel-xlsx opensearch-py elasticsearch-dsl pymongo
motor redis hiredis kafka-python confluent-kafka pika paho-mqtt pyodbc cx-oracle oracledb
ibm-db pyhive thrift pymssql mariadb snowflake-connector-python databricks-sql-connector
google-api-python-client google-auth google-auth-oauthlib google-cloud-bigquery
google-cloud-pubsub google-cloud-firestore google-cloud-secret-manager google-generativeai
google-genai firebase-admin azure-identity azure-keyvault-secrets azure-storage-queue
azure-cosmos azure-servicebus azure-eventhub azure-mgmt-resource msal boto3 botocore
types-requests types-pyyaml types-python-dateutil typing-extensions tensorflow tensorflow-cpu
torch torchvision jax jaxlib faiss-cpu faiss-gpu sentence-transformers huggingface-hub
llama-cpp-python openai-whisper pytorch-lightning lightning tf-keras keras opencv-python-rolling
python-box python-consul python-memcached pymemcache python-snappy zstandard brotli brotlipy
pyreadline3 pyinstaller pyinstaller-hooks-contrib pyside6-essentials shiboken6 pygame pyglet
pyopengl pyvista vtk python-vlc pyttsx3 speechrecognition pydub sounddevice soundfile
pycountry pytz tzdata python-stdnum phonenumbers email-validator pyasn1 pyasn1-modules
rsa ecdsa pynacl bcrypt passlib argon2-cffi python-pam pywavelets pyerfa astropy
""".split()

# Import names the newest wheels no longer show but projects still import, and
# distributions with sdists only. Each is added to what the wheels say.
SUPPLEMENT: dict[str, tuple[str, ...]] = {
    "pkg_resources": ("setuptools",),  # not in the newest setuptools wheels; older releases provide it
    "distutils": ("setuptools",),  # Python 3.12+ has none; setuptools' _distutils_hack provides it
    "Crypto": ("pycrypto",),  # sdist only, unmaintained; pycryptodome is its drop-in
    "gi": ("pygobject",),  # sdist only
    "nmap": ("python-nmap",),  # sdist only
    "sgmllib": ("sgmllib3k",),  # sdist only
    "avro": ("avro-python3",),  # sdist only (avro itself has wheels)
    "llama_cpp": ("llama-cpp-python",),  # sdist only (built on install)
    "whisper": ("openai-whisper",),  # sdist only
    "pyhive": ("pyhive",),  # sdist only; also ships TCLIService
    "TCLIService": ("pyhive",),
}


# --- a wheel's file list through HTTP range requests --------------------------------------------


class RangeFile(io.RawIOBase):
    """A read-only, seekable view of a remote file that fetches only the byte ranges read."""

    def __init__(self, url: str, size: int) -> None:
        self.url, self.size, self.pos = url, size, 0
        self.blocks: list[tuple[int, bytes]] = []
        self.requests = 0
        tail = min(size, 256 * 1024)  # the zip directory is at the end; one request covers most wheels
        self._fetch(size - tail, tail)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        self.pos = {0: 0, 1: self.pos, 2: self.size}[whence] + offset
        return self.pos

    def readinto(self, buffer: Any) -> int:
        n = max(0, min(len(buffer), self.size - self.pos))
        if n:
            buffer[:n] = self._get(self.pos, n)
            self.pos += n
        return n

    def _get(self, start: int, n: int) -> bytes:
        for begin, data in self.blocks:
            if begin <= start and start + n <= begin + len(data):
                return data[start - begin : start - begin + n]
        return self._fetch(start, max(n, 64 * 1024))[:n]

    def _fetch(self, start: int, n: int) -> bytes:
        n = min(n, self.size - start)
        request = urllib.request.Request(self.url, headers={"Range": f"bytes={start}-{start + n - 1}"})
        data = _retry(lambda: _read(request))
        if len(data) != n:  # the server ignored Range and sent everything
            data = data[start : start + n] if len(data) == self.size else data
        self.requests += 1
        self.blocks.append((start, data))
        return data


def _read(request: urllib.request.Request | str) -> bytes:
    with urllib.request.urlopen(request, timeout=60) as response:
        data: bytes = response.read()
    return data


def _retry(call: Callable[[], T]) -> T:
    for attempt in range(4):
        try:
            return call()
        except urllib.error.HTTPError as error:
            if error.code == 404 or attempt == 3:
                raise
        except (urllib.error.URLError, OSError):
            if attempt == 3:
                raise
        time.sleep(1 + 2 * attempt)
    raise AssertionError("unreachable")


def _wheel_rank(filename: str) -> tuple[int, int]:
    """Smaller is better: pure wheels, then manylinux x86_64 (newest CPython first), then anything."""
    tags = filename[:-4].split("-")
    python, platform = tags[-3], tags[-1]
    cp = max((int(t[3:]) for t in python.split(".") if t.startswith("cp3") and t[3:].isdigit()), default=0)
    if platform == "any":
        return (0, 0)
    if "manylinux" in platform and "x86_64" in platform:
        return (1, -cp)
    if "linux" in platform:
        return (2, -cp)
    return (3, -cp)


def _pick_wheel(release: Record) -> tuple[str, Record] | None:
    """(version, file) for the newest non-yanked release that has a wheel."""
    files = release.get("urls") or []
    version = release["info"]["version"]
    candidates = [(version, files)]
    if not any(f["filename"].endswith(".whl") for f in files):

        def key(v: str) -> Version:
            try:
                return Version(v)
            except InvalidVersion:
                return Version("0")

        for other in sorted(release.get("releases", {}), key=key, reverse=True):
            if not key(other).is_prerelease:
                candidates.append((other, release["releases"][other]))
    for version, files in candidates:
        wheels = [f for f in files if f["filename"].endswith(".whl") and not f.get("yanked")]
        if wheels:
            return version, min(wheels, key=lambda f: _wheel_rank(f["filename"]))
    return None


def fetch(name: str) -> Record:
    """What one distribution's newest wheel holds: {name, version, wheel, files, requires} or {name, skipped}."""
    url = API.format(name)
    try:
        release = json.loads(_retry(lambda: _read(url)))
    except urllib.error.HTTPError as error:
        return {"name": name, "skipped": f"PyPI answered {error.code}"}
    except (urllib.error.URLError, OSError, ValueError) as error:
        return {"name": name, "skipped": f"unreachable: {error}"}
    picked = _pick_wheel(release)
    requires = []
    for text in release["info"].get("requires_dist") or ():
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue
        if requirement.marker is None:
            requires.append(canonicalize_name(requirement.name))
    if picked is None:
        return {"name": name, "skipped": "no wheel (sdist only)", "requires": requires}
    version, wheel = picked
    file_url = urllib.parse.urljoin(url, wheel["url"])
    try:
        remote = RangeFile(file_url, int(wheel["size"]))
        with zipfile.ZipFile(remote) as archive:
            infos = archive.infolist()
            pth = [
                archive.read(i).decode("utf-8", "replace")
                for i in infos
                if i.filename.endswith(".pth") and "/" not in i.filename
            ]
    except (zipfile.BadZipFile, urllib.error.URLError, OSError, ValueError) as error:
        return {"name": name, "skipped": f"unreadable wheel {wheel['filename']}: {error}"}
    # Modules (with the size of each __init__.py, which tells a namespace's from a package's), and
    # the folders other files are in (they show which distributions share a namespace folder).
    files = [
        [info.filename, info.file_size if info.filename.endswith(("/__init__.py", "/__init__.pyc")) else -1]
        for info in infos
        if info.filename.endswith(SUFFIXES) and "__pycache__" not in info.filename
    ]
    folders = {"/".join(i.filename.split("/")[:-1][:5]) + "/" for i in infos if not i.filename.endswith(SUFFIXES)}
    files += [[folder, -1] for folder in sorted(folders) if folder != "/" and ".dist-info/" not in folder]
    return {
        "name": name,
        "display": release["info"]["name"],
        "version": version,
        "wheel": wheel["filename"],
        "files": files,
        "pth": [d for text in pth for d in pth_dirs(text)],
        "payload_free": payload_free(info.filename for info in infos),
        "requires": requires,
    }


# --- the table ------------------------------------------------------------------------------------


def ranked_names(ranking: Path, top: int) -> list[str]:
    if not ranking.is_file():
        return []
    with ranking.open(encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        column = next((i for i, h in enumerate(header) if h.startswith("rank")), None)
        if column is None:
            return []
        ranked = []
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) > column and fields[column].isdigit() and int(fields[column]) <= top:
                ranked.append((int(fields[column]), canonicalize_name(fields[0])))
    return [name for _, name in sorted(ranked)]


def build_rows(results: dict[str, Record], order: dict[str, int]) -> dict[str, tuple[str, ...]]:
    have = {name: r for name, r in results.items() if "files" in r}
    provided = importable_names(
        {name: [(p, s) for p, s in r["files"]] for name, r in have.items()},
        {name: r["pth"] for name, r in have.items()},
        unshared_are_packages=True,
    )
    aliases = {name: r["requires"][0] for name, r in have.items() if r["payload_free"] and len(r["requires"]) == 1}
    resolve_aliases(provided, aliases)
    providers: dict[str, set[str]] = {}
    for dist, modules in provided.items():
        for module in modules:
            providers.setdefault(module, set()).add(dist)
    for module, extra in SUPPLEMENT.items():
        providers.setdefault(module, set()).update(extra)
    several = {module for modules in provided.values() if len(modules) > 1 for module in modules}
    several |= set(SUPPLEMENT)  # hand-written rows are always kept
    rows = {}
    for module, dists in providers.items():
        if "." in module or dists != {identity_distribution(module)} or module in several:
            rows[module] = tuple(sorted(dists, key=lambda d: (order.get(d, 10**9), d)))
    return dict(sorted(rows.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--top", type=int, default=1500, help="how many of the best-ranked names (default 1500)")
    parser.add_argument("--ranking", type=Path, default=RANKING, help="TSV with a name column and a rank column")
    parser.add_argument("--names", nargs="*", help="only these distributions (no ranking, no EXTRA)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--jobs", type=int, default=12)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "depcheck-module-map-cache.json")
    parser.add_argument("--refresh", action="store_true", help="ignore the cache")
    args = parser.parse_args(argv)

    names: list[str]
    if args.names:
        names = [canonicalize_name(n) for n in args.names]
    else:
        names = ranked_names(args.ranking, args.top)
        names += [n for n in map(canonicalize_name, EXTRA) if n not in set(names)]
    names = list(dict.fromkeys(names))
    order = {name: i for i, name in enumerate(names)}

    cache: dict[str, Record] = {}
    if args.cache.is_file() and not args.refresh:
        cache = json.loads(args.cache.read_text(encoding="utf-8"))

    def run(wanted: list[str]) -> None:
        missing = [n for n in wanted if n not in cache]
        started = time.monotonic()
        with ThreadPoolExecutor(args.jobs) as pool:
            for done, result in enumerate(pool.map(fetch, missing), 1):
                cache[result["name"]] = result
                if done % 100 == 0 or done == len(missing):
                    print(f"  {done}/{len(missing)} fetched, {time.monotonic() - started:.0f}s", file=sys.stderr)
                    args.cache.write_text(json.dumps(cache), encoding="utf-8")

    run(names)
    results = {n: cache[n] for n in names}
    # An alias's target may rank lower than the alias (or below --top): fetch it too.
    targets = dict.fromkeys(
        r["requires"][0] for r in results.values() if r.get("payload_free") and len(r["requires"]) == 1
    )
    extra = [t for t in targets if t not in results]
    run(extra)
    for target in extra:
        results[target] = cache[target]
        order[target] = len(order)

    rows = build_rows(results, order)
    skipped = sorted((n, r["skipped"]) for n, r in results.items() if "skipped" in r)
    stamp = datetime.date.today().isoformat()
    header = (
        f"# Generated by scripts/build_module_map.py on {stamp} from the newest wheels of "
        f"{len(results) - len(skipped)} distributions. Do not edit: rerun the script.\n"
        "# module<TAB>distributions that provide it, most downloaded first (canonical names)\n"
    )
    body = "".join(f"{module}\t{','.join(dists)}\n" for module, dists in rows.items())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(header + body, encoding="utf-8")
    print(
        f"{len(results)} distributions, {len(results) - len(skipped)} with a wheel, {len(skipped)} skipped; "
        f"{len(rows)} rows, {len((header + body).encode())} bytes -> {args.out}",
        file=sys.stderr,
    )
    for name, why in skipped:
        print(f"  skipped {name}: {why}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
