// LSP base-protocol framing: a pure incremental Content-Length decoder and the matching encoder.
// The decoder is a state machine with no I/O (NeedMore | Frame | Error); it accepts a body split at
// any byte, several frames in one feed, CRLF or bare LF header lines and a Content-Type header.
// Threading: a FrameDecoder belongs to one byte stream on one thread; the free functions are pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace perfectex::protocol {

/// Default largest body accepted: room for a 64 MB document in a didOpen with JSON escaping.
inline constexpr std::size_t kDefaultMaxBody = 160u << 20;
/// Longest header block accepted before the stream is declared malformed.
inline constexpr std::size_t kMaxHeaderBytes = 8192;

enum class FrameStatus { NeedMore, Frame, Error };

struct FrameEvent {
  FrameStatus status = FrameStatus::NeedMore;
  /// The body of a Frame; valid until the next call to feed() or next().
  std::string_view body;
  /// What was wrong, for an Error; the decoder has already skipped past the bad bytes.
  std::string error;
};

class FrameDecoder {
 public:
  explicit FrameDecoder(std::size_t max_body = kDefaultMaxBody) : max_body_(max_body) {}

  /// Appends bytes read from the stream.
  void feed(std::string_view bytes);
  /// Returns the next complete frame, an error (after resynchronising), or NeedMore.
  FrameEvent next();
  /// Bytes held but not yet returned as frames.
  std::size_t buffered() const { return buffer_.size() - pos_; }

 private:
  void compact();
  FrameEvent fail(std::size_t skip_to, std::string message);

  std::size_t max_body_;
  std::string buffer_;
  std::size_t pos_ = 0;
  /// Body bytes of an oversized frame still to be discarded as they arrive.
  std::size_t discard_ = 0;
};

/// Appends "Content-Length: N\r\n\r\n" and the body to out.
void append_frame(std::string& out, std::string_view body);
/// Returns a framed copy of body.
std::string encode_frame(std::string_view body);

}  // namespace perfectex::protocol
