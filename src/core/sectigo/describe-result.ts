// One line for an outcome of a call, as the log and the history show it: the code and what it
// means, or whether the request may have reached Sectigo.
import type { ApiResult } from './types';

export function describeResult(result: ApiResult): string {
  switch (result.kind) {
    case 'success':
      return result.newOrderNumber
        ? `errorCode 0 (success, new order ${result.newOrderNumber})`
        : 'errorCode 0 (success)';
    case 'api-error':
      return `errorCode ${result.errorCode} (${result.explanation.meaning} Server said: ${result.errorMessage})`;
    case 'validation-error':
      return `not sent: ${result.parameter} (would be ${result.predictedErrorCode}): ${result.message}`;
    case 'transport-error':
      return `${result.outcome === 'unknown' ? 'OUTCOME UNKNOWN' : 'not sent'}: ${result.message}${result.httpStatus ? ` (HTTP ${result.httpStatus})` : ''}`;
    case 'cancelled':
      return `cancelled (${result.outcome === 'unknown' ? 'OUTCOME UNKNOWN: the request may have reached Sectigo' : 'nothing was sent'})`;
  }
}
