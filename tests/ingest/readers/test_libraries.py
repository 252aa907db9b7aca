"""Every reader's libraries import, so a missing one fails CI instead of an article at run time.

trafilatura's fallback imports lxml.html.clean, a separate package (lxml_html_clean)
that an old pip leaves out when it drops the lxml[html_clean] extra; without it every
web page would fail at run time while the rest of the suite could still pass.
"""

import ast
import importlib
import importlib.util
import inspect
import sys
from pathlib import Path

import pytest

import pipeline
from pipeline.ingest.readers import LIBRARIES, READERS

READER_MODULES = sorted({module for module, _ in READERS.values()})


def test_every_reader_lists_its_libraries():
    assert set(LIBRARIES) == set(READER_MODULES)


@pytest.mark.parametrize("module", READER_MODULES)
def test_every_library_of_a_reader_imports(module):
    for name in LIBRARIES[module]:
        importlib.import_module(name)  # ImportError here: declare and install the package (pyproject.toml)


def test_lxml_html_clean_is_the_real_cleaner():
    from lxml.html.clean import Cleaner

    assert "<script" not in Cleaner(javascript=True).clean_html("<div><script>x()</script><p>台積電</p></div>")


@pytest.mark.parametrize("module", READER_MODULES)
def test_a_readers_own_imports_are_all_listed(module):
    """A library imported by the reader's code but missing from LIBRARIES would escape the test above."""
    source = inspect.getsource(importlib.import_module(f"pipeline.ingest.readers.{module}"))
    packages = set()  # top-level packages: `from lxml import etree` is lxml
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            packages.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            packages.add(node.module.split(".")[0])
    third_party = packages - set(sys.stdlib_module_names) - {"pipeline", "__future__"}
    listed = {name.split(".")[0] for name in LIBRARIES[module]}
    assert third_party <= listed, third_party - listed


# ---------------------------------------------------------------- every library the package imports
# The glossary formats (openpyxl, lxml), XLIFF (translate-toolkit), review (python-docx, lxml) and
# fuzzy matches (rapidfuzz) import their libraries lazily too: a missing or renamed one would fail
# one command at run time.  So every third-party import statement anywhere in pipeline/ is run here,
# names included, and each library must be one that `briefing doctor` checks.

PIPELINE = Path(pipeline.__file__).resolve().parent
OPTIONAL = {"ray"}  # the `ray` extra; the test venv has it (make install-test)


def third_party_imports() -> dict[str, set[str]]:
    """module -> names imported from it (empty for a plain `import module`), over every file of pipeline/."""
    found: dict[str, set[str]] = {}
    for path in sorted(PIPELINE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    found.setdefault(alias.name, set())
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.setdefault(node.module, set()).update(alias.name for alias in node.names)
    return {module: names for module, names in found.items()
            if module.split(".")[0] not in set(sys.stdlib_module_names) | {"pipeline", "__future__"}}


IMPORTS = third_party_imports()


def test_the_scan_sees_the_lazy_imports_of_every_format():
    """The scan is the test's eyes: it must see imports inside functions, in every area named above."""
    assert {"openpyxl", "translate.storage.xliff", "translate.storage.xliff2", "rapidfuzz.distance",
            "docx.opc.packuri", "lxml", "trafilatura", "markdown_it", "charset_normalizer"} <= set(IMPORTS)
    assert "Indel" in IMPORTS["rapidfuzz.distance"] and "Xliff2File" in IMPORTS["translate.storage.xliff2"]


@pytest.mark.parametrize("module", sorted(IMPORTS))
def test_every_import_of_the_package_resolves(module):
    if module.split(".")[0] in OPTIONAL and importlib.util.find_spec(module.split(".")[0]) is None:
        pytest.skip(f"{module} is optional (pip install -e '.[ray]')")
    imported = importlib.import_module(module)  # ImportError: declare the package in pyproject.toml, then `make lock`
    for name in sorted(IMPORTS[module]):
        if not hasattr(imported, name):
            importlib.import_module(f"{module}.{name}")  # `from translate.storage import xliff`: a submodule


def test_doctor_checks_every_library_the_package_imports():
    from pipeline.doctor import OPTIONAL_PACKAGES, PACKAGES

    checked = {module.split(".")[0] for modules in PACKAGES.values() for module in modules} | set(OPTIONAL_PACKAGES)
    imported = {module.split(".")[0] for module in IMPORTS}
    assert imported <= checked, imported - checked


def test_doctor_imports_every_readers_libraries():
    """lxml.html.clean itself, not just lxml: the doctor must catch what an old pip drops."""
    from pipeline.doctor import PACKAGES

    checked = {module for modules in PACKAGES.values() for module in modules}
    needed = {module for modules in LIBRARIES.values() for module in modules}
    assert needed <= checked, needed - checked
