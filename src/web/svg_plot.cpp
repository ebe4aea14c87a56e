#include "web/svg_plot.h"

#include "web/templates.h"

#include <algorithm>
#include <functional>

#include <fmt/format.h>

namespace octopus::web {

namespace {

using treaty::TimelinePoint;

constexpr double kLeft = 44, kRight = 14, kTop = 34, kBottom = 28;

struct Series {
  const char* name;
  const char* css;
  const char* color;
  std::function<treaty::Range(const TimelinePoint&)> get;
};


/// The smallest of 1, 2, 5, 10, 20, 50, … with at most `max_ticks` steps in `span`.
int NiceStep(int span, int max_ticks) {
  for (int scale = 1;; scale *= 10) {
    for (int m : {1, 2, 5}) {
      if (span <= m * scale * max_ticks) return m * scale;
    }
  }
}

class Canvas {
 public:
  Canvas(const PlotOptions& o, int y_top)
      : o_(o), start_(o.start.days()), span_(std::max<int64_t>(1, o.end.days() - start_)),
        y_top_(y_top) {}

  double X(domain::Date d) const {
    const double t = static_cast<double>(d.days() - start_) / static_cast<double>(span_);
    return kLeft + std::clamp(t, 0.0, 1.0) * (o_.width - kLeft - kRight);
  }
  double Y(int v) const {
    return kTop + (o_.height - kTop - kBottom) * (1.0 - static_cast<double>(v) / y_top_);
  }

 private:
  const PlotOptions& o_;
  int64_t start_;
  int64_t span_;
  int y_top_;
};

using Vertices = std::vector<std::pair<double, double>>;

/// The step outline of one bound of a count from start to end.
Vertices Steps(const std::vector<TimelinePoint>& points, const PlotOptions& o, const Canvas& c,
               const std::function<int(const TimelinePoint&)>& value) {
  int v = 0;
  for (const auto& p : points) {
    if (p.date <= o.start) v = value(p);
  }
  Vertices out{{c.X(o.start), c.Y(v)}};
  for (const auto& p : points) {
    if (p.date <= o.start || p.date > o.end) continue;
    const int next = value(p);
    if (next == v) continue;
    out.emplace_back(c.X(p.date), c.Y(v));
    v = next;
    out.emplace_back(c.X(p.date), c.Y(v));
  }
  out.emplace_back(c.X(o.end), c.Y(v));
  return out;
}

std::string PathData(const Vertices& v, bool close) {
  std::string d;
  for (size_t i = 0; i < v.size(); ++i) {
    d += fmt::format("{}{:.1f},{:.1f}", i == 0 ? "M" : " L", v[i].first, v[i].second);
  }
  if (close) d += " Z";
  return d;
}

}  // namespace

std::string PartiesPlot(const std::vector<TimelinePoint>& points, const PlotOptions& in) {
  PlotOptions o = in;
  if (o.end <= o.start) o.end = o.start.AddDays(1);
  const std::vector<Series> series = {
      {"Consents deposited", "plot-consents", "#1f5fa8",
       [](const TimelinePoint& p) { return p.consents; }},
      {"In force", "plot-in-force", "#c2571a", [](const TimelinePoint& p) { return p.in_force; }},
  };

  int y_max = 1;
  for (const auto& p : points) {
    if (p.date > o.end) continue;
    y_max = std::max({y_max, p.consents.max, p.in_force.max});
  }
  const int y_step = NiceStep(y_max, 5);
  const int y_top = (y_max + y_step - 1) / y_step * y_step;
  const Canvas c(o, y_top);

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" viewBox=\"0 0 {0} {1}\" "
      "width=\"{0}\" height=\"{1}\" role=\"img\" aria-labelledby=\"plot-title plot-desc\">\n",
      o.width, o.height);
  svg += "<title id=\"plot-title\">" + EscapeHtml(o.title) + "</title>\n";

  // The text alternative: where each count stands at the right edge.
  std::string desc = fmt::format("From {} to {}", o.start.ToIso(), o.end.ToIso());
  treaty::Range last_consents, last_in_force;
  for (const auto& p : points) {
    if (p.date <= o.end) {
      last_consents = p.consents;
      last_in_force = p.in_force;
    }
  }
  desc += points.empty() ? ": no consent on record."
                         : fmt::format(": consents deposited {}, in force for {} at the end.",
                                       last_consents.ToString(), last_in_force.ToString());
  svg += "<desc id=\"plot-desc\">" + EscapeHtml(desc) + "</desc>\n";

  // Grid and axes.
  const double x0 = kLeft, x1 = o.width - kRight, y_bottom = o.height - kBottom;
  svg += "<g class=\"plot-axes\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#444\">\n";
  for (int v = 0; v <= y_top; v += y_step) {
    svg += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#ddd\"/>"
        "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n",
        x0, c.Y(v), x1, c.Y(v), x0 - 6, c.Y(v) + 4, v);
  }
  const int first_year = o.start == o.start.FirstOfMonth() && o.start.month() == 1
                             ? o.start.year()
                             : o.start.year() + 1;
  const int year_step = NiceStep(std::max(1, o.end.year() - first_year), 8);
  for (int y = first_year; y <= o.end.year(); ++y) {
    if ((y - first_year) % year_step != 0) continue;
    const double x = c.X(*domain::Date::Make(y, 1, 1));
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#444\"/>"
        "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4}</text>\n",
        x, y_bottom, y_bottom + 4, y_bottom + 16, y);
  }
  svg += fmt::format(
      "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#444\"/>\n", x0,
      y_bottom, x1, y_bottom);
  svg += "</g>\n";

  if (points.empty()) {
    svg += fmt::format(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-family=\"sans-serif\" "
        "font-size=\"13\" fill=\"#444\">No consent on record</text>\n",
        (x0 + x1) / 2, (kTop + y_bottom) / 2);
  }

  bool any_band = false;
  for (const auto& s : series) {
    const Vertices lo = Steps(points, o, c, [&](const TimelinePoint& p) { return s.get(p).min; });
    const Vertices hi = Steps(points, o, c, [&](const TimelinePoint& p) { return s.get(p).max; });
    svg += fmt::format("<g class=\"{}\">\n", s.css);
    if (lo != hi) {
      any_band = true;
      Vertices band = hi;
      band.insert(band.end(), lo.rbegin(), lo.rend());
      svg += fmt::format(
          "<path class=\"plot-band\" d=\"{}\" fill=\"{}\" fill-opacity=\"0.2\" stroke=\"none\"/>\n",
          PathData(band, true), s.color);
      svg += fmt::format(
          "<path class=\"plot-line\" d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n",
          PathData(lo, false), s.color);
    }
    svg += fmt::format(
        "<path class=\"plot-line\" d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n",
        PathData(hi, false), s.color);
    svg += "</g>\n";
  }

  if (o.marker && *o.marker >= o.start && *o.marker <= o.end) {
    const double x = c.X(*o.marker);
    const bool right_half = x > (x0 + x1) / 2;
    svg += fmt::format(
        "<g class=\"plot-marker\"><line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" "
        "stroke=\"#222\" stroke-dasharray=\"4 3\"/><text x=\"{3:.1f}\" y=\"{4:.1f}\" "
        "text-anchor=\"{5}\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#222\">{6}</text>"
        "</g>\n",
        x, kTop - 4, y_bottom, right_half ? x - 4 : x + 4, kTop + 8, right_half ? "end" : "start",
        EscapeHtml(o.marker->ToIso()));
  }

  // Legend, above the plot area.
  double lx = x0;
  for (const auto& s : series) {
    svg += fmt::format(
        "<g class=\"plot-legend\"><rect x=\"{:.1f}\" y=\"8\" width=\"14\" height=\"10\" "
        "fill=\"{}\"/><text x=\"{:.1f}\" y=\"17\" font-family=\"sans-serif\" font-size=\"12\" "
        "fill=\"#222\">{}</text></g>\n",
        lx, s.color, lx + 18, EscapeHtml(s.name));
    lx += 170;
  }
  if (any_band) {
    svg += fmt::format(
        "<text x=\"{:.1f}\" y=\"17\" font-family=\"sans-serif\" font-size=\"11\" "
        "fill=\"#444\">shaded: the sources leave the count open</text>\n",
        lx);
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace octopus::web
