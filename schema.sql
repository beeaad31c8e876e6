-- claim-tracker: the source of truth for the database shape.
-- Applied by tracker.db.ensure_schema() on every start; every statement is idempotent.

CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    url TEXT,                       -- the header's URL, when the copy was saved from the web
    title TEXT NOT NULL,
    section TEXT,                   -- the header's section, when it is not a URL
    published_at TEXT NOT NULL,     -- ISO 8601, UTC when the article gives a time
    updated_at TEXT,
    sha256 TEXT NOT NULL UNIQUE,    -- of the raw bytes: re-ingesting the same file is a no-op
    raw_text TEXT NOT NULL,         -- verbatim, as decoded from UTF-8; claim offsets index into it
    ingested_at TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'en'  -- ISO 639-1, detected from raw_text (tracker/language.py)
);
-- Serves the language facet.
CREATE INDEX IF NOT EXISTS idx_sources_language ON sources(language);
-- Serves the newest sources first: the sources table, the dashboard's latest week, a speaker's
-- latest claims (one entry per article, not per claim).
CREATE INDEX IF NOT EXISTS idx_sources_published ON sources(published_at);

CREATE TABLE IF NOT EXISTS people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT,
    -- person; unresolved: a speaker the article never names ("ministry official", as written);
    -- organisation: an institution credited with no spokesperson named ("Kremlin")
    kind TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'organisation', 'unresolved')),
    -- who the person is in every script: "Юрий Ушаков" and "Yuri Ushakov" are one row
    -- (tracker/identity.py); a database made before it gets them when a command next opens it
    identity TEXT
);
CREATE INDEX IF NOT EXISTS idx_people_identity ON people(identity);

CREATE TABLE IF NOT EXISTS subjects (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL              -- person, country, place, organisation, topic, event, agreement, unknown
);

CREATE TABLE IF NOT EXISTS claims (
    id INTEGER PRIMARY KEY,
    claim_key TEXT NOT NULL UNIQUE, -- hash of the source hash and the normalised text: stable identity
    source_id INTEGER NOT NULL REFERENCES sources(id),
    speaker_id INTEGER NOT NULL REFERENCES people(id),
    attributed_to_id INTEGER REFERENCES people(id),
    text TEXT NOT NULL,
    subjects TEXT NOT NULL DEFAULT '[]',  -- JSON array of subject names, for Datasette's array facet
    is_commitment INTEGER NOT NULL CHECK (is_commitment IN (0, 1)),
    deadline TEXT,                  -- ISO date, only when the text states one
    deadline_text TEXT,             -- the phrase the deadline (or a vague time) came from
    follow_up_due TEXT NOT NULL,    -- deadline, else published date + review period
    status TEXT CHECK (status IN ('not-yet-rated', 'in-the-works', 'stalled', 'kept', 'compromise', 'broken')),
    last_checked TEXT,              -- checked_on of the latest follow-up
    line INTEGER NOT NULL CHECK (line >= 1),
    char_start INTEGER NOT NULL CHECK (char_start >= 0),
    char_end INTEGER NOT NULL CHECK (char_end > char_start),
    quote TEXT NOT NULL,            -- exactly sources.raw_text[char_start:char_end]
    retracted_at TEXT,              -- set by `tracker reextract` when the extractor no longer finds it
    retraction_reason TEXT,
    -- how the article gives it: an item of a list, reported speech or a quotation in running text
    form TEXT NOT NULL DEFAULT 'list' CHECK (form IN ('list', 'reported', 'quote')),
    statement_id INTEGER REFERENCES statements(id),  -- the statement it reports (tracker/statements.py)
    -- dictionary forms of its Russian words not already written so, for search (tracker/search.py)
    lemmas TEXT NOT NULL DEFAULT '',
    CHECK (is_commitment = 1 OR status IS NULL)
);
CREATE INDEX IF NOT EXISTS idx_claims_source ON claims(source_id);
CREATE INDEX IF NOT EXISTS idx_claims_speaker ON claims(speaker_id);
-- With retracted_at, so a speaker's page counts the claims reporting on them from the index alone
-- (16 ms for 3,800 at a million claims when each row was read); it replaces the index on
-- attributed_to_id alone.
DROP INDEX IF EXISTS idx_claims_attributed;
CREATE INDEX IF NOT EXISTS idx_claims_attributed_state ON claims(attributed_to_id, retracted_at);
-- Serves the is_commitment facet and counting open commitments without reading rows.
CREATE INDEX IF NOT EXISTS idx_claims_commitment_state ON claims(is_commitment, retracted_at);
CREATE INDEX IF NOT EXISTS idx_claims_status ON claims(status);
-- Dates are indexed for commitments only (idx_open_commitments_*, below): an index on a date
-- column of every claim puts each new claim on a random page of it, and those page writes were
-- much of an ingest's time. These were the earlier, all-claims versions:
DROP INDEX IF EXISTS idx_claims_commitment;
DROP INDEX IF EXISTS idx_claims_deadline;
DROP INDEX IF EXISTS idx_claims_follow_up_due;

-- One assertion of one speaker, however many outlets printed it: its claims are its appearances.
CREATE TABLE IF NOT EXISTS statements (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims(id),  -- representative: earliest commitment, else earliest
    speaker_id INTEGER NOT NULL REFERENCES people(id),
    text TEXT NOT NULL,             -- the earliest appearance's text
    match_words TEXT NOT NULL DEFAULT '',  -- its stemmed words, compared with a new claim's
    fact_key TEXT NOT NULL,         -- the numbers its earliest wording gives, sorted (grouping index)
    first_seen TEXT NOT NULL,       -- publication time of the earliest appearance
    last_seen TEXT NOT NULL,        -- publication time of the latest appearance
    appearances INTEGER NOT NULL CHECK (appearances >= 0)  -- claims not retracted
);
CREATE INDEX IF NOT EXISTS idx_statements_candidates ON statements(speaker_id, fact_key, first_seen);
-- Each number of a statement's fact_key: a claim giving fewer numbers finds the statements that
-- give all of its numbers and more ("479 drones" of "479 drones and 20 missiles").
CREATE TABLE IF NOT EXISTS statement_numbers (
    speaker_id INTEGER NOT NULL,
    number TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    statement_id INTEGER NOT NULL REFERENCES statements(id),
    PRIMARY KEY (speaker_id, number, first_seen, statement_id)
) WITHOUT ROWID;
-- Every foreign key has an index: inserting a statement while a claim naming it waits for it
-- (deferred) makes SQLite look up the statement's children, a table scan without one.
CREATE INDEX IF NOT EXISTS idx_statement_numbers_statement ON statement_numbers(statement_id);
-- Not unique: a statement emptied by a split or merge keeps its last representative.
CREATE INDEX IF NOT EXISTS idx_statements_representative ON statements(claim_id);
-- The statements table's sort and facet (metadata.yml): without them each first view read all
-- 864,000 statements at a million claims (123 ms a view; 425 ms a first view, 119 ms after).
CREATE INDEX IF NOT EXISTS idx_statements_last_seen ON statements(last_seen);
CREATE INDEX IF NOT EXISTS idx_statements_appearances ON statements(appearances);
CREATE INDEX IF NOT EXISTS idx_claims_statement ON claims(statement_id);

-- Claims moved between statements by hand (`tracker statement split/merge`): append-only.
CREATE TABLE IF NOT EXISTS statement_log (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims(id),
    from_statement_id INTEGER REFERENCES statements(id),
    to_statement_id INTEGER NOT NULL REFERENCES statements(id),
    action TEXT NOT NULL CHECK (action IN ('split', 'merge')),
    note TEXT,
    recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_statement_log_claim ON statement_log(claim_id);
CREATE INDEX IF NOT EXISTS idx_statement_log_from ON statement_log(from_statement_id);
CREATE INDEX IF NOT EXISTS idx_statement_log_to ON statement_log(to_statement_id);
CREATE TRIGGER IF NOT EXISTS statement_log_no_update BEFORE UPDATE ON statement_log
BEGIN
    SELECT RAISE(ABORT, 'statement_log is append-only');
END;
CREATE TRIGGER IF NOT EXISTS statement_log_no_delete BEFORE DELETE ON statement_log
BEGIN
    SELECT RAISE(ABORT, 'statement_log is append-only');
END;

CREATE TABLE IF NOT EXISTS claim_subjects (
    claim_id INTEGER NOT NULL REFERENCES claims(id),
    subject_id INTEGER NOT NULL REFERENCES subjects(id),
    PRIMARY KEY (claim_id, subject_id)
);
CREATE INDEX IF NOT EXISTS idx_claim_subjects_subject ON claim_subjects(subject_id);

-- Follow-ups on commitments: append-only, corrections are new rows.
CREATE TABLE IF NOT EXISTS follow_ups (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims(id),
    status TEXT NOT NULL CHECK (status IN ('not-yet-rated', 'in-the-works', 'stalled', 'kept', 'compromise', 'broken')),
    checked_on TEXT NOT NULL,       -- ISO date the evidence was checked
    note TEXT,
    evidence TEXT NOT NULL DEFAULT '[]',  -- JSON array of URLs
    checked_by TEXT,
    recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_follow_ups_claim ON follow_ups(claim_id, id);

CREATE TRIGGER IF NOT EXISTS follow_ups_no_update BEFORE UPDATE ON follow_ups
BEGIN
    SELECT RAISE(ABORT, 'follow_ups is append-only: record a new follow-up instead');
END;
CREATE TRIGGER IF NOT EXISTS follow_ups_no_delete BEFORE DELETE ON follow_ups
BEGIN
    SELECT RAISE(ABORT, 'follow_ups is append-only: record a new follow-up instead');
END;
-- A claim's status is always the latest follow-up's of its statement: a follow-up recorded on
-- any appearance rates every commitment among the statement's appearances.
CREATE TRIGGER IF NOT EXISTS follow_ups_set_status AFTER INSERT ON follow_ups
BEGIN
    UPDATE claims SET status = NEW.status, last_checked = NEW.checked_on
    WHERE id = NEW.claim_id OR (is_commitment = 1 AND statement_id IS NOT NULL
        AND statement_id = (SELECT statement_id FROM claims WHERE id = NEW.claim_id));
END;

-- Full-text search on claim text, kept in sync by triggers. content="claims" lets Datasette detect it.
-- `lemmas` lets a search for "переговоры" find "переговоров": queries are widened to dictionary
-- forms too (tracker/search.py; in Datasette, the plugin's escape_fts).
CREATE VIRTUAL TABLE IF NOT EXISTS claims_fts USING fts5(text, lemmas, content="claims", content_rowid="id");
-- `tracker ingest` sets `active` inside its own write transactions and clears it before each
-- commit, so no other connection ever sees it set: meanwhile new claims skip the insert trigger
-- and are added to the full-text index in one statement at the commit (per-row inserts were
-- half of the write time).
CREATE TABLE IF NOT EXISTS fts_deferred (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    active INTEGER NOT NULL CHECK (active IN (0, 1))
);
INSERT OR IGNORE INTO fts_deferred (id, active) VALUES (1, 0);
CREATE TRIGGER IF NOT EXISTS claims_fts_insert AFTER INSERT ON claims
WHEN NOT (SELECT active FROM fts_deferred)
BEGIN
    INSERT INTO claims_fts(rowid, text, lemmas) VALUES (NEW.id, NEW.text, NEW.lemmas);
END;
CREATE TRIGGER IF NOT EXISTS claims_fts_delete AFTER DELETE ON claims
BEGIN
    INSERT INTO claims_fts(claims_fts, rowid, text, lemmas) VALUES ('delete', OLD.id, OLD.text, OLD.lemmas);
END;
CREATE TRIGGER IF NOT EXISTS claims_fts_update AFTER UPDATE OF text, lemmas ON claims
BEGIN
    INSERT INTO claims_fts(claims_fts, rowid, text, lemmas) VALUES ('delete', OLD.id, OLD.text, OLD.lemmas);
    INSERT INTO claims_fts(rowid, text, lemmas) VALUES (NEW.id, NEW.text, NEW.lemmas);
END;

-- The figures Datasette shows on the claims table's first view: its row count and its facets'
-- counts (speaker_id, is_commitment, status, form; 'subject': claims per subject id; 'rows': all
-- claims, value 0). Counting a million claims took 0.3-0.4 s per figure in every server process
-- after every start and every write; kept here, every process reads them at once. Kept by
-- triggers, except inside `tracker ingest`'s commit groups, which set `after_id` (claims above
-- it are counted at the group's commit, in one statement per figure) and clear it before
-- committing, like fts_deferred. Values counted 0 times stay, with count 0. A database made
-- before the table is counted when a command first opens it (tracker/kept.py, tracker/db.py).
CREATE TABLE IF NOT EXISTS claim_counts (
    facet TEXT NOT NULL,
    value NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (facet, value)
) WITHOUT ROWID;
-- Defers every kept figure (claim_counts and the figures of pages, below).
CREATE TABLE IF NOT EXISTS claim_counts_deferred (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    after_id INTEGER
);
INSERT OR IGNORE INTO claim_counts_deferred (id, after_id) VALUES (1, NULL);

-- The figures the home page, the dashboard, speaker pages and the `commitments` view show, over
-- the claims not retracted. Counting them took 0.2-1 s per page at a million claims, in every
-- server process after every start and every write; kept like claim_counts (by the triggers
-- below, and per commit group by `tracker ingest`), every process reads them at once. Rows
-- counted down to 0 stay. tracker/kept.py recounts them (`tracker check`, older databases).
--
-- Commitments per speaker, follow-up date, status ('' for none) and `listed`: 1 when the
-- `commitments` view lists it (its statement's representative, or in no statement). Per day, so
-- that "overdue today" sums the days before today.
CREATE TABLE IF NOT EXISTS commitment_counts (
    speaker_id INTEGER NOT NULL,
    follow_up_due TEXT NOT NULL,
    status TEXT NOT NULL,
    listed INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (speaker_id, follow_up_due, status, listed)
) WITHOUT ROWID;
-- Claims per speaker and publication day (the date of sources.published_at, as written).
CREATE TABLE IF NOT EXISTS claim_days (
    speaker_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (speaker_id, day)
) WITHOUT ROWID;
-- Claims per speaker and subject.
CREATE TABLE IF NOT EXISTS speaker_subjects (
    speaker_id INTEGER NOT NULL,
    subject_id INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (speaker_id, subject_id)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS claim_counts_insert AFTER INSERT ON claims
WHEN (SELECT after_id FROM claim_counts_deferred) IS NULL
BEGIN
    INSERT INTO claim_counts (facet, value, count) VALUES ('rows', 0, 1), ('speaker_id', NEW.speaker_id, 1),
        ('is_commitment', NEW.is_commitment, 1), ('form', NEW.form, 1)
    ON CONFLICT (facet, value) DO UPDATE SET count = count + 1;
    INSERT INTO claim_counts (facet, value, count) SELECT 'status', NEW.status, 1 WHERE NEW.status IS NOT NULL
    ON CONFLICT (facet, value) DO UPDATE SET count = count + 1;
    -- the figures of pages (one trigger for all: ingest pays one call per claim)
    INSERT INTO commitment_counts (speaker_id, follow_up_due, status, listed, count)
    SELECT NEW.speaker_id, NEW.follow_up_due, coalesce(NEW.status, ''), NEW.statement_id IS NULL
        OR NEW.id IS (SELECT claim_id FROM statements WHERE id = NEW.statement_id), 1
    WHERE NEW.is_commitment = 1 AND NEW.retracted_at IS NULL
    ON CONFLICT (speaker_id, follow_up_due, status, listed) DO UPDATE SET count = count + 1;
    INSERT INTO claim_days (speaker_id, day, count)
    SELECT NEW.speaker_id, substr(published_at, 1, 10), 1 FROM sources
    WHERE id = NEW.source_id AND NEW.retracted_at IS NULL
    ON CONFLICT (speaker_id, day) DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER IF NOT EXISTS claim_counts_delete AFTER DELETE ON claims
WHEN OLD.id <= coalesce((SELECT after_id FROM claim_counts_deferred), OLD.id)
BEGIN
    UPDATE claim_counts SET count = count - 1 WHERE (facet, value) IN (VALUES ('rows', 0),
        ('speaker_id', OLD.speaker_id), ('is_commitment', OLD.is_commitment), ('form', OLD.form), ('status', OLD.status));
    UPDATE commitment_counts SET count = count - 1
    WHERE OLD.is_commitment = 1 AND OLD.retracted_at IS NULL AND speaker_id = OLD.speaker_id
        AND follow_up_due = OLD.follow_up_due AND status = coalesce(OLD.status, '')
        AND listed = (OLD.statement_id IS NULL OR OLD.id IS (SELECT claim_id FROM statements WHERE id = OLD.statement_id));
    UPDATE claim_days SET count = count - 1
    WHERE OLD.retracted_at IS NULL AND speaker_id = OLD.speaker_id
        AND day = (SELECT substr(published_at, 1, 10) FROM sources WHERE id = OLD.source_id);
    -- its subjects, if they are still linked (they are deleted first while foreign keys are on)
    UPDATE speaker_subjects SET count = count - 1
    WHERE OLD.retracted_at IS NULL AND speaker_id = OLD.speaker_id
        AND subject_id IN (SELECT subject_id FROM claim_subjects WHERE claim_id = OLD.id);
END;
-- Only claims already counted (not those a commit group will count at its commit).
CREATE TRIGGER IF NOT EXISTS claim_counts_update AFTER UPDATE OF speaker_id, is_commitment, status, form ON claims
WHEN OLD.id <= coalesce((SELECT after_id FROM claim_counts_deferred), OLD.id)
    AND (OLD.speaker_id IS NOT NEW.speaker_id OR OLD.is_commitment IS NOT NEW.is_commitment
         OR OLD.status IS NOT NEW.status OR OLD.form IS NOT NEW.form)
BEGIN
    UPDATE claim_counts SET count = count - 1 WHERE (facet, value) IN (VALUES
        ('speaker_id', OLD.speaker_id), ('is_commitment', OLD.is_commitment), ('form', OLD.form), ('status', OLD.status));
    INSERT INTO claim_counts (facet, value, count) VALUES ('speaker_id', NEW.speaker_id, 1),
        ('is_commitment', NEW.is_commitment, 1), ('form', NEW.form, 1)
    ON CONFLICT (facet, value) DO UPDATE SET count = count + 1;
    INSERT INTO claim_counts (facet, value, count) SELECT 'status', NEW.status, 1 WHERE NEW.status IS NOT NULL
    ON CONFLICT (facet, value) DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER IF NOT EXISTS claim_counts_subject_insert AFTER INSERT ON claim_subjects
WHEN NEW.claim_id <= coalesce((SELECT after_id FROM claim_counts_deferred), NEW.claim_id)
BEGIN
    INSERT INTO claim_counts (facet, value, count) VALUES ('subject', NEW.subject_id, 1)
    ON CONFLICT (facet, value) DO UPDATE SET count = count + 1;
    INSERT INTO speaker_subjects (speaker_id, subject_id, count)
    SELECT speaker_id, NEW.subject_id, 1 FROM claims WHERE id = NEW.claim_id AND retracted_at IS NULL
    ON CONFLICT (speaker_id, subject_id) DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER IF NOT EXISTS claim_counts_subject_delete AFTER DELETE ON claim_subjects
WHEN OLD.claim_id <= coalesce((SELECT after_id FROM claim_counts_deferred), OLD.claim_id)
BEGIN
    UPDATE claim_counts SET count = count - 1 WHERE facet = 'subject' AND value = OLD.subject_id;
    UPDATE speaker_subjects SET count = count - 1 WHERE subject_id = OLD.subject_id
        AND speaker_id = (SELECT speaker_id FROM claims WHERE id = OLD.claim_id AND retracted_at IS NULL);
END;
-- A counted claim that changes moves from its old figures to its new ones (each trigger only
-- for the columns its figures depend on).
CREATE TRIGGER IF NOT EXISTS commitment_counts_update
AFTER UPDATE OF speaker_id, is_commitment, status, follow_up_due, retracted_at, statement_id ON claims
WHEN (OLD.is_commitment = 1 OR NEW.is_commitment = 1)  -- first: ingest gives every claim a statement
    AND (OLD.speaker_id IS NOT NEW.speaker_id OR OLD.is_commitment IS NOT NEW.is_commitment
         OR OLD.status IS NOT NEW.status OR OLD.follow_up_due IS NOT NEW.follow_up_due
         OR OLD.retracted_at IS NOT NEW.retracted_at OR OLD.statement_id IS NOT NEW.statement_id)
    AND OLD.id <= coalesce((SELECT after_id FROM claim_counts_deferred), OLD.id)
BEGIN
    UPDATE commitment_counts SET count = count - 1
    WHERE OLD.is_commitment = 1 AND OLD.retracted_at IS NULL AND speaker_id = OLD.speaker_id
        AND follow_up_due = OLD.follow_up_due AND status = coalesce(OLD.status, '')
        AND listed = (OLD.statement_id IS NULL OR OLD.id IS (SELECT claim_id FROM statements WHERE id = OLD.statement_id));
    INSERT INTO commitment_counts (speaker_id, follow_up_due, status, listed, count)
    SELECT NEW.speaker_id, NEW.follow_up_due, coalesce(NEW.status, ''), NEW.statement_id IS NULL
        OR NEW.id IS (SELECT claim_id FROM statements WHERE id = NEW.statement_id), 1
    WHERE NEW.is_commitment = 1 AND NEW.retracted_at IS NULL
    ON CONFLICT (speaker_id, follow_up_due, status, listed) DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER IF NOT EXISTS claim_days_update AFTER UPDATE OF speaker_id, source_id, retracted_at ON claims
WHEN OLD.id <= coalesce((SELECT after_id FROM claim_counts_deferred), OLD.id)
    AND (OLD.speaker_id IS NOT NEW.speaker_id OR OLD.source_id IS NOT NEW.source_id
         OR OLD.retracted_at IS NOT NEW.retracted_at)
BEGIN
    UPDATE claim_days SET count = count - 1
    WHERE OLD.retracted_at IS NULL AND speaker_id = OLD.speaker_id
        AND day = (SELECT substr(published_at, 1, 10) FROM sources WHERE id = OLD.source_id);
    INSERT INTO claim_days (speaker_id, day, count)
    SELECT NEW.speaker_id, substr(published_at, 1, 10), 1 FROM sources
    WHERE id = NEW.source_id AND NEW.retracted_at IS NULL
    ON CONFLICT (speaker_id, day) DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER IF NOT EXISTS speaker_subjects_update AFTER UPDATE OF speaker_id, retracted_at ON claims
WHEN OLD.id <= coalesce((SELECT after_id FROM claim_counts_deferred), OLD.id)
    AND (OLD.speaker_id IS NOT NEW.speaker_id OR OLD.retracted_at IS NOT NEW.retracted_at)
BEGIN
    UPDATE speaker_subjects SET count = count - 1
    WHERE OLD.retracted_at IS NULL AND speaker_id = OLD.speaker_id
        AND subject_id IN (SELECT subject_id FROM claim_subjects WHERE claim_id = OLD.id);
    INSERT INTO speaker_subjects (speaker_id, subject_id, count)
    SELECT NEW.speaker_id, subject_id, 1 FROM claim_subjects WHERE claim_id = NEW.id AND NEW.retracted_at IS NULL
    ON CONFLICT (speaker_id, subject_id) DO UPDATE SET count = count + 1;
END;
-- A statement's new representative is listed by `commitments` in place of the old one: each
-- counted commitment of the two leaves its row (-1) for the other value of `listed` (+1). (Both
-- upserts, which find the row by its whole key; `(…) IN (SELECT …)` searched by speaker alone.)
CREATE TRIGGER IF NOT EXISTS commitment_counts_representative AFTER UPDATE OF claim_id ON statements
WHEN OLD.claim_id IS NOT NEW.claim_id
BEGIN
    INSERT INTO commitment_counts (speaker_id, follow_up_due, status, listed, count)
    SELECT speaker_id, follow_up_due, coalesce(status, ''), id = OLD.claim_id, -1 FROM claims
    WHERE id IN (OLD.claim_id, NEW.claim_id) AND statement_id = NEW.id AND is_commitment = 1
        AND retracted_at IS NULL AND id <= coalesce((SELECT after_id FROM claim_counts_deferred), id)
    ON CONFLICT (speaker_id, follow_up_due, status, listed) DO UPDATE SET count = count + excluded.count;
    INSERT INTO commitment_counts (speaker_id, follow_up_due, status, listed, count)
    SELECT speaker_id, follow_up_due, coalesce(status, ''), id = NEW.claim_id, 1 FROM claims
    WHERE id IN (OLD.claim_id, NEW.claim_id) AND statement_id = NEW.id AND is_commitment = 1
        AND retracted_at IS NULL AND id <= coalesce((SELECT after_id FROM claim_counts_deferred), id)
    ON CONFLICT (speaker_id, follow_up_due, status, listed) DO UPDATE SET count = count + excluded.count;
END;
-- An article's new publication date moves its claims to another day.
CREATE TRIGGER IF NOT EXISTS claim_days_published AFTER UPDATE OF published_at ON sources
WHEN substr(OLD.published_at, 1, 10) IS NOT substr(NEW.published_at, 1, 10)
BEGIN
    UPDATE claim_days SET count = count - (SELECT count(*) FROM claims WHERE source_id = NEW.id
        AND claims.speaker_id = claim_days.speaker_id AND retracted_at IS NULL
        AND id <= coalesce((SELECT after_id FROM claim_counts_deferred), id))
    WHERE day = substr(OLD.published_at, 1, 10)
        AND speaker_id IN (SELECT speaker_id FROM claims WHERE source_id = NEW.id);
    INSERT INTO claim_days (speaker_id, day, count)
    SELECT speaker_id, substr(NEW.published_at, 1, 10), count(*) FROM claims
    WHERE source_id = NEW.id AND retracted_at IS NULL
        AND id <= coalesce((SELECT after_id FROM claim_counts_deferred), id)
    GROUP BY speaker_id
    ON CONFLICT (speaker_id, day) DO UPDATE SET count = count + excluded.count;
END;

-- One row per claim with names instead of ids: what `tracker export` prints.
CREATE VIEW IF NOT EXISTS claim_details AS
SELECT
    claims.id,
    claims.claim_key,
    claims.text,
    speaker.name AS speaker,
    speaker.role AS speaker_role,
    speaker.kind AS speaker_kind,
    attributed.name AS attributed_to,
    attributed.role AS attributed_to_role,
    claims.subjects,
    claims.is_commitment,
    claims.deadline,
    claims.deadline_text,
    claims.follow_up_due,
    -- an appearance that is not itself worded as a commitment shows its statement's status
    coalesce(claims.status, (SELECT representative.status FROM statements JOIN claims AS representative
        ON representative.id = statements.claim_id WHERE statements.id = claims.statement_id)) AS status,
    claims.last_checked,
    sources.file_name AS source_file,
    sources.title AS source_title,
    sources.url AS source_url,
    sources.sha256 AS source_sha256,
    sources.published_at,
    claims.line,
    claims.char_start,
    claims.char_end,
    claims.quote,
    claims.form,
    claims.retracted_at,
    claims.retraction_reason,
    claims.statement_id,
    statements.appearances
FROM claims
LEFT JOIN statements ON statements.id = claims.statement_id
JOIN sources ON sources.id = claims.source_id
JOIN people AS speaker ON speaker.id = claims.speaker_id
LEFT JOIN people AS attributed ON attributed.id = claims.attributed_to_id;

-- claims.status is derived: only the follow_ups trigger may change it.
CREATE TRIGGER IF NOT EXISTS claims_status_is_derived BEFORE UPDATE OF status ON claims
WHEN NEW.status IS NOT CASE WHEN NEW.is_commitment = 1 THEN coalesce(
    (SELECT follow_ups.status FROM follow_ups JOIN claims AS appearance ON appearance.id = follow_ups.claim_id
     WHERE appearance.id = NEW.id OR (NEW.statement_id IS NOT NULL AND appearance.statement_id = NEW.statement_id)
     ORDER BY follow_ups.id DESC LIMIT 1), 'not-yet-rated') END
BEGIN
    SELECT RAISE(ABORT, 'claims.status is derived from follow_ups: record a follow-up instead');
END;

-- Each commitment with its speaker, subjects, dates and current status. Names are looked up per
-- output row (not joined), so sorting and counting run on claims' own indexes.
CREATE VIEW IF NOT EXISTS commitments AS
SELECT
    claims.id,
    claims.text,
    (SELECT name FROM people WHERE people.id = claims.speaker_id) AS speaker,
    claims.subjects,
    claims.deadline,
    claims.deadline_text,
    claims.follow_up_due,
    claims.status,
    claims.last_checked,
    -- an INTEGER (CAST gives the column its affinity): Datasette's ?is_rated=0 binds the text '0',
    -- which a bare 0 or 1 never equals
    CAST(claims.status IN ('kept', 'compromise', 'broken') AS INTEGER) AS is_rated,
    (SELECT published_at FROM sources WHERE sources.id = claims.source_id) AS published_at,
    (SELECT title FROM sources WHERE sources.id = claims.source_id) AS source_title,
    (SELECT url FROM sources WHERE sources.id = claims.source_id) AS source_url
FROM claims
WHERE claims.is_commitment = 1 AND claims.retracted_at IS NULL
-- a statement printed by several outlets is one commitment: its representative stands for it
AND (claims.statement_id IS NULL
     OR claims.id = (SELECT claim_id FROM statements WHERE statements.id = claims.statement_id));
-- Serve the commitments view sorted by deadline or follow-up date, and its overdue/due queries.
CREATE INDEX IF NOT EXISTS idx_open_commitments_deadline ON claims(deadline)
    WHERE is_commitment = 1 AND retracted_at IS NULL;
CREATE INDEX IF NOT EXISTS idx_open_commitments_due ON claims(follow_up_due)
    WHERE is_commitment = 1 AND retracted_at IS NULL;
-- Serve the claims table filtered to commitments and sorted by follow-up date, where the site's
-- own links lead (a rating's commitments, the overdue ones). Datasette binds filter values as
-- parameters, which the partial indexes above cannot be proved to match; a comparison on `status`
-- implies `status IS NOT NULL` (only commitments have a status). Covering: counts read no rows.
-- At 841,052 claims those pages took 210-220 ms a view (400,000 rows sorted), 20 ms after.
CREATE INDEX IF NOT EXISTS idx_commitments_by_due ON claims(is_commitment, follow_up_due, status, retracted_at)
    WHERE status IS NOT NULL;

-- Per speaker: commitments by status, overdue today, and the share of final ratings that are "kept".
-- The `commitments` view's rows, counted from commitment_counts (`listed`): a few thousand rows
-- instead of every commitment (1.3 s at a million claims).
CREATE VIEW IF NOT EXISTS scorecard AS
SELECT
    (SELECT name FROM people WHERE people.id = speaker_id) AS speaker,
    sum(count) AS commitments,
    sum((status = 'not-yet-rated') * count) AS not_yet_rated,
    sum((status = 'in-the-works') * count) AS in_the_works,
    sum((status = 'stalled') * count) AS stalled,
    sum((status = 'kept') * count) AS kept,
    sum((status = 'compromise') * count) AS compromise,
    sum((status = 'broken') * count) AS broken,
    sum((status NOT IN ('kept', 'compromise', 'broken', '') AND follow_up_due < date('now')) * count) AS overdue,
    round(1.0 * sum((status = 'kept') * count)
          / nullif(sum((status IN ('kept', 'compromise', 'broken')) * count), 0), 3) AS kept_rate
FROM commitment_counts
WHERE listed = 1 AND count > 0
GROUP BY speaker_id;

-- Every version of an article taken from the web (a saved page or a URL, `tracker/versions.py`):
-- the original bytes as received, where and when they came from, and the house-style text
-- extracted from them. The source's raw_text is its latest version's; an edited article adds a
-- version and its claims are re-extracted (claims that vanished are retracted, not deleted).
CREATE TABLE IF NOT EXISTS source_versions (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    version INTEGER NOT NULL CHECK (version >= 1),
    location TEXT NOT NULL,         -- the saved file's path, or the URL asked for
    final_url TEXT,                 -- the URL after redirects (downloads only)
    http_status INTEGER,
    content_type TEXT,
    last_modified TEXT,             -- the response's Last-Modified and ETag headers, verbatim:
    etag TEXT,                      -- the next fetch asks If-Modified-Since / If-None-Match
    fetched_at TEXT,                -- when it was downloaded, ISO 8601 UTC (downloads only)
    original BLOB NOT NULL,         -- the bytes as fetched or saved
    original_sha256 TEXT NOT NULL,
    raw_text TEXT NOT NULL,         -- the house-style text extracted from them
    text_sha256 TEXT NOT NULL,      -- of raw_text; the current version's is sources.sha256
    recorded_at TEXT NOT NULL,
    UNIQUE (source_id, version)
);
CREATE INDEX IF NOT EXISTS idx_source_versions_location ON source_versions(location);
CREATE INDEX IF NOT EXISTS idx_source_versions_final_url ON source_versions(final_url);

-- Each version of each web source, newest first per source, without the original bytes.
CREATE VIEW IF NOT EXISTS versions AS
SELECT
    source_versions.id,
    source_versions.source_id,
    sources.title,
    sources.url,
    source_versions.version,
    source_versions.version = (SELECT max(version) FROM source_versions AS later
        WHERE later.source_id = source_versions.source_id) AS is_current,
    source_versions.location,
    source_versions.final_url,
    source_versions.http_status,
    source_versions.content_type,
    source_versions.last_modified,
    source_versions.etag,
    source_versions.fetched_at,
    length(source_versions.original) AS original_bytes,
    source_versions.original_sha256,
    source_versions.text_sha256,
    source_versions.recorded_at
FROM source_versions
JOIN sources ON sources.id = source_versions.source_id;
