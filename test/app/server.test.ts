import { EventEmitter } from "events";
import * as http from "http";
import * as net from "net";
import {
  App,
  DEFAULT_PORT,
  ProcessLike,
  createApp,
  main,
  settingsFrom,
} from "../../app/src/server";

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on a fresh connection (no keep-alive pool to outlive the server). */
function request(port: number, path: string, method = "GET"): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ port, path, method, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** A connection that has sent part of a request: in flight until `finish` sends the rest. */
async function halfRequest(port: number) {
  const socket = net.connect(port);
  await new Promise((resolve) => socket.once("connect", resolve));
  let received = "";
  socket.on("data", (d: Buffer) => (received += d.toString()));
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  socket.write("GET / HTTP/1.1\r\nHost: localhost\r\n");
  await new Promise((resolve) => setTimeout(resolve, 30));
  return {
    finish: () => socket.write("\r\n"),
    closed,
    received: () => received,
    destroy: () => socket.destroy(),
  };
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the app's endpoints", () => {
  let app: App;
  let port: number;
  let clock = 1_000_000;
  const logs: string[] = [];

  beforeAll(async () => {
    app = createApp({ now: () => clock, log: (l) => logs.push(l), shutdownDelayMs: 0 });
    port = await app.listen(0);
  });
  afterAll(() => app.shutdown("test done"));

  it("says hello on /", async () => {
    expect(await request(port, "/")).toMatchObject({
      status: 200,
      body: "hello from the platform\n",
    });
  });

  it("is alive on /healthz and ready on /readyz", async () => {
    expect(await request(port, "/healthz")).toMatchObject({ status: 200, body: "ok\n" });
    expect(await request(port, "/readyz")).toMatchObject({ status: 200, body: "ready\n" });
  });

  it("answers 404 for unknown paths and 405 for methods other than GET and HEAD", async () => {
    expect((await request(port, "/nope")).status).toBe(404);
    expect((await request(port, "/", "POST")).status).toBe(405);
    expect(await request(port, "/", "HEAD")).toMatchObject({ status: 200, body: "" });
  });

  it("serves /metrics in the Prometheus text exposition format", async () => {
    const reply = await request(port, "/metrics");
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(reply.body.endsWith("\n")).toBe(true);
    const lines = reply.body.trimEnd().split("\n");
    const sample =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*",?)*\})? -?\d+(\.\d+)?$/;
    const declared = new Map<string, string>();
    for (const line of lines) {
      const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
      if (meta) {
        if (meta[1] === "TYPE") declared.set(meta[2]!, meta[3]!);
        continue;
      }
      const m = sample.exec(line);
      expect({ line, valid: m !== null }).toEqual({ line, valid: true });
      // Every sample's metric was declared with a HELP and a TYPE before it.
      expect(declared.has(m![1]!)).toBe(true);
    }
    expect(Object.fromEntries(declared)).toEqual({
      http_requests_total: "counter",
      http_requests_in_flight: "gauge",
      process_uptime_seconds: "gauge",
      app_ready: "gauge",
    });
  });

  it("counts requests by route and status code, unknown paths under one label", async () => {
    const before = await request(port, "/metrics");
    const count = (body: string, labels: string) =>
      Number(new RegExp(`^http_requests_total\\{${labels}\\} (\\d+)$`, "m").exec(body)?.[1] ?? 0);
    await request(port, "/");
    await request(port, "/");
    await request(port, "/secret-path-1");
    await request(port, "/secret-path-2");
    const after = (await request(port, "/metrics")).body;
    expect(count(after, 'path="/",code="200"') - count(before.body, 'path="/",code="200"')).toBe(2);
    expect(
      count(after, 'path="other",code="404"') - count(before.body, 'path="other",code="404"'),
    ).toBe(2);
    expect(after).not.toContain("secret-path");
  });

  it("reports uptime in seconds and readiness as gauges", async () => {
    clock += 2500;
    const body = (await request(port, "/metrics")).body;
    expect(body).toMatch(/^process_uptime_seconds 2\.5$/m);
    expect(body).toMatch(/^app_ready 1$/m);
  });

  it("logs one JSON line when it starts listening", () => {
    expect(JSON.parse(logs[0]!)).toEqual({ msg: "listening", port });
  });
});

describe("graceful shutdown", () => {
  it("fails readiness at once but keeps serving through the shutdown delay", async () => {
    const app = createApp({ log: () => undefined, shutdownDelayMs: 300, drainTimeoutMs: 1000 });
    const port = await app.listen(0);
    const stopped = app.shutdown("SIGTERM");
    expect(app.ready).toBe(false);

    const ready = await request(port, "/readyz");
    expect(ready).toMatchObject({ status: 503, body: "shutting down\n" });
    // Keep-alive clients are told to reconnect, which takes them to a pod that is staying.
    expect(ready.headers.connection).toBe("close");
    // Liveness stays healthy: a restart now would only cut the drain short.
    expect((await request(port, "/healthz")).status).toBe(200);
    expect((await request(port, "/metrics")).body).toMatch(/^app_ready 0$/m);

    await stopped;
    expect(app.server.listening).toBe(false);
    await expect(request(port, "/healthz")).rejects.toThrow(/ECONNREFUSED/);
  });

  it("stops accepting, then lets an in-flight request finish before closing", async () => {
    const logs: string[] = [];
    const app = createApp({ log: (l) => logs.push(l), shutdownDelayMs: 0, drainTimeoutMs: 5000 });
    const port = await app.listen(0);
    const inFlight = await halfRequest(port);

    let done = false;
    const stopped = app.shutdown("SIGTERM").then(() => (done = true));
    await tick(50);
    expect(done).toBe(false);
    await expect(request(port, "/")).rejects.toThrow(/ECONNREFUSED/);

    inFlight.finish();
    await Promise.all([stopped, inFlight.closed]);
    expect(inFlight.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(inFlight.received().toLowerCase()).toContain("connection: close");
    expect(logs.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual([
      "listening",
      "shutting down",
      "stopped",
    ]);
  });

  it("closes connections still open when the drain timeout ends", async () => {
    const logs: string[] = [];
    const app = createApp({ log: (l) => logs.push(l), shutdownDelayMs: 0, drainTimeoutMs: 100 });
    const port = await app.listen(0);
    const stuck = await halfRequest(port);
    const started = Date.now();
    await app.shutdown("SIGTERM");
    await stuck.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(logs.map((l) => (JSON.parse(l) as { msg: string }).msg)).toContain(
      "drain timed out; closing connections",
    );
  });

  it("shuts down once however many signals arrive", async () => {
    const app = createApp({ log: () => undefined, shutdownDelayMs: 0 });
    await app.listen(0);
    expect(app.shutdown("SIGTERM")).toBe(app.shutdown("SIGINT"));
    await app.shutdown();
  });
});

describe("main", () => {
  const fakeProcess = (env: Record<string, string>) => {
    const emitter = new EventEmitter();
    const exit = jest.fn<void, [number]>();
    const proc: ProcessLike = {
      env,
      once: (signal, listener) => emitter.once(signal, listener),
      exit,
    };
    return { proc, emitter, exit };
  };

  it("listens on PORT and exits 0 after a graceful shutdown on SIGTERM", async () => {
    const { proc, emitter, exit } = fakeProcess({ PORT: "0", SHUTDOWN_DELAY_MS: "0" });
    const app = await main(proc, { log: () => undefined });
    const port = (app.server.address() as net.AddressInfo).port;
    expect((await request(port, "/healthz")).status).toBe(200);

    emitter.emit("SIGTERM");
    expect(app.ready).toBe(false);
    for (let i = 0; i < 100 && exit.mock.calls.length === 0; i++) await tick(10);
    expect(exit.mock.calls).toEqual([[0]]);
    expect(app.server.listening).toBe(false);
  });

  it("reads its settings from the environment, with defaults", () => {
    expect(settingsFrom({})).toEqual({
      port: DEFAULT_PORT,
      shutdownDelayMs: undefined,
      drainTimeoutMs: undefined,
    });
    expect(DEFAULT_PORT).toBe(8080);
    expect(settingsFrom({ PORT: "9090", SHUTDOWN_DELAY_MS: "0", DRAIN_TIMEOUT_MS: "250" })).toEqual(
      { port: 9090, shutdownDelayMs: 0, drainTimeoutMs: 250 },
    );
  });

  it("refuses a malformed PORT with an exact message, before listening or trapping signals", async () => {
    const { proc, emitter } = fakeProcess({ PORT: "http" });
    await expect(main(proc)).rejects.toThrow(
      'PORT must be a whole number of 0 or more; got "http"',
    );
    expect(emitter.listenerCount("SIGTERM")).toBe(0);
  });
});
