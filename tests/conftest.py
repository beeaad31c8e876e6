from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from tracker import db as database
from tracker import ingest as ingesting

ROOT = Path(__file__).parent.parent
SEEDS = ROOT / "seeds"
SEED = next(SEEDS.glob("*.txt"))
FIXTURES = Path(__file__).parent / "fixtures"
ARTICLES = FIXTURES / "articles"
GOLD = FIXTURES / "gold.jsonl"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "claims.db"


@pytest.fixture
def db(db_path: Path) -> sqlite_utils.Database:
    return database.connect(db_path)


@pytest.fixture
def seeded(db: sqlite_utils.Database) -> sqlite_utils.Database:
    report = ingesting.ingest(db, [SEEDS])
    assert report.rejected == []
    return db


@pytest.fixture
def article_file(tmp_path: Path):
    """Write an article to a file and return its path."""

    def write(text: str | bytes, name: str = "article.txt") -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write
