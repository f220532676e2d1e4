// The perfectex command line: `serve` (the default) runs the LSP server over stdio; `check` lints
// files. Logs go to stderr or --log-file, never to stdout, which belongs to the protocol.
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <optional>

#include "lexer/kernel.h"
#include "server/analyzer.h"
#include "server/check_command.h"
#include "server/hedged_executor.h"
#include "server/lsp_server.h"
#include "server/metrics_endpoint.h"
#include "server/stdio_transport.h"
#include "server/tcp_server.h"
#include "server/version.h"

namespace {

using namespace perfectex::server;

void setup_logging(const std::string& file, const std::string& level) {
  std::shared_ptr<spdlog::logger> logger;
  if (file.empty()) {
    logger = spdlog::stderr_color_mt("perfectex");
  } else {
    logger = spdlog::basic_logger_mt("perfectex", file);
  }
  logger->set_pattern("[%H:%M:%S.%e] %^%l%$ %v");
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

struct TransportOptions {
  std::string tcp;  ///< HOST:PORT; empty for stdio
  bool listen_anywhere = false;
  double max_queued_mb = 64;
  std::string metrics;  ///< HOST:PORT of the Prometheus endpoint; empty for none
};

// Parses HOST:PORT (or [v6]:PORT); refuses a non-loopback host unless --listen allows it.
std::pair<std::string, unsigned short> parse_address(const std::string& option,
                                                     const std::string& value,
                                                     bool listen_anywhere) {
  std::size_t colon = value.rfind(':');
  if (colon == std::string::npos) {
    throw CLI::ValidationError(option, "expected HOST:PORT, got " + value);
  }
  std::string host = value.substr(0, colon);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  std::string digits = value.substr(colon + 1);
  if (digits.empty() || digits.size() > 5 ||
      digits.find_first_not_of("0123456789") != std::string::npos || std::stoi(digits) > 65535) {
    throw CLI::ValidationError(option,
                               "port must be a number from 0 to 65535, got '" + digits + "'");
  }
  if (!is_loopback(host) && !listen_anywhere) {
    throw CLI::ValidationError(option,
                               host + " is not a loopback address; add --listen to serve it");
  }
  return {host, static_cast<unsigned short>(std::stoi(digits))};
}

TcpOptions parse_tcp(const TransportOptions& t) {
  TcpOptions options;
  std::tie(options.host, options.port) = parse_address("--tcp", t.tcp, t.listen_anywhere);
  options.max_queued_bytes = static_cast<std::size_t>(t.max_queued_mb * (1 << 20));
  return options;
}

int serve(const ServerOptions& options, const TransportOptions& transport_options,
          const HedgedExecutor::Options& executor_options) {
  ::signal(SIGPIPE, SIG_IGN);
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  auto metrics = std::make_shared<Metrics>();
  HedgedExecutor executor(io, executor_options);
  metrics->hedges = [&executor] { return executor.counters(); };
  boost::asio::signal_set signals(io, SIGTERM, SIGINT);
  int exit_code = 1;
  std::optional<MetricsEndpoint> endpoint;
  if (!transport_options.metrics.empty()) {
    auto [host, port] =
        parse_address("--metrics", transport_options.metrics, transport_options.listen_anywhere);
    endpoint.emplace(io, host, port, [metrics] { return metrics->prometheus_text(); });
    endpoint->start();
    spdlog::info("metrics on http://{}:{}/metrics", host, endpoint->port());
  }

  if (!transport_options.tcp.empty()) {
    TcpServer tcp(io, parse_tcp(transport_options), options, executor, metrics);
    tcp.start();
    spdlog::info("perfectex {} serving LSP on tcp {}:{} (lexer kernel {})", kVersion,
                 parse_tcp(transport_options).host, tcp.port(), lexer_kernel_name());
    signals.async_wait([&](boost::system::error_code, int signal) {
      spdlog::info("signal {}: finishing replies in flight, then exiting", signal);
      tcp.shutdown([&] {
        exit_code = 0;
        io.stop();
      });
    });
    io.run();
    return exit_code;
  }

  StdioTransport transport(io);
  LspServer server(
      options, executor,
      [&](std::string_view framed) {
        if (!transport.write(framed)) spdlog::error("cannot write to the client; output closed");
      },
      [&](int code) {
        exit_code = code;
        io.stop();
      },
      metrics);
  signals.async_wait([&](boost::system::error_code, int signal) {
    // Replies are written synchronously on T0, so everything answered so far is already out.
    spdlog::info("signal {}: exiting", signal);
    exit_code = 0;
    io.stop();
  });
  transport.start([&](std::string_view bytes) { server.on_bytes(bytes); },
                  [&] { server.on_end_of_input(); });
  spdlog::info("perfectex {} serving LSP on stdio (lexer kernel {})", kVersion,
               lexer_kernel_name());
  io.run();
  spdlog::info("exiting with code {}", exit_code);
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  if (std::string refused = perfectex::lexer::kernel_env_error(); !refused.empty()) {
    std::cerr << "perfectex: " << refused << "\n";
    return 2;
  }
  CLI::App app{"perfectex: a LaTeX language server and linter"};
  app.set_version_flag("--version", std::string("perfectex ") + kVersion + " (lexer kernel " +
                                        std::string(lexer_kernel_name()) + ")");
  std::string log_file, log_level = "info";
  app.add_option("--log-file", log_file, "Write logs to this file instead of stderr");
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

  ServerOptions server_options;
  double max_message_mb = static_cast<double>(server_options.max_message_bytes) / (1 << 20);
  auto* serve_cmd = app.add_subcommand("serve", "Run the language server (the default)");
  bool stdio = true;
  serve_cmd->add_flag("--stdio", stdio, "Speak LSP over stdin/stdout (the default transport)");
  serve_cmd
      ->add_option("--p99-budget-ms", server_options.p99_budget_ms,
                   "Latency budget: warn when the rolling P99 of edit -> publish exceeds it")
      ->check(CLI::Range(0.01, 20.0));
  TransportOptions transport;
  serve_cmd->add_option("--tcp", transport.tcp,
                        "Serve LSP over TCP at HOST:PORT (loopback only, unless --listen)");
  serve_cmd->add_flag("--listen", transport.listen_anywhere,
                      "Allow --tcp to bind a non-loopback address");
  std::string hedge = "auto";
  bool pin_workers = false, lock_memory = false;
  serve_cmd->add_option("--hedge-ms", hedge,
                        "Hedge an analysis on the second worker after N ms, 'auto' (after 1.5x the "
                        "recent P95 for documents of that size) or 'off'");
  serve_cmd->add_flag("--pin-workers", pin_workers, "Pin the two analysis workers to CPUs 0 and 1");
  serve_cmd->add_flag("--mlock", lock_memory,
                      "Lock all pages in memory (mlockall) to avoid page faults");
  serve_cmd->add_option("--metrics", transport.metrics,
                        "Serve Prometheus metrics over HTTP at HOST:PORT (GET /metrics)");
  serve_cmd
      ->add_option("--max-queued-mb", transport.max_queued_mb,
                   "TCP: disconnect a client whose unread replies exceed this many MiB")
      ->check(CLI::Range(0.01, 4096.0));
  serve_cmd->add_option("--max-message-mb", max_message_mb, "Largest LSP message accepted, in MiB")
      ->check(CLI::Range(1.0, 4096.0));

  CheckOptions check_options;
  std::string format = "text";
  auto* check_cmd = app.add_subcommand("check", "Lint files and print diagnostics");
  check_cmd
      ->add_option("files", check_options.files, "LaTeX files, and .bib files (checked as BibTeX)")
      ->required()
      ->check(CLI::ExistingFile);
  check_cmd->add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));
  check_cmd->add_flag("--stats", check_options.stats,
                      "Print size, token count and timings per file");
  check_cmd->add_flag("--fix", check_options.fix,
                      "Apply the safe fixes to the files, then print what is left");
  check_cmd
      ->add_option("--workspace", check_options.workspace,
                   "Folder whose files make the projects (default: the current directory)")
      ->check(CLI::ExistingDirectory);
  app.require_subcommand(0, 1);
  serve_cmd->fallthrough();  // global options may also follow the subcommand
  check_cmd->fallthrough();

  CLI11_PARSE(app, argc, argv);

  setup_logging(log_file, *check_cmd ? (log_level == "info" ? "warn" : log_level) : log_level);
  int code = 0;
  if (*check_cmd) {
    check_options.json = format == "json";
    check_options.caret = !check_options.json && ::isatty(1);
    code = run_check(check_options);
  } else {
    server_options.max_message_bytes = static_cast<std::size_t>(max_message_mb * (1 << 20));
    try {
      std::optional<HedgePolicy> policy = HedgePolicy::parse(hedge);
      if (!policy)
        throw CLI::ValidationError("--hedge-ms",
                                   "expected a number of ms, 'auto' or 'off', got '" + hedge + "'");
      HedgedExecutor::Options executor_options{*policy, FaultInjection::from_environment(),
                                               pin_workers};
      if (executor_options.faults.active()) {
        spdlog::warn("fault injection on: {} ms stalls at {} ppm ({} the work, worker {})",
                     executor_options.faults.stall_ms, executor_options.faults.rate_ppm,
                     executor_options.faults.before_work ? "before" : "after",
                     executor_options.faults.worker < 0
                         ? std::string("any")
                         : std::to_string(executor_options.faults.worker));
      }
      if (lock_memory && ::mlockall(MCL_CURRENT | MCL_FUTURE) != 0) {
        spdlog::warn("mlockall failed: {}", std::strerror(errno));
      }
      code = serve(server_options, transport, executor_options);
    } catch (const CLI::ValidationError& e) {
      std::cerr << "perfectex: " << e.what() << "\n";
      code = 2;
    } catch (const std::invalid_argument& e) {
      std::cerr << "perfectex: " << e.what() << "\n";
      code = 2;
    } catch (const std::exception& e) {
      spdlog::critical("cannot serve: {}", e.what());
      code = 2;
    }
  }
  spdlog::shutdown();
  return code;
}
