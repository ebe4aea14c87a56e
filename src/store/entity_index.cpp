#include "store/entity_index.h"

#include <algorithm>

namespace octopus::store {

std::optional<int32_t> EntityIndexMemory::PackDay(std::string_view iso) {
  if (iso.empty()) return 0;
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
  int32_t out = 0;
  for (size_t i = 0; i < iso.size(); ++i) {
    if (i == 4 || i == 7) continue;
    if (iso[i] < '0' || iso[i] > '9') return std::nullopt;
    out = out * 10 + (iso[i] - '0');
  }
  // "0000-00-00" would read as undated.
  if (out == 0) return std::nullopt;
  return out;
}

int64_t EntityIndexMemory::Find(int64_t id) const {
  if (ids_.empty()) return -1;
  // Entries are mostly numbered without gaps: try the position the id would
  // have then, and search only when it is not there.
  const int64_t guess = id - ids_.front();
  if (guess >= 0 && guess < static_cast<int64_t>(ids_.size()) && ids_[static_cast<size_t>(guess)] == id) {
    return guess;
  }
  auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
  if (it == ids_.end() || *it != id) return -1;
  return it - ids_.begin();
}

EntityIndexMemory::Answer EntityIndexMemory::Evaluate(const std::vector<Matched>* matched,
                                                     const Ask& ask) const {
  auto facet_id = [&](const std::string& name) -> int64_t {
    for (size_t i = 0; i < facet_names_.size(); ++i) {
      if (facet_names_[i] == name) return static_cast<int64_t>(i);
    }
    return -1;
  };
  // The filters by facet: an entry passes a facet's group when it passes
  // each of its filters, a filter when one of its values is one it takes.
  struct FilterGroup {
    std::string facet;
    std::vector<std::vector<uint8_t>> takes;  // per filter, per variant
  };
  std::vector<FilterGroup> groups;
  for (const Filter& f : ask.filters) {
    auto g = std::find_if(groups.begin(), groups.end(), [&](const FilterGroup& x) { return x.facet == f.facet; });
    if (g == groups.end()) g = groups.insert(groups.end(), FilterGroup{f.facet, {}});
    std::vector<uint8_t> takes(variant_info_.size(), 0);
    const int64_t fid = facet_id(f.facet);
    for (size_t v = 0; v < variant_info_.size(); ++v) {
      const Variant& var = variant_info_[v];
      if (static_cast<int64_t>(var.facet) != fid) continue;
      takes[v] = groups_[var.group].key == f.key || var.label_key == f.key ||
                 std::find(f.named_ids.begin(), f.named_ids.end(), var.value) != f.named_ids.end();
    }
    g->takes.push_back(std::move(takes));
  }
  struct Counter {
    int64_t facet;
    int64_t skips;  // the filter group this facet's counts leave out; -1 for none
    std::vector<int> per_variant;
  };
  std::vector<Counter> counters;
  for (const std::string& name : ask.facets) {
    Counter c{facet_id(name), -1, {}};
    for (size_t g = 0; g < groups.size(); ++g) {
      if (groups[g].facet == name) c.skips = static_cast<int64_t>(g);
    }
    if (c.facet >= 0) c.per_variant.assign(variant_info_.size(), 0);
    counters.push_back(std::move(c));
  }

  Answer out;
  auto visit = [&](uint32_t e, double score) {
    if (ask.public_only && restricted_[e]) return;
    if (ask.from != 0 && (hi_[e] == kNoDay || hi_[e] < ask.from)) return;
    if (ask.to != 0 && (lo_[e] == kNoDay || lo_[e] > ask.to)) return;
    const uint32_t* vb = variants_.data() + offsets_[e];
    const uint32_t* ve = variants_.data() + offsets_[e + 1];
    int failed_count = 0;
    int64_t failed = -1;
    for (size_t g = 0; g < groups.size() && failed_count < 2; ++g) {
      bool pass = true;
      for (const std::vector<uint8_t>& takes : groups[g].takes) {
        if (std::none_of(vb, ve, [&](uint32_t v) { return takes[v] != 0; })) {
          pass = false;
          break;
        }
      }
      if (!pass) {
        ++failed_count;
        failed = static_cast<int64_t>(g);
      }
    }
    if (failed_count > 1) return;
    if (failed_count == 0) out.results.push_back({e, score});
    for (Counter& c : counters) {
      if (c.facet < 0 || (failed_count == 1 && c.skips != failed)) continue;
      for (const uint32_t* v = vb; v != ve; ++v) {
        if (variant_info_[*v].facet == c.facet) ++c.per_variant[*v];
      }
    }
  };
  if (matched) {
    for (const Matched& m : *matched) visit(m.entry, m.score);
  } else {
    for (uint32_t e = 0; e < ids_.size(); ++e) visit(e, 0.0);
  }

  for (size_t i = 0; i < counters.size(); ++i) {
    const Counter& c = counters[i];
    std::vector<FacetCount> counts;
    if (c.facet >= 0) {
      // Per value (the lower-case key): how many entries, and the least of
      // the values and of the labels written for it.
      std::map<uint32_t, FacetCount> by_group;
      for (size_t v = 0; v < variant_info_.size(); ++v) {
        if (c.per_variant[v] == 0) continue;
        const Variant& var = variant_info_[v];
        auto [it, fresh] = by_group.try_emplace(var.group, FacetCount{var.value, 0, var.label});
        it->second.count += c.per_variant[v];
        if (!fresh) {
          it->second.value = std::min(it->second.value, var.value);
          it->second.label = std::min(it->second.label, var.label);
        }
      }
      std::vector<std::pair<uint32_t, FacetCount>> sorted(by_group.begin(), by_group.end());
      std::sort(sorted.begin(), sorted.end(), [&](const auto& a, const auto& b) {
        if (a.second.count != b.second.count) return a.second.count > b.second.count;
        return groups_[a.first].key < groups_[b.first].key;
      });
      // As SQL's LIMIT: a negative limit is none.
      if (ask.facet_limit >= 0 && sorted.size() > static_cast<size_t>(ask.facet_limit)) {
        sorted.resize(static_cast<size_t>(ask.facet_limit));
      }
      for (auto& [group, count] : sorted) counts.push_back(std::move(count));
    }
    out.facets.emplace_back(ask.facets[i], std::move(counts));
  }
  return out;
}

void EntityIndexBuilder::AddEntry(const EntityIndexMemory::EntryRow& row) {
  auto sort_date = EntityIndexMemory::PackDay(row.sort_date);
  auto day = [&](const std::optional<std::string>& d) -> int32_t {
    if (!d) return EntityIndexMemory::kNoDay;
    auto packed = EntityIndexMemory::PackDay(*d);
    if (!packed || *packed == 0) {
      bad_day_ = true;
      return EntityIndexMemory::kNoDay;
    }
    return *packed;
  };
  if (!sort_date) bad_day_ = true;
  entries_.push_back({row.id, sort_date.value_or(0), day(row.date_lo), day(row.date_hi), row.restricted});
  sorted_ = false;
}

void EntityIndexBuilder::SortEntries() {
  if (sorted_) return;
  std::sort(entries_.begin(), entries_.end(), [](const Pending& a, const Pending& b) { return a.id < b.id; });
  entries_.erase(std::unique(entries_.begin(), entries_.end(),
                             [](const Pending& a, const Pending& b) { return a.id == b.id; }),
                 entries_.end());
  out_.ids_.clear();
  out_.sort_date_.clear();
  out_.lo_.clear();
  out_.hi_.clear();
  out_.restricted_.clear();
  for (const Pending& p : entries_) {
    out_.ids_.push_back(p.id);
    out_.sort_date_.push_back(p.sort_date);
    out_.lo_.push_back(p.lo);
    out_.hi_.push_back(p.hi);
    out_.restricted_.push_back(p.restricted ? 1 : 0);
  }
  sorted_ = true;
}

void EntityIndexBuilder::AddFacet(const EntityIndexMemory::FacetRow& row) {
  SortEntries();
  const int64_t entry = out_.Find(row.entry);
  if (entry < 0) return;
  // Rows come grouped by facet and value: most repeat the previous row's.
  if (last_variant_ < 0 || last_[0] != row.facet || last_[1] != row.key || last_[2] != row.value ||
      last_[3] != row.label || last_[4] != row.label_key) {
    last_ = {row.facet, row.key, row.value, row.label, row.label_key};
    auto it = variant_ids_.find(last_);
    if (it == variant_ids_.end()) {
      auto f = facet_ids_.try_emplace(row.facet, static_cast<uint32_t>(out_.facet_names_.size()));
      if (f.second) out_.facet_names_.push_back(row.facet);
      auto g = group_ids_.try_emplace({f.first->second, row.key}, static_cast<uint32_t>(out_.groups_.size()));
      if (g.second) out_.groups_.push_back({f.first->second, row.key});
      it = variant_ids_.emplace(last_, static_cast<uint32_t>(out_.variant_info_.size())).first;
      out_.variant_info_.push_back({f.first->second, g.first->second, row.value, row.label, row.label_key});
    }
    last_variant_ = it->second;
  }
  links_.emplace_back(static_cast<uint32_t>(entry), static_cast<uint32_t>(last_variant_));
}

std::optional<EntityIndexMemory> EntityIndexBuilder::Finish() {
  if (bad_day_) return std::nullopt;
  SortEntries();
  std::sort(links_.begin(), links_.end());
  links_.erase(std::unique(links_.begin(), links_.end()), links_.end());
  out_.offsets_.assign(out_.ids_.size() + 1, 0);
  for (const auto& [entry, variant] : links_) ++out_.offsets_[entry + 1];
  for (size_t i = 1; i < out_.offsets_.size(); ++i) out_.offsets_[i] += out_.offsets_[i - 1];
  out_.variants_.reserve(links_.size());
  for (const auto& [entry, variant] : links_) out_.variants_.push_back(variant);
  links_.clear();
  links_.shrink_to_fit();
  return std::move(out_);
}

}  // namespace octopus::store
