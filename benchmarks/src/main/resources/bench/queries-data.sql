-- Synthetic metadata for QueryBench, generated inside PostgreSQL (no round trips):
-- 1,000,000 items in 10 projects ('street', p1..p9) × 10 runs (r0..r9) × 1,000 steps × 10 slots:
-- slots 0-6 images 'camera' (700,000), slot 7 histogram 'gradients' (100,000), slot 8 point cloud
-- 'lidar' (even steps) or audio 'speech' (odd steps), slot 9 table 'preds', video 'rollout' or
-- html 'page' by step mod 3. Image k (0..699,999) is item block k / 7,000, step (k mod 7,000) / 7,
-- index k mod 7. 5,000,000 boxes (7 or 8 per image) with one 'conf' score each, 3 classes per
-- image, 100,000 histograms of 32 bins, one facts row per cloud, audio clip, table and video.
-- VACUUM ANALYZE at the end leaves the tables as autovacuum keeps a store in steady state
-- (statistics and visibility map, so index-only scans need no heap visits).
CREATE FUNCTION pg_temp.project_of(block INTEGER) RETURNS TEXT
    LANGUAGE SQL IMMUTABLE AS $$ SELECT CASE WHEN block / 10 = 0 THEN 'street' ELSE 'p' || (block / 10) END $$;

INSERT INTO media_item (project, run, log_key, step, item_index, media_type, object_key, object_keys,
                        content_type, byte_size, sha256, width, height, mode, format, caption, grouping,
                        classes_json, warnings_json, metadata_json, producer_id, logged_at, stored_at)
SELECT pg_temp.project_of(block), 'r' || (block % 10), s.log_key, step, s.item_index, s.media_type,
       NULL, '{}', NULL, 1000, NULL,
       CASE WHEN s.media_type = 'image' THEN 640 END, CASE WHEN s.media_type = 'image' THEN 480 END,
       NULL, NULL, NULL, NULL, '[]', '[]', NULL, 'bench', 1700000000000 + n, 1700000000000 + n
FROM (SELECT n, n / 10000 AS block, (n % 10000) / 10 AS step, n % 10 AS slot
      FROM generate_series(0, 999999) AS n) g
CROSS JOIN LATERAL (
    SELECT CASE WHEN slot < 7 THEN 'camera' WHEN slot = 7 THEN 'gradients'
                WHEN slot = 8 THEN CASE WHEN step % 2 = 0 THEN 'lidar' ELSE 'speech' END
                ELSE CASE step % 3 WHEN 0 THEN 'preds' WHEN 1 THEN 'rollout' ELSE 'page' END END AS log_key,
           CASE WHEN slot < 7 THEN slot ELSE 0 END AS item_index,
           CASE WHEN slot < 7 THEN 'image' WHEN slot = 7 THEN 'histogram'
                WHEN slot = 8 THEN CASE WHEN step % 2 = 0 THEN 'object3D' ELSE 'audio' END
                ELSE CASE step % 3 WHEN 0 THEN 'table' WHEN 1 THEN 'video' ELSE 'html' END END AS media_type) s;

CREATE TEMP TABLE bench_box AS
SELECT b, k, b / 700000 AS box_index, k / 7000 AS block, (k % 7000) / 7 AS step, k % 7 AS item_index,
       (k + 3 * (b / 700000)) % 10 AS class_id, (b % 100) / 200.0 AS rel_x, (b % 37) / 74.0 AS rel_y,
       (((b % 1000) * 7919) % 1000) / 1000.0 AS conf
FROM (SELECT b, b % 700000 AS k FROM generate_series(0, 4999999) AS b) g;

INSERT INTO media_box (project, run, log_key, step, item_index, box_group, box_index, class_id, label, domain,
                       px_min_x, px_max_x, px_min_y, px_max_y, rel_min_x, rel_max_x, rel_min_y, rel_max_y,
                       box_caption)
SELECT pg_temp.project_of(block), 'r' || (block % 10), 'camera', step, item_index, 'predictions', box_index,
       class_id, (ARRAY['pedestrian', 'car', 'bicycle', 'truck', 'bus', 'dog', 'cat', 'sign', 'light', 'tree'])[class_id + 1],
       'relative', rel_x * 640, (rel_x + 0.05) * 640, rel_y * 480, (rel_y + 0.05) * 480,
       rel_x, rel_x + 0.05, rel_y, rel_y + 0.05, NULL
FROM bench_box;

INSERT INTO media_box_score (project, run, log_key, step, item_index, box_group, box_index, class_id, label,
                             score_name, score_value)
SELECT pg_temp.project_of(block), 'r' || (block % 10), 'camera', step, item_index, 'predictions', box_index,
       class_id, (ARRAY['pedestrian', 'car', 'bicycle', 'truck', 'bus', 'dog', 'cat', 'sign', 'light', 'tree'])[class_id + 1],
       'conf', conf
FROM bench_box;

INSERT INTO media_class (project, run, log_key, step, item_index, class_id, class_name)
SELECT pg_temp.project_of(k / 7000), 'r' || ((k / 7000) % 10), 'camera', (k % 7000) / 7, k % 7, c.id,
       (ARRAY['pedestrian', 'car', 'bicycle', 'truck', 'bus', 'dog', 'cat', 'sign', 'light', 'road'])[c.id + 1]
FROM generate_series(0, 699999) AS k
CROSS JOIN LATERAL (SELECT (k + 3 * j) % 10 AS id FROM generate_series(0, 2) AS j) c;

INSERT INTO histogram_bin (project, run, log_key, step, item_index, bin_index, left_edge, right_edge, bin_count)
SELECT pg_temp.project_of(h / 1000), 'r' || ((h / 1000) % 10), 'gradients', h % 1000, 0, i,
       -4 + i * 0.25, -4 + (i + 1) * 0.25, (h + i * i) % 50
FROM generate_series(0, 99999) AS h CROSS JOIN generate_series(0, 31) AS i;

INSERT INTO media_facts (project, run, log_key, step, item_index, media_type, original_points, kept_points,
                         truncated, row_count, column_count, frame_count, fps, duration_seconds, sample_rate,
                         channels, width, height, format)
SELECT project, run, log_key, step, item_index, media_type,
       CASE WHEN media_type = 'object3D' THEN 100000 + (step * 7919) % 400000 END,
       CASE WHEN media_type = 'object3D' THEN LEAST(100000 + (step * 7919) % 400000, 300000) END,
       CASE WHEN media_type = 'object3D' THEN CASE WHEN 100000 + (step * 7919) % 400000 > 300000 THEN 1 ELSE 0 END END,
       CASE WHEN media_type = 'table' THEN step % 100 END, CASE WHEN media_type = 'table' THEN 3 END,
       CASE WHEN media_type = 'video' THEN 16 END, CASE WHEN media_type = 'video' THEN 4 END,
       CASE WHEN media_type = 'video' THEN 4 WHEN media_type = 'audio' THEN 1 + step % 10 END,
       CASE WHEN media_type = 'audio' THEN 16000 END, CASE WHEN media_type = 'audio' THEN 1 END,
       NULL, NULL, NULL
FROM media_item
WHERE media_type IN ('object3D', 'audio', 'table', 'video');

DROP TABLE bench_box;
VACUUM ANALYZE media_item;
VACUUM ANALYZE media_box;
VACUUM ANALYZE media_box_score;
VACUUM ANALYZE media_class;
VACUUM ANALYZE histogram_bin;
VACUUM ANALYZE media_facts;
