"""The Qt-free core of StudyApp: decks, store, scheduling, review, quizzes."""
