"""Pages and states a reader reaches that the other browser tests do not walk through."""

from __future__ import annotations

import pytest

from .axe import serious_violations

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_not_yet_verified_page_passes_axe(page, served, scheme):
    """Its 'Named by' links sat in a span, not straight in the paragraph: they were told
    apart from the text by colour alone (axe: link-in-text-block, serious)."""
    page.emulate_media(color_scheme=scheme)
    page.goto(served + "pending/")
    page.wait_for_load_state("networkidle")
    assert serious_violations(page) == []
