import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/**
 * The control for the probe benchmark: answers probes, and answers each GraphQL request
 * with the bytes a real run produced after the delay it took, doing no GraphQL work. What
 * the prober loses here is what moving the bodies alone costs on this machine.
 * Usage: node control-server.js <heavy body file> <heavy delay ms> <page body file> <page delay ms>
 */
const [heavyFile, heavyDelay, pageFile, pageDelay] = process.argv.slice(2) as [string, string, string, string];
const heavy = readFileSync(heavyFile);
const page = readFileSync(pageFile);

const server = createServer((req, res) => {
  if (req.url === '/.well-known/live' || req.url === '/.well-known/ready') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const isHeavy = Buffer.concat(chunks).includes('first: 40000');
    setTimeout(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end(isHeavy ? heavy : page),
      Number(isHeavy ? heavyDelay : pageDelay),
    );
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ msg: 'listening', port: typeof address === 'object' ? address?.port : 0 })}\n`,
  );
});
