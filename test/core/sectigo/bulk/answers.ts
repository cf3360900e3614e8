// AutoRevokeSSL answers, as the bulk runner's `send` returns them, for the bulk tests.
import { explainError } from '../../../../src/core/sectigo/errors';
import type { ApiResult } from '../../../../src/core/sectigo/types';

export const revokedAnswer: ApiResult = {
  kind: 'success',
  endpoint: 'AutoRevokeSSL',
  errorCode: 0,
  responseFormat: 1,
  httpStatus: 200,
  durationMs: 1,
};

export function revokeErrorAnswer(code: number, message = `error ${code}`): ApiResult {
  return {
    kind: 'api-error',
    endpoint: 'AutoRevokeSSL',
    errorCode: code,
    errorMessage: message,
    explanation: explainError('AutoRevokeSSL', code),
    responseFormat: 1,
    httpStatus: 200,
    durationMs: 1,
  };
}
