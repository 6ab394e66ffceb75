-- A group's figures ask, of each person who came in a period, whether they had come to that
-- group before: a question about one person at one group. A mark's group, kept beside it (a
-- session never changes group), answers it from one index instead of walking every session the
-- person ever attended. It is the desk's own: filled here, never sent.
ALTER TABLE attendance ADD COLUMN group_id TEXT REFERENCES center_groups (id);
UPDATE attendance SET group_id = (SELECT group_id FROM group_sessions WHERE id = attendance.session_id);
CREATE TRIGGER attendance_group AFTER INSERT ON attendance BEGIN
    UPDATE attendance SET group_id = (SELECT group_id FROM group_sessions WHERE id = new.session_id)
    WHERE id = new.id;
END;
-- The figures and the lists count who was present from the index alone.
DROP INDEX attendance_by_session;
DROP INDEX attendance_by_person;
CREATE INDEX attendance_by_session ON attendance (session_id, state, person_id);
CREATE INDEX attendance_by_person ON attendance (person_id, group_id, state, session_id);
