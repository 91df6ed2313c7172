// The fixed word lists of the demo world (declared, with their meaning, in catalogue.hpp).
// Changing, adding or reordering any entry changes the generated files, since draws pick
// entries by position.
#include "tools/demo/catalogue.hpp"

namespace leadscore::demo {

const std::string kSite = "https://www.ferrodyn.example";

const std::array<Product, 7> kProducts = {{{"PX-400 servo press", "px-400"},
                                           {"PX-800 servo press", "px-800"},
                                           {"HX-250 hydraulic press", "hx-250"},
                                           {"CNC-5X machining cell", "cnc-5x"},
                                           {"FlowPack 300 packaging line", "flowpack-300"},
                                           {"TrayLoader 12", "trayloader-12"},
                                           {"RoboCell welding cell", "robocell"}}};

const std::array<const char*, 14> kResearchPages = {"/",
                                                    "/machines/",
                                                    "/applications/automotive-stamping",
                                                    "/applications/food-packaging",
                                                    "/applications/pharma-blister-lines",
                                                    "/case-studies/brakes-supplier-cuts-changeover",
                                                    "/case-studies/dairy-line-oee",
                                                    "/blog/servo-vs-hydraulic-presses",
                                                    "/blog/planning-a-line-retrofit",
                                                    "/blog/predictive-maintenance-basics",
                                                    "/service/retrofit",
                                                    "/service/spare-parts",
                                                    "/about",
                                                    "/events"};

const std::array<Country, 16> kCountries = {{{"Germany", 22, true, " GmbH"},
                                             {"United States", 20, true, ", Inc."},
                                             {"Italy", 7, true, " S.p.A."},
                                             {"United Kingdom", 7, true, " Ltd"},
                                             {"France", 6, true, " SAS"},
                                             {"Poland", 5, true, " Sp. z o.o."},
                                             {"Netherlands", 4, true, " B.V."},
                                             {"Austria", 3, true, " GmbH"},
                                             {"Switzerland", 3, true, " AG"},
                                             {"Canada", 4, true, " Ltd."},
                                             {"Mexico", 4, true, " S.A. de C.V."},
                                             {"Spain", 4, false, " S.L."},
                                             {"Turkey", 3, false, " A.S."},
                                             {"India", 4, false, " Pvt. Ltd."},
                                             {"Brazil", 2, false, " Ltda."},
                                             {"China", 2, false, " Co., Ltd."}}};

const std::array<Industry, 15> kIndustries = {{
    {"Automotive", 14, 10, {"Auto Parts", "Stamping", "Components"}},
    {"Food & Beverage", 12, 10, {"Foods", "Dairy", "Beverages"}},
    {"Packaging", 10, 10, {"Packaging", "Cartons", "Containers"}},
    {"Pharmaceuticals", 6, 9, {"Pharma", "Life Sciences", "Laboratories"}},
    {"Metal Fabrication", 12, 10, {"Metalworks", "Steel", "Precision Parts"}},
    {"Plastics", 8, 8, {"Plastics", "Polymers", "Moulding"}},
    {"Aerospace", 4, 5, {"Aerospace", "Aero Structures", "Avionics"}},
    {"Electronics", 7, 4, {"Electronics", "Circuits", "Controls"}},
    {"Chemicals", 5, 3, {"Chemicals", "Coatings", "Adhesives"}},
    {"Medical Devices", 4, 5, {"Medical", "Implants", "Devices"}},
    {"Logistics", 5, -2, {"Logistics", "Freight", "Distribution"}},
    {"Construction", 4, -2, {"Construction", "Building Systems", "Concrete"}},
    {"Consulting", 3, -10, {"Consulting", "Advisors", "Partners"}},
    {"Education", 2, -12, {"Academy", "Institute", "Training"}},
    {"Retail", 2, -10, {"Retail", "Stores", "Trading"}},
}};

const std::array<SizeBand, 9> kSizes = {{{1, 9, 80, -15},
                                         {10, 19, 90, -8},
                                         {20, 49, 150, 0},
                                         {50, 99, 150, 4},
                                         {100, 249, 190, 8},
                                         {250, 499, 130, 12},
                                         {500, 999, 100, 14},
                                         {1000, 4999, 80, 16},
                                         {5000, 40000, 30, 16}}};

const std::array<const char*, 40> kFirstNames = {
    "anna",  "ben",  "carla", "david",  "elena",  "felix", "grace",   "hannah", "ivan",   "julia",
    "karim", "lena", "marco", "nina",   "oliver", "paula", "quentin", "rosa",   "stefan", "tara",
    "umar",  "vera", "wei",   "xavier", "yusuf",  "zoe",   "jan",     "maria",  "thomas", "sofia",
    "lukas", "emma", "piotr", "chloe",  "james",  "laura", "mehmet",  "priya",  "diego",  "ines"};
const std::array<const char*, 40> kLastNames = {
    "meyer",  "schmidt", "rossi",     "dubois",   "kowalski", "jansen",  "smith",  "johnson",
    "garcia", "martin",  "weber",     "bauer",    "ferrari",  "moreau",  "nowak",  "devries",
    "brown",  "miller",  "lopez",     "hoffmann", "conti",    "bernard", "wojcik", "bakker",
    "taylor", "wilson",  "hernandez", "fischer",  "ricci",    "laurent", "lewis",  "yilmaz",
    "sharma", "chen",    "silva",     "novak",    "keller",   "huber",   "walsh",  "murphy"};
const std::array<const char*, 24> kCompanyStems = {"Hartmann",
                                                   "Brandt",
                                                   "Lakeside",
                                                   "Northfield",
                                                   "Vogel",
                                                   "Carter",
                                                   "Meridian",
                                                   "Rheintal",
                                                   "Baltic",
                                                   "Summit",
                                                   "Keystone",
                                                   "Alpine",
                                                   "M\u00fcller",
                                                   "Delta",
                                                   "Riverside",
                                                   "Granite",
                                                   "\u0141\u00f3d\u017a",
                                                   "Pioneer",
                                                   "Atlas",
                                                   "Sierra",
                                                   "Westbrook",
                                                   "Orion",
                                                   "Kessler",
                                                   "Bayview"};
const std::array<const char*, 8> kNicknames = {"Blue Line",  "Zum Anker", "Golden Crust",
                                               "Iron Horse", "Red Star",  "Tip-Top",
                                               "Evergreen",  "Old Mill"};

const std::array<const char*, 8> kDecisionTitles = {"Plant Manager",
                                                    "Plant Director",
                                                    "Head of Production",
                                                    "Managing Director",
                                                    "VP Operations",
                                                    "Chief Operating Officer",
                                                    "Owner",
                                                    "Director of Manufacturing"};
const std::array<const char*, 9> kSpecifierTitles = {
    "Maintenance Manager", "Production Engineer",  "Manufacturing Engineer",
    "Process Engineer",    "Maintenance Engineer", "Production Manager",
    "Operations Manager",  "Automation Engineer",  "Reliability Engineer"};
const std::array<const char*, 4> kProcurementTitles = {
    "Purchasing Manager", "Procurement Specialist", "Strategic Buyer", "Head of Procurement"};
const std::array<const char*, 7> kOtherTitles = {
    "Quality Manager", "Marketing Manager", "Sales Representative", "Office Manager",
    "Consultant",      "Business Analyst",  "HSE Coordinator"};
const std::array<const char*, 5> kStudentTitles = {"Student", "Engineering Student", "Intern",
                                                   "Working Student", "Trainee"};
const std::array<const char*, 4> kCompetitorTitles = {"Product Manager", "Application Engineer",
                                                      "Sales Engineer", "Market Analyst"};
const std::array<Competitor, 3> kCompetitors = {
    {{"Kesselwerk Maschinenbau GmbH", "kesselwerk.example", "Germany"},
     {"Tornado Machines, Inc.", "tornado-machines.example", "United States"},
     {"Ferrum Presses S.p.A.", "ferrum-presses.example", "Italy"}}};
const std::array<const char*, 4> kUniversities = {"state-tech.edu", "polytechnic.edu",
                                                  "tu-rheintal.edu", "lakeside-college.edu"};
const std::array<const char*, 6> kFreeMail = {"gmail.com",   "yahoo.com", "hotmail.com",
                                              "outlook.com", "gmx.de",    "web.de"};

}  // namespace leadscore::demo
