#pragma once
/// The check every state-changing request passes. Internal to the web module.
#include "core/result.h"
#include "web/internal/routes.h"

namespace octopus::web::internal {

/// Ok when a POST may change state: the principal is signed in, the form's
/// `csrf` field equals the session's token (auth::Principal::csrf_token),
/// and the Origin header (else the Referer) names the host the request was
/// sent to. InvalidArgument saying which check failed otherwise; the caller
/// answers 403.
Status CheckStateChange(const Context& c, const Target& form);

}  // namespace octopus::web::internal
