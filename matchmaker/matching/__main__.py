"""`python -m matchmaker.matching`: runs the command line of cli.py."""

import sys

from matchmaker.matching.cli import main

sys.exit(main())
