#pragma once
/// Readers: the bytes of a text file, an HTML page or a PDF become a TextDocument, lines of UTF-8
/// text in reading order. The format is judged by content, never by file name.
///
/// Every function here takes untrusted bytes: none crashes, throws or hangs on any input; what
/// cannot be read comes back as a Status with one clear line. All functions are thread-safe.

#include <cstddef>
#include <string_view>

#include "core/result.h"
#include "ingest/document.h"

namespace octopus::ingest {

struct ReadOptions {
  /// Larger input is refused before any parsing.
  size_t max_bytes = size_t{64} << 20;
};

/// The format of `bytes`:
/// - kPdf when it starts with "%PDF-" (after an optional UTF-8 BOM and whitespace);
/// - kHtml when it starts (after BOM and whitespace, any case) with "<!doctype html", "<html",
///   "<head" or "<body", or when its first 4 KB hold an <html>, <body>, <p> or <div> tag;
/// - kText otherwise.
/// Errors (kParseError): "empty file"; "binary file, not text/HTML/PDF" when the first 64 KB hold a
/// NUL byte or more than 5% control bytes (UTF-16 text lands here too, with a hint to convert it).
Result<Format> DetectFormat(std::string_view bytes);

/// Reads `bytes` of any supported format into lines.
///
/// - Text: one line per '\n'-terminated line of the file (a trailing '\r' and a leading UTF-8 BOM
///   removed), so line numbers are the file's own.
/// - HTML (gumbo): lines as a person reads the page. Each block element (p, div, h1-h6, li, tr, br,
///   section, article, header, footer, blockquote, pre, dt, dd, ...) starts a line; inline text is
///   joined with whitespace collapsed; entities are decoded; li lines start with "- "; a table row
///   of two or more one-line cells becomes one line with the cells joined by a TAB (a row whose
///   cells hold several lines, as in layout tables, gives those lines instead); pre keeps its
///   line breaks. One empty line follows each paragraph, heading, div-like block, list and table,
///   so blocks are separated by exactly one empty line. script, style, head, noscript and template
///   are skipped; links keep their text only. A document whose <html> or <body> is never closed is
///   marked `truncated`. Bytes that are not UTF-8 are decoded as windows-1252 when the page
///   declares a Latin-1/windows-1252 charset, otherwise replaced as for text.
/// - PDF (poppler): each page's text in physical layout (see reader.cpp for why), form feeds and
///   trailing spaces removed, the page's common indentation removed, and every run of three or
///   more spaces (a column gap, also at the start of an indented line) turned into one TAB, so a
///   table row reads "PROJECT<TAB>Title, place, dates". Runs of empty lines become one empty line;
///   pages are separated by one empty line. A PDF without "%%EOF" near its end is marked
///   `truncated`; a page without text adds a warning.
///
/// Invalid UTF-8 never reaches `lines`: each invalid byte becomes U+FFFD and `warnings` says where
/// ("invalid UTF-8 at line N, replaced" for the first lines, then a count).
///
/// Errors: kInvalidArgument "file too large (N bytes, limit M)"; kParseError for the DetectFormat
/// errors, "not a readable PDF (truncated or damaged)", "PDF is password-protected", "PDF page N
/// of M cannot be read: ...", and HTML too deeply nested or too costly to parse (a guard against
/// inputs that make the HTML parser quadratic).
Result<TextDocument> ReadDocument(std::string_view bytes, const ReadOptions& opts = {});

}  // namespace octopus::ingest
