"""A local OParl server for tests: objects (our own, or the real Karlsruhe papers from
../shared/data/oparl/karlsruhe/ with their URLs rewritten) behind System → Body → paged paper
list, with switchable quirks, and generated PDFs as files."""

from __future__ import annotations

import hashlib
import io
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

KARLSRUHE = "https://web1.karlsruhe.de/oparl/bodies/0001"


def pdf_with(text: str) -> bytes:
    """A one-page text PDF (reportlab), one line per line of `text`."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    pdf.setFont("Helvetica", 11)
    for number, line in enumerate(text.splitlines()[:40]):
        pdf.drawString(60, 780 - 16 * number, line[:95])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


class OParlServer:
    def __init__(self, *, page_size: int = 3) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.body_url = f"{self.base}/oparl/bodies/0001"
        self.papers: list[dict[str, Any]] = []
        self.meetings: dict[str, dict[str, Any]] = {}
        self.files: dict[str, bytes] = {}
        self.page_size = page_size
        self.quirks: set[str] = set()
        self.failures: dict[str, int] = {}  # path prefix -> 5xx answers still to give
        self.requests: list[str] = []
        self.ags: str | None = None
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # --- content -----------------------------------------------------------------------

    def add_paper(self, number: int, name: str, *, modified: str, **extra: Any) -> dict[str, Any]:
        file_name = f"vorlage-{number}.pdf"
        self.files[file_name] = pdf_with(f"Beschlussvorlage {number}\nBetreff: {name}")
        paper = {
            "id": f"{self.body_url}/papers/{number}",
            "type": "https://schema.oparl.org/1.1/Paper",
            "name": name,
            "reference": f"VO/{number}",
            "paperType": "Beschlussvorlage",
            "modified": modified,
            "mainFile": {
                "id": f"{self.base}/oparl/files/{number}",
                "fileName": file_name,
                "mimeType": "application/pdf",
                "downloadUrl": f"{self.base}/files/{file_name}",
            },
        } | extra
        self.papers.append(paper)
        return paper

    def load_karlsruhe(self, shared: Path, *, limit: int) -> int:
        """The first `limit` real papers and all meetings, URLs pointing here."""
        folder = shared / "data" / "oparl" / "karlsruhe"
        local = f"{self.base}/oparl/bodies/0001"
        for path in sorted((folder / "papers").glob("*.json"))[:limit]:
            text = path.read_text(encoding="utf-8").replace(KARLSRUHE, local)
            paper = json.loads(text)
            for file in paper.get("auxiliaryFile") or []:
                name = file.get("fileName") or f"{file['id'].rsplit('/', 1)[-1]}.pdf"
                file["downloadUrl"] = f"{self.base}/files/{name}"
                self.files[name] = pdf_with(f"{paper.get('name')}\n{file.get('name', '')}")
            self.papers.append(paper)
        for path in (folder / "meetings").glob("*.json"):
            meeting = json.loads(path.read_text(encoding="utf-8").replace(KARLSRUHE, local))
            self.meetings[urllib.parse.urlparse(meeting["id"]).path] = meeting
        return len(self.papers)

    def load_spec_paper(self, shared: Path) -> dict[str, Any]:
        """The OParl spec's example Paper (Paper-01.json), its files served here with the
        checksum of what this server sends."""
        spec = json.loads((shared / "data" / "oparl" / "spec" / "Paper-01.json").read_text())
        files = [spec.get("mainFile"), *(spec.get("auxiliaryFile") or [])]
        for file in (f for f in files if isinstance(f, dict)):
            name = file["fileName"]
            self.files[name] = pdf_with(f"{spec['name']}\n{file.get('name', '')}")
            file["downloadUrl"] = f"{self.base}/files/{name}"
            file["sha1Checksum"] = hashlib.sha1(self.files[name]).hexdigest()  # noqa: S324
        self.papers.append(spec)
        return spec

    # --- serving ----------------------------------------------------------------------

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def respond(self, raw_path: str) -> tuple[int, bytes, str]:
        self.requests.append(raw_path)
        parsed = urllib.parse.urlparse(raw_path)
        path = parsed.path
        for prefix, left in list(self.failures.items()):
            if path.startswith(prefix) and left > 0:
                self.failures[prefix] = left - 1
                return 503, b'{"error": "busy"}', "application/json"
        if path.startswith("/files/"):
            data = self.files.get(path.rsplit("/", 1)[-1])
            return (200, data, "application/pdf") if data else (404, b"", "text/plain")
        if path == "/oparl/bodies/0001":
            body: dict[str, Any] = {"id": self.body_url, "name": "Teststadt"}
            if self.ags:
                body["ags"] = self.ags.lstrip("0") if "ags7" in self.quirks else self.ags
            body["paper"] = f"{self.body_url}/papers"
            if "id-mismatch" in self.quirks:
                body["id"] = "https://elsewhere.example/oparl/body/1"
            return self._json(body)
        if path == "/oparl/bodies/0001/papers":
            return self._papers(parsed.query)
        if path in self.meetings:
            return self._json(self.meetings[path])
        return 404, b'{"error": "not found"}', "application/json"

    def _papers(self, query: str) -> tuple[int, bytes, str]:
        if "reject-encoded" in self.quirks and "%3A" in query:
            return 400, b'{"error": "bad date"}', "application/json"
        params = urllib.parse.parse_qs(query)
        since = (params.get("modified_since") or [None])[0]
        page = int((params.get("page") or ["1"])[0])
        chosen = [p for p in self.papers if since is None or str(p.get("modified")) > since]
        if not chosen and since is not None:
            if "empty-802" in self.quirks:
                return 404, b'{"code": 802, "message": "Keine Objekte"}', "application/json"
            if "empty-bare" in self.quirks:
                return self._json([])
        start = (page - 1) * self.page_size
        data = chosen[start : start + self.page_size]
        links = {}
        if start + self.page_size < len(chosen):
            extra = f"&modified_since={urllib.parse.quote(since)}" if since else ""
            links["next"] = f"{self.body_url}/papers?page={page + 1}{extra}"
        body = json.dumps({"data": data, "links": links}, ensure_ascii=False)
        if "control-chars" in self.quirks:
            body = body.replace("Betreff", "Betr\x01eff")  # raw control character in a string
        return 200, body.encode(), "application/json"

    def _json(self, value: Any) -> tuple[int, bytes, str]:
        return 200, json.dumps(value, ensure_ascii=False).encode(), "application/json"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, data, mime = fake.respond(self.path)
                self.send_response(status)
                self.send_header("Content-Type", mime)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler
