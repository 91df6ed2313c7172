#include "dsl/compiler.hpp"

#include <re2/re2.h>

#include <algorithm>

#include "engine/text.hpp"

namespace leadscore::dsl {
namespace {

using engine::OpCode;

class Compiler {
 public:
  Compiler(const Model& model, DiagnosticSink& sink) : model_(model), sink_(sink) {}

  std::unique_ptr<engine::Program> run() {
    p_ = std::make_unique<engine::Program>();
    p_->name = model_.name;
    p_->version = model_.version;
    if (model_.scale) p_->scale = std::make_pair(model_.scale->low, model_.scale->high);
    for (const auto& b : model_.bands) p_->bands.push_back({b.name, b.threshold, b.description});
    for (const auto& l : model_.lists) add_list(l.name, l.entries);
    for (const auto& g : model_.groups) {
      engine::GroupCode code;
      code.name = g.name;
      code.fit = g.is_fit;
      code.cap = g.cap;
      code.floor = g.floor;
      for (const auto& grade : model_.grades) {
        if (grade.group == g.name)
          code.grades.push_back({grade.name, grade.threshold, grade.description});
      }
      p_->groups.push_back(std::move(code));
    }
    // Aggregates first: rules read them through load_aggregate.
    for (const Expr* a : model_.aggregates) aggregate(*a);
    for (std::uint32_t gi = 0; gi < model_.groups.size(); ++gi) {
      for (const auto& r : model_.groups[gi].rules) rule(gi, model_.groups[gi], r);
    }
    for (const auto& l : model_.limits) limit(l);
    p_->consumers_by_event.resize(p_->event_types.size());
    for (std::uint32_t i = 0; i < p_->aggregates.size(); ++i) {
      add_consumer(p_->aggregates[i].event, {true, i});
    }
    for (std::uint32_t i = 0; i < p_->rules.size(); ++i) {
      if (p_->rules[i].on_event) {
        add_consumer(p_->rules[i].event, {false, i});
      } else {
        p_->state_rules.push_back(i);
      }
    }
    return std::move(p_);
  }

 private:
  void add_consumer(std::int32_t event, engine::Consumer c) {
    if (event == engine::any_event) {
      p_->any_event_consumers.push_back(c);
    } else {
      p_->consumers_by_event[std::size_t(event)].push_back(c);
    }
  }

  std::uint32_t line(Span s) const { return sink_.source().line_of(s.offset); }

  std::uint32_t slot(std::unordered_map<std::string, std::uint32_t>& slots,
                     std::vector<std::string>& names, const std::string& name) {
    auto [it, fresh] = slots.emplace(name, std::uint32_t(names.size()));
    if (fresh) names.push_back(name);
    return it->second;
  }
  std::int32_t event_id(const std::string& type) {
    if (type == "any") return engine::any_event;
    return std::int32_t(slot(p_->event_ids, p_->event_types, type));
  }

  std::uint32_t add_list(const std::string& name, const std::vector<ListEntry>& entries) {
    engine::CompiledList list;
    list.name = name;
    for (const auto& e : entries) {
      if (e.is_number) {
        list.numbers.insert(e.number);
      } else {
        list.strings.insert(text::lower(text::trim(e.text)));
      }
    }
    p_->chunk.lists.push_back(std::move(list));
    return std::uint32_t(p_->chunk.lists.size() - 1);
  }

  // ---- blocks ----------------------------------------------------------------------------
  std::uint32_t block(const Expr& e) {
    std::uint32_t entry = std::uint32_t(p_->chunk.code.size());
    depth_ = 0;
    expr(e);
    emit(OpCode::ret, 0, e.span);
    return entry;
  }

  void emit(OpCode op, std::uint32_t operand, Span span) {
    p_->chunk.emit(op, operand, line(span));
    depth_ += engine::stack_effect(op);
    p_->chunk.max_stack =
        std::max<std::uint32_t>(p_->chunk.max_stack, std::uint32_t(std::max(depth_, 0)));
  }

  void expr(const Expr& e) {
    auto& chunk = p_->chunk;
    switch (e.kind) {
      case Expr::Kind::number:
        emit(OpCode::push_number, chunk.add_number(e.number), e.span);
        return;
      case Expr::Kind::timestamp:
        emit(OpCode::push_timestamp, chunk.add_number(e.number), e.span);
        return;
      case Expr::Kind::string:
        emit(OpCode::push_string, chunk.add_string(e.text), e.span);
        return;
      case Expr::Kind::boolean:
        emit(e.number != 0 ? OpCode::push_true : OpCode::push_false, 0, e.span);
        return;
      case Expr::Kind::lead_name:
        emit(OpCode::load_attribute, slot(p_->attribute_slots, p_->attribute_names, e.text),
             e.span);
        return;
      case Expr::Kind::name:
        name(e);
        return;
      case Expr::Kind::call:
        call(e);
        return;
      case Expr::Kind::aggregate:
        emit(OpCode::load_aggregate, e.aggregate_index, e.span);
        return;
      case Expr::Kind::unary:
        unary(e);
        return;
      case Expr::Kind::binary:
        binary(e);
        return;
      case Expr::Kind::list_name:
      case Expr::Kind::list_literal:
        return;  // compiled with their `in`
    }
  }

  void name(const Expr& e) {
    switch (e.name_kind) {
      case NameKind::property:
        emit(OpCode::load_property, slot(p_->property_slots, p_->property_names, e.text), e.span);
        return;
      case NameKind::event_time:
        emit(OpCode::load_event_time, 0, e.span);
        return;
      case NameKind::group:
        emit(OpCode::load_group, group_index(e.text), e.span);
        return;
      default:
        emit(OpCode::load_attribute, slot(p_->attribute_slots, p_->attribute_names, e.text),
             e.span);
    }
  }

  std::uint32_t group_index(const std::string& name) const {
    for (std::uint32_t i = 0; i < model_.groups.size(); ++i) {
      if (model_.groups[i].name == name) return i;
    }
    return 0;
  }

  void call(const Expr& e) {
    expr(*e.args.at(0));
    if (e.text == "domain") {
      emit(OpCode::call_domain, p_->chunk.scratch_strings++, e.span);
    } else if (e.text == "lower") {
      emit(OpCode::call_lower, p_->chunk.scratch_strings++, e.span);
    } else if (e.text == "length") {
      emit(OpCode::call_length, 0, e.span);
    } else {
      emit(OpCode::call_days_since, 0, e.span);
    }
  }

  void unary(const Expr& e) {
    expr(*e.args.at(0));
    OpCode op = e.op == Op::negate       ? OpCode::negate
                : e.op == Op::is_missing ? OpCode::is_missing
                : e.op == Op::is_present ? OpCode::is_present
                                         : OpCode::logical_not;
    emit(op, 0, e.span);
  }

  void binary(const Expr& e) {
    if (e.op == Op::logical_and || e.op == Op::logical_or) {
      expr(*e.args[0]);
      for (std::size_t i = 1; i < e.args.size(); ++i) {
        expr(*e.args[i]);
        emit(e.op == Op::logical_and ? OpCode::logical_and : OpCode::logical_or, 0, e.span);
      }
      return;
    }
    if (e.op == Op::in || e.op == Op::not_in) {
      expr(*e.args[0]);
      emit(OpCode::in_list, list_index(*e.args[1]), e.args[1]->span);
      if (e.op == Op::not_in) emit(OpCode::logical_not, 0, e.span);
      return;
    }
    if (e.op == Op::matches) {
      expr(*e.args[0]);
      emit(OpCode::matches, regex_index(*e.args[1]), e.args[1]->span);
      return;
    }
    for (const auto& a : e.args) expr(*a);
    static const std::pair<Op, OpCode> ops[] = {{Op::add, OpCode::add},
                                                {Op::sub, OpCode::subtract},
                                                {Op::mul, OpCode::multiply},
                                                {Op::div, OpCode::divide},
                                                {Op::eq, OpCode::equal},
                                                {Op::ne, OpCode::not_equal},
                                                {Op::lt, OpCode::less},
                                                {Op::le, OpCode::less_equal},
                                                {Op::gt, OpCode::greater},
                                                {Op::ge, OpCode::greater_equal},
                                                {Op::between, OpCode::between},
                                                {Op::contains, OpCode::contains},
                                                {Op::starts_with, OpCode::starts_with},
                                                {Op::ends_with, OpCode::ends_with}};
    for (const auto& [op, code] : ops) {
      if (op == e.op) emit(code, 0, e.span);
    }
  }

  std::uint32_t list_index(const Expr& list) {
    if (list.kind == Expr::Kind::list_name) {
      for (std::uint32_t i = 0; i < model_.lists.size(); ++i) {
        if (model_.lists[i].name == list.text) return i;
      }
      return 0;
    }
    std::vector<ListEntry> entries;
    for (const auto& item : list.args) {
      ListEntry entry;
      entry.is_number = item->kind == Expr::Kind::number;
      entry.number = item->number;
      entry.text = item->text;
      entries.push_back(std::move(entry));
    }
    return add_list("[" + std::to_string(entries.size()) + " entries]", entries);
  }

  std::uint32_t regex_index(const Expr& pattern) {
    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    auto re = std::make_shared<RE2>(pattern.text, options);
    if (!re->ok()) {
      sink_.report(Code::bad_regex, pattern.span,
                   "this is not a valid regular expression: " + re->error(),
                   "`|` separates alternatives; escape `.` `(` `)` `[` with a backslash "
                   "(written `\\\\` inside a string)");
    }
    p_->chunk.regexes.push_back(std::move(re));
    p_->chunk.regex_sources.push_back(pattern.text);
    return std::uint32_t(p_->chunk.regexes.size() - 1);
  }

  // ---- items -------------------------------------------------------------------------------
  void aggregate(const Expr& a) {
    engine::AggregateCode code;
    code.kind = a.aggregate;
    code.event = event_id(a.event_type);
    code.text = std::string(sink_.source().slice(a.span));
    if (a.within) code.within_ms = a.within->seconds * 1000.0;
    if (!a.property.empty()) {
      code.property = std::int32_t(slot(p_->property_slots, p_->property_names, a.property));
    }
    if (a.where) code.where = block(*a.where);
    p_->aggregates.push_back(std::move(code));
  }

  void rule(std::uint32_t group_index, const Group& g, const Rule& r) {
    engine::RuleCode code;
    code.name = r.name;
    code.label = r.label;
    code.group = group_index;
    code.line = line(r.name_span);
    code.on_event = r.is_event_rule;
    code.sign = r.negative ? -1 : 1;
    code.cap = r.cap;
    if (r.is_event_rule) {
      code.event = event_id(r.event_type);
      code.once = r.once;
      if (r.limit) {
        code.limit_count = r.limit->count;
        code.limit_window_ms = r.limit->per.seconds * 1000.0;
      }
      const auto& within = r.within ? r.within : g.within;
      if (within) code.within_ms = within->seconds * 1000.0;
      const auto& decay = r.decay ? r.decay : g.decay;
      if (decay) {
        code.decay.kind = decay->kind;
        code.decay.period_days = decay->period_days;
        code.decay.keep_per_step = 1 - decay->step_percent / 100.0;
      }
    }
    if (r.condition) code.condition = block(*r.condition);
    if (r.points) {
      if (r.points->kind == Expr::Kind::number) {
        code.points_constant = true;
        code.constant_points = r.points->number;
      }
      code.points = block(*r.points);
    }
    p_->groups[group_index].rules.push_back(std::uint32_t(p_->rules.size()));
    p_->rules.push_back(std::move(code));
  }

  void limit(const Limit& l) {
    engine::LimitCode code;
    code.target = l.target == "score" ? -1 : std::int32_t(group_index(l.target));
    code.value = l.value;
    code.unless = l.unless;
    code.text = std::string(sink_.source().slice(l.span));
    while (!code.text.empty() && std::isspace(static_cast<unsigned char>(code.text.back())))
      code.text.pop_back();
    if (l.condition) code.condition = block(*l.condition);
    p_->limits.push_back(std::move(code));
  }

  const Model& model_;
  DiagnosticSink& sink_;
  std::unique_ptr<engine::Program> p_;
  int depth_ = 0;
};

}  // namespace

std::unique_ptr<engine::Program> compile_program(const Model& model, DiagnosticSink& sink) {
  return Compiler(model, sink).run();
}

}  // namespace leadscore::dsl
