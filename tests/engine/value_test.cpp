#include <doctest/doctest.h>

#include <optional>
#include <vector>

#include "engine/text.hpp"
#include "leadscore/value.hpp"

using leadscore::AttributeVersion;
using leadscore::Lead;
using leadscore::Timestamp;
using leadscore::Value;
using leadscore::version_at;

namespace {

// A version tagged by a "tag" attribute, so tests can tell which one was picked.
AttributeVersion make_version(std::optional<Timestamp> valid_from, double tag) {
  return AttributeVersion{valid_from, {{"tag", Value::number(tag)}}};
}

double tag_of(const AttributeVersion* version) {
  REQUIRE(version != nullptr);
  return version->values.at(0).second.as_number();
}

}  // namespace

TEST_SUITE("value") {
  TEST_CASE("missing values") {
    CHECK(Value().is_missing());
    CHECK(Value().kind() == Value::Kind::missing);
    CHECK(Value::string("").is_missing());
    CHECK(Value::string(" \t\r\n").is_missing());
    CHECK_FALSE(Value::string(" x ").is_missing());
    CHECK_FALSE(Value::number(0).is_missing());
    CHECK_FALSE(Value::boolean(false).is_missing());
    CHECK_FALSE(Value::timestamp(0).is_missing());
    // A blank string keeps its kind; it only counts as missing.
    CHECK(Value::string(" ").kind() == Value::Kind::string);
  }

  TEST_CASE("to_string") {
    CHECK(Value().to_string() == "missing");
    CHECK(Value::number(15).to_string() == "15");
    CHECK(Value::number(-20).to_string() == "-20");
    CHECK(Value::number(4.885).to_string() == "4.885");
    CHECK(Value::number(-0.0).to_string() == "0");
    CHECK(Value::string(" As Is ").to_string() == " As Is ");
    CHECK(Value::string("").to_string() == "");
    CHECK(Value::boolean(true).to_string() == "true");
    CHECK(Value::boolean(false).to_string() == "false");
    CHECK(Value::timestamp(1'782'813'600'000).to_string() == "2026-06-30T10:00:00Z");
    CHECK(Value::timestamp(1'782'813'600'250).to_string() == "2026-06-30T10:00:00.250Z");
    CHECK(Value::timestamp(-1).to_string() == "1969-12-31T23:59:59.999Z");
  }

  TEST_CASE("version_at: no versions, or only future ones") {
    Lead lead{"L1", {}};
    CHECK(version_at(lead, 0) == nullptr);
    lead.versions.push_back(make_version(1000, 1));
    CHECK(version_at(lead, 999) == nullptr);
    CHECK(tag_of(version_at(lead, 1000)) == 1);
  }

  TEST_CASE("version_at: a version without valid_from applies at every time") {
    const Lead lead{"L1", {make_version(std::nullopt, 7)}};
    CHECK(tag_of(version_at(lead, -1'000'000)) == 7);
    CHECK(tag_of(version_at(lead, 0)) == 7);
    CHECK(tag_of(version_at(lead, 1'782'777'600'000)) == 7);
  }

  TEST_CASE("version_at: the latest version that started at or before the time") {
    const Lead lead{"L1",
                    {make_version(std::nullopt, 0), make_version(200, 2), make_version(100, 1)}};
    CHECK(tag_of(version_at(lead, 99)) == 0);
    CHECK(tag_of(version_at(lead, 100)) == 1);  // valid_from is inclusive
    CHECK(tag_of(version_at(lead, 199)) == 1);  // order in the vector does not matter
    CHECK(tag_of(version_at(lead, 200)) == 2);
    CHECK(tag_of(version_at(lead, 5000)) == 2);
  }

  TEST_CASE("version_at: negative times") {
    const Lead lead{"L1", {make_version(-500, 1), make_version(0, 2)}};
    CHECK(version_at(lead, -501) == nullptr);
    CHECK(tag_of(version_at(lead, -500)) == 1);
    CHECK(tag_of(version_at(lead, -1)) == 1);
    CHECK(tag_of(version_at(lead, 0)) == 2);
  }

  TEST_CASE("version_at: among equal starts the later entry wins") {
    const Lead lead{"L1", {make_version(100, 1), make_version(100, 2), make_version(50, 3)}};
    CHECK(tag_of(version_at(lead, 100)) == 2);
    const Lead undated{"L2", {make_version(std::nullopt, 1), make_version(std::nullopt, 2)}};
    CHECK(tag_of(version_at(undated, 0)) == 2);
    // A dated version beats an undated one even when the undated one comes later.
    const Lead mixed{"L3", {make_version(100, 1), make_version(std::nullopt, 2)}};
    CHECK(tag_of(version_at(mixed, 100)) == 1);
    CHECK(tag_of(version_at(mixed, 99)) == 2);
  }
}
