#pragma once
/// Subscribers and mailing of the quarterly update.
///
/// A subscription is pending until its address confirms it through a link
/// carrying a random token; the same token makes the one-click unsubscribe
/// link of every issue sent (List-Unsubscribe and List-Unsubscribe-Post,
/// RFC 8058, and a link in the footer). Messages go out over SMTP (libcurl),
/// one per subscriber, as multipart/alternative with the text and HTML issue.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/store.h"
#include "update/update.h"

namespace octopus::update {

struct MailSettings {
  /// The SMTP relay: "HOST:PORT" (port 25 when absent; STARTTLS when offered),
  /// or "smtps://HOST:PORT" for TLS from the start (port 465 when absent).
  std::string smtp;
  std::string from;      ///< sender address
  std::string base_url;  ///< the site's public address, for links ("https://octopus.example.org")
  std::string username, password;  ///< relay login, when it wants one
};

/// A practical check of an address: local@domain, at most 254 bytes, no white
/// space, control characters, angle brackets or quotes; the domain has a dot
/// or is "localhost". Keeps header injection out of every message.
bool IsValidEmail(std::string_view address);

/// Checks the settings: a valid sender, an SMTP host, an http(s) base URL.
Status CheckMailSettings(const MailSettings& settings);

/// "BASE/subscribe/confirm?token=T" and "BASE/unsubscribe?token=T".
std::string ConfirmUrl(const MailSettings& settings, std::string_view token);
std::string UnsubscribeUrl(const MailSettings& settings, std::string_view token);

/// Records a pending subscription for `email` with a fresh random token.
/// InvalidArgument for an invalid address. A confirmed address is returned as is.
Result<store::Subscriber> RequestSubscription(store::Store& store, std::string_view email);
/// Mails the confirmation link to a pending subscriber.
Status SendConfirmation(const store::Subscriber& subscriber, const MailSettings& settings);
/// Mails one plain-text message (UTF-8) to `to`. InvalidArgument for a bad
/// address or settings, IoError when the relay refuses it.
Status SendPlainMessage(const MailSettings& settings, const std::string& to,
                        std::string_view subject, std::string_view body);
/// Follows a confirmation link. NotFound for an unknown token.
Result<store::Subscriber> ConfirmSubscription(store::Store& store, std::string_view token);
/// Follows an unsubscribe link. NotFound for an unknown token.
Result<store::Subscriber> Unsubscribe(store::Store& store, std::string_view token);

/// The complete message (headers and body, CRLF line ends) of an issue for
/// one subscriber.
std::string IssueMessage(const UpdateIssue& issue, const store::Subscriber& to,
                         const MailSettings& settings);

struct SendReport {
  int sent = 0;
  std::vector<std::string> failed;  ///< "address: reason"
};

/// Mails the issue of quarter `q` (BuildIssue over `knowledge`) to every
/// confirmed subscriber. Fails as a whole only when the issue cannot be
/// composed or the settings are wrong; a refused recipient is reported and
/// the others still receive theirs.
Result<SendReport> SendIssue(service::Registry& registry, const kb::KnowledgeBase& knowledge,
                             const Quarter& q, const MailSettings& settings,
                             const ComposeOptions& options = {});

}  // namespace octopus::update
