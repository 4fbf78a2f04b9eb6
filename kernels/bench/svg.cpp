#include "kernels/bench/svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <vector>

namespace kernels::gpu {
namespace {

std::string esc(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string bytes_label(double b) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (b >= 1000.0 && u < 4) {
    b /= 1000.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g %s", b, units[u]);
  return buf;
}

const char* kColors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                         "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

}  // namespace

std::string report_svg(const BenchReport& rep) {
  const double W = 960, H = 600, left = 80, right = 230, top = 50, bottom = 60;
  const double pw = W - left - right, ph = H - top - bottom;

  std::map<std::string, std::vector<std::pair<double, double>>> series;  // label -> (bytes, GB/s)
  std::vector<std::string> order;
  double min_b = 0, max_b = 0, max_g = rep.machine.roof_gbps();
  for (const BenchRow& r : rep.rows) {
    if (r.bytes == 0 || r.kernel.median <= 0) continue;
    std::string label = std::string(op_name(r.op)) + " " + std::string(dtype_name(r.dtype));
    if (!series.count(label)) order.push_back(label);
    series[label].emplace_back(double(r.bytes), r.gbps());
    double b = double(r.bytes);
    min_b = min_b == 0 ? b : std::min(min_b, b);
    max_b = std::max(max_b, b);
    max_g = std::max(max_g, r.gbps());
  }
  if (min_b == 0) min_b = 1e3, max_b = 1e9;
  double lx0 = std::floor(std::log10(min_b)), lx1 = std::ceil(std::log10(max_b));
  if (lx1 <= lx0) lx1 = lx0 + 1;
  double ymax = max_g > 0 ? max_g * 1.1 : 100.0;
  auto X = [&](double b) { return left + (std::log10(b) - lx0) / (lx1 - lx0) * pw; };
  auto Y = [&](double g) { return top + ph - g / ymax * ph; };

  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H << "\" viewBox=\"0 0 " << W
    << " " << H << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  o << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  o << "<text x=\"" << left << "\" y=\"28\" font-size=\"16\">kernels bench: " << esc(rep.machine.gpu)
    << " (GB/s against bytes moved per call)</text>\n";
  // Axes and grid.
  for (int e = int(lx0); e <= int(lx1); ++e) {
    double x = X(std::pow(10.0, e));
    o << "<line x1=\"" << num(x) << "\" y1=\"" << top << "\" x2=\"" << num(x) << "\" y2=\"" << top + ph
      << "\" stroke=\"#ddd\"/>\n";
    o << "<text x=\"" << num(x) << "\" y=\"" << top + ph + 18 << "\" text-anchor=\"middle\">"
      << esc(bytes_label(std::pow(10.0, e))) << "</text>\n";
  }
  double step = std::pow(10.0, std::floor(std::log10(ymax / 5)));
  if (ymax / step > 10) step *= 2;
  for (double g = 0; g <= ymax; g += step) {
    o << "<line x1=\"" << left << "\" y1=\"" << num(Y(g)) << "\" x2=\"" << left + pw << "\" y2=\"" << num(Y(g))
      << "\" stroke=\"#ddd\"/>\n";
    o << "<text x=\"" << left - 6 << "\" y=\"" << num(Y(g) + 4) << "\" text-anchor=\"end\">"
      << num(g).substr(0, num(g).size() - 2) << "</text>\n";
  }
  o << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << pw << "\" height=\"" << ph
    << "\" fill=\"none\" stroke=\"black\"/>\n";
  o << "<text x=\"" << left + pw / 2 << "\" y=\"" << H - 18
    << "\" text-anchor=\"middle\">bytes moved per call</text>\n";
  o << "<text transform=\"translate(22," << top + ph / 2 << ") rotate(-90)\" text-anchor=\"middle\">GB/s</text>\n";
  // The roofs: cudaMemcpyAsync, and the best copy kernel when it differs.
  auto roof_line = [&](double gbps, const std::string& label, const char* dash, double dy) {
    double y = Y(gbps);
    o << "<line class=\"roof\" x1=\"" << left << "\" y1=\"" << num(y) << "\" x2=\"" << left + pw << "\" y2=\"" << num(y)
      << "\" stroke=\"black\" stroke-width=\"2\" stroke-dasharray=\"" << dash << "\"/>\n";
    o << "<text x=\"" << left + 6 << "\" y=\"" << num(y + dy) << "\">" << esc(label) << " " << num(gbps)
      << " GB/s</text>\n";
  };
  const Machine& m = rep.machine;
  if (m.copy_gbps > 0) roof_line(m.copy_gbps, "cudaMemcpyAsync", "8 4", m.roof_gbps() > m.copy_gbps ? 16 : -6);
  if (m.roof_gbps() > m.copy_gbps) roof_line(m.roof_gbps(), "roof: " + m.roof_source(), "2 3", -6);
  // One line per series.
  int idx = 0;
  for (const std::string& label : order) {
    auto pts = series[label];
    std::sort(pts.begin(), pts.end());
    const char* color = kColors[idx % 10];
    o << "<polyline class=\"series\" fill=\"none\" stroke=\"" << color << "\" stroke-width=\"1.5\" points=\"";
    for (size_t i = 0; i < pts.size(); ++i) o << (i ? " " : "") << num(X(pts[i].first)) << "," << num(Y(pts[i].second));
    o << "\"><title>" << esc(label) << "</title></polyline>\n";
    for (auto& [b, g] : pts)
      o << "<circle cx=\"" << num(X(b)) << "\" cy=\"" << num(Y(g)) << "\" r=\"2.5\" fill=\"" << color << "\"/>\n";
    double ly = top + 10 + 16 * idx;
    o << "<line x1=\"" << left + pw + 12 << "\" y1=\"" << num(ly) << "\" x2=\"" << left + pw + 32 << "\" y2=\""
      << num(ly) << "\" stroke=\"" << color << "\" stroke-width=\"2\"/>\n";
    o << "<text x=\"" << left + pw + 38 << "\" y=\"" << num(ly + 4) << "\">" << esc(label) << "</text>\n";
    ++idx;
  }
  o << "</svg>\n";
  return o.str();
}

}  // namespace kernels::gpu
