from __future__ import annotations

import pytest

from tracker.articles import parse_article, split_lines
from tracker.errors import ArticleError

from .conftest import SEED

HEADER = " date 2025-06-14 International\nTitle Here\nTitle Here\n"


def test_seed_header_title_and_timestamps() -> None:
    article = parse_article(SEED.read_bytes(), SEED.name)
    assert article.title == "Putin Holds Phone Conversation With Trump"
    assert article.section == "International"
    assert article.url is None
    assert article.published_at == "2025-06-14T16:05:00+00:00"
    assert article.updated_at == "2025-06-14T16:15:00+00:00"
    assert article.lines[article.body_start - 1].text.startswith("16:05 GMT")


def test_url_in_header_is_kept_as_url() -> None:
    data = b" date 2025-06-04 https://example.org/world/20250604/talks.html\nT\nT\n"
    article = parse_article(data, "a.txt")
    assert article.url == "https://example.org/world/20250604/talks.html"
    assert article.section is None
    assert article.published_at == "2025-06-04T00:00:00+00:00"


def test_timestamp_without_update() -> None:
    article = parse_article((HEADER + "\n09:30 GMT 15.06.2025\nBody.\n").encode(), "a.txt")
    assert article.published_at == "2025-06-15T09:30:00+00:00"
    assert article.updated_at is None


def test_line_offsets_index_the_raw_text_including_crlf() -> None:
    text = "one\r\ntwo\n\nfour"
    lines = split_lines(text)
    assert [line.text for line in lines] == ["one", "two", "", "four"]
    assert [text[line.start : line.end] for line in lines] == ["one", "two", "", "four"]
    assert [line.number for line in lines] == [1, 2, 3, 4]


UTF16_ARTICLE = SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "data",
    [
        UTF16_ARTICLE.encode("utf-16"),  # with a byte-order mark, as Windows' Notepad saves it
        UTF16_ARTICLE.encode("utf-16-be"),  # no mark: told by where the NUL bytes are
        UTF16_ARTICLE.encode("utf-16-le"),
        "\ufeff".encode("utf-16-be") + UTF16_ARTICLE.encode("utf-16-be"),
        " date 2025-06-14 Мир\nПереговоры\n".encode("utf-16-le"),  # not ASCII: fewer NULs
    ],
)
def test_utf16_text_is_named_not_called_binary(data: bytes) -> None:
    with pytest.raises(ArticleError) as error:
        parse_article(data, "a.txt")
    assert str(error.value) == "a.txt: UTF-16 text; convert it to UTF-8"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00",
        b"\xff\xfe\x00",  # a byte-order mark, then an odd number of bytes: not UTF-16
        b"\xff\xfe" + b"\x00\xd8" * 8,  # unpaired surrogates
        bytes(range(256)) * 4,
    ],
)
def test_binary_files_are_still_binary(data: bytes) -> None:
    with pytest.raises(ArticleError) as error:
        parse_article(data, "a.txt")
    assert str(error.value) == "a.txt: looks like a binary file (contains NUL bytes)"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "a.txt: file is empty"),
        (b"  \n\n", "a.txt: file is empty"),
        (b"\x00\x01\x02binary", "a.txt: looks like a binary file (contains NUL bytes)"),
        (" date 2025-06-14 X\nCaf\xe9\n".encode("latin-1"), "a.txt: not valid UTF-8 (byte 22); re-save the file as UTF-8"),
        (b"Title\nBody\n", "a.txt: no ' date YYYY-MM-DD' header on line 1"),
        (b" date 2025-13-45 X\nTitle\n", "a.txt: header date '2025-13-45' is not a valid date"),
        (b" date 2025-06-14 X\n\n", "a.txt: no title or body after the header"),
        (HEADER.encode() + b"25:99 GMT 31.02.2025\n", "a.txt: line 4: impossible timestamp"),
    ],
)
def test_bad_input_raises_one_line_article_error(data: bytes, message: str) -> None:
    with pytest.raises(ArticleError) as error:
        parse_article(data, "a.txt")
    assert str(error.value) == message
