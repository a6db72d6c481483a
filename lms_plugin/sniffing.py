"""What an upload's bytes are, judged against the type its client declared (issue 10, item 7).

The declared type decides how the file is served later, so it must be what the bytes are: HTML
declared as `application/pdf` is refused. `ContentCheck` is fed the upload chunk by chunk while it
is written, and raises `ContentMismatch` as soon as the bytes cannot be the declared type:

- PDF, PNG, JPEG: the magic number of the first chunk (puremagic, pure Python, no libmagic);
- Word `.doc`, PowerPoint `.ppt`: the OLE2 compound-file signature (D0 CF 11 E0 A1 B1 1A E1).
  Which application's streams it holds is not checked: any OLE2 file is inert when downloaded;
- Word `.docx`, PowerPoint `.pptx`: a ZIP signature first, then, once the whole file is on disk,
  a readable ZIP directory with `[Content_Types].xml` and a `word/` or `ppt/` part (nothing is
  decompressed);
- plain text: every chunk decodes as UTF-8 (a BOM allowed) or as GB18030, has no NUL nor other
  C0 control character but tab, line feed, vertical tab, form feed and carriage return, and its
  first KiB neither opens with `<` (after white space) nor holds an HTML or XML opening
  (`<html`, `<script`, `<iframe`, `<svg`, `<!doctype`, `<?xml`…): markup is not plain text.
"""

import codecs
import re
import zipfile
from pathlib import Path

import puremagic

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TEXT = "text/plain"
DOC = "application/msword"
PPT = "application/vnd.ms-powerpoint"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
# What a Windows browser with Excel installed declares for a .csv file (and for the old .xls,
# whose binary bytes then fail the text check).
EXCEL_CSV = "application/vnd.ms-excel"
# Types whose bytes are checked as plain text (a CSV is text with commas).
_TEXT_TYPES = frozenset({TEXT, CSV, EXCEL_CSV})

# The types puremagic names for a declared type's signature (it calls .ppt "mspowerpoint").
_MAGIC: dict[str, frozenset[str]] = {
    PDF: frozenset({PDF}),
    PNG: frozenset({PNG}),
    JPEG: frozenset({JPEG}),
    DOC: frozenset({DOC, "application/x-ole-storage"}),
    PPT: frozenset({PPT, "application/mspowerpoint", "application/x-ole-storage"}),
    DOCX: frozenset({DOCX, "application/zip"}),
    PPTX: frozenset({PPTX, "application/zip"}),
    XLSX: frozenset({XLSX, "application/zip"}),
}
# The folder of the main part an Office Open XML file of each type holds.
_OOXML_FOLDER = {DOCX: "word/", PPTX: "ppt/", XLSX: "xl/"}
_TEXT_ENCODINGS = ("utf-8-sig", "gb18030")
# In UTF-8 and GB18030 alike a byte below 0x20 is always that control character itself.
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f]")
_MARKUP_HEAD = 1024
_MARKUP = re.compile(
    r"<(?:!doctype|\?xml|html|head|body|script|iframe|frame|object|embed|svg|meta|link|style"
    r"|form|img|a\s)",
    re.IGNORECASE,
)


class ContentMismatch(Exception):
    """The bytes are not the declared type; the message is for the person who uploaded."""


def _mismatch(declared: str) -> ContentMismatch:
    return ContentMismatch(f"文件内容与声明的类型（{declared}）不符")


def _not_text(reason: str) -> ContentMismatch:
    return ContentMismatch(f"纯文本文件{reason}")


def sniffed_types(head: bytes) -> frozenset[str]:
    """The media types the first bytes of a file may be, by their magic number."""
    try:
        return frozenset(match.mime_type for match in puremagic.magic_string(head))
    except (puremagic.PureError, ValueError):
        return frozenset()


def looks_like_markup(text: str) -> bool:
    head = text[:_MARKUP_HEAD]
    return head.lstrip().startswith("<") or _MARKUP.search(head) is not None


class ContentCheck:
    """Checks one upload of a type of the allow-list, chunk by chunk, then as a whole."""

    def __init__(self, declared: str) -> None:
        self.declared = declared
        self._started = False
        self._decoders = {name: codecs.getincrementaldecoder(name)() for name in _TEXT_ENCODINGS}

    def feed(self, chunk: bytes) -> None:
        first = not self._started
        self._started = True
        if self.declared in _TEXT_TYPES:
            self._feed_text(chunk, first)
        elif first and not self._signature_matches(chunk):
            raise _mismatch(self.declared)

    def _signature_matches(self, head: bytes) -> bool:
        expected = _MAGIC.get(self.declared, frozenset({self.declared}))
        return not expected.isdisjoint(sniffed_types(head))

    def _feed_text(self, chunk: bytes, first: bool) -> None:
        if _CONTROL.search(chunk):
            raise _not_text("不能含空字符或控制字符")
        decoded: dict[str, str] = {}
        for name, decoder in list(self._decoders.items()):
            try:
                decoded[name] = decoder.decode(chunk)
            except UnicodeDecodeError:
                del self._decoders[name]
        if not self._decoders:
            raise _not_text("须为 UTF-8 或 GB18030 编码")
        if first and any(looks_like_markup(text) for text in decoded.values()):
            raise _not_text("不能是网页或脚本（HTML、XML、SVG）")

    def finish(self, path: Path) -> None:
        """After the last chunk: the file, whole on disk at `path`, is checked as a whole."""
        if self.declared in _TEXT_TYPES:
            for name, decoder in list(self._decoders.items()):
                try:
                    decoder.decode(b"", final=True)
                except UnicodeDecodeError:
                    del self._decoders[name]
            if not self._decoders:
                raise _not_text("须为 UTF-8 或 GB18030 编码")
        folder = _OOXML_FOLDER.get(self.declared)
        if folder is not None and not _ooxml_holds(path, folder):
            raise _mismatch(self.declared)


def _ooxml_holds(path: Path, folder: str) -> bool:
    """A readable ZIP directory naming `[Content_Types].xml` and a part under `folder`."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        return False
    return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)
