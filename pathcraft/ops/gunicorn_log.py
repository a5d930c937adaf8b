"""gunicorn's access log as JSON lines, with secrets out of the path (the same rule as the app's request log:
feedback answer links and invitations carry their token in the path), and never the query string."""

from __future__ import annotations

import datetime as dt
import json

from gunicorn.glogging import Logger

from pathcraft.ops.logging import _safe_path


class JsonLogger(Logger):
    def access(self, resp, req, environ, request_time):
        if not (self.cfg.accesslog or self.cfg.logconfig or self.cfg.logconfig_dict or self.cfg.syslog):
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        line = {
            "timestamp": dt.datetime.now(dt.UTC).isoformat(),
            "event": "access",
            "method": environ.get("REQUEST_METHOD"),
            "path": _safe_path(environ.get("PATH_INFO", "")),
            "status": int(status),
            "ms": round(request_time.total_seconds() * 1000, 1),
            "bytes": getattr(resp, "sent", None),
        }
        self.access_log.info(json.dumps(line))
