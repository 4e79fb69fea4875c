"""What the tests share besides fixtures: builders of whole worlds (a matchmaking day, a busy day, two offices
with reports, the import desk), files as people upload them, a real SMTP server, apps for the operations tests,
threads that race, and the test client with the one way to sign in (`clients.sign_in`).

A plain package on the test path (`from builders.dayops import build_day`), never `from conftest import …`: with
tests/browser/conftest.py loaded too, "conftest" names two modules. Fixtures stay in the conftest files.
"""
