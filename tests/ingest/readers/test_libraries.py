"""Every reader's libraries import, so a missing one fails CI instead of an article at run time.

trafilatura's fallback imports lxml.html.clean, a separate package (lxml_html_clean)
that an old pip leaves out when it drops the lxml[html_clean] extra; without it every
web page would fail at run time while the rest of the suite could still pass.
"""

import ast
import importlib
import inspect
import sys

import pytest

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
