"""The network as recorded, for tests of `gradleak add --arxiv/--doi` and `outdated`."""

from __future__ import annotations

from pathlib import Path

RECORDED = Path(__file__).resolve().parent / "recorded"


class Recorded:
    """The network as recorded: URL -> (status, file); anything else fails the test."""

    def __init__(self, answers: dict[str, tuple[int, str | None] | BaseException]):
        self.answers, self.asked = answers, []

    def __call__(self, url: str, timeout: float) -> tuple[int, bytes]:
        self.asked.append(url)
        for part, answer in self.answers.items():
            if part in url:
                if isinstance(answer, BaseException):
                    raise answer
                status, name = answer
                return status, (RECORDED / name).read_bytes() if name else b""
        raise AssertionError(f"unrecorded request: {url}")
