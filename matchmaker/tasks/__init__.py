"""Background jobs whose protocol commits between its steps, so that they cannot run as the one transaction
`matchmaker.jobs.run` makes of a job: the outbox's delivery (`mail`: claim a batch and commit the claim before
sending, mark what was sent as it goes) and a scheduler run (`scheduling`: mark the run started and commit it
before the long solve, then apply the result). Each takes ids, loads, calls the services and commits; the services
stay free of commits and ask for these jobs with `matchmaker.jobs.enqueue_after_commit`.
"""
