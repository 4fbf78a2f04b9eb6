// kernels-bench-fixtures: writes the repositories and the project that
// scripts/bench-lock locks against the Hub emulator: REPOS kernel repos
// bench/kNN, each one commit on main and branch v1 holding VARIANTS build
// variants of FILES files (one of them stored through LFS), and
// PROJECT/pyproject.toml depending on every repo at version 1.
//
// With --download it writes a download benchmark instead: --repos repos
// bench/dlNN (default 4), each one commit on main and v1 with one build
// variant (--variant, default torch210-cxx11-cu128-x86_64-linux) whose files
// total --mib MiB over all repos (default 2048) in --files files (default
// 200): mostly LFS .so files of random bytes, a few small .py files and a
// metadata.json with a correct digest; PROJECT/pyproject.toml depends on
// every repo at version 1.
//
// With --tree N it writes one repository, bench/tree, whose recursive listing
// has exactly N entries (files and folders; scripts/bench-tree uses 1,000,000,
// 1000 pages of the emulator's 1000): README.md, build/ and --variants build
// variants (default 8), each build/<variant>/bench/dNNNN/ folders of up to 999
// files fNNNNNN.py, every 100th file through LFS. One commit on main and v1;
// PROJECT/pyproject.toml depends on it at version 1.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <chrono>
#include <cstdint>

#include "tests/hub/fixture_repo.hpp"
#include "tests/hub/kernel_variant.hpp"

namespace {

using kernels::hub_emulator::FixtureRepo;

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

// Random bytes, fast: splitmix64, eight bytes a step (about a GB/s, so 2 GiB
// take seconds).
void fill_random(std::string& out, std::size_t size, std::uint64_t seed) {
  out.resize(size);
  std::size_t i = 0;
  auto next = [&seed] {
    std::uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  for (; i + 8 <= size; i += 8) {
    std::uint64_t v = next();
    std::memcpy(out.data() + i, &v, 8);
  }
  std::uint64_t v = next();
  std::memcpy(out.data() + i, &v, size - i);
}

struct DownloadSet {
  int repos = 4;
  int files = 200;
  std::uint64_t mib = 2048;
  std::string variant = "torch210-cxx11-cu128-x86_64-linux";
};

// The --download mode (see the top of this file). Returns the pyproject.toml text.
std::string write_download_set(const std::string& root, const DownloadSet& set) {
  namespace hub = kernels::hub_emulator;
  const int per_repo = std::max(3, set.files / set.repos);
  const int py_files = std::max(1, per_repo / 10);  // small .py files
  const int so_files = per_repo - py_files - 1;     // the rest but metadata.json: LFS
  const std::uint64_t total = set.mib * 1024 * 1024;
  const std::uint64_t so_count = static_cast<std::uint64_t>(so_files) * static_cast<std::uint64_t>(set.repos);
  std::string pyproject = "[project]\nname = \"bench-download\"\nversion = \"0.1.0\"\n\n[tool.kernels.dependencies]\n";
  std::string content;
  std::uint64_t written = 0, index = 0;
  for (int r = 0; r < set.repos; ++r) {
    char name[32];
    std::snprintf(name, sizeof name, "bench/dl%02d", r);
    FixtureRepo repo(root, name);
    repo.write("README.md", std::string("# ") + name + "\n");
    const std::string module = "dl" + std::to_string(r);
    const std::string dir = "build/" + set.variant + "/";
    std::map<std::string, std::string> digest;
    for (int f = 0; f < py_files; ++f) {
      std::string rel = module + "/" + (f == 0 ? std::string("__init__") : "part" + std::to_string(f)) + ".py";
      std::string text = "# " + std::string(name) + " " + rel + "\nVALUE = " + std::to_string(f) + "\n";
      repo.write(dir + rel, text);
      digest[rel] = hub::sha256_base64(text);
    }
    for (int f = 0; f < so_files; ++f, ++index) {
      // Spread the bytes evenly; the last file takes the remainder.
      std::uint64_t size = index + 1 == so_count ? total - written : total / so_count;
      written += size;
      fill_random(content, static_cast<std::size_t>(size), 1000003ULL * index + 17);
      std::string rel = module + "/_" + module + "_" + std::to_string(f) + ".abi3.so";
      std::string hex = hub::sha256_hex(content);
      repo.write_lfs(dir + rel, content, hex);
      digest[rel] = hub::hex_to_base64(hex);
    }
    hub::VariantMetadata meta;
    meta.name = module;
    meta.id = "_" + module + "_bench";
    meta.backend = "cuda";
    meta.archs = std::vector<std::string>{"8.0", "9.0"};
    repo.write(dir + "metadata.json", hub::metadata_json(meta, digest));
    std::string commit = repo.commit("main", "download benchmark build");
    repo.branch("v1", commit);
    pyproject += std::string("\"") + name + "\" = 1\n";
  }
  return pyproject;
}

// The --tree mode (see the top of this file). Returns the pyproject.toml text.
std::string write_tree_set(const std::string& root, long entries, int variants) {
  const auto names = variant_names(variants);
  const long fixed = 2 + 2 * static_cast<long>(names.size());  // README.md, build/; each variant and its bench/
  if (entries < fixed + static_cast<long>(names.size()))
    throw std::runtime_error("--tree needs at least " + std::to_string(fixed + static_cast<long>(names.size())) +
                             " entries for " + std::to_string(names.size()) + " variants");
  FixtureRepo repo(root, "bench/tree");
  repo.write("README.md", "# bench/tree\n");
  const long per_variant = (entries - fixed) / static_cast<long>(names.size());
  long extra = (entries - fixed) % static_cast<long>(names.size());
  long file = 0;
  char buf[64];
  for (const auto& v : names) {
    long left = per_variant + (extra-- > 0 ? 1 : 0);  // entries under build/<v>/bench/
    for (int d = 0; left > 0; ++d) {
      if (left == 1) {  // no room for a folder and a file in it (git keeps no empty folders)
        std::snprintf(buf, sizeof buf, "f%06ld.py", file);
        repo.write("build/" + v + "/bench/" + buf, "# bench/tree " + std::to_string(file++) + "\n");
        break;
      }
      --left;  // the folder dNNNN
      std::snprintf(buf, sizeof buf, "d%04d/", d);
      const std::string dir = "build/" + v + "/bench/" + buf;
      for (int f = 0; f < 999 && left > 0; ++f, --left, ++file) {
        std::snprintf(buf, sizeof buf, "f%06ld.py", file);
        const std::string content = "# bench/tree " + std::to_string(file) + "\n";
        if (file % 100 == 99)
          repo.write_lfs(dir + buf,
                         "\x7f"
                         "ELF " +
                             content);
        else repo.write(dir + buf, content);
      }
    }
  }
  repo.branch("v1", repo.commit("main", "a tree of " + std::to_string(entries) + " entries"));
  return "[project]\nname = \"bench-tree\"\nversion = \"0.1.0\"\n\n[tool.kernels.dependencies]\n\"bench/tree\" = 1\n";
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
  app.add_option("--files", files, "Files per variant, one through LFS (default 8; with --download: 200 in all)")
      ->check(CLI::Range(1, 100000));
  bool download = false;
  DownloadSet set;
  app.add_flag(
      "--download", download,
      "Write the download benchmark instead: REPOS repos (default 4) of one variant, --mib MiB in --files files");
  app.add_option("--mib", set.mib, "With --download: MiB over all repositories (default 2048)")
      ->check(CLI::Range(1, 1 << 20));
  app.add_option("--variant", set.variant,
                 "With --download: the variant's name (default torch210-cxx11-cu128-x86_64-linux)");
  long tree_entries = 0;
  app.add_option("--tree", tree_entries,
                 "Write one repository, bench/tree, of exactly N listing entries instead (--variants: default 8)")
      ->check(CLI::Range(1L, 100000000L));
  app.footer(
      "Examples:\n"
      "  kernels-bench-fixtures --root /tmp/hub --project /tmp/proj\n"
      "  kernels-bench-fixtures --tree 1000000 --root /tmp/hub --project /tmp/proj\n"
      "  kernels-bench-fixtures --download --root /tmp/hub --project /tmp/proj --mib 2048");
  CLI11_PARSE(app, argc, argv);

  try {
    std::filesystem::create_directories(project);
    if (tree_entries > 0) {
      auto start = std::chrono::steady_clock::now();
      std::string pyproject = write_tree_set(root, tree_entries, app.count("--variants") != 0 ? variants : 8);
      std::ofstream(project + "/pyproject.toml") << pyproject;
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
      std::cout << "kernels-bench-fixtures: bench/tree of " << tree_entries << " entries written in " << ms << " ms\n";
      return 0;
    }
    if (download) {
      auto start = std::chrono::steady_clock::now();
      if (app.count("--repos") != 0) set.repos = repos;
      if (app.count("--files") != 0) set.files = files;
      if (set.files < 3 * set.repos) throw std::runtime_error("--download needs at least 3 files per repository");
      std::string pyproject = write_download_set(root, set);
      std::ofstream(project + "/pyproject.toml") << pyproject;
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
      std::cout << "kernels-bench-fixtures: " << set.mib << " MiB in " << set.repos << " repositories written in " << ms
                << " ms\n";
      return 0;
    }
    std::string pyproject = "[project]\nname = \"bench\"\nversion = \"0.1.0\"\n\n[tool.kernels.dependencies]\n";
    auto names = variant_names(variants);
    for (int r = 0; r < repos; ++r) {
      kernels::hub_emulator::FixtureRepo repo(root, repo_name(r));
      repo.write("README.md", "# " + repo_name(r) + "\n");
      for (const auto& v : names) {
        std::string dir = "build/" + v + "/k" + std::to_string(r) + "/";
        repo.write_lfs(dir + "_ops.abi3.so",
                       "\x7f"
                       "ELF " +
                           repo_name(r) + " " + v);
        for (int f = 1; f < files; ++f) {
          repo.write(dir + "f" + std::to_string(f) + ".py",
                     "# " + repo_name(r) + " " + v + " " + std::to_string(f) + "\n");
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
