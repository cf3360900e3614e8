// Production is recognised from the parsed URL, not its text: generated spellings of Sectigo's
// production API (scheme and host in any case, trailing dots, :443, dot segments, percent-escapes,
// repeated slashes) are all production; generated near misses (another host, port, scheme or
// path) never are. And the places that compare endpoints compare them parsed. A failure prints
// its seed: FC_SEED=<seed> FC_PATH=<path> replays it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isProductionBaseUrl, PRODUCTION_BASE_URL, sameBaseUrl, sameUrl } from '../../../src/core/sectigo/call-plan';
import { accountMismatch, bulkEndpoint, isProductionRun } from '../../../src/core/sectigo/bulk/stored-run';
import { withAccount } from '../../../src/core/sectigo/accounts';
import { propertyOptions } from '../../support/secret-views';

const RUNS = 300;

/** Each letter in upper or lower case as the booleans say. */
const anyCase = (text: string): fc.Arbitrary<string> =>
  fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((upper) =>
      [...text].map((character, at) => (upper[at] ? character.toUpperCase() : character.toLowerCase())).join(''),
    );

/** Some letters of `text` written as %XX (either case of hex digit). */
const somePercent = (text: string): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom('keep', 'upper', 'lower'), { minLength: text.length, maxLength: text.length }).map((how) =>
    [...text]
      .map((character, at) => {
        const escape = `%${character.charCodeAt(0).toString(16)}`;
        return how[at] === 'upper' ? escape.toUpperCase() : how[at] === 'lower' ? escape.toLowerCase() : character;
      })
      .join(''),
  );

const productionPath = fc.oneof(
  fc.constantFrom(
    '/products/',
    '/products',
    '/products/.',
    '/products/./',
    '/./products/',
    '/x/../products/',
    '//products//',
  ),
  somePercent('products').map((products) => `/${products}/`),
  anyCase('products').map((products) => `/${products}`),
  fc.constantFrom('/products/%2e/', '/%2E/products', '/products/%2E%2E/products/', '\\products\\'),
);

const productionSpelling = fc
  .record({
    scheme: anyCase('https'),
    host: anyCase('secure.trust-provider.com'),
    dots: fc.constantFrom('', '.', '..'),
    port: fc.constantFrom('', ':443', ':0443'),
    path: productionPath,
    space: fc.constantFrom('', ' ', '\n'),
  })
  .map(({ scheme, host, dots, port, path, space }) => `${space}${scheme}://${host}${dots}${port}${path}${space}`);

test('every generated spelling of the production base URL is production', () => {
  fc.assert(
    fc.property(productionSpelling, (url) => {
      assert.ok(isProductionBaseUrl(url), url);
      assert.ok(isProductionRun({ endpoint: bulkEndpoint(url.trim()) }), url);
    }),
    propertyOptions(RUNS),
  );
});

const nearMiss = fc.oneof(
  // Another host: a longer name, a sibling, a lookalike, a subdomain.
  fc
    .constantFrom(
      'secure.trust-provider.com.example',
      'secure.trust-provider.co',
      'evil-secure.trust-provider.com',
      'api.secure.trust-provider.com',
      'secure-trust-provider.com',
      'secure.trust-provider.com.evil.example',
      '127.0.0.1',
    )
    .map((host) => `https://${host}/products/`),
  // Another port or scheme.
  fc.constantFrom(':8443', ':444', ':80').map((port) => `https://secure.trust-provider.com${port}/products/`),
  fc.constantFrom('http', 'ftp', 'wss').map((scheme) => `${scheme}://secure.trust-provider.com/products/`),
  // Another path.
  fc
    .constantFrom('/', '/product/', '/products2/', '/products/x/', '/api/products/', '/products/..', '/products%2F')
    .map((path) => `https://secure.trust-provider.com${path}`),
  // Not a URL at all.
  fc.constantFrom('secure.trust-provider.com/products/', 'https//secure.trust-provider.com/products/', ''),
);

test('generated spellings of one endpoint are the same endpoint; another path is not', () => {
  fc.assert(
    fc.property(
      fc.record({
        scheme: anyCase('https'),
        host: anyCase('test.example'),
        dots: fc.constantFrom('', '.'),
        port: fc.constantFrom(':8443', ':08443'),
        segment: somePercent('api-v2'),
        dotSegment: fc.constantFrom('', './', 'x/../'),
        slash: fc.constantFrom('', '/'),
      }),
      ({ scheme, host, dots, port, segment, dotSegment, slash }) => {
        const url = `${scheme}://${host}${dots}${port}/${dotSegment}${segment}${slash}`;
        assert.ok(sameBaseUrl(url, 'https://test.example:8443/api-v2/'), url);
        assert.ok(!sameBaseUrl(url, 'https://test.example:8443/api-v3/'), url);
        assert.ok(!sameBaseUrl(url, PRODUCTION_BASE_URL), url);
      },
    ),
    propertyOptions(RUNS),
  );
});

test('no generated near miss of the production base URL is production', () => {
  fc.assert(
    fc.property(nearMiss, fc.boolean(), (url, upper) => {
      const spelled = upper ? url.toUpperCase() : url;
      assert.equal(isProductionBaseUrl(spelled), false, spelled);
      assert.equal(isProductionRun({ endpoint: bulkEndpoint(spelled) }), false, spelled);
    }),
    propertyOptions(RUNS),
  );
});

test('the issue’s spellings: :443 and /./ are production', () => {
  for (const url of [
    'https://secure.trust-provider.com:443/products/',
    'https://secure.trust-provider.com/products/./',
    'https://secure.trust-provider.com/products',
    'HTTPS://SECURE.TRUST-PROVIDER.COM./products/',
    'https://secure.trust-provider.com/%70roducts/',
  ])
    assert.ok(isProductionBaseUrl(url), url);
});

test('endpoints are compared parsed: another spelling of the same endpoint continues a run, another endpoint does not', () => {
  const run = { loginName: 'demo', endpoint: bulkEndpoint('https://test.example:8443/products/') };
  const manifest = run as unknown as Parameters<typeof accountMismatch>[0];
  assert.equal(accountMismatch(manifest, 'demo', 'HTTPS://Test.Example.:8443/products/./'), undefined);
  assert.equal(accountMismatch(manifest, 'demo', 'https://test.example:8443/other/'), 'endpoint');
  assert.equal(accountMismatch(manifest, 'demo', 'https://test.example/products/'), 'endpoint');
  assert.equal(accountMismatch(manifest, 'other', 'https://test.example:8443/products/'), 'login');
  assert.ok(sameUrl('https://a.example/x/%41', 'https://A.EXAMPLE./x/A'));
  assert.ok(!sameUrl('https://a.example/x/%2F', 'https://a.example/x//'));
  // Text that is no URL is only the same as itself.
  assert.ok(sameUrl('not a url', 'not a url') && !sameUrl('not a url', 'not  a url'));
});

test('adding the same login at another spelling of its endpoint updates that account instead of adding a second', () => {
  const endpoint = { baseUrl: 'https://secure.trust-provider.com/products/', caFile: '', proxy: '' };
  let next = 0;
  const first = withAccount({ accounts: [], activeId: undefined }, 'demo', endpoint, () => `id${next++}`);
  const second = withAccount(
    first.list,
    'demo',
    { ...endpoint, baseUrl: 'https://secure.trust-provider.com:443/products' },
    () => `id${next++}`,
  );
  assert.equal(second.list.accounts.length, 1);
  assert.equal(second.account.id, first.account.id);
  const third = withAccount(
    second.list,
    'demo',
    { ...endpoint, baseUrl: 'https://test.example/products/' },
    () => `id${next++}`,
  );
  assert.equal(third.list.accounts.length, 2);
});
