from datetime import datetime

from studyapp.core.model import Rating
from studyapp.core.store.codecs import state_from_json, state_to_json
from studyapp.core.study.scheduling import Scheduler, new_state


def test_state_json_round_trip(now: datetime, scheduler: Scheduler) -> None:
    state = scheduler.review(new_state(3, now), Rating.GOOD, now)
    assert state_from_json(3, state_to_json(state)) == state
