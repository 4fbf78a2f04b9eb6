// kernels-bench-fixtures: writes the repositories and the project that
// scripts/bench-lock locks against the Hub emulator: REPOS kernel repos
// bench/kNN, each one commit on main and branch v1 holding VARIANTS build
// variants of FILES files (one of them stored through LFS), and
// PROJECT/pyproject.toml depending on every repo at version 1.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "tests/hub/fixture_repo.hpp"

namespace {

// Realistic variant names: torch versions × backends.
std::vector<std::string> variant_names(int count) {
  const char* torch[] = {"torch28", "torch29", "torch210", "torch211", "torch212", "torch213", "torch214", "torch215"};
  const char* backends[] = {"cpu", "cu118", "cu126", "cu128", "cu129", "cu130", "rocm63", "rocm64"};
  std::vector<std::string> out;
  for (const char* t : torch) {
    for (const char* b : backends) {
      if (static_cast<int>(out.size()) == count) return out;
      out.push_back(std::string(t) + "-cxx11-" + b + "-x86_64-linux");
    }
  }
  for (int i = static_cast<int>(out.size()); i < count; ++i) out.push_back("torch-extra" + std::to_string(i));
  return out;
}

std::string repo_name(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "bench/k%02d", i);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"kernels-bench-fixtures: repositories and a project for scripts/bench-lock", "kernels-bench-fixtures"};
  std::string root, project;
  int repos = 32, variants = 40, files = 8;
  app.add_option("--root", root, "Emulator root to write the repositories into")->required();
  app.add_option("--project", project, "Directory to write pyproject.toml into")->required();
  app.add_option("--repos", repos, "Number of repositories (default 32)")->check(CLI::Range(1, 1000));
  app.add_option("--variants", variants, "Build variants per repository (default 40)")->check(CLI::Range(1, 1000));
  app.add_option("--files", files, "Files per variant, one through LFS (default 8)")->check(CLI::Range(1, 1000));
  CLI11_PARSE(app, argc, argv);

  try {
    std::filesystem::create_directories(project);
    std::string pyproject = "[project]\nname = \"bench\"\nversion = \"0.1.0\"\n\n[tool.kernels.dependencies]\n";
    auto names = variant_names(variants);
    for (int r = 0; r < repos; ++r) {
      kernels::hub_emulator::FixtureRepo repo(root, repo_name(r));
      repo.write("README.md", "# " + repo_name(r) + "\n");
      for (const auto& v : names) {
        std::string dir = "build/" + v + "/k" + std::to_string(r) + "/";
        repo.write_lfs(dir + "_ops.abi3.so", "\x7f" "ELF " + repo_name(r) + " " + v);
        for (int f = 1; f < files; ++f) {
          repo.write(dir + "f" + std::to_string(f) + ".py", "# " + repo_name(r) + " " + v + " " + std::to_string(f) + "\n");
        }
      }
      std::string commit = repo.commit("main", "kernel");
      repo.branch("v1", commit);
      pyproject += "\"" + repo_name(r) + "\" = 1\n";
    }
    std::ofstream(project + "/pyproject.toml") << pyproject;
  } catch (const std::exception& e) {
    std::cerr << "kernels-bench-fixtures: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
