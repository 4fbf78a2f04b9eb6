#include "cli/download_choice.hpp"

#include "lockfile/metadata.hpp"
#include "util/parallel.hpp"

namespace kernels::cli {

std::vector<variants::Candidate> candidates_with_archs(const hub::HubClient& client, const std::string& repo,
                                                       const std::string& commit, const std::vector<std::string>& names,
                                                       const variants::System& system) {
  std::vector<variants::Candidate> out;
  out.reserve(names.size());
  for (const auto& n : names) out.push_back({n, std::nullopt});
  if (system.gpus.empty() || system.backend.kind != variants::BackendKind::Cuda) return out;
  parallel_for(out.size(), 8, [&](std::size_t i) {
    auto v = variants::parse_variant(out[i].name);
    if (!v.ok() || !variants::is_cuda_variant(*v)) return;
    auto raw = client.download(repo, commit, "build/" + out[i].name + "/metadata.json", lockfile::kMaxMetadataBytes);
    if (!raw.ok()) return;  // no metadata.json: no archs to check
    auto meta = lockfile::parse_metadata(*raw, out[i].name + "/metadata.json");
    if (meta.ok() && meta->backend && meta->backend->archs) out[i].archs = meta->backend->archs;
  });
  return out;
}

Result<std::vector<std::string>> choose_download_variants(const hub::HubClient& client, const std::string& repo,
                                                          const std::string& commit,
                                                          const std::vector<std::string>& names,
                                                          const variants::System& system) {
  auto judged = variants::judge_variants(candidates_with_archs(client, repo, commit, names, system), system);
  if (const auto* p = variants::preferred(judged)) return std::vector<std::string>{p->name};
  std::string trace;
  for (const auto& j : judged) trace += "\n  " + variants::trace_line(j);
  std::string machine = system.cpu + "-" + system.os + ", backend " + system.backend.name() + ", Torch " +
                        (system.torch ? variants::to_string(*system.torch) : std::string("unknown"));
  return Error{ErrorCode::no_variant, "Cannot find a build variant for this system (" + machine + ") among " +
                                          std::to_string(names.size()) + ":" + trace + "\n(kernels variants " + repo +
                                          " --revision " + commit +
                                          " explains; --all-variants downloads every variant)"};
}

}  // namespace kernels::cli
