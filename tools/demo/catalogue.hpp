// The world the demo leads live in: the (fictional) machine builder's web site and products, and
// the lists that firmographics and identities are drawn from (countries, industries, company
// sizes, names, job titles, mail domains). Pure data, kept apart from the drawing code so that
// the lists can be read and edited without wading through the simulation; the definitions are
// in catalogue.cpp.
#pragma once

#include <array>
#include <string>

namespace leadscore::demo {

// The machine builder's web site; page paths are appended to it.
extern const std::string kSite;

struct Product {
  const char* name;
  const char* slug;
};
extern const std::array<Product, 7> kProducts;

// Pages people read while they look around, in no hurry.
extern const std::array<const char*, 14> kResearchPages;

struct Country {
  const char* name;
  int weight;
  bool served;
  const char* legal;  // the usual company suffix there
};
extern const std::array<Country, 16> kCountries;

struct Industry {
  const char* name;
  int weight;
  int points;                        // hidden: how well the machines fit the industry
  std::array<const char*, 3> nouns;  // for company names
};
extern const std::array<Industry, 15> kIndustries;

// Company head-count bands: range, how common, and the hidden fit points they give.
struct SizeBand {
  int min, max, weight, points;
};
extern const std::array<SizeBand, 9> kSizes;

extern const std::array<const char*, 40> kFirstNames;
extern const std::array<const char*, 40> kLastNames;
// Family names and places that become company names; two carry non-ASCII letters (UTF-8).
extern const std::array<const char*, 24> kCompanyStems;
extern const std::array<const char*, 8> kNicknames;

// Job titles, one list per role (see Role in records.hpp).
extern const std::array<const char*, 8> kDecisionTitles;
extern const std::array<const char*, 9> kSpecifierTitles;
extern const std::array<const char*, 4> kProcurementTitles;
extern const std::array<const char*, 7> kOtherTitles;
extern const std::array<const char*, 5> kStudentTitles;
extern const std::array<const char*, 4> kCompetitorTitles;

// Other machine builders: they watch our web site and download our drawings.
struct Competitor {
  const char* name;
  const char* domain;
  const char* country;
};
extern const std::array<Competitor, 3> kCompetitors;

// Mail domains of students and of people who sign up with a private address.
extern const std::array<const char*, 4> kUniversities;
extern const std::array<const char*, 6> kFreeMail;

}  // namespace leadscore::demo
