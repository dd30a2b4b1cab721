"""Moved to ``studyapp.core.authoring``; kept so old imports work.

``draft_deck`` here drafts as the first drafter did (``legacy=True``); the
``studyapp draft`` command and the app draft with ``legacy=False``.
"""

from studyapp.core.authoring.draft import DraftResult, draft_deck
from studyapp.core.authoring.output import draft_to_yaml

__all__ = ["DraftResult", "draft_deck", "draft_to_yaml"]
