#include <catch2/catch.hpp>

#include "lockfile/diff.hpp"

using kernels::lockfile::Change;
using kernels::lockfile::diff_locks;
using kernels::lockfile::Lock;
using kernels::lockfile::LockedKernel;
using kernels::lockfile::render_diff;
using kernels::lockfile::VariantLock;

namespace {

const std::string kShaA = "d649efb56fb249ac8f7a57fa1866728ad0c60e52";
const std::string kShaB = "0123456789abcdef0123456789abcdef01234567";
const std::string kShaC = "f609e51b856b3d874b0ae8445913e200f02c1735";

Lock sample() {
  return Lock{{LockedKernel{"kernels-community/relu",
                            kShaA,
                            {VariantLock{"torch-cpu", "sha256-11"}, VariantLock{"torch-cuda", "sha256-22"}}},
               LockedKernel{"kernels-test/versions", kShaC, {VariantLock{"torch-cpu", "sha256-33"}}}}};
}

}  // namespace

TEST_CASE("diff_locks: identical locks give an empty diff and no lines", "[lockfile][diff]") {
  Lock a = sample();
  auto diff = diff_locks(&a, sample());
  CHECK(diff.empty());
  CHECK(render_diff(diff).empty());
}

TEST_CASE("diff_locks: a moved commit with added, removed and changed variants", "[lockfile][diff]") {
  Lock before = sample();
  Lock after = sample();
  after.kernels[0].sha = kShaB;
  after.kernels[0].variants = {VariantLock{"torch-cuda", "sha256-2f"}, VariantLock{"torch-rocm", "sha256-44"}};
  auto diff = diff_locks(&before, after);
  REQUIRE(diff.kernels.size() == 1);
  const auto& k = diff.kernels[0];
  CHECK(k.change == Change::Modified);
  CHECK(k.old_sha == kShaA);
  CHECK(k.new_sha == kShaB);
  REQUIRE(k.variants.size() == 3);
  CHECK(k.variants[0].change == Change::Modified);
  CHECK(k.variants[1].change == Change::Added);
  CHECK(k.variants[2].change == Change::Removed);
  CHECK(render_diff(diff) == std::vector<std::string>{
                                 "~ kernels-community/relu: commit " + kShaA + " -> " + kShaB,
                                 "    ~ torch-cuda: sha256-22 -> sha256-2f",
                                 "    + torch-rocm: sha256-44",
                                 "    - torch-cpu: sha256-11",
                             });
}

TEST_CASE("diff_locks: added and removed kernels, and a missing old lock", "[lockfile][diff]") {
  Lock before = sample();
  Lock after{{before.kernels[1], LockedKernel{"new/kernel", kShaB, {}}}};
  auto diff = diff_locks(&before, after);
  CHECK(render_diff(diff) == std::vector<std::string>{
                                 "+ new/kernel: new, at commit " + kShaB,
                                 "- kernels-community/relu: no longer a dependency (was at commit " + kShaA + ")",
                             });
  CHECK_FALSE(diff.kernels_reordered);

  auto fresh = diff_locks(nullptr, after);
  CHECK(fresh.old_missing);
  CHECK_FALSE(fresh.empty());
  CHECK(render_diff(fresh) == std::vector<std::string>{
                                  "no kernels.lock yet",
                                  "+ kernels-test/versions: new, at commit " + kShaC,
                                  "+ new/kernel: new, at commit " + kShaB,
                              });
}

TEST_CASE("diff_locks: same commit, variant hash or hash_type changed", "[lockfile][diff]") {
  Lock before = sample();
  Lock after = sample();
  after.kernels[1].variants[0].hash_type = "something_else";
  CHECK(render_diff(diff_locks(&before, after)) ==
        std::vector<std::string>{
            "~ kernels-test/versions: same commit " + kShaC + ", variants differ",
            "    ~ torch-cpu: sha256-33 -> sha256-33 (hash_type something_else)",
        });
}

TEST_CASE("diff_locks: order changes alone are reported", "[lockfile][diff]") {
  Lock before = sample();
  Lock swapped{{before.kernels[1], before.kernels[0]}};
  auto diff = diff_locks(&before, swapped);
  CHECK(diff.kernels.empty());
  CHECK(diff.kernels_reordered);
  CHECK_FALSE(diff.empty());
  CHECK(render_diff(diff) == std::vector<std::string>{"the kernels are listed in another order"});

  Lock variants_swapped = sample();
  std::swap(variants_swapped.kernels[0].variants[0], variants_swapped.kernels[0].variants[1]);
  CHECK(render_diff(diff_locks(&before, variants_swapped)) ==
        std::vector<std::string>{"~ kernels-community/relu: same commit " + kShaA + ", variants differ",
                                 "    variants are listed in another order"});
}

TEST_CASE("diff_locks: a duplicated repo id in the old lock counts as removed", "[lockfile][diff]") {
  Lock before = sample();
  before.kernels.push_back(LockedKernel{"kernels-community/relu", kShaB, {}});
  auto diff = diff_locks(&before, sample());
  CHECK(render_diff(diff) ==
        std::vector<std::string>{"- kernels-community/relu: no longer a dependency (was at commit " + kShaB + ")"});
}
