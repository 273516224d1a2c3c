"""Reader-facing names of the sources an entry was checked against."""

from __future__ import annotations

from urllib.parse import urlsplit

_HOSTS = {
    "arxiv.org": "arXiv", "export.arxiv.org": "arXiv", "ar5iv.labs.arxiv.org": "ar5iv",
    "ar5iv.org": "ar5iv", "dblp.org": "dblp", "dblp.uni-trier.de": "dblp",
    "api.openalex.org": "OpenAlex", "openalex.org": "OpenAlex",
    "semanticscholar.org": "Semantic Scholar", "api.semanticscholar.org": "Semantic Scholar",
    "doi.org": "DOI resolver", "dx.doi.org": "DOI resolver", "github.com": "GitHub",
    "openreview.net": "OpenReview", "proceedings.neurips.cc": "NeurIPS proceedings",
    "papers.nips.cc": "NeurIPS proceedings", "proceedings.mlr.press": "PMLR",
    "openaccess.thecvf.com": "CVF Open Access", "aclanthology.org": "ACL Anthology",
    "usenix.org": "USENIX", "ieeexplore.ieee.org": "IEEE Xplore", "dl.acm.org": "ACM DL",
    "link.springer.com": "Springer", "sciencedirect.com": "ScienceDirect",
    "ojs.aaai.org": "AAAI", "ijcai.org": "IJCAI", "ndss-symposium.org": "NDSS",
    "petsymposium.org": "PoPETs",
}


def source_name(url: str) -> str:
    """``https://arxiv.org/abs/2003.14053`` -> ``arXiv``; an unknown host is its own name."""
    host = (urlsplit(url).hostname or url).lower()
    host = host[4:] if host.startswith("www.") else host
    return _HOSTS.get(host, host)
