#include "tools/cli/json_input.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>
#include <string>

using leadscore::Event;
using leadscore::Lead;
using leadscore::parse_timestamp;
using leadscore::Value;
using leadscore::cli::InputError;
using leadscore::cli::parse_events_jsonl;
using leadscore::cli::parse_lead_json;

namespace {

const Value* find(const leadscore::NamedValues& values, const std::string& name) {
  for (const auto& [key, value] : values) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::vector<Event> events_from(const std::string& text) {
  std::istringstream in(text);
  return parse_events_jsonl(in, "events.jsonl");
}

// The error a bad events file gives; fails the test when there is none.
InputError events_error(const std::string& text) {
  try {
    events_from(text);
  } catch (const InputError& e) {
    return e;
  }
  FAIL("the events were accepted");
  return InputError("", 0, "");
}

InputError lead_error(const std::string& text) {
  try {
    parse_lead_json(text, "lead.json");
  } catch (const InputError& e) {
    return e;
  }
  FAIL("the lead was accepted");
  return InputError("", 0, "");
}

}  // namespace

TEST_SUITE("json_input") {
  TEST_CASE("a flat object is one attribute version valid at all times") {
    Lead lead = parse_lead_json(
        R"({"id": "L7", "employees": 800, "industry": "energy", "vip": true, "fax": null,
            "signed_up": "2026-01-05"})",
        "lead.json");
    CHECK(lead.id == "L7");
    REQUIRE(lead.versions.size() == 1);
    const auto& version = lead.versions[0];
    CHECK_FALSE(version.valid_from.has_value());
    CHECK(find(version.values, "id") == nullptr);  // the lead's name, not an attribute
    REQUIRE(version.values.size() == 5);
    CHECK(version.values[0].first == "employees");  // file order is kept
    CHECK(find(version.values, "employees")->kind() == Value::Kind::number);
    CHECK(find(version.values, "employees")->as_number() == 800);
    CHECK(find(version.values, "industry")->as_string() == "energy");
    CHECK(find(version.values, "vip")->kind() == Value::Kind::boolean);
    CHECK(find(version.values, "vip")->as_boolean());
    CHECK(find(version.values, "fax")->kind() == Value::Kind::missing);
    // A date-like string stays a string; the engine converts it where a rule wants a time.
    CHECK(find(version.values, "signed_up")->kind() == Value::Kind::string);
  }

  TEST_CASE("an object with attrs") {
    Lead lead = parse_lead_json(R"({"id": "L1", "attrs": {"employees": 12.5}})", "lead.json");
    CHECK(lead.id == "L1");
    REQUIRE(lead.versions.size() == 1);
    CHECK_FALSE(lead.versions[0].valid_from.has_value());
    REQUIRE(lead.versions[0].values.size() == 1);
    CHECK(lead.versions[0].values[0].second.as_number() == 12.5);
  }

  TEST_CASE("attribute versions keep their start times") {
    Lead lead = parse_lead_json(R"({"id": "L2", "versions": [
        {"at": "2026-01-01", "attrs": {"employees": 5}},
        {"at": "2026-06-01T12:00:00Z", "attrs": {"employees": 500}},
        {"attrs": {"employees": 1}}]})",
                                "lead.json");
    REQUIRE(lead.versions.size() == 3);
    CHECK(lead.versions[0].valid_from == parse_timestamp("2026-01-01"));
    CHECK(lead.versions[1].valid_from == parse_timestamp("2026-06-01T12:00:00Z"));
    CHECK_FALSE(lead.versions[2].valid_from.has_value());
    CHECK(lead.versions[1].values[0].second.as_number() == 500);
  }

  TEST_CASE("a lead that cannot be used names the reason") {
    CHECK(std::string(lead_error(R"({"employees": {"min": 5}})").what()) ==
          "lead.json: `employees` holds an object; only numbers, strings, booleans and null "
          "are allowed");
    CHECK(std::string(lead_error(R"({"tags": ["a"]})").what()).find("`tags` holds an array") !=
          std::string::npos);
    CHECK(std::string(lead_error(R"({"id": "x", "attrs": {}, "extra": 1})").what())
              .find("unexpected key `extra`") != std::string::npos);
    CHECK(std::string(lead_error(R"({"versions": [{"at": "soon", "attrs": {}}]})").what())
              .find("`at` is not a date or RFC 3339 time: \"soon\"") != std::string::npos);
    CHECK(std::string(lead_error("[1, 2]").what()).find("must be a JSON object") !=
          std::string::npos);
    InputError broken = lead_error("{\"a\": 1,\n \"b\": }");
    CHECK(broken.file() == "lead.json");
    CHECK(std::string(broken.what()).find("not valid JSON") != std::string::npos);
    CHECK(std::string(broken.what()).find("line 2") != std::string::npos);
  }

  TEST_CASE("events: one object a line, blank lines skipped, ids are not properties") {
    auto events = events_from(
        "{\"type\": \"page_view\", \"ts\": \"2026-03-01T12:00:00Z\", \"url\": \"/pricing\", "
        "\"id\": 17, \"lead_id\": \"L1\"}\n"
        "\n"
        "   \n"
        "{\"type\": \"webinar\", \"at\": \"2026-03-02\", \"minutes\": 45, \"live\": false, "
        "\"topic\": null}\r\n");
    REQUIRE(events.size() == 2);
    CHECK(events[0].type == "page_view");
    CHECK(events[0].ts == *parse_timestamp("2026-03-01T12:00:00Z"));
    REQUIRE(events[0].properties.size() == 1);
    CHECK(events[0].properties[0].first == "url");
    CHECK(events[0].properties[0].second.as_string() == "/pricing");
    CHECK(events[1].type == "webinar");
    CHECK(events[1].ts == *parse_timestamp("2026-03-02"));
    REQUIRE(events[1].properties.size() == 3);
    CHECK(find(events[1].properties, "minutes")->as_number() == 45);
    CHECK(find(events[1].properties, "live")->kind() == Value::Kind::boolean);
    CHECK_FALSE(find(events[1].properties, "live")->as_boolean());
    CHECK(find(events[1].properties, "topic")->kind() == Value::Kind::missing);
  }

  TEST_CASE("an empty events file has no events") {
    CHECK(events_from("").empty());
  }

  TEST_CASE("a bad event line is reported with its line number") {
    const std::string good = "{\"type\": \"page_view\", \"ts\": \"2026-03-01\"}\n";

    InputError nested = events_error(good + "\n" +
                                     "{\"type\": \"x\", \"ts\": \"2026-03-01\", "
                                     "\"meta\": {\"a\": 1}}\n");
    CHECK(nested.line() == 3);  // the blank line still counts
    CHECK(std::string(nested.what()).rfind("events.jsonl:3: `meta` holds an object", 0) == 0);

    InputError not_json = events_error(good + good + "{\"type\": \"page_view\"\n");
    CHECK(not_json.line() == 3);
    CHECK(std::string(not_json.what()).find("events.jsonl:3: not valid JSON") == 0);

    InputError no_time = events_error(good + "{\"type\": \"page_view\"}\n");
    CHECK(no_time.line() == 2);
    CHECK(std::string(no_time.what()) == "events.jsonl:2: the event has no `ts` (or `at`)");

    InputError no_type = events_error("{\"ts\": \"2026-03-01\"}\n");
    CHECK(no_type.line() == 1);
    CHECK(std::string(no_type.what()) == "events.jsonl:1: the event has no `type`");

    InputError bad_time = events_error("{\"type\": \"a\", \"ts\": \"March 1st\"}");
    CHECK(std::string(bad_time.what()) ==
          "events.jsonl:1: `ts` is not a date or RFC 3339 time: \"March 1st\"");

    InputError numeric_time = events_error("{\"type\": \"a\", \"ts\": 1700000000}");
    CHECK(std::string(numeric_time.what()).find("`ts` must be a string") != std::string::npos);

    InputError both =
        events_error("{\"type\": \"a\", \"ts\": \"2026-03-01\", \"at\": \"2026-03-01\"}");
    CHECK(std::string(both.what()).find("both `ts` and `at`") != std::string::npos);

    InputError array = events_error(good + "[1, 2]\n");
    CHECK(array.line() == 2);
    CHECK(std::string(array.what()).find("expected a JSON object, not an array") !=
          std::string::npos);

    InputError list_property =
        events_error("{\"type\": \"a\", \"ts\": \"2026-03-01\", \"tags\": []}");
    CHECK(std::string(list_property.what()).find("`tags` holds an array") != std::string::npos);
  }

  // Found by the jsonl fuzzer: nlohmann's parser reports a number beyond a double's range as
  // out_of_range, not as a parse error, and it escaped `leadscore eval` as a crash.
  TEST_CASE("a number beyond the range of a double is an input error naming its line") {
    InputError event = events_error(
        "{\"type\": \"a\", \"ts\": \"2026-03-01\"}\n"
        "{\"type\": \"a\", \"ts\": \"2026-03-01\", \"minutes\": 1e400}\n");
    CHECK(event.line() == 2);
    CHECK(std::string(event.what()) ==
          "events.jsonl:2: not valid JSON: a number beyond the range of a double (number "
          "overflow parsing '1e400')");

    InputError lead = lead_error("{\"employees\": -2e308}");
    CHECK(std::string(lead.what()) ==
          "lead.json: not valid JSON: a number beyond the range of a double (number overflow "
          "parsing '-2e308')");
  }

  TEST_CASE("a file that cannot be opened is an input error") {
    const auto missing = std::filesystem::temp_directory_path() / "leadscore-no-such-file.jsonl";
    CHECK_THROWS_AS(leadscore::cli::load_events_jsonl(missing), InputError);
    CHECK_THROWS_AS(leadscore::cli::load_lead_json(missing), InputError);
  }
}
