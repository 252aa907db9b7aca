"""Which glossary a command uses when none is given: $BRIEFING_GLOSSARY, else the
shipped starter < the user's glossary < the project's glossary/ folder (from the
current folder up), layered.  Every test names its own XDG_CONFIG_HOME: the real
home's configuration is never read."""

import os

import pytest

from pipeline.errors import BriefingError
from pipeline.glossary import find_glossary, load_glossary
from pipeline.glossary.base import expand_glossary_paths, shipped_glossary_folder

from tests.conftest import ROOT

HEADER = "source,target,aliases,category,note\n"


def env(tmp_path, **extra):
    return {"XDG_CONFIG_HOME": str(tmp_path / "config"), **extra}


def glossary_folder(parent, **files):
    folder = parent / "glossary"
    folder.mkdir(parents=True)
    for name, body in files.items():
        (folder / name).write_text(HEADER + body, encoding="utf-8")
    return folder


def test_the_environment_variable_names_files_and_folders(tmp_path):
    folder = glossary_folder(tmp_path / "team", **{"names.csv": "鴻海,Hon Hai (Foxconn),,company,\n"})
    extra = tmp_path / "extra.csv"
    extra.write_text(HEADER + "輝達,NVIDIA,,company,\n", encoding="utf-8")
    source = find_glossary(tmp_path, env(tmp_path, BRIEFING_GLOSSARY=f"{folder}{os.pathsep}{extra}"))
    assert source.paths == (folder / "names.csv", extra) and source.origin == "$BRIEFING_GLOSSARY"
    assert [e.target for e in load_glossary(source.paths).entries] == ["Hon Hai (Foxconn)", "NVIDIA"]


def test_a_missing_path_in_the_environment_variable_is_an_error(tmp_path):
    with pytest.raises(BriefingError, match=r"BRIEFING_GLOSSARY: no such file or folder: .*nowhere\.csv"):
        find_glossary(tmp_path, env(tmp_path, BRIEFING_GLOSSARY=str(tmp_path / "nowhere.csv")))


def test_the_nearest_project_glossary_folder_from_a_subfolder(tmp_path):
    glossary_folder(tmp_path / "project", **{"terms.csv": "液冷,liquid cooling,,term,\n", "~$terms.csv": "", ".x.csv": ""})
    articles = tmp_path / "project" / "articles" / "2025-11"
    articles.mkdir(parents=True)
    source = find_glossary(articles, env(tmp_path))
    project = source.layer("project")
    assert project.paths == (tmp_path / "project" / "glossary" / "terms.csv",)  # no lock or hidden files
    assert source.paths == project.paths and source.layer("starter") is None  # the project's glossary is the whole
    outside = find_glossary(tmp_path, env(tmp_path))  # outside the project: the starter glossary
    assert outside.layer("starter").paths == tuple(sorted(shipped_glossary_folder().glob("*.csv")))
    assert source.origin == f"project folder {tmp_path / 'project' / 'glossary'}"


def test_an_empty_glossary_folder_is_passed_over(tmp_path):
    (tmp_path / "glossary").mkdir()
    assert find_glossary(tmp_path, env(tmp_path)).origin == "starter glossary shipped with briefing"


def test_outside_any_project_the_shipped_starter_glossary_is_used(tmp_path):
    source = find_glossary(tmp_path, env(tmp_path))
    assert source.origin == "starter glossary shipped with briefing"
    glossary = load_glossary(source.paths, source.origin)
    assert {"鴻海", "台積電", "輝達"} <= {e.source for e in glossary.entries}
    assert glossary.describe().startswith(f"glossary: 4 files, {len(glossary.entries)} entries (starter glossary")


def test_the_shipped_copy_is_the_projects_starter_glossary():
    shipped = sorted(p.name for p in shipped_glossary_folder().glob("*.csv"))
    assert shipped == sorted(p.name for p in (ROOT / "glossary").glob("*.csv"))
    for name in shipped:
        assert (shipped_glossary_folder() / name).read_bytes() == (ROOT / "glossary" / name).read_bytes(), name


def test_a_folder_given_explicitly_must_hold_glossary_files(tmp_path):
    with pytest.raises(BriefingError, match="no glossary files"):
        expand_glossary_paths([tmp_path])


def test_no_glossary_says_so():
    assert load_glossary([], "--no-glossary").describe() == "no glossary (--no-glossary)"
