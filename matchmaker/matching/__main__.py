import sys

from matchmaker.matching.cli import main

sys.exit(main())
