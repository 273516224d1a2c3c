"""MkDocs hook: wires MkDocs events to the gradleak package. No logic of its own.

Registered in mkdocs.yml under ``hooks:``. MkDocs puts this folder on sys.path only while
importing this file, so the package is imported here, at the top.
"""

from __future__ import annotations

import logging
from pathlib import Path

import gradleak
from gradleak import timing
from gradleak.placeholders import fill_placeholders
from gradleak.render import expand, search_entries
from mkdocs.structure.files import File, InclusionLevel

log = logging.getLogger("mkdocs.hooks.gradleak")
_state: dict[str, gradleak.SiteFiles] = {}


def on_config(config):
    _state.clear()  # `mkdocs serve` keeps this module between rebuilds
    timing.reset()


def on_files(files, config):
    bib_dir = Path(config.config_file_path).resolve().parent / "bib"
    settings, problems = gradleak.read_settings(config.extra)
    site = gradleak.build_site(bib_dir, use_directory_urls=config.use_directory_urls,
                               site_name=config.site_name, site_url=config.site_url,
                               list_limit=settings.list_limit)
    _state["site"] = site
    for problem in (*problems, *site.catalog.diagnostics):
        log.error(str(problem))
    with timing.phase("hook"):
        return _add_files(files, config, site)


def _add_files(files, config, site):
    generated = {uri: (page.markdown, page.in_nav) for uri, page in site.pages.items()}
    generated.update((uri, (content, True)) for uri, content in site.downloads.items())
    for uri, (content, in_nav) in generated.items():
        if files.get_file_from_path(uri) is not None:
            log.error(f"docs/{uri} exists but this page is generated from bib/: remove the file")
            continue
        inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, uri, content=content, inclusion=inclusion))
    log.info(f"gradleak: {len(site.catalog.papers)} papers, {len(site.pages)} pages, "
             f"{len(site.downloads)} downloads")
    return files


def on_page_markdown(markdown, page, config, files):
    site = _state.get("site")
    if site is None:
        return markdown
    meta = site.meta.get(page.file.src_uri)
    if meta:
        page.meta["gradleak_meta"] = meta  # rendered by overrides/main.html
    page.meta["gradleak_feeds"] = site.feeds.get(page.file.src_uri, [])  # ditto
    return fill_placeholders(markdown, site.catalog)


def on_page_content(html, page, config, files):
    site = _state.get("site")
    generated = site.pages.get(page.file.src_uri) if site else None
    if not generated:
        return html
    with timing.phase("hook"):
        return expand(html, generated.fragments)


def on_page_context(context, page, config, nav):
    """Index each paper and category of a list page, in place of its (large) content."""
    site = _state.get("site")
    generated = site.pages.get(page.file.src_uri) if site else None
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if generated and generated.search and search is not None:
        search.search_index.entries.extend(search_entries(page.url, generated.search))
    return context


def on_post_build(config):
    phases = ", ".join(f"{k} {v:.2f} s" for k, v in sorted(timing.PHASES.items()))
    log.info(f"gradleak timings: {phases}")
