#pragma once
/// Who a request is from, for a served site: SiteOptions::authenticate over
/// the sessions in the store.

#include <functional>
#include <memory>
#include <string_view>

#include "auth/accounts.h"
#include "auth/principal.h"
#include "store/store.h"
#include "web/http.h"

namespace octopus::web {

/// The principal of the session cookie a request carries (a reader without
/// one, or for an ended, idle or expired session). Uses `store` under a
/// mutex of its own: give it a connection the site does not use. Store
/// errors are logged through `log` and answered as a reader.
std::function<auth::Principal(const Request&)> SessionAuthenticator(
    std::shared_ptr<store::Store> store, auth::AccountOptions options,
    std::function<void(std::string_view)> log);

}  // namespace octopus::web
