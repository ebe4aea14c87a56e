#pragma once
/// Status and Result<T>: expected failures as values (bad input, not found,
/// conflict, parse error). Exceptions are kept for the exceptional.

#include <string>
#include <utility>
#include <variant>

namespace octopus {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  ///< malformed input: a date, a flag, a field
  kNotFound,         ///< an unknown treaty, state, record
  kConflict,         ///< contradicting data
  kParseError,       ///< a document or file that cannot be read
  kIoError,          ///< a file or database that cannot be opened or written
  kInternal,
  kPermissionDenied,  ///< the principal may not do this (403)
};

/// Human name of a code ("invalid argument", "not found", ...).
const char* StatusCodeName(StatusCode code);

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status Conflict(std::string m) { return {StatusCode::kConflict, std::move(m)}; }
inline Status ParseError(std::string m) { return {StatusCode::kParseError, std::move(m)}; }
inline Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
inline Status PermissionDenied(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }

/// A value or the Status explaining why there is none (the shape of std::expected).
template <typename T>
class Result {
 public:
  Result(T value) : data_(std::move(value)) {}       // NOLINT: implicit on purpose
  Result(Status status) : data_(std::move(status)) {}  // NOLINT: must not be ok

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }

  const T& value() const& { return std::get<T>(data_); }
  T& value() & { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  /// The failure; an ok Status when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(data_); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace octopus

/// Return early with the failure of an expression yielding a Status.
#define OCTOPUS_RETURN_IF_ERROR(expr)          \
  do {                                         \
    ::octopus::Status _st = (expr);            \
    if (!_st.ok()) return _st;                 \
  } while (0)
