"""What erasure leaves in place of a name or a message is stored once, in English, and read in the reader's language
on every page and e-mail (Jinja's finalize), while any other text is shown as it was written, escaped as before."""

import pytest
from builders.privacy import build_person
from flask import render_template_string
from flask_babel import force_locale
from markupsafe import escape

from matchmaker.domain.erased_labels import DELETED_NAME, DELETED_ORGANIZATION, REMOVED_MESSAGE
from matchmaker.extensions import db
from matchmaker.services.privacy import erase

KOREAN = {
    DELETED_NAME: "삭제된 참가자",
    DELETED_ORGANIZATION: "삭제된 기관",
    REMOVED_MESSAGE: "[삭제됨: 작성자의 데이터가 삭제되었습니다]",
}


@pytest.mark.parametrize("marker", sorted(KOREAN))
def test_a_marker_is_read_in_the_readers_language(app, marker):
    with app.test_request_context(), force_locale("ko"):
        assert render_template_string("<p>{{ value }}</p>", value=marker) == f"<p>{KOREAN[marker]}</p>"
    with app.test_request_context(), force_locale("en"):
        assert render_template_string("<p>{{ value }}</p>", value=marker) == f"<p>{escape(marker)}</p>"


def test_other_text_is_shown_as_written_and_escaped(app):
    with app.test_request_context(), force_locale("ko"):
        shown = render_template_string("{{ a }}|{{ b }}|{{ n }}", a="Deleted participants", b="<b>x</b>", n=3)

    assert shown == "Deleted participants|&lt;b&gt;x&lt;/b&gt;|3"


def test_the_partner_reads_an_erased_persons_message_in_korean(client, auth, make_user, make_org, make_event,
                                                                make_participation, make_request, add_meeting):
    person = build_person(make_user, make_org, make_event, make_participation, make_request, add_meeting)
    person.partner.locale = "ko"
    erase.erase_person(None, person.user)
    db.session.commit()
    auth.login(person.partner.email)

    page = client.get(f"/requests/{person.meeting.request_id}").get_data(as_text=True)

    assert str(escape(KOREAN[REMOVED_MESSAGE])) in page and str(escape(REMOVED_MESSAGE)) not in page
