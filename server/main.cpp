// The perfectex command line: `serve` (the default) runs the LSP server over stdio; `check` lints
// files. Logs go to stderr or --log-file, never to stdout, which belongs to the protocol.
#include <signal.h>
#include <unistd.h>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <iostream>

#include "server/analyzer.h"
#include "server/check_command.h"
#include "server/executor.h"
#include "server/lsp_server.h"
#include "server/stdio_transport.h"
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

int serve(const ServerOptions& options) {
  ::signal(SIGPIPE, SIG_IGN);
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  WorkerExecutor executor(
      [&io](std::function<void()> fn) { boost::asio::post(io, std::move(fn)); });
  StdioTransport transport(io);
  int exit_code = 1;
  LspServer server(
      options, executor,
      [&](std::string_view framed) {
        if (!transport.write(framed)) spdlog::error("cannot write to the client; output closed");
      },
      [&](int code) {
        exit_code = code;
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
  serve_cmd->add_option("--max-message-mb", max_message_mb, "Largest LSP message accepted, in MiB")
      ->check(CLI::Range(1.0, 4096.0));

  CheckOptions check_options;
  std::string format = "text";
  auto* check_cmd = app.add_subcommand("check", "Lint files and print diagnostics");
  check_cmd->add_option("files", check_options.files, "LaTeX files")
      ->required()
      ->check(CLI::ExistingFile);
  check_cmd->add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));
  check_cmd->add_flag("--stats", check_options.stats,
                      "Print size, token count and timings per file");
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
    code = serve(server_options);
  }
  spdlog::shutdown();
  return code;
}
