"""Running wrk against one address, and reading its report."""

import math
import re
import shutil
import subprocess
from dataclasses import dataclass

UNITS_IN_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
# wrk counts a request slower than this as a timeout and leaves it out of the latencies: far above
# any page's time, so that a slow page shows as slow rather than as errors.
TIMEOUT = "30s"


class WrkMissing(RuntimeError):
    pass


@dataclass
class Load:
    threads: int
    connections: int
    seconds: int

    def describe(self) -> str:
        return f"wrk -t{self.threads} -c{self.connections} -d{self.seconds}s --latency"


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    # Socket errors and responses other than 2xx or 3xx, as wrk words them; "" when none.
    errors: str


def wrk_path() -> str:
    path = shutil.which("wrk")
    if not path:
        raise WrkMissing("wrk is not installed: apt-get install wrk (Debian, Ubuntu) or brew install wrk.")
    return path


def run_wrk(url: str, headers: dict[str, str], load: Load) -> WrkResult:
    command = [
        wrk_path(),
        f"-t{load.threads}",
        f"-c{load.connections}",
        f"-d{load.seconds}s",
        f"--timeout={TIMEOUT}",
        "--latency",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    finished = subprocess.run(  # noqa: S603  # wrk, with our own arguments
        [*command, url], capture_output=True, text=True, timeout=load.seconds + 120, check=False
    )
    if finished.returncode != 0:
        raise RuntimeError(f"wrk failed on {url}: {finished.stderr or finished.stdout}")
    return parse_wrk(finished.stdout)


def parse_wrk(report: str) -> WrkResult:
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", report, re.MULTILINE)
    total = re.search(r"^\s*(\d+) requests in", report, re.MULTILINE)
    if not rate or not total:
        raise ValueError(f"Unexpected wrk report:\n{report}")
    errors = [
        line.strip()
        for line in report.splitlines()
        if line.strip().startswith(("Socket errors:", "Non-2xx or 3xx responses:"))
    ]
    requests = int(total.group(1))
    # With no request completed, wrk still prints latencies, of zero: none are known.
    return WrkResult(
        requests_per_second=float(rate.group(1)),
        p50_ms=_percentile(report, "50") if requests else math.nan,
        p99_ms=_percentile(report, "99") if requests else math.nan,
        requests=requests,
        errors="; ".join(errors),
    )


def _percentile(report: str, percent: str) -> float:
    found = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", report, re.MULTILINE)
    if not found:
        return math.nan
    return float(found.group(1)) * UNITS_IN_MS[found.group(2)]
