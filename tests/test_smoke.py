from matchmaker.enums import Role


def test_home_page_english_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Upcoming matchmaking days" in response.data


def test_login_then_dashboard(client, auth, make_user):
    user = make_user(Role.COMPANY)
    response = auth.login(user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert user.organization.name.encode() in page.data


def test_each_test_client_request_is_isolated(app, client, auth, make_user):
    """A signed-in client must not leak its user into another client's requests (fresh context each)."""
    auth.login(make_user(Role.COMPANY))
    assert client.get("/dashboard").status_code == 200
    other = app.test_client()
    assert other.get("/dashboard").status_code == 302
