// The fake Sectigo server's accounts and well-known orders, for tests, the demo
// and the UI tests. Throwaway values: this server only ever listens on loopback.

export interface FakeAccountCredentials {
  loginName: string;
  loginPassword: string;
}

/** The account the demo and most tests use. Its password has &, =, %, +, a space and non-ASCII characters on purpose. */
export const DEMO_ACCOUNT: FakeAccountCredentials = {
  loginName: 'demo-reseller',
  loginPassword: 'Dem0 p&ss=100%+ünïcödé€',
};
/**
 * The same login with a password a person can type, for `npm run demo` and `npm run fake-sectigo`
 * (they start the server with this account in place of DEMO_ACCOUNT). The tests keep DEMO_ACCOUNT.
 */
export const TYPED_DEMO_ACCOUNT: FakeAccountCredentials = {
  loginName: DEMO_ACCOUNT.loginName,
  loginPassword: 'demo-password-2026',
};
/** Right password, but the account is locked: -16. */
export const LOCKED_ACCOUNT: FakeAccountCredentials = {
  loginName: 'locked-reseller',
  loginPassword: 'locked-but-correct',
};
/** Right password, but its IP allow-list does not include loopback: -16. */
export const IP_BLOCKED_ACCOUNT: FakeAccountCredentials = {
  loginName: 'ip-blocked-reseller',
  loginPassword: 'blocked-but-correct',
};
/** Right password, but it has expired: -16. */
export const EXPIRED_PASSWORD_ACCOUNT: FakeAccountCredentials = {
  loginName: 'expired-reseller',
  loginPassword: 'expired-but-correct',
};
/** Allowed 3 calls, then -42. */
export const LIMITED_ACCOUNT: FakeAccountCredentials = {
  loginName: 'limited-reseller',
  loginPassword: 'only-three-calls',
};
export const LIMITED_ACCOUNT_CALLS = 3;
/** Owns ORDERS.otherAccount. */
export const OTHER_ACCOUNT: FakeAccountCredentials = { loginName: 'other-reseller', loginPassword: 'other-password' };

export type FakeOrderState = 'issued' | 'being-issued' | 'revoked' | 'rejected' | 'awaiting-validation';

export interface FakeOrderSeed {
  orderNumber: string;
  owner: string;
  state: FakeOrderState;
  /** 16 digits. */
  certificateId: string;
  /** Uppercase hex without leading zeros. */
  serialNumber: string;
  /** Revoke answers -14 for this order (the undocumented failure). */
  failsUnknown?: boolean;
}

/** Order numbers of DEMO_ACCOUNT in each state (and one owned by OTHER_ACCOUNT). */
export const ORDERS = {
  issued: '1000001',
  /** A second issued order, so a demo can revoke one and replace the other. */
  issuedSpare: '1000007',
  beingIssued: '1000002',
  revoked: '1000003',
  rejected: '1000004',
  /** Owned by OTHER_ACCOUNT: replace answers -91, revoke -16. */
  noPermission: '1000005',
  /** Awaiting validation: replace answers -136 (wrong certificate state). */
  wrongState: '1000006',
  /** Revoke answers -14. */
  unknownError: '1000099',
} as const;

function seed(
  orderNumber: string,
  state: FakeOrderState,
  owner = DEMO_ACCOUNT.loginName,
  extra: Partial<FakeOrderSeed> = {},
): FakeOrderSeed {
  const n = Number(orderNumber);
  return {
    orderNumber,
    owner,
    state,
    certificateId: String(4_000_000_000_000_000 + n),
    serialNumber: (0x5ec7160_0000_0000n + BigInt(n)).toString(16).toUpperCase(),
    ...extra,
  };
}

export function initialOrders(): FakeOrderSeed[] {
  return [
    seed(ORDERS.issued, 'issued'),
    seed(ORDERS.issuedSpare, 'issued'),
    seed(ORDERS.beingIssued, 'being-issued'),
    seed(ORDERS.revoked, 'revoked'),
    seed(ORDERS.rejected, 'rejected'),
    seed(ORDERS.noPermission, 'issued', OTHER_ACCOUNT.loginName),
    seed(ORDERS.wrongState, 'awaiting-validation'),
    seed(ORDERS.unknownError, 'issued', DEMO_ACCOUNT.loginName, { failsUnknown: true }),
  ];
}
