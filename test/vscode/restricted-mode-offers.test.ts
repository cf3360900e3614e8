// What a notification offers depends on trust: a workspace in Restricted Mode is never offered
// an action that sends the password to Sectigo.
import assert from 'node:assert/strict';
import { renderMessage } from '../../src/core/message-text';
import { createdChoices } from '../../src/vscode/csr-editor/new-csr-command';

describe('offers after a new CSR is created', function () {
  it('offers Replace only in a trusted workspace', function () {
    assert.deepEqual(createdChoices(undefined, false), []);
    assert.deepEqual(createdChoices('1000001', false), []);
    assert.deepEqual(
      createdChoices(undefined, true).map((label) => renderMessage(label)),
      ['Replace S/MIME Order…'],
    );
    assert.deepEqual(
      createdChoices('1000001', true).map((label) => renderMessage(label)),
      ['Replace S/MIME Order 1000001…'],
    );
  });
});
