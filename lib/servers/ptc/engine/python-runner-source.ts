/**
 * The Python side of language: "python", run as `python -I -S -B -c <this>` (PTC-MCP v0.2's protocol).
 * Newline-delimited JSON on the child's original stdin/stdout, which are moved to other descriptors before
 * the program runs (fds 0 and 1 then point at /dev/null, so a script cannot forge protocol messages).
 *   parent → child  {"type":"start","code","tools":[[name, exact]...],"limits":{...}}
 *   child  → parent {"type":"call","id","tool","args"} | {"type":"helper","id","name","args"}
 *   parent → child  {"type":"result","id","ok","value"|"error","code"}
 *   child  → parent {"type":"done","ok","output","truncated","error","error_kind","has_result","result"}
 * Kept as a string so every bundle and the compiled binary carry it without a file on disk.
 */
export const PYTHON_RUNNER_SOURCE = String.raw`
import ast, asyncio, json, linecache, os, sys, threading, traceback

RPC_IN = os.fdopen(os.dup(0), "rb")
RPC_OUT = os.fdopen(os.dup(1), "wb")
_null = os.open(os.devnull, os.O_RDWR)
os.dup2(_null, 0)
os.dup2(_null, 1)
_write_lock = threading.Lock()

def send(msg):
    data = (json.dumps(msg, default=repr) + "\n").encode("utf-8")
    with _write_lock:
        RPC_OUT.write(data)
        RPC_OUT.flush()

class ToolError(Exception):
    def __init__(self, message, tool=None, code=None):
        super().__init__(message)
        self.tool = tool
        self.code = code

class CappedOutput:
    def __init__(self, limit):
        self.limit = limit
        self.parts = []
        self.size = 0
        self.truncated = False
    def write(self, text):
        if not isinstance(text, str):
            text = str(text)
        if self.truncated:
            return len(text)
        data = text.encode("utf-8")
        room = self.limit - self.size
        if len(data) <= room:
            self.parts.append(text)
            self.size += len(data)
        else:
            self.parts.append(data[:room].decode("utf-8", "ignore"))
            self.size = self.limit
            self.truncated = True
        return len(text)
    def flush(self):
        pass
    def isatty(self):
        return False
    def text(self):
        return "".join(self.parts)

def main():
    start = json.loads(RPC_IN.readline())
    limits = start["limits"]
    out = CappedOutput(limits["max_output_bytes"])
    loop = asyncio.new_event_loop()
    pending = {}
    counter = [0]

    def reader():
        for line in RPC_IN:
            msg = json.loads(line)
            fut = pending.pop(msg.get("id"), None)
            if fut is not None:
                loop.call_soon_threadsafe(lambda f=fut, m=msg: f.done() or f.set_result(m))
    threading.Thread(target=reader, daemon=True).start()

    try:
        import resource
        cpu = int(limits["cpu_seconds"])
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits["file_size_bytes"], limits["file_size_bytes"]))
        resource.setrlimit(resource.RLIMIT_NOFILE, (limits["open_files"], limits["open_files"]))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        with open("/proc/self/statm") as f:
            vm = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        mem = vm + int(limits["memory_bytes"])
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    except Exception:
        pass

    async def rpc(kind, **fields):
        counter[0] += 1
        mid = counter[0]
        fut = loop.create_future()
        pending[mid] = fut
        send(dict(type=kind, id=mid, **fields))
        msg = await fut
        if not msg.get("ok"):
            raise ToolError(msg.get("error", "error"), fields.get("tool") or fields.get("name"), msg.get("code"))
        return msg.get("value")

    def make_tool(name):
        async def tool(*args, **kwargs):
            if args:
                raise TypeError(name + "() takes keyword arguments only")
            try:
                json.dumps(kwargs, allow_nan=False)
            except (TypeError, ValueError) as e:
                raise TypeError("arguments to " + name + " must be JSON-serializable: " + str(e)) from None
            return await rpc("call", tool=name, args=kwargs)
        tool.__name__ = name
        return tool

    emitted = []
    def emit(value):
        emitted[:] = [value]

    async def list_callable_tools(query=""):
        return await rpc("helper", name="list_callable_tools", args={"query": query})
    async def inspect_tool(tool_name):
        return await rpc("helper", name="inspect_tool", args={"tool_name": tool_name})
    async def server_status():
        return await rpc("helper", name="server_status", args={})

    ns = {"__name__": "__main__", "__builtins__": __builtins__, "ToolError": ToolError, "emit": emit,
          "list_callable_tools": list_callable_tools, "inspect_tool": inspect_tool, "server_status": server_status}
    tools = {}
    for name, exact in start["tools"]:
        fn = make_tool(name)
        ns[name] = fn
        tools[name] = fn
        tools[exact] = fn
    ns["tools"] = tools

    code = start["code"]
    linecache.cache["<program>"] = (len(code), None, code.splitlines(True), "<program>")
    done = {"type": "done", "ok": True, "error": None, "error_kind": None, "has_result": False, "result": None}
    sys.stdout = out
    sys.stderr = out
    try:
        compiled = compile(code, "<program>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    except SyntaxError as e:
        done.update(ok=False, error_kind="syntax", error="".join(traceback.format_exception_only(type(e), e)).rstrip())
        compiled = None
    if compiled is not None:
        try:
            res = eval(compiled, ns)
            if asyncio.iscoroutine(res):
                loop.run_until_complete(res)
        except BaseException as e:
            frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == "<program>"]
            text = ""
            if frames:
                text = "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames))
            text += "".join(traceback.format_exception_only(type(e), e))
            kind = "memory" if isinstance(e, MemoryError) else "stack" if isinstance(e, RecursionError) else "runtime"
            done.update(ok=False, error_kind=kind, error=text.rstrip())
    if done["ok"] and emitted:
        done.update(has_result=True, result=emitted[0])
    done["output"] = out.text()
    done["truncated"] = out.truncated
    try:
        send(done)
    except (TypeError, ValueError) as e:
        done.update(has_result=True, result=repr(done["result"]))
        send(done)
    os._exit(0)

main()
`;
