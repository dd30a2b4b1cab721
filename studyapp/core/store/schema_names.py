"""The names of the schema's migrations, known without loading them.

Opening the store compares these with the migrations a database has had;
``migrations.py`` (which loads sqlite-utils) is imported only when one is
missing.
"""

MIGRATION_SET = "studyapp"
#: Every migration in ``migrations.py``, in order (a test keeps them equal).
MIGRATION_NAMES = (
    "0001_initial",
    "0002_exam_history",
    "0003_notes_without_hash",
    "0004_no_exam_time_index",
    "0005_card_flags_and_queue_states",
    "0006_typed_answers",
    "0007_fsrs_optimization_runs",
    "0008_anki_history",
    "0009_fewer_pages",
)
