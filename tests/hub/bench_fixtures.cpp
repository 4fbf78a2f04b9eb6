// kernels-bench-fixtures: writes the repositories and the project that
// scripts/bench-lock locks against the Hub emulator: REPOS kernel repos
// bench/kNN, each one commit on main and branch v1 holding VARIANTS build
// variants of FILES files (one of them stored through LFS), and
// PROJECT/pyproject.toml depending on every repo at version 1.
//
// --download-mib M (for scripts/bench-download) writes instead one repo
// bench/dl with M MiB in --download-files files (default 200) under
// build/torch-universal/, all through LFS but one small regular file per ten,
// contents pseudo-random (incompressible), and a project depending on it.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstring>
#include <cstdint>
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

// Pseudo-random bytes (xorshift), fast enough for gigabytes.
std::string random_bytes(std::size_t size, std::uint64_t seed) {
  std::string out(size, '\0');
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    std::memcpy(&out[i], &x, 8);
  }
  for (; i < size; ++i) out[i] = static_cast<char>(x >> (8 * (i % 8)));
  return out;
}

void write_download_fixture(const std::string& root, const std::string& project, int mib, int files) {
  kernels::hub_emulator::FixtureRepo repo(root, "bench/dl");
  repo.write("README.md", "# bench/dl\n");
  std::uint64_t total = static_cast<std::uint64_t>(mib) << 20;
  int regular = files / 10;
  std::uint64_t each = total / static_cast<std::uint64_t>(files - regular);
  for (int f = 0; f < files; ++f) {
    std::string dir = "build/torch-universal/dl/";
    if (f % 10 == 9) {
      repo.write(dir + "mod" + std::to_string(f) + ".py", "# module " + std::to_string(f) + "\n" +
                                                           std::string(static_cast<std::size_t>(f) * 37, '#') + "\n");
    } else {
      repo.write_lfs(dir + "blob" + std::to_string(f) + ".bin", random_bytes(static_cast<std::size_t>(each), static_cast<std::uint64_t>(f)));
    }
  }
  std::string commit = repo.commit("main", "kernel");
  repo.branch("v1", commit);
  std::filesystem::create_directories(project);
  std::ofstream(project + "/pyproject.toml")
      << "[project]\nname = \"bench\"\nversion = \"0.1.0\"\n\n[tool.kernels.dependencies]\n\"bench/dl\" = 1\n";
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
  int download_mib = 0, download_files = 200;
  app.add_option("--download-mib", download_mib, "Write the scripts/bench-download fixture of this many MiB instead")
      ->check(CLI::Range(1, 65536));
  app.add_option("--download-files", download_files, "Files of the download fixture (default 200)")
      ->check(CLI::Range(2, 100000));
  CLI11_PARSE(app, argc, argv);

  try {
    if (download_mib > 0) {
      write_download_fixture(root, project, download_mib, download_files);
      return 0;
    }
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
