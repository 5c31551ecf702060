// A stand-in for Azure Functions Core Tools in the tests of `startframe dev --mode func` (func cannot be installed
// where the tests run). `func start --port N` answers what dev relies on, as the real host does: the admin status
// ("Running") and the blob extension's webhook (the handshake echoes validationCode; an event gets 202). It writes
// what it was started with and each webhook request, one JSON object per line, to $FAKE_FUNC_LOG.
const fs = require('fs');
const http = require('http');

const log = (entry) => fs.appendFileSync(process.env.FAKE_FUNC_LOG, JSON.stringify(entry) + '\n');
const port = Number(process.argv[process.argv.indexOf('--port') + 1]);
log({
  kind: 'started',
  args: process.argv.slice(2),
  cwd: process.cwd(),
  worker: process.env.FUNCTIONS_WORKER_RUNTIME,
  storage: process.env.AzureWebJobsStorage,
  modelStream: process.env.ModelStream__BaseUrl,
});

http.createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => { body += chunk; });
  request.on('end', () => {
    if (request.url === '/admin/host/status') {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ state: 'Running' }));
      return;
    }

    if (request.method === 'POST' && request.url.startsWith('/runtime/webhooks/blobs')) {
      const type = request.headers['aeg-event-type'];
      const events = JSON.parse(body);
      log({ kind: type, url: request.url, events });
      if (type === 'SubscriptionValidation') {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ validationResponse: events[0].data.validationCode }));
        return;
      }

      response.statusCode = type === 'Notification' ? 202 : 400;
      response.end();
      return;
    }

    response.statusCode = 404;
    response.end();
  });
}).listen(port);

process.on('SIGTERM', () => process.exit(0));
