"""``briefing serve``: a real server process, real Unix socket, real clients (subprocesses)."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys

import pytest

from pipeline.serve.channel import send, socket_path
from tests.conftest import ROOT

LINES = ["台積電今年營收成長3成，達新台幣2兆8000億元。", "鴻海與輝達合作建置AI伺服器工廠。", "", "聯發科股價上漲5%。"]
# Runs the CLI, then says on stderr whether torch was imported: a served translation loads no model.
CLIENT = ("import sys; from pipeline.cli import main; code = main(sys.argv[1:]); "
          "print('TORCH', 'torch' in sys.modules, file=sys.stderr); sys.exit(code)")


def _env() -> dict:
    return dict(os.environ)  # conftest gave this test its own XDG_RUNTIME_DIR, caches and config


def _translate(model, *extra, stdin="\n".join(LINES) + "\n"):
    proc = subprocess.run([sys.executable, "-c", CLIENT, "translate", "--model", str(model), "--json", *extra],
                          input=stdin, capture_output=True, text=True, cwd=ROOT, env=_env(), timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout, proc.stderr


def _start(model, *extra) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--model", str(model), *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=_env())
    line = proc.stderr.readline()  # "serving ... on SOCKET" once warm
    assert "serving" in line, line + proc.stderr.read()
    return proc


@pytest.fixture
def server(tiny_model_dir):
    proc = _start(tiny_model_dir)
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=30)


def test_served_and_local_output_are_byte_identical_and_the_client_loads_no_model(server, tiny_model_dir):
    served, served_err = _translate(tiny_model_dir)
    local, local_err = _translate(tiny_model_dir, "--no-server")
    assert served == local
    assert [json.loads(line)["source"] for line in served.splitlines()] == LINES
    assert any(json.loads(line)["numbers"] for line in served.splitlines())  # figures went through the server too
    assert "TORCH False" in served_err and "TORCH True" in local_err
    assert served_err.splitlines()[0] == local_err.splitlines()[0]  # the same glossary line


def test_other_settings_are_translated_here(server, tiny_model_dir, tmp_path):
    glossary = tmp_path / "g.csv"
    glossary.write_text("source,target\n輝達,Nvidia\n", encoding="utf-8")
    for extra in (["--glossary", str(glossary)], ["--no-numbers"], ["--beam", "2"]):
        out, err = _translate(tiny_model_dir, *extra)
        assert "TORCH True" in err, extra  # not served: the server runs other settings
        assert out == _translate(tiny_model_dir, "--no-server", *extra)[0]


def test_an_edited_glossary_is_another_key(tiny_model_dir, tmp_path):
    from argparse import Namespace

    from pipeline.cli import build_parser
    from pipeline.serve.key import translate_key

    glossary = tmp_path / "g.csv"
    glossary.write_text("source,target\n輝達,Nvidia\n", encoding="utf-8")
    args = build_parser().parse_args(["translate", "--model", str(tiny_model_dir), "--glossary", str(glossary)])
    before = translate_key(args)
    glossary.write_text("source,target\n輝達,NVIDIA\n", encoding="utf-8")
    assert translate_key(args) != before
    assert isinstance(args, Namespace)


def test_the_socket_is_for_this_user_alone(server):
    path = socket_path()
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_server_killed_mid_request_gives_the_client_its_answer_here(server, tiny_model_dir):
    many = "\n".join(LINES[i % len(LINES)] or "空白" for i in range(1500)) + "\n"
    client = subprocess.Popen([sys.executable, "-c", CLIENT, "translate", "--model", str(tiny_model_dir), "--json"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              cwd=ROOT, env=_env())
    import threading

    feeding = threading.Thread(target=lambda: (client.stdin.write(many), client.stdin.close()))
    feeding.start()
    while "translate of 1500" not in (line := server.stderr.readline()):  # the server logs each request it starts
        assert line, "the server ended before the request came"
    server.kill()  # mid-request
    feeding.join()
    client.stdin = None  # fed and closed: communicate only reads
    out, err = client.communicate(timeout=600)
    assert client.returncode == 0, err
    assert "stopped answering" in err and "TORCH True" in err  # it noticed, and translated here
    assert len(out.splitlines()) == 1500
    assert out == _translate(tiny_model_dir, "--no-server", stdin=many)[0]


def test_stop_mid_request_ends_the_server_at_once_and_its_clients_translate_here(server, tiny_model_dir):
    many = "\n".join(LINES[i % len(LINES)] or "空白" for i in range(1500)) + "\n"
    clients = [subprocess.Popen([sys.executable, "-c", CLIENT, "translate", "--model", str(tiny_model_dir), "--json"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=ROOT, env=_env()) for _ in range(2)]  # the second waits its turn
    outputs = {}

    def talk(i, client):
        outputs[i] = client.communicate(many, timeout=600)

    import threading

    talking = [threading.Thread(target=talk, args=(i, c)) for i, c in enumerate(clients)]
    for thread in talking:
        thread.start()
    while "translate of 1500" not in (line := server.stderr.readline()):  # the first request is running
        assert line, "the server ended before the request came"
    stop = subprocess.run([sys.executable, "-m", "pipeline", "serve", "--stop"], capture_output=True, text=True,
                          cwd=ROOT, env=_env(), timeout=60)
    assert stop.returncode == 0, stop.stderr
    assert server.wait(timeout=10) == 0 and not socket_path().exists()  # gone when --stop returns, not after the work
    for thread in talking:
        thread.join()
    local = _translate(tiny_model_dir, "--no-server", stdin=many)[0]
    for i, client in enumerate(clients):
        out, err = outputs[i]
        assert client.returncode == 0, err
        assert "TORCH True" in err and out == local  # translated here, the same English
    # the one being served was told in one line (the other may not have reached the server in time)
    assert any("stopped answering" in err for _, err in outputs.values())


def test_a_server_with_a_memory_uses_it_on_one_thread_and_closes_it_when_stopped(tiny_model_dir, tmp_path):
    """The memory is opened, used and closed by the server's main thread (sqlite refuses a
    connection from another thread), so after `serve --stop` the .sqlite alone holds it all."""
    import shutil
    import sqlite3

    memory = tmp_path / "memory.sqlite"
    proc = _start(tiny_model_dir, "--memory", str(memory))
    try:
        out, err = _translate(tiny_model_dir, "--memory", str(memory))
        assert "TORCH False" in err  # served, memory and all
        assert out == _translate(tiny_model_dir, "--memory", str(memory), "--no-server")[0]  # now from the memory
        stop = subprocess.run([sys.executable, "-m", "pipeline", "serve", "--stop"], capture_output=True, text=True,
                              cwd=ROOT, env=_env(), timeout=60)
        assert stop.returncode == 0, stop.stderr
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not memory.with_name(memory.name + "-wal").exists()
    alone = tmp_path / "alone" / "memory.sqlite"
    alone.parent.mkdir()
    shutil.copy(memory, alone)
    with sqlite3.connect(alone) as db:
        assert db.execute("SELECT COUNT(*) FROM translations").fetchone()[0] >= 3  # the non-empty lines


def test_a_client_that_hangs_up_costs_the_server_nothing(server, tiny_model_dir):
    from pipeline.cli import build_parser
    from pipeline.serve.client import Session
    from pipeline.serve.key import translate_key

    key = translate_key(build_parser().parse_args(["translate", "--model", str(tiny_model_dir), "--json"]))
    gone = Session.open("translate", key)
    assert gone is not None
    send(gone.sock, {"op": "translate", "lines": LINES * 50, "json": True})
    gone.close()  # before any answer
    session = Session.open("translate", key)
    answer = session.request({"op": "translate", "lines": LINES, "json": True})
    session.close()
    assert len(answer["output"]) == len(LINES) and server.poll() is None


def test_stop_and_a_second_server_is_refused(server, tiny_model_dir):
    second = subprocess.run([sys.executable, "-m", "pipeline", "serve", "--model", str(tiny_model_dir)],
                            capture_output=True, text=True, cwd=ROOT, env=_env(), timeout=120)
    assert second.returncode == 2 and "already running" in second.stderr
    stop = subprocess.run([sys.executable, "-m", "pipeline", "serve", "--stop"], capture_output=True, text=True,
                          cwd=ROOT, env=_env(), timeout=60)
    assert stop.returncode == 0, stop.stderr
    assert server.wait(timeout=30) == 0
    assert not socket_path().exists()
    again = subprocess.run([sys.executable, "-m", "pipeline", "serve", "--stop"], capture_output=True, text=True,
                           cwd=ROOT, env=_env(), timeout=60)
    assert again.returncode == 2 and "no server is running" in again.stderr


def test_the_server_exits_when_idle(tiny_model_dir):
    proc = _start(tiny_model_dir, "--idle", "0.03")  # about 2 s
    assert proc.wait(timeout=60) == 0
    assert not socket_path().exists()


def test_a_dead_servers_socket_is_no_server(tiny_model_dir):
    path = socket_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))
    dead.close()  # the file stays; nobody listens
    out, err = _translate(tiny_model_dir)
    assert "TORCH True" in err
    proc = _start(tiny_model_dir)  # a new server takes the place
    proc.kill()
    proc.wait()


def test_run_decodes_on_the_server_and_writes_the_same_english(server, tiny_model_dir, tmp_path):
    from tests.briefing.docx_helpers import body_rows
    from tests.conftest import seed_paths

    seed = seed_paths()[1]

    def run(out, *extra):
        proc = subprocess.run([sys.executable, "-c", CLIENT, "run", str(seed), "--model", str(tiny_model_dir),
                               "--out", str(out), *extra], capture_output=True, text=True, cwd=ROOT, env=_env(),
                              timeout=900)
        assert proc.returncode == 0, proc.stderr
        return proc.stderr, body_rows(out / f"{seed.stem}.docx")

    served_err, served = run(tmp_path / "served")
    local_err, local = run(tmp_path / "local", "--no-server")
    assert served == local
    assert "TORCH True" in local_err
    assert "decode of" in server.stderr.readline()  # the server logged the run's first batch


def test_only_the_main_thread_runs_the_model_whichever_client_asks(tiny_model_dir):
    """torch's OpenMP workers belong to the thread that starts them: a model run from each
    connection's own thread took twice as long.  The server here runs in this (the main)
    thread; three clients from other threads ask in turn, then it is told to stop (as its
    idle timer would: a `stop` request exits the process at once)."""
    import threading

    from pipeline.cli import build_parser
    from pipeline.serve.client import Session, server_alive
    from pipeline.serve.key import translate_key
    from pipeline.serve.server import Server

    assert threading.current_thread() is threading.main_thread()
    server = Server(build_parser().parse_args(["serve", "--model", str(tiny_model_dir), "--idle", "2"]))
    ran_on_main, original = [], server._translate

    def recording(message):
        ran_on_main.append(threading.current_thread() is threading.main_thread())
        return original(message)

    server._translate = recording
    key = translate_key(build_parser().parse_args(["translate", "--model", str(tiny_model_dir), "--json"]))
    answers = []

    def client():
        session = Session.open("translate", key)
        answers.append(session.request({"op": "translate", "lines": LINES, "json": True})["output"])
        session.close()

    def clients():
        try:
            while not server_alive():
                threading.Event().wait(0.05)
            asking = [threading.Thread(target=client) for _ in range(3)]
            for thread in asking:
                thread.start()
            for thread in asking:
                thread.join()
        finally:
            server.stopping.set()

    outside = threading.Thread(target=clients)
    outside.start()
    server.serve_forever()  # returns once stopped
    outside.join()
    assert ran_on_main == [True, True, True]
    assert len(answers) == 3 and answers[0] == answers[1] == answers[2] and len(answers[0]) == len(LINES)
