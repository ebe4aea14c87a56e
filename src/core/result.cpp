#include "core/result.h"

namespace octopus {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid argument";
    case StatusCode::kNotFound: return "not found";
    case StatusCode::kConflict: return "conflict";
    case StatusCode::kParseError: return "parse error";
    case StatusCode::kIoError: return "i/o error";
    case StatusCode::kInternal: return "internal error";
    case StatusCode::kPermissionDenied: return "permission denied";
  }
  return "unknown";
}

}  // namespace octopus
