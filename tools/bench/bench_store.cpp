// Benchmark of the main job: `leadscore score` over a SQLite database, against a bare ordered
// scan of the same events. Not a test: it asserts nothing and prints its figures. Driven by
// tools/bench/bench_store.sh; its three sub-commands are:
//
//   leadscore_bench_store generate DIR LEADS [EVENTS_PER_LEAD=10]
//       writes DIR/leads.csv and DIR/events.csv shaped for rules/examples/b2b_saas.score
//   leadscore_bench_store scan DATABASE [--no-mutex]
//       steps through every event in the order scoring reads them, reading every column,
//       and prints "scan: N rows in S s = R rows/s". With --no-mutex the connection is
//       opened as the engine opens its own (SQLITE_OPEN_NOMUTEX: no lock around each call,
//       about a fifth faster), the stricter floor to compare the engine against.
//   leadscore_bench_store run COMMAND [ARGS...]
//       runs COMMAND and prints "run: S s wall, P MiB peak memory" (from wait4's rusage)
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string iso_time(long long seconds) {
  std::time_t t = std::time_t(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

// Leads like those the B2B example model is written for, and about `per_lead` events each
// over the half year before 2026-06-30 (a fixed seed: every run writes the same files).
int generate(const std::filesystem::path& dir, long leads, int per_lead) {
  std::filesystem::create_directories(dir);
  std::ofstream lead_out(dir / "leads.csv", std::ios::binary);
  std::ofstream event_out(dir / "events.csv", std::ios::binary);
  if (!lead_out || !event_out) {
    std::fprintf(stderr, "cannot write into %s\n", dir.c_str());
    return 2;
  }
  std::mt19937_64 rng(7);
  const char* industries[] = {"software", "financial services", "healthcare", "retail",
                              "energy",   "e-commerce"};
  const char* titles[] = {"VP Engineering", "Marketing Manager", "Student",  "Founder",
                          "Director of IT", "Analyst",           "Team Lead"};
  const char* domains[] = {"gmail.com", "acme.example", "corp.example", "outlook.com",
                           "rivalstack.example"};
  const char* types[] = {"page_view",  "page_view",   "page_view",   "email_open",
                         "email_open", "email_click", "form_submit", "trial_start"};
  const char* urls[] = {"/pricing", "/docs/setup", "/blog/post", "/careers", "/docs/api"};
  const long long end = 1782777600;  // 2026-06-30T00:00:00Z
  const long long span = 180LL * 86400;
  lead_out << "id,employees,industry,job_title,email\n";
  event_out << "id,lead_id,ts,type,url,form\n";
  long long event_id = 0;
  for (long i = 0; i < leads; ++i) {
    lead_out << 'L' << i << ',' << (rng() % 5000) << ',' << industries[rng() % 6] << ','
             << titles[rng() % 7] << ",user" << i << '@' << domains[rng() % 5] << '\n';
    int n = int(rng() % (2 * per_lead + 1));  // mean per_lead
    for (int e = 0; e < n; ++e) {
      const char* type = types[rng() % 8];
      std::string url = type == std::string("page_view") ? urls[rng() % 5] : "";
      std::string form = type == std::string("form_submit") ? (rng() % 2 ? "demo" : "contact") : "";
      event_out << 'E' << event_id++ << ",L" << i << ',' << iso_time(end - (rng() % span)) << ','
                << type << ',' << url << ',' << form << '\n';
    }
  }
  std::printf("generate: %ld leads, %lld events in %s\n", leads, event_id, dir.c_str());
  return 0;
}

// The floor for any scoring pass: the same query order scoring uses, every column read.
int scan(const char* database, bool no_mutex) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READONLY | (no_mutex ? SQLITE_OPEN_NOMUTEX : 0);
  if (sqlite3_open_v2(database, &db, flags, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "cannot open %s\n", database);
    return 2;
  }
  sqlite3_exec(db, "PRAGMA cache_size = -32768", nullptr, nullptr, nullptr);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT lead, ts, seq, type, props, source_key FROM events "
                     "ORDER BY lead, ts, seq",
                     -1, &stmt, nullptr);
  auto start = Clock::now();
  long long rows = 0, checksum = 0;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    checksum += sqlite3_column_int64(stmt, 0) + sqlite3_column_int64(stmt, 1) +
                sqlite3_column_int64(stmt, 2) + sqlite3_column_int64(stmt, 3);
    checksum += sqlite3_column_bytes(stmt, 4) + sqlite3_column_bytes(stmt, 5);
    const void* props = sqlite3_column_blob(stmt, 4);
    const void* key = sqlite3_column_blob(stmt, 5);
    checksum += (props != nullptr) + (key != nullptr);
    ++rows;
  }
  double s = seconds_since(start);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  std::printf("scan: %lld rows in %.3f s = %.0f rows/s (checksum %lld)\n", rows, s, rows / s,
              checksum);
  return 0;
}

int run(char** argv) {
  auto start = Clock::now();
  pid_t child = fork();
  if (child == 0) {
    execvp(argv[0], argv);
    std::perror("exec");
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(child, &status, 0, &usage);
  double s = seconds_since(start);
  std::fprintf(stderr, "run: %.3f s wall, %.1f MiB peak memory, exit %d\n", s,
               double(usage.ru_maxrss) / 1024.0, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string command = argc > 1 ? argv[1] : "";
  if (command == "generate" && argc >= 4)
    return generate(argv[2], std::atol(argv[3]), argc > 4 ? std::atoi(argv[4]) : 10);
  if (command == "scan" && argc == 3) return scan(argv[2], false);
  if (command == "scan" && argc == 4 && std::string(argv[3]) == "--no-mutex")
    return scan(argv[2], true);
  if (command == "run" && argc >= 3) return run(argv + 2);
  std::fprintf(stderr,
               "usage: leadscore_bench_store generate DIR LEADS [EVENTS_PER_LEAD]\n"
               "       leadscore_bench_store scan DATABASE [--no-mutex]\n"
               "       leadscore_bench_store run COMMAND [ARGS...]\n");
  return 2;
}
