-- Roles and row-level security. Students and instructors log in as roles of
-- their own, members of these two groups; a third role may only join.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'studyapp_student') THEN
        CREATE ROLE studyapp_student NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'studyapp_instructor') THEN
        CREATE ROLE studyapp_instructor NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'studyapp_join') THEN
        CREATE ROLE studyapp_join NOLOGIN;  -- `class init` gives it a password
    END IF;
END $$;

REVOKE ALL ON SCHEMA studyapp FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA studyapp FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA studyapp FROM PUBLIC;
GRANT USAGE ON SCHEMA studyapp
    TO studyapp_student, studyapp_instructor, studyapp_join;

-- Is this login role enrolled in the class under this student id?
CREATE FUNCTION studyapp.is_student(who name, class text, student uuid)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = studyapp, pg_temp AS $$
    SELECT EXISTS (SELECT FROM studyapp.enrolments
                   WHERE role_name = who AND class_id = class
                     AND student_id = student)
$$;

CREATE FUNCTION studyapp.classes_of(who name) RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = studyapp, pg_temp AS $$
    SELECT class_id FROM studyapp.enrolments WHERE role_name = who
    UNION ALL
    SELECT id FROM studyapp.classes WHERE instructor = who
$$;

CREATE FUNCTION studyapp.teaches(who name, class text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = studyapp, pg_temp AS $$
    SELECT EXISTS (SELECT FROM studyapp.classes
                   WHERE id = class AND instructor = who)
$$;

ALTER TABLE studyapp.classes ENABLE ROW LEVEL SECURITY;
ALTER TABLE studyapp.enrolments ENABLE ROW LEVEL SECURITY;
ALTER TABLE studyapp.deck_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE studyapp.deck_cards ENABLE ROW LEVEL SECURITY;
ALTER TABLE studyapp.review_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE studyapp.exam_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE studyapp.card_progress ENABLE ROW LEVEL SECURITY;
ALTER TABLE studyapp.invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE studyapp.server_settings ENABLE ROW LEVEL SECURITY;

-- Classes: each sees the classes they teach or are enrolled in.
GRANT SELECT ON studyapp.classes TO studyapp_student, studyapp_instructor;
CREATE POLICY own_classes ON studyapp.classes FOR SELECT
    TO studyapp_student, studyapp_instructor
    USING (id IN (SELECT studyapp.classes_of(current_user)));

-- Enrolments: a student sees their own row only; instructors get counts
-- through class_report().
GRANT SELECT ON studyapp.enrolments TO studyapp_student;
CREATE POLICY own_enrolment ON studyapp.enrolments FOR SELECT
    TO studyapp_student USING (role_name = current_user);

-- Decks: instructors publish to their own classes; students read the decks
-- of their classes.
GRANT SELECT ON studyapp.deck_versions, studyapp.deck_cards
    TO studyapp_student, studyapp_instructor;
GRANT INSERT ON studyapp.deck_versions TO studyapp_instructor;
GRANT INSERT, DELETE ON studyapp.deck_cards TO studyapp_instructor;
CREATE POLICY read_decks ON studyapp.deck_versions FOR SELECT
    TO studyapp_student, studyapp_instructor
    USING (class_id IN (SELECT studyapp.classes_of(current_user)));
CREATE POLICY publish_decks ON studyapp.deck_versions FOR INSERT
    TO studyapp_instructor
    WITH CHECK (studyapp.teaches(current_user, class_id)
                AND published_by = current_user);
CREATE POLICY read_cards ON studyapp.deck_cards FOR SELECT
    TO studyapp_student, studyapp_instructor
    USING (class_id IN (SELECT studyapp.classes_of(current_user)));
CREATE POLICY write_cards ON studyapp.deck_cards FOR INSERT
    TO studyapp_instructor WITH CHECK (studyapp.teaches(current_user, class_id));
CREATE POLICY delete_cards ON studyapp.deck_cards FOR DELETE
    TO studyapp_instructor USING (studyapp.teaches(current_user, class_id));

-- Events: a student inserts and reads their own rows only. Instructors have
-- no grant on them at all: they read aggregates through class_report().
GRANT SELECT, INSERT ON studyapp.review_events, studyapp.exam_events
    TO studyapp_student;
CREATE POLICY own_reviews ON studyapp.review_events FOR ALL
    TO studyapp_student
    USING (studyapp.is_student(current_user, class_id, student_id))
    WITH CHECK (studyapp.is_student(current_user, class_id, student_id));
CREATE POLICY own_exams ON studyapp.exam_events FOR ALL
    TO studyapp_student
    USING (studyapp.is_student(current_user, class_id, student_id))
    WITH CHECK (studyapp.is_student(current_user, class_id, student_id));

-- Joining: the join role can do nothing but redeem a token for a new
-- pseudonymous student role with a random password.
CREATE FUNCTION studyapp.join_class(token text)
RETURNS TABLE (class_id text, student_id uuid, role_name text, password text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = studyapp, pg_temp AS $$
DECLARE
    invited text;
    student uuid := gen_random_uuid();
    role text := 'studyapp_s_' || replace(student::text, '-', '');
    secret text := replace(gen_random_uuid()::text || gen_random_uuid()::text,
                           '-', '');
BEGIN
    UPDATE studyapp.invitations i SET uses_left = i.uses_left - 1
    WHERE i.token_hash = sha256(convert_to(token, 'UTF8'))
      AND i.expires_at > now() AND i.uses_left > 0
    RETURNING i.class_id INTO invited;
    IF invited IS NULL THEN
        RAISE EXCEPTION 'this invitation is unknown, used up or expired'
            USING ERRCODE = 'invalid_authorization_specification',
                  HINT = 'Ask the instructor for a new invitation link.';
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE studyapp_student',
                   role, secret);
    INSERT INTO studyapp.enrolments (class_id, student_id, role_name)
    VALUES (invited, student, role);
    RETURN QUERY SELECT invited, student, role, secret;
END $$;
GRANT EXECUTE ON FUNCTION studyapp.join_class(text) TO studyapp_join;

-- Instructors make invitations for their own classes.
CREATE FUNCTION studyapp.create_invitation(class text, uses integer,
                                           valid interval)
RETURNS TABLE (token text, join_password text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = studyapp, pg_temp AS $$
DECLARE
    secret text := replace(gen_random_uuid()::text || gen_random_uuid()::text,
                           '-', '');
BEGIN
    IF NOT studyapp.teaches(session_user, class) THEN
        RAISE EXCEPTION 'you do not teach class %', class
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO studyapp.invitations
    VALUES (sha256(convert_to(secret, 'UTF8')), class, now() + valid, uses);
    RETURN QUERY SELECT secret, (SELECT value FROM studyapp.server_settings
                                 WHERE key = 'join_password');
END $$;
GRANT EXECUTE ON FUNCTION studyapp.create_invitation(text, integer, interval)
    TO studyapp_instructor;
