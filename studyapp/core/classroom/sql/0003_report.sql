-- Aggregates for instructors. Each function checks that the caller's login
-- role teaches the class and returns no row about a single student.

-- Per review card of the class's decks: how many students studied it and
-- their mean FSRS recall (retrievability) now and on the exam date.
-- decay is FSRS parameter w20; recall = (1 + factor * days / stability)^-decay.
CREATE FUNCTION studyapp.class_report(class text, at timestamptz,
                                      exam_at timestamptz, decay float8)
RETURNS TABLE (deck_id text, note_id text, ord smallint, source_ref text,
               section text, quote text, prompt text, card_position integer,
               students bigint,
               studied bigint, recall_now float8, recall_exam float8)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = studyapp, pg_temp AS $$
DECLARE
    factor float8 := power(0.9, 1 / -decay) - 1;
    -- Seconds as float8: date_part is several times cheaper than EXTRACT,
    -- which returns numeric.
    now_s float8 := date_part('epoch', at);
    exam_s float8 := date_part('epoch', exam_at);
    size bigint;
BEGIN
    IF NOT studyapp.teaches(session_user, class) THEN
        RAISE EXCEPTION 'you do not teach class %', class
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT count(*) INTO size FROM studyapp.enrolments e WHERE e.class_id = class;
    -- Aggregate the progress rows first, streaming in key order, and join
    -- the cards' texts to the result: one wide row per card, not per student.
    RETURN QUERY
    WITH progress AS (
        SELECT p.deck_id, p.note_id, p.ord, count(*) AS studied,
            avg(power(1 + factor * greatest(now_s - date_part('epoch', p.last_review), 0)
                      / 86400 / p.stability, -decay)) AS recall_now,
            avg(power(1 + factor * greatest(exam_s - date_part('epoch', p.last_review), 0)
                      / 86400 / p.stability, -decay)) AS recall_exam
        FROM studyapp.card_progress p
        WHERE p.class_id = class AND p.stability > 0
        GROUP BY p.deck_id, p.note_id, p.ord
    )
    SELECT c.deck_id, c.note_id, c.ord, c.source_ref, c.section, c.quote,
        c.prompt, c.position, size, coalesce(g.studied, 0),
        g.recall_now, g.recall_exam
    FROM studyapp.deck_cards c
    LEFT JOIN progress g
        ON g.deck_id = c.deck_id AND g.note_id = c.note_id AND g.ord = c.ord
    WHERE c.class_id = class
    ORDER BY c.deck_id, c.position, c.ord;
END $$;

-- Practice exam results per source section.
CREATE FUNCTION studyapp.class_exam_sections(class text)
RETURNS TABLE (source_ref text, section text, answers bigint, students bigint,
               mean_score float8)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = studyapp, pg_temp AS $$
BEGIN
    IF NOT studyapp.teaches(session_user, class) THEN
        RAISE EXCEPTION 'you do not teach class %', class
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY
    SELECT e.source_ref, e.section, count(*), count(DISTINCT e.student_id),
        avg(e.score)::float8
    FROM studyapp.exam_events e WHERE e.class_id = class
    GROUP BY e.source_ref, e.section;
END $$;

GRANT EXECUTE ON FUNCTION
    studyapp.class_report(text, timestamptz, timestamptz, float8),
    studyapp.class_exam_sections(text)
    TO studyapp_instructor;
