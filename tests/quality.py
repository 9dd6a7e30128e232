"""Page-quality tools for the tests: the W3C Nu HTML checker (vnu), axe-core and Lighthouse.

All three come from package.json, installed into node_modules/ by `make test`
(`npm ci`, with install scripts off: nothing downloads a browser or a Java runtime).
vnu runs on the machine's java, Lighthouse on Debian's Chromium (CHROME_PATH).

    validate_html(html) -> [message]                   one document
    validate_html_batch({name: html}) -> {name: [message]}   one JVM for many documents
    axe_violations(page) -> [violation]                serious and critical only
    horizontal_overflow(page, width=375) -> px         scrollWidth - min(clientWidth, 375)
    lighthouse_report(url) -> dict                     Lighthouse's JSON (its four categories)
    lighthouse_scores(url) -> {"performance": 0..100, "accessibility": …, "best-practices": …, "seo": …}
    failing_audits(report) -> [audit]                  what keeps a category under 100
"""
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SERIOUS = ("serious", "critical")
VNU_TIMEOUT_S = 300
LIGHTHOUSE_TIMEOUT_S = 240
INSTALL_HINT = ("Run `make test`: it installs them (npm ci from package.json; Debian's chromium and "
                "openjdk-17-jre-headless).")


class ToolError(RuntimeError):
    """A checker could not run (not: it found problems)."""


def missing_tools(*tools):
    """What is missing among "java", "vnu", "axe", "node", "lighthouse", "chromium": one sentence each."""
    problems = []
    wanted = set(tools) or {"java", "vnu", "axe", "node", "lighthouse", "chromium"}
    if "java" in wanted and not shutil.which("java"):
        problems.append("java is not on PATH (the Nu HTML checker runs on it; Debian: openjdk-17-jre-headless)")
    if "vnu" in wanted and not VNU_JAR.is_file():
        problems.append(f"{VNU_JAR.relative_to(ROOT)} is missing (npm package vnu-jar)")
    if "axe" in wanted and not AXE_JS.is_file():
        problems.append(f"{AXE_JS.relative_to(ROOT)} is missing (npm package axe-core)")
    if "node" in wanted and not shutil.which("node"):
        problems.append("node is not on PATH (Lighthouse runs on it)")
    if "lighthouse" in wanted and not LIGHTHOUSE.exists():
        problems.append(f"{LIGHTHOUSE.relative_to(ROOT)} is missing (npm package lighthouse)")
    if "chromium" in wanted and not os.access(CHROMIUM, os.X_OK):
        problems.append(f"{CHROMIUM} is missing (Debian package chromium; Lighthouse and Playwright use it)")
    return problems


# --- the Nu HTML checker ------------------------------------------------------------------

def _vnu_message(message):
    where = f"line {message.get('lastLine', message.get('firstLine', '?'))}"
    if "firstColumn" in message or "lastColumn" in message:
        where += f":{message.get('firstColumn', message.get('lastColumn'))}"
    text = f"{where}: {message.get('message', '').strip()}"
    extract = message.get("extract")
    if extract:
        text += f"  [{' '.join(extract.split())}]"
    if message.get("type") != "error":  # non-document-error: the checker itself failed on the file
        text = f"{message.get('type')}: {text}"
    return text


def validate_html_batch(documents):
    """{name: html text} -> {name: [error message]}, in one run of vnu (one JVM start).

    Only errors count (--errors-only): warnings and info are left out. Each message reads
    "line L:C: message  [extract]"."""
    if not documents:
        return {}
    problems = missing_tools("java", "vnu")
    if problems:
        raise ToolError("; ".join(problems) + ". " + INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="vnu-") as folder:
        files = {}
        for index, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"document-{index:03d}.html"
            path.write_text(html, encoding="utf-8")
            files[path.resolve()] = name
        command = ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout",
                   *map(str, files)]
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=VNU_TIMEOUT_S)
        except subprocess.TimeoutExpired as error:
            raise ToolError(f"vnu did not finish in {VNU_TIMEOUT_S} s") from error
        try:
            report = json.loads(run.stdout)
        except json.JSONDecodeError as error:
            raise ToolError(f"vnu exited {run.returncode} without a JSON report: "
                            f"{(run.stdout + run.stderr).strip()[:2000]}") from error
    results = {name: [] for name in documents}
    for message in report.get("messages", []):
        if message.get("type") not in ("error", "non-document-error"):
            continue
        url = message.get("url", "")
        name = files.get(Path(unquote(urlparse(url).path)).resolve()) if url else None
        if name is None:
            raise ToolError(f"vnu reported on a document it was not given ({url!r}): {message}")
        results[name].append(_vnu_message(message))
    return results


def validate_html(html_text):
    """One document's vnu errors (an empty list when it is valid)."""
    return validate_html_batch({"document": html_text})["document"]


# --- axe-core -------------------------------------------------------------------------------

AXE_RUN = """async () => {
    const results = await axe.run(document, {resultTypes: ["violations"]});
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
        nodes: v.nodes.map(n => ({target: n.target, html: n.html, impact: n.impact,
                                  failureSummary: n.failureSummary})),
    }));
}"""


def axe_violations(page, impacts=SERIOUS):
    """axe-core's violations on the page as loaded, those of the given impacts only.

    Each is {"id", "impact", "help", "helpUrl", "tags", "nodes": [{"target", "html", ...}]}."""
    problems = missing_tools("axe")
    if problems:
        raise ToolError("; ".join(problems) + ". " + INSTALL_HINT)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    return [v for v in page.evaluate(AXE_RUN) if v["impact"] in impacts]


def describe_violation(violation):
    """One line per node: "id (impact) target: help"."""
    return [f"{violation['id']} ({violation['impact']}) {' '.join(map(str, node['target']))}: "
            f"{violation['help']} — {' '.join(node['html'].split())[:200]}"
            for node in violation["nodes"]]


# --- horizontal scroll ------------------------------------------------------------------------

PHONE = {"width": 375, "height": 800}

# The screen is `width` CSS pixels wide. A page laid out wider than that (no
# width=device-width viewport: a phone lays it out 980 px wide and zooms it out) counts
# as overflowing too, hence the min() with clientWidth.
OVERFLOW = """(width) => document.documentElement.scrollWidth
    - Math.min(document.documentElement.clientWidth, width)"""

WIDE_ELEMENTS = """([width, limit]) => {
    const screen = Math.min(document.documentElement.clientWidth, width);
    const wide = [];
    for (const element of document.body.querySelectorAll("*")) {
        const box = element.getBoundingClientRect();
        if (box.width && (box.right > screen + 0.5 || box.left < -0.5)) {
            let name = element.tagName.toLowerCase();
            if (element.id) name += "#" + element.id;
            if (element.classList.length) name += "." + [...element.classList].join(".");
            wide.push(`${name} (left ${Math.round(box.left)}, right ${Math.round(box.right)} > ${screen})`);
        }
    }
    return wide.slice(0, limit);
}"""


def horizontal_overflow(page, width=PHONE["width"]):
    """How many CSS pixels the page is wider than a screen `width` px wide (0: no sideways scroll).

    The viewport is set to that width first when it is not (height kept)."""
    size = page.viewport_size or PHONE
    if size["width"] != width:
        page.set_viewport_size({"width": width, "height": size["height"]})
    return page.evaluate(OVERFLOW, width)


def wide_elements(page, width=PHONE["width"], limit=10):
    """The elements that stick out of the screen, to say what makes a page scroll."""
    return page.evaluate(WIDE_ELEMENTS, [width, limit])


# --- Lighthouse ----------------------------------------------------------------------------------

# Lighthouse's own failures to record Chromium's trace, for which its message says
# "Please run Lighthouse again": about the tool, not the page (seen once in a whole
# run on this machine, passing when run again). One more run is made for them.
TRACE_FAILURES = ("NO_NAVSTART", "NO_TRACING_STARTED")


def lighthouse_report(url, categories=LIGHTHOUSE_CATEGORIES):
    """Lighthouse's JSON report of url (its default: a mobile device), on Debian's Chromium."""
    try:
        return _lighthouse_report(url, categories)
    except ToolError as error:
        if not any(code in str(error) for code in TRACE_FAILURES):
            raise
    return _lighthouse_report(url, categories)


def _lighthouse_report(url, categories):
    problems = missing_tools("node", "lighthouse", "chromium")
    if problems:
        raise ToolError("; ".join(problems) + ". " + INSTALL_HINT)
    command = [
        str(LIGHTHOUSE), url,
        f"--only-categories={','.join(categories)}",
        "--output=json", "--output-path=stdout", "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    environment = {**os.environ, "CHROME_PATH": CHROMIUM, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=LIGHTHOUSE_TIMEOUT_S,
                             env=environment, cwd=ROOT)
    except subprocess.TimeoutExpired as error:
        raise ToolError(f"Lighthouse did not finish on {url} in {LIGHTHOUSE_TIMEOUT_S} s") from error
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError as error:
        raise ToolError(f"Lighthouse exited {run.returncode} on {url} without a JSON report: "
                        f"{(run.stderr or run.stdout).strip()[-3000:]}") from error
    runtime_error = report.get("runtimeError")
    if runtime_error and runtime_error.get("code") not in (None, "NO_ERROR"):
        raise ToolError(f"Lighthouse could not audit {url}: {runtime_error.get('code')}: "
                        f"{runtime_error.get('message')}")
    return report


def scores(report, categories=LIGHTHOUSE_CATEGORIES):
    """{category: score out of 100, or None where Lighthouse could not score it}."""
    result = {}
    for category in categories:
        score = report["categories"][category]["score"]
        result[category] = None if score is None else round(score * 100)
    return result


def lighthouse_scores(url):
    """{category: 0..100} for url, the categories of LIGHTHOUSE_CATEGORIES."""
    return scores(lighthouse_report(url))


def _node(item):
    """The page element an audit item points at, if any."""
    for key in ("node", "source", "element"):
        value = item.get(key)
        if isinstance(value, dict) and value.get("type") == "node":
            return value
    return None


def _item(item):
    node = _node(item) if isinstance(item, dict) else None
    if node:
        return f"{node.get('selector', '')}: {' '.join((node.get('snippet') or '').split())[:200]}"
    return json.dumps(item, ensure_ascii=False)[:300]


def failing_audits(report, categories=LIGHTHOUSE_CATEGORIES):
    """The audits that keep the categories under 100: weighted ones that scored under 1,
    or that could not run (scoreDisplayMode "error").

    Each is {"category", "id", "title", "score", "explanation", "items": [short strings]}."""
    failing = []
    for category in categories:
        for reference in report["categories"][category]["auditRefs"]:
            audit = report["audits"][reference["id"]]
            errored = audit.get("scoreDisplayMode") == "error"
            if not errored and (reference.get("weight", 0) == 0 or audit.get("score") is None or audit["score"] >= 1):
                continue
            failing.append({
                "category": category,
                "id": reference["id"],
                "title": audit.get("title", ""),
                "score": audit.get("score"),
                "explanation": audit.get("explanation") or audit.get("errorMessage") or "",
                "items": [_item(item) for item in (audit.get("details") or {}).get("items", [])],
            })
    return failing


def describe_audit(audit):
    text = f"{audit['category']}: {audit['id']} (score {audit['score']}) {audit['title']}"
    if audit["explanation"]:
        text += f" — {audit['explanation']}"
    return "\n".join([text, *(f"    {item}" for item in audit["items"])])
