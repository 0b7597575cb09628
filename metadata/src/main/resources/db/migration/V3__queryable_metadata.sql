-- Queryable metadata (issue 14): what metadata_json/classes_json hold, as rows SQL can filter,
-- join and aggregate. Derived by the sink from the item's row, in the same transaction; replaced
-- as a whole (delete then insert, keyed by the item identity) each time the item is written, so
-- a redelivery or a replay changes nothing. The same SQL runs on SQLite and PostgreSQL 15+:
-- TEXT / BIGINT / INTEGER / DOUBLE PRECISION only (SQLite gives DOUBLE PRECISION REAL affinity),
-- booleans as INTEGER 0/1. Every table starts with the item identity of media_item.

-- One row per box of an image. Positions in both domains: px_* in pixels, rel_* as fractions
-- of the image's width and height, whichever the box was logged in (domain: 'pixel' or
-- 'relative'). label is the group's class label, or class_<id> when the group names none.
CREATE TABLE media_box (
    project      TEXT             NOT NULL,
    run          TEXT             NOT NULL,
    log_key      TEXT             NOT NULL,
    step         BIGINT           NOT NULL,
    item_index   INTEGER          NOT NULL,
    box_group    TEXT             NOT NULL,
    box_index    INTEGER          NOT NULL,
    class_id     INTEGER          NOT NULL,
    label        TEXT             NOT NULL,
    domain       TEXT             NOT NULL,
    px_min_x     DOUBLE PRECISION NOT NULL,
    px_max_x     DOUBLE PRECISION NOT NULL,
    px_min_y     DOUBLE PRECISION NOT NULL,
    px_max_y     DOUBLE PRECISION NOT NULL,
    rel_min_x    DOUBLE PRECISION NOT NULL,
    rel_max_x    DOUBLE PRECISION NOT NULL,
    rel_min_y    DOUBLE PRECISION NOT NULL,
    rel_max_y    DOUBLE PRECISION NOT NULL,
    box_caption  TEXT,
    CONSTRAINT media_box_pk PRIMARY KEY (project, run, log_key, step, item_index, box_group, box_index)
);
CREATE INDEX media_box_label_idx ON media_box (project, run, label, step);

-- One row per score of a box, by name. The box's group, class id and label are repeated here
-- so that "label L with score S below v" is one index range, without a join.
CREATE TABLE media_box_score (
    project      TEXT             NOT NULL,
    run          TEXT             NOT NULL,
    log_key      TEXT             NOT NULL,
    step         BIGINT           NOT NULL,
    item_index   INTEGER          NOT NULL,
    box_group    TEXT             NOT NULL,
    box_index    INTEGER          NOT NULL,
    class_id     INTEGER          NOT NULL,
    label        TEXT             NOT NULL,
    score_name   TEXT             NOT NULL,
    score_value  DOUBLE PRECISION NOT NULL,
    CONSTRAINT media_box_score_pk
        PRIMARY KEY (project, run, log_key, step, item_index, box_group, box_index, score_name)
);
CREATE INDEX media_box_score_label_idx ON media_box_score (project, run, label, score_name, score_value);

-- The class set of each image (its classes, every box group's and mask group's labels).
CREATE TABLE media_class (
    project      TEXT    NOT NULL,
    run          TEXT    NOT NULL,
    log_key      TEXT    NOT NULL,
    step         BIGINT  NOT NULL,
    item_index   INTEGER NOT NULL,
    class_id     INTEGER NOT NULL,
    class_name   TEXT    NOT NULL,
    CONSTRAINT media_class_pk PRIMARY KEY (project, run, log_key, step, item_index, class_id)
);
CREATE INDEX media_class_name_idx ON media_class (project, run, class_name);

-- One row per bin of a histogram: [left_edge, right_edge) holds bin_count values (the last
-- bin is closed, as numpy's). bin_count is a whole number unless the histogram was logged
-- precomputed with fractional counts.
CREATE TABLE histogram_bin (
    project      TEXT             NOT NULL,
    run          TEXT             NOT NULL,
    log_key      TEXT             NOT NULL,
    step         BIGINT           NOT NULL,
    item_index   INTEGER          NOT NULL,
    bin_index    INTEGER          NOT NULL,
    left_edge    DOUBLE PRECISION NOT NULL,
    right_edge   DOUBLE PRECISION NOT NULL,
    bin_count    DOUBLE PRECISION NOT NULL,
    CONSTRAINT histogram_bin_pk PRIMARY KEY (project, run, log_key, step, item_index, bin_index)
);

-- One row per point cloud, table, video or audio item: the facts its metadata holds, NULL
-- where the type (or, for a file, its format) does not tell.
CREATE TABLE media_facts (
    project          TEXT             NOT NULL,
    run              TEXT             NOT NULL,
    log_key          TEXT             NOT NULL,
    step             BIGINT           NOT NULL,
    item_index       INTEGER          NOT NULL,
    media_type       TEXT             NOT NULL,
    original_points  BIGINT,
    kept_points      BIGINT,
    truncated        INTEGER,
    row_count        BIGINT,
    column_count     INTEGER,
    frame_count      BIGINT,
    fps              DOUBLE PRECISION,
    duration_seconds DOUBLE PRECISION,
    sample_rate      INTEGER,
    channels         INTEGER,
    width            INTEGER,
    height           INTEGER,
    format           TEXT,
    CONSTRAINT media_facts_pk PRIMARY KEY (project, run, log_key, step, item_index)
);
CREATE INDEX media_facts_type_idx ON media_facts (project, run, media_type, truncated);

-- Runs: how far each got. A view over media_item, so it is always exactly what is stored; the
-- index holds every column the view reads, so a project's runs are summed from the index alone.
CREATE INDEX media_item_run_idx ON media_item (project, run, media_type, step, logged_at);
CREATE VIEW run_summary AS
SELECT project,
       run,
       -- summary media (logged once per run, reserved step -1) count as items, not as steps
       MIN(CASE WHEN step >= 0 THEN step END)                   AS first_step,
       MAX(CASE WHEN step >= 0 THEN step END)                   AS last_step,
       COUNT(*)                                                 AS items,
       SUM(CASE WHEN step = -1 THEN 1 ELSE 0 END)               AS summary_items,
       SUM(CASE WHEN media_type = 'image' THEN 1 ELSE 0 END)     AS images,
       SUM(CASE WHEN media_type = 'histogram' THEN 1 ELSE 0 END) AS histograms,
       SUM(CASE WHEN media_type = 'object3D' THEN 1 ELSE 0 END)  AS point_clouds,
       SUM(CASE WHEN media_type = 'table' THEN 1 ELSE 0 END)     AS tables,
       SUM(CASE WHEN media_type = 'video' THEN 1 ELSE 0 END)     AS videos,
       SUM(CASE WHEN media_type = 'audio' THEN 1 ELSE 0 END)     AS audios,
       SUM(CASE WHEN media_type NOT IN ('image', 'histogram', 'object3D', 'table', 'video', 'audio')
                THEN 1 ELSE 0 END)                              AS others,
       MIN(logged_at)                                           AS first_logged_at,
       MAX(logged_at)                                           AS last_logged_at
FROM media_item
GROUP BY project, run;
