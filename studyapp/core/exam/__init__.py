"""Practice exams: questions, generation, sessions."""
