#include "update/mailing.h"

#include <curl/curl.h>
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <memory>
#include <stdexcept>
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
    // STARTTLS when the relay offers it; smtps:// is TLS from the start.
    curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
    if (!username_.empty()) {
      curl_easy_setopt(c, CURLOPT_USERNAME, username_.c_str());
      curl_easy_setopt(c, CURLOPT_PASSWORD, password_.c_str());
    }
    const CURLcode rc = curl_easy_perform(c);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, nullptr);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
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

bool IsValidEmail(std::string_view a) {
  if (a.empty() || a.size() > 254) return false;
  const size_t at = a.rfind('@');
  if (at == 0 || at == std::string_view::npos || at + 1 >= a.size() || at > 64) return false;
  for (char ch : a) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || c == '(' || c == ')' ||
        c == ',' || c == ';' || c == ':' || c == '\\' || c == '[' || c == ']') {
      return false;
    }
  }
  if (a.find('@') != at) return false;  // one '@' only
  const std::string_view domain = a.substr(at + 1);
  if (domain == "localhost") return true;
  return domain.find('.') != std::string_view::npos && domain.front() != '.' &&
         domain.back() != '.' && domain.find("..") == std::string_view::npos;
}

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

Result<store::Subscriber> RequestSubscription(store::Store& store, std::string_view email) {
  const std::string address = text::ToLowerAscii(text::Trim(email));
  if (!IsValidEmail(address)) {
    return InvalidArgument("'" + std::string(email) + "' is not an e-mail address");
  }
  return store.AddSubscriber(address, RandomHex(32));
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

Status SendPlainMessage(const MailSettings& settings, const std::string& to,
                        std::string_view subject, std::string_view body) {
  OCTOPUS_RETURN_IF_ERROR(CheckMailSettings(settings));
  if (!IsValidEmail(to)) return InvalidArgument("not an address: " + to);
  std::string message = CommonHeaders(settings, to, subject) +
                        "Content-Type: text/plain; charset=utf-8\r\n"
                        "Content-Transfer-Encoding: base64\r\n\r\n" +
                        Base64Lines(body);
  SmtpSession session(settings);
  return session.Send(settings.from, to, message);
}

Status SendConfirmation(const store::Subscriber& subscriber, const MailSettings& settings) {
  const std::string body =
      "Someone, probably you, asked to receive the Cybercrime@CoE Update at this address.\n\n"
      "To confirm, open this link:\n" +
      ConfirmUrl(settings, subscriber.token) +
      "\n\nIf you did not ask for it, ignore this message: you will not be subscribed.\n";
  return SendPlainMessage(settings, subscriber.email,
                          "Confirm your subscription to the Cybercrime@CoE Update", body);
}

std::string IssueMessage(const UpdateIssue& issue, const store::Subscriber& to,
                         const MailSettings& settings) {
  UpdateIssue personal = issue;
  personal.unsubscribe_url = UnsubscribeUrl(settings, to.token);
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
  auto subscribers = registry.store().Subscribers("confirmed");
  if (!subscribers) return subscribers.status();
  SendReport report;
  SmtpSession session(settings);
  for (const auto& s : *subscribers) {
    if (!IsValidEmail(s.email)) {
      report.failed.push_back(s.email + ": not an address");
      continue;
    }
    const Status st = session.Send(settings.from, s.email, IssueMessage(*issue, s, settings));
    if (st.ok())
      ++report.sent;
    else
      report.failed.push_back(s.email + ": " + st.message());
  }
  return report;
}

}  // namespace octopus::update
