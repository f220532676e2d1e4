// Every request gets exactly one reply, enforced by a type: a ReplyOnce is created for each
// request, moved to whoever answers it, and sends InternalError if it is destroyed unanswered.
// Threading: created, answered and destroyed on T0.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "protocol/jsonrpc.h"

namespace perfectex::server {

/// Where replies go; shared by all ReplyOnce objects of one connection.
struct Outbox {
  std::function<void(std::string_view body)> send;
  std::function<void(const std::string& method)> count_error;
  bool closed = false;
};

class ReplyOnce {
 public:
  ReplyOnce(protocol::json id, std::string method, std::shared_ptr<Outbox> outbox);
  ReplyOnce(ReplyOnce&& other) noexcept;
  ReplyOnce& operator=(ReplyOnce&&) = delete;
  ReplyOnce(const ReplyOnce&) = delete;
  ~ReplyOnce();

  void result(const protocol::json& value);
  void error(protocol::ErrorCode code, std::string_view message);
  bool answered() const { return outbox_ == nullptr; }
  const protocol::json& id() const { return id_; }
  const std::string& method() const { return method_; }

 private:
  void finish(std::string_view body, bool is_error);

  protocol::json id_;
  std::string method_;
  std::shared_ptr<Outbox> outbox_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace perfectex::server
