// The CSR analysis as the browser build ships it, in a web worker of test/ui/browser-analysis.test.ts:
// each message names requests (DER as arrays of bytes), domains and RSA moduli (hex); the answer is
// their findings, signature verdicts, A-labels and the WebAssembly small-factor module's answers
// (null where the module did not run and BigInts answered), as plain data.
import { analyseCsrTextInBrowser } from '../../src/core/csr/browser';
import { domainToAscii } from '../../src/core/csr/idn';
import { sharesSmallFactorByDivision, sharesSmallFactorByWasm } from '../../src/core/csr/rsa-weakness';
import { isCsrReport } from '../../src/core/csr/types';

interface Question {
  requests: number[][];
  domains: string[];
  moduli: string[];
}

self.onmessage = async (event: MessageEvent<Question>) => {
  try {
    const reports = [];
    for (const bytes of event.data.requests) {
      const [report] = (await analyseCsrTextInBrowser(Uint8Array.from(bytes))).filter(isCsrReport);
      reports.push({
        valid: report?.signature.valid ?? 'no report',
        findings: (report?.findings ?? []).map(({ code, severity, message }) => ({ code, severity, message })),
      });
    }
    const wasm = event.data.moduli.map((hex) => sharesSmallFactorByWasm(BigInt(`0x${hex}`), hex));
    const division = event.data.moduli.map((hex) => sharesSmallFactorByDivision(BigInt(`0x${hex}`), hex));
    self.postMessage({
      reports,
      ascii: event.data.domains.map(domainToAscii),
      wasm,
      division,
      webCrypto: 'subtle' in crypto,
    });
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
