"""A libzmq ROUTER with CurveZMQ and a ZAP handler, as oxen-mq listens: answers one tagged request from our
dialler and prints what it saw (routing id, ZAP key, frames) as JSON.

usage: omq_server.py PORT_FILE
"""
import json
import sys

import zmq
import zmq.utils.z85

public, secret = zmq.curve_keypair()
ctx = zmq.Context()
zap = ctx.socket(zmq.REP)
zap.bind("inproc://zeromq.zap.01")
router = ctx.socket(zmq.ROUTER)
router.curve_server = True
router.curve_publickey = public
router.curve_secretkey = secret
router.zap_domain = b"i0e"
router.setsockopt(zmq.LINGER, 0)
port = router.bind_to_random_port("tcp://127.0.0.1")
with open(sys.argv[1], "w") as f:
    f.write(f"{port} {zmq.utils.z85.decode(public).hex()}\n")

poller = zmq.Poller()
poller.register(zap, zmq.POLLIN)
poller.register(router, zmq.POLLIN)
seen = {"zap_key": None}
while True:
    events = dict(poller.poll(10000))
    if not events:
        print(json.dumps({"error": "nothing arrived"}))
        break
    if zap in events:
        version, request_id, domain, address, identity, mechanism, key = zap.recv_multipart()
        seen["zap_key"] = key.hex()
        zap.send_multipart([b"1.0", request_id, b"200", b"", key.hex().encode(), b""])
    if router in events:
        frames = router.recv_multipart(copy=False)
        seen["user_id"] = frames[1].get("User-Id")
        parts = [bytes(f) for f in frames]
        seen["routing_id"] = parts[0].hex()
        seen["frames"] = [p.hex() for p in parts[1:]]
        if parts[1] == b"HI":
            router.send_multipart([parts[0], b"HELLO"])
            continue
        router.send_multipart([parts[0], b"REPLY", parts[2], b"pong"])
        print(json.dumps(seen))
        sys.stdout.flush()
        break
