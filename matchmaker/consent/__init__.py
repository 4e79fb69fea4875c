"""The privacy notice and the consent page (blueprint `consent`, in routes.py): members asked again, before any other
page, when a consent text has a new version or they never gave one (imported by staff)."""
