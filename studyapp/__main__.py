"""`python -m studyapp` runs the command line (the desktop app by default)."""

import sys

from studyapp.cli import main

sys.exit(main())
