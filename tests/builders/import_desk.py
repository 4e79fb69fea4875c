"""The import desk shared by the tests of the participant import (test_imports, test_security_imports): an
office's staff member, signed in, with a day to import into, and the upload of a file to that day.

The fixtures are plain pytest fixtures; a test module takes them by naming them at its top
(`staff = import_desk.staff`), so that they stay out of every other module."""

import io

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from matchmaker.enums import Role


@pytest.fixture
def office(make_office):
    return make_office(name="Silicon Valley")


@pytest.fixture
def staff(make_user, office, auth):
    user = make_user(Role.STAFF, office_id=office.id)
    auth.login(user)
    return user


@pytest.fixture
def event(staff, make_program, make_event):
    return make_event(make_program(staff.office), title="AI day")


def upload(client, event, data: bytes, filename: str):
    """Post a file to the event's import form, as a browser does."""
    # The body is built here rather than by the test client, whose spooled temporary file for a large
    # upload would be left open.
    body, length, boundary = stream_encode_multipart({"file": FileStorage(io.BytesIO(data), filename)},
                                                     threshold=len(data) + 1024 * 1024)
    return client.post(f"/staff/events/{event.id}/import", input_stream=body, content_length=length,
                       content_type=f"multipart/form-data; boundary={boundary}")
