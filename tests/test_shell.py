"""Issue 16: paper pages filled from one theme-rendered shell are the pages the theme would
render itself, in every detail a reader, a browser or a crawler sees."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag
from conftest import SITE_BIB, mkdocs_build
from gradleak.catalog import load_catalog
from gradleak.generated import Generated
from gradleak.shell import (
    SHELL_KEY,
    SHELL_URI,
    PaperPage,
    Shell,
    ShellError,
    add_to_sitemap,
    paper_page,
    shell_page,
)


def dom(path: Path) -> list:
    """The page as a browser builds it, whitespace aside: elements with their attributes,
    text with runs of white space as one (exactly as it is inside <pre>)."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    out: list = []

    def walk(node, pre: bool):
        for child in node.children:
            if isinstance(child, Tag):
                out.append((child.name, sorted((k, " ".join(v) if isinstance(v, list) else v)
                                               for k, v in child.attrs.items())))
                walk(child, pre or child.name in ("pre", "textarea", "script"))
                out.append(f"/{child.name}")
            elif isinstance(child, NavigableString) and type(child) is NavigableString:
                text = str(child) if pre else " ".join(child.split())
                if text.strip():
                    out.append(text)
    walk(soup, False)
    return out


def paper_keys(site: Path) -> list[str]:
    return sorted(p.parent.name for p in (site / "paper").glob("*/index.html"))


def assert_same_paper_pages(filled: Path, themed: Path, keys: list[str]) -> None:
    assert paper_keys(filled) == paper_keys(themed) == sorted(keys)
    for key in keys:
        page = Path("paper") / key / "index.html"
        assert dom(filled / page) == dom(themed / page), key


def with_extra(folder: Path, **settings: str) -> Path:
    config = folder / "mkdocs.yml"
    extra = "".join(f"    {k}: {v}\n" for k, v in settings.items())
    config.write_text(config.read_text() + f"extra:\n  gradleak:\n{extra}")
    return config


# -- the fill, on strings -------------------------------------------------------------

def theme_like(title_forms: str) -> str:
    """A page as a theme might print the shell: each title form once, content, meta."""
    return (f"<title>{title_forms}</title><link href='https://x.org/paper/{SHELL_KEY}/'>"
            '<meta name="zzglmetazz" content=""><main><h1>zzglcontentzz</h1></main>')


def test_each_slot_is_escaped_as_the_theme_escapes_it_there():
    shell = Shell(theme_like("zzgltitle<i></i>zz|zzgltitlezz|zzgltitle&lt;i&gt;&lt;/i&gt;zz"))
    title = "Sp&lt;sup&gt;2&lt;/sup&gt; &#34;q&#34; &amp; x  y"  # as front matter has it
    page = PaperPage("k1", title, "", [("citation_title", 'a "b" <c>')], "<p>body</p>\n")
    out = shell.fill(page)
    raw, stripped, escaped = out.split("<title>")[1].split("</title>")[0].split("|")
    assert raw == title  # printed as is: the value is HTML already
    assert stripped == "Sp&lt;sup&gt;2&lt;/sup&gt; &#34;q&#34; &amp; x y"  # striptags | e
    assert escaped == "Sp&amp;lt;sup&amp;gt;2&amp;lt;/sup&amp;gt; &amp;#34;q&amp;#34; &amp;amp; x  y"
    assert "https://x.org/paper/k1/" in out
    assert '<meta name="citation_title" content="a &#34;b&#34; &lt;c&gt;">' in out
    assert "<main><p>body</p>\n</main>" in out


@pytest.mark.parametrize("printed", ["zzgltitle<I></I>zz", "ZZGLTITLE<i></i>ZZ",
                                     "zzgltitle%3Ci%3E%3C/i%3Ezz", "zzgltitle<i>"])
def test_a_value_printed_in_an_unknown_form_is_an_error_not_a_wrong_page(printed):
    with pytest.raises(ShellError, match="form the fill does not know"):
        Shell(theme_like(printed))


def test_the_shell_must_show_its_content_once():
    html = theme_like("zzgltitle<i></i>zz")
    with pytest.raises(ShellError, match="exactly once"):
        Shell(html.replace("<h1>zzglcontentzz</h1>", ""))
    with pytest.raises(ShellError, match="exactly once"):
        Shell(html + "<h1>zzglcontentzz</h1>")


def test_the_chrome_loses_its_indentation_not_its_spaces():
    shell = Shell("<p>\n    <b>a</b> <b>b</b>\n  \n</p><pre>  x\n  y</pre>"
                  '<meta name="zzglmetazz" content=""><h1>zzglcontentzz</h1>')
    out = shell.fill(PaperPage("k", "", "", [], "<pre>  kept\n    as is</pre>"))
    assert out.startswith("<p>\n<b>a</b> <b>b</b>\n</p>")
    assert out.endswith("<pre>  kept\n    as is</pre>")


def test_a_paper_page_takes_its_values_from_its_front_matter_and_body():
    page = Generated('---\ntitle: "A &amp; B"\ndescription: "D"\nsearch:\n  exclude: true\n'
                     "---\n\n<!-- gradleak:cards paper -->\n\n<div>x</div>\n",
                     {"<!-- gradleak:cards paper -->": "<article>card</article>"})
    got = paper_page("k", page, [("citation_title", "A & B")])
    assert (got.title, got.description) == ("A &amp; B", "D")
    assert got.content == "<article>card</article>\n\n<div>x</div>\n"
    shell = shell_page().markdown
    assert json.loads(re.search(r"title: (.*)", shell).group(1)) == "zzgltitle<i></i>zz"
    assert f"paper/{SHELL_KEY}.md" == SHELL_URI and not SHELL_KEY[0].isalnum()


def test_paper_pages_join_the_sitemap_in_its_own_form():
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="x">\n    <url>\n'
           "         <loc>https://x.org/p/</loc>\n         <lastmod>2026-12-07</lastmod>\n"
           "    </url>\n</urlset>")
    out = add_to_sitemap(xml, ["a1", "b.2"], "https://x.org/p", True)
    assert re.findall(r"<loc>([^<]*)</loc>", out) == [
        "https://x.org/p/", "https://x.org/p/paper/a1/", "https://x.org/p/paper/b.2/"]
    assert out.count("<lastmod>2026-12-07</lastmod>") == 3 and out.endswith("</urlset>")
    assert add_to_sitemap(xml, ["a1"], None, True) == xml  # no site URL: no page listed
    shell = xml.replace("</urlset>", f"    <url>\n         <loc>https://x.org/p/paper/{SHELL_KEY}/"
                        "</loc>\n    </url>\n</urlset>")
    assert add_to_sitemap(shell, [], "https://x.org/p", True) == xml
    assert "paper/a1.html" in add_to_sitemap(xml, ["a1"], "https://x.org/p/", False)


# -- real builds: the filled pages are the theme's pages --------------------------------

def test_filled_paper_pages_equal_theme_rendered_ones_on_the_mini_site(mini_site, tmp_path):
    """Nasty titles (tags, quotes, LaTeX, a <script> in a summary), a site URL, both URL
    styles: each filled page has the DOM the theme renders for it."""
    keys = sorted(p.key for p in load_catalog(mini_site / "bib").papers)
    index = mini_site / "docs" / "index.md"  # a hand-written Markdown link to a paper page
    index.write_text(index.read_text() + f"\n[A paper](paper/{keys[0]}.md#{keys[0]})\n")
    config = mini_site / "mkdocs.yml"
    base = config.read_text()
    for directory_urls in (True, False):
        sites = {}
        for mode in ("shell", "theme"):
            config.write_text(base + "site_url: https://example.org/mini/\n"
                              f"use_directory_urls: {str(directory_urls).lower()}\n"
                              f"extra:\n  gradleak:\n    paper_pages: {mode}\n")
            build = mkdocs_build(config, tmp_path / f"{mode}-{directory_urls}")
            assert build.returncode == 0, build.log
            sites[mode] = build.site
        filled, themed = sites["shell"], sites["theme"]
        if directory_urls:
            assert_same_paper_pages(filled, themed, keys)
        else:
            for key in keys:
                page = Path("paper") / f"{key}.html"
                assert dom(filled / page) == dom(themed / page), key
        assert not list(filled.rglob(f"*{SHELL_KEY}*"))  # the shell is no page of the site
        home = filled / ("index.html")
        link = f"paper/{keys[0]}/#{keys[0]}" if directory_urls else f"paper/{keys[0]}.html#{keys[0]}"
        assert f'href="{link}"' in home.read_text()  # MkDocs resolved it (--strict passed)
        for site in (filled, themed):  # ... nor in the sitemap or the search index
            assert SHELL_KEY not in (site / "sitemap.xml").read_text()
            assert SHELL_KEY not in (site / "search" / "search_index.json").read_text()
        locs = re.findall(r"<loc>([^<]*)</loc>", (filled / "sitemap.xml").read_text())
        assert sorted(locs) == sorted(re.findall(r"<loc>([^<]*)</loc>",
                                                 (themed / "sitemap.xml").read_text()))
        assert {f"https://example.org/mini/paper/{k}/" if directory_urls
                else f"https://example.org/mini/paper/{k}.html" for k in keys} <= set(locs)


def test_filled_paper_pages_equal_theme_rendered_ones_on_the_fixture_site(
        fixture_published, tmp_path):
    """Every paper of the fixture library (every entry type, LaTeX, relations) with the real
    site's configuration, published with its site URL: the theme's rendering of each page
    (paper_pages: theme) against the filled page the build wrote."""
    published = fixture_published
    assert published.build.returncode == 0, published.build.log
    themed = mkdocs_build(published.config, tmp_path / "themed",
                          GRADLEAK_SITE_URL=published.url, GRADLEAK_PAPER_PAGES="theme")
    assert themed.returncode == 0, themed.log
    keys = [p.key for p in load_catalog(SITE_BIB).papers]
    assert_same_paper_pages(published.build.site, themed.site, keys)
    assert (published.build.site / "sitemap.xml").read_text().count("<url>") == \
        (themed.site / "sitemap.xml").read_text().count("<url>")


def test_a_bad_paper_pages_setting_fails_the_strict_build(mini_site, tmp_path):
    build = mkdocs_build(with_extra(mini_site, paper_pages="fast"), tmp_path / "site")
    assert build.returncode != 0
    assert "extra.gradleak.paper_pages must be one of shell, theme, not 'fast'" in build.log


# -- `mkdocs serve`: after an edit, only the pages that depend on it are made again ------

SERVE_SCRIPT = """
import json, logging, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
from gradleak.serve import serve_store

config, a, b = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
def once(site_dir):
    build(load_config(str(config), site_dir=site_dir), serve_url="http://127.0.0.1:8000/")
    return serve_store().made if serve_store() else None
def stamps():  # what each file of the served site is, on disk
    site = Path(a)
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for top in ("paper", "downloads") for p in (site / top).rglob("*") if p.is_file()}
serve_store(start=True)
made = [once(a)]
before = stamps()
bib = config.parent / "bib" / "defenses.bib"
bib.write_text(bib.read_text().replace("Noise Is All You Need", "Noise Is Not All You Need"))
made.append(once(a))
edited = stamps()
made.append(once(a))
rewritten = [sorted(p for p in edited if edited[p] != before.get(p)),
             sorted(p for p in stamps().items() if p[1] != edited.get(p[0]))]
print(json.dumps([made, rewritten]))
"""


def test_a_serve_rebuild_remakes_only_the_pages_an_edit_touches(mini_site, tmp_path):
    """As `mkdocs serve` does: builds in one process, an entry edited between them. The
    edited paper's page and the pages that link to it are made again, and every paper page
    is then exactly what a fresh build writes."""
    import subprocess
    import sys

    keys = sorted(p.key for p in load_catalog(mini_site / "bib").papers)
    served = tmp_path / "served"
    proc = subprocess.run([sys.executable, "-c", SERVE_SCRIPT, str(mini_site / "mkdocs.yml"),
                           str(served), ""], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    made, rewritten = json.loads(proc.stdout.strip().splitlines()[-1])
    # noise2021dp, and the attacks it evaluates / that break it (they list its title)
    linked = {"noise2021dp", "balunovic2022bayesian", "older2020latent"}
    assert made[0] == len(keys) and made[1] == len(linked) and made[2] == 0
    assert "Noise Is Not All You Need" in (served / "paper/older2020latent/index.html").read_text()
    # on disk, only the files the edit changed were written again; nothing without an edit
    pages = {f"paper/{key}/index.html" for key in linked}
    assert pages <= set(rewritten[0]) and not {p for p in rewritten[0] if p.startswith("paper/")} - pages
    assert "downloads/papers/noise2021dp.bib" in rewritten[0]
    assert "downloads/papers/older2020latent.bib" not in rewritten[0]
    assert rewritten[1] == []
    fresh = mkdocs_build(mini_site / "mkdocs.yml", tmp_path / "fresh")
    assert fresh.returncode == 0, fresh.log
    for top in ("paper", "downloads"):  # as served: through the links to the kept files
        mine = {(Path(d) / f).relative_to(served).as_posix()
                for d, _, names in os.walk(served / top, followlinks=True) for f in names}
        theirs = {p.relative_to(fresh.site).as_posix() for p in (fresh.site / top).rglob("*")
                  if p.is_file()}
        assert mine == theirs, top
        for name in theirs:
            assert (served / name).read_bytes() == (fresh.site / name).read_bytes(), name
