"""Issue 12 in Chromium: the insight pages, the home page and the 404 page as a reader
sees them, on a phone and on a desktop, in both palettes, served under a sub-path."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

WIDTHS = [320, 375, 768, 1366, 1920]


@pytest.fixture
def tab(browser):
    """A fresh page in a fresh context; the caller sets the viewport."""
    context = browser.new_context()
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def test_404_page_links_the_feed_where_it_is(tab, published):
    """The published 404 page (any missing path under /project/) links the real feed."""
    response = tab.goto(published.url + "no/such/page/")
    assert response.status == 404
    href = tab.evaluate("document.querySelector('link[type=\"application/atom+xml\"]').href")
    assert href == published.url + "feed.xml"
    feed = tab.request.get(href)
    assert feed.status == 200 and "<feed" in feed.text()
