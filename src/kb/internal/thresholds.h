#pragma once
/// Every threshold the resolution rules use, in one place. Internal to kb.

namespace octopus::kb::internal {

/// Two dated activities of a shared project (or both of none), whose spans
/// overlap and that share a place or a country, are one when their titles'
/// TitleSimilarity is at least this.
inline constexpr double kActivityTitleSimilarity = 0.6;

/// As above when one of the two names neither a place nor a country: the
/// titles must then agree more closely.
inline constexpr double kActivityTitleSimilarityWithoutPlace = 0.8;

/// As above when only one of the two names a project (a "save the date"
/// list names none): the titles must agree as closely.
inline constexpr double kActivityTitleSimilarityWithoutProject = 0.8;

/// An activity without a date (TBC, no month) is the same as another only
/// when every identifying word of the titles is the same.
inline constexpr double kUndatedActivityTitleSimilarity = 1.0;

/// A news item reports an activity of a shared project when their titles'
/// TitleSimilarity is at least this and the item's event span overlaps the
/// activity's (or, without an event span, the item is dated within
/// kNewsReportDays days after the activity's start).
inline constexpr double kNewsActivityTitleSimilarity = 0.5;
inline constexpr int kNewsReportDays = 31;

}  // namespace octopus::kb::internal
