// The options that stand in for the machine (--torch, --cuda, --capability),
// shared by `kernels variants` and `kernels download`, and the one-paragraph
// description of a probed System both print.
#pragma once

#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>

#include <string>

#include "variants/probe.hpp"

namespace kernels::cli {

void add_system_options(CLI::App* cmd, variants::ProbeOptions& options);

// "x86_64-linux; CUDA driver 13.0; GPU 0 NVIDIA H200 (9.0); Torch 2.11 cxx11 (python3); backend cu130 (torch)"
// as lines "  key: value".
std::string describe_system(const variants::System& s);
nlohmann::ordered_json system_json(const variants::System& s);

// Said when no Torch is known: which variants can still match.
extern const char* const kNoTorchNote;

// Help text for the options, for footers.
extern const char* const kSystemHelp;

}  // namespace kernels::cli
