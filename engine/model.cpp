// The public API: compiling a model (the front-end pipeline) and evaluating leads with it.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "dsl/checker.hpp"
#include "dsl/compiler.hpp"
#include "dsl/formatter.hpp"
#include "dsl/lint.hpp"
#include "dsl/parser.hpp"
#include "dsl/tokens.hpp"
#include "engine/evaluator.hpp"
#include "engine/files.hpp"
#include "engine/model_impl.hpp"
#include "engine/text.hpp"

namespace leadscore {
namespace {

// List files (spec 3.3): one entry per line, `#` comments, blank lines skipped. A file is read
// only when it resolves (symlinks and `..` resolved) inside the model's folder or a folder the
// caller allowed, only when it is a regular file, once per model however many lists name it,
// and within the limits on one file and on all lists together.
class ListLoader {
 public:
  ListLoader(const std::filesystem::path& base_dir, const CompileOptions& options,
             dsl::DiagnosticSink& sink)
      : base_dir_(base_dir.empty() ? std::filesystem::path(".") : base_dir),
        limits_(options.limits),
        sink_(sink) {
    std::error_code ec;
    roots_.push_back(std::filesystem::weakly_canonical(std::filesystem::absolute(base_dir_), ec));
    for (const auto& root : options.file_roots) {
      roots_.push_back(std::filesystem::weakly_canonical(std::filesystem::absolute(root), ec));
    }
  }

  void load(dsl::Model& model) {
    for (auto& list : model.lists) {
      if (!list.file) {
        // Literal lists were held to the per-list limit by the parser; they count in the total.
        if (!count_entries(list, list.entries.size())) return;
        continue;
      }
      const Lines* lines = lines_of(list);
      if (!lines) continue;
      if (!count_entries(list, lines->size())) return;
      for (const Line& line : *lines) {
        dsl::ListEntry e;
        e.text = line.text;
        e.span = list.file_span;
        e.file_line = line.number;
        list.entries.push_back(e);
        // A line that is a number also matches numeric values (zip codes, ids).
        if (line.is_number) {
          e.is_number = true;
          e.number = line.number_value;
          list.entries.push_back(std::move(e));
        }
      }
    }
  }

 private:
  struct Line {
    std::string text;
    std::uint32_t number = 0;  // the line of the file
    bool is_number = false;
    double number_value = 0;
  };
  using Lines = std::vector<Line>;

  bool inside_a_root(const std::filesystem::path& real) const {
    for (const auto& root : roots_) {
      const auto rel = real.lexically_relative(root);
      if (!rel.empty() && *rel.begin() != "..") return true;
    }
    return false;
  }

  // The total of entries over all lists of the model (limits.max_list_total_entries).
  bool count_entries(const dsl::ListDecl& list, std::size_t n) {
    total_entries_ += n;
    if (total_entries_ <= limits_.max_list_total_entries) return true;
    sink_.report(dsl::Code::too_many_list_entries, list.file ? list.file_span : list.name_span,
                 "the lists of this model have more than " +
                     std::to_string(limits_.max_list_total_entries) +
                     " entries together (counting a file once for every list that names it)",
                 "merge the lists that repeat the same file, or split the model");
    return false;
  }

  const Lines* lines_of(const dsl::ListDecl& list) {
    const std::filesystem::path written = base_dir_ / *list.file;
    std::error_code ec;
    const std::filesystem::path real = std::filesystem::canonical(written, ec);
    if (ec) {
      sink_.report(dsl::Code::unreadable_file, list.file_span,
                   "cannot read list file " + written.string(),
                   "the path is relative to the model file");
      return nullptr;
    }
    if (!inside_a_root(real)) {
      sink_.report(dsl::Code::file_outside_roots, list.file_span,
                   "list file " + *list.file +
                       " is outside the model's folder (and every folder allowed for files)",
                   "keep list files beside the model, or allow their folder with "
                   "`--allow-files DIR`");
      return nullptr;
    }
    if (auto it = cache_.find(real.string()); it != cache_.end()) return &it->second;

    const std::size_t per_file = limits_.max_file_bytes * 8;
    const std::size_t left =
        limits_.max_list_total_bytes - std::min(total_bytes_, limits_.max_list_total_bytes);
    files::ReadResult read = files::read_regular_file(real, std::min(per_file, left));
    switch (read.error) {
      case files::ReadError::none:
        break;
      case files::ReadError::not_regular:
        sink_.report(dsl::Code::unreadable_file, list.file_span,
                     "list file " + written.string() + " is not a regular file",
                     "a list file must be an ordinary file, not a folder, device or pipe");
        return nullptr;
      case files::ReadError::too_large:
        if (read.size <= per_file) {
          sink_.report(dsl::Code::too_many_list_entries, list.file_span,
                       "the list files of this model are larger than " +
                           std::to_string(limits_.max_list_total_bytes) + " bytes together",
                       "split the model, or shorten the lists");
        } else {
          sink_.report(dsl::Code::too_many_list_entries, list.file_span,
                       "list file " + written.string() + " is too large (more than " +
                           std::to_string(per_file) + " bytes)");
        }
        return nullptr;
      default:
        sink_.report(dsl::Code::unreadable_file, list.file_span,
                     "cannot read list file " + written.string(),
                     "the path is relative to the model file");
        return nullptr;
    }
    total_bytes_ += read.bytes.size();
    if (auto bad = text::find_invalid_utf8(read.bytes)) {
      sink_.report(dsl::Code::invalid_utf8, list.file_span,
                   "list file " + written.string() + " is not valid UTF-8 (byte " +
                       std::to_string(bad->offset) + ")");
      return nullptr;
    }
    Lines lines;
    std::istringstream in(read.bytes);
    std::string line;
    std::uint32_t number = 0;
    while (std::getline(in, line)) {
      ++number;
      std::string_view entry = line;
      if (auto hash = entry.find('#'); hash != std::string_view::npos)
        entry = entry.substr(0, hash);
      entry = text::trim(entry);
      if (entry.empty()) continue;
      if (lines.size() + 1 > limits_.max_list_entries) {
        sink_.report(dsl::Code::too_many_list_entries, list.file_span,
                     "list `" + list.name + "` has more than " +
                         std::to_string(limits_.max_list_entries) + " entries");
        return nullptr;
      }
      Line l;
      l.text = std::string(entry);
      l.number = number;
      char* end = nullptr;
      const double n = std::strtod(l.text.c_str(), &end);
      l.is_number = end && *end == '\0' && end != l.text.c_str() && std::isfinite(n);
      l.number_value = n;
      lines.push_back(std::move(l));
    }
    return &cache_.emplace(real.string(), std::move(lines)).first->second;
  }

  std::filesystem::path base_dir_;
  const Limits& limits_;
  dsl::DiagnosticSink& sink_;
  std::vector<std::filesystem::path> roots_;
  std::map<std::string, Lines> cache_;
  std::size_t total_entries_ = 0;
  std::size_t total_bytes_ = 0;
};

CompileResult file_level_error(dsl::Code code, const std::string& file_name, std::string message,
                               std::string hint = {}) {
  CompileResult result;
  Diagnostic d;
  d.code = dsl::code_text(code);
  d.message = std::move(message);
  d.where.file = file_name;
  d.hint = std::move(hint);
  result.diagnostics.push_back(std::move(d));
  return result;
}

CompileResult too_large(const std::string& file_name, std::uintmax_t size, const Limits& limits) {
  return file_level_error(dsl::Code::file_too_large, file_name,
                          "the file is " + std::to_string(size) +
                              " bytes; a model may have at most " +
                              std::to_string(limits.max_file_bytes) + " bytes (4 MiB)",
                          "split it into several models, or move long lists into list files");
}

// The byte offset of a 1-based line and column (in code points) of `text`.
std::size_t offset_of(const std::string& text, std::uint32_t line, std::uint32_t column) {
  std::size_t at = 0;
  for (std::uint32_t l = 1; l < line && at < text.size(); ++l) {
    const std::size_t end = text.find('\n', at);
    if (end == std::string::npos) return text.size();
    at = end + 1;
  }
  for (std::uint32_t c = 1; c < column && at < text.size() && text[at] != '\n'; ++c) {
    do ++at;
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80);
  }
  return at;
}

// The index of the layout unit holding `offset`, or -1 when none does.
long unit_at(const std::vector<dsl::Span>& units, std::size_t offset) {
  auto it = std::upper_bound(units.begin(), units.end(), offset,
                             [](std::size_t o, const dsl::Span& u) { return o < u.offset; });
  if (it == units.begin()) return -1;
  --it;
  return offset <= std::size_t(it->offset) + it->length ? long(it - units.begin()) : -1;
}

// `# leadscore: ignore LS012 LS014` silences those warnings on its line, but only within the
// piece of the model it is written in or after (its rule, item or group header): when two rules
// share a line, the comment belongs to the one it follows. `fmt` puts each such piece on lines
// of its own and keeps the lines inside a piece that holds a comment, so formatting never
// changes which warnings are silenced. Errors cannot be silenced: the model would not compile.
std::vector<Diagnostic> drop_ignored_warnings(std::vector<Diagnostic> diagnostics,
                                              const dsl::SourceText& text) {
  static constexpr std::string_view marker = "leadscore: ignore";
  if (text.text().find(marker) == std::string::npos) return diagnostics;
  // The ignore comments, found with the formatter's lexer so a `#` in a string is no comment.
  struct Directive {
    std::uint32_t line;
    long unit;
    std::vector<std::string> codes;
  };
  std::vector<Directive> directives;
  const std::vector<dsl::Span> units = dsl::layout_units(text.text());
  for (const dsl::Token& t : dsl::lex(text.text()).tokens) {
    if (t.kind != dsl::TokenKind::comment) continue;
    const std::size_t at = t.text.find(marker);
    if (at == std::string_view::npos) continue;
    Directive d{text.line_of(t.offset), units.empty() ? -1 : unit_at(units, t.offset), {}};
    std::istringstream codes{std::string(t.text.substr(at + marker.size()))};
    for (std::string code; codes >> code;) {
      if (!code.empty() && code.back() == ',') code.pop_back();
      d.codes.push_back(code);
    }
    directives.push_back(std::move(d));
  }
  std::erase_if(diagnostics, [&](const Diagnostic& d) {
    if (d.severity != Severity::warning || d.where.line == 0) return false;
    const long unit =
        units.empty() ? -1 : unit_at(units, offset_of(text.text(), d.where.line, d.where.column));
    for (const Directive& directive : directives) {
      if (directive.line != d.where.line) continue;
      if (unit >= 0 && directive.unit >= 0 && unit != directive.unit) continue;
      if (std::find(directive.codes.begin(), directive.codes.end(), d.code) !=
          directive.codes.end()) {
        return true;
      }
    }
    return false;
  });
  return diagnostics;
}

CompileResult compile_text(std::string_view source, const std::string& file_name,
                           const std::filesystem::path& base_dir, const CompileOptions& options) {
  CompileResult result;
  if (source.size() > options.limits.max_file_bytes) {
    return too_large(file_name, source.size(), options.limits);
  }
  dsl::SourceText text(file_name, std::string(source));
  dsl::DiagnosticSink sink(text);
  if (auto bad = text::find_invalid_utf8(source)) {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(source[bad->offset]));
    sink.report(dsl::Code::invalid_utf8, dsl::Span{std::uint32_t(bad->offset), 1},
                std::string("the file is not valid UTF-8: byte ") + byte +
                    " here cannot start or continue a character",
                "save the file as UTF-8 (it may be in Latin-1 or Windows-1252)");
    result.diagnostics = sink.take();
    return result;
  }
  dsl::Model model = dsl::parse_model(text, options.limits, sink);
  ListLoader(base_dir, options, sink).load(model);
  dsl::check_model(model, options.schema, sink, sink.has_errors());
  std::unique_ptr<engine::Program> program;
  if (!sink.has_errors()) program = dsl::compile_program(model, sink);
  if (!sink.has_errors()) {
    if (options.lint) dsl::lint_model(model, *program, options.schema, sink);
    auto impl = std::make_unique<Model::Impl>();
    impl->program = std::move(program);
    result.model = std::make_shared<Model>(std::move(impl));
  }
  result.diagnostics = drop_ignored_warnings(sink.take(), text);
  return result;
}

CompileResult compile_file_unguarded(const std::filesystem::path& path,
                                     const CompileOptions& options) {
  // Checked before reading (a huge file costs nothing) and while reading; only a regular file
  // is read, so a FIFO or a device cannot block or exhaust memory.
  files::ReadResult read = files::read_regular_file(path, options.limits.max_file_bytes);
  if (read.error == files::ReadError::too_large) {
    return too_large(path.string(), read.size, options.limits);
  }
  if (read.error == files::ReadError::not_regular) {
    return file_level_error(dsl::Code::unreadable_file, path.string(),
                            "cannot read model file: not a regular file");
  }
  if (read.error != files::ReadError::none) {
    return file_level_error(dsl::Code::unreadable_file, path.string(), "cannot read model file");
  }
  return compile_text(read.bytes, path.string(), path.parent_path(), options);
}

// The last line of defence of "no exception crosses the API": an unexpected failure inside
// the front end becomes a diagnostic (only running out of memory is let through).
CompileResult guarded(const std::string& file_name, const std::function<CompileResult()>& work) {
  try {
    return work();
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    return file_level_error(dsl::Code::internal_error, file_name,
                            std::string("internal error while compiling: ") + e.what(),
                            "please report this together with the model file");
  }
}

}  // namespace

CompileResult Model::compile(std::string_view source, const std::string& file_name,
                             const CompileOptions& options) {
  std::filesystem::path base = std::filesystem::path(file_name).parent_path();
  return guarded(file_name, [&] { return compile_text(source, file_name, base, options); });
}

CompileResult Model::compile_file(const std::filesystem::path& path,
                                  const CompileOptions& options) {
  return guarded(path.string(), [&] { return compile_file_unguarded(path, options); });
}

Model::Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Model::~Model() = default;

const std::string& Model::name() const {
  return impl_->program->name;
}
const std::string& Model::version() const {
  return impl_->program->version;
}
std::string Model::fingerprint() const {
  return impl_->program->fingerprint();
}
std::string Model::disassemble() const {
  return impl_->program->disassemble();
}

std::vector<std::string> Model::rule_names() const {
  std::vector<std::string> out;
  for (const auto& r : impl_->program->rules) out.push_back(r.name);
  return out;
}
std::vector<std::string> Model::group_names() const {
  return impl_->program->group_names();
}

Score Model::evaluate(const Lead& lead, std::span<const Event> events, Timestamp as_of) const {
  std::vector<const Event*> ordered;
  ordered.reserve(events.size());
  for (const auto& e : events) ordered.push_back(&e);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Event* a, const Event* b) { return a->ts < b->ts; });
  engine::Evaluator evaluator(*impl_->program);
  evaluator.begin(version_at(lead, as_of), as_of);
  for (const Event* e : ordered) evaluator.add(*e);
  return evaluator.finish();
}

std::vector<Model::Band> Model::bands() const {
  std::vector<Band> out;
  for (const auto& b : impl_->program->bands) out.push_back({b.name, b.threshold, b.description});
  return out;
}

namespace {
std::vector<std::string> sorted_keys(const std::unordered_map<std::string, std::uint32_t>& map) {
  std::vector<std::string> out;
  for (const auto& [name, slot] : map) out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

std::vector<std::string> Model::attributes_read() const {
  return sorted_keys(impl_->program->attribute_slots);
}

std::vector<std::string> Model::event_types_read() const {
  return sorted_keys(impl_->program->event_ids);
}

Explanation Model::explain(const Lead& lead, std::span<const Event> events, Timestamp as_of) const {
  std::vector<std::size_t> order(events.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return events[a].ts < events[b].ts; });
  engine::Evaluator evaluator(*impl_->program);
  std::vector<std::vector<engine::CountedMatch>> trace;
  evaluator.trace(&trace);
  evaluator.begin(version_at(lead, as_of), as_of);
  // The evaluator numbers events as it accepts them; map those numbers back to the caller's.
  std::vector<std::size_t> accepted;
  for (std::size_t i : order) {
    if (evaluator.add(events[i]) == Scorer::Added::used) accepted.push_back(i);
  }
  Explanation out;
  out.score = evaluator.finish();
  out.counted.resize(trace.size());
  for (std::size_t r = 0; r < trace.size(); ++r) {
    for (const auto& m : trace[r]) {
      out.counted[r].push_back({accepted[m.event], m.points, m.decayed});
    }
  }
  return out;
}

std::vector<RuleContribution> by_impact(const std::vector<RuleContribution>& rules) {
  std::vector<RuleContribution> out = rules;
  std::stable_sort(out.begin(), out.end(),
                   [](const RuleContribution& a, const RuleContribution& b) {
                     return std::abs(a.points) > std::abs(b.points);
                   });
  return out;
}

struct Scorer::State {
  std::shared_ptr<const Model> model;
  engine::Evaluator evaluator;
  explicit State(std::shared_ptr<const Model> m)
      : model(std::move(m)), evaluator(*model->impl().program) {}
};

Scorer::Scorer(std::shared_ptr<const Model> model)
    : state_(std::make_unique<State>(std::move(model))) {}
Scorer::~Scorer() = default;
Scorer::Scorer(Scorer&&) noexcept = default;
Scorer& Scorer::operator=(Scorer&&) noexcept = default;

void Scorer::begin(const Lead& lead, Timestamp as_of) {
  state_->evaluator.begin(version_at(lead, as_of), as_of);
}
void Scorer::begin(const AttributeVersion* attributes, Timestamp as_of) {
  state_->evaluator.begin(attributes, as_of);
}
Scorer::Added Scorer::add(const Event& event) {
  return state_->evaluator.add(event);
}
Score Scorer::finish() {
  return state_->evaluator.finish();
}

}  // namespace leadscore
