#include "core/csv.h"

#include <utility>

namespace octopus::csv {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Walks the text once, keeping the position and the current line number
// together so that every consumed line break is counted exactly once.
class Reader {
 public:
  Reader(std::string_view text, std::string_view source) : text_(text), source_(source) {}

  Result<std::vector<Row>> ReadAll() {
    std::vector<Row> rows;
    while (!AtEnd()) {
      if (Peek() == '#') {
        SkipRestOfLine();
        continue;
      }
      if (IsBlankLine()) {
        SkipRestOfLine();
        continue;
      }
      Result<Row> row = ReadRecord();
      if (!row.ok()) return row.status();
      rows.push_back(std::move(row).value());
    }
    return rows;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }

  // LF, CRLF, or a CR that ends the text.
  bool AtLineEnd() const {
    if (AtEnd()) return false;
    if (Peek() == '\n') return true;
    return Peek() == '\r' && (pos_ + 1 == text_.size() || text_[pos_ + 1] == '\n');
  }

  void ConsumeLineEnd() {
    if (Peek() == '\r') ++pos_;
    if (!AtEnd() && Peek() == '\n') ++pos_;
    ++line_;
  }

  void SkipRestOfLine() {
    while (!AtEnd() && !AtLineEnd()) ++pos_;
    if (!AtEnd()) ConsumeLineEnd();
  }

  bool IsBlankLine() const {
    size_t i = pos_;
    while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t')) ++i;
    if (i == text_.size()) return true;
    if (text_[i] == '\n') return true;
    return text_[i] == '\r' && (i + 1 == text_.size() || text_[i + 1] == '\n');
  }

  Status Error(size_t line, std::string_view what) const {
    return ParseError(std::string(source_) + ":" + std::to_string(line) + ": " + std::string(what));
  }

  Result<Row> ReadRecord() {
    Row row;
    row.line = line_;
    while (true) {
      std::string field;
      Status st = !AtEnd() && Peek() == '"' ? ReadQuoted(field) : ReadUnquoted(field);
      if (!st.ok()) return st;
      row.fields.push_back(std::move(field));
      if (AtEnd()) break;
      if (AtLineEnd()) {
        ConsumeLineEnd();
        break;
      }
      ++pos_;  // the ',' that ReadQuoted/ReadUnquoted stopped at
    }
    return row;
  }

  Status ReadUnquoted(std::string& out) {
    const size_t start = pos_;
    while (!AtEnd() && Peek() != ',' && !AtLineEnd()) {
      if (Peek() == '"') {
        return Error(line_, "quote inside an unquoted field (quote the whole field and double it)");
      }
      ++pos_;
    }
    out.assign(text_.substr(start, pos_ - start));
    return Status::Ok();
  }

  // Line breaks inside quotes are kept as "\n" whatever the file's line ending.
  Status ReadQuoted(std::string& out) {
    const size_t open_line = line_;
    ++pos_;  // opening quote
    while (true) {
      if (AtEnd()) return Error(open_line, "unterminated quoted field (opened on this line)");
      const char c = Peek();
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          out.push_back('"');
          pos_ += 2;
          continue;
        }
        ++pos_;  // closing quote
        break;
      }
      if (AtLineEnd()) {
        ConsumeLineEnd();
        out.push_back('\n');
        continue;
      }
      out.push_back(c);
      ++pos_;
    }
    if (!AtEnd() && Peek() != ',' && !AtLineEnd()) {
      return Error(line_, "unexpected character after a closing quote");
    }
    return Status::Ok();
  }

  std::string_view text_;
  std::string_view source_;
  size_t pos_ = 0;
  size_t line_ = 1;
};

}  // namespace

Result<std::vector<Row>> Parse(std::string_view text, std::string_view source_name) {
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
  return Reader(text, source_name).ReadAll();
}

namespace {

/// "12", "-3.5", "+7": a number, which a spreadsheet reads as a number.
bool IsPlainNumber(std::string_view v) {
  size_t i = (!v.empty() && (v[0] == '-' || v[0] == '+')) ? 1 : 0;
  bool digits = false, dot = false;
  for (; i < v.size(); ++i) {
    if (v[i] >= '0' && v[i] <= '9') {
      digits = true;
    } else if (v[i] == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digits;
}

}  // namespace

std::string Cell(std::string_view value) {
  std::string v;
  if (!value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos &&
      !IsPlainNumber(value)) {
    v.push_back('\'');
  }
  v.append(value);
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char ch : v) {
    if (ch == '"') out.push_back('"');
    out.push_back(ch);
  }
  return out + "\"";
}

std::string Record(const std::vector<std::string>& cells, std::string_view eol) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += Cell(cells[i]);
  }
  out.append(eol);
  return out;
}

}  // namespace octopus::csv
