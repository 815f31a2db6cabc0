"""Reading the PDFs WeasyPrint writes (compressed object streams), without a PDF library:
the pages and the text runs a test asserts on."""

import re
import zlib

# Up to "\nendstream" only: a compressed stream may end in a "\r" byte of its own, which the
# decompressor leaves over as unused data.
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\nendstream", re.S)


def pdf_streams(data):
    for stream in PDF_STREAM.finditer(data):
        try:
            yield zlib.decompressobj().decompress(stream.group(1))
        except zlib.error:
            continue


def pdf_text(data):
    """The text WeasyPrint drew in a PDF, one string per text run: glyph ids mapped back to
    characters through the fonts' ToUnicode maps (the fonts of one family share glyph ids)."""
    glyphs = {}
    streams = list(pdf_streams(data))
    for body in streams:
        if b"begincmap" not in body:
            continue
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", body, re.S):
            for source, target in re.findall(rb"<(\w+)>\s*<(\w+)>", block):
                glyphs[int(source, 16)] = bytes.fromhex(target.decode()).decode("utf-16-be")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", body, re.S):
            for first, last, target in re.findall(rb"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
                start = int(target, 16)
                for offset, glyph in enumerate(range(int(first, 16), int(last, 16) + 1)):
                    glyphs[glyph] = chr(start + offset)
    runs = []
    for body in streams:
        for array in re.findall(rb"\[([^\]]*)\]\s*TJ", body):
            codes = b"".join(re.findall(rb"<(\w*)>", array))
            runs.append("".join(glyphs.get(int(codes[at:at + 4], 16), "?")
                                for at in range(0, len(codes), 4)))
    return "\n".join(runs)


def image_count(data):
    return sum(len(re.findall(rb"/Subtype\s*/Image", body)) for body in [data, *pdf_streams(data)])




def pdf_page_count(data):
    return sum(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", body)) for body in pdf_streams(data))
