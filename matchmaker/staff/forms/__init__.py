"""The staff area's forms, one module per topic (as `staff/views/`): programs, events (matchmaking days),
registrations, pair rules, the schedule board, imports, languages, reports and the day of the event. Forms validate
what was typed and turn it into the values a service takes (`values()`); they change nothing themselves."""
