from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from depcheck import modules
from depcheck.modules import importable_names, load, record_files

# --- the bundled table -------------------------------------------------------------------------

BUNDLED = [
    ("PIL", {"pillow"}),
    ("PIL.Image", {"pillow"}),
    ("yaml", {"pyyaml"}),
    ("cv2", {"opencv-python", "opencv-python-headless", "opencv-contrib-python", "opencv-contrib-python-headless"}),
    ("sklearn", {"scikit-learn"}),
    ("bs4", {"beautifulsoup4"}),
    ("dateutil.parser", {"python-dateutil"}),
    ("jwt", {"pyjwt"}),
    ("dotenv", {"python-dotenv"}),
    ("google.protobuf", {"protobuf"}),
    ("google.protobuf.json_format", {"protobuf"}),
    ("psycopg2", {"psycopg2", "psycopg2-binary"}),
    ("psycopg2.extras", {"psycopg2", "psycopg2-binary"}),
    ("jose", {"python-jose"}),
    ("magic", {"python-magic"}),
    ("Crypto.Cipher", {"pycryptodome"}),
    ("Cryptodome", {"pycryptodomex"}),
    ("OpenSSL", {"pyopenssl"}),
    ("attr", {"attrs"}),
    ("pkg_resources", {"setuptools"}),
    ("_distutils_hack", {"setuptools"}),
    ("MySQLdb", {"mysqlclient"}),
    ("zmq", {"pyzmq"}),
    ("serial", {"pyserial"}),
    ("usb.core", {"pyusb"}),
    ("dns.resolver", {"dnspython"}),
    ("git", {"gitpython"}),
    ("docx", {"python-docx"}),
    ("pptx", {"python-pptx"}),
    ("multipart", {"python-multipart"}),
    ("telegram.ext", {"python-telegram-bot"}),
    ("slugify", {"python-slugify"}),
    ("fitz", {"pymupdf"}),
    ("skimage", {"scikit-image"}),
    ("Levenshtein", {"python-levenshtein", "levenshtein"}),
    ("grpc", {"grpcio"}),
    ("google.cloud.storage", {"google-cloud-storage"}),
    ("google.cloud.storage.blob", {"google-cloud-storage"}),
    ("azure.storage.blob", {"azure-storage-blob"}),
    ("win32api", {"pywin32"}),
    ("pythoncom", {"pywin32"}),
    ("_pytest.fixtures", {"pytest"}),
    ("mpl_toolkits.mplot3d", {"matplotlib"}),
]


@pytest.fixture(scope="module")
def bundled() -> modules.ModuleMap:
    return load(interpreter=False)


@pytest.mark.parametrize(("module", "expected"), BUNDLED, ids=[m for m, _ in BUNDLED])
def test_bundled_table_maps(bundled: modules.ModuleMap, module: str, expected: set[str]) -> None:
    assert expected <= set(bundled.distributions(module))
    assert bundled.known(module)
    assert bundled.source(module) == "table"


@pytest.mark.parametrize(
    ("module", "first"),
    [("cv2", "opencv-python"), ("psycopg2", "psycopg2-binary"), ("bs4", "beautifulsoup4")],
    ids=["cv2", "psycopg2", "bs4"],
)
def test_most_downloaded_provider_comes_first(bundled: modules.ModuleMap, module: str, first: str) -> None:
    assert bundled.distributions(module)[0] == first


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("requests", ("requests",)),
        ("requests.adapters", ("requests",)),
        ("my_pkg", ("my-pkg",)),
        ("My_Pkg.sub.mod", ("my-pkg",)),
        ("typing_extensions", ("typing-extensions",)),
    ],
    ids=["plain", "submodule", "underscore", "case-and-dots", "identity-needs-no-row"],
)
def test_identity_guess(bundled: modules.ModuleMap, module: str, expected: tuple[str, ...]) -> None:
    assert bundled.distributions(module) == expected
    assert not bundled.known(module)
    assert bundled.source(module) == "guess"


def test_namespace_parent_gets_every_provider_below_it(bundled: modules.ModuleMap) -> None:
    providers = bundled.distributions("azure")
    assert {"azure-storage-blob", "azure-identity", "azure-core"} <= set(providers)
    assert bundled.known("azure")


def test_longest_prefix_wins(bundled: modules.ModuleMap) -> None:
    # google.cloud is google-cloud-core's; google.cloud.storage is not
    assert "google-cloud-core" in bundled.distributions("google.cloud")
    assert bundled.distributions("google.cloud.storage") == ("google-cloud-storage",)


@pytest.mark.parametrize(
    ("dist", "expected"),
    [
        ("Pillow", {"PIL", "pillow"}),
        ("PyYAML", {"yaml", "_yaml"}),
        ("setuptools", {"setuptools", "pkg_resources", "_distutils_hack"}),
        ("pywin32", {"win32api", "win32con", "pywintypes", "pythoncom"}),
        ("python_dateutil", {"dateutil"}),
        ("protobuf", {"google.protobuf"}),
    ],
    ids=["pillow", "pyyaml", "setuptools", "pywin32", "unnormalised-name", "namespace"],
)
def test_reverse_lookup(bundled: modules.ModuleMap, dist: str, expected: set[str]) -> None:
    assert expected <= set(bundled.modules(dist))


@pytest.mark.parametrize(
    ("dist", "expected"),
    [("requests", ("requests",)), ("my-pkg", ("my_pkg",)), ("My.Pkg", ("my_pkg",))],
    ids=["plain", "dash", "dot"],
)
def test_reverse_identity_guess(bundled: modules.ModuleMap, dist: str, expected: tuple[str, ...]) -> None:
    assert bundled.modules(dist) == expected


def test_table_file_is_sorted_canonical_and_small() -> None:
    path = modules.table_path()
    text = path.read_text(encoding="utf-8")
    assert len(text.encode()) < 1_000_000
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    names = [module for module, _ in rows]
    assert names == sorted(names) and len(set(names)) == len(names)
    for module, dists in rows:
        assert all(part.isidentifier() for part in module.split(".")), module
        assert dists and all(canonicalize_name(d) == d for d in dists.split(",")), module
        # rows the identity guess would get right are left out
        assert "." in module or dists != canonicalize_name(module) or _several(rows, dists), module


def _several(rows: list[list[str]], dist: str) -> bool:
    return sum(dist in dists.split(",") for _, dists in rows) > 1


# --- config ------------------------------------------------------------------------------------


def test_config_overrides_everything() -> None:
    mapping = load(config_map=(("Pillow-SIMD", ("PIL",)), ("my_dist", ("foo", "bar.baz"))), interpreter=False)
    assert mapping.distributions("PIL.Image") == ("pillow-simd",)
    assert mapping.source("PIL") == "config"
    assert mapping.distributions("foo.x") == ("my-dist",)
    assert mapping.distributions("bar.baz.qux") == ("my-dist",)
    assert mapping.distributions("bar") == ("my-dist",)  # a parent of a configured name
    assert mapping.modules("pillow_simd") == ("PIL",)
    assert mapping.modules("my-dist") == ("bar.baz", "foo")
    assert mapping.distributions("yaml") == ("pyyaml",)  # the rest still comes from the table


def test_config_entries_for_one_dist_merge() -> None:
    mapping = load(config_map=(("a", ("x",)), ("A", ("y",))), interpreter=False)
    assert mapping.modules("a") == ("x", "y")


# --- file lists -> import names ----------------------------------------------------------------


def _files(*paths: str, init: int = 0) -> list[tuple[str, int]]:
    return [(p, init if p.endswith("__init__.py") else -1) for p in paths]


@pytest.mark.parametrize(
    ("dists", "expected"),
    [
        (
            {"six": _files("six.py", "six-1.0.dist-info/RECORD")},
            {"six": ("six",)},
        ),
        (
            {"cffi": _files("cffi/__init__.py", "cffi/api.py", "_cffi_backend.cpython-311-x86_64-linux-gnu.so")},
            {"cffi": ("_cffi_backend", "cffi")},
        ),
        (  # PEP 420: no google/__init__.py
            {
                "protobuf": _files("google/protobuf/__init__.py", "google/protobuf/message.py"),
                "google-cloud-storage": _files(
                    "google/cloud/storage/__init__.py", "google/cloud/storage/blob.py", "google/cloud/_storage/x.py"
                ),
            },
            {"protobuf": ("google.protobuf",), "google-cloud-storage": ("google.cloud.storage",)},
        ),
        (  # pkgutil style: small shared __init__.py files, other subpackages
            {
                "azure-core": _files("azure/__init__.py", "azure/core/__init__.py", "azure/core/pipeline.py", init=80),
                "azure-storage-blob": _files("azure/__init__.py", "azure/storage/blob/__init__.py", init=80),
                "azure-nspkg": _files("azure/__init__.py", init=80),
            },
            {"azure-core": ("azure.core",), "azure-storage-blob": ("azure.storage.blob",), "azure-nspkg": ()},
        ),
        (  # variants ship one package with the same layout
            {
                "tf-keras": _files("tf_keras/__init__.py", "tf_keras/layers/__init__.py", init=900),
                "tf-keras-nightly": _files("tf_keras/__init__.py", "tf_keras/layers/__init__.py", init=900),
            },
            {"tf-keras": ("tf_keras",), "tf-keras-nightly": ("tf_keras",)},
        ),
        (  # a big __init__.py is a package even with only subpackages
            {"torch": _files("torch/__init__.py", "torch/nn/__init__.py", init=90_000)},
            {"torch": ("torch",)},
        ),
        (  # data-only folders and shared libraries are not modules
            {
                "nvidia-cublas": _files("nvidia/cublas/lib/libcublas.so", "nvidia/cublas/include/cublas.h"),
                "nvidia-curand": _files("nvidia/__init__.py", "nvidia/curand/__init__.py", "nvidia/curand/x.py"),
            },
            {"nvidia-cublas": (), "nvidia-curand": ("nvidia.curand",)},
        ),
        (  # wheel spread folders, stubs, tests, mypyc runtime, private namespace parts
            {
                "x": _files(
                    "x-1.0.data/purelib/xmod.py",
                    "x-1.0.data/scripts/tool.py",
                    "requests-stubs/__init__.pyi",
                    "tests/test_x.py",
                    "0a1b2c__mypyc.cpython-311-x86_64-linux-gnu.so",
                    "abcdef__mypyc.cpython-311-x86_64-linux-gnu.so",
                    "xmod2/__pycache__/y.cpython-311.pyc",
                )
            },
            {"x": ("xmod",)},
        ),
        (  # a RECORD's paths outside site-packages
            {"black": _files("../../bin/black", "black/__init__.py", "blackd/__init__.py")},
            {"black": ("black", "blackd")},
        ),
    ],
    ids=["single-module", "extension", "pep420", "pkgutil", "variants", "big-init", "data-only", "filtered", "bin"],
)
def test_importable_names(dists: dict[str, list[tuple[str, int]]], expected: dict[str, tuple[str, ...]]) -> None:
    assert importable_names(dists) == expected


def test_unshared_folders_are_packages_in_a_large_sample() -> None:
    dists = {"pycryptodomex": _files("Cryptodome/__init__.py", "Cryptodome/Cipher/__init__.py", init=200)}
    assert importable_names(dists) == {"pycryptodomex": ("Cryptodome.Cipher",)}
    assert importable_names(dists, unshared_are_packages=True) == {"pycryptodomex": ("Cryptodome",)}


def test_pth_folders_are_top_level() -> None:
    files = _files("win32/win32api.pyd", "win32/lib/win32con.py", "pythoncom.py", "pywin32.pth")
    assert importable_names({"pywin32": files}, {"pywin32": ["win32", "win32/lib"]}) == {
        "pywin32": ("pythoncom", "win32", "win32api", "win32con")
    }


def test_pth_dirs() -> None:
    text = "# comment\nwin32\nwin32\\lib\nPythonwin\nimport pywin32_bootstrap\n/abs/path\n../up\n\n"
    assert modules.pth_dirs(text) == ["win32", "win32/lib", "Pythonwin"]


def test_record_files() -> None:
    text = 'a/__init__.py,sha256=x,12\n"we,ird.py",sha256=y,3\na-1.0.dist-info/RECORD,,\n'
    assert record_files(text) == [("a/__init__.py", 12), ("we,ird.py", 3), ("a-1.0.dist-info/RECORD", -1)]


@pytest.mark.parametrize(
    ("paths", "expected"),
    [
        (["bs4-0.0.2.dist-info/METADATA", "README.rst"], True),
        (["requests-stubs/__init__.pyi", "types_requests-1.dist-info/METADATA"], False),
        (["nvidia/cublas/lib/libcublas.so.12"], False),
        (["x.py"], False),
    ],
    ids=["alias", "stubs", "data", "module"],
)
def test_payload_free(paths: list[str], expected: bool) -> None:
    assert modules.payload_free(paths) is expected


# --- environments on disk ----------------------------------------------------------------------


def _install(site: Path, name: str, version: str, files: dict[str, str], requires: tuple[str, ...] = ()) -> None:
    info = site / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    lines += [f"Requires-Dist: {r}" for r in requires]
    (info / "METADATA").write_text("\n".join(lines) + "\n\nlong description\nRequires-Dist: ignored\n")
    record = [f"{path},sha256=x,{len(text)}" for path, text in files.items()] + [f"{info.name}/RECORD,,"]
    (info / "RECORD").write_text("\n".join(record) + "\n")
    for path, text in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text)


@pytest.fixture
def venv(tmp_path: Path) -> Path:
    root = tmp_path / "venv"
    site = root / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    (root / "pyvenv.cfg").write_text("home = /usr/bin\n")
    _install(site, "yaml_fork", "1.0", {"yaml/__init__.py": "", "yaml/loader.py": ""})
    _install(site, "Levenshtein", "0.27", {"Levenshtein/__init__.py": "x = 1\n"})
    _install(site, "python_Levenshtein", "0.27", {}, requires=("Levenshtein==0.27",))
    _install(site, "google_cloud_storage", "3.0", {"google/cloud/storage/__init__.py": ""})
    _install(site, "pywin32", "311", {"win32/win32api.pyd": "", "pywin32.pth": "win32\nimport x\n"})
    return root


@pytest.mark.parametrize(
    "given", ["venv", "venv/bin/python", "venv/bin/python3.11"], ids=["dir", "python", "python3.11"]
)
def test_environment_is_read_from_disk(venv: Path, given: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_processes(*args: object, **kwargs: object) -> None:
        raise AssertionError("the environment's python must not be run")

    monkeypatch.setattr(subprocess, "Popen", no_processes)
    mapping = load(python=str(venv.parent / given), interpreter=False)
    assert mapping.site_packages == (venv / "lib" / "python3.11" / "site-packages",)
    assert mapping.distributions("yaml.loader") == ("yaml-fork",)  # the environment beats the table
    assert mapping.source("yaml") == "environment"
    assert set(mapping.distributions("Levenshtein")) == {"levenshtein", "python-levenshtein"}  # an alias
    assert mapping.modules("python-levenshtein") == ("Levenshtein",)
    assert mapping.distributions("google.cloud.storage.blob") == ("google-cloud-storage",)
    assert mapping.distributions("win32api") == ("pywin32",)
    # not installed there: the table answers
    assert mapping.distributions("google.protobuf") == ("protobuf",)
    assert mapping.source("google.protobuf") == "table"
    assert mapping.distributions("PIL") == ("pillow",)


def test_windows_venv_layout(tmp_path: Path) -> None:
    site = tmp_path / "Lib" / "site-packages"
    _install(site, "PyYAML", "6.0", {"yaml/__init__.py": "", "_yaml/__init__.py": ""})
    mapping = load(python=str(tmp_path / "Scripts" / "python.exe"), interpreter=False)
    assert mapping.site_packages == (site,)
    assert mapping.modules("pyyaml") == ("_yaml", "yaml")


def test_no_site_packages_falls_back(tmp_path: Path) -> None:
    mapping = load(python=str(tmp_path / "nowhere" / "bin" / "python"), interpreter=False)
    assert mapping.site_packages == ()
    assert mapping.distributions("yaml") == ("pyyaml",)


def test_config_beats_environment(venv: Path) -> None:
    mapping = load(config_map=(("ruamel.yaml", ("yaml",)),), python=str(venv), interpreter=False)
    assert mapping.distributions("yaml") == ("ruamel-yaml",)


def test_running_interpreter_is_consulted_for_importable_modules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    scans: list[int] = []
    real = modules._scan_interpreter

    def counting(**kwargs: bool) -> dict[str, tuple[str, ...]]:
        scans.append(1)
        return real(**kwargs)

    monkeypatch.setattr(modules, "_scan_interpreter", counting)
    mapping = load()
    assert mapping.distributions("surely_not_installed_xyz") == ("surely-not-installed-xyz",)
    assert scans == []  # not importable here: the installed distributions are not even listed
    # pytest runs this test, so `_pytest` is importable: the running interpreter knows it
    assert mapping.distributions("_pytest.fixtures") == ("pytest",)
    assert mapping.source("_pytest") == "interpreter"
    assert mapping.modules("pytest") == ("_pytest", "py", "pytest")
    mapping.distributions("packaging.version")
    assert scans == [1]  # indexed once


def test_running_interpreter_can_be_left_out() -> None:
    mapping = load(interpreter=False)
    assert mapping.source("_pytest") == "table"


@pytest.mark.network
def test_real_venv_without_running_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    venv = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "PyYAML", "python-dateutil"], check=True)

    def no_processes(*args: object, **kwargs: object) -> None:
        raise AssertionError("the environment's python must not be run")

    monkeypatch.setattr(subprocess, "Popen", no_processes)
    mapping = load(python=str(python), interpreter=False)
    assert mapping.site_packages
    assert mapping.distributions("yaml") == ("pyyaml",)
    assert mapping.source("yaml") == "environment"
    assert mapping.distributions("dateutil.parser") == ("python-dateutil",)
    assert mapping.source("dateutil") == "environment"
    assert mapping.modules("PyYAML") == ("_yaml", "yaml")
    assert mapping.modules("python-dateutil") == ("dateutil",)
