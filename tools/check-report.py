#!/usr/bin/env python3
"""Checks the files of `lampctl scenario --report FILE.html` and `--junit FILE.xml` with real
third-party consumers, so that what lampctl writes is what browsers, screen readers and CI
servers read. Run it with the python of tools/report-venv.sh, which pins those consumers.

html [--browser] [--screenshots DIR] FILE...
    Each file must parse as HTML5 with html5lib in strict mode (any parse error fails, with its
    line and column) and meet what a screen reader and a self-contained file need: <html lang>,
    a <title>, <meta charset="utf-8">; every <table> with a <caption> and a <thead> of
    <th scope="col"> cells, each body row led by a <th scope="row">; every inline <svg> with
    role="img" and a <title> (or aria-label); no reference outside the file (URL attributes,
    url(...) and @import in style attributes, SVG attributes and <style>: only #fragment and
    data: URLs), no <script src>, <link rel=stylesheet> or <iframe>.
    --browser also loads each file in headless Chromium (/usr/bin/chromium, one process for all
    files) over the DevTools protocol: a console error, warning or failed assertion, an uncaught
    exception, a browser log error or warning (a CSP violation, a blocked load), or any request
    other than for the file itself or a data: URL fails the file. Chromium gets a proxy and DNS
    that lead nowhere, so such a request never leaves the machine. --screenshots DIR keeps a
    full-page PNG of each file as DIR/<file stem>.png.
    Prints `ok FILE` (and ` screenshot PATH`) or `FAIL FILE: reason` lines.

junit FILE...
    Validates each file against the Jenkins xunit-plugin's JUnit 10 schema (junit-10.xsd, which
    tools/report-venv.sh puts in the venv's share/), reads it back with junitparser, checks that
    each suite's declared tests/failures/errors count its cases, and prints one JSON document of
    what junitparser read. Schema errors and mismatches go to stderr.

Exit 0 when every file passes, 1 when one fails, 2 on a usage or environment error.
"""
import argparse
import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urldefrag
from xml.etree import ElementTree

try:
    import html5lib
    import websocket
    import xmlschema
    from junitparser import Error, Failure, JUnitXml, JUnitXmlError, Skipped
except ImportError as error:
    print(f"check-report.py: {error}: run it with the python that tools/report-venv.sh prints",
          file=sys.stderr)
    sys.exit(2)

CHROMIUM = "/usr/bin/chromium"
TIMEOUT = 20  # seconds for Chromium to start, for a page's load event and for one DevTools call
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox",  # no sandbox: we run as root
    # A container's /dev/shm is often 64 MB: shared memory in /tmp instead; no GPU process.
    "--disable-dev-shm-usage", "--disable-gpu",
    "--remote-debugging-port=0",  # any free port, written to DevToolsActivePort in the profile
    "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
    "--disable-background-networking", "--disable-component-update",
    # Whatever a page requests goes to a closed port on this machine, and no name resolves.
    "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
    "--window-size=1280,800", "--hide-scrollbars", "--force-device-scale-factor=1",
]
MAX_SCREENSHOT_HEIGHT = 10000
SVG = "{http://www.w3.org/2000/svg}"
URL_ATTRIBUTES = {"src", "href", "srcset", "action", "formaction", "poster", "data",
                  "background", "ping", "{http://www.w3.org/1999/xlink}href"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.IGNORECASE)
SRCSET_DESCRIPTOR = re.compile(r",?[0-9.]+[wxh],?")


class EnvironmentProblem(Exception):
    """Chromium or the venv is not as this script needs: exit 2."""


def text(element):
    return "".join(element.itertext()).strip()


def local(tag):
    return tag.rpartition("}")[2]


def css_urls(css):
    return [match[1] or match[3] for match in CSS_URL.findall(css)]


def outside(url):
    url = url.strip()
    return not (url.startswith("#") or url[:5].lower() == "data:")


def parse(path):
    """The html5lib tree of the file (HTML elements without namespace), or None and the error."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        with open(path, "rb") as file:
            return parser.parse(file), None
    except OSError as error:
        return None, f"cannot read: {error.strerror}"
    except html5lib.html5parser.ParseError as error:
        (line, column), _, _ = parser.errors[-1]
        return None, f"html5lib: line {line} column {column}: {error}"


def table_problems(table, label):
    problems = []
    caption = table.find("caption")
    if caption is None or not text(caption):
        problems.append(f"{label} has no <caption>")
    thead = table.find("thead")
    head = [] if thead is None else [cell for row in thead.findall("tr") for cell in row
                                     if cell.tag in ("th", "td")]
    if not head:
        problems.append(f"{label} has no <thead> with cells")
    elif any(cell.tag != "th" or cell.get("scope") != "col" for cell in head):
        problems.append(f'{label}: a <thead> cell is not <th scope="col">')
    rows = [row for body in table.findall("tbody") for row in body.findall("tr")]
    for number, row in enumerate(rows, 1):
        cells = [cell for cell in row if cell.tag in ("th", "td")]
        if not cells or cells[0].tag != "th" or cells[0].get("scope") != "row":
            problems.append(f'{label}: body row {number} does not start with <th scope="row">')
            break
    return problems


def static_problems(root):
    problems = []
    if not root.get("lang", "").strip():
        problems.append("<html> has no lang")
    title = root.find("head/title")
    if title is None or not text(title):
        problems.append("no <title>, or an empty one")
    if not any(meta.get("charset", "").strip().lower() == "utf-8" for meta in root.iter("meta")):
        problems.append('no <meta charset="utf-8">')
    for number, table in enumerate(root.iter("table"), 1):
        problems += table_problems(table, f"table {number}")
    svgs = list(root.iter(SVG + "svg"))
    nested = {inner for svg in svgs for inner in svg.iter(SVG + "svg") if inner is not svg}
    for number, svg in enumerate((svg for svg in svgs if svg not in nested), 1):
        if svg.get("role") != "img":
            problems.append(f'svg {number} has no role="img"')
        title = svg.find(SVG + "title")
        if (title is None or not text(title)) and not svg.get("aria-label", "").strip():
            problems.append(f"svg {number} has neither a <title> nor an aria-label")
    for element in root.iter():
        if not isinstance(element.tag, str):  # a comment
            continue
        tag = local(element.tag)
        if tag == "script" and element.get("src") is not None:
            problems.append("<script src> (scripts must be inline)")
        if tag == "link" and "stylesheet" in element.get("rel", "").lower().split():
            problems.append("<link rel=stylesheet> (styles must be inline)")
        if tag == "iframe":
            problems.append("<iframe>")
        for name, value in element.attrib.items():
            urls = []
            if name in URL_ATTRIBUTES:
                urls = ([token.strip(",") for token in value.split()
                         if not SRCSET_DESCRIPTOR.fullmatch(token)]
                        if name == "srcset" else [value])
            elif name == "style" or element.tag.startswith(SVG):
                urls = css_urls(value)
            problems += [f'<{tag} {local(name)}="{url}"> refers outside the file'
                         for url in urls if outside(url)]
        if tag == "style":
            problems += [f"<style> url {url} refers outside the file"
                         for url in css_urls(element.text or "") if outside(url)]
    return problems


class Chromium:
    """One headless Chromium, driven over the DevTools protocol (flattened sessions on the
    browser's WebSocket); a context manager that kills it and removes its files."""

    def __enter__(self):
        if not Path(CHROMIUM).is_file():
            raise EnvironmentProblem(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
        # Its profile, its log and its TMPDIR (where it leaves folders when killed).
        self.folder = Path(tempfile.mkdtemp(prefix="check-report-chromium-"))
        self.process = None
        try:
            with open(self.folder / "chromium.log", "w") as log:
                self.process = subprocess.Popen(
                    [CHROMIUM, f"--user-data-dir={self.folder / 'profile'}", *CHROMIUM_FLAGS,
                     "about:blank"], env={**os.environ, "TMPDIR": str(self.folder)},
                    stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
            self.socket = websocket.create_connection(self.devtools_url(), timeout=TIMEOUT,
                                                      suppress_origin=True)
        except BaseException:
            self.__exit__()
            raise
        self.events, self.last_id = [], 0
        return self

    def devtools_url(self):
        port_file = self.folder / "profile" / "DevToolsActivePort"
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline and self.process.poll() is None:
            lines = port_file.read_text().split() if port_file.exists() else []
            if len(lines) == 2:
                return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
            time.sleep(0.05)
        log = (self.folder / "chromium.log").read_text().strip().splitlines()
        raise EnvironmentProblem(f"Chromium did not start its DevTools server in {TIMEOUT} s: "
                                 + " | ".join(log[-3:]))

    def __exit__(self, *_):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:  # with Ctrl-C and SIGTERM held back, so that a second one leaves nothing behind
            if self.process:
                try:  # Chromium and its helpers: the process group it leads
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait()
            shutil.rmtree(self.folder, ignore_errors=True)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})

    def receive(self):
        message = json.loads(self.socket.recv())
        if "method" in message:
            self.events.append(message)
        return message

    def call(self, method, session=None, **params):
        self.last_id += 1
        request = {"id": self.last_id, "method": method, "params": params}
        if session:
            request["sessionId"] = session
        self.socket.send(json.dumps(request))
        while True:
            reply = self.receive()
            if reply.get("id") == self.last_id:
                if "error" in reply:
                    raise EnvironmentProblem(f"DevTools {method}: {reply['error']['message']}")
                return reply["result"]

    def wait_for(self, session, method):
        """True once the session has had the event, False after TIMEOUT seconds."""
        deadline = time.monotonic() + TIMEOUT
        try:
            while not any(event["method"] == method and event.get("sessionId") == session
                          for event in self.events):
                self.socket.settimeout(max(deadline - time.monotonic(), 0.001))
                self.receive()
            return True
        except websocket.WebSocketTimeoutException:
            return False
        finally:
            self.socket.settimeout(TIMEOUT)

    def problems(self, path, screenshot):
        """What goes wrong when Chromium loads the file; saves its screenshot if asked."""
        url = path.resolve().as_uri()
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        problems = []
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.call(f"{domain}.enable", session)
        navigation = self.call("Page.navigate", session, url=url)
        if "errorText" in navigation:
            problems.append(f"navigation failed: {navigation['errorText']}")
        elif not self.wait_for(session, "Page.loadEventFired"):
            problems.append(f"no load event in {TIMEOUT} s")
        elif screenshot:
            size = self.call("Page.getLayoutMetrics", session)["cssContentSize"]
            clip = {"x": 0, "y": 0, "width": size["width"], "scale": 1,
                    "height": min(size["height"], MAX_SCREENSHOT_HEIGHT)}
            png = self.call("Page.captureScreenshot", session, format="png", clip=clip,
                            captureBeyondViewport=True)["data"]
            screenshot.write_bytes(base64.b64decode(png))
        problems += [problem for event in self.events if event.get("sessionId") == session
                     if (problem := describe(event, url))]
        self.call("Target.closeTarget", targetId=target)
        self.events = []
        return problems


def describe(event, url):
    """The problem that a DevTools event shows, or None."""
    params = event["params"]
    match event["method"]:
        case "Runtime.consoleAPICalled" if params["type"] in ("error", "warning", "assert"):
            words = [str(arg.get("value", arg.get("description", ""))) for arg in params["args"]]
            return f"console.{params['type']}: {' '.join(words)}"
        case "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            thrown = details.get("exception", {}).get("description", details["text"])
            return f"uncaught exception at line {details['lineNumber'] + 1}: {thrown}"
        case "Log.entryAdded" if params["entry"]["level"] in ("error", "warning"):
            entry = params["entry"]
            where = f" ({entry['url']})" if entry.get("url") else ""
            return f"browser {entry['source']} {entry['level']}: {entry['text'].strip()}{where}"
        case "Network.requestWillBeSent":
            requested = params["request"]["url"]
            if urldefrag(requested).url != url and not requested.startswith("data:"):
                return f"requests {requested}"
    return None


def check_html(paths, browser, screenshots):
    if screenshots:
        screenshots.mkdir(parents=True, exist_ok=True)
    results = {}
    for path in paths:
        root, error = parse(path)
        results[path] = [error] if error else static_problems(root)
    shots = {}
    if browser:
        with Chromium() as chromium:
            for path in paths:
                shots[path] = screenshots / f"{path.stem}.png" if screenshots else None
                results[path] += chromium.problems(path, shots[path])
    for path, problems in results.items():
        if problems:
            print("\n".join(f"FAIL {path}: {problem}" for problem in problems))
        else:
            print(f"ok {path}" + (f" screenshot {shots[path]}" if shots.get(path) else ""))
    return 1 if any(results.values()) else 0


def suite_json(suite, path):
    """The suite as junitparser reads it, and whether its declared counts match its cases."""
    declared = {"tests": suite.tests, "failures": suite.failures, "errors": suite.errors}
    cases = []
    for case in suite:
        result = case.result[0] if case.result else None
        kind = {Failure: "failure", Error: "error", Skipped: "skipped"}.get(type(result), "passed")
        cases.append({"name": case.name, "classname": case.classname, "result": kind,
                      "message": result.message if result is not None else None,
                      "text": result.text if result is not None else None,
                      "system_out": case.system_out})
    counted = {"tests": len(cases),
               "failures": sum(case["result"] == "failure" for case in cases),
               "errors": sum(case["result"] == "error" for case in cases)}
    if declared != counted:
        wrong = ", ".join(f"{name} {declared[name]} (its cases make {counted[name]})"
                          for name in declared if declared[name] != counted[name])
        print(f"{path}: suite {suite.name!r} declares {wrong}", file=sys.stderr)
    properties = {prop.name: prop.value for prop in suite.properties()}
    return ({"name": suite.name, **declared, "properties": properties, "cases": cases},
            declared == counted)


def check_junit(paths):
    xsd = Path(sys.prefix, "share", "junit-10.xsd")
    if not xsd.is_file():
        raise EnvironmentProblem(f"no {xsd}: run with the python that tools/report-venv.sh prints")
    schema = xmlschema.XMLSchema(str(xsd))
    ok, files = True, []
    for path in paths:
        try:
            for error in schema.iter_errors(str(path)):
                print(f"{path}: schema: {error.path}: {error.reason}", file=sys.stderr)
                ok = False
            junit = JUnitXml.fromfile(str(path))
        except (OSError, ElementTree.ParseError, xmlschema.XMLResourceError, JUnitXmlError) as error:
            print(f"{path}: cannot read: {error}", file=sys.stderr)
            ok = False
            continue
        suites = []
        for suite in junit:
            try:
                read, matches = suite_json(suite, path)
            except ValueError as error:  # a count that is not an integer
                print(f"{path}: suite {suite.name!r}: {error}", file=sys.stderr)
                ok = False
                continue
            suites.append(read)
            ok &= matches
        files.append({"path": str(path), "suites": suites})
    print(json.dumps({"files": files}, indent=2, ensure_ascii=False))
    return 0 if ok else 1


def main():
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = arguments.add_subparsers(dest="command", required=True)
    html = commands.add_parser("html", help="check HTML reports")
    html.add_argument("--browser", action="store_true", help="also load them in Chromium")
    html.add_argument("--screenshots", type=Path, metavar="DIR",
                      help="with --browser, save full-page screenshots here")
    html.add_argument("files", nargs="+", type=Path, metavar="FILE")
    junit = commands.add_parser("junit", help="check JUnit XML files")
    junit.add_argument("files", nargs="+", type=Path, metavar="FILE")
    options = arguments.parse_args()
    if options.command == "html" and options.screenshots and not options.browser:
        arguments.error("--screenshots needs --browser")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that Chromium is cleaned up
    try:
        if options.command == "html":
            return check_html(options.files, options.browser, options.screenshots)
        return check_junit(options.files)
    except (EnvironmentProblem, OSError, websocket.WebSocketException) as error:
        print(f"check-report.py: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
