#include "protocol/framing.h"

#include <algorithm>
#include <cctype>

namespace perfectex::protocol {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Finds the blank line that ends a header block; returns {end of headers, start of body} or npos.
std::pair<std::size_t, std::size_t> find_header_end(std::string_view s) {
  for (std::size_t i = s.find('\n'); i != std::string_view::npos; i = s.find('\n', i + 1)) {
    std::size_t j = i + 1;
    if (j < s.size() && s[j] == '\r') ++j;
    if (j < s.size() && s[j] == '\n') return {i, j + 1};
    if (j >= s.size()) break;
  }
  return {std::string_view::npos, std::string_view::npos};
}

}  // namespace

void FrameDecoder::feed(std::string_view bytes) {
  if (discard_ > 0) {
    std::size_t n = std::min(discard_, bytes.size());
    discard_ -= n;
    bytes.remove_prefix(n);
  }
  compact();
  buffer_.append(bytes);
}

void FrameDecoder::compact() {
  if (pos_ == buffer_.size()) {
    buffer_.clear();
    pos_ = 0;
  } else if (pos_ > 0 && pos_ * 2 >= buffer_.size()) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
}

FrameEvent FrameDecoder::fail(std::size_t skip_to, std::string message) {
  pos_ = skip_to;
  return {FrameStatus::Error, {}, std::move(message)};
}

FrameEvent FrameDecoder::next() {
  std::string_view rest(buffer_.data() + pos_, buffer_.size() - pos_);
  // Blank lines between frames are tolerated.
  std::size_t lead = 0;
  while (lead < rest.size() && (rest[lead] == '\r' || rest[lead] == '\n')) ++lead;
  pos_ += lead;
  rest.remove_prefix(lead);
  if (rest.empty()) return {};

  auto [header_end, body_start] = find_header_end(rest);
  if (header_end == std::string_view::npos) {
    if (rest.size() > kMaxHeaderBytes) {
      return fail(buffer_.size(), "header block longer than " + std::to_string(kMaxHeaderBytes) +
                                      " bytes without a blank line; discarded");
    }
    return {};
  }

  long long length = -1;
  std::string_view headers = rest.substr(0, header_end);
  while (!headers.empty()) {
    std::size_t eol = headers.find('\n');
    std::string_view line = trim(headers.substr(0, eol));
    headers = eol == std::string_view::npos ? std::string_view{} : headers.substr(eol + 1);
    if (line.empty()) continue;
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return fail(pos_ + body_start,
                  "malformed header line '" + std::string(line.substr(0, 80)) + "'");
    }
    std::string_view name = trim(line.substr(0, colon));
    std::string_view value = trim(line.substr(colon + 1));
    if (!iequals(name, "Content-Length")) continue;  // Content-Type and unknown headers are ignored
    if (value.empty() || value.size() > 18 ||
        !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return fail(pos_ + body_start,
                  "invalid Content-Length '" + std::string(value.substr(0, 40)) + "'");
    }
    length = std::stoll(std::string(value));
  }
  if (length < 0) return fail(pos_ + body_start, "missing Content-Length header");

  auto size = static_cast<std::size_t>(length);
  if (size > max_body_) {
    std::size_t available = rest.size() - body_start;
    std::size_t skipped = std::min(available, size);
    discard_ = size - skipped;
    return fail(pos_ + body_start + skipped,
                "Content-Length " + std::to_string(size) + " exceeds the limit of " +
                    std::to_string(max_body_) + " bytes; message discarded");
  }
  if (rest.size() - body_start < size) return {};
  FrameEvent event{FrameStatus::Frame, rest.substr(body_start, size), {}};
  pos_ += body_start + size;
  return event;
}

void append_frame(std::string& out, std::string_view body) {
  out += "Content-Length: ";
  out += std::to_string(body.size());
  out += "\r\n\r\n";
  out += body;
}

std::string encode_frame(std::string_view body) {
  std::string out;
  out.reserve(body.size() + 32);
  append_frame(out, body);
  return out;
}

}  // namespace perfectex::protocol
