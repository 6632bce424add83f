// A round-robin load balancer for cluster tests and the harness (bench/cluster): HTTP (SSE streams
// included) and WebSocket upgrades, to nodes that answer; a node that refuses a connection is
// skipped for a second. Each request goes to the next node: no stickiness, on purpose.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';

export interface Balancer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startBalancer(targets: () => string[], port: number): Promise<Balancer> {
  let next = 0;
  const down = new Map<string, number>();
  const pick = (): URL | null => {
    const all = targets();
    for (let i = 0; i < all.length; i++) {
      const target = all[(next++) % all.length] as string;
      if ((down.get(target) ?? 0) > Date.now()) continue;
      return new URL(target);
    }
    return null;
  };
  const server = createServer((req: IncomingMessage, res) => {
    const target = pick();
    if (!target) {
      res.writeHead(502).end();
      return;
    }
    const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      down.set(target.origin, Date.now() + 1000);
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.on('upgrade', (req, socket, head) => {
    const target = pick();
    if (!target) return socket.destroy();
    const upstream = connect(Number(target.port), target.hostname, () => {
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`).join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
