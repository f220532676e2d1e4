// Metrics: cumulative histogram buckets, nearest-rank percentiles, and the HTTP answers of the
// Prometheus endpoint for good and bad request heads.
#include <doctest/doctest.h>

#include "server/metrics.h"
#include "server/metrics_endpoint.h"

using namespace perfectex::server;

TEST_CASE("histogram buckets are cumulative and percentiles are nearest-rank") {
  LatencyHistogram h;
  for (double ms : {0.05, 0.3, 0.3, 4.0, 2000.0}) h.add(ms);
  std::string text;
  h.append_prometheus(text, "x_seconds", "help");
  CHECK(text.find("x_seconds_bucket{le=\"0.0001\"} 1\n") != std::string::npos);
  CHECK(text.find("x_seconds_bucket{le=\"0.0005\"} 3\n") != std::string::npos);
  CHECK(text.find("x_seconds_bucket{le=\"0.005\"} 4\n") != std::string::npos);
  CHECK(text.find("x_seconds_bucket{le=\"1\"} 4\n") != std::string::npos);
  CHECK(text.find("x_seconds_bucket{le=\"+Inf\"} 5\n") != std::string::npos);
  CHECK(text.find("x_seconds_count 5\n") != std::string::npos);
  LatencySummary s = h.summary();
  CHECK(s.p50 == 0.3);  // rank ceil(0.5 * 5) = 3
  CHECK(s.p90 == 2000.0);
  CHECK(s.max == 2000.0);
}

TEST_CASE("the endpoint answers GET and HEAD /metrics, and refuses everything else clearly") {
  auto render = [] { return std::string("perfectex_up 1\n"); };
  std::string ok = http_response("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", render);
  CHECK(ok.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(ok.find("Content-Length: 15\r\n") != std::string::npos);
  CHECK(ok.ends_with("\r\n\r\nperfectex_up 1\n"));
  CHECK(http_response("HEAD /metrics HTTP/1.0\r\n\r\n", render).ends_with("\r\n\r\n"));
  CHECK(http_response("GET / HTTP/1.1\r\n\r\n", render).rfind("HTTP/1.1 404", 0) == 0);
  CHECK(http_response("POST /metrics HTTP/1.1\r\n\r\n", render).rfind("HTTP/1.1 405", 0) == 0);
  CHECK(http_response("garbage\r\n\r\n", render).rfind("HTTP/1.1 400", 0) == 0);
}
