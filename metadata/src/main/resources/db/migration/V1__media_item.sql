-- Metadata of stored media items. The same SQL runs on SQLite and PostgreSQL 15+:
-- only TEXT / BIGINT / INTEGER types, JSON kept as TEXT, no engine-specific syntax.
CREATE TABLE media_item (
    project       TEXT    NOT NULL,
    run           TEXT    NOT NULL,
    log_key       TEXT    NOT NULL,
    step          BIGINT  NOT NULL,
    item_index    INTEGER NOT NULL,
    media_type    TEXT    NOT NULL,
    object_key    TEXT,
    object_keys   TEXT    NOT NULL,
    content_type  TEXT,
    byte_size     BIGINT,
    sha256        TEXT,
    width         INTEGER,
    height        INTEGER,
    mode          TEXT,
    format        TEXT,
    caption       TEXT,
    grouping      INTEGER,
    classes_json  TEXT    NOT NULL,
    warnings_json TEXT    NOT NULL,
    metadata_json TEXT,
    producer_id   TEXT    NOT NULL,
    logged_at     BIGINT  NOT NULL,
    stored_at     BIGINT  NOT NULL,
    CONSTRAINT media_item_pk PRIMARY KEY (project, run, log_key, step, item_index)
);

CREATE INDEX media_item_step_idx ON media_item (project, run, log_key, step);
