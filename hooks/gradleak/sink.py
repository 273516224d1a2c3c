"""Files written by a second, small process while this one goes on making the next ones.

A site of 10,000 papers is ~40,000 files (paper pages and per-paper downloads). Making one
takes a template fill; creating it takes the kernel about as long again (on this machine
~100-150 us a file, most of it system time in the file system), and a build that does
both in one process leaves the second core idle. ``ProcessSink`` hands each file (path
and bytes) to a helper process, this module run as a script with only the standard library
(``python -I -S sink.py``: no site packages, no catalog, ~30 MB), which creates the folders
and writes the files while the build goes on. The build's own thread only appends to a
buffer; a feeder thread moves full buffers into the pipe (blocking there with the GIL
released), so the build never waits for the disk unless the helper falls far behind
(``_MAX_QUEUED`` buffers).

Same files, same bytes as writing in place (tests compare). An error in the helper (a
path it cannot write) is raised by ``close`` naming the file; the helper keeps reading
to the end so the build never sees a broken pipe. Where a helper cannot be started (no
second CPU, no executable), ``open_sink`` returns a ``DirectSink``, which writes in place.

The record format on the pipe: a header of two little-endian unsigned 32-bit lengths
(path, data), then the path (file-system encoding) and the data.
"""

from __future__ import annotations

import contextlib
import os
import queue
import struct
import subprocess
import sys
import threading

_HEADER = struct.Struct("<II")
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
_CHUNK = 1 << 20  # bytes handed to the pipe at a time
_MAX_QUEUED = 16  # chunks waiting for the helper before the build waits too (16 MB)


def write_file(path: str | os.PathLike, data: bytes) -> None:
    """``Path(path).write_bytes(data)`` in three system calls instead of seven (no buffer,
    no terminal check, no seeks): a 10,000-paper site writes ~40,000 files."""
    fd = os.open(path, _NEW_FILE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


class _Folders:
    """Makes each file's folder once (one system call when its parent exists)."""

    def __init__(self):
        self.made: set[str] = set()

    def ensure(self, path: str) -> None:
        folder = os.path.dirname(path)
        if folder in self.made:
            return
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        self.made.add(folder)


class DirectSink:
    """Writes each file at once, in this process."""

    def __init__(self):
        self._folders = _Folders()
        self.count = 0

    def write(self, path: str, data: bytes) -> None:
        self._folders.ensure(path)
        write_file(path, data)
        self.count += 1

    def close(self) -> int:
        return self.count

    def abort(self) -> None:
        pass


class SinkError(OSError):
    """The helper could not write a file (its message names it) or ended unexpectedly."""


class ProcessSink:
    """Hands each file to the helper process (see the module's docstring)."""

    def __init__(self, process: subprocess.Popen):
        self._process = process
        self._buffer = bytearray()
        self._queue: queue.Queue[bytes | None] = queue.Queue(_MAX_QUEUED)
        self._failed: BaseException | None = None
        self._feeder = threading.Thread(target=self._feed, name="gradleak-sink", daemon=True)
        self._feeder.start()
        self.count = 0

    def write(self, path: str, data: bytes) -> None:
        name = os.fsencode(path)
        self._buffer += _HEADER.pack(len(name), len(data))
        self._buffer += name
        self._buffer += data
        self.count += 1
        if len(self._buffer) >= _CHUNK:
            self._hand_over()

    def close(self) -> int:
        """Wait until every file is written; raises SinkError if one could not be."""
        if self._buffer:
            self._hand_over()
        STATS["helper_peak_mb"] = _peak_mb(self._process.pid)
        self._queue.put(None)
        self._feeder.join()
        message = self._process.stderr.read().decode("utf-8", "replace").strip()
        self._process.stderr.close()
        self._process.wait()
        if self._process.returncode or self._failed is not None:
            raise SinkError(message or f"the file writer ended unexpectedly "
                            f"(exit status {self._process.returncode}): {self._failed}")
        return self.count

    def abort(self) -> None:
        """The build failed: stop the helper; files handed over may or may not be written."""
        self._buffer.clear()
        self._process.kill()  # a write blocked on the pipe fails now: the feeder drains
        self._process.wait()
        with contextlib.suppress(queue.Full):
            self._queue.put(None, timeout=10)  # ...up to this end mark, and stops
        self._feeder.join(timeout=10)
        self._process.stderr.close()

    def _hand_over(self) -> None:
        self._queue.put(bytes(self._buffer))
        self._buffer.clear()

    def _feed(self) -> None:
        pipe = self._process.stdin
        try:
            while (chunk := self._queue.get()) is not None:
                if self._failed is None:
                    pipe.write(chunk)
        except BaseException as error:  # broken pipe: the helper ended; close() says why
            self._failed = error
            while self._queue.get() is not None:  # let the build go on to close()
                pass
        finally:
            with contextlib.suppress(OSError):
                pipe.close()


STATS: dict[str, float | None] = {}  # the last helper's peak memory (for benchmarks/run.py)


def _peak_mb(pid: int) -> float | None:
    """A process's peak resident memory in MB (Linux), read while it runs: its rusage
    would count the build's memory it shared between fork and exec."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return None


def open_sink(processes: int = 2) -> DirectSink | ProcessSink:
    """A ProcessSink when two processes are wanted and a second CPU can run the helper,
    else a DirectSink."""
    if processes < 2 or _usable_cpus() < 2 or not sys.executable:
        return DirectSink()
    try:
        process = subprocess.Popen([sys.executable, "-I", "-S", os.path.abspath(__file__)],
                                   stdin=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
    except OSError:
        return DirectSink()
    return ProcessSink(process)


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _serve(source) -> int:
    """The helper: write every record read from ``source`` (a binary stream)."""
    folders, failed = _Folders(), None
    read = source.read
    while header := read(_HEADER.size):
        if len(header) < _HEADER.size:
            break
        name_length, data_length = _HEADER.unpack(header)
        path = os.fsdecode(read(name_length))
        data = read(data_length)
        if failed is not None:
            continue  # read on to the end: the build never sees a broken pipe
        try:
            folders.ensure(path)
            write_file(path, data)
        except OSError as error:
            failed = f"could not write {path}: {error.strerror or error}"
    if failed is not None:
        sys.stderr.write(failed + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_serve(sys.stdin.buffer))
