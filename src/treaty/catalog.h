#pragma once
/// The treaties the program knows and their rules, read from data/treaties.json.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/treaty.h"

namespace octopus::treaty {

class Catalog {
 public:
  Catalog() = default;
  explicit Catalog(std::vector<domain::Treaty> treaties) : treaties_(std::move(treaties)) {}

  /// Parses the rules file; errors name the source and the treaty/field.
  static Result<Catalog> FromJson(std::string_view json_text, std::string_view source_name);
  static Result<Catalog> LoadFile(const std::string& path);

  /// The treaty a user reference denotes: "185", "ETS 185", "CETS 185",
  /// "ETS-185", "ETS185", an alias ("Budapest Convention", "UNCC"); nullptr if none.
  const domain::Treaty* Resolve(std::string_view ref) const;
  /// Resolve, or NotFound("unknown treaty 'X' (known: ETS 185, …)").
  Result<const domain::Treaty*> Require(std::string_view ref) const;
  const std::vector<domain::Treaty>& all() const { return treaties_; }

 private:
  std::vector<domain::Treaty> treaties_;
};

}  // namespace octopus::treaty
