#!/usr/bin/env python3
# Drive headless Chromium over --remote-debugging-pipe (DevTools protocol,
# NUL-separated JSON on fds 3/4; standard library only): load a kvmprof flame
# graph SVG, click a frame with a real mouse event, check the zoom through the
# DOM and save a screenshot.  Usage: cdp-flamegraph.py CHROMIUM SVG FRAME PNG
import base64, json, os, subprocess, sys, tempfile, time

chromium, svg, frame_name, png = sys.argv[1:5]
profile = tempfile.mkdtemp(prefix="kp-chromium-")
to_chrome_r, to_chrome_w = os.pipe()
from_chrome_r, from_chrome_w = os.pipe()


def child_fds():
    # through high numbers first, so that neither end lands on the other's
    # slot; dup2 makes them inheritable (a pipe fd already on 3 is close-on-exec)
    r, w = os.dup(to_chrome_r) + 100, os.dup(from_chrome_w) + 100
    os.dup2(to_chrome_r, r)
    os.dup2(from_chrome_w, w)
    os.dup2(r, 3)
    os.dup2(w, 4)
    os.set_inheritable(3, True)
    os.set_inheritable(4, True)


proc = subprocess.Popen(
    [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
     "--disable-background-networking", "--disable-component-update", "--disable-sync",
     "--user-data-dir=" + profile, "--remote-debugging-pipe", "--window-size=1200,800",
     "about:blank"],
    # no close_fds: it would run after child_fds() and close 3 and 4 again
    close_fds=False, preexec_fn=child_fds,
    stdout=subprocess.DEVNULL, stderr=open(os.path.join(profile, "chromium.log"), "w"))
os.close(to_chrome_r)
os.close(from_chrome_w)
out = os.fdopen(to_chrome_w, "wb", buffering=0)
inp = os.fdopen(from_chrome_r, "rb", buffering=0)
buf = b""
next_id = 0


def send(method, params=None, session=None):
    global next_id, buf
    next_id += 1
    msg = {"id": next_id, "method": method, "params": params or {}}
    if session:
        msg["sessionId"] = session
    out.write(json.dumps(msg).encode() + b"\0")
    deadline = time.time() + 30
    while time.time() < deadline:
        while b"\0" in buf:
            raw, buf = buf.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == next_id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"]))
                return reply["result"]
        chunk = inp.read(65536)
        if not chunk:
            raise RuntimeError("chromium closed the pipe during " + method)
        buf += chunk
    raise RuntimeError("timeout waiting for " + method)


def js(session, expr):
    r = send("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session)
    if "exceptionDetails" in r:
        raise RuntimeError("script failed: %s" % r["exceptionDetails"])
    return r["result"].get("value")


status = 1
try:
    target = send("Target.createTarget", {"url": "file://" + os.path.abspath(svg)})["targetId"]
    session = send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    send("Page.enable", session=session)
    for _ in range(100):
        if js(session, "document.readyState") == "complete" and \
           js(session, "typeof frames !== 'undefined' && frames !== null && frames.length > 0"):
            break
        time.sleep(0.1)
    else:
        raise RuntimeError("the SVG did not load or its script did not run")
    W = js(session, "W")
    find = ("frames.filter(function (g) { return fname(g) === %s; })[0]" % json.dumps(frame_name))
    box = js(session, "(function () { var g = %s; if (!g) return null;"
                      " var r = g.querySelector('rect').getBoundingClientRect();"
                      " return [r.left + r.width / 2, r.top + r.height / 2, r.width]; })()" % find)
    if not box:
        raise RuntimeError("frame %r not in the SVG" % frame_name)
    before = box[2]
    if before >= W - 0.5:
        raise RuntimeError("frame %r is already full width: the click would prove nothing" % frame_name)
    for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
        send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1], "button": "left",
                                          "clickCount": 1}, session)
    time.sleep(0.2)
    state = js(session, "(function () { var g = %s;"
                        " var hidden = frames.filter(function (f) { return f.style.display === 'none'; }).length;"
                        " return { zoomed: zoomed === g, width: +g.querySelector('rect').getAttribute('width'),"
                        " hidden: hidden, reset: document.getElementById('reset').style.opacity }; })()" % find)
    shot = send("Page.captureScreenshot", {"format": "png"}, session)
    with open(png, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    print("before=%.1f after=%.1f W=%.1f hidden=%d reset=%s zoomed=%s" %
          (before, state["width"], W, state["hidden"], state["reset"], state["zoomed"]))
    if not state["zoomed"]:
        raise RuntimeError("the click did not zoom on the frame")
    if abs(state["width"] - W) > 0.5:
        raise RuntimeError("zoomed frame is %.1f wide, want the full %.1f" % (state["width"], W))
    if state["hidden"] < 1:
        raise RuntimeError("no frame outside the zoomed one was hidden")
    if str(state["reset"]) != "1":
        raise RuntimeError("the Reset Zoom button did not light up")
    status = 0
except Exception as e:  # report, then clean up
    print("error: %s" % e, file=sys.stderr)
finally:
    try:
        send("Browser.close")
    except Exception:
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    subprocess.call(["rm", "-rf", profile])
sys.exit(status)
