// simdjson's DOM parser for one message body, within protocol/ (the only layer that links
// simdjson): the calling thread's own, reused, for bodies up to 8 MiB (its buffers grow to the
// largest it has read); a parser of its own, freed with it, for a larger body, so that one huge
// message is not held for good. Threading: each thread has its own parser.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <string_view>

namespace perfectex::protocol {

/// use(parser) with the parser for body; returns what use returns.
template <typename Use>
auto with_dom_parser(std::string_view body, Use&& use) {
  constexpr std::size_t kReusedBytes = 8u << 20;
  thread_local simdjson::dom::parser reused;
  if (body.size() <= kReusedBytes) return use(reused);
  simdjson::dom::parser once;
  return use(once);
}

}  // namespace perfectex::protocol
