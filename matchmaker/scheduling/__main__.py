"""`python -m matchmaker.scheduling`: runs the command line of cli.py."""

import sys

from matchmaker.scheduling.cli import main

sys.exit(main())
