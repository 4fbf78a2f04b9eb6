#include "sigstore/policy.hpp"

#include "sigstore/certificate.hpp"

namespace kernels::sigstore {

namespace {

constexpr const char* kGitHubIssuer = "https://token.actions.githubusercontent.com";

Error policy_error(std::string m) { return Error{ErrorCode::policy, "identity policy: " + std::move(m)}; }

std::string quoted_list(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", \"" : "\"") + v[i] + "\"";
  return out;
}

}  // namespace

Policy identity_policy(std::string san, std::string issuer) {
  Policy p;
  p.san = std::move(san);
  p.issuer = std::move(issuer);
  return p;
}

Policy kernels_default_policy() {
  Policy p;
  const std::string repo = "https://github.com/huggingface/kernels-community";
  p.rules.push_back({kOidIssuerV1, "OIDC issuer (" + std::string(kOidIssuerV1) + ")", true, {kGitHubIssuer}});
  p.rules.push_back({kOidIssuerV2, "OIDC issuer v2 (" + std::string(kOidIssuerV2) + ")", false, {kGitHubIssuer}});
  p.rules.push_back(
      {kOidSourceRepositoryUri, "source repository URI (" + std::string(kOidSourceRepositoryUri) + ")", false, {repo}});
  ExtensionRule signer{kOidBuildSignerUri, "build signer URI (" + std::string(kOidBuildSignerUri) + ")", false, {}};
  for (const char* wf : {"build", "build-mac", "build-windows", "sign-old-builds"}) {
    signer.allowed.push_back(repo + "/.github/workflows/" + wf + ".yaml@refs/heads/main");
  }
  p.rules.push_back(std::move(signer));
  return p;
}

Policy managed_key_policy(std::string pem) {
  Policy p;
  p.managed_key_pem = std::move(pem);
  return p;
}

Status check_policy(X509* leaf, const Policy& policy) {
  if (policy.san) {
    auto sans = subject_alternative_names(leaf);
    bool found = false;
    for (const auto& s : sans) found = found || s == *policy.san;
    if (!found) {
      return policy_error("the certificate's subject alternative name is " +
                          (sans.empty() ? std::string("empty") : quoted_list(sans)) + ", expected \"" + *policy.san +
                          "\"");
    }
  }
  if (policy.issuer) {
    auto v1 = fulcio_extension(leaf, kOidIssuerV1, true);
    if (!v1.ok()) return policy_error(v1.error().message);
    auto v2 = fulcio_extension(leaf, kOidIssuerV2, false);
    if (!v2.ok()) return policy_error(v2.error().message);
    if (!*v1 && !*v2) {
      return policy_error("the certificate has no OIDC issuer extension (" + std::string(kOidIssuerV1) + " or " +
                          kOidIssuerV2 + "), expected \"" + *policy.issuer + "\"");
    }
    for (const auto& [value, oid] : {std::pair{*v1, kOidIssuerV1}, std::pair{*v2, kOidIssuerV2}}) {
      if (value && *value != *policy.issuer) {
        return policy_error("OIDC issuer (" + std::string(oid) + ") is \"" + *value + "\", expected \"" +
                            *policy.issuer + "\"");
      }
    }
  }
  for (const auto& rule : policy.rules) {
    auto value = fulcio_extension(leaf, rule.oid, rule.raw);
    if (!value.ok()) return policy_error(value.error().message);
    if (!*value) {
      return policy_error("the certificate has no " + rule.name + ", expected " +
                          (rule.allowed.size() == 1 ? "" : "one of ") + quoted_list(rule.allowed));
    }
    bool match = false;
    for (const auto& a : rule.allowed) match = match || **value == a;
    if (!match) {
      return policy_error(rule.name + " is \"" + **value + "\", expected " +
                          (rule.allowed.size() == 1 ? "" : "one of ") + quoted_list(rule.allowed));
    }
  }
  return ok_status();
}

}  // namespace kernels::sigstore
