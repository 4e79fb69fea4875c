import sys

from matchmaker.scheduling.cli import main

sys.exit(main())
