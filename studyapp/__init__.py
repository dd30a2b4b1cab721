"""StudyApp: study from source documents with spaced repetition."""

__version__ = "0.1.0"
