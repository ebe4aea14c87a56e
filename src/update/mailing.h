#pragma once
/// Subscribers and mailing of the quarterly update.
///
/// A subscription is pending until its address confirms it through a link
/// carrying a random token, within 7 days; a second token makes the one-click
/// unsubscribe link of every issue sent (List-Unsubscribe and
/// List-Unsubscribe-Post, RFC 8058, and a link in the footer). Each token
/// works once. Messages are queued in the store's outbox and go out over SMTP
/// (libcurl) from there, one per subscriber, as multipart/alternative with the
/// text and HTML issue; a failed send is retried with back-off.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/result.h"
#include "store/store.h"
#include "update/update.h"

namespace octopus::update {

struct MailSettings {
  /// The SMTP relay: "HOST:PORT" (port 25 when absent; STARTTLS when offered,
  /// required when a username is set), or "smtps://HOST:PORT" for TLS from
  /// the start (port 465 when absent).
  std::string smtp;
  std::string from;      ///< sender address
  std::string base_url;  ///< the site's public address, for links ("https://octopus.example.org")
  std::string username, password;  ///< relay login, when it wants one
};

/// How long a confirmation link works.
inline constexpr std::chrono::hours kPendingLifetime{24 * 7};

/// The address in the form mail is sent to, or nullopt when it is not one a
/// relay accepts: a local part of letters, digits and . _ % + - (no dot
/// first, last or doubled; at most 64 bytes), '@', and a domain of at least
/// two labels (or "localhost") of letters, digits and inner hyphens; a
/// non-ASCII label is written in Punycode (xn--…), and controls, bidi
/// overrides and invisible characters are refused. Lower case; at most 254
/// bytes. Keeps header injection and program addresses out of every message.
std::optional<std::string> NormaliseEmail(std::string_view address);
bool IsValidEmail(std::string_view address);

/// Checks the settings: a valid sender, an SMTP host, an http(s) base URL.
Status CheckMailSettings(const MailSettings& settings);

/// "BASE/subscribe/confirm?token=T" and "BASE/unsubscribe?token=T".
std::string ConfirmUrl(const MailSettings& settings, std::string_view token);
std::string UnsubscribeUrl(const MailSettings& settings, std::string_view token);

/// Records a pending subscription for NormaliseEmail(`email`) with fresh
/// random tokens, the confirmation one expiring after kPendingLifetime.
/// InvalidArgument for an invalid address. A confirmed address is returned as is.
Result<store::Subscriber> RequestSubscription(store::Store& store, std::string_view email);
/// Mails the confirmation link to a pending subscriber at once (not queued).
Status SendConfirmation(const store::Subscriber& subscriber, const MailSettings& settings);
/// Queues the confirmation link for a pending subscriber in the outbox; false
/// when the same link was queued before.
Result<bool> QueueConfirmation(store::Store& store, const store::Subscriber& subscriber,
                               const MailSettings& settings);

/// Back-off of the outbox: the first retry after kFirstRetry, then doubling;
/// a message is given up after kMaxAttempts failed attempts.
inline constexpr std::chrono::seconds kFirstRetry{30};
inline constexpr int kMaxAttempts = 8;

/// What the outbox guarantees. A message is stored (EnqueueMail, one per
/// dedup key, ever) before anything is sent, so a restart loses nothing: it
/// stays due until the relay accepts it (recorded sent) or kMaxAttempts
/// attempts failed (recorded given up, with the last error). Every attempt
/// is claimed in the store before its SMTP session begins (MarkMailAttempt,
/// one conditional UPDATE that also records the retry time), so two senders
/// (the server's worker and `octopus user`, or two servers on one database)
/// never send one message both. A message is sent twice in one case only,
/// the window SMTP leaves open (RFC 1047): the process dies after the last
/// line of DATA went out and before the relay's acceptance was recorded
/// (MarkMailSent is committed the moment the relay's 250 arrives, so this is
/// mostly the time the relay takes to answer). The message is then sent
/// again at its recorded retry time, byte for byte the same text with the
/// same Message-ID, which lets mail systems and readers recognise the copy.
/// A death anywhere else (before DATA ends, or after the record) sends
/// nothing twice: the attempt is retried at its retry time, or was done.
/// The text of a sent message is not kept.
struct DeliveryReport {
  int sent = 0;
  std::vector<std::string> failed;  ///< "address: reason"
};
/// Sends up to `limit` outbox messages that are due, oldest first, each
/// marked sent or failed in the store as it goes. Fails as a whole only when
/// the settings are wrong or the store cannot be written.
Result<DeliveryReport> DeliverDueMail(store::Store& store, const MailSettings& settings,
                                      int limit);

/// A background thread that delivers the outbox: every `interval`, and at
/// once after Wake(). The destructor lets the message being sent finish and
/// stops; the queue stays in the store for the next start.
class OutboxWorker {
 public:
  OutboxWorker(store::Store& store, MailSettings settings,
               std::function<void(std::string_view)> log,
               std::chrono::milliseconds interval = std::chrono::seconds(5));
  ~OutboxWorker();
  OutboxWorker(const OutboxWorker&) = delete;
  OutboxWorker& operator=(const OutboxWorker&) = delete;
  void Wake();

 private:
  static constexpr int kBatch = 20;
  void Run(std::stop_token stop);

  store::Store& store_;
  const MailSettings settings_;
  const std::function<void(std::string_view)> log_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
  std::jthread thread_;  // last: stopped and joined before the members above go
};

/// Queues one plain-text message (UTF-8) to `to` in the outbox, of `kind`
/// ("account"), under `dedup_key`; false when a message with that key was
/// queued before. InvalidArgument for a bad address or settings.
Result<bool> QueuePlainMessage(store::Store& store, const MailSettings& settings,
                               const std::string& to, std::string_view subject,
                               std::string_view body, std::string_view kind,
                               std::string dedup_key);
/// Mails one plain-text message (UTF-8) to `to` at once, not through the
/// outbox. InvalidArgument for a bad address or settings, IoError when the
/// relay refuses it.
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
  int already_queued = 0;  ///< subscribers this quarter's issue was queued for before
};

/// Queues the issue of quarter `q` (BuildIssue over `knowledge`) for every
/// confirmed subscriber it was not queued for before, then delivers the
/// outbox. Fails as a whole only when the issue cannot be composed, the
/// settings are wrong or the store cannot be written; a refused recipient is
/// reported (and retried later) and the others still receive theirs. Run
/// twice, nobody gets the issue twice.
Result<SendReport> SendIssue(service::Registry& registry, const kb::KnowledgeBase& knowledge,
                             const Quarter& q, const MailSettings& settings,
                             const ComposeOptions& options = {});

}  // namespace octopus::update
