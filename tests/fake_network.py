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


class RecordedLinks:
    """Link answers as recorded, for `gradleak links`: "METHOD url" or "url" -> a status,
    (status, the address that answered after redirects), an exception to raise, or a list
    of those given in turn (the last one repeated). Anything else fails the test."""

    def __init__(self, answers: dict[str, object]):
        self.answers, self.asked = answers, []
        self._turn: dict[str, int] = {}

    def __call__(self, method: str, url: str, timeout: float) -> tuple[int, str]:
        self.asked.append(f"{method} {url}")
        key = next((k for k in (f"{method} {url}", url) if k in self.answers), None)
        if key is None:
            raise AssertionError(f"unrecorded request: {method} {url}")
        answer = self.answers[key]
        if isinstance(answer, list):
            turn = self._turn[key] = self._turn.get(key, -1) + 1
            answer = answer[min(turn, len(answer) - 1)]
        if isinstance(answer, BaseException):
            raise answer
        status, final = answer if isinstance(answer, tuple) else (answer, url)
        return status, final
