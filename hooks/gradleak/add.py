"""Turn BibTeX as exported by arXiv, dblp, Scholar, Semantic Scholar, ACM, IEEE or Zotero
into an entry of this library: our key scheme, our field names, arXiv fields, no abstract."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from .latex import split_names, surname, to_text
from .model import BibField, RawEntry
from .schema import ARXIV_DOI_PREFIX, ARXIV_ID, STANDARD_FIELDS, arxiv_id, arxiv_mention

STOP_WORDS = {"a", "an", "the", "on", "of", "in", "for", "to", "towards", "toward", "when",
              "how", "is", "are", "do", "does", "can", "and", "with", "from", "by", "via"}
#: Fields exporters add that a bibliography does not need (and ACM's own `keywords`).
DROPPED = {"abstract", "keywords", "timestamp", "biburl", "bibsource", "file", "mendeley-groups",
           "numpages", "articleno", "location", "langid", "language", "copyright", "shorttitle",
           "annote", "urldate", "pmid", "issue_date", "eprintclass"}
RENAMED = {"journaltitle": "journal", "date": "year", "eprinttype": "archiveprefix",
           "primaryclass": "primaryclass", "arxivid": "eprint"}
_CORR_VOLUME = re.compile(rf"^abs/({ARXIV_ID})$")  # dblp, Semantic Scholar: CoRR abs/2003.14053


def ascii_letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", to_text(text)).lower()  # then Ø, Ł fold too
    folded = decomposed.replace("ø", "o").replace("ł", "l").replace("ß", "ss")
    return re.sub(r"[^a-z0-9]", "", folded.encode("ascii", "ignore").decode())


def make_key(entry: RawEntry) -> str:
    """``<first author's surname><year><first significant title word>``, e.g. zhu2019deep."""
    names = split_names(entry.get("author") or "")
    who = ascii_letters(surname(names[0])) if names else "anon"
    year = (entry.get("year") or "")[:4]
    # words of any script ("Über", "Sécurité"): ascii_letters folds their accents below
    words = re.findall(r"[^\W_][\w'-]*", to_text(entry.get("title") or ""))
    word = next((w for w in words if w.lower() not in STOP_WORDS), words[0] if words else "")
    return f"{who or 'anon'}{year}{ascii_letters(word)}"


def normalize(entry: RawEntry) -> RawEntry:
    """Our field names and arXiv fields; exporter-only fields and the abstract removed."""
    fields: dict[str, BibField] = {}
    for f in entry.fields:
        name = RENAMED.get(f.name, f.name)
        if f.name in DROPPED or name in fields:
            continue
        value = re.sub(r"\s+", " ", f.value).strip()  # exporters wrap long values
        if name == "year":
            value = value[:4]
        if name == "doi":
            value = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", value, flags=re.IGNORECASE)
        fields[name] = replace(f, name=name, value=value)
    arxiv = None
    doi = fields.get("doi")
    if doi and doi.value.lower().startswith(ARXIV_DOI_PREFIX) and arxiv_id(doi.value):
        arxiv = arxiv_id(doi.value)
        del fields["doi"]  # arXiv's own DOI: the eprint field says the same
    journal = fields.get("journal")
    volume = fields.get("volume")
    if journal and volume and journal.value.strip().lower() in {"arxiv", "corr"}:
        m = _CORR_VOLUME.match(volume.value.strip())
        arxiv = m.group(1) if m else None
    if arxiv is None and "eprint" in fields:  # the id as written, perhaps with its version
        arxiv = arxiv_id(fields["eprint"].value)
    for name in ("journal", "url", "howpublished", "note"):
        if arxiv is None and name in fields:
            arxiv = arxiv_id(fields[name].value) if name == "url" else None
            arxiv = arxiv or arxiv_mention(fields[name].value)
    if arxiv:
        fields["eprint"] = BibField("eprint", arxiv, "{", 0)
        fields["archiveprefix"] = BibField("archiveprefix", "arXiv", "{", 0)
        journal = fields.get("journal")
        if journal and (arxiv_mention(journal.value)
                        or journal.value.strip().lower() in {"arxiv", "corr"}):
            del fields["journal"]  # "arXiv preprint arXiv:...", dblp's "CoRR"
            fields.pop("volume", None)  # dblp's "abs/2003.14053"
        for name in ("howpublished", "note"):
            if name in fields and arxiv_mention(fields[name].value):
                del fields[name]
        if "url" not in fields:
            fields["url"] = BibField("url", f"https://arxiv.org/abs/{arxiv}", "{", 0)
    if "pages" in fields:  # 2430-2444 -> 2430--2444
        fields["pages"] = replace(fields["pages"], value=re.sub(
            r"^(\w+)\s*[-\u2013]\s*(\w+)$", r"\1--\2", fields["pages"].value))
    entry_type = entry.entry_type
    if entry_type == "article" and "journal" not in fields:
        entry_type = "inproceedings" if "booktitle" in fields else "misc"
    kept = tuple(f for name, f in fields.items() if name in STANDARD_FIELDS)
    normalized = replace(entry, entry_type=entry_type, fields=kept)
    return replace(normalized, key=make_key(normalized))
