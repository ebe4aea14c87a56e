#include "update/mailing.h"

#include <curl/curl.h>
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <cctype>
#include <climits>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/text.h"

namespace octopus::update {

namespace {

std::string RandomHex(size_t bytes) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), buf.data(), buf.size());
  hex.pop_back();
  return hex;
}

/// Base64 of `data`, in lines of 76 characters ending in CRLF (RFC 2045).
std::string Base64Lines(std::string_view data) {
  const size_t len = sodium_base64_encoded_len(data.size(), sodium_base64_VARIANT_ORIGINAL);
  std::string b64(len, '\0');
  sodium_bin2base64(b64.data(), b64.size(), reinterpret_cast<const unsigned char*>(data.data()),
                    data.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.resize(std::strlen(b64.c_str()));
  std::string out;
  for (size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
  return out;
}

/// An RFC 2047 encoded word for a header holding UTF-8 text.
std::string EncodedWord(std::string_view text) {
  std::string b64 = Base64Lines(text);
  b64.erase(std::remove(b64.begin(), b64.end(), '\r'), b64.end());
  b64.erase(std::remove(b64.begin(), b64.end(), '\n'), b64.end());
  return "=?UTF-8?B?" + b64 + "?=";
}

std::string RfcDate() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

std::string DomainOf(std::string_view address) {
  const size_t at = address.rfind('@');
  return at == std::string_view::npos ? "localhost" : std::string(address.substr(at + 1));
}

std::string CommonHeaders(const MailSettings& settings, std::string_view to,
                          std::string_view subject) {
  return "From: \"Cybercrime@CoE Update\" <" + settings.from + ">\r\n" + "To: <" + std::string(to) +
         ">\r\n" + "Subject: " + EncodedWord(subject) + "\r\n" + "Date: " + RfcDate() + "\r\n" +
         "Message-ID: <" + RandomHex(16) + "@" + DomainOf(settings.from) + ">\r\n" +
         "MIME-Version: 1.0\r\n";
}

/// One SMTP session (libcurl easy handle; the connection is reused between
/// messages). Not thread-safe.
class SmtpSession {
 public:
  explicit SmtpSession(const MailSettings& s)
      : curl_(curl_easy_init(), &curl_easy_cleanup), username_(s.username), password_(s.password) {
    std::string host_port = s.smtp;
    std::string scheme = "smtp://";
    for (const char* known : {"smtp://", "smtps://"}) {
      if (text::StartsWith(host_port, known)) {
        scheme = known;
        host_port.erase(0, scheme.size());
      }
    }
    if (host_port.find(':') == std::string::npos)
      host_port += scheme == "smtps://" ? ":465" : ":25";
    url_ = scheme + host_port;
  }

  Status Send(const std::string& from, const std::string& to, const std::string& message) {
    if (!curl_) return IoError("libcurl cannot be initialised");
    CURL* c = curl_.get();
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt(
        curl_slist_append(nullptr, ("<" + to + ">").c_str()), &curl_slist_free_all);
    if (!rcpt) return IoError("out of memory");
    Payload payload{message, 0};
    const std::string mail_from = "<" + from + ">";
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_READFUNCTION, &SmtpSession::Read);
    curl_easy_setopt(c, CURLOPT_READDATA, &payload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    // smtps:// is TLS from the start. A login is never sent in clear: with
    // credentials STARTTLS is required, without them it is used when offered.
    const bool login = !username_.empty();
    curl_easy_setopt(c, CURLOPT_USE_SSL,
                     static_cast<long>(login ? CURLUSESSL_ALL : CURLUSESSL_TRY));
    if (!username_.empty()) {
      curl_easy_setopt(c, CURLOPT_USERNAME, username_.c_str());
      curl_easy_setopt(c, CURLOPT_PASSWORD, password_.c_str());
    }
    const CURLcode rc = curl_easy_perform(c);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, nullptr);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
    if (rc == CURLE_USE_SSL_FAILED && login) {
      return IoError("SMTP " + url_ +
                     ": the relay does not offer TLS (STARTTLS), and the login is not sent "
                     "without it; use a relay with STARTTLS or smtps://");
    }
    if (rc != CURLE_OK) {
      return IoError("SMTP " + url_ + ": " + (error[0] ? error : curl_easy_strerror(rc)));
    }
    return Status::Ok();
  }

 private:
  struct Payload {
    std::string_view data;
    size_t offset;
  };
  static size_t Read(char* buffer, size_t size, size_t nitems, void* user) {
    auto* p = static_cast<Payload*>(user);
    const size_t n = std::min(size * nitems, p->data.size() - p->offset);
    std::memcpy(buffer, p->data.data() + p->offset, n);
    p->offset += n;
    return n;
  }

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl_;
  std::string url_;
  std::string username_, password_;
};

}  // namespace

namespace {

/// The code points of valid UTF-8 text.
std::u32string CodePoints(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int extra = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
    for (int k = 1; k <= extra && i + static_cast<size_t>(k) < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3F);
    }
    out.push_back(cp);
    i += static_cast<size_t>(extra) + 1;
  }
  return out;
}

/// Code points no address may hold: controls, bidirectional overrides and
/// isolates, zero-width and other invisible format characters.
bool IsInvisibleOrControl(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0xAD || (c >= 0x200B && c <= 0x200F) ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF ||
         (c >= 0xFFF0 && c <= 0xFFFF) || (c >= 0xE0000 && c <= 0xE007F);
}

/// RFC 3492 Punycode of one label's code points (without the "xn--").
std::string Punycode(const std::u32string& input) {
  constexpr uint32_t kBase = 36, kTmin = 1, kTmax = 26, kSkew = 38, kDamp = 700;
  auto adapt = [](uint32_t delta, uint32_t points, bool first) {
    delta = first ? delta / kDamp : delta / 2;
    delta += delta / points;
    uint32_t k = 0;
    while (delta > ((kBase - kTmin) * kTmax) / 2) {
      delta /= kBase - kTmin;
      k += kBase;
    }
    return k + (kBase - kTmin + 1) * delta / (delta + kSkew);
  };
  auto digit = [](uint32_t d) { return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26)); };
  std::string out;
  for (char32_t c : input) {
    if (c < 0x80) out.push_back(static_cast<char>(c));
  }
  const uint32_t basic = static_cast<uint32_t>(out.size());
  uint32_t handled = basic;
  if (basic > 0) out.push_back('-');
  uint32_t n = 0x80, delta = 0, bias = 72;
  while (handled < input.size()) {
    uint32_t m = UINT32_MAX;
    for (char32_t c : input) {
      if (c >= n && c < m) m = c;
    }
    delta += (m - n) * (handled + 1);
    n = m;
    for (char32_t c : input) {
      if (c < n) ++delta;
      if (c != n) continue;
      uint32_t q = delta;
      for (uint32_t k = kBase;; k += kBase) {
        const uint32_t t = k <= bias ? kTmin : k >= bias + kTmax ? kTmax : k - bias;
        if (q < t) break;
        out.push_back(digit(t + (q - t) % (kBase - t)));
        q = (q - t) / (kBase - t);
      }
      out.push_back(digit(q));
      bias = adapt(delta, handled + 1, handled == basic);
      delta = 0;
      ++handled;
    }
    ++delta;
    ++n;
  }
  return out;
}

/// A domain in the ASCII form SMTP carries: lower case, each label of
/// letters, digits and inner hyphens (non-ASCII labels as xn--Punycode),
/// at most 63 bytes a label and 253 in all; at least two labels, or
/// "localhost". nullopt otherwise.
std::optional<std::string> AsciiDomain(std::string_view domain) {
  if (domain.empty() || !text::IsValidUtf8(domain)) return std::nullopt;
  std::string out;
  size_t labels = 0;
  for (size_t start = 0; start <= domain.size();) {
    const size_t dot = std::min(domain.find('.', start), domain.size());
    const std::string_view label = domain.substr(start, dot - start);
    if (label.empty()) return std::nullopt;
    const std::u32string cps = CodePoints(label);
    bool ascii = true;
    for (char32_t c : cps) {
      if (IsInvisibleOrControl(c)) return std::nullopt;
      if (c >= 0x80) ascii = false;
    }
    std::string a;
    if (ascii) {
      a = text::ToLowerAscii(label);
    } else {
      std::u32string lower;
      for (char32_t c : cps) lower.push_back(c < 0x80 ? std::tolower(static_cast<int>(c)) : c);
      a = "xn--" + Punycode(lower);
    }
    if (a.size() > 63 || a.front() == '-' || a.back() == '-') return std::nullopt;
    for (char c : a) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return std::nullopt;
    }
    if (!out.empty()) out.push_back('.');
    out += a;
    ++labels;
    start = dot + 1;
    if (dot == domain.size()) break;
  }
  if (out.size() > 253 || (labels < 2 && out != "localhost")) return std::nullopt;
  return out;
}

}  // namespace

std::optional<std::string> NormaliseEmail(std::string_view a) {
  const size_t at = a.rfind('@');
  if (at == 0 || at == std::string_view::npos || at > 64) return std::nullopt;
  const std::string_view local = a.substr(0, at);
  // The subset of RFC 5321's dot-string every relay takes: letters, digits
  // and . _ % + -, with no dot first, last or doubled. Pipes, slashes and
  // quotes, which some mailers hand to programs, are refused.
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return std::nullopt;
  }
  for (char ch : local) {
    const auto c = static_cast<unsigned char>(ch);
    if (!(std::isalnum(c) && c < 0x80) && ch != '.' && ch != '_' && ch != '%' && ch != '+' &&
        ch != '-') {
      return std::nullopt;
    }
  }
  auto domain = AsciiDomain(a.substr(at + 1));
  if (!domain) return std::nullopt;
  std::string out = text::ToLowerAscii(local) + "@" + *domain;
  if (out.size() > 254) return std::nullopt;
  return out;
}

bool IsValidEmail(std::string_view a) { return NormaliseEmail(a).has_value(); }

Status CheckMailSettings(const MailSettings& s) {
  if (!IsValidEmail(s.from)) return InvalidArgument("--from: '" + s.from + "' is not an address");
  std::string_view host = s.smtp;
  for (std::string_view scheme : {"smtp://", "smtps://"}) {
    if (host.starts_with(scheme)) host.remove_prefix(scheme.size());
  }
  if (host.empty() || host.find_first_of(" /@\r\n") != std::string_view::npos) {
    return InvalidArgument("--smtp: expected [smtp://|smtps://]HOST:PORT, not '" + s.smtp + "'");
  }
  if (!text::StartsWith(s.base_url, "http://") && !text::StartsWith(s.base_url, "https://")) {
    return InvalidArgument("--base-url: expected http(s)://…, not '" + s.base_url + "'");
  }
  if (s.base_url.find_first_of(" \r\n\"<>") != std::string::npos) {
    return InvalidArgument("--base-url: '" + s.base_url + "' is not a URL");
  }
  return Status::Ok();
}

namespace {
std::string Base(const MailSettings& s) {
  std::string b = s.base_url;
  while (!b.empty() && b.back() == '/') b.pop_back();
  return b;
}
}  // namespace

std::string ConfirmUrl(const MailSettings& s, std::string_view token) {
  return Base(s) + "/subscribe/confirm?token=" + std::string(token);
}

std::string UnsubscribeUrl(const MailSettings& s, std::string_view token) {
  return Base(s) + "/unsubscribe?token=" + std::string(token);
}

namespace {

std::string IsoUtc(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

Result<store::Subscriber> RequestSubscription(store::Store& store, std::string_view email) {
  auto address = NormaliseEmail(text::Trim(email));
  if (!address) return InvalidArgument("'" + std::string(email) + "' is not an e-mail address");
  const std::string expires = IsoUtc(std::chrono::system_clock::now() + kPendingLifetime);
  return store.AddSubscriber(*address, RandomHex(32), RandomHex(32), expires);
}

namespace {
/// Tokens are what RandomHex makes: anything else is refused before the store sees it.
Status CheckToken(std::string_view token) {
  if (token.size() != 64 || token.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
    return NotFound("no subscription holds this token");
  }
  return Status::Ok();
}
}  // namespace

Result<store::Subscriber> ConfirmSubscription(store::Store& store, std::string_view token) {
  OCTOPUS_RETURN_IF_ERROR(CheckToken(token));
  return store.SetSubscriberStatus(std::string(token), "confirmed");
}

Result<store::Subscriber> Unsubscribe(store::Store& store, std::string_view token) {
  OCTOPUS_RETURN_IF_ERROR(CheckToken(token));
  return store.SetSubscriberStatus(std::string(token), "unsubscribed");
}

namespace {

// A plain-text message (UTF-8, base64) with the common headers.
std::string PlainMessage(const MailSettings& settings, const std::string& to,
                         std::string_view subject, std::string_view body) {
  return CommonHeaders(settings, to, subject) +
         "Content-Type: text/plain; charset=utf-8\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" +
         Base64Lines(body);
}

std::string ConfirmationMessage(const store::Subscriber& subscriber, const MailSettings& settings) {
  const std::string body =
      "Someone, probably you, asked to receive the Cybercrime@CoE Update at this address.\n\n"
      "To confirm, open this link and press the button on the page (within 7 days):\n" +
      ConfirmUrl(settings, subscriber.token) +
      "\n\nIf you did not ask for it, ignore this message: you will not be subscribed.\n";
  return PlainMessage(settings, subscriber.email,
                      "Confirm your subscription to the Cybercrime@CoE Update", body);
}

}  // namespace

Status SendConfirmation(const store::Subscriber& subscriber, const MailSettings& settings) {
  OCTOPUS_RETURN_IF_ERROR(CheckMailSettings(settings));
  if (!IsValidEmail(subscriber.email))
    return InvalidArgument("not an address: " + subscriber.email);
  SmtpSession session(settings);
  return session.Send(settings.from, subscriber.email, ConfirmationMessage(subscriber, settings));
}

Result<bool> QueueConfirmation(store::Store& store, const store::Subscriber& subscriber,
                               const MailSettings& settings) {
  OCTOPUS_RETURN_IF_ERROR(CheckMailSettings(settings));
  if (!IsValidEmail(subscriber.email)) {
    return InvalidArgument("not an address: " + subscriber.email);
  }
  store::OutboxMessage m;
  m.kind = "confirmation";
  m.recipient = subscriber.email;
  m.message = ConfirmationMessage(subscriber, settings);
  m.dedup_key = "confirm:" + std::to_string(subscriber.id) + ":" + subscriber.token;
  return store.EnqueueMail(m);
}

Result<DeliveryReport> DeliverDueMail(store::Store& store, const MailSettings& settings, int limit) {
  OCTOPUS_RETURN_IF_ERROR(CheckMailSettings(settings));
  const auto now = std::chrono::system_clock::now();
  auto due = store.DueMail(IsoUtc(now), limit);
  if (!due) return due.status();
  DeliveryReport report;
  if (due->empty()) return report;
  SmtpSession session(settings);
  for (const store::OutboxMessage& m : *due) {
    // The next attempt is set before this one starts: a message whose sending
    // is cut short (a crash, a kill) is retried then, not lost.
    const auto backoff = kFirstRetry * (1 << std::min(m.attempts, 10));
    auto claimed = store.MarkMailAttempt(m.id, m.attempts, IsoUtc(now + backoff));
    if (!claimed) return claimed.status();
    if (!*claimed) continue;  // another process is sending it
    const Status st = session.Send(settings.from, m.recipient, m.message);
    if (st.ok()) {
      OCTOPUS_RETURN_IF_ERROR(store.MarkMailSent(m.id));
      ++report.sent;
      continue;
    }
    const bool give_up = m.attempts + 1 >= kMaxAttempts;
    OCTOPUS_RETURN_IF_ERROR(store.MarkMailFailed(m.id, st.message(), give_up));
    report.failed.push_back(m.recipient + ": " + st.message());
  }
  return report;
}

OutboxWorker::OutboxWorker(store::Store& store, MailSettings settings,
                           std::function<void(std::string_view)> log,
                           std::chrono::milliseconds interval)
    : store_(store), settings_(std::move(settings)), log_(std::move(log)), interval_(interval) {
  thread_ = std::jthread([this](std::stop_token stop) { Run(stop); });
}

OutboxWorker::~OutboxWorker() {
  thread_.request_stop();
  Wake();
}

void OutboxWorker::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_one();
}

void OutboxWorker::Run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    auto report = DeliverDueMail(store_, settings_, kBatch);
    if (!report) {
      log_("outbox: " + report.status().message());
    } else {
      for (const std::string& f : report->failed) log_("outbox: " + f);
    }
    // A full batch: more may be due at once.
    if (report && report->sent + static_cast<int>(report->failed.size()) == kBatch) continue;
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, interval_, [&] { return woken_ || stop.stop_requested(); });
    woken_ = false;
  }
}

Result<bool> QueuePlainMessage(store::Store& store, const MailSettings& settings,
                               const std::string& to, std::string_view subject,
                               std::string_view body, std::string_view kind,
                               std::string dedup_key) {
  OCTOPUS_RETURN_IF_ERROR(CheckMailSettings(settings));
  if (!IsValidEmail(to)) return InvalidArgument("not an address: " + to);
  store::OutboxMessage m;
  m.kind = std::string(kind);
  m.recipient = to;
  m.message = PlainMessage(settings, to, subject, body);
  m.dedup_key = std::move(dedup_key);
  return store.EnqueueMail(m);
}

Status SendPlainMessage(const MailSettings& settings, const std::string& to,
                        std::string_view subject, std::string_view body) {
  OCTOPUS_RETURN_IF_ERROR(CheckMailSettings(settings));
  if (!IsValidEmail(to)) return InvalidArgument("not an address: " + to);
  SmtpSession session(settings);
  return session.Send(settings.from, to, PlainMessage(settings, to, subject, body));
}

std::string IssueMessage(const UpdateIssue& issue, const store::Subscriber& to,
                         const MailSettings& settings) {
  UpdateIssue personal = issue;
  personal.unsubscribe_url = UnsubscribeUrl(settings, to.unsubscribe_token);
  const std::string boundary = "octopus-" + RandomHex(12);
  return CommonHeaders(settings, to.email, issue.title + " — " + issue.period) +
         "List-Unsubscribe: <" + personal.unsubscribe_url + ">\r\n" +
         "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" +
         "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n" + "--" +
         boundary + "\r\n" +
         "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
         Base64Lines(RenderText(personal)) + "--" + boundary + "\r\n" +
         "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
         Base64Lines(RenderHtml(personal)) + "--" + boundary + "--\r\n";
}

Result<SendReport> SendIssue(service::Registry& registry, const kb::KnowledgeBase& knowledge,
                             const Quarter& q, const MailSettings& settings,
                             const ComposeOptions& options) {
  OCTOPUS_RETURN_IF_ERROR(CheckMailSettings(settings));
  auto issue = BuildIssue(registry, knowledge, q, options);
  if (!issue) return issue.status();
  store::Store& store = registry.store();
  auto subscribers = store.Subscribers("confirmed");
  if (!subscribers) return subscribers.status();
  SendReport report;
  for (const auto& s : *subscribers) {
    if (!IsValidEmail(s.email)) {
      report.failed.push_back(s.email + ": not an address");
      continue;
    }
    store::OutboxMessage m;
    m.kind = "issue";
    m.recipient = s.email;
    m.message = IssueMessage(*issue, s, settings);
    m.dedup_key = "issue:" + q.ToString() + ":" + std::to_string(s.id);
    auto queued = store.EnqueueMail(m);
    if (!queued) return queued.status();
    if (!*queued) ++report.already_queued;
  }
  // Everything due now goes out; a failed message stays queued for a retry.
  for (;;) {
    auto delivered = DeliverDueMail(store, settings, 100);
    if (!delivered) return delivered.status();
    report.sent += delivered->sent;
    report.failed.insert(report.failed.end(), delivered->failed.begin(), delivered->failed.end());
    if (delivered->sent + static_cast<int>(delivered->failed.size()) < 100) break;
  }
  return report;
}

}  // namespace octopus::update
