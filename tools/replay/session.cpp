#include "tools/replay/session.h"

#include <algorithm>

#include "protocol/jsonrpc.h"

namespace perfectex::replay {

std::string_view to_string(Sender sender) {
  return sender == Sender::Client ? "client" : "server";
}

json make_session_header(std::string_view source) {
  return json{{"format", kSessionFormat}, {"version", kSessionVersion}, {"source", source}};
}

namespace {

[[noreturn]] void fail(std::string_view name, std::size_t line, std::string_view what) {
  throw SessionError(std::string(name) + ":" + std::to_string(line) + ": " + std::string(what));
}

SessionEntry parse_entry(const json& line, std::string_view name, std::size_t line_no) {
  if (!line.is_object()) fail(name, line_no, "an entry must be a JSON object");
  SessionEntry entry;
  auto t = line.find("t_us");
  if (t == line.end() || !t->is_number_integer() || t->get<std::int64_t>() < 0) {
    fail(name, line_no, "\"t_us\" must be a non-negative integer");
  }
  entry.t_us = t->get<std::int64_t>();
  auto from = line.find("from");
  if (from == line.end() || !from->is_string() || (*from != "client" && *from != "server")) {
    fail(name, line_no, "\"from\" must be \"client\" or \"server\"");
  }
  entry.from = *from == "client" ? Sender::Client : Sender::Server;
  if (auto msg = line.find("msg"); msg != line.end()) {
    if (!msg->is_object()) fail(name, line_no, "\"msg\" must be a JSON-RPC message object");
    entry.msg = *msg;
  } else if (auto raw = line.find("raw"); raw != line.end() && raw->is_string()) {
    entry.raw = raw->get<std::string>();
  } else if (auto err = line.find("frame_error"); err != line.end() && err->is_string()) {
    entry.frame_error = err->get<std::string>();
  } else {
    fail(name, line_no, "an entry needs \"msg\", \"raw\" or \"frame_error\"");
  }
  return entry;
}

}  // namespace

Session parse_session(std::istream& in, std::string_view name) {
  Session session;
  std::string text;
  std::size_t line_no = 0;
  bool have_header = false;
  while (std::getline(in, text)) {
    ++line_no;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    json line = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (line.is_discarded()) fail(name, line_no, "not a JSON value");
    if (!have_header) {
      if (!line.is_object() || line.value("format", "") != kSessionFormat) {
        fail(name, line_no,
             "the first line must be a header with \"format\":\"" + std::string(kSessionFormat) +
                 "\"");
      }
      if (line.value("version", 0) != kSessionVersion) {
        fail(name, line_no,
             "unsupported session version (this tool reads version " +
                 std::to_string(kSessionVersion) + ")");
      }
      session.header = std::move(line);
      have_header = true;
      continue;
    }
    session.entries.push_back(parse_entry(line, name, line_no));
  }
  if (!have_header) fail(name, line_no, "empty session file (no header line)");
  std::stable_sort(session.entries.begin(), session.entries.end(),
                   [](const SessionEntry& a, const SessionEntry& b) { return a.t_us < b.t_us; });
  return session;
}

Session read_session(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SessionError("cannot open session file '" + path + "'");
  return parse_session(in, path);
}

std::string encode_entry(const SessionEntry& entry) {
  // Written by hand so the fields keep this order (t_us, from, then the message) on every line.
  std::string line = "{\"t_us\":" + std::to_string(entry.t_us) + ",\"from\":\"" +
                     std::string(to_string(entry.from)) + "\",";
  if (!entry.msg.is_null()) {
    line += "\"msg\":" + protocol::dump_json(entry.msg);
  } else if (!entry.frame_error.empty()) {
    line += "\"frame_error\":" + protocol::dump_json(entry.frame_error);
  } else {
    line += "\"raw\":" + protocol::dump_json(entry.raw);
  }
  return line + "}";
}

SessionWriter::SessionWriter(const std::string& path, const json& header)
    : path_(path), out_(path, std::ios::binary | std::ios::trunc) {
  if (!out_) throw SessionError("cannot write session file '" + path + "'");
  out_ << protocol::dump_json(header) << '\n';
}

void SessionWriter::write(const SessionEntry& entry) {
  out_ << encode_entry(entry) << '\n';
}

void SessionWriter::flush() {
  out_.flush();
  if (!out_) throw SessionError("write to '" + path_ + "' failed");
}

void write_session(const std::string& path, const Session& session) {
  SessionWriter writer(path, session.header);
  for (const auto& entry : session.entries) writer.write(entry);
  writer.flush();
}

}  // namespace perfectex::replay
