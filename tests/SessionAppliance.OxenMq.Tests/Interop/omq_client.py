"""An oxen-mq-style dialler on libzmq (pyzmq): hand-made frames against our listener, answers printed as JSON.

usage: omq_client.py ADDRESS SERVER_CURVE_KEY_HEX
"""
import json
import sys

import zmq
import zmq.utils.z85

address, server_key = sys.argv[1], bytes.fromhex(sys.argv[2])
public, secret = zmq.curve_keypair()
ctx = zmq.Context()
sock = ctx.socket(zmq.DEALER)
sock.curve_serverkey = zmq.utils.z85.encode(server_key)
sock.curve_publickey = public
sock.curve_secretkey = secret
sock.setsockopt(zmq.ROUTING_ID, b"L" + zmq.utils.z85.decode(public))
sock.setsockopt(zmq.LINGER, 0)
sock.rcvtimeo = 5000
sock.connect(address)


def exchange(frames):
    sock.send_multipart(frames)
    try:
        return [f.hex() for f in sock.recv_multipart()]
    except zmq.Again:
        return None


tag = b"\x01" * 15
results = {
    "key": zmq.utils.z85.decode(public).hex(),
    "hi": exchange([b"HI"]),
    "echo": exchange([b"test.echo", tag, b"one", b"two"]),
    "unknown": exchange([b"nope.x", tag]),
    "sn": exchange([b"sn.ping", tag]),
    "admin": exchange([b"admin.x", tag]),
    "untagged": exchange([b"test.echo"]),
}
print(json.dumps(results))
