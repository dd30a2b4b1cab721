-- Class server tables. Applied once by `studyapp class init`; never edit a
-- shipped file, add the next one. Times are timestamptz (UTC on the wire).

CREATE TABLE studyapp.server_settings (
    key text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE studyapp.classes (
    id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    title text NOT NULL,
    instructor name NOT NULL,  -- the instructor's login role
    exam_at timestamptz,
    -- No individual student's data is shown unless the class opts in.
    share_individuals boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- A student is a pseudonymous id with a login role of its own, per class.
CREATE TABLE studyapp.enrolments (
    class_id text NOT NULL REFERENCES studyapp.classes (id),
    student_id uuid NOT NULL UNIQUE,
    role_name name NOT NULL UNIQUE,
    joined_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (class_id, student_id)
);

-- Only a hash of each invitation token is kept.
CREATE TABLE studyapp.invitations (
    token_hash bytea PRIMARY KEY,
    class_id text NOT NULL REFERENCES studyapp.classes (id),
    expires_at timestamptz NOT NULL,
    uses_left integer NOT NULL CHECK (uses_left >= 0)
);

-- Every published version of a deck: the YAML file and its source texts
-- (relative path -> text), content-hashed. Versions are never rewritten.
CREATE TABLE studyapp.deck_versions (
    class_id text NOT NULL REFERENCES studyapp.classes (id),
    deck_id text NOT NULL,
    version integer NOT NULL CHECK (version > 0),
    content_hash text NOT NULL,
    yaml text NOT NULL,
    sources jsonb NOT NULL DEFAULT '{}',
    published_at timestamptz NOT NULL DEFAULT now(),
    published_by name NOT NULL DEFAULT current_user,
    PRIMARY KEY (class_id, deck_id, version)
);

-- The review cards of each deck's latest version, for the report: where each
-- comes from (section, quote) and what it asks.
CREATE TABLE studyapp.deck_cards (
    class_id text NOT NULL REFERENCES studyapp.classes (id),
    deck_id text NOT NULL,
    note_id text NOT NULL,
    ord smallint NOT NULL,
    source_ref text NOT NULL DEFAULT '',
    section text NOT NULL DEFAULT '',
    quote text NOT NULL DEFAULT '',
    prompt text NOT NULL DEFAULT '',
    position integer NOT NULL DEFAULT 0,  -- order in the deck file
    PRIMARY KEY (class_id, deck_id, note_id, ord)
);

-- Append-only event logs, partitioned by month. The key is the event id:
-- a retried push inserts nothing twice.
CREATE TABLE studyapp.review_events (
    class_id text NOT NULL,
    student_id uuid NOT NULL,
    deck_id text NOT NULL,
    note_id text NOT NULL,
    ord smallint NOT NULL,
    reviewed_at timestamptz NOT NULL,
    rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 4),
    duration_ms integer NOT NULL DEFAULT 0,
    state_before smallint NOT NULL,
    stability real,
    difficulty real,
    due timestamptz,
    PRIMARY KEY (class_id, student_id, deck_id, note_id, ord, reviewed_at)
) PARTITION BY RANGE (reviewed_at);

CREATE TABLE studyapp.exam_events (
    class_id text NOT NULL,
    student_id uuid NOT NULL,
    deck_id text NOT NULL,
    note_id text NOT NULL,  -- '' for a question not tied to one card
    ord smallint NOT NULL,
    answered_at timestamptz NOT NULL,
    position integer NOT NULL,
    question_type text NOT NULL,
    source_ref text NOT NULL DEFAULT '',
    section text NOT NULL DEFAULT '',
    score real NOT NULL CHECK (score BETWEEN 0 AND 1),
    PRIMARY KEY (class_id, student_id, deck_id, note_id, ord, answered_at, position)
) PARTITION BY RANGE (answered_at);

-- Each student's latest state of each card, kept by the insert trigger below,
-- so a report reads one row per (card, student) instead of every event.
CREATE TABLE studyapp.card_progress (
    class_id text NOT NULL,
    deck_id text NOT NULL,
    note_id text NOT NULL,
    ord smallint NOT NULL,
    student_id uuid NOT NULL,
    last_review timestamptz NOT NULL,
    stability real,
    reviews integer NOT NULL,
    lapses integer NOT NULL,
    PRIMARY KEY (class_id, deck_id, note_id, ord, student_id)
);

-- Monthly partitions for both event tables, from one month to another.
CREATE FUNCTION studyapp.ensure_partitions(first date, last date)
RETURNS void LANGUAGE plpgsql SET search_path = studyapp, pg_temp AS $$
DECLARE
    month date := date_trunc('month', first);
    name text;
BEGIN
    WHILE month <= last LOOP
        FOREACH name IN ARRAY ARRAY['review_events', 'exam_events'] LOOP
            EXECUTE format(
                'CREATE TABLE IF NOT EXISTS studyapp.%I PARTITION OF studyapp.%I '
                'FOR VALUES FROM (%L) TO (%L)',
                name || '_' || to_char(month, 'YYYY_MM'), name,
                month::timestamp AT TIME ZONE 'UTC',
                (month + interval '1 month')::timestamp AT TIME ZONE 'UTC');
        END LOOP;
        month := month + interval '1 month';
    END LOOP;
END $$;

-- Events outside the prepared months still land (clock skew, old catch-up).
CREATE TABLE studyapp.review_events_other PARTITION OF studyapp.review_events DEFAULT;
CREATE TABLE studyapp.exam_events_other PARTITION OF studyapp.exam_events DEFAULT;

CREATE FUNCTION studyapp.roll_reviews() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = studyapp, pg_temp AS $$
BEGIN
    INSERT INTO studyapp.card_progress AS cp
        (class_id, deck_id, note_id, ord, student_id, last_review, stability,
         reviews, lapses)
    SELECT DISTINCT ON (class_id, deck_id, note_id, ord, student_id)
        class_id, deck_id, note_id, ord, student_id, reviewed_at, stability,
        count(*) OVER card, sum((rating = 1 AND state_before = 2)::int) OVER card
    FROM new_rows
    WINDOW card AS (PARTITION BY class_id, deck_id, note_id, ord, student_id)
    ORDER BY class_id, deck_id, note_id, ord, student_id, reviewed_at DESC
    ON CONFLICT (class_id, deck_id, note_id, ord, student_id) DO UPDATE SET
        reviews = cp.reviews + excluded.reviews,
        lapses = cp.lapses + excluded.lapses,
        stability = CASE WHEN excluded.last_review > cp.last_review
                         THEN excluded.stability ELSE cp.stability END,
        last_review = greatest(cp.last_review, excluded.last_review);
    RETURN NULL;
END $$;

-- A statement trigger sees only the rows really inserted (not the ones a
-- retried push skipped), so the rollup counts each event once.
CREATE TRIGGER review_events_roll AFTER INSERT ON studyapp.review_events
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION studyapp.roll_reviews();
