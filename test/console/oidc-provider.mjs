// A real OpenID Provider (the `oidc-provider` package, ESM) for the console's single sign-on tests,
// started as a child process on loopback. Its development login form accepts any login name; the
// account's `preferred_username` is that name. Prints `ready <issuer>` when it listens.
//   PORT, REDIRECT_URI, CLIENT_ID, CLIENT_SECRET
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: [process.env.REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  claims: { openid: ['sub'], profile: ['preferred_username', 'name'] },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['test-only-cookie-key-0123456789'] },
  async findAccount(_ctx, id) {
    return { accountId: id, claims: async () => ({ sub: `sub-${id}`, preferred_username: id, name: id }) };
  },
});
provider.proxy = false;
provider.listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
process.on('SIGTERM', () => process.exit(0));
