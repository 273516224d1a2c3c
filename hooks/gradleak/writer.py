"""The files the package writes itself: the downloads (as soon as the site's values are
made) and the paper pages (filled from the shell, see shell.py, once the front end has
rendered it), handed to a second process that creates them (sink.py) while this one goes
on: the front end renders its pages meanwhile, and each paper page is filled while the
previous ones are being written.

With ``extra.gradleak.processes: 1``, or where a second process is of no use (a single
usable CPU) or not wanted (`mkdocs serve` writes only what an edit changed, see
serve.py), every file is written in place by this process. Same files, same bytes.
"""

from __future__ import annotations

from pathlib import Path

from . import timing
from .serve import ServeStore
from .shell import Shell, ShellError
from .sink import DirectSink, ProcessSink, open_sink
from .site import fill_paper_pages


class PaperWriter:
    """Writes ``site``'s downloads and (with ``fill``) its paper pages into ``site_dir``."""

    def __init__(self, site, site_dir: Path | str, *, use_directory_urls: bool = True,
                 site_url: str | None = None, fill: bool = True, processes: int = 2,
                 store: ServeStore | None = None):
        self.site, self.site_dir, self.fill = site, Path(site_dir), fill
        self.use_directory_urls, self.site_url, self.store = use_directory_urls, site_url, store
        self.processes = processes if store is None else 1
        self.sink: DirectSink | ProcessSink | None = None
        self._shell_html: str | None = None
        self.error: ShellError | None = None  # the shell could not be filled: no paper pages

    def start(self) -> None:
        """Write the downloads (handed to the second process, if there is one)."""
        self.sink = open_sink(self.processes)
        with timing.phase("export"):
            self.site.downloads.write(self.site_dir, self.store, self.sink)

    def shell(self, html: str) -> None:
        """The shell page as the theme rendered it: paper pages can be filled from it."""
        try:
            Shell(html)
        except ShellError as error:
            self.error = error
        else:
            self._shell_html = html

    def finish(self) -> int:
        """Fill and write the paper pages, wait until every file is written; returns the
        paper pages written (0 when the shell could not be filled: ``error`` says why).
        Raises SinkError when a file could not be written."""
        count = 0
        try:
            if self._shell_html is not None:
                with timing.phase("fill"):
                    count = fill_paper_pages(self.site, self._shell_html, self.site_dir,
                                             use_directory_urls=self.use_directory_urls,
                                             site_url=self.site_url, store=self.store,
                                             sink=self.sink)
        except BaseException:
            self.stop()
            raise
        if self.sink is not None:
            with timing.phase("wait for writes"):
                self.sink.close()
            self.sink = None
        return count

    def stop(self) -> None:
        """The build failed: end the second process, if any."""
        if self.sink is not None:
            self.sink.abort()
            self.sink = None
