"""A fix for the theme's search worker, applied to the built site.

The worker bundles lunr 2.3.9, whose ``TokenSet.prototype.toString`` names a node of the
index's word graph by its edges as ``label + child id`` with nothing between them. With
digits as labels two different nodes can get one name (edge "1" to node 234 reads "1234",
as do edges "1" to node 2 and "3" to node 4), and the graph's minimisation then merges them:
words vanish from the index, or a search throws and shows nothing. Which words depends on
the whole index: in December 2026 a rewording of the ledger made the arXiv ids 2409.14260
and 2409.14261 unfindable. The fix puts a separator after each child id, so names differ
whenever the edges do.
"""

from __future__ import annotations

import re
from pathlib import Path

# ``for(...){var s=r[i],o=this.edges[s];e=e+s+o.id}return e`` in the minified worker
_NAME = re.compile(r"(TokenSet\.prototype\.toString=function\(\)\{.{0,200}?)"
                   r"(\w+)=\2\+(\w+)\+(\w+)\.id\}return \2\}", re.S)


def patch_search_worker(site_dir: Path) -> list[Path]:
    """Fix every search worker under ``site_dir``; return the files changed. A worker
    already fixed, or one without that code (another theme version), is left alone."""
    changed = []
    for path in sorted((site_dir / "assets" / "javascripts" / "workers").glob("search.*.js")):
        text = path.read_text(encoding="utf-8")
        fixed, count = _NAME.subn(
            lambda m: f'{m[1]}{m[2]}={m[2]}+{m[3]}+{m[4]}.id+","}}return {m[2]}}}', text)
        if count:
            path.write_text(fixed, encoding="utf-8")
            changed.append(path)
    return changed
