// protocol/ tests: framing fed at every split point and with bad headers, JSON-RPC decoding and
// errors, encoding negotiation and params access.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "tests/corpus.h"

#include "protocol/framing.h"
#include "protocol/jsonrpc.h"
#include "protocol/lsp_types.h"
#include "protocol/utf8.h"

using namespace perfectex::protocol;

namespace {

struct Decoded {
  std::vector<std::string> frames;
  std::vector<std::string> errors;
};

Decoded drain(FrameDecoder& decoder, Decoded out = {}) {
  for (;;) {
    FrameEvent e = decoder.next();
    if (e.status == FrameStatus::NeedMore) return out;
    if (e.status == FrameStatus::Frame) out.frames.emplace_back(e.body);
    if (e.status == FrameStatus::Error) out.errors.push_back(e.error);
  }
}

Decoded decode_in_pieces(std::string_view stream, std::size_t piece,
                         std::size_t max_body = kDefaultMaxBody) {
  FrameDecoder decoder(max_body);
  Decoded out;
  for (std::size_t i = 0; i < stream.size(); i += piece) {
    decoder.feed(stream.substr(i, piece));
    out = drain(decoder, std::move(out));
  }
  return out;
}

}  // namespace

TEST_CASE("framing: one frame, then several in one read") {
  std::string stream = encode_frame(R"({"a":1})") + encode_frame("{}") + encode_frame("[1,2]");
  Decoded d = decode_in_pieces(stream, stream.size());
  REQUIRE(d.frames.size() == 3);
  CHECK(d.frames[0] == R"({"a":1})");
  CHECK(d.frames[1] == "{}");
  CHECK(d.frames[2] == "[1,2]");
  CHECK(d.errors.empty());
}

TEST_CASE("framing: a stream split at every byte gives the same frames") {
  std::string body = R"({"jsonrpc":"2.0","method":"x","params":{"text":"é\u00e9 \\ \r\n"}})";
  std::string stream = "Content-Length: " + std::to_string(body.size()) +
                       "\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" +
                       body + encode_frame("{}");
  for (std::size_t split = 1; split < stream.size(); ++split) {
    FrameDecoder decoder;
    decoder.feed(stream.substr(0, split));
    Decoded d = drain(decoder);
    decoder.feed(stream.substr(split));
    d = drain(decoder, std::move(d));
    REQUIRE_MESSAGE(d.frames.size() == 2, "split at " << split);
    CHECK(d.frames[0] == body);
    CHECK(d.frames[1] == "{}");
    CHECK(d.errors.empty());
  }
  CHECK(decode_in_pieces(stream, 1).frames.size() == 2);
}

TEST_CASE("framing: bare LF header lines and lower-case header names are accepted") {
  Decoded d = decode_in_pieces("content-length: 2\n\n{}", 64);
  REQUIRE(d.frames.size() == 1);
  CHECK(d.frames[0] == "{}");
}

TEST_CASE("framing: bad headers are errors and the decoder resynchronises") {
  SUBCASE("missing Content-Length") {
    Decoded d = decode_in_pieces("Content-Type: x\r\n\r\n" + encode_frame("{}"), 7);
    CHECK(d.errors.size() == 1);
    CHECK(d.errors[0].find("missing Content-Length") != std::string::npos);
    REQUIRE(d.frames.size() == 1);
    CHECK(d.frames[0] == "{}");
  }
  SUBCASE("negative Content-Length") {
    Decoded d = decode_in_pieces("Content-Length: -5\r\n\r\n" + encode_frame("{}"), 3);
    CHECK(d.errors.size() == 1);
    CHECK(d.errors[0].find("invalid Content-Length") != std::string::npos);
    CHECK(d.frames == std::vector<std::string>{"{}"});
  }
  SUBCASE("not a number") {
    Decoded d = decode_in_pieces("Content-Length: 12abc\r\n\r\n" + encode_frame("{}"), 100);
    CHECK(d.errors.size() == 1);
    CHECK(d.frames == std::vector<std::string>{"{}"});
  }
  SUBCASE("a line that is not a header") {
    Decoded d = decode_in_pieces("hello world\r\n\r\n" + encode_frame("{}"), 5);
    CHECK(d.errors.size() == 1);
    CHECK(d.errors[0].find("malformed header") != std::string::npos);
    CHECK(d.frames == std::vector<std::string>{"{}"});
  }
  SUBCASE("a header block that never ends") {
    FrameDecoder decoder;
    decoder.feed(std::string(kMaxHeaderBytes + 10, 'x'));
    Decoded d = drain(decoder);
    CHECK(d.errors.size() == 1);
    CHECK(decoder.buffered() == 0);
    decoder.feed(encode_frame("{}"));
    CHECK(drain(decoder).frames == std::vector<std::string>{"{}"});
  }
}

TEST_CASE("framing: a body over the limit is refused and skipped even when it arrives later") {
  std::string big(1000, 'x');
  std::string stream = encode_frame(big) + encode_frame("{}");
  for (std::size_t piece : {7u, 100u, 5000u}) {
    Decoded d = decode_in_pieces(stream, piece, 100);
    REQUIRE(d.errors.size() == 1);
    CHECK(d.errors[0].find("exceeds the limit") != std::string::npos);
    CHECK(d.frames == std::vector<std::string>{"{}"});
  }
}

TEST_CASE("framing: a huge declared length is refused without allocating it") {
  Decoded d = decode_in_pieces("Content-Length: 999999999999999\r\n\r\n" + encode_frame("{}"), 10);
  CHECK(d.errors.size() == 1);
}

TEST_CASE("jsonrpc: requests, notifications and responses decode") {
  auto req = decode_message(R"({"jsonrpc":"2.0","id":7,"method":"initialize","params":{"a":1}})");
  auto* r = std::get_if<Request>(&std::get<Message>(req));
  REQUIRE(r != nullptr);
  CHECK(r->id == 7);
  CHECK(r->method == "initialize");
  CHECK(r->params["a"] == 1);

  auto note = decode_message(R"({"jsonrpc":"2.0","method":"initialized"})");
  auto* n = std::get_if<Notification>(&std::get<Message>(note));
  REQUIRE(n != nullptr);
  CHECK(n->params.is_null());

  auto resp =
      decode_message(R"({"jsonrpc":"2.0","id":"x","error":{"code":-32601,"message":"no"}})");
  auto* p = std::get_if<Response>(&std::get<Message>(resp));
  REQUIRE(p != nullptr);
  REQUIRE(p->error.has_value());
  CHECK(p->error->code == -32601);
}

TEST_CASE("jsonrpc: malformed messages give the right error codes") {
  auto code_of = [](std::string_view body) {
    auto d = decode_message(body);
    REQUIRE(std::holds_alternative<DecodeError>(d));
    return std::get<DecodeError>(d).code;
  };
  CHECK(code_of("{not json") == ErrorCode::ParseError);
  CHECK(code_of("[]") == ErrorCode::InvalidRequest);
  CHECK(code_of("42") == ErrorCode::InvalidRequest);
  CHECK(code_of(R"({"id":1,"method":"x"})") == ErrorCode::InvalidRequest);
  CHECK(code_of(R"({"jsonrpc":"2.0","id":{},"method":"x"})") == ErrorCode::InvalidRequest);
  CHECK(code_of(R"({"jsonrpc":"2.0","id":1,"method":5})") == ErrorCode::InvalidRequest);
  CHECK(code_of(R"({"jsonrpc":"2.0","id":1,"method":"x","params":3})") ==
        ErrorCode::InvalidRequest);
  auto with_id = decode_message(R"({"id":9,"method":"x"})");
  CHECK(std::get<DecodeError>(with_id).id == 9);
}

TEST_CASE("jsonrpc: invalid UTF-8 inside a string is repaired, not fatal") {
  std::string body = "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"text\":\"a\xff\xfe b\"}}";
  bool repaired = false;
  auto d = decode_message(body, &repaired);
  REQUIRE(std::holds_alternative<Message>(d));
  CHECK(repaired);
  auto& n = std::get<Notification>(std::get<Message>(d));
  CHECK(n.params["text"] == "a\xEF\xBF\xBD\xEF\xBF\xBD b");
  CHECK(valid_utf8_prefix("ok \xC3\xA9 \xF0\x9F\x98\x80") == 10);
  CHECK(valid_utf8_prefix("a\xC0\xAF") == 1);      // overlong
  CHECK(valid_utf8_prefix("a\xED\xA0\x80") == 1);  // surrogate
}

// Whether a and b are the same value of the same types throughout (1 and 1u are == in nlohmann).
// One exception: nlohmann keeps `-0` as a signed integer, and simdjson cannot tell it from `0`,
// which both keep unsigned: a zero is a zero, whatever its sign bit.
bool same_types(const json& a, const json& b) {
  auto zero = [](const json& j) { return j.is_number_integer() && j == 0; };
  if (zero(a) && zero(b)) return true;
  if (a.type() != b.type() || a.size() != b.size()) return false;
  if (a.is_object()) {
    for (auto it = a.begin(); it != a.end(); ++it) {
      if (!b.contains(it.key()) || !same_types(*it, b[it.key()])) return false;
    }
  } else if (a.is_array()) {
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!same_types(a[i], b[i])) return false;
    }
  }
  return true;
}

// parse_json (simdjson, then nlohmann for what it refuses) against nlohmann alone: the same texts
// refused, the same values of the same types, spelled the same when dumped.
void same_as_nlohmann(const std::string& text) {
  json fast = parse_json(text);
  json slow = json::parse(text, nullptr, /*allow_exceptions=*/false);
  REQUIRE_MESSAGE(fast.is_discarded() == slow.is_discarded(), text.substr(0, 200));
  if (slow.is_discarded()) return;
  REQUIRE_MESSAGE(same_types(fast, slow), text.substr(0, 200));
  REQUIRE_MESSAGE(dump_json(fast) == dump_json(slow), text.substr(0, 200));
}

TEST_CASE("jsonrpc: parse_json reads what nlohmann reads, the same, and refuses what it refuses") {
  const std::vector<std::string> texts = {
      R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}})",
      R"({"id":"a","result":[1,-1,0,2.5,-0.0,1e2,true,false,null,"x"]})",
      R"({"n":[9223372036854775807,9223372036854775808,18446744073709551615,18446744073709551616,-9223372036854775808,-9223372036854775809]})",
      R"({"f":[1e308,1e400,-1e400,5e-324,1e-400,0.1,-0]})",
      R"({"f":[1e308,1e00,-1e40,5e-324,1e-300,0.1,-0,-0.0,0]})",
      R"({"s":"\u00e9\ud83d\ude00\n\t\"\\\/","lone":"\ud800"})",
      R"({"low":"\udc00"})",
      R"({"k":1,"k":2})",
      R"(  {"a" : [ ] , "b" : { } }  )",
      "{\"bad\":\"\xff\"}",
      "\xef\xbb\xbf{}",
      R"({"a":1} x)",
      R"({"a":1)",
      R"({"a":})",
      R"([1,2,])",
      R"({"a":01})",
      R"("\x")",
      "",
      " ",
      "[",
      "]",
      "nul",
      "\"ctl\x01\"",
      R"({"t":"tab	in string"})",
      // Deeper than simdjson's 1,024 levels (so nlohmann decides), shallow enough that dumping
      // it recursively fits the stack under AddressSanitizer.
      std::string(1100, '[') + std::string(1100, ']'),
  };
  for (const std::string& text : texts) same_as_nlohmann(text);

  // Documents as a client opens them: the corpus's own bytes inside a didOpen, and a document
  // past the size whose parser is kept (nine copies of perf_smoke_big, 10 MB).
  std::string nine;
  for (int k = 0; k < 9; ++k) nine += perfectex::testing::read_corpus("perf/perf_smoke_big.tex");
  for (const std::string& text :
       {perfectex::testing::read_corpus("perf/perf_unicode.tex"),
        perfectex::testing::read_corpus("perf/perf_smoke_big.tex"), nine}) {
    json open = {
        {"jsonrpc", "2.0"},
        {"method", "textDocument/didOpen"},
        {"params",
         {{"textDocument",
           {{"uri", "file:///x.tex"}, {"languageId", "latex"}, {"version", 1}, {"text", text}}}}}};
    same_as_nlohmann(dump_json(open));
  }

  // Messages with bytes replaced, inserted or taken away, from an alphabet of what JSON is made of.
  std::mt19937 rng(7);
  const std::string alphabet = "{}[]\":,\\/ \t\n0123456789-+.eEtrufalsnu\x80\xc3\xa9";
  for (int round = 0; round < 20000; ++round) {
    std::string text = texts[rng() % 8];
    for (int k = 1 + static_cast<int>(rng() % 3); k > 0 && !text.empty(); --k) {
      std::size_t at = rng() % text.size();
      char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          text[at] = c;
          break;
        case 1:
          text.insert(at, 1, c);
          break;
        default:
          text.erase(at, 1);
          break;
      }
    }
    same_as_nlohmann(text);
  }
}

TEST_CASE("jsonrpc: encoded errors carry code, message and id; dumping never throws") {
  json e = json::parse(encode_error(3, ErrorCode::InvalidParams, "params.x is missing"));
  CHECK(e["id"] == 3);
  CHECK(e["error"]["code"] == -32602);
  CHECK(e["error"]["message"] == "params.x is missing");
  CHECK(e["jsonrpc"] == "2.0");
  json bad = std::string("\xff");
  CHECK(dump_json(bad) == "\"\xEF\xBF\xBD\"");
}

TEST_CASE("lsp: position encoding negotiation") {
  CHECK(negotiate_encoding(json::object()) == PositionEncoding::Utf16);
  auto offer = [](json list) {
    return json{{"capabilities", {{"general", {{"positionEncodings", list}}}}}};
  };
  CHECK(negotiate_encoding(offer({"utf-16"})) == PositionEncoding::Utf16);
  CHECK(negotiate_encoding(offer({"utf-32", "utf-16"})) == PositionEncoding::Utf32);
  CHECK(negotiate_encoding(offer({"utf-16", "utf-8"})) == PositionEncoding::Utf8);
  CHECK(negotiate_encoding(offer("nonsense")) == PositionEncoding::Utf16);
}

TEST_CASE("lsp: params access names the missing or mistyped field") {
  json p = json::parse(R"({"textDocument":{"uri":5},"range":{"start":{"line":1,"character":2},
                           "end":{"line":-1,"character":0}},"contentChanges":[{"text":"a"},{"range":3,"text":"b"}]})");
  auto message = [&](auto fn) {
    try {
      fn();
    } catch (const InvalidParamsError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message([&] { require_string(p, "textDocument.uri"); }) ==
        "params.textDocument.uri must be a string");
  CHECK(message([&] { require_string(p, "textDocument.version"); }) ==
        "params.textDocument.version is missing");
  CHECK(message([&] { require_range(p, "range"); }) ==
        "params.range.end.line must be a non-negative 32-bit integer");
  CHECK(message([&] { require_changes(p); }).find("contentChanges.1.range") != std::string::npos);
  CHECK(require_position(p, "range.start") == Position{1, 2});
}
