"""Distinct briefing names for inputs that share a stem."""

from pathlib import Path

from pipeline.ingest.names import output_names


def test_same_stem_in_two_folders_is_told_apart_by_the_folder():
    inputs = [Path("a/news.txt"), Path("b/news.txt")]
    assert output_names(inputs) == {Path("a/news.txt"): "news", Path("b/news.txt"): "news (b)"}


def test_same_stem_in_one_folder_is_told_apart_by_the_format():
    inputs = [Path("x/news.docx"), Path("x/news.html"), Path("x/report.txt")]
    assert output_names(inputs) == {Path("x/news.docx"): "news", Path("x/news.html"): "news (html)",
                                    Path("x/report.txt"): "report"}


def test_names_never_collide_and_are_deterministic():
    inputs = [Path("a/news.txt"), Path("b/news.txt"), Path("c/b/news.txt"), Path("news (b).txt"), Path("A/NEWS.txt"),
              "https://example.com/news.html", "https://other.org/news.html"]
    names = output_names(inputs)
    assert len({n.casefold() for n in names.values()}) == len(inputs)
    assert names == output_names(list(inputs))
    assert names["https://other.org/news.html"] == "news (other.org)"


def test_unique_stems_are_kept():
    inputs = [Path("a/one.txt"), Path("b/two.md"), "https://technews.tw/2025/11/25/tsmc/"]
    assert list(output_names(inputs).values()) == ["one", "two", "tsmc"]


def test_several_formats_in_one_of_several_folders():
    inputs = [Path("a/seed.docx"), Path("a/seed.md"), Path("a/seed.txt"), Path("b/seed.txt")]
    assert list(output_names(inputs).values()) == ["seed", "seed (a md)", "seed (a txt)", "seed (b)"]
