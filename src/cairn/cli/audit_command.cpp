#include <CLI/CLI.hpp>

#include "cairn/cli/commands.h"
#include "cairn/cli/context.h"
#include "cairn/core/clock.h"
#include "cairn/core/error.h"
#include "cairn/core/text_table.h"

namespace cairn::cli {
namespace {

struct AuditLogOptions {
  std::string subject;
  int64_t limit = 0;
};

void RunAuditLog(const AuditLogOptions& options, Context& context) {
  std::optional<std::string> subject;
  if (!options.subject.empty()) subject = options.subject;
  auto events = context.workspace().store().ListAuditEvents(subject, options.limit);
  Json json = Json::array();
  for (const auto& event : events) json.push_back(store::ToJson(event));
  context.Emit(json, [&] {
    TextTable table({"seq", "at", "actor", "action", "subject", "hash"});
    for (const auto& e : events) {
      table.AddRow({std::to_string(e.seq), FormatUtc(e.at).substr(0, 19), e.actor, e.action, e.subject,
                    e.hash.substr(0, 12)});
    }
    return table.Render();
  });
}

void RunAuditVerify(Context& context) {
  auto result = context.workspace().store().VerifyAuditChain();
  Json json{{"ok", result.ok}, {"events", result.count}};
  if (!result.ok) {
    json["first_bad_seq"] = result.first_bad_seq;
    json["reason"] = result.reason;
  }
  if (!result.ok) {
    if (context.global.json) context.Emit(json, [] { return std::string(); });
    ThrowCorrupt("audit chain broken at seq " + std::to_string(result.first_bad_seq) + ": " + result.reason);
  }
  context.Emit(json, [&] { return "audit chain intact: " + std::to_string(result.count) + " events verified\n"; });
}

}  // namespace

void AddAuditCommands(CLI::App& app, Context& context) {
  auto* audit = app.add_subcommand("audit", "The tamper-evident log of every change");
  audit->require_subcommand(1);

  auto log_options = std::make_shared<AuditLogOptions>();
  auto* log = audit->add_subcommand("log", "List audit events, oldest first");
  log->add_option("--subject", log_options->subject, "Only events about this subject (a run id, dataset name…)");
  log->add_option("--limit", log_options->limit, "Only the newest N events");
  log->callback([log_options, &context] { RunAuditLog(*log_options, context); });

  auto* verify = audit->add_subcommand("verify", "Recompute the hash chain; fail naming the first bad event");
  verify->callback([&context] { RunAuditVerify(context); });
}

}  // namespace cairn::cli
