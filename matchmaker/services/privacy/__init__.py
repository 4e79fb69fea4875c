"""A person's rights over their data (issue #16): download everything held about them (`export`), erase it
(`erase`, with the generic sweep of every table in `scrub`), the requests that lead there (`requests`), and the
retention that erases by itself (`retention`). Services: they take the acting user, audit, and never commit."""
