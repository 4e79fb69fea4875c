"""Members' area: requests, agenda, availability, recommendations (routes) and post-meeting feedback
(feedback). Each module adds its views to the one blueprint, `routes.bp`."""

from matchmaker.meetings import directory, feedback, messages, printing, proposals, routes, states  # noqa: F401
