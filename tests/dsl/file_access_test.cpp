// Which files a model and a rule test may read (dsl/LANGUAGE.md, "Files a model may read"):
// list files only if regular (no FIFO, no device), within the limits on one file and on all
// lists together, read once per model, and only from inside the model's folder or an allowed
// one; rule-test models only from inside the test run's root. Diagnostics never quote the
// content of such a file.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "leadscore/leadscore.hpp"
#include "leadscore/project.hpp"
#include "tests/support/files.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using leadscore::CompileResult;
using leadscore::Model;
using leadscore::testing::run_command;
using leadscore::testing::TempDir;

namespace {

bool has_code(const CompileResult& r, const std::string& code) {
  return std::any_of(r.diagnostics.begin(), r.diagnostics.end(),
                     [&](const leadscore::Diagnostic& d) { return d.code == code; });
}

std::string all_messages(const CompileResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics) out += leadscore::render(d);
  return out;
}

std::string model_naming(const std::string& list_path, int times = 1) {
  std::string text = "model \"m\"\n";
  for (int i = 0; i < times; ++i) {
    text += "list l" + std::to_string(i) + " = file \"" + list_path + "\"\n";
  }
  text += "fit g {\n";
  for (int i = 0; i < times; ++i) {
    text += "  r" + std::to_string(i) + ": +1 when x in l" + std::to_string(i) + "\n";
  }
  return text + "}\n";
}

const std::string cli = LEADSCORE_CLI;

}  // namespace

TEST_SUITE("file access") {
  TEST_CASE("a list file that is a device or a FIFO is refused, without reading or blocking") {
    TempDir dir;
    fs::create_directory_symlink("/dev", dir.path / "dev");  // inside the folder, by name
    const auto zero = dir.write("zero.score", model_naming("dev/zero"));
    leadscore::CompileOptions options;
    const CompileResult r = Model::compile_file(zero, options);
    CHECK(r.model == nullptr);
    CHECK(has_code(r, "LS110"));  // /dev is outside the model's folder once resolved

    options.file_roots = {"/dev"};
    const CompileResult allowed = Model::compile_file(zero, options);
    CHECK(allowed.model == nullptr);
    CHECK(has_code(allowed, "LS108"));
    CHECK(all_messages(allowed).find("not a regular file") != std::string::npos);

    REQUIRE(::mkfifo((dir.path / "pipe.txt").c_str(), 0600) == 0);
    const auto fifo = dir.write("fifo.score", model_naming("pipe.txt"));
    const CompileResult piped = Model::compile_file(fifo);
    CHECK(piped.model == nullptr);
    CHECK(has_code(piped, "LS108"));

    // A model file that is a FIFO is refused the same way.
    REQUIRE(::mkfifo((dir.path / "model_pipe.score").c_str(), 0600) == 0);
    const CompileResult model_pipe = Model::compile_file(dir.path / "model_pipe.score");
    CHECK(model_pipe.model == nullptr);
    CHECK(has_code(model_pipe, "LS108"));
    const auto check = run_command(cli + " check " + (dir.path / "model_pipe.score").string() +
                                   " 2>&1 </dev/null");
    CHECK(check.exit_code == 2);
  }

  TEST_CASE("the lists of a model are bounded together, and one file is read once") {
    TempDir dir;
    std::string entries;
    for (int i = 0; i < 60'000; ++i) entries += "entry" + std::to_string(i) + "\n";
    dir.write("big.txt", entries);
    // 10 lists x 60 000 entries is within 1 000 000; 20 are not.
    const CompileResult ten =
        Model::compile_file(dir.write("ten.score", model_naming("big.txt", 10)));
    INFO(all_messages(ten));
    CHECK(ten.model != nullptr);
    const CompileResult twenty =
        Model::compile_file(dir.write("twenty.score", model_naming("big.txt", 20)));
    CHECK(twenty.model == nullptr);
    CHECK(has_code(twenty, "LS107"));
    CHECK(all_messages(twenty).find("together") != std::string::npos);

    // A smaller total of bytes is enforced too.
    leadscore::CompileOptions options;
    options.limits.max_list_total_bytes = 1000;
    const CompileResult bytes = Model::compile_file(dir.path / "ten.score", options);
    CHECK(bytes.model == nullptr);
    CHECK(has_code(bytes, "LS107"));
  }

  TEST_CASE("list files resolve inside the model's folder unless another folder is allowed") {
    TempDir dir;
    dir.write("secret/passwords.txt", "hunter2\nhunter2\n");
    dir.write("models/lists/ok.txt", "a\nb\n");
    const auto escape = dir.write("models/escape.score", model_naming("../secret/passwords.txt"));
    const auto absolute = dir.write("models/absolute.score",
                                    model_naming((dir.path / "secret/passwords.txt").string()));
    fs::create_symlink(dir.path / "secret/passwords.txt", dir.path / "models/lists/link.txt");
    const auto linked = dir.write("models/linked.score", model_naming("lists/link.txt"));
    const auto fine = dir.write("models/fine.score", model_naming("lists/ok.txt"));

    leadscore::CompileOptions lint;
    lint.lint = true;
    for (const auto& model : {escape, absolute, linked}) {
      CAPTURE(model);
      const CompileResult r = Model::compile_file(model, lint);
      CHECK(r.model == nullptr);
      CHECK(has_code(r, "LS110"));
      CHECK(all_messages(r).find("hunter2") == std::string::npos);
    }
    CHECK(Model::compile_file(fine, lint).model != nullptr);

    // Allowed: it compiles, and the duplicate (LS015) names lines, never the file's values.
    lint.file_roots = {dir.path / "secret"};
    const CompileResult allowed = Model::compile_file(escape, lint);
    CHECK(allowed.model != nullptr);
    CHECK(has_code(allowed, "LS015"));
    CHECK(all_messages(allowed).find("hunter2") == std::string::npos);
    CHECK(all_messages(allowed).find("line 2 (first on line 1)") != std::string::npos);

    // The command line: refused by default, allowed with --allow-files.
    const auto lint_cli = run_command(cli + " lint --format github " + escape.string() + " 2>&1");
    CHECK(lint_cli.exit_code == 1);
    CHECK(lint_cli.output.find("LS110") != std::string::npos);
    CHECK(lint_cli.output.find("hunter2") == std::string::npos);
    const auto allowed_cli =
        run_command(cli + " check --allow-files " + (dir.path / "secret").string() + " " +
                    escape.string() + " 2>&1");
    CHECK(allowed_cli.exit_code == 0);
  }

  TEST_CASE("rule tests read models inside their project, including a sibling folder") {
    TempDir dir;
    const std::string model = "model \"m\"\nfit g {\n  r: +5 when x = 1\n}\n";
    const std::string test_of =
        "as_of: 2026-01-01\ncases:\n  - name: c\n    lead: {x: 1}\n"
        "    expect: {score: 5}\n";
    // The conformance layout: shared/conformance/*.test.yaml name ../spec/examples/x.score.
    dir.write("shared/spec/examples/x.score", model);
    dir.write("shared/conformance/x.test.yaml", "model: ../spec/examples/x.score\n" + test_of);
    const auto sibling =
        run_command(cli + " test " + (dir.path / "shared/conformance").string() + " 2>&1");
    INFO(sibling.output);
    CHECK(sibling.exit_code == 0);
    CHECK(sibling.output.find("1 passed, 0 failed") != std::string::npos);

    // The attack: a repository (it has .git) whose test names a file outside the checkout.
    dir.write("outside/private.score", model);
    dir.write("repo/.git/HEAD", "ref: refs/heads/main\n");
    dir.write("repo/rules/a.test.yaml", "model: ../../outside/private.score\n" + test_of);
    dir.write("repo/rules/b.test.yaml",
              "model: " + (dir.path / "outside/private.score").string() + "\n" + test_of);
    dir.write("repo/rules/c.test.yaml", "model: /etc/passwd\n" + test_of);
    const auto attack = run_command(cli + " test " + (dir.path / "repo/rules").string() + " 2>&1");
    INFO(attack.output);
    CHECK(attack.exit_code == 1);
    CHECK(attack.output.find("0 passed, 3 failed") != std::string::npos);
    CHECK(attack.output.find("outside the folder") != std::string::npos);
    CHECK(attack.output.find("root:") == std::string::npos);  // nothing of /etc/passwd shown

    // Inside the checkout, a sibling folder is fine; --allow-files opens another folder.
    dir.write("repo/models/m.score", model);
    dir.write("repo/tests/m.test.yaml", "model: ../models/m.score\n" + test_of);
    CHECK(run_command(cli + " test " + (dir.path / "repo/tests").string() + " 2>&1").exit_code ==
          0);
    const auto opened = run_command(cli + " test --allow-files " + (dir.path / "outside").string() +
                                    " " + (dir.path / "repo/rules/a.test.yaml").string() + " 2>&1");
    INFO(opened.output);
    CHECK(opened.exit_code == 0);
  }

  TEST_CASE("a project's allow_files lets its models read list files from other folders") {
    TempDir dir;
    dir.write("lists/industries.txt", "software\nmachinery\n");
    dir.write("project/m.score", model_naming("../lists/industries.txt"));
    const std::string base = "database: leads.db\nmodels: [m.score]\n";
    dir.write("project/leadscore.yaml", base);
    const std::string score =
        "cd " + (dir.path / "project").string() + " && " + cli + " score 2>&1";
    const auto refused = run_command(score);
    INFO(refused.output);
    CHECK(refused.exit_code != 0);
    CHECK(refused.output.find("LS110") != std::string::npos);

    dir.write("project/leadscore.yaml", base + "allow_files: [../lists]\n");
    const auto project = leadscore::load_project(dir.path / "project/leadscore.yaml").project;
    REQUIRE(project);
    REQUIRE(project->allowed_file_roots.size() == 1);
    CHECK(project->allowed_file_roots[0] == (dir.path / "lists").lexically_normal());
    const auto allowed = run_command(score);
    INFO(allowed.output);
    CHECK(allowed.exit_code == 0);
  }
}
