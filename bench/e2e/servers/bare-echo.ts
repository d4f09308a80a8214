/**
 * "Bare echo": the least an Express server can do per request, for context.
 * POST /echo with a JSON body is answered with the same JSON. Run as its own
 * process by the end-to-end bench (see bench/e2e.ts).
 */
import express from 'express';
import { createServer } from 'node:http';
import { listenAndAnnounce } from './listening.ts';

const app = express();
app.disable('x-powered-by');
app.post('/echo', express.json(), (req, res) => {
  res.json(req.body);
});
await listenAndAnnounce(createServer(app), 'bare echo');
