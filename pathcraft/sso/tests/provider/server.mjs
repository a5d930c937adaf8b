// A real OpenID Provider for pathcraft's SSO tests: panva/oidc-provider (OpenID Certified), on a free port.
//
//   node server.mjs CONFIG.json
//
// CONFIG.json: {"clients": [oidc-provider client metadata...],
//               "accounts": [{"sub", "email", "email_verified", "password", "name", "groups"}...]}
// Prints one line, {"issuer": "http://127.0.0.1:PORT"}, once it accepts connections; stops on SIGTERM.
//
// The login and consent pages are our own (oidc-provider's devInteractions load web fonts from the internet,
// which a test browser must not): a real password check against the accounts, then a consent screen.
import { readFileSync } from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = new Map(config.accounts.map((account) => [account.sub, account]));

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${body}</body></html>`;

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

function send(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: config.clients,
    async findAccount(ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            email: account.email,
            email_verified: account.email_verified,
            name: account.name,
            groups: account.groups || [],
          };
        },
      };
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    scopes: ['openid', 'email', 'profile', 'groups'],
    pkce: { required: () => true },
    cookies: { keys: ['pathcraft-test-provider-cookie-key'] },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = page('Sign out of the test provider?', `${form}
            <button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
            <button type="submit" form="op.logoutForm">No, stay signed in</button>`);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = page('Signed out', '<p>You are signed out of the test provider.</p>');
        },
      },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Provider error', `<pre>${escape(JSON.stringify(out))}</pre>`);
    },
  });

  async function interaction(req, res) {
    const details = await provider.interactionDetails(req, res);
    const { uid, prompt, params } = details;
    if (req.method === 'GET') {
      if (prompt.name === 'login') {
        return send(res, 200, page('Sign in to the test provider', `
          <form method="post" action="/interaction/${uid}">
            <label for="login">Email</label> <input id="login" name="login" type="email" autofocus>
            <label for="password">Password</label> <input id="password" name="password" type="password">
            <button type="submit" name="action" value="login">Sign in</button>
          </form>`));
      }
      return send(res, 200, page('Allow access?', `
        <p>${escape(params.client_id)} asks for: ${escape(params.scope)}</p>
        <form method="post" action="/interaction/${uid}">
          <button type="submit" name="action" value="consent">Allow</button>
          <button type="submit" name="action" value="deny">Deny</button>
        </form>`));
    }
    const form = await readForm(req);
    if (form.get('action') === 'deny') {
      return provider.interactionFinished(req, res, {
        error: 'access_denied', error_description: 'the person denied access',
      }, { mergeWithLastSubmission: false });
    }
    if (prompt.name === 'login') {
      const account = [...accounts.values()].find((a) => a.email === form.get('login'));
      if (!account || account.password !== form.get('password')) {
        return send(res, 200, page('Sign in to the test provider', `<p role="alert">Wrong email or password.</p>
          <p><a href="/interaction/${uid}">Try again</a></p>`));
      }
      return provider.interactionFinished(req, res, { login: { accountId: account.sub } },
        { mergeWithLastSubmission: false });
    }
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes || {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (req.url.startsWith('/interaction/')) {
      interaction(req, res).catch((error) => send(res, 400, page('Interaction error', escape(error.message))));
    } else {
      callback(req, res);
    }
  });
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
