"""Local stand-ins for the five platforms' upload APIs, on loopback, for the publishing tests.

Each server implements the endpoints its client uses (as the platform documents them), keeps what
it received (method, path, headers, body sizes, metadata) and counts the posts it published per
caption, so a test can assert "exactly once per platform". Faults can be scripted per request.
"""

import email.parser
import itertools
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

PLATFORMS = ("youtube", "instagram", "tiktok", "facebook", "x")
ACCESS_TOKEN = "access-token-1"


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body_size: int
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class Fault:
    """Answer a matching request with `status` (or, with `hang`, stall past the client's timeout).

    `after_processing`: the request is handled first (the platform did the work) and only the
    answer is lost: that is a timeout after the media was sent.
    """

    method: str
    path_contains: str
    status: int = 503
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)
    hang: float = 0.0
    after_processing: bool = False
    times: int = 1
    when: Any = None  # optional callable(Seen) -> bool


class Request:
    def __init__(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        parts = urlsplit(handler.path)
        self.method = handler.command
        self.path = parts.path
        self.query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        self.headers = {k.lower(): v for k, v in handler.headers.items()}
        self.body = body
        self.fields: dict[str, Any] = {}
        self.files: dict[str, bytes] = {}
        ctype = self.headers.get("content-type", "")
        if ctype.startswith("application/json") and body:
            self.fields = json.loads(body)
        elif ctype.startswith("application/x-www-form-urlencoded"):
            self.fields = {k: v[-1] for k, v in parse_qs(body.decode()).items()}
        elif ctype.startswith("multipart/form-data"):
            message = email.parser.BytesParser().parsebytes(f"Content-Type: {ctype}\r\n\r\n".encode() + body)
            for part in message.get_payload():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                if part.get_param("filename", header="content-disposition") is not None:
                    self.files[name] = payload
                else:
                    self.fields[name] = payload.decode()

    @property
    def bearer(self) -> str:
        value = self.headers.get("authorization", "")
        return value[7:] if value.startswith("Bearer ") else ""


class FakePlatform:
    """One platform's server. Subclasses implement `handle(request) -> (status, body, headers)`."""

    name = ""
    extra_tokens: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.seen: list[Seen] = []
        self.published: Counter[str] = Counter()
        self.faults: list[Fault] = []
        self.tokens = {ACCESS_TOKEN, *self.extra_tokens}
        self.ids = itertools.count(1000)
        self.delay = 0.0  # seconds added to every request carrying media (to be killed mid-upload)
        self.refreshes: list[dict[str, Any]] = []
        platform = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes: without this, Nagle's algorithm and the
            # client's delayed ACK add 40 ms to every answer.
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, payload, headers = platform.dispatch(Request(self, body))
                if status == 0:
                    self.close_connection = True
                    return
                raw = json.dumps(payload).encode() if payload is not None else b""
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_POST = do_PUT = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        with self.lock:
            self.seen.clear()
            self.published.clear()
            self.faults.clear()
            self.refreshes.clear()
            self.tokens = {ACCESS_TOKEN, *self.extra_tokens}
            self.delay = 0.0

    def requests_to(self, path_contains: str, method: str | None = None) -> list[Seen]:
        with self.lock:
            return [s for s in self.seen if path_contains in s.path and (method is None or s.method == method)]

    def dispatch(self, request: Request) -> tuple[int, Any, dict[str, str]]:
        seen = Seen(
            request.method, request.path, request.query, request.headers, len(request.body), dict(request.fields)
        )
        with self.lock:
            self.seen.append(seen)
            fault = next(
                (
                    f
                    for f in self.faults
                    if f.times > 0
                    and f.method == request.method
                    and f.path_contains in request.path
                    and (f.when is None or f.when(seen))
                ),
                None,
            )
            if fault is not None:
                fault.times -= 1
        if (
            request.path.endswith("/token")
            or request.path.endswith("/oauth/token/")
            or "refresh_access_token" in request.path
        ):
            return self.token(request)
        if fault is not None and not fault.after_processing:
            if fault.hang:
                time.sleep(fault.hang)
                return 0, None, {}
            return fault.status, fault.body or {"error": {"message": "scripted failure"}}, fault.headers
        if self.delay and len(request.body) > 1000:
            time.sleep(self.delay)
        with self.lock:
            answer = self.handle(request)
        if fault is not None:  # after processing: the work is done, the answer is lost
            time.sleep(fault.hang or 5)
            return 0, None, {}
        return answer

    def token(self, request: Request) -> tuple[int, Any, dict[str, str]]:
        with self.lock:
            self.refreshes.append(dict(request.fields) | dict(request.query))
            grant = request.fields.get("grant_type") or request.query.get("grant_type")
            if grant not in ("refresh_token", "ig_refresh_token", "fb_exchange_token"):
                return 400, {"error": "invalid_grant"}, {}
            if request.fields.get("refresh_token") == "revoked":
                return 400, {"error": "invalid_grant"}, {}
            fresh = f"fresh-{next(self.ids)}"
            self.tokens.add(fresh)
        return 200, {"access_token": fresh, "expires_in": 3600, "refresh_token": "refresh-2"}, {}

    def unauthorised(self, request: Request) -> bool:
        return request.bearer not in self.tokens

    def handle(self, request: Request) -> tuple[int, Any, dict[str, str]]:
        raise NotImplementedError


YOUTUBE_STATISTICS = {"viewCount": "120", "likeCount": "7"}


class FakeYouTube(FakePlatform):
    name = "youtube"

    def __init__(self) -> None:
        self.sessions: dict[str, dict[str, Any]] = {}
        # The lifetime counters videos.list part=statistics answers (a test may raise them).
        self.statistics = dict(YOUTUBE_STATISTICS)
        super().__init__()

    def reset(self) -> None:
        super().reset()
        with self.lock:
            self.statistics = dict(YOUTUBE_STATISTICS)

    def handle(self, request: Request) -> tuple[int, Any, dict[str, str]]:
        if self.unauthorised(request):
            return 401, {"error": {"code": 401, "message": "Invalid Credentials"}}, {}
        if request.method == "POST" and request.path == "/upload/youtube/v3/videos":
            if request.query.get("uploadType") != "resumable":
                return 400, {"error": {"message": "uploadType"}}, {}
            session = str(next(self.ids))
            self.sessions[session] = {
                "total": int(request.headers["x-upload-content-length"]),
                "received": 0,
                "chunks": [],
                "meta": request.fields,
                "video_id": None,
            }
            return 200, None, {"Location": f"{self.base_url}/upload/session/{session}"}
        if request.method == "PUT" and request.path.startswith("/upload/session/"):
            state = self.sessions.get(request.path.rsplit("/", 1)[1])
            if state is None:
                return 404, {"error": {"message": "session"}}, {}
            spec = request.headers.get("content-range", "")
            if spec.startswith("bytes */"):
                return self._progress(state)
            first, last = (int(n) for n in spec[6:].split("/")[0].split("-"))
            if first != state["received"] or last - first + 1 != len(request.body):
                return self._progress(state)
            state["received"] += len(request.body)
            state["chunks"].append(len(request.body))
            if state["received"] == state["total"]:
                state["video_id"] = f"yt{next(self.ids)}"
                self.published[state["meta"]["snippet"]["description"]] += 1
            return self._progress(state)
        if request.path == "/youtube/v3/videos":
            return 200, {"items": [{"id": request.query.get("id"), "statistics": dict(self.statistics)}]}, {}
        return 404, {"error": {"message": "no route"}}, {}

    @staticmethod
    def _progress(state: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        if state["video_id"]:
            return 200, {"id": state["video_id"], "snippet": state["meta"]["snippet"]}, {}
        headers = {"Range": f"bytes=0-{state['received'] - 1}"} if state["received"] else {}
        return 308, None, headers


class FakeInstagram(FakePlatform):
    name = "instagram"

    def __init__(self) -> None:
        self.containers: dict[str, dict[str, Any]] = {}
        self.media: list[dict[str, str]] = []
        super().__init__()

    def handle(self, request: Request) -> tuple[int, Any, dict[str, str]]:
        if self.unauthorised(request):
            return 401, {"error": {"message": "Invalid OAuth access token.", "code": 190}}, {}
        parts = request.path.strip("/").split("/")
        if request.method == "POST" and parts[-1] == "media":
            if request.fields.get("media_type") != "REELS" or not request.fields.get("video_url"):
                return 400, {"error": {"message": "media_type and video_url are required"}}, {}
            container = f"c{next(self.ids)}"
            self.containers[container] = {
                "caption": request.fields.get("caption", ""),
                "polls": 0,
                "status": "IN_PROGRESS",
            }
            return 200, {"id": container}, {}
        if request.method == "POST" and parts[-1] == "media_publish":
            container = self.containers.get(request.fields.get("creation_id", ""))
            if container is None or container["status"] != "FINISHED":
                return 400, {"error": {"message": "container not ready"}}, {}
            container["status"] = "PUBLISHED"
            media_id = f"ig{next(self.ids)}"
            self.media.insert(0, {"id": media_id, "permalink": f"https://instagram.test/reel/{media_id}"})
            self.published[container["caption"]] += 1
            return 200, {"id": media_id}, {}
        if request.method == "GET" and parts[-1] == "media":
            return 200, {"data": self.media[: int(request.query.get("limit", 25))]}, {}
        if request.method == "GET" and parts[-1] == "insights":
            return (
                200,
                {
                    "data": [
                        {"name": "views", "values": [{"value": 50}]},
                        {"name": "likes", "total_value": {"value": 4}},
                        {"name": "shares", "values": [{"value": 2}]},
                    ]
                },
                {},
            )
        if request.method == "GET" and parts[-1] in self.containers:
            container = self.containers[parts[-1]]
            container["polls"] += 1
            if container["status"] == "IN_PROGRESS" and container["polls"] >= 2:
                container["status"] = "FINISHED"
            return 200, {"status_code": container["status"], "id": parts[-1]}, {}
        if request.method == "GET" and parts[-1].startswith("ig"):
            return 200, {"permalink": f"https://instagram.test/reel/{parts[-1]}"}, {}
        return 404, {"error": {"message": "no route"}}, {}


class FakeTikTok(FakePlatform):
    name = "tiktok"

    def __init__(self) -> None:
        self.posts: dict[str, dict[str, Any]] = {}
        super().__init__()

    def handle(self, request: Request) -> tuple[int, Any, dict[str, str]]:
        if request.path.startswith("/upload/"):
            post = self.posts.get(request.path.rsplit("/", 1)[1])
            if post is None:
                return 404, {"error": {"code": "not_found"}}, {}
            first = int(request.headers["content-range"][6:].split("-")[0])
            if first + len(request.body) == post["received"] and post["status"] == "PROCESSING_UPLOAD":
                return 206, None, {}  # the same chunk again (its answer was lost): already there
            if first != post["received"]:
                return 416, {"error": {"code": "range"}}, {}
            post["received"] += len(request.body)
            post["chunks"].append(len(request.body))
            if post["received"] == post["size"]:
                post["status"] = "PUBLISH_COMPLETE"
                post["post_id"] = f"tt{next(self.ids)}"
                self.published[post["title"]] += 1
                return 201, None, {}
            return 206, None, {}
        if self.unauthorised(request):
            return 401, {"error": {"code": "access_token_invalid", "message": "The access token is invalid."}}, {}
        if request.path == "/v2/post/publish/video/init/":
            source = request.fields["source_info"]
            publish_id = f"p{next(self.ids)}"
            self.posts[publish_id] = {
                "size": source["video_size"],
                "chunk_size": source["chunk_size"],
                "count": source["total_chunk_count"],
                "received": 0,
                "chunks": [],
                "title": request.fields["post_info"]["title"],
                "privacy": request.fields["post_info"]["privacy_level"],
                "status": "PROCESSING_UPLOAD",
            }
            data = {"publish_id": publish_id, "upload_url": f"{self.base_url}/upload/{publish_id}"}
            return 200, {"data": data, "error": {"code": "ok", "message": ""}}, {}
        if request.path == "/v2/post/publish/status/fetch/":
            post = self.posts[request.fields["publish_id"]]
            data = {"status": post["status"]}
            if post.get("post_id"):
                data["publicaly_available_post_id"] = [post["post_id"]]
            return 200, {"data": data, "error": {"code": "ok"}}, {}
        if request.path == "/v2/video/query/":
            video = {"id": "x", "view_count": 900, "like_count": 80, "share_count": 12}
            return 200, {"data": {"videos": [video]}, "error": {"code": "ok"}}, {}
        return 404, {"error": {"code": "not_found"}}, {}


class FakeFacebook(FakePlatform):
    name = "facebook"
    PAGE_TOKEN = "page-token-1"
    extra_tokens = (PAGE_TOKEN,)

    def __init__(self) -> None:
        self.uploads: dict[str, dict[str, Any]] = {}
        self.chunk = 300 * 1024
        super().__init__()

    def handle(self, request: Request) -> tuple[int, Any, dict[str, str]]:
        if self.unauthorised(request):
            return 401, {"error": {"message": "Error validating access token", "code": 190}}, {}
        parts = request.path.strip("/").split("/")
        if parts[-2:] == ["me", "accounts"]:
            return 200, {"data": [{"id": "page1", "name": "Page", "access_token": self.PAGE_TOKEN}]}, {}
        if request.method == "POST" and parts[-1] == "videos":
            if request.bearer != self.PAGE_TOKEN:
                return 403, {"error": {"message": "A Page access token is required"}}, {}
            phase = request.fields.get("upload_phase")
            if phase == "start":
                session, video_id = f"s{next(self.ids)}", f"v{next(self.ids)}"
                size = int(request.fields["file_size"])
                self.uploads[session] = {
                    "size": size,
                    "received": 0,
                    "video_id": video_id,
                    "chunks": [],
                    "finished": False,
                }
                return (
                    200,
                    {
                        "video_id": video_id,
                        "upload_session_id": session,
                        "start_offset": "0",
                        "end_offset": str(min(self.chunk, size)),
                    },
                    {},
                )
            upload = self.uploads[request.fields["upload_session_id"]]
            if phase == "transfer":
                if int(request.fields["start_offset"]) != upload["received"]:
                    # Facebook answers a wrong offset with the offsets it expects next.
                    start = upload["received"]
                    return (
                        200,
                        {"start_offset": str(start), "end_offset": str(min(start + self.chunk, upload["size"]))},
                        {},
                    )
                chunk = request.files["video_file_chunk"]
                upload["received"] += len(chunk)
                upload["chunks"].append(len(chunk))
                start = upload["received"]
                return 200, {"start_offset": str(start), "end_offset": str(min(start + self.chunk, upload["size"]))}, {}
            if phase == "finish":
                if upload["received"] != upload["size"]:
                    return 400, {"error": {"message": "incomplete"}}, {}
                if not upload["finished"]:
                    upload["finished"] = True
                    self.published[request.fields.get("description", "")] += 1
                return 200, {"success": True}, {}
        if request.method == "GET" and parts[-1] == "video_insights":
            return (
                200,
                {
                    "data": [
                        {"name": "total_video_views", "values": [{"value": 300}]},
                        {"name": "total_video_reactions_by_type_total", "values": [{"value": {"like": 9, "love": 1}}]},
                    ]
                },
                {},
            )
        if request.method == "GET":
            upload = next((u for u in self.uploads.values() if u["video_id"] == parts[-1]), None)
            if upload is None:
                return 404, {"error": {"message": "unknown video"}}, {}
            if upload["finished"]:
                status = {
                    "video_status": "processing",
                    "uploading_phase": {"status": "complete"},
                    "publishing_phase": {"status": "not_started"},
                }
            else:
                status = {
                    "video_status": "upload_complete" if False else "uploading",
                    "uploading_phase": {"status": "in_progress"},
                }
            return 200, {"status": status, "permalink_url": f"/page1/videos/{parts[-1]}"}, {}
        return 404, {"error": {"message": "no route"}}, {}


class FakeX(FakePlatform):
    name = "x"

    def __init__(self) -> None:
        self.uploads: dict[str, dict[str, Any]] = {}
        super().__init__()

    def handle(self, request: Request) -> tuple[int, Any, dict[str, str]]:
        if self.unauthorised(request):
            return 401, {"title": "Unauthorized", "detail": "Unauthorized", "status": 401}, {}
        if request.path == "/2/media/upload":
            command = request.fields.get("command") or request.query.get("command")
            if command == "INIT":
                media_id = str(next(self.ids))
                self.uploads[media_id] = {"size": int(request.fields["total_bytes"]), "segments": [], "state": "new"}
                return 200, {"data": {"id": media_id, "media_key": f"7_{media_id}"}}, {}
            upload = self.uploads.get(request.fields.get("media_id") or request.query.get("media_id", ""))
            if upload is None:
                return 400, {"errors": [{"message": "unknown media"}]}, {}
            if command == "APPEND":
                index = int(request.fields["segment_index"])
                if index < len(upload["segments"]):  # X replaces a segment sent again
                    upload["segments"][index] = len(request.files["media"])
                    return 204, None, {}
                if index != len(upload["segments"]):
                    return 400, {"errors": [{"message": "segment out of order"}]}, {}
                upload["segments"].append(len(request.files["media"]))
                return 204, None, {}
            if command == "FINALIZE":
                if sum(upload["segments"]) != upload["size"]:
                    return 400, {"errors": [{"message": "size mismatch"}]}, {}
                upload["state"] = "pending"
                return 200, {"data": {"id": "x", "processing_info": {"state": "pending", "check_after_secs": 1}}}, {}
            if command == "STATUS":
                upload["state"] = "succeeded"
                return 200, {"data": {"processing_info": {"state": "succeeded", "progress_percent": 100}}}, {}
        if request.path == "/2/tweets" and request.method == "POST":
            media_ids = request.fields.get("media", {}).get("media_ids", [])
            if not media_ids or self.uploads.get(media_ids[0], {}).get("state") != "succeeded":
                return 400, {"errors": [{"message": "media not ready"}]}, {}
            self.published[request.fields["text"]] += 1
            return 201, {"data": {"id": f"{next(self.ids)}", "text": request.fields["text"]}}, {}
        if request.path.startswith("/2/tweets/"):
            return (
                200,
                {
                    "data": {
                        "public_metrics": {
                            "impression_count": 70,
                            "like_count": 5,
                            "retweet_count": 1,
                            "quote_count": 1,
                        }
                    }
                },
                {},
            )
        return 404, {"errors": [{"message": "no route"}]}, {}


SERVERS = {
    "youtube": FakeYouTube,
    "instagram": FakeInstagram,
    "tiktok": FakeTikTok,
    "facebook": FakeFacebook,
    "x": FakeX,
}
SETTING = {
    "youtube": "PUBLISHING_YOUTUBE_BASE_URL",
    "instagram": "PUBLISHING_INSTAGRAM_BASE_URL",
    "tiktok": "PUBLISHING_TIKTOK_BASE_URL",
    "facebook": "PUBLISHING_FACEBOOK_BASE_URL",
    "x": "PUBLISHING_X_BASE_URL",
}
PROVIDER = {
    "youtube": "google",
    "instagram": "instagram",
    "tiktok": "tiktok",
    "facebook": "facebook",
    "x": "twitter_oauth2",
}


class FakePlatforms:
    """All five servers; `overrides()` is the settings (or environment) that point the clients at them."""

    def __init__(self) -> None:
        self.servers: dict[str, FakePlatform] = {name: cls() for name, cls in SERVERS.items()}

    def __getitem__(self, name: str) -> FakePlatform:
        return self.servers[name]

    def overrides(self) -> dict[str, Any]:
        values: dict[str, Any] = {SETTING[name]: server.base_url for name, server in self.servers.items()}
        values["PUBLISHING_TOKEN_URLS"] = {
            PROVIDER[name]: f"{server.base_url}/token" for name, server in self.servers.items()
        }
        return values

    def environment(self) -> dict[str, str]:
        values = {key: value for key, value in self.overrides().items() if isinstance(value, str)}
        for name, server in self.servers.items():
            key = {"youtube": "GOOGLE", "x": "X"}.get(name, name.upper())
            values[f"PUBLISHING_{key}_TOKEN_URL"] = f"{server.base_url}/token"
        return values

    def published(self) -> dict[str, Counter[str]]:
        return {name: Counter(server.published) for name, server in self.servers.items()}

    def reset(self) -> None:
        for server in self.servers.values():
            server.reset()

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()
