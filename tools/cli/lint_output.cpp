#include "tools/cli/lint_output.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

namespace leadscore::cli {
namespace {

using Json = nlohmann::ordered_json;

std::string counted(std::size_t n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

// Never throws on a message that is not valid UTF-8: such bytes become U+FFFD.
std::string dump(const Json& document) {
  return document.dump(2, ' ', false, Json::error_handler_t::replace) + '\n';
}

// The file a diagnostic is about: its own, or the model's when it names none.
const std::string& file_of(const Diagnostic& d, const LintedFile& linted) {
  return d.where.file.empty() ? linted.file : d.where.file;
}

// The message and, on a line of its own, the hint.
std::string message_with_hint(const Diagnostic& d) {
  return d.hint.empty() ? d.message : d.message + "\nhint: " + d.hint;
}

const char* sarif_level(Severity severity) {
  switch (severity) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::note:
      return "note";
  }
  return "warning";
}

const char* github_command(Severity severity) {
  switch (severity) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::note:
      return "notice";
  }
  return "warning";
}

// A code may in principle be empty; SARIF and GitHub still want a rule name.
std::string rule_id(const Diagnostic& d) {
  return d.code.empty() ? "leadscore" : d.code;
}

const DiagnosticCodeInfo* code_info(std::string_view code) {
  for (const auto& info : diagnostic_codes()) {
    if (code == info.code) return &info;
  }
  return nullptr;
}

// RFC 3986: everything but unreserved characters and `/` is percent-encoded.
std::string percent_encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      char buffer[4];
      std::snprintf(buffer, sizeof buffer, "%%%02X", c);
      out += buffer;
    }
  }
  return out;
}

std::string escape(std::string_view text, bool property) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::optional<LintFormat> parse_lint_format(std::string_view name) {
  if (name == "text") return LintFormat::text;
  if (name == "json") return LintFormat::json;
  if (name == "sarif") return LintFormat::sarif;
  if (name == "github") return LintFormat::github;
  return std::nullopt;
}

LintCounts count_diagnostics(const std::vector<LintedFile>& files) {
  LintCounts counts;
  counts.files = files.size();
  for (const auto& file : files) {
    for (const auto& d : file.diagnostics) {
      counts.errors += d.severity == Severity::error;
      counts.warnings += d.severity == Severity::warning;
    }
  }
  return counts;
}

std::string lint_summary(const LintCounts& counts) {
  return counted(counts.errors, "error") + ", " + counted(counts.warnings, "warning") + " in " +
         counted(counts.files, "file");
}

int lint_exit_code(const LintCounts& counts, bool werror, bool io_problem) {
  if (io_problem) return 2;
  if (counts.errors > 0 || (werror && counts.warnings > 0)) return 1;
  return 0;
}

std::string format_lint_text(const std::vector<LintedFile>& files) {
  std::string out;
  for (const auto& file : files) {
    for (const auto& d : file.diagnostics) {
      out += render(d);
      if (out.empty() || out.back() != '\n') out += '\n';
    }
  }
  return out;
}

std::string format_lint_json(const std::vector<LintedFile>& files) {
  Json listed = Json::array();
  for (const auto& file : files) {
    Json diagnostics = Json::array();
    for (const auto& d : file.diagnostics) {
      const bool whole_file = d.where.line == 0;
      diagnostics.push_back(Json{{"severity", to_string(d.severity)},
                                 {"code", d.code},
                                 {"message", d.message},
                                 {"line", d.where.line},
                                 {"column", whole_file ? 0 : d.where.column},
                                 {"length", whole_file ? 0 : d.where.length},
                                 {"hint", d.hint}});
    }
    listed.push_back(Json{{"file", file.file}, {"diagnostics", std::move(diagnostics)}});
  }
  const LintCounts counts = count_diagnostics(files);
  return dump(
      Json{{"version", 1},
           {"files", std::move(listed)},
           {"summary",
            {{"errors", counts.errors}, {"warnings", counts.warnings}, {"files", counts.files}}}});
}

std::string format_lint_sarif(const std::vector<LintedFile>& files,
                              const LintOutputContext& context) {
  // The rules are the codes that occur, sorted; ruleIndex points into them.
  std::map<std::string, std::size_t> rule_index;
  for (const auto& file : files) {
    for (const auto& d : file.diagnostics) rule_index.emplace(rule_id(d), 0);
  }
  Json rules = Json::array();
  for (auto& [id, index] : rule_index) {
    index = rules.size();
    const DiagnosticCodeInfo* info = code_info(id);
    rules.push_back(Json{
        {"id", id},
        {"shortDescription", {{"text", info ? info->summary : "a leadscore diagnostic"}}},
        {"help",
         {{"text", "Explained under \"Diagnostic codes\" in " + std::string(codes_doc) +
                       " of the leadscore sources."}}},
        {"defaultConfiguration", {{"level", sarif_level(info ? info->severity : Severity::error)}}},
    });
  }

  Json results = Json::array();
  for (const auto& file : files) {
    for (const auto& d : file.diagnostics) {
      Json physical{{"artifactLocation", {{"uri", artifact_uri(file_of(d, file), context.base)}}}};
      if (d.where.line > 0) {
        Json region{{"startLine", d.where.line}};
        if (d.where.column > 0) {
          region["startColumn"] = d.where.column;
          region["endColumn"] = d.where.column + d.where.length;
        }
        physical["region"] = std::move(region);
      }
      const std::string id = rule_id(d);
      results.push_back(Json{
          {"ruleId", id},
          {"ruleIndex", rule_index.at(id)},
          {"level", sarif_level(d.severity)},
          {"message", {{"text", message_with_hint(d)}}},
          {"locations", Json::array({Json{{"physicalLocation", std::move(physical)}}})},
      });
    }
  }

  Json driver{
      {"name", "leadscore"}, {"version", context.tool_version}, {"rules", std::move(rules)}};
  Json run{{"tool", {{"driver", std::move(driver)}}},
           {"columnKind", "unicodeCodePoints"},
           {"results", std::move(results)}};
  return dump(Json{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                   {"version", "2.1.0"},
                   {"runs", Json::array({std::move(run)})}});
}

std::string format_lint_github(const std::vector<LintedFile>& files,
                               const LintOutputContext& context) {
  std::string out;
  for (const auto& file : files) {
    for (const auto& d : file.diagnostics) {
      out += "::";
      out += github_command(d.severity);
      out += " file=" + github_escape_property(path_from_base(file_of(d, file), context.base));
      if (d.where.line > 0) {
        out += ",line=" + std::to_string(d.where.line);
        if (d.where.column > 0) {
          out += ",col=" + std::to_string(d.where.column) +
                 ",endColumn=" + std::to_string(d.where.column + d.where.length);
        }
      }
      out += ",title=" + github_escape_property(rule_id(d));
      out += "::" + github_escape_data(message_with_hint(d)) + '\n';
    }
  }
  return out;
}

std::string format_lint(LintFormat format, const std::vector<LintedFile>& files,
                        const LintOutputContext& context) {
  switch (format) {
    case LintFormat::text:
      return format_lint_text(files);
    case LintFormat::json:
      return format_lint_json(files);
    case LintFormat::sarif:
      return format_lint_sarif(files, context);
    case LintFormat::github:
      return format_lint_github(files, context);
  }
  return {};
}

std::string path_from_base(const std::string& file, const std::filesystem::path& base) {
  const std::filesystem::path path(file);
  if (base.empty()) return path.lexically_normal().generic_string();
  const std::filesystem::path absolute = (base / path).lexically_normal();
  const std::filesystem::path relative = absolute.lexically_relative(base.lexically_normal());
  const bool outside =
      relative.empty() || *relative.begin() == ".." || relative == std::filesystem::path(".");
  return (outside ? absolute : relative).generic_string();
}

std::string artifact_uri(const std::string& file, const std::filesystem::path& base) {
  const std::string path = path_from_base(file, base);
  if (std::filesystem::path(path).is_absolute()) {
    return "file://" + std::string(path.front() == '/' ? "" : "/") + percent_encode(path);
  }
  return percent_encode(path);
}

std::string github_escape_data(std::string_view text) {
  return escape(text, false);
}

std::string github_escape_property(std::string_view text) {
  return escape(text, true);
}

}  // namespace leadscore::cli
