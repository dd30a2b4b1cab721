import subprocess
import sys
from pathlib import Path

import pytest

from studyapp.core.library import Library
from studyapp.core.safety.lock import InstanceLock, InstanceLockedError

_HOLD = """
import sys, time
from pathlib import Path
from studyapp.core.library import Library
library = Library.open(Path(sys.argv[1]))
print("open", flush=True)
time.sleep(60)
"""


def test_a_second_lock_on_the_same_folder_is_refused(tmp_path: Path) -> None:
    first = InstanceLock(tmp_path)
    first.acquire()
    assert first.is_held
    with pytest.raises(InstanceLockedError, match="already running") as refused:
        InstanceLock(tmp_path).acquire()
    assert str(tmp_path) in str(refused.value)
    first.release()
    with InstanceLock(tmp_path) as again:
        assert again.is_held
    assert not again.is_held


def test_library_open_refuses_a_second_instance_until_the_first_closes(
    tmp_path: Path,
) -> None:
    library = Library.open(tmp_path)
    with pytest.raises(InstanceLockedError, match="--data-dir"):
        Library.open(tmp_path)
    library.close()
    Library.open(tmp_path).close()


def test_another_process_is_refused_and_a_killed_one_frees_the_folder(
    tmp_path: Path,
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(InstanceLockedError, match=f"process {holder.pid}"):
            Library.open(tmp_path)
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    Library.open(tmp_path).close()  # the lock died with the process
