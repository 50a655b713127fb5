"""The browser fixtures' own rules: which requests leave the server, where Chromium comes from."""

from pathlib import Path

from hromada.testing import browser
from hromada.testing.browser import PageActivity


def test_only_requests_to_the_live_server_count_as_staying_home():
    activity = PageActivity(
        base_url="http://127.0.0.1:5123",
        requests=[
            "http://127.0.0.1:5123/",
            "http://127.0.0.1:5123/static/hromada.css?v=1",
            "data:image/svg+xml,%3Csvg%3E",
            "http://127.0.0.1:5999/other-port",
            "https://127.0.0.1:5123/other-scheme",
            "http://localhost:5123/other-name",
            "https://fonts.example.org/font.woff2",
        ],
    )
    assert activity.requests_elsewhere() == [
        "http://127.0.0.1:5999/other-port",
        "https://127.0.0.1:5123/other-scheme",
        "http://localhost:5123/other-name",
        "https://fonts.example.org/font.woff2",
    ]


def test_a_failed_chromium_install_refreshes_the_package_lists_once_then_says_why(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(browser, "CHROMIUM", Path(tmp_path / "chromium"))
    monkeypatch.setattr(browser, "_apt_get", lambda *args: calls.append(args) and False)
    reason = browser.install_chromium()
    assert calls == [("install", "-y", "chromium"), ("update",), ("install", "-y", "chromium")]
    assert reason and "apt-get install chromium" in reason
