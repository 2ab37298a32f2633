import { changeLines, describeActivity, progressMode, renderBlock, type ProgressSnapshot } from './progress';

const at = (elapsedSeconds: number, states: Record<string, 'pending' | 'running' | 'completed' | 'failed'>, activities: ProgressSnapshot['activities'] = []): ProgressSnapshot => ({
  elapsedSeconds,
  stages: Object.entries(states).map(([name, state]) => ({ name, state, ...(state === 'completed' ? { startedAt: 1_000, endedAt: 3_500, summary: `${name} done` } : {}) })),
  activities,
});

describe('progress display', () => {
  test('the mode: --json wins, a terminal gets the live block, anything else lines', () => {
    expect(progressMode({ json: true }, { isTTY: true })).toBe('json');
    expect(progressMode({}, { isTTY: true })).toBe('tty');
    expect(progressMode({}, { isTTY: false })).toBe('lines');
    expect(progressMode({}, {})).toBe('lines');
  });

  test('off a terminal: a line per stage change and per retry, none for a poll that changed only heartbeats', () => {
    const unit = (done: number, attempt = 1) => ({ workflow: '-ensemble-BULL', type: 'trainEnsembleUnit', attempt, worker: 'w1', details: { unit: 'BULL-fold1', done, total: 12 } });
    const s1 = at(1, { collect: 'running', features: 'pending' });
    const s2 = at(2, { collect: 'running', features: 'pending' }, [unit(3)]);
    const s3 = at(3, { collect: 'completed', features: 'running' }, [unit(7)]);
    const s4 = at(4, { collect: 'completed', features: 'running' }, [{ ...unit(0, 2), lastFailure: 'activity Heartbeat timeout' }]);
    expect(changeLines(undefined, s1)).toEqual(['[   1.0 s] collect running']);
    expect(changeLines(s1, s2)).toEqual([]);
    expect(changeLines(s2, s3)).toEqual(['[   3.0 s] collect completed in 2.5 s: collect done', '[   3.0 s] features running']);
    expect(changeLines(s3, s4)).toEqual(['[   4.0 s]   trainEnsembleUnit [ensemble-BULL] BULL-fold1 0/12, attempt 2 on w1 (last failure: activity Heartbeat timeout)']);
    expect(changeLines(s4, { ...s4, elapsedSeconds: 5 })).toEqual([]);
  });

  test('on a terminal: one block with every stage, its time and summary, and the running activities', () => {
    const block = renderBlock(at(42.25, { collect: 'completed', train: 'running', save: 'pending' }, [
      { workflow: '', type: 'trainModel', attempt: 1, worker: 'worker-2', details: { stage: 'fit', attempt: 1, epoch: 2, epochs: 50, batch: 17, batches: 75, loss: 1.0412345, validLoss: 1.0987 } },
    ]), 'ares train-model m1');
    expect(block).toBe([
      'ares train-model m1  42.3 s',
      '  ✓ collect  2.5 s  collect done',
      '  ▸ train    running',
      '  · save     pending',
      '  running',
      '    trainModel epoch 2/50 batch 17/75 loss 1.0412 val_loss 1.0987, attempt 1 on worker-2',
    ].join('\n'));
  });

  test('an activity that waits on a transient fault says what it waits for', () => {
    expect(describeActivity({ workflow: '', type: 'pruneRunFeatures', attempt: 3, details: { waiting: 'S3', attempt: 2, lastError: 'S3 put x failed: connect ECONNREFUSED' } }))
      .toBe('pruneRunFeatures waiting for S3 (attempt 3, last error S3 put x failed: connect ECONNREFUSED)');
    expect(describeActivity({ workflow: '', type: 'collectMarketData', attempt: 1, details: { stage: 'fetch', pages: 3 } })).toBe('collectMarketData stage=fetch pages=3, attempt 1');
  });
});
