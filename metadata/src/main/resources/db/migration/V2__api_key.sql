-- Per-project API keys of the ingest gateway (ops-cli keys create|list|revoke).
-- A key is shown once, as mf_<id>_<secret>; only the SHA-256 of its secret is kept (hex), never
-- the key. project is a project name or '*' (every project). Times are epoch milliseconds.
-- The same SQL runs on SQLite and PostgreSQL 15+.
CREATE TABLE api_key (
    id          TEXT    NOT NULL,
    hash        TEXT    NOT NULL,
    project     TEXT    NOT NULL,
    scope       TEXT    NOT NULL,
    label       TEXT,
    created_at  BIGINT  NOT NULL,
    revoked_at  BIGINT,
    CONSTRAINT api_key_pk PRIMARY KEY (id),
    CONSTRAINT api_key_scope_ck CHECK (scope IN ('write', 'read'))
);
