"""The picture of a run: p50 and p99 per operation, ours beside the bare baseline, per scale."""

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no screen here
import matplotlib.pyplot as plt


def draw(summary: dict[str, Any], out: Path) -> None:
    results = summary["results"]
    scales = sorted({r["scale"] for r in results})
    operations = list(dict.fromkeys(r["operation"] for r in results if r["server"] == "ours"))
    series = [(scale, server) for scale in scales for server in ("ours", "bare")]
    series = [s for s in series if any(_find(results, *s, op) for op in operations)]
    figure, axes = plt.subplots(figsize=(11, 5.5))
    width = 0.8 / max(len(series), 1)
    for index, (scale, server) in enumerate(series):
        xs = [i + index * width for i in range(len(operations))]
        found = [_find(results, scale, server, op) for op in operations]
        p50 = [f["p50_ms"] if f else 0 for f in found]
        p99 = [f["p99_ms"] if f else 0 for f in found]
        label = f"{server} {scale:,}"
        bars = axes.bar(xs, p99, width, alpha=0.35, label=f"{label} p99")
        axes.bar(xs, p50, width, color=bars.patches[0].get_facecolor()[:3], label=f"{label} p50")
    axes.set_xticks([i + width * (len(series) - 1) / 2 for i in range(len(operations))])
    axes.set_xticklabels(operations, rotation=20, ha="right")
    axes.set_ylabel("latency, ms (p50 solid, p99 light)")
    axes.set_yscale("log")
    machine = summary["machine"]
    axes.set_title(
        f"make bench, {machine['date'][:10]}: {machine['cpus']} cores, {machine['cpu']}, "
        f"{summary['settings']['connections']} connections",
        fontsize=9,
    )
    axes.legend(fontsize=7, ncol=2)
    figure.tight_layout()
    figure.savefig(out, dpi=110)
    plt.close(figure)


def _find(results: list[dict[str, Any]], scale: int, server: str, operation: str) -> Any:
    for r in results:
        if (r["scale"], r["server"], r["operation"]) == (scale, server, operation):
            return r
    return None
