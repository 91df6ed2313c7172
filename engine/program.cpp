#include "engine/program.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>

namespace leadscore::engine {

namespace {

std::string number_text(double d) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", d);
  return buffer;
}

std::string duration_text(double ms) {
  struct Unit {
    double ms;
    const char* one;
    const char* many;
  };
  static const Unit units[] = {{7 * 86'400'000.0, "week", "weeks"},
                               {86'400'000.0, "day", "days"},
                               {3'600'000.0, "hour", "hours"}};
  for (const auto& u : units) {
    double n = ms / u.ms;
    if (n == std::floor(n) && n >= 1) return number_text(n) + " " + (n == 1 ? u.one : u.many);
  }
  return number_text(ms / 3'600'000.0) + " hours";
}

// The rule's evaluation settings, shown once above its first block.
std::string describe_settings(const RuleCode& r, const std::vector<std::string>& event_types) {
  std::string out;
  if (r.on_event) {
    out +=
        "\n; on " + (r.event == any_event ? std::string("any") : event_types[std::size_t(r.event)]);
    if (r.within_ms != no_window) out += ", within " + duration_text(r.within_ms);
    if (r.limit_count > 0) {
      out +=
          ", limit " + std::to_string(r.limit_count) + " per " + duration_text(r.limit_window_ms);
    }
    if (r.once) out += ", once";
    switch (r.decay.kind) {
      case dsl::Decay::Kind::half_life:
        out += ", decay half-life " + number_text(r.decay.period_days) + " days";
        break;
      case dsl::Decay::Kind::linear:
        out += ", decay linear " + number_text(r.decay.period_days) + " days";
        break;
      case dsl::Decay::Kind::step:
        out += ", decay " + number_text((1 - r.decay.keep_per_step) * 100) + "% every " +
               number_text(r.decay.period_days) + " days";
        break;
      default:
        out += ", no decay";
    }
  }
  if (r.cap) out += (out.empty() ? "\n; " : ", ") + std::string("cap ") + number_text(*r.cap);
  return out;
}

}  // namespace

std::vector<std::string> Program::group_names() const {
  std::vector<std::string> out;
  for (const auto& g : groups) out.push_back(g.name);
  return out;
}

std::vector<std::string> Program::aggregate_texts() const {
  std::vector<std::string> out;
  for (const auto& a : aggregates) out.push_back(a.text);
  return out;
}

Program::PropertyReaders Program::property_readers() const {
  auto block_reads = [&](std::uint32_t entry) {
    if (entry == no_block) return false;
    for (std::size_t at = entry; at < chunk.code.size(); ++at) {
      OpCode op = opcode_of(chunk.code[at]);
      if (op == OpCode::load_property) return true;
      if (op == OpCode::ret) return false;
    }
    return false;
  };
  auto consumer_reads = [&](const Consumer& c) {
    if (c.aggregate) {
      const AggregateCode& a = aggregates[c.index];
      return a.property >= 0 || block_reads(a.where);
    }
    const RuleCode& r = rules[c.index];
    return block_reads(r.condition) || block_reads(r.points);
  };
  PropertyReaders out;
  out.other_types =
      std::any_of(any_event_consumers.begin(), any_event_consumers.end(), consumer_reads);
  out.by_type.assign(consumers_by_event.size(), out.other_types);
  for (std::size_t type = 0; type < consumers_by_event.size(); ++type) {
    for (const Consumer& c : consumers_by_event[type]) {
      if (consumer_reads(c)) out.by_type[type] = true;
    }
  }
  return out;
}

std::string Program::disassemble() const {
  std::map<std::uint32_t, std::string> owners;
  for (const auto& a : aggregates) {
    if (a.where != no_block) owners[a.where] = "aggregate " + a.text + ": where";
  }
  for (const auto& r : rules) {
    std::string who = "rule " + r.name + " (group " + groups[r.group].name + ")";
    std::string settings = describe_settings(r, event_types);
    if (r.condition != no_block) {
      owners[r.condition] = who + (r.on_event ? ": where" : ": when") + settings;
      settings.clear();
    }
    if (r.points != no_block) {
      owners[r.points] = who + ": points" + (r.sign < 0 ? ", negated" : "") + settings;
    }
  }
  for (const auto& l : limits) {
    if (l.condition != no_block) owners[l.condition] = l.text;
  }
  auto group_list = group_names();
  auto aggregate_list = aggregate_texts();
  std::string out = "; model \"" + name + "\"";
  if (!version.empty()) out += " version \"" + version + "\"";
  out += "\n; " + std::to_string(chunk.code.size()) + " instructions, stack " +
         std::to_string(chunk.max_stack) + "\n";
  for (std::uint32_t at = 0; at < chunk.code.size(); ++at) {
    auto owner = owners.find(at);
    if (owner != owners.end()) out += "\n" + owner->second + "\n";
    char prefix[32];
    std::snprintf(prefix, sizeof prefix, "%04u  line %-4u  ", at, chunk.lines[at]);
    out += prefix;
    out += disassemble_instruction(chunk, at, attribute_names, property_names, group_list,
                                   aggregate_list);
    out += '\n';
  }
  return out;
}

// FNV-1a over everything that decides a score: equal programs give equal fingerprints.
std::string Program::fingerprint() const {
  std::uint64_t h = 1469598103934665603ull;
  auto bytes = [&](const void* p, std::size_t n) {
    const unsigned char* c = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ c[i]) * 1099511628211ull;
  };
  auto str = [&](const std::string& s) {
    std::uint64_t n = s.size();
    bytes(&n, sizeof n);
    bytes(s.data(), s.size());
  };
  auto num = [&](double d) { bytes(&d, sizeof d); };
  auto opt = [&](const std::optional<double>& d) { num(d ? *d : -1e308); };
  bytes(chunk.code.data(), chunk.code.size() * sizeof(std::uint32_t));
  for (double d : chunk.numbers) num(d);
  for (const auto& s : chunk.strings) str(s);
  for (const auto& s : chunk.regex_sources) str(s);
  for (const auto& l : chunk.lists) {
    std::vector<std::string> sorted(l.strings.begin(), l.strings.end());
    std::sort(sorted.begin(), sorted.end());
    for (const auto& s : sorted) str(s);
    std::vector<double> nums(l.numbers.begin(), l.numbers.end());
    std::sort(nums.begin(), nums.end());
    for (double d : nums) num(d);
  }
  for (const auto& n : attribute_names) str(n);
  for (const auto& n : property_names) str(n);
  for (const auto& n : event_types) str(n);
  for (const auto& r : rules) {
    str(r.name);
    num(r.group);
    num(r.event);
    num(r.sign);
    opt(r.cap);
    num(r.once);
    num(r.limit_count);
    num(r.limit_window_ms);
    num(r.within_ms);
    num(double(r.decay.kind));
    num(r.decay.period_days);
    num(r.decay.keep_per_step);
  }
  for (const auto& a : aggregates) {
    num(double(a.kind));
    num(a.event);
    num(a.property);
    num(a.within_ms);
  }
  for (const auto& g : groups) {
    str(g.name);
    opt(g.cap);
    opt(g.floor);
    for (const auto& b : g.grades) {
      str(b.name);
      opt(b.threshold);
    }
  }
  for (const auto& l : limits) {
    num(l.target);
    num(l.value);
    num(l.unless);
  }
  for (const auto& b : bands) {
    str(b.name);
    opt(b.threshold);
  }
  if (scale) {
    num(scale->first);
    num(scale->second);
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

}  // namespace leadscore::engine
