"""The PySide6 desktop app: thin widgets over studyapp.core."""
