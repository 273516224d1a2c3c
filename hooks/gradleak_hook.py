"""MkDocs hook: wires MkDocs events to the gradleak package. No logic of its own.

Registered in mkdocs.yml under ``hooks:``. MkDocs puts this folder on sys.path only while
importing this file, so the package is imported here, at the top.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import gradleak
from gradleak import timing
from gradleak.generated import expand, search_entries
from gradleak.placeholders import fill_placeholders
from gradleak.search import sections_dropped
from gradleak.searchworker import patch_search_worker
from gradleak.serve import serve_store
from gradleak.shell import SHELL_URI
from gradleak.urls import PAPER_DOWNLOADS, top_folders
from gradleak.writer import PaperWriter
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

log = logging.getLogger("mkdocs.hooks.gradleak")
_state: dict = {}


class _ShellPageSkipped(logging.Filter):
    """Drops MkDocs' "Page skipped: 'paper/_zzglkeyzz.md'. Generated empty output.": the
    shell page is emptied on purpose (on_post_page keeps its HTML to fill paper pages)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("Page skipped") and SHELL_URI in message)


logging.getLogger("mkdocs.commands.build").addFilter(_ShellPageSkipped())


def on_startup(command, dirty):
    if command == "serve":
        serve_store(start=True)  # files kept between rebuilds, made again when inputs change


def on_config(config):
    _state.clear()  # `mkdocs serve` keeps this module between rebuilds
    timing.reset()


def on_files(files, config):
    bib_dir = Path(config.config_file_path).resolve().parent / "bib"
    settings, problems = gradleak.read_settings(config.extra)
    site = gradleak.build_site(bib_dir, use_directory_urls=config.use_directory_urls,
                               site_name=config.site_name, site_url=config.site_url,
                               list_limit=settings.list_limit, store=serve_store())
    _state["site"] = site
    for problem in (*problems, *site.catalog.diagnostics):
        log.error(str(problem))
    if reason := gradleak.unbuildable(site.catalog):  # say the cause once, not its effects
        raise PluginError(f"gradleak: {reason}")
    _state["fill"] = settings.paper_pages == "shell"  # filled from one theme-rendered shell
    _state["processes"] = settings.processes
    with timing.phase("hook"):
        files = _add_files(files, config, site)
        _state["folders"] = top_folders(f.dest_uri for f in files)
        return files


def _add_files(files, config, site):
    taken = {f.src_uri for f in files}  # hand-written files, which nothing generated replaces
    pages = _state["pages"] = site.theme_pages(fill_papers=_state["fill"])
    for uri, page in pages.items():
        if _taken(taken, uri):
            continue
        inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, uri, content=page.markdown, inclusion=inclusion))
    # Known to MkDocs, so Markdown links to them resolve, but written by the package: the
    # downloads now, the paper pages filled from the shell in on_post_build. Each paper's
    # own downloads (.bib, .ris, .csl.json) are linked from card and Cite HTML only, never
    # from Markdown: they are not made known (30,000 files fewer for MkDocs at 10,000).
    written = [(uri, None) for uri in site.downloads]
    if _state["fill"]:
        written += site.filled_pages(config.use_directory_urls)
    for uri, dest in written:
        if not _taken(taken, uri) and not uri.startswith(PAPER_DOWNLOADS):
            files.append(_Written(uri, None, config.site_dir, config.use_directory_urls,
                                  dest_uri=dest))
    # the downloads and paper pages: written by a second process while MkDocs renders
    writer = _state["writer"] = PaperWriter(
        site, config.site_dir, use_directory_urls=config.use_directory_urls,
        site_url=config.site_url, fill=_state["fill"], processes=_state["processes"],
        store=serve_store())
    writer.start()
    log.info(f"gradleak: {len(site.catalog.papers)} papers, {len(pages)} pages, "
             f"{len(site.downloads)} downloads")
    return files


def _taken(taken: set[str], uri: str) -> bool:
    if uri not in taken:
        return False
    log.error(f"docs/{uri} exists but this page is generated from bib/: remove the file")
    return True


class _Written(File):
    """A file the package writes (a download, a paper page filled from the shell): MkDocs
    resolves links to it, but neither renders it (not a Markdown page to it) nor copies
    anything for it."""

    def is_documentation_page(self) -> bool:
        return False

    def copy_file(self, dirty: bool = False) -> None:
        pass


def on_page_markdown(markdown, page, config, files):
    site = _state.get("site")
    if site is None:
        return markdown
    meta = site.meta_for(page.file.src_uri)
    if meta:
        page.meta["gradleak_meta"] = meta  # rendered by overrides/main.html
    page.meta["gradleak_feeds"] = site.feeds.get(page.file.src_uri, [])  # ditto
    return fill_placeholders(markdown, site.catalog)


def on_page_content(html, page, config, files):
    generated = _state.get("pages", {}).get(page.file.src_uri)
    if not generated or not generated.heading_in_fragments:
        return html  # put in by on_post_page
    with timing.phase("hook"):
        html = expand(html, generated.fragments)
        generated.fragments.clear()  # in the page now: a large site need not hold it twice
        return html


def on_page_context(context, page, config, nav):
    """Index each paper and category of a list page, in place of its (large) content; keep
    only the opening text of pages that list other pages' papers (the search plugin has
    indexed the page just before this hook runs)."""
    generated = _state.get("pages", {}).get(page.file.src_uri)
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if generated and search is not None:
        entries = search.search_index.entries
        if not generated.search_sections:
            entries[:] = sections_dropped(entries, page.url)
        entries.extend(search_entries(page.url, generated.search))
    return context


def on_template_context(context, template_name, config):
    """Built without site_url, MkDocs links the 404 page from the host's root ("/assets/..."),
    which is not the site's root under a sub-path: link it relative to the site's root
    instead, which a script of overrides/main.html finds in the missing page's path."""
    if template_name == "404.html" and not config.site_url:
        context["base_url"] = "."
        context["gradleak_folders"] = _state.get("folders", [])
    return context


def on_post_page(output, page, config):
    """Put the card HTML (and other fragments) in place of their markers, now that search
    has indexed the page without them (it would only parse them to drop them); keep the
    shell page's HTML, which is not a page of the site itself."""
    if _state.get("fill") and page.file.src_uri == SHELL_URI:
        _state["writer"].shell(output)
        return ""  # MkDocs writes nothing for an empty page
    generated = _state.get("pages", {}).get(page.file.src_uri)
    if not generated or not generated.fragments:
        return output
    with timing.phase("hook"):
        output = expand(output, generated.fragments)
        generated.fragments.clear()  # in the page now: a large site need not hold it twice
        return output


def on_post_build(config):
    writer = _state.pop("writer", None)
    if writer is not None:
        started = time.perf_counter()
        count = writer.finish()
        if writer.error is not None:
            log.error(f"gradleak: paper pages not written: {writer.error}")
        elif _state["fill"]:
            made = f" ({serve_store().made} made again)" if serve_store() else ""
            log.info(f"gradleak: {count} paper pages filled from the shell{made}")
        timing.PHASES["hook"] += time.perf_counter() - started
    if not patch_search_worker(Path(config.site_dir)) and not serve_store():
        log.warning("gradleak: the theme's search worker was not patched (lunr's word-graph "
                    "naming, see gradleak/searchworker.py): check it after a theme update")
    phases = ", ".join(f"{k} {v:.2f} s" for k, v in sorted(timing.PHASES.items()))
    log.info(f"gradleak timings: {phases}")


def on_build_error(error):
    writer = _state.pop("writer", None)
    if writer is not None:
        writer.stop()
