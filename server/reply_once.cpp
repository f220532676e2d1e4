#include "server/reply_once.h"

#include <spdlog/spdlog.h>

namespace perfectex::server {

ReplyOnce::ReplyOnce(protocol::json id, std::string method, std::shared_ptr<Outbox> outbox)
    : id_(std::move(id)),
      method_(std::move(method)),
      outbox_(std::move(outbox)),
      start_(std::chrono::steady_clock::now()) {}

ReplyOnce::ReplyOnce(ReplyOnce&& other) noexcept
    : id_(std::move(other.id_)),
      method_(std::move(other.method_)),
      outbox_(std::move(other.outbox_)),
      start_(other.start_) {
  other.outbox_ = nullptr;
}

ReplyOnce::~ReplyOnce() {
  if (outbox_ != nullptr)
    error(protocol::ErrorCode::InternalError, "the server dropped this request");
}

void ReplyOnce::result(const protocol::json& value) {
  if (outbox_ == nullptr) return;
  finish(protocol::encode_result(id_, value), false);
}

void ReplyOnce::error(protocol::ErrorCode code, std::string_view message) {
  if (outbox_ == nullptr) return;
  finish(protocol::encode_error(id_, code, message), true);
}

void ReplyOnce::finish(std::string_view body, bool is_error) {
  std::shared_ptr<Outbox> outbox = std::move(outbox_);
  outbox_ = nullptr;
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
  spdlog::debug("--> reply:{}({}) {:.2f}ms{}", method_, protocol::dump_json(id_), ms,
                is_error ? " error" : "");
  if (is_error && outbox->count_error) outbox->count_error(method_);
  if (!outbox->closed) outbox->send(body);
}

}  // namespace perfectex::server
