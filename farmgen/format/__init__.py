"""Formatting of generated files: black for Python, cached by content hash.

farmgen's own templates emit Python that is already black-stable wherever a line
fits the line length, so black runs only on files with an over-long line (or always,
with ``always=True``, which the tests use to prove the fast path changes nothing).
Files rendered from a user's or a third-party target's template always go through
black in full, and must parse.
Results are cached in memory and under ``<root>/.farmgen-cache/black/`` keyed by a
hash of black's version, the line length and the source.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from farmgen.cache_sweep import touch
from farmgen.diagnostics import FarmgenError

if TYPE_CHECKING:
    from farmgen.targets.base import RenderedFile

DEFAULT_LINE_LENGTH = 88
BLOCK_SEPARATOR = "\n\n\n"
"""Two blank lines: what separates top-level classes (and the imports) in generated code."""
CACHE_DIR_NAME = ".farmgen-cache"


def black_line_length(root: Path) -> int:
    """``[tool.black] line-length`` of the project's pyproject.toml, or black's default."""
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        return DEFAULT_LINE_LENGTH
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return DEFAULT_LINE_LENGTH
    value = data.get("tool", {}).get("black", {}).get("line-length", DEFAULT_LINE_LENGTH)
    return value if isinstance(value, int) and value > 0 else DEFAULT_LINE_LENGTH


def text_width(line: str) -> int:
    """The width black measures a line with: wide East Asian characters count 2.

    ASCII lines (nearly all generated code) never import black for this.
    """
    if line.isascii():
        return len(line)
    from black.strings import str_width

    return int(str_width(line))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PythonFormatter:
    """black, in-process, with a content-hash cache."""

    def __init__(
        self,
        line_length: int = DEFAULT_LINE_LENGTH,
        cache_dir: Path | None = None,
        *,
        always: bool = False,
    ) -> None:
        self.line_length = line_length
        self.cache_dir = cache_dir
        self.always = always
        self._memory: dict[str, str] = {}
        self.black_runs = 0

    @cached_property
    def fingerprint(self) -> str:
        """Identifies everything the formatted output depends on besides the source."""
        from importlib.metadata import version as package_version

        return f"black {package_version('black')} line-length={self.line_length}"

    def needs_black(self, source: str) -> bool:
        limit = self.line_length
        return self.always or any(text_width(line) > limit for line in source.splitlines())

    def format(self, source: str, name: str = "<generated>") -> str:
        """``source`` as black formats it.

        Black runs only on the top-level blocks (runs of lines between two blank
        lines: the imports, each class) that have an over-long line; black formats
        such a block alone exactly as it does inside the file.
        """
        if self.always:
            return self._black_cached(source, name)
        if not self.needs_black(source):
            return source
        blocks = source.split(BLOCK_SEPARATOR)
        formatted = [
            (
                self._black_cached(block + "\n", name).rstrip("\n")
                if self.needs_black(block)
                else block
            )
            for block in blocks
        ]
        formatted[-1] += "\n" if not formatted[-1].endswith("\n") else ""
        return BLOCK_SEPARATOR.join(formatted)

    def format_full(self, source: str, name: str, template: str) -> str:
        """``source`` rendered from a user or third-party template: black on the whole file.

        Such templates are not known to be black-stable, so the fast path does not
        apply; a file black cannot parse is an error naming the file and the template.
        """
        try:
            return self._black_cached(source, name)
        except FarmgenError as exc:
            raise FarmgenError(
                f"{name}: Python rendered from template {template} does not parse: "
                f"{exc.__cause__ or exc}"
            ) from exc

    def _black_cached(self, source: str, name: str) -> str:
        key = sha256(self.fingerprint + "\0" + source)
        if key in self._memory:
            return self._memory[key]
        cached = self._read_cache(key)
        if cached is None:
            cached = self._run_black(source, name)
            self._write_cache(key, cached)
        self._memory[key] = cached
        return cached

    def _run_black(self, source: str, name: str) -> str:
        import black

        self.black_runs += 1
        try:
            return black.format_str(source, mode=black.Mode(line_length=self.line_length))
        except black.parsing.InvalidInput as exc:
            raise FarmgenError(f"{name}: generated Python does not parse: {exc}") from exc

    def _cache_path(self, key: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / "black" / key[:2] / key

    def _read_cache(self, key: str) -> str | None:
        path = self._cache_path(key)
        if path is None or not path.is_file():
            return None
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        touch(path)
        return text

    def _write_cache(self, key: str, text: str) -> None:
        path = self._cache_path(key)
        if path is None:
            return
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # concurrent runs never share
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
        except OSError:
            tmp.unlink(missing_ok=True)  # a cache that cannot be written only costs time


def format_file(file: RenderedFile, formatter: PythonFormatter) -> RenderedFile:
    """The file with its final content."""
    from farmgen.targets.base import Language, RenderedFile

    if file.language is not Language.PYTHON:
        return file
    if file.template is not None:
        content = formatter.format_full(
            file.content, f"{file.path} of target {file.target}", file.template
        )
    else:
        content = formatter.format(file.content, file.path)
    if content == file.content:
        return file
    return RenderedFile(file.path, content, file.language, file.target, file.template)


__all__ = [
    "CACHE_DIR_NAME",
    "DEFAULT_LINE_LENGTH",
    "PythonFormatter",
    "black_line_length",
    "format_file",
    "sha256",
    "text_width",
]
