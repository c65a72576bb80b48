import { test } from 'node:test';
import assert from 'node:assert/strict';
import { truncate } from '../src/truncate.js';

test('keeps short text', () => {
  assert.equal(truncate('short', 10), 'short');
});

test('cuts long text with an ellipsis', () => {
  assert.equal(truncate('A long sentence', 6), 'A lon…');
});
