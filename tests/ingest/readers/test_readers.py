"""A folder holding one seed in every format: the same body from each, found by find_inputs."""

import os

from pipeline.ingest.names import output_names
from pipeline.ingest.readers import read_input
from pipeline.ingest.text import find_inputs
from tests.ingest import seed_versions as sv


def test_a_folder_of_every_format_gives_the_same_body(tmp_path):
    (tmp_path / "seed.txt").write_bytes(sv.SEED.read_bytes())
    sv.write_page(tmp_path, "seed.html")
    sv.write_page(tmp_path, "seed-big5.htm", "big5")
    sv.write_docx(tmp_path, "seed.docx")
    sv.write_markdown(tmp_path, "seed.md")
    (tmp_path / "notes.csv").write_text("not an article", encoding="utf-8")
    inputs = find_inputs([tmp_path])
    assert [p.name for p in inputs] == ["seed-big5.htm", "seed.docx", "seed.html", "seed.md", "seed.txt"]
    articles = {p.name: read_input(p) for p in inputs}
    reference = [(b.kind, b.text) for b in articles["seed.txt"].blocks]
    for name, article in articles.items():
        assert [(b.kind, b.text) for b in article.blocks] == reference, name
        assert article.byline == sv.AUTHOR, name
    names = output_names(inputs)
    assert len(set(names.values())) == len(inputs)
    assert names[tmp_path / "seed.txt"] == "seed (txt)" and names[tmp_path / "seed.docx"] == "seed"


def test_dateline_reference_is_the_file_mtime(tmp_path):
    path = tmp_path / "cna.txt"
    path.write_text("（中央社記者王小明台北25日電）台積電今天宣布擴產，法人看好後市。\n", encoding="utf-8")
    os.utime(path, (1764547200, 1764547200))  # 2025-12-01 00:00 UTC
    article = read_input(path)
    assert (article.date, article.date_inferred) == ("2025-11-25", True)
