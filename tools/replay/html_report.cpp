#include "tools/replay/html_report.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "tools/replay/text_format.h"
#include "tools/replay/text_report.h"

namespace perfectex::replay {
namespace {

constexpr double kWidth = 560;
constexpr double kHeight = 250;
constexpr double kLeft = 66;
constexpr double kRight = 16;
constexpr double kTop = 26;
constexpr double kBottom = 40;
constexpr int kBins = 48;

struct Marker {
  double ms;
  std::string label;
  const char* color;
};

// A logarithmic x axis in milliseconds over [lo, hi].
struct LogAxis {
  double lo;
  double hi;
  double x(double ms) const {
    const double f = (std::log10(ms) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
    return kLeft + std::clamp(f, 0.0, 1.0) * (kWidth - kLeft - kRight);
  }
};

std::string tick_label(double ms) {
  if (ms >= 1000) return strprintf("%gs", ms / 1000);
  return strprintf("%gms", ms);
}

// Frame, decade ticks (1, 2, 5 per decade when few decades are shown) and the axis titles.
std::string axes(const LogAxis& axis, const std::string& title, const std::string& y_title) {
  const double bottom = kHeight - kBottom;
  std::string svg = strprintf(
      "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' class='frame'/>"
      "<text x='%.1f' y='16' class='title'>%s</text>"
      "<text x='12' y='%.1f' class='axis' transform='rotate(-90 12 %.1f)'>%s</text>",
      kLeft, kTop, kWidth - kLeft - kRight, bottom - kTop, kLeft, html_escape(title).c_str(),
      (kTop + bottom) / 2, (kTop + bottom) / 2, y_title.c_str());
  const int first = static_cast<int>(std::floor(std::log10(axis.lo)));
  const int last = static_cast<int>(std::ceil(std::log10(axis.hi)));
  const bool fine = last - first <= 3;
  for (int d = first; d <= last; ++d) {
    for (double m : {1.0, 2.0, 5.0}) {
      if (m != 1.0 && !fine) continue;
      const double v = m * std::pow(10.0, d);
      if (v < axis.lo * 0.999 || v > axis.hi * 1.001) continue;
      const double x = axis.x(v);
      svg += strprintf("<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' class='grid'/>", x, kTop, x,
                       bottom);
      svg += strprintf("<text x='%.1f' y='%.1f' class='tick' text-anchor='middle'>%s</text>", x,
                       bottom + 14, tick_label(v).c_str());
    }
  }
  svg += strprintf(
      "<text x='%.1f' y='%.1f' class='axis' text-anchor='middle'>latency (log scale)</text>",
      (kLeft + kWidth - kRight) / 2, kHeight - 6);
  return svg;
}

std::string markers_svg(const LogAxis& axis, const std::vector<Marker>& markers) {
  std::string svg;
  double label_y = kTop + 12;
  for (const Marker& m : markers) {
    if (m.ms < axis.lo || m.ms > axis.hi) continue;
    const double x = axis.x(m.ms);
    svg += strprintf("<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='%s' class='marker'/>",
                     x, kTop, x, kHeight - kBottom, m.color);
    // Labels near the right edge go on the left of their line.
    const bool left = x > kWidth * 0.75;
    svg += strprintf("<text x='%.1f' y='%.1f' fill='%s' class='tick' text-anchor='%s'>%s</text>",
                     left ? x - 3 : x + 3, label_y, m.color, left ? "end" : "start",
                     html_escape(m.label).c_str());
    label_y += 12;
  }
  return svg;
}

std::string open_svg() {
  return strprintf(
      "<svg xmlns='http://www.w3.org/2000/svg' width='%.0f' height='%.0f' viewBox='0 0 %.0f %.0f'>",
      kWidth, kHeight, kWidth, kHeight);
}

std::string histogram_svg(const std::vector<double>& sorted_ms, const LogAxis& axis,
                          const std::vector<Marker>& markers) {
  std::vector<std::size_t> bins(kBins, 0);
  const double span = std::log10(axis.hi) - std::log10(axis.lo);
  for (double v : sorted_ms) {
    const double f = (std::log10(std::max(v, axis.lo)) - std::log10(axis.lo)) / span;
    ++bins[static_cast<std::size_t>(std::clamp(static_cast<int>(f * kBins), 0, kBins - 1))];
  }
  const std::size_t peak = *std::max_element(bins.begin(), bins.end());
  std::string svg = open_svg() + axes(axis, "histogram", "events");
  const double plot_w = kWidth - kLeft - kRight;
  const double plot_h = kHeight - kBottom - kTop;
  for (int i = 0; i < kBins; ++i) {
    if (bins[static_cast<std::size_t>(i)] == 0) continue;
    const double h =
        plot_h * static_cast<double>(bins[static_cast<std::size_t>(i)]) / static_cast<double>(peak);
    const double lo_edge = axis.lo * std::pow(10.0, span * i / kBins);
    const double hi_edge = axis.lo * std::pow(10.0, span * (i + 1) / kBins);
    svg += strprintf(
        "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' class='bar'><title>%s - %s: "
        "%zu</title></rect>",
        kLeft + plot_w * i / kBins, kHeight - kBottom - h, std::max(1.0, plot_w / kBins - 1), h,
        tick_label(lo_edge).c_str(), tick_label(hi_edge).c_str(),
        bins[static_cast<std::size_t>(i)]);
  }
  svg += strprintf("<text x='%.1f' y='%.1f' class='tick' text-anchor='end'>%zu</text>", kLeft - 4,
                   kTop + 8, peak);
  svg += markers_svg(axis, markers);
  return svg + "</svg>";
}

// The CDF on a "nines" scale: height is -log10(1 - F), so P90, P99 and P99.9 are evenly spaced and
// the tail, where the budget is decided, gets as much room as the body.
std::string cdf_svg(const std::vector<double>& sorted_ms, const LogAxis& axis,
                    const std::vector<Marker>& markers) {
  std::string svg = open_svg() + axes(axis, "cumulative distribution (nines scale)", "fraction");
  const double plot_h = kHeight - kBottom - kTop;
  const std::size_t n = sorted_ms.size();
  const double top = std::max(1.0, std::log10(static_cast<double>(n)));
  auto y_of = [&](double fraction) {
    const double nines = fraction >= 1 ? top : std::min(top, -std::log10(1 - fraction));
    return kHeight - kBottom - plot_h * nines / top;
  };
  for (auto [fraction, label] : {std::pair{0.5, "P50"},
                                 {0.9, "P90"},
                                 {0.99, "P99"},
                                 {0.999, "P99.9"},
                                 {0.9999, "P99.99"},
                                 {0.99999, "P99.999"}}) {
    if (-std::log10(1 - fraction) > top + 1e-9) break;
    const double y = y_of(fraction);
    svg += strprintf("<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' class='grid'/>", kLeft, y,
                     kWidth - kRight, y);
    svg += strprintf("<text x='%.1f' y='%.1f' class='tick' text-anchor='end'>%s</text>", kLeft - 4,
                     y + 4, label);
  }
  // Points get denser towards the tail (a step proportional to the events left), and the last one,
  // the maximum, is always drawn.
  std::string points;
  for (std::size_t i = 0; i < n; i += std::max<std::size_t>(1, (n - i) / 200)) {
    points += strprintf("%.1f,%.1f ", axis.x(sorted_ms[i]),
                        y_of(static_cast<double>(i + 1) / static_cast<double>(n)));
  }
  points += strprintf("%.1f,%.1f", axis.x(sorted_ms.back()), kTop);
  svg += "<polyline class='cdf' points='" + points + "'/>";
  svg += markers_svg(axis, markers);
  return svg + "</svg>";
}

std::string rss_svg(const std::vector<RssSample>& rss) {
  double lo = 1e300;
  double hi = 0;
  for (const auto& r : rss) {
    lo = std::min(lo, static_cast<double>(r.rss_bytes));
    hi = std::max(hi, static_cast<double>(r.rss_bytes));
  }
  if (hi - lo < 1024 * 1024) {
    lo -= 512 * 1024;
    hi += 512 * 1024;
  }
  const double t_end = std::max(rss.back().t_s, 1e-9);
  const double plot_w = kWidth - kLeft - kRight;
  const double plot_h = kHeight - kBottom - kTop;
  std::string svg = open_svg();
  svg += strprintf(
      "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' class='frame'/>"
      "<text x='%.1f' y='16' class='title'>server RSS after each pass</text>",
      kLeft, kTop, plot_w, plot_h, kLeft);
  svg += strprintf("<text x='%.1f' y='%.1f' class='tick' text-anchor='end'>%s</text>", kLeft - 4,
                   kTop + 8, mb_text(static_cast<std::uint64_t>(hi)).c_str());
  svg +=
      strprintf("<text x='%.1f' y='%.1f' class='tick' text-anchor='end'>%s</text>", kLeft - 4,
                kHeight - kBottom, mb_text(static_cast<std::uint64_t>(std::max(lo, 0.0))).c_str());
  svg += strprintf(
      "<text x='%.1f' y='%.1f' class='axis' text-anchor='middle'>time (0 - %.0f s)</text>",
      (kLeft + kWidth - kRight) / 2, kHeight - 6, t_end);
  std::string points;
  for (const auto& r : rss) {
    points +=
        strprintf("%.1f,%.1f ", kLeft + plot_w * r.t_s / t_end,
                  kHeight - kBottom - plot_h * (static_cast<double>(r.rss_bytes) - lo) / (hi - lo));
  }
  return svg + "<polyline class='cdf' points='" + points + "'/></svg>";
}

constexpr const char* kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse;font-size:13px}
td,th{padding:3px 9px;text-align:right;border-bottom:1px solid #ddd}
td:first-child,th:first-child{text-align:left}
pre{font-size:12px;background:#f6f6f6;padding:10px;overflow:auto}
.charts{display:flex;flex-wrap:wrap;gap:12px}svg{background:#fcfcfc;border:1px solid #e4e4e4}
.frame{fill:none;stroke:#999}.grid{stroke:#e6e6e6}.bar{fill:#4a7bd0}
.cdf{fill:none;stroke:#4a7bd0;stroke-width:2}.marker{stroke-dasharray:4 3;stroke-width:1.5}
.tick{font-size:10px;fill:#555}.axis{font-size:11px;fill:#333}
.title{font-size:12px;font-weight:600;fill:#222}.bad{color:#b00020;font-weight:600}
)";

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string render_html(const RunResult& run, std::optional<double> budget_ms) {
  std::string html =
      "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>perfectex-replay: " +
      html_escape(run.corpus) + "</title><style>" + kStyle + "</style></head><body>\n";
  html += "<h1>perfectex-replay: " + html_escape(run.corpus) + "</h1>\n<p>" +
          html_escape(strprintf("%s, commit %s, pace %s, %u measured pass(es), %llu bytes",
                                run.time.c_str(), run.commit.c_str(), run.pace.c_str(), run.passes,
                                static_cast<unsigned long long>(run.bytes))) +
          "</p>\n<table><tr><th>series</th><th>count</th>";
  for (const auto& p : kReportedPercentiles) html += "<th>" + std::string(p.name) + " ms</th>";
  html += "<th>errors</th><th>lost</th><th>superseded</th></tr>\n";
  for (const auto& name : series_order(run)) {
    const SeriesResult& s = run.series.at(name);
    html += "<tr><td>" + html_escape(series_label(name)) + "</td><td>" +
            std::to_string(s.summary.count) + "</td>";
    for (std::size_t i = 0; i < kReportedPercentiles.size(); ++i) {
      const bool over = budget_ms && name == kEditSeries &&
                        static_cast<double>(s.summary.values[i]) / 1e6 > *budget_ms &&
                        kReportedPercentiles[i].milli_percent >= 99'000 &&
                        kReportedPercentiles[i].milli_percent < 100'000;
      html += std::string(over ? "<td class='bad'>" : "<td>") +
              (s.summary.count ? ms_text(s.summary.values[i]) : "-") + "</td>";
    }
    html += strprintf(
        "<td%s>%llu</td><td%s>%llu</td><td>%llu</td></tr>\n", s.tally.errors ? " class='bad'" : "",
        static_cast<unsigned long long>(s.tally.errors), s.tally.lost ? " class='bad'" : "",
        static_cast<unsigned long long>(s.tally.lost),
        static_cast<unsigned long long>(s.tally.superseded));
  }
  html += "</table>\n";

  for (const auto& name : series_order(run)) {
    const SeriesResult& s = run.series.at(name);
    if (s.tally.samples.size() < 10) continue;  // a few events read better in the table
    std::vector<double> sorted;
    sorted.reserve(s.tally.samples.size());
    for (const Sample& x : s.tally.samples)
      sorted.push_back(static_cast<double>(x.latency_ns) / 1e6);
    std::sort(sorted.begin(), sorted.end());
    LogAxis axis{std::max(sorted.front(), 1e-3), std::max(sorted.back(), 1e-3)};
    if (budget_ms && name == kEditSeries) axis.hi = std::max(axis.hi, *budget_ms);
    if (axis.hi / axis.lo < 4) {
      axis.lo /= 2;
      axis.hi *= 2;
    }
    axis.lo /= 1.15;
    axis.hi *= 1.15;
    std::vector<Marker> markers{
        {s.summary.at("p50") / 1e6, "P50 " + ms_text(s.summary.at("p50")), "#2e7d32"},
        {s.summary.at("p99") / 1e6, "P99 " + ms_text(s.summary.at("p99")), "#ef6c00"},
        {s.summary.at("p99.9") / 1e6, "P99.9 " + ms_text(s.summary.at("p99.9")), "#6a1b9a"}};
    if (budget_ms && name == kEditSeries)
      markers.push_back({*budget_ms, strprintf("budget %g", *budget_ms), "#b00020"});
    html += "<h2>" + html_escape(series_label(name)) +
            strprintf(" (%zu events)</h2>\n<div class='charts'>", sorted.size());
    html += histogram_svg(sorted, axis, markers) + cdf_svg(sorted, axis, markers) + "</div>\n";
  }
  if (run.rss.size() >= 2)
    html += "<h2>memory</h2>\n<div class='charts'>" + rss_svg(run.rss) + "</div>\n";
  html += "<h2>report</h2>\n<pre>" + html_escape(format_table(run)) + "</pre>\n</body></html>\n";
  return html;
}

}  // namespace perfectex::replay
