#include "web/http.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include "core/testing/gunzip.h"

namespace octopus::web {
namespace {


TEST(ParseTargetTest, DecodesPathAndQuery) {
  auto t = ParseTarget("/treaties/ETS%20185?as_of=2011-06-01&q=a+b%26c&flag");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, "/treaties/ETS 185");
  ASSERT_EQ(t->query.size(), 3u);
  EXPECT_EQ(t->Param("as_of"), "2011-06-01");
  EXPECT_EQ(t->Param("q"), "a b&c");
  EXPECT_EQ(t->Param("flag"), "");
  EXPECT_EQ(t->Param("missing"), std::nullopt);
}

TEST(ParseTargetTest, PlusIsASpaceOnlyInTheQuery) {
  auto t = ParseTarget("/a+b?x=a+b");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, "/a+b");
  EXPECT_EQ(t->Param("x"), "a b");
}

TEST(ParseTargetTest, RefusesWhatIsNotText) {
  EXPECT_FALSE(ParseTarget("").ok());
  EXPECT_FALSE(ParseTarget("http://x/").ok());
  EXPECT_FALSE(ParseTarget("/%").ok());
  EXPECT_FALSE(ParseTarget("/%4").ok());
  EXPECT_FALSE(ParseTarget("/%G0").ok());
  EXPECT_FALSE(ParseTarget("/%FF").ok());
  EXPECT_FALSE(ParseTarget("/?a=%00").ok());
  EXPECT_TRUE(ParseTarget("/%C3%BC").ok());
  EXPECT_EQ(ParseTarget("/?a=1").value().path, "/");
}

TEST(ParseTargetTest, AFragmentSentAlongIsIgnored) {
  auto t = ParseTarget("/activities?from=2023-09&to=2023-09#activity-375");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, "/activities");
  EXPECT_EQ(t->Param("to"), "2023-09");
  EXPECT_EQ(ParseTarget("/news#top")->path, "/news");
}

TEST(PercentEncodeTest, RoundTripsThroughParseTarget) {
  EXPECT_EQ(PercentEncode("GLACY+"), "GLACY%2B");
  EXPECT_EQ(PercentEncode("in person"), "in%20person");
  EXPECT_EQ(PercentEncode("a-b.c_d~"), "a-b.c_d~");
  for (const char* s : {"GLACY+", "CyberCrime@IPA", "T\u00fcrkiye & <b>", "x=1&y=2#z"}) {
    auto t = ParseTarget("/projects/" + PercentEncode(s) + "?q=" + PercentEncode(s));
    ASSERT_TRUE(t.ok()) << s;
    EXPECT_EQ(t->path, std::string("/projects/") + s);
    EXPECT_EQ(t->Param("q"), s);
  }
}

TEST(HttpStatusTest, OneTableForEveryCode) {
  const std::pair<StatusCode, int> table[] = {
      {StatusCode::kOk, 200},        {StatusCode::kInvalidArgument, 400},
      {StatusCode::kParseError, 400}, {StatusCode::kNotFound, 404},
      {StatusCode::kConflict, 409},  {StatusCode::kIoError, 503},
      {StatusCode::kInternal, 500},
  };
  for (const auto& [code, http] : table) EXPECT_EQ(HttpStatusFor(code), http) << StatusCodeName(code);
  EXPECT_EQ(ReasonPhrase(404), "Not Found");
  EXPECT_EQ(ReasonPhrase(599), "Unknown");
}

TEST(SafeJsonTextTest, NoMarkupCharactersSurvive) {
  EXPECT_EQ(SafeJsonText(R"({"a":"<script>&</script>"})"),
            R"({"a":"\u003cscript\u003e\u0026\u003c/script\u003e"})");
}

TEST(ParseListenTest, HostAndPort) {
  auto l = ParseListen("127.0.0.1:8080");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->first, "127.0.0.1");
  EXPECT_EQ(l->second, 8080);
  l = ParseListen("[::1]:9000");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->first, "::1");
  EXPECT_EQ(l->second, 9000);
  for (const char* bad : {"", "8080", ":8080", "host:", "host:0", "host:65536", "host:80x", "[::1]8080"}) {
    auto r = ParseListen(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    }
  }
}

TEST(LoggedTargetTest, TokenValuesAreNotWritten) {
  EXPECT_EQ(LoggedTarget("/subscribe/confirm?token=abc123"), "/subscribe/confirm?token=-");
  EXPECT_EQ(LoggedTarget("/unsubscribe?x=1&TOKEN=abc&csrf=def#frag"),
            "/unsubscribe?x=1&TOKEN=-&csrf=-");
  EXPECT_EQ(LoggedTarget("/treaties/185?as_of=2011-06-01"), "/treaties/185?as_of=2011-06-01");
  EXPECT_EQ(LoggedTarget("/news"), "/news");
  // However the name is spelt, as the site decodes it.
  EXPECT_EQ(LoggedTarget("/subscribe/confirm?tok%65n=abc&Csrf=d&pass%77ord=e&x+y=1"),
            "/subscribe/confirm?tok%65n=-&Csrf=-&pass%77ord=-&x+y=1");
  EXPECT_EQ(LoggedTarget("/password/set?%zz=secret"), "/password/set?%zz=-");
}

TEST(CommonHeadersTest, EveryResponseGetsThemAndHtmlItsPolicy) {
  Response text;
  AddCommonHeaders(text);
  EXPECT_EQ(text.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(text.Header("Cache-Control"), "no-cache");
  EXPECT_TRUE(text.Header("Content-Security-Policy").empty());
  Response html;
  html.content_type = "text/html; charset=utf-8";
  html.headers.emplace_back("Cache-Control", "max-age=60");
  AddCommonHeaders(html);
  EXPECT_NE(html.Header("Content-Security-Policy").find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(html.Header("Cache-Control"), "max-age=60");
}

}  // namespace
}  // namespace octopus::web

namespace octopus::web {
namespace {

TEST(AcceptsGzipTest, GzipOrAnyCodingWithAPositiveQuality) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(AcceptsGzip("br;q=1.0, GZip;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("x-gzip"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_TRUE(AcceptsGzip("identity;q=1, *;q=0.1"));
  EXPECT_TRUE(AcceptsGzip(" , gzip ;q=0.001"));
}

TEST(AcceptsGzipTest, RefusedByQualityZeroAbsenceOrMalformedQuality) {
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("br, deflate"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0.000"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0, *"));  // named refusal beats the wildcard
  EXPECT_FALSE(AcceptsGzip("*;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=2"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0.5x"));
  EXPECT_FALSE(AcceptsGzip("gzipped"));
}

TEST(NoneMatchNamesTest, ListsWildcardAndWeakComparison) {
  EXPECT_TRUE(NoneMatchNames("\"abc\"", "\"abc\""));
  EXPECT_TRUE(NoneMatchNames("\"x\", \"abc\"", "\"abc\""));
  EXPECT_TRUE(NoneMatchNames("W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(NoneMatchNames("*", "\"abc\""));
  EXPECT_FALSE(NoneMatchNames("\"abd\"", "\"abc\""));
  EXPECT_FALSE(NoneMatchNames("\"abc-gzip\"", "\"abc\""));
  EXPECT_FALSE(NoneMatchNames("", "\"abc\""));
  EXPECT_FALSE(NoneMatchNames("*", ""));  // nothing to match: no representation
}

TEST(GzipTest, InflatesBackToTheSameBytes) {
  std::string body;
  for (int i = 0; i < 2000; ++i) body += "<tr><td>Party " + std::to_string(i) + "</td></tr>\n";
  auto packed = Gzip(body);
  ASSERT_TRUE(packed.has_value());
  EXPECT_LT(packed->size(), body.size() / 4);
  EXPECT_EQ(octopus::test_support::Gunzip(*packed), body);
  auto empty = Gzip("");
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(octopus::test_support::Gunzip(*empty), "");
}

TEST(WireHeadTest, StatusLineHeadersLengthAndBlankLine) {
  Response r;
  r.status = 200;
  r.content_type = "text/html; charset=utf-8";
  r.body = "<p>hi</p>";
  r.headers = {{"ETag", "\"1\""}, {"Vary", "Accept-Encoding"}};
  EXPECT_EQ(WireHead(r),
            "HTTP/1.1 200 OK\r\nServer: octopus\r\nContent-Type: text/html; charset=utf-8\r\n"
            "ETag: \"1\"\r\nVary: Accept-Encoding\r\nContent-Length: 9\r\n\r\n");
}

TEST(WireHeadTest, AHeaderThatCouldSplitTheResponseLeavesItToTheServer) {
  Response r;
  r.headers = {{"Content-Disposition", "attachment; filename=\"a\r\nSet-Cookie: x\""}};
  EXPECT_EQ(WireHead(r), "");
  r.headers = {{"X\nY", "1"}};
  EXPECT_EQ(WireHead(r), "");
  r.headers.clear();
  r.content_type = std::string("text/plain\0x", 12);
  EXPECT_EQ(WireHead(r), "");
}

TEST(BodyFileTest, HoldsTheBodyAndCannotBeChanged) {
  const std::string body(40000, 'x');
  auto file = BodyFile::Of(body);
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->size(), body.size());
  std::string back(body.size(), '\0');
  EXPECT_EQ(::pread(file->fd(), back.data(), back.size(), 0), static_cast<ssize_t>(body.size()));
  EXPECT_EQ(back, body);
  EXPECT_EQ(::pwrite(file->fd(), "y", 1, 0), -1);  // sealed
  EXPECT_EQ(::ftruncate(file->fd(), 10), -1);
}

}  // namespace
}  // namespace octopus::web
