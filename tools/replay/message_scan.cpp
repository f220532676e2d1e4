#include "tools/replay/message_scan.h"

#include <nlohmann/json.hpp>
#include <vector>

namespace perfectex::replay {
namespace {

using json = nlohmann::json;

// Tracks the path of the value being parsed; records the few fields the replayer reads.
class ScanHandler {
 public:
  explicit ScanHandler(MessageSummary& out) : out_(out) {}

  bool null() { return value(); }
  bool boolean(bool) { return value(); }
  bool number_integer(json::number_integer_t v) {
    integer(static_cast<std::int64_t>(v));
    return value();
  }
  bool number_unsigned(json::number_unsigned_t v) {
    if (v <= static_cast<json::number_unsigned_t>(INT64_MAX)) integer(static_cast<std::int64_t>(v));
    return value();
  }
  bool number_float(json::number_float_t, const json::string_t&) { return value(); }
  bool string(json::string_t& v) {
    if (at_root("id")) out_.string_id = v;
    if (at_root("method")) out_.method = v;
    if (at("error", "message")) out_.error_message = v;
    if (at("params", "uri")) out_.uri = v;
    return value();
  }
  bool binary(json::binary_t&) { return value(); }
  bool start_object(std::size_t) {
    if (at_root("error")) out_.has_error = true;
    value(/*object=*/true);
    levels_.push_back({true, {}});
    return true;
  }
  bool end_object() {
    levels_.pop_back();
    return true;
  }
  bool start_array(std::size_t) {
    value();
    levels_.push_back({false, {}});
    return true;
  }
  bool end_array() {
    levels_.pop_back();
    return true;
  }
  bool key(json::string_t& k) {
    levels_.back().key = k;
    if (levels_.size() == 1) {
      if (k == "id") has_id_ = true;
      if (k == "result" || k == "error") has_result_ = true;
    }
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    return false;
  }

  bool root_is_object() const { return root_object_; }
  bool has_id() const { return has_id_; }
  bool has_result() const { return has_result_; }

 private:
  struct Level {
    bool object;
    std::string key;  ///< the member being parsed, for an object
  };

  bool at_root(std::string_view k) const {
    return levels_.size() == 1 && levels_[0].object && levels_[0].key == k;
  }
  bool at(std::string_view parent, std::string_view k) const {
    return levels_.size() == 2 && levels_[0].key == parent && levels_[1].object &&
           levels_[1].key == k;
  }
  void integer(std::int64_t v) {
    if (at_root("id")) out_.id = v;
    if (at("error", "code")) out_.error_code = static_cast<int>(v);
    if (at("params", "version")) out_.version = v;
  }
  // Called at the start of every value: counts the elements of params.diagnostics.
  bool value(bool object = false) {
    if (levels_.empty()) root_object_ = object;
    if (levels_.size() == 3 && !levels_[2].object && levels_[0].key == "params" &&
        levels_[1].key == "diagnostics") {
      ++out_.diagnostics;
    }
    return true;
  }

  MessageSummary& out_;
  std::vector<Level> levels_;
  bool root_object_ = false;
  bool has_id_ = false;
  bool has_result_ = false;
};

}  // namespace

MessageSummary scan_message(std::string_view body) {
  MessageSummary summary;
  ScanHandler handler(summary);
  const bool ok = json::sax_parse(body.begin(), body.end(), &handler);
  if (!ok || !handler.root_is_object()) return MessageSummary{};
  if (!summary.method.empty()) {
    summary.kind = handler.has_id() ? MessageKind::Request : MessageKind::Notification;
  } else if (handler.has_result()) {
    summary.kind = MessageKind::Response;
  }
  return summary;
}

}  // namespace perfectex::replay
