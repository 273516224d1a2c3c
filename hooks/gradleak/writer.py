"""The files the package writes itself (downloads, paper pages filled from the shell); with
``extra.gradleak.processes: 2``, in a second process while the front end renders the rest.

A build of 10,000 papers spends about half its time making and writing these files, work
that needs the catalog but nothing the front end does, except the shell (one page the
theme renders, see shell.py). So with two processes, once the site's values are made,
``PaperWriter.start`` forks: the worker writes the downloads, waits for the shell, then
fills paper pages; the front end renders its pages meanwhile and hands over the shell as
soon as the theme has made it (``shell``); at the end (``finish``) this process fills
paper pages too, taking chunks from the same queue (a pipe of chunk numbers: each is read
by one process only), and waits for the worker.

Same files, same bytes: each file is made from the same values whichever process writes
it. The cost is memory: the worker shares the build's memory until either writes to it,
and Python writes to every object it reads (reference counts), so the worker ends up with
its own copy of most of the catalog (10,000 papers: ~210 MB more at the peak, 553 MB in
all against 338 MB; sum of both processes' PSS). Hence one process by default (the
setting ``extra.gradleak.processes: 1``), and always where forking is not possible or not
useful: no ``os.fork``, a single usable CPU, or `mkdocs serve` (which writes only what an
edit changed). An error in the worker is raised again here, its message unchanged (bad
input names file, line and key); the worker's traceback is added to it as a note.
"""

from __future__ import annotations

import os
import pickle
import struct
import tempfile
import time
import traceback
from pathlib import Path

from . import timing
from .serve import ServeStore
from .shell import Shell, ShellError, update_sitemap, write_paper_pages
from .site import fill_paper_pages, no_cyclic_gc

_CHUNK = struct.Struct("<I")
_NO_SHELL, _SHELL = b"0", b"1"
STATS: dict[str, float | None] = {}  # the last worker's wall and CPU seconds, private MB


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class WorkerError(RuntimeError):
    """The worker process ended without saying how (killed, out of memory)."""


class PaperWriter:
    """Writes ``site``'s downloads and (with ``fill``) its paper pages into ``site_dir``."""

    def __init__(self, site, site_dir: Path | str, *, use_directory_urls: bool = True,
                 site_url: str | None = None, fill: bool = True, processes: int = 1,
                 store: ServeStore | None = None):
        self.site, self.site_dir, self.fill = site, Path(site_dir), fill
        self.use_directory_urls, self.site_url, self.store = use_directory_urls, site_url, store
        self.forked = (processes > 1 and store is None and hasattr(os, "fork")
                       and usable_cpus() > 1)
        self.pid: int | None = None
        self._shell: Shell | None = None
        self._shell_html: str | None = None
        self.error: ShellError | None = None  # the shell could not be filled: no paper pages

    # -- the front end's side ------------------------------------------------------------

    def start(self) -> None:
        """Start writing: the downloads now (one process) or in the worker (two)."""
        if not self.forked:
            with timing.phase("export"):
                self.site.downloads.write(self.site_dir, self.store)
            return
        papers = self.site.catalog.papers if self.fill else []
        size = max(32, -(-len(papers) // 4096))  # at most 4,096 chunks: 16 KB in the pipe
        self._chunks = [papers[i:i + size] for i in range(0, len(papers), size)]
        read, write = os.pipe()
        os.write(write, b"".join(_CHUNK.pack(i) for i in range(len(self._chunks))))
        os.close(write)  # read() finds the end of the queue once every chunk is taken
        self._queue = read
        self._signal_r, self._signal_w = os.pipe()  # the shell is ready (1) or not (0)
        self._result_r, result_w = os.pipe()
        fd, self._shell_file = tempfile.mkstemp(prefix="gradleak-shell-", suffix=".html")
        os.close(fd)
        pid = os.fork()
        if pid == 0:  # the worker: never returns
            os.close(self._signal_w)
            os.close(self._result_r)
            self._work(result_w)
        self.pid = pid
        os.close(self._signal_r)
        os.close(result_w)

    def shell(self, html: str) -> None:
        """The shell page as the theme rendered it: paper pages can be filled from now on."""
        self._shell_html = html
        try:
            self._shell = Shell(html)
        except ShellError as error:
            self.error = error
        if self.pid is not None:
            if self._shell is not None:
                Path(self._shell_file).write_text(html, encoding="utf-8")
            self._tell(_SHELL if self._shell is not None else _NO_SHELL)

    def finish(self) -> int:
        """Write what is left, wait for the worker; the paper pages written (0 when the
        shell could not be filled: ``error`` says why). Raises the worker's error."""
        if self.pid is None:
            return self._finish_alone()
        self._tell(_NO_SHELL)  # no shell was rendered: the worker stops after the downloads
        count = 0
        if self._shell is not None:
            started = time.perf_counter()
            count = self._fill_chunks()
            timing.PHASES["fill"] += time.perf_counter() - started
        count += self._wait()
        if self._shell is not None:
            update_sitemap(self.site_dir, [p.key for p in self.site.catalog.papers],
                           self.site_url, self.use_directory_urls)
        return count

    def stop(self) -> None:
        """The build failed: end the worker, if any, and wait for it."""
        if self.pid is not None:
            self._tell(_NO_SHELL)
            try:
                os.kill(self.pid, 15)
                os.waitpid(self.pid, 0)
            except (ChildProcessError, ProcessLookupError):
                pass
            self._cleanup()
            self.pid = None

    # -- both ----------------------------------------------------------------------------

    def _finish_alone(self) -> int:
        if self._shell is None:
            return 0
        with timing.phase("fill"):
            return fill_paper_pages(self.site, self._shell_html, self.site_dir,
                                    use_directory_urls=self.use_directory_urls,
                                    site_url=self.site_url, store=self.store)

    def _fill_chunks(self) -> int:
        """Fill and write the paper pages of every chunk this process takes from the queue."""
        count = 0
        with no_cyclic_gc():
            while data := os.read(self._queue, _CHUNK.size):
                (index,) = _CHUNK.unpack(data)
                count += write_paper_pages(self._shell, self.site.paper_pages(
                    self._chunks[index]), self.site_dir, self.use_directory_urls)
        return count

    def _tell(self, signal: bytes) -> None:
        if getattr(self, "_signal_w", None) is not None:
            os.write(self._signal_w, signal)
            os.close(self._signal_w)
            self._signal_w = None

    # -- the worker's side ---------------------------------------------------------------

    def _work(self, result_w: int) -> None:
        started, cpu_started = time.perf_counter(), time.process_time()
        timing.reset()
        result: dict = {"count": 0}
        status = 0
        try:
            with timing.phase("export"):
                self.site.downloads.write(self.site_dir)
            if os.read(self._signal_r, 1) == _SHELL:
                self._shell = Shell(Path(self._shell_file).read_text(encoding="utf-8"))
                with timing.phase("fill"):
                    result["count"] = self._fill_chunks()
        except BaseException as error:  # raised again in the parent
            status = 1
            result["error"] = _portable(error)
            result["traceback"] = traceback.format_exc()
        result["phases"] = dict(timing.PHASES)
        result["wall"] = time.perf_counter() - started
        result["cpu"] = time.process_time() - cpu_started
        result["private_mb"] = _private_mb()
        try:
            data = pickle.dumps(result)
            while data:
                data = data[os.write(result_w, data):]
        finally:
            os._exit(status)  # no cleanup of the parent's objects: they are the parent's

    def _wait(self) -> int:
        chunks = []
        while data := os.read(self._result_r, 1 << 16):
            chunks.append(data)
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        self._cleanup()
        if not chunks:
            raise WorkerError("the process writing downloads and paper pages ended without "
                              f"a result (wait status {status})")
        result = pickle.loads(b"".join(chunks))
        for name, seconds in result["phases"].items():
            timing.PHASES[name] += seconds
        timing.PHASES["worker"] = result["wall"]
        timing.PHASES["worker cpu"] = result["cpu"]
        STATS.update(wall=result["wall"], cpu=result["cpu"], private_mb=result["private_mb"])
        if "error" in result:
            error = result["error"]
            error.add_note("in the process writing downloads and paper pages:\n"
                           + result["traceback"])
            raise error
        return result["count"]

    def _cleanup(self) -> None:
        for fd in ("_queue", "_result_r"):
            if getattr(self, fd, None) is not None:
                os.close(getattr(self, fd))
                setattr(self, fd, None)
        Path(self._shell_file).unlink(missing_ok=True)


def _portable(error: BaseException) -> BaseException:
    """The error itself if it survives pickling, else a RuntimeError with its text."""
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")


def _private_mb() -> float | None:
    """Memory this process does not share with its parent (Linux), in MB."""
    try:
        text = Path("/proc/self/smaps_rollup").read_text()
    except OSError:
        return None
    kb = sum(int(line.split()[1]) for line in text.splitlines()
             if line.startswith(("Private_Clean:", "Private_Dirty:")))
    return round(kb / 1024, 1)
