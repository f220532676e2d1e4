#include "server/check_json.h"

#include "protocol/jsonrpc.h"
#include "validators/render.h"
#include "validators/rule.h"

namespace perfectex::server {
namespace {

using nlohmann::json;

// `"key":` after a comma unless the object is empty so far.
void key(std::string& out, std::string_view name) {
  if (out.back() != '{') out += ',';
  out += '"';
  out += name;
  out += "\":";
}

}  // namespace

LineCol line_col(const Snapshot& doc, std::uint32_t offset) {
  std::size_t line = doc.lines.line_of(offset);
  return {line + 1, offset - doc.lines.line_start(line) + 1};
}

std::string_view severity_name(validators::Severity s) {
  switch (s) {
    case validators::Severity::Error:
      return "error";
    case validators::Severity::Warning:
      return "warning";
    case validators::Severity::Information:
      return "info";
    case validators::Severity::Hint:
      return "hint";
  }
  return "error";
}

// The keys in nlohmann's order (sorted), as the twin prints them.
void append_diagnostic_json(std::string& out, const CheckSource& at,
                            const validators::Diagnostic& d, const CheckSource& related) {
  const Snapshot& doc = *at.doc;
  const LineCol begin = line_col(doc, d.range.begin), end = line_col(doc, d.range.end);
  const std::optional<validators::Fix> fix = validators::make_fix(d, doc.text, at.prelude);
  out += '{';
  key(out, "column");
  protocol::append_json_number(out, begin.column);
  key(out, "endColumn");
  protocol::append_json_number(out, end.column);
  key(out, "endLine");
  protocol::append_json_number(out, end.line);
  if (fix) {
    key(out, "fix");
    out += "{\"edits\":[";
    for (std::size_t k = 0; k < fix->edits.size(); ++k) {
      const validators::TextEdit& e = fix->edits[k];
      out += k == 0 ? "{" : ",{";
      key(out, "length");
      protocol::append_json_number(out, e.range.end - e.range.begin);
      key(out, "newText");
      protocol::append_json_string(out, e.new_text);
      key(out, "offset");
      protocol::append_json_number(out, e.range.begin);
      out += '}';
    }
    out += "],\"title\":";
    protocol::append_json_string(out, fix->title);
    out += '}';
  }
  key(out, "length");
  protocol::append_json_number(out, d.range.end - d.range.begin);
  key(out, "line");
  protocol::append_json_number(out, begin.line);
  key(out, "message");
  protocol::append_json_string(out, validators::render_message(d, doc.text, at.prelude));
  key(out, "offset");
  protocol::append_json_number(out, d.range.begin);
  if (d.has_related) {
    const LineCol r = line_col(*related.doc, d.related.begin);
    key(out, "related");
    out += '{';
    key(out, "column");
    protocol::append_json_number(out, r.column);
    key(out, "file");
    protocol::append_json_string(out, related.name);
    key(out, "line");
    protocol::append_json_number(out, r.line);
    key(out, "message");
    protocol::append_json_string(out, validators::render_related_message(d, doc.text, at.prelude));
    out += '}';
  }
  key(out, "rule");
  protocol::append_json_string(out, validators::rule_info(d.rule).name);
  key(out, "severity");
  protocol::append_json_string(out, severity_name(d.severity));
  out += '}';
}

json diagnostic_json(const CheckSource& at, const validators::Diagnostic& d,
                     const CheckSource& related) {
  const Snapshot& doc = *at.doc;
  LineCol begin = line_col(doc, d.range.begin), end = line_col(doc, d.range.end);
  json out{{"line", begin.line},
           {"column", begin.column},
           {"endLine", end.line},
           {"endColumn", end.column},
           {"offset", d.range.begin},
           {"length", d.range.end - d.range.begin},
           {"severity", severity_name(d.severity)},
           {"rule", validators::rule_info(d.rule).name},
           {"message", validators::render_message(d, doc.text, at.prelude)}};
  if (d.has_related) {
    LineCol r = line_col(*related.doc, d.related.begin);
    out["related"] = {{"file", related.name},
                      {"line", r.line},
                      {"column", r.column},
                      {"message", validators::render_related_message(d, doc.text, at.prelude)}};
  }
  if (auto fix = validators::make_fix(d, doc.text, at.prelude)) {
    json edits = json::array();
    for (const auto& e : fix->edits) {
      edits.push_back({{"offset", e.range.begin},
                       {"length", e.range.end - e.range.begin},
                       {"newText", e.new_text}});
    }
    out["fix"] = {{"title", fix->title}, {"edits", edits}};
  }
  return out;
}

}  // namespace perfectex::server
