"""The `flask privacy …` commands (`cli.py`): a person's data exported or erased from the command line, and the
retention run. What they do is in `matchmaker.services.privacy`; this package only reads arguments and commits."""
