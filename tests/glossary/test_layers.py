"""The glossary in layers (issue 18): starter < user ($XDG_CONFIG_HOME/briefing/glossary) <
project (glossary/ here or above).  A later layer's entry replaces an earlier one's for the
same source and the replacement is reported; ``glossary add`` writes to the project's file for
the category, or outside a project to the user's glossary, never to a new glossary/ folder that
would hide the starter glossary.  Every test names its own XDG_CONFIG_HOME (never the real home)."""

import json
import os
import subprocess
import sys

import pytest

from pipeline.errors import BriefingError, GlossaryError
from pipeline.glossary import find_glossary, load_glossary, load_source
from pipeline.glossary.base import check_source, glossary_files, shipped_glossary_folder
from pipeline.glossary.edit import add_to_glossary
from tests.conftest import ROOT

HEADER = "source,target,aliases,category,note\n"


def env(tmp_path, **extra):
    return {"XDG_CONFIG_HOME": str(tmp_path / "config"), **extra}


def user_folder(tmp_path):
    return tmp_path / "config" / "briefing" / "glossary"


def write(folder, name, body, header=HEADER):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(header + body, encoding="utf-8")
    return folder / name


def starter():
    return load_glossary(glossary_files(shipped_glossary_folder()))


def by_source(glossary):
    return {e.source: e for e in glossary.entries}


# ---------------------------------------------------------------- loading


def test_the_users_glossary_is_used_over_the_starter_glossary(tmp_path):
    mine = write(user_folder(tmp_path), "terms.csv", "浸沒式冷卻,immersion cooling,,term,\n")
    source = find_glossary(tmp_path / "anywhere", env(tmp_path))
    assert [layer.kind for layer in source.layers] == ["starter", "user"]
    assert source.paths[-1] == mine
    glossary = load_source(source)
    assert len(glossary.entries) == len(starter().entries) + 1
    assert by_source(glossary)["浸沒式冷卻"].where == f"{mine}:2" and "台積電" in by_source(glossary)
    assert glossary.describe().startswith(f"glossary: 5 files, {len(glossary.entries)} entries (starter glossary "
                                          f"shipped with briefing + user glossary {user_folder(tmp_path)})")


def test_a_relative_xdg_config_home_is_ignored(tmp_path):
    from pipeline.glossary import user_glossary_folder

    assert user_glossary_folder({"XDG_CONFIG_HOME": "relative/dir"}) == \
        user_glossary_folder({}) == __import__("pathlib").Path.home() / ".config" / "briefing" / "glossary"
    assert user_glossary_folder(env(tmp_path)) == user_folder(tmp_path)


def test_a_later_layer_replaces_the_entry_for_the_same_source_and_says_so(tmp_path):
    mine = write(user_folder(tmp_path), "terms.csv", "鴻海,Foxconn,,company,\n")
    glossary = load_source(find_glossary(tmp_path, env(tmp_path)))
    hon_hai = by_source(glossary)["鴻海"]
    assert (hon_hai.target, hon_hai.aliases) == ("Foxconn", ())  # the whole earlier entry is replaced
    old = next(e for e in starter().entries if e.source == "鴻海")
    assert glossary.overrides == [f"{mine}:2: '鴻海' → 'Foxconn' overrides {old.where} ('鴻海' → 'Hon Hai (Foxconn)')"]
    assert len(glossary.entries) == len(starter().entries)
    assert glossary.describe().split(" (")[0].endswith("1 override")


def test_a_project_glossary_is_used_alone(tmp_path):
    """The project owns its glossary: neither the user's entries nor the starter's reach its runs."""
    write(user_folder(tmp_path), "terms.csv", "鴻海,Foxconn,,company,\n浸沒式冷卻,immersion cooling,,term,\n")
    project = write(tmp_path / "work" / "glossary", "terms.csv", "浸沒式冷卻,immersion-cooling,,term,\n")
    source = find_glossary(tmp_path / "work", env(tmp_path))
    assert [layer.kind for layer in source.layers] == ["project"] and source.paths == (project,)
    assert check_source(source) == ([], [])
    entries = by_source(load_source(source))
    assert list(entries) == ["浸沒式冷卻"] and entries["浸沒式冷卻"].target == "immersion-cooling"


def test_a_term_an_editor_deleted_from_the_project_is_not_enforced(tmp_path):
    """The starter has 三星 → Samsung; a project that removed it must not get it back from the starter."""
    folder = tmp_path / "work" / "glossary"
    folder.mkdir(parents=True)
    for path in (ROOT / "glossary").glob("*.csv"):
        rows = path.read_text(encoding="utf-8").splitlines(keepends=True)
        (folder / path.name).write_text("".join(r for r in rows if not r.startswith("三星,")), encoding="utf-8")
    glossary = load_source(find_glossary(tmp_path / "work", env(tmp_path)))
    assert [m.entry.target for m in starter().match("三星手機銷量")] == ["Samsung"]
    assert [m.entry.target for m in glossary.match("三星手機銷量")] == []
    assert len(glossary.entries) == len(starter().entries) - 1


def test_a_later_alias_takes_only_that_spelling_from_an_earlier_entry(tmp_path):
    mine = write(user_folder(tmp_path), "terms.csv", "鴻海精密,Hon Hai Precision Industry,,company,\n")
    glossary = load_source(find_glossary(tmp_path, env(tmp_path)))
    entries = by_source(glossary)
    assert entries["鴻海"].aliases == () and entries["鴻海精密"].target == "Hon Hai Precision Industry"
    assert glossary.overrides[0].startswith(f"{mine}:2: '鴻海精密' → 'Hon Hai Precision Industry' takes the spelling "
                                            f"'鴻海精密' from ")
    assert [m.entry.target for m in glossary.match("鴻海精密與鴻海")] == ["Hon Hai Precision Industry", "Hon Hai (Foxconn)"]


def test_a_project_that_copies_the_starter_glossary_overrides_nothing(tmp_path):
    """This repository's own glossary/ is the starter's copy: same entries, same hash, no report."""
    source = find_glossary(ROOT, env(tmp_path))
    assert [layer.kind for layer in source.layers] == ["project"]
    glossary = load_source(source)
    assert glossary.overrides == [] and glossary.digest == starter().digest


def test_a_clash_inside_one_layer_is_still_a_problem(tmp_path):
    write(user_folder(tmp_path), "a.csv", "鴻海,Foxconn,,company,\n")
    b = write(user_folder(tmp_path), "b.csv", "鴻海,Hon Hai,,company,\n")
    problems, _ = check_source(find_glossary(tmp_path, env(tmp_path)))
    assert problems == [f"{b}:2: source '鴻海' has two targets: 'Foxconn' ({user_folder(tmp_path)}/a.csv:2) and 'Hon Hai'"]


def test_forbidding_english_another_layer_requires_is_a_problem(tmp_path):
    mine = write(user_folder(tmp_path), "terms.csv", "輝達,NVIDIA,,company,,forbidden\n",
                 header="source,target,aliases,category,note,status\n")
    with pytest.raises(GlossaryError) as err:
        load_source(find_glossary(tmp_path, env(tmp_path)))
    assert err.value.problems == [f"{mine}:2: 'NVIDIA' is forbidden for '輝達' but also its glossary English"]


def test_glossary_given_explicitly_is_used_alone(tmp_path):
    write(user_folder(tmp_path), "terms.csv", "浸沒式冷卻,immersion cooling,,term,\n")
    only = write(tmp_path / "x", "only.csv", "鴻海,Hon Hai,,company,\n")
    source = find_glossary(tmp_path, env(tmp_path, BRIEFING_GLOSSARY=str(only)))
    assert source.paths == (only,) and [e.source for e in load_source(source).entries] == ["鴻海"]


# ---------------------------------------------------------------- glossary add


def test_add_outside_a_project_writes_the_users_glossary_and_keeps_the_starter(tmp_path):
    cwd = tmp_path / "articles"
    cwd.mkdir()
    added = add_to_glossary("浸沒式冷卻", "immersion cooling", category="term", start=cwd, environ=env(tmp_path))
    assert added.path == user_folder(tmp_path) / "terms.csv" and added.layer == f"user glossary {user_folder(tmp_path)}"
    assert added.path.read_text(encoding="utf-8") == HEADER + "浸沒式冷卻,immersion cooling,,term,\n"
    assert not (cwd / "glossary").exists()  # no project folder that would hide the starter glossary
    glossary = load_source(find_glossary(cwd, env(tmp_path)))
    assert len(glossary.entries) == len(starter().entries) + 1 and {"浸沒式冷卻", "台積電", "鴻海"} <= set(by_source(glossary))
    again = add_to_glossary("散熱", "thermal management", start=cwd, environ=env(tmp_path))
    assert again.path == user_folder(tmp_path) / "terms.csv"  # no category: terms.csv
    with pytest.raises(BriefingError, match="'浸沒式冷卻' is already a source in the glossary"):
        add_to_glossary("浸沒式冷卻", "immersion-cooling", category="term", start=cwd, environ=env(tmp_path))


def test_add_over_a_starter_entry_is_an_override_it_reports(tmp_path):
    added = add_to_glossary("鴻海", "Foxconn", category="company", start=tmp_path, environ=env(tmp_path))
    old = next(e for e in starter().entries if e.source == "鴻海")
    assert added.overrides == [f"{old.where}: overrides '鴻海' → 'Hon Hai (Foxconn)' of the glossary below"]
    assert by_source(load_source(find_glossary(tmp_path, env(tmp_path))))["鴻海"].target == "Foxconn"
    same = add_to_glossary("輝達", "NVIDIA", category="company", start=tmp_path, environ=env(tmp_path))
    assert same.overrides[0].endswith("the same entry is in '輝達' → 'NVIDIA' of the glossary below")


@pytest.mark.parametrize("category,expected", [
    ("company", "companies.csv"),  # the file that holds the company entries
    ("Person", "people.csv"),  # any case
    ("place", "terms.csv"),  # places are kept with the terms in this project
    ("media", "companies.csv"),
    ("", "terms.csv"),
])
def test_add_in_a_project_writes_the_categorys_file(tmp_path, category, expected):
    import shutil

    shutil.copytree(ROOT / "glossary", tmp_path / "glossary")
    before = {p.name: p.read_bytes() for p in (tmp_path / "glossary").iterdir()}
    added = add_to_glossary("浸沒式冷卻散熱", "immersion cooling", category=category, start=tmp_path, environ=env(tmp_path))
    assert added.path == tmp_path / "glossary" / expected and added.layer == f"project folder {tmp_path / 'glossary'}"
    after = added.path.read_bytes()
    assert after.startswith(before[expected]) and after[len(before[expected]):].decode().startswith("浸沒式冷卻散熱,immersion cooling,")
    assert all(p.read_bytes() == before[p.name] for p in (tmp_path / "glossary").iterdir() if p.name != expected)


def test_a_new_category_gets_its_own_file_with_the_projects_header(tmp_path):
    project = write(tmp_path / "glossary", "companies.csv", "鴻海,Hon Hai,,company,,\n",
                    header="source,target,aliases,category,note,requires\n").parent
    added = add_to_glossary("浸沒式冷卻", "immersion cooling", category="Cooling Tech", start=tmp_path, environ=env(tmp_path))
    assert added.path == project / "cooling-tech.csv"
    assert added.path.read_text(encoding="utf-8") == "source,target,aliases,category,note,requires\n" \
                                                     "浸沒式冷卻,immersion cooling,,Cooling Tech,,\n"


def test_add_from_a_subfolder_writes_the_projects_folder(tmp_path):
    project = write(tmp_path / "glossary", "terms.csv", "浸沒式冷卻,immersion cooling,,term,\n").parent
    deep = tmp_path / "articles" / "2025-11"
    deep.mkdir(parents=True)
    added = add_to_glossary("散熱", "thermal management", category="term", start=deep, environ=env(tmp_path))
    assert added.path == project / "terms.csv" and not (deep / "glossary").exists()


def test_add_refuses_to_guess_when_briefing_glossary_chooses_the_files(tmp_path):
    only = write(tmp_path, "only.csv", "鴻海,Hon Hai,,company,\n")
    with pytest.raises(BriefingError, match=r"\$BRIEFING_GLOSSARY chooses the glossary files; say which one"):
        add_to_glossary("浸沒式冷卻", "immersion cooling", start=tmp_path, environ=env(tmp_path, BRIEFING_GLOSSARY=str(only)))
    added = add_to_glossary("浸沒式冷卻", "immersion cooling", file=only, start=tmp_path,
                            environ=env(tmp_path, BRIEFING_GLOSSARY=str(only)))
    assert added.path == only and added.layer == "--file" and added.overrides == []


# ---------------------------------------------------------------- through the command line


def _briefing(*args, cwd, tmp_path):
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env(tmp_path)}
    environment.pop("BRIEFING_GLOSSARY", None)
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env=environment, check=False)


def test_cli_add_says_where_it_wrote_and_check_and_list_show_the_layers(tmp_path):
    proc = _briefing("glossary", "add", "鴻海", "Foxconn", "--category", "company", cwd=tmp_path, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    path = user_folder(tmp_path) / "companies.csv"
    assert f"added to {path} (user glossary {user_folder(tmp_path)}): 鴻海 -> Foxconn" in proc.stderr
    assert "overrides '鴻海' → 'Hon Hai (Foxconn)' of the glossary below" in proc.stderr
    check = _briefing("glossary", "check", cwd=tmp_path, tmp_path=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.startswith(f"{path}:2: '鴻海' → 'Foxconn' overrides ")
    assert "1 entry of a later layer override an earlier one" in check.stderr
    listing = _briefing("glossary", "list", cwd=tmp_path, tmp_path=tmp_path).stdout.splitlines()
    assert f"鴻海\tFoxconn\tcompany\t{path}:2" in listing
    assert any(line.startswith("台積電") and str(shipped_glossary_folder()) in line for line in listing)


def test_a_run_uses_the_starter_and_the_users_entries(tmp_path, tiny_model_dir):
    """`translate` loads its glossary as `run` does (build.build_translator): starter and user entries enforced together."""
    added = _briefing("glossary", "add", "浸沒式冷卻", "immersion cooling", cwd=tmp_path, tmp_path=tmp_path)
    assert added.returncode == 0, added.stderr
    proc = _briefing("translate", "--json", "--model", tiny_model_dir, "鴻海的浸沒式冷卻伺服器", cwd=tmp_path, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert f"(starter glossary shipped with briefing + user glossary {user_folder(tmp_path)})" in proc.stderr
    terms = {t["target"]: t for t in json.loads(proc.stdout)["terms"]}
    assert {"Hon Hai (Foxconn)", "immersion cooling"} <= set(terms)  # the starter's term and the user's
    assert all(terms[t]["found"] for t in ("Hon Hai (Foxconn)", "immersion cooling"))


def test_add_with_requires_and_a_file_inside_the_project(tmp_path):
    project = write(tmp_path / "glossary", "terms.csv", "浸沒式冷卻,immersion cooling,,term,\n").parent
    added = add_to_glossary("鳳梨", "Pineapple Inc", category="company", requires="手機|股價", start=tmp_path,
                            file=project / "extra.csv", environ=env(tmp_path))
    assert added.layer == f"project folder {project}"  # a new file in the project's folder is the project's
    assert added.path.read_text(encoding="utf-8") == HEADER.strip() + ",requires\n鳳梨,Pineapple Inc,,company,,手機|股價\n"
    assert by_source(load_source(find_glossary(tmp_path, env(tmp_path))))["鳳梨"].requires == ("手機", "股價")
    with pytest.raises(BriefingError, match="'浸沒式冷卻' is already a source"):  # the project's own entries clash
        add_to_glossary("浸沒式冷卻", "immersion-cooling", file=project / "extra.csv", start=tmp_path, environ=env(tmp_path))
