#include "protocol/message_scan.h"

#include "protocol/dom_parser.h"

#include <nlohmann/json.hpp>
#include <vector>

namespace perfectex::protocol {
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

// The kind from what the message has: a method (with an id or not), else a result or an error.
void set_kind(MessageSummary& summary, bool has_id, bool has_result) {
  if (!summary.method.empty()) {
    summary.kind = has_id ? MessageKind::Request : MessageKind::Notification;
  } else if (has_result) {
    summary.kind = MessageKind::Response;
  }
}

std::optional<std::int64_t> integer(simdjson::dom::element e) {
  std::int64_t v = 0;
  if (e.get_int64().get(v) != simdjson::SUCCESS) return std::nullopt;
  return v;
}

// The summary of a message parsed by simdjson, with the rules of the SAX handler.
MessageSummary summarize(simdjson::dom::object root) {
  MessageSummary summary;
  bool has_id = false, has_result = false;
  std::string_view text;
  for (simdjson::dom::key_value_pair field : root) {
    const std::string_view key = field.key;
    const simdjson::dom::element value = field.value;
    if (key == "id") {
      has_id = true;
      if (auto id = integer(value)) summary.id = id;
      if (value.get_string().get(text) == simdjson::SUCCESS) summary.string_id = text;
    } else if (key == "method") {
      if (value.get_string().get(text) == simdjson::SUCCESS) summary.method = text;
    } else if (key == "result" || key == "error") {
      has_result = true;
      simdjson::dom::object error;
      if (key == "error" && value.get_object().get(error) == simdjson::SUCCESS) {
        summary.has_error = true;
        for (simdjson::dom::key_value_pair e : error) {
          if (e.key == "code") {
            if (auto code = integer(e.value)) summary.error_code = static_cast<int>(*code);
          } else if (e.key == "message" && e.value.get_string().get(text) == simdjson::SUCCESS) {
            summary.error_message = text;
          }
        }
      }
    } else if (key == "params") {
      simdjson::dom::object params;
      if (value.get_object().get(params) != simdjson::SUCCESS) continue;
      for (simdjson::dom::key_value_pair p : params) {
        simdjson::dom::array diagnostics;
        if (p.key == "uri") {
          if (p.value.get_string().get(text) == simdjson::SUCCESS) summary.uri = text;
        } else if (p.key == "version") {
          if (auto version = integer(p.value)) summary.version = version;
        } else if (p.key == "diagnostics" &&
                   p.value.get_array().get(diagnostics) == simdjson::SUCCESS) {
          summary.diagnostics += diagnostics.size();
        }
      }
    }
  }
  set_kind(summary, has_id, has_result);
  return summary;
}

}  // namespace

MessageSummary scan_message_sax(std::string_view body) {
  MessageSummary summary;
  ScanHandler handler(summary);
  const bool ok = json::sax_parse(body.begin(), body.end(), &handler);
  if (!ok || !handler.root_is_object()) return MessageSummary{};
  set_kind(summary, handler.has_id(), handler.has_result());
  return summary;
}

MessageSummary scan_message(std::string_view body) {
  return with_dom_parser(body, [&](simdjson::dom::parser& parser) {
    simdjson::dom::object root;
    if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) {
      return scan_message_sax(body);  // not an object, or not JSON (which the twin confirms)
    }
    return summarize(root);
  });
}
}  // namespace perfectex::protocol
