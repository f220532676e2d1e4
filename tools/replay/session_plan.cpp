#include "tools/replay/session_plan.h"

#include <array>
#include <utility>

namespace perfectex::replay {

SessionPlan plan_session(const Session& session) {
  SessionPlan plan;
  enum class Phase { Prologue, Body, Epilogue };
  // A session without `initialized` has no prologue: everything before `shutdown` is the body.
  bool has_initialized = false;
  for (const auto& e : session.entries) {
    if (e.from == Sender::Client && e.msg.is_object() &&
        e.msg.value("method", "") == "initialized") {
      has_initialized = true;
    }
  }
  Phase phase = has_initialized ? Phase::Prologue : Phase::Body;
  for (const auto& e : session.entries) {
    if (e.from != Sender::Client) continue;
    if (!e.msg.is_object()) {
      ++plan.unusable;
      continue;
    }
    auto method = e.msg.find("method");
    if (method == e.msg.end() || !method->is_string()) {
      if (e.msg.contains("result") || e.msg.contains("error")) {
        ++plan.client_replies;
      } else {
        ++plan.unusable;
      }
      continue;
    }
    const std::string& name = method->get_ref<const std::string&>();
    if (name == "shutdown" || name == "exit") phase = Phase::Epilogue;
    if (name == "textDocument/didOpen" && plan.document_uri.empty()) {
      const json& params = e.msg.contains("params") ? e.msg["params"] : e.msg;
      if (params.is_object() && params.contains("textDocument") &&
          params["textDocument"].is_object()) {
        const json& doc = params["textDocument"];
        if (doc.contains("uri") && doc["uri"].is_string()) plan.document_uri = doc["uri"];
        if (doc.contains("text") && doc["text"].is_string()) {
          plan.document_bytes = doc["text"].get_ref<const std::string&>().size();
        }
      }
    }
    PlannedMessage planned{e.t_us, e.msg};
    switch (phase) {
      case Phase::Prologue:
        plan.prologue.push_back(std::move(planned));
        if (name == "initialized") phase = Phase::Body;
        break;
      case Phase::Body:
        plan.body.push_back(std::move(planned));
        break;
      case Phase::Epilogue:
        plan.epilogue.push_back(std::move(planned));
        break;
    }
  }
  return plan;
}

std::optional<std::string_view> capability_for(std::string_view method) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kTable{{
      {"textDocument/hover", "hoverProvider"},
      {"textDocument/completion", "completionProvider"},
      {"textDocument/signatureHelp", "signatureHelpProvider"},
      {"textDocument/declaration", "declarationProvider"},
      {"textDocument/definition", "definitionProvider"},
      {"textDocument/typeDefinition", "typeDefinitionProvider"},
      {"textDocument/implementation", "implementationProvider"},
      {"textDocument/references", "referencesProvider"},
      {"textDocument/documentHighlight", "documentHighlightProvider"},
      {"textDocument/documentSymbol", "documentSymbolProvider"},
      {"textDocument/codeAction", "codeActionProvider"},
      {"textDocument/codeLens", "codeLensProvider"},
      {"textDocument/documentLink", "documentLinkProvider"},
      {"textDocument/documentColor", "colorProvider"},
      {"textDocument/formatting", "documentFormattingProvider"},
      {"textDocument/rangeFormatting", "documentRangeFormattingProvider"},
      {"textDocument/rename", "renameProvider"},
      {"textDocument/foldingRange", "foldingRangeProvider"},
      {"textDocument/selectionRange", "selectionRangeProvider"},
      {"textDocument/semanticTokens/full", "semanticTokensProvider"},
      {"textDocument/inlayHint", "inlayHintProvider"},
      {"workspace/symbol", "workspaceSymbolProvider"},
  }};
  for (const auto& [m, capability] : kTable) {
    if (m == method) return capability;
  }
  return std::nullopt;
}

bool server_supports(const json& capabilities, std::string_view method) {
  auto capability = capability_for(method);
  if (!capability) return true;
  if (!capabilities.is_object()) return false;
  auto it = capabilities.find(std::string(*capability));
  if (it == capabilities.end() || it->is_null()) return false;
  return !(it->is_boolean() && !it->get<bool>());
}

}  // namespace perfectex::replay
