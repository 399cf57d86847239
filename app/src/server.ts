import * as http from "http";
import type { AddressInfo } from "net";

/** How the service behaves; every field has a production default. */
export interface AppOptions {
  /** The body of `GET /`. @default "hello from the platform" */
  readonly message?: string;
  /**
   * How long to keep serving, with `/readyz` failing, after SIGTERM: time for Kubernetes to
   * take the pod out of its Service's endpoints before new connections are refused.
   * @default 5000
   */
  readonly shutdownDelayMs?: number;
  /** How long in-flight requests may take to finish once the server stops accepting. @default 10000 */
  readonly drainTimeoutMs?: number;
  /** Where one-line JSON logs go. @default - stdout */
  readonly log?: (line: string) => void;
  /** The clock, in milliseconds. @default Date.now */
  readonly now?: () => number;
}

/** A running (or runnable) instance of the service. */
export interface App {
  readonly server: http.Server;
  /** Starts listening; resolves to the bound port (pass 0 for any free port). */
  listen(port: number): Promise<number>;
  /** Fails readiness, waits, stops accepting, drains in-flight requests; resolves when closed. */
  shutdown(reason?: string): Promise<void>;
  /** False once shutdown has begun. */
  readonly ready: boolean;
}

/** Serving time after SIGTERM, with readiness failing, before new connections are refused. */
export const DEFAULT_SHUTDOWN_DELAY_MS = 5000;
/** Time in-flight requests get once the server stops accepting. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

const ROUTES = ["/", "/healthz", "/readyz", "/metrics"] as const;
const METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Creates the service: `/` hello, `/healthz` liveness, `/readyz` readiness, `/metrics`. */
export function createApp(options: AppOptions = {}): App {
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const started = now();
  const counts = new Map<string, number>();
  let ready = true;
  let inFlight = 0;
  let closing: Promise<void> | undefined;

  const server = http.createServer((req, res) => {
    inFlight++;
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const route = (ROUTES as readonly string[]).includes(path) ? path : "other";
    const send = (code: number, body: string, type = "text/plain; charset=utf-8") => {
      const key = `path="${escapeLabel(route)}",code="${code}"`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      // Once draining, ask keep-alive clients to reconnect, which lands them on another pod.
      if (!ready) res.setHeader("Connection", "close");
      res.writeHead(code, { "Content-Type": type, "Cache-Control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    res.on("close", () => inFlight--);

    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed\n");
    switch (route) {
      case "/":
        return send(200, `${options.message ?? "hello from the platform"}\n`);
      case "/healthz":
        return send(200, "ok\n");
      case "/readyz":
        return ready ? send(200, "ready\n") : send(503, "shutting down\n");
      case "/metrics":
        return send(200, metrics(), METRICS_TYPE);
      default:
        return send(404, "not found\n");
    }
  });

  const metrics = () => {
    const lines = [
      "# HELP http_requests_total HTTP requests served, by route and status code.",
      "# TYPE http_requests_total counter",
      ...[...counts].map(([labels, n]) => `http_requests_total{${labels}} ${n}`),
      "# HELP http_requests_in_flight HTTP requests being served.",
      "# TYPE http_requests_in_flight gauge",
      `http_requests_in_flight ${inFlight}`,
      "# HELP process_uptime_seconds Seconds since the service started.",
      "# TYPE process_uptime_seconds gauge",
      `process_uptime_seconds ${(now() - started) / 1000}`,
      "# HELP app_ready 1 while the service accepts traffic, 0 once it is shutting down.",
      "# TYPE app_ready gauge",
      `app_ready ${ready ? 1 : 0}`,
    ];
    return `${lines.join("\n")}\n`;
  };

  const close = async (reason: string) => {
    ready = false;
    log(JSON.stringify({ msg: "shutting down", reason, inFlight }));
    await sleep(options.shutdownDelayMs ?? DEFAULT_SHUTDOWN_DELAY_MS);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timeout = sleep(options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS).then(
      () => "timeout" as const,
    );
    if ((await Promise.race([closed, timeout])) === "timeout") {
      log(JSON.stringify({ msg: "drain timed out; closing connections", inFlight }));
      server.closeAllConnections();
      await closed;
    }
    log(JSON.stringify({ msg: "stopped" }));
  };

  return {
    server,
    listen: (port) =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, () => {
          const bound = (server.address() as AddressInfo).port;
          log(JSON.stringify({ msg: "listening", port: bound }));
          resolve(bound);
        });
      }),
    shutdown: (reason = "requested") => (closing ??= close(reason)),
    get ready() {
      return ready;
    },
  };
}

/** The process a `main` needs: its environment, signals and exit. */
export interface ProcessLike {
  readonly env: Readonly<Record<string, string | undefined>>;
  once(signal: "SIGTERM" | "SIGINT", listener: () => void): unknown;
  exit(code: number): void;
}

/** The port the service listens on when `PORT` is not set. */
export const DEFAULT_PORT = 8080;

/** The settings `main` reads from the environment; throws naming a malformed variable. */
export function settingsFrom(env: ProcessLike["env"]): {
  port: number;
  shutdownDelayMs?: number;
  drainTimeoutMs?: number;
} {
  return {
    port: numberFrom(env, "PORT") ?? DEFAULT_PORT,
    shutdownDelayMs: numberFrom(env, "SHUTDOWN_DELAY_MS"),
    drainTimeoutMs: numberFrom(env, "DRAIN_TIMEOUT_MS"),
  };
}

/**
 * Runs the service: reads `PORT` (default 8080), `SHUTDOWN_DELAY_MS` and `DRAIN_TIMEOUT_MS`,
 * listens, and on SIGTERM or SIGINT shuts down gracefully and exits 0.
 */
export async function main(proc: ProcessLike = process, options: AppOptions = {}): Promise<App> {
  const { port, ...timing } = settingsFrom(proc.env);
  const app = createApp({ ...timing, ...options });
  const stop = (signal: string) => () =>
    void app.shutdown(signal).then(
      () => proc.exit(0),
      () => proc.exit(1),
    );
  proc.once("SIGTERM", stop("SIGTERM"));
  proc.once("SIGINT", stop("SIGINT"));
  await app.listen(port);
  return app;
}

function numberFrom(env: ProcessLike["env"], name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text.trim() === "") return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`${name} must be a whole number of 0 or more; got ${JSON.stringify(text)}`);
  }
  return n;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
