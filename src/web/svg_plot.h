#pragma once
/// The parties-over-time plot as inline SVG, generated from the engine's
/// timeline. Pure: no I/O, same input → same bytes.

#include <optional>
#include <string>
#include <vector>

#include "domain/date.h"
#include "treaty/engine.h"

namespace octopus::web {

struct PlotOptions {
  int width = 720;
  int height = 300;
  domain::Date start;  ///< left edge (the treaty's opening)
  domain::Date end;    ///< right edge; widened to start + 1 day when not after start
  std::optional<domain::Date> marker;  ///< a dashed vertical line ("as of")
  std::string title;   ///< the SVG's accessible title (escaped here)
};

/// A step plot of two counts over time: consents deposited and States for
/// which the treaty is in force. Each count is drawn as a line for its minimum
/// and one for its maximum — one line where the data determines the count —
/// with a shaded band between them where it does not. A count holds from its
/// point's date until the next point; before the first point it is 0. Points
/// outside [start, end] are clipped. With no points the plot says so in text.
std::string PartiesPlot(const std::vector<treaty::TimelinePoint>& points, const PlotOptions& opts);

}  // namespace octopus::web
