"""The "Not yet verified" page: the ledger (bib/pending.yml) as readers see it."""

from __future__ import annotations

from .generated import Generated
from .model import Catalog
from .templating import environment
from .urls import paper_page_uri, root_of, url_of

PENDING_PAGE = "pending.md"


def render_pending(catalog: Catalog, *, use_directory_urls: bool = True) -> Generated:
    """Unverified items first, with the lists that name them; the items left out on purpose
    (out of scope, another version of a listed paper) in a collapsed section."""
    root = root_of(PENDING_PAGE, use_directory_urls)
    waiting = [i for i in catalog.ledger if i.status == "unverified"]
    left_out = [i for i in catalog.ledger if i.status != "unverified"]
    known = {p.key for p in catalog.papers}
    markdown = environment().get_template("pending.md.jinja").render(
        waiting=sorted(waiting, key=lambda i: i.title.casefold()),
        left_out=sorted(left_out, key=lambda i: (i.status, i.title.casefold())),
        known=known, papers=len(catalog.papers), root=root,
        paper_href=lambda key: root + url_of(paper_page_uri(key), use_directory_urls))
    return Generated(markdown)
