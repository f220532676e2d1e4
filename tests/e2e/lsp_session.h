// An LSP client session over any byte stream (the child's pipes or a TCP socket): sends messages
// and waits, with a deadline, for the reply or publish a test expects.
// Threading: one thread uses a session.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "protocol/framing.h"
#include "protocol/jsonrpc.h"

namespace perfectex::testing {

using protocol::json;

class LspSession {
 public:
  using WriteFn = std::function<void(std::string_view)>;
  /// Bytes within the timeout; "" when the stream ended or the time ran out.
  using ReadFn = std::function<std::string(std::chrono::milliseconds)>;
  using DiagnoseFn = std::function<std::string()>;

  LspSession(
      WriteFn write, ReadFn read, DiagnoseFn diagnose = [] { return std::string(); })
      : write_(std::move(write)), read_(std::move(read)), diagnose_(std::move(diagnose)) {}

  void send(const json& message) { write_(protocol::encode_frame(message.dump())); }
  void send_raw(std::string_view bytes) { write_(bytes); }

  /// The next message satisfying pred; fails the test on timeout or end of stream.
  json expect(const std::function<bool(const json&)>& pred,
              std::chrono::milliseconds timeout = std::chrono::seconds(20));
  json reply(int id);
  json publish(const std::string& uri, int version,
               std::chrono::milliseconds timeout = std::chrono::seconds(20));

  std::vector<json> seen;

 private:
  WriteFn write_;
  ReadFn read_;
  DiagnoseFn diagnose_;
  protocol::FrameDecoder decoder_;
};

json request(int id, std::string method, json params);
json notification(std::string method, json params);

}  // namespace perfectex::testing
