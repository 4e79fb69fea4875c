"""The staff area's views, one module per topic; importing this package adds them all to the one blueprint
(`matchmaker.staff.blueprint.bp`)."""
