// What `perfectex check --format json` prints for one diagnostic, written straight into the
// output: for a large document the check prints thousands, and building an nlohmann value for each
// cost as much as the analysis. diagnostic_json builds the same object as an nlohmann value (its
// keys in nlohmann's sorted order), the obviously correct twin the tests compare the text with.
// Threading: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "server/document_store.h"
#include "validators/diagnostic.h"

namespace perfectex::server {

/// A file as the check reads it: its path as printed, its text with its lines, and the text of
/// the definitions it was analysed with.
struct CheckSource {
  std::string name;
  const Snapshot* doc = nullptr;
  std::string_view prelude;
};

struct LineCol {
  std::size_t line;    ///< 1-based
  std::size_t column;  ///< 1-based, in bytes
};
LineCol line_col(const Snapshot& doc, std::uint32_t offset);

std::string_view severity_name(validators::Severity s);

/// Appends d as a JSON object; related is the file of its related location.
void append_diagnostic_json(std::string& out, const CheckSource& at,
                            const validators::Diagnostic& d, const CheckSource& related);
nlohmann::json diagnostic_json(const CheckSource& at, const validators::Diagnostic& d,
                               const CheckSource& related);

}  // namespace perfectex::server
