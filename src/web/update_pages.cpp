// The quarterly update on the site (/updates, /updates/{issue}, its JSON in
// the API) and the subscription pages.
#include "web/internal/update_handlers.h"

#include <algorithm>
#include <set>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "domain/record.h"
#include "update/mailing.h"
#include "update/update.h"

namespace octopus::web::internal {

namespace {

using nlohmann::json;

/// The quarters a reduced ISO date ("2023", "2023-07", "2023-07-14") may fall in.
void AddQuartersOf(std::string_view text, std::set<std::pair<int, int>>& out) {
  auto d = domain::ReducedDate::Parse(text);
  if (!d) return;
  const update::Quarter last = update::Quarter::Of(d->last);
  for (update::Quarter q = update::Quarter::Of(d->first);; q = q.Next()) {
    out.emplace(q.year, q.number);
    if (q == last) break;
  }
}

/// Quarters that have something to tell: the periods of the documents and
/// the dates of the activities, newest first.
Result<std::vector<update::Quarter>> QuartersWithContent(store::Store& store,
                                                         const kb::KnowledgeBase& knowledge) {
  std::set<std::pair<int, int>> found;
  auto docs = store.Documents();
  if (!docs) return docs.status();
  for (const auto& doc : *docs) {
    if (doc.period_start) AddQuartersOf(*doc.period_start, found);
    if (doc.period_end) AddQuartersOf(*doc.period_end, found);
  }
  // An activity places the quarter it starts in (or, undated at the start, ends in).
  for (const kb::Entity* a : knowledge.OfKind(kb::Kind::kActivity)) {
    std::string when = a->value("start");
    if (when.empty()) when = a->value("end");
    if (auto d = domain::ReducedDate::Parse(when)) {
      const update::Quarter q = update::Quarter::Of(d->first);
      found.emplace(q.year, q.number);
    }
  }
  std::vector<update::Quarter> quarters;
  for (auto it = found.rbegin(); it != found.rend(); ++it) {
    quarters.push_back(update::Quarter{it->first, it->second});
  }
  return quarters;
}

/// The issue parameter, with the parameter named in the message.
Result<update::IssueRequest> ParseIssue(const std::string& segment, std::string_view name) {
  auto request = update::ParseIssuePath(segment);
  if (!request) {
    return InvalidArgument(fmt::format("parameter '{}': {}", name, request.status().message()));
  }
  return request;
}

/// What lies between <body …> and </body> of a complete HTML document.
std::string_view BodyOf(std::string_view html) {
  const size_t open = html.find("<body");
  const size_t start = open == std::string_view::npos ? 0 : html.find('>', open);
  const size_t end = html.rfind("</body>");
  if (start == std::string_view::npos || end == std::string_view::npos || end < start) return html;
  return html.substr(start + 1, end - start - 1);
}

/// The token of /subscribe/confirm and /unsubscribe; InvalidArgument naming it.
Result<std::string> TokenOf(const Context& c) {
  auto token = c.target.Param("token");
  if (!token || token->empty()) return InvalidArgument("parameter 'token' is required");
  return *token;
}

}  // namespace

Result<Response> UpdatesPage(Context& c) {
  auto knowledge = c.PublicKnowledge();
  if (!knowledge) return knowledge.status();
  auto quarters = QuartersWithContent(c.registry.store(), **knowledge);
  if (!quarters) return quarters.status();
  json items = json::array();
  for (const auto& q : *quarters) {
    items.push_back({{"issue", q.ToString()}, {"label", q.Label()}});
  }
  return c.Page("updates", {{"title", "Cybercrime@CoE Update"},
                            {"issues", std::move(items)},
                            {"has_issues", !quarters->empty()}});
}

Result<Response> UpdateIssuePage(Context& c) {
  auto request = ParseIssue(c.path.at("issue"), "issue");
  if (!request) return request.status();
  const std::string& segment = c.path.at("issue");
  const bool in_site = segment.find('.') == std::string::npos;
  if (request->format == update::Format::kPdf && !update::PdfRendererAvailable()) {
    return Status(StatusCode::kIoError,
                  "PDF is not available on this server: the weasyprint program is not "
                  "installed. The issue is served as " + request->quarter.ToString() +
                      ".html, .md, .txt and .json.");
  }
  auto knowledge = c.PublicKnowledge();
  if (!knowledge) return knowledge.status();
  if (request->format == update::Format::kPdf) {
    // Rendering is the costly part: a quarter with nothing to tell is not rendered.
    auto quarters = QuartersWithContent(c.registry.store(), **knowledge);
    if (!quarters) return quarters.status();
    const auto& q = request->quarter;
    if (std::none_of(quarters->begin(), quarters->end(), [&](const update::Quarter& x) {
          return x.year == q.year && x.number == q.number;
        })) {
      return NotFound("nothing is recorded for " + q.ToString() + "; its empty issue is at /updates/" +
                      q.ToString() + ".html");
    }
  }
  if (!in_site) {
    update::ComposeOptions options;
    options.pdf_cache = c.pdf_cache;
    auto bytes =
        update::ComposeUpdate(c.registry, **knowledge, request->quarter, request->format, options);
    if (!bytes) return bytes.status();
    Response r;
    r.content_type = std::string(update::ContentType(request->format));
    r.body = std::move(*bytes);
    return r;
  }
  auto issue = update::BuildIssue(c.registry, **knowledge, request->quarter);
  if (!issue) return issue.status();
  const std::string html = update::RenderHtml(*issue, update::HtmlLayout::kPage);
  const std::string name = request->quarter.ToString();
  return c.Page("update_issue", {{"title", issue->title + ", " + issue->period},
                                 {"issue", name},
                                 {"period", issue->period},
                                 {"issue_html", std::string(BodyOf(html))}});
}

Result<Response> ApiUpdate(Context& c) {
  auto request = ParseIssue(c.path.at("quarter"), "quarter");
  if (!request) return request.status();
  if (request->format != update::Format::kHtml) {
    return InvalidArgument("parameter 'quarter': give the quarter alone, such as 2023Q3");
  }
  auto knowledge = c.PublicKnowledge();
  if (!knowledge) return knowledge.status();
  auto issue = update::BuildIssue(c.registry, **knowledge, request->quarter);
  if (!issue) return issue.status();
  return JsonResponse(update::ToJson(*issue));
}

namespace {

/// A form posted from another site is refused: when the browser says where
/// the form came from (Origin), it must be this site (the Host asked for).
Status CheckSameOrigin(const Context& c) {
  const auto origin = c.request.headers.find("origin");
  if (origin == c.request.headers.end()) return Status::Ok();
  const auto host = c.request.headers.find("host");
  std::string_view o = origin->second;
  for (std::string_view scheme : {"https://", "http://"}) {
    if (o.starts_with(scheme)) o.remove_prefix(scheme.size());
  }
  if (host != c.request.headers.end() && o == host->second) return Status::Ok();
  return InvalidArgument("this form can only be sent from this site's own page");
}

}  // namespace

Result<Response> SubscribePage(Context& c) {
  // Every form shown carries a fresh token; a POST must bring one back.
  const FormTokens& tokens = c.subscribe_limits.form_tokens;
  json model = {{"title", "Subscribe to the Cybercrime@CoE Update"},
                {"mail_configured", c.mail.has_value()},
                {"csrf", tokens.Issue("subscribe", c.peer)}};
  if (c.method != "POST") return c.Page("subscribe", model);

  if (Status st = CheckSameOrigin(c); !st.ok()) {
    model["error"] = st.message();
    return WithStatus(c.Page("subscribe", std::move(model)), 403);
  }
  auto form = ParseForm(c.body);
  if (!form) return form.status();
  if (!tokens.Check(form->Param("csrf").value_or(""), "subscribe", c.peer)) {
    model["email"] = form->Param("email").value_or("");
    model["error"] =
        "This form has expired or was not sent from this site's page; please send it again.";
    return WithStatus(c.Page("subscribe", std::move(model)), 403);
  }
  if (!c.subscribe_limits.per_client.Allow(c.request.peer)) {
    model["error"] = "Too many subscription requests from your address; try again later.";
    auto page = WithStatus(c.Page("subscribe", std::move(model)), 429);
    if (page) page->headers.emplace_back("Retry-After", "600");
    return page;
  }
  const std::string email = form->Param("email").value_or("");
  model["email"] = email;
  const auto address = update::NormaliseEmail(text::Trim(email));
  if (!address) {
    model["error"] = "'" + email + "' is not an e-mail address we can write to.";
    return WithStatus(c.Page("subscribe", std::move(model)), 400);
  }
  // Whatever the address's state (new, pending, confirmed, asked too often),
  // the page is the same and nothing is mailed during the request: the
  // confirmation goes to the outbox, so neither the answer nor its time tells
  // anyone whether an address is subscribed.
  model["requested"] = true;
  if (!c.subscribe_limits.per_address.Allow(*address)) return c.Page("subscribe", std::move(model));
  auto subscriber = update::RequestSubscription(c.registry.store(), *address);
  if (!subscriber) {
    if (subscriber.status().code() != StatusCode::kInvalidArgument) return subscriber.status();
    model["error"] = subscriber.status().message();
    model.erase("requested");
    return WithStatus(c.Page("subscribe", std::move(model)), 400);
  }
  if (c.mail && subscriber->status == "pending") {
    auto queued = update::QueueConfirmation(c.registry.store(), *subscriber, *c.mail);
    if (!queued) return queued.status();
    if (*queued && c.mail_queued) c.mail_queued();
  }
  return c.Page("subscribe", std::move(model));
}

Result<Response> SubscribeConfirmPage(Context& c) {
  auto token = TokenOf(c);
  if (!token) return token.status();
  // A link opened (or fetched by a scanner) only shows the button; the
  // button's POST confirms.
  if (c.method != "POST") {
    return c.Page("confirm", {{"title", "Confirm your subscription"},
                              {"token", PercentEncode(*token)}});
  }
  if (Status st = CheckSameOrigin(c); !st.ok()) return st;
  auto subscriber = update::ConfirmSubscription(c.registry.store(), *token);
  if (!subscriber) {
    if (subscriber.status().code() == StatusCode::kNotFound) {
      return NotFound("this confirmation link is unknown, used or expired; subscribe again");
    }
    return subscriber.status();
  }
  return c.Page("subscription", {{"title", "Subscription confirmed"},
                                 {"heading", "Subscription confirmed"},
                                 {"message", "You will receive the Cybercrime@CoE Update at " +
                                                 subscriber->email + "."}});
}

Result<Response> UnsubscribePage(Context& c) {
  auto token = TokenOf(c);
  if (!token) return token.status();
  if (c.method != "POST") {
    return c.Page("unsubscribe", {{"title", "Unsubscribe"}, {"token", PercentEncode(*token)}});
  }
  // RFC 8058: a mail client posts "List-Unsubscribe=One-Click"; the page's
  // own button posts the same. Either unsubscribes at once.
  auto subscriber = update::Unsubscribe(c.registry.store(), *token);
  if (!subscriber) {
    if (subscriber.status().code() == StatusCode::kNotFound) {
      return NotFound("this unsubscribe link is unknown or no longer valid");
    }
    return subscriber.status();
  }
  return c.Page("subscription",
                {{"title", "Unsubscribed"},
                 {"heading", "Unsubscribed"},
                 {"message", subscriber->email + " will receive no further issues."}});
}

}  // namespace octopus::web::internal
