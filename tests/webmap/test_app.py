"""The web app factory (a placeholder page until the web issue lands)."""

from webmap import create_app


def test_placeholder_page_is_served_in_dutch_first(tmp_path):
    app = create_app({"TESTING": True, "MMM_STORE": f"sqlite:///{tmp_path / 'w.sqlite'}"})
    response = app.test_client().get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="nl">' in page and "mmm aggregate" in page
    assert app.config["MMM_STORE"].endswith("w.sqlite")
